"""Invariants a rule author asserts in tests; each raises ``AssertionError`` with a readable counterexample.

Two kinds:

- **Of one determination** — :func:`assert_no_errors`, :func:`assert_never_negative`,
  :func:`assert_whole_yuan_monthly`, :func:`assert_needs_conserved`, :func:`assert_never_overpays`,
  :func:`assert_mutual_exclusions`, :func:`assert_reasons_when_eligible`, :func:`assert_rules_known`,
  :func:`assert_explanations_render`; :func:`check_all` assesses a household and runs them all. Not among
  them: the strict :func:`assert_requests_within_remaining` (the engine contract allows relying on the clamp)
  and :func:`assert_cites_own_rules`, which checks one programme against its own declarations.
- **Of an engine** (they assess the household themselves, more than once) — :func:`assert_deterministic`,
  :func:`assert_permutation_invariant`, :func:`assert_monotone_in_income`,
  :func:`assert_standard_raise_keeps_status`, and the two-policy check :func:`assert_reform` over many
  households.

Every message names the invariant, the household, the date and the figures involved, e.g.::

    assert_monotone_in_income: household H-0007 on 2025-07-15 (policy demo-city)
      adding 100.00 yuan a month of counted income (household-level, 2025-01…2025-06) raised the monthly
      amount of 'dibao' from 1000.00 to 1033.00
      per-capita income 495.00 → 545.00; reasons after: dibao.gap, dibao.benefit

Use them with hypothesis::

    @given(households())
    def test_dibao_never_rises_with_income(household):
        assert_monotone_in_income(ENGINE, household, date(2025, 7, 15))
"""

from __future__ import annotations

import datetime as dt
import json
import string
from collections.abc import Collection, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

import attrs
from attrs import frozen

from ..determination import Determination
from ..engine import Engine
from ..explain import render_reason
from ..household import LIVING_KINDS, Fund, Household, Income, IncomeCategory
from ..money import ZERO, format_money, parse_decimal
from ..periods import income_window
from ..programme import Programme

__all__ = [
    "ReformSummary",
    "assert_cites_own_rules",
    "assert_deterministic",
    "assert_explanations_render",
    "assert_monotone_in_income",
    "assert_mutual_exclusions",
    "assert_needs_conserved",
    "assert_never_negative",
    "assert_never_overpays",
    "assert_no_errors",
    "assert_permutation_invariant",
    "assert_reasons_when_eligible",
    "assert_reasons_when_not_eligible",
    "assert_reform",
    "assert_requests_within_remaining",
    "assert_rules_known",
    "assert_standard_raise_keeps_status",
    "assert_whole_yuan_monthly",
    "check_all",
]

_MAX_LINES = 12
"""At most this many violations are listed in one message; the rest are counted."""


def _m(value: Decimal | None) -> str:
    return "none" if value is None else format_money(value)


def _signed(value: Decimal) -> str:
    return ("+" if value >= 0 else "") + format_money(value)


def _fail(invariant: str, d: Determination, lines: Sequence[str]) -> None:
    """Raise the AssertionError of ``invariant`` for ``d``'s household listing ``lines`` (none: no error)."""
    if not lines:
        return
    where = f"household {d.household} on {d.on.isoformat()} (policy {d.policy})"
    shown = [f"  {line}" for line in lines[:_MAX_LINES]]
    if len(lines) > _MAX_LINES:
        shown.append(f"  … and {len(lines) - _MAX_LINES} more")
    raise AssertionError(f"{invariant}: {where}\n" + "\n".join(shown))


def _selected(d: Determination, programmes: Collection[str] | None) -> list[Any]:
    return [r for r in d.programmes if programmes is None or r.name in programmes]


# ---------------------------------------------------------------------------------------------------------
# Invariants of one determination
# ---------------------------------------------------------------------------------------------------------


def assert_no_errors(determination: Determination) -> None:
    """No programme raised or was skipped because one it comes after failed."""
    _fail("assert_no_errors", determination,
          [f"{e.programme} (plugin {e.plugin}): {e.message}" for e in determination.errors])


