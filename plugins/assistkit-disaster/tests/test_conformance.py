"""The testing kit's conformance suite, run against the disaster plugin (after the basic-living plugin)."""

from __future__ import annotations

import assistkit_basic_living.hooks
import assistkit_disaster.hooks
import pytest

from assistkit.testing.conformance import ProgrammeConformance


class TestDisasterConformance(ProgrammeConformance):
    @pytest.fixture
    def plugin(self):
        return assistkit_disaster.hooks

    @pytest.fixture
    def programme_name(self):
        return "disaster"

    @pytest.fixture
    def dependencies(self):
        return [assistkit_basic_living.hooks]  # tekun, dibao and low_income, whose statuses §D.3 reads
