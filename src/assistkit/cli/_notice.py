"""``assistkit notice``: the public notice (公示, §16) of a population, as CSV or HTML."""

from __future__ import annotations

import datetime as dt

import click

from ._batch import input_lines, population_options, progress_bar, time_limit_option
from ._common import engine_spec, fail, lang_option, out_option, policy_options, population_argument

__all__ = ["notice"]


@click.command("notice")
@population_argument()
@click.option("--format", "fmt", type=click.Choice(["csv", "html", "xlsx"]), default="csv", show_default=True,
              help="CSV, a standalone HTML page, or an Excel workbook (xlsx: openpyxl, the sheets extra).")
@click.option("--bom/--no-bom", default=True, show_default=True,
              help="Begin a CSV file with the UTF-8 byte-order mark, so that Excel on Chinese Windows reads it as "
                   "UTF-8 (files given with --out only).")
@out_option("Write the notice here (default stdout).")
@click.option("--communities", "communities_file", type=click.Path(exists=True, dir_okay=False), default=None,
              help="The declared community names (UTF-8, one per line): printed as written, any other as 其他 / "
                   "other. Without it, digits in a community are masked (a phone number typed there).")
@time_limit_option
@lang_option("Language of headers and status names.")
@population_options
@policy_options
def notice(
    population: str,
    on: dt.date,
    fmt: str,
    bom: bool,
    out_path: str | None,
    communities_file: str | None,
    time_limit: float,
    lang: str,
    workers: int,
    chunk_size: int,
    show_progress: bool | None,
    locality: str,
    policy_files: tuple[str, ...],
) -> None:
    """Write the public notice (§16) of the households of POPULATION (JSONL) that hold a status on --on.

    One row per household, grouped by community: community, the head's name masked (王**), household size,
    statuses and monthly amount — never id numbers, birth dates, health, disability or income. Every name
    shows at least one *; a community is printed only from --communities, or with its digits masked. Rejected
    lines are reported on stderr (never quoting a birth date or id number) and the command exits 1, as it does
    when a programme failed on a household (an error, or past --time-limit).
    """
    from ..errors import AssistkitError
    from ..population._pipeline import failures_line
    from ..population.notice import notice as run_notice
    from ..population.notice import render
    from ._output import check_outputs, write_text

    check_outputs([("--out", out_path)], [("POPULATION", population), ("--communities", communities_file),
                                          *(("--policy", p) for p in policy_files)])
    declared = None
    if communities_file is not None:
        try:
            with open(communities_file, encoding="utf-8-sig") as f:
                declared = frozenset(line.strip() for line in f if line.strip())
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"{communities_file}: cannot read the community names: {exc}")
    spec = engine_spec(locality, policy_files)
    with input_lines(population) as (source, total):
        try:
            with progress_bar(source, total, show_progress, "notice") as advance:
                result = run_notice(source, on, engine=spec, workers=workers, chunk_size=chunk_size, progress=advance,
                                    time_limit=time_limit or None)
        except AssistkitError as exc:
            fail(str(exc))
    if fmt == "xlsx":
        from ..sheets import notice_table
        from ._sheets import write_workbook_tables

        write_workbook_tables(out_path, [notice_table(result.rows, lang=lang, communities=declared)])
    else:
        text = render(result.rows, fmt, on=on, lang=lang, communities=declared)
        if out_path is None or out_path == "-":
            click.echo(text, nl=False)
        else:
            write_text(out_path, ("\ufeff" if bom and fmt == "csv" else "") + text, newline="")  # a BOM for Excel
    for error in result.errors:
        click.echo(error.decode("utf-8").rstrip("\n"), err=True)
    click.echo(
        f"notice: {len(result.rows)} households listed of {result.households - result.rejected} assessed; "
        f"{result.rejected} rejected",
        err=True,
    )
    if result.duplicates:
        click.echo(f"  id numbers held twice (重复救助 risk): {len(result.duplicates)}", err=True)
    failed = failures_line(result.failures)
    if failed:
        click.echo(failed, err=True)
    if result.rejected or result.failures:
        raise SystemExit(1)
