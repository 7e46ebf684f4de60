"""The tamper-evident record (issue 29): every test runs against SQLite and against a real PostgreSQL server that
the tests start from the system's PostgreSQL (initdb + pg_ctl in a temporary folder), skipped only where no server
can be started.

Must show: 100,000 entries verify; one byte flipped anywhere is found at that entry; a writer killed (SIGKILL)
at random points 20 times leaves a chain that verifies and loses no committed entry."""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import io
import itertools
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit.record import (
    GENESIS,
    Decision,
    LogError,
    PostgresLog,
    Signer,
    SqliteLog,
    decisions_of,
    determination_digest,
    generate_key,
    open_log,
    read_export,
    recovery_decisions,
    verify_rows,
)

ROOT = Path(__file__).resolve().parents[1]
DIGEST = "ab" * 32
ON = dt.date(2025, 7, 15)


def D(text: str) -> Decimal:
    return Decimal(text)


def decisions(n: int, start: int = 0) -> list[Decision]:
    kinds = ("enrol", "adjust", "payment", "one_off", "exit")
    return [Decision(f"H-{i:06d}", kinds[i % len(kinds)], DIGEST, {"amount": Decimal(i % 5000) + D("0.50")},
                     ON, "dibao", None, f"第{i}笔") for i in range(start, start + n)]


# -- a real PostgreSQL server ---------------------------------------------------------------------------------


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """A PostgreSQL server of our own, in a temporary folder, on a free port (and a Unix socket there); yields a
    libpq connection string to its ``postgres`` database. As root, the server runs as the ``postgres`` user
    (initdb refuses root)."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("no PostgreSQL server here (initdb, pg_ctl): install the postgresql package")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (extra `record`)")
    root = os.geteuid() == 0
    # As root the server runs as postgres, which must reach the folder: /tmp, whatever TMPDIR says.
    folder = tempfile.mkdtemp(prefix="assistkit-pg-", dir="/tmp" if root and os.path.isdir("/tmp") else None)
    run_as: list[str] = []
    if root:
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run the server")
        os.chown(folder, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(folder, "data"), _free_port()
    try:
        subprocess.run([*run_as, initdb, "-D", data, "-A", "trust", "-U", "assistkit", "--no-sync", "-E", "UTF8"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run([*run_as, pg_ctl, "-D", data, "-l", os.path.join(folder, "log"), "-w", "-t", "60", "-o",
                        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=on", "start"],
                       check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError) as exc:
        log = Path(folder, "log")
        shutil.rmtree(folder, ignore_errors=True)
        detail = getattr(exc, "stderr", b"") or b""
        pytest.skip(f"cannot start a PostgreSQL server: {exc} {detail.decode(errors='replace')} "
                    f"{log.read_text() if log.exists() else ''}")
    try:
        yield f"host={folder} port={port} user=assistkit dbname=postgres"
    finally:
        subprocess.run([*run_as, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


_databases = itertools.count()


@pytest.fixture(params=["sqlite", "postgres"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty record location: a SQLite file, or a new database on the test server."""
    if request.param == "sqlite":
        return str(tmp_path / "record.sqlite")
    base = request.getfixturevalue("postgres")
    import psycopg

    name = f"record_{os.getpid()}_{next(_databases)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return base.replace("dbname=postgres", f"dbname={name}")


def open_store(location: str) -> SqliteLog | PostgresLog:
    return PostgresLog(location) if location.startswith("host=") else SqliteLog(location)


@contextlib.contextmanager
def tamper(location: str) -> Iterator[object]:
    """A raw connection with the append-only triggers out of the way: what someone who rewrites the record
    directly in the database can do."""
    if location.startswith("host="):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute("ALTER TABLE record_entries DISABLE TRIGGER ALL")
            yield conn
            conn.execute("ALTER TABLE record_entries ENABLE TRIGGER ALL")
    else:
        conn = sqlite3.connect(location, isolation_level=None)
        conn.execute("DROP TRIGGER IF EXISTS record_entries_no_update")
        conn.execute("DROP TRIGGER IF EXISTS record_entries_no_delete")
        try:
            yield conn
        finally:
            conn.close()


