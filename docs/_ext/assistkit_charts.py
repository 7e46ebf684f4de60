"""Charts built into the docs from the examples, as inline SVG (no plotting library, no image files to keep).

- :func:`cliff_svg`: the benefit curve of a spec example — each recurring programme's monthly amount, the total
  assistance, and wage + assistance — as one member's monthly wage rises (:func:`assistkit.population.cliff`).
- :func:`compare_svg`: a reform comparison over a Demo City population — the change in monthly cost per
  programme (:func:`assistkit.population.compare`).

Both are computed when the docs are built, so a change in the rules shows in the charts.
"""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal
from typing import Any

__all__ = ["chart", "cliff_svg", "compare_svg"]

_W, _H = 760, 380
_LEFT, _RIGHT, _TOP, _BOTTOM = 70, 190, 40, 50
_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")


def _nice(top: float) -> float:
    """A round axis maximum at or above ``top``."""
    if top <= 0:
        return 1.0
    step = 10 ** (len(str(int(top))) - 1)
    for mult in (1, 2, 2.5, 5, 10):
        if top <= mult * step:
            return float(mult * step)
    return float(10 * step)


def _svg(body: list[str], title: str, width: int = _W, height: int = _H) -> str:
    e = html.escape
    return "\n".join([
        f'<svg class="assistkit-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{e(title)}" '
        'font-family="sans-serif" font-size="12">',
        f"<title>{e(title)}</title>",
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">{e(title)}</text>',
        *body,
        "</svg>",
    ])


def _axes(x_max: float, y_max: float, x_label: str, y_label: str) -> tuple[list[str], Any, Any]:
    plot_w, plot_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM

    def x(v: float) -> float:
        return round(_LEFT + plot_w * v / x_max, 1)

    def y(v: float) -> float:
        return round(_TOP + plot_h * (1 - v / y_max), 1)

    out = [f'<rect x="{_LEFT}" y="{_TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999"/>']
    for i in range(6):
        xv, yv = x_max * i / 5, y_max * i / 5
        out.append(f'<line x1="{x(xv)}" y1="{_TOP + plot_h}" x2="{x(xv)}" y2="{_TOP + plot_h + 4}" stroke="#999"/>')
        out.append(f'<text x="{x(xv)}" y="{_TOP + plot_h + 17}" text-anchor="middle">{xv:,.0f}</text>')
        out.append(f'<line x1="{_LEFT}" y1="{y(yv)}" x2="{_LEFT + plot_w}" y2="{y(yv)}" stroke="#eee"/>')
        out.append(f'<text x="{_LEFT - 6}" y="{y(yv) + 4}" text-anchor="end">{yv:,.0f}</text>')
    out.append(f'<text x="{_LEFT + plot_w / 2}" y="{_H - 10}" text-anchor="middle">{html.escape(x_label)}</text>')
    out.append(f'<text transform="translate(16 {_TOP + plot_h / 2}) rotate(-90)" text-anchor="middle">'
               f"{html.escape(y_label)}</text>")
    return out, x, y


def _legend(entries: list[tuple[str, str, str]]) -> list[str]:
    out = []
    for i, (label, colour, dash) in enumerate(entries):
        top = _TOP + 10 + 20 * i
        left = _W - _RIGHT + 15
        out.append(f'<line x1="{left}" y1="{top}" x2="{left + 22}" y2="{top}" stroke="{colour}" stroke-width="2"'
                   f'{f" stroke-dasharray={chr(34)}{dash}{chr(34)}" if dash else ""}/>')
        out.append(f'<text x="{left + 28}" y="{top + 4}">{html.escape(label)}</text>')
    return out


