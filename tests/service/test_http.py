"""``assistkit serve`` over HTTP against live servers (tests/service/conftest.py): the spec examples give the
CLI's bytes, bad input gives problem+json with field paths, the limits hold."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import jsonschema
import pytest
from click.testing import CliRunner

from assistkit.cli import main
from assistkit.schema import determination_schema, error_schema, household_schema

ROOT = Path(__file__).resolve().parents[2]
ALL_EXAMPLES = sorted((ROOT / "tests" / "examples").glob("*.json"))
EXAMPLES = ALL_EXAMPLES[:8]
"""The examples of the core spec (01-08): the populations below stay under the server's limits (12 households)."""

PROBLEM = "application/problem+json"
LATEST = "2025-09-30"
"""A date on or after every example's own date (no expense or event after it)."""


def cli(*args: str) -> bytes:
    result = CliRunner().invoke(main, list(args), prog_name="assistkit")
    assert result.exit_code in (0, 1), result.output
    return result.stdout_bytes


def problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["type"].startswith("urn:assistkit:problem:")
    assert body["title"] and body["detail"]
    return body


def population(tmp_path: Path, extra: list[bytes] = ()) -> Path:  # type: ignore[assignment]
    lines = [json.dumps(json.loads(p.read_text(encoding="utf-8"))["household"], ensure_ascii=False).encode()
             for p in EXAMPLES]
    path = tmp_path / "population.jsonl"
    path.write_bytes(b"\n".join([*lines, *extra]) + b"\n")
    return path


# -- the examples through /assess: the CLI's bytes --------------------------------------------------------------


@pytest.mark.parametrize("example", ALL_EXAMPLES, ids=lambda p: p.stem)
def test_assess_gives_the_bytes_of_the_cli(service: str, example: Path) -> None:
    response = httpx.post(service + "/assess", content=example.read_bytes())
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.content == cli("assess", str(example))
    jsonschema.validate(response.json(), determination_schema())


@pytest.mark.parametrize("example", EXAMPLES[:3], ids=lambda p: p.stem)
def test_assess_in_english_and_as_text(service: str, example: Path) -> None:
    english = httpx.post(service + "/assess", params={"lang": "en"}, content=example.read_bytes())
    assert english.content == cli("assess", "--lang", "en", str(example))
    text = httpx.post(service + "/assess", params={"explain": "text", "lang": "en"}, content=example.read_bytes())
    assert text.headers["content-type"].startswith("text/plain")
    assert text.content == cli("assess", "--format", "text", "--lang", "en", str(example))


def test_assess_a_bare_household_on_a_date(service: str) -> None:
    example = EXAMPLES[0]
    household = json.loads(example.read_text(encoding="utf-8"))["household"]
    response = httpx.post(service + "/assess", params={"on": LATEST}, json=household)
    assert response.content == cli("assess", "--on", LATEST, str(example))


def test_assess_worked_example_05_to_the_fen(service: str) -> None:
    body = (ROOT / "tests/examples/05-marginal-medical-temporary.json").read_bytes()
    out = httpx.post(service + "/assess", content=body).json()
    assert out["programmes"]["temporary"]["one_off"] == "9600.00"
    assert out["programmes"]["dibao"]["monthly"] == "960.00"
    assert out["totals"] == {"monthly": "960.00", "one_off": "25120.00"}


def test_assess_under_a_second_locality(service: str) -> None:
    body = EXAMPLES[0].read_bytes()
    response = httpx.post(service + "/assess", params={"locality": "demo-city-2026", "on": "2026-02-01"},
                          content=body)
    assert response.status_code == 200, response.text
    assert response.json()["policy"] == "demo-city-2026"
    expected = json.loads(cli("assess", "--on", "2026-02-01", "--policy", "docs/examples/standard-raise.toml",
                              str(EXAMPLES[0])))
    got = response.json()
    # The same policy bytes, named by the path each was given (the service's configuration vs the command line).
    assert [f["sha256"] for f in got["provenance"]["policy_files"]] == [
        f["sha256"] for f in expected["provenance"]["policy_files"]]
    for out in (got, expected):
        del out["provenance"]
    assert got == expected