def assert_never_negative(determination: Determination) -> None:
    """No amount is negative: monthly and one-off amounts, payments, advances, needs, totals and income."""
    d = determination
    bad: list[str] = []

    def check(path: str, value: Decimal | None) -> None:
        if value is not None and value < 0:
            bad.append(f"{path} = {_m(value)} is negative")

    for r in d.programmes:
        check(f"programmes.{r.name}.monthly", r.monthly)
        check(f"programmes.{r.name}.one_off", r.one_off)
        for member, amount in r.monthly_by_member.items():
            check(f"programmes.{r.name}.monthly_by_member.{member or 'household'}", amount)
        for i, p in enumerate(r.payments):
            toward = f" toward {p.need}" if p.need else ""
            check(f"programmes.{r.name}.payments[{i}].amount ({p.kind}{toward})", p.amount)
            check(f"programmes.{r.name}.payments[{i}].advance", p.advance)
    for n in d.needs:
        check(f"needs.{n.id}.amount", n.amount)
        check(f"needs.{n.id}.paid", n.paid)
        check(f"needs.{n.id}.remaining", n.remaining)
    check("totals.monthly", d.monthly_total)
    check("totals.one_off", d.one_off_total)
    if d.income is not None:
        for name in ("countable", "employment_deduction", "rigid_deduction", "per_capita"):
            check(f"income.{name}", getattr(d.income, name))
    _fail("assert_never_negative", d, bad)


def assert_whole_yuan_monthly(determination: Determination, programmes: Collection[str] = ("dibao", "tekun")
                              ) -> None:
    """The monthly amounts of ``programmes`` (those installed) are whole yuan (§5.2, §6.5 round to yuan).

    During gradual exit (§6.7) dibao pays the enrolled amount as recorded, so an enrolment recorded with fen
    fails this check: the data, not the rule, is then at fault.
    """
    bad = []
    for r in _selected(determination, programmes):
        amounts = {"monthly": r.monthly}
        amounts.update({f"monthly_by_member.{m or 'household'}": v for m, v in r.monthly_by_member.items()})
        for path, value in amounts.items():
            if value != value.to_integral_value():
                bad.append(f"programmes.{r.name}.{path} = {_m(value)} is not a whole number of yuan")
    _fail("assert_whole_yuan_monthly", determination, bad)


def assert_needs_conserved(determination: Determination) -> None:
    """No need receives more than it is (§14.2, 不重复救助), checked from the ledger *and* from the payments.

    For every need: paid ≤ amount, remaining = amount − paid ≥ 0, the ledger's entries add up to paid, and
    the payments of all programmes that name the need add up to the same; no payment names an unknown need.
    """
    d = determination
    bad = []
    from_payments: dict[str, Decimal] = {}
    payers: dict[str, list[str]] = {}
    for r in d.programmes:
        for p in r.payments:
            if p.need is not None and p.kind not in LIVING_KINDS:  # living relief only names its event (§D.6)
                from_payments[p.need] = from_payments.get(p.need, ZERO) + p.amount
                payers.setdefault(p.need, []).append(f"{r.name} {_m(p.amount)}")
    needs = {n.id: n for n in d.needs}
    for need_id in sorted(set(from_payments) - set(needs)):
        bad.append(f"payments name need {need_id!r}, which is no expense or event of the household: "
                   + ", ".join(payers[need_id]))
    for n in d.needs:
        paid = from_payments.get(n.id, ZERO)
        who = ", ".join(payers.get(n.id, [])) or "nobody"
        if paid > n.amount:
            bad.append(f"need {n.id}: the payments toward it add up to {_m(paid)} ({who}), more than the "
                       f"need {_m(n.amount)}")
        if n.paid > n.amount:
            bad.append(f"need {n.id}: paid {_m(n.paid)} is more than the need {_m(n.amount)}")
        if n.remaining != n.amount - n.paid or n.remaining < 0:
            bad.append(f"need {n.id}: remaining {_m(n.remaining)} is not amount {_m(n.amount)} − paid "
                       f"{_m(n.paid)}, or is negative")
        ledger = sum((amount for _, amount in n.entries), ZERO)
        if ledger != n.paid:
            bad.append(f"need {n.id}: the ledger's entries add up to {_m(ledger)}, but paid is {_m(n.paid)}")
        if paid != n.paid:
            bad.append(f"need {n.id}: the payments toward it add up to {_m(paid)} ({who}), but the ledger "
                       f"says {_m(n.paid)} was paid")
    _fail("assert_needs_conserved", d, bad)


