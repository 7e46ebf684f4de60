"""Batch assessment of a population: :func:`assess_chunk` (the unit of work) and :func:`batch` (the run)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

from attrs import define, field

from ..declared import status_order
from ..determination import Determination
from ..donations import PROGRAMME
from ..explain import REASON_FORMS
from ..household import Household
from ..money import ZERO, format_money
from ._pipeline import (
    DEFAULT_CHUNK_SIZE,
    DEMO_CITY,
    ChunkResult,
    Duplicate,
    EngineSpec,
    Job,
    Run,
    Tally,
    add_amount,
    count,
    dumps_line,
    engine_for,
    run_chunk,
    warnings_line,
)
from .donations import match

__all__ = [
    "BatchResult",
    "BatchSummary",
    "DonationPass",
    "assess_chunk",
    "batch",
    "format_summary",
    "write_batch",
]


FAILED_SHOWN = 10
"""Households named per failing programme in a batch's summary (the count is always whole)."""




@define
class BatchSummary(Tally):
    """Counters of a batch, mergeable across chunks (``merge(other, -1)`` takes one back).

    ``statuses``: households in which the household or a member holds each status; ``persons``: persons
    holding each status; ``eligible``: households eligible per programme; ``monthly`` / ``one_off``: totals
    per programme; ``actions``: ``"programme.action"`` → count (§15.2); ``with_errors``: determinations with a
    programme error; ``with_warnings`` / ``warnings``: determinations with a warning, and households per warning
    code (:mod:`assistkit.warning`); ``failures``: ``"plugin/programme"`` → households on which that programme
    raised (or ran past the time limit), with the first :data:`FAILED_SHOWN` of those households in ``failed``.
    """

    households: int = 0
    assessed: int = 0
    rejected: int = 0
    with_status: int = 0
    with_errors: int = 0
    statuses: dict[str, int] = field(factory=dict)
    persons: dict[str, int] = field(factory=dict)
    eligible: dict[str, int] = field(factory=dict)
    monthly: dict[str, Decimal] = field(factory=dict)
    one_off: dict[str, Decimal] = field(factory=dict)
    actions: dict[str, int] = field(factory=dict)
    with_warnings: int = 0
    warnings: dict[str, int] = field(factory=dict)
    failures: dict[str, int] = field(factory=dict)
    failed: dict[str, list[str]] = field(factory=dict)
    order: tuple[str, ...] = ()
    """The engine's statuses (``Engine.declared.statuses``): the order the summary lists them in."""

    def merge(self, other: Any, sign: int = 1) -> None:
        super().merge(other, sign)
        if not self.order:
            self.order = other.order
        for key, households in other.failed.items():
            mine = self.failed.setdefault(key, [])
            if sign > 0:
                mine.extend(households[:FAILED_SHOWN - len(mine)])
            else:
                for h in households:
                    if h in mine:
                        mine.remove(h)
            if not mine:
                del self.failed[key]

    def add(self, determination: Mapping[str, Any]) -> None:
        """Count one determination (its JSON, output-format.md)."""
        self.households += 1
        self.assessed += 1
        statuses = determination["statuses"]
        held = set(statuses["household"])
        for member_statuses in statuses["members"].values():
            held.update(member_statuses)
            for s in member_statuses:
                count(self.persons, s, 1)
        if held:
            self.with_status += 1
            for s in held:
                count(self.statuses, s, 1)
        for name, p in determination["programmes"].items():
            if p["eligible"]:
                count(self.eligible, name, 1)
            if p["monthly"] != "0.00":
                add_amount(self.monthly, name, Decimal(p["monthly"]))
            if p["one_off"] != "0.00":
                add_amount(self.one_off, name, Decimal(p["one_off"]))
        for a in determination["actions"]:
            count(self.actions, f"{a['programme']}.{a['action']}", 1)
        errors = determination.get("errors")
        if errors:
            self.with_errors += 1
            for e in determination["errors"]:
                if e["cause"] is None:
                    continue  # not assessed because another failed: counted under that one
                key = f"{e['plugin']}/{e['programme']}"
                count(self.failures, key, 1)
                shown = self.failed.setdefault(key, [])
                if len(shown) < FAILED_SHOWN:
                    shown.append(determination["household"])
        warned = determination.get("warnings")
        if warned:
            self.with_warnings += 1
            for code in {w["code"] for w in warned}:
                count(self.warnings, code, 1)

    def status_key(self, status: str) -> tuple[int, str]:
        """Where ``status`` sorts: the core's statuses first, then the engine's (:attr:`order`), then by name."""
        order = status_order(self.order)
        return order.get(status, len(order)), status

    @property
    def monthly_total(self) -> Decimal:
        return sum(self.monthly.values(), ZERO)

    @property
    def one_off_total(self) -> Decimal:
        return sum(self.one_off.values(), ZERO)

    def to_json(self) -> dict[str, Any]:
        order = sorted(set(self.monthly) | set(self.one_off) | set(self.eligible))
        return {
            "households": self.households,
            "assessed": self.assessed,
            "rejected": self.rejected,
            "with_status": self.with_status,
            "with_errors": self.with_errors,
            "statuses": {s: self.statuses[s] for s in sorted(self.statuses, key=self.status_key)},
            "persons": {s: self.persons[s] for s in sorted(self.persons, key=self.status_key)},
            "eligible": {k: self.eligible[k] for k in sorted(self.eligible)},
            "monthly": {k: format_money(self.monthly.get(k, ZERO)) for k in order},
            "one_off": {k: format_money(self.one_off.get(k, ZERO)) for k in order},
            "totals": {
                "monthly": format_money(self.monthly_total),
                "one_off": format_money(self.one_off_total),
            },
            "actions": {k: self.actions[k] for k in sorted(self.actions)},
            "with_warnings": self.with_warnings,
            "warnings": {k: self.warnings[k] for k in sorted(self.warnings)},
            "failures": {k: {"households": self.failures[k], "first": self.failed.get(k, [])}
                         for k in sorted(self.failures)},
        }


