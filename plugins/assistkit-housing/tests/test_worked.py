"""Worked cases of §11, one per branch, with the arithmetic in comments. Statuses are stubbed (see conftest),
except the all-tekun household, assessed with the real basic-living programmes.

Demo City values: housing.marginal_rate 0.6; subsidy_per_person 250, 300 from 2025-07-01; repair_C 15000;
rebuild_D 40000; renovation_years 5.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assistkit import io


def person(pid: str, relationship: str = "head", birth: str = "1980-01-01", **kw: Any) -> dict[str, Any]:
    return {"id": pid, "name": "测试" + pid, "birth_date": birth, "relationship": relationship, **kw}


def household(housing: dict[str, Any], *members: dict[str, Any], residence: str = "urban",
              **kw: Any) -> dict[str, Any]:
    return {"id": "H-H", "residence": residence, "members": list(members) or [person("P1")],
            "housing": housing, **kw}


def renovation(date: str, amount: str = "40000") -> dict[str, Any]:
    return {"programme": "housing", "kind": "renovation", "date": date, "amount": amount}


DIBAO = {"household": ["dibao"], "P1": ["dibao"], "P2": ["dibao"]}
TWO = (person("P1"), person("P2", "spouse"))
RENTED = {"tenure": "rented", "monthly_rent": "900"}
OWNED_D = {"tenure": "owned", "dilapidated_grade": "D"}


def summary(out: dict[str, Any]) -> tuple[Any, ...]:
    h = out["programmes"]["housing"]
    return h["eligible"], h["monthly"], h["one_off"], h.get("in_kind", []), [
        (p["kind"], p["member"], p["need"], p["amount"]) for p in h["payments"]]


def test_rental_subsidy_dibao(assess):
    # on 2025-07-05: min(900, 300 × 2 = 600) × 1 = 600 a month, plus public-rental priority
    _, out = assess(household(RENTED, *TWO), "2025-07-05", DIBAO)
    assert summary(out) == (True, "600.00", "0.00", ["public_rental_priority"], [])


def test_rental_subsidy_marginal_rounded_to_yuan(assess):
    # on 2025-06-01: min(459, 250 × 2 = 500) × 0.6 = 275.40 → 275 a month
    _, out = assess(household({"tenure": "rented", "monthly_rent": "459"}, *TWO), "2025-06-01",
                    {"household": ["marginal"]})
    assert summary(out) == (True, "275.00", "0.00", ["public_rental_priority"], [])


def test_public_rental_gets_nothing_more(assess):
    _, out = assess(household({"tenure": "public_rental", "monthly_rent": "300"}, *TWO), "2025-07-05", DIBAO)
    assert summary(out) == (False, "0.00", "0.00", [], [])
    assert [r["rule"] for r in out["programmes"]["housing"]["reasons"]] == ["housing.public_rental"]


@pytest.mark.parametrize("case", [
    {"housing": {"tenure": "rented", "monthly_rent": "900", "properties_owned": 1}},  # owns a property
    {"housing": RENTED, "residence": "rural"},                                       # §11.2 is urban
    {"housing": RENTED, "statuses": {"household": ["expenditure_hardship"]}},        # no housing rate
    {"housing": RENTED, "hukou_local": False},                                      # §2.5
    {"housing": {"tenure": "owned", "dilapidated_grade": "C"}},                     # §11.3 is rural
])
def test_no_housing_assistance(assess, case):
    case = dict(case)
    statuses = case.pop("statuses", DIBAO)
    housing = case.pop("housing")
    _, out = assess(household(housing, *TWO, **case), "2025-07-05", statuses)
    assert summary(out) == (False, "0.00", "0.00", [], [])


def test_renovation_within_5_years_blocks_another(assess):
    # on 2025-07-01, 5 years back is 2020-07-01; a renovation dated after it (2020-07-02) blocks.
    data = household(OWNED_D, *TWO, residence="rural", history=[renovation("2020-07-02")])
    _, out = assess(data, "2025-07-01", DIBAO)
    assert summary(out) == (False, "0.00", "0.00", [], [])
    [why] = [r["values"] for r in out["programmes"]["housing"]["reasons"]]
    assert why == {"date": "2020-07-02", "paid": "40000.00", "years": 5, "since": "2020-07-01"}


def test_renovation_exactly_5_years_ago_no_longer_blocks(assess):
    # dated 2020-07-01, not after on − 5 years: grade D rebuild 40000 × 1 = 40000 one-off
    data = household(OWNED_D, *TWO, residence="rural", history=[renovation("2020-07-01")])
    _, out = assess(data, "2025-07-01", DIBAO)
    assert summary(out) == (True, "0.00", "40000.00", [], [("renovation", None, None, "40000.00")])


def test_renovation_marginal_grade_c(assess):
    # grade C repair 15000 × 0.6 = 9000 one-off
    data = household({"tenure": "owned", "dilapidated_grade": "C"}, *TWO, residence="rural")
    _, out = assess(data, "2025-07-01", {"household": ["marginal"]})
    assert summary(out) == (True, "0.00", "9000.00", [], [("renovation", None, None, "9000.00")])


def test_all_tekun_household_rate_1_stubbed(assess):
    # every member tekun, no household status: rate 1: min(900, 300 × 2) × 1 = 600
    _, out = assess(household(RENTED, *TWO), "2025-07-05", {"P1": ["tekun"], "P2": ["tekun"]})
    assert summary(out)[:2] == (True, "600.00")
    # one tekun member, the other without a status, no household status: no housing assistance
    _, out = assess(household(RENTED, *TWO), "2025-07-05", {"P1": ["tekun"]})
    assert summary(out) == (False, "0.00", "0.00", [], [])


def test_all_tekun_household_rate_1_with_basic_living(full_engine):
    # Two rural elderly people without a capable supporter, no income, no assets: both tekun (§5.1), the
    # dibao unit is empty, so the household holds no status. Grade C repair: 15000 × 1 = 15000.
    data = household({"tenure": "owned", "dilapidated_grade": "C"},
                     person("P1", birth="1950-01-01", has_capable_supporter=False),
                     person("P2", "spouse", birth="1952-01-01", has_capable_supporter=False),
                     residence="rural")
    out = full_engine.assess(io.structure_household(data), dt.date(2025, 7, 1)).to_json()
    assert out["statuses"] == {"household": [], "members": {"P1": ["tekun"], "P2": ["tekun"]}}
    assert summary(out) == (True, "0.00", "15000.00", [], [("renovation", None, None, "15000.00")])


def test_rental_subsidy_is_recurring_and_compared_with_enrolments(assess):
    data = household(RENTED, *TWO, enrolments=[{"programme": "housing", "since": "2025-01-01",
                                                 "monthly_amount": "500"}])
    _, out = assess(data, "2025-07-05", DIBAO)
    housing_actions = [a for a in out["actions"] if a["programme"] == "housing"]
    assert [(a["action"], a["member"], a["enrolled"], a["determined"]) for a in housing_actions] == [
        ("adjust", None, "500.00", "600.00")]
