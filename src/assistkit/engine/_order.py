"""The order in which programmes assess a household (§14.1): a topological order of their declarations.

A programme declares what must run before it (``after``, which must be installed), what runs before it when
installed (``after_if_present``), what runs after it when installed (``before``), and its phase: every
``"last"`` programme (one that pays from what remains, §13.2) runs after every ``"main"`` one. Ties are broken by
name, so the order never depends on plugin load order.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence

from ..errors import LinkageError
from ..programme import PHASES, Programme

__all__ = ["dependents", "order_programmes"]


def order_programmes(programmes: Sequence[Programme]) -> tuple[Programme, ...]:
    """Topological order of ``programmes`` by their ``after`` (hard), ``after_if_present`` and ``before`` (soft)
    declarations and their phases.

    Ties are broken by name so the order never depends on plugin load order. Raises :class:`LinkageError`
    naming the programmes on a cycle, on a dependency on an unknown programme, or on a duplicate name.
    """
    by_name: dict[str, Programme] = {}
    for p in programmes:
        if p.name in by_name:
            raise LinkageError(f"two programmes are named {p.name!r}", [p.name])
        by_name[p.name] = p
    preds = _predecessors(programmes, by_name)
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


def _predecessors(programmes: Sequence[Programme], by_name: Mapping[str, Programme]) -> dict[str, set[str]]:
    """For each programme, the programmes that must run before it."""
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
        preds[p.name].update(dep for dep in p.after_if_present if dep in by_name)
        for later in p.before:
            if later in by_name:
                preds[later].add(p.name)
    rank = {phase: i for i, phase in enumerate(PHASES)}
    for p in programmes:
        for q in programmes:
            if rank[q.phase] < rank[p.phase]:
                preds[p.name].add(q.name)
    return preds


def dependents(failed: str, programmes: Sequence[Programme]) -> set[str]:
    """Names of the programmes that come after ``failed``, directly or transitively: by their declarations,
    another's ``before``, or their phase (a ``"last"`` programme pays from what the others left)."""
    by_name = {p.name: p for p in programmes}
    succs: dict[str, set[str]] = {name: set() for name in by_name}
    for name, preds in _predecessors(programmes, by_name).items():
        for pred in preds:
            succs[pred].add(name)
    out: set[str] = set()
    frontier = {failed}
    while frontier:
        nxt = {s for f in frontier for s in succs.get(f, ()) if s not in out}
        out |= nxt
        frontier = nxt
    return out
