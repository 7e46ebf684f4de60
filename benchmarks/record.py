"""The record of decisions and payments (``assistkit.record``): append, verify, export and import throughput.

    .venv/bin/python benchmarks/record.py                            # 100000 entries, SQLite
    .venv/bin/python benchmarks/record.py -n 20000 --signed --postgres "host=/tmp/pg port=5432 dbname=x"

Appends ``-n`` entries in batches of ``--batch`` (one transaction each), then verifies the whole chain, exports
it as JSON Lines and imports the export into a fresh SQLite file (which verifies every entry again). With
``--signed`` every entry is signed (Ed25519) and the verification checks every signature. ``--postgres`` runs
the same against an empty PostgreSQL database as well (the ``record`` extra). Prints seconds and entries per
second for each step; wall-clock figures on a shared machine, a single run can be 30 % off either way.
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from decimal import Decimal

from _common import machine, print_table


def decisions(n: int) -> list:
    import datetime as dt

    from assistkit.record import Decision

    return [Decision(f"H-{i:07d}", "payment", "ab" * 32, {"amount": Decimal(i % 5000) + Decimal("0.50")},
                     dt.date(2025, 7, 15), "dibao", None, "") for i in range(n)]


def run(store: object, name: str, n: int, batch: int, signer: object, folder: str) -> list[list[str]]:
    from assistkit.record import SqliteLog

    rows = []
    todo = decisions(n)

    def step(what: str, work) -> None:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        work()
        spent = time.perf_counter() - start
        rows.append([name, what, f"{n}", f"{spent:.2f}", f"{n / spent:,.0f}" if spent else "-"])

    def append() -> None:
        for i in range(0, n, batch):
            store.append(todo[i:i + batch], recorder="bench", signer=signer)  # type: ignore[attr-defined]

    keys = {signer.key_id: signer.public_key} if signer is not None else None  # type: ignore[attr-defined]
    step("append", append)
    step("verify", lambda: assert_ok(store.verify(keys=keys)))  # type: ignore[attr-defined]
    out = io.StringIO()
    step("export", lambda: store.export(out))  # type: ignore[attr-defined]
    lines = out.getvalue().splitlines(keepends=True)
    copy = SqliteLog(os.path.join(folder, f"copy-{name}.sqlite"))
    step("import (into SQLite)", lambda: copy.import_lines(lines, keys=keys))
    copy.close()
    return rows


def assert_ok(result: object) -> None:
    assert result.ok, result.text()  # type: ignore[attr-defined]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=100_000, help="entries (default 100000)")
    parser.add_argument("--batch", type=int, default=10_000, help="entries per append (default 10000)")
    parser.add_argument("--signed", action="store_true", help="sign every entry (Ed25519)")
    parser.add_argument("--postgres", default=None, help="a libpq connection string to an empty database")
    args = parser.parse_args()
    from assistkit.record import PostgresLog, SqliteLog, generate_key

    print(machine())
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as folder:
        signer = generate_key(os.path.join(folder, "key.pem")) if args.signed else None
        with SqliteLog(os.path.join(folder, "record.sqlite")) as store:
            rows += run(store, "SQLite", args.n, args.batch, signer, folder)
        if args.postgres:
            with PostgresLog(args.postgres) as store:
                rows += run(store, "PostgreSQL", args.n, args.batch, signer, folder)
    print_table(["store", "step", "entries", "seconds", "entries/s"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