def _claimed_needs(result: Any, needs: Collection[str]) -> list[tuple[Any, str]]:
    """(payment, need) for each payment of ``result`` that names no need while a reason of the same rule
    names one: the payment is *for* that need but bypasses the ledger. Payments and such reasons of one rule
    are paired in order."""
    queues: dict[str, list[str]] = {}
    for reason in result.reasons:
        need = reason.values.get("need")
        if isinstance(need, str) and need in needs:
            queues.setdefault(reason.rule, []).append(need)
    out = []
    for p in result.payments:
        if p.need is None and p.rule and queues.get(p.rule):
            out.append((p, queues[p.rule].pop(0)))
    return out


def assert_never_overpays(determination: Determination, programmes: Collection[str] | None = None) -> None:
    """No need receives more than it is, counting what the ledger cannot see (§14.2, 不重复救助).

    A payment that names a need goes through the needs ledger, which clamps it to what remains, so it can
    never overpay. A programme can still pay *for* a need without naming it: a payment with ``need=None``
    whose reason (same rule id) names the need in its values. Such payments are added to what the ledger
    says was paid toward the need; the total must not exceed the need. ``programmes`` (default all) limits
    whose unnamed payments are counted.
    """
    d = determination
    needs = {n.id: n for n in d.needs}
    extra: dict[str, list[tuple[str, Any]]] = {}
    for r in _selected(d, programmes):
        for payment, need in _claimed_needs(r, needs):
            extra.setdefault(need, []).append((r.name, payment))
    bad = []
    for need, unnamed in extra.items():
        n = needs[need]
        total = n.paid + sum((p.amount for _, p in unnamed), ZERO)
        if total > n.amount:
            who = ", ".join(f"{name} {_m(p.amount)} ({p.kind}, rule {p.rule}, need=None)"
                            for name, p in unnamed)
            bad.append(f"need {need} of {_m(n.amount)} receives {_m(total)}: {_m(n.paid)} through the ledger "
                       f"plus {who}, which its reasons say are for {need} but which do not name it, so the "
                       "ledger could not clamp them; pay with ctx.pay(..., need=...) and at most "
                       "ctx.needs.remaining(need)")
    _fail("assert_never_overpays", d, bad)


def assert_requests_within_remaining(determination: Determination, programmes: Collection[str] | None = None
                                     ) -> None:
    """No programme (of ``programmes``; default all) asked to pay more toward a need than remained of it.

    Stricter than :func:`assert_never_overpays`: the ledger clamps such a request (§14.2) and leaves a
    ``linkage.clamped`` reason, so nobody is overpaid, and the engine contract allows relying on it. A rule
    that computes its amount from ``ctx.needs.remaining(need)`` never triggers it.
    """
    bad = []
    for r in _selected(determination, programmes):
        for reason in r.reasons:
            if reason.rule == "linkage.clamped":
                v = reason.values
                bad.append(f"{r.name} asked to pay {_m(v.get('requested'))} ({v.get('kind')}) toward need "
                           f"{v.get('need')}, but only {_m(v.get('paid'))} remained of it (clamped, §14.2)")
    _fail("assert_requests_within_remaining", determination, bad)


def assert_mutual_exclusions(determination: Determination) -> None:
    """Nobody holds two statuses that exclude each other (§14.4, as the programmes declare them: Demo City's
    tekun and dibao), and nobody gets money of their own from a programme granting a status their own status
    excludes (a tekun person gets no dibao money)."""
    d = determination
    exclusions = d.statuses.exclusions
    bad = []
    for member, held in d.member_statuses.items():
        for a, b, section in exclusions:
            if a in held and b in held:
                bad.append(f"{member} holds both {a} and {b} ({section})")
    for r in d.programmes:
        granted = {status for _, status in r.granted}
        for who, amount in r.monthly_by_member.items():
            if who is None or not amount:
                continue
            held = d.member_statuses.get(who, ())
            for a, b, section in exclusions:
                if (a in granted and b in held) or (b in granted and a in held):
                    own = b if b in held else a
                    bad.append(f"{who} is {own} but receives {r.name} of {_m(amount)} a month ({section})")
    _fail("assert_mutual_exclusions", d, bad)


