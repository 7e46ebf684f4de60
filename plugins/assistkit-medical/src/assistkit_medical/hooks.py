"""The hook implementations of the medical-assistance plugin: its programme and its parameters."""

from __future__ import annotations

from collections.abc import Sequence

from assistkit import hookimpl
from assistkit.api import ParameterDeclaration, Programme

from .parameters import DECLARATION
from .programme import MedicalProgramme

__all__ = ["assistkit_declare_parameters", "assistkit_register_programmes"]


@hookimpl
def assistkit_register_programmes() -> Sequence[Programme]:
    return [MedicalProgramme()]


@hookimpl
def assistkit_declare_parameters() -> Sequence[ParameterDeclaration]:
    return [DECLARATION]
