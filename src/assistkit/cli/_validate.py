"""``assistkit validate``: check households against household-format.md and report every problem (§17)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator

import click

from ._common import DATE, limit_options

__all__ = ["validate"]


@click.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--on", "on", type=DATE, default=None,
              help="Assessment date YYYY-MM-DD: also check that no birth, expense or event date is after it.")
@click.option("--core-only", is_flag=True,
              help="Check against household-format.md alone: no installed plugin's payment kinds, programmes, "
                   "statuses or extension facts.")
@limit_options
def validate(file: str, on: dt.date | None, core_only: bool) -> None:
    """Check the households in FILE: one JSON object (or a spec example), a JSON list, or JSON Lines (`-` for
    stdin).

    The format's open lists (payment programmes and kinds, enrolment programmes) and the extension block
    (`ext`) are checked against the core's and the installed plugins' declarations, as `assess` checks them.

    Prints each problem as `household H-9: members[1].birth_date: reason`, prefixed by `line N: ` for JSON
    Lines and `item N: ` for a list; a one-line summary goes to stderr. Exit status 1 if any household is
    invalid, else 0.
    """
    with _readable(file) as path:
        valid, invalid = _report(path, on, core_only)
    total = valid + invalid
    noun = "household" if total == 1 else "households"
    name = "stdin" if file == "-" else file
    click.echo(f"{name}: {total} {noun}, {valid} valid, {invalid} invalid", err=True)
    if not total:  # an empty input validates nothing: that is an error, not a success
        click.echo(f"error: {name} holds no household (an empty file, or only blank lines)", err=True)
        raise SystemExit(1)
    raise SystemExit(1 if invalid else 0)


@contextlib.contextmanager
def _readable(file: str) -> Iterator[str]:
    """The path of FILE; for ``-``, of a temporary copy of stdin (a file's format is told from its first lines
    before it is read, so stdin is kept to be read twice), removed afterwards."""
    if file != "-":
        yield file
        return
    with tempfile.NamedTemporaryFile(prefix="assistkit-stdin-", suffix=".json", delete=False) as copy:
        shutil.copyfileobj(sys.stdin.buffer, copy)
    try:
        yield copy.name
    finally:
        os.unlink(copy.name)


def _report(file: str, on: dt.date | None, core_only: bool) -> tuple[int, int]:
    """Print each problem of the households in ``file``; the numbers of valid and invalid households."""
    from .. import io
    from ..declared import CORE, Declared
    from ..engine import load_plugins
    from ..errors import InvalidHousehold

    declared = CORE if core_only else Declared(p for p, _info in load_plugins(None).programmes)

    kind = io.detect_format(file)
    prefix = {"jsonl": "line {}: ", "list": "item {}: "}.get(kind, "")
    valid = invalid = 0
    for record in io.read_households(file):
        if isinstance(record, io.Parsed):
            try:
                if on is not None:
                    io.check_dates(record.household, on)
                declared.check(record.household)
            except InvalidHousehold as exc:
                record = io.Rejected(record.line, exc.household, exc.problems)
        if isinstance(record, io.Rejected):
            invalid += 1
            lead = prefix.format(record.line)
            for line in record.lines():
                click.echo(lead + line)
        else:
            valid += 1
    return valid, invalid
