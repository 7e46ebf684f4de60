"""The rules of basic living (基本生活救助): tekun (§5), dibao (§6), marginal (§7) and hardship (§8).

Three programmes, in linkage order (§14.1): :class:`TekunProgramme` grants ``tekun`` to persons,
:class:`DibaoProgramme` reports the dibao unit's income (§2.4, §3) and grants ``dibao``, and
:class:`LowIncomeProgramme` grants the household statuses ``marginal`` and ``expenditure_hardship``
(no money).
Each rule is one function below, named for it and citing its §; reason ids follow the same names.

Decisions where the statute is silent (each documented at its rule):

- An empty dibao unit (everyone is tekun) qualifies for nothing: nobody is left to guarantee (§6, §7, §8).
- §6.1 passes but nobody is covered (§6.2): the household holds ``dibao`` as §6.8 says, with no money (the
  floor applies only "when any member is covered", §6.5) and no member status.
- The "active dibao enrolment" of §6.7 is a household-level ``dibao`` enrolment (``member`` null);
  member-level ones are single-person inclusions, which §6.6 reassesses each time.
- "Fails §6.1 only because …" (§6.6, §6.7): the household is local and the unit passes the dibao asset
  test (M = ``assets.dibao_months``); only the income condition fails.
- §6.6 includes every unit member with disability grade 1–2 or serious illness, as written: the refusal rule
  of §6.2 defines who is covered by the unit benefit and is not applied to single-person inclusion.
- §8 is tested over the dibao unit, like §6 and §7 (example 02: a lone tekun person with a hospital bill is
  no hardship household).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from assistkit.api import (
    ZERO,
    Context,
    Enrolment,
    IncomeAccount,
    LabourCapacity,
    MaritalStatus,
    Person,
    PolicyError,
    Programme,
    Relationship,
    Rule,
    SelfCare,
    StatusDeclaration,
    add_months,
    format_exact,
    format_money,
    own_financial_assets,
)

__all__ = [
    "RULES",
    "DibaoProgramme",
    "LowIncomeProgramme",
    "TekunProgramme",
    "classified_uplift",
    "covered_members",
    "apply_gradual_exit",
    "decide_dibao",
    "dibao_benefit",
    "dibao_unit",
    "expenditure_hardship",
    "gradual_exit",
    "single_parent",
    "single_person_inclusion",
    "tekun_basic_living",
    "tekun_care",
    "adl_self_care",
    "self_care",
    "tekun_test",
    "threshold",
]

# Parameter names (parameters.md).
_TEKUN_ASSETS = "tekun.asset_months"
_TEKUN_BASIC = "tekun.basic_multiple"
_TEKUN_ROUNDING = "tekun.basic_rounding"
_INCOME_TEST = "dibao.income_test"
_GAP = "dibao.gap"
_ROUNDING = "dibao.rounding"
_SINGLE = "dibao.single_person"
_STACKING = "uplift.stacking"
_ELDERLY_AGE = "uplift.elderly_age"
_REDUCTION = "dibao.income_reduction"
_REDUCTION_COMBINE = "dibao.income_reduction_combine"
REDUCTION_FACTS = ("serious_illness_or_severe_disability", "supporter_60_plus", "single_parent")
"""The member facts ``dibao.income_reduction`` may key (china-rules §3.7, Beijing B1 §10(1))."""
_MINOR_AGE = "uplift.minor_below_age"
_ADL_PARTIAL = "tekun.adl_partial_from"
_ADL_NONE = "tekun.adl_none_from"
_ADL_ITEMS = ("eating", "dressing", "transferring", "toileting", "walking", "bathing")
_TEKUN_CARE = {"full": "tekun.care.full", "partial": "tekun.care.partial", "none": "tekun.care.none"}
_REFUSALS = "dibao.refusal_limit"
_FLOOR = "dibao.floor"
_EXIT_MONTHS = "dibao.gradual_exit_months"
_EXIT_FACTORS = "dibao.gradual_exit_factors"
_ELDERLY = "uplift.elderly"
_MINOR = "uplift.minor"
_SEVERE = "uplift.severe_disability"
_DISABILITY = "uplift.disability"
_ILLNESS = "uplift.serious_illness"
_UPLIFTS = (_ELDERLY, _MINOR, _SEVERE, _DISABILITY, _ILLNESS)
_MULTIPLE = "marginal.multiple"
_MARGINAL_LINE = "marginal.line"
_DIBAO_LIMIT = "assets.dibao_limit"
_CHILD_ALLOWANCE = "marginal.child_allowance"
_STUDENT = "uplift.student"
_LOST_CAPACITY = "uplift.lost_work_capacity"
_MARGINAL_LIMIT = "assets.marginal_limit"
_SHARE = "hardship.expense_share"
_LINE = "hardship.income_line"
_DIBAO_MONTHS = "assets.dibao_months"
_MARGINAL_MONTHS = "assets.marginal_months"
_STANDARDS = ("standard.urban", "standard.rural")

_NONE = "—"
"""Shown for an empty list of people in reasons."""


class _BasicLivingValues:
    """The parameters of these rules in force on one date; never changed once built.

    Built once per date (:meth:`assistkit.policy.Parameters.derived`), so that a household's assessment does
    not look each one up by name. Money and decimal parameters are ``Decimal``, the others ``int``.
    """

    __slots__ = ("child_allowance", "dibao_limit", "dibao_months", "elderly_age", "exit_factors", "exit_months",
                 "extra_uplifts", "floor", "gap_household", "hardship_note", "income_test", "line", "marginal_limit",
                 "marginal_line", "marginal_months", "minor_age", "multiple", "reduction_sum", "reductions",
                 "refusals", "rounding", "share", "single_full", "stack_sum", "tekun_assets", "tekun_basic",
                 "tekun_care", "tekun_rounding", "tekun_rounding_yuan", "uplifts")

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.tekun_assets: int = params[_TEKUN_ASSETS]
        self.tekun_basic: Decimal = params[_TEKUN_BASIC]
        # A care standard may be a multiple of a reference value (china-rules §5.5: a share of the minimum wage).
        self.tekun_care: dict[str, tuple[str, Decimal]] = {
            k: (n, params[n].amount(params)) for k, n in _TEKUN_CARE.items()}
        self.tekun_rounding = params[_TEKUN_ROUNDING]
        self.tekun_rounding_yuan = (self.tekun_rounding.unit, self.tekun_rounding.mode) == ("yuan", "half_up")
        self.income_test = params[_INCOME_TEST]
        self.gap_household: bool = params[_GAP] == "household"
        self.rounding = params[_ROUNDING]
        self.single_full: bool = params[_SINGLE] == "full_standard"
        self.stack_sum: bool = params[_STACKING] == "sum"
        self.elderly_age: int = params[_ELDERLY_AGE]
        self.reductions: Mapping[str, Decimal] = params[_REDUCTION]
        unknown = [k for k in self.reductions if k not in REDUCTION_FACTS]
        if unknown:
            source = params.source(_REDUCTION) if hasattr(params, "source") else None
            raise PolicyError(f"unknown member fact {unknown[0]!r}; expected one of {', '.join(REDUCTION_FACTS)}",
                              file=source.file if source else None, key=f"{_REDUCTION}.{unknown[0]}")
        self.reduction_sum: bool = params[_REDUCTION_COMBINE] == "sum"
        self.minor_age: int = params[_MINOR_AGE]
        self.refusals: int = params[_REFUSALS]
        self.floor: Decimal = params[_FLOOR]
        self.exit_months: int = params[_EXIT_MONTHS]
        self.exit_factors: tuple[Decimal, ...] = params[_EXIT_FACTORS]
        self.uplifts: tuple[tuple[str, Decimal], ...] = tuple((n, params[n]) for n in _UPLIFTS)  # §6.4's order
        self.multiple: Decimal = params[_MULTIPLE]
        # china-rules §5.3: a marginal line that is not a multiple of S (Beijing: the low-income line L).
        line = params.get(_MARGINAL_LINE)
        self.marginal_line: Decimal | None = None if line is None else line.amount(params)
        self.share: Decimal = params[_SHARE]
        self.line: Decimal = params[_LINE]
        self.dibao_months: int = params[_DIBAO_MONTHS]
        self.marginal_months: int = params[_MARGINAL_MONTHS]
        # china-rules §4: a financial-asset limit that is not a multiple of S, where the locality gives one.
        self.dibao_limit: Decimal | None = _limit(params, _DIBAO_LIMIT)
        self.marginal_limit: Decimal | None = _limit(params, _MARGINAL_LIMIT)
        self.child_allowance: Decimal | None = params.get(_CHILD_ALLOWANCE)
        # china-rules §5.1: Beijing's further categories, where a locality gives them (after §6.4's five).
        self.extra_uplifts: tuple[tuple[str, Decimal], ...] = tuple(
            (n, params[n]) for n in (_STUDENT, _LOST_CAPACITY) if n in params)
        self.hardship_note = _hardship_note(self.share, self.line)


def _limit(params: Mapping[str, Any], name: str) -> Decimal | None:
    line = params.get(name)
    return None if line is None else line.amount(params)  # type: ignore[no-any-return]


_HAS_DIBAO_NOTE = "the household holds dibao; the marginal line (§7) applies only without it"
"""The ``note`` of the marginal threshold of a household holding dibao (§7)."""


def _hardship_note(share: Decimal, line: Decimal) -> str:
    """The ``note`` of the marginal threshold when the household was tested for expenditure hardship (§8)."""
    return (
        "expenditure_hardship (§8) has its own test, not this line and no asset test: rigid "
        f"expenses > {share} × countable income and per-capita income without the rigid "
        f"deduction < {format_money(line)}"
    )


_exact = format_exact
"""Money as ``"1050.00"``; a line with fractions of a fen (e.g. 1.5 × 1000.01) is shown exactly."""


# ---------------------------------------------------------------------------------------------------------
# Rule texts
# ---------------------------------------------------------------------------------------------------------

_DISTANCE_ZH = (
    "距离 = {distance} 元：为正时，人均收入增加不足该数额仍符合；"
    "为零或负时，人均收入须减少超过其绝对值方可符合"
)
_DISTANCE_EN = (
    "distance = {distance} yuan: when positive, the per-capita income still qualifies while it rises by less "
    "than this; when zero or negative, it must fall by more than its absolute value to qualify"
)

_TEKUN_RULES = (
    Rule("tekun.non_local", "§2.5", "非本地户籍家庭不适用特困人员救助供养",
         "a non-local household cannot receive tekun support"),
    Rule("tekun.no_candidate", "§5.1",
         "无成员丧失劳动能力：成员年龄 {ages}（岁）均在 16 至 59 岁之间，无一级、二级残疾，"
         "且无登记为无劳动能力者（§2.2）：无特困人员",
         "no member is unable to work: ages {ages} are all 16 to 59, nobody has disability grade 1 or 2 "
         "and nobody's labour capacity is none (§2.2): no tekun person"),
    Rule("tekun.eligible", "§5.1",
         "成员 {member}（{age} 岁）无劳动能力，无有能力的赡养人，本人月收入 {income} 元 < 标准 {S} 元，"
         "本人金融资产 {assets} 元 ≤ {months} × {S} = {limit} 元：认定为特困人员",
         "member {member} (age {age}) cannot work, has no capable supporter, own monthly income {income} "
         "< S {S}, own financial assets {assets} ≤ {months} × {S} = {limit}: tekun"),
    Rule("tekun.has_supporter", "§5.1",
         "成员 {member} 无劳动能力，但有有能力的赡养（抚养、扶养）人：不是特困人员",
         "member {member} cannot work but has a capable supporter: not tekun"),
    Rule("tekun.income_too_high", "§5.1",
         "成员 {member} 本人月收入 {income} 元 ≥ 标准 {S} 元：不是特困人员",
         "member {member}: own monthly income {income} ≥ S {S}: not tekun"),
    Rule("tekun.assets_too_high", "§5.1",
         "成员 {member} 本人金融资产 {assets} 元 > {months} × 标准 {S} = {limit} 元：不是特困人员",
         "member {member}: own financial assets {assets} > {months} × S {S} = {limit}: not tekun"),
    Rule("tekun.basic", "§5.2",
         "成员 {member} 基本生活费 = {multiple} × 标准 {S} = {amount} 元（取整到元）",
         "basic living of {member} = {multiple} × S {S} = {amount} yuan (rounded to yuan)"),
    Rule("tekun.basic_rounded", "§5.2",
         "成员 {member} 基本生活费 = {multiple} × 标准 {S} = {amount} 元（取整单位 {unit} 元）",
         "basic living of {member} = {multiple} × S {S} = {amount} yuan (rounded to units of {unit} yuan)"),
    Rule("tekun.care", "§5.3", "成员 {member} 照料护理费（生活自理能力 {self_care}）{amount} 元",
         "care of {member} (self-care {self_care}): {amount} yuan"),
    Rule("tekun.adl", "§5.3",
         "成员 {member} 六项日常生活活动中 {failed} 项不能独立完成（{adl}）；{none_from} 项及以上为完全不能自理，"
         "{partial_from} 项及以上为半自理：生活自理能力认定为 {self_care}",
         "member {member} cannot do {failed} of the six activities of daily living alone ({adl}); {none_from} or "
         "more: not self-caring, {partial_from} or more: partly self-caring: self-care is {self_care}"),
)

_DIBAO_RULES = (
    Rule("dibao.unit", "§2.4", "低保单元为 {unit}", "dibao unit: {unit}"),
    Rule("dibao.tekun_excluded", "§5.4", "特困人员 {tekun} 不计入低保单元，且不享受低保",
         "tekun persons {tekun} are left out of the dibao unit and never covered by dibao"),
    Rule("dibao.non_local", "§2.5", "非本地户籍家庭不适用最低生活保障（仍核算收入）",
         "a non-local household cannot receive dibao (its income is still accounted)"),
    Rule("dibao.empty_unit", "§2.4", "家庭成员均为特困人员，低保单元为空：不适用最低生活保障",
         "every member is tekun; the dibao unit is empty: no dibao"),
    Rule("dibao.assets_failed", "§6.1", "低保单元未通过财产核查（上限为 {months} 个月标准）：{failures}",
         "the dibao unit fails the asset test (M = {months}): {failures}"),
    Rule("dibao.assets_failed_limit", "§6.1", "低保单元未通过财产核查（人均金融资产上限 {limit} 元）：{failures}",
         "the dibao unit fails the asset test (financial assets at most {limit} per person): {failures}"),
    Rule("dibao.qualifies_limit", "§6.1",
         "本地户籍，人均收入 {pci} 元 < 标准 {S} 元，且通过财产核查（人均金融资产上限 {limit} 元）：低保单元符合条件",
         "local household, per-capita income {pci} < S {S}, asset test passed (financial assets at most {limit} "
         "per person): the unit qualifies"),
    Rule("dibao.qualifies", "§6.1",
         "本地户籍，人均收入 {pci} 元 < 标准 {S} 元，且通过财产核查（上限为 {months} 个月标准）：低保单元符合条件",
         "local household, per-capita income {pci} < S {S}, asset test passed (M = {months}): "
         "the unit qualifies"),
    Rule("dibao.income_above", "§6.1", "人均收入 {pci} 元 ≥ 标准 {S} 元：低保单元不符合 §6.1",
         "per-capita income {pci} ≥ S {S}: the unit fails §6.1"),
    Rule("dibao.not_covered", "§6.2",
         "成员 {member} 有劳动能力，无正当理由拒绝就业 {refused} 次（≥ {limit}）："
         "不予保障，但计入人均收入的人数",
         "member {member} is able to work and refused {refused} job offers (≥ {limit}): not covered, "
         "but still counted in the per-capita divisor"),
    Rule("dibao.covered", "§6.2", "保障成员 {covered}（{count} 人，低保单元 {people} 人）",
         "covered members: {covered} ({count} of the unit's {people})"),
    Rule("dibao.none_covered", "§6.5",
         "低保单元 {unit} 符合条件，但无保障成员：家庭享有低保身份，无低保金",
         "the unit {unit} qualifies but nobody is covered: the household holds dibao, with no money"),
    Rule("dibao.gap", "§6.3", "差额 = (标准 {S} − 人均收入 {pci}) × {covered} 名保障成员 = {gap} 元",
         "gap = (S {S} − per-capita income {pci}) × {covered} covered = {gap} yuan"),
    Rule("dibao.income_reduction", "§6.1",
         "收入核减：{facts}，核减 {factor} × 标准 {S} = {reduction} 元；家庭计入收入 {net} 元减为 {reduced} 元，"
         "人均 {pci} 元",
         "income reduction: {facts}, {factor} × S {S} = {reduction} yuan; counted household income {net} becomes "
         "{reduced} yuan, {pci} per capita"),
    Rule("dibao.gap_household", "§6.3",
         "差额 = 标准 {S} × {covered} 名保障成员 − 家庭计入收入 {net} × {covered}/{people} = {gap} 元"
         "（不先取整人均收入）",
         "gap = S {S} × {covered} covered − counted household income {net} × {covered}/{people} = {gap} yuan "
         "(per-capita income not rounded first)"),
    Rule("dibao.single_person_full", "§6.6",
         "单人保：成员 {member} 以个人纳入，按全额标准 {S} 元 + 分类施保 {uplift} 元 = {total} 元，"
         "取整且不低于 {floor} 元：{amount} 元",
         "single-person inclusion of {member} at the full standard: S {S} + uplift {uplift} = {total}, "
         "rounded, at least {floor}: {amount} yuan"),
    Rule("dibao.uplift", "§6.4",
         "成员 {member} {uplift}（取最高一项）{rate} × 标准 {S} = {amount} 元",
         "{uplift} for {member} (the largest rate only): {rate} × S {S} = {amount} yuan"),
    Rule("dibao.benefit", "§6.5",
         "低保金 = 差额 {gap} + 分类施保 {uplifts} = {total} 元，取整为 {amount} 元",
         "benefit = gap {gap} + uplifts {uplifts} = {total} yuan, rounded to {amount} yuan"),
    Rule("dibao.floor", "§6.5", "低保金 {amount} 元低于保底额，按 {floor} 元发放",
         "benefit {amount} is below the floor: {floor} yuan"),
    Rule("dibao.single_person", "§6.6",
         "单人保：成员 {member} 以个人纳入，标准 {S} − 本人收入 {own}（不低于 0）= {base} 元 "
         "+ 分类施保 {uplift} 元 = {total} 元，取整且不低于 {floor} 元：{amount} 元",
         "single-person inclusion of {member}: max(0, S {S} − own income {own}) = {base} + uplift {uplift} "
         "= {total}, rounded, at least {floor}: {amount} yuan"),
    Rule("dibao.gradual_exit", "§6.7",
         "渐退：有低保在册记录，人均收入不低于标准且有成员有工作收入（{workers}）；"
         "自 {start} 起 {months} 个月（至 {end} 前）按原月额 {amount} 元继续发放",
         "gradual exit: enrolled in dibao, per-capita income at least S while {workers} had work income; "
         "dibao continues at the enrolled {amount} yuan from {start} for {months} months "
         "(until {end}, exclusive)"),
    Rule("dibao.gradual_exit_reduced", "§6.7",
         "渐退：有低保在册记录，人均收入不低于标准且有成员有工作收入（{workers}）；自 {start} 起 {months} 个月"
         "（至 {end} 前），本月为第 {month} 个月，按原月额 {enrolled} 元 × {factor} = {amount} 元发放",
         "gradual exit: enrolled in dibao, per-capita income at least S while {workers} had work income; from "
         "{start} for {months} months (until {end}, exclusive); month {month} pays the enrolled {enrolled} yuan "
         "× {factor} = {amount} yuan"),
    Rule("dibao.gradual_exit_record", "§6.7", "未登记渐退起始日：请将 {start} 登记为低保在册记录的渐退起始日",
         "no gradual-exit start is recorded: record {start} as the gradual-exit start of the dibao enrolment"),
    Rule("dibao.gradual_exit_ended", "§6.7", "渐退期（自 {start} 起 {months} 个月，至 {end}）已满",
         "the gradual exit (from {start}, {months} months, until {end}) has ended"),
    Rule("dibao.not_eligible", "§6", "不符合最低生活保障条件", "no dibao"),
    Rule("dibao.threshold", "§6.1", "低保收入线：人均收入 {pci} 元须低于 {line} 元；" + _DISTANCE_ZH,
         "dibao income test: per-capita income {pci} must be below {line}; " + _DISTANCE_EN),
    Rule("dibao.no_threshold", "§6.1", "任何收入水平都不能符合低保条件（{why}）：无收入门槛",
         "no income level qualifies for dibao ({why}): no threshold"),
)

_LOW_INCOME_RULES = (
    Rule("low_income.non_local", "§2.5", "非本地户籍家庭不适用低保边缘及刚性支出困难认定",
         "a non-local household cannot be marginal or in expenditure hardship"),
    Rule("low_income.empty_unit", "§2.4", "低保单元为空（家庭成员均为特困人员）：不作低收入认定",
         "the dibao unit is empty (every member is tekun): no low-income status"),
    Rule("marginal.has_dibao", "§7", "家庭已享有低保：不认定为低保边缘家庭",
         "the household holds dibao: not a marginal household"),
    Rule("marginal.eligible", "§7",
         "人均收入 {pci} 元 < {multiple} × 标准 {S} = {line} 元，且通过财产核查（上限为 {months} 个月标准）："
         "低保边缘家庭",
         "per-capita income {pci} < {multiple} × S {S} = {line}, asset test passed (M = {months}): "
         "marginal household"),
    Rule("marginal.income_above", "§7",
         "人均收入 {pci} 元 ≥ {multiple} × 标准 {S} = {line} 元：不是低保边缘家庭",
         "per-capita income {pci} ≥ {multiple} × S {S} = {line}: not marginal"),
    Rule("marginal.eligible_line", "§7",
         "人均收入 {pci} 元 < 低保边缘收入线 {line} 元，且通过财产核查（上限为 {months} 个月标准）：低保边缘家庭",
         "per-capita income {pci} < the marginal line {line}, asset test passed (M = {months}): marginal household"),
    Rule("marginal.income_above_line", "§7",
         "人均收入 {pci} 元 ≥ 低保边缘收入线 {line} 元：不是低保边缘家庭",
         "per-capita income {pci} ≥ the marginal line {line}: not marginal"),
    Rule("marginal.eligible_limit", "§7",
         "人均收入 {pci} 元 < 低保边缘收入线 {line} 元，且通过财产核查（人均金融资产上限 {limit} 元）：低保边缘家庭",
         "per-capita income {pci} < the marginal line {line}, asset test passed (financial assets at most "
         "{limit} per person): marginal household"),
    Rule("marginal.assets_failed_limit", "§7",
         "未通过财产核查（人均金融资产上限 {limit} 元）：{failures}：不是低保边缘家庭",
         "the asset test fails (financial assets at most {limit} per person): {failures}: not marginal"),
    Rule("marginal.child_allowance", "§7",
         "低保边缘家庭成员 {member}（{age} 岁，未满 {below} 岁）：生活补助每月 {rate} × 标准 {S} = {amount} 元",
         "member {member} of a marginal household ({age}, under {below}): allowance {rate} × S {S} = {amount} "
         "yuan a month"),
    Rule("marginal.student_allowance", "§7",
         "低保边缘家庭成员 {member}（在校，{stage}）：生活补助每月 {rate} × 标准 {S} = {amount} 元",
         "member {member} of a marginal household (at school, {stage}): allowance {rate} × S {S} = {amount} "
         "yuan a month"),
    Rule("marginal.assets_failed", "§7", "未通过财产核查（上限为 {months} 个月标准）：{failures}：不是低保边缘家庭",
         "the asset test fails (M = {months}): {failures}: not marginal"),
    Rule("hardship.eligible", "§8",
         "刚性支出月均 {rigid} 元 > {share} × 可计算收入 {countable} = {limit} 元，且不扣刚性支出的人均收入 "
         "{pci} 元 < {line} 元：刚性支出困难家庭",
         "rigid expenses {rigid} a month > {share} × countable income {countable} = {limit}, and per-capita "
         "income without the rigid deduction {pci} < {line}: expenditure-hardship household"),
    Rule("hardship.not_eligible", "§8",
         "刚性支出月均 {rigid} 元（须 > {share} × {countable} = {limit} 元），不扣刚性支出的人均收入 {pci} 元"
         "（须 < {line} 元）：不是刚性支出困难家庭",
         "rigid expenses {rigid} a month (must be > {share} × {countable} = {limit}), per-capita income "
         "without the rigid deduction {pci} (must be < {line}): no expenditure hardship"),
    Rule("marginal.threshold", "§7", "低保边缘收入线：人均收入 {pci} 元须低于 {line} 元；" + _DISTANCE_ZH,
         "marginal income test: per-capita income {pci} must be below {line}; " + _DISTANCE_EN),
    Rule("marginal.no_threshold", "§7", "任何收入水平都不能符合低保边缘条件（{why}）：无收入门槛",
         "no income level qualifies as marginal ({why}): no threshold"),
)

RULES: Mapping[str, Rule] = {r.id: r for r in (*_TEKUN_RULES, *_DIBAO_RULES, *_LOW_INCOME_RULES)}
"""Every rule id the three programmes emit."""


# ---------------------------------------------------------------------------------------------------------
# §2.4 the dibao unit, §6.1 threshold
# ---------------------------------------------------------------------------------------------------------


def dibao_unit(ctx: Context) -> tuple[str, ...]:
    """§2.4: the household's members minus those who qualify as tekun (§5), in household order.

    Tekun runs before dibao and low_income (§14.1), so its statuses are in ``ctx.statuses``.
    """
    held = ctx.statuses.members
    if not held:
        return ctx.member_ids  # nobody holds a person status: everyone
    return tuple([p.id for p in ctx.household.members if "tekun" not in held.get(p.id, ())])


def _unit_people(ctx: Context, unit: tuple[str, ...]) -> Sequence[Person]:
    """The members of the unit (§2.4), in household order."""
    if unit == ctx.member_ids:
        return ctx.household.members
    return [ctx.person(pid) for pid in unit]


def threshold(line: Decimal, per_capita: Decimal, status: str, **extra: Any) -> dict[str, Any]:
    """The counterfactual threshold of a per-capita income test "PCI < ``line``" (JSON-ready).

    ``distance`` = ``line`` − ``per_capita``. When positive, the unit passes the income test, and keeps
    passing as long as its per-capita income rises by *less* than ``distance``. When zero or negative, it
    fails, and its per-capita income must fall by *more* than −``distance`` to pass. It speaks of the income
    test only: the other conditions (local hukou, asset test) are assumed unchanged.
    """
    return {
        "per_capita_below": _exact(line),
        "per_capita": format_money(per_capita),
        "distance": _exact(line - per_capita),
        "status": status,
        **extra,
    }


# ---------------------------------------------------------------------------------------------------------
# §5 tekun
# ---------------------------------------------------------------------------------------------------------


def tekun_test(ctx: Context, person: Person) -> tuple[str, dict[str, Any]] | None:
    """§5.1: whether a locally registered ``person`` qualifies as tekun.

    Returns ``None`` when the person can work (§2.2 (a) fails: not a candidate), else the rule id of the first
    failing condition — ``tekun.has_supporter`` (d), ``tekun.income_too_high`` (b), ``tekun.assets_too_high``
    (c) — or ``tekun.eligible``, with the values used. Cheap conditions are checked first; the person's own
    income (§3.8) is computed only for candidates without a capable supporter.
    """
    if not ctx.cannot_work(person):
        return None
    pid = person.id
    if person.has_capable_supporter:
        return "tekun.has_supporter", {"member": pid}
    S = ctx.standard
    income = ctx.own_income(pid)
    values: dict[str, Any] = {"member": pid, "age": ctx.age(person), "income": income, "S": S}
    if income >= S:
        return "tekun.income_too_high", values
    months = ctx.params.derived(_BasicLivingValues).tekun_assets
    limit = months * S
    assets = own_financial_assets(ctx.household, pid)
    values.update(assets=assets, months=months, limit=limit)
    if assets > limit:
        return "tekun.assets_too_high", values
    return "tekun.eligible", values


def tekun_basic_living(ctx: Context) -> Decimal:
    """§5.2: monthly basic living = ``tekun.basic_multiple`` × S, rounded by ``tekun.basic_rounding``."""
    dated = ctx.params.derived(_BasicLivingValues)
    return dated.tekun_rounding.apply(dated.tekun_basic * ctx.standard)  # type: ignore[no-any-return]


def tekun_care(ctx: Context, person: Person) -> tuple[str, Decimal]:
    """§5.3: monthly care by ``self_care``: the parameter name and its amount."""
    return ctx.params.derived(_BasicLivingValues).tekun_care[person.self_care]


def adl_self_care(failed: int, partial_from: int, none_from: int) -> SelfCare:
    """china-rules §5.5 (N3 §22): self-care from the number of the six activities of daily living a person
    cannot do alone — ``none_from`` or more: none (完全丧失); ``partial_from`` or more: partial; else full."""
    if failed >= none_from:
        return SelfCare.NONE
    if failed >= partial_from:
        return SelfCare.PARTIAL
    return SelfCare.FULL


def self_care(ctx: Context, person: Person) -> SelfCare:
    """A person's self-care: classified from their ADL items where the household gives them (and the reason
    says how), else as given (``self_care``)."""
    adl = person.adl
    if adl is None:
        return person.self_care
    params = ctx.params
    partial_from: int = params[_ADL_PARTIAL]  # type: ignore[assignment]  # declared "int"
    none_from: int = params[_ADL_NONE]  # type: ignore[assignment]  # declared "int"
    failed = adl.failed
    care = adl_self_care(failed, partial_from, none_from)
    unable = [item for item in _ADL_ITEMS if not getattr(adl, item)]
    ctx.reason("tekun.adl", {"member": person.id, "failed": failed, "adl": ", ".join(unable) or "—",
                             "partial_from": partial_from, "none_from": none_from, "self_care": care.value},
               params=(_ADL_PARTIAL, _ADL_NONE))
    return care


class TekunProgramme(Programme):
    """Tekun — support for persons in extreme poverty (特困人员救助供养, §5).

    Each member of a local household who qualifies (§5.1) gets the person status ``tekun`` and a monthly
    amount: basic living (§5.2, whole yuan) plus care (§5.3), recorded per person. A tekun person leaves the
    dibao unit (§2.4) and is never covered by dibao (§5.4, §14.4).
    """

    name = "tekun"
    title_zh = "特困人员救助供养"
    title_en = "Support for persons in extreme poverty"
    grants = ("tekun",)
    statuses = (StatusDeclaration("tekun", "特困人员", "person in extreme poverty (tekun)", rank=10,
                                  excludes=("dibao",), section="§14.4", own_unit=True),)
    recurring = True
    parameters = (_TEKUN_ASSETS, _TEKUN_BASIC, _TEKUN_ROUNDING, *_TEKUN_CARE.values(), _ADL_PARTIAL, _ADL_NONE,
                  *_STANDARDS)
    # What it reads of a household (`assistkit plugins --reads`): local hukou (§5.1), each member's age, ability
    # to work, self-care (or the ADL items it is classified from, §5.5) and whether a supporter is able (§5.2),
    # the member's own income (§3.8, from the income records) and the assets (§5.3).
    reads = ("hukou_local", "members.birth_date", "members.labour_capacity", "members.disability_grade",
             "members.self_care", "members.adl", "members.has_capable_supporter", "incomes", "assets")
    rules = {r.id: r for r in _TEKUN_RULES}

    def assess(self, ctx: Context) -> None:
        if not ctx.household.hukou_local:
            ctx.reason("tekun.non_local")
            return
        s = ctx.standard_param
        basic: Decimal | None = None
        candidates = 0
        for person in ctx.household.members:
            outcome = tekun_test(ctx, person)
            if outcome is None:
                continue
            candidates += 1
            rule, values = outcome
            if rule != "tekun.eligible":
                if rule == "tekun.has_supporter":  # the usual outcome: a child or an elderly parent
                    ctx.reason(rule, values)
                elif rule == "tekun.income_too_high":
                    ctx.reason(rule, values, (s,))
                else:  # tekun.assets_too_high
                    ctx.reason(rule, values, (_TEKUN_ASSETS, s))
                continue
            pid = person.id
            ctx.grant("tekun", pid)
            ctx.reason(rule, values, params=(_TEKUN_ASSETS, s))
            if basic is None:
                basic = tekun_basic_living(ctx)
            ctx.add_monthly(basic, pid, rule="tekun.basic")
            dated = ctx.params.derived(_BasicLivingValues)
            if dated.tekun_rounding_yuan:
                ctx.reason("tekun.basic", {"member": pid, "multiple": dated.tekun_basic,
                                           "S": ctx.standard, "amount": basic}, params=(_TEKUN_BASIC, s))
            else:
                ctx.reason("tekun.basic_rounded", {
                    "member": pid, "multiple": dated.tekun_basic, "S": ctx.standard, "amount": basic,
                    "unit": dated.tekun_rounding.step},
                    params=(_TEKUN_BASIC, _TEKUN_ROUNDING, s))
            level = self_care(ctx, person)
            care_param, care = ctx.params.derived(_BasicLivingValues).tekun_care[level]
            ctx.add_monthly(care, pid, rule="tekun.care")
            ctx.reason("tekun.care", {"member": pid, "self_care": level.value, "amount": care},
                       params=(care_param,))
        if not candidates:  # why zero: §5.1 (a) fails for everyone
            ctx.reason("tekun.no_candidate", {"ages": {p.id: ctx.age(p) for p in ctx.household.members}})


# ---------------------------------------------------------------------------------------------------------
# §6 dibao
# ---------------------------------------------------------------------------------------------------------


def covered_members(ctx: Context, unit: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[Person, ...]]:
    """§6.2: the covered unit members, and those not covered: able to work (§2.3) with
    ``refused_job_offers`` ≥ ``dibao.refusal_limit``. Those not covered still count in the per-capita divisor
    (§3.7 over the unit)."""
    limit = ctx.params.derived(_BasicLivingValues).refusals
    covered: list[str] = []
    refusing: list[Person] = []
    for pid in unit:
        person = ctx.person(pid)
        if person.refused_job_offers >= limit and ctx.able_to_work(person):
            refusing.append(person)
        else:
            covered.append(pid)
    return tuple(covered), tuple(refusing)


def classified_uplift(ctx: Context, person: Person) -> tuple[str, Decimal] | None:
    """§6.4: the largest applicable uplift rate for ``person`` (one rate only, never a sum), as (parameter,
    rate); ``None`` when none applies. Ties go to the first in the order of §6.4."""
    age = ctx.age(person)
    grade = person.disability_grade
    best: tuple[str, Decimal] | None = None
    dated = ctx.params.derived(_BasicLivingValues)
    uplifts = dated.uplifts
    categories = [
        age >= dated.elderly_age,  # uplift.elderly
        age < dated.minor_age,  # uplift.minor
        grade == 1 or grade == 2,  # uplift.severe_disability
        grade == 3 or grade == 4,  # uplift.disability
        person.serious_illness,  # uplift.serious_illness
    ]
    if dated.extra_uplifts:
        uplifts = (*uplifts, *dated.extra_uplifts)
        for name, _ in dated.extra_uplifts:
            if name == _STUDENT:
                categories.append(person.school is not None and age >= dated.minor_age)
            else:
                categories.append(person.labour_capacity is not LabourCapacity.FULL)
    for uplift, applies in zip(uplifts, categories, strict=True):
        if not applies:
            continue
        if dated.stack_sum and best is not None:
            # uplift.stacking = sum: every category the person is in, named together.
            best = (f"{best[0]} + {uplift[0]}", best[1] + uplift[1])
        elif best is None or uplift[1] > best[1]:
            best = uplift
    return best


def _uplift_amount(ctx: Context, person: Person, s: str) -> Decimal:
    """§6.4 for one person, with its reason: rate × S, or 0."""
    found = classified_uplift(ctx, person)
    if found is None:
        return ZERO
    name, rate = found
    amount = rate * ctx.standard
    ctx.reason("dibao.uplift", {"member": person.id, "uplift": name, "rate": rate, "S": ctx.standard,
                                "amount": amount}, params=(*name.split(" + "), s))
    return amount


def dibao_benefit(ctx: Context, unit: tuple[str, ...], account: IncomeAccount) -> None:
    """§6.2–§6.5, §6.8: the unit qualifies (§6.1): covered members, gap, uplifts, benefit and statuses."""
    S = ctx.standard
    s = ctx.standard_param
    pci = account.per_capita
    covered, refusing = covered_members(ctx, unit)
    for person in refusing:
        ctx.reason("dibao.not_covered", {"member": person.id, "refused": person.refused_job_offers,
                                         "limit": ctx.params.derived(_BasicLivingValues).refusals}, params=(_REFUSALS,))
    ctx.grant("dibao")
    if not covered:
        # §6.5: the floor applies only when someone is covered; §6.8 still puts the status on the household.
        ctx.reason("dibao.none_covered", {"unit": unit})
        return
    ctx.reason("dibao.covered", {"covered": covered, "count": len(covered), "unit": unit,
                                 "people": len(unit)}, params=(_REFUSALS,))
    dated = ctx.params.derived(_BasicLivingValues)
    if dated.gap_household:
        # §6.3 as S × n − counted income: the per-capita income is not rounded first (china-rules §2.2).
        gap = S * len(covered) - account.net * len(covered) / len(unit)
        ctx.reason("dibao.gap_household", {"S": S, "net": account.net, "covered": len(covered),
                                           "people": len(unit), "gap": gap}, params=(s, _GAP))
    else:
        gap = (S - pci) * len(covered)
        ctx.reason("dibao.gap", {"S": S, "pci": pci, "covered": len(covered), "gap": gap}, params=(s,))
    uplifts = ZERO
    for pid in covered:
        ctx.grant("dibao", pid)
        uplifts += _uplift_amount(ctx, ctx.person(pid), s)
    total = gap + uplifts
    rounded = ctx.use("dibao.rounding", dated.rounding.apply)(total)
    ctx.reason("dibao.benefit", {"gap": gap, "uplifts": uplifts, "total": total, "amount": rounded})
    floor = ctx.params.derived(_BasicLivingValues).floor
    if rounded < floor:
        ctx.reason("dibao.floor", {"amount": rounded, "floor": floor}, params=(_FLOOR,))
        rounded = floor
    ctx.add_monthly(rounded, rule="dibao.benefit")


def _household_enrolments(ctx: Context) -> list[Enrolment]:
    enrolments = ctx.household.enrolments
    if not enrolments:
        return []  # the usual household: nothing to filter
    return [e for e in enrolments if e.programme == "dibao" and e.member is None]


def gradual_exit(
    ctx: Context, account: IncomeAccount
) -> tuple[dt.date, dt.date, Decimal, bool] | None:
    """§6.7: the gradual exit of a household with an active dibao enrolment whose unit fails §6.1 only on
    income (the caller checks locality and the asset test) while a unit member has work income in the window.

    Returns ``(start, end, enrolled amount, start recorded?)`` — the household stays on dibao while
    ``start ≤ on < end``, ``end = start + dibao.gradual_exit_months`` (exclusive) — or ``None`` when §6.7 does
    not apply. ``start`` is the enrolment's ``gradual_exit_from``, or ``on`` when none is recorded. The active
    enrolment is the household-level one (``member`` null); with several, their amounts add up and the
    earliest recorded start counts.
    """
    if account.per_capita < ctx.standard or not account.work_income:
        return None
    enrolments = _household_enrolments(ctx)
    if not enrolments:
        return None
    recorded = [e.gradual_exit_from for e in enrolments if e.gradual_exit_from is not None]
    start = min(recorded) if recorded else ctx.on
    end = add_months(start, ctx.params.derived(_BasicLivingValues).exit_months)
    amount = sum((e.monthly_amount for e in enrolments), ZERO)
    return start, end, amount, bool(recorded)


def _single_person_candidate(person: Person) -> bool:
    """§6.6: disability grade 1–2 or ``serious_illness``."""
    return person.disability_grade in (1, 2) or person.serious_illness


def single_person_inclusion(ctx: Context, unit: tuple[str, ...]) -> bool:
    """§6.6: the unit fails §6.1 only because S ≤ PCI < ``marginal.multiple`` × S (checked by the caller):
    each unit member with disability grade 1–2 or ``serious_illness`` is included alone, with benefit
    max(0, S − own income) + their uplift (§6.4), rounded to yuan, at least ``dibao.floor``; status ``dibao``
    on those persons only. Returns whether anyone was included."""
    S = ctx.standard
    s = ctx.standard_param
    floor = ctx.params.derived(_BasicLivingValues).floor
    included = False
    for pid in unit:
        person = ctx.person(pid)
        if not _single_person_candidate(person):
            continue
        dated = ctx.params.derived(_BasicLivingValues)
        uplift = _uplift_amount(ctx, person, s)
        if dated.single_full:
            total = S + uplift
            benefit = dated.rounding.apply(total)
            if benefit < floor:
                benefit = floor
            ctx.grant("dibao", pid)
            ctx.add_monthly(benefit, pid, rule="dibao.single_person")
            ctx.reason("dibao.single_person_full", {"member": pid, "S": S, "uplift": uplift, "total": total,
                                                    "floor": floor, "amount": benefit},
                       params=(s, _SINGLE, _FLOOR))
            included = True
            continue
        own = ctx.own_income(pid)
        base = S - own if own < S else ZERO
        total = base + uplift
        benefit = dated.rounding.apply(total)
        if benefit < floor:
            benefit = floor
        ctx.grant("dibao", pid)
        ctx.add_monthly(benefit, pid, rule="dibao.single_person")
        ctx.reason("dibao.single_person", {"member": pid, "S": S, "own": own, "base": base, "uplift": uplift,
                                           "total": total, "floor": floor, "amount": benefit},
                   params=(s, _FLOOR))
        included = True
    return included


def apply_gradual_exit(ctx: Context, unit: tuple[str, ...], account: IncomeAccount) -> bool:
    """§6.7, §6.8: keep dibao at the enrolled amount during the gradual exit; returns whether it applies.

    Status ``dibao`` on the household and on each unit member. When no start is recorded, the output key
    ``record`` tells the host to store ``on`` as the enrolment's ``gradual_exit_from``.
    """
    found = gradual_exit(ctx, account)
    if found is None:
        return False
    start, end, amount, recorded = found
    values = {"start": start, "end": end, "months": ctx.params.derived(_BasicLivingValues).exit_months,
              "amount": amount, "workers": tuple(account.work_income)}
    if ctx.on >= end:
        ctx.reason("dibao.gradual_exit_ended", values, params=(_EXIT_MONTHS,))
        return False
    ctx.grant("dibao")
    for pid in unit:
        ctx.grant("dibao", pid)
    dated = ctx.params.derived(_BasicLivingValues)
    # dibao.gradual_exit_factors: the factor of the k-th month from the start (the last one after the list).
    month = (ctx.on.year - start.year) * 12 + ctx.on.month - start.month
    factor = dated.exit_factors[min(month, len(dated.exit_factors) - 1)]
    if factor != 1:
        reduced = dated.rounding.apply(amount * factor)
        if reduced:
            ctx.add_monthly(reduced, rule="dibao.gradual_exit")
        ctx.reason("dibao.gradual_exit_reduced", {**values, "month": month + 1, "enrolled": amount,
                                                   "factor": factor, "amount": reduced},
                   params=(_EXIT_MONTHS, _EXIT_FACTORS, _ROUNDING))
    else:
        if amount:
            ctx.add_monthly(amount, rule="dibao.gradual_exit")
        ctx.reason("dibao.gradual_exit", values, params=(_EXIT_MONTHS,))
    if not recorded:
        ctx.set("record", {"gradual_exit_from": ctx.on})
        ctx.reason("dibao.gradual_exit_record", {"start": start})
    return True


def income_reduction(ctx: Context, unit: tuple[str, ...], account: IncomeAccount) -> IncomeAccount:
    """§6.1 with ``dibao.income_reduction`` (china-rules §3.7, Beijing B1 §10(1)): before the dibao test the
    unit's counted income is reduced by a multiple of S for each member fact it has — a member seriously ill or
    with disability grade 1–2 (plus ``supporter_60_plus`` when the head or their spouse is 60 or over), a single
    parent (a head without a spouse in the unit, raising a child of 16 or under or a student) — combined by
    ``dibao.income_reduction_combine`` (max or sum), never below 0. Unchanged when no fact is valued."""
    dated = ctx.params.derived(_BasicLivingValues)
    values = dated.reductions
    if not values:
        return account
    people = [ctx.person(pid) for pid in unit]
    found: list[tuple[str, Decimal]] = []
    ill_key = "serious_illness_or_severe_disability"
    if ill_key in values and any(p.serious_illness or p.disability_grade in (1, 2) for p in people):
        factor = values[ill_key]
        elders = [p for p in people if p.relationship in (Relationship.HEAD, Relationship.SPOUSE)
                  and ctx.age(p) >= 60]
        if "supporter_60_plus" in values and elders:
            factor += values["supporter_60_plus"]
        found.append((ill_key, factor))
    if "single_parent" in values and single_parent(ctx, people):
        found.append(("single_parent", values["single_parent"]))
    if not found:
        return account
    factor = sum((f for _, f in found), Decimal(0)) if dated.reduction_sum else max(f for _, f in found)
    reduction = factor * ctx.standard
    reduced = account.net - reduction if account.net > reduction else ZERO
    pci = (reduced / len(unit)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    ctx.reason("dibao.income_reduction", {"facts": tuple(k for k, _ in found), "factor": factor,
                                          "S": ctx.standard, "reduction": reduction, "net": account.net,
                                          "reduced": reduced, "pci": pci},
               params=(_REDUCTION, _REDUCTION_COMBINE, ctx.standard_param))
    return account._replace(net=reduced, per_capita=pci)


def single_parent(ctx: Context, people: Sequence[Person]) -> bool:
    """china-rules §3.7 (B1 §10(1)): a parent of ``people`` raises a child of 16 or under, or a student, alone —
    a member the household says is a single parent (``single_parent``), with such a child or grandchild among
    ``people``; or, where no member says so, a head without a spouse among ``people`` raising such a child,
    unless the head's ``marital_status`` is ``married`` (a spouse living elsewhere raises the child too)."""
    def young(relationships: tuple[Relationship, ...]) -> bool:
        return any(p.relationship in relationships and (ctx.age(p) <= 16 or p.school is not None) for p in people)

    if any(p.single_parent for p in people):
        return young((Relationship.CHILD, Relationship.GRANDCHILD))
    heads = [p for p in people if p.relationship is Relationship.HEAD]
    spouse = any(p.relationship is Relationship.SPOUSE for p in people)
    married = any(p.marital_status is MaritalStatus.MARRIED for p in heads)
    return bool(heads) and not spouse and not married and young((Relationship.CHILD,))


