"""Worked cases of §10, one per branch, with the arithmetic in comments. Statuses are stubbed (see conftest).

Demo City values: education.grant (tier 1 / tier 2) preschool 1000/500, primary 1000/500, junior 1250/625,
senior 2500/1500, vocational 2000/1200, undergraduate 4000/2500; education.tuition_cap 3000. School year
2025 runs 2025-09-01 – 2026-08-31.
"""

from __future__ import annotations

from typing import Any

import pytest


def person(pid: str, relationship: str = "child", birth: str = "2010-01-01", **kw: Any) -> dict[str, Any]:
    return {"id": pid, "name": "测试" + pid, "birth_date": birth, "relationship": relationship, **kw}


def student(pid: str, stage: str, boarding: bool = False, tuition: str = "0", **kw: Any) -> dict[str, Any]:
    return person(pid, school={"stage": stage, "boarding": boarding, "tuition": tuition}, **kw)


def household(*members: dict[str, Any], **kw: Any) -> dict[str, Any]:
    head = person("P1", "head", "1980-01-01")
    return {"id": "H-E", "residence": "urban", "members": [head, *members], **kw}


def tuition(eid: str, member: str, date: str, total: str) -> dict[str, Any]:
    return {"id": eid, "member": member, "kind": "tuition", "date": date, "total": total}


def paid(programme: dict[str, Any]) -> set[tuple[str, str | None, str | None, str]]:
    return {(p["kind"], p["member"], p["need"], p["amount"]) for p in programme["payments"]}


