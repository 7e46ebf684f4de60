"""The engine: programmes from plugins, a policy, and ``assess`` — one household, or a stream of them.

An :class:`Engine` is built once (plugins loaded, programmes ordered, policy loaded) and is then immutable and
safe to share between threads. ``assess`` resolves the parameters for the date once per (policy, date), builds
one :class:`~assistkit.programme.Context` and calls each programme's ``assess`` directly, in linkage order.
A programme that raises is isolated: its partial payments are undone, it and the programmes that come after it
report an error entry naming the plugin, and the others complete.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from .. import io, means, review, warning
from .._fastinit import maker
from ..declared import Declared
from ..determination import Determination
from ..errors import InvalidHousehold, PolicyError
from ..explain import Reason, Rule
from ..household import Fund, Household
from ..linkage import StatusRules
from ..policy import Policy, declarations_without_values, is_locality_file, load_policy
from ..programme import Programme, ProgrammeError, ProgrammeResult
from ..provenance import Provenance, provenance_of
from ..vocabulary import CORE as CORE_VOCABULARY
from ..vocabulary import Vocabulary
from ._order import dependents, order_programmes
from ._plugins import LoadedPlugin, Override, PluginFailure, Replacement, load_plugins, plugin_label
from ._recorder import Recorder, Step, empty_result
from ._supervise import is_stop

__all__ = ["CORE_RULES", "Engine"]

CORE_RULES: Mapping[str, Rule] = {
    r.id: r
    for r in (
        Rule("linkage.clamped", "§14.2",
             "{kind} 申请支付 {requested} 元用于 {need}，仅剩 {paid} 元可付（不重复救助）",
             "{kind} asked to pay {requested} yuan toward {need}; only {paid} yuan remained (no duplicate assistance)"),
        Rule("linkage.needs", "§14.0", "需求 {need}：{amount} 元", "need {need}: {amount} yuan"),
        Rule("rule.override", "§0", "本地规则 {rule} 已由插件 {plugin} 替换：{note_zh}",
             "local rule: {rule} replaced by plugin {plugin}: {note_en}"),
        Rule("totals", "§14", "合计", "totals"),
    )
}


class Engine:
    """Assess households with the programmes of the given plugins (default: every installed entry point).

    ``only`` keeps just the named programmes (e.g. the programmes a worked example states); ``policy`` replaces
    the policy built from ``locality`` and ``policy_files``. ``locality`` is a bundled locality or the path of a
    locality file; ``localities`` are further localities the engine assesses: each household is assessed under
    the policy of its own ``locality`` field, and a household naming a locality the engine was not built for is
    an :class:`~assistkit.InvalidHousehold`.

    >>> engine = Engine()                                   # doctest: +SKIP
    >>> determination = engine.assess(household, on=date(2025, 7, 15))   # doctest: +SKIP
    """

    def __init__(
        self,
        plugins: Sequence[object] | None = None,
        *,
        locality: str | os.PathLike[str] = "demo-city",
        policy_files: Sequence[Any] = (),
        policy: Policy | None = None,
        only: Iterable[str] | None = None,
        localities: Sequence[str | os.PathLike[str]] = (),
    ) -> None:
        loaded = load_plugins(plugins)
        self._manager = loaded.manager
        failures = list(loaded.failures)
        # Each locality's plugins: a plugin none of whose parameters gets a value for a locality (its chain and
        # policy files) is left out for that locality and reported, so that every other plugin still works.
        wanted_localities: list[tuple[str | os.PathLike[str], Sequence[Any]]] = [(locality, policy_files)]
        wanted_localities += [(other, ()) for other in localities]
        lacking_in: list[dict[int, LoadedPlugin]] = []
        for i, (name, files) in enumerate(wanted_localities):
            if i == 0 and policy is not None:
                lacking_in.append({})
                continue
            unvalued = declarations_without_values(name, files, [d for d, _ in loaded.declared_by])
            lacking = {id(info): info for decl, info in loaded.declared_by if any(decl is u for u in unvalued)}
            for info in lacking.values():
                failures.append(PluginFailure(info.name, info.distribution, info.version,
                                              f"ships no parameter values for locality {os.fspath(name)!r}; left "
                                              "out there (give its parameters in a policy file to use it)"))
            lacking_in.append(lacking)
        nowhere = set.intersection(*(set(lk) for lk in lacking_in))
        self.plugins: tuple[LoadedPlugin, ...] = tuple(p for p in loaded.loaded if id(p) not in nowhere)
        self.failures: tuple[PluginFailure, ...] = tuple(failures)
        chosen = [p for p, info in loaded.programmes if id(info) not in nowhere]
        if only is not None:
            wanted = set(only)
            chosen = [p for p in chosen if p.name in wanted]
        self.programmes: tuple[Programme, ...] = order_programmes(chosen)
        self._plugin_of = {p.name: info for p, info in loaded.programmes if id(info) not in nowhere}
        names = {p.name for p in self.programmes}
        self.overrides: tuple[Override, ...] = tuple(
            o for o in loaded.overrides if o.programme in names and id(o.by) not in nowhere)
        """The rule points replaced by plugins (hook ``assistkit_override_rules``)."""
        self.replacements: tuple[Replacement, ...] = loaded.replacements
        """The programmes that took the place of another plugin's programme of the same name."""
        self.declared = Declared(p for p, _info in loaded.programmes)
        """The format's open lists and extension facts: the core's and every installed programme's."""
        self._funds_checked: Sequence[Fund] | None = None
        self.statuses = StatusRules(d for p in self.programmes for d in p.statuses)
        """The status declarations of the programmes: person-status order, exclusions (§14.4), own units."""
        self._overrides = {
            o.rule.rule: (o.rule.function, Reason("rule.override", {
                "rule": o.rule.rule, "plugin": plugin_label(o.by), "note_zh": o.rule.note_zh or "—",
                "note_en": o.rule.note_en or "—"}))
            for o in self.overrides
        }
        rules: dict[str, Rule] = {**means.RULES, **review.RULES, **warning.RULES, **CORE_RULES}
        titles: dict[str, tuple[str, str]] = {}
        for p in self.programmes:
            rules.update(p.rules)
            titles[p.name] = (p.title_zh or p.name, p.title_en or p.name)
        self.rules: Mapping[str, Rule] = rules
        self.titles: Mapping[str, tuple[str, str]] = titles
        self._dependents = {p.name: dependents(p.name, self.programmes) for p in self.programmes}
        self._listeners = bool(self._manager.hook.assistkit_on_determination.get_hookimpls())
        objects = {getattr(o, "__name__", None) or type(o).__name__: o for o in plugins or ()}
        runs: dict[str, _Run] = {}
        for i, ((name, files), lacking) in enumerate(zip(wanted_localities, lacking_in, strict=True)):
            declarations = [decl for decl, info in loaded.declared_by if id(info) not in lacking]
            if i == 0 and policy is not None:
                built = policy
            else:
                built = load_policy(name, files, declarations)
            programmes = tuple(p for p in self.programmes if id(self._plugin_of[p.name]) not in lacking)
            # The result of a programme that records nothing, shared by every determination (it is immutable).
            steps: tuple[Step, ...] = tuple((p, p.name, empty_result(p.name)) for p in programmes)
            recurring_at = tuple(j for j, p in enumerate(programmes) if p.recurring)
            in_run = tuple(p for p in self.plugins if id(p) not in lacking)
            run = _Run(built, steps, recurring_at,
                       provenance_of(in_run, objects, built.locality, built.files, built.digests))
            if i == 0:
                self.policy: Policy = built
                self.provenance: Provenance = run.provenance
                """What produces the first locality's determinations (each locality's: its run's)."""
                self._run = run
                # A household names its locality; the first locality's base name (before an override file
                # renamed it) is the first locality's too.
                if isinstance(name, str) and not is_locality_file(name):
                    runs.setdefault(name, run)
            if built.locality in runs and runs[built.locality].policy is not built and i > 0:
                raise PolicyError(f"locality {built.locality!r} is given twice; give each locality once")
            runs[built.locality] = run
        self._runs: Mapping[str, _Run] = runs
        self.policies: Mapping[str, Policy] = {n: r.policy for n, r in runs.items()}
        """The policy of each locality this engine assesses, by the name a household gives in ``locality``."""
        # The words for codes (vocabulary.py): the core's, the installed programmes' titles, the parameters'
        # meanings.
        self.vocabulary: Vocabulary = CORE_VOCABULARY.extended({
            "programme": titles,
            "parameter": {n: (s.meaning_zh or n, s.meaning or n) for n, s in self.policy.schemas.items()},
        })

    def plugin_of(self, programme: str) -> LoadedPlugin:
        """The plugin that registered ``programme``."""
        return self._plugin_of[programme]

    # -- assessment ---------------------------------------------------------------------------------------------

    def assess(self, household: Household, on: dt.date, *, funds: Sequence[Fund] | None = None) -> Determination:
        """Assess ``household`` on ``on``. Raises :class:`~assistkit.InvalidHousehold` if a date is after ``on``,
        or a value of an open list or of the extension block is not declared (:attr:`declared`)."""
        io.check_dates(household, on)
        household = self.declared.check(household)
        if funds and funds is not self._funds_checked:
            self.declared.check_funds(funds)
            self._funds_checked = funds  # a batch passes the same funds with every household: checked once
        run = self._run_of(household)
        params = run.policy.at(on)
        ctx = Recorder(household, on, params, funds=funds, statuses=self.statuses, overrides=self._overrides)
        results, errors = ctx.run(run.steps, self._plugin_of, self._dependents)
        determination = self._determination(household, on, params, ctx, results, errors, run)
        if self._listeners:
            determination = self._notify(determination)
        return determination

    def _run_of(self, household: Household) -> _Run:
        """The policy and programmes of the household's ``locality``; a locality this engine was not built
        for is an :class:`~assistkit.InvalidHousehold` naming it and the localities it knows."""
        run = self._runs.get(household.locality)
        if run is None:
            known = ", ".join(repr(n) for n in self._runs)
            raise InvalidHousehold(household.id, [(
                "locality",
                f"this engine assesses the localities {known}, not {household.locality!r}; build it for that "
                "locality too (Engine(localities=[…]), or --also LOCALITY on the command line), or correct the "
                "household's locality (absent means \"demo-city\")",
            )])
        return run

    def _determination(self, household: Household, on: dt.date, params: Any, ctx: Recorder,
                       results: list[ProgrammeResult], errors: list[ProgrammeError], run: _Run) -> Determination:
        statuses = ctx.statuses
        held = statuses.members
        member_statuses = {
            p.id: tuple(sorted(held[p.id])) for p in household.members if held.get(p.id)
        } if held else {}
        next_date = review_reason = None
        if statuses.household or member_statuses:
            # §15.1 over the dibao unit: the members who hold no status of their own unit (§2.4).
            own = self.statuses.own_unit
            unit = [p for p in household.members if own.isdisjoint(held.get(p.id, ()))]
            next_date, review_reason = review.review_of(household, params, unit, ctx.able_to_work)
        return _determination(
            household.id,
            on,
            run.policy.locality,
            ctx.income_report if ctx.income_report is not None else ctx.income(ctx.member_ids),
            tuple(sorted(statuses.household)) if statuses.household else (),
            member_statuses,
            tuple(results),
            ctx.needs.states(),
            next_date,
            self._actions(household, results, run.recurring_at),
            tuple(errors),
            review_reason,
            params,
            self.rules,
            self.titles,
            self.vocabulary,
            warning.income_warnings(household, params) if household.incomes else (),
            run.provenance,
            self.statuses,
        )

    def _actions(self, household: Household, results: list[ProgrammeResult],
                 recurring_at: tuple[int, ...]) -> tuple[review.Action, ...]:
        """§15.2 for each recurring programme that determined an amount or in which the household is enrolled."""
        actions: list[review.Action] = []
        enrolled = {e.programme for e in household.enrolments} if household.enrolments else ()
        for i in recurring_at:
            r = results[i]
            if r.error is None and (r.monthly_by_member or r.name in enrolled):
                actions.extend(review.actions_for(r.name, household, r.monthly_by_member))
        return tuple(actions)

    def _notify(self, determination: Determination) -> Determination:
        try:
            self._manager.hook.assistkit_on_determination(determination=determination)
        except BaseException as exc:  # noqa: BLE001 - a listener never changes an amount
            if is_stop(exc):
                raise
            err = ProgrammeError("-", "assistkit_on_determination", f"listener raised {type(exc).__name__}: {exc}",
                                 type(exc).__name__)
            determination = attrs.evolve(determination, errors=(*determination.errors, err))
        return determination

    def assess_many(
        self, items: Iterable[Household | Mapping[str, Any] | io.Parsed | io.Rejected], on: dt.date,
        *, funds: Sequence[Fund] | None = None,
    ) -> Iterator[Determination | io.Rejected]:
        """Assess a stream, one result per input, in order: a determination, or a rejection (§17).

        Items may be households, JSON-like dicts, or the records of :func:`assistkit.io.read_jsonl`. A bad
        record becomes an :class:`~assistkit.io.Rejected` and the stream goes on.
        """
        for index, item in enumerate(items, 1):
            line = index
            try:
                if isinstance(item, io.Rejected):
                    yield item
                    continue
                if isinstance(item, io.Parsed):
                    line, household = item.line, item.household
                elif isinstance(item, Household):
                    household = item
                else:
                    household = io.structure_household(item)
                yield self.assess(household, on, funds=funds)
            except InvalidHousehold as exc:
                yield io.Rejected(line, exc.household, exc.problems)


@attrs.frozen
class _Run:
    """One locality of an engine: its policy, its programmes' steps, and which of them recur (§15.2)."""

    policy: Policy
    steps: tuple[Step, ...]
    recurring_at: tuple[int, ...]
    provenance: Provenance
    """What produces this locality's determinations: engine and plugin versions, locality, policy digests."""



_determination = maker(Determination)
"""``Determination(*fields)``, cheaper (a determination per household)."""
