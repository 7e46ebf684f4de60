"""The testing kit for rule authors: strategies, invariants, the conformance suite and the pytest plugin.

Toy plugins that break the rules on purpose live in ``tests/kit_plugins/``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import shutil
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from assistkit import io, means
from assistkit.dev import demo
from assistkit.engine import Engine
from assistkit.errors import InvalidHousehold
from assistkit.household import Fund, Household, Income, Person, Relationship, Residence
from assistkit.periods import age_on
from assistkit.policy import load_policy
from assistkit.testing.conformance import ProgrammeConformance
from assistkit.testing.examples import load_examples
from assistkit.testing.invariants import (
    assert_deterministic,
    assert_explanations_render,
    assert_monotone_in_income,
    assert_mutual_exclusions,
    assert_needs_conserved,
    assert_never_negative,
    assert_never_overpays,
    assert_permutation_invariant,
    assert_reasons_when_eligible,
    assert_reasons_when_not_eligible,
    assert_reform,
    assert_requests_within_remaining,
    assert_rules_known,
    assert_standard_raise_keeps_status,
    assert_whole_yuan_monthly,
    check_all,
)
from assistkit.testing.strategies import DEFAULT_ON, funds, households, incomes, people, populations

from .kit_plugins import inverted_dibao, misbehaving, overpaying
from .plugins import toys

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "tests" / "examples"
KIT_PLUGINS = Path(__file__).resolve().parent / "kit_plugins"

BUILT_IN = ("basic_living", "medical", "education", "housing", "temporary", "donations", "employment", "disaster",
            "price_subsidy")
"""The plugins (entry points) of the statute's and the addenda's programmes: what the spec's worked examples
assume (09–11 state employment, disaster and price_subsidy)."""

# Each programme of the statute: its plugin, the plugins it comes after, its statutory cliffs (§6.6, §6.7).
PROGRAMMES = {
    "tekun": ("basic_living", (), ()),
    "dibao": ("basic_living", (), ("dibao.single_person", "dibao.gradual_exit")),
    "low_income": ("basic_living", (), ()),
    "medical": ("medical", ("basic_living",), ()),
    "education": ("education", ("basic_living", "medical"), ()),
    "housing": ("housing", ("basic_living", "medical", "education"), ()),
    "temporary": ("temporary", ("basic_living", "medical", "education", "housing"), ()),
    "donations": ("donations", ("basic_living", "temporary"), ()),
}


def hooks(plugin: str) -> object:
    """The hooks module of a built-in plugin, e.g. ``assistkit_medical.hooks``."""
    return importlib.import_module(f"assistkit_{plugin}.hooks")

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def statute() -> Engine:
    """The statute's programmes and nothing else, Demo City."""
    return Engine(plugins=[hooks(name) for name in BUILT_IN])


def household(**fields: object) -> Household:
    data = {"id": "H-T", "residence": "urban",
            "members": [{"id": "P1", "name": "王伟", "birth_date": "1985-01-01", "relationship": "head"}]}
    data.update(fields)
    return io.structure_household(data)


# ---------------------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------------------


@FAST
@given(households())
def test_households_are_valid_by_construction(h: Household) -> None:
    # The strict reader accepts what the strategy draws, unchanged, and every date is on or before `on`.
    assert io.structure_household(io.unstructure_household(h)) == h
    io.check_dates(h, DEFAULT_ON)
    assert sum(p.relationship is Relationship.HEAD for p in h.members) == 1
    assert 1 <= len(h.members) <= 8
    for p in h.members:
        assert 0 <= age_on(p.birth_date, DEFAULT_ON) <= 100
        if p.id_number is not None:
            assert p.id_number[6:14] == p.birth_date.strftime("%Y%m%d")
    assert all(e.since <= DEFAULT_ON for e in h.enrolments)
    assert all(p.date <= DEFAULT_ON for p in h.history)


@FAST
@given(households(residence="rural", local=False, min_members=3, max_members=4, on=dt.date(2025, 5, 20)))
def test_options_steer_the_households(h: Household) -> None:
    assert h.residence is Residence.RURAL and not h.hukou_local and 3 <= len(h.members) <= 4
    io.check_dates(h, dt.date(2025, 5, 20))


