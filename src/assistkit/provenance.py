"""What produced a determination: the engine's version, each plugin's distribution and version, the locality and a
sha256 digest of each policy file read. Made once per engine and shared by all its determinations.

Two runs whose provenance differs may give different figures for the same household (one more plugin, one
changed policy file); :func:`plugin_differences` says how two runs differ in plugins, which ``compare`` reports.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata as md
import json
from collections.abc import Mapping, Sequence
from typing import Any

from attrs import field, frozen

__all__ = ["PluginVersion", "Provenance", "plugin_differences", "provenance_of"]


@frozen
class PluginVersion:
    """A plugin as it was loaded: entry point (or object) name, distribution and version (``None`` when the
    plugin belongs to no installed distribution, e.g. a test's module)."""

    name: str
    distribution: str | None
    version: str | None

    def __str__(self) -> str:
        if self.distribution is None:
            return self.name
        return f"{self.distribution} {self.version}"


@frozen
class Provenance:
    """Engine version, plugins, locality, and each policy file read with the sha256 of its bytes."""

    engine: str
    plugins: tuple[PluginVersion, ...]
    locality: str
    policy_files: tuple[tuple[str, str | None], ...]
    _json: dict[str, Any] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        data = {
            "engine": {"distribution": "assistkit", "version": self.engine},
            "plugins": [{"name": p.name, "distribution": p.distribution, "version": p.version}
                        for p in self.plugins],
            "locality": self.locality,
            "policy_files": [{"file": f, "sha256": d} for f, d in self.policy_files],
        }
        text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        data["id"] = "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]
        object.__setattr__(self, "_json", data)

    @property
    def id(self) -> str:
        """A short digest of the whole record: two runs with the same id were produced by the same code, plugins
        and policy bytes."""
        return str(self._json["id"])

    def to_json(self) -> dict[str, Any]:
        """The record as JSON-ready data (a fresh copy)."""
        out = dict(self._json)
        out["engine"] = dict(out["engine"])
        out["plugins"] = [dict(p) for p in out["plugins"]]
        out["policy_files"] = [dict(f) for f in out["policy_files"]]
        return out

    def text(self) -> str:
        """One line for a summary."""
        plugins = ", ".join(str(p) for p in self.plugins) or "none"
        return (f"provenance {self.id}: assistkit {self.engine}; plugins {plugins}; locality {self.locality}; "
                f"{len(self.policy_files)} policy files")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Provenance, (self.engine, self.plugins, self.locality, self.policy_files))


@functools.cache
def _packages() -> Mapping[str, list[str]]:
    """Top-level module → distributions, read once (it scans every installed distribution)."""
    return md.packages_distributions()


@functools.cache
def _entry_point_modules() -> Mapping[str, tuple[str | None, str | None]]:
    """Module of each installed ``assistkit`` entry point → its distribution and version."""
    out: dict[str, tuple[str | None, str | None]] = {}
    for ep in md.entry_points(group="assistkit"):
        if ep.dist is not None:
            out[ep.value.split(":")[0]] = (ep.dist.name, ep.dist.version)
    return out


def _distribution_of(obj: object) -> tuple[str | None, str | None]:
    """The installed distribution that provides the module of ``obj``, and its version."""
    module = getattr(obj, "__name__", None) if isinstance(getattr(obj, "__name__", None), str) else None
    if module is None:
        module = type(obj).__module__
    for value, dist in _entry_point_modules().items():  # a plugin module of an installed distribution
        if value == module:
            return dist
    top = module.split(".")[0]
    try:
        dists = _packages().get(top) or []
    except Exception:  # noqa: BLE001 - provenance never stops an engine
        return None, None
    for name in dists:
        try:
            return name, md.version(name)
        except md.PackageNotFoundError:
            continue
    return None, None


@functools.cache
def _engine_version() -> str:
    try:
        return md.version("assistkit")
    except md.PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"


def provenance_of(plugins: Sequence[Any], objects: Mapping[str, object], locality: str,
                  files: Sequence[str], digests: Mapping[str, str]) -> Provenance:
    """The provenance of an engine built from ``plugins`` (its loaded plugins; ``objects`` maps a plugin
    without a distribution to the object given, to find the distribution of its module)."""
    versions = []
    for p in plugins:
        dist, version = p.distribution, p.version
        if dist is None and p.name in objects:
            dist, version = _distribution_of(objects[p.name])
        versions.append(PluginVersion(p.name, dist, version))
    return Provenance(_engine_version(), tuple(versions), locality, tuple((f, digests.get(f)) for f in files))


def plugin_differences(a: Provenance, b: Provenance) -> list[str]:
    """How the plugins of run ``a`` and run ``b`` differ: one line per plugin only in one, or in two versions."""
    mine = {p.distribution or p.name: p for p in a.plugins}
    theirs = {p.distribution or p.name: p for p in b.plugins}
    out = []
    for key in sorted(set(mine) | set(theirs)):
        x, y = mine.get(key), theirs.get(key)
        if x is None:
            out.append(f"{key}: only in the second run ({y})")
        elif y is None:
            out.append(f"{key}: only in the first run ({x})")
        elif x.version != y.version:
            out.append(f"{key}: version {x.version} in the first run, {y.version} in the second")
    return out
