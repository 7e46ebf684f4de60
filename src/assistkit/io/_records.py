"""The reference reader of household-format.md: a table (:class:`Spec`) per model class, one walker for all,
and the cross-field checks.

The walker checks every rule (types, closed vocabularies, money, dates, months, cross-field limits, unique
ids, references, one head), builds the frozen attrs objects of :mod:`assistkit.household` in the same pass,
and collects *every* problem of a record as ``(path, reason)`` — ``members[2].birth_date``, 0-based, dotted,
top-level fields bare. It is the one source of every problem reported; the fast reader (:mod:`._fast`) is
generated from the same tables and calls the same checks.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeAlias

from ..errors import InvalidFunds, InvalidHousehold
from ..household import (
    Asset,
    AssetKind,
    DilapidatedGrade,
    Enrolment,
    EnrolmentProgramme,
    Event,
    EventKind,
    Expense,
    ExpenseKind,
    Fund,
    Household,
    Housing,
    Income,
    IncomeCategory,
    LabourCapacity,
    NeedKind,
    PastPayment,
    PaymentKind,
    PaymentProgramme,
    Person,
    Relationship,
    Residence,
    School,
    SelfCare,
    Stage,
    Status,
    Tenure,
)
from ..money import format_money
from ._leaves import (
    Bad,
    boolean,
    count,
    date,
    decimal,
    disability_grade,
    enum,
    id_number,
    ident,
    money,
    month,
    positive_money,
    show,
    string,
)

__all__ = [
    "FUND",
    "HOUSEHOLD",
    "INVALID",
    "NESTED",
    "NULLABLE",
    "SPECS",
    "ListOf",
    "One",
    "Problems",
    "Report",
    "Spec",
    "at",
    "check_dates",
    "check_enrolment",
    "check_event",
    "check_expense",
    "check_fund",
    "check_household",
    "check_housing",
    "check_income",
    "check_person",
    "household_id",
    "read_household",
    "structure_funds",
    "unknown",
    "walk",
]

NULLABLE: Final = 1  # null is accepted and means "not given" (the model's None)
NESTED: Final = 2  # the parser takes (value, path, problems) and reports its own problems

Problems: TypeAlias = list[tuple[str, str]]
Report: TypeAlias = Callable[[str, str], None]
"""How a cross-field check reports a problem: ``report(path within the record, reason)``."""


class _Invalid:
    """The value of a field given but not read (its problem is already reported), and what the walker returns
    for a record or list with problems."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()


class Spec:
    """How to read a model class: JSON key → (attribute, parser, flags); required keys; cross-field check.

    ``check`` takes the record's values of the attributes ``check_reads`` names, in that order (``None`` when
    not given or null, :data:`INVALID` when given but not read), then a :data:`Report`; with ``check_reads``
    ``None`` it takes the record's data as given instead. ``check_keys``: optional keys without which
    ``check`` reports nothing (``None`` when it may report in any record), so the fast reader calls it only
    for a record with one of them.
    """

    __slots__ = ("cls", "fields", "required", "check", "check_reads", "check_keys")

    def __init__(self, cls: type, fields: dict[str, tuple[str, Callable[..., Any], int]],
                 required: tuple[str, ...], check: Callable[..., None] | None = None,
                 check_reads: tuple[str, ...] | None = None, check_keys: tuple[str, ...] | None = None) -> None:
        assert check_keys is None or not set(check_keys) & set(required), "check_keys are optional keys"
        attributes = {attr for attr, _parse, _flags in fields.values()}
        assert check_reads is None or set(check_reads) <= attributes, cls
        self.cls = cls
        self.fields = fields
        self.required = required
        self.check = check
        self.check_reads = check_reads
        self.check_keys = check_keys


def at(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def unknown(key: object, fields: Iterable[str]) -> str:
    reason = f"unknown field {key!r}"
    if isinstance(key, str):
        close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.7)
        if close:
            reason += f" (did you mean {close[0]!r}?)"
    return reason


