"""Throughput and memory of ``assistkit batch`` (JSONL → JSONL) by population size and number of workers.

    .venv/bin/python benchmarks/throughput.py                               # 10k and 100k, 1 and 2 workers
    .venv/bin/python benchmarks/throughput.py --sizes 10k --workers 1       # quick
    .venv/bin/python benchmarks/throughput.py --sizes 10k,100k,1M --workers 2   # the 1M run takes minutes
    .venv/bin/python benchmarks/throughput.py --sizes 1M --workers 2 --reasons data,text   # issue 31's table

Each population is a Demo City JSONL file (``assistkit demo-population N --seed S``, generated once into
``--dir`` and reused). Each run is one ``assistkit batch POP --on 2025-07-15 --workers W --reasons R`` process
(``--reasons``: text, the default, data or none; several, comma-separated, take turns), timed from
start to exit (interpreter start, plugin loading, reading, assessing, writing: the whole command). Output goes
to ``/dev/null`` unless ``--keep-output`` (then to ``--dir``, and runs of the same size are checked to be the
same bytes whatever the number of workers).

The time per household is net of the fixed cost of a run (``batch`` on a one-household file: interpreter start,
imports, plugins, policy), so that sizes compare; households/s is gross.

Memory is sampled from ``/proc`` over the whole process tree (the command and its worker processes): every
20 ms the summed RSS — which counts pages the forked workers share with their parent once per process, so it
overstates — and every 0.5 s (every 0.1 s in the first two seconds) the summed PSS (shared pages divided among
the processes sharing them, the fair total); the peaks are kept. PSS is read less often because it is dear:
the kernel walks each process's page tables to give it (about 2 ms for a 200 MB process). Read every 20 ms,
it took about 7 % of this 2-core machine from the run being measured (found in the sixth round;
benchmarks/README.md). The largest single process is the peak of its own RSS in the same samples (not
``ru_maxrss`` of the children, which keeps the largest of every run so far). The CPU of the main
process alone (reading, handing out chunks, the population-wide checks, writing) is read from its
``/proc/PID/stat`` at the last sample before it exits: the part of the tree's CPU the workers do not do.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from _common import DEFAULT_ON, dump_json, machine, parse_sizes, print_table

TARGET_SECONDS_1M = 60.0
TARGET_RSS_MB = 300.0
TARGET_DRIFT = 0.10

_PAGE = os.sysconf("SC_PAGE_SIZE")
_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int | str) -> list[bytes] | None:
    """The fields of ``/proc/PID/stat`` after the command name (field 3 of proc(5) first); ``None`` once the
    process has gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: the fields start after the last ')'.
    return stat[stat.rindex(b")") + 2:].split()


