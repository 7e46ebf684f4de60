"""Medical assistance (医疗救助, §9): the yearly premium subsidy and assistance with treatment costs."""

from __future__ import annotations

from .programme import MedicalProgramme

__all__ = ["MedicalProgramme"]
