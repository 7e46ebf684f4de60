"""Live servers for the service tests: ``assistkit serve`` started in a subprocess on a free local port."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the serve extra (starlette, uvicorn) is not installed")
pytest.importorskip("uvicorn", reason="the serve extra (starlette, uvicorn) is not installed")
httpx = pytest.importorskip("httpx", reason="the serve extra (httpx) is not installed")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "tests" / "examples").glob("*.json"))
STARTUP = 120.0
"""Seconds a server may take to start (building its engines) before the fixture gives up; not a speed test."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def live_server(*options: str, log: Path) -> Iterator[str]:
    """``assistkit serve OPTIONS`` on 127.0.0.1 and a free port until the block ends; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-c", "from assistkit.cli import main; main()", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning", *options]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"assistkit serve exited {process.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(url + "/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"assistkit serve did not answer in {STARTUP} s:\n{log.read_text()}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Demo City and the docs' standard-raise reform, with small limits so the tests can reach them."""
    log = tmp_path_factory.mktemp("service") / "serve.log"
    with live_server("--locality", "demo-city", "--locality", "docs/examples/standard-raise.toml",
                     "--max-body", "200000", "--max-households", "12", log=log) as url:
        yield url


@pytest.fixture(scope="session")
def hurried_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Two workers behind a reverse proxy's prefix, with a time limit no request can meet."""
    log = tmp_path_factory.mktemp("hurried") / "serve.log"
    with live_server("--workers", "2", "--root-path", "/assistkit", "--timeout", "0.000001", log=log) as url:
        yield url
