"""Scaffolding a programme plugin: ``assistkit new-plugin NAME`` writes a distribution that works as written.

:func:`scaffold` renders the templates in ``assistkit/dev/scaffold_templates/`` (``string.Template`` files ending
in ``.tmpl``; a ``__package__`` folder becomes the import package) into ``DIR/assistkit-NAME/``::

    assistkit-NAME/
        pyproject.toml                  hatchling, entry point [project.entry-points.assistkit]
        README.md
        src/assistkit_NAME/
            __init__.py  hooks.py  programme.py  parameters.py  demo-city.toml  py.typed
        tests/
            test_conformance.py         the kit's ProgrammeConformance, subclassed
            test_worked_example.py      one worked test per rule

The generated programme is a real rule, not a stub: a one-off grant of ``NAME.grant`` yuan to a household
that holds a chosen status (``--status``, default ``dibao``), with the parameter declared and its Demo City
value shipped. ``programme.py`` says where to write your own rule.
"""

from __future__ import annotations

import datetime as dt
import json
import keyword
import re
from collections.abc import Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template
from typing import Any

from attrs import frozen

from ..errors import AssistkitError

__all__ = [
    "EXAMPLE_ON",
    "RESERVED",
    "STATUSES",
    "PluginNames",
    "ScaffoldError",
    "plugin_names",
    "scaffold",
]

STATUSES: tuple[str, ...] = ("tekun", "dibao", "marginal", "expenditure_hardship")
"""The statuses the generated grant may be opened by (those the basic-living plugin grants)."""

RESERVED: frozenset[str] = frozenset({
    # The built-in programmes (output-format.md) and the parameter groups of the core and the built-ins.
    "tekun", "dibao", "low_income", "medical", "education", "housing", "temporary", "donations",
    "standard", "income", "assets", "review", "uplift", "marginal", "hardship", "locality",
    "assistkit", "testing",
})
"""Names a new plugin may not take: its programme or its parameter group would clash."""

EXAMPLE_ON = dt.date(2025, 7, 15)
"""The assessment date of the generated worked example (income window 2025-01 … 2025-06)."""

_NAME = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
_SECTION = "§X.1"
_AMOUNT = 200
_TEMPLATES = "scaffold_templates"
_PACKAGE_DIR = "__package__"

_HEAD = {"id": "P1", "name": "张三", "birth_date": "1980-01-01", "relationship": "head"}
_SPOUSE = {"id": "P2", "name": "王芳", "birth_date": "1982-01-01", "relationship": "spouse"}


def _wage(total: str) -> dict[str, Any]:
    """P1's wage of ``total`` over the income window of :data:`EXAMPLE_ON` (2025-01 … 2025-06)."""
    return {"member": "P1", "category": "wage", "amount": total, "from": "2025-01", "to": "2025-06"}


_WORKED: Mapping[str, dict[str, Any]] = {
    # One Demo City household per status, each holding it on EXAMPLE_ON (S urban = 1050).
    "tekun": {  # 75, cannot work, no capable supporter, no income (§5.1)
        "id": "H-1", "residence": "urban",
        "members": [{**_HEAD, "birth_date": "1950-01-01", "has_capable_supporter": False}],
    },
    "dibao": {  # able to work but no income: per-capita income 0 < S (§6.1)
        "id": "H-1", "residence": "urban", "members": [_HEAD],
    },
    "marginal": {  # 2800 a month: per-capita (2800 − 315) / 2 = 1242.50, between S and 1.5 × S (§7)
        "id": "H-1", "residence": "urban",
        "members": [_HEAD, _SPOUSE], "incomes": [_wage("16800")],
    },
    "expenditure_hardship": {  # 4200 a month and a 13200 hospital bill: rigid 2200 > 0.5 × 4200 (§8)
        "id": "H-1", "residence": "urban", "members": [_HEAD],
        "incomes": [_wage("25200")],
        "expenses": [
            {"id": "E1", "member": "P1", "kind": "inpatient", "date": "2025-03-10", "total": "13200"},
        ],
    },
}


class ScaffoldError(AssistkitError, ValueError):
    """The plugin cannot be scaffolded: a bad name or status, or the target folder already exists."""


@frozen
class PluginNames:
    """Every name derived from ``NAME`` (``winter-fuel``): distribution, package, entry point, programme…"""

    name: str
    """As given, lower case: ``winter-fuel``."""
    distribution: str
    """``assistkit-winter-fuel``: the folder and the distribution."""
    package: str
    """``assistkit_winter_fuel``: the import package."""
    programme: str
    """``winter_fuel``: the entry-point name, the programme name and the parameter group."""
    class_name: str
    """``WinterFuelProgramme``."""
    parameter: str
    """``winter_fuel.grant``: the generated parameter."""


