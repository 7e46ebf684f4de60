"""Household and fund data ↔ the model: strict reading of ``household-format.md`` and its errors (§17).

Reading is one pass over the JSON-like data, driven by a table per model class. It checks every rule of the
format (types, closed vocabularies, money, dates, months, cross-field limits, unique ids, references, one head),
builds the frozen attrs objects of :mod:`assistkit.household` in the same pass, and collects *every* problem of
a record as a :class:`~assistkit.errors.Problem` ``(path, reason)`` — ``members[2].birth_date``, 0-based,
dotted, top-level fields bare — before raising :class:`~assistkit.errors.InvalidHousehold`. Nothing is
assessed from a rejected household; in a stream (:func:`read_jsonl`, :func:`read_households`) it becomes a
:class:`Rejected` record and the stream goes on. Nearly every record is valid, so a fast path compiled from
the same tables (straight-line code) reads it first; it builds the same objects, or gives up and leaves the
record to the full reader.

Writing goes through :data:`converter`, one preconfigured cattrs converter: money as strings with two
decimals (``"1234.50"``), other decimals in plain notation, dates ``YYYY-MM-DD``, months ``YYYY-MM``, enums
as their values, ``from_`` as ``from``, every field present (nothing omitted), collections as lists. Its
structure hooks for the model classes are the strict reader, so ``converter.structure(data, Household)``
validates too.

JSON is parsed with the standard library, numbers with a fraction or exponent as exact ``Decimal`` (never
float): ``12.5`` is money, ``12.345`` is rejected for three places. A float passed by a Python caller is
accepted as money only when it is exactly a decimal of at most two places
(:func:`assistkit.money.parse_money`). The JSON Lines readers first try orjson, when installed, on a line, and
keep its result only for a valid household without a float anywhere; any other line is read as above.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from operator import mul
from pathlib import Path
from typing import IO, Any, Final, Literal, TypeAlias, cast

import attrs
import cattrs
from attrs import field, frozen
from cattrs.gen import make_dict_unstructure_fn, override

from . import _limits, _seen
from . import household as household_model
from ._seen import FirstSeen
from .errors import InvalidFunds, InvalidHousehold, InvalidRecord, Problem
from .household import (
    Asset,
    AssetKind,
    DilapidatedGrade,
    Enrolment,
    EnrolmentProgramme,
    Event,
    EventKind,
    Expense,
    ExpenseKind,
    Fund,
    HouseDamage,
    Household,
    Housing,
    Income,
    IncomeCategory,
    LabourCapacity,
    NeedKind,
    PastPayment,
    PaymentKind,
    PaymentProgramme,
    Person,
    Relationship,
    Residence,
    School,
    SelfCare,
    Stage,
    Status,
    Tenure,
)
from .money import FEN, format_money, parse_decimal, parse_money
from .periods import Month, parse_date, parse_month

try:
    from orjson import dumps as _quick_dumps
    from orjson import loads as _quick_loads
except ImportError:  # optional (the "fast" extra)
    _quick_loads = None  # type: ignore[assignment,unused-ignore]

__all__ = [
    "Example",
    "Format",
    "Parsed",
    "Record",
    "Rejected",
    "check_dates",
    "converter",
    "detect_format",
    "household_from_json",
    "load_funds",
    "read_example",
    "read_households",
    "read_jsonl",
    "structure_funds",
    "structure_household",
    "unstructure_household",
]


# ------------------------------------------------------------------------------------------------------------
# Leaf values: each parser returns the model value or raises _Bad(reason).
# ------------------------------------------------------------------------------------------------------------

class _Bad(Exception):
    """A leaf value breaks the format; ``args[0]`` is the plain reason."""


def _show(value: object) -> str:
    """A value as a reason quotes it: JSON words for null/true/false, strings quoted, containers named."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        return f"the float {value!r}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__}"


def _string(value: object) -> str:
    if isinstance(value, str):
        return value
    raise _Bad(f"expected a string; got {_show(value)}")


def _ident(value: object) -> str:
    """An id: a non-empty string of printable characters (ids are what references point at, and messages quote
    them: a control character could forge a line of a message)."""
    if isinstance(value, str) and value:
        if not value.isprintable():
            raise _Bad(f"must hold printable characters only (no control character, line break or lone "
                       f"surrogate); got {ascii(value)}")
        return value
    raise _Bad("must not be empty" if value == "" else f"expected a string id; got {_show(value)}")


def _bool(value: object) -> bool:
    # A real JSON boolean only: 0/1 or "true" are errors, not truthy.
    if value is True or value is False:
        return value
    raise _Bad(f"expected true or false; got {_show(value)}")


def _count(value: object) -> int:
    if type(value) is int:
        if value >= 0:
            return value
        raise _Bad(f"must be ≥ 0; got {value}")
    raise _Bad(f"expected a whole number ≥ 0; got {_show(value)}")


def _disability_grade(value: object) -> int:
    if type(value) is int and 1 <= value <= 4:
        return value
    raise _Bad(f"expected one of 1, 2, 3, 4 or null; got {_show(value)}")


class _Vocabulary:
    """A closed vocabulary: its value → the enum member (``table`` is also read by the fast path)."""

    __slots__ = ("table", "expected")

    def __init__(self, cls: type[Enum]) -> None:
        self.table: Final = {member.value: member for member in cls}
        self.expected: Final = "expected one of " + ", ".join(self.table) + "; got "

    def __call__(self, value: object) -> Any:
        try:
            return self.table[value]
        except (KeyError, TypeError):
            raise _Bad(self.expected + _show(value)) from None


def _enum(cls: type[Enum]) -> _Vocabulary:
    return _Vocabulary(cls)


# A decimal in plain notation: no exponent, no "+", no "1_000", no ".5" (household-format.md: "1234.50").
_DECIMAL_TEXT: Final = re.compile(r"(-?)[0-9]+(?:\.([0-9]+))?", re.ASCII)


def _number(value: object, places: int | None) -> Decimal:
    """A decimal ≥ 0 from a string, int, Decimal or exact float; at most ``places`` decimals when given."""
    kind = type(value)
    if kind is str:
        match = _DECIMAL_TEXT.fullmatch(cast(str, value))
        if match is None:
            raise _Bad(f'expected a decimal number such as "1234.50"; got {_show(value)}')
        number = Decimal(cast(str, value))
        decimals = match[2]
        if match[1] and number:
            raise _Bad(f"must be ≥ 0; got {_show(value)}")
        if places is not None and decimals is not None and len(decimals) > places:
            raise _Bad(f"at most {places} decimal places; got {_show(value)}")
    elif kind is Decimal or kind is int:
        number = value if kind is Decimal else Decimal(value)  # type: ignore[assignment,arg-type]
        if not number.is_finite():
            raise _Bad(f"expected a finite number; got {_show(value)}")
        if number.is_signed() and number:
            raise _Bad(f"must be ≥ 0; got {_show(value)}")
        if places is not None and number.as_tuple().exponent < -places:  # type: ignore[operator]
            raise _Bad(f"at most {places} decimal places; got {_show(value)}")
    elif kind is float:
        # Only a Python caller passes floats (JSON numbers arrive as Decimal): exact values only.
        try:
            return parse_money(value) if places == 2 else parse_decimal(value, places=places)
        except (TypeError, ValueError) as exc:
            raise _Bad(str(exc)) from None
    else:
        raise _Bad(f'expected a decimal number such as "1234.50"; got {_show(value)}')
    if number.is_signed():  # -0 → 0
        number = -number
    return number


