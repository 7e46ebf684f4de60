"""The rules of the price-linkage subsidy (价格临时补贴): Demo City's addendum §P, one function per clause.

The mechanism that links assistance to prices (社会救助和保障标准与物价上涨挂钩联动机制) pays a temporary monthly
subsidy while prices rise fast. In short (the docs' statute page prints §P in full):

- §P.1 The published indices ``price.cpi_yoy`` and ``price.food_yoy`` are parameters, one value per publication.
- §P.2 Triggered on ``on`` when ``price.cpi_yoy`` ≥ ``price.cpi_trigger`` or ``price.food_yoy`` ≥
  ``price.food_trigger``.
- §P.3 Covered persons of a local household: each member whose person status is one of ``price.statuses``, and
  each orphan member.
- §P.4 Per covered person: S × (the triggering change ÷ 100), the higher when both trigger, rounded to yuan, at
  least ``price.min_subsidy``; ``monthly`` = that × the covered persons. Toward no need, no payment record, no
  §15.2 action.
- §P.5 After tekun, dibao and low_income; not triggered or nobody covered: not eligible, with the reason.

Readings where the text needs one:

- The index values and triggers are always the first reason, whether or not the subsidy is paid.
- The monthly amount is recorded per covered person (their share of ``monthly``), so an explanation names them.
- A person's status is the person-status rule of parameters.md (their own, else their household's); an orphan
  is covered whatever their status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from assistkit.api import Context, Parameters, Programme, Rule, round_fen, round_yuan

from .parameters import CPI_TRIGGER, CPI_YOY, FOOD_TRIGGER, FOOD_YOY, MIN_SUBSIDY, STATUSES

__all__ = [
    "RULES",
    "PriceSubsidyProgramme",
    "covered_persons",
    "per_person",
    "triggering_change",
]

_STATUS_ZH: Mapping[str, str] = {"tekun": "特困", "dibao": "低保", "marginal": "低保边缘",
                                 "expenditure_hardship": "刚性支出困难"}
_INDEX_ZH: Mapping[str, str] = {CPI_YOY: "居民消费价格指数", FOOD_YOY: "食品价格指数"}
_INDEX_EN: Mapping[str, str] = {CPI_YOY: "CPI", FOOD_YOY: "food CPI"}
_ORPHAN = "orphan"
_HUNDRED = Decimal(100)

RULES: Mapping[str, Rule] = {
    r.id: r
    for r in (
        Rule("price.triggered", "§P.2",
             "居民消费价格指数同比涨幅 {cpi}%（启动条件 ≥ {cpi_trigger}%），食品价格指数同比涨幅 {food}%"
             "（启动条件 ≥ {food_trigger}%）：启动价格临时补贴，按{index_zh}涨幅 {change}% 计发",
             "CPI on a year earlier {cpi}% (trigger ≥ {cpi_trigger}%), food CPI {food}% (trigger ≥ "
             "{food_trigger}%): the price-linkage subsidy is triggered, at the {index} change of {change}%"),
        Rule("price.not_triggered", "§P.2",
             "居民消费价格指数同比涨幅 {cpi}%（启动条件 ≥ {cpi_trigger}%），食品价格指数同比涨幅 {food}%"
             "（启动条件 ≥ {food_trigger}%）：均未达到启动条件，不发放价格临时补贴",
             "CPI on a year earlier {cpi}% (trigger ≥ {cpi_trigger}%), food CPI {food}% (trigger ≥ "
             "{food_trigger}%): neither reaches its trigger, no price-linkage subsidy"),
        Rule("price.nonlocal", "§P.3",
             "非本地户籍家庭：不属于价格临时补贴保障对象",
             "a non-local household: not covered by the price-linkage subsidy"),
        Rule("price.none_covered", "§P.3",
             "家庭成员均不享有{statuses_zh}身份，也无孤儿：无补贴对象",
             "no member holds {statuses} and none is an orphan: nobody is covered"),
        Rule("price.covered", "§P.3",
             "补贴对象 {count} 人：{persons_zh}",
             "{count} covered: {persons}"),
        Rule("price.amount", "§P.4",
             "每人每月补贴 = 低保标准 {S} × {change}% = {exact} 元，取整到元 {rounded} 元，不低于 {min_subsidy} 元："
             "{per_person} 元 × {count} 人 = {amount} 元/月",
             "subsidy per person and month = S {S} × {change}% = {exact} yuan, rounded to yuan {rounded}, at "
             "least {min_subsidy}: {per_person} yuan × {count} = {amount} yuan a month"),
    )
}


def triggering_change(cpi: Decimal, food: Decimal, cpi_trigger: Decimal, food_trigger: Decimal
                      ) -> tuple[str, Decimal] | None:
    """§P.2 and §P.4: the index that sets the subsidy (the parameter's name) and its change, or ``None`` when no
    index reaches its trigger. When both do, the higher change; equal changes: the CPI."""
    cpi_on = cpi >= cpi_trigger
    food_on = food >= food_trigger
    if cpi_on and (not food_on or cpi >= food):
        return CPI_YOY, cpi
    if food_on:
        return FOOD_YOY, food
    return None


def per_person(standard: Decimal, change: Decimal, min_subsidy: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """§P.4 the subsidy per covered person and month: (S × change ÷ 100 exactly, rounded to yuan, the amount
    with the floor ``min_subsidy``)."""
    exact = standard * change / _HUNDRED
    rounded = round_yuan(exact)
    return exact, rounded, max(rounded, min_subsidy)


def covered_persons(ctx: Context, statuses: Sequence[str]) -> list[tuple[str, str]]:
    """§P.3 the covered members in household order, each with why: their person status if it is one of
    ``statuses``, else ``"orphan"`` for an orphan."""
    out = []
    for person in ctx.household.members:
        status = ctx.person_status(person.id)
        if status is not None and status in statuses:
            out.append((person.id, status))
        elif person.orphan:
            out.append((person.id, _ORPHAN))
    return out


class PriceSubsidyProgramme(Programme):
    """The price-linkage subsidy (价格临时补贴, §P): a monthly amount per covered person while an index is at or
    above its trigger."""

    name = "price_subsidy"
    title_zh = "价格临时补贴"
    title_en = "Price-linkage subsidy"
    after = ("tekun", "dibao", "low_income")
    parameters = (CPI_YOY, FOOD_YOY, CPI_TRIGGER, FOOD_TRIGGER, STATUSES, MIN_SUBSIDY)
    # What it reads of a household (`assistkit plugins --reads`): local hukou, the members (their ids, to match
    # statuses) and orphanhood (the orphans' allowance is one of the statuses that qualify, §P.1).
    reads = ("hukou_local", "members.id", "members.orphan")
    rules = RULES

    def assess(self, ctx: Context) -> None:
        dated = ctx.params.derived(_Dated)
        if dated.trigger is None:
            ctx.reason("price.not_triggered", dict(dated.indices), params=_READ)
            return
        index, change = dated.trigger
        ctx.reason("price.triggered", {**dated.indices, "index": _INDEX_EN[index], "index_zh": _INDEX_ZH[index],
                                       "change": str(change)}, params=_READ)
        if not ctx.household.hukou_local:
            ctx.reason("price.nonlocal")
            return
        statuses = dated.statuses
        covered = covered_persons(ctx, statuses)
        if not covered:
            ctx.reason("price.none_covered", {"statuses": ", ".join(statuses),
                                              "statuses_zh": "、".join(_STATUS_ZH.get(s, s) for s in statuses)},
                       params=(STATUSES,))
            return
        ctx.reason("price.covered", {
            "count": len(covered),
            "persons": ", ".join(f"{pid} ({why})" for pid, why in covered),
            "persons_zh": "、".join(f"{pid}（{_why_zh(why)}）" for pid, why in covered),
        }, params=(STATUSES,))
        minimum = dated.minimum
        exact, rounded, amount = per_person(ctx.standard, change, minimum)
        for pid, _why in covered:
            ctx.add_monthly(amount, pid, rule="price.amount")
        ctx.reason("price.amount", {
            "S": ctx.standard, "change": str(change), "exact": round_fen(exact), "rounded": rounded,
            "min_subsidy": minimum, "per_person": amount, "count": len(covered), "amount": amount * len(covered),
        }, params=(ctx.standard_param, index, MIN_SUBSIDY))


_READ = (CPI_YOY, CPI_TRIGGER, FOOD_YOY, FOOD_TRIGGER)
"""The parameters of the first reason (§P.2)."""


class _Dated:
    """§P's parameters in force on one date and what follows from them alone (whether and by which index the
    mechanism is triggered); built once per date (:meth:`assistkit.policy.Parameters.derived`)."""

    __slots__ = ("indices", "minimum", "statuses", "trigger")

    def __init__(self, params: Parameters) -> None:
        cpi, food = _decimal(params, CPI_YOY), _decimal(params, FOOD_YOY)
        cpi_trigger, food_trigger = _decimal(params, CPI_TRIGGER), _decimal(params, FOOD_TRIGGER)
        # The reason's values, as published (3.6, -2.0), not as money; each reason gets its own copy.
        self.indices: dict[str, str] = {"cpi": str(cpi), "cpi_trigger": str(cpi_trigger), "food": str(food),
                                        "food_trigger": str(food_trigger)}
        self.trigger = triggering_change(cpi, food, cpi_trigger, food_trigger)
        statuses = params[STATUSES]
        assert isinstance(statuses, tuple), STATUSES
        self.statuses: tuple[str, ...] = statuses
        self.minimum = _decimal(params, MIN_SUBSIDY)


def _why_zh(why: str) -> str:
    return "孤儿" if why == _ORPHAN else _STATUS_ZH.get(why, why)


def _decimal(params: Parameters, name: str) -> Decimal:
    value = params[name]
    assert isinstance(value, Decimal), name
    return value
