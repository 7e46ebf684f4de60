"""The order in which programmes assess a household (§14.1): a topological order of their declarations.

A programme declares what must run before it (``after``, which must be installed) and what runs before it when
installed (``after_if_present``). Ties are broken by name, so the order never depends on plugin load order.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence

from ..errors import LinkageError
from ..programme import Programme

__all__ = ["dependents", "order_programmes"]


def order_programmes(programmes: Sequence[Programme]) -> tuple[Programme, ...]:
    """Topological order of ``programmes`` by ``after`` (hard) and ``after_if_present`` (soft) declarations.

    Ties are broken by name so the order never depends on plugin load order. Raises :class:`LinkageError`
    naming the programmes on a cycle, on a dependency on an unknown programme, or on a duplicate name.
    """
    by_name: dict[str, Programme] = {}
    for p in programmes:
        if p.name in by_name:
            raise LinkageError(f"two programmes are named {p.name!r}", [p.name])
        by_name[p.name] = p
    preds: dict[str, set[str]] = {name: set() for name in by_name}
    for p in programmes:
        for dep in p.after:
            if dep not in by_name:
                raise LinkageError(
                    f"programme {p.name!r} comes after {dep!r}, which is not installed; install the plugin "
                    f"that provides {dep!r} or remove it from {p.name}.after",
                    [p.name, dep],
                )
            preds[p.name].add(dep)
        for dep in p.after_if_present:
            if dep in by_name:
                preds[p.name].add(dep)
    succs: dict[str, list[str]] = {name: [] for name in by_name}
    for name, deps in preds.items():
        for dep in deps:
            succs[dep].append(name)
    remaining = {name: len(deps) for name, deps in preds.items()}
    ready = [name for name, n in remaining.items() if n == 0]
    heapq.heapify(ready)
    ordered: list[str] = []
    while ready:
        name = heapq.heappop(ready)
        ordered.append(name)
        for nxt in succs[name]:
            remaining[nxt] -= 1
            if remaining[nxt] == 0:
                heapq.heappush(ready, nxt)
    if len(ordered) != len(by_name):
        stuck = sorted(name for name, n in remaining.items() if n > 0)
        cycle = _find_cycle(stuck, preds)
        raise LinkageError(
            "programme declarations form a cycle: " + " → ".join(cycle) + "; remove one of these `after` entries",
            cycle,
        )
    return tuple(by_name[name] for name in ordered)


def _find_cycle(stuck: list[str], preds: Mapping[str, set[str]]) -> list[str]:
    start = stuck[0]
    path, seen = [start], {start}
    node = start
    while True:
        node = min(d for d in preds[node] if d in stuck)
        if node in seen:
            cycle = path[path.index(node):] + [node]
            return list(reversed(cycle))
        path.append(node)
        seen.add(node)


def dependents(failed: str, programmes: Sequence[Programme]) -> set[str]:
    """Names of the programmes that come after ``failed``, directly or transitively (hard and soft)."""
    out: set[str] = set()
    frontier = {failed}
    while frontier:
        nxt = set()
        for p in programmes:
            if p.name not in out and frontier & (set(p.after) | set(p.after_if_present)):
                nxt.add(p.name)
        out |= nxt
        frontier = nxt
    return out
