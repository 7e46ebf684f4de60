"""assistkit.io: strict reading of household-format.md, writing, streams, funds, dates, `validate`."""

from __future__ import annotations

import datetime as dt
import inspect
import io as stdio
import json
import pickle
import random
import re
import traceback
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit import io
from assistkit.cli._validate import validate
from assistkit.errors import InvalidFunds, InvalidHousehold, InvalidRecord, Problem
from assistkit.household import (
    Asset,
    AssetKind,
    DilapidatedGrade,
    Enrolment,
    EnrolmentProgramme,
    Event,
    EventKind,
    Expense,
    ExpenseKind,
    Fund,
    Household,
    Housing,
    Income,
    IncomeCategory,
    LabourCapacity,
    NeedKind,
    PastPayment,
    PaymentKind,
    PaymentProgramme,
    Person,
    Relationship,
    Residence,
    School,
    SelfCare,
    Stage,
    Status,
    Tenure,
)
from assistkit.io import _fast, _leaves, _records, _streams, parse_line
from assistkit.periods import Month
from assistkit.testing.examples import load_examples

from .conftest import examples

EXAMPLES = Path(__file__).parent / "examples"
BROKEN = Path(__file__).parent / "broken"

HEAD = {"id": "P1", "name": "张三", "birth_date": "1980-01-01", "relationship": "head"}


def household(hid: str = "H-1", **fields: Any) -> dict[str, Any]:
    return {"id": hid, "residence": "urban", "members": [dict(HEAD)], **fields}


def problems_of(data: object) -> list[tuple[str, str]]:
    with pytest.raises(InvalidHousehold) as caught:
        io.structure_household(data)
    return [(p.path, p.reason) for p in caught.value.problems]


# --- spec examples ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_spec_examples_read_and_round_trip(path: Path) -> None:
    example = io.read_example(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert example.on == dt.date.fromisoformat(raw["on"])
    assert example.household.id == raw["household"]["id"]
    assert example.expected == json.loads(json.dumps(raw["expected"]), parse_float=Decimal)
    assert example.note == raw.get("note", "")
    data = io.unstructure_household(example.household)
    assert io.structure_household(data) == example.household
    assert io.household_from_json(json.dumps(data, ensure_ascii=False)) == example.household
    assert io.converter.structure(data, Household) == example.household


def test_testing_kit_examples_structure() -> None:
    examples = load_examples(EXAMPLES)
    assert len(examples) == 11  # 01–08 of the statute, 09–11 of the addenda (§D, §P)
    for example in examples:
        io.check_dates(io.structure_household(example.household), example.on)


def test_example_with_a_bad_date_and_an_unknown_key(tmp_path: Path) -> None:
    raw = json.loads((EXAMPLES / "01-urban-dibao-wage.json").read_text(encoding="utf-8"))
    raw["on"] = "1900-01-01"  # before every birth date
    raw["expect"] = {}
    path = tmp_path / "x.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(InvalidHousehold) as caught:
        io.read_example(path)
    paths = [p.path for p in caught.value.problems]
    assert paths[0] == "expect"
    assert "unknown field 'expect' (did you mean 'expected'?)" in caught.value.problems[0].reason
    assert "members[0].birth_date" in paths


# --- writing ------------------------------------------------------------------------------------------------

def test_unstructure_is_json_ready() -> None:
    h = io.structure_household(household(
        incomes=[{"member": "P1", "category": "farm", "land_mu": "2.5", "from": "2025-01", "to": "2025-03"},
                 {"member": "P1", "category": "wage", "amount": 1234.5, "month": "2025-04"}],
        housing={"tenure": "owned", "floor_area": "45.125", "dilapidated_grade": "D"},
    ))
    data = io.unstructure_household(h)
    assert data == io.converter.unstructure(h)
    assert data["incomes"][0] == {"category": "farm", "member": "P1", "kind": "", "amount": None,
                                  "month": None, "from": "2025-01", "to": "2025-03", "days": None,
                                  "land_mu": "2.5"}
    assert data["incomes"][1]["amount"] == "1234.50"
    assert data["housing"] == {"tenure": "owned", "floor_area": "45.125", "monthly_rent": "0.00",
                               "dilapidated_grade": "D", "properties_owned": 0}
    assert data["members"][0]["birth_date"] == "1980-01-01"
    assert data["members"][0]["school"] is None
    assert isinstance(data["members"], list)
    assert json.loads(json.dumps(data)) == data


def test_converter_leaf_hooks() -> None:
    assert io.converter.structure("2025-07", Month) == Month(2025, 7)
    assert io.converter.structure("2025-07-01", dt.date) == dt.date(2025, 7, 1)
    assert io.converter.structure("urban", Residence) is Residence.URBAN
    assert io.converter.structure("12.5", Decimal) == Decimal("12.5")
    with pytest.raises(ValueError, match="expected one of urban, rural; got 'city'"):
        io.converter.structure("city", Residence)
    with pytest.raises(ValueError, match="expected a month YYYY-MM"):
        io.converter.structure("2025-7", Month)
    assert io.converter.unstructure(Month(2025, 7)) == "2025-07"
    assert io.converter.unstructure(Decimal("5")) == "5.00"


def test_converter_structures_records_strictly() -> None:
    with pytest.raises(InvalidHousehold, match=r"household H-1: residence: expected one of urban, rural"):
        io.converter.structure(household(residence="town"), Household)
    with pytest.raises(InvalidRecord, match="record \\(no id\\): stage: expected one of"):
        io.converter.structure({"stage": "phd"}, School)
    assert io.converter.structure({"stage": "senior", "tuition": "800"}, School) == School(
        Stage.SENIOR, tuition=Decimal("800.00"))
    funds = io.converter.structure([FUND], tuple[Fund, ...])
    assert funds[0].id == "F1"


# --- money --------------------------------------------------------------------------------------------------

def asset_value(value: object) -> Decimal:
    h = io.structure_household(household(assets=[{"kind": "deposit", "value": value}]))
    return h.assets[0].value


def test_money_forms() -> None:
    assert asset_value("1234.5") == Decimal("1234.50")
    assert str(asset_value("1234.5")) == "1234.50"
    assert asset_value(7) == Decimal("7.00")
    assert asset_value(Decimal("0.1")) == Decimal("0.10")
    assert asset_value(12.5) == Decimal("12.50")  # a Python float that is exactly a decimal
    assert str(asset_value("-0")) == "0.00"


def test_inexact_python_float_is_rejected() -> None:
    [(path, reason)] = problems_of(household(assets=[{"kind": "deposit", "value": 0.1}]))
    assert path == "assets[0].value"
    assert "not exactly a decimal" in reason and "string" in reason


def test_three_decimals_are_rejected_as_text_and_as_json_number() -> None:
    [(path, reason)] = problems_of(household(assets=[{"kind": "deposit", "value": "12.345"}]))
    assert (path, reason) == ("assets[0].value", "at most 2 decimal places; got '12.345'")
    text = json.dumps(household(assets=[{"kind": "deposit", "value": "X"}])).replace('"X"', "12.345")
    with pytest.raises(InvalidHousehold, match=r"assets\[0\]\.value: at most 2 decimal places; got 12.345"):
        io.household_from_json(text)


def test_json_numbers_are_exact_decimals() -> None:
    text = json.dumps(household(assets=[{"kind": "deposit", "value": "X"}])).replace('"X"', "0.1")
    assert io.household_from_json(text).assets[0].value == Decimal("0.10")

@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_errors_of_their_household_and_field(constant: str, tmp_path: Path) -> None:
    """Python's decoder takes NaN and Infinity, which JSON has not: each is rejected where it stands (issue 30),
    by every reader alike."""
    data = household(assets=[{"kind": "deposit", "value": "X"}])
    text = json.dumps(data).replace('"X"', constant)
    expected = ("H-1", [("assets[0].value", f"expected a finite number; got {constant}")])
    with pytest.raises(InvalidHousehold) as caught:
        io.household_from_json(text)
    assert (caught.value.household, [(p.path, p.reason) for p in caught.value.problems]) == expected
    rejected = parse_line(3, text.encode())
    assert isinstance(rejected, io.Rejected)
    assert (rejected.household, [(p.path, p.reason) for p in rejected.problems]) == expected
    (tmp_path / "one.json").write_text(text)
    (record,) = io.read_households(tmp_path / "one.json")
    assert isinstance(record, io.Rejected) and record.household == "H-1"
    name = json.dumps({"id": "X", "residence": "urban", "members": []}).replace('"X"', constant)
    assert parse_line(1, name) == io.Rejected(1, None, [("id", f"expected a string id; got {constant}"),
                                                       ("members", "must list at least one member")])


def test_non_money_decimals_keep_their_places() -> None:
    h = io.structure_household(household(housing={"tenure": "rented", "floor_area": "30.125"}))
    assert h.housing is not None and h.housing.floor_area == Decimal("30.125")


# --- strictness details -------------------------------------------------------------------------------------

def test_top_level_must_be_an_object() -> None:
    assert problems_of([1]) == [("", "expected an object; got a list")]


def test_invalid_json_has_the_empty_path() -> None:
    with pytest.raises(InvalidHousehold) as caught:
        io.household_from_json('{"id": "H-1",')
    assert caught.value.household is None
    [problem] = caught.value.problems
    assert problem.path == "" and problem.reason.startswith("invalid JSON: ")
    assert str(caught.value).startswith("household (no id): invalid JSON: ")


def test_null_means_not_given_for_optional_fields_only() -> None:
    h = io.structure_household(household(housing=None, members=[{**HEAD, "school": None, "id_number": None}]))
    assert h.housing is None and h.members[0].school is None
    assert problems_of(household(hukou_local=None)) == [("hukou_local", "expected true or false; got null")]


def test_valid_id_number_and_uppercase_x() -> None:
    body = "11010519491231002"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]
    assert check == "X"
    person = {**HEAD, "birth_date": "1949-12-31", "id_number": body + "X"}
    assert io.structure_household(household(members=[person])).members[0].id_number == body + "X"