def assert_reasons_when_eligible(determination: Determination, programmes: Collection[str] | None = None
                                 ) -> None:
    """Every eligible programme gives at least one reason (output-format.md)."""
    bad = [f"{r.name} is eligible (monthly {_m(r.monthly)}, one-off {_m(r.one_off)}) but gives no reason"
           for r in _selected(determination, programmes) if r.eligible and not r.reasons]
    _fail("assert_reasons_when_eligible", determination, bad)


def assert_reasons_when_not_eligible(determination: Determination, programmes: Collection[str] | None = None
                                     ) -> None:
    """Every programme that is not eligible says why ("why zero"): at least one reason, the first condition
    that failed, citing its rule. A programme that raised (or was skipped) is exempt: its error says why."""
    bad = [f"{r.name} is not eligible but gives no reason (say which condition failed, with its rule, the "
           "values compared and the parameters read)"
           for r in _selected(determination, programmes) if not r.eligible and not r.reasons and r.error is None]
    _fail("assert_reasons_when_not_eligible", determination, bad)


def _cited(result: Any) -> list[tuple[str, str]]:
    """(rule id, where it is cited) for the reasons, payments and monthly parts of one programme result."""
    out = [(reason.rule, "reason") for reason in result.reasons]
    out += [(p.rule, f"payment {p.kind}") for p in result.payments if p.rule]
    out += [(rule, "monthly amount") for _, _, rule in result.monthly_parts if rule]
    return out


def assert_rules_known(determination: Determination, programmes: Collection[str] | None = None) -> None:
    """Every rule id cited (reasons, payments, monthly parts) has a :class:`~assistkit.explain.Rule` (its §
    and zh/en text), so the explanation can cite it."""
    bad = [f"{r.name} cites rule {rule!r} ({where}), which no installed programme or the core defines"
           for r in _selected(determination, programmes)
           for rule, where in _cited(r) if rule not in determination.rules]
    _fail("assert_rules_known", determination, sorted(set(bad)))


def assert_cites_own_rules(determination: Determination, programme: Programme, parameters: Collection[str], *,
                           also: Collection[str] = ("linkage.clamped",)) -> None:
    """``programme``'s payments and monthly parts cite rules it defines; its reasons cite rules it defines
    (or one of ``also``, by default the core's clamp), name only ``parameters`` (the ones it declares) and
    render in zh and en with every placeholder filled."""
    d = determination
    result = d.programme(programme.name)
    name = programme.name
    bad = [f"{name}: payment {p.kind} cites rule {p.rule!r}, which {name} does not define"
           for p in result.payments if p.rule not in programme.rules]
    for reason in result.reasons:
        if reason.rule not in programme.rules and reason.rule not in also:
            bad.append(f"{name}: reason cites rule {reason.rule!r}, which {name} does not define")
        undeclared = sorted(set(reason.params) - set(parameters))
        if undeclared:
            bad.append(f"{name}: reason {reason.rule} names undeclared parameters {', '.join(undeclared)}")
        for lang in ("zh", "en"):
            text = render_reason(reason, d.rules, lang)
            if "{" in text:
                bad.append(f"{name}: reason {reason.rule} leaves a placeholder unfilled in {lang}: {text!r}")
    bad += [f"{name}: monthly amount cites rule {rule!r}, which {name} does not define"
            for _member, _amount, rule in result.monthly_parts if rule not in programme.rules]
    _fail("assert_cites_own_rules", d, bad)


_FORMATTER = string.Formatter()


def _fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in _FORMATTER.parse(template) if name}


def assert_explanations_render(determination: Determination, programmes: Collection[str] | None = None,
                               languages: Sequence[str] = ("zh", "en")) -> None:
    """The explanation renders in each language, and each reason's values fill its rule's template."""
    d = determination
    bad = []
    for lang in languages:
        try:
            text = d.explain(lang)
        except Exception as exc:  # noqa: BLE001 - report any failure as the counterexample
            bad.append(f"explain({lang!r}) raised {type(exc).__name__}: {exc}")
            continue
        if not text.strip():
            bad.append(f"explain({lang!r}) is empty")
    for r in _selected(d, programmes):
        for reason in r.reasons:
            rule = d.rules.get(reason.rule)
            if rule is None:
                continue
            for lang in languages:
                missing = sorted(_fields(rule.template(lang)) - set(reason.values))
                if missing:
                    given = ", ".join(reason.values) or "none"
                    bad.append(f"{r.name}: reason {reason.rule} lacks {', '.join(missing)} for its {lang} "
                               f"template {rule.template(lang)!r} (values: {given})")
    _fail("assert_explanations_render", d, sorted(set(bad), key=bad.index))


