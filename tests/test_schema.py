"""The JSON Schemas (assistkit.schema) and the data-format reference built from them: every field of the model is
documented in English and Chinese, the schemas accept what the engine reads and writes, and the reference page
renders every record type."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from click.testing import CliRunner

from assistkit.cli import main
from assistkit.engine import Engine
from assistkit.io import read_example
from assistkit.schema import (
    FIELD_DOCS,
    MODEL_CLASSES,
    determination_schema,
    error_schema,
    household_schema,
    json_name,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "tests" / "examples").glob("*.json"))
PAGE = ROOT / "docs" / "data-format.md"
_CJK = re.compile(r"[\u4e00-\u9fff]")

sys.path.insert(0, str(ROOT / "docs" / "_ext"))
from assistkit_docs import schema_rows  # noqa: E402

FIELDS = [f"{cls.__name__}.{f.name}" for cls in MODEL_CLASSES for f in attrs.fields(cls)]
SCHEMAS = {"household": household_schema, "determination": determination_schema, "error": error_schema}


@pytest.mark.parametrize("field", FIELDS)
def test_every_field_of_the_model_is_documented_in_both_languages(field: str) -> None:
    assert field in FIELD_DOCS, f"{field}: add its meaning (English, Chinese) to FIELD_DOCS in assistkit/schema.py"
    en, zh = FIELD_DOCS[field]
    assert en.strip() and zh.strip() and _CJK.search(zh), f"{field}: {FIELD_DOCS[field]!r}"
    cls, name = field.split(".")
    rows = {row[0]: row for row in schema_rows("household", cls)}
    assert rows[json_name(name)][3:] == (en, zh), f"{field} is not in the reference table of {cls}"


def test_no_documentation_for_a_field_that_does_not_exist() -> None:
    assert set(FIELD_DOCS) == set(FIELDS)


def _records(schema: dict[str, Any]) -> list[str]:
    return [schema["title"], *schema.get("$defs", {})]


def _properties(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        for key, prop in node.get("properties", {}).items():
            found.append((path + key, prop))
            found.extend(_properties(prop, f"{path}{key}."))
        for key, sub in node.get("$defs", {}).items():
            found.extend(_properties(sub, f"{key}."))
    return found


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_property_of_every_schema_has_a_meaning_in_both_languages(name: str) -> None:
    schema = SCHEMAS[name]()
    jsonschema.Draft202012Validator.check_schema(schema)
    missing = [path for path, prop in _properties(schema)
               if not prop.get("description") or not _CJK.search(prop.get("x-description-zh", ""))]
    assert not missing, f"{name}: no meaning in English and Chinese for {missing}"


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_reference_page_renders_every_record_type(name: str) -> None:
    text = PAGE.read_text(encoding="utf-8")
    for record in _records(SCHEMAS[name]()):
        assert f"```{{assistkit-schema}} {name} {record}\n```" in text, f"docs/data-format.md lacks {name} {record}"
        assert schema_rows(name, record), record


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_schemas_accept_the_examples_and_their_determinations(example: Path) -> None:
    household = json.loads(example.read_text(encoding="utf-8"))["household"]
    jsonschema.validate(household, household_schema())
    parsed = read_example(example)
    determination = Engine().assess(parsed.household, parsed.on)
    for lang in ("zh", "en"):
        jsonschema.validate(json.loads(determination.to_json_text(lang=lang)), determination_schema())


def test_the_schema_refuses_what_the_reader_refuses() -> None:
    household = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))["household"]
    for change in ({"residence": "town"}, {"sex": "f"}, {"members": "P1"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**household, **change}, household_schema())
    bad = json.loads(json.dumps(household))
    bad["incomes"][0]["amount"] = "12.345"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, household_schema())


@pytest.mark.parametrize("name", SCHEMAS)
def test_the_schema_command_prints_the_schema(name: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema", name], prog_name="assistkit")
    assert result.exit_code == 0, result.output
    # The household's open lists and extension block: the core's and the installed plugins' declarations.
    expected = household_schema(Engine().declared) if name == "household" else SCHEMAS[name]()
    assert json.loads(result.output) == expected
    out = tmp_path / f"{name}.json"
    assert CliRunner().invoke(main, ["schema", name, "--out", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == expected
    if name == "household":
        core = CliRunner().invoke(main, ["schema", name, "--core-only"])
        assert json.loads(core.output) == household_schema()
