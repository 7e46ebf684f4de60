"""Localities on national-core: the chain of bases, missing values, timelines that replace, the household's own
locality, and the worked examples of reference/china-rules.md §9 to the fen (E01, E02, E05, E10, E16, E19)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assistkit import io
from assistkit.cli import main
from assistkit.engine import Engine
from assistkit.errors import InvalidHousehold, PolicyError
from assistkit.policy import bundled_localities, load_policy

HERE = Path(__file__).resolve().parent / "localities"
BASIC = ["tekun", "dibao", "low_income"]


def example(name: str) -> tuple[Any, dt.date]:
    data = json.loads((HERE / name).read_text(encoding="utf-8"))
    return io.structure_household(data["household"]), dt.date.fromisoformat(data["on"])


def monthly(determination: Any, programme: str) -> str:
    return str(determination.to_json()["programmes"][programme]["monthly"])


# -- the chain of bases -------------------------------------------------------------------------------------


def test_bundled_localities_are_national_core_and_its_two_localities() -> None:
    assert set(bundled_localities()) >= {"national-core", "demo-city", "sample-district"}
    demo = load_policy("demo-city")
    assert demo.files[0] == "<assistkit>/localities/national-core.toml"


def test_a_locality_missing_three_values_names_all_three(tmp_path: Path) -> None:
    text = (HERE / "e01-national.toml").read_text(encoding="utf-8")
    for line in ("urban = { 2024-01-01 = 400 }", "window_months = { 2024-01-01 = 1 }",
                 "vehicle_value_limit = { 2024-01-01 = 0 }"):
        assert line in text
        text = text.replace(line, "")
    path = tmp_path / "short.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        Engine(locality=path, only=BASIC)
    message = str(info.value)
    assert "leaves 3 parameters without a value" in message
    assert "  standard.urban (§1.5): monthly minimum-living standard S, urban" in message
    assert "  income.window_months (§1.3)" in message
    assert "  assets.vehicle_value_limit (§4.2)" in message
    assert info.value.file == str(path)


def test_a_localitys_timeline_replaces_its_bases(tmp_path: Path) -> None:
    """Demo City changes S on 2025-07-01; a locality on it that says 1450 from 2024-07-01 keeps 1450."""
    path = tmp_path / "my-county.toml"
    path.write_text('extends = "demo-city"\nlocality = "my-county"\n'
                    "[standard]\nurban = { 2024-07-01 = 1450 }\n", encoding="utf-8")
    policy = load_policy(path)
    assert policy.locality == "my-county"
    for on in (dt.date(2024, 7, 1), dt.date(2025, 7, 1), dt.date(2030, 1, 1)):
        assert policy.at(on)["standard.urban"] == Decimal("1450")
        assert policy.at(on).source("standard.urban").file == str(path)
    assert [d for d, _, _ in policy.timeline("standard.urban")] == [dt.date(2024, 7, 1)]
    # The rural standard it does not give is Demo City's whole timeline.
    assert policy.at(dt.date(2025, 7, 1))["standard.rural"] == Decimal("850")
    # An override file (files=) amends by date instead: Demo City's later change still applies.
    amend = tmp_path / "amend.toml"
    amend.write_text("[standard]\nurban = { 2024-07-01 = 1450 }\n", encoding="utf-8")
    assert load_policy("demo-city", [amend]).at(dt.date(2025, 7, 1))["standard.urban"] == Decimal("1050")


def test_a_locality_file_must_say_what_it_extends(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text("[standard]\nurban = { 2024-07-01 = 1450 }\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="must say what it extends") as info:
        load_policy(path)
    assert info.value.key == "extends"
    loop = tmp_path / "loop.toml"
    loop.write_text('extends = "loop.toml"\n', encoding="utf-8")
    with pytest.raises(PolicyError, match="circle"):
        load_policy(loop)


def test_params_shows_each_values_file_and_date() -> None:
    result = CliRunner().invoke(main, ["params", "--locality", "sample-district", "--on", "2024-09-15"])
    assert result.exit_code == 0, result.output
    assert "standard.urban = 1450.00 yuan/month  (sample-district.toml, from 2024-07-01)" in result.output
    assert "tekun.care.none = 0.60 × reference.minimum_wage yuan/month  (sample-district.toml" in result.output


# -- the household's own locality -----------------------------------------------------------------------------


def test_a_household_of_a_locality_the_engine_does_not_know_is_rejected() -> None:
    household, on = example("e10-tekun.json")
    engine = Engine(only=BASIC)
    with pytest.raises(InvalidHousehold) as info:
        engine.assess(household, on)
    (path, message), = info.value.problems
    assert path == "locality" and "'sample-district'" in message and "'demo-city'" in message


def test_a_mixed_batch_assesses_each_household_under_its_own_locality(tmp_path: Path) -> None:
    e10, _ = example("e10-tekun.json")
    demo = json.loads(Path(__file__).with_name("examples").joinpath("02-rural-tekun-elderly.json").read_text())
    e10_json = io.unstructure_household(e10)
    lines = [json.dumps(record, ensure_ascii=False) for i in range(3)
             for record in ({**e10_json, "id": f"E10-{i}"}, {**demo["household"], "id": f"H-02-{i}"})]
    population = tmp_path / "mixed.jsonl"
    population.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.jsonl"
        result = CliRunner().invoke(main, ["batch", str(population), "--on", "2025-07-15", "--also", "sample-district",
                                           "--workers", workers, "--out", str(out), "--no-progress"])
        assert result.exit_code == 0, result.output
        outputs[workers] = out.read_bytes()
    assert outputs["1"] == outputs["2"]
    results = [json.loads(line) for line in outputs["1"].decode().splitlines()]
    assert [r["policy"] for r in results[:2]] == ["sample-district", "demo-city"]
    assert results[0]["programmes"]["tekun"]["monthly"] == "3627.00"
    # Without --also the sample-district households are rejected, each with its line, and the others assessed.
    result = CliRunner().invoke(main, ["batch", str(population), "--on", "2025-07-15", "--out",
                                       str(tmp_path / "only.jsonl"), "--no-progress"])
    assert result.exit_code == 1
    rejected = [json.loads(line) for line in (tmp_path / "only.jsonl").read_text().splitlines()]
    assert "locality" in json.dumps(rejected[0], ensure_ascii=False) and rejected[1]["policy"] == "demo-city"


# -- worked examples (china-rules.md §9) ----------------------------------------------------------------------


def test_e01_difference_method_on_national_core() -> None:
    household, on = example("e01-household.json")
    determination = Engine(locality=HERE / "e01-national.toml", only=BASIC).assess(household, on)
    assert determination.to_json()["statuses"]["household"] == ["dibao"]
    assert monthly(determination, "dibao") == "300.00"


def test_e02_difference_plus_uplift() -> None:
    household, on = example("e02-household.json")
    determination = Engine(locality=HERE / "e02-zhongshan.toml", only=BASIC).assess(household, on)
    reasons = determination.to_json()["programmes"]["dibao"]["reasons"]
    gap = next(r for r in reasons if r["rule"] == "dibao.gap_household")
    uplift = next(r for r in reasons if r["rule"] == "dibao.uplift")
    assert gap["values"]["gap"] == "1200.00" and uplift["values"]["amount"] == "440.00"
    assert monthly(determination, "dibao") == "1640.00"


@pytest.mark.parametrize(("income", "counted"), [
    ("1200", "1200.00"), ("2000", "1450.00"), ("3000", "1840.00"), ("1450", "1450.00"), ("2610", "1450.00"),
])
def test_e05_self_employed_bands_in_sample_district(income: str, counted: str) -> None:
    household, on = example("e05-self-employed.json")
    amount = str(Decimal(income) * 12)
    household = io.structure_household({**io.unstructure_household(household), "incomes": [
        {"member": "P1", "category": "business", "amount": amount, "from": "2023-09", "to": "2024-08"}]})
    determination = Engine(locality="sample-district", only=BASIC).assess(household, on)
    assert determination.to_json()["income"]["per_capita"] == counted


def test_e10_tekun_in_sample_district() -> None:
    household, on = example("e10-tekun.json")
    determination = Engine(locality="sample-district", only=BASIC).assess(household, on)
    tekun = determination.to_json()["programmes"]["tekun"]
    amounts = {r["rule"]: r["values"]["amount"] for r in tekun["reasons"] if "amount" in r["values"]}
    assert amounts == {"tekun.basic_rounded": "2175.00", "tekun.care": "1452.00"}
    assert tekun["monthly"] == "3627.00"
    assert determination.to_json()["statuses"] == {"household": [], "members": {"P1": ["tekun"]}}
    partial = io.structure_household({**io.unstructure_household(household), "members": [
        {**io.unstructure_household(household)["members"][0], "self_care": "partial"}]})
    care = Engine(locality="sample-district", only=BASIC).assess(partial, on).to_json()["programmes"]["tekun"]
    assert care["monthly"] == "3143.00"  # 2175 + 0.40 × 2420


def test_assess_cli_gives_the_figures_of_sample_district() -> None:
    result = CliRunner().invoke(main, ["assess", str(HERE / "e10-tekun.json"), "--locality", "sample-district"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output[result.output.index("{"):])
    assert document["programmes"]["tekun"]["monthly"] == "3627.00"


def _e16_household(kind: str) -> Any:
    """E16: one member with an inpatient bill of 25000 policy-scope out-of-pocket after insurance, in a
    marginal, a dibao or a tekun household under S = 400."""
    if kind == "tekun":
        members = [{"id": "P1", "name": "甲", "birth_date": "1950-01-01", "relationship": "head",
                    "has_capable_supporter": False}]
        incomes: list[dict[str, str]] = []
    else:
        members = [{"id": f"P{i}", "name": "甲乙丙"[i - 1], "birth_date": f"19{70 + i}-01-01",
                    "relationship": "head" if i == 1 else "child"} for i in (1, 2, 3)]
        incomes = [{"member": "P1", "category": "pension", "month": "2024-05",
                    "amount": "1500" if kind == "marginal" else "900"}]
    return io.structure_household({
        "id": f"E16-{kind}", "locality": "e16-suqian", "residence": "urban", "members": members,
        "incomes": incomes, "expenses": [{"id": "B1", "member": "P1", "kind": "inpatient", "date": "2024-05-20",
                                          "total": "25000", "in_scope": "25000", "insurance_paid": "0"}]})


@pytest.mark.parametrize(("kind", "deductible", "assistance"), [
    ("marginal", "3000.00", "15400.00"), ("dibao", "0.00", "20000.00"), ("tekun", "0.00", "25000.00"),
])
def test_e16_deductible_ratio_and_cap(kind: str, deductible: str, assistance: str) -> None:
    engine = Engine(locality=HERE / "e16-suqian.toml", only=[*BASIC, "medical"])
    medical = engine.assess(_e16_household(kind), dt.date(2024, 6, 15)).to_json()["programmes"]["medical"]
    (reason,) = [r for r in medical["reasons"] if r["rule"] == "medical.treatment_care"]
    assert reason["values"]["status"] == kind and reason["values"]["care"] == "inpatient"
    assert reason["values"]["care_cap"] == "90000.00" and reason["values"]["cap"] == "100000.00"
    assert reason["values"]["deductible_used"] == deductible
    assert reason["values"]["amount"] == assistance
    assert reason["values"]["cap_left"] == "90000.00"  # before this bill: the cap is not binding
    if kind == "marginal":
        assert Decimal(reason["values"]["cap_left"]) - Decimal(assistance) == Decimal("74600.00")  # after it


def test_e19_education_package_in_sample_district() -> None:
    household, on = example("e19-education.json")
    determination = Engine(locality="sample-district").assess(household, on).to_json()
    grants = {p["member"]: p["amount"] for p in determination["programmes"]["education"]["payments"]
              if p["kind"] == "grant"}
    assert grants == {"P2": "2700.00", "P3": "300.00", "P4": "2000.00", "P5": "4500.00"}
    rules = {r["values"]["member"]: r["rule"] for r in determination["programmes"]["education"]["reasons"]
             if r["rule"] in ("education.grant", "education.non_boarder_grant")}
    assert rules["P3"] == "education.non_boarder_grant"
    assert determination["policy"] == "sample-district"


@pytest.mark.parametrize(("on", "paid", "rule"), [
    ("2024-08-15", "1000.00", "dibao.gradual_exit"),          # month 2 of 6: the enrolled amount
    ("2024-10-15", "500.00", "dibao.gradual_exit_reduced"),   # month 4: 50 % (B1 §10(4))
])
def test_gradual_exit_factors_in_sample_district(on: str, paid: str, rule: str) -> None:
    household = io.structure_household({
        "id": "GX", "locality": "sample-district", "residence": "urban",
        "members": [{"id": "P1", "name": "周", "birth_date": "1980-01-01", "relationship": "head"}],
        "incomes": [{"member": "P1", "category": "wage", "amount": "48000", "from": "2023-07", "to": "2024-12"}],
        "enrolments": [{"programme": "dibao", "since": "2023-01-01", "monthly_amount": "1000",
                        "gradual_exit_from": "2024-07-01"}]})
    dibao = Engine(locality="sample-district", only=BASIC).assess(household, dt.date.fromisoformat(on)).to_json()
    assert dibao["programmes"]["dibao"]["monthly"] == paid
    assert rule in [r["rule"] for r in dibao["programmes"]["dibao"]["reasons"]]


@pytest.mark.parametrize(("members", "facts", "monthly"), [
    # A couple with a seriously ill member: counted income 3000 − 1.0 × 1450 = 1550, per capita 775; the gap
    # 2 × 1450 − 1550 = 1350, plus the uplift 0.35 × 1450 = 507.50 of the ill member (B1 §10(1), §10(2)).
    ([("P1", "head", "1980-01-01", True), ("P2", "spouse", "1982-01-01", False)],
     ["serious_illness_or_severe_disability"], "1857.50"),
    # A single parent with a child of 10: 3000 − 1450 = 1550; gap 1350 + the child's uplift 362.50.
    ([("P1", "head", "1980-01-01", False), ("P2", "child", "2014-01-01", False)], ["single_parent"], "1712.50"),
])
def test_income_reduction_keyed_on_member_facts(members: list[tuple[str, str, str, bool]], facts: list[str],
                                                  monthly: str) -> None:
    household = io.structure_household({
        "id": "IR", "locality": "sample-district", "residence": "urban",
        "members": [{"id": i, "name": i, "birth_date": b, "relationship": r, "serious_illness": ill}
                    for i, r, b, ill in members],
        "incomes": [{"member": "P1", "category": "pension", "amount": "36000", "from": "2023-09", "to": "2024-08"}]})
    dibao = Engine(locality="sample-district", only=BASIC).assess(household, dt.date(2024, 9, 15)).to_json()
    reason = next(r for r in dibao["programmes"]["dibao"]["reasons"] if r["rule"] == "dibao.income_reduction")
    assert reason["values"]["facts"] == facts and reason["values"]["reduced"] == "1550.00"
    assert dibao["programmes"]["dibao"]["monthly"] == monthly
