"""The testing kit for rule authors (extra ``assistkit[testing]``).

- :mod:`assistkit.testing.examples`: worked examples (``spec/examples`` format) and :func:`compare_expected`.
- :mod:`assistkit.testing.strategies`: hypothesis strategies — ``households()``, ``people()``, ``incomes()``,
  ``funds()``, ``populations()``.
- :mod:`assistkit.testing.invariants`: assertions with readable counterexamples, and ``assert_reform``.
- :mod:`assistkit.testing.stubs`: ``status_stub()``, a stand-in for basic living that grants the statuses a
  test names, and ``assess_with_statuses()``.
- :mod:`assistkit.testing.conformance`: ``ProgrammeConformance``, the suite a plugin's tests subclass.
- :mod:`assistkit.testing.pytest_plugin`: fixtures and ``pytest --assistkit-examples DIR``.

Submodules are imported on demand, so ``import assistkit.testing`` needs neither hypothesis nor pytest.
"""

from __future__ import annotations

from .examples import Example, compare_expected, load_example, load_examples

__all__ = ["Example", "compare_expected", "load_example", "load_examples"]
