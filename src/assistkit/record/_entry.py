"""The entries of the record, their canonical form and hash, and the chain's verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from attrs import field, frozen

from ..money import format_money
from ._error import LogError

__all__ = [
    "DECISIONS",
    "FORMAT",
    "GENESIS",
    "Decision",
    "Entry",
    "LogError",
    "Verification",
    "determination_digest",
    "verify_rows",
]

FORMAT = "assistkit-record/1"
"""The version of the canonical form an entry's hash is computed over."""

GENESIS = "0" * 64
"""The previous hash of the first entry."""

DECISIONS = ("enrol", "adjust", "exit", "keep", "one_off", "payment", "recovery", "arrears", "opening",
             "allocation")
"""What an entry records: a §15.2 decision on a recurring benefit (``enrol``, ``adjust``, ``exit``, ``keep``), a
one-off decided (``one_off``), money paid (``payment``), an overpayment to recover or arrears to pay after a
recomputation (``recovery``, ``arrears``), and the fund ledger of §13 (``opening`` of a fund, ``allocation``)."""

_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX128 = re.compile(r"[0-9a-f]{128}")
_KEY_ID = re.compile(r"[0-9a-f]{16}")
_MONEY = re.compile(r"-?[0-9]+\.[0-9]{2}")

# The stored columns, in order: what a store keeps for each entry and what an export line holds.
COLUMNS = ("seq", "recorded_at", "household", "on", "programme", "member", "decision", "digest", "amounts",
           "recorder", "note", "prev", "key_id", "signature", "hash")


def determination_digest(determination: Any) -> str:
    """The SHA-256 (hex) of a determination's canonical JSON: its :meth:`~assistkit.determination.Determination.
    to_json` (Chinese reasons), or the same data read back from a file, with sorted keys and no spaces."""
    data = determination.to_json("zh") if hasattr(determination, "to_json") else determination
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot digest a {type(value).__name__}")


def _money_text(amount: object, what: str) -> str:
    if type(amount) is not Decimal or not amount.is_finite():
        raise LogError(f"{what}: expected an amount of money as a Decimal, got {amount!r}")
    if amount != amount.quantize(Decimal("0.01")):
        raise LogError(f"{what}: {amount} has more than two decimal places; amounts are money (yuan and fen)")
    return format_money(amount)


@frozen
class Decision:
    """What to record, before the record gives it its place: the household, the decision (one of
    :data:`DECISIONS`), the determination's digest (:func:`determination_digest`), the amounts by name (money,
    e.g. ``{"monthly": Decimal("1650.00")}``), and optionally the assessment date, programme, member and a
    note (a payment's kind and need, a recovery's months)."""

    household: str
    decision: str
    digest: str
    amounts: Mapping[str, Decimal] = field(factory=dict)
    on: dt.date | None = None
    programme: str | None = None
    member: str | None = None
    note: str = ""

    def check(self) -> dict[str, str]:
        """The amounts as text; :class:`LogError` naming the household and field if anything is wrong."""
        who = f"household {self.household!r}"
        if not isinstance(self.household, str) or not self.household:
            raise LogError(f"{who}: household must be a non-empty string")
        if self.decision not in DECISIONS:
            raise LogError(f"{who}: decision must be one of {', '.join(DECISIONS)}; got {self.decision!r}")
        if not isinstance(self.digest, str) or not _HEX64.fullmatch(self.digest):
            raise LogError(f"{who}: digest must be a SHA-256 in 64 lowercase hex digits; got {self.digest!r}")
        return {str(k): _money_text(v, f"{who}: amounts[{k!r}]") for k, v in sorted(self.amounts.items())}