def sql(location: str, text: str) -> str:
    return text.replace("?", "%s") if location.startswith("host=") else text


# -- the chain --------------------------------------------------------------------------------------------------


def test_30000_entries_verify(location: str) -> None:
    """Appends of several insert batches each, verified over several pages of the store (benchmarks/record.py
    times 100,000)."""
    with open_store(location) as log:
        for start in range(0, 30_000, 12_000):
            log.append(decisions(min(12_000, 30_000 - start), start), recorder="示范市民政局")
        result = log.verify()
        assert result.ok, result.text()
        assert (result.entries, log.head()) == (30_000, (30_000, result.head))
        last = list(log.entries(30_000))
        assert [(e.seq, e.household, e.amount("amount")) for e in last] == [(30_000, "H-029999", D("4999.50"))]


def test_entries_are_chained_and_hold_what_was_recorded(location: str) -> None:
    with open_store(location) as log:
        first = log.append(decisions(3), recorder="县民政局 张三")
        assert [e.seq for e in first] == [1, 2, 3]
        assert first[0].prev == GENESIS and first[1].prev == first[0].hash and first[2].prev == first[1].hash
        again = list(log.entries())
        assert again == first
        assert again[1].amounts == {"amount": "1.50"} and again[1].on == "2025-07-15"
        assert again[2].recorder == "县民政局 张三" and again[2].note == "第2笔"


