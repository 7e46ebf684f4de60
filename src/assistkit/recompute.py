"""Recomputing a range of months after a late report (应退未退 / 应保未保): what was due, what was paid.

:func:`assess_months` assesses each calendar month of a range **as of its last day**, with the facts as known
now, and compares what each programme should have paid in that month with what was actually paid (the
household's ``history``, or the payments given). For each month and programme it reports what was due, what
was paid, and the difference: **arrears** owed to the household (due > paid, 应保未保 / 补发) or an
**overpayment** to recover (paid > due, 应退未退 / 追回); with totals per programme and reasons in Chinese and
English for every figure, a zero difference included.

Readings where the statute leaves a choice:

- **The day of each month is its last day.** The income window (§1.3) and, in Demo City, every parameter change
  (§1.4: all take effect on the 1st) are the same on any day of a month; the last day is the one on which every
  fact dated in the month has happened, so a one-off is due in the month its rule first holds (an expense or
  event of 20 May is due in May, a 60th birthday on the 20th gives the elderly uplift for that month).
- **Facts as known now, as of each month.** A month sees the people born by its last day and the expenses and
  events dated by then (household-format.md: none may be after the assessment date); incomes and assets are
  the household's as given (only the window counts).
- **What earlier months decided carries over.** The history a month sees is what was paid *before the range*
  plus what the recomputation found due in the earlier months of the range — never what was actually paid
  inside the range (that is what is compared). So a one-off (a premium subsidy, a grant, treatment assistance
  toward a need) is due once, in the first month its rule holds; the needs ledger (§14.0) and the grant counts
  of §12.4 see the earlier months' due payments.
- **Enrolments carry over (§15.2).** The range starts from the household's enrolments whose ``since`` is on or
  before the first month's last day; after each month its actions are applied as an office would: ``enrol``
  adds an enrolment at the determined amount, ``adjust`` changes the amount, ``exit`` ends it, ``keep`` keeps
  it; a gradual exit's start (§6.7, the determination's ``record``) is stored on the enrolment, so the exit
  runs its months from the month it began and ends on time.
- **Paid in a month** means a payment dated in that month. Donation allocations (§13) come from social funds
  through their own pass and fund ledger, and payments to programmes the engine does not assess, are listed as
  *not compared* (they are neither due nor recovered here).
- A month's difference is one signed figure per programme, ``due − paid``: positive is arrears, negative an
  overpayment to recover, so one month and programme never has both.

>>> result = assess_months(engine, household, Month(2025, 3), Month(2025, 6))   # doctest: +SKIP
>>> result.total_recovery, result.total_arrears                                  # doctest: +SKIP
(Decimal('800.00'), Decimal('0.00'))
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from .determination import Determination
from .donations import PROGRAMME as DONATIONS
from .errors import AssistkitError
from .explain import Reason, Rule, render_reason
from .household import Enrolment, EnrolmentProgramme, Household, PastPayment, PaymentKind, PaymentProgramme
from .money import ZERO, format_money
from .periods import Month, parse_month
from .programme import Payment

if TYPE_CHECKING:
    from .engine import Engine

__all__ = [
    "RULES",
    "MonthAssessment",
    "ProgrammeMonth",
    "Recomputation",
    "RecomputeError",
    "assess_months",
    "month_day",
    "parse_range",
]

RULES: Mapping[str, Rule] = {
    r.id: r
    for r in (
        Rule("recompute.recovery", "§15.2",
             "{month} {title}：应发 {due} 元，实发 {paid} 元，多发 {amount} 元，应予追回（应退未退）",
             "{month} {title}: due {due} yuan, paid {paid} yuan: overpaid {amount} yuan, to recover"),
        Rule("recompute.arrears", "§15.2",
             "{month} {title}：应发 {due} 元，实发 {paid} 元，少发 {amount} 元，应予补发（应保未保）",
             "{month} {title}: due {due} yuan, paid {paid} yuan: {amount} yuan in arrears, owed to the household"),
        Rule("recompute.match", "§15.2",
             "{month} {title}：应发 {due} 元，实发 {paid} 元，无差额",
             "{month} {title}: due {due} yuan, paid {paid} yuan: no difference"),
        Rule("recompute.not_compared", "§13",
             "{month} {title}：实发 {paid} 元，不在本次重算范围（社会捐赠或未安装的项目），不计差额",
             "{month} {title}: paid {paid} yuan; not recomputed here (social donations, or a programme not "
             "installed): no difference counted"),
        Rule("recompute.total", "§15.2",
             "{title} 合计：应发 {due} 元，实发 {paid} 元，补发 {arrears} 元，追回 {recovery} 元",
             "{title} in total: due {due} yuan, paid {paid} yuan; arrears {arrears} yuan, to recover "
             "{recovery} yuan"),
    )
}


class RecomputeError(AssistkitError, ValueError):
    """A range that cannot be recomputed: the last month before the first, a month in the wrong form, or a
    programme that raised in one of the months (its figure due is unknown)."""


def month_day(month: Month) -> dt.date:
    """The day a month is assessed on: its last day (see the module's readings)."""
    return dt.date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def parse_range(first: str, last: str) -> tuple[Month, Month]:
    """``("2025-03", "2025-06")`` → the two months; :class:`RecomputeError` naming the bad one."""
    months = []
    for name, text in (("first", first), ("last", last)):
        try:
            months.append(parse_month(text))
        except ValueError as exc:
            raise RecomputeError(f"{name} month: {exc}") from None
    if months[1] < months[0]:
        raise RecomputeError(f"the last month {months[1]} is before the first month {months[0]}")
    return months[0], months[1]


@frozen
class ProgrammeMonth:
    """One programme in one month: what was due (monthly amount and one-offs), what was paid, the difference.

    ``compared`` is false for payments to a programme that is not recomputed (donations, or a programme not
    installed): they are listed with nothing due and count in no difference.
    """

    month: Month
    programme: str
    title_zh: str
    title_en: str
    due_monthly: Decimal
    due_one_off: Decimal
    paid: Decimal
    due_payments: tuple[Payment, ...]
    paid_payments: tuple[PastPayment, ...]
    due_reasons: tuple[Reason, ...]
    compared: bool = True

    @property
    def due(self) -> Decimal:
        return self.due_monthly + self.due_one_off

    @property
    def difference(self) -> Decimal:
        """``due − paid`` (0 when not compared): positive is arrears, negative an overpayment."""
        return self.due - self.paid if self.compared else ZERO

    @property
    def arrears(self) -> Decimal:
        """What is owed to the household for this month (应保未保 / 补发), 0 or more."""
        d = self.difference
        return d if d > 0 else ZERO

    @property
    def recovery(self) -> Decimal:
        """What was overpaid and is to be recovered (应退未退 / 追回), 0 or more."""
        d = self.difference
        return -d if d < 0 else ZERO

    @property
    def reason(self) -> Reason:
        """The difference explained (a zero one too)."""
        values: dict[str, Any] = {"month": str(self.month), "programme": self.programme,
                                  "due": self.due, "paid": self.paid}
        if not self.compared:
            return Reason("recompute.not_compared", values)
        if self.recovery:
            return Reason("recompute.recovery", {**values, "amount": self.recovery})
        if self.arrears:
            return Reason("recompute.arrears", {**values, "amount": self.arrears})
        return Reason("recompute.match", values)

    def text(self, lang: str) -> str:
        values = dict(self.reason.values)
        values["title"] = self.title_zh if lang == "zh" else self.title_en
        return render_reason(Reason(self.reason.rule, values), RULES, lang)


@frozen
class MonthAssessment:
    """One month of the range: the day assessed, the determination, each programme's comparison, and the
    enrolments as they stand after the month's §15.2 actions."""

    month: Month
    on: dt.date
    determination: Determination
    programmes: tuple[ProgrammeMonth, ...]
    enrolments: tuple[Enrolment, ...]

    def programme(self, name: str) -> ProgrammeMonth:
        for p in self.programmes:
            if p.programme == name:
                return p
        raise KeyError(name)


@frozen
class Recomputation:
    """The months of a range, recomputed; totals per programme and over all programmes."""

    household: str
    first: Month
    last: Month
    months: tuple[MonthAssessment, ...]
    rules: Mapping[str, Rule]

    def lines(self) -> list[ProgrammeMonth]:
        """Every (month, programme) line, month by month in linkage order."""
        return [p for m in self.months for p in m.programmes]

    def totals(self) -> dict[str, dict[str, Decimal]]:
        """Per programme: ``due``, ``paid``, ``arrears``, ``recovery`` and ``net`` (arrears − recovery)."""
        out: dict[str, dict[str, Decimal]] = {}
        for p in self.lines():
            t = out.setdefault(p.programme, {"due": ZERO, "paid": ZERO, "arrears": ZERO, "recovery": ZERO,
                                             "net": ZERO})
            t["due"] += p.due if p.compared else ZERO
            t["paid"] += p.paid
            t["arrears"] += p.arrears
            t["recovery"] += p.recovery
            t["net"] += p.difference
        return out

    @property
    def total_arrears(self) -> Decimal:
        return sum((p.arrears for p in self.lines()), ZERO)

    @property
    def total_recovery(self) -> Decimal:
        return sum((p.recovery for p in self.lines()), ZERO)

    def as_payments(self) -> list[PastPayment]:
        """What was due, as the payments that would have paid it (dated on each month's day): a recurring amount
        as one ``monthly`` payment per programme and month, each one-off as itself. Recomputing with these as
        what was paid gives no difference."""
        out: list[PastPayment] = []
        for m in self.months:
            for p in m.programmes:
                if not p.compared:
                    continue
                if p.due_monthly:
                    out.append(_past(p.programme, PaymentKind.MONTHLY.value, m.on, p.due_monthly, None, None))
                for pay in p.due_payments:
                    out.append(_past(pay.programme, pay.kind, m.on, pay.amount, pay.member, pay.need))
        return out

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        """JSON-ready data: each month with its programmes' due, paid and difference, and the totals."""
        rules = self.rules
        months = []
        for m in self.months:
            months.append({
                "month": str(m.month),
                "on": m.on.isoformat(),
                "programmes": {
                    p.programme: {
                        "due": format_money(p.due),
                        "due_monthly": format_money(p.due_monthly),
                        "due_one_off": format_money(p.due_one_off),
                        "paid": format_money(p.paid),
                        "difference": format_money(p.difference),
                        "arrears": format_money(p.arrears),
                        "recovery": format_money(p.recovery),
                        "compared": p.compared,
                        "reason": {"rule": p.reason.rule, "text": p.text(lang)},
                        "due_payments": [{"kind": x.kind, "member": x.member, "need": x.need,
                                          "amount": format_money(x.amount)} for x in p.due_payments],
                        "paid_payments": [{"kind": str(x.kind), "member": x.member, "need": x.need,
                                           "date": x.date.isoformat(), "amount": format_money(x.amount)}
                                          for x in p.paid_payments],
                        "due_reasons": [{"rule": r.rule, "text": render_reason(r, rules, lang)}
                                        for r in p.due_reasons],
                    }
                    for p in m.programmes
                },
                "enrolments": [_enrolment_json(e) for e in m.enrolments],
            })
        totals = {name: {k: format_money(v) for k, v in t.items()} for name, t in self.totals().items()}
        return {
            "household": self.household,
            "first": str(self.first),
            "last": str(self.last),
            "day": "last day of each month",
            "months": months,
            "totals": totals,
            "total_arrears": format_money(self.total_arrears),
            "total_recovery": format_money(self.total_recovery),
        }

    def to_json_text(self, *, indent: int | None = 2, lang: str = "zh") -> str:
        return json.dumps(self.to_json(lang), ensure_ascii=False, indent=indent)

    def explain(self, lang: str = "zh", *, details: bool = True) -> str:
        """The recomputation as text: a line per month and programme that was due or paid anything, with the
        reasons for what was due where there is a difference (``details``), then the totals."""
        if lang not in ("zh", "en"):
            raise ValueError(f"unknown language {lang!r}; use 'zh' or 'en'")
        zh = lang == "zh"
        out = [(f"家庭 {self.household} · 重算 {self.first} 至 {self.last}（各月按月末日认定，事实以现在所知为准）"
                if zh else f"Household {self.household} · recomputed {self.first} to {self.last} (each month "
                f"assessed on its last day, with the facts as known now)")]
        titles: dict[str, tuple[str, str]] = {}
        for m in self.months:
            out.append(f"{m.month}（{m.on.isoformat()}）" if zh else f"{m.month} ({m.on.isoformat()})")
            shown = False
            for p in m.programmes:
                titles[p.programme] = (p.title_zh, p.title_en)
                if not (p.due or p.paid):
                    continue
                shown = True
                out.append(f"  [{RULES[p.reason.rule].section}] {p.text(lang)}")
                if details and p.difference:
                    if p.paid_payments:
                        paid = "；".join(f"{x.date.isoformat()} {format_money(x.amount)} 元" for x in p.paid_payments) \
                            if zh else "; ".join(f"{x.date.isoformat()} {format_money(x.amount)} yuan"
                                                 for x in p.paid_payments)
                        out.append(f"      实发明细：{paid}" if zh else f"      paid: {paid}")
                    income = m.determination.income
                    for r in (*(income.reasons if income is not None else ()), *p.due_reasons):
                        rule = self.rules.get(r.rule)
                        section = rule.section if rule is not None else "§"
                        out.append(f"      [{section}] {render_reason(r, self.rules, lang)}")
            if not shown:
                out.append("  无应发、无实发" if zh else "  nothing due, nothing paid")
        for name, t in self.totals().items():
            if not (t["due"] or t["paid"]):
                continue
            title = titles[name][0 if zh else 1]
            text = render_reason(Reason("recompute.total", {"title": title, **t}), RULES, lang)
            out.append(f"[§15.2] {text}")
        arrears, recovery = format_money(self.total_arrears), format_money(self.total_recovery)
        out.append(f"总计：补发 {arrears} 元，追回 {recovery} 元" if zh
                   else f"Altogether: arrears {arrears} yuan, to recover {recovery} yuan")
        return "\n".join(out) + "\n"


def _enrolment_json(e: Enrolment) -> dict[str, Any]:
    return {"programme": str(e.programme), "member": e.member, "since": e.since.isoformat(),
            "monthly_amount": format_money(e.monthly_amount),
            "gradual_exit_from": None if e.gradual_exit_from is None else e.gradual_exit_from.isoformat()}


def _vocabulary(cls: type[Enum], value: str) -> Any:
    """The vocabulary's member for ``value``; the text itself for a word a plugin added (compares equal)."""
    try:
        return cls(value)
    except ValueError:
        return value


def _past(programme: str, kind: str, day: dt.date, amount: Decimal, member: str | None,
          need: str | None) -> PastPayment:
    return PastPayment(_vocabulary(PaymentProgramme, programme), _vocabulary(PaymentKind, kind), day, amount,
                       member, need)


def _as_of(household: Household, day: dt.date, history: Sequence[PastPayment],
           enrolments: Sequence[Enrolment]) -> Household:
    """The household as the month of ``day`` sees it: people born by then, expenses and events dated by then,
    the carried history and enrolments."""
    unborn = {p.id for p in household.members if p.birth_date > day}
    members = tuple(p for p in household.members if p.id not in unborn)
    changes: dict[str, Any] = dict(
        members=members,
        incomes=tuple(i for i in household.incomes if i.member not in unborn),
        assets=tuple(a for a in household.assets if a.member not in unborn),
        expenses=tuple(e for e in household.expenses if e.date <= day and e.member not in unborn),
        events=tuple(e for e in household.events if e.date <= day),
        history=tuple(history),
        enrolments=tuple(enrolments),
    )
    return attrs.evolve(household, **changes)


def _apply_actions(enrolments: list[Enrolment], determination: Determination) -> list[Enrolment]:
    """§15.2: the enrolments after an office acts on the month's actions, and the gradual-exit start (§6.7) a
    programme asks its host to record."""
    out = list(enrolments)
    for action in determination.actions:
        same = [e for e in out if e.programme == action.programme and e.member == action.member]
        if action.action == "exit":
            out = [e for e in out if e not in same]
        elif action.action == "enrol" and action.determined is not None:
            out.append(Enrolment(_vocabulary(EnrolmentProgramme, action.programme), determination.on,
                                  action.determined, action.member))
        elif action.action == "adjust" and action.determined is not None and same:
            first = same[0]
            out = [e for e in out if e not in same[1:]]
            out[out.index(first)] = attrs.evolve(first, monthly_amount=action.determined)
    for result in determination.programmes:
        record = result.extras.get("record") if result.extras else None
        if isinstance(record, Mapping) and isinstance(record.get("gradual_exit_from"), dt.date):
            start = record["gradual_exit_from"]
            out = [attrs.evolve(e, gradual_exit_from=start)
                   if e.programme == result.name and e.member is None and e.gradual_exit_from is None else e
                   for e in out]
    return out


def assess_months(
    engine: Engine,
    household: Household,
    first: Month,
    last: Month,
    *,
    paid: Iterable[PastPayment] | None = None,
) -> Recomputation:
    """Assess each month from ``first`` to ``last`` (inclusive) as of its last day, with the facts of
    ``household`` as known now, and compare with what was paid.

    ``paid``: the payments actually made (default: the household's ``history``); those dated inside the range
    are compared month by month. The history dated before the range is what the first month sees as already
    paid. Raises :class:`RecomputeError` for an empty range or when a programme raises in a month (its figure
    due is unknown, so no difference could be told), and :class:`~assistkit.InvalidHousehold` as
    :meth:`~assistkit.engine.Engine.assess` does.
    """
    if last < first:
        raise RecomputeError(f"household {household.id}: the last month {last} is before the first month "
                             f"{first}")
    start = dt.date(first.year, first.month, 1)
    end = month_day(last)
    base = [p for p in household.history if p.date < start]
    actual = [p for p in (household.history if paid is None else paid) if start <= p.date <= end]
    enrolments = [e for e in household.enrolments if e.since <= month_day(first)]
    recomputed = {p.name for p in engine.programmes if p.name != DONATIONS}
    titles = engine.titles
    history = list(base)
    months: list[MonthAssessment] = []
    for index in range(first.index, last.index + 1):
        month = Month.from_index(index)
        day = month_day(month)
        determination = engine.assess(_as_of(household, day, history, enrolments), day)
        paid_now = [p for p in actual if Month.of(p.date) == month]
        lines: list[ProgrammeMonth] = []
        for result in determination.programmes:
            name = result.name
            if result.error is not None:  # a figure due that was not computed must not become a recovery
                raise RecomputeError(f"household {household.id}, {month}: programme {name} could not be assessed "
                                     f"({result.error.message}); nothing was recomputed")
            compared = name in recomputed
            mine = tuple(p for p in paid_now if p.programme == name)
            zh, en = titles.get(name, (name, name))
            lines.append(ProgrammeMonth(
                month, name, zh, en,
                result.monthly if compared else ZERO,
                result.one_off if compared else ZERO,
                sum((p.amount for p in mine), ZERO),
                result.payments if compared else (),
                mine,
                result.reasons if compared else (),
                compared,
            ))
            if compared:
                history.extend(_past(p.programme, p.kind, day, p.amount, p.member, p.need)
                               for p in result.payments)
        known = {line.programme for line in lines}
        others: dict[str, list[PastPayment]] = {}
        for p in paid_now:
            if p.programme not in known:
                others.setdefault(str(p.programme), []).append(p)
        for name, payments in others.items():
            lines.append(ProgrammeMonth(month, name, name, name, ZERO, ZERO,
                                        sum((p.amount for p in payments), ZERO), (), tuple(payments), (),
                                        False))
        enrolments = _apply_actions(enrolments, determination)
        months.append(MonthAssessment(month, day, determination, tuple(lines), tuple(enrolments)))
    return Recomputation(household.id, first, last, tuple(months), {**engine.rules, **RULES})
