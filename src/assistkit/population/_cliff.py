"""Benefit cliffs: total monthly assistance as one member's monthly wage varies.

For each wage from 0 to a maximum in steps, the member's wage records in the income window are replaced by one
wage record covering the window at that monthly amount (none at 0), and the household is assessed. A **cliff**
is a step where total monthly assistance falls by more than the wage rose: earning more leaves the household
with less (wage + assistance).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
from attrs import frozen

from ..errors import AssistkitError
from ..household import Household, Income, IncomeCategory
from ..money import ZERO, format_money, parse_money
from ..periods import income_window

__all__ = ["Cliff", "CliffPoint", "CliffResult", "cliff", "plot", "require_matplotlib", "with_wage"]


@frozen
class CliffPoint:
    """The outcome at one monthly wage: total monthly assistance, per programme, one-off total, statuses."""

    wage: Decimal
    total: Decimal
    by_programme: Mapping[str, Decimal]
    one_off: Decimal
    statuses: tuple[str, ...]

    @property
    def net(self) -> Decimal:
        """Wage plus monthly assistance."""
        return self.wage + self.total


@frozen
class Cliff:
    """Between two wages, total monthly assistance fell by ``drop`` — more than the wage rose."""

    wage_from: Decimal
    wage_to: Decimal
    total_from: Decimal
    total_to: Decimal

    @property
    def drop(self) -> Decimal:
        return self.total_from - self.total_to

    @property
    def net_loss(self) -> Decimal:
        """How much less the household has (wage + assistance) after the step."""
        return self.drop - (self.wage_to - self.wage_from)


@frozen
class CliffResult:
    household: str
    member: str
    on: dt.date
    programmes: tuple[str, ...]
    points: tuple[CliffPoint, ...]
    cliffs: tuple[Cliff, ...]

    def table(self) -> str:
        """A text table: wage, each recurring programme's monthly amount, total, net, one-off; then the
        cliffs."""
        names = [n for n in self.programmes if any(p.by_programme.get(n, ZERO) for p in self.points)]
        head = ["wage", *names, "total", "wage+total", "one-off", "statuses"]
        rows = [
            [
                format_money(p.wage),
                *(format_money(p.by_programme.get(n, ZERO)) for n in names),
                format_money(p.total),
                format_money(p.net),
                format_money(p.one_off),
                ",".join(p.statuses) or "-",
            ]
            for p in self.points
        ]
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
        lines = [
            f"household {self.household}, member {self.member}, on {self.on.isoformat()}: monthly wage → "
            "monthly assistance",
            "  ".join(
                h.rjust(w) if i < len(head) - 1 else h
                for i, (h, w) in enumerate(zip(head, widths, strict=True))
            ),
        ]
        for r in rows:
            lines.append(
                "  ".join(
                    c.rjust(w) if i < len(r) - 1 else c
                    for i, (c, w) in enumerate(zip(r, widths, strict=True))
                )
            )
        if self.cliffs:
            lines.append("cliffs (assistance falls by more than the wage rises):")
            for c in self.cliffs:
                lines.append(
                    f"  wage {format_money(c.wage_from)} → {format_money(c.wage_to)}: assistance "
                    f"{format_money(c.total_from)} → {format_money(c.total_to)} (−{format_money(c.drop)}; "
                    f"the household has {format_money(c.net_loss)} less)"
                )
        else:
            lines.append("no cliffs: assistance never falls by more than the wage rises")
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {
            "household": self.household,
            "member": self.member,
            "on": self.on.isoformat(),
            "points": [
                {
                    "wage": format_money(p.wage),
                    "total": format_money(p.total),
                    "net": format_money(p.net),
                    "one_off": format_money(p.one_off),
                    "statuses": list(p.statuses),
                    "programmes": {k: format_money(v) for k, v in p.by_programme.items()},
                }
                for p in self.points
            ],
            "cliffs": [
                {
                    "wage_from": format_money(c.wage_from),
                    "wage_to": format_money(c.wage_to),
                    "total_from": format_money(c.total_from),
                    "total_to": format_money(c.total_to),
                    "drop": format_money(c.drop),
                }
                for c in self.cliffs
            ],
        }


def with_wage(
    household: Household, member: str, monthly: Decimal, on: dt.date, window_months: int
) -> Household:
    """``household`` with ``member``'s wage records that touch the income window replaced by one wage record
    of ``monthly`` a month over the whole window (§1.3); no record when ``monthly`` is 0."""
    first, last = income_window(on, window_months)
    kept = [
        inc
        for inc in household.incomes
        if not (
            inc.category is IncomeCategory.WAGE
            and inc.member == member
            and inc.first <= last
            and inc.last >= first
        )
    ]
    if monthly > 0:
        kept.append(
            Income(IncomeCategory.WAGE, member=member, amount=monthly * window_months, from_=first, to=last)
        )
    # mypy's attrs plugin misreads the field's `converter=tuple`.
    return attrs.evolve(household, incomes=tuple(kept))  # type: ignore[arg-type]


def cliff(
    engine: Any,
    household: Household,
    on: dt.date,
    member: str,
    max_income: Decimal | int | str,
    step: Decimal | int | str = 50,
) -> CliffResult:
    """Assess ``household`` with ``member`` earning 0, step, 2·step, … up to ``max_income`` a month."""
    top, stride = parse_money(max_income), parse_money(step)
    if stride <= 0:
        raise AssistkitError(f"the wage step must be > 0; got {format_money(stride)}")
    try:
        household.member(member)
    except KeyError:
        known = ", ".join(p.id for p in household.members)
        raise AssistkitError(
            f"household {household.id} has no member {member!r}; its members are {known}"
        ) from None
    window = int(engine.policy.at(on)["income.window_months"])
    programmes = tuple(p.name for p in engine.programmes)
    points: list[CliffPoint] = []
    wage = ZERO
    while wage <= top:
        d = engine.assess(with_wage(household, member, wage, on, window), on)
        held = set(d.household_statuses)
        for statuses in d.member_statuses.values():
            held.update(statuses)
        points.append(
            CliffPoint(
                wage,
                d.monthly_total,
                {r.name: r.monthly for r in d.programmes if r.monthly},
                d.one_off_total,
                tuple(sorted(held)),
            )
        )
        wage += stride
    cliffs = tuple(
        Cliff(a.wage, b.wage, a.total, b.total)
        for a, b in zip(points, points[1:], strict=False)
        if a.total - b.total > b.wage - a.wage
    )
    return CliffResult(household.id, member, on, programmes, tuple(points), cliffs)


def plot(result: CliffResult, path: Any) -> None:
    """Write a PNG chart of ``result`` (needs matplotlib: the ``plot`` extra)."""
    plt = require_matplotlib()
    wages = [float(p.wage) for p in result.points]
    fig, ax = plt.subplots(figsize=(9, 5))
    names = [n for n in result.programmes if any(p.by_programme.get(n, ZERO) for p in result.points)]
    if names:
        ax.stackplot(
            wages,
            *[[float(p.by_programme.get(n, ZERO)) for p in result.points] for n in names],
            labels=names,
            alpha=0.6,
        )
    ax.plot(wages, [float(p.net) for p in result.points], color="black", label="wage + assistance")
    for c in result.cliffs:
        ax.axvline(float(c.wage_to), color="red", linestyle=":", linewidth=1)
    ax.set_xlabel(f"monthly wage of {result.member} (yuan)")
    ax.set_ylabel("yuan a month")
    ax.set_title(f"household {result.household} on {result.on.isoformat()}")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def require_matplotlib() -> Any:
    """``matplotlib.pyplot`` (non-interactive backend), or an :class:`AssistkitError` saying how to install
    it."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise AssistkitError(
            "charts need matplotlib, which is not installed; install the extra: pip install 'assistkit[plot]'"
        ) from None
    return plt
