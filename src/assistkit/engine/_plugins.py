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
from ..programme import Programme

__all__ = [
    "LoadedPlugin",
    "PluginFailure",
    "PluginSet",
    "installed_declarations",
    "load_plugins",
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
class PluginSet:
    """The outcome of loading: the pluggy manager, the programmes, the declarations, and the failures."""

    manager: pluggy.PluginManager
    loaded: tuple[LoadedPlugin, ...]
    failures: tuple[PluginFailure, ...]
    programmes: tuple[tuple[Programme, LoadedPlugin], ...]
    declarations: tuple[Any, ...]


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
    declarations: list[Any] = []
    taken: set[str] = set()
    for name, dist, version, obj in candidates:
        try:
            if isinstance(obj, Programme):
                progs: list[Programme] = [obj]
                decls: list[Any] = []
            else:
                pm.register(obj, name=name)
                try:
                    progs, decls = _collect(pm, obj)
                except Exception:
                    pm.unregister(obj)
                    raise
            names = [p.name for p in progs]
            clash = [n for n in names if n in taken]
            if clash or len(set(names)) != len(names):
                if not isinstance(obj, Programme):
                    pm.unregister(obj)
                raise PluginError(f"programme name(s) already registered: {', '.join(sorted(set(clash)) or names)}")
        except Exception as exc:  # noqa: BLE001 - isolate the plugin, report it
            failures.append(PluginFailure(name, dist, version, _describe(exc)))
            continue
        info = LoadedPlugin(name, dist, version, tuple(names))
        taken.update(names)
        loaded.append(info)
        programmes.extend((p, info) for p in progs)
        declarations.extend(decls)
    return PluginSet(pm, tuple(loaded), tuple(failures), tuple(programmes), tuple(declarations))


def _collect(pm: pluggy.PluginManager, plugin: object) -> tuple[list[Programme], list[Any]]:
    """Call this plugin's registration hooks only, and validate what they return."""
    from ..policy import ParameterDeclaration

    progs: list[Programme] = []
    decls: list[Any] = []
    for impl in pm.hook.assistkit_register_programmes.get_hookimpls():
        if impl.plugin is plugin:
            for p in _as_list(impl.function(), "assistkit_register_programmes"):
                if not isinstance(p, Programme):
                    raise PluginError(
                        f"assistkit_register_programmes returned {p!r}; expected assistkit.programme.Programme "
                        "instances"
                    )
                if not p.name or not isinstance(p.name, str):
                    raise PluginError(f"programme {type(p).__name__} has no name; set the class attribute `name`")
                progs.append(p)
    for impl in pm.hook.assistkit_declare_parameters.get_hookimpls():
        if impl.plugin is plugin:
            for d in _as_list(impl.function(), "assistkit_declare_parameters"):
                if not isinstance(d, ParameterDeclaration):
                    raise PluginError(
                        f"assistkit_declare_parameters returned {d!r}; expected assistkit.policy.ParameterDeclaration"
                    )
                decls.append(d)
    return progs, decls


def _as_list(value: object, hook: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def installed_declarations() -> tuple[Any, ...]:
    """Parameter declarations of every installed plugin that loads (for ``assistkit params``)."""
    return load_plugins().declarations
