"""The OpenAPI document of the service, its schemas generated from the model (:mod:`assistkit.schema`)."""

from __future__ import annotations

from typing import Any

from .. import __version__
from .. import schema as schemas
from ._config import ServiceConfig
from ._problems import MEDIA_TYPE

__all__ = ["openapi_document"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _components(schema: dict[str, Any], name: str, into: dict[str, Any]) -> dict[str, Any]:
    """Move ``schema``'s ``$defs`` into the components, rewriting the references."""
    schema = dict(schema)
    defs = schema.pop("$defs", {})
    schema.pop("$schema", None)
    schema.pop("$id", None)

    def fix(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (v.replace("#/$defs/", f"#/components/schemas/{name}.") if k == "$ref" else fix(v))
                    for k, v in node.items()}
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    for key, value in defs.items():
        into[f"{name}.{key}"] = fix(value)
    into[name] = fix(schema)
    return into


def _param(name: str, description: str, *, required: bool = False, enum: list[str] | None = None,
           fmt: str | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if enum:
        schema["enum"] = enum
    if fmt:
        schema["format"] = fmt
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


_PROBLEM = {"description": "A problem (RFC 9457)", "content": {MEDIA_TYPE: {"schema": _ref("Problem")}}}


def openapi_document(config: ServiceConfig, localities: list[str], root_path: str = "") -> dict[str, Any]:
    """The OpenAPI 3.1 document (its server URL is ``root_path``, the prefix a reverse proxy strips)."""
    components: dict[str, Any] = {}
    _components(schemas.household_schema(), "Household", components)
    _components(schemas.determination_schema(), "Determination", components)
    _components(schemas.error_schema(), "Rejected", components)
    components["Problem"] = {
        "type": "object",
        "description": "An error: `type` is urn:assistkit:problem:<kind>; `household` and `errors` (each "
                       "{path, message}, paths within the household) when a household is invalid.",
        "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                       "detail": {"type": "string"}, "household": {"type": ["string", "null"]},
                       "errors": {"type": "array", "items": {"type": "object", "properties": {
                           "path": {"type": "string"}, "message": {"type": "string"}}}},
                       "parameter": {"type": "string"}, "limit": {"type": "number"}},
        "required": ["type", "title", "status", "detail"],
    }
    locality = _param("locality", f"Served locality (default {localities[0]}): {', '.join(localities)}",
                      enum=localities)
    on = _param("on", "Assessment date YYYY-MM-DD", fmt="date")
    on_required = _param("on", "Assessment date YYYY-MM-DD", required=True, fmt="date")
    lang = _param("lang", "Language of the reasons (default zh)", enum=["zh", "en"])
    reasons = _param("reasons", "How each determination carries its reasons: text (default; the schema's form), "
                     "data (rule, values and parameters cited, no text; the provenance by its id: `assistkit "
                     "explain` renders them later, the same bytes) or none", enum=["text", "data", "none"])
    jsonl = {"application/x-ndjson": {"schema": {"type": "string", "description": "One household per line"}}}
    household_body = {"required": True, "content": {"application/json": {"schema": {"oneOf": [
        _ref("Household"),
        {"type": "object", "required": ["household"], "description": "A spec example, or a household with its "
         "date and donation funds", "properties": {"household": _ref("Household"), "on": {"type": "string",
                                                   "format": "date"},
                                                   "funds": {"type": "array", "items": _ref("Household.Fund")}}},
    ]}}}}
    limits = (f"Limits: bodies up to {config.max_body} bytes, {config.max_households} households a request, "
              f"{config.timeout:g} s a request.")
    errors = {"400": _PROBLEM, "413": _PROBLEM, "422": _PROBLEM, "503": _PROBLEM}
    paths: dict[str, Any] = {
        "/assess": {"post": {
            "summary": "Assess one household",
            "description": "The determination, the same bytes as `assistkit assess FILE` (or its explanation "
                           "with explain=text). The date: ?on=, else the body's `on`, else today. " + limits,
            "parameters": [on, lang, locality, _param("explain", "json (default) or text", enum=["json", "text"]),
                           reasons],
            "requestBody": household_body,
            "responses": {"200": {"description": "The determination", "content": {
                "application/json": {"schema": _ref("Determination")}, "text/plain": {"schema": {"type": "string"}}}},
                **errors}}},
        "/validate": {"post": {
            "summary": "Check households against the household format",
            "description": "One household object, a JSON list, or JSON Lines, as `assistkit validate`. " + limits,
            "parameters": [_param("on", "Also check that no date is after this one", fmt="date")],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {}}, **jsonl}},
            "responses": {"200": {"description": "Counts, and an error object per rejected household",
                                  "content": {"application/json": {"schema": {"type": "object", "properties": {
                                      "format": {"type": "string"}, "households": {"type": "integer"},
                                      "valid": {"type": "integer"}, "invalid": {"type": "integer"},
                                      "rejected": {"type": "array", "items": _ref("Rejected")}}}}}},
                          **errors}}},
        "/batch": {"post": {
            "summary": "Assess a population (JSON Lines)",
            "description": "One output line per household line, in input order, streamed: a determination or, "
                           "for a rejected line, an error object; the same bytes as `assistkit batch`. A batch "
                           "past the time limit ends with one error object naming the first line not assessed. "
                           + limits,
            "parameters": [on_required, lang, locality, reasons],
            "requestBody": {"required": True, "content": jsonl},
            "responses": {"200": {"description": "JSON Lines: Determination or Rejected", "content": jsonl},
                          **errors}}},
        "/compare": {"post": {
            "summary": "Compare a small population under two served localities",
            "description": "The aggregates (as `assistkit compare --json`) and the change of each household "
                           "that changed. " + limits,
            "parameters": [on_required, lang, _param("base", "Served locality (default: the default one)",
                                                     enum=localities),
                           _param("reform", "Served locality", required=True, enum=localities)],
            "requestBody": {"required": True, "content": jsonl},
            "responses": {"200": {"description": "{summary, changes}", "content": {"application/json": {}}},
                          **errors}}},
        "/cliff": {"post": {
            "summary": "The benefit curve of one household",
            "description": "Total monthly assistance as one member's monthly wage goes from 0 to max in steps "
                           "(as `assistkit cliff --json`), with the programmes' titles.",
            "parameters": [on, locality, _param("member", "Member id (default: the head)"),
                           _param("max", "Highest monthly wage (default 3000)"),
                           _param("step", "Wage step (default 50)")],
            "requestBody": household_body,
            "responses": {"200": {"description": "The curve", "content": {"application/json": {}}}, **errors}}},
        "/params": {"get": {"summary": "Every parameter in force on a date, with its source",
                            "parameters": [on, locality],
                            "responses": {"200": {"description": "As `assistkit params --format json`",
                                                  "content": {"application/json": {}}}, "400": _PROBLEM}}},
        "/plugins": {"get": {"summary": "Programmes in linkage order, their plugins, and load failures",
                             "parameters": [locality],
                             "responses": {"200": {"description": "The programmes",
                                                   "content": {"application/json": {}}}, "400": _PROBLEM}}},
        "/health": {"get": {"summary": "The service is up; its localities and limits",
                            "responses": {"200": {"description": "ok", "content": {"application/json": {}}}}}},
        "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI"}}}},
        "/schema/{name}.json": {"get": {
            "summary": "A JSON Schema: household, determination or error",
            "parameters": [{"name": "name", "in": "path", "required": True,
                            "schema": {"enum": ["household", "determination", "error"]}}],
            "responses": {"200": {"description": "JSON Schema draft 2020-12"}, "404": _PROBLEM}}},
        "/": {"get": {"summary": "The caseworkers' page", "responses": {"200": {"description": "HTML"}}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "assistkit", "version": __version__,
                 "description": "Social-assistance rules (社会救助) as a service: assess households, check them, "
                                "compare policies. Money is a string with two decimals."},
        "servers": [{"url": root_path or "/"}],
        "paths": paths,
        "components": {"schemas": components},
    }
