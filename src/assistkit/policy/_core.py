"""The core's own parameters: ``standard.*``, ``income.*``, ``assets.*`` and ``review.*`` of parameters.md.

Programme parameters (``tekun.*``, ``dibao.*``, ``medical.*``, …) are declared by their plugins.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from ._schema import ParameterDeclaration, ParameterSchema

__all__ = ["CORE_DECLARATION", "CORE_SCHEMAS"]

CORE_SCHEMAS: tuple[ParameterSchema, ...] = (
    ParameterSchema("standard.urban", "money", "yuan/month",
                    "monthly minimum-living standard S, urban", "城市低保标准", "§1.5"),
    ParameterSchema("standard.rural", "money", "yuan/month",
                    "monthly minimum-living standard S, rural", "农村低保标准", "§1.5"),
    ParameterSchema("income.window_months", "int", "months",
                    "months P of the income window, averaged", "收入核算期（月数）", "§1.3"),
    ParameterSchema("income.excluded_kinds", "strings", "",
                    "income kinds not counted", "不计入家庭收入的收入种类", "§3.2"),
    ParameterSchema("income.casual_daily_wage", "money", "yuan/day",
                    "imputed daily wage of casual work", "零工日工资核定标准", "§3.3"),
    ParameterSchema("income.farm_net_per_mu_year", "money", "yuan/mu/year",
                    "imputed net farm income per mu per year", "种植业每亩年纯收入核定标准", "§3.3"),
    ParameterSchema("income.employment_deduction_rate", "decimal", "× S",
                    "share of S deducted per working person, at most their work income",
                    "就业成本扣减比例（低保标准的倍数，以本人工作收入为限）", "§3.5"),
    ParameterSchema("income.self_employed_deduction", "string", "",
                    "employment deduction of a self-employed or casual worker: as_employees = min(work income, "
                    "rate × S); above_standard = min(rate × S, work income above S), so counted income never "
                    "falls below S by it (Beijing B1 §10(3): income ≥ 1.8 S → income − 0.8 S; S < income < 1.8 S "
                    "→ S; income ≤ S → income)",
                    "个体经营、灵活就业人员的就业成本扣减方式", "§3.5",
                    choices=("as_employees", "above_standard")),
    ParameterSchema("income.employment_deduction_base", "map[string]", "by employment type",
                    "what income.employment_deduction_rate is a share of, by employment type (employee; "
                    "self_employed: business or casual income in the window): standard (S), income (the "
                    "person's own monthly work income) or minimum_wage (reference.minimum_wage); a type not "
                    "listed, or no value: standard",
                    "就业成本扣减的计算基数（按就业类型：低保标准、本人工作收入或最低工资）", "china-rules §3.4",
                    choices=("standard", "income", "minimum_wage"), keys=("employee", "self_employed"),
                    optional=True),
    ParameterSchema("income.employment_deduction_cap", "map[line]", "yuan/month by employment type",
                    "most deducted per working person a month, by employment type (money, or a multiple of a "
                    "reference value); a type not listed, or no value: no cap but the work income itself",
                    "就业成本扣减上限（按就业类型，每人每月）", "china-rules §3.4",
                    keys=("employee", "self_employed"), optional=True),
    ParameterSchema("income.imputed_wage", "line", "yuan/month",
                    "monthly work income counted for a member of working age (income.imputation_ages) with full "
                    "labour capacity, not at school, without disability or serious illness, who has no work income "
                    "in the window (Guangdong, Putian: the minimum wage); the employment deduction then applies; "
                    "no value: nothing is imputed",
                    "有劳动能力未就业人员的认定收入（每月）", "china-rules §3.5", optional=True),
    ParameterSchema("income.imputation_ages", "map[decimal]", "years",
                    "the working age of income.imputed_wage: from (included) and below (excluded) this age; "
                    "no value: from 18, below 60",
                    "认定收入的劳动年龄段（起始年龄、上限年龄（不含））", "china-rules §3.5",
                    keys=("from", "below"), optional=True),
    ParameterSchema("income.deduct_rigid_expenses", "bool", "",
                    "whether the rigid-expenditure deduction applies", "是否扣减刚性支出", "§3.6"),
    ParameterSchema("income.support_payments", "string", "",
                    "support payments from obligors (赡养费 …): declared = only the support a record says was "
                    "received counts (N2 §13(4)); assessed = what the obligors can pay is counted, "
                    "max(0, (obligor household income − support_allowance × its size) × support_share ÷ "
                    "households it supports), or more when received or agreed (B1 §12)",
                    "赡养（抚养、扶养）费计算方式：按申报实际收到的计算，或按义务人家庭收入核算",
                    "china-rules §3.6", choices=("declared", "assessed")),
    ParameterSchema("income.support_allowance", "line", "yuan/month per person",
                    "what an obligor household keeps per member before it can pay support (assessed support)",
                    "核算赡养费时义务人家庭人均保留的月收入", "china-rules §3.6", optional=True),
    ParameterSchema("income.support_share", "decimal", "",
                    "share of the obligor household's income above the allowance counted as support (assessed "
                    "support)", "义务人家庭收入超出保留部分计为赡养费的比例", "china-rules §3.6", optional=True),
    ParameterSchema("income.support_no_capacity", "strings", "",
                    "statuses of an obligor household that mean it has no capacity to pay (assessed support)",
                    "视为无赡养（抚养、扶养）能力的义务人家庭身份", "china-rules §3.6", optional=True),
    ParameterSchema("assets.dibao_months", "int", "months of S",
                    "financial assets per person at most this × S, dibao",
                    "低保家庭人均金融资产上限（低保标准的月数）", "§4.1"),
    ParameterSchema("assets.marginal_months", "int", "months of S",
                    "financial assets per person at most this × S, marginal households",
                    "低保边缘家庭人均金融资产上限（低保标准的月数）", "§4.1"),
    ParameterSchema("assets.vehicle_value_limit", "money", "yuan",
                    "a non-exempt vehicle worth more than this fails the asset test",
                    "非生活必需机动车辆价值上限", "§4.2"),
    ParameterSchema("assets.financial_test", "operator", "",
                    "the financial-asset test: per-person financial assets at most (<=, 不超过) or strictly below "
                    "(<, 低于) the limit; no value: at most", "金融资产核查的比较方式", "china-rules §4",
                    optional=True),
    ParameterSchema("assets.dibao_limit", "line", "yuan per person",
                    "the dibao financial-asset limit per person when it is not assets.dibao_months × S: money, or a "
                    'multiple of a reference value ({ times = 2, of = "reference.disposable_income" })',
                    "低保家庭人均金融资产上限（非低保标准月数时）", "china-rules §4", optional=True),
    ParameterSchema("assets.marginal_limit", "line", "yuan per person",
                    "the marginal households' financial-asset limit per person when it is not "
                    "assets.marginal_months × S (money, or a multiple of a reference value)",
                    "低保边缘家庭人均金融资产上限（非低保标准月数时）", "china-rules §4", optional=True),
    ParameterSchema("reference.minimum_wage", "money", "yuan/month",
                    "local monthly minimum wage (a reference value lines may be a multiple of)",
                    "当地月最低工资标准", "china-rules §1.5", optional=True),
    ParameterSchema("reference.disposable_income", "money", "yuan/year",
                    "last year's local per-capita disposable income of residents",
                    "上年度当地居民人均可支配收入", "china-rules §1.5", optional=True),
    ParameterSchema("reference.consumption", "money", "yuan/year",
                    "last year's local per-capita consumption expenditure of residents",
                    "上年度当地居民人均消费支出", "china-rules §1.5", optional=True),
    ParameterSchema("reference.low_income_line", "money", "yuan/month",
                    "local low-income line L per person (where the locality defines one)",
                    "当地低收入标准（人均，每月）", "china-rules §5.3", optional=True),
    ParameterSchema("review.stable_months", "int", "months",
                    "review interval when nobody in the unit can work",
                    "复核周期：无劳动能力家庭（月）", "§15.1"),
    ParameterSchema("review.default_months", "int", "months",
                    "review interval, default", "复核周期：一般家庭（月）", "§15.1"),
    ParameterSchema("review.fluctuating_months", "int", "months",
                    "review interval with casual or business income",
                    "复核周期：收入波动家庭（月）", "§15.1"),
)


def _bundled() -> dict[str, Traversable]:
    # One directory listing: each ``localities/<name>.toml`` is a bundled locality.
    folder = files("assistkit") / "localities"
    return {
        entry.name.removesuffix(".toml"): entry
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml") and entry.is_file()
    }


CORE_DECLARATION = ParameterDeclaration(CORE_SCHEMAS, _bundled())
"""The core's parameters with their values per bundled locality (``<assistkit>/localities/<name>.toml``)."""
