"""Dynamic management over a population (动态管理, §15): each household's actions and next review date.

Nothing is recomputed here: the engine already gives, in every determination, the §15.2 action of each
recurring benefit (enrol 应保未保, exit 应退未退, adjust, keep — gradual exit keeps, §6.7) and the §15.1 next
review date. This view lists them with their reasons, household by household, and counts them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

from attrs import define, field

from ..determination import Determination, reasons_data
from ..explain import REASON_FORMS, Reason, render_reason
from ..household import Household
from ..money import format_money
from ..review import ACTIONS
from ._pipeline import (
    DEFAULT_CHUNK_SIZE,
    DEMO_CITY,
    ChunkResult,
    Duplicate,
    EngineSpec,
    Job,
    Run,
    Tally,
    count,
    count_failures,
    dumps_line,
    engine_for,
    failures_line,
    run_chunk,
    warnings_line,
)

__all__ = ["ReviewResult", "ReviewSummary", "review", "review_chunk", "review_record"]



@define
class ReviewSummary(Tally):
    """Counts of a review: ``actions`` per action (enrol, exit, adjust, keep), ``by_programme``
    (``"dibao.exit"`` → n), ``due`` (households per month of their next review), ``listed`` (households
    written: with an action or a review date) and ``quiet`` (assessed households with neither)."""

    households: int = 0
    rejected: int = 0
    listed: int = 0
    quiet: int = 0
    actions: dict[str, int] = field(factory=dict)
    by_programme: dict[str, int] = field(factory=dict)
    due: dict[str, int] = field(factory=dict)
    with_warnings: int = 0
    warnings: dict[str, int] = field(factory=dict)
    failures: dict[str, int] = field(factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "households": self.households,
            "rejected": self.rejected,
            "failures": dict(sorted(self.failures.items())),
            "listed": self.listed,
            "quiet": self.quiet,
            "actions": {a: self.actions.get(a, 0) for a in ACTIONS},
            "by_programme": dict(sorted(self.by_programme.items())),
            "due": dict(sorted(self.due.items())),
            "with_warnings": self.with_warnings,
            "warnings": dict(sorted(self.warnings.items())),
        }


def review_record(determination: Any, line: int, community: str, lang: str = "zh", reasons: str = "text"
                  ) -> dict[str, Any] | None:
    """The review entry of one determination: statuses, next review (§15.1) and actions (§15.2) with their
    reasons, or ``None`` when there is neither an action nor a review date.

    ``reasons`` (:data:`~assistkit.explain.REASON_FORMS`): ``"text"`` renders each in ``lang``; ``"data"`` writes
    the rule and values in place of each text (:func:`assistkit.render_reasons` renders them later, the same
    entry); ``"none"`` keeps the rules and leaves the texts and the ``why`` out."""
    d = determination
    if not d.actions and d.next_review is None:
        return None
    text = reasons == "text"
    data = reasons == "data"
    review = None
    if d.review_reason is not None:
        if text:
            review = {"rule": d.review_reason.rule,
                      "text": render_reason(d.review_reason, d.rules, lang, d.vocabulary)}
        elif data:
            review = reasons_data((d.review_reason,))[0]
        else:
            review = {"rule": d.review_reason.rule}
    actions = []
    for a in d.actions:
        values = {
            "enrolled": a.enrolled if a.enrolled is not None else "-",
            "determined": a.determined if a.determined is not None else "-",
        }
        action: dict[str, Any] = {
            "programme": a.programme,
            "member": a.member,
            "action": a.action,
            "enrolled": None if a.enrolled is None else format_money(a.enrolled),
            "determined": None if a.determined is None else format_money(a.determined),
            "rule": a.rule,
        }
        if text or data:
            try:
                why = d.programme(a.programme).reasons
            except KeyError:
                why = ()
            if text:
                action["text"] = render_reason(Reason(a.rule, values), d.rules, lang, d.vocabulary)
                action["why"] = [{"rule": r.rule, "text": render_reason(r, d.rules, lang, d.vocabulary)}
                                 for r in why]
            else:
                # The values where the text goes (and the text of a value of an unusual kind beside them).
                action.update((k, v) for k, v in reasons_data((Reason(a.rule, values),))[0].items() if k != "rule")
                action["why"] = reasons_data(why)
        actions.append(action)
    return {
        "line": line,
        "household": d.household,
        "community": community,
        "statuses": {
            "household": list(d.household_statuses),
            "members": {m: list(s) for m, s in d.member_statuses.items()},
        },
        "next_review": None if d.next_review is None else d.next_review.isoformat(),
        "review": review,
        "actions": actions,
    }


def review_chunk(start_line: int, lines: Sequence[bytes | str] | bytes, job: Job) -> ChunkResult:
    """Like :func:`~assistkit.population.assess_chunk`, but each line becomes its review entry
    (:func:`review_record`; nothing for a household with neither action nor review date) or an error
    object."""
    engine = engine_for(job.engine)
    summary = ReviewSummary()

    def emit(number: int, household: Household, d: Determination) -> bytes:
        summary.households += 1
        if d.errors:
            count_failures(summary.failures, d.errors)
        if d.warnings:
            summary.with_warnings += 1
            for code in {w.rule for w in d.warnings}:
                count(summary.warnings, code, 1)
        record = review_record(d, number, household.community, job.lang, job.reasons)
        if record is None:
            summary.quiet += 1
            return b""
        summary.listed += 1
        for a in d.actions:
            count(summary.actions, a.action, 1)
            count(summary.by_programme, f"{a.programme}.{a.action}", 1)
        if d.next_review is not None:
            count(summary.due, d.next_review.isoformat()[:7], 1)
        return dumps_line(record)

    return run_chunk(start_line, lines, summary, lambda h: engine.assess(h, job.on), emit)


@define
class ReviewResult:
    summary: ReviewSummary
    duplicates: list[Duplicate]

    @property
    def ok(self) -> bool:
        return self.summary.rejected == 0 and not self.summary.failures

    def to_json(self) -> dict[str, Any]:
        return {**self.summary.to_json(), "duplicates": [d.to_json() for d in self.duplicates]}

    def text(self) -> str:
        s = self.summary
        lines = [
            f"review: {s.households} households, {s.rejected} rejected; {s.listed} to act on or review, "
            f"{s.quiet} with no status and no enrolment",
            "  actions (§15.2): " + ", ".join(f"{a} {s.actions.get(a, 0)}" for a in ACTIONS),
        ]
        lines.append(warnings_line(s.with_warnings, s.warnings))
        failed = failures_line(s.failures)
        if failed:
            lines.append(failed)
        if s.by_programme:
            lines.append(
                "  by programme: " + ", ".join(f"{k} {v}" for k, v in sorted(s.by_programme.items()))
            )
        if s.due:
            lines.append(
                "  next reviews (§15.1) by month: " + ", ".join(f"{k} {v}" for k, v in sorted(s.due.items()))
            )
        if self.duplicates:
            lines.append(f"  id numbers held twice (重复救助 risk): {len(self.duplicates)}")
            for d in self.duplicates[:10]:
                lines.append(
                    f"    {d.id_number}: household {d.first[1]} (line {d.first[0]}) and household "
                    f"{d.second[1]} (line {d.second[0]})"
                )
        return "\n".join(lines) + "\n"


def review(
    lines: Iterable[bytes | str],
    out: IO[bytes],
    on: dt.date,
    *,
    engine: EngineSpec = DEMO_CITY,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    lang: str = "zh",
    progress: Callable[[int], None] | None = None,
    time_limit: float | None = None,
    reasons: str = "text",
) -> ReviewResult:
    """Write the review entry of each household of a JSONL population to ``out`` (JSONL, input order).
    ``time_limit``: seconds one household may take (as :func:`~assistkit.population.batch`'s); a programme that
    failed on a household is counted in the summary and the result is not ``ok``. ``reasons`` as
    :func:`review_record` takes it."""
    if reasons not in REASON_FORMS:
        raise ValueError(f"reasons must be one of {', '.join(REASON_FORMS)}; got {reasons!r}")
    run = Run(
        review_chunk,
        Job(on, engine, lang, reasons),
        lines,
        workers=workers,
        chunk_size=chunk_size,
        specs=(engine,),
        summary=ReviewSummary(),
        time_limit=time_limit,
    )
    for result in run:
        out.write(result.data)
        if progress is not None:
            progress(result.lines)
    return ReviewResult(run.summary, run.duplicates)
