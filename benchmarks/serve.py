"""Load on ``assistkit serve``: requests/s and latency of ``POST /assess`` at 1, 8 and 32 concurrent clients, and
households/s through ``POST /batch``.

    .venv/bin/python benchmarks/serve.py                          # 2000 requests a level, 20 s at most a level
    .venv/bin/python benchmarks/serve.py -n 200 --seconds 5       # quick
    .venv/bin/python benchmarks/serve.py --server-workers 2 --concurrency 1,8,32,64

The script starts ``assistkit serve`` on 127.0.0.1 and a free port (``--server-workers`` uvicorn workers, the
default limits) and drives it with a bounded local client: at each concurrency level, that many clients on one
asyncio loop (httpx, one connection each) send Demo City households one after the other until ``--requests``
have been answered or ``--seconds`` have passed, whichever comes first. Every answer must be 200. Latency is
from sending the request to reading the whole answer. The client runs on the same machine and takes CPU from
the server: the figures are a floor, not what a separate client would see. ``/batch`` is timed on
``--batch`` households in one request (read whole, streamed back).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import DEFAULT_ON, machine, population_arguments, population_lines, print_table

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(workers: int) -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    port = free_port()
    command = [sys.executable, "-c", "from assistkit.cli import main; main()", "serve", "--port", str(port),
               "--workers", str(workers), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"assistkit serve exited {process.returncode}")
        try:
            if httpx.get(url + "/health", timeout=5).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("assistkit serve did not start in 120 s")


def quantile(samples: list[float], q: float) -> float:
    """Nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


async def level(url: str, bodies: list[bytes], clients: int, requests: int, seconds: float) -> tuple[int, float,
                                                                                                    list[float]]:
    """``clients`` concurrent clients until ``requests`` answers or ``seconds``: (answers, wall s, latencies s)."""
    import httpx

    latencies: list[float] = []
    sent = 0
    params = {"on": DEFAULT_ON.isoformat()}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        await client.get("/health")  # connect once before the clock starts
        start = time.perf_counter()
        stop = start + seconds

        async def one_client() -> None:
            nonlocal sent
            while sent < requests and time.perf_counter() < stop:
                body = bodies[sent % len(bodies)]
                sent += 1
                begin = time.perf_counter()
                response = await client.post("/assess", params=params, content=body)
                await response.aread()
                latencies.append(time.perf_counter() - begin)
                if response.status_code != 200:
                    raise SystemExit(f"/assess answered {response.status_code}: {response.text[:500]}")

        await asyncio.gather(*(one_client() for _ in range(clients)))
        wall = time.perf_counter() - start
    return len(latencies), wall, latencies


def batch(url: str, lines: list[str]) -> tuple[int, float]:
    import httpx

    body = ("\n".join(lines) + "\n").encode("utf-8")
    start = time.perf_counter()
    count = 0
    with httpx.stream("POST", url + "/batch", params={"on": DEFAULT_ON.isoformat()}, content=body,
                      timeout=600) as response:
        if response.status_code != 200:
            raise SystemExit(f"/batch answered {response.status_code}: {response.read()[:500]!r}")
        for line in response.iter_lines():
            if line:
                count += 1
    return count, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    population_arguments(parser, 500, households_help="distinct households sent to /assess (default 500)")
    parser.add_argument("-r", "--requests", type=int, default=2000, help="requests at most per level (2000)")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds at most per level (20)")
    parser.add_argument("--concurrency", default="1,8,32", help="concurrent clients per level (1,8,32)")
    parser.add_argument("--batch", type=int, default=2000, help="households in the /batch request (2000)")
    parser.add_argument("--server-workers", type=int, default=1, help="uvicorn workers of the server (1)")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.concurrency.split(",") if x]
    lines = population_lines(max(args.households, args.batch), seed=args.seed, path=args.population)
    bodies = [line.encode("utf-8") for line in lines[:args.households]]
    print(f"# assistkit serve under load: {machine()}")
    print(f"server: {args.server_workers} uvicorn worker(s); client: this process, one asyncio loop")
    process, url = start(args.server_workers)
    try:
        asyncio.run(level(url, bodies, 1, min(50, args.requests), 5.0))  # warm up: caches, connections
        rows = []
        for clients in levels:
            answered, wall, latencies = asyncio.run(level(url, bodies, clients, args.requests, args.seconds))
            rows.append([str(clients), str(answered), f"{wall:.1f}", f"{answered / wall:,.0f}",
                         f"{statistics.median(latencies) * 1000:.2f}", f"{quantile(latencies, 0.95) * 1000:.2f}",
                         f"{quantile(latencies, 0.99) * 1000:.2f}"])
        print()
        print_table(["clients", "requests", "wall s", "requests/s", "p50 ms", "p95 ms", "p99 ms"], rows)
        count, wall = batch(url, lines[:args.batch])
        print()
        print_table(["/batch households", "wall s", "households/s"],
                    [[str(count), f"{wall:.2f}", f"{count / wall:,.0f}"]])
    finally:
        process.terminate()
        process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
