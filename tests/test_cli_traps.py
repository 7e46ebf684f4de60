"""The CLI traps of issue 26, each reproduced: every one now gives a clean error or the right exit code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from assistkit import io
from assistkit.cli import main
from assistkit.engine import Engine
from assistkit.population._batch import BatchResult, BatchSummary, format_summary

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "examples" / "01-urban-dibao-wage.json"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_assess_before_the_policy_begins_is_a_clean_error_not_a_traceback() -> None:
    result = run("assess", str(EXAMPLE), "--on", "2023-06-01")
    assert result.exit_code == 2
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert "no value in force on 2023-06-01" in result.output


def test_a_date_error_names_what_is_wrong() -> None:
    month = run("assess", str(EXAMPLE), "--on", "2025-13-01")
    assert month.exit_code == 2 and "there is no month 13" in month.output
    day = run("assess", str(EXAMPLE), "--on", "2025-02-30")
    assert day.exit_code == 2 and "2025-02 has days 01 to 28" in day.output
    shape = run("assess", str(EXAMPLE), "--on", "15.07.2025")
    assert shape.exit_code == 2 and "expected a date YYYY-MM-DD" in shape.output


def test_validate_fails_an_empty_input(tmp_path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    result = run("validate", str(empty))
    assert result.exit_code == 1 and "holds no household" in result.output


def test_a_run_in_which_a_plugin_raised_is_not_a_success_and_says_which() -> None:
    from tests.plugins import toys

    engine = Engine(plugins=[toys.plugin(toys.Raiser())])
    household = io.structure_household(json.loads(EXAMPLE.read_text(encoding="utf-8"))["household"])
    summary = BatchSummary()
    summary.add(engine.assess(household, dt.date(2025, 7, 15)).to_json())
    result = BatchResult(summary, [])
    assert not result.ok  # the batch command exits 1
    text = format_summary(result)
    assert "determinations with a programme error: 1" in text
    assert "plugin" in text and "programme 'raiser' failed on 1 households" in text and "H-01" in text
    (failure,) = result.to_json()["failures"].values()
    assert failure == {"households": 1, "first": ["H-01"]}


def test_the_notice_csv_carries_a_bom_unless_told_not_to(tmp_path) -> None:
    from assistkit.dev.demo import demo_lines

    population = tmp_path / "p.jsonl"
    population.write_text("".join(demo_lines(20, seed=1)), encoding="utf-8")
    with_bom, without = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run("notice", str(population), "--on", "2025-07-15", "--out", str(with_bom), "--no-progress").exit_code == 0
    assert run("notice", str(population), "--on", "2025-07-15", "--out", str(without), "--no-bom",
               "--no-progress").exit_code == 0
    assert with_bom.read_bytes().startswith(b"\xef\xbb\xbf") and not without.read_bytes().startswith(b"\xef\xbb\xbf")
    assert with_bom.read_bytes()[3:] == without.read_bytes()


def test_batch_on_a_json_document_says_what_it_is_and_what_to_do(tmp_path) -> None:
    from assistkit.dev.demo import demo_lines

    households = [json.loads(line) for line in demo_lines(3, seed=1)]
    listed, pretty = tmp_path / "list.json", tmp_path / "one.json"
    listed.write_text(json.dumps(households, indent=2, ensure_ascii=False), encoding="utf-8")
    pretty.write_text(json.dumps(households[0], indent=2, ensure_ascii=False), encoding="utf-8")
    for path, what in ((listed, "a JSON list"), (pretty, "a JSON object spread over several lines")):
        result = run("batch", str(path), "--on", "2025-07-15", "--no-progress")
        assert result.exit_code == 2, result.output
        assert what in result.output and "not JSON Lines" in result.output and "rejected" not in result.output


def test_compare_takes_a_base_of_locality_and_policies_and_stacks_every_reform(tmp_path) -> None:
    from assistkit.dev.demo import demo_lines

    population = tmp_path / "p.jsonl"
    population.write_text("".join(demo_lines(20, seed=1, on=dt.date(2026, 1, 15))), encoding="utf-8")
    county, raise_ = str(ROOT / "docs/examples/my-county.toml"), str(ROOT / "docs/examples/standard-raise.toml")
    second = tmp_path / "floor.toml"
    second.write_text('[dibao]\nfloor = { 2026-01-01 = 80 }\n', encoding="utf-8")
    out = tmp_path / "summary.json"
    result = run("compare", str(population), "--on", "2026-01-15", "--locality", "demo-city", "--policy", county,
                 "--reform", raise_, "--reform", str(second), "--json", str(out), "--no-progress")
    assert result.exit_code == 0, result.output
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["base"] == "demo-city+my-county.toml"
    assert summary["reform"] == "demo-city+my-county.toml+standard-raise.toml+floor.toml"  # both kept, in order
    assert "base demo-city+my-county.toml → reform demo-city+my-county.toml+standard-raise.toml+floor.toml" in (
        result.output)
    both = run("compare", str(population), "--on", "2026-01-15", "--base", "demo-city", "--policy", county,
               "--reform", raise_)
    assert both.exit_code == 2 and "not both" in both.output
