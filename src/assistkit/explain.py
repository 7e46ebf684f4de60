"""Explanations as data: a :class:`Reason` cites a :class:`Rule` (id + spec §) with the values it used.

Reasons are cheap to collect (a rule id, a dict of values, the names of the parameters read); text is rendered
only when asked, from the rule's Chinese or English template, by :func:`render_reason`.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Mapping
from decimal import Decimal
from operator import itemgetter
from types import MappingProxyType
from typing import Any, NamedTuple

from attrs import field, frozen

from .money import format_money, two_places
from .vocabulary import CORE, Vocabulary

__all__ = ["LANGUAGES", "REASON_FORMS", "Reason", "Rule", "format_value", "render_reason"]

LANGUAGES = ("zh", "en")

REASON_FORMS = ("text", "data", "none")
"""How a determination's JSON carries its reasons (``--reasons``): ``text`` as output-format.md has them (rule,
rendered text, values); ``data`` the rule, values and the parameters cited, without text (rendered later by
:func:`assistkit.render_reasons`, the same bytes); ``none`` without reasons."""

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
    # The templates made ready to fill (:func:`_filler`): parsed once per rule, not once per reason rendered.
    # Set after __init__, not by a Factory default: mypyc cannot compile a typed field with a default.
    _zh_filler: _Filler = field(init=False, eq=False, repr=False)
    _en_filler: _Filler = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_zh_filler", _filler(self.zh))
        object.__setattr__(self, "_en_filler", _filler(self.en))

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


_new = tuple.__new__
"""``_new(Reason, (rule, values, params))`` builds a named tuple (:class:`Reason`, and the engine's other named
tuples: ``Payment``, ``ProgrammeResult``, ``IncomeAccount``, ``Need``, ``Action``, …) from all its fields without
the named tuple's Python-level ``__new__``: the same value, cheaper (the hot path builds several per household)."""


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
        return _iso_date(value)
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


def _iso_date(day: dt.date) -> str:
    """``day.isoformat()``, remembered for dates: a run sees few (the assessment date, review dates), and
    formatting one is dearer than finding it."""
    if type(day) is not dt.date:  # a datetime, or a subclass with its own isoformat
        return day.isoformat()
    text = _DATES.get(day)
    if text is None:
        if len(_DATES) >= _DATES_LIMIT:
            _DATES.clear()
        text = _DATES[day] = day.isoformat()
    return text


# Bounded (emptied when full); dates and str are immutable, and a dict's get and set are atomic: threads may share it.
_DATES: dict[dt.date, str] = {}
_DATES_LIMIT = 4096


def _format_decimal(value: Decimal) -> str:
    # Money (and anything ≥ 1) shows two places; a small fraction with more places is a rate: shown exactly.
    text = str(value)
    if 2 < len(text) < 26 and text[-3] == ".":  # two places, as most amounts have: their own text
        return text
    return _decimal_text(value, text)


def _decimal_text(value: Decimal, text: str) -> str:
    """:func:`_format_decimal` given ``text``, which is ``str(value)``: a rate (``|value| < 1`` with more than two
    places) to at most six places, anything else as money. Forms read from the text alone are remembered."""
    formatted = _DECIMALS.get(text)
    if formatted is not None:
        return formatted
    if "E" in text:
        if abs(value) < 1 and value.as_tuple().exponent < -2:  # type: ignore[operator]
            return str(value.quantize(_SIX).normalize())
        return format_money(value)
    dot = text.find(".")
    if dot >= 0 and len(text) - dot > 3 and text[:dot] in ("0", "-0"):
        return str(value.quantize(_SIX).normalize())
    formatted = two_places(text)
    if formatted is None:
        return format_money(value)
    if len(_DECIMALS) >= _DECIMALS_LIMIT:
        _DECIMALS.clear()
    _DECIMALS[text] = formatted
    return formatted


# The output forms that :func:`_decimal_text` reads from the text, by that text: households repeat standards, rates
# and shares (0.5, 1575.000). Bounded (emptied when full); keys and values are immutable str, and a dict's get and
# set are atomic, so threads may share it.
_DECIMALS: dict[str, str] = {}
_DECIMALS_LIMIT = 4096


def _as_read(value: Any) -> Any:
    """``value`` (JSON-ready) as it reads back from its JSON: a subclass of str, int or float (an enum of codes)
    as the plain value its JSON holds, lists and maps item by item. What the text of a reason's value written as
    data is derived from (:func:`assistkit.determination.render_reasons_json`)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int.__index__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, (list, tuple)):
        return [_as_read(v) for v in value]
    if isinstance(value, Mapping):
        return {_as_read(k) if isinstance(k, str) else str(k): _as_read(v) for k, v in value.items()}
    return value


class _Formatted(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_reason(reason: Reason, rules: Mapping[str, Rule], lang: str = "zh",
                  vocabulary: Vocabulary = CORE) -> str:
    """The text of ``reason`` in ``lang`` (``zh`` or ``en``), each code among its values named by
    ``vocabulary``; an unknown rule renders its id and values."""
    return _render(reason.rule, {k: format_value(v) for k, v in reason.values.items()}, rules, lang, vocabulary)


def _render(rule_id: str, texts: Mapping[Any, Any], rules: Mapping[str, Rule], lang: str,
            vocabulary: Vocabulary = CORE) -> str:
    """:func:`render_reason` once the values are formatted (``determination`` formats them once for the text
    and the JSON values both). ``texts`` are strings, or ints (which fill in as ``str()`` gives them, so a JSON
    value serves as its text)."""
    rule = rules.get(rule_id)
    if texts:
        texts = vocabulary.relabel(rule_id, texts, lang)
    if rule is None:
        return rule_id + ": " + ", ".join(f"{k}={v}" for k, v in texts.items())
    text, fields = rule._zh_filler if lang == "zh" else rule._en_filler
    if fields is not None:
        try:
            # One field's getter returns the value itself, which % takes as it is (a str or an int, not a tuple).
            return text % fields(texts)  # type: ignore[operator]
        except KeyError:  # a value the template names is missing: its placeholder stays as written
            pass
    elif text is not None:
        return text
    # The slow way, with every value as text (a format spec or conversion treats an int otherwise).
    texts = {k: v if type(v) is str else str(v) for k, v in texts.items()}
    return rule.template(lang).format_map(_Formatted(texts))


_Filler = tuple[str | None, Callable[[Mapping[Any, Any]], Any] | None]


def _filler(template: str) -> _Filler:
    """``template`` made ready for :func:`_render`.

    A template without fields is its text. When every field is a plain name (``{gap}``: no ``!r``, ``:>8`` or
    ``a.b``), a %-format and the getter of the fields' values in order fill it as ``str.format_map`` would, without
    parsing the template again. Otherwise ``(None, None)``: ``format_map`` does the work."""
    parts: list[str] = []
    names: list[str] = []
    try:
        for literal, name, spec, conversion in _FORMATTER.parse(template):
            parts.append(literal.replace("%", "%%"))
            if name is not None:
                if spec or conversion or not name.isidentifier():
                    return None, None
                parts.append("%s")
                names.append(name)
    except ValueError:  # a malformed template: format_map raises as it always did
        return None, None
    if not names:
        return template.format_map({}), None
    return "".join(parts), itemgetter(*names)


_FORMATTER = string.Formatter()
