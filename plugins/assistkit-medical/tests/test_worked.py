"""Worked cases of §9, one per branch, with the arithmetic in comments. Statuses are stubbed (see conftest).

Demo City values used: premium 380 (2024), 400 (from 2025-01-01); premium_rate tekun 1.0, dibao 0.8, marginal
0.5; deductible tekun 0, dibao 0, marginal 800, hardship 2000; ratio tekun 0.9, dibao 0.75, marginal 0.65,
hardship 0.6; annual_cap 60000, 80000 from 2025-07-01.
"""

from __future__ import annotations

from typing import Any

import pytest


def person(pid: str, relationship: str = "head", **kw: Any) -> dict[str, Any]:
    return {"id": pid, "name": "测试" + pid, "birth_date": "1980-01-01", "relationship": relationship, **kw}


def household(*members: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"id": "H-M", "residence": "urban", "members": list(members) or [person("P1")], **kw}


def bill(eid: str, date: str, total: str, kind: str = "inpatient", member: str = "P1",
         **kw: Any) -> dict[str, Any]:
    return {"id": eid, "member": member, "kind": kind, "date": date, "total": total, **kw}


def paid(programme: dict[str, Any]) -> set[tuple[str, str | None, str | None, str]]:
    return {(p["kind"], p["member"], p["need"], p["amount"]) for p in programme["payments"]}


