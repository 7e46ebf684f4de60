"""Outputs officials open in Excel or WPS: tables written as a workbook or as CSV with a byte-order mark.

A :class:`Table` is a name, headers in the language asked for, and rows. Money columns are written to a
workbook as **number** cells with the format ``0.00`` (an official sums and sorts them; the cell shows exactly
the two decimals the determination gave) and to CSV as the text of the determination (``1823.00``). Text
that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) is written as text: a text cell in
a workbook, a leading ``'`` in CSV.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

from attrs import frozen

from ..vocabulary import CORE, LIST_SEPARATOR, Vocabulary
from ._read import need_openpyxl

__all__ = ["Table", "determination_tables", "notice_table", "review_table", "write_csv", "write_xlsx"]


@frozen
class Table:
    """One sheet of an output: ``name`` (the sheet, or the CSV file's stem), ``headers``, ``rows``, and the
    indexes of the columns that hold money."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    money: frozenset[int] = frozenset()


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(stream: IO[str], table: Table, *, bom: bool = True) -> None:
    """``table`` as CSV (CRLF rows, the UTF-8 byte-order mark first unless ``bom`` is false)."""
    if bom:
        stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow(["" if v is None else _csv_safe(v) for v in row])


def write_xlsx(stream: IO[bytes], tables: Sequence[Table]) -> None:
    """``tables`` as one workbook, a sheet each: bold frozen headers, money as numbers formatted ``0.00``."""
    openpyxl = need_openpyxl()
    from openpyxl.styles import Alignment, Font, PatternFill

    book = openpyxl.Workbook()
    book.remove(book.active)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for table in tables:
        ws = book.create_sheet(table.name[:31])
        ws.append(list(table.headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = fill
        widths = [max(8, 2 * len(h) + 2) for h in table.headers]
        for values in table.rows:
            row = []
            for i, value in enumerate(values):
                if i in table.money and isinstance(value, str) and value:
                    value = Decimal(value)
                row.append(value)
                if isinstance(value, str):
                    widths[i] = max(widths[i], min(60, len(value) + 2))
            ws.append(row)
            for i, cell in enumerate(ws[ws.max_row]):
                if i in table.money:
                    cell.number_format = "0.00"
                elif isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula
                    if "\n" in cell.value:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        for i, width in enumerate(widths):
            ws.column_dimensions[ws.cell(1, i + 1).column_letter].width = width
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = ws.dimensions
    book.save(stream)


_H = {
    "household": ("家庭编号", "Household"),
    "on": ("认定日期", "Date"),
    "policy": ("政策地区", "Policy"),
    "statuses": ("家庭身份", "Household statuses"),
    "member_statuses": ("成员身份", "Member statuses"),
    "per_capita": ("月人均收入", "Per-capita monthly income"),
    "monthly": ("每月金额", "Monthly"),
    "one_off": ("一次性金额", "One-off"),
    "next_review": ("下次复核日期", "Next review"),
    "warnings": ("提示", "Warnings"),
    "errors": ("出错项目", "Programme errors"),
    "programme": ("救助项目", "Programme"),
    "eligible": ("是否符合", "Eligible"),
    "reasons": ("理由", "Reasons"),
    "kind": ("支付类别", "Kind"),
    "member": ("成员", "Member"),
    "need": ("支出或事件", "Need"),
    "amount": ("金额", "Amount"),
    "approval": ("审批", "Approval"),
    "advance": ("先行救助", "Advance"),
    "fund": ("基金", "Fund"),
    "line": ("行号", "Line"),
    "field": ("字段", "Field"),
    "message": ("问题", "Problem"),
    "community": ("村/社区", "Community"),
    "action": ("事项", "Action"),
    "enrolled": ("原享受金额", "Enrolled"),
    "determined": ("本次认定金额", "Determined"),
    "reason": ("说明", "Reason"),
    "why": ("依据", "Grounds"),
    "review": ("复核说明", "Review"),
}

_NAMES = {
    "determinations": ("认定结果", "determinations"),
    "programmes": ("救助项目", "programmes"),
    "payments": ("支付明细", "payments"),
    "rejected": ("未认定", "rejected"),
    "review": ("动态管理", "review"),
}


def _headers(keys: Iterable[str], lang: str) -> tuple[str, ...]:
    i = 0 if lang == "zh" else 1
    return tuple(_H[k][i] for k in keys)


def _name(key: str, lang: str) -> str:
    return _NAMES[key][0 if lang == "zh" else 1]


def _yes(value: bool, lang: str) -> str:
    return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")


def _labels(vocabulary: Vocabulary, kind: str, codes: Iterable[str], lang: str) -> str:
    return LIST_SEPARATOR[lang].join(vocabulary.label(kind, c, lang) for c in codes)


def _member_statuses(vocabulary: Vocabulary, members: Mapping[str, Sequence[str]], lang: str) -> str:
    colon = "：" if lang == "zh" else ": "
    sep = "；" if lang == "zh" else "; "
    return sep.join(f"{m}{colon}{_labels(vocabulary, 'status', s, lang)}" for m, s in members.items())


def determination_tables(lines: Iterable[bytes | str], *, lang: str = "zh",
                         vocabulary: Vocabulary = CORE) -> list[Table]:
    """The tables of a file of determinations (JSON Lines as ``batch`` writes them; error objects included):
    one row per household, per programme, per payment, and per rejected line."""
    households: list[tuple[Any, ...]] = []
    programmes: list[tuple[Any, ...]] = []
    payments: list[tuple[Any, ...]] = []
    rejected: list[tuple[Any, ...]] = []
    for number, line in enumerate(lines, start=1):
        text = line.decode("utf-8-sig") if isinstance(line, bytes) else line.lstrip("\ufeff")
        if not text.strip():
            continue
        try:
            d = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"line {number}: not JSON ({exc}): give the JSON Lines that batch writes") from None
        if not isinstance(d, dict):
            raise ValueError(f"line {number}: not a determination (a JSON object)")
        if "error" in d and "programmes" not in d:
            for problem in d.get("errors") or [d["error"]]:
                rejected.append((d.get("line", number), d.get("household"), problem.get("path", ""),
                                 problem.get("message", "")))
            continue
        if "programmes" not in d:
            raise ValueError(f"line {number}: not a determination (no programmes): give the JSON Lines that "
                             "batch writes")
        hid = d["household"]
        statuses = d.get("statuses", {})
        warnings = "\n".join(w.get("message", {}).get(lang, w.get("code", "")) for w in d.get("warnings", ()))
        errors = _labels(vocabulary, "programme", [e.get("programme", "") for e in d.get("errors", ())], lang)
        households.append((hid, d.get("on"), d.get("policy"),
                           _labels(vocabulary, "status", statuses.get("household", ()), lang),
                           _member_statuses(vocabulary, statuses.get("members", {}), lang),
                           d.get("income", {}).get("per_capita"), d["totals"]["monthly"], d["totals"]["one_off"],
                           d.get("next_review"), warnings, errors))
        for code, p in d["programmes"].items():
            programmes.append((hid, vocabulary.label("programme", code, lang), _yes(p.get("eligible", False), lang),
                               p.get("monthly"), p.get("one_off"),
                               "\n".join(r.get("text", "") for r in p.get("reasons", ()))))
            for pay in p.get("payments", ()):
                kind = pay.get("kind", "")
                payments.append((hid, vocabulary.label("programme", code, lang),
                                 vocabulary.label("payment", f"{code}.{kind}", lang), pay.get("member"),
                                 pay.get("need"), pay.get("amount"),
                                 None if pay.get("approval") is None
                                 else vocabulary.label("approval", pay["approval"], lang),
                                 pay.get("advance"), pay.get("fund")))
    money = frozenset
    return [
        Table(_name("determinations", lang),
              _headers(("household", "on", "policy", "statuses", "member_statuses", "per_capita", "monthly",
                        "one_off", "next_review", "warnings", "errors"), lang),
              tuple(households), money({5, 6, 7})),
        Table(_name("programmes", lang), _headers(("household", "programme", "eligible", "monthly", "one_off",
                                                   "reasons"), lang), tuple(programmes), money({3, 4})),
        Table(_name("payments", lang), _headers(("household", "programme", "kind", "member", "need", "amount",
                                                 "approval", "advance", "fund"), lang), tuple(payments),
              money({5, 7})),
        Table(_name("rejected", lang), _headers(("line", "household", "field", "message"), lang),
              tuple(rejected)),
    ]


def review_table(lines: Iterable[bytes | str], *, lang: str = "zh", vocabulary: Vocabulary = CORE) -> Table:
    """The worklist of a review (JSON Lines as ``review`` writes them): one row per action (§15.2), and one
    for a household with a review date (§15.1) and no action; a rejected line is a row naming its problem."""
    rows: list[tuple[Any, ...]] = []
    for _number, line in enumerate(lines, start=1):
        text = line.decode("utf-8") if isinstance(line, bytes) else line
        if not text.strip():
            continue
        r = json.loads(text)
        if "error" in r and "actions" not in r:
            message = "; ".join(f"{p.get('path')}: {p.get('message')}" if p.get("path") else p.get("message", "")
                                for p in r.get("errors") or [r["error"]])
            rows.append((r.get("household"), None, None, None, None, None, None, None, None,
                         message, None))
            continue
        statuses = _labels(vocabulary, "status", r["statuses"]["household"], lang)
        members = _member_statuses(vocabulary, r["statuses"]["members"], lang)
        if members:
            statuses = f"{statuses}；{members}" if statuses and lang == "zh" else (
                f"{statuses}; {members}" if statuses else members)
        review = (r.get("review") or {}).get("text")
        base = (r["household"], r.get("community"), statuses, r.get("next_review"))
        if not r["actions"]:
            rows.append((*base, None, None, None, None, None, None, review))
        for a in r["actions"]:
            why = "\n".join(w["text"] for w in a.get("why", ()))
            rows.append((*base, vocabulary.label("programme", a["programme"], lang), a.get("member"),
                         vocabulary.label("action", a["action"], lang), a.get("enrolled"), a.get("determined"),
                         "\n".join(t for t in (a.get("text"), why) if t), review))
    headers = _headers(("household", "community", "statuses", "next_review", "programme", "member", "action",
                        "enrolled", "determined", "reason", "review"), lang)
    return Table(_name("review", lang), headers, tuple(rows), frozenset({7, 8}))


def notice_table(rows: Iterable[Any], *, lang: str = "zh", communities: Any = None) -> Table:
    """The public notice (§16) as a table: the rows of :func:`assistkit.population.notice.render_csv`."""
    from ..population.notice import render_csv

    text = render_csv(rows, lang=lang, communities=communities)
    parsed = list(csv.reader(io.StringIO(text)))
    body = tuple((*r[:2], int(r[2]), *r[3:]) for r in parsed[1:])
    return Table("公示" if lang == "zh" else "notice", tuple(parsed[0]), body,
                 frozenset({len(parsed[0]) - 1}))
