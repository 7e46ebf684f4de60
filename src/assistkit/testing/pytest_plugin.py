"""assistkit's pytest plugin: fixtures, and worked examples as tests without writing Python.

Active wherever assistkit is installed (entry point ``pytest11``), or opt in with
``pytest_plugins = ["assistkit.testing.pytest_plugin"]`` or ``pytest -p assistkit.testing.pytest_plugin``.
Importing it imports nothing but pytest; assistkit itself is imported only when a fixture or an option below
is used, so it costs other test suites nothing and changes no behaviour unless asked.

Fixtures (session-scoped):

- ``assistkit_engine``: an :class:`~assistkit.engine.Engine` with every installed programme plugin and Demo
  City's policy, plus the ``--assistkit-policy`` files when given.
- ``demo_policy``: Demo City's :class:`~assistkit.policy.Policy` with every installed plugin's parameters.

Options:

- ``--assistkit-examples DIR`` (repeatable): every ``*.json`` file of DIR in the ``spec/examples`` format
  (``on``, ``note``, ``household``, ``expected``) becomes one test item. The household is assessed on ``on``
  and the determination compared with ``expected`` (only the keys it states, payments as multisets); a
  failure shows the note, the household and each differing path with the expected and the actual value.
  This is how an official checks a rule change against worked cases.
- ``--assistkit-policy FILE`` (repeatable, in order): assess under these policy override files (TOML,
  merged by effective date over Demo City), e.g. a proposed new standard.
- ``--assistkit-plugin NAME`` (repeatable): use only these installed plugins (entry-point names of group
  ``assistkit``, as ``assistkit plugins`` lists them) instead of all, e.g. to check the statute's worked
  examples without a locality's extra programmes.

The fixture ``assistkit_engine`` follows ``--assistkit-policy`` and ``--assistkit-plugin`` too.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from ..engine import Engine
    from ..policy import Policy

__all__ = ["ExampleFile", "ExampleItem", "ExampleMismatch"]

_EXAMPLE_DIRS = pytest.StashKey[tuple[Path, ...]]()
_POLICY_FILES = pytest.StashKey[tuple[Path, ...]]()
_PLUGINS = pytest.StashKey[tuple[str, ...]]()
_COLLECTED = pytest.StashKey[set[Path]]()
_ENGINE = pytest.StashKey[Any]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("assistkit", "assistkit worked examples")
    group.addoption(
        "--assistkit-examples", action="append", default=[], metavar="DIR", dest="assistkit_examples",
        help="collect each worked example (*.json with on, household, expected) in DIR as a test; repeatable",
    )
    group.addoption(
        "--assistkit-policy", action="append", default=[], metavar="FILE", dest="assistkit_policy",
        help="assess under this policy override file (TOML) over Demo City; repeatable, applied in order",
    )
    group.addoption(
        "--assistkit-plugin", action="append", default=[], metavar="NAME", dest="assistkit_plugins",
        help="use only this installed assistkit plugin (entry-point name); repeatable; default: all",
    )


def pytest_configure(config: pytest.Config) -> None:
    dirs = tuple(Path(d).resolve() for d in config.getoption("assistkit_examples") or ())
    files = tuple(Path(f).resolve() for f in config.getoption("assistkit_policy") or ())
    for d in dirs:
        if not d.is_dir():
            raise pytest.UsageError(f"--assistkit-examples: {d} is not a directory")
    for f in files:
        if not f.is_file():
            raise pytest.UsageError(f"--assistkit-policy: no such file: {f}")
    config.stash[_EXAMPLE_DIRS] = dirs
    config.stash[_POLICY_FILES] = files
    plugins = tuple(config.getoption("assistkit_plugins") or ())
    if plugins:
        installed = _installed()
        unknown = [n for n in plugins if n not in installed]
        if unknown:
            raise pytest.UsageError(f"--assistkit-plugin: no installed plugin named {', '.join(unknown)}; "
                                    f"installed: {', '.join(sorted(installed)) or 'none'}")
    config.stash[_PLUGINS] = plugins
    config.stash[_COLLECTED] = set()
    # Collect the directories whatever else is collected; a file reached twice is collected once (below).
    config.args.extend(str(d) for d in dirs)


def _installed() -> dict[str, Any]:
    import importlib.metadata as md

    return {ep.name: ep for ep in md.entry_points(group="assistkit")}


def _selected_plugins(names: tuple[str, ...]) -> list[object] | None:
    """The installed plugins named (entry points of group ``assistkit``), or ``None`` for all of them."""
    if not names:
        return None
    installed = _installed()
    return [installed[n].load() for n in names]


def _engine(config: pytest.Config) -> Engine:
    """The engine of this session, built once: the plugins chosen, Demo City and the override files."""
    engine = config.stash.get(_ENGINE, None)
    if engine is None:
        from ..engine import Engine

        files = config.stash[_POLICY_FILES]
        engine = config.stash[_ENGINE] = Engine(_selected_plugins(config.stash[_PLUGINS]), policy_files=files)
    return engine  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def assistkit_engine(pytestconfig: pytest.Config) -> Engine:
    """An engine with every installed programme plugin (or those of ``--assistkit-plugin``), Demo City, and
    the ``--assistkit-policy`` files."""
    return _engine(pytestconfig)


@pytest.fixture(scope="session")
def demo_policy() -> Policy:
    """Demo City's policy with the parameters of every installed plugin."""
    from ..engine import installed_declarations
    from ..policy import load_policy

    return load_policy("demo-city", declarations=installed_declarations())


