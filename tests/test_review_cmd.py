"""`assistkit review` (§15): the action for each recurring benefit, with reasons, and the next review date."""

from __future__ import annotations

import copy
import datetime as dt
import io as _io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistkit.cli._review import review as review_cmd
from assistkit.population import review

ON = dt.date(2025, 7, 15)
EXAMPLES = Path(__file__).parent / "examples"


def example(name):
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))["household"]


def variant(name, new_id, enrolments=(), **changes):
    h = copy.deepcopy(example(name))
    h["id"] = new_id
    h.update(changes)
    if enrolments:
        h["enrolments"] = list(enrolments)
    return h


def dibao(amount, **extra):
    return {"programme": "dibao", "since": "2024-03-01", "monthly_amount": amount, **extra}


RICH_WAGE = [{"member": "P1", "category": "wage", "amount": "36000", "from": "2025-01", "to": "2025-06"}]
RICH_PENSION = [
    {"member": "P1", "category": "pension", "amount": "36000", "from": "2025-01", "to": "2025-06"}
]

# Example 01 is a dibao household of 1823 yuan a month on 2025-07-15 (spec/examples).
CASES = {
    "H-ENROL": (variant("01-urban-dibao-wage.json", "H-ENROL"), [("dibao", None, "enrol")]),
    "H-KEEP": (variant("01-urban-dibao-wage.json", "H-KEEP", [dibao("1823.00")]), [("dibao", None, "keep")]),
    "H-ADJUST": (
        variant("01-urban-dibao-wage.json", "H-ADJUST", [dibao("1500.00")]),
        [("dibao", None, "adjust")],
    ),
    # Income above S from a pension, no work income: no gradual exit (§6.7), so 应退未退.
    "H-EXIT": (
        variant("01-urban-dibao-wage.json", "H-EXIT", [dibao("900.00")], incomes=RICH_PENSION),
        [("dibao", None, "exit")],
    ),
    # Income above S from work while enrolled: gradual exit keeps the enrolled amount (§6.7).
    "H-GRADUAL": (
        variant(
            "01-urban-dibao-wage.json",
            "H-GRADUAL",
            [dibao("1823.00", gradual_exit_from="2025-05-01")],
            incomes=RICH_WAGE,
        ),
        [("dibao", None, "keep")],
    ),
    "H-GRADUAL-NEW": (
        variant("01-urban-dibao-wage.json", "H-GRADUAL-NEW", [dibao("1823.00")], incomes=RICH_WAGE),
        [("dibao", None, "keep")],
    ),
    # Example 02: a tekun person of 1705 yuan a month on 2025-07-01 (also on 2025-07-15).
    "H-TEKUN": (
        variant(
            "02-rural-tekun-elderly.json",
            "H-TEKUN",
            [{"programme": "tekun", "member": "P1", "since": "2020-01-01", "monthly_amount": "1705.00"}],
        ),
        [("tekun", "P1", "keep")],
    ),
    # Example 07: an urban renter with a rental subsidy of 600 yuan a month, not enrolled in housing.
    "H-HOUSING": (variant("07-urban-rent-subsidy.json", "H-HOUSING"), None),
    "H-NONE": (
        {
            "id": "H-NONE",
            "residence": "urban",
            "members": [{"id": "P1", "name": "富人", "birth_date": "1980-01-01", "relationship": "head"}],
            "incomes": RICH_WAGE,
        },
        [],
    ),
}


@pytest.fixture(scope="module")
def entries():
    lines = "".join(json.dumps(h, ensure_ascii=False) + "\n" for h, _expected in CASES.values())
    out = _io.BytesIO()
    result = review(_io.StringIO(lines), out, ON, workers=1)
    records = {r["household"]: r for r in map(json.loads, out.getvalue().splitlines())}
    return result, records


@pytest.mark.parametrize("household", [k for k, (_h, expected) in CASES.items() if expected])
def test_the_section_15_action_of_each_case(entries, household):
    _result, records = entries
    expected = CASES[household][1]
    actions = [(a["programme"], a["member"], a["action"]) for a in records[household]["actions"]]
    assert [a for a in actions if a[0] in {p for p, _m, _a in expected}] == expected


def test_actions_carry_amounts_and_reasons(entries):
    _result, records = entries
    adjust = records["H-ADJUST"]["actions"][0]
    assert (adjust["enrolled"], adjust["determined"], adjust["rule"]) == (
        "1500.00",
        "1823.00",
        "review.adjust",
    )
    assert "1500.00" in adjust["text"] and "1823.00" in adjust["text"]
    assert "应退未退" in records["H-EXIT"]["actions"][0]["text"]
    assert "应保未保" in records["H-ENROL"]["actions"][0]["text"]
    gradual = records["H-GRADUAL"]["actions"][0]
    assert gradual["determined"] == "1823.00"
    assert any(w["rule"] == "dibao.gradual_exit" for w in gradual["why"])
    housing = [a for a in records["H-HOUSING"]["actions"] if a["programme"] == "housing"]
    assert [(a["action"], a["determined"]) for a in housing] == [("enrol", "600.00")]


def test_next_review_dates(entries):
    _result, records = entries
    # A unit member can work and there is no casual or business income: review.default_months (6).
    assert records["H-KEEP"]["next_review"] == "2026-01-15"
    assert records["H-KEEP"]["review"]["rule"] == "review.default"
    # Nobody in the dibao unit can work (the tekun person leaves it empty): review.stable_months (12).
    assert records["H-TEKUN"]["next_review"] == "2026-07-15"
    assert records["H-EXIT"]["next_review"] is None  # no status left
    assert "H-NONE" not in records  # neither status nor enrolment: nothing to list


def test_summary_counts_each_action(entries):
    result, records = entries
    s = result.summary
    assert s.households == len(CASES) and s.rejected == 0
    assert s.listed == len(records) == len(CASES) - 1 and s.quiet == 1
    counted = {}
    for r in records.values():
        for a in r["actions"]:
            counted[a["action"]] = counted.get(a["action"], 0) + 1
    assert {k: v for k, v in s.actions.items() if v} == counted
    assert s.by_programme["dibao.keep"] == 3
    assert s.due["2026-01"] >= 1


def test_cli(tmp_path):
    population = tmp_path / "pop.jsonl"
    lines = [json.dumps(h, ensure_ascii=False) for h, _e in CASES.values()]
    population.write_text("\n".join([*lines[:3], "{bad", *lines[3:]]) + "\n", encoding="utf-8")
    out, summary = tmp_path / "review.jsonl", tmp_path / "summary.json"
    cli = CliRunner().invoke(
        review_cmd,
        [
            str(population),
            "--on",
            "2025-07-15",
            "--out",
            str(out),
            "--workers",
            "2",
            "--chunk-size",
            "2",
            "--summary-json",
            str(summary),
            "--lang",
            "en",
        ],
    )
    assert cli.exit_code == 1  # one rejected line
    assert "enrol 1" in cli.output and "exit 1" in cli.output and "adjust 1" in cli.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in records if "error" in r] == [4]
    assert (
        "amount changed" in next(r for r in records if r.get("household") == "H-ADJUST")["actions"][0]["text"]
    )
    assert json.loads(summary.read_text(encoding="utf-8"))["actions"]["keep"] == 4
