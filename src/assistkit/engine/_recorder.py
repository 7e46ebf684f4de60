"""The engine's side of a :class:`~assistkit.programme.Context`: one programme's turn, and its commit or rollback.

A programme records what it decides through the context's public methods (``grant``, ``pay``, ``add_monthly``,
``reason`` …). For each programme in turn the engine asks the :class:`Recorder` (the context it hands to every
programme) to :meth:`~Recorder.run` it: the programme's record becomes a :class:`ProgrammeResult`, its grants
visible to the programmes after it. When a programme raises, :meth:`~Recorder.rollback` undoes what it paid
toward needs and forgets what it recorded, so the programmes after it see the household as if it had not run.
"""

from __future__ import annotations

from ..explain import _new
from ..money import ZERO
from ..programme import _NOTHING, Context, Programme, ProgrammeError, ProgrammeResult

__all__ = ["ExclusionError", "Recorder", "empty_result", "failed_result"]


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
    """The context of one household's assessment, with the engine's protocol: :meth:`run` and :meth:`rollback`.

    Programmes see it as a :class:`~assistkit.programme.Context`; only the engine calls the methods below.
    """

    __slots__ = ()

    def run(self, programme: Programme, name: str, empty: ProgrammeResult) -> ProgrammeResult:
        """Let ``programme`` (named ``name``) assess the household and return its result: ``empty`` when it
        recorded nothing. Raises what the programme raises, or :class:`ExclusionError` (§14.4)."""
        self._name = name
        needs = self.needs
        if needs.needs:  # without needs nothing is ever paid: no mark to roll back to
            needs.begin()
        programme.assess(self)
        if not self._recorded:
            return empty
        grants = self._grants
        if grants:
            broken = self.statuses.violations(grants)
            if broken:
                member, a, b, section = broken[0]
                raise ExclusionError(f"{section}: person {member} would hold both {a} and {b}")
        return self._commit()

    def _commit(self) -> ProgrammeResult:
        """The programme's record as its result, its grants now visible to later programmes; the accumulators
        that hold something are replaced by empty ones for the next programme."""
        grants = self._grants
        if grants:
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

    def rollback(self, error: ProgrammeError) -> ProgrammeResult:
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
