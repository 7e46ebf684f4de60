"""Worked examples of employment assistance (§E), one per rule, on 2025-07-15 in Demo City (urban S = 1050).

The income window on that date is 2025-01 … 2025-06 (§1.3). Statuses come from the real basic-living plugin.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import assistkit_basic_living.hooks
import assistkit_employment.hooks
import attrs
import pytest

from assistkit.engine import Engine
from assistkit.household import PastPayment
from assistkit.io import structure_household

ON = dt.date(2025, 7, 15)


@pytest.fixture(scope="module")
def engine():
    return Engine(plugins=[assistkit_basic_living.hooks, assistkit_employment.hooks])


def person(pid, birth, relationship="head", **extra):
    return {"id": pid, "name": "王" + pid, "birth_date": birth, "relationship": relationship, **extra}


def household(*members, incomes=(), **extra):
    return structure_household(
        {"id": "H-E", "residence": "urban", "members": list(members), "incomes": list(incomes), **extra}
    )


def wage(amount, month, member="P1"):
    return {"member": member, "category": "wage", "amount": amount, "month": month}


def subsidy(day, member="P1"):
    """A past job-seeking subsidy (§E.3): built in Python, as the JSON format cannot record it yet."""
    return PastPayment("employment", "job_seeking_subsidy", day, Decimal("500.00"), member=member)


def employment(engine, h, on=ON):
    return engine.assess(h, on).to_json("en")["programmes"]["employment"]


def rules(out):
    return [r["rule"] for r in out["reasons"]]


def payments(out):
    return [(p["kind"], p["member"], p["amount"]) for p in out["payments"]]


UNEMPLOYED = person("P1", "1980-03-01")  # 45, able to work, no income: the household is on dibao (PCI 0 < S)


def test_eligible_member_is_referred_and_gets_the_subsidy(engine):
    out = employment(engine, household(UNEMPLOYED))
    assert out["eligible"] is True
    assert payments(out) == [("referral", "P1", "0.00"), ("job_seeking_subsidy", "P1", "500.00")]
    assert out["one_off"] == "500.00" and out["monthly"] == "0.00"
    assert rules(out) == ["employment.household", "employment.referral", "employment.subsidy"]
    assert out["reasons"][0]["values"] == {"status": "dibao"}


def test_aged_sixty_is_too_old(engine):
    out = employment(engine, household(person("P1", "1965-07-15")))  # 60 on `on`
    assert out["eligible"] is False and out["payments"] == []
    assert rules(out) == ["employment.household", "employment.age"]
    assert out["reasons"][1]["values"] == {"member": "P1", "age": 60}


def test_aged_fifty_nine_still_qualifies(engine):
    out = employment(engine, household(person("P1", "1965-07-16")))  # 59 until tomorrow
    assert payments(out)[1] == ("job_seeking_subsidy", "P1", "500.00")


def test_wage_in_the_window_bars_the_member(engine):
    h = household(UNEMPLOYED, incomes=[wage("600", "2025-06")])
    out = employment(engine, h)
    assert out["eligible"] is False
    assert out["reasons"][1] == {
        "rule": "employment.work_income",
        "text": "member P1 has work income of 100.00 yuan a month in 2025-01 – 2025-06: not unemployed",
        "values": {"member": "P1", "income": "100.00", "first": "2025-01", "last": "2025-06"},
    }


def test_casual_days_count_as_work_income(engine):
    h = household(UNEMPLOYED, incomes=[{"member": "P1", "category": "casual", "days": 3, "month": "2025-02"}])
    assert rules(employment(engine, h))[1] == "employment.work_income"


def test_wage_before_the_window_does_not(engine):
    h = household(UNEMPLOYED, incomes=[wage("600", "2024-12")])
    assert payments(employment(engine, h))[0] == ("referral", "P1", "0.00")


def test_not_able_to_work(engine):
    h = household(person("P1", "1980-03-01", labour_capacity="none"))
    out = employment(engine, h)
    assert out["eligible"] is False
    assert out["reasons"][1]["values"] == {"member": "P1", "capacity": "none", "grade": "—"}


def test_severe_disability_is_not_able_to_work(engine):
    out = employment(engine, household(person("P1", "1980-03-01", disability_grade=2)))
    assert rules(out)[1] == "employment.not_able"


def test_seriously_ill_member_is_left_to_medical_assistance(engine):
    out = employment(engine, household(person("P1", "1980-03-01", serious_illness=True)))
    assert out["eligible"] is False
    assert out["reasons"][1] == {
        "rule": "employment.seriously_ill",
        "text": "member P1 is seriously ill: no employment assistance (medical assistance provides)",
        "values": {"member": "P1"},
    }


def test_student_is_not_unemployed(engine):
    h = household(UNEMPLOYED, person("P2", "2008-01-01", "child", school={"stage": "senior"}))
    out = employment(engine, h)
    assert [r["values"].get("member") for r in out["reasons"] if r["rule"] == "employment.student"] == ["P2"]
    assert {m for _, m, _ in payments(out)} == {"P1"}


def test_household_without_status(engine):
    h = household(
        UNEMPLOYED,
        person("P2", "1982-01-01", "spouse"),
        incomes=[{"member": "P2", "category": "wage", "amount": "54000", "from": "2025-01", "to": "2025-06"}],
    )
    d = engine.assess(h, ON)
    assert d.household_statuses == ()
    out = d.to_json("en")["programmes"]["employment"]
    assert out["eligible"] is False and rules(out) == ["employment.no_status"]


def test_subsidy_already_paid_this_year_per_history(engine):
    h = attrs.evolve(household(UNEMPLOYED), history=(
        subsidy(dt.date(2025, 2, 10)),
    ))
    out = employment(engine, h)
    assert payments(out) == [("referral", "P1", "0.00")]
    assert out["eligible"] is True and out["one_off"] == "0.00"
    assert out["reasons"][-1]["rule"] == "employment.subsidy_paid"
    assert out["reasons"][-1]["values"] == {"member": "P1", "year": 2025, "date": "2025-02-10"}


def test_subsidy_paid_last_year_or_to_someone_else_does_not_count(engine):
    h = attrs.evolve(household(UNEMPLOYED), history=(
        subsidy(dt.date(2024, 12, 31)),
        subsidy(dt.date(2025, 2, 10), member="P9"),
    ))
    assert payments(employment(engine, h))[1] == ("job_seeking_subsidy", "P1", "500.00")


def test_history_from_json_records_the_subsidy(engine):
    # The history vocabulary names employment (an extension of household-format.md for this programme).
    h = household(UNEMPLOYED, history=[{"programme": "employment", "kind": "job_seeking_subsidy", "member": "P1",
                                        "date": "2025-02-10", "amount": "500"}])
    assert [p[0] for p in payments(employment(engine, h))] == ["referral"]


def test_marginal_household(engine):
    # P1 earns 2800 a month (16800 over six months): countable 2800, employment deduction 315,
    # PCI (2800 − 315) / 2 = 1242.50, between S and 1.5 × S.
    h = household(
        person("P1", "1978-05-05"),
        person("P2", "1980-03-01", "spouse"),
        incomes=[{"member": "P1", "category": "wage", "amount": "16800", "from": "2025-01", "to": "2025-06"}],
    )
    d = engine.assess(h, ON)
    assert d.household_statuses == ("marginal",)
    out = d.to_json("en")["programmes"]["employment"]
    assert out["reasons"][0]["values"] == {"status": "marginal"}
    assert payments(out) == [("referral", "P2", "0.00"), ("job_seeking_subsidy", "P2", "500.00")]


def test_own_dibao_from_single_person_inclusion_does_not_count_alone(tmp_path):
    # A locality whose marginal asset limit is below the dibao one: the unit passes the dibao asset test but
    # not the marginal one, so §6.6 includes the ill member alone and the household holds no status.
    policy = tmp_path / "tight.toml"
    policy.write_text("[assets]\nmarginal_months = { 2024-01-01 = 12 }\n", encoding="utf-8")
    engine = Engine(plugins=[assistkit_basic_living.hooks, assistkit_employment.hooks], policy_files=[policy])
    h = household(
        person("P1", "1978-05-05"),
        person("P2", "1980-03-01", "spouse", serious_illness=True),
        incomes=[{"member": "P1", "category": "wage", "amount": "16800", "from": "2025-01", "to": "2025-06"}],
        assets=[{"kind": "deposit", "value": "30000"}],  # 15000 a person: ≤ 24 × S, > 12 × S
    )
    d = engine.assess(h, ON)
    assert d.household_statuses == () and d.member_statuses == {"P2": ("dibao",)}
    out = d.to_json("en")["programmes"]["employment"]
    assert rules(out) == ["employment.no_status"] and out["payments"] == []


def test_subsidy_follows_the_parameter(engine, tmp_path):
    policy = tmp_path / "more.toml"
    policy.write_text("[employment]\njob_seeking_subsidy = { 2025-07-01 = 800 }\n", encoding="utf-8")
    richer = Engine(plugins=[assistkit_basic_living.hooks, assistkit_employment.hooks], policy_files=[policy])
    assert payments(employment(richer, household(UNEMPLOYED)))[1] == ("job_seeking_subsidy", "P1", "800.00")
    assert payments(employment(richer, household(UNEMPLOYED), dt.date(2025, 6, 30)))[1][2] == "500.00"
