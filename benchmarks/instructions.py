"""Instructions per household, counted by valgrind's callgrind: a figure that does not drift with the machine.

    .venv/bin/python benchmarks/instructions.py                     # every stage, 300 households
    .venv/bin/python benchmarks/instructions.py parse assess -n 500
    .venv/bin/python benchmarks/instructions.py --population FILE   # the same households for two versions
    .venv/bin/python benchmarks/instructions.py chunk --reasons data   # batch --reasons data (text, data, none)

On a shared machine wall-clock time drifts by ±30 % over minutes; an instruction count is the same for the
same code and input whatever else runs (about 50× slower to take). Each stage is run twice under callgrind,
once over ``n`` households and once over none, after the same set-up (imports, the engine, the inputs the
stage needs, all prepared in both runs); the difference divided by ``n`` is the stage's cost per household.

Stages: ``parse`` (:func:`assistkit.io.parse_line`: JSON line → Household), ``assess``
(``Engine.assess``, every installed programme), ``to_json`` (``Determination.to_json``: reasons rendered),
``dumps`` (the batch's encoder), ``chunk`` (everything a batch worker does for a line: its chunk arrives as
one block of lines, :func:`assistkit.population.assess_chunk` splits and assesses it, and the result is pickled
to be sent back), ``compare`` (the same for ``compare``'s chunk, Demo City against its standards raised by 10 %:
two assessments a line, a change record for each household that changed; ``--reasons none`` is compare's
default), ``baseline`` (the hand-written §3 + §5 + §6 of ``baseline.py``) and ``tekun_dibao``
(``Engine(only=["tekun", "dibao"]).assess``, which ``baseline`` is compared with). ``--reasons`` chooses how
``to_json`` and ``chunk`` write the reasons (``batch --reasons``: text, the default, data or none).
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import subprocess
import sys
import tempfile

from _common import population_arguments

STAGES = ("parse", "assess", "to_json", "dumps", "chunk", "compare", "baseline", "tekun_dibao")

REFORM = "[standard]\nurban = { 2025-07-01 = 1155 }\nrural = { 2025-07-01 = 935 }\n"
"""The reform of the ``compare`` stage: Demo City's standards of 2025-07-01 raised by 10 %."""


def _stage(stage: str, n: int, count: int, population: str | None, seed: int, reasons: str = "text") -> None:
    """Run inside valgrind: prepare ``n`` households' inputs, then run ``stage`` over the first ``count``."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from _common import DEFAULT_ON, population_lines

    from assistkit.engine import Engine
    from assistkit.io import household_from_json, parse_line
    from assistkit.population._batch import assess_chunk
    from assistkit.population._pipeline import Job, dumps, engine_for

    on = DEFAULT_ON
    lines = population_lines(n, seed=seed, on=on, path=population)
    raw = [(line + "\n").encode() for line in lines]
    people = [household_from_json(line) for line in lines]
    if stage == "tekun_dibao":
        engine = Engine(only=["tekun", "dibao"])
    else:
        engine = engine_for(Job(on).engine)
    determinations = [engine.assess(h, on) for h in people] if stage in ("to_json", "dumps") else []
    outs = [d.to_json(reasons=reasons) for d in determinations] if stage == "dumps" else []
    job = Job(on, reasons=reasons)
    block = b"".join(raw[:count])  # a chunk as the pool sends it (population._pipeline.blocks)
    # Warm every cache with one household the count never sees.
    warm = people[-1]
    engine.assess(warm, on).to_json(reasons=reasons)
    pickle.dumps(assess_chunk(1, raw[-1], job), pickle.HIGHEST_PROTOCOL)
    if stage == "compare":
        from assistkit.population import EngineSpec
        from assistkit.population._compare import CompareJob, compare_chunk

        reform = os.path.join(tempfile.mkdtemp(), "plus10.toml")
        with open(reform, "w", encoding="utf-8") as f:
            f.write(REFORM)
        compare_job = CompareJob(on, Job(on).engine, EngineSpec("demo-city", (reform,)), reasons=reasons)
        pickle.dumps(compare_chunk(1, raw[-1], compare_job), pickle.HIGHEST_PROTOCOL)
    if stage == "baseline":
        from baseline import Constants, tekun_dibao  # type: ignore[import-not-found]

        constants = Constants(on)
        tekun_dibao(warm, constants)

    if stage == "parse":
        for i in range(count):
            parse_line(i + 1, raw[i])
    elif stage in ("assess", "tekun_dibao"):
        assess = engine.assess
        for i in range(count):
            assess(people[i], on)
    elif stage == "to_json":
        for i in range(count):
            determinations[i].to_json(reasons=reasons)
    elif stage == "dumps":
        for i in range(count):
            dumps(outs[i])
    elif stage == "chunk":
        pickle.dumps(assess_chunk(1, block, job), pickle.HIGHEST_PROTOCOL)
    elif stage == "compare":
        pickle.dumps(compare_chunk(1, block, compare_job), pickle.HIGHEST_PROTOCOL)
    elif stage == "baseline":
        for i in range(count):
            tekun_dibao(people[i], constants)


def _count(stage: str, n: int, count: int, population: str | None, seed: int, reasons: str = "text") -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        cmd = [
            "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--dump-line=no",
            sys.executable, os.path.abspath(__file__), "--_run", stage, "-n", str(n), "--_count", str(count),
            "--seed", str(seed), "--reasons", reasons,
        ]
        if population:
            cmd += ["--population", population]
        done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        found = re.search(r"Collected : (\d+)", done.stderr)
        if done.returncode != 0 or found is None:
            raise SystemExit(f"{stage}: valgrind failed:\n{done.stderr[-3000:]}")
        return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stages", nargs="*", default=[], help=f"stages to count (default all): {', '.join(STAGES)}")
    population_arguments(parser, 300, households_help="households counted (default 300)",
                         population_help="read households from this JSONL file")
    parser.add_argument("--reasons", choices=("text", "data", "none"), default="text",
                        help="how to_json and chunk write the reasons (batch --reasons; default text)")
    parser.add_argument("--_run", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--_count", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._run:
        _stage(args._run, args.households, args._count, args.population, args.seed, args.reasons)
        return 0
    stages = args.stages or list(STAGES)
    for stage in stages:
        if stage not in STAGES:
            parser.error(f"unknown stage {stage!r}; choose from {', '.join(STAGES)}")
    from _common import build  # beside this script, as the other benchmarks import it

    print(f"instructions per household (callgrind, {args.households} households, seed {args.seed}, {build()}, "
          f"--reasons {args.reasons})")
    for stage in stages:
        full = _count(stage, args.households, args.households, args.population, args.seed, args.reasons)
        empty = _count(stage, args.households, 0, args.population, args.seed, args.reasons)
        per = (full - empty) / args.households
        print(f"  {stage:<12} {per / 1000:>10,.1f} k", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
