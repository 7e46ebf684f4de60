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
    PolicyError,
    Programme,
    Reason,
    Residence,
    Rule,
    Tenure,
    add_months,
    round_fen,
    round_yuan,
)

from .parameters import (
    AREA_CAP,
    AREA_TENURES,
    BAND_UP,
    BAND_UP_FACTS,
    INCOME_RATIO,
    MARGINAL_RATE,
    REBUILD_D,
    RENOVATION_YEARS,
    RENT_STANDARD,
    REPAIR_C,
    STATUS_RATIO,
    SUBSIDY_PER_PERSON,
)

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
        Rule("housing.no_housing", "§11",
             "未登记住房情况：无法认定住房救助",
             "no housing situation is recorded: housing assistance cannot be assessed"),
        Rule("housing.no_status", "§11.1",
             "家庭不是低保家庭、低保边缘家庭，成员也非全部为特困人员：不享受住房救助",
             "the household holds neither dibao nor marginal, and not every member is tekun: no housing "
             "assistance"),
        Rule("housing.no_subsidy", "§11.2",
             "租赁补贴须为城镇、租房且无自有住房的家庭（本户：{residence}，{tenure}，自有住房 {owned} 套）；"
             "农村危房改造须为农村自有 C 级或 D 级危房（本户危房等级：{grade}）：均不符合",
             "the rental subsidy needs an urban household renting with no property of its own (this one: "
             "{residence}, {tenure}, {owned} owned), the renovation a rural owned house graded C or D (this "
             "one's grade: {grade}): neither applies"),
        Rule("housing.rental_subsidy", "§11.2",
             "租赁补贴 = 月租金 {monthly_rent} 与每人 {per_person} × {size} 人 = {limit} 中的较小者 × "
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
        Rule("housing.area_subsidy", "§11.2",
             "租金补贴 = 租金标准 {standard} 元/平方米/月 × 比例 {ratio}（{basis}）× 面积 {area} 平方米"
             "（实际 {floor_area}，上限 {cap}）= {amount} 元/月",
             "rent subsidy = rent standard {standard} yuan/m²/month × ratio {ratio} ({basis}) × area {area} m² "
             "(rented {floor_area}, at most {cap}) = {amount} yuan a month"),
        Rule("housing.area_band", "§11.2",
             "家庭无救助身份：人均月收入 {pci} 元，不超过 {bound} 元的一档，比例 {ratio}",
             "no status in the household: per-capita monthly income {pci} yuan, in the band up to {bound} yuan, "
             "ratio {ratio}"),
        Rule("housing.area_band_up", "§11.2",
             "家庭有{facts}情形：比例由 {ratio} 上调一档为 {up}",
             "the household has {facts}: the ratio moves one band up from {ratio} to {up}"),
        Rule("housing.area_income_above", "§11.2",
             "家庭无救助身份，人均月收入 {pci} 元高于各档上限 {bound} 元：无租金补贴",
             "no status in the household and a per-capita monthly income {pci} yuan above the last band's bound "
             "{bound} yuan: no rent subsidy"),
        Rule("housing.renovation_recent", "§11.3",
             "{date} 已获危房改造补助（{paid} 元），{years} 年内（{since} 之后）不再补助",
             "a housing renovation was paid on {date} ({paid} yuan), within {years} years (after {since}): "
             "no renovation now"),
    )
}


_NO_STATUS = (Reason("housing.no_status", params=(MARGINAL_RATE,)),)
"""Shared by every household it explains (a reason is immutable, its empty values read-only)."""


