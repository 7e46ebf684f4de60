"""The ``assistkit`` command line. Each command lives in its own private module and is registered here."""

from __future__ import annotations

import sys
from typing import Any

import click

from .. import __version__
from ._asof import issue_command, verify_command
from ._assess import assess
from ._batch import batch
from ._cliff import cliff
from ._compare import compare
from ._demo import demo_population
from ._donations import donations
from ._explain import explain
from ._log import log
from ._new_plugin import new_plugin
from ._notice import notice
from ._params import params
from ._plugins import plugins
from ._recompute import recompute
from ._review import review
from ._schema import schema
from ._serve import serve
from ._sheets import export, import_command, template
from ._validate import validate

__all__ = ["main"]


class _Main(click.Group):
    """The ``assistkit`` group. Called as a program (the console script, ``main()``), a command that assesses
    households runs in a child process watched by this one (:mod:`._supervise`); ``main.main(...)`` (click's
    test runner) runs it in this process."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from ._supervise import supervised

        given = args[0] if args else kwargs.get("args")
        words = list(given) if given is not None else sys.argv[1:]
        return supervised(lambda: self.main(*args, **kwargs), words[0] if words else None)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="assistkit")
def main() -> None:
    """assistkit — social-assistance rules (社会救助) as code."""
    from ..engine import watch_interrupts

    watch_interrupts()  # only the user's Ctrl-C stops a run; a programme's own KeyboardInterrupt is its error


for _command in (assess, batch, cliff, compare, demo_population, donations, explain, issue_command, log, new_plugin,
                 notice, params, plugins, recompute, review, schema, serve, validate, verify_command,
                 export, import_command, template):
    main.add_command(_command)
