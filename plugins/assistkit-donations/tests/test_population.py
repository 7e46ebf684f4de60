"""The population second pass: the first pass in any chunks and any number of workers gives the same output,
and the ``assistkit donations`` commands (match with a ledger, statement)."""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import assistkit_basic_living.hooks
import assistkit_donations.hooks
import assistkit_education.hooks
import assistkit_housing.hooks
import assistkit_medical.hooks
import assistkit_temporary.hooks
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit import io
from assistkit.cli._donations import donations
from assistkit.dev import demo
from assistkit.engine import Engine
from assistkit.population.donations import match
from assistkit.population.ledger import SqliteLedger

PLUGINS = (assistkit_basic_living.hooks, assistkit_medical.hooks, assistkit_education.hooks,
           assistkit_housing.hooks, assistkit_temporary.hooks, assistkit_donations.hooks)
ON = demo.DEFAULT_ON
N = 240
HOUSEHOLDS = list(demo.generate(N, seed=11))
FUNDS_JSON = [
    {"id": "F-sick", "name": "大病救助基金", "balance": "60000", "need_kinds": ["medical"],
     "statuses": ["tekun", "dibao", "marginal"], "per_household_cap": "3000", "valid_from": "2025-01-01",
     "valid_to": "2025-09-30"},
    {"id": "F-all", "name": "爱心基金", "balance": "40000", "need_kinds": ["medical", "tuition", "emergency"],
     "per_household_cap": "2000", "valid_from": "2025-01-01", "valid_to": "2025-12-31"},
    {"id": "F-school", "name": "助学基金", "balance": "8000", "need_kinds": ["tuition"],
     "per_household_cap": "1000", "valid_from": "2025-06-01", "valid_to": "2025-08-15"},
]
FUNDS = io.structure_funds(FUNDS_JSON)

_engine: Engine | None = None


def _assess_chunk(chunk: list[dict[str, Any]]) -> list[Any]:
    """The first pass over one chunk (module level, so worker processes can run it)."""
    global _engine
    if _engine is None:
        _engine = Engine(plugins=list(PLUGINS))
    return [x if isinstance(x, io.Rejected) else x.to_json() for x in _engine.assess_many(chunk, ON)]


def _chunks(cuts: list[int]) -> list[list[dict[str, Any]]]:
    bounds = [0, *sorted(set(cuts)), N]
    return [HOUSEHOLDS[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _second_pass(first: list[Any]) -> tuple[list[Any], Any]:
    matching = match(first, FUNDS, ON)
    return list(matching), matching.summary


@pytest.fixture(scope="module")
def sequential() -> tuple[list[Any], Any]:
    return _second_pass(_assess_chunk(HOUSEHOLDS))


def test_the_population_exercises_the_funds(sequential):
    out, summary = sequential
    assert summary.households > 20
    totals = {t.fund: t for t in summary.funds}
    assert totals["F-sick"].allocated > 0
    assert totals["F-all"].balance_after == 0, "a fund runs out mid-population"
    served = sum(bool(d["programmes"]["donations"]["payments"]) for d in out if "programmes" in d)
    assert served == summary.households


@settings(max_examples=12, deadline=None)
@given(cuts=st.lists(st.integers(1, N - 1), max_size=12), workers=st.integers(1, 4))
def test_any_chunking_and_any_worker_count_give_the_same_output(sequential, cuts, workers):
    with ThreadPoolExecutor(workers) as pool:
        parts = list(pool.map(_assess_chunk, _chunks(cuts)))
    first = [d for part in parts for d in part]
    assert _second_pass(first) == sequential


def test_worker_processes_give_the_same_output(sequential):
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        parts = list(pool.map(_assess_chunk, _chunks([37, 90, 91, 200])))
    assert _second_pass([d for part in parts for d in part]) == sequential


def test_json_lines_give_the_same_output(sequential):
    lines = [json.dumps(d, ensure_ascii=False) for d in _assess_chunk(HOUSEHOLDS)]
    assert _second_pass(lines) == sequential


# -- the command line
# -----------------------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    population = tmp_path / "pop.jsonl"
    population.write_text("".join(json.dumps(h, ensure_ascii=False) + "\n" for h in HOUSEHOLDS[:120]),
                          encoding="utf-8")
    funds = tmp_path / "funds.json"
    funds.write_text(json.dumps(FUNDS_JSON, ensure_ascii=False), encoding="utf-8")
    return {"population": population, "funds": funds, "ledger": tmp_path / "ledger.db",
            "out": tmp_path / "o.jsonl"}


def run(*args: str) -> Any:
    return CliRunner().invoke(donations, list(args), catch_exceptions=False)


def test_match_prints_the_fund_summary(files):
    result = run("match", str(files["population"]), "--funds", str(files["funds"]), "--on", ON.isoformat())
    assert result.exit_code == 0, result.output
    for text in ("F-sick", "大病救助基金", "balance before", "allocated", "balance after", "households",
                 "total"):
        assert text in result.output


def test_match_with_a_ledger_commits_and_a_rerun_changes_nothing(files):
    args = ("match", str(files["population"]), "--funds", str(files["funds"]), "--on", ON.isoformat(),
            "--ledger", str(files["ledger"]), "--format", "json", "-o", str(files["out"]))
    first = run(*args)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output)
    output = files["out"].read_bytes()
    with SqliteLedger(files["ledger"]) as ledger:
        balances = ledger.balances()
        assert balances == {f["fund"]: Decimal(f["balance_after"]) for f in summary["funds"]}
        assert ledger.check() == []
    lines = [json.loads(line) for line in output.decode().splitlines()]
    assert len(lines) == 120
    allocated = sum(Decimal(p["amount"]) for d in lines for p in d["programmes"]["donations"]["payments"])
    assert allocated == Decimal(summary["allocated"]) > 0
    again = run(*args, "--no-sync")
    assert json.loads(again.output) == summary
    assert files["out"].read_bytes() == output
    with SqliteLedger(files["ledger"]) as ledger:
        assert ledger.balances() == balances
    statement = run("statement", str(files["ledger"]), "--fund", "F-sick")
    assert statement.exit_code == 0
    assert "open:F-sick" in statement.output
    assert statement.output.rstrip().endswith(f"balance {balances['F-sick']:.2f}")
    as_json = json.loads(run("statement", str(files["ledger"]), "--format", "json").output)
    assert [s["fund"] for s in as_json] == ["F-all", "F-school", "F-sick"]


def test_rejected_households_are_reported_and_the_others_matched(files):
    with files["population"].open("a", encoding="utf-8") as f:
        f.write('{"id": "BAD", "residence": "urban", "members": []}\n')
    result = CliRunner().invoke(donations, [
        "match", str(files["population"]), "--funds", str(files["funds"]), "--on", ON.isoformat(),
        "-o", str(files["out"])])
    assert result.exit_code == 1
    assert "BAD" in result.stderr
    last = json.loads(files["out"].read_text(encoding="utf-8").splitlines()[-1])
    assert last["household"] == "BAD" and last["error"]["path"] == "members"


def test_bad_funds_are_reported(files):
    files["funds"].write_text('[{"id": "F1"}]', encoding="utf-8")
    result = CliRunner().invoke(donations, [
        "match", str(files["population"]), "--funds", str(files["funds"]), "--on", ON.isoformat()])
    assert result.exit_code == 2
    assert "[0].balance" in result.stderr
