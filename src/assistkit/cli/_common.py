"""Options and helpers shared by several commands."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
from collections.abc import Callable
from typing import Any

import click

from ..errors import AssistkitError
from ..periods import parse_date

__all__ = [
    "DATE",
    "engine_from_options",
    "engine_spec",
    "fail",
    "limit_options",
    "lang_option",
    "out_option",
    "policy_options",
    "population_argument",
    "reasons_option",
    "summary_json_option",
    "write_json",
]

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class _DateType(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except ValueError as exc:
            self.fail(_date_problem(value) or str(exc), param, ctx)


def _date_problem(text: Any) -> str | None:
    """What is wrong with a text shaped ``YYYY-MM-DD`` that is no date: the month, or the day of that month."""
    if not isinstance(text, str) or len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    year, month, day = text[:4], text[5:7], text[8:]
    if not (year.isdigit() and month.isdigit() and day.isdigit()):
        return None
    if not 1 <= int(month) <= 12:
        return f"{text!r} is not a date: there is no month {int(month)} (months are 01 to 12)"
    last = calendar.monthrange(int(year), int(month))[1] if int(year) >= 1 else 31
    if not 1 <= int(day) <= last:
        return f"{text!r} is not a date: {year}-{month} has days 01 to {last:02d}"
    return None


DATE = _DateType()


_ALSO = "assistkit.also_localities"


def _keep_also(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> None:
    ctx.meta[_ALSO] = tuple(os.path.abspath(v) if v.endswith(".toml") else v for v in value)


def policy_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--locality X``, repeatable ``--policy FILE`` and repeatable ``--also LOCALITY``."""
    func = click.option("--also", "also_localities", multiple=True, expose_value=False, callback=_keep_also,
                        metavar="LOCALITY",
                        help="Another locality assessed in the same run (each household under its own "
                             "`locality`); repeat for several.")(func)
    func = click.option("--policy", "policy_files", multiple=True,
                        type=click.Path(exists=True, dir_okay=False),
                        help="Policy override file (TOML); repeat to apply several in order.")(func)
    func = click.option("--locality", default="demo-city", show_default=True,
                        help="Locality: a bundled one (demo-city, sample-district, national-core) or a locality "
                             "file (.toml that says `extends`).")(func)
    return func


def _also() -> tuple[str, ...]:
    ctx = click.get_current_context(silent=True)
    return tuple(ctx.meta.get(_ALSO, ())) if ctx is not None else ()


def population_argument(on_help: str = "Assessment date YYYY-MM-DD.") -> Decorator:
    """The ``POPULATION`` argument (JSON Lines; ``-`` for stdin) and the required ``--on`` date."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option("--on", "on", type=DATE, required=True, help=on_help)(func)
        return click.argument("population", type=click.Path(dir_okay=False, allow_dash=True))(func)

    return decorate


def limit_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--max-line-bytes``, ``--max-members``, ``--max-records``, ``--max-depth``: the reader's limits
    (:mod:`assistkit.io._limits`), set for this process and the workers it forks."""
    from ..io import _limits

    def setter(name: str) -> Callable[[Any, Any, int | None], None]:
        def set_limit(ctx: Any, param: Any, value: int | None) -> None:
            if value is not None:
                _limits.configure(**{name: value})
        return set_limit

    for option, name, what in reversed([
        ("--max-line-bytes", "max_line_bytes", "Bytes of one line"),
        ("--max-members", "max_members", "Members of one household"),
        ("--max-records", "max_records", "Records of one list of a household (incomes, assets, …)"),
        ("--max-depth", "max_depth", "Nesting of objects and lists in one line"),
    ]):
        default = getattr(_limits.LIMITS, name)
        func = click.option(option, type=click.IntRange(min=1), default=None, expose_value=False,
                            callback=setter(name),
                            help=f"{what}; a line beyond it is rejected unread (default {default:,}).")(func)
    return func


def out_option(help_text: str) -> Decorator:
    """``--out/-o FILE`` (``out_path``; ``-`` for stdout)."""
    return click.option("--out", "-o", "out_path", type=click.Path(dir_okay=False, allow_dash=True),
                        default=None, help=help_text)


def lang_option(help_text: str | None = "Language of the reasons' text.") -> Decorator:
    """``--lang zh|en`` (default zh)."""
    return click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                        help=help_text)


def reasons_option(default: str = "text", help_text: str | None = None) -> Decorator:
    """``--reasons text|data|none`` (how the output carries the reasons: docs/population.md)."""
    return click.option(
        "--reasons", type=click.Choice(["text", "data", "none"]), default=default, show_default=True,
        help=help_text or "How each determination carries its reasons: text (rendered in --lang, as "
        "output-format.md has it), data (rule, values and parameters cited, no text: `assistkit explain` renders "
        "them later, the same bytes) or none.")


def summary_json_option(help_text: str) -> Decorator:
    """``--summary-json FILE`` (``summary_file``)."""
    return click.option("--summary-json", "summary_file", type=click.Path(dir_okay=False), default=None,
                        help=help_text)


def write_json(path: str, data: Any) -> None:
    """Write ``data`` to ``path`` as indented UTF-8 JSON with a final newline."""
    from ._output import write_text

    write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def engine_spec(locality: str, policy_files: tuple[str, ...]) -> Any:
    """The :class:`~assistkit.population.EngineSpec` of ``--locality``/``--policy`` (absolute paths, so worker
    processes find the files)."""
    from ..population import EngineSpec

    if locality.endswith(".toml"):
        locality = os.path.abspath(locality)
    return EngineSpec(locality, tuple(os.path.abspath(p) for p in policy_files), _also())


def engine_from_options(locality: str, policy_files: tuple[str, ...]) -> Any:
    from ..engine import Engine

    try:
        engine = Engine(locality=locality, policy_files=policy_files, localities=_also())
    except AssistkitError as exc:
        fail(str(exc))
    for failure in engine.failures:
        click.echo(f"warning: {failure}", err=True)
    return engine


def fail(message: str, code: int = 2) -> None:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(code)
