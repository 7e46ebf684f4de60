"""The hook implementation of the one-rule plugin: its programme (it declares no parameter: S is the core's)."""

from __future__ import annotations

from collections.abc import Sequence

from assistkit import hookimpl
from assistkit.api import Programme

from .programme import OneRuleProgramme

__all__ = ["assistkit_register_programmes"]


@hookimpl
def assistkit_register_programmes() -> Sequence[Programme]:
    return [OneRuleProgramme()]
