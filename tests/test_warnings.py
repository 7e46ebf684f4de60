"""Warnings are data: each code is given when it should be, counted in the summaries, and absent otherwise."""

from __future__ import annotations

import datetime as dt
import io as _io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistkit import io
from assistkit.cli import main
from assistkit.dev.demo import demo_lines
from assistkit.engine import Engine
from assistkit.population import batch

EXAMPLE = Path(__file__).parent / "examples" / "01-urban-dibao-wage.json"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def household(**extra):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))["household"]
    data.update(extra)
    return io.structure_household(data)


def test_the_examples_have_no_warnings_and_no_warnings_key(engine) -> None:
    for path in sorted(EXAMPLE.parent.glob("*.json")):
        example = json.loads(path.read_text(encoding="utf-8"))
        d = engine.assess(io.structure_household(example["household"]), dt.date.fromisoformat(example["on"]))
        assert d.warnings == () and "warnings" not in d.to_json()


def test_no_income_record_in_the_window_while_records_exist_outside_it(engine) -> None:
    # Example 01's records are of 2025-01…2025-06; on 2026-03-15 the window is 2025-09…2026-02.
    d = engine.assess(household(), dt.date(2026, 3, 15))
    [warning] = d.to_json()["warnings"]
    assert warning["code"] == "warning.income_outside_window"
    assert warning["values"]["first"] == "2025-09" and warning["values"]["last"] == "2026-02"
    assert "收入按 0 计" in warning["message"]["zh"] and "counts as 0" in warning["message"]["en"]
    assert d.income is not None and d.income.countable == 0
    assert "收入按 0 计" in d.explain("zh").splitlines()[1]


def test_a_record_entirely_after_the_window(engine) -> None:
    h = household()
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))["household"]
    data["incomes"].append({"member": "P1", "category": "wage", "month": "2025-07", "amount": "900.00"})
    d = engine.assess(io.structure_household(data), dt.date(2025, 7, 15))
    codes = [w["code"] for w in d.to_json()["warnings"]]
    assert codes == ["warning.income_after_window"]
    assert d.to_json()["warnings"][0]["values"]["earliest"] == "2025-07"
    assert engine.assess(h, dt.date(2025, 7, 15)).warnings == ()


def test_on_defaulted_to_today_by_assess(tmp_path) -> None:
    path = tmp_path / "h.json"
    path.write_text(json.dumps(json.loads(EXAMPLE.read_text(encoding="utf-8"))["household"]), encoding="utf-8")
    result = CliRunner().invoke(main, ["assess", str(path)])
    assert result.exit_code == 0, result.output
    codes = [w["code"] for w in json.loads(result.output)["warnings"]]
    assert "warning.on_defaulted" in codes
    given = CliRunner().invoke(main, ["assess", str(path), "--on", "2025-07-15"])
    assert "warnings" not in json.loads(given.output)


def test_batch_counts_the_warnings_in_its_summary(engine) -> None:
    lines = list(demo_lines(30, seed=2, on=dt.date(2025, 7, 15)))
    out = _io.BytesIO()
    far = batch(lines, out, dt.date(2026, 9, 15))
    with_incomes = sum(1 for line in lines if json.loads(line).get("incomes"))
    assert 0 < with_incomes <= 30
    assert far.summary.with_warnings == with_incomes
    assert far.summary.to_json()["warnings"] == {"warning.income_outside_window": with_incomes}
    near = batch(lines, _io.BytesIO(), dt.date(2025, 7, 15))
    assert near.summary.with_warnings == 0 and near.summary.to_json()["warnings"] == {}


def test_a_determination_with_warnings_keeps_to_its_schema(engine) -> None:
    import jsonschema

    from assistkit.schema import determination_schema

    out = engine.assess(household(), dt.date(2026, 3, 15)).with_warnings().to_json()
    assert out["warnings"]
    jsonschema.validate(out, determination_schema())