def check_all(engine: Engine, household: Household, on: dt.date, *, funds: Sequence[Fund] | None = None
              ) -> Determination:
    """Assess ``household`` on ``on`` and assert every invariant of one determination; returns it."""
    d = engine.assess(household, on, funds=funds)
    for invariant in (assert_no_errors, assert_never_negative, assert_whole_yuan_monthly,
                      assert_needs_conserved, assert_never_overpays, assert_mutual_exclusions,
                      assert_reasons_when_eligible, assert_reasons_when_not_eligible, assert_rules_known,
                      assert_explanations_render):
        invariant(d)
    return d


# ---------------------------------------------------------------------------------------------------------
# Invariants of an engine
# ---------------------------------------------------------------------------------------------------------


def _json_diff(a: Any, b: Any, path: str = "") -> list[str]:
    """Every path where ``a`` and ``b`` differ, as ``path: A → B``."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        out = []
        for key in list(a) + [k for k in b if k not in a]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in a or key not in b:
                out.append(f"{sub}: {'missing' if key not in a else _dump(a[key])} → "
                           f"{'missing' if key not in b else _dump(b[key])}")
            else:
                out.extend(_json_diff(a[key], b[key], sub))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        pairs = enumerate(zip(a, b, strict=True))
        return [line for i, (x, y) in pairs for line in _json_diff(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path or '$'}: {_dump(a)} → {_dump(b)}"]


def _dump(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 200 else text[:197] + "..."


def _assess(engine: Engine, household: Household, on: dt.date, funds: Sequence[Fund] | None) -> Determination:
    return engine.assess(household, on, funds=funds)


def assert_deterministic(engine: Engine, household: Household, on: dt.date, *,
                         funds: Sequence[Fund] | None = None) -> None:
    """Assessing twice gives the identical determination: the same JSON (zh and en) and explanation."""
    first, second = _assess(engine, household, on, funds), _assess(engine, household, on, funds)
    lines = []
    for lang in ("zh", "en"):
        lines += [f"{line} (JSON, {lang})" for line in _json_diff(first.to_json(lang), second.to_json(lang))]
        if first.explain(lang) != second.explain(lang):
            lines.append(f"the {lang} explanation differs between the two assessments")
    _fail("assert_deterministic", first, [f"first → second assessment: {line}" for line in lines])


_STANDARD_KEYS = ("eligible", "monthly", "one_off", "monthly_by_member", "in_kind")


def _amounts(out: Mapping[str, Any]) -> dict[str, Any]:
    """The figures of a determination's JSON that must not depend on the order of the household's records."""

    def bag(items: Iterable[Any]) -> list[Any]:
        return sorted(items, key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))

    programmes = {}
    for name, p in out["programmes"].items():
        entry = {k: p[k] for k in _STANDARD_KEYS if k in p}
        entry["in_kind"] = sorted(entry.get("in_kind", []))
        entry["payments"] = bag(p["payments"])
        programmes[name] = entry
    income = dict(out["income"], unit=sorted(out["income"]["unit"]))
    return {
        "income": income,
        "statuses": out["statuses"],
        "programmes": programmes,
        "needs": out["needs"],
        "totals": out["totals"],
        "next_review": out["next_review"],
        "actions": bag(out["actions"]),
    }


def _reordered(household: Household) -> list[tuple[str, Household]]:
    def rotate(items: tuple[Any, ...]) -> tuple[Any, ...]:
        return items[1:] + items[:1]

    names = ("members", "incomes", "assets", "expenses", "events", "enrolments", "history")
    backwards: dict[str, Any] = {n: tuple(reversed(getattr(household, n))) for n in names}
    rotated: dict[str, Any] = {n: rotate(getattr(household, n)) for n in names}
    return [("members and every list of records reversed", attrs.evolve(household, **backwards)),
            ("members and every list of records rotated by one", attrs.evolve(household, **rotated))]


def assert_permutation_invariant(engine: Engine, household: Household, on: dt.date, *,
                                 funds: Sequence[Fund] | None = None) -> None:
    """Reordering the members and the records (incomes, assets, expenses, events, enrolments, history) changes
    no amount, status, need or action; only the order of lists in the output may change.

    The statute orders by dates and ids where order matters (§9.2b, §12.4, §13.2), never by input order.
    """
    base = _assess(engine, household, on, funds)
    want = _amounts(base.to_json("en"))
    lines = []
    for how, variant in _reordered(household):
        got = _amounts(_assess(engine, variant, on, funds).to_json("en"))
        lines += [f"{how}: {line}" for line in _json_diff(want, got)]
    _fail("assert_permutation_invariant", base, lines)


def _window_record(engine: Engine, on: dt.date, member: str | None, delta: Decimal) -> tuple[Income, str]:
    months = cast(int, engine.policy.at(on)["income.window_months"])
    first, last = income_window(on, months)
    record = Income(IncomeCategory.OTHER, member, "", delta * months, from_=first, to=last)
    return record, f"{first}…{last}"


def _money_arg(name: str, value: object, *, positive: bool = False) -> Decimal:
    """An amount of money given to an invariant: a Decimal or int (never a float), ≥ 0, two places at most."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{name} must be a Decimal (or int) in yuan, not {type(value).__name__} {value!r}")
    try:
        amount = parse_decimal(value, places=2)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None
    if positive and not amount:
        raise ValueError(f"{name} must be > 0; got {value}")
    return amount


