"""Batch assessment beyond one machine, on Dask (extra ``assistkit[dask]``: ``dask[bag]`` and
``distributed``).

The unit of work is the same as the local batch's, :func:`assistkit.population.assess_chunk` — raw lines in,
JSON lines out — so the output is byte-for-byte the local one. Each Dask worker process builds its engine once
(on its first chunk) from the installed plugins and the policy named by the
:class:`~assistkit.population.EngineSpec`; policy override files must be readable by the workers at the same
path. The checks that need the whole population (unique household ids, id numbers held twice) and donation
matching (sequential over fund balances, §13.2) stay in this process, after the chunks come back in order.

- :func:`batch` with a ``distributed.Client``: chunks are submitted as futures, at most ``in_flight`` at a
  time, and written as they complete in input order (streaming: memory stays flat).
- :func:`batch` without a client: waves of chunks as a ``dask.bag`` computed with the given ``scheduler``
  (``"processes"``, ``"threads"``, ``"sync"``, or the active client when one exists).

>>> from distributed import Client, LocalCluster                          # doctest: +SKIP
>>> with LocalCluster(n_workers=4) as cluster, Client(cluster) as client:  # doctest: +SKIP
...     with open("pop.jsonl", "rb") as src, open("out.jsonl", "wb") as out:
...         result = assistkit.population.dask.batch(src, out, date(2025, 7, 15), client=client)
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from . import (
    DEFAULT_CHUNK_SIZE,
    DEMO_CITY,
    BatchResult,
    BatchSummary,
    ChunkResult,
    EngineSpec,
    Job,
    Run,
    assess_chunk,
    engine_for,
    write_batch,
)

__all__ = ["batch", "map_chunks"]


def _require() -> Any:
    try:
        import dask.bag
    except ImportError:
        from ..errors import AssistkitError

        raise AssistkitError(
            "assistkit.population.dask needs dask, which is not installed; "
            "install the extra: pip install 'assistkit[dask]'"
        ) from None
    return dask.bag


def map_chunks(
    fn: Callable[..., ChunkResult],
    tasks: Iterable[tuple[int, Any, Any]],
    *,
    client: Any = None,
    scheduler: str | None = None,
    in_flight: int = 32,
) -> Iterator[ChunkResult]:
    """``fn(*task)`` on Dask for each ``(start_line, lines, job)`` (``lines`` a list of lines, or one ``bytes``
    of whole lines read from a binary file), results in task order, at most
    ``in_flight`` tasks submitted at a time (with a client) or per bag wave (without)."""
    if client is not None:
        pending: deque[Any] = deque()
        for task in tasks:
            pending.append(client.submit(fn, *task, pure=False))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        return
    bag = _require()
    wave: list[tuple[int, Any, Any]] = []

    def run(items: list[tuple[int, Any, Any]]) -> list[ChunkResult]:
        computed = (
            bag.from_sequence(items, npartitions=len(items)).map(_apply, fn).compute(scheduler=scheduler)
        )
        return list(computed)

    for task in tasks:
        wave.append(task)
        if len(wave) >= in_flight:
            yield from run(wave)
            wave = []
    if wave:
        yield from run(wave)


def _apply(task: tuple[int, Any, Any], fn: Callable[..., ChunkResult]) -> ChunkResult:
    return fn(*task)


class _DaskRun(Run):
    """A :class:`~assistkit.population.Run` whose chunks run on Dask instead of a local process pool."""

    def __init__(self, *args: Any, client: Any, scheduler: str | None, in_flight: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client, self.scheduler, self.in_flight = client, scheduler, in_flight

    def __iter__(self) -> Iterator[ChunkResult]:
        kept: deque[Any] = deque()

        def tasks() -> Iterator[tuple[int, Any, Any]]:
            for start, chunk in self.tasks():
                kept.append(chunk)
                yield start, chunk, self.job

        try:
            for result in map_chunks(
                self.fn, tasks(), client=self.client, scheduler=self.scheduler, in_flight=self.in_flight
            ):
                yield self._check(result, kept.popleft())
        finally:
            self.close()


def batch(
    lines: Iterable[bytes | str],
    out: IO[bytes],
    on: dt.date,
    *,
    client: Any = None,
    scheduler: str | None = None,
    engine: EngineSpec = DEMO_CITY,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    lang: str = "zh",
    in_flight: int = 32,
    funds: Any = None,
    ledger: Any = None,
    progress: Callable[[int], None] | None = None,
    reasons: str = "text",
) -> BatchResult:
    """:func:`assistkit.population.batch` with the chunks assessed on Dask: the same output, byte for byte
    (``reasons`` as there).

    With ``funds``, donation matching runs afterwards in this process as the sequential second pass (§13.2).
    """
    _require()
    engine_for(engine)  # a bad policy fails here, before any work is sent
    run = _DaskRun(
        assess_chunk,
        Job(on, engine, lang, reasons),
        lines,
        chunk_size=chunk_size,
        summary=BatchSummary(),
        client=client,
        scheduler=scheduler,
        in_flight=in_flight,
    )
    return write_batch(run, out, on, engine, lang=lang, funds=funds, ledger=ledger, progress=progress,
                       reasons=reasons)
