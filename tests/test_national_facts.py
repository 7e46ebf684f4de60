"""The facts of the national rules in the household format (reference/china-rules.md §2–§5) and the rules that
read them: obligors and the support they are assessed to pay (§3.6), marital status and single parents, the ADL
items behind self-care (§5.5), an event's expected duration of hardship (§5.6); strict reading with paths, the
written form, Demo City unchanged, sample-district to the fen, and the properties of each rule."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from assistkit_basic_living.programme import adl_self_care
from assistkit_disaster.programme import DAYS_PER_MONTH, transitional_days
from assistkit_temporary.programme import duration_cap
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit import io
from assistkit.engine import Engine
from assistkit.errors import InvalidHousehold
from assistkit.household import Adl, MaritalStatus, Obligor, ObligorRelationship, SelfCare, Status
from assistkit.means import account_income
from assistkit.policy import load_policy
from assistkit.support import SupportValues, obligor_capacity
from assistkit.testing.strategies import households

LOCALITIES = Path(__file__).resolve().parent / "localities"
BASIC = ["tekun", "dibao", "low_income"]
ON = dt.date(2024, 9, 15)
D = Decimal

HEAD = {"id": "P1", "name": "孙老太", "birth_date": "1949-05-01", "relationship": "head"}


def household(**fields: Any) -> dict[str, Any]:
    return {"id": "S1", "locality": "sample-district", "residence": "urban", "members": [HEAD], **fields}


def problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(InvalidHousehold) as info:
        io.structure_household(data)
    return list(info.value.problems)


@pytest.fixture(scope="module")
def sample() -> Engine:
    return Engine(locality="sample-district", only=BASIC)


# -- reading and writing ------------------------------------------------------------------------------------


def test_the_facts_read_into_the_model() -> None:
    adl = {"eating": True, "dressing": False, "transferring": False, "toileting": False, "walking": True,
           "bathing": False}
    read = io.structure_household(household(
        members=[{**HEAD, "marital_status": "widowed", "single_parent": True, "adl": adl}],
        obligors=[{"relationship": "child", "member": "P1", "household_income": "9000", "household_size": 3,
                   "households_supported": 2, "statuses": ["marginal"], "agreed_amount": "300"}],
        events=[{"id": "V1", "kind": "fire", "date": "2024-09-01", "loss": "5000", "duration_months": 3}]))
    person = read.members[0]
    assert person.marital_status is MaritalStatus.WIDOWED and person.single_parent
    assert person.adl == Adl(True, False, False, False, True, False) and person.adl.failed == 4
    assert read.obligors == (Obligor(ObligorRelationship.CHILD, D("9000.00"), 3, "P1", 2, (Status.MARGINAL,),
                                     D("300.00")),)
    assert read.events[0].duration_months == 3


def test_bad_facts_are_named_with_their_paths() -> None:
    got = problems(household(
        members=[{**HEAD, "marital_status": "single", "single_parent": 1, "adl": {"eating": True}}],
        obligors=[{"relationship": "son", "member": "P9", "household_income": "-5", "household_size": 0,
                   "households_supported": True, "statuses": ["rich"], "agreed_amount": "1.234"},
                  {"household_income": "100"}],
        events=[{"id": "V1", "kind": "fire", "date": "2024-09-01", "loss": "1", "duration_months": -1}]))
    paths = dict(got)
    assert paths["members[0].marital_status"].startswith("expected one of unmarried, married, divorced, widowed")
    assert paths["members[0].single_parent"] == "expected true or false; got 1"
    assert paths["members[0].adl.bathing"] == "required field missing"
    assert paths["obligors[0].relationship"].startswith("expected one of child, grandchild")
    assert paths["obligors[0].household_income"] == "must be ≥ 0; got '-5'"
    assert paths["obligors[0].household_size"] == "must be ≥ 1; got 0"
    assert paths["obligors[0].households_supported"] == "expected a whole number ≥ 1; got true"
    assert paths["obligors[0].statuses[0]"].startswith("expected one of tekun, dibao")
    assert "obligors[0].agreed_amount" in paths
    assert paths["obligors[0].member"] == "no member has id 'P9' (ids: P1)"
    assert paths["obligors[1].relationship"] == "required field missing"
    assert paths["obligors[1].household_size"] == "required field missing"
    assert paths["events[0].duration_months"] == "must be ≥ 0; got -1"


def test_a_household_without_the_facts_is_written_as_before() -> None:
    plain = io.unstructure_household(io.structure_household(household(
        events=[{"id": "V1", "kind": "fire", "date": "2024-09-01", "loss": "1"}])))
    assert "obligors" not in plain and "duration_months" not in plain["events"][0]
    assert not {"marital_status", "single_parent", "adl"} & set(plain["members"][0])


@settings(max_examples=60, deadline=None)
@given(households(on=ON))
def test_drawn_households_round_trip_with_the_facts(drawn: Any) -> None:
    assert io.structure_household(json.loads(json.dumps(io.unstructure_household(drawn)))) == drawn


# -- §3.6 support payments ----------------------------------------------------------------------------------


def _dibao(engine: Engine, data: dict[str, Any]) -> tuple[str, str]:
    out = engine.assess(io.structure_household(data), ON).to_json()
    return out["income"]["per_capita"], out["programmes"]["dibao"]["monthly"]


def test_support_is_assessed_from_the_obligors_in_sample_district(sample: Engine) -> None:
    """B1 §12: a son's household of 3 earning 12000 and supporting 2 households; a daughter's household on
    dibao. (12000 − 1.5 × 1450 × 3) × 20 % ÷ 2 = 547.50; the daughter 0. Dibao: 1450 − 547.50 = 902.50 plus
    the elderly uplift 0.25 × 1450 = 362.50."""
    obligors = [{"relationship": "child", "member": "P1", "household_income": "12000", "household_size": 3,
                 "households_supported": 2},
                {"relationship": "child", "member": "P1", "household_income": "3000", "household_size": 2,
                 "statuses": ["dibao"]}]
    assert _dibao(sample, household(obligors=obligors)) == ("547.50", "1265.00")
    # Support received above the assessment counts as received (B1 §12: "use actual").
    received = [{"member": "P1", "category": "support", "amount": "7200", "from": "2023-09", "to": "2024-08"}]
    assert _dibao(sample, household(obligors=obligors, incomes=received)) == ("600.00", "1212.50")
    # An agreed amount above the computed one counts (a court order, a mediation).
    agreed = [{**obligors[0], "agreed_amount": "800"}]
    assert _dibao(sample, household(obligors=agreed)) == ("800.00", "1012.50")
    # An obligor household below its allowance (1.5 × S each) can pay nothing.
    poor = [{**obligors[0], "household_income": "6525"}]
    assert _dibao(sample, household(obligors=poor)) == ("0.00", "1812.50")


def test_support_reasons_say_how_in_both_languages(sample: Engine) -> None:
    data = household(obligors=[{"relationship": "child", "member": "P1", "household_income": "12000",
                                "household_size": 3}])
    determination = sample.assess(io.structure_household(data), ON)
    zh, en = determination.explain(), determination.explain("en")
    assert "(家庭月收入 12000.00 − 2175.00 × 3 人) × 0.20 ÷ 应赡养家庭 1 户 = 1095.00 元" in zh
    assert "义务人（子女）" in zh and "计入收入 1095.00 元" in zh
    assert "the obligor (child) of member P1" in en and "1095.00 yuan added to income" in en


def test_demo_city_counts_only_the_support_received() -> None:
    engine = Engine()
    demo = json.loads((Path(__file__).with_name("examples") / "01-urban-dibao-wage.json").read_text("utf-8"))
    plain = io.structure_household(demo["household"])
    on = dt.date.fromisoformat(demo["on"])
    rich = Obligor(ObligorRelationship.CHILD, D("90000"), 1)
    with_obligors = attrs.evolve(plain, obligors=(rich,))
    assert engine.assess(with_obligors, on).to_json_text() == engine.assess(plain, on).to_json_text()


# -- §5.5 self-care from the ADL items ----------------------------------------------------------------------


def _e10(adl: dict[str, bool] | None, self_care: str | None = None) -> Any:
    data = json.loads((LOCALITIES / "e10-tekun.json").read_text(encoding="utf-8"))
    person = data["household"]["members"][0]
    person.pop("self_care")
    if self_care is not None:
        person["self_care"] = self_care
    if adl is not None:
        person["adl"] = adl
    return io.structure_household(data["household"])


ITEMS = ("eating", "dressing", "transferring", "toileting", "walking", "bathing")


def _failing(*failed: str) -> dict[str, bool]:
    return {item: item not in failed for item in ITEMS}


def test_e10_with_its_adl_items(sample: Engine) -> None:
    """china-rules §9 E10: fails 4 of 6 ADLs (bathing, dressing, toilet, transfer) → complete loss →
    care 0.60 × 2420 = 1452.00, total 3627.00; with 2 failed: partial, care 968.00. The ADL items decide,
    whatever ``self_care`` says."""
    four = _e10(_failing("bathing", "dressing", "toileting", "transferring"), self_care="full")
    tekun = sample.assess(four, ON).to_json()["programmes"]["tekun"]
    assert tekun["monthly"] == "3627.00"
    adl = next(r for r in tekun["reasons"] if r["rule"] == "tekun.adl")
    assert adl["values"]["failed"] == 4 and adl["values"]["self_care"] == "none"
    two = sample.assess(_e10(_failing("bathing", "dressing")), ON).to_json()["programmes"]["tekun"]
    assert two["monthly"] == "3143.00"  # 2175 + 968
    none = sample.assess(_e10(_failing()), ON).to_json()["programmes"]["tekun"]
    assert none["monthly"] == "2659.00"  # 2175 + 0.20 × 2420
    text = sample.assess(four, ON).explain()
    assert "六项日常生活活动中 4 项不能独立完成（穿衣、上下床、如厕、洗澡）" in text


def test_without_adl_items_self_care_is_as_given(sample: Engine) -> None:
    tekun = sample.assess(_e10(None, self_care="partial"), ON).to_json()["programmes"]["tekun"]
    assert tekun["monthly"] == "3143.00"
    assert all(r["rule"] != "tekun.adl" for r in tekun["reasons"])


# -- §5.6 the expected duration of a disaster's hardship ----------------------------------------------------


def _e20(tmp_path: Path, mode: str, months: int | None) -> str:
    """china-rules §9 E20: a household of 4, house collapsed, no income, resettled for ``months`` months; Demo
    City's 20 yuan a person a day (2024) and at most 90 days."""
    locality = tmp_path / "expected.toml"
    locality.write_text('extends = "demo-city"\nlocality = "expected"\n'
                        f'[disaster]\ntransitional_duration = {{ 2024-01-01 = "{mode}" }}\n', encoding="utf-8")
    members = [{"id": f"P{i}", "name": "甲乙丙丁"[i - 1], "birth_date": f"19{80 + i}-01-01",
                "relationship": "head" if i == 1 else "sibling"} for i in (1, 2, 3, 4)]
    event: dict[str, Any] = {"id": "V1", "kind": "disaster", "date": "2024-09-01", "loss": "0",
                             "house_damage": "collapsed"}
    if months is not None:
        event["duration_months"] = months
    data = {"id": "E20", "locality": "expected", "residence": "rural", "members": members, "events": [event]}
    engine = Engine(locality=locality, only=[*BASIC, "disaster"])
    payments = engine.assess(io.structure_household(data), ON).to_json()["programmes"]["disaster"]["payments"]
    return next(p["amount"] for p in payments if p["kind"] == "transitional_living")


