"""Fixtures for the basic-living tests: an engine with this plugin only, and a one-call assessment helper."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import assistkit_basic_living.hooks as hooks
import pytest

from assistkit import io
from assistkit.determination import Determination
from assistkit.engine import Engine
from assistkit.explain import render_reason

EXAMPLES = Path(__file__).resolve().parents[3] / "tests" / "examples"
"""The spec's worked examples (identical copies at the repository root)."""

Assess = Callable[[Mapping[str, Any], dt.date], tuple[Determination, dict[str, Any]]]


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The basic-living programmes only, so these tests depend on no other plugin."""
    return Engine(plugins=[hooks])


@pytest.fixture(scope="session")
def assess(engine: Engine) -> Assess:
    """Assess a household given as JSON-like data (household-format.md) on a date: (determination, JSON)."""

    def run(data: Mapping[str, Any], on: dt.date) -> tuple[Determination, dict[str, Any]]:
        d = engine.assess(io.structure_household(data), on)
        assert not d.errors, d.errors
        for result in d.programmes:
            for reason in result.reasons:
                for lang in ("zh", "en"):
                    text = render_reason(reason, engine.rules, lang)
                    assert reason.rule in engine.rules and "{" not in text, (reason.rule, text)
        return d, d.to_json()

    return run
