"""Comparing two policies over one population: who gains or loses which status, what it costs per programme.

Each household is assessed under the base and the reform policy (both engines are built once per worker); a
household whose statuses, eligibility or amounts differ gets a change record, and every household counts in
the aggregates: monthly and one-off cost per programme under each policy, statuses gained and lost, the
distribution of the change in a household's total monthly assistance, and the biggest losers and gainers.
"""

from __future__ import annotations

import datetime as dt
import heapq
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

from attrs import define, field, frozen

from ..declared import status_order
from ..determination import Determination, reasons_data, reasons_json
from ..explain import REASON_FORMS
from ..household import Household
from ..money import FEN, ZERO, format_money
from ..provenance import plugin_differences
from ._pipeline import (
    DEFAULT_CHUNK_SIZE,
    ChunkResult,
    Duplicate,
    EngineSpec,
    Run,
    Tally,
    add_amount,
    count,
    count_failures,
    dumps_line,
    engine_for,
    failures_line,
    run_chunk,
    warnings_line,
)

__all__ = [
    "BUCKETS",
    "CompareJob",
    "CompareResult",
    "CompareSummary",
    "Mover",
    "compare",
    "compare_chunk",
    "plot_compare",
]

TOP = 10
"""How many biggest losers and gainers are kept."""

BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("< -500", None, -50000),
    ("-500 … -100", -50000, -10000),
    ("-100 … -0.01", -10000, 0),
    ("0", 0, 1),
    ("0.01 … 100", 1, 10001),
    ("100.01 … 500", 10001, 50001),
    ("> 500", 50001, None),
)
"""Histogram of the change in total monthly assistance per household, in yuan: (label, low fen incl., high fen
excl.); ``None`` is unbounded."""

_ORDER = status_order()


def _status_key(status: str) -> tuple[int, str]:
    return _ORDER.get(status, len(_ORDER)), status


def _status_keys(*engines: Any) -> Callable[[str], tuple[int, str]]:
    """Where a status sorts: the core's first, then the engines' declared statuses in their order."""
    order = status_order(s for engine in engines for s in engine.declared.statuses)

    def key(status: str) -> tuple[int, str]:
        return order.get(status, len(order)), status

    return key


def _bucket(fen: int) -> int:
    for i, (_label, low, high) in enumerate(BUCKETS):
        if (low is None or fen >= low) and (high is None or fen < high):
            return i
    raise AssertionError(fen)


def _fen(amount: Decimal) -> int:
    return int(amount / FEN)




@frozen
class CompareJob:
    """The date and the two engines of a comparison (see :class:`~assistkit.population.Job`)."""

    on: dt.date
    base: EngineSpec
    reform: EngineSpec
    lang: str = "zh"
    reasons: str = "none"
    """How a change record carries the reasons of each changed programme (:data:`~assistkit.explain.REASON_FORMS`;
    ``none``: not at all, as before ``--reasons``)."""


@frozen(order=True)
class Mover:
    """A household whose total monthly assistance changed: the change (fen), its line, id, base and reform."""

    delta_fen: int
    line: int
    household: str
    base: Decimal = field(order=False)
    reform: Decimal = field(order=False)

    @property
    def delta(self) -> Decimal:
        return Decimal(self.delta_fen) * FEN

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "household": self.household,
            "base": format_money(self.base),
            "reform": format_money(self.reform),
            "delta": format_money(self.delta),
        }


