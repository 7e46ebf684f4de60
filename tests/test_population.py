"""`assistkit batch` and assistkit.population.batch: order, worker-independence, bad lines, duplicates,
funds."""

from __future__ import annotations

import datetime as dt
import io as _io
import json
import os
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pytest
from click.testing import CliRunner

from assistkit import io
from assistkit.cli._batch import batch as batch_cmd
from assistkit.dev.demo import demo_lines, make_id_number
from assistkit.engine import Engine
from assistkit.errors import WorkerDied
from assistkit.population import CountingLines, EngineSpec, assess_chunk, batch, chunked, donations, error_object
from assistkit.population._pipeline import Job, dumps, lines_of, map_ordered, pool_context

ON = dt.date(2025, 7, 15)


@pytest.fixture(scope="module")
def engine():
    return Engine()


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = tmp_path_factory.mktemp("pop") / "pop5k.jsonl"
    path.write_text("".join(demo_lines(5_000, seed=2025)), encoding="utf-8")
    return path


def reference(engine, path, funds=None):
    """The output a sequential run gives: io.read_jsonl → Engine.assess_many (→ donations.match)."""
    items = list(engine.assess_many(io.read_jsonl(path), ON))
    if funds is not None:
        items = list(donations.match(items, funds, ON))
    out = []
    for item in items:
        if isinstance(item, io.Rejected):
            out.append(dumps(error_object(item)) + b"\n")
        else:
            out.append(dumps(item.to_json()) + b"\n")
    return b"".join(out)


def test_5000_households_two_workers_give_the_bytes_of_one(big, tmp_path):
    """Small chunks, so that the two workers take a hundred of them, more than the chunks in flight."""
    outputs = {}
    for workers in (1, 2):
        out = tmp_path / f"out{workers}.jsonl"
        result = CliRunner().invoke(
            batch_cmd,
            [str(big), "--on", "2025-07-15", "--workers", str(workers), "--out", str(out), "--no-progress",
             "--chunk-size", "50"],
        )
        assert result.exit_code == 0, result.output
        assert "5000 households, 5000 assessed, 0 rejected" in result.output
        outputs[workers] = out.read_bytes()
    assert outputs[1] == outputs[2]
    lines = outputs[1].splitlines()
    assert len(lines) == 5_000
    assert [json.loads(line)["household"] for line in lines[:3]] == ["DC-0000001", "DC-0000002", "DC-0000003"]


def corrupt_population(tmp_path):
    lines = list(demo_lines(400, seed=9))
    bad = {}
    broken = json.loads(lines[120])
    broken["members"][0]["birth_date"] = "1990-02-30"
    broken["incomes"] = [{"category": "wage", "amount": "-5"}]
    edits = [
        (50, '{"id": "X-1", "residence": "urban", "members": [\n', "invalid JSON"),
        (120, json.dumps(broken, ensure_ascii=False) + "\n", "members[0].birth_date"),
        (200, "[1, 2, 3]\n", "expected a household object"),
        (250, lines[10], "duplicate household id"),  # the id of line 11 again
        (300, "\n", None),  # a blank line: skipped, still counted as a line
        (310, b"\xff\xfe not utf-8\n", "not UTF-8"),
    ]
    raw: list[bytes] = []
    for index, line in enumerate(lines):
        for at, text, why in edits:
            if at == index:
                raw.append(text if isinstance(text, bytes) else text.encode("utf-8"))
                if why is not None:
                    bad[len(raw)] = why
        raw.append(line.encode("utf-8"))
    path = tmp_path / "corrupt.jsonl"
    path.write_bytes(b"".join(raw))
    return path, bad


def test_corrupt_lines_in_the_middle_lose_no_good_household(tmp_path, engine):
    path, bad = corrupt_population(tmp_path)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        batch_cmd,
        [str(path), "--on", "2025-07-15", "--workers", "2", "--chunk-size", "37", "--out", str(out)],
    )
    assert result.exit_code == 1
    assert "405 households, 400 assessed, 5 rejected" in result.output
    records = [json.loads(line) for line in out.read_bytes().splitlines()]
    errors = {r["line"]: r for r in records if "error" in r}
    assert set(errors) == set(bad)
    for line, why in bad.items():
        error = errors[line]
        assert error["error"] == error["errors"][0]
        assert any(why in e["path"] or why in e["message"] for e in error["errors"]), (line, error)
    broken_line = next(line for line, why in bad.items() if why == "members[0].birth_date")
    assert errors[broken_line]["household"] == "DC-0000121"
    assert {e["path"] for e in errors[broken_line]["errors"]} >= {
        "members[0].birth_date",
        "incomes[0].amount",
    }
    assert errors[51]["household"] is None
    good = [r["household"] for r in records if "error" not in r]
    assert good == [f"DC-{i:07d}" for i in range(1, 401)]
    # The same as a sequential run through io.read_jsonl and Engine.assess_many, byte for byte.
    assert out.read_bytes() == reference(engine, path)


