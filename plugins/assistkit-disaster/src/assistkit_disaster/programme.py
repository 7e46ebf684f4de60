"""The rules of disaster-victim relief (受灾人员救助): Demo City's addendum §D, one function per clause.

In short (the docs' statute page prints §D in full):

- §D.1 Each event of kind ``disaster`` dated within ``disaster.relief_days`` days before ``on``
  (0 ≤ on − date ≤ that many days) opens disaster relief, for any household, local or not.
- §D.2 Emergency living relief (应急生活救助): ``disaster.emergency_per_person`` × members, kind
  ``emergency_living``.
- §D.3 Transitional living relief (过渡期生活救助), when the dwelling is ``severe``-ly damaged or ``collapsed``
  and the household (or a member) holds a status or the unit's per-capita income is below
  ``marginal.multiple`` × S: ``disaster.transitional_daily`` × ``disaster.transitional_days`` × members, kind
  ``transitional_living``.
- §D.4 Dwelling (倒损住房恢复重建), for an owned dwelling: ``disaster.rebuild`` (collapsed) or ``disaster.repair``
  (severe), kind ``dwelling``, **toward the event's need** and limited to what remains of it.
- §D.5 Bereavement (遇难人员家属抚慰): ``disaster.bereavement`` × the event's ``deceased``, kind ``bereavement``.
- §D.6 §D.2, §D.3 and §D.5 support living: they name the event but are not counted toward its need
  (:data:`~assistkit.household.LIVING_KINDS`); a part already paid (history: a ``disaster`` payment of that kind
  naming the event) is skipped. No payment names a member.
- §D.7 After tekun, dibao and low_income; before temporary relief, which sees only what remains of the need.

Readings where the text needs one:

- **Members** are the household's members on ``on``; the people who died are no longer members (the format says
  so), so they count for bereavement only.
- **Order of payments** per event: bereavement, emergency living, transitional living, then the dwelling — the
  consolation and the living relief reach the family at once, the rebuilding grant after (worked example 09).
  Events are served in date order, then id.
- **Per-capita income** (§D.3) is the dibao unit's, as the determination's ``income`` reports it (the unit
  without tekun members, §2.4); when no programme reported it, the same accounting is made here.
- **Expected duration** (china-rules §5.6, not in §D): with ``disaster.transitional_duration = "expected"`` an
  event that gives ``duration_months`` gets 30 days a month of transitional relief, at most
  ``disaster.transitional_days``; Demo City's ``fixed`` always pays ``transitional_days``.
- A dwelling grant of which nothing remains of the need (compensation and history have covered it) is not paid,
  and the reason says so; ``damaged`` (light damage) opens neither §D.3 nor §D.4.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from assistkit.api import (
    ZERO,
    Context,
    Event,
    EventKind,
    HouseDamage,
    Household,
    Parameters,
    Programme,
    Rule,
    Tenure,
)

from .parameters import (
    BEREAVEMENT,
    EMERGENCY_PER_PERSON,
    MARGINAL_LINE,
    MARGINAL_MULTIPLE,
    REBUILD,
    RELIEF_DAYS,
    REPAIR,
    TRANSITIONAL_DAILY,
    TRANSITIONAL_DAYS,
    TRANSITIONAL_DURATION,
)

__all__ = [
    "DAMAGE_ZH",
    "DAYS_PER_MONTH",
    "RULES",
    "DisasterProgramme",
    "already_paid",
    "bereavement",
    "dwelling_grant",
    "emergency_living",
    "relief_events",
    "transitional_days",
    "transitional_living",
]


DAMAGE_ZH: Mapping[str, str] = {
    HouseDamage.NONE: "未受损", HouseDamage.DAMAGED: "一般损坏", HouseDamage.SEVERE: "严重损坏",
    HouseDamage.COLLAPSED: "倒塌",
}
"""The Chinese words for ``house_damage``, for reasons."""

_STATUS_ZH: Mapping[str, str] = {"tekun": "特困", "dibao": "低保", "marginal": "低保边缘",
                                 "expenditure_hardship": "刚性支出困难"}
_TENURE_ZH: Mapping[str, str] = {Tenure.OWNED: "自有", Tenure.RENTED: "租住", Tenure.PUBLIC_RENTAL: "公租房",
                                 Tenure.NONE: "无住房"}
_KIND_ZH: Mapping[str, str] = {"emergency_living": "应急生活救助", "transitional_living": "过渡期生活救助",
                               "dwelling": "倒损住房恢复重建补助", "bereavement": "遇难人员家属抚慰金"}
_KIND_EN: Mapping[str, str] = {"emergency_living": "emergency living relief",
                               "transitional_living": "transitional living relief",
                               "dwelling": "the dwelling grant", "bereavement": "bereavement consolation"}

_DISASTER = "disaster"
_EMERGENCY = "emergency_living"
_TRANSITIONAL = "transitional_living"
_DWELLING = "dwelling"
_BEREAVEMENT = "bereavement"
_HEAVY = (HouseDamage.SEVERE, HouseDamage.COLLAPSED)

RULES: Mapping[str, Rule] = {
    r.id: r
    for r in (
        Rule("disaster.none", "§D.1", "本户没有自然灾害事件：不适用受灾人员救助",
             "the household has no disaster event: disaster-victim relief does not apply"),
        Rule("disaster.event", "§D.1",
             "{need}：{date} 遭受自然灾害（{days} 天前，在 {relief_days} 天内）：给予受灾人员救助，"
             "住房{damage_zh}，遇难 {deceased} 人",
             "{need}: a disaster on {date} ({days} days ago, within {relief_days}) opens disaster-victim "
             "relief; dwelling {damage}, {deceased} deceased"),
        Rule("disaster.outside", "§D.1",
             "{need}：灾害发生于 {date}（{days} 天前），已超过 {relief_days} 天：不再给予受灾人员救助",
             "{need}: the disaster of {date} ({days} days ago) is more than {relief_days} days old: no "
             "disaster-victim relief"),
        Rule("disaster.bereavement", "§D.5",
             "{need}：遇难 {deceased} 人，遇难人员家属抚慰金 = {per_person} 元 × {deceased} = {amount} 元"
             "（不计入该需求）",
             "{need}: {deceased} deceased, bereavement consolation = {per_person} yuan × {deceased} = "
             "{amount} yuan (not toward the need)"),
        Rule("disaster.emergency", "§D.2",
             "{need}：应急生活救助 = {per_person} 元 × {members} 人 = {amount} 元（不计入该需求）",
             "{need}: emergency living relief = {per_person} yuan × {members} members = {amount} yuan "
             "(not toward the need)"),
        Rule("disaster.duration", "§D.3",
             "{need}：预计困难持续 {months} 个月，按每月 30 天计，过渡期生活救助 {days} 天（至多 {most} 天）",
             "{need}: the hardship is expected to last {months} months, 30 days a month: {days} days of "
             "transitional living relief (at most {most})"),
        Rule("disaster.transitional", "§D.3",
             "{need}：住房{damage_zh}，家庭享有{statuses_zh}身份：过渡期生活救助 = {daily} 元/人/天 × {days} 天 × "
             "{members} 人 = {amount} 元（不计入该需求）",
             "{need}: dwelling {damage} and the household holds {statuses}: transitional living relief = "
             "{daily} yuan a person a day × {days} days × {members} members = {amount} yuan (not toward the "
             "need)"),
        Rule("disaster.transitional_income", "§D.3",
             "{need}：住房{damage_zh}，人均收入 {per_capita} 元低于 {multiple} × 低保标准 {S} = {line} 元："
             "过渡期生活救助 = {daily} 元/人/天 × {days} 天 × {members} 人 = {amount} 元（不计入该需求）",
             "{need}: dwelling {damage} and the per-capita income {per_capita} yuan is below {multiple} × S "
             "{S} = {line} yuan: transitional living relief = {daily} yuan a person a day × {days} days × "
             "{members} members = {amount} yuan (not toward the need)"),
        Rule("disaster.no_transitional", "§D.3",
             "{need}：住房{damage_zh}，但家庭及成员均无特困、低保、低保边缘或刚性支出困难身份，且人均收入 "
             "{per_capita} 元不低于 {multiple} × 低保标准 {S} = {line} 元：不给予过渡期生活救助",
             "{need}: dwelling {damage}, but neither the household nor a member holds a status and the "
             "per-capita income {per_capita} yuan is not below {multiple} × S {S} = {line} yuan: no "
             "transitional living relief"),
        Rule("disaster.transitional_income_line", "§D.3",
             "{need}：住房{damage_zh}，人均收入 {per_capita} 元低于低保边缘收入线 {line} 元："
             "过渡期生活救助 = {daily} 元/人/天 × {days} 天 × {members} 人 = {amount} 元（不计入该需求）",
             "{need}: dwelling {damage} and the per-capita income {per_capita} yuan is below the marginal line "
             "{line} yuan: transitional living relief = {daily} yuan a person a day × {days} days × "
             "{members} members = {amount} yuan (not toward the need)"),
        Rule("disaster.no_transitional_line", "§D.3",
             "{need}：住房{damage_zh}，但家庭及成员均无特困、低保、低保边缘或刚性支出困难身份，且人均收入 "
             "{per_capita} 元不低于低保边缘收入线 {line} 元：不给予过渡期生活救助",
             "{need}: dwelling {damage}, but neither the household nor a member holds a status and the "
             "per-capita income {per_capita} yuan is not below the marginal line {line} yuan: no "
             "transitional living relief"),
        Rule("disaster.light_damage", "§D.3",
             "{need}：住房{damage_zh}，未达严重损坏或倒塌：无过渡期生活救助和住房恢复重建补助",
             "{need}: dwelling {damage}, neither severely damaged nor collapsed: no transitional living "
             "relief and no dwelling grant"),
        Rule("disaster.dwelling", "§D.4",
             "{need}：自有住房{damage_zh}：倒损住房恢复重建补助 {grant} 元，计入该需求（此前剩余 {remaining} "
             "元），支付 {amount} 元",
             "{need}: own dwelling {damage}: dwelling grant {grant} yuan toward the need ({remaining} yuan "
             "remaining before it), paid {amount} yuan"),
        Rule("disaster.not_owned", "§D.4",
             "{need}：住房{damage_zh}，但不是自有住房（{tenure_zh}）：无倒损住房恢复重建补助",
             "{need}: dwelling {damage}, but not owned (tenure {tenure}): no dwelling grant"),
        Rule("disaster.dwelling_covered", "§D.4",
             "{need}：需求（损失减去已获赔偿和已救助部分）已无剩余：不再支付倒损住房恢复重建补助 {grant} 元",
             "{need}: nothing remains of the need (loss less compensation and assistance already paid): the "
             "dwelling grant of {grant} yuan is not paid"),
        Rule("disaster.already_paid", "§D.6",
             "{need}：{kind_zh}已于 {date} 发放 {paid} 元（历史记录）：不再发放",
             "{need}: {kind_en} of {paid} yuan was already paid on {date} (history): not paid again"),
    )
}


def relief_events(household: Household, on: dt.date, relief_days: int) -> tuple[list[tuple[Event, int]],
                                                                                 list[tuple[Event, int]]]:
    """§D.1: the household's disaster events with their age in days, those within ``relief_days`` days before
    ``on`` and those older, each in date order, then id."""
    within: list[tuple[Event, int]] = []
    older: list[tuple[Event, int]] = []
    for event in sorted(household.events, key=lambda e: (e.date, e.id)):
        if event.kind is not EventKind.DISASTER:
            continue
        days = (on - event.date).days
        if 0 <= days <= relief_days:
            within.append((event, days))
        elif days > relief_days:
            older.append((event, days))
    return within, older


def emergency_living(per_person: Decimal, members: int) -> Decimal:
    """§D.2 ``disaster.emergency_per_person`` × the number of members."""
    return per_person * members


DAYS_PER_MONTH = 30
"""A month of expected hardship is 30 days (china-rules §9 E20 [INTERP]: 3 months = 90 days)."""


def transitional_days(most: int, months: int) -> int:
    """§D.3 with ``disaster.transitional_duration = "expected"``: the days of the hardship the event is expected
    to cause, 30 a month, at most ``most`` (china-rules §5.6: 'for 3 months')."""
    return min(most, DAYS_PER_MONTH * months)


def transitional_living(daily: Decimal, days: int, members: int) -> Decimal:
    """§D.3 ``disaster.transitional_daily`` × ``disaster.transitional_days`` × the number of members."""
    return daily * days * members


def dwelling_grant(damage: HouseDamage, repair: Decimal, rebuild: Decimal) -> Decimal:
    """§D.4 the grant for the dwelling's damage: ``disaster.rebuild`` for collapsed, ``disaster.repair`` for
    severe, nothing otherwise (before the need limits it)."""
    if damage is HouseDamage.COLLAPSED:
        return rebuild
    if damage is HouseDamage.SEVERE:
        return repair
    return ZERO


def bereavement(per_person: Decimal, deceased: int) -> Decimal:
    """§D.5 ``disaster.bereavement`` × the event's ``deceased``."""
    return per_person * deceased


