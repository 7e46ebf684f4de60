"""Loading plugins: entry points of group ``assistkit``, one by one, each failure reported, never fatal.

Follows hatchling and tox: plugins *register objects* through one-line hooks, and this module is the typed facade
over pluggy so the rest of assistkit never calls ``pm.hook`` directly. Nothing here runs at import.
"""

from __future__ import annotations

import importlib.metadata as md
from collections.abc import Iterable, Sequence
from typing import Any

import pluggy
from attrs import frozen

from .. import hookspecs
from ..errors import PluginError
from ..programme import PHASES, Programme, RuleOverride

__all__ = [
    "LoadedPlugin",
    "Override",
    "PluginFailure",
    "PluginSet",
    "Replacement",
    "installed_declarations",
    "load_plugins",
    "plugin_label",
]


@frozen
class LoadedPlugin:
    """A plugin that loaded: its entry point (or object) name, distribution, version and programmes."""

    name: str
    distribution: str | None
    version: str | None
    programmes: tuple[str, ...]


@frozen
class PluginFailure:
    """A plugin that failed to import, validate or register, and why. The other plugins still load."""

    name: str
    distribution: str | None
    version: str | None
    cause: str

    def __str__(self) -> str:
        dist = f" ({self.distribution} {self.version})" if self.distribution else ""
        return f"plugin {self.name!r}{dist} failed to load: {self.cause}"


@frozen
class Replacement:
    """A programme of one plugin that takes the place of the programme of the same name of another
    (``Programme.replaces``)."""

    programme: str
    by: LoadedPlugin
    replaced: LoadedPlugin


@frozen
class Override:
    """A rule point of an installed programme replaced by a plugin (hook ``assistkit_override_rules``)."""

    programme: str
    rule: RuleOverride
    by: LoadedPlugin


@frozen
class PluginSet:
    """The outcome of loading: the pluggy manager, the programmes, the declarations, the rule overrides, the
    programmes replaced, and the failures."""

    manager: pluggy.PluginManager
    loaded: tuple[LoadedPlugin, ...]
    failures: tuple[PluginFailure, ...]
    programmes: tuple[tuple[Programme, LoadedPlugin], ...]
    declarations: tuple[Any, ...]
    declared_by: tuple[tuple[Any, LoadedPlugin], ...] = ()
    overrides: tuple[Override, ...] = ()
    replacements: tuple[Replacement, ...] = ()


def plugin_label(plugin: LoadedPlugin) -> str:
    """``assistkit-medical 0.1.0 (entry point medical)``, or the object's name when no distribution has it."""
    if plugin.distribution:
        return f"{plugin.distribution} {plugin.version} (entry point {plugin.name})"
    return plugin.name


def _new_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    return pm


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _entry_points() -> list[md.EntryPoint]:
    return sorted(md.entry_points(group=hookspecs.PROJECT), key=lambda ep: ep.name)


def load_plugins(plugins: Sequence[object] | None = None) -> PluginSet:
    """Load ``plugins`` (modules or objects with hookimpls), or every installed entry point when ``None``.

    Each plugin is imported, registered (pluggy validates its hookimpls), asked for its programmes and its
    parameter declarations, inside its own try/except: a failure is recorded as a :class:`PluginFailure`
    naming the entry point, distribution, version and cause, and the other plugins still load.
    """
    pm = _new_manager()
    candidates: list[tuple[str, str | None, str | None, Any]] = []
    failures: list[PluginFailure] = []
    if plugins is None:
        for ep in _entry_points():
            dist = ep.dist.name if ep.dist is not None else None
            version = ep.dist.version if ep.dist is not None else None
            try:
                obj = ep.load()
            except Exception as exc:  # noqa: BLE001 - any import failure is reported, never fatal
                failures.append(PluginFailure(ep.name, dist, version, "import failed: " + _describe(exc)))
                continue
            candidates.append((ep.name, dist, version, obj))
    else:
        for obj in plugins:
            name = getattr(obj, "__name__", None) or type(obj).__name__
            candidates.append((name, None, None, obj))

    loaded: list[LoadedPlugin] = []
    programmes: list[tuple[Programme, LoadedPlugin]] = []
    declared_by: list[tuple[Any, LoadedPlugin]] = []
    overrides: list[tuple[RuleOverride, LoadedPlugin]] = []
    for name, dist, version, obj in candidates:
        try:
            if isinstance(obj, Programme):
                progs: list[Programme] = [obj]
                decls: list[Any] = []
                rules: list[RuleOverride] = []
            else:
                pm.register(obj, name=name)
                try:
                    progs, decls, rules = _collect(pm, obj)
                except Exception:
                    pm.unregister(obj)
                    raise
            names = [p.name for p in progs]
            if len(set(names)) != len(names):
                if not isinstance(obj, Programme):
                    pm.unregister(obj)
                twice = sorted({n for n in names if names.count(n) > 1})
                raise PluginError(f"registers programme(s) {', '.join(twice)} more than once")
        except Exception as exc:  # noqa: BLE001 - isolate the plugin, report it
            failures.append(PluginFailure(name, dist, version, _describe(exc)))
            continue
        info = LoadedPlugin(name, dist, version, tuple(names))
        loaded.append(info)
        programmes.extend((p, info) for p in progs)
        declared_by.extend((d, info) for d in decls)
        overrides.extend((r, info) for r in rules)
    kept, replacements = _resolve_names(programmes)
    accepted, dropped = _check_overrides(overrides, kept)
    for info, cause in dropped:
        failures.append(PluginFailure(info.name, info.distribution, info.version, cause))
    return PluginSet(pm, tuple(loaded), tuple(failures), tuple(kept), tuple(d for d, _ in declared_by),
                     tuple(declared_by), tuple(accepted), tuple(replacements))


