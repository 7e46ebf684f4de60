"""Means testing: income accounting (§3) and the asset test (§4), as pure functions over a set of people.

Every function takes the household, the ids of the people in the set, and the parameters in force on
``on`` (a mapping such as :class:`assistkit.policy.Parameters`); the standard S is passed explicitly because
the caller knows the residence. Results are frozen values that carry their figures *and* their reasons
(:class:`~assistkit.explain.Reason`); :data:`RULES` holds the zh/en text of every rule id emitted here.

Exactness (§1.1). Spreading a record over its months (§3.1) divides by the record's length, so sums of
spread amounts are rationals. They are kept exact: the rare amounts with a denominator (a record only partly
inside the window, imputed farm income) are brought to a common denominator ``L`` before anything is
divided, and every published figure is one exact rational rounded once to the 28 digits of the default
decimal context. Only the per-capita incomes are rounded to the fen, from the exact rational, so a half fen
always rounds up. The result does not depend on the order of the records.

This module runs several times per household, so the inner loops are plain loops over the records, with the
window as month indexes and no intermediate objects; reasons hold the numbers already computed and are
rendered to text only when asked (:func:`assistkit.explain.render_reason`). The parameters are read by name
once per date (:meth:`assistkit.policy.Parameters.derived`), not once per household.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from math import gcd, lcm
from types import MappingProxyType
from typing import Any, NamedTuple

from attrs import frozen

from .explain import Reason, Rule, _new
from .household import WORK_CATEGORIES, AssetKind, ExpenseKind, Household, Income, IncomeCategory, LabourCapacity
from .money import FEN, ZERO
from .periods import Month, age_on
from .policy import Parameters
from .support import SUPPORT_RULES, SupportValues, support_income

__all__ = [
    "RULES",
    "AssetTest",
    "IncomeAccount",
    "OwnIncome",
    "account_income",
    "account_own_income",
    "own_financial_assets",
    "own_income",
    "test_assets",
]

_WINDOW = "income.window_months"
_EXCLUDED = "income.excluded_kinds"
_CASUAL_WAGE = "income.casual_daily_wage"
_FARM_RATE = "income.farm_net_per_mu_year"
_EMPLOYMENT_RATE = "income.employment_deduction_rate"
_DEDUCT_RIGID = "income.deduct_rigid_expenses"
_VEHICLE_LIMIT = "assets.vehicle_value_limit"

_WINDOW_PARAMS = (_WINDOW,)
_EXCLUDED_PARAMS = (_EXCLUDED,)
_CASUAL_PARAMS = (_CASUAL_WAGE,)
_FARM_PARAMS = (_FARM_RATE,)
_EMPLOYMENT_PARAMS = (_EMPLOYMENT_RATE,)
_SELF_EMPLOYED = "income.self_employed_deduction"
_SELF_EMPLOYED_PARAMS = (_EMPLOYMENT_RATE, _SELF_EMPLOYED)
_DEDUCTION_BASE = "income.employment_deduction_base"
_DEDUCTION_CAP = "income.employment_deduction_cap"
_MINIMUM_WAGE = "reference.minimum_wage"
_TYPED_PARAMS = (_EMPLOYMENT_RATE, _DEDUCTION_BASE)
_TYPED_CAP_PARAMS = (_EMPLOYMENT_RATE, _DEDUCTION_BASE, _DEDUCTION_CAP)
_RIGID_PARAMS = (_DEDUCT_RIGID, _WINDOW)
_VEHICLE_PARAMS = (_VEHICLE_LIMIT,)
_FINANCIAL_TEST = "assets.financial_test"
_IMPUTED_WAGE = "income.imputed_wage"
_IMPUTATION_AGES = "income.imputation_ages"
_IMPUTED_PARAMS = (_IMPUTED_WAGE, _IMPUTATION_AGES)
_LINE_PARAMS = (_VEHICLE_LIMIT, _FINANCIAL_TEST)

_EMPTY_INCOME = Reason("income.empty")
_EMPTY_ASSETS = Reason("assets.empty")

_HOUSEHOLD_LEVEL = "—"
"""Shown as the member of a household-level record (``member: null``) in reasons."""

_CASUAL = IncomeCategory.CASUAL
_FULL = LabourCapacity.FULL
_FARM = IncomeCategory.FARM
_TUITION = ExpenseKind.TUITION
_DEPOSIT = AssetKind.DEPOSIT
_SECURITIES = AssetKind.SECURITIES
_VEHICLE = AssetKind.VEHICLE
_HOUSE = AssetKind.HOUSE
_COMMERCIAL = AssetKind.COMMERCIAL_PROPERTY


# ---------------------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------------------


class IncomeAccount(NamedTuple):
    """The income of a set of people over the window (§3.4–§3.7), with its reasons.

    Monetary figures are exact monthly amounts (not rounded) except the two per-capita incomes, which are
    rounded to the fen. ``work_income`` lists only people of the set with work income (§3.5) above 0.

    A named tuple, not an attrs class, like :class:`~assistkit.explain.Reason`: every household's assessment
    builds one, and a tuple is the cheapest immutable value Python builds.
    """

    people: tuple[str, ...]
    countable: Decimal
    employment_deduction: Decimal
    rigid_expenses: Decimal
    rigid_deduction: Decimal
    net: Decimal
    per_capita: Decimal
    per_capita_without_rigid: Decimal
    work_income: Mapping[str, Decimal]
    categories: frozenset[IncomeCategory]
    reasons: tuple[Reason, ...]
    window: tuple[Month, Month]
    """First and last month of the income window (§1.3)."""


@frozen
class OwnIncome:
    """A person's own monthly income (§3.8): their records only, no household-level ones, no deductions."""

    person: str
    amount: Decimal
    reasons: tuple[Reason, ...]


