"""Worked cases of §12, each computed by hand. Urban household assessed on 2025-07-15: S = 1050, so the cap
is 6 × S = 6300, the major-case cap 12 × S = 12600 and the advance cap 2 × S = 2100."""

from __future__ import annotations

import datetime as dt
from typing import Any

import assistkit_basic_living.hooks
import assistkit_temporary.hooks
import pytest

from assistkit import io
from assistkit.engine import Engine

ON = "2025-07-15"


def household(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "H-T",
        "residence": "urban",
        "members": [{"id": "P1", "name": "张三", "birth_date": "1980-01-01", "relationship": "head"}],
    }
    data.update(fields)
    return data


def event(id: str, date: str, loss: str, compensated: str = "0") -> dict[str, Any]:
    return {"id": id, "kind": "fire", "date": date, "loss": loss, "compensated": compensated}


def bill(id: str, date: str, total: str, kind: str = "inpatient") -> dict[str, Any]:
    return {"id": id, "member": "P1", "kind": kind, "date": date, "total": total}


def past(need: str | None, date: str, amount: str, programme: str = "temporary") -> dict[str, Any]:
    return {"programme": programme, "kind": "grant", "need": need, "date": date, "amount": amount}


def grants(out: dict[str, Any]) -> list[tuple[str, str, str | None, str | None]]:
    payments = out["programmes"]["temporary"]["payments"]
    return [(p["need"], p["amount"], p["approval"], p["advance"]) for p in payments]


def rules(out: dict[str, Any]) -> list[str]:
    return [r["rule"] for r in out["programmes"]["temporary"]["reasons"]]


# -- §12.4 frequency limit ---------------------------------------------------------------------------------


def test_frequency_limit_counts_a_grant_in_history(assess):
    # F0 was granted 100 days ago (one grant in 365 days); max_grants = 2 leaves one: F1 (earlier) gets it.
    data = household(
        events=[event("F0", "2025-04-01", "500"), event("F1", "2025-06-01", "1000"),
                event("F2", "2025-07-01", "2000")],
        history=[past("F0", "2025-04-06", "500")],
    )
    _, out = assess(data, ON)
    assert grants(out) == [("F1", "1000.00", None, None)]
    limit = [r for r in out["programmes"]["temporary"]["reasons"] if r["rule"] == "temporary.limit"]
    assert [(r["values"]["need"], r["values"]["count"], r["values"]["history"]) for r in limit] == [
        ("F2", 2, 1)]
    assert out["needs"]["F2"]["remaining"] == "2000.00"


def test_history_grant_366_days_ago_does_not_count_but_365_does(assess):
    events = [event("F0", "2024-07-01", "500"), event("F1", "2025-06-01", "1000"),
              event("F2", "2025-07-01", "2000")]
    _, out = assess(household(events=events, history=[past("F0", "2024-07-14", "500")]), ON)  # 366 days
    assert grants(out) == [("F1", "1000.00", None, None), ("F2", "2000.00", None, None)]
    _, out = assess(household(events=events, history=[past("F0", "2024-07-15", "500")]), ON)  # 365 days
    assert grants(out) == [("F1", "1000.00", None, None)]


def test_payments_toward_one_need_are_one_grant_and_a_payment_without_need_is_one(assess):
    events = [event("F0", "2025-03-01", "5000"), event("F1", "2025-06-01", "1000"),
              event("F2", "2025-07-01", "2000")]
    # Advance relief and the rest of F0: two history payments, one grant.
    two_parts = [past("F0", "2025-03-02", "2000"), past("F0", "2025-03-20", "3000")]
    _, out = assess(household(events=events, history=two_parts), ON)
    assert [g[0] for g in grants(out)] == ["F1"]
    # Plus a grant naming no need: two grants in 365 days, none left.
    _, out = assess(household(events=events, history=[*two_parts, past(None, "2025-05-01", "800")]), ON)
    assert grants(out) == []
    assert out["programmes"]["temporary"]["eligible"] is False
    assert rules(out).count("temporary.limit") == 2


def test_same_date_needs_are_served_by_id(assess):
    data = household(events=[event("B", "2025-07-01", "100"), event("A", "2025-07-01", "200"),
                             event("F0", "2025-01-01", "10")],
                     history=[past("F0", "2025-01-02", "10")])
    _, out = assess(data, ON)
    assert [g[0] for g in grants(out)] == ["A"]


