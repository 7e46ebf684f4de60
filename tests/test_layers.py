"""The rules of the core's layout (DESIGN.md, "Core layout"), each checked on the source.

- every module of ``src/assistkit`` belongs to a layer, and imports only from its own layer or the layers below;
- no import cycle (imports inside ``if TYPE_CHECKING:`` are for the type checker only and do not count);
- ``programme.py`` (the plugin contract) defines no private method the engine calls;
- no comment or docstring states an instruction count or a claim about an interpreter version (measured costs
  live in benchmarks/README.md);
- :func:`assistkit._fastinit.maker` builds the very object the class's own ``__init__`` builds.
"""

from __future__ import annotations

import ast
import datetime as dt
import linecache
import re
import traceback
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # (layer, module prefixes), lowest first: a module may import from its own layer and those above it here.
    ("foundation", ("assistkit.money", "assistkit.periods", "assistkit.errors", "assistkit.explain",
                    "assistkit.vocabulary", "assistkit._fastinit", "assistkit._version")),
    ("model", ("assistkit.household", "assistkit.io", "assistkit.declared")),
    ("policy", ("assistkit.policy",)),
    ("shared rules", ("assistkit.means", "assistkit.capacity", "assistkit.review", "assistkit.donations",
                      "assistkit.warning", "assistkit.support")),
    # hookspecs is a door by purpose; it imports nothing at run time and the engine builds its plugin manager
    # from it, so for imports it sits with the contract it describes.
    ("contract", ("assistkit.programme", "assistkit.linkage", "assistkit.hookspecs")),
    ("engine", ("assistkit.engine", "assistkit.determination", "assistkit.provenance")),
    ("tools", ("assistkit.population", "assistkit.recompute", "assistkit.asof", "assistkit.record")),
    ("faces and doors", ("assistkit.cli", "assistkit.testing", "assistkit.dev", "assistkit.service", "assistkit.sheets",
                         "assistkit.schema", "assistkit.api", "assistkit")),
]


def _modules() -> dict[str, Path]:
    out = {}
    for path in (SRC / "assistkit").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def layer_of(module: str) -> int:
    best = None
    for rank, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (rank, len(prefix))
    if best is None:
        raise LookupError(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py and DESIGN.md's table")
    return best[0]


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside ``if TYPE_CHECKING:`` blocks."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                for sub in ast.walk(inner):
                    skip.add(id(sub))
    return skip


def imports(module: str) -> set[str]:
    """The assistkit modules ``module`` imports at run time (at module level or inside a function)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_only(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            names = [f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                     for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


GRAPH = {module: imports(module) for module in MODULES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_down_the_layers(module: str) -> None:
    mine = layer_of(module)
    upward = sorted(m for m in GRAPH[module] if layer_of(m) > mine)
    assert not upward, (f"{module} ({LAYERS[mine][0]}) imports from a layer above it: "
                        + ", ".join(f"{m} ({LAYERS[layer_of(m)][0]})" for m in upward))


def test_no_import_cycle() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert not cycles, f"import cycles: {cycles}"


def test_the_engine_imports_nothing_from_the_population_tools() -> None:
    engine = [m for m in MODULES if m == "assistkit.engine" or m.startswith("assistkit.engine.")]
    assert engine
    for module in engine:
        assert not [m for m in GRAPH[module] if m.startswith("assistkit.population")], module


def test_the_contract_defines_no_private_method_the_engine_calls() -> None:
    contract = ast.parse((SRC / "assistkit" / "programme.py").read_text(encoding="utf-8"))
    private = {node.name for cls in ast.walk(contract) if isinstance(cls, ast.ClassDef)
               for node in cls.body if isinstance(node, ast.FunctionDef)
               and node.name.startswith("_") and not node.name.endswith("__")}
    used: set[str] = set()
    for path in (SRC / "assistkit" / "engine").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                used.add(node.attr)
    assert not private & used, f"the engine calls the contract's private methods {sorted(private & used)}"


CLAIM = re.compile(r"\d[\d.,]*\s*k?\s+instructions|\binstructions? (?:per|each)\b|Python 3\.\d+|\bin 3\.1\d\b",
                   re.IGNORECASE)


def test_no_comment_states_an_instruction_count_or_an_interpreter_version() -> None:
    found = []
    for path in [*(SRC / "assistkit").rglob("*.py"), *ROOT.glob("plugins/*/src/**/*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if CLAIM.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "measured costs belong in benchmarks/README.md:\n" + "\n".join(found)


def test_plugins_import_only_through_the_door() -> None:
    """Plugins under plugins/ (and the scaffold's templates) import from ``assistkit`` and ``assistkit.api`` only."""
    allowed = {"assistkit", "assistkit.api"}
    found = []
    paths = [*ROOT.glob("plugins/*/src/**/*.py"), *(SRC / "assistkit" / "dev" / "scaffold_templates").rglob("*.tmpl")]
    for path in paths:
        if "tests" in path.relative_to(ROOT).parts[:-1] and path.suffix == ".tmpl":
            continue  # a plugin's tests may drive an engine
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = re.match(r"\s*(?:from (assistkit[\w.]*) import|import (assistkit[\w.]*))", line)
            if match and (match.group(1) or match.group(2)) not in allowed:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "import from assistkit.api instead:\n" + "\n".join(found)


def test_the_door_only_re_exports() -> None:
    import assistkit.api as api

    tree = ast.parse((SRC / "assistkit" / "api.py").read_text(encoding="utf-8"))
    defined = [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Assign))
               and not (isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "__all__")]
    assert not defined, "assistkit.api defines nothing of its own"
    assert sorted(api.__all__) == sorted(set(api.__all__))
    assert all(hasattr(api, name) for name in api.__all__)


def test_fastinit_makes_the_object_init_makes() -> None:
    from assistkit._fastinit import maker
    from assistkit.linkage import NeedState

    values = ("E1", "medical", Decimal("100.00"), Decimal("40.00"), Decimal("60.00"),
              (("medical", Decimal("40.00")),), dt.date(2025, 6, 1))
    made = maker(NeedState)(*values)
    assert type(made) is NeedState
    assert made == NeedState(*values)
    with pytest.raises(AttributeError):
        made.paid = Decimal(0)  # type: ignore[misc]  # frozen, as NeedState(...) is


def test_fastinit_source_shows_in_tracebacks() -> None:
    from assistkit._fastinit import maker
    from assistkit.linkage import NeedState

    make = maker(NeedState)
    filename = make.__code__.co_filename
    assert linecache.getline(filename, 1).startswith("def make(")
    with pytest.raises(TypeError) as caught:
        make("too", "few")
    assert "make()" in str(caught.value)
    assert traceback.format_tb(caught.tb)  # no frame of the generated code is left without its source


def test_fastinit_refuses_a_class_whose_init_does_more() -> None:
    import attrs

    from assistkit._fastinit import maker

    @attrs.frozen
    class Checked:
        amount: int = attrs.field(validator=attrs.validators.instance_of(int))

    with pytest.raises(TypeError, match="validator"):
        maker(Checked)
