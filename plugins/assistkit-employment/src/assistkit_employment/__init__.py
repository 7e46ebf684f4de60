"""Employment assistance (就业救助): the programme ``employment``, which the plugin tutorial builds."""

from __future__ import annotations

from .programme import EmploymentProgramme

__all__ = ["EmploymentProgramme"]
