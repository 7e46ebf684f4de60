"""The machinery every population tool shares: engines per worker, chunks of raw lines, the ordered pool.

A population is streamed as raw lines (bytes); the main process cuts them into chunks ``(start_line, lines)``
and a chunk function — top-level and picklable, so a Dask worker can run it too — parses, assesses and
serialises each line, returning text. Results come back in input order with a bounded number of chunks in
flight, so memory stays flat whatever the size of the file.

The main process competes with the workers for the cores, so it does as little per line as it can: a binary
file is read in large blocks cut at every ``chunk_size``-th newline by C code (:func:`blocks`), and a chunk
comes back as one joined ``bytes`` with the end offset of each line's output (:class:`ChunkResult`). Forked
workers hand that output back through shared memory (:class:`Outbox`), not through the result pipe.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io as _io
import json
import mmap
import multiprocessing
import os
import threading
from array import array
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from decimal import Decimal
from functools import partial
from itertools import accumulate
from typing import IO, TYPE_CHECKING, Any, TypeVar

import attrs
from attrs import field, frozen

from .. import io
from ..engine import TimeLimitExceeded, is_stop, watch_interrupts
from ..errors import InvalidHousehold, PolicyError, Problem, WorkerDied
from ..household import Household
from ..io import _seen
from ..io import parse_line as parse_line  # the one line reader (re-exported: population.parse_line)
from ..io._seen import FirstSeen
from ..money import ZERO
from ._supervise import HouseholdTimer, die_with_parent

if TYPE_CHECKING:
    from ..engine import Engine

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "GROUP",
    "DEMO_CITY",
    "IN_FLIGHT_PER_WORKER",
    "ChunkResult",
    "CountingLines",
    "Duplicate",
    "EngineSpec",
    "Job",
    "Outbox",
    "Run",
    "blocks",
    "chunked",
    "chunks",
    "dumps",
    "dumps_line",
    "lines_of",
    "run_chunk",
    "Tally",
    "add_amount",
    "count",
    "count_failures",
    "engine_for",
    "error_line",
    "error_object",
    "failures_line",
    "id_records",
    "init_worker",
    "map_ordered",
    "parse_line",
    "pool_context",
    "warnings_line",
]

DEFAULT_CHUNK_SIZE = 250
"""Lines per chunk: large enough that inter-process overhead is small (a chunk crosses as one block and comes
back as one ``bytes``), small enough to keep memory flat (its output is about 1 MB)."""

IN_FLIGHT_PER_WORKER = 2
"""Chunks handed out per worker process and not yet given back (:func:`map_ordered`): the one it works on and
the next, so that it never waits for work; more only hold more memory (benchmarks/README.md, the seventh
round)."""

R = TypeVar("R")


def _paths(files: Iterable[str]) -> tuple[str, ...]:
    return tuple(files)


@frozen
class EngineSpec:
    """How to build an :class:`~assistkit.engine.Engine`: a locality (bundled, or a locality file), policy
    override files, and further localities assessed alongside (each household under its own ``locality``)."""

    locality: str = "demo-city"
    policy_files: tuple[str, ...] = field(default=(), converter=_paths)
    localities: tuple[str, ...] = field(default=(), converter=_paths)

    @classmethod
    def parse(cls, text: str) -> EngineSpec:
        """A locality name, a locality file (``.toml`` that says ``extends``), or a path to an existing
        ``.toml`` override file applied on Demo City."""
        if text.endswith(".toml"):
            if not os.path.isfile(text):
                raise PolicyError(f"no such policy file: {text}")
            with open(text, "rb") as fh:
                # A locality file (it says what it extends) is a locality; any other file amends Demo City.
                if any(line.lstrip().startswith(b"extends") for line in fh):
                    return cls(os.path.abspath(text))
            return cls("demo-city", (os.path.abspath(text),))
        return cls(text)

    @property
    def label(self) -> str:
        label = "+".join([self.locality, *(os.path.basename(f) for f in self.policy_files)])
        return ",".join([label, *self.localities])


DEMO_CITY = EngineSpec()
"""The engine of Demo City with every installed plugin (the default)."""


@frozen
class Job:
    """What a chunk function needs besides its lines: the date, the engine to use, the language of reasons and
    how they are written (:data:`~assistkit.explain.REASON_FORMS`: text, data or none)."""

    on: dt.date
    engine: EngineSpec = DEMO_CITY
    lang: str = "zh"
    reasons: str = "text"


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
                engine = _ENGINES[spec] = Engine(locality=spec.locality, policy_files=spec.policy_files,
                                                 localities=spec.localities)
    return engine


def init_worker(specs: Sequence[EngineSpec], outbox: Outbox | None = None,
                supervision: tuple[int, bool, float | None] | None = None) -> None:
    """Pool initializer: build each engine once in the worker (a no-op when inherited through ``fork``), and
    keep the run's :class:`Outbox` (given to forked workers only: it is not pickled). ``supervision`` is
    ``(parent pid, started from the parent's main thread, time limit per household)``: the worker dies with
    its parent and keeps the limit (:mod:`._supervise`), and tells the user's Ctrl-C from a programme's own
    ``KeyboardInterrupt``."""
    global _OUTBOX, _TIME_LIMIT
    _OUTBOX = outbox
    if supervision is not None:
        parent, main_thread, _TIME_LIMIT = supervision
        die_with_parent(parent, main_thread)
        watch_interrupts()
    for spec in specs:
        engine_for(spec)


# -- lines ---------------------------------------------------------------------------------------------------


def error_object(rejected: io.Rejected) -> dict[str, Any]:
    """The output of a rejected line: ``{"line", "household", "error": {path, message}, "errors": [...]}``."""
    errors = [{"path": p.path, "message": p.reason} for p in rejected.problems]
    return {"line": rejected.line, "household": rejected.household, "error": errors[0], "errors": errors}


def _make_dumps() -> tuple[Callable[[Any], bytes], Callable[[Any], bytes]]:
    try:
        import orjson  # type: ignore[import-not-found]
    except ImportError:
        encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode

        def dumps(value: Any) -> bytes:
            return encode(value).encode("utf-8")

        def dumps_line(value: Any) -> bytes:
            return (encode(value) + "\n").encode("utf-8")

        return dumps, dumps_line
    # orjson writes the same compact UTF-8 as the encoder above, faster; it appends the newline itself (no
    # copy of the line to add one).
    line = orjson.OPT_APPEND_NEWLINE

    def orjson_line(value: Any) -> bytes:
        return orjson.dumps(value, option=line)  # type: ignore[no-any-return]

    return orjson.dumps, orjson_line


dumps, dumps_line = _make_dumps()
"""``dumps``: JSON-ready value → compact UTF-8 JSON bytes (no newline); orjson when installed, same bytes either
way. ``dumps_line``: the same followed by a newline (one output line)."""


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


BLOCK_SIZE = 1 << 20
"""Bytes read at a time by :func:`blocks`."""


def blocks(
    file: IO[bytes] | _io.BufferedIOBase, size: int, first_line: int = 1, counter: CountingLines | None = None
) -> Iterator[tuple[int, bytes]]:
    """``(start_line, block)`` chunks of ``size`` lines of a binary file, each chunk one ``bytes`` of whole lines:
    the lines :func:`chunked` would give for the file, joined (:func:`lines_of` splits them again).

    The file is read :data:`BLOCK_SIZE` bytes at a time and cut at every ``size``-th newline by C code, so the
    main process never handles a line; ``counter.bytes`` counts the bytes read.
    """
    if size < 1:
        raise ValueError(f"chunk size must be ≥ 1, got {size}")
    read = getattr(file, "read1", file.read)  # what is there (a pipe need not fill a whole block first)
    start = first_line
    pending: list[bytes] = []  # the start of the next chunk: whole lines, and the first part of one
    have = 0  # the newlines in pending
    while data := read(BLOCK_SIZE):
        if counter is not None:
            counter.bytes += len(data)
        pos = 0
        left = data.count(b"\n")
        while have + left >= size:
            cut = pos
            for _ in range(size - have):
                cut = data.index(b"\n", cut) + 1
            pending.append(data[pos:cut])
            yield start, b"".join(pending)
            start += size
            left -= size - have
            pending, have, pos = [], 0, cut
        if pos < len(data):
            pending.append(data[pos:] if pos else data)
            have += left
    if pending:
        yield start, b"".join(pending)


def lines_of(chunk: Sequence[bytes | str] | bytes) -> Sequence[bytes | str]:
    """The lines of a chunk: a block of :func:`blocks` split after each newline, as iterating a binary file
    splits it (nowhere else: a carriage return stays on its line); or the sequence of lines itself."""
    if not isinstance(chunk, bytes):
        return chunk
    lines = chunk.split(b"\n")
    last = lines.pop()
    whole = [line + b"\n" for line in lines]
    if last:  # the file's last line, without a newline
        whole.append(last)
    return whole


def chunks(lines: Iterable[bytes | str], size: int, first_line: int = 1
           ) -> Iterator[tuple[int, Sequence[bytes | str] | bytes]]:
    """``(start_line, chunk)`` of ``size`` lines each: blocks (:func:`blocks`) when ``lines`` is a binary file
    (or :class:`CountingLines` of one), else lists of lines (:func:`chunked`)."""
    counter = lines if isinstance(lines, CountingLines) else None
    file = lines.file if isinstance(lines, CountingLines) else lines
    if isinstance(file, _io.BufferedIOBase):
        return blocks(file, size, first_line, counter=counter)
    return chunked(lines, size, first_line)


class CountingLines:
    """Iterate a binary file's lines, counting the bytes read (for a progress bar); :func:`chunks` reads it in
    blocks instead, counting the same way."""

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
    outbox: Outbox | None = None,
    time_limit: float | None = None,
) -> Generator[R, None, None]:
    """``fn(*task)`` for each task, results in task order.

    With ``workers`` ≤ 1 everything runs in this process. Otherwise a process pool (each worker builds the
    engines of ``specs`` once, in its initializer) runs at most ``in_flight`` tasks at a time (default
    :data:`IN_FLIGHT_PER_WORKER` × workers): the task iterator is consumed only as results are taken, so memory
    stays bounded.

    The pool is a :class:`concurrent.futures.ProcessPoolExecutor`: one thread of this process waits for the
    results and reads each as it comes. (``multiprocessing.Pool`` also wakes its worker-keeping thread on
    every result still in the pipe, which then spins for as long as a large result takes to read — CPU this
    process takes from the workers.) A worker that dies raises :class:`~assistkit.errors.WorkerDied`, naming the
    first item of the task it had (a chunk's first line), instead of leaving the run waiting. ``outbox`` is
    handed to each worker (:func:`init_worker`); the pool must then fork. Each worker dies with this process
    and limits each household to ``time_limit`` seconds (:mod:`._supervise`).
    """
    for spec in specs:
        engine_for(spec)  # fail early, in this process, on a bad policy; forked workers inherit the engine
    if workers <= 1:
        for task in tasks:
            yield fn(*task)
        return
    limit = in_flight if in_flight is not None else IN_FLIGHT_PER_WORKER * workers
    supervision = (os.getpid(), threading.current_thread() is threading.main_thread(), time_limit)
    pool = ProcessPoolExecutor(workers, mp_context=pool_context(), initializer=init_worker,
                               initargs=(tuple(specs), outbox, supervision))
    pending: deque[tuple[Any, Future[R]]] = deque()  # (the task's first item: a chunk's first line, its future)
    try:
        for task in tasks:
            try:
                future = pool.submit(fn, *task)
            except BrokenProcessPool as exc:
                # A worker died and the pool knew before this chunk was handed out: the chunk the worker had
                # is still pending. Give back the results
                # before it; its own raises WorkerDied, naming it.
                while pending:
                    yield _result(*pending.popleft())
                raise WorkerDied(None) from exc  # not expected: a pool breaks with the lost chunk still pending
            pending.append((task[0] if task else None, future))
            if len(pending) >= limit:
                yield _result(*pending.popleft())
        while pending:
            yield _result(*pending.popleft())
    finally:
        # Stopped early (an error, or the caller stopped iterating): drop the chunks not started.
        pool.shutdown(wait=True, cancel_futures=True)


def _result(first: Any, future: Future[R]) -> R:
    """The future's result; a worker that died (a signal, the system out of memory) is a :class:`WorkerDied`
    naming the chunk's first line."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise WorkerDied(first if type(first) is int else None) from exc


class Outbox:
    """Shared memory through which forked workers hand a chunk's output back to the main process.

    Through the result pipe a chunk's output (about 1 MB for 250 lines) is pickled, written to the pipe 64 KB at
    a time, read back by the pool's result thread and unpickled: every byte copied four times, and both sides
    woken for each piece. Instead the main process gives each chunk a slot of this memory when it hands the
    chunk out; the worker copies the output into the slot and sends back the rest of the result, which is
    small; the main process copies the output out, and the slot is free for a later chunk.

    A slot's pages stay in place from chunk to chunk until the run ends: the memory held is the slots' used part
    (about 4 MB with two workers). Giving the pages back after every chunk (``MADV_REMOVE``, as the sixth round
    did) made the worker and the main process fault them in again: 1.1 page faults per household, and more than
    twice the system time (benchmarks/README.md, the seventh round).

    Used only where the pool forks (the workers inherit the mapping). A chunk whose output does not fit a slot,
    or that finds no slot free, comes back through the pipe as before: the output is the same bytes either way.
    """

    SLOT = 4 << 20
    """Bytes per slot: four times a default chunk's output."""

    def __init__(self, slots: int) -> None:
        self.memory = mmap.mmap(-1, slots * self.SLOT)  # anonymous and shared: forked workers see the same pages
        self._free = list(range(slots))

    @classmethod
    def for_pool(cls, workers: int, in_flight: int) -> Outbox | None:
        """An outbox for a pool of ``workers`` with ``in_flight`` chunks handed out, or ``None`` where the pool
        would not fork."""
        if workers <= 1 or pool_context().get_start_method() != "fork":
            return None
        return cls(in_flight)  # a chunk's slot is free again (collect) before the next chunk takes one

    def take(self) -> int:
        """A free slot for the next chunk, or -1 (the chunk's output then comes back through the pipe)."""
        return self._free.pop() if self._free else -1

    def collect(self, sent: tuple[ChunkResult, int], slot: int) -> ChunkResult:
        """The result a worker ``sent`` back through :func:`_through_outbox`, with its output: taken from ``slot``
        (the size sent is ≥ 0) or already in the result (-1). The slot is free again."""
        result, size = sent
        if slot < 0:
            return result
        start = slot * self.SLOT
        if size >= 0:
            result = attrs.evolve(result, data=self.memory[start:start + size])
        self._free.append(slot)
        return result

    def close(self) -> None:
        """Unmap the memory: its pages go back to the system once the workers have exited too."""
        self.memory.close()


_OUTBOX: Outbox | None = None
"""In a forked worker, the outbox of the run it works for (:func:`init_worker`)."""

_TIME_LIMIT: float | None = None
"""Seconds one household may take in :func:`run_chunk` (``None``: no limit): set by :class:`Run` in this
process and by :func:`init_worker` in a worker."""


def _through_outbox(
    fn: Callable[..., ChunkResult], start: int, chunk: Any, job: Any, slot: int
) -> tuple[ChunkResult, int]:
    """Run in a worker: ``fn(start, chunk, job)``, its output in ``slot`` of the worker's outbox when it fits:
    ``(the result without its output, the output's size)``; otherwise ``(the result, -1)``.

    A chunk function that uses :func:`run_chunk` has each line's output written into the slot as it is made
    (:class:`_SlotWriter`); any other result is copied into the slot here."""
    global _WRITER
    box = _OUTBOX
    if box is None or slot < 0:
        return fn(start, chunk, job), -1
    writer = _WRITER = _SlotWriter(box.memory, slot, box.SLOT)
    try:
        result = fn(start, chunk, job)
    finally:
        _WRITER = None
    if writer.made is result and writer.spill is None:  # the output is in the slot already
        size = len(result.data)
        writer.release()
        return attrs.evolve(result, data=b""), size
    writer.release()
    data = result.data
    if len(data) > box.SLOT:
        return result, -1
    at = slot * box.SLOT
    box.memory[at:at + len(data)] = data
    return attrs.evolve(result, data=b""), len(data)


class _SlotWriter:
    """The outputs of the chunk a forked worker runs, written into the chunk's outbox slot line by line.

    Each output is copied into the slot while it is still in the core's cache, and its bytes are freed at once,
    so the next line's output reuses the same memory. Collecting a chunk's outputs and joining them instead
    made two more copies of about 1 MB per chunk, each read back from further out in the caches
    (benchmarks/README.md, the eighth round). An output that does not fit the rest of the slot turns the
    writer into a list: the chunk then goes back through the pipe, the same bytes either way.
    """

    __slots__ = ("_view", "_begin", "_at", "_end", "ends", "spill", "made")

    def __init__(self, memory: mmap.mmap, slot: int, size: int) -> None:
        self._view = memoryview(memory)
        self._begin = self._at = slot * size
        self._end = self._begin + size
        self.ends = array("q")
        self.spill: list[bytes] | None = None
        self.made: ChunkResult | None = None

    def append(self, output: bytes) -> None:
        """Write the next line's output."""
        at = self._at
        if self.spill is None:
            end = at + len(output)
            if end <= self._end:
                self._view[at:end] = output
                self._at = end
                self.ends.append(end - self._begin)
                return
            self.spill = [bytes(self._view[self._begin:at])]
        self.spill.append(output)
        self.ends.append(self.ends[-1] + len(output) if self.ends else len(output))

    def result(self, start: int, households: list[str | None], id_numbers: list[IdRecord], summary: Any,
               marks: list[int]) -> ChunkResult:
        """The chunk's result, its ``data`` a view of the slot (or, spilled, the outputs joined)."""
        data: Any = self._view[self._begin:self._at] if self.spill is None else b"".join(self.spill)
        self.made = ChunkResult(start, data, self.ends, households, id_numbers, summary, marks)
        return self.made

    def release(self) -> None:
        """Let go of the slot's memory (the result's view of it too, when it is this writer's)."""
        if self.made is not None and isinstance(self.made.data, memoryview):
            self.made.data.release()
        self._view.release()


_WRITER: _SlotWriter | None = None
"""In a forked worker, the writer of the chunk :func:`_through_outbox` is running, until :func:`run_chunk`
takes it."""


# -- chunk results and the population-wide checks ------------------------------------------------------------

IdRecord = tuple[int, str, str, str]
"""``(line, household, member, id_number)`` of a member with an id number."""


@frozen
class ChunkResult:
    """What a chunk function returns: its output as one ``bytes`` (``data``: each physical line's output in
    turn, ``b""`` when the line writes nothing) with the end offset in ``data`` of each line's output
    (``ends``), the household id of each line that parsed (``None`` otherwise), the members' id numbers, the
    summary, and the offsets of the lines a second pass must see (``marks``: determinations with a need left,
    for donations).

    One joined ``bytes`` rather than a ``bytes`` per line: it crosses between processes and is written at the
    cost of one object, however many lines it holds.
    """

    start: int
    data: bytes
    ends: Sequence[int]
    households: list[str | None]
    id_numbers: list[IdRecord]
    summary: Any
    marks: list[int] = field(factory=list)

    @classmethod
    def of(
        cls,
        start: int,
        outputs: Sequence[bytes],
        households: list[str | None],
        id_numbers: list[IdRecord],
        summary: Any,
        marks: list[int] | None = None,
    ) -> ChunkResult:
        """The result of the lines whose outputs are ``outputs`` (one per physical line)."""
        return cls(
            start, b"".join(outputs), array("q", accumulate(map(len, outputs))), households, id_numbers, summary,
            [] if marks is None else marks,
        )

    @property
    def lines(self) -> int:
        """The number of physical lines of the chunk."""
        return len(self.ends)

    @property
    def outputs(self) -> list[bytes]:
        """The output of each physical line (``b""`` for a line that writes nothing)."""
        data, begin, out = self.data, 0, []
        for end in self.ends:
            out.append(data[begin:end])
            begin = end
        return out

    def replace(self, outputs: Mapping[int, bytes]) -> ChunkResult:
        """This result with the output of each line ``offset`` (0-based) in ``outputs`` replaced."""
        if not outputs:
            return self
        new = self.outputs
        for offset, output in outputs.items():
            new[offset] = output
        return attrs.evolve(self, data=b"".join(new), ends=array("q", accumulate(map(len, new))))


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


def warnings_line(households: int, codes: Mapping[str, int]) -> str:
    """The summary line of the warnings (:mod:`assistkit.warning`): always shown, so that 0 is seen too."""
    line = f"  warnings: {households} households"
    if codes:
        line += " (" + ", ".join(f"{k} {codes[k]}" for k in sorted(codes)) + ") — see each determination's warnings"
    return line


def count_failures(table: dict[str, int], errors: Iterable[Any]) -> None:
    """Count in ``table`` (``"plugin/programme"`` → households) each programme that failed on one household
    (its :class:`~assistkit.programme.ProgrammeError` objects, of one or more assessments of it: each programme
    once; one not assessed because another failed is that other's failure, not counted again)."""
    for key in {f"{e.plugin}/{e.programme}" for e in errors if e.cause is not None}:
        count(table, key, 1)


def failures_line(failures: Mapping[str, int]) -> str | None:
    """The summary line of the programmes that failed (``None`` when none did): a run with one is not ok."""
    if not failures:
        return None
    return "  programmes that failed (an error of that programme on that household): " + ", ".join(
        f"plugin {k.split('/', 1)[0]!r}, programme {k.split('/', 1)[1]!r} on {failures[k]} households"
        for k in sorted(failures))


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
    try:
        return dumps_line(error_object(rejected))
    except (TypeError, ValueError):  # text that is not UTF-8 (a lone surrogate): shown escaped
        return (json.dumps(error_object(rejected), ensure_ascii=False, separators=(",", ":"))
                .encode("utf-8", "backslashreplace") + b"\n")


GROUP = 8
"""Lines :func:`run_chunk` takes a stage at a time: it parses a group's lines, then assesses their households,
then writes their outputs, instead of taking each line through every stage in turn.

A few households in a row through the same stage find that stage's code and data still in the core's caches,
while the households in flight stay few enough to stay there too. ``benchmarks/groups.py`` times the batch's
chunks with the group size changing from chunk to chunk (benchmarks/README.md, the eighth round): against one
line at a time, groups of 4, 6 and 8 took 5, 6 and 7 % less CPU per line, with one process or two at once;
groups of 16 gave back half of that gain.
"""


def run_chunk(
    start_line: int,
    lines: Sequence[bytes | str] | bytes,
    summary: Any,
    assess: Callable[[Household], R],
    emit: Callable[[int, Household, R], bytes],
    keep: Callable[[R], bool] | None = None,
) -> ChunkResult:
    """The loop every chunk function shares: parse each line, ``assess`` the household, ``emit`` its output.

    A blank line writes nothing; a rejected line (bad JSON, an invalid household, a date after ``on``) writes
    its error object and is counted by ``summary.reject``; the id numbers of every assessed household are
    collected for duplicate detection; ``keep`` marks the lines a second pass must see. ``lines`` is a
    sequence of lines or a block of whole lines (:func:`blocks`).

    Lines go :data:`GROUP` at a time: the group's lines are parsed, then ``assess`` is called for each of its
    households in line order, then ``emit`` (and ``summary.reject``) for each line in line order. ``assess``
    therefore runs up to ``GROUP - 1`` households ahead of ``emit``: neither should depend on the other's side
    effects.
    """
    global _WRITER
    writer, _WRITER = _WRITER, None  # this chunk's outbox slot, in a forked worker: taken once
    outputs: list[bytes] | _SlotWriter = [] if writer is None else writer
    households: list[str | None] = []
    ids: list[IdRecord] = []
    marks: list[int] = []
    raws = lines_of(lines)
    size = len(raws)
    timer = HouseholdTimer(_TIME_LIMIT)
    timer.start()
    try:
        for at in range(0, size, GROUP):
            stop = at + GROUP if at + GROUP < size else size
            group: list[tuple[int, Household | io.Rejected | None]] = [
                (number, _parse(number, raws[number - start_line]))
                for number in range(start_line + at, start_line + stop)
            ]
            results: list[Any] = []  # what assess gave for each household (None for any other line)
            refused: dict[int, io.Rejected] = {}  # the lines whose household assess refused, or failed on
            for number, parsed in group:
                if parsed is None or isinstance(parsed, io.Rejected):
                    results.append(None)
                    continue
                try:
                    with timer:
                        result = assess(parsed)
                    results.append(result)
                except InvalidHousehold as exc:
                    results.append(None)
                    refused[number] = io.Rejected(number, exc.household, exc.problems)
                except BaseException as exc:  # noqa: BLE001 - one household's failure is that line's error
                    if is_stop(exc):
                        raise
                    results.append(None)
                    refused[number] = failed(number, parsed.id, exc)
            _write_group(group, results, refused, start_line, summary, emit, keep, outputs, households, ids, marks)
    finally:
        timer.stop()
    if isinstance(outputs, _SlotWriter):
        return outputs.result(start_line, households, ids, summary, marks)
    return ChunkResult.of(start_line, outputs, households, ids, summary, marks)


def _parse(number: int, raw: str | bytes) -> Household | io.Rejected | None:
    """:func:`parse_line`, any failure of it that line's rejection."""
    try:
        return parse_line(number, raw)
    except BaseException as exc:  # noqa: BLE001 - one line's failure is that line's error
        if is_stop(exc):
            raise
        return failed(number, None, exc)


def failed(number: int, household: str | None, exc: BaseException) -> io.Rejected:
    """The rejection of a line on which something failed that is no rule's refusal: an amount out of Decimal's
    range, the time limit, a bug — that line's error object, never the end of the run."""
    if isinstance(exc, TimeLimitExceeded):
        text = f"not assessed: {exc}"
    elif isinstance(exc, (ArithmeticError, decimal.DecimalException)):
        text = (f"not assessed: an amount out of range in the arithmetic ({type(exc).__name__}); check the "
                "household's amounts, days and areas")
    else:
        text = f"not assessed: {type(exc).__name__}: {exc}"
    return io.Rejected(number, household, (Problem("", text),))


def _write_group(group: list[tuple[int, Household | io.Rejected | None]], results: list[Any],
                 refused: dict[int, io.Rejected], start_line: int, summary: Any,
                 emit: Callable[[int, Household, Any], bytes], keep: Callable[[Any], bool] | None,
                 outputs: Any, households: list[str | None], ids: list[IdRecord], marks: list[int]) -> None:
    """:func:`run_chunk`'s last stage for one group: each line's output in line order."""
    for (number, parsed), result in zip(group, results, strict=True):
        if parsed is None:
            outputs.append(b"")
            households.append(None)
            continue
        if not isinstance(parsed, io.Rejected) and not (refused and number in refused):
            try:
                output = emit(number, parsed, result)
            except BaseException as exc:  # noqa: BLE001 - a determination that cannot be written
                if is_stop(exc):
                    raise
                refused[number] = failed(number, parsed.id, exc)
        if isinstance(parsed, io.Rejected) or (refused and number in refused):
            summary.reject(number)
            outputs.append(error_line(parsed if isinstance(parsed, io.Rejected) else refused[number]))
            households.append(None)
            continue
        outputs.append(output)
        households.append(parsed.id)
        if any(p.id_number for p in parsed.members):
            ids.extend(id_records(number, parsed))
        if keep is not None and keep(result):
            marks.append(number - start_line)


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
        time_limit: float | None = None,
        first_line: int = 1,
    ) -> None:
        self.fn, self.job, self.lines = fn, job, lines
        self.workers, self.chunk_size, self.specs = workers, chunk_size, specs
        self.time_limit, self.first_line = time_limit, first_line
        self.summary = summary
        self.duplicates: list[Duplicate] = []
        # Every household id with its first line, and every id number with its first holder: in memory up to a
        # limit, then in a scratch SQLite file, so that the run's memory stops growing (assistkit.io._seen).
        self._households: FirstSeen[int] = FirstSeen(_seen.HOUSEHOLD_IDS)
        self._ids: FirstSeen[tuple[int, str, str]] = FirstSeen(_seen.ID_NUMBERS)

    def tasks(self) -> Iterator[tuple[int, Sequence[bytes | str] | bytes]]:
        """The population's ``(start_line, chunk)`` (:func:`chunks`: blocks of a binary file, else lists)."""
        return chunks(self.lines, self.chunk_size, self.first_line)

    def __iter__(self) -> Iterator[ChunkResult]:
        in_flight = IN_FLIGHT_PER_WORKER * self.workers
        outbox = Outbox.for_pool(self.workers, in_flight)
        kept: deque[tuple[Sequence[bytes | str] | bytes, int]] = deque()

        def remember() -> Iterator[tuple[Any, ...]]:
            # Keep each chunk's raw lines until its result is back: a duplicate household is re-read from them.
            for start, chunk in self.tasks():
                if outbox is None:
                    kept.append((chunk, -1))
                    yield start, chunk, self.job
                else:
                    slot = outbox.take()
                    kept.append((chunk, slot))
                    yield start, chunk, self.job, slot

        fn: Callable[..., Any] = self.fn if outbox is None else partial(_through_outbox, self.fn)
        global _TIME_LIMIT
        _TIME_LIMIT = self.time_limit  # for the chunks run in this process
        results = map_ordered(fn, remember(), workers=self.workers, specs=self.specs, in_flight=in_flight,
                              outbox=outbox, time_limit=self.time_limit)
        try:
            for sent in results:
                chunk, slot = kept.popleft()
                yield self._check(sent if outbox is None else outbox.collect(sent, slot), chunk)
        finally:
            results.close()  # the pool first (its workers may still be writing), then the memory
            _TIME_LIMIT = None
            if outbox is not None:
                outbox.close()
            self.close()

    def prime(self, result: ChunkResult) -> None:
        """Take the lines a killed run already wrote (``result``: from its first line, their households — ``None``
        for a rejected line — id numbers and summary) as if this run had written them (``batch --resume``)."""
        self._check(result, ())

    def close(self) -> None:
        """Forget the ids seen (and remove their scratch file, if the run had one): at the end of the run."""
        self._households.close()
        self._ids.close()

    def _check(self, result: ChunkResult, raw: Sequence[bytes | str] | bytes) -> ChunkResult:
        start = result.start
        again = self._repeated(start, result.households)
        self.summary.merge(result.summary, 1)
        rejected_lines: set[int] = set()
        if again:
            lines = lines_of(raw)
            replaced: dict[int, bytes] = {}
            for offset, household, first in again:
                # The same household id again (household-format.md: unique within a population): reject the
                # line, taking back what the chunk counted for it (re-assessed alone: rare).
                number = start + offset
                self.summary.merge(self.fn(number, [lines[offset]], self.job).summary, -1)
                self.summary.reject(number)
                problem = Problem("id", f"duplicate household id {household!r} (first on line {first})")
                replaced[offset] = error_line(io.Rejected(number, household, (problem,)))
                result.households[offset] = None
                rejected_lines.add(number)
            result = result.replace(replaced)
        ids = self._ids
        for number, household, member, id_number in result.id_numbers:
            if number in rejected_lines:
                continue
            here = (number, household, member)
            first_id = ids.setdefault(id_number, here)
            if first_id is not here:
                self.duplicates.append(Duplicate(id_number, first_id, here))
        return result

    def _repeated(self, start: int, households: list[str | None]) -> list[tuple[int, str, int]]:
        """Note the household ids of a chunk (its first line is ``start``); ``(offset, id, first line)`` for
        each line whose id was seen before."""
        seen = self._households
        new: dict[Any, int] = dict(zip(households, range(start, start + len(households)), strict=True))
        new.pop(None, None)
        if len(new) == len(households) - households.count(None) and seen.add_new(new):
            return []  # the usual chunk, every id new: checked and noted by C loops
        again: list[tuple[int, str, int]] = []
        for offset, household in enumerate(households):
            if household is None:
                continue
            number = start + offset
            first = seen.setdefault(household, number)
            if first != number:
                again.append((offset, household, first))
        return again