def plugin_names(name: str) -> PluginNames:
    """The names of a plugin called ``name``; raises :class:`ScaffoldError` for a name that cannot be used.

    A name is lower-case ASCII words joined by ``-`` or ``_`` (``winter-fuel``), starting with a letter, and
    not one of :data:`RESERVED`.
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ScaffoldError(
            f"plugin name {name!r}: use lower-case ASCII words joined by '-' or '_', starting with a letter "
            "(e.g. winter-fuel)"
        )
    programme = name.replace("-", "_")
    if programme in RESERVED or keyword.iskeyword(programme):
        raise ScaffoldError(
            f"plugin name {name!r} is taken: {programme!r} is a built-in programme or parameter group; "
            "choose another name"
        )
    words = programme.split("_")
    return PluginNames(
        name=name,
        distribution="assistkit-" + programme.replace("_", "-"),
        package="assistkit_" + programme,
        programme=programme,
        class_name="".join(w.capitalize() for w in words) + "Programme",
        parameter=f"{programme}.grant",
    )


def _templates() -> Traversable:
    return files("assistkit.dev") / _TEMPLATES


def _walk(folder: Traversable, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Traversable]]:
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            if entry.name != "__pycache__":
                out.extend(_walk(entry, (*prefix, entry.name)))
        elif entry.name.endswith(".tmpl"):
            out.append(((*prefix, entry.name.removesuffix(".tmpl")), entry))
    return out


def _python(value: Any) -> str:
    """One JSON-like value as a Python literal on one line (``True`` / ``False`` / ``None``)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_python(k)}: {_python(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_python(v) for v in value) + "]"
    if isinstance(value, bool) or value is None:
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def _literal(household: Mapping[str, Any]) -> str:
    """A household as a Python dict literal: one key per line, one list element per line."""
    lines = ["{"]
    for key, value in household.items():
        if isinstance(value, list):
            lines.append(f'    "{key}": [')
            lines.extend(f"        {_python(v)}," for v in value)
            lines.append("    ],")
        else:
            lines.append(f'    "{key}": {_python(value)},')
    lines.append("}")
    return "\n".join(lines)


def _quote(text: str) -> str:
    """``text`` safe inside a double-quoted Python or TOML string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def scaffold(
    name: str,
    directory: str | Path = ".",
    *,
    status: str = "dibao",
    title_zh: str | None = None,
    title_en: str | None = None,
) -> tuple[Path, tuple[Path, ...]]:
    """Write the plugin ``assistkit-NAME`` into ``directory``; return its folder and the files written.

    ``status`` opens the generated grant (one of :data:`STATUSES`); the titles default to ``NAME`` in words.
    Raises :class:`ScaffoldError` for a bad name or status, or when the folder already exists (nothing is
    overwritten).
    """
    names = plugin_names(name)
    if status not in STATUSES:
        raise ScaffoldError(f"status {status!r}: choose one of {', '.join(STATUSES)}")
    words = names.programme.replace("_", " ")
    title_en = title_en or words.capitalize()
    title_zh = title_zh or title_en
    target = Path(directory) / names.distribution
    if target.exists():
        raise ScaffoldError(f"{target} already exists; choose another --dir or remove it first")
    on = EXAMPLE_ON
    first, last = "2025-01", "2025-06"  # the income window of EXAMPLE_ON (§1.3)
    values = {
        "distribution": names.distribution,
        "package": names.package,
        "entry_point": names.programme,
        "programme": names.programme,
        "class_name": names.class_name,
        "parameter": names.parameter,
        "status": status,
        "section": _SECTION,
        "amount": str(_AMOUNT),
        "title_zh": _quote(title_zh),
        "title_en": _quote(title_en),
        "titles": _quote(title_en if title_zh == title_en else f"{title_en} ({title_zh})"),
        "on_year": str(on.year),
        "on_month": str(on.month),
        "on_day": str(on.day),
        "window_first": first,
        "window_last": last,
        "household": _literal(_WORKED[status]),
    }
    written: list[Path] = []
    for parts, template in _walk(_templates()):
        rel = Path(*(names.package if p == _PACKAGE_DIR else p for p in parts))
        text = Template(template.read_text(encoding="utf-8")).substitute(values)
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return target, tuple(written)