POLICY = load_policy()


@FAST
@given(households(near_standard=True))
def test_near_standard_places_countable_income_between_half_and_one_and_a_half_s(h: Household) -> None:
    params = POLICY.at(DEFAULT_ON)
    s = params.standard(h.residence)
    ids = [p.id for p in h.members]
    countable = means.account_income(h, ids, DEFAULT_ON, params, s).countable
    assert s / 2 <= countable / len(ids) <= s * Decimal("1.5")


def test_households_shrink_to_one_urban_local_head_without_income() -> None:
    simplest = find(households(), lambda h: True, settings=settings(database=None))
    assert simplest == Household(
        id="H-0001", residence=Residence.URBAN,
        members=(Person("P1", "王伟", dt.date(1995, 7, 15), Relationship.HEAD),),
    )


@FAST
@given(st.data())
def test_people_incomes_funds_and_populations_are_valid(data: st.DataObject) -> None:
    person = data.draw(people(relationship="head"))
    income = data.draw(incomes(members=(person.id, None)))
    h = Household("H-1", Residence.URBAN, (person,), incomes=(income,))
    assert io.structure_household(io.unstructure_household(h)) == h
    fund_list = data.draw(st.lists(funds(), max_size=3, unique_by=lambda f: f.id))
    assert io.structure_funds([io.converter.unstructure(f) for f in fund_list]) == tuple(fund_list)
    population = data.draw(populations(max_size=4))
    assert [p.id for p in population] == [f"H-{i:04d}" for i in range(1, len(population) + 1)]


@FAST
@given(st.from_type(Household), st.from_type(Person), st.from_type(Income), st.from_type(Fund))
def test_types_resolve_through_the_hypothesis_entry_point(h: Household, p: Person, i: Income, f: Fund
                                                          ) -> None:
    for value, cls in ((h, Household), (p, Person), (i, Income), (f, Fund)):
        assert isinstance(value, cls)


@pytest.mark.parametrize("make", [
    lambda: households(min_members=0),
    lambda: households(min_members=4, max_members=3),
    lambda: households(residence="suburban"),
    lambda: households(local="yes"),
    lambda: households(near_standard=None),
    lambda: households(on="2025-07-15"),
    lambda: households(on=dt.datetime(2025, 7, 15)),
    lambda: households(policy="demo-city"),
    lambda: people(min_age=50, max_age=40),
    lambda: people(relationship="cousin"),
    lambda: incomes(members=()),
    lambda: populations(min_size=3, max_size=1),
    lambda: funds(on=None),
])
def test_misuse_is_invalid_argument(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidArgument):
        make()


# ---------------------------------------------------------------------------------------------------------
# Invariants: the statute's programmes keep them; each toy in kit_plugins/misbehaving.py breaks one
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", load_examples(EXAMPLES), ids=lambda ex: ex.name)
def test_the_worked_examples_keep_every_invariant(statute: Engine, example) -> None:  # type: ignore[no-untyped-def]
    h = io.structure_household(example.household)
    check_all(statute, h, example.on)
    assert_deterministic(statute, h, example.on)
    assert_permutation_invariant(statute, h, example.on)
    assert_monotone_in_income(statute, h, example.on, exceptions=PROGRAMMES["dibao"][2])


def _assess(*programmes: object) -> object:
    return Engine(plugins=[misbehaving.plugin(*programmes)]).assess(household(), DEFAULT_ON)


