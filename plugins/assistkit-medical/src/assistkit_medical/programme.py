"""Medical assistance (医疗救助, §9): the premium subsidy (§9.1) and treatment assistance (§9.2–§9.3).

A person's status is the person-status rule of parameters.md (:meth:`Context.person_status`): the first
of tekun, dibao, marginal, expenditure_hardship the person holds, else that their household holds.

Readings where the statute leaves a choice:

- **Local households only** (§2.5): a non-local household gets nothing here, whatever statuses it holds.
- **Amounts** are rounded to the fen (§1.1): the premium subsidy (the statute names no rounding; Demo City's
  figures are exact) and the treatment payable (§9.2c says so).
- **"Already paid" / "already assisted"** means a history payment of programme ``medical``: kind
  ``premium_subsidy`` for the person dated in the calendar year of ``on`` (§9.1); kind ``treatment``
  naming the expense (§9.2). A bill that only temporary relief or a donation helped is not "already
  assisted" by medical assistance: it is assessed, and the needs ledger pays only what remains of it
  (§14.2), so nothing is paid twice.
- **Within 365 days before ``on``**: ``0 ≤ on − date ≤ 365`` days, so a bill dated exactly 365 days before
  ``on`` counts.
- **History deductible** (§9.2b): the bills named by a history treatment payment consume the deductible of
  their person and their own calendar year, each up to its base ``max(0, in_scope − insurance_paid)`` from
  ``household.expenses``, whether or not they fall in the 365 days. A history payment naming an expense the
  household no longer lists consumes nothing (its base is unknown) but still counts toward the cap.
- **History cap** (§9.2d): history treatment payments count for their ``member``, or when that is null for the
  member of the expense they name, in the calendar year of the payment's date.
- **Cap left** uses what this assessment actually paid (after the needs ledger's clamp) for earlier bills.
- The deductible and the cap use the status and parameter values on ``on``, also for bills of the previous
  calendar year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from assistkit.api import (
    MEDICAL_KINDS,
    ZERO,
    Context,
    Expense,
    ExpenseKind,
    Household,
    Programme,
    Reason,
    Rule,
    round_fen,
)

from .parameters import (
    ANNUAL_CAP,
    CAP_BY_CARE,
    CAP_EXEMPT,
    CARE_TYPE,
    DEDUCTIBLE,
    PREMIUM,
    PREMIUM_RATE,
    RATIO,
    RATIO_BY_CARE,
)

__all__ = [
    "RULES",
    "TREATED_KINDS",
    "WINDOW_DAYS",
    "MedicalProgramme",
    "base_of",
    "premium_subsidy",
    "treatment",
]

TREATED_KINDS = frozenset({ExpenseKind.INPATIENT, ExpenseKind.OUTPATIENT_CHRONIC})
"""Expense kinds assisted under §9.2; plain ``outpatient`` is not."""

WINDOW_DAYS = 365
"""A bill counts when dated at most this many days before ``on`` (§9.2), the last day included."""

_MEDICAL = "medical"
_PREMIUM_SUBSIDY = "premium_subsidy"
_TREATMENT = "treatment"

RULES: Mapping[str, Rule] = {
    r.id: r
    for r in (
        Rule("medical.nonlocal", "§2.5",
             "非本地户籍家庭不享受医疗救助",
             "a non-local household gets no medical assistance"),
        Rule("medical.no_status", "§9",
             "家庭及成员均无特困、低保、低保边缘或刚性支出困难身份：参保资助（§9.1）和医疗费用救助（§9.2）"
             "均以此类身份为前提，不予医疗救助",
             "neither the household nor any member holds tekun, dibao, marginal or expenditure hardship: the "
             "premium subsidy (§9.1) and treatment assistance (§9.2) both require one, so no medical "
             "assistance"),
        Rule("medical.no_premium_rate", "§9.1",
             "{member}（{status}）：此身份不享受参保资助（资助比例表中无此身份）",
             "{member} ({status}): this status gets no premium subsidy (the premium-rate table does not "
             "list it)"),
        Rule("medical.no_bills", "§9.2",
             "{days} 天内（{since} 至 {on}）无医疗费用支出：无医疗费用救助",
             "no medical bill within {days} days ({since} to {on}): no treatment assistance"),
        Rule("medical.no_ratio", "§9.2",
             "{need}（{member}）：本人及家庭均无特困、低保、低保边缘或刚性支出困难身份，不予医疗费用救助",
             "{need} ({member}): neither the person nor the household holds tekun, dibao, marginal or "
             "expenditure hardship: no treatment assistance"),
        Rule("medical.premium_subsidy", "§9.1",
             "{member}（{status}）{year} 年参保资助 = 保费 {premium} × 比例 {rate} = {amount} 元",
             "{member} ({status}): premium subsidy for {year} = premium {premium} × rate {rate} "
             "= {amount} yuan"),
        Rule("medical.premium_already_paid", "§9.1",
             "{member} {year} 年已获参保资助（{date}，{paid} 元），本年不再资助",
             "{member} already had a premium subsidy in {year} ({date}, {paid} yuan): none again this year"),
        Rule("medical.treatment", "§9.2",
             "{need}（{member}，{status}，{date}）：基数 = 政策范围内 {in_scope} − "
             "保险已付 {insurance_paid}（不低于 0）= {base} 元；{year} 年起付线 {deductible}，"
             "此前已用 {deductible_before}，本单用 {deductible_used}；"
             "应付 = ({base} − {deductible_used}) × {ratio} = {payable} 元；年度限额 {cap}，"
             "已付 {cap_used}（历史 {history_paid}），剩余 {cap_left}；支付 {amount} 元",
             "{need} ({member}, {status}, {date}): base = max(0, in-scope {in_scope} − insurance "
             "{insurance_paid}) = {base}; deductible {deductible} for {year}, {deductible_before} used "
             "before, {deductible_used} on this bill; payable = ({base} − {deductible_used}) × {ratio} = "
             "{payable}; annual cap {cap}, {cap_used} used ({history_paid} in history), {cap_left} left; "
             "paid {amount} yuan"),
        Rule("medical.treatment_no_cap", "§9.2",
             "{need}（{member}，{status}，{date}）：基数 = max(0, 政策范围内 {in_scope} − "
             "保险已付 {insurance_paid}) = {base} 元；{year} 年起付线 {deductible}，"
             "此前已用 {deductible_before}，本单用 {deductible_used}；"
             "应付 = ({base} − {deductible_used}) × {ratio} = {payable} 元；该身份不设年度限额；支付 {amount} 元",
             "{need} ({member}, {status}, {date}): base = max(0, in-scope {in_scope} − insurance "
             "{insurance_paid}) = {base}; deductible {deductible} for {year}, {deductible_before} used "
             "before, {deductible_used} on this bill; payable = ({base} − {deductible_used}) × {ratio} = "
             "{payable}; no yearly cap for this status; paid {amount} yuan"),
        Rule("medical.treatment_care", "§9.2",
             "{need}（{member}，{status}，{care}，{date}）：基数 = max(0, 政策范围内 {in_scope} − "
             "保险已付 {insurance_paid}) = {base} 元；{year} 年起付线 {deductible}，"
             "此前已用 {deductible_before}，本单用 {deductible_used}；"
             "应付 = ({base} − {deductible_used}) × {care}救助比例 {ratio} = {payable} 元；"
             "{care}年度限额 {care_cap}，已付 {care_used}；年度总限额 {cap}，已付 {cap_used}（历史 {history_paid}）；"
             "剩余 {cap_left}；支付 {amount} 元",
             "{need} ({member}, {status}, {care}, {date}): base = max(0, in-scope {in_scope} − insurance "
             "{insurance_paid}) = {base}; deductible {deductible} for {year}, {deductible_before} used "
             "before, {deductible_used} on this bill; payable = ({base} − {deductible_used}) × {care} ratio "
             "{ratio} = {payable}; {care} yearly cap {care_cap}, {care_used} used; yearly cap {cap}, {cap_used} "
             "used ({history_paid} in history); {cap_left} left; paid {amount} yuan"),
        Rule("medical.treatment_care_open", "§9.2",
             "{need}（{member}，{status}，{care}，{date}）：基数 = max(0, 政策范围内 {in_scope} − "
             "保险已付 {insurance_paid}) = {base} 元；{year} 年起付线 {deductible}，"
             "此前已用 {deductible_before}，本单用 {deductible_used}；"
             "应付 = ({base} − {deductible_used}) × {care}救助比例 {ratio} = {payable} 元；"
             "{care}不单设年度限额；年度总限额 {cap}，已付 {cap_used}（历史 {history_paid}），剩余 {cap_left}；"
             "支付 {amount} 元",
             "{need} ({member}, {status}, {care}, {date}): base = max(0, in-scope {in_scope} − insurance "
             "{insurance_paid}) = {base}; deductible {deductible} for {year}, {deductible_before} used "
             "before, {deductible_used} on this bill; payable = ({base} − {deductible_used}) × {care} ratio "
             "{ratio} = {payable}; no yearly cap of its own for {care}; yearly cap {cap}, {cap_used} used "
             "({history_paid} in history), {cap_left} left; paid {amount} yuan"),
        Rule("medical.treatment_care_no_cap", "§9.2",
             "{need}（{member}，{status}，{care}，{date}）：基数 = max(0, 政策范围内 {in_scope} − "
             "保险已付 {insurance_paid}) = {base} 元；{year} 年起付线 {deductible}，"
             "此前已用 {deductible_before}，本单用 {deductible_used}；"
             "应付 = ({base} − {deductible_used}) × {care}救助比例 {ratio} = {payable} 元；该身份不设年度限额；"
             "支付 {amount} 元",
             "{need} ({member}, {status}, {care}, {date}): base = max(0, in-scope {in_scope} − insurance "
             "{insurance_paid}) = {base}; deductible {deductible} for {year}, {deductible_before} used "
             "before, {deductible_used} on this bill; payable = ({base} − {deductible_used}) × {care} ratio "
             "{ratio} = {payable}; no yearly cap for this status; paid {amount} yuan"),
        Rule("medical.kind_not_listed", "§9.2",
             "{need}（{member}）为{kind}费用，不在本地医疗费用救助的费用类别（{listed}）之中，不予医疗费用救助",
             "{need} ({member}) is a bill of {kind}, not among the kinds this locality assists ({listed}): "
             "no treatment assistance"),
        Rule("medical.already_assisted", "§9.2",
             "{need}（{member}）已获医疗救助（历史记录），不再救助",
             "{need} ({member}) was already assisted by medical assistance (history): not assessed again"),
        Rule("medical.kind_not_covered", "§9.2",
             "{need}（{member}）为普通门诊费用，不属于住院或门诊慢特病，不予医疗救助",
             "{need} ({member}) is a plain outpatient bill, neither inpatient nor chronic outpatient: "
             "no treatment assistance"),
    )
}


_NO_STATUS = (Reason("medical.no_status", params=(PREMIUM_RATE, RATIO)),)
"""Shared by every household it explains (a reason is immutable, its empty values read-only)."""


class MedicalProgramme(Programme):
    """§9 medical assistance: premium subsidy once per person per calendar year, then treatment assistance."""

    name = "medical"
    title_zh = "医疗救助"
    title_en = "Medical assistance"
    after = ("tekun", "dibao", "low_income")
    # Also read when the locality gives them (optional, so not every locality has a value): CARE_TYPE,
    # RATIO_BY_CARE, CAP_BY_CARE (china-rules §5.7).
    parameters = (PREMIUM, PREMIUM_RATE, DEDUCTIBLE, RATIO, ANNUAL_CAP, CAP_EXEMPT)
    # What it reads of a household (`assistkit plugins --reads`): local hukou (§8.1), the members (their ids, to
    # match statuses and expenses), the medical expenses (§8.3) and what history has paid toward them this year
    # (the annual cap, §8.4).
    reads = ("hukou_local", "members.id", "expenses", "history")
    rules = RULES

    def assess(self, ctx: Context) -> None:
        statuses = ctx.statuses
        if not statuses.household and not statuses.members:
            ctx.reasons(_NO_STATUS)  # every rule of §9 needs a status
            return
        if not ctx.household.hukou_local:
            ctx.reason("medical.nonlocal")
            return
        premium_subsidy(ctx)
        treatment(ctx)

    # Why zero: premium_subsidy() says why for each member with a status (already paid, no rate), and
    # treatment() for each bill it sees or that there is none.


def premium_subsidy(ctx: Context) -> None:
    """§9.1 premium subsidy: ``medical.premium × medical.premium_rate[status]`` once per person per calendar
    year; not paid when history has a premium subsidy for the person dated in the year of ``on``."""
    household = ctx.household
    year = ctx.on.year
    paid_before: dict[str, tuple[dt.date, Decimal]] = {}
    for past in household.history:
        if (past.kind == _PREMIUM_SUBSIDY and past.programme == _MEDICAL and past.member is not None
                and past.date.year == year):
            paid_before.setdefault(past.member, (past.date, past.amount))
    premium: Decimal = ctx.params[PREMIUM]  # type: ignore[assignment]
    rates: Mapping[str, Decimal] = ctx.params[PREMIUM_RATE]  # type: ignore[assignment]
    for person in household.members:
        status = ctx.person_status(person.id)
        if status is None:
            continue
        rate = rates.get(status)
        if rate is None or round_fen(premium * rate) <= ZERO:
            ctx.reason("medical.no_premium_rate", {"member": person.id, "status": status}, params=(PREMIUM_RATE,))
            continue
        before = paid_before.get(person.id)
        if before is not None:
            ctx.reason("medical.premium_already_paid",
                       {"member": person.id, "year": year, "date": before[0], "paid": before[1]})
            continue
        amount = round_fen(premium * rate)
        ctx.pay(_PREMIUM_SUBSIDY, amount, member=person.id, rule="medical.premium_subsidy")
        ctx.reason("medical.premium_subsidy",
                   {"member": person.id, "status": status, "year": year, "premium": premium, "rate": rate,
                    "amount": amount},
                   params=(PREMIUM, PREMIUM_RATE))


def base_of(expense: Expense) -> Decimal:
    """§9.2a: ``max(0, in_scope − insurance_paid)`` — insurance always pays first."""
    return max(ZERO, expense.scope - expense.insurance_paid)


def treatment(ctx: Context) -> None:
    """§9.2 treatment assistance on each inpatient or chronic-outpatient bill within 365 days before
    ``on``, paid toward the bill through the needs ledger (§9.3, §14.2): base (a), deductible (b), ratio (c)
    and cap (d)."""
    household = ctx.household
    on = ctx.on
    bills: list[Expense] = []
    for e in household.expenses:
        if e.kind in MEDICAL_KINDS and 0 <= (on - e.date).days <= WINDOW_DAYS:
            bills.append(e)
    if not bills:
        ctx.reason("medical.no_bills", {"days": WINDOW_DAYS, "since": on - dt.timedelta(days=WINDOW_DAYS), "on": on})
        return
    ratios: Mapping[str, Decimal] = ctx.params[RATIO]  # type: ignore[assignment]
    deductibles: Mapping[str, Decimal] = ctx.params[DEDUCTIBLE]  # type: ignore[assignment]
    cap: Decimal = ctx.params[ANNUAL_CAP]  # type: ignore[assignment]
    exempt = frozenset(ctx.params[CAP_EXEMPT])  # type: ignore[arg-type]
    params = ctx.params
    if CARE_TYPE in params or RATIO_BY_CARE in params or CAP_BY_CARE in params:
        _treatment_by_care(ctx, bills, ratios, deductibles, cap, exempt)
        return
    assisted, history_paid, history_base = _treatment_history(household)
    used: dict[tuple[str, int], Decimal] = {}  # deductible used per (person, year of the bill)
    paid_now: dict[tuple[str, int], Decimal] = {}  # paid by this assessment per (person, year of the bill)
    bills.sort(key=lambda e: (e.date, e.id))  # §9.2b: in date order, then id
    for bill in bills:
        member = bill.member
        status = ctx.person_status(member)
        ratio = ratios.get(status) if status is not None else None
        if ratio is None:
            ctx.reason("medical.no_ratio", {"need": bill.id, "member": member}, params=(RATIO,))
            continue
        if bill.kind not in TREATED_KINDS:
            ctx.reason("medical.kind_not_covered", {"need": bill.id, "member": member})
            continue
        if bill.id in assisted:
            ctx.reason("medical.already_assisted", {"need": bill.id, "member": member})
            continue
        year = bill.date.year
        key = (member, year)
        deductible = deductibles.get(status, ZERO)  # type: ignore[arg-type]
        before = used.get(key)
        if before is None:
            before = min(deductible, history_base.get(key, ZERO))  # bills already assisted consume it first
        base = base_of(bill)
        deductible_used = min(base, max(ZERO, deductible - before))
        used[key] = before + deductible_used
        payable = round_fen((base - deductible_used) * ratio)
        in_history = history_paid.get(key, ZERO)
        if status in exempt:
            # §9.2d with medical.cap_exempt: no yearly cap for this status ("no limit", not a large number).
            paid = ZERO
            if payable > ZERO:
                paid = ctx.pay(_TREATMENT, payable, member=member, need=bill.id, rule="medical.treatment")
                paid_now[key] = paid_now.get(key, ZERO) + paid
            ctx.reason("medical.treatment_no_cap",
                       {"need": bill.id, "member": member, "status": status, "date": bill.date, "year": year,
                        "in_scope": bill.scope, "insurance_paid": bill.insurance_paid, "base": base,
                        "deductible": deductible, "deductible_before": before, "deductible_used": deductible_used,
                        "ratio": ratio, "payable": payable, "amount": paid},
                       params=(DEDUCTIBLE, RATIO, CAP_EXEMPT))
            continue
        cap_used = in_history + paid_now.get(key, ZERO)
        cap_left = max(ZERO, cap - cap_used)
        amount = min(payable, cap_left)
        paid = ZERO
        if amount > ZERO:
            paid = ctx.pay(_TREATMENT, amount, member=member, need=bill.id, rule="medical.treatment")
            paid_now[key] = paid_now.get(key, ZERO) + paid
        ctx.reason("medical.treatment",
                   {"need": bill.id, "member": member, "status": status, "date": bill.date, "year": year,
                    "in_scope": bill.scope, "insurance_paid": bill.insurance_paid, "base": base,
                    "deductible": deductible, "deductible_before": before, "deductible_used": deductible_used,
                    "ratio": ratio, "payable": payable, "cap": cap, "cap_used": cap_used,
                    "history_paid": in_history, "cap_left": cap_left, "amount": paid},
                   params=(DEDUCTIBLE, RATIO, ANNUAL_CAP))


_DEFAULT_CARE: Mapping[str, str] = {"inpatient": "inpatient", "outpatient_chronic": "inpatient"}
"""Without ``medical.care_type``: the bills §9.2 assists, one care type."""


def _treatment_by_care(ctx: Context, bills: list[Expense], ratios: Mapping[str, Decimal],
                       deductibles: Mapping[str, Decimal], cap: Decimal, exempt: frozenset[str]) -> None:
    """§9.2 with ratios and caps per care type (china-rules §5.7): each bill counts as the care type its kind is
    listed under (``medical.care_type``); the ratio is ``medical.ratio_by_care[status][care]`` where listed, else
    ``medical.ratio[status]``; the payment is capped by what is left of the yearly cap of its care type
    (``medical.cap_by_care[status][care]``, when listed) and of the yearly cap ``medical.annual_cap``, both per
    person and calendar year of the bill; a status in ``medical.cap_exempt`` has neither cap."""
    household = ctx.household
    params = ctx.params
    care_of: Mapping[str, str] = params.get(CARE_TYPE) or _DEFAULT_CARE
    by_care: Mapping[str, Mapping[str, Decimal]] = params.get(RATIO_BY_CARE) or {}
    caps_by_care: Mapping[str, Mapping[str, Decimal | None]] = params.get(CAP_BY_CARE) or {}
    listed = tuple(care_of)
    kinds = {e.id: e.kind for e in household.expenses}
    assisted, history_paid, history_base = _treatment_history(household)
    history_care: dict[tuple[str, int, str], Decimal] = {}
    for past in household.history:
        if past.kind != _TREATMENT or past.programme != _MEDICAL or past.need is None:
            continue
        kind = kinds.get(past.need)
        named = next((e for e in household.expenses if e.id == past.need), None)
        member = past.member if past.member is not None else (named.member if named is not None else None)
        if kind is None or member is None or kind not in care_of:
            continue  # a bill no longer listed counts toward the yearly cap only
        key3 = (member, past.date.year, care_of[kind])
        history_care[key3] = history_care.get(key3, ZERO) + past.amount
    used: dict[tuple[str, int], Decimal] = {}
    paid_now: dict[tuple[str, int], Decimal] = {}
    paid_care: dict[tuple[str, int, str], Decimal] = {}
    bills.sort(key=lambda e: (e.date, e.id))
    for bill in bills:
        member = bill.member
        status = ctx.person_status(member)
        care = care_of.get(bill.kind)
        ratio = None
        if status is not None and care is not None:
            ratio = by_care.get(status, {}).get(care, ratios.get(status))
        elif status is not None:
            ratio = ratios.get(status)
        if ratio is None:
            ctx.reason("medical.no_ratio", {"need": bill.id, "member": member}, params=(RATIO, RATIO_BY_CARE))
            continue
        if care is None:
            ctx.reason("medical.kind_not_listed", {"need": bill.id, "member": member, "kind": bill.kind,
                                                   "listed": listed},
                       params=(CARE_TYPE,))
            continue
        if bill.id in assisted:
            ctx.reason("medical.already_assisted", {"need": bill.id, "member": member})
            continue
        assert status is not None
        year = bill.date.year
        key = (member, year)
        deductible = deductibles.get(status, ZERO)
        before = used.get(key)
        if before is None:
            before = min(deductible, history_base.get(key, ZERO))
        base = base_of(bill)
        deductible_used = min(base, max(ZERO, deductible - before))
        used[key] = before + deductible_used
        payable = round_fen((base - deductible_used) * ratio)
        values = {"need": bill.id, "member": member, "status": status, "care": care, "date": bill.date,
                  "year": year, "in_scope": bill.scope, "insurance_paid": bill.insurance_paid, "base": base,
                  "deductible": deductible, "deductible_before": before, "deductible_used": deductible_used,
                  "ratio": ratio, "payable": payable}
        key3 = (member, year, care)
        if status in exempt:
            paid = ZERO
            if payable > ZERO:
                paid = ctx.pay(_TREATMENT, payable, member=member, need=bill.id, rule="medical.treatment")
                paid_now[key] = paid_now.get(key, ZERO) + paid
                paid_care[key3] = paid_care.get(key3, ZERO) + paid
            ctx.reason("medical.treatment_care_no_cap", {**values, "amount": paid},
                       params=(DEDUCTIBLE, RATIO_BY_CARE, CAP_EXEMPT))
            continue
        in_history = history_paid.get(key, ZERO)
        cap_used = in_history + paid_now.get(key, ZERO)
        cap_left = max(ZERO, cap - cap_used)
        care_cap = caps_by_care.get(status, {}).get(care)
        care_used = history_care.get(key3, ZERO) + paid_care.get(key3, ZERO)
        if care_cap is not None:
            cap_left = min(cap_left, max(ZERO, care_cap - care_used))
        amount = min(payable, cap_left)
        paid = ZERO
        if amount > ZERO:
            paid = ctx.pay(_TREATMENT, amount, member=member, need=bill.id, rule="medical.treatment")
            paid_now[key] = paid_now.get(key, ZERO) + paid
            paid_care[key3] = paid_care.get(key3, ZERO) + paid
        values.update(cap=cap, cap_used=cap_used, history_paid=in_history, cap_left=cap_left, amount=paid)
        if care_cap is None:
            ctx.reason("medical.treatment_care_open", values, params=(DEDUCTIBLE, RATIO_BY_CARE, ANNUAL_CAP))
        else:
            ctx.reason("medical.treatment_care", {**values, "care_cap": care_cap, "care_used": care_used},
                       params=(DEDUCTIBLE, RATIO_BY_CARE, CAP_BY_CARE, ANNUAL_CAP))


def _treatment_history(
    household: Household,
) -> tuple[set[str], dict[tuple[str, int], Decimal], dict[tuple[str, int], Decimal]]:
    """From history: the expenses already assisted (§9.2), treatment paid per (person, year of payment)
    for the cap (§9.2d), and the bases of assisted bills per (person, year of the bill) for the deductible
    (§9.2b)."""
    assisted: set[str] = set()
    paid: dict[tuple[str, int], Decimal] = {}
    history = household.history
    if not history:
        return assisted, paid, {}
    expenses: dict[str, Expense] | None = None
    for past in history:
        if past.kind != _TREATMENT or past.programme != _MEDICAL:
            continue
        member = past.member
        if past.need is not None:
            assisted.add(past.need)
            if member is None:
                if expenses is None:
                    expenses = {e.id: e for e in household.expenses}
                named = expenses.get(past.need)
                member = named.member if named is not None else None
        if member is not None:
            key = (member, past.date.year)
            paid[key] = paid.get(key, ZERO) + past.amount
    bases: dict[tuple[str, int], Decimal] = {}
    if assisted:
        for e in household.expenses:
            if e.id in assisted and e.kind in MEDICAL_KINDS:
                key = (e.member, e.date.year)
                bases[key] = bases.get(key, ZERO) + base_of(e)
    return assisted, paid, bases