def needs(out: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The ``needs`` section on the keys output-format.md fixes (the core may add others)."""
    return {k: {f: v[f] for f in ("amount", "paid", "remaining")} for k, v in out["needs"].items()}


def reasons(programme: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [r["values"] for r in programme["reasons"] if r["rule"] == rule]


def test_bills_in_two_calendar_years_have_a_deductible_each(assess):
    # on 2025-03-15, P1 marginal: deductible 800 per calendar year, ratio 0.65, cap 60000.
    data = household(expenses=[
        # 2025: base = 1500 − 500 = 1000; the 2025 deductible is fresh: (1000 − 800) × 0.65 = 130.00
        bill("C", "2025-02-01", "1500", insurance_paid="500"),
        # 2024, first: base = 5000 − 2000 = 3000; (3000 − 800) × 0.65 = 1430.00
        bill("A", "2024-06-10", "6000", in_scope="5000", insurance_paid="2000"),
        # 2024, second: the 2024 deductible is used up: 1000 × 0.65 = 650.00
        bill("B", "2024-11-20", "1000", kind="outpatient_chronic"),
    ])
    _, out = assess(data, "2025-03-15", {"household": ["marginal"]})
    medical = out["programmes"]["medical"]
    assert paid(medical) == {
        ("premium_subsidy", "P1", None, "200.00"),  # 400 × 0.5
        ("treatment", "P1", "A", "1430.00"),
        ("treatment", "P1", "B", "650.00"),
        ("treatment", "P1", "C", "130.00"),
    }
    assert medical["one_off"] == "2410.00"  # 200 + 1430 + 650 + 130
    # Needs are total − insurance_paid: A 6000 − 2000 = 4000, B 1000, C 1500 − 500 = 1000.
    assert needs(out) == {
        "C": {"amount": "1000.00", "paid": "130.00", "remaining": "870.00"},
        "A": {"amount": "4000.00", "paid": "1430.00", "remaining": "2570.00"},
        "B": {"amount": "1000.00", "paid": "650.00", "remaining": "350.00"},
    }
    by_need = {v["need"]: v for v in reasons(medical, "medical.treatment")}
    a, b, c = by_need["A"], by_need["B"], by_need["C"]
    assert (a["deductible_used"], b["deductible_before"], b["deductible_used"], c["deductible_used"]) == (
        "800.00", "800.00", "0.00", "800.00")


def test_a_bill_exactly_365_days_before_counts_and_366_does_not(assess):
    # 2024-03-15 → 2025-03-15 is 365 days; 2024-03-14 is 366. P1 dibao: ratio 0.75, no deductible.
    data = household(expenses=[bill("E365", "2024-03-15", "1000"), bill("E366", "2024-03-14", "1000")])
    _, out = assess(data, "2025-03-15", {"household": ["dibao"], "P1": ["dibao"]})
    treatment = {p for p in paid(out["programmes"]["medical"]) if p[0] == "treatment"}
    assert treatment == {("treatment", "P1", "E365", "750.00")}  # 1000 × 0.75
    assert needs(out)["E366"] == {"amount": "1000.00", "paid": "0.00", "remaining": "1000.00"}


def test_the_cap_exhausted_by_history(assess):
    # on 2025-05-20, P1 tekun: ratio 0.9, no deductible, cap 60000 per calendar year of the bill.
    # History: 59000 of treatment dated 2025 (toward E0, which is therefore not assessed again).
    data = household(
        expenses=[
            bill("E0", "2025-01-10", "70000", insurance_paid="4000"),
            # 5000 × 0.9 = 4500, but only 60000 − 59000 = 1000 is left for 2025
            bill("E1", "2025-04-01", "5000"),
            # 2000 × 0.9 = 1800; 2025 cap left = 60000 − 59000 − 1000 = 0: nothing
            bill("E2", "2025-04-15", "2000", kind="outpatient_chronic"),
            # a 2024 bill: the 2024 cap is untouched: 2000 × 0.9 = 1800.00
            bill("E3", "2024-12-20", "2000"),
        ],
        history=[{"programme": "medical", "kind": "treatment", "member": "P1", "need": "E0",
                  "date": "2025-02-01", "amount": "59000"}],
    )
    _, out = assess(data, "2025-05-20", {"P1": ["tekun"]})
    medical = out["programmes"]["medical"]
    assert paid(medical) == {
        ("premium_subsidy", "P1", None, "400.00"),  # 400 × 1.0
        ("treatment", "P1", "E1", "1000.00"),
        ("treatment", "P1", "E3", "1800.00"),
    }
    assert needs(out) == {
        "E0": {"amount": "7000.00", "paid": "0.00", "remaining": "7000.00"},  # 70000 − 4000 − 59000 (history)
        "E1": {"amount": "5000.00", "paid": "1000.00", "remaining": "4000.00"},
        "E2": {"amount": "2000.00", "paid": "0.00", "remaining": "2000.00"},
        "E3": {"amount": "2000.00", "paid": "1800.00", "remaining": "200.00"},
    }
    assert reasons(medical, "medical.already_assisted") == [{"need": "E0", "member": "P1"}]
    e2 = next(v for v in reasons(medical, "medical.treatment") if v["need"] == "E2")
    assert (e2["payable"], e2["history_paid"], e2["cap_used"], e2["cap_left"], e2["amount"]) == (
        "1800.00", "59000.00", "60000.00", "0.00", "0.00")


def test_history_at_the_cap_leaves_nothing_for_the_year(assess):
    data = household(
        expenses=[bill("E1", "2025-04-01", "5000")],
        history=[{"programme": "medical", "kind": "treatment", "member": "P1", "date": "2025-03-01",
                  "amount": "60000"}],
    )
    _, out = assess(data, "2025-05-20", {"P1": ["tekun"]})
    assert paid(out["programmes"]["medical"]) == {("premium_subsidy", "P1", None, "400.00")}


def test_the_deductible_partly_consumed_by_an_already_assisted_bill(assess):
    # on 2025-08-10, P1 marginal: deductible 800, ratio 0.65, cap 80000 (from 2025-07-01).
    data = household(
        expenses=[
            # already assisted (history): its base 500 consumes 500 of the 2025 deductible first
            bill("E0", "2025-03-01", "500"),
            # base = 3500 − 500 = 3000; deductible left 800 − 500 = 300; (3000 − 300) × 0.65 = 1755.00
            bill("E1", "2025-06-01", "4000", in_scope="3500", insurance_paid="500"),
        ],
        history=[{"programme": "medical", "kind": "treatment", "member": "P1", "need": "E0",
                  "date": "2025-03-10", "amount": "375"}],
    )
    _, out = assess(data, "2025-08-10", {"household": ["marginal"]})
    medical = out["programmes"]["medical"]
    assert paid(medical) == {
        ("premium_subsidy", "P1", None, "200.00"),
        ("treatment", "P1", "E1", "1755.00"),
    }
    e1 = next(v for v in reasons(medical, "medical.treatment") if v["need"] == "E1")
    # cap left = 80000 − 375 (history, dated 2025) = 79625
    assert (e1["base"], e1["deductible_before"], e1["deductible_used"], e1["cap_left"]) == (
        "3000.00", "500.00", "300.00", "79625.00")
    assert needs(out) == {
        "E0": {"amount": "125.00", "paid": "0.00", "remaining": "125.00"},  # 500 − 375 (history)
        "E1": {"amount": "3500.00", "paid": "1755.00", "remaining": "1745.00"},  # 4000 − 500
    }


def test_a_bill_helped_only_by_temporary_relief_is_still_assessed(assess):
    # "Already assisted" means medical treatment in history; temporary relief toward E1 only shrinks the need.
    # P1 dibao: 4000 × 0.75 = 3000, but the need is 4000 − 1500 (history) = 2500: the ledger pays 2500.
    data = household(
        expenses=[bill("E1", "2025-04-01", "4000")],
        history=[{"programme": "temporary", "kind": "grant", "need": "E1", "date": "2025-04-20",
                  "amount": "1500"}],
    )
    _, out = assess(data, "2025-05-20", {"household": ["dibao"], "P1": ["dibao"]})
    assert ("treatment", "P1", "E1", "2500.00") in paid(out["programmes"]["medical"])
    assert needs(out)["E1"] == {"amount": "2500.00", "paid": "2500.00", "remaining": "0.00"}


def test_premium_already_paid_this_year(assess):
    # on 2025-03-01, dibao household: 400 × 0.8 = 320 each, once per calendar year.
    data = household(
        person("P1"), person("P2", "spouse"),
        history=[
            {"programme": "medical", "kind": "premium_subsidy", "member": "P1", "date": "2025-01-15",
             "amount": "320"},
            # last year's subsidy (380 × 0.8) does not stop this year's
            {"programme": "medical", "kind": "premium_subsidy", "member": "P2", "date": "2024-12-30",
             "amount": "304"},
        ],
    )
    _, out = assess(data, "2025-03-01", {"household": ["dibao"], "P1": ["dibao"], "P2": ["dibao"]})
    medical = out["programmes"]["medical"]
    assert paid(medical) == {("premium_subsidy", "P2", None, "320.00")}
    assert reasons(medical, "medical.premium_already_paid") == [
        {"member": "P1", "year": 2025, "date": "2025-01-15", "paid": "320.00"}]


def test_hardship_gets_treatment_but_no_premium_subsidy(assess):
    # hardship: deductible 2000, ratio 0.6: (10000 − 2000) × 0.6 = 4800.00; no premium_rate for hardship.
    data = household(expenses=[bill("E1", "2025-02-10", "10000")])
    _, out = assess(data, "2025-07-20", {"household": ["expenditure_hardship"]})
    assert paid(out["programmes"]["medical"]) == {("treatment", "P1", "E1", "4800.00")}


def test_plain_outpatient_gets_no_treatment(assess):
    # P1 dibao: the chronic-outpatient bill gets 2000 × 0.75 = 1500.00; the plain outpatient bill nothing.
    data = household(expenses=[
        bill("O1", "2025-05-01", "2000", kind="outpatient"),
        bill("C1", "2025-05-02", "2000", kind="outpatient_chronic"),
    ])
    _, out = assess(data, "2025-06-01", {"household": ["dibao"], "P1": ["dibao"]})
    medical = out["programmes"]["medical"]
    assert {p for p in paid(medical) if p[0] == "treatment"} == {("treatment", "P1", "C1", "1500.00")}
    assert needs(out)["O1"] == {"amount": "2000.00", "paid": "0.00", "remaining": "2000.00"}
    assert reasons(medical, "medical.kind_not_covered") == [{"need": "O1", "member": "P1"}]


def test_own_status_comes_before_the_household_s(assess):
    # P1 tekun in a marginal household: tekun rates (400, 0.9, no deductible); P2 takes the household's.
    data = household(person("P1"), person("P2", "spouse"),
                     expenses=[bill("E1", "2025-05-01", "1000"),
                               bill("E2", "2025-05-01", "1000", member="P2")])
    _, out = assess(data, "2025-06-01", {"household": ["marginal"], "P1": ["tekun"]})
    assert paid(out["programmes"]["medical"]) == {
        ("premium_subsidy", "P1", None, "400.00"),
        ("premium_subsidy", "P2", None, "200.00"),
        ("treatment", "P1", "E1", "900.00"),  # 1000 × 0.9
        ("treatment", "P2", "E2", "130.00"),  # (1000 − 800) × 0.65
    }


@pytest.mark.parametrize("statuses", [{}, {"household": ["dibao"], "P1": ["dibao"]}])
def test_nothing_without_a_status_or_for_a_non_local_household(assess, statuses):
    data = household(hukou_local=not statuses, expenses=[bill("E1", "2025-05-01", "1000")])
    _, out = assess(data, "2025-06-01", statuses)
    medical = out["programmes"]["medical"]
    assert (medical["eligible"], medical["payments"]) == (False, [])


def test_every_reason_renders_in_both_languages(assess):
    data = household(expenses=[bill("E1", "2025-05-01", "1000"),
                               bill("O1", "2025-05-01", "10", kind="outpatient")])
    d, _ = assess(data, "2025-06-01", {"household": ["marginal"]})
    for lang in ("zh", "en"):
        text = d.explain(lang)
        assert "{" not in text.split("medical")[1].split("\n")[0]
        assert "§9.2" in text and "§9.1" in text
