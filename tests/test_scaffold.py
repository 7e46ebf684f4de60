"""``assistkit new-plugin``: the names it derives, what it refuses, and a generated plugin that works.

The end-to-end test scaffolds a plugin into a temporary folder, installs it with pip into a separate target
folder (``--target``: the shared virtualenv is never modified, so nothing needs uninstalling even if the test
is interrupted), and runs ``assistkit plugins``, ``assistkit params`` and the generated tests in
subprocesses whose ``PYTHONPATH`` adds that folder.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib

import pytest
from click.testing import CliRunner

from assistkit.cli._new_plugin import new_plugin
from assistkit.dev.scaffold import RESERVED, STATUSES, ScaffoldError, plugin_names, scaffold

EXPECTED_FILES = {
    "README.md",
    "pyproject.toml",
    "src/assistkit_winter_fuel/__init__.py",
    "src/assistkit_winter_fuel/demo-city.toml",
    "src/assistkit_winter_fuel/hooks.py",
    "src/assistkit_winter_fuel/parameters.py",
    "src/assistkit_winter_fuel/programme.py",
    "src/assistkit_winter_fuel/py.typed",
    "tests/test_conformance.py",
    "tests/test_worked_example.py",
}


def test_names_derived_from_the_plugin_name():
    names = plugin_names("winter-fuel")
    assert names.distribution == "assistkit-winter-fuel"
    assert names.package == "assistkit_winter_fuel"
    assert names.programme == "winter_fuel"
    assert names.class_name == "WinterFuelProgramme"
    assert names.parameter == "winter_fuel.grant"
    assert plugin_names("winter_fuel").distribution == "assistkit-winter-fuel"


@pytest.mark.parametrize("bad", ["", "Winter", "2fuel", "winter fuel", "winter--fuel", "fuel-", "冬", "a.b"])
def test_bad_names_are_refused_with_an_example(bad):
    with pytest.raises(ScaffoldError, match="e.g. winter-fuel"):
        plugin_names(bad)


@pytest.mark.parametrize("taken", sorted(RESERVED))
def test_reserved_names_are_refused(taken):
    with pytest.raises(ScaffoldError, match="is taken"):
        plugin_names(taken.replace("_", "-"))


def test_unknown_status_is_refused(tmp_path):
    with pytest.raises(ScaffoldError, match="choose one of"):
        scaffold("winter-fuel", tmp_path, status="poor")
    assert not (tmp_path / "assistkit-winter-fuel").exists()


def test_writes_the_distribution_and_never_overwrites(tmp_path):
    target, written = scaffold("winter-fuel", tmp_path, title_zh="冬季取暖补助", title_en="Winter fuel grant")
    assert target == tmp_path / "assistkit-winter-fuel"
    assert {p.relative_to(target).as_posix() for p in written} == EXPECTED_FILES
    with pytest.raises(ScaffoldError, match="already exists"):
        scaffold("winter-fuel", tmp_path)


@pytest.mark.parametrize("status", STATUSES)
def test_generated_files_are_valid(tmp_path, status):
    titles = {"title_zh": '引"号', "title_en": "It's \\ fine"}  # quotes and backslashes are escaped
    target, written = scaffold("winter-fuel", tmp_path, status=status, **titles)
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "${" not in text, f"{path.name}: unsubstituted placeholder"
        if path.suffix == ".py":
            compile(text, str(path), "exec")
        elif path.suffix == ".toml":
            tomllib.loads(text)
    project = tomllib.loads((target / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["name"] == "assistkit-winter-fuel"
    assert project["project"]["entry-points"]["assistkit"] == {"winter_fuel": "assistkit_winter_fuel.hooks"}
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["src/assistkit_winter_fuel"]
    programme = (target / "src/assistkit_winter_fuel/programme.py").read_text(encoding="utf-8")
    assert f'STATUS = "{status}"' in programme and "THIS IS THE PLACE TO WRITE YOUR RULE" in programme


def test_command_line(tmp_path):
    runner = CliRunner()
    result = runner.invoke(new_plugin, ["winter-fuel", "--dir", str(tmp_path), "--status", "marginal"])
    assert result.exit_code == 0, result.output
    assert "created" in result.output and "programme.py" in result.output
    again = runner.invoke(new_plugin, ["winter-fuel", "--dir", str(tmp_path)])
    assert again.exit_code == 2 and "already exists" in again.output
    bad = runner.invoke(new_plugin, ["Dibao", "--dir", str(tmp_path)])
    assert bad.exit_code == 2 and "error:" in bad.output


def _run(args, cwd, env, timeout=300):
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_generated_plugin_installs_loads_and_passes_its_own_tests(tmp_path):
    target, _ = scaffold("winter-fuel", tmp_path / "work", title_zh="冬季取暖补助", title_en="Winter fuel")
    site = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site)]
    if importlib.util.find_spec("hatchling") is not None:
        pip.append("--no-build-isolation")  # fast and offline; otherwise pip fetches hatchling to build
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    _run([*pip, str(target)], tmp_path, env)
    assert (site / "assistkit_winter_fuel" / "demo-city.toml").is_file(), "values must ship as package data"

    cli = [sys.executable, "-c", "from assistkit.cli import main; main()"]
    listed = _run([*cli, "plugins"], tmp_path, env)
    line = next((x for x in listed.splitlines() if " winter_fuel " in x), None)
    assert line is not None, listed
    assert "冬季取暖补助 / Winter fuel" in line and "[assistkit-winter-fuel 0.1.0]" in line
    assert "failed to load" not in listed
    params = _run([*cli, "params", "--on", "2025-07-15"], tmp_path, env)
    assert "winter_fuel.grant = 200.00 yuan" in params

    tests = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], target, env)
    assert " passed" in tests and "failed" not in tests and "error" not in tests.lower(), tests
