"""A loaded policy (every parameter's timeline) and the parameters resolved on one date (§1.4)."""

from __future__ import annotations

import datetime as dt
import difflib
import threading
from bisect import bisect_right
from collections.abc import Callable, ItemsView, Iterable, Iterator, KeysView, Mapping, Sequence, ValuesView
from types import MappingProxyType
from typing import Any, NoReturn, TypeVar

from ..errors import PolicyError
from ._schema import ParameterSchema, Source, Value, freeze, thaw

__all__ = ["Parameters", "Policy", "TimelineEntry"]

TimelineEntry = tuple[dt.date, Value, Source]
"""One dated value of a parameter: ``(effective date, value, source)``."""

_T = TypeVar("_T")


class _UnknownParameter(KeyError):
    """A ``KeyError`` whose text is a sentence, not the repr of the key."""

    def __str__(self) -> str:
        return str(self.args[0])


def _unknown(name: object, known: Iterable[str]) -> _UnknownParameter:
    close = difflib.get_close_matches(str(name), list(known), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else "; `assistkit params` lists them all"
    return _UnknownParameter(f"unknown parameter {name!r}{hint}")


class Parameters(Mapping[str, Value]):
    """Every parameter of a policy resolved on one date, e.g. ``params["standard.urban"]`` → ``1050.00``.

    Made by :meth:`Policy.at`; read-only. Iteration is by name, sorted. A lookup is one dict lookup;
    :meth:`derived` reads a set of parameters once per date instead of once per household.
    """

    __slots__ = ("_derived", "_sources", "_standard", "_values", "locality", "on")

    def __init__(
        self, on: dt.date, locality: str, values: dict[str, Value], sources: dict[str, Source]
    ) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "on", on)
        setattr_(self, "locality", locality)
        setattr_(self, "_values", values)
        setattr_(self, "_sources", sources)
        # §1.5: S by residence, looked up once per household.
        standard = {r: values[f"standard.{r}"] for r in ("urban", "rural") if f"standard.{r}" in values}
        setattr_(self, "_standard", standard)
        setattr_(self, "_derived", {})

    on: dt.date
    locality: str
    _values: dict[str, Value]
    _sources: dict[str, Source]
    _standard: dict[str, Value]
    _derived: dict[Callable[[Parameters], Any], Any]

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"Parameters are read-only; cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"Parameters are read-only; cannot delete {name!r}")

    def __getitem__(self, name: str) -> Value:
        try:
            return self._values[name]
        except KeyError:
            raise _unknown(name, self._values) from None

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def get(self, name: str, default: Any = None) -> Any:
        return self._values.get(name, default)

    def keys(self) -> KeysView[str]:
        return self._values.keys()

    def values(self) -> ValuesView[Value]:
        return self._values.values()

    def items(self) -> ItemsView[str, Value]:
        return self._values.items()

    def source(self, name: str) -> Source:
        """The file, key and effective date of the value of ``name`` in force on :attr:`on`."""
        try:
            return self._sources[name]
        except KeyError:
            raise _unknown(name, self._sources) from None

    def standard(self, residence: str) -> Any:
        """The standard S (§1.5) for ``residence``: a ``Residence`` or ``"urban"`` / ``"rural"``."""
        try:
            return self._standard[residence]
        except (KeyError, TypeError):
            if f"standard.{residence}" not in self._values and residence in ("urban", "rural"):
                raise _unknown(f"standard.{residence}", self._values) from None
            raise ValueError(f"residence must be 'urban' or 'rural'; got {residence!r}") from None

    def derived(self, build: Callable[[Parameters], _T]) -> _T:
        """``build(self)``, made once for these parameters and then returned as it is.

        For what a rule derives from the parameters alone, e.g. an object holding the values it reads (``build``
        is then the class): :meth:`Policy.at` resolves a date once, so the values are read by name once per
        date rather than once per household. ``build`` must read nothing but the parameters and return an
        immutable value. Safe between threads: two threads may both build it; both get the one kept.
        """
        try:
            return self._derived[build]  # type: ignore[no-any-return]
        except KeyError:
            return self._derived.setdefault(build, build(self))  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"<Parameters {self.locality} on {self.on.isoformat()}: {len(self._values)} values>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore_parameters, (self.on, self.locality, thaw(self._values), self._sources))


def _restore_parameters(
    on: dt.date, locality: str, values: dict[str, Any], sources: dict[str, Source]
) -> Parameters:
    return Parameters(on, locality, {k: freeze(v) for k, v in values.items()}, sources)