def test_e20_transitional_relief_for_the_expected_duration(tmp_path: Path) -> None:
    assert _e20(tmp_path, "expected", 3) == "7200.00"  # 20 × 4 × 90
    assert _e20(tmp_path, "expected", 2) == "4800.00"  # 20 × 4 × 60
    assert _e20(tmp_path, "expected", 12) == "7200.00"  # at most disaster.transitional_days
    assert _e20(tmp_path, "expected", None) == "7200.00"  # not given: the fixed days
    assert _e20(tmp_path, "fixed", 1) == "7200.00"  # Demo City's reading: always the fixed days


# -- properties ---------------------------------------------------------------------------------------------

money = st.integers(0, 10_000_000).map(lambda fen: Decimal(fen).scaleb(-2))


@given(money, money, st.integers(1, 8), st.integers(1, 4), money, st.decimals(0, 1, places=2))
def test_more_obligor_income_never_lowers_their_capacity(low: Decimal, extra: Decimal, size: int,
                                                          households_: int, allowance: Decimal,
                                                          share: Decimal) -> None:
    before = obligor_capacity(low, size, households_, allowance, share)
    assert before >= 0
    assert obligor_capacity(low + extra, size, households_, allowance, share) >= before
    # A larger household or more households to support never raises it.
    assert obligor_capacity(low, size + 1, households_, allowance, share) <= before
    assert obligor_capacity(low, size, households_ + 1, allowance, share) <= before


