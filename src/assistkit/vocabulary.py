"""The words of the codes: one table of labels, in Chinese and English, for every code rendered in text.

Households, rules and determinations speak in codes (``dibao``, ``premium_subsidy``, ``senior``); an official
reads words (低保, 参保资助, 普通高中). A :class:`Vocabulary` maps each code of a *kind* (``status``,
``programme``, ``payment``, ``stage`` …) to its zh and en label, and says which values of a reason are codes of
which kind (a value named ``status`` is a status, ``stage`` a school stage …), so that reason texts, the
explanation and the public notice all name things the same way (spec ``glossary.md``).

:data:`CORE` holds the statute's codes. The engine extends it (:meth:`Vocabulary.extended`) with the titles of
the installed programmes and the meanings of the declared parameters; a plugin can add labels for codes of its
own the same way. A code with no label renders as itself in Chinese (the language test reports it) and with
its underscores as spaces in English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

__all__ = ["CORE", "LIST_SEPARATOR", "Vocabulary"]

Labels = Mapping[str, Mapping[str, tuple[str, str]]]
"""kind → code → (zh, en)."""

LIST_SEPARATOR = {"zh": "、", "en": ", "}
"""How a list is joined in each language (一种语言一种标点)."""


class Vocabulary:
    """Labels of codes by kind, and which reason values are codes. Immutable; share it freely.

    - ``labels``: kind → code → ``(zh, en)``.
    - ``fields``: name of a reason value → the kind of code it holds (``"status"`` → ``"status"``).
    - ``rule_fields``: ``(rule id, value name)`` → kind, where one rule's value differs from the common
      meaning of its name (``("donations.allocation", "kind")`` → ``"need"``).
    """

    __slots__ = ("_plans", "fields", "labels", "rule_fields")

    labels: Labels
    fields: Mapping[str, str]
    rule_fields: Mapping[tuple[str, str], str]
    _plans: dict[str, tuple[tuple[str, str], ...]]

    def __init__(self, labels: Labels, fields: Mapping[str, str] | None = None,
                 rule_fields: Mapping[tuple[str, str], str] | None = None) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "labels", MappingProxyType({k: MappingProxyType(dict(v)) for k, v in labels.items()}))
        setattr_(self, "fields", MappingProxyType(dict(fields or {})))
        setattr_(self, "rule_fields", MappingProxyType(dict(rule_fields or {})))
        # rule id → ((value name, kind), …): which of a rule's values to label, found once per rule.
        setattr_(self, "_plans", {})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Vocabulary is immutable; cannot set {name!r}")

    def extended(self, labels: Labels | None = None, *, fields: Mapping[str, str] | None = None,
                 rule_fields: Mapping[tuple[str, str], str] | None = None) -> Vocabulary:
        """A new vocabulary with ``labels`` (and value kinds) added; a code given again takes the new label."""
        merged = {k: dict(v) for k, v in self.labels.items()}
        for kind, codes in (labels or {}).items():
            merged.setdefault(kind, {}).update(codes)
        return Vocabulary(merged, {**self.fields, **(fields or {})}, {**self.rule_fields, **(rule_fields or {})})

    def label(self, kind: str, code: str, lang: str) -> str:
        """The label of ``code`` of ``kind`` in ``lang``; for a payment, ``"programme.kind"`` is looked up
        before ``"kind"``. Without a label: the code (Chinese), the code with spaces for underscores
        (English)."""
        table = self.labels.get(kind)
        if table is not None:
            found = table.get(code)
            if found is None and "." in code and kind == "payment":
                found = table.get(code.rsplit(".", 1)[1])
            if found is not None:
                return found[0] if lang == "zh" else found[1]
        if kind == "payment" and "." in code:
            code = code.rsplit(".", 1)[1]
        return code if lang == "zh" else code.replace("_", " ")

    def find(self, code: str, lang: str) -> str:
        """The label of ``code`` in the first kind that has one (for codes whose kind is not known, such as the
        keys of a parameter's map); the code as :meth:`label` leaves it otherwise."""
        for table in self.labels.values():
            found = table.get(code)
            if found is not None:
                return found[0] if lang == "zh" else found[1]
        return code if lang == "zh" else code.replace("_", " ")

    def join(self, kind: str, codes: Iterable[str], lang: str) -> str:
        """``codes`` labelled and joined in the style of ``lang``."""
        return LIST_SEPARATOR.get(lang, ", ").join(self.label(kind, c, lang) for c in codes)

    def relabel(self, rule: str, texts: Mapping[Any, Any], lang: str) -> Mapping[Any, Any]:
        """The formatted values ``texts`` of a reason of ``rule`` with each code replaced by its label in
        ``lang`` (a list, formatted as ``"a, b"``, label by label, joined in the style of ``lang``)."""
        plan = self._plans.get(rule)
        if plan is None:
            plan = self._plan(rule)
        if not plan and lang != "zh":
            return texts
        out = dict(texts)
        for name, kind in plan:
            text = out.get(name)
            if type(text) is str:
                out[name] = self.join(kind, text.split(", "), lang) if text else text
        if lang == "zh":
            for name, text in out.items():
                if type(text) is str and ", " in text:
                    out[name] = text.replace(", ", "、")
        return out

    def _plan(self, rule: str) -> tuple[tuple[str, str], ...]:
        names = set(self.fields) | {name for r, name in self.rule_fields if r == rule}
        plan = tuple(sorted((name, self.rule_fields.get((rule, name), self.fields.get(name, ""))) for name in names))
        plan = tuple((name, kind) for name, kind in plan if kind)
        if len(self._plans) < 4096:
            self._plans[rule] = plan
        return plan

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Vocabulary):
            return NotImplemented
        return other is self or (self.labels == other.labels and self.fields == other.fields
                                 and self.rule_fields == other.rule_fields)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        # Mapping proxies do not pickle; a vocabulary travels to worker processes inside determinations.
        return (Vocabulary, ({k: dict(v) for k, v in self.labels.items()}, dict(self.fields),
                             dict(self.rule_fields)))

    def __repr__(self) -> str:
        return f"<Vocabulary {sum(len(v) for v in self.labels.values())} labels>"


