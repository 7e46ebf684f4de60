"""Registers assistkit's strategies with hypothesis, so ``st.from_type(Household)`` works.

Hypothesis calls :func:`_register_strategies` through assistkit's ``hypothesis`` entry point each time it is
imported, in every environment where assistkit is installed. So it does as little as possible: it imports the
model's types only and registers *functions*, which import :mod:`assistkit.testing.strategies` (and build a
strategy) only when a test first asks hypothesis for one of these types.
"""

from __future__ import annotations

from typing import Any

__all__: list[str] = []


def _register_strategies() -> None:
    from hypothesis import strategies as st

    from ..household import Fund, Household, Income, Person

    def households(_: type) -> Any:
        from .strategies import households

        return households()

    def people(_: type) -> Any:
        from .strategies import people

        return people()

    def incomes(_: type) -> Any:
        from .strategies import incomes

        return incomes()

    def funds(_: type) -> Any:
        from .strategies import funds

        return funds()

    st.register_type_strategy(Household, households)
    st.register_type_strategy(Person, people)
    st.register_type_strategy(Income, incomes)
    st.register_type_strategy(Fund, funds)
