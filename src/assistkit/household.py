"""The household model of ``spec/household-format.md``: frozen attrs value types and closed vocabularies.

No I/O here: :mod:`assistkit.io` turns JSON into these objects (strictly) and back. Collections are tuples, so a
:class:`Household` is immutable and hashable-free of surprises; money is :class:`~decimal.Decimal` in yuan.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from attrs import field, frozen

from .periods import Month

__all__ = [
    "Adl",
    "Asset",
    "AssetKind",
    "DilapidatedGrade",
    "Enrolment",
    "EnrolmentProgramme",
    "Event",
    "Extensions",
    "EventKind",
    "Expense",
    "ExpenseKind",
    "Fund",
    "HouseDamage",
    "Household",
    "Housing",
    "Income",
    "IncomeCategory",
    "LabourCapacity",
    "MaritalStatus",
    "NeedKind",
    "Obligor",
    "ObligorRelationship",
    "PastPayment",
    "PaymentKind",
    "PaymentProgramme",
    "Person",
    "Relationship",
    "Residence",
    "School",
    "SelfCare",
    "Stage",
    "Status",
    "Tenure",
    "EMPTY_EXTENSIONS",
    "LIVING_KINDS",
    "MEDICAL_KINDS",
    "WORK_CATEGORIES",
]


class Residence(StrEnum):
    URBAN = "urban"
    RURAL = "rural"


class Relationship(StrEnum):
    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    GRANDCHILD = "grandchild"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    OTHER = "other"


class LabourCapacity(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class SelfCare(StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class MaritalStatus(StrEnum):
    """Marital status (婚姻状况): single-parent and survivor rules read it (china-rules.md §2.2, B1 §10(1))."""

    UNMARRIED = "unmarried"
    MARRIED = "married"
    DIVORCED = "divorced"
    WIDOWED = "widowed"


class ObligorRelationship(StrEnum):
    """What a supporting relative (义务人) is to the person they must support (china-rules.md §1.3): a child or
    grandchild owes support to an elder (赡养), a parent or grandparent to a child (抚养), a spouse or sibling to
    each other (扶养)."""

    CHILD = "child"
    GRANDCHILD = "grandchild"
    PARENT = "parent"
    GRANDPARENT = "grandparent"
    SPOUSE = "spouse"
    SIBLING = "sibling"


class Stage(StrEnum):
    PRESCHOOL = "preschool"
    PRIMARY = "primary"
    JUNIOR = "junior"
    SENIOR = "senior"
    VOCATIONAL = "vocational"
    UNDERGRADUATE = "undergraduate"


class IncomeCategory(StrEnum):
    WAGE = "wage"
    BUSINESS = "business"
    CASUAL = "casual"
    FARM = "farm"
    PROPERTY = "property"
    PENSION = "pension"
    SUPPORT = "support"
    TRANSFER = "transfer"
    OTHER = "other"


WORK_CATEGORIES = frozenset({IncomeCategory.WAGE, IncomeCategory.BUSINESS, IncomeCategory.CASUAL})
"""Income categories that are work income (§3.5)."""


class AssetKind(StrEnum):
    DEPOSIT = "deposit"
    SECURITIES = "securities"
    VEHICLE = "vehicle"
    HOUSE = "house"
    COMMERCIAL_PROPERTY = "commercial_property"


class ExpenseKind(StrEnum):
    INPATIENT = "inpatient"
    OUTPATIENT_CHRONIC = "outpatient_chronic"
    OUTPATIENT = "outpatient"
    TUITION = "tuition"


MEDICAL_KINDS = frozenset({ExpenseKind.INPATIENT, ExpenseKind.OUTPATIENT_CHRONIC, ExpenseKind.OUTPATIENT})
"""Expense kinds that are medical (§3.6, §14.0)."""


class EventKind(StrEnum):
    FIRE = "fire"
    ACCIDENT = "accident"
    SUDDEN_ILLNESS = "sudden_illness"
    DISASTER = "disaster"
    OTHER = "other"


class HouseDamage(StrEnum):
    """Damage a disaster did to the household's dwelling (an event's ``house_damage``, §D.3–§D.4)."""

    NONE = "none"
    DAMAGED = "damaged"
    SEVERE = "severe"
    COLLAPSED = "collapsed"


class Tenure(StrEnum):
    OWNED = "owned"
    RENTED = "rented"
    PUBLIC_RENTAL = "public_rental"
    NONE = "none"


class DilapidatedGrade(StrEnum):
    C = "C"
    D = "D"


# The four open vocabularies below are the core's part of each list: a household's values are checked against
# the union of these and the installed programmes' declarations (assistkit.declared), so the model holds them
# as plain strings (an enum member is one too).


class EnrolmentProgramme(StrEnum):
    TEKUN = "tekun"
    DIBAO = "dibao"
    HOUSING = "housing"


class PaymentProgramme(StrEnum):
    DIBAO = "dibao"
    TEKUN = "tekun"
    MEDICAL = "medical"
    EDUCATION = "education"
    HOUSING = "housing"
    TEMPORARY = "temporary"
    DONATIONS = "donations"
    # The addenda's disaster-victim relief (受灾人员救助, §D) and price-linkage subsidy (价格临时补贴, §P).
    DISASTER = "disaster"
    PRICE_SUBSIDY = "price_subsidy"


class PaymentKind(StrEnum):
    PREMIUM_SUBSIDY = "premium_subsidy"
    TREATMENT = "treatment"
    GRANT = "grant"
    TUITION_WAIVER = "tuition_waiver"
    RENTAL_SUBSIDY = "rental_subsidy"
    RENOVATION = "renovation"
    ALLOCATION = "allocation"
    MONTHLY = "monthly"
    # Disaster-victim relief (受灾人员救助, §D.2–§D.5).
    EMERGENCY_LIVING = "emergency_living"
    TRANSITIONAL_LIVING = "transitional_living"
    DWELLING = "dwelling"
    BEREAVEMENT = "bereavement"


LIVING_KINDS = frozenset({PaymentKind.EMERGENCY_LIVING, PaymentKind.TRANSITIONAL_LIVING, PaymentKind.BEREAVEMENT})
"""Payment kinds that name an event only to identify it (§D.6): they support living, so neither this
determination's payments of these kinds nor history's count toward the event's need (§14.0)."""


