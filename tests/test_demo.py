"""The Demo City population generator (assistkit.dev.demo) and `assistkit demo-population`."""

from __future__ import annotations

import collections
import datetime as dt
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from assistkit import io
from assistkit.cli._demo import demo_population
from assistkit.dev.demo import DEFAULT_ON, demo_lines, generate, id_check_digit, make_id_number


def test_gb11643_check_digit():
    # The check character of the standard's worked example, and a few computed by hand (ISO 7064 MOD 11-2).
    assert id_check_digit("11010519491231002") == "X"
    assert id_check_digit("44052418800101001") == "4"
    number = make_id_number("110105", "1949-12-31", 2)
    assert number == "11010519491231002X"


def test_same_seed_same_population_and_different_seed_differs():
    a = list(demo_lines(300, seed=7))
    assert a == list(demo_lines(300, seed=7))
    assert a != list(demo_lines(300, seed=8))
    assert list(demo_lines(50, seed=7)) == a[:50]  # a prefix does not depend on n


@pytest.mark.parametrize(
    ("seed", "on"), [(1, DEFAULT_ON), (2, dt.date(2025, 3, 1)), (3, dt.date(2024, 12, 31))]
)
def test_every_household_is_valid(seed, on):
    ids = set()
    for line in demo_lines(1500, seed=seed, on=on):
        household = io.structure_household(json.loads(line, parse_float=Decimal))
        io.check_dates(household, on)
        assert household.id not in ids
        ids.add(household.id)


def test_the_population_has_the_variety_a_demo_needs():
    households = list(generate(5000, seed=11))
    sizes = collections.Counter(len(h["members"]) for h in households)
    assert set(sizes) == {1, 2, 3, 4, 5, 6}
    assert {h["residence"] for h in households} == {"urban", "rural"}
    assert any(h.get("hukou_local") is False for h in households)
    people = [p for h in households for p in h["members"]]
    assert any(p.get("disability_grade") for p in people)
    assert any(p.get("serious_illness") for p in people)
    assert any(
        p.get("has_capable_supporter") is False and len(h["members"]) == 1
        for h in households
        for p in h["members"]
    )
    assert {p["school"]["stage"] for p in people if "school" in p} >= {
        "preschool",
        "primary",
        "junior",
        "senior",
        "undergraduate",
    }
    incomes = [i for h in households for i in h.get("incomes", ())]
    categories = {i["category"] for i in incomes}
    assert categories >= {"wage", "casual", "business", "farm", "pension", "transfer", "support"}
    assert any("days" in i for i in incomes) and any("land_mu" in i for i in incomes)
    assert any(i.get("kind") == "disability_allowance" for i in incomes)
    expenses = [e for h in households for e in h.get("expenses", ())]
    assert {e["kind"] for e in expenses} >= {"inpatient", "outpatient_chronic", "tuition"}
    assert all(
        Decimal(e.get("insurance_paid", "0")) <= Decimal(e.get("in_scope", e["total"])) for e in expenses
    )
    assert any(h.get("events") for h in households)
    assert any(h.get("history") for h in households)
    enrolled = {e["programme"] for h in households for e in h.get("enrolments", ())}
    assert enrolled == {"dibao", "tekun", "housing"}
    assert any("gradual_exit_from" in e for h in households for e in h.get("enrolments", ()))
    tenures = {h["housing"]["tenure"] for h in households if "housing" in h}
    assert tenures >= {"owned", "rented", "public_rental"}
    assert any(h.get("housing", {}).get("dilapidated_grade") for h in households)
    numbers = [p["id_number"] for p in people if "id_number" in p]
    assert 0 < len(numbers) < len(people) / 10
    assert all(n[:17].isdigit() and id_check_digit(n[:17]) == n[17] for n in numbers)


def test_cli_writes_the_same_population_as_the_library(tmp_path):
    out = tmp_path / "pop.jsonl"
    result = CliRunner().invoke(demo_population, ["200", "--seed", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == "".join(demo_lines(200, seed=4))
    result = CliRunner().invoke(demo_population, ["3", "--seed", "4", "--on", "2025-07-15"])
    assert result.output == "".join(demo_lines(3, seed=4))
