"""The SQLite fund ledger: double entry, atomic and idempotent commits, no negative balance, statements, and a
writer killed with SIGKILL in the middle of a commit."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit.household import Fund, NeedKind
from assistkit.population.ledger import LedgerError, LedgerStore, SqliteLedger, determination_id, open_ledger

ON = dt.date(2025, 7, 15)


class Posting(NamedTuple):
    fund: str
    need: str
    amount: Decimal


def fund(id: str, balance: str, name: str = "") -> Fund:
    return Fund(id, name or f"fund {id}", Decimal(balance), (NeedKind.MEDICAL,), Decimal("1000000"),
                dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def D(text: str) -> Decimal:
    return Decimal(text)


@pytest.fixture
def ledger(tmp_path: Path):
    with SqliteLedger(tmp_path / "funds.db") as store:
        store.open_funds([fund("F1", "1000.00", "慈善医疗基金"), fund("F2", "500.00")])
        yield store


def count(store: SqliteLedger, table: str) -> int:
    return store.connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_is_a_ledger_store(ledger):
    assert isinstance(ledger, LedgerStore)


def test_opening_balances_are_entries_and_opening_again_changes_nothing(ledger):
    assert ledger.balances() == {"F1": D("1000.00"), "F2": D("500.00")}
    statement = ledger.statement("F1")
    assert [(line.kind, line.transaction, line.credit, line.balance) for line in statement.lines] == [
        ("opening", "open:F1", D("1000.00"), D("1000.00"))]
    entries = count(ledger, "entries")
    # A fund already open keeps its ledger balance, whatever the file now says; a new fund is opened.
    opened = ledger.open_funds([fund("F1", "99.00"), fund("F3", "10.00")])
    assert opened == {"F1": D("1000.00"), "F3": D("10.00")}
    assert count(ledger, "entries") == entries + 2
    assert ledger.check() == []


def test_commit_is_double_entry_and_recommitting_changes_nothing(ledger):
    key = determination_id("H-1", ON)
    assert key == "H-1:2025-07-15"
    allocations = [Posting("F1", "E1", D("300.00")), Posting("F2", "E1", D("200.00")),
                   Posting("F1", "T1", D("50.50"))]
    assert ledger.commit(key, "H-1", ON, allocations) is True
    assert ledger.balances() == {"F1": D("649.50"), "F2": D("300.00")}
    rows = count(ledger, "entries")
    assert ledger.commit(key, "H-1", ON, allocations) is False
    assert ledger.balances() == {"F1": D("649.50"), "F2": D("300.00")}
    assert count(ledger, "entries") == rows
    assert [(c.fund, c.need, c.amount, c.balance_before) for c in ledger.committed(key)] == [
        ("F1", "E1", D("300.00"), D("1000.00")), ("F2", "E1", D("200.00"), D("500.00")),
        ("F1", "T1", D("50.50"), D("700.00"))]
    assert ledger.committed("H-2:2025-07-15") is None
    # Each allocation debits the fund and credits the need account: the books balance.
    assert ledger.check() == []
    row = ledger.connection.execute("SELECT balance_fen FROM accounts WHERE id = 'need:H-1:E1'").fetchone()
    assert row[0] == 50000


def test_other_allocations_under_a_committed_id_are_refused(ledger):
    key = determination_id("H-1", ON)
    ledger.commit(key, "H-1", ON, [Posting("F1", "E1", D("300.00"))])
    with pytest.raises(LedgerError, match="already committed with other allocations"):
        ledger.commit(key, "H-1", ON, [Posting("F1", "E1", D("301.00"))])
    assert ledger.balance("F1") == D("700.00")


def test_a_commit_that_would_go_negative_is_refused_whole(ledger):
    key = determination_id("H-1", ON)
    before = count(ledger, "entries")
    allocations = [Posting("F2", "E1", D("50.00")), Posting("F1", "E1", D("800.00")),
                   Posting("F1", "E2", D("200.01"))]
    with pytest.raises(LedgerError) as info:
        ledger.commit(key, "H-1", ON, allocations)
    message = str(info.value)
    assert "F1" in message and "1000.00" in message and "1000.01" in message and "refused" in message
    assert ledger.balances() == {"F1": D("1000.00"), "F2": D("500.00")}
    assert ledger.committed(key) is None
    assert count(ledger, "entries") == before
    # The same id commits once the allocations fit.
    assert ledger.commit(key, "H-1", ON, allocations[:2]) is True
    assert ledger.balance("F1") == D("200.00")


def test_the_database_itself_refuses_a_negative_fund_balance(ledger):
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        ledger.connection.execute("UPDATE accounts SET balance_fen = -1 WHERE id = 'fund:F1'")


@pytest.mark.parametrize(("posting", "message"), [
    (Posting("F9", "E1", D("1.00")), "not open"),
    (Posting("F1", "E1", D("1.005")), "two decimal places"),
    (Posting("F1", "E1", D("0.00")), "positive"),
    (Posting("F1", "E1", D("-5.00")), "positive"),
    (Posting("F1", "E1", 5), "Decimal"),  # type: ignore[arg-type]
])
def test_bad_allocations_are_refused(ledger, posting, message):
    with pytest.raises(LedgerError, match=message):
        ledger.commit("H-1:2025-07-15", "H-1", ON, [Posting("F2", "E1", D("1.00")), posting])
    assert ledger.balances() == {"F1": D("1000.00"), "F2": D("500.00")}


def test_statement_per_fund_with_running_balance(ledger):
    ledger.commit("H-1:2025-07-15", "H-1", ON,
                  [Posting("F1", "E1", D("300.00")), Posting("F2", "E1", D("20.00"))])
    ledger.commit("H-2:2025-07-15", "H-2", ON, [Posting("F1", "F7", D("650.00"))])
    statement = ledger.statement("F1")
    assert statement.name == "慈善医疗基金"
    assert [(line.transaction, line.kind, line.household, line.need, line.debit, line.credit, line.balance)
            for line in statement.lines] == [
        ("open:F1", "opening", None, None, D("0.00"), D("1000.00"), D("1000.00")),
        ("H-1:2025-07-15", "allocation", "H-1", "E1", D("300.00"), D("0.00"), D("700.00")),
        ("H-2:2025-07-15", "allocation", "H-2", "F7", D("650.00"), D("0.00"), D("50.00")),
    ]
    assert statement.lines[1].on == ON
    assert (statement.opening, statement.allocated, statement.balance) == (
        D("1000.00"), D("950.00"), D("50.00"))
    assert [line.debit for line in ledger.statement("F2").lines] == [D("0.00"), D("20.00")]
    text = statement.text()
    assert "H-2:2025-07-15" in text and text.rstrip().endswith("balance 50.00")
    with pytest.raises(LedgerError, match="F9"):
        ledger.statement("F9")


def test_the_ledger_persists_and_opens_by_url(tmp_path):
    path = tmp_path / "l.db"
    with SqliteLedger(path) as store:
        store.open_funds([fund("F1", "10.00")])
        store.commit("H-1:2025-07-15", "H-1", ON, [Posting("F1", "E1", D("4.00"))])
    with open_ledger(f"sqlite:///{path}") as store:
        assert store.balance("F1") == D("6.00")
    with pytest.raises(LedgerError, match="postgresql"):
        open_ledger("postgresql://db/funds")


def test_journal_mode_is_checked(tmp_path):
    with pytest.raises(LedgerError, match="journal_mode"):
        SqliteLedger(tmp_path / "x.db", journal_mode="memory")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(["F1", "F2"]), st.integers(1, 40_000)), max_size=4),
                max_size=12))
def test_balances_follow_accepted_commits_and_never_go_negative(commits):
    opening = {"F1": 100_000, "F2": 50_000}
    with SqliteLedger(":memory:") as store:
        store.open_funds([fund("F1", "1000.00"), fund("F2", "500.00")])
        model = dict(opening)
        for i, lines in enumerate(commits):
            asked: dict[str, int] = {}
            for f, fen in lines:
                asked[f] = asked.get(f, 0) + fen
            postings = [Posting(f, f"E{j}", Decimal(fen).scaleb(-2)) for j, (f, fen) in enumerate(lines)]
            fits = all(model[f] >= total for f, total in asked.items())
            if fits:
                store.commit(f"H-{i}:2025-07-15", f"H-{i}", ON, postings)
                for f, total in asked.items():
                    model[f] -= total
            else:
                with pytest.raises(LedgerError):
                    store.commit(f"H-{i}:2025-07-15", f"H-{i}", ON, postings)
            assert store.balances() == {f: Decimal(v).scaleb(-2) for f, v in model.items()}
        assert store.check() == []


# -- a writer killed in the middle of a commit ---------------------------------------------------------------

ALLOCATIONS = 600
"""Allocations in the killed commit: with a 5-page cache, SQLite writes pages out before the commit."""

_WRITER = textwrap.dedent("""
    import datetime as dt, sys, time
    from decimal import Decimal
    from typing import NamedTuple
    from assistkit.population.ledger import SqliteLedger

    class Posting(NamedTuple):
        fund: str
        need: str
        amount: Decimal

    path, mode, n, stop_at = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    ledger = SqliteLedger(path, journal_mode=mode)
    ledger.connection.execute("PRAGMA cache_size = 5")
    seen = 0

    def trace(sql):
        global seen
        if sql.startswith("INSERT INTO entries"):
            seen += 1
            if seen == stop_at:
                print("inside", flush=True)    # in the transaction, half the entries written
                time.sleep(120)

    ledger.connection.set_trace_callback(trace)
    allocations = [Posting("F1" if i % 2 else "F2", f"E{i}", Decimal("1.25")) for i in range(n)]
    ledger.commit("H-1:2025-07-15", "H-1", dt.date(2025, 7, 15), allocations)
    print("committed", flush=True)
    time.sleep(120)