@settings(max_examples=80, deadline=None)
@given(households(on=ON, policy=load_policy("sample-district")), st.integers(0, 1_000_000), st.data())
def test_more_obligor_income_never_lowers_the_counted_income(drawn: Any, extra: int, data: st.DataObject) -> None:
    """Under sample-district (assessed support): raising one obligor's household income never lowers the
    countable or per-capita income of the household, and never lowers it below the support-free account."""
    params = load_policy("sample-district").at(ON)
    assert SupportValues.of(params).assessed
    ids = [p.id for p in drawn.members]
    s: Decimal = params[f"standard.{drawn.residence.value}"]  # type: ignore[assignment]  # declared "money"
    before = account_income(drawn, ids, ON, params, s)
    without = account_income(attrs.evolve(drawn, obligors=()), ids, ON, params, s)
    assert before.countable >= without.countable and before.per_capita >= without.per_capita
    if not drawn.obligors:
        return
    i = data.draw(st.integers(0, len(drawn.obligors) - 1))
    richer = list(drawn.obligors)
    richer[i] = attrs.evolve(richer[i], household_income=richer[i].household_income + Decimal(extra).scaleb(-2))
    after = account_income(attrs.evolve(drawn, obligors=tuple(richer)), ids, ON, params, s)
    assert after.countable >= before.countable and after.per_capita >= before.per_capita


