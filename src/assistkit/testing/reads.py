"""Which household facts a programme reads, recorded while it assesses: the check behind ``Programme.reads``.

A county must be able to see exactly which personal data each programme uses (data minimisation), so a
programme declares what it reads (``reads``) and a test holds it to that: :func:`undeclared_reads` assesses a
household with the engine as usual, but gives the programmes a *recording* household — a subclass of the model
classes whose attribute reads are noted, with the extension block a mapping that notes each namespace and fact
read — and returns, per programme, what it read without declaring it. A read is noted against the programme
whose ``assess`` is running: what it reads through ``ctx``'s helpers, such as the income accounting, counts as
its own, also when an earlier programme asked for the same result (the helpers' cache is emptied before each
programme's turn, so the result is worked out again from the household). What the engine reads outside any
programme is not noted.

The names are the declared ones: a core field of the household (``"incomes"``, ``"housing"``), of a member
(``"members.birth_date"``), an extension fact (``"ext.heating.heated_area"``, ``"members.ext.heating.insulated"``).
A declaration covers what lies under it (``"incomes"`` covers reading an income's amount) and the containers
above it (declaring ``"members.birth_date"`` covers reading ``members``).

>>> undeclared_reads(engine, household, on)      # doctest: +SKIP
{'heating': ()}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from ..household import Household, Person
from ..programme import Programme

__all__ = ["covered", "declared_reads_problems", "reads_of", "undeclared_reads"]


class _Log:
    """The reads of each programme; ``current`` is the programme whose ``assess`` runs."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.reads: dict[str, set[str]] = {}

    def note(self, name: str) -> None:
        if self.current is not None:
            self.reads.setdefault(self.current, set()).add(name)


class _Reading(Mapping[str, Any]):
    """An extension block (or one namespace of it) that notes each key read."""

    def __init__(self, data: Mapping[str, Any], prefix: str, log: _Log, depth: int) -> None:
        self._data, self._prefix, self._log, self._depth = data, prefix, log, depth

    def __getitem__(self, key: str) -> Any:
        value = self._data[key]
        self._log.note(self._prefix + key)
        if self._depth == 0 and isinstance(value, Mapping):
            return _Reading(value, f"{self._prefix}{key}.", self._log, 1)
        return value

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self._log.note(self._prefix + key)
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        self._log.note(self._prefix.rstrip("."))
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def _recording(cls: type, prefix: str, log: _Log) -> type:
    """A subclass of the attrs class ``cls`` whose field reads are noted as ``prefix + field``."""
    fields = frozenset(f.name for f in attrs.fields(cls))

    def __getattribute__(self: Any, name: str) -> Any:  # noqa: N807 - the dunder it defines
        value = object.__getattribute__(self, name)
        if name in fields:
            if name == "ext":
                return _Reading(value, prefix + "ext.", log, 0)
            if name != "id":  # an id names the record; it is no fact about anyone
                log.note(prefix + name)
        return value

    return type(f"Recording{cls.__name__}", (cls,), {"__slots__": (), "__getattribute__": __getattribute__})


def _copy(instance: Any, cls: type, **changes: Any) -> Any:
    made: Any = object.__new__(cls)
    for f in attrs.fields(type(instance)):
        object.__setattr__(made, f.name, changes.get(f.name, getattr(instance, f.name)))
    return made


def reads_of(engine: Any, household: Household, on: dt.date, *, funds: Any = None) -> dict[str, set[str]]:
    """Assess ``household`` on ``on`` (with donation ``funds``, if any) with ``engine`` and return what each
    programme read."""
    log = _Log()
    person_cls = _recording(Person, "members.", log)
    household_cls = _recording(Household, "", log)
    members = tuple(_copy(p, person_cls) for p in household.members)
    recording = _copy(household, household_cls, members=members)
    programmes: tuple[Programme, ...] = engine.programmes
    for programme in programmes:
        own = programme.assess

        def assess(ctx: Any, own: Any = own, name: str = programme.name) -> None:
            log.current = name
            # A result an earlier programme asked for is worked out again, so its reads count for this one too.
            ctx._forget_cached()
            try:
                own(ctx)
            finally:
                log.current = None

        programme.assess = assess  # type: ignore[method-assign]
    try:
        engine.assess(recording, on, funds=funds)
    finally:
        for programme in programmes:
            del programme.assess
    return log.reads


def covered(read: str, declared: tuple[str, ...]) -> bool:
    """Whether the declarations ``declared`` cover ``read`` (it, something above it, or something under it)."""
    return any(read == d or read.startswith(d + ".") or d.startswith(read + ".") for d in declared)


def undeclared_reads(engine: Any, household: Household, on: dt.date, *,
                     funds: Any = None) -> dict[str, tuple[str, ...]]:
    """Each programme of ``engine`` that declares ``reads`` (not ``None``), with what it read assessing
    ``household`` on ``on`` (with donation ``funds``, if any) that it did not declare (an empty tuple when it
    kept to its declaration)."""
    reads = reads_of(engine, household, on, funds=funds)
    return {p.name: tuple(sorted(r for r in reads.get(p.name, ()) if not covered(r, p.reads)))
            for p in engine.programmes if p.reads is not None}


def declared_reads_problems(engine: Any, cases: Iterable[tuple[Household, dt.date]],
                            programmes: Iterable[str] | None = None) -> list[str]:
    """Assess each ``(household, on)`` of ``cases`` with ``engine`` and say, one line each, what a programme
    (of ``programmes``, default every one that declares ``reads``) read that it did not declare."""
    wanted = None if programmes is None else set(programmes)
    problems: list[str] = []
    for household, on in cases:
        for name, undeclared in undeclared_reads(engine, household, on).items():
            if undeclared and (wanted is None or name in wanted):
                problems.append(f"household {household.id} on {on.isoformat()}: programme {name!r} read "
                                f"{', '.join(undeclared)}, which its `reads` does not declare")
    return problems
