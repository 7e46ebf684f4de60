"""The parameters education assistance reads (``education.*`` of spec parameters.md), with Demo City values.

``education.grant`` is a table by school stage (``preschool`` … ``undergraduate``) of tables by tier (``1``,
``2``); a stage or tier missing from it gets no grant.
"""

from __future__ import annotations

from importlib.resources import files

from assistkit.api import ParameterDeclaration, ParameterSchema

__all__ = ["BOARDERS_ONLY", "DECLARATION", "GRANT", "NON_BOARDER_GRANT", "SCHEMAS", "TUITION_CAP"]

GRANT = "education.grant"
TUITION_CAP = "education.tuition_cap"
BOARDERS_ONLY = "education.boarders_only"
NON_BOARDER_GRANT = "education.non_boarder_grant"

SCHEMAS: tuple[ParameterSchema, ...] = (
    ParameterSchema(GRANT, "map[map[money]]", "yuan/school year by stage and tier",
                    "yearly grant by school stage and tier (1 or 2)",
                    "教育救助助学金（按学段和档次，每学年）", "§10.2"),
    ParameterSchema(TUITION_CAP, "limit", "yuan/school year",
                    'cap of the tier-1 senior-high tuition waiver ("none": the whole tuition)',
                    "普通高中一档学生免学费上限（每学年）", "§10.3"),
    ParameterSchema(BOARDERS_ONLY, "strings", "school stages",
                    "stages whose grant goes to boarding students only",
                    "助学金仅发给寄宿生的学段", "§10.2"),
    ParameterSchema(NON_BOARDER_GRANT, "map[map[money]]", "yuan/school year by stage and tier",
                    "what a non-boarding student gets instead in a boarders-only stage (none when not listed)",
                    "仅寄宿生享受助学金的学段中非寄宿生的补助（按学段和档次，每学年）", "§10.2"),
)

DECLARATION = ParameterDeclaration(SCHEMAS, {
    name: files("assistkit_education") / f"{name}.toml" for name in ("demo-city", "sample-district")
})
"""The education parameters and their Demo City values."""