def test_in_scope_defaults_to_total() -> None:
    h = io.structure_household(household(expenses=[
        {"id": "E1", "member": "P1", "kind": "outpatient", "date": "2025-01-02", "total": "300",
         "insurance_paid": "300"}]))
    assert h.expenses[0].in_scope is None and h.expenses[0].scope == Decimal("300.00")


def test_error_message_format() -> None:
    with pytest.raises(InvalidHousehold) as caught:
        io.structure_household(household("H-9", members=[HEAD, {**HEAD, "id": "P2", "birth_date": "x",
                                                                 "relationship": "child"}]))
    assert caught.value.lines() == [
        "household H-9: members[1].birth_date: expected a date YYYY-MM-DD; got 'x'"]
    assert isinstance(caught.value, ValueError)


def test_errors_and_records_pickle() -> None:
    exc = InvalidHousehold("H-9", [("members[1].birth_date", "bad")])
    again = pickle.loads(pickle.dumps(exc))
    assert again.household == "H-9" and again.problems == (Problem("members[1].birth_date", "bad"),)
    rejected = io.Rejected(3, "H-9", (Problem("id", "x"),))
    assert pickle.loads(pickle.dumps(rejected)) == rejected


# --- check_dates --------------------------------------------------------------------------------------------

def test_check_dates_reports_every_date_after_on() -> None:
    h = io.structure_household(household(
        members=[{**HEAD, "birth_date": "2025-07-02"}],
        expenses=[{"id": "E1", "member": "P1", "kind": "inpatient", "date": "2025-07-01", "total": "1"},
                  {"id": "E2", "member": "P1", "kind": "inpatient", "date": "2025-08-01", "total": "1"}],
        events=[{"id": "V1", "kind": "fire", "date": "2025-09-01", "loss": "1"}],
    ))
    io.check_dates(h, dt.date(2025, 9, 1))
    with pytest.raises(InvalidHousehold) as caught:
        io.check_dates(h, dt.date(2025, 7, 1))
    assert [p.path for p in caught.value.problems] == [
        "members[0].birth_date", "expenses[1].date", "events[0].date"]
    assert caught.value.problems[0].reason == (
        "must not be after the assessment date 2025-07-01; got (value not shown)")


# --- funds --------------------------------------------------------------------------------------------------

FUND = {"id": "F1", "name": "慈善总会医疗援助", "balance": "100000", "need_kinds": ["medical"],
        "per_household_cap": "5000", "valid_from": "2025-01-01", "valid_to": "2025-12-31"}


