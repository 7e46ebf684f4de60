"""The open parts of the household format: the vocabularies and the extension facts that programmes declare.

household-format.md lists the payment programmes and kinds, the enrolment programmes (and those with a gradual
exit, §6.7) and the statuses; a plugin adds its own (``Programme.payment_kinds``, ``recurring``, ``gradual_exit``,
``statuses``) and the facts it needs that the format lacks (``Programme.facts``: the ``"ext": {"<programme>":
{…}}`` block on the household and on a person). The
reader (:mod:`assistkit.io`) checks only the shape of these values, since it does not know which plugins are
installed; :class:`Declared` — the core's lists and the installed programmes' declarations together — checks the
rest, with the same paths and reasons as the reader (``history[0].kind``: ``expected one of …; got 'x'``). The
engine keeps one and checks each household it assesses; ``assistkit validate`` uses the installed plugins'.

A :class:`Fact` is declared as pytest declares an ini option (``parser.addini(name, help, type, default)``),
namespaced by its programme as datasette namespaces a plugin's configuration: a name, a type of the format
(``money`` in yuan as :class:`~decimal.Decimal`, ``decimal`` with its unit, ``count``, ``boolean``, ``date``,
``month``, ``string``, ``choice`` of declared words), whether it is required, a default, and its meaning in both
languages. Each leaf is read by the reader's own parser, so a fact's errors read as the format's.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs
from attrs import field, frozen

from .errors import InvalidFunds, InvalidHousehold
from .household import (
    EMPTY_EXTENSIONS,
    EnrolmentProgramme,
    Extensions,
    Fund,
    Household,
    PaymentKind,
    PaymentProgramme,
    Status,
)
from .io._leaves import Bad, boolean, count, date, decimal, money, month, show, string

__all__ = ["CORE", "CORE_GRADUAL_EXITS", "FACT_TYPES", "Declared", "Fact", "status_order"]

CORE_GRADUAL_EXITS: Final[tuple[str, ...]] = (EnrolmentProgramme.DIBAO.value,)
"""The enrolment programmes household-format.md allows a ``gradual_exit_from`` (§6.7): dibao. An installed programme
adds its own by declaring ``gradual_exit = True``."""

FACT_TYPES: Final[Mapping[str, tuple[Callable[[object], Any], str, str]]] = {
    # type → (the reader's parser, its JSON Schema type, the default unit)
    "money": (money, "string", "yuan"),
    "decimal": (decimal, "string", ""),
    "count": (count, "integer", ""),
    "boolean": (boolean, "boolean", ""),
    "date": (date, "string", ""),
    "month": (month, "string", ""),
    "string": (string, "string", ""),
    "choice": (string, "string", ""),
}
"""The types a fact may have: each is read by the household reader's own parser for that type."""

_ON = ("household", "person")


@frozen
class Fact:
    """One fact a programme reads that household-format.md lacks, in the programme's namespace of ``ext``.

    - ``name``: its key in the block (``"heated_area"``); ``on``: ``"household"`` (``ext`` of the household)
      or ``"person"`` (``ext`` of a member).
    - ``type``: one of :data:`FACT_TYPES`; ``unit``: what a number counts (``money`` is in yuan; a decimal says,
      e.g. ``"m²"``); ``choices``: the words a ``choice`` takes.
    - ``required``: the block must give it; otherwise ``default`` (given as in JSON, read by the type) stands
      for it, or ``None``.
    - ``meaning_zh`` / ``meaning_en``: what it is, for ``assistkit plugins --reads`` and the schema.
    """

    name: str
    type: str
    on: str = "household"
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = field(default=(), converter=tuple)
    unit: str = ""
    meaning_zh: str = ""
    meaning_en: str = ""

    def __attrs_post_init__(self) -> None:
        if self.type not in FACT_TYPES:
            raise ValueError(f"fact {self.name!r}: type {self.type!r} is not one of {', '.join(FACT_TYPES)}")
        if self.on not in _ON:
            raise ValueError(f"fact {self.name!r}: on must be 'household' or 'person'; got {self.on!r}")
        if (self.type == "choice") != bool(self.choices):
            raise ValueError(f"fact {self.name!r}: choices are given for, and only for, type 'choice'")
        if not self.unit and FACT_TYPES[self.type][2]:
            object.__setattr__(self, "unit", FACT_TYPES[self.type][2])
        if self.default is not None:
            if self.required:
                raise ValueError(f"fact {self.name!r}: a required fact has no default")
            try:
                object.__setattr__(self, "default", self.read(self.default))
            except Bad as bad:
                raise ValueError(f"fact {self.name!r}: default: {bad.args[0]}") from None

    def read(self, value: object) -> Any:
        """The typed value of ``value`` as given in JSON; :class:`~assistkit.io._leaves.Bad` with the reason."""
        result = FACT_TYPES[self.type][0](value)
        if self.choices and result not in self.choices:
            raise Bad("expected one of " + ", ".join(self.choices) + "; got " + show(value))
        return result


