"""The one door for plugin authors: everything a plugin may use, re-exported from where it is defined.

A plugin (``plugins/assistkit-*/src`` and any county's own) imports from ``assistkit`` (``hookimpl``) and from
this module only; the modules behind it may move between versions, this list does not without notice
(docs/plugin-hooks.md). It defines nothing of its own.

- **The contract**: :class:`Programme`, :class:`Context` (what a programme sees and records), :class:`Rule` and
  :class:`Reason` (explanations as data), :class:`RuleOverride` (replacing one rule point of another programme),
  :class:`StatusDeclaration` (a status and its roles), :class:`Payment`, :data:`PHASES`, and the hook marker
  :data:`hookimpl`.
- **Parameters**: :class:`ParameterDeclaration`, :class:`ParameterSchema`, :class:`Parameters`, and the kinds of
  value a rule reads: :class:`Bands`, :class:`Comparison`, :class:`Line`, :class:`Rounding`.
- **The household** (household-format.md) and its vocabularies; :class:`Fact`, a fact a programme declares for
  the household's extension block (``Programme.facts``).
- **Shared rules**: money and its rounding (§1.1), months and dates, income accounting and assets (§3–§4), the
  needs ledger (§14), donation matching (§13.2).
- **Errors**: the :class:`AssistkitError` hierarchy.
"""

from __future__ import annotations

from .declared import Fact
from .donations import ALLOCATION, NEED_ORDER, Allocation, OpenNeed, allocate, funds_valid_on, no_allocation
from .donations import PROGRAMME as DONATIONS
from .donations import RULES as DONATION_RULES
from .donations import TITLES as DONATION_TITLES
from .errors import AssistkitError, InvalidHousehold, LinkageError, PluginError, PolicyError
from .explain import Reason, Rule
from .hookspecs import hookimpl
from .household import (
    LIVING_KINDS,
    MEDICAL_KINDS,
    WORK_CATEGORIES,
    Adl,
    Asset,
    AssetKind,
    DilapidatedGrade,
    Enrolment,
    Event,
    EventKind,
    Expense,
    ExpenseKind,
    Fund,
    HouseDamage,
    Household,
    Housing,
    Income,
    IncomeCategory,
    LabourCapacity,
    MaritalStatus,
    NeedKind,
    Obligor,
    ObligorRelationship,
    PastPayment,
    Person,
    Relationship,
    Residence,
    School,
    SelfCare,
    Stage,
    Tenure,
)
from .linkage import LedgerEntry, Need, NeedsLedger, NeedState, StatusBook, StatusDeclaration
from .means import AssetTest, IncomeAccount, own_financial_assets
from .money import FEN, UNIT, YUAN, ZERO, format_exact, format_money, parse_money, round_fen, round_yuan
from .periods import Month, add_months, age_on, income_window, parse_date, parse_month, school_year, school_year_bounds
from .policy import Bands, Comparison, Line, ParameterDeclaration, Parameters, ParameterSchema, Rounding
from .programme import PHASES, Context, Payment, Programme, ProgrammeError, ProgrammeResult, RuleOverride

__all__ = [
    "ALLOCATION",
    "DONATIONS",
    "DONATION_RULES",
    "DONATION_TITLES",
    "FEN",
    "LIVING_KINDS",
    "MEDICAL_KINDS",
    "NEED_ORDER",
    "PHASES",
    "UNIT",
    "WORK_CATEGORIES",
    "YUAN",
    "ZERO",
    "Adl",
    "Allocation",
    "Asset",
    "AssetKind",
    "AssetTest",
    "AssistkitError",
    "Bands",
    "Comparison",
    "Context",
    "DilapidatedGrade",
    "Enrolment",
    "Event",
    "EventKind",
    "Expense",
    "ExpenseKind",
    "Fact",
    "Fund",
    "HouseDamage",
    "Household",
    "Housing",
    "Income",
    "IncomeAccount",
    "IncomeCategory",
    "Line",
    "InvalidHousehold",
    "LabourCapacity",
    "LedgerEntry",
    "LinkageError",
    "MaritalStatus",
    "Month",
    "Need",
    "NeedKind",
    "NeedState",
    "NeedsLedger",
    "Obligor",
    "ObligorRelationship",
    "OpenNeed",
    "ParameterDeclaration",
    "ParameterSchema",
    "Parameters",
    "PastPayment",
    "Payment",
    "Person",
    "PluginError",
    "PolicyError",
    "Programme",
    "ProgrammeError",
    "ProgrammeResult",
    "Reason",
    "Relationship",
    "Residence",
    "Rounding",
    "Rule",
    "RuleOverride",
    "School",
    "SelfCare",
    "Stage",
    "StatusBook",
    "StatusDeclaration",
    "Tenure",
    "add_months",
    "age_on",
    "allocate",
    "format_exact",
    "format_money",
    "funds_valid_on",
    "hookimpl",
    "income_window",
    "no_allocation",
    "own_financial_assets",
    "parse_date",
    "parse_money",
    "parse_month",
    "round_fen",
    "round_yuan",
    "school_year",
    "school_year_bounds",
]
