"""The price-linkage subsidy (§P): the spec's worked examples, and one worked case per clause.

Demo City's published indices (parameters.md): 2024-09-01 3.6 / 6.4 (both trigger), 2024-10-01 3.2 / 6.1 (food
only), 2024-11-01 2.8 / 4.0 (none), 2025-03-01 1.1 / 0.5, 2025-12-01 3.7 / 5.1 (CPI only), 2026-01-01 4.2 / 7.3
(both). Statuses come from the real basic-living plugin.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import assistkit_basic_living.hooks
import assistkit_price_subsidy.hooks
import pytest
from assistkit_price_subsidy.programme import RULES
from click.testing import CliRunner

from assistkit import io
from assistkit.cli import main
from assistkit.engine import Engine
from assistkit.explain import render_reason
from assistkit.testing.examples import Example, compare_expected, load_examples

EXAMPLES = Path(__file__).resolve().parents[3] / "tests" / "examples"
STATING = [ex for ex in load_examples(EXAMPLES) if "price_subsidy" in ex.expected["programmes"]]
"""The examples that state the price subsidy (09–11; 01–08 predate the addenda)."""


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(plugins=[assistkit_basic_living.hooks, assistkit_price_subsidy.hooks])


def test_there_are_examples():
    assert {"09", "10", "11"} <= {ex.name[:2] for ex in STATING}


@pytest.mark.parametrize("example", STATING, ids=lambda ex: ex.name)
def test_example(engine: Engine, example: Example) -> None:
    d = engine.assess(io.structure_household(example.household), example.on)
    assert not d.errors, d.errors
    wanted = {"programmes": {"price_subsidy": example.expected["programmes"]["price_subsidy"]}}
    assert compare_expected(wanted, d.to_json()) == []
    out = d.to_json()["programmes"]["price_subsidy"]
    assert out["reasons"][0]["rule"] in ("price.triggered", "price.not_triggered")


def person(pid, birth="1975-05-05", relationship="head", **extra):
    return {"id": pid, "name": "赵" + pid, "birth_date": birth, "relationship": relationship, **extra}


POOR = [person("P1"), person("P2", "1977-01-01", "spouse")]
"""No income: dibao (PCI 0 < S)."""

MARGINAL = [{"member": "P1", "category": "pension", "amount": "13200", "from": "2025-07", "to": "2025-12"}]
"""2200 a month for two: PCI 1100, between S 1050 and 1575 (on 2026-01-15)."""


def subsidy(engine, data, on):
    d = engine.assess(io.structure_household({"id": "H-P", "residence": "urban", **data}), on)
    assert not d.errors, d.errors
    return d, d.to_json("en")["programmes"]["price_subsidy"]


def test_not_triggered_says_the_indices_and_triggers(engine):
    _, out = subsidy(engine, {"members": POOR}, dt.date(2025, 7, 15))
    assert out["eligible"] is False and out["monthly"] == "0.00"
    assert out["reasons"] == [{
        "rule": "price.not_triggered",
        "text": "CPI on a year earlier 1.1% (trigger ≥ 3.5%), food CPI 0.5% (trigger ≥ 6.0%): neither reaches "
                "its trigger, no price-linkage subsidy",
        "values": {"cpi": "1.1", "cpi_trigger": "3.5", "food": "0.5", "food_trigger": "6.0"},
    }]


def test_a_negative_index_reads_as_published(engine):
    _, out = subsidy(engine, {"members": POOR}, dt.date(2024, 3, 1))
    assert out["reasons"][0]["values"]["food"] == "-2.0"


def test_food_alone_triggers_in_october_2024(engine):
    # S 1000 (urban, 2024), food 6.1: 1000 × 6.1 % = 61 a person, two dibao members.
    d, out = subsidy(engine, {"members": POOR}, dt.date(2024, 10, 15))
    assert out["monthly"] == "122.00"
    assert d.programme("price_subsidy").monthly_by_member == {"P1": 61, "P2": 61}
    assert out["reasons"][0]["values"]["change"] == "6.1"
    assert out["reasons"][0]["text"].endswith("at the food CPI change of 6.1%")


def test_cpi_alone_triggers_in_december_2025(engine):
    _, out = subsidy(engine, {"members": POOR}, dt.date(2025, 12, 1))
    assert out["monthly"] == "78.00"  # 1050 × 3.7 % = 38.85 → 39, two people
    assert out["reasons"][-1]["values"]["exact"] == "38.85"


def test_the_higher_change_sets_the_subsidy_when_both_trigger(engine):
    _, out = subsidy(engine, {"members": POOR}, dt.date(2024, 9, 1))
    assert out["monthly"] == "128.00"  # food 6.4 > CPI 3.6: 1000 × 6.4 % = 64


def test_a_trigger_is_reached_at_equality(engine, tmp_path):
    policy = tmp_path / "flat.toml"
    policy.write_text("[price]\ncpi_yoy = { 2025-08-01 = 3.5 }\n", encoding="utf-8")
    flat = Engine(plugins=[assistkit_basic_living.hooks, assistkit_price_subsidy.hooks], policy_files=[policy])
    _, out = subsidy(flat, {"members": POOR}, dt.date(2025, 8, 15))
    assert out["monthly"] == "74.00"  # 1050 × 3.5 % = 36.75 → 37


def test_the_floor(engine, tmp_path):
    policy = tmp_path / "low.toml"
    policy.write_text("[price]\ncpi_trigger = { 2025-08-01 = 0.5 }\n", encoding="utf-8")
    low = Engine(plugins=[assistkit_basic_living.hooks, assistkit_price_subsidy.hooks], policy_files=[policy])
    _, out = subsidy(low, {"members": POOR}, dt.date(2025, 8, 15))
    # 1050 × 1.1 % = 11.55 → 12; with cpi 0.6 it would be 6.30 → 6, floored at 10.
    assert out["monthly"] == "24.00"
    policy.write_text("[price]\ncpi_trigger = { 2025-08-01 = 0.5 }\ncpi_yoy = { 2025-08-01 = 0.6 }\n",
                      encoding="utf-8")
    low = Engine(plugins=[assistkit_basic_living.hooks, assistkit_price_subsidy.hooks], policy_files=[policy])
    _, out = subsidy(low, {"members": POOR}, dt.date(2025, 8, 15))
    assert out["monthly"] == "20.00"
    assert "at least 10.00: 10.00 yuan × 2" in out["reasons"][-1]["text"]


def test_marginal_households_are_covered_from_2025(engine):
    members = [person("P1"), person("P2", "1977-01-01", "spouse")]
    d, out = subsidy(engine, {"members": members, "incomes": MARGINAL}, dt.date(2026, 1, 15))
    assert d.household_statuses == ("marginal",)
    assert out["monthly"] == "154.00"  # 1050 × 7.3 % = 76.65 → 77, two people
    incomes = [{**MARGINAL[0], "amount": "12600", "from": "2024-03", "to": "2024-08"}]  # PCI 1050 ≥ S 1000
    d, out = subsidy(engine, {"members": members, "incomes": incomes}, dt.date(2024, 9, 15))
    assert d.household_statuses == ("marginal",)
    assert out["eligible"] is False
    assert out["reasons"][-1]["rule"] == "price.none_covered"
    assert out["reasons"][-1]["values"] == {"statuses": "tekun, dibao", "statuses_zh": "特困、低保"}


def test_an_orphan_is_covered_without_a_status(engine):
    members = [person("P1", "1960-01-01"), person("P2", "2016-01-01", "grandchild", orphan=True)]
    incomes = [{"member": "P1", "category": "pension", "amount": "30000", "from": "2025-07", "to": "2025-12"}]
    _, out = subsidy(engine, {"members": members, "incomes": incomes}, dt.date(2026, 1, 15))
    assert out["monthly"] == "77.00"
    assert out["reasons"][1]["text"] == "1 covered: P2 (orphan)"


def test_a_non_local_household_is_not_covered(engine):
    _, out = subsidy(engine, {"members": POOR, "hukou_local": False}, dt.date(2026, 1, 15))
    assert out["eligible"] is False
    assert [r["rule"] for r in out["reasons"]] == ["price.triggered", "price.nonlocal"]


def test_no_payment_no_need_no_action(engine):
    d, out = subsidy(engine, {"members": POOR}, dt.date(2026, 1, 15))
    assert out["payments"] == [] and out["one_off"] == "0.00"
    assert all(a.programme != "price_subsidy" for a in d.actions)


def test_every_reason_renders_in_both_languages_without_code_words(engine):
    cases = [({"members": POOR}, dt.date(2025, 7, 15)), ({"members": POOR}, dt.date(2026, 1, 15)),
             ({"members": POOR, "hukou_local": False}, dt.date(2026, 1, 15)),
             ({"members": POOR, "incomes": [{**MARGINAL[0], "amount": "12600", "from": "2024-03", "to": "2024-08"}]},
              dt.date(2024, 9, 15))]
    seen = set()
    for data, on in cases:
        d, _ = subsidy(engine, data, on)
        for reason in d.programme("price_subsidy").reasons:
            seen.add(reason.rule)
            zh = render_reason(reason, engine.rules, "zh")
            assert "{" not in zh and "{" not in render_reason(reason, engine.rules, "en")
            assert not any(word in zh for word in ("dibao", "tekun", "marginal", "orphan", "CPI")), zh
    assert seen == set(RULES)


def test_params_shows_the_indices_signed_with_their_month() -> None:
    result = CliRunner().invoke(main, ["params", "--on", "2024-03-01"])
    assert result.exit_code == 0, result.output
    lines = {line.split(" = ")[0]: line for line in result.output.splitlines()}
    assert lines["price.cpi_yoy"] == ("price.cpi_yoy = +0.3 % on a year earlier, CPI of the month before  "
                                      "(demo-city.toml, from 2024-01-01)")
    assert lines["price.food_yoy"] == ("price.food_yoy = -2.0 % on a year earlier, food CPI of the month before  "
                                       "(demo-city.toml, from 2024-01-01)")
    assert lines["price.cpi_trigger"] == "price.cpi_trigger = 3.5 %  (demo-city.toml, from 2024-01-01)"
    result = CliRunner().invoke(main, ["params", "--on", "2024-03-01", "--format", "json"])
    rows = {row["name"]: row for row in json.loads(result.output)["parameters"]}
    assert (rows["price.food_yoy"]["value"], rows["price.food_yoy"]["type"]) == ("-2.0", "percent")
