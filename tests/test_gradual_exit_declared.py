"""A gradual exit (§6.7) is a property of a programme's declaration (``Programme.gradual_exit``), not of the name
``dibao``: a locality's or a third party's recurring programme that declares one may carry ``gradual_exit_from``
on its enrolments; Demo City's households and messages are as before."""

from __future__ import annotations

import datetime as dt

import assistkit_basic_living.hooks
import pytest

from assistkit import hookimpl
from assistkit.api import Context, Programme
from assistkit.declared import CORE
from assistkit.engine import Engine
from assistkit.errors import InvalidHousehold
from assistkit.io import structure_household
from assistkit.schema import household_schema

ON = dt.date(2025, 7, 15)


class Allowance(Programme):
    name = "winter_allowance"
    title_zh, title_en = "冬季补助", "Winter allowance"
    after = ("dibao",)
    recurring = True

    def assess(self, ctx: Context) -> None:
        return None


class TaperedAllowance(Allowance):
    gradual_exit = True


class Plugin:
    def __init__(self, programme: Programme) -> None:
        self.programme = programme

    @hookimpl
    def assistkit_register_programmes(self) -> list[Programme]:
        return [self.programme]


def household(programme: str) -> object:
    return structure_household({
        "id": "H-1", "residence": "urban",
        "members": [{"id": "P1", "name": "张三", "birth_date": "1970-01-01", "relationship": "head"}],
        "enrolments": [{"programme": programme, "since": "2024-01-01", "monthly_amount": "100.00",
                        "gradual_exit_from": "2025-05-01"}],
    })


def test_demo_city_allows_it_for_dibao_alone_with_the_message_it_had() -> None:
    engine = Engine()
    assert engine.declared.gradual_exits == CORE.gradual_exits == ("dibao",)
    engine.assess(household("dibao"), ON)  # type: ignore[arg-type]
    with pytest.raises(InvalidHousehold) as caught:
        engine.assess(household("low_income"), ON)  # type: ignore[arg-type]
    assert str(caught.value) == ("household H-1: enrolments[0].gradual_exit_from: only for programme 'dibao'; "
                                 "got programme 'low_income'")
    enrolment = household_schema(engine.declared)["$defs"]["Enrolment"]
    assert enrolment["description"].endswith("gradual_exit_from only for programme 'dibao'.")
    assert enrolment["properties"]["gradual_exit_from"]["description"] == "Start of the gradual exit (dibao only, §6.7)"


def test_a_programme_that_declares_a_gradual_exit_may_carry_one() -> None:
    engine = Engine(plugins=[assistkit_basic_living.hooks, Plugin(TaperedAllowance())])
    assert engine.declared.gradual_exits == ("dibao", "winter_allowance")
    engine.assess(household("winter_allowance"), ON)  # type: ignore[arg-type]
    with pytest.raises(InvalidHousehold) as caught:
        engine.assess(household("low_income"), ON)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "household H-1: enrolments[0].gradual_exit_from: only for a programme with a gradual exit (§6.7): "
        "'dibao', 'winter_allowance'; got programme 'low_income'")
    enrolment = household_schema(engine.declared)["$defs"]["Enrolment"]
    assert "'dibao', 'winter_allowance'" in enrolment["description"]
    assert "winter_allowance" in enrolment["properties"]["gradual_exit_from"]["description"]


def test_a_recurring_programme_without_one_may_not() -> None:
    engine = Engine(plugins=[assistkit_basic_living.hooks, Plugin(Allowance())])
    with pytest.raises(InvalidHousehold) as caught:
        engine.assess(household("winter_allowance"), ON)  # type: ignore[arg-type]
    assert [(p.path, p.reason) for p in caught.value.problems] == [
        ("enrolments[0].gradual_exit_from", "only for programme 'dibao'; got programme 'winter_allowance'")]
