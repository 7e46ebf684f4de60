"""Education assistance (教育救助, §10): tiers (§10.1), the yearly grant (§10.2), the senior-high
tuition waiver (§10.3), each once per school year (§10.4).

A **student** is a member with ``school`` set. A student's status is the person-status rule of
parameters.md (:meth:`Context.person_status`). The **school year** runs 1 September – 31 August
(:func:`assistkit.periods.school_year`).

Readings where the statute leaves a choice:

- **Local households only** (§2.5): a non-local household gets nothing here, even for an orphan.
- **Tier 1 without a status** (§10.1): an orphan or a disabled student (any grade) is tier 1 whatever the
  household's statuses, as the statute lists them alongside tekun and dibao.
- **Already paid** (§10.4) means a history payment of programme ``education`` for that student dated in the
  school year of ``on``: kind ``grant`` stops the grant, kind ``tuition_waiver`` stops the waiver.
- **The waiver** (§10.3) is ``min(school.tuition, education.tuition_cap)``. It is paid toward the
  student's first ``tuition`` expense (by date, then id) dated in the school year of ``on``, when there is
  one; the needs ledger pays only what remains of that expense (§14.2). The rest of the waiver is **not**
  paid, neither as a payment with no need nor toward a later tuition expense: a waiver forgives the tuition
  charged, and what remains of that charge is all there is left to forgive. With no tuition expense in the
  school year the waiver is paid as a payment with no need. A waiver of 0 (no tuition) is no payment.
- Amounts are the parameter values as they stand (no rounding is needed: they are whole money amounts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from assistkit.api import ZERO, Context, ExpenseKind, Person, Programme, Rule, Stage, school_year, school_year_bounds

from .parameters import BOARDERS_ONLY, GRANT, NON_BOARDER_GRANT, TUITION_CAP

__all__ = ["BOARDING_ONLY", "RULES", "EducationProgramme", "grant", "tier", "tuition_waiver"]

TIER1_STATUSES = frozenset({"tekun", "dibao"})
TIER2_STATUSES = frozenset({"marginal", "expenditure_hardship"})

BOARDING_ONLY = frozenset({Stage.PRIMARY, Stage.JUNIOR})
"""Stages whose grant is paid only to boarding students in Demo City (§10.2); the rule reads the parameter
``education.boarders_only``."""

WAIVER_STAGE = Stage.SENIOR
"""The stage of the tier-1 tuition waiver (§10.3): senior high school (普通高中)."""

_EDUCATION = "education"
_GRANT = "grant"
_WAIVER = "tuition_waiver"

RULES: Mapping[str, Rule] = {
    r.id: r
    for r in (
        Rule("education.nonlocal", "§2.5",
             "非本地户籍家庭不享受教育救助",
             "a non-local household gets no education assistance"),
        Rule("education.no_students", "§10",
             "家庭中无在校学生：不适用教育救助",
             "no member is a student: no education assistance"),
        Rule("education.no_tier", "§10.1",
             "{member}（{stage}）：本人及家庭均无特困、低保、低保边缘或刚性支出困难身份，且非孤儿、非残疾学生："
             "不予教育救助",
             "{member} ({stage}): neither the student nor the household holds tekun, dibao, marginal or "
             "expenditure hardship, and the student is neither an orphan nor disabled: no education assistance"),
        Rule("education.no_grant", "§10.2",
             "{member}：{stage}第 {tier} 档助学金标准为 0 元",
             "{member}: the grant for {stage}, tier {tier} is 0 yuan"),
        Rule("education.no_tuition", "§10.3",
             "{member}：学费 {tuition} 元，无可免学费",
             "{member}: tuition {tuition} yuan: nothing to waive"),
        Rule("education.tier", "§10.1",
             "{member}：{stage}，第 {tier} 档（{basis}）",
             "{member}: {stage}, tier {tier} ({basis})"),
        Rule("education.grant", "§10.2",
             "{member} {school_year} 学年助学金：{stage} 第 {tier} 档 = {amount} 元",
             "{member}: grant for school year {school_year}: {stage}, tier {tier} = {amount} yuan"),
        Rule("education.not_boarding", "§10.2",
             "{member} 为{stage}非寄宿生，小学、初中助学金仅发给寄宿生",
             "{member} is a non-boarding {stage} student: primary and junior grants go to boarding "
             "students only"),
        Rule("education.non_boarder_grant", "§10.2",
             "{member} {school_year} 学年非寄宿生补助：{stage} 第 {tier} 档 = {amount} 元",
             "{member}: non-boarder's grant for school year {school_year}: {stage}, tier {tier} = {amount} yuan"),
        Rule("education.grant_already_paid", "§10.4",
             "{member} {school_year} 学年已获助学金（{date}，{paid} 元），不再发放",
             "{member} already had the grant for school year {school_year} ({date}, {paid} yuan): "
             "not paid again"),
        Rule("education.tuition_waiver", "§10.3",
             "{member} 免学费取学费 {tuition} 与上限 {cap} 中的较小者 = {waiver} 元；"
             "用于 {need}（剩余 {remaining} 元），支付 {amount} 元，未用部分 {unused} 元不另行发放",
             "{member}: tuition waiver = min(tuition {tuition}, cap {cap}) = {waiver} yuan toward {need} "
             "({remaining} remaining); paid {amount}, the unused {unused} is not paid out"),
        Rule("education.tuition_waiver_no_need", "§10.3",
             "{member} 免学费取学费 {tuition} 与上限 {cap} 中的较小者 = {amount} 元"
             "（本学年无学费支出记录，直接发放）",
             "{member}: tuition waiver = min(tuition {tuition}, cap {cap}) = {amount} yuan "
             "(no tuition expense in the school year: paid with no need)"),
        Rule("education.waiver_already_paid", "§10.4",
             "{member} {school_year} 学年已获免学费（{date}，{paid} 元），不再发放",
             "{member} already had the tuition waiver for school year {school_year} ({date}, {paid} yuan): "
             "not paid again"),
    )
}


class EducationProgramme(Programme):
    """§10 education assistance for each student (a member with ``school``), once per school year."""

    name = "education"
    title_zh = "教育救助"
    title_en = "Education assistance"
    after = ("tekun", "dibao", "low_income")
    after_if_present = ("medical",)
    parameters = (GRANT, TUITION_CAP, BOARDERS_ONLY, NON_BOARDER_GRANT)
    # What it reads of a household (`assistkit plugins --reads`): local hukou (§9.1), each member's school stage
    # and boarding, disability grade and orphanhood (§9.2), the tuition expenses (§9.3) and what history has paid
    # toward them (§9.4).
    reads = ("hukou_local", "members.school", "members.disability_grade", "members.orphan", "expenses", "history")
    rules = RULES

    def assess(self, ctx: Context) -> None:
        household = ctx.household
        students = [p for p in household.members if p.school is not None]
        if not students:
            ctx.reason("education.no_students")
            return
        if not household.hukou_local:
            ctx.reason("education.nonlocal")
            return
        year = school_year(ctx.on)
        before = _paid_this_school_year(ctx, year)
        for student in students:
            level = tier(ctx, student)
            if level is None:
                continue
            grant(ctx, student, level, year, before)
            if level == 1:
                tuition_waiver(ctx, student, year, before)


def tier(ctx: Context, student: Person) -> int | None:
    """§10.1: tier 1 for status tekun or dibao, orphans and disabled students; tier 2 for marginal or
    expenditure_hardship; otherwise ``None`` (nothing)."""
    status = ctx.person_status(student.id)
    if status in TIER1_STATUSES:
        level, basis = 1, status
    elif student.orphan:
        level, basis = 1, "orphan"
    elif student.disability_grade is not None:
        level, basis = 1, "disabled"
    elif status in TIER2_STATUSES:
        level, basis = 2, status
    else:
        ctx.reason("education.no_tier",
                   {"member": student.id, "stage": student.school.stage.value})  # type: ignore[union-attr]
        return None
    ctx.reason("education.tier",
               {"member": student.id, "stage": student.school.stage.value,  # type: ignore[union-attr]
                "tier": level, "basis": basis})
    return level


def grant(ctx: Context, student: Person, level: int, year: int,
          before: Mapping[tuple[str, str], tuple[dt.date, Decimal]]) -> None:
    """§10.2 grant ``education.grant[stage][tier]`` once per school year (§10.4); primary and junior only to
    boarding students."""
    school = student.school
    assert school is not None
    stage = school.stage
    rule = "education.grant"
    table: Mapping[str, Mapping[str, Decimal]] = ctx.params[GRANT]  # type: ignore[assignment]
    if stage.value in ctx.params[BOARDERS_ONLY] and not school.boarding:  # type: ignore[operator]
        table = ctx.params[NON_BOARDER_GRANT]  # type: ignore[assignment]
        if not table.get(stage.value, {}).get(str(level)):
            ctx.reason("education.not_boarding", {"member": student.id, "stage": stage.value})
            return
        rule = "education.non_boarder_grant"
    paid = before.get((student.id, _GRANT))
    if paid is not None:
        ctx.reason("education.grant_already_paid",
                   {"member": student.id, "school_year": year, "date": paid[0], "paid": paid[1]})
        return
    amount = table.get(stage.value, {}).get(str(level), ZERO)
    if amount <= ZERO:
        ctx.reason("education.no_grant", {"member": student.id, "stage": stage.value, "tier": level},
                   params=(GRANT,))
        return
    ctx.pay(_GRANT, amount, member=student.id, rule="education.grant")
    ctx.reason(rule,
               {"member": student.id, "school_year": year, "stage": stage.value, "tier": level,
                "amount": amount},
               params=(GRANT,) if rule == "education.grant" else (BOARDERS_ONLY, NON_BOARDER_GRANT))


def tuition_waiver(ctx: Context, student: Person, year: int,
                   before: Mapping[tuple[str, str], tuple[dt.date, Decimal]]) -> None:
    """§10.3 tier-1 senior-high tuition waiver ``min(school.tuition, education.tuition_cap)``, toward the
    student's first tuition expense of the school year (only what remains of it), else with no need."""
    school = student.school
    assert school is not None
    if school.stage != WAIVER_STAGE:
        return
    paid = before.get((student.id, _WAIVER))
    if paid is not None:
        ctx.reason("education.waiver_already_paid",
                   {"member": student.id, "school_year": year, "date": paid[0], "paid": paid[1]})
        return
    limit: Decimal | None = ctx.params[TUITION_CAP]  # type: ignore[assignment]
    # "none": the whole tuition is waived (no cap), shown as the tuition itself.
    cap = school.tuition if limit is None else limit
    waiver = min(school.tuition, cap)
    if waiver <= ZERO:
        ctx.reason("education.no_tuition", {"member": student.id, "tuition": school.tuition})
        return
    first, last = school_year_bounds(year)
    expense = min(
        (e for e in ctx.household.expenses
         if e.member == student.id and e.kind == ExpenseKind.TUITION and first <= e.date <= last),
        key=lambda e: (e.date, e.id),
        default=None,
    )
    if expense is None:
        ctx.pay(_WAIVER, waiver, member=student.id, rule="education.tuition_waiver")
        ctx.reason("education.tuition_waiver_no_need",
                   {"member": student.id, "tuition": school.tuition, "cap": cap, "amount": waiver},
                   params=(TUITION_CAP,))
        return
    remaining = ctx.needs.remaining(expense.id)
    amount = ctx.pay(_WAIVER, waiver, member=student.id, need=expense.id, rule="education.tuition_waiver")
    ctx.reason("education.tuition_waiver",
               {"member": student.id, "tuition": school.tuition, "cap": cap, "waiver": waiver,
                "need": expense.id, "remaining": remaining, "amount": amount, "unused": waiver - amount},
               params=(TUITION_CAP,))


def _paid_this_school_year(ctx: Context, year: int) -> dict[tuple[str, str], tuple[dt.date, Decimal]]:
    """(member, kind) → (first date, total) of the history education grants and waivers dated in school year
    ``year`` (§10.4)."""
    out: dict[tuple[str, str], tuple[dt.date, Decimal]] = {}
    for past in ctx.household.history:
        if (past.programme == _EDUCATION and past.member is not None and past.kind in (_GRANT, _WAIVER)
                and school_year(past.date) == year):
            key = (past.member, str(past.kind))
            if key in out:
                out[key] = (out[key][0], out[key][1] + past.amount)
            else:
                out[key] = (past.date, past.amount)
    return out
