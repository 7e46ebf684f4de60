"""Households from a workbook (``.xlsx``) or a folder of CSV files in the layout of :func:`layout`.

Each household is built as the JSON object of household-format.md from its rows and read by the strict reader
(:func:`assistkit.io.structure_household`); every problem the reader finds is mapped back from its path
(``members[1].birth_date``) to the sheet, row and column it came from. A bad household never stops the others.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from attrs import define, field, frozen

from ..errors import InvalidHousehold
from ..household import Household
from ..io import structure_household
from ._layout import KEY, ROOT, Column, Sheet, column_letter, layout

__all__ = ["CellProblem", "Imported", "read_tables", "read_sheets", "need_openpyxl"]

_TRUE = frozenset({"true", "是", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "否", "0", "no", "n", "f"})
_IGNORED = frozenset({"readme", "说明", "lists", "选项"})
"""Sheets of a template that hold no records."""


def need_openpyxl() -> Any:
    """The openpyxl module, or an error that says how to install it."""
    try:
        import openpyxl
    except ImportError:
        raise ImportError(
            "reading and writing .xlsx needs openpyxl: pip install 'assistkit[sheets]' "
            "(or use a folder of CSV files)") from None
    return openpyxl


@frozen
class CellProblem:
    """A problem found in a sheet: where (``sheet``, 1-based ``row`` as the spreadsheet shows it, column
    ``letter`` and ``column`` key, each ``None`` when the problem is not in one cell), the household it belongs
    to (``None`` when unknown) and what is wrong."""

    sheet: str
    row: int | None
    letter: str | None
    column: str | None
    household: str | None
    message: str

    def __str__(self) -> str:
        where = [self.sheet]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.letter is not None:
            where.append(f"column {self.letter} ({self.column})")
        elif self.column is not None:
            where.append(f"field {self.column}")
        if self.household is not None:
            where.append(f"household {self.household}")
        return f"{', '.join(where)}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.letter, "field": self.column,
                "household": self.household, "message": self.message}


@define
class Imported:
    """What was read: the valid households in the order of the ``households`` sheet, each as
    ``(JSON object, Household)``; the problems; how many households were rejected."""

    households: list[tuple[dict[str, Any], Household]] = field(factory=list)
    problems: list[CellProblem] = field(factory=list)
    rejected: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def jsonl(self) -> Iterator[str]:
        """One compact JSON line per valid household."""
        for data, _household in self.households:
            yield json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_plain) + "\n"


Table = tuple[str, list[tuple[int, list[Any]]]]
"""A table as read: its name for messages, and its non-empty rows as ``(row number, cells)``."""


def _xlsx_tables(path: Path) -> dict[str, Table]:
    openpyxl = need_openpyxl()
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors for a damaged file
        raise ValueError(f"{path}: not a readable .xlsx workbook: {exc}") from None
    out: dict[str, Table] = {}
    try:
        for sheet in book.worksheets:
            rows = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = list(values)
                if any(not _empty(v) for v in cells):
                    rows.append((number, cells))
            out[sheet.title] = (f"sheet {sheet.title}", rows)
    finally:
        book.close()
    return out


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Chinese Windows saves "CSV" in the ANSI code page, GBK; GB 18030 reads all of it.
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise ValueError(f"{name}: neither UTF-8 nor GB 18030 text; save it as CSV UTF-8") from None


def _csv_tables(folder: Path) -> dict[str, Table]:
    out: dict[str, Table] = {}
    for path in sorted(folder.glob("*.csv")):
        text = _decode(path.read_bytes(), str(path))
        rows = []
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if any(c != "" for c in cells):
                rows.append((number, list(cells)))
        out[path.stem] = (path.name, rows)
    return out


def read_tables(source: str | os.PathLike[str]) -> dict[str, Table]:
    """The tables of a ``.xlsx`` workbook or of a folder of ``NAME.csv`` files, by sheet name."""
    path = Path(source)
    if path.is_dir():
        return _csv_tables(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_tables(path)
    if path.suffix.lower() == ".csv":
        raise ValueError(f"{path}: give the folder that holds households.csv, members.csv … rather than one file")
    raise ValueError(f"{path}: expected a .xlsx workbook or a folder of CSV files")


def _empty(value: Any) -> bool:
    return value is None or value == ""


class _Bad(Exception):
    pass


def _number_text(value: Any) -> str:
    if isinstance(value, bool):
        raise _Bad(f"expected a number; got {str(value).upper()}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # A number typed in a cell comes back as the float nearest it; its shortest form is what was typed.
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime | dt.date):
        raise _Bad(f"expected a number; got a date ({value:%Y-%m-%d}): format the column as text or number")
    return str(value).strip()


def _cell(column: Column, value: Any) -> Any:
    """The JSON value of one cell of ``column``."""
    kind = column.kind
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = _number_text(value).lower() if not isinstance(value, str) else value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise _Bad(f"expected true or false (是 or 否); got {value!r}")
    if kind == "integer":
        text = _number_text(value)
        if not re.fullmatch(r"-?[0-9]+", text):
            raise _Bad(f"expected a whole number; got {value!r}")
        return int(text)
    if kind in ("money", "decimal"):
        return _number_text(value)
    if kind == "date":
        if isinstance(value, dt.datetime):
            if value.time() != dt.time():
                raise _Bad(f"expected a date YYYY-MM-DD; got a time ({value.isoformat(' ')})")
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return _number_text(value) if not isinstance(value, str) else value.strip()
    if kind == "month":
        if isinstance(value, dt.date):
            # Excel turns a typed 2025-06 into the date 2025-06-01 unless the column is formatted as text.
            day = value.date() if isinstance(value, dt.datetime) else value
            if day.day != 1 or (isinstance(value, dt.datetime) and value.time() != dt.time()):
                raise _Bad(f"expected a month YYYY-MM; got the date {day.isoformat()}")
            return day.isoformat()[:7]
        return _number_text(value) if not isinstance(value, str) else value.strip()
    if kind == "json":
        text = value if isinstance(value, str) else _number_text(value)
        try:
            return json.loads(text, parse_float=Decimal)
        except ValueError as exc:
            raise _Bad(f"expected JSON ({column.en}); got {text!r}: {exc}") from None
    if kind == "enum":
        return column.code(value.strip() if isinstance(value, str) else _number_text(value))
    # string
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise _Bad(f"expected text; got {str(value).upper()}")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return _number_text(value)


def _put(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for name in path[:-1]:
        record = record.setdefault(name, {})
    record[path[-1]] = value


@define
class _Source:
    """Where each part of one household came from, to name the cell of a problem."""

    root_row: int | None = None
    rows: dict[str, list[int]] = field(factory=dict)
    letters: dict[tuple[str, str], str] = field(factory=dict)
    """(sheet, column key) → letter."""


def _header_map(sheet: Sheet) -> dict[str, Column]:
    aliases: dict[str, Column] = {}
    for column in sheet.columns:
        label = column.label_zh(sheet.name)
        for alias in (column.key, label, f"{label} {column.key}", f"{label}\n{column.key}",
                      f"{column.key} {label}"):
            aliases.setdefault(alias, column)
    return aliases


def _header(sheet: Sheet, table: Table, problems: list[CellProblem]) -> tuple[dict[int, Column], int] | None:
    """Which column of the table is which (by position), and the number of header rows (one, or two when the
    Chinese labels and the keys are on rows of their own)."""
    name, rows = table
    if not rows:
        return None
    aliases = _header_map(sheet)

    def recognise(cells: list[Any]) -> dict[int, Column | None]:
        return {i: aliases.get(str(c).strip()) for i, c in enumerate(cells) if not _empty(c)}

    number, cells = rows[0]
    first = recognise(cells)
    skip = 1
    if len(rows) > 1 and rows[1][0] == number + 1:
        second = recognise(rows[1][1])
        if second and all(c is not None for c in second.values()):
            # Two header rows (the Chinese labels, then the keys): the keys name the columns.
            first = {**first, **second}
            skip = 2
    columns: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for index, column in first.items():
        if column is None:
            problems.append(CellProblem(name, number, column_letter(index), str(cells[index]).strip(), None,
                                        f"unknown column {str(cells[index]).strip()!r}; the columns of {sheet.name} "
                                        f"are {', '.join(c.key for c in sheet.columns)}"))
            continue
        if column.key in seen:
            problems.append(CellProblem(name, number, column_letter(index), column.key, None,
                                        f"column {column.key} given twice "
                                        f"(also column {column_letter(seen[column.key])})"))
            continue
        seen[column.key] = index
        columns[index] = column
    if sheet.name != ROOT and KEY not in seen:
        problems.append(CellProblem(name, number, None, KEY, None,
                                    f"no column {KEY}: every row of {sheet.name} names the id of its household"))
        return None
    if sheet.name == ROOT and "id" not in seen:
        problems.append(CellProblem(name, number, None, "id", None, "no column id: the household ids"))
        return None
    return columns, skip


def read_sheets(source: str | os.PathLike[str]) -> Imported:
    """Read the households of a workbook or CSV folder (:func:`read_tables`) in the layout of
    :func:`layout`: the valid ones, and a :class:`CellProblem` for every problem found."""
    tables = read_tables(source)
    result = Imported()
    sheets = layout()
    by_name = {s.name: s for s in sheets}
    for name, (shown, rows) in tables.items():
        # An empty sheet a spreadsheet program added (Sheet1) is no mistake; a sheet with rows under a name that
        # is not a sheet of the layout (a typo: member) would lose those rows silently.
        if name not in by_name and name.strip().lower() not in _IGNORED and rows:
            result.problems.append(CellProblem(shown, None, None, None, None,
                                               f"unknown sheet {name!r}; the sheets are "
                                               f"{', '.join(s.name for s in sheets)}"))
    if ROOT not in tables:
        missing = f"folder has no {ROOT}.csv" if Path(source).is_dir() else f"workbook has no sheet {ROOT}"
        result.problems.append(CellProblem(str(source), None, None, None, None, f"the {missing}"))
        return result

    records: dict[str, dict[str, Any]] = {}
    sources: dict[str, _Source] = {}
    bad: dict[str, list[CellProblem]] = {}
    bad_paths: dict[str, set[str]] = {}
    order: list[str] = []
    duplicated: set[str] = set()

    for sheet in sheets:
        if sheet.name not in tables:
            continue
        table = tables[sheet.name]
        shown, rows = table
        header = _header(sheet, table, result.problems)
        if header is None:
            continue
        columns, skip = header
        key_index = next(i for i, c in columns.items() if c.key == (KEY if sheet.field else "id"))
        for number, cells in rows[skip:]:
            owner = cells[key_index] if key_index < len(cells) else None
            try:
                owner_id = None if _empty(owner) else _cell(columns[key_index], owner)
            except _Bad as exc:
                result.problems.append(CellProblem(shown, number, column_letter(key_index), columns[key_index].key,
                                                   None, f"not a household id: {exc}"))
                continue
            if not isinstance(owner_id, str) or owner_id == "":
                result.problems.append(CellProblem(shown, number, column_letter(key_index), columns[key_index].key,
                                                   None, "no household id in this row"))
                continue
            if sheet.field is None:
                if owner_id in records:
                    duplicated.add(owner_id)
                    first = sources[owner_id].root_row
                    result.problems.append(CellProblem(shown, number, column_letter(key_index), "id", owner_id,
                                                       f"household id {owner_id} is also on row {first}"))
                    continue
                record: dict[str, Any] = {}
                records[owner_id] = record
                sources[owner_id] = _Source(root_row=number)
                order.append(owner_id)
            else:
                if owner_id not in records:
                    result.problems.append(CellProblem(
                        shown, number, column_letter(key_index), KEY, owner_id,
                        f"no household {owner_id} in the {ROOT} sheet: add it there, or correct the id"))
                    continue
                record = {}
                records[owner_id].setdefault(sheet.field, []).append(record)
                index = len(records[owner_id][sheet.field]) - 1
                sources[owner_id].rows.setdefault(sheet.field, []).append(number)
            src = sources[owner_id]
            for i, column in columns.items():
                src.letters[(sheet.name, column.key)] = column_letter(i)
                if column.key == KEY and sheet.field is not None:
                    continue
                value = cells[i] if i < len(cells) else None
                if _empty(value):
                    continue
                try:
                    _put(record, column.path, _cell(column, value))
                except _Bad as exc:
                    bad.setdefault(owner_id, []).append(
                        CellProblem(shown, number, column_letter(i), column.key, owner_id, str(exc)))
                    prefix = f"{sheet.field}[{index}]." if sheet.field else ""
                    bad_paths.setdefault(owner_id, set()).add(prefix + column.key)

    for household_id in order:
        if household_id in duplicated:
            result.rejected += 1
            continue
        data = records[household_id]
        problems = list(bad.get(household_id, ()))
        try:
            household = structure_household(data)
        except InvalidHousehold as exc:
            skip_paths = bad_paths.get(household_id, set())
            for problem in exc.problems:
                if problem.path in skip_paths:
                    continue
                if problem.reason.startswith("missing") and any(p.startswith(problem.path + ".")
                                                                 for p in skip_paths):
                    continue
                problems.append(_locate(household_id, problem.path, problem.reason, sources[household_id],
                                        tables))
            household = None
        if problems or household is None:
            result.problems.extend(problems)
            result.rejected += 1
            continue
        result.households.append((data, household))
    return result


_INDEXED = re.compile(r"^([A-Za-z_]\w*)\[(\d+)\](?:\.(.*))?$")


def _column_for(sheet: Sheet, rest: str) -> Column | None:
    exact = sheet.column(rest)
    if exact is not None:
        return exact
    for column in sheet.columns:
        if column.key.startswith(rest + ".") or rest.startswith(column.key + ".") or (
                rest.startswith(column.key + "[")):
            return column
    return None


def _locate(household_id: str, path: str, reason: str, src: _Source, tables: dict[str, Table]) -> CellProblem:
    """The sheet, row and column of the problem at ``path`` of a household."""
    sheets = {s.field: s for s in layout()}
    root = sheets[None]
    match = _INDEXED.match(path)
    if match and match.group(1) in sheets:
        name, index, rest = match.group(1), int(match.group(2)), match.group(3) or ""
        sheet = sheets[name]
        rows = src.rows.get(name, [])
        row = rows[index] if index < len(rows) else None
        column = _column_for(sheet, rest) if rest else None
        letter = src.letters.get((sheet.name, column.key)) if column is not None else None
        message = reason if column is not None and column.key == rest or not rest else f"{rest}: {reason}"
        return CellProblem(tables[sheet.name][0] if sheet.name in tables else sheet.name, row, letter,
                           column.key if column is not None else None, household_id, message)
    head = path.split(".", 1)[0].split("[", 1)[0]
    if head in sheets and head is not None:
        sheet = sheets[head]
        rows = src.rows.get(head, [])
        shown = tables[sheet.name][0] if sheet.name in tables else sheet.name
        where = f" (rows {', '.join(map(str, rows))})" if rows else ""
        return CellProblem(shown, None, None, None, household_id, f"{path}: {reason}{where}")
    column = _column_for(root, path) if path else None
    letter = src.letters.get((root.name, column.key)) if column is not None else None
    message = reason if column is not None and column.key == path or not path else f"{path}: {reason}"
    return CellProblem(tables[root.name][0], src.root_row, letter, column.key if column is not None else None,
                       household_id, message)


def _plain(value: Any) -> str:
    """A decimal read from a JSON cell, as the text the household format reads exactly."""
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
