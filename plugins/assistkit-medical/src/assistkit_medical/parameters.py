"""The parameters medical assistance reads (``medical.*`` of spec parameters.md), with the Demo City values.

Map-typed parameters are keyed by the person status of the parameters.md last line (``tekun``, ``dibao``,
``marginal``, ``expenditure_hardship``); a status missing from a map gets nothing from that rule.
"""

from __future__ import annotations

from importlib.resources import files

from assistkit.api import ParameterDeclaration, ParameterSchema

__all__ = ["ANNUAL_CAP", "CAP_BY_CARE", "CAP_EXEMPT", "CARE_TYPES", "CARE_TYPE", "DECLARATION", "DEDUCTIBLE", "PREMIUM",
           "PREMIUM_RATE", "RATIO", "RATIO_BY_CARE", "SCHEMAS"]

PREMIUM = "medical.premium"
PREMIUM_RATE = "medical.premium_rate"
DEDUCTIBLE = "medical.deductible"
RATIO = "medical.ratio"
ANNUAL_CAP = "medical.annual_cap"
CAP_EXEMPT = "medical.cap_exempt"
CARE_TYPE = "medical.care_type"
RATIO_BY_CARE = "medical.ratio_by_care"
CAP_BY_CARE = "medical.cap_by_care"

CARE_TYPES = ("inpatient", "outpatient")
"""The care types of china-rules §5.7 a locality's ratios and caps may differ by (门诊 / 住院)."""

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
    # china-rules §5.7: ratios and caps per care type. Optional: without them every treated bill is one care type,
    # with the ratio and the yearly cap of its status (Demo City's §9.2).
    ParameterSchema(CARE_TYPE, "map[string]", "care type by expense kind",
                    "the expense kinds assisted and the care type each counts as (inpatient or outpatient; "
                    "Beijing B5 §7: chronic outpatient follows the inpatient rules); a kind not listed is not "
                    "assisted; no value: inpatient and chronic outpatient bills, one care type",
                    "医疗费用救助的费用类别及其所属就医类型（住院或门诊）", "china-rules §5.7",
                    choices=CARE_TYPES, keys=("inpatient", "outpatient_chronic", "outpatient"), optional=True),
    ParameterSchema(RATIO_BY_CARE, "map[map[decimal]]", "share by status and care type",
                    "share of the base paid, by person status and care type; replaces medical.ratio where listed",
                    "医疗救助比例（按身份和就医类型）", "china-rules §5.7", optional=True),
    ParameterSchema(CAP_BY_CARE, "map[map[limit]]", "yuan/year by status and care type",
                    'yearly cap per person and care type, by person status ("none": no cap for that care type); '
                    "the yearly cap medical.annual_cap still applies to the sum",
                    "医疗救助年度限额（按身份和就医类型，每人每年）", "china-rules §5.7", optional=True),
)

DECLARATION = ParameterDeclaration(SCHEMAS, {
    name: files("assistkit_medical") / f"{name}.toml" for name in ("demo-city", "sample-district")
})
"""The medical parameters and their Demo City values."""
