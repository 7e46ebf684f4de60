"""The one rule: a household receives each month what its members' income of the month before falls short of
the minimum living standard S (§1.5, the locality's ``standard.urban`` or ``standard.rural``) times the number of
members: ``max(0, S × members − income)``, to the fen.

The income is the sum of the household's income records of the month before the assessment date (records of
one ``month``; any other record is not read). It is the rule of a benchmark, not of a locality: no window, no
deduction, no asset test, no status.
"""

from __future__ import annotations

from decimal import Decimal

from assistkit.api import ZERO, Context, Household, Month, Programme, Rule

__all__ = ["RULES", "OneRuleProgramme", "top_up"]

RULES = {
    "onerule.top_up": Rule(
        "onerule.top_up", "§1",
        "保障标准 {S} 元 × {members} 人 = {floor} 元，上月收入 {income} 元：每月补差 {amount} 元",
        "standard S {S} yuan × {members} members = {floor} yuan, last month's income {income} yuan: a monthly "
        "top-up of {amount} yuan"),
}


def last_month_income(household: Household, month: Month) -> Decimal:
    """The sum of the household's income records of ``month``."""
    total = ZERO
    for income in household.incomes:
        if income.month == month and income.amount is not None:
            total += income.amount
    return total


def top_up(standard: Decimal, members: int, income: Decimal) -> Decimal:
    """§1 ``max(0, S × members − income)``."""
    short = standard * members - income
    return short if short > ZERO else ZERO


class OneRuleProgramme(Programme):
    """The one-rule minimum living benefit (最低生活保障, one rule)."""

    name = "onerule"
    title_zh = "最低生活保障（单条规则）"
    title_en = "Minimum living benefit (one rule)"
    rules = RULES

    def assess(self, ctx: Context) -> None:
        on = ctx.on
        month = Month(on.year - 1, 12) if on.month == 1 else Month(on.year, on.month - 1)
        income = last_month_income(ctx.household, month)
        members = len(ctx.household.members)
        amount = top_up(ctx.standard, members, income)
        if amount:
            ctx.add_monthly(amount, rule="onerule.top_up")
        ctx.reason("onerule.top_up", {"S": ctx.standard, "members": members, "floor": ctx.standard * members,
                                      "income": income, "amount": amount}, params=(ctx.standard_param,))
