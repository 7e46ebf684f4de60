"""Options and helpers shared by several commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import click

from ..errors import AssistkitError
from ..periods import parse_date

__all__ = ["DATE", "engine_from_options", "fail", "policy_options"]


class _DateType(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: Any, ctx: Any) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = _DateType()


def policy_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--locality X`` and repeatable ``--policy FILE``."""
    func = click.option("--policy", "policy_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
                        help="Policy override file (TOML); repeat to apply several in order.")(func)
    func = click.option("--locality", default="demo-city", show_default=True,
                        help="Bundled locality whose parameters are the base.")(func)
    return func


def engine_from_options(locality: str, policy_files: tuple[str, ...]) -> Any:
    from ..engine import Engine

    try:
        engine = Engine(locality=locality, policy_files=policy_files)
    except AssistkitError as exc:
        fail(str(exc))
    for failure in engine.failures:
        click.echo(f"warning: {failure}", err=True)
    return engine


def fail(message: str, code: int = 2) -> None:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(code)
