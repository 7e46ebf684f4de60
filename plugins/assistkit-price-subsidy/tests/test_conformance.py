"""The testing kit's conformance suite, run against the price-subsidy plugin (after the basic-living plugin)."""

from __future__ import annotations

import assistkit_basic_living.hooks
import assistkit_price_subsidy.hooks
import pytest

from assistkit.testing.conformance import ProgrammeConformance


class TestPriceSubsidyConformance(ProgrammeConformance):
    @pytest.fixture
    def plugin(self):
        return assistkit_price_subsidy.hooks

    @pytest.fixture
    def programme_name(self):
        return "price_subsidy"

    @pytest.fixture
    def dependencies(self):
        return [assistkit_basic_living.hooks]  # tekun, dibao and low_income, whose statuses §P.3 reads