def test_a_need_with_nothing_remaining_gets_no_grant_and_does_not_count(assess):
    data = household(events=[event("F0", "2025-05-01", "1000", compensated="1000"),
                             event("F1", "2025-06-01", "1000"), event("F2", "2025-07-01", "2000")])
    _, out = assess(data, ON)
    assert [g[0] for g in grants(out)] == ["F1", "F2"]
    assert "temporary.covered" in rules(out)
    # The same when an earlier programme (here a stand-in for medical) paid all of a bill.
    data = household(expenses=[bill("E0", "2025-05-01", "3000")],
                     events=[event("F1", "2025-06-01", "1000"), event("F2", "2025-07-01", "2000")])
    _, out = assess(data, ON, {"household": ["dibao"]}, paid={"E0": "3000"})
    assert [g[0] for g in grants(out)] == ["F1", "F2"]


# -- §12.4 already granted -----------------------------------------------------------------------------------


def test_a_need_already_granted_in_history_is_skipped(assess):
    # F1 had 1000 of 5000 from temporary relief; 4000 remain, but it was granted: skipped. F2 gets the grant
    # left under the limit (F1's history grant counts); F3 is over the limit.
    data = household(
        events=[event("F1", "2025-05-01", "5000"), event("F2", "2025-06-01", "1500"),
                event("F3", "2025-07-01", "700")],
        history=[past("F1", "2025-05-03", "1000")],
    )
    _, out = assess(data, ON)
    assert out["needs"]["F1"] == {"amount": "4000.00", "paid": "0.00", "remaining": "4000.00",
                                  "kind": "emergency", "date": "2025-05-01"}
    assert grants(out) == [("F2", "1500.00", None, None)]
    assert rules(out)[0] == "temporary.already_granted"
    assert "temporary.limit" in rules(out)


def test_a_need_helped_by_another_programme_in_history_is_not_already_granted(assess):
    donation = past("F1", "2025-05-03", "1000", programme="donations") | {"kind": "allocation"}
    data = household(events=[event("F1", "2025-05-01", "5000")], history=[donation])
    _, out = assess(data, ON)
    assert grants(out) == [("F1", "4000.00", None, None)]


# -- §12.1 events within 90 days; §12.5 advance relief within 7 days
# -------------------------------------------


@pytest.mark.parametrize(("date", "granted"), [("2025-04-16", True), ("2025-04-15", False)])
def test_an_event_outside_the_90_day_window_gets_nothing(assess, date, granted):
    # 2025-04-16 is 90 days before 2025-07-15, 2025-04-15 is 91.
    _, out = assess(household(events=[event("F1", date, "3000")]), ON)
    assert grants(out) == ([("F1", "3000.00", None, None)] if granted else [])
    assert out["programmes"]["temporary"]["eligible"] is granted


@pytest.mark.parametrize(("date", "advance"), [("2025-07-15", "2100.00"), ("2025-07-08", "2100.00"),
                                               ("2025-07-07", None)])
def test_advance_relief_on_day_7_and_not_on_day_8(assess, date, advance):
    _, out = assess(household(events=[event("F1", date, "20000", compensated="5000")]), ON)
    assert grants(out) == [("F1", "6300.00", None, advance)]
    assert ("temporary.advance" in rules(out)) is (advance is not None)


def test_advance_relief_is_at_most_the_grant(assess):
    _, out = assess(household(events=[event("F1", "2025-07-14", "1000")]), ON)
    assert grants(out) == [("F1", "1000.00", None, "1000.00")]


def test_expenditure_needs_get_no_advance_relief(assess):
    _, out = assess(household(expenses=[bill("E1", "2025-07-14", "3000")]), ON, {"household": ["marginal"]})
    assert grants(out) == [("E1", "3000.00", None, None)]


# -- §2.5 non-local households; §12.2 statuses and the 365 days
# ------------------------------------------------


