"""What the benchmark scripts share: the machine, the population, and the figures they print.

Not a test module and not part of the package: the scripts of this folder import it as a sibling.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

__all__ = [
    "DEFAULT_ON",
    "Figures",
    "build",
    "households",
    "machine",
    "parse_sizes",
    "population_arguments",
    "population_lines",
    "print_table",
    "time_cases",
    "time_each",
]

DEFAULT_ON = dt.date(2025, 7, 15)
"""The assessment date of the Demo City population (and of the spec's worked examples)."""


def machine() -> str:
    """One line naming the machine: CPU model, cores, Python, and the build of assistkit measured."""
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cores = os.cpu_count()
    python = f"Python {platform.python_version()} ({platform.python_implementation()})"
    return f"{model}, {cores} cores (nproc), {python}, {build()}"


def build() -> str:
    """Which build of assistkit runs: ``pure Python`` or ``compiled (mypyc)`` (docs/performance.md)."""
    import assistkit

    return "assistkit compiled (mypyc)" if assistkit.compiled() else "assistkit pure Python"


def population_arguments(parser: Any, households: int, *, households_help: str | None = None,
                         population_help: str = "read the households from this JSONL file instead of generating "
                                                "them") -> None:
    """The options every script takes to choose its households: ``-n/--households``, ``--seed`` (of the
    generated Demo City population) and ``--population FILE`` (the first ``n`` lines of a JSONL file instead)."""
    parser.add_argument("-n", "--households", type=int, default=households, help=households_help)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--population", default=None, metavar="FILE", help=population_help)


def population_lines(n: int, *, seed: int = 0, on: dt.date = DEFAULT_ON, path: str | None = None) -> list[str]:
    """``n`` Demo City households (:mod:`assistkit.dev.demo`) as JSON Lines text, one household per item; or the
    first ``n`` lines of the JSONL file ``path`` (to time two versions of the code on the same households)."""
    if path is not None:
        out = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                if len(out) == n:
                    break
                if line.strip():
                    out.append(line.rstrip("\n"))
        return out
    from assistkit.dev.demo import demo_lines

    return [line.rstrip("\n") for line in demo_lines(n, seed=seed, on=on)]


def households(lines: Iterable[str]) -> list[Any]:
    """The lines parsed strictly (:func:`assistkit.io.household_from_json`)."""
    from assistkit.io import household_from_json

    return [household_from_json(line) for line in lines]


class Figures:
    """Latencies in nanoseconds, summarised in microseconds."""

    def __init__(self, samples: Sequence[int]) -> None:
        self.samples = sorted(samples)

    def _at(self, q: float) -> float:
        s = self.samples
        return s[min(len(s) - 1, int(q * len(s)))] / 1000

    @property
    def median(self) -> float:
        return statistics.median(self.samples) / 1000

    @property
    def p95(self) -> float:
        return self._at(0.95)

    @property
    def p99(self) -> float:
        return self._at(0.99)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.samples) / 1000

    def row(self, label: str) -> list[str]:
        return [label, f"{self.median:.1f}", f"{self.p95:.1f}", f"{self.p99:.1f}", f"{self.mean:.1f}"]


def time_each(fn: Callable[[Any], Any], items: Sequence[Any], passes: int = 3) -> Figures:
    """:func:`time_cases` for one case."""
    return time_cases({"": (fn, items)}, passes)[""]


def time_cases(cases: dict[str, tuple[Callable[[Any], Any], Sequence[Any]]], passes: int = 5) -> dict[str, Figures]:
    """Call each case's function on each of its items, ``passes`` times over; each item's sample is its best
    (least) time over the passes. The passes of the cases are interleaved (pass 1 of every case, then pass 2,
    …), so a few seconds in which another process has the CPU spoil one pass of each case and no case
    entirely: the figures describe the code, not the machine's load. Results are dropped at once (a batch
    keeps no determination alive either), and the garbage collector stays on, so its pauses are in the
    figures."""
    clock = time.perf_counter_ns
    best = {label: [0] * len(items) for label, (_, items) in cases.items()}
    for p in range(passes):
        for label, (fn, items) in cases.items():
            mine = best[label]
            for i, item in enumerate(items):
                start = clock()
                fn(item)
                t = clock() - start
                if p == 0 or t < mine[i]:
                    mine[i] = t
    return {label: Figures(samples) for label, samples in best.items()}


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, out: Any = None) -> None:
    """A Markdown table, columns padded."""
    out = out or sys.stdout
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    print(line(header), file=out)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|", file=out)
    for r in rows:
        print(line(r), file=out)


def parse_sizes(text: str) -> list[int]:
    """``"10000,100000,1M"`` → ``[10000, 100000, 1000000]`` (``k`` and ``M`` suffixes allowed)."""
    out = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        scale = 1
        if part.endswith("k"):
            scale, part = 1000, part[:-1]
        elif part.endswith("m"):
            scale, part = 1_000_000, part[:-1]
        out.append(int(float(part) * scale))
    return out


def dump_json(path: str | None, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` when given (figures for the README or a comparison)."""
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, ensure_ascii=False)
            f.write("\n")
