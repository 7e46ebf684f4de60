"""Explanations as data: a :class:`Reason` cites a :class:`Rule` (id + spec §) with the values it used.

Reasons are cheap to collect (a rule id, a dict of values, the names of the parameters read); text is rendered
only when asked, from the rule's Chinese or English template, by :func:`render_reason`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from attrs import field, frozen

from .money import format_money

__all__ = ["LANGUAGES", "Reason", "Rule", "format_value", "render_reason"]

LANGUAGES = ("zh", "en")

_SIX = Decimal("0.000001")


@frozen
class Rule:
    """A rule of the statute: its id (``dibao.gap``), its § (``§6.3``) and text templates in zh and en.

    Templates are ``str.format`` strings over the reason's values, e.g.
    ``"gap = (S {S} − per-capita income {pci}) × {covered} covered = {gap} yuan"``.
    """

    id: str
    section: str
    zh: str
    en: str

    def template(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@frozen
class Reason:
    """Why an amount or status is what it is: the rule, the values used and the parameters read."""

    rule: str
    values: Mapping[str, Any] = field(factory=dict)
    params: tuple[str, ...] = ()


def format_value(value: Any) -> str:
    """Format one value for text and JSON: money as ``"1050.00"``, dates ISO, collections joined."""
    if isinstance(value, Decimal):
        # Money (and anything ≥ 1) shows two places; a small fraction with more places is a rate: shown exactly.
        if abs(value) < 1 and value.as_tuple().exponent < -2:  # type: ignore[operator]
            return str(value.quantize(_SIX).normalize())
        return format_money(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple, frozenset, set)):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, Mapping):
        # Map parameters (rates by status, grants by stage): "tekun 1.00, dibao 0.80"; nested maps in ( ).
        return ", ".join(f"{k} ({format_value(v)})" if isinstance(v, Mapping) else f"{k} {format_value(v)}"
                         for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Formatted(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_reason(reason: Reason, rules: Mapping[str, Rule], lang: str = "zh") -> str:
    """The text of ``reason`` in ``lang`` (``zh`` or ``en``); an unknown rule renders its id and values."""
    rule = rules.get(reason.rule)
    values = _Formatted({k: format_value(v) for k, v in reason.values.items()})
    if rule is None:
        return reason.rule + ": " + ", ".join(f"{k}={v}" for k, v in values.items())
    return rule.template(lang).format_map(values)
