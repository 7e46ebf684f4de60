"""The broken-household corpus (§17): each file in ``tests/broken/`` breaks one rule of household-format.md.

For every file the reader must report exactly one problem, at the exact path, with a reason containing the
fragment stated here; and a household with several problems must report all of them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistkit import io
from assistkit.declared import CORE
from assistkit.errors import InvalidHousehold

BROKEN = Path(__file__).parent / "broken"

# file → (path, fragment of the reason)
CASES: dict[str, tuple[str, str]] = {
    "01-missing-id.json": ("id", "required field missing"),
    "02-empty-id.json": ("id", "must not be empty"),
    "03-residence-vocabulary.json": ("residence", "expected one of urban, rural; got 'city'"),
    "04-missing-residence.json": ("residence", "required field missing"),
    "05-unknown-top-level-field.json": ("residense", "unknown field 'residense' (did you mean 'residence'?)"),
    "06-unknown-member-field.json": ("members[0].nmae", "unknown field 'nmae'"),
    "07-no-members.json": ("members", "at least one member"),
    "08-no-head.json": ("members", "exactly one member must have relationship 'head'; found none"),
    "09-two-heads.json": ("members[1].relationship", "a second head"),
    "10-duplicate-person-id.json": ("members[1].id", "duplicate id 'P1'"),
    "11-birth-date-format.json": ("members[0].birth_date", "expected a date YYYY-MM-DD; got (value not shown)"),
    "12-birth-date-no-such-day.json": ("members[0].birth_date", "no such date"),
    "13-hukou-local-number.json": ("hukou_local", "expected true or false; got 1"),
    "14-bool-as-string.json": ("members[0].serious_illness", "expected true or false; got 'true'"),
    "15-name-not-string.json": ("members[0].name", "expected a string; got 5"),
    "16-disability-grade-range.json": ("members[0].disability_grade", "expected one of 1, 2, 3, 4"),
    "17-refused-offers-negative.json": ("members[0].refused_job_offers", "must be ≥ 0"),
    "18-refused-offers-not-int.json": ("members[0].refused_job_offers", "expected a whole number"),
    "19-id-number-length.json": ("members[0].id_number", "must be 18 characters"),
    "20-id-number-check-digit.json": ("members[0].id_number", "check character"),
    "21-id-number-lowercase-x.json": ("members[0].id_number", "upper-case 'X'"),
    "22-id-number-birth-date.json": ("members[0].id_number", "encodes the birth date (value not shown)"),
    "23-labour-capacity-vocabulary.json": ("members[0].labour_capacity", "expected one of full, partial"),
    "24-school-stage-vocabulary.json": ("members[0].school.stage", "got 'college'"),
    "25-school-tuition-negative.json": ("members[0].school.tuition", "must be ≥ 0"),
    "26-income-member-unknown.json": ("incomes[0].member", "no member has id 'P9'"),
    "27-income-category-vocabulary.json": ("incomes[0].category", "got 'salary'"),
    "28-income-month-and-range.json": ("incomes[0].month", "not both"),
    "29-income-no-period.json": ("incomes[0].month", "give month, or from and to"),
    "30-income-from-without-to.json": ("incomes[0].to", "required with from"),
    "31-income-from-after-to.json": ("incomes[0].to", "must not be before from (2025-03); got 2025-01"),
    "32-income-month-format.json": ("incomes[0].month", "expected a month YYYY-MM"),
    "33-income-amount-null-for-wage.json": ("incomes[0].amount", "required for category 'wage'"),
    "34-income-casual-without-days.json": ("incomes[0].amount", "unless days are given"),
    "35-income-days-not-casual.json": ("incomes[0].days", "only for category 'casual'"),
    "36-income-land-not-farm.json": ("incomes[0].land_mu", "only for category 'farm'"),
    "37-money-three-decimals.json": ("incomes[0].amount", "at most 2 decimal places; got 12.345"),
    "38-money-negative.json": ("assets[0].value", "must be ≥ 0"),
    "39-money-not-a-number.json": ("assets[0].value", "expected a decimal number"),
    "40-money-boolean.json": ("assets[0].value", "got true"),
    "41-money-exponent-text.json": ("assets[0].value", "got '1e3'"),
    "42-asset-kind-vocabulary.json": ("assets[0].kind", "got 'gold'"),
    "43-asset-member-unknown.json": ("assets[0].member", "no member has id 'P9'"),
    "44-expense-member-unknown.json": ("expenses[0].member", "no member has id 'P9'"),
    "45-expense-member-missing.json": ("expenses[0].member", "required field missing"),
    "46-expense-in-scope-over-total.json": ("expenses[0].in_scope", "must be ≤ total (500.00); got 600.00"),
    "47-expense-insurance-over-in-scope.json": ("expenses[0].insurance_paid",
                                                "must be ≤ in_scope (400.00); got 450.00"),
    "48-expense-insurance-over-total.json": ("expenses[0].insurance_paid", "defaults to total (500.00)"),
    "49-expense-date-format.json": ("expenses[0].date", "expected a date YYYY-MM-DD"),
    "50-expense-event-duplicate-id.json": ("events[0].id", "duplicate id 'N1' (also expenses[0].id)"),
    "51-event-compensated-over-loss.json": ("events[0].compensated", "must be ≤ loss (500.00); got 600.00"),
    "52-event-kind-vocabulary.json": ("events[0].kind", "got 'flood'"),
    "53-housing-dilapidated-not-owned.json": ("housing.dilapidated_grade", "only with tenure 'owned'"),
    "54-housing-tenure-vocabulary.json": ("housing.tenure", "got 'leased'"),
    "55-housing-unknown-field.json": ("housing.rent", "unknown field 'rent'"),
    "56-housing-floor-area-negative.json": ("housing.floor_area", "must be ≥ 0"),
    "57-housing-dilapidated-grade-vocabulary.json": ("housing.dilapidated_grade", "expected one of C, D"),
    "58-housing-properties-owned-bool.json": ("housing.properties_owned", "got true"),
    "59-housing-not-an-object.json": ("housing", "expected an object; got a list"),
    "60-enrolment-programme-vocabulary.json": ("enrolments[0].programme", "got 'medical'"),
    "61-enrolment-member-unknown.json": ("enrolments[0].member", "no member has id 'P9'"),
    "62-enrolment-gradual-exit-not-dibao.json": ("enrolments[0].gradual_exit_from", "only for programme"),
    "63-enrolment-since-missing.json": ("enrolments[0].since", "required field missing"),
    "64-history-need-unknown.json": ("history[0].need", "no expense or event has id 'N9'"),
    "65-history-member-unknown.json": ("history[0].member", "no member has id 'P9'"),
    "66-history-kind-vocabulary.json": ("history[0].kind", "got 'cash'"),
    "67-members-not-a-list.json": ("members", "expected a list; got an object"),
    "68-member-not-an-object.json": ("members[0]", "expected an object; got 'P1'"),
    "69-locality-null.json": ("locality", "expected a string; got null"),
    "70-income-days-negative.json": ("incomes[0].days", "must be ≥ 0"),
    "71-income-farm-without-land.json": ("incomes[0].amount", "unless land_mu is given"),
    "72-income-to-without-from.json": ("incomes[0].from", "required with to"),
    "73-unknown-income-field.json": ("incomes[0].memo", "unknown field 'memo'"),
    "74-event-house-damage-not-disaster.json": ("events[0].house_damage", "only for kind 'disaster'; got kind "
                                                                          "'fire' with 'collapsed'"),
    "75-event-house-damage-vocabulary.json": ("events[0].house_damage", "got 'flooded'"),
    "76-event-deceased-negative.json": ("events[0].deceased", "must be ≥ 0"),
}

FILES = sorted(p.name for p in BROKEN.glob("*.json"))


def test_every_file_has_an_expectation() -> None:
    assert len(FILES) >= 40
    assert set(FILES) == set(CASES)


@pytest.mark.parametrize("name", FILES)
def test_broken_household_reports_its_one_problem(name: str) -> None:
    path, fragment = CASES[name]
    with pytest.raises(InvalidHousehold) as caught:  # the reader, or the core's open lists (assistkit.declared)
        CORE.check(io.household_from_json((BROKEN / name).read_bytes()))
    problems = caught.value.problems
    assert [p.path for p in problems] == [path], caught.value
    assert fragment in problems[0].reason
    # The household is named whenever it has a usable id (the corpus names them B-NN).
    assert caught.value.household == (None if name[:2] in ("01", "02") else f"B-{name[:2]}")
    assert str(caught.value).startswith(f"household {caught.value.household or '(no id)'}: {path}: ")


def test_several_problems_are_all_reported() -> None:
    data = {
        "id": "H-9",
        "residence": "city",
        "hukou_local": 0,
        "colour": "red",
        "members": [
            {"id": "P1", "name": "甲", "birth_date": "1980-01-01", "relationship": "head"},
            {"id": "P2", "name": "乙", "birth_date": "1990-13-01", "relationship": "head", "orphan": "no"},
            {"id": "P1", "name": 7, "birth_date": "2000-01-01", "relationship": "child",
             "school": {"stage": "primary", "tuition": "1.005"}},
        ],
        "incomes": [
            {"member": "P7", "category": "wage", "amount": "-1", "month": "2025-01"},
            {"member": "P1", "category": "farm", "from": "2025-05", "to": "2025-02", "days": 3},
        ],
        "expenses": [{"id": "E1", "member": "P2", "kind": "inpatient", "date": "2025-01-01", "total": "100",
                      "in_scope": "200"}],
        "events": [{"id": "E1", "kind": "fire", "date": "2025-01-01", "loss": "10", "compensated": "11"}],
        "housing": {"tenure": "none", "dilapidated_grade": "C"},
        "history": [{"programme": "medical", "kind": "treatment", "need": "E2", "date": "2025-02-01",
                     "amount": "5"}],
    }
    with pytest.raises(InvalidHousehold) as caught:
        io.structure_household(data)
    assert caught.value.household == "H-9"
    assert {p.path for p in caught.value.problems} == {
        "residence",
        "hukou_local",
        "colour",
        "members[1].birth_date",
        "members[1].orphan",
        "members[1].relationship",
        "members[2].id",
        "members[2].name",
        "members[2].school.tuition",
        "incomes[0].member",
        "incomes[0].amount",
        "incomes[1].to",
        "incomes[1].amount",
        "incomes[1].days",
        "expenses[0].in_scope",
        "events[0].id",
        "events[0].compensated",
        "housing.dilapidated_grade",
        "history[0].need",
    }
    assert len(caught.value.problems) == 19  # one each: nothing reported twice
    assert len(caught.value.lines()) == 19
