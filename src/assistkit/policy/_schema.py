"""Parameter schemas and declarations, value sources, and the conversion of TOML values to typed values."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any, TypeAlias

from attrs import field, frozen

from ..money import format_money, parse_decimal, parse_money
from ._kinds import NO_LIMIT, Bands, Comparison, Line, Rounding

__all__ = [
    "TYPES",
    "ParameterDeclaration",
    "ParameterSchema",
    "Source",
    "ValueProblem",
    "Value",
    "convert",
    "freeze",
    "show",
    "thaw",
    "value_json",
]

Value: TypeAlias = "Decimal | int | bool | tuple[str, ...] | Mapping[str, Any]"
"""A resolved value: money and decimals are ``Decimal``, ``strings`` a tuple, maps read-only mappings."""

_SEGMENT = r"[A-Za-z_][A-Za-z0-9_]*"
_NAME = re.compile(rf"{_SEGMENT}(?:\.{_SEGMENT})*")


@frozen
class Source:
    """Where a resolved value comes from: the file that set it, the parameter's key, and its effective date.

    ``file`` is the path as given for a policy file, or a ``<package>/path`` label for package data
    (``"<assistkit>/localities/demo-city.toml"``).
    """

    file: str
    key: str
    effective: dt.date


class ValueProblem(ValueError):
    """A value does not fit its type; ``path`` is the part of the key below the effective date (map keys)."""

    def __init__(self, reason: str, path: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path


def show(raw: object) -> str:
    """A TOML-like rendering of a raw value for error messages (``1050.125``, ``"six"``, ``true``)."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, (int, Decimal)):
        return str(raw)
    if isinstance(raw, str):
        return '"' + raw.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(raw, (dt.date, dt.time)):
        return raw.isoformat()
    if isinstance(raw, list):
        text = "[" + ", ".join(show(x) for x in raw) + "]"
    elif isinstance(raw, dict):
        text = "{ " + ", ".join(f"{k} = {show(v)}" for k, v in raw.items()) + " }"
    else:
        text = repr(raw)
    return text if len(text) <= 80 else text[:77] + "..."


def _money(raw: object) -> Decimal:
    try:
        return parse_money(raw)
    except (TypeError, ValueError):
        raise ValueProblem(
            "expected money in yuan: a number ≥ 0 with at most 2 decimal places "
            f'(1050, 1050.5 or "1050.50"); got {show(raw)}'
        ) from None


def _decimal(raw: object) -> Decimal:
    try:
        return parse_decimal(raw)
    except (TypeError, ValueError):
        raise ValueProblem(f'expected a decimal number ≥ 0 (0.3 or "0.3"); got {show(raw)}') from None


def _percent(raw: object) -> Decimal:
    # A change in percent (a price index on a year earlier, §P.1): it may be negative, unlike "decimal".
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal, str)):
        raise ValueProblem(f'expected a change in percent, a number that may be negative (3.6, -2.0 or "3.6"); '
                           f"got {show(raw)}")
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(raw.strip() if isinstance(raw, str) else raw)
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValueProblem(f'expected a change in percent, a number that may be negative (3.6, -2.0 or "3.6"); '
                           f"got {show(raw)}")
    return value


def _int(raw: object) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ValueProblem(f"expected a whole number ≥ 0 (6, without quotes or decimals); got {show(raw)}")
    if raw < 0:
        raise ValueProblem(f"expected a whole number ≥ 0; got {raw}")
    return raw