_LEVEL = {SelfCare.FULL: 0, SelfCare.PARTIAL: 1, SelfCare.NONE: 2}


@given(st.lists(st.booleans(), min_size=6, max_size=6), st.integers(0, 5))
def test_failing_one_more_adl_item_never_raises_self_care(done: list[bool], item: int) -> None:
    """N3 §22 (1 and 4): one more activity not done alone never classifies the person as more self-caring;
    all six done: full; four or more not done: none."""
    adl = Adl(*done)
    worse = Adl(*[d and i != item for i, d in enumerate(done)])
    level = adl_self_care(adl.failed, 1, 4)
    assert _LEVEL[adl_self_care(worse.failed, 1, 4)] >= _LEVEL[level]
    assert (level is SelfCare.FULL) == (adl.failed == 0)
    assert (level is SelfCare.NONE) == (adl.failed >= 4)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.booleans(), min_size=6, max_size=6), st.integers(0, 5))
def test_failing_one_more_adl_item_never_lowers_tekun_care(sample: Engine, done: list[bool], item: int) -> None:
    def monthly(items: list[bool]) -> Decimal:
        tekun = sample.assess(_e10(dict(zip(ITEMS, items, strict=True))), ON).to_json()["programmes"]["tekun"]
        return Decimal(tekun["monthly"])

    assert monthly([d and i != item for i, d in enumerate(done)]) >= monthly(done)


@given(st.integers(0, 400), st.integers(0, 24), st.integers(0, 24))
def test_a_longer_hardship_never_shortens_transitional_relief(most: int, months: int, more: int) -> None:
    days = transitional_days(most, months)
    assert 0 <= days <= most and days <= DAYS_PER_MONTH * months
    assert transitional_days(most, months + more) >= days


# -- single parents (china-rules §3.7, B1 §10(1)) -----------------------------------------------------------


