"""The leaf values of household-format.md: each parser turns one JSON value into the model value or raises
:class:`Bad` with the plain reason. Each rule is written here once; the reference reader (:mod:`._records`)
calls these parsers, and the fast reader (:mod:`._fast`) inlines :data:`FAST_FORMS`, each made from the same
test or calling the same parser.
"""

from __future__ import annotations

import datetime as dt
import linecache
import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from operator import mul
from typing import Any, Final, cast

from ..money import FEN, format_money, parse_decimal, parse_money
from ..periods import Month, parse_date, parse_month

__all__ = [
    "DATES",
    "DECIMAL_TEXTS",
    "FAST_FORMS",
    "FAST_NAMES",
    "MONEY_TEXTS",
    "MONTHS",
    "CODE_LENGTH",
    "Bad",
    "GiveUp",
    "TextCache",
    "Vocabulary",
    "boolean",
    "count",
    "date",
    "decimal",
    "disability_grade",
    "enum",
    "id_number",
    "ident",
    "money",
    "month",
    "number",
    "positive_count",
    "open_enum",
    "positive_money",
    "quantized",
    "run_source",
    "show",
    "string",
]


class GiveUp(Exception):
    """The fast reader does not take this record: the reference reader decides. The one exception the fast
    reader raises by design (a leaf's :class:`Bad` is one too); anything else is a bug and surfaces."""


class Bad(GiveUp):
    """A leaf value breaks the format; ``args[0]`` is the plain reason."""


def show(value: object) -> str:
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


def run_source(source: str, filename: str, names: dict[str, Any]) -> None:
    """Run generated ``source`` in ``names``, registered in :mod:`linecache` under ``filename`` (``<...>``) so
    that a traceback through it shows its lines, as attrs does for the methods it writes."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), names)


FAST_FORMS: Final[dict[Callable[..., Any], str]] = {}
"""Each leaf parser → the code the fast reader inlines for it, on ``v``: the value, or :class:`GiveUp`. Made
from the parser's own test (:func:`_accepting`) or calling the parser (or its text cache) itself."""


def _accepting(test: str, reason: Callable[[Any], str], name: str) -> Callable[[object], Any]:
    """A parser that takes a value as it is when ``test`` (an expression on ``v``) holds, else raises
    :class:`Bad` with ``reason(v)``; the fast reader inlines the same test."""
    source = f"def {name}(v):\n    if {test}:\n        return v\n    raise Bad(reason(v))\n"
    names: dict[str, Any] = {"Bad": Bad, "reason": reason}
    run_source(source, f"<assistkit.io leaf {name}>", names)
    parse = names[name]
    parse.__module__ = __name__
    parse.__qualname__ = name
    FAST_FORMS[parse] = f"if not ({test}): raise GiveUp"
    return cast(Callable[[object], Any], parse)


# A JSON string; a subclass of str from a Python caller too (``type(v) is str`` first: the usual case).
string = _accepting("type(v) is str or isinstance(v, str)",
                    lambda v: f"expected a string; got {show(v)}", "string")

# An id: a non-empty string of printable characters (ids are what references point at, and messages quote
# them: a control character or line break could forge a line of a message; data-format.md).
ident = _accepting("(type(v) is str or isinstance(v, str)) and v and v.isprintable()", lambda v: (
    "must not be empty" if v == "" else
    "must hold printable characters only (no control character, line break or lone surrogate); got "
    f"{ascii(v)}" if isinstance(v, str) else f"expected a string id; got {show(v)}"), "ident")

# A real JSON boolean only: 0/1 or "true" are errors, not truthy.
boolean = _accepting("v is True or v is False", lambda v: f"expected true or false; got {show(v)}", "boolean")

count = _accepting("type(v) is int and v >= 0",
                   lambda v: f"must be ≥ 0; got {v}" if type(v) is int else
                   f"expected a whole number ≥ 0; got {show(v)}", "count")

positive_count = _accepting("type(v) is int and v >= 1",
                            lambda v: f"must be ≥ 1; got {v}" if type(v) is int else
                            f"expected a whole number ≥ 1; got {show(v)}", "positive_count")

disability_grade = _accepting("type(v) is int and 1 <= v <= 4",
                              lambda v: f"expected one of 1, 2, 3, 4 or null; got {show(v)}", "disability_grade")


class Vocabulary:
    """A closed vocabulary: its value → the enum member (``table`` is also read by the fast reader)."""

    __slots__ = ("table", "expected")

    def __init__(self, cls: type[Enum]) -> None:
        self.table: Final = {member.value: member for member in cls}
        self.expected: Final = "expected one of " + ", ".join(self.table) + "; got "

    def __call__(self, value: object) -> Any:
        try:
            return self.table[value]
        except (KeyError, TypeError):
            raise Bad(self.expected + show(value)) from None


