"""``assistkit assess``: one household → its determination (JSON or explanation text)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ._batch import time_limit_option
from ._common import DATE, engine_from_options, fail, policy_options

__all__ = ["assess"]


@click.command("assess")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--on", "on", type=DATE, default=None,
              help="Assessment date YYYY-MM-DD (default: the example file's `on`, else today).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of reasons and explanation text.")
@click.option("--codes", is_flag=True, default=False,
              help="With --format text: add the rule ids and parameter names (the trace a developer follows).")
@click.option("--funds", "funds_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Donation funds (JSON list); matched at the end of the assessment (§13).")
@time_limit_option
@policy_options
def assess(file: str, on: dt.date | None, fmt: str, lang: str, codes: bool, funds_file: str | None,
           time_limit: float, locality: str, policy_files: tuple[str, ...]) -> None:
    """Assess the household in FILE (a household object, or a spec example with `household` and `on`; `-` for
    stdin). FILE is read as `validate` reads it: UTF-8 with or without a byte-order mark, numbers as exact
    decimals, duplicate keys refused, a NaN or Infinity an error naming the household and the field.

    A programme that fails on the household (an error, or past --time-limit) is an error of that programme in
    the determination, as in `batch`: the determination is printed, the failure named on stderr, and the
    command exits 1.
    """
    from .. import io
    from ..engine import TimeLimitExceeded
    from ..errors import AssistkitError, InvalidHousehold
    from ..periods import parse_date
    from ..population._supervise import HouseholdTimer
    from ..warning import on_defaulted

    try:
        data = io.loads(sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes())
    except OSError as exc:
        fail(f"{file}: cannot read it: {exc.strerror or exc}")
    except ValueError as exc:
        fail(f"{file}: cannot read JSON: {exc}")
    if isinstance(data, dict) and "household" in data and isinstance(data["household"], dict):
        if on is None and isinstance(data.get("on"), str):
            try:
                on = parse_date(data["on"])
            except ValueError as exc:
                fail(f"{file}: on: {exc}")
        data = data["household"]
    defaulted = on is None
    if on is None:
        on = dt.date.today()
    engine = engine_from_options(locality, policy_files)
    funds = None
    timer = HouseholdTimer(time_limit or None)
    timer.start()
    try:
        household = io.structure_household(data)
        if funds_file is not None:
            funds = io.load_funds(funds_file)
        with timer:
            determination = engine.assess(household, on, funds=funds)
        if defaulted:  # the date is today's because nobody gave one: the output says so (warning.on_defaulted)
            determination = determination.with_warnings(on_defaulted(on))
    except InvalidHousehold as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        raise SystemExit(1) from None
    except AssistkitError as exc:  # e.g. a date before the policy's first values: the one error path, no traceback
        fail(str(exc))
    except TimeLimitExceeded as exc:  # past the limit outside any programme: nothing to print
        fail(f"household {household.id}: not assessed: {exc}")
    finally:
        timer.stop()
    if fmt == "json":
        click.echo(determination.to_json_text(indent=2, lang=lang))
    else:
        click.echo(determination.explain(lang, codes=codes), nl=False)
    failed = [e for e in determination.errors if e.cause is not None]
    for e in failed:
        click.echo(f"error: household {determination.household}: {e.message}", err=True)
    if failed:
        raise SystemExit(1)