@frozen
class Entry:
    """One entry of the record as stored: its place (``seq``, from 1), when and by whom it was recorded, what it
    records, the previous entry's hash, an optional Ed25519 signature (``key_id`` names the key) and its own
    hash, which covers everything else, the signature included."""

    seq: int
    recorded_at: str
    household: str
    on: str | None
    programme: str | None
    member: str | None
    decision: str
    digest: str
    amounts: Mapping[str, str]
    recorder: str
    note: str
    prev: str
    key_id: str | None
    signature: str | None
    hash: str

    def amount(self, name: str) -> Decimal:
        return Decimal(self.amounts[name])

    def row(self) -> tuple[Any, ...]:
        """The stored columns (:data:`COLUMNS`), the amounts as their canonical JSON text."""
        return (self.seq, self.recorded_at, self.household, self.on, self.programme, self.member, self.decision,
                self.digest, amounts_text(self.amounts), self.recorder, self.note, self.prev, self.key_id,
                self.signature, self.hash)

    def to_json(self) -> dict[str, Any]:
        return {name: (dict(self.amounts) if name == "amounts" else value)
                for name, value in zip(COLUMNS, self.row(), strict=True)}

    def line(self) -> str:
        """The export line: the canonical JSON of :meth:`to_json` (sorted keys, no spaces)."""
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def amounts_text(amounts: Mapping[str, str]) -> str:
    return json.dumps(dict(amounts), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def body(seq: int, recorded_at: str, household: str, on: str | None, programme: str | None, member: str | None,
         decision: str, digest: str, amounts: Mapping[str, str], recorder: str, note: str, prev: str,
         key_id: str | None) -> bytes:
    """The bytes an entry's signature signs: the canonical JSON of its fields, the format first."""
    return json.dumps([FORMAT, seq, recorded_at, household, on, programme, member, decision, digest,
                       dict(sorted(amounts.items())), recorder, note, prev, key_id],
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def entry_hash(body_bytes: bytes, signature: str | None) -> str:
    """An entry's hash: SHA-256 over its body, a newline and its signature (hex, or nothing)."""
    return hashlib.sha256(body_bytes + b"\n" + (signature or "").encode("ascii")).hexdigest()


def seal(seq: int, recorded_at: str, decision: Decision, amounts: Mapping[str, str], recorder: str, prev: str,
         signer: Any = None) -> Entry:
    """The entry ``decision`` becomes at place ``seq`` after ``prev``, signed by ``signer`` if given."""
    on = decision.on.isoformat() if decision.on is not None else None
    key_id = signer.key_id if signer is not None else None
    data = body(seq, recorded_at, decision.household, on, decision.programme, decision.member, decision.decision,
                decision.digest, amounts, recorder, decision.note, prev, key_id)
    signature = signer.sign(data) if signer is not None else None
    return Entry(seq, recorded_at, decision.household, on, decision.programme, decision.member, decision.decision,
                 decision.digest, amounts, recorder, decision.note, prev, key_id, signature,
                 entry_hash(data, signature))


@frozen
class Verification:
    """The result of checking a record: ``ok`` when every entry holds; otherwise ``broken`` is the first entry
    that does not (its ``seq``, or its line in an export) and ``problem`` says what is wrong with it.

    ``entries`` counts the entries read up to the first broken one; ``head`` is the hash of the last sound entry
    (give it to another department: a record that later verifies with the same head at that place has not been
    rewritten); ``signed`` and ``verified`` count the signatures present and checked against a known key."""

    ok: bool
    entries: int
    head: str
    broken: int | None = None
    problem: str | None = None
    signed: int = 0
    verified: int = 0

    def text(self) -> str:
        if self.ok:
            return (f"record verified: {self.entries} entries; {self.signed} signed, {self.verified} signatures "
                    f"checked\nhead {self.entries}:{self.head}")
        return f"record broken at entry {self.broken}: {self.problem} ({self.entries} entries before it verify)"


def parse_row(row: tuple[Any, ...]) -> Entry:
    """An :class:`Entry` from stored columns, each checked for its form; ``ValueError`` saying what is wrong."""
    if len(row) != len(COLUMNS):
        raise ValueError(f"expected {len(COLUMNS)} fields, got {len(row)}")
    (seq, recorded_at, household, on, programme, member, decision, digest, amounts, recorder, note, prev, key_id,
     signature, hash_) = row
    if type(seq) is not int:
        raise ValueError(f"seq is not an integer: {seq!r}")
    for name, value, optional in (("recorded_at", recorded_at, False), ("household", household, False),
                                  ("on", on, True), ("programme", programme, True), ("member", member, True),
                                  ("recorder", recorder, False), ("note", note, False)):
        if not (isinstance(value, str) or (optional and value is None)):
            raise ValueError(f"{name} is not text: {value!r}")
    if decision not in DECISIONS:
        raise ValueError(f"decision {decision!r} is not one of {', '.join(DECISIONS)}")
    for name, value, pattern, optional in (("digest", digest, _HEX64, False), ("prev", prev, _HEX64, False),
                                           ("hash", hash_, _HEX64, False), ("key_id", key_id, _KEY_ID, True),
                                           ("signature", signature, _HEX128, True)):
        if value is None and optional:
            continue
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise ValueError(f"{name} is not in its form: {value!r}")
    if (key_id is None) != (signature is None):
        raise ValueError("a signature needs its key id, and a key id its signature")
    if not isinstance(amounts, str):
        raise ValueError(f"amounts are not text: {amounts!r}")
    try:
        parsed = json.loads(amounts)
    except ValueError:
        raise ValueError(f"amounts are not JSON: {amounts!r}") from None
    if (not isinstance(parsed, dict) or amounts_text(parsed) != amounts
            or not all(isinstance(v, str) and _MONEY.fullmatch(v) for v in parsed.values())):
        raise ValueError(f"amounts are not in their canonical form: {amounts!r}")
    try:
        if on is not None:
            dt.date.fromisoformat(on)
        dt.datetime.fromisoformat(recorded_at)
        for v in parsed.values():
            Decimal(v)
    except (ValueError, InvalidOperation) as exc:
        raise ValueError(str(exc)) from None
    return Entry(seq, recorded_at, household, on, programme, member, decision, digest, parsed, recorder, note,
                 prev, key_id, signature, hash_)


def verify_rows(rows: Iterable[tuple[Any, ...] | BaseException], *, keys: Mapping[str, Any] | None = None,
                require_signatures: bool = False, expected_head: tuple[int, str] | None = None,
                start: tuple[int, str] = (0, GENESIS)) -> Verification:
    """Check a record's stored rows in order: each in its form, at its place, linked to the one before, its
    hash over its contents, its signature (when ``keys`` — key id → public key — holds its key). A row may be
    an exception (an export line that could not be read): that entry is broken. ``expected_head`` (seq, hash)
    is a head another department saw: the record must hold that entry with that hash. ``start`` (seq, hash)
    is the entry the rows follow (a part of a record: the rows start at ``seq + 1``)."""
    keys = dict(keys or {})
    prev, count, signed, verified = start[1], 0, 0, 0
    seen_head = expected_head is None or expected_head[0] <= start[0]
    for index, row in enumerate(rows, start[0] + 1):
        def broken(problem: str) -> Verification:
            return Verification(False, count, prev, index, problem, signed, verified)  # noqa: B023

        if isinstance(row, BaseException):
            return broken(str(row))
        try:
            entry = parse_row(row)
        except ValueError as exc:
            return broken(str(exc))
        if entry.seq != index:
            return broken(f"its place is {index} but it says {entry.seq} (an entry missing, added or moved)")
        if entry.prev != prev:
            return broken("its previous hash is not the hash of the entry before it (an entry before it was "
                          "removed, replaced or changed)")
        data = body(entry.seq, entry.recorded_at, entry.household, entry.on, entry.programme, entry.member,
                    entry.decision, entry.digest, entry.amounts, entry.recorder, entry.note, entry.prev,
                    entry.key_id)
        if entry_hash(data, entry.signature) != entry.hash:
            return broken("its contents do not match its hash (the entry was changed)")
        if entry.signature is not None:
            signed += 1
            key = keys.get(entry.key_id or "")
            if key is not None:
                from ._sign import load_public_key, verify_signature

                if isinstance(key, str):  # read each key once, not once per entry
                    key = keys[entry.key_id or ""] = load_public_key(key)
                if not verify_signature(key, entry.signature, data):
                    return broken(f"its signature does not verify with key {entry.key_id}")
                verified += 1
            elif require_signatures:
                return broken(f"it is signed with key {entry.key_id}, which is not among the keys given")
        elif require_signatures:
            return broken("it is not signed")
        if expected_head is not None and entry.seq == expected_head[0]:
            if entry.hash != expected_head[1]:
                return broken(f"its hash {entry.hash} is not the head {expected_head[1]} seen before (the record "
                              "was rewritten)")
            seen_head = True
        prev = entry.hash
        count += 1
    if not seen_head and expected_head is not None:
        return Verification(False, count, prev, count + 1, f"the record ends before entry {expected_head[0]}, "
                            "which was seen before (entries were removed from its end)", signed, verified)
    return Verification(True, count, prev, None, None, signed, verified)


def read_export(lines: Iterable[str | bytes]) -> Iterator[tuple[Any, ...] | BaseException]:
    """The rows of an export (JSON Lines, one entry each, in canonical form); a line that cannot be read, or is
    not exactly the canonical form of what it holds, is a ``ValueError`` in its place."""
    for number, raw in enumerate(lines, 1):
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            text = text.removesuffix("\n")
            data = json.loads(text)
            if not isinstance(data, dict) or set(data) != set(COLUMNS):
                raise ValueError(f"line {number}: expected an object with the fields {', '.join(COLUMNS)}")
            amounts = data["amounts"]
            if not isinstance(amounts, dict):
                raise ValueError(f"line {number}: amounts are not an object")
            row = tuple(amounts_text(amounts) if name == "amounts" else data[name] for name in COLUMNS)
            if json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) != text:
                raise ValueError(f"line {number} is not in the canonical form of the entry it holds")
            yield row
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            yield ValueError(f"line {number}: {exc}" if not str(exc).startswith("line ") else str(exc))