class _TextCache:
    """Values read from their text, kept by the text: the same amounts, dates and months recur across a
    population, and the values are immutable, so sharing them is safe. ``cache(text)`` is the value; the fast
    readers look in ``values`` themselves first (``get`` of a plain dict: cheaper than a call through
    ``lru_cache`` or the subscript of a dict subclass). A text that does not read raises (``_Bad``,
    ``ValueError``) and is not kept, so every key is a text that reads. Bounded: emptied when full; a dict's
    get and set are atomic, so threads may share it."""

    __slots__ = ("values", "read", "limit")

    def __init__(self, read: Callable[[str], Any], limit: int) -> None:
        self.values: Final[dict[str, Any]] = {}
        self.read: Final = read
        self.limit: Final = limit

    def __call__(self, text: str) -> Any:
        values = self.values
        value = values.get(text)
        if value is not None:
            return value
        value = self.read(text)
        if len(values) >= self.limit:
            values.clear()
        values[text] = value
        return value


def _money(value: object) -> Decimal:
    """Money: ≥ 0, at most two decimals, normalised to two places."""
    if type(value) is str:
        return _MONEY_TEXTS(value)  # type: ignore[no-any-return]
    return _quantized(value)


def _quantized(value: object) -> Decimal:
    number = _number(value, 2)
    try:
        return number.quantize(FEN)
    except InvalidOperation:
        raise _Bad(f"too large for money; got {_show(value)}") from None


# Strings only: a key that is a number would match the equal float (5.0 == 5), which money never accepts.
_MONEY_TEXTS: Final = _TextCache(_quantized, 16384)


def _positive_money(value: object) -> Decimal:
    number = _money(value)
    if not number:
        raise _Bad(f"must be > 0; got {format_money(number)}")
    return number


def _decimal(value: object) -> Decimal:
    if type(value) is str:
        return _DECIMAL_TEXTS(value)  # type: ignore[no-any-return]
    return _number(value, None)


def _plain_number(text: str) -> Decimal:
    return _number(text, None)


# Floor areas and land recur too (strings only, as _MONEY_TEXTS).
_DECIMAL_TEXTS: Final = _TextCache(_plain_number, 4096)

# Dates and months: parse_date and parse_month take strings only, so any other value misses and raises.
_DATES: Final = _TextCache(parse_date.__wrapped__, 65536)
_MONTHS: Final = _TextCache(parse_month.__wrapped__, 4096)


def _date(value: object) -> dt.date:
    if isinstance(value, str):
        try:
            return _DATES(value)  # type: ignore[no-any-return]
        except ValueError:
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                raise _Bad(f"no such date: {_show(value)}") from None
    elif type(value) is dt.date:
        return value
    raise _Bad(f"expected a date YYYY-MM-DD; got {_show(value)}")


def _month(value: object) -> Month:
    if isinstance(value, str):
        try:
            return _MONTHS(value)  # type: ignore[no-any-return]
        except ValueError:
            pass
    elif type(value) is Month:
        return value
    raise _Bad(f"expected a month YYYY-MM; got {_show(value)}")


_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK: Final = "10X98765432"
_ID_ZEROS: Final = ord("0") * sum(_ID_WEIGHTS)  # weighted sum of ASCII codes − this = weighted sum of digits


def _id_number(value: object) -> str:
    """A resident identity number (GB 11643): 17 digits and a check character; the birth date is checked
    with the person (:func:`_check_person`). The check character ``X`` must be upper case, as on the card."""
    if not isinstance(value, str):
        raise _Bad(f"expected an 18-character identity number or null; got {_show(value)}")
    if len(value) != 18:
        raise _Bad(f"must be 18 characters (GB 11643); got {len(value)}: {_show(value)}")
    body = value[:17]
    if not (body.isascii() and body.isdigit()):
        raise _Bad(f"characters 1–17 must be digits (GB 11643); got {_show(value)}")
    expected = _ID_CHECK[(sum(map(mul, body.encode(), _ID_WEIGHTS)) - _ID_ZEROS) % 11]
    last = value[17]
    if last != expected:
        if last == "x" and expected == "X":
            raise _Bad("the check character must be an upper-case 'X' (GB 11643); got 'x'")
        raise _Bad(f"check character is {last!r} but the first 17 digits give {expected!r} (GB 11643); "
                   "a mistyped digit?")
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise _Bad(f"characters 7–14 must be a birth date YYYYMMDD (GB 11643); got {value[6:14]!r}") from None
    return value


# ------------------------------------------------------------------------------------------------------------
# Records: a table per class, one walker for all.
# ------------------------------------------------------------------------------------------------------------

_NULLABLE: Final = 1  # null is accepted and means "not given" (the model's None)
_NESTED: Final = 2  # the parser takes (value, path, problems) and reports its own problems

_Problems: TypeAlias = list[tuple[str, str]]
_Check: TypeAlias = Callable[[dict[str, Any], Mapping[str, Any], str, _Problems], None]


class _Invalid:
    """Marker returned for a record or list that has problems (they are already reported)."""

    __slots__ = ()


_INVALID: Final = _Invalid()


class _Spec:
    """How to read a model class: JSON key → (attribute, parser, flags); required keys; cross-field check.

    For the fast path, the same check as a test of the built object (``valid``: would ``check`` find
    nothing?), and the optional keys without which ``check`` finds nothing (``check_keys``; ``None`` when it
    may find something in any record), so the fast path skips the test of a record that has none of them.
    """

    __slots__ = ("cls", "fields", "required", "check", "valid", "check_keys")

    def __init__(self, cls: type, fields: dict[str, tuple[str, Callable[..., Any], int]],
                 required: tuple[str, ...], check: _Check | None = None,
                 valid: Callable[[Any], bool] | None = None, check_keys: tuple[str, ...] | None = None) -> None:
        assert check_keys is None or not set(check_keys) & set(required), "check_keys are optional keys"
        self.cls = cls
        self.fields = fields
        self.required = required
        self.check = check
        self.valid = valid
        self.check_keys = check_keys


def _at(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _unknown(key: object, fields: Iterable[str]) -> str:
    reason = f"unknown field {key!r}"
    if isinstance(key, str):
        close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.7)
        if close:
            reason += f" (did you mean {close[0]!r}?)"
    return reason


def _walk(spec: _Spec, data: object, path: str, problems: _Problems) -> Any:
    """Read one record: every problem is appended to ``problems``; the object, or ``_INVALID``."""
    if type(data) is not dict and not isinstance(data, Mapping):
        problems.append((path, f"expected an object; got {_show(data)}"))
        return _INVALID
    before = len(problems)
    fields = spec.fields
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        entry = fields.get(key)
        if entry is None:
            problems.append((_at(path, key), _unknown(key, fields)))
            continue
        attr, parse, flags = entry
        if not flags:
            try:
                kwargs[attr] = parse(value)
            except _Bad as bad:
                problems.append((_at(path, key), bad.args[0]))
        elif value is None and flags & _NULLABLE:
            kwargs[attr] = None
        elif flags & _NESTED:
            result = parse(value, _at(path, key), problems)
            if result is not _INVALID:
                kwargs[attr] = result
        else:
            try:
                kwargs[attr] = parse(value)
            except _Bad as bad:
                problems.append((_at(path, key), bad.args[0]))
    for key in spec.required:
        if key not in data:
            problems.append((_at(path, key), "required field missing"))
    if spec.check is not None:
        spec.check(kwargs, data, path, problems)
    if len(problems) > before:
        return _INVALID
    return spec.cls(**kwargs)


class _One:
    """A nested record (``spec`` is also read by the fast path)."""

    __slots__ = ("spec",)

    def __init__(self, spec: _Spec) -> None:
        self.spec: Final = spec

    def __call__(self, value: object, path: str, problems: _Problems) -> Any:
        return _walk(self.spec, value, path, problems)


