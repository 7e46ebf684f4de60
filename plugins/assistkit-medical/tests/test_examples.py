"""The spec's worked examples: the medical programme and the needs equal the expected output exactly.

The engine is built from explicit plugins: basic living, medical, education and housing, without temporary
relief (§12), which comes after them. The expected ``needs`` therefore include what temporary relief paid; the
comparison takes the expected needs and removes the expected temporary (and donation) payments toward each,
which is what the needs must be after §9–§11. When the temporary-relief plugin is installed, a second test
runs it too and compares the expected ``needs`` unchanged.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import assistkit_basic_living.hooks
import assistkit_education.hooks
import assistkit_housing.hooks
import assistkit_medical.hooks
import pytest

from assistkit import io
from assistkit.engine import Engine
from assistkit.testing.examples import Example, compare_expected, load_examples

EXAMPLES = load_examples(Path(__file__).resolve().parents[3] / "tests" / "examples")
OWNED = "medical"
LATER = ("temporary", "donations")
"""Programmes after §9–§11 that may pay toward needs."""


def needs_after_special(example: Example) -> dict[str, Any]:
    """The expected needs with the expected payments of the later programmes taken back out."""
    later: dict[str, Decimal] = {}
    for name in LATER:
        for p in example.expected["programmes"].get(name, {}).get("payments", []):
            if p.get("need") is not None:
                later[p["need"]] = later.get(p["need"], Decimal(0)) + Decimal(p["amount"])
    out = {}
    for need, state in example.expected["needs"].items():
        paid = Decimal(state["paid"]) - later.get(need, Decimal(0))
        out[need] = {"amount": state["amount"], "paid": f"{paid:.2f}",
                     "remaining": f"{Decimal(state['amount']) - paid:.2f}"}
    return out


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda ex: ex.name)
def test_example(full_engine: Engine, example: Example) -> None:
    d = full_engine.assess(io.structure_household(example.household), example.on)
    actual = d.to_json()
    assert not d.errors, d.errors
    expected = {"programmes": {OWNED: example.expected["programmes"][OWNED]},
                "needs": needs_after_special(example)}
    assert compare_expected(expected, actual) == []
    entry = actual["programmes"][OWNED]
    if entry["eligible"]:
        assert entry["reasons"], f"{OWNED} is eligible without a reason"
    for payment in d.programme(OWNED).payments:
        assert payment.rule in d.rules, f"payment {payment} cites no known rule"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda ex: ex.name)
def test_example_with_temporary_relief(example: Example) -> None:
    temporary = pytest.importorskip("assistkit_temporary.hooks")
    engine = Engine(plugins=[assistkit_basic_living.hooks, assistkit_medical.hooks, assistkit_education.hooks,
                             assistkit_housing.hooks, temporary])
    d = engine.assess(io.structure_household(example.household), example.on)
    actual = d.to_json()
    expected = {"programmes": {OWNED: example.expected["programmes"][OWNED]},
                "needs": example.expected["needs"]}
    assert compare_expected(expected, actual) == []