def _reduction(engine: Engine, members: list[dict[str, Any]]) -> list[str]:
    """The member facts of sample-district's income reduction (1 × S for a single parent) for a household of
    ``members`` in which P3 earns 6000 a month."""
    data = household(members=members, incomes=[{"member": "P3", "category": "wage", "amount": "72000",
                                                "from": "2023-09", "to": "2024-08"}])
    dibao = engine.assess(io.structure_household(data), ON).to_json()["programmes"]["dibao"]
    return [fact for r in dibao["reasons"] if r["rule"] == "dibao.income_reduction"
            for fact in r["values"]["facts"]]


def test_a_single_parent_living_with_her_parents_gets_the_reduction(sample: Engine) -> None:
    """A divorced daughter raising a child of 10 in her parents' household: only the household's word
    (``single_parent``) tells; the head has a spouse."""
    members = [{**HEAD, "name": "孙老汉", "birth_date": "1958-01-01"},
               {"id": "P2", "name": "李老太", "birth_date": "1960-01-01", "relationship": "spouse"},
               {"id": "P3", "name": "孙丽", "birth_date": "1986-01-01", "relationship": "child",
                "marital_status": "divorced", "single_parent": True},
               {"id": "P4", "name": "孙小明", "birth_date": "2014-01-01", "relationship": "grandchild"}]
    assert _reduction(sample, members) == ["single_parent"]
    members[2] = {**members[2], "single_parent": False}
    assert _reduction(sample, members) == []


def test_a_head_married_to_someone_elsewhere_is_no_single_parent(sample: Engine) -> None:
    child = {"id": "P4", "name": "孙小明", "birth_date": "2014-01-01", "relationship": "child"}
    worker = {"id": "P3", "name": "孙强", "birth_date": "1990-01-01", "relationship": "sibling"}
    assert _reduction(sample, [HEAD | {"birth_date": "1986-01-01"}, worker, child]) == ["single_parent"]
    married = HEAD | {"birth_date": "1986-01-01", "marital_status": "married"}
    assert _reduction(sample, [married, worker, child]) == []


# -- §5.11 temporary relief for the expected duration (Gansu: S × persons × months) ------------------------


def _fire_grant(tmp_path: Path, mode: str, months: int | None) -> str:
    """A fire of 20000 in an urban household of 2 (S = 1000 in 2024), under Demo City with
    ``temporary.emergency_cap`` set to ``mode``."""
    locality = tmp_path / "gansu-like.toml"
    locality.write_text('extends = "demo-city"\nlocality = "gansu-like"\n'
                        f'[temporary]\nemergency_cap = {{ 2024-01-01 = "{mode}" }}\n', encoding="utf-8")
    event: dict[str, Any] = {"id": "V1", "kind": "fire", "date": "2024-09-10", "loss": "20000"}
    if months is not None:
        event["duration_months"] = months
    members = [HEAD | {"birth_date": "1980-01-01"},
               {"id": "P2", "name": "孙强", "birth_date": "2010-01-01", "relationship": "child"}]
    data = {"id": "T1", "locality": "gansu-like", "residence": "urban", "members": members, "events": [event],
            "hukou_local": False}
    engine = Engine(locality=locality, only=[*BASIC, "temporary"])
    return str(engine.assess(io.structure_household(data), ON).to_json()["programmes"]["temporary"]["one_off"])


def test_temporary_relief_for_the_expected_duration(tmp_path: Path) -> None:
    assert _fire_grant(tmp_path, "persons_months", 2) == "4000.00"  # 1000 × 2 × 2
    assert _fire_grant(tmp_path, "persons_months", 12) == "12000.00"  # at most cap_months = 6
    assert _fire_grant(tmp_path, "persons_months", None) == "6000.00"  # not given: cap_months × S
    assert _fire_grant(tmp_path, "standard_months", 2) == "6000.00"  # Demo City's §12.3


@given(money, st.integers(1, 8), st.integers(0, 24), st.integers(0, 24), st.integers(0, 12))
def test_a_longer_hardship_never_lowers_the_temporary_cap(standard: Decimal, members: int, months: int,
                                                          more: int, most: int) -> None:
    cap = duration_cap(standard, members, months, most)
    assert 0 <= cap <= standard * members * most
    assert duration_cap(standard, members, months + more, most) >= cap
    assert duration_cap(standard, members + 1, months, most) >= cap
