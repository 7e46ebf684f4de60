"""A tamper-evident record of decisions and payments (决策与支付记录): append-only, hash-chained, optionally signed.

Each entry holds a determination's digest (:func:`determination_digest`), the decision (one of
:data:`DECISIONS`: enrol, adjust, exit, keep, one-off, payment, recovery, arrears, and the fund ledger's opening
and allocation), the amounts (money as text), who recorded it, the hash of the entry before it, and optionally
the recording department's Ed25519 signature. Its own hash covers all of it, so a change anywhere — one byte of
one field — breaks the chain at that entry, and :meth:`DecisionLog.verify` names it. Two departments exchange
their records as JSON Lines (:meth:`DecisionLog.export`, :meth:`DecisionLog.import_lines`) and verify each
other's; a head (:meth:`DecisionLog.head`) given to the other side lets it tell later that nothing up to there
was rewritten, and entries removed from the end are found that way too.

Stores: :class:`SqliteLog` (stdlib ``sqlite3``; the default) and :class:`PostgresLog` (psycopg 3, for a county
that runs a server database) — the same interface, :class:`DecisionLog`. :func:`open_log` picks one by
location. Signatures and PostgreSQL need the ``record`` extra (``cryptography``, ``psycopg``).

>>> with open_log("record.sqlite") as log:                                          # doctest: +SKIP
...     log.append(decisions_of(determination.to_json()), recorder="示范市民政局")
...     print(log.verify().text())
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ._entry import (
    DECISIONS,
    FORMAT,
    GENESIS,
    Decision,
    Entry,
    LogError,
    Verification,
    determination_digest,
    read_export,
    verify_rows,
)
from ._postgres import PostgresLog
from ._sign import Signer, generate_key, key_id, load_public_key
from ._sqlite import SqliteLog
from ._store import DecisionLog

__all__ = [
    "DECISIONS",
    "FORMAT",
    "GENESIS",
    "Decision",
    "DecisionLog",
    "Entry",
    "LogError",
    "PostgresLog",
    "Signer",
    "SqliteLog",
    "Verification",
    "decisions_of",
    "determination_digest",
    "generate_key",
    "key_id",
    "load_public_key",
    "open_log",
    "read_export",
    "recovery_decisions",
    "verify_export",
    "verify_rows",
]


def open_log(location: str | os.PathLike[str]) -> DecisionLog:
    """The record at ``location``: a ``postgresql://`` (or ``postgres://``) URL, or a file path / ``sqlite:///``
    URL for SQLite."""
    text = os.fspath(location)
    if text.startswith(("postgresql://", "postgres://")):
        from ._postgres import PostgresLog

        return PostgresLog(text)
    if "://" in text:
        scheme, _, rest = text.partition("://")
        if scheme != "sqlite":
            raise LogError(f"no record store for {scheme!r} URLs; use a file path, sqlite:///path or "
                           "postgresql://…")
        text = rest[1:] if rest.startswith("/") else rest
    return SqliteLog(text)


def verify_export(path: str | os.PathLike[str], **options: Any) -> Verification:
    """Verify an exported record (JSON Lines) without importing it; ``options`` as :meth:`DecisionLog.verify`."""
    with open(path, "rb") as f:
        return verify_rows(read_export(f), **options)


def _money(text: Any) -> Decimal:
    return Decimal(str(text))


def decisions_of(determination: Mapping[str, Any]) -> list[Decision]:
    """What a determination (its JSON, as ``assess --format json`` writes it) decides, to record: each §15.2 action
    (the monthly amount determined, or the one enrolled for an exit) and each one-off payment with an amount
    (``allocation`` for a donation fund's, §13; ``one_off`` otherwise), all under the determination's digest."""
    digest = determination_digest(determination)
    household = determination["household"]
    on = _date(determination.get("on"))
    out = []
    for action in determination.get("actions") or ():
        amount = action.get("determined") if action.get("determined") is not None else action.get("enrolled")
        out.append(Decision(household, action["action"], digest,
                            {"monthly": _money(amount)} if amount is not None else {}, on,
                            action.get("programme"), action.get("member")))
    for name, programme in (determination.get("programmes") or {}).items():
        for payment in programme.get("payments") or ():
            amount = _money(payment["amount"])
            if not amount:
                continue
            fund = payment.get("fund")
            note = " ".join(f"{k}={payment[k]}" for k in ("kind", "need", "fund", "approval") if payment.get(k))
            out.append(Decision(household, "allocation" if fund else "one_off", digest, {"amount": amount}, on,
                                name, payment.get("member"), note))
    return out


def recovery_decisions(recomputation: Any) -> list[Decision]:
    """What a recomputation (:class:`~assistkit.recompute.Recomputation`) finds, to record: one ``recovery`` or
    ``arrears`` entry per month and programme with a difference, under that month's determination's digest, the
    note naming the month."""
    out = []
    for month in recomputation.months:
        digest = determination_digest(month.determination)
        for line in month.programmes:
            if not line.difference:
                continue
            kind = "recovery" if line.recovery else "arrears"
            out.append(Decision(recomputation.household, kind, digest,
                                {"due": line.due, "paid": line.paid, kind: line.recovery or line.arrears},
                                month.on, line.programme, None, f"month={line.month}"))
    return out


def _date(text: Any) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(text) if isinstance(text, str) else None

