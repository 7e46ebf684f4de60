"""JSON Schemas of the data assistkit reads and writes, generated from the model so they cannot drift.

- :func:`household_schema`: one household (household-format.md), built from the attrs classes of
  :mod:`assistkit.household` — every field with its JSON type, vocabulary, default and meaning (en and zh).
- :func:`determination_schema`: one determination (output-format.md), as :meth:`Determination.to_json
  <assistkit.determination.Determination.to_json>` writes it.
- :func:`error_schema`: the error object a rejected line becomes in a batch (§17).

The schemas are JSON Schema draft 2020-12. They check shapes, vocabularies and the form of money and dates;
the rules between fields (one head, references to members and needs, ``month`` or ``from``/``to``) are
stated in the descriptions and checked by :func:`assistkit.io.structure_household`, which names every problem
with its path.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from . import household as model
from .declared import CORE, Declared, Fact
from .periods import Month

__all__ = [
    "DRAFT",
    "FIELD_DOCS",
    "MODEL_CLASSES",
    "determination_schema",
    "error_schema",
    "household_schema",
    "json_name",
]

DRAFT = "https://json-schema.org/draft/2020-12/schema"

MODEL_CLASSES: tuple[type, ...] = (
    model.Household, model.Person, model.School, model.Adl, model.Income, model.Asset, model.Expense,
    model.Event, model.Housing, model.Enrolment, model.PastPayment, model.Obligor, model.Fund,
)
"""The attrs classes of the household format, in the order household-format.md gives them."""

_TITLES: dict[type, tuple[str, str]] = {
    model.Household: ("A household: the people assessed together and their means",
                      "家庭：共同认定的人员及其收入、财产"),
    model.Person: ("A member of the household", "家庭成员"),
    model.School: ("The member's schooling", "在学情况"),
    model.Income: ("An income record over one month or a run of months (§3.1)",
                   "收入记录，覆盖一个月或连续若干月（§3.1）"),
    model.Asset: ("An asset of the household or of one member (§4)", "家庭或成员的财产（§4）"),
    model.Expense: ("A medical or tuition expense: a need (§14.0)", "医疗或学费支出：一项需求（§14.0）"),
    model.Event: ("An emergency event: a need for temporary relief (§12)", "突发事件：临时救助的需求（§12）"),
    model.Housing: ("Where the household lives (§11)", "住房情况（§11）"),
    model.Enrolment: ("Assistance the household already receives", "家庭已在享受的救助"),
    model.PastPayment: ("Assistance already paid (`history`; Payment in household-format.md)",
                        "已发放的救助（history）"),
    model.Fund: ("A social-force donation fund (§13): a separate JSON list",
                 "社会力量捐赠基金（§13），单独的 JSON 列表"),
    model.Adl: ("The six activities of daily living of a self-care assessment, each true when done alone "
                "(china-rules §5.5)", "生活自理能力评估的六项日常生活活动，能独立完成为 true（全国规则 §5.5）"),
    model.Obligor: ("A supporting relative outside the household and their own household (china-rules §3.6)",
                    "家庭以外的赡养、抚养、扶养义务人及其家庭（全国规则 §3.6）"),
}

FIELD_DOCS: dict[str, tuple[str, str]] = {
    # Household
    "Household.id": ("Household id, unique within a population", "家庭编号，在同一批数据中唯一"),
    "Household.residence": ("Urban or rural: which standard applies", "城市或农村：适用哪一档标准"),
    "Household.members": ("The members; exactly one has relationship `head`", "家庭成员；有且仅有一名户主（head）"),
    "Household.locality": ("The locality whose rules apply", "适用其政策的地区"),
    "Household.community": ("Village or residents' committee, for public notices", "所在村或社区，用于公示"),
    "Household.hukou_local": ("Whether the household's registration (hukou) is local", "是否本地户籍"),
    "Household.incomes": ("Income records", "收入记录"),
    "Household.assets": ("Assets", "财产"),
    "Household.expenses": ("Medical and tuition expenses", "医疗和学费支出"),
    "Household.events": ("Emergency events (fire, accident, sudden illness, disaster)",
                         "突发事件（火灾、意外、急病、灾害）"),
    "Household.housing": ("Housing; null when not known", "住房情况；未知时为 null"),
    "Household.enrolments": ("Assistance already received", "已享受的救助"),
    "Household.history": ("Assistance already paid", "已发放的救助"),
    "Household.obligors": ("Supporting relatives outside the household (赡养/抚养/扶养义务人), from whose means the "
                           "locality may count support payments (china-rules §3.6); default: none",
                           "家庭以外的赡养、抚养、扶养义务人，地方可据其家庭收入核算赡养费等（全国规则 §3.6）；默认无"),
    # Person
    "Person.id": ("Member id, unique within the household", "成员编号，在家庭内唯一"),
    "Person.name": ("Name", "姓名"),
    "Person.birth_date": ("Date of birth; not after the assessment date", "出生日期；不晚于认定日期"),
    "Person.relationship": ("Relationship to the head of household", "与户主关系"),
    "Person.id_number": ("Resident identity number (GB 11643): 18 characters, check character valid, encoding "
                         "birth_date", "公民身份号码（GB 11643）：18 位，校验码正确，所含出生日期与 birth_date 一致"),
    "Person.disability_grade": ("Disability grade 1 (most severe) to 4; null when none",
                                "残疾等级 1（最重）至 4；无残疾为 null"),
    "Person.serious_illness": ("Has a serious illness", "是否患重病"),
    "Person.labour_capacity": ("Capacity to work", "劳动能力"),
    "Person.self_care": ("Capacity to look after oneself", "生活自理能力"),
    "Person.school": ("Schooling; null when not in school", "在学情况；不在学为 null"),
    "Person.has_capable_supporter": ("Has a legal supporter able to support them (§5)",
                                     "是否有具备赡养、抚养、扶养能力的义务人（§5）"),
    "Person.orphan": ("Is an orphan", "是否孤儿"),
    "Person.refused_job_offers": ("Suitable job offers refused without good reason in the last 12 months",
                                  "近 12 个月无正当理由拒绝适当工作的次数"),
    "Person.marital_status": ("Marital status: unmarried, married, divorced or widowed; null when not given",
                              "婚姻状况：未婚、已婚、离异或丧偶；未提供为 null"),
    "Person.single_parent": ("Raises a child alone (single parent, china-rules §3.7)",
                             "是否独自抚养子女的单亲父母（全国规则 §3.7）"),
    "Person.adl": ("The six activities of daily living when assessed; self-care is then classified from them "
                   "where the locality says so (china-rules §5.5); null when not assessed",
                   "已评估的六项日常生活活动；地方规定时据此认定生活自理能力（全国规则 §5.5）；未评估为 null"),
    # Adl
    "Adl.eating": ("Eats alone", "能否独立进食"),
    "Adl.dressing": ("Dresses alone", "能否独立穿衣"),
    "Adl.transferring": ("Gets in and out of bed alone", "能否独立上下床"),
    "Adl.toileting": ("Uses the toilet alone", "能否独立如厕"),
    "Adl.walking": ("Walks indoors alone", "能否独立在室内行走"),
    "Adl.bathing": ("Bathes alone", "能否独立洗澡"),
    # Obligor
    "Obligor.relationship": ("What the obligor is to the person supported: child or grandchild (赡养), parent or "
                             "grandparent (抚养), spouse or sibling (扶养)",
                             "义务人与被赡养（抚养、扶养）人的关系：子女或孙子女（赡养）、父母或祖父母（抚养）、配偶或兄弟姐妹（扶养）"),
    "Obligor.member": ("Member id of the person supported; null for the household",
                       "被赡养（抚养、扶养）的成员编号；整户为 null"),
    "Obligor.household_income": ("The obligor household's monthly income", "义务人家庭月收入"),
    "Obligor.household_size": ("People in the obligor's household, at least 1", "义务人家庭人口数，至少 1"),
    "Obligor.households_supported": ("Households the obligor must support, this one included, at least 1",
                                     "义务人应赡养（抚养、扶养）的家庭数，含本家庭，至少 1"),
    "Obligor.statuses": ("Statuses the obligor's household holds (dibao, tekun …)",
                         "义务人家庭享有的身份（低保、特困等）"),
    "Obligor.agreed_amount": ("Monthly amount set by a judgment, mediation or agreement; null when none",
                              "判决书、调解书或协议确定的月赡养（抚养、扶养）费；无则为 null"),
    # School
    "School.stage": ("Stage of schooling", "就读学段"),
    "School.boarding": ("Boards at school", "是否寄宿"),
    "School.tuition": ("Tuition charged for the current school year", "本学年学费"),
    # Income
    "Income.category": ("Category of income (§3.2)", "收入类别（§3.2）"),
    "Income.member": ("Member id; null for household income", "成员编号；家庭收入为 null"),
    "Income.kind": ("Kind, compared with the parameter income.excluded_kinds",
                    "收入项目，与参数 income.excluded_kinds 比对"),
    "Income.amount": ("Amount over the whole record; null only for casual income with days or farm income with "
                      "land_mu", "整条记录的金额；仅零工（给出 days）或种植（给出 land_mu）可为 null"),
    "Income.month": ("The one month covered (or give from and to)", "覆盖的单个月份（或给出 from 与 to）"),
    "Income.from_": ("First month covered (with to)", "覆盖的起始月份（与 to 同时给出）"),
    "Income.to": ("Last month covered, inclusive (with from)", "覆盖的截止月份，含当月（与 from 同时给出）"),
    "Income.days": ("Days worked (casual income only)", "零工天数（仅零工收入）"),
    "Income.land_mu": ("Land farmed, in mu (farm income only)", "耕种面积（亩，仅种植收入）"),
    # Asset
    "Asset.kind": ("Kind of asset (§4)", "财产类别（§4）"),
    "Asset.value": ("Value", "价值"),
    "Asset.member": ("Member id; null for the household's", "成员编号；家庭共有为 null"),
    "Asset.exempt": ("A vehicle needed for a disability or as the main work tool",
                     "因残疾或作为主要生产工具所需的车辆"),
    # Expense
    "Expense.id": ("Need id, unique within the household across expenses and events",
                   "需求编号，在家庭的支出和事件中唯一"),
    "Expense.member": ("Member id", "成员编号"),
    "Expense.kind": ("Kind of expense", "支出类别"),
    "Expense.date": ("Date; not after the assessment date", "日期；不晚于认定日期"),
    "Expense.total": ("Total cost", "总费用"),
    "Expense.in_scope": ("Cost inside the insurance policy scope; default: total", "政策范围内费用；默认等于 total"),
    "Expense.insurance_paid": ("Paid by basic and critical-illness insurance", "基本医保和大病保险已报销"),
    # Event
    "Event.id": ("Need id, unique within the household across expenses and events",
                 "需求编号，在家庭的支出和事件中唯一"),
    "Event.kind": ("Kind of event", "事件类别"),
    "Event.date": ("Date; not after the assessment date", "日期；不晚于认定日期"),
    "Event.loss": ("Loss suffered", "损失金额"),
    "Event.compensated": ("Insurance or other compensation already received", "已获保险或其他赔偿"),
    "Event.house_damage": ("Damage to the dwelling (disaster events only): none, damaged, severe or collapsed",
                           "住房受损程度（仅限灾害事件）：无、一般损坏、严重损坏或倒塌"),
    "Event.deceased": ("The household's people who died in the event (disaster only; no longer members)",
                       "在事件中遇难的家庭人员数（仅限灾害事件；已不在成员之列）"),
    "Event.duration_months": ("Months the hardship it caused is expected to last (china-rules §5.6, §5.11); null "
                              "when not given", "预计困难持续的月数（全国规则 §5.6、§5.11）；未提供为 null"),
    # Housing
    "Housing.tenure": ("Tenure", "住房性质"),
    "Housing.floor_area": ("Floor area, square metres", "建筑面积（平方米）"),
    "Housing.monthly_rent": ("Monthly rent", "月租金"),
    "Housing.dilapidated_grade": ("Dilapidation grade C or D (owned homes only)", "危房等级 C 或 D（仅自有住房）"),
    "Housing.properties_owned": ("Dwellings owned", "拥有住房套数"),
    "Person.ext": ("Facts installed programmes declare, by programme (the extension block)",
                   "已安装救助项目声明的补充信息，按项目分组（扩展块）"),
    "Household.ext": ("Facts installed programmes declare, by programme (the extension block)",
                      "已安装救助项目声明的补充信息，按项目分组（扩展块）"),
    # Enrolment
    "Enrolment.programme": ("Programme enrolled in", "已纳入的救助项目"),
    "Enrolment.since": ("Enrolled since", "纳入日期"),
    "Enrolment.monthly_amount": ("Monthly amount being paid", "当前每月金额"),
    "Enrolment.member": ("Member id; null for the household", "成员编号；整户为 null"),
    "Enrolment.gradual_exit_from": ("Start of the gradual exit (dibao only, §6.7)", "渐退期起始日期（仅低保，§6.7）"),
    # PastPayment
    "PastPayment.programme": ("Programme that paid", "发放的救助项目"),
    "PastPayment.kind": ("Kind of payment", "支付类别"),
    "PastPayment.date": ("Date paid", "发放日期"),
    "PastPayment.amount": ("Amount paid", "发放金额"),
    "PastPayment.member": ("Member id; null for the household", "成员编号；整户为 null"),
    "PastPayment.need": ("Expense or event id the payment met; null when none", "所针对的支出或事件编号；无则为 null"),
    # Fund
    "Fund.id": ("Fund id, unique in the list", "基金编号，在列表中唯一"),
    "Fund.name": ("Name", "名称"),
    "Fund.balance": ("Balance available", "可用余额"),
    "Fund.need_kinds": ("Kinds of need the fund meets", "基金可资助的需求类别"),
    "Fund.per_household_cap": ("Most paid to one household", "每户资助上限"),
    "Fund.valid_from": ("First day the fund pays", "开始资助日期"),
    "Fund.valid_to": ("Last day the fund pays", "截止资助日期"),
    "Fund.statuses": ("Statuses a household must hold one of; empty: any", "受助家庭须具备的身份之一；空表示不限"),
}
"""Meaning of every field of the model, ``"Class.attribute"`` → ``(English, Chinese)``."""

_DECIMALS = frozenset({"Income.land_mu", "Housing.floor_area"})
"""Decimal fields that are not money (any number of places)."""

_IDS = frozenset({"Household.id", "Person.id", "Expense.id", "Event.id", "Fund.id"})
"""String fields that must not be empty."""

_RULES: dict[type, str] = {
    model.Household: "Exactly one member has relationship 'head'; every `member` names a member; every `need` of "
                     "history names an expense or event; ids are unique (expenses and events share one set).",
    model.Income: "Give `month`, or `from` and `to` (from ≤ to). `amount` is required unless the category is "
                  "casual with `days` or farm with `land_mu`.",
    model.Expense: "in_scope ≤ total; insurance_paid ≤ in_scope.",
    model.Event: "compensated ≤ loss.",
    model.Housing: "dilapidated_grade only with tenure 'owned'.",
    model.Enrolment: "gradual_exit_from only for programme 'dibao'.",  # or those declaring a gradual exit (§6.7)
    model.Obligor: "household_size and households_supported ≥ 1; member names a member.",
    model.Fund: "valid_from ≤ valid_to.",
}

MONEY_PATTERN = r"^[0-9]+(\.[0-9]{1,2})?$"
DECIMAL_PATTERN = r"^[0-9]+(\.[0-9]+)?$"


def json_name(attribute: str) -> str:
    """The JSON key of a model attribute: ``from_`` is ``from`` (a Python keyword), every other the same."""
    return attribute.removesuffix("_")


def _money(places: bool = True) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "string", "pattern": MONEY_PATTERN if places else DECIMAL_PATTERN},
            {"type": "number", "minimum": 0},
        ],
    }


def _json_default(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [_json_default(v) for v in value]
    return value


_OPEN = {"PastPayment.programme": "payment_programmes", "PastPayment.kind": "payment_kinds",
         "Enrolment.programme": "enrolment_programmes"}
"""The open vocabularies: the core's words and the installed programmes' (:class:`~assistkit.declared.Declared`)."""


def _fact_schema(fact: Fact) -> dict[str, Any]:
    """The schema of one declared extension fact, with its meaning and unit."""
    schema: dict[str, Any] = {
        "money": lambda: _money(), "decimal": lambda: _money(places=False),
        "count": lambda: {"type": "integer", "minimum": 0}, "boolean": lambda: {"type": "boolean"},
        "date": lambda: _type_schema(dt.date, ""), "month": lambda: _type_schema(Month, ""),
        "string": lambda: {"type": "string"}, "choice": lambda: {"enum": list(fact.choices)},
    }[fact.type]()
    unit = f" ({fact.unit})" if fact.unit else ""
    out: dict[str, Any] = {"description": (fact.meaning_en or fact.name) + unit,
                           "x-description-zh": (fact.meaning_zh or fact.name) + unit, **schema}
    if fact.default is not None:
        out["default"] = str(fact.default) if isinstance(fact.default, (Decimal, dt.date, Month)) else fact.default
    return out


def _extensions_schema(declared: Declared, on: str) -> dict[str, Any]:
    """The extension block of a household or a person (``on``): one object per programme declaring facts there,
    each strict (no other key); no other namespace."""
    namespaces: dict[str, Any] = {}
    for namespace, facts in declared.facts.items():
        mine = [f for f in facts.values() if f.on == on]
        if mine:
            node: dict[str, Any] = {"type": "object", "properties": {f.name: _fact_schema(f) for f in mine},
                                    "additionalProperties": False}
            required = [f.name for f in mine if f.required]
            if required:
                node["required"] = required
            namespaces[namespace] = {"description": f"The facts programme {namespace} reads",
                                     "x-description-zh": f"救助项目 {namespace} 读取的信息", **node}
    return {"type": "object", "properties": namespaces, "additionalProperties": False}


def _type_schema(tp: Any, key: str, declared: Declared = CORE) -> dict[str, Any]:
    """The schema of one annotated type; ``key`` is ``"Class.attribute"``."""
    if key in _OPEN:
        return {"enum": list(getattr(declared, _OPEN[key]))}
    if tp is model.Extensions:
        return _extensions_schema(declared, "person" if key.startswith("Person.") else "household")
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = _type_schema(args[0], key)
        return {"anyOf": [*inner.get("anyOf", [inner]), {"type": "null"}]}
    if origin is tuple:
        return {"type": "array", "items": _type_schema(typing.get_args(tp)[0], key)}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"enum": [m.value for m in tp]}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        if key == "Person.disability_grade":
            return {"type": "integer", "minimum": 1, "maximum": 4}
        return {"type": "integer", "minimum": 0}
    if tp is str:
        if key == "Person.id_number":
            return {"type": "string", "pattern": r"^[0-9]{17}[0-9X]$"}
        return {"type": "string", "minLength": 1} if key in _IDS else {"type": "string"}
    if tp is Decimal:
        return _money(places=key not in _DECIMALS)
    if tp is dt.date:
        return {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    if tp is Month:
        return {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$"}
    if isinstance(tp, type) and attrs.has(tp):
        return {"$ref": f"#/$defs/{tp.__name__}"}
    raise TypeError(f"{key}: no JSON Schema for the type {tp!r}")  # a new kind of field: teach this function


def _class_schema(cls: type, declared: Declared = CORE) -> dict[str, Any]:
    hints = typing.get_type_hints(cls, globalns=vars(model) | {"Month": Month, "dt": dt, "Decimal": Decimal})
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in attrs.fields(cls):
        key = f"{cls.__name__}.{f.name}"
        name = json_name(f.name)
        schema = _type_schema(hints[f.name], key, declared)
        en, zh = FIELD_DOCS.get(key, ("", ""))
        if key == "Enrolment.gradual_exit_from" and declared.gradual_exits != CORE.gradual_exits:
            # A programme of a plugin declares a gradual exit too (§6.7): name them all, not dibao alone.
            names = ", ".join(declared.gradual_exits)
            en, zh = f"Start of the gradual exit ({names}, §6.7)", f"渐退期起始日期（{names}，§6.7）"
        if en:
            schema = {"description": en, "x-description-zh": zh, **schema}
        if f.default is attrs.NOTHING:
            required.append(name)
        else:
            schema["default"] = _json_default(f.default)
        properties[name] = schema
    title_en, title_zh = _TITLES[cls]
    rules = f"gradual_exit_from {declared.gradual_exit_rule()}." if cls is model.Enrolment else _RULES.get(cls)
    description = title_en + (f". {rules}" if rules else "")
    out: dict[str, Any] = {"title": cls.__name__, "description": description, "x-description-zh": title_zh,
                           "type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = required
    return out


def household_schema(declared: Declared = CORE) -> dict[str, Any]:
    """The JSON Schema of one household, with every record type under ``$defs`` (Fund included).

    ``declared``: the open vocabularies and extension facts (:class:`~assistkit.declared.Declared`) — the
    core's alone by default (household-format.md); an engine's ``declared`` adds its programmes'."""
    defs = {cls.__name__: _class_schema(cls, declared) for cls in MODEL_CLASSES}
    root = defs.pop("Household")
    return {"$schema": DRAFT, "$id": "urn:assistkit:schema:household", **root, "$defs": defs}