@pytest.mark.parametrize(("programmes", "invariant", "message"), [
    ((misbehaving.NegativeGrant(),), assert_never_negative,
     r"programmes\.negative\.payments\[0\]\.amount \(grant\) = -1\.00 is negative"),
    ((misbehaving.HalfYuanDibao(),), assert_whole_yuan_monthly,
     r"programmes\.dibao\.monthly = 50\.50 is not a whole number of yuan"),
    ((misbehaving.Silent(),), assert_reasons_when_eligible, r"silent is eligible .* but gives no reason"),
    ((misbehaving.SilentZero(),), assert_reasons_when_not_eligible,
     r"silent_zero is not eligible but gives no reason"),
    ((misbehaving.UnknownRule(),), assert_rules_known, r"unknown_rule cites rule 'toy\.nowhere' \(reason\)"),
    ((misbehaving.BadTemplate(),), assert_explanations_render,
     r"bad_template: reason toy\.template lacks member for its zh template"),
    ((misbehaving.TekunFirst(), misbehaving.DibaoForEveryone()), assert_mutual_exclusions,
     r"P1 is tekun but receives dibao of 100\.00 a month"),
])
def test_each_invariant_catches_its_toy(programmes, invariant, message) -> None:  # type: ignore[no-untyped-def]
    d = _assess(*programmes)
    with pytest.raises(AssertionError, match=message) as info:
        invariant(d)
    assert str(info.value).startswith(f"{invariant.__name__}: household H-T on 2025-07-15 (policy demo-city)")


def test_deterministic_and_order_invariants_catch_their_toys() -> None:
    two = household(members=[
        {"id": "P1", "name": "王伟", "birth_date": "1985-01-01", "relationship": "head"},
        {"id": "P2", "name": "王芳", "birth_date": "2015-01-01", "relationship": "child"},
    ])
    stateful = Engine(plugins=[misbehaving.plugin(misbehaving.Stateful())])
    with pytest.raises(AssertionError, match=r"first → second assessment: programmes\.stateful\.one_off: "
                                             r'"1\.00" → "2\.00"'):
        assert_deterministic(stateful, two, DEFAULT_ON)
    ordered = Engine(plugins=[misbehaving.plugin(misbehaving.FirstMember())])
    with pytest.raises(AssertionError, match=r"members and every list of records reversed: "
                                             r'programmes\.first_member\.one_off: "40\.00" → "10\.00"'):
        assert_permutation_invariant(ordered, two, DEFAULT_ON)


FIRE = {"events": [{"id": "V1", "kind": "fire", "date": "2025-07-10", "loss": "20000",
                    "compensated": "5000"}]}


def test_an_overpayment_that_bypasses_the_ledger_is_caught() -> None:
    # toy_relief pays the whole loss (20000) for V1 but names no need: the ledger sees nothing to clamp, so
    # the ledger's own accounts balance — and the need of 15000 is overpaid all the same.
    d = Engine(plugins=[overpaying]).assess(household(**FIRE), DEFAULT_ON)
    assert_needs_conserved(d)
    with pytest.raises(AssertionError, match=r"need V1 of 15000\.00 receives 20000\.00: 0\.00 through the "
                                             r"ledger plus toy_relief 20000\.00 \(grant, rule "
                                             r"toy_relief\.grant, need=None\)"):
        assert_never_overpays(d)


def test_a_request_beyond_what_remains_is_clamped_and_can_be_flagged() -> None:
    # The engine tests' Overpayer asks for twice each need. The ledger clamps it (§14.2), so nobody is
    # overpaid and the engine contract allows it; the strict check still names the programme that asked.
    clamped = Engine(plugins=[toys.plugin(toys.Overpayer())]).assess(household(**FIRE), DEFAULT_ON)
    assert_never_overpays(clamped)
    with pytest.raises(AssertionError, match=r"overpayer asked to pay 30000\.00 \(grant\) toward need V1, "
                                             r"but only 15000\.00 remained"):
        assert_requests_within_remaining(clamped)


def test_a_dibao_that_rises_with_income_is_caught() -> None:
    engine = Engine(plugins=[inverted_dibao])
    with pytest.raises(AssertionError) as info:
        assert_monotone_in_income(engine, household(), DEFAULT_ON)
    assert str(info.value) == textwrap.dedent("""\
        assert_monotone_in_income: household H-T on 2025-07-15 (policy demo-city)
          adding 100.00 yuan a month of counted income (household-level, 2025-01…2025-06) raised the monthly \
amount of 'dibao' from 100.00 to 150.00
          per-capita income 0.00 → 100.00; statuses dibao → dibao
          reasons before: toy_dibao.inverted
          reasons after: toy_dibao.inverted""")