def test_a_nonlocal_household_gets_nothing_for_a_medical_bill(assess):
    data = household(hukou_local=False, expenses=[bill("E1", "2025-06-01", "10000")])
    _, out = assess(data, ON)
    assert grants(out) == []
    assert out["programmes"]["temporary"]["eligible"] is False
    assert rules(out) == ["temporary.nonlocal"]
    assert out["needs"]["E1"]["remaining"] == "10000.00"


def test_a_nonlocal_household_gets_emergency_relief_only(assess):
    data = household(hukou_local=False, expenses=[bill("E1", "2025-06-01", "10000")],
                     events=[event("F1", "2025-07-01", "2000")])
    _, out = assess(data, ON)
    assert grants(out) == [("F1", "2000.00", None, None)]


def test_expenditure_relief_needs_a_status_of_the_household_or_a_member(assess):
    data = household(expenses=[bill("E1", "2025-06-01", "4000", kind="outpatient"),
                               bill("T1", "2025-03-01", "2500", kind="tuition")])
    _, out = assess(data, ON)
    assert grants(out) == []
    assert rules(out) == ["temporary.no_status"]
    _, out = assess(data, ON, {"P1": ["dibao"]})
    assert grants(out) == [("T1", "2500.00", None, None), ("E1", "4000.00", None, None)]


@pytest.mark.parametrize(("date", "granted"), [("2024-07-15", True), ("2024-07-14", False)])
def test_expenditure_needs_within_365_days(assess, date, granted):
    data = household(expenses=[bill("E1", date, "4000")])
    _, out = assess(data, ON, {"household": ["expenditure_hardship"]})
    assert bool(grants(out)) is granted


# -- §12.3 caps, major cases and rounding
# ----------------------------------------------------------------------


def test_major_case_needs_a_status(assess):
    data = household(events=[event("F1", "2025-06-01", "20000")])
    _, out = assess(data, ON)
    assert grants(out) == [("F1", "6300.00", None, None)]
    _, out = assess(data, ON, {"household": ["marginal"]})
    assert grants(out) == [("F1", "12600.00", "county", None)]
    assert "temporary.major" in rules(out)
    # Above 6 × S but under 12 × S: the whole remaining need, with county approval.
    _, out = assess(household(events=[event("F1", "2025-06-01", "8000")]), ON, {"household": ["marginal"]})
    assert grants(out) == [("F1", "8000.00", "county", None)]


@pytest.mark.parametrize(("loss", "grant"), [("1234.40", "1234.00"), ("1234.50", "1234.50"),
                                             ("1234.60", "1234.60"), ("6300.49", "6300.00")])
def test_grant_is_rounded_to_yuan_but_never_above_what_remains(assess, loss, grant):
    _, out = assess(household(events=[event("F1", "2025-06-01", loss)]), ON)
    assert grants(out) == [("F1", grant, None, None)]
    assert not [r for r in out["programmes"]["temporary"]["reasons"] if r["rule"] == "linkage.clamped"]


def test_temporary_pays_what_earlier_programmes_left(assess):
    data = household(expenses=[bill("E1", "2025-06-01", "10000")])
    _, out = assess(data, ON, {"household": ["dibao"]}, paid={"E1": "7000.50"})
    assert grants(out) == [("E1", "2999.50", None, None)]
    assert out["needs"]["E1"]["remaining"] == "0.00"


def test_the_rural_standard_and_a_later_date_change_the_caps(assess):
    # Rural S on 2025-05-20 is 800 (850 from 2025-07-01): cap 4800, advance cap 1600.
    data = household(residence="rural", events=[event("F1", "2025-05-18", "9000")])
    _, out = assess(data, "2025-05-20")
    assert grants(out) == [("F1", "4800.00", None, "1600.00")]


def test_a_policy_override_changes_the_limit(tmp_path):
    override = tmp_path / "county.toml"
    override.write_text("[temporary]\nmax_grants = { 2025-01-01 = 3 }\n", encoding="utf-8")
    engine = Engine(plugins=[assistkit_basic_living.hooks, assistkit_temporary.hooks],
                    policy_files=[override])
    data = household(events=[event(f"F{i}", f"2025-07-0{i}", "100") for i in range(1, 5)])
    out = engine.assess(io.structure_household(data), dt.date.fromisoformat(ON)).to_json()
    assert [g[0] for g in grants(out)] == ["F1", "F2", "F3"]
