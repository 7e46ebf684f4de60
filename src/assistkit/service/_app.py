"""The application: its routes, the engines it shares, its limits."""

from __future__ import annotations

import datetime as dt
import io as _io
import json
import os
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import __version__, io
from ..engine import Engine
from ..errors import AssistkitError, InvalidRecord, PolicyError
from ..explain import REASON_FORMS
from ..money import format_money, parse_money
from ..periods import parse_date
from ..population import (
    BatchSummary,
    EngineSpec,
    Job,
    Run,
    assess_chunk,
    cliff,
    compare,
    engine_for,
    error_object,
)
from ..warning import on_defaulted
from ._config import ENVIRONMENT, ServiceConfig
from ._openapi import openapi_document
from ._problems import Problem, invalid_record, response

__all__ = ["Service", "create_app"]

STATIC = Path(__file__).parent / "static"
JSONL = "application/x-ndjson"
MAX_CLIFF_POINTS = 401
"""Points of one benefit curve (``/cliff``): 0 to the maximum wage in steps."""

T = TypeVar("T")


def _json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _json_response(data: Any, status: int = 200) -> Response:
    return Response(_json_text(data), status, media_type="application/json")


class Service:
    """The engines of the served localities (built once, shared by every request) and the limits."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.specs: dict[str, EngineSpec] = {}
        for text in config.localities:
            spec = EngineSpec.parse(text)
            engine = engine_for(spec)  # the population tools' engine of this spec: one per process
            name = engine.policy.locality
            if name in self.specs:
                raise PolicyError(f"two served localities are both named {name!r}: {text} and "
                                  f"{self.specs[name].label}")
            self.specs[name] = spec
        self.default = next(iter(self.specs))

    # -- request parts -------------------------------------------------------------------------------------

    def locality(self, request: Request, parameter: str = "locality") -> tuple[str, EngineSpec, Engine]:
        """The engine the request names (``?locality=``), or the default one."""
        name = request.query_params.get(parameter) or self.default
        spec = self.specs.get(name)
        if spec is None:
            raise Problem(400, "unknown-locality", "unknown locality",
                          f"this service serves the localities {', '.join(self.specs)}; got {parameter}={name!r}",
                          parameter=parameter, localities=list(self.specs))
        return name, spec, engine_for(spec)

    async def body(self, request: Request) -> bytes:
        """The request body, refused past ``max_body`` bytes (413)."""
        limit = self.config.max_body
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            raise self._too_large(int(length))
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise self._too_large(size)
            chunks.append(chunk)
        body = b"".join(chunks)
        return body[3:] if body.startswith(b"\xef\xbb\xbf") else body

    def _too_large(self, size: int) -> Problem:
        return Problem(413, "body-too-large", "request body too large",
                       f"the body is {size} bytes or more; this service takes at most {self.config.max_body} "
                       "(assistkit serve --max-body); send the households in several requests",
                       limit=self.config.max_body)

    async def json(self, request: Request) -> Any:
        body = await self.body(request)
        try:
            return io.loads(body)  # as `assistkit assess` reads its file: a NaN is its field's error
        except (ValueError, RecursionError) as exc:
            raise Problem(400, "invalid-json", "invalid JSON", f"the body is not JSON: {exc}",
                          household=None, errors=[{"path": "", "message": f"invalid JSON: {exc}"}]) from None

    def count(self, households: int) -> None:
        """Refuse more than ``max_households`` households in one request (413)."""
        if households > self.config.max_households:
            raise Problem(413, "too-many-households", "too many households",
                          f"the request holds {households} households; this service takes at most "
                          f"{self.config.max_households} in one request (assistkit serve --max-households); "
                          "split the population, or run `assistkit batch` on it", limit=self.config.max_households)

    async def compute(self, work: Callable[[], T]) -> T:
        """``work()`` in a worker thread, so the server keeps answering meanwhile; past ``timeout`` seconds the
        request is answered 503 (the thread finishes its household and its result is dropped)."""
        try:
            with anyio.fail_after(self.config.timeout):
                return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
        except TimeoutError:
            raise self._timeout() from None

    def _timeout(self) -> Problem:
        return Problem(503, "timeout", "request time limit reached",
                       f"the request took more than {self.config.timeout:g} s (assistkit serve --timeout); send "
                       "fewer households at a time", limit=self.config.timeout)


def _date(request: Request, name: str, default: dt.date | None = None, *, required: bool = False) -> dt.date:
    text = request.query_params.get(name)
    if text is None or text == "":
        if default is not None:
            return default
        if required:
            raise Problem(400, "invalid-parameter", "missing parameter", f"give ?{name}=YYYY-MM-DD",
                          parameter=name)
        return dt.date.today()
    try:
        return parse_date(text)
    except ValueError as exc:
        raise Problem(400, "invalid-parameter", "invalid parameter", f"{name}: {exc}", parameter=name) from None


def _choice(request: Request, name: str, choices: tuple[str, ...]) -> str:
    value = request.query_params.get(name) or choices[0]
    if value not in choices:
        raise Problem(400, "invalid-parameter", "invalid parameter",
                      f"{name}: expected one of {', '.join(choices)}; got {value!r}", parameter=name)
    return value


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def _households(body: bytes) -> int:
    """Non-blank lines of a JSON Lines body."""
    return sum(1 for line in body.splitlines() if line.strip())


def _unwrap(data: Any) -> tuple[Any, str | None, Any]:
    """A household object, or an example-like wrapper ``{"household", "on", "funds", …}``: (household, on, funds)
    — as ``assistkit assess`` reads its file."""
    if isinstance(data, dict) and isinstance(data.get("household"), dict):
        on = data.get("on")
        return data["household"], on if isinstance(on, str) else None, data.get("funds")
    return data, None, None


# -- routes ----------------------------------------------------------------------------------------------------


async def assess(request: Request) -> Response:
    """POST /assess: one household → its determination (the bytes of ``assistkit assess``)."""
    service = _service(request)
    data = await service.json(request)
    household_data, own_on, funds_data = _unwrap(data)
    default_on = None
    if own_on is not None:
        try:
            default_on = parse_date(own_on)
        except ValueError as exc:
            raise Problem(422, "invalid-household", "invalid household", f"on: {exc}", household=None,
                          errors=[{"path": "on", "message": str(exc)}]) from None
    on = _date(request, "on", default_on)
    defaulted = default_on is None and not request.query_params.get("on")  # today was used: say so
    lang = _choice(request, "lang", ("zh", "en"))
    explain = _choice(request, "explain", ("json", "text"))
    reasons = _choice(request, "reasons", REASON_FORMS)
    if explain == "text" and reasons != "text":
        raise Problem(400, "invalid-parameter", "invalid parameter",
                      f"reasons={reasons} is for the JSON (explain=json): the explanation is text", parameter="reasons")
    _, _, engine = service.locality(request)

    def work() -> str:
        household = io.structure_household(household_data)
        funds = None
        if funds_data is not None:
            try:
                funds = io.structure_funds(funds_data)
            except InvalidRecord as exc:
                raise _Prefixed(exc, "funds") from None
        determination = engine.assess(household, on, funds=funds)
        if defaulted:
            determination = determination.with_warnings(on_defaulted(on))
        if explain == "text":
            return determination.explain(lang)
        return determination.to_json_text(indent=2, lang=lang, reasons=reasons) + "\n"

    text = await service.compute(work)
    media = "text/plain; charset=utf-8" if explain == "text" else "application/json"
    return Response(text, media_type=media)


class _Prefixed(Exception):
    """An invalid record inside the request body at ``prefix`` (e.g. the funds of /assess)."""

    def __init__(self, error: InvalidRecord, prefix: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.prefix = prefix


async def validate(request: Request) -> Response:
    """POST /validate: check households (one object, a JSON list, or JSON Lines) as ``assistkit validate``."""
    service = _service(request)
    body = await service.body(request)
    on = _date(request, "on") if request.query_params.get("on") else None
    limit = service.config.max_households
    declared = service.locality(request)[2].declared  # the open lists and extension facts it assesses with

    def work() -> dict[str, Any]:
        # Through a file: the same reader, format detection and line numbers as `assistkit validate FILE`.
        fd, path = tempfile.mkstemp(suffix=".json", prefix="assistkit-validate-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            kind = io.detect_format(path)
            rejected: list[dict[str, Any]] = []
            valid = total = 0
            for record in io.read_households(path):
                total += 1
                if total > limit:
                    service.count(total)
                if isinstance(record, io.Parsed):
                    try:
                        if on is not None:
                            io.check_dates(record.household, on)
                        declared.check(record.household)
                    except InvalidRecord as exc:
                        record = io.Rejected(record.line, exc.record, exc.problems)
                if isinstance(record, io.Rejected):
                    rejected.append(error_object(record))
                else:
                    valid += 1
            return {"format": kind, "households": total, "valid": valid, "invalid": len(rejected),
                    "rejected": rejected}
        finally:
            os.unlink(path)

    return _json_response(await service.compute(work))


async def batch(request: Request) -> Response:
    """POST /batch: JSON Lines in, JSON Lines out (streamed, input order), as ``assistkit batch``."""
    service = _service(request)
    body = await service.body(request)
    on = _date(request, "on", required=True)
    lang = _choice(request, "lang", ("zh", "en"))
    reasons = _choice(request, "reasons", REASON_FORMS)
    _, spec, _ = service.locality(request)
    total_lines = body.count(b"\n") + (0 if body.endswith(b"\n") or not body else 1)
    service.count(_households(body))
    run = Run(assess_chunk, Job(on, spec, lang, reasons), _io.BytesIO(body), chunk_size=service.config.chunk_size,
              specs=(spec,), summary=BatchSummary())
    chunks = iter(run)
    deadline = anyio.current_time() + service.config.timeout
    first = await service.compute(lambda: next(chunks, None))  # past the limit already: 503, nothing sent

    async def stream() -> AsyncIterator[bytes]:
        result = first
        while result is not None:
            yield bytes(result.data)
            done = result.start + result.lines - 1
            if done >= total_lines:
                return
            if anyio.current_time() > deadline:
                # Cut off between chunks: one error object in place of the lines not assessed (§17 form).
                message = (f"not assessed: the request time limit ({service.config.timeout:g} s) was reached; "
                           f"send lines {done + 1}–{total_lines} again")
                yield _json_line({"line": done + 1, "household": None, "error": {"path": "", "message": message},
                                  "errors": [{"path": "", "message": message}]})
                return
            result = await anyio.to_thread.run_sync(next, chunks, None)

    return StreamingResponse(stream(), media_type=JSONL)


def _json_line(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


async def compare_route(request: Request) -> Response:
    """POST /compare: a small population (JSON Lines) under two served localities."""
    service = _service(request)
    body = await service.body(request)
    on = _date(request, "on", required=True)
    lang = _choice(request, "lang", ("zh", "en"))
    if not request.query_params.get("reform"):
        raise Problem(400, "invalid-parameter", "missing parameter",
                      f"give ?reform=LOCALITY, one of {', '.join(service.specs)}", parameter="reform")
    _, base, _ = service.locality(request, "base")
    _, reform, _ = service.locality(request, "reform")
    service.count(_households(body))

    def work() -> dict[str, Any]:
        out = _io.BytesIO()
        result = compare(_io.BytesIO(body), on, base, reform, out=out, lang=lang)
        changes = [json.loads(line) for line in out.getvalue().splitlines() if line]
        return {"summary": result.to_json(), "changes": changes}

    return _json_response(await service.compute(work))


async def cliff_route(request: Request) -> Response:
    """POST /cliff: the benefit curve of one household as a member's monthly wage varies."""
    service = _service(request)
    data = await service.json(request)
    household_data, own_on, _ = _unwrap(data)
    on = _date(request, "on", parse_date(own_on) if own_on else None)
    _, _, engine = service.locality(request)
    member = request.query_params.get("member")
    try:
        top = parse_money(request.query_params.get("max", "3000"))
        step = parse_money(request.query_params.get("step", "50"))
    except (TypeError, ValueError) as exc:
        raise Problem(400, "invalid-parameter", "invalid parameter", f"max, step: {exc}", parameter="max") from None
    if step <= 0 or top < 0 or top / step >= MAX_CLIFF_POINTS:
        raise Problem(400, "invalid-parameter", "invalid parameter",
                      f"need step > 0 and at most {MAX_CLIFF_POINTS} points (max / step); got max={format_money(top)}"
                      f", step={format_money(step)}", parameter="step")

    def work() -> dict[str, Any]:
        household = io.structure_household(household_data)
        who = member or household.head.id
        result = cliff(engine, household, on, who, top, step)
        names = dict(engine.titles)
        return {**result.to_json(), "titles": {n: {"zh": zh, "en": en} for n, (zh, en) in names.items()}}

    return _json_response(await service.compute(work))


