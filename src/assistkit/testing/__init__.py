"""The testing kit for rule authors (extra ``assistkit[testing]``): strategies, invariants, conformance, examples.

Submodules are imported on demand so that ``import assistkit.testing`` needs neither hypothesis nor pytest.
"""

from __future__ import annotations

from .examples import Example, compare_expected, load_examples

__all__ = ["Example", "compare_expected", "load_examples"]
