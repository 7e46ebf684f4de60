"""Every money figure of a determination's JSON appears, with a rule id, in its text explanation (zh and en)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistkit.engine import Engine
from assistkit.io import structure_household
from assistkit.testing.examples import load_examples

EXAMPLES = {ex.name: ex for ex in load_examples(Path(__file__).parent / "examples")}
SPEC_PROGRAMMES = ("tekun", "dibao", "low_income", "medical", "education", "housing", "temporary", "donations")
RULE_TAG = re.compile(r"\[§[^\]]*\]")  # the clause; the trace form (codes=True) adds the rule id


@pytest.fixture(scope="module")
def engine():
    return Engine(only=SPEC_PROGRAMMES)


def money_figures(out):
    """(where, figure) for every money value in the JSON."""
    found = [(f"income.{k}", v) for k, v in out["income"].items() if k != "unit"]
    for name, prog in out["programmes"].items():
        found += [(f"{name}.monthly", prog["monthly"]), (f"{name}.one_off", prog["one_off"])]
        found += [(f"{name}.payments[{i}]", p["amount"]) for i, p in enumerate(prog["payments"])]
        found += [(f"{name}.payments[{i}].advance", p["advance"]) for i, p in enumerate(prog["payments"])
                  if p["advance"] is not None]
    for need, state in out["needs"].items():
        found += [(f"needs.{need}.{k}", state[k]) for k in ("amount", "paid", "remaining")]
    found += [(f"totals.{k}", v) for k, v in out["totals"].items()]
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["05-marginal-medical-temporary", "03-tekun-member-in-dibao-household"])
def test_every_money_figure_is_explained_with_a_rule(engine, name, lang):
    ex = EXAMPLES[name]
    d = engine.assess(structure_household(ex.household), ex.on)
    text = d.explain(lang)
    tagged = [line for line in text.splitlines() if RULE_TAG.search(line)]
    missing = [(where, fig) for where, fig in money_figures(d.to_json())
               if not any(re.search(rf"(?<![\d.]){re.escape(fig)}(?!\d)", line) for line in tagged)]
    assert not missing, f"figures without a rule-tagged line in the {lang} text: {missing}\n{text}"


def test_explanations_differ_by_language(engine):
    ex = EXAMPLES["01-urban-dibao-wage"]
    d = engine.assess(structure_household(ex.household), ex.on)
    zh, en = d.explain("zh"), d.explain("en")
    assert "最低生活保障" in zh and "minimum living" in en.lower()
    assert 'parameter "monthly minimum-living standard S, urban" = 1050.00' in en and "2025-07-01" in en
    assert "参数「城市低保标准」= 1050.00" in zh


def test_the_trace_form_adds_rule_ids_and_parameter_names(engine):
    ex = EXAMPLES["01-urban-dibao-wage"]
    d = engine.assess(structure_household(ex.household), ex.on)
    trace = d.explain("en", codes=True)
    assert "[§6.3 dibao.gap]" in trace
    assert '"monthly minimum-living standard S, urban" standard.urban = 1050.00' in trace
    assert "dibao.gap" not in d.explain("en") and "standard.urban" not in d.explain("zh")