_ERROR_HOUSEHOLDS = 100
"""At most this many households with a programme error are named per chunk (the count is always exact)."""


def assess_chunk(start_line: int, lines: Sequence[bytes | str] | bytes, job: Job) -> ChunkResult:
    """Assess a chunk of JSONL lines (the first is line ``start_line``): the unit of work of a batch.

    ``lines`` is a sequence of lines or one ``bytes`` of whole lines (joined, as a batch of a binary file sends
    them). Top-level and picklable, so a process pool or a Dask worker can run it. Each line becomes its
    determination as one JSON line (output-format.md) or, when rejected (§17), an error object ``{"line",
    "household", "error": {"path", "message"}, "errors": [...]}``; a blank line writes nothing. The engine of
    ``job.engine`` is built once per process.
    """
    engine = engine_for(job.engine)
    on, lang, reasons = job.on, job.lang, job.reasons
    summary = BatchSummary(order=engine.declared.statuses)

    def emit(number: int, household: Household, determination: Determination) -> bytes:
        out = determination.to_json(lang, reasons)
        line = dumps_line(out)  # first: a determination that cannot be written is not counted
        summary.add(out)
        return line

    return run_chunk(start_line, lines, summary, lambda h: engine.assess(h, on), emit, _has_need_left)


def _check_reasons(reasons: str) -> None:
    if reasons not in REASON_FORMS:
        raise ValueError(f"reasons must be one of {', '.join(REASON_FORMS)}; got {reasons!r}")


def _has_need_left(determination: Determination) -> bool:
    """Whether a second pass (donations, §13) must see this determination."""
    return any(n.remaining > 0 for n in determination.needs)


@define
class BatchResult:
    """The outcome of :func:`batch`: the summary, the id numbers found twice, and — with funds — what the
    donation pass allocated (a :class:`assistkit.population.donations.FundSummary`)."""

    summary: BatchSummary
    duplicates: list[Duplicate]
    funds: Any = None
    provenance: Any = None
    """What produced the determinations (:class:`assistkit.engine.Provenance`), the same in each of them."""

    @property
    def ok(self) -> bool:
        """No line rejected and no programme failed (the exit status is 1 otherwise)."""
        return self.summary.rejected == 0 and not self.summary.failures

    def to_json(self) -> dict[str, Any]:
        out = {**self.summary.to_json(), "duplicates": [d.to_json() for d in self.duplicates]}
        if self.funds is not None:
            out["funds"] = self.funds.to_json()
        if self.provenance is not None:
            out["provenance"] = self.provenance.to_json()
        return out


