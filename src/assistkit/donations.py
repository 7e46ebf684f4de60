"""Social-force donations (社会力量参与, §13.2): matching what remains of one household's needs with donation funds.

:func:`allocate` is the matching of one household. It is used twice: by the programme ``donations`` of the plugin
``assistkit-donations`` in a single assessment with funds (``Engine.assess(..., funds=…)``, ``assistkit assess
--funds``), and by the population pass :func:`assistkit.population.donations.match`, a second, sequential pass
over first-pass determinations (so the first pass can run in parallel, in any chunks, with the same result).

Readings where the statute leaves a choice:

- **Which needs**: every need (§14.0) with a remaining amount after all government programmes, whatever its
  date — §13.2 sets no window, unlike §9.2 or §12.1.
- **Order**: needs by kind (medical, tuition, emergency), then date, then id; each need in turn takes from the
  funds in order (by ``valid_to``, then id) until it is covered or no fund can give more. A fund is *valid on
  ``on``* when ``valid_from ≤ on ≤ valid_to``; it serves a need of one of its ``need_kinds``, and, when its
  ``statuses`` are not empty, a household of which the household or a member holds one of them.
- **Per-household cap**: what one fund gives one household in one matching, over all its needs.
- Non-local households are matched like the others (§2.5); zero allocations are not recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, MutableMapping, Sequence
from decimal import Decimal

from attrs import frozen

from .explain import Reason, Rule
from .household import Fund, NeedKind
from .money import ZERO

__all__ = [
    "ALLOCATION",
    "NEED_ORDER",
    "PROGRAMME",
    "RULES",
    "TITLES",
    "Allocation",
    "OpenNeed",
    "allocate",
    "funds_valid_on",
    "no_allocation",
]

PROGRAMME = "donations"
"""The programme name under which allocations appear in a determination (output-format.md)."""

ALLOCATION = "allocation"
"""The payment kind of an allocation."""

TITLES = ("社会力量捐赠", "Social-force donations")

NEED_ORDER: Mapping[NeedKind, int] = {NeedKind.MEDICAL: 0, NeedKind.TUITION: 1, NeedKind.EMERGENCY: 2}
"""§13.2: needs are served medical first, then tuition, then emergency."""

RULES: Mapping[str, Rule] = {
    r.id: r
    for r in (
        Rule("donations.allocation", "§13.2",
             "{fund} 向 {need}（{kind}）捐赠 {amount} 元，取需求剩余 {remaining}、基金余额 {balance}、"
             "本户限额余额 {cap_left} 中的最小者",
             "{fund} gives {amount} yuan toward {need} ({kind}) = min(need remaining {remaining}, "
             "fund balance {balance}, household cap left {cap_left})"),
        # Why zero: the first condition of §13.2 that fails when a household gets no allocation.
        Rule("donations.no_needs", "§13.2",
             "经各项政府救助后，家庭已无剩余需求",
             "nothing remains of the household's needs after the government programmes"),
        Rule("donations.no_valid_fund", "§13.2",
             "{on} 无有效的捐赠基金（{funds} 个基金均不在有效期内）",
             "no donation fund is valid on {on} (none of the {funds} funds)"),
        Rule("donations.no_match", "§13.2",
             "剩余需求 {needs} 无基金可付：有效基金 {valid} 的需求类别、服务身份、余额或每户限额均不符",
             "no fund can pay toward the remaining needs {needs}: the valid funds {valid} do not serve these "
             "need kinds or statuses, or have no balance or household cap left"),
    )
}


@frozen
class OpenNeed:
    """A need as donation matching sees it: kind, date and what remains after the government programmes."""

    id: str
    kind: NeedKind
    date: dt.date
    remaining: Decimal


@frozen
class Allocation:
    """One allocation (§13.3): ``amount`` from ``fund`` toward ``need``, and the three amounts it is the
    minimum of — the need's remaining amount, the fund's balance and the fund's per-household cap left, just
    before."""

    fund: str
    need: str
    kind: NeedKind
    amount: Decimal
    remaining: Decimal
    balance: Decimal
    cap_left: Decimal

    def reason(self) -> Reason:
        """The ``donations.allocation`` reason explaining this allocation."""
        return Reason("donations.allocation",
                      {"fund": self.fund, "need": self.need, "kind": self.kind.value, "amount": self.amount,
                       "remaining": self.remaining, "balance": self.balance, "cap_left": self.cap_left})


def funds_valid_on(funds: Iterable[Fund], on: dt.date) -> tuple[Fund, ...]:
    """§13.2: the funds valid on ``on`` (``valid_from ≤ on ≤ valid_to``), ordered by ``valid_to``, then id."""
    valid = (f for f in funds if f.valid_from <= on <= f.valid_to)
    return tuple(sorted(valid, key=lambda f: (f.valid_to, f.id)))


def allocate(needs: Iterable[OpenNeed], statuses: Collection[str], funds: Sequence[Fund],
             balances: MutableMapping[str, Decimal]) -> list[Allocation]:
    """§13.2 for one household: match its ``needs`` with ``funds`` (valid on the date and in order, see
    :func:`funds_valid_on`), given the statuses held by the household or any member. ``balances`` (fund id →
    balance) are read and lowered in place, so they carry over to the next household.

    Each allocation = min(remaining need, fund balance, fund's per-household cap left); the sum allocated from
    a fund never exceeds its balance and no need receives more than remains of it (§13.3).
    """
    open_needs = sorted((n for n in needs if n.remaining > ZERO),
                        key=lambda n: (NEED_ORDER[n.kind], n.date, n.id))
    if not open_needs:
        return []
    held = frozenset(statuses)
    serving = [f for f in funds if not f.statuses or held.intersection(f.statuses)]
    if not serving:
        return []
    given: dict[str, Decimal] = {}
    out: list[Allocation] = []
    for need in open_needs:
        left = need.remaining
        for fund in serving:
            if need.kind not in fund.need_kinds:
                continue
            balance = balances[fund.id]
            cap_left = fund.per_household_cap - given.get(fund.id, ZERO)
            amount = min(left, balance, cap_left)
            if amount <= ZERO:
                continue
            out.append(Allocation(fund.id, need.id, need.kind, amount, left, balance, cap_left))
            balances[fund.id] = balance - amount
            given[fund.id] = given.get(fund.id, ZERO) + amount
            left -= amount
            if left <= ZERO:
                break
    return out


def no_allocation(needs: Iterable[OpenNeed], funds: int, valid: Sequence[Fund], on: dt.date) -> Reason:
    """Why :func:`allocate` gave a household nothing: no need remains, no fund of the ``funds`` given is valid on
    ``on``, or none of the ``valid`` funds can pay toward what remains."""
    open_needs = tuple(n.id for n in needs if n.remaining > ZERO)
    if not open_needs:
        return Reason("donations.no_needs")
    if not valid:
        return Reason("donations.no_valid_fund", {"on": on, "funds": funds})
    return Reason("donations.no_match", {"needs": open_needs, "valid": tuple(f.id for f in valid)})
