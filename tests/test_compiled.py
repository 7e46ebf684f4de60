"""The build compiled by mypyc (``hatch_build.py``, docs/performance.md) behaves exactly as the pure Python one.

A compiled module can fail where Python does not (an annotation that does not hold is checked at run time). So
this builds the compiled core and programme plugins as wheels in a fresh virtual environment and installs them
there. It checks that their modules are extensions, runs the engine's, the rules' and the population tools'
tests there, and compares a batch's output with this interpreter's, byte for byte. In a second environment,
without mypy, it checks that the wheels run and take a programme written in Python. Last, it checks that a
build without mypyc falls back to pure Python, or fails when compilation is required.

It takes about four minutes: the compiler comes from the package index, as the project's other dependencies
do. So it is marked ``compiled``, which the default test run leaves out (pyproject.toml's addopts): run it with
``pytest -m compiled``, as CI does in a step of its own (.ci/run). ``ASSISTKIT_SKIP_COMPILED=1`` skips it (for a
machine without a C compiler); CI does not.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INSIDE = "ASSISTKIT_COMPILED_RUN"
"""Set in the run of the tests inside the compiled environment, where this module has nothing to do."""

pytestmark = [
    pytest.mark.compiled,
    pytest.mark.skipif(
        bool(os.environ.get(INSIDE) or os.environ.get("ASSISTKIT_SKIP_COMPILED")),
        reason="inside the compiled run, or skipped by ASSISTKIT_SKIP_COMPILED",
    ),
]

# The tests of what is compiled and of what runs it; the rest (docs, lint, scaffolding, the README) are about
# files and tools, not the compiled modules.
TESTS = [
    "tests/test_engine.py",
    "tests/test_means.py",
    "tests/test_explanation.py",
    "tests/test_worked_examples_suite.py",
    "tests/test_population.py",
    "tests/test_compare.py",
    "tests/test_donations.py",
    "tests/test_review_cmd.py",
    "tests/test_notice.py",
    "tests/test_io_corpus.py",
    "tests/test_testing_kit.py",
    "plugins",
]


def _hook(pyproject: Path) -> dict:
    """The mypyc hook's table in ``pyproject`` (empty when the distribution is not compiled)."""
    wheel = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"]["wheel"]
    return wheel.get("hooks", {}).get("custom", {})


def _compiled_plugins() -> list[Path]:
    return [p.parent for p in sorted(ROOT.glob("plugins/*/pyproject.toml")) if _hook(p)]


def _run(*args: str | Path, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    process = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, timeout=900)
    if process.returncode:
        tail = (process.stdout + process.stderr).decode("utf-8", "replace")[-6000:]
        pytest.fail(f"{' '.join(map(str, args[:4]))} … exited {process.returncode}:\n{tail}")
    return process


