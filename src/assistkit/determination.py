"""The result of assessing one household: :class:`Determination`, its JSON (output-format.md) and its text.

A determination keeps data, not text: reasons (rule id + values + parameter names) are rendered in Chinese or
English only when :meth:`Determination.explain` or :meth:`Determination.to_json` is called.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from .explain import Reason, Rule, _decimal_text, _iso_date, _render, format_value, render_reason
from .household import LIVING_KINDS
from .linkage import NO_STATUS_RULES, NeedState, StatusRules
from .money import ZERO, format_money, round_fen
from .periods import Month
from .policy import Parameters  # at run time too: mypyc builds the class's annotations from the names
from .provenance import Provenance  # at run time too, like Parameters
from .vocabulary import CORE, LIST_SEPARATOR, Vocabulary
from .warning import warning_json

if TYPE_CHECKING:
    from .means import IncomeAccount
    from .programme import Payment, ProgrammeError, ProgrammeResult
    from .review import Action

__all__ = ["Determination", "NeedState", "json_value", "need_json", "payment_json", "reasons_json", "totals_json"]


def json_value(value: Any) -> Any:
    """A reason value made JSON-ready: money as ``"1050.00"``, dates ISO, tuples as lists."""
    kind = type(value)
    # The common kinds first, by exact type (cheaper than isinstance against ABCs; same results).
    if kind is str or kind is int or value is None or kind is bool:
        return value
    if kind is Decimal or kind is dt.date:
        return format_value(value)
    if kind is dict:
        if _STR.issuperset(map(type, value.values())) and _STR.issuperset(map(type, value)):
            return dict(value)  # names to texts (as a programme's extras mostly are): a copy is its JSON
        return {str(k): json_value(v) for k, v in value.items()}
    if kind is tuple or kind is list:
        return [json_value(v) for v in value]
    if isinstance(value, (Decimal, dt.date)):
        return format_value(value)
    if isinstance(value, (list, tuple, frozenset, set)):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, Month):
        return str(value)
    return value


def _reasons_json(reasons: Iterable[Reason], rules: Mapping[str, Rule], lang: str,
                  vocabulary: Vocabulary = CORE) -> list[dict[str, Any]]:
    """The reasons' JSON: ``{"rule", "text", "values"}`` each; each value is formatted once, for the text and the
    JSON both."""
    out = []
    for reason in reasons:
        # Most values are str, int, Decimal or date under a str name: their JSON value serves as their text (an int
        # fills in as str() gives it). A list of names (a unit, the tests failed) is a JSON list, joined in the text.
        # Anything else takes the general way.
        values: dict[str, Any] = {}
        joined: dict[str, str] | None = None
        for k, v in reason.values.items():
            kind = type(v)
            if type(k) is not str:
                break
            if kind is Decimal:
                # Two places, as most amounts have: their own text (what format_money reads first); the rest
                # through the one formatting of decimals.
                text = str(v)
                values[k] = text if 2 < len(text) < 26 and text[-3] == "." else _decimal_text(v, text)
            elif kind is str or kind is int:
                values[k] = v
            elif kind is dt.date:
                values[k] = _iso_date(v)
            elif (kind is tuple or kind is list) and _STR.issuperset(map(type, v)):
                values[k] = list(v)
                if joined is None:
                    joined = {}
                joined[k] = ", ".join(v)
            else:
                break
        else:
            rule_id = reason.rule
            texts = values if joined is None else {**values, **joined}
            out.append({"rule": rule_id, "text": _render(rule_id, texts, rules, lang, vocabulary),
                        "values": values})
            continue
        out.append(_reason_json(reason, rules, lang, vocabulary))
    return out


def _reason_json(reason: Reason, rules: Mapping[str, Rule], lang: str, vocabulary: Vocabulary = CORE
                 ) -> dict[str, Any]:
    """A reason's JSON, whatever its values (booleans, months, maps...): each value's text as format_value gives
    it, and its JSON value as json_value does."""
    texts: dict[Any, str] = {}
    values: dict[str, Any] = {}
    for k, v in reason.values.items():
        texts[k] = format_value(v)
        values[k if type(k) is str else str(k)] = json_value(v)
    return {"rule": reason.rule, "text": _render(reason.rule, texts, rules, lang, vocabulary), "values": values}


_STR = frozenset({str})  # _STR.issuperset(map(type, xs)): every x is a str (not a subclass)


def payment_json(p: Payment) -> dict[str, Any]:
    """A payment's JSON (output-format.md ``programmes.<name>.payments[]``)."""
    return {
        "kind": p.kind,
        "member": p.member,
        "need": p.need,
        "amount": _money(p.amount),
        "approval": p.approval,
        "advance": None if p.advance is None else _money(p.advance),
        "fund": p.fund,
    }


