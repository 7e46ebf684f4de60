"""Toy programmes that each break one invariant of ``assistkit.testing.invariants``, and nothing else."""

from __future__ import annotations

import itertools
from decimal import Decimal

from assistkit import hookimpl
from assistkit.linkage import StatusDeclaration
from assistkit.programme import Context, Programme, Rule

_PAID = {"toy.paid": Rule("toy.paid", "§0", "支付 {amount} 元", "pays {amount} yuan")}


def plugin(*programmes: Programme) -> object:
    """A plugin object registering ``programmes``."""

    class _Plugin:
        @hookimpl
        def assistkit_register_programmes(self) -> list[Programme]:
            return list(programmes)

    return _Plugin()


class NegativeGrant(Programme):
    name = "negative"
    rules = _PAID

    def assess(self, ctx: Context) -> None:
        ctx.reason("toy.paid", {"amount": Decimal("-1.00")})
        ctx.pay("grant", Decimal("-1.00"), rule="toy.paid")


class HalfYuanDibao(Programme):
    name = "dibao"
    recurring = True
    rules = _PAID

    def assess(self, ctx: Context) -> None:
        ctx.reason("toy.paid", {"amount": Decimal("50.50")})
        ctx.add_monthly(Decimal("50.50"), rule="toy.paid")


class Silent(Programme):
    """Pays, but never says why."""

    name = "silent"

    def assess(self, ctx: Context) -> None:
        ctx.pay("grant", Decimal("1.00"))


class SilentZero(Programme):
    """Pays nothing and never says why ("why zero")."""

    name = "silent_zero"

    def assess(self, ctx: Context) -> None:
        return None


class UnknownRule(Programme):
    name = "unknown_rule"

    def assess(self, ctx: Context) -> None:
        ctx.reason("toy.nowhere", {"amount": Decimal("1.00")})
        ctx.pay("grant", Decimal("1.00"), rule="toy.nowhere")


class BadTemplate(Programme):
    name = "bad_template"
    rules = {"toy.template": Rule("toy.template", "§0", "支付 {amount} 元给 {member}",
                                  "pays {amount} to {member}")}

    def assess(self, ctx: Context) -> None:
        ctx.reason("toy.template", {"amount": Decimal("1.00")})
        ctx.pay("grant", Decimal("1.00"), rule="toy.template")


class Stateful(Programme):
    """Pays one yuan more each time it is asked: not stateless, so not deterministic."""

    name = "stateful"
    rules = _PAID

    def __init__(self) -> None:
        self._calls = itertools.count(1)

    def assess(self, ctx: Context) -> None:
        amount = Decimal(next(self._calls))
        ctx.reason("toy.paid", {"amount": amount})
        ctx.pay("grant", amount, rule="toy.paid")


class FirstMember(Programme):
    """Pays the first-listed member's age in yuan: depends on the order of the members."""

    name = "first_member"
    rules = _PAID

    def assess(self, ctx: Context) -> None:
        amount = Decimal(ctx.age(ctx.household.members[0]))
        ctx.reason("toy.paid", {"amount": amount})
        ctx.pay("grant", amount, rule="toy.paid")


class TekunFirst(Programme):
    name = "tekun"
    grants = ("tekun",)
    statuses = (StatusDeclaration("tekun", "特困人员", "tekun", rank=10, excludes=("dibao",), own_unit=True),)
    rules = {"toy.tekun": Rule("toy.tekun", "§0", "{member} 特困", "{member} is tekun")}

    def assess(self, ctx: Context) -> None:
        member = ctx.household.members[0].id
        ctx.reason("toy.tekun", {"member": member})
        ctx.grant("tekun", member)


class DibaoForEveryone(Programme):
    """Pays dibao to every member, tekun or not (§5.4 says a tekun person is never covered by dibao)."""

    name = "dibao"
    after = ("tekun",)
    grants = ("dibao",)
    statuses = (StatusDeclaration("dibao", "低保对象", "dibao", rank=20),)
    recurring = True
    rules = _PAID

    def assess(self, ctx: Context) -> None:
        ctx.grant("dibao")
        for person in ctx.household.members:
            ctx.reason("toy.paid", {"amount": Decimal("100.00")})
            ctx.add_monthly(Decimal("100.00"), person.id, rule="toy.paid")
