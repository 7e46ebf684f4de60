"""assistkit.io._seen.FirstSeen: the population-wide checks' memory of ids, in a dict up to a limit, then on disk.

The answers must not depend on where a key is kept: checked against a plain dict for any sequence of operations,
and through a whole batch (household ids and id numbers used twice) with limits small enough to send most keys to
the SQLite file."""

from __future__ import annotations

import datetime as dt
import io as _io
import json
import os
import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistkit import io
from assistkit.dev.demo import demo_lines, make_id_number
from assistkit.io import _seen
from assistkit.io._seen import FirstSeen
from assistkit.population import batch

ON = dt.date(2025, 7, 15)


def test_keys_past_the_limit_go_to_disk_with_the_same_answers(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seen: FirstSeen[tuple[int, str]] = FirstSeen(3)
    assert seen.add_new({"a": (1, "x"), "b": (2, "y")}) and not seen.on_disk
    assert seen.add_new({"c": (3, "z"), "d": (4, "w")})  # three would fit, not four: the chunk goes to disk
    assert seen.on_disk and len(seen) == 4
    assert not seen.add_new({"e": (5, "v"), "c": (6, "u")})  # "c" is on disk: nothing is added
    assert not seen.add_new({"c": (6, "u")})  # would fit in memory, but is on disk
    assert not seen.add_new({"a": (7, "t")})  # "a" is in memory
    assert len(seen) == 4
    assert seen.setdefault("d", (9, "s")) == (4, "w")  # from disk: an equal tuple
    assert seen.setdefault("a", (9, "s")) == (1, "x")
    fresh = (5, "v")
    assert seen.setdefault("e", fresh) is fresh  # a new key gives back the very object (Run compares with `is`)
    assert seen.setdefault("e", (0, "")) == (5, "v")
    [folder] = os.listdir(tmp_path)
    assert folder.startswith("assistkit-seen-")
    seen.close()
    assert os.listdir(tmp_path) == [] and len(seen) == 0 and not seen.on_disk
    assert seen.add_new({"a": (1, "x")})  # usable again, empty


def test_a_limit_of_zero_keeps_everything_on_disk_and_a_negative_one_is_refused():
    seen: FirstSeen[int] = FirstSeen(0)
    try:
        assert seen.setdefault("a", 1) == 1 and seen.on_disk
        assert seen.add_new({"b": 2}) and not seen.add_new({"b": 3, "c": 4})
        assert seen.setdefault("b", 5) == 2 and len(seen) == 2
    finally:
        seen.close()
    with pytest.raises(ValueError, match="limit must be 0 or more"):
        FirstSeen(-1)


def test_more_keys_than_one_query_takes():
    seen: FirstSeen[int] = FirstSeen(1)
    try:
        assert seen.add_new({f"k{i}": i for i in range(1200)})  # on disk, the limit being 1
        assert seen.add_new({"m": 0})  # in memory: three IN (...) queries of at most 500 keys found nothing
        assert not seen.add_new({"new": 0, "k1100": 0})
        assert seen.add_new({f"n{i}": i for i in range(1200)})
        assert len(seen) == 2401
    finally:
        seen.close()


def test_keys_past_the_limit_wait_in_a_bounded_buffer():
    seen: FirstSeen[int] = FirstSeen(10)
    try:
        for i in range(3000):
            assert seen.setdefault(f"k{i}", i) == i
            assert len(seen._pending) < _seen._FLUSH  # written to the file a thousand or so at a time
        assert len(seen) == 3000 and len(seen._memory) == 10
        assert [seen.setdefault(f"k{i}", -1) for i in (0, 9, 10, 2999)] == [0, 9, 10, 2999]
    finally:
        seen.close()


_KEYS = st.sampled_from("abcdefghij")
_OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("add_new"), st.dictionaries(_KEYS, st.integers(0, 99), max_size=4)),
        st.tuples(st.just("setdefault"), st.tuples(_KEYS, st.integers(0, 99))),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(limit=st.integers(0, 6), flush=st.integers(1, 3), operations=_OPERATIONS)
def test_it_answers_as_a_dict_does_wherever_the_keys_are_kept(limit, flush, operations):
    model: dict[str, int] = {}
    seen: FirstSeen[int] = FirstSeen(limit)
    default_flush, _seen._FLUSH = _seen._FLUSH, flush  # keys past the limit written every `flush` keys
    try:
        for name, argument in operations:
            if name == "add_new":
                fresh = model.keys().isdisjoint(argument)
                assert seen.add_new(argument) == fresh
                if fresh:
                    model.update(argument)
            else:
                key, value = argument
                assert seen.setdefault(key, value) == model.setdefault(key, value)
            assert len(seen) == len(model)
        for key, value in model.items():
            assert seen.setdefault(key, -1) == value
    finally:
        _seen._FLUSH = default_flush
        seen.close()