def already_paid(household: Household, event: str, kind: str) -> tuple[dt.date, Decimal] | None:
    """§D.6 the first history payment of programme ``disaster`` and ``kind`` naming ``event`` (date, amount), or
    ``None``."""
    for past in household.history:
        if past.programme == _DISASTER and past.kind == kind and past.need == event:
            return past.date, past.amount
    return None


class DisasterProgramme(Programme):
    """Disaster-victim relief (受灾人员救助, §D): per recent disaster event, living relief, the dwelling grant
    toward the event's need, and bereavement consolation."""

    name = "disaster"
    title_zh = "受灾人员救助"
    title_en = "Disaster-victim relief"
    after = ("tekun", "dibao", "low_income")
    # Special assistance first, as §14.1 orders it; temporary relief after this programme, so that it sees
    # only what remains of the event's need (§D.7).
    after_if_present = ("medical", "education", "housing")
    before = ("temporary",)
    parameters = (RELIEF_DAYS, EMERGENCY_PER_PERSON, TRANSITIONAL_DAILY, TRANSITIONAL_DAYS, TRANSITIONAL_DURATION,
                  REPAIR, REBUILD,
                  BEREAVEMENT, MARGINAL_MULTIPLE)
    # What it reads of a household (`assistkit plugins --reads`): the disaster events (§D.1), how many members
    # there are (the per-person relief), the dwelling the damage is to (§D.4), the relief history has paid for
    # the same event (§D.6), and the dibao unit's per-capita income (§D.3: the income accounting's income
    # records, supporting relatives' payments and deducted expenses).
    reads = ("events", "members.id", "housing", "history", "incomes", "obligors", "expenses")
    rules = RULES

    def assess(self, ctx: Context) -> None:
        household = ctx.household
        params = ctx.params
        relief_days = _whole(params, RELIEF_DAYS)
        within, older = relief_events(household, ctx.on, relief_days) if household.events else ([], [])
        if not within and not older:
            ctx.reason("disaster.none", {"relief_days": relief_days}, params=(RELIEF_DAYS,))
            return
        for event, days in older:
            ctx.reason("disaster.outside", {"need": event.id, "date": event.date, "days": days,
                                            "relief_days": relief_days}, params=(RELIEF_DAYS,))
        for event, days in within:
            ctx.reason("disaster.event",
                       {"need": event.id, "date": event.date, "days": days, "relief_days": relief_days,
                        "damage": event.house_damage.value, "damage_zh": DAMAGE_ZH[event.house_damage],
                        "deceased": event.deceased},
                       params=(RELIEF_DAYS,))
            _relieve(ctx, event)


