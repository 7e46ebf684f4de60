"""The price-linkage subsidy (价格临时补贴): the programme ``price_subsidy`` of Demo City's addendum §P."""

from __future__ import annotations

from .programme import PriceSubsidyProgramme

__all__ = ["PriceSubsidyProgramme"]
