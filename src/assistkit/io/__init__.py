"""Household and fund data ↔ the model: strict reading of ``household-format.md`` and its errors (§17).

Reading is one pass over the JSON-like data, driven by a table per model class (:mod:`._records`, the
reference reader). It checks every rule of the format (types, closed vocabularies, money, dates, months,
cross-field limits, unique ids, references, one head), builds the frozen attrs objects of
:mod:`assistkit.household` in the same pass, and collects *every* problem of a record as a
:class:`~assistkit.errors.Problem` ``(path, reason)`` — ``members[2].birth_date``, 0-based, dotted, top-level
fields bare — before raising :class:`~assistkit.errors.InvalidHousehold`. Nothing is assessed from a rejected
household; in a stream (:func:`read_jsonl`, :func:`read_households`) it becomes a :class:`Rejected` record and
the stream goes on. Nearly every record is valid, so a fast reader generated from the same tables
(:mod:`._fast`) reads it first; it builds the same objects, or gives up and leaves the record to the reference
reader. Every line of JSON Lines, in :func:`read_jsonl` and in the batch tools, is read by :func:`parse_line`.

Writing goes through :data:`converter`, one preconfigured cattrs converter: money as strings with two
decimals (``"1234.50"``), other decimals in plain notation, dates ``YYYY-MM-DD``, months ``YYYY-MM``, enums
as their values, ``from_`` as ``from``, every field present (nothing omitted), collections as lists. Its
structure hooks for the model classes are the strict reader, so ``converter.structure(data, Household)``
validates too.

JSON is parsed with the standard library, numbers with a fraction or exponent as exact ``Decimal`` (never
float): ``12.5`` is money, ``12.345`` is rejected for three places. A float passed by a Python caller is
accepted as money only when it is exactly a decimal of at most two places
(:func:`assistkit.money.parse_money`). The JSON Lines readers first try orjson, when installed, on a line, and
keep its result only for a valid household without a float anywhere; any other line is read as above.
"""

from __future__ import annotations

from ._convert import converter, unstructure_household
from ._fast import structure_household
from ._records import check_dates, structure_funds
from ._streams import (
    Example,
    Format,
    Parsed,
    Record,
    Rejected,
    detect_format,
    household_from_json,
    load_funds,
    loads,
    parse_line,
    read_example,
    read_households,
    read_jsonl,
)

__all__ = [
    "Example",
    "Format",
    "Parsed",
    "Record",
    "Rejected",
    "check_dates",
    "converter",
    "detect_format",
    "household_from_json",
    "load_funds",
    "loads",
    "parse_line",
    "read_example",
    "read_households",
    "read_jsonl",
    "structure_funds",
    "structure_household",
    "unstructure_household",
]
