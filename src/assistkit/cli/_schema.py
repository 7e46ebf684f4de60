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
def schema(name: str, out_path: str | None) -> None:
    """Print the JSON Schema (draft 2020-12) of a household, a determination, or a batch's error object.

    The household schema is generated from the model: every field with its type, vocabulary, default and
    meaning in English and Chinese (x-description-zh). Rules between fields are in the descriptions; `assistkit
    validate` checks them.
    """
    from .. import schema as schemas

    maker = {"household": schemas.household_schema, "determination": schemas.determination_schema,
             "error": schemas.error_schema}[name]
    text = json.dumps(maker(), ensure_ascii=False, indent=2) + "\n"
    if out_path is None:
        click.echo(text, nl=False)
    else:
        from ._output import write_text

        write_text(out_path, text)
