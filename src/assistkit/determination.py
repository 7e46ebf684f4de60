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

from .explain import (
    REASON_FORMS,
    Reason,
    Rule,
    _as_read,
    _decimal_text,
    _iso_date,
    _render,
    format_value,
    render_reason,
)
from .household import LIVING_KINDS
from .linkage import NO_STATUS_RULES, NeedState, StatusRules
from .money import ZERO, format_money, round_fen
from .periods import Month
from .policy import Parameters  # at run time too: mypyc builds the class's annotations from the names
from .provenance import Provenance  # at run time too, like Parameters
from .vocabulary import CORE, LIST_SEPARATOR, Vocabulary
from .warning import warning_data, warning_json, warning_rendered

if TYPE_CHECKING:
    from .means import IncomeAccount
    from .programme import Payment, ProgrammeError, ProgrammeResult
    from .review import Action

__all__ = [
    "Determination",
    "NeedState",
    "ParamRefs",
    "json_value",
    "need_json",
    "payment_json",
    "reasons_data",
    "reasons_json",
    "render_reasons_json",
    "totals_json",
]


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


# -- reasons as data (--reasons data) and their text rendered later ---------------------------------------------


class ParamRefs:
    """Where each parameter a reason cites comes from, for the data form: ``[file, effective]``, the file as the
    index of its entry in the determination's ``provenance.policy_files`` (its path where it is not there) and the
    date its value took effect; ``None`` for a name the parameters do not hold. Made once per resolved parameters
    (:meth:`~assistkit.policy.Parameters.derived`), so that a citation costs a look-up."""

    def __init__(self, params: Parameters) -> None:
        self.sources: dict[str, tuple[str, str]] = {}
        for name in params:
            source = params.source(name)
            self.sources[name] = (source.file, _iso_date(source.effective))
        self._tables: dict[str, dict[str, tuple[int | str, str]]] = {}

    def table(self, provenance: Provenance) -> dict[str, tuple[int | str, str]]:
        """Each parameter's reference, with the files of ``provenance`` (made once per provenance)."""
        table = self._tables.get(provenance.id)
        if table is None:
            index = {file: i for i, (file, _digest) in enumerate(provenance.policy_files)}
            table = {name: (index.get(file, file), effective) for name, (file, effective) in self.sources.items()}
            self._tables[provenance.id] = table
        return table


def _reason_data(reason: Reason, refs: Mapping[str, Any] | None) -> dict[str, Any]:
    """A reason in the data form: ``{"rule", "values"}``, and ``"params"`` (by name, :meth:`ParamRefs.table`) when
    it cites any. ``values`` are exactly the text form's (:func:`reasons_json`); the text is not rendered.

    :func:`render_reasons_json` renders the text from ``values`` alone, as :func:`_reasons_json` does from the
    reason. Where a value's text is not the one its JSON value gives (a value of an unusual kind: taken the
    general way), the text is kept beside it, under ``"texts"``, so that the text rendered later is the same."""
    values: dict[str, Any] = {}
    for k, v in reason.values.items():
        kind = type(v)
        if type(k) is not str:
            break
        if kind is Decimal:
            text = str(v)
            values[k] = text if 2 < len(text) < 26 and text[-3] == "." else _decimal_text(v, text)
        elif kind is str or kind is int:
            values[k] = v
        elif kind is dt.date:
            values[k] = _iso_date(v)
        elif (kind is tuple or kind is list) and _STR.issuperset(map(type, v)):
            values[k] = list(v)
        else:
            break
    else:
        out: dict[str, Any] = {"rule": reason.rule, "values": values}
        if refs is not None and reason.params:
            out["params"] = {name: refs.get(name) for name in reason.params}
        return out
    # The general way (_reason_json): each value's JSON as json_value gives it; its text where it differs from
    # the one the JSON value gives.
    values = {}
    texts: dict[str, str] = {}
    for k, v in reason.values.items():
        key = k if type(k) is str else str(k)
        value = values[key] = json_value(v)
        text = format_value(v)
        derived = _value_text(_as_read(value))
        if type(derived) is not str or derived != text:
            texts[key] = text
    out = {"rule": reason.rule, "values": values}
    if texts:
        out["texts"] = texts
    if refs is not None and reason.params:
        out["params"] = {name: refs.get(name) for name in reason.params}
    return out


