"""Temporary relief (临时救助, §12): emergency (§12.1) and expenditure (§12.2) relief, the caps (§12.3), the
frequency limit (§12.4) and advance relief (§12.5), always after medical, education and housing (§12.6, §14).

What a grant pays is what the earlier programmes left of the need (``ctx.needs.remaining``), so the programme
comes after ``tekun``, ``dibao`` and ``low_income`` (statuses) and, when installed, ``medical``, ``education``,
``housing`` and ``disaster`` (whose dwelling grant goes toward an event's need, addendum §D.7).

Readings where the statute leaves a choice:

- **"Within N days before ``on``"** is ``0 ≤ on − date ≤ N`` days, for the event window (§12.1), the 365 days
  of §12.2 and §12.4 and the advance window (§12.5): with ``advance_days`` = 7 an event 7 days before ``on``
  qualifies, one 8 days before does not (the same reading as medical assistance, §9.2).
- **Expenditure needs** (§12.2) are all medical expenses (``inpatient``, ``outpatient_chronic``,
  ``outpatient``) and tuition expenses; emergency needs are events. Non-local households get emergency relief
  only (§2.5).
- **Major case** (§12.3): the household or one of its members holds a §12.2 status and the remaining need
  exceeds ``cap_months × S``; this holds for emergency needs too. The cap becomes ``major_cap_months × S`` and
  the payment carries ``approval: "county"``.
- **Rounding** (§12.3): the grant is ``min(remaining, cap)`` rounded to yuan, but never more than remains
  (§14.2): a remaining 100.60 gets 100.60, not 101.00.
- **Frequency limit** (§12.4): history payments of programme ``temporary`` dated within 365 days before ``on``
  are grants already made; payments naming the same need count as one grant (a grant paid in parts, e.g.
  advance relief and then the rest, is one grant), a payment naming no need counts as one. Grants of this
  assessment are added in the order of the needs.
- **Already granted** (§12.4): a history payment of programme ``temporary`` naming the need, at any date.
- A need of which nothing remains after §9–§11 gets no grant and does not use up a grant of §12.4.
- **Expected duration** (china-rules §5.11, not in §12): with ``temporary.emergency_cap = "persons_months"``
  (Gansu 2021: ``S × persons × months``, months at most 6) an emergency event that gives ``duration_months``
  has the cap ``S × members × min(duration_months, cap_months)`` and no major case; Demo City's
  ``standard_months`` keeps §12.3 for every event.
- **Advance relief** (§12.5) is part of the grant, not on top of it: ``min(grant, advance_cap_months × S)``,
  recorded as the payment's ``advance``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from attrs import frozen

from assistkit.api import ZERO, Context, Household, Need, NeedKind, Programme, Rule, round_yuan

from .parameters import (
    ADVANCE_CAP_MONTHS,
    ADVANCE_DAYS,
    CAP_MONTHS,
    EMERGENCY_CAP,
    EMERGENCY_PER_PERSON,
    EVENT_DAYS,
    MAJOR_CAP_MONTHS,
    MAX_GRANTS,
    NO_STATUS_LINE,
    SCHEDULE,
)

if TYPE_CHECKING:
    from assistkit.api import Bands, Parameters

__all__ = [
    "EXPENDITURE_DAYS",
    "RULES",
    "Candidate",
    "TemporaryProgramme",
    "advance_relief",
    "duration_cap",
    "emergency_needs",
    "expenditure_needs",
    "grant_cap",
    "history_grants",
]

EXPENDITURE_DAYS = 365
"""Expenses dated at most this many days before ``on`` are expenditure needs (§12.2); the span of §12.4."""


_TEMPORARY = "temporary"
_GRANT = "grant"
_COUNTY = "county"

RULES: Mapping[str, Rule] = {
    r.id: r
    for r in (
        Rule("temporary.no_need", "§12",
             "家庭无突发事件，也无医疗或学费支出：无临时救助需求",
             "the household has no event and no medical or tuition expense: nothing for temporary relief"),
        Rule("temporary.no_recent_need", "§12.1",
             "无 {event_days} 天内（{event_since} 起）的突发事件，也无 {days} 天内（{since} 起）的医疗或学费支出："
             "无临时救助需求",
             "no event within {event_days} days (since {event_since}) and no medical or tuition expense within "
             "{days} days (since {since}): nothing for temporary relief"),
        Rule("temporary.emergency", "§12.1",
             "急难型：{need}（{date}，{days} 天前，{event_days} 天内）需求剩余 {remaining} 元",
             "emergency: {need} ({date}, {days} days ago, within {event_days}) has {remaining} yuan "
             "remaining"),
        Rule("temporary.expenditure", "§12.2",
             "支出型：{need}（{date}）经医疗、教育、住房救助后剩余 {remaining} 元（家庭身份 {statuses}）",
             "expenditure: {need} ({date}) has {remaining} yuan remaining after medical, education and "
             "housing assistance (statuses {statuses})"),
        Rule("temporary.grant", "§12.3",
             "{need}：救助金取剩余 {remaining} 与 {months} × 标准 {S} = {cap} 中的较小者，取整到元 = {amount} 元",
             "{need}: grant = min(remaining {remaining}, {months} × S {S} = {cap}) rounded to yuan = "
             "{amount} yuan"),
        Rule("temporary.duration_cap", "§12.3",
             "{need}：预计困难持续 {duration} 个月，救助金上限 = 标准 {S} × {members} 人 × {months} 个月"
             "（至多 {most} 个月）= {cap} 元",
             "{need}: the hardship is expected to last {duration} months: the cap is S {S} × {members} members "
             "× {months} months (at most {most}) = {cap} yuan"),
        Rule("temporary.major", "§12.3",
             "{need}：剩余 {remaining} 元超过 {months} × 标准 {S} = {normal_cap} 元，属重大个案："
             "上限 {major_months} × 标准 = {cap} 元，救助金 {amount} 元，需县级审批",
             "{need}: remaining {remaining} yuan exceeds {months} × S {S} = {normal_cap} yuan: a major case, "
             "cap {major_months} × S = {cap} yuan, grant {amount} yuan, needs county approval"),
        Rule("temporary.advance", "§12.5",
             "{need} 发生于 {days} 天前（{advance_days} 天内）："
             "先行救助取救助金 {amount} 与 {months} × 标准 = {cap} 中的较小者 = {advance} 元，"
             "由乡镇临时救助备用金先行支付",
             "{need} happened {days} days ago (within {advance_days}): advance relief = min(grant {amount}, "
             "{months} × S = {cap}) = {advance} yuan, paid at once from the township reserve fund"),
        Rule("temporary.limit", "§12.4",
             "{need}：365 天内已救助 {count} 次（其中历史 {history} 次），已达上限 {max_grants} 次，不再救助",
             "{need}: {count} grants within 365 days ({history} in history) reach the limit of {max_grants}: "
             "no grant"),
        Rule("temporary.already_granted", "§12.4",
             "{need} 已获临时救助（历史记录），不再救助",
             "{need} was already granted temporary relief (history): skipped"),
        Rule("temporary.covered", "§12.6",
             "{need}：经此前各项救助后已无剩余需求",
             "{need}: nothing remains after the earlier programmes"),
        Rule("temporary.nonlocal", "§2.5",
             "非本地户籍家庭仅可获急难型临时救助；支出 {needs} 不予救助",
             "a non-local household gets emergency relief only; no relief for the expenses {needs}"),
        Rule("temporary.grant_per_person", "§12.3",
             "{need}：救助金取剩余 {remaining} 与每人 {times} × 标准 {S} × {members} 人 = {cap} 中的较小者，"
             "取整到元 = {amount} 元",
             "{need}: grant = min(remaining {remaining}, {times} × S {S} a person × {members} members = {cap}) "
             "rounded to yuan = {amount} yuan"),
        Rule("temporary.schedule", "§12.3",
             "{need}：剩余 {remaining} 元，按分段比例（{schedule}）计 {share} 元；取 {share} 与 {months} × 标准 {S} "
             "= {cap} 中的较小者，取整到元 = {amount} 元",
             "{need}: remaining {remaining} yuan, by the banded schedule ({schedule}) {share} yuan; grant = "
             "min({share}, {months} × S {S} = {cap}) rounded to yuan = {amount} yuan"),
        Rule("temporary.schedule_bonus", "§12.3",
             "{need}：剩余 {remaining} 元，按分段比例（{schedule}）并因家庭有重度残疾成员各段加 {bonus} 计 {share} 元；"
             "取 {share} 与 {months} × 标准 {S} = {cap} 中的较小者，取整到元 = {amount} 元",
             "{need}: remaining {remaining} yuan, by the banded schedule ({schedule}) plus {bonus} on each band "
             "for a severely disabled member {share} yuan; grant = min({share}, {months} × S {S} = {cap}) rounded "
             "to yuan = {amount} yuan"),
        Rule("temporary.below_threshold", "§12.3",
             "{need}：剩余 {remaining} 元低于分段救助的起点 {threshold} 元：不予支出型救助",
             "{need}: remaining {remaining} yuan is below the schedule's threshold {threshold} yuan: no "
             "expenditure relief"),
        Rule("temporary.no_status_income", "§12.2",
             "家庭无救助身份：（月可计算收入 {countable} − 一年必需支出 {expenditure} ÷ 12）÷ {people} 人 = "
             "{per_capita} 元，低于 {line} 元：可获支出型救助",
             "no status in the household: (countable monthly income {countable} − the year's necessary "
             "expenditure {expenditure} ÷ 12) ÷ {people} people = {per_capita} yuan, below {line} yuan: "
             "expenditure relief may be granted"),
        Rule("temporary.no_status_income_above", "§12.2",
             "家庭无救助身份：（月可计算收入 {countable} − 一年必需支出 {expenditure} ÷ 12）÷ {people} 人 = "
             "{per_capita} 元，不低于 {line} 元：支出 {needs} 不予支出型救助",
             "no status in the household: (countable monthly income {countable} − the year's necessary "
             "expenditure {expenditure} ÷ 12) ÷ {people} people = {per_capita} yuan, not below {line} yuan: no "
             "expenditure relief for {needs}"),
        Rule("temporary.no_status", "§12.2",
             "家庭及成员均无特困、低保、低保边缘或刚性支出困难身份：支出 {needs} 不予支出型救助",
             "neither the household nor a member holds tekun, dibao, marginal or expenditure hardship: no "
             "expenditure relief for {needs}"),
    )
}


@frozen
class Candidate:
    """A need temporary relief considers: emergency (§12.1) or expenditure (§12.2), with its age in days."""

    need: Need
    emergency: bool
    days: int


class TemporaryProgramme(Programme):
    """§12 temporary relief: one grant per need, in date order then id, within the caps and the limit."""

    name = "temporary"
    title_zh = "临时救助"
    title_en = "Temporary relief"
    after = ("tekun", "dibao", "low_income")
    after_if_present = ("medical", "education", "housing")
    parameters = (EVENT_DAYS, CAP_MONTHS, EMERGENCY_CAP, MAJOR_CAP_MONTHS, MAX_GRANTS, ADVANCE_DAYS, ADVANCE_CAP_MONTHS)
    # What it reads of a household (`assistkit plugins --reads`): local hukou (§11.1), the events and expenses
    # it meets (§11.2–§11.4), and what history has paid toward them and how many grants this year (§11.5).
    reads = ("hukou_local", "events", "expenses", "history")
    rules = RULES

    def assess(self, ctx: Context) -> None:
        household = ctx.household
        if not household.events and not household.expenses:
            ctx.reason("temporary.no_need")
            return
        statuses = ctx.statuses
        with_status = statuses.anyone_holds(statuses.rules.order)
        emergency = emergency_needs(ctx)
        expenditure, refused = _expenditure_needs(ctx, with_status)
        candidates = emergency + expenditure
        if not candidates:
            if not refused:
                event_days = _whole(ctx.params, EVENT_DAYS)
                ctx.reason("temporary.no_recent_need",
                           {"event_days": event_days, "event_since": ctx.on - dt.timedelta(days=event_days),
                            "days": EXPENDITURE_DAYS, "since": ctx.on - dt.timedelta(days=EXPENDITURE_DAYS)},
                           params=(EVENT_DAYS,))
            return
        candidates.sort(key=lambda c: (c.need.date, c.need.id))  # §12.4: date order, then id
        granted, history = history_grants(household, ctx.on)
        max_grants = _whole(ctx.params, MAX_GRANTS)
        count = history
        status_text = _statuses_text(ctx) if with_status else "-"
        for c in candidates:
            need = c.need
            if need.id in granted:
                ctx.reason("temporary.already_granted", {"need": need.id})
                continue
            remaining = ctx.needs.remaining(need.id)
            if remaining <= ZERO:
                ctx.reason("temporary.covered", {"need": need.id})
                continue
            if count >= max_grants:
                ctx.reason("temporary.limit",
                           {"need": need.id, "count": count, "history": history, "max_grants": max_grants},
                           params=(MAX_GRANTS,))
                continue
            if c.emergency:
                ctx.reason("temporary.emergency",
                           {"need": need.id, "date": need.date, "days": c.days,
                            "event_days": ctx.params[EVENT_DAYS], "remaining": remaining},
                           params=(EVENT_DAYS,))
            else:
                ctx.reason("temporary.expenditure", {"need": need.id, "date": need.date,
                                                     "remaining": remaining, "statuses": status_text})
            if _grant(ctx, c, remaining, with_status) > ZERO:
                count += 1


def emergency_needs(ctx: Context) -> list[Candidate]:
    """§12.1 emergency relief: each event dated within ``temporary.event_days`` days before ``on``, for any
    household, local or not."""
    if not ctx.household.events:
        return []
    window = _whole(ctx.params, EVENT_DAYS)
    on = ctx.on
    out = []
    for need in ctx.needs.needs.values():
        if need.kind is NeedKind.EMERGENCY:
            days = (on - need.date).days
            if 0 <= days <= window:
                out.append(Candidate(need, True, days))
    return out


def expenditure_needs(ctx: Context, with_status: bool) -> list[Candidate]:
    """§12.2 expenditure relief: each medical or tuition expense dated within 365 days before ``on``, of a
    local household in which the household or a member holds tekun, dibao, marginal or expenditure_hardship
    (§2.5)."""
    return _expenditure_needs(ctx, with_status)[0]


def _expenditure_needs(ctx: Context, with_status: bool) -> tuple[list[Candidate], bool]:
    """:func:`expenditure_needs`, and whether a reason refused some (non-local, or no status)."""
    household = ctx.household
    if not household.expenses:
        return [], False
    on = ctx.on
    out = []
    for need in ctx.needs.needs.values():
        if need.kind is not NeedKind.EMERGENCY:
            days = (on - need.date).days
            if 0 <= days <= EXPENDITURE_DAYS:
                out.append(Candidate(need, False, days))
    if not out:
        return out, False
    if household.hukou_local and not with_status and NO_STATUS_LINE in ctx.params:
        return _no_status_test(ctx, out)
    if not household.hukou_local or not with_status:
        left = [c.need.id for c in out if ctx.needs.remaining(c.need.id) > ZERO]
        if left:
            rule = "temporary.nonlocal" if not household.hukou_local else "temporary.no_status"
            ctx.reason(rule, {"needs": left})
            return [], True
        for c in out:
            ctx.reason("temporary.covered", {"need": c.need.id})
        return [], True
    return out, False


def _no_status_test(ctx: Context, out: list[Candidate]) -> tuple[list[Candidate], bool]:
    """china-rules §5.11 (Beijing B3 §1(2)): a local household holding no status gets expenditure relief when
    (countable monthly income − its expenditure needs of the 365 days ÷ 12) ÷ members is below
    ``temporary.no_status_line``; the expenditure counts each need's ``gross`` (before any assistance)."""
    people = tuple(p.id for p in ctx.household.members)
    account = ctx.income(people)
    expenditure = sum((c.need.gross for c in out), ZERO)
    per_capita = (account.countable - expenditure / 12) / len(people)
    line_value = ctx.params[NO_STATUS_LINE]
    line: Decimal = line_value.amount(ctx.params)  # type: ignore[union-attr]
    values = {"countable": account.countable, "expenditure": expenditure, "people": len(people),
              "per_capita": per_capita, "line": line}
    if per_capita < line:
        ctx.reason("temporary.no_status_income", values, params=(NO_STATUS_LINE,))
        return out, False
    left = [c.need.id for c in out if ctx.needs.remaining(c.need.id) > ZERO]
    ctx.reason("temporary.no_status_income_above", {**values, "needs": left or "-"}, params=(NO_STATUS_LINE,))
    return [], True