async def params(request: Request) -> Response:
    """GET /params: every parameter in force on a date, with its value and source (``assistkit params``)."""
    service = _service(request)
    name, _, engine = service.locality(request)
    on = _date(request, "on")
    policy = engine.policy
    resolved = policy.at(on)
    rows = []
    for key, value in resolved.items():
        schema, source = policy.schemas[key], resolved.source(key)
        rows.append({"name": key, "value": _param_json(value, schema.type), "type": schema.type,
                     "unit": schema.unit, "meaning": schema.meaning, "meaning_zh": schema.meaning_zh,
                     "rule": schema.rule,
                     "source": {"file": source.file, "key": source.key, "effective": source.effective.isoformat()}})
    return _json_response({"locality": policy.locality, "on": on.isoformat(), "files": list(policy.files),
                           "parameters": rows})


def _param_json(value: Any, type_: str) -> Any:
    from ..policy import value_json

    return value_json(value, type_)


async def plugins(request: Request) -> Response:
    """GET /plugins: the programmes in linkage order with their plugins, and plugins that failed to load."""
    name, _, engine = _service(request).locality(request)
    programmes = []
    for p in engine.programmes:
        info = engine.plugin_of(p.name)
        programmes.append({"name": p.name, "title_zh": p.title_zh, "title_en": p.title_en, "plugin": info.name,
                           "distribution": info.distribution, "version": info.version, "grants": list(p.grants),
                           "after": list(p.after), "after_if_present": list(p.after_if_present)})
    return _json_response({"locality": name, "programmes": programmes,
                           "failures": [str(f) for f in engine.failures]})


