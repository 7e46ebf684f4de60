"""The benchmark scripts still run, on a handful of households (they print figures; nothing here is timed).

Each script is run as a reader runs it (benchmarks/README.md), with sizes small enough for the test suite. The
figures are not checked — a slow machine may miss a target and the script then exits 1 — but a script must
finish without a traceback and print its table. Two of them also check behaviour while they run, and those
checks are kept: ``baseline.py`` asserts the engine and the hand-written §3 + §5 + §6 agree to the fen on every
household and on the worked examples, and ``throughput.py --keep-output`` that one and two workers write the
same bytes. ``instructions.py`` needs valgrind and minutes; here each stage's code runs once without it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: a target missed on this machine
    return done


def test_latency_prints_every_case():
    out = _run(str(BENCHMARKS / "latency.py"), "-n", "20", "--passes", "1").stdout
    for case in ("| assess ", "| end to end ", "| assess + explain ", "| assess + to_json ",
                 "| household_from_json "):
        assert case in out, out
    assert "target assess: median ≤ 100 µs" in out


def test_baseline_agrees_with_the_engine_to_the_fen():
    done = _run(str(BENCHMARKS / "baseline.py"), "-n", "40", "--passes", "1")
    assert "AssertionError" not in done.stderr
    assert "ratio" in done.stdout, done.stdout


def test_scaling_prints_the_three_tables():
    out = _run(str(BENCHMARKS / "scaling.py"), "--sizes", "100", "-n", "20").stdout
    assert "+ donations" in out, out  # the last row of the table by installed programmes


def test_throughput_writes_the_same_bytes_for_one_and_two_workers(tmp_path):
    out = _run(str(BENCHMARKS / "throughput.py"), "--sizes", "150", "--workers", "1,2", "--dir", str(tmp_path),
               "--keep-output", "--repeat", "2").stdout
    assert "outputs: the same bytes for every worker count" in out, out
    assert "| wall s (best of 2) | median wall s |" in out
    assert "CPU s (main process)" in out


def test_groups_compares_group_sizes():
    out = _run(str(BENCHMARKS / "groups.py"), "-n", "30", "--groups", "1,3", "--processes", "2").stdout
    assert "| 3     |" in out and "median ratio to group 1 (process 2)" in out, out


@pytest.mark.parametrize("stage", ["parse", "assess", "to_json", "dumps", "chunk", "compare", "baseline",
                                   "tekun_dibao"])
def test_instructions_stage_runs(stage):
    # What instructions.py runs under callgrind, run once directly (valgrind would take half a minute a stage).
    _run(str(BENCHMARKS / "instructions.py"), "--_run", stage, "-n", "4", "--_count", "4")


@pytest.mark.parametrize("reasons", ["data", "none"])
def test_instructions_chunk_runs_with_reasons(reasons):
    _run(str(BENCHMARKS / "instructions.py"), "--_run", "chunk", "-n", "4", "--_count", "4", "--reasons", reasons)


def test_throughput_takes_turns_with_reasons(tmp_path):
    out = _run(str(BENCHMARKS / "throughput.py"), "--sizes", "60", "--workers", "2", "--dir", str(tmp_path),
               "--keep-output", "--reasons", "data,text").stdout
    assert "| 60         | 2       | data    |" in out and "| 60         | 2       | text    |" in out, out


def test_reasons_explains_the_data_to_the_text_bytes(tmp_path):
    out = _run(str(BENCHMARKS / "reasons.py"), "-n", "120", "--dir", str(tmp_path)).stdout
    assert "= the text file, byte for byte: yes" in out and "NO" not in out, out


def test_serve_prints_the_load_table():
    pytest.importorskip("uvicorn", reason="the serve extra is not installed")
    out = _run(str(BENCHMARKS / "serve.py"), "-n", "10", "-r", "20", "--seconds", "5", "--batch", "20",
               "--concurrency", "1,4").stdout
    assert "| clients | requests | wall s | requests/s | p50 ms | p95 ms | p99 ms |" in out, out
    assert "| 20                |" in out, out  # the /batch row: every household answered


def test_record_prints_every_step():
    out = _run(str(BENCHMARKS / "record.py"), "-n", "300", "--batch", "100", "--signed").stdout
    for step in ("| append ", "| verify ", "| export ", "| import (into SQLite) "):
        assert step in out, out


def test_openfisca_side_by_side_asks_for_its_own_environment():
    """Without openfisca-core (never a dependency) the script says how to make its environment, and stops."""
    done = subprocess.run([sys.executable, str(BENCHMARKS / "openfisca_side_by_side.py"), "-n", "5"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    if done.returncode == 2 and "openfisca-core is not installed" in done.stderr:
        assert "benchmarks/onerule" in done.stderr and "/tmp/ofvenv" in done.stderr
    else:  # openfisca-core is installed here, but beside the other plugins: the script refuses them
        assert done.returncode == 2 and "not the one rule alone" in done.stderr, done.stderr


def test_the_one_rule_is_what_the_benchmark_gives_openfisca():
    """The plugin of the side-by-side benchmark (benchmarks/onerule) pays max(0, S × members − last month's
    income) to the fen on the benchmark's households, counted here from the records themselves."""
    import datetime as dt
    import importlib
    import json
    from decimal import Decimal

    from assistkit.engine import Engine
    from assistkit.io import household_from_json

    sys.path[:0] = [str(BENCHMARKS / "onerule" / "src"), str(BENCHMARKS)]
    try:
        hooks = importlib.import_module("assistkit_onerule.hooks")
        script = importlib.import_module("openfisca_side_by_side")
    finally:
        del sys.path[:2]
    on = dt.date(2025, 7, 15)
    engine = Engine([hooks])
    assert [p.name for p in engine.programmes] == ["onerule"]
    standard = script.standards(on)
    paid = 0
    for line in script.generate(300, 7, on):
        data = json.loads(line)
        income = sum((Decimal(r["amount"]) for r in data.get("incomes", ()) if r["month"] == "2025-06"),
                     Decimal(0))
        expected = max(Decimal(0), standard[data["residence"]] * len(data["members"]) - income)
        determination = engine.assess(household_from_json(line), on).to_json()
        programme = determination["programmes"]["onerule"]
        assert Decimal(programme.get("monthly", "0")) == expected, (data["id"], programme)
        assert [r["rule"] for r in programme["reasons"]] == ["onerule.top_up"]
        paid += expected > 0
    assert 50 < paid < 300  # some households are paid, and some are not
