"""Issue 30, defects 4, 7, 9 and 10: the reader's resource policy and the format rules the spec leaves open.

Limits with clear errors (line length, members, records per list, nesting depth; options with defaults far
above real households), validation linear in household size, and: ASCII digits only in dates and months,
duplicate JSON keys rejected, ids without control characters, a plausible birth year.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from assistkit import io
from assistkit.errors import InvalidHousehold
from assistkit.io import _limits
from assistkit.population._pipeline import parse_line

from .conftest import ON, Cli

HEAD = {"id": "P1", "name": "张三", "birth_date": "1980-01-01", "relationship": "head"}


def household(**fields: object) -> dict:
    return {"id": "H-1", "residence": "urban", "members": [HEAD], **fields}


def problems(data: object) -> list[tuple[str, str]]:
    raw = json.dumps(data, ensure_ascii=False).encode()
    parsed = parse_line(1, raw)
    assert isinstance(parsed, io.Rejected), parsed
    with pytest.raises(InvalidHousehold) as caught:  # the library reader says the same
        io.household_from_json(raw)
    assert [tuple(p) for p in caught.value.problems] == [tuple(p) for p in parsed.problems]
    return [tuple(p) for p in parsed.problems]


def test_a_household_of_100000_members_is_rejected_by_the_limit_in_under_a_second() -> None:
    members = [HEAD] + [{"id": f"P{i}", "name": "x", "birth_date": "1980-01-01", "relationship": "child"}
                        for i in range(2, 100_001)]
    raw = json.dumps(household(members=members)).encode()
    start = time.perf_counter()
    parsed = parse_line(1, raw)
    took = time.perf_counter() - start
    assert isinstance(parsed, io.Rejected)
    assert parsed.problems[0].path == "members" and "the limit is 1,000 (--max-members)" in parsed.problems[0].reason
    print(f"100,000 members rejected in {took:.3f} s")  # a figure, not a timed assertion (benchmarks/ time it)


def test_each_limit_has_a_clear_error_and_can_be_raised() -> None:
    many = [{"member": "P1", "category": "wage", "amount": "1.00", "month": "2025-01"}] * 5
    previous = _limits.configure(max_records=4, max_depth=3, max_line_bytes=10_000)
    try:
        assert problems(household(incomes=many)) == [
            ("incomes", "5 records; the limit is 4 (--max-records): not read")]
        assert problems(household(extra={"a": {"b": {}}})) == [
            ("", "nested more than 3 deep (--max-depth): not read")]
        long = parse_line(1, json.dumps(household(community="x" * 20_000)).encode())
        assert isinstance(long, io.Rejected) and "--max-line-bytes" in long.problems[0].reason
    finally:
        _limits.configure(**{k: getattr(previous, k) for k in ("max_records", "max_depth", "max_line_bytes")})


def test_very_deep_nesting_is_an_error_not_a_traceback(cli: Cli, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"id": "H", "x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    for command in (["validate", deep], ["assess", deep, "--on", ON], ["batch", deep, "--on", ON]):
        result = cli(*command)
        assert result.returncode in (1, 2) and "Traceback" not in result.stderr, result.stderr


def test_a_line_without_end_is_rejected_without_reading_it_all(cli: Cli, tmp_path: Path) -> None:
    endless = tmp_path / "endless.jsonl"
    endless.write_bytes(b'{"id": "' + b"x" * (20 << 20) + b"\n")
    result = cli("batch", endless, "--on", ON, "--max-line-bytes", 1 << 20)
    assert result.returncode == 1 and "--max-line-bytes" in result.stdout, result.stderr


def test_many_bad_references_are_validated_in_linear_time_and_short_messages() -> None:
    members = [HEAD] + [{"id": f"P{i}", "name": "x", "birth_date": "1980-01-01", "relationship": "child"}
                        for i in range(2, 1_000)]
    incomes = [{"member": f"Q{i}", "category": "wage", "amount": "1.00", "month": "2025-01"} for i in range(5_000)]
    with pytest.raises(InvalidHousehold) as caught:
        io.structure_household(household(members=members, incomes=incomes))
    reasons = [p.reason for p in caught.value.problems]
    assert len(reasons) == 5_000 and max(len(r) for r in reasons) < 200
    assert reasons[0] == "no member has id 'Q0' (ids: P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, … (999 in all))"


@pytest.mark.parametrize(("field", "value"), [("month", "２０２５-01"), ("month", "٢٠٢٥-01"), ("from", "2025-０1")])
def test_months_take_ascii_digits_only(field: str, value: str) -> None:
    income = {"member": "P1", "category": "wage", "amount": "1.00", field: value}
    if field == "from":
        income["to"] = "2025-06"
    [(path, reason)] = problems(household(incomes=[income]))
    assert path == f"incomes[0].{field}" and reason.startswith("expected a month YYYY-MM")


def test_dates_take_ascii_digits_only() -> None:
    [(path, _)] = problems(household(members=[{**HEAD, "birth_date": "１９８０-01-01"}]))
    assert path == "members[0].birth_date"


def test_duplicate_keys_are_rejected_on_every_path() -> None:
    raw = b'{"id":"H-1","residence":"urban","residence":"rural","members":[' + json.dumps(HEAD).encode() + b"]}"
    for parsed in (parse_line(1, raw), parse_line(1, raw.replace(b":", b" : "))):
        assert isinstance(parsed, io.Rejected)
        assert parsed.problems[0].reason == ("invalid JSON: duplicate key 'residence' in one object (JSON leaves "
                                             "it open; here it is an error)")
    assert not isinstance(parse_line(1, json.dumps(household()).encode()), io.Rejected)
    assert not isinstance(parse_line(1, json.dumps(household(), indent=1).replace("\n", "").encode()),
                          io.Rejected)


@pytest.mark.parametrize("ident", ["H-1\nerror: forged", "H\x00", "H\u2028", "H\ud800"])
def test_ids_hold_no_control_character_or_lone_surrogate(ident: str) -> None:
    data = household()
    data["id"] = ident
    parsed = parse_line(1, json.dumps(data).encode())
    assert isinstance(parsed, io.Rejected)
    assert parsed.problems[0].path == "id" and "printable characters only" in parsed.problems[0].reason
    assert "\n" not in parsed.problems[0].reason


def test_a_birth_year_before_1900_is_not_plausible() -> None:
    [(path, reason)] = problems(household(members=[{**HEAD, "birth_date": "0001-01-01"}]))
    assert (path, reason) == ("members[0].birth_date", "a birth year before 1900 is not plausible")
