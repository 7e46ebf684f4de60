"""Data minimisation: every bundled programme reads only the household facts it declares (``reads``), on Demo
City's generated households (two dates), the statute's worked examples and the sample district's households
(where the programme runs there). The check is :mod:`assistkit.testing.reads`; a third-party plugin runs the
same through the conformance kit's ``test_reads_only_what_it_declares``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from assistkit.dev.demo import demo_lines
from assistkit.engine import Engine
from assistkit.household import Household
from assistkit.io import parse_line, structure_household
from assistkit.testing.examples import load_examples
from assistkit.testing.reads import declared_reads_problems

TESTS = Path(__file__).resolve().parent
PROGRAMMES = ("tekun", "dibao", "low_income", "employment", "medical", "education", "housing", "temporary",
              "donations", "disaster", "price_subsidy")
SAMPLE_DISTRICT = ("tekun", "dibao", "low_income", "medical", "education", "housing", "temporary", "donations",
                   "disaster")
"""The programmes that run in sample-district (employment and the price subsidy give it no values)."""


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


@cache
def _engine(locality: str) -> Engine:
    return Engine(locality=locality)


@cache
def _cases(locality: str) -> tuple[tuple[Household, dt.date], ...]:
    return tuple(sample_district()) if locality == "sample-district" else (*demo_city(), *examples())


def test_every_bundled_programme_declares_what_it_reads() -> None:
    assert {p.name for p in _engine("demo-city").programmes} == set(PROGRAMMES)
    assert all(p.reads is not None for p in _engine("demo-city").programmes)
    assert {p.name for p in _engine("sample-district").programmes} >= set(SAMPLE_DISTRICT)
    assert _cases("sample-district")


@pytest.mark.parametrize(("locality", "programme"),
                         [("demo-city", p) for p in PROGRAMMES] + [("sample-district", p) for p in SAMPLE_DISTRICT])
def test_reads_only_what_it_declares(locality: str, programme: str) -> None:
    assert declared_reads_problems(_engine(locality), _cases(locality), [programme]) == []