def need_json(n: NeedState) -> dict[str, Any]:
    """A need's JSON (output-format.md ``needs.<id>``)."""
    return {"amount": _money(n.amount), "paid": _money(n.paid), "remaining": _money(n.remaining), "kind": n.kind,
            "date": None if n.date is None else _iso_date(n.date)}


def totals_json(monthly: Decimal, one_off: Decimal) -> dict[str, str]:
    """The determination's ``totals``."""
    return {"monthly": "0.00" if monthly is ZERO else _money(monthly),
            "one_off": "0.00" if one_off is ZERO else _money(one_off)}


def reasons_json(reasons: Iterable[Reason], rules: Mapping[str, Rule], lang: str,
                 vocabulary: Vocabulary = CORE) -> list[dict[str, Any]]:
    """Reasons' JSON: ``{"rule", "text", "values"}`` each, the text rendered in ``lang`` with ``vocabulary``'s
    words for codes."""
    return _reasons_json(reasons, rules, lang, vocabulary)


def _action_json(a: Action) -> dict[str, Any]:
    return {
        "programme": a.programme,
        "action": a.action,
        "member": a.member,
        "enrolled": None if a.enrolled is None else _money(a.enrolled),
        "determined": None if a.determined is None else _money(a.determined),
    }


_money = format_money

# json.dumps(..., ensure_ascii=False) builds an encoder per call; this one is built once. to_json() makes a fresh
# tree of dicts, lists and strings, never a cycle, so the encoder need not look for one: the same text.
_ENCODE = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


