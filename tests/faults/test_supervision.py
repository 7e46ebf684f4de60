"""Issue 30, defects 2, 3 and 5: plugin code under supervision, one household's failure never the run's end,
workers that die with their parent.

A programme that raises anything — ``SystemExit``, its own ``KeyboardInterrupt``, an arithmetic overflow — or
hangs past the time limit is an error of that programme on that household; every other line is written, the
summary names the plugin, how often and which households, and the exit status is 1. A worker killed stops
the run with a clear error (``--resume`` continues it: test_resume.py); ``kill -9`` of a batch leaves no
worker behind.
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

from .conftest import ON, Cli

ONE = "DC-0000002"  # the household the faulty programme is given to fail on


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("mode", ["raise", "exit", "interrupt", "overflow", "hang", "spin"])
def test_whatever_a_programme_raises_is_its_error_on_that_household(cli: Cli, pop: Path, faulty, mode: str,
                                                                   workers: int) -> None:
    out = pop.parent / "out.jsonl"
    result = cli("batch", pop, "--on", ON, "-o", out, "-j", workers, "--time-limit", "0.5",
                 env=faulty(mode, only=ONE))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = _lines(out)
    assert len(lines) == 60 and all("programmes" in d for d in lines)  # every household, in order
    failed = [d for d in lines if any(e["plugin"] == "faulty" for e in d.get("errors", []))]
    assert [d["household"] for d in failed] == [ONE]
    assert f"plugin 'faulty', programme 'faulty' failed on 1 households: {ONE}" in result.stderr


def test_the_summary_counts_every_failure_and_the_exit_status_is_not_zero(cli: Cli, pop: Path, faulty) -> None:
    out, summary = pop.parent / "out.jsonl", pop.parent / "summary.json"
    result = cli("batch", pop, "--on", ON, "-o", out, "-j", 2, "--summary-json", summary,
                 env=faulty("exit", percent=10))
    assert result.returncode == 1, result.stderr
    failed = [d["household"] for d in _lines(out) if any(e["plugin"] == "faulty" for e in d.get("errors", []))]
    assert failed
    counted = json.loads(summary.read_text())["failures"]["faulty/faulty"]
    assert counted == {"households": len(failed), "first": failed[:10]}


def test_a_clean_run_still_exits_zero(cli: Cli, pop: Path, faulty) -> None:
    result = cli("batch", pop, "--on", ON, "-o", pop.parent / "out.jsonl", env=faulty("raise", only="nobody"))
    assert result.returncode == 0, result.stderr
    assert "failed on" not in result.stderr


@pytest.mark.parametrize("command", ["batch", "review", "notice"])
def test_an_amount_beyond_decimal_range_is_that_lines_error(cli: Cli, pop: Path, command: str) -> None:
    """A huge ``days`` (or land, or deposit) that validation accepts overflows the arithmetic: that line gets
    an error object and the run goes on."""
    lines = pop.read_text(encoding="utf-8").splitlines()
    household = json.loads(lines[3])
    assert household["id"] == "DC-0000004" and household["incomes"]
    household["incomes"].append({"member": "P1", "category": "casual", "days": 10**30, "from": "2025-01",
                                 "to": "2025-06"})
    lines[3] = json.dumps(household, ensure_ascii=False)
    pop.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = pop.parent / "out.jsonl"
    result = cli(command, pop, "--on", ON, "-o", out, "-j", 2)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    if command != "batch":
        assert "out of range in the arithmetic" in result.stderr + out.read_text(encoding="utf-8")
        return
    written = _lines(out)
    assert len(written) == 60
    assert written[3]["line"] == 4 and written[3]["household"] == household["id"]
    assert "out of range in the arithmetic" in written[3]["error"]["message"]
    assert all("programmes" in d for i, d in enumerate(written) if i != 3)


def test_a_killed_worker_stops_the_run_with_a_clear_error_and_keeps_the_lines_before(cli: Cli, pop: Path,
                                                                                      faulty) -> None:
    out = pop.parent / "out.jsonl"
    result = cli("batch", pop, "--on", ON, "-o", out, "-j", 2, "--chunk-size", 5, env=faulty("kill", only="DC-0000031"))
    assert result.returncode == 2, result.stderr
    assert "a worker process stopped abruptly" in result.stderr and "--resume" in result.stderr
    assert not out.exists()  # never renamed into place: a reader cannot take it for a whole run
    assert (pop.parent / ".out.jsonl.partial").exists()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[1].startswith("Z"))


def _descendants(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [int(p) for p in children.read_text().split()] if children.exists() else []
    return [*found, *(d for child in found for d in _descendants(child))]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the workers")
def test_kill_9_of_a_batch_leaves_no_worker_behind(pop: Path, faulty) -> None:
    env = {**os.environ, **faulty("hang", percent=100)}
    parent = subprocess.Popen([sys.executable, "-c", "from assistkit.cli import main; main()", "batch", str(pop),
                               "--on", ON, "-o", str(pop.parent / "out.jsonl"), "-j", "2", "--time-limit", "0"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + 30
    while len(workers) < 3 and time.monotonic() < deadline:  # the command's process and its two workers
        time.sleep(0.1)
        workers = _descendants(parent.pid)
    assert len(workers) == 3
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)
