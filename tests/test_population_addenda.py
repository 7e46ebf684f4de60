"""A batch over a population with disaster events, on a date of each kind of price month: byte-identical for one
and two workers, the summary listing disaster relief and the price subsidy.

The demo population (:mod:`assistkit.dev.demo`) already draws disaster events, but not the damage to the dwelling
or the people who died, which the addenda's event fields record; changing the generator would change every
demo population (and the docs and benchmarks built on them). So the test builds its own from the demo's: every
disaster event gets a damage, and some a death, chosen from the household's line number — and a few households
get a flood of their own — so that every part of §D is paid somewhere.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistkit.cli._batch import batch as batch_cmd
from assistkit.dev.demo import generate

DATES = (dt.date(2024, 9, 15), dt.date(2025, 7, 15), dt.date(2026, 1, 15))
"""September 2024 and January 2026 are price-subsidy months (both indices, §P.2); July 2025 is not."""

DAMAGES = ("none", "damaged", "severe", "collapsed")


def population(path: Path, on: dt.date, n: int = 600) -> Path:
    lines = []
    for index, household in enumerate(generate(n, seed=27, on=on)):
        events = household.setdefault("events", [])
        if index % 9 == 4 and not events:
            events.append({"id": "V9", "kind": "disaster", "date": (on - dt.timedelta(days=index % 80)).isoformat(),
                           "loss": f"{20000 + 150 * index}.00"})
        for event in events:
            if event["kind"] == "disaster":
                event["house_damage"] = DAMAGES[index % 4]
                if index % 7 == 0:
                    event["deceased"] = 1 + index % 2
        if index % 5 == 0 and household.get("housing") is None:
            household["housing"] = {"tenure": "owned"}
        lines.append(json.dumps(household, ensure_ascii=False) + "\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("on", DATES, ids=str)
def test_batch_with_disaster_events_is_the_same_for_one_and_two_workers(tmp_path: Path, on: dt.date) -> None:
    source = population(tmp_path / "pop.jsonl", on)
    outputs, summaries = {}, {}
    for workers in (1, 2):
        out = tmp_path / f"out{workers}.jsonl"
        summary = tmp_path / f"summary{workers}.json"
        result = CliRunner().invoke(batch_cmd, [
            str(source), "--on", on.isoformat(), "--workers", str(workers), "--chunk-size", "53",
            "--out", str(out), "--summary-json", str(summary), "--no-progress"])
        assert result.exit_code == 0, result.output
        assert "600 households, 600 assessed, 0 rejected" in result.output
        outputs[workers] = out.read_bytes()
        summaries[workers] = (result.output, summary.read_bytes())
    assert outputs[1] == outputs[2]
    assert summaries[1] == summaries[2]

    text, raw = summaries[1]
    summary = json.loads(raw)
    triggered = on != dt.date(2025, 7, 15)
    # The summary's table lists the programmes that paid anyone: disaster relief on every date, the price
    # subsidy in the months it is triggered.
    assert summary["eligible"]["disaster"] > 0 and Decimal(summary["one_off"]["disaster"]) > 0
    assert any(line.split()[:1] == ["disaster"] for line in text.splitlines())
    if triggered:
        assert summary["eligible"]["price_subsidy"] > 0 and Decimal(summary["monthly"]["price_subsidy"]) > 0
        assert any(line.split()[:1] == ["price_subsidy"] for line in text.splitlines())
    else:
        assert "price_subsidy" not in summary["eligible"]

    records = [json.loads(line) for line in outputs[1].splitlines()]
    kinds = {p["kind"] for r in records for p in r["programmes"]["disaster"]["payments"]}
    assert kinds == {"emergency_living", "transitional_living", "dwelling", "bereavement"}
    for r in records:
        # Only the dwelling grant counts toward an event's need (§D.6): the needs add up without living relief.
        toward: dict[str, Decimal] = {}
        for programme in r["programmes"].values():
            for p in programme["payments"]:
                if p["need"] is not None and p["kind"] not in ("emergency_living", "transitional_living",
                                                               "bereavement"):
                    toward[p["need"]] = toward.get(p["need"], Decimal(0)) + Decimal(p["amount"])
        for need, state in r["needs"].items():
            assert Decimal(state["paid"]) == toward.get(need, Decimal(0)), (r["household"], need)
        price = r["programmes"]["price_subsidy"]
        assert price["reasons"][0]["rule"] == ("price.triggered" if triggered else "price.not_triggered")