def history_grants(household: Household, on: dt.date) -> tuple[frozenset[str], int]:
    """§12.4 from history: the needs already granted temporary relief (any date), and the number of grants
    dated within 365 days before ``on`` (payments naming one need count once; one naming none counts as
    one)."""
    granted: set[str] = set()
    recent_needs: set[str] = set()
    recent_other = 0
    for past in household.history:
        if past.programme != _TEMPORARY:
            continue
        if past.need is not None:
            granted.add(past.need)
        if 0 <= (on - past.date).days <= EXPENDITURE_DAYS:
            if past.need is None:
                recent_other += 1
            else:
                recent_needs.add(past.need)
    return frozenset(granted), recent_other + len(recent_needs)


def grant_cap(remaining: Decimal, standard: Decimal, months: int, major_months: int,
              with_status: bool) -> tuple[Decimal, bool]:
    """§12.3 the cap of one grant, and whether it is a major case needing county approval: ``months × S``, or
    ``major_months × S`` when the remaining need exceeds ``months × S`` and the household holds a §12.2
    status."""
    cap = months * standard
    if remaining > cap and with_status:
        return major_months * standard, True
    return cap, False


def duration_cap(standard: Decimal, members: int, duration: int, most: int) -> Decimal:
    """§12.3 with ``temporary.emergency_cap = "persons_months"`` (china-rules §5.11, Gansu 2021 L2): for an event
    whose hardship is expected to last ``duration`` months, ``S × members × min(duration, most)``."""
    return standard * members * min(duration, most)


