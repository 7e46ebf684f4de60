"""The reader's resource policy: how big a line, a household and its nesting may be, and duplicate keys.

A county file is input from outside: one line of it must not take the run's memory or time. Every reader of
households (``assistkit.io``: ``read_jsonl``, ``household_from_json``, ``structure_household``; the batch's
``parse_line``) checks, before it builds anything:

- the line's length (``max_line_bytes``), before it is decoded — ``batch /dev/zero`` is one endless line;
- the nesting depth of the decoded value (``max_depth``; a household is 4 deep), so no reader recurses on it;
- the members of a household (``max_members``) and the records of each list (``max_records``: incomes,
  assets, expenses, events, history, enrolments, obligors);
- duplicate keys in one object (JSON leaves them open; the last would win silently): a line whose bytes do not
  account for every key it decodes to is read again by the stdlib decoder, which names the duplicate key.

The defaults are far above any real household (a household has a few members and tens of records; a line is a
few kilobytes); :func:`configure` changes them for the process (``assistkit batch/validate --max-…``; forked
batch workers inherit them). Each check is linear in the size of the line.
"""

from __future__ import annotations

import re
from typing import Any

from attrs import evolve, frozen

__all__ = ["LIMITS", "Limits", "configure", "current", "data_problems", "duplicate_free", "line_problem",
           "reject_duplicates"]


@frozen
class Limits:
    max_line_bytes: int = 16 << 20
    """Bytes of one JSON line (16 MiB)."""
    max_members: int = 1_000
    """Members of one household."""
    max_records: int = 100_000
    """Records of one list of a household (incomes, assets, expenses, events, history, enrolments,
    obligors)."""
    max_depth: int = 32
    """Nesting of objects and lists in one line (a household is 4 deep)."""


LIMITS = Limits()
"""The defaults."""

_current = LIMITS

_LISTS = ("incomes", "assets", "expenses", "events", "history", "enrolments", "obligors")


def current() -> Limits:
    """The limits in force in this process."""
    return _current


def configure(**changes: int) -> Limits:
    """Change the limits in force in this process (``max_line_bytes=…`` …); returns the previous ones."""
    global _current
    previous = _current
    _current = evolve(_current, **changes)
    return previous


def line_problem(raw: str | bytes) -> str | None:
    """Why a raw line is too long to be read, or ``None``."""
    limit = _current.max_line_bytes
    if len(raw) > limit:
        return (f"the line is {len(raw):,} bytes long; the limit is {limit:,} (--max-line-bytes): not read")
    return None


def _depth_over(data: Any, limit: int) -> bool:
    """Whether ``data`` nests objects and lists deeper than ``limit`` (no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if type(value) is dict:
            stack.extend((v, depth + 1) for v in value.values() if type(v) is dict or type(v) is list)
        elif type(value) is list:
            stack.extend((v, depth + 1) for v in value if type(v) is dict or type(v) is list)
    return False


def data_problems(data: Any, *, depth: bool = True) -> list[tuple[str, str]]:
    """The limits a decoded household breaks, as ``(path, reason)``: none for every real household (the
    nesting is checked only with ``depth``)."""
    limits = _current
    if type(data) is not dict:
        return []
    problems: list[tuple[str, str]] = []
    members = data.get("members")
    if type(members) is list and len(members) > limits.max_members:
        problems.append(("members", f"{len(members):,} members; the limit is {limits.max_members:,} "
                                    "(--max-members): not read"))
    for key in _LISTS:
        items = data.get(key)
        if type(items) is list and len(items) > limits.max_records:
            problems.append((key, f"{len(items):,} records; the limit is {limits.max_records:,} "
                                  "(--max-records): not read"))
    if depth and not problems and _depth_over(data, limits.max_depth):
        problems.append(("", f"nested more than {limits.max_depth} deep (--max-depth): not read"))
    return problems


_KEY_END = re.compile(rb'"\s*:')


def _keys(data: Any) -> int:
    n = 0
    stack = [data]
    while stack:
        value = stack.pop()
        if type(value) is dict:
            n += len(value)
            stack.extend([v for v in value.values() if type(v) is dict or type(v) is list])
        else:
            stack.extend([v for v in value if type(v) is dict or type(v) is list])
    return n


def duplicate_free(raw: bytes | str, data: Any, dumps: Any) -> bool:
    """Whether ``data``, decoded from ``raw`` by a decoder that keeps the last of duplicate keys, can have had
    none: the raw line is exactly as long as the value written compactly (a duplicate only adds bytes), or it
    holds exactly as many key ends ``":`` as the value has keys. ``False`` means: read it again, naming the
    duplicate (:func:`reject_duplicates`) — rare, and only slower."""
    text = raw.encode("utf-8") if isinstance(raw, str) else raw
    size = len(text) - 1 if text.endswith(b"\n") else len(text)  # the usual line: no copy
    if len(dumps(data)) == size:
        return True
    return len(_KEY_END.findall(text)) == _keys(data)


def reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` of the stdlib decoder: an object with a key twice is invalid JSON here."""
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {key!r} in one object (JSON leaves it open; here it is an error)")
            seen.add(key)
    return out