def _bool(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise ValueProblem(f"expected true or false (without quotes); got {show(raw)}")
    return raw


def _strings(raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ValueProblem(f'expected a list of strings (["a", "b"]); got {show(raw)}')
    seen: set[str] = set()
    for x in raw:
        if x in seen:
            raise ValueProblem(f"{show(x)} is listed twice")
        seen.add(x)
    return tuple(raw)


def _map(inner: Callable[[object], Any], example: str) -> Callable[[object], Mapping[str, Any]]:
    def convert_map(raw: object) -> Mapping[str, Any]:
        if not isinstance(raw, dict):
            raise ValueProblem(f"expected a table such as {example}; got {show(raw)}")
        out: dict[str, Any] = {}
        for key, value in raw.items():
            try:
                out[key] = inner(value)
            except ValueProblem as exc:
                raise ValueProblem(exc.reason, (key, *exc.path)) from None
        return MappingProxyType(out)

    return convert_map


def _string(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueProblem(f'expected a word in quotes ("highest"); got {show(raw)}')
    return raw


def _rounding(raw: object) -> Rounding:
    example = '{ unit = "fen", mode = "half_up" } (unit fen / jiao / yuan; mode half_up / up / down)'
    if not isinstance(raw, dict) or set(raw) != {"unit", "mode"}:
        raise ValueProblem(f"expected a rounding such as {example}; got {show(raw)}")
    unit, mode = raw["unit"], raw["mode"]
    if unit not in ("fen", "jiao", "yuan"):
        raise ValueProblem(f"expected the unit fen, jiao or yuan; got {show(unit)}", ("unit",))
    if mode not in ("half_up", "up", "down"):
        raise ValueProblem(f"expected the mode half_up, up or down; got {show(mode)}", ("mode",))
    return Rounding(unit, mode)


def _limit(raw: object) -> Decimal | None:
    if raw == NO_LIMIT:
        return None
    try:
        return parse_money(raw)
    except (TypeError, ValueError):
        raise ValueProblem(
            f'expected money in yuan (8000), or "{NO_LIMIT}" for no limit (not 99999999); got {show(raw)}'
        ) from None


def _operator(raw: object) -> Comparison:
    if raw not in ("<", "<=", "≤"):
        raise ValueProblem(f'expected "<" (低于, strictly below) or "<=" (不超过, at most); got {show(raw)}')
    return Comparison("<" if raw == "<" else "<=")


def _line(raw: object) -> Line:
    if isinstance(raw, dict):
        if set(raw) != {"times", "of"} or not isinstance(raw["of"], str) or not _NAME.fullmatch(raw["of"]):
            raise ValueProblem('expected money (1452), or a multiple of another parameter such as '
                               f'{{ times = 0.6, of = "reference.minimum_wage" }}; got {show(raw)}')
        try:
            times = parse_decimal(raw["times"])
        except (TypeError, ValueError):
            raise ValueProblem(f"expected a decimal number ≥ 0; got {show(raw['times'])}", ("times",)) from None
        return Line(None, times, raw["of"])
    try:
        return Line(parse_money(raw))
    except (TypeError, ValueError):
        raise ValueProblem('expected money (1452), or a multiple of another parameter such as '
                           f'{{ times = 0.6, of = "reference.minimum_wage" }}; got {show(raw)}') from None


def _bands(raw: object) -> Bands:
    example = '{ threshold = 2000, rates = { 0 = 0.40, 30000 = 0.50 }, bonus = 0.10 }'
    if not isinstance(raw, dict) or "rates" not in raw or not set(raw) <= {"threshold", "rates", "bonus"}:
        raise ValueProblem(f"expected a banded schedule such as {example} (threshold and bonus optional); "
                           f"got {show(raw)}")
    threshold = _money_at(raw.get("threshold", 0), ("threshold",))
    bonus = _decimal_at(raw.get("bonus", 0), ("bonus",))
    table = raw["rates"]
    if not isinstance(table, dict) or not table:
        raise ValueProblem(f"expected lower bound → rate, such as {{ 0 = 0.40, 30000 = 0.50 }}; got {show(table)}",
                           ("rates",))
    rates: list[tuple[Decimal, Decimal]] = []
    for key, rate in table.items():
        lower = _money_at(key, ("rates", key))
        if rates and lower <= rates[-1][0]:
            raise ValueProblem("lower bounds must increase", ("rates", key))
        rates.append((lower, _decimal_at(rate, ("rates", key))))
    if rates[0][0] != 0:
        raise ValueProblem("the first band must start at 0", ("rates", next(iter(table))))
    return Bands(threshold, tuple(rates), bonus)


def _money_at(raw: object, path: tuple[str, ...]) -> Decimal:
    try:
        return _money(raw)
    except ValueProblem as exc:
        raise ValueProblem(exc.reason, path) from None


def _decimal_at(raw: object, path: tuple[str, ...]) -> Decimal:
    try:
        return _decimal(raw)
    except ValueProblem as exc:
        raise ValueProblem(exc.reason, path) from None


def _factors(raw: object) -> tuple[Decimal, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueProblem(f"expected a list of factors, one per month ([1.0, 1.0, 0.5]); got {show(raw)}")
    out = []
    for i, x in enumerate(raw):
        out.append(_decimal_at(x, (f"[{i}]",)))
    return tuple(out)


_CONVERTERS: dict[str, Callable[[object], Any]] = {
    "money": _money,
    "decimal": _decimal,
    "percent": _percent,
    "int": _int,
    "bool": _bool,
    "strings": _strings,
    "map[decimal]": _map(_decimal, "{ tekun = 1.0, dibao = 0.8 }"),
    "map[money]": _map(_money, "{ tekun = 0, marginal = 800 }"),
    "map[map[money]]": _map(_map(_money, "{ 1 = 1000, 2 = 500 }"), "{ primary = { 1 = 1000, 2 = 500 } }"),
    "string": _string,
    "rounding": _rounding,
    "limit": _limit,
    "operator": _operator,
    "line": _line,
    "bands": _bands,
    "factors": _factors,
    "map[string]": _map(_string, '{ wage = "share_of_S", business = "above_standard" }'),
    "map[limit]": _map(_limit, '{ outpatient = 8000, inpatient = "none" }'),
    "map[line]": _map(_line, '{ tekun = 1000, dibao = { times = 0.5, of = "standard.urban" } }'),
    "map[map[limit]]": _map(_map(_limit, '{ outpatient = 8000, inpatient = "none" }'),
                            '{ tekun = { outpatient = "none", inpatient = "none" } }'),
    "map[map[decimal]]": _map(_map(_decimal, "{ outpatient = 0.8, inpatient = 0.85 }"),
                              "{ dibao = { outpatient = 0.8, inpatient = 0.85 } }"),
    "map[bands]": _map(_bands, '{ others = { threshold = 5000, rates = { 0 = 0.3 } } }'),
}

TYPES: tuple[str, ...] = tuple(_CONVERTERS)
"""The parameter types a schema may declare."""


def convert(type_: str, raw: object) -> Value:
    """The typed value of ``raw`` (as read from TOML) for type ``type_``; raises :class:`ValueProblem`."""
    return _CONVERTERS[type_](raw)  # type: ignore[no-any-return]


def value_json(value: Any, type_: str) -> Any:
    """One resolved value as JSON, written as a policy file writes it: money as ``"1050.00"``, decimals as exact
    strings, lists as lists, maps as objects, a rounding as ``{"unit", "mode"}``, an operator as ``"<"``, a line
    as money or ``{"times", "of"}``, a banded schedule as ``{"threshold", "rates", "bonus"}``, no limit as
    ``"none"``."""
    if value is None:
        return NO_LIMIT
    if type_ in ("money", "limit"):
        return format_money(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Rounding):
        return {"unit": value.unit, "mode": value.mode}
    if isinstance(value, Comparison):
        return value.operator
    if isinstance(value, Line):
        return format_money(value.fixed) if value.fixed is not None else {"times": str(value.times), "of": value.of}
    if isinstance(value, Bands):
        return {"threshold": format_money(value.threshold), "rates": {str(lo): str(r) for lo, r in value.rates},
                "bonus": str(value.bonus)}
    if isinstance(value, tuple):
        return [value_json(v, "") for v in value]
    if isinstance(value, Mapping):
        inner = type_[4:-1] if type_.startswith("map[") else ""
        return {k: value_json(v, inner) for k, v in value.items()}
    return value


def thaw(value: Any) -> Any:
    """``value`` with read-only mappings turned into dicts (mapping proxies cannot be pickled)."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    return value


def freeze(value: Any) -> Any:
    """The inverse of :func:`thaw`: dicts become read-only mappings, lists tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(value)
    return value


def _check_name(instance: ParameterSchema, attribute: Any, name: str) -> None:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(
            f"parameter name must be dotted identifiers such as 'medical.premium_rate'; got {name!r}"
        )
    if name == "locality":
        raise ValueError("'locality' is reserved for the top-level locality name of a policy file")


def _check_type(instance: ParameterSchema, attribute: Any, type_: str) -> None:
    if type_ not in _CONVERTERS:
        raise ValueError(
            f"parameter {instance.name}: type must be one of {', '.join(TYPES)}; got {type_!r}"
        )


def _check_text(instance: ParameterSchema, attribute: Any, value: str) -> None:
    if not isinstance(value, str):
        raise TypeError(f"parameter {instance.name}: {attribute.name} must be a str; got {value!r}")


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@frozen
class ParameterSchema:
    """A declared parameter: dotted ``name``, value ``type`` (one of :data:`TYPES`), ``unit``
    (``"yuan/month"``, ``"months"``, ``""``), ``meaning`` in English, ``meaning_zh`` in Chinese, the
    ``rule`` (§) that reads it, the ``choices`` of a ``string``, the ``keys`` of a map and whether it is
    ``optional``.
    """

    name: str = field(validator=_check_name)
    type: str = field(validator=_check_type)
    unit: str = field(validator=_check_text)
    meaning: str = field(validator=_check_text)
    meaning_zh: str = field(default="", validator=_check_text)
    rule: str = field(default="", validator=_check_text)
    choices: tuple[str, ...] = field(default=(), converter=_str_tuple)
    """For a ``string`` parameter (or a ``map[string]``, each value), the values it may take (an enumeration);
    empty: any word."""
    optional: bool = False
    """A value a locality may leave unset: a reference value (a rule reading it then fails naming it), or a
    refinement whose absence keeps the rule as its meaning states (e.g. no cap per employment type)."""
    keys: tuple[str, ...] = field(default=(), converter=_str_tuple)
    """For a ``map[…]`` parameter, the keys it may have (an enumeration); empty: any key."""


ValuesFile: TypeAlias = "str | os.PathLike[str] | Traversable"


def _check_schemas(instance: ParameterDeclaration, attribute: Any, schemas: tuple[Any, ...]) -> None:
    seen: set[str] = set()
    for schema in schemas:
        if not isinstance(schema, ParameterSchema):
            raise TypeError(f"schemas must be ParameterSchema instances; got {schema!r}")
        if schema.name in seen:
            raise ValueError(f"parameter {schema.name} is declared twice in one declaration")
        seen.add(schema.name)


def _check_values(instance: ParameterDeclaration, attribute: Any, values: Mapping[str, Any]) -> None:
    for locality, file in values.items():
        if not isinstance(locality, str) or not locality:
            raise TypeError(f"values must map locality names to files; got the key {locality!r}")
        if not isinstance(file, (str, os.PathLike)) and not hasattr(file, "read_bytes"):
            raise TypeError(
                f"values[{locality!r}] must be a path or an importlib.resources Traversable; got {file!r}"
            )


def _schema_tuple(schemas: Iterable[ParameterSchema]) -> tuple[ParameterSchema, ...]:
    return tuple(schemas)


def _read_only(values: Mapping[str, ValuesFile]) -> Mapping[str, ValuesFile]:
    return MappingProxyType(dict(values))


@frozen
class ParameterDeclaration:
    """Parameters declared together (by the core or by one plugin) and, per locality name, a TOML file of
    their values: a path, or a :class:`~importlib.resources.abc.Traversable` such as
    ``importlib.resources.files("assistkit_medical") / "demo-city.toml"``.
    """

    schemas: tuple[ParameterSchema, ...] = field(converter=_schema_tuple, validator=_check_schemas)
    values: Mapping[str, ValuesFile] = field(converter=_read_only, validator=_check_values)
