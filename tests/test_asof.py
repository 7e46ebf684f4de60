"""As-of (issue 29): a determination kept as issued, with what produced it, is reproduced byte for byte; when it
is not, the figures that changed and the change in what produced it (a policy file, a plugin) are named."""

from __future__ import annotations

import copy
import importlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistkit.asof import AsOfError, issue, policy_file_digest, provenance, verify_issued
from assistkit.cli import main
from assistkit.engine import Engine
from assistkit.io import structure_household
from assistkit.record import determination_digest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "examples" / "01-urban-dibao-wage.json"
HOUSEHOLD = structure_household(json.loads(EXAMPLE.read_text(encoding="utf-8"))["household"])
ON = __import__("datetime").date(2025, 7, 15)
HOOKS = ["assistkit_basic_living.hooks", "assistkit_medical.hooks", "assistkit_education.hooks",
         "assistkit_housing.hooks", "assistkit_temporary.hooks", "assistkit_employment.hooks"]


def modules(*names: str) -> list[object]:
    return [importlib.import_module(n) for n in names]


def test_provenance_names_engine_plugins_locality_and_policy_files() -> None:
    prov = provenance(Engine())
    assert prov["engine"]["distribution"] == "assistkit" and prov["locality"] == "demo-city"
    assert {"name": "basic_living", "distribution": "assistkit-basic-living", "version": "0.1.0",
            "programmes": ["tekun", "dibao", "low_income"]} in prov["plugins"]
    files = {f["file"]: f["sha256"] for f in prov["policy_files"]}
    core = ROOT / "src" / "assistkit" / "localities" / "demo-city.toml"
    import hashlib

    assert files["<assistkit>/localities/demo-city.toml"] == hashlib.sha256(core.read_bytes()).hexdigest()
    assert all(len(d or "") == 64 for d in files.values())
    assert policy_file_digest("<no_such_package>/x.toml") is None


def test_an_issued_determination_is_reproduced_exactly() -> None:
    issued = issue(Engine(), HOUSEHOLD, ON)
    engine_json = Engine().assess(HOUSEHOLD, ON).to_json()
    assert issued["determination"] == engine_json
    assert issued["digest"] == determination_digest(engine_json)  # the digest the record holds
    # Through a file, as an office keeps it.
    again = json.loads(json.dumps(issued, ensure_ascii=False))
    check = verify_issued(again)
    assert check.matches and check.changes == () and check.causes == ()
    assert check.text().startswith("the determination is reproduced exactly")


def test_a_changed_policy_file_is_named_with_the_figures_it_changed(tmp_path: Path) -> None:
    raise_ = tmp_path / "raise.toml"
    raise_.write_text("[standard]\nurban = { 2025-07-01 = 1100 }\n", encoding="utf-8")
    engine = Engine(locality="demo-city", policy_files=[str(raise_)])
    issued = issue(engine, HOUSEHOLD, ON)
    assert verify_issued(issued).matches
    raise_.write_text("[standard]\nurban = { 2025-07-01 = 1120 }\n", encoding="utf-8")
    check = verify_issued(issued)
    assert not check.matches
    figures = {c.path: (c.then, c.now) for c in check.changes if ".reasons" not in c.path}
    # S 1100 → 1120: deduction min(1800, 0.3 S) 330 → 336 for P1, so countable 1900 − 430 → 1900 − 436; PCI
    # 1470 / 3 = 490.00 → 1464 / 3 = 488.00; dibao (1100 − 490) × 3 + 0.15 × 1100 = 1995 → (1120 − 488) × 3
    # + 168 = 2064.
    assert figures["income.per_capita"] == ("490.00", "488.00")
    assert figures["programmes.dibao.monthly"] == ("1995.00", "2064.00")
    assert figures["totals.monthly"] == ("1995.00", "2064.00")
    assert len(check.causes) == 1 and check.causes[0].startswith(f"policy override file 1, {raise_}, changed")
    assert "programmes.dibao.monthly: \"1995.00\" → \"2064.00\"" in check.text()


def test_a_plugin_added_or_changed_is_named() -> None:
    without_medical = [h for h in HOOKS if h != "assistkit_medical.hooks"]
    issued = issue(Engine(modules(*without_medical)), HOUSEHOLD, ON)
    check = verify_issued(issued, plugins=modules(*HOOKS))
    assert not check.matches
    figures = {c.path: (c.then, c.now) for c in check.changes if ".reasons" not in c.path}
    assert figures["totals.one_off"] == ("0.00", "960.00")
    assert check.causes == ("plugin assistkit_medical.hooks (programmes medical) was not installed then",
                            "policy file <assistkit_medical>/demo-city.toml was not read then")
    # A version recorded then that differs now: the figures are the same, the difference is still said.
    older = copy.deepcopy(issue(Engine(), HOUSEHOLD, ON))
    for plugin in older["provenance"]["plugins"]:
        if plugin["distribution"] == "assistkit-medical":
            plugin["version"] = "0.0.9"
    check = verify_issued(older)
    assert check.matches
    assert check.causes == ("plugin assistkit-medical 0.0.9 → 0.1.0 (programmes medical)",)
    assert "though what produced it differs" in check.text()


def test_an_issued_determination_changed_afterwards_is_refused() -> None:
    issued = issue(Engine(), HOUSEHOLD, ON)
    issued["determination"]["totals"]["monthly"] = "2823.00"
    with pytest.raises(AsOfError, match="does not match its own digest"):
        verify_issued(issued)
    with pytest.raises(AsOfError, match="not an issued determination"):
        verify_issued({"household": "H-01"})


def test_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "issued.json"
    made = runner.invoke(main, ["issue", str(EXAMPLE), "-o", str(out)])
    assert made.exit_code == 0, made.output
    ok = runner.invoke(main, ["verify", str(out)])
    assert ok.exit_code == 0 and ok.output.startswith("the determination is reproduced exactly"), ok.output
    raise_ = tmp_path / "raise.toml"
    raise_.write_text("[standard]\nurban = { 2025-07-01 = 1100 }\n", encoding="utf-8")
    changed = runner.invoke(main, ["verify", str(out), "--policy", str(raise_)])
    assert changed.exit_code == 1
    assert "programmes.dibao.monthly: \"1823.00\" → \"1995.00\"" in changed.output
    assert "policy override file 1" in changed.output and "was not given then" in changed.output
    undated = tmp_path / "h.json"
    undated.write_text(json.dumps(json.loads(EXAMPLE.read_text(encoding="utf-8"))["household"]), encoding="utf-8")
    assert runner.invoke(main, ["issue", str(undated)]).exit_code == 2
    bad = runner.invoke(main, ["verify", str(undated)])
    assert bad.exit_code == 2 and "not an issued determination" in bad.output
