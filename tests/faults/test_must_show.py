"""Issue 30's must-show run, shrunk to 5,000 households (benchmarks/faults.py runs the 50,000): 1 % corrupt
lines, a plugin raising on 1 % of households, a worker killed, the parent SIGKILLed while resuming, resumed to
the end — byte-identical to a clean run, every good household present, exit status 1, every failure named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_nothing_is_lost_under_faults(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "faults.py"), "-n", "5000", "--dir",
                           str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stdout + done.stderr
    assert "FAIL" not in done.stdout and done.stdout.count("  ok ") == 7, done.stdout
