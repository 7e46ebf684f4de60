"""The format's open lists and the extension block (issue 24): :mod:`assistkit.declared`, and the tools that use
the engine's declarations (validate, schema, plugins --reads, the summaries' status order)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from assistkit.cli import main
from assistkit.declared import CORE, Declared, Fact, status_order
from assistkit.engine import Engine
from assistkit.errors import InvalidHousehold
from assistkit.io import structure_household, unstructure_household
from assistkit.linkage import StatusDeclaration
from assistkit.population._batch import BatchSummary
from assistkit.testing.strategies import households

ON = dt.date(2025, 7, 15)

HOUSEHOLD = {
    "id": "H-1", "residence": "urban",
    "members": [{"id": "P1", "name": "张三", "birth_date": "1980-01-01", "relationship": "head"}],
    "history": [{"programme": "employment", "kind": "job_seeking_subsidy", "date": "2025-03-01", "amount": "500"}],
}


class _Heating:
    name = "heating"
    recurring = True
    payment_kinds = ("heating_allowance",)
    grants = ()
    statuses = (StatusDeclaration("heating_recipient", "取暖救助对象", "heating recipient", rank=20),)
    facts = (Fact("heated_area", "decimal", unit="m²", required=True),
             Fact("since", "date", default="2024-11-01"),
             Fact("paid", "money"),
             Fact("rooms", "count", on="person", default=1))


def test_the_core_lists_are_household_formats() -> None:
    assert "employment" not in CORE.payment_programmes  # the employment plugin declares its own words now
    assert "job_seeking_subsidy" not in CORE.payment_kinds
    assert CORE.statuses == ("tekun", "dibao", "marginal", "expenditure_hardship")
    with pytest.raises(InvalidHousehold) as caught:
        CORE.check(structure_household(HOUSEHOLD))
    assert [p.path for p in caught.value.problems] == ["history[0].programme", "history[0].kind"]
    assert caught.value.problems[0].reason.endswith("; got 'employment'")


def test_a_programmes_declarations_open_the_lists() -> None:
    declared = Declared([_Heating()])
    assert declared.payment_programmes[-1] == "heating" and declared.enrolment_programmes[-1] == "heating"
    assert declared.payment_kinds[-1] == "heating_allowance" and declared.statuses[-1] == "heating_recipient"
    h = structure_household({**HOUSEHOLD, "history": [], "ext": {"heating": {"heated_area": "40.5"}},
                             "members": [{**HOUSEHOLD["members"][0], "ext": {"heating": {}}}]})  # type: ignore[dict-item]
    typed = declared.check(h)
    assert typed.ext["heating"] == {"heated_area": Decimal("40.5"), "since": dt.date(2024, 11, 1), "paid": None}
    assert typed.members[0].ext["heating"] == {"rooms": 1}
    assert unstructure_household(h)["ext"] == {"heating": {"heated_area": "40.5"}}  # written as given


def test_the_reader_checks_only_the_shape() -> None:
    for bad, reason in ((5, "expected one of dibao, tekun,"), ("", "expected a word of 1 to 64 printable"),
                        ("a\nb", "expected a word of 1 to 64 printable")):
        with pytest.raises(InvalidHousehold) as caught:
            structure_household({**HOUSEHOLD, "history": [{**HOUSEHOLD["history"][0], "programme": bad}]})  # type: ignore[dict-item]
        assert caught.value.problems[0].path == "history[0].programme"
        assert caught.value.problems[0].reason.startswith(reason)
    with pytest.raises(InvalidHousehold) as caught:
        structure_household({**HOUSEHOLD, "ext": {"heating": 5}})
    assert [(p.path, p.reason) for p in caught.value.problems] == [
        ("ext.heating", "expected an object of facts; got 5")]


@pytest.mark.parametrize(("fact", "message"), [
    (lambda: Fact("x", "colour"), "type 'colour' is not one of"),
    (lambda: Fact("x", "choice"), "choices are given for, and only for, type 'choice'"),
    (lambda: Fact("x", "count", on="street"), "on must be 'household' or 'person'"),
    (lambda: Fact("x", "money", default="1.234"), "default: at most 2 decimal places"),
    (lambda: Fact("x", "money", required=True, default="1"), "a required fact has no default"),
])
def test_a_bad_declaration_is_refused(fact: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fact()  # type: ignore[operator]


@settings(max_examples=40, deadline=None)
@given(households())
def test_a_household_of_the_core_format_passes_unchanged(household: object) -> None:
    """Nothing is built for a household without extension block: the check returns the very household."""
    engine = _engine()
    assert engine.declared.check(household) is household  # type: ignore[arg-type]


_ENGINE: list[Engine] = []


def _engine() -> Engine:
    if not _ENGINE:
        _ENGINE.append(Engine())
    return _ENGINE[0]


def test_validate_uses_the_installed_plugins_declarations(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    path.write_text(json.dumps(HOUSEHOLD, ensure_ascii=False), encoding="utf-8")
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0  # employment is installed
    core = CliRunner().invoke(main, ["validate", str(path), "--core-only"])
    assert core.exit_code == 1
    assert "household H-1: history[0].kind: expected one of premium_subsidy" in core.output


def test_plugins_lists_what_each_programme_reads() -> None:
    result = CliRunner().invoke(main, ["plugins", "--reads"])
    assert result.exit_code == 0, result.output
    assert "facts each programme reads (data minimisation):" in result.output
    assert "    adds: payment kind job_seeking_subsidy, payment kind referral" in result.output
    assert "facts each programme reads" not in CliRunner().invoke(main, ["plugins"]).output


def test_summaries_list_statuses_core_first_then_the_engines() -> None:
    assert list(status_order(["dibao", "heating_recipient"])) == [
        "tekun", "dibao", "marginal", "expenditure_hardship", "heating_recipient"]
    summary = BatchSummary(order=("tekun", "dibao", "heating_recipient"))
    summary.statuses.update({"heating_recipient": 1, "zz": 1, "dibao": 2, "marginal": 1})
    assert list(summary.to_json()["statuses"]) == ["dibao", "marginal", "heating_recipient", "zz"]
    merged = BatchSummary()
    merged.merge(summary)
    assert merged.order == summary.order