# -- /batch, /validate, /compare ------------------------------------------------------------------------------


def test_batch_streams_the_bytes_of_the_cli_in_order(service: str, tmp_path: Path) -> None:
    path = population(tmp_path, [b"", b'{"id": "H-bad", "residence": "urban", "members": [{"id": "P1"}]}'])
    expected = cli("batch", str(path), "--on", LATEST, "--no-progress")
    with httpx.stream("POST", service + "/batch", params={"on": LATEST}, content=path.read_bytes()) as response:
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/x-ndjson"
        assert response.headers.get("transfer-encoding") == "chunked"  # streamed, not buffered
        got = response.read()
    assert got == expected
    lines = [json.loads(line) for line in got.splitlines()]
    assert [d.get("household") for d in lines] == [*(_id(p) for p in EXAMPLES), "H-bad"]
    jsonschema.validate(lines[-1], error_schema())
    assert lines[-1]["line"] == len(EXAMPLES) + 2
    assert {e["path"] for e in lines[-1]["errors"]} >= {"members[0].name", "members[0].birth_date"}


def test_reasons_as_data_render_to_the_bytes_of_the_text(service: str, tmp_path: Path) -> None:
    path = population(tmp_path)
    text = httpx.post(service + "/batch", params={"on": LATEST}, content=path.read_bytes()).content
    data = httpx.post(service + "/batch", params={"on": LATEST, "reasons": "data"}, content=path.read_bytes())
    assert data.status_code == 200 and b'"text"' not in data.content
    (tmp_path / "data.jsonl").write_bytes(data.content)
    assert cli("explain", str(tmp_path / "data.jsonl")) == text
    none = httpx.post(service + "/batch", params={"on": LATEST, "reasons": "none"}, content=path.read_bytes())
    programmes = [p for line in none.content.splitlines() for p in json.loads(line)["programmes"].values()]
    assert programmes and all("reasons" not in p for p in programmes)
    example = EXAMPLES[0]
    one = httpx.post(service + "/assess", params={"reasons": "data"}, content=example.read_bytes())
    (tmp_path / "one.json").write_bytes(one.content)
    assert cli("explain", str(tmp_path / "one.json")) == cli("assess", str(example))
    body = problem(httpx.post(service + "/assess", params={"reasons": "data", "explain": "text"},
                              content=example.read_bytes()), 400)
    assert body["parameter"] == "reasons"
    problem(httpx.post(service + "/batch", params={"on": LATEST, "reasons": "html"}, content=path.read_bytes()), 400)


def _id(example: Path) -> str:
    return json.loads(example.read_text(encoding="utf-8"))["household"]["id"]


def test_validate_reports_every_problem_with_its_path(service: str, tmp_path: Path) -> None:
    path = population(tmp_path, [b'{"id": "H-9", "residence": "town", "members": [{"id": "P1", "name": "x", '
                                 b'"birth_date": "2030-01-01", "relationship": "head"}]}', b"not json"])
    response = httpx.post(service + "/validate", params={"on": LATEST}, content=path.read_bytes())
    assert response.status_code == 200, response.text
    out = response.json()
    assert (out["format"], out["households"], out["valid"], out["invalid"]) == ("jsonl", 10, 8, 2)
    first, second = out["rejected"]
    assert first["household"] == "H-9" and first["line"] == 9
    assert [e["path"] for e in first["errors"]] == ["residence"]
    assert second["line"] == 10 and second["error"]["message"].startswith("invalid JSON")
    dated = httpx.post(service + "/validate", params={"on": "2025-01-01"},
                       content=path.read_bytes().splitlines()[8]).json()
    assert dated["rejected"][0]["errors"] == [
        {"path": "residence", "message": "expected one of urban, rural; got 'town'"}]


