"""Errors as ``application/problem+json`` (RFC 9457): what went wrong, where, and how to fix it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.responses import Response

from ..errors import InvalidRecord

__all__ = ["MEDIA_TYPE", "Problem", "invalid_record", "response"]

MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    """An error answered as problem+json: ``status``, a ``kind`` (the type is ``urn:assistkit:problem:<kind>``),
    a title, the detail, and extension members (``household``, ``errors``, ``parameter`` …)."""

    def __init__(self, status: int, kind: str, title: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.extra = extra

    def to_json(self) -> dict[str, Any]:
        return {"type": f"urn:assistkit:problem:{self.kind}", "title": self.title, "status": self.status,
                "detail": self.detail, **self.extra}


def response(problem: Problem, headers: Mapping[str, str] | None = None) -> Response:
    body = json.dumps(problem.to_json(), ensure_ascii=False, indent=2) + "\n"
    return Response(body, problem.status, headers=headers, media_type=MEDIA_TYPE)


def _errors(problems: Iterable[tuple[str, str]], prefix: str = "") -> list[dict[str, str]]:
    out = []
    for path, reason in problems:
        where = f"{prefix}.{path}" if prefix and path and not path.startswith("[") else prefix + path
        out.append({"path": where, "message": reason})
    return out


def invalid_record(exc: InvalidRecord, *, prefix: str = "") -> Problem:
    """422 for a household (or funds) that breaks its format: every problem with its field path (§17)."""
    what = exc.kind
    lines = exc.lines()
    detail = lines[0] if len(lines) == 1 else f"{lines[0]} (and {len(lines) - 1} more)"
    return Problem(422, f"invalid-{what}", f"invalid {what}", detail,
                   household=exc.record if what == "household" else None,
                   errors=_errors(exc.problems, prefix))
