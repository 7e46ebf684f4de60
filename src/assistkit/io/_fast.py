"""The fast reader: the reference reader's tables (:mod:`._records`) compiled, once at import, into a function
of straight-line code per model class — as attrs writes ``__init__`` and cattrs its structure hooks.

Nearly every record is valid, and for it most of the walker's work is interpreting its table: a look-up, flags
and a try per field, a kwargs dict. A generated reader makes the same checks with the same leaf rules
(:data:`._leaves.FAST_FORMS`) and the same cross-field checks, builds the same object (on a draft,
:mod:`assistkit._fastinit`: the class's own ``__init__`` would double the cost of reading), and gives up
(:class:`~._leaves.GiveUp`, its only exception by design) at the first thing it does not take: a problem, or
merely something unusual (a Mapping that is not a dict, a tuple, a date object, a float).
:func:`structure_household` then reads the record again the reference way, which stays the one source of every
problem reported; the fast reader only has to agree with it on what is valid and on the object built.

It never takes a float: JSON numbers with a fraction reach it as Decimal from the stdlib decoder, and a float
can only come from a Python caller (the reference reader handles it) or from orjson, which is not exact — so a
line that orjson decodes and the fast reader takes is the household the stdlib decoder would have given
(:func:`assistkit.io._streams.parse_line`).

The generated source is registered in :mod:`linecache` (``<assistkit.io fast readers>``), so a traceback
through it shows its lines; :data:`SOURCE` holds it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, Final

import attrs

from .._fastinit import draft
from ..errors import InvalidHousehold
from ..household import Household
from . import _limits
from ._leaves import FAST_FORMS, FAST_NAMES, GiveUp, Vocabulary, run_source
from ._records import HOUSEHOLD, NULLABLE, SPECS, ListOf, One, Spec, extensions, household_id, read_household

try:
    from orjson import loads as _orjson_loads
except ImportError:  # optional (the "fast" extra)
    _orjson_loads = None  # type: ignore[assignment,unused-ignore]

__all__ = ["FILENAME", "READERS", "SOURCE", "fast_source", "read_valid_household", "structure_household"]

FILENAME: Final = "<assistkit.io fast readers>"


def _give_up(where: str, reason: str) -> None:
    """The fast reader's report for a cross-field check: any problem, and the reference reader decides."""
    raise GiveUp


def _constant(names: dict[str, Any], value: object) -> str:
    """A name for ``value`` in the generated code's globals."""
    name = f"c{len(names)}"
    names[name] = value
    return name


def _key(names: dict[str, Any], key: str) -> str:
    """A name for the JSON key ``key`` in the generated code's globals, bound to the very string orjson makes
    for that key when it is installed: orjson keeps the key strings it has made and gives the same object on
    every line, so a look-up of the key in a record it decoded matches at once instead of comparing characters
    (benchmarks/README.md); any equal string finds the key all the same."""
    assert key.isidentifier(), key
    name = f"k_{key}"
    if name not in names:
        names[name] = key if _orjson_loads is None else next(iter(_orjson_loads(json.dumps({key: 0}))))
    return name


def _leaf_code(parse: Callable[..., Any], names: dict[str, Any]) -> list[str]:
    """The code that turns ``v`` into the value ``parse`` gives."""
    if isinstance(parse, One):
        return [f"v = read_{parse.spec.cls.__name__}(v)"]
    if isinstance(parse, ListOf):
        return ["if type(v) is not list: raise GiveUp", "items = []", "for item in v:",
                f"    items.append(read_{parse.spec.cls.__name__}(item))", "v = tuple(items)"]
    if isinstance(parse, Vocabulary):
        table = _constant(names, parse.table)
        return ["try:", f"    v = {table}[v]", "except (KeyError, TypeError):  # not in the vocabulary",
                "    raise GiveUp from None"]
    return FAST_FORMS[parse].splitlines()


