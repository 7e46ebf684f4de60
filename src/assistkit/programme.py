"""What a programme is and what it sees: :class:`Programme`, :class:`Context` and the result types.

A plugin registers :class:`Programme` instances (hook ``assistkit_register_programmes``). For each household the
engine calls ``programme.assess(ctx)`` in linkage order with one :class:`Context`, which gives the household,
the date, the resolved parameters, the statuses so far, the needs ledger and the means-test helpers, and records
what the programme decides: statuses, payments, monthly amounts, in-kind benefits and reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, NamedTuple

from attrs import frozen

from . import means
from .capacity import _cannot_work_at
from .declared import Fact
from .explain import _NO_VALUES, Reason, Rule, _new
from .household import LIVING_KINDS, Fund, Household, Person, Residence
from .linkage import NO_STATUS_RULES, StatusBook, StatusDeclaration, StatusRules, needs_ledger
from .money import ZERO
from .periods import age_on
from .policy import Parameters

try:
    from mypy_extensions import mypyc_attr
except ImportError:  # only a build compiled by mypyc reads it (hatch_build.py); mypy brings it to that build

    def mypyc_attr(*attrs: str, **kwattrs: object) -> Any:  # type: ignore[misc]
        return lambda cls: cls


__all__ = [
    "PHASES",
    "Context",
    "Payment",
    "Programme",
    "ProgrammeError",
    "ProgrammeResult",
    "Reason",
    "Rule",
    "RuleOverride",
]


# Plugins subclass it in Python, which a build compiled by mypyc allows only when told (a no-op otherwise).
@mypyc_attr(allow_interpreted_subclasses=True)
class Programme:
    """Base class of a programme (救助项目). Subclass it, set the class attributes, implement :meth:`assess`.

    - ``name``: the programme's id, one of output-format.md's names for the built-ins.
    - ``title_zh`` / ``title_en``: titles for explanations.
    - ``grants``: statuses this programme may grant (``"dibao"``, …).
    - ``statuses``: a :class:`~assistkit.linkage.StatusDeclaration` for each status it grants: its words, its
      rank in the person-status rule, what it excludes (§14.4), whether its holders leave the dibao unit (§2.4).
    - ``after``: programmes that must run before this one (must be installed; §14.1).
    - ``after_if_present``: programmes that run before this one when they are installed.
    - ``before``: programmes that run after this one when they are installed.
    - ``phase``: ``"main"``, or ``"last"`` for a programme that pays from what remains of needs after every
      main-phase programme (donations, §13.2): every ``"last"`` programme runs after every ``"main"`` one.
    - ``replaces``: this programme takes the place of the installed programme of the same name (a locality's
      own version of a bundled programme); without it, two programmes of one name are a load error.
    - ``recurring``: whether the programme pays a monthly amount compared with ``enrolments`` (§15.2); its name
      is then an enrolment programme of the format.
    - ``gradual_exit``: whether a recurring programme has a gradual exit (§6.7): its enrolments may then carry
      ``gradual_exit_from`` (the household format allows it for dibao and for the programmes that declare it).
    - ``payment_kinds``: the payment kinds it records that household-format.md lacks (its name is a payment
      programme of the format already): ``history`` may name them (:class:`~assistkit.declared.Declared`).
    - ``facts``: a :class:`~assistkit.declared.Fact` for each fact it reads that the format lacks, given in the
      household's (or a member's) extension block under the programme's name: ``"ext": {"<name>": {…}}``.
    - ``reads``: every fact it reads, core fields and its extension facts (``"members.birth_date"``,
      ``"incomes"``, ``"ext.heating.heated_area"``, ``"members.ext.heating.insulated"``): listed by
      ``assistkit plugins --reads``, and checked by :func:`assistkit.testing.reads.undeclared_reads`; ``None``
      (the default) when not declared, ``()`` when it reads no fact of the household.
    - ``parameters``: names of the parameters the programme reads (checked by the conformance suite).
    - ``rules``: rule id → :class:`Rule` for every reason id the programme emits.
    - ``rule_points``: rule id → what it decides, for each rule another plugin may replace through
      ``assistkit_override_rules`` (:class:`RuleOverride`); the programme obtains it with :meth:`Context.use`.
    """

    name: ClassVar[str] = ""
    title_zh: ClassVar[str] = ""
    title_en: ClassVar[str] = ""
    grants: ClassVar[tuple[str, ...]] = ()
    statuses: ClassVar[tuple[StatusDeclaration, ...]] = ()
    after: ClassVar[tuple[str, ...]] = ()
    after_if_present: ClassVar[tuple[str, ...]] = ()
    before: ClassVar[tuple[str, ...]] = ()
    phase: ClassVar[str] = "main"
    replaces: ClassVar[bool] = False
    recurring: ClassVar[bool] = False
    gradual_exit: ClassVar[bool] = False
    payment_kinds: ClassVar[tuple[str, ...]] = ()
    facts: ClassVar[tuple[Fact, ...]] = ()
    reads: ClassVar[tuple[str, ...] | None] = None
    parameters: ClassVar[tuple[str, ...]] = ()
    rules: ClassVar[Mapping[str, Rule]] = {}
    rule_points: ClassVar[Mapping[str, str]] = {}

    def assess(self, ctx: Context) -> None:
        """Assess ``ctx.household`` on ``ctx.on`` and record the outcome through ``ctx``."""
        raise NotImplementedError(f"{type(self).__name__}.assess")

    def __repr__(self) -> str:
        return f"<Programme {self.name}>"


PHASES: tuple[str, ...] = ("main", "last")
"""The phases of :attr:`Programme.phase`, in the order they run."""


@frozen
class RuleOverride:
    """A replacement for one rule point of an installed programme (``Programme.rule_points``), returned by the
    hook ``assistkit_override_rules``: the programme calls ``function`` where it would call its own rule.

    ``function`` takes the same arguments as the rule it replaces and returns the same kind of value (the
    programme's docs say which); ``note_zh`` / ``note_en`` say what the locality changed, for explanations.
    """

    rule: str
    function: Callable[..., Any]
    note_zh: str = ""
    note_en: str = ""


class Payment(NamedTuple):
    """One amount paid (or an in-kind benefit of amount 0) by a programme, in the order paid.

    A named tuple, not an attrs class, like :class:`~assistkit.explain.Reason` (the hot path).
    """

    programme: str
    kind: str
    amount: Decimal
    member: str | None = None
    need: str | None = None
    approval: str | None = None
    advance: Decimal | None = None
    fund: str | None = None
    rule: str | None = None


@frozen
class ProgrammeError:
    """A programme that raised, or was not assessed because one it comes after failed."""

    programme: str
    plugin: str
    message: str
    cause: str | None = None


class ProgrammeResult(NamedTuple):
    """What one programme decided for one household.

    A named tuple, not an attrs class, like :class:`~assistkit.explain.Reason`: a household's assessment builds
    one per programme that records anything, and a tuple is the cheapest immutable value Python builds.
    """

    name: str
    eligible: bool
    monthly: Decimal
    monthly_by_member: Mapping[str | None, Decimal]
    one_off: Decimal
    payments: tuple[Payment, ...]
    reasons: tuple[Reason, ...]
    in_kind: tuple[str, ...] = ()
    granted: tuple[tuple[str | None, str], ...] = ()
    extras: Mapping[str, Any] = {}
    error: ProgrammeError | None = None
    monthly_parts: tuple[tuple[str | None, Decimal, str | None], ...] = ()


class _ReadOnlyDict(dict):  # type: ignore[type-arg]
    """An empty mapping shared by the results of programmes that had nothing to say: a ``dict`` (so it encodes,
    compares and copies as one) that refuses every change, and pickles as a plain ``dict``."""

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("the result of a programme is read-only")

    __setitem__ = _read_only
    __delitem__ = _read_only
    __ior__ = _read_only
    clear = _read_only
    pop = _read_only
    popitem = _read_only
    setdefault = _read_only
    update = _read_only

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))


_NOTHING: dict[Any, Any] = _ReadOnlyDict()
"""The empty ``monthly_by_member`` and ``extras`` of every result that has none."""


class _ContextValues:
    """What a context reads from the parameters, made once per date (:meth:`Parameters.derived`): the means-test
    parameters, and S (§1.5) with the name of its parameter for each residence whose standard is set."""

    __slots__ = ("means", "standards")

    def __init__(self, params: Parameters) -> None:
        self.means = means._dated(params)
        self.standards: dict[str, tuple[Any, str]] = {
            residence: (params[name], name) for residence, name in _STANDARD_PARAM.items() if name in params
        }


class Context:
    """Everything a programme sees while assessing one household, and the way to record its decisions.

    Read: ``household``, ``on``, ``params``, ``standard`` (S, §1.5) and ``standard_param`` (the name of the
    parameter S is, ``standard.urban`` or ``standard.rural``, for reasons), ``member_ids`` (the members' ids in
    household order), ``statuses`` (:class:`StatusBook`), ``needs`` (:class:`NeedsLedger`), ``funds`` (donation
    funds, or ``None``), and the means-test helpers :meth:`income`, :meth:`own_income`, :meth:`assets`,
    :meth:`age`, :meth:`cannot_work`, :meth:`able_to_work`.

    Write (for the programme being assessed): :meth:`grant`, :meth:`pay`, :meth:`add_monthly`, :meth:`in_kind`,
    :meth:`reason`, :meth:`set`, and :meth:`report_income` for the determination's ``income`` section.
    Statuses granted become visible to later programmes once this programme finishes.
    """

    __slots__ = (
        "household", "on", "params", "standard", "standard_param", "member_ids", "statuses", "needs", "funds",
        "income_report", "_means", "_income_cache", "_own_cache", "_ages", "_unable", "_name", "_recorded",
        "_monthly", "_payments", "_reasons", "_in_kind", "_grants", "_extras", "_members", "_monthly_parts",
        "_overrides",
    )

    def __init__(
        self,
        household: Household,
        on: dt.date,
        params: Parameters,
        *,
        funds: Sequence[Fund] | None = None,
        statuses: StatusRules = NO_STATUS_RULES,
        overrides: Mapping[str, tuple[Callable[..., Any], Reason]] = _NOTHING,
    ) -> None:
        dated = params.derived(_ContextValues) if type(params) is Parameters else _ContextValues(params)
        residence = household.residence
        standard = dated.standards.get(residence)
        if standard is None:
            standard = (params.standard(residence), _STANDARD_PARAM[residence])  # raises what a bad one is
        self.household = household
        self.on = on
        self.params = params
        self.standard: Decimal = standard[0]
        self.standard_param: str = standard[1]
        self.member_ids: tuple[str, ...] = tuple([person.id for person in household.members])
        self.statuses = StatusBook(statuses)
        self._overrides = overrides
        self.needs = needs_ledger(household)
        self.funds = funds
        self.income_report: means.IncomeAccount | None = None
        self._means = dated.means
        self._income_cache: dict[tuple[str, ...], means.IncomeAccount] = {}
        self._own_cache: dict[str, Decimal] = {}
        self._ages: dict[str, int] = {}
        self._unable: dict[str, bool] = {}
        self._members: dict[str, Person] | None = None
        self._name = ""
        self._recorded = False  # whether the programme being assessed has recorded anything yet
        # What the programme being assessed records. Most programmes record reasons and little else, so the other
        # accumulators start as the shared empty tuple or mapping, which cost nothing to make or to hand over to a
        # result; the first record makes a tuple (grown by concatenation: a few items at most) or a dict.
        self._reasons: list[Reason] = []
        self._monthly: dict[str | None, Decimal] = _NOTHING
        self._monthly_parts: tuple[tuple[str | None, Decimal, str | None], ...] = ()
        self._payments: tuple[Payment, ...] = ()
        self._in_kind: tuple[str, ...] = ()
        self._grants: tuple[tuple[str | None, str], ...] = ()
        self._extras: dict[str, Any] = _NOTHING

    # -- the means-test helpers (§2–§4), cached per household ---------------------------------------------

    def person(self, member: str) -> Person:
        """The member with id ``member``."""
        members = self._members
        if members is None:
            members = self._members = {p.id: p for p in self.household.members}
        return members[member]

    def age(self, person: Person) -> int:
        """Whole years completed on ``on`` (§1.2)."""
        age = self._ages.get(person.id)
        if age is None:
            age = self._ages[person.id] = age_on(person.birth_date, self.on)
        return age

    def cannot_work(self, person: Person) -> bool:
        """§2.2."""
        pid = person.id
        unable = self._unable.get(pid)
        if unable is None:
            age = self._ages.get(pid)
            if age is None:
                age = self._ages[pid] = age_on(person.birth_date, self.on)
            unable = self._unable[pid] = _cannot_work_at(person, age)
        return unable

    def able_to_work(self, person: Person) -> bool:
        """§2.3."""
        unable = self._unable.get(person.id)
        if unable is None:
            unable = self.cannot_work(person)
        return not unable

    def _ids(self, people: Sequence[str]) -> tuple[str, ...]:
        """``people`` in household order (a ``KeyError`` for a non-member)."""
        ids = people if type(people) is tuple else tuple(people)
        if ids == self.member_ids:
            return ids  # the usual set: everyone, in that order already
        return means._ordered(self.household, ids)

    def income(self, people: Sequence[str]) -> means.IncomeAccount:
        """Income accounting (§3) over ``people`` (ids), cached for this household."""
        key = people if type(people) is tuple else tuple(people)
        account = self._income_cache.get(key)
        if account is None:
            account = self._income_cache[key] = means._account(
                self.household, self._ids(key), self.on, self._means, self.standard
            )
        return account

    def _forget_cached(self) -> None:
        """Forget what the means-test helpers have cached, so that the next call works it out again from the
        household: the reads check (:mod:`assistkit.testing.reads`) calls it before each programme's turn, so that
        a programme is credited with the household facts behind every result it asks for, not only those it was
        the first to ask for. Never called in an assessment."""
        self._income_cache.clear()
        self._own_cache.clear()
        self._ages.clear()
        self._unable.clear()

    def own_income(self, member: str) -> Decimal:
        """A person's own monthly income (§3.8), cached."""
        value = self._own_cache.get(member)
        if value is None:
            value = self._own_cache[member] = means._own_income(self.household, member, self.on, self._means)
        return value

    def assets(self, people: Sequence[str], multiple: Decimal, limit: Decimal | None = None) -> means.AssetTest:
        """The asset test (§4) over ``people`` with multiple M, or with a financial ``limit`` per person that is
        not a multiple of S (china-rules §4)."""
        return means._test_assets(self.household, self._ids(people), multiple, self.standard, self._means, limit)

    def person_status(self, member: str) -> str | None:
        """The person-status rule (parameters.md, last line)."""
        return self.statuses.person_status(member)

    def use(self, rule: str, default: Callable[..., Any]) -> Callable[..., Any]:
        """The function in force for the rule point ``rule`` (declared in ``Programme.rule_points``): the
        override a plugin gave for it (:class:`RuleOverride`), else ``default``, the programme's own rule.

        Using an override records the reason ``rule.override``, which names the rule and the plugin, once.
        """
        overrides = self._overrides
        if overrides:
            found = overrides.get(rule)
            if found is not None:
                function, reason = found
                if reason not in self._reasons:
                    self._recorded = True
                    self._reasons.append(reason)
                return function
        return default

    # -- recording -----------------------------------------------------------------------------------------

    @property
    def programme(self) -> str:
        """The name of the programme being assessed."""
        return self._name

    def grant(self, status: str, member: str | None = None) -> None:
        """Grant ``status`` to the household (``member=None``) or to a member."""
        self._recorded = True
        self._grants += ((member, status),)

    def pay(
        self,
        kind: str,
        amount: Decimal,
        *,
        member: str | None = None,
        need: str | None = None,
        approval: str | None = None,
        advance: Decimal | None = None,
        fund: str | None = None,
        rule: str | None = None,
    ) -> Decimal:
        """Record a one-off payment (or an in-kind one of amount 0); returns what was actually paid.

        A payment toward a ``need`` goes through the needs ledger and is clamped to what remains of it
        (§14.2); when clamping changes the amount a ``linkage.clamped`` reason says so, and a payment clamped
        to zero is not recorded. A payment of one of :data:`~assistkit.household.LIVING_KINDS` only names
        its need (the event whose victims it supports, §D.6): it is neither limited by the need nor counted
        toward it (§14.0).
        """
        if type(amount) is not Decimal:
            raise TypeError(f"{self._name}: payment amount must be a Decimal, got {type(amount).__name__}")
        self._recorded = True
        if need is not None and kind in LIVING_KINDS:
            if need not in self.needs.needs:
                raise KeyError(f"{self._name} named unknown need {need!r}")
        elif need is not None:
            paid = self.needs.pay(self._name, need, amount)
            if paid != amount:
                self._reasons.append(
                    Reason("linkage.clamped", {"need": need, "requested": amount, "paid": paid, "kind": kind})
                )
                if paid == ZERO:
                    return ZERO
            amount = paid
            if advance is not None and advance > amount:
                advance = amount
        self._payments += (_new(Payment, (self._name, kind, amount, member, need, approval, advance, fund, rule)),)
        return amount

    def add_monthly(self, amount: Decimal, member: str | None = None, *, rule: str | None = None) -> None:
        """Add a recurring monthly amount, for the household (``member=None``) or a member, citing ``rule``."""
        if type(amount) is not Decimal:
            raise TypeError(f"{self._name}: monthly amount must be a Decimal, got {type(amount).__name__}")
        self._recorded = True
        monthly = self._monthly
        if not monthly:
            monthly = self._monthly = {}
        monthly[member] = monthly.get(member, ZERO) + amount
        self._monthly_parts += ((member, amount, rule),)

    def in_kind(self, benefit: str) -> None:
        """Record an in-kind benefit flag such as ``public_rental_priority``."""
        self._recorded = True
        self._in_kind += (benefit,)

    def reason(self, rule: str, values: Mapping[str, Any] | None = None, params: tuple[str, ...] = ()) -> None:
        """Record why: the rule id, the values used and the names of the parameters read."""
        self._recorded = True
        if values is None and not params:
            # A reason with no values is the same in every determination (reasons are immutable): one per rule id.
            reason = _BARE.get(rule)
            if reason is None:
                reason = _bare(rule)
            self._reasons.append(reason)
            return
        self._reasons.append(_new(Reason, (rule, values if values is not None else {}, params)))

    def reasons(self, reasons: Iterable[Reason]) -> None:
        """Record reasons made elsewhere, as they are (e.g. those of an :class:`~assistkit.means.AssetTest`)."""
        self._recorded = True
        self._reasons.extend(reasons)

    def set(self, key: str, value: Any) -> None:
        """Add an output key to this programme's JSON (e.g. ``threshold``); values must be JSON-ready."""
        self._recorded = True
        extras = self._extras
        if not extras:
            extras = self._extras = {}
        extras[key] = value

    def report_income(self, account: means.IncomeAccount) -> None:
        """Make ``account`` the determination's ``income`` section (the dibao unit's accounting)."""
        self.income_report = account


_STANDARD_PARAM = {Residence.URBAN: "standard.urban", Residence.RURAL: "standard.rural"}

_BARE: dict[str, Reason] = {}
"""The reasons without values recorded so far, by rule id (:meth:`Context.reason`); bounded like io's caches."""


def _bare(rule: str) -> Reason:
    reason = _new(Reason, (rule, _NO_VALUES, ()))  # values read-only, as Reason(rule) has them: it is shared
    if len(_BARE) < 4096:  # rule ids are a programme's few; a plugin making them up is not held in memory
        reason = _BARE.setdefault(rule, reason)
    return reason
