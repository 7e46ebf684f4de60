"""Worked tests of the basic-living rules, one per branch, with amounts computed by hand from the spec.

Dates: ``ON`` = 2025-07-15 (urban S 1050, rural S 850, casual wage 130, rigid deduction in force, window
2025-01 … 2025-06); ``BEFORE`` = 2025-05-20 (urban S 1000, rural S 800, casual wage 120, no rigid deduction,
window 2024-11 … 2025-04). Employment deduction cap 0.3 × S: 315 (urban, ON), 300 (urban, BEFORE).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

ON = dt.date(2025, 7, 15)
BEFORE = dt.date(2025, 5, 20)


def person(pid: str, birth: str, relationship: str = "other", **kw: Any) -> dict[str, Any]:
    return {"id": pid, "name": "测试" + pid, "birth_date": birth, "relationship": relationship, **kw}


def household(*members: dict[str, Any], residence: str = "urban", **kw: Any) -> dict[str, Any]:
    return {"id": "T-1", "residence": residence, "members": list(members), **kw}


def income(member: str | None, category: str, amount: str | None, first: str = "2025-01",
           last: str = "2025-06", **kw: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"member": member, "category": category, **kw}
    if amount is not None:
        record["amount"] = amount
    if first == last:
        record["month"] = first
    else:
        record["from"], record["to"] = first, last
    return record


def couple(**p1: Any) -> list[dict[str, Any]]:
    return [person("P1", "1985-03-02", "head", **p1), person("P2", "1987-06-10", "spouse")]


def rules(j: dict[str, Any], programme: str) -> list[str]:
    return [r["rule"] for r in j["programmes"][programme]["reasons"]]


def monthly(j: dict[str, Any], programme: str) -> str:
    return j["programmes"][programme]["monthly"]


def statuses(j: dict[str, Any]) -> tuple[list[str], dict[str, list[str]]]:
    return j["statuses"]["household"], j["statuses"]["members"]


def action(j: dict[str, Any], programme: str) -> list[tuple[str, str | None]]:
    return [(a["action"], a["member"]) for a in j["actions"] if a["programme"] == programme]


# ---------------------------------------------------------------------------------------------------------
# §6.7 gradual exit
# ---------------------------------------------------------------------------------------------------------

# P1's wage 15000 over the window: countable 2500, employment deduction min(2500, 315) = 315, net 2185,
# PCI 2185 / 2 = 1092.50 ≥ S 1050; P1 has work income, so an enrolled household is in gradual exit.
_EXITING = couple()
_WAGE_15000 = [income("P1", "wage", "15000")]


def _enrolled(gradual_exit_from: str | None = None, amount: str = "900") -> list[dict[str, Any]]:
    e: dict[str, Any] = {"programme": "dibao", "since": "2024-03-01", "monthly_amount": amount}
    if gradual_exit_from is not None:
        e["gradual_exit_from"] = gradual_exit_from
    return [e]


def test_gradual_exit_starts_now_and_asks_to_record_the_start(assess: Any) -> None:
    _, j = assess(household(*_EXITING, incomes=_WAGE_15000, enrolments=_enrolled()), ON)
    assert j["income"]["per_capita"] == "1092.50"
    assert monthly(j, "dibao") == "900.00"  # the enrolled amount
    assert statuses(j) == (["dibao"], {"P1": ["dibao"], "P2": ["dibao"]})  # §6.8: each unit member
    assert j["programmes"]["dibao"]["record"] == {"gradual_exit_from": "2025-07-15"}
    assert {"dibao.gradual_exit", "dibao.gradual_exit_record"} <= set(rules(j, "dibao"))
    assert action(j, "dibao") == [("keep", None)]
    assert j["programmes"]["low_income"]["eligible"] is False  # household dibao: no marginal (§7)
    assert j["next_review"] == "2026-01-15"


@pytest.mark.parametrize("start", ["2025-03-01", "2025-01-16"])
def test_gradual_exit_ongoing(assess: Any, start: str) -> None:
    # 2025-01-16 + 6 months = 2025-07-16 > ON: still inside (the end is exclusive).
    _, j = assess(household(*_EXITING, incomes=_WAGE_15000, enrolments=_enrolled(start)), ON)
    assert monthly(j, "dibao") == "900.00"
    assert statuses(j) == (["dibao"], {"P1": ["dibao"], "P2": ["dibao"]})
    assert "record" not in j["programmes"]["dibao"]
    assert "dibao.gradual_exit" in rules(j, "dibao")
    assert action(j, "dibao") == [("keep", None)]


@pytest.mark.parametrize("start", ["2025-01-15", "2024-10-01"])
def test_gradual_exit_expired(assess: Any, start: str) -> None:
    # 2025-01-15 + 6 months = 2025-07-15 = ON: ended (exclusive). PCI 1092.50 < 1.5 × 1050 = 1575: marginal.
    _, j = assess(household(*_EXITING, incomes=_WAGE_15000, enrolments=_enrolled(start)), ON)
    assert monthly(j, "dibao") == "0.00"
    assert j["programmes"]["dibao"]["eligible"] is False
    assert "dibao.gradual_exit_ended" in rules(j, "dibao")
    assert statuses(j) == (["marginal"], {})
    assert action(j, "dibao") == [("exit", None)]


def test_no_gradual_exit_without_work_income(assess: Any) -> None:
    # A pension of 15000: countable 2500, no employment deduction, PCI 1250 ≥ S, nobody works: exit.
    pension = [income("P1", "pension", "15000")]
    _, j = assess(household(*_EXITING, incomes=pension, enrolments=_enrolled()), ON)
    assert j["income"]["per_capita"] == "1250.00"
    assert j["programmes"]["dibao"]["eligible"] is False
    assert statuses(j) == (["marginal"], {})
    assert action(j, "dibao") == [("exit", None)]


def test_gradual_exit_takes_precedence_over_single_person_inclusion(assess: Any) -> None:
    members = [person("P1", "1985-03-02", "head"), person("P2", "1987-06-10", "spouse", serious_illness=True)]
    # PCI 1092.50 is in [S, 1.5 S). Enrolled: gradual exit at 900, every unit member dibao.
    _, j = assess(household(*members, incomes=_WAGE_15000, enrolments=_enrolled()), ON)
    assert monthly(j, "dibao") == "900.00"
    assert statuses(j) == (["dibao"], {"P1": ["dibao"], "P2": ["dibao"]})
    assert "dibao.single_person" not in rules(j, "dibao")
    # Not enrolled: P2 alone, max(0, 1050 − 0) + 0.20 × 1050 = 1260; the household is marginal.
    _, j = assess(household(*members, incomes=_WAGE_15000), ON)
    assert monthly(j, "dibao") == "1260.00"
    assert j["programmes"]["dibao"]["monthly_by_member"] == {"P2": "1260.00"}
    assert statuses(j) == (["marginal"], {"P2": ["dibao"]})


# ---------------------------------------------------------------------------------------------------------
# §6.2 covered members, §6.4 uplift, §6.5 floor
# ---------------------------------------------------------------------------------------------------------


def test_refused_job_offers_not_covered_but_in_the_divisor(assess: Any) -> None:
    members = [
        person("P1", "1985-03-02", "head", refused_job_offers=3),   # able to work, 3 ≥ 3: not covered
        person("P2", "1987-06-10", "spouse", refused_job_offers=2),  # below the limit: covered
        person("P3", "2015-01-01", "child"),                         # 10: covered, minor uplift
        person("P4", "1963-01-01", "parent", refused_job_offers=5),  # 62 cannot work: covered, elderly uplift
    ]
    # countable 3000 / 6 = 500, deduction 315, net 185, PCI 185 / 4 = 46.25 (P1 counts in the divisor).
    # gap (1050 − 46.25) × 3 = 3011.25; uplifts 0.15 × 1050 + 0.10 × 1050 = 262.50; 3273.75 → 3274.
    _, j = assess(household(*members, incomes=[income("P1", "wage", "3000")]), ON)
    assert j["income"]["unit"] == ["P1", "P2", "P3", "P4"]
    assert j["income"]["per_capita"] == "46.25"
    assert monthly(j, "dibao") == "3274.00"
    assert statuses(j) == (["dibao"], {"P2": ["dibao"], "P3": ["dibao"], "P4": ["dibao"]})
    assert "dibao.not_covered" in rules(j, "dibao")


def test_nobody_covered_household_status_without_money(assess: Any) -> None:
    # One able person who refused 3 offers, no income: §6.1 passes, nobody is covered: gap 0, no floor (§6.5);
    # §6.8 still puts dibao on the household.
    _, j = assess(household(person("P1", "1985-03-02", "head", refused_job_offers=3)), ON)
    assert j["programmes"]["dibao"]["eligible"] is True
    assert monthly(j, "dibao") == "0.00"
    assert statuses(j) == (["dibao"], {})
    assert "dibao.none_covered" in rules(j, "dibao")
    assert j["programmes"]["low_income"]["eligible"] is False


def test_uplift_is_the_largest_rate_not_the_sum(assess: Any) -> None:
    # 65, grade 1, seriously ill: rates 0.10, 0.30, 0.20 → 0.30 only. Pension 1800 / 6 = 300 = PCI.
    # gap 1050 − 300 = 750; uplift 0.30 × 1050 = 315; 1065 (the sum of rates would give 1380).
    p1 = person("P1", "1960-01-01", "head", disability_grade=1, serious_illness=True)
    _, j = assess(household(p1, incomes=[income("P1", "pension", "1800")]), ON)
    assert monthly(j, "dibao") == "1065.00"
    uplifts = [r["values"] for r in j["programmes"]["dibao"]["reasons"] if r["rule"] == "dibao.uplift"]
    assert uplifts == [{"member": "P1", "uplift": "uplift.severe_disability", "rate": "0.30", "S": "1050.00",
                        "amount": "315.00"}]


def test_uplift_minor_beats_disability_grade_3(assess: Any) -> None:
    # No income: gap 1050 × 2 = 2100; P2 (13, grade 3): max(0.15, 0.10) × 1050 = 157.50; 2257.50 → 2258.
    members = [person("P1", "1985-03-02", "head"), person("P2", "2012-01-01", "child", disability_grade=3)]
    _, j = assess(household(*members), ON)
    assert monthly(j, "dibao") == "2258.00"


def test_floor(assess: Any) -> None:
    # Wage 8130 / 6 = 1355, deduction 315, PCI 1040; gap 10 → 10 < floor 50 → 50.
    _, j = assess(household(person("P1", "1985-03-02", "head"), incomes=[income("P1", "wage", "8130")]), ON)
    assert j["income"]["per_capita"] == "1040.00"
    assert monthly(j, "dibao") == "50.00"
    assert "dibao.floor" in rules(j, "dibao")


# ---------------------------------------------------------------------------------------------------------
# §4 asset test (dibao M = 24, marginal M = 36; S 1050 → 25200 and 37800 per person)
# ---------------------------------------------------------------------------------------------------------

# The couple without income: PCI 0, gap 1050 × 2 = 2100 when the assets pass.
_ASSET_CASES = [
    ("deposits at the limit", [{"kind": "deposit", "value": "50400"}], "2100.00", ["dibao"]),
    # 50401 / 2 = 25200.50 > 25200, but ≤ 37800: marginal.
    ("deposits above", [{"kind": "deposit", "value": "50401"}], "0.00", ["marginal"]),
    ("deposit + securities above", [{"kind": "deposit", "value": "30000", "member": "P1"},
                                    {"kind": "securities", "value": "20401", "member": "P2"}], "0.00",
     ["marginal"]),
    ("vehicle above the limit", [{"kind": "vehicle", "value": "30001"}], "0.00", []),
    ("vehicle at the limit", [{"kind": "vehicle", "value": "30000"}], "2100.00", ["dibao"]),
    ("exempt vehicle", [{"kind": "vehicle", "value": "80000", "exempt": True}], "2100.00", ["dibao"]),
    ("one house", [{"kind": "house", "value": "400000"}], "2100.00", ["dibao"]),
    ("two houses", [{"kind": "house", "value": "400000"}, {"kind": "house", "value": "1", "member": "P2"}],
     "0.00", []),
    ("commercial property", [{"kind": "commercial_property", "value": "1000"}], "0.00", []),
]


@pytest.mark.parametrize(("case", "assets", "expected", "household_statuses"), _ASSET_CASES,
                         ids=[c[0] for c in _ASSET_CASES])
def test_asset_test(assess: Any, case: str, assets: list[dict[str, Any]], expected: str,
                    household_statuses: list[str]) -> None:
    _, j = assess(household(*couple(), assets=assets), ON)
    assert monthly(j, "dibao") == expected
    assert j["statuses"]["household"] == household_statuses
    dibao_threshold = j["programmes"]["dibao"]["threshold"]
    if expected == "0.00":
        assert dibao_threshold is None  # no income level qualifies when the asset test fails
        assert "dibao.assets_failed" in rules(j, "dibao")
    else:
        assert dibao_threshold == {"per_capita_below": "1050.00", "per_capita": "0.00", "distance": "1050.00",
                                   "status": "dibao"}
    if household_statuses == []:
        assert j["programmes"]["low_income"]["threshold"] is None
        assert "marginal.assets_failed" in rules(j, "low_income")


# ---------------------------------------------------------------------------------------------------------
# §3 income accounting seen through dibao
# ---------------------------------------------------------------------------------------------------------


def _farmers() -> list[dict[str, Any]]:
    return [person("P1", "1975-01-01", "head"), person("P2", "1977-01-01", "spouse")]


def _farm_and_casual() -> list[dict[str, Any]]:
    return [income("P1", "farm", None, "2025-01", "2025-12", land_mu="3"),
            income("P1", "casual", None, "2025-03", "2025-03", days=20)]


def test_farm_and_casual_imputation(assess: Any) -> None:
    # Rural, ON: farm 3 mu × 800 / 12 = 200 a month × 6 window months = 1200; casual 20 days × 130 = 2600.
    # countable 3800 / 6 = 633.33…; P1's work income 2600 / 6 = 433.33 > cap 0.3 × 850 = 255 → 255;
    # net 378.33…, PCI 189.1666… → 189.17; gap (850 − 189.17) × 2 = 1321.66 → 1322.
    _, j = assess(household(*_farmers(), residence="rural", incomes=_farm_and_casual()), ON)
    assert j["income"] == {"unit": ["P1", "P2"], "countable": "633.33", "employment_deduction": "255.00",
                           "rigid_deduction": "0.00", "per_capita": "189.17"}
    assert monthly(j, "dibao") == "1322.00"
    assert j["next_review"] == "2025-08-15"  # casual income: fluctuating, 1 month (§15.1)


def test_farm_and_casual_imputation_before_july(assess: Any) -> None:
    # Rural, BEFORE: window 2024-11 … 2025-04: farm 4 months × 200 = 800; casual 20 × 120 = 2400.
    # countable 3200 / 6 = 533.33…; work 400 > cap 0.3 × 800 = 240 → 240; net 293.33…, PCI 146.67;
    # gap (800 − 146.67) × 2 = 1306.66 → 1307.
    _, j = assess(household(*_farmers(), residence="rural", incomes=_farm_and_casual()), BEFORE)
    assert j["income"] == {"unit": ["P1", "P2"], "countable": "533.33", "employment_deduction": "240.00",
                           "rigid_deduction": "0.00", "per_capita": "146.67"}
    assert monthly(j, "dibao") == "1307.00"


def test_excluded_kinds_do_not_count(assess: Any) -> None:
    members = [person("P1", "1958-01-01", "head"), person("P2", "1960-03-01", "spouse")]
    incomes = [
        income("P1", "pension", "3000"),                                        # 500 a month: counted
        income("P1", "transfer", "1200", kind="old_age_allowance"),              # excluded
        income("P2", "transfer", "600", "2025-02", "2025-02", kind="disability_allowance"),
        income(None, "other", "1000", "2025-04", "2025-04", kind="one_child_reward"),
        income(None, "transfer", "5000", "2025-05", "2025-05", kind="government_award"),
        income("P2", "transfer", "900", "2025-03", "2025-03", kind="special_care_pension"),
    ]
    # countable 500, nobody works, PCI 250; gap (1050 − 250) × 2 = 1600; elderly 105 × 2; 1810.
    _, j = assess(household(*members, incomes=incomes), ON)
    assert j["income"]["countable"] == "500.00"
    assert j["income"]["per_capita"] == "250.00"
    assert monthly(j, "dibao") == "1810.00"
    assert j["next_review"] == "2026-07-15"  # nobody in the unit can work: 12 months


def _rigid_household(history: list[dict[str, Any]] | None = None, first: str = "2025-01",
                     last: str = "2025-06") -> dict[str, Any]:
    members = [*couple(), person("P3", "2017-01-01", "child")]
    expense = {"id": "E1", "member": "P2", "kind": "inpatient", "date": "2025-03-10", "total": "9000",
               "insurance_paid": "3000"}
    return household(*members, incomes=[income("P1", "wage", "12000", first, last)], expenses=[expense],
                     history=history or [])


def test_rigid_deduction_in_force(assess: Any) -> None:
    # ON: countable 2000, deduction 315, rigid (9000 − 3000) / 6 = 1000, net 685, PCI 228.33;
    # gap (1050 − 228.33) × 3 = 2465.01; P3 minor 157.50; 2622.51 → 2623.
    _, j = assess(_rigid_household(), ON)
    assert j["income"]["rigid_deduction"] == "1000.00"
    assert j["income"]["per_capita"] == "228.33"
    assert monthly(j, "dibao") == "2623.00"


def test_rigid_deduction_less_assistance_already_paid(assess: Any) -> None:
    # History paid 600 toward E1: rigid (9000 − 3000 − 600) / 6 = 900, net 785, PCI 261.67;
    # gap (1050 − 261.67) × 3 = 2364.99; + 157.50 = 2522.49 → 2522.
    paid = [{"programme": "medical", "kind": "treatment", "member": "P2", "need": "E1", "date": "2025-04-01",
             "amount": "600"}]
    _, j = assess(_rigid_household(paid), ON)
    assert j["income"]["rigid_deduction"] == "900.00"
    assert monthly(j, "dibao") == "2522.00"


def test_rigid_deduction_not_in_force_before_july(assess: Any) -> None:
    # 2025-06-15: S 1000, window 2024-12 … 2025-05; countable 2000, deduction min(2000, 300) = 300, no rigid
    # deduction, net 1700, PCI 566.67; gap (1000 − 566.67) × 3 = 1299.99; + 0.15 × 1000 = 1449.99 → 1450.
    _, j = assess(_rigid_household(first="2024-12", last="2025-05"), dt.date(2025, 6, 15))
    assert j["income"]["rigid_deduction"] == "0.00"
    assert j["income"]["per_capita"] == "566.67"
    assert monthly(j, "dibao") == "1450.00"


# ---------------------------------------------------------------------------------------------------------
# §5 tekun
# ---------------------------------------------------------------------------------------------------------


def test_tekun_minor_and_elderly_empty_unit(assess: Any) -> None:
    members = [
        person("P1", "1950-01-01", "head", has_capable_supporter=False),
        person("P2", "2015-05-05", "grandchild", has_capable_supporter=False, orphan=True),
    ]
    # P2's support 3600 / 6 = 600 < 1050. Each: round(1.3 × 1050) = 1365 + care (full) 120 = 1485.
    d, j = assess(household(*members, incomes=[income("P2", "support", "3600")]), ON)
    assert monthly(j, "tekun") == "2970.00"
    assert j["programmes"]["tekun"]["monthly_by_member"] == {"P1": "1485.00", "P2": "1485.00"}
    assert statuses(j) == ([], {"P1": ["tekun"], "P2": ["tekun"]})
    assert j["income"] == {"unit": [], "countable": "0.00", "employment_deduction": "0.00",
                           "rigid_deduction": "0.00", "per_capita": "0.00"}
    assert j["programmes"]["dibao"]["eligible"] is False
    assert j["programmes"]["low_income"]["eligible"] is False
    assert j["programmes"]["dibao"]["threshold"] is None
    assert j["programmes"]["low_income"]["threshold"] is None
    assert j["next_review"] == "2026-07-15"  # the unit is empty: stable, 12 months
    assert action(j, "tekun") == [("enrol", "P1"), ("enrol", "P2")]


@pytest.mark.parametrize(
    ("pension", "deposit", "tekun", "rule"),
    [
        ("6294", "0", True, "tekun.eligible"),            # own income 1049 < 1050
        ("6300", "0", False, "tekun.income_too_high"),    # own income 1050 = S: not below
        ("0", "25200", True, "tekun.eligible"),           # own assets 25200 ≤ 24 × 1050
        ("0", "25201", False, "tekun.assets_too_high"),
    ],
)
def test_tekun_conditions(assess: Any, pension: str, deposit: str, tekun: bool, rule: str) -> None:
    p1 = person("P1", "1950-01-01", "head", has_capable_supporter=False)
    incomes = [income("P1", "pension", pension)] if pension != "0" else []
    assets = [{"kind": "deposit", "value": deposit, "member": "P1"}] if deposit != "0" else []
    _, j = assess(household(p1, incomes=incomes, assets=assets), ON)
    assert rule in rules(j, "tekun")
    assert (monthly(j, "tekun") == "1485.00") is tekun
    assert (j["statuses"]["members"].get("P1") == ["tekun"]) is tekun
    if not tekun:
        # P1 stays in the unit: PCI 1050 (no dibao) or 0 with failing assets; below 1575 and within 36 × S.
        assert j["income"]["unit"] == ["P1"]
        assert statuses(j) == (["marginal"], {})


def test_capable_supporter_means_no_tekun(assess: Any) -> None:
    _, j = assess(household(person("P1", "1950-01-01", "head")), ON)
    assert "tekun.has_supporter" in rules(j, "tekun")
    assert j["statuses"]["household"] == ["dibao"]


def test_tekun_person_inside_a_dibao_household(assess: Any) -> None:
    members = [
        person("P1", "1980-01-01", "head"),
        person("P2", "1945-01-01", "parent", has_capable_supporter=False, self_care="partial"),
        person("P3", "2013-01-01", "child"),
    ]
    incomes = [income("P1", "wage", "6000"), income("P2", "pension", "3000")]
    assets = [{"kind": "deposit", "value": "20000", "member": "P2"}]
    # P2: own 500 < 1050, own assets 20000 ≤ 25200: tekun 1365 + 600 (partial) = 1965.
    # Unit P1, P3 (P2's pension and deposit are not the unit's): countable 1000, deduction 315, net 685,
    # PCI 342.50; gap (1050 − 342.50) × 2 = 1415; P3 minor 157.50; 1572.50 → 1573 (half up).
    _, j = assess(household(*members, incomes=incomes, assets=assets), ON)
    assert monthly(j, "tekun") == "1965.00"
    assert j["income"]["unit"] == ["P1", "P3"]
    assert j["income"]["per_capita"] == "342.50"
    assert monthly(j, "dibao") == "1573.00"
    assert statuses(j) == (["dibao"], {"P1": ["dibao"], "P2": ["tekun"], "P3": ["dibao"]})
    assert "dibao.tekun_excluded" in rules(j, "dibao")


# ---------------------------------------------------------------------------------------------------------
# §6.6 single-person inclusion, §7 marginal, §8 hardship, §2.5 non-local
# ---------------------------------------------------------------------------------------------------------


def test_single_person_inclusion_with_own_income(assess: Any) -> None:
    members = [
        person("P1", "1975-04-01", "head"),
        person("P2", "1977-08-12", "spouse"),
        person("P3", "2000-12-01", "child", disability_grade=2, labour_capacity="none"),
    ]
    incomes = [income("P1", "wage", "18000"), income("P2", "wage", "9000"), income("P3", "pension", "3600")]
    # countable 3000 + 1500 + 600 = 5100, deductions 630, net 4470, PCI 1490 in [1050, 1575).
    # P3: max(0, 1050 − 600) = 450 + 0.30 × 1050 = 315 → 765.
    _, j = assess(household(*members, incomes=incomes), ON)
    assert j["income"]["per_capita"] == "1490.00"
    assert monthly(j, "dibao") == "765.00"
    assert statuses(j) == (["marginal"], {"P3": ["dibao"]})


def test_single_person_band_upper_limit(assess: Any) -> None:
    # PCI exactly 1575 = 1.5 × S: neither §6.6 nor §7. One grade-1 member without income, one earner:
    # (w − 315) / 2 = 1575 → w = 3465 a month, 20790 in the window.
    members = [person("P1", "1985-03-02", "head"), person("P2", "1987-06-10", "spouse", disability_grade=1)]
    _, j = assess(household(*members, incomes=[income("P1", "wage", "20790")]), ON)
    assert j["income"]["per_capita"] == "1575.00"
    assert j["programmes"]["dibao"]["eligible"] is False
    assert statuses(j) == ([], {})


def test_statutory_cliff_from_unit_benefit_to_single_person(assess: Any) -> None:
    # The statute is not monotone at S: a unit just below S gets a small gap plus uplifts, just at S its
    # severely disabled member is included alone.
    # (w − 315) / 3 = 1049 → w 3462 a month (20772); (w − 315) / 3 = 1050 → w 3465 (20790).
    members = [person("P1", "1985-03-02", "head"), person("P2", "1987-06-10", "spouse"),
               person("P3", "2000-01-01", "child", disability_grade=1, labour_capacity="none")]
    _, below = assess(household(*members, incomes=[income("P1", "wage", "20772")]), ON)
    _, at = assess(household(*members, incomes=[income("P1", "wage", "20790")]), ON)
    assert below["income"]["per_capita"] == "1049.00"
    assert monthly(below, "dibao") == "318.00"   # (1050 − 1049) × 3 = 3 + 0.30 × 1050 = 315
    assert at["income"]["per_capita"] == "1050.00"
    assert monthly(at, "dibao") == "1365.00"     # 1050 + 315, P3 alone


@pytest.mark.parametrize(("members", "hardship"), [(3, True), (2, False)])
def test_hardship_before_the_rigid_deduction(assess: Any, members: int, hardship: bool) -> None:
    people = [person("P1", "1980-01-01", "head"), person("P2", "1982-01-01", "spouse"),
              person("P3", "2010-01-01", "child")][:members]
    incomes = [income("P1", "wage", "36000", "2024-11", "2025-04"),
               income("P2", "wage", "24000", "2024-11", "2025-04")]
    expense = {"id": "E1", "member": "P2", "kind": "inpatient", "date": "2025-02-10", "total": "60000",
               "insurance_paid": "20000"}
    # BEFORE: countable 10000, deductions 300 + 300, no rigid deduction (§3.6 not in force), but §8 still
    # counts rigid 40000 / 6 = 6666.67 > 0.5 × 10000; PCI without rigid 9400 / 3 = 3133.33 < 4000 (hardship)
    # or 9400 / 2 = 4700 ≥ 4000 (none). Both PCIs are ≥ 1.5 × 1000: not marginal.
    _, j = assess(household(*people, incomes=incomes, expenses=[expense]), BEFORE)
    assert j["income"]["rigid_deduction"] == "0.00"
    assert j["statuses"]["household"] == (["expenditure_hardship"] if hardship else [])
    assert ("hardship.eligible" if hardship else "hardship.not_eligible") in rules(j, "low_income")


def test_non_local_household_gets_no_status_but_an_income_section(assess: Any) -> None:
    members = [person("P1", "1985-03-02", "head"),
               person("P2", "1940-01-01", "parent", has_capable_supporter=False)]
    d, j = assess(household(*members, hukou_local=False), ON)
    assert j["income"]["unit"] == ["P1", "P2"]
    assert statuses(j) == ([], {})
    for name in ("tekun", "dibao", "low_income"):
        assert j["programmes"][name]["eligible"] is False
    assert j["programmes"]["dibao"]["threshold"] is None
    assert j["programmes"]["low_income"]["threshold"] is None
    assert j["next_review"] is None
    assert "dibao.non_local" in rules(j, "dibao")