class _ListOf:
    """A list of records (``spec`` is also read by the fast path)."""

    __slots__ = ("spec",)

    def __init__(self, spec: _Spec) -> None:
        self.spec: Final = spec

    def __call__(self, value: object, path: str, problems: _Problems) -> Any:
        if type(value) is not list and not isinstance(value, tuple):
            problems.append((path, f"expected a list; got {_show(value)}"))
            return _INVALID
        before = len(problems)
        items = tuple([_walk(self.spec, item, f"{path}[{i}]", problems) for i, item in enumerate(value)])
        return _INVALID if len(problems) > before else items


def _enum_list(cls: type[Enum]) -> Callable[[object, str, _Problems], Any]:
    parse_item = _enum(cls)

    def parse(value: object, path: str, problems: _Problems) -> Any:
        if type(value) is not list and not isinstance(value, tuple):
            problems.append((path, f"expected a list; got {_show(value)}"))
            return _INVALID
        before = len(problems)
        items = []
        for i, item in enumerate(value):
            try:
                items.append(parse_item(item))
            except _Bad as bad:
                problems.append((f"{path}[{i}]", bad.args[0]))
        return _INVALID if len(problems) > before else tuple(items)

    return parse


def _given(data: Mapping[str, Any], key: str) -> bool:
    return data.get(key) is not None


# Cross-field checks. They use only values that parsed (kwargs); a field that failed is already reported.
# Each has a twin for the fast path (_fast_readers): True when the check would find nothing in the record
# built from the same values. The twins run for every record, so they take enum members from module names
# (reading one off its class is slow in Python 3.11: EnumType has a __getattr__) and compare months as
# (year, month) rather than through the Month.index property.

_HEAD: Final = Relationship.HEAD
_CASUAL: Final = IncomeCategory.CASUAL
_FARM: Final = IncomeCategory.FARM
_OWNED: Final = Tenure.OWNED
_DIBAO: Final = EnrolmentProgramme.DIBAO
_DISASTER: Final = EventKind.DISASTER
_NO_DAMAGE: Final = HouseDamage.NONE


def _check_person(kw: dict[str, Any], data: Mapping[str, Any], path: str, problems: _Problems) -> None:
    number, birth = kw.get("id_number"), kw.get("birth_date")
    if birth is not None and birth.year < EARLIEST_BIRTH_YEAR:
        problems.append((_at(path, "birth_date"), f"a birth year before {EARLIEST_BIRTH_YEAR} is not plausible"))
    if number is not None and birth is not None:
        encoded = number[6:14]
        if encoded != f"{birth.year:04d}{birth.month:02d}{birth.day:02d}":
            problems.append((_at(path, "id_number"),
                             f"encodes the birth date {encoded[:4]}-{encoded[4:6]}-{encoded[6:]}, "
                             f"but birth_date is {birth.isoformat()}"))


def _person_valid(person: Person) -> bool:
    if person.birth_date.year < EARLIEST_BIRTH_YEAR:
        return False
    number = person.id_number
    if number is None:
        return True
    birth = person.birth_date
    return number[6:14] == f"{birth.year:04d}{birth.month:02d}{birth.day:02d}"


def _check_income(kw: dict[str, Any], data: Mapping[str, Any], path: str, problems: _Problems) -> None:
    get = data.get
    has_month, has_from, has_to = get("month") is not None, get("from") is not None, get("to") is not None
    if has_month:
        if has_from or has_to:
            problems.append((_at(path, "month"), "give either month, or from and to; not both"))
    elif has_from != has_to:
        missing, present = ("to", "from") if has_from else ("from", "to")
        problems.append((_at(path, missing), f"required with {present} (the months covered, inclusive)"))
    elif not has_from:
        problems.append((_at(path, "month"), "required: give month, or from and to"))
    else:
        first, last = kw.get("from_"), kw.get("to")
        if first is not None and last is not None and first.index > last.index:
            problems.append((_at(path, "to"), f"must not be before from ({first}); got {last}"))
    category = kw.get("category")
    if category is None:
        return
    has_days, has_land = get("days") is not None, get("land_mu") is not None
    if get("amount") is None:
        if category is IncomeCategory.CASUAL:
            if not has_days:
                problems.append((_at(path, "amount"), "required for casual income unless days are given"))
        elif category is IncomeCategory.FARM:
            if not has_land:
                problems.append((_at(path, "amount"), "required for farm income unless land_mu is given"))
        else:
            problems.append((_at(path, "amount"), f"required for category {category.value!r} "
                                                  "(null only for casual with days or farm with land_mu)"))
    if has_days and category is not IncomeCategory.CASUAL:
        problems.append((_at(path, "days"), f"only for category 'casual'; got category {category.value!r}"))
    if has_land and category is not IncomeCategory.FARM:
        problems.append((_at(path, "land_mu"), f"only for category 'farm'; got category {category.value!r}"))


def _income_valid(income: Income) -> bool:
    first, last = income.from_, income.to
    if income.month is not None:
        if first is not None or last is not None:
            return False
    elif (first is None or last is None or first.year > last.year
          or first.year == last.year and first.month > last.month):
        return False
    # days only for casual income, land only for farm income; without either, an amount.
    days, land = income.days, income.land_mu
    if days is not None:
        return land is None and income.category is _CASUAL
    if land is not None:
        return income.category is _FARM
    return income.amount is not None


def _check_expense(kw: dict[str, Any], data: Mapping[str, Any], path: str, problems: _Problems) -> None:
    total, in_scope, paid = kw.get("total"), kw.get("in_scope"), kw.get("insurance_paid")
    if in_scope is not None and total is not None and in_scope > total:
        problems.append((_at(path, "in_scope"),
                         f"must be ≤ total ({format_money(total)}); got {format_money(in_scope)}"))
    if paid is None:
        return
    if _given(data, "in_scope"):
        limit, name = in_scope, "in_scope"
    else:
        limit, name = total, "in_scope, which defaults to total"
    if limit is not None and paid > limit:
        problems.append((_at(path, "insurance_paid"),
                         f"must be ≤ {name} ({format_money(limit)}); got {format_money(paid)}"))


def _expense_valid(expense: Expense) -> bool:
    in_scope = expense.in_scope
    if in_scope is None:
        return expense.insurance_paid <= expense.total
    return in_scope <= expense.total and expense.insurance_paid <= in_scope


def _check_event(kw: dict[str, Any], data: Mapping[str, Any], path: str, problems: _Problems) -> None:
    loss, compensated = kw.get("loss"), kw.get("compensated")
    if loss is not None and compensated is not None and compensated > loss:
        problems.append((_at(path, "compensated"),
                         f"must be ≤ loss ({format_money(loss)}); got {format_money(compensated)}"))
    # Damage to the dwelling and people who died are recorded for disasters only (household-format.md).
    kind = kw.get("kind")
    if kind is not None and kind is not _DISASTER:
        damage, deceased = kw.get("house_damage"), kw.get("deceased")
        if damage is not None and damage is not _NO_DAMAGE:
            problems.append((_at(path, "house_damage"),
                             f"only for kind 'disaster'; got kind {kind.value!r} with {damage.value!r}"))
        if deceased:
            problems.append((_at(path, "deceased"),
                             f"only for kind 'disaster'; got kind {kind.value!r} with {deceased}"))


def _event_valid(event: Event) -> bool:
    if event.kind is not _DISASTER and (event.house_damage is not _NO_DAMAGE or event.deceased):
        return False
    return event.compensated <= event.loss


def _check_housing(kw: dict[str, Any], data: Mapping[str, Any], path: str, problems: _Problems) -> None:
    tenure = kw.get("tenure")
    if _given(data, "dilapidated_grade") and tenure is not None and tenure is not Tenure.OWNED:
        problems.append((_at(path, "dilapidated_grade"),
                         f"only with tenure 'owned'; got tenure {tenure.value!r}"))


