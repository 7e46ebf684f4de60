"""Recomputing months after a late report (issue 29): the worked case of example 01's household whose wage rose in
March and was found in June, every monthly figure derived by hand from the statute; and properties over
generated households (unchanged facts give no difference; never arrears and recovery for one month and
programme)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistkit.cli import main
from assistkit.engine import Engine
from assistkit.io import structure_household
from assistkit.periods import Month
from assistkit.recompute import RecomputeError, assess_months, month_day
from assistkit.testing.strategies import households

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = json.loads((ROOT / "tests" / "examples" / "01-urban-dibao-wage.json").read_text(encoding="utf-8"))


def D(text: str) -> Decimal:
    return Decimal(text)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def late_report_household() -> dict:
    """Example 01's family (P1 wage, P2's short job in March, an excluded allowance), as the office knew it: P1
    earned 1800 a month, and the household has been on dibao at 1650 a month since October 2024 (the amount
    the office determined, see below). The fact found in June: P1's wage rose to 2600 a month from March.

    What was paid (history): dibao 1650 on the 10th of each month, the 2025 premium subsidies (§9.1) in January
    and P2's 2025 job-seeking subsidy (§E.3) in January — so the one-offs are not due again in the range."""
    data = copy.deepcopy(EXAMPLE["household"])
    data["incomes"] = [
        {"member": "P1", "category": "wage", "amount": "14400", "from": "2024-07", "to": "2025-02"},  # 1800 × 8
        {"member": "P1", "category": "wage", "amount": "7800", "from": "2025-03", "to": "2025-05"},   # 2600 × 3
        {"member": "P2", "category": "wage", "amount": "600", "month": "2025-03"},
        {"member": None, "category": "transfer", "kind": "old_age_allowance", "amount": "300", "month": "2025-02"},
    ]
    data["enrolments"] = [{"programme": "dibao", "since": "2024-10-01", "monthly_amount": "1650"}]
    data["history"] = (
        [{"programme": "medical", "kind": "premium_subsidy", "member": m, "date": "2025-01-15", "amount": "320"}
         for m in ("P1", "P2", "P3")]
        + [{"programme": "employment", "kind": "job_seeking_subsidy", "member": "P2", "date": "2025-01-15",
            "amount": "500"}]
        + [{"programme": "dibao", "kind": "monthly", "date": f"2025-{m:02d}-10", "amount": "1650"}
           for m in range(1, 7)]
    )
    return data


# The worked case by hand (spec §1, §3, §6; Demo City parameters: S = standard.urban = 1000 until 2025-06-30,
# employment deduction rate 0.3 so at most 300 per worker, uplift.minor 0.15, rigid deduction not in force before
# 2025-07-01, window P = 6 months). Each month is assessed on its last day; the window is the 6 months before it.
# The unit is P1, P2, P3 (nobody is tekun: P3 has a capable supporter); P3 (10) is a minor: uplift 0.15 × 1000 = 150.
#
# March (on 2025-03-31), window 2024-09 … 2025-02: P1 6 × 1800 = 10800; countable 10800 / 6 = 1800.00;
#   deduction P1 min(1800, 300) = 300; net 1500; PCI 500.00; gap (1000 − 500.00) × 3 = 1500.00; + 150 = 1650.
#   The raise is not yet in the window: due 1650 = paid 1650, no difference. (The office's 1650 is this figure.)
# April (on 2025-04-30), window 2024-10 … 2025-03: P1 5 × 1800 + 2600 = 11600; P2 600; countable 12200 / 6 =
#   2033.33; deduction P1 300 + P2 min(100, 300) = 100 → 400; net 1633.33…; PCI 544.44; gap 455.56 × 3 = 1366.68;
#   + 150 = 1516.68 → 1517. Paid 1650: overpaid 133.
# May (on 2025-05-31), window 2024-11 … 2025-04: P1 4 × 1800 + 2 × 2600 = 12400; P2 600; countable 13000 / 6 =
#   2166.67; deduction 400; net 1766.66…; PCI 588.89; gap 411.11 × 3 = 1233.33; + 150 = 1383.33 → 1383. Overpaid 267.
# June (on 2025-06-30), window 2024-12 … 2025-05: P1 3 × 1800 + 3 × 2600 = 13200; P2 600; countable 13800 / 6 =
#   2300.00; deduction 400; net 1900; PCI 633.33; gap 366.67 × 3 = 1100.01; + 150 = 1250.01 → 1250. Overpaid 400.
# To recover: 0 + 133 + 267 + 400 = 800 yuan. PCI stays below S, so no gradual exit (§6.7): each month adjusts.
WORKED = {
    # month: (countable, employment deduction, per capita, dibao due, dibao paid, recovery)
    "2025-03": ("1800.00", "300.00", "500.00", "1650.00", "1650.00", "0.00"),
    "2025-04": ("2033.33", "400.00", "544.44", "1517.00", "1650.00", "133.00"),
    "2025-05": ("2166.67", "400.00", "588.89", "1383.00", "1650.00", "267.00"),
    "2025-06": ("2300.00", "400.00", "633.33", "1250.00", "1650.00", "400.00"),
}


