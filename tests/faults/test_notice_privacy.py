"""Issue 30, defect 12: the public notice shows no whole name, no number typed into ``community``, and no
error message quotes a birth date or an id number."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from assistkit.errors import Problem
from assistkit.population.notice import community_shown, mask_name

from .conftest import ON, Cli


# Names without "*": a name whose every character after the first is already "*" shows as itself, hiding nothing.
@given(st.text(st.characters(blacklist_characters="*"), max_size=12))
def test_every_name_shows_at_least_one_star_and_never_the_whole_name(name: str) -> None:
    shown = mask_name(name)
    assert "*" in shown
    assert shown != name
    assert len(shown) == max(len(name), 1)


@given(st.text(max_size=30))
def test_without_a_list_no_digit_of_any_script_is_printed(community: str) -> None:
    assert not any(c.isdigit() for c in community_shown(community))


def test_a_declared_community_is_printed_as_written_any_other_as_other() -> None:
    declared = {"幸福社区", "第3村"}
    assert community_shown("第3村", declared) == "第3村"
    assert community_shown("幸福路12号 13912345678", declared) == "其他"
    assert community_shown("幸福路12号 13912345678", declared, "en") == "other"
    assert community_shown("幸福路12号 １３９") == "幸福路**号 ***"


def test_no_problem_on_a_birth_date_or_id_number_quotes_it() -> None:
    for path, reason in [("members[1].birth_date", "no such date: '1980-02-30'"),
                         ("members[0].birth_date", "must not be after the assessment date 2025-07-01; got 2025-07-02"),
                         ("members[0].id_number", "encodes the birth date 1980-01-01, but birth_date is 1980-01-02"),
                         ("members[0].id_number", "characters 1–17 must be digits (GB 11643); got '1101011980010X'"),
                         ("members[0].id_number", "must be 18 characters (GB 11643); got 17: '11010119800101001'")]:
        shown = Problem(path, reason).reason
        for secret in ("1980-02-30", "2025-07-02", "1980-01-01", "1980-01-02", "11010119800101"):
            assert secret not in shown
    assert "2025-07-01" in Problem("members[0].birth_date", "after the assessment date 2025-07-01").reason


def test_the_notice_command_keeps_names_communities_and_birth_dates_private(cli: Cli, pop: Path) -> None:
    lines = pop.read_text(encoding="utf-8").splitlines()
    people = [json.loads(line) for line in lines]
    for h in people:
        h["community"] = "幸福路12号 13912345678"
        for m in h["members"]:
            m["name"] = m["name"][:1]
    people[5]["members"][0]["birth_date"] = "1961-02-30"
    pop.write_text("".join(json.dumps(h, ensure_ascii=False) + "\n" for h in people), encoding="utf-8")
    out = pop.parent / "notice.csv"
    result = cli("notice", pop, "--on", ON, "-o", out)
    assert result.returncode == 1, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "13912345678" not in text and "12号" not in text and "幸福路**号 ***********" in text
    heads = {h["members"][0]["name"] for h in people}
    assert not any(f",{name}," in text for name in heads)
    assert "1961-02-30" not in result.stderr and "members[0].birth_date" in result.stderr
    declared = pop.parent / "communities.txt"
    declared.write_text("幸福社区\n", encoding="utf-8")
    result = cli("notice", pop, "--on", ON, "-o", out, "--communities", declared)
    assert "其他," in out.read_text(encoding="utf-8")
