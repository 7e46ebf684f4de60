"""A plugin that ships parameter values for no locality the tests build an engine for (only ``far-county``)."""

from __future__ import annotations

from pathlib import Path

from assistkit import hookimpl
from assistkit.api import Context, ParameterDeclaration, ParameterSchema, Programme, Rule

_VALUES = Path(__file__).with_name("far-county.toml")


class Heating(Programme):
    name = "heating"
    title_zh, title_en = "冬季取暖补贴", "Winter heating subsidy"
    parameters = ("heating.amount",)
    rules = {"heating.none": Rule("heating.none", "§H.1", "无", "none")}

    def assess(self, ctx: Context) -> None:
        ctx.reason("heating.none")


@hookimpl
def assistkit_register_programmes():
    return [Heating()]


@hookimpl
def assistkit_declare_parameters():
    schema = ParameterSchema("heating.amount", "money", "yuan", "monthly heating subsidy", "取暖补贴", "§H.1")
    return [ParameterDeclaration((schema,), {"far-county": _VALUES})]
