"""assistkit and OpenFisca-Core side by side: the same one-rule minimum living benefit on the same households.

    /tmp/ofvenv/bin/python benchmarks/openfisca_side_by_side.py                 # 2,000 for latency, 100k batch
    /tmp/ofvenv/bin/python benchmarks/openfisca_side_by_side.py -n 200 --batch 5000 --passes 1    # quick

Runs only where ``openfisca-core`` is installed, in an environment of its own that holds the assistkit core and
the one-rule plugin (``benchmarks/onerule``) and no other plugin — the install line is in benchmarks/README.md.
OpenFisca is never a dependency of assistkit.

The rule (``assistkit_onerule``): each month a household receives ``max(0, S × members − income)``, where S is
Demo City's minimum living standard for its residence (``standard.urban`` / ``standard.rural`` on the date) and
the income is the sum of its members' income records of the month before. OpenFisca gets the same rule as one
variable (``onerule_benefit``) of a tax-benefit system of two entities (person, household) built here, with S
as its parameters (the values assistkit reads, so the two cannot drift).

1. **The same amounts**: every household is assessed by both; the amounts must agree to the fen, household by
   household, and so must the totals (exit 1 otherwise).
2. **One household** (latency), both engines interleaved (pass 1 of every case, then pass 2, …), each household
   keeping its best time over the passes: *calculate* — assistkit ``Engine.assess`` of a parsed household
   against OpenFisca ``SimulationBuilder.build_from_entities`` + ``calculate`` of a parsed situation; *end to
   end* — one JSON line in, one JSON line out (assistkit: ``household_from_json`` + ``assess`` +
   ``to_json_text``; OpenFisca: ``json.loads`` + the situation + build + calculate + the amount's JSON line).
3. **A batch** (throughput), JSON Lines in and out, each engine a command of its own, the runs alternated:
   ``assistkit batch -j W`` (the determination of each household, with its reasons) against OpenFisca fed by a
   plain columnar loader (each line decoded, its members and income records appended to flat arrays, one
   simulation for the whole file, one JSON line per household written with the amount). Households/s of the
   best run, the median, and the CPU seconds of the command's process tree.

Wall-clock figures mean something only on an otherwise idle machine; the CPU seconds less so, but they too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from _common import DEFAULT_ON, dump_json, machine, print_table, time_cases

INSTALL = ('python3 -m venv /tmp/ofvenv && /tmp/ofvenv/bin/pip install -e ".[fast]" -e benchmarks/onerule '
           '"openfisca-core>=46,<47"')
PROGRAMME = "onerule"
VARIABLE = "onerule_benefit"
COMMUNITIES = ("东风社区", "南湾村", "西山街道", "北河村")
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ("建国", "红", "明", "秀英", "伟", "芳", "强", "丽", "军", "敏")


# -- the households ------------------------------------------------------------------------------------------


def last_month(on: dt.date) -> str:
    return f"{on.year - 1}-12" if on.month == 1 else f"{on.year}-{on.month - 1:02d}"


def generate(n: int, seed: int, on: dt.date) -> list[str]:
    """``n`` households of 1–6 members as JSON Lines (household-format.md): wage and pension records of the
    month before ``on`` (what the rule reads) and of the month before that (what it must not read)."""
    rng = random.Random(seed)
    before = last_month(on)
    older = last_month(dt.date(int(before[:4]), int(before[5:]), 1))
    relationships = ("spouse", "child", "child", "parent", "grandchild")
    lines = []
    for i in range(1, n + 1):
        size = rng.choice((1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6))
        surname = rng.choice(SURNAMES)
        members, incomes = [], []
        for j in range(size):
            relationship = "head" if j == 0 else relationships[min(j - 1, len(relationships) - 1)]
            year = rng.randint(1950, 1995) if relationship in ("head", "spouse", "parent") else rng.randint(2005, 2020)
            members.append({"id": f"P{j + 1}", "name": surname + rng.choice(GIVEN),
                            "birth_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                            "relationship": relationship})
            if year <= 2005 and rng.random() < 0.6:
                category = "pension" if year < 1965 else "wage"
                amount = Decimal(rng.randint(0, 450_000)) / 100
                incomes.append({"member": f"P{j + 1}", "category": category, "amount": f"{amount:.2f}",
                                "month": before})
                if rng.random() < 0.3:  # a second record of the same month
                    incomes.append({"member": f"P{j + 1}", "category": "wage",
                                    "amount": f"{Decimal(rng.randint(0, 80_000)) / 100:.2f}", "month": before})
                if rng.random() < 0.5:  # a record of another month: read by neither engine
                    incomes.append({"member": f"P{j + 1}", "category": category, "amount": f"{amount:.2f}",
                                    "month": older})
        household = {"id": f"OF-{i:07d}", "community": rng.choice(COMMUNITIES),
                     "residence": "rural" if rng.random() < 0.3 else "urban", "members": members}
        if incomes:
            household["incomes"] = incomes
        lines.append(json.dumps(household, ensure_ascii=False, separators=(",", ":")))
    return lines


# -- OpenFisca: the same rule --------------------------------------------------------------------------------


def standards(on: dt.date) -> dict[str, Decimal]:
    """S on ``on`` for each residence, as assistkit reads it (Demo City)."""
    from assistkit.engine import Engine

    params = Engine().policy.at(on)
    return {residence: params.standard(residence) for residence in ("urban", "rural")}


def tax_benefit_system(s: dict[str, Decimal], on: dt.date) -> Any:
    """A tax-benefit system of persons and households with the one rule as the variable ``onerule_benefit``."""
    from numpy import where
    from openfisca_core.entities import build_entity
    from openfisca_core.model_api import max_
    from openfisca_core.parameters import ParameterNode
    from openfisca_core.periods import DateUnit
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    person = build_entity(key="person", plural="persons", label="A member", is_person=True)
    household = build_entity(key="household", plural="households", label="A household",
                             roles=[{"key": "member", "plural": "members", "label": "Member"}])

    class income(Variable):  # noqa: N801 - OpenFisca names a variable by its class
        value_type = float
        entity = person
        definition_period = DateUnit.MONTH
        label = "The member's income records of the month, summed"

    class rural(Variable):  # noqa: N801
        value_type = bool
        entity = household
        definition_period = DateUnit.MONTH
        label = "The household's residence is rural"

    class onerule_benefit(Variable):  # noqa: N801
        value_type = float
        entity = household
        definition_period = DateUnit.MONTH
        label = "max(0, S × members − last month's income)"

        def formula(household: Any, period: Any, parameters: Any) -> Any:  # noqa: N805 - OpenFisca's signature
            p = parameters(period).onerule
            standard = where(household("rural", period), p.standard_rural, p.standard_urban)
            income = household.sum(household.members("income", period.last_month))
            return max_(standard * household.nb_persons() - income, 0)

    system = TaxBenefitSystem([person, household])
    system.add_variables(income, rural, onerule_benefit)
    since = f"{on.year}-{on.month:02d}-01"
    system.parameters = ParameterNode("", data={"onerule": {
        "standard_urban": {"values": {since: {"value": float(s["urban"])}}},
        "standard_rural": {"values": {since: {"value": float(s["rural"])}}},
    }})
    return system


def situation(data: dict[str, Any], on: dt.date) -> dict[str, Any]:
    """One decoded household as an OpenFisca situation (``build_from_entities``)."""
    month, before = f"{on.year}-{on.month:02d}", last_month(on)
    income = {m["id"]: 0.0 for m in data["members"]}
    for record in data.get("incomes", ()):
        if record.get("month") == before:
            income[record["member"]] += float(record["amount"])
    return {"persons": {pid: {"income": {before: amount}} for pid, amount in income.items()},
            "households": {data["id"]: {"members": list(income), "rural": {month: data["residence"] == "rural"}}}}


def openfisca_batch(source: str, target: str, on: dt.date, s: dict[str, Decimal]) -> None:
    """The columnar loader and one simulation for the whole file: JSON Lines in, JSON Lines out."""
    import numpy
    from openfisca_core.simulation_builder import SimulationBuilder

    try:
        from orjson import loads
    except ImportError:
        from json import loads  # type: ignore[assignment]
    system = tax_benefit_system(s, on)
    month, before = f"{on.year}-{on.month:02d}", last_month(on)
    ids: list[str] = []
    rural: list[bool] = []
    belongs: list[int] = []
    income: list[float] = []
    with open(source, "rb") as f:
        for raw in f:
            data = loads(raw)
            household = len(ids)
            ids.append(data["id"])
            rural.append(data["residence"] == "rural")
            first = len(income)
            index = {}
            for offset, member in enumerate(data["members"]):
                index[member["id"]] = first + offset
                belongs.append(household)
                income.append(0.0)
            for record in data.get("incomes", ()):
                if record.get("month") == before:
                    income[index[record["member"]]] += float(record["amount"])
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("person", numpy.arange(len(income)))
    households = builder.declare_entity("household", numpy.arange(len(ids)))
    builder.join_with_persons(households, numpy.array(belongs), numpy.full(len(income), "member"))
    simulation = builder.build(system)
    simulation.set_input("income", before, numpy.array(income, dtype=numpy.float32))
    simulation.set_input("rural", month, numpy.array(rural))
    amounts = simulation.calculate(VARIABLE, month)
    with open(target, "w", encoding="utf-8") as out:
        out.writelines(f'{{"household":"{hid}","monthly":"{amount:.2f}"}}\n'
                       for hid, amount in zip(ids, amounts.tolist(), strict=True))


# -- the figures ---------------------------------------------------------------------------------------------


def assistkit_amount(determination: dict[str, Any]) -> Decimal:
    programme = determination["programmes"].get(PROGRAMME) or {}
    return Decimal(programme.get("monthly", "0.00"))


def check_equal(ours: dict[str, Decimal], theirs: dict[str, Decimal], what: str) -> list[str]:
    """The households whose amounts differ (at most ten named), and the totals; empty when all agree."""
    problems = []
    if ours.keys() != theirs.keys():
        problems.append(f"{what}: not the same households ({len(ours)} against {len(theirs)})")
    differ = [h for h in ours if h in theirs and ours[h] != theirs[h]]
    problems += [f"{what}: {h}: assistkit {ours[h]}, OpenFisca {theirs[h]}" for h in differ[:10]]
    total_ours, total_theirs = sum(ours.values(), Decimal(0)), sum(theirs.values(), Decimal(0))
    if total_ours != total_theirs:
        problems.append(f"{what}: totals differ: assistkit {total_ours}, OpenFisca {total_theirs}")
    return problems


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the whole process tree) of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"{' '.join(command[:4])} … exited {done.returncode}:\n"
                         f"{done.stderr.decode('utf-8', 'replace')[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--households", type=int, default=2000, help="households timed one by one")
    parser.add_argument("--batch", type=int, default=100_000, help="households of the batch (JSON Lines)")
    parser.add_argument("--passes", type=int, default=3, help="interleaved passes (latency) and runs (batch)")
    parser.add_argument("--workers", "-j", type=int, default=2, help="assistkit batch --workers")
    parser.add_argument("--batch-option", action="append", default=[], metavar="OPTION",
                        help="an option for `assistkit batch` (repeatable), e.g. --batch-option=--reasons=data")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", default=None, help="where the batch's files go (default: a temporary folder)")
    parser.add_argument("--json", default=None, help="also write the figures to this JSON file")
    parser.add_argument("--openfisca-batch", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    on = DEFAULT_ON

    try:
        import openfisca_core  # noqa: F401
    except ImportError:
        print(f"openfisca-core is not installed here; make the benchmark's environment:\n  {INSTALL}\n"
              f"then run: /tmp/ofvenv/bin/python {sys.argv[0]}", file=sys.stderr)
        return 2
    s = standards(on)
    if args.openfisca_batch:
        openfisca_batch(*args.openfisca_batch, on, s)
        return 0

    from importlib.metadata import version

    from openfisca_core.simulation_builder import SimulationBuilder

    from assistkit.engine import Engine
    from assistkit.io import household_from_json

    engine = Engine()
    installed = [p.name for p in engine.programmes]
    if installed != [PROGRAMME]:
        print(f"the engine here runs {installed}, not the one rule alone: run this in the benchmark's own "
              f"environment, with no other plugin installed:\n  {INSTALL}", file=sys.stderr)
        return 2
    print(f"machine: {machine()}, OpenFisca-Core {version('openfisca-core')}, numpy {version('numpy')}")
    print(f"load average {os.getloadavg()[0]:.1f}; S = {s['urban']} (urban), {s['rural']} (rural) on {on}")
    system = tax_benefit_system(s, on)
    month = f"{on.year}-{on.month:02d}"

    # 1 and 2: one household at a time, the amounts checked.
    lines = generate(args.households, args.seed, on)
    parsed = [household_from_json(line) for line in lines]
    decoded = [json.loads(line) for line in lines]
    situations = [situation(d, on) for d in decoded]

    def assistkit_end_to_end(line: str) -> str:
        return engine.assess(household_from_json(line), on).to_json_text()

    def openfisca_calculate(case: dict[str, Any]) -> Any:
        return SimulationBuilder().build_from_entities(system, case).calculate(VARIABLE, month)

    def openfisca_end_to_end(line: str) -> str:
        data = json.loads(line)
        (amount,) = openfisca_calculate(situation(data, on)).tolist()
        return f'{{"household":"{data["id"]}","monthly":"{amount:.2f}"}}'

    ours = {h.id: assistkit_amount(json.loads(engine.assess(h, on).to_json_text())) for h in parsed}
    theirs = {d["id"]: Decimal(f"{openfisca_calculate(c)[0]:.2f}") for d, c in zip(decoded, situations, strict=True)}
    problems = check_equal(ours, theirs, "one by one")
    cases = {
        "assistkit calculate": (lambda h: engine.assess(h, on), parsed),
        "OpenFisca calculate": (openfisca_calculate, situations),
        "assistkit end to end": (assistkit_end_to_end, lines),
        "OpenFisca end to end": (openfisca_end_to_end, lines),
    }
    time_cases(cases, 1)  # warm-up, not counted
    figures = time_cases(cases, args.passes)
    print(f"\none household, {args.households} households, best of {args.passes} interleaved passes, µs:")
    print_table(["case", "median", "p95", "p99", "mean"], [f.row(label) for label, f in figures.items()])
    ratios = {what: figures[f"OpenFisca {what}"].median / figures[f"assistkit {what}"].median
              for what in ("calculate", "end to end")}
    for what, ratio in ratios.items():
        print(f"{what}: assistkit is {ratio:.1f}× as fast as OpenFisca (medians)")

    # 3: the batch, JSON Lines in and out, the two commands alternated.
    folder = Path(args.dir or tempfile.mkdtemp(prefix="assistkit-openfisca-"))
    folder.mkdir(parents=True, exist_ok=True)
    population = folder / f"onerule-{args.batch}-{args.seed}.jsonl"
    if not population.exists():
        population.write_text("".join(line + "\n" for line in generate(args.batch, args.seed + 1, on)),
                              encoding="utf-8")
    out_ours, out_theirs = folder / "assistkit.jsonl", folder / "openfisca.jsonl"
    ours_command = [sys.executable, "-c", "from assistkit.cli import main; main()", "batch", str(population),
                    "--on", on.isoformat(), "-j", str(args.workers), "-o", str(out_ours), "--no-progress",
                    *args.batch_option]
    theirs_command = [sys.executable, os.path.abspath(__file__), "--openfisca-batch", str(population),
                      str(out_theirs)]
    runs: dict[str, list[tuple[float, float]]] = {"assistkit": [], "OpenFisca": []}
    for p in range(args.passes):
        order = [("assistkit", ours_command), ("OpenFisca", theirs_command)]
        for name, command in order if p % 2 == 0 else order[::-1]:
            runs[name].append(run(command))
    with open(out_ours, "rb") as f:
        ours = {d["household"]: assistkit_amount(d) for d in map(json.loads, f)}
    with open(out_theirs, "rb") as f:
        theirs = {d["household"]: Decimal(d["monthly"]) for d in map(json.loads, f)}
    problems += check_equal(ours, theirs, "batch")
    n = args.batch
    rows, rates = [], {}
    for name, times in runs.items():
        best = min(wall for wall, _ in times)
        rates[name] = n / best
        size = (out_ours if name == "assistkit" else out_theirs).stat().st_size
        rows.append([name, f"{n / best:,.0f}", f"{n / statistics.median(w for w, _ in times):,.0f}",
                     f"{best:.2f}", f"{min(c for _, c in times):.2f}", f"{size / n:,.0f}"])
    print(f"\nbatch of {n:,} households, JSON Lines in and out, {args.passes} runs alternated "
          f"(assistkit batch -j {args.workers}{''.join(' ' + o for o in args.batch_option)}; OpenFisca: one "
          "process, the columnar loader):")
    print_table(["engine", "households/s (best)", "households/s (median)", "wall s (best)", "CPU s (least)",
                 "bytes out per household"], rows)
    batch_ratio = rates["assistkit"] / rates["OpenFisca"]
    print(f"batch: assistkit does {batch_ratio:.2f}× OpenFisca's households/s")
    total = sum(ours.values(), Decimal(0))
    if problems:
        print("\nNOT EQUAL:\n  " + "\n  ".join(problems))
    else:
        print(f"\nequal to the fen: {len(parsed):,} households one by one and {n:,} in the batch, batch total "
              f"{total} yuan a month in both")
    dump_json(args.json, {
        "machine": machine(), "households": args.households, "batch": n, "passes": args.passes,
        "workers": args.workers, "batch_options": args.batch_option,
        "latency_us": {label: {"median": f.median, "p95": f.p95, "p99": f.p99, "mean": f.mean}
                       for label, f in figures.items()},
        "latency_ratio": ratios, "batch_runs": runs, "batch_rate": rates, "batch_ratio": batch_ratio,
        "equal": not problems, "total": str(total),
    })
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
