"""Policy parameters: declared schemas, effective-dated values from TOML, locality overrides, sources.

A **policy** is the set of parameter values of one locality. Each parameter is declared in code by a
:class:`ParameterSchema` (the core's in :data:`CORE_DECLARATION`, a plugin's through the
``assistkit_declare_parameters`` hook) and has one value per effective date; the value on a date is the one
with the latest effective date ≤ that date (spec §1.4). :func:`load_policy` reads the files once;
:meth:`Policy.at` resolves every parameter for a date once and caches the :class:`Parameters`; every value
knows its :class:`Source` (file, key, effective date).

TOML format
-----------
Nested tables follow the dotted parameter name down to a table of effective dates (``YYYY-MM-DD`` keys, in
increasing order) whose values are the parameter's values::

    locality = "my-county"          # optional, override files only: the name of the resulting policy

    [standard]
    urban = { 2024-01-01 = 1000, 2025-07-01 = 1050 }
    [income]
    excluded_kinds = { 2024-01-01 = ["special_care_pension", "government_award"] }
    [medical]
    premium_rate = { 2024-01-01 = { tekun = 1.0, dibao = 0.8 } }   # a map-typed value is a table per date
    [tekun.care]
    full = { 2024-01-01 = 100, 2025-07-01 = 120 }

Dotted keys (``standard.urban = { … }``) and sub-tables (``[standard.urban]`` with ``2024-01-01 = 1000``)
are the same to TOML and equally accepted. Floats are read exactly (as :class:`~decimal.Decimal`). Values by
type:

===================  =====================================================================================
``money``            a number or string ≥ 0 with at most 2 decimal places (``1050``, ``"1050.50"``) → Decimal
``decimal``          a number or string ≥ 0 (``0.3``) → Decimal, as written
``int``              a whole number ≥ 0, not quoted
``bool``             ``true`` / ``false``
``strings``          a list of distinct strings → ``tuple[str, ...]`` (order kept)
``map[decimal]``     a table of decimals → read-only mapping with str keys
``map[money]``       a table of money → read-only mapping
``map[map[money]]``  a table of tables of money → read-only mapping of read-only mappings
===================  =====================================================================================

Loading a locality
------------------
The base is always a **bundled** locality: the core values ``<assistkit>/localities/<locality>.toml`` plus,
for each declaration, its values file for that locality. A bundled values file may set only its own
declaration's parameters. Then each override file (``files``) applies in order:

* **Merge by date.** An override's dated value is added to the parameter's timeline: ``2026-01-01 = 1100``
  adds a change on that date and keeps the earlier history; a date already present is replaced. Nothing is
  removed: to end a value, give a new one from a later date. Each dated value records the file that set it.
* An override may set any declared parameter, and only those.
* ``locality = "name"`` renames the resulting policy (the last override that says so wins); in a bundled
  file it must be the locality's own name.

Loading fails with :class:`~assistkit.PolicyError` naming the file and the dotted key (``standard.urban`` or
``standard.urban.2025-07-01``, or deeper for a map entry) for: TOML syntax errors (including a key or date
given twice), an unknown key, a wrong type, a malformed, unsorted or repeated effective date, and a declared
parameter left with no value at all. Resolving a date before a parameter's first effective date fails
likewise.
"""

from __future__ import annotations

from ._core import CORE_DECLARATION
from ._kinds import NO_LIMIT, Bands, Comparison, Line, Rounding
from ._load import ROOT_LOCALITY, bundled_localities, declarations_without_values, is_locality_file, load_policy
from ._resolved import Parameters, Policy, TimelineEntry
from ._schema import TYPES, ParameterDeclaration, ParameterSchema, Source, Value, value_json

__all__ = [
    "CORE_DECLARATION",
    "NO_LIMIT",
    "Bands",
    "Comparison",
    "Line",
    "Rounding",
    "ROOT_LOCALITY",
    "TYPES",
    "ParameterDeclaration",
    "ParameterSchema",
    "Parameters",
    "Policy",
    "Source",
    "TimelineEntry",
    "Value",
    "bundled_localities",
    "declarations_without_values",
    "is_locality_file",
    "load_policy",
    "value_json",
]
