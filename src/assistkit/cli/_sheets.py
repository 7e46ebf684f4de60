"""``assistkit import``, ``template`` and ``export``: households in spreadsheets, determinations out to them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from ._common import fail, lang_option

__all__ = ["bom_option", "export", "import_command", "template", "write_workbook_tables"]


def bom_option(func: Any) -> Any:
    """``--bom/--no-bom`` (default on): the UTF-8 byte-order mark at the start of a CSV file."""
    return click.option("--bom/--no-bom", default=True, show_default=True,
                        help="Begin each CSV file with the UTF-8 byte-order mark, so that Excel on Chinese Windows "
                             "reads it as UTF-8.")(func)


def write_workbook_tables(out_path: str | None, tables: Any) -> None:
    """Write ``tables`` (:class:`assistkit.sheets.Table`) as one workbook to ``out_path`` (stdout when
    ``None`` or ``-``), or fail saying how to install openpyxl."""
    from ..sheets import write_xlsx
    from ._output import output_file

    try:
        with output_file(out_path) as stream:
            write_xlsx(stream, tables)
    except ImportError as exc:
        fail(str(exc))


def _xlsx_or_csv(path: str, fmt: str | None) -> str:
    if fmt is not None:
        return fmt
    return "xlsx" if path.lower().endswith(".xlsx") else "csv"


@click.command("import")
@click.argument("source", type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--out", "-o", "out_path", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Write the households here (JSON Lines; default stdout).")
@click.option("--errors-json", "errors_path", type=click.Path(dir_okay=False), default=None,
              help="Also write every problem here, one JSON object a line: sheet, row, column, field, household, "
                   "message.")
def import_command(source: str, out_path: str | None, errors_path: str | None) -> None:
    """Read the households of SOURCE — a workbook (.xlsx) or a folder of CSV files (households.csv,
    members.csv …) in the layout `assistkit template` writes — and write them as JSON Lines.

    Every household is checked as `assistkit validate` checks it. Each problem is named by sheet, row and
    column as the spreadsheet shows them, and by household, on stderr; a household with a problem is left
    out, every other is written, and the command exits 1. CSV files may be UTF-8 (with or without a
    byte-order mark) or GB 18030 (what Excel on Chinese Windows saves as "CSV").
    """
    from ..sheets import read_sheets
    from ._output import check_outputs, output_file

    check_outputs([("--out", out_path), ("--errors-json", errors_path)], [("SOURCE", source)])
    try:
        result = read_sheets(source)
    except (ValueError, ImportError, OSError) as exc:
        fail(str(exc))
    with output_file(out_path, text=True) as out:
        for line in result.jsonl():
            out.write(line)
    if errors_path is not None:
        with output_file(errors_path, text=True) as out:
            for problem in result.problems:
                out.write(json.dumps(problem.to_json(), ensure_ascii=False) + "\n")
    for problem in result.problems:
        click.echo(str(problem), err=True)
    click.echo(f"import: {len(result.households)} households written, {result.rejected} rejected, "
               f"{len(result.problems)} problems", err=True)
    if result.problems:
        raise SystemExit(1)


def _loads(text: str) -> Any:
    from decimal import Decimal

    return json.loads(text, parse_float=Decimal)


def _households(path: str) -> list[dict[str, Any]]:
    """The households of a JSON Lines file, or of one JSON household or spec example, each checked strictly."""
    from ..errors import InvalidHousehold
    from ..io import structure_household

    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: cannot read it: {exc}")
    documents: list[tuple[int, Any]] = []
    try:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                documents.append((number, _loads(line)))
    except ValueError:
        try:
            data = _loads(text)  # one document over several lines: a household or a spec example
        except ValueError as exc:
            fail(f"{path}: neither JSON Lines nor one JSON document: {exc}")
        documents = [(1, data.get("household", data) if isinstance(data, dict) else data)]
    out = []
    for number, data in documents:
        try:
            structure_household(data)
        except InvalidHousehold as exc:
            fail(f"{path}, line {number}: {exc}")
        out.append(data)
    return out


@click.command("template")
@click.argument("out", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default=None,
              help="A workbook, or a folder of CSV files [default: xlsx when OUT ends in .xlsx, else csv].")
@click.option("--households", "households_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Fill it with these households (JSON Lines, or one household or spec example as JSON).")
@bom_option
def template(out: str, fmt: str | None, households_path: str | None, bom: bool) -> None:
    """Write the household template to OUT: a workbook (.xlsx) or a folder of CSV files, generated from the
    household schema.

    A readme sheet lists every column (meaning in Chinese and English, form, default, choices); each data sheet
    has the Chinese headers on row 1 and the keys on row 2, a note on every header, text-formatted columns for
    money and dates, and a drop-down list for every vocabulary. With --households the template holds those
    households, ready to edit and `assistkit import` back.
    """
    from ..sheets import write_csv_folder, write_workbook
    from ._output import output_file

    households = _households(households_path) if households_path else []
    kind = _xlsx_or_csv(out, fmt)
    try:
        if kind == "xlsx":
            with output_file(out) as stream:
                write_workbook(stream, households)
        else:
            if os.path.exists(out) and not os.path.isdir(out):
                fail(f"{out}: a CSV template is a folder; give a folder (or a name ending in .xlsx)")
            write_csv_folder(out, households, bom=bom)
    except ImportError as exc:
        fail(str(exc))
    click.echo(f"template: {len(households)} households written to {out} ({kind})", err=True)


@click.command("export")
@click.argument("determinations", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--out", "-o", "out_path", type=click.Path(), required=True,
              help="The workbook (.xlsx) or the folder of CSV files to write.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default=None,
              help="A workbook, or a folder of CSV files [default: xlsx when --out ends in .xlsx, else csv].")
@lang_option("Language of the headers and of the names of statuses, programmes and payments.")
@bom_option
def export(determinations: str, out_path: str, fmt: str | None, lang: str, bom: bool) -> None:
    """Turn DETERMINATIONS (the JSON Lines `batch` writes) into tables officials open in Excel or WPS.

    Four sheets (or CSV files): one row per household (statuses, per-capita income, totals, next review,
    warnings), per programme (eligible, amounts, reasons), per payment, and per rejected line. Money is a
    number formatted 0.00 in a workbook, the determination's text in CSV. The reasons keep the language
    batch wrote them in (batch --lang).
    """
    import sys

    from ..sheets import determination_tables, write_csv, write_xlsx
    from ._output import check_outputs, output_file

    check_outputs([("--out", out_path)], [("DETERMINATIONS", determinations)])
    try:
        if determinations == "-":
            tables = determination_tables(sys.stdin.buffer, lang=lang)
        else:
            with open(determinations, "rb") as source:
                tables = determination_tables(source, lang=lang)
    except (ValueError, OSError) as exc:
        fail(f"{determinations}: {exc}")
    kind = _xlsx_or_csv(out_path, fmt)
    try:
        if kind == "xlsx":
            with output_file(out_path) as stream:
                write_xlsx(stream, tables)
        else:
            if os.path.exists(out_path) and not os.path.isdir(out_path):
                fail(f"{out_path}: CSV export is a folder (one file per table); give a folder or a .xlsx name")
            os.makedirs(out_path, exist_ok=True)
            for table in tables:
                with output_file(os.path.join(out_path, f"{table.name}.csv"), text=True, newline="") as stream:
                    write_csv(stream, table, bom=bom)
    except ImportError as exc:
        fail(str(exc))
    counts = ", ".join(f"{t.name} {len(t.rows)}" for t in tables)
    click.echo(f"export: {counts} → {out_path}", err=True)