def cliff_svg(example: str, member: str, max_income: str, step: str) -> str:
    """The benefit curve of the spec example file ``example`` as ``member``'s monthly wage goes from 0 to
    ``max_income`` in ``step``s."""
    from assistkit.engine import Engine
    from assistkit.io import read_example
    from assistkit.population import cliff
    from assistkit.vocabulary import CORE

    loaded = read_example(example)
    result = cliff(Engine(), loaded.household, loaded.on, member, Decimal(max_income), Decimal(step))
    points = result.points
    names = [n for n in result.programmes if any(p.by_programme.get(n) for p in points)]
    x_max = float(points[-1].wage)
    y_max = _nice(max(float(p.net) for p in points))
    body, x, y = _axes(x_max, y_max, f"monthly wage of {member} (yuan)", "yuan a month")
    legend: list[tuple[str, str, str]] = []

    def line(values: list[Decimal], colour: str, dash: str = "", width: int = 2) -> str:
        coords = " ".join(f"{x(float(p.wage))},{y(float(v))}" for p, v in zip(points, values, strict=True))
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        return f'<polyline fill="none" stroke="{colour}" stroke-width="{width}"{extra} points="{coords}"/>'

    for i, name in enumerate(names):
        colour = _COLOURS[i % len(_COLOURS)]
        body.append(line([p.by_programme.get(name, Decimal(0)) for p in points], colour, "", 1))
        legend.append((CORE.label("programme", name, "en"), colour, ""))
    body.append(line([p.total for p in points], "#d62728", "6 3"))
    legend.append(("total assistance", "#d62728", "6 3"))
    body.append(line([p.net for p in points], "#000000"))
    legend.append(("wage + assistance", "#000000", ""))
    body += _legend(legend)
    title = f"Example {loaded.household.id} on {loaded.on.isoformat()}: assistance as {member}'s wage rises"
    return _svg(body, title)


def compare_svg(n: str, seed: str, on: str, reform: str) -> str:
    """The change in monthly cost per programme when ``reform`` (a policy file on Demo City) is compared with
    Demo City over ``n`` demo households (``seed``) on ``on``."""
    from assistkit.dev.demo import demo_lines
    from assistkit.population import compare
    from assistkit.vocabulary import CORE

    day = dt.date.fromisoformat(on)
    result = compare(list(demo_lines(int(n), seed=int(seed), on=day)), day, "demo-city", reform)
    delta = result.monthly_delta
    names = [p for p in result.programmes if delta[p]] or list(result.programmes)
    top = _nice(max(abs(float(delta[p])) for p in names) or 1.0)
    row, left, width = 30, 250, _W - 250 - 60
    height = _TOP + row * len(names) + 50
    zero = left + width / 2
    body = [f'<line x1="{zero}" y1="{_TOP}" x2="{zero}" y2="{_TOP + row * len(names)}" stroke="#999"/>']
    for i, name in enumerate(names):
        value = float(delta[name])
        length = width / 2 * abs(value) / top
        top_y = _TOP + row * i + 6
        start = zero if value >= 0 else zero - length
        colour = "#2ca02c" if value >= 0 else "#d62728"
        body.append(f'<rect x="{round(start, 1)}" y="{top_y}" width="{round(length, 1)}" height="{row - 12}" '
                    f'fill="{colour}"><title>{html.escape(name)}: {delta[name]:+}</title></rect>')
        body.append(f'<text x="{left - 8}" y="{top_y + 13}" text-anchor="end">'
                    f'{html.escape(CORE.label("programme", name, "en"))}</text>')
        anchor, at = ("start", start + length + 4) if value >= 0 else ("end", start - 4)
        body.append(f'<text x="{round(at, 1)}" y="{top_y + 13}" text-anchor="{anchor}">{delta[name]:+,}</text>')
    body.append(f'<text x="{zero}" y="{height - 15}" text-anchor="middle">change in monthly cost (yuan), '
                f'{result.assessed} households, {result.changed} changed</text>')
    title = f"{result.base} → {result.reform} on {on}"
    return _svg(body, title, _W, height)


def chart(kind: str, *arguments: str) -> str:
    """The SVG of ``assistkit-chart KIND ARGUMENTS…``."""
    makers = {"cliff": cliff_svg, "compare": compare_svg}
    if kind not in makers:
        raise ValueError(f"unknown chart {kind!r}; the charts are {', '.join(makers)}")
    return makers[kind](*arguments)
