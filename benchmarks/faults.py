"""Nothing lost under faults (issue 30's must-show run): a batch with corrupt lines, a plugin that raises and a
worker that is killed, then resumed — every good household present and byte-identical to a clean run.

1. a Demo City population of ``-n`` households (default 50,000) with 1 % of its lines corrupt (cut JSON, an
   unknown vocabulary, a value that overflows Decimal's arithmetic, a lone surrogate in an id, NaN, a repeated
   household id, deep nesting);
2. a plugin installed through a real entry point (``tests/faults/faulty_plugin.py``) whose programme raises on
   1 % of the households;
3. the clean run: ``assistkit batch -j 2`` to the end (exit 1: rejected lines and a failing plugin);
4. the faulty run: the same, with a worker killed (``os._exit``) on a household 60 % of the way through: the run
   stops (exit 2) naming the chunk, keeping the complete lines;
5. ``--resume``, killed again with SIGKILL of the parent part-way; ``--resume`` again, to the end.

Checks (exit 1 if any fails): the resumed output and summary are byte-identical to the clean run's; every good
household is in it as a determination; the exit status is 1; the summary names the plugin, its count and
households. Prints the times of each run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "tests" / "faults" / "faulty_plugin.py"
ON = "2025-07-15"


def corrupt(lines: list[str], share: float, seed: int) -> set[int]:
    """Damage ``share`` of the lines in place (the same ones for the same seed); their 0-based indexes."""
    rng = random.Random(seed)
    chosen = sorted(rng.sample(range(1, len(lines)), max(1, int(len(lines) * share))))
    for n, i in enumerate(chosen):
        h = json.loads(lines[i])
        kind = n % 8
        if kind == 0:
            lines[i] = lines[i][: len(lines[i]) // 2]
            continue
        if kind == 1:
            h["residence"] = "suburban"
        elif kind == 2:
            h.setdefault("incomes", []).append({"member": h["members"][0]["id"], "category": "casual",
                                                "days": 10**30, "from": "2025-01", "to": "2025-06"})
        elif kind == 3:
            lines[i] = json.dumps(h, ensure_ascii=False).replace(f'"{h["id"]}"', '"\\ud800X"', 1)
            continue
        elif kind == 4:
            lines[i] = lines[i].replace('"members"', '"nan":NaN,"members"', 1)
            continue
        elif kind == 5:
            lines[i] = lines[0]  # the first household's id again
            continue
        elif kind == 6:
            lines[i] = lines[i][:-1] + ',"x":' + "[" * 100_000 + "]" * 100_000 + "}"
            continue
        else:
            h["members"][0]["relationship"] = "cousin"
        lines[i] = json.dumps(h, ensure_ascii=False)
    return set(chosen)


def site(folder: Path) -> Path:
    """The faulty plugin installed (a ``.dist-info`` with its entry point) in ``folder``."""
    (folder / "faulty_plugin.py").write_bytes(PLUGIN.read_bytes())
    info = folder / "assistkit_faulty-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: assistkit-faulty\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[assistkit]\nfaulty = faulty_plugin\n")
    return folder


def batch(args: list[str], env: dict[str, str], kill_after: float | None = None) -> tuple[int, float, str]:
    """Run ``assistkit batch ARGS``; with ``kill_after``, SIGKILL it after that many seconds."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", "from assistkit.cli import main; main()", "batch", *args],
                             env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True)
    if kill_after is not None:
        try:
            child.wait(kill_after)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
    _, err = child.communicate()
    return child.returncode, time.perf_counter() - start, err


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=50_000, help="households (default 50,000)")
    parser.add_argument("--workers", "-j", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dir", type=Path, default=None, help="where to write (default: a temporary folder)")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from assistkit.dev.demo import demo_lines

    folder = options.dir or Path(tempfile.mkdtemp(prefix="assistkit-faults-"))
    folder.mkdir(parents=True, exist_ok=True)
    lines = [line.rstrip("\n") for line in demo_lines(options.n, seed=options.seed)]
    bad = corrupt(lines, 0.01, options.seed)
    population = folder / "population.jsonl"
    population.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {"PYTHONPATH": os.pathsep.join([str(site(folder)), os.environ.get("PYTHONPATH", "")]),
           "FAULTY_MODE": "raise", "FAULTY_PERCENT": "1"}
    common = [str(population), "--on", ON, "-j", str(options.workers)]
    clean, out = folder / "clean.jsonl", folder / "out.jsonl"
    print(f"{options.n:,} households, {len(bad):,} corrupt lines, a plugin raising on 1 %, {options.workers} "
          f"workers, in {folder}")
    code, took, err = batch([*common, "-o", str(clean), "--summary-json", str(folder / "clean.json")], env)
    print(f"clean run:                      exit {code}, {took:6.1f} s")
    failures = [line for line in err.splitlines() if "failed on" in line]
    victim = json.loads(lines[int(options.n * 0.6)])["id"] if int(options.n * 0.6) not in bad else None
    victim = victim or json.loads(lines[int(options.n * 0.6) + 1])["id"]
    code_killed, took, err_killed = batch([*common, "-o", str(out), "--chunk-size", "100"],
                                          {**env, "FAULTY_KILL": victim})
    partial = folder / ".out.jsonl.partial"
    kept = partial.stat().st_size if partial.exists() else 0
    print(f"worker killed at {victim}:     exit {code_killed}, {took:6.1f} s, {kept:,} bytes kept")
    code_again, took, _ = batch([*common, "-o", str(out), "--resume"], env, kill_after=max(1.0, took / 2))
    kept_again = partial.stat().st_size if partial.exists() else 0
    print(f"--resume, parent SIGKILLed:     exit {code_again}, {took:6.1f} s, {kept_again:,} bytes kept")
    code_done, took, err_done = batch([*common, "-o", str(out), "--resume", "--summary-json",
                                       str(folder / "out.json")], env)
    print(f"--resume to the end:            exit {code_done}, {took:6.1f} s")
    same = out.read_bytes() == clean.read_bytes()
    same_summary = (folder / "out.json").read_bytes() == (folder / "clean.json").read_bytes()
    written = out.read_text(encoding="utf-8").splitlines()
    good = [json.loads(line)["id"] for i, line in enumerate(lines) if i not in bad]
    determined = {json.loads(line)["household"] for line in written if '"programmes"' in line}
    summary = json.loads((folder / "clean.json").read_text())
    failing = summary.get("failures", {}).get("faulty/faulty", {})
    checks = {
        "resumed output byte-identical to the clean run": same,
        "resumed summary identical to the clean run's": same_summary,
        "every good household present as a determination": set(good) <= determined,
        "worker killed: exit 2, --resume named": code_killed == 2 and "--resume" in err_killed,
        "exit status 1 (rejected lines, a failing plugin)": code == code_done == 1,
        "summary names the plugin, its count, households": bool(failing) and bool(failures)
        and failing["households"] == sum(1 for line in written if '"plugin":"faulty"' in line
                                         and '"cause":"RuntimeError"' in line),
        "summary counts every rejected line": summary["rejected"] == sum(1 for line in written
                                                                         if line.startswith('{"line"')),
    }
    print(f"rejected {summary['rejected']:,}, plugin failures {failing.get('households', 0):,}, "
          f"output sha256 {hashlib.sha256(out.read_bytes()).hexdigest()[:16]}")
    for name, ok in checks.items():
        print(f"  {'ok ' if ok else 'FAIL'} {name}")
    print("\n".join(err_done.splitlines()[:3]))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
