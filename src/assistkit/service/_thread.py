"""The service on a free local port in a background thread: for examples and integration tests."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from ._config import ServiceConfig

__all__ = ["running"]


@contextlib.contextmanager
def running(config: ServiceConfig | None = None, *, host: str = "127.0.0.1", port: int = 0,
            root_path: str = "") -> Iterator[str]:
    """Run the service with ``config`` in this process until the block ends; yields its base URL
    (``http://127.0.0.1:PORT``). ``port=0`` takes a free port; ``root_path`` is the prefix a reverse proxy
    strips (the URL yielded is the direct one, without it)."""
    import uvicorn

    from ._app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    server = uvicorn.Server(uvicorn.Config(create_app(config or ServiceConfig()), log_level="warning",
                                          root_path=root_path, lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="assistkit-service",
                              daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the service stopped while starting (see the log above)")
            time.sleep(0.01)
        address: Any = sock.getsockname()
        yield f"http://{address[0]}:{address[1]}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()