def test_worked_case_every_monthly_figure(engine: Engine) -> None:
    household = structure_household(late_report_household())
    result = assess_months(engine, household, Month(2025, 3), Month(2025, 6))
    assert [str(m.month) for m in result.months] == list(WORKED)
    for m in result.months:
        countable, deduction, pci, due, paid, recovery = WORKED[str(m.month)]
        assert m.on == month_day(m.month)
        income = m.determination.to_json()["income"]
        assert (income["countable"], income["employment_deduction"], income["per_capita"]) == (
            countable, deduction, pci), m.month
        dibao = m.programme("dibao")
        assert (dibao.due, dibao.paid, dibao.recovery, dibao.arrears) == (D(due), D(paid), D(recovery), 0)
        # Nothing else was due or paid: the one-offs were paid in January, before the range (§9.1, §E.3).
        for line in m.programmes:
            if line.programme != "dibao":
                assert (line.due, line.paid, line.difference) == (0, 0, 0), (m.month, line.programme)
    totals = result.totals()["dibao"]
    assert totals == {"due": D("5800.00"), "paid": D("6600.00"), "arrears": D("0.00"), "recovery": D("800.00"),
                      "net": D("-800.00")}
    assert (result.total_recovery, result.total_arrears) == (D("800.00"), D("0.00"))
    # §15.2 carried month to month: keep in March, then adjust each month to the new amount.
    assert [(a.action, a.enrolled, a.determined) for m in result.months for a in m.determination.actions] == [
        ("keep", D("1650"), D("1650.00")), ("adjust", D("1650"), D("1517.00")),
        ("adjust", D("1517.00"), D("1383.00")), ("adjust", D("1383.00"), D("1250.00"))]
    assert [m.enrolments[0].monthly_amount for m in result.months] == [D("1650"), D("1517.00"), D("1383.00"),
                                                                        D("1250.00")]


def test_worked_case_reasons_in_both_languages(engine: Engine) -> None:
    result = assess_months(engine, structure_household(late_report_household()), Month(2025, 3), Month(2025, 6))
    zh, en = result.explain("zh"), result.explain("en")
    assert "2025-04 最低生活保障：应发 1517.00 元，实发 1650.00 元，多发 133.00 元，应予追回（应退未退）" in zh
    assert "2025-03 最低生活保障：应发 1650.00 元，实发 1650.00 元，无差额" in zh
    assert "总计：补发 0.00 元，追回 800.00 元" in zh
    assert "dibao" not in zh.replace("dibao.", "")  # no code word in the Chinese sentences (rule ids aside)
    assert "2025-06 Minimum living guarantee: due 1250.00 yuan, paid 1650.00 yuan: overpaid 400.00 yuan" in en
    data = result.to_json("en")
    assert data["totals"]["dibao"]["recovery"] == "800.00"
    assert data["months"][1]["programmes"]["dibao"]["reason"]["rule"] == "recompute.recovery"
    # The figure due cites its rules: the April benefit's reasons include the gap (§6.3).
    assert any(r["rule"] == "dibao.gap" for r in data["months"][1]["programmes"]["dibao"]["due_reasons"])


