"""Social-force donations (社会力量参与, §13) inside a single assessment.

When the assessment is given funds (``Engine.assess(household, on, funds=…)``, ``assistkit assess --funds``),
this programme runs after every other one and matches what remains of the household's needs with the funds
valid on ``on``, starting from the funds' own balances (§13.2). The matching itself is the core's
:func:`assistkit.donations.allocate`, the same one the population pass (:func:`assistkit.population.donations.match`)
uses, so a household gets the same allocations either way. Without funds it does nothing (``eligible`` is
false).

Over a population, assess without funds and run the second pass: balances carry over from one household to the
next in input order, which a per-household programme cannot do.
"""

from __future__ import annotations

import datetime as dt

from assistkit.api import (
    ALLOCATION,
    DONATION_RULES,
    DONATION_TITLES,
    DONATIONS,
    Context,
    OpenNeed,
    Programme,
    Rule,
    allocate,
    funds_valid_on,
    no_allocation,
)

__all__ = ["NO_FUNDS", "DonationsProgramme"]

NO_FUNDS = Rule("donations.no_funds", "§13.2",
                "单户认定未提供捐赠基金：捐赠在全体家庭认定之后的第二轮匹配中分配",
                "no donation fund was given to this assessment: donations are matched in the second pass, "
                "after every household is assessed")
"""Why a household assessed alone gets no donation; the other reasons why not are the core's
(:func:`assistkit.donations.no_allocation`), which the population pass gives too."""


_NO_NEEDS = (no_allocation((), 0, (), dt.date.min),)


class DonationsProgramme(Programme):
    """§13 donations: allocations from the funds toward what remains of the household's needs, last."""

    name = DONATIONS
    title_zh, title_en = DONATION_TITLES
    phase = "last"  # pays from what remains of each need after every other programme (§13.2)
    # What it reads of a household (`assistkit plugins --reads`): nothing of its own; it pays from the funds toward
    # the needs that remain (§13), which the core works out from the expenses, the events and the history.
    reads = ("expenses", "events", "history")
    rules = {**DONATION_RULES, NO_FUNDS.id: NO_FUNDS}

    def assess(self, ctx: Context) -> None:
        ledger = ctx.needs
        needs = [OpenNeed(n.id, n.kind, n.date, ledger.remaining(n.id)) for n in ledger.needs.values()]
        if not ctx.funds:
            # Why zero, the first condition that fails: a need left (as the population pass reads it), then funds.
            if any(n.remaining > 0 for n in needs):
                ctx.reason("donations.no_funds")
            else:
                ctx.reasons(_NO_NEEDS)
            return
        funds = funds_valid_on(ctx.funds, ctx.on)
        held = set(ctx.statuses.household)
        for statuses in ctx.statuses.members.values():
            held.update(statuses)
        balances = {f.id: f.balance for f in funds}
        allocations = allocate(needs, held, funds, balances)
        if not allocations:
            ctx.reasons((no_allocation(needs, len(ctx.funds), funds, ctx.on),))
        for allocation in allocations:
            ctx.pay(ALLOCATION, allocation.amount, need=allocation.need, fund=allocation.fund,
                    rule="donations.allocation")
            reason = allocation.reason()
            ctx.reason(reason.rule, reason.values)
