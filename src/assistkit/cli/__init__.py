"""The ``assistkit`` command line. Each command lives in its own private module and is registered here."""

from __future__ import annotations

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
from ._validate import validate

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="assistkit")
def main() -> None:
    """assistkit — social-assistance rules (社会救助) as code."""
    from ..engine import watch_interrupts

    watch_interrupts()  # only the user's Ctrl-C stops a run; a programme's own KeyboardInterrupt is its error


for _command in (assess, batch, cliff, compare, demo_population, donations, explain, issue_command, log, new_plugin,
                 notice, params, plugins, recompute, review, schema, serve, validate, verify_command):
    main.add_command(_command)