def test_one_off_due_once_in_the_month_its_rule_first_holds(engine: Engine) -> None:
    """Without the January premium subsidies in the history, they are due in March (the first month of the range,
    §9.1 once per calendar year) and never again; paid nowhere in the range, they are arrears of 3 × 320."""
    data = late_report_household()
    data["history"] = [h for h in data["history"] if h["kind"] != "premium_subsidy"]
    result = assess_months(engine, structure_household(data), Month(2025, 3), Month(2025, 6))
    medical = [m.programme("medical") for m in result.months]
    assert [line.due for line in medical] == [D("960.00"), 0, 0, 0]
    assert [p.kind for p in medical[0].due_payments] == ["premium_subsidy"] * 3
    assert medical[0].arrears == D("960.00")
    assert result.totals()["medical"]["arrears"] == D("960.00")


def test_late_expense_due_in_its_month(engine: Engine) -> None:
    """An inpatient bill of 20 May found later: treatment assistance (§9.2) is due in May, once."""
    data = late_report_household()
    data["expenses"] = [{"id": "E1", "member": "P2", "kind": "inpatient", "date": "2025-05-20", "total": "5000",
                         "insurance_paid": "3000"}]
    result = assess_months(engine, structure_household(data), Month(2025, 3), Month(2025, 6))
    dues = {str(m.month): m.programme("medical").due for m in result.months}
    # base 5000 − 3000 = 2000; dibao deductible 0; ratio 0.75 → 1500.00, in May only.
    assert dues == {"2025-03": 0, "2025-04": 0, "2025-05": D("1500.00"), "2025-06": 0}


def test_gradual_exit_carries_its_start_and_ends(engine: Engine) -> None:
    """A raise that lifts PCI above S: dibao goes on at the enrolled amount for dibao.gradual_exit_months = 6 months
    from the month it began (§6.7), the start recorded on the enrolment, then exits (§15.2)."""
    data = late_report_household()
    data["incomes"] = [
        {"member": "P1", "category": "wage", "amount": "10800", "from": "2024-07", "to": "2024-12"},  # 1800 × 6
        {"member": "P1", "category": "wage", "amount": "72000", "from": "2025-01", "to": "2025-12"},  # 6000 × 12
    ]
    data["history"] = [h for h in data["history"] if h["kind"] != "monthly"]
    result = assess_months(engine, structure_household(data), Month(2025, 1), Month(2025, 12))
    dues = {str(m.month): m.programme("dibao").due for m in result.months}
    # January: window 2024-07 … 2024-12, 1800 a month: PCI 500 → 1650 (as enrolled, keep).
    # February: window 2024-08 … 2025-01: (5 × 1800 + 6000) / 6 = 2500; − 300 = 2200; PCI 733.33 → gap 266.67 × 3
    #   = 800.01 + 150 → 950. March: (4 × 1800 + 2 × 6000) / 6 = 3200 − 300 → PCI 966.67 → gap 33.33 × 3 = 99.99
    #   + 150 → 250. April: (3 × 1800 + 3 × 6000) / 6 = 3900 − 300 → PCI 1200 ≥ S with work income: gradual exit
    #   at the enrolled 250 from 2025-04-30 for 6 months, until 2025-10-30 (exclusive): April … September; in
    #   October (on 2025-10-31) it has ended: exit, nothing due.
    assert dues == {"2025-01": D("1650.00"), "2025-02": D("950.00"), "2025-03": D("250.00"),
                    "2025-04": D("250.00"), "2025-05": D("250.00"), "2025-06": D("250.00"),
                    "2025-07": D("250.00"), "2025-08": D("250.00"), "2025-09": D("250.00"),
                    "2025-10": 0, "2025-11": 0, "2025-12": 0}
    april = result.months[3]
    assert april.enrolments[0].gradual_exit_from == dt.date(2025, 4, 30)
    assert [a.action for a in result.months[9].determination.actions] == ["exit"]
    assert result.months[9].enrolments == ()
    assert result.total_arrears == sum(dues.values())  # nothing was paid in the range


