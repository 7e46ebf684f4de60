"""The donation pass over a population (§13.2): a second, sequential pass over first-pass determinations.

The first pass (all the government programmes) runs in parallel, in any chunks; this pass then matches what
remains of each household's needs with donation funds, in input order, balances carrying over from one household
to the next — the matching of one household is the core's :func:`assistkit.donations.allocate`, the same the
programme ``donations`` uses in a single assessment. It reads determination JSON (dicts or JSON text lines, as
the batch tool writes them) or :class:`~assistkit.determination.Determination` objects, never households: what
it needs is each need's kind, date and remaining amount (the ``needs`` of the output) and the statuses.

With a ledger (:mod:`assistkit.population.ledger`), balances are the ledger's, each household's allocations are
committed as one transaction under ``"<household>:<on>"``, and a household already committed for that date gets
its committed allocations again instead of a new matching — so re-running a pass (after a crash, or twice) ends
with the balances of one clean run.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from ..determination import (
    Determination,
    NeedState,
    need_json,
    payment_json,
    reasons_data,
    reasons_json,
    totals_json,
)
from ..donations import (
    ALLOCATION,
    PROGRAMME,
    RULES,
    TITLES,
    Allocation,
    OpenNeed,
    allocate,
    funds_valid_on,
    no_allocation,
)
from ..errors import AssistkitError
from ..explain import Reason
from ..household import Fund, NeedKind
from ..money import ZERO, format_money, parse_money
from ..periods import parse_date
from ..programme import Payment, ProgrammeResult

if TYPE_CHECKING:
    from .ledger import LedgerStore

__all__ = ["FundSummary", "FundTotals", "Matching", "MatchingError", "match"]


class MatchingError(AssistkitError, ValueError):
    """A determination cannot be matched: it lacks what the second pass reads (need kinds and dates), it
    already has donation allocations, or the ledger holds allocations for it that no longer fit its needs."""






@frozen
class FundTotals:
    """One fund's part in a matching: balance before, allocated, balance after, households and allocations."""

    fund: str
    name: str
    valid: bool
    balance_before: Decimal
    allocated: Decimal
    balance_after: Decimal
    households: int
    allocations: int

    def to_json(self) -> dict[str, Any]:
        return {"fund": self.fund, "name": self.name, "valid": self.valid,
                "balance_before": format_money(self.balance_before),
                "allocated": format_money(self.allocated), "balance_after": format_money(self.balance_after),
                "households": self.households, "allocations": self.allocations}


@frozen
class FundSummary:
    """What a matching did, per fund (in the order the funds were given), and over all funds."""

    on: dt.date
    funds: tuple[FundTotals, ...]
    determinations: int
    """Determinations matched (rejected records not counted)."""
    households: int
    """Households that received at least one allocation."""

    @property
    def allocated(self) -> Decimal:
        return sum((f.allocated for f in self.funds), ZERO)

    def to_json(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "funds": [f.to_json() for f in self.funds],
                "determinations": self.determinations, "households": self.households,
                "allocated": format_money(self.allocated)}


