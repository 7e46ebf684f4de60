"""The conformance suite a programme plugin's tests subclass (pandas' ``tests/extension/base`` style).

Subclass :class:`ProgrammeConformance` in a test module, name the subclass ``Test…`` so pytest collects it,
and override the fixtures that say what to test::

    import pytest
    from assistkit.testing.conformance import ProgrammeConformance

    class TestMedicalConformance(ProgrammeConformance):
        @pytest.fixture
        def plugin(self):
            import assistkit_medical.hooks
            return assistkit_medical.hooks          # the module your entry point names

        @pytest.fixture
        def programme_name(self):
            return "medical"

        @pytest.fixture
        def dependencies(self):
            import assistkit_basic_living.hooks
            return [assistkit_basic_living.hooks]   # plugins whose programmes yours comes after

Every test below then runs against ``Engine(plugins=[*dependencies, plugin])``. A plugin with several
programmes parametrizes ``programme_name`` (``@pytest.fixture(params=[…])``) or writes one subclass each.
To skip a test that does not apply, override it in the subclass (``test_x = None`` removes it).

What is checked: the entry point loads and validates; the programme's declarations are sound; every
parameter it names is declared and has a value for Demo City on a few dates; on generated households
(:func:`assistkit.testing.strategies.households`, ``max_examples`` each) it assesses without error, never
gives a negative amount, never overpays a need, is deterministic and independent of record order, gives a
reason whenever eligible and whenever not ("why zero"), cites only rules it defines (or the core's), renders
its explanations in zh and en,
never raises its monthly amount when income rises, and, when it declares ``reads``, reads no household fact
beyond them (:mod:`assistkit.testing.reads`).
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata as md
import re
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from types import ModuleType
from typing import ClassVar, TypeAlias

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ..engine import CORE_RULES, Engine, load_plugins
from ..explain import Rule
from ..hookspecs import PROJECT
from ..household import Fund, Household
from ..io import structure_household
from ..linkage import StatusDeclaration
from ..programme import PHASES, Programme
from .examples import Example, load_examples, owned_differences
from .invariants import (
    assert_deterministic,
    assert_explanations_render,
    assert_monotone_in_income,
    assert_mutual_exclusions,
    assert_needs_conserved,
    assert_never_negative,
    assert_never_overpays,
    assert_no_errors,
    assert_permutation_invariant,
    assert_reasons_when_eligible,
    assert_reasons_when_not_eligible,
)
from .reads import undeclared_reads
from .strategies import DEFAULT_ON, households

__all__ = ["ProgrammeConformance", "WorkedExamples"]

_PHASES = tuple(p for p in Phase if p is not Phase.explain)

HouseholdStrategy: TypeAlias = "st.SearchStrategy[Household]"
FundsStrategy: TypeAlias = "st.SearchStrategy[Sequence[Fund] | None]"


def _override(fixture: str, what: str, example: str) -> NotImplementedError:
    return NotImplementedError(
        f"override the `{fixture}` fixture in your subclass of ProgrammeConformance to return {what}, "
        "e.g.\n\n"
        f"    @pytest.fixture\n    def {fixture}(self):\n{example}"
    )


def _core_rule_ids() -> frozenset[str]:
    """Rule ids any programme may cite besides its own: the engine's, the means tests' and the reviews'."""
    from .. import means, review

    return frozenset({*CORE_RULES, *means.RULES, *review.RULES})


