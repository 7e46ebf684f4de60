"""The record's interface (:class:`DecisionLog`): append, read, verify, export and import, over any store."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import IO, Any, TypeVar

from ._entry import (
    COLUMNS,
    GENESIS,
    Decision,
    Entry,
    LogError,
    Verification,
    parse_row,
    read_export,
    seal,
    verify_rows,
)

__all__ = ["DecisionLog"]

_T = TypeVar("_T")
_BATCH = 5000


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _raw_line(row: tuple[Any, ...]) -> str:
    """An export line for a stored row as it is (a damaged row is exported damaged: verification tells)."""
    data = dict(zip(COLUMNS, row, strict=True))
    try:
        data["amounts"] = json.loads(data["amounts"])
    except (TypeError, ValueError):
        pass
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class DecisionLog(ABC):
    """An append-only, hash-chained record of decisions and payments.

    Each entry holds the hash of the one before it and its own hash over everything it holds (its signature
    included), so changing, removing or inserting an entry anywhere breaks the chain at that entry, and
    :meth:`verify` names it. :meth:`append` writes a batch of entries in one transaction, serialised with every
    other writer (of any process) by the store's write lock: an entry is either wholly committed or absent, also
    when the writer is killed. Stores: :class:`~assistkit.record.SqliteLog` (the default, one file) and
    :class:`~assistkit.record.PostgresLog` (a county's server database); callers do not change.
    """

    # -- what a store provides ---------------------------------------------------------------------------------

    @abstractmethod
    def _write(self, work: Callable[[Any], _T]) -> _T:
        """Run ``work(connection)`` in one transaction that holds the store's write lock; roll back if it raises."""

    @abstractmethod
    def _head(self, conn: Any) -> tuple[int, str] | None:
        """The last entry's (seq, hash), inside a write transaction; ``None`` when the record is empty."""

    @abstractmethod
    def _insert(self, conn: Any, rows: list[tuple[Any, ...]]) -> None:
        """Insert stored rows (:data:`~assistkit.record._entry.COLUMNS` order)."""

    @abstractmethod
    def _hashes(self, conn: Any, first: int, last: int) -> dict[int, str]:
        """The hashes of the entries ``first`` … ``last`` held."""

    @abstractmethod
    def _rows(self, first: int = 1) -> Iterator[tuple[Any, ...]]:
        """The stored rows from seq ``first`` on, in order, read in batches."""

    @abstractmethod
    def close(self) -> None:
        """Release the store."""

    # -- the interface --------------------------------------------------------------------------------------------

    def append(self, decisions: Iterable[Decision], *, recorder: str, signer: Any = None) -> list[Entry]:
        """Record ``decisions`` in order, by ``recorder`` (the department or official), signed by ``signer`` (a
        :class:`~assistkit.record.Signer`) if given; one transaction. Returns the entries as recorded.

        Raises :class:`LogError` — recording nothing — when a decision is not in the vocabulary, an amount is not
        money or a digest is not a SHA-256."""
        if not isinstance(recorder, str) or not recorder.strip():
            raise LogError("recorder must name who records the entries (a department or an official)")
        prepared = [(d, d.check()) for d in decisions]
        if not prepared:
            return []

        def work(conn: Any) -> list[Entry]:
            seq, prev = self._head(conn) or (0, GENESIS)
            now = _now()
            entries = []
            for decision, amounts in prepared:
                seq += 1
                entry = seal(seq, now, decision, amounts, recorder, prev, signer)
                prev = entry.hash
                entries.append(entry)
            for i in range(0, len(entries), _BATCH):
                self._insert(conn, [e.row() for e in entries[i:i + _BATCH]])
            return entries

        return self._write(work)

    def entries(self, first: int = 1) -> Iterator[Entry]:
        """The entries from ``first`` on, in order; ``ValueError`` at a damaged one (use :meth:`verify`)."""
        for row in self._rows(first):
            yield parse_row(row)

    def head(self) -> tuple[int, str]:
        """The last entry's (seq, hash), or ``(0, GENESIS)`` for an empty record: what to give another department
        so it can tell later that the record was not rewritten up to there (``verify(expected_head=…)``)."""
        return self._write(lambda conn: self._head(conn) or (0, GENESIS))

    def verify(self, *, keys: Mapping[str, Any] | None = None, require_signatures: bool = False,
               expected_head: tuple[int, str] | None = None) -> Verification:
        """Check every entry in order (see :func:`~assistkit.record.verify_rows`); ``keys`` maps key ids to the
        public keys of the departments whose signatures are to be checked."""
        return verify_rows(self._rows(), keys=keys, require_signatures=require_signatures,
                           expected_head=expected_head)

    def export(self, out: IO[str], first: int = 1) -> int:
        """Write the entries from ``first`` on as JSON Lines (each line the canonical JSON of an entry, exactly
        as stored); returns how many."""
        count = 0
        for row in self._rows(first):
            out.write(_raw_line(row) + "\n")
            count += 1
        return count

    def import_lines(self, lines: Iterable[str | bytes], *, keys: Mapping[str, Any] | None = None,
                     require_signatures: bool = False) -> int:
        """Take in another copy of this record (an :meth:`export`, whole or from some entry on): every entry is
        verified (chain, hashes, signatures with ``keys``); those this record already holds must be the same
        (else the two copies have forked); the new ones are appended as they are. One transaction: on any
        problem nothing is imported and :class:`LogError` names the entry. Returns how many were new."""
        rows = read_export(lines)
        first_row = next(rows, None)
        if first_row is None:
            return 0
        if isinstance(first_row, BaseException):
            raise LogError(f"import refused at entry 1 of the file: {first_row}; nothing was imported")
        first = first_row[0] if type(first_row[0]) is int and first_row[0] >= 1 else 1
        rows = itertools.chain([first_row], rows)

        def work(conn: Any) -> int:
            held_seq, held_hash = self._head(conn) or (0, GENESIS)
            if first - 1 > held_seq:
                raise LogError(f"the file starts at entry {first} but this record holds {held_seq} entries: "
                               f"import the entries {held_seq + 1} … {first - 1} first; nothing was imported")
            start = (first - 1, self._hashes(conn, first - 1, first - 1).get(first - 1, GENESIS))
            pending: list[tuple[Any, ...]] = []
            new = 0

            def flush() -> None:
                nonlocal new
                if not pending:
                    return
                known = self._hashes(conn, pending[0][0], pending[-1][0])
                fresh = []
                for row in pending:
                    if row[0] <= held_seq:
                        if known.get(row[0]) != row[14]:
                            raise LogError(f"entry {row[0]} of the file differs from entry {row[0]} of this "
                                           "record: the two copies have forked; nothing was imported")
                    else:
                        fresh.append(row)
                if fresh:
                    self._insert(conn, fresh)
                    new += len(fresh)
                pending.clear()

            def collect() -> Iterator[tuple[Any, ...] | BaseException]:
                for row in rows:
                    yield row
                    if not isinstance(row, BaseException):
                        pending.append(row)
                        if len(pending) >= _BATCH:
                            flush()

            result = verify_rows(collect(), keys=keys, require_signatures=require_signatures, start=start)
            if not result.ok:
                raise LogError(f"import refused: the file is broken at entry {result.broken}: {result.problem}; "
                               "nothing was imported")
            flush()
            return new

        return self._write(work)

    def __enter__(self) -> DecisionLog:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