def _expected_months(ctx: Context, c: Candidate) -> int | None:
    """The expected duration of the hardship of an emergency need, where the locality reads it and the event
    gives it."""
    if not c.emergency or ctx.params[EMERGENCY_CAP] != "persons_months":
        return None
    for event in ctx.household.events:
        if event.id == c.need.id:
            return event.duration_months
    return None


def advance_relief(grant: Decimal, standard: Decimal, months: int) -> Decimal:
    """§12.5 advance relief: ``min(grant, advance_cap_months × S)``."""
    return min(grant, months * standard)


def _grant(ctx: Context, c: Candidate, remaining: Decimal, with_status: bool) -> Decimal:
    """§12.3 one grant toward ``c.need``, with §12.5 advance relief for a recent event; returns the amount."""
    params = ctx.params
    standard = ctx.standard
    months = _whole(params, CAP_MONTHS)
    major_months = _whole(params, MAJOR_CAP_MONTHS)
    cap, major = grant_cap(remaining, standard, months, major_months, with_status)
    per_person = params.get(EMERGENCY_PER_PERSON) if c.emergency else None
    if per_person is not None:
        # china-rules §5.11 (Beijing B3 §3): at most per_person × S a member, and no major case.
        members = len(ctx.household.members)
        cap, major = per_person * standard * members, False
    duration = _expected_months(ctx, c)
    if duration is not None:
        # The formula sets the amount: no major case beyond it (a larger one is decided case by case); it takes
        # the place of a per-person cap where a locality gives both.
        members = len(ctx.household.members)
        cap, major, per_person = duration_cap(standard, members, duration, months), False, None
        ctx.reason("temporary.duration_cap", {"need": c.need.id, "duration": duration, "S": standard,
                                              "members": members, "months": min(duration, months),
                                              "most": months, "cap": cap},
                   params=(EMERGENCY_CAP, CAP_MONTHS, ctx.standard_param))
    schedules = params.get(SCHEDULE)
    bands = None if c.emergency or not schedules else schedules.get("status" if with_status else "others")
    if bands is not None:
        return _scheduled_grant(ctx, c, remaining, bands, months, with_status)
    amount = min(round_yuan(min(remaining, cap)), remaining)
    if amount <= ZERO:
        return ZERO
    s_param = ctx.standard_param
    advance_days = _whole(params, ADVANCE_DAYS)
    advance_months = _whole(params, ADVANCE_CAP_MONTHS)
    advance = None
    if c.emergency and c.days <= advance_days:
        advance = advance_relief(amount, standard, advance_months)
    paid = ctx.pay(_GRANT, amount, need=c.need.id, approval=_COUNTY if major else None, advance=advance,
                   rule="temporary.major" if major else "temporary.grant")
    if major:
        ctx.reason("temporary.major",
                   {"need": c.need.id, "remaining": remaining, "months": months, "S": standard,
                    "normal_cap": months * standard, "major_months": major_months, "cap": cap,
                    "amount": paid},
                   params=(CAP_MONTHS, MAJOR_CAP_MONTHS, s_param))
    elif per_person is not None:
        ctx.reason("temporary.grant_per_person",
                   {"need": c.need.id, "remaining": remaining, "times": per_person, "S": standard,
                    "members": len(ctx.household.members), "cap": cap, "amount": paid},
                   params=(EMERGENCY_PER_PERSON, s_param))
    else:
        ctx.reason("temporary.grant",
                   {"need": c.need.id, "remaining": remaining, "months": months, "S": standard,
                    "cap": cap, "amount": paid},
                   params=(CAP_MONTHS, s_param))
    if advance is not None:
        ctx.reason("temporary.advance",
                   {"need": c.need.id, "days": c.days, "advance_days": advance_days, "amount": paid,
                    "months": advance_months, "cap": advance_months * standard, "advance": advance},
                   params=(ADVANCE_DAYS, ADVANCE_CAP_MONTHS, s_param))
    return paid


