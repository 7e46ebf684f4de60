"""Issue 30, defects 6 and 11: a killed run continues from its last complete line; two runs on one ledger or
one output do not both fail half-way.

``batch -o OUT`` writes ``.OUT.partial`` and renames it at the end; ``batch --resume`` keeps the partial file's
complete lines and goes on from the next input line — the same bytes, and the same summary, as a run never
interrupted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ON, Cli, write_population


def _corrupt(path: Path, every: int) -> None:
    """Damage every ``every``-th line (bad JSON, a bad field, a blank line, a repeated household id)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for i in range(every - 1, len(lines), every):
        kind = (i // every) % 4
        if kind == 0:
            lines[i] = lines[i][: len(lines[i]) // 2]
        elif kind == 1:
            lines[i] = lines[i].replace('"residence":"', '"residence":"x', 1)
        elif kind == 2:
            lines[i] = "   "
        else:
            lines[i] = lines[0]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    path = write_population(tmp_path / "messy.jsonl", 400, seed=3)
    _corrupt(path, 37)
    return path


def test_a_run_killed_anywhere_resumes_to_the_same_bytes(cli: Cli, messy: Path, faulty) -> None:
    clean_out, clean_summary = messy.parent / "clean.jsonl", messy.parent / "clean.json"
    env = faulty("raise", percent=2)
    clean = cli("batch", messy, "--on", ON, "-o", clean_out, "--summary-json", clean_summary, env=env)
    assert clean.returncode == 1, clean.stderr
    out, summary = messy.parent / "out.jsonl", messy.parent / "summary.json"
    partial = messy.parent / ".out.jsonl.partial"
    # Killed part-way (a worker killed on one household), then resumed.
    killed = cli("batch", messy, "--on", ON, "-o", out, "-j", 2, "--chunk-size", 20,
                 env={**env, "FAULTY_KILL": "DC-0000250"})
    assert killed.returncode == 2 and "--resume" in killed.stderr, killed.stderr
    assert partial.stat().st_size < clean_out.stat().st_size
    with open(partial, "ab") as f:
        f.write(b'{"household":"DC-00')  # a half-written last line, as a kill -9 leaves
    resumed = cli("batch", messy, "--on", ON, "-o", out, "--resume", "-j", 2, "--summary-json", summary, env=env)
    assert resumed.returncode == 1, resumed.stderr
    assert "resuming at line" in resumed.stderr
    assert out.read_bytes() == clean_out.read_bytes()
    assert json.loads(summary.read_text()) == json.loads(clean_summary.read_text())
    assert not partial.exists()


def test_resume_refuses_a_partial_output_of_another_run(cli: Cli, messy: Path, tmp_path: Path, faulty) -> None:
    other = write_population(tmp_path / "other.jsonl", 50, seed=9)
    partial = tmp_path / ".out.jsonl.partial"
    first = cli("batch", other, "--on", ON, "-o", tmp_path / "x.jsonl")
    partial.write_bytes((tmp_path / "x.jsonl").read_bytes()[:5000])
    result = cli("batch", messy, "--on", ON, "-o", tmp_path / "out.jsonl", "--resume")
    assert first.returncode == 0 and result.returncode == 2, result.stderr
    assert "no record of the run" in result.stderr
    # A partial output of the same population on another date is not continued either.
    (tmp_path / "out.jsonl.run").unlink(missing_ok=True)
    killed = cli("batch", messy, "--on", ON, "-o", tmp_path / "out.jsonl", "-j", 2, "--chunk-size", 20,
                 env={"FAULTY_KILL": "DC-0000250"} | faulty("raise", percent=0))
    assert killed.returncode == 2, killed.stderr
    result = cli("batch", messy, "--on", "2025-08-01", "-o", tmp_path / "out.jsonl", "--resume")
    assert result.returncode == 2 and "another on ('2025-07-15', now '2025-08-01')" in result.stderr


def _started(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", "from assistkit.cli import main; main()", *args],
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_a_second_run_on_the_same_ledger_or_output_is_refused_at_once(cli: Cli, pop: Path, faulty) -> None:
    funds = pop.parent / "funds.json"
    funds.write_text(json.dumps([{"id": "F1", "name": "fund", "balance": "100000.00", "valid_from": "2025-01-01",
                                  "valid_to": "2025-12-31", "need_kinds": ["medical"],
                                  "per_household_cap": "100.00"}]))
    ledger = pop.parent / "ledger.sqlite"
    out = pop.parent / "out.jsonl"
    first = _started(["batch", str(pop), "--on", ON, "--funds", str(funds), "--ledger", str(ledger), "-o",
                      str(out)], faulty("hang", only="DC-0000030"))
    try:
        deadline = time.monotonic() + 30
        while not (pop.parent / ".out.jsonl.partial").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)
        second = cli("batch", pop, "--on", ON, "--funds", funds, "--ledger", ledger, "-o", pop.parent / "b.jsonl")
        assert second.returncode == 2 and "in use by another run" in second.stderr, second.stderr
        third = cli("batch", pop, "--on", ON, "-o", out)
        assert third.returncode == 2 and "another run is writing it" in third.stderr, third.stderr
        fourth = cli("donations", "match", pop, "--on", ON, "--funds", funds, "--ledger", ledger)
        assert fourth.returncode == 2 and "in use by another run" in fourth.stderr, fourth.stderr
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
