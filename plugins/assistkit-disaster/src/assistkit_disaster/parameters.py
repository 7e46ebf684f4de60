"""The parameters disaster-victim relief reads (spec ``parameters.md``, ``disaster.*``), with the Demo City values
file. It also reads ``marginal.multiple`` (§7), declared by the basic-living plugin, for §D.3."""

from __future__ import annotations

from importlib.resources import files

from assistkit.api import ParameterDeclaration, ParameterSchema

__all__ = [
    "BEREAVEMENT",
    "DECLARATION",
    "EMERGENCY_PER_PERSON",
    "MARGINAL_LINE",
    "MARGINAL_MULTIPLE",
    "REBUILD",
    "RELIEF_DAYS",
    "REPAIR",
    "SCHEMAS",
    "TRANSITIONAL_DAILY",
    "TRANSITIONAL_DAYS",
    "TRANSITIONAL_DURATION",
]

RELIEF_DAYS = "disaster.relief_days"
EMERGENCY_PER_PERSON = "disaster.emergency_per_person"
TRANSITIONAL_DAILY = "disaster.transitional_daily"
TRANSITIONAL_DAYS = "disaster.transitional_days"
TRANSITIONAL_DURATION = "disaster.transitional_duration"
REPAIR = "disaster.repair"
REBUILD = "disaster.rebuild"
BEREAVEMENT = "disaster.bereavement"
MARGINAL_MULTIPLE = "marginal.multiple"
MARGINAL_LINE = "marginal.line"
"""Declared by basic living (optional): the marginal line where it is not a multiple of S (china-rules §5.3)."""

SCHEMAS: tuple[ParameterSchema, ...] = (
    ParameterSchema(RELIEF_DAYS, "int", "days",
                    "disaster events dated at most this many days before the assessment date count",
                    "受灾人员救助：灾害发生后受理的天数", "§D.1"),
    ParameterSchema(EMERGENCY_PER_PERSON, "money", "yuan/person",
                    "emergency living relief per member, one-off",
                    "应急生活救助（每人一次性）", "§D.2"),
    ParameterSchema(TRANSITIONAL_DAILY, "money", "yuan/person/day",
                    "transitional living relief per person and day",
                    "过渡期生活救助（每人每天）", "§D.3"),
    ParameterSchema(TRANSITIONAL_DAYS, "int", "days",
                    "days of transitional living relief",
                    "过渡期生活救助天数", "§D.3"),
    ParameterSchema(TRANSITIONAL_DURATION, "string", "",
                    "days of transitional living relief: fixed = always transitional_days; expected = the event's "
                    "expected duration of hardship (duration_months × 30 days) when given, at most "
                    "transitional_days (china-rules §5.6)",
                    "过渡期生活救助天数的确定方式：固定天数，或按预计困难持续时间（每月 30 天）且不超过固定天数",
                    "china-rules §5.6", choices=("fixed", "expected")),
    ParameterSchema(REPAIR, "money", "yuan",
                    "dwelling severely damaged: repair grant, one-off, toward the event's need",
                    "住房严重损坏：维修补助（一次性，计入该需求）", "§D.4"),
    ParameterSchema(REBUILD, "money", "yuan",
                    "dwelling collapsed: rebuilding grant, one-off, toward the event's need",
                    "住房倒塌：恢复重建补助（一次性，计入该需求）", "§D.4"),
    ParameterSchema(BEREAVEMENT, "money", "yuan/person",
                    "bereavement consolation per person who died in the disaster",
                    "遇难人员家属抚慰金（每位遇难者）", "§D.5"),
)

DECLARATION = ParameterDeclaration(SCHEMAS, {
    name: files("assistkit_disaster") / f"{name}.toml" for name in ("demo-city", "sample-district")
})
"""The disaster-relief parameters and their Demo City values."""