class Policy:
    """The parameters of one locality: for each declared parameter, its values by effective date (§1.4).

    Made by :func:`~assistkit.policy.load_policy`. Immutable and safe to share between threads: :meth:`at`
    resolves every parameter for a date once and caches the result; :attr:`resolutions` counts real
    resolutions. A policy pickles (for worker processes) without its cache.
    """

    __slots__ = ("_cache", "_dates", "_lock", "_resolutions", "_timelines", "digests", "files", "locality",
                 "schemas")

    locality: str
    schemas: Mapping[str, ParameterSchema]
    files: tuple[str, ...]
    digests: Mapping[str, str]
    """File → sha256 (hex) of the bytes read, for each file the policy was loaded from (provenance)."""
    _timelines: dict[str, tuple[TimelineEntry, ...]]
    _dates: dict[str, list[dt.date]]
    _cache: dict[dt.date, Parameters]
    _lock: threading.Lock
    _resolutions: int

    def __init__(
        self,
        locality: str,
        schemas: Mapping[str, ParameterSchema],
        timelines: Mapping[str, Sequence[TimelineEntry]],
        files: Sequence[str] = (),
        digests: Mapping[str, str] | None = None,
    ) -> None:
        if set(schemas) != set(timelines):
            odd = sorted(set(schemas) ^ set(timelines))
            raise PolicyError("every declared parameter needs a timeline, and only those", key=odd[0])
        ordered: dict[str, tuple[TimelineEntry, ...]] = {}
        for name in sorted(schemas):
            entries = tuple(timelines[name])
            dates = [d for d, _, _ in entries]
            if not entries or any(a >= b for a, b in zip(dates, dates[1:], strict=False)):
                raise PolicyError("a timeline must be non-empty with increasing effective dates", key=name)
            ordered[name] = entries
        setattr_ = object.__setattr__
        setattr_(self, "locality", locality)
        setattr_(self, "schemas", MappingProxyType({n: schemas[n] for n in ordered}))
        setattr_(self, "files", tuple(files))
        setattr_(self, "digests", MappingProxyType(dict(digests or {})))
        setattr_(self, "_timelines", ordered)
        setattr_(self, "_dates", {n: [d for d, _, _ in e] for n, e in ordered.items()})
        setattr_(self, "_cache", {})
        setattr_(self, "_lock", threading.Lock())
        setattr_(self, "_resolutions", 0)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"a Policy is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"a Policy is immutable; cannot delete {name!r}")

    @property
    def resolutions(self) -> int:
        """How many times :meth:`at` has really resolved the parameters (cache misses)."""
        return self._resolutions

    def at(self, on: dt.date) -> Parameters:
        """Every parameter's value on ``on``: the one with the latest effective date ≤ ``on`` (§1.4).

        Raises :class:`~assistkit.PolicyError` naming the parameter when ``on`` is before its first value.
        """
        params = self._cache.get(on)
        if params is not None:
            return params
        with self._lock:
            params = self._cache.get(on)
            if params is None:
                params = self._resolve(on)
                self._cache[on] = params
                object.__setattr__(self, "_resolutions", self._resolutions + 1)
        return params

    def _resolve(self, on: dt.date) -> Parameters:
        if type(on) is not dt.date:
            raise TypeError(f"expected a datetime.date; got {type(on).__name__} {on!r}")
        values: dict[str, Value] = {}
        sources: dict[str, Source] = {}
        early: list[str] = []
        for name, entries in self._timelines.items():
            i = bisect_right(self._dates[name], on) - 1
            if i < 0:
                early.append(name)
                continue
            _, values[name], sources[name] = entries[i]
        if early:
            # Every parameter without a value on this date at once, each with the rule it serves.
            first, _, source = self._timelines[early[0]][0]
            if len(early) == 1:
                raise PolicyError(
                    f"no value in force on {on.isoformat()}; the first is from {first.isoformat()}",
                    file=source.file,
                    key=early[0],
                )
            lines = [f"locality {self.locality!r} has no value in force on {on.isoformat()} for "
                     f"{len(early)} parameters:"]
            for name in early:
                schema = self.schemas[name]
                rule = f" ({schema.rule})" if schema.rule else ""
                start, _, src = self._timelines[name][0]
                lines.append(f"  {name}{rule}: the first is from {start.isoformat()} ({src.file})")
            raise PolicyError("\n".join(lines), file=source.file, key=early[0])
        return Parameters(on, self.locality, values, sources)

    def timeline(self, name: str) -> tuple[TimelineEntry, ...]:
        """Every dated value of ``name``, by effective date: ``((date, value, Source), …)``."""
        try:
            return self._timelines[name]
        except KeyError:
            raise _unknown(name, self._timelines) from None

    def changes_between(
        self, after: dt.date, until: dt.date
    ) -> tuple[tuple[str, dt.date, Value, Source], ...]:
        """The dated values with ``after`` < effective date ≤ ``until``, by date then name.

        These are the changes between ``at(after)`` and ``at(until)``; a dated value equal to the one before
        it is listed too.
        """
        found = [
            (name, d, value, source)
            for name, entries in self._timelines.items()
            for d, value, source in entries
            if after < d <= until
        ]
        return tuple(sorted(found, key=lambda c: (c[1], c[0])))

    def __repr__(self) -> str:
        return f"<Policy {self.locality}: {len(self.schemas)} parameters from {len(self.files)} files>"

    def __reduce__(self) -> tuple[Any, ...]:
        timelines = {n: [(d, thaw(v), s) for d, v, s in e] for n, e in self._timelines.items()}
        return (_restore_policy, (self.locality, dict(self.schemas), timelines, self.files, dict(self.digests)))


def _restore_policy(
    locality: str,
    schemas: dict[str, ParameterSchema],
    timelines: dict[str, list[Any]],
    files: tuple[str, ...],
    digests: dict[str, str] | None = None,
) -> Policy:
    frozen = {n: [(d, freeze(v), s) for d, v, s in e] for n, e in timelines.items()}
    return Policy(locality, schemas, frozen, files, digests)
