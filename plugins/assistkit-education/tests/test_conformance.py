"""The conformance suite of assistkit.testing, run against education assistance after basic living and
medical assistance (which it comes after when installed)."""

from __future__ import annotations

from types import ModuleType

import assistkit_basic_living.hooks
import assistkit_education.hooks
import assistkit_medical.hooks
import pytest

from assistkit.testing.conformance import ProgrammeConformance


class TestEducationConformance(ProgrammeConformance):
    @pytest.fixture
    def plugin(self) -> ModuleType:
        return assistkit_education.hooks

    @pytest.fixture
    def programme_name(self) -> str:
        return "education"

    @pytest.fixture
    def dependencies(self) -> list[object]:
        return [assistkit_basic_living.hooks, assistkit_medical.hooks]
