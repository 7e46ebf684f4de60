"""A stand-in for basic living, for testing a special-assistance programme with the statuses a test names.

Medical, education, housing and temporary relief (§9–§12) depend on the statuses basic living grants
(tekun, dibao, marginal, expenditure hardship). Earning a status means building the income and assets that
pass a means test; a test of §10 would rather just say "this household holds dibao". :func:`status_stub` is a
plugin object that registers three programmes in place of basic living's:

- ``tekun`` (:class:`StubStatuses`), which grants exactly the statuses the test names, given as a mapping from
  holder to status names: key ``"household"`` for household statuses, a member id for that person's;
- ``dibao`` and ``low_income`` (:class:`StubDibao`, :class:`StubLowIncome`), which do nothing, so programmes
  that come ``after`` them can be installed.

Use it in place of the basic-living plugin::

    from assistkit.engine import Engine
    from assistkit.testing.stubs import status_stub
    import assistkit_education.hooks

    engine = Engine(plugins=[status_stub({"household": ["dibao"]}), assistkit_education.hooks])

or assess household JSON (household-format.md) in one call with :func:`assess_with_statuses`. Further stand-in
programmes (for instance one that pays toward needs in place of medical assistance) go in ``extra``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

from .. import hookimpl, io
from ..determination import Determination
from ..engine import Engine
from ..household import Status
from ..linkage import StatusDeclaration
from ..programme import Context, Programme, Rule

__all__ = [
    "StatusStub",
    "Statuses",
    "StubDibao",
    "StubLowIncome",
    "StubStatuses",
    "assess_with_statuses",
    "status_stub",
]

Statuses: TypeAlias = Mapping[str, Sequence[str]]
"""Holder → status names: ``{"household": ["dibao"], "P2": ["tekun"]}``."""


class StubStatuses(Programme):
    """Stands in for ``tekun``: grants the statuses the test names (key ``household`` for the household)."""

    name = "tekun"
    grants = tuple(status.value for status in Status)
    # In the person-status order of the format's statuses; no exclusions: the test says who holds what.
    statuses = tuple(StatusDeclaration(status.value, status.value, status.value, rank=i)
                     for i, status in enumerate(Status))
    rules = {"stub.status": Rule("stub.status", "§0", "测试身份", "status given by the test")}

    def __init__(self, statuses: Statuses) -> None:
        self._statuses = statuses

    def assess(self, ctx: Context) -> None:
        for holder, names in self._statuses.items():
            for status in names:
                ctx.grant(status, None if holder == "household" else holder)


class _Nothing(Programme):
    def assess(self, ctx: Context) -> None:
        return None


class StubDibao(_Nothing):
    """Stands in for ``dibao`` and decides nothing (the statuses come from :class:`StubStatuses`)."""

    name = "dibao"


class StubLowIncome(_Nothing):
    """Stands in for ``low_income`` and decides nothing."""

    name = "low_income"


class StatusStub:
    """The plugin object :func:`status_stub` returns: registers the stand-ins, then ``extra`` programmes."""

    def __init__(self, statuses: Statuses, extra: Sequence[Programme] = ()) -> None:
        self.statuses = statuses
        self.extra = tuple(extra)

    @hookimpl
    def assistkit_register_programmes(self) -> list[Programme]:
        return [StubStatuses(self.statuses), StubDibao(), StubLowIncome(), *self.extra]


def status_stub(statuses: Statuses, *, extra: Sequence[Programme] = ()) -> StatusStub:
    """A plugin (for ``Engine(plugins=[…])``) in place of basic living: its statuses are exactly ``statuses``.

    ``extra`` are further programmes it registers after the stand-ins (other stand-ins, say).
    """
    return StatusStub(statuses, extra)


def assess_with_statuses(data: Mapping[str, Any], on: str | dt.date, statuses: Statuses | None = None, *,
                         plugins: Sequence[object] = (), extra: Sequence[Programme] = ()
                         ) -> tuple[Determination, dict[str, Any]]:
    """Assess household JSON ``data`` on ``on`` (a date or ``YYYY-MM-DD``) with ``plugins`` after
    :func:`status_stub` ``(statuses, extra=extra)``: (determination, its JSON).

    Raises ``AssertionError`` listing the programme errors when a programme failed.
    """
    day = on if isinstance(on, dt.date) else dt.date.fromisoformat(on)
    engine = Engine(plugins=[status_stub(statuses or {}, extra=extra), *plugins])
    d = engine.assess(io.structure_household(data), day)
    if d.errors:
        raise AssertionError(d.errors)
    return d, d.to_json()
