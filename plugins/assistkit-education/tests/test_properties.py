"""Properties of §10 over generated households of students with tuition expenses, with stubbed statuses."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import assistkit_education.hooks
import assistkit_medical.hooks
from assistkit_education.parameters import DECLARATION
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit.periods import school_year
from assistkit.testing.invariants import assert_cites_own_rules

SETTINGS = settings(max_examples=60, deadline=None)
CAP = Decimal(3000)  # education.tuition_cap
STAGES = ("preschool", "primary", "junior", "senior", "vocational", "undergraduate")


def fen(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def households(draw: st.DrawFn) -> tuple[dict[str, Any], dt.date, dict[str, list[str]]]:
    """(household JSON, on, statuses): a head and 1–3 students (mostly senior), tuition expenses over ~2
    school years, history (donations toward tuition, past grants and waivers), stubbed statuses."""
    on = draw(st.dates(dt.date(2025, 1, 1), dt.date(2026, 8, 31)))
    members: list[dict[str, Any]] = [
        {"id": "P1", "name": "测试", "birth_date": "1980-01-01", "relationship": "head"}]
    for i in range(2, draw(st.integers(2, 4)) + 1):
        members.append({"id": f"P{i}", "name": "测试", "birth_date": "2008-01-01", "relationship": "child",
                        "orphan": draw(st.booleans()),
                        "school": {"stage": draw(st.sampled_from(("senior", "senior", *STAGES))),
                                   "boarding": draw(st.booleans()), "tuition": str(draw(fen(0, 500_000)))}})
    expenses, history = [], []
    for i in range(draw(st.integers(0, 5))):
        date = on - dt.timedelta(days=draw(st.integers(0, 500)))
        total = draw(fen(0, 500_000))
        expense = {"id": f"T{i}", "member": f"P{draw(st.integers(2, len(members)))}", "kind": "tuition",
                   "date": date.isoformat(), "total": str(total)}
        expenses.append(expense)
        if draw(st.integers(0, 2)) == 0:
            history.append({"programme": "donations", "kind": "allocation", "need": expense["id"],
                            "date": date.isoformat(), "amount": str(draw(fen(0, int(total * 100))))})
    for _ in range(draw(st.integers(0, 2))):
        history.append({"programme": "education", "kind": draw(st.sampled_from(("grant", "tuition_waiver"))),
                        "member": f"P{draw(st.integers(2, len(members)))}",
                        "date": (on - dt.timedelta(days=draw(st.integers(0, 400)))).isoformat(),
                        "amount": "1000"})
    statuses: dict[str, list[str]] = {}
    status = draw(st.sampled_from([None, "dibao", "marginal", "expenditure_hardship"]))
    if status:
        statuses["household"] = [status]
    data = {"id": "H-P", "residence": "urban", "members": members, "expenses": expenses, "history": history}
    return data, on, statuses


@SETTINGS
@given(households())
def test_the_total_paid_toward_a_need_never_exceeds_it(assess, case):
    data, on, statuses = case
    _, out = assess(data, on, statuses, plugins=(assistkit_medical.hooks, assistkit_education.hooks))
    toward: Counter[str] = Counter()
    for p in out["programmes"]["education"]["payments"]:
        if p["need"] is not None:
            toward[p["need"]] += Decimal(p["amount"])
    for need, state in out["needs"].items():
        assert Decimal(0) <= toward[need] == Decimal(state["paid"]) <= Decimal(state["amount"])


@SETTINGS
@given(households())
def test_waivers_and_grants_follow_the_rules(assess, case):
    data, on, statuses = case
    _, out = assess(data, on, statuses)
    members = {m["id"]: m for m in data["members"]}
    expenses = {e["id"]: e for e in data["expenses"]}
    year = school_year(on)
    seen: Counter[tuple[str, str]] = Counter()
    for p in out["programmes"]["education"]["payments"]:
        seen[(p["member"], p["kind"])] += 1
        school = members[p["member"]]["school"]
        if p["kind"] == "tuition_waiver":
            assert school["stage"] == "senior"
            assert Decimal(p["amount"]) <= min(Decimal(school["tuition"]), CAP)
            if p["need"] is not None:
                expense = expenses[p["need"]]
                assert expense["member"] == p["member"]
                assert school_year(dt.date.fromisoformat(expense["date"])) == year
        else:
            assert school["boarding"] or school["stage"] not in ("primary", "junior")
        past = [h for h in data["history"] if h.get("member") == p["member"] and h["kind"] == p["kind"]
                and school_year(dt.date.fromisoformat(h["date"])) == year]
        assert not past, "paid again in the same school year (§10.4)"
    assert all(n == 1 for n in seen.values())


@SETTINGS
@given(households(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_expenses(assess, case, rnd):
    data, on, statuses = case
    shuffled = {**data, "expenses": rnd.sample(data["expenses"], len(data["expenses"])),
                "history": rnd.sample(data["history"], len(data["history"]))}
    _, a = assess(data, on, statuses)
    _, b = assess(shuffled, on, statuses)
    def key(out: dict[str, Any]) -> tuple[Any, ...]:
        payments = out["programmes"]["education"]["payments"]
        return sorted((p["kind"], p["member"], p["need"] or "", p["amount"]) for p in payments), out["needs"]

    assert key(a) == key(b)


@SETTINGS
@given(households())
def test_reasons_and_payments_cite_declared_rules_and_parameters(assess, case):
    data, on, statuses = case
    d, _ = assess(data, on, statuses)
    programme = next(p for p in assistkit_education.hooks.assistkit_register_programmes())
    declared = {s.name for s in DECLARATION.schemas}
    assert set(programme.parameters) == declared
    assert_cites_own_rules(d, programme, declared)