@define
class CompareSummary(Tally):
    """Aggregates of a comparison, mergeable across chunks (``merge(other, -1)`` takes one household back)."""

    households: int = 0
    assessed: int = 0
    rejected: int = 0
    changed: int = 0
    monthly_base: dict[str, Decimal] = field(factory=dict)
    monthly_reform: dict[str, Decimal] = field(factory=dict)
    one_off_base: dict[str, Decimal] = field(factory=dict)
    one_off_reform: dict[str, Decimal] = field(factory=dict)
    gained: dict[str, int] = field(factory=dict)
    lost: dict[str, int] = field(factory=dict)
    eligible_gained: dict[str, int] = field(factory=dict)
    eligible_lost: dict[str, int] = field(factory=dict)
    histogram: list[int] = field(factory=lambda: [0] * len(BUCKETS))
    deltas: array[int] = field(factory=lambda: array("q"))
    losers: list[Mover] = field(factory=list)
    gainers: list[Mover] = field(factory=list)
    with_warnings: int = 0
    warnings: dict[str, int] = field(factory=dict)
    failures: dict[str, int] = field(factory=dict)

    def merge(self, other: CompareSummary, sign: int = 1) -> None:
        super().merge(other, sign)
        for i, n in enumerate(other.histogram):
            self.histogram[i] += sign * n
        if sign > 0:
            self.deltas.extend(other.deltas)
            self.losers = heapq.nsmallest(TOP, [*self.losers, *other.losers])
            self.gainers = heapq.nsmallest(TOP, [*self.gainers, *other.gainers], key=_gain_key)
        else:
            for value in other.deltas:
                self.deltas.remove(value)
            gone = {m.line for m in (*other.losers, *other.gainers)}
            self.losers = [m for m in self.losers if m.line not in gone]
            self.gainers = [m for m in self.gainers if m.line not in gone]

    def note(self, mover: Mover) -> None:
        if mover.delta_fen < 0:
            self.losers = heapq.nsmallest(TOP, [*self.losers, mover])
        elif mover.delta_fen > 0:
            self.gainers = heapq.nsmallest(TOP, [*self.gainers, mover], key=_gain_key)


def _gain_key(m: Mover) -> tuple[int, int]:
    return -m.delta_fen, m.line


def _programme_view(d: Any) -> dict[str, tuple[bool, Decimal, Decimal]]:
    return {r.name: (r.eligible, r.monthly, r.one_off) for r in d.programmes}


def _held(d: Any) -> set[str]:
    held = set(d.household_statuses)
    for statuses in d.member_statuses.values():
        held.update(statuses)
    return held


def _triple(base: Decimal, reform: Decimal) -> dict[str, str]:
    return {"base": format_money(base), "reform": format_money(reform), "delta": format_money(reform - base)}


def _why(d: Determination, name: str, job: CompareJob) -> list[dict[str, Any]]:
    """The reasons of programme ``name`` in ``d``, as text in ``job.lang`` or as data (``job.reasons``)."""
    try:
        reasons = d.programme(name).reasons
    except KeyError:  # a programme only the other policy has
        return []
    if job.reasons == "text":
        return reasons_json(reasons, d.rules, job.lang, d.vocabulary)
    return reasons_data(reasons)


def compare_chunk(start_line: int, lines: Sequence[bytes | str] | bytes, job: CompareJob) -> ChunkResult:
    """Assess a chunk under both policies: the change records (JSONL) of households that changed, error
    objects for rejected lines, and the aggregates in the summary."""
    base_engine = engine_for(job.base)
    reform_engine = engine_for(job.reform)
    s = CompareSummary()
    _status_key = _status_keys(base_engine, reform_engine)

    def both(household: Household) -> tuple[Determination, Determination]:
        return base_engine.assess(household, job.on), reform_engine.assess(household, job.on)

    def emit(number: int, parsed: Household, pair: tuple[Determination, Determination]) -> bytes:
        base, reform = pair
        s.households += 1
        s.assessed += 1
        if base.errors or reform.errors:
            count_failures(s.failures, (*base.errors, *reform.errors))
        warned = {w.rule for w in (*base.warnings, *reform.warnings)}
        if warned:
            s.with_warnings += 1
            for code in warned:
                count(s.warnings, code, 1)
        b_prog, r_prog = _programme_view(base), _programme_view(reform)
        programmes: dict[str, Any] = {}
        for name in dict.fromkeys([*b_prog, *r_prog]):
            b_el, b_mo, b_oo = b_prog.get(name, (False, ZERO, ZERO))
            r_el, r_mo, r_oo = r_prog.get(name, (False, ZERO, ZERO))
            if b_mo:
                add_amount(s.monthly_base, name, b_mo)
            if r_mo:
                add_amount(s.monthly_reform, name, r_mo)
            if b_oo:
                add_amount(s.one_off_base, name, b_oo)
            if r_oo:
                add_amount(s.one_off_reform, name, r_oo)
            if b_el != r_el:
                count(s.eligible_gained if r_el else s.eligible_lost, name, 1)
            if b_el != r_el or b_mo != r_mo or b_oo != r_oo:
                programmes[name] = {
                    "eligible": [b_el, r_el],
                    "monthly": _triple(b_mo, r_mo),
                    "one_off": _triple(b_oo, r_oo),
                }
                if job.reasons != "none":
                    programmes[name]["reasons"] = {"base": _why(base, name, job), "reform": _why(reform, name, job)}
        b_held, r_held = _held(base), _held(reform)
        gained = sorted(r_held - b_held, key=_status_key)
        lost = sorted(b_held - r_held, key=_status_key)
        for status in gained:
            count(s.gained, status, 1)
        for status in lost:
            count(s.lost, status, 1)
        b_total, r_total = base.monthly_total, reform.monthly_total
        delta = _fen(r_total - b_total)
        s.histogram[_bucket(delta)] += 1
        if programmes or gained or lost:
            s.changed += 1
            s.deltas.append(delta)
            if delta:
                s.note(Mover(delta, number, parsed.id, b_total, r_total))
            record = {
                "line": number,
                "household": parsed.id,
                "community": parsed.community,
                "statuses": {
                    "base": sorted(b_held, key=_status_key),
                    "reform": sorted(r_held, key=_status_key),
                    "gained": gained,
                    "lost": lost,
                },
                "monthly": _triple(b_total, r_total),
                "one_off": _triple(base.one_off_total, reform.one_off_total),
                "programmes": programmes,
            }
            return dumps_line(record)
        return b""

    return run_chunk(start_line, lines, s, both, emit)


