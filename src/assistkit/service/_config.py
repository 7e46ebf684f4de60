"""The options of the service: what it serves and its limits."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from attrs import asdict, field, frozen

if TYPE_CHECKING:
    pass

__all__ = ["ENVIRONMENT", "ServiceConfig"]

ENVIRONMENT = "ASSISTKIT_SERVICE"
"""The environment variable holding a :class:`ServiceConfig` as JSON (:meth:`ServiceConfig.to_json`)."""


def _strings(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _positive(instance: Any, attribute: Any, value: float) -> None:
    if value <= 0:
        raise ValueError(f"{attribute.name} must be > 0; got {value}")


@frozen
class ServiceConfig:
    """What the service serves and its limits.

    ``localities``: each a bundled locality or a policy override file (``.toml``, applied on Demo City; its
    ``locality = "…"`` names it), as ``assistkit compare --base`` takes them; the first is the default of a
    request that names none. ``max_body``: bytes of a request body. ``max_households``: households in one
    request (``/batch``, ``/compare``, ``/validate``). ``timeout``: seconds a request may compute; a
    ``/batch`` past it is cut off between chunks. ``chunk_size``: households a ``/batch`` assesses between two
    writes of its streamed output.
    """

    localities: tuple[str, ...] = field(default=("demo-city",), converter=_strings)
    max_body: int = field(default=16 * 1024 * 1024, validator=_positive)
    max_households: int = field(default=10_000, validator=_positive)
    timeout: float = field(default=60.0, validator=_positive)
    chunk_size: int = field(default=50, validator=_positive)

    def __attrs_post_init__(self) -> None:
        if not self.localities:
            raise ValueError("serve at least one locality")

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ServiceConfig:
        return cls(**json.loads(text))
