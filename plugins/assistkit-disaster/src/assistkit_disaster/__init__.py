"""Disaster-victim relief (受灾人员救助): the programme ``disaster`` of Demo City's addendum §D."""

from __future__ import annotations

from .programme import DisasterProgramme

__all__ = ["DisasterProgramme"]
