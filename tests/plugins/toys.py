"""Toy plugins for the engine tests: ordering, cycles, overpayment, a raising programme."""

from __future__ import annotations

from decimal import Decimal

from assistkit import hookimpl
from assistkit.linkage import StatusDeclaration
from assistkit.programme import Programme, Rule


class _Toy(Programme):
    rules = {"toy.paid": Rule("toy.paid", "§0", "付 {amount}", "paid {amount}")}

    def assess(self, ctx):
        ctx.reason("toy.paid", {"amount": Decimal("1.00")})
        ctx.pay("grant", Decimal("1.00"), rule="toy.paid")


class Alpha(_Toy):
    name = "alpha"
    title_zh, title_en = "甲", "Alpha"


class Beta(_Toy):
    name = "beta"
    after = ("gamma",)


class Gamma(_Toy):
    name = "gamma"
    after = ("alpha",)


class Delta(_Toy):
    name = "delta"
    after_if_present = ("absent", "beta")


def plugin(*programmes):
    """A plugin object registering ``programmes`` (instances)."""

    class _Plugin:
        @hookimpl
        def assistkit_register_programmes(self):
            return list(programmes)

    return _Plugin()


class CycleA(_Toy):
    name = "cycle_a"
    after = ("cycle_b",)


class CycleB(_Toy):
    name = "cycle_b"
    after = ("cycle_a",)


class Unknown(_Toy):
    name = "needs_unknown"
    after = ("no_such_programme",)


class Overpayer(Programme):
    """Pays twice every need, then once more: the ledger must clamp."""

    name = "overpayer"
    rules = {"overpayer.pay": Rule("overpayer.pay", "§0", "超付", "overpay")}

    def assess(self, ctx):
        for need in ctx.needs.needs.values():
            ctx.pay("grant", need.amount * 2, need=need.id, rule="overpayer.pay")


class Second(Programme):
    name = "second"
    after = ("overpayer",)

    def assess(self, ctx):
        for need in ctx.needs.needs.values():
            ctx.pay("grant", Decimal("10.00"), need=need.id)


class Raiser(Programme):
    """Pays part of a need, then raises: its payment must be rolled back."""

    name = "raiser"

    def assess(self, ctx):
        for need in ctx.needs.needs.values():
            ctx.pay("grant", Decimal("5.00"), need=need.id)
        ctx.grant("dibao")
        raise ZeroDivisionError("toy failure")


class AfterRaiser(_Toy):
    name = "after_raiser"
    after = ("raiser",)


class Granter(Programme):
    name = "granter"
    grants = ("tekun", "dibao")
    statuses = (StatusDeclaration("tekun", "特困人员", "tekun", rank=10, excludes=("dibao",)),
                StatusDeclaration("dibao", "低保对象", "dibao", rank=20))

    def assess(self, ctx):
        pid = ctx.household.members[0].id
        ctx.grant("tekun", pid)
        ctx.grant("dibao", pid)


class Listener:
    def __init__(self):
        self.seen = []

    @hookimpl
    def assistkit_on_determination(self, determination):
        self.seen.append(determination.household)


