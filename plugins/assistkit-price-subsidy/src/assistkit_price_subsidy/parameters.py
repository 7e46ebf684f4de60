"""The parameters of the price-linkage subsidy (spec ``parameters.md``, ``price.*``), with the Demo City values file.

The published indices are ordinary effective-dated parameters (§P.1): each month's figure is a value in force from
the first day of the month after the index month, so ``price.cpi_yoy`` on 2024-09-15 is August 2024's change on a
year earlier. Their type is ``percent``: a change, which may be negative.
"""

from __future__ import annotations

from importlib.resources import files

from assistkit.api import ParameterDeclaration, ParameterSchema

__all__ = [
    "CPI_TRIGGER",
    "CPI_YOY",
    "DECLARATION",
    "FOOD_TRIGGER",
    "FOOD_YOY",
    "MIN_SUBSIDY",
    "SCHEMAS",
    "STATUSES",
]

CPI_YOY = "price.cpi_yoy"
FOOD_YOY = "price.food_yoy"
CPI_TRIGGER = "price.cpi_trigger"
FOOD_TRIGGER = "price.food_trigger"
STATUSES = "price.statuses"
MIN_SUBSIDY = "price.min_subsidy"

SCHEMAS: tuple[ParameterSchema, ...] = (
    ParameterSchema(CPI_YOY, "percent", "% on a year earlier, CPI of the month before",
                    "consumer price index: change on a year earlier, in percent, of the month before the "
                    "effective date (published monthly)",
                    "居民消费价格指数同比涨幅（%，生效日前一个月的数据，每月公布）", "§P.1"),
    ParameterSchema(FOOD_YOY, "percent", "% on a year earlier, food CPI of the month before",
                    "food component of the consumer price index: change on a year earlier, in percent, of the "
                    "month before the effective date (published monthly)",
                    "食品价格指数同比涨幅（%，生效日前一个月的数据，每月公布）", "§P.1"),
    ParameterSchema(CPI_TRIGGER, "decimal", "%",
                    "CPI change on a year earlier at or above which the subsidy is paid",
                    "启动条件：居民消费价格指数同比涨幅达到", "§P.2"),
    ParameterSchema(FOOD_TRIGGER, "decimal", "%",
                    "food CPI change on a year earlier at or above which the subsidy is paid",
                    "启动条件：食品价格指数同比涨幅达到", "§P.2"),
    ParameterSchema(STATUSES, "strings", "",
                    "statuses whose holders are covered (orphans always are)",
                    "保障对象的救助身份（孤儿均纳入）", "§P.3"),
    ParameterSchema(MIN_SUBSIDY, "money", "yuan/person/month",
                    "least subsidy per covered person and month",
                    "每人每月补贴最低额", "§P.4"),
)

DECLARATION = ParameterDeclaration(SCHEMAS, {"demo-city": files("assistkit_price_subsidy") / "demo-city.toml"})
"""The price-linkage parameters and their Demo City values."""
