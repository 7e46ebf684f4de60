"""Files and streams of households: JSON decoding, the one line reader (:func:`parse_line`, for
:func:`read_jsonl` and the batch pipeline alike), the stream readers and their records, and spec examples.

JSON is parsed with the standard library, numbers with a fraction or exponent as exact ``Decimal`` (never
float). A JSON line is first tried the quick way: orjson, when installed, and the fast reader, whose result is
kept only for a valid household without a float anywhere; any other line is read the full way.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Final, Literal, TypeAlias

from attrs import field, frozen

from ..errors import InvalidFunds, InvalidHousehold, Problem
from ..household import Fund, Household
from . import _limits, _seen
from ._fast import read_valid_household, structure_household
from ._leaves import Bad, GiveUp, date, show
from ._records import Problems, check_dates, household_id, structure_funds, unknown
from ._seen import FirstSeen

try:
    from orjson import JSONDecodeError as _OrjsonError
    from orjson import dumps as _orjson_dumps
    from orjson import loads as _orjson_loads
except ImportError:  # optional (the "fast" extra)
    _orjson_loads = None  # type: ignore[assignment,unused-ignore]
    _OrjsonError = ValueError  # type: ignore[assignment,misc,unused-ignore]

__all__ = [
    "Example",
    "Format",
    "Parsed",
    "Record",
    "Rejected",
    "detect_format",
    "household_from_json",
    "load_funds",
    "loads",
    "parse_line",
    "read_example",
    "read_households",
    "read_jsonl",
]


_DECODE: Final = json.JSONDecoder(parse_float=Decimal, parse_constant=Decimal,
                                  object_pairs_hook=_limits.reject_duplicates).decode
"""The standard decoder with exact decimals and no duplicate keys. ``NaN``, ``Infinity`` and ``-Infinity``
(which JSON does not have, and Python's decoder takes) are decoded as the ``Decimal`` of that name, so that the
household's reader rejects them where they stand, naming the household and the field (no leaf of the format
takes a number that is not finite)."""


def loads(text: str | bytes) -> Any:
    """Parse JSON with exact decimals; ``ValueError`` (with the JSON position) for anything else. ``NaN`` and
    ``Infinity`` come back as non-finite ``Decimal`` values, for the reader of the record to reject."""
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
        return _DECODE(text)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def household_from_json(text: str | bytes) -> Household:
    """Parse one household from JSON text; invalid JSON is an :class:`~assistkit.errors.InvalidHousehold`
    with the empty path."""
    try:
        data = loads(text)
    except ValueError as exc:
        raise InvalidHousehold(None, [("", f"invalid JSON: {exc}")]) from None
    return structure_household(data)


def load_funds(path: str | os.PathLike[str]) -> tuple[Fund, ...]:
    """Read the donation funds of a JSON file holding a list of funds (:func:`structure_funds`)."""
    try:
        data = loads(Path(path).read_bytes())
    except ValueError as exc:
        raise InvalidFunds(os.fspath(path), [("", f"invalid JSON: {exc}")]) from None
    return structure_funds(data, source=os.fspath(path))


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


def parse_line(number: int, raw: str | bytes) -> Household | Rejected | None:
    """One JSON line (text or bytes, line ``number``, 1-based) → a household, a rejection (§17), or ``None``
    for a blank line. The one line reader: :func:`read_jsonl` and the batch pipeline both read each line with
    it, and check that household ids are unique across the population themselves."""
    too_long = _limits.line_problem(raw)  # before anything is decoded (the reader's resource policy)
    if _orjson_loads is not None and not too_long:  # nearly every line: quickly
        try:
            data = _orjson_loads(raw)
            beyond = _limits.data_problems(data, depth=False)  # the fast reader takes no deeper shape
            if beyond:  # rejected now: a huge household is never decoded a second time
                return Rejected(number, household_id(data), beyond)
            household = read_valid_household(data)
            # orjson keeps the last of duplicate keys: taken only when the line's bytes have room for none
            if _limits.duplicate_free(raw, data, _orjson_dumps):
                return household
        except (GiveUp, _OrjsonError):
            pass  # orjson's floats are never taken (see _fast); where it decodes a line without them it
            # gives what the standard decoder gives
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return _rejected(number, f"invalid JSON: not UTF-8 text ({exc})")
    else:
        text = raw
    if number == 1 and text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return None
    if too_long:
        return _rejected(number, too_long)
    try:
        data = _DECODE(text)
    except (ValueError, RecursionError) as exc:
        return _rejected(number, f"invalid JSON: {exc}")
    if not isinstance(data, dict):
        return _rejected(number, f"expected a household object on each line; got {show(data)}")
    try:
        return structure_household(data)
    except InvalidHousehold as exc:
        return Rejected(number, exc.household, exc.problems)


class _Population:
    """Turns households into records, rejecting a household id seen before (ids are unique within a
    population)."""

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
        parsed = parse_line(number, raw)
        if isinstance(parsed, Rejected):
            yield parsed
        elif parsed is not None:
            yield population.accept(number, parsed)


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
        _DECODE(first.decode("utf-8", "replace"))
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
        data = loads(Path(path).read_bytes())
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
        yield _rejected(1, f"expected a list of households; got {show(data)}")
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
        raise InvalidHousehold(None, [("", f"expected an example object; got {show(data)}")])
    problems: Problems = []
    household_data = data.get("household")
    ident = household_id(household_data)
    for key in data:
        if key not in _EXAMPLE_KEYS:
            problems.append((str(key), unknown(key, _EXAMPLE_KEYS)))
    for key in ("on", "household", "expected"):
        if key not in data:
            problems.append((key, "required field missing"))
    on = None
    if "on" in data:
        try:
            on = date(data["on"])
        except Bad as bad:
            problems.append(("on", bad.args[0]))
    expected = data.get("expected", {})
    if not isinstance(expected, dict):
        problems.append(("expected", f"expected an object; got {show(expected)}"))
    note = data.get("note", "")
    if not isinstance(note, str):
        problems.append(("note", f"expected a string; got {show(note)}"))
    household = None
    if "household" in data and not isinstance(household_data, Mapping):
        problems.append(("household", f"expected an object; got {show(household_data)}"))
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
        data = loads(Path(path).read_bytes())
    except ValueError as exc:
        raise InvalidHousehold(None, [("", f"invalid JSON in {os.fspath(path)}: {exc}")]) from None
    return _example(data)
