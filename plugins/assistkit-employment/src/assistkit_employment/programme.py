"""The rules of employment assistance (就业救助): Demo City's addendum §E, one function per clause.

§E is not part of the spec's §1–§17: it is the rule this plugin adds, written in the spec's terms (the docs'
statute page prints it in full). In short:

- §E.1 A member qualifies when the household holds ``dibao`` or ``marginal`` (household statuses), and the
  member is able to work (§2.3: 16 ≤ age < 60, labour capacity full or partial, no disability grade 1–2),
  is not seriously ill, is not in school (``school`` is null), and has no work income of their own (§3.5:
  ``wage``, ``business``, ``casual``) in the income window (§1.3).
- §E.2 Each qualifying member is referred to a public-welfare post (公益性岗位): in kind, recorded as a
  payment of amount 0 with kind ``referral``.
- §E.3 Each qualifying member gets a one-off job-seeking subsidy (求职补贴),
  ``employment.job_seeking_subsidy``, once per calendar year: not when history has a payment of programme
  ``employment`` and kind ``job_seeking_subsidy`` for that member dated in the calendar year of ``on``.
- §E.4 It comes after tekun, dibao and low_income, whose statuses it reads (§14.3); it pays toward no need.

Decisions where the text needs one:

- Only the *household's* status opens §E.1. A member's own ``dibao`` from single-person inclusion (§6.6) does
  not count by itself: that clause is about the person's illness or disability, not the household's
  employment, and a household that §6.6 applies to holds ``marginal`` in Demo City anyway (its dibao asset
  test passed, and ``assets.marginal_months`` ≥ ``assets.dibao_months``), so its members qualify through it.
- "Work income" is what the income accounting counts as such (§3.5): the member's own ``wage``,
  ``business`` and ``casual`` records inside the window, after the exclusions of §3.2, with casual days
  imputed (§3.3). A household-level record (no member) belongs to nobody and bars nobody.
- Employment assistance is for members "able to work and unemployed" (社会救助暂行办法 §42). §2.3 calls some
  people able to work whom a job referral does not fit: a seriously ill member (``serious_illness``; the
  statute provides for them through the uplift, single-person inclusion and medical assistance) and a student
  (``school`` given, e.g. a 16-year-old in senior high). Neither qualifies.
- History records the subsidy as ``{"programme": "employment", "kind": "job_seeking_subsidy", …}``; the
  programme declares these kinds (``payment_kinds``, with ``referral``), which opens household-format.md's
  history vocabulary to them wherever the plugin is installed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from assistkit.api import ZERO, Context, Person, Programme, Rule

from .parameters import JOB_SEEKING_SUBSIDY

__all__ = [
    "HOUSEHOLD_STATUSES",
    "RULES",
    "EmploymentProgramme",
    "household_status",
    "member_test",
    "subsidy_paid_on",
]

HOUSEHOLD_STATUSES: tuple[str, ...] = ("dibao", "marginal")
"""The household statuses that open employment assistance (§E.1), in the order they are reported."""

_NONE = "—"

_RULES = (
    Rule("employment.no_status", "§E.1",
         "家庭不享有低保或低保边缘身份：不适用就业救助",
         "the household holds neither dibao nor marginal: no employment assistance"),
    Rule("employment.household", "§E.1",
         "家庭享有 {status} 身份：审核有劳动能力的成员",
         "the household holds {status}: its members who are able to work are considered"),
    Rule("employment.age", "§2.3",
         "成员 {member}（{age} 岁）不在 16–59 岁劳动年龄内",
         "member {member} (age {age}) is outside working age 16–59"),
    Rule("employment.not_able", "§2.3",
         "成员 {member} 无劳动能力（劳动能力 {capacity}，残疾等级 {grade}）",
         "member {member} is not able to work (labour capacity {capacity}, disability grade {grade})"),
    Rule("employment.seriously_ill", "§E.1",
         "成员 {member} 患重病：不适用就业救助（由医疗救助等保障）",
         "member {member} is seriously ill: no employment assistance (medical assistance provides)"),
    Rule("employment.student", "§E.1",
         "成员 {member} 在读（{stage}）：不属于失业人员",
         "member {member} is in school ({stage}): not unemployed"),
    Rule("employment.work_income", "§E.1",
         "成员 {member} 在 {first} 至 {last} 有工作收入，月均 {income} 元：不属于失业人员",
         "member {member} has work income of {income} yuan a month in {first} – {last}: not unemployed"),
    Rule("employment.referral", "§E.2",
         "成员 {member}（{age} 岁）有劳动能力且无工作收入：推荐公益性岗位",
         "member {member} (age {age}) is able to work and has no work income: referred to a "
         "public-welfare post"),
    Rule("employment.subsidy", "§E.3",
         "成员 {member} 发放 {year} 年度一次性求职补贴 {amount} 元",
         "member {member}: one-off job-seeking subsidy for {year} of {amount} yuan"),
    Rule("employment.subsidy_paid", "§E.3",
         "成员 {member} 已于 {date} 领取 {year} 年度求职补贴：本年度不再发放",
         "member {member} already received the job-seeking subsidy for {year} on {date}: not paid again"),
)

RULES: Mapping[str, Rule] = {r.id: r for r in _RULES}
"""Every rule id the programme emits."""


def household_status(ctx: Context) -> str | None:
    """§E.1: the household status opening employment assistance (``dibao``, else ``marginal``), or ``None``.

    Household statuses only: a person's own dibao from single-person inclusion (§6.6) does not count alone.
    """
    held = ctx.statuses.household
    for status in HOUSEHOLD_STATUSES:
        if status in held:
            return status
    return None


def member_test(
    ctx: Context, person: Person, work_income: Mapping[str, Decimal]
) -> tuple[str, dict[str, Any]]:
    """§E.1 for one member: the rule id of the first condition that fails, or ``employment.referral``.

    ``work_income`` is the monthly work income (§3.5) of each member who has any in the window.
    """
    pid = person.id
    age = ctx.age(person)
    if not 16 <= age < 60:
        return "employment.age", {"member": pid, "age": age}
    if not ctx.able_to_work(person):
        grade = person.disability_grade
        return "employment.not_able", {
            "member": pid,
            "capacity": person.labour_capacity.value,
            "grade": _NONE if grade is None else grade,
        }
    if person.serious_illness:
        return "employment.seriously_ill", {"member": pid}
    if person.school is not None:
        return "employment.student", {"member": pid, "stage": person.school.stage.value}
    income = work_income.get(pid, ZERO)
    if income > 0:
        return "employment.work_income", {"member": pid, "income": income}
    return "employment.referral", {"member": pid, "age": age}


def subsidy_paid_on(ctx: Context, member: str) -> dt.date | None:
    """§E.3: the date of a job-seeking subsidy paid to ``member`` in the calendar year of ``on`` (history)."""
    year = ctx.on.year
    for past in ctx.household.history:
        if (
            past.member == member
            and past.programme == "employment"
            and past.kind == "job_seeking_subsidy"
            and past.date.year == year
        ):
            return past.date
    return None


class EmploymentProgramme(Programme):
    """Employment assistance (就业救助, §E): public-welfare post referral and a yearly job-seeking subsidy.

    Reads only the household and the statuses granted before it; grants no status and pays toward no need.
    """

    name = "employment"
    title_zh = "就业救助"
    title_en = "Employment assistance"
    after = ("tekun", "dibao", "low_income")
    parameters = (JOB_SEEKING_SUBSIDY,)
    payment_kinds = ("job_seeking_subsidy", "referral")  # history may name them (the core's format lacks them)
    # What it reads of a household (`assistkit plugins --reads`): age, ability to work, illness and school of
    # each member (§E.1), the work income of the dibao unit (§3.5: the income accounting reads the income
    # records, the supporting relatives' payments and the expenses it deducts), and the subsidy already paid
    # (§E.3).
    reads = ("members.birth_date", "members.labour_capacity", "members.disability_grade",
             "members.serious_illness", "members.school", "incomes", "obligors", "expenses", "history")
    rules = RULES

    def assess(self, ctx: Context) -> None:
        status = household_status(ctx)
        if status is None:
            ctx.reason("employment.no_status")
            return
        ctx.reason("employment.household", {"status": status})
        household = ctx.household
        # The dibao unit (§2.4): an able member is never tekun, so every candidate is in it; the same set as
        # the dibao programme's, so the income accounting is already cached.
        held = ctx.statuses.members
        unit = [p.id for p in household.members if "tekun" not in held.get(p.id, ())]
        account = ctx.income(unit)
        first, last = account.window
        subsidy: Decimal = ctx.params[JOB_SEEKING_SUBSIDY]  # type: ignore[assignment]  # declared "money"
        for person in household.members:
            rule, values = member_test(ctx, person, account.work_income)
            if rule == "employment.work_income":
                values.update(first=str(first), last=str(last))
            ctx.reason(rule, values)
            if rule != "employment.referral":
                continue
            pid = person.id
            ctx.pay("referral", ZERO, member=pid, rule="employment.referral")
            paid_on = subsidy_paid_on(ctx, pid)
            if paid_on is not None:
                ctx.reason("employment.subsidy_paid", {"member": pid, "year": ctx.on.year, "date": paid_on})
            elif subsidy > 0:
                ctx.pay("job_seeking_subsidy", subsidy, member=pid, rule="employment.subsidy")
                ctx.reason("employment.subsidy", {"member": pid, "year": ctx.on.year, "amount": subsidy},
                           params=(JOB_SEEKING_SUBSIDY,))
