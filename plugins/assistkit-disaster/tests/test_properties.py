"""Properties of §D over generated households: the dwelling grant never goes beyond the event's need, and living
relief depends on the members, never on the loss."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import assistkit_basic_living.hooks
import assistkit_disaster.hooks
import assistkit_temporary.hooks
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit import io
from assistkit.engine import Engine
from assistkit.household import LIVING_KINDS
from assistkit.testing.invariants import assert_needs_conserved, assert_never_overpays

SETTINGS = settings(max_examples=80, deadline=None)
DAMAGES = ("none", "damaged", "severe", "collapsed")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(plugins=[assistkit_basic_living.hooks, assistkit_disaster.hooks, assistkit_temporary.hooks])


def _money(draw: st.DrawFn, high: int) -> Decimal:
    return Decimal(draw(st.integers(0, high * 100))).scaleb(-2)


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], dt.date]:
    on = draw(st.dates(dt.date(2024, 3, 1), dt.date(2026, 6, 30)))
    size = draw(st.integers(1, 5))
    members = [{"id": f"P{i}", "name": "测试", "birth_date": f"{draw(st.integers(1940, 2020))}-03-01",
                "relationship": "head" if i == 1 else "other"} for i in range(1, size + 1)]
    monthly = draw(st.integers(0, 6000))
    incomes = [{"member": "P1", "category": "pension", "amount": str(monthly), "month": "2024-01"}] if monthly else []
    events, history = [], []
    for n in range(1, draw(st.integers(1, 3)) + 1):
        loss = _money(draw, 200_000)
        compensated = loss * draw(st.integers(0, 100)) / 100
        event = {"id": f"F{n}", "kind": draw(st.sampled_from(["disaster", "disaster", "fire"])),
                 "date": (on - dt.timedelta(days=draw(st.integers(0, 120)))).isoformat(), "loss": str(loss),
                 "compensated": str(compensated.quantize(Decimal("0.01"), rounding="ROUND_DOWN"))}
        if event["kind"] == "disaster":
            event["house_damage"] = draw(st.sampled_from(DAMAGES))
            event["deceased"] = draw(st.integers(0, 3))
        events.append(event)
        for _ in range(draw(st.integers(0, 2))):
            kind = draw(st.sampled_from(["dwelling", "emergency_living", "transitional_living", "bereavement"]))
            history.append({"programme": "disaster", "kind": kind, "need": event["id"], "date": event["date"],
                            "amount": str(_money(draw, 30_000))})
    data = {"id": "H-P", "residence": draw(st.sampled_from(["urban", "rural"])), "members": members,
            "incomes": incomes, "events": events, "history": history,
            "hukou_local": draw(st.booleans()),
            "housing": {"tenure": draw(st.sampled_from(["owned", "owned", "rented", "none"]))}}
    return data, on


@SETTINGS
@given(cases())
def test_the_dwelling_grant_never_goes_beyond_the_events_need(engine: Engine, case) -> None:
    data, on = case
    d = engine.assess(io.structure_household(data), on)
    assert not d.errors, d.errors
    assert_needs_conserved(d)
    assert_never_overpays(d)
    needs = {n.id: n for n in d.needs}
    disaster = next(r for r in d.programmes if r.name == "disaster")
    for p in disaster.payments:
        assert p.member is None and p.need in needs
        if p.kind == "dwelling":
            # What history left of the need (loss − compensated − history toward it), at most.
            assert p.amount <= needs[p.need].amount
            assert p.amount in (Decimal("5000.00"), Decimal("20000.00")) or p.amount == needs[p.need].amount
        else:
            assert p.kind in LIVING_KINDS
    for n in needs.values():
        assert n.paid <= n.amount


@SETTINGS
@given(cases(), st.data())
def test_living_relief_is_the_same_whatever_the_loss(engine: Engine, case, data) -> None:
    household, on = case
    other = {**household, "events": []}
    for event in household["events"]:
        loss = _money(data.draw, 500_000)
        other["events"].append({**event, "loss": str(loss), "compensated": str(loss if data.draw(st.booleans())
                                                                                else Decimal("0.00"))})
    other["history"] = [p for p in household["history"] if p["kind"] != "dwelling"]
    household = {**household, "history": other["history"]}

    def living(data: dict[str, Any]) -> list[tuple[str, str | None, Decimal]]:
        d = engine.assess(io.structure_household(data), on)
        assert not d.errors, d.errors
        disaster = next(r for r in d.programmes if r.name == "disaster")
        return [(p.kind, p.need, p.amount) for p in disaster.payments if p.kind in LIVING_KINDS]

    assert living(household) == living(other)
