"""Determinations as issued, reproduced later (as-of): what produced them, and whether they still come out the same.

An **issued determination** is what an office keeps when it decides (:func:`issue`, ``assistkit assess
--issued FILE``): the household as assessed, the date, the determination's JSON, its digest (the one the record
of :mod:`assistkit.record` holds), and its **provenance** (:func:`provenance`): the engine's version, each
plugin's distribution and version, the locality and the SHA-256 of each policy file read. The provenance is kept
beside the determination, not inside it, so the determination's JSON (output-format.md) stays as it is.

:func:`verify_issued` (``assistkit verify FILE``) assesses the household again on the same date, under the same
locality and policy override files, and says whether the same determination comes out — the same digest, so the
same bytes — and if not, which figures changed and what changed in what produced them: a policy file's content,
a plugin's version, a plugin added or removed, the engine's version.

>>> issued = issue(engine, household, date(2025, 7, 15))                   # doctest: +SKIP
>>> verify_issued(issued).matches                                          # doctest: +SKIP
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.resources
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from attrs import frozen

from . import io
from ._version import __version__
from .engine import Engine
from .errors import AssistkitError
from .household import Household

__all__ = ["AsOfCheck", "AsOfError", "Change", "issue", "policy_file_digest", "provenance", "verify_issued"]

FORMAT = "assistkit-issued/1"


class AsOfError(AssistkitError, ValueError):
    """An issued determination that cannot be checked: not in its form, or a policy file that cannot be read."""


def policy_file_digest(label: str) -> str | None:
    """The SHA-256 of a policy file as :attr:`Policy.files <assistkit.policy.Policy.files>` names it: a bundled
    file ``<package>/path`` inside its package, otherwise a path; ``None`` if it cannot be read."""
    try:
        if label.startswith("<") and ">/" in label:
            package, _, path = label[1:].partition(">/")
            data = importlib.resources.files(package).joinpath(path).read_bytes()
        else:
            with open(label, "rb") as f:
                data = f.read()
    except (OSError, ModuleNotFoundError, ValueError):
        return None
    return hashlib.sha256(data).hexdigest()


def provenance(engine: Engine) -> dict[str, Any]:
    """What produces an engine's determinations: the engine (assistkit) version, each plugin (entry point name,
    distribution, version, programmes), the locality, and each policy file read (bundled ones as
    ``<package>/path``) with its SHA-256."""
    return {
        "engine": {"distribution": "assistkit", "version": __version__},
        "plugins": [{"name": p.name, "distribution": p.distribution, "version": p.version,
                     "programmes": list(p.programmes)} for p in engine.plugins],
        "locality": engine.policy.locality,
        "policy_files": [{"file": f, "sha256": policy_file_digest(f)} for f in engine.policy.files],
    }


def _digest(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def issue(engine: Engine, household: Household, on: dt.date, *, lang: str = "zh",
          base_locality: str | None = None, policy_files: Sequence[str] = ()) -> dict[str, Any]:
    """The issued form of ``household``'s determination on ``on`` (JSON-ready): ``format``, ``on``, ``lang``,
    ``household`` (as assessed), ``determination`` (its JSON in ``lang``), ``digest`` (SHA-256 of its canonical
    JSON, as :func:`assistkit.record.determination_digest` gives) and ``provenance``. ``base_locality`` and
    ``policy_files`` are how the engine was built (the bundled locality and the override files), so that
    :func:`verify_issued` can build it again; the default reads them from the engine's policy."""
    determination = engine.assess(household, on).to_json(lang)
    prov = provenance(engine)
    overrides = list(policy_files) or [f["file"] for f in prov["policy_files"] if not f["file"].startswith("<")]
    prov["build"] = {"locality": base_locality or _bundled_locality(engine), "policy_files": overrides}
    return {"format": FORMAT, "on": on.isoformat(), "lang": lang, "household": io.unstructure_household(household),
            "determination": determination, "digest": _digest(determination), "provenance": prov}


def _bundled_locality(engine: Engine) -> str:
    # The chain is read from its root (national-core) to the locality: the last bundled file is the locality's.
    for label in reversed(engine.policy.files):
        if label.startswith("<assistkit>/localities/"):
            return label.rsplit("/", 1)[1].removesuffix(".toml")
    return engine.policy.locality


@frozen
class Change:
    """A figure that changed: where in the determination (``programmes.dibao.monthly``), then and now."""

    path: str
    then: Any
    now: Any


@frozen
class AsOfCheck:
    """The result of :func:`verify_issued`: ``matches`` when the determination comes out the same (the same
    digest); otherwise the ``changes`` (figures first, then the reasons' texts) and the ``causes`` found in the
    provenance (each a sentence)."""

    matches: bool
    digest_then: str
    digest_now: str
    changes: tuple[Change, ...]
    causes: tuple[str, ...]

    def text(self) -> str:
        if self.matches:
            out = ["the determination is reproduced exactly", f"digest {self.digest_now}"]
            if self.causes:
                out.append("though what produced it differs:")
                out.extend(f"  {c}" for c in self.causes)
            return "\n".join(out) + "\n"
        out = [f"the determination is NOT reproduced: digest then {self.digest_then}, now {self.digest_now}"]
        figures = [c for c in self.changes if ".reasons" not in c.path]
        out.append(f"figures changed: {len(figures)}" + ("" if figures else " (only the reasons' texts)"))
        for c in figures:
            out.append(f"  {c.path}: {_show(c.then)} → {_show(c.now)}")
        texts = len(self.changes) - len(figures)
        if texts:
            out.append(f"reasons changed: {texts}")
        out.append("what changed in what produced it:" if self.causes else
                   "what produced it is the same (engine, plugins, policy files): the code changed without a "
                   "new version")
        out.extend(f"  {c}" for c in self.causes)
        return "\n".join(out) + "\n"


