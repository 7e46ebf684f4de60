"""Hypothesis strategies for the household model: :func:`households`, :func:`people`, :func:`incomes`,
:func:`funds` and :func:`populations`.

Every value drawn is valid **by construction** under ``spec/household-format.md`` for the assessment date
``on``: ids are unique (people ``P1``…, expenses ``E1``…, events ``V1``…), exactly one member is the head,
every reference (a record's ``member``, a past payment's ``need``) resolves, money has at most two places,
no birth, expense, event, enrolment or payment date is after ``on``, ``in_scope ≤ total``,
``insurance_paid ≤ in_scope``, ``compensated ≤ loss``, an id number (when drawn) has a valid GB 11643 check
character and encodes the birth date, and so on. Nothing is filtered, so generation stays fast.

The spread is realistic for Demo City: one to eight members of every age with relationships to match,
incomes placed around the standard S (wages, casual days, farm land in mu, pensions, family support,
allowances that do not count, records partly or wholly outside the income window), assets, medical and
tuition expenses, emergencies, housing, enrolments and past payments; and the facts of the national rules
(reference/china-rules.md §2–§5): marital status and single parents, ADL assessments, supporting relatives
outside the household (obligors) with their household's income, size, statuses and agreed amounts, and the
expected duration of an event's hardship.

Shrinking goes toward the simplest household: **one 30-year-old head, urban, local, with no income and no
other record** (no assets, expenses, events, housing, enrolments, history or obligors; no id number, marital
status or ADL assessment).

The strategies are also registered for :func:`hypothesis.strategies.from_type` (``Household``, ``Person``,
``Income``, ``Fund``) through hypothesis' entry point when ``assistkit[testing]`` is installed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..dev.demo import DEFAULT_ON, make_id_number
from ..household import (
    Adl,
    Asset,
    AssetKind,
    DilapidatedGrade,
    Enrolment,
    EnrolmentProgramme,
    Event,
    EventKind,
    Expense,
    ExpenseKind,
    Fund,
    HouseDamage,
    Household,
    Housing,
    Income,
    IncomeCategory,
    LabourCapacity,
    MaritalStatus,
    NeedKind,
    Obligor,
    ObligorRelationship,
    PastPayment,
    PaymentKind,
    PaymentProgramme,
    Person,
    Relationship,
    Residence,
    School,
    SelfCare,
    Stage,
    Status,
    Tenure,
)
from ..periods import Month, age_on
from ..policy import Policy, load_policy

__all__ = ["DEFAULT_ON", "funds", "households", "incomes", "people", "populations"]

_MAX_MEMBERS = 30
_MAX_AGE = 100

_SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "欧阳")
_GIVEN = ("伟", "芳", "秀英", "建国", "红", "明", "丽", "强", "桂兰", "小明")
_URBAN_COMMUNITIES = ("", "东风社区", "向阳社区", "幸福社区")
_RURAL_COMMUNITIES = ("", "李家村", "王庄村", "河西村")
_REGIONS = ("110105", "320102", "440106", "510107")
_FUND_NAMES = ("慈善总会医疗救助基金", "助学基金", "应急救助基金")
_OTHER_RELATIONSHIPS = tuple(r for r in Relationship if r is not Relationship.HEAD)
_WORKING = (IncomeCategory.WAGE, IncomeCategory.CASUAL, IncomeCategory.BUSINESS, IncomeCategory.OTHER)
_ELDERLY = (IncomeCategory.PENSION, IncomeCategory.SUPPORT, IncomeCategory.PROPERTY)
_YOUNG = (IncomeCategory.SUPPORT, IncomeCategory.OTHER)
_HOUSEHOLD_LEVEL = (
    IncomeCategory.PROPERTY, IncomeCategory.SUPPORT, IncomeCategory.TRANSFER, IncomeCategory.OTHER,
)


def _fen(amount: int) -> Decimal:
    """An integer number of fen as money (two places)."""
    return Decimal(amount).scaleb(-2)


def _tenths(amount: int) -> Decimal:
    return Decimal(amount).scaleb(-1)


# ---------------------------------------------------------------------------------------------------------
# Argument validation (hypothesis house style: misuse is InvalidArgument, with what was expected and got)
# ---------------------------------------------------------------------------------------------------------


def _check_on(on: object) -> dt.date:
    if type(on) is not dt.date:
        raise InvalidArgument(f"on must be a datetime.date; got {on!r}")
    if not _MAX_AGE + 10 <= on.year <= 9997:
        raise InvalidArgument(f"on must be between the years {_MAX_AGE + 10} and 9997; got {on.isoformat()}")
    return on


def _check_residence(residence: object) -> Residence | None:
    if residence is None:
        return None
    try:
        return Residence(residence)  # type: ignore[arg-type]
    except ValueError:
        raise InvalidArgument(f"residence must be None, 'urban' or 'rural'; got {residence!r}") from None


def _check_flag(name: str, value: object, *, optional: bool) -> bool | None:
    if value is None and optional:
        return None
    if not isinstance(value, bool):
        allowed = "None, True or False" if optional else "True or False"
        raise InvalidArgument(f"{name} must be {allowed}; got {value!r}")
    return value


def _check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name} must be an int; got {value!r}")
    if not low <= value <= high:
        raise InvalidArgument(f"{name} must be between {low} and {high}; got {value}")
    return value


def _check_policy(policy: object) -> Policy:
    if policy is None:
        return _demo_city()
    if not isinstance(policy, Policy):
        raise InvalidArgument(f"policy must be None or an assistkit.policy.Policy; got {policy!r}")
    return policy


@lru_cache(maxsize=1)
def _demo_city() -> Policy:
    # The core parameters only (S, the income window, imputed wages): enough to place incomes.
    return load_policy("demo-city")


# ---------------------------------------------------------------------------------------------------------
# What the generator knows of the policy: only where to place incomes. It never decides eligibility.
# ---------------------------------------------------------------------------------------------------------


def _value_on(policy: Policy, name: str, on: dt.date) -> Any:
    """The value of ``name`` on ``on``, or its earliest value when ``on`` precedes the policy."""
    entries = policy.timeline(name)
    value = entries[0][1]
    for effective, v, _ in entries:
        if effective <= on:
            value = v
    return value


@attrs.frozen
class _Anchor:
    on: dt.date
    standard: dict[Residence, int]
    """S in fen by residence."""
    window: tuple[int, int]
    """First and last month index of the income window (§1.3)."""
    casual_wage: int
    """Fen per casual day."""
    farm_rate: int
    """Fen per mu per year."""
    excluded: tuple[str, ...]
    locality: str


@lru_cache(maxsize=64)
def _anchor(policy: Policy, on: dt.date) -> _Anchor:
    def fen(name: str) -> int:
        return int(Decimal(_value_on(policy, name, on)) * 100)

    months = int(_value_on(policy, "income.window_months", on))
    last = Month.of(on).index - 1
    return _Anchor(
        on,
        {r: fen(f"standard.{r.value}") for r in Residence},
        (last - months + 1, last),
        fen("income.casual_daily_wage"),
        fen("income.farm_net_per_mu_year"),
        tuple(_value_on(policy, "income.excluded_kinds", on)),
        policy.locality,
    )


# ---------------------------------------------------------------------------------------------------------
# Drawing. The records are drawn by plain functions through one `_Draw`, from integer strategies that
# hypothesis caches: building fresh strategy objects per record made generation several times slower.
# An index into a tuple shrinks toward its first element, so each tuple lists the simplest choice first.
# ---------------------------------------------------------------------------------------------------------


class _Draw:
    __slots__ = ("draw",)

    def __init__(self, draw: Any) -> None:
        self.draw = draw

    def between(self, low: int, high: int) -> int:
        """An int in [low, high], shrinking toward ``low``."""
        return low if low >= high else self.draw(st.integers(low, high))  # type: ignore[no-any-return]

    def pick(self, choices: Sequence[Any]) -> Any:
        """One of ``choices``, shrinking toward the first."""
        return choices[self.between(0, len(choices) - 1)]

    def flag(self) -> bool:
        """True or False, shrinking toward False."""
        return self.between(0, 1) == 1

    def days_before(self, on: dt.date, most: int) -> dt.date:
        return on - dt.timedelta(days=self.between(0, most))


def _years_before(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February in a common year
        return on.replace(year=on.year - years, day=28)


def _birth_date(d: _Draw, on: dt.date, age: int) -> dt.date:
    """A birth date of a person aged exactly ``age`` on ``on`` (§1.2); shrinks to a birthday on ``on``."""
    latest = _years_before(on, age)
    try:
        earliest = dt.date(on.year - age - 1, on.month, on.day) + dt.timedelta(days=1)
    except ValueError:  # born after 29 February in a common year: from 1 March
        earliest = dt.date(on.year - age - 1, 3, 1)
    return latest - dt.timedelta(days=d.between(0, (latest - earliest).days))


# ---------------------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------------------


def _age_range(relationship: Relationship, head_age: int) -> tuple[int, int]:
    """Plausible ages of a member relative to the head (never an empty range)."""
    table = {
        Relationship.SPOUSE: (max(18, head_age - 10), head_age + 10),
        Relationship.CHILD: (head_age - 45, head_age - 18),
        Relationship.PARENT: (head_age + 18, head_age + 45),
        Relationship.GRANDCHILD: (head_age - 75, head_age - 36),
        Relationship.GRANDPARENT: (head_age + 36, head_age + 70),
        Relationship.SIBLING: (head_age - 15, head_age + 15),
    }
    lo, hi = table.get(relationship, (0, _MAX_AGE))
    lo, hi = max(0, min(lo, _MAX_AGE)), max(0, min(hi, _MAX_AGE))
    return (lo, hi) if lo <= hi else (hi, lo)


def _stages(age: int) -> tuple[Stage, ...]:
    if 3 <= age <= 5:
        return (Stage.PRESCHOOL,)
    if 6 <= age <= 11:
        return (Stage.PRIMARY,)
    if 12 <= age <= 14:
        return (Stage.JUNIOR,)
    if 15 <= age <= 17:
        return (Stage.SENIOR, Stage.VOCATIONAL)
    if 18 <= age <= 22:
        return (Stage.UNDERGRADUATE, Stage.VOCATIONAL)
    return ()


def _school(d: _Draw, age: int) -> School | None:
    stages = _stages(age)
    if not stages or not d.flag():
        return None
    stage = d.pick(stages)
    tuition = _fen(0)
    if stage in (Stage.SENIOR, Stage.VOCATIONAL, Stage.UNDERGRADUATE):
        tuition = _fen(d.between(0, 80) * 10_000)
    return School(stage, d.flag(), tuition)


_GRADES = (None, 1, 2, 3, 4)
_CAPACITIES = tuple(LabourCapacity)
_SELF_CARE = tuple(SelfCare)
_MARITAL = (None, *MaritalStatus)


def _adl(d: _Draw) -> Adl | None:
    """No assessment, or the six activities each done alone or not (shrinking toward done alone)."""
    if not d.flag():
        return None
    return Adl(*(not d.flag() for _ in range(6)))


def _person(d: _Draw, on: dt.date, person_id: str, relationship: Relationship, age: int) -> Person:
    birth = _birth_date(d, on, age)
    id_number = None
    if d.flag():
        id_number = make_id_number(d.pick(_REGIONS), birth.isoformat(), d.between(0, 999))
    return Person(
        id=person_id,
        name=d.pick(_SURNAMES) + d.pick(_GIVEN),
        birth_date=birth,
        relationship=relationship,
        id_number=id_number,
        disability_grade=d.pick(_GRADES),
        serious_illness=d.flag(),
        labour_capacity=d.pick(_CAPACITIES),
        self_care=d.pick(_SELF_CARE),
        school=_school(d, age),
        has_capable_supporter=not d.flag(),
        orphan=d.flag() if age < 18 else False,
        refused_job_offers=d.between(0, 4),
        marital_status=d.pick(_MARITAL) if age >= 18 else None,
        single_parent=d.flag() if age >= 18 else False,
        adl=_adl(d),
    )


def _head_age(d: _Draw, low: int, high: int) -> int:
    """An age in [low, high], shrinking toward 30 (a working-age adult) when it is in range."""
    start = min(max(30, low), high)
    if d.flag():
        return d.between(low, start)
    return d.between(start, high)


def people(
    *,
    on: dt.date = DEFAULT_ON,
    min_age: int = 0,
    max_age: int = _MAX_AGE,
    relationship: Relationship | str | None = None,
    person_id: str = "P1",
) -> st.SearchStrategy[Person]:
    """A valid :class:`~assistkit.household.Person` aged ``min_age``–``max_age`` on ``on`` (§1.2).

    ``relationship`` fixes the relationship (default: any, shrinking to ``head``). Every field varies: id
    number (absent, or valid for the birth date), disability, illness, labour capacity, self-care, school by
    age, capable supporter, orphan (minors only), refused job offers, marital status and single parent
    (adults only), an ADL assessment.

    Shrinks toward a 30-year-old (or the nearest age allowed) head with every optional field at its default.
    """
    on = _check_on(on)
    min_age = _check_int("min_age", min_age, 0, _MAX_AGE)
    max_age = _check_int("max_age", max_age, min_age, _MAX_AGE)
    if not isinstance(person_id, str) or not person_id:
        raise InvalidArgument(f"person_id must be a non-empty string; got {person_id!r}")
    relationships: tuple[Relationship, ...] = tuple(Relationship)
    if relationship is not None:
        try:
            relationships = (Relationship(relationship),)
        except ValueError:
            raise InvalidArgument(
                f"relationship must be None or one of {', '.join(r.value for r in Relationship)}; "
                f"got {relationship!r}") from None

    @st.composite
    def one(draw: Any) -> Person:
        d = _Draw(draw)
        return _person(d, on, person_id, d.pick(relationships), _head_age(d, min_age, max_age))

    return one()


# ---------------------------------------------------------------------------------------------------------
# Incomes
# ---------------------------------------------------------------------------------------------------------


def _income_record(
    category: IncomeCategory, member: str | None, kind: str, first: int, last: int, amount: int | None,
    *, days: int | None = None, land_mu: Decimal | None = None,
) -> Income:
    money = None if amount is None else _fen(amount)
    start, end = Month.from_index(first), Month.from_index(last)
    if first == last:
        return Income(category, member, kind, money, month=start, days=days, land_mu=land_mu)
    return Income(category, member, kind, money, from_=start, to=end, days=days, land_mu=land_mu)


_SHAPES = ("window", "wider", "part", "edge")


def _stream(d: _Draw, anchor: _Anchor, member: str | None, age: int | None, contribution: int,
            rural: bool) -> Income:
    """One counted income record adding ``contribution`` fen to the window's monthly average (§3.1, §3.4).

    The record may cover the whole window, extend beyond it, cover part of it, or start before it; its amount
    is set so that the part inside the window averages ``contribution`` a month (within a fen; within a day's
    wage or a tenth of a mu when it is recorded as casual days or farm land).
    """
    w0, w1 = anchor.window
    p = w1 - w0 + 1
    if age is None:
        categories = _HOUSEHOLD_LEVEL + ((IncomeCategory.FARM,) if rural else ())
    elif age < 16:
        categories = _YOUNG
    elif age >= 60:
        categories = _ELDERLY + ((IncomeCategory.FARM,) if rural else ())
    else:
        categories = _WORKING + ((IncomeCategory.FARM,) if rural else (IncomeCategory.PROPERTY,))
    category = d.pick(categories)
    shape = d.pick(_SHAPES)
    if shape == "window":
        first, last = w0, w1
    elif shape == "wider":
        first, last = w0 - d.between(0, 12), w1 + d.between(0, 12)
    elif shape == "part":
        first = w0 + d.between(0, p - 1)
        last = first + d.between(0, w1 - first)
    else:
        first, last = w0 - d.between(1, 12), w0 + d.between(0, p - 1)
    inside = min(last, w1) - max(first, w0) + 1
    length = last - first + 1
    # A record of `amount` spread over `length` months averages amount × inside / (length × P) over the
    # window (§3.1, §3.4): solve for the amount, in fen.
    amount = (contribution * length * p + inside // 2) // inside
    if d.flag():
        if category is IncomeCategory.CASUAL and anchor.casual_wage:
            days = (amount + anchor.casual_wage // 2) // anchor.casual_wage
            return _income_record(category, member, "", first, last, None, days=days)
        if category is IncomeCategory.FARM and anchor.farm_rate:
            # land_mu × rate / 12 counts for each month of the record (§3.3).
            per = anchor.farm_rate * inside
            tenths = (contribution * 120 * p + per // 2) // per
            return _income_record(category, member, "", first, last, None, land_mu=_tenths(tenths))
    return _income_record(category, member, "", first, last, amount)


_OUTSIDE = (IncomeCategory.WAGE, IncomeCategory.PENSION, IncomeCategory.FARM)


def _uncounted(d: _Draw, anchor: _Anchor, member: str | None, standard: int) -> Income:
    """A record that never counts in the window: an excluded kind (§3.2), or months outside the window."""
    w0, w1 = anchor.window
    amount = d.between(0, 3 * standard)
    where = d.pick(("before", "after", "excluded") if anchor.excluded else ("before", "after"))
    if where == "excluded":
        first = w0 + d.between(0, w1 - w0)
        return _income_record(IncomeCategory.TRANSFER, member, d.pick(anchor.excluded), first, first, amount)
    category = d.pick(_OUTSIDE)
    if where == "before":
        last = w0 - 1 - d.between(0, 12)
        first = last - d.between(0, 11)
    else:
        first = w1 + 1 + d.between(0, 6)
        last = first + d.between(0, 11)
    return _income_record(category, member, "", first, last, amount * (last - first + 1))


def incomes(
    *,
    members: Sequence[str | None] = (None,),
    on: dt.date = DEFAULT_ON,
    policy: Policy | None = None,
) -> st.SearchStrategy[Income]:
    """A valid :class:`~assistkit.household.Income` record of one of ``members`` (``None``: household-level).

    Any category; an amount, or ``days`` (casual) or ``land_mu`` (farm) with no amount; one month or a range
    of months, inside, across or outside the income window of ``on`` (§1.3, window length from ``policy``,
    default Demo City); now and then an excluded kind (§3.2).

    Shrinks toward a record of the first of ``members`` with no income over the whole window.
    """
    on = _check_on(on)
    anchor = _anchor(_check_policy(policy), on)
    valid = not isinstance(members, str) and all(m is None or isinstance(m, str) and m for m in members)
    if not members or not valid:
        raise InvalidArgument(f"members must be a non-empty sequence of person ids or None; got {members!r}")
    choices = tuple(members)
    standard = anchor.standard[Residence.URBAN]

    @st.composite
    def one(draw: Any) -> Income:
        d = _Draw(draw)
        member = d.pick(choices)
        if d.flag():
            return _uncounted(d, anchor, member, standard)
        age = None if member is None else d.between(0, _MAX_AGE)
        return _stream(d, anchor, member, age, d.between(0, 3 * standard), d.flag())

    return one()


def _household_incomes(d: _Draw, anchor: _Anchor, members: Sequence[Person], residence: Residence,
                       near_standard: bool) -> list[Income]:
    """Counted records whose monthly average per member is a drawn level around S, plus uncounted ones."""
    s = anchor.standard[residence]
    n = len(members)
    holders: tuple[str | None, ...] = (*(p.id for p in members), None)
    # near_standard: aim at 0.6–1.4 S so that the imputations' rounding stays within 0.5–1.5 S.
    level = d.between(6 * s // 10, 14 * s // 10) if near_standard else d.between(0, 3 * s)
    out: list[Income] = []
    if level:
        ages = {p.id: age_on(p.birth_date, anchor.on) for p in members}
        total = level * n
        cuts = sorted(d.between(0, total) for _ in range(d.between(0, 2)))
        for a, b in zip([0, *cuts], [*cuts, total], strict=True):
            holder = d.pick(holders)
            age = None if holder is None else ages[holder]
            out.append(_stream(d, anchor, holder, age, b - a, residence is Residence.RURAL))
    for _ in range(d.between(0, 2)):
        out.append(_uncounted(d, anchor, d.pick(holders), s))
    if len(out) > 1:
        k = d.between(0, len(out) - 1)  # records come in any order
        out = out[k:] + out[:k]
    return out


# ---------------------------------------------------------------------------------------------------------
# The other records of a household
# ---------------------------------------------------------------------------------------------------------


_ASSET_KINDS = tuple(AssetKind)


def _asset(d: _Draw, ids: Sequence[str | None], s: int) -> Asset:
    kind = d.pick(_ASSET_KINDS)
    limits = {
        AssetKind.DEPOSIT: 40 * s, AssetKind.SECURITIES: 20 * s, AssetKind.VEHICLE: 8_000_000,
        AssetKind.HOUSE: 100_000_000, AssetKind.COMMERCIAL_PROPERTY: 200_000_000,
    }
    value = _fen(d.between(0, limits[kind]))
    exempt = d.flag() if kind is AssetKind.VEHICLE else False
    return Asset(kind, value, d.pick(ids), exempt)


_MEDICAL = (ExpenseKind.INPATIENT, ExpenseKind.OUTPATIENT_CHRONIC, ExpenseKind.OUTPATIENT)


def _expense(d: _Draw, on: dt.date, expense_id: str, members: Sequence[Person]) -> Expense:
    students = [p.id for p in members if p.school is not None]
    kind = d.pick(_MEDICAL + (ExpenseKind.TUITION,) if students else _MEDICAL)
    date = d.days_before(on, 500)
    if kind is ExpenseKind.TUITION:
        return Expense(expense_id, d.pick(students), kind, date, _fen(d.between(0, 2_000_000)))
    member = d.pick([p.id for p in members])
    total = d.between(0, 30_000_000 if kind is ExpenseKind.INPATIENT else 3_000_000)
    in_scope = None
    limit = total
    if d.flag():
        limit = total * d.between(40, 100) // 100
        in_scope = _fen(limit)
    insurance = limit * d.between(0, 80) // 100
    return Expense(expense_id, member, kind, date, _fen(total), in_scope, _fen(insurance))


_EVENT_KINDS = tuple(EventKind)


_DAMAGES = tuple(HouseDamage)


def _event(d: _Draw, on: dt.date, event_id: str) -> Event:
    kind = d.pick(_EVENT_KINDS)
    date = d.days_before(on, 200)
    loss = d.between(0, 30_000_000)
    compensated = _fen(loss * d.between(0, 100) // 100)
    duration = d.pick(_DURATIONS)
    if kind is not EventKind.DISASTER:
        return Event(event_id, kind, date, _fen(loss), compensated, duration_months=duration)
    # Damage to the dwelling and deaths: disaster events only (household-format.md).
    return Event(event_id, kind, date, _fen(loss), compensated, d.pick(_DAMAGES), d.between(0, 2), duration)


_DURATIONS = (None, 1, 2, 3, 6, 12)
_OBLIGOR_RELATIONSHIPS = tuple(ObligorRelationship)


def _obligor(d: _Draw, holders: Sequence[str | None], s: int) -> Obligor:
    """A supporting relative: a household of one to six earning up to eight times S per person, on a status
    now and then, supporting one to three households, with a court or agreed amount now and then."""
    size = d.between(1, 6)
    statuses = tuple(status for status in Status if d.between(0, 7) == 7)
    agreed = _fen(d.between(0, s)) if d.flag() else None
    # Keyword arguments through a dict: mypy's attrs plugin mistypes the `tuple` converter of `statuses`.
    fields: dict[str, Any] = dict(relationship=d.pick(_OBLIGOR_RELATIONSHIPS),
                                  household_income=_fen(d.between(0, 8 * s * size)), household_size=size,
                                  member=d.pick(holders), households_supported=d.between(1, 3), statuses=statuses,
                                  agreed_amount=agreed)
    return Obligor(**fields)


_TENURES = {
    Residence.URBAN: (Tenure.RENTED, Tenure.OWNED, Tenure.PUBLIC_RENTAL, Tenure.NONE),
    Residence.RURAL: (Tenure.OWNED, Tenure.RENTED, Tenure.NONE, Tenure.PUBLIC_RENTAL),
}


def _housing(d: _Draw, residence: Residence) -> Housing | None:
    if not d.flag():
        return None
    tenure = d.pick(_TENURES[residence])
    area = _tenths(d.between(0, 2000))
    rent = _fen(d.between(30_000, 400_000)) if tenure is Tenure.RENTED else _fen(0)
    grade = d.pick((None, DilapidatedGrade.C, DilapidatedGrade.D)) if tenure is Tenure.OWNED else None
    owned = d.between(1, 2) if tenure is Tenure.OWNED else d.between(0, 1)
    return Housing(tenure, area, rent, grade, owned)


def _enrolments(d: _Draw, on: dt.date, members: Sequence[Person], s: int) -> list[Enrolment]:
    options: list[tuple[EnrolmentProgramme, str | None]] = [
        (EnrolmentProgramme.DIBAO, None), (EnrolmentProgramme.HOUSING, None),
        *((EnrolmentProgramme.TEKUN, p.id) for p in members),
        *((EnrolmentProgramme.DIBAO, p.id) for p in members),
    ]
    out = []
    for _ in range(d.between(0, 2)):
        programme, member = options.pop(d.between(0, len(options) - 1))
        since = d.days_before(on, 2000)
        # Whole yuan, as the rules that set these amounts round them (§5.2, §6.5, §11.2).
        amount = _fen(d.between(0, 3 * s // 100) * 100)
        exit_from = None
        if programme is EnrolmentProgramme.DIBAO and d.flag():
            exit_from = since + dt.timedelta(days=d.between(0, (on - since).days))
        out.append(Enrolment(programme, since, amount, member, exit_from))
    return out


# (programme, kind, whether it names a person, what need it may name)
_PAST = (
    (PaymentProgramme.MEDICAL, PaymentKind.PREMIUM_SUBSIDY, True, None),
    (PaymentProgramme.MEDICAL, PaymentKind.TREATMENT, True, "medical"),
    (PaymentProgramme.EDUCATION, PaymentKind.GRANT, True, None),
    (PaymentProgramme.EDUCATION, PaymentKind.TUITION_WAIVER, True, "tuition"),
    (PaymentProgramme.HOUSING, PaymentKind.RENOVATION, False, None),
    (PaymentProgramme.HOUSING, PaymentKind.RENTAL_SUBSIDY, False, None),
    (PaymentProgramme.TEMPORARY, PaymentKind.GRANT, False, "any"),
    (PaymentProgramme.DONATIONS, PaymentKind.ALLOCATION, False, "any"),
    (PaymentProgramme.DIBAO, PaymentKind.MONTHLY, False, None),
    (PaymentProgramme.DISASTER, PaymentKind.DWELLING, False, "event"),
    (PaymentProgramme.DISASTER, PaymentKind.EMERGENCY_LIVING, False, "event"),
)


def _past_payment(d: _Draw, on: dt.date, members: Sequence[Person], expenses: Sequence[Expense],
                  events: Sequence[Event]) -> PastPayment:
    """A past payment of a plausible programme and kind; one toward a need is dated after the need, pays at
    most its gross amount, and names the need's person."""
    programme, kind, personal, need_kind = d.pick(_PAST)
    gross: dict[str, tuple[Decimal, dt.date, str | None]] = {}
    for e in expenses:
        medical = e.kind is not ExpenseKind.TUITION
        if need_kind == "any" or need_kind == ("medical" if medical else "tuition"):
            gross[e.id] = (e.total - e.insurance_paid if medical else e.total, e.date, e.member)
    if need_kind in ("any", "event"):
        for ev in events:
            gross[ev.id] = (ev.loss - ev.compensated, ev.date, None)
    member = d.pick([p.id for p in members]) if personal else None
    need = d.pick((None, *gross)) if gross else None
    if need is None:
        return PastPayment(programme, kind, d.days_before(on, 1500), _fen(d.between(0, 1_000_000)), member)
    base, since, owner = gross[need]
    date = since + dt.timedelta(days=d.between(0, (on - since).days))
    amount = _fen(int(base * 100) * d.between(0, 100) // 100)
    return PastPayment(programme, kind, date, amount, owner if personal and owner else member, need)


# ---------------------------------------------------------------------------------------------------------
# Households
# ---------------------------------------------------------------------------------------------------------


@attrs.frozen
class _Options:
    residence: Residence | None
    local: bool | None
    near_standard: bool
    min_members: int
    max_members: int
    anchor: _Anchor


_RESIDENCES = (Residence.URBAN, Residence.RURAL)


@st.composite
def _households(draw: Any, o: _Options) -> Household:
    d = _Draw(draw)
    anchor, on = o.anchor, o.anchor.on
    residence = o.residence or d.pick(_RESIDENCES)
    local = o.local if o.local is not None else not d.flag()
    n = d.between(o.min_members, o.max_members)
    head_age = _head_age(d, 18, _MAX_AGE)
    head_at = d.between(0, n - 1)
    members: list[Person] = []
    for i in range(n):
        pid = f"P{i + 1}"
        if i == head_at:
            members.append(_person(d, on, pid, Relationship.HEAD, head_age))
        else:
            relationship = d.pick(_OTHER_RELATIONSHIPS)
            members.append(_person(d, on, pid, relationship, d.between(*_age_range(relationship, head_age))))
    s = anchor.standard[residence]
    holders: tuple[str | None, ...] = (None, *(p.id for p in members))
    expenses = [_expense(d, on, f"E{k + 1}", members) for k in range(d.between(0, 3))]
    events = [_event(d, on, f"V{k + 1}") for k in range(d.between(0, 2))]
    # Keyword arguments through a dict: mypy's attrs plugin mistypes the fields' `tuple` converters.
    fields: dict[str, Any] = dict(
        id=f"H-{d.between(1, 9999):04d}",
        residence=residence,
        members=tuple(members),
        locality=anchor.locality,
        community=d.pick(_URBAN_COMMUNITIES if residence is Residence.URBAN else _RURAL_COMMUNITIES),
        hukou_local=local,
        incomes=tuple(_household_incomes(d, anchor, members, residence, o.near_standard)),
        assets=tuple(_asset(d, holders, s) for _ in range(d.between(0, 3))),
        expenses=tuple(expenses),
        events=tuple(events),
        housing=_housing(d, residence),
        enrolments=tuple(_enrolments(d, on, members, s)),
        history=tuple(_past_payment(d, on, members, expenses, events) for _ in range(d.between(0, 3))),
        obligors=tuple(_obligor(d, holders, s) for _ in range(d.between(0, 2))),
    )
    return Household(**fields)


def _options(residence: object, local: object, near_standard: object, min_members: object,
             max_members: object, on: object, policy: object) -> _Options:
    day = _check_on(on)
    low = _check_int("min_members", min_members, 1, _MAX_MEMBERS)
    high = _check_int("max_members", max_members, 1, _MAX_MEMBERS)
    if high < low:
        raise InvalidArgument(f"max_members={high} must be at least min_members={low}")
    return _Options(
        _check_residence(residence),
        _check_flag("local", local, optional=True),
        bool(_check_flag("near_standard", near_standard, optional=False)),
        low,
        high,
        _anchor(_check_policy(policy), day),
    )


def households(
    *,
    residence: Residence | str | None = None,
    local: bool | None = None,
    near_standard: bool = False,
    min_members: int = 1,
    max_members: int = 8,
    on: dt.date = DEFAULT_ON,
    policy: Policy | None = None,
) -> st.SearchStrategy[Household]:
    """Valid :class:`~assistkit.household.Household` objects for assessment on ``on``.

    - ``residence``: ``"urban"`` or ``"rural"`` fixes it; ``None`` (default) draws either.
    - ``local``: fixes ``hukou_local``; ``None`` draws either.
    - ``near_standard``: when true, the household's countable monthly income per member (§3.4, before the
      deductions of §3.5–§3.6) lies between 0.5 S and 1.5 S, where the dibao thresholds are; otherwise it
      lies between 0 and about 3 S.
    - ``min_members`` / ``max_members``: the household size (1–30; default 1–8).
    - ``on``: the assessment date; every date drawn is on or before it, ages are whole years on it.
    - ``policy``: where S, the income window, the casual wage, the farm rate and the excluded kinds come
      from, only to place incomes (default: Demo City's core values).

    Valid by construction (see the module docstring); the head may be any member, ids are ``P1``…,
    ``E1``… (expenses) and ``V1``… (events).

    Shrinks toward one 30-year-old head, urban, local, with no income and no other record.
    """
    return _households(_options(residence, local, near_standard, min_members, max_members, on, policy))


def populations(
    *,
    min_size: int = 1,
    max_size: int = 10,
    residence: Residence | str | None = None,
    local: bool | None = None,
    near_standard: bool = False,
    min_members: int = 1,
    max_members: int = 8,
    on: dt.date = DEFAULT_ON,
    policy: Policy | None = None,
) -> st.SearchStrategy[list[Household]]:
    """Lists of ``min_size``–``max_size`` households with unique ids ``H-0001``, ``H-0002``… in order.

    The other options are those of :func:`households`. Shrinks toward a single shrunk household.
    """
    low = _check_int("min_size", min_size, 0, 10_000)
    high = _check_int("max_size", max_size, 0, 10_000)
    if high < low:
        raise InvalidArgument(f"max_size={high} must be at least min_size={low}")
    one = _households(_options(residence, local, near_standard, min_members, max_members, on, policy))
    return st.lists(one, min_size=low, max_size=high).map(
        lambda hs: [attrs.evolve(h, id=f"H-{i:04d}") for i, h in enumerate(hs, 1)])


def funds(*, on: dt.date = DEFAULT_ON) -> st.SearchStrategy[Fund]:
    """A valid donation :class:`~assistkit.household.Fund` (§13) around ``on``: id ``F1``–``F99``, a balance,
    one or more need kinds, statuses served (none: any), a positive per-household cap, and a validity period
    that may or may not include ``on``. Use ``st.lists(funds(), unique_by=lambda f: f.id)`` for a fund list.

    Shrinks toward fund ``F1`` valid on ``on`` only, with no balance, for medical needs, serving anyone.
    """
    on = _check_on(on)

    @st.composite
    def one(draw: Any) -> Fund:
        d = _Draw(draw)
        valid_from = d.days_before(on, 400)
        lead = (on - valid_from).days
        # Valid on `on` (shrinking to a period ending on it), or perhaps ended before it.
        days = d.between(0, lead) if d.flag() else d.between(lead, lead + 800)
        valid_to = valid_from + dt.timedelta(days=days)
        need_kinds = [k for k in NeedKind if d.flag()] or [d.pick(tuple(NeedKind))]
        fields: dict[str, Any] = dict(
            id=f"F{d.between(1, 99)}",
            name=d.pick(_FUND_NAMES),
            balance=_fen(d.between(0, 50_000_000)),
            need_kinds=tuple(need_kinds),
            per_household_cap=_fen(d.between(10_000, 5_000_000)),
            valid_from=valid_from,
            valid_to=valid_to,
            statuses=tuple(status for status in Status if d.between(0, 3) == 3),
        )
        return Fund(**fields)

    return one()
