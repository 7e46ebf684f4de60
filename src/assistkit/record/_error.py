"""The record's error."""

from __future__ import annotations

from ..errors import AssistkitError

__all__ = ["LogError"]


class LogError(AssistkitError, ValueError):
    """The record refused an operation (nothing of it was recorded): a decision that is not in the vocabulary,
    an amount that is not money, a digest that is not a SHA-256, an import that does not continue the chain, or
    a store that cannot be opened."""
