"""Policy parameters: effective dates (§1.4), TOML loading and errors, overrides, sources, cache, CLI."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import threading
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit.cli import _params
from assistkit.errors import PolicyError
from assistkit.household import Residence
from assistkit.policy import (
    CORE_DECLARATION,
    ParameterDeclaration,
    Parameters,
    ParameterSchema,
    Policy,
    Source,
    bundled_localities,
    load_policy,
)

D = dt.date
CORE_FILE = "<assistkit>/localities/demo-city.toml"
NATIONAL_FILE = "<assistkit>/localities/national-core.toml"
BEFORE, CHANGE = D(2025, 6, 30), D(2025, 7, 1)

# spec/parameters.md, the core rows: (value from 2024-01-01, value from 2025-07-01 or None).
DEMO_CITY = {
    "standard.urban": (Decimal("1000"), Decimal("1050")),
    "standard.rural": (Decimal("800"), Decimal("850")),
    "income.window_months": (6, None),
    "income.excluded_kinds": (
        (
            "special_care_pension", "government_award", "social_assistance", "one_child_reward",
            "disability_allowance", "old_age_allowance", "scholarship",
        ),
        None,
    ),
    "income.casual_daily_wage": (Decimal("120"), Decimal("130")),
    "income.farm_net_per_mu_year": (Decimal("800"), None),
    "income.employment_deduction_rate": (Decimal("0.3"), None),
    "income.self_employed_deduction": ("as_employees", None),
    "income.deduct_rigid_expenses": (False, True),
    "income.support_payments": ("declared", None),  # §3.4: records only (china-rules §3.6 may assess)
    "assets.dibao_months": (24, None),
    "assets.marginal_months": (36, None),
    "assets.vehicle_value_limit": (Decimal("30000"), None),
    "review.stable_months": (12, None),
    "review.default_months": (6, None),
    "review.fluctuating_months": (1, None),
}
CHANGING = {"standard.urban", "standard.rural", "income.casual_daily_wage", "income.deduct_rigid_expenses"}


@pytest.fixture(scope="module")
def demo() -> Policy:
    return load_policy()


def write(tmp_path: Path, text: str, name: str = "county.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str, **kwargs: object) -> PolicyError:
    path = write(tmp_path, text)
    with pytest.raises(PolicyError) as info:
        load_policy(files=[path], **kwargs)  # type: ignore[arg-type]
    assert info.value.file == str(path)
    return info.value


# -- the bundled Demo City values -------------------------------------------------------------------------


def test_core_declaration_covers_the_core_rows_of_parameters_md() -> None:
    names = {s.name for s in CORE_DECLARATION.schemas if not s.optional}
    assert names == set(DEMO_CITY)
    assert {s.name for s in CORE_DECLARATION.schemas if s.optional} == {
        "reference.minimum_wage", "reference.disposable_income", "reference.consumption",
        "reference.low_income_line", "income.employment_deduction_base", "income.employment_deduction_cap",
        "assets.financial_test", "assets.dibao_limit", "assets.marginal_limit", "income.imputed_wage",
        "income.imputation_ages", "income.support_allowance", "income.support_share",
        "income.support_no_capacity"}
    for schema in CORE_DECLARATION.schemas:
        assert schema.meaning and schema.meaning_zh and "§" in schema.rule
    assert "demo-city" in bundled_localities()
    assert (files("assistkit") / "localities" / "demo-city.toml").is_file()


@pytest.mark.parametrize("on", [D(2024, 1, 1), D(2025, 1, 15), BEFORE, CHANGE, D(2025, 7, 2), D(2030, 1, 1)])
def test_demo_city_values_on_dates(demo: Policy, on: dt.date) -> None:
    """§1.4: the value with the latest effective date ≤ on — before, at and after the 2025-07-01 change."""
    params = demo.at(on)
    assert set(params) == set(DEMO_CITY)
    for name, (first, later) in DEMO_CITY.items():
        expected = later if later is not None and on >= CHANGE else first
        assert params[name] == expected, name
        assert type(params[name]) is type(expected), name
        assert params.source(name) == Source(CORE_FILE, name, CHANGE if expected is later else D(2024, 1, 1))
    assert params.on == on and params.locality == "demo-city"


def test_money_has_two_places_and_decimals_stay_as_written(demo: Policy) -> None:
    params = demo.at(CHANGE)
    assert str(params["standard.urban"]) == "1050.00"
    assert str(params["income.employment_deduction_rate"]) == "0.3"
    assert params.standard(Residence.URBAN) == params.standard("urban") == Decimal("1050")
    assert params.standard(Residence.RURAL) == Decimal("850")
    with pytest.raises(ValueError, match="urban.*rural"):
        params.standard("suburban")


def test_before_the_first_effective_date_names_every_parameter(demo: Policy) -> None:
    with pytest.raises(PolicyError, match="no value in force on 2023-05-01 for 16 parameters") as info:
        demo.at(D(2023, 5, 1))
    assert info.value.key in DEMO_CITY and info.value.file == CORE_FILE
    assert "  standard.urban (§1.5): the first is from 2024-01-01" in str(info.value)


def test_changes_between_the_two_dates_are_exactly_the_changing_rows(demo: Policy) -> None:
    a, b = demo.at(BEFORE), demo.at(CHANGE)
    assert {name for name in a if a[name] != b[name]} == CHANGING
    assert {name for name, *_ in demo.changes_between(BEFORE, CHANGE)} == CHANGING
    assert demo.changes_between(CHANGE, D(2030, 1, 1)) == ()


def test_unknown_parameter_lookup_suggests_close_names(demo: Policy) -> None:
    params = demo.at(CHANGE)
    with pytest.raises(KeyError, match="standard.urban"):
        params["standard.urbn"]
    with pytest.raises(KeyError, match="did you mean"):
        params.source("income.window_month")
    assert "standard.urbn" not in params and "standard.urban" in params
    assert params.get("nope") is None and len(params) == len(DEMO_CITY)
    assert list(params) == sorted(DEMO_CITY)


def test_values_are_read_only(demo: Policy) -> None:
    params = demo.at(CHANGE)
    with pytest.raises(AttributeError):
        params.on = D(2020, 1, 1)  # type: ignore[misc]
    with pytest.raises(TypeError):
        params["standard.urban"] = Decimal(1)  # type: ignore[index]
    with pytest.raises(AttributeError):
        demo.locality = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        demo.schemas["x"] = demo.schemas["standard.urban"]  # type: ignore[index]


# -- the cache ----------------------------------------------------------------------------------------------


def test_each_date_is_resolved_once() -> None:
    policy = load_policy()
    first = policy.at(CHANGE)
    assert policy.at(CHANGE) is first
    assert policy.resolutions == 1
    policy.at(BEFORE)
    assert policy.resolutions == 2


def test_concurrent_resolution_happens_once() -> None:
    policy = load_policy()
    seen: list[Parameters] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        seen.append(policy.at(CHANGE))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert policy.resolutions == 1 and all(p is seen[0] for p in seen)


def test_a_datetime_is_refused() -> None:
    with pytest.raises(TypeError, match="datetime.date"):
        load_policy().at(dt.datetime(2025, 7, 1, 12))  # type: ignore[arg-type]


def test_policy_and_parameters_pickle(tmp_path: Path) -> None:
    policy = load_policy(declarations=[plugin_declaration(tmp_path)])
    clone = pickle.loads(pickle.dumps(policy))
    assert clone.at(CHANGE).items() == policy.at(CHANGE).items()
    assert clone.resolutions == 1
    params = pickle.loads(pickle.dumps(policy.at(CHANGE)))
    assert params["medical.ratio"]["dibao"] == Decimal("0.75") and params.on == CHANGE


# -- override files: merge by date, sources, renaming --------------------------------------------------------


def test_override_merges_by_date_and_records_sources(tmp_path: Path) -> None:
    path = write(tmp_path, """
        locality = "my-county"
        [standard]
        urban = { 2025-07-01 = 1060, 2026-01-01 = 1100 }
        [income]
        window_months = { 2024-06-01 = 12 }
    """)
    policy = load_policy(files=[path])
    assert policy.locality == "my-county"
    assert policy.files == (NATIONAL_FILE, CORE_FILE, str(path))
    urban = policy.timeline("standard.urban")
    assert [(d, v) for d, v, _ in urban] == [(D(2024, 1, 1), 1000), (CHANGE, 1060), (D(2026, 1, 1), 1100)]
    assert [s.file for *_, s in urban] == [CORE_FILE, str(path), str(path)]
    assert policy.at(D(2025, 12, 31))["standard.urban"] == Decimal("1060")
    source = policy.at(D(2026, 1, 1)).source("standard.urban")
    assert source == Source(str(path), "standard.urban", D(2026, 1, 1))
    assert policy.at(D(2024, 5, 31))["income.window_months"] == 6
    assert policy.at(D(2024, 6, 1))["income.window_months"] == 12
    assert policy.at(D(2024, 6, 1)).locality == "my-county"
    # Untouched parameters keep the bundled values and sources.
    assert policy.at(CHANGE).source("standard.rural").file == CORE_FILE


def test_later_overrides_win_on_the_same_date(tmp_path: Path) -> None:
    a = write(tmp_path, "[standard]\nurban = { 2026-01-01 = 1100 }\n", "a.toml")
    b = write(tmp_path, "standard.urban = { 2026-01-01 = 1200 }\nlocality = 'b'\n", "b.toml")
    policy = load_policy(files=[a, b])
    assert policy.at(D(2026, 1, 1))["standard.urban"] == Decimal("1200")
    assert policy.at(D(2026, 1, 1)).source("standard.urban").file == str(b)
    assert policy.locality == "b"


def test_subtable_form_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "[standard.urban]\n2026-01-01 = \"1100.50\"\n")
    assert load_policy(files=[path]).at(D(2026, 1, 1))["standard.urban"] == Decimal("1100.50")


# -- errors name file and key ------------------------------------------------------------------------------


def test_unknown_key(tmp_path: Path) -> None:
    err = load_error(tmp_path, "[standard]\nurbn = { 2024-01-01 = 1000 }\n")
    assert err.key == "standard.urbn"
    assert "did you mean standard.urban" in str(err) and str(err).startswith(err.file)  # type: ignore[arg-type]
    assert load_error(tmp_path, "[standrd]\nurban = { 2024-01-01 = 1 }\n").key == "standrd"
    assert load_error(tmp_path, "[tekun.care]\nfull = { 2024-01-01 = 1 }\n").key == "tekun"


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("[income]\nwindow_months = { 2024-01-01 = \"six\" }", "income.window_months.2024-01-01",
         "whole number"),
        ("[income]\nwindow_months = { 2024-01-01 = 6.0 }", "income.window_months.2024-01-01", "whole number"),
        ("[income]\ndeduct_rigid_expenses = { 2024-01-01 = 1 }", "income.deduct_rigid_expenses.2024-01-01",
         "true or false"),
        ("[income]\nexcluded_kinds = { 2024-01-01 = \"scholarship\" }", "income.excluded_kinds.2024-01-01",
         "list of strings"),
        ("[income]\nexcluded_kinds = { 2024-01-01 = [\"a\", \"a\"] }", "income.excluded_kinds.2024-01-01",
         "twice"),
        ("[standard]\nurban = { 2024-01-01 = true }", "standard.urban.2024-01-01", "money"),
        ("[standard]\nurban = { 2024-01-01 = -5 }", "standard.urban.2024-01-01", "money"),
        ("[standard]\nurban = { 2024-01-01 = 1050.125 }", "standard.urban.2024-01-01", "at most 2 decimal"),
        ("[standard]\nurban = { 2024-01-01 = \"1050.125\" }", "standard.urban.2024-01-01",
         "at most 2 decimal"),
        ("[income]\nemployment_deduction_rate = { 2024-01-01 = \"a third\" }",
         "income.employment_deduction_rate.2024-01-01", "decimal"),
        ("[standard]\nurban = 1050", "standard.urban", "table of effective dates"),
        ("[standard]\nurban = {}", "standard.urban", "table of effective dates"),
        ("standard = 1", "standard", "group of parameters"),
        ("locality = 3", "locality", "string"),
    ],
)
def test_wrong_type(tmp_path: Path, text: str, key: str, message: str) -> None:
    err = load_error(tmp_path, text)
    assert err.key == key
    assert message in str(err)


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ("[standard]\nurban = { 2026-01-01 = 1, 2025-01-01 = 2 }", "standard.urban.2025-01-01",
         "increasing order"),
        ("[standard]\nurban = { 2025-7-1 = 1 }", "standard.urban.2025-7-1", "YYYY-MM-DD"),
        ("[standard]\nurban = { 2025-02-30 = 1 }", "standard.urban.2025-02-30", "YYYY-MM-DD"),
        ("[standard]\nurban = { tomorrow = 1 }", "standard.urban.tomorrow", "YYYY-MM-DD"),
    ],
)
def test_bad_effective_dates(tmp_path: Path, text: str, key: str, message: str) -> None:
    err = load_error(tmp_path, text)
    assert err.key == key and message in str(err)


@pytest.mark.parametrize(
    "text",
    [
        "[standard]\nurban = { 2024-01-01 = 1, 2024-01-01 = 2 }\n",
        "[standard.urban]\n2024-01-01 = 1\n2024-01-01 = 2\n",
        "[standard]\nurban = { 2024-01-01 = 1 }\nurban = { 2025-01-01 = 2 }\n",
    ],
)
def test_duplicate_date_or_key_is_a_wrapped_toml_error(tmp_path: Path, text: str) -> None:
    err = load_error(tmp_path, text)
    assert err.key is None and "not valid TOML" in str(err) and "given twice" in str(err)


def test_toml_syntax_error(tmp_path: Path) -> None:
    err = load_error(tmp_path, "[standard\nurban = 1\n")
    assert "not valid TOML" in str(err) and "line 1" in str(err)


def test_missing_file() -> None:
    with pytest.raises(PolicyError, match="cannot read") as info:
        load_policy(files=["/nonexistent/county.toml"])
    assert info.value.file == "/nonexistent/county.toml"


def test_unknown_locality_lists_the_bundled_ones() -> None:
    with pytest.raises(PolicyError, match="unknown locality 'atlantis'.*demo-city"):
        load_policy("atlantis")


# -- plugin declarations ------------------------------------------------------------------------------------

PLUGIN_SCHEMAS = (
    ParameterSchema("medical.premium", "money", "yuan/year", "premium", "参保费", "§9.1"),
    ParameterSchema("medical.ratio", "map[decimal]", "", "share of the base paid", "救助比例", "§9.2c"),
    ParameterSchema("education.grant", "map[map[money]]", "yuan/year", "grant by stage and tier", "",
                    "§10.2"),
)
PLUGIN_VALUES = """
[medical]
premium = { 2024-01-01 = 380, 2025-01-01 = 400 }
ratio = { 2024-01-01 = { tekun = 0.9, dibao = 0.75 } }
[education]
grant = { 2024-01-01 = { primary = { 1 = 1000, 2 = 500 } } }
"""


def plugin_declaration(tmp_path: Path, text: str = PLUGIN_VALUES) -> ParameterDeclaration:
    return ParameterDeclaration(PLUGIN_SCHEMAS, {"demo-city": write(tmp_path, text, "plugin-demo-city.toml")})


def test_a_percent_may_be_negative_and_says_what_it_expects(tmp_path: Path) -> None:
    # A published price index (§P.1) is a change in percent: "decimal" is ≥ 0, "percent" may be negative.
    schema = ParameterSchema("price.index", "percent", "%", "an index change", "指数涨幅", "§P.1")
    folder = tmp_path / "values.toml"
    folder.write_text("[price]\nindex = { 2024-01-01 = -2.0, 2024-09-01 = 3.6, 2025-01-01 = \"1.10\" }\n",
                      encoding="utf-8")
    policy = load_policy("demo-city", [], declarations=[ParameterDeclaration((schema,), {"demo-city": folder})])
    assert [policy.at(D(y, m, 1))["price.index"] for y, m in ((2024, 1), (2024, 9), (2025, 1))] == [
        Decimal("-2.0"), Decimal("3.6"), Decimal("1.10")]
    for bad in ("\"rising\"", "true", "[1]", "\"nan\""):
        folder.write_text(f"[price]\nindex = {{ 2024-01-01 = {bad} }}\n", encoding="utf-8")
        with pytest.raises(PolicyError, match="a change in percent, a number that may be negative"):
            load_policy("demo-city", [], declarations=[ParameterDeclaration((schema,), {"demo-city": folder})])
    assert _params._text(Decimal("3.6"), "percent") == "+3.6" and _params._text(Decimal("-2.0"), "percent") == "-2.0"


def test_plugin_declaration_with_its_own_values(tmp_path: Path) -> None:
    decl = plugin_declaration(tmp_path)
    policy = load_policy(declarations=[decl])
    params = policy.at(CHANGE)
    assert params["medical.premium"] == Decimal("400.00")
    assert params["medical.ratio"] == {"tekun": Decimal("0.9"), "dibao": Decimal("0.75")}
    assert params["education.grant"]["primary"]["2"] == Decimal("500.00")
    with pytest.raises(TypeError):
        params["medical.ratio"]["dibao"] = Decimal(1)  # type: ignore[index]
    plugin_file = str(tmp_path / "plugin-demo-city.toml")
    assert params.source("medical.premium") == Source(plugin_file, "medical.premium", D(2025, 1, 1))
    assert policy.files == (NATIONAL_FILE, CORE_FILE, plugin_file)
    assert params["standard.urban"] == Decimal("1050")


def test_map_entry_errors_name_the_entry(tmp_path: Path) -> None:
    decl = plugin_declaration(tmp_path)
    err = load_error(tmp_path, "[education]\ngrant = { 2024-01-01 = { primary = { 1 = 10.001 } } }\n",
                     declarations=[decl])
    assert err.key == "education.grant.2024-01-01.primary.1"


def test_missing_value_for_a_declared_parameter(tmp_path: Path) -> None:
    decl = plugin_declaration(tmp_path, "[medical]\npremium = { 2024-01-01 = 380 }\n")
    with pytest.raises(PolicyError, match="leaves 2 parameters without a value") as info:
        load_policy(declarations=[decl])
    assert info.value.key == "medical.ratio"
    assert "  education.grant (§10.2): grant by stage and tier" in str(info.value)
    assert info.value.file == str(tmp_path / "plugin-demo-city.toml")


def test_bundled_file_may_not_set_another_declarations_parameter(tmp_path: Path) -> None:
    decl = plugin_declaration(tmp_path, PLUGIN_VALUES + "[standard]\nurban = { 2024-01-01 = 1 }\n")
    with pytest.raises(PolicyError, match="declared elsewhere") as info:
        load_policy(declarations=[decl])
    assert info.value.key == "standard.urban"


def test_bundled_file_naming_another_locality(tmp_path: Path) -> None:
    decl = plugin_declaration(tmp_path, 'locality = "elsewhere"\n' + PLUGIN_VALUES)
    with pytest.raises(PolicyError, match="says locality = 'elsewhere'") as info:
        load_policy(declarations=[decl])
    assert info.value.key == "locality"


def test_declaration_without_the_locality_needs_a_policy_file(tmp_path: Path) -> None:
    decl = ParameterDeclaration(PLUGIN_SCHEMAS, {})
    message = "locality 'demo-city' leaves 3 parameters without a value"
    with pytest.raises(PolicyError, match=message):
        load_policy(declarations=[decl])
    path = write(tmp_path, PLUGIN_VALUES)
    assert load_policy(files=[path], declarations=[decl]).at(CHANGE)["medical.premium"] == Decimal("400")


def test_declaration_errors() -> None:
    with pytest.raises(ValueError, match="type must be one of"):
        ParameterSchema("x.y", "float", "", "…")
    with pytest.raises(ValueError, match="dotted identifiers"):
        ParameterSchema("x..y", "int", "", "…")
    twice = ParameterDeclaration((ParameterSchema("standard.urban", "money", "", "again"),), {})
    with pytest.raises(PolicyError, match="declared twice") as info:
        load_policy(declarations=[twice])
    assert info.value.key == "standard.urban"
    clash = ParameterDeclaration((ParameterSchema("standard", "money", "", "a group"),), {})
    with pytest.raises(PolicyError, match="group"):
        load_policy(declarations=[clash])
    assert load_policy(declarations=[CORE_DECLARATION]).schemas.keys() == set(DEMO_CITY)


# -- property: §1.4 on random timelines ---------------------------------------------------------------------

_DATES = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))


@settings(max_examples=40, deadline=None)
@given(
    changes=st.lists(
        st.tuples(_DATES, st.integers(0, 10**6)), min_size=1, max_size=6, unique_by=lambda c: c[0]
    ),
    on=_DATES,
)
def test_value_is_the_latest_effective_date_on_or_before(
    tmp_path_factory: pytest.TempPathFactory, changes: list[tuple[dt.date, int]], on: dt.date
) -> None:
    changes.sort()
    table = ", ".join(f"{d.isoformat()} = {v}" for d, v in changes)
    folder = tmp_path_factory.mktemp("prop")
    decl = ParameterDeclaration(
        (ParameterSchema("test.amount", "money", "yuan", "a test amount"),),
        {"demo-city": write(folder, f"[test]\namount = {{ {table} }}\n")},
    )
    policy = load_policy(declarations=[decl])
    if on < max(D(2024, 1, 1), changes[0][0]):
        with pytest.raises(PolicyError, match="no value in force"):
            policy.at(on)
        return
    expected_date, expected = max((d, v) for d, v in changes if d <= on)
    params = policy.at(on)
    assert params["test.amount"] == expected
    assert params.source("test.amount").effective == expected_date


# -- the `params` command -----------------------------------------------------------------------------------


@pytest.fixture()
def core_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_params, "_declarations", lambda: ())


def run(*args: str) -> str:
    result = CliRunner().invoke(_params.params, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.usefixtures("core_only")
def test_params_text_lines() -> None:
    out = run("--on", "2025-07-01")
    lines = out.splitlines()
    assert "standard.urban = 1050.00 yuan/month  (demo-city.toml, from 2025-07-01)" in lines
    assert "income.deduct_rigid_expenses = true  (demo-city.toml, from 2025-07-01)" in lines
    assert "income.window_months = 6 months  (demo-city.toml, from 2024-01-01)" in lines
    assert [line.split(" = ")[0] for line in lines] == sorted(DEMO_CITY)


@pytest.mark.usefixtures("core_only")
def test_params_differ_exactly_in_the_rows_changing_on_2025_07_01() -> None:
    def values(on: str) -> dict[str, str]:
        return dict(line.split(" = ", 1) for line in run("--on", on).splitlines())

    before, after = values("2025-06-30"), values("2025-07-01")
    assert before.keys() == after.keys() == set(DEMO_CITY)
    assert {name for name in before if before[name] != after[name]} == CHANGING


@pytest.mark.usefixtures("core_only")
def test_params_json_with_an_override(tmp_path: Path) -> None:
    path = write(tmp_path, "locality = 'my-county'\n[standard]\nurban = { 2026-01-01 = 1100 }\n")
    doc = json.loads(run("--on", "2026-01-01", "--policy", str(path), "--format", "json"))
    assert doc["locality"] == "my-county" and doc["on"] == "2026-01-01"
    rows = {row["name"]: row for row in doc["parameters"]}
    assert rows["standard.urban"]["value"] == "1100.00"
    source = {"file": str(path), "key": "standard.urban", "effective": "2026-01-01"}
    assert rows["standard.urban"]["source"] == source
    assert rows["income.excluded_kinds"]["value"][0] == "special_care_pension"
    assert rows["income.employment_deduction_rate"]["value"] == "0.3"
    assert rows["income.deduct_rigid_expenses"]["value"] is True


def test_params_includes_plugin_parameters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    decl = plugin_declaration(tmp_path)
    monkeypatch.setattr(_params, "_declarations", lambda: (decl,))
    lines = run("--on", "2025-07-01").splitlines()
    assert "medical.ratio = {tekun: 0.9, dibao: 0.75}  (plugin-demo-city.toml, from 2024-01-01)" in lines
    grant = "education.grant = {primary: {1: 1000.00, 2: 500.00}} yuan/year"
    assert f"{grant}  (plugin-demo-city.toml, from 2024-01-01)" in lines


@pytest.mark.usefixtures("core_only")
def test_params_reports_policy_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "[standard]\nurbn = { 2024-01-01 = 1 }\n")
    result = CliRunner().invoke(_params.params, ["--policy", str(path)])
    assert result.exit_code != 0 and "standard.urbn" in result.output
    result = CliRunner().invoke(_params.params, ["--on", "2023-05-01"])
    assert result.exit_code != 0 and "no value in force on 2023-05-01" in result.output
