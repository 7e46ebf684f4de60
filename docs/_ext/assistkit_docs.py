"""A Sphinx extension for the assistkit docs: ``assistkit-help``, the ``--help`` text of a CLI command.

```{assistkit-help} assess
```

renders ``assistkit assess --help`` as run at build time, so the CLI reference never goes stale.
"""

from __future__ import annotations

from typing import Any

__all__ = ["cli_commands", "help_text", "setup"]

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


def setup(app: Any) -> dict[str, Any]:
    # Sphinx is imported here only, so the tests can use the helpers above without the docs extra.
    from docutils import nodes
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

    app.add_directive("assistkit-help", AssistkitHelp)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
