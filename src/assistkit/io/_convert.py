"""The one cattrs converter for JSON ↔ model: writing in the format of household-format.md, reading through the
strict reader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from typing import Any, Final

import cattrs
from cattrs.gen import make_dict_unstructure_fn, override

from .. import household as household_model
from ..errors import InvalidFunds, InvalidRecord
from ..household import Event, Fund, Household, Housing, Income, Person
from ..money import format_money
from ..periods import Month
from ._fast import structure_household
from ._leaves import Bad, date, decimal, enum, month
from ._records import FUND, SPECS, Problems, Spec, structure_funds, walk

__all__ = ["converter", "unstructure_household"]


def _plain_decimal(value: Decimal | None) -> str | None:
    """A non-money decimal (square metres, mu) in plain notation, exactly as held."""
    return None if value is None else format(value, "f")


def _leaf_hook(parse: Callable[[object], Any]) -> Callable[[object, Any], Any]:
    def hook(value: object, _type: Any) -> Any:
        try:
            return parse(value)
        except Bad as bad:
            raise ValueError(bad.args[0]) from None

    return hook


def _record_hook(spec: Spec) -> Callable[[object, Any], Any]:
    def hook(value: object, _type: Any) -> Any:
        problems: Problems = []
        result = walk(spec, value, "", problems)
        if problems:
            raise InvalidRecord(None, problems)
        return result

    return hook


def _fund_hook(value: object, _type: Any) -> Fund:
    problems: Problems = []
    result = walk(FUND, value, "", problems)
    if problems:
        raise InvalidFunds(None, problems)
    return result  # type: ignore[no-any-return]


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(omit_if_default=False, forbid_extra_keys=True)
    # Structure: the strict reader for every model class, the leaf parsers for leaf types.
    conv.register_structure_hook(Household, lambda value, _type: structure_household(value))
    conv.register_structure_hook(Fund, _fund_hook)
    conv.register_structure_hook_func(lambda t: t == tuple[Fund, ...],
                                      lambda value, _type: structure_funds(value))
    for spec in SPECS:
        conv.register_structure_hook(spec.cls, _record_hook(spec))
    conv.register_structure_hook(Decimal, _leaf_hook(decimal))
    conv.register_structure_hook(dt.date, _leaf_hook(date))
    conv.register_structure_hook(Month, _leaf_hook(month))
    for name in household_model.__all__:
        kind = getattr(household_model, name)
        if isinstance(kind, type) and issubclass(kind, Enum):
            conv.register_structure_hook(kind, _leaf_hook(enum(kind)))
    # Unstructure: JSON-ready values; money with two decimals; every field; `from_` is `from`.
    conv.register_unstructure_hook(Decimal, format_money)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook(Month, str)
    conv.register_unstructure_hook(
        Income, make_dict_unstructure_fn(Income, conv, from_=override(rename="from"),
                                         land_mu=override(unstruct_hook=_plain_decimal)))
    conv.register_unstructure_hook(
        Housing, make_dict_unstructure_fn(Housing, conv, floor_area=override(unstruct_hook=_plain_decimal)))
    _omit_national_facts(conv)
    return conv


_NATIONAL_FACTS: Final = {Person: ("marital_status", "single_parent", "adl", "ext"), Event: ("duration_months",),
                          Household: ("obligors", "ext")}
"""Optional facts of the national rules (china-rules.md §2–§5) and the extension block (``ext``), written only
when given, so that a household without them is written as before they existed."""


def _omit_national_facts(conv: cattrs.Converter) -> None:
    for cls, names in _NATIONAL_FACTS.items():
        overrides: dict[str, Any] = {name: override(omit_if_default=True) for name in names}
        conv.register_unstructure_hook(cls, make_dict_unstructure_fn(cls, conv, **overrides))


converter: Final[cattrs.Converter] = _make_converter()
"""The one converter for JSON ↔ model. ``converter.structure(data, Household)`` is
:func:`structure_household` (strict, raises :class:`~assistkit.errors.InvalidHousehold`);
``converter.unstructure(household)`` is JSON-ready."""


def unstructure_household(household: Household) -> dict[str, Any]:
    """The JSON-ready form of ``household``: every field, money as ``"1234.50"``, dates and months as text."""
    return converter.unstructure(household, Household)  # type: ignore[no-any-return]