def test_funds_parse() -> None:
    [fund] = io.structure_funds([FUND])
    assert fund == Fund("F1", "慈善总会医疗援助", Decimal("100000.00"), (NeedKind.MEDICAL,),
                        Decimal("5000.00"), dt.date(2025, 1, 1), dt.date(2025, 12, 31), ())
    [fund] = io.structure_funds([{**FUND, "statuses": ["dibao", "tekun"]}])
    assert fund.statuses == (Status.DIBAO, Status.TEKUN)


def test_funds_problems() -> None:
    bad = [
        FUND,
        {**FUND, "id": "F1", "balance": "-1", "need_kinds": ["medical", "food"], "per_household_cap": "0",
         "valid_from": "2026-01-01", "statuses": [5], "colour": "red"},
    ]
    with pytest.raises(InvalidFunds) as caught:
        io.structure_funds(bad, source="funds.json")
    assert [(p.path, p.reason) for p in caught.value.problems] == [
        ("[1].balance", "must be ≥ 0; got '-1'"),
        ("[1].need_kinds[1]", "expected one of medical, tuition, emergency; got 'food'"),
        ("[1].per_household_cap", "must be > 0; got 0.00"),
        # a status is checked for its shape here, and against the declared statuses by the engine
        ("[1].statuses[0]", "expected one of tekun, dibao, marginal, expenditure_hardship; got 5"),
        ("[1].colour", "unknown field 'colour'"),
        ("[1].valid_to", "must not be before valid_from (2026-01-01); got 2025-12-31"),
        ("[1].id", "duplicate fund id 'F1' (also [0].id)"),
    ]
    assert str(caught.value).splitlines()[0] == "funds funds.json: [1].balance: must be ≥ 0; got '-1'"
    assert isinstance(caught.value, InvalidRecord) and isinstance(caught.value, ValueError)
    with pytest.raises(InvalidFunds, match="expected a list of funds; got an object"):
        io.structure_funds(FUND)


def test_load_funds(tmp_path: Path) -> None:
    path = tmp_path / "funds.json"
    path.write_text(json.dumps([FUND]).replace('"5000"', "5000.5"), encoding="utf-8")
    [fund] = io.load_funds(path)
    assert fund.per_household_cap == Decimal("5000.50")
    path.write_text("[", encoding="utf-8")
    with pytest.raises(InvalidFunds, match="invalid JSON"):
        io.load_funds(path)


# --- streams ------------------------------------------------------------------------------------------------

def jsonl(*lines: object) -> str:
    return "".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
                   for line in lines)


STREAM = jsonl(
    household("H-1"),
    "",
    '{"id": "H-3", "residence": ',
    household("H-4", residence="city"),
    "[1, 2]",
    household("H-6"),
    household("H-1"),
    household("H-8"),
)


def check_stream(records: list[io.Record]) -> None:
    assert [r.line for r in records] == [1, 3, 4, 5, 6, 7, 8]
    assert [type(r).__name__ for r in records] == ["Parsed", "Rejected", "Rejected", "Rejected", "Parsed",
                                                   "Rejected", "Parsed"]
    bad_json, bad_household, not_object, duplicate = (r for r in records if isinstance(r, io.Rejected))
    assert bad_json.household is None and bad_json.problems[0].path == ""
    assert bad_json.problems[0].reason.startswith("invalid JSON: ")
    assert bad_household.household == "H-4"
    assert bad_household.problems == (Problem("residence", "expected one of urban, rural; got 'city'"),)
    assert not_object.problems[0].reason == "expected a household object on each line; got a list"
    assert duplicate.problems == (Problem("id", "duplicate household id 'H-1' (first on line 1)"),)
    assert bad_household.lines() == ["household H-4: residence: expected one of urban, rural; got 'city'"]


def test_read_jsonl_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "population.jsonl"
    path.write_text(STREAM, encoding="utf-8")
    check_stream(list(io.read_jsonl(path)))
    check_stream(list(io.read_jsonl(stdio.StringIO(STREAM))))
    check_stream(list(io.read_jsonl(stdio.BytesIO(STREAM.encode()))))
    check_stream(list(io.read_households(path)))
    assert io.detect_format(path) == "jsonl"


def test_read_jsonl_without_unique_ids() -> None:
    records = list(io.read_jsonl(stdio.StringIO(jsonl(household("H-1"), household("H-1"))), unique_ids=False))
    assert all(isinstance(r, io.Parsed) for r in records)


def test_read_jsonl_bad_utf8_line() -> None:
    data = jsonl(household("H-1")).encode() + b'{"id": "\xff"}\n' + jsonl(household("H-3")).encode()
    records = list(io.read_jsonl(stdio.BytesIO(data)))
    assert [type(r).__name__ for r in records] == ["Parsed", "Rejected", "Parsed"]
    assert records[1].problems[0].reason.startswith("invalid JSON: not UTF-8")


def test_read_households_formats(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps(household("H-1"), indent=2), encoding="utf-8")
    assert io.detect_format(one) == "object"
    [record] = io.read_households(one)
    assert isinstance(record, io.Parsed) and record.line == 1 and record.household.id == "H-1"

    single_line = tmp_path / "single.json"
    single_line.write_text(json.dumps(household("H-1")) + "\n\n", encoding="utf-8")
    assert io.detect_format(single_line) == "object"

    many = tmp_path / "many.json"
    many.write_text(json.dumps([household("H-1"), household("H-2", residence=3), household("H-1")]),
                    encoding="utf-8")
    assert io.detect_format(many) == "list"
    records = list(io.read_households(many))
    assert [(type(r).__name__, r.line) for r in records] == [("Parsed", 1), ("Rejected", 2), ("Rejected", 3)]
    assert records[2].problems[0].reason == "duplicate household id 'H-1' (first on item 1)"

    corrupt_first = tmp_path / "corrupt.jsonl"
    corrupt_first.write_text('{"id": "H-0", oops}\n' + jsonl(household("H-2")), encoding="utf-8")
    assert io.detect_format(corrupt_first) == "jsonl"
    assert [type(r).__name__ for r in io.read_households(corrupt_first)] == ["Rejected", "Parsed"]

    broken_object = tmp_path / "broken.json"
    broken_object.write_text('{\n  "id": "H-1",\n  "residence": \n}\n', encoding="utf-8")
    assert io.detect_format(broken_object) == "object"
    [record] = io.read_households(broken_object)
    assert isinstance(record, io.Rejected) and record.problems[0].reason.startswith("invalid JSON")

    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n  \n", encoding="utf-8")
    assert io.detect_format(empty) == "empty" and list(io.read_households(empty)) == []

    example = EXAMPLES / "02-rural-tekun-elderly.json"
    [record] = io.read_households(example)
    assert isinstance(record, io.Parsed) and record.household.id == io.read_example(example).household.id