def _housing_valid(housing: Housing) -> bool:
    return housing.dilapidated_grade is None or housing.tenure is _OWNED


def _check_enrolment(kw: dict[str, Any], data: Mapping[str, Any], path: str, problems: _Problems) -> None:
    programme = kw.get("programme")
    if (_given(data, "gradual_exit_from") and programme is not None
            and programme is not EnrolmentProgramme.DIBAO):
        problems.append((_at(path, "gradual_exit_from"),
                         f"only for programme 'dibao'; got programme {programme.value!r}"))


def _enrolment_valid(enrolment: Enrolment) -> bool:
    return enrolment.gradual_exit_from is None or enrolment.programme is _DIBAO


def _check_fund(kw: dict[str, Any], data: Mapping[str, Any], path: str, problems: _Problems) -> None:
    first, last = kw.get("valid_from"), kw.get("valid_to")
    if first is not None and last is not None and first > last:
        problems.append((_at(path, "valid_to"), f"must not be before valid_from ({first}); got {last}"))


def _ids(items: object, path: str, problems: _Problems, first: dict[str, str]) -> None:
    """Record the ids of ``items`` in ``first`` (id → path), reporting each duplicate."""
    if type(items) is not list and not isinstance(items, tuple):
        return
    for i, item in enumerate(items):
        if isinstance(item, Mapping):
            ident = item.get("id")
            if isinstance(ident, str) and ident:
                where = f"{path}[{i}].id"
                seen = first.setdefault(ident, where)
                if seen != where:
                    problems.append((where, f"duplicate id {ident!r} (also {seen})"))


def _references(items: object, path: str, key: str, ids: Mapping[str, str], what: str,
                problems: _Problems) -> None:
    """Report each ``items[i].key`` that names no id in ``ids``."""
    if type(items) is not list and not isinstance(items, tuple):
        return
    known = None
    for i, item in enumerate(items):
        if isinstance(item, Mapping):
            ref = item.get(key)
            if isinstance(ref, str) and ref not in ids:
                if known is None:  # once, and at most 10 ids: the message stays short however many are bad
                    shown = list(itertools.islice(ids, 10))
                    known = ", ".join(shown) + (f", … ({len(ids)} in all)" if len(ids) > 10 else "") or "none"
                problems.append((f"{path}[{i}].{key}", f"no {what} has id {ref!r} (ids: {known})"))


_RELATIONSHIPS: Final = frozenset(r.value for r in Relationship)

EARLIEST_BIRTH_YEAR: Final = 1900
"""A birth date before this year is a typing error (data-format.md, "Rules the spec leaves open")."""


def _household_valid(household: Household) -> bool:
    """Some members, one head, unique ids, every reference resolves: :func:`_check_household` finds nothing."""
    # Plain loops, one per kind of record: a comprehension is a call, and a loop over mixed records reads
    # their attributes the slow way. None is among the ids: a record without a member is the household's,
    # a payment without a need is not tied to one.
    members = household.members
    if len(members) == 1:  # the usual small household: no loop
        person = members[0]
        if person.relationship is not _HEAD:
            return False
        people: set[str | None] = {person.id, None}
    else:
        people = {None}
        heads = 0
        for person in members:
            people.add(person.id)
            if person.relationship is _HEAD:
                heads += 1
        if heads != 1 or len(people) != len(members) + 1:
            return False
    for income in household.incomes:
        if income.member not in people:
            return False
    for asset in household.assets:
        if asset.member not in people:
            return False
    for enrolment in household.enrolments:
        if enrolment.member not in people:
            return False
    expenses, events, history = household.expenses, household.events, household.history
    if not (expenses or events or history):
        return True
    for expense in expenses:
        if expense.member not in people:
            return False
    for payment in history:
        if payment.member not in people:
            return False
    needs: set[str | None] = {None}
    for expense in expenses:
        needs.add(expense.id)
    for event in events:
        needs.add(event.id)
    if len(needs) != len(expenses) + len(events) + 1:
        return False
    for payment in history:
        if payment.need not in needs:
            return False
    return True


def _check_household(kw: dict[str, Any], data: Mapping[str, Any], path: str, problems: _Problems) -> None:
    # From the raw data, so that a member or record that did not parse still counts (its id, its head). A valid
    # household does not come here (the fast path, _household_valid), so this need not be quick.
    members = data.get("members")
    if type(members) is list or isinstance(members, tuple):
        people: dict[str, str] = {}
        _ids(members, "members", problems, people)
        if not members:
            problems.append(("members", "must list at least one member"))
        else:
            heads = [i for i, m in enumerate(members)
                     if isinstance(m, Mapping) and m.get("relationship") == "head"]
            # A member whose relationship is unreadable may be the head: "none" would then be a false alarm.
            readable = all(isinstance(m, Mapping) and isinstance(m.get("relationship"), str)
                           and m["relationship"] in _RELATIONSHIPS for m in members)
            if not heads and readable:
                problems.append(("members", "exactly one member must have relationship 'head'; found none"))
            for i in heads[1:]:
                problems.append((f"members[{i}].relationship",
                                 f"a second head: members[{heads[0]}] is already the head"))
        for key in ("incomes", "assets", "expenses", "enrolments", "history"):
            _references(data.get(key), key, "member", people, "member", problems)
    needs: dict[str, str] = {}
    _ids(data.get("expenses"), "expenses", problems, needs)
    _ids(data.get("events"), "events", problems, needs)
    _references(data.get("history"), "history", "need", needs, "expense or event", problems)


_SCHOOL = _Spec(School, {
    "stage": ("stage", _enum(Stage), 0),
    "boarding": ("boarding", _bool, 0),
    "tuition": ("tuition", _money, 0),
}, ("stage",))

_PERSON = _Spec(Person, {
    "id": ("id", _ident, 0),
    "name": ("name", _string, 0),
    "id_number": ("id_number", _id_number, _NULLABLE),
    "birth_date": ("birth_date", _date, 0),
    "relationship": ("relationship", _enum(Relationship), 0),
    "disability_grade": ("disability_grade", _disability_grade, _NULLABLE),
    "serious_illness": ("serious_illness", _bool, 0),
    "labour_capacity": ("labour_capacity", _enum(LabourCapacity), 0),
    "self_care": ("self_care", _enum(SelfCare), 0),
    "school": ("school", _One(_SCHOOL), _NULLABLE | _NESTED),
    "has_capable_supporter": ("has_capable_supporter", _bool, 0),
    "orphan": ("orphan", _bool, 0),
    "refused_job_offers": ("refused_job_offers", _count, 0),
}, ("id", "name", "birth_date", "relationship"), _check_person, _person_valid)  # every person: the birth year

_INCOME = _Spec(Income, {
    "member": ("member", _string, _NULLABLE),
    "category": ("category", _enum(IncomeCategory), 0),
    "kind": ("kind", _string, 0),
    "amount": ("amount", _money, _NULLABLE),
    "month": ("month", _month, _NULLABLE),
    "from": ("from_", _month, _NULLABLE),
    "to": ("to", _month, _NULLABLE),
    "days": ("days", _count, _NULLABLE),
    "land_mu": ("land_mu", _decimal, _NULLABLE),
}, ("category",), _check_income, _income_valid)

_ASSET = _Spec(Asset, {
    "kind": ("kind", _enum(AssetKind), 0),
    "value": ("value", _money, 0),
    "member": ("member", _string, _NULLABLE),
    "exempt": ("exempt", _bool, 0),
}, ("kind", "value"))

_EXPENSE = _Spec(Expense, {
    "id": ("id", _ident, 0),
    "member": ("member", _string, 0),
    "kind": ("kind", _enum(ExpenseKind), 0),
    "date": ("date", _date, 0),
    "total": ("total", _money, 0),
    "in_scope": ("in_scope", _money, _NULLABLE),
    "insurance_paid": ("insurance_paid", _money, 0),
}, ("id", "member", "kind", "date", "total"), _check_expense, _expense_valid,
   check_keys=("in_scope", "insurance_paid"))

