"""The parameter kinds a real statute needs beyond numbers: rounding, "no limit", comparison operators, lines
as a multiple of a reference value, banded schedules and per-month factor lists (china-rules.md §2–§5).

Each kind is a small frozen value with the one method a rule needs (:meth:`Rounding.apply`,
:meth:`Comparison.holds`, :meth:`Line.amount`, :meth:`Bands.apply`), and a converter from the TOML value that
raises :class:`~assistkit.policy._schema.ValueProblem` with an example of the expected form.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any

from attrs import frozen

__all__ = [
    "NO_LIMIT",
    "Bands",
    "Comparison",
    "Line",
    "Rounding",
]

NO_LIMIT = "none"
"""How a policy file says "no limit" for a ``limit`` value (a cap that does not exist, not 99999999)."""

_UNITS = {"fen": Decimal("0.01"), "jiao": Decimal("0.1"), "yuan": Decimal("1")}
_MODES = {"half_up": ROUND_HALF_UP, "up": ROUND_UP, "down": ROUND_DOWN}
_UNIT_ZH = {"fen": "分", "jiao": "角", "yuan": "元"}
_MODE_ZH = {"half_up": "四舍五入", "up": "向上取整", "down": "向下取整"}
_FEN = Decimal("0.01")


@frozen
class Rounding:
    """How an amount is rounded: ``unit`` fen / jiao / yuan, ``mode`` half_up / up / down.

    ``apply`` keeps two decimal places, as money is written (``1025.00``): Luzhou's tekun standard 1.3 × 788 =
    1024.4 rounded ``up`` to the ``yuan`` is 1025.00 (china-rules.md §5.5).
    """

    unit: str
    mode: str

    def apply(self, amount: Decimal) -> Decimal:
        return amount.quantize(_UNITS[self.unit], _MODES[self.mode]).quantize(_FEN)

    def __str__(self) -> str:
        return f"{self.unit} {self.mode}"

    @property
    def step(self) -> Decimal:
        """The unit in yuan: 0.01, 0.1 or 1."""
        return _UNITS[self.unit]

    @property
    def text_en(self) -> str:
        return f"to the {self.unit}, {self.mode.replace('_', ' ')}"

    @property
    def text_zh(self) -> str:
        return f"按{_UNIT_ZH[self.unit]}{_MODE_ZH[self.mode]}"


@frozen
class Comparison:
    """A test's operator: ``<`` (低于, strictly below) or ``<=`` (不超过, at most); china-rules.md §2.2."""

    operator: str

    def holds(self, value: Decimal, limit: Decimal) -> bool:
        return value < limit if self.operator == "<" else value <= limit

    def __str__(self) -> str:
        return self.operator

    @property
    def symbol(self) -> str:
        return "<" if self.operator == "<" else "≤"


@frozen
class Line:
    """An amount written as money, or as ``times`` × the value of another parameter ``of`` (a reference value
    such as ``reference.minimum_wage``, or ``standard.urban``)."""

    fixed: Decimal | None
    times: Decimal | None = None
    of: str | None = None

    def amount(self, params: Mapping[str, Any]) -> Decimal:
        if self.fixed is not None:
            return self.fixed
        assert self.times is not None and self.of is not None
        try:
            base = params[self.of]
        except KeyError:
            raise KeyError(f"the line {self.times} × {self.of} needs a value of {self.of}, and the locality "
                           "gives none on this date") from None
        return self.times * base  # type: ignore[no-any-return]

    def __str__(self) -> str:
        return str(self.fixed) if self.fixed is not None else f"{self.times} × {self.of}"


@frozen
class Bands:
    """A banded schedule: nothing below ``threshold``; above it each part of the amount between one lower
    bound and the next is paid at that band's rate (``rates``: lower bound → rate, increasing), plus ``bonus``
    points when the caller says the bonus applies (Beijing's +10 points with a severely disabled member)."""

    threshold: Decimal
    rates: tuple[tuple[Decimal, Decimal], ...]
    bonus: Decimal = Decimal(0)

    def __str__(self) -> str:
        bands = ", ".join(f"from {lower}: {rate}" for lower, rate in self.rates)
        bonus = f", bonus {self.bonus}" if self.bonus else ""
        return f"from {self.threshold}: {bands}{bonus}"

    def apply(self, amount: Decimal, *, bonus: bool = False) -> Decimal:
        if amount < self.threshold:
            return Decimal("0.00")
        total = Decimal(0)
        extra = self.bonus if bonus else Decimal(0)
        for i, (lower, rate) in enumerate(self.rates):
            upper = self.rates[i + 1][0] if i + 1 < len(self.rates) else None
            if amount <= lower:
                break
            part = (min(amount, upper) if upper is not None else amount) - lower
            total += part * (rate + extra)
        return total
