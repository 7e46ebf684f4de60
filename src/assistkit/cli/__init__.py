"""The ``assistkit`` command line. Each command lives in its own private module and is registered here."""

from __future__ import annotations

import click

from .. import __version__
from ._assess import assess
from ._donations import donations
from ._params import params
from ._plugins import plugins
from ._validate import validate

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="assistkit")
def main() -> None:
    """assistkit — social-assistance rules (社会救助) as code."""


main.add_command(assess)
main.add_command(donations)
main.add_command(params)
main.add_command(plugins)
main.add_command(validate)