def decide_dibao(ctx: Context, unit: tuple[str, ...], account: IncomeAccount, months: int) -> None:
    """§6.1 for a local household whose non-empty unit passes the asset test: the unit benefit when PCI < S;
    otherwise gradual exit (§6.7), which takes precedence over single-person inclusion (§6.6) for
    S ≤ PCI < ``marginal.multiple`` × S."""
    S = ctx.standard
    s = ctx.standard_param
    pci = account.per_capita
    dated = ctx.params.derived(_BasicLivingValues)
    tested = account.net / len(unit) if dated.gap_household else pci
    if dated.income_test.holds(tested, S):
        if dated.dibao_limit is not None:
            ctx.reason("dibao.qualifies_limit", {"pci": pci, "S": S, "limit": dated.dibao_limit},
                       params=(s, _DIBAO_LIMIT))
        else:
            ctx.reason("dibao.qualifies", {"pci": pci, "S": S, "months": months}, params=(s, _DIBAO_MONTHS))
        dibao_benefit(ctx, unit, account)
        return
    ctx.reason("dibao.income_above", {"pci": pci, "S": S}, params=(s,))
    if apply_gradual_exit(ctx, unit, account):
        return
    if pci < marginal_line(dated, S) and single_person_inclusion(ctx, unit):
        return
    ctx.reason("dibao.not_eligible")