def walk(spec: Spec, data: object, path: str, problems: Problems) -> Any:
    """Read one record: every problem is appended to ``problems``; the object, or :data:`INVALID`."""
    if type(data) is not dict and not isinstance(data, Mapping):
        problems.append((path, f"expected an object; got {show(data)}"))
        return INVALID
    before = len(problems)
    fields = spec.fields
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        entry = fields.get(key)
        if entry is None:
            problems.append((at(path, key), unknown(key, fields)))
            continue
        attr, parse, flags = entry
        if value is None and flags & NULLABLE:
            kwargs[attr] = None
        elif flags & NESTED:
            kwargs[attr] = parse(value, at(path, key), problems)
        else:
            try:
                kwargs[attr] = parse(value)
            except Bad as bad:
                problems.append((at(path, key), bad.args[0]))
                kwargs[attr] = INVALID
    for key in spec.required:
        if key not in data:
            problems.append((at(path, key), "required field missing"))
    check = spec.check
    if check is not None:
        def report(where: str, reason: str) -> None:
            problems.append((at(path, where), reason))

        if spec.check_reads is None:
            check(data, report)
        else:
            check(*[kwargs.get(attr) for attr in spec.check_reads], report)
    if len(problems) > before:
        return INVALID
    return spec.cls(**kwargs)


class One:
    """A nested record (``spec`` is also read by the fast reader)."""

    __slots__ = ("spec",)

    def __init__(self, spec: Spec) -> None:
        self.spec: Final = spec

    def __call__(self, value: object, path: str, problems: Problems) -> Any:
        return walk(self.spec, value, path, problems)


class ListOf:
    """A list of records (``spec`` is also read by the fast reader)."""

    __slots__ = ("spec",)

    def __init__(self, spec: Spec) -> None:
        self.spec: Final = spec

    def __call__(self, value: object, path: str, problems: Problems) -> Any:
        if type(value) is not list and not isinstance(value, tuple):
            problems.append((path, f"expected a list; got {show(value)}"))
            return INVALID
        before = len(problems)
        items = tuple([walk(self.spec, item, f"{path}[{i}]", problems) for i, item in enumerate(value)])
        return INVALID if len(problems) > before else items


def _enum_list(cls: type) -> Callable[[object, str, Problems], Any]:
    parse_item = enum(cls)

    def parse(value: object, path: str, problems: Problems) -> Any:
        if type(value) is not list and not isinstance(value, tuple):
            problems.append((path, f"expected a list; got {show(value)}"))
            return INVALID
        before = len(problems)
        items = []
        for i, item in enumerate(value):
            try:
                items.append(parse_item(item))
            except Bad as bad:
                problems.append((f"{path}[{i}]", bad.args[0]))
        return INVALID if len(problems) > before else tuple(items)

    return parse


# ------------------------------------------------------------------------------------------------------------
# Cross-field checks (household-format.md). Each takes the record's values (None: not given; INVALID: given,
# not read, already reported) and reports what breaks a rule; both readers call them.
# ------------------------------------------------------------------------------------------------------------

def check_person(number: Any, birth: Any, report: Report) -> None:
    """Person: the identity number encodes the birth date (GB 11643, characters 7–14)."""
    if number is None or number is INVALID or birth is None or birth is INVALID:
        return
    encoded = number[6:14]
    if encoded != f"{birth.year:04d}{birth.month:02d}{birth.day:02d}":
        report("id_number", f"encodes the birth date {encoded[:4]}-{encoded[4:6]}-{encoded[6:]}, "
                            f"but birth_date is {birth.isoformat()}")


def check_income(category: Any, amount: Any, one: Any, first: Any, last: Any, days: Any, land: Any,
                 report: Report) -> None:
    """Income: one month, or ``from`` and ``to`` (not before ``from``); an amount, except for casual income
    with days or farm income with land; days only for casual income, land only for farm income."""
    if one is not None:
        if first is not None or last is not None:
            report("month", "give either month, or from and to; not both")
    elif (first is None) != (last is None):
        missing, present = ("to", "from") if first is not None else ("from", "to")
        report(missing, f"required with {present} (the months covered, inclusive)")
    elif first is None:
        report("month", "required: give month, or from and to")
    elif first is not INVALID and last is not INVALID and first.index > last.index:
        report("to", f"must not be before from ({first}); got {last}")
    if category is None or category is INVALID:
        return
    if amount is None:
        if category is IncomeCategory.CASUAL:
            if days is None:
                report("amount", "required for casual income unless days are given")
        elif category is IncomeCategory.FARM:
            if land is None:
                report("amount", "required for farm income unless land_mu is given")
        else:
            report("amount", f"required for category {category.value!r} "
                             "(null only for casual with days or farm with land_mu)")
    if days is not None and category is not IncomeCategory.CASUAL:
        report("days", f"only for category 'casual'; got category {category.value!r}")
    if land is not None and category is not IncomeCategory.FARM:
        report("land_mu", f"only for category 'farm'; got category {category.value!r}")


