"""The parameters the basic-living programmes read (spec ``parameters.md``), with the Demo City values file.

The core declares ``standard.*``, ``income.*``, ``assets.*`` and ``review.*``; this plugin declares the rest
of what tekun (§5), dibao (§6) and the low-income statuses (§7, §8) read.
"""

from __future__ import annotations

from importlib.resources import files

from assistkit.api import ParameterDeclaration, ParameterSchema

__all__ = ["DECLARATION", "SCHEMAS"]

SCHEMAS: tuple[ParameterSchema, ...] = (
    ParameterSchema("tekun.asset_months", "int", "months of S",
                    "a tekun person's own financial assets at most this × S",
                    "特困人员本人金融资产上限（低保标准的月数）", "§5.1"),
    ParameterSchema("tekun.basic_multiple", "decimal", "× S",
                    "tekun monthly basic living = this × S, rounded to yuan",
                    "特困人员基本生活标准（低保标准的倍数）", "§5.2"),
    ParameterSchema("tekun.basic_rounding", "rounding", "",
                    "how the tekun basic living standard is rounded", "特困人员基本生活标准的取整方式", "§5.2"),
    ParameterSchema("tekun.care.full", "line", "yuan/month",
                    "monthly care, fully self-caring (money, or a multiple of a reference value)",
                    "照料护理标准：全自理", "§5.3"),
    ParameterSchema("tekun.care.partial", "line", "yuan/month",
                    "monthly care, partly self-caring (money, or a multiple of a reference value)",
                    "照料护理标准：半护理", "§5.3"),
    ParameterSchema("tekun.care.none", "line", "yuan/month",
                    "monthly care, not self-caring (money, or a multiple of a reference value)",
                    "照料护理标准：全护理", "§5.3"),
    ParameterSchema("tekun.adl_partial_from", "int", "ADL items",
                    "self-care is partial when at least this many of the six activities of daily living are not "
                    "done alone (where a person's ADL items are given)",
                    "六项日常生活活动中不能独立完成达到此项数的，认定为半自理", "china-rules §5.5"),
    ParameterSchema("tekun.adl_none_from", "int", "ADL items",
                    "self-care is none when at least this many of the six activities of daily living are not "
                    "done alone (where a person's ADL items are given)",
                    "六项日常生活活动中不能独立完成达到此项数的，认定为完全不能自理", "china-rules §5.5"),
    ParameterSchema("dibao.gradual_exit_factors", "factors", "× enrolled amount, per month",
                    "share of the enrolled amount paid in each month of the gradual exit (the last repeats)",
                    "渐退期各月按原低保金发放的比例", "§6.7"),
    ParameterSchema("uplift.elderly_age", "int", "years",
                    "age from which the elderly uplift applies", "分类施保：老年人起始年龄", "§6.4"),
    ParameterSchema("uplift.minor_below_age", "int", "years",
                    "the minor uplift applies below this age (18: under 18; Beijing's ≤ 16 is 17)",
                    "分类施保：未成年人年龄上限（不含）", "§6.4"),
    ParameterSchema("dibao.income_reduction", "map[decimal]", "× S by member fact",
                    "reduction of the unit's counted income before the dibao test, by member fact: "
                    "serious_illness_or_severe_disability, supporter_60_plus (added to it), single_parent",
                    "收入核减（按家庭成员情形，低保标准的倍数）", "§6.1"),
    ParameterSchema("dibao.income_reduction_combine", "string", "",
                    "several facts: max (the higher reduction) or sum", "多项收入核减的合并方式", "§6.1",
                    choices=("max", "sum")),
    ParameterSchema("dibao.income_test", "operator", "",
                    "the dibao income test: per-capita income < S (低于) or ≤ S (不超过)",
                    "低保收入条件的比较方式", "§6.1"),
    ParameterSchema("dibao.gap", "string", "",
                    "the dibao gap: per_capita = (S − per-capita income rounded to the fen) × covered; "
                    "household = S × covered − counted income × covered ÷ unit size, nothing rounded first",
                    "低保差额的计算方式", "§6.3", choices=("per_capita", "household")),
    ParameterSchema("dibao.rounding", "rounding", "",
                    "how the unit benefit (gap + uplifts) is rounded", "低保金的取整方式", "§6.5"),
    ParameterSchema("dibao.single_person", "string", "",
                    "single-person inclusion pays difference = max(0, S − own income) or full_standard = S, "
                    "plus the uplift", "单人保的计发方式", "§6.6", choices=("difference", "full_standard")),
    ParameterSchema("uplift.stacking", "string", "",
                    "several uplift categories of one person: highest (the largest rate only) or sum",
                    "分类施保多项时的叠加方式", "§6.4", choices=("highest", "sum")),
    ParameterSchema("dibao.refusal_limit", "int", "offers",
                    "job offers refused (able to work) before a person is not covered",
                    "无正当理由拒绝就业的次数上限", "§6.2"),
    ParameterSchema("dibao.floor", "money", "yuan/month",
                    "least monthly dibao benefit", "低保金最低发放额", "§6.5"),
    ParameterSchema("dibao.gradual_exit_months", "int", "months",
                    "length of the gradual exit", "渐退期（月）", "§6.7"),
    ParameterSchema("uplift.elderly", "decimal", "× S",
                    "classified uplift, age 60 or more", "分类施保：老年人", "§6.4"),
    ParameterSchema("uplift.minor", "decimal", "× S",
                    "classified uplift, age under 18", "分类施保：未成年人", "§6.4"),
    ParameterSchema("uplift.severe_disability", "decimal", "× S",
                    "classified uplift, disability grade 1–2", "分类施保：一、二级残疾", "§6.4"),
    ParameterSchema("uplift.disability", "decimal", "× S",
                    "classified uplift, disability grade 3–4", "分类施保：三、四级残疾", "§6.4"),
    ParameterSchema("uplift.serious_illness", "decimal", "× S",
                    "classified uplift, serious illness", "分类施保：重病患者", "§6.4"),
    ParameterSchema("uplift.student", "decimal", "× S",
                    "classified uplift, a member at school aged uplift.minor_below_age or more (Beijing B1 §10(2): "
                    "full-time students over 16); no value: no such category",
                    "分类施保：超过未成年人年龄的在校学生", "china-rules §5.1", optional=True),
    ParameterSchema("uplift.lost_work_capacity", "decimal", "× S",
                    "classified uplift, labour capacity partial or none (Beijing B1 §10(2): complete or major loss "
                    "of work capacity); no value: no such category",
                    "分类施保：完全或大部分丧失劳动能力", "china-rules §5.1", optional=True),
    ParameterSchema("marginal.multiple", "decimal", "× S",
                    "marginal line = this × S", "低保边缘家庭收入标准（低保标准的倍数）", "§7"),
    ParameterSchema("marginal.line", "line", "yuan/month",
                    "the marginal line when it is not a multiple of S: money, or a multiple of a reference value "
                    '({ times = 1, of = "reference.low_income_line" }: Beijing\'s low-income line, B1 §11(1)); '
                    "no value: marginal.multiple × S",
                    "低保边缘（低收入）家庭收入标准（非低保标准倍数时）", "china-rules §5.3", optional=True),
    ParameterSchema("marginal.child_allowance", "decimal", "× S per child a month",
                    "a monthly allowance of this × S for each member of a marginal household below "
                    "uplift.minor_below_age or at school (Beijing B1 §11(3): 25 % of S for each member ≤ 16 or "
                    "full-time student); no value: none",
                    "低保边缘（低收入）家庭未成年人和在校学生的生活补助（每人每月，低保标准的倍数）",
                    "china-rules §5.3", optional=True),
    ParameterSchema("hardship.expense_share", "decimal", "share",
                    "rigid expenses above this share of countable income",
                    "刚性支出占家庭可计算收入的比例下限", "§8"),
    ParameterSchema("hardship.income_line", "money", "yuan/month",
                    "per-capita income line of the expenditure-hardship test",
                    "刚性支出困难家庭人均收入上限", "§8"),
)

DECLARATION = ParameterDeclaration(SCHEMAS, {
    name: files("assistkit_basic_living") / f"{name}.toml"
    for name in ("national-core", "demo-city", "sample-district")
})
"""The basic-living parameters and their Demo City values."""
