"""``assistkit review``: dynamic management (§15) over a population — actions and next review dates."""

from __future__ import annotations

import datetime as dt
import json
import os

import click

from ._batch import input_lines, output_stream, population_options, progress_bar
from ._common import DATE, fail, policy_options

__all__ = ["review"]


@click.command("review")
@click.argument("population", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--on", "on", type=DATE, required=True, help="Review date YYYY-MM-DD.")
@click.option(
    "--out",
    "-o",
    "out_path",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Write the review entries here (JSONL; default stdout).",
)
@click.option(
    "--summary-json",
    "summary_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the summary to this file (JSON).",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the reasons' text.",
)
@population_options
@policy_options
def review(
    population: str,
    on: dt.date,
    out_path: str | None,
    summary_file: str | None,
    lang: str,
    workers: int,
    chunk_size: int,
    show_progress: bool | None,
    locality: str,
    policy_files: tuple[str, ...],
) -> None:
    """List, for each household of POPULATION (JSONL), what dynamic management (§15) asks on --on.

    One JSON line per household with an action or a review date: for each recurring benefit (tekun, dibao,
    housing) the action — enrol (应保未保), exit (应退未退), adjust or keep (gradual exit keeps, §6.7) — with
    its reason, and the next review date (§15.1). Rejected lines become error objects (exit 1). Counts per
    action, review dates by month and id numbers held by two households go to stderr.
    """
    from ..errors import AssistkitError
    from ..population import EngineSpec
    from ..population import review as run_review

    spec = EngineSpec(locality, tuple(os.path.abspath(p) for p in policy_files))
    with input_lines(population) as (source, total), output_stream(out_path) as out:
        try:
            with progress_bar(source, total, show_progress, "review") as advance:
                result = run_review(
                    source,
                    out,
                    on,
                    engine=spec,
                    workers=workers,
                    chunk_size=chunk_size,
                    lang=lang,
                    progress=advance,
                )
        except AssistkitError as exc:
            fail(str(exc))
    click.echo(result.text(), err=True, nl=False)
    if summary_file is not None:
        with open(summary_file, "w", encoding="utf-8") as f:
            json.dump(result.to_json(), f, ensure_ascii=False, indent=2)
            f.write("\n")
    if not result.ok:
        raise SystemExit(1)
