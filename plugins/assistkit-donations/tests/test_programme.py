"""The ``donations`` programme in a single assessment, and the same matching as the population second pass.

The engine is built from explicit plugins: basic living, medical, education, housing, temporary relief and
donations, so donations come last (§14.1) and see what every government programme left of each need.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import assistkit_basic_living.hooks
import assistkit_donations.hooks
import assistkit_education.hooks
import assistkit_housing.hooks
import assistkit_medical.hooks
import assistkit_temporary.hooks
import pytest

from assistkit import io
from assistkit.engine import Engine
from assistkit.household import Fund
from assistkit.population.donations import match
from assistkit.testing.examples import load_examples

EXAMPLES = load_examples(Path(__file__).resolve().parents[3] / "tests" / "examples")
PLUGINS = (assistkit_basic_living.hooks, assistkit_medical.hooks, assistkit_education.hooks,
           assistkit_housing.hooks, assistkit_temporary.hooks, assistkit_donations.hooks)


def funds(*items: dict[str, Any]) -> tuple[Fund, ...]:
    base = {"need_kinds": ["medical", "tuition", "emergency"], "per_household_cap": "100000",
            "valid_from": "2025-01-01", "valid_to": "2025-12-31", "statuses": []}
    return io.structure_funds([{**base, "name": f"基金 {item['id']}", **item} for item in items])


FUNDS = funds(
    {"id": "F-dibao", "balance": "20000", "statuses": ["dibao", "tekun"], "per_household_cap": "3000",
     "valid_to": "2025-09-30"},
    {"id": "F-any", "balance": "2000", "need_kinds": ["medical", "emergency"], "per_household_cap": "1500"},
    {"id": "F-old", "balance": "9999", "valid_from": "2024-01-01", "valid_to": "2024-12-31"},
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(plugins=list(PLUGINS))


def test_donations_come_last(engine):
    assert [p.name for p in engine.programmes][-2:] == ["temporary", "donations"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda ex: ex.name)
def test_without_funds_donations_do_nothing_and_say_why(engine, example):
    out = engine.assess(io.structure_household(example.household), example.on).to_json()
    assert out["programmes"]["donations"] == {
        "eligible": False, "monthly": "0.00", "one_off": "0.00", "payments": [],
        "reasons": [{"rule": "donations.no_needs", "values": {}, "text": "经各项政府救助后，家庭已无剩余需求"}]
        if not out["needs"] or all(n["remaining"] == "0.00" for n in out["needs"].values()) else
        [{"rule": "donations.no_funds", "values": {},
          "text": "单户认定未提供捐赠基金：捐赠在全体家庭认定之后的第二轮匹配中分配"}]}


def test_example_05_with_funds(engine):
    # E1 has 5400.00 left after medical and temporary relief; P2 holds dibao, so F-dibao (expiring first)
    # gives its household cap of 3000, then F-any its cap of 1500; F-old is not valid on 2025-05-20.
    example = next(ex for ex in EXAMPLES if ex.name.startswith("05"))
    out = engine.assess(io.structure_household(example.household), example.on, funds=FUNDS).to_json()
    donations = out["programmes"]["donations"]
    assert [(p["kind"], p["fund"], p["need"], p["amount"]) for p in donations["payments"]] == [
        ("allocation", "F-dibao", "E1", "3000.00"), ("allocation", "F-any", "E1", "1500.00")]
    assert (donations["eligible"], donations["one_off"]) == (True, "4500.00")
    assert out["needs"]["E1"] == {"amount": "30000.00", "paid": "29100.00", "remaining": "900.00",
                                  "kind": "medical", "date": "2025-03-01"}
    assert out["totals"]["one_off"] == "29620.00"
    # The government programmes are unchanged by the funds.
    plain = engine.assess(io.structure_household(example.household), example.on).to_json()
    assert {k: v for k, v in out["programmes"].items() if k != "donations"} == \
        {k: v for k, v in plain["programmes"].items() if k != "donations"}


def test_a_nonlocal_household_may_receive_donations(engine):
    example = next(ex for ex in EXAMPLES if ex.name.startswith("08"))
    out = engine.assess(io.structure_household(example.household), example.on, funds=FUNDS).to_json()
    # No status: only F-any serves it (emergency, cap 1500).
    assert [(p["fund"], p["need"], p["amount"]) for p in out["programmes"]["donations"]["payments"]] == [
        ("F-any", "F1", "1500.00")]
    assert out["needs"]["F1"]["remaining"] == "7200.00"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda ex: ex.name)
def test_a_single_assessment_with_funds_equals_the_second_pass(engine, example):
    household = io.structure_household(example.household)
    single = engine.assess(household, example.on, funds=FUNDS).to_json()
    [second] = match([engine.assess(household, example.on).to_json()], FUNDS, example.on)
    assert second == single
    [from_object] = match([engine.assess(household, example.on)], FUNDS, example.on)
    assert from_object.to_json() == single


def test_balances_of_a_single_assessment_start_at_the_funds_balances(engine):
    example = next(ex for ex in EXAMPLES if ex.name.startswith("05"))
    household = io.structure_household(example.household)
    for _ in range(2):  # nothing carries over between single assessments
        out = engine.assess(household, example.on, funds=FUNDS).to_json()
        assert out["programmes"]["donations"]["one_off"] == "4500.00"
    assert FUNDS[0].balance == Decimal("20000.00")


def test_on_is_the_validity_date(engine):
    example = next(ex for ex in EXAMPLES if ex.name.startswith("05"))
    household = io.structure_household(example.household)
    out = engine.assess(household, dt.date(2025, 10, 1), funds=FUNDS).to_json()
    assert {p["fund"] for p in out["programmes"]["donations"]["payments"]} <= {"F-any"}
