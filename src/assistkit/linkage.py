"""Linkage (衔接, §14): the order of programmes, the needs ledger, statuses and mutual exclusions.

- :func:`order_programmes` sorts programmes by their ``after`` declarations (§14.1); a cycle or a dependency on
  an unknown programme is a :class:`~assistkit.errors.LinkageError` when the engine is built.
- :class:`NeedsLedger` holds every need of a household (§14.0) and who paid what toward it, in order; a payment
  is clamped to what remains, so the total paid toward a need never exceeds it (§14.2, 不重复救助).
- :class:`StatusBook` holds household and person statuses and answers the person-status rule (parameters.md,
  last line); :data:`EXCLUSIONS` are the person-level mutual exclusions checked after each programme (§14.4).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType, SimpleNamespace
from typing import TYPE_CHECKING, NamedTuple

from .errors import LinkageError
from .explain import _new
from .household import LIVING_KINDS, MEDICAL_KINDS, Household, NeedKind, Status
from .money import ZERO

if TYPE_CHECKING:
    from .programme import Programme

__all__ = [
    "EXCLUSIONS",
    "PERSON_STATUS_ORDER",
    "LedgerEntry",
    "Need",
    "NeedsLedger",
    "StatusBook",
    "dependents",
    "order_programmes",
]

PERSON_STATUS_ORDER: tuple[str, ...] = tuple(s.value for s in Status)
"""A person's status for §9–§12 is the first of these the person holds, else the first their household holds."""

EXCLUSIONS: tuple[tuple[str, str, str], ...] = (("tekun", "dibao", "§14.4"),)
"""Pairs of statuses no person may hold together, with the § that forbids it."""


def order_programmes(programmes: Sequence[Programme]) -> tuple[Programme, ...]:
    """Topological order of ``programmes`` by ``after`` (hard) and ``after_if_present`` (soft) declarations.

    Ties are broken by name so the order never depends on plugin load order. Raises :class:`LinkageError`
    naming the programmes on a cycle, on a dependency on an unknown programme, or on a duplicate name.
    """
    by_name: dict[str, Programme] = {}
    for p in programmes:
        if p.name in by_name:
            raise LinkageError(f"two programmes are named {p.name!r}", [p.name])
        by_name[p.name] = p
    preds: dict[str, set[str]] = {name: set() for name in by_name}
    for p in programmes:
        for dep in p.after:
            if dep not in by_name:
                raise LinkageError(
                    f"programme {p.name!r} comes after {dep!r}, which is not installed; install the plugin "
                    f"that provides {dep!r} or remove it from {p.name}.after",
                    [p.name, dep],
                )
            preds[p.name].add(dep)
        for dep in p.after_if_present:
            if dep in by_name:
                preds[p.name].add(dep)
    succs: dict[str, list[str]] = {name: [] for name in by_name}
    for name, deps in preds.items():
        for dep in deps:
            succs[dep].append(name)
    remaining = {name: len(deps) for name, deps in preds.items()}
    ready = [name for name, n in remaining.items() if n == 0]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        name = heapq.heappop(ready)
        ordered.append(name)
        for nxt in succs[name]:
            remaining[nxt] -= 1
            if remaining[nxt] == 0:
                heapq.heappush(ready, nxt)
    if len(ordered) != len(by_name):
        stuck = sorted(name for name, n in remaining.items() if n > 0)
        cycle = _find_cycle(stuck, preds)
        raise LinkageError(
            "programme declarations form a cycle: " + " → ".join(cycle) + "; remove one of these `after` entries",
            cycle,
        )
    return tuple(by_name[name] for name in ordered)


def _find_cycle(stuck: list[str], preds: Mapping[str, set[str]]) -> list[str]:
    start = stuck[0]
    path, seen = [start], {start}
    node = start
    while True:
        node = min(d for d in preds[node] if d in stuck)
        if node in seen:
            cycle = path[path.index(node):] + [node]
            return list(reversed(cycle))
        path.append(node)
        seen.add(node)


def dependents(failed: str, programmes: Sequence[Programme]) -> set[str]:
    """Names of the programmes that come after ``failed``, directly or transitively (hard and soft)."""
    out: set[str] = set()
    frontier = {failed}
    while frontier:
        nxt = set()
        for p in programmes:
            if p.name not in out and frontier & (set(p.after) | set(p.after_if_present)):
                nxt.add(p.name)
        out |= nxt
        frontier = nxt
    return out


class Need(NamedTuple):
    """A need (§14.0): an expense or event, with what remains of it after history.

    A named tuple, not an attrs class, like :class:`~assistkit.explain.Reason`: a household with expenses or
    events builds one per need for every assessment (the hot path).
    """

    id: str
    kind: NeedKind
    date: dt.date
    member: str | None
    gross: Decimal
    """``total − insurance_paid`` (medical), ``total`` (tuition) or ``loss − compensated`` (event)."""
    history_paid: Decimal
    """What history paid toward it (payments of :data:`~assistkit.household.LIVING_KINDS` do not count)."""
    amount: Decimal
    """``max(0, gross − history_paid)``: what the programmes of this determination may pay toward."""


class LedgerEntry(NamedTuple):
    """One payment toward a need: what the programme asked to pay and what the ledger let it pay (§14.2)."""

    programme: str
    need: str
    requested: Decimal
    paid: Decimal