class DibaoProgramme(Programme):
    """Dibao — the minimum living guarantee (最低生活保障, §6).

    Reports the dibao unit's income accounting (§2.4, §3) as the determination's ``income`` section, for every
    household (non-local ones too). For a local household (§2.5): the unit benefit (§6.1–§6.5, §6.8) as one
    household amount; otherwise gradual exit (§6.7) at the enrolled amount; otherwise single-person inclusions
    (§6.6) per person. ``monthly`` is that money (output-format.md).

    Output key ``threshold`` (the counterfactual of §6.1's income test, see :func:`threshold`)::

        {"per_capita_below": S, "per_capita": PCI, "distance": S − PCI, "status": "dibao"}

    plus ``"single_person_below": marginal.multiple × S`` when a unit member could be included alone (§6.6).
    ``distance`` > 0: the unit passes the income test and keeps passing while its PCI rises by less than
    ``distance``; ≤ 0: its PCI must fall by more than −``distance`` to pass. ``threshold`` is ``null`` when no
    income can qualify: a non-local household, an empty unit, or a unit failing the asset test.

    Output key ``record`` (only when gradual exit starts without a recorded start, §6.7):
    ``{"gradual_exit_from": on}`` — the host must store it on the household's dibao enrolment.
    """

    name = "dibao"
    title_zh = "最低生活保障"
    title_en = "Minimum living guarantee"
    grants = ("dibao",)
    statuses = (StatusDeclaration("dibao", "低保对象", "dibao recipient", rank=20),)
    after = ("tekun",)
    recurring = True
    gradual_exit = True  # §6.7: its enrolments may carry gradual_exit_from
    parameters = (
        _REFUSALS, _FLOOR, _EXIT_MONTHS, _EXIT_FACTORS, *_UPLIFTS, _STACKING, _ELDERLY_AGE, _MINOR_AGE, _REDUCTION,
        _REDUCTION_COMBINE,
        _MULTIPLE, _DIBAO_MONTHS, _INCOME_TEST, _GAP, _ROUNDING, _SINGLE, *_STANDARDS,
    )  # fmt: skip
    # What it reads of a household (`assistkit plugins --reads`): local hukou (§6.1); the income accounting of the
    # dibao unit (§3: income records, the supporting relatives' payments of §3.6, the expenses and payments it
    # deducts); the assets (§4); each member's age, ability to work, illness, school, refused job offers and
    # relationship for the uplifts, reductions and single-person inclusion (§6.3–§6.6), marital status and single
    # parenthood (china-rules §5.4); the enrolment and history behind the gradual exit (§6.7).
    reads = ("hukou_local", "incomes", "obligors", "expenses", "history", "assets", "enrolments",
             "members.birth_date", "members.labour_capacity", "members.disability_grade", "members.serious_illness",
             "members.school", "members.refused_job_offers", "members.relationship", "members.marital_status",
             "members.single_parent")
    rules = {r.id: r for r in _DIBAO_RULES}
    rule_points = {
        "dibao.rounding": "§6.5: how the unit benefit (gap + uplifts) is rounded: amount → amount; by default "
                          "the parameter dibao.rounding (whole yuan half up in Demo City)",
    }

    def assess(self, ctx: Context) -> None:
        household = ctx.household
        unit = dibao_unit(ctx)
        account = ctx.income(unit)
        ctx.report_income(account)
        ctx.reason("dibao.unit", {"unit": unit or _NONE})
        if len(unit) < len(household.members):
            tekun = tuple([p.id for p in household.members if p.id not in unit])
            ctx.reason("dibao.tekun_excluded", {"tekun": tekun})
        why = None
        if not household.hukou_local:
            ctx.reason("dibao.non_local")
            why = "§2.5"
        elif not unit:
            ctx.reason("dibao.empty_unit")
            why = "§2.4"
        else:
            dated = ctx.params.derived(_BasicLivingValues)
            months = dated.dibao_months
            # The core declares assets.*_months as int; the asset test multiplies any number by S.
            assets = ctx.assets(unit, months, dated.dibao_limit)  # type: ignore[arg-type]
            ctx.reasons(assets.reasons)
            if assets.passed:
                account = income_reduction(ctx, unit, account)
                decide_dibao(ctx, unit, account, months)
            elif dated.dibao_limit is not None:
                ctx.reason("dibao.assets_failed_limit", {"limit": dated.dibao_limit, "failures": assets.failures},
                           params=(_DIBAO_LIMIT,))
                ctx.reason("dibao.not_eligible")
                why = "§4"
            else:
                ctx.reason("dibao.assets_failed", {"months": months, "failures": assets.failures},
                           params=(_DIBAO_MONTHS,))
                ctx.reason("dibao.not_eligible")
                why = "§4"
        if why is not None:
            ctx.set("threshold", None)
            ctx.reason("dibao.no_threshold", {"why": why})
            return
        S, pci = ctx.standard, account.per_capita
        for person in _unit_people(ctx, unit):
            if _single_person_candidate(person):
                found = threshold(S, pci, "dibao", single_person_below=_exact(marginal_line(dated, S)))
                break
        else:
            found = threshold(S, pci, "dibao")
        ctx.set("threshold", found)
        ctx.reason("dibao.threshold", {"line": S, "pci": pci, "distance": S - pci}, params=(ctx.standard_param,))