def _d(schema: dict[str, Any], en: str, zh: str) -> dict[str, Any]:
    """``schema`` with its meaning in English and Chinese."""
    return {**schema, "description": en, "x-description-zh": zh}


_MONEY_OUT: dict[str, Any] = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$"}
_STRING: dict[str, Any] = {"type": "string"}
_DATE: dict[str, Any] = {"type": "string", "format": "date"}


def _m(en: str, zh: str) -> dict[str, Any]:
    """Money as written: a string with exactly two decimals."""
    return _d(_MONEY_OUT, en, zh)


def _strings(en: str, zh: str) -> dict[str, Any]:
    return _d({"type": "array", "items": _STRING}, en, zh)


def _nullable(schema: dict[str, Any], en: str, zh: str) -> dict[str, Any]:
    return _d({"anyOf": [schema, {"type": "null"}]}, en, zh)


def _obj(properties: dict[str, Any], *, required: list[str] | None = None, extra: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": properties,
                           "required": list(properties) if required is None else required}
    if not extra:
        out["additionalProperties"] = False
    return out


def _record_doc(schema: dict[str, Any], title: str, en: str, zh: str) -> dict[str, Any]:
    return {"title": title, "description": en, "x-description-zh": zh, **schema}


def determination_schema() -> dict[str, Any]:
    """The JSON Schema of one determination as :meth:`Determination.to_json` writes it (output-format.md).

    Money is a string with exactly two decimals. A programme's entry may carry more keys than those listed
    (``threshold`` … as the programme adds them)."""
    payment = _obj({
        "kind": _d(_STRING, "Kind of payment (premium_subsidy, treatment, grant …)", "支付类别"),
        "member": _nullable(_STRING, "Member paid for; null: the household", "受助成员；null 表示整户"),
        "need": _nullable(_STRING, "Expense or event met; null: none", "所针对的支出或事件；无则为 null"),
        "amount": _m("Amount paid", "支付金额"),
        "approval": _nullable(_STRING, "Approval required: null or \"county\" (temporary relief)",
                              "审批层级：null 或 \"county\"（县级，临时救助）"),
        "advance": _nullable(_MONEY_OUT, "Paid in advance by the township (temporary relief)",
                             "乡镇先行救助金额（临时救助）"),
        "fund": _nullable(_STRING, "Donation fund that paid (donations)", "支付的捐赠基金（社会力量参与）"),
    }, required=["kind", "member", "need", "amount"])
    reason = _obj({
        "rule": _d(_STRING, "Rule id, e.g. dibao.gap", "规则编号，如 dibao.gap"),
        "text": _d(_STRING, "The reason in the language asked for (zh or en)", "所选语言（中文或英文）的理由"),
        "values": _d({"type": "object"}, "The values the rule used, by name", "规则使用的数值，按名称"),
    })
    programme_error = _obj({
        "plugin": _d(_STRING, "Plugin of the programme", "项目所属插件"),
        "message": _d(_STRING, "What went wrong", "错误说明"),
        "cause": _nullable(_STRING, "Type of the exception", "异常类型"),
    })
    programme = _obj({
        "eligible": _d({"type": "boolean"}, "True exactly when the programme grants a status or pays",
                       "项目授予身份或支付金额时为 true"),
        "monthly": _m("Recurring monthly amount; \"0.00\" if none", "每月金额；无则为 \"0.00\""),
        "one_off": _m("Sum of one-off amounts", "一次性金额合计"),
        "payments": _d({"type": "array", "items": {"$ref": "#/$defs/Payment"}}, "One per amount, in the order paid",
                       "每笔金额一项，按支付顺序"),
        "reasons": _d({"type": "array", "items": {"$ref": "#/$defs/Reason"}}, "Why; at least one when eligible",
                      "理由；符合时至少一条"),
        "monthly_by_member": _d({"type": "object", "additionalProperties": _MONEY_OUT},
                                "Monthly amount by member (\"household\" for the household's)",
                                "各成员每月金额（整户的记为 \"household\"）"),
        "in_kind": _strings("Assistance in kind", "实物救助"),
        "error": _d({"$ref": "#/$defs/ProgrammeError"}, "Present when the programme failed",
                    "项目出错时给出"),
    }, required=["eligible", "monthly", "one_off", "payments", "reasons"], extra=True)
    need = _obj({
        "amount": _m("What the need costs", "需求金额"),
        "paid": _m("Paid toward it by every programme", "各项目已支付合计"),
        "remaining": _m("What remains", "剩余金额"),
        "kind": _d({"enum": [k.value for k in model.NeedKind]}, "Kind of need", "需求类别"),
        "date": _nullable(_DATE, "Date of the expense or event", "支出或事件日期"),
    }, required=["amount", "paid", "remaining"])
    action = _obj({
        "programme": _d(_STRING, "Programme", "救助项目"),
        "action": _d({"enum": ["keep", "enrol", "exit", "adjust"]}, "Dynamic management (§15.2)",
                     "动态管理（§15.2）：维持、纳入、退出、调整"),
        "member": _nullable(_STRING, "Member; null: the household", "成员；null 表示整户"),
        "enrolled": _nullable(_MONEY_OUT, "Amount enrolled before", "原享受金额"),
        "determined": _nullable(_MONEY_OUT, "Amount determined now", "本次认定金额"),
    }, required=["programme", "action", "member"])
    error = _obj({
        "programme": _d(_STRING, "Programme that failed", "出错的项目"),
        "plugin": _d(_STRING, "Its plugin", "所属插件"),
        "message": _d(_STRING, "What went wrong", "错误说明"),
        "cause": _nullable(_STRING, "Type of the exception", "异常类型"),
    })
    warning = _obj({
        "code": _d(_STRING, "What to look at (assistkit.warning)", "提示代码"),
        "message": _d(_obj({"zh": _d(_STRING, "In Chinese", "中文"), "en": _d(_STRING, "In English", "英文")}),
                      "The warning in words", "提示内容"),
        "values": _d({"type": "object"}, "The values it names", "所涉数值"),
    })
    plugin = _obj({
        "name": _d(_STRING, "Entry point (or object) name", "插件名"),
        "distribution": _nullable(_STRING, "Distribution", "发行包"),
        "version": _nullable(_STRING, "Version", "版本"),
    })
    provenance = _obj({
        "engine": _d(_obj({"distribution": _d(_STRING, "Distribution name", "发行包名称"),
                           "version": _d(_STRING, "Version", "版本")}), "The engine", "引擎"),
        "plugins": _d({"type": "array", "items": {"$ref": "#/$defs/Plugin"}}, "Every plugin loaded",
                      "已加载的插件"),
        "locality": _d(_STRING, "Locality of the policy", "政策地区"),
        "policy_files": _d({"type": "array", "items": _obj({
            "file": _d(_STRING, "Policy file", "政策文件"),
            "sha256": _nullable(_STRING, "sha256 of its bytes", "文件内容的 sha256"),
        })}, "Each policy file read, in order", "读取的政策文件，按顺序"),
        "id": _d(_STRING, "Digest of this record: the same id, the same code, plugins and policy bytes",
                 "本记录的摘要：相同即代码、插件与政策文件均相同"),
    })
    root = _obj({
        "household": _d(_STRING, "Household id", "家庭编号"),
        "on": _d(_DATE, "Assessment date", "认定日期"),
        "policy": _d(_STRING, "Locality of the policy used", "所用政策的地区"),
        "income": _d(_obj({
            "unit": _strings("Dibao unit (§2.4), household order", "低保单元（§2.4），按家庭成员顺序"),
            "countable": _m("Countable income over the unit (§3.4)", "低保单元可计收入（§3.4）"),
            "employment_deduction": _m("Employment deduction (§3.5)", "就业扣减（§3.5）"),
            "rigid_deduction": _m("Rigid-expenditure deduction (§3.6)", "刚性支出扣减（§3.6）"),
            "per_capita": _m("Per-capita monthly income (§3.7)", "月人均收入（§3.7）"),
        }), "Income accounting (§3)", "收入核算（§3）"),
        "statuses": _d(_obj({
            "household": _strings("Household statuses, sorted", "家庭身份，排序"),
            "members": _d({"type": "object", "additionalProperties": {"type": "array", "items": _STRING}},
                          "Statuses of each member holding one, sorted", "持有身份的成员及其身份，排序"),
        }), "Statuses granted", "认定的身份"),
        "programmes": _d({"type": "object", "additionalProperties": {"$ref": "#/$defs/Programme"}},
                         "Every installed programme, in linkage order (§14.1)",
                         "每个已安装的项目，按衔接顺序（§14.1）"),
        "needs": _d({"type": "object", "additionalProperties": {"$ref": "#/$defs/Need"}}, "Each need by id (§14.0)",
                    "各项需求，按编号（§14.0）"),
        "totals": _d(_obj({"monthly": _m("Total monthly", "每月合计"), "one_off": _m("Total one-off", "一次性合计")}),
                     "Totals over the programmes", "各项目合计"),
        "next_review": _nullable(_DATE, "Next review date (§15.1); null without a status",
                                 "下次复核日期（§15.1）；无身份时为 null"),
        "actions": _d({"type": "array", "items": {"$ref": "#/$defs/Action"}}, "Dynamic-management actions (§15.2)",
                      "动态管理事项（§15.2）"),
        "errors": _d({"type": "array", "items": {"$ref": "#/$defs/Error"}},
                     "Programmes that failed; the others completed", "出错的项目；其他项目照常完成"),
        "provenance": _d({"$ref": "#/$defs/Provenance"}, "What produced it", "认定依据的程序与政策版本"),
        "warnings": _d({"type": "array", "items": {"$ref": "#/$defs/Warning"}},
                       "What an official should look at; present only when there is one", "需要核对的提示；无则不给出"),
    }, required=["household", "on", "policy", "income", "statuses", "programmes", "needs", "totals",
                 "next_review", "actions"])
    return {
        "$schema": DRAFT,
        "$id": "urn:assistkit:schema:determination",
        **_record_doc(root, "Determination", "Everything decided for one household on one date (output-format.md).",
                      "一户家庭在认定日期的全部认定结果"),
        "$defs": {
            "Programme": _record_doc(programme, "Programme", "One programme's outcome", "一个救助项目的认定结果"),
            "Payment": _record_doc(payment, "Payment", "One amount paid", "一笔支付"),
            "Reason": _record_doc(reason, "Reason", "Why an amount or status was decided", "金额或身份的认定理由"),
            "ProgrammeError": _record_doc(programme_error, "ProgrammeError", "A programme that failed",
                                          "出错的项目"),
            "Need": _record_doc(need, "Need", "A need at the end of the determination (§14)",
                                "认定结束时的需求（§14）"),
            "Action": _record_doc(action, "Action", "A dynamic-management action (§15.2)", "动态管理事项（§15.2）"),
            "Warning": _record_doc(warning, "Warning", "What an official should look at", "需要核对的提示"),
            "Provenance": _record_doc(provenance, "Provenance", "What produced a determination",
                                      "认定依据的程序与政策版本"),
            "Plugin": _record_doc(plugin, "Plugin", "A plugin loaded", "已加载的插件"),
            "Error": _record_doc(error, "Error", "A programme that failed, and its plugin", "出错的项目及其插件"),
        },
    }


def error_schema() -> dict[str, Any]:
    """The JSON Schema of the error object a rejected line becomes in a batch (§17)."""
    problem = _record_doc(_obj({
        "path": _d(_STRING, "Field path, e.g. members[1].birth_date; empty for the whole record",
                   "字段路径，如 members[1].birth_date；整条记录为空"),
        "message": _d(_STRING, "What is wrong", "问题说明"),
    }), "Problem", "One problem", "一个问题")
    return {
        "$schema": DRAFT,
        "$id": "urn:assistkit:schema:error",
        **_record_doc(_obj({
            "line": _d({"type": "integer"}, "Line of the input (1-based)", "输入的行号（从 1 起）"),
            "household": _nullable(_STRING, "Household id; null when unreadable", "家庭编号；无法读取时为 null"),
            "error": _d({"$ref": "#/$defs/Problem"}, "The first problem", "第一个问题"),
            "errors": _d({"type": "array", "items": {"$ref": "#/$defs/Problem"}}, "Every problem", "全部问题"),
        }), "Rejected", "A household that was not assessed, with every problem found (§17).",
            "未予认定的家庭及其全部问题（§17）"),
        "$defs": {"Problem": problem},
    }
