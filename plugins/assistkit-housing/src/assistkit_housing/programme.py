"""Housing assistance (住房救助, §11): the rate by household status (§11.1), the urban rental subsidy with
public-rental priority (§11.2), and the rural renovation of a dilapidated house (§11.3).

Readings where the statute leaves a choice:

- **Household statuses** (§11.1): housing is a household benefit, so the rate follows the household's
  statuses, not the person-status rule: household status ``dibao``, or every member holding ``tekun``, gives
  1; household status ``marginal`` gives ``housing.marginal_rate``. A household that is marginal with one
  member included alone in dibao (§6.6) is a marginal household. Expenditure-hardship households get nothing.
- **Local households only** (§2.5).
- **Household size** (§11.2) is the number of members, tekun members included.
- **Rental subsidy** (§11.2): residence ``urban``, tenure ``rented`` and ``properties_owned == 0``; a monthly
  amount ``min(monthly_rent, housing.subsidy_per_person × size) × rate`` rounded to yuan, for the household
  (``member`` null), plus the in-kind flag ``public_rental_priority`` (given even when the rent, hence the
  amount, is 0). Tenure ``public_rental`` gets neither the subsidy nor the flag (it already has public
  housing); tenure ``none`` and rural renters get nothing under §11.2.
- **Renovation** (§11.3): residence ``rural``, tenure ``owned``, ``dilapidated_grade`` C or D; a one-off
  ``housing.repair_C`` or ``housing.rebuild_D`` × rate, rounded to the fen. "A renovation in the last N years"
  means a history payment of programme ``housing``, kind ``renovation``, dated after ``on`` − N years
  (calendar years, :func:`periods.add_months`): a renovation exactly N years before ``on`` no longer blocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from assistkit.api import (
    ZERO,
    Context,
    DilapidatedGrade,
    Programme,
    Residence,
    Rule,
    Tenure,
    add_months,
    round_fen,
    round_yuan,
)

from .parameters import MARGINAL_RATE, REBUILD_D, RENOVATION_YEARS, REPAIR_C, SUBSIDY_PER_PERSON

__all__ = [
    "PUBLIC_RENTAL_PRIORITY",
    "RULES",
    "HousingProgramme",
    "housing_rate",
    "renovation",
    "rental_subsidy",
]

PUBLIC_RENTAL_PRIORITY = "public_rental_priority"
"""The in-kind benefit of §11.2: priority for public rental housing (公租房优先保障)."""

ONE = Decimal("1")

_HOUSING = "housing"
_RENOVATION = "renovation"

RULES: Mapping[str, Rule] = {
    r.id: r
    for r in (
        Rule("housing.nonlocal", "§2.5",
             "非本地户籍家庭不享受住房救助",
             "a non-local household gets no housing assistance"),
        Rule("housing.rental_subsidy", "§11.2",
             "租赁补贴 = min(月租金 {monthly_rent}, 每人 {per_person} × {size} 人 = {limit}) × "
             "比例 {rate}（{basis}）= {amount} 元/月（取整到元），并享公租房优先保障",
             "rental subsidy = min(rent {monthly_rent}, {per_person} × {size} members = {limit}) × "
             "rate {rate} ({basis}) = {amount} yuan a month (rounded to yuan), plus public-rental priority"),
        Rule("housing.public_rental", "§11.2",
             "已住公租房，不再给予租赁补贴或公租房优先",
             "already in public rental housing: no rental subsidy and no public-rental priority"),
        Rule("housing.renovation", "§11.3",
             "{grade} 级危房改造补助 = {standard} × 比例 {rate}（{basis}）= {amount} 元（一次性）",
             "grade-{grade} dilapidated house, {work}: {standard} × rate {rate} ({basis}) = {amount} yuan "
             "one-off"),
        Rule("housing.renovation_recent", "§11.3",
             "{date} 已获危房改造补助（{paid} 元），{years} 年内（{since} 之后）不再补助",
             "a housing renovation was paid on {date} ({paid} yuan), within {years} years (after {since}): "
             "no renovation now"),
    )
}


class HousingProgramme(Programme):
    """§11 housing assistance for dibao, all-tekun and marginal households."""

    name = "housing"
    title_zh = "住房救助"
    title_en = "Housing assistance"
    after = ("tekun", "dibao", "low_income")
    after_if_present = ("medical", "education")
    recurring = True
    parameters = (MARGINAL_RATE, SUBSIDY_PER_PERSON, REPAIR_C, REBUILD_D, RENOVATION_YEARS)
    rules = RULES

    def assess(self, ctx: Context) -> None:
        household = ctx.household
        if household.housing is None:
            return
        rate = housing_rate(ctx)
        if rate is None:
            return
        if not household.hukou_local:
            ctx.reason("housing.nonlocal")
            return
        rental_subsidy(ctx, *rate)
        renovation(ctx, *rate)


def housing_rate(ctx: Context) -> tuple[Decimal, str] | None:
    """§11.1: (rate, basis): 1 for a dibao household or one whose members are all tekun;
    ``housing.marginal_rate`` for a marginal household; ``None`` otherwise."""
    statuses = ctx.statuses
    if "dibao" in statuses.household:
        return ONE, "dibao"
    members = statuses.members
    if members and all("tekun" in members.get(p.id, ()) for p in ctx.household.members):
        return ONE, "all tekun"
    if "marginal" in statuses.household:
        return ctx.params[MARGINAL_RATE], "marginal"  # type: ignore[return-value]
    return None


def rental_subsidy(ctx: Context, rate: Decimal, basis: str) -> None:
    """§11.2: urban, renting, owning no property: monthly ``min(monthly_rent,
    housing.subsidy_per_person × household size) × rate`` rounded to yuan, plus ``public_rental_priority``;
    tenure ``public_rental`` gets nothing more."""
    household = ctx.household
    housing = household.housing
    assert housing is not None
    if housing.tenure == Tenure.PUBLIC_RENTAL:
        ctx.reason("housing.public_rental")
        return
    if (household.residence != Residence.URBAN or housing.tenure != Tenure.RENTED
            or housing.properties_owned != 0):
        return
    per_person: Decimal = ctx.params[SUBSIDY_PER_PERSON]  # type: ignore[assignment]
    size = len(household.members)
    limit = per_person * size
    amount = round_yuan(min(housing.monthly_rent, limit) * rate)
    if amount > ZERO:
        ctx.add_monthly(amount, rule="housing.rental_subsidy")
    ctx.in_kind(PUBLIC_RENTAL_PRIORITY)
    ctx.reason("housing.rental_subsidy",
               {"monthly_rent": housing.monthly_rent, "per_person": per_person, "size": size, "limit": limit,
                "rate": rate, "basis": basis, "amount": amount},
               params=(SUBSIDY_PER_PERSON, MARGINAL_RATE) if basis == "marginal" else (SUBSIDY_PER_PERSON,))


def renovation(ctx: Context, rate: Decimal, basis: str) -> None:
    """§11.3: rural, own house graded C or D: one-off ``housing.repair_C`` / ``housing.rebuild_D`` × rate,
    unless history shows a housing renovation dated after ``on`` − ``housing.renovation_years`` years."""
    household = ctx.household
    housing = household.housing
    assert housing is not None
    grade = housing.dilapidated_grade
    if grade is None or household.residence != Residence.RURAL or housing.tenure != Tenure.OWNED:
        return
    years: int = ctx.params[RENOVATION_YEARS]  # type: ignore[assignment]
    since = add_months(ctx.on, -12 * years)
    recent = _latest_renovation(ctx, since)
    if recent is not None:
        ctx.reason("housing.renovation_recent",
                   {"date": recent[0], "paid": recent[1], "years": years, "since": since},
                   params=(RENOVATION_YEARS,))
        return
    name, work = (REPAIR_C, "repair") if grade == DilapidatedGrade.C else (REBUILD_D, "rebuild")
    standard: Decimal = ctx.params[name]  # type: ignore[assignment]
    amount = round_fen(standard * rate)
    if amount <= ZERO:
        return
    ctx.pay(_RENOVATION, amount, rule="housing.renovation")
    params = (name, RENOVATION_YEARS, MARGINAL_RATE) if basis == "marginal" else (name, RENOVATION_YEARS)
    ctx.reason("housing.renovation",
               {"grade": grade.value, "work": work, "standard": standard, "rate": rate, "basis": basis,
                "amount": amount},
               params=params)


def _latest_renovation(ctx: Context, since: dt.date) -> tuple[dt.date, Decimal] | None:
    latest: tuple[dt.date, Decimal] | None = None
    for past in ctx.household.history:
        if past.programme == _HOUSING and past.kind == _RENOVATION and past.date > since:
            if latest is None or past.date > latest[0]:
                latest = (past.date, past.amount)
    return latest
