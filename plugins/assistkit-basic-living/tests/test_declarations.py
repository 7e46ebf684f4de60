"""The plugin's contract: entry point, parameters with their Demo City values, a rule for every reason."""

from __future__ import annotations

import datetime as dt
import importlib.metadata as md
import re
from decimal import Decimal
from pathlib import Path

import pytest
from assistkit_basic_living import DibaoProgramme, LowIncomeProgramme, TekunProgramme
from assistkit_basic_living.parameters import SCHEMAS
from assistkit_basic_living.programme import RULES

from assistkit import io
from assistkit.engine import Engine
from assistkit.explain import render_reason
from assistkit.policy import Comparison, Line, Rounding
from assistkit.testing.examples import load_examples

EXAMPLES = Path(__file__).resolve().parents[3] / "tests" / "examples"
PROGRAMMES = (TekunProgramme, DibaoProgramme, LowIncomeProgramme)


def test_entry_point() -> None:
    found = {ep.name: ep.value for ep in md.entry_points(group="assistkit")}
    assert found.get("basic_living") == "assistkit_basic_living.hooks"


def test_programmes_in_linkage_order(engine: Engine) -> None:
    assert [p.name for p in engine.programmes] == ["tekun", "dibao", "low_income"]
    # low_income pays the child allowance of china-rules §5.3 where a locality gives one (Demo City: none)
    assert TekunProgramme.recurring and DibaoProgramme.recurring and LowIncomeProgramme.recurring
    assert engine.failures == ()


def test_every_parameter_read_is_declared(engine: Engine) -> None:
    for programme in PROGRAMMES:
        for name in programme.parameters:
            assert name in engine.policy.schemas, (programme.name, name)
    read = {name for programme in PROGRAMMES for name in programme.parameters}
    # nothing declared that no programme reads (optional ones are read where a locality gives them)
    assert {s.name for s in SCHEMAS if not s.optional} <= read


# parameters.md: (name, value from 2024-01-01, value from 2025-07-01)
DEMO_CITY = [
    ("tekun.asset_months", 24, 24),
    ("tekun.basic_multiple", "1.3", "1.3"),
    ("tekun.care.full", "100", "120"),
    ("tekun.care.partial", "500", "600"),
    ("tekun.care.none", "1200", "1400"),
    ("tekun.adl_partial_from", 1, 1),
    ("tekun.adl_none_from", 4, 4),
    ("dibao.refusal_limit", 3, 3),
    ("dibao.floor", "50", "50"),
    ("dibao.gradual_exit_months", 6, 6),
    ("dibao.gap", "per_capita", "per_capita"),
    ("dibao.gradual_exit_factors", (Decimal(1),), (Decimal(1),)),
    ("dibao.single_person", "difference", "difference"),
    ("tekun.basic_rounding", Rounding("yuan", "half_up"), Rounding("yuan", "half_up")),
    ("dibao.rounding", Rounding("yuan", "half_up"), Rounding("yuan", "half_up")),
    ("dibao.income_test", Comparison("<"), Comparison("<")),
    ("uplift.stacking", "highest", "highest"),
    ("dibao.income_reduction", {}, {}),
    ("dibao.income_reduction_combine", "max", "max"),
    ("uplift.elderly_age", 60, 60),
    ("uplift.minor_below_age", 18, 18),
    ("uplift.elderly", "0.10", "0.10"),
    ("uplift.minor", "0.15", "0.15"),
    ("uplift.severe_disability", "0.30", "0.30"),
    ("uplift.disability", "0.10", "0.10"),
    ("uplift.serious_illness", "0.20", "0.20"),
    ("marginal.multiple", "1.5", "1.5"),
    ("hardship.expense_share", "0.5", "0.5"),
    ("hardship.income_line", "4000", "4200"),
]


@pytest.mark.parametrize(("name", "early", "late"), DEMO_CITY, ids=[row[0] for row in DEMO_CITY])
def test_demo_city_values(engine: Engine, name: str, early: object, late: object) -> None:
    def want(v: object) -> object:
        if not isinstance(v, str) or not v[0].isdigit():
            return v  # an int, a word, or a rounding or operator value
        return Line(Decimal(v)) if name.startswith("tekun.care.") else Decimal(v)

    assert engine.policy.at(dt.date(2025, 6, 30))[name] == want(early)
    assert engine.policy.at(dt.date(2025, 7, 1))[name] == want(late)
    assert engine.policy.at(dt.date(2024, 1, 1))[name] == want(early)
    source = engine.policy.at(dt.date(2025, 7, 1)).source(name)
    assert source.file.endswith("demo-city.toml") and "assistkit_basic_living" in source.file


def test_demo_city_declares_exactly_the_schemas() -> None:
    assert sorted(s.name for s in SCHEMAS if not s.optional) == sorted(name for name, _, _ in DEMO_CITY)


def test_rules_have_sections_and_both_languages() -> None:
    for programme in PROGRAMMES:
        for rule_id, rule in programme.rules.items():
            assert rule.id == rule_id and RULES[rule_id] is rule
            assert re.fullmatch(r"§\d+(\.\d+)?", rule.section), rule
            assert rule.zh and rule.en
            assert set(re.findall(r"\{(\w+)\}", rule.zh)) == set(re.findall(r"\{(\w+)\}", rule.en)), rule_id


def test_every_reason_has_a_rule_and_renders(engine: Engine) -> None:
    """Over the examples and a few extra cases, every reason of the three programmes renders completely."""
    seen: set[str] = set()
    for ex in load_examples(EXAMPLES):
        d = engine.assess(io.structure_household(ex.household), ex.on)
        for result in d.programmes:
            for reason in result.reasons:
                assert reason.rule in engine.rules, reason.rule
                if reason.rule in RULES:
                    seen.add(reason.rule)
                for lang in ("zh", "en"):
                    text = render_reason(reason, engine.rules, lang)
                    assert "{" not in text, (reason.rule, lang, text)
                for name in reason.params:
                    assert name in engine.policy.schemas, (reason.rule, name)
        assert d.explain("zh") and d.explain("en")
    assert {"tekun.eligible", "tekun.basic", "tekun.care", "dibao.unit", "dibao.covered", "dibao.gap",
            "dibao.uplift", "dibao.benefit", "dibao.single_person", "marginal.eligible", "hardship.eligible",
            "dibao.non_local", "dibao.threshold", "marginal.threshold"} <= seen


def test_every_rule_id_in_the_source_has_a_rule() -> None:
    import assistkit_basic_living.programme as module

    source = Path(module.__file__).with_name("programme.py").read_text(encoding="utf-8")  # not the .so mypyc builds
    pattern = r'(?:reason\(|rule=|return )"((?:tekun|dibao|marginal|hardship|low_income)\.\w+)"'
    used = set(re.findall(pattern, source))
    assert used, "no rule ids found"
    assert used <= set(RULES), used - set(RULES)
