"""Data minimisation: employment assistance reads only the household facts it declares (``reads``)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistkit.dev.demo import demo_lines
from assistkit.engine import Engine
from assistkit.io import parse_line
from assistkit.testing.reads import undeclared_reads


@pytest.mark.parametrize("on", [dt.date(2025, 7, 15), dt.date(2026, 1, 15)])
def test_employment_reads_only_what_it_declares(on: dt.date) -> None:
    engine = Engine()
    for number, line in enumerate(demo_lines(60, seed=3, on=on), 1):
        household = parse_line(number, line)
        assert undeclared_reads(engine, household, on)["employment"] == (), household.id
