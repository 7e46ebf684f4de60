"""The spec's worked examples: the education programme and the needs equal the expected output exactly.

Two engines: basic living with medical, education and housing (§9–§11), whose expected ``needs`` are the spec's
less what temporary relief and donations paid; and the same with temporary relief (§12) when it is installed,
compared with the expected ``needs`` unchanged.
"""

from __future__ import annotations

from pathlib import Path

import assistkit_basic_living.hooks
import assistkit_education.hooks
import assistkit_housing.hooks
import assistkit_medical.hooks
import pytest

from assistkit.engine import Engine
from assistkit.testing.conformance import WorkedExamples

SPECIAL = [assistkit_basic_living.hooks, assistkit_medical.hooks, assistkit_education.hooks, assistkit_housing.hooks]


class TestExamples(WorkedExamples):
    examples_dir = Path(__file__).resolve().parents[3] / "tests" / "examples"
    owned = ("education",)
    later = ("disaster", "temporary", "donations")

    @pytest.fixture(scope="class")
    @classmethod
    def engine(cls) -> Engine:
        return Engine(plugins=SPECIAL)


class TestExamplesWithTemporaryRelief(TestExamples):
    later = ()

    @pytest.fixture(scope="class")
    @classmethod
    def engine(cls) -> Engine:
        # Disaster relief pays toward an event's need before temporary relief (§D.7, worked example 09).
        return Engine(plugins=[*SPECIAL, pytest.importorskip("assistkit_disaster.hooks"),
                               pytest.importorskip("assistkit_temporary.hooks")])
