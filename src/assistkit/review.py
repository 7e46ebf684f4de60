"""Dynamic management (动态管理, §15): next review dates and enrol / exit / adjust / keep actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import NamedTuple

from .explain import Reason, Rule, _new
from .household import Household, IncomeCategory, Person
from .periods import add_months
from .policy import Parameters

__all__ = ["ACTIONS", "RULES", "Action", "actions_for", "has_fluctuating_income", "next_review", "review_of"]

ACTIONS = ("enrol", "exit", "adjust", "keep")

_FLUCTUATING = frozenset({IncomeCategory.CASUAL, IncomeCategory.BUSINESS})


class Action(NamedTuple):
    """What to do about one recurring benefit (§15.2).

    A named tuple, not an attrs class, like :class:`~assistkit.explain.Reason` (built for most households with a
    recurring benefit, the hot path).
    """

    programme: str
    action: str
    member: str | None
    enrolled: Decimal | None
    determined: Decimal | None
    rule: str


RULES: Mapping[str, Rule] = {
    r.id: r
    for r in (
        Rule("review.stable", "§15.1", "单元内无人具有劳动能力（或单元为空）：{months} 个月后复核，即 {date}",
             "nobody in the dibao unit can work (or it is empty): review in {months} months, on {date}"),
        Rule("review.fluctuating", "§15.1", "有零工或经营收入：{months} 个月后复核，即 {date}",
             "casual or business income in the window: review in {months} month(s), on {date}"),
        Rule("review.default", "§15.1", "{months} 个月后复核，即 {date}", "review in {months} months, on {date}"),
        Rule("review.enrol", "§15.2", "应保未保：符合条件但未纳入，月额 {determined} 元",
             "eligible but not enrolled (应保未保): enrol at {determined} yuan a month"),
        Rule("review.exit", "§15.2", "应退未退：已纳入（月额 {enrolled} 元）但不再符合条件",
             "enrolled at {enrolled} yuan a month but no longer eligible (应退未退): exit"),
        Rule("review.adjust", "§15.2", "金额变化：由 {enrolled} 元调整为 {determined} 元",
             "amount changed: adjust from {enrolled} to {determined} yuan a month"),
        Rule("review.keep", "§15.2", "维持：月额 {determined} 元不变", "keep: {determined} yuan a month unchanged"),
    )
}


def next_review(
    on: dt.date, params: Mapping[str, object], *, unit_can_work: bool, fluctuating_income: bool
) -> tuple[dt.date, str, int]:
    """§15.1 for a household in which someone holds a status (without one there is no review): the next review
    date, the rule that set it, and the interval in months."""
    if not unit_can_work:
        rule, months = "review.stable", params["review.stable_months"]
    elif fluctuating_income:
        rule, months = "review.fluctuating", params["review.fluctuating_months"]
    else:
        rule, months = "review.default", params["review.default_months"]
    return add_months(on, int(months)), rule, int(months)  # type: ignore[call-overload]


def review_of(household: Household, params: Parameters, unit: Iterable[Person],
              able_to_work: Callable[[Person], bool]) -> tuple[dt.date, Reason]:
    """§15.1 for a household in which someone holds a status: the next review date and the reason for it.

    ``unit`` is the dibao unit (§2.4) and ``able_to_work`` the §2.3 test: the interval is the stable one when
    nobody in the unit can work (or the unit is empty), else the fluctuating one when the household has casual or
    business income in the window, else the default one.
    """
    dates = params.derived(_ReviewDates)
    for person in unit:
        if able_to_work(person):
            if has_fluctuating_income(household, dates.first, dates.last):
                return dates.fluctuating
            return dates.default
    return dates.stable


def has_fluctuating_income(household: Household, first_index: int, last_index: int) -> bool:
    """Whether any casual or business record of the household has an amount in the window (§15.1)."""
    for inc in household.incomes:
        if inc.category in _FLUCTUATING and inc.first.index <= last_index and inc.last.index >= first_index:
            if (inc.amount is not None and inc.amount > 0) or (inc.days or 0) > 0:
                return True
    return False


def actions_for(
    programme: str,
    household: Household,
    determined: Mapping[str | None, Decimal],
) -> list[Action]:
    """§15.2: compare the household's enrolments in ``programme`` with the determined monthly amounts.

    ``determined`` maps member (``None`` for the household) → monthly amount; 0 means not eligible. One action
    per key found in either: ``enrol`` (eligible, not enrolled), ``exit`` (enrolled, not eligible), ``adjust``
    (amount differs) or ``keep``. A household in gradual exit (§6.7) keeps receiving its enrolled amount, so it
    reads ``keep``.
    """
    enrolled: dict[str | None, Decimal] = {}
    for e in household.enrolments:
        if e.programme == programme:
            enrolled[e.member] = enrolled.get(e.member, Decimal(0)) + e.monthly_amount
    out: list[Action] = []
    # Every key of either, in order (the enrolled first); most often there are no enrolments.
    keys: Iterable[str | None] = [*enrolled, *(k for k in determined if k not in enrolled)] if enrolled else determined
    for key in keys:
        now = determined.get(key)
        before = enrolled.get(key)
        if now is None or now <= 0:
            if before is not None:
                out.append(_new(Action, (programme, "exit", key, before, None, "review.exit")))
            continue
        if before is None:
            out.append(_new(Action, (programme, "enrol", key, None, now, "review.enrol")))
        elif before != now:
            out.append(_new(Action, (programme, "adjust", key, before, now, "review.adjust")))
        else:
            out.append(_new(Action, (programme, "keep", key, before, now, "review.keep")))
    return out


class _ReviewDates:
    """§15.1 on one date, made once per date (:meth:`~assistkit.policy.Parameters.derived`): the income window as
    month indexes, and for each way the review interval is chosen the next review date and its reason (shared
    by every determination of the date: reasons are immutable)."""

    __slots__ = ("first", "last", "stable", "fluctuating", "default")

    def __init__(self, params: Parameters) -> None:
        on = params.on
        self.last = on.year * 12 + on.month - 2  # §1.3: the window's last month, as Month.index
        self.first = self.last - int(params["income.window_months"]) + 1  # type: ignore[arg-type]
        self.stable = _review(on, params, unit_can_work=False, fluctuating_income=False)
        self.fluctuating = _review(on, params, unit_can_work=True, fluctuating_income=True)
        self.default = _review(on, params, unit_can_work=True, fluctuating_income=False)


def _review(on: dt.date, params: Parameters, *, unit_can_work: bool, fluctuating_income: bool,
            ) -> tuple[dt.date, Reason]:
    day, rule, months = next_review(on, params, unit_can_work=unit_can_work, fluctuating_income=fluctuating_income)
    return day, Reason(rule, {"months": months, "date": day}, (f"{rule}_months",))  # review.stable_months, ...


