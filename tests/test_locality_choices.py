"""Locality choices a policy file alone now expresses (reference/china-rules.md §3.4, §5.3, §5.7): each with a test
that a locality file switches it, the rule's figures, and properties (bounds, monotonicity)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit import io
from assistkit.engine import Engine
from assistkit.errors import PolicyError
from assistkit.explain import render_reason
from assistkit.means import RULES, account_income
from assistkit.policy import load_policy

BASIC = ["tekun", "dibao", "low_income"]
SLOW = settings(deadline=None)  # whole assessments: no per-example deadline (speed is measured in benchmarks/)
ON = dt.date(2025, 7, 15)  # Demo City: window 2025-01 … 2025-06, S = 1050 urban


def locality(tmp_path: Path, text: str, name: str = "my-county", extends: str = "demo-city") -> Path:
    """A locality file on ``extends`` with ``text`` (TOML tables) and nothing else."""
    path = tmp_path / f"{name}.toml"
    path.write_text(f'extends = "{extends}"\nlocality = "{name}"\n{text}', encoding="utf-8")
    return path


def household(name: str, incomes: list[dict[str, str]], members: list[dict[str, Any]] | None = None,
              **extra: Any) -> Any:
    members = members or [{"id": "P1", "name": "甲", "birth_date": "1980-01-01", "relationship": "head"},
                          {"id": "P2", "name": "乙", "birth_date": "1982-01-01", "relationship": "spouse"}]
    return io.structure_household({"id": "H", "locality": name, "residence": "urban", "members": members,
                                   "incomes": incomes, **extra})


# -- china-rules §3.4: the employment deduction's base and cap by employment type ------------------------------

_WAGE = [{"member": "P1", "category": "wage", "amount": "12000", "from": "2025-01", "to": "2025-06"}]
_BUSINESS = [{"member": "P1", "category": "business", "amount": "12000", "from": "2025-01", "to": "2025-06"}]


def _per_capita(path: Path | str, incomes: list[dict[str, str]], name: str = "my-county") -> str:
    determination = Engine(locality=path, only=BASIC).assess(household(name, incomes), ON)
    return str(determination.to_json()["income"]["per_capita"])


def test_demo_city_deducts_a_share_of_s_from_every_worker() -> None:
    # 2000 a month − min(2000, 0.3 × 1050 = 315) = 1685, per capita 842.50.
    assert _per_capita("demo-city", _WAGE, "demo-city") == "842.50"


@pytest.mark.parametrize(("table", "incomes", "per_capita"), [
    # Putian: 30 % of the work income: 2000 − 600 = 1400.
    ('employment_deduction_base = { 2025-01-01 = { employee = "income", self_employed = "income" } }',
     _WAGE, "700.00"),
    # Xing'an League: a share of the minimum wage, 0.3 × 2000 = 600 (the minimum wage a reference value).
    ('employment_deduction_base = { 2025-01-01 = { employee = "minimum_wage" } }\n'
     "[reference]\nminimum_wage = { 2025-01-01 = 2000 }", _WAGE, "700.00"),
    # A cap per type: employees at most 100 a month, the self-employed keep 0.3 × S.
    ("employment_deduction_cap = { 2025-01-01 = { employee = 100 } }", _WAGE, "950.00"),
    ("employment_deduction_cap = { 2025-01-01 = { employee = 100 } }", _BUSINESS, "842.50"),
    # Guizhou: a cap written as a multiple of a reference value, 0.1 × 2000 = 200.
    ('employment_deduction_base = { 2025-01-01 = { self_employed = "income" } }\n'
     'employment_deduction_cap = { 2025-01-01 = { self_employed = { times = 0.1, of = "reference.minimum_wage" } } }\n'
     "[reference]\nminimum_wage = { 2025-01-01 = 2000 }", _BUSINESS, "900.00"),
])
def test_a_locality_file_alone_switches_the_employment_deduction(tmp_path: Path, table: str,
                                                                  incomes: list[dict[str, str]],
                                                                  per_capita: str) -> None:
    path = locality(tmp_path, "[income]\n" + table + "\n")
    assert _per_capita(path, incomes) == per_capita


def test_the_typed_deduction_explains_itself_in_both_languages(tmp_path: Path) -> None:
    path = locality(tmp_path, "[income]\nemployment_deduction_base = { 2025-01-01 = { employee = \"income\" } }\n"
                              "employment_deduction_cap = { 2025-01-01 = { employee = 500 } }\n")
    determination = Engine(locality=path, only=BASIC).assess(household("my-county", _WAGE), ON)
    texts = determination.explain("zh"), determination.explain("en")
    assert "成员 P1（受雇就业）月工作收入 2000.00 元，就业成本扣减取 2000.00、0.30 × 本人工作收入 2000.00 = 600.00 " \
           "与上限 500.00 中的最小者 = 500.00 元，计入 1500.00 元" in texts[0]
    assert "employment-cost deduction for P1 (employee): min(monthly work income 2000.00, 0.30 × own work income " \
           "2000.00 = 600.00, cap 500.00) = 500.00 yuan; counted 1500.00 yuan" in texts[1]


def test_a_base_or_type_the_rule_does_not_know_is_named(tmp_path: Path) -> None:
    path = locality(tmp_path, '[income]\nemployment_deduction_base = { 2025-01-01 = { employee = "wage" } }\n')
    with pytest.raises(PolicyError, match="expected one of 'standard', 'income', 'minimum_wage'") as info:
        load_policy(path)
    assert info.value.key == "income.employment_deduction_base.2025-01-01.employee"
    path = locality(tmp_path, "[income]\nemployment_deduction_cap = { 2025-01-01 = { farmer = 100 } }\n")
    with pytest.raises(PolicyError, match="expected a key among 'employee', 'self_employed'") as info:
        load_policy(path)
    assert info.value.key == "income.employment_deduction_cap.2025-01-01.farmer"
    path = locality(tmp_path, "[income]\nemployment_deduction_cap = { 2025-01-01 = { employee = "
                              '{ times = 1, of = "reference.wage" } } }\n')
    with pytest.raises(PolicyError, match="reference.wage is not a declared parameter") as info:
        load_policy(path)
    assert info.value.key == "income.employment_deduction_cap.2025-01-01.employee.of"


def test_a_minimum_wage_base_without_a_minimum_wage_is_named(tmp_path: Path) -> None:
    path = locality(tmp_path, '[income]\nemployment_deduction_base = { 2025-01-01 = { employee = "minimum_wage" } }\n')
    with pytest.raises(KeyError, match="needs a value of reference.minimum_wage"):
        Engine(locality=path, only=BASIC).assess(household("my-county", _WAGE), ON)


def _typed_account(monthly: Decimal, base: str, rate: Decimal, cap: Decimal | None, business: bool) -> Any:
    category = "business" if business else "wage"
    one = household("demo-city", [{"member": "P1", "category": category, "amount": str(monthly * 6),
                                   "from": "2025-01", "to": "2025-06"}],
                    members=[{"id": "P1", "name": "甲", "birth_date": "1980-01-01", "relationship": "head"}])
    params = dict(load_policy("demo-city").at(ON))
    params["income.employment_deduction_rate"] = rate
    params["income.employment_deduction_base"] = {"employee": base, "self_employed": base}
    params["reference.minimum_wage"] = Decimal("2000")
    if cap is not None:
        from assistkit.policy import Line
        params["income.employment_deduction_cap"] = {"employee": Line(cap), "self_employed": Line(cap)}
    return account_income(one, ["P1"], ON, params, Decimal("1050"))


_FEN = st.integers(min_value=0, max_value=5_000_000).map(lambda n: Decimal(n) / 100)
_RATE = st.integers(min_value=0, max_value=100).map(lambda n: Decimal(n) / 100)
_BASES = st.sampled_from(["standard", "income", "minimum_wage"])
_CAPS = st.none() | st.integers(min_value=0, max_value=300_000).map(lambda n: Decimal(n) / 100)


@SLOW
@given(_FEN, _FEN, _BASES, _RATE, _CAPS, st.booleans())
def test_the_typed_deduction_is_bounded_and_counted_income_never_falls_as_work_income_rises(
        low: Decimal, high: Decimal, base: str, rate: Decimal, cap: Decimal | None, business: bool) -> None:
    low, high = sorted((low, high))
    first = _typed_account(low, base, rate, cap, business)
    second = _typed_account(high, base, rate, cap, business)
    for found, income in ((first, low), (second, high)):
        assert Decimal(0) <= found.employment_deduction <= income
        assert cap is None or found.employment_deduction <= cap
        assert found.employment_deduction <= rate * max(income, Decimal("1050"), Decimal("2000"))
        typed = [r for r in found.reasons if r.rule.startswith("income.employment_deduction_typed")]
        assert len(typed) == (1 if income else 0)
        for reason in typed:
            assert reason.values["deduction"] == found.employment_deduction
            assert render_reason(reason, RULES, "zh").startswith("成员 P1（")
    assert first.net <= second.net


# -- china-rules §5.7: medical ratios and caps per care type ----------------------------------------------------

_SAMPLE_ON = dt.date(2024, 9, 15)
_PEOPLE = [{"id": f"P{i}", "name": "甲乙丙"[i - 1], "birth_date": f"19{70 + i}-01-01",
            "relationship": "head" if i == 1 else "child"} for i in (1, 2, 3)]


def _bill(bill_id: str, kind: str, day: str, amount: str) -> dict[str, str]:
    return {"id": bill_id, "member": "P1", "kind": kind, "date": day, "total": amount, "in_scope": amount,
            "insurance_paid": "0"}


def _dibao_household(name: str, bills: list[dict[str, str]], month: str = "2024-05") -> Any:
    """Three people with a pension of 900 in one month of the window: dibao anywhere S is above 300."""
    return household(name, [{"member": "P1", "category": "pension", "month": month, "amount": "900"}],
                     members=_PEOPLE, expenses=bills)


def _treatments(determination: Any) -> dict[str, tuple[str, str]]:
    medical = determination.to_json()["programmes"]["medical"]
    return {r["values"]["need"]: (r["rule"], r["values"]["amount"]) for r in medical["reasons"]
            if r["rule"].startswith("medical.treatment")}


def test_sample_district_pays_outpatient_and_inpatient_at_their_own_ratios_and_caps() -> None:
    """B5 §6–§7: a dibao member, 80 % of outpatient bills up to 8000 a year, 85 % of inpatient ones (chronic
    outpatient follows the inpatient rules)."""
    bills = [_bill("O1", "outpatient", "2024-08-01", "6000"), _bill("O2", "outpatient", "2024-08-10", "5000"),
             _bill("I1", "inpatient", "2024-08-20", "25000"), _bill("C1", "outpatient_chronic", "2024-08-25", "10000")]
    determination = Engine(locality="sample-district", only=[*BASIC, "medical"]).assess(
        _dibao_household("sample-district", bills), _SAMPLE_ON)
    assert determination.to_json()["statuses"]["household"] == ["dibao"]
    assert _treatments(determination) == {
        "O1": ("medical.treatment_care", "4800.00"),    # 0.80 × 6000
        "O2": ("medical.treatment_care", "3200.00"),    # 0.80 × 5000 = 4000, 8000 − 4800 left
        "I1": ("medical.treatment_care", "21250.00"),   # 0.85 × 25000
        "C1": ("medical.treatment_care", "8500.00"),    # 0.85 × 10000, inpatient rules
    }
    text = determination.explain("zh")
    assert "O2（P1，低保，门诊，2024-08-10）" in text and "门诊年度限额 8000.00，已付 4800.00" in text


def test_a_locality_file_alone_assists_plain_outpatient_bills(tmp_path: Path) -> None:
    bills = [_bill("O1", "outpatient", "2025-06-01", "1000")]
    demo = Engine(only=[*BASIC, "medical"]).assess(_dibao_household("demo-city", bills, "2025-05"), ON)
    assert [r["rule"] for r in demo.to_json()["programmes"]["medical"]["reasons"]
            if r["values"].get("need") == "O1"] == ["medical.kind_not_covered"]
    path = locality(tmp_path, '[medical]\ncare_type = { 2025-01-01 = { inpatient = "inpatient", '
                              'outpatient = "outpatient" } }\n'
                              "ratio_by_care = { 2025-01-01 = { dibao = { outpatient = 0.5 } } }\n")
    mine = Engine(locality=path, only=[*BASIC, "medical"]).assess(_dibao_household("my-county", bills, "2025-05"), ON)
    assert _treatments(mine) == {"O1": ("medical.treatment_care_open", "500.00")}
    chronic = [_bill("C1", "outpatient_chronic", "2025-06-01", "1000")]
    mine = Engine(locality=path, only=[*BASIC, "medical"]).assess(_dibao_household("my-county", chronic, "2025-05"),
                                                                 ON)
    reasons = mine.to_json("en")["programmes"]["medical"]["reasons"]
    (listed,) = [r for r in reasons if r["rule"] == "medical.kind_not_listed"]
    assert "not among the kinds this locality assists (inpatient, outpatient)" in listed["text"]


_SAMPLE: dict[str, Engine] = {}


def _sample_engine() -> Engine:
    if not _SAMPLE:
        _SAMPLE["engine"] = Engine(locality="sample-district", only=[*BASIC, "medical"])
    return _SAMPLE["engine"]


_BILLS = st.lists(st.tuples(st.sampled_from(["outpatient", "inpatient", "outpatient_chronic"]),
                            st.integers(min_value=0, max_value=20_000_000)), min_size=1, max_size=6)


@SLOW
@given(_BILLS)
def test_care_type_payments_keep_within_their_ratio_and_caps(bills: list[tuple[str, int]]) -> None:
    records = [_bill(f"B{i}", kind, f"2024-08-{i + 1:02d}", str(Decimal(fen) / 100))
               for i, (kind, fen) in enumerate(bills)]
    determination = _sample_engine().assess(_dibao_household("sample-district", records), _SAMPLE_ON)
    paid = {"outpatient": Decimal(0), "inpatient": Decimal(0)}
    for record, (kind, fen) in zip(records, bills, strict=True):
        rule, amount = _treatments(determination)[record["id"]]
        care = "outpatient" if kind == "outpatient" else "inpatient"
        ratio = Decimal("0.80") if care == "outpatient" else Decimal("0.85")
        assert Decimal(0) <= Decimal(amount) <= (ratio * Decimal(fen) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        paid[care] += Decimal(amount)
    assert paid["outpatient"] <= 8000 and paid["inpatient"] <= 160000


@SLOW
@given(st.integers(min_value=0, max_value=30_000_000), st.integers(min_value=0, max_value=30_000_000),
       st.sampled_from(["outpatient", "inpatient"]))
def test_a_larger_bill_is_never_assisted_less(low: int, high: int, kind: str) -> None:
    low, high = sorted((low, high))
    amounts = []
    for fen in (low, high):
        record = _bill("B1", kind, "2024-08-01", str(Decimal(fen) / 100))
        determination = _sample_engine().assess(_dibao_household("sample-district", [record]), _SAMPLE_ON)
        amounts.append(Decimal(_treatments(determination)["B1"][1]))
    assert amounts[0] <= amounts[1]


# -- china-rules §5.3: a marginal line that is not a multiple of S ------------------------------------------------


def _one_person(name: str, monthly: Decimal, first: str, last: str) -> Any:
    months = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1
    return household(name, [{"member": "P1", "category": "pension", "amount": str(monthly * months), "from": first,
                             "to": last}],
                     members=[{"id": "P1", "name": "甲", "birth_date": "1970-01-01", "relationship": "head"}])


def _statuses(engine: Engine, one: Any, on: dt.date) -> list[str]:
    return list(engine.assess(one, on).to_json()["statuses"]["household"])


def test_sample_district_marks_households_below_its_low_income_line_marginal() -> None:
    """B1 §11(1): per-capita income below L = 2420 (not 1.5 × S = 2175) makes a low-income household."""
    engine = Engine(locality="sample-district", only=BASIC)
    one = _one_person("sample-district", Decimal("2300"), "2023-09", "2024-08")
    determination = engine.assess(one, _SAMPLE_ON)
    assert determination.to_json()["statuses"]["household"] == ["marginal"]
    assert "人均收入 2300.00 元 < 低保边缘收入线 2420.00 元" in determination.explain("zh")
    assert determination.to_json()["programmes"]["low_income"]["threshold"]["per_capita_below"] == "2420.00"
    assert _statuses(engine, _one_person("sample-district", Decimal("2420"), "2023-09", "2024-08"), _SAMPLE_ON) == []


def test_a_locality_file_alone_sets_its_own_marginal_line(tmp_path: Path) -> None:
    one = _one_person("demo-city", Decimal("1500"), "2025-01", "2025-06")
    assert _statuses(Engine(only=BASIC), one, ON) == ["marginal"]  # below 1.5 × 1050 = 1575
    path = locality(tmp_path, '[marginal]\nline = { 2025-01-01 = { times = 1.2, of = "standard.urban" } }\n')
    mine = _one_person("my-county", Decimal("1500"), "2025-01", "2025-06")
    assert _statuses(Engine(locality=path, only=BASIC), mine, ON) == []  # not below 1.2 × 1050 = 1260
    path = locality(tmp_path, "[marginal]\nline = { 2025-01-01 = 1600 }\n")
    determination = Engine(locality=path, only=BASIC).assess(mine, ON)
    assert determination.to_json()["statuses"]["household"] == ["marginal"]
    assert "per-capita income 1500.00 < the marginal line 1600.00" in determination.explain("en")


_LINE_ENGINES: dict[str, Engine] = {}


@SLOW
@given(st.integers(min_value=0, max_value=500_000))
def test_the_marginal_line_decides_exactly_between_s_and_l(fen: int) -> None:
    """One person without assets in sample-district: dibao below S, marginal for S ≤ income < L, nothing above;
    so a lower income never loses a status a higher one has."""
    if not _LINE_ENGINES:
        _LINE_ENGINES["sample"] = Engine(locality="sample-district", only=BASIC)
    monthly = Decimal(fen) / 100
    found = _statuses(_LINE_ENGINES["sample"], _one_person("sample-district", monthly, "2023-09", "2024-08"),
                      _SAMPLE_ON)
    expected = ["dibao"] if monthly < 1450 else ["marginal"] if monthly < 2420 else []
    assert found == expected


# -- china-rules §5.11: the banded expenditure schedule of temporary relief ------------------------------------

_TEMPORARY = [*BASIC, "medical", "temporary"]


def _temporary(determination: Any) -> dict[str, Any]:
    return determination.to_json()["programmes"]["temporary"]  # type: ignore[no-any-return]


def test_sample_district_pays_a_banded_share_of_what_remains_for_a_dibao_household() -> None:
    """B3 §3: a dibao household's inpatient bill of 50000; medical assistance pays 85 % = 42500; the 7500 left
    (≥ 2000) gets 40 % = 3000, within 24 × S = 34800."""
    bills = [_bill("I1", "inpatient", "2024-08-20", "50000")]
    determination = Engine(locality="sample-district", only=_TEMPORARY).assess(
        _dibao_household("sample-district", bills), _SAMPLE_ON)
    temporary = _temporary(determination)
    assert [(p["need"], p["amount"]) for p in temporary["payments"]] == [("I1", "3000.00")]
    (reason,) = [r for r in temporary["reasons"] if r["rule"] == "temporary.schedule"]
    assert reason["values"]["remaining"] == "7500.00" and reason["values"]["cap"] == "34800.00"
    small = [_bill("I1", "inpatient", "2024-08-20", "10000")]  # 1500 left: below the threshold 2000
    temporary = _temporary(Engine(locality="sample-district", only=_TEMPORARY).assess(
        _dibao_household("sample-district", small), _SAMPLE_ON))
    assert temporary["payments"] == []
    assert "temporary.below_threshold" in [r["rule"] for r in temporary["reasons"]]


@pytest.mark.parametrize(("grade", "amount", "rule"), [
    (None, "21000.00", "temporary.schedule"),       # 0.30 × 30000 + 0.40 × 30000
    (1, "27000.00", "temporary.schedule_bonus"),     # + 10 points on each band (a severely disabled member)
])
def test_sample_district_gives_a_household_without_status_its_own_test_and_schedule(grade: int | None, amount: str,
                                                                                   rule: str) -> None:
    """B3 §1(2): three people holding no status (per capita 3000, above L = 2420; the tuition of 5000 a month is
    not above 0.6 × 9000, so no expenditure hardship), a pension of 9000 a month and a tuition bill of 60000 in
    the year: (9000 − 60000 ÷ 12) ÷ 3 = 1333.33 < 2420, so expenditure relief; B3 §3 others: 60000 ≥ 5000."""
    people = [dict(p) for p in _PEOPLE]
    if grade is not None:
        people[1]["disability_grade"] = grade
    one = household("sample-district", [{"member": "P1", "category": "pension", "amount": "108000",
                                         "from": "2023-09", "to": "2024-08"}], members=people,
                    expenses=[{"id": "T1", "member": "P2", "kind": "tuition", "date": "2024-08-20", "total": "60000"}])
    determination = Engine(locality="sample-district", only=_TEMPORARY).assess(one, _SAMPLE_ON)
    assert determination.to_json()["statuses"] == {"household": [], "members": {}}
    temporary = _temporary(determination)
    assert [(p["need"], p["amount"]) for p in temporary["payments"]] == [("T1", amount)]
    rules = [r["rule"] for r in temporary["reasons"]]
    assert "temporary.no_status_income" in rules and rule in rules
    assert "（月可计算收入 9000.00 − 一年必需支出 60000.00 ÷ 12）÷ 3 人 = 1333.33 元，低于 2420.00 元" in \
        determination.explain("zh")


def test_a_locality_file_alone_switches_the_schedule_and_the_test_without_status(tmp_path: Path) -> None:
    bills = [{"id": "T1", "member": "P1", "kind": "tuition", "date": "2025-06-20", "total": "4000"}]
    one = household("demo-city", [], members=[{"id": "P1", "name": "甲", "birth_date": "1970-01-01",
                                               "relationship": "head"}], expenses=bills)
    # Demo City: the household holds dibao (no income), so what remains of the tuition, up to 6 × S.
    demo = _temporary(Engine(only=_TEMPORARY).assess(one, ON))
    assert [p["amount"] for p in demo["payments"]] == ["4000.00"]
    path = locality(tmp_path, "[temporary.expenditure_schedule.2025-01-01]\n"
                              "status = { threshold = 1000, rates = { 0 = 0.5, 3000 = 0.8 } }\n")
    mine = _temporary(Engine(locality=path, only=_TEMPORARY).assess(
        io.structure_household({**io.unstructure_household(one), "locality": "my-county"}), ON))
    assert [p["amount"] for p in mine["payments"]] == ["2300.00"]  # 0.5 × 3000 + 0.8 × 1000


_SCHEDULES = st.builds(
    lambda threshold, first, second, bonus: {"threshold": threshold, "rates": {"0": first, "30000": second},
                                             "bonus": bonus},
    st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=60).map(lambda n: Decimal(n) / 100),
    st.integers(min_value=0, max_value=60).map(lambda n: Decimal(n) / 100),
    st.integers(min_value=0, max_value=20).map(lambda n: Decimal(n) / 100))


@SLOW
@given(_SCHEDULES, _FEN, _FEN, st.booleans())
def test_a_banded_share_is_bounded_and_never_falls_as_the_expenditure_rises(schedule: dict[str, Any], low: Decimal,
                                                                            high: Decimal, bonus: bool) -> None:
    from assistkit.policy._schema import convert  # the converter a policy file's value goes through

    bands = convert("bands", {"threshold": schedule["threshold"],
                              "rates": {k: str(v) for k, v in schedule["rates"].items()},
                              "bonus": str(schedule["bonus"])})
    low, high = sorted((low, high))
    shares = [bands.apply(x, bonus=bonus) for x in (low, high)]  # type: ignore[union-attr]
    top = max(r for _, r in bands.rates) + (bands.bonus if bonus else 0)  # type: ignore[union-attr]
    for x, share in zip((low, high), shares, strict=True):
        assert Decimal(0) <= share <= top * x
        assert share == 0 or x >= bands.threshold  # type: ignore[union-attr]
    if low >= bands.threshold or high < bands.threshold:  # type: ignore[union-attr]
        assert shares[0] <= shares[1]


# -- china-rules §4: the asset test's comparison and limits that are not a multiple of S ---------------------------


def _saver(name: str, deposit: str) -> Any:
    """One person without income (dibao on income) with ``deposit`` in the bank."""
    return household(name, [], members=[{"id": "P1", "name": "甲", "birth_date": "1970-01-01",
                                         "relationship": "head"}],
                     assets=[{"kind": "deposit", "member": "P1", "value": deposit}])


def test_a_locality_file_alone_makes_the_financial_test_strict(tmp_path: Path) -> None:
    # Demo City: at most 24 × 1050 = 25200 per person; exactly 25200 passes.
    assert _statuses(Engine(only=BASIC), _saver("demo-city", "25200"), ON) == ["dibao"]
    path = locality(tmp_path, '[assets]\nfinancial_test = { 2025-01-01 = "<" }\n')
    determination = Engine(locality=path, only=BASIC).assess(_saver("my-county", "25200"), ON)
    assert determination.to_json()["statuses"]["household"] == ["marginal"]  # 36 × S for marginal households
    assert "人均 25200.00 元，不符合人均 < 25200.00 元" in determination.explain("zh")
    assert _statuses(Engine(locality=path, only=BASIC), _saver("my-county", "25199.99"), ON) == ["dibao"]


def test_a_locality_file_alone_writes_the_asset_limit_as_a_multiple_of_a_reference_value(tmp_path: Path) -> None:
    """Kunming's pattern (china-rules §4): per-capita financial assets at most 2 × last year's per-capita
    disposable income, here 2 × 10000 = 20000 (Demo City's 25200 would let 22000 pass)."""
    assert _statuses(Engine(only=BASIC), _saver("demo-city", "22000"), ON) == ["dibao"]
    path = locality(tmp_path, "[assets]\n"
                              'dibao_limit = { 2025-01-01 = { times = 2, of = "reference.disposable_income" } }\n'
                              "[reference]\ndisposable_income = { 2025-01-01 = 10000 }\n")
    determination = Engine(locality=path, only=BASIC).assess(_saver("my-county", "22000"), ON)
    assert determination.to_json()["statuses"]["household"] == ["marginal"]  # 36 × S for marginal households
    text = determination.explain("en")
    assert "the dibao unit fails the asset test (financial assets at most 20000.00 per person)" in text
    passed = Engine(locality=path, only=BASIC).assess(_saver("my-county", "20000"), ON)
    assert passed.to_json()["statuses"]["household"] == ["dibao"]
    assert "asset test passed (financial assets at most 20000.00 per person)" in passed.explain("en")
    path = locality(tmp_path, "[assets]\n"
                              'dibao_limit = { 2025-01-01 = { times = 2, of = "reference.disposable_income" } }\n'
                              'marginal_limit = { 2025-01-01 = { times = 2.1, of = "reference.disposable_income" } }\n'
                              "[reference]\ndisposable_income = { 2025-01-01 = 10000 }\n")
    both = Engine(locality=path, only=BASIC).assess(_saver("my-county", "22000"), ON)
    assert both.to_json()["statuses"]["household"] == []
    assert "未通过财产核查（人均金融资产上限 21000.00 元）" in both.explain("zh")
    one = household("my-county", [{"member": "P1", "category": "pension", "amount": "7200", "from": "2025-01",
                                   "to": "2025-06"}],
                    members=[{"id": "P1", "name": "甲", "birth_date": "1970-01-01", "relationship": "head"}],
                    assets=[{"kind": "deposit", "member": "P1", "value": "21000"}])
    marginal = Engine(locality=path, only=BASIC).assess(one, ON)  # 1200 a month: S ≤ 1200 < 1.5 × S
    assert marginal.to_json()["statuses"]["household"] == ["marginal"]
    assert "asset test passed (financial assets at most 21000.00 per person): marginal household" in \
        marginal.explain("en")


@SLOW
@given(_FEN, _FEN, st.integers(min_value=0, max_value=5_000_000).map(lambda n: Decimal(n) / 100), st.booleans())
def test_the_financial_test_never_passes_more_assets_than_it_fails(low: Decimal, high: Decimal, limit: Decimal,
                                                                   strict: bool) -> None:
    from assistkit.means import test_assets
    from assistkit.policy import Comparison

    params = dict(load_policy("demo-city").at(ON))
    if strict:
        params["assets.financial_test"] = Comparison("<")
    low, high = sorted((low, high))
    found = [test_assets(_saver("demo-city", str(x)), ["P1"], Decimal(24), Decimal(1050), params, limit).passed
             for x in (low, high)]
    assert found[1] <= found[0]  # the larger never passes when the smaller fails
    assert found[0] == (low < limit if strict else low <= limit)


# -- reference/china-rules.md §9 E20: transitional living assistance after a disaster (sample-district) -----------


def test_e20_transitional_living_assistance_in_sample_district() -> None:
    """E20: a household of 4 whose house collapsed, no income: 20 × 4 × 90 = 7200."""
    members = [{"id": f"P{i}", "name": "甲乙丙丁"[i - 1], "birth_date": f"19{70 + i}-01-01",
                "relationship": "head" if i == 1 else "child"} for i in (1, 2, 3, 4)]
    one = household("sample-district", [], members=members,
                    housing={"tenure": "owned", "floor_area": "80", "properties_owned": 1},
                    events=[{"id": "F1", "kind": "disaster", "date": "2024-09-01", "loss": "0", "compensated": "0",
                             "house_damage": "collapsed"}])
    determination = Engine(locality="sample-district", only=[*BASIC, "disaster"]).assess(one, _SAMPLE_ON)
    payments = determination.to_json()["programmes"]["disaster"]["payments"]
    assert [p["amount"] for p in payments if p["kind"] == "transitional_living"] == ["7200.00"]
    assert "过渡期生活救助 = 20.00 元/人/天 × 90 天 × 4 人 = 7200.00 元" in determination.explain("zh")


# -- china-rules §5.9: the rent subsidy by area and income band (Beijing B7) --------------------------------------

_HOUSING = [*BASIC, "housing"]


def _tenant(name: str, monthly: str, area: str, *, born: str = "1971-01-01", deposit: str | None = None,
            ill: bool = False) -> Any:
    """Three public-rental tenants with a pension of ``monthly`` a month over the year before 2024-09."""
    people = [{"id": f"P{i}", "name": "甲乙丙"[i - 1], "birth_date": born, "relationship": "head" if i == 1 else
               "spouse" if i == 2 else "sibling"} for i in (1, 2, 3)]
    people[0]["serious_illness"] = ill
    extra: dict[str, Any] = {"housing": {"tenure": "public_rental", "floor_area": area, "monthly_rent": "3000"}}
    if deposit is not None:
        extra["assets"] = [{"kind": "deposit", "member": "P1", "value": deposit}]
    return household(name, [{"member": "P1", "category": "pension", "amount": str(Decimal(monthly) * 12),
                             "from": "2023-09", "to": "2024-08"}], members=people, **extra)


def _rent(engine: Engine, one: Any, on: dt.date = _SAMPLE_ON) -> tuple[str, list[str]]:
    housing = engine.assess(one, on).to_json()["programmes"]["housing"]
    return str(housing["monthly"]), [r["rule"] for r in housing["reasons"]]


def test_sample_district_pays_public_rental_tenants_by_area_and_status() -> None:
    engine = Engine(locality="sample-district", only=_HOUSING)
    # A dibao household (per capita 300): 50 × 0.95 × min(70, 60) = 2850.
    assert _rent(engine, _tenant("sample-district", "900", "70")) == ("2850.00", ["housing.area_subsidy"])
    # Per capita 1500 but savings above the asset limits: no status; the band up to 1600, 50 %: 50 × 0.50 × 45.
    saver = _tenant("sample-district", "4500", "45", deposit="500000")
    assert _rent(engine, saver) == ("1125.00", ["housing.area_band", "housing.area_subsidy"])
    # A seriously ill member moves it one band up, to 70 %: 50 × 0.70 × 45 = 1575.
    ill = _tenant("sample-district", "4500", "45", deposit="500000", ill=True)
    assert _rent(engine, ill) == ("1575.00", ["housing.area_band", "housing.area_band_up", "housing.area_subsidy"])
    text = engine.assess(ill, _SAMPLE_ON).explain("zh")
    assert "家庭有重病成员情形：比例由 0.50 上调一档为 0.70" in text
    # Per capita 2500, above the last band (2400): nothing.
    rich = _tenant("sample-district", "7500", "45", deposit="500000")
    assert _rent(engine, rich) == ("0.00", ["housing.area_income_above"])


def test_a_locality_file_alone_gives_public_rental_tenants_a_rent_subsidy(tmp_path: Path) -> None:
    tenants = _tenant("demo-city", "300", "50")
    on = dt.date(2024, 9, 15)
    assert _rent(Engine(only=_HOUSING), tenants, on) == ("0.00", ["housing.public_rental"])
    path = locality(tmp_path, "[housing]\nrent_standard = { 2024-01-01 = 30 }\narea_cap = { 2024-01-01 = \"none\" }\n"
                              'area_tenures = { 2024-01-01 = ["public_rental"] }\n'
                              "status_ratio = { 2024-01-01 = { dibao = 0.8 } }\n")
    mine = io.structure_household({**io.unstructure_household(tenants), "locality": "my-county"})
    assert _rent(Engine(locality=path, only=_HOUSING), mine, on) == ("1200.00", ["housing.area_subsidy"])  # 30×0.8×50


_BAND_ENGINE: dict[str, Engine] = {}


@SLOW
@given(st.integers(min_value=0, max_value=900_000), st.integers(min_value=0, max_value=900_000),
       st.integers(min_value=1, max_value=20_000).map(lambda n: Decimal(n) / 100), st.booleans())
def test_the_rent_subsidy_never_rises_with_income_and_keeps_within_the_top_ratio_and_area(
        low: int, high: int, area: Decimal, elderly: bool) -> None:
    if not _BAND_ENGINE:
        path = Path(__file__).with_name("localities") / "bands-only.toml"
        _BAND_ENGINE["engine"] = Engine(locality=path, only=_HOUSING)
    engine = _BAND_ENGINE["engine"]
    born = "1950-01-01" if elderly else "1971-01-01"
    amounts = []
    for fen in sorted((low, high)):
        one = _tenant("bands-only", str(Decimal(fen) / 100), str(area), born=born)
        amounts.append(Decimal(_rent(engine, one)[0]))
    assert amounts[1] <= amounts[0]
    for amount in amounts:
        assert Decimal(0) <= amount <= (Decimal(50) * Decimal("0.95") * min(area, Decimal(60))).quantize(
            Decimal("0.01"), ROUND_HALF_UP)


def test_emergency_relief_is_capped_per_person_in_sample_district(tmp_path: Path) -> None:
    """B3 §3(1): a fire costing 20000 for a dibao household of three: at most 3 × 1450 × 3 = 13050."""
    fire = [{"id": "F1", "kind": "fire", "date": "2024-09-01", "loss": "20000", "compensated": "0"}]
    one = household("sample-district", [], members=_PEOPLE, events=fire)
    temporary = _temporary(Engine(locality="sample-district", only=_TEMPORARY).assess(one, _SAMPLE_ON))
    assert [(p["need"], p["amount"], p["approval"]) for p in temporary["payments"]] == [("F1", "13050.00", None)]
    assert "temporary.grant_per_person" in [r["rule"] for r in temporary["reasons"]]
    path = locality(tmp_path, "[temporary]\nemergency_cap_per_person = { 2025-01-01 = 1 }\n")
    demo_fire = [{"id": "F1", "kind": "fire", "date": "2025-07-01", "loss": "20000", "compensated": "0"}]
    mine = household("my-county", [], members=_PEOPLE, events=demo_fire)
    temporary = _temporary(Engine(locality=path, only=_TEMPORARY).assess(mine, ON))
    assert [p["amount"] for p in temporary["payments"]] == ["3150.00"]  # 1 × 1050 × 3


@SLOW
@given(st.integers(min_value=0, max_value=10_000_000), st.integers(min_value=1, max_value=5))
def test_an_emergency_grant_keeps_within_the_per_person_cap(fen: int, size: int) -> None:
    if "temporary" not in _SAMPLE:
        _SAMPLE["temporary"] = Engine(locality="sample-district", only=_TEMPORARY)
    loss = Decimal(fen) / 100
    fire = [{"id": "F1", "kind": "fire", "date": "2024-09-01", "loss": str(loss), "compensated": "0"}]
    people = [{"id": f"P{i}", "name": "甲", "birth_date": "1970-01-01", "relationship": "head" if i == 1 else "child"}
              for i in range(1, size + 1)]
    paid = sum((Decimal(p["amount"]) for p in _temporary(_SAMPLE["temporary"].assess(
        household("sample-district", [], members=people, events=fire), _SAMPLE_ON))["payments"]), Decimal(0))
    assert Decimal(0) <= paid <= min(loss, Decimal(3) * 1450 * size)


# -- china-rules §3.5: income imputed to members able to work without work income ---------------------------------

_IMPUTE = ('[income]\nimputed_wage = { 2025-01-01 = { times = 1, of = "reference.minimum_wage" } }\n'
           "[reference]\nminimum_wage = { 2025-01-01 = 1900 }\n")


def test_a_locality_file_alone_imputes_the_minimum_wage(tmp_path: Path) -> None:
    """Guangdong / Putian: a couple of 45 with no recorded income counts the minimum wage 1900 each, less the
    employment deduction min(1900, 0.3 × 1050 = 315): 1585 per person, above S = 1050, so no dibao."""
    couple = [{"id": "P1", "name": "甲", "birth_date": "1980-01-01", "relationship": "head"},
              {"id": "P2", "name": "乙", "birth_date": "1980-01-01", "relationship": "spouse"}]
    assert _statuses(Engine(only=BASIC), household("demo-city", [], members=couple), ON) == ["dibao"]
    path = locality(tmp_path, _IMPUTE)
    determination = Engine(locality=path, only=BASIC).assess(household("my-county", [], members=couple), ON)
    assert determination.to_json()["income"]["per_capita"] == "1585.00"
    assert "dibao" not in determination.to_json()["statuses"]["household"]
    assert "成员 P1（45 岁，有劳动能力，未在学，无残疾或重病）核算期内无工作收入，按每月 1900.00 元认定，6 个月计 " \
           "11400.00 元" in determination.explain("zh")


@pytest.mark.parametrize("facts", [
    {"birth_date": "1960-01-01"},                      # 65: above the working age
    {"birth_date": "2010-01-01"},                      # 15: below it
    {"labour_capacity": "partial"},
    {"disability_grade": 3},
    {"serious_illness": True},
    {"school": {"stage": "undergraduate"}},
])
def test_no_income_is_imputed_to_a_member_who_cannot_be_expected_to_work(tmp_path: Path,
                                                                         facts: dict[str, Any]) -> None:
    person = {"id": "P1", "name": "甲", "birth_date": "1980-01-01", "relationship": "head", **facts}
    determination = Engine(locality=locality(tmp_path, _IMPUTE), only=BASIC).assess(
        household("my-county", [], members=[person]), ON)
    assert determination.to_json()["income"]["per_capita"] == "0.00"


@SLOW
@given(st.integers(min_value=0, max_value=500_000), st.integers(min_value=0, max_value=500_000))
def test_imputation_never_lowers_counted_income_and_spares_workers(fen: int, wage_fen: int) -> None:
    worker = household("demo-city", [{"member": "P1", "category": "wage", "amount": str(Decimal(fen) / 100 * 6),
                                      "from": "2025-01", "to": "2025-06"}])
    params = dict(load_policy("demo-city").at(ON))
    plain = account_income(worker, ["P1", "P2"], ON, params, Decimal("1050"))
    from assistkit.policy import Line
    params["income.imputed_wage"] = Line(Decimal(wage_fen) / 100)
    imputed = account_income(worker, ["P1", "P2"], ON, params, Decimal("1050"))
    assert imputed.net >= plain.net
    wage = Decimal(wage_fen) / 100
    if fen:
        assert imputed.work_income.get("P1") == plain.work_income.get("P1")  # a worker keeps their own income
    # P2 (and P1 when their wage is 0), without work income, counts the wage.
    assert imputed.countable - plain.countable == wage * (1 if fen else 2)


# -- china-rules §5.3: the child allowance of low-income households (Beijing B1 §11(3)) ---------------------------


def test_sample_district_pays_low_income_children_and_students_a_quarter_of_s() -> None:
    people = [{"id": "P1", "name": "甲", "birth_date": "1975-01-01", "relationship": "head"},
              {"id": "P2", "name": "乙", "birth_date": "1976-01-01", "relationship": "spouse"},
              {"id": "P3", "name": "丙", "birth_date": "2014-01-01", "relationship": "child"},
              {"id": "P4", "name": "丁", "birth_date": "2005-01-01", "relationship": "child",
               "school": {"stage": "undergraduate"}}]
    # 8000 a month for four: per capita 2000, at least S = 1450 and below L = 2420: a low-income household.
    one = household("sample-district", [{"member": "P1", "category": "pension", "amount": "96000", "from": "2023-09",
                                         "to": "2024-08"}], members=people)
    determination = Engine(locality="sample-district", only=BASIC).assess(one, _SAMPLE_ON)
    out = determination.to_json()
    assert out["statuses"]["household"] == ["marginal"]
    low_income = out["programmes"]["low_income"]
    assert low_income["monthly"] == "725.00"  # 2 × 0.25 × 1450
    assert [(a["programme"], a["action"], a["member"], a["determined"]) for a in out["actions"]] == [
        ("low_income", "enrol", "P3", "362.50"), ("low_income", "enrol", "P4", "362.50")]
    assert out["totals"]["monthly"] == "725.00"
    text = determination.explain("zh")
    assert "低保边缘家庭成员 P3（10 岁，未满 17 岁）：生活补助每月 0.25 × 标准 1450.00 = 362.50 元" in text
    assert "低保边缘家庭成员 P4（在校，本科）" in text


def test_a_locality_file_alone_gives_marginal_children_an_allowance(tmp_path: Path) -> None:
    people = [{"id": "P1", "name": "甲", "birth_date": "1975-01-01", "relationship": "head"},
              {"id": "P2", "name": "乙", "birth_date": "2015-01-01", "relationship": "child"}]
    incomes = [{"member": "P1", "category": "pension", "amount": "14400", "from": "2025-01", "to": "2025-06"}]
    demo = Engine(only=BASIC).assess(household("demo-city", incomes, members=people), ON).to_json()
    assert demo["statuses"]["household"] == ["marginal"] and demo["programmes"]["low_income"]["monthly"] == "0.00"
    path = locality(tmp_path, "[marginal]\nchild_allowance = { 2025-01-01 = 0.2 }\n")
    mine = Engine(locality=path, only=BASIC).assess(household("my-county", incomes, members=people), ON).to_json()
    assert mine["programmes"]["low_income"]["monthly"] == "210.00"  # 0.2 × 1050, rounded to the yuan


# -- china-rules §5.1: Beijing's further uplift categories ----------------------------------------------------------


@pytest.mark.parametrize(("facts", "uplift"), [
    ({"school": {"stage": "senior"}, "birth_date": "2007-01-01"}, "362.50"),   # a student of 17: 0.25 × 1450
    ({"school": {"stage": "senior"}, "birth_date": "2009-01-01"}, "362.50"),   # 15: the minor uplift instead
    ({"labour_capacity": "partial"}, "362.50"),                                # major loss of work capacity
    ({"labour_capacity": "none", "serious_illness": True}, "507.50"),          # highest only: 0.35 × 1450
    ({}, "0.00"),
])
def test_sample_district_uplifts_students_over_16_and_lost_work_capacity(facts: dict[str, Any], uplift: str) -> None:
    people = [{"id": "P1", "name": "甲", "birth_date": "1975-01-01", "relationship": "head"},
              {"id": "P2", "name": "乙", "birth_date": "1985-01-01", "relationship": "child", **facts}]
    one = household("sample-district", [], members=people)
    dibao = Engine(locality="sample-district", only=BASIC).assess(one, _SAMPLE_ON).to_json()["programmes"]["dibao"]
    found = [r["values"]["amount"] for r in dibao["reasons"] if r["rule"] == "dibao.uplift"
             and r["values"]["member"] == "P2"]
    assert found == ([uplift] if uplift != "0.00" else [])


def test_a_locality_file_alone_adds_the_student_uplift(tmp_path: Path) -> None:
    people = [{"id": "P1", "name": "甲", "birth_date": "1975-01-01", "relationship": "head"},
              {"id": "P2", "name": "乙", "birth_date": "2005-01-01", "relationship": "child",
               "school": {"stage": "undergraduate"}}]
    demo = Engine(only=BASIC).assess(household("demo-city", [], members=people), ON).to_json()
    path = locality(tmp_path, "[uplift]\nstudent = { 2025-01-01 = 0.2 }\n")
    mine = Engine(locality=path, only=BASIC).assess(household("my-county", [], members=people), ON).to_json()
    # 2 × 1050 = 2100 gap, plus 0.2 × 1050 = 210 for the student, rounded to the yuan.
    assert (demo["programmes"]["dibao"]["monthly"], mine["programmes"]["dibao"]["monthly"]) == ("2100.00", "2310.00")


@SLOW
@given(st.integers(min_value=0, max_value=90), st.booleans(), st.sampled_from(["full", "partial", "none"]),
       st.booleans(), st.sampled_from([None, 1, 2, 3, 4]))
def test_one_uplift_only_the_largest_of_the_categories_a_member_is_in(age: int, school: bool, capacity: str,
                                                                     ill: bool, grade: int | None) -> None:
    if "basic" not in _SAMPLE:
        _SAMPLE["basic"] = Engine(locality="sample-district", only=BASIC)
    person: dict[str, Any] = {"id": "P2", "name": "乙", "birth_date": f"{2024 - age}-01-01", "relationship": "child",
                              "labour_capacity": capacity, "serious_illness": ill, "disability_grade": grade}
    if school:
        person["school"] = {"stage": "senior"}
    people = [{"id": "P1", "name": "甲", "birth_date": "1975-01-01", "relationship": "head"}, person]
    dibao = _SAMPLE["basic"].assess(household("sample-district", [], members=people),
                                    _SAMPLE_ON).to_json()["programmes"]["dibao"]
    found = [Decimal(r["values"]["amount"]) for r in dibao["reasons"] if r["rule"] == "dibao.uplift"
             and r["values"]["member"] == "P2"]
    rates = [Decimal("0.25")] * ((age >= 60) + (age < 17) + (school and age >= 17) + (capacity != "full"))
    rates += [Decimal("0.35")] * ((grade in (1, 2)) + ill) + [Decimal(0)] * (grade in (3, 4))  # 3–4: rate 0
    assert found == ([max(rates) * 1450] if rates else [])