def test_the_store_refuses_changes(location: str) -> None:
    with open_store(location) as log:
        log.append(decisions(2), recorder="r")
    if location.startswith("host="):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            for statement in ("UPDATE record_entries SET note = 'x'", "DELETE FROM record_entries",
                              "TRUNCATE record_entries"):
                with pytest.raises(psycopg.Error, match="append-only"):
                    conn.execute(statement)
    else:
        conn = sqlite3.connect(location)
        for statement in ("UPDATE record_entries SET note = 'x'", "DELETE FROM record_entries"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(statement)
        conn.close()


_COLUMNS = ("seq", "recorded_at", "household", "on_date", "programme", "member", "decision", "digest", "amounts",
            "recorder", "note", "prev", "key_id", "signature", "hash")


def test_one_byte_flipped_in_any_field_is_found_at_that_entry(location: str, tmp_path: Path) -> None:
    """For every stored field of entries spread over the record, one byte of its stored text flipped: the
    verification names exactly that entry."""
    signer = generate_key(tmp_path / "key.pem")
    with open_store(location) as log:
        log.append(decisions(30), recorder="示范市民政局", signer=signer)
    keys = {signer.key_id: signer.public_key}
    rng = random.Random(29)
    pg = location.startswith("host=")
    for column in _COLUMNS:
        seq = rng.randint(1, 30) if column != "seq" else rng.randint(1, 29)
        with tamper(location) as conn:
            (value,) = conn.execute(sql(location, f"SELECT {column} FROM record_entries WHERE seq = ?"),  # type: ignore[attr-defined]
                                    (seq,)).fetchone()
            if value is None:  # member: recorded as null, nothing to flip
                continue
            raw = bytearray(str(value).encode("utf-8"))
            at = rng.randrange(len(raw))
            if column == "seq":
                changed: object = seq ^ 64  # one bit of the stored integer: a place beyond the end
            else:
                raw[at] ^= 0x01 if pg else rng.randint(1, 255)  # PostgreSQL text must stay UTF-8 (x ^ 1 does)
                try:
                    changed = raw.decode("utf-8")
                except UnicodeDecodeError:
                    changed = bytes(raw)  # SQLite keeps the bytes as they are
            conn.execute(sql(location, f"UPDATE record_entries SET {column} = ? WHERE seq = ?"),  # type: ignore[attr-defined]
                         (changed, seq))
        with open_store(location) as log:
            result = log.verify(keys=keys)
        assert not result.ok and result.broken == seq, (column, seq, result.text())
        assert result.entries == seq - 1
        with tamper(location) as conn:  # put it back for the next field
            target = seq ^ 64 if column == "seq" else seq
            conn.execute(sql(location, f"UPDATE record_entries SET {column} = ? WHERE seq = ?"),  # type: ignore[attr-defined]
                         (value, target))
        with open_store(location) as log:
            assert log.verify(keys=keys).ok


def test_removed_or_inserted_entries_are_found(location: str) -> None:
    with open_store(location) as log:
        log.append(decisions(10), recorder="r")
        head = log.head()
    with tamper(location) as conn:
        conn.execute(sql(location, "DELETE FROM record_entries WHERE seq = ?"), (4,))  # type: ignore[attr-defined]
    with open_store(location) as log:
        result = log.verify()
    assert (result.ok, result.broken) == (False, 4)
    # Entries removed from the end leave a sound chain: the head given to another department finds it.
    with tamper(location) as conn:
        conn.execute(sql(location, "DELETE FROM record_entries WHERE seq >= ?"), (4,))  # type: ignore[attr-defined]
    with open_store(location) as log:
        assert log.verify().ok
        result = log.verify(expected_head=head)
    assert not result.ok and "removed from its end" in (result.problem or "")


# -- signatures -------------------------------------------------------------------------------------------------


def test_signatures(location: str, tmp_path: Path) -> None:
    county, township = generate_key(tmp_path / "county.pem"), generate_key(tmp_path / "township.pem")
    reloaded = Signer.load(tmp_path / "county.pem")
    assert (reloaded.key_id, reloaded.public_key) == (county.key_id, county.public_key)
    with open_store(location) as log:
        log.append(decisions(2), recorder="county", signer=reloaded)
        log.append(decisions(1, 2), recorder="township", signer=township)
        log.append(decisions(1, 3), recorder="clerk")
        keys = {county.key_id: county.public_key, township.key_id: township.public_key}
        result = log.verify(keys=keys)
        assert (result.ok, result.signed, result.verified) == (True, 3, 3)
        assert log.verify(keys={county.key_id: county.public_key}).verified == 2
        assert log.verify(keys=keys, require_signatures=True).broken == 4
        assert log.verify(keys={county.key_id: county.public_key}, require_signatures=True).broken == 3
        forged = {county.key_id: township.public_key}  # the county's id with another key: not its signature
        assert log.verify(keys=forged).broken == 1


# -- export and import ------------------------------------------------------------------------------------------


def test_export_import_and_cross_verification(location: str, tmp_path: Path) -> None:
    with open_store(location) as log:
        log.append(decisions(50), recorder="民政局")
        text = io.StringIO()
        assert log.export(text) == 50
        head = log.head()
    lines = text.getvalue().splitlines(keepends=True)
    assert verify_export_text(lines).ok
    # The other department: a copy from the whole export, then from a later part of it.
    other = SqliteLog(tmp_path / "other.sqlite")
    assert other.import_lines(lines[:20]) == 20
    assert other.import_lines(lines[10:]) == 30  # the overlap must be the same; only the new are appended
    assert other.import_lines(lines) == 0
    assert other.head() == head and other.verify(expected_head=head).ok
    # A copy that has forked (an entry the other holds was changed before the export) is refused whole.
    forged = json.loads(lines[5])
    forged["note"] = "改"
    with pytest.raises(LogError, match="entry 6"):
        other.import_lines([*lines[:5], json.dumps(forged, ensure_ascii=False, sort_keys=True,
                                                   separators=(",", ":")) + "\n"])
    # A part that starts after a gap is refused; so is a broken file, with nothing imported.
    third = SqliteLog(tmp_path / "third.sqlite")
    with pytest.raises(LogError, match="starts at entry 21"):
        third.import_lines(lines[20:])
    with pytest.raises(LogError, match="broken at entry 30"):
        third.import_lines([*lines[:29], lines[29].replace('"note":"第29笔"', '"note":"第28笔"'), *lines[30:]])
    assert third.head() == (0, GENESIS)
    other.close()
    third.close()


def verify_export_text(lines: list[str]) -> object:
    return verify_rows(read_export(lines))


def _export_bytes(n: int) -> tuple[bytes, list[int]]:
    folder = tempfile.mkdtemp()
    try:
        with SqliteLog(os.path.join(folder, "r.sqlite")) as store:
            store.append(decisions(n), recorder="示范市民政局")
            out = io.StringIO()
            store.export(out)
    finally:
        shutil.rmtree(folder)
    data = out.getvalue().encode("utf-8")
    starts = [0] + [i + 1 for i, b in enumerate(data) if b == 0x0A][:-1]
    return data, starts


_EXPORT, _LINE_STARTS = _export_bytes(6)


@settings(max_examples=300, deadline=None)
@given(position=st.integers(0, len(_EXPORT) - 1), mask=st.integers(1, 255))
def test_one_byte_flipped_anywhere_in_an_export_is_found_at_that_entry(position: int, mask: int) -> None:
    data = bytearray(_EXPORT)
    data[position] ^= mask
    line = max(i for i, start in enumerate(_LINE_STARTS, 1) if start <= position)
    result = verify_rows(read_export(bytes(data).splitlines(keepends=True)))
    assert not result.ok and result.broken == line, (position, mask, result)


# -- writers ----------------------------------------------------------------------------------------------------

_WRITER = textwrap.dedent("""
    import sys
    from decimal import Decimal
    from assistkit.record import Decision, PostgresLog, SqliteLog

    location = sys.argv[1]
    log = PostgresLog(location) if location.startswith("host=") else SqliteLog(location)
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
        batch = [Decision("W-%d-%d" % (int(sys.argv[2]), i), "payment", "cd" * 32, {"amount": Decimal("10.00")})
                 for _ in range(1 + i % 3)]
        for e in log.append(batch, recorder="writer"):
            print(e.seq, e.hash, flush=True)
        if len(sys.argv) > 3 and i >= int(sys.argv[3]):
            break
""")


def _writer(location: str, number: int, limit: int | None = None) -> subprocess.Popen[str]:
    args = [sys.executable, "-c", _WRITER, location, str(number)] + ([str(limit)] if limit else [])
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_writer_killed_at_random_points_loses_no_committed_entry(location: str) -> None:
    """20 times: a writer appending as fast as it can is killed with SIGKILL after a random time; every entry it
    reported committed is there, unchanged, and the chain verifies."""
    rng = random.Random(2029)
    committed: dict[int, str] = {}
    with open_store(location):
        pass  # the table exists before the first writer
    for round_ in range(20):
        writer = _writer(location, round_)
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read() if writer.stderr else ""
        time.sleep(rng.uniform(0.0, 0.15))
        writer.send_signal(signal.SIGKILL)
        out, _ = writer.communicate(timeout=60)
        assert writer.returncode == -signal.SIGKILL
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0].isdigit():  # a line cut by the kill is not a report
                committed[int(parts[0])] = parts[1]
        with open_store(location) as log:
            result = log.verify()
            assert result.ok, (round_, result.text())
            held = {e.seq: e.hash for e in log.entries()}
        assert all(held.get(seq) == h for seq, h in committed.items()), round_
    assert len(committed) > 20


