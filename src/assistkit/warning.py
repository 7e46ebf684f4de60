"""Warnings: what an official should look at before trusting a determination, as data.

A warning changes no amount; it says that the figures rest on something that is probably a mistake in the input
or the call — most often the date: the income of a household assessed on a date far from the one its records
were collected for counts as zero (§1.3), silently, unless the determination says so. Each warning is a
:class:`~assistkit.explain.Reason` whose rule id is its ``code``, rendered in zh and en from :data:`RULES`, and
appears in the determination's JSON under ``warnings`` (only when there is one, so the spec examples' output
is unchanged): ``{"code", "message": {"zh", "en"}, "values"}``.

Codes:

- ``warning.income_outside_window``: the household has income records, and none falls in the income window of
  ``on``: its income counts as 0.
- ``warning.income_after_window``: records that begin after the window (in the month of ``on`` or later) do not
  count.
- ``warning.on_defaulted``: no assessment date was given; today was used (added by the caller that chose the
  date: the CLI, the service).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .explain import Reason, Rule, _as_read, _render, format_value, render_reason
from .household import Household
from .periods import income_window
from .policy import Parameters
from .vocabulary import CORE, Vocabulary

__all__ = ["ON_DEFAULTED", "RULES", "income_warnings", "on_defaulted", "warning_data", "warning_json",
           "warning_rendered"]

ON_DEFAULTED = "warning.on_defaulted"

RULES: Mapping[str, Rule] = {
    r.id: r
    for r in (
        Rule("warning.income_outside_window", "§1.3",
             "注意：家庭有 {records} 条收入记录（{span}），但认定日期 {on} 的收入核算期（{first} 至 {last}）内"
             "没有任何一条：收入按 0 计。请核对认定日期是否与收入记录相符",
             "warning: the household has {records} income records ({span}) but none in the income window of "
             "{on} ({first} to {last}): its income counts as 0. Check that the assessment date fits the records"),
        Rule("warning.income_after_window", "§1.3",
             "注意：{records} 条收入记录始于核算期（{first} 至 {last}）之后（最早 {earliest}），不计入本次认定",
             "warning: {records} income records begin after the income window ({first} to {last}; the earliest "
             "in {earliest}) and do not count in this assessment"),
        Rule(ON_DEFAULTED, "§1.2",
             "注意：未指定认定日期，按今天 {on} 认定",
             "warning: no assessment date was given; today, {on}, was used"),
    )
}
"""The text of every warning code, in zh and en."""


_WINDOW = ("income.window_months",)


class _Window:
    """The income window of one date (§1.3), made once per date (:meth:`~assistkit.policy.Parameters.derived`):
    its months, and their indexes, which each household's records are compared with."""

    __slots__ = ("first", "last", "start", "end")

    def __init__(self, params: Parameters) -> None:
        self.first, self.last = income_window(params.on, int(params[_WINDOW[0]]))  # type: ignore[arg-type]
        self.start, self.end = self.first.index, self.last.index


def income_warnings(household: Household, params: Parameters) -> tuple[Reason, ...]:
    """The income warnings of ``household`` assessed with ``params`` (those of its date: §1.3's window)."""
    incomes = household.incomes
    if not incomes:
        return ()
    window = params.derived(_Window)
    first, last, start, end = window.first, window.last, window.start, window.end
    on = params.on
    inside = False
    after = []
    for income in incomes:
        a, b = income.first.index, income.last.index
        if a <= end and b >= start:
            inside = True
        elif a > end:
            after.append(income.first)
    out = []
    if not inside:
        earliest = min(i.first.index for i in incomes)
        latest = max(i.last.index for i in incomes)
        span = next(str(i.first) for i in incomes if i.first.index == earliest) + " – " + next(
            str(i.last) for i in incomes if i.last.index == latest)
        out.append(Reason("warning.income_outside_window",
                          {"records": len(incomes), "span": span, "on": on, "first": str(first),
                           "last": str(last)}, _WINDOW))
    if after:
        out.append(Reason("warning.income_after_window",
                          {"records": len(after), "first": str(first), "last": str(last),
                           "earliest": str(min(after, key=lambda m: m.index))}, _WINDOW))
    return tuple(out)


def on_defaulted(on: dt.date) -> Reason:
    """The warning that ``on`` was not given and today was used."""
    return Reason(ON_DEFAULTED, {"on": on})


def warning_json(warning: Reason, rules: Mapping[str, Rule] = RULES, vocabulary: Vocabulary = CORE
                 ) -> dict[str, Any]:
    """A warning's JSON: ``{"code", "message": {"zh", "en"}, "values"}``."""
    return {"code": warning.rule,
            "message": {lang: render_reason(warning, rules, lang, vocabulary) for lang in ("zh", "en")},
            "values": {k: v if isinstance(v, (str, int)) else format_value(v) for k, v in warning.values.items()}}


def warning_data(warning: Reason, refs: Any = None) -> dict[str, Any]:
    """A warning without its messages (``--reasons data`` and ``none``): ``{"code", "values"}``, with
    ``"params"`` when ``refs`` (:meth:`~assistkit.determination.ParamRefs.table`) are given and it cites any.
    :func:`warning_rendered` gives back :func:`warning_json`'s form; a value whose text is not the one its JSON
    value gives is kept under ``"texts"``."""
    values: dict[str, Any] = {}
    texts: dict[str, str] = {}
    for k, v in warning.values.items():
        value = values[k] = v if isinstance(v, (str, int)) else format_value(v)
        text = format_value(v)
        if _text(_as_read(value)) != text:
            texts[k] = text
    out: dict[str, Any] = {"code": warning.rule, "values": values}
    if texts:
        out["texts"] = texts
    if refs is not None and warning.params:
        out["params"] = {name: refs.get(name) for name in warning.params}
    return out


def warning_rendered(data: Mapping[str, Any], rules: Mapping[str, Rule] = RULES, vocabulary: Vocabulary = CORE
                     ) -> dict[str, Any]:
    """The :func:`warning_json` of the warning :func:`warning_data` wrote: its messages rendered in zh and en."""
    texts = {k: _text(v) for k, v in data["values"].items()}
    more = data.get("texts")
    if more:
        texts.update(more)
    return {"code": data["code"],
            "message": {lang: _render(data["code"], texts, rules, lang, vocabulary) for lang in ("zh", "en")},
            "values": data["values"]}


def _text(value: Any) -> str:
    """The text :func:`~assistkit.explain.format_value` gives for a value :func:`warning_json` wrote as ``value``
    (a str, an int, or a bool)."""
    if value is True or value is False:
        return "true" if value else "false"
    return value if type(value) is str else str(value)