class ProgrammeConformance:
    """Base class of a programme plugin's conformance tests; see the module docstring.

    Fixtures to override: ``plugin`` and ``programme_name`` (required), ``dependencies`` (default none),
    ``entry_point_name`` (default: whichever entry point names the plugin's module), ``household_strategy``
    (default :func:`~assistkit.testing.strategies.households` on ``assessment_date``), ``assessment_date``
    (default 2025-07-15), ``funds_strategy`` (donation funds to assess with, default none),
    ``monotone_exceptions`` (rule ids that excuse a rise of the monthly amount with income, default none),
    ``locality`` (default: ``demo-city`` when the plugin ships its values, else the first locality it ships
    values for) and ``policy_files`` (a locality's own files, default none).
    Class attributes: ``max_examples`` per generated test, ``parameter_dates``, ``section_pattern``.
    """

    max_examples: ClassVar[int] = 20
    """Households generated per property test (hypothesis ``max_examples``)."""

    parameter_dates: ClassVar[tuple[dt.date, ...]] = (
        dt.date(2024, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 7, 1), DEFAULT_ON, dt.date(2026, 12, 31),
    )
    """Dates on which every parameter the programme names must have a value in the locality under test."""

    section_pattern: ClassVar[str] = r"§\S+"
    r"""What a rule's ``section`` must look like (a regular expression matched at its start): Demo City's statute
    cites ``§6.4``; a locality citing its own documents sets e.g. ``r"(§|第)\S+"``."""

    # -- fixtures to override ------------------------------------------------------------------------------

    @pytest.fixture
    def plugin(self) -> ModuleType:
        """The plugin under test: the hooks module its ``assistkit`` entry point names."""
        raise _override("plugin", "your plugin's hooks module (the one the entry point names)",
                        "        import assistkit_medical.hooks\n        return assistkit_medical.hooks")

    @pytest.fixture
    def programme_name(self) -> str:
        """The name of the programme under test (``Programme.name``)."""
        raise _override("programme_name", "the name of the programme under test",
                        '        return "medical"')

    @pytest.fixture
    def dependencies(self) -> Sequence[object]:
        """Plugins the programme needs installed (those providing its ``after`` programmes); default none."""
        return []

    @pytest.fixture
    def entry_point_name(self) -> str | None:
        """The plugin's entry-point name (group ``assistkit``); ``None``: any that names its module."""
        return None

    @pytest.fixture
    def assessment_date(self) -> dt.date:
        """The date generated households are assessed on."""
        return DEFAULT_ON

    @pytest.fixture
    def household_strategy(self, assessment_date: dt.date) -> HouseholdStrategy:
        """The households the property tests draw."""
        return households(on=assessment_date)

    @pytest.fixture
    def funds_strategy(self, assessment_date: dt.date) -> FundsStrategy:
        """The donation funds (§13) each household is assessed with; default none (``st.none()``)."""
        return st.none()

    @pytest.fixture
    def locality(self, plugin: object) -> str:
        """The locality the plugin is tested in: ``demo-city`` when it ships Demo City values, else the first
        locality its parameter declarations ship values for."""
        shipped: list[str] = []
        for declaration in load_plugins([plugin]).declarations:
            shipped += [name for name in declaration.values if name not in shipped]
        return "demo-city" if "demo-city" in shipped or not shipped else shipped[0]

    @pytest.fixture
    def policy_files(self) -> Sequence[str]:
        """Policy files of the locality under test (its own values), applied in order; default none."""
        return ()

    @pytest.fixture
    def monotone_exceptions(self) -> Collection[str]:
        """Rule ids whose presence excuses a rise of the monthly amount as income rises (statutory cliffs)."""
        return ()

    # -- fixtures built from those ------------------------------------------------------------------------

    @pytest.fixture
    def engine(self, plugin: object, dependencies: Sequence[object], locality: str,
               policy_files: Sequence[str]) -> Engine:
        """``Engine(plugins=[*dependencies, plugin])`` with the policy of ``locality`` and ``policy_files``."""
        return Engine(plugins=[*dependencies, plugin], locality=locality, policy_files=policy_files)

    @pytest.fixture
    def programme(self, engine: Engine, programme_name: str) -> Programme:
        """The programme object under test, as registered in ``engine``."""
        for failure in engine.failures:
            pytest.fail(str(failure), pytrace=False)
        for p in engine.programmes:
            if p.name == programme_name:
                return p
        names = ", ".join(p.name for p in engine.programmes) or "none"
        pytest.fail(f"no programme named {programme_name!r} is registered (registered: {names}); check "
                    "`programme_name` and the plugin's assistkit_register_programmes hook", pytrace=False)

    def for_all_households(self, households: HouseholdStrategy, funds: FundsStrategy,
                           check: Callable[[Household, Sequence[Fund] | None], None]) -> None:
        """Run ``check(household, funds)`` on ``max_examples`` draws (hypothesis: a failure is shrunk and
        reported with the household that shows it)."""

        # No "explain" phase: on a household of a hundred draws it costs far more than the shrinking, and the
        # shrunk household is the report that matters.
        @settings(max_examples=self.max_examples, deadline=None, phases=_PHASES,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(household=households, funds=funds)
        def conformance_property(household: Household, funds: Sequence[Fund] | None) -> None:
            check(household, funds)

        conformance_property()

    # -- the plugin and its declarations ------------------------------------------------------------------

    def test_entry_point_loads(self, plugin: ModuleType, entry_point_name: str | None,
                               programme_name: str, locality: str, policy_files: Sequence[str]) -> None:
        """The plugin's distribution declares an ``assistkit`` entry point naming the module; it loads."""
        module = getattr(plugin, "__name__", None)
        found = [ep for ep in md.entry_points(group=PROJECT) if ep.module == module]
        if entry_point_name is not None:
            found = [ep for ep in found if ep.name == entry_point_name]
        if not found:
            name = entry_point_name or "<name>"
            named = f" named {entry_point_name!r}" if entry_point_name else ""
            pytest.fail(
                f"no installed entry point of group {PROJECT!r}{named} points to {module!r}. Declare it in "
                "the plugin's pyproject.toml:\n\n"
                f"    [project.entry-points.{PROJECT}]\n    {name} = \"{module}\"\n\n"
                "and reinstall the plugin (pip install -e …)", pytrace=False)
        ep = found[0]
        assert ep.load() is plugin, f"entry point {ep.name} = {ep.value!r} loads another object than `plugin`"
        loaded = load_plugins([plugin])
        assert not loaded.failures, "; ".join(str(f) for f in loaded.failures)
        names = [p.name for p, _ in loaded.programmes]
        assert programme_name in names, (
            f"the plugin registers {', '.join(names) or 'no programme'}, not {programme_name!r}")
        for declaration in loaded.declarations:
            assert locality in declaration.values or policy_files, (
                f"a parameter declaration of {module} has no values for locality {locality!r} and no policy file "
                f"is given: declares {', '.join(s.name for s in declaration.schemas)}")

    def test_programme_declarations(self, engine: Engine, programme: Programme) -> None:
        """Name, titles, statuses, ordering, parameters and rules are declared with the right types."""
        p, problems = programme, []
        if not p.title_zh or not p.title_en:
            problems.append("title_zh and title_en must both be set (explanations show them)")
        declared = set(engine.statuses.order)
        problems += [f"grants {s!r}, which no installed programme declares in its `statuses` "
                     f"(declared: {', '.join(sorted(declared)) or 'none'})" for s in p.grants if s not in declared]
        problems += [f"statuses must hold StatusDeclaration objects; got {s!r}"
                     for s in p.statuses if not isinstance(s, StatusDeclaration)]
        if p.phase not in PHASES:
            problems.append(f"phase must be one of {', '.join(PHASES)}; got {p.phase!r}")
        for attr in ("grants", "after", "after_if_present", "before", "parameters"):
            value = getattr(p, attr)
            if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
                problems.append(f"{attr} must be a tuple of str; got {value!r}")
        for key, rule in p.rules.items():
            if not isinstance(rule, Rule) or rule.id != key:
                problems.append(f"rules[{key!r}] must be a Rule whose id is {key!r}; got {rule!r}")
            elif not re.match(self.section_pattern, rule.section) or not rule.zh or not rule.en:
                problems.append(f"rule {key!r} needs a section matching {self.section_pattern!r} (its § in the "
                                "statute) and zh and en text")
        assert not problems, f"programme {p.name!r}: " + "; ".join(problems)

    def test_parameters_declared(self, engine: Engine, programme: Programme) -> None:
        """Every parameter the programme names is declared and has a value in the locality on each date."""
        schemas = engine.policy.schemas
        undeclared = [name for name in programme.parameters if name not in schemas]
        assert not undeclared, (
            f"programme {programme.name!r} reads {', '.join(undeclared)}, which no plugin (nor the core) "
            "declares; add a ParameterSchema to the plugin's declaration (assistkit_declare_parameters)")
        for day in self.parameter_dates:
            params = engine.policy.at(day)
            for name in programme.parameters:
                assert params[name] is not None, f"{name} has no value on {day.isoformat()}"

    # -- on generated households --------------------------------------------------------------------------

    def test_assesses_generated_households(self, engine: Engine, household_strategy: HouseholdStrategy,
                                           funds_strategy: FundsStrategy, assessment_date: dt.date) -> None:
        """Any valid household is assessed without error, with no negative amount, respecting exclusions."""

        def check(household: Household, funds: Sequence[Fund] | None) -> None:
            d = engine.assess(household, assessment_date, funds=funds)
            assert_no_errors(d)
            assert_never_negative(d)
            assert_mutual_exclusions(d)

        self.for_all_households(household_strategy, funds_strategy, check)

    def test_never_overpays_a_need(self, engine: Engine, programme: Programme,
                                   household_strategy: HouseholdStrategy, funds_strategy: FundsStrategy,
                                   assessment_date: dt.date) -> None:
        """No need receives more than it is, counting payments that do not name it (§14.2)."""

        def check(household: Household, funds: Sequence[Fund] | None) -> None:
            d = engine.assess(household, assessment_date, funds=funds)
            assert_needs_conserved(d)
            assert_never_overpays(d, [programme.name])

        self.for_all_households(household_strategy, funds_strategy, check)

    def test_deterministic(self, engine: Engine, household_strategy: HouseholdStrategy,
                           funds_strategy: FundsStrategy, assessment_date: dt.date) -> None:
        """Assessing twice gives identical JSON and explanations."""

        def check(household: Household, funds: Sequence[Fund] | None) -> None:
            assert_deterministic(engine, household, assessment_date, funds=funds)

        self.for_all_households(household_strategy, funds_strategy, check)

    def test_independent_of_record_order(self, engine: Engine, household_strategy: HouseholdStrategy,
                                         funds_strategy: FundsStrategy, assessment_date: dt.date) -> None:
        """Reordering members and records changes no amount or status."""

        def check(household: Household, funds: Sequence[Fund] | None) -> None:
            assert_permutation_invariant(engine, household, assessment_date, funds=funds)

        self.for_all_households(household_strategy, funds_strategy, check)

    def test_reasons_when_eligible(self, engine: Engine, programme: Programme,
                                   household_strategy: HouseholdStrategy, funds_strategy: FundsStrategy,
                                   assessment_date: dt.date) -> None:
        """Whenever the programme is eligible it says why (output-format.md)."""

        def check(household: Household, funds: Sequence[Fund] | None) -> None:
            d = engine.assess(household, assessment_date, funds=funds)
            assert_reasons_when_eligible(d, [programme.name])

        self.for_all_households(household_strategy, funds_strategy, check)

    def test_reasons_when_not_eligible(self, engine: Engine, programme: Programme,
                                       household_strategy: HouseholdStrategy, funds_strategy: FundsStrategy,
                                       assessment_date: dt.date) -> None:
        """Whenever the programme is not eligible it says why: the first condition that failed ("why zero")."""

        def check(household: Household, funds: Sequence[Fund] | None) -> None:
            d = engine.assess(household, assessment_date, funds=funds)
            assert_reasons_when_not_eligible(d, [programme.name])

        self.for_all_households(household_strategy, funds_strategy, check)

    def test_rules_cover_reasons(self, engine: Engine, programme: Programme,
                                 household_strategy: HouseholdStrategy, funds_strategy: FundsStrategy,
                                 assessment_date: dt.date) -> None:
        """Every rule id the programme cites (reasons, payments, monthly parts) is in ``programme.rules`` or
        the core's rules."""
        known = set(programme.rules) | _core_rule_ids()

        def check(household: Household, funds: Sequence[Fund] | None) -> None:
            result = engine.assess(household, assessment_date, funds=funds).programme(programme.name)
            cited = [r.rule for r in result.reasons] + [p.rule for p in result.payments if p.rule]
            cited += [rule for _, _, rule in result.monthly_parts if rule]
            unknown = sorted({rule for rule in cited if rule not in known})
            assert not unknown, (
                f"household {household.id}: {programme.name} cites {', '.join(unknown)}, missing from "
                f"{type(programme).__name__}.rules; add a Rule(id, '§…', zh, en) for each")

        self.for_all_households(household_strategy, funds_strategy, check)

    def test_explanations_render(self, engine: Engine, programme: Programme,
                                 household_strategy: HouseholdStrategy, funds_strategy: FundsStrategy,
                                 assessment_date: dt.date) -> None:
        """The explanation renders in zh and en, and each reason fills its rule's templates."""

        def check(household: Household, funds: Sequence[Fund] | None) -> None:
            d = engine.assess(household, assessment_date, funds=funds)
            assert_explanations_render(d, [programme.name])

        self.for_all_households(household_strategy, funds_strategy, check)

    def test_monthly_monotone_in_income(self, engine: Engine, programme: Programme,
                                        household_strategy: HouseholdStrategy, funds_strategy: FundsStrategy,
                                        assessment_date: dt.date, monotone_exceptions: Collection[str]
                                        ) -> None:
        """The programme's monthly amount never rises when counted income rises (``monotone_exceptions``
        names the statutory cliffs that excuse a rise; see ``assert_monotone_in_income``)."""

        def check(household: Household, funds: Sequence[Fund] | None) -> None:
            assert_monotone_in_income(engine, household, assessment_date, programme.name,
                                      exceptions=monotone_exceptions, funds=funds)

        self.for_all_households(household_strategy, funds_strategy, check)


    def test_reads_only_what_it_declares(self, engine: Engine, programme: Programme,
                                         household_strategy: HouseholdStrategy, funds_strategy: FundsStrategy,
                                         assessment_date: dt.date) -> None:
        """Data minimisation: a programme that declares ``reads`` reads no other fact of the household (what it
        reads through ``ctx``'s helpers, such as the income accounting, counts as its own). Skipped when the
        programme declares nothing (``reads = None``)."""
        if programme.reads is None:
            pytest.skip(f"programme {programme.name!r} does not declare `reads`")

        def check(household: Household, funds: Sequence[Fund] | None) -> None:
            undeclared = undeclared_reads(engine, household, assessment_date, funds=funds)[programme.name]
            assert not undeclared, (
                f"household {household.id}: {programme.name} read {', '.join(undeclared)}, which "
                f"{type(programme).__name__}.reads does not declare; declare each (`assistkit plugins --reads` "
                "shows the declarations) or stop reading it")

        self.for_all_households(household_strategy, funds_strategy, check)


class WorkedExamples:
    """Worked examples (``spec/examples`` format) for the programmes a plugin owns; subclass as ``Test…``.

    Set the class attributes and override the ``engine`` fixture::

        class TestMedicalExamples(WorkedExamples):
            examples_dir = Path(__file__).parents[3] / "tests" / "examples"
            owned = ("medical",)
            later = ("temporary", "donations")   # programmes the engine leaves out that pay toward needs

            @pytest.fixture(scope="class")
            @classmethod
            def engine(cls):
                return Engine(plugins=[assistkit_basic_living.hooks, assistkit_medical.hooks])

    Each example becomes one test: the owned programmes and the ``needs`` (less what ``later`` paid, see
    :func:`~assistkit.testing.examples.needs_before`) must equal the expected output, every eligible owned
    programme must give a reason, and every payment must cite a known rule.
    """

    examples_dir: ClassVar[str | Path | None] = None
    owned: ClassVar[tuple[str, ...]] = ()
    later: ClassVar[tuple[str, ...]] = ()

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "example" in metafunc.fixturenames:
            if self.examples_dir is None:
                raise NotImplementedError(f"{type(self).__name__}.examples_dir: set it to the examples' folder")
            found = load_examples(self.examples_dir)
            metafunc.parametrize("example", found, ids=[ex.name for ex in found])

    @pytest.fixture(scope="class")
    @classmethod
    def engine(cls) -> Engine:
        raise NotImplementedError("return the Engine that assesses the examples (your plugin and what it needs)")

    def test_example(self, engine: Engine, example: Example) -> None:
        if not self.owned:
            raise NotImplementedError(f"{type(self).__name__}.owned: name the programmes your plugin registers")
        d = engine.assess(structure_household(example.household), example.on)
        assert not d.errors, d.errors
        diffs = owned_differences(d, example, self.owned, before=self.later or None)
        assert not diffs, f"{example.name}: " + "\n".join(diffs)
