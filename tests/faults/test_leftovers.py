"""Issue 30's leftovers (defect 10 and the supervision of every command): NaN and Infinity name the household
and the field; ``validate`` and ``assess`` read a byte-order mark and stdin alike; a fund beyond what the ledger
holds is a clear error; the commands that assess households take ``--time-limit``; a plugin that ends the
process (``os._exit``) with one worker makes the run fail, and say so.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from assistkit import io
from assistkit.population.ledger import LedgerError, SqliteLedger

from .conftest import ON, Cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "tests" / "examples" / "01-urban-dibao-wage.json"
FUNDS = ROOT / "docs" / "examples" / "funds.json"


def _household() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))["household"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("command", ["validate", "assess", "batch"])
def test_nan_names_the_household_and_the_field(cli: Cli, tmp_path: Path, command: str, constant: str) -> None:
    text = json.dumps(_household(), ensure_ascii=False).replace('"amount": "10800"', f'"amount": {constant}')
    path = tmp_path / "nan.jsonl"
    path.write_text(text + "\n", encoding="utf-8")
    result = cli(command, path, *(["--on", ON] if command != "validate" else []))
    assert result.returncode == 1, result.stderr
    reason = f"expected a finite number; got {constant}"
    if command == "batch":
        (line,) = result.stdout.splitlines()
        error = json.loads(line)
        assert (error["household"], error["error"]) == ("H-01", {"path": "incomes[0].amount", "message": reason})
    else:
        assert f"household H-01: incomes[0].amount: {reason}" in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["one.json", "one.jsonl"])
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("stdin", [False, True])
def test_validate_and_assess_agree_on_a_bom_and_on_stdin(cli: Cli, tmp_path: Path, name: str, bom: bool,
                                                        stdin: bool) -> None:
    path = tmp_path / name
    text = json.dumps(_household(), ensure_ascii=False, indent=None if name.endswith("l") else 1) + "\n"
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
    runs = {}
    for command in ("validate", "assess"):
        extra = ["--on", ON] if command == "assess" else []
        if stdin:
            with open(path, "rb") as f:
                runs[command] = cli(command, "-", *extra, stdin=f)
        else:
            runs[command] = cli(command, path, *extra)
    assert runs["validate"].returncode == runs["assess"].returncode == 0, runs
    assert json.loads(runs["assess"].stdout)["totals"] == {"monthly": "1823.00", "one_off": "960.00"}
    assert "1 household, 1 valid, 0 invalid" in runs["validate"].stderr


def test_validate_and_assess_refuse_the_same_broken_input_on_stdin(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{"id": "H", "id": "G"}', encoding="utf-8")
    for command in ("validate", "assess"):
        with open(path, "rb") as f:
            result = cli(command, "-", stdin=f)
        assert result.returncode != 0 and "duplicate key 'id'" in result.stdout + result.stderr, result


def _funds(balances: list[str], ids: tuple[str, ...] = ("F-MED", "F-EDU")) -> tuple:
    data = json.loads(FUNDS.read_text(encoding="utf-8"))
    for fund, balance, fund_id in zip(data, balances, ids, strict=True):
        fund["balance"], fund["id"] = balance, fund_id
    return io.structure_funds(data)


def test_a_fund_beyond_what_the_ledger_holds_is_a_clear_error_and_opens_nothing(tmp_path: Path) -> None:
    """The ledger keeps integer fen in SQLite's 64-bit integers: a balance, or all the funds together, beyond
    92,233,720,368,547,758.07 yuan is refused whole, naming the fund; up to it, the sums stay exact."""
    with SqliteLedger(tmp_path / "ledger.db") as ledger:
        with pytest.raises(LedgerError, match=r"fund F-MED balance: 1\d{25}\.00 yuan is more than the ledger holds"):
            ledger.open_funds(_funds(["1" + "0" * 25, "1"]))
        with pytest.raises(LedgerError, match="fund F-EDU: .* would bring the funds of the ledger .* no fund"):
            ledger.open_funds(_funds(["50000000000000000", "50000000000000000"]))
        assert ledger.balances() == {}
        opened = ledger.open_funds(_funds(["92233720368547757.07", "1.00"]))  # exactly the most it holds
        assert sum(opened.values()) == Decimal("92233720368547758.07") == sum(ledger.balances().values())
        assert ledger.check() == []
        with pytest.raises(LedgerError, match="fund F-NEW: a balance of 0.01 yuan .* more than it holds"):
            ledger.open_funds(_funds(["1.00", "0.01"], ("F-EDU", "F-NEW")))
        assert sorted(ledger.balances()) == ["F-EDU", "F-MED"]


def test_a_fund_of_ten_to_the_26_is_refused_before_the_ledger_is_touched(cli: Cli, pop: Path,
                                                                          tmp_path: Path) -> None:
    funds, ledger = tmp_path / "funds.json", tmp_path / "ledger.db"
    data = json.loads(FUNDS.read_text(encoding="utf-8"))
    data[0]["balance"] = "1" + "0" * 26
    funds.write_text(json.dumps(data))
    for args in (["batch", pop, "--on", ON, "-o", tmp_path / "out.jsonl"], ["donations", "match", pop, "--on", ON]):
        result = cli(*args, "--funds", funds, "--ledger", ledger)
        assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
        assert "[0].balance: too large for money" in result.stderr


@pytest.mark.parametrize("command", ["review", "notice", "compare", "assess"])
def test_every_command_that_assesses_takes_the_time_limit(cli: Cli, pop: Path, faulty, command: str) -> None:
    """A programme that hangs on one household is that programme's error there, past ``--time-limit``, under
    the same supervision as ``batch``: the other households are done, the failure named, the exit status 1."""
    one = "DC-0000002"
    env = faulty("hang", only=one)
    if command == "assess":
        (line,) = [x for x in pop.read_text(encoding="utf-8").splitlines() if f'"id":"{one}"' in x]
        path = pop.parent / "one.json"
        path.write_text(line, encoding="utf-8")
        result = cli("assess", path, "--on", ON, "--time-limit", "0.5", env=env)
        assert json.loads(result.stdout)["errors"][0]["cause"] == "TimeLimitExceeded"
        assert f"error: household {one}: programme 'faulty' of plugin 'faulty' raised TimeLimitExceeded" in \
            result.stderr
    else:
        extra = ["--reform", ROOT / "docs" / "examples" / "standard-raise.toml"] if command == "compare" else []
        result = cli(command, pop, "--on", ON, "--time-limit", "0.5", "-o", pop.parent / "out", *extra, env=env)
        assert "plugin 'faulty', programme 'faulty' on 1 households" in result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize("command", ["batch", "review", "assess"])
def test_a_plugin_that_ends_the_process_with_one_worker_fails_the_run_and_says_so(cli: Cli, pop: Path, faulty,
                                                                                 command: str) -> None:
    """``os._exit(0)`` in a programme cannot be caught in the process; the process the user started sees its
    command end without finishing (cli/_supervise.py): exit status 2, and why, never a silent 0."""
    one = "DC-0000002"
    if command == "assess":
        (line,) = [x for x in pop.read_text(encoding="utf-8").splitlines() if f'"id":"{one}"' in x]
        source = pop.parent / "one.json"
        source.write_text(line, encoding="utf-8")
    else:
        source = pop
    out = pop.parent / "out.jsonl"
    result = cli(command, source, "--on", ON, *(["-o", out] if command != "assess" else []),
                 env=faulty("kill", only=one))
    assert result.returncode == 2, result.stderr
    assert f"error: assistkit {command} ended before it finished, with exit status 0" in result.stderr
    assert "os._exit" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()  # never renamed into place
    clean = cli(command, source, "--on", ON, *(["-o", out] if command != "assess" else []),
                env=faulty("kill", only="nobody"))
    assert clean.returncode == 0 and "before it finished" not in clean.stderr, clean.stderr
