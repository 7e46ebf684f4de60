"""Language: every code in rendered text goes through the vocabulary (glossary.md).

The Chinese text (the explanation and every reason's text, of every example and of a generated population)
holds no ASCII word but the ids the user gave (household, members, expenses, events, funds), the policy's
files and locality, and § references; the English text holds no snake_case word.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistkit import io
from assistkit.determination import Determination
from assistkit.dev.demo import demo_lines
from assistkit.engine import Engine
from assistkit.household import Household
from assistkit.population.notice import notice_row, render_csv

EXAMPLES = sorted((Path(__file__).parent / "examples").glob("*.json"))
ON = dt.date(2025, 7, 15)

_SECTION = re.compile(r"§[A-Z]?\.?[0-9][0-9.]*")
_FILE = re.compile(r"[^\s（(，,]*\.toml")
_NUMBER = re.compile(r"-?[0-9][0-9.:-]*")
_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")
_SNAKE = re.compile(r"\b[A-Za-z]+_[A-Za-z0-9_]+\b")
_GRADE = re.compile(r"\b[CD] 级")


def user_ids(household: Household) -> set[str]:
    """The ids and names a household's record gives, which a text may show as they are."""
    ids = {household.id, household.locality, household.community}
    for p in household.members:
        ids.update((p.id, p.name))
    ids.update(e.id for e in household.expenses)
    ids.update(e.id for e in household.events)
    ids.update(p.need for p in household.history if p.need)
    ids.update(i.kind for i in household.incomes if i.kind)  # an income's own kind is the user's word
    return {i for i in ids if i}


def _without(text: str, ids: set[str]) -> str:
    text = _FILE.sub(" ", text)
    for i in sorted(ids, key=len, reverse=True):
        text = text.replace(i, " ")
    text = _SECTION.sub(" ", text)
    return _GRADE.sub(" ", text)


def problems(text: str, lang: str, ids: set[str]) -> list[str]:
    """The codes left in ``text``: ASCII words in Chinese, snake_case words in English."""
    rest = _without(text, ids)
    if lang == "zh":
        return sorted({w for w in _ASCII_WORD.findall(rest) if not _NUMBER.fullmatch(w)})
    return sorted(set(_SNAKE.findall(rest)))


def texts(d: Determination, lang: str) -> Iterator[tuple[str, str]]:
    """(where, text) for the explanation and every reason text of the JSON."""
    yield "explain", d.explain(lang)
    out = d.to_json(lang)
    for name, entry in out["programmes"].items():
        for reason in entry["reasons"]:
            yield f"programmes.{name}.reasons[{reason['rule']}]", reason["text"]


def check(engine: Engine, household: Household, on: dt.date, lang: str, funds=None) -> list[str]:
    d = engine.assess(household, on, funds=funds)
    ids = user_ids(household) | {d.policy} | ({f.id for f in funds} if funds else set())
    found = []
    for where, text in texts(d, lang):
        for word in problems(text, lang, ids):
            line = next((ln for ln in text.splitlines() if word in _without(ln, ids)), text)
            found.append(f"{household.id} {where}: {word!r} in {line.strip()!r}")
    return found


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_speaks_words_not_codes(engine: Engine, path: Path, lang: str) -> None:
    example = json.loads(path.read_text(encoding="utf-8"))
    household = io.structure_household(example["household"])
    found = check(engine, household, dt.date.fromisoformat(example["on"]), lang)
    assert not found, "\n".join(found[:40])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_generated_population_speaks_words_not_codes(engine: Engine, lang: str) -> None:
    found: list[str] = []
    for on in (ON, dt.date(2026, 1, 15)):
        for line in demo_lines(400, seed=26, on=on):
            found += check(engine, io.household_from_json(line), on, lang)
    counts: dict[str, int] = {}
    for f in found:
        word = f.split("'")[1]
        counts[word] = counts.get(word, 0) + 1
    assert not found, f"{len(found)} codes: {counts}\n" + "\n".join(found[:30])


def test_the_notice_names_statuses_from_the_same_vocabulary(engine: Engine) -> None:
    rows = []
    for line in demo_lines(200, seed=3, on=ON):
        household = io.household_from_json(line)
        row = notice_row(household, engine.assess(household, ON))
        if row is not None:
            rows.append(row)
    zh = render_csv(rows, lang="zh")
    assert "低保" in zh and not problems(zh, "zh", {r.community for r in rows} | {"csv"})
    assert not problems(render_csv(rows, lang="en"), "en", set())
