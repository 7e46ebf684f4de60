"""Explanations as data: a :class:`Reason` cites a :class:`Rule` (id + spec §) with the values it used.

Reasons are cheap to collect (a rule id, a dict of values, the names of the parameters read); text is rendered
only when asked, from the rule's Chinese or English template, by :func:`render_reason`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

from attrs import frozen

from .money import format_money

__all__ = ["LANGUAGES", "Reason", "Rule", "format_value", "render_reason"]

LANGUAGES = ("zh", "en")

_SIX = Decimal("0.000001")
_FEN = Decimal("0.01")


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


_NO_VALUES: Mapping[str, Any] = MappingProxyType({})


class Reason(NamedTuple):
    """Why an amount or status is what it is: the rule, the values used and the parameters read.

    A named tuple, not an attrs class: a household collects a few dozen reasons, and a tuple is the cheapest
    immutable value Python builds (``Reason(rule, values, params)``, ``.rule``, ``.values``, ``.params``).
    """

    rule: str
    values: Mapping[str, Any] = _NO_VALUES
    params: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        # The shared empty mapping is read-only (so nobody can fill it), and mapping proxies do not pickle.
        return (Reason, (self.rule, dict(self.values), self.params))


def format_value(value: Any) -> str:
    """Format one value for text and JSON: money as ``"1050.00"``, dates ISO, collections joined."""
    kind = type(value)
    # The common kinds first, by exact type (cheaper than isinstance against ABCs; same results).
    if kind is Decimal:
        return _format_decimal(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is int:
        return str(value)
    if kind is dt.date:
        return value.isoformat()  # type: ignore[no-any-return]
    if isinstance(value, Decimal):
        return _format_decimal(value)
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


def _format_decimal(value: Decimal) -> str:
    # Money (and anything ≥ 1) shows two places; a small fraction with more places is a rate: shown exactly.
    # Read from the plain text when there is one (cheaper than as_tuple() and a quantize; same result).
    text = str(value)
    if "E" not in text:
        dot = text.find(".")
        size = len(text)
        if dot < 0:
            if size < 26 and text[-1].isdigit():
                return text + ".00"
        else:
            places = size - dot - 1
            if places > 2:
                if text[:dot] == "0" or text[:dot] == "-0":  # |value| < 1
                    return str(value.quantize(_SIX).normalize())
                if not text[dot + 3:].strip("0"):
                    return text[:dot + 3]  # only zeros after the fen: what quantizing gives
                return str(value.quantize(_FEN, ROUND_HALF_UP))
            if size < 26:
                return text if places == 2 else text + "0"
    if abs(value) < 1 and value.as_tuple().exponent < -2:  # type: ignore[operator]
        return str(value.quantize(_SIX).normalize())
    return format_money(value)


class _Formatted(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_reason(reason: Reason, rules: Mapping[str, Rule], lang: str = "zh") -> str:
    """The text of ``reason`` in ``lang`` (``zh`` or ``en``); an unknown rule renders its id and values."""
    values = _Formatted({k: format_value(v) for k, v in reason.values.items()})
    return _render(reason.rule, values, rules, lang)


def _render(rule_id: str, values: _Formatted, rules: Mapping[str, Rule], lang: str) -> str:
    """:func:`render_reason` once the values are formatted (``determination`` formats them once for the text
    and the JSON values both)."""
    rule = rules.get(rule_id)
    if rule is None:
        return rule_id + ": " + ", ".join(f"{k}={v}" for k, v in values.items())
    return (rule.zh if lang == "zh" else rule.en).format_map(values)