_EVENT = _Spec(Event, {
    "id": ("id", _ident, 0),
    "kind": ("kind", _enum(EventKind), 0),
    "date": ("date", _date, 0),
    "loss": ("loss", _money, 0),
    "compensated": ("compensated", _money, 0),
    "house_damage": ("house_damage", _enum(HouseDamage), 0),
    "deceased": ("deceased", _count, 0),
}, ("id", "kind", "date", "loss"), _check_event, _event_valid,
   check_keys=("compensated", "house_damage", "deceased"))

_HOUSING = _Spec(Housing, {
    "tenure": ("tenure", _enum(Tenure), 0),
    "floor_area": ("floor_area", _decimal, 0),
    "monthly_rent": ("monthly_rent", _money, 0),
    "dilapidated_grade": ("dilapidated_grade", _enum(DilapidatedGrade), _NULLABLE),
    "properties_owned": ("properties_owned", _count, 0),
}, ("tenure",), _check_housing, _housing_valid, check_keys=("dilapidated_grade",))

_ENROLMENT = _Spec(Enrolment, {
    "programme": ("programme", _enum(EnrolmentProgramme), 0),
    "member": ("member", _string, _NULLABLE),
    "since": ("since", _date, 0),
    "monthly_amount": ("monthly_amount", _money, 0),
    "gradual_exit_from": ("gradual_exit_from", _date, _NULLABLE),
}, ("programme", "since", "monthly_amount"), _check_enrolment, _enrolment_valid,
   check_keys=("gradual_exit_from",))

_PAYMENT = _Spec(PastPayment, {
    "programme": ("programme", _enum(PaymentProgramme), 0),
    "kind": ("kind", _enum(PaymentKind), 0),
    "member": ("member", _string, _NULLABLE),
    "need": ("need", _string, _NULLABLE),
    "date": ("date", _date, 0),
    "amount": ("amount", _money, 0),
}, ("programme", "kind", "date", "amount"))

_HOUSEHOLD = _Spec(Household, {
    "id": ("id", _ident, 0),
    "locality": ("locality", _string, 0),
    "community": ("community", _string, 0),
    "residence": ("residence", _enum(Residence), 0),
    "hukou_local": ("hukou_local", _bool, 0),
    "members": ("members", _ListOf(_PERSON), _NESTED),
    "incomes": ("incomes", _ListOf(_INCOME), _NESTED),
    "assets": ("assets", _ListOf(_ASSET), _NESTED),
    "expenses": ("expenses", _ListOf(_EXPENSE), _NESTED),
    "events": ("events", _ListOf(_EVENT), _NESTED),
    "housing": ("housing", _One(_HOUSING), _NULLABLE | _NESTED),
    "enrolments": ("enrolments", _ListOf(_ENROLMENT), _NESTED),
    "history": ("history", _ListOf(_PAYMENT), _NESTED),
}, ("id", "residence", "members"), _check_household, _household_valid)

_FUND = _Spec(Fund, {
    "id": ("id", _ident, 0),
    "name": ("name", _string, 0),
    "balance": ("balance", _money, 0),
    "need_kinds": ("need_kinds", _enum_list(NeedKind), _NESTED),
    "statuses": ("statuses", _enum_list(Status), _NESTED),
    "per_household_cap": ("per_household_cap", _positive_money, 0),
    "valid_from": ("valid_from", _date, 0),
    "valid_to": ("valid_to", _date, 0),
}, ("id", "name", "balance", "need_kinds", "per_household_cap", "valid_from", "valid_to"), _check_fund)

_SPECS: Final = (_SCHOOL, _PERSON, _INCOME, _ASSET, _EXPENSE, _EVENT, _HOUSING, _ENROLMENT, _PAYMENT)


def _household_id(data: object) -> str | None:
    if isinstance(data, Mapping):
        ident = data.get("id")
        if isinstance(ident, str) and ident:
            return ident
    return None


# ------------------------------------------------------------------------------------------------------------
# The fast path: straight-line readers for the usual, valid record.
# ------------------------------------------------------------------------------------------------------------
# Nearly every record is valid, and for it most of _walk's work is interpreting its spec: a table look-up,
# flags and a try per field, a kwargs dict. So each spec is also compiled once, at import, into a function of
# straight-line code — as attrs writes __init__ and cattrs its structure hooks — that makes the same checks
# with the same parsers, builds the same object, and gives up (raises) at the first thing it does not take: a
# problem, or merely something unusual (a Mapping that is not a dict, a tuple, a date object, a float).
# structure_household then reads the record again with _walk, which stays the one source of every problem
# reported; the fast path only has to agree with it on what is valid and on the object built.
#
# It never takes a float: JSON numbers with a fraction reach it as Decimal from the stdlib decoder, and a float
# can only come from a Python caller (the full reader handles it) or from orjson, which is not exact — so a
# line that orjson decodes and the fast path takes is the same household json would have given
# (_read_valid_line).

class _GiveUp(Exception):
    """The fast path does not take this record: the full reader decides."""


# Each leaf parser as code on ``v``: the parser's test and value, or give up.
_FAST_LEAVES: Final[dict[Callable[..., Any], str]] = {
    _string: "if type(v) is not str: raise _GiveUp",
    _ident: "if type(v) is not str or not v or not v.isprintable(): raise _GiveUp",
    _bool: "if v is not True and v is not False: raise _GiveUp",
    _count: "if type(v) is not int or v < 0: raise _GiveUp",
    _disability_grade: "if type(v) is not int or not 1 <= v <= 4: raise _GiveUp",
    _id_number: "v = _id_number(v)",  # strings only
    # The text caches' values first, by get (a miss is common in a large population: no exception for it).
    # No type test: only texts that read are kept, so any other value (a date object too) misses and raises.
    # A date or a month is never false, so `or` finds a miss.
    _date: "v = _dates.get(v) or _DATES(v)",
    _month: "v = _months.get(v) or _MONTHS(v)",
    _money: ("if type(v) is str:\n"
             "    money = _money_texts.get(v)\n"
             "    v = _MONEY_TEXTS(v) if money is None else money\n"
             "elif type(v) is int or type(v) is Decimal: v = _quantized(v)\n"
             "else: raise _GiveUp"),
    _decimal: ("if type(v) is str: v = _DECIMAL_TEXTS(v)\n"
               "elif type(v) is int or type(v) is Decimal: v = _number(v, None)\n"
               "else: raise _GiveUp"),
}


def _draft(cls: type) -> type:
    """A subclass of the frozen ``cls`` with plain attribute setting, to fill in and then make a ``cls``.

    attrs' frozen ``__init__`` sets each field through ``object.__setattr__``, a call per field and most of the
    cost of building a record. The fast path sets the draft's slots instead (ordinary, quick stores; converters
    applied) and then assigns ``__class__ = cls``: the same layout, so the result is exactly the object
    ``cls(...)`` makes — as long as ``__init__`` does nothing else (no validators, no hooks, no hidden slots).
    """
    assert not hasattr(cls, "__attrs_post_init__") and not hasattr(cls, "__attrs_pre_init__"), cls
    assert all(a.validator is None and a.init for a in attrs.fields(cls)), cls
    assert set(vars(cls)["__slots__"]) - {"__weakref__"} == set(attrs.fields_dict(cls)), cls
    return type(f"_{cls.__name__}Draft", (cls,), {
        "__slots__": (), "__init__": object.__init__,
        "__setattr__": object.__setattr__, "__delattr__": object.__delattr__})


