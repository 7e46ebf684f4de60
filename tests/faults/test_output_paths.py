"""Issue 30, defects 1 and 8: an output over an input, a full disk, a missing directory.

Every command that writes refuses an output path that is one of its inputs (or the ledger, the record, another
output), writes a temporary file beside the output and renames it into place only when everything is written;
a full disk or a missing directory is one line naming the path, never a traceback or a half-written file.
"""

from __future__ import annotations

import json
import resource
import signal
from pathlib import Path

import pytest

from .conftest import ON, Cli

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "01-urban-dibao-wage.json"


@pytest.mark.parametrize("command", [
    ["batch", "{pop}", "--on", ON, "-o", "{pop}"],
    ["batch", "{pop}", "--on", ON, "--summary-json", "{pop}"],
    ["batch", "{pop}", "--on", ON, "--duplicates", "{pop}"],
    ["review", "{pop}", "--on", ON, "-o", "{pop}"],
    ["review", "{pop}", "--on", ON, "--summary-json", "{pop}"],
    ["compare", "{pop}", "--on", ON, "--base", "demo-city", "--reform", "demo-city", "-o", "{pop}"],
    ["compare", "{pop}", "--on", ON, "--base", "demo-city", "--reform", "demo-city", "--json", "{pop}"],
    ["notice", "{pop}", "--on", ON, "-o", "{pop}"],
    ["batch", "{pop}", "--on", ON, "-o", "{dir}/same.jsonl", "--summary-json", "{dir}/same.jsonl"],
])
def test_an_output_over_an_input_is_refused_and_the_input_kept(cli: Cli, pop: Path, command: list[str]) -> None:
    before = pop.read_bytes()
    args = [a.format(pop=pop, dir=pop.parent) for a in command]
    result = cli(*args)
    assert result.returncode == 2, result.stderr
    assert "error: " in result.stderr and "Traceback" not in result.stderr
    assert pop.read_bytes() == before


def test_the_ledger_is_never_an_output(cli: Cli, pop: Path, tmp_path: Path) -> None:
    funds = tmp_path / "funds.json"
    funds.write_text(json.dumps([{"id": "F1", "name": "fund", "balance": "1000.00", "valid_from": "2025-01-01",
                                  "valid_to": "2025-12-31", "need_kinds": ["medical"],
                                  "per_household_cap": "100.00"}]))
    ledger = tmp_path / "ledger.sqlite"
    first = cli("batch", pop, "--on", ON, "--funds", funds, "--ledger", ledger, "-o", tmp_path / "out.jsonl")
    assert first.returncode in (0, 1), first.stderr
    kept = ledger.read_bytes()
    for option in ("-o", "--summary-json", "--duplicates"):
        result = cli("batch", pop, "--on", ON, "--funds", funds, "--ledger", f"sqlite:///{ledger}", option, ledger)
        assert result.returncode == 2 and "--ledger" in result.stderr, result.stderr
        assert ledger.read_bytes() == kept
    result = cli("donations", "match", pop, "--on", ON, "--funds", funds, "--ledger", ledger, "-o", ledger)
    assert result.returncode == 2 and "--ledger" in result.stderr, result.stderr
    assert ledger.read_bytes() == kept


def test_a_record_or_an_export_over_an_input_is_refused(cli: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "example.json"
    copy.write_bytes(EXAMPLE.read_bytes())
    result = cli("recompute", copy, "--from", "2025-05", "--to", "2025-06", "--record", copy, "--recorder", "x")
    assert result.returncode == 2 and "FILE" in result.stderr, result.stderr
    result = cli("issue", copy, "-o", copy)
    assert result.returncode == 2 and "FILE" in result.stderr, result.stderr
    assert copy.read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.parametrize("command", [
    ["batch", "{pop}", "--on", ON, "-o", "{out}"],
    ["batch", "{pop}", "--on", ON, "-o", "{dir}/b.jsonl", "--summary-json", "{out}"],
    ["review", "{pop}", "--on", ON, "-o", "{out}"],
    ["notice", "{pop}", "--on", ON, "-o", "{out}"],
    ["schema", "household", "-o", "{out}"],
    ["demo-population", "3", "-o", "{out}"],
])
def test_a_missing_directory_is_one_line_naming_it(cli: Cli, pop: Path, command: list[str]) -> None:
    out = pop.parent / "no" / "such" / "out.txt"
    result = cli(*[a.format(pop=pop, dir=pop.parent, out=out) for a in command])
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"error: {out}: cannot write: no such directory {out.parent}"


def _small_disk() -> None:
    """In the child: files may not grow past 4 KB, and writing past it fails with EFBIG (as a full disk
    fails with ENOSPC) instead of killing the process."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4 << 10, 4 << 10))


@pytest.mark.parametrize("command", ["review", "batch"])
def test_a_full_disk_leaves_the_old_output_whole(cli: Cli, pop: Path, command: str) -> None:
    out = pop.parent / "out.jsonl"
    out.write_text("the previous run's output\n")
    result = cli(command, pop, "--on", ON, "-o", out, preexec_fn=_small_disk)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(f"error: {out}: cannot write: File too large")
    assert out.read_text() == "the previous run's output\n"
    # review leaves no temporary file; batch keeps its partial output for --resume
    left = sorted(p.name for p in pop.parent.iterdir())
    assert left == (["out.jsonl", "pop.jsonl"] if command == "review" else
                    [".out.jsonl.partial", ".out.jsonl.partial.run", "out.jsonl", "pop.jsonl"])


def test_a_full_stdout_is_a_clean_error(cli: Cli, pop: Path) -> None:
    with open("/dev/full", "w") as full:
        result = cli("batch", pop, "--on", ON, stdout=full, stderr=-1)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "<stdout>: cannot write" in result.stderr


def test_a_finished_output_replaces_the_old_one_keeping_its_permissions(cli: Cli, pop: Path) -> None:
    out = pop.parent / "out.jsonl"
    out.write_text("old\n")
    out.chmod(0o640)
    result = cli("batch", pop, "--on", ON, "-o", out)
    assert result.returncode in (0, 1), result.stderr
    assert len(out.read_text().splitlines()) == 60
    assert out.stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("command", [
    ["batch", "{pop}", "--on", ON, "-o", "{fifo}"],
    ["batch", "{pop}", "--on", ON, "-o", "{fifo}", "--summary-json", "{fifo}"],
    ["review", "{pop}", "--on", ON, "-o", "{fifo}"],
])
def test_a_named_pipe_or_a_device_is_written_in_place_never_replaced(cli: Cli, pop: Path, tmp_path: Path,
                                                                     command: list[str]) -> None:
    """``-o /dev/null`` once renamed a regular file over the device (found by benchmarks/throughput.py, run as
    root): an output that is not a regular file is written as it is. A named pipe stands for the device here,
    so that a regression cannot replace the machine's /dev/null."""
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def drain() -> None:
        while True:  # each writer opens and closes the pipe once; read until the command has ended
            with open(fifo, "rb") as f:
                received.append(f.read())
            if done.is_set():
                return

    done = threading.Event()
    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    result = cli(*[a.format(pop=pop, fifo=fifo) for a in command])
    done.set()
    with open(fifo, "wb"):  # let the reader's last open return
        pass
    reader.join(timeout=30)
    assert result.returncode in (0, 1), result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b'"household"' in b"".join(received) or b'"id"' in b"".join(received)
    assert not list(tmp_path.glob(".pipe*"))