def test_the_statutory_dibao_cliff_is_caught_unless_excused(statute: Engine) -> None:
    # §6.6: at S the unit fails the income test, and the seriously ill member is included alone.
    ill = household(
        members=[{"id": "P1", "name": "王伟", "birth_date": "1985-01-01", "relationship": "head",
                  "serious_illness": True}],
        incomes=[{"category": "other", "amount": "6240", "from": "2025-01", "to": "2025-06"}],
    )
    with pytest.raises(AssertionError, match=r"raised the monthly amount of 'dibao' from 220\.00 to "
                                             r"1260\.00"):
        assert_monotone_in_income(statute, ill, DEFAULT_ON)
    assert_monotone_in_income(statute, ill, DEFAULT_ON, exceptions=("dibao.single_person",))


# ---------------------------------------------------------------------------------------------------------
# Two policies: raising the urban standard 10 % (1050 → 1155 from 2025-07-01)
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reform(tmp_path_factory: pytest.TempPathFactory, statute: Engine) -> Engine:
    path = tmp_path_factory.mktemp("reform") / "reform.toml"
    path.write_text("[standard]\nurban = { 2025-07-01 = 1155 }\n", encoding="utf-8")
    return Engine(plugins=[hooks(name) for name in BUILT_IN], policy_files=[path])


def _population() -> list[Household]:
    population = [io.structure_household(h) for h in demo.generate(300, seed=7)]
    for ex in load_examples(EXAMPLES):
        h = io.structure_household(ex.household)
        try:
            io.check_dates(h, DEFAULT_ON)
        except InvalidHousehold:  # an example assessed later than DEFAULT_ON
            continue
        population.append(h)
    return population


def test_raising_the_urban_standard_loses_nobody_a_status_or_money(statute: Engine, reform: Engine) -> None:
    summary = assert_reform(statute, reform, _population(), DEFAULT_ON, no_status_lost=True,
                            nobody_loses_money=True)
    assert summary.losers == 0 and summary.gainers > 0
    assert summary.monthly_after > summary.monthly_before


def test_a_bound_on_the_gain_fails_with_the_worst_household(statute: Engine, reform: Engine) -> None:
    with pytest.raises(AssertionError) as info:
        assert_reform(statute, reform, _population(), DEFAULT_ON, max_gain_per_household=10)
    message = str(info.value)
    assert message.startswith("assert_reform on 2025-07-15: base policy demo-city, reform policy "
                              "demo-city + ")
    assert "reform.toml\n  max_gain_per_household=10.00: households gain more: " in message
    worst = message.split("worst: household ", 1)[1]
    assert "(urban, " in worst.split(":", 1)[0]
    assert " monthly " in worst and " → " in worst and "; statuses " in worst


def test_raising_the_standard_can_cost_a_member_a_status(statute: Engine, reform: Engine) -> None:
    # Noticed with these invariants: at S = 1155 the father's own pension (1100) falls below S, so he becomes
    # tekun (§5) and leaves the dibao unit (§2.4); his son alone then has a per-capita income (2100 − 346.50)
    # above the marginal line 1.5 S = 1732.50 (§7), where the two of them were below it (1442.50 < 1575).
    h = household(
        members=[{"id": "P1", "name": "王伟", "birth_date": "1985-01-01", "relationship": "head"},
                 {"id": "P2", "name": "王建国", "birth_date": "1950-01-01", "relationship": "parent",
                  "has_capable_supporter": False}],
        incomes=[{"member": "P1", "category": "wage", "amount": "12600", "from": "2025-01", "to": "2025-06"},
                 {"member": "P2", "category": "pension", "amount": "6600", "from": "2025-01",
                  "to": "2025-06"}],
    )
    with pytest.raises(AssertionError, match=r"raising standard\.urban from 1050\.00 to 1155\.00 loses "
                                             r"statuses: P1 marginal → none"):
        assert_standard_raise_keeps_status(statute, reform, h, DEFAULT_ON)


