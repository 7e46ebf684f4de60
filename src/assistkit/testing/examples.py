"""Worked examples in the ``spec/examples`` format: ``{"on", "note", "household", "expected"}``.

:func:`compare_expected` compares a determination's JSON with an example's ``expected`` part: only the keys
the example states are compared (output-format.md allows added keys), payments are compared as multisets, and
each difference is reported as a path with the expected and the actual value. :func:`expected_subset` picks
the part of ``expected`` a plugin owns, and :func:`needs_before` the needs as they stood before later
programmes paid toward them (for an engine built without those programmes).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import frozen

from ..household import LIVING_KINDS
from ..money import format_money

if TYPE_CHECKING:
    from ..determination import Determination

__all__ = ["Example", "compare_expected", "expected_subset", "load_example", "load_examples", "needs_before",
           "owned_differences"]


@frozen
class Example:
    """One worked example: its file, date, note, the household as raw JSON, and the expected output."""

    path: Path
    on: dt.date
    note: str
    household: Mapping[str, Any]
    expected: Mapping[str, Any]

    @property
    def name(self) -> str:
        return self.path.stem


def load_example(path: str | Path) -> Example:
    """The example in the JSON file ``path``; ``ValueError`` saying what is wrong if it is not one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise ValueError(f"{path}: expected an object with keys on, household, expected (and note)")
    missing = [key for key in ("on", "household", "expected") if key not in data]
    if missing:
        raise ValueError(f"{path}: missing {', '.join(missing)}; an example has keys on, household, expected "
                         "(and note)")
    try:
        on = dt.date.fromisoformat(data["on"])
    except (TypeError, ValueError):
        raise ValueError(f"{path}: on must be a date YYYY-MM-DD; got {data['on']!r}") from None
    return Example(path, on, data.get("note", ""), data["household"], data["expected"])


def load_examples(directory: str | Path) -> list[Example]:
    """Every ``*.json`` example in ``directory``, sorted by file name."""
    return [load_example(path) for path in iter_example_paths(directory)]


def _payment_key(p: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(json.dumps(p.get(k), sort_keys=True) for k in keys)


def compare_expected(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Differences between ``expected`` and ``actual`` as ``path: expected X, got Y`` lines (empty = equal).

    Dicts compare only the expected keys; a list under a ``payments`` key compares as a multiset on the keys
    the expected payments state; other lists compare element by element.
    """
    diffs: list[str] = []
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [f"{path or '$'}: expected an object, got {actual!r}"]
        for key, value in expected.items():
            sub = f"{path}.{key}" if path else key
            if key not in actual:
                diffs.append(f"{sub}: missing (expected {json.dumps(value, ensure_ascii=False)})")
            else:
                diffs.extend(compare_expected(value, actual[key], sub))
        if path.endswith("needs") or path in ("statuses.members",):
            extra = sorted(set(actual) - set(expected))
            if extra:
                diffs.append(f"{path}: unexpected keys {extra}")
        return diffs
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{path}: expected a list, got {actual!r}"]
        if path.endswith("payments"):
            keys = tuple(sorted({k for p in expected for k in p})) or ("kind", "member", "need", "amount")
            want = sorted(_payment_key(p, keys) for p in expected)
            got = sorted(_payment_key(p, keys) for p in actual)
            if want != got:
                diffs.append(
                    f"{path}: expected payments {json.dumps(expected, ensure_ascii=False)}, got "
                    f"{json.dumps([{k: p.get(k) for k in keys} for p in actual], ensure_ascii=False)}"
                )
            return diffs
        if len(expected) != len(actual):
            return [f"{path}: expected {json.dumps(expected, ensure_ascii=False)}, got "
                    f"{json.dumps(actual, ensure_ascii=False)}"]
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            diffs.extend(compare_expected(e, a, f"{path}[{i}]"))
        return diffs
    if expected != actual:
        diffs.append(f"{path}: expected {json.dumps(expected, ensure_ascii=False)}, got "
                     f"{json.dumps(actual, ensure_ascii=False, default=str)}")
    return diffs


def needs_before(example: Example, later: Collection[str]) -> dict[str, Any]:
    """The example's expected ``needs`` with the expected payments of the ``later`` programmes taken back out.

    What the needs are after an engine that stops before ``later`` (e.g. medical, education and housing
    without ``("temporary", "donations")``): ``paid`` and ``remaining`` recomputed, ``amount`` unchanged.
    """
    paid_later: dict[str, Decimal] = {}
    for name in later:
        for p in example.expected["programmes"].get(name, {}).get("payments", []):
            # Living relief names its event without paying toward it (§D.6).
            if p.get("need") is not None and p.get("kind") not in LIVING_KINDS:
                paid_later[p["need"]] = paid_later.get(p["need"], Decimal(0)) + Decimal(p["amount"])
    out = {}
    for need, state in example.expected["needs"].items():
        paid = Decimal(state["paid"]) - paid_later.get(need, Decimal(0))
        out[need] = {"amount": state["amount"], "paid": format_money(paid),
                     "remaining": format_money(Decimal(state["amount"]) - paid)}
    return out


def expected_subset(example: Example, programmes: Iterable[str], *, before: Collection[str] | None = None
                    ) -> dict[str, Any]:
    """The part of ``example.expected`` a test of ``programmes`` compares with :func:`compare_expected`.

    ``{"programmes": {name: …}, "needs": …}``: the entries of ``programmes`` and the expected needs, or, given
    ``before`` (the programmes the engine under test leaves out), :func:`needs_before` ``(example, before)``.
    """
    needs = example.expected["needs"] if before is None else needs_before(example, before)
    return {"programmes": {name: example.expected["programmes"][name] for name in programmes}, "needs": needs}


def owned_differences(determination: Determination, example: Example, programmes: Iterable[str], *,
                      before: Collection[str] | None = None) -> list[str]:
    """What a plugin's example test checks of the ``programmes`` it owns, as difference lines (empty = pass).

    The :func:`compare_expected` lines for :func:`expected_subset` ``(example, programmes, before=before)``,
    then a line for each of ``programmes`` that is eligible without a reason and for each of its payments
    that cites a rule the determination does not know.
    """
    programmes = tuple(programmes)
    actual = determination.to_json()
    diffs = compare_expected(expected_subset(example, programmes, before=before), actual)
    for name in programmes:
        entry = actual["programmes"][name]
        if entry["eligible"] and not entry["reasons"]:
            diffs.append(f"{name} is eligible without a reason")
        payments = determination.programme(name).payments
        diffs += [f"payment {p} cites no known rule" for p in payments if p.rule not in determination.rules]
    return diffs


def iter_example_paths(directory: str | Path) -> Iterator[Path]:
    """The ``*.json`` files of ``directory``, sorted by name (not its subdirectories)."""
    yield from sorted(Path(directory).glob("*.json"))
