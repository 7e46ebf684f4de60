"""The documentation is tested: its examples run, it builds without warnings, and nothing goes undocumented.

Conventions for ``docs/*.md`` (fenced blocks at the start of a line):

- A ```` ```python ```` block runs, in page order, in one namespace per page, with the repository root as the
  current directory. A block not meant to run is written ```` ```{code-block} python ```` or has the line
  ``<!-- no-test -->`` just before it.
- A ```` ```text ```` block with ``<!-- output -->`` just before it is what the python block before it
  prints; a line ``...`` stands for any number of lines.
- A ```` ```console ```` block holds ``$ assistkit …`` commands, each followed by (part of) its output,
  ``...`` again eliding lines. Each command runs through click's test runner and must exit 0, in a scratch
  folder that links the repository's top-level files and folders (so relative paths such as
  ``tests/examples/…`` work and files the command writes land in the scratch folder).

Datasette-style completeness checks: every hook in ``assistkit/hookspecs.py`` has a section in
``docs/plugin-hooks.md`` with its autodoc entry and a runnable example implementing it; every CLI command has
a section in ``docs/cli.md`` that renders its ``--help``; every public module is in ``docs/api.md``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import pkgutil
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
from attrs import frozen
from click.testing import CliRunner

import assistkit
from assistkit import hookspecs

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))

sys.path.insert(0, str(DOCS / "_ext"))
from assistkit_docs import cli_commands  # noqa: E402

_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_NO_TEST = "<!-- no-test -->"
_OUTPUT = "<!-- output -->"
_ELLIPSIS = ("...", "…")


@frozen
class Block:
    """One fenced block of a page: its language (first word of the info string), text, line and marker."""

    page: Path
    lang: str
    text: str
    line: int
    marker: str | None


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of ``page`` in order, each with the HTML-comment marker on the line before it."""
    lines = page.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    previous = ""
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            if lines[i].strip():
                previous = lines[i].strip()
            i += 1
            continue
        fence, info = match.groups()
        start = i + 1
        j = start
        while j < len(lines) and not (lines[j].startswith(fence) and not lines[j][len(fence):].strip()):
            j += 1
        words = info.split()
        lang = words[0] if words else ""
        marker = previous if previous.startswith("<!--") else None
        out.append(Block(page, lang, "\n".join(lines[start:j]) + "\n", start, marker))
        previous = ""
        i = j + 1
    return out


def matches(expected: str, actual: str) -> bool:
    """Whether ``actual`` is ``expected`` line by line; a ``...`` line of ``expected`` matches any lines."""
    parts = []
    for line in expected.rstrip("\n").splitlines():
        if line.strip() in _ELLIPSIS:
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(re.escape(line.rstrip()) + r"\n")
    normal = "".join(line.rstrip() + "\n" for line in actual.splitlines())
    return re.fullmatch("".join(parts), normal) is not None


def _page_id(page: Path) -> str:
    return page.name


# ---------------------------------------------------------------------------------------------------------
# The examples run
# ---------------------------------------------------------------------------------------------------------


def test_there_are_docs_with_examples():
    assert PAGES, "docs/*.md not found"
    assert sum(1 for p in PAGES for b in blocks(p) if b.lang == "python") >= 10


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_python_examples_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    found = blocks(page)
    for index, block in enumerate(found):
        if block.lang != "python" or block.marker == _NO_TEST:
            continue
        printed = io.StringIO()
        code = compile(block.text, f"{page.relative_to(ROOT)}:{block.line}", "exec")
        with contextlib.redirect_stdout(printed):
            exec(code, namespace)  # noqa: S102 - running the documentation's own examples is the point
        following = found[index + 1] if index + 1 < len(found) else None
        if following is not None and following.marker == _OUTPUT:
            assert matches(following.text, printed.getvalue()), (
                f"{page.name}:{block.line}: the example printed\n{printed.getvalue()}\n"
                f"but the page shows (line {following.line})\n{following.text}"
            )


def _scratch(tmp_path: Path) -> Path:
    for entry in ROOT.iterdir():
        if entry.name not in (".git", ".venv") and not entry.name.startswith("."):
            (tmp_path / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    return tmp_path


def _commands(block: Block) -> list[tuple[int, str, str]]:
    """``(line, command, expected output)`` for each ``$ …`` line of a console block."""
    out: list[tuple[int, str, str]] = []
    for offset, line in enumerate(block.text.splitlines()):
        if line.startswith("$ "):
            out.append((block.line + offset, line[2:], ""))
        elif out:
            line_no, command, expected = out[-1]
            out[-1] = (line_no, command, expected + line + "\n")
    return out


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_console_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_scratch(tmp_path))
    runner = CliRunner()
    for block in blocks(page):
        if block.lang != "console" or block.marker == _NO_TEST:
            continue
        for line, command, expected in _commands(block):
            args = shlex.split(command)
            assert args[0] == "assistkit", f"{page.name}:{line}: console examples run assistkit only"
            result = runner.invoke(cli_commands(), args[1:], prog_name="assistkit")
            where = f"{page.name}:{line}: `{command}`"
            assert result.exit_code == 0, (
                f"{where} exited {result.exit_code}\n{result.output}\n{result.exception!r}"
            )
            if expected.strip():
                assert matches(expected, result.output), (
                    f"{where} printed\n{result.output}\nbut the page shows\n{expected}"
                )


