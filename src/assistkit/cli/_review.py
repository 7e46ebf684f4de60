"""``assistkit review``: dynamic management (§15) over a population — actions and next review dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from ._batch import input_lines, output_stream, population_options, progress_bar, time_limit_option
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
@out_option("Write the review entries (or the worklist) here (default stdout).")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "xlsx"]), default="jsonl", show_default=True,
              help="JSON Lines, or a worklist officials open in Excel or WPS: one row per action, headers in --lang "
                   "(xlsx: openpyxl, the sheets extra).")
@click.option("--bom/--no-bom", default=True, show_default=True,
              help="Begin a CSV worklist with the UTF-8 byte-order mark, so that Excel on Chinese Windows reads "
                   "it as UTF-8.")
@summary_json_option("Also write the summary to this file (JSON).")
@time_limit_option
@lang_option()
@reasons_option()
@population_options
@policy_options
def review(
    population: str,
    on: dt.date,
    out_path: str | None,
    fmt: str,
    bom: bool,
    summary_file: str | None,
    time_limit: float,
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
    action, review dates by month and id numbers held by two households go to stderr. A programme that failed
    on a household (an error, or past --time-limit) is counted there too, and the command exits 1.
    """
    from ..population import review as run_review
    from ._output import check_outputs

    check_outputs([("--out", out_path), ("--summary-json", summary_file)],
                  [("POPULATION", population), *(("--policy", p) for p in policy_files)])
    if fmt != "jsonl" and reasons != "text":
        fail(f"--format {fmt} writes the reasons' text in the worklist: give --reasons text (the default), or "
             "--format jsonl for reasons as data")
    spec = engine_spec(locality, policy_files)
    if fmt != "jsonl":
        import tempfile

        with tempfile.TemporaryFile() as entries:
            with input_lines(population) as (source, total):
                result = _run(run_review, source, total, entries, on, spec, workers, chunk_size, lang,
                              show_progress, time_limit, reasons)
            entries.seek(0)
            _worklist(entries, out_path, fmt, lang, bom)
    else:
        with input_lines(population) as (source, total), output_stream(out_path) as out:
            result = _run(run_review, source, total, out, on, spec, workers, chunk_size, lang, show_progress,
                          time_limit, reasons)
    click.echo(result.text(), err=True, nl=False)
    if summary_file is not None:
        write_json(summary_file, result.to_json())
    if not result.ok:
        raise SystemExit(1)


def _run(run_review: Any, source: Any, total: int | None, out: Any, on: dt.date, spec: Any, workers: int,
         chunk_size: int, lang: str, show_progress: bool | None, time_limit: float, reasons: str) -> Any:
    from ..errors import AssistkitError

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
                time_limit=time_limit or None,
                reasons=reasons,
            )
    except AssistkitError as exc:
        fail(str(exc))
    return result


def _worklist(entries: Any, out_path: str | None, fmt: str, lang: str, bom: bool) -> None:
    """The review entries (JSON Lines in ``entries``) as a worklist table."""
    from ..sheets import review_table, write_csv
    from ._output import output_file
    from ._sheets import write_workbook_tables

    table = review_table(entries, lang=lang)
    if fmt == "xlsx":
        write_workbook_tables(out_path, [table])
        return
    with output_file(out_path, text=True, newline="") as stream:
        write_csv(stream, table, bom=bom and out_path not in (None, "-"))
