"""``assistkit params``: every parameter in force on a date, with its value and source (file, key, date)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import PurePosixPath
from typing import Any

import click

from ..errors import AssistkitError
from ..money import format_money
from ..policy import ParameterDeclaration, ParameterSchema, declarations_without_values, load_policy, value_json
from ._common import DATE, fail, policy_options

__all__ = ["params"]


def _declarations() -> tuple[ParameterDeclaration, ...]:
    """The parameter declarations of the installed plugins (the core's are always included)."""
    from ..engine import installed_declarations

    return tuple(installed_declarations())


def _text(value: Any, type_: str) -> str:
    """One value as text: money with two places, decimals as written, maps as ``{key: value, …}``."""
    if value is None:
        return "none (no limit)"
    if type_ == "money":
        return format_money(value)
    if type_ == "bool":
        return "true" if value else "false"
    if type_ == "percent":
        # A change reads with its sign, as statistics bureaus publish it: +3.6 (%), -2.0 (%).
        return f"+{value}" if value > 0 else str(value)
    if type_ == "strings":
        return ", ".join(value) if value else "(none)"
    if type_.startswith("map["):
        inner = type_[4:-1]
        return "{" + ", ".join(f"{k}: {_text(v, inner)}" for k, v in value.items()) + "}"
    return str(value)


def _json(value: Any, type_: str) -> Any:
    """One value as JSON: money and decimals as exact strings (spec output-format: money is a string)."""
    return value_json(value, type_)


def _line(name: str, value: Any, schema: ParameterSchema, file: str, effective: dt.date) -> str:
    unit = f" {schema.unit}" if schema.unit else ""
    if schema.type == "int" and value == 1:
        unit = unit.replace("months", "month", 1)  # "1 month", not "1 months"
    # A package-data label "<assistkit>/localities/demo-city.toml" reads best as its file name.
    where = PurePosixPath(file.replace("\\", "/")).name or file
    return f"{name} = {_text(value, schema.type)}{unit}  ({where}, from {effective.isoformat()})"


@click.command("params")
@policy_options
@click.option("--on", "on", type=DATE, default=None, metavar="DATE",
              help="Date whose parameters to show (YYYY-MM-DD; default: today).")
@click.option("--format", "format_", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per parameter; json: one object with every value and its source.")
def params(locality: str, policy_files: tuple[str, ...], on: dt.date | None, format_: str) -> None:
    """Show every parameter in force on a date (§1.4), sorted by name, with its value and source."""
    on = on or dt.date.today()
    try:
        declared = _declarations()
        # As the engine does: a plugin none of whose parameters this locality values is left out, and said.
        unvalued = declarations_without_values(locality, policy_files, declared)
        declared = tuple(d for d in declared if not any(d is u for u in unvalued))
        policy = load_policy(locality, policy_files, declarations=declared)
        resolved = policy.at(on)
    except AssistkitError as exc:
        fail(str(exc))
        return
    schemas = policy.schemas
    if format_ == "json":
        rows = []
        for name, value in resolved.items():
            schema, source = schemas[name], resolved.source(name)
            rows.append({
                "name": name,
                "value": _json(value, schema.type),
                "type": schema.type,
                "unit": schema.unit,
                "meaning": schema.meaning,
                "meaning_zh": schema.meaning_zh,
                "rule": schema.rule,
                "source": {"file": source.file, "key": source.key, "effective": source.effective.isoformat()},
            })
        document = {"locality": policy.locality, "on": on.isoformat(), "files": list(policy.files),
                    "parameters": rows}
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    for name, value in resolved.items():
        source = resolved.source(name)
        click.echo(_line(name, value, schemas[name], source.file, source.effective))
    for decl in unvalued:
        names = ", ".join(sorted({s.name.split(".")[0] for s in decl.schemas}))
        click.echo(f"# left out: the parameters {names}.* have no values for this locality (their plugin is "
                   "not used here)", err=True)
