"""The machinery every population tool shares: engines per worker, chunks of raw lines, the ordered pool.

A population is streamed as raw lines (bytes); the main process cuts them into chunks ``(start_line, lines)``
and a chunk function — top-level and picklable, so a Dask worker can run it too — parses, assesses and
serialises each line, returning text. Results come back in input order with a bounded number of chunks in
flight, so memory stays flat whatever the size of the file.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any, TypeVar

import attrs
from attrs import field, frozen

from .. import io
from ..errors import InvalidHousehold, PolicyError, Problem
from ..household import Household
from ..io import _show  # the same wording as io.read_jsonl for a line that is not an object
from ..money import ZERO

if TYPE_CHECKING:
    from ..engine import Engine

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEMO_CITY",
    "ChunkResult",
    "CountingLines",
    "Duplicate",
    "EngineSpec",
    "Job",
    "Run",
    "chunked",
    "dumps",
    "each_line",
    "run_chunk",
    "Tally",
    "add_amount",
    "count",
    "engine_for",
    "error_line",
    "error_object",
    "id_records",
    "init_worker",
    "map_ordered",
    "parse_line",
    "pool_context",
]

DEFAULT_CHUNK_SIZE = 500
"""Lines per chunk: large enough that inter-process overhead is small, small enough to keep memory flat."""

R = TypeVar("R")


def _paths(files: Iterable[str]) -> tuple[str, ...]:
    return tuple(files)


@frozen
class EngineSpec:
    """How to build an :class:`~assistkit.engine.Engine`: a bundled locality and policy override files."""

    locality: str = "demo-city"
    policy_files: tuple[str, ...] = field(default=(), converter=_paths)

    @classmethod
    def parse(cls, text: str) -> EngineSpec:
        """A locality name, or a path to an existing ``.toml`` override file applied on Demo City."""
        if text.endswith(".toml"):
            if not os.path.isfile(text):
                raise PolicyError(f"no such policy file: {text}")
            return cls("demo-city", (os.path.abspath(text),))
        return cls(text)

    @property
    def label(self) -> str:
        if not self.policy_files:
            return self.locality
        return "+".join([self.locality, *(os.path.basename(f) for f in self.policy_files)])


DEMO_CITY = EngineSpec()
"""The engine of Demo City with every installed plugin (the default)."""


@frozen
class Job:
    """What a chunk function needs besides its lines: the date, the engine to use, the language of reasons."""

    on: dt.date
    engine: EngineSpec = DEMO_CITY
    lang: str = "zh"


_ENGINES: dict[EngineSpec, Engine] = {}
_LOCK = threading.Lock()


def engine_for(spec: EngineSpec) -> Engine:
    """The engine of ``spec``, built once per process (and inherited by forked workers)."""
    engine = _ENGINES.get(spec)
    if engine is None:
        from ..engine import Engine

        with _LOCK:
            engine = _ENGINES.get(spec)
            if engine is None:
                engine = _ENGINES[spec] = Engine(locality=spec.locality, policy_files=spec.policy_files)
    return engine


def init_worker(specs: Sequence[EngineSpec]) -> None:
    """Pool initializer: build each engine once in the worker (a no-op when inherited through ``fork``)."""
    for spec in specs:
        engine_for(spec)


# -- lines ---------------------------------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


# The same decoding as assistkit.io.read_jsonl: exact decimals, no NaN/Infinity.
_DECODE = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant).decode


def _rejected(number: int, reason: str) -> io.Rejected:
    return io.Rejected(number, None, (Problem("", reason),))


def parse_line(number: int, raw: str | bytes) -> Household | io.Rejected | None:
    """One JSONL line → a household, a rejection (§17), or ``None`` for a blank line — as
    :func:`io.read_jsonl` does for one line, except the population-wide check of unique household ids (done by
    the caller)."""
    household = io._read_valid_line(raw)  # nearly every line: quickly
    if household is not None:
        return household
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
    try:
        data = _DECODE(text)
    except (ValueError, RecursionError) as exc:
        return _rejected(number, f"invalid JSON: {exc}")
    if not isinstance(data, dict):
        return _rejected(number, f"expected a household object on each line; got {_show(data)}")
    try:
        return io.structure_household(data)
    except InvalidHousehold as exc:
        return io.Rejected(number, exc.household, exc.problems)


def error_object(rejected: io.Rejected) -> dict[str, Any]:
    """The output of a rejected line: ``{"line", "household", "error": {path, message}, "errors": [...]}``."""
    errors = [{"path": p.path, "message": p.reason} for p in rejected.problems]
    return {"line": rejected.line, "household": rejected.household, "error": errors[0], "errors": errors}


def _make_dumps() -> Callable[[Any], bytes]:
    try:
        import orjson  # type: ignore[import-not-found]
    except ImportError:
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode

        def dumps(value: Any) -> bytes:
            return encode(value).encode("utf-8")

        return dumps
    # orjson writes the same compact UTF-8 as the encoder above, faster.
    return orjson.dumps  # type: ignore[no-any-return]


dumps: Callable[[Any], bytes] = _make_dumps()
"""JSON-ready value → compact UTF-8 JSON bytes (no newline); orjson when installed, same bytes either way."""


def chunked(lines: Iterable[bytes | str], size: int, first_line: int = 1) -> Iterator[tuple[int, list[Any]]]:
    """``(start_line, lines)`` chunks of ``size`` lines; line numbers are 1-based physical lines."""
    if size < 1:
        raise ValueError(f"chunk size must be ≥ 1, got {size}")
    chunk: list[Any] = []
    start = first_line
    for raw in lines:
        chunk.append(raw)
        if len(chunk) == size:
            yield start, chunk
            start += size
            chunk = []
    if chunk:
        yield start, chunk


class CountingLines:
    """Iterate a binary file's lines, counting the bytes read (for a progress bar)."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.bytes = 0

    def __iter__(self) -> Iterator[bytes]:
        for raw in self.file:
            self.bytes += len(raw)
            yield raw


