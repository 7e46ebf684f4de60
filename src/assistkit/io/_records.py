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
import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, TypeAlias

from ..errors import InvalidFunds, InvalidHousehold
from ..household import (
    Adl,
    Asset,
    AssetKind,
    DilapidatedGrade,
    Enrolment,
    EnrolmentProgramme,
    Event,
    EventKind,
    Expense,
    ExpenseKind,
    Extensions,
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
    FAST_FORMS,
    FAST_NAMES,
    Bad,
    GiveUp,
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
    open_enum,
    positive_count,
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
    "Partial",
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
    "check_obligors",
    "check_person",
    "extensions",
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
    """The value of a field given but not read (its problem is already reported), and the record of a list
    item that is not an object. False, as an empty list: nothing in it to check."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return False

    def __getattr__(self, name: str) -> _Invalid:
        return self  # a list item that is not an object: none of its values read

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()


class Spec:
    """How to read a model class: JSON key → (attribute, parser, flags); required keys; cross-field check.

    ``check(record, report)`` reads the record's attributes — on the object the fast reader is building, or on
    the :class:`Partial` record of the reference reader — and reports what breaks a rule. ``check_keys``:
    optional keys without which ``check`` reports nothing (``None`` when it may report in any record), so the
    fast reader calls it only for a record with one of them.
    """

    __slots__ = ("cls", "fields", "required", "check", "check_keys")

    def __init__(self, cls: type, fields: dict[str, tuple[str, Callable[..., Any], int]],
                 required: tuple[str, ...], check: Callable[[Any, Report], None] | None = None,
                 check_keys: tuple[str, ...] | None = None) -> None:
        assert check_keys is None or not set(check_keys) & set(required), "check_keys are optional keys"
        self.cls = cls
        self.fields = fields
        self.required = required
        self.check = check
        self.check_keys = check_keys


class Partial:
    """A record as the reference reader has read it: the attributes given (:data:`INVALID` for one that did
    not read); any other is ``None``, not given. What the cross-field checks read before the object is built,
    and what stands for a record that cannot be built, so that the household's checks still count its id."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> None:
        return None


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
    """Read one record: every problem is appended to ``problems``; the object, or (with problems) its
    :class:`Partial` record, or :data:`INVALID` for what is not an object."""
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

        check(Partial(kwargs), report)
    if len(problems) > before:
        return Partial(kwargs)
    return spec.cls(**kwargs)


class One:
    """A nested record (``spec`` is also read by the fast reader)."""

    __slots__ = ("spec",)

    def __init__(self, spec: Spec) -> None:
        self.spec: Final = spec

    def __call__(self, value: object, path: str, problems: Problems) -> Any:
        return walk(self.spec, value, path, problems)


class ListOf:
    """A list of records, each read (or its :class:`Partial` record); ``spec`` is also read by the fast
    reader."""

    __slots__ = ("spec",)

    def __init__(self, spec: Spec) -> None:
        self.spec: Final = spec

    def __call__(self, value: object, path: str, problems: Problems) -> Any:
        if type(value) is not list and not isinstance(value, tuple):
            problems.append((path, f"expected a list; got {show(value)}"))
            return INVALID
        return tuple([walk(self.spec, item, f"{path}[{i}]", problems) for i, item in enumerate(value)])


def _enum_list(cls: type, parse_item: Callable[[object], Any] | None = None) -> Callable[[object, str, Problems], Any]:
    parse_item = enum(cls) if parse_item is None else parse_item

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


_statuses = _enum_list(Status)
"""An obligor household's statuses (a list of status words)."""


def _fast_statuses(value: object) -> tuple[Status, ...]:
    """The fast reader's form of :data:`_statuses`: the reference parser's list, or :class:`GiveUp` at any
    problem (the reference reader then reports it)."""
    problems: Problems = []
    items = _statuses(value, "", problems)
    if problems:
        raise GiveUp
    return items  # type: ignore[no-any-return]


FAST_FORMS[_statuses] = "v = statuses(v)"
FAST_NAMES["statuses"] = _fast_statuses


def extensions(value: object, path: str, problems: Problems) -> Any:
    """The extension block (``ext``): an object of namespaces, each an object of facts, kept as given. Its
    namespaces and facts are the installed programmes' declarations, which the engine checks
    (:mod:`assistkit.declared`); here only the shape."""
    if type(value) is not dict and not isinstance(value, Mapping):
        problems.append((path, f"expected an object of namespaces such as {{\"heating\": {{…}}}}; got {show(value)}"))
        return INVALID
    before = len(problems)
    for key, facts in value.items():
        if not isinstance(key, str) or not key or not key.isprintable():
            problems.append((path, f"a namespace must be a programme's name; got {show(key)}"))
        elif type(facts) is not dict and not isinstance(facts, Mapping):
            problems.append((at(path, key), f"expected an object of facts; got {show(facts)}"))
    return INVALID if len(problems) > before else Extensions({key: dict(facts) for key, facts in value.items()})


# ------------------------------------------------------------------------------------------------------------
# Cross-field checks (household-format.md). Each reads a record's values (None: not given; INVALID: given, did
# not read, already reported) and reports what breaks a rule; both readers call them.
# ------------------------------------------------------------------------------------------------------------

# Members compared in the checks of every income and every household: module names, which are quicker to read
# than an enum's attributes (benchmarks/README.md, issue 23's round).
_CASUAL: Final = IncomeCategory.CASUAL
_FARM: Final = IncomeCategory.FARM
_HEAD: Final = Relationship.HEAD

EARLIEST_BIRTH_YEAR: Final = 1900
"""A birth date before this year is a typing error (data-format.md, "Rules the spec leaves open")."""


def check_person(person: Any, report: Report) -> None:
    """Person: a plausible birth year (from :data:`EARLIEST_BIRTH_YEAR`); the identity number encodes the birth
    date (GB 11643, characters 7–14)."""
    number, birth = person.id_number, person.birth_date
    if birth is None or birth is INVALID:
        return
    if birth.year < EARLIEST_BIRTH_YEAR:
        report("birth_date", f"a birth year before {EARLIEST_BIRTH_YEAR} is not plausible")
    if number is None or number is INVALID:
        return
    encoded = number[6:14]
    if encoded != f"{birth.year:04d}{birth.month:02d}{birth.day:02d}":
        report("id_number", f"encodes the birth date {encoded[:4]}-{encoded[4:6]}-{encoded[6:]}, "
                            f"but birth_date is {birth.isoformat()}")


def check_income(income: Any, report: Report) -> None:
    """Income: one month, or ``from`` and ``to`` (not before ``from``); an amount, except for casual income
    with days or farm income with land; days only for casual income, land only for farm income."""
    first, last = income.from_, income.to
    if income.month is not None:
        if first is not None or last is not None:
            report("month", "give either month, or from and to; not both")
    elif first is None or last is None:
        if first is not None:
            report("to", "required with from (the months covered, inclusive)")
        elif last is not None:
            report("from", "required with to (the months covered, inclusive)")
        else:
            report("month", "required: give month, or from and to")
    elif first is not INVALID and last is not INVALID and (
            last.year < first.year or last.year == first.year and last.month < first.month):
        report("to", f"must not be before from ({first}); got {last}")
    days, land = income.days, income.land_mu
    if days is None and land is None and income.amount is not None:
        return  # the usual income: an amount, and neither days nor land
    category = income.category
    if category is None or category is INVALID:
        return
    if income.amount is None:
        if category is _CASUAL:
            if days is None:
                report("amount", "required for casual income unless days are given")
        elif category is _FARM:
            if land is None:
                report("amount", "required for farm income unless land_mu is given")
        else:
            report("amount", f"required for category {category.value!r} "
                             "(null only for casual with days or farm with land_mu)")
    if days is not None and category is not _CASUAL:
        report("days", f"only for category 'casual'; got category {category.value!r}")
    if land is not None and category is not _FARM:
        report("land_mu", f"only for category 'farm'; got category {category.value!r}")


def check_expense(expense: Any, report: Report) -> None:
    """Expense: ``in_scope`` ≤ ``total``; ``insurance_paid`` ≤ ``in_scope``, which defaults to ``total``."""
    total, in_scope, paid = expense.total, expense.in_scope, expense.insurance_paid
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


def check_event(event: Any, report: Report) -> None:
    """Event: ``compensated`` ≤ ``loss``; damage to the dwelling and people who died only for a disaster."""
    loss, compensated = event.loss, event.compensated
    if loss is not None and loss is not INVALID and compensated is not None and compensated is not INVALID:
        if compensated > loss:
            report("compensated", f"must be ≤ loss ({format_money(loss)}); got {format_money(compensated)}")
    kind = event.kind
    if kind is None or kind is INVALID or kind is EventKind.DISASTER:
        return
    damage, deceased = event.house_damage, event.deceased
    if damage is not None and damage is not INVALID and damage is not HouseDamage.NONE:
        report("house_damage", f"only for kind 'disaster'; got kind {kind.value!r} with {damage.value!r}")
    if deceased is not None and deceased is not INVALID and deceased:
        report("deceased", f"only for kind 'disaster'; got kind {kind.value!r} with {deceased}")


def check_housing(housing: Any, report: Report) -> None:
    """Housing: a dilapidated grade only with tenure ``owned``."""
    tenure = housing.tenure
    if (housing.dilapidated_grade is not None and tenure is not None and tenure is not INVALID
            and tenure is not Tenure.OWNED):
        report("dilapidated_grade", f"only with tenure 'owned'; got tenure {tenure.value!r}")


def check_enrolment(enrolment: Any, report: Report) -> None:
    """Enrolment: nothing the reader can check alone. ``gradual_exit_from`` only for a programme that declares a
    gradual exit (§6.7) is checked with the installed programmes' declarations (:mod:`assistkit.declared`), as
    the enrolment's programme is."""


def check_fund(fund: Any, report: Report) -> None:
    """Fund: ``valid_to`` not before ``valid_from``."""
    first, last = fund.valid_from, fund.valid_to
    if first is None or first is INVALID or last is None or last is INVALID:
        return
    if first > last:
        report("valid_to", f"must not be before valid_from ({first}); got {last}")


def check_household(household: Any, report: Report) -> None:
    """Household: at least one member and exactly one head; ids unique among the members and among the needs
    (expenses and events); every member and need a record names is there. A record that did not read still
    counts with what did (its id, its relationship); a list that is not one has nothing to check. The loops
    only look; where something is wrong, the ``_report_`` functions find each place and say what."""
    # None is among the ids: a record without a member is the household's, a payment without a need is not
    # tied to one.
    incomes, assets, expenses = household.incomes or (), household.assets or (), household.expenses or ()
    events, enrolments, history = household.events or (), household.enrolments or (), household.history or ()
    members = household.members
    if type(members) is tuple:
        people: set[Any] = {None}
        heads = 0
        for person in members:
            people.add(person.id)
            if person.relationship is _HEAD:
                heads += 1
        if len(people) != len(members) + 1:
            _report_duplicates((("members", members),), report)
        if heads != 1:
            _report_heads(members, report)
        if household.obligors:
            check_obligors(household.obligors, members, people, report)
        for record in incomes + assets + expenses + enrolments + history:
            if record.member not in people:
                for path, records in (("incomes", incomes), ("assets", assets), ("expenses", expenses),
                                      ("enrolments", enrolments), ("history", history)):
                    _report_references(records, path, "member", members, "member", report)
                break
    if expenses or events or history:
        needs: set[Any] = {None}
        for expense in expenses:
            needs.add(expense.id)
        for event in events:
            needs.add(event.id)
        if len(needs) != len(expenses) + len(events) + 1:
            _report_duplicates((("expenses", expenses), ("events", events)), report)
        for payment in history:
            if payment.need not in needs:
                _report_references(history, "history", "need", expenses + events, "expense or event", report)
                break


def check_obligors(obligors: object, members: tuple[Any, ...], people: set[Any], report: Report) -> None:
    """Household: every member an obligor supports is there (china-rules.md §3.6). A list that is not one has
    nothing to check; ``people`` holds the members' ids and ``None`` (the household)."""
    if type(obligors) is not tuple:
        return
    for record in obligors:
        if record.member not in people:
            _report_references(obligors, "obligors", "member", members, "member", report)
            return


def _report_duplicates(groups: tuple[tuple[str, tuple[Any, ...]], ...], report: Report) -> None:
    """Report each id already used by an earlier record of ``groups`` (one id space)."""
    first: dict[str, str] = {}
    for path, records in groups:
        for i, record in enumerate(records):
            ident = record.id
            if isinstance(ident, str):
                where = first.setdefault(ident, f"{path}[{i}].id")
                if where != f"{path}[{i}].id":
                    report(f"{path}[{i}].id", f"duplicate id {ident!r} (also {where})")


def _report_heads(members: tuple[Any, ...], report: Report) -> None:
    """Report no member, no head or a second head."""
    heads = [i for i, person in enumerate(members) if person.relationship is _HEAD]
    if not members:
        report("members", "must list at least one member")
    elif not heads:
        # A member whose relationship did not read may be the head: "none" would then be a false alarm.
        if all(isinstance(person.relationship, Relationship) for person in members):
            report("members", "exactly one member must have relationship 'head'; found none")
    for i in heads[1:]:
        report(f"members[{i}].relationship", f"a second head: members[{heads[0]}] is already the head")


def _report_references(records: tuple[Any, ...], path: str, key: str, owners: tuple[Any, ...], what: str,
                       report: Report) -> None:
    """Report each ``records[i].key`` that names no id of ``owners``."""
    ids = dict.fromkeys(owner.id for owner in owners if isinstance(owner.id, str))
    # At most ten ids in the message: it stays short, and the check linear, however many references are bad.
    known = ", ".join(itertools.islice(ids, 10)) + (f", … ({len(ids)} in all)" if len(ids) > 10 else "") or "none"
    for i, record in enumerate(records):
        ref = getattr(record, key)
        if isinstance(ref, str) and ref not in ids:
            report(f"{path}[{i}].{key}", f"no {what} has id {ref!r} (ids: {known})")


# ------------------------------------------------------------------------------------------------------------
# The tables.
# ------------------------------------------------------------------------------------------------------------

SCHOOL = Spec(School, {
    "stage": ("stage", enum(Stage), 0),
    "boarding": ("boarding", boolean, 0),
    "tuition": ("tuition", money, 0),
}, ("stage",))

ADL = Spec(Adl, {
    "eating": ("eating", boolean, 0),
    "dressing": ("dressing", boolean, 0),
    "transferring": ("transferring", boolean, 0),
    "toileting": ("toileting", boolean, 0),
    "walking": ("walking", boolean, 0),
    "bathing": ("bathing", boolean, 0),
}, ("eating", "dressing", "transferring", "toileting", "walking", "bathing"))  # an assessment covers all six

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
    "marital_status": ("marital_status", enum(MaritalStatus), NULLABLE),
    "single_parent": ("single_parent", boolean, 0),
    "adl": ("adl", One(ADL), NULLABLE | NESTED),
    "ext": ("ext", extensions, NESTED),
}, ("id", "name", "birth_date", "relationship"), check_person)  # every person: the birth year

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
}, ("category",), check_income)

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
}, ("id", "member", "kind", "date", "total"), check_expense, check_keys=("in_scope", "insurance_paid"))

