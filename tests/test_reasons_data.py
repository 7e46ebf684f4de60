"""Reasons as data (``--reasons data``) rendered later (``assistkit explain``, :func:`assistkit.render_reasons`): the
bytes ``--reasons text`` writes, for batch, review, compare, the donation pass and the service; ``none`` leaves
them out and counts the same. benchmarks/reasons.py shows the same over 10,000 households."""

from __future__ import annotations

import datetime as dt
import io as _io
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assistkit
from assistkit.cli import main
from assistkit.determination import _reasons_json, reasons_data, render_reasons_json
from assistkit.dev.demo import demo_lines
from assistkit.engine import Engine
from assistkit.explain import Reason, Rule
from assistkit.io import unstructure_household
from assistkit.periods import Month
from assistkit.population import batch, compare, review
from assistkit.population._pipeline import dumps_line, engine_for
from assistkit.testing.strategies import households
from assistkit.vocabulary import CORE
from assistkit.warning import on_defaulted, warning_data, warning_json, warning_rendered

ON = dt.date(2025, 7, 15)


@pytest.fixture(scope="module")
def engine():
    return Engine()


@pytest.fixture(scope="module")
def population():
    return [line.encode("utf-8") for line in demo_lines(600, seed=31)]


def run_batch(lines, **options):
    out = _io.BytesIO()
    result = batch(lines, out, ON, **options)
    return out.getvalue(), result


def explain(data: bytes, *args: str) -> bytes:
    result = CliRunner().invoke(main, ["explain", "-", *args], input=data)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explain_of_data_is_the_text_output_byte_for_byte(population, lang):
    text, text_result = run_batch(population, lang=lang)
    data, data_result = run_batch(population, reasons="data", workers=2, chunk_size=37)
    assert explain(data, "--lang", lang) == text
    assert len(data) < 0.6 * len(text)
    # The data do not depend on the language: written once, rendered in either.
    assert run_batch(population[:50], reasons="data", lang="en")[0] == run_batch(population[:50], reasons="data")[0]
    assert data_result.to_json() == text_result.to_json()


def test_render_reasons_gives_each_line_of_text(population, engine):
    text, _ = run_batch(population[:80])
    data, _ = run_batch(population[:80], reasons="data")
    for t, d in zip(text.splitlines(True), data.splitlines(True), strict=True):
        record = json.loads(d)
        rendered = assistkit.render_reasons(record, engine=engine)
        assert dumps_line(rendered) == t
        assert json.loads(d) == record  # a new record: the one given is left as it was
        assert assistkit.render_reasons(rendered, engine=engine) == rendered  # text stays text


def test_data_carry_rules_values_and_cited_parameters_with_their_files(population, engine):
    data, _ = run_batch(population[:40], reasons="data")
    provenance = engine.provenance.to_json()
    files = [f["file"] for f in provenance["policy_files"]]
    cited = 0
    for line in data.splitlines():
        d = json.loads(line)
        assert d["provenance"] == {"id": provenance["id"]}
        for p in d["programmes"].values():
            for r in p["reasons"]:
                assert set(r) <= {"rule", "values", "params", "texts"} and "text" not in r
                for name, (file, effective) in r.get("params", {}).items():
                    source = engine.policy.at(ON).source(name)
                    assert files[file] == source.file and effective == source.effective.isoformat()
                    cited += 1
    assert cited > 100


def test_none_leaves_the_reasons_out_and_counts_the_same(population):
    text, text_result = run_batch(population)
    none, none_result = run_batch(population, reasons="none")
    assert none_result.to_json() == text_result.to_json()
    for t, n in zip(text.splitlines(), none.splitlines(), strict=True):
        t, n = json.loads(t), json.loads(n)
        assert all("reasons" not in p for p in n["programmes"].values())
        for p in t["programmes"].values():
            del p["reasons"]
        t["provenance"] = {"id": t["provenance"]["id"]}
        assert n == t


def test_the_donation_pass_writes_its_reasons_in_the_same_form(tmp_path, population, engine):
    from assistkit import io

    funds_file = tmp_path / "funds.json"
    funds_file.write_text(json.dumps(FUNDS, ensure_ascii=False), encoding="utf-8")
    funds = io.load_funds(funds_file)
    text, _ = run_batch(population, funds=funds)
    data, _ = run_batch(population, funds=funds, reasons="data")
    assert b'"rule":"donations.allocation"' in data
    assert explain(data) == text
    none, none_result = run_batch(population, funds=funds, reasons="none")
    assert b'"reasons"' not in none
    assert none_result.funds.to_json() == run_batch(population, funds=funds)[1].funds.to_json()


def test_review_entries_as_data_render_to_the_text_entries(population):
    for lang in ("zh", "en"):
        outputs = {}
        for reasons in ("text", "data", "none"):
            out = _io.BytesIO()
            review(population, out, ON, lang=lang, reasons=reasons)
            outputs[reasons] = out.getvalue()
        assert explain(outputs["data"], "--lang", lang) == outputs["text"]
        assert b'"why"' not in outputs["none"] and b'"text"' not in outputs["none"]


def test_compare_reasons_of_changed_programmes_as_text_or_data(tmp_path, population):
    reform = tmp_path / "plus10.toml"
    reform.write_text("[standard]\nurban = { 2025-07-01 = 1155 }\nrural = { 2025-07-01 = 935 }\n", encoding="utf-8")
    outputs = {}
    for reasons in ("none", "text", "data"):
        out = _io.BytesIO()
        compare(population, ON, "demo-city", str(reform), out=out, reasons=reasons)
        outputs[reasons] = out.getvalue()
    assert explain(outputs["data"]) == outputs["text"]
    before = _io.BytesIO()
    compare(population, ON, "demo-city", str(reform), out=before)
    assert before.getvalue() == outputs["none"]  # the default: the records of before --reasons
    changed = [json.loads(line) for line in outputs["text"].splitlines()]
    assert any(p["reasons"]["base"] != p["reasons"]["reform"] for c in changed for p in c["programmes"].values())