async def health(request: Request) -> Response:
    """GET /health: the service is up and its engines are built."""
    service = _service(request)
    return _json_response({"status": "ok", "version": __version__, "localities": list(service.specs),
                           "default_locality": service.default,
                           "limits": {"max_body": service.config.max_body,
                                      "max_households": service.config.max_households,
                                      "timeout": service.config.timeout}})


async def openapi(request: Request) -> Response:
    """GET /openapi.json: the OpenAPI document, with the household and determination schemas."""
    service = _service(request)
    return _json_response(openapi_document(service.config, list(service.specs), request.scope.get("root_path", "")))


async def page(request: Request) -> Response:
    """GET /: the caseworkers' page."""
    return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))


async def schema(request: Request) -> Response:
    """GET /schema/{name}.json: a JSON Schema (household, determination, error)."""
    from .. import schema as schemas

    makers = {"household": schemas.household_schema, "determination": schemas.determination_schema,
              "error": schemas.error_schema}
    name = request.path_params["name"]
    if name not in makers:
        raise HTTPException(404)
    return Response(_json_text(makers[name]()), media_type="application/schema+json")


# -- errors ----------------------------------------------------------------------------------------------------


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return response(exc)


async def _on_invalid(request: Request, exc: Exception) -> Response:
    if isinstance(exc, _Prefixed):
        return response(invalid_record(exc.error, prefix=exc.prefix))
    assert isinstance(exc, InvalidRecord)
    return response(invalid_record(exc))