_QUANTILES = (("min", 0), ("p10", 10), ("p25", 25), ("median", 50), ("p75", 75), ("p90", 90), ("max", 100))


@frozen
class CompareResult:
    """The aggregates of a comparison. Money is Decimal yuan; ``*_delta`` is reform − base.

    ``quantiles`` and ``mean`` describe the change in total monthly assistance over the households that
    changed (nearest rank); ``histogram`` counts every assessed household by that change (:data:`BUCKETS`).
    """

    base: str
    reform: str
    on: dt.date
    households: int
    assessed: int
    rejected: int
    changed: int
    monthly_base: Mapping[str, Decimal]
    monthly_reform: Mapping[str, Decimal]
    one_off_base: Mapping[str, Decimal]
    one_off_reform: Mapping[str, Decimal]
    gained: Mapping[str, int]
    lost: Mapping[str, int]
    eligible_gained: Mapping[str, int]
    eligible_lost: Mapping[str, int]
    histogram: tuple[tuple[str, int], ...]
    quantiles: Mapping[str, Decimal]
    mean: Decimal | None
    losers: tuple[Mover, ...]
    gainers: tuple[Mover, ...]
    duplicates: tuple[Duplicate, ...] = ()
    with_warnings: int = 0
    warnings: Mapping[str, int] = field(factory=dict)
    base_provenance: Any = None
    reform_provenance: Any = None
    failures: Mapping[str, int] = field(factory=dict)
    """``"plugin/programme"`` → the households on which that programme failed (under the base, the reform or
    both)."""

    @property
    def plugin_differences(self) -> list[str]:
        """How the plugins of the two runs differ (none when both ran the same plugins)."""
        if self.base_provenance is None or self.reform_provenance is None:
            return []
        return plugin_differences(self.base_provenance, self.reform_provenance)

    @property
    def programmes(self) -> list[str]:
        return list(
            dict.fromkeys(
                [*self.monthly_base, *self.monthly_reform, *self.one_off_base, *self.one_off_reform]
            )
        )

    @property
    def monthly_delta(self) -> dict[str, Decimal]:
        return {p: self.monthly_reform.get(p, ZERO) - self.monthly_base.get(p, ZERO) for p in self.programmes}

    @property
    def one_off_delta(self) -> dict[str, Decimal]:
        return {p: self.one_off_reform.get(p, ZERO) - self.one_off_base.get(p, ZERO) for p in self.programmes}

    @property
    def ok(self) -> bool:
        return self.rejected == 0 and not self.failures

    def to_json(self) -> dict[str, Any]:
        def money(m: Mapping[str, Decimal]) -> dict[str, str]:
            return {k: format_money(v) for k, v in m.items()}

        return {
            "base": self.base,
            "reform": self.reform,
            "on": self.on.isoformat(),
            "households": self.households,
            "assessed": self.assessed,
            "rejected": self.rejected,
            "changed": self.changed,
            "programmes": {
                p: {
                    "monthly": _triple(self.monthly_base.get(p, ZERO), self.monthly_reform.get(p, ZERO)),
                    "one_off": _triple(self.one_off_base.get(p, ZERO), self.one_off_reform.get(p, ZERO)),
                }
                for p in self.programmes
            },
            "statuses": {"gained": dict(self.gained), "lost": dict(self.lost)},
            "eligible": {"gained": dict(self.eligible_gained), "lost": dict(self.eligible_lost)},
            "histogram": dict(self.histogram),
            "quantiles": money(self.quantiles),
            "mean": None if self.mean is None else format_money(self.mean),
            "losers": [m.to_json() for m in self.losers],
            "gainers": [m.to_json() for m in self.gainers],
            "duplicates": [d.to_json() for d in self.duplicates],
            "with_warnings": self.with_warnings,
            "warnings": dict(self.warnings),
            "failures": dict(self.failures),
            "provenance": {
                "base": None if self.base_provenance is None else self.base_provenance.to_json(),
                "reform": None if self.reform_provenance is None else self.reform_provenance.to_json(),
            },
            "plugin_differences": self.plugin_differences,
        }

    def text(self) -> str:
        out = [
            f"compare on {self.on.isoformat()}: base {self.base} → reform {self.reform}",
            f"  {self.households} households, {self.assessed} assessed, {self.rejected} rejected, "
            f"{self.changed} changed",
            warnings_line(self.with_warnings, self.warnings),
        ]
        failed = failures_line(self.failures)
        if failed:
            out.append(failed)
        differences = self.plugin_differences
        if differences:
            out.insert(0, "WARNING: the base and the reform ran different plugins; their figures differ for that "
                          "reason too:")
            out[1:1] = [f"  {line}" for line in differences]
        names = self.programmes
        if names:
            width = max(9, *(len(n) for n in names))
            out.append(
                f"  {'programme':<{width}}  {'monthly base':>13}  {'reform':>13}  {'Δ monthly':>12}  "
                f"{'Δ one-off':>12}"
            )
            for n in names:
                out.append(
                    f"  {n:<{width}}  {format_money(self.monthly_base.get(n, ZERO)):>13}  "
                    f"{format_money(self.monthly_reform.get(n, ZERO)):>13}  "
                    f"{_signed(self.monthly_delta[n]):>12}  {_signed(self.one_off_delta[n]):>12}"
                )
            out.append(
                f"  {'total':<{width}}  {format_money(sum(self.monthly_base.values(), ZERO)):>13}  "
                f"{format_money(sum(self.monthly_reform.values(), ZERO)):>13}  "
                f"{_signed(sum(self.monthly_delta.values(), ZERO)):>12}  "
                f"{_signed(sum(self.one_off_delta.values(), ZERO)):>12}"
            )
        # The result's gained and lost are each in the engines' status order already.
        seen = {status: i for i, status in enumerate(dict.fromkeys([*self.gained, *self.lost]))}
        statuses = sorted(seen, key=lambda status: (_ORDER.get(status, len(_ORDER)), seen[status]))
        if statuses:
            out.append(
                "  statuses gained / lost: "
                + ", ".join(f"{s} +{self.gained.get(s, 0)} / -{self.lost.get(s, 0)}" for s in statuses)
            )
        if self.quantiles:
            out.append(
                "  Δ total monthly per changed household: "
                + ", ".join(f"{k} {_signed(v)}" for k, v in self.quantiles.items())
                + ("" if self.mean is None else f", mean {_signed(self.mean)}")
            )
        out.append(
            "  households by Δ total monthly (yuan): " + ", ".join(f"[{k}] {n}" for k, n in self.histogram)
        )
        if self.losers:
            out.append("  biggest losers:")
            for m in self.losers:
                out.append(
                    f"    {m.household} (line {m.line}): {format_money(m.base)} → {format_money(m.reform)} "
                    f"({_signed(m.delta)})"
                )
        if self.duplicates:
            out.append(f"  id numbers held twice (重复救助 risk): {len(self.duplicates)}")
        return "\n".join(out) + "\n"