def fast_source(spec: Spec, names: dict[str, Any]) -> str:
    """The source of ``read_<Class>(data)`` for ``spec``: the object, or :class:`GiveUp`. For Event, in short::

        def read_Event(data):
            if type(data) is not dict: raise GiveUp
            made = c1()                                     # a draft of Event (assistkit._fastinit)
            try:
                v = data[k_id]
            except KeyError:  # a required field missing
                raise GiveUp from None
            if not ((type(v) is str or isinstance(v, str)) and v): raise GiveUp
            made.id = v
            ...                                             # kind, date, loss
            check = False
            given = len(data)
            if given == 4:                                  # the required keys only: the rest take defaults
                made.compensated = c7
            else:
                n = 4
                if k_compensated in data:
                    n += 1
                    ...                                     # money
                    made.compensated = v
                    check = True                            # a key the cross-field check looks at
                else:
                    made.compensated = c7
                if given != n: raise GiveUp                 # an unknown field
            if check: c8(made, give_up)                     # check_event
            made.__class__ = c9                             # now an Event
            return made
    """
    cls = spec.cls
    model = attrs.fields_dict(cls)
    assert set(model) == {attr for attr, _parse, _flags in spec.fields.values()}, cls
    required: list[str] = []
    optional: list[tuple[str, str, str, list[str]]] = []  # key, attribute, default, code
    for key, (attr, parse, flags) in spec.fields.items():
        if parse is extensions:
            # Rare: a record with an extension block is left to the reference reader. The key is not among the
            # keys read, so a record giving it has an unknown field here and gives up; every other takes the
            # empty block at no further cost.
            required.append(f"made.{attr} = {_constant(names, model[attr].default)}  # no extension block")
            continue
        converter = model[attr].converter
        if converter is tuple and isinstance(parse, ListOf):
            converter = None  # read as a tuple already
        if key in spec.required and isinstance(parse, Vocabulary) and not flags & NULLABLE and converter is None:
            code = ["try:", f"    made.{attr} = {_constant(names, parse.table)}[data[{_key(names, key)}]]",
                    "except (KeyError, TypeError):  # missing, or not in the vocabulary",
                    "    raise GiveUp from None"]
        else:
            code = ["try:", f"    v = data[{_key(names, key)}]", "except KeyError:  # a required field missing",
                    "    raise GiveUp from None"] if key in spec.required else [f"v = data[{_key(names, key)}]"]
            if flags & NULLABLE:  # null means "not given"
                code += ["if v is not None:", *("    " + line for line in _leaf_code(parse, names))]
            else:
                code += _leaf_code(parse, names)
            code.append(f"made.{attr} = " + ("v" if converter is None else f"{_constant(names, converter)}(v)"))
        if key in spec.required:
            required += code
        else:
            if spec.check_keys is not None and key in spec.check_keys:
                code.append("check = True")
            default = model[attr].default
            assert default is not attrs.NOTHING and not isinstance(default, attrs.Factory), (cls, attr)  # type: ignore[arg-type]
            optional.append((key, attr, _constant(names, default), code))
    size = len(spec.required)
    lines = [f"def read_{cls.__name__}(data):",
             "    if type(data) is not dict: raise GiveUp",
             f"    made = {_constant(names, draft(cls))}()  # a draft of {cls.__name__}",
             *("    " + line for line in required)]
    if spec.check_keys is not None:
        lines.append("    check = False  # any of check_keys given?")
    if optional:
        lines += ["    given = len(data)", f"    if given == {size}:  # the required keys only"]
        lines += [f"        made.{attr} = {default}" for _key, attr, default, _code in optional]
        lines += ["    else:", f"        n = {size}  # keys read: any other is an unknown field"]
        for key, attr, default, code in optional:
            lines += [f"        if {_key(names, key)} in data:", "            n += 1",
                      *("            " + line for line in code),
                      "        else:", f"            made.{attr} = {default}"]
        lines.append("        if given != n: raise GiveUp")
    else:
        lines.append(f"    if len(data) != {size}: raise GiveUp")
    if spec.check is not None:
        call = f"{_constant(names, spec.check)}(made, give_up)  # {spec.check.__name__}"
        lines.append(f"    {call}" if spec.check_keys is None else f"    if check: {call}")
    lines += [f"    made.__class__ = {_constant(names, cls)}  # now a {cls.__name__}", "    return made"]
    return "\n".join(lines) + "\n"


def _fast_readers(specs: Iterable[Spec]) -> tuple[dict[type, Callable[[object], Any]], str]:
    """A fast reader per spec (nested records use each other's): ``reader(data)`` is the object the reference
    reader would build from ``data``, or raises :class:`GiveUp` if it might report a problem; and the source."""
    specs = tuple(specs)
    names: dict[str, Any] = {**FAST_NAMES, "give_up": _give_up}
    source = "\n".join(fast_source(spec, names) for spec in specs)
    run_source(source, FILENAME, names)
    return {spec.cls: names[f"read_{spec.cls.__name__}"] for spec in specs}, source


READERS, SOURCE = _fast_readers((*SPECS, HOUSEHOLD))
"""The fast reader of each model class, and their generated source."""

read_valid_household: Final[Callable[[object], Household]] = READERS[Household]


def structure_household(data: object) -> Household:
    """Read one household from JSON-like data (household-format.md).

    Raises :class:`~assistkit.errors.InvalidHousehold` carrying the household id (``None`` when it has none)
    and every problem found. Dates are checked against the assessment date by :func:`check_dates`.
    """
    beyond = _limits.data_problems(data)
    if beyond:  # too big or too deep to read at all (the reader's resource policy)
        raise InvalidHousehold(household_id(data), beyond)
    try:
        return read_valid_household(data)
    except GiveUp:
        pass  # a problem, or something unusual: the reference reader decides, and reports every problem
    return read_household(data)
