"""assistkit — social-assistance rules (社会救助) as code.

One shared engine (households, income accounting, policy parameters, linkage) and programmes as pluggy plugins.
``import assistkit`` has no side effects: entry points are scanned only when an :class:`~assistkit.engine.Engine`
is built from them.
"""

from __future__ import annotations

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
]



def compiled() -> bool:
    """Whether the engine runs compiled by mypyc: the opt-in build of ``hatch_build.py`` (docs/performance.md),
    the same rules and results, cheaper per household (its figures: benchmarks/README.md). ``False`` for a pure
    Python install."""
    from importlib.machinery import EXTENSION_SUFFIXES

    from .engine import _engine as engine_module

    return (engine_module.__file__ or "").endswith(tuple(EXTENSION_SUFFIXES))
