"""``assistkit schema``: the JSON Schemas of the data assistkit reads and writes, generated from the model."""

from __future__ import annotations

import json

import click

__all__ = ["schema"]

_MAKERS = ("household", "determination", "error")


@click.command("schema")
@click.argument("name", type=click.Choice(_MAKERS))
@click.option("--out", "-o", "out_path", type=click.Path(dir_okay=False), default=None,
              help="Write the schema to this file (default: stdout).")
@click.option("--core-only", is_flag=True,
              help="The household schema of household-format.md alone, without the installed plugins' payment "
                   "kinds, programmes and extension facts.")
def schema(name: str, out_path: str | None, core_only: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of a household, a determination, or a batch's error object.

    The household schema is generated from the model: every field with its type, vocabulary, default and
    meaning in English and Chinese (x-description-zh). Rules between fields are in the descriptions; `assistkit
    validate` checks them. Its open lists and its extension block (`ext`) are the core's and those the installed
    plugins declare.
    """
    from .. import schema as schemas

    if name == "household":
        from ..declared import CORE, Declared
        from ..engine import load_plugins

        declared = CORE if core_only else Declared(p for p, _info in load_plugins(None).programmes)
        made = schemas.household_schema(declared)
    else:
        made = {"determination": schemas.determination_schema, "error": schemas.error_schema}[name]()
    text = json.dumps(made, ensure_ascii=False, indent=2) + "\n"
    if out_path is None:
        click.echo(text, nl=False)
    else:
        from ._output import write_text

        write_text(out_path, text)
