"""The engine's side of a :class:`~assistkit.programme.Context`: each programme's turn, committed or rolled back.

A programme records what it decides through the context's public methods (``grant``, ``pay``, ``add_monthly``,
``reason`` …). The engine hands one :class:`Recorder` (a context) to every programme of a household in turn
(:meth:`Recorder.run`): after each, the programme's record becomes its :class:`ProgrammeResult` and its grants
become visible to the programmes after it; when it raises, what it paid toward needs is undone and what it
recorded forgotten, so the programmes after it see the household as if it had not run.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

from ..explain import _new
from ..money import ZERO
from ..programme import _NOTHING, Context, Programme, ProgrammeError, ProgrammeResult
from ._supervise import is_stop

if TYPE_CHECKING:
    from ._plugins import LoadedPlugin

__all__ = ["ExclusionError", "Recorder", "Step", "empty_result", "failed_result"]

Step = tuple[Programme, str, ProgrammeResult]
"""A programme, its name, and the result it has when it records nothing (made once per engine)."""


class ExclusionError(Exception):
    """A programme tried to grant a status that a mutual exclusion (§14.4) forbids."""


def empty_result(name: str) -> ProgrammeResult:
    """The result of a programme that recorded nothing; made once per engine and shared by every determination
    (a result is immutable)."""
    return ProgrammeResult(name, False, ZERO, _NOTHING, ZERO, (), (), (), (), _NOTHING, None, ())


def failed_result(name: str, error: ProgrammeError) -> ProgrammeResult:
    """The result of a programme that raised, or was not assessed because one it comes after failed."""
    return ProgrammeResult(name, False, ZERO, {}, ZERO, (), (), error=error)


class Recorder(Context):
    """The context of one household's assessment, with the engine's protocol: :meth:`run`, which commits or rolls back
    each programme's turn.

    Programmes see it as a :class:`~assistkit.programme.Context`; only the engine calls the methods below.
    """

    __slots__ = ()

    def run(self, steps: Sequence[Step], plugin_of: Mapping[str, LoadedPlugin],
            dependents: Mapping[str, Collection[str]]) -> tuple[list[ProgrammeResult], list[ProgrammeError]]:
        """Let each programme of ``steps`` (in linkage order) assess the household, and return the results, one per
        programme, and the errors.

        A programme that raises (or whose grants a mutual exclusion forbids, §14.4) is isolated: its payments
        toward needs are undone, its record forgotten, and it and every programme that comes after it report an
        error naming the plugin; the others complete. "Raises" is any ``BaseException`` — ``SystemExit``, its
        own ``KeyboardInterrupt``, a time limit (:mod:`._supervise`) — except the user's interrupt, which stops.
        """
        results: list[ProgrammeResult] = []
        errors: list[ProgrammeError] = []
        skipped: dict[str, str] = {}
        needs = self.needs
        paying = bool(needs.needs)  # without needs nothing is ever paid: no mark to roll back to
        for programme, name, empty in steps:
            if skipped and name in skipped:
                error = ProgrammeError(name, plugin_of[name].name,
                                       f"not assessed: it comes after {skipped[name]!r}, which failed")
                errors.append(error)
                results.append(failed_result(name, error))
                continue
            self._name = name
            if paying:
                needs.begin()
            try:
                programme.assess(self)
                result = self._commit() if self._recorded else empty
            except BaseException as exc:  # noqa: BLE001 - isolate the failing programme (the engine's contract)
                if is_stop(exc):
                    raise
                plugin = plugin_of[name].name
                error = ProgrammeError(name, plugin, f"programme {name!r} of plugin {plugin!r} raised "
                                       f"{type(exc).__name__}: {exc}", type(exc).__name__)
                errors.append(error)
                result = self._rollback(error)
                for dependent in dependents[name]:
                    skipped.setdefault(dependent, name)
            results.append(result)
        return results, errors

    def _commit(self) -> ProgrammeResult:
        """The programme's record as its result, its grants now visible to later programmes; the accumulators
        that hold something are replaced by empty ones for the next programme. Raises :class:`ExclusionError`
        when the grants would give a person two statuses that exclude each other (§14.4)."""
        grants = self._grants
        if grants:
            broken = self.statuses.violations(grants)
            if broken:
                member, a, b, section = broken[0]
                raise ExclusionError(f"{section}: person {member} would hold both {a} and {b}")
            self.statuses.grant_all(grants)
            self._grants = ()
        monthly = self._monthly
        parts = self._monthly_parts
        total = ZERO
        if monthly:
            total = sum(monthly.values(), ZERO)
            self._monthly = _NOTHING
            self._monthly_parts = ()
        payments = self._payments
        one_off = ZERO
        if payments:
            one_off = sum([p.amount for p in payments], ZERO)
            self._payments = ()
        in_kind = self._in_kind
        if in_kind:
            self._in_kind = ()
        reasons = self._reasons
        if reasons:
            self._reasons = []
        extras = self._extras
        if extras:
            self._extras = _NOTHING
        self._recorded = False
        return _new(ProgrammeResult, (
            self._name,
            bool(grants or payments or in_kind or total),
            total,
            monthly,
            one_off,
            payments,
            tuple(reasons),
            in_kind,
            grants,
            extras,
            None,
            parts,
        ))

    def _rollback(self, error: ProgrammeError) -> ProgrammeResult:
        """Undo the failed programme's payments toward needs, forget its record, and return its failed result."""
        if self.needs.needs:
            self.needs.rollback()
        self._recorded = False
        self._reasons = []
        self._monthly = _NOTHING
        self._monthly_parts = ()
        self._payments = ()
        self._in_kind = ()
        self._grants = ()
        self._extras = _NOTHING
        return failed_result(self._name, error)
