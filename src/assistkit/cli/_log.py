"""``assistkit log``: the tamper-evident record of decisions and payments (record, verify, export, import)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from ._common import DATE, engine_from_options, fail, policy_options

__all__ = ["log"]

_LOCATION = click.argument("location", metavar="LOG")
_KEYS = click.option("--key", "keys", multiple=True, metavar="PUBLIC_KEY",
                     help="A department's Ed25519 public key (64 hex digits) whose signatures are checked; "
                          "repeat for several.")
_REQUIRE = click.option("--require-signatures", is_flag=True,
                        help="Every entry must be signed with one of the --key keys.")


def _open(location: str) -> Any:
    from ..record import LogError, open_log

    try:
        return open_log(location)
    except LogError as exc:
        fail(str(exc))


def _keys(texts: tuple[str, ...]) -> dict[str, Any]:
    from ..record import LogError, key_id, load_public_key

    out = {}
    for text in texts:
        try:
            load_public_key(text)
        except LogError as exc:
            fail(str(exc))
        out[key_id(bytes.fromhex(text.strip()))] = text.strip()
    return out


def _is_household(item: Any) -> bool:
    return isinstance(item, dict) and ("members" in item or isinstance(item.get("household"), dict))


def _assessed(item: dict[str, Any], on: dt.date | None, locality: str, policy_files: tuple[str, ...]) -> Any:
    """The determination's JSON of a household or spec example."""
    from .. import io
    from ..errors import InvalidHousehold

    if isinstance(item.get("household"), dict):
        if on is None and isinstance(item.get("on"), str):
            on = dt.date.fromisoformat(item["on"])
        item = item["household"]
    if on is None:
        fail("a household to assess needs --on DATE")
    try:
        household = io.structure_household(item)
        determination = engine_from_options(locality, policy_files).assess(household, on)
    except InvalidHousehold as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        raise SystemExit(1) from None
    return json.loads(determination.to_json_text())


@click.group("log")
def log() -> None:
    """The record of decisions and payments (决策与支付记录): append-only, hash-chained, optionally signed.
    LOG is a SQLite file (created if missing), a postgresql:// URL, or, for verify, an export (.jsonl)."""