# ---------------------------------------------------------------------------------------------------------
# Nothing goes undocumented
# ---------------------------------------------------------------------------------------------------------


def hook_names() -> list[str]:
    """Every hook specification in ``assistkit.hookspecs``."""
    return sorted(
        name for name, obj in vars(hookspecs).items()
        if name.startswith("assistkit_") and callable(obj) and hasattr(obj, f"{hookspecs.PROJECT}_spec")
    )


def _sections(text: str, level: str) -> dict[str, str]:
    """Markdown sections of one heading level: heading text → body up to the next heading of that level."""
    out: dict[str, str] = {}
    parts = re.split(rf"^{level} (.+)$", text, flags=re.M)
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        out[title.strip().strip("`")] = body
    return out


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_is_documented(hook: str) -> None:
    sections = _sections((DOCS / "plugin-hooks.md").read_text(encoding="utf-8"), "##")
    assert hook in sections, f"docs/plugin-hooks.md has no section '## {hook}'"
    body = sections[hook]
    assert f".. autofunction:: assistkit.hookspecs.{hook}" in body, f"{hook}: its section lacks autofunction"
    runnable = [b for b in blocks(DOCS / "plugin-hooks.md") if b.lang == "python" and b.marker is None]
    assert any(f"def {hook}(" in b.text for b in runnable) and f"def {hook}(" in body, (
        f"{hook}: its section lacks a runnable example implementing it"
    )


def test_hook_reference_documents_no_unknown_hook() -> None:
    sections = _sections((DOCS / "plugin-hooks.md").read_text(encoding="utf-8"), "##")
    documented = {title for title in sections if title.startswith("assistkit_")}
    assert documented == set(hook_names())


def command_paths(group: click.Group | None = None, prefix: str = "") -> list[str]:
    """``"assess"``, ``"ledger show"``…: every command under the ``assistkit`` group, sub-groups included."""
    group = group or cli_commands()
    out = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        out.append(path)
        if isinstance(command, click.Group):
            out.extend(command_paths(command, path + " "))
    return out


@pytest.mark.parametrize("path", command_paths())
def test_every_cli_command_is_documented(path: str) -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    level = "#" * (2 + path.count(" "))
    assert re.search(rf"^{level} `?assistkit {re.escape(path)}`?$", text, flags=re.M), (
        f"docs/cli.md has no section '{level} assistkit {path}'"
    )
    assert re.search(rf"^```{{assistkit-help}} {re.escape(path)}$", text, flags=re.M), (
        f"docs/cli.md: the section of 'assistkit {path}' does not render its --help"
    )


def test_cli_reference_documents_no_unknown_command() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^```\{assistkit-help\} (.+)$", text, flags=re.M))
    assert documented == set(command_paths())


def test_new_plugin_is_registered() -> None:
    from assistkit.cli import main

    assert "new-plugin" in main.commands, (
        "register the scaffold command: `from ._new_plugin import new_plugin` and "
        "`main.add_command(new_plugin)` in src/assistkit/cli/__init__.py"
    )


def public_modules() -> list[str]:
    """Every importable public module of assistkit: no ``_private`` part; the CLI is documented in cli.md."""
    names = ["assistkit"]
    for info in pkgutil.walk_packages(assistkit.__path__, "assistkit."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts) or parts[1] == "cli":
            continue
        names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("module", public_modules())
def test_every_public_module_is_in_the_api_reference(module: str) -> None:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    assert re.search(rf"^\.\. automodule:: {re.escape(module)}$", text, flags=re.M), (
        f"docs/api.md does not document {module}"
    )


# ---------------------------------------------------------------------------------------------------------
# The docs build
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.skipif(
    importlib.util.find_spec("sphinx") is None or importlib.util.find_spec("myst_parser") is None,
    reason="the docs extra (sphinx, myst-parser) is not installed",
)
def test_docs_build_with_warnings_as_errors(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
               "-d", str(tmp_path / "doctrees"), str(DOCS), str(tmp_path / "html")]
    env = {**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning"}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, f"sphinx-build failed:\n{done.stdout}\n{done.stderr}"
    assert (tmp_path / "html" / "index.html").exists()
