"""The spec's worked examples: what the basic-living programmes own must equal the expected output exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistkit import io
from assistkit.engine import Engine
from assistkit.testing.examples import compare_expected, load_examples

EXAMPLES = Path(__file__).resolve().parents[3] / "tests" / "examples"
OWNED = ("tekun", "dibao", "low_income")

# The counterfactual thresholds (see DibaoProgramme / LowIncomeProgramme), derived by hand per example:
# dibao: S − PCI; low_income: 1.5 × S − PCI. None where no income could qualify.
THRESHOLDS: dict[str, tuple[Any, Any]] = {
    # urban 2025-07: S 1050, marginal line 1575; PCI 495.00 → 555.00 and 1080.00; the household holds dibao.
    "01-urban-dibao-wage": (
        {"per_capita_below": "1050.00", "per_capita": "495.00", "distance": "555.00", "status": "dibao"},
        {"per_capita_below": "1575.00", "per_capita": "495.00", "distance": "1080.00", "status": "marginal",
         "note": "the household holds dibao; the marginal line (§7) applies only without it"},
    ),
    # the dibao unit is empty (the only member is tekun): no income qualifies.
    "02-rural-tekun-elderly": (None, None),
    # unit P1, P3; PCI 492.50 → 1050 − 492.50 = 557.50; 1575 − 492.50 = 1082.50.
    "03-tekun-member-in-dibao-household": (
        {"per_capita_below": "1050.00", "per_capita": "492.50", "distance": "557.50", "status": "dibao"},
        {"per_capita_below": "1575.00", "per_capita": "492.50", "distance": "1082.50", "status": "marginal",
         "note": "the household holds dibao; the marginal line (§7) applies only without it"},
    ),
    # PCI 1290.00 ≥ S: −240.00 to dibao; P3 (grade 1) can be included alone below 1575; 285.00 to the line.
    "04-single-person-inclusion": (
        {"per_capita_below": "1050.00", "per_capita": "1290.00", "distance": "-240.00", "status": "dibao",
         "single_person_below": "1575.00"},
        {"per_capita_below": "1575.00", "per_capita": "1290.00", "distance": "285.00", "status": "marginal"},
    ),
    # rural 2025-05: S 800, line 1200; PCI 830.00 → −30.00 and 370.00; P2 is seriously ill.
    "05-marginal-medical-temporary": (
        {"per_capita_below": "800.00", "per_capita": "830.00", "distance": "-30.00", "status": "dibao",
         "single_person_below": "1200.00"},
        {"per_capita_below": "1200.00", "per_capita": "830.00", "distance": "370.00", "status": "marginal"},
    ),
    # PCI 1678.89 → 1050 − 1678.89 = −628.89; 1575 − 1678.89 = −103.89; hardship is the route (§8).
    "06-expenditure-hardship": (
        {"per_capita_below": "1050.00", "per_capita": "1678.89", "distance": "-628.89", "status": "dibao"},
        {"per_capita_below": "1575.00", "per_capita": "1678.89", "distance": "-103.89", "status": "marginal",
         "note": "expenditure_hardship (§8) has its own test, not this line and no asset test: rigid "
                 "expenses > 0.5 × countable income and per-capita income without the rigid deduction "
                 "< 4200.00"},
    ),
    # PCI 292.50 → 757.50 and 1282.50.
    "07-urban-rent-subsidy": (
        {"per_capita_below": "1050.00", "per_capita": "292.50", "distance": "757.50", "status": "dibao"},
        {"per_capita_below": "1575.00", "per_capita": "292.50", "distance": "1282.50", "status": "marginal",
         "note": "the household holds dibao; the marginal line (§7) applies only without it"},
    ),
    # non-local (§2.5): no income qualifies.
    "08-nonlocal-fire": (None, None),
    # rural 2025-07: S 850, line 1275; PCI 148.33 → 701.67 and 1126.67; the household holds dibao.
    "09-rural-disaster-collapsed": (
        {"per_capita_below": "850.00", "per_capita": "148.33", "distance": "701.67", "status": "dibao"},
        {"per_capita_below": "1275.00", "per_capita": "148.33", "distance": "1126.67", "status": "marginal",
         "note": "the household holds dibao; the marginal line (§7) applies only without it"},
    ),
    # urban 2026-01: PCI 2000.00 → 1050 − 2000 = −950.00; 1575 − 2000 = −425.00; no status at all.
    "10-price-subsidy-orphan": (
        {"per_capita_below": "1050.00", "per_capita": "2000.00", "distance": "-950.00", "status": "dibao"},
        {"per_capita_below": "1575.00", "per_capita": "2000.00", "distance": "-425.00", "status": "marginal",
         "note": "expenditure_hardship (§8) has its own test, not this line and no asset test: rigid "
                 "expenses > 0.5 × countable income and per-capita income without the rigid deduction "
                 "< 4200.00"},
    ),
    # rural 2024-09: S 800, line 1200; PCI 153.33 → 646.67 and 1046.67; the household holds dibao.
    "11-price-subsidy-rural-dibao": (
        {"per_capita_below": "800.00", "per_capita": "153.33", "distance": "646.67", "status": "dibao"},
        {"per_capita_below": "1200.00", "per_capita": "153.33", "distance": "1046.67", "status": "marginal",
         "note": "the household holds dibao; the marginal line (§7) applies only without it"},
    ),
}

_EXAMPLES = load_examples(EXAMPLES)


def test_all_examples_present() -> None:
    assert sorted(ex.name for ex in _EXAMPLES) == sorted(THRESHOLDS)


@pytest.mark.parametrize("example", _EXAMPLES, ids=lambda ex: ex.name)
def test_example(engine: Engine, example: Any) -> None:
    d = engine.assess(io.structure_household(example.household), example.on)
    actual = d.to_json()
    expected = {k: example.expected[k] for k in ("income", "statuses", "next_review")}
    expected["programmes"] = {k: example.expected["programmes"][k] for k in OWNED}
    assert compare_expected(expected, actual) == []
    for name in OWNED:
        entry = actual["programmes"][name]
        if entry["eligible"]:
            assert entry["reasons"], f"{name} is eligible without a reason"


@pytest.mark.parametrize("example", _EXAMPLES, ids=lambda ex: ex.name)
def test_example_thresholds(engine: Engine, example: Any) -> None:
    d = engine.assess(io.structure_household(example.household), example.on)
    programmes = d.to_json()["programmes"]
    dibao, low_income = THRESHOLDS[example.name]
    assert programmes["dibao"]["threshold"] == dibao
    assert programmes["low_income"]["threshold"] == low_income
    assert "tekun" not in programmes or "threshold" not in programmes["tekun"]
