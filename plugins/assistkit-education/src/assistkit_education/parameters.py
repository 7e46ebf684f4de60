"""The parameters education assistance reads (``education.*`` of spec parameters.md), with Demo City values.

``education.grant`` is a table by school stage (``preschool`` … ``undergraduate``) of tables by tier (``1``,
``2``); a stage or tier missing from it gets no grant.
"""

from __future__ import annotations

from importlib.resources import files

from assistkit.api import ParameterDeclaration, ParameterSchema

__all__ = ["DECLARATION", "GRANT", "SCHEMAS", "TUITION_CAP"]

GRANT = "education.grant"
TUITION_CAP = "education.tuition_cap"

SCHEMAS: tuple[ParameterSchema, ...] = (
    ParameterSchema(GRANT, "map[map[money]]", "yuan/school year by stage and tier",
                    "yearly grant by school stage and tier (1 or 2)",
                    "教育救助助学金（按学段和档次，每学年）", "§10.2"),
    ParameterSchema(TUITION_CAP, "money", "yuan/school year",
                    "cap of the tier-1 senior-high tuition waiver",
                    "普通高中一档学生免学费上限（每学年）", "§10.3"),
)

DECLARATION = ParameterDeclaration(SCHEMAS, {"demo-city": files("assistkit_education") / "demo-city.toml"})
"""The education parameters and their Demo City values."""