def test_output_does_not_depend_on_chunk_size_or_workers(tmp_path):
    path = tmp_path / "pop.jsonl"
    path.write_text("".join(demo_lines(300, seed=3)), encoding="utf-8")
    seen = set()
    for workers, chunk_size in ((1, 1), (1, 500), (2, 7), (3, 64)):
        out = _io.BytesIO()
        with open(path, "rb") as src:
            result = batch(src, out, ON, workers=workers, chunk_size=chunk_size)
        assert result.ok
        seen.add(out.getvalue())
    assert len(seen) == 1


def test_assess_chunk_is_the_unit_of_work():
    lines = list(demo_lines(5, seed=1))
    lines.insert(2, "not json\n")
    result = assess_chunk(10, lines, Job(ON))
    assert result.start == 10
    assert len(result.outputs) == 6
    assert result.households[2] is None
    assert json.loads(result.outputs[2])["line"] == 12
    assert result.summary.assessed == 5 and result.summary.rejected == 1
    assert [start for start, _chunk in chunked(lines, 4, first_line=10)] == [10, 14]


def test_id_number_in_two_households_is_reported_without_stopping(tmp_path):
    lines = [json.loads(line) for line in demo_lines(60, seed=5)]
    number = make_id_number("110105", lines[3]["members"][0]["birth_date"], 7)
    for i in (3, 41):
        lines[i]["members"][0]["id_number"] = number
    lines[41]["members"][0]["birth_date"] = lines[3]["members"][0]["birth_date"]
    path = tmp_path / "dup.jsonl"
    path.write_text("".join(json.dumps(h, ensure_ascii=False) + "\n" for h in lines), encoding="utf-8")
    dup_file = tmp_path / "dups.jsonl"
    result = CliRunner().invoke(
        batch_cmd,
        [
            str(path),
            "--on",
            "2025-07-15",
            "--workers",
            "2",
            "--chunk-size",
            "8",
            "--out",
            str(tmp_path / "o.jsonl"),
            "--duplicates",
            str(dup_file),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "重复救助" in result.output and number in result.output
    pairs = [json.loads(line) for line in dup_file.read_text(encoding="utf-8").splitlines()]
    assert pairs == [
        {
            "id_number": number,
            "first": {"line": 4, "household": lines[3]["id"], "member": "P1"},
            "second": {"line": 42, "household": lines[41]["id"], "member": "P1"},
        }
    ]


def test_summary_counts_match_the_determinations(tmp_path):
    path, _bad = corrupt_population(tmp_path)
    out = _io.BytesIO()
    with open(path, "rb") as src:
        result = batch(src, out, ON, workers=2, chunk_size=50)
    s = result.summary
    determinations = [json.loads(line) for line in out.getvalue().splitlines()]
    determinations = [d for d in determinations if "programmes" in d]
    assert s.assessed == len(determinations) == 400
    from decimal import Decimal

    for name in ("dibao", "tekun", "housing"):
        assert s.monthly.get(name, Decimal(0)) == sum(
            Decimal(d["programmes"][name]["monthly"]) for d in determinations
        )
    assert s.statuses["dibao"] == sum(
        1
        for d in determinations
        if "dibao" in d["statuses"]["household"]
        or any("dibao" in v for v in d["statuses"]["members"].values())
    )
    assert sum(v for k, v in s.actions.items() if k.startswith("dibao.")) == sum(
        1 for d in determinations for a in d["actions"] if a["programme"] == "dibao"
    )


FUNDS = [
    {
        "id": "F1",
        "name": "慈善总会医疗救助基金",
        "balance": "60000.00",
        "need_kinds": ["medical"],
        "statuses": [],
        "per_household_cap": "5000.00",
        "valid_from": "2025-01-01",
        "valid_to": "2025-12-31",
    },
    {
        "id": "F2",
        "name": "应急救助基金",
        "balance": "20000.00",
        "need_kinds": ["emergency", "tuition"],
        "statuses": ["dibao", "tekun"],
        "per_household_cap": "3000.00",
        "valid_from": "2025-01-01",
        "valid_to": "2026-06-30",
    },
]


def test_funds_are_matched_as_the_sequential_second_pass(tmp_path, engine):
    path = tmp_path / "pop.jsonl"
    path.write_text("".join(demo_lines(1500, seed=12)), encoding="utf-8")
    funds_file = tmp_path / "funds.json"
    funds_file.write_text(json.dumps(FUNDS, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        batch_cmd,
        [
            str(path),
            "--on",
            "2025-07-15",
            "--workers",
            "2",
            "--chunk-size",
            "50",
            "--funds",
            str(funds_file),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "donations (§13, second pass)" in result.output
    funds = io.load_funds(funds_file)
    assert out.read_bytes() == reference(engine, path, funds)
    allocated = sum(
        p["amount"] and float(p["amount"])
        for line in out.read_bytes().splitlines()
        for p in json.loads(line)["programmes"]["donations"]["payments"]
    )
    assert allocated > 0


def test_bad_policy_or_funds_fail_before_any_work(tmp_path):
    path = tmp_path / "pop.jsonl"
    path.write_text("".join(demo_lines(3)), encoding="utf-8")
    result = CliRunner().invoke(batch_cmd, [str(path), "--on", "2025-07-15", "--locality", "atlantis"])
    assert result.exit_code == 2 and "atlantis" in result.output
    bad_funds = tmp_path / "funds.json"
    bad_funds.write_text('[{"id": "F1"}]', encoding="utf-8")
    result = CliRunner().invoke(batch_cmd, [str(path), "--on", "2025-07-15", "--funds", str(bad_funds)])
    assert result.exit_code == 2 and "[0]" in result.output


def test_engine_spec_names_a_locality_or_an_override_file(tmp_path):
    toml = tmp_path / "reform.toml"
    toml.write_text("[standard]\nurban = { 2025-07-01 = 1155 }\n", encoding="utf-8")
    assert EngineSpec.parse("demo-city") == EngineSpec("demo-city")
    spec = EngineSpec.parse(str(toml))
    assert spec.locality == "demo-city" and spec.policy_files == (str(toml),)
    assert spec.label == "demo-city+reform.toml"


def test_orjson_writes_the_same_bytes_as_json():
    orjson = pytest.importorskip("orjson")
    d = (
        Engine()
        .assess(io.read_example("tests/examples/05-marginal-medical-temporary.json").household, ON)
        .to_json()
    )
    text = json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert orjson.dumps(d) == text


def test_a_missing_override_file_is_an_error():
    from assistkit.errors import PolicyError

    with pytest.raises(PolicyError, match="no such policy file"):
        EngineSpec.parse("nowhere/reform.toml")


# -- benefit cliffs ------------------------------------------------------------------------------------------


def test_cliff_traces_assistance_as_the_wage_rises(engine):
    from assistkit.population import cliff, with_wage

    example = io.read_example("tests/examples/01-urban-dibao-wage.json")
    result = cliff(engine, example.household, example.on, "P1", 4000, 250)
    assert [p.wage for p in result.points][:3] == [0, 250, 500] and len(result.points) == 17
    for point in result.points:
        d = engine.assess(with_wage(example.household, "P1", point.wage, example.on, 6), example.on)
        assert point.total == d.monthly_total
        assert point.by_programme == {r.name: r.monthly for r in d.programmes if r.monthly}
    # The household's own wage (10800 over Jan–Jun = 1800 a month) gives the example's 1823 yuan of dibao.
    assert (
        engine.assess(with_wage(example.household, "P1", 1800, example.on, 6), example.on).monthly_total
        == 1823
    )
    last_dibao = max(p.wage for p in result.points if "dibao" in p.statuses)
    assert any(c.wage_from == last_dibao and c.total_to == 0 for c in result.cliffs)
    assert all(c.total_from - c.total_to > c.wage_to - c.wage_from for c in result.cliffs)
    assert "cliffs" in result.table()


def test_with_wage_replaces_only_the_members_wages_in_the_window():
    from assistkit.population import with_wage

    household = io.read_example("tests/examples/01-urban-dibao-wage.json").household
    changed = with_wage(household, "P1", 2000, ON, 6)
    wages = [i for i in changed.incomes if i.member == "P1"]
    assert len(wages) == 1 and wages[0].amount == 12000 and str(wages[0].first) == "2025-01"
    assert [i for i in changed.incomes if i.member != "P1"] == [
        i for i in household.incomes if i.member != "P1"
    ]
    assert not [i for i in with_wage(household, "P1", 0, ON, 6).incomes if i.member == "P1"]


def test_cliff_cli(tmp_path):
    from assistkit.cli._cliff import cliff as cliff_cmd

    example = "tests/examples/01-urban-dibao-wage.json"
    cli = CliRunner().invoke(cliff_cmd, [example, "--member", "P1", "--max-income", "4000", "--step", "500"])
    assert cli.exit_code == 0, cli.output
    assert cli.output.startswith("household H-01, member P1, on 2025-07-15")
    cli = CliRunner().invoke(cliff_cmd, [example, "--member", "P9", "--max-income", "100"])
    assert cli.exit_code == 2 and "no member 'P9'" in cli.output
    cli = CliRunner().invoke(cliff_cmd, [example, "--member", "P1", "--max-income", "500", "--json"])
    assert [p["wage"] for p in json.loads(cli.output)["points"]] == [f"{w}.00" for w in range(0, 501, 50)]
    png = tmp_path / "cliff.png"
    cli = CliRunner().invoke(cliff_cmd, [example, "--member", "P1", "--max-income", "500", "--png", str(png)])
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert cli.exit_code == 2 and "assistkit[plot]" in cli.output
    else:
        assert cli.exit_code == 0 and png.read_bytes().startswith(b"\x89PNG")


def test_spawned_workers_build_their_engine_and_give_the_same_output(monkeypatch):
    import multiprocessing

    from assistkit.population import _pipeline

    lines = list(demo_lines(120, seed=4))
    expected = _io.BytesIO()
    batch(lines, expected, ON, workers=1)
    monkeypatch.setattr(_pipeline, "pool_context", lambda: multiprocessing.get_context("spawn"))
    out = _io.BytesIO()
    batch(lines, out, ON, workers=2, chunk_size=25)
    assert out.getvalue() == expected.getvalue()


# -- blocks: a binary file is read in large blocks and cut at every chunk_size-th newline ----------------------


def edge_population(tmp_path):
    """Blank lines (also at chunk edges), CRLF lines, a bad line, a household id and an id number used twice
    (in different chunks), a BOM and a last line without a newline."""
    lines = [line.encode("utf-8") for line in demo_lines(40, seed=8)]
    twice = json.loads(lines[2])
    number = make_id_number("110105", twice["members"][0]["birth_date"], 3)
    twice["members"][0]["id_number"] = number
    lines[2] = json.dumps(twice, ensure_ascii=False).encode("utf-8") + b"\n"
    other = json.loads(lines[30])
    other["members"][0].update(id_number=number, birth_date=twice["members"][0]["birth_date"])
    lines[30] = json.dumps(other, ensure_ascii=False).encode("utf-8") + b"\n"
    lines[0] = b"\xef\xbb\xbf" + lines[0]
    lines[5] = lines[5].replace(b"\n", b"\r\n")
    lines[9] = b"{not json\n"
    lines[21] = lines[3]  # household id again, chunks later
    lines[33] = lines[33].replace(b"\n", b"\r\n")
    lines[-1] = lines[-1].rstrip(b"\n")
    for at in (24, 12, 8, 4, 3):
        lines.insert(at, b"\n" if at % 2 else b"  \r\n")
    path = tmp_path / "edge.jsonl"
    path.write_bytes(b"".join(lines))
    return path


@pytest.mark.parametrize("size", [1, 2, 3, 4, 7, 500])
@pytest.mark.parametrize("read", [1, 5, 64, 1 << 22])
def test_blocks_give_the_lines_of_chunked(tmp_path, monkeypatch, size, read):
    from assistkit.population import _pipeline

    monkeypatch.setattr(_pipeline, "BLOCK_SIZE", read)  # blocks cut mid-line, and many lines in one block
    data = b"\xef\xbb\xbfa\r\n\n\nbb\n  \r\ncc\r\r\nd\n\ne"
    for text in (data, data + b"\n", data + b"\n\n", b"", b"\n", b"x"):
        counting = CountingLines(_io.BytesIO(text))
        got = [(start, list(lines_of(block))) for start, block in _pipeline.chunks(counting, size)]
        assert all(isinstance(block, bytes) for _start, block in _pipeline.chunks(_io.BytesIO(text), size))
        assert got == [(start, list(chunk)) for start, chunk in chunked(_io.BytesIO(text), size)]
        assert counting.bytes == len(text)


def test_str_lines_and_lists_are_chunked_as_they_are():
    from assistkit.population import _pipeline

    lines = ["a\n", "b\r\n", "c\u2028d\n"]  # a str line is never split again
    assert list(_pipeline.chunks(lines, 2)) == [(1, ["a\n", "b\r\n"]), (3, ["c\u2028d\n"])]
    assert lines_of(lines) is lines


@pytest.mark.parametrize(("workers", "chunk_size"), [(1, 1), (1, 4), (2, 3), (2, 11), (3, 500)])
def test_blocks_give_the_bytes_of_lines(tmp_path, monkeypatch, engine, workers, chunk_size):
    from assistkit.population import _pipeline

    path = edge_population(tmp_path)
    expected = reference(engine, path)
    by_lines = _io.BytesIO()
    lines = path.read_bytes().splitlines(keepends=True)  # no \r in a line's middle: these are the file's lines
    want = batch(lines, by_lines, ON, workers=workers, chunk_size=chunk_size)
    assert by_lines.getvalue() == expected
    monkeypatch.setattr(_pipeline, "BLOCK_SIZE", 997)  # blocks cut mid-line
    out, done = _io.BytesIO(), []
    with open(path, "rb") as src:
        got = batch(CountingLines(src), out, ON, workers=workers, chunk_size=chunk_size, progress=done.append)
    assert out.getvalue() == expected
    assert got.to_json() == want.to_json()
    assert sum(done) == len(lines) == 45
    assert [d.to_json() for d in got.duplicates] == [d.to_json() for d in want.duplicates]
    assert [(d.first[0], d.second[0]) for d in got.duplicates] == [(3, 36)]
    errors = {r["line"]: r["error"]["message"] for r in map(json.loads, out.getvalue().splitlines()) if "line" in r}
    assert "duplicate household id" in errors[26] and "invalid JSON" in errors[13]


def test_chunk_result_is_one_bytes_with_the_end_of_each_line():
    from assistkit.population._pipeline import ChunkResult

    result = ChunkResult.of(5, [b"a\n", b"", b"bc\n"], ["A", None, "B"], [], None, [2])
    assert (result.data, list(result.ends), result.lines) == (b"a\nbc\n", [2, 2, 5], 3)
    assert result.outputs == [b"a\n", b"", b"bc\n"]
    changed = result.replace({1: b"x\n", 2: b""})
    assert (changed.data, changed.outputs, changed.marks) == (b"a\nx\n", [b"a\n", b"x\n", b""], [2])
    assert result.replace({}) is result


def _mixed_chunk() -> list[bytes]:
    """Lines of every kind, spread over several groups of run_chunk: households, a blank line, bad JSON, an
    invalid household, and one that parses but that assess refuses (a birth date after the assessment date)."""
    lines = [line.encode() for line in demo_lines(9, seed=4)]
    future = json.loads(lines[5])
    future["members"][0]["birth_date"] = "2026-01-01"
    invalid = json.loads(lines[7])
    invalid["members"][0]["birth_date"] = "1990-02-30"
    return [lines[0], b"\n", lines[1], b"{not json\n", lines[2], lines[3],
            (json.dumps(future, ensure_ascii=False) + "\n").encode(), lines[4],
            (json.dumps(invalid, ensure_ascii=False) + "\n").encode(), lines[6], lines[8], b"\n"]


@pytest.mark.parametrize("group", [1, 2, 3, 4, 5, 64])
def test_a_chunk_gives_the_same_result_whatever_its_group_size(monkeypatch, engine, group):
    from assistkit.population import _pipeline

    lines = _mixed_chunk()
    monkeypatch.setattr(_pipeline, "GROUP", group)
    result = assess_chunk(1, b"".join(lines), Job(ON))
    # The lines' outputs as a sequential run over the same lines gives them, line for line.
    expected = []
    for item in engine.assess_many(io.read_jsonl(_io.BytesIO(b"".join(lines))), ON):
        if isinstance(item, io.Rejected):
            expected.append(dumps(error_object(item)) + b"\n")
        else:
            expected.append(dumps(item.to_json()) + b"\n")
    outputs = [out for out in result.outputs if out]
    assert outputs == expected
    assert [out == b"" for out in result.outputs] == [line == b"\n" for line in lines]
    refused = [json.loads(out)["line"] for out in result.outputs if out and b'"error"' in out[:200]]
    assert refused == [4, 7, 9]
    assert result.summary.assessed == 7 and result.summary.rejected == 3
    assert [h is not None for h in result.households] == [
        True, False, True, False, True, True, False, True, False, True, True, False]
    monkeypatch.setattr(_pipeline, "GROUP", 1)
    one_at_a_time = assess_chunk(1, b"".join(lines), Job(ON))
    assert (result.data, list(result.ends), result.households, result.id_numbers, result.marks) == (
        one_at_a_time.data, list(one_at_a_time.ends), one_at_a_time.households, one_at_a_time.id_numbers,
        one_at_a_time.marks)
    assert result.summary.to_json() == one_at_a_time.summary.to_json()


def test_a_group_is_assessed_then_emitted_each_in_line_order(monkeypatch):
    from assistkit.population import _pipeline
    from assistkit.population._batch import BatchSummary

    monkeypatch.setattr(_pipeline, "GROUP", 4)
    calls = []

    def assess(household):
        calls.append(("assess", household.id))
        return household.id

    def emit(number, household, result):
        calls.append(("emit", result))
        return f"{number}\n".encode()

    lines = _mixed_chunk()
    result = _pipeline.run_chunk(1, lines, BatchSummary(), assess, emit)
    ids = [json.loads(line)["id"] for line in lines if line.startswith(b'{"')]
    # Groups of lines 1-4, 5-8, 9-12: every household of a group is assessed before the group is emitted. (This
    # assess refuses nothing: line 7 is emitted; lines 4 and 9 do not parse.)
    assert calls == [("assess", ids[0]), ("assess", ids[1]), ("emit", ids[0]), ("emit", ids[1]),
                     ("assess", ids[2]), ("assess", ids[3]), ("assess", ids[4]), ("assess", ids[5]),
                     ("emit", ids[2]), ("emit", ids[3]), ("emit", ids[4]), ("emit", ids[5]),
                     ("assess", ids[7]), ("assess", ids[8]), ("emit", ids[7]), ("emit", ids[8])]
    assert result.outputs == [b"1\n", b"", b"3\n", result.outputs[3], b"5\n", b"6\n", b"7\n", b"8\n",
                              result.outputs[8], b"10\n", b"11\n", b""]


def _dies_on_line_3(start: int, lines: list[str]) -> int:
    if start == 3:
        os._exit(9)  # as the system's out-of-memory killer would end it: no exception, no cleanup
    return start


def test_a_worker_that_dies_stops_the_run_with_a_clear_error():
    tasks = [(start, ["{}"]) for start in range(1, 7)]
    results = []
    with pytest.raises(WorkerDied, match="chunk starting at line [123]") as raised:
        for result in map_ordered(_dies_on_line_3, tasks, workers=2):
            results.append(result)
    # The error names the first chunk not given back; every chunk before it was. (A chunk before line 3 whose
    # result had not come back when the pool broke is lost with it: that is why the line may be before 3.)
    assert raised.value.line is not None and raised.value.line <= 3
    assert results == list(range(1, raised.value.line))


class _PoolBrokenAtLine3:
    """A process pool whose worker died with the chunk at line 3, and which knows it by the time the next chunk
    is handed out: ``submit`` raises then, as Python 3.12's pool does when the death was noticed in time."""

    def __init__(self, *args, **kwargs):
        self.broken = False

    def submit(self, fn, *task):
        if self.broken:
            raise BrokenProcessPool("A child process terminated abruptly")
        future = Future()
        if task[0] >= 3:  # the chunk of the dead worker, and those handed out after it
            future.set_exception(BrokenProcessPool("A child process terminated abruptly"))
            self.broken = task[0] == 4  # noticed before the fifth chunk is handed out
        else:
            future.set_result(fn(*task))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def test_a_worker_death_noticed_when_handing_out_a_chunk_names_the_chunk_it_had(monkeypatch):
    from assistkit.population import _pipeline

    monkeypatch.setattr(_pipeline, "ProcessPoolExecutor", _PoolBrokenAtLine3)
    tasks = [(start, ["{}"]) for start in range(1, 7)]
    results = []
    with pytest.raises(WorkerDied, match="chunk starting at line 3") as raised:
        for result in map_ordered(_dies_on_line_3, tasks, workers=2, in_flight=4):
            results.append(result)
    assert raised.value.line == 3
    assert results == [1, 2]  # every chunk before the lost one is given back


# -- the outbox: forked workers hand a chunk's output back through shared memory --------------------------------


def _collected(monkeypatch):
    """Record the size each chunk's output came back with through the outbox (-1: through the pipe)."""
    from assistkit.population import _pipeline

    sizes: list[int] = []
    collect = _pipeline.Outbox.collect

    def recording(self, sent, slot):
        sizes.append(sent[1] if slot >= 0 else -1)
        return collect(self, sent, slot)

    monkeypatch.setattr(_pipeline.Outbox, "collect", recording)
    return sizes


@pytest.mark.skipif(pool_context().get_start_method() != "fork", reason="the outbox needs forked workers")
@pytest.mark.parametrize(("slot", "chunk_size"), [(4 << 20, 5), (4096, 1), (8192, 3)])
def test_outputs_through_the_outbox_or_the_pipe_are_the_same_bytes(tmp_path, monkeypatch, engine, slot,
                                                                     chunk_size):
    from assistkit.population import _pipeline

    path = edge_population(tmp_path)
    expected = reference(engine, path)
    sizes = _collected(monkeypatch)
    # One or two pages: a determination (about 4 KB, more with its reasons why not) may not fit.
    monkeypatch.setattr(_pipeline.Outbox, "SLOT", slot)
    out = _io.BytesIO()
    with open(path, "rb") as src:
        batch(src, out, ON, workers=2, chunk_size=chunk_size)
    assert out.getvalue() == expected
    assert len(sizes) == -(-45 // chunk_size)  # one per chunk
    assert any(size > 0 for size in sizes)  # through the outbox...
    if slot <= 8192:
        assert -1 in sizes  # ...and, for an output larger than the slot, through the pipe


def _post_processed(start, chunk, job):
    """A chunk function that changes run_chunk's result: its first line's output replaced."""
    return assess_chunk(start, chunk, job).replace({0: b"replaced\n"})


def _not_run_chunk(start, chunk, job):
    from assistkit.population._pipeline import ChunkResult

    return ChunkResult.of(start, [b"a\n", b"bc\n"], ["A", "B"], [], None)


@pytest.mark.parametrize("fn", [assess_chunk, _post_processed, _not_run_chunk])
@pytest.mark.parametrize("slot_size", [4 << 20, 4096 * 3, 4096])
def test_a_chunk_through_its_slot_gives_the_bytes_of_the_chunk_function(monkeypatch, fn, slot_size):
    # _through_outbox as a forked worker runs it, here in one process: written line by line into the slot
    # (run_chunk), spilled to the pipe when a line does not fit, or copied (any other result).
    from assistkit.population import _pipeline

    lines = _mixed_chunk()
    block = b"".join(lines)
    expected = fn(1, block, Job(ON))
    monkeypatch.setattr(_pipeline.Outbox, "SLOT", slot_size)
    box = _pipeline.Outbox(2)
    monkeypatch.setattr(_pipeline, "_OUTBOX", box)
    try:
        for slot in (1, 0, -1):  # the same slots again: a shorter output after a longer one
            sent = _pipeline._through_outbox(fn, 1, block, Job(ON), slot)
            result = box.collect(sent, slot)
            assert (result.data, list(result.ends), result.households) == (
                expected.data, list(expected.ends), expected.households)
            assert isinstance(result.data, bytes)
            through_slot = sent[1] >= 0
            assert through_slot == (slot >= 0 and len(expected.data) <= slot_size)
            if through_slot:
                assert sent[0].data == b""
        assert _pipeline._WRITER is None
    finally:
        box.close()  # raises BufferError if a view of the slots is still held


def test_a_run_stopped_early_stops_its_pool():
    from assistkit.population._batch import BatchSummary
    from assistkit.population._pipeline import Run

    lines = [line.encode("utf-8") for line in demo_lines(60, seed=3)]
    run = Run(assess_chunk, Job(ON), lines, workers=2, chunk_size=5, summary=BatchSummary())
    results = iter(run)
    first = next(results)
    results.close()  # the pool shuts down and the shared memory is let go; nothing hangs
    assert first.start == 1 and first.data.count(b"\n") == 5
