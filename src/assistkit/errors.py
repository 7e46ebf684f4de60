"""The exception hierarchy of assistkit.

Every error is an :class:`AssistkitError`; each also subclasses the builtin it refines so that callers who
catch ``ValueError`` or ``TypeError`` keep working. Messages say where (household id + field path, or file +
key), what was expected, what was got, and how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

__all__ = [
    "AssistkitError",
    "InvalidFunds",
    "InvalidHousehold",
    "InvalidRecord",
    "LinkageError",
    "PluginError",
    "PolicyError",
    "Problem",
    "ScratchSpaceError",
    "WorkerDied",
]


class AssistkitError(Exception):
    """Root of every error raised by assistkit."""


PRIVATE_FIELDS = ("birth_date", "id_number")
"""Fields whose value no message ever quotes (a birth date, an identity number): a problem on one says what is
wrong, not what was given (the messages go to logs, terminals and error objects)."""

# What a message may quote of a birth date or an id number: a quoted word with a digit in it, a date (not the
# assessment date the message compares with), a run of six digits or more.
_QUOTED = re.compile(r"'[^'\s]*\d[^'\s]*'|\"[^\"\s]*\d[^\"\s]*\""
                     r"|(?<!assessment date )\d{4}-\d{1,2}-\d{1,2}|\d{6,}[\dXx]?")


def _private(path: str, reason: str) -> str:
    """``reason`` without the values it quotes when ``path`` is a private field."""
    if not path.endswith(PRIVATE_FIELDS):
        return reason
    return _QUOTED.sub("(value not shown)", reason)


class Problem(tuple):
    """One problem in an input record: ``(path, reason)``, e.g. ``("members[2].birth_date", "…")``. A problem
    on a private field (:data:`PRIVATE_FIELDS`) never quotes the value given."""

    __slots__ = ()

    def __new__(cls, path: str, reason: str) -> Problem:
        return super().__new__(cls, (path, _private(path, reason)))

    @property
    def path(self) -> str:
        return self[0]

    @property
    def reason(self) -> str:
        return self[1]

    def __repr__(self) -> str:
        return f"Problem({self[0]!r}, {self[1]!r})"

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        # Pickling (batch workers send rejections between processes) must call __new__(path, reason).
        return self[0], self[1]


class InvalidRecord(AssistkitError, ValueError):
    """An input record breaks its format. Carries the record's name (an id, a file, or ``None``) and *every*
    problem found, each a :class:`Problem` ``(path, reason)``; a problem with an empty path concerns the
    whole record (e.g. invalid JSON)."""

    kind = "record"
    """What the record is, for messages: ``household H-9: members[1].birth_date: reason``."""

    def __init__(self, record: str | None, problems: Iterable[tuple[str, str]]) -> None:
        self.record = record
        self.problems: tuple[Problem, ...] = tuple(Problem(p, r) for p, r in problems)
        super().__init__(self._message())

    def __reduce__(self) -> tuple[object, ...]:
        return type(self), (self.record, self.problems)

    def _who(self) -> str:
        return f"{self.kind} {self.record}" if self.record else f"{self.kind} (no id)"

    def _message(self) -> str:
        who = self._who()
        return "\n".join(f"{who}: {p.path}: {p.reason}" if p.path else f"{who}: {p.reason}"
                         for p in self.problems)

    def lines(self) -> list[str]:
        """One ``household H-9: members[1].birth_date: reason`` line per problem."""
        return self._message().splitlines()


class InvalidHousehold(InvalidRecord):
    """A household breaks ``household-format.md`` (§17). Carries the household id and *every* problem."""

    kind = "household"

    def __init__(self, household: str | None, problems: Iterable[tuple[str, str]]) -> None:
        super().__init__(household, problems)

    @property
    def household(self) -> str | None:
        """The household id, or ``None`` when the record has no usable id."""
        return self.record


class InvalidFunds(InvalidRecord):
    """A list of donation funds (household-format.md, Fund) is wrong; ``record`` is its file, if known.

    Paths name the fund by its position in the list: ``[1].balance``."""

    kind = "funds"

    def _who(self) -> str:
        return f"funds {self.record}" if self.record else "funds"


class PolicyError(AssistkitError, ValueError):
    """A policy file or parameter is wrong. Carries the file (or ``None`` for code) and the key."""

    def __init__(self, reason: str, *, file: str | None = None, key: str | None = None) -> None:
        self.file = file
        self.key = key
        self.reason = reason
        where = ": ".join(x for x in (file, key) if x)
        super().__init__(f"{where}: {reason}" if where else reason)


class PluginError(AssistkitError, RuntimeError):
    """A plugin failed to import, to validate, or to run."""

    def __init__(
        self,
        reason: str,
        *,
        entry_point: str | None = None,
        distribution: str | None = None,
        version: str | None = None,
    ) -> None:
        self.entry_point = entry_point
        self.distribution = distribution
        self.version = version
        self.reason = reason
        where = []
        if entry_point:
            where.append(f"entry point {entry_point!r}")
        if distribution:
            where.append(f"from {distribution} {version or ''}".rstrip())
        super().__init__(f"plugin {' '.join(where)}: {reason}" if where else reason)


class LinkageError(AssistkitError, ValueError):
    """Programme declarations cannot be ordered: a cycle, or a dependency on an unknown programme."""

    def __init__(self, reason: str, programmes: Sequence[str] = ()) -> None:
        self.programmes = tuple(programmes)
        super().__init__(reason)


class WorkerDied(AssistkitError, RuntimeError):
    """A worker process of a population run stopped abruptly (killed by a signal, or by the system for want of
    memory). Carries the first line of the chunk it was given (``None`` when not known): the results of the
    lines before that chunk are complete, so a run can be resumed from there."""

    def __init__(self, line: int | None) -> None:
        self.line = line
        where = f" during the chunk starting at line {line}" if line is not None else ""
        super().__init__(
            f"a worker process stopped abruptly{where} (killed by a signal, or out of memory?); the results of "
            "the lines before that chunk are complete: run again, with fewer --workers if memory is short"
        )


class ScratchSpaceError(AssistkitError, OSError):
    """A population run could not write the scratch file in which it keeps the ids it has seen past the first
    million households (``TMPDIR`` full, read-only or missing). The output written so far is complete up to the
    chunk being checked."""

    def __init__(self, folder: str, cause: BaseException) -> None:
        self.folder = folder
        super().__init__(
            f"cannot write the scratch file of the population-wide id checks in {folder!r} ({cause}); set TMPDIR "
            "to a directory with room: about 25 bytes per household past the first million"
        )