def reasons_data(reasons: Iterable[Reason], refs: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Reasons in the data form (``--reasons data``): ``{"rule", "values", "params"}`` each, no text; ``refs``
    (:meth:`ParamRefs.table` of the parameters used) gives each cited parameter's file and effective date."""
    return [_reason_data(r, refs) for r in reasons]


def _value_text(value: Any) -> Any:
    """The text of a reason's value as its JSON value gives it: what :func:`~assistkit.explain.format_value`
    gives for the value whose JSON (:func:`json_value`) it is. A str or an int is itself (it fills in as
    :func:`_reasons_json` passes it); a list of names is joined."""
    kind = type(value)
    if kind is str or kind is int:
        return value
    if kind is list and _STR.issuperset(map(type, value)):
        return ", ".join(value)
    return _json_text(value)


def _json_text(value: Any) -> str:
    """:func:`~assistkit.explain.format_value` of the value whose JSON is ``value`` (always a str)."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[no-any-return]
    if kind is bool:
        return "true" if value else "false"
    if kind is list:
        return ", ".join(_json_text(v) for v in value)
    if kind is dict:
        return ", ".join(f"{k} ({_json_text(v)})" if type(v) is dict else f"{k} {_json_text(v)}"
                         for k, v in value.items())
    return str(value)


def _is_data(item: Any) -> bool:
    """Whether ``item`` is a reason in the data form (a rule and values, no text)."""
    return type(item) is dict and "rule" in item and "values" in item and "text" not in item


def render_reasons_json(record: Any, rules: Mapping[str, Rule], lang: str = "zh", vocabulary: Vocabulary = CORE,
                        provenance: Provenance | None = None) -> Any:
    """``record`` (a determination's JSON, a review entry, a compare change record…) with every reason written as
    data (``--reasons data``) rendered in ``lang`` with ``rules`` and ``vocabulary`` (the engine's): the record
    ``--reasons text`` writes, key for key.

    Found by where they are, whatever the record: the items of a ``reasons`` list (also under ``{"base",
    "reform"}``) become ``{"rule", "text", "values"}``; a ``why`` item and a ``review`` become ``{"rule",
    "text"}``; an entry with an ``action`` has its ``values`` replaced by its ``text``; a ``warnings`` item
    becomes ``{"code", "message": {"zh", "en"}, "values"}``; a ``provenance`` written as its id alone becomes the
    whole record of ``provenance``, which must have that id (``ValueError`` otherwise: the text of other plugins'
    rules could differ). Anything else is copied as it is; a record in the text form comes back equal. Returns a
    new record."""
    return _Renderer(rules, lang, vocabulary, provenance).render(record)


class _Renderer:
    """:func:`render_reasons_json`'s walk over a record."""

    def __init__(self, rules: Mapping[str, Rule], lang: str, vocabulary: Vocabulary,
                 provenance: Provenance | None) -> None:
        if lang not in _LABELS:
            raise ValueError(f"unknown language {lang!r}; use 'zh' or 'en'")
        self.rules, self.lang, self.vocabulary, self.provenance = rules, lang, vocabulary, provenance

    def text(self, data: Mapping[str, Any]) -> str:
        """The text of a reason in the data form: what :func:`_reasons_json` renders for it."""
        texts = {k: _value_text(v) for k, v in data["values"].items()}
        more = data.get("texts")
        if more:
            texts.update(more)
        return _render(data["rule"], texts, self.rules, self.lang, self.vocabulary)

    def render(self, value: Any) -> Any:
        kind = type(value)
        if kind is list:
            return [self.render(v) for v in value]
        if kind is not dict:
            return value
        out: dict[str, Any] = {}
        action = "action" in value and _is_data(value)  # a review entry's action: its text where its values were
        for k, v in value.items():
            if action and (k == "values" or k == "params" or k == "texts"):
                if k == "values":
                    out["text"] = self.text(value)
            elif k == "reasons" or k == "why":
                out[k] = self.reasons(v, k == "reasons")
            elif k == "review" and _is_data(v):
                out[k] = {"rule": v["rule"], "text": self.text(v)}
            elif k == "warnings" and type(v) is list:
                out[k] = [warning_rendered(w, self.rules, self.vocabulary) if type(w) is dict and "message" not in w
                          else self.render(w) for w in v]
            elif k == "provenance" and type(v) is dict and len(v) == 1 and "id" in v:
                out[k] = self.whole_provenance(v["id"], value.get("household"))
            else:
                out[k] = self.render(v)
        return out

    def reasons(self, value: Any, keep_values: bool) -> Any:
        if type(value) is dict:  # reasons by side (compare: base, reform)
            return {k: self.reasons(v, keep_values) for k, v in value.items()}
        if type(value) is not list:
            return self.render(value)
        out = []
        for item in value:
            if _is_data(item):
                text = self.text(item)
                out.append({"rule": item["rule"], "text": text, "values": item["values"]} if keep_values
                           else {"rule": item["rule"], "text": text})
            else:
                out.append(self.render(item))
        return out

    def whole_provenance(self, written: Any, household: Any) -> dict[str, Any]:
        mine = self.provenance
        if mine is None or mine.id != written:
            have = "no provenance" if mine is None else f"provenance {mine.id}"
            raise ValueError(
                f"determination {household}: written by provenance {written}, and the engine rendering it has {have} "
                "(other plugins, versions or policy files, whose rules' text may differ): render it with the "
                "engine that wrote it (the same --locality and --policy files, the same installed plugins)")
        return mine.to_json()


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

    def to_json(self, lang: str = "zh", reasons: str = "text") -> dict[str, Any]:
        """The determination as JSON-ready data, exactly the keys of output-format.md plus a few additions.

        ``reasons`` (:data:`~assistkit.explain.REASON_FORMS`): ``"text"`` renders each reason in ``lang``, as
        output-format.md has it; ``"data"`` writes each reason's rule, values and cited parameters
        (:func:`reasons_data`) and renders nothing (:func:`render_reasons_json` renders them later, the same
        text); ``"none"`` leaves the programmes' reasons out. With either, warnings are written as data
        (:func:`~assistkit.warning.warning_data`) and the provenance as its id alone (the same record in every
        determination of a run: its summary has it whole)."""
        text = reasons == "text"
        refs: dict[str, tuple[int | str, str]] | None = None
        if not text:
            if reasons == "data":
                refs = self.params.derived(ParamRefs).table(self.provenance)
            elif reasons != "none":
                raise ValueError(f"reasons must be one of {', '.join(REASON_FORMS)}; got {reasons!r}")
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
            name, eligible, monthly, by_member, one_off, payments, why, in_kind, _granted, extras, error, _ = r
            entry: dict[str, Any] = {
                "eligible": eligible,
                "monthly": "0.00",
                "one_off": "0.00",
                "payments": [payment_json(p) for p in payments] if payments else [],
            }
            if text:
                entry["reasons"] = _reasons_json(why, rules, lang, self.vocabulary) if why else []
            elif refs is not None:
                entry["reasons"] = [_reason_data(reason, refs) for reason in why] if why else []
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
            out["warnings"] = ([warning_json(w, self.rules, self.vocabulary) for w in self.warnings] if text
                               else [warning_data(w, refs) for w in self.warnings])
        # The provenance is the same record in every determination of a run: as data, its id stands for it (the
        # run's summary has it whole; render_reasons_json puts it back from the engine that has that id).
        out["provenance"] = self.provenance.to_json() if text else {"id": self.provenance.id}
        if self.errors:
            out["errors"] = [
                {"programme": e.programme, "plugin": e.plugin, "message": e.message, "cause": e.cause}
                for e in self.errors
            ]
        return out

    def to_json_text(self, *, indent: int | None = None, lang: str = "zh", reasons: str = "text") -> str:
        """:meth:`to_json` serialised (UTF-8 text, Chinese kept readable)."""
        if indent is None:
            return _ENCODE(self.to_json(lang, reasons))
        return json.dumps(self.to_json(lang, reasons), ensure_ascii=False, indent=indent)

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