class NeedKind(StrEnum):
    """What a need is for (§13.1): the three medical expense kinds, tuition, or an emergency event."""

    MEDICAL = "medical"
    TUITION = "tuition"
    EMERGENCY = "emergency"


class Status(StrEnum):
    """Statuses that the core's programmes grant; the order of declaration is the person-status order
    (parameters.md). Installed programmes declare more (``Programme.statuses``)."""

    TEKUN = "tekun"
    DIBAO = "dibao"
    MARGINAL = "marginal"
    EXPENDITURE_HARDSHIP = "expenditure_hardship"


class Extensions(dict):  # type: ignore[type-arg]
    """The extension block of a household or a person: namespace → its facts (a read-only ``dict``, so it
    encodes, compares and copies as one). The reader keeps the values as given; the engine checks them against
    the installed programmes' declarations and gives the programmes typed values (assistkit.declared)."""

    __slots__ = ()

    def _read_only(self, *args: object, **kwargs: object) -> None:
        raise TypeError("a household's extension block is read-only")

    __setitem__ = _read_only
    __delitem__ = _read_only
    __ior__ = _read_only  # type: ignore[assignment]
    clear = _read_only
    pop = _read_only  # type: ignore[assignment]
    popitem = _read_only  # type: ignore[assignment]
    setdefault = _read_only  # type: ignore[assignment]
    update = _read_only  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(repr(sorted(self.items(), key=lambda item: str(item[0]))))

    def __reduce__(self) -> tuple[object, ...]:
        return (Extensions, (dict(self),))


EMPTY_EXTENSIONS: Extensions = Extensions()
"""The extension block of every household and person that has none."""


@frozen
class School:
    stage: Stage
    boarding: bool = False
    tuition: Decimal = Decimal("0.00")


@frozen
class Adl:
    """The six activities of daily living (日常生活活动) of the self-care assessment, each ``True`` when the person
    does it alone (N3 §21; china-rules.md §5.5)."""

    eating: bool
    dressing: bool
    transferring: bool
    toileting: bool
    walking: bool
    bathing: bool

    @property
    def failed(self) -> int:
        """How many of the six the person cannot do alone."""
        return 6 - (self.eating + self.dressing + self.transferring + self.toileting + self.walking
                    + self.bathing)


@frozen
class Person:
    id: str
    name: str
    birth_date: dt.date
    relationship: Relationship
    id_number: str | None = None
    disability_grade: int | None = None
    serious_illness: bool = False
    labour_capacity: LabourCapacity = LabourCapacity.FULL
    self_care: SelfCare = SelfCare.FULL
    school: School | None = None
    has_capable_supporter: bool = True
    orphan: bool = False
    refused_job_offers: int = 0
    marital_status: MaritalStatus | None = None
    """Not given: ``None`` (no rule reads it then)."""
    single_parent: bool = False
    """Raises a child alone (单亲), china-rules.md §3.7 (B1 §10(1))."""
    adl: Adl | None = None
    """The ADL assessment (§5.5) when one was made; self-care is then classified from it where the locality
    says so."""
    ext: Extensions = EMPTY_EXTENSIONS
    """Facts that installed programmes declare, by namespace (``"ext": {"heating": {…}}``; assistkit.declared)."""


@frozen
class Income:
    """An income record over one month (``month``) or the months ``from_``–``to`` inclusive (§3.1)."""

    category: IncomeCategory
    member: str | None = None
    kind: str = ""
    amount: Decimal | None = None
    month: Month | None = None
    from_: Month | None = None
    to: Month | None = None
    days: int | None = None
    land_mu: Decimal | None = None

    @property
    def first(self) -> Month:
        """First month covered."""
        return self.month if self.month is not None else self.from_  # type: ignore[return-value]

    @property
    def last(self) -> Month:
        """Last month covered."""
        return self.month if self.month is not None else self.to  # type: ignore[return-value]


