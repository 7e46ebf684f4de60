"""Data minimisation: education assistance reads only the household facts it declares (``reads``), on Demo City's
generated households, the statute's worked examples and the sample district's households."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

from assistkit.dev.demo import demo_lines
from assistkit.engine import Engine
from assistkit.household import Household
from assistkit.io import parse_line, structure_household
from assistkit.testing.examples import load_examples
from assistkit.testing.reads import declared_reads_problems

TESTS = Path(__file__).resolve().parents[3] / "tests"
PROGRAMMES = ('education',)


def demo_city() -> Iterator[tuple[Household, dt.date]]:
    for on in (dt.date(2025, 7, 15), dt.date(2026, 1, 15)):
        for number, line in enumerate(demo_lines(200, seed=on.month, on=on), 1):
            yield parse_line(number, line), on


def examples() -> Iterator[tuple[Household, dt.date]]:
    for example in load_examples(TESTS / "examples"):
        yield structure_household(example.household), example.on


def sample_district() -> Iterator[tuple[Household, dt.date]]:
    for path in sorted((TESTS / "localities").glob("e*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["household"].get("locality") == "sample-district":
            yield structure_household(data["household"]), dt.date.fromisoformat(data["on"])


def test_reads_only_what_it_declares_in_demo_city() -> None:
    engine = Engine()
    assert all(p.reads is not None for p in engine.programmes if p.name in PROGRAMMES)
    assert declared_reads_problems(engine, [*demo_city(), *examples()], PROGRAMMES) == []


def test_reads_only_what_it_declares_in_the_sample_district() -> None:
    engine = Engine(locality="sample-district")
    assert {p.name for p in engine.programmes} >= set(PROGRAMMES)
    cases = list(sample_district())
    assert cases
    assert declared_reads_problems(engine, cases, PROGRAMMES) == []