def _children(pid: int) -> list[int]:
    """The process and all its descendants (from ``/proc/*/stat``)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        fields = _stat(entry)
        if fields is not None:
            parents.setdefault(int(fields[1]), []).append(int(entry))
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [c for p in frontier for c in parents.get(p, ())]
        tree.extend(frontier)
    return tree


def _rss(pids: list[int]) -> tuple[int, int]:
    """The summed RSS of ``pids`` and the largest one's."""
    rss = largest = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as f:
                one = int(f.read().split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            continue
        rss += one
        largest = max(largest, one)
    return rss, largest


def _pss(pids: list[int]) -> int:
    pss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        pss += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError, IndexError):
            continue
    return pss


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of one process so far; ``None`` once it has gone."""
    fields = _stat(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime and stime, fields 14 and 15 of proc(5)


def _supervised() -> bool:
    """Whether the ``assistkit`` measured runs its commands under a waiting parent (``cli._supervise``, issue
    30: the command's work is done by the parent's one child, which forks the workers)."""
    import importlib.util

    return (importlib.util.find_spec("assistkit.cli._supervise") is not None
            and not os.environ.get("ASSISTKIT_UNSUPERVISED"))


def _first_child(pid: int) -> int | None:
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(entry)
            if fields is not None and int(fields[1]) == pid:
                return int(entry)
    return None


class TreeSampler(threading.Thread):
    """Samples the summed RSS (every ``interval``) and PSS (every ``every`` samples) of a process tree until
    stopped; keeps the peaks (and the largest single process's), and the CPU of the tree's main process at the
    last sample: its first process, or, under a waiting parent (:func:`_supervised`), that parent's child."""

    def __init__(self, pid: int, interval: float = 0.02, every: int = 25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.every = pid, interval, every
        self.supervised = _supervised()
        self.main_pid: int | None = None if self.supervised else pid
        self.peak_rss = self.peak_pss = self.peak_single = 0
        self.main_cpu = 0.0
        self.peak_processes = 0
        self._halt = threading.Event()

    def run(self) -> None:
        tick = 0
        pids = [self.pid]
        while not self._halt.is_set():
            # The tree changes rarely (workers start once) and PSS is dear (see above): both every `every` samples,
            # and every 5 in the first 2 s, while the processes are small, so that a short run has a figure too.
            slow = tick % (5 if tick < 100 else self.every) == 0
            if slow:
                pids = _children(self.pid)
                self.peak_processes = max(self.peak_processes, len(pids))
                if self.main_pid is None:
                    self.main_pid = _first_child(self.pid)
            rss, largest = _rss(pids)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_single = max(self.peak_single, largest)
            if slow:
                self.peak_pss = max(self.peak_pss, _pss(pids))
            cpu = None if self.main_pid is None else _cpu_seconds(self.main_pid)
            if cpu is not None:
                self.main_cpu = cpu
            tick += 1
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _assistkit() -> list[str]:
    """The command that runs ``assistkit``: the console script if ``batch`` is registered, else the command
    object itself (while the CLI does not register it yet)."""
    from assistkit.cli import main

    if "batch" in main.commands:
        return [sys.executable, "-c", "from assistkit.cli import main; main()"]
    return [sys.executable, "-c", "from assistkit.cli._batch import batch; batch()", ]


def population(n: int, seed: int, folder: Path) -> Path:
    """The JSONL file of ``n`` Demo City households (generated once, then reused)."""
    path = folder / f"demo-{n}-seed{seed}.jsonl"
    if not path.exists():
        from assistkit.dev.demo import write_population

        started = time.perf_counter()
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            write_population(f, n, seed=seed, on=DEFAULT_ON)
        tmp.rename(path)
        print(f"  generated {path} ({n:,} households, {path.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def run_batch(pop: Path, workers: int, out: str, chunk_size: int | None, reasons: str = "text") -> dict[str, float]:
    command = [*_assistkit()]
    if command[-1].endswith("main()"):
        command.append("batch")
    command += [str(pop), "--on", DEFAULT_ON.isoformat(), "--workers", str(workers), "--out", out,
                "--no-progress"]
    if chunk_size is not None:
        command += ["--chunk-size", str(chunk_size)]
    if reasons != "text":  # (so that a version before --reasons runs too)
        command += ["--reasons", reasons]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}): {' '.join(command)}\n{err.decode(errors='replace')}")
    return {
        "seconds": seconds,
        "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "main_cpu_seconds": sampler.main_cpu,
        "peak_rss_mb": sampler.peak_rss / 2**20,
        "peak_pss_mb": sampler.peak_pss / 2**20,
        "max_single_rss_mb": sampler.peak_single / 2**20,
        "processes": sampler.peak_processes,
    }


def _digest(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="population sizes, e.g. 10k,100k,1M (default 10k,100k)")
    parser.add_argument("--workers", default="1,2", help="worker counts (default 1,2)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk-size", type=int, default=None, help="passed to batch (default: its own)")
    parser.add_argument("--reasons", default="text",
                        help="batch --reasons: text, data or none; several comma-separated take turns (default text)")
    parser.add_argument("--dir", default=os.environ.get("TMPDIR", "/tmp") + "/assistkit-bench",
                        help="where populations (and kept outputs) go")
    parser.add_argument("--keep-output", action="store_true",
                        help="write the determinations to --dir and check they are the same for every worker count")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each size and worker count this many times, taking turns, and report the fastest "
                             "run with the median time of all (default 1)")
    parser.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = parse_sizes(args.sizes)
    workers = [int(w) for w in args.workers.split(",")]
    forms = args.reasons.split(",")
    for form in forms:
        if form not in ("text", "data", "none"):
            parser.error(f"--reasons: text, data or none; got {form!r}")
    print(f"machine: {machine()}")
    print(f"command: assistkit batch POP --on {DEFAULT_ON.isoformat()} --workers W --reasons R --out "
          f"{'FILE' if args.keep_output else '/dev/null'}" + (f" --chunk-size {args.chunk_size}" if args.chunk_size
                                                              else "") + "\n")
    # The fixed cost of a run (interpreter, imports, plugins, policy), measured on a one-household file, is taken
    # out of the time per household so that sizes compare.
    one = folder / "demo-1-startup.jsonl"
    with open(population(10_000, args.seed, folder) if not one.exists() else one, "rb") as f:
        first = f.readline()
    one.write_bytes(first)
    startup = min(run_batch(one, 1, os.devnull, None)["seconds"] for _ in range(3))
    print(f"fixed cost of one run (one household, best of 3): {startup:.2f} s\n")
    pops = {n: population(n, args.seed, folder) for n in sizes}
    configs = [(n, w, form) for n in sizes for w in workers for form in forms]
    runs: dict[tuple[int, int, str], list[dict[str, float]]] = {c: [] for c in configs}
    digests: dict[tuple[int, str], set[str]] = {(n, form): set() for n in sizes for form in forms}
    # Repeated runs take turns (every configuration once, then again), so that a slow spell of the machine
    # spoils one run of each rather than every run of one.
    for _ in range(args.repeat):
        for n, w, form in configs:
            out = str(folder / f"out-{n}-w{w}-{form}.jsonl") if args.keep_output else os.devnull
            r = run_batch(pops[n], w, out, args.chunk_size, form)
            r.update(households=n, workers=w, reasons=form, per_second=n / r["seconds"],
                     us_per_household=max(r["seconds"] - startup, 0.0) / n * 1e6, startup_seconds=startup)
            runs[(n, w, form)].append(r)
            if args.keep_output:
                digests[(n, form)].add(_digest(out))
            print(f"  {n:,} households, {w} worker(s), --reasons {form}: {r['seconds']:.1f} s", file=sys.stderr)
    for (n, form), found in digests.items():
        if len(found) > 1:
            raise SystemExit(f"{n} --reasons {form}: the output differs between worker counts or runs")
    rows, results = [], []
    for config in configs:
        r = min(runs[config], key=lambda run: run["seconds"])  # the fastest run; memory: the largest of all
        r = {**r, "median_seconds": statistics.median(run["seconds"] for run in runs[config]),
             "runs": len(runs[config]), "peak_rss_mb": max(run["peak_rss_mb"] for run in runs[config]),
             "peak_pss_mb": max(run["peak_pss_mb"] for run in runs[config]),
             "max_single_rss_mb": max(run["max_single_rss_mb"] for run in runs[config])}
        results.append(r)
        median = [f"{r['median_seconds']:.1f}"] if args.repeat > 1 else []
        rows.append([f"{r['households']:,}", str(r["workers"]), r["reasons"], f"{r['seconds']:.1f}", *median,
                     f"{r['per_second']:,.0f}", f"{r['us_per_household']:.0f}", f"{r['cpu_seconds']:.1f}",
                     f"{r['main_cpu_seconds']:.1f}", f"{r['peak_rss_mb']:.0f}", f"{r['peak_pss_mb']:.0f}",
                     f"{r['max_single_rss_mb']:.0f}"])
    wall = ["wall s", *(["median wall s"] if args.repeat > 1 else [])]
    if args.repeat > 1:
        wall[0] = f"wall s (best of {args.repeat})"
    print_table(["households", "workers", "reasons", *wall, "households/s", "µs/household (net)", "CPU s (tree)",
                 "CPU s (main process)", "peak RSS MB (tree)", "peak PSS MB (tree)", "max RSS MB (one process)"], rows)
    print()
    ok = True
    # Issue 31's target is for --reasons data (text is reported beside it); a run of text alone is held to it too.
    target_form = "data" if "data" in forms else forms[0]
    for w, form in [(w, form) for w in workers for form in forms]:
        mine = {r["households"]: r for r in results if r["workers"] == w and r["reasons"] == form}
        if not mine:
            continue
        small, large = mine[min(mine)], mine[max(mine)]
        if large is not small:
            drift = large["us_per_household"] / small["us_per_household"] - 1
            print(f"{w} worker(s), --reasons {form}: time per household at {large['households']:,} is "
                  f"{drift * 100:+.1f} % of that at {small['households']:,} "
                  f"(target within ±{TARGET_DRIFT * 100:.0f} %)")
        if 1_000_000 in mine and w == 2:
            r = mine[1_000_000]
            met = r["seconds"] <= TARGET_SECONDS_1M and r["peak_rss_mb"] < TARGET_RSS_MB
            if form == target_form:
                ok &= met
            print(f"target 1M with 2 workers, --reasons {form}: ≤ {TARGET_SECONDS_1M:.0f} s and peak RSS < "
                  f"{TARGET_RSS_MB:.0f} MB — {r['seconds']:.1f} s, {r['peak_rss_mb']:.0f} MB: "
                  f"{'met' if met else 'NOT met'}" + ("" if form == target_form else " (reported beside it)"))
    if args.keep_output:
        print("outputs: the same bytes for every worker count")
    dump_json(args.json, {"machine": machine(), "runs": results,
                          "every_run": [run for config in configs for run in runs[config]]})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
