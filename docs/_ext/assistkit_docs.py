"""A Sphinx extension for the assistkit docs, so that the references never go stale:

```{assistkit-help} assess
```

renders ``assistkit assess --help`` as run at build time, and

```{assistkit-schema} household Person
```

renders the fields of one record type of a JSON Schema of :mod:`assistkit.schema` (``household``,
``determination`` or ``error``; the record type is the schema's title for the root, or a name under ``$defs``) as
a table: field, type, default, meaning in English and in Chinese.
"""

from __future__ import annotations

from typing import Any

__all__ = ["cli_commands", "help_text", "schema_rows", "schema_table", "setup"]

HELP_WIDTH = 100
"""Terminal width of the rendered help (fixed, so the output does not depend on the building terminal)."""


def cli_commands() -> Any:
    """The ``assistkit`` group, plus any command of an ``assistkit.cli`` module that it does not register yet.

    Each command lives in a private module of :mod:`assistkit.cli` and is registered in its ``__init__``;
    while a new command awaits registration, the docs (and their tests) still see it under its own name.
    """
    import importlib
    import pkgutil

    import click

    import assistkit.cli
    from assistkit.cli import main

    commands = dict(main.commands)
    for info in pkgutil.iter_modules(assistkit.cli.__path__, "assistkit.cli."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            command = getattr(module, name, None)
            if isinstance(command, click.Command) and command.name not in commands:
                commands[command.name] = command
    if commands.keys() == main.commands.keys():
        return main
    return click.Group(main.name, commands=commands, params=main.params, help=main.help,
                       context_settings=main.context_settings)


def help_text(path: str) -> str:
    """``assistkit PATH --help`` as text (``path`` is e.g. ``"assess"``; empty for the group itself)."""
    from click.testing import CliRunner

    args = [*path.split(), "--help"]
    result = CliRunner().invoke(cli_commands(), args, prog_name="assistkit", terminal_width=HELP_WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"assistkit {path} --help exited {result.exit_code}: {result.output}")
    return result.output.rstrip() + "\n"


def _schemas() -> dict[str, Any]:
    from assistkit import schema

    return {"household": schema.household_schema(), "determination": schema.determination_schema(),
            "error": schema.error_schema()}


def _record(schema: dict[str, Any], record: str) -> dict[str, Any]:
    if record == schema.get("title"):
        return schema
    return schema["$defs"][record]


def type_text(node: dict[str, Any]) -> str:
    """A schema as a short type: ``money``, ``date``, ``"urban" | "rural"``, ``[Person]``, ``string | null``."""
    from assistkit import schema

    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in node:
        parts: list[str] = []
        for option in node["anyOf"]:
            text = type_text(option)
            if text == "number" and ("money" in parts or "decimal" in parts):
                continue
            parts.append(text)
        return " | ".join(dict.fromkeys(parts))
    if "enum" in node:
        return " | ".join(f'"{v}"' for v in node["enum"])
    kind = node.get("type")
    if kind == "string":
        pattern = node.get("pattern", "")
        if pattern in (schema.MONEY_PATTERN, r"^-?[0-9]+\.[0-9]{2}$"):
            return "money"
        if pattern == schema.DECIMAL_PATTERN:
            return "decimal"
        if node.get("format") == "date":
            return "date"
        if pattern.startswith("^[0-9]{4}-(0"):
            return "month"
        if pattern.startswith("^[0-9]{17}"):
            return "id number"
        return "string (non-empty)" if node.get("minLength") else "string"
    if kind == "integer":
        if "maximum" in node:
            return f"integer {node.get('minimum', 0)}–{node['maximum']}"
        return "integer ≥ 0" if node.get("minimum") == 0 else "integer"
    if kind == "number":
        return "number"
    if kind == "boolean":
        return "bool"
    if kind == "array":
        return f"[{type_text(node.get('items', {}))}]"
    if kind == "object":
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            return f"{{name: {type_text(extra)}}}"
        return "object"
    return str(kind)


def schema_rows(name: str, record: str) -> list[tuple[str, str, str, str, str]]:
    """``(field, type, default, meaning, 含义)`` for each field of ``record`` in schema ``name``; the fields of a
    nested object without a name of its own follow it, dotted (``income.unit``)."""
    import json

    rows: list[tuple[str, str, str, str, str]] = []

    def walk(node: dict[str, Any], prefix: str) -> None:
        required = set(node.get("required", ()))
        for key, prop in node.get("properties", {}).items():
            if "default" in prop:
                default = json.dumps(prop["default"], ensure_ascii=False)
            else:
                default = "required" if key in required else "optional"
            nested = prop.get("type") == "object" and "properties" in prop
            rows.append((prefix + key, "object" if nested else type_text(prop), default,
                         prop.get("description", ""), prop.get("x-description-zh", "")))
            if nested:
                walk(prop, f"{prefix}{key}.")

    walk(_record(_schemas()[name], record), "")
    return rows


def schema_table(name: str, record: str) -> str:
    """The fields of ``record`` as a Markdown table, after the record's description."""
    node = _record(_schemas()[name], record)

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [cell(node.get("description", "")) + (f" {node['x-description-zh']}" if "x-description-zh" in node
                                                   else ""), "",
             "| field | type | default | meaning | 含义 |", "|---|---|---|---|---|"]
    for field, type_, default, en, zh in schema_rows(name, record):
        lines.append(f"| `{field}` | {cell(type_)} | {cell(default)} | {cell(en)} | {cell(zh)} |")
    return "\n".join(lines) + "\n"


def sheet_table(name: str) -> str:
    """The columns of one sheet of the spreadsheet layout (:func:`assistkit.sheets.layout`) as a Markdown
    table."""
    from assistkit.sheets import layout
    from assistkit.sheets._write import _KINDS_EN, cell_value

    (sheet,) = [s for s in layout() if s.name == name]

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| column | 中文列名 | form | default | meaning | 含义 |", "|---|---|---|---|---|---|"]
    for column in sheet.columns:
        words = {code: word for word, code in column.words}
        form = _KINDS_EN[column.kind] + (": " + ", ".join(f"`{c}`" + (f" {words[c]}" if c in words else "")
                                                          for c in column.choices)
                                         if column.kind == "enum" else "")
        if column.required:
            default = "required" if column.optional_parent is None else (
                f"required when a `{'.'.join(column.optional_parent)}.*` cell is filled")
        else:
            default = "" if column.default in (None, "") else f"`{cell_value(column, column.default)}`"
        lines.append(f"| `{column.key}` | {cell(column.label_zh(name))} | {cell(form)} | {default} | "
                     f"{cell(column.en)} | {cell(column.zh)} |")
    return "\n".join(lines) + "\n"


def setup(app: Any) -> dict[str, Any]:
    # Sphinx is imported here only, so the tests can use the helpers above without the docs extra.
    from docutils import nodes
    from docutils.statemachine import StringList
    from sphinx.util.docutils import SphinxDirective

    class AssistkitHelp(SphinxDirective):
        """``assistkit-help [COMMAND …]``: a literal block with that command's ``--help``."""

        optional_arguments = 8
        has_content = False

        def run(self) -> list[nodes.Node]:
            path = " ".join(self.arguments)
            try:
                text = help_text(path)
            except Exception as exc:  # noqa: BLE001 - reported as a build warning (an error under -W)
                warning = self.state.document.reporter.warning
                return [warning(f"assistkit-help {path}: {exc}", line=self.lineno)]
            block = nodes.literal_block(text, text)
            block["language"] = "text"
            return [block]

    class AssistkitSchema(SphinxDirective):
        """``assistkit-schema NAME RECORD``: the fields of one record type of a schema, as a table."""

        required_arguments = 2
        has_content = False

        def run(self) -> list[nodes.Node]:
            name, record = self.arguments
            try:
                text = schema_table(name, record)
            except Exception as exc:  # noqa: BLE001 - reported as a build warning (an error under -W)
                warning = self.state.document.reporter.warning
                return [warning(f"assistkit-schema {name} {record}: {exc!r}", line=self.lineno)]
            container = nodes.container()
            self.state.nested_parse(StringList(text.splitlines(), source="assistkit-schema"), self.content_offset,
                                    container)
            return container.children

    class AssistkitSheet(SphinxDirective):
        """``assistkit-sheet NAME``: the columns of one sheet of the spreadsheet layout, as a table."""

        required_arguments = 1
        has_content = False

        def run(self) -> list[nodes.Node]:
            try:
                text = sheet_table(self.arguments[0])
            except Exception as exc:  # noqa: BLE001 - reported as a build warning (an error under -W)
                warning = self.state.document.reporter.warning
                return [warning(f"assistkit-sheet {self.arguments[0]}: {exc!r}", line=self.lineno)]
            container = nodes.container()
            self.state.nested_parse(StringList(text.splitlines(), source="assistkit-sheet"), self.content_offset,
                                    container)
            return container.children

    class AssistkitChart(SphinxDirective):
        """``assistkit-chart KIND ARGUMENTS…``: a chart computed from the examples, as inline SVG
        (:mod:`assistkit_charts`)."""

        required_arguments = 1
        optional_arguments = 8
        has_content = False

        def run(self) -> list[nodes.Node]:
            from assistkit_charts import chart

            try:
                svg = chart(*self.arguments)
            except Exception as exc:  # noqa: BLE001 - reported as a build warning (an error under -W)
                warning = self.state.document.reporter.warning
                return [warning(f"assistkit-chart {' '.join(self.arguments)}: {exc!r}", line=self.lineno)]
            return [nodes.raw("", svg, format="html")]

    app.add_directive("assistkit-help", AssistkitHelp)
    app.add_directive("assistkit-chart", AssistkitChart)
    app.add_directive("assistkit-sheet", AssistkitSheet)
    app.add_directive("assistkit-schema", AssistkitSchema)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