def test_concurrent_writers(location: str) -> None:
    with open_store(location):
        pass
    writers = [_writer(location, n, limit=40) for n in range(4)]
    reported = 0
    for w in writers:
        out, err = w.communicate(timeout=300)
        assert w.returncode == 0, err
        reported += sum(1 for line in out.splitlines() if line != "ready")
    with open_store(location) as log:
        result = log.verify()
        assert result.ok and result.entries == reported == 4 * sum(1 + i % 3 for i in range(1, 41))


# -- what is recorded -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("decision", "problem"), [
    (Decision("H-1", "paid", DIGEST, {}), "decision must be one of"),
    (Decision("H-1", "payment", "x" * 64, {}), "digest must be a SHA-256"),
    (Decision("H-1", "payment", DIGEST, {"amount": 1.5}), "expected an amount of money as a Decimal"),  # type: ignore[dict-item]
    (Decision("H-1", "payment", DIGEST, {"amount": D("1.005")}), "more than two decimal places"),
    (Decision("", "payment", DIGEST, {}), "household must be a non-empty string"),
])
def test_bad_decisions_are_refused_and_nothing_is_recorded(tmp_path: Path, decision: Decision,
                                                           problem: str) -> None:
    with SqliteLog(tmp_path / "r.sqlite") as log:
        with pytest.raises(LogError, match=problem):
            log.append([*decisions(2), decision], recorder="r")
        with pytest.raises(LogError, match="recorder must name"):
            log.append(decisions(1), recorder=" ")
        assert log.head() == (0, GENESIS)