# --- the validate command -----------------------------------------------------------------------------------

def run(*args: str) -> Any:
    return CliRunner().invoke(validate, list(args))


def test_validate_valid_example() -> None:
    result = run(str(EXAMPLES / "01-urban-dibao-wage.json"))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "1 household, 1 valid, 0 invalid" in result.stderr


def test_validate_broken_object() -> None:
    result = run(str(BROKEN / "46-expense-in-scope-over-total.json"))
    assert result.exit_code == 1
    assert result.stdout == "household B-46: expenses[0].in_scope: must be ≤ total (500.00); got 600.00\n"
    assert "1 household, 0 valid, 1 invalid" in result.stderr


def test_validate_jsonl_prefixes_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "population.jsonl"
    path.write_text(STREAM, encoding="utf-8")
    result = run(str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("line 3: household (no id): invalid JSON: ")
    assert lines[1:] == [
        "line 4: household H-4: residence: expected one of urban, rural; got 'city'",
        "line 5: household (no id): expected a household object on each line; got a list",
        "line 7: household H-1: id: duplicate household id 'H-1' (first on line 1)",
    ]
    assert "7 households, 3 valid, 4 invalid" in result.stderr


def test_validate_list_and_on(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(json.dumps([household("H-1"), household("H-2")]), encoding="utf-8")
    assert run(str(path)).exit_code == 0
    result = run(str(path), "--on", "1979-12-31")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"item {i}: household H-{i}: members[0].birth_date: "
        "must not be after the assessment date 1979-12-31; got (value not shown)" for i in (1, 2)]


# --- property: structure ∘ unstructure is the identity ------------------------------------------------------

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
money = st.integers(0, 10**10).map(lambda fen: Decimal(fen).scaleb(-2))
plain_decimals = st.decimals(min_value=0, max_value=10**6, allow_nan=False, allow_infinity=False)
text = st.text(max_size=6)
# An id holds printable characters only (data-format.md: no control character, line break or lone surrogate).
id_texts = st.text(st.characters(categories=("L", "M", "N", "P", "S")), min_size=1, max_size=4)
months = st.builds(Month, st.integers(1990, 2030), st.integers(1, 12))
dates = st.dates(dt.date(1920, 1, 1), dt.date(2030, 12, 31))


def id_number(birth: dt.date, region: int, serial: int) -> str:
    body = f"{region:06d}{birth:%Y%m%d}{serial:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


@st.composite
def people(draw: st.DrawFn, pid: str, relationship: Relationship) -> Person:
    birth = draw(st.dates(dt.date(1920, 1, 1), dt.date(2025, 12, 31)))
    school = draw(st.none() | st.builds(School, st.sampled_from(Stage), st.booleans(), money))
    return Person(
        pid, draw(text), birth, relationship,
        id_number=draw(st.none() | st.builds(id_number, st.just(birth), st.integers(110000, 659999),
                                             st.integers(0, 999))),
        disability_grade=draw(st.none() | st.integers(1, 4)),
        serious_illness=draw(st.booleans()),
        labour_capacity=draw(st.sampled_from(LabourCapacity)),
        self_care=draw(st.sampled_from(SelfCare)),
        school=school,
        has_capable_supporter=draw(st.booleans()),
        orphan=draw(st.booleans()),
        refused_job_offers=draw(st.integers(0, 20)),
    )


@st.composite
def incomes(draw: st.DrawFn, member_ids: list[str]) -> Income:
    category = draw(st.sampled_from(IncomeCategory))
    days = draw(st.none() | st.integers(0, 31)) if category is IncomeCategory.CASUAL else None
    land = draw(st.none() | plain_decimals) if category is IncomeCategory.FARM else None
    amount = draw(money) if days is None and land is None else draw(st.none() | money)
    if draw(st.booleans()):
        month, first, last = draw(months), None, None
    else:
        first = draw(months)
        month, last = None, first + draw(st.integers(0, 24))
    member = draw(st.none() | st.sampled_from(member_ids))
    return Income(category, member, draw(text), amount, month, first, last, days, land)


@st.composite
def households(draw: st.DrawFn) -> Household:
    ids = draw(st.lists(id_texts, min_size=1, max_size=4, unique=True))
    head = draw(st.integers(0, len(ids) - 1))
    others = [r for r in Relationship if r is not Relationship.HEAD]
    members = [draw(people(pid, Relationship.HEAD if i == head else draw(st.sampled_from(others))))
               for i, pid in enumerate(ids)]
    need_ids = draw(st.lists(id_texts, max_size=4, unique=True))
    split = draw(st.integers(0, len(need_ids)))
    expenses = []
    for eid in need_ids[:split]:
        total = draw(money)
        in_scope = draw(st.none() | st.integers(0, int(total * 100)).map(lambda f: Decimal(f).scaleb(-2)))
        scope = total if in_scope is None else in_scope
        paid = Decimal(draw(st.integers(0, int(scope * 100)))).scaleb(-2)
        expenses.append(Expense(eid, draw(st.sampled_from(ids)), draw(st.sampled_from(ExpenseKind)),
                                draw(dates), total, in_scope, paid))
    events = []
    for vid in need_ids[split:]:
        loss = draw(money)
        events.append(Event(vid, draw(st.sampled_from(EventKind)), draw(dates), loss,
                            Decimal(draw(st.integers(0, int(loss * 100)))).scaleb(-2)))
    tenure = draw(st.sampled_from(Tenure))
    housing = draw(st.none() | st.builds(
        Housing, st.just(tenure), plain_decimals, money,
        st.none() | st.sampled_from(DilapidatedGrade) if tenure is Tenure.OWNED else st.none(),
        st.integers(0, 5)))
    # The open vocabularies are plain words in the model (the reader checks their shape only).
    programme = st.sampled_from(EnrolmentProgramme).map(str)
    enrolments = [Enrolment(p, draw(dates), draw(money), draw(st.none() | st.sampled_from(ids)),
                            draw(st.none() | dates) if p == EnrolmentProgramme.DIBAO else None)
                  for p in draw(st.lists(programme, max_size=2))]
    history = draw(st.lists(st.builds(
        PastPayment, st.sampled_from(PaymentProgramme).map(str), st.sampled_from(PaymentKind).map(str), dates, money,
        st.none() | st.sampled_from(ids), st.none() | st.sampled_from(need_ids) if need_ids else st.none()),
        max_size=3))
    return Household(
        draw(st.text(st.characters(categories=("L", "M", "N", "P", "S")), min_size=1, max_size=8)),
        draw(st.sampled_from(Residence)), members,
        locality=draw(text), community=draw(text), hukou_local=draw(st.booleans()),
        incomes=draw(st.lists(incomes(ids), max_size=4)),
        assets=draw(st.lists(st.builds(Asset, st.sampled_from(AssetKind), money,
                                       st.none() | st.sampled_from(ids), st.booleans()), max_size=3)),
        expenses=expenses, events=events, housing=housing, enrolments=enrolments, history=history,
    )


MONEY_TEXT = re.compile(r"[0-9]+\.[0-9]{2}")
MONEY_KEYS = {"tuition", "amount", "value", "total", "in_scope", "insurance_paid", "loss", "compensated",
              "monthly_rent", "monthly_amount"}


def no_floats(value: object, key: str = "") -> None:
    assert not isinstance(value, float), key
    if isinstance(value, dict):
        for k, v in value.items():
            no_floats(v, k)
    elif isinstance(value, list):
        for v in value:
            no_floats(v, key)
    elif key in MONEY_KEYS and value is not None:
        assert isinstance(value, str) and MONEY_TEXT.fullmatch(value), (key, value)


@settings(max_examples=100, deadline=None)
@given(households())
def test_structure_unstructure_round_trip(h: Household) -> None:
    data = io.unstructure_household(h)
    no_floats(data)
    assert io.structure_household(data) == h
    assert io.household_from_json(json.dumps(data, ensure_ascii=False)) == h
    assert io.household_from_json(json.dumps(data).encode()) == h


# --- the fast path: the full reader's household, or it gives up ---------------------------------------------
# structure_household and the JSON Lines readers first try _fast.READERS (straight-line readers compiled from
# the specs; orjson for a line when installed) and fall back to the full reader. The fast path may give up on
# anything, but what it returns must be exactly what the full reader returns, and it must never take a record
# the full reader rejects.

MODEL_CLASSES = (Household, Person, School, Income, Asset, Expense, Event, Housing, Enrolment, PastPayment)


def full_read(data: object) -> tuple[Household | None, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    household = _records.walk(_records.HOUSEHOLD, data, "", problems)
    # as a message shows them: a problem on a birth date or an id number never quotes the value (issue 30)
    return (None if problems else household), [tuple(Problem(*p)) for p in problems]


def fast_read(data: object) -> Household | None:
    try:
        return _fast.READERS[Household](data)
    except _leaves.GiveUp:  # its one exception by design: any other is a bug
        return None


def objects(value: object) -> list[object]:
    """Every model object in a household, nested ones too."""
    if isinstance(value, tuple):
        return [o for item in value for o in objects(item)]
    if isinstance(value, MODEL_CLASSES):
        return [value, *(o for a in attrs.fields(type(value)) for o in objects(getattr(value, a.name)))]
    return []


def assert_identical(made: Household, expected: Household) -> None:
    assert made == expected
    assert repr(made) == repr(expected)  # the same decimals: Decimal("1.10") == Decimal("1.1"), but not here
    for a, b in zip(objects(made), objects(expected), strict=True):
        assert type(a) is type(b) and type(a) in MODEL_CLASSES  # never a draft class
        assert a == b and hash(a) == hash(b)


def _give_up(data: object) -> Household:
    raise _leaves.GiveUp


def parse_line_fully(number: int, raw: bytes) -> object:
    """parse_line without the fast path and without orjson: the reference."""
    with (mock.patch.object(_streams, "_orjson_loads", None),
          mock.patch.object(_fast, "read_valid_household", _give_up),
          mock.patch.object(_records, "walk", wraps=_records.walk) as walk):
        result = parse_line(number, raw)
    assert walk.called or not isinstance(result, Household)
    return result


def json_line(data: object) -> bytes:
    # Decimals that are not money text become JSON numbers with a fraction (the stdlib reads them back exact).
    return json.dumps(data, ensure_ascii=False, default=float).encode()


def records(value: Any, spec: Any = _records.HOUSEHOLD) -> Iterator[tuple[dict[str, Any], Any]]:
    """Every record (an object) in household data with the spec it is read by, nested ones too."""
    if not isinstance(value, dict):
        return
    yield value, spec
    for key, item in value.items():
        parse = spec.fields[key][1] if key in spec.fields else None
        if isinstance(parse, _records.One):
            yield from records(item, parse.spec)
        elif isinstance(parse, _records.ListOf) and isinstance(item, list):
            for each in item:
                yield from records(each, parse.spec)


DEFAULTISH = {None, False, "0.00", "0", "", "demo-city"}  # False == 0 too


@st.composite
def sparse(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with some optional keys left out that are null or look like the model's default."""
    for record, spec in list(records(data)):
        for key in [k for k, v in record.items() if k not in spec.required
                    and isinstance(v, (str, int, type(None))) and v in DEFAULTISH]:
            if draw(st.booleans()):
                del record[key]
    return data


@settings(max_examples=examples(100), deadline=None)
@given(st.data())
def test_fast_path_takes_every_valid_household(data: st.DataObject) -> None:
    h = data.draw(households())
    raw = data.draw(sparse(io.unstructure_household(h)))
    full, problems = full_read(raw)
    if problems:  # a default left out that is not the model's default (hukou_local, has_capable_supporter)
        assert fast_read(raw) is None
        return
    assert full is not None
    made = fast_read(raw)
    assert made is not None, "the fast path gave up on a valid household"
    assert_identical(made, full)
    line = json_line(raw)
    assert_identical(parse_line(3, line), full)
    assert_identical(io.structure_household(raw), full)
    assert [r.household for r in io.read_jsonl(stdio.BytesIO(line))] == [full]


JUNK = (None, True, False, 0, 1, -1, 5, 2**70, 2.5, 0.1, Decimal("1.5"), Decimal("-0"), Decimal("1.234"),
        Decimal("1E+2"), "", "x", "P1", "E1", "V1", "head", "owned", "rented", "dibao", "tekun", "casual",
        "farm", "wage", "C", "2025-01", "2024-12", "2025-01-01", "2025-02-30", "1.5", "-0", "-0.00", "12.345",
        "99999999.99", "1e3", " 1", [], {}, ["x"], {"a": 1})
# Values that bring a cross-field rule into play, by key.
# Values that bring the cross-field rules into play, by record and key.
BIG, SMALL = "99999999.99", "0.01"
MONTHS = ("1990-01", "2025-06", "2030-12", None)
CLOSE_CALLS: dict[type, dict[str, tuple[object, ...]]] = {
    Person: {"id_number": (id_number(dt.date(1980, 1, 1), 110101, 1), id_number(dt.date(2000, 2, 29), 110101, 2)),
             "birth_date": ("1980-01-01", "2000-02-29"), "relationship": ("head", "spouse"), "id": ("P1", "P2")},
    Income: {"category": ("casual", "farm", "wage"), "amount": (SMALL, None), "month": MONTHS, "from": MONTHS,
             "to": MONTHS, "days": (3, None), "land_mu": ("2.5", None), "member": ("P1", "nobody", None)},
    Asset: {"member": ("P1", "nobody", None)},
    Expense: {"total": (SMALL, BIG), "in_scope": (SMALL, BIG, None), "insurance_paid": ("0.00", BIG),
              "member": ("P1", "nobody"), "id": ("N1", "N2")},
    Event: {"loss": (SMALL, BIG), "compensated": ("0.00", BIG), "id": ("N1", "N2")},
    Housing: {"tenure": ("owned", "rented"), "dilapidated_grade": ("C", None)},
    Enrolment: {"programme": ("dibao", "tekun"), "gradual_exit_from": ("2025-01-01", None),
                "member": ("P1", "nobody", None)},
    PastPayment: {"member": ("P1", "nobody", None), "need": ("N1", "nobody", None)},
}


@st.composite
def mutated(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with something changed: a few values of one record that bring cross-field rules into play,
    or one value replaced with junk, one key removed or added, one record repeated."""
    found = list(records(data))
    checked = [(record, spec) for record, spec in found if spec.cls in CLOSE_CALLS]
    if checked and draw(st.booleans()):
        # The kind of record first, so that rare kinds (events, housing) come up as often as people.
        kind = draw(st.sampled_from(sorted({spec.cls for _record, spec in checked}, key=lambda c: c.__name__)))
        record, spec = draw(st.sampled_from([(r, s) for r, s in checked if s.cls is kind]))
        calls = CLOSE_CALLS[kind]
        for _ in range(draw(st.integers(1, 3))):
            key = draw(st.sampled_from(sorted(calls)))
            if key in record and key not in spec.required and draw(st.integers(0, 3)) == 0:
                del record[key]
            else:
                record[key] = draw(st.sampled_from(calls[key]))
        return data
    record, spec = draw(st.sampled_from(found))
    how = draw(st.sampled_from(["replace", "remove", "add", "repeat"]))
    lists = sorted(k for k, v in record.items() if isinstance(v, list) and v)
    if how == "add" or not record:
        record[draw(st.sampled_from(["nmae", "extra", *spec.fields]))] = draw(st.sampled_from(JUNK))
    elif how == "remove":
        del record[draw(st.sampled_from(sorted(record)))]
    elif how == "repeat" and lists:
        items = record[draw(st.sampled_from(lists))]
        i = draw(st.integers(0, len(items) - 1))
        items.insert(draw(st.integers(0, len(items))), items[i])
    else:
        record[draw(st.sampled_from(sorted(record)))] = draw(st.sampled_from(JUNK))
    return data


@settings(max_examples=examples(150), deadline=None)
@given(st.data())
def test_fast_path_never_takes_what_the_full_reader_rejects(data: st.DataObject) -> None:
    raw = data.draw(mutated(data.draw(sparse(io.unstructure_household(data.draw(households()))))))
    full, problems = full_read(raw)
    made = fast_read(raw)
    if problems:
        assert made is None
        with pytest.raises(InvalidHousehold) as caught:
            io.structure_household(raw)
        assert [(p.path, p.reason) for p in caught.value.problems] == problems
    else:
        assert full is not None
        if made is not None:
            assert_identical(made, full)
        assert_identical(io.structure_household(raw), full)
    # A JSON line: the quick way (orjson, the fast path) must give what the full way gives.
    line = json_line(raw)
    expected = parse_line_fully(2, line)
    got = parse_line(2, line)
    assert got == expected and repr(got) == repr(expected)
    if isinstance(expected, Household):
        assert_identical(got, expected)



# --- one specification: the fast reader is the reference reader's tables, leaf rules and checks, compiled -----

RECORD_SPECS = (*_records.SPECS, _records.HOUSEHOLD)


def test_each_leaf_rule_is_written_once() -> None:
    """A parser that takes a value as it is has its fast form made from its own test; the others' fast forms
    call the parser or its text cache, by the type of the value, and decide nothing themselves."""
    calls = {"id_number(v)", "DATES(v)", "MONTHS(v)", "MONEY_TEXTS(v)", "quantized(v)", "DECIMAL_TEXTS(v)",
             "number(v, None)", "statuses(v)"}
    for spec in RECORD_SPECS:
        for _attr, parse, _flags in spec.fields.values():
            if isinstance(parse, (_records.One, _records.ListOf, _leaves.Vocabulary)):
                continue
            if parse is _records.extensions:  # the fast reader leaves the extension block to the reference one
                continue
            form = _leaves.FAST_FORMS[parse]
            if form.startswith("if not ("):
                test = form.removeprefix("if not (").removesuffix("): raise GiveUp")
                assert f"    if {test}:\n" in inspect.getsource(parse), parse
            else:
                assert any(call in form for call in calls), form
                assert " < " not in form and " > " not in form and "len(" not in form, form


def test_the_fast_reader_calls_the_reference_cross_field_checks() -> None:
    for spec in RECORD_SPECS:
        reader = _fast.READERS[spec.cls]
        source = inspect.getsource(reader)  # from linecache: the generated source is registered
        if spec.check is not None:
            assert spec.check in reader.__globals__.values() and f"# {spec.check.__name__}" in source
    # No twin of a check for the fast path: no function of io tests a built record.
    assert not [name for module in (_leaves, _records, _fast) for name in vars(module) if name.endswith("_valid")]


def test_a_bug_in_the_fast_reader_surfaces_with_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    """structure_household falls back to the reference reader on GiveUp only; any other exception of the fast
    reader is a bug and is raised, and its traceback shows the generated line."""
    def broken(text: str) -> dt.date:
        raise RuntimeError("a bug in the fast reader")

    names = _fast.READERS[Household].__globals__
    monkeypatch.setitem(names, "dates", {})  # every date misses the cache
    monkeypatch.setitem(names, "DATES", broken)
    with pytest.raises(RuntimeError, match="a bug") as caught:
        io.structure_household(household())
    shown = "".join(traceback.format_exception(caught.value))
    assert f'File "{_fast.FILENAME}", line ' in shown and ", in read_Person" in shown
    assert "v = d or DATES(v)" in shown




def test_one_line_reader_for_read_jsonl_and_the_batch() -> None:
    from assistkit import population
    from assistkit.population import _pipeline

    assert population.parse_line is io.parse_line is _pipeline.parse_line
    with mock.patch.object(_streams, "parse_line", wraps=_streams.parse_line) as read:
        records = list(io.read_jsonl(stdio.BytesIO(json_line(household()) + b"\n\n")))
    assert [type(r) for r in records] == [io.Parsed] and read.call_count == 2

# Record by record: each key absent, or a value for its parser — mostly valid (some at a limit of a
# cross-field rule), sometimes not.
POOLS: dict[Any, tuple[tuple[object, ...], tuple[object, ...]]] = {  # parser → (valid, invalid)
    _leaves.string: (("", "P1", "nobody"), (5,)),
    _leaves.ident: (("P1", "N1"), ("", 5)),
    _leaves.boolean: ((True, False), (0, "true")),
    _leaves.count: ((0, 3), (-1, True, 2.0)),
    _leaves.positive_count: ((1, 3), (0, -1, True, 2.0)),
    _leaves.disability_grade: ((1, 4), (5, True)),
    _records._statuses: (([], ["dibao"], ["tekun", "marginal"]), (["rich"], "dibao", [1], ("dibao",))),
    _leaves.id_number: ((id_number(dt.date(1980, 1, 1), 110101, 1), id_number(dt.date(2000, 2, 29), 110101, 2)),
                        (id_number(dt.date(1980, 1, 1), 110101, 1)[:17] + "x", "x")),
    _leaves.date: (("1980-01-01", "2000-02-29", "2025-01-01"),
                   ("2025-02-30", "1980/01/01", dt.date(1980, 1, 1))),
    _leaves.month: (("1990-01", "2025-06", "2030-12"), ("2025-13", Month(2025, 6))),
    _leaves.money: (("0.00", "0.01", "99999999.99", "5", Decimal("1.5"), 5), ("1.234", "-1", 12.5, 0.1, True)),
    _leaves.decimal: (("2.5", "0", "1.10", Decimal("2.50")), ("-1", 1.5)),
    _records.extensions: (({}, {"heating": {"area": "1"}}), ([], {"heating": 5}, {"": {}})),
    **{parse: (("dibao", "monthly", "heating"), ("", 5, "x" * 65, "a\nb"))
       for spec in (_records.PAYMENT, _records.ENROLMENT) for key, (_a, parse, _f) in spec.fields.items()
       if key in ("programme", "kind")},
}


def record_data(spec: Any, rnd: random.Random) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, (_attr, parse, flags) in spec.fields.items():
        if rnd.random() < (0.05 if key in spec.required else 0.5):
            continue  # absent
        if isinstance(parse, _leaves.Vocabulary):
            valid, invalid = tuple(parse.table), ("x",)
        elif isinstance(parse, _records.One):
            valid, invalid = (record_data(parse.spec, rnd),), ([],)
        else:
            valid, invalid = POOLS[parse]
        valid, invalid = (valid + (None,), invalid) if flags & _records.NULLABLE else (valid, invalid + (None,))
        data[key] = rnd.choice(valid if rnd.random() < 0.92 else invalid)
    if spec is _records.INCOME and rnd.random() < 0.7:  # most often a valid shape: a month, or from and to
        for key in ("from", "to") if "month" in data and rnd.random() < 0.5 else ("month",):
            data.pop(key, None)
    if rnd.random() < 0.05:
        data["nmae"] = "x"
    return data


READ_BY_RECORD = [s for s in _records.SPECS if s.cls in _fast.READERS]


@settings(max_examples=1000, deadline=None)
@given(st.data())
def test_fast_readers_agree_with_the_full_reader_record_by_record(data: st.DataObject) -> None:
    spec = data.draw(st.sampled_from(READ_BY_RECORD))
    raw = record_data(spec, data.draw(st.randoms(use_true_random=True)))
    problems: list[tuple[str, str]] = []
    full = _records.walk(spec, raw, "", problems)
    try:
        made = _fast.READERS[spec.cls](raw)
    except _leaves.GiveUp:
        return
    assert not problems, (raw, problems)
    assert made == full and type(made) is spec.cls
    assert [type(getattr(made, a.name)) for a in attrs.fields(spec.cls)] == \
        [type(getattr(full, a.name)) for a in attrs.fields(spec.cls)]
    assert [str(getattr(made, a.name)) for a in attrs.fields(spec.cls)] == \
        [str(getattr(full, a.name)) for a in attrs.fields(spec.cls)]  # 1.10 stays 1.10


@pytest.mark.parametrize("line", [
    b'\xef\xbb\xbf{"id":"H","residence":"urban","members":[{"id":"P1","name":"a","birth_date":"1980-01-01",'
    b'"relationship":"head"}]}',
    b'{"id":"H\\ud800","residence":"urban","members":[{"id":"P1","name":"a","birth_date":"1980-01-01",'
    b'"relationship":"head"}]}',
    b'{"id":"H","residence":"urban","members":[{"id":"P1","name":"a","birth_date":"1980-01-01",'
    b'"relationship":"head","refused_job_offers":18446744073709551616}]}',
    b'{"id":"H","residence":"urban","members":[{"id":"P1","name":"a","birth_date":"1980-01-01",'
    b'"relationship":"head"}],"housing":{"tenure":"owned","floor_area":1.10,"monthly_rent":12.5}}',
    b'{"id":"H","residence":"urban","members":[{"id":"P1","name":"a","birth_date":"1980-01-01",'
    b'"relationship":"head"}],"assets":[{"kind":"deposit","value":0.1}]}',
    b'{"id":"H","residence":"urban","members":[{"id":"P1","name":"a","birth_date":"1980-01-01",'
    b'"relationship":"head"}],"housing":{"tenure":"owned","floor_area":1.50}}',
    b'{"id":"H","residence":"urban","members":[{"id":"P1","name":"a","birth_date":"1980-01-01",'
    b'"relationship":"head"}],"assets":[{"kind":"deposit","value":12345678901234567.25}]}',
    b'{"id":"H","residence":"urban","residence":"rural","members":[{"id":"P1","name":"a",'
    b'"birth_date":"1980-01-01","relationship":"head"}]}',
    b'{"id":"H","residence":"urban","members":[{"id":"P1","name":"\xe5\xbc\xa0","birth_date":"1980-01-01",'
    b'"relationship":"head"}]}\r\n',
    b'{"id":"H","residence":"urban","members":[{"id":"P1","name":"a\x01","birth_date":"1980-01-01",'
    b'"relationship":"head"}]}',
    b'{"id":"H","residence":"urban","members":[{"id":"P1","name":"\xed\xa0\x80","birth_date":"1980-01-01",'
    b'"relationship":"head"}]}',
    b'{"id":"H","residence":"urban","members":[]} x', b"[1]", b"  \n", b"\xef\xbb\xbf\n", b"NaN",
])
@pytest.mark.parametrize("number", [1, 2])
def test_lines_read_quickly_as_fully(line: bytes, number: int) -> None:
    """Lines where orjson and the stdlib differ (BOM, lone surrogates, big integers, floats) or that are not
    households: the quick way gives what the full way gives."""
    for raw in (line, line.decode("utf-8", "surrogatepass")):
        expected = parse_line_fully(number, raw)
        got = parse_line(number, raw)
        assert got == expected and repr(got) == repr(expected)


@pytest.mark.parametrize("fields", [
    {"members": [dict(HEAD, id_number=id_number(dt.date(1980, 1, 2), 110101, 1))]},
    {"incomes": [{"category": "wage", "amount": "1", "from": "2025-02", "to": "2025-01"}]},
    {"incomes": [{"category": "wage", "amount": "1", "month": "2025-02", "to": "2025-03"}]},
    {"incomes": [{"category": "wage", "amount": "1", "from": "2025-02"}]},
    {"incomes": [{"category": "wage", "month": "2025-02"}]},
    {"incomes": [{"category": "wage", "amount": "1", "month": "2025-02", "days": 3}]},
    {"incomes": [{"category": "casual", "month": "2025-02", "land_mu": "1"}]},
    {"expenses": [{"id": "E1", "member": "P1", "kind": "outpatient", "date": "2025-01-01", "total": "5",
                   "insurance_paid": "6"}]},
    {"expenses": [{"id": "E1", "member": "P1", "kind": "outpatient", "date": "2025-01-01", "total": "5",
                   "in_scope": "6"}]},
    {"expenses": [{"id": "E1", "member": "P1", "kind": "outpatient", "date": "2025-01-01", "total": "5",
                   "in_scope": "3", "insurance_paid": "4"}]},
    {"events": [{"id": "V1", "kind": "fire", "date": "2025-01-01", "loss": "5", "compensated": "6"}]},
    {"housing": {"tenure": "rented", "dilapidated_grade": "C"}},
    {"members": [HEAD, dict(HEAD, id="P2")]},
    {"members": [HEAD, dict(HEAD, relationship="spouse")]},
    {"members": [dict(HEAD, relationship="spouse")]},
    {"assets": [{"kind": "deposit", "value": "1", "member": "P9"}]},
    {"history": [{"programme": "medical", "kind": "treatment", "date": "2025-01-03", "amount": "1",
                  "need": "E9"}]},
    {"expenses": [{"id": "N1", "member": "P1", "kind": "outpatient", "date": "2025-01-01", "total": "5"}],
     "events": [{"id": "N1", "kind": "fire", "date": "2025-01-01", "loss": "5"}]},
])
def test_fast_path_gives_up_on_every_cross_field_problem(fields: dict[str, Any]) -> None:
    raw = household(**fields)
    assert fast_read(raw) is None
    full, problems = full_read(raw)
    assert problems
    assert problems_of(raw) == problems


def test_fast_path_leaves_floats_to_the_full_reader() -> None:
    # A Python caller's exact float is money (parse_money); the fast path never takes a float (orjson's are
    # not exact), so the full reader reads it.
    raw = household(assets=[{"kind": "deposit", "value": 12.5}], housing={"tenure": "owned", "floor_area": 1.5})
    assert fast_read(raw) is None
    h = io.structure_household(raw)
    assert h.assets[0].value == Decimal("12.50") and str(h.housing.floor_area) == "1.5"


def test_fast_path_objects_are_the_model_classes() -> None:
    raw = household(members=[dict(HEAD, school={"stage": "primary"})],
                    incomes=[{"category": "wage", "amount": "10", "month": "2025-01"}],
                    expenses=[{"id": "E1", "member": "P1", "kind": "inpatient", "date": "2025-01-02",
                               "total": "5"}], history=[{"programme": "medical", "kind": "treatment",
                                                         "date": "2025-01-03", "amount": "1", "need": "E1"}])
    made = fast_read(raw)
    assert made is not None
    assert_identical(made, full_read(raw)[0])
    assert pickle.loads(pickle.dumps(made)) == made
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.members[0].name = "x"


def test_text_caches_keep_only_texts_that_read_and_empty_when_full() -> None:
    cache = _leaves.TextCache(_leaves.quantized, 2)
    assert cache("1.5") == Decimal("1.50") and cache("2") == Decimal("2.00")
    with pytest.raises(_leaves.Bad):
        cache("1.234")
    assert list(cache.values) == ["1.5", "2"]
    assert cache("3") == Decimal("3.00") and list(cache.values) == ["3"]  # full: emptied, then kept


def test_fast_path_takes_no_float_after_reading_the_equal_whole_number() -> None:
    # Money texts are cached by text only: 5 == 5.0, so a number as key would let the float through.
    assert fast_read(household(assets=[{"kind": "deposit", "value": 5}])) is not None
    assert fast_read(household(assets=[{"kind": "deposit", "value": 5.0}])) is None
    assert all(type(key) is str for key in _leaves.MONEY_TEXTS.values)
    assert fast_read(household(members=[dict(HEAD, birth_date=dt.date(1980, 1, 1))])) is None