EVENT = Spec(Event, {
    "id": ("id", ident, 0),
    "kind": ("kind", enum(EventKind), 0),
    "date": ("date", date, 0),
    "loss": ("loss", money, 0),
    "compensated": ("compensated", money, 0),
    "house_damage": ("house_damage", enum(HouseDamage), 0),
    "deceased": ("deceased", count, 0),
    "duration_months": ("duration_months", count, NULLABLE),
}, ("id", "kind", "date", "loss"), check_event, check_keys=("compensated", "house_damage", "deceased"))

OBLIGOR = Spec(Obligor, {
    "relationship": ("relationship", enum(ObligorRelationship), 0),
    "member": ("member", string, NULLABLE),
    "household_income": ("household_income", money, 0),
    "household_size": ("household_size", positive_count, 0),
    "households_supported": ("households_supported", positive_count, 0),
    "statuses": ("statuses", _statuses, NESTED),
    "agreed_amount": ("agreed_amount", money, NULLABLE),
}, ("relationship", "household_income", "household_size"))

HOUSING = Spec(Housing, {
    "tenure": ("tenure", enum(Tenure), 0),
    "floor_area": ("floor_area", decimal, 0),
    "monthly_rent": ("monthly_rent", money, 0),
    "dilapidated_grade": ("dilapidated_grade", enum(DilapidatedGrade), NULLABLE),
    "properties_owned": ("properties_owned", count, 0),
}, ("tenure",), check_housing, check_keys=("dilapidated_grade",))

