"""``assistkit assess``: one household → its determination (JSON or explanation text)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from ._common import DATE, engine_from_options, fail, policy_options

__all__ = ["assess"]


@click.command("assess")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--on", "on", type=DATE, default=None,
              help="Assessment date YYYY-MM-DD (default: the example file's `on`, else today).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of reasons and explanation text.")
@click.option("--funds", "funds_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Donation funds (JSON list); matched at the end of the assessment (§13).")
@policy_options
def assess(file: str, on: dt.date | None, fmt: str, lang: str, funds_file: str | None, locality: str,
           policy_files: tuple[str, ...]) -> None:
    """Assess the household in FILE (a household object, or a spec example with `household` and `on`)."""
    from .. import io
    from ..errors import InvalidHousehold, PolicyError

    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"), parse_float=_decimal)
    except (OSError, ValueError) as exc:
        fail(f"{file}: cannot read JSON: {exc}")
    if isinstance(data, dict) and "household" in data and isinstance(data["household"], dict):
        if on is None and isinstance(data.get("on"), str):
            on = dt.date.fromisoformat(data["on"])
        data = data["household"]
    if on is None:
        on = dt.date.today()
    engine = engine_from_options(locality, policy_files)
    funds = None
    try:
        household = io.structure_household(data)
        if funds_file is not None:
            funds = io.load_funds(funds_file)
        determination = engine.assess(household, on, funds=funds)
    except InvalidHousehold as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        raise SystemExit(1) from None
    except PolicyError as exc:  # e.g. a parameter without a value on this date
        fail(str(exc))
    if fmt == "json":
        click.echo(determination.to_json_text(indent=2, lang=lang))
    else:
        click.echo(determination.explain(lang), nl=False)


def _decimal(text: str) -> object:
    from decimal import Decimal

    return Decimal(text)
