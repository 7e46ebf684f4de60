"""Basic living (基本生活救助): the programmes tekun (§5), dibao (§6) and low_income (§7, §8)."""

from __future__ import annotations

from .programme import DibaoProgramme, LowIncomeProgramme, TekunProgramme

__all__ = ["DibaoProgramme", "LowIncomeProgramme", "TekunProgramme"]
