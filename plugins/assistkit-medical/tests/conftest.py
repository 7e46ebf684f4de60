"""Fixtures for the medical tests: engines built from explicit plugins, and a stand-in for basic living.

``assess(data, on, statuses)`` assesses a household (household-format.md JSON) with the medical programme
after a stub that grants exactly ``statuses`` (``{"household": [...], "P1": [...]}``), so a test fixes the
statuses it needs without building the income and assets that would earn them. ``full_engine`` is the real
thing: basic living, medical, education and housing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import assistkit_basic_living.hooks
import assistkit_education.hooks
import assistkit_housing.hooks
import assistkit_medical.hooks
import pytest

from assistkit import hookimpl, io
from assistkit.determination import Determination
from assistkit.engine import Engine
from assistkit.programme import Context, Programme, Rule

EXAMPLES = Path(__file__).resolve().parents[3] / "tests" / "examples"
"""The spec's worked examples (identical copies at the repository root)."""

SPECIAL = (assistkit_medical.hooks, assistkit_education.hooks, assistkit_housing.hooks)

Statuses = Mapping[str, Sequence[str]]
Assess = Callable[..., tuple[Determination, dict[str, Any]]]


class StubStatuses(Programme):
    """Stands in for ``tekun``: grants the statuses the test names (key ``household`` for the household)."""

    name = "tekun"
    grants = ("tekun", "dibao", "marginal", "expenditure_hardship")
    rules = {"stub.status": Rule("stub.status", "§0", "测试身份", "status given by the test")}

    def __init__(self, statuses: Statuses) -> None:
        self._statuses = statuses

    def assess(self, ctx: Context) -> None:
        for holder, names in self._statuses.items():
            for status in names:
                ctx.grant(status, None if holder == "household" else holder)


class StubNothing(Programme):
    def assess(self, ctx: Context) -> None:
        return None


class StubDibao(StubNothing):
    name = "dibao"


class StubLowIncome(StubNothing):
    name = "low_income"


class StubPlugin:
    def __init__(self, statuses: Statuses) -> None:
        self.statuses = statuses

    @hookimpl
    def assistkit_register_programmes(self) -> list[Programme]:
        return [StubStatuses(self.statuses), StubDibao(), StubLowIncome()]


def stub_engine(statuses: Statuses, plugins: Sequence[object] = (assistkit_medical.hooks,)) -> Engine:
    """An engine whose statuses are exactly ``statuses``, followed by ``plugins``."""
    return Engine(plugins=[StubPlugin(statuses), *plugins])


@pytest.fixture(scope="session")
def full_engine() -> Engine:
    """Basic living, medical, education and housing: the spec examples' engine minus temporary relief."""
    return Engine(plugins=[assistkit_basic_living.hooks, *SPECIAL])


@pytest.fixture(scope="session")
def assess() -> Assess:
    """``assess(data, on, statuses, plugins=…)`` → (determination, JSON) with stubbed statuses."""

    def run(data: Mapping[str, Any], on: str | dt.date, statuses: Statuses,
            plugins: Sequence[object] = (assistkit_medical.hooks,)) -> tuple[Determination, dict[str, Any]]:
        day = on if isinstance(on, dt.date) else dt.date.fromisoformat(on)
        d = stub_engine(statuses, plugins).assess(io.structure_household(data), day)
        assert not d.errors, d.errors
        return d, d.to_json()

    return run