@frozen
class Determination:
    """Everything decided for one household on one date."""

    household: str
    on: dt.date
    policy: str
    income: IncomeAccount | None
    household_statuses: tuple[str, ...]
    member_statuses: Mapping[str, tuple[str, ...]]
    programmes: tuple[ProgrammeResult, ...]
    needs: tuple[NeedState, ...]
    next_review: dt.date | None
    actions: tuple[Action, ...]
    errors: tuple[ProgrammeError, ...]
    review_reason: Reason | None
    params: Parameters
    rules: Mapping[str, Rule]
    titles: Mapping[str, tuple[str, str]]
    vocabulary: Vocabulary
    warnings: tuple[Reason, ...]
    """What an official should look at (:mod:`assistkit.warning`): codes with values, rendered zh and en."""
    provenance: Provenance
    """What produced it: engine and plugin versions, locality, policy file digests (JSON ``provenance``)."""
    statuses: StatusRules = NO_STATUS_RULES
    """The engine's status declarations (person-status order, exclusions), for tools that read statuses."""

    # -- views -----------------------------------------------------------------------------------------------

    def programme(self, name: str) -> ProgrammeResult:
        """The result of programme ``name``; ``KeyError`` if it is not installed."""
        for result in self.programmes:
            if result.name == name:
                return result
        raise KeyError(name)

    @property
    def monthly_total(self) -> Decimal:
        return sum((r.monthly for r in self.programmes), ZERO)

    @property
    def one_off_total(self) -> Decimal:
        return sum((r.one_off for r in self.programmes), ZERO)

    def statuses_of(self, member: str) -> tuple[str, ...]:
        return self.member_statuses.get(member, ())

    def with_warnings(self, *warnings: Reason) -> Determination:
        """This determination with ``warnings`` added (e.g. :func:`assistkit.warning.on_defaulted` by a caller
        that chose the date); amounts are unchanged."""
        return attrs.evolve(self, warnings=(*self.warnings, *warnings))

    # -- JSON (output-format.md) ------------------------------------------------------------------------------

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        """The determination as JSON-ready data, exactly the keys of output-format.md plus a few additions."""
        inc = self.income
        income: dict[str, Any]
        if inc is None:
            income = {"unit": [], "countable": "0.00", "employment_deduction": "0.00",
                      "rigid_deduction": "0.00", "per_capita": "0.00"}
        else:
            income = {
                "unit": list(inc.people),
                "countable": _money(round_fen(inc.countable)),
                "employment_deduction": _money(round_fen(inc.employment_deduction)),
                "rigid_deduction": _money(round_fen(inc.rigid_deduction)),
                "per_capita": _money(inc.per_capita),
            }
        programmes: dict[str, Any] = {}
        rules = self.rules
        # The totals as monthly_total and one_off_total sum them, skipping the many programmes that pay the shared
        # ZERO: adding 0.00 to a sum that started at 0.00 changes nothing, not even its exponent.
        monthly_total = one_off_total = ZERO
        for r in self.programmes:
            # One unpacking instead of a field read each: a ProgrammeResult is a named tuple (the hot path).
            name, eligible, monthly, by_member, one_off, payments, reasons, in_kind, _granted, extras, error, _ = r
            entry: dict[str, Any] = {
                "eligible": eligible,
                "monthly": "0.00",
                "one_off": "0.00",
                "payments": [payment_json(p) for p in payments] if payments else [],
                "reasons": _reasons_json(reasons, rules, lang, self.vocabulary) if reasons else [],
            }
            if monthly is not ZERO:
                entry["monthly"] = _money(monthly)
                monthly_total += monthly
            if one_off is not ZERO:
                entry["one_off"] = _money(one_off)
                one_off_total += one_off
            if in_kind:
                entry["in_kind"] = list(in_kind)
            if by_member and any(m is not None for m in by_member):
                entry["monthly_by_member"] = {(m if m is not None else "household"): _money(v)
                                              for m, v in by_member.items()}
            if extras:
                for key, value in extras.items():
                    entry[key] = json_value(value)
            if error is not None:
                entry["error"] = {"plugin": error.plugin, "message": error.message, "cause": error.cause}
            programmes[name] = entry
        out: dict[str, Any] = {
            "household": self.household,
            "on": _iso_date(self.on),
            "policy": self.policy,
            "income": income,
            "statuses": {
                "household": list(self.household_statuses),
                "members": {m: list(s) for m, s in self.member_statuses.items()} if self.member_statuses else {},
            },
            "programmes": programmes,
            "needs": {n.id: need_json(n) for n in self.needs} if self.needs else {},
            "totals": totals_json(monthly_total, one_off_total),
            "next_review": None if self.next_review is None else _iso_date(self.next_review),
            "actions": [_action_json(a) for a in self.actions] if self.actions else [],
        }
        if self.warnings:  # only when there is one: the spec examples' output keeps its keys
            out["warnings"] = [warning_json(w, self.rules, self.vocabulary) for w in self.warnings]
        out["provenance"] = self.provenance.to_json()
        if self.errors:
            out["errors"] = [
                {"programme": e.programme, "plugin": e.plugin, "message": e.message, "cause": e.cause}
                for e in self.errors
            ]
        return out

    def to_json_text(self, *, indent: int | None = None, lang: str = "zh") -> str:
        """:meth:`to_json` serialised (UTF-8 text, Chinese kept readable)."""
        if indent is None:
            return _ENCODE(self.to_json(lang))
        return json.dumps(self.to_json(lang), ensure_ascii=False, indent=indent)

    # -- text -------------------------------------------------------------------------------------------------

    def explain(self, lang: str = "zh", *, codes: bool = False) -> str:
        """The explanation: each amount with its rule (§), inputs and parameters with effective dates.

        Every code is named in words (:attr:`vocabulary`): the Chinese text holds no code but the ids the
        household gave, the English no snake_case. ``codes=True`` adds the rule ids and parameter names (the
        trace a developer follows to the source)."""
        return _Explainer(self, lang, codes).render()


