"""The public notice (公示, §16): who receives assistance, shown without private details.

A notice row shows exactly: the community, the head's name masked (the first character, then one ``*`` for
each other character; a one-character name is one ``*``: every name shows at least one), the household size,
the statuses and the monthly amount. Nothing else of the household is read into a row, so no id number, birth
date, health, disability or income detail can reach the notice. Only households in which the household or a
member holds a status are listed, grouped by community.

``community`` is free text typed by a caseworker, so a phone number or an address may stand in it. A notice
prints it only as one of the names the county declares (``communities``: any other is printed as 其他 /
other), or, without that list, with every digit masked (``幸福路12号`` → ``幸福路**号``).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io as _io
from collections.abc import Callable, Collection, Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs
from attrs import define, field, frozen

from ..declared import status_order
from ..determination import Determination
from ..household import Household
from ..money import format_money
from ..vocabulary import CORE, LIST_SEPARATOR
from ._pipeline import (
    DEFAULT_CHUNK_SIZE,
    DEMO_CITY,
    ChunkResult,
    Duplicate,
    EngineSpec,
    Job,
    Run,
    count,
    count_failures,
    engine_for,
    run_chunk,
)

__all__ = [
    "FORMATS",
    "NoticeResult",
    "NoticeRow",
    "NoticeSummary",
    "STATUS_LABELS",
    "community_shown",
    "mask_name",
    "notice",
    "notice_chunk",
    "notice_row",
    "render",
    "render_csv",
    "render_html",
]

FORMATS = ("csv", "html")

STATUS_LABELS: dict[str, dict[str, str]] = {
    lang: {code: words[0] if lang == "zh" else words[1] for code, words in CORE.labels["status"].items()}
    for lang in ("zh", "en")
}
"""How each status is named on a notice: the core vocabulary's words (:mod:`assistkit.vocabulary`)."""

_HEADERS = {
    "zh": ("社区（村）", "户主", "家庭人口", "救助类别", "月救助金额（元）"),
    "en": ("community", "head", "household size", "status", "monthly amount (yuan)"),
}
_TITLE = {"zh": "社会救助公示", "en": "Social assistance public notice"}
_DATE = {"zh": "公示依据日期", "en": "as determined on"}
_SEPARATOR = LIST_SEPARATOR
_ORDERS: dict[Any, dict[str, int]] = {}
"""The status order (:func:`assistkit.declared.status_order`) of each engine's status rules."""


def mask_name(name: str) -> str:
    """§16: the first character, then one ``*`` for each other character (``王建国`` → ``王**``); a name of one
    character (or none) is ``*`` — a notice never shows a whole name."""
    if len(name) <= 1:
        return "*"
    return name[:1] + "*" * (len(name) - 1)


_OTHER = {"zh": "其他", "en": "other"}


def community_shown(community: str, declared: Collection[str] | None = None, lang: str = "zh") -> str:
    """``community`` as a notice prints it: as written when it is one of the ``declared`` names, 其他 / other
    when it is not; without a list, with every digit (any script's) masked."""
    if declared is not None:
        return community if community in declared else _OTHER[lang]
    return "".join("*" if c.isdigit() else c for c in community)


def _shown(rows: Iterable[NoticeRow], declared: Collection[str] | None, lang: str) -> list[NoticeRow]:
    return [attrs.evolve(row, community=community_shown(row.community, declared, lang)) for row in rows]


@frozen
class NoticeRow:
    """One line of the notice (§16) — and nothing more of the household: its fields are the whole row."""

    line: int
    community: str
    head: str
    size: int
    statuses: tuple[str, ...]
    monthly: Decimal


def notice_row(household: Household, determination: Any, line: int = 0) -> NoticeRow | None:
    """The notice row of a determination, or ``None`` when nobody in the household holds a status.

    The statuses shown are the household's and its members' (person-status order, tekun first)."""
    held = set(determination.household_statuses)
    for statuses in determination.member_statuses.values():
        held.update(statuses)
    if not held:
        return None
    try:
        head = household.head.name
    except LookupError:  # the format requires a head; a hand-built household may lack one
        head = ""
    rules = getattr(determination, "statuses", None)
    order = _ORDERS.get(rules)
    if order is None:
        order = _ORDERS[rules] = status_order(rules.order if rules is not None else ())
    ordered = tuple(sorted(held, key=lambda s: (order.get(s, len(order)), s)))
    return NoticeRow(
        line,
        household.community,
        mask_name(head),
        len(household.members),
        ordered,
        determination.monthly_total,
    )


def _drop_lines(rows: list[NoticeRow], lines: set[int]) -> list[NoticeRow]:
    return [r for r in rows if r.line not in lines]


@define
class NoticeSummary:
    """The rows of a notice so far, and counts."""

    households: int = 0
    rejected: int = 0
    rows: list[NoticeRow] = field(factory=list)
    failures: dict[str, int] = field(factory=dict)

    def reject(self, line: int) -> None:
        self.households += 1
        self.rejected += 1

    def merge(self, other: NoticeSummary, sign: int = 1) -> None:
        self.households += sign * other.households
        self.rejected += sign * other.rejected
        for key, n in other.failures.items():
            count(self.failures, key, sign * n)
        if sign > 0:
            self.rows.extend(other.rows)
        else:
            self.rows = _drop_lines(self.rows, {r.line for r in other.rows})


