"""Fixtures for the temporary-relief tests: engines built from explicit plugins, and a stand-in for basic
living.

``assess(data, on, statuses)`` assesses a household (household-format.md JSON) with temporary relief after a
stub that grants exactly ``statuses`` (``{"household": [...], "P1": [...]}``) and, optionally, a stub that
pays given amounts toward needs (standing in for medical, education and housing), so a test fixes what it
needs without building the income and assets that would earn it. ``full_engine`` is the real thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import assistkit_basic_living.hooks
import assistkit_education.hooks
import assistkit_housing.hooks
import assistkit_medical.hooks
import assistkit_temporary.hooks
import pytest

from assistkit import hookimpl, io
from assistkit.determination import Determination
from assistkit.engine import Engine
from assistkit.programme import Context, Programme, Rule

EXAMPLES = Path(__file__).resolve().parents[3] / "tests" / "examples"
"""The spec's worked examples (identical copies at the repository root)."""

FULL = (assistkit_basic_living.hooks, assistkit_medical.hooks, assistkit_education.hooks,
        assistkit_housing.hooks, assistkit_temporary.hooks)

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


class StubMedical(Programme):
    """Stands in for ``medical``: pays the given amounts toward the given needs."""

    name = "medical"
    rules = {"stub.paid": Rule("stub.paid", "§0", "测试支付", "paid by the test")}

    def __init__(self, paid: Mapping[str, str]) -> None:
        self._paid = paid

    def assess(self, ctx: Context) -> None:
        for need, amount in self._paid.items():
            ctx.pay("treatment", Decimal(amount), need=need, rule="stub.paid")


class StubPlugin:
    def __init__(self, statuses: Statuses, paid: Mapping[str, str]) -> None:
        self.statuses = statuses
        self.paid = paid

    @hookimpl
    def assistkit_register_programmes(self) -> list[Programme]:
        out: list[Programme] = [StubStatuses(self.statuses), StubDibao(), StubLowIncome()]
        if self.paid:
            out.append(StubMedical(self.paid))
        return out


@pytest.fixture(scope="session")
def full_engine() -> Engine:
    """Basic living, medical, education, housing and temporary relief: the engine of the spec examples."""
    return Engine(plugins=list(FULL))


@pytest.fixture(scope="session")
def assess() -> Assess:
    """``assess(data, on, statuses={}, paid={})`` → (determination, JSON), statuses and payments stubbed."""

    def run(data: Mapping[str, Any], on: str | dt.date, statuses: Statuses | None = None,
            paid: Mapping[str, str] | None = None) -> tuple[Determination, dict[str, Any]]:
        day = on if isinstance(on, dt.date) else dt.date.fromisoformat(on)
        engine = Engine(plugins=[StubPlugin(statuses or {}, paid or {}), assistkit_temporary.hooks])
        d = engine.assess(io.structure_household(data), day)
        assert not d.errors, d.errors
        return d, d.to_json()

    return run
