"""``assistkit review``: dynamic management (§15) over a population — actions and next review dates."""

from __future__ import annotations

import datetime as dt

import click

from ._batch import input_lines, output_stream, population_options, progress_bar
from ._common import (
    engine_spec,
    fail,
    lang_option,
    out_option,
    policy_options,
    population_argument,
    reasons_option,
    summary_json_option,
    write_json,
)

__all__ = ["review"]


@click.command("review")
@population_argument("Review date YYYY-MM-DD.")
@out_option("Write the review entries here (JSONL; default stdout).")
@summary_json_option("Also write the summary to this file (JSON).")
@lang_option()
@reasons_option()
@population_options
@policy_options
def review(
    population: str,
    on: dt.date,
    out_path: str | None,
    summary_file: str | None,
    lang: str,
    reasons: str,
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
    from ..population import review as run_review
    from ._output import check_outputs

    check_outputs([("--out", out_path), ("--summary-json", summary_file)],
                  [("POPULATION", population), *(("--policy", p) for p in policy_files)])
    spec = engine_spec(locality, policy_files)
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
                    reasons=reasons,
                )
        except AssistkitError as exc:
            fail(str(exc))
    click.echo(result.text(), err=True, nl=False)
    if summary_file is not None:
        write_json(summary_file, result.to_json())
    if not result.ok:
        raise SystemExit(1)