def needs(out: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {k: {f: v[f] for f in ("amount", "paid", "remaining")} for k, v in out["needs"].items()}


def reasons(programme: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [r["values"] for r in programme["reasons"] if r["rule"] == rule]


DIBAO = {"household": ["dibao"], "P1": ["dibao"], "P2": ["dibao"], "P3": ["dibao"], "P4": ["dibao"],
         "P5": ["dibao"]}


def test_non_boarding_primary_and_junior_students_get_nothing(assess):
    data = household(
        student("P2", "primary"),                 # tier 1, not boarding: nothing
        student("P3", "junior"),                  # tier 1, not boarding: nothing
        student("P4", "junior", boarding=True),   # tier 1 junior, boarding: 1250
        student("P5", "preschool"),               # preschool needs no boarding: 1000
    )
    _, out = assess(data, "2025-10-01", DIBAO)
    education = out["programmes"]["education"]
    assert paid(education) == {("grant", "P4", None, "1250.00"), ("grant", "P5", None, "1000.00")}
    assert education["one_off"] == "2250.00"
    assert reasons(education, "education.not_boarding") == [
        {"member": "P2", "stage": "primary"}, {"member": "P3", "stage": "junior"}]


def test_non_boarding_primary_alone_is_not_eligible(assess):
    _, out = assess(household(student("P2", "primary")), "2025-10-01", DIBAO)
    assert out["programmes"]["education"]["eligible"] is False


def test_tier_2_senior_gets_the_grant_and_no_waiver(assess):
    # marginal household: tier 2 senior grant 1500; the waiver is tier 1 only, so T1 stays unpaid.
    data = household(student("P2", "senior", tuition="2000"),
                     expenses=[tuition("T1", "P2", "2025-09-05", "2000")])
    _, out = assess(data, "2025-09-20", {"household": ["marginal"]})
    assert paid(out["programmes"]["education"]) == {("grant", "P2", None, "1500.00")}
    assert needs(out) == {"T1": {"amount": "2000.00", "paid": "0.00", "remaining": "2000.00"}}


def test_a_waiver_larger_than_the_remaining_tuition_need(assess):
    # waiver = min(2800, 3000) = 2800, toward the first tuition expense of school year 2025: T1 (T0 is dated
    # 2025-08-25, school year 2024). History: a donation of 2000 toward T1, so 2800 − 2000 = 800 remains:
    # the ledger pays 800. The other 2000 of the waiver is not paid, neither without a need nor toward T2.
    data = household(
        student("P2", "senior", tuition="2800"),
        expenses=[
            tuition("T2", "P2", "2025-10-10", "500"),
            tuition("T1", "P2", "2025-09-03", "2800"),
            tuition("T0", "P2", "2025-08-25", "1000"),
        ],
        history=[{"programme": "donations", "kind": "allocation", "need": "T1", "date": "2025-09-20",
                  "amount": "2000"}],
    )
    _, out = assess(data, "2025-10-15", DIBAO)
    education = out["programmes"]["education"]
    assert paid(education) == {
        ("grant", "P2", None, "2500.00"),          # tier 1 senior
        ("tuition_waiver", "P2", "T1", "800.00"),
    }
    assert education["one_off"] == "3300.00"
    assert needs(out) == {
        "T2": {"amount": "500.00", "paid": "0.00", "remaining": "500.00"},
        "T1": {"amount": "800.00", "paid": "800.00", "remaining": "0.00"},
        "T0": {"amount": "1000.00", "paid": "0.00", "remaining": "1000.00"},
    }
    [waiver] = reasons(education, "education.tuition_waiver")
    assert (waiver["waiver"], waiver["remaining"], waiver["amount"], waiver["unused"]) == (
        "2800.00", "800.00", "800.00", "2000.00")


def test_a_waiver_without_a_tuition_expense_is_paid_with_no_need(assess):
    # waiver = min(3500, cap 3000) = 3000; no tuition expense in school year 2025 (T0 is in 2024).
    data = household(student("P2", "senior", tuition="3500"),
                     expenses=[tuition("T0", "P2", "2025-06-01", "3500")])
    _, out = assess(data, "2025-09-20", DIBAO)
    assert paid(out["programmes"]["education"]) == {
        ("grant", "P2", None, "2500.00"), ("tuition_waiver", "P2", None, "3000.00")}
    assert needs(out)["T0"]["paid"] == "0.00"


def test_once_per_school_year(assess):
    # P2's grant and waiver were paid in school year 2025 (from 2025-09-01): neither again on 2026-03-01.
    # P3's grant was paid on 2025-08-31, school year 2024: paid again, 2500 (tier 1 senior, no tuition).
    data = household(
        student("P2", "senior", tuition="1000"), student("P3", "senior"),
        history=[
            {"programme": "education", "kind": "grant", "member": "P2", "date": "2025-09-10",
             "amount": "2500"},
            {"programme": "education", "kind": "tuition_waiver", "member": "P2", "date": "2025-09-10",
             "amount": "1000"},
            {"programme": "education", "kind": "grant", "member": "P3", "date": "2025-08-31",
             "amount": "2500"},
        ],
    )
    _, out = assess(data, "2026-03-01", DIBAO)
    education = out["programmes"]["education"]
    assert paid(education) == {("grant", "P3", None, "2500.00")}
    assert [v["member"] for v in reasons(education, "education.grant_already_paid")] == ["P2"]
    assert [v["member"] for v in reasons(education, "education.waiver_already_paid")] == ["P2"]


@pytest.mark.parametrize(("extra", "basis"),
                         [({"orphan": True}, "orphan"), ({"disability_grade": 4}, "disabled")])
def test_orphans_and_disabled_students_are_tier_1_without_a_status(assess, extra, basis):
    data = household(student("P2", "vocational", **extra))
    _, out = assess(data, "2025-09-20", {})
    education = out["programmes"]["education"]
    assert paid(education) == {("grant", "P2", None, "2000.00")}  # vocational tier 1
    assert reasons(education, "education.tier") == [
        {"member": "P2", "stage": "vocational", "tier": 1, "basis": basis}]


def test_no_status_no_grant_and_non_local_nothing(assess):
    _, out = assess(household(student("P2", "senior")), "2025-09-20", {})
    assert out["programmes"]["education"]["eligible"] is False
    _, out = assess(household(student("P2", "senior", orphan=True), hukou_local=False), "2025-09-20", DIBAO)
    assert out["programmes"]["education"]["eligible"] is False


def test_tier_2_undergraduate_grant(assess):
    # expenditure hardship: tier 2 undergraduate 2500 (as spec example 06)
    _, out = assess(household(student("P2", "undergraduate")), "2025-07-20",
                    {"household": ["expenditure_hardship"]})
    assert paid(out["programmes"]["education"]) == {("grant", "P2", None, "2500.00")}
