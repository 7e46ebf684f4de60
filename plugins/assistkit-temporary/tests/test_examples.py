"""The spec's worked examples: programme ``temporary`` (amount, approval, advance) and the ``needs`` equal the
expected output exactly, with the engine of basic living, medical, education, housing and temporary relief."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistkit import io
from assistkit.engine import Engine
from assistkit.testing.examples import Example, compare_expected, load_examples

from .conftest import FULL

ALL = load_examples(Path(__file__).resolve().parents[3] / "tests" / "examples")
KEYS = ("kind", "member", "need", "amount", "approval", "advance")


def test_there_are_examples() -> None:
    assert {"02", "05", "06", "07", "08"} <= {ex.name[:2] for ex in ALL}


@pytest.mark.parametrize("example", ALL, ids=lambda ex: ex.name)
def test_temporary_and_needs_equal_the_expected_json(example: Example, examples_engine: Engine) -> None:
    d = examples_engine.assess(io.structure_household(example.household), example.on)
    assert not d.errors
    out = d.to_json()
    expected = example.expected["programmes"]["temporary"]
    wanted: dict[str, Any] = {"programmes": {"temporary": expected}, "needs": example.expected["needs"]}
    assert compare_expected(wanted, out) == []
    got = out["programmes"]["temporary"]
    # Exactly, in the order paid: every key the output contract fixes for a temporary payment.
    assert [{k: p[k] for k in KEYS} for p in got["payments"]] == [{k: p[k] for k in KEYS}
                                                                  for p in expected["payments"]]
    assert (got["eligible"], got["monthly"], got["one_off"]) == (
        expected["eligible"], expected["monthly"], expected["one_off"])
    assert {n: {k: v[k] for k in ("amount", "paid", "remaining")} for n, v in out["needs"].items()} \
        == example.expected["needs"]
    if got["eligible"]:
        assert got["reasons"], "an eligible programme gives at least one reason"


@pytest.fixture(scope="module")
def examples_engine() -> Engine:
    """The engine of the spec examples: with disaster relief, which pays toward an event's need before
    temporary relief (§D.7, example 09)."""
    return Engine(plugins=[*FULL, pytest.importorskip("assistkit_disaster.hooks")])


def test_every_reason_and_payment_rule_is_declared(full_engine: Engine) -> None:
    from assistkit_temporary.programme import RULES

    for example in ALL:
        out = full_engine.assess(io.structure_household(example.household), example.on).to_json()
        for reason in out["programmes"]["temporary"]["reasons"]:
            assert reason["rule"] in RULES or reason["rule"].startswith("linkage.")
            assert "{" not in reason["text"], reason["text"]