def _twice_population(tmp_path):
    """Household ids used again (in the same chunk, in later chunks, many times) and id numbers held by several
    households, among ordinary lines."""
    lines = [line.encode("utf-8") for line in demo_lines(60, seed=12)]
    shared = []
    for at in (1, 17, 44, 58):  # one id number held by four households
        household = json.loads(lines[at])
        birth = json.loads(lines[1])["members"][0]["birth_date"]
        household["members"][0].update(id_number=make_id_number("110105", birth, 7), birth_date=birth)
        lines[at] = json.dumps(household, ensure_ascii=False).encode("utf-8") + b"\n"
        shared.append(at)
    lines[5] = lines[4]  # the next line: the same chunk
    lines[30] = lines[2]  # chunks later
    lines[50] = lines[2]  # and again
    lines.append(lines[59])  # the last line again
    path = tmp_path / "twice.jsonl"
    path.write_bytes(b"".join(lines))
    return path


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("limits", [(0, 0), (3, 1), (25, 2)])
def test_a_batch_gives_the_same_bytes_and_duplicates_with_the_ids_on_disk(tmp_path, monkeypatch, workers, limits):
    population = _twice_population(tmp_path)
    went: list[int] = []  # how many keys each write to disk took
    to_disk = FirstSeen._to_disk

    def counting(self, items, all_new=False):
        items = list(items)
        went.append(len(items))
        return to_disk(self, items, all_new)

    monkeypatch.setattr(FirstSeen, "_to_disk", counting)
    monkeypatch.setattr(_seen, "_FLUSH", 2)  # keys past the limit written two at a time, not 1024
    runs = {}
    for name, households, id_numbers in (("memory", 10**6, 10**6), ("disk", *limits)):
        monkeypatch.setattr(_seen, "HOUSEHOLD_IDS", households)
        monkeypatch.setattr(_seen, "ID_NUMBERS", id_numbers)
        scratch = tmp_path / f"scratch-{name}"
        scratch.mkdir()
        monkeypatch.setattr(tempfile, "tempdir", str(scratch))
        went.clear()
        out = _io.BytesIO()
        with open(population, "rb") as lines:
            result = batch(lines, out, ON, workers=workers, chunk_size=7)
        assert os.listdir(scratch) == []  # the scratch file is gone with the run
        assert bool(went) == (name == "disk")
        runs[name] = (out.getvalue(), result.to_json())
    assert runs["disk"] == runs["memory"]
    output, summary = runs["disk"]
    errors = [r for r in map(json.loads, output.splitlines()) if "error" in r]
    assert [e["line"] for e in errors] == [6, 31, 51, 61]
    assert all("duplicate household id" in e["error"]["message"] for e in errors)
    assert [(d["first"]["line"], d["second"]["line"]) for d in summary["duplicates"]] == [(2, 18), (2, 45), (2, 59)]


def test_read_jsonl_rejects_the_same_lines_with_its_ids_on_disk(tmp_path, monkeypatch):
    path = _twice_population(tmp_path)
    want = [(type(r).__name__, r.line) for r in io.read_jsonl(path)]
    monkeypatch.setattr(_seen, "HOUSEHOLD_IDS", 2)
    monkeypatch.setattr(_seen, "_FLUSH", 3)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "scratch"))
    (tmp_path / "scratch").mkdir()
    records = io.read_jsonl(path)
    got = [(type(r).__name__, r.line) for r in records]
    assert got == want
    assert [line for kind, line in got if kind == "Rejected"] == [6, 31, 51, 61]
    assert os.listdir(tmp_path / "scratch") == []


def test_no_room_for_the_scratch_file_is_a_clear_error(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from assistkit.cli._batch import batch as batch_cmd
    from assistkit.errors import AssistkitError, ScratchSpaceError

    missing = str(tmp_path / "no-such-directory")
    monkeypatch.setattr(tempfile, "tempdir", missing)
    seen: FirstSeen[int] = FirstSeen(0)
    with pytest.raises(ScratchSpaceError, match="no-such-directory.*set TMPDIR") as raised:
        seen.add_new({"a": 1})
    assert isinstance(raised.value, AssistkitError) and isinstance(raised.value, OSError)
    seen.close()
    monkeypatch.setattr(_seen, "HOUSEHOLD_IDS", 5)
    result = CliRunner().invoke(batch_cmd, [str(_twice_population(tmp_path)), "--on", "2025-07-15",
                                            "--chunk-size", "7", "--out", str(tmp_path / "out.jsonl")])
    assert result.exit_code != 0
    assert "cannot write the scratch file" in result.output and "Traceback" not in result.output
