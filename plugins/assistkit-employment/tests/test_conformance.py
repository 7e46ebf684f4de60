"""The testing kit's conformance suite, run against the employment plugin (after the basic-living plugin)."""

from __future__ import annotations

import assistkit_basic_living.hooks
import assistkit_employment.hooks
import pytest

from assistkit.testing.conformance import ProgrammeConformance


class TestEmploymentConformance(ProgrammeConformance):
    @pytest.fixture
    def plugin(self):
        return assistkit_employment.hooks

    @pytest.fixture
    def programme_name(self):
        return "employment"

    @pytest.fixture
    def dependencies(self):
        return [assistkit_basic_living.hooks]  # tekun, dibao and low_income, whose statuses it reads
