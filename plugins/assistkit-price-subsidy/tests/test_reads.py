"""Data minimisation: the price subsidy reads only the household facts it declares (``reads``), on Demo City's
generated households and the statute's worked examples (it has no values for the sample district)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from assistkit.dev.demo import demo_lines
from assistkit.engine import Engine
from assistkit.household import Household
from assistkit.io import parse_line, structure_household
from assistkit.testing.examples import load_examples
from assistkit.testing.reads import declared_reads_problems

TESTS = Path(__file__).resolve().parents[3] / "tests"
PROGRAMMES = ('price_subsidy',)


def demo_city() -> Iterator[tuple[Household, dt.date]]:
    for on in (dt.date(2025, 7, 15), dt.date(2026, 1, 15)):
        for number, line in enumerate(demo_lines(200, seed=on.month, on=on), 1):
            yield parse_line(number, line), on


def examples() -> Iterator[tuple[Household, dt.date]]:
    for example in load_examples(TESTS / "examples"):
        yield structure_household(example.household), example.on


def test_reads_only_what_it_declares_in_demo_city() -> None:
    engine = Engine()
    assert all(p.reads is not None for p in engine.programmes if p.name in PROGRAMMES)
    assert declared_reads_problems(engine, [*demo_city(), *examples()], PROGRAMMES) == []