# ---------------------------------------------------------------------------------------------------------
# §7 marginal, §8 expenditure hardship
# ---------------------------------------------------------------------------------------------------------


def child_allowance(ctx: Context, dated: _BasicLivingValues, rate: Decimal) -> None:
    """china-rules §5.3 (Beijing B1 §11(3)): each member of a marginal household below ``uplift.minor_below_age``
    or at school gets ``marginal.child_allowance`` × S a month, rounded as ``dibao.rounding``."""
    S = ctx.standard
    s = ctx.standard_param
    amount = dated.rounding.apply(rate * S)
    for person in ctx.household.members:
        age = ctx.age(person)
        used: tuple[str, ...]
        if age < dated.minor_age:
            values: dict[str, Any] = {"member": person.id, "age": age, "below": dated.minor_age}
            rule, used = "marginal.child_allowance", (_CHILD_ALLOWANCE, _MINOR_AGE, s)
        elif person.school is not None:
            values = {"member": person.id, "stage": person.school.stage}
            rule, used = "marginal.student_allowance", (_CHILD_ALLOWANCE, s)
        else:
            continue
        if amount > ZERO:
            ctx.add_monthly(amount, person.id, rule=rule)
        ctx.reason(rule, {**values, "rate": rate, "S": S, "amount": amount}, params=used)