def enum(cls: type[Enum]) -> Vocabulary:
    return Vocabulary(cls)


CODE_LENGTH: Final = 64
"""The longest word of an open vocabulary (a programme, a payment kind, a status)."""


def open_enum(cls: type[Enum]) -> Callable[[object], Any]:
    """An open vocabulary (payment programmes and kinds, enrolment programmes): the reader takes any word of the
    right shape — a non-empty string of at most :data:`CODE_LENGTH` printable characters — and the engine checks
    it against the core's ``cls`` and the installed programmes' declarations (:mod:`assistkit.declared`). A
    value that is no string is refused with the core's list, as a closed vocabulary refuses it."""
    expected = "expected one of " + ", ".join(member.value for member in cls) + "; got "
    return _accepting(
        f"(type(v) is str or isinstance(v, str)) and 0 < len(v) <= {CODE_LENGTH} and v.isprintable()",
        lambda v: (f"expected a word of 1 to {CODE_LENGTH} printable characters; got {show(v)}"
                   if isinstance(v, str) else expected + show(v)),
        f"open_{cls.__name__}")


# A decimal in plain notation: no exponent, no "+", no "1_000", no ".5" (household-format.md: "1234.50").
_DECIMAL_TEXT: Final = re.compile(r"(-?)[0-9]+(?:\.([0-9]+))?", re.ASCII)


def number(value: object, places: int | None) -> Decimal:
    """A decimal ≥ 0 from a string, int, Decimal or exact float; at most ``places`` decimals when given."""
    kind = type(value)
    if kind is str:
        match = _DECIMAL_TEXT.fullmatch(cast(str, value))
        if match is None:
            raise Bad(f'expected a decimal number such as "1234.50"; got {show(value)}')
        result = Decimal(cast(str, value))
        decimals = match[2]
        if match[1] and result:
            raise Bad(f"must be ≥ 0; got {show(value)}")
        if places is not None and decimals is not None and len(decimals) > places:
            raise Bad(f"at most {places} decimal places; got {show(value)}")
    elif kind is Decimal or kind is int:
        result = value if kind is Decimal else Decimal(value)  # type: ignore[assignment,arg-type]
        if not result.is_finite():
            raise Bad(f"expected a finite number; got {show(value)}")
        if result.is_signed() and result:
            raise Bad(f"must be ≥ 0; got {show(value)}")
        if places is not None and result.as_tuple().exponent < -places:  # type: ignore[operator]
            raise Bad(f"at most {places} decimal places; got {show(value)}")
    elif kind is float:
        # Only a Python caller passes floats (JSON numbers arrive as Decimal): exact values only.
        try:
            return parse_money(value) if places == 2 else parse_decimal(value, places=places)
        except (TypeError, ValueError) as exc:
            raise Bad(str(exc)) from None
    else:
        raise Bad(f'expected a decimal number such as "1234.50"; got {show(value)}')
    if result.is_signed():  # -0 → 0
        result = -result
    return result


class TextCache:
    """Values read from their text, kept by the text: the same amounts, dates and months recur across a
    population, and the values are immutable, so sharing them is safe. ``cache(text)`` is the value; the fast
    reader looks in ``values`` itself first (``get`` of a plain dict). A text that does not read raises
    (:class:`Bad`, or ``ValueError`` from the dates' and months' parsers) and is not kept, so every key is a
    text that reads. Bounded: emptied when full; a dict's get
    and set are atomic, so threads may share it."""

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


def quantized(value: object) -> Decimal:
    """Money from any number :func:`number` takes: ≥ 0, at most two decimals, normalised to two places."""
    result = number(value, 2)
    try:
        return result.quantize(FEN)
    except InvalidOperation:
        raise Bad(f"too large for money; got {show(value)}") from None


# Strings only: a key that is a number would match the equal float (5.0 == 5), which money never accepts.
MONEY_TEXTS: Final = TextCache(quantized, 16384)


def money(value: object) -> Decimal:
    """Money: ≥ 0, at most two decimals, normalised to two places."""
    if type(value) is str:
        return MONEY_TEXTS(value)  # type: ignore[no-any-return]
    return quantized(value)


def positive_money(value: object) -> Decimal:
    result = money(value)
    if not result:
        raise Bad(f"must be > 0; got {format_money(result)}")
    return result


def _plain_number(text: str) -> Decimal:
    return number(text, None)


