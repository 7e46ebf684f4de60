"""Fixtures for the education tests: engines built from explicit plugins, and a stand-in for basic living.

``assess(data, on, statuses)`` assesses a household (household-format.md JSON) with the education programme
after a stub that grants exactly ``statuses`` (``{"household": [...], "P1": [...]}``; see
:mod:`assistkit.testing.stubs`), so a test fixes the statuses it needs without building the income and assets
that would earn them. ``full_engine`` is the real thing: basic living, medical, education and housing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import assistkit_basic_living.hooks
import assistkit_education.hooks
import assistkit_housing.hooks
import assistkit_medical.hooks
import pytest

from assistkit.determination import Determination
from assistkit.engine import Engine
from assistkit.testing.stubs import assess_with_statuses


@pytest.fixture(scope="session")
def full_engine() -> Engine:
    """Basic living, medical, education and housing: the spec examples' engine minus temporary relief."""
    return Engine(plugins=[assistkit_basic_living.hooks, assistkit_medical.hooks, assistkit_education.hooks,
                           assistkit_housing.hooks])


@pytest.fixture(scope="session")
def assess() -> Callable[..., tuple[Determination, dict[str, Any]]]:
    """``assess(data, on, statuses, plugins=…)`` → (determination, JSON) with stubbed statuses."""
    return partial(assess_with_statuses, plugins=(assistkit_education.hooks,))