def pool_context() -> multiprocessing.context.BaseContext:
    """``fork`` where the platform has it (workers inherit the built engines), else ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def map_ordered(
    fn: Callable[..., R],
    tasks: Iterable[tuple[Any, ...]],
    *,
    workers: int = 1,
    specs: Sequence[EngineSpec] = (),
    in_flight: int | None = None,
) -> Iterator[R]:
    """``fn(*task)`` for each task, results in task order.

    With ``workers`` ≤ 1 everything runs in this process. Otherwise a process pool (each worker builds the
    engines of ``specs`` once, in its initializer) runs at most ``in_flight`` tasks at a time (default
    4 × workers): the task iterator is consumed only as results are taken, so memory stays bounded.
    """
    for spec in specs:
        engine_for(spec)  # fail early, in this process, on a bad policy; forked workers inherit the engine
    if workers <= 1:
        for task in tasks:
            yield fn(*task)
        return
    limit = in_flight if in_flight is not None else 4 * workers
    with pool_context().Pool(workers, initializer=init_worker, initargs=(tuple(specs),)) as pool:
        pending: deque[Any] = deque()
        for task in tasks:
            pending.append(pool.apply_async(fn, task))
            if len(pending) >= limit:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


# -- chunk results and the population-wide checks ------------------------------------------------------------

IdRecord = tuple[int, str, str, str]
"""``(line, household, member, id_number)`` of a member with an id number."""


@frozen
class ChunkResult:
    """What a chunk function returns: one output per physical line (``b""`` when the line writes nothing), the
    household id of each line that parsed (``None`` otherwise), the members' id numbers, the summary, and the
    offsets of the lines a second pass must see (``marks``: determinations with a need left, for
    donations)."""

    start: int
    outputs: list[bytes]
    households: list[str | None]
    id_numbers: list[IdRecord]
    summary: Any
    marks: list[int] = field(factory=list)


@frozen
class Duplicate:
    """One id number (GB 11643) held by members of two households of one population (重复救助 risk), or twice
    in one household: the first occurrence and a later one, each ``(line, household, member)``."""

    id_number: str
    first: tuple[int, str, str]
    second: tuple[int, str, str]

    def to_json(self) -> dict[str, Any]:
        def side(s: tuple[int, str, str]) -> dict[str, Any]:
            return {"line": s[0], "household": s[1], "member": s[2]}

        return {"id_number": self.id_number, "first": side(self.first), "second": side(self.second)}


def each_line(
    start: int, lines: Sequence[bytes | str]
) -> Iterator[tuple[int, Household | io.Rejected | None]]:
    """``(line number, parse_line(...))`` for each line of a chunk."""
    for offset, raw in enumerate(lines):
        number = start + offset
        yield number, parse_line(number, raw)


def id_records(number: int, household: Household) -> list[IdRecord]:
    return [(number, household.id, p.id, p.id_number) for p in household.members if p.id_number]


def count(table: dict[str, int], key: str, n: int) -> None:
    """Add ``n`` to a counter; a count that falls to zero is removed."""
    value = table.get(key, 0) + n
    if value:
        table[key] = value
    else:
        table.pop(key, None)


def add_amount(table: dict[str, Decimal], key: str, amount: Decimal) -> None:
    """Add ``amount`` (yuan) to a per-key total."""
    table[key] = table.get(key, ZERO) + amount


class Tally:
    """Mixin of the chunk summaries (attrs classes): ``reject`` and a generic ``merge``.

    ``merge(other, sign)`` adds (``sign=1``) or takes back (``sign=-1``) another chunk's tallies: every field
    typed ``int`` is summed, every ``dict[str, int]`` merged as counts and every ``dict[str, Decimal]`` as money;
    a summary with other kinds of field merges them itself after calling this.
    """

    __slots__ = ()

    def reject(self, line: int) -> None:
        """Count one rejected line."""
        tally: Any = self
        tally.households += 1
        tally.rejected += 1

    def merge(self, other: Any, sign: int = 1) -> None:
        cls: Any = type(self)
        for f in attrs.fields(cls):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if f.type == "int":
                setattr(self, f.name, mine + sign * theirs)
            elif f.type == "dict[str, int]":
                for key, n in theirs.items():
                    count(mine, key, sign * n)
            elif f.type == "dict[str, Decimal]":
                for key, amount in theirs.items():
                    add_amount(mine, key, amount if sign > 0 else -amount)


def error_line(rejected: io.Rejected) -> bytes:
    return dumps(error_object(rejected)) + b"\n"


def run_chunk(
    start_line: int,
    lines: Sequence[bytes | str],
    summary: Any,
    assess: Callable[[Household], R],
    emit: Callable[[int, Household, R], bytes],
    keep: Callable[[R], bool] | None = None,
) -> ChunkResult:
    """The loop every chunk function shares: parse each line, ``assess`` the household, ``emit`` its output.

    A blank line writes nothing; a rejected line (bad JSON, an invalid household, a date after ``on``) writes
    its error object and is counted by ``summary.reject``; the id numbers of every assessed household are
    collected for duplicate detection; ``keep`` marks the lines a second pass must see.
    """
    outputs: list[bytes] = []
    households: list[str | None] = []
    ids: list[IdRecord] = []
    marks: list[int] = []
    for number, parsed in each_line(start_line, lines):
        if parsed is None:
            outputs.append(b"")
            households.append(None)
            continue
        if isinstance(parsed, io.Rejected):
            summary.reject(number)
            outputs.append(error_line(parsed))
            households.append(None)
            continue
        try:
            result = assess(parsed)
        except InvalidHousehold as exc:
            summary.reject(number)
            outputs.append(error_line(io.Rejected(number, exc.household, exc.problems)))
            households.append(None)
            continue
        outputs.append(emit(number, parsed, result))
        households.append(parsed.id)
        if any(p.id_number for p in parsed.members):
            ids.extend(id_records(number, parsed))
        if keep is not None and keep(result):
            marks.append(number - start_line)
    return ChunkResult(start_line, outputs, households, ids, summary, marks)


class Run:
    """One pass of a chunk function over a population, in input order, with the checks that need the whole
    population: unique household ids (a later line with a seen id is rejected, as :func:`io.read_jsonl` does)
    and id numbers held twice (reported as :class:`Duplicate`, never stopping the run).

    Iterate it for the checked :class:`ChunkResult`\\ s; then ``summary`` (merged), ``duplicates``,
    ``rejected`` (the error objects' count is in the summary too) and ``lines_read``.
    """

    def __init__(
        self,
        fn: Callable[..., ChunkResult],
        job: Any,
        lines: Iterable[bytes | str],
        *,
        workers: int = 1,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        specs: Sequence[EngineSpec] = (),
        summary: Any,
    ) -> None:
        self.fn, self.job, self.lines = fn, job, lines
        self.workers, self.chunk_size, self.specs = workers, chunk_size, specs
        self.summary = summary
        self.duplicates: list[Duplicate] = []
        self._households: dict[str, int] = {}
        self._ids: dict[str, tuple[int, str, str]] = {}

    def __iter__(self) -> Iterator[ChunkResult]:
        tasks = ((start, chunk, self.job) for start, chunk in chunked(self.lines, self.chunk_size))
        kept: deque[tuple[int, list[Any]]] = deque()

        def remember() -> Iterator[tuple[int, list[Any], Any]]:
            #  Keep each chunk's raw lines until its result is back: a duplicate household is re-read from
            # them.
            for start, chunk, job in tasks:
                kept.append((start, chunk))
                yield start, chunk, job

        for result in map_ordered(self.fn, remember(), workers=self.workers, specs=self.specs):
            start, raw = kept.popleft()
            yield self._check(result, raw)

    def _check(self, result: ChunkResult, raw: list[Any]) -> ChunkResult:
        seen = self._households
        start = result.start
        again: list[tuple[int, str, int]] = []
        for offset, household in enumerate(result.households):
            if household is None:
                continue
            number = start + offset
            first = seen.setdefault(household, number)
            if first != number:
                again.append((offset, household, first))
        self.summary.merge(result.summary, 1)
        rejected_lines: set[int] = set()
        for offset, household, first in again:
            # The same household id again (household-format.md: unique within a population): reject the line,
            # taking back what the chunk counted for it (re-assessed alone: rare).
            number = start + offset
            self.summary.merge(self.fn(number, [raw[offset]], self.job).summary, -1)
            self.summary.reject(number)
            problem = Problem("id", f"duplicate household id {household!r} (first on line {first})")
            result.outputs[offset] = error_line(io.Rejected(number, household, (problem,)))
            result.households[offset] = None
            rejected_lines.add(number)
        ids = self._ids
        for number, household, member, id_number in result.id_numbers:
            if number in rejected_lines:
                continue
            here = (number, household, member)
            first_id = ids.setdefault(id_number, here)
            if first_id is not here:
                self.duplicates.append(Duplicate(id_number, first_id, here))
        return result
