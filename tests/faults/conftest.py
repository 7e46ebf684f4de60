"""What the fault scripts share: a small real population and the real command line in a child process.

Each script under ``tests/faults/`` reproduces one defect of issue 30 against the real ``assistkit`` command
(a child process: its real exit status, its real files) and runs in seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ON = "2025-07-15"

Cli = Callable[..., subprocess.CompletedProcess[str]]


def run_cli(*args: Any, env: dict[str, str] | None = None, timeout: float = 120, **options: Any
            ) -> subprocess.CompletedProcess[str]:
    """``assistkit ARGS`` in a child process."""
    if "stdout" not in options:
        options["capture_output"] = True
    return subprocess.run([sys.executable, "-c", "from assistkit.cli import main; main()", *map(str, args)],
                          text=True, env={**os.environ, **(env or {})}, timeout=timeout, **options)


@pytest.fixture
def cli() -> Cli:
    return run_cli


def write_population(path: Path, n: int, *, seed: int = 0) -> Path:
    """``n`` synthetic Demo City households (``assistkit demo-population``) in ``path``."""
    from assistkit.dev.demo import write_population as write

    with open(path, "w", encoding="utf-8", newline="\n") as f:
        write(f, n, seed=seed)
    return path


@pytest.fixture
def pop(tmp_path: Path) -> Path:
    """A population of 60 households."""
    return write_population(tmp_path / "pop.jsonl", 60)


@pytest.fixture(scope="session")
def faulty_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder to put on ``PYTHONPATH`` holding faulty_plugin.py installed as plugin ``faulty`` (a real entry
    point of group ``assistkit``)."""
    site = tmp_path_factory.mktemp("site")
    (site / "faulty_plugin.py").write_bytes((Path(__file__).parent / "faulty_plugin.py").read_bytes())
    info = site / "assistkit_faulty-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: assistkit-faulty\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[assistkit]\nfaulty = faulty_plugin\n")
    return site


@pytest.fixture
def faulty(faulty_site: Path) -> Callable[..., dict[str, str]]:
    """The environment of a child process with the faulty plugin installed, doing ``mode``."""

    def env(mode: str, percent: int = 1, only: str | None = None) -> dict[str, str]:
        out = {"PYTHONPATH": os.pathsep.join([str(faulty_site), os.environ.get("PYTHONPATH", "")]),
               "FAULTY_MODE": mode, "FAULTY_PERCENT": str(percent)}
        if only is not None:
            out["FAULTY_ONLY"] = only
        return out

    return env