def test_validate_a_list_and_a_single_household(service: str) -> None:
    households = [json.loads(p.read_text(encoding="utf-8"))["household"] for p in EXAMPLES[:2]]
    out = httpx.post(service + "/validate", json=[*households, households[0]]).json()
    assert (out["format"], out["valid"], out["invalid"]) == ("list", 2, 1)
    assert out["rejected"][0]["errors"][0]["path"] == "id"
    single = httpx.post(service + "/validate", content=EXAMPLES[0].read_bytes()).json()
    assert (single["format"], single["valid"]) == ("object", 1)


def test_compare_gives_the_aggregates_of_the_cli(service: str, tmp_path: Path) -> None:
    path = population(tmp_path)
    response = httpx.post(service + "/compare", params={"on": "2026-02-01", "reform": "demo-city-2026"},
                          content=path.read_bytes())
    assert response.status_code == 200, response.text
    out = response.json()
    aggregates = tmp_path / "compare.json"
    cli("compare", str(path), "--on", "2026-02-01", "--base", "demo-city", "--reform",
        "docs/examples/standard-raise.toml", "--json", str(aggregates), "--no-progress")
    assert out["summary"] == json.loads(aggregates.read_text(encoding="utf-8"))
    assert out["summary"]["changed"] == len(out["changes"]) > 0


# -- the other routes -----------------------------------------------------------------------------------------


def test_params_are_those_of_the_cli(service: str) -> None:
    response = httpx.get(service + "/params", params={"on": "2025-07-15"})
    assert response.json() == json.loads(cli("params", "--on", "2025-07-15", "--format", "json"))


def test_plugins_health_and_cliff(service: str) -> None:
    plugins = httpx.get(service + "/plugins").json()
    names = [p["name"] for p in plugins["programmes"]]
    assert names[:3] == ["tekun", "dibao", "low_income"] and "temporary" in names
    health = httpx.get(service + "/health").json()
    assert health["localities"] == ["demo-city", "demo-city-2026"] and health["limits"]["max_households"] == 12
    curve = httpx.post(service + "/cliff", params={"member": "P1", "max": "3000", "step": "100"},
                       content=EXAMPLES[0].read_bytes()).json()
    assert len(curve["points"]) == 31 and curve["points"][0]["wage"] == "0.00"
    assert curve["titles"]["dibao"]["zh"]


def test_openapi_has_the_household_and_determination_schemas(service: str) -> None:
    document = httpx.get(service + "/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    schemas = document["components"]["schemas"]
    assert set(schemas["Household"]["properties"]) == set(household_schema()["properties"])
    assert "birth_date" in schemas["Household.Person"]["properties"]
    assert set(schemas["Determination"]["required"]) >= {"household", "programmes", "totals"}
    assert {"/assess", "/validate", "/batch", "/compare", "/params", "/plugins", "/health"} <= set(document["paths"])
    for example in EXAMPLES:
        household = json.loads(example.read_text(encoding="utf-8"))["household"]
        jsonschema.validate(household, httpx.get(service + "/schema/household.json").json())


# -- bad input: problem+json with paths -----------------------------------------------------------------------


def test_an_invalid_household_names_it_and_every_field(service: str) -> None:
    household = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))["household"]
    household["members"][0]["birth_date"] = "1980-02-30"
    household["members"][0]["relationship"] = "boss"
    household["incomes"][0]["amount"] = "12.345"
    body = problem(httpx.post(service + "/assess", json=household), 422)
    assert body["household"] == household["id"]
    paths = {e["path"]: e["message"] for e in body["errors"]}
    assert paths["members[0].birth_date"] == "no such date: (value not shown)"
    assert "members[0].relationship" in paths and "incomes[0].amount" in paths
    assert body["detail"].startswith(f"household {household['id']}: ")


def test_a_date_after_the_assessment_date_is_a_problem(service: str) -> None:
    body = problem(httpx.post(service + "/assess", params={"on": "1990-01-01"}, content=EXAMPLES[0].read_bytes()),
                   422)
    assert any(e["path"].endswith("birth_date") for e in body["errors"])


