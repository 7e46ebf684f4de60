"""The tabular layout of households, generated from the household JSON Schema (:mod:`assistkit.schema`).

Every list of records in a household (``members``, ``incomes`` …) is a sheet of its own whose first column,
``household``, holds the household's id; the household's own fields are the sheet ``households``. A nested
object (a member's ``school``, the household's ``housing``) is flattened into columns ``school.stage`` …; a
field the layout has no cell form for (a list inside a record) is one cell holding JSON. Nothing here names a
field: a field added to the model is a column of the right sheet the day it is added.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from attrs import frozen

__all__ = ["KEY", "LABELS_ZH", "ROOT", "Column", "Kind", "Sheet", "column_letter", "layout"]

ROOT = "households"
"""The sheet of the households themselves, one row each."""

KEY = "household"
"""The first column of every other sheet: the id of the household the row belongs to."""

Kind = str
"""How a cell is read and written: ``string``, ``enum``, ``boolean``, ``integer``, ``money``, ``decimal``,
``date``, ``month`` or ``json``."""

LABELS_ZH: dict[str, str] = {
    "households.housing.floor_area": "建筑面积（平方米）",
    "households.housing.dilapidated_grade": "危房等级",
    "members.disability_grade": "残疾等级",
    "members.has_capable_supporter": "有赡养抚养扶养能力的义务人",
    "members.refused_job_offers": "无正当理由拒绝工作次数",
    "incomes.amount": "金额",
    "incomes.month": "月份",
    "incomes.from": "起始月份",
    "incomes.to": "截止月份",
    "incomes.land_mu": "耕种面积（亩）",
    "assets.exempt": "免计车辆",
    "expenses.insurance_paid": "医保已报销",
    "events.deceased": "遇难人数",
    "history.need": "所针对的支出或事件编号",
}
"""Short Chinese headers where the first clause of a field's meaning is not one (``"sheet.column"``)."""

_MONEY = re.compile(r"\{1,2\}")


@frozen
class Column:
    """One column: its ``key`` (``birth_date``, ``school.stage``), the JSON path inside the row's record
    (``("school", "stage")``), how its cells are read, and what it means."""

    key: str
    path: tuple[str, ...]
    kind: Kind
    required: bool
    nullable: bool
    default: Any
    choices: tuple[str, ...]
    en: str
    zh: str
    optional_parent: tuple[str, ...] | None = None
    """For a column of a nested object that may be null (``housing``): the path of that object."""
    words: tuple[tuple[str, str], ...] = ()
    """For a vocabulary: ``(Chinese word, code)`` pairs a clerk may type instead of the code (城市 for urban),
    from :data:`assistkit.vocabulary.CORE`."""

    def code(self, text: str) -> str:
        """The code ``text`` stands for: itself, or the code of a Chinese word of :attr:`words`."""
        for word, code in self.words:
            if text == word:
                return code
        return text

    def label_zh(self, sheet: str) -> str:
        """A short Chinese header: a label of :data:`LABELS_ZH`, else the meaning up to its first qualifying
        clause."""
        return LABELS_ZH.get(f"{sheet}.{self.key}") or _short(self.zh) or self.key


@frozen
class Sheet:
    """One sheet (or CSV file): its ``name``, the household field it holds (``None`` for the households
    themselves), its columns, and what a row is."""

    name: str
    field: str | None
    columns: tuple[Column, ...]
    en: str
    zh: str

    def column(self, key: str) -> Column | None:
        for column in self.columns:
            if column.key == key:
                return column
        return None


def _short(text: str) -> str:
    for stop in ("；", "，", "：", "（", "(", ";", ":"):
        text = text.split(stop, 1)[0]
    return text.strip()


def column_letter(index: int) -> str:
    """The spreadsheet letter of the 0-based column ``index``: 0 → ``A``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    return schema["$defs"][ref.rsplit("/", 1)[1]]  # type: ignore[no-any-return]


def _alternatives(node: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    """The non-null alternatives of a field's schema, and whether null is one."""
    options = node.get("anyOf", [node])
    nullable = any(o.get("type") == "null" for o in options)
    return [o for o in options if o.get("type") != "null"], nullable


def _kind(options: list[dict[str, Any]]) -> tuple[Kind, tuple[str, ...]]:
    first = options[0]
    if "enum" in first:
        return "enum", tuple(str(v) for v in first["enum"])
    kind = first.get("type")
    if kind == "boolean":
        return "boolean", ("true", "false")
    if kind == "integer":
        return "integer", ()
    if kind == "string":
        pattern = first.get("pattern", "")
        if any(o.get("type") == "number" for o in options):
            return ("money" if _MONEY.search(pattern) else "decimal"), ()
        if first.get("format") == "date":
            return "date", ()
        if pattern.startswith("^[0-9]{4}-(0[1-9]"):
            return "month", ()
        return "string", ()
    return "json", ()


def _columns(schema: dict[str, Any], record: dict[str, Any], prefix: tuple[str, ...],
             optional_parent: tuple[str, ...] | None) -> Iterator[Column]:
    required = set(record.get("required", ()))
    for name, node in record["properties"].items():
        path = (*prefix, name)
        options, nullable = _alternatives(node)
        target = _resolve(schema, options[0])
        if len(options) == 1 and target.get("type") == "object" and "properties" in target:
            # A nested record: its fields are columns; when it may be null, it is there when a cell is filled.
            yield from _columns(schema, target, path, path if nullable else optional_parent)
            continue
        kind, choices = ("json", ()) if target.get("type") in ("array", "object") else _kind(options)
        yield Column(".".join(path), path, kind, name in required, nullable, node.get("default"), choices,
                     node.get("description", ""), node.get("x-description-zh", ""), optional_parent,
                     _words(name, choices) if kind == "enum" else ())


def _words(name: str, choices: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The Chinese words of a vocabulary's codes, from the kind of :data:`~assistkit.vocabulary.CORE` that holds
    every code (the one named like the field when several do); a word two codes share is left out."""
    from ..vocabulary import CORE

    kinds = [k for k, codes in CORE.labels.items() if set(choices) <= set(codes)]
    if len(kinds) > 1:
        kinds = [k for k in kinds if k == name]
    if len(kinds) != 1:
        return ()
    labels = CORE.labels[kinds[0]]
    words = [labels[c][0] for c in choices]
    return tuple((w, c) for w, c in zip(words, choices, strict=True) if words.count(w) == 1 and w not in choices)


@lru_cache(maxsize=1)
def layout() -> tuple[Sheet, ...]:
    """The sheets of the household format, households first, then each list of the household in the
    schema's order."""
    from ..schema import household_schema

    schema = household_schema()
    root_columns = []
    children = []
    for name, node in schema["properties"].items():
        options, _nullable = _alternatives(node)
        if node.get("type") == "array":
            items = _resolve(schema, node["items"])
            if items.get("type") == "object" and "properties" in items:
                key = Column(KEY, (), "string", True, False, None, (), "Id of the household the row belongs to",
                             "所属家庭编号")
                children.append(Sheet(name, name, (key, *_columns(schema, items, (), None)),
                                      node.get("description", ""), node.get("x-description-zh", "")))
                continue
        root_columns.append(name)
    root_record = {**schema, "properties": {n: schema["properties"][n] for n in root_columns}}
    households = Sheet(ROOT, None, tuple(_columns(schema, root_record, (), None)), schema.get("description", ""),
                       schema.get("x-description-zh", ""))
    return (households, *children)
