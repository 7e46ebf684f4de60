"""Properties of the basic-living rules over generated households (hypothesis).

The strategy below draws households around Demo City's standards: one to five members of every age and
capacity, wages, casual days, farm land, pensions and excluded allowances, household-level records, deposits,
vehicles and houses, medical and tuition expenses, and dibao enrolments with or without a gradual-exit start.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import assistkit_basic_living.hooks as hooks
import pytest
from assistkit_basic_living.parameters import DECLARATION
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from assistkit import io
from assistkit.determination import Determination
from assistkit.engine import Engine
from assistkit.policy import load_policy

ON_DATES = (dt.date(2025, 7, 15), dt.date(2025, 5, 20), dt.date(2025, 9, 20))
LATEST = dt.date(2025, 5, 20)
"""Every date in a generated household is on or before this, so it is valid for every ``on``."""

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXCLUDED = ("old_age_allowance", "disability_allowance", "one_child_reward", "scholarship")


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _yuan(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low * 100, high * 100).map(_money)


_MONTHS = ("2024-10", "2024-11", "2025-01", "2025-03", "2025-04", "2025-06", "2025-08")


@st.composite
def _period(draw: st.DrawFn) -> dict[str, str]:
    if draw(st.booleans()):
        return {"from": "2024-07", "to": "2025-12"}  # covers every window
    first = draw(st.sampled_from(_MONTHS))
    if draw(st.integers(0, 3)) == 0:
        return {"month": first}
    last = draw(st.sampled_from([m for m in _MONTHS if m >= first] + ["2025-12"]))
    return {"from": first, "to": last} if last != first else {"month": first}


@st.composite
def _income(draw: st.DrawFn, ids: list[str]) -> dict[str, Any]:
    member = draw(st.sampled_from([*ids, None]))
    category = draw(st.sampled_from(["wage", "wage", "business", "casual", "farm", "pension", "support",
                                     "transfer"]))
    record: dict[str, Any] = {"member": member, "category": category, **draw(_period())}
    if category == "casual" and draw(st.booleans()):
        record["days"] = draw(st.integers(0, 60))
    elif category == "farm" and draw(st.booleans()):
        record["land_mu"] = draw(st.sampled_from(["0", "1.5", "3", "6", "10"]))
    else:
        # Six months' income of about 0.5–3 × S for one or two people, and some small and large amounts.
        record["amount"] = draw(st.one_of(_yuan(0, 3000), _yuan(3000, 20000), _yuan(20000, 60000)))
    if draw(st.integers(0, 5)) == 0:
        record["kind"] = draw(st.sampled_from(EXCLUDED))
    return record


@st.composite
def _person(draw: st.DrawFn, pid: str, head: bool) -> dict[str, Any]:
    age = draw(st.sampled_from([1, 8, 15, 16, 17, 30, 45, 59, 60, 72, 88]))
    birth = dt.date(2024 - age, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    return {
        "id": pid,
        "name": "成员" + pid,
        "birth_date": birth.isoformat(),
        "relationship": "head" if head else draw(st.sampled_from(["spouse", "child", "parent", "other"])),
        "disability_grade": draw(st.sampled_from([None, None, None, None, 1, 2, 3, 4])),
        "serious_illness": draw(st.integers(0, 3)) == 0,
        "labour_capacity": draw(st.sampled_from(["full", "full", "partial", "none"])),
        "self_care": draw(st.sampled_from(["full", "partial", "none"])),
        "has_capable_supporter": draw(st.integers(0, 3)) > 0,
        "refused_job_offers": draw(st.sampled_from([0, 0, 0, 2, 3, 5])),
    }


@st.composite
def households(draw: st.DrawFn) -> dict[str, Any]:
    """A household as JSON-like data (household-format.md), valid for every date in ``ON_DATES``."""
    size = draw(st.integers(1, 5))
    ids = [f"P{i + 1}" for i in range(size)]
    members = [draw(_person(pid, i == 0)) for i, pid in enumerate(ids)]
    incomes = draw(st.lists(_income(ids), max_size=5))
    if draw(st.booleans()):
        # Household-level support over every window, about 0.6–1.7 × S per person a month: most households
        # then sit near the lines S and 1.5 × S, where the rules change.
        per_person = draw(st.integers(500, 1700))
        incomes.append({"member": None, "category": "support", "from": "2024-07", "to": "2025-12",
                        "amount": _money(per_person * size * 18 * 100)})
    assets = []
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(["deposit", "deposit", "deposit", "securities", "vehicle", "vehicle",
                                     "house", "commercial_property"]))
        asset: dict[str, Any] = {"kind": kind, "member": draw(st.sampled_from([*ids, None])),
                                 "value": draw(st.one_of(_yuan(0, 30000), _yuan(30000, 90000)))}
        if kind == "vehicle":
            asset["exempt"] = draw(st.booleans())
        assets.append(asset)
    expenses = []
    for i in range(draw(st.integers(0, 2))):
        total = draw(st.integers(0, 3000000))
        day = LATEST - dt.timedelta(days=draw(st.integers(0, 300)))
        kind = draw(st.sampled_from(["inpatient", "outpatient_chronic", "outpatient", "tuition"]))
        expense = {"id": f"E{i + 1}", "member": draw(st.sampled_from(ids)), "kind": kind,
                   "date": day.isoformat(), "total": _money(total)}
        if kind != "tuition":
            expense["insurance_paid"] = _money(draw(st.integers(0, total)))
        expenses.append(expense)
    enrolments = []
    if draw(st.integers(0, 2)) == 0:
        enrolment: dict[str, Any] = {"programme": "dibao", "since": "2024-06-01",
                                     "monthly_amount": draw(_yuan(50, 3000))}
        if draw(st.booleans()):
            start = LATEST - dt.timedelta(days=draw(st.integers(0, 250)))
            enrolment["gradual_exit_from"] = start.isoformat()
        enrolments.append(enrolment)
    return {
        "id": "H-prop",
        "residence": draw(st.sampled_from(["urban", "rural"])),
        "hukou_local": draw(st.integers(0, 9)) > 0,
        "members": members,
        "incomes": incomes,
        "assets": assets,
        "expenses": expenses,
        "enrolments": enrolments,
    }


on_dates = st.sampled_from(ON_DATES)


def _run(engine: Engine, data: dict[str, Any], on: dt.date) -> Determination:
    d = engine.assess(io.structure_household(data), on)
    assert not d.errors, d.errors
    return d


def _tekun(d: Determination) -> set[str]:
    return {m for m, s in d.member_statuses.items() if "tekun" in s}


def _regime(d: Determination) -> set[str | None]:
    return {rule for _, _, rule in d.programme("dibao").monthly_parts}


# ---------------------------------------------------------------------------------------------------------


@SETTINGS
@given(data=households(), on=on_dates, pick=st.integers(0, 100), raise_by=st.integers(1, 500000))
def test_dibao_monthly_never_increases_with_a_counted_income(engine: Engine, data: dict[str, Any],
                                                             on: dt.date, pick: int, raise_by: int) -> None:
    counted = [i for i, r in enumerate(data["incomes"]) if "amount" in r and "kind" not in r]
    assume(counted)
    before = _run(engine, data, on)
    richer = copy.deepcopy(data)
    record = richer["incomes"][counted[pick % len(counted)]]
    record["amount"] = _money(int(Decimal(record["amount"]) * 100) + raise_by)
    after = _run(engine, richer, on)
    # The statute's own cliffs are not asserted: a rise that changes who is tekun (§2.4), or that moves the
    # household between the unit benefit (§6.5), gradual exit (§6.7) and single-person inclusion (§6.6) —
    # see test_rules.test_statutory_cliff_from_unit_benefit_to_single_person.
    if _tekun(before) == _tekun(after) and _regime(before) == _regime(after):
        assert after.programme("dibao").monthly <= before.programme("dibao").monthly
    assert after.income is not None and before.income is not None
    if _tekun(before) == _tekun(after):
        assert after.income.per_capita >= before.income.per_capita


_RAISES = (Decimal("0.01"), Decimal("50"), Decimal("400"))


@pytest.fixture(scope="module")
def raised_engines(tmp_path_factory: pytest.TempPathFactory) -> list[Engine]:
    """Engines whose standards are raised by each of ``_RAISES`` on every effective date (override files)."""
    engines = []
    folder = tmp_path_factory.mktemp("policies")
    for i, delta in enumerate(_RAISES):
        path = folder / f"raise-{i}.toml"
        path.write_text(
            "[standard]\n"
            f'urban = {{ 2024-01-01 = "{1000 + delta}", 2025-07-01 = "{1050 + delta}" }}\n'
            f'rural = {{ 2024-01-01 = "{800 + delta}", 2025-07-01 = "{850 + delta}" }}\n',
            encoding="utf-8",
        )
        policy = load_policy("demo-city", [path], [DECLARATION])
        engines.append(Engine(plugins=[hooks], policy=policy))
    return engines


def test_raised_engines_raise_the_standard(raised_engines: list[Engine]) -> None:
    for engine, delta in zip(raised_engines, _RAISES, strict=True):
        assert engine.policy.at(dt.date(2025, 7, 15))["standard.urban"] == Decimal(1050) + delta


@SETTINGS
@given(data=households(), on=on_dates, which=st.integers(0, len(_RAISES) - 1))
def test_raising_the_standard_never_removes_dibao_or_marginal(
    engine: Engine, raised_engines: list[Engine], data: dict[str, Any], on: dt.date, which: int
) -> None:
    before = _run(engine, data, on)
    after = _run(raised_engines[which], data, on)
    # A higher S can make someone tekun (§5.1b), which changes the unit (§2.4): a better status for them and
    # a different unit for the rest, so only households whose tekun persons stay the same are compared.
    assume(_tekun(before) == _tekun(after))
    kept = {"dibao", "marginal"}
    if kept & set(before.household_statuses):
        assert kept & set(after.household_statuses)
    for member, held in before.member_statuses.items():
        if "dibao" in held:
            assert "dibao" in after.statuses_of(member) or "dibao" in after.household_statuses


@SETTINGS
@given(data=households(), on=on_dates)
def test_nobody_is_both_tekun_and_dibao(engine: Engine, data: dict[str, Any], on: dt.date) -> None:
    d = _run(engine, data, on)
    for held in d.member_statuses.values():
        assert not {"tekun", "dibao"} <= set(held)
    assert d.income is not None
    assert set(d.income.people).isdisjoint(_tekun(d))


@SETTINGS
@given(data=households(), on=on_dates)
def test_dibao_and_tekun_amounts_are_whole_yuan(engine: Engine, data: dict[str, Any], on: dt.date) -> None:
    d = _run(engine, data, on)
    enrolled = {e["monthly_amount"] for e in data["enrolments"]}
    for name in ("tekun", "dibao"):
        result = d.programme(name)
        for member, amount in result.monthly_by_member.items():
            if name == "dibao" and _regime(d) == {"dibao.gradual_exit"}:
                assert member is None and _money(int(amount * 100)) in enrolled  # the enrolled amount (§6.7)
            else:
                assert amount == amount.to_integral_value(), (name, member, amount)


def _amounts(d: Determination) -> dict[str, Any]:
    j = d.to_json()
    out: dict[str, Any] = {"statuses": (sorted(j["statuses"]["household"]), j["statuses"]["members"]),
                           "next_review": j["next_review"]}
    income = dict(j["income"])
    income["unit"] = sorted(income["unit"])
    out["income"] = income
    for name in ("tekun", "dibao", "low_income"):
        p = j["programmes"][name]
        out[name] = (p["eligible"], p["monthly"], p.get("monthly_by_member"), p.get("threshold"),
                     p.get("record"))
    return out


@SETTINGS
@given(data=households(), on=on_dates, order=st.randoms(use_true_random=False))
def test_permuting_members_changes_no_amount(engine: Engine, data: dict[str, Any], on: dt.date,
                                             order: Any) -> None:
    shuffled = copy.deepcopy(data)
    order.shuffle(shuffled["members"])
    order.shuffle(shuffled["incomes"])
    order.shuffle(shuffled["assets"])
    assert _amounts(_run(engine, data, on)) == _amounts(_run(engine, shuffled, on))


@pytest.fixture(scope="module")
def second_engine() -> Engine:
    return Engine(plugins=[hooks])


@SETTINGS
@given(data=households(), on=on_dates)
def test_assessing_twice_gives_identical_json(engine: Engine, second_engine: Engine, data: dict[str, Any],
                                              on: dt.date) -> None:
    household = io.structure_household(data)
    first = json.dumps(engine.assess(household, on).to_json(), ensure_ascii=False, sort_keys=True)
    again = json.dumps(engine.assess(household, on).to_json(), ensure_ascii=False, sort_keys=True)
    other = json.dumps(second_engine.assess(household, on).to_json(), ensure_ascii=False, sort_keys=True)
    assert first == again == other