@log.command("record")
@_LOCATION
@click.argument("determination", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--recorder", required=True, help="Who records the entries: the department or official.")
@click.option("--sign", "key_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Sign each entry with this Ed25519 private key (PEM, from `assistkit log keygen`).")
@click.option("--on", "on", type=DATE, default=None,
              help="For a household: the assessment date (default: a spec example's `on`).")
@policy_options
def record_command(location: str, determination: str, recorder: str, key_file: str | None, on: dt.date | None,
                   locality: str, policy_files: tuple[str, ...]) -> None:
    """Record what DETERMINATION decides (the JSON that `assistkit assess --format json` writes; JSON Lines for
    several): its §15.2 actions and one-off payments, under the determination's digest. DETERMINATION may also
    be a household or a spec example, assessed first (--on, --locality, --policy). Prints each entry."""
    from ..record import LogError, Signer, decisions_of

    stream = sys.stdin if determination == "-" else open(determination, encoding="utf-8")  # noqa: SIM115
    with stream:
        text = stream.read()
    try:
        data = json.loads(text)
        items = data if isinstance(data, list) else [data]
    except ValueError:
        try:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError as exc:
            fail(f"{determination}: cannot read a determination (JSON or JSON Lines): {exc}")
    items = [_assessed(item, on, locality, policy_files) if _is_household(item) else item for item in items]
    try:
        decisions = [d for item in items for d in decisions_of(item)]
        signer = Signer.load(key_file) if key_file else None
    except (KeyError, TypeError, ValueError) as exc:
        fail(f"{determination}: not a determination as `assistkit assess --format json` writes it: {exc}")
    with _open(location) as store:
        try:
            entries = store.append(decisions, recorder=recorder, signer=signer)
        except LogError as exc:
            fail(str(exc))
    for e in entries:
        amounts = " ".join(f"{k}={v}" for k, v in e.amounts.items())
        click.echo(f"{e.seq} {e.household} {e.programme or '-'} {e.member or '-'} {e.decision} {amounts}")
    if entries:
        click.echo(f"head {entries[-1].seq}:{entries[-1].hash}")


@log.command("verify")
@_LOCATION
@_KEYS
@_REQUIRE
@click.option("--head", "head", default=None, metavar="SEQ:HASH",
              help="A head seen before (`log verify` prints it): the record must still hold that entry, unchanged.")
def verify_command(location: str, keys: tuple[str, ...], require_signatures: bool, head: str | None) -> None:
    """Check every entry of LOG in order — its place, its link to the entry before, its hash, its signature —
    and name the first broken one. Exits 1 if the record is broken."""
    from ..record import verify_export

    expected = None
    if head is not None:
        seq, _, digest = head.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            fail(f"--head: expected SEQ:HASH (an entry number and its 64-digit hash); got {head!r}")
        expected = (int(seq), digest)
    options: dict[str, Any] = {"keys": _keys(keys), "require_signatures": require_signatures,
                               "expected_head": expected}
    if location.endswith(".jsonl") or location == "-":
        if location != "-" and not Path(location).is_file():
            fail(f"{location}: no such export")
        result = verify_export("/dev/stdin" if location == "-" else location, **options)
    else:
        if "://" not in location and not Path(location).is_file():
            fail(f"{location}: no such record")
        with _open(location) as store:
            result = store.verify(**options)
    click.echo(result.text())
    if not result.ok:
        raise SystemExit(1)


@log.command("export")
@_LOCATION
@click.option("--out", "-o", "out_path", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="Where to write the entries (JSON Lines).")
@click.option("--from", "first", type=click.IntRange(min=1), default=1, show_default=True,
              help="The first entry to export (a department that holds the earlier ones).")
def export_command(location: str, out_path: str, first: int) -> None:
    """Write the entries of LOG as JSON Lines, each exactly as stored, for another department to verify
    (`log verify FILE.jsonl`) or import (`log import`)."""
    from ._output import check_outputs, output_file

    check_outputs([("--out", out_path)], [("LOG", location)])
    if "://" not in location and not Path(location).is_file():
        fail(f"{location}: no such record")
    with _open(location) as store:
        if out_path == "-":
            count = store.export(sys.stdout, first)
        else:
            with output_file(out_path, text=True) as out:
                count = store.export(out, first)
    click.echo(f"exported {count} entries", err=True)


@log.command("import")
@_LOCATION
@click.argument("export_file", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@_KEYS
@_REQUIRE
def import_command(location: str, export_file: str, keys: tuple[str, ...], require_signatures: bool) -> None:
    """Take another copy of the record (an export of it, whole or from some entry on) into LOG: every entry is
    verified; those LOG holds must be identical (else the copies have forked); the new ones are appended as they
    are. All or nothing; a broken or forked entry is named and nothing is imported (exit 1)."""
    from ..record import LogError

    with _open(location) as store, open(export_file, "rb") as f:
        try:
            new = store.import_lines(f, keys=_keys(keys), require_signatures=require_signatures)
        except LogError as exc:
            click.echo(f"error: {exc}", err=True)
            raise SystemExit(1) from None
        seq, digest = store.head()
    click.echo(f"imported {new} new entries\nhead {seq}:{digest}")


@log.command("show")
@_LOCATION
@click.option("--household", default=None, help="Only this household's entries.")
@click.option("--decision", "decisions", multiple=True, metavar="KIND",
              help="Only these decisions (enrol, adjust, exit, keep, one_off, payment, recovery, arrears, "
                   "opening, allocation); repeat for several.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
def show_command(location: str, household: str | None, decisions: tuple[str, ...], fmt: str) -> None:
    """List the entries of LOG (all, or a household's, or some decisions) with, for a table, the sum of each
    amount by decision and programme — what a finance office reconciles. It does not verify: `log verify` does."""
    from decimal import Decimal

    from ..record import DECISIONS

    unknown = [d for d in decisions if d not in DECISIONS]
    if unknown:
        fail(f"--decision {unknown[0]!r}: expected one of {', '.join(DECISIONS)}")
    if "://" not in location and not Path(location).is_file():
        fail(f"{location}: no such record")
    totals: dict[tuple[str, str, str], Decimal] = {}
    with _open(location) as store:
        try:
            for e in store.entries():
                if (household is not None and e.household != household) or (decisions and
                                                                             e.decision not in decisions):
                    continue
                if fmt == "jsonl":
                    click.echo(e.line())
                    continue
                amounts = " ".join(f"{k}={v}" for k, v in e.amounts.items()) or "-"
                click.echo(f"{e.seq:>7} {e.recorded_at[:19]} {e.household} {e.on or '-'} {e.programme or '-'} "
                           f"{e.member or '-'} {e.decision} {amounts} [{e.recorder}] {e.note}".rstrip())
                for k, v in e.amounts.items():
                    key = (e.decision, e.programme or "-", k)
                    totals[key] = totals.get(key, Decimal(0)) + Decimal(v)
        except ValueError as exc:
            fail(f"{location}: a damaged entry ({exc}); run `assistkit log verify {location}`")
    if fmt == "table":
        for (decision, programme, name), amount in sorted(totals.items()):
            click.echo(f"total {decision} {programme} {name}: {amount}")


@log.command("keygen")
@click.argument("key_file", type=click.Path(dir_okay=False))
def keygen_command(key_file: str) -> None:
    """Write a new Ed25519 private key to KEY_FILE (PEM, readable by its owner only) and print its public key,
    which the departments that verify this one's entries are given."""
    from ..record import LogError, generate_key

    if Path(key_file).exists():
        fail(f"{key_file} exists; a key is never overwritten")
    try:
        signer = generate_key(key_file)
    except LogError as exc:
        fail(str(exc))
    click.echo(f"key id {signer.key_id}")
    click.echo(f"public key {signer.public_key}")