class AssetTest(NamedTuple):
    """The asset test of a set of people with multiple M (§4). ``failures`` holds the failing rule ids.

    A named tuple, not an attrs class, like :class:`IncomeAccount` (built once or twice per household).
    """

    passed: bool
    financial_per_person: Decimal
    financial_limit: Decimal
    failures: tuple[str, ...]
    reasons: tuple[Reason, ...]
    financial_total: Decimal = ZERO
    """Financial assets of the set plus household-level ones (§4.1)."""


# ---------------------------------------------------------------------------------------------------------
# The parameters read here, §1.3 the window, §3.1–§3.3 counting records
# ---------------------------------------------------------------------------------------------------------


class _MeansValues:
    """The parameters this module reads, in force on one date; never changed once built.

    Built once per date from a :class:`~assistkit.policy.Parameters` (:meth:`~assistkit.policy.Parameters.derived`)
    so that a household's accounting does not look each one up by name; from any other mapping, once per call.
    """

    __slots__ = ("casual_wage", "deduct_rigid", "deduction_bases", "deduction_caps", "employment_rate", "excluded",
                 "farm_rate", "financial_strict", "imputed", "minimum_wage", "months", "months_decimal", "no_rigid",
                 "self_employed_above", "support", "typed", "vehicle_limit")

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.months: int = params[_WINDOW]
        self.months_decimal = Decimal(self.months)  # the divisor made once: x / 6 is x / Decimal(6) exactly
        self.excluded: frozenset[str] = frozenset(params[_EXCLUDED])
        self.casual_wage: Decimal = params[_CASUAL_WAGE]
        self.farm_rate: Decimal = params[_FARM_RATE]
        self.employment_rate: Decimal = params[_EMPLOYMENT_RATE]
        # A plain mapping without it (a test's own values) keeps the one rule for every worker.
        self.self_employed_above: bool = params.get(_SELF_EMPLOYED, "as_employees") == "above_standard"
        self.deduct_rigid: bool = params[_DEDUCT_RIGID]
        # china-rules §3.4: the deduction's base and cap by employment type, when the locality gives them; without
        # them the one rule min(work income, rate × S) of every worker stands, explained as before.
        bases: Mapping[str, str] = params.get(_DEDUCTION_BASE) or {}
        caps: Mapping[str, Any] = params.get(_DEDUCTION_CAP) or {}
        self.typed: bool = bool(bases or caps)
        self.deduction_bases: dict[str, str] = dict(bases)
        self.deduction_caps: dict[str, Decimal] = {kind: line.amount(params) for kind, line in caps.items()}
        self.minimum_wage: Decimal | None = params.get(_MINIMUM_WAGE)
        if "minimum_wage" in bases.values() and self.minimum_wage is None:
            raise KeyError(f"{_DEDUCTION_BASE} names minimum_wage, which needs a value of {_MINIMUM_WAGE}, and "
                           "the locality gives none on this date")
        self.vehicle_limit: Decimal = params[_VEHICLE_LIMIT]
        # china-rules §4: "低于" (strictly below) where a locality says so; at most otherwise (§4.1).
        test = params.get(_FINANCIAL_TEST)
        self.financial_strict: bool = test is not None and test.operator == "<"
        # china-rules §3.5: (monthly wage, from age, below age) imputed to able members without work income.
        imputed = params.get(_IMPUTED_WAGE)
        self.imputed: tuple[Decimal, Decimal, Decimal] | None = None
        if imputed is not None:
            ages = params.get(_IMPUTATION_AGES) or {}
            self.imputed = (imputed.amount(params), ages.get("from", Decimal(18)), ages.get("below", Decimal(60)))
        self.support = SupportValues.of(params)  # china-rules §3.6: support payments from obligors
        # §3.6 for a set without rigid expenses in the window (most households): the same reason every time.
        # Its values are read-only: every household's account shares it.
        self.no_rigid = Reason("income.rigid_deduction" if self.deduct_rigid else "income.rigid_off",
                               MappingProxyType({"total": ZERO, "months": self.months, "rigid": ZERO}),
                               _RIGID_PARAMS)


def _dated(params: Mapping[str, Any]) -> _MeansValues:
    if type(params) is Parameters:
        return params.derived(_MeansValues)
    return _MeansValues(params)


_Fraction = tuple[str | None, bool, Decimal, int]
"""A counted amount that does not divide evenly: (member, is work income, numerator, denominator)."""


@lru_cache(maxsize=1024)
def _window(on: dt.date, months: int) -> tuple[int, int, tuple[Month, Month], Reason]:
    """§1.3: the ``months`` full calendar months before the month of ``on``, as indexes, as months, and
    explained (one shared reason per window: reasons are immutable)."""
    last = on.year * 12 + on.month - 2
    first = last - months + 1
    window = (Month.from_index(first), Month.from_index(last))
    reason = Reason("income.window", {"months": months, "first": window[0], "last": window[1]}, (_WINDOW,))
    return first, last, window, reason


