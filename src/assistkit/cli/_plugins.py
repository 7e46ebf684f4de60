"""``assistkit plugins``: installed programmes in linkage order, and plugins that failed to load."""

from __future__ import annotations

import click

from ..engine import plugin_label
from ._common import engine_from_options, policy_options

__all__ = ["plugins"]


@click.command("plugins")
@policy_options
def plugins(locality: str, policy_files: tuple[str, ...]) -> None:
    """List installed programmes in linkage order (§14.1), with their plugin, version, grants, `after` and
    `before`; the rules replaced by other plugins; the programmes replaced; and plugins that failed to load."""
    engine = engine_from_options(locality, policy_files)
    click.echo("programmes in linkage order:")
    for i, p in enumerate(engine.programmes, 1):
        info = engine.plugin_of(p.name)
        dist = f"{info.distribution} {info.version}" if info.distribution else info.name
        grants = ", ".join(p.grants) or "-"
        after = ", ".join([*p.after, *(f"{a}?" for a in p.after_if_present)]) or "-"
        extra = "".join([f"  before: {', '.join(p.before)}" if p.before else "",
                         f"  phase: {p.phase}" if p.phase != "main" else ""])
        click.echo(f"{i:2d}. {p.name:<12} {p.title_zh} / {p.title_en}  [{dist}]  grants: {grants}  after: {after}"
                   + extra)
    if engine.overrides:
        click.echo("rules replaced by plugins:")
        for o in engine.overrides:
            note = f": {o.rule.note_en}" if o.rule.note_en else ""
            click.echo(f"  - {o.rule.rule} of {o.programme}, by {plugin_label(o.by)}{note}")
    if engine.replacements:
        click.echo("programmes replaced by plugins:")
        for r in engine.replacements:
            click.echo(f"  - {r.programme} of {plugin_label(r.replaced)}, by {plugin_label(r.by)}")
    if engine.failures:
        click.echo("plugins that failed to load:")
        for failure in engine.failures:
            click.echo(f"  - {failure}")
