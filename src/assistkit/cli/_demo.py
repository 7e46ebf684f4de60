"""``assistkit demo-population``: a synthetic Demo City population (JSONL) for demos, docs and benchmarks."""

from __future__ import annotations

import datetime as dt
import io
import sys

import click

from ._common import DATE, out_option

__all__ = ["demo_population"]


@click.command("demo-population")
@click.argument("n", type=click.IntRange(min=0))
@click.option(
    "--seed", type=int, default=0, show_default=True, help="The same seed gives the same population."
)
@click.option(
    "--on",
    "on",
    type=DATE,
    default="2025-07-15",
    show_default=True,
    help="The assessment date the population is built around (income window, recent events).",
)
@out_option("Write here (default stdout).")
def demo_population(n: int, seed: int, on: dt.date, out_path: str | None) -> None:
    """Write N synthetic Demo City households as JSON Lines.

    Urban and rural households of 1–6 people with wages, casual days, farm land, pensions and excluded
    allowances around the standard; disabled and seriously ill members; old people without supporters;
    medical, tuition and emergency needs; enrolments (some stale), past payments, housing, schools, a few
    non-local households and valid id numbers. Every household is valid (household-format.md).
    """
    from ..dev.demo import write_population

    if out_path is None or out_path == "-":
        sys.stdout.flush()
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        write_population(stream, n, seed=seed, on=on)
        stream.flush()
        stream.detach()
        return
    from ._output import output_file

    with output_file(out_path, text=True) as f:
        write_population(f, n, seed=seed, on=on)
