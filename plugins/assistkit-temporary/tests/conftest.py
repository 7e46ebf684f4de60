"""Fixtures for the temporary-relief tests: engines built from explicit plugins, and a stand-in for basic
living.

``assess(data, on, statuses)`` assesses a household (household-format.md JSON) with temporary relief after a
stub that grants exactly ``statuses`` (``{"household": [...], "P1": [...]}``; see
:mod:`assistkit.testing.stubs`) and, optionally, a stub that pays given amounts toward needs (standing in for
medical, education and housing), so a test fixes what it needs without building the income and assets that
would earn it. ``full_engine`` is the real thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import assistkit_basic_living.hooks
import assistkit_education.hooks
import assistkit_housing.hooks
import assistkit_medical.hooks
import assistkit_temporary.hooks
import pytest

from assistkit.determination import Determination
from assistkit.engine import Engine
from assistkit.programme import Context, Programme, Rule
from assistkit.testing.stubs import Statuses, assess_with_statuses

EXAMPLES = Path(__file__).resolve().parents[3] / "tests" / "examples"
"""The spec's worked examples (identical copies at the repository root)."""

FULL = (assistkit_basic_living.hooks, assistkit_medical.hooks, assistkit_education.hooks,
        assistkit_housing.hooks, assistkit_temporary.hooks)

Assess = Callable[..., tuple[Determination, dict[str, Any]]]


class StubMedical(Programme):
    """Stands in for ``medical``: pays the given amounts toward the given needs."""

    name = "medical"
    rules = {"stub.paid": Rule("stub.paid", "§0", "测试支付", "paid by the test")}

    def __init__(self, paid: Mapping[str, str]) -> None:
        self._paid = paid

    def assess(self, ctx: Context) -> None:
        for need, amount in self._paid.items():
            ctx.pay("treatment", Decimal(amount), need=need, rule="stub.paid")


@pytest.fixture(scope="session")
def full_engine() -> Engine:
    """Basic living, medical, education, housing and temporary relief: the engine of the spec examples."""
    return Engine(plugins=list(FULL))


@pytest.fixture(scope="session")
def assess() -> Assess:
    """``assess(data, on, statuses={}, paid={})`` → (determination, JSON), statuses and payments stubbed."""

    def run(data: Mapping[str, Any], on: str | dt.date, statuses: Statuses | None = None,
            paid: Mapping[str, str] | None = None) -> tuple[Determination, dict[str, Any]]:
        return assess_with_statuses(data, on, statuses, plugins=[assistkit_temporary.hooks],
                                    extra=[StubMedical(paid)] if paid else ())

    return run
