"""What a population-wide check has seen so far: each key with the value it was first seen with.

A batch rejects a household id seen on an earlier line (§17) and reports an id number held by two households
(重复救助). Both checks must remember every key of the run, and in dicts alone that memory grows with the
population.

:class:`FirstSeen` keeps its first ``limit`` keys in a dict (all of them, for a population of up to a million
households) and any further keys in a SQLite file (the standard library's :mod:`sqlite3`) in a temporary
directory (``TMPDIR``), which :meth:`FirstSeen.close` removes. The run's memory then stops growing; a key past
the limit costs more time and a little disk (measured in benchmarks/README.md, the ninth round). The answers are
the same either way."""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

from ..errors import ScratchSpaceError

__all__ = ["HOUSEHOLD_IDS", "ID_NUMBERS", "FirstSeen"]

HOUSEHOLD_IDS = 1_000_000
"""Household ids a run keeps in memory with their lines; later ones go to its SQLite file."""

ID_NUMBERS = 150_000
"""Id numbers a run keeps in memory with their holders; later ones go to its SQLite file."""

V = TypeVar("V")

_MISSING = object()
_BATCH = 500
"""Keys per ``IN (...)`` query: well under SQLite's limit on a statement's variables."""
_FLUSH = 1024
"""Keys past the limit that :meth:`FirstSeen.setdefault` buffers before writing them in one transaction."""


class FirstSeen(Generic[V]):
    """Each key with the value it was first seen with: in memory up to ``limit`` keys, then in a SQLite file.

    Keys past the limit wait in a small buffer and are written :data:`_FLUSH` at a time. Call :meth:`close`
    when the run is over: it removes the file, if there is one.
    """

    __slots__ = ("limit", "_memory", "_pending", "_db", "_dir")

    def __init__(self, limit: int) -> None:
        if limit < 0:
            raise ValueError(f"limit must be 0 or more, got {limit}")
        self.limit = limit
        self._memory: dict[str, V] = {}
        self._pending: dict[str, V] = {}  # past the limit, not yet written
        self._db: sqlite3.Connection | None = None
        self._dir: str | None = None

    @property
    def on_disk(self) -> bool:
        """Whether keys past the limit have gone (or are going) to the SQLite file."""
        return self._db is not None or bool(self._pending)

    def __len__(self) -> int:
        on_disk = 0 if self._db is None else self._db.execute("SELECT count(*) FROM seen").fetchone()[0]
        return len(self._memory) + len(self._pending) + on_disk

    def add_new(self, items: Mapping[str, V]) -> bool:
        """Add every item, and return ``True``, when none of their keys was seen before; otherwise add nothing
        and return ``False`` (then :meth:`setdefault` each key in turn)."""
        memory = self._memory
        if not memory.keys().isdisjoint(items.keys()):
            return False
        if len(memory) + len(items) <= self.limit:  # (so nothing is pending: the buffer fills only past the limit)
            if self._db is not None and self._any_on_disk(items):
                return False
            memory.update(items)  # the usual case: C loops over the chunk's keys
            return True
        # Past the limit: write the buffer, then insert each key unless present (one probe of the file's index
        # each), and take the whole chunk back if any key was there already.
        self._flush()
        return self._to_disk(items.items(), all_new=True)

    def setdefault(self, key: str, value: V) -> V:
        """The value ``key`` was first seen with; for a new key, ``value`` itself (the very object), now kept."""
        first = self._memory.get(key, _MISSING)
        if first is not _MISSING:
            return first  # type: ignore[return-value]
        pending = self._pending
        first = pending.get(key, _MISSING)
        if first is not _MISSING:
            return first  # type: ignore[return-value]
        if self._db is not None:
            row = self._db.execute("SELECT value FROM seen WHERE key = ?", (key,)).fetchone()
            if row is not None:
                return _value(row[0])  # type: ignore[no-any-return]
        if len(self._memory) < self.limit:
            self._memory[key] = value
        else:
            pending[key] = value
            if len(pending) >= _FLUSH:
                self._flush()
        return value

    def close(self) -> None:
        """Forget everything and remove the SQLite file (if any). The index may be used again afterwards."""
        self._memory = {}
        self._pending = {}
        db, self._db = self._db, None
        if db is not None:
            db.close()
        folder, self._dir = self._dir, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def _flush(self) -> None:
        if self._pending:
            self._to_disk(self._pending.items())
            self._pending = {}

    def _any_on_disk(self, keys: Iterable[str]) -> bool:
        assert self._db is not None
        wanted = list(keys)
        for at in range(0, len(wanted), _BATCH):
            part = wanted[at:at + _BATCH]
            query = f"SELECT 1 FROM seen WHERE key IN ({', '.join('?' * len(part))}) LIMIT 1"
            if self._db.execute(query, part).fetchone() is not None:
                return True
        return False

    def _to_disk(self, items: Iterable[tuple[str, V]], all_new: bool = False) -> bool:
        """Write ``items`` to the file. With ``all_new``, only if none of their keys is there yet: whether they
        were written."""
        db = self._db
        if db is None:
            db = self._db = self._open()
        rows = [(key, _stored(value)) for key, value in items]
        before = db.total_changes
        db.execute("BEGIN")
        try:
            db.executemany(f"INSERT {'OR IGNORE ' if all_new else ''}INTO seen VALUES (?, ?)", rows)
        except sqlite3.OperationalError as exc:  # the disk is full, most likely
            db.execute("ROLLBACK")
            raise ScratchSpaceError(self._dir or tempfile.gettempdir(), exc) from exc
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if db.total_changes - before != len(rows):  # only with all_new: a key was there already
            db.execute("ROLLBACK")
            return False
        db.execute("COMMIT")
        return True

    def _open(self) -> sqlite3.Connection:
        """The scratch file, made in a directory of its own under ``TMPDIR``."""
        try:
            self._dir = tempfile.mkdtemp(prefix="assistkit-seen-")
            # One connection, used by one thread at a time (the run's), though perhaps not the one that made it.
            db = sqlite3.connect(os.path.join(self._dir, "seen.sqlite"), isolation_level=None,
                                 check_same_thread=False)
            # A scratch file: nothing to recover after a crash, so no journal and no waiting for the disk.
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.execute("PRAGMA cache_size = -8192")  # KiB: the file's pages kept in memory
            db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, value NOT NULL) WITHOUT ROWID")
        except (OSError, sqlite3.Error) as exc:
            raise ScratchSpaceError(self._dir or tempfile.gettempdir(), exc) from exc
        return db


def _stored(value: object) -> object:
    """A value as the file keeps it: an int as itself (a line number, the usual value), anything else pickled."""
    return value if type(value) is int else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _value(stored: object) -> Any:
    """The value :func:`_stored` kept."""
    return stored if type(stored) is int else pickle.loads(stored)  # type: ignore[arg-type]
