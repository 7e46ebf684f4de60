"""The parameters housing assistance reads (``housing.*`` of spec parameters.md), with Demo City values."""

from __future__ import annotations

from importlib.resources import files

from assistkit.api import ParameterDeclaration, ParameterSchema

__all__ = [
    "DECLARATION",
    "MARGINAL_RATE",
    "REBUILD_D",
    "RENOVATION_YEARS",
    "REPAIR_C",
    "SCHEMAS",
    "SUBSIDY_PER_PERSON",
]

MARGINAL_RATE = "housing.marginal_rate"
SUBSIDY_PER_PERSON = "housing.subsidy_per_person"
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
)

DECLARATION = ParameterDeclaration(SCHEMAS, {"demo-city": files("assistkit_housing") / "demo-city.toml"})
"""The housing parameters and their Demo City values."""
