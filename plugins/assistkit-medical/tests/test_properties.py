"""Properties of §9 (and of the needs ledger with §9–§11) over generated households with stubbed statuses."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import assistkit_education.hooks
import assistkit_housing.hooks
import assistkit_medical.hooks
from assistkit_medical.parameters import DECLARATION
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit.money import round_fen
from assistkit.policy import load_policy
from assistkit.testing.invariants import assert_cites_own_rules

SPECIAL = (assistkit_medical.hooks, assistkit_education.hooks, assistkit_housing.hooks)
SETTINGS = settings(max_examples=60, deadline=None)
DATES = (dt.date(2025, 1, 10), dt.date(2025, 7, 15), dt.date(2025, 12, 31))
RATIO = {on: load_policy(declarations=[DECLARATION]).at(on)["medical.ratio"] for on in DATES}
TREATED = ("inpatient", "outpatient_chronic")


def fen(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda n: Decimal(n).scaleb(-2))


@st.composite
def households(draw: st.DrawFn) -> tuple[dict[str, Any], dt.date, dict[str, list[str]]]:
    """(household JSON, on, statuses): 1–3 members, some students, up to 6 expenses over ~500 days, history
    toward some of them (medical treatment, temporary relief, donations), a premium subsidy, stubbed
    statuses."""
    on = draw(st.sampled_from(DATES))
    size = draw(st.integers(1, 3))
    members = []
    for i in range(1, size + 1):
        member: dict[str, Any] = {"id": f"P{i}", "name": "测试", "birth_date": "2000-01-01",
                                  "relationship": "head" if i == 1 else "child"}
        if draw(st.booleans()):
            stage = draw(st.sampled_from(["primary", "junior", "senior", "undergraduate"]))
            member["school"] = {"stage": stage,
                                "boarding": draw(st.booleans()), "tuition": str(draw(fen(0, 500_000)))}
        members.append(member)
    expenses, history = [], []
    for i in range(draw(st.integers(0, 6))):
        date = on - dt.timedelta(days=draw(st.integers(0, 500)))
        total = draw(fen(0, 5_000_000))
        kind = draw(st.sampled_from(["inpatient", "outpatient_chronic", "outpatient", "tuition"]))
        expense = {"id": f"E{i}", "member": f"P{draw(st.integers(1, size))}", "kind": kind,
                   "date": date.isoformat(), "total": str(total)}
        if kind != "tuition":
            in_scope = draw(fen(0, int(total * 100)))
            expense["in_scope"] = str(in_scope)
            expense["insurance_paid"] = str(draw(fen(0, int(in_scope * 100))))
        expenses.append(expense)
        if draw(st.integers(0, 3)) == 0:
            programme, pkind = draw(st.sampled_from(
                [("medical", "treatment"), ("temporary", "grant"), ("donations", "allocation")]))
            when = date + dt.timedelta(days=draw(st.integers(0, (on - date).days)))
            history.append({"programme": programme, "kind": pkind, "need": expense["id"],
                            "member": expense["member"] if programme == "medical" else None,
                            "date": when.isoformat(), "amount": str(draw(fen(0, int(total * 100))))})
    if draw(st.booleans()):
        when = on - dt.timedelta(days=draw(st.integers(0, 400)))
        history.append({"programme": "medical", "kind": "premium_subsidy", "member": "P1",
                        "date": when.isoformat(), "amount": "320"})
    statuses: dict[str, list[str]] = {}
    household_status = draw(st.sampled_from([None, "dibao", "marginal", "expenditure_hardship"]))
    if household_status:
        statuses["household"] = [household_status]
    for m in members:
        status = draw(st.sampled_from([None, None, "tekun", "dibao", "marginal", "expenditure_hardship"]))
        if status:
            statuses[m["id"]] = [status]
    data = {"id": "H-P", "residence": "urban", "members": members, "expenses": expenses, "history": history}
    return data, on, statuses


def person_status(statuses: dict[str, list[str]], member: str) -> str | None:
    order = ("tekun", "dibao", "marginal", "expenditure_hardship")
    for held in (statuses.get(member, []), statuses.get("household", [])):
        for status in order:
            if status in held:
                return status
    return None


@SETTINGS
@given(households())
def test_the_total_paid_toward_a_need_never_exceeds_it(assess, case):
    data, on, statuses = case
    _, out = assess(data, on, statuses, plugins=SPECIAL)
    toward: Counter[str] = Counter()
    for programme in out["programmes"].values():
        for p in programme["payments"]:
            if p["need"] is not None:
                toward[p["need"]] += Decimal(p["amount"])
    for need, state in out["needs"].items():
        amount, paid, remaining = (Decimal(state[k]) for k in ("amount", "paid", "remaining"))
        assert Decimal(0) <= paid <= amount
        assert remaining == amount - paid >= 0
        assert toward[need] == paid


@SETTINGS
@given(households())
def test_treatment_never_exceeds_base_times_ratio(assess, case):
    data, on, statuses = case
    _, out = assess(data, on, statuses)
    expenses = {e["id"]: e for e in data["expenses"]}
    for p in out["programmes"]["medical"]["payments"]:
        if p["kind"] != "treatment":
            continue
        e = expenses[p["need"]]
        assert e["kind"] in TREATED
        base = max(Decimal(0), Decimal(e["in_scope"]) - Decimal(e["insurance_paid"]))
        ratio = RATIO[on][person_status(statuses, e["member"])]
        # (base − deductible used) × ratio is rounded to the fen, so the bound is base × ratio to the fen
        assert Decimal(p["amount"]) <= round_fen(base * ratio)


@SETTINGS
@given(households(), st.data())
def test_more_insurance_never_increases_medical_assistance(assess, case, data_):
    data, on, statuses = case
    medical = [e for e in data["expenses"] if e["kind"] != "tuition"]
    if not medical:
        return
    e = data_.draw(st.sampled_from(medical))
    more = data_.draw(fen(int(Decimal(e["insurance_paid"]) * 100), int(Decimal(e["in_scope"]) * 100)))
    richer = {**data,
              "expenses": [{**x, "insurance_paid": str(more)} if x is e else x for x in data["expenses"]]}
    _, before = assess(data, on, statuses)
    _, after = assess(richer, on, statuses)
    assert (Decimal(after["programmes"]["medical"]["one_off"])
            <= Decimal(before["programmes"]["medical"]["one_off"]))


def _outcome(out: dict[str, Any]) -> tuple[Any, ...]:
    programmes = {
        name: (p["eligible"], p["monthly"], p["one_off"], p.get("in_kind", []),
               sorted((x["kind"], x["member"] or "", x["need"] or "", x["amount"]) for x in p["payments"]))
        for name, p in out["programmes"].items()
    }
    return programmes, out["needs"], out["totals"]


@SETTINGS
@given(households(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_expenses(assess, case, rnd):
    data, on, statuses = case
    shuffled = {**data, "expenses": rnd.sample(data["expenses"], len(data["expenses"])),
                "history": rnd.sample(data["history"], len(data["history"]))}
    _, a = assess(data, on, statuses, plugins=SPECIAL)
    _, b = assess(shuffled, on, statuses, plugins=SPECIAL)
    assert _outcome(a) == _outcome(b)


@SETTINGS
@given(households())
def test_reasons_and_payments_cite_declared_rules_and_parameters(assess, case):
    data, on, statuses = case
    d, _ = assess(data, on, statuses)
    programme = next(p for p in assistkit_medical.hooks.assistkit_register_programmes())
    declared = {s.name for s in DECLARATION.schemas}
    assert set(programme.parameters) == {s.name for s in DECLARATION.schemas if not s.optional}
    assert_cites_own_rules(d, programme, declared)
