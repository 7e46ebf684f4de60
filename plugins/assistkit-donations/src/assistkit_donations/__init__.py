"""Social-force donations (社会力量参与, §13): the programme ``donations``."""

from __future__ import annotations

from .programme import DonationsProgramme

__all__ = ["DonationsProgramme"]