def check_expense(total: Any, in_scope: Any, paid: Any, report: Report) -> None:
    """Expense: ``in_scope`` ≤ ``total``; ``insurance_paid`` ≤ ``in_scope``, which defaults to ``total``."""
    readable = total is not None and total is not INVALID
    if in_scope is not None and in_scope is not INVALID and readable and in_scope > total:
        report("in_scope", f"must be ≤ total ({format_money(total)}); got {format_money(in_scope)}")
    if paid is None or paid is INVALID:
        return
    if in_scope is not None:
        limit, name, readable = in_scope, "in_scope", in_scope is not INVALID
    else:
        limit, name = total, "in_scope, which defaults to total"
    if readable and paid > limit:
        report("insurance_paid", f"must be ≤ {name} ({format_money(limit)}); got {format_money(paid)}")


def check_event(loss: Any, compensated: Any, report: Report) -> None:
    """Event: ``compensated`` ≤ ``loss``."""
    if loss is None or loss is INVALID or compensated is None or compensated is INVALID:
        return
    if compensated > loss:
        report("compensated", f"must be ≤ loss ({format_money(loss)}); got {format_money(compensated)}")


def check_housing(tenure: Any, grade: Any, report: Report) -> None:
    """Housing: a dilapidated grade only with tenure ``owned``."""
    if grade is not None and tenure is not None and tenure is not INVALID and tenure is not Tenure.OWNED:
        report("dilapidated_grade", f"only with tenure 'owned'; got tenure {tenure.value!r}")


def check_enrolment(programme: Any, exit_from: Any, report: Report) -> None:
    """Enrolment: ``gradual_exit_from`` only for programme ``dibao``."""
    if (exit_from is not None and programme is not None and programme is not INVALID
            and programme is not EnrolmentProgramme.DIBAO):
        report("gradual_exit_from", f"only for programme 'dibao'; got programme {programme.value!r}")


def check_fund(first: Any, last: Any, report: Report) -> None:
    """Fund: ``valid_to`` not before ``valid_from``."""
    if first is None or first is INVALID or last is None or last is INVALID:
        return
    if first > last:
        report("valid_to", f"must not be before valid_from ({first}); got {last}")


def _ids(items: object, path: str, report: Report, first: dict[str, str]) -> list[int]:
    """Record the ids of ``items`` in ``first`` (id → path), reporting each duplicate; the positions of the
    items whose relationship is ``head``."""
    heads: list[int] = []
    if type(items) is not list and not isinstance(items, tuple):
        return heads
    for i, item in enumerate(items):
        if type(item) is dict or isinstance(item, Mapping):
            ident = item.get("id")
            if isinstance(ident, str) and ident:
                if ident in first:
                    report(f"{path}[{i}].id", f"duplicate id {ident!r} (also {first[ident]})")
                else:
                    first[ident] = f"{path}[{i}].id"
            if item.get("relationship") == "head":
                heads.append(i)
    return heads


def _references(items: object, path: str, key: str, ids: Mapping[str, str], what: str, report: Report) -> None:
    """Report each ``items[i].key`` that names no id in ``ids``."""
    if type(items) is not list and not isinstance(items, tuple):
        return
    for i, item in enumerate(items):
        if type(item) is dict or isinstance(item, Mapping):
            ref = item.get(key)
            if isinstance(ref, str) and ref not in ids:
                known = ", ".join(ids) or "none"
                report(f"{path}[{i}].{key}", f"no {what} has id {ref!r} (ids: {known})")


_RELATIONSHIPS: Final = frozenset(r.value for r in Relationship)


def check_household(data: Mapping[str, Any], report: Report) -> None:
    """Household: at least one member and exactly one head; ids unique among the members and among the needs
    (expenses and events); every member and need a record names is there. On the data as given, so that a
    record that did not read still counts (its id, its relationship)."""
    members = data.get("members")
    if type(members) is list or isinstance(members, tuple):
        people: dict[str, str] = {}
        heads = _ids(members, "members", report, people)
        if not members:
            report("members", "must list at least one member")
        elif not heads:
            # A member whose relationship is unreadable may be the head: "none" would then be a false alarm.
            if all(isinstance(m, Mapping) and isinstance(m.get("relationship"), str)
                   and m["relationship"] in _RELATIONSHIPS for m in members):
                report("members", "exactly one member must have relationship 'head'; found none")
        else:
            for i in heads[1:]:
                report(f"members[{i}].relationship", f"a second head: members[{heads[0]}] is already the head")
        for key in ("incomes", "assets", "expenses", "enrolments", "history"):
            _references(data.get(key), key, "member", people, "member", report)
    needs: dict[str, str] = {}
    _ids(data.get("expenses"), "expenses", report, needs)
    _ids(data.get("events"), "events", report, needs)
    _references(data.get("history"), "history", "need", needs, "expense or event", report)