""")


def _allocations() -> list[Posting]:
    return [Posting("F1" if i % 2 else "F2", f"E{i}", D("1.25")) for i in range(ALLOCATIONS)]


def _kill_writer(path: Path, mode: str, stop_at: int) -> str:
    """Run the writer until it prints its signal, SIGKILL it, and return the signal it printed."""
    command = [sys.executable, "-c", _WRITER, str(path), mode, str(ALLOCATIONS), str(stop_at)]
    writer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = writer.stdout.readline().strip()  # type: ignore[union-attr]
        assert line in ("inside", "committed"), writer.stderr.read()  # type: ignore[union-attr]
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
    assert writer.returncode == -signal.SIGKILL
    return line


def _clean_run(path: Path, mode: str) -> dict[str, Decimal]:
    with SqliteLedger(path, journal_mode=mode) as store:
        store.open_funds([fund("F1", "1000.00"), fund("F2", "1000.00")])
        store.commit("H-1:2025-07-15", "H-1", ON, _allocations())
        return store.balances()


@pytest.mark.parametrize("mode", ["wal", "delete"])
def test_a_writer_killed_inside_a_commit_leaves_none_of_it(tmp_path, mode):
    path = tmp_path / "killed.db"
    with SqliteLedger(path, journal_mode=mode) as store:
        store.open_funds([fund("F1", "1000.00"), fund("F2", "1000.00")])
    # Killed after writing half of the 2 × 600 entries, inside the transaction.
    assert _kill_writer(path, mode, stop_at=ALLOCATIONS) == "inside"
    journal = path.with_name(path.name + ("-wal" if mode == "wal" else "-journal"))
    assert journal.exists() and journal.stat().st_size > 0, "the killed transaction wrote to its journal"
    with SqliteLedger(path, journal_mode=mode) as store:
        assert store.committed("H-1:2025-07-15") is None
        assert store.balances() == {"F1": D("1000.00"), "F2": D("1000.00")}
        assert store.connection.execute("SELECT COUNT(*) FROM entries WHERE txn > 2").fetchone()[0] == 0
        assert store.check() == []
        # Committing again after the crash gives the balances of a clean run.
        assert store.commit("H-1:2025-07-15", "H-1", ON, _allocations()) is True
        after = store.balances()
        assert store.check() == []
    assert after == _clean_run(tmp_path / "clean.db", mode) == {"F1": D("625.00"), "F2": D("625.00")}


@pytest.mark.parametrize("mode", ["wal", "delete"])
def test_a_writer_killed_after_its_commit_leaves_all_of_it(tmp_path, mode):
    path = tmp_path / "killed.db"
    with SqliteLedger(path, journal_mode=mode) as store:
        store.open_funds([fund("F1", "1000.00"), fund("F2", "1000.00")])
    assert _kill_writer(path, mode, stop_at=10 * ALLOCATIONS) == "committed"
    with SqliteLedger(path, journal_mode=mode) as store:
        assert len(store.committed("H-1:2025-07-15") or ()) == ALLOCATIONS
        assert store.check() == []
        assert store.commit("H-1:2025-07-15", "H-1", ON, _allocations()) is False
        assert store.balances() == {"F1": D("625.00"), "F2": D("625.00")}
