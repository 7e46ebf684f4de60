"""``assistkit new-plugin``: scaffold a programme plugin distribution that installs and passes its tests."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import fail

__all__ = ["new_plugin"]


@click.command("new-plugin")
@click.argument("name")
@click.option("--dir", "directory", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Folder in which to create assistkit-NAME/.")
@click.option("--status", type=click.Choice(["tekun", "dibao", "marginal", "expenditure_hardship"]),
              default="dibao", show_default=True, help="Status that opens the generated one-off grant.")
@click.option("--title-zh", default=None, help="Chinese title of the programme (default: NAME in words).")
@click.option("--title-en", default=None, help="English title of the programme (default: NAME in words).")
def new_plugin(name: str, directory: str, status: str, title_zh: str | None, title_en: str | None) -> None:
    """Create the plugin distribution assistkit-NAME in --dir: pyproject, package, Demo City values, tests.

    The generated programme is a small real rule (a one-off grant of NAME.grant yuan to households holding
    --status) that installs and passes its own tests; write your rule in its programme.py.
    """
    from ..dev.scaffold import ScaffoldError, scaffold

    try:
        target, written = scaffold(name, directory, status=status, title_zh=title_zh, title_en=title_en)
    except ScaffoldError as exc:
        fail(str(exc))
        return
    click.echo(f"created {target}/ ({len(written)} files):")
    for path in written:
        click.echo(f"  {path.relative_to(target).as_posix()}")
    package = next(p for p in written if p.name == "programme.py").parent
    click.echo("next:")
    click.echo(f"  pip install -e {target}")
    click.echo(f"  python -m pytest {Path(target, 'tests')}")
    click.echo(f"  write your rule in {package / 'programme.py'}")
