"""Latency of one household: ``Engine.assess``, end to end (JSON text → determination JSON text), and with the
explanation rendered as text.

    .venv/bin/python benchmarks/latency.py                      # 2000 Demo City households, 5 passes
    .venv/bin/python benchmarks/latency.py -n 500 --passes 1    # quick
    .venv/bin/python benchmarks/latency.py --only tekun,dibao   # a subset of the programmes

Every household of a generated Demo City population (:mod:`assistkit.dev.demo`) is timed once per pass and
keeps its best time over the passes, the passes of the cases interleaved (so another process taking the CPU
for a few seconds does not count); the
figures are the median, p95, p99 and mean over the households, in microseconds. The engine has every installed
programme unless ``--only`` says otherwise. ``assess`` collects the explanation data (reasons) but renders
nothing; ``end to end`` is :func:`assistkit.io.household_from_json` + ``assess`` + ``to_json_text()`` (the
reasons' text rendered into the JSON, as ``assistkit assess`` and ``batch`` write it); ``explain`` is ``assess``
+ :meth:`Determination.explain` (the zh text explanation). A first pass warms the caches and is not counted.
"""

from __future__ import annotations

import argparse
import sys

from _common import (
    DEFAULT_ON,
    dump_json,
    households,
    machine,
    population_arguments,
    population_lines,
    print_table,
    time_cases,
)

TARGETS = {"assess": 100.0, "end to end": 250.0}
"""Median targets in microseconds (benchmarks/README.md)."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    population_arguments(parser, 2000, households_help="population size (default 2000)")
    parser.add_argument("--passes", type=int, default=5, help="timed passes over the population (default 5)")
    parser.add_argument("--only", default=None, help="comma-separated programme names (Engine(only=...))")
    parser.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    from assistkit.engine import Engine
    from assistkit.io import household_from_json

    on = DEFAULT_ON
    lines = population_lines(args.households, seed=args.seed, on=on, path=args.population)
    people = households(lines)
    engine = Engine(only=args.only.split(",") if args.only else None)
    assess = engine.assess

    def end_to_end(text: str) -> str:
        return assess(household_from_json(text), on).to_json_text()

    cases = {
        "assess": (lambda h: assess(h, on), people),
        "end to end": (end_to_end, lines),
        "assess + explain": (lambda h: assess(h, on).explain(), people),
        "assess + to_json": (lambda h: assess(h, on).to_json(), people),
        "household_from_json": (household_from_json, lines),
    }
    for fn, items in cases.values():  # warm-up: caches, lazy imports
        for item in items:
            fn(item)

    print(f"machine: {machine()}")
    print(f"population: {len(lines)} Demo City households (seed {args.seed}), on {on.isoformat()}, "
          f"{sum(len(h.members) for h in people) / len(people):.2f} members each on average")
    print(f"programmes ({len(engine.programmes)}): {', '.join(p.name for p in engine.programmes)}")
    print(f"passes: {args.passes} (each household's best); figures in µs per household\n")
    rows = []
    figures = {}
    for label, f in time_cases(cases, args.passes).items():
        figures[label] = {"median": f.median, "p95": f.p95, "p99": f.p99, "mean": f.mean}
        rows.append(f.row(label))
    print_table(["case", "median", "p95", "p99", "mean"], rows)
    print()
    ok = True
    for label, target in TARGETS.items():
        median = figures[label]["median"]
        met = median <= target
        ok &= met
        print(f"target {label}: median ≤ {target:.0f} µs — {median:.1f} µs {'met' if met else 'NOT met'}")
    dump_json(args.json, {"machine": machine(), "households": len(lines), "programmes":
                          [p.name for p in engine.programmes], "figures": figures})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