def test_a_programme_that_raises_stops_the_recomputation() -> None:
    """A figure due that could not be computed must not turn into an overpayment to recover."""
    import importlib

    from .plugins import toys

    # employment too: the household's history names its payments, which only its plugin declares.
    hooks = [importlib.import_module(f"assistkit_{n}.hooks") for n in ("basic_living", "medical", "employment")]
    engine = Engine([*hooks, toys.plugin(toys.Raiser())])
    with pytest.raises(RecomputeError, match=r"H-01, 2025-03: programme raiser could not be assessed"):
        assess_months(engine, structure_household(late_report_household()), Month(2025, 3), Month(2025, 6))


def test_empty_range_is_refused(engine: Engine) -> None:
    with pytest.raises(RecomputeError, match="before the first month"):
        assess_months(engine, structure_household(late_report_household()), Month(2025, 6), Month(2025, 3))


def test_cli_recompute(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    path.write_text(json.dumps(late_report_household(), ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    text = runner.invoke(main, ["recompute", str(path), "--from", "2025-03", "--to", "2025-06", "--lang", "en"])
    assert text.exit_code == 0, text.output
    assert "Altogether: arrears 0.00 yuan, to recover 800.00 yuan" in text.output
    out = runner.invoke(main, ["recompute", str(path), "--from", "2025-03", "--to", "2025-06", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["total_recovery"] == "800.00"
    # A payments file replaces the history as what was paid: the office paid nothing in the range → arrears.
    payments = tmp_path / "paid.json"
    payments.write_text("[]", encoding="utf-8")
    out = runner.invoke(main, ["recompute", str(path), "--from", "2025-03", "--to", "2025-06", "--format", "json",
                               "--payments", str(payments)])
    assert json.loads(out.output)["total_arrears"] == "5800.00", out.output
    record = tmp_path / "record.sqlite"
    out = runner.invoke(main, ["recompute", str(path), "--from", "2025-03", "--to", "2025-06", "--record",
                               str(record), "--recorder", "示范市民政局"])
    assert out.exit_code == 0, out.output
    from assistkit.record import SqliteLog

    with SqliteLog(record) as log:
        entries = list(log.entries())
        assert [(e.decision, e.note, e.amounts["recovery"]) for e in entries] == [
            ("recovery", "month=2025-04", "133.00"), ("recovery", "month=2025-05", "267.00"),
            ("recovery", "month=2025-06", "400.00")]
        assert log.verify().ok
    assert runner.invoke(main, ["recompute", str(path), "--from", "2025-03", "--to", "2025-06", "--record",
                                str(record)]).exit_code == 2  # who records it must be said
    bad = runner.invoke(main, ["recompute", str(path), "--from", "2025-13", "--to", "2025-06"])
    assert bad.exit_code == 2 and "first month: expected a month YYYY-MM, got '2025-13'" in bad.output
    payments.write_text('[{"programme": "dibao", "kind": "monthly", "date": "2025-04-10", "amount": "-1"}]',
                        encoding="utf-8")
    bad = runner.invoke(main, ["recompute", str(path), "--from", "2025-03", "--to", "2025-06",
                               "--payments", str(payments)])
    assert bad.exit_code == 1 and "payments[0].amount" in bad.output, bad.output


# -- properties -------------------------------------------------------------------------------------------------

_RANGE = (Month(2025, 5), Month(2025, 8))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(household=households(on=month_day(_RANGE[0])))
def test_unchanged_facts_give_no_difference(engine: Engine, household) -> None:
    """Paid exactly what the recomputation finds due (as an office assessing each month with these same facts
    would have): recomputing gives a zero difference in every month and programme, and the same figures due."""
    first = assess_months(engine, household, *_RANGE)
    paid = first.as_payments()
    start = dt.date(_RANGE[0].year, _RANGE[0].month, 1)
    again = assess_months(engine, attrs.evolve(household, history=(
        *(p for p in household.history if p.date < start), *paid)), *_RANGE)
    for line in again.lines():
        assert line.difference == 0, (line.month, line.programme, line.due, line.paid)
    assert [(p.month, p.programme, p.due) for p in again.lines()] == [
        (p.month, p.programme, p.due) for p in first.lines()]
    assert again.total_arrears == again.total_recovery == 0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(household=households(on=month_day(_RANGE[0])),
       amounts=st.lists(st.tuples(st.integers(0, 3), st.decimals("0", "3000", places=2)), max_size=6))
def test_never_arrears_and_recovery_for_one_month_and_programme(engine: Engine, household, amounts) -> None:
    from assistkit.household import PastPayment, PaymentKind, PaymentProgramme

    paid = [PastPayment(PaymentProgramme.DIBAO, PaymentKind.MONTHLY, month_day(_RANGE[0] + i), amount)
            for i, amount in amounts]
    result = assess_months(engine, household, *_RANGE, paid=paid)
    for line in result.lines():
        assert not (line.arrears and line.recovery)
        assert line.difference == (line.due - line.paid if line.compared else 0)
    dibao = result.totals()["dibao"]
    assert dibao["paid"] == sum((a for _, a in amounts), Decimal(0))
    assert dibao["net"] == dibao["arrears"] - dibao["recovery"] == dibao["due"] - dibao["paid"]


def test_docs_example_is_the_worked_case() -> None:
    path = ROOT / "docs" / "examples" / "late-report.json"
    assert json.loads(path.read_text(encoding="utf-8")) == late_report_household()


def _office(engine: Engine, household, first: Month, last: Month) -> list:
    """An office that assessed each month on its last day with these same facts and paid what it found: the
    recurring amounts on the 10th, the one-offs on the day; it acts on §15.2 as the statute says."""
    from assistkit.household import Enrolment, PastPayment

    history, enrolments, paid = list(household.history), list(household.enrolments), []
    for index in range(first.index, last.index + 1):
        day = month_day(Month.from_index(index))
        d = engine.assess(attrs.evolve(household, history=tuple(history), enrolments=tuple(enrolments)), day)
        for r in d.programmes:
            if r.name == "donations":
                continue
            if r.monthly:
                paid.append(PastPayment(r.name, "monthly", day.replace(day=10), r.monthly))
            for p in r.payments:
                made = PastPayment(p.programme, p.kind, day, p.amount, p.member, p.need)
                paid.append(made)
                history.append(made)
        for a in d.actions:
            if a.action == "exit":
                enrolments = [e for e in enrolments if (e.programme, e.member) != (a.programme, a.member)]
            elif a.action == "enrol":
                enrolments.append(Enrolment(a.programme, day, a.determined, a.member))
            elif a.action == "adjust":
                kept = [e for e in enrolments if (e.programme, e.member) == (a.programme, a.member)][0]
                enrolments = [e for e in enrolments if (e.programme, e.member) != (a.programme, a.member)]
                enrolments.append(attrs.evolve(kept, monthly_amount=a.determined))
        for r in d.programmes:
            start = (r.extras or {}).get("record", {}).get("gradual_exit_from")
            if start is not None:
                enrolments = [attrs.evolve(e, gradual_exit_from=start)
                              if e.programme == r.name and e.member is None else e for e in enrolments]
    return paid


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(household=households(on=dt.date(2025, 4, 30), near_standard=True))
def test_an_office_that_knew_the_facts_owes_and_recovers_nothing(engine: Engine, household) -> None:
    """Unchanged facts: an office that assessed month by month with the facts now known (simulated above with
    Engine.assess alone) paid exactly what the recomputation finds due."""
    paid = _office(engine, household, *_RANGE)
    result = assess_months(engine, household, *_RANGE, paid=paid)
    for line in result.lines():
        if line.compared:
            assert line.difference == 0, (line.month, line.programme, line.due, line.paid)
    assert result.total_arrears == result.total_recovery == 0
