"""``assistkit plugins``: installed programmes in linkage order, and plugins that failed to load."""

from __future__ import annotations

import click

from ._common import engine_from_options, policy_options

__all__ = ["plugins"]


@click.command("plugins")
@policy_options
def plugins(locality: str, policy_files: tuple[str, ...]) -> None:
    """List installed programmes in linkage order (§14.1), with their plugin, version, grants and `after`."""
    engine = engine_from_options(locality, policy_files)
    click.echo("programmes in linkage order:")
    for i, p in enumerate(engine.programmes, 1):
        info = engine.plugin_of(p.name)
        dist = f"{info.distribution} {info.version}" if info.distribution else info.name
        grants = ", ".join(p.grants) or "-"
        after = ", ".join([*p.after, *(f"{a}?" for a in p.after_if_present)]) or "-"
        click.echo(f"{i:2d}. {p.name:<12} {p.title_zh} / {p.title_en}  [{dist}]  grants: {grants}  after: {after}")
    if engine.failures:
        click.echo("plugins that failed to load:")
        for failure in engine.failures:
            click.echo(f"  - {failure}")
