"""A batch line with the reasons as data (``--reasons data``), written the fast way: a speed room beside the
reference, :meth:`Determination.to_json <assistkit.determination.Determination.to_json>` serialised by
:func:`~assistkit.population._pipeline.dumps_line`, which ``tests/test_reasons_data.py`` checks it against byte for
byte (with orjson and with the standard library's encoder).

The reference copies each reason's values into a fresh dict, formatting every value in Python as it goes: most
of the cost of a determination's JSON once no text is rendered (benchmarks/README.md, issue 31's round). Here,
when every name of a reason's values is a ``str`` and every value a ``str``, ``int``, ``bool``, ``None``,
``Decimal``, ``date`` or a list or tuple of ``str`` (the values of nearly every reason), the reason's own mapping
goes into the tree as it is, and the encoder writes it, calling :func:`_default` only for a ``Decimal`` (and,
without orjson, a ``date``): the same text as the reference's, from C loops. Any other reason is written by the
reference (:func:`~assistkit.determination._reason_data`).

The tree shares the reasons' mappings, so it never leaves this module but as bytes (and to the batch's summary,
which reads no reason).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ..determination import Determination, _reason_data
from ..explain import Reason, _format_decimal, _iso_date

__all__ = ["data_json", "dumps_data_line"]

def _same(value: Any) -> Any:
    return value


def _names(value: Any) -> list[str]:
    if not _STR.issuperset(map(type, value)):
        raise KeyError(value)  # not a list of names: the reference's way
    return list(value)


_WRITE: dict[type, Callable[[Any], Any]] = {str: _same, int: _same, Decimal: _format_decimal, dt.date: _iso_date,
                                            bool: _same, type(None): _same, tuple: _names, list: _names}
"""How each kind of value is written, where the reference writes it the same way (no ``texts`` beside it)."""
_STR = frozenset({str})


def _reason(reason: Reason, refs: Any) -> dict[str, Any]:
    values = reason.values
    try:
        written = {k: _WRITE[type(v)](v) for k, v in values.items()} if _STR.issuperset(map(type, values)) else None
    except KeyError:
        written = None
    if written is None:
        return _reason_data(reason, refs)
    out: dict[str, Any] = {"rule": reason.rule, "values": written}
    params = reason.params
    if refs is not None and params:
        # One mapping per parameters cited and engine, shared by the lines (never changed: only encoded).
        cited = _CITED.get((id(refs), params))
        if cited is None:
            if len(_CITED) >= _CITED_LIMIT:
                _CITED.clear()
            cited = _CITED[(id(refs), params)] = {name: refs.get(name) for name in params}
            _KEEP[id(refs)] = refs  # so that its id names it as long as the mapping is kept
        out["params"] = cited
    return out


_CITED: dict[tuple[int, tuple[str, ...]], dict[str, Any]] = {}
_KEEP: dict[int, Any] = {}
_CITED_LIMIT = 4096


def data_json(determination: Determination, lang: str = "zh") -> dict[str, Any]:
    """The tree :func:`dumps_data_line` writes: ``determination.to_json(lang, "data")`` but for the reasons'
    values, which are the reasons' own mappings wherever :func:`_reason` can (read it, never change it)."""
    return determination._json(lang, "data", _reason)


def _default(value: Any) -> Any:
    """What the encoder calls for a value it does not know: a Decimal's and a date's text as the reference writes
    them (:func:`~assistkit.explain.format_value`)."""
    kind = type(value)
    if kind is Decimal:
        return _format_decimal(value)
    if kind is dt.date:
        return _iso_date(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _make() -> Callable[[Any], bytes]:
    try:
        import orjson  # type: ignore[import-not-found]
    except ImportError:
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False,
                                  default=_default).encode

        def stdlib_line(value: Any) -> bytes:
            return (encode(value) + "\n").encode("utf-8")

        return stdlib_line
    line = orjson.OPT_APPEND_NEWLINE

    def orjson_line(value: Any) -> bytes:
        return orjson.dumps(value, default=_default, option=line)  # type: ignore[no-any-return]

    return orjson_line


dumps_data_line = _make()
"""A :func:`data_json` tree → its JSON line: the bytes of ``dumps_line(determination.to_json(lang, "data"))``."""
