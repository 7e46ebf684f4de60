"""The parameter the employment programme reads, with the Demo City values file."""

from __future__ import annotations

from importlib.resources import files

from assistkit.api import ParameterDeclaration, ParameterSchema

__all__ = ["DECLARATION", "JOB_SEEKING_SUBSIDY", "SCHEMAS"]

JOB_SEEKING_SUBSIDY = "employment.job_seeking_subsidy"

SCHEMAS: tuple[ParameterSchema, ...] = (
    ParameterSchema(JOB_SEEKING_SUBSIDY, "money", "yuan",
                    "one-off job-seeking subsidy per person and calendar year",
                    "求职补贴（每人每年一次）", "§E.3"),
)

DECLARATION = ParameterDeclaration(SCHEMAS, {"demo-city": files("assistkit_employment") / "demo-city.toml"})
"""The employment parameter and its Demo City value."""
