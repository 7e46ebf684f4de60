"""A faster constructor for the frozen attrs classes built once or more per household: a speed room of its own.

attrs' frozen ``__init__`` stores each field through ``object.__setattr__`` (a frozen class refuses ordinary
stores), a call per field. :func:`maker` writes, for one such class, a function taking the fields positionally that
fills in an instance of a *draft* — a subclass with the same slots and ordinary stores — and then gives it the
class's own type. The draft adds no slot, so the object is exactly the one ``cls(*values)`` makes; this holds
only while ``__init__`` does nothing but store its arguments (no converter, validator, default factory or hook),
which :func:`maker` checks, and ``tests/test_layers.py`` compares the two for the classes that use it.

The generated source is registered in :mod:`linecache`, so a traceback through it shows its lines.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["maker"]


def maker(cls: type) -> Callable[..., Any]:
    """``make(*values)``: the same object as ``cls(*values)`` for the frozen slotted attrs class ``cls``."""
    fields = attrs.fields(cls)
    for hook in ("__attrs_pre_init__", "__attrs_post_init__"):
        if hasattr(cls, hook):
            raise TypeError(f"{cls.__name__} has {hook}: its __init__ does more than store its fields")
    for field in fields:
        if field.converter is not None or field.validator is not None or not field.init:
            raise TypeError(f"{cls.__name__}.{field.name} has a converter or validator, or is not in __init__")
    if set(vars(cls)["__slots__"]) - {"__weakref__"} != {f.name for f in fields}:
        raise TypeError(f"{cls.__name__} has slots other than its fields")
    draft = type(f"_{cls.__name__}Draft", (cls,), {
        "__slots__": (), "__init__": object.__init__,
        "__setattr__": object.__setattr__, "__delattr__": object.__delattr__})
    names = [f.name for f in fields]
    filename = f"<assistkit._fastinit: make {cls.__module__}.{cls.__qualname__}>"
    source = "\n".join([
        f"def make({', '.join(names)}):",
        "    made = _draft()",
        *(f"    made.{name} = {name}" for name in names),
        "    made.__class__ = _cls",
        "    return made",
    ]) + "\n"
    namespace: dict[str, Any] = {"_draft": draft, "_cls": cls}
    exec(compile(source, filename, "exec"), namespace)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    make: Callable[..., Any] = namespace["make"]
    make.__doc__ = f"``{cls.__name__}(*values)``, built through its draft (assistkit._fastinit)."
    return make