def test_a_determination_and_a_recomputation_are_recorded(tmp_path: Path) -> None:
    from assistkit.engine import Engine
    from assistkit.io import structure_household
    from assistkit.periods import Month
    from assistkit.recompute import assess_months

    example = json.loads((ROOT / "tests" / "examples" / "01-urban-dibao-wage.json").read_text(encoding="utf-8"))
    engine = Engine()
    determination = engine.assess(structure_household(example["household"]), ON)
    data = json.loads(determination.to_json_text())
    assert determination_digest(determination) == determination_digest(data)
    made = decisions_of(data)
    assert [(d.decision, d.programme, d.member, dict(d.amounts)) for d in made] == [
        ("enrol", "dibao", None, {"monthly": D("1823.00")}),
        ("one_off", "medical", "P1", {"amount": D("320.00")}),
        ("one_off", "medical", "P2", {"amount": D("320.00")}),
        ("one_off", "medical", "P3", {"amount": D("320.00")}),
    ]
    assert made[1].note == "kind=premium_subsidy"
    household = json.loads((ROOT / "docs" / "examples" / "late-report.json").read_text(encoding="utf-8"))
    result = assess_months(engine, structure_household(household), Month(2025, 3), Month(2025, 6))
    recoveries = recovery_decisions(result)
    assert [(d.note, d.amounts["recovery"]) for d in recoveries] == [
        ("month=2025-04", D("133.00")), ("month=2025-05", D("267.00")), ("month=2025-06", D("400.00"))]
    with open_log(tmp_path / "r.sqlite") as log:
        entries = log.append([*made, *recoveries], recorder="示范市民政局")
        assert sum(e.amount("recovery") for e in entries if e.decision == "recovery") == D("800.00")
        assert log.verify().ok


def test_open_log_by_location(tmp_path: Path) -> None:
    with open_log(f"sqlite:///{tmp_path}/a.sqlite") as log:
        assert isinstance(log, SqliteLog)
    with pytest.raises(LogError, match="no record store for 'mysql'"):
        open_log("mysql://x")


# -- the command line -------------------------------------------------------------------------------------------


