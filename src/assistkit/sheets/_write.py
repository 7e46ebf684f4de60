"""Households to a workbook or a folder of CSV files in the layout of :func:`layout`; with no household, the
template a data clerk fills in.

Money, decimals, dates and months are written as **text** cells in columns formatted as text, so what is
typed is what is read: ``1234.50`` stays ``1234.50`` (a number cell would hold a binary float and show
``1234.5``), ``2025-06`` stays a month (Excel turns it into the date 2025-06-01 in a General column). Whole
numbers (days, grades, counts) are number cells; true/false are the words ``true`` and ``false``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from ._layout import KEY, Column, Sheet, column_letter, layout
from ._read import need_openpyxl

__all__ = ["cell_value", "choices_text", "household_tables", "readme_rows", "write_csv_folder", "write_workbook"]

TEMPLATE_ROWS = 2000
"""Rows below the headers that a template's validation lists and text formats cover."""

_TEXT_KINDS = frozenset({"string", "enum", "money", "decimal", "date", "month", "json"})

_KINDS_ZH = {"string": "文本", "enum": "选项", "boolean": "是否（true/false）", "integer": "整数",
             "money": "金额（元，最多两位小数）", "decimal": "数值", "date": "日期 YYYY-MM-DD",
             "month": "月份 YYYY-MM", "json": "JSON"}
_KINDS_EN = {"string": "text", "enum": "one of the choices", "boolean": "true or false", "integer": "whole number",
             "money": "yuan, at most two decimals", "decimal": "decimal number", "date": "date YYYY-MM-DD",
             "month": "month YYYY-MM", "json": "JSON"}


def _decimal_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def cell_value(column: Column, value: Any) -> Any:
    """The cell that holds the JSON ``value`` of ``column``: text, a whole number, or ``None`` (empty)."""
    if value is None:
        return None
    if column.kind == "boolean":
        return "true" if value else "false"
    if column.kind == "integer":
        return int(value)
    if column.kind in ("money", "decimal"):
        return _decimal_text(value)
    if column.kind == "json":
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_decimal_text)
    return str(value)