# Floor areas and land recur too (strings only, as MONEY_TEXTS).
DECIMAL_TEXTS: Final = TextCache(_plain_number, 4096)


def decimal(value: object) -> Decimal:
    if type(value) is str:
        return DECIMAL_TEXTS(value)  # type: ignore[no-any-return]
    return number(value, None)


# The standard parsers themselves (``ValueError`` for anything that is not such a text), so that a miss costs
# no call of ours.
DATES: Final = TextCache(parse_date.__wrapped__, 65536)
MONTHS: Final = TextCache(parse_month.__wrapped__, 4096)


def date(value: object) -> dt.date:
    if isinstance(value, str):
        try:
            return DATES(value)  # type: ignore[no-any-return]
        except ValueError:
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                raise Bad(f"no such date: {show(value)}") from None
    elif type(value) is dt.date:
        return value
    raise Bad(f"expected a date YYYY-MM-DD; got {show(value)}")


def month(value: object) -> Month:
    if isinstance(value, str):
        try:
            return MONTHS(value)  # type: ignore[no-any-return]
        except ValueError:
            pass
    elif type(value) is Month:
        return value
    raise Bad(f"expected a month YYYY-MM; got {show(value)}")


_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK: Final = "10X98765432"
_ID_ZEROS: Final = ord("0") * sum(_ID_WEIGHTS)  # weighted sum of ASCII codes − this = weighted sum of digits


def id_number(value: object) -> str:
    """A resident identity number (GB 11643): 17 digits and a check character; the birth date is checked
    with the person (:func:`assistkit.io._records.check_person`). The check character ``X`` must be upper
    case, as on the card."""
    if not isinstance(value, str):
        raise Bad(f"expected an 18-character identity number or null; got {show(value)}")
    if len(value) != 18:
        raise Bad(f"must be 18 characters (GB 11643); got {len(value)}: {show(value)}")
    body = value[:17]
    if not (body.isascii() and body.isdigit()):
        raise Bad(f"characters 1–17 must be digits (GB 11643); got {show(value)}")
    expected = _ID_CHECK[(sum(map(mul, body.encode(), _ID_WEIGHTS)) - _ID_ZEROS) % 11]
    last = value[17]
    if last != expected:
        if last == "x" and expected == "X":
            raise Bad("the check character must be an upper-case 'X' (GB 11643); got 'x'")
        raise Bad(f"check character is {last!r} but the first 17 digits give {expected!r} (GB 11643); "
                  "a mistyped digit?")
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise Bad(f"characters 7–14 must be a birth date YYYYMMDD (GB 11643); got {value[6:14]!r}") from None
    return value


# The fast forms of the parsers that convert: the same parser (or its text cache: a hit is the value the
# parser would give), by the types the usual record has; any other value gives up (a float above all: orjson's
# are not exact). Only texts are kept, and the dates' and months' parsers take texts only, so any other value
# misses and gives up (a date object too). A date or a month is never false, so ``or`` finds a miss; money can be 0.00,
# so ``is None``.
_CACHED: Final = ("try:\n"
                  "    d = {values}.get(v)\n"
                  "except TypeError:  # not hashable: not a text\n"
                  "    raise GiveUp from None\n"
                  "try:\n"
                  "    v = d or {cache}(v)\n"
                  "except ValueError:  # not such a text\n"
                  "    raise GiveUp from None")
FAST_FORMS.update({
    id_number: "v = id_number(v)",
    date: _CACHED.format(values="dates", cache="DATES"),
    month: _CACHED.format(values="months", cache="MONTHS"),
    money: ("if type(v) is str:\n"
            "    m = money_texts.get(v)\n"
            "    v = MONEY_TEXTS(v) if m is None else m\n"
            "elif type(v) is int or type(v) is Decimal: v = quantized(v)\n"
            "else: raise GiveUp"),
    decimal: ("if type(v) is str: v = DECIMAL_TEXTS(v)\n"
              "elif type(v) is int or type(v) is Decimal: v = number(v, None)\n"
              "else: raise GiveUp"),
})

FAST_NAMES: Final[dict[str, Any]] = {
    "GiveUp": GiveUp, "Decimal": Decimal, "quantized": quantized, "number": number, "id_number": id_number,
    "DECIMAL_TEXTS": DECIMAL_TEXTS, "DATES": DATES, "dates": DATES.values, "MONTHS": MONTHS,
    "months": MONTHS.values, "MONEY_TEXTS": MONEY_TEXTS, "money_texts": MONEY_TEXTS.values,
}
"""The names :data:`FAST_FORMS` use."""