def _expected(words: Iterable[str]) -> str:
    return "expected one of " + ", ".join(words) + "; got "


class Declared:
    """The household format's open lists and extension facts: the core's, and those of ``programmes``.

    Built once per engine; :meth:`check` is what a household costs, and for a household without history,
    enrolments or extension block it is a few attribute reads.
    """

    __slots__ = ("payment_programmes", "payment_kinds", "enrolment_programmes", "gradual_exits", "statuses", "facts",
                 "_programmes", "_kinds", "_enrolments", "_gradual", "_statuses", "_expected")

    def __init__(self, programmes: Iterable[object] = ()) -> None:
        pay = dict.fromkeys(p.value for p in PaymentProgramme)
        kinds = dict.fromkeys(k.value for k in PaymentKind)
        enrol = dict.fromkeys(e.value for e in EnrolmentProgramme)
        gradual = dict.fromkeys(CORE_GRADUAL_EXITS)
        statuses = dict.fromkeys(s.value for s in Status)
        facts: dict[str, dict[str, Fact]] = {}
        for programme in programmes:
            name: str = getattr(programme, "name", "")
            pay[name] = None
            kinds.update(dict.fromkeys(getattr(programme, "payment_kinds", ())))
            if getattr(programme, "recurring", False):
                enrol[name] = None
                if getattr(programme, "gradual_exit", False):
                    gradual[name] = None
            statuses.update(dict.fromkeys(getattr(programme, "grants", ())))
            statuses.update(dict.fromkeys(d.name for d in getattr(programme, "statuses", ())))
            own = getattr(programme, "facts", ())
            if own:
                facts[name] = {f"{f.on}:{f.name}": f for f in own}
        self.payment_programmes: tuple[str, ...] = tuple(pay)
        """The payment programmes history may name: the core's, then each installed programme's name."""
        self.payment_kinds: tuple[str, ...] = tuple(kinds)
        """The payment kinds: the core's, then the installed programmes' ``payment_kinds``."""
        self.enrolment_programmes: tuple[str, ...] = tuple(enrol)
        """The programmes a household may be enrolled in: the core's, then each recurring programme (§15.2)."""
        self.gradual_exits: tuple[str, ...] = tuple(gradual)
        """The enrolment programmes whose enrolments may carry ``gradual_exit_from`` (§6.7): the core's, then each
        recurring programme that declares ``gradual_exit``."""
        self.statuses: tuple[str, ...] = tuple(statuses)
        """The statuses, in order: the core's (the person-status order), then the installed programmes'."""
        self.facts: Mapping[str, Mapping[str, Fact]] = facts
        """Namespace (a programme's name) → ``"household:name"`` / ``"person:name"`` → its :class:`Fact`."""
        self._programmes = frozenset(pay)
        self._kinds = frozenset(kinds)
        self._enrolments = frozenset(enrol)
        self._gradual = frozenset(gradual)
        self._statuses = frozenset(statuses)
        self._expected = (_expected(pay), _expected(kinds), _expected(enrol))

    def check(self, household: Household) -> Household:
        """``household`` with its extension facts read by their declarations (typed, defaults filled in), or
        :class:`~assistkit.InvalidHousehold` naming each value no declaration allows."""
        history, enrolments = household.history, household.enrolments
        problems: list[tuple[str, str]] = []
        if history or enrolments:
            programmes, kinds = self._programmes, self._kinds
            for payment in history:
                if payment.programme not in programmes or payment.kind not in kinds:
                    break
            else:
                for enrolment in enrolments:
                    if enrolment.programme not in self._enrolments or (
                            enrolment.gradual_exit_from is not None and enrolment.programme not in self._gradual):
                        break
                else:
                    history = enrolments = ()
            if history or enrolments:
                problems = self.vocabulary_problems(household)
        if not household.ext:
            for person in household.members:
                if person.ext:
                    break
            else:
                if problems:
                    raise InvalidHousehold(household.id, problems)
                return household
        return self._read_extensions(household, problems)

    def check_funds(self, funds: Iterable[Fund], source: str | None = None) -> None:
        """:class:`~assistkit.errors.InvalidFunds` naming each status of a fund that is not declared
        (``[1].statuses[0]``, as the fund reader names a problem)."""
        expected = _expected(self.statuses)
        problems = [(f"[{i}].statuses[{j}]", expected + show(status))
                    for i, fund in enumerate(funds) for j, status in enumerate(fund.statuses)
                    if status not in self._statuses]
        if problems:
            raise InvalidFunds(source, problems)

    def vocabulary_problems(self, household: Household) -> list[tuple[str, str]]:
        """Each payment programme, payment kind and enrolment programme of ``household`` that is not declared, and
        each ``gradual_exit_from`` of an enrolment whose programme declares no gradual exit (§6.7)."""
        pay, kinds, enrol = self._expected
        problems: list[tuple[str, str]] = []
        for i, payment in enumerate(household.history):
            if payment.programme not in self._programmes:
                problems.append((f"history[{i}].programme", pay + show(payment.programme)))
            if payment.kind not in self._kinds:
                problems.append((f"history[{i}].kind", kinds + show(payment.kind)))
        for i, enrolment in enumerate(household.enrolments):
            if enrolment.programme not in self._enrolments:
                problems.append((f"enrolments[{i}].programme", enrol + show(enrolment.programme)))
            elif enrolment.gradual_exit_from is not None and enrolment.programme not in self._gradual:
                problems.append((f"enrolments[{i}].gradual_exit_from",
                                 f"{self.gradual_exit_rule()}; got programme {enrolment.programme!r}"))
        return problems

    def gradual_exit_rule(self) -> str:
        """What may carry ``gradual_exit_from``: ``only for programme 'dibao'`` (Demo City), or the programmes that
        declare a gradual exit (§6.7)."""
        names = self.gradual_exits
        if len(names) == 1:
            return f"only for programme {names[0]!r}"
        return "only for a programme with a gradual exit (§6.7): " + ", ".join(repr(n) for n in names)

    def _read_extensions(self, household: Household, problems: list[tuple[str, str]]) -> Household:
        ext = self._read_block(household.ext, "household", "ext", problems)
        members: tuple[Any, ...] = tuple(
            attrs.evolve(person, ext=self._read_block(person.ext, "person", f"members[{i}].ext", problems))
            if person.ext else person
            for i, person in enumerate(household.members))
        if problems:
            raise InvalidHousehold(household.id, problems)
        return attrs.evolve(household, ext=ext, members=members)

    def _read_block(self, block: Mapping[str, Any], on: str, path: str, problems: list[tuple[str, str]]) -> Extensions:
        if not block:
            return EMPTY_EXTENSIONS
        out: dict[str, dict[str, Any]] = {}
        for namespace, given in block.items():
            declared = {key.partition(":")[2]: fact for key, fact in self.facts.get(namespace, {}).items()
                        if fact.on == on}
            where = f"{path}.{namespace}"
            if not declared:
                known = sorted(ns for ns, facts in self.facts.items() if any(f.on == on for f in facts.values()))
                reason = f"unknown namespace {namespace!r}: no installed programme declares facts of a {on} there"
                close = difflib.get_close_matches(namespace, known, n=1, cutoff=0.7)
                reason += f" (did you mean {close[0]!r}?)" if close else f" (namespaces: {', '.join(known) or 'none'})"
                problems.append((where, reason))
                continue
            values: dict[str, Any] = {}
            for key, value in given.items():
                fact = declared.get(key)
                if fact is None:
                    reason = f"unknown field {key!r}"
                    close = difflib.get_close_matches(str(key), list(declared), n=1, cutoff=0.7)
                    problems.append((f"{where}.{key}", reason + (f" (did you mean {close[0]!r}?)" if close else "")))
                    continue
                try:
                    values[key] = fact.read(value)
                except Bad as bad:
                    problems.append((f"{where}.{key}", bad.args[0]))
            for key, fact in declared.items():
                if key not in given:
                    if fact.required:
                        problems.append((f"{where}.{key}", "required field missing"))
                    else:
                        values[key] = fact.default
            out[namespace] = values
        return Extensions(out)


def status_order(declared: Iterable[str] = ()) -> dict[str, int]:
    """Status → its place in the order summaries list statuses in: the core's (household-format.md, the
    person-status order), then ``declared`` (an engine's, in its order); a status in neither sorts last."""
    order = {status.value: i for i, status in enumerate(Status)}
    for status in declared:
        order.setdefault(status, len(order))
    return order


CORE: Final = Declared()
"""The core's lists alone (household-format.md), without any plugin's."""