ENROLMENT = Spec(Enrolment, {
    "programme": ("programme", open_enum(EnrolmentProgramme), 0),
    "member": ("member", string, NULLABLE),
    "since": ("since", date, 0),
    "monthly_amount": ("monthly_amount", money, 0),
    "gradual_exit_from": ("gradual_exit_from", date, NULLABLE),
}, ("programme", "since", "monthly_amount"), check_enrolment, check_keys=("gradual_exit_from",))

PAYMENT = Spec(PastPayment, {
    "programme": ("programme", open_enum(PaymentProgramme), 0),
    "kind": ("kind", open_enum(PaymentKind), 0),
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
    "obligors": ("obligors", ListOf(OBLIGOR), NESTED),
    "ext": ("ext", extensions, NESTED),
}, ("id", "residence", "members"), check_household)

FUND = Spec(Fund, {
    "id": ("id", ident, 0),
    "name": ("name", string, 0),
    "balance": ("balance", money, 0),
    "need_kinds": ("need_kinds", _enum_list(NeedKind), NESTED),
    "statuses": ("statuses", _enum_list(Status, open_enum(Status)), NESTED),  # open: assistkit.declared
    "per_household_cap": ("per_household_cap", positive_money, 0),
    "valid_from": ("valid_from", date, 0),
    "valid_to": ("valid_to", date, 0),
}, ("id", "name", "balance", "need_kinds", "per_household_cap", "valid_from", "valid_to"), check_fund)

SPECS: Final = (SCHOOL, ADL, PERSON, INCOME, ASSET, EXPENSE, EVENT, OBLIGOR, HOUSING, ENROLMENT, PAYMENT)
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
