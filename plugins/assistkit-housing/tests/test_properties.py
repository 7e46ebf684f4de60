"""Properties of §11 over generated households with stubbed statuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import assistkit_housing.hooks
from assistkit_housing.parameters import DECLARATION
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit.money import round_yuan
from assistkit.periods import add_months
from assistkit.testing.invariants import assert_cites_own_rules

SETTINGS = settings(max_examples=60, deadline=None)


def per_person(on: dt.date) -> Decimal:
    return Decimal(300) if on >= dt.date(2025, 7, 1) else Decimal(250)  # housing.subsidy_per_person


@st.composite
def households(draw: st.DrawFn) -> tuple[dict[str, Any], dt.date, dict[str, list[str]]]:
    on = draw(st.dates(dt.date(2024, 6, 1), dt.date(2026, 6, 30)))
    size = draw(st.integers(1, 5))
    members = [{"id": f"P{i}", "name": "测试", "birth_date": "1980-01-01",
                "relationship": "head" if i == 1 else "other"} for i in range(1, size + 1)]
    tenure = draw(st.sampled_from(["owned", "rented", "public_rental", "none"]))
    rent = Decimal(draw(st.integers(0, 300_000))).scaleb(-2)
    housing: dict[str, Any] = {"tenure": tenure, "monthly_rent": str(rent),
                               "properties_owned": draw(st.sampled_from([0, 0, 1]))}
    if tenure == "owned":
        housing["dilapidated_grade"] = draw(st.sampled_from([None, "C", "D"]))
    history = [{"programme": "housing", "kind": "renovation", "amount": "15000",
                "date": (on - dt.timedelta(days=draw(st.integers(0, 3000)))).isoformat()}
               for _ in range(draw(st.integers(0, 2)))]
    statuses: dict[str, list[str]] = {}
    if draw(st.booleans()):
        statuses = {m["id"]: ["tekun"] for m in members}
    status = draw(st.sampled_from([None, "dibao", "marginal", "expenditure_hardship"]))
    if status:
        statuses["household"] = [status]
    data = {"id": "H-P", "residence": draw(st.sampled_from(["urban", "rural"])), "members": members,
            "housing": housing, "history": history}
    return data, on, statuses


@SETTINGS
@given(households())
def test_housing_amounts_stay_within_their_limits(assess, case):
    data, on, statuses = case
    _, out = assess(data, on, statuses)
    housing, size = data["housing"], len(data["members"])
    result = out["programmes"]["housing"]
    monthly = Decimal(result["monthly"])
    if monthly or result.get("in_kind"):
        assert (data["residence"], housing["tenure"], housing["properties_owned"]) == ("urban", "rented", 0)
        assert monthly <= round_yuan(min(Decimal(housing["monthly_rent"]), per_person(on) * size))
        assert result["in_kind"] == ["public_rental_priority"]
    for p in result["payments"]:
        assert (p["kind"], p["need"], data["residence"], housing["tenure"]) == (
            "renovation", None, "rural", "owned")
        # housing.repair_C, housing.rebuild_D
        limit = {"C": Decimal(15000), "D": Decimal(40000)}[housing["dilapidated_grade"]]
        assert Decimal(p["amount"]) <= limit
        since = add_months(on, -60)
        assert not any(dt.date.fromisoformat(h["date"]) > since for h in data["history"])
    if result["eligible"]:
        held = set(statuses.get("household", []))
        all_tekun = all("tekun" in statuses.get(m["id"], []) for m in data["members"])
        assert held & {"dibao", "marginal"} or all_tekun


@SETTINGS
@given(households())
def test_reasons_and_payments_cite_declared_rules_and_parameters(assess, case):
    data, on, statuses = case
    d, _ = assess(data, on, statuses)
    programme = next(p for p in assistkit_housing.hooks.assistkit_register_programmes())
    declared = {s.name for s in DECLARATION.schemas}
    assert set(programme.parameters) == {s.name for s in DECLARATION.schemas if not s.optional}
    assert_cites_own_rules(d, programme, declared)