def _relieve(ctx: Context, event: Event) -> None:
    """§D.2–§D.6 for one event within the window, in the order paid."""
    household = ctx.household
    params = ctx.params
    members = len(household.members)
    need = event.id
    damage = event.house_damage
    labels = {"damage": damage.value, "damage_zh": DAMAGE_ZH[damage]}
    if event.deceased:
        per_person = _money(params, BEREAVEMENT)
        amount = bereavement(per_person, event.deceased)
        if _fresh(ctx, need, _BEREAVEMENT):
            _pay(ctx, _BEREAVEMENT, amount, need, "disaster.bereavement")
            ctx.reason("disaster.bereavement", {"need": need, "deceased": event.deceased,
                                                "per_person": per_person, "amount": amount},
                       params=(BEREAVEMENT,))
    per_person = _money(params, EMERGENCY_PER_PERSON)
    if _fresh(ctx, need, _EMERGENCY):
        amount = emergency_living(per_person, members)
        _pay(ctx, _EMERGENCY, amount, need, "disaster.emergency")
        ctx.reason("disaster.emergency", {"need": need, "per_person": per_person, "members": members,
                                          "amount": amount}, params=(EMERGENCY_PER_PERSON,))
    if damage not in _HEAVY:
        if damage is HouseDamage.DAMAGED:
            ctx.reason("disaster.light_damage", {"need": need, **labels})
        return
    _transitional(ctx, need, members, labels, event)
    _dwelling(ctx, event, labels)