_LABELS = {
    "zh": {
        "head": "家庭 {h} · 认定日期 {on} · 政策 {policy}",
        "income": "收入核算（§3）：低保单元 {unit}",
        "statuses": "身份：家庭 {household}；成员 {members}",
        "member_statuses": "{m} {s}",
        "members_sep": "；",
        "none": "无",
        "programme": "{title}{name}：{eligible}；每月 {monthly} 元，一次性 {one_off} 元 [§14{totals}]",
        "name": "（{name}）",
        "eligible": "符合", "not_eligible": "不符合",
        "monthly_part": "  每月 {amount} 元{who} [{cite}]",
        "payment": "  支付{kind}{who}{need}：{amount} 元{extra} [{cite}]",
        "extra": "（{items}）",
        "extra_sep": "，",
        "advance": "先行救助 {amount} 元",
        "fund": "基金 {fund}",
        "reason": "  [{cite}] {text}",
        "param": "    参数「{label}」{name}= {value}（{file}，自 {effective} 起）",
        "param_name": "{name} ",
        "true": "是", "false": "否",
        "needs": "需求（§14.0）：",
        "need": "  {id}：需求 {amount} 元，已付 {paid} 元（{who}），剩余 {remaining} 元 [§14.2{ledger}]",
        "totals": "合计 [§14{totals}]：每月 {monthly} 元，一次性 {one_off} 元",
        "review": "下次复核 [{cite}]：{text}",
        "no_review": "下次复核：无（无任何救助身份）",
        "action": "动态管理 [{cite}] {programme}{who}：{action}",
        "error": "错误：{programme}（插件 {plugin}）：{message}",
        "for": "（{m}）",
        "toward": "，用于 {n}",
        "names": "，因 {n}（不计入该需求）",
    },
    "en": {
        "head": "Household {h} · assessed on {on} · policy {policy}",
        "income": "Income accounting (§3): dibao unit {unit}",
        "statuses": "Statuses: household {household}; members {members}",
        "member_statuses": "{m} {s}",
        "members_sep": "; ",
        "none": "none",
        "programme": "{title}{name}: {eligible}; {monthly} yuan a month, {one_off} yuan one-off [§14{totals}]",
        "name": " ({name})",
        "eligible": "eligible", "not_eligible": "not eligible",
        "monthly_part": "  monthly {amount} yuan{who} [{cite}]",
        "payment": "  payment: {kind}{who}{need}: {amount} yuan{extra} [{cite}]",
        "extra": " ({items})",
        "extra_sep": ", ",
        "advance": "advance relief {amount} yuan",
        "fund": "fund {fund}",
        "reason": "  [{cite}] {text}",
        "param": "    parameter \"{label}\" {name}= {value} ({file}, in force from {effective})",
        "param_name": "{name} ",
        "true": "yes", "false": "no",
        "needs": "Needs (§14.0):",
        "need": ("  {id}: need {amount} yuan, paid {paid} yuan ({who}), remaining {remaining} yuan "
                 "[§14.2{ledger}]"),
        "totals": "Totals [§14{totals}]: {monthly} yuan a month, {one_off} yuan one-off",
        "review": "Next review [{cite}]: {text}",
        "no_review": "Next review: none (no status held)",
        "action": "Dynamic management [{cite}] {programme}{who}: {action}",
        "error": "Error: {programme} (plugin {plugin}): {message}",
        "for": " ({m})",
        "toward": " toward {n}",
        "names": " for {n} (not toward the need)",
    },
}