def _show(value: Any) -> str:
    return "(none)" if value is _MISSING else json.dumps(value, ensure_ascii=False)


_MISSING = object()


def _walk(then: Any, now: Any, path: str) -> Iterator[Change]:
    if isinstance(then, dict) and isinstance(now, dict):
        for key in [*then, *(k for k in now if k not in then)]:
            yield from _walk(then.get(key, _MISSING), now.get(key, _MISSING), f"{path}.{key}" if path else key)
    elif isinstance(then, list) and isinstance(now, list) and len(then) == len(now):
        for i, (a, b) in enumerate(zip(then, now, strict=True)):
            yield from _walk(a, b, f"{path}[{i}]")
    elif then != now:
        yield Change(path, then, now)


def _version(plugin: Mapping[str, Any]) -> str:
    return f" {plugin['version']}" if plugin.get("version") else ""


def _causes(then: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    causes = []
    if then.get("engine") != now.get("engine"):
        causes.append(f"assistkit {then.get('engine', {}).get('version')} → {now.get('engine', {}).get('version')}")
    if then.get("locality") != now.get("locality"):
        causes.append(f"locality {then.get('locality')} → {now.get('locality')}")
    plugins_then = {p["distribution"] or p["name"]: p for p in then.get("plugins", [])}
    plugins_now = {p["distribution"] or p["name"]: p for p in now.get("plugins", [])}
    for name, p in plugins_then.items():
        q = plugins_now.get(name)
        if q is None:
            causes.append(f"plugin {name}{_version(p)} (programmes {', '.join(p['programmes'])}) is no longer "
                          "installed")
        elif p["version"] != q["version"]:
            causes.append(f"plugin {name} {p['version']} → {q['version']} (programmes "
                          f"{', '.join(q['programmes'])})")
    for name, q in plugins_now.items():
        if name not in plugins_then:
            causes.append(f"plugin {name}{_version(q)} (programmes {', '.join(q['programmes'])}) was not "
                          "installed then")
    bundled_then = {f["file"]: f["sha256"] for f in then.get("policy_files", []) if f["file"].startswith("<")}
    bundled_now = {f["file"]: f["sha256"] for f in now.get("policy_files", []) if f["file"].startswith("<")}
    for name, digest in bundled_then.items():
        if name not in bundled_now:
            causes.append(f"policy file {name} is no longer read")
        elif bundled_now[name] != digest:
            causes.append(f"policy file {name} changed (SHA-256 {digest} → {bundled_now[name]})")
    causes.extend(f"policy file {name} was not read then" for name in bundled_now if name not in bundled_then)
    # Override files are compared in the order they apply: the same file may be given from another folder.
    overrides_then = [f for f in then.get("policy_files", []) if not f["file"].startswith("<")]
    overrides_now = [f for f in now.get("policy_files", []) if not f["file"].startswith("<")]
    for i, (a, b) in enumerate(zip(overrides_then, overrides_now, strict=False), 1):
        if a["sha256"] != b["sha256"]:
            where = a["file"] if a["file"] == b["file"] else f"{a['file']} (now {b['file']})"
            causes.append(f"policy override file {i}, {where}, changed (SHA-256 {a['sha256']} → {b['sha256']})")
    for i, f in enumerate(overrides_then[len(overrides_now):], len(overrides_now) + 1):
        causes.append(f"policy override file {i}, {f['file']}, is no longer given")
    for i, f in enumerate(overrides_now[len(overrides_then):], len(overrides_then) + 1):
        causes.append(f"policy override file {i}, {f['file']}, was not given then")
    return causes


def verify_issued(issued: Mapping[str, Any], *, plugins: Sequence[object] | None = None,
                  policy_files: Sequence[str | os.PathLike[str]] | None = None) -> AsOfCheck:
    """Assess an issued determination's household again, on its date, with the same locality and policy
    override files (or ``policy_files``), and compare: see :class:`AsOfCheck`. Raises :class:`AsOfError` when
    ``issued`` is not an issued determination, and :class:`~assistkit.InvalidHousehold` /
    :class:`~assistkit.PolicyError` as assessing does."""
    try:
        if issued.get("format") != FORMAT:
            raise KeyError("format")
        on = dt.date.fromisoformat(issued["on"])
        lang = issued.get("lang", "zh")
        then_json = issued["determination"]
        then_prov = issued["provenance"]
        build = then_prov.get("build", {})
        household = io.structure_household(issued["household"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, AssistkitError):
            raise
        raise AsOfError(f"not an issued determination ({FORMAT}): {exc!s} is missing or wrong; write one with "
                        "`assistkit assess --issued FILE`") from None
    files = list(policy_files) if policy_files is not None else list(build.get("policy_files", []))
    engine = Engine(plugins, locality=build.get("locality", then_prov.get("locality", "demo-city")),
                    policy_files=files)
    now_json = engine.assess(household, on).to_json(lang)
    digest_then, digest_now = issued.get("digest") or _digest(then_json), _digest(now_json)
    if digest_then != _digest(then_json):
        raise AsOfError(f"the issued determination does not match its own digest {digest_then}: it was changed "
                        "after it was issued")
    changes = list(_walk(then_json, now_json, ""))
    changes.sort(key=lambda c: ".reasons" in c.path)  # figures first
    causes = _causes(then_prov, provenance(engine))
    return AsOfCheck(digest_then == digest_now, digest_then, digest_now, tuple(changes), tuple(causes))
