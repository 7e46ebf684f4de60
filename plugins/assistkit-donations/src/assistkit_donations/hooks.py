"""The hook implementations of the donations plugin: its programme (it reads no policy parameters)."""

from __future__ import annotations

from collections.abc import Sequence

from assistkit import hookimpl
from assistkit.api import Programme

from .programme import DonationsProgramme

__all__ = ["assistkit_register_programmes"]


@hookimpl
def assistkit_register_programmes() -> Sequence[Programme]:
    return [DonationsProgramme()]
