"""Disaster-victim relief (§D): the spec's worked examples, and one worked case per clause.

The cases are on 2025-07-15 in Demo City unless they say otherwise: rural S = 850, marginal line 1.5 × S = 1275,
``disaster.transitional_daily`` 25 (20 before 2025-07-01), 90 days, 300 per member, repair 5000, rebuild 20000,
bereavement 10000. Statuses come from the real basic-living plugin.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import assistkit_basic_living.hooks
import assistkit_disaster.hooks
import assistkit_education.hooks
import assistkit_housing.hooks
import assistkit_medical.hooks
import assistkit_temporary.hooks
import pytest
from assistkit_disaster.programme import RULES

from assistkit import io
from assistkit.engine import Engine
from assistkit.errors import InvalidHousehold
from assistkit.explain import render_reason
from assistkit.testing.examples import Example, load_examples, owned_differences
from assistkit.testing.invariants import assert_needs_conserved, assert_never_overpays

EXAMPLES = Path(__file__).resolve().parents[3] / "tests" / "examples"
ON = dt.date(2025, 7, 15)
SPECIAL = [assistkit_basic_living.hooks, assistkit_medical.hooks, assistkit_education.hooks,
           assistkit_housing.hooks, assistkit_disaster.hooks]


STATING = [ex for ex in load_examples(EXAMPLES) if "disaster" in ex.expected["programmes"]]
"""The examples that state disaster relief (09–11; 01–08 predate the addenda)."""


def test_there_are_examples():
    assert {"09", "10", "11"} <= {ex.name[:2] for ex in STATING}


@pytest.mark.parametrize("later", [("temporary", "donations"), ("donations",)], ids=["alone", "with-temporary"])
@pytest.mark.parametrize("example", STATING, ids=lambda ex: ex.name)
def test_example(example: Example, later: tuple[str, ...]) -> None:
    """Disaster relief and the needs equal the example's, before temporary relief pays and after (§D.7)."""
    plugins = SPECIAL if "temporary" in later else [*SPECIAL, assistkit_temporary.hooks]
    d = Engine(plugins=plugins).assess(io.structure_household(example.household), example.on)
    assert not d.errors, d.errors
    assert owned_differences(d, example, ("disaster",), before=later) == []
    out = d.to_json()["programmes"]["disaster"]
    expected = example.expected["programmes"]["disaster"]
    # Exactly, in the order paid.
    assert [{k: p[k] for k in ("kind", "member", "need", "amount")} for p in out["payments"]] \
        == expected["payments"]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(plugins=[*SPECIAL, assistkit_temporary.hooks])


def person(pid, birth="1975-05-05", relationship="head", **extra):
    return {"id": pid, "name": "李" + pid, "birth_date": birth, "relationship": relationship, **extra}


FAMILY = [person("P1"), person("P2", "1977-01-01", "spouse"), person("P3", "2012-01-01", "child")]
RICH = [{"member": "P1", "category": "wage", "amount": "60000", "from": "2025-01", "to": "2025-06"}]
"""10 000 a month: PCI (10 000 − 255) / 3 = 3248.33, far above the marginal line; no status."""


def household(*, events, members=FAMILY, incomes=(), tenure="owned", **extra):
    data = {"id": "H-D", "residence": "rural", "members": list(members), "incomes": list(incomes),
            "events": list(events), **extra}
    if tenure is not None:
        data["housing"] = {"tenure": tenure}
    return data


def flood(damage="none", *, date="2025-07-05", loss="60000", compensated="0", deceased=0, eid="F1"):
    return {"id": eid, "kind": "disaster", "date": date, "loss": loss, "compensated": compensated,
            "house_damage": damage, "deceased": deceased}


def run(engine, data, on=ON):
    d = engine.assess(io.structure_household(data), on)
    assert not d.errors, d.errors
    assert_needs_conserved(d)
    assert_never_overpays(d)
    return d, d.to_json("en")


def payments(out, name="disaster"):
    return [(p["kind"], p["need"], p["amount"]) for p in out["programmes"][name]["payments"]]


def rules(out):
    return [r["rule"] for r in out["programmes"]["disaster"]["reasons"]]