_STATUS = {
    "tekun": ("特困人员", "tekun"),
    "dibao": ("低保", "dibao"),
    "marginal": ("低保边缘", "marginal"),
    "expenditure_hardship": ("刚性支出困难", "expenditure hardship"),
}

_CORE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "status": _STATUS,
    "programme": {
        "tekun": ("特困人员救助供养", "Support for persons in extreme poverty"),
        "dibao": ("最低生活保障", "Minimum living guarantee"),
        "low_income": ("低收入人口认定", "Low-income statuses"),
        "medical": ("医疗救助", "Medical assistance"),
        "education": ("教育救助", "Education assistance"),
        "housing": ("住房救助", "Housing assistance"),
        "employment": ("就业救助", "Employment assistance"),
        "temporary": ("临时救助", "Temporary relief"),
        "disaster": ("受灾人员救助", "Disaster-victim relief"),
        "price_subsidy": ("价格临时补贴", "Price-linkage subsidy"),
        "donations": ("社会力量捐赠", "Social-force donations"),
    },
    "payment": {
        "premium_subsidy": ("参保资助", "premium subsidy"),
        "treatment": ("医疗费用救助", "treatment assistance"),
        "grant": ("补助", "grant"),
        "education.grant": ("助学金", "education grant"),
        "temporary.grant": ("临时救助金", "temporary relief grant"),
        "tuition_waiver": ("免学费", "tuition waiver"),
        "rental_subsidy": ("租赁补贴", "rental subsidy"),
        "renovation": ("危房改造补助", "renovation grant"),
        "allocation": ("社会捐赠", "donation"),
        "monthly": ("月度救助金", "monthly benefit"),
        "job_seeking_subsidy": ("求职补贴", "job-seeking subsidy"),
        "referral": ("推荐公益性岗位", "referral to a public-welfare post"),
        "emergency_living": ("应急生活救助", "emergency living relief"),
        "transitional_living": ("过渡期生活救助", "transitional living relief"),
        "dwelling": ("倒损住房恢复重建", "dwelling reconstruction or repair"),
        "bereavement": ("遇难人员家属抚慰", "bereavement consolation"),
    },
    "in_kind": {
        "public_rental_priority": ("公租房优先保障", "priority for public rental housing"),
    },
    "stage": {
        "preschool": ("学前教育", "preschool"),
        "primary": ("小学", "primary school"),
        "junior": ("初中", "junior secondary school"),
        "senior": ("普通高中", "senior high school"),
        "vocational": ("中等职业教育", "vocational school"),
        "undergraduate": ("本科", "undergraduate"),
    },
    "income_category": {
        "wage": ("工资性收入", "wages"),
        "business": ("经营净收入", "business income"),
        "casual": ("零工收入", "casual work"),
        "farm": ("农业生产收入", "farming"),
        "property": ("财产净收入", "property income"),
        "pension": ("养老金", "pension"),
        "support": ("赡养费", "support payments"),
        "transfer": ("转移性收入", "transfers"),
        "other": ("其他收入", "other income"),
    },
    "income_kind": {
        "special_care_pension": ("优待抚恤金", "special-care pension"),
        "government_award": ("政府奖励", "government award"),
        "social_assistance": ("社会救助金", "social assistance received"),
        "one_child_reward": ("独生子女奖励", "one-child reward"),
        "disability_allowance": ("残疾人补贴", "disability allowance"),
        "old_age_allowance": ("高龄津贴", "old-age allowance"),
        "scholarship": ("奖学金", "scholarship"),
    },
    "approval": {"county": ("需县级审批", "needs county approval")},
    "need": {
        "medical": ("医疗", "medical"),
        "tuition": ("学费", "tuition"),
        "emergency": ("急难", "emergency"),
    },
    "expense": {
        "inpatient": ("住院", "inpatient"),
        "outpatient_chronic": ("门诊慢特病", "chronic outpatient"),
        "outpatient": ("普通门诊", "outpatient"),
        "tuition": ("学费", "tuition"),
    },
    "event": {
        "fire": ("火灾", "fire"),
        "accident": ("意外事故", "accident"),
        "sudden_illness": ("突发重病", "sudden illness"),
        "disaster": ("自然灾害", "disaster"),
        "other": ("其他事件", "other event"),
    },
    "self_care": {
        "full": ("全自理", "fully self-caring"),
        "partial": ("半自理", "partly self-caring"),
        "none": ("完全不能自理", "not self-caring"),
    },
    "residence": {"urban": ("城镇", "urban"), "rural": ("农村", "rural")},
    "adl": {  # the six activities of daily living (N3 §21; china-rules §5.5)
        "eating": ("进食", "eating"),
        "dressing": ("穿衣", "dressing"),
        "transferring": ("上下床", "getting in and out of bed"),
        "toileting": ("如厕", "using the toilet"),
        "walking": ("室内行走", "walking indoors"),
        "bathing": ("洗澡", "bathing"),
        "—": ("无", "none"),
    },
    "obligor": {  # what a supporting relative is to the person supported (china-rules §3.6)
        "child": ("子女", "child"),
        "grandchild": ("孙子女", "grandchild"),
        "parent": ("父母", "parent"),
        "grandparent": ("祖父母", "grandparent"),
        "spouse": ("配偶", "spouse"),
        "sibling": ("兄弟姐妹", "sibling"),
    },
    "marital_status": {
        "unmarried": ("未婚", "unmarried"),
        "married": ("已婚", "married"),
        "divorced": ("离异", "divorced"),
        "widowed": ("丧偶", "widowed"),
    },
    "labour_capacity": {
        "full": ("完全劳动能力", "full"),
        "partial": ("部分劳动能力", "partial"),
        "none": ("无劳动能力", "none"),
    },
    "asset_test": {
        "assets.financial": ("人均金融资产超过上限", "financial assets per person above the limit"),
        "assets.vehicle": ("有价值超限的非豁免车辆", "a non-exempt vehicle above the value limit"),
        "assets.property": ("住房两套及以上或有商业用房", "two or more houses, or commercial property"),
    },
    "care_type": {
        "inpatient": ("住院", "inpatient"),
        "outpatient": ("门诊", "outpatient"),
    },
    "employment_type": {
        "employee": ("受雇就业", "employee"),
        "self_employed": ("个体经营或灵活就业", "self-employed or casual"),
    },
    "deduction_base": {
        "standard": ("低保标准", "S"),
        "income": ("本人工作收入", "own work income"),
        "minimum_wage": ("最低工资", "minimum wage"),
    },
    "tenure": {
        "owned": ("自有住房", "owned"),
        "rented": ("租房", "rented"),
        "public_rental": ("公租房", "public rental"),
        "none": ("无住房", "no dwelling"),
    },
    "grade": {"C": ("C 级", "grade C"), "D": ("D 级", "grade D"), "-": ("无", "none")},
    "basis": {
        **_STATUS,
        "orphan": ("孤儿", "orphan"),
        "disabled": ("残疾学生", "disabled student"),
        "all tekun": ("全员特困", "every member tekun"),
        "income_band": ("按收入分档", "by income band"),
    },
    "band_fact": {
        "severe_disability": ("重度残疾成员", "a severely disabled member"),
        "serious_illness": ("重病成员", "a seriously ill member"),
        "all_elderly": ("成员均年满 60 周岁", "every member aged 60 or more"),
    },
    "work": {"repair": ("修缮加固", "repair"), "rebuild": ("拆除重建", "rebuild")},
    "action": {
        "enrol": ("应保未保", "enrol"),
        "exit": ("应退未退", "exit"),
        "adjust": ("调整金额", "adjust"),
        "keep": ("维持", "keep"),
    },
}