def _scheduled_grant(ctx: Context, c: Candidate, remaining: Decimal, bands: Bands, months: int,
                     with_status: bool) -> Decimal:
    """china-rules §5.11: an expenditure grant as the banded share of what remains (``temporary.expenditure_schedule``,
    with its bonus when a member has disability grade 1–2), at most ``cap_months`` × S, rounded to yuan; no major
    case (the schedule's cap is the locality's whole cap)."""
    standard = ctx.standard
    if remaining < bands.threshold:
        ctx.reason("temporary.below_threshold", {"need": c.need.id, "remaining": remaining,
                                                 "threshold": bands.threshold}, params=(SCHEDULE,))
        return ZERO
    bonus = bool(bands.bonus) and any(p.disability_grade in (1, 2) for p in ctx.household.members)
    share = bands.apply(remaining, bonus=bonus)
    cap = months * standard
    amount = min(round_yuan(min(share, cap)), remaining)
    if amount <= ZERO:
        return ZERO
    paid = ctx.pay(_GRANT, amount, need=c.need.id, rule="temporary.grant")
    values = {"need": c.need.id, "remaining": remaining, "schedule": str(bands), "share": share,
              "months": months, "S": standard, "cap": cap, "amount": paid}
    if bonus:
        ctx.reason("temporary.schedule_bonus", {**values, "bonus": bands.bonus},
                   params=(SCHEDULE, CAP_MONTHS, ctx.standard_param))
    else:
        ctx.reason("temporary.schedule", values, params=(SCHEDULE, CAP_MONTHS, ctx.standard_param))
    return paid


def _whole(params: Parameters, name: str) -> int:
    """An ``int`` parameter (days, months of S, grants)."""
    value = params[name]
    assert isinstance(value, int), name
    return value


def _statuses_text(ctx: Context) -> str:
    held = set(ctx.statuses.household)
    for statuses in ctx.statuses.members.values():
        held |= statuses
    return ", ".join(s for s in ctx.statuses.rules.order if s in held)
