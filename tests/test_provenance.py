"""Provenance: every determination and batch summary says what produced it; compare warns when two runs differ in
plugins."""

from __future__ import annotations

import datetime as dt
import hashlib
import io as _io
import json
from pathlib import Path

import attrs
import pytest

from assistkit import io
from assistkit.dev.demo import demo_lines
from assistkit.engine import Engine
from assistkit.population import batch, compare
from assistkit.provenance import PluginVersion, plugin_differences

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "examples" / "01-urban-dibao-wage.json"
RAISE = ROOT / "docs" / "examples" / "standard-raise.toml"
ON = dt.date(2025, 7, 15)


def _household():
    return io.structure_household(json.loads(EXAMPLE.read_text(encoding="utf-8"))["household"])


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def test_a_determination_names_engine_plugins_locality_and_policy_digests(engine) -> None:
    out = engine.assess(_household(), ON).to_json()
    p = out["provenance"]
    assert p["engine"]["distribution"] == "assistkit" and p["engine"]["version"]
    dists = {x["distribution"]: x["version"] for x in p["plugins"]}
    assert {"assistkit-basic-living", "assistkit-medical", "assistkit-temporary"} <= set(dists)
    assert all(v for v in dists.values())
    assert p["locality"] == "demo-city"
    assert [f["file"] for f in p["policy_files"]] == list(engine.policy.files)
    assert all(len(f["sha256"]) == 64 for f in p["policy_files"])
    assert p["id"].startswith("sha256:")


def test_the_digest_is_the_sha256_of_the_policy_file_read() -> None:
    raised = Engine(policy_files=[RAISE])
    files = {f["file"]: f["sha256"] for f in raised.assess(_household(), ON).to_json()["provenance"]["policy_files"]}
    assert files[str(RAISE)] == hashlib.sha256(RAISE.read_bytes()).hexdigest()
    assert raised.provenance.id != Engine().provenance.id


def test_one_more_plugin_is_told_apart(engine) -> None:
    # The trap: one more plugin changed a total with nothing in the output to tell the runs apart.
    import assistkit_basic_living.hooks
    import assistkit_medical.hooks

    from tests.plugins import toys

    fewer = Engine(plugins=[assistkit_basic_living.hooks, assistkit_medical.hooks])
    more = Engine(plugins=[assistkit_basic_living.hooks, assistkit_medical.hooks, toys])
    a, b = fewer.assess(_household(), ON).to_json(), more.assess(_household(), ON).to_json()
    assert a["provenance"]["id"] != b["provenance"]["id"]
    # Plugins given as modules are traced to their distributions.
    assert a["provenance"]["plugins"][0]["distribution"] == "assistkit-basic-living"
    differences = plugin_differences(fewer.provenance, more.provenance)
    assert len(differences) == 1 and "only in the second run" in differences[0]


def test_batch_summary_records_the_provenance(engine) -> None:
    result = batch(list(demo_lines(5, seed=1, on=ON)), _io.BytesIO(), ON)
    assert result.to_json()["provenance"] == engine.provenance.to_json()


def test_compare_warns_loudly_when_the_runs_differ_in_plugins() -> None:
    lines = list(demo_lines(5, seed=1, on=ON))
    result = compare(lines, ON, "demo-city", str(RAISE))
    assert result.plugin_differences == [] and not result.text().startswith("WARNING")
    other = attrs.evolve(result.reform_provenance,
                         plugins=(*result.reform_provenance.plugins, PluginVersion("extra", "assistkit-extra", "1.0")))
    changed = attrs.evolve(result, reform_provenance=other)
    text = changed.text()
    assert text.startswith("WARNING: the base and the reform ran different plugins")
    assert "assistkit-extra: only in the second run (assistkit-extra 1.0)" in text
    assert changed.to_json()["plugin_differences"]