def _transitional(ctx: Context, need: str, members: int, labels: dict[str, str], event: Event) -> None:
    """§D.3 for a severely damaged or collapsed dwelling: a status, or the unit's per-capita income below the
    marginal line; for the days :func:`transitional_days` gives."""
    if not _fresh(ctx, need, _TRANSITIONAL):
        return
    params = ctx.params
    held = _held(ctx)
    values: dict[str, object] = {"need": need, **labels}
    if held:
        rule = "disaster.transitional"
        values.update(statuses=", ".join(held), statuses_zh="、".join(_STATUS_ZH[s] for s in held))
        used: tuple[str, ...] = ()
    else:
        multiple: Decimal = params[MARGINAL_MULTIPLE]  # type: ignore[assignment]  # declared "decimal"
        line = multiple * ctx.standard
        per_capita = _per_capita(ctx)
        values.update(per_capita=per_capita, multiple=multiple, S=ctx.standard, line=line)
        used = (MARGINAL_MULTIPLE, ctx.standard_param)
        own = params.get(MARGINAL_LINE)
        suffix = ""
        if own is not None:
            # china-rules §5.3: the locality's marginal line is not a multiple of S (declared by basic living).
            line = own.amount(params)
            values = {k: v for k, v in values.items() if k not in ("multiple", "S")}
            values["line"] = line
            used = (MARGINAL_LINE,)
            suffix = "_line"
        if per_capita >= line:
            ctx.reason("disaster.no_transitional" + suffix, values, params=used)
            return
        rule = "disaster.transitional_income" + suffix
    daily = _money(params, TRANSITIONAL_DAILY)
    most = _whole(params, TRANSITIONAL_DAYS)
    days = most
    if params[TRANSITIONAL_DURATION] == "expected" and event.duration_months is not None:
        days = transitional_days(most, event.duration_months)
        ctx.reason("disaster.duration", {"need": need, "months": event.duration_months, "most": most,
                                         "days": days}, params=(TRANSITIONAL_DURATION, TRANSITIONAL_DAYS))
    amount = transitional_living(daily, days, members)
    _pay(ctx, _TRANSITIONAL, amount, need, rule)
    values.update(daily=daily, days=days, members=members, amount=amount)
    ctx.reason(rule, values, params=(TRANSITIONAL_DAILY, TRANSITIONAL_DAYS, *used))


