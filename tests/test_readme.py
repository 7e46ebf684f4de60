"""The README gives exactly two commands, and CI runs the second one exactly as written."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bash_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_readme_has_exactly_two_commands():
    blocks = _bash_blocks()
    assert len(blocks) == 2, blocks
    assert all("\n" not in b for b in blocks), "each command is one copy-paste line"
    assert "assistkit assess" in blocks[0]
    assert "pytest" in blocks[1]


COMPILED = ".venv/bin/python -m pytest -q -m compiled"
"""The tests of the compiled build, which the README's test command leaves out (marker ``compiled``)."""


def test_ci_runs_the_readme_test_command_then_the_compiled_tests():
    """Besides system packages that tests use (``apt-get``: Chromium, PostgreSQL), CI runs the README's command,
    then the compiled build's tests, the one further command the README names beside it."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line and not line.startswith(("#", "set ", "cd ", "apt-get "))]
    assert commands == [_bash_blocks()[1], COMPILED]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"`{COMPILED}`" in readme


def test_both_commands_install_every_plugin():
    main, tests = _bash_blocks()
    assert "./plugins/*/" in main
    assert "plugins/*/" in tests


def test_readme_python_example_runs(monkeypatch, capsys):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.startswith("1823.00\n")