class _Explainer:
    def __init__(self, d: Determination, lang: str, codes: bool = False) -> None:
        if lang not in _LABELS:
            raise ValueError(f"unknown language {lang!r}; use 'zh' or 'en'")
        self.d, self.lang, self.L, self.codes = d, lang, _LABELS[lang], codes
        self.words = d.vocabulary
        self.sep = LIST_SEPARATOR[lang]
        self.lines: list[str] = []
        self.param_lines: dict[str, str | None] = {}  # a parameter is cited by many reasons: rendered once

    def cite(self, rule: str | None, fallback: str = "") -> str:
        """``§6.3`` (the rule's clause), with the rule id too when codes are asked for."""
        r = self.d.rules.get(rule or "")
        section = r.section if r is not None else "§"
        return f"{section} {rule or fallback}" if self.codes else section

    def label(self, kind: str, code: str) -> str:
        return self.words.label(kind, code, self.lang)

    def reason(self, reason: Reason) -> None:
        self.lines.append(self.L["reason"].format(
            cite=self.cite(reason.rule), text=render_reason(reason, self.d.rules, self.lang, self.words)))
        for name in reason.params:
            self.param(name)

    def value(self, value: object) -> str:
        """A parameter's value, its codes (keys of a map, items of a list) in words."""
        if isinstance(value, bool):
            return self.L["true"] if value else self.L["false"]
        if isinstance(value, Mapping):
            return self.sep.join(f"{self.find(str(k))}（{self.value(v)}）" if isinstance(v, Mapping) and
                                 self.lang == "zh" else
                                 f"{self.find(str(k))} ({self.value(v)})" if isinstance(v, Mapping) else
                                 f"{self.find(str(k))} {self.find(v) if isinstance(v, str) else self.value(v)}"
                                 for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return self.sep.join(self.find(v) if isinstance(v, str) else self.value(v) for v in value)
        return format_value(value)

    def find(self, code: str) -> str:
        """The words for a code of a parameter's value, whatever its kind."""
        return self.words.find(code, self.lang)

    def param(self, name: str) -> None:
        line = self.param_lines.get(name, "")
        if line == "":
            params = self.d.params
            try:
                value, source = params[name], params.source(name)
            except KeyError:
                line = None
            else:
                line = self.L["param"].format(
                    label=self.label("parameter", name),
                    name=self.L["param_name"].format(name=name) if self.codes else "",
                    value=self.value(value), file=source.file, effective=source.effective.isoformat())
            self.param_lines[name] = line
        if line is not None:
            self.lines.append(line)

    def render(self) -> str:
        d, L, out, codes = self.d, self.L, self.lines, self.codes
        out.append(L["head"].format(h=d.household, on=d.on.isoformat(), policy=d.policy))
        for w in d.warnings:
            self.reason(w)
        if d.income is not None:
            out.append(L["income"].format(unit=self.sep.join(d.income.people) or L["none"]))
            for reason in d.income.reasons:
                self.reason(reason)
        members = L["members_sep"].join(L["member_statuses"].format(m=m, s=self.words.join("status", s, self.lang))
                                        for m, s in d.member_statuses.items())
        out.append(L["statuses"].format(household=self.words.join("status", d.household_statuses, self.lang)
                                        or L["none"], members=members or L["none"]))
        totals = " totals" if codes else ""
        for r in d.programmes:
            zh, en = d.titles.get(r.name, (r.name, r.name))
            title = zh if self.lang == "zh" else en
            out.append(L["programme"].format(title=title, name=L["name"].format(name=r.name) if codes else "",
                                             eligible=L["eligible"] if r.eligible else L["not_eligible"],
                                             monthly=format_money(r.monthly), one_off=format_money(r.one_off),
                                             totals=totals))
            for member, amount, rule in r.monthly_parts:
                who = L["for"].format(m=member) if member else ""
                out.append(L["monthly_part"].format(amount=format_money(amount), who=who,
                                                    cite=self.cite(rule, r.name)))
            for p in r.payments:
                rule = p.rule or f"{r.name}.{p.kind}"
                extra = []
                if p.approval:
                    extra.append(self.label("approval", p.approval))
                if p.advance is not None:
                    extra.append(L["advance"].format(amount=format_money(p.advance)))
                if p.fund:
                    extra.append(L["fund"].format(fund=p.fund))
                out.append(L["payment"].format(
                    kind=self.label("payment", f"{r.name}.{p.kind}"),
                    who=L["for"].format(m=p.member) if p.member else "",
                    # Living relief names its event without paying toward it (§D.6).
                    need=L["names" if p.kind in LIVING_KINDS else "toward"].format(n=p.need) if p.need else "",
                    amount=format_money(p.amount),
                    extra=L["extra"].format(items=L["extra_sep"].join(extra)) if extra else "",
                    cite=self.cite(rule)))
            for reason in r.reasons:
                self.reason(reason)
            if r.error is not None:
                out.append(L["error"].format(programme=title, plugin=r.error.plugin, message=r.error.message))
        if d.needs:
            out.append(L["needs"])
            for n in d.needs:
                who = self.sep.join(f"{self.programme(p)} {format_money(a)}" for p, a in n.entries) or L["none"]
                out.append(L["need"].format(id=n.id, amount=format_money(n.amount), paid=format_money(n.paid),
                                            who=who, remaining=format_money(n.remaining),
                                            ledger=" linkage.needs" if codes else ""))
        out.append(L["totals"].format(monthly=format_money(d.monthly_total), one_off=format_money(d.one_off_total),
                                      totals=totals))
        if d.review_reason is not None:
            out.append(L["review"].format(cite=self.cite(d.review_reason.rule),
                                          text=render_reason(d.review_reason, d.rules, self.lang, self.words)))
            for name in d.review_reason.params:
                self.param(name)
        else:
            out.append(L["no_review"])
        for a in d.actions:
            out.append(L["action"].format(cite=self.cite(a.rule), programme=self.programme(a.programme),
                                          who=L["for"].format(m=a.member) if a.member else "",
                                          action=render_reason(Reason(a.rule, {
                                              "enrolled": a.enrolled if a.enrolled is not None else "-",
                                              "determined": a.determined if a.determined is not None else "-"}),
                                              d.rules, self.lang, self.words)))
        return "\n".join(out) + "\n"

    def programme(self, name: str) -> str:
        titles = self.d.titles.get(name)
        if titles is not None:
            return titles[0] if self.lang == "zh" else titles[1]
        return self.label("programme", name)