def _constant(names: dict[str, Any], value: object) -> str:
    """A name for ``value`` in the generated code's globals."""
    name = f"_c{len(names)}"
    names[name] = value
    return name


def _key(names: dict[str, Any], key: str) -> str:
    """A name for the JSON key ``key`` in the generated code's globals, bound to the very string orjson makes
    for that key when it is installed. orjson keeps the key strings it has made and gives the same object on
    every line, so a look-up of the key in a record it decoded matches at once instead of comparing characters
    (about 1.6k instructions per household); any equal string finds the key all the same."""
    assert key.isidentifier(), key
    name = f"_k_{key}"
    if name not in names:
        names[name] = key if _quick_loads is None else next(iter(_quick_loads(json.dumps({key: 0}))))
    return name


def _leaf_code(parse: Callable[..., Any], names: dict[str, Any]) -> list[str]:
    if isinstance(parse, _One):
        return [f"v = _read_{parse.spec.cls.__name__}(v)"]
    if isinstance(parse, _ListOf):
        return ["if type(v) is not list: raise _GiveUp", "items = []", "for item in v:",
                f"    items.append(_read_{parse.spec.cls.__name__}(item))", "v = tuple(items)"]
    if isinstance(parse, _Vocabulary):
        return [f"v = {_constant(names, parse.table)}[v]"]  # KeyError or TypeError: not in the vocabulary
    return _FAST_LEAVES[parse].splitlines()


def _fast_source(spec: _Spec, names: dict[str, Any]) -> str:
    """The source of ``_read_<Class>(data)`` for ``spec``: the object, or an exception. For Event, in short::

        def _read_Event(data):
            if type(data) is not dict: raise _GiveUp
            made = _EventDraft()
            v = data['id']                                  # KeyError: a required field missing
            if type(v) is not str or not v: raise _GiveUp
            made.id = v
            ...                                             # kind, date, loss
            check = False
            given = len(data)
            if given == 4:                                  # the required keys only: the rest take defaults
                made.compensated = Decimal("0.00")
            else:
                n = 4
                if 'compensated' in data:
                    n += 1
                    ...                                     # money
                    made.compensated = v
                    check = True                            # a key the cross-field check looks at
                else:
                    made.compensated = Decimal("0.00")
                if given != n: raise _GiveUp                # an unknown field
            made.__class__ = Event
            if check and not _event_valid(made): raise _GiveUp
            return made
    """
    cls = spec.cls
    model = attrs.fields_dict(cls)
    assert set(model) == {attr for attr, _parse, _flags in spec.fields.values()}, cls
    assert (spec.check is None) == (spec.valid is None), f"{cls}: a cross-field check needs its fast-path form"
    required: list[str] = []
    optional: list[tuple[str, str, str, list[str]]] = []  # key, attribute, default, code
    for key, (attr, parse, flags) in spec.fields.items():
        converter = model[attr].converter
        if converter is tuple and isinstance(parse, _ListOf):
            converter = None  # the list is read as a tuple already
        if isinstance(parse, _Vocabulary) and not flags & _NULLABLE and converter is None:
            # KeyError or TypeError: not in the vocabulary, or missing
            code = [f"made.{attr} = {_constant(names, parse.table)}[data[{_key(names, key)}]]"]
        else:
            code = [f"v = data[{_key(names, key)}]"]  # KeyError: missing
            if flags & _NULLABLE:  # null means "not given"
                code += ["if v is not None:", *("    " + line for line in _leaf_code(parse, names))]
            else:
                code += _leaf_code(parse, names)
            code.append(f"made.{attr} = " + ("v" if converter is None else f"{_constant(names, converter)}(v)"))
        if key in spec.required:
            required += code
        else:
            if spec.check_keys is not None and key in spec.check_keys:
                code.append("check = True")
            default = model[attr].default
            assert default is not attrs.NOTHING and not isinstance(default, attrs.Factory), (cls, attr)  # type: ignore[arg-type]
            optional.append((key, attr, _constant(names, default), code))
    size = len(spec.required)
    lines = [f"def _read_{cls.__name__}(data):",
             "    if type(data) is not dict: raise _GiveUp",
             f"    made = {_constant(names, _draft(cls))}()",
             *("    " + line for line in required)]
    if spec.check_keys is not None:
        lines.append("    check = False  # any of check_keys given?")
    if optional:
        lines += ["    given = len(data)", f"    if given == {size}:  # the required keys only"]
        lines += [f"        made.{attr} = {default}" for _key, attr, default, _code in optional]
        lines += ["    else:", f"        n = {size}  # keys read: any other is an unknown field"]
        for key, attr, default, code in optional:
            lines += [f"        if {_key(names, key)} in data:", "            n += 1",
                      *("            " + line for line in code),
                      "        else:", f"            made.{attr} = {default}"]
        lines.append("        if given != n: raise _GiveUp")
    else:
        lines.append(f"    if len(data) != {size}: raise _GiveUp")
    lines.append(f"    made.__class__ = {_constant(names, cls)}")
    if spec.valid is not None:
        test = f"not {_constant(names, spec.valid)}(made)"
        lines.append(f"    if {test if spec.check_keys is None else 'check and ' + test}: raise _GiveUp")
    lines.append("    return made")
    return "\n".join(lines) + "\n"


def _fast_readers(specs: Iterable[_Spec]) -> dict[type, Callable[[object], Any]]:
    """A fast reader per spec (nested records use each other's): ``reader(data)`` is the object that
    ``_walk`` would build from ``data``, or raises if ``_walk`` might report a problem."""
    specs = tuple(specs)
    names: dict[str, Any] = {"_GiveUp": _GiveUp, "Decimal": Decimal, "_quantized": _quantized, "_number": _number,
                             "_id_number": _id_number, "_DECIMAL_TEXTS": _DECIMAL_TEXTS,
                             "_DATES": _DATES, "_dates": _DATES.values, "_MONTHS": _MONTHS, "_months": _MONTHS.values,
                             "_MONEY_TEXTS": _MONEY_TEXTS, "_money_texts": _MONEY_TEXTS.values}
    source = "\n".join(_fast_source(spec, names) for spec in specs)
    exec(compile(source, f"<{__name__} fast readers>", "exec"), names)
    return {spec.cls: names[f"_read_{spec.cls.__name__}"] for spec in specs}


_READ_VALID: Final = _fast_readers((*_SPECS, _HOUSEHOLD))
_read_valid_household: Final = _READ_VALID[Household]


# ------------------------------------------------------------------------------------------------------------
# Public reading and writing of one record.
# ------------------------------------------------------------------------------------------------------------

def structure_household(data: object) -> Household:
    """Read one household from JSON-like data (household-format.md).

    Raises :class:`~assistkit.errors.InvalidHousehold` carrying the household id (``None`` when it has none)
    and every problem found. Dates are checked against the assessment date by :func:`check_dates`.
    """
    beyond = _limits.data_problems(data)
    if beyond:  # too big or too deep to read at all (the reader's resource policy)
        raise InvalidHousehold(_household_id(data), beyond)
    try:
        return _read_valid_household(data)  # type: ignore[no-any-return]
    except Exception:
        pass  # a problem, or something unusual: the full reader decides, and reports every problem
    problems: _Problems = []
    household = _walk(_HOUSEHOLD, data, "", problems)
    if problems:
        raise InvalidHousehold(_household_id(data), problems)
    return household  # type: ignore[no-any-return]


def unstructure_household(household: Household) -> dict[str, Any]:
    """The JSON-ready form of ``household``: every field, money as ``"1234.50"``, dates and months as text."""
    return converter.unstructure(household, Household)  # type: ignore[no-any-return]