def notice_chunk(start_line: int, lines: Sequence[bytes | str] | bytes, job: Job) -> ChunkResult:
    """The notice rows of a chunk of JSONL lines or a block of them (in its summary); a rejected line's output
    is its error object."""
    engine = engine_for(job.engine)
    summary = NoticeSummary()

    def emit(number: int, household: Household, d: Determination) -> bytes:
        summary.households += 1
        if d.errors:
            count_failures(summary.failures, d.errors)
        row = notice_row(household, d, number)
        if row is not None:
            summary.rows.append(row)
        return b""

    return run_chunk(start_line, lines, summary, lambda h: engine.assess(h, job.on), emit)


def _grouped(rows: Iterable[NoticeRow]) -> list[tuple[str, list[NoticeRow]]]:
    groups: dict[str, list[NoticeRow]] = {}
    for row in rows:
        groups.setdefault(row.community, []).append(row)
    return sorted(groups.items())


def _cells(row: NoticeRow, lang: str) -> tuple[str, str, str, str, str]:
    labels = STATUS_LABELS[lang]
    status = _SEPARATOR[lang].join(labels.get(s, s) for s in row.statuses)
    return row.community, row.head, str(row.size), status, format_money(row.monthly)


def _spreadsheet_safe(text: str) -> str:
    # A cell starting with = + - @ would be run as a formula by spreadsheet programs (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def render_csv(rows: Iterable[NoticeRow], *, lang: str = "zh", communities: Collection[str] | None = None) -> str:
    """The notice as CSV: a header, then one row per household, grouped by community (sorted), input order
    within a community (each community as :func:`community_shown` prints it)."""
    rows = _shown(rows, communities, lang)
    buffer = _io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_HEADERS[lang])
    for _community, group in _grouped(rows):
        for row in group:
            community, head, size, status, monthly = _cells(row, lang)
            writer.writerow([_spreadsheet_safe(community), _spreadsheet_safe(head), size, status, monthly])
    return buffer.getvalue()


def render_html(
    rows: Iterable[NoticeRow], *, on: dt.date | None = None, lang: str = "zh", title: str | None = None,
    communities: Collection[str] | None = None,
) -> str:
    """The notice as a standalone HTML page: one table per community (as :func:`community_shown` prints it);
    every value escaped."""
    rows = _shown(rows, communities, lang)
    e = html.escape
    heading = title if title is not None else _TITLE[lang]
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(heading)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}"
        "th,td{border:1px solid #999;padding:.3em .8em}td.n{text-align:right}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(heading)}</h1>",
    ]
    if on is not None:
        out.append(f"<p>{e(_DATE[lang])} {e(on.isoformat())}</p>")
    headers = _HEADERS[lang]
    for community, group in _grouped(rows):
        out.append(f"<h2>{e(community)}</h2>")
        out.append("<table>")
        out.append("<thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in headers[1:]) + "</tr></thead>")
        out.append("<tbody>")
        for row in group:
            _c, head, size, status, monthly = _cells(row, lang)
            out.append(
                f'<tr><td>{e(head)}</td><td class="n">{e(size)}</td><td>{e(status)}</td>'
                f'<td class="n">{e(monthly)}</td></tr>'
            )
        out.append("</tbody>")
        out.append("</table>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def render(
    rows: Iterable[NoticeRow], fmt: str = "csv", *, on: dt.date | None = None, lang: str = "zh",
    communities: Collection[str] | None = None,
) -> str:
    """The notice in ``fmt`` (``csv`` or ``html``); ``communities``: the declared community names
    (:func:`community_shown`)."""
    if fmt == "csv":
        return render_csv(rows, lang=lang, communities=communities)
    if fmt == "html":
        return render_html(rows, on=on, lang=lang, communities=communities)
    raise ValueError(f"unknown notice format {fmt!r}; use one of {', '.join(FORMATS)}")


@define
class NoticeResult:
    """The rows of a notice (input order), the rejected lines' error objects, and id numbers held twice."""

    rows: list[NoticeRow]
    households: int
    rejected: int
    errors: list[bytes]
    duplicates: list[Duplicate]
    failures: dict[str, int] = field(factory=dict)
    """``"plugin/programme"`` → the households on which that programme failed (their rows may lack its part)."""


def notice(
    lines: Iterable[bytes | str],
    on: dt.date,
    *,
    engine: EngineSpec = DEMO_CITY,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
    time_limit: float | None = None,
) -> NoticeResult:
    """Assess a JSONL population and collect its notice rows (only households with a status). ``time_limit``:
    seconds one household may take (as :func:`~assistkit.population.batch`'s)."""
    run = Run(
        notice_chunk,
        Job(on, engine),
        lines,
        workers=workers,
        chunk_size=chunk_size,
        specs=(engine,),
        summary=NoticeSummary(),
        time_limit=time_limit,
    )
    errors: list[bytes] = []
    for result in run:
        errors.extend(o for o in result.outputs if o)
        if progress is not None:
            progress(result.lines)
    s = run.summary
    return NoticeResult(s.rows, s.households, s.rejected, errors, run.duplicates, dict(sorted(s.failures.items())))
