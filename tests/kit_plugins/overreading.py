"""A toy plugin whose programme reads more of a household than it declares (data minimisation).

``toy_visit`` declares that it reads the members' birth dates, but it also reads whether the household's hukou
is local. The conformance suite's ``test_reads_only_what_it_declares`` must catch it.
"""

from __future__ import annotations

from assistkit import hookimpl
from assistkit.programme import Context, Programme, Rule

__all__ = ["ToyVisit", "assistkit_register_programmes"]


class ToyVisit(Programme):
    name = "toy_visit"
    title_zh, title_en = "玩具探访", "Toy visit"
    reads = ("members.birth_date",)
    rules = {
        "toy_visit.due": Rule("toy_visit.due", "§0", "成员 {member}（{age} 岁）：入户探访",
                              "member {member} (age {age}): home visit"),
        "toy_visit.none": Rule("toy_visit.none", "§0", "无 80 岁以上的本地成员", "no local member aged 80 or more"),
    }

    def assess(self, ctx: Context) -> None:
        for person in ctx.household.members:
            age = ctx.age(person)
            if age >= 80 and ctx.household.hukou_local:
                ctx.in_kind("toy_visit")
                ctx.reason("toy_visit.due", {"member": person.id, "age": age})
                return
        ctx.reason("toy_visit.none")


@hookimpl
def assistkit_register_programmes() -> list[Programme]:
    return [ToyVisit()]
