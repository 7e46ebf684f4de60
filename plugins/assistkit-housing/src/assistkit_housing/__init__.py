"""Housing assistance (住房救助, §11): urban rental subsidy and public-rental priority, rural renovation."""

from __future__ import annotations

from .programme import HousingProgramme

__all__ = ["HousingProgramme"]
