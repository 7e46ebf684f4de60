"""The record in a PostgreSQL database, through psycopg 3 (the ``record`` extra)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from ._error import LogError
from ._store import DecisionLog

__all__ = ["PostgresLog"]

_T = TypeVar("_T")

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS record_entries (
        seq         BIGINT PRIMARY KEY,
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
    )""",
    """CREATE OR REPLACE FUNCTION record_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the record is append-only: an entry cannot be changed or removed'; END $$""",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'record_entries_append_only') THEN
            CREATE TRIGGER record_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON record_entries
            FOR EACH STATEMENT EXECUTE FUNCTION record_entries_append_only();
        END IF;
    END $$""",
)

_COLUMNS = ("seq, recorded_at, household, on_date, programme, member, decision, digest, amounts, recorder, note, "
            "prev, key_id, signature, hash")
_INSERT = f"INSERT INTO record_entries ({_COLUMNS}) VALUES ({', '.join(['%s'] * 15)})"
# Writers take turns: the lock conflicts with itself, not with readers (SELECT takes ACCESS SHARE).
_LOCK = "LOCK TABLE record_entries IN SHARE ROW EXCLUSIVE MODE"


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise LogError("a PostgreSQL record needs psycopg 3: pip install 'assistkit[record]'") from None
    return psycopg


class PostgresLog(DecisionLog):
    """The record in the PostgreSQL database at ``conninfo`` (a ``postgresql://`` URL or a libpq connection
    string); the table ``record_entries`` is created if missing.

    Each append is one transaction that first locks the table against other writers (``SHARE ROW EXCLUSIVE``:
    readers go on), so concurrent writers of any process or machine take turns; the server makes each commit
    whole or absent when a writer dies, and durable before :meth:`append` returns. A trigger refuses to change
    or remove an entry through SQL.
    """

    def __init__(self, conninfo: str) -> None:
        psycopg = _psycopg()
        self.conninfo = conninfo
        try:
            self.connection = psycopg.connect(conninfo, autocommit=True)
            with self.connection.transaction():
                self._migrate(self.connection)
        except psycopg.Error as exc:
            raise LogError(f"cannot open the record in PostgreSQL ({_safe(conninfo)}): {exc}") from None

    def _migrate(self, conn: Any) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(2029)")  # two first writers do not create the table twice
        for statement in _SCHEMA:
            conn.execute(statement)

    def _write(self, work: Callable[[Any], _T]) -> _T:
        conn = self.connection
        with conn.transaction():
            conn.execute(_LOCK)
            return work(conn)

    def _head(self, conn: Any) -> tuple[int, str] | None:
        row = conn.execute("SELECT seq, hash FROM record_entries ORDER BY seq DESC LIMIT 1").fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def _insert(self, conn: Any, rows: list[tuple[Any, ...]]) -> None:
        psycopg = _psycopg()
        try:
            with conn.cursor() as cur:
                cur.executemany(_INSERT, rows)
        except psycopg.IntegrityError as exc:
            raise LogError(f"PostgreSQL record: {exc}") from None

    def _hashes(self, conn: Any, first: int, last: int) -> dict[int, str]:
        rows = conn.execute("SELECT seq, hash FROM record_entries WHERE seq BETWEEN %s AND %s", (first, last))
        return {int(seq): h for seq, h in rows}

    def _rows(self, first: int = 1) -> Iterator[tuple[Any, ...]]:
        psycopg = _psycopg()
        with psycopg.connect(self.conninfo, autocommit=True) as reader:
            with reader.transaction():
                reader.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                after = first - 1
                while True:
                    batch = reader.execute(f"SELECT {_COLUMNS} FROM record_entries WHERE seq > %s ORDER BY seq "
                                           "LIMIT 10000", (after,)).fetchall()
                    if not batch:
                        break
                    for row in batch:
                        yield (int(row[0]), *row[1:])
                    after = int(batch[-1][0])

    def close(self) -> None:
        self.connection.close()

    def __repr__(self) -> str:
        return f"<PostgresLog {_safe(self.conninfo)}>"


def _safe(conninfo: str) -> str:
    """The connection string without a password."""
    if "://" in conninfo and "@" in conninfo:
        scheme, _, rest = conninfo.partition("://")
        auth, _, where = rest.rpartition("@")
        return f"{scheme}://{auth.split(':')[0]}@{where}"
    return " ".join(p for p in conninfo.split() if not p.startswith("password="))
