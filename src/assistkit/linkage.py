"""Linkage (衔接, §14): the needs ledger, statuses and mutual exclusions.

The order of programmes (§14.1) is the engine's (:func:`assistkit.engine.order_programmes`).

- :class:`NeedsLedger` holds every need of a household (§14.0) and who paid what toward it, in order; a payment
  is clamped to what remains, so the total paid toward a need never exceeds it (§14.2, 不重复救助).
- :class:`StatusBook` holds household and person statuses and answers the person-status rule (parameters.md,
  last line); its :class:`StatusRules`, built from the programmes' status declarations, hold that order and
  the person-level mutual exclusions checked after each programme (§14.4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType, SimpleNamespace
from typing import NamedTuple

from attrs import frozen

from ._fastinit import maker
from .errors import LinkageError
from .explain import _new
from .household import LIVING_KINDS, MEDICAL_KINDS, Household, NeedKind
from .money import ZERO

__all__ = [
    "NO_STATUS_RULES",
    "LedgerEntry",
    "Need",
    "NeedState",
    "NeedsLedger",
    "StatusBook",
    "StatusDeclaration",
    "StatusRules",
    "needs_ledger",
]

@frozen
class StatusDeclaration:
    """A status a programme grants (身份), declared with the roles the core gives it, so the core names none.

    - ``name``, ``title_zh``, ``title_en``: its id and its words in explanations.
    - ``rank``: its place in the person-status rule (parameters.md, last line): a person's status is the
      declared status of lowest rank the person holds, else the one of lowest rank their household holds.
    - ``excludes``: statuses no person may hold together with this one (§14.4), and ``section`` the rule that
      says so.
    - ``own_unit``: a person holding it is outside the household's dibao unit (§2.4) for the §15.1 review.
    """

    name: str
    title_zh: str
    title_en: str
    rank: int
    excludes: tuple[str, ...] = ()
    section: str = "§14.4"
    own_unit: bool = False


class StatusRules:
    """What the installed programmes declare of their statuses (``Programme.statuses``): the person-status order,
    the mutual exclusions (§14.4) and the statuses whose holders form no part of the dibao unit (§2.4). Built
    once per engine; the core names no status."""

    __slots__ = ("order", "exclusions", "own_unit", "titles")

    def __init__(self, declarations: Iterable[StatusDeclaration] = ()) -> None:
        declared: dict[str, StatusDeclaration] = {}
        for d in declarations:
            if d.name in declared and declared[d.name] != d:
                raise LinkageError(f"status {d.name!r} is declared twice, differently: {declared[d.name]} and {d}",
                                   [d.name])
            declared[d.name] = d
        ranked = sorted(declared.values(), key=lambda d: (d.rank, d.name))
        self.order: tuple[str, ...] = tuple([d.name for d in ranked])
        """A person's status for §9–§12 is the first of these the person holds, else the first their household
        holds."""
        pairs: dict[frozenset[str], tuple[str, str, str]] = {}
        for d in ranked:
            for other in d.excludes:
                pairs.setdefault(frozenset((d.name, other)), (d.name, other, d.section))
        self.exclusions: tuple[tuple[str, str, str], ...] = tuple(pairs.values())
        """Pairs of statuses no person may hold together, with the § that forbids it."""
        self.own_unit: frozenset[str] = frozenset(d.name for d in ranked if d.own_unit)
        self.titles: dict[str, tuple[str, str]] = {d.name: (d.title_zh, d.title_en) for d in ranked}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StatusRules):
            return NotImplemented
        return (self.order, self.exclusions, self.own_unit, self.titles) == (
            other.order, other.exclusions, other.own_unit, other.titles)

    def __hash__(self) -> int:
        return hash((self.order, self.exclusions, self.own_unit))

    def __repr__(self) -> str:
        return f"<StatusRules order={self.order} exclusions={self.exclusions} own_unit={sorted(self.own_unit)}>"


NO_STATUS_RULES = StatusRules()
"""The rules of a context built without an engine: no status declared."""


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


@frozen
class NeedState:
    """A need at the end of the determination (§14): amount, paid, remaining, who paid what in order, and the
    need's kind and date (what a later pass, e.g. donation matching §13.2, orders needs by)."""

    id: str
    kind: str
    amount: Decimal
    paid: Decimal
    remaining: Decimal
    entries: tuple[tuple[str, Decimal], ...]
    date: dt.date | None = None


_need_state = maker(NeedState)
"""``NeedState(*fields)``, cheaper (one per need of every assessment)."""


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

    def states(self) -> tuple[NeedState, ...]:
        """Every need as it stands now: amount, paid, remaining, and who paid what toward it, in order."""
        if not self.needs:
            return ()
        entries = self.entries
        return tuple([
            _need_state(need.id, need.kind.value, need.amount, self._paid[need.id],
                      need.amount - self._paid[need.id],
                      tuple([(e.programme, e.paid) for e in entries if e.need == need.id and e.paid]), need.date)
            for need in self.needs.values()
        ])

    def payments_toward(self, need: str) -> list[LedgerEntry]:
        """Who paid what toward ``need``, in order."""
        return [e for e in self.entries if e.need == need]

    # A mark lets the engine undo the payments of a programme that fails (isolation).
    def begin(self) -> None:
        """Mark the ledger as it is now: :meth:`rollback` returns it there."""
        self._mark = len(self.entries)

    def rollback(self) -> None:
        """Undo every payment since the last :meth:`begin`."""
        for entry in self.entries[self._mark:]:
            self._paid[entry.need] -= entry.paid
        del self.entries[self._mark:]


_NO_NEEDS: Mapping[str, Need] = MappingProxyType({})


def needs_ledger(household: Household) -> NeedsLedger:
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

    __slots__ = ("household", "members", "rules")

    def __init__(self, rules: StatusRules = NO_STATUS_RULES) -> None:
        self.household: set[str] = set()
        self.members: dict[str, set[str]] = {}
        self.rules = rules

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
        """The person-status rule (parameters.md): the first status in the declared order (Demo City: tekun,
        dibao, marginal, expenditure_hardship) the person holds, or else that their household holds; ``None``
        when neither holds any."""
        order = self.rules.order
        own = self.members.get(member)
        if own:
            for status in order:
                if status in own:
                    return status
        for status in order:
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
                for a, b, section in self.rules.exclusions if a in held and b in held]

