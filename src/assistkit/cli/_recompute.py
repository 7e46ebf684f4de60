"""``assistkit recompute``: a range of months assessed as of each month, compared with what was paid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ._common import engine_from_options, fail, policy_options

__all__ = ["recompute"]


def _read_json(path: str) -> Any:
    from decimal import Decimal

    try:
        return json.loads(Path(path).read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, ValueError) as exc:
        fail(f"{path}: cannot read JSON: {exc}")


@click.command("recompute")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--from", "first", required=True, metavar="YYYY-MM", help="First month of the range.")
@click.option("--to", "last", required=True, metavar="YYYY-MM", help="Last month of the range (inclusive).")
@click.option("--payments", "payments_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="What was actually paid: a JSON list of payments (household-format.md's Payment); default: "
                   "the household's history.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the reasons.")
@click.option("--record", "record_location", default=None, metavar="LOG",
              help="Also record each month's recovery or arrears in this record (a SQLite file or a "
                   "postgresql:// URL; see `assistkit log`).")
@click.option("--recorder", default=None, help="Who records them (with --record).")
@click.option("--sign", "key_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Sign the recorded entries with this Ed25519 private key (with --record).")
@policy_options
def recompute(file: str, first: str, last: str, payments_file: str | None, fmt: str, lang: str,
              record_location: str | None, recorder: str | None, key_file: str | None, locality: str,
              policy_files: tuple[str, ...]) -> None:
    """Recompute each month of a range for the household in FILE (a household, or a spec example), as of the
    month's last day with the facts as known now, and compare with what was paid: arrears owed to the household
    and overpayments to recover, per month and programme, with totals and reasons."""
    from .. import io
    from ..errors import InvalidHousehold
    from ..recompute import RecomputeError, assess_months, parse_range
    from ._output import check_outputs

    check_outputs([("--record", record_location)], [("FILE", file), ("--payments", payments_file),
                                                    ("--sign", key_file), *(("--policy", p) for p in policy_files)])
    try:
        start, end = parse_range(first, last)
    except RecomputeError as exc:
        fail(str(exc))
    data = _read_json(file)
    if isinstance(data, dict) and isinstance(data.get("household"), dict):
        data = data["household"]
    paid = None
    try:
        household = io.structure_household(data)
        if payments_file is not None:
            given = _read_json(payments_file)
            if not isinstance(given, list):
                fail(f"{payments_file}: expected a JSON list of payments; got {type(given).__name__}")
            try:
                # The payments are read as a history, so each is checked as household-format.md says.
                paid = io.structure_household({**data, "history": given}).history
            except InvalidHousehold as exc:
                problems = [(p.path.replace("history", "payments", 1), p.reason) for p in exc.problems]
                raise InvalidHousehold(exc.household, problems) from None
        engine = engine_from_options(locality, policy_files)
        result = assess_months(engine, household, start, end, paid=paid)
    except RecomputeError as exc:
        fail(str(exc), 1)
    except InvalidHousehold as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        raise SystemExit(1) from None
    if fmt == "json":
        click.echo(result.to_json_text(indent=2, lang=lang))
    else:
        click.echo(result.explain(lang), nl=False)
    if record_location is not None:
        _record(result, record_location, recorder, key_file)


def _record(result: Any, location: str, recorder: str | None, key_file: str | None) -> None:
    from ..record import LogError, Signer, open_log, recovery_decisions

    if not recorder:
        fail("--record needs --recorder: who records the entries")
    try:
        signer = Signer.load(key_file) if key_file else None
        with open_log(location) as log:
            entries = log.append(recovery_decisions(result), recorder=recorder or "", signer=signer)
    except LogError as exc:
        fail(str(exc))
    if entries:
        click.echo(f"recorded {len(entries)} entries in {location}: {entries[0].seq} … {entries[-1].seq}, "
                   f"head {entries[-1].seq}:{entries[-1].hash}", err=True)
    else:
        click.echo(f"nothing to record in {location}: no difference", err=True)