# ---------------------------------------------------------------------------------------------------------
# The conformance suite: every programme of the statute passes it; the broken toys fail the right test
# ---------------------------------------------------------------------------------------------------------


class TestStatuteConformance(ProgrammeConformance):
    """Each programme of the statute (the plugins' own tests run the suite with more examples)."""

    max_examples = 10

    @pytest.fixture(params=sorted(PROGRAMMES))
    def programme_name(self, request: pytest.FixtureRequest) -> str:
        return str(request.param)

    @pytest.fixture
    def plugin(self, programme_name: str) -> object:
        return hooks(PROGRAMMES[programme_name][0])

    @pytest.fixture
    def dependencies(self, programme_name: str) -> list[object]:
        return [hooks(name) for name in PROGRAMMES[programme_name][1]]

    @pytest.fixture
    def monotone_exceptions(self, programme_name: str) -> tuple[str, ...]:
        return PROGRAMMES[programme_name][2]

    @pytest.fixture
    def funds_strategy(self, programme_name: str, assessment_date: dt.date):  # type: ignore[no-untyped-def]
        if programme_name != "donations":
            return st.none()
        return st.lists(funds(on=assessment_date), max_size=3, unique_by=lambda f: f.id)


TOY_SUITE = """
    import pytest
    from kit_plugins import inverted_dibao, overpaying
    from assistkit.testing.conformance import ProgrammeConformance

    class TestOverpayingToy(ProgrammeConformance):
        test_entry_point_loads = None  # a toy: no distribution declares it
        max_examples = 25

        @pytest.fixture
        def plugin(self):
            return overpaying

        @pytest.fixture
        def programme_name(self):
            return "toy_relief"

    class TestInvertedDibaoToy(ProgrammeConformance):
        test_entry_point_loads = None
        max_examples = 25

        @pytest.fixture
        def plugin(self):
            return inverted_dibao

        @pytest.fixture
        def programme_name(self):
            return "dibao"
"""


def test_the_suite_fails_the_broken_toys_on_the_right_tests(pytester: pytest.Pytester) -> None:
    pytester.syspathinsert(KIT_PLUGINS.parent)
    pytester.makepyfile(test_toys=textwrap.dedent(TOY_SUITE))
    result = pytester.runpytest("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(failed=2, passed=2 * 11 - 2, skipped=2)  # skipped: neither declares `reads`
    result.stdout.fnmatch_lines([
        "FAILED test_toys.py::TestOverpayingToy::test_never_overpays_a_need*",
        "FAILED test_toys.py::TestInvertedDibaoToy::test_monthly_monotone_in_income*",
    ])
    text = result.stdout.str()
    assert "receives" in text and "through the ledger plus toy_relief" in text and "need=None" in text
    assert "raised the monthly amount of 'dibao' from" in text
    assert "household=Household(" in text  # hypothesis shows the (shrunk) household that breaks the rule


def test_the_suite_fails_a_programme_reading_more_than_it_declares(pytester: pytest.Pytester) -> None:
    pytester.syspathinsert(KIT_PLUGINS.parent)
    pytester.makepyfile(test_toy=textwrap.dedent("""
        import pytest
        from kit_plugins import overreading
        from assistkit.testing.conformance import ProgrammeConformance

        class TestOverreadingToy(ProgrammeConformance):
            max_examples = 25

            @pytest.fixture
            def plugin(self):
                return overreading

            @pytest.fixture
            def programme_name(self):
                return "toy_visit"
    """))
    result = pytester.runpytest("-p", "no:cacheprovider", "-q", "-k", "reads or declarations")
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines([
        "*toy_visit read hukou_local, which ToyVisit.reads does not declare*",
        "FAILED test_toy.py::TestOverreadingToy::test_reads_only_what_it_declares*",
    ])


def test_an_unconfigured_subclass_says_what_to_override(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_empty="""
        from assistkit.testing.conformance import ProgrammeConformance

        class TestNothingYet(ProgrammeConformance):
            pass
    """)
    result = pytester.runpytest("-p", "no:cacheprovider", "-q", "-k", "programme_declarations")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*NotImplementedError: override the `plugin` fixture in your subclass of "
                                 "ProgrammeConformance to return your plugin's hooks module*"])