def household_from_json(text: str | bytes) -> Household:
    """Parse one household from JSON text; invalid JSON is an :class:`~assistkit.errors.InvalidHousehold`
    with the empty path."""
    try:
        data = _loads(text)
    except ValueError as exc:
        raise InvalidHousehold(None, [("", f"invalid JSON: {exc}")]) from None
    return structure_household(data)


def structure_funds(data: object, *, source: str | None = None) -> tuple[Fund, ...]:
    """Read a list of donation funds (household-format.md, Fund); fund ids must be unique within the list.

    Raises :class:`~assistkit.errors.InvalidFunds` (``source`` names the file), paths like ``[1].balance``.
    """
    if type(data) is not list and not isinstance(data, tuple):
        raise InvalidFunds(source, [("", f"expected a list of funds; got {_show(data)}")])
    problems: _Problems = []
    funds = [_walk(_FUND, item, f"[{i}]", problems) for i, item in enumerate(data)]
    seen: dict[str, str] = {}
    for i, item in enumerate(data):
        if isinstance(item, Mapping):
            ident = item.get("id")
            if isinstance(ident, str) and ident:
                where = seen.setdefault(ident, f"[{i}].id")
                if where != f"[{i}].id":
                    problems.append((f"[{i}].id", f"duplicate fund id {ident!r} (also {where})"))
    if problems:
        raise InvalidFunds(source, problems)
    return tuple(funds)


def load_funds(path: str | os.PathLike[str]) -> tuple[Fund, ...]:
    """Read the donation funds of a JSON file holding a list of funds (:func:`structure_funds`)."""
    try:
        data = _loads(Path(path).read_bytes())
    except ValueError as exc:
        raise InvalidFunds(os.fspath(path), [("", f"invalid JSON: {exc}")]) from None
    return structure_funds(data, source=os.fspath(path))


def check_dates(household: Household, on: dt.date) -> None:
    """Raise :class:`~assistkit.errors.InvalidHousehold` if a birth, expense or event date is after ``on``.

    household-format.md: these dates are "not after the assessment date", which is known only when assessing.
    """
    # Nearly always nothing is late: look without building anything first.
    for person in household.members:
        if person.birth_date > on:
            break
    else:
        for expense in household.expenses:
            if expense.date > on:
                break
        else:
            for event in household.events:
                if event.date > on:
                    break
            else:
                return
    problems = [
        (f"{where}[{i}].{name}",
         f"must not be after the assessment date {on.isoformat()}; got {day.isoformat()}")
        for where, items, name in (("members", household.members, "birth_date"),
                                   ("expenses", household.expenses, "date"),
                                   ("events", household.events, "date"))
        for i, item in enumerate(items)
        if (day := getattr(item, name)) > on
    ]
    if problems:
        raise InvalidHousehold(household.id, problems)


# ------------------------------------------------------------------------------------------------------------
# The cattrs converter.
# ------------------------------------------------------------------------------------------------------------

def _plain_decimal(value: Decimal | None) -> str | None:
    """A non-money decimal (square metres, mu) in plain notation, exactly as held."""
    return None if value is None else format(value, "f")


def _leaf_hook(parse: Callable[[object], Any]) -> Callable[[object, Any], Any]:
    def hook(value: object, _type: Any) -> Any:
        try:
            return parse(value)
        except _Bad as bad:
            raise ValueError(bad.args[0]) from None

    return hook


def _record_hook(spec: _Spec) -> Callable[[object, Any], Any]:
    def hook(value: object, _type: Any) -> Any:
        problems: _Problems = []
        result = _walk(spec, value, "", problems)
        if problems:
            raise InvalidRecord(None, problems)
        return result

    return hook


def _fund_hook(value: object, _type: Any) -> Fund:
    problems: _Problems = []
    result = _walk(_FUND, value, "", problems)
    if problems:
        raise InvalidFunds(None, problems)
    return result  # type: ignore[no-any-return]


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(omit_if_default=False, forbid_extra_keys=True)
    # Structure: the strict reader for every model class, the leaf parsers for leaf types.
    conv.register_structure_hook(Household, lambda value, _type: structure_household(value))
    conv.register_structure_hook(Fund, _fund_hook)
    conv.register_structure_hook_func(lambda t: t == tuple[Fund, ...],
                                      lambda value, _type: structure_funds(value))
    for spec in _SPECS:
        conv.register_structure_hook(spec.cls, _record_hook(spec))
    conv.register_structure_hook(Decimal, _leaf_hook(_decimal))
    conv.register_structure_hook(dt.date, _leaf_hook(_date))
    conv.register_structure_hook(Month, _leaf_hook(_month))
    for name in household_model.__all__:
        kind = getattr(household_model, name)
        if isinstance(kind, type) and issubclass(kind, Enum):
            conv.register_structure_hook(kind, _leaf_hook(_enum(kind)))
    # Unstructure: JSON-ready values; money with two decimals; every field; `from_` is `from`.
    conv.register_unstructure_hook(Decimal, format_money)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(Month, str)
    conv.register_unstructure_hook(
        Income, make_dict_unstructure_fn(Income, conv, from_=override(rename="from"),
                                         land_mu=override(unstruct_hook=_plain_decimal)))
    conv.register_unstructure_hook(
        Housing, make_dict_unstructure_fn(Housing, conv, floor_area=override(unstruct_hook=_plain_decimal)))
    return conv


converter: Final[cattrs.Converter] = _make_converter()
"""The one converter for JSON ↔ model. ``converter.structure(data, Household)`` is
:func:`structure_household` (strict, raises :class:`~assistkit.errors.InvalidHousehold`);
``converter.unstructure(household)`` is JSON-ready."""


# ------------------------------------------------------------------------------------------------------------
# Files and streams.
# ------------------------------------------------------------------------------------------------------------

def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_DECODER: Final = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant,
                                   object_pairs_hook=_limits.reject_duplicates)

def _read_valid_line(raw: str | bytes) -> Household | None:
    """The household on a JSON line in the usual case — the line is valid — read the quick way (orjson if
    installed, then the fast path); ``None`` for any other line, which the caller reads the full way (the
    stdlib decoder, every problem reported). orjson's floats are never taken (see _GiveUp), and where it
    decodes a line without them it gives what the stdlib decoder gives."""
    if _quick_loads is None or _limits.line_problem(raw):
        return None
    try:
        data = _quick_loads(raw)
        if _limits.data_problems(data, depth=False):  # the fast readers take no deeper shape than a household's
            return None
        household = _read_valid_household(data)
    except Exception:
        return None
    return household if _limits.duplicate_free(raw, data, _quick_dumps) else None  # type: ignore[no-any-return]