def _result(d: Determination, programme: str) -> Any:
    try:
        return d.programme(programme)
    except KeyError:
        installed = ", ".join(r.name for r in d.programmes) or "none"
        raise ValueError(f"programme {programme!r} is not installed in this engine (installed: {installed})"
                         ) from None


def assert_monotone_in_income(
    engine: Engine,
    household: Household,
    on: dt.date,
    programme: str = "dibao",
    member: str | None = None,
    delta: Decimal = Decimal("100"),
    *,
    exceptions: Collection[str] = (),
    funds: Sequence[Fund] | None = None,
) -> None:
    """Adding counted income never increases ``programme``'s monthly amount.

    Adds one income record of ``delta`` yuan a month over the whole income window (§1.3), category
    ``other`` (counted, §3.2; no employment deduction, §3.5), for ``member`` (default: household-level, which
    counts in the dibao unit's income, §3.4, but in nobody's own income, §3.8), and compares the monthly
    amounts before and after.

    The statute itself has two cliffs where dibao rises as income crosses S: single-person inclusion (§6.6)
    and gradual exit (§6.7). Pass their rule ids as ``exceptions`` (e.g. ``("dibao.single_person",
    "dibao.gradual_exit")``) to accept a rise when the determination *after* cites one of them.
    """
    delta = _money_arg("delta", delta, positive=True)
    if member is not None and member not in {p.id for p in household.members}:
        raise ValueError(f"member {member!r} is not a member of household {household.id}")
    record, window = _window_record(engine, on, member, delta)
    added: dict[str, Any] = {"incomes": (*household.incomes, record)}
    richer = attrs.evolve(household, **added)
    before, after = _assess(engine, household, on, funds), _assess(engine, richer, on, funds)
    b, a = _result(before, programme), _result(after, programme)
    for d, r in ((before, b), (after, a)):
        if r.error is not None:
            _fail("assert_monotone_in_income", d, [f"{programme} failed: {r.error.message}"])
    if a.monthly <= b.monthly:
        return
    cited = [reason.rule for reason in a.reasons]
    if set(cited) & set(exceptions):
        return
    who = "household-level" if member is None else f"of {member}"

    def pci(d: Determination) -> str:
        return _m(d.income.per_capita) if d.income is not None else "?"

    _fail("assert_monotone_in_income", before, [
        f"adding {_m(delta)} yuan a month of counted income ({who}, {window}) raised the monthly amount of "
        f"{programme!r} from {_m(b.monthly)} to {_m(a.monthly)}",
        f"per-capita income {pci(before)} → {pci(after)}; statuses {_statuses(before)} → {_statuses(after)}",
        f"reasons before: {', '.join(r.rule for r in b.reasons) or 'none'}",
        f"reasons after: {', '.join(cited) or 'none'}",
    ])


