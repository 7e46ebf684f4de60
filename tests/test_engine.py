"""Engine, plugin loading and linkage with toy plugins (tests/plugins/toys.py)."""

from __future__ import annotations

import datetime as dt
import pickle
import textwrap
from decimal import Decimal

import attrs
import pytest

from assistkit import linkage
from assistkit.determination import Determination, NeedState
from assistkit.dev.demo import demo_lines
from assistkit.engine import Engine, load_plugins, order_programmes
from assistkit.errors import LinkageError
from assistkit.household import Expense, ExpenseKind, Household, Person, Relationship, Residence
from assistkit.io import household_from_json
from assistkit.money import ZERO

from .plugins import toys

ON = dt.date(2025, 7, 15)


def household(**kw):
    base = dict(
        id="H-T",
        residence=Residence.URBAN,
        members=(Person("P1", "张三", dt.date(1980, 1, 1), Relationship.HEAD),),
        expenses=(Expense("E1", "P1", ExpenseKind.INPATIENT, dt.date(2025, 5, 1), Decimal("100.00")),),
    )
    base.update(kw)
    return Household(**base)


def test_order_follows_declarations_not_registration():
    engine = Engine(plugins=[toys.plugin(toys.Delta(), toys.Beta(), toys.Gamma(), toys.Alpha())])
    assert [p.name for p in engine.programmes] == ["alpha", "gamma", "beta", "delta"]


def test_ties_broken_by_name():
    ordered = order_programmes([toys.Delta(), toys.Alpha()])
    assert [p.name for p in ordered] == ["alpha", "delta"]


def test_cycle_is_an_error_at_construction_naming_the_programmes():
    with pytest.raises(LinkageError, match="cycle") as info:
        Engine(plugins=[toys.plugin(toys.CycleA(), toys.CycleB())])
    assert set(info.value.programmes) == {"cycle_a", "cycle_b"}
    assert "cycle_a" in str(info.value) and "cycle_b" in str(info.value)


def test_unknown_dependency_is_an_error():
    with pytest.raises(LinkageError, match="no_such_programme"):
        Engine(plugins=[toys.plugin(toys.Unknown())])


def test_overpayment_is_clamped_and_reported():
    engine = Engine(plugins=[toys.plugin(toys.Overpayer(), toys.Second())])
    d = engine.assess(household(), ON)
    out = d.to_json()
    assert out["needs"]["E1"] == {"amount": "100.00", "paid": "100.00", "remaining": "0.00", "kind": "medical",
                                  "date": "2025-05-01"}
    over = out["programmes"]["overpayer"]
    assert [p["amount"] for p in over["payments"]] == ["100.00"]
    clamped = [r for r in over["reasons"] if r["rule"] == "linkage.clamped"]
    assert clamped and clamped[0]["values"]["requested"] == "200.00" and clamped[0]["values"]["paid"] == "100.00"
    # The second programme found nothing left: no payment recorded, the clamp is reported.
    assert out["programmes"]["second"]["payments"] == []
    assert out["programmes"]["second"]["eligible"] is False
    assert [r["rule"] for r in out["programmes"]["second"]["reasons"]] == ["linkage.clamped"]


def test_raising_programme_is_isolated_and_its_dependents_report_errors():
    engine = Engine(plugins=[toys.plugin(toys.Raiser(), toys.AfterRaiser(), toys.Alpha())])
    d = engine.assess(household(), ON)
    out = d.to_json()
    assert out["programmes"]["alpha"]["eligible"] is True
    assert out["programmes"]["raiser"]["error"]["message"].startswith("programme 'raiser'")
    assert "ZeroDivisionError" in out["programmes"]["raiser"]["error"]["message"]
    assert "raiser" in out["programmes"]["after_raiser"]["error"]["message"]
    # Its partial payment and its status were rolled back.
    assert out["needs"]["E1"]["paid"] == "0.00"
    assert out["statuses"]["household"] == []
    assert {e["programme"] for e in out["errors"]} == {"raiser", "after_raiser"}


def test_mutual_exclusion_is_enforced():
    d = Engine(plugins=[toys.plugin(toys.Granter())]).assess(household(), ON)
    err = d.programme("granter").error
    assert err is not None and "§14.4" in err.message
    assert d.member_statuses == {}


def test_listener_hook_is_notified():
    listener = toys.Listener()
    engine = Engine(plugins=[toys.plugin(toys.Alpha()), listener])
    engine.assess(household(), ON)
    engine.assess(household(id="H-U"), ON)
    assert listener.seen == ["H-T", "H-U"]


