"""Building the frozen attrs objects made once or more per household cheaply: a speed room of its own.

attrs' frozen ``__init__`` stores each field through ``object.__setattr__`` (a frozen class refuses ordinary
stores), a call per field: for the records of a household, about as much again as all the rest of reading it
(benchmarks/README.md, issue 23's round). A *draft* (:func:`draft`) is a subclass with the same slots and
ordinary stores: the caller fills it in and then gives it the class's own type, ``made.__class__ = cls``. The
draft adds no slot, so the object is exactly the one ``cls(...)`` makes — as long as ``__init__`` does nothing
but store its arguments (no validator, hook or hidden slot), which :func:`draft` checks. The fast household
reader (:mod:`assistkit.io`) fills drafts in its generated code, applying converters itself; :func:`maker`
writes a positional constructor for a class without converters (the engine's ``Determination``, ``NeedState``);
``tests/test_layers.py`` and ``tests/test_io.py`` compare both with the classes' own constructors.

Generated source is registered in :mod:`linecache`, so a traceback through it shows its lines.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["draft", "maker"]


def draft(cls: type) -> type:
    """A subclass of the frozen slotted attrs class ``cls`` with plain attribute stores, to fill in (converters
    applied by the caller) and then make a ``cls`` by ``made.__class__ = cls``. ``TypeError`` when ``cls``'s
    ``__init__`` does more than store (and convert) its arguments."""
    fields = attrs.fields(cls)
    for hook in ("__attrs_pre_init__", "__attrs_post_init__"):
        if hasattr(cls, hook):
            raise TypeError(f"{cls.__name__} has {hook}: its __init__ does more than store its fields")
    for field in fields:
        if field.validator is not None or not field.init:
            raise TypeError(f"{cls.__name__}.{field.name} has a validator, or is not in __init__")
    if set(vars(cls)["__slots__"]) - {"__weakref__"} != {f.name for f in fields}:
        raise TypeError(f"{cls.__name__} has slots other than its fields")
    return type(f"_{cls.__name__}Draft", (cls,), {
        "__slots__": (), "__init__": object.__init__,
        "__setattr__": object.__setattr__, "__delattr__": object.__delattr__})


def maker(cls: type) -> Callable[..., Any]:
    """``make(*values)``: the same object as ``cls(*values)`` for the frozen slotted attrs class ``cls``, which
    must have no converter either (``make`` stores its arguments as they are)."""
    for field in attrs.fields(cls):
        if field.converter is not None:
            raise TypeError(f"{cls.__name__}.{field.name} has a converter")
    filled = draft(cls)
    names = [f.name for f in attrs.fields(cls)]
    filename = f"<assistkit._fastinit: make {cls.__module__}.{cls.__qualname__}>"
    source = "\n".join([
        f"def make({', '.join(names)}):",
        "    made = _draft()",
        *(f"    made.{name} = {name}" for name in names),
        "    made.__class__ = _cls",
        "    return made",
    ]) + "\n"
    namespace: dict[str, Any] = {"_draft": filled, "_cls": cls}
    exec(compile(source, filename, "exec"), namespace)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    make: Callable[..., Any] = namespace["make"]
    make.__doc__ = f"``{cls.__name__}(*values)``, built through its draft (assistkit._fastinit)."
    return make
