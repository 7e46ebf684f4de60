"""The conformance suite of assistkit.testing, run against housing assistance after basic living, medical and
education assistance (which it comes after when installed)."""

from __future__ import annotations

from types import ModuleType

import assistkit_basic_living.hooks
import assistkit_education.hooks
import assistkit_housing.hooks
import assistkit_medical.hooks
import pytest

from assistkit.testing.conformance import ProgrammeConformance


class TestHousingConformance(ProgrammeConformance):
    @pytest.fixture
    def plugin(self) -> ModuleType:
        return assistkit_housing.hooks

    @pytest.fixture
    def programme_name(self) -> str:
        return "housing"

    @pytest.fixture
    def dependencies(self) -> list[object]:
        return [assistkit_basic_living.hooks, assistkit_medical.hooks, assistkit_education.hooks]
