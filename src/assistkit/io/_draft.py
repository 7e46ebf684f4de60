"""The engine's drafts (``Determination``, ``NeedState``), kept here only until ``engine/`` builds them another
way (issue 23): io itself builds every object through its class's ``__init__``. Delete with the engine's last
use of ``io._draft``."""

from __future__ import annotations

import attrs

__all__ = ["_draft"]


def _draft(cls: type) -> type:
    """A subclass of the frozen ``cls`` with plain attribute setting, to fill in and then make a ``cls``.

    The caller sets the draft's slots (ordinary stores) and then assigns ``__class__ = cls``: the same layout,
    so the result is exactly the object ``cls(...)`` makes — as long as ``__init__`` does nothing else (no
    validators, no converters, no hooks, no hidden slots).
    """
    assert not hasattr(cls, "__attrs_post_init__") and not hasattr(cls, "__attrs_pre_init__"), cls
    assert all(a.validator is None and a.init for a in attrs.fields(cls)), cls
    assert set(vars(cls)["__slots__"]) - {"__weakref__"} == set(attrs.fields_dict(cls)), cls
    return type(f"_{cls.__name__}Draft", (cls,), {
        "__slots__": (), "__init__": object.__init__,
        "__setattr__": object.__setattr__, "__delattr__": object.__delattr__})
