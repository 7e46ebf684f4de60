"""Income accounting (§3) and the asset test (§4): every clause, the spec examples, and properties."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import random
import string
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit import means
from assistkit.explain import Reason, render_reason
from assistkit.household import (
    Asset,
    AssetKind,
    Event,
    EventKind,
    Expense,
    ExpenseKind,
    Household,
    Housing,
    Income,
    IncomeCategory,
    LabourCapacity,
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
from assistkit.means import (
    RULES,
    AssetTest,
    IncomeAccount,
    account_income,
    account_own_income,
    own_financial_assets,
    own_income,
)
from assistkit.money import format_money, parse_decimal, parse_money, round_fen
from assistkit.periods import Month, parse_date, parse_month
from assistkit.policy import Comparison, Line

from .conftest import examples

EXAMPLES = sorted((Path(__file__).parent / "examples").glob("*.json"))
NEW = dt.date(2025, 7, 1)  # the parameter changes of parameters.md
D = Decimal


# ---------------------------------------------------------------------------------------------------------
# Helpers: Demo City parameters by date (parameters.md), the standard, and a minimal JSON → model reader
# ---------------------------------------------------------------------------------------------------------


def params_on(on: dt.date, **overrides: Any) -> dict[str, Any]:
    """The parameters means.py reads, with their Demo City values on ``on``."""
    new = on >= NEW
    values: dict[str, Any] = {
        "income.window_months": 6,
        "income.excluded_kinds": (
            "special_care_pension",
            "government_award",
            "social_assistance",
            "one_child_reward",
            "disability_allowance",
            "old_age_allowance",
            "scholarship",
        ),
        "income.casual_daily_wage": D("130") if new else D("120"),
        "income.farm_net_per_mu_year": D("800"),
        "income.employment_deduction_rate": D("0.3"),
        "income.deduct_rigid_expenses": new,
        "assets.vehicle_value_limit": D("30000"),
        "assets.dibao_months": D("24"),
        "assets.marginal_months": D("36"),
    }
    values.update({k.replace("__", "."): v for k, v in overrides.items()})
    return values


def standard(residence: Residence | str, on: dt.date) -> Decimal:
    if Residence(residence) is Residence.URBAN:
        return D("1050") if on >= NEW else D("1000")
    return D("850") if on >= NEW else D("800")


def _months(record: dict[str, Any]) -> dict[str, Month | None]:
    if "month" in record:
        return {"month": parse_month(record["month"])}
    return {"from_": parse_month(record["from"]), "to": parse_month(record["to"])}


def load_household(data: dict[str, Any]) -> Household:
    """The few fields of household-format.md the examples use (assistkit.io does this strictly)."""
    members = []
    for m in data["members"]:
        school = m.get("school")
        members.append(
            Person(
                id=m["id"],
                name=m["name"],
                birth_date=parse_date(m["birth_date"]),
                relationship=Relationship(m["relationship"]),
                disability_grade=m.get("disability_grade"),
                serious_illness=m.get("serious_illness", False),
                labour_capacity=LabourCapacity(m.get("labour_capacity", "full")),
                self_care=SelfCare(m.get("self_care", "full")),
                school=None
                if school is None
                else School(Stage(school["stage"]), school.get("boarding", False),
                            parse_money(school.get("tuition", "0"))),
                has_capable_supporter=m.get("has_capable_supporter", True),
            )
        )  # fmt: skip
    incomes = [
        Income(
            category=IncomeCategory(r["category"]),
            member=r.get("member"),
            kind=r.get("kind", ""),
            amount=None if r.get("amount") is None else parse_money(r["amount"]),
            days=r.get("days"),
            land_mu=None if r.get("land_mu") is None else parse_decimal(r["land_mu"]),
            **_months(r),
        )
        for r in data.get("incomes", [])
    ]
    assets = [
        Asset(AssetKind(a["kind"]), parse_money(a["value"]), a.get("member"), a.get("exempt", False))
        for a in data.get("assets", [])
    ]
    expenses = [
        Expense(
            id=e["id"],
            member=e["member"],
            kind=ExpenseKind(e["kind"]),
            date=parse_date(e["date"]),
            total=parse_money(e["total"]),
            in_scope=None if "in_scope" not in e else parse_money(e["in_scope"]),
            insurance_paid=parse_money(e.get("insurance_paid", "0")),
        )
        for e in data.get("expenses", [])
    ]
    events = [
        Event(e["id"], EventKind(e["kind"]), parse_date(e["date"]), parse_money(e["loss"]),
              parse_money(e.get("compensated", "0")))
        for e in data.get("events", [])
    ]  # fmt: skip
    history = [
        PastPayment(PaymentProgramme(p["programme"]), PaymentKind(p["kind"]), parse_date(p["date"]),
                    parse_money(p["amount"]), p.get("member"), p.get("need"))
        for p in data.get("history", [])
    ]  # fmt: skip
    housing = data.get("housing")
    return Household(
        id=data["id"],
        residence=Residence(data["residence"]),
        members=members,
        hukou_local=data.get("hukou_local", True),
        incomes=incomes,
        assets=assets,
        expenses=expenses,
        events=events,
        history=history,
        housing=None
        if housing is None
        else Housing(Tenure(housing["tenure"]), monthly_rent=parse_money(housing.get("monthly_rent", "0"))),
    )


def person(pid: str, relationship: Relationship = Relationship.CHILD) -> Person:
    return Person(pid, pid, dt.date(1980, 1, 1), relationship)


def family(
    *,
    incomes: Sequence[Income] = (),
    expenses: Sequence[Expense] = (),
    history: Sequence[PastPayment] = (),
    assets: Sequence[Asset] = (),
    size: int = 3,
) -> Household:
    members = [person("P1", Relationship.HEAD)] + [person(f"P{i}") for i in range(2, size + 1)]
    return Household(
        "H", Residence.URBAN, members, incomes=incomes, expenses=expenses, history=history, assets=assets
    )


def wage(amount: str, first: str, last: str | None = None, member: str | None = "P1", **kw: Any) -> Income:
    category = kw.pop("category", IncomeCategory.WAGE)
    if last is None:
        return Income(category, member, amount=D(amount), month=parse_month(first), **kw)
    return Income(category, member, amount=D(amount), from_=parse_month(first), to=parse_month(last), **kw)


def account(
    household: Household, on: dt.date, people: Sequence[str] = ("P1", "P2", "P3"), **overrides: Any
) -> IncomeAccount:
    s = standard(household.residence, on)
    return account_income(household, people, on, params_on(on, **overrides), s)


def rules_of(reasons: Sequence[Reason]) -> list[str]:
    return [r.rule for r in reasons]


ON = dt.date(2025, 7, 15)  # window 2025-01 … 2025-06


# ---------------------------------------------------------------------------------------------------------
# §3.1 window and spreading
# ---------------------------------------------------------------------------------------------------------


def test_window_is_the_full_months_before_the_month_of_on() -> None:
    result = account(family(), ON)
    assert result.window == (Month(2025, 1), Month(2025, 6))
    window = result.reasons[0]
    assert window.rule == "income.window"
    assert window.values == {"months": 6, "first": Month(2025, 1), "last": Month(2025, 6)}


def test_record_wholly_inside_counts_its_whole_amount_exactly() -> None:
    result = account(family(incomes=[wage("10800", "2025-01", "2025-06")]), ON)
    assert result.countable == D("1800")


def test_record_partly_inside_counts_only_its_months_inside() -> None:
    # 1200 over 2025-05 … 2025-10 (200 a month); on 2025-09-15 the window is 2025-03 … 2025-08:
    # 4 months inside.
    on = dt.date(2025, 9, 15)
    result = account(family(incomes=[wage("1200", "2025-05", "2025-10")]), on)
    assert result.countable == D("800") / 6
    # 1000 over 3 months, 2 of them inside: exactly 2000/3 in the window.
    result = account(family(incomes=[wage("1000", "2024-12", "2025-02")]), ON)
    assert result.countable == D(2000) / 3 / 6


def test_record_entirely_outside_the_window_does_not_count() -> None:
    incomes = [wage("999", "2024-12"), wage("999", "2025-07"), wage("999", "2025-08", "2025-12")]
    result = account(family(incomes=incomes), ON)
    assert result.countable == 0
    assert result.categories == frozenset()
    assert result.work_income == {}


def test_month_record_on_the_window_edges_counts() -> None:
    result = account(family(incomes=[wage("600", "2025-01"), wage("600", "2025-06")]), ON)
    assert result.countable == D("200")


# ---------------------------------------------------------------------------------------------------------
# §3.2 excluded kinds, §3.3 imputed casual and farm income
# ---------------------------------------------------------------------------------------------------------


def test_excluded_kinds_do_not_count_and_are_explained() -> None:
    incomes = [
        wage("300", "2025-02", member=None, category=IncomeCategory.TRANSFER, kind="old_age_allowance"),
        wage("600", "2025-02", "2025-04", member="P2", category=IncomeCategory.OTHER, kind="scholarship"),
        wage("120", "2025-02", member="P2", category=IncomeCategory.OTHER, kind="gift"),
    ]
    result = account(family(incomes=incomes), ON)
    assert result.countable == D("20")
    excluded = [r for r in result.reasons if r.rule == "income.excluded"]
    assert [(r.values["kind"], r.values["amount"], r.values["member"]) for r in excluded] == [
        ("old_age_allowance", D("300"), "—"),
        ("scholarship", D("600"), "P2"),
    ]
    assert result.categories == frozenset({IncomeCategory.OTHER})


def test_excluded_kinds_come_from_the_parameter() -> None:
    incomes = [wage("600", "2025-02", category=IncomeCategory.OTHER, kind="old_age_allowance")]
    result = account(family(incomes=incomes), ON, income__excluded_kinds=())
    assert result.countable == D("100")


@pytest.mark.parametrize(
    ("on", "daily", "month"),
    [(dt.date(2025, 6, 30), D("120"), "2025-03"), (dt.date(2025, 7, 1), D("130"), "2025-03")],
)
def test_casual_days_use_the_daily_wage_in_force_on_on(on: dt.date, daily: Decimal, month: str) -> None:
    casual = Income(IncomeCategory.CASUAL, "P1", days=12, month=parse_month(month))
    result = account(family(incomes=[casual]), on)
    assert result.countable == 12 * daily / 6
    assert result.work_income == {"P1": 12 * daily / 6}
    assert IncomeCategory.CASUAL in result.categories
    (reason,) = [r for r in result.reasons if r.rule == "income.casual"]
    assert reason.values["wage"] == daily and reason.values["amount"] == 12 * daily
    assert reason.params == ("income.casual_daily_wage",)


def test_casual_with_an_amount_uses_the_amount() -> None:
    casual = Income(IncomeCategory.CASUAL, "P1", amount=D("600"), days=50, month=parse_month("2025-03"))
    assert account(family(incomes=[casual]), ON).countable == D("100")


def test_casual_days_are_spread_over_the_period() -> None:
    # Example 03's record: 60 days × 130 over 2025-03 … 2025-08, half of it inside a 2025-01 … 2025-06 window.
    casual = Income(
        IncomeCategory.CASUAL, "P1", days=60, from_=parse_month("2025-03"), to=parse_month("2025-08")
    )
    assert account(family(incomes=[casual]), ON).countable == D(60 * 130 * 4) / 6 / 6


def test_farm_land_counts_rate_per_mu_and_year_for_each_month() -> None:
    whole_year = Income(IncomeCategory.FARM, "P1", land_mu=D("3"), from_=parse_month("2025-01"),
                        to=parse_month("2025-12"))  # fmt: skip
    result = account(family(incomes=[whole_year]), ON)
    assert result.countable == D("3") * 800 * 6 / 12 / 6  # 6 months inside: 1200 → 200 a month
    assert result.countable == D("200")
    assert result.employment_deduction == 0  # farming is not work income (§3.5)
    assert result.categories == frozenset({IncomeCategory.FARM})
    one_month = Income(IncomeCategory.FARM, "P1", land_mu=D("1.5"), month=parse_month("2025-02"))
    result = account(family(incomes=[one_month]), ON)
    assert result.countable == D("100") / 6  # 1.5 × 800 / 12 = 100 in one month
    (reason,) = [r for r in result.reasons if r.rule == "income.farm"]
    assert reason.values["counted"] == D("100") and reason.values["months"] == 1


# ---------------------------------------------------------------------------------------------------------
# §3.4 the set and household-level records, §3.5 employment deduction
# ---------------------------------------------------------------------------------------------------------


def test_countable_counts_the_set_and_household_level_records_only() -> None:
    incomes = [
        wage("600", "2025-01", member="P1"),
        wage("1200", "2025-01", member="P2"),
        wage("60", "2025-01", member=None, category=IncomeCategory.PROPERTY),
    ]
    result = account(family(incomes=incomes), ON, people=("P1",))
    assert result.countable == D("110")
    assert result.people == ("P1",)
    assert result.categories == frozenset({IncomeCategory.WAGE, IncomeCategory.PROPERTY})


def test_people_are_listed_in_household_order_and_must_be_members() -> None:
    result = account(family(), ON, people=("P3", "P1"))
    assert result.people == ("P1", "P3")
    with pytest.raises(KeyError, match="P9"):
        account(family(), ON, people=("P1", "P9"))


def test_employment_deduction_is_capped_at_rate_times_s() -> None:
    # S = 1050 on 2025-07-15: cap 315. P1 earns 1800 a month (capped), P2 100 (all of it), P3 nothing.
    incomes = [wage("10800", "2025-01", "2025-06"), wage("600", "2025-03", member="P2")]
    result = account(family(incomes=incomes), ON)
    assert result.employment_deduction == D("415")
    assert result.work_income == {"P1": D("1800"), "P2": D("100")}
    deductions = [r.values for r in result.reasons if r.rule == "income.employment_deduction"]
    assert [(v["person"], v["deduction"], v["cap"]) for v in deductions] == [
        ("P1", D("315.0"), D("315.0")),
        ("P2", D("100"), D("315.0")),
    ]


def test_employment_deduction_exactly_at_the_cap() -> None:
    result = account(family(incomes=[wage("1890", "2025-01", "2025-06")]), ON)  # 315 a month
    assert result.employment_deduction == D("315")
    assert result.net == 0


def test_employment_deduction_uses_s_passed_in() -> None:
    household = family(incomes=[wage("6000", "2025-01", "2025-06")])
    rural = account_income(household, ["P1"], ON, params_on(ON), D("850"))
    assert rural.employment_deduction == D("255")


def test_business_and_casual_are_work_but_pension_and_household_wages_are_not() -> None:
    incomes = [
        wage("120", "2025-01", member="P1", category=IncomeCategory.BUSINESS),
        wage("60", "2025-01", member="P2", category=IncomeCategory.CASUAL),
        wage("6000", "2025-01", member="P3", category=IncomeCategory.PENSION),
        wage("6000", "2025-01", member=None, category=IncomeCategory.WAGE),  # no person to deduct for
    ]
    result = account(family(incomes=incomes), ON)
    assert result.work_income == {"P1": D("20"), "P2": D("10")}
    assert result.employment_deduction == D("30")


def test_work_income_partly_inside_the_window_is_exact() -> None:
    # 900 over 2024-12 … 2025-02: 600 inside, 100 a month; two such records of one person add to 200 exactly.
    incomes = [wage("900", "2024-12", "2025-02"), wage("700", "2024-11", "2025-05")]
    result = account(family(incomes=incomes), ON)
    assert result.work_income == {"P1": (D(600) + D(500)) / 6}
    assert result.employment_deduction == (D(600) + D(500)) / 6


# ---------------------------------------------------------------------------------------------------------
# §3.6 rigid expenses
# ---------------------------------------------------------------------------------------------------------


def medical(eid: str, day: str, total: str, insurance: str = "0", member: str = "P2", **kw: Any) -> Expense:
    kind = kw.pop("kind", ExpenseKind.INPATIENT)
    return Expense(eid, member, kind, parse_date(day), D(total), insurance_paid=D(insurance), **kw)


def paid(need: str, amount: str) -> PastPayment:
    day = dt.date(2025, 3, 20)
    return PastPayment(PaymentProgramme.MEDICAL, PaymentKind.TREATMENT, day, D(amount), need=need)


RIGID: dict[str, Any] = dict(
    # 60000 over 2024-12 … 2025-06: 6/7 of it inside a 2024-12 … 2025-05 window, and inside 2025-01 … 2025-06.
    incomes=[wage("60000", "2024-12", "2025-06")],
    expenses=[medical("E1", "2025-03-01", "45000", "12000", in_scope=D("40000"))],
)


@pytest.mark.parametrize(
    ("on", "deduct"),
    [(dt.date(2025, 6, 30), False), (dt.date(2025, 7, 1), True)],
)
def test_rigid_deduction_is_in_force_from_2025_07_01(on: dt.date, deduct: bool) -> None:
    result = account(family(**RIGID), on)
    assert result.rigid_expenses == D("33000") / 6  # total − insurance (not in_scope)
    assert result.rigid_deduction == (D("33000") / 6 if deduct else 0)
    assert ("income.rigid_deduction" if deduct else "income.rigid_off") in rules_of(result.reasons)
    without = max(D(0), result.countable - result.employment_deduction)
    assert result.per_capita_without_rigid == round_fen(without / 3)
    assert result.net == max(D(0), without - result.rigid_deduction)


@pytest.mark.parametrize("deduct", [False, True])
def test_rigid_deduction_follows_the_parameter(deduct: bool) -> None:
    on = dt.date(2025, 6, 30)
    result = account(family(**RIGID), on, income__deduct_rigid_expenses=deduct)
    assert result.rigid_deduction == (result.rigid_expenses if deduct else 0)


def test_assistance_already_paid_reduces_a_medical_expense() -> None:
    history = [paid("E1", "3000"), paid("E1", "1000"), paid("E9", "500")]
    result = account(family(expenses=RIGID["expenses"], history=history), ON)
    assert result.rigid_expenses == D("29000") / 6
    (reason,) = [r for r in result.reasons if r.rule == "income.rigid_medical"]
    assert reason.values["assisted"] == D("4000") and reason.values["counted"] == D("29000")


def test_a_medical_expense_never_counts_below_zero() -> None:
    expenses = [medical("E1", "2025-03-01", "1000", "800"), medical("E2", "2025-04-01", "500")]
    result = account(family(expenses=expenses, history=[paid("E1", "900")]), ON)
    assert result.rigid_expenses == D("500") / 6


def test_outpatient_kinds_are_medical_and_tuition_counts_its_total() -> None:
    expenses = [
        medical("E1", "2025-01-31", "600", "100", kind=ExpenseKind.OUTPATIENT),
        medical("E2", "2025-06-01", "1200", "200", kind=ExpenseKind.OUTPATIENT_CHRONIC),
        medical("T1", "2025-02-15", "5000", member="P3", kind=ExpenseKind.TUITION),
    ]
    # History toward a tuition expense does not reduce it: §3.6 counts its total.
    result = account(family(expenses=expenses, history=[paid("T1", "1000")]), ON)
    assert result.rigid_expenses == D("6500") / 6
    assert rules_of(result.reasons).count("income.rigid_medical") == 2
    assert rules_of(result.reasons).count("income.rigid_tuition") == 1


def test_expenses_outside_the_window_or_the_set_do_not_count() -> None:
    expenses = [
        medical("E1", "2024-12-31", "1000"),  # before the window
        medical("E2", "2025-07-02", "1000"),  # in the month of `on`, after the window
        medical("T1", "2025-09-05", "1600", kind=ExpenseKind.TUITION),  # later
        medical("E3", "2025-03-03", "1000", member="P3"),  # a member outside the set
        medical("E4", "2025-01-01", "6"),  # inside
    ]
    result = account(family(expenses=expenses), ON, people=("P1", "P2"))
    assert result.rigid_expenses == 1


# ---------------------------------------------------------------------------------------------------------
# §3.7 net and per-capita income, §3.8 own income, the empty set
# ---------------------------------------------------------------------------------------------------------


def test_net_is_never_below_zero() -> None:
    household = family(incomes=[wage("600", "2025-02")], expenses=RIGID["expenses"])
    result = account(household, ON)
    assert result.net == 0 and result.per_capita == D("0.00")
    assert result.per_capita_without_rigid == round_fen((D("100") - D("100")) / 3)


def test_per_capita_rounds_half_up() -> None:
    # 0.30 in the window: 0.05 a month, 0.025 per person → 0.03 (half up, not half even).
    result = account(family(incomes=[wage("0.30", "2025-01", category=IncomeCategory.PENSION)]), ON,
                     people=("P1", "P2"))  # fmt: skip
    assert result.net == D("0.05") and result.per_capita == D("0.03")


def test_per_capita_rounds_from_the_exact_value() -> None:
    # 1000 over 3 months with 2 inside + 500 over 3 months with 2 inside = 1000 exactly; /6/2 = 83.333…
    incomes = [
        wage("1000", "2024-12", "2025-02", category=IncomeCategory.PROPERTY),
        wage("500", "2024-12", "2025-02", member="P2", category=IncomeCategory.PROPERTY),
    ]
    result = account(family(incomes=incomes), ON, people=("P1", "P2"))
    assert result.countable == D(1000) / 6
    assert result.per_capita == D("83.33")


def test_own_income_excludes_household_level_records_and_deductions() -> None:
    incomes = [
        wage("10800", "2025-01", "2025-06"),
        wage("600", "2025-03", member=None, category=IncomeCategory.PROPERTY),
        wage("600", "2025-03", member="P2"),
        wage("600", "2025-03", category=IncomeCategory.OTHER, kind="disability_allowance"),
    ]
    household = family(incomes=incomes)
    assert own_income(household, "P1", ON, params_on(ON)) == D("1800")
    assert own_income(household, "P3", ON, params_on(ON)) == 0
    explained = account_own_income(household, "P1", ON, params_on(ON))
    assert explained.amount == D("1800") and explained.person == "P1"
    assert rules_of(explained.reasons) == ["income.window", "income.excluded", "income.own"]


def test_own_income_partly_inside_the_window_is_exact() -> None:
    household = family(incomes=[wage("700", "2024-11", "2025-05"), wage("900", "2024-12", "2025-02")])
    assert own_income(household, "P1", ON, params_on(ON)) == D(1100) / 6
    assert account_own_income(household, "P1", ON, params_on(ON)).amount == D(1100) / 6


def test_an_empty_set_has_no_income() -> None:
    household = family(incomes=[wage("600", "2025-03", member=None)], expenses=RIGID["expenses"])
    result = account(household, ON, people=())
    assert result.people == ()
    assert (result.countable, result.net, result.per_capita, result.rigid_expenses) == (0, 0, 0, 0)
    assert str(result.per_capita) == "0.00"
    assert rules_of(result.reasons) == ["income.window", "income.empty"]


# ---------------------------------------------------------------------------------------------------------
# §4 asset test
# ---------------------------------------------------------------------------------------------------------

S = D("1050")
DIBAO = D("24")


def assets_of(*assets: Asset, people: Sequence[str] = ("P1", "P2"), multiple: Decimal = DIBAO) -> AssetTest:
    return means.test_assets(family(assets=assets), people, multiple, S, params_on(ON))


def test_asset_test_is_not_collected_by_pytest() -> None:
    # Compiled by mypyc, test_assets is a builtin function: pytest collects only Python functions, and it has no
    # attributes to set.
    assert not inspect.isfunction(means.test_assets) or means.test_assets.__test__ is False  # type: ignore[attr-defined]


def test_financial_assets_up_to_the_limit_pass() -> None:
    result = assets_of(
        Asset(AssetKind.DEPOSIT, D("30000"), "P1"), Asset(AssetKind.SECURITIES, D("20400"), "P2")
    )
    assert result.passed and result.failures == ()
    assert result.financial_limit == D("25200") and result.financial_per_person == D("25200")
    assert rules_of(result.reasons) == ["assets.passed"]


def test_financial_assets_over_the_limit_fail() -> None:
    result = assets_of(Asset(AssetKind.DEPOSIT, D("50400.02"), "P1"))
    assert not result.passed
    assert result.failures == ("assets.financial",)
    assert result.reasons[0].values["per_person"] == D("25200.01")


def test_household_level_assets_count_and_others_do_not() -> None:
    household_level = Asset(AssetKind.DEPOSIT, D("50401"), None)
    assert assets_of(household_level).failures == ("assets.financial",)
    outsider = Asset(AssetKind.DEPOSIT, D("999999"), "P3")
    assert assets_of(outsider).passed
    assert assets_of(Asset(AssetKind.HOUSE, D("1"), None), Asset(AssetKind.HOUSE, D("1"), "P1")).failures == (
        "assets.property",
    )


def test_marginal_multiple() -> None:
    deposit = Asset(AssetKind.DEPOSIT, D("60000"), "P1")
    assert not assets_of(deposit).passed
    assert assets_of(deposit, multiple=D("36")).passed


def test_a_non_exempt_vehicle_over_the_limit_fails() -> None:
    result = assets_of(Asset(AssetKind.VEHICLE, D("30000.01"), "P2"))
    assert result.failures == ("assets.vehicle",)
    assert result.reasons[0].values == {"member": "P2", "value": D("30000.01"), "limit": D("30000")}
    assert assets_of(Asset(AssetKind.VEHICLE, D("30000"), "P2")).passed


def test_an_exempt_vehicle_over_the_limit_passes() -> None:
    result = assets_of(Asset(AssetKind.VEHICLE, D("80000"), "P1", exempt=True))
    assert result.passed
    assert rules_of(result.reasons) == ["assets.vehicle_exempt", "assets.passed"]


def test_two_houses_or_commercial_property_fail() -> None:
    one = Asset(AssetKind.HOUSE, D("300000"), "P1")
    assert assets_of(one).passed
    two = assets_of(one, Asset(AssetKind.HOUSE, D("100000"), "P2"))
    assert two.failures == ("assets.property",)
    assert two.reasons[0].values == {"houses": 2, "commercial": 0}
    shop = assets_of(Asset(AssetKind.COMMERCIAL_PROPERTY, D("1"), "P2"))
    assert shop.failures == ("assets.property",)


def test_every_failure_is_reported() -> None:
    result = assets_of(
        Asset(AssetKind.DEPOSIT, D("1000000"), "P1"),
        Asset(AssetKind.VEHICLE, D("40000"), "P1"),
        Asset(AssetKind.VEHICLE, D("50000"), None),
        Asset(AssetKind.COMMERCIAL_PROPERTY, D("1"), None),
    )
    assert result.failures == ("assets.financial", "assets.vehicle", "assets.property")
    assert rules_of(result.reasons) == [
        "assets.financial",
        "assets.vehicle",
        "assets.vehicle",
        "assets.property",
    ]


def test_an_empty_set_passes_the_asset_test() -> None:
    result = assets_of(Asset(AssetKind.COMMERCIAL_PROPERTY, D("1"), None), people=())
    assert result.passed and rules_of(result.reasons) == ["assets.empty"]


def test_own_financial_assets_are_the_persons_deposits_and_securities() -> None:
    household = family(
        assets=[
            Asset(AssetKind.DEPOSIT, D("5000"), "P1"),
            Asset(AssetKind.SECURITIES, D("250.50"), "P1"),
            Asset(AssetKind.DEPOSIT, D("9999"), None),
            Asset(AssetKind.DEPOSIT, D("9999"), "P2"),
            Asset(AssetKind.VEHICLE, D("9999"), "P1"),
        ]
    )
    assert own_financial_assets(household, "P1") == D("5250.50")
    assert own_financial_assets(household, "P3") == 0


# ---------------------------------------------------------------------------------------------------------
# The spec examples: the `income` section exactly
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_spec_example_income(path: Path) -> None:
    example = json.loads(path.read_text(encoding="utf-8"))
    on = parse_date(example["on"])
    household = load_household(example["household"])
    expected = example["expected"]["income"]
    result = account_income(household, expected["unit"], on, params_on(on), standard(household.residence, on))
    got = {
        "unit": list(result.people),
        "countable": format_money(round_fen(result.countable)),
        "employment_deduction": format_money(round_fen(result.employment_deduction)),
        "rigid_deduction": format_money(round_fen(result.rigid_deduction)),
        "per_capita": format_money(result.per_capita),
    }
    assert got == expected
    assert str(result.per_capita) == expected["per_capita"]


def test_there_are_eleven_examples() -> None:
    assert len(EXAMPLES) == 11  # 01–08 of the statute, 09–11 of the addenda (§D, §P)


# ---------------------------------------------------------------------------------------------------------
# Rule texts
# ---------------------------------------------------------------------------------------------------------


def _all_reasons() -> list[Any]:
    reasons: list[Any] = []
    for path in EXAMPLES:
        example = json.loads(path.read_text(encoding="utf-8"))
        on = parse_date(example["on"])
        household = load_household(example["household"])
        ids = [m.id for m in household.members]
        s = standard(household.residence, on)
        reasons += account_income(household, ids, on, params_on(on), s).reasons
        reasons += account_own_income(household, ids[0], on, params_on(on)).reasons
        reasons += means.test_assets(household, ids, D("24"), s, params_on(on)).reasons
    reasons += _self_employed_account(D("2000")).reasons
    worker = family(incomes=[wage("12000", "2025-01", "2025-06")])
    reasons += account(worker, ON, **{"income.employment_deduction_base": {"employee": "income"}}).reasons
    reasons += account(worker, ON, **{"income.employment_deduction_cap": {"employee": Line(D("100"))}}).reasons
    casual = Income(IncomeCategory.CASUAL, "P1", days=3, month=parse_month("2025-03"))
    farm = Income(IncomeCategory.FARM, None, land_mu=D("2"), month=parse_month("2025-03"))
    excluded = wage("1", "2025-03", kind="scholarship")
    tuition = medical("T1", "2025-02-15", "5000", kind=ExpenseKind.TUITION)
    household = family(incomes=[casual, farm, excluded], expenses=[tuition, *RIGID["expenses"]])
    reasons += account(household, ON).reasons + account(household, ON, people=()).reasons
    reasons += account(household, dt.date(2025, 6, 1)).reasons
    reasons += assets_of(
        Asset(AssetKind.DEPOSIT, D("1000000"), "P1"),
        Asset(AssetKind.VEHICLE, D("40000"), "P1"),
        Asset(AssetKind.VEHICLE, D("40000"), "P1", exempt=True),
        Asset(AssetKind.COMMERCIAL_PROPERTY, D("1"), None),
    ).reasons
    reasons += assets_of(people=()).reasons
    reasons += account(family(), ON, **{"income.imputed_wage": Line(D("1900"))}).reasons
    deposit = family(assets=[Asset(AssetKind.DEPOSIT, D("30000"), "P1")], size=1)
    for value in (D("10000"), D("40000")):
        reasons += means.test_assets(deposit, ["P1"], D("24"), D("1050"),
                                     params_on(ON, **{"assets.financial_test": Comparison("<")}), value).reasons
    reasons += account(attrs.evolve(family(), obligors=SUPPORTING), ON, **ASSESSED_SUPPORT).reasons
    return reasons


# china-rules §3.6: two obligors, one whose household is on dibao, assessed as sample-district does (B1 §12).
SUPPORTING = (Obligor(ObligorRelationship.CHILD, D("9000"), 3, "P1", agreed_amount=D("100")),
              Obligor(ObligorRelationship.SIBLING, D("2000"), 1, None, statuses=(Status.DIBAO,)))
ASSESSED_SUPPORT = {"income__support_payments": "assessed", "income__support_allowance": Line(D("1500")),
                    "income__support_share": D("0.20"), "income__support_no_capacity": ("dibao", "tekun")}


def test_every_rule_emitted_has_zh_and_en_text_with_its_values() -> None:
    reasons = _all_reasons()
    emitted = {r.rule for r in reasons}
    assert emitted == set(RULES)  # every rule is reachable, and every emitted one has text
    for reason in reasons:
        rule = RULES[reason.rule]
        assert rule.id == reason.rule and rule.section.startswith("§")
        for lang in ("zh", "en"):
            text = render_reason(reason, RULES, lang)
            assert "{" not in text and "None" not in text, (reason, text)
            fields = {f for _, f, _, _ in string.Formatter().parse(rule.template(lang)) if f}
            assert fields <= set(reason.values), (reason.rule, lang)


def test_rendered_example_reason() -> None:
    example = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    household = load_household(example["household"])
    on = parse_date(example["on"])
    result = account_income(household, ["P1", "P2", "P3"], on, params_on(on), D("1050"))
    (pci,) = [r for r in result.reasons if r.rule == "income.per_capita"]
    assert render_reason(pci, RULES, "en") == (
        "net monthly income = max(0, 1900.00 − employment deduction 415.00 − rigid deduction 0.00) "
        "= 1485.00 yuan; per-capita income = 1485.00 ÷ 3 people = 495.00 yuan"
    )
    assert render_reason(pci, RULES, "zh").endswith("人均收入 = 1485.00 ÷ 3 人 = 495.00 元")


# ---------------------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------------------

MEMBERS = ("P1", "P2", "P3")
money = st.integers(0, 5_000_000).map(lambda fen: Decimal(fen).scaleb(-2))
months = st.integers(Month(2024, 6).index, Month(2025, 12).index).map(Month.from_index)


@st.composite
def incomes(draw: st.DrawFn) -> Income:
    category = draw(st.sampled_from(list(IncomeCategory)))
    first = draw(months)
    last = draw(st.one_of(st.none(), st.integers(0, 14).map(lambda n: first + n)))
    span: dict[str, Any] = {"month": first} if last is None else {"from_": first, "to": last}
    member = draw(st.sampled_from((None, *MEMBERS)))
    kind = draw(st.sampled_from(("", "", "old_age_allowance", "scholarship", "bonus")))
    if category is IncomeCategory.CASUAL and draw(st.booleans()):
        return Income(category, member, kind=kind, days=draw(st.integers(0, 300)), **span)
    if category is IncomeCategory.FARM and draw(st.booleans()):
        land = draw(st.integers(0, 5000).map(lambda x: Decimal(x).scaleb(-1)))
        return Income(category, member, kind=kind, land_mu=land, **span)
    return Income(category, member, kind=kind, amount=draw(money), **span)


@st.composite
def households(draw: st.DrawFn) -> Household:
    records = draw(st.lists(incomes(), max_size=8))
    expenses = []
    for i in range(draw(st.integers(0, 3))):
        total = draw(money)
        expenses.append(
            Expense(
                f"E{i}",
                draw(st.sampled_from(MEMBERS)),
                draw(st.sampled_from(list(ExpenseKind))),
                draw(st.dates(dt.date(2024, 10, 1), dt.date(2025, 9, 1))),
                total,
                insurance_paid=draw(st.integers(0, int(total * 100)).map(lambda c: Decimal(c).scaleb(-2))),
            )
        )
    history = [paid(f"E{draw(st.integers(0, 3))}", str(draw(money))) for _ in range(draw(st.integers(0, 2)))]
    return family(incomes=records, expenses=expenses, history=history)


dates = st.dates(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
sets = st.lists(st.sampled_from(MEMBERS), unique=True, min_size=1)


def reference(
    household: Household, people: list[str], on: dt.date, params: dict[str, Any], s: Decimal
) -> tuple[Fraction, Fraction, Fraction, Fraction, Fraction]:
    """§3 written directly with fractions, for comparison."""
    p = params["income.window_months"]
    last = Month.of(on).index - 1
    first = last - p + 1
    total = Fraction(0)
    work = dict.fromkeys(people, Fraction(0))
    for r in household.incomes:
        if (r.member is not None and r.member not in people) or r.kind in params["income.excluded_kinds"]:
            continue
        inside = max(0, min(last, r.last.index) - max(first, r.first.index) + 1)
        length = r.last.index - r.first.index + 1
        if r.amount is not None:
            counted = Fraction(r.amount) * inside / length
        elif r.days is not None:
            counted = Fraction(r.days * params["income.casual_daily_wage"]) * inside / length
        elif r.land_mu is not None:
            counted = Fraction(r.land_mu) * Fraction(params["income.farm_net_per_mu_year"]) / 12 * inside
        else:
            counted = Fraction(0)
        total += counted
        if r.member is not None and r.category in ("wage", "business", "casual"):
            work[r.member] += counted
    cap = Fraction(params["income.employment_deduction_rate"]) * Fraction(s)
    employment = sum((min(w / p, cap) for w in work.values()), Fraction(0))
    rigid = Fraction(0)
    for e in household.expenses:
        if e.member in people and first <= Month.of(e.date).index <= last:
            if e.kind is ExpenseKind.TUITION:
                rigid += Fraction(e.total)
            else:
                assisted = sum(Fraction(h.amount) for h in household.history if h.need == e.id)
                rigid += max(Fraction(0), Fraction(e.total - e.insurance_paid) - assisted)
    rigid /= p
    net = max(Fraction(0), total / p - employment - (rigid if params["income.deduct_rigid_expenses"] else 0))
    return total / p, employment, rigid, net, net / len(people)


def _half_up(x: Fraction) -> Decimal:
    cents = x * 100
    whole = cents.numerator // cents.denominator
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole).scaleb(-2).quantize(D("0.01"), rounding=ROUND_HALF_UP)


@settings(max_examples=examples(150), deadline=None)
@given(households(), sets, dates, st.booleans())
def test_matches_exact_fractions(household: Household, people: list[str], on: dt.date, deduct: bool) -> None:
    params = params_on(on, income__deduct_rigid_expenses=deduct)
    s = standard(household.residence, on)
    result = account_income(household, people, on, params, s)
    countable, employment, rigid, net, pci = reference(household, people, on, params, s)
    tiny = Fraction(1, 10**15)
    assert abs(Fraction(result.countable) - countable) < tiny
    assert abs(Fraction(result.employment_deduction) - employment) < tiny
    assert abs(Fraction(result.rigid_expenses) - rigid) < tiny
    assert abs(Fraction(result.net) - net) < tiny
    assert result.per_capita == _half_up(pci)


@settings(max_examples=examples(100), deadline=None)
@given(households(), sets, dates, st.data())
def test_countable_is_monotone_in_each_amount(
    household: Household, people: list[str], on: dt.date, data: st.DataObject
) -> None:
    with_amount = [i for i, r in enumerate(household.incomes) if r.amount is not None]
    if not with_amount:
        return
    i = data.draw(st.sampled_from(with_amount))
    more = data.draw(money)
    records = list(household.incomes)
    amount = records[i].amount
    assert amount is not None
    records[i] = attrs.evolve(records[i], amount=amount + more)
    before = account(household, on, people=people)
    after = account(family(incomes=records, expenses=household.expenses, history=household.history), on,
                    people=people)  # fmt: skip
    assert after.countable >= before.countable


FIGURES = (
    "countable",
    "employment_deduction",
    "rigid_expenses",
    "rigid_deduction",
    "net",
    "per_capita",
    "per_capita_without_rigid",
    "work_income",
    "categories",
    "people",
)


@settings(max_examples=examples(100), deadline=None)
@given(households(), sets, dates, st.randoms(use_true_random=False))
def test_order_of_records_changes_nothing(
    household: Household, people: list[str], on: dt.date, rnd: random.Random
) -> None:
    shuffled = list(household.incomes)
    rnd.shuffle(shuffled)
    expenses = list(household.expenses)
    rnd.shuffle(expenses)
    other = family(incomes=shuffled, expenses=expenses, history=household.history)
    a, b = account(household, on, people=people), account(other, on, people=people)
    for name in FIGURES:
        assert getattr(a, name) == getattr(b, name), name
    params = params_on(on)
    assert own_income(household, people[0], on, params) == own_income(other, people[0], on, params)


@settings(max_examples=examples(100), deadline=None)
@given(households(), sets, dates)
def test_per_capita_shape_and_bounds(household: Household, people: list[str], on: dt.date) -> None:
    result = account(household, on, people=people)
    for pci in (result.per_capita, result.per_capita_without_rigid):
        assert pci >= 0
        assert pci.as_tuple().exponent == -2
    assert 0 <= result.net <= result.countable
    assert result.per_capita <= result.per_capita_without_rigid
    assert result.rigid_deduction in (0, result.rigid_expenses)
    assert set(result.work_income) <= set(people)


@settings(max_examples=100, deadline=None)
@given(households(), st.sampled_from(MEMBERS), dates)
def test_own_income_is_the_account_of_one_person_without_household_records(
    household: Household, pid: str, on: dt.date
) -> None:
    own = own_income(household, pid, on, params_on(on))
    mine = family(incomes=[r for r in household.incomes if r.member == pid])
    assert own == account(mine, on, people=(pid,)).countable


# ---------------------------------------------------------------------------------------------------------
# §3.5 income.self_employed_deduction = above_standard (china-rules §3.4, Beijing B1 §10(3); example E05)
# ---------------------------------------------------------------------------------------------------------


def _self_employed_account(monthly: Decimal, category: IncomeCategory = IncomeCategory.BUSINESS) -> IncomeAccount:
    """One self-employed person with ``monthly`` work income, under S = 1450 and rate 0.8 (sample-district)."""
    # A record over the six months of the window holds their total.
    household = family(incomes=[wage(str(monthly * 6), "2025-01", "2025-06", category=category)], size=1)
    params = params_on(ON, **{"income.employment_deduction_rate": D("0.8"),
                              "income.self_employed_deduction": "above_standard"})
    return account_income(household, ["P1"], ON, params, D("1450"))


@pytest.mark.parametrize(("income", "counted"), [
    ("1200", "1200.00"),   # ≤ S: actual income
    ("2000", "1450.00"),   # S < income < 1.8 S: counted as S
    ("3000", "1840.00"),   # ≥ 1.8 S: income − 0.8 S
    ("1450", "1450.00"),   # exactly S: actual (E05 edge case)
    ("2610", "1450.00"),   # exactly 1.8 S: 2610 − 1160
])
def test_e05_self_employed_bands(income: str, counted: str) -> None:
    found = _self_employed_account(D(income))
    assert format_money(found.per_capita) == counted
    assert "income.employment_deduction_self" in rules_of(found.reasons)


def test_e05_a_wage_earner_keeps_the_employee_rule() -> None:
    household = family(incomes=[wage("12000", "2025-01", "2025-06")], size=1)
    params = params_on(ON, **{"income.employment_deduction_rate": D("0.8"),
                              "income.self_employed_deduction": "above_standard"})
    found = account_income(household, ["P1"], ON, params, D("1450"))
    assert format_money(found.per_capita) == "840.00"  # 2000 − 0.8 × 1450


@given(st.integers(min_value=0, max_value=2_000_000))
def test_self_employed_counted_income_never_falls_below_s_by_the_deduction(fen: int) -> None:
    income = Decimal(fen) / 100
    found = _self_employed_account(income.quantize(D("0.01")))
    assert found.per_capita >= min(income, D("1450")).quantize(D("0.01"))
    assert found.per_capita <= income.quantize(D("0.01"))
