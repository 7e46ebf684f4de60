"""The persistent fund ledger of social-force donations (§13.3: every allocation is recorded).

Double entry: opening a fund credits its account ``fund:<id>`` (and debits ``donor:<id>``); each allocation
debits the fund account and credits the need account ``need:<household>:<need>``. The allocations of one
determination are committed as one transaction under :func:`determination_id` (``"<household>:<on>"``):
atomic, idempotent (a second commit of the same id and allocations changes nothing; other allocations under
the same id are refused), and refused whole when a fund would go below zero (:class:`LedgerError` naming the
fund, its balance and the amount). :meth:`LedgerStore.statement` reads a fund's account back with the running
balance.

Callers use the :class:`LedgerStore` interface; :class:`SqliteLedger` (stdlib ``sqlite3``) is the store that
ships.

>>> with SqliteLedger("funds.db") as ledger:                                     # doctest: +SKIP
...     ledger.open_funds(funds)
...     ledger.commit(determination_id("H-1", on), "H-1", on, allocations)
...     print(ledger.statement("F-1").text())
"""

from __future__ import annotations

import os

from ._sqlite import SCHEMA_VERSION, SqliteLedger
from ._store import (
    AllocationLike,
    CommittedAllocation,
    LedgerError,
    LedgerStore,
    Statement,
    StatementLine,
    determination_id,
)

__all__ = [
    "SCHEMA_VERSION",
    "AllocationLike",
    "CommittedAllocation",
    "LedgerError",
    "LedgerStore",
    "SqliteLedger",
    "Statement",
    "StatementLine",
    "determination_id",
    "open_ledger",
]


def open_ledger(location: str | os.PathLike[str], **options: object) -> LedgerStore:
    """The ledger at ``location``: a file path or ``sqlite:///path`` (SQLite). Other stores plug in here by
    URL scheme without changing callers; an unknown scheme is a :class:`LedgerError`."""
    text = os.fspath(location)
    if "://" in text:
        scheme, _, rest = text.partition("://")
        if scheme != "sqlite":
            raise LedgerError(f"no ledger store for {scheme!r} URLs; use a file path or sqlite:///path")
        text = rest[1:] if rest.startswith("/") else rest
    return SqliteLedger(text, **options)  # type: ignore[arg-type]
