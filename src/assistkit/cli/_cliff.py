"""``assistkit cliff``: total monthly assistance as one member's wage varies — where earning more pays
less."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import click

from ._common import DATE, engine_from_options, fail, policy_options

__all__ = ["cliff"]


class _Money(click.ParamType):
    name = "YUAN"

    def convert(self, value: object, param: object, ctx: object) -> Decimal:
        from ..money import parse_money

        if isinstance(value, Decimal):
            return value
        try:
            return parse_money(str(value))
        except (TypeError, ValueError) as exc:
            self.fail(str(exc), param, ctx)  # type: ignore[arg-type]


@click.command("cliff")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--on",
    "on",
    type=DATE,
    default=None,
    help="Assessment date YYYY-MM-DD (default: the example file's `on`).",
)
@click.option("--member", required=True, help="The member whose monthly wage varies (e.g. P1).")
@click.option("--max-income", type=_Money(), required=True, help="Highest monthly wage (yuan).")
@click.option("--step", type=_Money(), default=Decimal("50"), show_default=True, help="Wage step (yuan).")
@click.option(
    "--png",
    "png",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also draw the chart to this PNG file (needs the `plot` extra: matplotlib).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of the table.")
@policy_options
def cliff(
    file: str,
    on: dt.date | None,
    member: str,
    max_income: Decimal,
    step: Decimal,
    png: str | None,
    as_json: bool,
    locality: str,
    policy_files: tuple[str, ...],
) -> None:
    """Trace total monthly assistance (and each programme's) of the household in FILE as --member's monthly
    wage goes from 0 to --max-income in --step steps.

    At each wage the member's wage records in the income window are replaced by one record covering the window
    at that monthly amount. Prints the table and the cliffs: the steps where assistance falls by more than the
    wage rises.
    """
    from .. import io
    from ..errors import AssistkitError, InvalidHousehold
    from ..population import cliff as trace
    from ..population import plot_cliff, require_matplotlib
    from ._output import check_outputs, output_file

    check_outputs([("--png", png)], [("FILE", file), *(("--policy", p) for p in policy_files)])
    if step <= 0:
        fail("--step must be > 0")
    if png is not None:
        try:
            require_matplotlib()
        except AssistkitError as exc:
            fail(str(exc))
    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, ValueError) as exc:
        fail(f"{file}: cannot read JSON: {exc}")
    if isinstance(data, dict) and isinstance(data.get("household"), dict):
        if on is None and isinstance(data.get("on"), str):
            on = dt.date.fromisoformat(data["on"])
        data = data["household"]
    if on is None:
        fail("give --on (the file is not an example with its own date)")
        return
    engine = engine_from_options(locality, policy_files)
    try:
        household = io.structure_household(data)
        result = trace(engine, household, on, member, max_income, step)
    except InvalidHousehold as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        raise SystemExit(1) from None
    except AssistkitError as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(result.table(), nl=False)
    if png is not None:
        with output_file(png) as stream:
            plot_cliff(result, stream)
