"""The conformance suite of assistkit.testing, run against medical assistance after basic living."""

from __future__ import annotations

from types import ModuleType

import assistkit_basic_living.hooks
import assistkit_medical.hooks
import pytest

from assistkit.testing.conformance import ProgrammeConformance


class TestMedicalConformance(ProgrammeConformance):
    @pytest.fixture
    def plugin(self) -> ModuleType:
        return assistkit_medical.hooks

    @pytest.fixture
    def programme_name(self) -> str:
        return "medical"

    @pytest.fixture
    def dependencies(self) -> list[object]:
        return [assistkit_basic_living.hooks]  # tekun, dibao, low_income: the statuses it serves