class Matching(Iterator[Any]):
    """The second pass (§13.2) as an iterator: one output per input, in order — an updated determination (same
    type as given: a :class:`Determination`, or a JSON dict for a dict or a JSON text line), or a rejected
    record passed through unchanged. :attr:`summary` is complete once the iterator is exhausted."""

    def __init__(self, items: Iterable[Any], funds: Sequence[Fund], on: dt.date, *,
                 ledger: LedgerStore | None = None, lang: str = "zh", reasons: str = "text") -> None:
        self.on = on
        self.lang = lang
        self.reasons = reasons  # how a determination's JSON carries its reasons (explain.REASON_FORMS)
        self._items = iter(items)
        self._funds = tuple(funds)
        self._valid = funds_valid_on(self._funds, on)
        self._by_id = {f.id: f for f in self._funds}
        self._ledger = ledger
        if ledger is not None:
            self._balances: dict[str, Decimal] = dict(ledger.open_funds(self._funds))
        else:
            self._balances = {f.id: f.balance for f in self._funds}
        self._before = dict(self._balances)
        self._allocated = dict.fromkeys(self._by_id, ZERO)
        self._served = dict.fromkeys(self._by_id, 0)
        self._count = dict.fromkeys(self._by_id, 0)
        self._determinations = 0
        self._households = 0

    def __iter__(self) -> Matching:
        return self

    def __next__(self) -> Any:
        item = next(self._items)
        if isinstance(item, Determination):
            return self._determination(item)
        if isinstance(item, (str, bytes)):
            if not item.strip():
                return self.__next__()
            item = json.loads(item, parse_float=Decimal)
        if isinstance(item, Mapping):
            if "programmes" not in item:
                return item  # an error object of a rejected household (output-format.md)
            return self._json(item)
        return item  # e.g. assistkit.io.Rejected

    @property
    def summary(self) -> FundSummary:
        totals = tuple(
            FundTotals(f.id, f.name, f in self._valid, self._before[f.id], self._allocated[f.id],
                       self._before[f.id] - self._allocated[f.id], self._served[f.id], self._count[f.id])
            for f in self._funds
        )
        return FundSummary(self.on, totals, self._determinations, self._households)

    # -- one household ---------------------------------------------------------------------------------------

    def _household(self, household: str, needs: list[OpenNeed], statuses: set[str]) -> list[Allocation]:
        self._determinations += 1
        ledger = self._ledger
        allocations: list[Allocation] | None = None
        reused = False
        if ledger is not None:
            from .ledger import determination_id

            key = determination_id(household, self.on)
            done = ledger.committed(key)
            if done is not None:
                allocations, reused = self._replay(household, done, needs), True
        if allocations is None:
            allocations = allocate(needs, statuses, self._valid, self._balances)
            if ledger is not None and allocations:
                ledger.commit(key, household, self.on, allocations)
        if allocations:
            self._households += 1
            for fund in {a.fund for a in allocations}:
                self._served[fund] = self._served.get(fund, 0) + 1
            for a in allocations:
                self._allocated[a.fund] = self._allocated.get(a.fund, ZERO) + a.amount
                self._count[a.fund] = self._count.get(a.fund, 0) + 1
                if reused:  # committed in an earlier run: its amount is already off the ledger balance
                    self._before[a.fund] = self._before.get(a.fund, ZERO) + a.amount
        return allocations

    def _replay(self, household: str, done: Sequence[Any], needs: list[OpenNeed]) -> list[Allocation]:
        """Allocations already committed for this household and date, with their reason values rebuilt."""
        left = {n.id: n for n in needs}
        remaining = {n.id: n.remaining for n in needs}
        given: dict[str, Decimal] = {}
        out = []
        for c in done:
            need = left.get(c.need)
            if need is None or c.amount > remaining[c.need]:
                raise MatchingError(
                    f"the ledger holds an allocation of {format_money(c.amount)} yuan from {c.fund} toward "
                    f"{household} need {c.need}, which does not fit the determination's needs; the "
                    "population changed since it was committed")
            fund = self._by_id.get(c.fund)
            cap = fund.per_household_cap if fund is not None else c.amount
            cap_left = cap - given.get(c.fund, ZERO)
            out.append(Allocation(c.fund, c.need, need.kind, c.amount, remaining[c.need], c.balance_before,
                                  cap_left))
            remaining[c.need] -= c.amount
            given[c.fund] = given.get(c.fund, ZERO) + c.amount
        return out

    # -- Determination objects -------------------------------------------------------------------------------

    def _determination(self, d: Determination) -> Determination:
        needs = []
        for n in d.needs:
            if n.date is None:
                raise MatchingError(f"determination {d.household}: need {n.id} has no date")
            needs.append(OpenNeed(n.id, NeedKind(n.kind), n.date, n.remaining))
        statuses = set(d.household_statuses)
        for held in d.member_statuses.values():
            statuses.update(held)
        existing = next((r for r in d.programmes if r.name == PROGRAMME), None)
        if existing is not None and existing.payments:
            raise MatchingError(f"determination {d.household} already has donation allocations; assess the "
                                "population without funds before the second pass")
        allocations = self._household(d.household, needs, statuses)
        why = [] if allocations else [no_allocation(needs, len(self._funds), self._valid, self.on)]
        if why and existing is not None and why[0] in existing.reasons:
            return d
        amounts: dict[str, Decimal] = {}
        for a in allocations:
            amounts[a.need] = amounts.get(a.need, ZERO) + a.amount
        one_off = sum(amounts.values(), ZERO)
        result = ProgrammeResult(
            PROGRAMME, bool(allocations) or (existing is not None and existing.eligible), ZERO, {}, one_off,
            tuple(_payment(a) for a in allocations),
            (*(r for r in (existing.reasons if existing is not None else ()) if r.rule != _NO_FUNDS),
             *(a.reason() for a in allocations), *why),
        )
        if existing is None:
            programmes = (*d.programmes, result)
        else:
            programmes = tuple(result if r.name == PROGRAMME else r for r in d.programmes)
        states = tuple(
            attrs.evolve(n, paid=n.paid + amounts[n.id], remaining=n.remaining - amounts[n.id],
                         entries=(*n.entries, (PROGRAMME, amounts[n.id])))
            if n.id in amounts else n
            for n in d.needs
        )
        rules = d.rules if all(r in d.rules for r in RULES) else {**d.rules, **RULES}
        titles = d.titles if PROGRAMME in d.titles else {**d.titles, PROGRAMME: TITLES}
        return attrs.evolve(d, programmes=programmes, needs=states, rules=rules, titles=titles)

    # -- determination JSON ----------------------------------------------------------------------------------

    def _reasons(self, reasons: list[Reason]) -> list[dict[str, Any]]:
        """``reasons`` as the determinations carry them (text in :attr:`lang`, data, or none)."""
        if self.reasons == "text":
            return reasons_json(reasons, RULES, self.lang)
        return reasons_data(reasons) if self.reasons == "data" else []

    def _json(self, d: Mapping[str, Any]) -> Mapping[str, Any]:
        household = d.get("household")
        if not isinstance(household, str):
            raise MatchingError(f"a determination has no household id: {str(d)[:80]}")
        needs = [_open_need(household, nid, n) for nid, n in (d.get("needs") or {}).items()]
        held = d.get("statuses") or {}
        statuses = set(held.get("household") or ())
        for member_statuses in (held.get("members") or {}).values():
            statuses.update(member_statuses)
        programmes = d["programmes"]
        existing = programmes.get(PROGRAMME)
        if existing is not None and existing.get("payments"):
            raise MatchingError(f"determination {household} already has donation allocations; assess the "
                                "population without funds before the second pass")
        allocations = self._household(household, needs, statuses)
        why = [] if allocations else self._reasons([no_allocation(needs, len(self._funds), self._valid, self.on)])
        if not allocations and existing is not None and (not why or why[0] in (existing.get("reasons") or ())):
            return d
        entry: dict[str, Any] = dict(existing) if existing is not None else {
            "eligible": False, "monthly": "0.00", "one_off": "0.00", "payments": [], "reasons": []}
        one_off = sum((a.amount for a in allocations), ZERO)
        entry["eligible"] = bool(entry.get("eligible")) or bool(allocations)
        entry["one_off"] = format_money(_money(household, f"programmes.{PROGRAMME}.one_off",
                                               entry.get("one_off", "0.00")) + one_off)
        entry["payments"] = [payment_json(_payment(a)) for a in allocations]
        if self.reasons != "none":
            entry["reasons"] = [*(r for r in entry.get("reasons") or () if r.get("rule") != _NO_FUNDS),
                                *self._reasons([a.reason() for a in allocations]), *why]
        else:
            entry.pop("reasons", None)
        out = dict(d)
        out["programmes"] = {**programmes, PROGRAMME: entry}
        if allocations:
            new_needs = dict(d["needs"])
            for a in allocations:
                new_needs[a.need] = need_json(_paid_toward(household, a.need, new_needs[a.need], a.amount))
            out["needs"] = new_needs
            totals = d.get("totals") or {}
            out["totals"] = totals_json(
                _money(household, "totals.monthly", totals.get("monthly", "0.00")),
                _money(household, "totals.one_off", totals.get("one_off", "0.00")) + one_off)
        return out


