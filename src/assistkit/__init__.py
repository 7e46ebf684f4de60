"""assistkit — social-assistance rules (社会救助) as code.

One shared engine (households, income accounting, policy parameters, linkage) and programmes as pluggy plugins.
``import assistkit`` has no side effects: entry points are scanned only when an :class:`~assistkit.engine.Engine`
is built from them.
"""

from __future__ import annotations

from typing import Any

from ._version import __version__
from .errors import AssistkitError, InvalidHousehold, LinkageError, PluginError, PolicyError
from .hookspecs import hookimpl

__all__ = [
    "AssistkitError",
    "InvalidHousehold",
    "LinkageError",
    "PluginError",
    "PolicyError",
    "__version__",
    "compiled",
    "hookimpl",
    "render_reasons",
]



def compiled() -> bool:
    """Whether the engine runs compiled by mypyc: the opt-in build of ``hatch_build.py`` (docs/performance.md),
    the same rules and results, cheaper per household (its figures: benchmarks/README.md). ``False`` for a pure
    Python install."""
    from importlib.machinery import EXTENSION_SUFFIXES

    from .engine import _engine as engine_module

    return (engine_module.__file__ or "").endswith(tuple(EXTENSION_SUFFIXES))


def render_reasons(record: Any, *, lang: str = "zh", engine: Any = None) -> Any:
    """``record`` — a determination's JSON written with ``--reasons data`` (``assistkit batch``, the service), a
    review entry or a compare change record — with its reasons' text rendered in ``lang`` (``zh`` or ``en``):
    exactly the record that ``--reasons text`` writes, serialised to the same bytes (docs/population.md).

    ``engine`` is the :class:`~assistkit.engine.Engine` that wrote it (the rules' templates and the words for
    codes are its plugins'; default: Demo City with the installed plugins); a determination's provenance id must
    be its, or ``ValueError`` says so. A record already in the text form comes back equal. Returns a new record.

    >>> render_reasons({"rule": "x", "reasons": [{"rule": "dibao.not_eligible", "values": {}}]})["reasons"]
    [{'rule': 'dibao.not_eligible', 'text': '不符合最低生活保障条件', 'values': {}}]
    """
    from .determination import render_reasons_json

    if engine is None:
        from .population import DEMO_CITY, engine_for

        engine = engine_for(DEMO_CITY)
    return render_reasons_json(record, engine.rules, lang, engine.vocabulary, engine.provenance)
