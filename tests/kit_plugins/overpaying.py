"""A toy plugin whose programme overpays needs without the ledger noticing.

``toy_relief`` pays each emergency event's whole *loss* as a grant that names no need (``need=None``), while
its reason says which event it is for. The need is ``loss − compensated`` less what history paid (§14.0), so a
compensated or already assisted event is overpaid — and because the payment does not name the need, the needs
ledger cannot clamp it (§14.2). ``assert_never_overpays`` must catch it.
"""

from __future__ import annotations

from assistkit import hookimpl
from assistkit.programme import Context, Programme, Rule

__all__ = ["ToyRelief", "assistkit_register_programmes"]


class ToyRelief(Programme):
    name = "toy_relief"
    title_zh, title_en = "玩具救助", "Toy relief"
    rules = {
        "toy_relief.grant": Rule("toy_relief.grant", "§0", "为 {need} 支付损失 {amount} 元",
                                 "pays the loss of {amount} yuan for {need}"),
        "toy_relief.no_loss": Rule("toy_relief.no_loss", "§0", "无突发事件损失", "no event with a loss"),
    }

    def assess(self, ctx: Context) -> None:
        for event in ctx.household.events:
            if event.loss:
                ctx.reason("toy_relief.grant", {"need": event.id, "amount": event.loss})
                ctx.pay("grant", event.loss, rule="toy_relief.grant")
        if not any(event.loss for event in ctx.household.events):
            ctx.reason("toy_relief.no_loss")


@hookimpl
def assistkit_register_programmes() -> list[Programme]:
    return [ToyRelief()]