def test_example_09_in_full(engine):
    raw = json.loads((EXAMPLES / "09-rural-disaster-collapsed.json").read_text(encoding="utf-8"))
    data = io.structure_household(raw["household"])
    d = engine.assess(data, ON)
    out = d.to_json("en")
    # Bereavement, emergency and transitional living relief name F1 but do not count toward it; the rebuild
    # grant does, and temporary relief pays the major-case cap 12 × 850 from what remains.
    assert payments(out) == [("bereavement", "F1", "10000.00"), ("emergency_living", "F1", "900.00"),
                             ("transitional_living", "F1", "6750.00"), ("dwelling", "F1", "20000.00")]
    assert {k: out["needs"]["F1"][k] for k in ("amount", "paid", "remaining")} == {
        "amount": "50000.00", "paid": "30200.00", "remaining": "19800.00"}
    assert rules(out) == ["disaster.event", "disaster.bereavement", "disaster.emergency",
                          "disaster.transitional", "disaster.dwelling"]
    text = {r["rule"]: r["text"] for r in out["programmes"]["disaster"]["reasons"]}
    assert text["disaster.transitional"] == (
        "F1: dwelling collapsed and the household holds dibao: transitional living relief = 25.00 yuan a person "
        "a day × 90 days × 3 members = 6750.00 yuan (not toward the need)")
    assert text["disaster.dwelling"] == (
        "F1: own dwelling collapsed: dwelling grant 20000.00 yuan toward the need (50000.00 yuan remaining "
        "before it), paid 20000.00 yuan")
    zh = d.explain("zh")
    assert "支付倒损住房恢复重建，用于 F1：20000.00 元" in zh
    assert "支付遇难人员家属抚慰，因 F1（不计入该需求）：10000.00 元" in zh


def test_emergency_living_relief_for_any_disaster_even_non_local(engine):
    d, out = run(engine, household(events=[flood()], incomes=RICH, hukou_local=False))
    assert payments(out) == [("emergency_living", "F1", "900.00")]
    # Living relief is not toward the need: the whole loss remains for temporary relief (non-local: §12.1 only).
    assert out["needs"]["F1"]["paid"] == payments(out, "temporary")[0][2]


def test_the_window_is_ninety_days_inclusive(engine):
    on_edge = flood(date=(ON - dt.timedelta(days=90)).isoformat())
    assert payments(run(engine, household(events=[on_edge], incomes=RICH))[1])[0][0] == "emergency_living"
    too_old = flood(date=(ON - dt.timedelta(days=91)).isoformat())
    _, out = run(engine, household(events=[too_old], incomes=RICH))
    assert out["programmes"]["disaster"]["eligible"] is False
    assert out["programmes"]["disaster"]["reasons"] == [{
        "rule": "disaster.outside",
        "text": "F1: the disaster of 2025-04-15 (91 days ago) is more than 90 days old: no disaster-victim relief",
        "values": {"need": "F1", "date": "2025-04-15", "days": 91, "relief_days": 90},
    }]


def test_other_events_open_nothing(engine):
    fire = {"id": "F1", "kind": "fire", "date": "2025-07-05", "loss": "8000"}
    _, out = run(engine, household(events=[fire], incomes=RICH))
    assert out["programmes"]["disaster"] == {**out["programmes"]["disaster"], "eligible": False, "payments": []}


def test_light_damage_opens_living_relief_only(engine):
    _, out = run(engine, household(events=[flood("damaged")], incomes=RICH))
    assert payments(out) == [("emergency_living", "F1", "900.00")]
    assert rules(out)[-1] == "disaster.light_damage"


def test_transitional_relief_needs_a_status_or_low_income(engine):
    _, out = run(engine, household(events=[flood("severe")], incomes=RICH))
    assert "transitional_living" not in [k for k, _, _ in payments(out)]
    reason = out["programmes"]["disaster"]["reasons"][2]
    assert reason["rule"] == "disaster.no_transitional"
    assert reason["values"]["per_capita"] == "3248.33" and reason["values"]["line"] == "1275.00"
    # The repair grant does not depend on income: the house is owned and severely damaged.
    assert payments(out)[-1] == ("dwelling", "F1", "5000.00")


def test_transitional_relief_below_the_marginal_line_without_a_status(engine, tmp_path):
    # PCI 1100 ≥ S (no dibao), < 1275; the asset test fails (a second house), so no marginal status either.
    incomes = [{"member": "P1", "category": "pension", "amount": "19800", "from": "2025-01", "to": "2025-06"}]
    data = household(events=[flood("collapsed")], incomes=incomes,
                     assets=[{"kind": "house", "value": "1"}, {"kind": "house", "value": "1"}])
    d, out = run(engine, data)
    assert d.household_statuses == () and not d.member_statuses
    assert ("transitional_living", "F1", "6750.00") in payments(out)
    reason = next(r for r in out["programmes"]["disaster"]["reasons"]
                  if r["rule"] == "disaster.transitional_income")
    assert reason["text"].startswith("F1: dwelling collapsed and the per-capita income 1100.00 yuan is below "
                                     "1.50 × S 850.00 = 1275.00 yuan")


def test_transitional_relief_before_july_2025_is_at_twenty_a_day(engine):
    _, out = run(engine, household(events=[flood("severe", date="2025-06-20")]), on=dt.date(2025, 6, 25))
    assert ("transitional_living", "F1", "5400.00") in payments(out)  # 20 × 90 × 3