# ------------------------------------------------------------------------------------------------------------
# The tables.
# ------------------------------------------------------------------------------------------------------------

SCHOOL = Spec(School, {
    "stage": ("stage", enum(Stage), 0),
    "boarding": ("boarding", boolean, 0),
    "tuition": ("tuition", money, 0),
}, ("stage",))

PERSON = Spec(Person, {
    "id": ("id", ident, 0),
    "name": ("name", string, 0),
    "id_number": ("id_number", id_number, NULLABLE),
    "birth_date": ("birth_date", date, 0),
    "relationship": ("relationship", enum(Relationship), 0),
    "disability_grade": ("disability_grade", disability_grade, NULLABLE),
    "serious_illness": ("serious_illness", boolean, 0),
    "labour_capacity": ("labour_capacity", enum(LabourCapacity), 0),
    "self_care": ("self_care", enum(SelfCare), 0),
    "school": ("school", One(SCHOOL), NULLABLE | NESTED),
    "has_capable_supporter": ("has_capable_supporter", boolean, 0),
    "orphan": ("orphan", boolean, 0),
    "refused_job_offers": ("refused_job_offers", count, 0),
}, ("id", "name", "birth_date", "relationship"),
    check_person, ("id_number", "birth_date"), check_keys=("id_number",))

INCOME = Spec(Income, {
    "member": ("member", string, NULLABLE),
    "category": ("category", enum(IncomeCategory), 0),
    "kind": ("kind", string, 0),
    "amount": ("amount", money, NULLABLE),
    "month": ("month", month, NULLABLE),
    "from": ("from_", month, NULLABLE),
    "to": ("to", month, NULLABLE),
    "days": ("days", count, NULLABLE),
    "land_mu": ("land_mu", decimal, NULLABLE),
}, ("category",), check_income, ("category", "amount", "month", "from_", "to", "days", "land_mu"))

ASSET = Spec(Asset, {
    "kind": ("kind", enum(AssetKind), 0),
    "value": ("value", money, 0),
    "member": ("member", string, NULLABLE),
    "exempt": ("exempt", boolean, 0),
}, ("kind", "value"))

EXPENSE = Spec(Expense, {
    "id": ("id", ident, 0),
    "member": ("member", string, 0),
    "kind": ("kind", enum(ExpenseKind), 0),
    "date": ("date", date, 0),
    "total": ("total", money, 0),
    "in_scope": ("in_scope", money, NULLABLE),
    "insurance_paid": ("insurance_paid", money, 0),
}, ("id", "member", "kind", "date", "total"),
    check_expense, ("total", "in_scope", "insurance_paid"), check_keys=("in_scope", "insurance_paid"))

EVENT = Spec(Event, {
    "id": ("id", ident, 0),
    "kind": ("kind", enum(EventKind), 0),
    "date": ("date", date, 0),
    "loss": ("loss", money, 0),
    "compensated": ("compensated", money, 0),
}, ("id", "kind", "date", "loss"), check_event, ("loss", "compensated"), check_keys=("compensated",))

HOUSING = Spec(Housing, {
    "tenure": ("tenure", enum(Tenure), 0),
    "floor_area": ("floor_area", decimal, 0),
    "monthly_rent": ("monthly_rent", money, 0),
    "dilapidated_grade": ("dilapidated_grade", enum(DilapidatedGrade), NULLABLE),
    "properties_owned": ("properties_owned", count, 0),
}, ("tenure",), check_housing, ("tenure", "dilapidated_grade"), check_keys=("dilapidated_grade",))

ENROLMENT = Spec(Enrolment, {
    "programme": ("programme", enum(EnrolmentProgramme), 0),
    "member": ("member", string, NULLABLE),
    "since": ("since", date, 0),
    "monthly_amount": ("monthly_amount", money, 0),
    "gradual_exit_from": ("gradual_exit_from", date, NULLABLE),
}, ("programme", "since", "monthly_amount"),
    check_enrolment, ("programme", "gradual_exit_from"), check_keys=("gradual_exit_from",))

