"""The spec's worked examples: the housing programme and the needs equal the expected output exactly.

The engine is built from explicit plugins: basic living, medical, education and housing, without temporary
relief (§12), which comes after them. The expected ``needs`` therefore include what temporary relief paid; the
comparison takes the expected needs and removes the expected temporary (and donation) payments toward each,
which is what the needs must be after §9–§11. When the temporary-relief plugin is installed, a second test
runs it too and compares the expected ``needs`` unchanged.
"""

from __future__ import annotations

from pathlib import Path

import assistkit_basic_living.hooks
import assistkit_education.hooks
import assistkit_housing.hooks
import assistkit_medical.hooks
import pytest

from assistkit import io
from assistkit.engine import Engine
from assistkit.testing.examples import (
    Example,
    compare_expected,
    expected_subset,
    load_examples,
    owned_differences,
)

EXAMPLES = load_examples(Path(__file__).resolve().parents[3] / "tests" / "examples")
OWNED = "housing"
LATER = ("temporary", "donations")
"""Programmes after §9–§11 that may pay toward needs."""


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda ex: ex.name)
def test_example(full_engine: Engine, example: Example) -> None:
    d = full_engine.assess(io.structure_household(example.household), example.on)
    assert not d.errors, d.errors
    assert owned_differences(d, example, [OWNED], before=LATER) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda ex: ex.name)
def test_example_with_temporary_relief(example: Example) -> None:
    temporary = pytest.importorskip("assistkit_temporary.hooks")
    engine = Engine(plugins=[assistkit_basic_living.hooks, assistkit_medical.hooks, assistkit_education.hooks,
                             assistkit_housing.hooks, temporary])
    d = engine.assess(io.structure_household(example.household), example.on)
    assert compare_expected(expected_subset(example, [OWNED]), d.to_json()) == []
