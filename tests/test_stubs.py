"""The status stub of the testing kit: the statuses a test names, and nothing else, before other plugins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assistkit import io
from assistkit.engine import Engine
from assistkit.programme import Context, Programme, Rule
from assistkit.testing.stubs import StatusStub, assess_with_statuses, status_stub

HOUSEHOLD = {
    "id": "H-S", "residence": "urban",
    "members": [{"id": "P1", "name": "测试", "birth_date": "1980-01-01", "relationship": "head"},
                {"id": "P2", "name": "测试", "birth_date": "1950-01-01", "relationship": "parent"}],
}


class Payer(Programme):
    name = "payer"
    after = ("tekun", "dibao", "low_income")
    rules = {"payer.paid": Rule("payer.paid", "§0", "测试", "test")}

    def assess(self, ctx: Context) -> None:
        if ctx.statuses.holds("dibao"):
            ctx.pay("grant", Decimal(10), rule="payer.paid")


class Broken(Programme):
    name = "broken"

    def assess(self, ctx: Context) -> None:
        raise RuntimeError("broken on purpose")


def test_grants_exactly_the_named_statuses() -> None:
    d, out = assess_with_statuses(HOUSEHOLD, "2025-07-15", {"household": ["dibao"], "P2": ["tekun"]})
    assert {p.name for p in d.programmes} == {"tekun", "dibao", "low_income"}
    assert out["statuses"]["household"] == ["dibao"]
    assert out["statuses"]["members"]["P2"] == ["tekun"]
    assert "P1" not in out["statuses"]["members"]
    assert all(not p.payments and p.monthly == 0 for p in d.programmes)


def test_no_statuses_and_a_date_object() -> None:
    _, out = assess_with_statuses(HOUSEHOLD, dt.date(2025, 7, 15))
    assert out["statuses"]["household"] == []


def test_later_programmes_see_the_stubbed_statuses() -> None:
    _, out = assess_with_statuses(HOUSEHOLD, "2025-07-15", {"household": ["dibao"]}, extra=[Payer()])
    assert out["programmes"]["payer"]["one_off"] == "10.00"
    _, out = assess_with_statuses(HOUSEHOLD, "2025-07-15", {}, extra=[Payer()])
    assert out["programmes"]["payer"]["eligible"] is False


def test_is_a_plugin_object_for_the_engine() -> None:
    stub = status_stub({"household": ["marginal"]})
    assert isinstance(stub, StatusStub)
    d = Engine(plugins=[stub]).assess(io.structure_household(HOUSEHOLD), dt.date(2025, 7, 15))
    assert d.to_json()["statuses"]["household"] == ["marginal"]


def test_programme_errors_fail_the_assessment() -> None:
    with pytest.raises(AssertionError):
        assess_with_statuses(HOUSEHOLD, "2025-07-15", extra=[Broken()])
