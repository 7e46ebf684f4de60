"""The parameters temporary relief reads (spec ``parameters.md``, ``temporary.*``), with the Demo City values
file.

Caps are whole months of the standard S (§1.5), like ``assets.dibao_months``.
"""

from __future__ import annotations

from importlib.resources import files

from assistkit.api import ParameterDeclaration, ParameterSchema

__all__ = [
    "ADVANCE_CAP_MONTHS",
    "ADVANCE_DAYS",
    "CAP_MONTHS",
    "DECLARATION",
    "EMERGENCY_CAP",
    "EMERGENCY_PER_PERSON",
    "EVENT_DAYS",
    "MAJOR_CAP_MONTHS",
    "MAX_GRANTS",
    "NO_STATUS_LINE",
    "SCHEDULE",
    "SCHEMAS",
]

EVENT_DAYS = "temporary.event_days"
CAP_MONTHS = "temporary.cap_months"
MAJOR_CAP_MONTHS = "temporary.major_cap_months"
MAX_GRANTS = "temporary.max_grants"
ADVANCE_DAYS = "temporary.advance_days"
ADVANCE_CAP_MONTHS = "temporary.advance_cap_months"
SCHEDULE = "temporary.expenditure_schedule"
NO_STATUS_LINE = "temporary.no_status_line"
EMERGENCY_PER_PERSON = "temporary.emergency_cap_per_person"
EMERGENCY_CAP = "temporary.emergency_cap"

SCHEMAS: tuple[ParameterSchema, ...] = (
    ParameterSchema(EVENT_DAYS, "int", "days",
                    "emergency events dated at most this many days before the assessment date count",
                    "急难型临时救助：事件发生后受理的天数", "§12.1"),
    ParameterSchema(CAP_MONTHS, "int", "months of S",
                    "a temporary-relief grant is at most this × S",
                    "临时救助一次救助金额上限（低保标准的月数）", "§12.3"),
    ParameterSchema(EMERGENCY_CAP, "string", "",
                    "cap of an emergency grant: standard_months = cap_months × S; persons_months = S × members × "
                    "the months the event's hardship is expected to last (duration_months, at most cap_months), "
                    "where the event gives them (china-rules §5.11, Gansu)",
                    "急难型救助金上限：按低保标准的月数，或按标准 × 人数 × 预计困难持续月数（不超过上限月数）",
                    "§12.3", choices=("standard_months", "persons_months")),
    ParameterSchema(MAJOR_CAP_MONTHS, "int", "months of S",
                    "major-case cap (county approval) for households holding a status: this × S",
                    "重大个案救助金额上限（低保标准的月数，需县级审批）", "§12.3"),
    ParameterSchema(MAX_GRANTS, "int", "grants",
                    "temporary-relief grants per household in any 365 days, history included",
                    "每户 365 天内临时救助次数上限（含历史）", "§12.4"),
    ParameterSchema(ADVANCE_DAYS, "int", "days",
                    "advance relief for emergency events dated at most this many days before the "
                    "assessment date",
                    "先行救助：事件发生后的天数", "§12.5"),
    ParameterSchema(ADVANCE_CAP_MONTHS, "int", "months of S",
                    "advance relief is at most this × S (and at most the grant)",
                    "先行救助金额上限（低保标准的月数）", "§12.5"),
    # china-rules §5.11 (Beijing B3 §1(2), §3): optional; without them Demo City's §12.2–§12.3 stand.
    ParameterSchema(SCHEDULE, "map[bands]", "share of the expenditure by band",
                    "expenditure relief as a banded share of what remains of the expenditure: status (the "
                    "household or a member holds a status) and others; nothing below a band's threshold, its "
                    "bonus points when a member has disability grade 1–2; the grant cap still applies; a kind "
                    "not listed, or no value: what remains, up to the cap",
                    "支出型临时救助分段救助比例（有救助身份家庭、其他家庭）", "china-rules §5.11",
                    keys=("status", "others"), optional=True),
    ParameterSchema(NO_STATUS_LINE, "line", "yuan/month",
                    "a household holding no status gets expenditure relief when (countable monthly income − the "
                    "year's expenditure ÷ 12) ÷ members is below this line (money, or a multiple of a reference "
                    "value); no value: expenditure relief needs a status",
                    "无救助身份家庭申请支出型临时救助的收入标准（扣除必需支出后人均月收入）", "china-rules §5.11",
                    optional=True),
    ParameterSchema(EMERGENCY_PER_PERSON, "decimal", "× S per member",
                    "an emergency grant is at most this × S × the household's members (Beijing B3 §3: 3 × S a "
                    "person), with no major case; no value: temporary.cap_months × S a grant",
                    "急难型临时救助上限（每人低保标准的倍数）", "china-rules §5.11", optional=True),
)

DECLARATION = ParameterDeclaration(SCHEMAS, {
    name: files("assistkit_temporary") / f"{name}.toml" for name in ("demo-city", "sample-district")
})
"""The temporary-relief parameters and their Demo City values."""
