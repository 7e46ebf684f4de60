"""Tools for developers of assistkit and of localities: the Demo City population generator
(:mod:`assistkit.dev.demo`) and the plugin scaffold (:mod:`assistkit.dev.scaffold`).

Nothing here is part of an assessment; the engine never imports this package.
"""

from __future__ import annotations

__all__: list[str] = []