# ---------------------------------------------------------------------------------------------------------
# The pytest plugin: worked examples as tests, fixtures, and harmlessness
# ---------------------------------------------------------------------------------------------------------


def _examples_args(*extra: str) -> list[str]:
    # -p is a no-op when the pytest11 entry point already loaded the plugin (same name).
    args = ["-p", "no:cacheprovider", "-p", "assistkit.testing.pytest_plugin"]
    for name in BUILT_IN:
        args += ["--assistkit-plugin", name]
    return args + list(extra)


def test_worked_examples_pass_as_tests(pytester: pytest.Pytester) -> None:
    shutil.copytree(EXAMPLES, pytester.path / "examples")
    result = pytester.runpytest(*_examples_args("--assistkit-examples", "examples", "-v"))
    result.assert_outcomes(passed=11)
    result.stdout.fnmatch_lines(["examples/01-urban-dibao-wage.json::01-urban-dibao-wage PASSED*"])


def test_a_wrong_expected_amount_fails_with_a_readable_diff(pytester: pytest.Pytester) -> None:
    shutil.copytree(EXAMPLES, pytester.path / "examples")
    path = pytester.path / "examples" / "01-urban-dibao-wage.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["expected"]["programmes"]["dibao"]["monthly"] == "1823.00"
    data["expected"]["programmes"]["dibao"]["monthly"] = "1832.00"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    result = pytester.runpytest(*_examples_args("--assistkit-examples", str(pytester.path / "examples")))
    result.assert_outcomes(failed=1, passed=10)
    result.stdout.fnmatch_lines([
        "*_ assistkit example 01-urban-dibao-wage _*",
        "assistkit example 01-urban-dibao-wage (*01-urban-dibao-wage.json)",
        "  household H-01 · on 2025-07-15 · policy demo-city · plugins basic_living, medical, education, "
        "housing, temporary, donations, employment, disaster, price_subsidy",
        "  note: Urban family of three; one steady wage, one short job, one excluded allowance.",
        "  1 difference from expected:",
        '    programmes.dibao.monthly: expected "1832.00", got "1823.00"',
        "FAILED examples/01-urban-dibao-wage.json::01-urban-dibao-wage*",
    ])


def test_examples_run_under_an_override_policy(pytester: pytest.Pytester) -> None:
    shutil.copytree(EXAMPLES, pytester.path / "examples")
    pytester.path.joinpath("reform.toml").write_text("[standard]\nurban = { 2025-07-01 = 1155 }\n")
    result = pytester.runpytest(*_examples_args("--assistkit-examples", "examples",
                                                "--assistkit-policy", "reform.toml", "-k", "01"))
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*policy demo-city + *reform.toml*",
                                 '*programmes.dibao.monthly: expected "1823.00", got "*"'])


def test_fixtures_give_the_installed_engine_and_demo_city(assistkit_engine: Engine, demo_policy) -> None:  # type: ignore[no-untyped-def]
    names = {p.name for p in assistkit_engine.programmes}
    assert set(PROGRAMMES) <= names
    assert demo_policy.locality == "demo-city"
    assert demo_policy.at(DEFAULT_ON)["standard.urban"] == Decimal("1050")


def _imported_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(m for m in sys.modules if m.startswith('assistkit')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_entry_points_import_nothing_heavy() -> None:
    # Both entry points load in every pytest run / hypothesis import of an environment with assistkit.
    pytest_plugin = _imported_after("import pytest, assistkit.testing.pytest_plugin")
    assert not {"assistkit.engine", "assistkit.io", "assistkit.testing.strategies"} & pytest_plugin
    with_hypothesis = _imported_after("import hypothesis")
    assert "assistkit.testing._hypothesis_setup" in with_hypothesis
    assert not {"assistkit.engine", "assistkit.policy", "assistkit.testing.strategies"} & with_hypothesis