def _statuses(d: Determination) -> str:
    parts = list(d.household_statuses) + [f"{m}:{'+'.join(s)}" for m, s in d.member_statuses.items()]
    return " ".join(parts) or "none"


def _person_status(d: Determination, member: str) -> str | None:
    """The person-status rule (parameters.md, last line): own status first, else the household's."""
    own = d.member_statuses.get(member, ())
    for held in (own, d.household_statuses):
        for status in d.statuses.order:
            if status in held:
                return status
    return None


def _lost_statuses(household: Household, before: Determination, after: Determination) -> list[str]:
    """Members whose person status is weaker after than before (tekun > dibao > marginal > hardship)."""
    lost = []
    for p in household.members:
        b, a = _person_status(before, p.id), _person_status(after, p.id)
        rank = {status: i for i, status in enumerate(before.statuses.order)}
        if b is not None and (a is None or rank[a] > rank[b]):
            lost.append(f"{p.id} {b} → {a or 'none'}")
    return lost


def assert_standard_raise_keeps_status(base_engine: Engine, raised_engine: Engine, household: Household,
                                       on: dt.date, *, funds: Sequence[Fund] | None = None) -> None:
    """Raising the standard S loses nobody a status: each member's person status (parameters.md, last line)
    under ``raised_engine`` is the same or stronger (tekun > dibao > marginal > expenditure_hardship > none).

    ``raised_engine``'s S for the household's residence on ``on`` must be at least ``base_engine``'s.
    """
    name = f"standard.{household.residence.value}"
    s0: Decimal = base_engine.policy.at(on)[name]  # type: ignore[assignment]
    s1: Decimal = raised_engine.policy.at(on)[name]  # type: ignore[assignment]
    if s1 < s0:
        raise ValueError(f"raised_engine's {name} on {on.isoformat()} is {_m(s1)}, below base_engine's "
                         f"{_m(s0)}")
    before, after = _assess(base_engine, household, on, funds), _assess(raised_engine, household, on, funds)
    lost = _lost_statuses(household, before, after)
    if lost:
        _fail("assert_standard_raise_keeps_status", before, [
            f"raising {name} from {_m(s0)} to {_m(s1)} loses statuses: " + "; ".join(lost),
            f"statuses {_statuses(before)} → {_statuses(after)}",
            f"monthly {_m(before.monthly_total)} → {_m(after.monthly_total)}",
        ])


# ---------------------------------------------------------------------------------------------------------
# Two policies over many households
# ---------------------------------------------------------------------------------------------------------


def _government(d: Determination) -> tuple[Decimal, Decimal]:
    """(monthly, one-off) paid by government: everything but allocations from donation funds (§13)."""
    one_off = sum((p.amount for r in d.programmes for p in r.payments if p.fund is None), ZERO)
    return d.monthly_total, one_off


@frozen
class _Case:
    household: Household
    before: Determination
    after: Determination

    @property
    def monthly(self) -> Decimal:
        return self.after.monthly_total - self.before.monthly_total

    @property
    def one_off(self) -> Decimal:
        return self.after.one_off_total - self.before.one_off_total

    def cost(self) -> tuple[Decimal, Decimal]:
        (m0, o0), (m1, o1) = _government(self.before), _government(self.after)
        return m1 - m0, o1 - o0

    def describe(self) -> str:
        h, b, a = self.household, self.before, self.after
        return (f"household {h.id} ({h.residence.value}, {len(h.members)} member"
                f"{'s' if len(h.members) != 1 else ''}{', non-local' if not h.hukou_local else ''}): "
                f"monthly {_m(b.monthly_total)} → {_m(a.monthly_total)} ({_signed(self.monthly)}), "
                f"one-off {_m(b.one_off_total)} → {_m(a.one_off_total)} ({_signed(self.one_off)}); "
                f"statuses {_statuses(b)} → {_statuses(a)}")


@frozen
class ReformSummary:
    """What a reform changes over the households assessed by :func:`assert_reform` (all amounts in yuan)."""

    households: int
    monthly_before: Decimal
    monthly_after: Decimal
    one_off_before: Decimal
    one_off_after: Decimal
    gainers: int
    """Households whose monthly or one-off amount rises (and neither falls)."""
    losers: int
    """Households whose monthly or one-off amount falls."""