class HousingProgramme(Programme):
    """§11 housing assistance for dibao, all-tekun and marginal households."""

    name = "housing"
    title_zh = "住房救助"
    title_en = "Housing assistance"
    after = ("tekun", "dibao", "low_income")
    after_if_present = ("medical", "education")
    recurring = True
    # Also read when the locality gives them (optional, china-rules §5.9): RENT_STANDARD, AREA_CAP, AREA_TENURES,
    # STATUS_RATIO, INCOME_RATIO, BAND_UP.
    parameters = (MARGINAL_RATE, SUBSIDY_PER_PERSON, REPAIR_C, REBUILD_D, RENOVATION_YEARS)
    # What it reads of a household (`assistkit plugins --reads`): local hukou and residence (§10.1), the dwelling
    # (§10.2–§10.4), how many members there are (the subsidy per person) and the renovations history has paid
    # (§10.5).
    reads = ("hukou_local", "residence", "housing", "members.id", "history")
    rules = RULES

    def assess(self, ctx: Context) -> None:
        household = ctx.household
        if household.housing is None:
            ctx.reason("housing.no_housing")
            return
        params = ctx.params
        if RENT_STANDARD in params and household.housing.tenure.value in params.get(AREA_TENURES, ()):
            if not household.hukou_local:
                ctx.reason("housing.nonlocal")
                return
            area_subsidy(ctx)
            return
        rate = housing_rate(ctx)
        if rate is None:
            ctx.reasons(_NO_STATUS)
            return
        if not household.hukou_local:
            ctx.reason("housing.nonlocal")
            return
        renting = rental_subsidy(ctx, *rate)
        renovating = renovation(ctx, *rate)
        if not renting and not renovating:
            housing = household.housing
            ctx.reason("housing.no_subsidy",
                       {"residence": household.residence.value, "tenure": housing.tenure.value,
                        "owned": housing.properties_owned,
                        "grade": housing.dilapidated_grade.value if housing.dilapidated_grade else "-"})


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


def area_subsidy(ctx: Context) -> None:
    """china-rules §5.9 (Beijing B7): ``housing.rent_standard`` × ratio × min(rented area, ``housing.area_cap``),
    rounded to the fen, monthly. The ratio is ``housing.status_ratio`` of the household's status (dibao, every
    member tekun, marginal), else ``housing.income_ratio`` of the first band whose upper bound the per-capita
    income does not exceed; a household with one of the facts of ``housing.band_up`` takes the next higher ratio
    of the two tables."""
    household = ctx.household
    housing = household.housing
    assert housing is not None
    params = ctx.params
    standard: Decimal = params[RENT_STANDARD]  # type: ignore[assignment]
    statuses: Mapping[str, Decimal] = params.get(STATUS_RATIO) or {}
    bands = _income_bands(ctx)
    held = ctx.statuses
    members = held.members
    basis = None
    if "dibao" in held.household:
        basis = "dibao"
    elif members and all("tekun" in members.get(p.id, ()) for p in household.members):
        basis = "tekun"
    elif "marginal" in held.household:
        basis = "marginal"
    ratio = statuses.get(basis) if basis is not None else None
    used: tuple[str, ...] = (RENT_STANDARD, AREA_CAP, STATUS_RATIO)
    if ratio is None:
        pci = ctx.income(tuple(p.id for p in household.members)).per_capita
        band = next(((bound, r) for bound, r in bands if pci <= bound), None)
        if band is None:
            ctx.reason("housing.area_income_above", {"pci": pci, "bound": bands[-1][0] if bands else ZERO},
                       params=(INCOME_RATIO,))
            return
        ratio = band[1]
        basis = "income_band"
        ctx.reason("housing.area_band", {"pci": pci, "bound": band[0], "ratio": ratio}, params=(INCOME_RATIO,))
        used = (RENT_STANDARD, AREA_CAP, INCOME_RATIO)
    facts = _band_up_facts(ctx)
    if facts:
        higher = sorted({r for r in (*statuses.values(), *(r for _, r in bands)) if r > ratio})
        if higher:
            ctx.reason("housing.area_band_up", {"facts": facts, "ratio": ratio, "up": higher[0]},
                       params=(BAND_UP,))
            ratio = higher[0]
    cap = params.get(AREA_CAP)
    area = housing.floor_area if cap is None or housing.floor_area < cap else cap
    amount = round_fen(standard * ratio * area)
    if amount > ZERO:
        ctx.add_monthly(amount, rule="housing.area_subsidy")
    ctx.reason("housing.area_subsidy",
               {"standard": standard, "ratio": ratio, "basis": basis, "area": area, "floor_area": housing.floor_area,
                "cap": "—" if cap is None else cap, "amount": amount}, params=used)