class NeedsLedger:
    """The needs of one household and every payment toward them, in order (§14.0–§14.2)."""

    __slots__ = ("needs", "_paid", "entries", "_mark")

    def __init__(self, household: Household) -> None:
        self.entries: list[LedgerEntry] = []
        self._mark = 0
        if not household.expenses and not household.events:
            # The usual household: nothing to pay toward, and nothing is ever paid (an unknown need is an error).
            self.needs: Mapping[str, Need] = _NO_NEEDS
            self._paid: dict[str, Decimal] = {}  # never written (a mapping proxy would not compile with mypyc)
            return
        history: dict[str, Decimal] = {}
        for past in household.history:
            # Living relief names an event only to identify it: it is not toward the need (§14.0, §D.6).
            if past.need is not None and past.kind not in LIVING_KINDS:
                history[past.need] = history.get(past.need, ZERO) + past.amount
        needs: dict[str, Need] = {}
        for e in household.expenses:
            if e.kind in MEDICAL_KINDS:
                kind, gross = NeedKind.MEDICAL, e.total - e.insurance_paid
            else:
                kind, gross = NeedKind.TUITION, e.total
            h = history.get(e.id, ZERO)
            needs[e.id] = _new(Need, (e.id, kind, e.date, e.member, gross, h, max(ZERO, gross - h)))
        for ev in household.events:
            gross = ev.loss - ev.compensated
            h = history.get(ev.id, ZERO)
            needs[ev.id] = _new(Need, (ev.id, NeedKind.EMERGENCY, ev.date, None, gross, h, max(ZERO, gross - h)))
        self.needs = needs
        self._paid = dict.fromkeys(needs, ZERO)

    def remaining(self, need: str) -> Decimal:
        """What remains of ``need`` after history and every payment so far."""
        return self.needs[need].amount - self._paid[need]

    def paid(self, need: str) -> Decimal:
        """What this determination has paid toward ``need`` so far."""
        return self._paid[need]

    def pay(self, programme: str, need: str, amount: Decimal) -> Decimal:
        """Pay ``amount`` toward ``need``, clamped to what remains (§14.2); returns what was paid."""
        if need not in self.needs:
            raise KeyError(f"{programme} paid toward unknown need {need!r}")
        left = self.needs[need].amount - self._paid[need]
        paid = amount if amount <= left else max(ZERO, left)
        self._paid[need] += paid
        self.entries.append(_new(LedgerEntry, (programme, need, amount, paid)))
        return paid

    def payments_toward(self, need: str) -> list[LedgerEntry]:
        """Who paid what toward ``need``, in order."""
        return [e for e in self.entries if e.need == need]

    # Transaction marks let the engine undo a failing programme's payments (isolation).
    def _begin(self) -> None:
        self._mark = len(self.entries)

    def _rollback(self) -> None:
        for entry in self.entries[self._mark:]:
            self._paid[entry.need] -= entry.paid
        del self.entries[self._mark:]


_NO_NEEDS: Mapping[str, Need] = MappingProxyType({})


def _ledger(household: Household) -> NeedsLedger:
    """The needs ledger of ``household``: its own, or for a household without expenses and events (most) the one
    shared empty ledger, which nothing ever changes: paying toward any need raises before it is written, and the
    engine takes no mark and has nothing to roll back when there are no needs."""
    if household.expenses or household.events:
        return NeedsLedger(household)
    return _EMPTY_LEDGER


_EMPTY_LEDGER = NeedsLedger(SimpleNamespace(expenses=(), events=(), history=()))  # type: ignore[arg-type]
"""The ledger of every household without expenses and events (all its __init__ reads of a household)."""


class StatusBook:
    """Household and person statuses granted so far in one determination."""

    __slots__ = ("household", "members")

    def __init__(self) -> None:
        self.household: set[str] = set()
        self.members: dict[str, set[str]] = {}

    def holds(self, status: str, member: str | None = None) -> bool:
        """Whether the household (``member=None``) or the member holds ``status``."""
        if member is None:
            return status in self.household
        return status in self.members.get(member, ())

    def anyone_holds(self, statuses: Iterable[str]) -> bool:
        """Whether the household or any member holds one of ``statuses``."""
        wanted = set(statuses)
        if wanted & self.household:
            return True
        return any(wanted & s for s in self.members.values())

    def of(self, member: str) -> frozenset[str]:
        return frozenset(self.members.get(member, ()))

    def person_status(self, member: str) -> str | None:
        """The person-status rule (parameters.md): the first of tekun, dibao, marginal, expenditure_hardship
        the person holds, or else that their household holds; ``None`` when neither holds any."""
        own = self.members.get(member)
        if own:
            for status in PERSON_STATUS_ORDER:
                if status in own:
                    return status
        for status in PERSON_STATUS_ORDER:
            if status in self.household:
                return status
        return None

    def grant(self, status: str, member: str | None) -> None:
        """Give ``status`` to ``member`` (``None``: the household)."""
        self.grant_all(((member, status),))

    def grant_all(self, grants: Iterable[tuple[str | None, str]]) -> None:
        """:meth:`grant` each ``(member, status)`` of ``grants``, in order."""
        household = self.household
        members = self.members
        for member, status in grants:
            if member is None:
                household.add(status)
            else:
                members.setdefault(member, set()).add(status)

    def violations(self, staged: Iterable[tuple[str | None, str]] = ()) -> list[tuple[str, str, str, str]]:
        """(member, status a, status b, §) for each person who holds, or with the ``staged`` grants would hold,
        an excluded pair (§14.4). With ``staged``, only the members it names are checked."""
        members: Mapping[str, set[str]] = self.members
        if staged:
            members = {}
            for member, status in staged:
                if member is not None:
                    members.setdefault(member, set(self.members.get(member, ()))).add(status)
        return [(member, a, b, section) for member, held in members.items()
                for a, b, section in EXCLUSIONS if a in held and b in held]