def marginal_line(dated: _BasicLivingValues, S: Decimal) -> Decimal:
    """§7: the marginal line, ``marginal.multiple`` × S, or ``marginal.line`` where the locality gives one
    (china-rules §5.3)."""
    return dated.multiple * S if dated.marginal_line is None else dated.marginal_line


def expenditure_hardship(ctx: Context, account: IncomeAccount) -> tuple[bool, dict[str, Any]]:
    """§8: rigid expenses (§3.6, whether or not deducted) average more than ``hardship.expense_share`` ×
    countable monthly income (§3.4), and the per-capita income without the rigid deduction is below
    ``hardship.income_line``. Over the dibao unit, like every income test of this plugin."""
    dated = ctx.params.derived(_BasicLivingValues)
    share = dated.share
    line = dated.line
    limit = share * account.countable
    pci = account.per_capita_without_rigid
    values = {"rigid": account.rigid_expenses, "share": share, "countable": account.countable, "limit": limit,
              "pci": pci, "line": line}
    return account.rigid_expenses > limit and pci < line, values


class LowIncomeProgramme(Programme):
    """Low income (低收入人口): the household statuses ``marginal`` (§7) and ``expenditure_hardship`` (§8).

    No money: the statuses open medical, education, housing and temporary assistance at their rates. A
    local household without household ``dibao`` is marginal when the dibao unit's PCI <
    ``marginal.multiple`` × S and the unit passes the asset test with M = ``assets.marginal_months``
    (single-person inclusions are person statuses, so such a household can be marginal). A local household
    with neither is tested for expenditure hardship (§8).

    Output key ``threshold`` (see :func:`threshold`), for the marginal line::

        {"per_capita_below": multiple × S, "per_capita": PCI, "distance": line − PCI, "status": "marginal"}

    ``distance`` > 0: the PCI passes the marginal line and keeps passing while it rises by less than
    ``distance``; ≤ 0: it must fall by more than −``distance``. A ``note`` says when expenditure hardship,
    which has its own test and no asset test, is the household's route instead, or that §7 applies only
    without dibao. ``threshold`` is ``null`` for a non-local household, an empty unit, or a unit failing the
    marginal asset test.
    """

    name = "low_income"
    title_zh = "低收入人口认定（低保边缘家庭、刚性支出困难家庭）"
    title_en = "Low-income statuses (marginal, expenditure hardship)"
    grants = ("marginal", "expenditure_hardship")
    statuses = (StatusDeclaration("marginal", "低保边缘家庭", "marginal household", rank=30),
                StatusDeclaration("expenditure_hardship", "刚性支出困难家庭", "expenditure-hardship household",
                                  rank=40))
    after = ("dibao",)
    recurring = True  # the child allowance of china-rules §5.3, where a locality gives one (Demo City: none)
    parameters = (_MULTIPLE, _MARGINAL_MONTHS, _SHARE, _LINE, *_STANDARDS)
    # What it reads of a household (`assistkit plugins --reads`): local hukou (§7.1), the income accounting of
    # the household (§3: income records, supporting relatives' payments, the expenses and payments it deducts),
    # the assets (§4), and the members' ages and schooling for the rigid expenditure share and child allowance.
    reads = ("hukou_local", "incomes", "obligors", "expenses", "history", "assets", "members.birth_date",
             "members.school")
    rules = {r.id: r for r in _LOW_INCOME_RULES}

    def assess(self, ctx: Context) -> None:
        if not ctx.household.hukou_local:
            ctx.reason("low_income.non_local")
            ctx.set("threshold", None)
            ctx.reason("marginal.no_threshold", {"why": "§2.5"})
            return
        unit = dibao_unit(ctx)
        if not unit:
            ctx.reason("low_income.empty_unit")
            ctx.set("threshold", None)
            ctx.reason("marginal.no_threshold", {"why": "§2.4"})
            return
        account = ctx.income(unit)
        S = ctx.standard
        s = ctx.standard_param
        dated = ctx.params.derived(_BasicLivingValues)
        multiple = dated.multiple
        line = marginal_line(dated, S)
        own_line = dated.marginal_line is not None
        line_params = (_MARGINAL_LINE,) if own_line else (_MULTIPLE, s)
        pci = account.per_capita
        months = dated.marginal_months
        has_dibao = "dibao" in ctx.statuses.household
        assets = ctx.assets(unit, months, dated.marginal_limit)  # type: ignore[arg-type]  # an int M, as for dibao
        marginal = False
        if has_dibao:
            ctx.reason("marginal.has_dibao")
        else:
            ctx.reasons(assets.reasons)
            if not assets.passed and dated.marginal_limit is not None:
                ctx.reason("marginal.assets_failed_limit", {"limit": dated.marginal_limit,
                                                            "failures": assets.failures}, params=(_MARGINAL_LIMIT,))
            elif not assets.passed:
                ctx.reason("marginal.assets_failed", {"months": months, "failures": assets.failures},
                           params=(_MARGINAL_MONTHS,))
            elif pci < line:
                marginal = True
                ctx.grant("marginal")
                if dated.child_allowance is not None:
                    child_allowance(ctx, dated, dated.child_allowance)
                if dated.marginal_limit is not None:
                    ctx.reason("marginal.eligible_limit", {"pci": pci, "line": line, "limit": dated.marginal_limit},
                               params=(*line_params, _MARGINAL_LIMIT))
                elif own_line:
                    ctx.reason("marginal.eligible_line", {"pci": pci, "line": line, "months": months},
                               params=(_MARGINAL_LINE, _MARGINAL_MONTHS))
                else:
                    ctx.reason("marginal.eligible", {"pci": pci, "multiple": multiple, "S": S, "line": line,
                                                     "months": months}, params=(_MULTIPLE, s, _MARGINAL_MONTHS))
            elif own_line:
                ctx.reason("marginal.income_above_line", {"pci": pci, "line": line}, params=(_MARGINAL_LINE,))
            else:
                ctx.reason("marginal.income_above", {"pci": pci, "multiple": multiple, "S": S, "line": line},
                           params=(_MULTIPLE, s))
        hardship_note = None
        if not has_dibao and not marginal:
            ok, values = expenditure_hardship(ctx, account)
            if ok:
                ctx.grant("expenditure_hardship")
                ctx.reason("hardship.eligible", values, params=(_SHARE, _LINE))
            else:
                ctx.reason("hardship.not_eligible", values, params=(_SHARE, _LINE))
            hardship_note = dated.hardship_note
        if not assets.passed:
            ctx.set("threshold", None)
            ctx.reason("marginal.no_threshold", {"why": "§4"})
            return
        if has_dibao:
            found = threshold(line, pci, "marginal", note=_HAS_DIBAO_NOTE)
        elif hardship_note is not None:
            found = threshold(line, pci, "marginal", note=hardship_note)
        else:
            found = threshold(line, pci, "marginal")
        ctx.set("threshold", found)
        ctx.reason("marginal.threshold", {"line": line, "pci": pci, "distance": line - pci}, params=line_params)


