"""Session-wide test order: the tests marked ``leaves_threads`` run last.

A Dask cluster or Dask's threaded scheduler leaves threads running in the test process after the test ends
(Dask's offload thread and its default thread pool). A later test that forks batch workers would then fork a
process with other threads, which can deadlock the child (Python 3.12 and later warn about it). Running those
tests last keeps every fork in the suite single-threaded, as ``assistkit batch`` is (docs/population.md,
"Workers").
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "leaves_threads: the test leaves threads running; it runs at the end")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("leaves_threads") is not None)  # stable: order kept