def _loads(text: str | bytes) -> Any:
    """Parse JSON with exact decimals; ``ValueError`` (with the JSON position) for anything else."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not UTF-8 text ({exc})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    problem = _limits.line_problem(text)
    if problem:
        raise ValueError(problem)
    try:
        return _DECODER.decode(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _as_problems(problems: Iterable[tuple[str, str]]) -> tuple[Problem, ...]:
    return tuple(p if type(p) is Problem else Problem(*p) for p in problems)


@frozen
class Parsed:
    """A household read from a stream, with its 1-based line (or list position)."""

    line: int
    household: Household


@frozen
class Rejected:
    """A record that breaks household-format.md (§17): its 1-based line (or list position), the household id
    if it has one, and every problem. A problem with the empty path concerns the whole line."""

    line: int
    household: str | None
    problems: tuple[Problem, ...] = field(converter=_as_problems)

    def lines(self) -> list[str]:
        """One ``household H-9: members[1].birth_date: reason`` line per problem (no line prefix)."""
        return InvalidHousehold(self.household, self.problems).lines()


Record: TypeAlias = Parsed | Rejected
"""What the readers yield: a parsed household or a rejected record."""

Format: TypeAlias = Literal["object", "list", "jsonl", "empty"]


def _rejected(line: int, reason: str) -> Rejected:
    return Rejected(line, None, (Problem("", reason),))


class _Population:
    """Turns data into records, rejecting a household id seen before (ids are unique within a population)."""

    __slots__ = ("seen", "unique")

    def __init__(self, unique: bool) -> None:
        self.seen: FirstSeen[int] = FirstSeen(_seen.HOUSEHOLD_IDS)  # past the limit, on disk until close()
        self.unique = unique

    def close(self) -> None:
        self.seen.close()

    def record(self, line: int, data: object, what: str = "line") -> Record:
        try:
            household = structure_household(data)
        except InvalidHousehold as exc:
            return Rejected(line, exc.household, exc.problems)
        return self.accept(line, household, what)

    def accept(self, line: int, household: Household, what: str = "line") -> Record:
        if self.unique:
            first = self.seen.setdefault(household.id, line)
            if first != line:
                reason = f"duplicate household id {household.id!r} (first on {what} {first})"
                return Rejected(line, household.id, (Problem("id", reason),))
        return Parsed(line, household)


def _jsonl(lines: Iterable[str | bytes], population: _Population) -> Iterator[Record]:
    for number, raw in enumerate(lines, 1):
        household = _read_valid_line(raw)
        if household is not None:
            yield population.accept(number, household)
            continue
        if isinstance(raw, bytes):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield _rejected(number, f"invalid JSON: not UTF-8 text ({exc})")
                continue
        else:
            text = raw
        if number == 1 and text.startswith("\ufeff"):
            text = text[1:]
        if not text.strip():
            continue
        problem = _limits.line_problem(raw)
        if problem:
            yield _rejected(number, problem)
            continue
        try:
            data = _DECODER.decode(text)
        except (ValueError, RecursionError) as exc:
            yield _rejected(number, f"invalid JSON: {exc}")
            continue
        if not isinstance(data, dict):
            yield _rejected(number, f"expected a household object on each line; got {_show(data)}")
            continue
        yield population.record(number, data)


def read_jsonl(source: str | os.PathLike[str] | IO[str] | IO[bytes], *,
               unique_ids: bool = True) -> Iterator[Record]:
    """Stream the households of a JSON Lines file (a path or an open file, text or binary), one record per
    non-blank line, in order: :class:`Parsed` or :class:`Rejected` (line numbers are 1-based). A bad line —
    invalid JSON, not an object, an invalid household, or (with ``unique_ids``) a household id already seen —
    is rejected and the stream goes on.
    """
    population = _Population(unique_ids)
    try:
        if isinstance(source, (str, os.PathLike)):
            with open(source, "rb") as file:
                yield from _jsonl(file, population)
        else:
            yield from _jsonl(source, population)
    finally:
        population.close()


def _first_lines(path: str | os.PathLike[str], count: int) -> list[bytes]:
    """The first ``count`` non-blank lines of a file, stripped (BOM removed)."""
    found: list[bytes] = []
    with open(path, "rb") as file:
        for raw in file:
            line = raw.strip()
            if not found:
                line = line.removeprefix(b"\xef\xbb\xbf").strip()
            if line:
                found.append(line)
                if len(found) == count:
                    break
    return found


def detect_format(path: str | os.PathLike[str]) -> Format:
    """What a household file holds: ``"list"`` (a JSON list), ``"object"`` (one JSON object, possibly over
    several lines), ``"jsonl"`` (JSON Lines), or ``"empty"``.

    The first non-blank character decides between a list and objects. Objects are JSON Lines when the first
    line is a complete JSON value and another line follows — or when the first line does not parse but looks
    like a whole record (ends with ``}``) and another line starting with ``{`` follows, so a corrupt first
    line of a JSON Lines file does not hide the others.
    """
    lines = _first_lines(path, 2)
    if not lines:
        return "empty"
    first = lines[0]
    if first.startswith(b"["):
        return "list"
    if not first.startswith(b"{"):
        return "jsonl"
    try:
        _DECODER.decode(first.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return "jsonl" if first.endswith(b"}") and len(lines) > 1 and lines[1].startswith(b"{") else "object"
    return "jsonl" if len(lines) > 1 else "object"


def read_households(path: str | os.PathLike[str], *, unique_ids: bool = True) -> Iterator[Record]:
    """Stream the households of a file holding one JSON object, a JSON list or JSON Lines (see
    :func:`detect_format`). ``line`` is the line number for JSON Lines, the 1-based position for a list, and
    1 for a single object. A spec example (an object with ``household`` and ``on``) yields its household, with
    its dates checked against ``on``.
    """
    kind = detect_format(path)
    if kind == "empty":
        return
    if kind == "jsonl":
        yield from read_jsonl(path, unique_ids=unique_ids)
        return
    try:
        data = _loads(Path(path).read_bytes())
    except ValueError as exc:
        yield _rejected(1, f"invalid JSON: {exc}")
        return
    if kind == "object":
        if isinstance(data, Mapping) and "household" in data:
            try:
                yield Parsed(1, _example(data).household)
            except InvalidHousehold as exc:
                yield Rejected(1, exc.household, exc.problems)
        else:
            yield _Population(unique_ids).record(1, data)
        return
    if not isinstance(data, list):
        yield _rejected(1, f"expected a list of households; got {_show(data)}")
        return
    population = _Population(unique_ids)
    try:
        for position, item in enumerate(data, 1):
            yield population.record(position, item, "item")
    finally:
        population.close()


@frozen
class Example:
    """A worked example in the ``spec/examples`` format, read strictly: the assessment date, the household,
    the expected output (JSON data for :func:`assistkit.testing.examples.compare_expected`), the note."""

    on: dt.date
    household: Household
    expected: dict[str, Any] = field(hash=False)
    note: str = ""


_EXAMPLE_KEYS: Final = ("on", "household", "expected", "note")


def _example(data: object) -> Example:
    if not isinstance(data, Mapping):
        raise InvalidHousehold(None, [("", f"expected an example object; got {_show(data)}")])
    problems: _Problems = []
    household_data = data.get("household")
    ident = _household_id(household_data)
    for key in data:
        if key not in _EXAMPLE_KEYS:
            problems.append((str(key), _unknown(key, _EXAMPLE_KEYS)))
    for key in ("on", "household", "expected"):
        if key not in data:
            problems.append((key, "required field missing"))
    on = None
    if "on" in data:
        try:
            on = _date(data["on"])
        except _Bad as bad:
            problems.append(("on", bad.args[0]))
    expected = data.get("expected", {})
    if not isinstance(expected, dict):
        problems.append(("expected", f"expected an object; got {_show(expected)}"))
    note = data.get("note", "")
    if not isinstance(note, str):
        problems.append(("note", f"expected a string; got {_show(note)}"))
    household = None
    if "household" in data and not isinstance(household_data, Mapping):
        problems.append(("household", f"expected an object; got {_show(household_data)}"))
    elif "household" in data:
        try:
            household = structure_household(household_data)
            if on is not None:
                check_dates(household, on)
        except InvalidHousehold as exc:
            problems.extend(exc.problems)
    if problems or household is None or on is None:
        raise InvalidHousehold(ident, problems)
    return Example(on, household, expected, note)


def read_example(path: str | os.PathLike[str]) -> Example:
    """Read a spec example file (``{"on", "household", "expected", "note"}``), checking the household
    strictly and its dates against ``on``. Raises :class:`~assistkit.errors.InvalidHousehold`; problems with
    the example's own keys have the key as path (``on``), the household's have household paths
    (``members[0].birth_date``)."""
    try:
        data = _loads(Path(path).read_bytes())
    except ValueError as exc:
        raise InvalidHousehold(None, [("", f"invalid JSON in {os.fspath(path)}: {exc}")]) from None
    return _example(data)
