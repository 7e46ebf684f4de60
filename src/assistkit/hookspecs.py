# mypy: disable-error-code="empty-body"
"""The plugin contract of assistkit: every hook a plugin may implement, and nothing else.

Project name and entry-point group: ``assistkit``. A plugin distribution declares::

    [project.entry-points.assistkit]
    medical = "assistkit_medical.hooks"

and its ``hooks.py`` implements some of the hooks below with :data:`assistkit.hookimpl`. Hooks are called
once per engine build (registration, parameters) or once per finished determination (notification); the
engine calls each programme's ``assess`` directly in linkage order, never through a hook, so the order of
programmes is data (their ``after`` declarations), never hook call order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .determination import Determination
    from .policy import ParameterDeclaration
    from .programme import Programme, RuleOverride

__all__ = ["PROJECT", "hookimpl", "hookspec"]

PROJECT = "assistkit"
"""The pluggy project name, which is also the entry-point group."""

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# ---------------------------------------------------------------------------------------------------------
# Registration: called once when an Engine is built.
# ---------------------------------------------------------------------------------------------------------


@hookspec
def assistkit_register_programmes() -> Sequence[Programme]:
    """Return the programmes this plugin provides.

    Called once when an :class:`~assistkit.engine.Engine` is built, for every registered plugin. Each returned
    object is a :class:`~assistkit.programme.Programme` instance with a unique ``name``. The engine orders all
    programmes by their ``after`` declarations (§14.1) and calls ``programme.assess(ctx)`` for each household.

    A programme whose name is already taken, or that is not a ``Programme``, makes the whole plugin fail to
    load; the failure is reported by ``assistkit plugins`` and the other plugins still load.
    """


@hookspec
def assistkit_declare_parameters() -> Sequence[ParameterDeclaration]:
    """Return the parameter schemas this plugin reads, with their values for the bundled localities.

    Called once when an engine is built, before any policy is resolved. Each
    :class:`~assistkit.policy.ParameterDeclaration` names parameters (name, type, unit, meaning, rule §) and
    gives, per locality (``"demo-city"`` at least), a TOML file of effective-dated values. A policy that lacks a
    value for a declared parameter, or sets a parameter nobody declared, is a :class:`~assistkit.PolicyError`.
    """


@hookspec
def assistkit_override_rules() -> Sequence[RuleOverride]:
    """Return replacements for single rules of installed programmes: one :class:`~assistkit.programme.RuleOverride`
    per rule point (``Programme.rule_points``) this plugin changes — a locality's rounding, one deduction — so
    that changing one choice never means copying a whole programme.

    Called once when an engine is built, after every plugin's programmes are registered. An override of a rule
    point that no installed programme declares makes this plugin fail to load (reported; the others load); two
    plugins overriding one rule point make the engine fail to build, with a :class:`~assistkit.PluginError`
    naming both. Every determination in which the override was used names the rule and the plugin in a reason
    (``rule.override``), and ``assistkit plugins`` lists the overrides in force.
    """


# ---------------------------------------------------------------------------------------------------------
# Notification: called once per finished determination.
# ---------------------------------------------------------------------------------------------------------


@hookspec
def assistkit_on_determination(determination: Determination) -> None:
    """Called with each finished :class:`~assistkit.determination.Determination`.

    Called after every programme has assessed the household and the determination is frozen; use it to audit,
    count or forward results. The return value is ignored. An exception raised here is reported on the
    determination's plugin errors and never changes an amount. Called only when some plugin implements it, so
    an engine without listeners pays nothing per household.
    """
