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

from assistkit.api import (
    ALLOCATION,
    DONATION_RULES,
    DONATION_TITLES,
    DONATIONS,
    Context,
    OpenNeed,
    Programme,
    allocate,
    funds_valid_on,
)

__all__ = ["DonationsProgramme"]


class DonationsProgramme(Programme):
    """§13 donations: allocations from the funds toward what remains of the household's needs, last."""

    name = DONATIONS
    title_zh, title_en = DONATION_TITLES
    phase = "last"  # pays from what remains of each need after every other programme (§13.2)
    rules = DONATION_RULES

    def assess(self, ctx: Context) -> None:
        if not ctx.funds:
            return
        ledger = ctx.needs
        if not ledger.needs:
            return
        funds = funds_valid_on(ctx.funds, ctx.on)
        if not funds:
            return
        needs = [OpenNeed(n.id, n.kind, n.date, ledger.remaining(n.id)) for n in ledger.needs.values()]
        held = set(ctx.statuses.household)
        for statuses in ctx.statuses.members.values():
            held.update(statuses)
        balances = {f.id: f.balance for f in funds}
        for allocation in allocate(needs, held, funds, balances):
            ctx.pay(ALLOCATION, allocation.amount, need=allocation.need, fund=allocation.fund,
                    rule="donations.allocation")
            reason = allocation.reason()
            ctx.reason(reason.rule, reason.values)