def test_invalid_json_and_invalid_funds(service: str) -> None:
    body = problem(httpx.post(service + "/assess", content=b'{"id": '), 400)
    assert body["errors"][0]["path"] == "" and body["errors"][0]["message"].startswith("invalid JSON")
    wrapped = {"household": json.loads(EXAMPLES[4].read_text(encoding="utf-8"))["household"], "on": "2025-05-20",
               "funds": [{"id": "F1", "name": "x", "balance": "-1", "need_kinds": ["medical"],
                          "per_household_cap": "100", "valid_from": "2025-01-01", "valid_to": "2025-12-31"}]}
    funds = problem(httpx.post(service + "/assess", json=wrapped), 422)
    assert funds["type"].endswith("invalid-funds") and funds["errors"][0]["path"] == "funds[0].balance"


def test_a_nan_is_the_error_of_its_household_and_field(service: str) -> None:
    """As ``assistkit assess`` (issue 30): NaN, which JSON has not and Python's decoder takes, is refused where it
    stands."""
    text = EXAMPLES[0].read_text(encoding="utf-8").replace('"amount": "10800"', '"amount": NaN')
    assert "NaN" in text
    body = problem(httpx.post(service + "/assess", content=text.encode()), 422)
    assert body["household"] == "H-01"
    assert body["errors"] == [{"path": "incomes[0].amount", "message": "expected a finite number; got NaN"}]


@pytest.mark.parametrize(("params", "parameter"), [
    ({"on": "2025-13-01"}, "on"), ({"lang": "fr"}, "lang"), ({"locality": "atlantis"}, "locality"),
    ({"explain": "pdf"}, "explain"),
])
def test_bad_parameters_are_named(service: str, params: dict[str, str], parameter: str) -> None:
    body = problem(httpx.post(service + "/assess", params=params, content=EXAMPLES[0].read_bytes()), 400)
    assert body["parameter"] == parameter


def test_unknown_routes_and_methods(service: str) -> None:
    problem(httpx.get(service + "/nowhere"), 404)
    problem(httpx.get(service + "/assess"), 405)
    problem(httpx.post(service + "/batch", content=b""), 400)  # no ?on=


# -- limits -----------------------------------------------------------------------------------------------------


def test_the_body_size_limit(service: str) -> None:
    body = problem(httpx.post(service + "/assess", content=b" " * 200_001), 413)
    assert body["limit"] == 200_000


def test_the_households_per_request_limit(service: str, tmp_path: Path) -> None:
    lines = population(tmp_path).read_bytes().splitlines()
    too_many = b"\n".join(lines + lines[:5]) + b"\n"  # 13 households; the limit is 12
    for route in ("/batch", "/compare", "/validate"):
        body = problem(httpx.post(service + route, params={"on": LATEST, "reform": "demo-city-2026"},
                                  content=too_many), 413)
        assert body["limit"] == 12 and "13 households" in body["detail"]


def test_the_time_limit_with_two_workers_behind_a_proxy_prefix(hurried_service: str, tmp_path: Path) -> None:
    for _ in range(4):  # whichever worker answers
        assert httpx.get(hurried_service + "/health").json()["status"] == "ok"
    document = httpx.get(hurried_service + "/openapi.json").json()
    assert document["servers"] == [{"url": "/assistkit"}]
    problem(httpx.post(hurried_service + "/assess", content=EXAMPLES[0].read_bytes()), 503)
    body = problem(httpx.post(hurried_service + "/batch", params={"on": LATEST},
                              content=population(tmp_path).read_bytes()), 503)
    assert body["type"] == "urn:assistkit:problem:timeout"


def test_serve_refuses_an_unknown_locality() -> None:
    result = CliRunner().invoke(main, ["serve", "--locality", "atlantis"], prog_name="assistkit")
    assert result.exit_code == 2 and "unknown locality 'atlantis'" in result.output
