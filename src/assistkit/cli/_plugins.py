"""``assistkit plugins``: installed programmes in linkage order, and plugins that failed to load."""

from __future__ import annotations

from typing import Any

import click

from ..engine import plugin_label
from ._common import engine_from_options, policy_options

__all__ = ["plugins"]


@click.command("plugins")
@click.option("--reads", is_flag=True,
              help="Also list, for each programme, the household facts it declares it reads (core fields and its "
                   "extension facts with their types and units) and the words it adds to the format's lists.")
@policy_options
def plugins(locality: str, policy_files: tuple[str, ...], reads: bool) -> None:
    """List installed programmes in linkage order (§14.1), with their plugin, version, grants, `after` and
    `before`; the rules replaced by other plugins; the programmes replaced; and plugins that failed to load.

    With --reads, the personal data each programme uses (data minimisation): the facts it declares it reads
    (`Programme.reads`), the extension facts it declares (`Programme.facts`, under `ext.<programme>`), and the
    payment kinds, enrolment and statuses it adds to household-format.md's lists."""
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
    if reads:
        _echo_reads(engine)
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


def _echo_reads(engine: Any) -> None:
    """What each programme declares it reads, and what it adds to the format."""
    click.echo("facts each programme reads (data minimisation):")
    for p in engine.programmes:
        click.echo(f"  {p.name}:")
        declared = "(not declared)" if p.reads is None else ", ".join(p.reads) or "(no fact of the household)"
        click.echo("    reads: " + declared)
        for fact in p.facts:
            where = "ext" if fact.on == "household" else "members[].ext"
            kind = fact.type + (f" in {fact.unit}" if fact.unit else "")
            kind += f" of {', '.join(fact.choices)}" if fact.choices else ""
            need = ("required" if fact.required else
                    f"default {fact.default}" if fact.default is not None else "optional")
            meaning = " / ".join(m for m in (fact.meaning_zh, fact.meaning_en) if m)
            click.echo(f"    declares {where}.{p.name}.{fact.name}: {kind}, {need}"
                       + (f" — {meaning}" if meaning else ""))
        added = [*(f"payment kind {k}" for k in p.payment_kinds), *([f"enrolment {p.name}"] if p.recurring else []),
                 *(f"status {d.name}" for d in p.statuses)]
        if added:
            click.echo("    adds: " + ", ".join(added))
