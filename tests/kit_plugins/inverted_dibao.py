"""A toy plugin whose ``dibao`` pays *more* as income rises: half the per-capita income plus 100 yuan a month.

Otherwise well behaved (status, reasons, rules, whole yuan), so the conformance suite must single out the
monotonicity test.
"""

from __future__ import annotations

from decimal import Decimal

from assistkit import hookimpl
from assistkit.api import StatusDeclaration
from assistkit.money import round_yuan
from assistkit.programme import Context, Programme, Rule

__all__ = ["InvertedDibao", "assistkit_register_programmes"]


class InvertedDibao(Programme):
    name = "dibao"
    title_zh, title_en = "倒置低保", "Inverted dibao"
    grants = ("dibao",)
    statuses = (StatusDeclaration("dibao", "低保对象", "dibao recipient", rank=20),)
    recurring = True
    rules = {
        "toy_dibao.inverted": Rule("toy_dibao.inverted", "§0", "人均收入 {pci} 元：每月 {amount} 元",
                                   "per-capita income {pci} yuan: {amount} yuan a month"),
    }

    def assess(self, ctx: Context) -> None:
        if not ctx.household.hukou_local:
            return
        account = ctx.income([p.id for p in ctx.household.members])
        ctx.report_income(account)
        amount = round_yuan(account.per_capita / 2 + Decimal(100))
        ctx.grant("dibao")
        ctx.reason("toy_dibao.inverted", {"pci": account.per_capita, "amount": amount})
        ctx.add_monthly(amount, rule="toy_dibao.inverted")


@hookimpl
def assistkit_register_programmes() -> list[Programme]:
    return [InvertedDibao()]