_NO_FUNDS = "donations.no_funds"
"""The first pass's reason that no fund was given (plugin ``assistkit-donations``): this pass gives them."""


def _payment(allocation: Allocation) -> Payment:
    return Payment(PROGRAMME, ALLOCATION, allocation.amount, None, allocation.need, None, None, allocation.fund,
                   "donations.allocation")


def _paid_toward(household: str, nid: str, n: Mapping[str, Any], amount: Decimal) -> NeedState:
    """The need ``nid`` of a determination's JSON after ``amount`` more was paid toward it."""
    need = _open_need(household, nid, n)
    return NeedState(nid, need.kind.value, _money(household, f"needs.{nid}.amount", n.get("amount")),
                     _money(household, f"needs.{nid}.paid", n.get("paid")) + amount, need.remaining - amount, (),
                     need.date)


def _money(household: str, path: str, value: Any) -> Decimal:
    try:
        return parse_money(value)
    except (TypeError, ValueError) as exc:
        raise MatchingError(f"determination {household}: {path}: {exc}") from None


def _open_need(household: str, nid: str, n: Any) -> OpenNeed:
    if not isinstance(n, Mapping) or "kind" not in n or not n.get("date"):
        raise MatchingError(
            f"determination {household}: needs.{nid} has no kind or date; the second pass orders needs by "
            "kind and date (§13.2): produce the determinations with this version of assistkit")
    try:
        kind = NeedKind(n["kind"])
        day = parse_date(n["date"])
    except (TypeError, ValueError) as exc:
        raise MatchingError(f"determination {household}: needs.{nid}: {exc}") from None
    return OpenNeed(nid, kind, day, _money(household, f"needs.{nid}.remaining", n.get("remaining", "0.00")))


def match(items: Iterable[Any], funds: Sequence[Fund], on: dt.date, *, ledger: LedgerStore | None = None,
          lang: str = "zh", reasons: str = "text") -> Matching:
    """The donation pass over first-pass determinations in input order (§13.2): returns a :class:`Matching`,
    an iterator of the updated determinations whose ``summary`` (a :class:`FundSummary`) is complete once it
    is exhausted.

    ``items`` are :class:`~assistkit.determination.Determination` objects, determination JSON dicts, or JSON
    text lines (as a JSONL file yields them); rejected records pass through. Balances start at the funds'
    balances, or with ``ledger`` at the ledger's (funds not yet in it are opened with their balance), and each
    household's allocations are then committed as one transaction.

    >>> matching = match(determinations, funds, on)          # doctest: +SKIP
    >>> for d in matching: write(d)                          # doctest: +SKIP
    >>> matching.summary.to_json()                           # doctest: +SKIP
    """
    return Matching(items, funds, on, ledger=ledger, lang=lang, reasons=reasons)
