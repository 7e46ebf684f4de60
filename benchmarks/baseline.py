"""The engine's overhead: ``Engine(only=["tekun", "dibao"]).assess`` against a hand-written straight-line function.

    .venv/bin/python benchmarks/baseline.py            # 5000 Demo City households, best of 5 passes each
    .venv/bin/python benchmarks/baseline.py -n 1000 --passes 3

:func:`tekun_dibao` computes §3 (income accounting), §5 (tekun) and §6 (dibao: unit benefit, gradual exit,
single-person inclusion) for one household in plain Python over the same :class:`~assistkit.household.Household`
objects — no engine, no plugins, no context, no reasons, parameters read once into local constants. It is exact
``Decimal`` arithmetic in the same order as the engine, so it gives the same tekun and dibao monthly amounts to
the fen; the script asserts that on every household before timing anything.

The overhead ratio is the engine's mean time per household over the baseline's, each household timed at its
best of ``--passes`` interleaved passes (the medians' ratio is printed too). The engine also collects every
reason, the needs ledger, the review date and the §15.2 actions; the baseline does none of that: the ratio
is the price of the explanations and of the plugin architecture together.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from decimal import ROUND_HALF_UP, Decimal
from math import gcd, lcm
from pathlib import Path
from typing import Any

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

EXAMPLES = Path(__file__).resolve().parent.parent / "tests" / "examples"

TARGET = 2.0
"""The engine may take at most this many times the baseline's time (benchmarks/README.md)."""

_ZERO = Decimal("0.00")
_FEN = Decimal("0.01")
_YUAN = Decimal("1")


class Constants:
    """The parameters the baseline reads, resolved once for ``on`` (as the engine resolves them once)."""

    def __init__(self, on: dt.date) -> None:
        from assistkit_basic_living.hooks import assistkit_declare_parameters

        from assistkit.policy import load_policy

        p = load_policy("demo-city", (), assistkit_declare_parameters()).at(on)
        self.on = on
        self.S = {"urban": p["standard.urban"], "rural": p["standard.rural"]}
        self.months: int = p["income.window_months"]
        last = on.year * 12 + on.month - 2
        self.first, self.last = last - self.months + 1, last
        self.excluded = frozenset(p["income.excluded_kinds"])
        self.wage = p["income.casual_daily_wage"]
        self.farm = p["income.farm_net_per_mu_year"]
        self.rate = p["income.employment_deduction_rate"]
        self.deduct_rigid = p["income.deduct_rigid_expenses"]
        self.dibao_months = p["assets.dibao_months"]
        self.vehicle_limit = p["assets.vehicle_value_limit"]
        self.tekun_assets = p["tekun.asset_months"]
        self.basic = p["tekun.basic_multiple"]
        # A care standard is a line: money, or a multiple of a reference value.
        self.care = {k: p[f"tekun.care.{k}"].amount(p) for k in ("full", "partial", "none")}
        self.refusals = p["dibao.refusal_limit"]
        self.floor = p["dibao.floor"]
        self.exit_months = p["dibao.gradual_exit_months"]
        # §6.4 in the statute's order: ties go to the first.
        self.uplifts = (p["uplift.elderly"], p["uplift.minor"], p["uplift.severe_disability"],
                        p["uplift.disability"], p["uplift.serious_illness"])
        self.multiple = p["marginal.multiple"]


def _round_yuan(x: Decimal) -> Decimal:
    return x.quantize(_YUAN, rounding=ROUND_HALF_UP).quantize(_FEN)