class _Feed:
    """An iterator fed one item at a time (the donation matching pulls from it as lines come back)."""

    def __init__(self) -> None:
        self.item: Any = None

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> Any:
        item, self.item = self.item, None
        if item is None:
            raise StopIteration
        return item


class DonationPass:
    """Donation matching (§13.2) as the sequential second pass, run in this process on each chunk's output as
    it comes back in input order — so balances carry over from household to household exactly as in one
    sequential run, whatever the workers. Only determinations with a need left are read
    (``ChunkResult.marks``) when the engine has the ``donations`` programme; otherwise every determination
    passes through the matching."""

    def __init__(self, funds: Any, on: dt.date, *, engine: Any, lang: str = "zh", ledger: Any = None,
                 reasons: str = "text") -> None:
        self._feed = _Feed()
        self.matching = match(self._feed, funds, on, ledger=ledger, lang=lang, reasons=reasons)
        self.every_line = PROGRAMME not in {p.name for p in engine.programmes}

    def apply(self, result: ChunkResult) -> ChunkResult:
        """``result`` with the determinations the matching changed."""
        offsets = range(result.lines) if self.every_line else result.marks
        if not offsets:
            return result
        outputs = result.outputs
        changed: dict[int, bytes] = {}
        for i in offsets:
            if result.households[i] is None:  # blank, or rejected: passes through
                continue
            determination = json.loads(outputs[i], parse_float=Decimal)
            self._feed.item = determination
            updated = next(self.matching)
            if updated is not determination:
                changed[i] = dumps_line(updated)
        return result.replace(changed)

    def finish(self, summary: BatchSummary) -> Any:
        """The fund summary; the batch summary is brought up to date with the allocations."""
        funds = self.matching.summary
        if funds.allocated:
            add_amount(summary.one_off, PROGRAMME, funds.allocated)
        if funds.households:
            count(summary.eligible, PROGRAMME, funds.households)
        return funds


def batch(
    lines: Iterable[bytes | str],
    out: IO[bytes],
    on: dt.date,
    *,
    engine: EngineSpec = DEMO_CITY,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    lang: str = "zh",
    funds: Any = None,
    ledger: Any = None,
    progress: Callable[[int], None] | None = None,
    time_limit: float | None = None,
    resume: Any = None,
    reasons: str = "text",
) -> BatchResult:
    """Assess every household of a JSONL stream and write the determinations to ``out`` in input order.

    ``lines`` are the raw lines (bytes or str; an open binary file works); ``out`` is a binary stream.
    Rejected lines become error objects in place (§17); the run never stops for one. The output is the same
    bytes for any ``workers`` and ``chunk_size``. ``progress`` is called with the number of lines done after
    each chunk. With ``funds`` (and optionally a ``ledger``, :mod:`assistkit.population.ledger`), donation matching runs
    as the sequential second pass (§13.2, :class:`DonationPass`).

    ``time_limit``: seconds one household may take (a hang becomes an error of the programme that hangs,
    :mod:`._supervise`). ``resume``: a :class:`~assistkit.population.ResumePoint` — ``lines`` then start at its
    first line and the run counts what the lines before it gave (``batch --resume``, :mod:`._resume`).
    ``reasons``: how each determination carries its reasons (:data:`~assistkit.explain.REASON_FORMS`): ``"text"``
    rendered in ``lang`` (output-format.md), ``"data"`` as rule, values and parameters cited
    (:func:`assistkit.render_reasons` renders them later, the same bytes), ``"none"`` left out.
    """
    _check_reasons(reasons)
    if resume is not None and funds:
        raise ValueError("a donation pass cannot be resumed: its balances carry from the first household on")
    job = Job(on, engine, lang, reasons)
    run = Run(
        assess_chunk,
        job,
        lines,
        workers=workers,
        chunk_size=chunk_size,
        specs=(engine,),
        summary=BatchSummary(),
        time_limit=time_limit,
        first_line=1 if resume is None else resume.first_line,
    )
    if resume is not None:
        run.prime(resume.done)
    return write_batch(run, out, on, engine, lang=lang, funds=funds, ledger=ledger, progress=progress,
                       reasons=reasons)


