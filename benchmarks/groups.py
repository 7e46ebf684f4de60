"""How many lines ``run_chunk`` should take through each stage at a time (``population._pipeline.GROUP``).

    .venv/bin/python benchmarks/groups.py                          # 20000 households, groups 1,4,6,8,16
    .venv/bin/python benchmarks/groups.py -n 5000 --groups 1,6 --processes 2

A batch worker parses a group of lines, assesses their households, then writes their outputs. This script runs
the batch's chunk function (:func:`assistkit.population.assess_chunk`) over the same chunks with each group
size in turn, changing the size from one chunk to the next (in a rotating order), and adds up the CPU time of
each. Each chunk takes a few tens of milliseconds, so the machine's drift over minutes falls on every size alike:
the sizes can be compared within one run, which separate runs of ``throughput.py`` on this machine cannot do for
a difference of a few per cent.

``--processes 2`` runs that many copies at once, as two workers share the machine's caches. Each copy prints
its own figures: CPU µs per line for each size, and the median over chunks of its CPU time over the first
size's on the same chunk.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from typing import Any

from _common import DEFAULT_ON, machine, population_arguments, population_lines, print_table

CHUNK = 250
"""Lines per chunk, the batch's default."""


def measure(blocks: list[bytes], groups: list[int], passes: int) -> dict[int, tuple[float, float]]:
    """``{group: (CPU µs per line, median ratio to groups[0] over chunks)}`` over ``passes`` passes."""
    from assistkit.population import _pipeline
    from assistkit.population._batch import assess_chunk
    from assistkit.population._pipeline import Job

    job = Job(DEFAULT_ON)
    assess_chunk(1, blocks[0], job)  # the engine, built once, and every cache warm
    total = dict.fromkeys(groups, 0.0)
    ratios: dict[int, list[float]] = {g: [] for g in groups}
    lines = 0
    kept = _pipeline.GROUP
    try:
        for p in range(passes):
            for i, block in enumerate(blocks):
                turn = (i + p) % len(groups)
                spent: dict[int, float] = {}
                for group in groups[turn:] + groups[:turn]:
                    _pipeline.GROUP = group
                    start = time.process_time()
                    result = assess_chunk(1, block, job)
                    spent[group] = time.process_time() - start
                    total[group] += spent[group]
                lines += result.lines
                for group in groups:
                    ratios[group].append(spent[group] / spent[groups[0]] if spent[groups[0]] else 1.0)
    finally:
        _pipeline.GROUP = kept
    return {g: (total[g] / lines * 1e6, statistics.median(ratios[g])) for g in groups}


def _copy(args: tuple[list[bytes], list[int], int]) -> dict[int, tuple[float, float]]:
    return measure(*args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    population_arguments(parser, 20000)
    parser.add_argument("--groups", default="1,4,6,8,16", help="group sizes to compare (the first is the base)")
    parser.add_argument("--passes", type=int, default=1)
    parser.add_argument("--processes", type=int, default=1, help="copies run at once (default 1)")
    args = parser.parse_args(argv)

    groups = [int(g) for g in args.groups.split(",")]
    if not groups or min(groups) < 1:
        parser.error("--groups: sizes of at least 1")
    lines = [(line + "\n").encode() for line in
             population_lines(args.households, seed=args.seed, path=args.population)]
    blocks = [b"".join(lines[i:i + CHUNK]) for i in range(0, len(lines), CHUNK)]
    if args.processes == 1:
        results = [measure(blocks, groups, args.passes)]
    else:
        with multiprocessing.get_context("fork").Pool(args.processes) as pool:
            results = pool.map(_copy, [(blocks, groups, args.passes)] * args.processes)

    print(f"machine: {machine()}")
    print(f"{len(lines)} households in chunks of {CHUNK}, {args.passes} pass(es), {args.processes} process(es) "
          f"at once; the group size changes from chunk to chunk\n")
    header = ["group"]
    for i in range(len(results)):
        name = f" (process {i + 1})" if len(results) > 1 else ""
        header += [f"CPU µs/line{name}", f"median ratio to group {groups[0]}{name}"]
    rows: list[list[Any]] = []
    for g in groups:
        rows.append([str(g)] + [f for r in results for f in (f"{r[g][0]:.1f}", f"{r[g][1]:.3f}")])
    print_table(header, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