def test_dwelling_only_for_an_owned_home(engine):
    _, out = run(engine, household(events=[flood("collapsed")], tenure="rented"))
    assert "dwelling" not in [k for k, _, _ in payments(out)]
    assert out["programmes"]["disaster"]["reasons"][-1]["values"]["tenure"] == "rented"
    _, out = run(engine, household(events=[flood("collapsed")], tenure=None))
    assert out["programmes"]["disaster"]["reasons"][-1]["rule"] == "disaster.not_owned"


def test_dwelling_is_limited_to_what_remains_of_the_need(engine):
    # loss 30 000, compensated 18 000: a need of 12 000, less than the rebuild grant.
    _, out = run(engine, household(events=[flood("collapsed", loss="30000", compensated="18000")]))
    assert ("dwelling", "F1", "12000.00") in payments(out)
    assert out["needs"]["F1"]["remaining"] == "0.00"
    assert payments(out, "temporary") == []


def test_dwelling_not_paid_when_nothing_remains(engine):
    _, out = run(engine, household(events=[flood("severe", loss="30000", compensated="30000")]))
    assert "dwelling" not in [k for k, _, _ in payments(out)]
    assert rules(out)[-1] == "disaster.dwelling_covered"


def test_bereavement_per_person_deceased(engine):
    _, out = run(engine, household(events=[flood(deceased=2)], incomes=RICH))
    assert payments(out)[0] == ("bereavement", "F1", "20000.00")


def test_history_skips_a_part_already_paid_and_living_relief_is_not_toward_the_need(engine):
    history = [
        {"programme": "disaster", "kind": "emergency_living", "need": "F1", "date": "2025-07-06", "amount": "900"},
        {"programme": "disaster", "kind": "bereavement", "need": "F1", "date": "2025-07-06", "amount": "10000"},
        {"programme": "disaster", "kind": "transitional_living", "need": "F1", "date": "2025-07-06",
         "amount": "6750"},
    ]
    _, out = run(engine, household(events=[flood("collapsed", deceased=1)], history=history))
    assert payments(out) == [("dwelling", "F1", "20000.00")]
    # The history's living relief did not reduce the need: 60 000, of which the rebuild grant is toward it.
    assert out["needs"]["F1"]["amount"] == "60000.00"
    skipped = [r for r in out["programmes"]["disaster"]["reasons"] if r["rule"] == "disaster.already_paid"]
    assert [r["values"]["kind"] for r in skipped] == ["bereavement", "emergency_living", "transitional_living"]
    assert skipped[0]["text"] == ("F1: bereavement consolation of 10000.00 yuan was already paid on 2025-07-06 "
                                  "(history): not paid again")


def test_a_dwelling_grant_in_history_counts_toward_the_need_and_is_not_paid_again(engine):
    history = [{"programme": "disaster", "kind": "dwelling", "need": "F1", "date": "2025-07-06",
                "amount": "20000"}]
    _, out = run(engine, household(events=[flood("collapsed")], history=history))
    assert "dwelling" not in [k for k, _, _ in payments(out)]
    assert out["needs"]["F1"]["amount"] == "40000.00"


def test_two_disasters_in_date_order(engine):
    events = [flood("severe", eid="F2", date="2025-07-01"), flood(eid="F1", date="2025-05-01")]
    _, out = run(engine, household(events=events, incomes=RICH))
    assert [n for _, n, _ in payments(out)] == ["F1", "F2", "F2"]


def test_every_reason_renders_in_both_languages_without_placeholders(engine):
    cases = [household(events=[flood("collapsed", deceased=1)]),
             household(events=[flood("severe")], incomes=RICH, tenure="rented"),
             household(events=[flood("damaged", date="2025-01-01")], incomes=RICH)]
    seen = set()
    for data in cases:
        d, _ = run(engine, data)
        result = next(r for r in d.programmes if r.name == "disaster")
        for reason in result.reasons:
            seen.add(reason.rule)
            for lang in ("zh", "en"):
                text = render_reason(reason, engine.rules, lang)
                assert "{" not in text, text
                if lang == "zh":
                    assert not any(word in text for word in ("collapsed", "severe", "rented", "dibao")), text
    assert seen <= set(RULES)


def test_house_damage_and_deceased_only_on_a_disaster():
    fire = {"id": "F1", "kind": "fire", "date": "2025-07-05", "loss": "8000", "house_damage": "severe",
            "deceased": 1}
    with pytest.raises(InvalidHousehold) as caught:
        io.structure_household(household(events=[fire]))
    problems = dict(caught.value.problems)
    assert problems == {
        "events[0].house_damage": "only for kind 'disaster'; got kind 'fire' with 'severe'",
        "events[0].deceased": "only for kind 'disaster'; got kind 'fire' with 1",
    }
    with pytest.raises(InvalidHousehold, match="house_damage"):
        io.structure_household(household(events=[flood("flooded")]))
