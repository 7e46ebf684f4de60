"""`assistkit compare` and assistkit.population.compare: a reform against Demo City, checked household by
household."""

from __future__ import annotations

import collections
import datetime as dt
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from assistkit import io
from assistkit.cli._compare import compare as compare_cmd
from assistkit.dev.demo import demo_lines
from assistkit.engine import Engine
from assistkit.population import BUCKETS, compare

ON = dt.date(2025, 7, 15)
REFORM = "[standard]\nurban = { 2025-07-01 = 1155 }\n"  # urban standard 1050 → 1155 (+10 %) from 2025-07-01


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    reform = folder / "reform.toml"
    reform.write_text(REFORM, encoding="utf-8")
    population = folder / "pop.jsonl"
    population.write_text("".join(demo_lines(1500, seed=77)), encoding="utf-8")
    with open(population, "rb") as src:
        result = compare(src, ON, "demo-city", str(reform), workers=2, chunk_size=100)
    return population, reform, result


def held(d):
    out = set(d.household_statuses)
    for statuses in d.member_statuses.values():
        out.update(statuses)
    return out


def test_reform_raises_the_urban_standard_by_a_tenth(setup):
    _population, reform, _result = setup
    engine = Engine(policy_files=[str(reform)])
    params = engine.policy.at(ON)
    assert params["standard.urban"] == Decimal("1155")
    assert params["standard.rural"] == Decimal("850")
    assert engine.policy.at(dt.date(2025, 6, 30))["standard.urban"] == Decimal("1000")  # history kept


def test_counts_and_costs_equal_a_direct_computation(setup):
    population, reform, result = setup
    base_engine, reform_engine = Engine(), Engine(policy_files=[str(reform)])
    monthly_base, monthly_reform = collections.Counter(), collections.Counter()
    one_off_base, one_off_reform = collections.Counter(), collections.Counter()
    gained, lost = collections.Counter(), collections.Counter()
    deltas, changed, histogram = [], 0, [0] * len(BUCKETS)
    for record in io.read_jsonl(population):
        b = base_engine.assess(record.household, ON)
        r = reform_engine.assess(record.household, ON)
        for p in b.programmes:
            monthly_base[p.name] += p.monthly
            one_off_base[p.name] += p.one_off
        for p in r.programmes:
            monthly_reform[p.name] += p.monthly
            one_off_reform[p.name] += p.one_off
        gained.update(held(r) - held(b))
        lost.update(held(b) - held(r))
        delta = r.monthly_total - b.monthly_total
        fen = int(delta * 100)
        histogram[
            next(
                i
                for i, (_l, lo, hi) in enumerate(BUCKETS)
                if (lo is None or fen >= lo) and (hi is None or fen < hi)
            )
        ] += 1
        differs = held(b) != held(r) or any(
            (x.eligible, x.monthly, x.one_off) != (y.eligible, y.monthly, y.one_off)
            for x, y in zip(b.programmes, r.programmes, strict=True)
        )
        if differs:
            changed += 1
            deltas.append((delta, record.line, record.household.id))
    assert result.households == result.assessed == 1500 and result.rejected == 0
    assert result.changed == changed > 0
    for name in result.programmes:
        assert result.monthly_base[name] == monthly_base[name], name
        assert result.monthly_reform[name] == monthly_reform[name], name
        assert result.one_off_base[name] == one_off_base[name], name
        assert result.one_off_reform[name] == one_off_reform[name], name
        assert result.monthly_delta[name] == monthly_reform[name] - monthly_base[name]
    assert result.monthly_delta["dibao"] > 0
    assert dict(result.gained) == {k: v for k, v in gained.items() if v}
    assert dict(result.lost) == {k: v for k, v in lost.items() if v}
    assert result.gained["dibao"] > 0
    assert [n for _label, n in result.histogram] == histogram
    values = sorted(d for d, _line, _h in deltas)
    assert result.quantiles["min"] == values[0] and result.quantiles["max"] == values[-1]
    assert result.quantiles["median"] == values[(len(values) + 1) // 2 - 1]
    losers = sorted((d, line, h) for d, line, h in deltas if d < 0)[:10]
    assert [(m.delta, m.line, m.household) for m in result.losers] == losers


def test_cli_prints_aggregates_and_writes_changes(setup, tmp_path):
    population, reform, result = setup
    out, summary = tmp_path / "changes.jsonl", tmp_path / "summary.json"
    cli = CliRunner().invoke(
        compare_cmd,
        [
            str(population),
            "--on",
            "2025-07-15",
            "--base",
            "demo-city",
            "--reform",
            str(reform),
            "--out",
            str(out),
            "--json",
            str(summary),
        ],
    )
    assert cli.exit_code == 0, cli.output
    assert "base demo-city → reform demo-city+reform.toml" in cli.output
    assert "biggest losers" in cli.output or not result.losers
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == result.changed
    first = records[0]
    assert set(first) >= {"line", "household", "statuses", "monthly", "one_off", "programmes"}
    assert Decimal(first["monthly"]["delta"]) == Decimal(first["monthly"]["reform"]) - Decimal(
        first["monthly"]["base"]
    )
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert data["changed"] == result.changed
    assert data["programmes"]["dibao"]["monthly"]["delta"] == f"{result.monthly_delta['dibao']:.2f}"


def test_a_rejected_line_is_reported_and_the_rest_compared(tmp_path):
    population = tmp_path / "pop.jsonl"
    population.write_text("".join(demo_lines(20, seed=1)) + "{oops\n", encoding="utf-8")
    cli = CliRunner().invoke(
        compare_cmd,
        [str(population), "--on", "2025-07-15", "--base", "demo-city", "--reform", "demo-city", "--out", "-"],
    )
    assert cli.exit_code == 1
    assert '"line":21' in cli.output and "0 changed" in cli.output


def test_plot_needs_matplotlib_or_draws(setup, tmp_path):
    population, reform, _result = setup
    png = tmp_path / "chart.png"
    cli = CliRunner().invoke(
        compare_cmd,
        [
            str(population),
            "--on",
            "2025-07-15",
            "--base",
            "demo-city",
            "--reform",
            str(reform),
            "--plot",
            str(png),
        ],
    )
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert cli.exit_code == 2 and "assistkit[plot]" in cli.output
    else:
        assert cli.exit_code == 0 and png.read_bytes().startswith(b"\x89PNG")
