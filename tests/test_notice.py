"""The public notice (§16): masked names, grouping, escaping — and nothing private, whatever the household."""

from __future__ import annotations

import csv
import datetime as dt
import io as _io
import json
import re
from decimal import Decimal

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from assistkit import io
from assistkit.cli._notice import notice as notice_cmd
from assistkit.dev.demo import demo_lines
from assistkit.population.notice import NoticeRow, mask_name, notice, render, render_csv, render_html
from assistkit.testing.strategies import populations

ON = dt.date(2025, 7, 15)


def test_mask_name():
    assert mask_name("王建国") == "王**"
    assert mask_name("李红") == "李*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("张") == "*"  # a whole name is never shown (issue 30)
    assert mask_name("") == "*"


def rows_of(lines, on=ON):
    return notice(_io.StringIO("".join(lines)), on)


def test_only_households_with_a_status_grouped_by_community():
    result = rows_of(demo_lines(400, seed=21))
    assert 0 < len(result.rows) < 400
    assert all(r.statuses for r in result.rows)
    text = render_csv(result.rows)
    table = list(csv.reader(_io.StringIO(text)))
    assert table[0] == ["社区（村）", "户主", "家庭人口", "救助类别", "月救助金额（元）"]
    communities = [row[0] for row in table[1:]]
    assert communities == sorted(communities)  # grouped, groups in order, input order within each
    for row in table[1:]:
        assert re.fullmatch(r".\**", row[1]) and row[2].isdigit() and re.fullmatch(r"\d+\.\d\d", row[4])


def test_statuses_of_household_and_members_are_shown():
    example = json.loads(
        open("tests/examples/03-tekun-member-in-dibao-household.json", encoding="utf-8").read()
    )
    result = rows_of(
        [json.dumps(example["household"], ensure_ascii=False) + "\n"],
        io.read_example("tests/examples/03-tekun-member-in-dibao-household.json").on,
    )
    (row,) = result.rows
    assert row.statuses == ("tekun", "dibao")
    assert "特困人员、低保" in render_csv(result.rows)
    assert "tekun, dibao" in render_csv(result.rows, lang="en")


def test_values_are_escaped():
    row = NoticeRow(1, '<script>alert("x")</script>&', '=HYPERLINK("x")', 2, ("dibao",), Decimal("100.00"))
    page = render_html([row], on=ON)
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp;" in page
    assert "&quot;" in page or "&#x27;" in page
    text = render([row], "csv")
    assert "'=HYPERLINK" in text  # no formula for spreadsheet programs


def private_values(household):
    """The id numbers and birth dates (as text anywhere), and the income figures (as whole numbers), of a
    household."""
    texts, figures = set(), set()
    for p in household.members:
        if p.id_number:
            texts.add(p.id_number)
            texts.add(p.id_number[6:14])
        if p.birth_date != ON:
            texts.add(p.birth_date.isoformat())
    for inc in household.incomes:
        if inc.amount:
            figures.add(f"{inc.amount:.2f}")
    return texts, figures


def check_private(households):
    lines = [json.dumps(io.unstructure_household(h), ensure_ascii=False) + "\n" for h in households]
    result = rows_of(lines)
    shown = {f"{r.monthly:.2f}" for r in result.rows}  # a published amount may equal an income by chance
    for fmt in ("csv", "html"):
        for lang in ("zh", "en"):
            text = render(result.rows, fmt, on=ON, lang=lang)
            numbers = set(re.findall(r"[0-9][0-9.]*", text))
            for household in households:
                texts, figures = private_values(household)
                for value in texts:
                    assert value not in text, (fmt, value)
                for value in figures - shown:
                    assert value not in numbers, (fmt, value)
            for word in ("残疾", "疾病", "disab", "illness", "income", "收入", "birth", "出生", "身份证"):
                assert word not in text
    for row in result.rows:
        assert set(row.head[1:]) <= {"*"}


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(populations(min_size=1, max_size=6, near_standard=True, on=ON))
def test_notice_never_shows_private_details(households):
    check_private(households)


def test_notice_of_a_demo_population_shows_nothing_private():
    households = [
        io.structure_household(json.loads(line, parse_float=Decimal)) for line in demo_lines(300, seed=8)
    ]
    check_private(households)


def test_cli(tmp_path):
    population = tmp_path / "pop.jsonl"
    population.write_text("".join(demo_lines(200, seed=3)) + "not json\n", encoding="utf-8")
    out = tmp_path / "notice.html"
    cli = CliRunner().invoke(
        notice_cmd,
        [
            str(population),
            "--on",
            "2025-07-15",
            "--format",
            "html",
            "--out",
            str(out),
            "--workers",
            "2",
            "--chunk-size",
            "30",
        ],
    )
    assert cli.exit_code == 1
    assert '"line":201' in cli.output and "households listed of 200 assessed; 1 rejected" in cli.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<h2>" in page
    cli = CliRunner().invoke(notice_cmd, [str(tmp_path / "pop.jsonl"), "--on", "2025-07-15"])
    assert cli.output.startswith("社区（村）,户主,家庭人口,救助类别,月救助金额（元）\n")