def test_cli(tmp_path: Path) -> None:
    from assistkit.cli import main

    runner = CliRunner()
    key = tmp_path / "county.pem"
    made = runner.invoke(main, ["log", "keygen", str(key)])
    assert made.exit_code == 0, made.output
    public = made.output.split("public key ")[1].split()[0]
    assert runner.invoke(main, ["log", "keygen", str(key)]).exit_code == 2  # never overwritten
    determination = tmp_path / "d.json"
    assessed = runner.invoke(main, ["assess", str(ROOT / "tests" / "examples" / "01-urban-dibao-wage.json")])
    determination.write_text(assessed.output, encoding="utf-8")
    record = tmp_path / "record.sqlite"
    out = runner.invoke(main, ["log", "record", str(record), str(determination), "--recorder", "示范市民政局",
                               "--sign", str(key)])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[0] == "1 H-01 dibao - enrol monthly=1823.00"
    ok = runner.invoke(main, ["log", "verify", str(record), "--key", public, "--require-signatures"])
    assert ok.exit_code == 0 and "record verified: 4 entries" in ok.output and "4 signatures checked" in ok.output
    export = tmp_path / "record.jsonl"
    assert runner.invoke(main, ["log", "export", str(record), "-o", str(export)]).exit_code == 0
    assert runner.invoke(main, ["log", "verify", str(export), "--key", public]).exit_code == 0
    copy = tmp_path / "copy.sqlite"
    imported = runner.invoke(main, ["log", "import", str(copy), str(export), "--key", public])
    assert imported.exit_code == 0 and imported.output.startswith("imported 4 new entries\nhead 4:"), imported.output
    lines = export.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace('"amount":"320.00"', '"amount":"3200.00"')
    export.write_text("".join(lines), encoding="utf-8")
    broken = runner.invoke(main, ["log", "verify", str(export)])
    assert broken.exit_code == 1
    assert "record broken at entry 3: its contents do not match its hash" in broken.output
    refused = runner.invoke(main, ["log", "import", str(tmp_path / "new.sqlite"), str(export)])
    assert refused.exit_code == 1 and "broken at entry 3" in refused.output
    shown = runner.invoke(main, ["log", "show", str(record), "--household", "H-01", "--decision", "one_off"])
    assert shown.exit_code == 0 and shown.output.count(" one_off amount=320.00 [示范市民政局]") == 3, shown.output
    assert shown.output.splitlines()[-1] == "total one_off medical amount: 960.00"
    jsonl = runner.invoke(main, ["log", "show", str(record), "--format", "jsonl"])
    assert [json.loads(line)["seq"] for line in jsonl.output.splitlines()] == [1, 2, 3, 4]
    assert runner.invoke(main, ["log", "show", str(record), "--decision", "paid"]).exit_code == 2
    missing = runner.invoke(main, ["log", "verify", str(tmp_path / "nothing.sqlite")])
    assert missing.exit_code == 2 and "no such record" in missing.output


def test_a_donation_allocation_is_recorded_as_such() -> None:
    determination = {"household": "H-9", "on": "2025-07-15", "actions": [], "programmes": {"donations": {
        "payments": [{"kind": "allocation", "member": None, "need": "E1", "amount": "1400.00", "approval": None,
                      "advance": None, "fund": "F-MED"}]}}}
    (made,) = decisions_of(determination)
    assert (made.decision, made.programme, made.note, dict(made.amounts)) == (
        "allocation", "donations", "kind=allocation need=E1 fund=F-MED", {"amount": D("1400.00")})
    assert made.digest == determination_digest(determination)


def test_one_byte_flipped_in_the_sqlite_file_is_found_at_that_entry(tmp_path: Path) -> None:
    """The record's file edited directly (a hex editor, no SQL): a byte flipped inside an entry's household, note
    or amounts, where the file stores them, is found at that entry."""
    path = tmp_path / "record.sqlite"
    with SqliteLog(path) as log:
        entries = log.append(decisions(40), recorder="示范市民政局")
    pristine = path.read_bytes()
    rng = random.Random(11)
    for _ in range(30):
        entry = rng.choice(entries)
        text = rng.choice([entry.household, entry.note, json.dumps(dict(entry.amounts), separators=(",", ":"))])
        raw = text.encode("utf-8")
        assert pristine.count(raw) == 1, text  # each of these is stored once, in its entry's row
        data = bytearray(pristine)
        data[pristine.index(raw) + rng.randrange(len(raw))] ^= rng.randint(1, 255)
        path.write_bytes(bytes(data))
        with SqliteLog(path) as log:
            result = log.verify()
        assert not result.ok and result.broken == entry.seq, (text, result.text())
    path.write_bytes(pristine)
    with SqliteLog(path) as log:
        assert log.verify().ok