def _signed(amount: Decimal) -> str:
    text = format_money(amount)
    return text if text.startswith("-") else "+" + text


def _quantiles(deltas: array[int]) -> tuple[dict[str, Decimal], Decimal | None]:
    if not deltas:
        return {}, None
    ordered = sorted(deltas)
    n = len(ordered)
    out = {}
    for name, percent in _QUANTILES:
        rank = max(1, (percent * n + 99) // 100)  # nearest rank: ceil(p·n / 100), at least 1
        out[name] = Decimal(ordered[rank - 1]) * FEN
    mean = (Decimal(sum(ordered)) * FEN / n).quantize(FEN)
    return out, mean


def compare(
    lines: Iterable[bytes | str],
    on: dt.date,
    base: EngineSpec | str,
    reform: EngineSpec | str,
    *,
    out: IO[bytes] | None = None,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    lang: str = "zh",
    progress: Callable[[int], None] | None = None,
    time_limit: float | None = None,
    reasons: str = "none",
) -> CompareResult:
    """Compare ``base`` and ``reform`` (engine specs, or locality names / ``.toml`` override files) over a
    JSONL population; write the change records to ``out`` (JSONL, input order) when given. ``time_limit``:
    seconds one household may take under both (as :func:`~assistkit.population.batch`'s). With ``reasons``
    ``"text"`` or ``"data"``, each changed programme of a record has its reasons under both policies
    (``{"base": [...], "reform": [...]}``), rendered in ``lang`` or as data (:func:`assistkit.render_reasons`)."""
    if reasons not in REASON_FORMS:
        raise ValueError(f"reasons must be one of {', '.join(REASON_FORMS)}; got {reasons!r}")
    base_spec = base if isinstance(base, EngineSpec) else EngineSpec.parse(base)
    reform_spec = reform if isinstance(reform, EngineSpec) else EngineSpec.parse(reform)
    job = CompareJob(on, base_spec, reform_spec, lang, reasons)
    run = Run(
        compare_chunk,
        job,
        lines,
        workers=workers,
        chunk_size=chunk_size,
        specs=(base_spec, reform_spec),
        summary=CompareSummary(),
        time_limit=time_limit,
    )
    for result in run:
        if out is not None:
            out.write(result.data)
        if progress is not None:
            progress(result.lines)
    s = run.summary
    quantiles, mean = _quantiles(s.deltas)
    _status_key = _status_keys(engine_for(base_spec), engine_for(reform_spec))
    # Every installed programme, in linkage order (§14.1): the base's, then any only the reform has.
    order = list(
        dict.fromkeys(
            [
                *(p.name for p in engine_for(base_spec).programmes),
                *(p.name for p in engine_for(reform_spec).programmes),
            ]
        )
    )

    def full(m: dict[str, Decimal]) -> dict[str, Decimal]:
        return {k: m.get(k, ZERO) for k in order}

    return CompareResult(
        base_spec.label,
        reform_spec.label,
        on,
        s.households,
        s.assessed,
        s.rejected,
        s.changed,
        full(s.monthly_base),
        full(s.monthly_reform),
        full(s.one_off_base),
        full(s.one_off_reform),
        dict(sorted(s.gained.items(), key=lambda kv: _status_key(kv[0]))),
        dict(sorted(s.lost.items(), key=lambda kv: _status_key(kv[0]))),
        dict(sorted(s.eligible_gained.items())),
        dict(sorted(s.eligible_lost.items())),
        tuple((label, n) for (label, _lo, _hi), n in zip(BUCKETS, s.histogram, strict=True)),
        quantiles,
        mean,
        tuple(s.losers),
        tuple(s.gainers),
        tuple(run.duplicates),
        s.with_warnings,
        dict(sorted(s.warnings.items())),
        engine_for(base_spec).provenance,
        engine_for(reform_spec).provenance,
        dict(sorted(s.failures.items())),
    )


def plot_compare(result: CompareResult, path: Any) -> None:
    """Write a PNG chart of ``result``: monthly cost change per programme, and households by change (needs
    matplotlib: the ``plot`` extra)."""
    from ._cliff import require_matplotlib

    plt = require_matplotlib()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5))
    delta = result.monthly_delta
    names = [n for n in result.programmes if delta[n]] or result.programmes
    left.barh(
        names,
        [float(delta[n]) for n in names],
        color=["tab:red" if delta[n] < 0 else "tab:green" for n in names],
    )
    left.set_xlabel("change in monthly cost (yuan)")
    left.set_title(f"{result.base} → {result.reform}")
    labels = [label for label, _n in result.histogram]
    right.bar(range(len(labels)), [n for _label, n in result.histogram])
    right.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    right.set_yscale("log")
    right.set_ylabel("households")
    right.set_title("change in total monthly assistance per household (yuan)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
