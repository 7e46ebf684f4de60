"""The conformance suite of assistkit.testing, run against the three basic-living programmes.

Dibao's monthly amount may rise with income at two statutory cliffs, which the monotonicity test accepts:
single-person inclusion (§6.6: the unit's per-capita income reaches S, so each seriously ill or severely
disabled member is included alone at S − own income + uplift) and gradual exit (§6.7: the enrolled amount
continues after the income test fails).
"""

from __future__ import annotations

from collections.abc import Collection
from types import ModuleType

import assistkit_basic_living.hooks
import pytest

from assistkit.testing.conformance import ProgrammeConformance

CLIFFS = {"dibao": ("dibao.single_person", "dibao.gradual_exit")}


class TestBasicLivingConformance(ProgrammeConformance):
    @pytest.fixture
    def plugin(self) -> ModuleType:
        return assistkit_basic_living.hooks

    @pytest.fixture(params=["tekun", "dibao", "low_income"])
    def programme_name(self, request: pytest.FixtureRequest) -> str:
        return str(request.param)

    @pytest.fixture
    def monotone_exceptions(self, programme_name: str) -> Collection[str]:
        return CLIFFS.get(programme_name, ())
