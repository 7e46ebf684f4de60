"""Education assistance (教育救助, §10): grants by stage and tier, and the senior-high tuition waiver."""

from __future__ import annotations

from .programme import EducationProgramme

__all__ = ["EducationProgramme"]
