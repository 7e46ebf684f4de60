"""``batch --resume``: continue a killed run from the last complete line it wrote.

A batch writing to a file writes it as ``.NAME.partial`` beside it and renames it into place at the end. A run
that is killed (a signal, a worker killed, a full disk, a power failure) leaves that partial file: every
complete line in it is final, because a line's output depends only on the line and the lines before it. To
resume, :func:`resume_point` cuts the partial file after its last newline, reads as many input lines as it
holds outputs (a blank input line writes nothing), checks that they match (each determination's household, each
error object's line), and rebuilds from them what the run knew: the summary (from the outputs themselves), the
household ids and id numbers seen (from the input lines, parsed again but not assessed). The run then goes on
from the next input line and appends to the partial file: the same bytes as a run never interrupted.
"""

from __future__ import annotations

import json
from typing import IO

from attrs import frozen

from ..errors import AssistkitError
from ..household import Household
from ._batch import BatchSummary
from ._pipeline import ChunkResult, IdRecord, id_records, parse_line

__all__ = ["ResumeError", "ResumePoint", "resume_point"]


class ResumeError(AssistkitError, ValueError):
    """A partial output that does not belong to this input (or is damaged): the run cannot be resumed."""


@frozen
class ResumePoint:
    """Where a resumed run starts: the next input line, the output bytes kept, and what the lines before it
    gave (:meth:`assistkit.population.Run.prime` takes it)."""

    first_line: int
    kept_bytes: int
    done: ChunkResult


def _cut(partial: str) -> tuple[int, list[bytes]]:
    """Cut ``partial`` after its last newline; its complete lines."""
    with open(partial, "rb+") as f:
        data = f.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            f.truncate(end)
    return end, data[:end].splitlines(keepends=True)


def resume_point(partial: str, source: IO[bytes], *, label: str = "the partial output") -> ResumePoint:
    """Prepare a resume: cut ``partial`` to its complete lines and read from ``source`` (the binary input, at its
    start) the input lines they are the outputs of, leaving ``source`` at the next line."""
    kept, outputs = _cut(partial)
    summary = BatchSummary()
    households: list[str | None] = []
    ids: list[IdRecord] = []
    number = 0
    for at, output in enumerate(outputs):
        while True:
            raw = source.readline()
            number += 1
            if not raw:
                raise ResumeError(f"{label} has {len(outputs)} lines but the input ends before line "
                                  f"{number}: it is not this input's output; run again without --resume")
            parsed = parse_line(number, raw)
            if parsed is not None:
                break
            households.append(None)  # a blank line wrote nothing
        try:
            data = json.loads(output)
        except ValueError:
            raise ResumeError(f"{label}: line {at + 1} is not JSON: it is damaged; run again without "
                              "--resume") from None
        if "error" in data and "programmes" not in data:
            if data.get("line") != number:
                raise ResumeError(f"{label}: line {at + 1} is the error of input line {data.get('line')}, but "
                                  f"it stands for input line {number}: not this input's output; run again "
                                  "without --resume")
            summary.reject(number)
            households.append(None)
            continue
        if not isinstance(parsed, Household) or data.get("household") != parsed.id:
            raise ResumeError(f"{label}: line {at + 1} is household {data.get('household')!r}, but input line "
                              f"{number} is not: not this input's output; run again without --resume")
        summary.add(data)
        households.append(parsed.id)
        if any(p.id_number for p in parsed.members):
            ids.extend(id_records(number, parsed))
    done = ChunkResult(1, b"", [kept] * len(households), households, ids, summary)
    return ResumePoint(number + 1, kept, done)