def _age(birth: dt.date, on: dt.date) -> int:
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def _add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _income(h: Any, members: set[str], household_level: bool, c: Constants) -> tuple[Decimal, dict[str, Decimal], int]:
    """§3.1–§3.5 counted amounts: (total, work income per member, common denominator), all exact numerators."""
    total = _ZERO
    work: dict[str, Decimal] = {}
    parts: list[tuple[Any, bool, Decimal, int]] = []
    first, last = c.first, c.last
    for inc in h.incomes:
        member = inc.member
        if member is None:
            if not household_level:
                continue
        elif member not in members:
            continue
        if inc.month is not None:
            start = end = inc.month.year * 12 + inc.month.month - 1
        else:
            start = inc.from_.year * 12 + inc.from_.month - 1
            end = inc.to.year * 12 + inc.to.month - 1
        lo, hi = max(start, first), min(end, last)
        if lo > hi:
            continue
        inside, length = hi - lo + 1, end - start + 1
        category = inc.category
        amount = inc.amount
        if amount is None:
            if category == "casual" and inc.days is not None:
                amount = inc.days * c.wage
            elif category == "farm" and inc.land_mu is not None:
                amount, length = inc.land_mu * c.farm, 12
            else:
                amount = _ZERO
        if inc.kind and inc.kind in c.excluded:
            continue
        if inside == length:
            num, den = amount, 1
        else:
            g = gcd(inside, length)
            num, den = amount * (inside // g), length // g
        if not num:
            continue
        is_work = member is not None and category in ("wage", "business", "casual")
        if den == 1:
            total += num
            if is_work:
                work[member] = work.get(member, _ZERO) + num
        else:
            parts.append((member, is_work, num, den))
            if is_work and member not in work:
                work[member] = _ZERO
    scale = 1
    if parts:
        scale = lcm(*{d for _, _, _, d in parts})
        total *= scale
        for m in work:
            work[m] *= scale
        for member, is_work, num, den in parts:
            x = num * (scale // den)
            total += x
            if is_work:
                work[member] += x
    return total, work, scale


def _pci(h: Any, unit: list[str], c: Constants, S: Decimal) -> tuple[Decimal, bool]:
    """§3.4–§3.7 over the unit: per-capita income (to the fen) and whether anyone has work income."""
    members = set(unit)
    total, work, scale = _income(h, members, True, c)
    denominator = scale * c.months
    cap_n = c.rate * S * denominator
    employment_n = _ZERO
    workers = False
    for pid in unit:
        earned = work.get(pid)
        if not earned:
            continue
        workers = True
        employment_n += earned if earned < cap_n else cap_n
    rigid_n = _ZERO
    if c.deduct_rigid:
        rigid = _ZERO
        paid: dict[str, Decimal] | None = None
        for e in h.expenses:
            if e.member not in members:
                continue
            index = e.date.year * 12 + e.date.month - 1
            if index < c.first or index > c.last:
                continue
            if e.kind == "tuition":
                rigid += e.total
                continue
            if paid is None:
                paid = {}
                for past in h.history:
                    if past.need is not None:
                        paid[past.need] = paid.get(past.need, _ZERO) + past.amount
            counted = e.total - e.insurance_paid - paid.get(e.id, _ZERO)
            rigid += counted if counted > 0 else _ZERO
        rigid_n = rigid * scale
    without = total - employment_n
    if without < 0:
        without = _ZERO
    net = without - rigid_n
    if net < 0:
        net = _ZERO
    return (net / (denominator * len(unit))).quantize(_FEN, rounding=ROUND_HALF_UP), workers


def _own(h: Any, pid: str, c: Constants) -> Decimal:
    """§3.8 own monthly income (exact)."""
    total, _, scale = _income(h, {pid}, False, c)
    return total / (scale * c.months)


def _uplift(person: Any, age: int, c: Constants, S: Decimal) -> Decimal:
    """§6.4: the largest applicable rate × S."""
    grade = person.disability_grade
    best = None
    for rate, applies in zip(c.uplifts, (age >= 60, age < 18, grade == 1 or grade == 2, grade == 3 or grade == 4,
                                         person.serious_illness), strict=True):
        if applies and (best is None or rate > best):
            best = rate
    return _ZERO if best is None else best * S


def tekun_dibao(h: Any, c: Constants) -> tuple[Decimal, Decimal]:
    """§3, §5, §6 for one household: (tekun monthly, dibao monthly)."""
    if not h.hukou_local:
        return _ZERO, _ZERO
    on = c.on
    S = c.S[h.residence]
    tekun_monthly = _ZERO
    unit: list[str] = []
    ages: dict[str, int] = {}
    basic = None
    for person in h.members:
        pid = person.id
        age = ages[pid] = _age(person.birth_date, on)
        # §5.1 (a) cannot work, (d) no capable supporter, (b) own income < S, (c) own financial assets.
        if ((age >= 60 or age < 16 or person.disability_grade in (1, 2) or person.labour_capacity == "none")
                and not person.has_capable_supporter and _own(h, pid, c) < S):
            assets = _ZERO
            for a in h.assets:
                if a.member == pid and (a.kind == "deposit" or a.kind == "securities"):
                    assets += a.value
            if assets <= c.tekun_assets * S:
                if basic is None:
                    basic = _round_yuan(c.basic * S)
                tekun_monthly += basic + c.care[person.self_care]
                continue
        unit.append(pid)
    if not unit:
        return tekun_monthly, _ZERO
    # §4 asset test of the unit with M = assets.dibao_months.
    members = set(unit)
    financial = _ZERO
    houses = commercial = 0
    failed = False
    for a in h.assets:
        if a.member is not None and a.member not in members:
            continue
        kind = a.kind
        if kind == "deposit" or kind == "securities":
            financial += a.value
        elif kind == "vehicle":
            if a.value > c.vehicle_limit and not a.exempt:
                failed = True
        elif kind == "house":
            houses += 1
        elif kind == "commercial_property":
            commercial += 1
    if failed or houses >= 2 or commercial or financial > c.dibao_months * S * len(unit):
        return tekun_monthly, _ZERO
    pci, workers = _pci(h, unit, c, S)
    by_id = {p.id: p for p in h.members}
    if pci < S:
        # §6.2–§6.5 the unit benefit.
        covered = []
        for pid in unit:
            p = by_id[pid]
            age = ages[pid]
            able = 16 <= age < 60 and p.disability_grade not in (1, 2) and p.labour_capacity != "none"
            if not (p.refused_job_offers >= c.refusals and able):
                covered.append(p)
        if not covered:
            return tekun_monthly, _ZERO
        total = (S - pci) * len(covered)
        uplifts = _ZERO
        for p in covered:
            uplifts += _uplift(p, ages[p.id], c, S)
        benefit = _round_yuan(total + uplifts)
        return tekun_monthly, benefit if benefit >= c.floor else c.floor
    # §6.7 gradual exit: an active household-level dibao enrolment and work income in the unit.
    if workers:
        enrolments = [e for e in h.enrolments if e.programme == "dibao" and e.member is None]
        if enrolments:
            recorded = [e.gradual_exit_from for e in enrolments if e.gradual_exit_from is not None]
            start = min(recorded) if recorded else on
            if on < _add_months(start, c.exit_months):
                return tekun_monthly, sum((e.monthly_amount for e in enrolments), _ZERO)
    # §6.6 single-person inclusion.
    dibao = _ZERO
    if pci < c.multiple * S:
        for pid in unit:
            p = by_id[pid]
            if p.disability_grade in (1, 2) or p.serious_illness:
                own = _own(h, pid, c)
                base = S - own if own < S else _ZERO
                benefit = _round_yuan(base + _uplift(p, ages[pid], c, S))
                dibao += benefit if benefit >= c.floor else c.floor
    return tekun_monthly, dibao


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    population_arguments(parser, 5000)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    from assistkit.engine import Engine
    from assistkit.io import read_example

    on = DEFAULT_ON
    people = households(population_lines(args.households, seed=args.seed, on=on, path=args.population))
    c = Constants(on)
    engine = Engine(only=["tekun", "dibao"])

    # The same amounts to the fen on every household, before any timing.
    paying = 0
    for h in people:
        d = engine.assess(h, on)
        expected = (d.programme("tekun").monthly, d.programme("dibao").monthly)
        got = tekun_dibao(h, c)
        assert got == expected, f"{h.id}: baseline {got} != engine {expected}"
        paying += bool(expected[0] or expected[1])
    # And on the spec's worked examples (each with its own date).
    examples = sorted(EXAMPLES.glob("*.json"))
    for path in examples:
        ex = read_example(path)
        d = engine.assess(ex.household, ex.on)
        expected = (d.programme("tekun").monthly, d.programme("dibao").monthly)
        got = tekun_dibao(ex.household, Constants(ex.on))
        assert got == expected, f"{path.name}: baseline {got} != engine {expected}"

    def run_engine(h: Any) -> Any:
        return engine.assess(h, on)

    def run_baseline(h: Any) -> Any:
        return tekun_dibao(h, c)

    figures = time_cases({"engine": (run_engine, people), "baseline": (run_baseline, people)}, args.passes)
    engine_f, baseline_f = figures["engine"], figures["baseline"]
    ratio = engine_f.mean / baseline_f.mean
    n = len(people)

    print(f"machine: {machine()}")
    print(f"population: {n} Demo City households (seed {args.seed}), on {on.isoformat()}; "
          f"{paying} with a tekun or dibao amount; amounts equal to the fen on all {n} "
          f"and on the {len(examples)} spec examples")
    print(f"each household's best of {args.passes} passes (interleaved)\n")
    print_table(
        ["", "mean µs", "median µs", "p95 µs"],
        [["Engine(only=[tekun, dibao]).assess", f"{engine_f.mean:.1f}", f"{engine_f.median:.1f}",
          f"{engine_f.p95:.1f}"],
         ["hand-written baseline", f"{baseline_f.mean:.1f}", f"{baseline_f.median:.1f}", f"{baseline_f.p95:.1f}"]],
    )
    print(f"\noverhead ratio (engine ÷ baseline, means): {ratio:.2f}× "
          f"(medians: {engine_f.median / baseline_f.median:.2f}×) — target ≤ {TARGET:.0f}×: "
          f"{'met' if ratio <= TARGET else 'NOT met'}")
    dump_json(args.json, {"machine": machine(), "households": n, "engine_us": engine_f.mean,
                          "baseline_us": baseline_f.mean, "ratio": ratio,
                          "engine_median_us": engine_f.median, "baseline_median_us": baseline_f.median})
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