def _clean(**extra: str) -> dict[str, str]:
    """This process's environment variables without ``PYTHONPATH`` (which would bring in the sources), plus
    ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(extra)
    return env


def _environment(home: Path) -> tuple[Path, dict[str, str]]:
    """A fresh virtual environment's interpreter, and the environment variables to build the compiled wheels."""
    venv.create(home, with_pip=True)
    env = _clean(HATCH_BUILD_HOOK_ENABLE_CUSTOM="1", ASSISTKIT_COMPILE="require", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return home / "bin" / "python", env


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The interpreter of a fresh environment that built and holds the compiled core and plugins, and the folder
    of their wheels."""
    tmp = tmp_path_factory.mktemp("compiled")
    python, env = _environment(tmp / "venv")
    wheels = tmp / "wheels"
    pip: list[str | Path] = [python, "-m", "pip"]
    # The core builds in its own build environment (with its runtime dependencies, which mypy reads); a plugin
    # builds in this one, where it is checked against the compiled core just installed.
    _run(*pip, "install", "-q", *_hook(ROOT / "pyproject.toml")["dependencies"], "hatchling", env=env)
    _run(*pip, "wheel", "-q", "--no-deps", "-w", wheels, ROOT, env=env)
    (core,) = wheels.glob("assistkit-*.whl")
    _run(*pip, "install", "-q", f"{core}[testing,fast]", env=env)
    _run(*pip, "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", wheels, *sorted(ROOT.glob("plugins/*/")),
         env=env)
    _run(*pip, "install", "-q", *sorted(wheels.glob("assistkit_*.whl")), env=env)
    return python, wheels


@pytest.fixture(scope="module")
def python(built: tuple[Path, Path]) -> Path:
    return built[0]


def test_the_listed_modules_are_compiled(python: Path) -> None:
    modules = list(_hook(ROOT / "pyproject.toml")["modules"])
    for plugin in _compiled_plugins():
        modules += _hook(plugin / "pyproject.toml")["modules"]
    names = [m.removesuffix(".py").replace("/", ".") for m in modules]
    code = ("import importlib, assistkit\n"
            "assert assistkit.compiled()\n"
            f"for name in {names!r}:\n"
            "    path = importlib.import_module(name).__file__\n"
            "    assert not path.endswith('.py'), path\n"
            "    print(path)\n")
    out = _run(python, "-c", code, env=_clean(), cwd=python.parent).stdout.decode()
    assert len(out.splitlines()) == len(names) >= 15
    assert "site-packages" in out


def test_the_tests_pass_compiled(python: Path) -> None:
    out = _run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *TESTS, env=_clean(**{INSIDE: "1"})).stdout
    out = out.decode()
    assert " passed" in out and "failed" not in out, out[-2000:]


def test_a_batch_writes_the_same_bytes_compiled(python: Path, tmp_path: Path) -> None:
    from assistkit.dev.demo import demo_lines

    lines = [line.rstrip("\n") for line in demo_lines(1500, seed=7)]
    # Rejected lines take their own path (§17): a date that does not read, a missing field, not JSON at all.
    lines[10] = lines[10].replace('"birth_date":"', '"birth_date":"19', 1)
    lines[20] = lines[20].replace('"members":', '"people":', 1)
    lines[30] = "{not json"
    population = tmp_path / "population.jsonl"
    population.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli = "from assistkit.cli import main; main()"
    for lang in ("zh", "en"):
        args: list[str | Path] = ["-c", cli, "batch", population, "--on", "2025-07-15", "--lang", lang, "-j", "2"]
        pure = subprocess.run([sys.executable, *args], capture_output=True, timeout=600)
        compiled = subprocess.run([python, *args], capture_output=True, timeout=600, cwd=tmp_path, env=_clean())
        assert pure.returncode == compiled.returncode == 1  # the three rejected lines
        assert pure.stdout.count(b"\n") == 1500
        assert [n for n, line in enumerate(pure.stdout.splitlines()) if line.startswith(b'{"line"')] == [10, 20, 30]
        assert compiled.stdout == pure.stdout
        assert compiled.stderr == pure.stderr


def test_a_build_that_cannot_compile_is_pure_python_or_an_error_when_required(tmp_path: Path) -> None:
    python, env = _environment(tmp_path / "venv")
    del env["ASSISTKIT_COMPILE"]
    _run(python, "-m", "pip", "install", "-q", "hatchling", env=env)  # and no mypy: mypyc is missing
    build: list[str | Path] = [python, "-m", "pip", "wheel", "-v", "--no-deps", "--no-build-isolation",
                               "-w", tmp_path / "wheels", ROOT]
    process = _run(*build, env=env)
    assert [w.name for w in (tmp_path / "wheels").iterdir()] == ["assistkit-0.1.0-py3-none-any.whl"]
    assert b"mypyc compilation skipped, building pure Python" in process.stdout + process.stderr
    required = subprocess.run([str(a) for a in build], env={**env, "ASSISTKIT_COMPILE": "require"},
                              capture_output=True, timeout=900)
    assert required.returncode != 0
    assert b"No module named 'mypyc'" in required.stdout + required.stderr


_WITHOUT_MYPY = """
import importlib.util, sys
import assistkit
from assistkit import hookimpl
from assistkit.engine import Engine
from assistkit.explain import Rule
from assistkit.io import read_example
from assistkit.programme import Programme

assert assistkit.compiled()
assert importlib.util.find_spec("mypy_extensions") is None


class Mine(Programme):  # a plugin's programme in Python, on the compiled base class
    name = "mine"
    rules = {"mine.seen": Rule("mine.seen", "§0", "看到 {n} 人", "saw {n} people")}

    def assess(self, ctx):
        ctx.reason("mine.seen", {"n": len(ctx.household.members)})


class Plugin:
    @hookimpl
    def assistkit_register_programmes(self):
        return [Mine()]


example = read_example(sys.argv[1])
print(Engine().assess(example.household, example.on).to_json()["totals"])
print(Engine([Plugin()]).assess(example.household, example.on).to_json("en")["programmes"]["mine"]["reasons"])
"""


def test_the_compiled_wheels_need_no_mypy_and_take_python_programmes(built: tuple[Path, Path], tmp_path: Path) -> None:
    python, env = _environment(tmp_path / "venv")
    _run(python, "-m", "pip", "install", "-q", *sorted(built[1].glob("*.whl")), env=env)
    example = ROOT / "tests/examples/01-urban-dibao-wage.json"
    out = _run(python, "-c", _WITHOUT_MYPY, example, env=_clean(), cwd=tmp_path).stdout
    assert out.decode().splitlines() == [
        "{'monthly': '1823.00', 'one_off': '960.00'}",
        "[{'rule': 'mine.seen', 'text': 'saw 3 people', 'values': {'n': 3}}]",
    ]
