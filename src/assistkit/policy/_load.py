"""Reading policy files: bundled values per locality, then override files merged by effective date."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import sys
import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import frozen

from ..errors import PolicyError
from ..periods import parse_date
from ._core import CORE_DECLARATION
from ._kinds import Line
from ._resolved import Policy, TimelineEntry
from ._schema import (
    ParameterDeclaration,
    ParameterSchema,
    Source,
    Value,
    ValueProblem,
    ValuesFile,
    convert,
    show,
)

__all__ = ["ROOT_LOCALITY", "bundled_localities", "declarations_without_values", "load_policy"]

_Timeline = dict[dt.date, tuple[Value, Source]]


def bundled_localities() -> tuple[str, ...]:
    """The localities whose core values ship with assistkit (``src/assistkit/localities/*.toml``)."""
    return tuple(sorted(CORE_DECLARATION.values))


ROOT_LOCALITY = "national-core"
"""The bundled base every locality extends, directly or through another locality (china-rules.md §8)."""

_MAX_DEPTH = 16


@frozen
class _Level:
    """One locality of a chain: its name and its files ``(label, parsed TOML, own parameters or None)``."""

    name: str
    files: tuple[tuple[str, dict[str, Any], frozenset[str] | None], ...]
    extends: str | None


def is_locality_file(locality: str | os.PathLike[str]) -> bool:
    """Whether ``locality`` names a locality file (a path, or a name ending in ``.toml``) rather than a bundled
    locality."""
    return not isinstance(locality, str) or locality.endswith(".toml") or os.sep in locality or "/" in locality


def _bundled_level(name: str, decls: Sequence[ParameterDeclaration], reader: _Reader,
                   digests: dict[str, str]) -> _Level:
    files_: list[tuple[str, dict[str, Any], frozenset[str] | None]] = []
    extends: str | None = None
    for decl in decls:
        src = decl.values.get(name)
        if src is None:
            continue
        label = _package_label(src)
        data = _read(src, label, digests)
        said = data.pop("extends", None)
        if decl is CORE_DECLARATION:
            extends = _extends_name(said, label)
        elif said is not None:
            raise PolicyError("only the locality's core file (<assistkit>/localities/<name>.toml) says what it "
                              "extends; remove `extends` here", file=label, key="extends")
        files_.append((label, data, frozenset(s.name for s in decl.schemas)))
        locality = data.get("locality")
        if locality is not None and locality != name:
            raise PolicyError(
                f"this file holds the values of locality {name!r} but says locality = {locality!r}",
                file=label,
                key="locality",
            )
    if name != ROOT_LOCALITY and extends is None:
        raise PolicyError(f"bundled locality {name!r} must say what it extends (extends = \"{ROOT_LOCALITY}\")",
                          file=_package_label(CORE_DECLARATION.values[name]), key="extends")
    return _Level(name, tuple(files_), extends)


def _extends_name(said: object, label: str) -> str | None:
    if said is None:
        return None
    if not isinstance(said, str) or not said.strip():
        raise PolicyError(f"expected the name of a bundled locality or the path of a locality file; got {show(said)}",
                          file=label, key="extends")
    return said


def _file_level(path: str | os.PathLike[str], relative_to: str | None, digests: dict[str, str]) -> _Level:
    text = os.fspath(path)
    if relative_to is not None and not os.path.isabs(text):
        text = os.path.join(os.path.dirname(relative_to), text)
    label = text
    data = _read(text, label, digests)
    said = data.pop("extends", None)
    extends = _extends_name(said, label)
    if extends is None:
        raise PolicyError(
            f"a locality file must say what it extends, e.g. extends = \"{ROOT_LOCALITY}\" at the top; "
            "a file that only amends a locality goes in --policy (files=)",
            file=label, key="extends")
    name = data.get("locality")
    if name is None:
        name = os.path.basename(text).removesuffix(".toml")
    return _Level(str(name), ((label, data, None),), extends)


def _chain(locality: str | os.PathLike[str], decls: Sequence[ParameterDeclaration],
           reader: _Reader, digests: dict[str, str]) -> list[_Level]:
    """The localities from ``locality`` down to the root, leaf first."""
    levels: list[_Level] = []
    current: str | os.PathLike[str] | None = locality
    parent_file: str | None = None
    seen: list[str] = []
    while current is not None:
        if len(levels) >= _MAX_DEPTH:
            raise PolicyError(f"locality chain longer than {_MAX_DEPTH}: {' → '.join(seen)}")
        if is_locality_file(current):
            level = _file_level(current, parent_file, digests)
            parent_file = level.files[0][0]
        elif current in CORE_DECLARATION.values:
            level = _bundled_level(str(current), decls, reader, digests)
        else:
            raise PolicyError(
                f"unknown locality {current!r}; the bundled localities are {', '.join(bundled_localities())}. "
                f"To describe another locality, write a locality file that says extends = \"{ROOT_LOCALITY}\" "
                "(or a bundled locality) and give its path"
            )
        key = level.files[0][0] if level.files else level.name
        if key in seen:
            raise PolicyError(f"locality chain goes round in a circle: {' → '.join([*seen, key])}")
        seen.append(key)
        levels.append(level)
        current = level.extends
    return levels


def _gather(
    locality: str | os.PathLike[str], files: Sequence[str | os.PathLike[str]],
    decls: Sequence[ParameterDeclaration], schemas: Mapping[str, ParameterSchema],
) -> tuple[str, dict[str, _Timeline], list[str], dict[str, str], dict[str, str]]:
    """Every parameter's timeline: the chain root first, each locality's own timeline replacing its base's,
    then the override files merged by date. Returns (name, timelines, files read, the leaf locality's file
    for each parameter: where a missing value belongs)."""
    if isinstance(files, (str, os.PathLike)):
        raise TypeError("files must be a sequence of paths; wrap a single file in a list")
    reader = _Reader(schemas)
    digests: dict[str, str] = {}  # file → sha256 of the bytes read (provenance)
    levels = _chain(locality, decls, reader, digests)
    timelines: dict[str, _Timeline] = {name: {} for name in schemas}
    files_read: list[str] = []
    for level in reversed(levels):
        own_level: dict[str, _Timeline] = {}
        for label, data, own in level.files:
            data = dict(data)
            data.pop("locality", None)
            reader.apply(data, label, own_level, own=own)
            files_read.append(label)
        # A locality's own timeline for a parameter replaces its base's timeline for it (no merge by date).
        timelines.update(own_level)
    leaf = levels[0]
    result = leaf.name
    for file in files:
        label = os.fspath(file)
        data = _read(file, label, digests)
        if "extends" in data:
            raise PolicyError("an override file amends a locality and extends nothing; a file that says "
                              "`extends` is a locality: give it as the locality (--locality FILE)",
                              file=label, key="extends")
        result = reader.apply(data, label, timelines) or result
        files_read.append(label)
    where = dict.fromkeys(schemas, leaf.files[0][0]) if leaf.files else {}
    for label, _, own in leaf.files[1:]:
        where.update(dict.fromkeys(own or (), label))
    return result, timelines, files_read, where, digests


def declarations_without_values(
    locality: str | os.PathLike[str] = "demo-city",
    files: Sequence[str | os.PathLike[str]] = (),
    declarations: Sequence[ParameterDeclaration] = (),
) -> tuple[ParameterDeclaration, ...]:
    """The ``declarations`` none of whose parameters gets a value for ``locality`` (its chain and ``files``):
    the engine leaves their plugins out for that locality and reports them."""
    decls = _unique([CORE_DECLARATION, *declarations])
    schemas = _schemas(decls)
    _, timelines, _, _, _ = _gather(locality, files, decls, schemas)
    return tuple(d for d in decls[1:] if not any(timelines[s.name] for s in d.schemas if not s.optional))


def load_policy(
    locality: str | os.PathLike[str] = "demo-city",
    files: Sequence[str | os.PathLike[str]] = (),
    declarations: Sequence[ParameterDeclaration] = (),
) -> Policy:
    """The policy of ``locality`` with the parameters of ``declarations``, then ``files`` in order.

    ``locality`` is a bundled name (``"demo-city"``, ``"sample-district"``, ``"national-core"``) or the path
    of a locality file that says what it ``extends``. Down the chain to ``national-core``, each locality's own
    timeline for a parameter replaces its base's; override ``files`` then merge by effective date (see the
    package docstring). Raises :class:`~assistkit.PolicyError` naming file and key for any unknown key,
    wrong type, bad or unsorted date, and one error listing **every** declared parameter left without a value.
    """
    decls = _unique([CORE_DECLARATION, *declarations])
    schemas = _schemas(decls)
    result_locality, timelines, files_read, where, digests = _gather(locality, files, decls, schemas)
    empty = [name for name, dated in timelines.items() if not dated and not schemas[name].optional]
    if empty:
        raise PolicyError(_missing_message(result_locality, [schemas[n] for n in empty]),
                          file=where.get(empty[0]), key=empty[0])
    # An optional reference value left unset is not in the policy: a rule reading it fails naming it.
    schemas = {n: s for n, s in schemas.items() if timelines[n]}
    merged: dict[str, list[TimelineEntry]] = {
        name: [(d, *dated[d]) for d in sorted(dated)] for name, dated in timelines.items() if dated
    }
    return Policy(result_locality, schemas, merged, files_read, digests)


def _missing_message(locality: str, missing: Sequence[ParameterSchema]) -> str:
    lines = [f"locality {locality!r} leaves {len(missing)} parameter{'s' if len(missing) != 1 else ''} "
             "without a value; give each a table of effective dates (e.g. urban = { 2024-01-01 = … } under "
             "[standard]) in the locality's file, or leave out the plugin that declares it:"]
    for s in missing:
        rule = f" ({s.rule})" if s.rule else ""
        lines.append(f"  {s.name}{rule}: {s.meaning}")
    return "\n".join(lines)


def _unique(decls: Sequence[Any]) -> list[ParameterDeclaration]:
    out: list[ParameterDeclaration] = []
    for d in decls:
        if not isinstance(d, ParameterDeclaration):
            raise PolicyError(f"expected an assistkit.policy.ParameterDeclaration; got {d!r}")
        if not any(d is seen for seen in out):
            out.append(d)
    return out


def _schemas(decls: Sequence[ParameterDeclaration]) -> dict[str, ParameterSchema]:
    schemas: dict[str, ParameterSchema] = {}
    for decl in decls:
        for schema in decl.schemas:
            if schema.name in schemas:
                raise PolicyError(
                    "declared twice (by two plugins, or by a plugin and the core); rename one of them",
                    key=schema.name,
                )
            schemas[schema.name] = schema
    groups = {name.rpartition(".")[0] for name in schemas}
    for name in schemas:
        if name in groups or any(g.startswith(name + ".") for g in groups):
            raise PolicyError("declared both as a parameter and as a group of parameters", key=name)
    return schemas


def _package_label(src: ValuesFile) -> str:
    """``<package>/path`` for a file inside an importable package (also in a zip), else the path itself."""
    text = os.fspath(src) if isinstance(src, (str, os.PathLike)) else str(src)
    path = os.path.abspath(text)
    best: tuple[str, ...] = ()
    for entry in sys.path:
        base = os.path.abspath(entry or os.curdir)
        if not path.startswith(base.rstrip(os.sep) + os.sep):
            continue
        rel = tuple(p for p in path[len(base):].replace(os.sep, "/").split("/") if p)
        # The nearest sys.path entry wins; inside a directory, the first part must be a regular package.
        if len(rel) > 1 and (not best or len(rel) < len(best)):
            if os.path.isfile(base) or os.path.isfile(os.path.join(base, rel[0], "__init__.py")):
                best = rel
    return f"<{best[0]}>/" + "/".join(best[1:]) if best else text


def _read(src: ValuesFile, label: str, digests: dict[str, str] | None = None) -> dict[str, Any]:
    try:
        if isinstance(src, (str, os.PathLike)):
            with open(src, "rb") as fh:
                raw = fh.read()
        else:
            raw = src.read_bytes()
    except OSError as exc:
        raise PolicyError(f"cannot read the policy file: {exc.strerror or exc}", file=label) from None
    if digests is not None:
        digests[label] = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError(f"a policy file must be UTF-8 text: {exc}", file=label) from None
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        hint = " (a key or an effective date given twice?)" if "uplicate" in str(exc) or "overwrite" in str(
            exc
        ) else ""
        raise PolicyError(f"not valid TOML: {exc}{hint}", file=label) from None


class _Reader:
    """Walks a parsed file's tables down to the tables of effective dates and merges their values."""

    def __init__(self, schemas: Mapping[str, ParameterSchema]) -> None:
        self.schemas = schemas
        groups: set[str] = set()
        for name in schemas:
            parts = name.split(".")
            groups.update(".".join(parts[:i]) for i in range(1, len(parts)))
        self.groups = frozenset(groups)

    def apply(
        self,
        data: dict[str, Any],
        file: str,
        timelines: dict[str, _Timeline],
        *,
        own: frozenset[str] | None = None,
    ) -> str | None:
        """Merge ``data`` into ``timelines``; return its top-level ``locality`` if any.

        ``own`` limits a bundled values file to its declaration's parameters.
        """
        locality = data.pop("locality", None)
        data.pop("extends", None)
        if locality is not None and (not isinstance(locality, str) or not locality.strip()):
            raise PolicyError(f"expected the locality's name as a string; got {show(locality)}", file=file,
                              key="locality")
        self._walk(data, "", file, timelines, own)
        return locality

    def _walk(self, table: dict[str, Any], prefix: str, file: str, timelines: dict[str, _Timeline],
              own: frozenset[str] | None) -> None:
        for key, value in table.items():
            name = prefix + key
            if name in self.schemas:
                if own is not None and name not in own:
                    raise PolicyError(
                        "this parameter is declared elsewhere (by the core or another plugin); its values "
                        "belong in that declaration's file or in a policy override file",
                        file=file,
                        key=name,
                    )
                self._dates(value, self.schemas[name], file, timelines.setdefault(name, {}))
            elif name in self.groups:
                if not isinstance(value, dict):
                    raise PolicyError(
                        f"{name} is a group of parameters, so expected a table such as [{name}]; "
                        f"got {show(value)}",
                        file=file,
                        key=name,
                    )
                self._walk(value, name + ".", file, timelines, own)
            else:
                raise PolicyError(self._unknown(name), file=file, key=name)

    def _unknown(self, name: str) -> str:
        close = difflib.get_close_matches(name, [*self.schemas, *self.groups], n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        return (
            f"unknown parameter; {hint}`assistkit params` lists the declared ones "
            "(a plugin's parameters are declared only when the plugin is installed)"
        )

    @staticmethod
    def _check_map(schema: ParameterSchema, value: Mapping[str, Any], file: str, key: str) -> None:
        """A map's keys among ``schema.keys`` and its values among ``schema.choices`` (when declared)."""
        for part, inner in value.items():
            if schema.keys and part not in schema.keys:
                raise PolicyError(f"expected a key among {', '.join(repr(k) for k in schema.keys)}; got {part!r}",
                                  file=file, key=f"{key}.{part}")
            if schema.choices and inner not in schema.choices:
                raise PolicyError(f"expected one of {', '.join(repr(c) for c in schema.choices)}; got "
                                  f"{show(inner)}", file=file, key=f"{key}.{part}")

    def _dates(self, table: object, schema: ParameterSchema, file: str, dated: _Timeline) -> None:
        name = schema.name
        if not isinstance(table, dict) or not table:
            raise PolicyError(
                f"expected a table of effective dates such as {{ 2024-01-01 = … }}; got {show(table)}",
                file=file,
                key=name,
            )
        previous: dt.date | None = None
        for text, raw in table.items():
            key = f"{name}.{text}"
            try:
                effective = parse_date(text)
            except ValueError:
                raise PolicyError(
                    f"expected an effective date YYYY-MM-DD as the key; got {text!r}", file=file, key=key
                ) from None
            if previous is not None and effective <= previous:
                raise PolicyError(
                    f"effective dates must be in increasing order; {text} comes after {previous.isoformat()}",
                    file=file,
                    key=key,
                )
            previous = effective
            try:
                value = convert(schema.type, raw)
            except ValueProblem as exc:
                raise PolicyError(exc.reason, file=file, key=".".join((key, *exc.path))) from None
            if isinstance(value, Mapping) and (schema.keys or schema.choices):
                self._check_map(schema, value, file, key)
            elif schema.choices and value not in schema.choices:
                raise PolicyError(f"expected one of {', '.join(repr(c) for c in schema.choices)}; got {show(raw)}",
                                  file=file, key=key)
            lines = value.items() if isinstance(value, Mapping) else (("", value),)
            for part, line in lines:
                if isinstance(line, Line) and line.of is not None and line.of not in self.schemas:
                    where = f"{key}.{part}.of" if part else f"{key}.of"
                    raise PolicyError(f"{line.of} is not a declared parameter; a line is a multiple of one "
                                      "(`assistkit params` lists them)", file=file, key=where)
            # Merge by date (see the package docstring): a later file's value for a date replaces the earlier.
            dated[effective] = (value, Source(file, name, effective))
