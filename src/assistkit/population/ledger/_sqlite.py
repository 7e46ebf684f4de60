"""The SQLite fund ledger (stdlib :mod:`sqlite3`): one file, double entry, one transaction per determination.

Money is stored as integer fen, so sums are exact. SQLite's integers have 64 bits, so an amount, and the sum of
every fund the ledger holds (which bounds every balance and every sum of entries), is at most
:data:`MAX_FEN` fen (92,233,720,368,547,758.07 yuan): opening funds beyond it is a :class:`LedgerError` naming
the fund, never an overflow half-way through a commit. Each write is one ``BEGIN IMMEDIATE`` … ``COMMIT``:
SQLite's journal (WAL by default, or the rollback journal) makes it atomic when the process dies or the power
fails — on reopening, a transaction is either wholly there or not at all. The balance of each account is kept
on the account row (with a ``CHECK`` that a fund's is never negative) and each entry records the balance after
it, so a statement is read without recomputation; :meth:`SqliteLedger.check` verifies both against the
entries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal, TypeVar

from ...household import Fund
from ...money import format_money
from ._store import (
    AllocationLike,
    CommittedAllocation,
    LedgerError,
    LedgerStore,
    Statement,
    StatementLine,
)

__all__ = ["MAX_FEN", "SCHEMA_VERSION", "SqliteLedger"]

SCHEMA_VERSION = 1

MAX_FEN = (1 << 63) - 1
"""The most fen one SQLite integer holds: the limit of one amount and of all the funds of a ledger together."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('fund', 'donor', 'need')),
    fund        TEXT,
    household   TEXT,
    need        TEXT,
    name        TEXT NOT NULL DEFAULT '',
    balance_fen INTEGER NOT NULL DEFAULT 0,
    CHECK (kind <> 'fund' OR balance_fen >= 0)
);
CREATE TABLE IF NOT EXISTS transactions (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('opening', 'allocation')),
    household   TEXT,
    on_date     TEXT,
    digest      TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    txn               INTEGER NOT NULL REFERENCES transactions (seq),
    account           TEXT NOT NULL REFERENCES accounts (id),
    fund              TEXT NOT NULL,
    need              TEXT,
    debit_fen         INTEGER NOT NULL CHECK (debit_fen >= 0),
    credit_fen        INTEGER NOT NULL CHECK (credit_fen >= 0),
    balance_after_fen INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_account ON entries (account, seq);