def _get(record: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = record
    for name in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(name)
    return value


def household_tables(households: Iterable[Mapping[str, Any]]) -> dict[str, list[list[Any]]]:
    """The rows of each sheet (no header) for ``households``, JSON objects of household-format.md."""
    sheets = layout()
    out: dict[str, list[list[Any]]] = {s.name: [] for s in sheets}
    for data in households:
        for sheet in sheets:
            records = [data] if sheet.field is None else list(data.get(sheet.field) or ())
            for record in records:
                out[sheet.name].append([
                    data.get("id") if column.key == KEY and sheet.field is not None
                    else cell_value(column, _get(record, column.path))
                    for column in sheet.columns
                ])
    return out


def _describe(sheet: Sheet, column: Column, lang: str) -> str:
    kinds = _KINDS_ZH if lang == "zh" else _KINDS_EN
    parts = [column.zh if lang == "zh" else column.en, kinds[column.kind]]
    if column.choices and column.kind == "enum":
        parts.append(choices_text(column))
    if column.required:
        parts.append("必填" if lang == "zh" else "required")
    elif column.default not in (None, ""):
        parts.append(("默认 " if lang == "zh" else "default ") + cell_value(column, column.default).__str__())
    return "; ".join(p for p in parts if p)


def choices_text(column: Column) -> str:
    """The choices of a vocabulary column, each code with its Chinese word: ``urban 城镇 | rural 农村``."""
    words = {code: word for word, code in column.words}
    return " | ".join(f"{c} {words[c]}" if c in words else c for c in column.choices)


def readme_rows() -> list[list[str]]:
    """The readme table: one row per column of every sheet, with its meaning, form and default."""
    rows = [["sheet 表", "column 列", "中文列名", "必填 required", "格式", "form", "默认 default", "选项 choices",
             "含义", "meaning"]]
    for sheet in layout():
        for column in sheet.columns:
            default = "" if column.default in (None, "") else str(cell_value(column, column.default))
            rows.append([sheet.name, column.key, column.label_zh(sheet.name), "是 yes" if column.required else "",
                         _KINDS_ZH[column.kind], _KINDS_EN[column.kind], default,
                         choices_text(column) if column.kind == "enum" else "", column.zh, column.en])
    return rows


_INTRO = [
    "assistkit 家庭数据模板 · household data template",
    "每张表一类记录；除 households 外，每行第一列 household 填所属家庭编号。"
    "第 1 行中文列名，第 2 行英文列名（导入按其一识别列）；从第 3 行起填数据。"
    "空格即取默认值。金额按元填写，最多两位小数。",
    "One sheet per kind of record; in every sheet but households, the first column (household) is the id of the "
    "household the row belongs to. Row 1 holds the Chinese headers, row 2 the keys (either names a column); "
    "data starts on row 3. An empty cell takes the default. Money is in yuan with at most two decimals.",
    "导入 import:  assistkit import 本文件.xlsx -o households.jsonl",
    "",
]


def write_workbook(stream: IO[bytes] | str | os.PathLike[str], households: Iterable[Mapping[str, Any]] = (), *,
                   template_rows: int = TEMPLATE_ROWS) -> None:
    """Write ``households`` (JSON objects; none for an empty template) as a workbook: a readme sheet, one sheet
    per :func:`layout` sheet with Chinese and English headers, a note on each header, text-formatted columns
    and validation lists for every vocabulary. The sheets are streamed (openpyxl's write-only mode), so a
    large population costs the memory of its rows, not of a spreadsheet's cells."""
    openpyxl = need_openpyxl()
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    tables = household_tables(households)
    sheets = layout()
    book = openpyxl.Workbook(write_only=True)

    readme = book.create_sheet("readme")
    for letter, width in zip("ABCDEFGHIJ", (12, 26, 22, 12, 22, 22, 12, 40, 50, 60), strict=True):
        readme.column_dimensions[letter].width = width
    title = WriteOnlyCell(readme, _INTRO[0])
    title.font = Font(bold=True, size=14)
    readme.append([title])
    for line in _INTRO[1:]:
        readme.append([line])
    table = readme_rows()
    heading = []
    for text in table[0]:
        cell = WriteOnlyCell(readme, text)
        cell.font = Font(bold=True)
        heading.append(cell)
    readme.append(heading)
    for row in table[1:]:
        readme.append(row)

    # Every vocabulary once, a column each, on a hidden sheet the drop-down lists point at.
    vocabularies: list[tuple[str, ...]] = []
    for sheet in sheets:
        for column in sheet.columns:
            choices = _choices(column)
            if choices and choices not in vocabularies:
                vocabularies.append(choices)
    lists = book.create_sheet("lists")
    lists.sheet_state = "hidden"
    for i in range(max((len(v) for v in vocabularies), default=0)):
        lists.append([v[i] if i < len(v) else None for v in vocabularies])
    ranges = {v: f"lists!${column_letter(j)}$1:${column_letter(j)}${len(v)}" for j, v in enumerate(vocabularies)}

    fill = PatternFill("solid", fgColor="DDEBF7")
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        rows = tables[sheet.name]
        last = 2 + max(template_rows, len(rows), 1)
        top_row, key_row = [], []
        for index, column in enumerate(sheet.columns):
            letter = column_letter(index)
            label = column.label_zh(sheet.name)
            ws.column_dimensions[letter].width = min(28, max(10, len(column.key) + 3, 2 * len(label) + 2))
            if column.kind in _TEXT_KINDS:
                ws.column_dimensions[letter].number_format = "@"
            choices = _choices(column)
            if choices:
                validation = DataValidation(type="list", formula1=f"={ranges[choices]}", allow_blank=True,
                                            showErrorMessage=True, errorTitle="assistkit",
                                            error=f"{column.key}: " + " | ".join(choices))
                validation.add(f"{letter}3:{letter}{last}")
                ws.data_validations.append(validation)
            top = WriteOnlyCell(ws, label)
            top.font = Font(bold=True)
            top.fill = fill
            top.alignment = Alignment(wrap_text=True, vertical="top")
            top.comment = Comment(f"{_describe(sheet, column, 'zh')}\n{_describe(sheet, column, 'en')}", "assistkit",
                                  width=320, height=140)
            key = WriteOnlyCell(ws, column.key)
            key.font = Font(italic=True, color="555555")
            key.fill = fill
            top_row.append(top)
            key_row.append(key)
        ws.freeze_panes = "B3"
        ws.append(top_row)
        ws.append(key_row)
        text_columns = frozenset(i for i, c in enumerate(sheet.columns) if c.kind in _TEXT_KINDS)
        for values in rows:
            cells: list[Any] = []
            for i, value in enumerate(values):
                if i in text_columns and value is not None:
                    cell = WriteOnlyCell(ws, value)
                    cell.data_type = "s"  # text, never a formula, whatever it starts with
                    cell.number_format = "@"
                    cells.append(cell)
                else:
                    cells.append(value)
            ws.append(cells)
    book.save(stream)


def _choices(column: Column) -> tuple[str, ...]:
    """The drop-down list of a column: its codes and their Chinese words, or the words for true and false; none
    for the others."""
    if column.kind == "enum":
        return column.choices + tuple(word for word, _code in column.words)
    if column.kind == "boolean":
        return ("true", "false", "是", "否")
    return ()


def write_csv_folder(folder: str | os.PathLike[str], households: Iterable[Mapping[str, Any]] = (), *,
                     bom: bool = True) -> list[Path]:
    """Write ``households`` as ``NAME.csv`` per sheet in ``folder`` (created if missing) with the two header
    rows, and ``readme.csv``; each begins with the UTF-8 byte-order mark unless ``bom`` is false. Returns the
    files written."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    tables = household_tables(households)
    written = []

    def write(name: str, rows: list[list[Any]]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerows([["" if v is None else v for v in row] for row in rows])
        target = path / f"{name}.csv"
        target.write_text(("\ufeff" if bom else "") + buffer.getvalue(), encoding="utf-8", newline="")
        written.append(target)

    write("readme", readme_rows())
    for sheet in layout():
        write(sheet.name, [[c.label_zh(sheet.name) for c in sheet.columns], [c.key for c in sheet.columns],
                           *tables[sheet.name]])
    return written