def _resolve_names(programmes: list[tuple[Programme, LoadedPlugin]]
                   ) -> tuple[list[tuple[Programme, LoadedPlugin]], list[Replacement]]:
    """One programme per name: where several plugins register one name, the one that ``replaces`` it; two
    claims without exactly one ``replaces`` are a :class:`~assistkit.PluginError` naming every plugin."""
    claims: dict[str, list[tuple[Programme, LoadedPlugin]]] = {}
    for programme, info in programmes:
        claims.setdefault(programme.name, []).append((programme, info))
    kept: list[tuple[Programme, LoadedPlugin]] = []
    replacements: list[Replacement] = []
    for name, claimants in claims.items():
        if len(claimants) == 1:
            kept.append(claimants[0])
            continue
        replacing = [c for c in claimants if c[0].replaces]
        who = " and ".join(plugin_label(info) for _, info in claimants)
        if len(replacing) != 1:
            raise PluginError(
                f"programme {name!r} is registered by {who}"
                + ("; more than one says it replaces the other" if replacing else "")
                + f": uninstall all but one, or set `replaces = True` on the one programme {name!r} that should be "
                "used (a locality's own version of a bundled programme)"
            )
        winner = replacing[0]
        kept.append(winner)
        replacements.extend(Replacement(name, winner[1], info) for p, info in claimants if p is not winner[0])
    order = {id(p): i for i, (p, _) in enumerate(programmes)}
    kept.sort(key=lambda pair: order[id(pair[0])])
    return kept, replacements


def _check_overrides(overrides: list[tuple[RuleOverride, LoadedPlugin]],
                     programmes: list[tuple[Programme, LoadedPlugin]]
                     ) -> tuple[list[Override], list[tuple[LoadedPlugin, str]]]:
    """The overrides of rule points that an installed programme declares; a plugin overriding an undeclared
    rule point is left out (reported); two plugins overriding one rule point are a PluginError naming both."""
    owner = {rule: programme.name for programme, _ in programmes for rule in programme.rule_points}
    accepted: dict[str, Override] = {}
    dropped: list[tuple[LoadedPlugin, str]] = []
    for rule, info in overrides:
        programme = owner.get(rule.rule)
        if programme is None:
            known = ", ".join(sorted(owner)) or "none"
            dropped.append((info, f"overrides rule {rule.rule!r}, which no installed programme declares as a rule "
                                  f"point (declared: {known})"))
            continue
        if rule.rule in accepted:
            first = accepted[rule.rule].by
            raise PluginError(f"rule {rule.rule!r} of programme {programme!r} is overridden by "
                              f"{plugin_label(first)} and by {plugin_label(info)}: keep one of them")
        accepted[rule.rule] = Override(programme, rule, info)
    return list(accepted.values()), dropped


def _collect(pm: pluggy.PluginManager, plugin: object
             ) -> tuple[list[Programme], list[Any], list[RuleOverride]]:
    """Call this plugin's registration hooks only, and validate what they return."""
    from ..policy import ParameterDeclaration

    progs: list[Programme] = []
    decls: list[Any] = []
    rules: list[RuleOverride] = []
    for impl in pm.hook.assistkit_register_programmes.get_hookimpls():
        if impl.plugin is plugin:
            for p in _as_list(impl.function(), "assistkit_register_programmes"):
                if not isinstance(p, Programme):
                    raise PluginError(
                        f"assistkit_register_programmes returned {p!r}; expected assistkit.api.Programme instances"
                    )
                if not p.name or not isinstance(p.name, str):
                    raise PluginError(f"programme {type(p).__name__} has no name; set the class attribute `name`")
                if p.phase not in PHASES:
                    raise PluginError(f"programme {p.name!r} has phase {p.phase!r}; expected one of "
                                      f"{', '.join(PHASES)}")
                progs.append(p)
    for impl in pm.hook.assistkit_declare_parameters.get_hookimpls():
        if impl.plugin is plugin:
            for d in _as_list(impl.function(), "assistkit_declare_parameters"):
                if not isinstance(d, ParameterDeclaration):
                    raise PluginError(
                        f"assistkit_declare_parameters returned {d!r}; expected assistkit.api.ParameterDeclaration"
                    )
                decls.append(d)
    for impl in pm.hook.assistkit_override_rules.get_hookimpls():
        if impl.plugin is plugin:
            for r in _as_list(impl.function(), "assistkit_override_rules"):
                if not isinstance(r, RuleOverride) or not callable(r.function):
                    raise PluginError(f"assistkit_override_rules returned {r!r}; expected assistkit.api.RuleOverride "
                                      "instances with a callable `function`")
                rules.append(r)
    return progs, decls, rules


def _as_list(value: object, hook: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def installed_declarations() -> tuple[Any, ...]:
    """Parameter declarations of every installed plugin that loads (for ``assistkit params``)."""
    return load_plugins().declarations
