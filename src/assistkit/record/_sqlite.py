"""The record in one SQLite file (stdlib :mod:`sqlite3`)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ._error import LogError
from ._store import DecisionLog

__all__ = ["SqliteLog"]

_T = TypeVar("_T")

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS record_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS record_entries (
    seq         INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    household   TEXT NOT NULL,
    on_date     TEXT,
    programme   TEXT,
    member      TEXT,
    decision    TEXT NOT NULL,
    digest      TEXT NOT NULL,
    amounts     TEXT NOT NULL,
    recorder    TEXT NOT NULL,
    note        TEXT NOT NULL,
    prev        TEXT NOT NULL,
    key_id      TEXT,
    signature   TEXT,
    hash        TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS record_entries_no_update BEFORE UPDATE ON record_entries
BEGIN SELECT RAISE(ABORT, 'the record is append-only: an entry cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS record_entries_no_delete BEFORE DELETE ON record_entries
BEGIN SELECT RAISE(ABORT, 'the record is append-only: an entry cannot be removed'); END;
"""

_COLUMNS = ("seq, recorded_at, household, on_date, programme, member, decision, digest, amounts, recorder, note, "
            "prev, key_id, signature, hash")
_INSERT = f"INSERT INTO record_entries ({_COLUMNS}) VALUES ({', '.join('?' * 15)})"


class SqliteLog(DecisionLog):
    """The record in the SQLite file at ``path`` (created if missing).

    Each append is one ``BEGIN IMMEDIATE`` … ``COMMIT``: writers of any process take turns, and SQLite's journal
    (WAL) makes each commit whole or absent when a writer dies or the power fails; ``synchronous=FULL`` syncs it
    to disk before :meth:`append` returns. Triggers refuse to change or remove an entry through SQL (the hash
    chain, not the triggers, is what proves that nobody did). ``timeout``: how long to wait for another writer,
    in seconds.
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 60.0) -> None:
        self.path = os.fspath(path)
        try:
            self.connection = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self.connection.execute("PRAGMA journal_mode=wal")
            self.connection.execute("PRAGMA synchronous=FULL")
            self._write(self._migrate)
        except sqlite3.DatabaseError as exc:
            raise LogError(f"{self.path}: cannot open the record: {exc}") from None

    def _migrate(self, conn: sqlite3.Connection) -> None:
        for statement in _split(_SCHEMA):
            conn.execute(statement)
        row = conn.execute("SELECT value FROM record_meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            conn.execute("INSERT INTO record_meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) != SCHEMA_VERSION:
            raise LogError(f"{self.path}: record schema version {row[0]}; this assistkit reads version "
                           f"{SCHEMA_VERSION}")

    def _write(self, work: Callable[[Any], _T]) -> _T:
        conn = self.connection
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise LogError(f"{self.path}: cannot take the write lock: {exc}") from None
        try:
            result = work(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    def _head(self, conn: Any) -> tuple[int, str] | None:
        row = conn.execute("SELECT seq, hash FROM record_entries ORDER BY seq DESC LIMIT 1").fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def _insert(self, conn: Any, rows: list[tuple[Any, ...]]) -> None:
        try:
            conn.executemany(_INSERT, rows)
        except sqlite3.IntegrityError as exc:
            raise LogError(f"{self.path}: {exc}") from None

    def _hashes(self, conn: Any, first: int, last: int) -> dict[int, str]:
        rows = conn.execute("SELECT seq, hash FROM record_entries WHERE seq BETWEEN ? AND ?", (first, last))
        return {int(seq): h for seq, h in rows}

    def _rows(self, first: int = 1) -> Iterator[tuple[Any, ...]]:
        # A read transaction of its own (WAL: a snapshot, writers go on), in keyset batches.
        reader = sqlite3.connect(self.path, isolation_level=None)
        reader.text_factory = _text
        try:
            reader.execute("BEGIN")
            after = first - 1
            while True:
                batch = reader.execute(f"SELECT {_COLUMNS} FROM record_entries WHERE seq > ? ORDER BY seq LIMIT ?",
                                       (after, 10000)).fetchall()
                if not batch:
                    break
                yield from batch
                after = batch[-1][0] if type(batch[-1][0]) is int else after + len(batch)
            reader.execute("COMMIT")
        finally:
            reader.close()

    def close(self) -> None:
        self.connection.close()

    def __repr__(self) -> str:
        return f"<SqliteLog {self.path}>"


def _text(data: bytes) -> str | bytes:
    """A stored text; bytes that are not UTF-8 stay bytes, so verification names the entry instead of failing."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def _split(script: str) -> list[str]:
    """The statements of the schema (a trigger's body holds a ``;`` of its own)."""
    out, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        if text.endswith(";") and (not text.upper().startswith("CREATE TRIGGER") or text.endswith("END;")):
            out.append(text)
            current = []
    return out