# ---------------------------------------------------------------------------------------------------------
# Worked examples as test items
# ---------------------------------------------------------------------------------------------------------


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> ExampleFile | None:
    """Collect each ``*.json`` file directly inside an ``--assistkit-examples`` directory, once."""
    dirs = parent.config.stash.get(_EXAMPLE_DIRS, ())
    if not dirs or file_path.suffix != ".json":
        return None
    path = file_path.resolve()
    collected = parent.config.stash[_COLLECTED]
    if path.parent not in dirs or path in collected:
        return None
    collected.add(path)
    return ExampleFile.from_parent(parent, path=file_path)


class ExampleFile(pytest.File):
    """A worked-example file: one test item, named after the file."""

    def collect(self) -> list[ExampleItem]:
        return [ExampleItem.from_parent(self, name=self.path.stem)]


class ExampleMismatch(AssertionError):
    """The determination differs from the example's ``expected`` part."""

    def __init__(self, report: str) -> None:
        super().__init__(report)
        self.report = report


class ExampleItem(pytest.Item):
    """Assess the example's household on its date and compare with ``expected`` (:func:`compare_expected`)."""

    def runtest(self) -> None:
        from ..errors import AssistkitError
        from ..io import structure_household
        from .examples import compare_expected, load_example

        try:
            example = load_example(self.path)
        except ValueError as exc:
            raise ExampleMismatch(f"assistkit example {self.name}: {exc}") from None
        engine = _engine(self.config)
        header = self._header(engine, example)
        try:
            household = structure_household(example.household)
            determination = engine.assess(household, example.on)
        except AssistkitError as exc:
            raise ExampleMismatch(f"{header}\n  the household cannot be assessed: {exc}") from None
        diffs = compare_expected(example.expected, determination.to_json())
        errors = [f"{e.programme} (plugin {e.plugin}): {e.message}" for e in determination.errors]
        if diffs or errors:
            lines = [header]
            if errors:
                lines.append("  programmes that failed:")
                lines += [f"    {e}" for e in errors]
            if diffs:
                lines.append(f"  {len(diffs)} difference{'s' if len(diffs) != 1 else ''} from expected:")
                lines += [f"    {d}" for d in diffs]
            raise ExampleMismatch("\n".join(lines))

    def _header(self, engine: Engine, example: Any) -> str:
        household = example.household.get("id", "?") if hasattr(example.household, "get") else "?"
        policy = engine.policy.locality
        overrides = self.config.stash.get(_POLICY_FILES, ())
        if overrides:
            policy += " + " + ", ".join(str(f) for f in overrides)
        chosen: tuple[str, ...] = self.config.stash[_PLUGINS]
        plugins = ", ".join(chosen or [p.name for p in engine.plugins]) or "none"
        on = example.on.isoformat()
        lines = [f"assistkit example {self.name} ({self.path})",
                 f"  household {household} · on {on} · policy {policy} · plugins {plugins}"]
        if example.note:
            lines.append(f"  note: {example.note}")
        lines += [f"  warning: {failure}" for failure in engine.failures]
        return "\n".join(lines)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ExampleMismatch):
            return excinfo.value.report
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"assistkit example {self.name}"