@frozen
class Asset:
    kind: AssetKind
    value: Decimal
    member: str | None = None
    exempt: bool = False


@frozen
class Expense:
    id: str
    member: str
    kind: ExpenseKind
    date: dt.date
    total: Decimal
    in_scope: Decimal | None = None
    insurance_paid: Decimal = Decimal("0.00")

    @property
    def scope(self) -> Decimal:
        """In-scope cost; defaults to ``total`` when not given."""
        return self.total if self.in_scope is None else self.in_scope


@frozen
class Event:
    id: str
    kind: EventKind
    date: dt.date
    loss: Decimal
    compensated: Decimal = Decimal("0.00")
    house_damage: HouseDamage = HouseDamage.NONE
    """Damage to the dwelling (disaster events only)."""
    deceased: int = 0
    """The household's people who died in it (disaster events only; they are no longer members)."""
    duration_months: int | None = None
    """How many months the hardship it caused is expected to last (china-rules.md §5.6, §5.11); ``None``: not
    given."""


@frozen
class Obligor:
    """A supporting relative outside the household (赡养/抚养/扶养义务人) and their own household (china-rules.md
    §2.2 ObligorHousehold, §3.6): what the locality counts as support payments is computed from it."""

    relationship: ObligorRelationship
    household_income: Decimal
    """The obligor household's monthly income."""
    household_size: int
    """People in the obligor's household (at least 1)."""
    member: str | None = None
    """The member they must support; ``None``: the household."""
    households_supported: int = 1
    """Households the obligor must support (应赡养家庭数), this one included (at least 1)."""
    statuses: tuple[Status, ...] = field(default=(), converter=tuple)
    """Statuses the obligor's household holds (on dibao, tekun … it has no capacity to pay)."""
    agreed_amount: Decimal | None = None
    """Monthly amount set by a judgment, mediation or agreement; ``None``: none."""


@frozen
class Housing:
    tenure: Tenure
    floor_area: Decimal = Decimal("0")
    monthly_rent: Decimal = Decimal("0.00")
    dilapidated_grade: DilapidatedGrade | None = None
    properties_owned: int = 0


@frozen
class Enrolment:
    programme: str
    """One of :class:`EnrolmentProgramme` or a recurring programme an installed plugin declares."""
    since: dt.date
    monthly_amount: Decimal
    member: str | None = None
    gradual_exit_from: dt.date | None = None


@frozen
class PastPayment:
    """Assistance already paid (``history`` in household-format.md, where it is called Payment)."""

    programme: str
    """One of :class:`PaymentProgramme` or an installed programme's name."""
    kind: str
    """One of :class:`PaymentKind` or a kind an installed programme declares (``Programme.payment_kinds``)."""
    date: dt.date
    amount: Decimal
    member: str | None = None
    need: str | None = None


@frozen
class Household:
    id: str
    residence: Residence
    members: tuple[Person, ...] = field(converter=tuple)
    locality: str = "demo-city"
    community: str = ""
    hukou_local: bool = True
    incomes: tuple[Income, ...] = field(default=(), converter=tuple)
    assets: tuple[Asset, ...] = field(default=(), converter=tuple)
    expenses: tuple[Expense, ...] = field(default=(), converter=tuple)
    events: tuple[Event, ...] = field(default=(), converter=tuple)
    housing: Housing | None = None
    enrolments: tuple[Enrolment, ...] = field(default=(), converter=tuple)
    history: tuple[PastPayment, ...] = field(default=(), converter=tuple)
    obligors: tuple[Obligor, ...] = field(default=(), converter=tuple)
    """Supporting relatives outside the household (china-rules.md §3.6)."""
    ext: Extensions = EMPTY_EXTENSIONS
    """Facts that installed programmes declare, by namespace (``"ext": {"heating": {…}}``; assistkit.declared)."""

    def member(self, person_id: str) -> Person:
        """The member with id ``person_id``; ``KeyError`` if none."""
        for person in self.members:
            if person.id == person_id:
                return person
        raise KeyError(person_id)

    @property
    def head(self) -> Person:
        for person in self.members:
            if person.relationship is Relationship.HEAD:
                return person
        raise LookupError(f"household {self.id} has no head")


@frozen
class Fund:
    """A social-force donation fund (§13), read from its own JSON list."""

    id: str
    name: str
    balance: Decimal
    need_kinds: tuple[NeedKind, ...] = field(converter=tuple)
    per_household_cap: Decimal
    valid_from: dt.date
    valid_to: dt.date
    statuses: tuple[str, ...] = field(default=(), converter=tuple)
    """Words of :class:`Status` or statuses installed programmes declare (checked by the engine)."""
