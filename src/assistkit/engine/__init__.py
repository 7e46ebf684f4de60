"""The engine: programmes from plugins, a policy, and ``assess`` — one household, or a stream of them.

- :class:`Engine` (``_engine``): built once, then immutable and shared; assesses households.
- plugin loading (``_plugins``): entry points of group ``assistkit``, one by one, each failure reported.
- the order of programmes (``_order``, §14.1) and each programme's turn with its commit or rollback
  (``_recorder``), under supervision: what plugin code may raise, and what stops a run (``_supervise``).
- what produced a determination (:mod:`assistkit.provenance`): engine and plugin versions, locality, policy
  file digests.
"""

from __future__ import annotations

from ._engine import CORE_RULES, Engine
from ._order import dependents, order_programmes
from ._plugins import (
    LoadedPlugin,
    Override,
    PluginFailure,
    PluginSet,
    Replacement,
    installed_declarations,
    load_plugins,
    plugin_label,
)
from ._recorder import ExclusionError
from ._supervise import TimeLimitExceeded, interrupted, is_stop, watch_interrupts

__all__ = [
    "CORE_RULES",
    "Engine",
    "ExclusionError",
    "LoadedPlugin",
    "Override",
    "PluginFailure",
    "PluginSet",
    "Replacement",
    "TimeLimitExceeded",
    "dependents",
    "installed_declarations",
    "interrupted",
    "is_stop",
    "load_plugins",
    "order_programmes",
    "plugin_label",
    "watch_interrupts",
]
