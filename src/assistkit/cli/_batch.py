"""``assistkit batch``: assess a whole population (JSONL) in worker processes; determinations in input
order."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any

import click

from ..population import DEFAULT_TIME_LIMIT
from ._common import (
    engine_spec,
    fail,
    lang_option,
    limit_options,
    out_option,
    policy_options,
    population_argument,
    reasons_option,
    summary_json_option,
    write_json,
)

__all__ = ["batch", "input_lines", "output_stream", "population_options", "progress_bar", "time_limit_option"]


def time_limit_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--time-limit SECONDS``, for every command that assesses households (plugin code under supervision)."""
    return click.option(
        "--time-limit",
        type=click.FloatRange(min=0),
        default=DEFAULT_TIME_LIMIT,
        show_default=True,
        help="Seconds one household may take; a programme that runs past it is an error of that programme on "
        "that household (0: no limit).",
    )(func)


def population_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--workers``, ``--chunk-size`` and ``--progress/--no-progress``, shared by the population commands."""
    from ..population import DEFAULT_CHUNK_SIZE

    func = click.option(
        "--progress/--no-progress",
        "show_progress",
        default=None,
        help="Progress bar with rate and ETA on stderr (default: only when stderr is a terminal).",
    )(func)
    func = click.option(
        "--chunk-size",
        type=click.IntRange(min=1),
        default=DEFAULT_CHUNK_SIZE,
        show_default=True,
        help="Lines sent to a worker at a time.",
    )(func)
    func = click.option(
        "--workers",
        "-j",
        type=click.IntRange(min=1),
        default=1,
        show_default=True,
        help="Worker processes (the output is the same for any number).",
    )(func)
    return func


@contextlib.contextmanager
def input_lines(path: str) -> Iterator[tuple[Any, int | None]]:
    """The raw lines of ``path`` (``-`` for stdin) as an iterable that counts bytes read, and the size if
    known."""
    from ..population import CountingLines

    if path == "-":
        yield CountingLines(sys.stdin.buffer), None
        return
    try:
        file = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}")
    with file:
        problem = _not_json_lines(file.read(_PEEK))
        if problem:
            fail(f"{path}: {problem}")
        file.seek(0)
        yield CountingLines(file), os.fstat(file.fileno()).st_size


_PEEK = 1 << 16


def _not_json_lines(head: bytes) -> str | None:
    """Why a file that begins with ``head`` is one JSON document rather than JSON Lines, or ``None``."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"["):
        kind, convert = "a JSON list", "jq -c '.[]' FILE > population.jsonl"
    elif text.startswith(b"{"):
        first = text.split(b"\n", 1)[0].strip()
        try:
            json.loads(first)
            return None  # a whole object on its first line: JSON Lines
        except RecursionError:
            return None  # nested too deep to look at: the reader's limits report it on its line
        except ValueError:
            if b"\n" not in text and len(head) >= _PEEK:
                return None  # one very long first line: let the reader judge it
        kind, convert = "a JSON object spread over several lines", "jq -c . FILE > population.jsonl"
    else:
        return None
    return (f"this is {kind}, not JSON Lines (one household object per line); write one household per line, "
            f"e.g. `{convert}` (`assistkit validate` and `assess` read a single JSON document)")


@contextlib.contextmanager
def output_stream(path: str | None, **options: Any) -> Iterator[IO[bytes]]:
    """A binary stream writing to ``path`` (stdout when ``None`` or ``-``): a temporary file renamed into place
    only when everything is written (:func:`assistkit.cli._output.output_file`, whose ``options`` it takes)."""
    from ._output import output_file

    with output_file(path, **options) as stream:
        yield stream


def _run_description(population: str, on: dt.date, lang: str, locality: str,
                     policy_files: tuple[str, ...], reasons: str = "text") -> dict[str, Any]:
    """What makes a batch's bytes: kept beside its partial output (``.OUT.partial.run``) so that ``--resume``
    continues only the same run."""
    out: dict[str, Any] = {"on": on.isoformat(), "lang": lang, "locality": locality,
                           "policies": [os.path.abspath(p) for p in policy_files]}
    if reasons != "text":  # (a run of before --reasons wrote text: its record has no key)
        out["reasons"] = reasons
    if population != "-":
        st = os.stat(population)
        out["population"] = {"path": os.path.abspath(population), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    return out


def _same_run(partial: str, run: dict[str, Any]) -> None:
    try:
        with open(partial + ".run", encoding="utf-8") as f:
            before = json.load(f)
    except (OSError, ValueError):
        fail(f"{partial}: no record of the run that wrote it ({partial}.run): run again without --resume")
        return
    for key in sorted(set(before) | set(run)):
        if before.get(key) != run.get(key):
            fail(f"{partial}: written by a run with another {key} ({before.get(key)!r}, now {run.get(key)!r}): "
                 "it is not this run's output; run again without --resume")


@contextlib.contextmanager
def progress_bar(
    source: Any, total: int | None, show: bool | None, what: str
) -> Iterator[Callable[[int], None]]:
    """A callback advancing a rich progress bar on stderr (bytes read, households done, rate, ETA); a no-op
    unless ``show`` (default: stderr is a terminal)."""
    if show is None:
        show = sys.stderr.isatty()
    if not show:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns: list[Any] = [TextColumn("[bold]{task.description}")]
    if total:
        columns += [BarColumn(), TaskProgressColumn()]
    columns += [TextColumn("{task.fields[done]} households · {task.fields[rate]}/s"), TimeElapsedColumn()]
    if total:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]
    with Progress(*columns, console=Console(file=sys.stderr), transient=False) as progress:
        task = progress.add_task(what, total=total, done=0, rate="-")
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            elapsed = progress.tasks[0].elapsed or 0.0
            rate = f"{done / elapsed:,.0f}" if elapsed > 0 else "-"
            progress.update(task, completed=source.bytes if total else done, done=f"{done:,}", rate=rate)

        yield advance


@click.command("batch")
@population_argument()
@out_option("Write the determinations here (JSONL; default stdout).")
@click.option(
    "--funds",
    "funds_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Donation funds (JSON list): matched afterwards in input order, the sequential second pass (§13).",
)
@click.option(
    "--ledger",
    "ledger_path",
    default=None,
    help="With --funds: the fund ledger (SQLite file or sqlite:///path) whose balances are used and where "
    "each household's allocations are committed (§13.3).",
)
@click.option(
    "--duplicates",
    "duplicates_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write the id numbers held twice (重复救助 risk) to this file (JSONL).",
)
@summary_json_option("Also write the end summary to this file (JSON).")
@click.option(
    "--resume",
    is_flag=True,
    help="Continue a run that was killed: keep the complete lines of its partial output (.OUT.partial) and go "
    "on from the next input line; the same bytes as a run never interrupted.",
)
@time_limit_option
@lang_option()
@reasons_option()
@population_options
@policy_options
@limit_options
def batch(
    population: str,
    on: dt.date,
    out_path: str | None,
    funds_file: str | None,
    ledger_path: str | None,
    duplicates_file: str | None,
    summary_file: str | None,
    resume: bool,
    time_limit: float,
    lang: str,
    reasons: str,
    workers: int,
    chunk_size: int,
    show_progress: bool | None,
    locality: str,
    policy_files: tuple[str, ...],
) -> None:
    """Assess every household of POPULATION (JSON Lines; `-` for stdin) on --on.

    Writes one determination per line in input order (the same bytes for any --workers); a rejected line
    becomes an error object {"line", "household", "error", "errors"} in its place (§17) and the command exits
    1 after writing all the others — as it does when a plugin's programme failed on a household. A summary
    goes to stderr: households, rejected, statuses, totals by programme, the programmes that failed (plugin,
    how often, which households), and id numbers found in two households (重复救助 risk).

    --reasons data writes each reason's rule, values and cited parameters without text (a fraction of the
    work and of the bytes); `assistkit explain` renders them later, the same bytes as --reasons text.

    --out is written as .OUT.partial and renamed when complete; a killed run is continued with --resume.
    """
    from ..errors import AssistkitError, WorkerDied
    from ..population import batch as run_batch
    from ..population import engine_for, format_summary, resume_point
    from ._output import check_outputs, output_file, partial_path, run_lock, special_file

    check_outputs(
        [("--out", out_path), ("--duplicates", duplicates_file), ("--summary-json", summary_file)],
        [("POPULATION", population), ("--funds", funds_file), ("--ledger", ledger_path),
         *(("--policy", p) for p in policy_files)],
    )
    spec = engine_spec(locality, policy_files)
    funds = None
    if funds_file is not None:
        from .. import io

        try:
            funds = io.load_funds(funds_file)
            engine_for(spec).declared.check_funds(funds, funds_file)  # statuses the programmes declare
        except AssistkitError as exc:
            fail(str(exc))
    if ledger_path is not None and funds is None:
        fail("--ledger needs --funds")
    to_file = out_path is not None and out_path != "-"
    if resume and (not to_file or special_file(out_path)):
        fail("--resume needs --out FILE: the partial output of the killed run is where it continues")
    if resume and funds is not None:
        fail("--resume cannot continue a donation pass (its balances carry from the first household on): run "
             "again without --resume; the ledger keeps what was committed")
    with contextlib.ExitStack() as stack:
        stack.enter_context(run_lock(ledger_path, "the ledger"))
        ledger = None
        if ledger_path is not None:
            from ..population.ledger import open_ledger

            try:
                ledger = stack.enter_context(open_ledger(ledger_path))
            except AssistkitError as exc:
                fail(str(exc))
        source, total = stack.enter_context(input_lines(population))
        partial = (partial_path(out_path) if to_file and out_path is not None and not special_file(out_path)
                   else None)
        point = None
        run = _run_description(population, on, lang, locality, policy_files, reasons)
        if resume and partial is not None:
            if os.path.isfile(partial):
                _same_run(partial, run)
                try:
                    point = resume_point(partial, source.file, label=partial)
                except AssistkitError as exc:
                    fail(str(exc))
                if point is not None:
                    click.echo(f"batch: resuming at line {point.first_line} ({point.kept_bytes:,} bytes kept)",
                               err=True)
            else:
                click.echo(f"batch: no partial output {partial} to resume: starting at the first line", err=True)
        out = stack.enter_context(output_stream(out_path, partial=partial, append=point is not None))
        if partial is not None:
            with open(partial + ".run", "w", encoding="utf-8") as f:
                json.dump(run, f)
        try:
            with progress_bar(source, total, show_progress, "batch") as advance:
                result = run_batch(
                    source,
                    out,
                    on,
                    engine=spec,
                    workers=workers,
                    chunk_size=chunk_size,
                    lang=lang,
                    funds=funds,
                    ledger=ledger,
                    progress=advance,
                    time_limit=time_limit or None,
                    resume=point,
                    reasons=reasons,
                )
        except WorkerDied as exc:
            kept = f"; the complete lines are kept in {partial}: continue with --resume" if partial else ""
            fail(f"{exc}{kept}")
        except AssistkitError as exc:
            fail(str(exc))
    if partial is not None:
        with contextlib.suppress(OSError):
            os.unlink(partial + ".run")
    click.echo(format_summary(result), err=True, nl=False)
    if duplicates_file is not None:
        with output_file(duplicates_file, text=True) as f:
            for d in result.duplicates:
                f.write(json.dumps(d.to_json(), ensure_ascii=False) + "\n")
    if summary_file is not None:
        write_json(summary_file, result.to_json())
    if not result.ok:
        raise SystemExit(1)
