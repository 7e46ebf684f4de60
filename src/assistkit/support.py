"""Support payments from supporting relatives (赡养费、抚养费、扶养费) counted in household income:
reference/china-rules.md §3.6, a rule of income accounting (:mod:`assistkit.means`) that every programme reading
household income shares.

Nationally, support a household receives is transfer income (N2 §13(4)): a support-category income record counts
like any other. Where the locality assesses support (``income.support_payments = "assessed"``, Beijing B1 §12),
what the household's obligors (:attr:`~assistkit.household.Household.obligors`) can pay is counted instead,
whether or not they pay it:

- an obligor household holding one of ``income.support_no_capacity`` (dibao, tekun, low-income …) has no
  capacity: 0;
- otherwise ``max(0, (obligor household monthly income − income.support_allowance × its size)
  × income.support_share ÷ households it supports)`` — B1 §12 with allowance 1.5 × S and share 20 %; Ningbo
  Yinzhou (L12) with allowance 48479 ÷ 12 is the same formula with another allowance;
- an amount set by a judgment, mediation or agreement counts when it is higher (B1 §12: "if none or obviously
  too low, compute it" — read as "below the computed amount", [INTERP]).

The set's assessed support is compared with the support it declares as received in the window (support-category
records, monthly): what is received above the assessment counts as received (B1 §12: "if actual payments exceed
the computed amount, use actual"), and the difference ``max(0, assessed − received)`` is added to the countable
income. More obligor income never lowers the counted income; with no obligors, or with ``declared``, nothing
changes. The same formula serves 抚养费 and 扶养费 ("by analogy", B1 §12); a court's child-support order is the
obligor's ``agreed_amount``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

from attrs import frozen

from .explain import Reason, Rule
from .household import Household, IncomeCategory, Obligor
from .money import ZERO

__all__ = [
    "SUPPORT_ALLOWANCE",
    "SUPPORT_MODE",
    "SUPPORT_NO_CAPACITY",
    "SUPPORT_RULES",
    "SUPPORT_SHARE",
    "SupportValues",
    "assessed_support",
    "obligor_capacity",
    "support_income",
]

SUPPORT_MODE = "income.support_payments"
SUPPORT_ALLOWANCE = "income.support_allowance"
SUPPORT_SHARE = "income.support_share"
SUPPORT_NO_CAPACITY = "income.support_no_capacity"

_PARAMS = (SUPPORT_MODE, SUPPORT_ALLOWANCE, SUPPORT_SHARE)
_NO_CAPACITY_PARAMS = (SUPPORT_MODE, SUPPORT_NO_CAPACITY)
_SUPPORT = IncomeCategory.SUPPORT
_HOUSEHOLD_LEVEL = "—"


@frozen
class SupportValues:
    """The §3.6 parameters in force on one date: ``assessed`` is false for ``declared`` (the rest unread)."""

    assessed: bool
    allowance: Decimal = ZERO
    share: Decimal = ZERO
    no_capacity: frozenset[str] = frozenset()

    @classmethod
    def of(cls, params: Mapping[str, Any]) -> SupportValues:
        """From the parameters; a mapping without ``income.support_payments`` (a test's own values) declares."""
        if params.get(SUPPORT_MODE, "declared") != "assessed":
            return cls(False)
        allowance = params[SUPPORT_ALLOWANCE]
        return cls(True, allowance.amount(params), params[SUPPORT_SHARE], frozenset(params[SUPPORT_NO_CAPACITY]))


DECLARED = SupportValues(False)


def obligor_capacity(income: Decimal, size: int, households: int, allowance: Decimal, share: Decimal) -> Decimal:
    """§3.6 (B1 §12): ``max(0, (income − allowance × size) × share ÷ households)``, monthly, exact."""
    surplus = income - allowance * size
    if surplus <= 0:
        return ZERO
    return surplus * share / households


def assessed_support(obligor: Obligor, values: SupportValues) -> tuple[Decimal, Reason]:
    """What one obligor is assessed to pay each month, and why."""
    member = obligor.member or _HOUSEHOLD_LEVEL
    held = sorted(s.value for s in obligor.statuses if s.value in values.no_capacity)
    if held:
        return ZERO, Reason("income.support_no_capacity",
                            {"member": member, "obligor": obligor.relationship.value,
                             "statuses": ", ".join(held)}, _NO_CAPACITY_PARAMS)
    computed = obligor_capacity(obligor.household_income, obligor.household_size, obligor.households_supported,
                                values.allowance, values.share)
    agreed = obligor.agreed_amount
    amount = computed if agreed is None or agreed < computed else agreed
    return amount, Reason("income.support_obligor", {
        "member": member, "obligor": obligor.relationship.value, "income": obligor.household_income,
        "allowance": values.allowance, "size": obligor.household_size, "share": values.share,
        "households": obligor.households_supported, "computed": computed,
        "agreed": "—" if agreed is None else agreed, "amount": amount,
    }, _PARAMS)


def _received(household: Household, members: Collection[str], first: int, last: int, months: int,
              excluded: Collection[str]) -> Decimal:
    """Support the set declares as received: its support-category records inside the window (months
    ``first``–``last`` as indexes), spread over their months (§3.1), monthly."""
    total = ZERO
    for income in household.incomes:
        if income.category is not _SUPPORT or (income.member is not None and income.member not in members):
            continue
        if income.amount is None or (income.kind and income.kind in excluded):
            continue
        start = income.first.year * 12 + income.first.month - 1
        end = income.last.year * 12 + income.last.month - 1
        inside = min(end, last) - max(start, first) + 1
        if inside > 0:
            total += income.amount * inside / (end - start + 1)
    return total / months


def support_income(household: Household, members: Collection[str], first: int, last: int, months: int,
                   excluded: Collection[str], values: SupportValues) -> tuple[Decimal, list[Reason]]:
    """§3.6 for the set ``members`` (household-level obligors count for any set that is not empty): the monthly
    amount to add to its countable income, ``max(0, assessed − received)``, and the reasons."""
    reasons: list[Reason] = []
    assessed = ZERO
    for obligor in household.obligors:
        if obligor.member is not None and obligor.member not in members:
            continue
        amount, reason = assessed_support(obligor, values)
        assessed += amount
        reasons.append(reason)
    if not reasons:
        return ZERO, reasons
    received = _received(household, members, first, last, months, excluded)
    added = assessed - received if assessed > received else ZERO
    reasons.append(Reason("income.support", {"assessed": assessed, "received": received, "added": added},
                          _PARAMS))
    return added, reasons


# Their § is Demo City's §3.4 (what the set's countable income holds), as the other locality choices cite the
# statute's nearest rule; the module docstring gives china-rules §3.6.
SUPPORT_RULES: tuple[Rule, ...] = (
    Rule("income.support_no_capacity", "§3.4",
         "成员 {member} 的义务人（{obligor}）家庭享有 {statuses}，无赡养（抚养、扶养）能力，计 0 元",
         "the obligor ({obligor}) of member {member}: their household holds {statuses}, so it has no "
         "capacity to pay support: 0"),
    Rule("income.support_obligor", "§3.4",
         "成员 {member} 的义务人（{obligor}）：(家庭月收入 {income} − {allowance} × {size} 人) × {share} "
         "÷ 应赡养家庭 {households} 户 = {computed} 元（不低于 0）；协议或判决金额 {agreed}；计 {amount} 元",
         "the obligor ({obligor}) of member {member}: (household income {income} − {allowance} × {size} "
         "people) × {share} ÷ {households} households supported = {computed} yuan (at least 0); agreed or "
         "ordered {agreed}; counts {amount} yuan"),
    Rule("income.support", "§3.4",
         "核定赡养（抚养、扶养）费 {assessed} 元，已申报收到 {received} 元，计入收入 {added} 元",
         "support assessed {assessed} yuan a month, {received} declared as received: {added} yuan added "
         "to income"),
)
"""The text of every rule id this module emits, in zh and en."""
