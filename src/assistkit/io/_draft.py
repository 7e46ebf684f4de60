"""Drafts: how the fast reader (and the engine, for ``Determination`` and ``NeedState``) builds a frozen attrs
object at the cost of plain attribute stores.

A frozen attrs class's ``__init__`` sets each field through ``object.__setattr__``, a call per field; building
a household that way costs about as much again as all the rest of reading it (benchmarks/README.md, issue 23's
round). A draft is a subclass with the same layout and plain attribute setting: the caller sets its slots and
then assigns ``__class__ = cls``. The result is exactly the object ``cls(...)`` makes — as long as ``__init__``
does nothing else, which :func:`_draft` checks for the class it is given: no validators, no hooks, no hidden
slots; converters the caller applies itself.
"""

from __future__ import annotations

import attrs

__all__ = ["_draft"]


def _draft(cls: type) -> type:
    """A subclass of the frozen ``cls`` with plain attribute setting, to fill in and then make a ``cls``."""
    assert not hasattr(cls, "__attrs_post_init__") and not hasattr(cls, "__attrs_pre_init__"), cls
    assert all(a.validator is None and a.init for a in attrs.fields(cls)), cls
    assert set(vars(cls)["__slots__"]) - {"__weakref__"} == set(attrs.fields_dict(cls)), cls
    return type(f"_{cls.__name__}Draft", (cls,), {
        "__slots__": (), "__init__": object.__init__,
        "__setattr__": object.__setattr__, "__delattr__": object.__delattr__})
