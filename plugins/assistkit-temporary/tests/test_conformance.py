"""The conformance suite of assistkit.testing, run against temporary relief after the real programmes."""

from __future__ import annotations

from types import ModuleType

import assistkit_basic_living.hooks
import assistkit_education.hooks
import assistkit_housing.hooks
import assistkit_medical.hooks
import assistkit_temporary.hooks
import pytest

from assistkit.testing.conformance import ProgrammeConformance


class TestTemporaryConformance(ProgrammeConformance):
    @pytest.fixture
    def plugin(self) -> ModuleType:
        return assistkit_temporary.hooks

    @pytest.fixture
    def programme_name(self) -> str:
        return "temporary"

    @pytest.fixture
    def dependencies(self) -> list[object]:
        return [assistkit_basic_living.hooks, assistkit_medical.hooks, assistkit_education.hooks,
                assistkit_housing.hooks]
