"""Donation matching (§13): worked cases, the population pass over determination JSON, properties over
generated populations and funds, and the pass backed by the fund ledger (re-run and crash recovery)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit import io
from assistkit.donations import OpenNeed, allocate, funds_valid_on
from assistkit.engine import Engine
from assistkit.household import Fund, NeedKind, Status
from assistkit.population.donations import MatchingError, match
from assistkit.population.ledger import SqliteLedger
from assistkit.programme import Context, Programme

ON = dt.date(2025, 7, 15)
D = Decimal


def fund(id: str, balance: str, kinds: Iterable[str] = ("medical", "tuition", "emergency"), *,
         cap: str = "100000", statuses: Iterable[str] = (), valid_from: str = "2025-01-01",
         valid_to: str = "2025-12-31") -> Fund:
    return io.structure_funds([{
        "id": id, "name": f"基金 {id}", "balance": balance, "need_kinds": list(kinds),
        "statuses": list(statuses), "per_household_cap": cap, "valid_from": valid_from,
        "valid_to": valid_to}])[0]


def need(kind: str, date: str, remaining: str, amount: str | None = None) -> dict[str, str]:
    amount = amount or remaining
    paid = D(amount) - D(remaining)
    return {"amount": amount, "paid": f"{paid:.2f}", "remaining": remaining, "kind": kind, "date": date}


def determination(household: str, needs: dict[str, dict[str, str]], household_statuses: Iterable[str] = (),
                  members: dict[str, list[str]] | None = None, one_off: str = "0.00") -> dict[str, Any]:
    """A first-pass determination as JSON (only the keys the second pass reads or updates)."""
    return {
        "household": household, "on": ON.isoformat(), "policy": "demo-city",
        "statuses": {"household": sorted(household_statuses), "members": members or {}},
        "programmes": {"donations": {"eligible": False, "monthly": "0.00", "one_off": "0.00", "payments": [],
                                     "reasons": []}},
        "needs": needs,
        "totals": {"monthly": "0.00", "one_off": one_off},
    }


def allocations(d: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(p["fund"], p["need"], p["amount"]) for p in d["programmes"]["donations"]["payments"]]


# -- worked cases
# ----------------------------------------------------------------------------------------------


def test_two_funds_of_different_expiry_the_earlier_expiring_gives_first():
    # "A-late" sorts first by id, but "Z-soon" expires first (§13.2: by valid_to, then id).
    funds = [fund("A-late", "5000", valid_to="2025-12-31"), fund("Z-soon", "1000", valid_to="2025-08-31")]
    out = list(match([determination("H-1", {"E1": need("medical", "2025-05-01", "1500.00")})], funds, ON))
    assert allocations(out[0]) == [("Z-soon", "E1", "1000.00"), ("A-late", "E1", "500.00")]
    assert out[0]["needs"]["E1"] == {"amount": "1500.00", "paid": "1500.00", "remaining": "0.00",
                                     "kind": "medical", "date": "2025-05-01"}


def test_funds_not_valid_on_the_date_give_nothing():
    funds = [fund("F-expired", "5000", valid_from="2024-01-01", valid_to="2025-07-14"),
             fund("F-future", "5000", valid_from="2025-07-16"),
             fund("F-today", "100", valid_from="2025-07-15", valid_to="2025-07-15")]
    assert [f.id for f in funds_valid_on(funds, ON)] == ["F-today"]
    matching = match([determination("H-1", {"E1": need("medical", "2025-05-01", "1500.00")})], funds, ON)
    assert allocations(next(matching)) == [("F-today", "E1", "100.00")]
    assert [(t.fund, t.valid, t.allocated) for t in matching.summary.funds] == [
        ("F-expired", False, D("0.00")), ("F-future", False, D("0.00")), ("F-today", True, D("100.00"))]


def test_status_restricted_fund_serves_a_household_when_it_or_a_member_holds_a_status():
    funds = [fund("F-dibao", "10000", statuses=["dibao", "tekun"], valid_to="2025-08-31"),
             fund("F-any", "10000")]
    population = [
        determination("H-none", {"E1": need("medical", "2025-05-01", "700.00")}),
        determination("H-member", {"E1": need("medical", "2025-05-01", "700.00")}, members={"P2": ["dibao"]}),
        determination("H-hh", {"E1": need("medical", "2025-05-01", "700.00")}, household_statuses=["tekun"]),
        determination("H-marginal", {"E1": need("medical", "2025-05-01", "700.00")},
                      household_statuses=["marginal"]),
    ]
    out = list(match(population, funds, ON))
    assert [allocations(d) for d in out] == [
        [("F-any", "E1", "700.00")], [("F-dibao", "E1", "700.00")], [("F-dibao", "E1", "700.00")],
        [("F-any", "E1", "700.00")]]


def test_per_household_cap_spans_the_households_needs_and_balances_carry_over():
    funds = [fund("F1", "1500", cap="1000", valid_to="2025-08-31"), fund("F2", "10000", cap="300")]
    population = [
        determination("H-1", {"E1": need("medical", "2025-05-01", "800.00"),
                              "E2": need("medical", "2025-06-01", "800.00")}),
        determination("H-2", {"E1": need("medical", "2025-05-01", "800.00")}),
        determination("H-3", {"E1": need("medical", "2025-05-01", "800.00")}),
    ]
    matching = match(population, funds, ON)
    out = list(matching)
    # H-1: F1 gives 800 to E1 and its cap's last 200 to E2; F2 adds its cap of 300 to E2.
    assert allocations(out[0]) == [("F1", "E1", "800.00"), ("F1", "E2", "200.00"), ("F2", "E2", "300.00")]
    assert out[0]["needs"]["E2"]["remaining"] == "300.00"
    # H-2: F1 has 500 left (carried over), F2 its cap of 300; H-3: F1 is empty.
    assert allocations(out[1]) == [("F1", "E1", "500.00"), ("F2", "E1", "300.00")]
    assert allocations(out[2]) == [("F2", "E1", "300.00")]
    summary = {t.fund: (t.balance_before, t.allocated, t.balance_after, t.households, t.allocations)
               for t in matching.summary.funds}
    assert summary == {"F1": (D("1500"), D("1500.00"), D("0.00"), 2, 3),
                       "F2": (D("10000"), D("900.00"), D("9100.00"), 3, 3)}
    assert (matching.summary.households, matching.summary.determinations) == (3, 3)


def test_needs_are_served_medical_then_tuition_then_emergency_then_date_then_id():
    needs = {
        "F1": need("emergency", "2025-01-01", "100.00"),
        "T1": need("tuition", "2024-09-01", "100.00"),
        "M2": need("medical", "2025-06-01", "100.00"),
        "M1b": need("medical", "2025-02-01", "100.00"),
        "M1a": need("medical", "2025-02-01", "100.00"),
    }
    out = next(match([determination("H-1", needs)], [fund("F", "450")], ON))
    assert allocations(out) == [("F", "M1a", "100.00"), ("F", "M1b", "100.00"), ("F", "M2", "100.00"),
                                ("F", "T1", "100.00"), ("F", "F1", "50.00")]


def test_need_kinds_of_a_fund_and_needs_of_any_age_with_a_remaining_amount():
    funds = [fund("F-tuition", "1000", ["tuition"], valid_to="2025-08-01"),
             fund("F-med", "1000", ["medical"])]
    needs = {"OLD": need("medical", "2019-03-01", "250.00"), "T1": need("tuition", "2025-03-01", "300.00"),
             "F1": need("emergency", "2025-07-01", "999.00"),
             "DONE": need("medical", "2025-01-01", "0.00", "50.00")}
    out = next(match([determination("H-1", needs)], funds, ON))
    assert allocations(out) == [("F-med", "OLD", "250.00"), ("F-tuition", "T1", "300.00")]
    assert out["needs"]["F1"]["remaining"] == "999.00"


def test_the_updated_determination_json():
    d = determination("H-1", {"E1": need("medical", "2025-05-01", "1500.00", amount="4000.00")},
                      one_off="2500.00")
    original = copy.deepcopy(d)
    out = next(match([d], [fund("F1", "1000", cap="800")], ON, lang="en"))
    assert d == original, "the input is not changed"
    entry = out["programmes"]["donations"]
    assert entry["eligible"] is True and entry["one_off"] == "800.00" and entry["monthly"] == "0.00"
    assert entry["payments"] == [{"kind": "allocation", "member": None, "need": "E1", "amount": "800.00",
                                  "approval": None, "advance": None, "fund": "F1"}]
    assert entry["reasons"] == [{
        "rule": "donations.allocation",
        "text": "F1 gives 800.00 yuan toward E1 (medical) = min(need remaining 1500.00, "
                "fund balance 1000.00, household cap left 800.00)",
        "values": {"fund": "F1", "need": "E1", "kind": "medical", "amount": "800.00", "remaining": "1500.00",
                   "balance": "1000.00", "cap_left": "800.00"}}]
    assert out["needs"]["E1"] == {"amount": "4000.00", "paid": "3300.00", "remaining": "700.00",
                                  "kind": "medical", "date": "2025-05-01"}
    assert out["totals"] == {"monthly": "0.00", "one_off": "3300.00"}


def test_json_lines_rejections_and_a_missing_donations_entry():
    d = determination("H-1", {"E1": need("medical", "2025-05-01", "100.00")})
    del d["programmes"]["donations"]
    error = {"household": "H-9", "error": {"path": "members[1].birth_date", "message": "…"}}
    rejected = io.Rejected(3, "H-8", [("id", "bad")])
    lines = [json.dumps(d), "", json.dumps(error)]
    out = list(match([*lines, rejected], [fund("F1", "1000")], ON))
    assert allocations(out[0]) == [("F1", "E1", "100.00")]
    assert out[1:] == [error, rejected]
    # A household with nothing allocated gets an empty donations entry when it had none.
    empty = determination("H-2", {})
    del empty["programmes"]["donations"]
    assert next(match([empty], [fund("F1", "1000")], ON))["programmes"]["donations"]["eligible"] is False


def test_the_second_pass_refuses_what_it_cannot_match():
    no_date = determination("H-1", {"E1": {"amount": "1.00", "paid": "0.00", "remaining": "1.00"}})
    with pytest.raises(MatchingError, match="needs.E1 has no kind or date"):
        list(match([no_date], [fund("F1", "10")], ON))
    first = determination("H-1", {"E1": need("medical", "2025-05-01", "5.00")})
    done = next(match([first], [fund("F1", "10")], ON))
    with pytest.raises(MatchingError, match="already has donation allocations"):
        list(match([done], [fund("F1", "10")], ON))


def test_allocate_is_the_rule_for_one_household():
    funds = funds_valid_on([fund("F1", "100", ["medical"], cap="60")], ON)
    balances = {"F1": D("100")}
    needs = [OpenNeed("E1", NeedKind.MEDICAL, dt.date(2025, 5, 1), D("80.00"))]
    out = allocate(needs, {"dibao"}, funds, balances)
    assert [(a.fund, a.need, a.amount, a.remaining, a.balance, a.cap_left) for a in out] == [
        ("F1", "E1", D("60"), D("80.00"), D("100"), D("60"))]
    assert balances == {"F1": D("40")}


# -- Determination objects
# ------------------------------------------------------------------------------------


class _Grants(Programme):
    name = "grants"

    def assess(self, ctx: Context) -> None:
        ctx.grant("dibao", "P1")


class _Plugin:
    from assistkit import hookimpl

    @hookimpl
    def assistkit_register_programmes(self) -> list[Programme]:
        return [_Grants()]


def test_determination_objects_are_updated_like_their_json():
    engine = Engine(plugins=[_Plugin()])
    household = io.structure_household({
        "id": "H-1", "residence": "urban",
        "members": [{"id": "P1", "name": "张三", "birth_date": "1980-01-01", "relationship": "head"}],
        "expenses": [{"id": "E1", "member": "P1", "kind": "inpatient", "date": "2025-05-01", "total": "900"}],
        "events": [{"id": "F1", "kind": "fire", "date": "2025-07-01", "loss": "300"}],
    })
    first = engine.assess(household, ON)
    funds = [fund("F-d", "1000", statuses=["dibao"], cap="1000", valid_to="2025-09-01"), fund("F-any", "50")]
    [updated] = match([first], funds, ON)
    [from_json] = match([first.to_json()], funds, ON)
    assert updated.to_json() == from_json
    assert [(p.fund, p.need, p.amount) for p in updated.programme("donations").payments] == [
        ("F-d", "E1", D("900.00")), ("F-d", "F1", D("100.00")), ("F-any", "F1", D("50.00"))]
    assert updated.one_off_total == D("1050.00")
    assert "donations.allocation" in updated.explain("en", codes=True)


# -- properties over generated populations and funds --------------------------------------------------------

_KINDS = [k.value for k in NeedKind]
_STATUSES = [s.value for s in Status]
_money = st.integers(0, 2_000_000).map(lambda fen: D(fen).scaleb(-2))
_dates = st.dates(dt.date(2023, 1, 1), ON)


@st.composite
def populations(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(0, 25))):
        needs = {}
        for j in range(draw(st.integers(0, 4))):
            amount = draw(_money)
            remaining = draw(st.integers(0, int(amount * 100)))
            needs[f"N{j}"] = need(draw(st.sampled_from(_KINDS)), draw(_dates).isoformat(),
                                  f"{D(remaining).scaleb(-2):.2f}", f"{amount:.2f}")
        some = st.lists(st.sampled_from(_STATUSES), min_size=1, max_size=2, unique=True)
        members = draw(st.dictionaries(st.sampled_from(["P1", "P2"]), some, max_size=2))
        held = draw(st.lists(st.sampled_from(_STATUSES), max_size=2, unique=True))
        out.append(determination(f"H-{i}", needs, held, members))
    return out


@st.composite
def fund_lists(draw: st.DrawFn) -> list[Fund]:
    out = []
    for i in range(draw(st.integers(1, 4))):
        start = draw(st.dates(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
        end = draw(st.dates(start, dt.date(2026, 6, 30)))
        cap = draw(st.integers(1, 1_000_000))
        out.append(fund(f"F{draw(st.integers(0, 9))}{i}", f"{draw(_money):.2f}",
                        draw(st.lists(st.sampled_from(_KINDS), min_size=1, max_size=3, unique=True)),
                        cap=f"{D(cap).scaleb(-2):.2f}",
                        statuses=draw(st.lists(st.sampled_from(_STATUSES), max_size=2, unique=True)),
                        valid_from=start.isoformat(), valid_to=end.isoformat()))
    return out


@settings(max_examples=100, deadline=None)
@given(populations(), fund_lists())
def test_matching_never_exceeds_a_fund_balance_a_need_or_a_cap(population, funds):
    matching = match(population, funds, ON)
    out = list(matching)
    by_id = {f.id: f for f in funds}
    given_by_fund: dict[str, Decimal] = {}
    for before, after in zip(population, out, strict=True):
        held = set(before["statuses"]["household"]).union(*before["statuses"]["members"].values())
        per_need: dict[str, Decimal] = {}
        per_fund: dict[str, Decimal] = {}
        payments = after["programmes"]["donations"]["payments"]
        reasons = after["programmes"]["donations"]["reasons"]
        if not payments:  # a household given nothing is told why (§13.2)
            assert [r["rule"] for r in reasons] in (["donations.no_needs"], ["donations.no_valid_fund"],
                                                   ["donations.no_match"])
            reasons = []
        for p, r in zip(payments, reasons, strict=True):
            amount, f = D(p["amount"]), by_id[p["fund"]]
            n = before["needs"][p["need"]]
            assert amount > 0
            assert f.valid_from <= ON <= f.valid_to
            assert NeedKind(n["kind"]) in f.need_kinds
            assert not f.statuses or held & set(f.statuses)
            v = r["values"]
            assert amount == min(D(v["remaining"]), D(v["balance"]), D(v["cap_left"]))  # §13.2
            per_need[p["need"]] = per_need.get(p["need"], D(0)) + amount
            per_fund[f.id] = per_fund.get(f.id, D(0)) + amount
        for nid, total in per_need.items():
            assert total <= D(before["needs"][nid]["remaining"])  # §13.3: never more than remains
            state = after["needs"][nid]
            assert D(state["paid"]) + D(state["remaining"]) == D(state["amount"])
            assert D(state["remaining"]) >= 0
        for fid, total in per_fund.items():
            assert total <= by_id[fid].per_household_cap
            given_by_fund[fid] = given_by_fund.get(fid, D(0)) + total
    for t in matching.summary.funds:
        # §13.3: the sum allocated from a fund never exceeds its balance.
        assert given_by_fund.get(t.fund, D(0)) == t.allocated <= t.balance_before == by_id[t.fund].balance
        assert t.balance_after == t.balance_before - t.allocated >= 0


@settings(max_examples=40, deadline=None)
@given(populations(), fund_lists())
def test_a_need_left_open_had_no_fund_able_to_give(population, funds):
    """Greedy completeness: after matching, a need with something remaining has no valid fund of its kind and
    statuses with both balance and household cap left."""
    matching = match(population, funds, ON)
    out = list(matching)
    balances = {t.fund: t.balance_after for t in matching.summary.funds}
    last = out[-1] if out else None
    if last is None:
        return
    before = population[-1]
    held = set(before["statuses"]["household"]).union(*before["statuses"]["members"].values())
    given_to_last: dict[str, Decimal] = {}
    for p in last["programmes"]["donations"]["payments"]:
        given_to_last[p["fund"]] = given_to_last.get(p["fund"], D(0)) + D(p["amount"])
    for state in last["needs"].values():
        if D(state["remaining"]) > 0:
            for f in funds_valid_on(funds, ON):
                if NeedKind(state["kind"]) in f.need_kinds and (not f.statuses or held & set(f.statuses)):
                    assert balances[f.id] == 0 or given_to_last.get(f.id, D(0)) == f.per_household_cap


# -- the pass backed by the ledger
# -----------------------------------------------------------------------------


def _population() -> list[dict[str, Any]]:
    return [determination(f"H-{i}", {"E1": need("medical", "2025-05-01", f"{300 + 100 * i}.00"),
                                     "F1": need("emergency", "2025-07-01", "250.00")},
                          members={"P1": ["dibao"]} if i % 2 else None)
            for i in range(8)]


_FUNDS = [fund("F-a", "2000", statuses=["dibao"], cap="600", valid_to="2025-09-30"),
          fund("F-b", "1500", cap="400")]


def test_with_a_ledger_a_rerun_gives_the_same_output_and_changes_nothing(tmp_path):
    clean = list(match(_population(), _FUNDS, ON))
    with SqliteLedger(tmp_path / "l.db") as ledger:
        first = match(_population(), _FUNDS, ON, ledger=ledger)
        assert list(first) == clean
        balances = ledger.balances()
        entries = ledger.connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        again = match(_population(), _FUNDS, ON, ledger=ledger)
        assert list(again) == clean
        assert again.summary == first.summary
        assert ledger.balances() == balances == {t.fund: t.balance_after for t in first.summary.funds}
        assert ledger.connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == entries
        assert ledger.check() == []


class _Crash(Exception):
    pass


@attrs.define
class _CrashingLedger:
    """A ledger that dies (raises) before its ``n``-th commit, as a killed run would."""

    inner: SqliteLedger
    n: int

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def commit(self, *args: Any) -> bool:
        self.n -= 1
        if self.n == 0:
            raise _Crash
        return self.inner.commit(*args)


@pytest.mark.parametrize("crash_at", [1, 3, 6])
def test_rerunning_after_a_crash_ends_with_the_balances_of_a_clean_run(tmp_path, crash_at):
    with SqliteLedger(tmp_path / "clean.db") as ledger:
        clean = match(_population(), _FUNDS, ON, ledger=ledger)
        clean_out = list(clean)
        clean_balances = ledger.balances()
    with SqliteLedger(tmp_path / "crashed.db") as ledger:
        with pytest.raises(_Crash):
            list(match(_population(), _FUNDS, ON, ledger=_CrashingLedger(ledger, crash_at)))  # type: ignore[arg-type]
        rerun = match(_population(), _FUNDS, ON, ledger=ledger)
        assert list(rerun) == clean_out
        assert ledger.balances() == clean_balances
        assert rerun.summary == clean.summary
        assert [line.debit for line in ledger.statement("F-a").lines] == \
            [line.debit for line in SqliteLedger(tmp_path / "clean.db").statement("F-a").lines]


def test_balances_come_from_the_ledger_on_a_later_date(tmp_path):
    with SqliteLedger(tmp_path / "l.db") as ledger:
        list(match(_population()[:2], _FUNDS, ON, ledger=ledger))
        left = ledger.balances()
        later = dt.date(2025, 7, 16)
        newcomer = determination("H-9", {"E1": need("medical", "2025-05-01", "5000.00")})
        second = match([newcomer], _FUNDS, later, ledger=ledger)
        list(second)
        assert {t.fund: t.balance_before for t in second.summary.funds} == left
        assert ledger.check() == []


def test_the_funds_file_of_the_spec_format_is_read(tmp_path: Path):
    path = tmp_path / "funds.json"
    path.write_text(json.dumps([{"id": "F1", "name": "n", "balance": "10", "need_kinds": ["medical"],
                                 "per_household_cap": "5", "valid_from": "2025-01-01",
                                 "valid_to": "2025-12-31"}]))
    [f] = io.load_funds(path)
    assert (f.balance, f.statuses) == (D("10.00"), ())
