"""How the time per household scales: with the population size, the household size, and the number of
installed programmes.

    .venv/bin/python benchmarks/scaling.py                                  # all three
    .venv/bin/python benchmarks/scaling.py --sizes 1k,10k,100k --skip-programmes
    .venv/bin/python benchmarks/scaling.py -n 1000 --sizes 1k,10k          # quick

1. **Population size**: a Demo City population of each size is generated, parsed and assessed as a stream in
   one process (nothing is kept: memory stays flat); the figure is the ``Engine.assess`` time per household
   (timed around each call) and the end-to-end time per household (JSON line → determination JSON line,
   ``household_from_json`` + ``assess`` + ``to_json_text``), with the process's peak RSS.
2. **Household size**: ``assess`` median by the number of members (1–6), over one population of ``-n``
   (each household's best of ``--passes``).
3. **Installed programmes**: ``Engine(only=[…])`` with the first k programmes in linkage order (a prefix always
   contains the programmes each one must come after), median ``assess`` over the same population.
4. **Large households, up to the reader's limits** (``assistkit.io`` ``Limits``: 1,000 members, 100,000 records
   of one list): one household of k members (each with a wage record) and one of k income records, each read
   from its JSON line, assessed and written (best of ``--passes``); the time per member or record should stay
   flat as k grows (linear cost), where it grew with k before issue 30 (40,000 members took 32.6 s).

The population-size table times every household once (a stream is not replayed), so it is the one most
sensitive to other load on the machine; run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from collections import defaultdict

from _common import (
    DEFAULT_ON,
    Figures,
    dump_json,
    households,
    machine,
    parse_sizes,
    population_arguments,
    population_lines,
    print_table,
    time_cases,
)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def by_population(sizes: list[int], seed: int) -> list[dict[str, float]]:
    from assistkit.dev.demo import demo_lines
    from assistkit.engine import Engine
    from assistkit.io import household_from_json

    on = DEFAULT_ON
    engine = Engine()
    assess = engine.assess
    for line in demo_lines(200, seed=seed + 1, on=on):  # warm-up
        assess(household_from_json(line), on).to_json_text()
    clock = time.perf_counter_ns
    out = []
    for n in sizes:
        gc.collect()
        assess_ns = total_ns = 0
        for line in demo_lines(n, seed=seed, on=on):
            t0 = clock()
            household = household_from_json(line)
            t1 = clock()
            determination = assess(household, on)
            t2 = clock()
            determination.to_json_text()
            t3 = clock()
            assess_ns += t2 - t1
            total_ns += t3 - t0
        out.append({"households": n, "assess_us": assess_ns / n / 1000, "end_to_end_us": total_ns / n / 1000,
                    "peak_rss_mb": _peak_rss_mb()})
    return out


def by_household_size(n: int, seed: int, passes: int, path: str | None = None) -> dict[int, Figures]:
    from assistkit.engine import Engine

    on = DEFAULT_ON
    engine = Engine()
    people = households(population_lines(n, seed=seed, on=on, path=path))
    groups = defaultdict(list)
    for h in people:
        groups[len(h.members)].append(h)
    for h in people:
        engine.assess(h, on)
    cases = {size: (lambda h: engine.assess(h, on), groups[size]) for size in sorted(groups)}
    return time_cases(cases, passes)  # type: ignore[arg-type]


def by_programmes(n: int, seed: int, passes: int, path: str | None = None) -> list[tuple[str, Figures]]:
    from assistkit.engine import Engine

    on = DEFAULT_ON
    people = households(population_lines(n, seed=seed, on=on, path=path))
    order = [p.name for p in Engine().programmes]
    cases = {}
    for k in range(1, len(order) + 1):
        engine = Engine(only=order[:k])
        for h in people:
            engine.assess(h, on)
        cases[order[k - 1]] = (lambda h, e=engine: e.assess(h, on), people)
    return list(time_cases(cases, passes).items())


def _large_household(members: int, records: int) -> str:
    """One JSON line: a household of ``members`` people (each with one wage record) and ``records`` income
    records in all (the rest on the first member, over 25 years of months)."""
    import json

    people = [{"id": f"P{i}", "name": "王", "birth_date": "1985-03-02",
               "relationship": "head" if i == 0 else "sibling"} for i in range(members)]
    incomes = [{"member": f"P{i}", "category": "wage", "amount": "600", "month": "2025-03"} for i in range(members)]
    incomes += [{"member": "P0", "category": "wage", "amount": "1",
                 "month": f"{2000 + i % 25}-{1 + i // 25 % 12:02d}"} for i in range(records - members)]
    return json.dumps({"id": f"H-{members}-{records}", "residence": "urban", "members": people,
                       "incomes": incomes}, ensure_ascii=False)


def by_large_household(passes: int) -> list[dict[str, object]]:
    from assistkit.engine import Engine
    from assistkit.io import household_from_json
    from assistkit.io._limits import current

    limits = current()
    on = DEFAULT_ON
    engine = Engine()
    cases = [("members", k, _large_household(k, k)) for k in (10, 100, limits.max_members)]
    cases += [("records", k, _large_household(1, k)) for k in (1_000, 10_000, limits.max_records)]
    out = []
    for what, k, line in cases:
        best = float("inf")
        for _ in range(passes):
            t0 = time.perf_counter()
            engine.assess(household_from_json(line), on).to_json_text()
            best = min(best, time.perf_counter() - t0)
        out.append({"what": what, "k": k, "seconds": best, "per_item_us": best / k * 1e6})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k,100k", help="population sizes (default 1k,10k,100k)")
    population_arguments(parser, 3000,
                         households_help="population for the household-size and programme tables (default 3000)",
                         population_help="tables 2 and 3: read the households from this JSONL file instead of "
                                         "generating them")
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--skip-population", action="store_true")
    parser.add_argument("--skip-household", action="store_true")
    parser.add_argument("--skip-programmes", action="store_true")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    print(f"machine: {machine()}\n")
    figures: dict[str, object] = {"machine": machine()}
    if not args.skip_population:
        rows = by_population(parse_sizes(args.sizes), args.seed)
        figures["population"] = rows
        print("1. time per household by population size (one process, streamed)\n")
        print_table(["households", "assess µs/household", "end to end µs/household", "peak RSS MB"],
                    [[f"{r['households']:,}", f"{r['assess_us']:.1f}", f"{r['end_to_end_us']:.1f}",
                      f"{r['peak_rss_mb']:.0f}"] for r in rows])
        first, last = rows[0], rows[-1]
        print(f"\n{last['households']:,} vs {first['households']:,}: assess "
              f"{(last['assess_us'] / first['assess_us'] - 1) * 100:+.1f} %, end to end "
              f"{(last['end_to_end_us'] / first['end_to_end_us'] - 1) * 100:+.1f} %\n")
    if not args.skip_household:
        groups = by_household_size(args.households, args.seed, args.passes, args.population)
        figures["household_size"] = {k: {"households": len(f.samples), "median": f.median,
                                          "p95": f.p95} for k, f in groups.items()}
        print(f"2. Engine.assess by household size ({args.households} households, {args.passes} passes)\n")
        print_table(["members", "households", "median µs", "p95 µs", "median per member µs"],
                    [[str(k), str(len(f.samples)), f"{f.median:.1f}", f"{f.p95:.1f}",
                      f"{f.median / k:.1f}"] for k, f in groups.items()])
        print()
    if not args.skip_programmes:
        steps = by_programmes(args.households, args.seed, args.passes, args.population)
        figures["programmes"] = [{"k": i, "added": name, "median": f.median, "p95": f.p95}
                                 for i, (name, f) in enumerate(steps, 1)]
        print(f"3. Engine.assess by installed programmes (first k in linkage order, {args.households} households)\n")
        rows = []
        before = 0.0
        for i, (name, f) in enumerate(steps, 1):
            rows.append([str(i), f"+ {name}", f"{f.median:.1f}", f"{f.p95:.1f}", f"{f.median - before:+.1f}"])
            before = f.median
        print_table(["k", "programme added", "median µs", "p95 µs", "Δ median µs"], rows)
    if not args.skip_large:
        large = by_large_household(args.passes)
        figures["large_households"] = large
        print("\n4. one large household, end to end (read, assess, write; best of --passes)\n")
        print_table(["household of", "k", "seconds", "µs per member or record"],
                    [[str(r["what"]), f"{r['k']:,}", f"{r['seconds']:.3f}", f"{r['per_item_us']:.1f}"]
                     for r in large])
    dump_json(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
