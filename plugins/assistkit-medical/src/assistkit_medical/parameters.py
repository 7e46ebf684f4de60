"""The parameters medical assistance reads (``medical.*`` of spec parameters.md), with the Demo City values.

Map-typed parameters are keyed by the person status of the parameters.md last line (``tekun``, ``dibao``,
``marginal``, ``expenditure_hardship``); a status missing from a map gets nothing from that rule.
"""

from __future__ import annotations

from importlib.resources import files

from assistkit.api import ParameterDeclaration, ParameterSchema

__all__ = ["ANNUAL_CAP", "CAP_EXEMPT", "DECLARATION", "DEDUCTIBLE", "PREMIUM", "PREMIUM_RATE", "RATIO", "SCHEMAS"]

PREMIUM = "medical.premium"
PREMIUM_RATE = "medical.premium_rate"
DEDUCTIBLE = "medical.deductible"
RATIO = "medical.ratio"
ANNUAL_CAP = "medical.annual_cap"
CAP_EXEMPT = "medical.cap_exempt"

SCHEMAS: tuple[ParameterSchema, ...] = (
    ParameterSchema(PREMIUM, "money", "yuan/year",
                    "yearly resident medical-insurance premium per person",
                    "城乡居民基本医疗保险个人缴费标准（每人每年）", "§9.1"),
    ParameterSchema(PREMIUM_RATE, "map[decimal]", "share by status",
                    "share of the premium paid, by person status (a status not listed gets none)",
                    "参保资助比例（按身份；未列出的身份不资助）", "§9.1"),
    ParameterSchema(DEDUCTIBLE, "map[money]", "yuan/year by status",
                    "yearly treatment deductible per person, by person status",
                    "医疗救助年度起付标准（按身份，每人每年）", "§9.2b"),
    ParameterSchema(RATIO, "map[decimal]", "share by status",
                    "share of the base (after the deductible) paid, by person status",
                    "医疗救助比例（按身份）", "§9.2c"),
    ParameterSchema(ANNUAL_CAP, "money", "yuan/year",
                    "yearly treatment assistance cap per person",
                    "医疗救助年度最高支付限额（每人每年）", "§9.2d"),
    ParameterSchema(CAP_EXEMPT, "strings", "person statuses",
                    "person statuses whose treatment assistance has no yearly cap",
                    "医疗救助不设年度限额的身份", "§9.2d"),
)

DECLARATION = ParameterDeclaration(SCHEMAS, {
    name: files("assistkit_medical") / f"{name}.toml" for name in ("demo-city", "sample-district")
})
"""The medical parameters and their Demo City values."""
