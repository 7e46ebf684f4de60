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

from ..errors import PolicyError
from ..periods import parse_date
from ._core import CORE_DECLARATION
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

__all__ = ["bundled_localities", "load_policy"]

_Timeline = dict[dt.date, tuple[Value, Source]]


def bundled_localities() -> tuple[str, ...]:
    """The localities whose core values ship with assistkit (``src/assistkit/localities/*.toml``)."""
    return tuple(sorted(CORE_DECLARATION.values))


def load_policy(
    locality: str = "demo-city",
    files: Sequence[str | os.PathLike[str]] = (),
    declarations: Sequence[ParameterDeclaration] = (),
) -> Policy:
    """The policy of a bundled ``locality`` with the parameters of ``declarations``, then ``files`` in order.

    The base is the core values of ``locality`` plus each declaration's values for it. Each override file then
    merges into the parameters' timelines by effective date (see the package docstring). Raises
    :class:`~assistkit.PolicyError` naming file and key for any unknown key, wrong type, bad or unsorted date,
    or a declared parameter left without a value.
    """
    if isinstance(files, (str, os.PathLike)):
        raise TypeError("files must be a sequence of paths; wrap a single file in a list")
    decls = _unique([CORE_DECLARATION, *declarations])
    schemas = _schemas(decls)
    if locality not in CORE_DECLARATION.values:
        raise PolicyError(
            f"unknown locality {locality!r}; the bundled localities are {', '.join(bundled_localities())}. "
            "To describe another locality, start from a bundled one and give override files "
            "(their top-level `locality = \"…\"` names the result)"
        )
    reader = _Reader(schemas)
    timelines: dict[str, _Timeline] = {name: {} for name in schemas}
    files_read: list[str] = []
    digests: dict[str, str] = {}  # file → sha256 of the bytes read (provenance)
    bundled: dict[str, str] = {}
    lacking: list[ParameterDeclaration] = []
    for decl in decls:
        src = decl.values.get(locality)
        if src is None:
            lacking.append(decl)
            continue
        label = _package_label(src)
        own = frozenset(s.name for s in decl.schemas)
        data = _read(src, label, digests)
        name = reader.apply(data, label, timelines, own=own)
        if name is not None and name != locality:
            raise PolicyError(
                f"this file holds the values of locality {locality!r} but says locality = {name!r}",
                file=label,
                key="locality",
            )
        files_read.append(label)
        bundled.update(dict.fromkeys(own, label))
    result_locality = locality
    for file in files:
        label = os.fspath(file)
        result_locality = reader.apply(_read(file, label, digests), label, timelines) or result_locality
        files_read.append(label)
    for decl in lacking:
        missing = [s.name for s in decl.schemas if not timelines[s.name]]
        if missing:
            raise PolicyError(
                f"plugin parameters {', '.join(missing)} have no values for locality {locality!r}; "
                "give them in a policy file"
            )
    empty = [name for name, dated in timelines.items() if not dated]
    if empty:
        name, others = empty[0], empty[1:]
        group, _, leaf = name.rpartition(".")
        also = f" (also {', '.join(others)})" if others else ""
        raise PolicyError(
            f"declared parameter has no value{also}; give it a table of effective dates, "
            f"e.g. {leaf} = {{ 2024-01-01 = … }}" + (f" under [{group}]" if group else ""),
            file=bundled.get(name),
            key=name,
        )
    merged: dict[str, list[TimelineEntry]] = {
        name: [(d, *dated[d]) for d in sorted(dated)] for name, dated in timelines.items()
    }
    return Policy(result_locality, schemas, merged, files_read, digests)


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
                self._dates(value, self.schemas[name], file, timelines[name])
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
            # Merge by date (see the package docstring): a later file's value for a date replaces the earlier.
            dated[effective] = (value, Source(file, name, effective))
