"""The reads check (``assistkit.testing.reads``) credits a programme with every household fact behind what it
reads through ``ctx``, also when an earlier programme asked for the same result first and it was cached."""

from __future__ import annotations

import assistkit_basic_living.hooks

from assistkit import hookimpl
from assistkit.api import Context, Programme
from assistkit.engine import Engine
from assistkit.io import read_example
from assistkit.testing.reads import declared_reads_problems, reads_of, undeclared_reads

EXAMPLE = "tests/examples/01-urban-dibao-wage.json"


class UnitIncome(Programme):
    """Reads the dibao unit's income after dibao (whose same accounting is cached), declaring only the ids."""

    name = "unit_income"
    title_zh, title_en = "单位收入", "Unit income"
    after = ("dibao",)
    reads = ("members.id",)

    def assess(self, ctx: Context) -> None:
        held = ctx.statuses.members
        ctx.income([p.id for p in ctx.household.members if "tekun" not in held.get(p.id, ())])


class UnitIncomePlugin:
    @hookimpl
    def assistkit_register_programmes(self) -> list[Programme]:
        return [UnitIncome()]


def engine() -> Engine:
    return Engine(plugins=[assistkit_basic_living.hooks, UnitIncomePlugin()])


def test_a_cached_income_account_is_credited_to_the_later_programme_too() -> None:
    example = read_example(EXAMPLE)
    reads = reads_of(engine(), example.household, example.on)
    assert "incomes" in reads["dibao"]
    assert "incomes" in reads["unit_income"]  # worked out again for it, not taken from dibao's cache unseen
    assert "incomes" in undeclared_reads(engine(), example.household, example.on)["unit_income"]


def test_the_problems_name_the_household_the_programme_and_the_facts() -> None:
    example = read_example(EXAMPLE)
    problems = declared_reads_problems(engine(), [(example.household, example.on)], ["unit_income"])
    assert len(problems) == 1
    assert problems[0].startswith(f"household {example.household.id} on {example.on.isoformat()}: programme "
                                  "'unit_income' read ")
    assert "incomes" in problems[0] and problems[0].endswith("which its `reads` does not declare")
    assert declared_reads_problems(engine(), [(example.household, example.on)], ["dibao"]) == []


def test_the_cached_results_are_the_same_after_the_check() -> None:
    example = read_example(EXAMPLE)
    e = engine()
    before = e.assess(example.household, example.on).to_json()
    reads_of(e, example.household, example.on)
    assert e.assess(example.household, example.on).to_json() == before