CREATE INDEX IF NOT EXISTS entries_by_txn ON entries (txn, seq);
"""

_JOURNAL_MODES = ("wal", "delete", "truncate", "persist")

_T = TypeVar("_T")
_KINDS: dict[str, Literal["opening", "allocation"]] = {"opening": "opening", "allocation": "allocation"}

_BALANCE = "SELECT balance_fen FROM accounts WHERE id = ?"
_NEW_ACCOUNT = ("INSERT INTO accounts (id, kind, fund, household, need, name, balance_fen) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)")
_NEW_TRANSACTION = ("INSERT INTO transactions (id, kind, household, on_date, digest, recorded_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)")
_NEW_ENTRY = ("INSERT INTO entries (txn, account, fund, need, debit_fen, credit_fen, balance_after_fen) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)")
_SET_BALANCE = "UPDATE accounts SET balance_fen = ? WHERE id = ?"


def _fen(amount: Decimal, what: str) -> int:
    if type(amount) is not Decimal or not amount.is_finite():
        raise LedgerError(f"{what}: expected an amount of money as a Decimal, got {amount!r}")
    fen = amount.scaleb(2)
    if fen != fen.to_integral_value():
        raise LedgerError(f"{what}: {amount} has more than two decimal places; amounts are money "
                          "(yuan and fen)")
    if abs(fen) > MAX_FEN:
        raise LedgerError(f"{what}: {amount} yuan is more than the ledger holds (at most {_money(MAX_FEN)} yuan: "
                          "integer fen in 64 bits)")
    return int(fen)


def _yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def _money(fen: int) -> str:
    return format_money(_yuan(fen))


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _balance(conn: sqlite3.Connection, account: str) -> int | None:
    row = conn.execute(_BALANCE, (account,)).fetchone()
    return None if row is None else int(row[0])


def _digest(payload: Any) -> str:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SqliteLedger(LedgerStore):
    """A fund ledger in one SQLite file at ``path`` (created if missing).

    ``journal_mode``: ``"wal"`` (default: readers do not block the writer) or ``"delete"`` (the classic
    rollback journal, for file systems without shared memory, e.g. network shares); both make each commit
    atomic. ``durable``: ``True`` (default, ``synchronous=FULL``) syncs every commit to disk, so a committed
    determination survives a power failure; ``False`` (``synchronous=NORMAL``) is faster and still atomic, but
    with WAL the last commits may be lost on power failure (never half of one) — recommitting them is
    idempotent. ``timeout`` is how long to wait for another writer, in seconds.
    """

    def __init__(self, path: str | os.PathLike[str], *, journal_mode: str = "wal", durable: bool = True,
                 timeout: float = 30.0) -> None:
        if journal_mode not in _JOURNAL_MODES:
            raise LedgerError(f"journal_mode must be one of {', '.join(_JOURNAL_MODES)}; "
                              f"got {journal_mode!r}")
        self.path = os.fspath(path)
        try:
            self.connection = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            conn = self.connection
            conn.execute(f"PRAGMA journal_mode={journal_mode}")
            conn.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
            conn.execute("PRAGMA foreign_keys=ON")
            self._write(self._migrate)
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"{self.path}: cannot open the ledger: {exc}") from None

    def _migrate(self, conn: sqlite3.Connection) -> None:
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) != SCHEMA_VERSION:
            raise LedgerError(f"{self.path}: ledger schema version {row[0]}; this assistkit reads version "
                              f"{SCHEMA_VERSION}")

    # -- writing ---------------------------------------------------------------------------------------------

    def _write(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run ``work(conn)`` inside one IMMEDIATE transaction: committed if it returns, rolled back if it
        raises (a process that dies meanwhile leaves nothing: SQLite rolls the journal back on reopening)."""
        conn = self.connection
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    def open_funds(self, funds: Iterable[Fund]) -> Mapping[str, Decimal]:
        prepared = [(f, _fen(f.balance, f"fund {f.id} balance")) for f in funds]
        now = _now()

        def work(conn: sqlite3.Connection) -> dict[str, Decimal]:
            out: dict[str, Decimal] = {}
            # Every fund's opening is its donor account's debit: their sum bounds every sum the ledger makes.
            opened = int(conn.execute("SELECT COALESCE(SUM(-balance_fen), 0) FROM accounts WHERE kind = 'donor'"
                                      ).fetchone()[0])
            for fund, fen in prepared:
                account, donor = "fund:" + fund.id, "donor:" + fund.id
                held = _balance(conn, account)
                if held is not None:
                    out[fund.id] = _yuan(held)
                    continue
                opened += fen
                if opened > MAX_FEN:
                    raise LedgerError(f"fund {fund.id}: a balance of {_money(fen)} yuan would bring the funds of "
                                      f"the ledger {self.path} to {_money(opened)} yuan, more than it holds (at "
                                      f"most {_money(MAX_FEN)} yuan: integer fen in 64 bits); no fund was opened")
                txn = conn.execute(_NEW_TRANSACTION, ("open:" + fund.id, "opening", None, None,
                                                      _digest(["open", fund.id, fen]), now)).lastrowid
                conn.execute(_NEW_ACCOUNT, (donor, "donor", fund.id, None, None, fund.name, -fen))
                conn.execute(_NEW_ACCOUNT, (account, "fund", fund.id, None, None, fund.name, fen))
                conn.execute(_NEW_ENTRY, (txn, donor, fund.id, None, fen, 0, -fen))
                conn.execute(_NEW_ENTRY, (txn, account, fund.id, None, 0, fen, fen))
                out[fund.id] = _yuan(fen)
            return out

        return self._write(work)

    def commit(self, determination: str, household: str, on: dt.date,
               allocations: Sequence[AllocationLike]) -> bool:
        lines: list[tuple[str, str, int]] = []
        for i, a in enumerate(allocations):
            what = f"{determination}: allocation {i} ({a.fund} → {a.need})"
            fen = _fen(a.amount, what)
            if fen <= 0:
                raise LedgerError(f"{what} must be positive; got {a.amount}")
            lines.append((a.fund, a.need, fen))
        digest = _digest(["allocation", household, on.isoformat(), lines])
        now = _now()

        def work(conn: sqlite3.Connection) -> bool:
            row = conn.execute("SELECT digest FROM transactions WHERE id = ?", (determination,)).fetchone()
            if row is not None:
                if row[0] == digest:
                    return False
                raise LedgerError(f"determination {determination} was already committed with other "
                                  "allocations; a determination is committed once (nothing was recorded)")
            asked: dict[str, int] = {}
            for fund, _need, fen in lines:
                asked[fund] = asked.get(fund, 0) + fen
            balances: dict[str, int] = {}
            for fund, total in asked.items():
                held = _balance(conn, "fund:" + fund)
                if held is None:
                    raise LedgerError(f"determination {determination}: fund {fund} is not open in the "
                                      "ledger; open it first (open_funds) — nothing was recorded")
                if total > held:
                    raise LedgerError(f"determination {determination}: fund {fund} has a balance of "
                                      f"{_money(held)} yuan and cannot allocate {_money(total)} yuan; the "
                                      "commit was refused whole (nothing was recorded)")
                balances[fund] = held
            txn = conn.execute(_NEW_TRANSACTION, (determination, "allocation", household, on.isoformat(),
                                                  digest, now)).lastrowid
            received: dict[str, int] = {}
            for fund, need, fen in lines:
                account = f"need:{household}:{need}"
                if account not in received:
                    held = _balance(conn, account)
                    if held is None:
                        conn.execute(_NEW_ACCOUNT, (account, "need", None, household, need, "", 0))
                    received[account] = held or 0
                balances[fund] -= fen
                received[account] += fen
                conn.execute(_NEW_ENTRY, (txn, "fund:" + fund, fund, need, fen, 0, balances[fund]))
                conn.execute(_NEW_ENTRY, (txn, account, fund, need, 0, fen, received[account]))
            conn.executemany(_SET_BALANCE, [(fen, "fund:" + fund) for fund, fen in balances.items()]
                             + [(fen, account) for account, fen in received.items()])
            return True

        return self._write(work)

    # -- reading ---------------------------------------------------------------------------------------------

    def committed(self, determination: str) -> tuple[CommittedAllocation, ...] | None:
        conn = self.connection
        row = conn.execute("SELECT seq FROM transactions WHERE id = ? AND kind = 'allocation'",
                           (determination,)).fetchone()
        if row is None:
            return None
        rows = conn.execute(
            "SELECT fund, need, debit_fen, balance_after_fen FROM entries "
            "WHERE txn = ? AND account LIKE 'fund:%' ORDER BY seq",
            (row[0],),
        ).fetchall()
        return tuple(CommittedAllocation(fund, need, _yuan(fen), _yuan(after + fen))
                     for fund, need, fen, after in rows)

    def balance(self, fund: str) -> Decimal:
        held = _balance(self.connection, "fund:" + fund)
        if held is None:
            raise LedgerError(f"fund {fund} is not open in the ledger {self.path}")
        return _yuan(held)

    def balances(self) -> dict[str, Decimal]:
        rows = self.connection.execute(
            "SELECT fund, balance_fen FROM accounts WHERE kind = 'fund' ORDER BY fund")
        return {fund: _yuan(fen) for fund, fen in rows}

    def statement(self, fund: str) -> Statement:
        conn = self.connection
        account = conn.execute("SELECT name FROM accounts WHERE id = ?", ("fund:" + fund,)).fetchone()
        if account is None:
            raise LedgerError(f"fund {fund} is not open in the ledger {self.path}")
        rows = conn.execute(
            "SELECT e.seq, t.id, t.kind, t.household, t.on_date, e.need, e.debit_fen, e.credit_fen, "
            "e.balance_after_fen FROM entries e JOIN transactions t ON t.seq = e.txn "
            "WHERE e.account = ? ORDER BY e.seq",
            ("fund:" + fund,),
        ).fetchall()
        lines = tuple(
            StatementLine(seq, txn, _KINDS[kind], household, _date(day), need, _yuan(debit), _yuan(credit),
                          _yuan(after))
            for seq, txn, kind, household, day, need, debit, credit, after in rows
        )
        return Statement(fund, account[0], lines)

    def check(self) -> list[str]:
        conn = self.connection
        problems = []
        for txn, debit, credit in conn.execute(
            "SELECT t.id, COALESCE(SUM(e.debit_fen), 0), COALESCE(SUM(e.credit_fen), 0) "
            "FROM transactions t LEFT JOIN entries e ON e.txn = t.seq GROUP BY t.seq"
        ):
            if debit != credit:
                problems.append(f"transaction {txn}: debits {_money(debit)} ≠ credits {_money(credit)}")
        for account, kind, stored, summed, last in conn.execute(
            "SELECT a.id, a.kind, a.balance_fen, COALESCE(SUM(e.credit_fen - e.debit_fen), 0), "
            "(SELECT balance_after_fen FROM entries WHERE account = a.id ORDER BY seq DESC LIMIT 1) "
            "FROM accounts a LEFT JOIN entries e ON e.account = a.id GROUP BY a.id"
        ):
            if stored != summed or (last is not None and last != summed):
                problems.append(f"account {account}: balance {_money(stored)} ≠ sum of entries "
                                f"{_money(summed)}")
            if kind == "fund" and stored < 0:
                problems.append(f"account {account}: negative balance {_money(stored)}")
        return problems

    def close(self) -> None:
        self.connection.close()

    def __repr__(self) -> str:
        return f"<SqliteLedger {self.path}>"
