"""The parameters housing assistance reads (``housing.*`` of spec parameters.md), with Demo City values."""

from __future__ import annotations

from importlib.resources import files

from assistkit.api import ParameterDeclaration, ParameterSchema

__all__ = [
    "AREA_CAP",
    "AREA_TENURES",
    "BAND_UP",
    "BAND_UP_FACTS",
    "DECLARATION",
    "INCOME_RATIO",
    "RENT_STANDARD",
    "STATUS_RATIO",
    "MARGINAL_RATE",
    "REBUILD_D",
    "RENOVATION_YEARS",
    "REPAIR_C",
    "SCHEMAS",
    "SUBSIDY_PER_PERSON",
]

MARGINAL_RATE = "housing.marginal_rate"
SUBSIDY_PER_PERSON = "housing.subsidy_per_person"
RENT_STANDARD = "housing.rent_standard"
AREA_CAP = "housing.area_cap"
AREA_TENURES = "housing.area_tenures"
STATUS_RATIO = "housing.status_ratio"
INCOME_RATIO = "housing.income_ratio"
BAND_UP = "housing.band_up"

BAND_UP_FACTS = ("severe_disability", "serious_illness", "all_elderly")
"""Member facts that move a household one band up (Beijing B7): a member with disability grade 1–2, a seriously
ill member, every member aged 60 or more."""
REPAIR_C = "housing.repair_C"
REBUILD_D = "housing.rebuild_D"
RENOVATION_YEARS = "housing.renovation_years"

SCHEMAS: tuple[ParameterSchema, ...] = (
    ParameterSchema(MARGINAL_RATE, "decimal", "share",
                    "marginal households' share of the housing amounts (dibao and all-tekun households: 1)",
                    "低保边缘家庭住房救助比例", "§11.1"),
    ParameterSchema(SUBSIDY_PER_PERSON, "money", "yuan/month per person",
                    "monthly rental subsidy cap per household member",
                    "租赁补贴每人每月上限", "§11.2"),
    ParameterSchema(REPAIR_C, "money", "yuan",
                    "one-off repair of a grade-C dilapidated rural house",
                    "C 级危房修缮补助（一次性）", "§11.3"),
    ParameterSchema(REBUILD_D, "money", "yuan",
                    "one-off rebuilding of a grade-D dilapidated rural house",
                    "D 级危房重建补助（一次性）", "§11.3"),
    ParameterSchema(RENOVATION_YEARS, "int", "years",
                    "one renovation per household in this many years",
                    "危房改造间隔年限", "§11.3"),
    # china-rules §5.9 (Beijing B7): a rent subsidy by area and income band. Optional: without a rent standard
    # the rental subsidy of §11.2 stands.
    ParameterSchema(RENT_STANDARD, "money", "yuan/m²/month",
                    "rent standard of the area subsidy: standard × ratio × rented area (at most housing.area_cap)",
                    "租金补贴的租金标准（每平方米每月）", "china-rules §5.9", optional=True),
    ParameterSchema(AREA_CAP, "limit", "m²",
                    'most rented area the area subsidy counts ("none": the whole area)',
                    "租金补贴计算面积上限", "china-rules §5.9", optional=True),
    ParameterSchema(AREA_TENURES, "strings", "tenures",
                    "tenures the area subsidy is for (Beijing: public_rental)",
                    "适用租金补贴的住房类型", "china-rules §5.9", optional=True),
    ParameterSchema(STATUS_RATIO, "map[decimal]", "share by household status",
                    "the area subsidy's ratio by household status: dibao, tekun (every member), marginal",
                    "租金补贴比例（按家庭救助身份）", "china-rules §5.9", optional=True),
    ParameterSchema(INCOME_RATIO, "map[decimal]", "share by income band",
                    "the ratio of a household holding none of those statuses, by per-capita monthly income: upper "
                    'bound → ratio ({ "1200" = 0.70, "1600" = 0.50 }: at most 1200 → 70 %); above the last '
                    "bound, no subsidy",
                    "租金补贴比例（按家庭人均月收入分档，上限 → 比例）", "china-rules §5.9", optional=True),
    ParameterSchema(BAND_UP, "strings", "member facts",
                    "facts that move a household one band up (the next higher ratio of the two tables): "
                    "severe_disability, serious_illness, all_elderly",
                    "上调一档的家庭情形", "china-rules §5.9", optional=True),
)

DECLARATION = ParameterDeclaration(SCHEMAS, {
    name: files("assistkit_housing") / f"{name}.toml" for name in ("demo-city", "sample-district")
})
"""The housing parameters and their Demo City values."""