PAYMENT = Spec(PastPayment, {
    "programme": ("programme", enum(PaymentProgramme), 0),
    "kind": ("kind", enum(PaymentKind), 0),
    "member": ("member", string, NULLABLE),
    "need": ("need", string, NULLABLE),
    "date": ("date", date, 0),
    "amount": ("amount", money, 0),
}, ("programme", "kind", "date", "amount"))

HOUSEHOLD = Spec(Household, {
    "id": ("id", ident, 0),
    "locality": ("locality", string, 0),
    "community": ("community", string, 0),
    "residence": ("residence", enum(Residence), 0),
    "hukou_local": ("hukou_local", boolean, 0),
    "members": ("members", ListOf(PERSON), NESTED),
    "incomes": ("incomes", ListOf(INCOME), NESTED),
    "assets": ("assets", ListOf(ASSET), NESTED),
    "expenses": ("expenses", ListOf(EXPENSE), NESTED),
    "events": ("events", ListOf(EVENT), NESTED),
    "housing": ("housing", One(HOUSING), NULLABLE | NESTED),
    "enrolments": ("enrolments", ListOf(ENROLMENT), NESTED),
    "history": ("history", ListOf(PAYMENT), NESTED),
}, ("id", "residence", "members"), check_household)

FUND = Spec(Fund, {
    "id": ("id", ident, 0),
    "name": ("name", string, 0),
    "balance": ("balance", money, 0),
    "need_kinds": ("need_kinds", _enum_list(NeedKind), NESTED),
    "statuses": ("statuses", _enum_list(Status), NESTED),
    "per_household_cap": ("per_household_cap", positive_money, 0),
    "valid_from": ("valid_from", date, 0),
    "valid_to": ("valid_to", date, 0),
}, ("id", "name", "balance", "need_kinds", "per_household_cap", "valid_from", "valid_to"),
    check_fund, ("valid_from", "valid_to"))

SPECS: Final = (SCHOOL, PERSON, INCOME, ASSET, EXPENSE, EVENT, HOUSING, ENROLMENT, PAYMENT)
"""The tables of the records inside a household (:data:`HOUSEHOLD` is the household's own)."""


def household_id(data: object) -> str | None:
    if isinstance(data, Mapping):
        ident = data.get("id")
        if isinstance(ident, str) and ident:
            return ident
    return None


def read_household(data: object) -> Household:
    """Read one household the reference way; :class:`~assistkit.errors.InvalidHousehold` with every
    problem."""
    problems: Problems = []
    household = walk(HOUSEHOLD, data, "", problems)
    if problems:
        raise InvalidHousehold(household_id(data), problems)
    return household  # type: ignore[no-any-return]


def structure_funds(data: object, *, source: str | None = None) -> tuple[Fund, ...]:
    """Read a list of donation funds (household-format.md, Fund); fund ids must be unique within the list.

    Raises :class:`~assistkit.errors.InvalidFunds` (``source`` names the file), paths like ``[1].balance``.
    """
    if type(data) is not list and not isinstance(data, tuple):
        raise InvalidFunds(source, [("", f"expected a list of funds; got {show(data)}")])
    problems: Problems = []
    funds = [walk(FUND, item, f"[{i}]", problems) for i, item in enumerate(data)]
    seen: dict[str, str] = {}
    for i, item in enumerate(data):
        if isinstance(item, Mapping):
            ident = item.get("id")
            if isinstance(ident, str) and ident:
                where = seen.setdefault(ident, f"[{i}].id")
                if where != f"[{i}].id":
                    problems.append((f"[{i}].id", f"duplicate fund id {ident!r} (also {where})"))
    if problems:
        raise InvalidFunds(source, problems)
    return tuple(funds)


def check_dates(household: Household, on: dt.date) -> None:
    """Raise :class:`~assistkit.errors.InvalidHousehold` if a birth, expense or event date is after ``on``.

    household-format.md: these dates are "not after the assessment date", which is known only when assessing.
    """
    # Nearly always nothing is late: look without building anything first.
    for person in household.members:
        if person.birth_date > on:
            break
    else:
        for expense in household.expenses:
            if expense.date > on:
                break
        else:
            for event in household.events:
                if event.date > on:
                    break
            else:
                return
    problems = [
        (f"{where}[{i}].{name}",
         f"must not be after the assessment date {on.isoformat()}; got {day.isoformat()}")
        for where, items, name in (("members", household.members, "birth_date"),
                                   ("expenses", household.expenses, "date"),
                                   ("events", household.events, "date"))
        for i, item in enumerate(items)
        if (day := getattr(item, name)) > on
    ]
    if problems:
        raise InvalidHousehold(household.id, problems)
