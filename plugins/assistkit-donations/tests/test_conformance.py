"""The plugin conformance suite of assistkit.testing, run against the donations programme after temporary
relief, with generated donation funds (none, or up to three: §13 allocations happen only with funds)."""

from __future__ import annotations

from types import ModuleType

import assistkit_basic_living.hooks
import assistkit_donations.hooks
import assistkit_temporary.hooks
import pytest
from hypothesis import strategies as st

from assistkit.testing.conformance import ProgrammeConformance
from assistkit.testing.strategies import funds


class TestDonationsConformance(ProgrammeConformance):
    @pytest.fixture
    def plugin(self) -> ModuleType:
        return assistkit_donations.hooks

    @pytest.fixture
    def programme_name(self) -> str:
        return "donations"

    @pytest.fixture
    def dependencies(self) -> list[object]:
        return [assistkit_basic_living.hooks, assistkit_temporary.hooks]

    @pytest.fixture
    def funds_strategy(self, assessment_date):
        return st.none() | st.lists(funds(on=assessment_date), max_size=3, unique_by=lambda f: f.id)