def test_plugin_failing_to_import_is_reported_and_others_load(tmp_path, monkeypatch):
    dist = tmp_path / "assistkit_toy_broken-9.9.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: assistkit-toy-broken\nVersion: 9.9\n")
    (dist / "entry_points.txt").write_text(
        textwrap.dedent(
            """\
            [assistkit]
            toy_broken = tests.plugins.broken_import
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    loaded = load_plugins()
    failure = next(f for f in loaded.failures if f.name == "toy_broken")
    assert failure.distribution == "assistkit-toy-broken" and failure.version == "9.9"
    assert "cannot be imported" in failure.cause
    assert "toy_broken" in str(failure) and "9.9" in str(failure)
    assert all(info.name != "toy_broken" for info in loaded.loaded)


def test_plugin_returning_garbage_is_reported():
    class Bad:
        from assistkit import hookimpl

        @hookimpl
        def assistkit_register_programmes(self):
            return ["not a programme"]

    loaded = load_plugins([Bad(), toys.plugin(toys.Alpha())])
    assert len(loaded.failures) == 1 and "Programme" in loaded.failures[0].cause
    assert [p.name for p, _ in loaded.programmes] == ["alpha"]


def test_parameters_resolved_once_per_policy_and_date():
    engine = Engine(plugins=[toys.plugin(toys.Alpha())])
    before = engine.policy.resolutions
    for i in range(5):
        engine.assess(household(id=f"H-{i}"), ON)
    assert engine.policy.resolutions - before == 1
    engine.assess(household(), dt.date(2025, 7, 16))
    assert engine.policy.resolutions - before == 2


def test_assess_many_streams_in_order_and_rejects_bad_records():
    engine = Engine(plugins=[toys.plugin(toys.Alpha())])
    good = {"id": "H-1", "residence": "urban",
            "members": [{"id": "P1", "name": "甲", "birth_date": "1980-01-01", "relationship": "head"}]}
    bad = {"id": "H-2", "residence": "city", "members": []}
    out = list(engine.assess_many([good, bad, household(id="H-3")], ON))
    assert [getattr(o, "household", None) for o in out] == ["H-1", "H-2", "H-3"]
    assert type(out[1]).__name__ == "Rejected"
    assert {p.path for p in out[1].problems} >= {"residence", "members"}




def test_determinations_are_the_objects_the_public_constructors_make():
    # The engine fills Determination and NeedState in on drafts (assistkit._fastinit), not through attrs' __init__: the
    # result must be indistinguishable from the constructor's.
    engine = Engine()
    made = [engine.assess(household_from_json(line), ON) for line in demo_lines(60, seed=3)]
    assert any(d.needs for d in made)
    for d in made:
        assert type(d) is Determination
        fields = {f.name: getattr(d, f.name) for f in attrs.fields(Determination)}
        assert Determination(**fields) == d == attrs.evolve(d) == pickle.loads(pickle.dumps(d))
        assert repr(Determination(**fields)) == repr(d)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            d.household = "x"  # type: ignore[misc]
        for n in d.needs:
            assert type(n) is NeedState
            assert NeedState(**{f.name: getattr(n, f.name) for f in attrs.fields(NeedState)}) == n
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                n.paid = Decimal("1")  # type: ignore[misc]


def test_what_households_share_stays_unchanged():
    # The empty needs ledger of households without expenses and events, a bare reason and the §3.6 reason of a
    # set without rigid expenses are shared between determinations: none of them can be changed through one.
    engine = Engine()
    made = [engine.assess(household_from_json(line), ON) for line in demo_lines(60, seed=4)]
    assert linkage._EMPTY_LEDGER.entries == [] and not linkage._EMPTY_LEDGER.needs
    with pytest.raises(KeyError):
        linkage._EMPTY_LEDGER.pay("medical", "E1", Decimal("1.00"))
    assert linkage._EMPTY_LEDGER.entries == []
    reasons = [r for d in made for p in d.programmes for r in p.reasons]
    reasons += [r for d in made if d.income is not None for r in d.income.reasons]
    rigid = ("income.rigid_deduction", "income.rigid_off")
    shared = [r for r in reasons if (r.rule in rigid and r.values["total"] is ZERO) or not r.values]
    assert shared
    for reason in shared:
        with pytest.raises(TypeError):
            reason.values["x"] = 1  # type: ignore[index]