def _income_bands(ctx: Context) -> list[tuple[Decimal, Decimal]]:
    """``housing.income_ratio`` as (upper bound, ratio) in increasing order; a bound that is not money is named."""
    table: Mapping[str, Decimal] = ctx.params.get(INCOME_RATIO) or {}
    bands = []
    for key, ratio in table.items():
        try:
            bound = Decimal(key)
        except ArithmeticError:
            bound = Decimal("NaN")
        if not bound.is_finite() or bound < 0:
            source = ctx.params.source(INCOME_RATIO)
            raise PolicyError(f"expected an income bound in yuan as the key (\"1200\"); got {key!r}",
                              file=source.file, key=f"{INCOME_RATIO}.{key}")
        bands.append((bound, ratio))
    return sorted(bands)


def _band_up_facts(ctx: Context) -> tuple[str, ...]:
    wanted = tuple(ctx.params.get(BAND_UP, ()))  # type: ignore[arg-type]
    unknown = [f for f in wanted if f not in BAND_UP_FACTS]
    if unknown:
        source = ctx.params.source(BAND_UP)
        raise PolicyError(f"unknown fact {unknown[0]!r}; expected one of {', '.join(BAND_UP_FACTS)}",
                          file=source.file, key=BAND_UP)
    members = ctx.household.members
    found = {
        "severe_disability": any(p.disability_grade in (1, 2) for p in members),
        "serious_illness": any(p.serious_illness for p in members),
        "all_elderly": all(ctx.age(p) >= 60 for p in members),
    }
    return tuple(f for f in wanted if found[f])


def rental_subsidy(ctx: Context, rate: Decimal, basis: str) -> bool:
    """§11.2: urban, renting, owning no property: monthly ``min(monthly_rent,
    housing.subsidy_per_person × household size) × rate`` rounded to yuan, plus ``public_rental_priority``;
    tenure ``public_rental`` gets nothing more. Returns whether §11.2 applied (and said so)."""
    household = ctx.household
    housing = household.housing
    assert housing is not None
    if housing.tenure == Tenure.PUBLIC_RENTAL:
        ctx.reason("housing.public_rental")
        return True
    if (household.residence != Residence.URBAN or housing.tenure != Tenure.RENTED
            or housing.properties_owned != 0):
        return False
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
    return True


def renovation(ctx: Context, rate: Decimal, basis: str) -> bool:
    """§11.3: rural, own house graded C or D: one-off ``housing.repair_C`` / ``housing.rebuild_D`` × rate,
    unless history shows a housing renovation dated after ``on`` − ``housing.renovation_years`` years.
    Returns whether §11.3 applied (and said so)."""
    household = ctx.household
    housing = household.housing
    assert housing is not None
    grade = housing.dilapidated_grade
    if grade is None or household.residence != Residence.RURAL or housing.tenure != Tenure.OWNED:
        return False
    years: int = ctx.params[RENOVATION_YEARS]  # type: ignore[assignment]
    since = add_months(ctx.on, -12 * years)
    recent = _latest_renovation(ctx, since)
    if recent is not None:
        ctx.reason("housing.renovation_recent",
                   {"date": recent[0], "paid": recent[1], "years": years, "since": since},
                   params=(RENOVATION_YEARS,))
        return True
    name, work = (REPAIR_C, "repair") if grade == DilapidatedGrade.C else (REBUILD_D, "rebuild")
    standard: Decimal = ctx.params[name]  # type: ignore[assignment]
    amount = round_fen(standard * rate)
    if amount <= ZERO:
        return False
    ctx.pay(_RENOVATION, amount, rule="housing.renovation")
    params = (name, RENOVATION_YEARS, MARGINAL_RATE) if basis == "marginal" else (name, RENOVATION_YEARS)
    ctx.reason("housing.renovation",
               {"grade": grade.value, "work": work, "standard": standard, "rate": rate, "basis": basis,
                "amount": amount},
               params=params)
    return True


def _latest_renovation(ctx: Context, since: dt.date) -> tuple[dt.date, Decimal] | None:
    latest: tuple[dt.date, Decimal] | None = None
    for past in ctx.household.history:
        if past.programme == _HOUSING and past.kind == _RENOVATION and past.date > since:
            if latest is None or past.date > latest[0]:
                latest = (past.date, past.amount)
    return latest
