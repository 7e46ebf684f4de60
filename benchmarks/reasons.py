"""Reasons as data rendered later: ``assistkit explain`` of a ``batch --reasons data`` file is the ``--reasons text``
file, byte for byte, over a generated population (issue 31's must-show), and what each form weighs.

    .venv/bin/python benchmarks/reasons.py                  # 10,000 Demo City households, zh and en
    .venv/bin/python benchmarks/reasons.py -n 2000 --lang zh

Each run is the ``assistkit`` command itself (``batch --workers 2`` for each form, then ``explain``), on the
households of ``assistkit demo-population N --seed S`` (generated into ``--dir``). It prints, per form, the bytes
per household, and then whether the rendered file is the text file (exit 1 if it is not). No timing: the figures
of time are benchmarks/throughput.py's and benchmarks/instructions.py's.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
from pathlib import Path

from _common import DEFAULT_ON, machine

_ASSISTKIT = [sys.executable, "-c", "from assistkit.cli import main; main()"]


def _run(*args: str) -> None:
    done = subprocess.run([*_ASSISTKIT, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"assistkit {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--households", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lang", default="zh,en", help="languages to render and compare (default zh,en)")
    parser.add_argument("--dir", default=os.environ.get("TMPDIR", "/tmp") + "/assistkit-bench-reasons")
    args = parser.parse_args(argv)
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    n = args.households
    population = folder / f"demo-{n}-seed{args.seed}.jsonl"
    if not population.exists():
        _run("demo-population", str(n), "--seed", str(args.seed), "--out", str(population))
    on = DEFAULT_ON.isoformat()
    print(f"machine: {machine()}")
    print(f"population: {n:,} Demo City households (seed {args.seed}), batch --on {on} --workers 2")
    same = True
    data = folder / "data.jsonl"
    _run("batch", str(population), "--on", on, "--workers", "2", "--reasons", "data", "--out", str(data),
         "--no-progress")
    none = folder / "none.jsonl"
    _run("batch", str(population), "--on", on, "--workers", "2", "--reasons", "none", "--out", str(none),
         "--no-progress")
    sizes = {"data": data.stat().st_size, "none": none.stat().st_size}
    for lang in args.lang.split(","):
        text = folder / f"text-{lang}.jsonl"
        _run("batch", str(population), "--on", on, "--workers", "2", "--lang", lang, "--out", str(text),
             "--no-progress")
        sizes[f"text ({lang})"] = text.stat().st_size
        rendered = folder / f"explained-{lang}.jsonl"
        _run("explain", str(data), "--lang", lang, "--out", str(rendered))
        equal = filecmp.cmp(text, rendered, shallow=False)
        same &= equal
        print(f"  explain --lang {lang} of the data file = the text file, byte for byte: {'yes' if equal else 'NO'} "
              f"({rendered.stat().st_size:,} and {text.stat().st_size:,} bytes)")
    for form, size in sizes.items():
        print(f"  --reasons {form:<9} {size / n:>8,.0f} bytes per household")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
