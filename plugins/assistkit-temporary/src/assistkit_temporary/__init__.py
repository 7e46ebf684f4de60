"""Temporary relief (临时救助, §12): the programme ``temporary``."""

from __future__ import annotations

from .programme import TemporaryProgramme

__all__ = ["TemporaryProgramme"]