async def _on_assistkit(request: Request, exc: Exception) -> Response:
    return response(Problem(422, "unprocessable", "cannot assess", str(exc)))


_TITLES = {404: "not found", 405: "method not allowed"}


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail
    if exc.status_code == 404:
        detail = f"no such resource: {request.url.path}; GET /openapi.json lists them"
    return response(Problem(exc.status_code, _TITLES.get(exc.status_code, "error").replace(" ", "-"),
                            _TITLES.get(exc.status_code, "error"), str(detail)), headers=exc.headers)


async def _on_error(request: Request, exc: Exception) -> Response:
    return response(Problem(500, "internal-error", "internal error",
                            f"the service failed: {type(exc).__name__}: {exc}; the server log has the traceback"))


def create_app(config: ServiceConfig | None = None) -> Starlette:
    """The ASGI application of ``config``; the engines of its localities are built here, once."""
    service = Service(config or ServiceConfig())
    routes = [
        Route("/", page, methods=["GET"]),
        Route("/assess", assess, methods=["POST"]),
        Route("/validate", validate, methods=["POST"]),
        Route("/batch", batch, methods=["POST"]),
        Route("/compare", compare_route, methods=["POST"]),
        Route("/cliff", cliff_route, methods=["POST"]),
        Route("/params", params, methods=["GET"]),
        Route("/plugins", plugins, methods=["GET"]),
        Route("/health", health, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/schema/{name}.json", schema, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    handlers: dict[Any, Any] = {
        Problem: _on_problem,
        _Prefixed: _on_invalid,
        InvalidRecord: _on_invalid,
        AssistkitError: _on_assistkit,
        HTTPException: _on_http,
        Exception: _on_error,
    }
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.state.service = service
    return app


def app_from_environment() -> Starlette:
    """The application configured by ``ASSISTKIT_SERVICE`` (defaults when unset): a uvicorn factory,
    ``uvicorn --factory assistkit.service:app_from_environment``."""
    text = os.environ.get(ENVIRONMENT)
    return create_app(ServiceConfig.from_json(text) if text else ServiceConfig())