def test_explain_picks_households_and_refuses_another_engines_data(tmp_path, population):
    data, _ = run_batch(population[:5], reasons="data")
    text, _ = run_batch(population[:5], lang="en")
    second = json.loads(text.splitlines()[1])["household"]
    assert explain(data, "--household", second, "--lang", "en") == text.splitlines(True)[1]
    result = CliRunner().invoke(main, ["explain", "-", "--household", "nobody"], input=data)
    assert result.exit_code == 2 and "no household nobody" in result.output
    other = tmp_path / "other.toml"
    other.write_text("[standard]\nurban = { 2025-07-01 = 1100 }\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", "-", "--policy", str(other)], input=data)
    assert result.exit_code == 2 and "written by provenance" in result.output
    with pytest.raises(ValueError, match="reasons must be one of"):
        run_batch(population[:1], reasons="html")


def test_explain_of_one_document_is_the_indented_determination(tmp_path, engine, population):
    household = assistkit_household(population[0])
    d = engine.assess(household, ON)
    path = tmp_path / "one.json"
    path.write_text(d.to_json_text(indent=2, reasons="data") + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == d.to_json_text(indent=2) + "\n"


def assistkit_household(line: bytes):
    from assistkit.io import household_from_json

    return household_from_json(line.decode("utf-8"))


# -- every kind of value: the text rendered from the data is the text rendered from the reason ------------------


class _Code(str):
    """A str subclass whose str() is not its value (as an enum of codes may be)."""

    def __str__(self) -> str:
        return "Code." + str.__str__(self)


_NAMES = st.sampled_from(["a", "S", "gap", "unit", "member", "kind", "status", "failures", "on"])
_LEAVES = st.one_of(
    st.text(max_size=8), st.integers(-10**6, 10**6), st.booleans(), st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6, max_value=10**6),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-0.99"), max_value=Decimal("0.99")),
    st.dates(), st.builds(Month, st.integers(2000, 2030), st.integers(1, 12)),
    st.floats(allow_nan=False, allow_infinity=False), st.just(_Code("dibao")),
    st.sampled_from(["dibao", "tekun", "urban", "medical"]),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.lists(inner, max_size=3).map(tuple),
                            st.lists(st.sampled_from(["P1", "dibao", "tekun"]), max_size=3).map(tuple),
                            st.dictionaries(_NAMES, inner, max_size=3)),
    max_leaves=6,
)
_RULES = {r.id: r for r in (
    Rule("t.plain", "§1", "甲 {a}，{S}，{gap}，{unit}", "A {a}, {S}, {gap}, {unit}"),
    Rule("t.spec", "§2", "{a!r} {S:>8}", "{a!r} {S:>8}"),
    Rule("t.none", "§3", "没有值", "no values"),
)}
_REASONS = st.builds(Reason, st.sampled_from([*_RULES, "t.unknown"]),
                     st.dictionaries(_NAMES, _VALUES, max_size=4), st.just(()))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(_REASONS, st.sampled_from(["zh", "en"]))
def test_any_reason_renders_from_its_data_as_from_itself(reason, lang):
    text = _reasons_json([reason], _RULES, lang, CORE)
    data = json.loads(json.dumps(reasons_data([reason]), ensure_ascii=False))
    assert render_reasons_json({"reasons": data}, _RULES, lang, CORE) == json.loads(
        json.dumps({"reasons": text}, ensure_ascii=False))


@settings(max_examples=100)
@given(st.dictionaries(_NAMES, _VALUES, max_size=4))
def test_any_warning_renders_from_its_data_as_from_itself(values):
    from assistkit.warning import RULES

    warning = Reason("warning.on_defaulted", values)
    data = json.loads(json.dumps(warning_data(warning), ensure_ascii=False, default=str))
    expected = json.loads(json.dumps(warning_json(warning, RULES), ensure_ascii=False, default=str))
    assert warning_rendered(data, RULES) == expected
    assert warning_rendered(warning_data(on_defaulted(ON)), RULES) == warning_json(on_defaulted(ON), RULES)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(households(), st.sampled_from(["zh", "en"]))
def test_any_household_renders_from_its_data_as_its_text(household, lang):
    engine = engine_for(assistkit.population.DEMO_CITY)
    d = engine.assess(household, ON).with_warnings(on_defaulted(ON))
    data = json.loads(d.to_json_text(reasons="data"))
    assert dumps_line(assistkit.render_reasons(data, lang=lang)) == dumps_line(json.loads(d.to_json_text(lang=lang)))
    assert unstructure_household(household)  # a household of the format, as a population line would hold


FUNDS = [
    {"id": "F1", "name": "慈善总会医疗救助基金", "balance": "60000.00", "need_kinds": ["medical"], "statuses": [],
     "per_household_cap": "5000.00", "valid_from": "2025-01-01", "valid_to": "2025-12-31"},
    {"id": "F2", "name": "应急救助基金", "balance": "20000.00", "need_kinds": ["emergency", "tuition"],
     "statuses": ["dibao", "tekun"], "per_household_cap": "3000.00", "valid_from": "2025-01-01",
     "valid_to": "2026-06-30"},
]
