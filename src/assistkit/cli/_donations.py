"""``assistkit donations``: match what remains of a population's needs with donation funds (§13); ledger."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from typing import IO, Any

import click

from ._common import DATE, engine_from_options, fail, policy_options

__all__ = ["donations"]


@click.group("donations")
def donations() -> None:
    """Social-force donations (社会力量参与, §13): the population matching pass and the fund ledger."""


@donations.command("match")
@click.argument("population", type=click.Path(exists=True, dir_okay=False))
@click.option("--funds", "funds_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="Donation funds: a JSON list (household-format.md, Fund).")
@click.option("--on", "on", required=True, type=DATE, help="Assessment date YYYY-MM-DD.")
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False), default=None,
              help="SQLite fund ledger (created if missing): balances are read from it and each household's "
                   "allocations are committed to it, one transaction per household.")
@click.option("--no-sync", "no_sync", is_flag=True,
              help="Do not wait for the disk after each ledger commit: several times faster, still atomic; "
                   "after a power failure the last commits may be missing, and re-running the same command "
                   "restores them.")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the updated determinations here, as JSON Lines in input order.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="How to print the per-fund summary.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of reason texts in --output.")
@policy_options
def match_command(population: str, funds_file: str, on: dt.date, ledger_path: str | None, no_sync: bool,
                  output: str | None, fmt: str, lang: str, locality: str,
                  policy_files: tuple[str, ...]) -> None:
    """Assess the households of POPULATION (JSON Lines) on --on, then match what remains of their needs with
    the funds, household by household in input order (§13.2), and print each fund's balance before,
    allocated, balance after and households served. Exits 1 if a household was rejected (after all others).

    With --ledger, a fund already in the ledger starts from its ledger balance (the funds file's balance opens
    a new fund), each household's allocations are committed as one transaction under "<household>:<on>", and
    a household already committed for that date keeps its committed allocations: running the command again,
    e.g. after a crash, ends with the balances of one clean run."""
    from .. import io
    from ..errors import AssistkitError, InvalidFunds
    from ..population.donations import match
    from ..population.ledger import open_ledger
    from ._output import check_outputs, output_file, run_lock

    check_outputs([("--output", output)], [("POPULATION", population), ("--funds", funds_file),
                                           ("--ledger", ledger_path), *(("--policy", p) for p in policy_files)])
    engine = engine_from_options(locality, policy_files)
    try:
        funds = io.load_funds(funds_file)
        engine.declared.check_funds(funds, funds_file)  # statuses the programmes declare
    except InvalidFunds as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        raise SystemExit(2) from None
    ledger = None
    stack = contextlib.ExitStack()
    stack.enter_context(run_lock(ledger_path, "the ledger"))
    out: IO[str] | None = None
    rejected = 0
    try:
        if ledger_path is not None:
            ledger = open_ledger(ledger_path, durable=not no_sync)
        if output is not None:
            out = stack.enter_context(output_file(output, text=True))
        first = engine.assess_many(io.read_jsonl(population), on)
        matching = match(first, funds, on, ledger=ledger, lang=lang)
        for item in matching:
            if isinstance(item, io.Rejected):
                rejected += 1
                for line in item.lines():
                    click.echo(f"{population}:{item.line}: {line}", err=True)
                if out is not None:
                    out.write(json.dumps(_error_object(item), ensure_ascii=False) + "\n")
            elif out is not None:
                out.write(item.to_json_text(lang=lang) + "\n")
        summary = matching.summary
    except AssistkitError as exc:
        fail(str(exc))
        return
    finally:
        stack.close()
        if ledger is not None:
            ledger.close()
    if fmt == "json":
        click.echo(json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_summary(summary)
    if rejected:
        click.echo(f"{rejected} household(s) rejected", err=True)
        raise SystemExit(1)


def _error_object(item: Any) -> dict[str, Any]:
    """output-format.md's error object, with every problem under ``errors`` and the input line."""
    problems = [{"path": p.path, "message": p.reason} for p in item.problems]
    return {"household": item.household, "line": item.line, "error": problems[0] if problems else None,
            "errors": problems}


def _print_summary(summary: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..money import ZERO, format_money

    table = Table(title=f"donations on {summary.on.isoformat()}")
    table.add_column("fund")
    table.add_column("name")
    for name in ("balance before", "allocated", "balance after", "households"):
        table.add_column(name, justify="right")
    for f in summary.funds:
        table.add_row(f.fund + ("" if f.valid else " (not valid)"), f.name, format_money(f.balance_before),
                      format_money(f.allocated), format_money(f.balance_after), str(f.households))
    before = sum((f.balance_before for f in summary.funds), ZERO)
    after = sum((f.balance_after for f in summary.funds), ZERO)
    table.add_row("total", "", format_money(before), format_money(summary.allocated), format_money(after),
                  str(summary.households), end_section=True)
    # A pipe or file gets a fixed width, so the table does not wrap at rich's default of 80 columns.
    console = Console() if sys.stdout.isatty() else Console(width=120)
    console.print(table)
    console.print(f"{summary.determinations} households matched, {summary.households} received donations")


@donations.command("statement")
@click.argument("ledger_path", metavar="LEDGER", type=click.Path(exists=True, dir_okay=False))
@click.option("--fund", "funds", multiple=True,
              help="Fund id (repeatable; default: every fund in the ledger).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def statement_command(ledger_path: str, funds: tuple[str, ...], fmt: str) -> None:
    """Print the statement of each fund in LEDGER: every entry in order with the running balance."""
    from ..errors import AssistkitError
    from ..money import format_money
    from ..population.ledger import open_ledger

    try:
        with open_ledger(ledger_path) as ledger:
            statements = [ledger.statement(f) for f in (funds or tuple(ledger.balances()))]
    except AssistkitError as exc:
        fail(str(exc))
        return
    if fmt == "json":
        click.echo(json.dumps([
            {"fund": s.fund, "name": s.name, "balance": format_money(s.balance), "entries": [
                {"seq": line.seq, "transaction": line.transaction, "kind": line.kind,
                 "household": line.household, "on": None if line.on is None else line.on.isoformat(),
                 "need": line.need,
                 "debit": format_money(line.debit), "credit": format_money(line.credit),
                 "balance": format_money(line.balance)}
                for line in s.lines]}
            for s in statements], ensure_ascii=False, indent=2))
        return
    for s in statements:
        click.echo(s.text())