def write_batch(
    run: Run,
    out: IO[bytes],
    on: dt.date,
    engine: EngineSpec,
    *,
    lang: str = "zh",
    funds: Any = None,
    ledger: Any = None,
    progress: Callable[[int], None] | None = None,
    reasons: str = "text",
) -> BatchResult:
    """Drive ``run`` (chunks of :func:`assess_chunk`, local or on Dask), with the donation pass when ``funds``
    are given, writing each chunk's lines to ``out`` as it comes back."""
    second = (DonationPass(funds, on, engine=engine_for(engine), lang=lang, ledger=ledger, reasons=reasons)
              if funds else None)
    for result in run:
        if second is not None:
            result = second.apply(result)
        out.write(result.data)
        if progress is not None:
            progress(result.lines)
    fund_summary = second.finish(run.summary) if second is not None else None
    return BatchResult(run.summary, run.duplicates, fund_summary, engine_for(engine).provenance)


def format_summary(result: BatchResult, *, title: str = "batch") -> str:
    """The end-of-run summary as text (for stderr)."""
    s = result.summary
    lines = [
        f"{title}: {s.households} households, {s.assessed} assessed, {s.rejected} rejected, "
        f"{s.with_status} with a status"
    ]
    if s.with_errors:
        lines.append(f"  determinations with a programme error: {s.with_errors}")
    for key in sorted(s.failures):
        plugin, programme = key.split("/", 1)
        shown = s.failed.get(key, [])
        more = s.failures[key] - len(shown)
        lines.append(f"    plugin {plugin!r}, programme {programme!r} failed on {s.failures[key]} households: "
                     + ", ".join(shown) + (f" … and {more} more" if more > 0 else ""))
    lines.append(warnings_line(s.with_warnings, s.warnings))
    if result.provenance is not None:
        lines.append("  " + result.provenance.text())
    if s.statuses:
        lines.append(
            "  statuses (households / persons): "
            + ", ".join(
                f"{k} {s.statuses[k]} / {s.persons.get(k, 0)}" for k in sorted(s.statuses, key=s.status_key)
            )
        )
    names = sorted(set(s.monthly) | set(s.one_off) | set(s.eligible))
    if names:
        width = max(len(n) for n in names)
        lines.append(f"  {'programme':<{width}}  {'eligible':>9}  {'monthly':>14}  {'one-off':>14}")
        for n in names:
            lines.append(
                f"  {n:<{width}}  {s.eligible.get(n, 0):>9}  {format_money(s.monthly.get(n, ZERO)):>14}  "
                f"{format_money(s.one_off.get(n, ZERO)):>14}"
            )
        lines.append(
            f"  {'total':<{width}}  {'':>9}  {format_money(s.monthly_total):>14}  "
            f"{format_money(s.one_off_total):>14}"
        )
    if s.actions:
        lines.append("  actions (§15.2): " + ", ".join(f"{k} {v}" for k, v in sorted(s.actions.items())))
    if result.funds is not None:
        f = result.funds
        lines.append(
            f"  donations (§13, second pass): {format_money(f.allocated)} allocated to {f.households} "
            "households"
        )
        for t in f.funds:
            lines.append(
                f"    {t.fund} {t.name}: {format_money(t.balance_before)} → {format_money(t.balance_after)} "
                f"({t.allocations} allocations, {t.households} households)"
                + ("" if t.valid else f" — not valid on {f.on.isoformat()}")
            )
    if result.duplicates:
        lines.append(f"  id numbers held twice (重复救助 risk): {len(result.duplicates)}")
        for d in result.duplicates[:10]:
            lines.append(
                f"    {d.id_number}: line {d.first[0]} household {d.first[1]} member {d.first[2]} and "
                f"line {d.second[0]} household {d.second[1]} member {d.second[2]}"
            )
        if len(result.duplicates) > 10:
            lines.append(f"    … and {len(result.duplicates) - 10} more")
    return "\n".join(lines) + "\n"