def _ordered(household: Household, people: Sequence[str]) -> tuple[str, ...]:
    """The ids of ``people`` in household order; an id that is not a member is a ``KeyError``."""
    members = household.members
    if len(people) == len(members):
        # The usual set is the whole household, already in its order: nothing to sort or look up.
        for person, pid in zip(members, people, strict=True):
            if person.id != pid:
                break
        else:
            return tuple(people)
    wanted = set(people)
    ordered = tuple([p.id for p in members if p.id in wanted])
    if len(ordered) != len(wanted):
        missing = sorted(wanted.difference(ordered))
        raise KeyError(f"household {household.id} has no member {', '.join(missing)}")
    return ordered


def _scan(
    household: Household,
    members: Collection[str],
    household_level: bool,
    first: int,
    last: int,
    dated: _MeansValues,
    notes: list[Reason] | None,
) -> tuple[Decimal, dict[str, Decimal], set[IncomeCategory], list[_Fraction] | None]:
    """§3.1–§3.3: the counted amounts inside the window of the records of ``members`` (and household-level).

    Returns the exact total of whole amounts, each member's exact work income (§3.5), the categories counted,
    and the fractional amounts as ``(member, is_work, numerator, denominator)`` — or ``None`` when there are
    none, which is the common case. ``notes`` collects reasons for excluded and imputed records when given.
    """
    excluded = dated.excluded
    total = ZERO
    work: dict[str, Decimal] = {}
    categories: set[IncomeCategory] = set()
    fractions: list[_Fraction] | None = None
    for income in household.incomes:
        member = income.member
        if member is None:
            if not household_level:
                continue
        elif member not in members:
            continue
        month = income.month
        if month is not None:
            start = end = month.year * 12 + month.month - 1
        else:
            month = income.from_
            start = month.year * 12 + month.month - 1  # type: ignore[union-attr]
            month = income.to
            end = month.year * 12 + month.month - 1  # type: ignore[union-attr]
        lo = start if start > first else first
        hi = end if end < last else last
        if lo > hi:
            continue  # §3.1: no month inside the window
        inside = hi - lo + 1
        length = end - start + 1
        category = income.category
        amount = income.amount
        imputed: str | None = None
        if amount is None:
            if category is _CASUAL and income.days is not None:
                # §3.3: days × the daily wage in force on `on`, then spread like any amount.
                amount = income.days * dated.casual_wage
                imputed = "income.casual"
            elif category is _FARM and income.land_mu is not None:
                # §3.3: land_mu × rate / 12 for each month of the period, so `length` is 12 per year.
                amount = income.land_mu * dated.farm_rate
                length = 12
                imputed = "income.farm"
            else:
                amount = ZERO
        # §3.1: amount × inside / length, kept exact as a reduced fraction when it does not divide evenly.
        if inside == length:
            numerator, denominator = amount, 1
        else:
            g = gcd(inside, length)
            numerator, denominator = amount * (inside // g), length // g
        kind = income.kind
        if kind and kind in excluded:
            if notes is not None:
                notes.append(_new(Reason, (
                    "income.excluded",
                    {
                        "member": member or _HOUSEHOLD_LEVEL,
                        "kind": kind,
                        "category": category,
                        "amount": numerator if denominator == 1 else numerator / denominator,
                    },
                    _EXCLUDED_PARAMS,
                )))
            continue
        if imputed is not None and notes is not None:
            notes.append(_imputed_reason(imputed, income, member, dated, inside, numerator, denominator))
        if not numerator:
            continue
        categories.add(category)
        # §3.5: work income belongs to a person; a household-level wage counts but has nobody to deduct for.
        is_work = member is not None and category in WORK_CATEGORIES
        if denominator == 1:
            total += numerator
            if is_work:
                work[member] = work.get(member, ZERO) + numerator  # type: ignore[index, arg-type]
        else:
            if fractions is None:
                fractions = []
            fractions.append((member, is_work, numerator, denominator))
            if is_work and member not in work:
                work[member] = ZERO  # type: ignore[index]
    return total, work, categories, fractions


def _imputed_reason(
    rule: str,
    income: Income,
    member: str | None,
    dated: _MeansValues,
    inside: int,
    numerator: Decimal,
    denominator: int,
) -> Reason:
    """§3.3: the reason for an imputed casual or farm amount, with what it counts in the window."""
    counted = numerator if denominator == 1 else numerator / denominator
    if rule == "income.casual":
        wage = dated.casual_wage
        return _new(Reason, (
            rule,
            {
                "member": member or _HOUSEHOLD_LEVEL,
                "days": income.days,
                "wage": wage,
                "amount": income.days * wage,  # type: ignore[operator]
                "first": income.first,
                "last": income.last,
                "months": inside,
                "counted": counted,
            },
            _CASUAL_PARAMS,
        ))
    return _new(Reason, (
        rule,
        {
            "member": member or _HOUSEHOLD_LEVEL,
            "land_mu": income.land_mu,
            "rate": dated.farm_rate,
            "months": inside,
            "counted": counted,
        },
        _FARM_PARAMS,
    ))


def _to_common(
    total: Decimal,
    work: dict[str, Decimal],
    fractions: list[_Fraction],
) -> tuple[Decimal, int]:
    """Scale ``total`` and ``work`` (in place) by the common denominator ``L`` of ``fractions`` and add them.

    Afterwards every amount is an exact numerator over ``L``: nothing has been divided yet.
    """
    scale = 1
    for fraction in fractions:
        scale = lcm(scale, fraction[3])
    total *= scale
    for person in work:
        work[person] *= scale
    for member, is_work, numerator, denominator in fractions:
        part = numerator * (scale // denominator)
        total += part
        if is_work:
            work[member] += part  # type: ignore[index]
    return total, scale


def _assisted(history: Sequence[Any]) -> dict[str, Decimal]:
    """Assistance already paid toward each need id (household history)."""
    paid: dict[str, Decimal] = {}
    for payment in history:
        need = payment.need
        if need is not None:
            paid[need] = paid.get(need, ZERO) + payment.amount
    return paid


def _rigid_expenses(
    household: Household, members: Collection[str], first: int, last: int, notes: list[Reason]
) -> Decimal:
    """§3.6: the set's rigid expenses dated in the window (their month is a window month), not yet averaged.

    A medical expense counts ``total − insurance_paid − assistance already paid toward it`` (never below 0);
    a tuition expense counts its ``total``.
    """
    total = ZERO
    paid: dict[str, Decimal] | None = None
    for expense in household.expenses:
        member = expense.member
        if member not in members:
            continue
        day = expense.date
        index = day.year * 12 + day.month - 1
        if index < first or index > last:
            continue
        if expense.kind is _TUITION:
            total += expense.total
            notes.append(
                Reason(
                    "income.rigid_tuition",
                    {"expense": expense.id, "member": member, "date": day, "total": expense.total},
                )
            )
            continue
        if paid is None:
            paid = _assisted(household.history)
        assisted = paid.get(expense.id, ZERO)
        counted = expense.total - expense.insurance_paid - assisted
        if counted < 0:
            counted = ZERO
        total += counted
        notes.append(
            Reason(
                "income.rigid_medical",
                {
                    "expense": expense.id,
                    "member": member,
                    "kind": expense.kind,
                    "date": day,
                    "total": expense.total,
                    "insurance": expense.insurance_paid,
                    "assisted": assisted,
                    "counted": counted,
                },
            )
        )
    return total


# ---------------------------------------------------------------------------------------------------------
# §3.4–§3.7 the account of a set, §3.8 own income
# ---------------------------------------------------------------------------------------------------------


def account_income(
    household: Household, people: Sequence[str], on: dt.date, params: Any, standard: Decimal
) -> IncomeAccount:
    """§3.4–§3.7: countable income, deductions and per-capita income of the set ``people`` on ``on``.

    ``people`` are member ids (any order; the account lists them in household order; an unknown id is a
    ``KeyError``). ``standard`` is S for the household's residence on ``on`` (§1.5). The rigid expenses of
    §3.6 are always computed (§8 needs them) but deducted only while ``income.deduct_rigid_expenses``.
    An empty set has no income: every figure is 0 and household-level records are not counted.
    """
    return _account(household, _ordered(household, people), on, _dated(params), standard)


def _account(household: Household, ids: tuple[str, ...], on: dt.date, dated: _MeansValues,
             standard: Decimal) -> IncomeAccount:
    """:func:`account_income` of ``ids``, already in household order."""
    months = dated.months
    first, last, window, window_reason = _window(on, months)
    if not ids:
        return IncomeAccount(
            ids, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, {}, frozenset(),
            (window_reason, _EMPTY_INCOME), window,
        )  # fmt: skip
    notes = [window_reason]
    members = set(ids)
    total, work, categories, fractions = _scan(household, members, True, first, last, dated, notes)
    if dated.imputed is not None:
        total = _impute(household, ids, on, dated, work, total, notes)
    scale = 1
    if fractions is not None:
        total, scale = _to_common(total, work, fractions)
    # From here every monthly figure is an exact numerator over `denominator`; each is divided once. A sum
    # that is still the untouched ZERO needs no division: 0.00 ÷ n is 0.00 exactly.
    denominator = dated.months_decimal if scale == 1 else Decimal(scale * months)
    if household.obligors and dated.support.assessed:
        total = _with_support(household, members, first, last, dated, total, denominator, notes)
    countable = ZERO if total is ZERO else total / denominator
    notes.append(_new(Reason, (
        "income.countable",
        {
            "total": total if scale == 1 else total / scale,
            "months": months,
            "countable": countable,
            "people": len(ids),
        },
        _WINDOW_PARAMS,
    )))

    # §3.5: per working person, min(monthly work income, rate × S).
    employment_n = ZERO
    work_income: dict[str, Decimal] = {}
    if work:
        rate = dated.employment_rate
        cap = rate * standard
        cap_n = cap * denominator
        self_employed = (_self_employed(household, first, last) if dated.self_employed_above or dated.typed
                         else ())
        for person in ids:
            earned = work.get(person)
            if not earned:
                continue
            monthly = earned / denominator
            work_income[person] = monthly
            if dated.self_employed_above and person in self_employed:
                # §3.5, income.self_employed_deduction = above_standard: min(rate × S, work income above S).
                over_n = earned - standard * denominator
                taken_n = ZERO if over_n <= ZERO else (over_n if over_n < cap_n else cap_n)
                employment_n += taken_n
                notes.append(_new(Reason, (
                    "income.employment_deduction_self",
                    {"person": person, "work": monthly, "rate": rate, "S": standard, "cap": cap,
                     "deduction": taken_n / denominator, "counted": monthly - taken_n / denominator},
                    _SELF_EMPLOYED_PARAMS,
                )))
                continue
            if dated.typed:
                taken_n = _typed_deduction(person, person in self_employed, earned, monthly, denominator, rate,
                                           standard, dated, notes)
                employment_n += taken_n
                continue
            if earned < cap_n:
                employment_n += earned
                deduction = monthly
            else:
                employment_n += cap_n
                deduction = cap
            notes.append(_new(Reason, (
                "income.employment_deduction",
                {"person": person, "work": monthly, "rate": rate, "S": standard, "cap": cap,
                 "deduction": deduction},
                _EMPLOYMENT_PARAMS,
            )))
    employment = ZERO if employment_n is ZERO else employment_n / denominator

    # §3.6, computed always for §8; deducted only while in force.
    rigid_total = _rigid_expenses(household, members, first, last, notes) if household.expenses else ZERO
    if rigid_total is ZERO:
        rigid_n = rigid_expenses = rigid_deduction = ZERO
        notes.append(dated.no_rigid)
    else:
        rigid_expenses = rigid_total / dated.months_decimal
        rigid_values = {"total": rigid_total, "months": months, "rigid": rigid_expenses}
        if dated.deduct_rigid:
            rigid_n = rigid_total * scale
            rigid_deduction = rigid_expenses
            notes.append(_new(Reason, ("income.rigid_deduction", rigid_values, _RIGID_PARAMS)))
        else:
            rigid_n = ZERO
            rigid_deduction = ZERO
            notes.append(_new(Reason, ("income.rigid_off", rigid_values, _RIGID_PARAMS)))

    # §3.7: net and per-capita income; the per-capita figures are the only ones rounded (to the fen). A
    # deduction that is still the untouched ZERO is not subtracted: every sum here has at least two places,
    # so x − 0.00 is x itself (same digits, same exponent), and with nothing deducted the net is the countable
    # income already divided.
    size = len(ids)
    without_n = total if employment_n is ZERO else total - employment_n
    if without_n < ZERO:
        without_n = ZERO
    if rigid_n is ZERO:
        net_n = without_n
    else:
        net_n = without_n - rigid_n
        if net_n < ZERO:
            net_n = ZERO
    net = countable if net_n is total else net_n / denominator
    # round_fen, inline; for one person net_n ÷ (denominator × 1) is the division just made.
    per_capita = (net if size == 1 else net_n / (denominator * size)).quantize(FEN, ROUND_HALF_UP)
    notes.append(_new(Reason, (
        "income.per_capita",
        {
            "countable": countable,
            "employment": employment,
            "rigid": rigid_deduction,
            "net": net,
            "people": size,
            "per_capita": per_capita,
        },
        (),
    )))
    return _new(IncomeAccount, (
        ids,
        countable,
        employment,
        rigid_expenses,
        rigid_deduction,
        net,
        per_capita,
        per_capita if net_n is without_n or without_n == net_n
        else (without_n / (denominator * size)).quantize(FEN, ROUND_HALF_UP),
        work_income,
        frozenset(categories),
        tuple(notes),
        window,
    ))


def _impute(household: Household, ids: tuple[str, ...], on: dt.date, dated: _MeansValues,
            work: dict[str, Decimal], total: Decimal, notes: list[Reason]) -> Decimal:
    """china-rules §3.5: each member of the set of working age with full labour capacity, not at school, without
    a disability grade or serious illness, and without work income in the window counts ``income.imputed_wage``
    a month as work income (added to ``work`` and to the window's ``total``, which is returned)."""
    wage, start, below = dated.imputed  # type: ignore[misc]
    months = dated.months
    for person in household.members:
        if person.id not in ids or person.id in work:
            continue
        age = age_on(person.birth_date, on)
        if (age < start or age >= below or person.labour_capacity is not _FULL or person.school is not None
                or person.disability_grade is not None or person.serious_illness):
            continue
        counted = wage * months
        work[person.id] = counted
        total += counted
        notes.append(_new(Reason, ("income.imputed", {"member": person.id, "age": age, "wage": wage,
                                                      "months": months, "counted": counted}, _IMPUTED_PARAMS)))
    return total


def _typed_deduction(person: str, self_employed: bool, earned: Decimal, monthly: Decimal, denominator: Decimal,
                     rate: Decimal, standard: Decimal, dated: _MeansValues, notes: list[Reason]) -> Decimal:
    """china-rules §3.4: the employment deduction of one worker by their employment type, as a numerator over
    ``denominator``: min(work income, rate × base, cap), the base S, the work income itself or the minimum wage
    (``income.employment_deduction_base``), the cap by type (``income.employment_deduction_cap``)."""
    kind = "self_employed" if self_employed else "employee"
    base_word = dated.deduction_bases.get(kind, "standard")
    base: Decimal
    if base_word == "income":
        base, base_n = monthly, earned
    else:
        # A minimum-wage base without a minimum wage was refused when the date's values were read.
        base = standard if base_word == "standard" else dated.minimum_wage  # type: ignore[assignment]
        base_n = base * denominator
    share_n = rate * base_n
    taken_n = earned if earned < share_n else share_n
    cap = dated.deduction_caps.get(kind)
    values: dict[str, Any] = {"person": person, "type": kind, "work": monthly, "rate": rate, "base_kind": base_word,
                              "base": base, "share": share_n / denominator}
    if cap is not None:
        cap_n = cap * denominator
        if cap_n < taken_n:
            taken_n = cap_n
        values["cap"] = cap
    values["deduction"] = taken_n / denominator
    values["counted"] = monthly - values["deduction"]
    if cap is None:
        notes.append(_new(Reason, ("income.employment_deduction_typed", values, _TYPED_PARAMS)))
    else:
        notes.append(_new(Reason, ("income.employment_deduction_typed_cap", values, _TYPED_CAP_PARAMS)))
    return taken_n


def _with_support(household: Household, members: set[str], first: int, last: int, dated: _MeansValues,
                  total: Decimal, denominator: Decimal, notes: list[Reason]) -> Decimal:
    """china-rules §3.6 where the locality assesses support: ``total`` (over ``denominator``) with what the
    obligors are assessed to pay beyond the support received added (:mod:`assistkit.support`)."""
    added, reasons = support_income(household, members, first, last, dated.months, dated.excluded, dated.support)
    notes.extend(reasons)
    return total + added * denominator if added else total


def _self_employed(household: Household, first: int, last: int) -> frozenset[str]:
    """§3.5: the members with business or casual income in the window (months ``first``–``last``): they are
    self-employed or flexibly employed, whatever wage income they also have."""
    found: set[str] = set()
    for income in household.incomes:
        if income.member is None or income.category not in _SELF_CATEGORIES:
            continue
        a, b = income.first, income.last
        if a.year * 12 + a.month - 1 <= last and b.year * 12 + b.month - 1 >= first:
            found.add(income.member)
    return frozenset(found)


_SELF_CATEGORIES = frozenset({IncomeCategory.BUSINESS, IncomeCategory.CASUAL})


def own_income(household: Household, person_id: str, on: dt.date, params: Any) -> Decimal:
    """§3.8: the person's own monthly income (exact): their records only, no household-level ones, no
    deductions. A person with no records (or not a member) has 0."""
    return _own_income(household, person_id, on, _dated(params))


def _own_income(household: Household, person_id: str, on: dt.date, dated: _MeansValues) -> Decimal:
    months = dated.months
    first, last, _, _ = _window(on, months)
    total, work, _, fractions = _scan(household, (person_id,), False, first, last, dated, None)
    if fractions is None:
        return total / months
    total, scale = _to_common(total, work, fractions)
    return total / (scale * months)


def account_own_income(household: Household, person_id: str, on: dt.date, params: Any) -> OwnIncome:
    """§3.8 with its reasons: the same figure as :func:`own_income`, explained."""
    dated = _dated(params)
    months = dated.months
    first, last, _, window_reason = _window(on, months)
    notes = [window_reason]
    total, work, _, fractions = _scan(household, (person_id,), False, first, last, dated, notes)
    scale = 1
    if fractions is not None:
        total, scale = _to_common(total, work, fractions)
    own = total / (scale * months)
    notes.append(
        Reason(
            "income.own",
            {
                "person": person_id,
                "total": total if scale == 1 else total / scale,
                "months": months,
                "own": own,
            },
            (_WINDOW,),
        )
    )
    return OwnIncome(person_id, own, tuple(notes))


# ---------------------------------------------------------------------------------------------------------
# §4 asset test
# ---------------------------------------------------------------------------------------------------------


def test_assets(
    household: Household, people: Sequence[str], multiple: Decimal, standard: Decimal, params: Any,
    limit: Decimal | None = None,
) -> AssetTest:
    """§4: the assets of the set's members plus household-level ones, against M = ``multiple`` and S.

    1. financial assets (deposit, securities) / set size ≤ M × S (or ``limit`` per person when given, a line
    that is not a multiple of S; strictly below it when ``assets.financial_test`` is ``<``); 2. no non-exempt
    vehicle worth more than ``assets.vehicle_value_limit``; 3. fewer than two houses and no commercial property.
    An empty set has nobody to test and passes (household-level assets are then not looked at).
    """
    return _test_assets(household, _ordered(household, people), multiple, standard, _dated(params), limit)


# A rule, not a pytest test. Compiled by mypyc it is a builtin function, which pytest does not collect anyway and
# which takes no attributes.
with contextlib.suppress(AttributeError):
    test_assets.__test__ = False  # type: ignore[attr-defined]


def _test_assets(household: Household, ids: tuple[str, ...], multiple: Decimal, standard: Decimal,
                 dated: _MeansValues, line: Decimal | None = None) -> AssetTest:
    """:func:`test_assets` of ``ids``, already in household order."""
    own = line is not None or dated.financial_strict
    limit = multiple * standard if line is None else line
    if not ids:
        return AssetTest(True, ZERO, limit, (), (_EMPTY_ASSETS,))
    vehicle_limit = dated.vehicle_limit
    financial = ZERO
    houses = commercial = 0
    vehicles: list[Reason] = []
    vehicle_failed = False
    for asset in household.assets:
        member = asset.member
        if member is not None and member not in ids:
            continue
        kind = asset.kind
        if kind is _DEPOSIT or kind is _SECURITIES:
            financial += asset.value
        elif kind is _VEHICLE:
            if asset.value > vehicle_limit:
                values = {"member": member or _HOUSEHOLD_LEVEL, "value": asset.value, "limit": vehicle_limit}
                if asset.exempt:
                    vehicles.append(_new(Reason, ("assets.vehicle_exempt", values, _VEHICLE_PARAMS)))
                else:
                    vehicle_failed = True
                    vehicles.append(_new(Reason, ("assets.vehicle", values, _VEHICLE_PARAMS)))
        elif kind is _HOUSE:
            houses += 1
        elif kind is _COMMERCIAL:
            commercial += 1
    size = len(ids)
    per_person = financial if size == 1 else financial / size  # x ÷ 1 is x, digits and exponent
    financial_values: dict[str, Any] = {
        "total": financial,
        "people": size,
        "per_person": per_person,
        "multiple": multiple,
        "S": standard,
        "limit": limit,
    }
    # Compared multiplied out, so the division's rounding cannot decide a boundary case.
    most = limit if size == 1 else limit * size
    financial_failed = financial >= most if dated.financial_strict else financial > most
    if own:
        # china-rules §4: a limit that is not a multiple of S, or a strict test, said as the locality says it.
        financial_values = {"total": financial, "people": size, "per_person": per_person, "limit": limit,
                            "test": "<" if dated.financial_strict else "≤"}
    property_failed = houses >= 2 or commercial
    if not (financial_failed or vehicle_failed or property_failed):
        passed = _new(Reason, ("assets.passed_line" if own else "assets.passed", financial_values,
                               _LINE_PARAMS if own else _VEHICLE_PARAMS))
        reasons = (*vehicles, passed) if vehicles else (passed,)
        return _new(AssetTest, (True, per_person, limit, (), reasons, financial))
    failures: list[str] = []
    found: list[Reason] = []
    if financial_failed:
        failures.append("assets.financial")
        found.append(_new(Reason, ("assets.financial_line", financial_values, (_FINANCIAL_TEST,)) if own
                          else ("assets.financial", financial_values, ())))
    if vehicle_failed:
        failures.append("assets.vehicle")
    found.extend(vehicles)
    if property_failed:
        failures.append("assets.property")
        found.append(_new(Reason, ("assets.property", {"houses": houses, "commercial": commercial}, ())))
    return _new(AssetTest, (False, per_person, limit, tuple(failures), tuple(found), financial))


def own_financial_assets(household: Household, person_id: str) -> Decimal:
    """§5.1(c): the person's own deposits and securities (household-level ones are not theirs)."""
    total = ZERO
    for asset in household.assets:
        if asset.member == person_id:
            kind = asset.kind
            if kind is _DEPOSIT or kind is _SECURITIES:
                total += asset.value
    return total


# ---------------------------------------------------------------------------------------------------------
# Rule texts
# ---------------------------------------------------------------------------------------------------------

_RULES = (
    Rule(
        "income.window",
        "§1.3",
        "收入核算期为评估月之前 {months} 个完整自然月（{first} 至 {last}）",
        "income window: the {months} full calendar months before the assessment month ({first} to {last})",
    ),
    Rule(
        "income.imputed",
        "§3.3",
        "成员 {member}（{age} 岁，有劳动能力，未在学，无残疾或重病）核算期内无工作收入，按每月 {wage} 元认定，"
        "{months} 个月计 {counted} 元",
        "member {member} ({age}, able to work, not at school, no disability or serious illness) has no work income "
        "in the window: {wage} yuan a month is counted, {counted} yuan over {months} months",
    ),
    Rule("income.empty", "§3.4", "核算人员为空，收入按 0 计", "nobody is in the set: its income is 0"),
    Rule(
        "income.excluded",
        "§3.2",
        "成员 {member} 的 {kind}（{category}）收入，核算期内 {amount} 元，不计入收入",
        "{kind} income ({category}) of member {member}, {amount} yuan in the window, is not counted",
    ),
    Rule(
        "income.casual",
        "§3.3",
        "成员 {member} 零工 {days} 天 × 日工资 {wage} 元 = {amount} 元（{first} 至 {last}），"
        "核算期内 {months} 个月计 {counted} 元",
        "casual work of member {member}: {days} days × daily wage {wage} = {amount} yuan "
        "({first} to {last}); {months} months in the window count {counted} yuan",
    ),
    Rule(
        "income.farm",
        "§3.3",
        "成员 {member} 耕地 {land_mu} 亩 × 每亩年纯收入 {rate} 元 ÷ 12 × 核算期内 {months} 个月 "
        "= {counted} 元",
        "farming of member {member}: {land_mu} mu × {rate} yuan per mu and year ÷ 12 "
        "× {months} months in the window = {counted} yuan",
    ),
    Rule(
        "income.countable",
        "§3.4",
        "可计算月收入 = 核算期内计入收入 {total} 元 ÷ {months} 个月 = {countable} 元（{people} 人）",
        "countable monthly income = {total} yuan counted in the window ÷ {months} months "
        "= {countable} yuan ({people} people)",
    ),
    Rule(
        "income.employment_deduction",
        "§3.5",
        "成员 {person} 月工作收入 {work} 元，就业成本扣减取 {work} 与 {rate} × 标准 {S} = {cap} 中的较小者 "
        "= {deduction} 元",
        "employment-cost deduction for {person}: min(monthly work income {work}, "
        "{rate} × S {S} = {cap}) = {deduction} yuan",
    ),
    Rule(
        "income.employment_deduction_self",
        "§3.5",
        "成员 {person} 为个体经营或灵活就业，月工作收入 {work} 元，就业成本扣减 = min({rate} × 标准 {S} = {cap}，"
        "超出标准部分) = {deduction} 元，计入 {counted} 元（不因扣减低于标准）",
        "employment-cost deduction for self-employed or casual worker {person}: min({rate} × S {S} = {cap}, "
        "work income {work} above S) = {deduction} yuan; counted {counted} yuan (never below S by the deduction)",
    ),
    Rule(
        "income.employment_deduction_typed",
        "§3.5",
        "成员 {person}（{type}）月工作收入 {work} 元，就业成本扣减取 {work} 与 {rate} × {base_kind} {base} = {share} "
        "中的较小者 = {deduction} 元，计入 {counted} 元",
        "employment-cost deduction for {person} ({type}): min(monthly work income {work}, {rate} × {base_kind} "
        "{base} = {share}) = {deduction} yuan; counted {counted} yuan",
    ),
    Rule(
        "income.employment_deduction_typed_cap",
        "§3.5",
        "成员 {person}（{type}）月工作收入 {work} 元，就业成本扣减取 {work}、{rate} × {base_kind} {base} = {share} "
        "与上限 {cap} 中的最小者 = {deduction} 元，计入 {counted} 元",
        "employment-cost deduction for {person} ({type}): min(monthly work income {work}, {rate} × {base_kind} "
        "{base} = {share}, cap {cap}) = {deduction} yuan; counted {counted} yuan",
    ),
    Rule(
        "income.rigid_medical",
        "§3.6",
        "医疗支出 {expense}（{kind}，{date}，成员 {member}）：总费用 {total} − 医保报销 {insurance} "
        "− 已获救助 {assisted} = {counted} 元",
        "medical expense {expense} ({kind}, {date}, member {member}): total {total} "
        "− insurance {insurance} − assistance already paid {assisted} = {counted} yuan",
    ),
    Rule(
        "income.rigid_tuition",
        "§3.6",
        "学费支出 {expense}（{date}，成员 {member}）计 {total} 元",
        "tuition expense {expense} ({date}, member {member}) counts {total} yuan",
    ),
    Rule(
        "income.rigid_deduction",
        "§3.6",
        "刚性支出扣减 = 核算期内刚性支出 {total} 元 ÷ {months} 个月 = {rigid} 元",
        "rigid-expenditure deduction = rigid expenses {total} yuan in the window ÷ {months} months "
        "= {rigid} yuan",
    ),
    Rule(
        "income.rigid_off",
        "§3.6",
        "刚性支出扣减未施行，扣减 0 元（核算期内刚性支出 {total} 元，月均 {rigid} 元）",
        "the rigid-expenditure deduction is not in force: 0 deducted "
        "(rigid expenses {total} yuan in the window, {rigid} yuan a month)",
    ),
    Rule(
        "income.per_capita",
        "§3.7",
        "月净收入 = {countable} − 就业成本扣减 {employment} − 刚性支出扣减 {rigid}（不低于 0）"
        "= {net} 元；人均收入 = {net} ÷ {people} 人 = {per_capita} 元",
        "net monthly income = max(0, {countable} − employment deduction {employment} "
        "− rigid deduction {rigid}) = {net} yuan; per-capita income = {net} ÷ {people} people "
        "= {per_capita} yuan",
    ),
    Rule(
        "income.own",
        "§3.8",
        "成员 {person} 本人月收入 = {total} 元 ÷ {months} 个月 = {own} 元"
        "（不含家庭共有收入，不作扣减）",
        "own monthly income of {person} = {total} yuan ÷ {months} months = {own} yuan "
        "(no household-level records, no deductions)",
    ),
    Rule(
        "assets.empty", "§4", "核算人员为空，财产核查视为通过", "nobody is in the set: the asset test passes"
    ),
    Rule(
        "assets.financial",
        "§4.1",
        "金融资产 {total} 元 ÷ {people} 人 = 人均 {per_person} 元，"
        "超过 {multiple} × 标准 {S} = {limit} 元",
        "financial assets {total} yuan ÷ {people} people = {per_person} yuan per person, "
        "above {multiple} × S {S} = {limit} yuan",
    ),
    Rule(
        "assets.financial_line",
        "§4.1",
        "金融资产 {total} 元 ÷ {people} 人 = 人均 {per_person} 元，不符合人均 {test} {limit} 元",
        "financial assets {total} yuan ÷ {people} people = {per_person} yuan per person, not {test} {limit} yuan "
        "per person",
    ),
    Rule(
        "assets.passed_line",
        "§4",
        "财产核查通过：金融资产 {total} 元 ÷ {people} 人 = 人均 {per_person} 元 {test} {limit} 元；无超限非豁免车辆；"
        "住房少于两套且无商业用房",
        "asset test passed: financial assets {total} yuan ÷ {people} people = {per_person} yuan per person "
        "{test} {limit} yuan; no non-exempt vehicle above the limit; fewer than two houses and no commercial property",
    ),
    Rule(
        "assets.vehicle",
        "§4.2",
        "成员 {member} 名下非豁免车辆价值 {value} 元，超过 {limit} 元",
        "a non-exempt vehicle of member {member} is worth {value} yuan, above {limit} yuan",
    ),
    Rule(
        "assets.vehicle_exempt",
        "§4.2",
        "成员 {member} 名下车辆价值 {value} 元，超过 {limit} 元，但属豁免车辆，不影响核查",
        "a vehicle of member {member} is worth {value} yuan, above {limit} yuan, but is exempt",
    ),
    Rule(
        "assets.property",
        "§4.3",
        "拥有住房 {houses} 套、商业用房 {commercial} 处（须少于两套住房且无商业用房）",
        "{houses} houses and {commercial} commercial properties "
        "(fewer than two houses and no commercial property allowed)",
    ),
    Rule(
        "assets.passed",
        "§4",
        "财产核查通过：金融资产 {total} 元 ÷ {people} 人 = 人均 {per_person} 元，"
        "不超过 {multiple} × 标准 {S} = {limit} 元；无超限非豁免车辆；住房少于两套且无商业用房",
        "asset test passed: financial assets {total} yuan ÷ {people} people = {per_person} yuan "
        "per person, at most {multiple} × S {S} = {limit} yuan; no non-exempt vehicle above the limit; "
        "fewer than two houses and no commercial property",
    ),
)

RULES: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in (*_RULES, *SUPPORT_RULES)})
"""The text of every rule id this module emits, in zh and en (:func:`assistkit.explain.render_reason`)."""