def assert_reform(
    base: Engine,
    reform: Engine,
    households: Iterable[Household | Mapping[str, Any]],
    on: dt.date,
    *,
    nobody_loses_money: bool = False,
    no_status_lost: bool = False,
    max_gain_per_household: Decimal | int | None = None,
    max_cost_increase_per_household: Decimal | int | None = None,
    funds: Sequence[Fund] | None = None,
) -> ReformSummary:
    """Assess every household under ``base`` and ``reform`` (two engines, e.g. ``Engine()`` and
    ``Engine(policy_files=["reform.toml"])``) and assert the requested properties of the change:

    - ``nobody_loses_money``: no household's monthly total or one-off total falls.
    - ``no_status_lost``: no member's person status gets weaker (as in
      :func:`assert_standard_raise_keeps_status`).
    - ``max_gain_per_household``: no household's monthly total, nor its one-off total, rises by more than
      this.
    - ``max_cost_increase_per_household``: the same bound on what government pays for a household (every
      amount except allocations from donation funds, §13).

    On a violation, raises ``AssertionError`` naming, for each property broken, how many households break it
    and the worst one with its figures before and after. Otherwise returns a :class:`ReformSummary`.
    Households may be model objects or household-format JSON (dicts).
    """
    max_gain = None if max_gain_per_household is None else _money_arg(
        "max_gain_per_household", max_gain_per_household)
    max_cost = None if max_cost_increase_per_household is None else _money_arg(
        "max_cost_increase_per_household", max_cost_increase_per_household)
    from .. import io

    cases = []
    for item in households:
        h = item if isinstance(item, Household) else io.structure_household(item)
        cases.append(_Case(h, _assess(base, h, on, funds), _assess(reform, h, on, funds)))
    # (what is broken, [(how badly, case, detail)])
    broken: dict[str, list[tuple[Decimal, _Case, str]]] = {}

    def breaks(what: str, badness: Decimal, case: _Case, detail: str = "") -> None:
        broken.setdefault(what, []).append((badness, case, detail))

    for c in cases:
        if nobody_loses_money and min(c.monthly, c.one_off) < 0:
            breaks("nobody_loses_money: households lose money", -min(c.monthly, c.one_off), c)
        if no_status_lost:
            lost = _lost_statuses(c.household, c.before, c.after)
            if lost:
                breaks("no_status_lost: households lose a status", Decimal(len(lost)), c, "; ".join(lost))
        if max_gain is not None and max(c.monthly, c.one_off) > max_gain:
            breaks(f"max_gain_per_household={_m(max_gain)}: households gain more",
                   max(c.monthly, c.one_off) - max_gain, c)
        if max_cost is not None:
            cost_m, cost_o = c.cost()
            if max(cost_m, cost_o) > max_cost:
                breaks(f"max_cost_increase_per_household={_m(max_cost)}: households cost government more",
                       max(cost_m, cost_o) - max_cost, c,
                       f"government cost {_signed(cost_m)} a month, {_signed(cost_o)} one-off")
    if broken:
        lines = []
        for what, found in broken.items():
            badness, worst, detail = max(found, key=lambda f: f[0])
            others = [f[1].household.id for f in found if f[1] is not worst]
            lines.append(f"{what}: {len(found)} of {len(cases)} households")
            lines.append(f"  worst: {worst.describe()}" + (f"; {detail}" if detail else ""))
            if others:
                lines.append(f"  also: {', '.join(others[:10])}{' …' if len(others) > 10 else ''}")
        added = [f for f in reform.policy.files if f not in base.policy.files]
        raise AssertionError(
            f"assert_reform on {on.isoformat()}: base policy {base.policy.locality}, reform policy "
            f"{reform.policy.locality}{''.join(' + ' + f for f in added)}\n"
            + "\n".join(f"  {x}" for x in lines))
    return ReformSummary(
        len(cases),
        sum((c.before.monthly_total for c in cases), ZERO),
        sum((c.after.monthly_total for c in cases), ZERO),
        sum((c.before.one_off_total for c in cases), ZERO),
        sum((c.after.one_off_total for c in cases), ZERO),
        sum(1 for c in cases if min(c.monthly, c.one_off) >= 0 and max(c.monthly, c.one_off) > 0),
        sum(1 for c in cases if min(c.monthly, c.one_off) < 0),
    )