def _dwelling(ctx: Context, event: Event, labels: dict[str, str]) -> None:
    """§D.4 for a severely damaged or collapsed dwelling the household owns: toward the event's need."""
    need = event.id
    housing = ctx.household.housing
    tenure = Tenure.NONE if housing is None else housing.tenure
    if tenure is not Tenure.OWNED:
        ctx.reason("disaster.not_owned", {"need": need, **labels, "tenure": tenure.value,
                                          "tenure_zh": _TENURE_ZH[tenure]})
        return
    if not _fresh(ctx, need, _DWELLING):
        return
    params = ctx.params
    name = REBUILD if event.house_damage is HouseDamage.COLLAPSED else REPAIR
    grant = dwelling_grant(event.house_damage, _money(params, REPAIR), _money(params, REBUILD))
    remaining = ctx.needs.remaining(need)
    if remaining <= ZERO:
        ctx.reason("disaster.dwelling_covered", {"need": need, "grant": grant}, params=(name,))
        return
    paid = _pay(ctx, _DWELLING, min(grant, remaining), need, "disaster.dwelling")
    ctx.reason("disaster.dwelling", {"need": need, **labels, "grant": grant, "remaining": remaining,
                                     "amount": paid}, params=(name,))


def _fresh(ctx: Context, need: str, kind: str) -> bool:
    """§D.6: whether the part ``kind`` for ``need`` is still to pay; if history paid it, say so."""
    if not ctx.household.history:
        return True
    past = already_paid(ctx.household, need, kind)
    if past is None:
        return True
    ctx.reason("disaster.already_paid", {"need": need, "kind": kind, "kind_zh": _KIND_ZH[kind],
                                         "kind_en": _KIND_EN[kind], "date": past[0], "paid": past[1]})
    return False


def _pay(ctx: Context, kind: str, amount: Decimal, need: str, rule: str) -> Decimal:
    """Pay ``amount`` naming the event (a zero amount, from a parameter set to 0, is not a payment)."""
    if amount <= ZERO:
        return ZERO
    return ctx.pay(kind, amount, need=need, rule=rule)


def _held(ctx: Context) -> list[str]:
    """The §D.3 statuses the household or any member holds, in the person-status order."""
    statuses = ctx.statuses
    held: set[str] = set(statuses.household)
    for own in statuses.members.values():
        held |= own
    return [s for s in statuses.rules.order if s in held]


def _per_capita(ctx: Context) -> Decimal:
    """The dibao unit's per-capita income (§3.7) as the determination reports it, or computed over the members
    without tekun (§2.4)."""
    report = ctx.income_report
    if report is not None:
        return report.per_capita
    tekun = ctx.statuses.members
    unit: Sequence[str] = [p.id for p in ctx.household.members if "tekun" not in tekun.get(p.id, ())]
    if not unit:
        return ZERO
    return ctx.income(unit).per_capita


def _money(params: Parameters, name: str) -> Decimal:
    value = params[name]
    assert isinstance(value, Decimal), name
    return value


def _whole(params: Parameters, name: str) -> int:
    value = params[name]
    assert isinstance(value, int), name
    return value