_CORE_FIELDS = {
    "status": "status",
    "statuses": "status",
    "stage": "stage",
    "self_care": "self_care",
    "basis": "basis",
    "residence": "residence",
    "obligor": "obligor",
    "adl": "adl",
    "tenure": "tenure",
    "work": "work",
    "grade": "grade",
    "category": "income_category",
    "capacity": "labour_capacity",
    "failures": "asset_test",
    "uplift": "parameter",
    "care": "care_type",
}

_CORE_RULE_FIELDS = {
    ("linkage.clamped", "kind"): "payment",
    ("donations.allocation", "kind"): "need",
    ("income.excluded", "kind"): "income_kind",
    ("income.rigid_medical", "kind"): "expense",
    ("housing.area_band_up", "facts"): "band_fact",
    ("medical.kind_not_listed", "kind"): "expense",
    ("medical.kind_not_listed", "listed"): "expense",
    ("income.employment_deduction_typed", "type"): "employment_type",
    ("income.employment_deduction_typed", "base_kind"): "deduction_base",
    ("income.employment_deduction_typed_cap", "type"): "employment_type",
    ("income.employment_deduction_typed_cap", "base_kind"): "deduction_base",
}

CORE = Vocabulary(_CORE_LABELS, _CORE_FIELDS, _CORE_RULE_FIELDS)
"""The statute's codes (spec ``glossary.md``); engines extend it with programme titles and parameter meanings."""
