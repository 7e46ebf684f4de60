"""Money: exact decimals in yuan, the rounding of spec §1.1, and strict parsing.

Money is always :class:`decimal.Decimal` in yuan (元). A float never crosses a money boundary: parsing accepts a
float only when it converts exactly to a decimal of at most two places (as JSON numbers may arrive).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "FEN",
    "UNIT",
    "YUAN",
    "ZERO",
    "format_exact",
    "format_money",
    "parse_decimal",
    "parse_money",
    "round_fen",
    "round_yuan",
    "two_places",
]

UNIT = "yuan"
"""The unit of every money amount in assistkit (元)."""

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
YUAN = Decimal("1")


def round_fen(amount: Decimal) -> Decimal:
    """Round to the fen (0.01 yuan), half up (§1.1)."""
    return amount.quantize(FEN, ROUND_HALF_UP)


def round_yuan(amount: Decimal) -> Decimal:
    """Round to the whole yuan, half up (§1.1); the result keeps two places (``1823.00``)."""
    return amount.quantize(YUAN, ROUND_HALF_UP).quantize(FEN)


def format_money(amount: Decimal) -> str:
    """The output form of money: a string with exactly two decimals (``"1050.00"``), rounded half up (§1.1).

    With :func:`format_exact`, the one way money becomes text in assistkit (both read :func:`two_places`).
    """
    text = str(amount)
    if 2 < len(text) < 26 and text[-3] == ".":  # two places, as most amounts have: their own text
        return text
    formatted = two_places(text)
    return str(amount.quantize(FEN, ROUND_HALF_UP)) if formatted is None else formatted


def format_exact(amount: Decimal) -> str:
    """Money as :func:`format_money` writes it, except that an amount with a fraction of a fen (a line of
    1.5 × 1000.01) is shown exactly (``"1500.015"``) instead of rounded."""
    text = str(amount)
    if 2 < len(text) < 26 and text[-3] == ".":
        return text
    formatted = two_places(text)
    if formatted is not None:
        return formatted
    if amount != round_fen(amount):
        return format(amount.normalize(), "f")
    return str(amount.quantize(FEN, ROUND_HALF_UP))


def two_places(text: str) -> str | None:
    """``text``, a decimal's ``str()``, with exactly two places when no rounding is needed for that (at most two
    places, or only zeros after the second: ``1.5 × 1050.00 = 1575.000``); ``None`` when it would need rounding,
    has an exponent or 26 characters or more."""
    size = len(text)
    if size >= 26 or "E" in text:
        return None
    dot = text.find(".")
    if dot < 0:
        return text + ".00" if text[-1].isdigit() else None
    if size - dot == 3:
        return text
    if size - dot == 2:
        return text + "0"
    if not text[dot + 3:].strip("0"):
        return text[:dot + 3]
    return None


def parse_decimal(value: object, *, places: int | None = None) -> Decimal:
    """Parse a non-negative decimal from a JSON/TOML value (string, int, exact float or Decimal).

    Raises ``TypeError`` for a wrong type and ``ValueError`` with a plain reason otherwise.
    """
    if isinstance(value, bool):
        raise TypeError(f"expected a decimal number, got {value!r} (a boolean)")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"expected a decimal number, got {value!r}") from None
        if not value.strip() or not d.is_finite():
            raise ValueError(f"expected a decimal number, got {value!r}")
    elif isinstance(value, float):
        # A JSON number arrives as a float: accept it only when its shortest repr is the exact binary value.
        d = Decimal(repr(value))
        if not d.is_finite() or Decimal(value) != d:
            raise TypeError(
                f"expected money as a string such as \"{value:.2f}\", got the float {value!r}, "
                "which is not exactly a decimal; write it as a string"
            )
    else:
        raise TypeError(f"expected a decimal number, got {type(value).__name__} {value!r}")
    if not d.is_finite():
        raise ValueError(f"expected a finite number, got {value!r}")
    if d < 0:
        raise ValueError(f"must be ≥ 0, got {value!r}")
    if places is not None and d.as_tuple().exponent < -places:  # type: ignore[operator]
        raise ValueError(f"at most {places} decimal places allowed, got {value!r}")
    return d


def parse_money(value: object) -> Decimal:
    """Parse money: a non-negative decimal with at most two places, normalised to two places."""
    return parse_decimal(value, places=2).quantize(FEN)
