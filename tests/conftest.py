"""Session-wide test order: the tests marked ``leaves_threads`` run last.

A Dask cluster or Dask's threaded scheduler leaves threads running in the test process after the test ends
(Dask's offload thread and its default thread pool). A later test that forks batch workers would then fork a
process with other threads, which can deadlock the child (Python 3.12 and later warn about it). Running those
tests last keeps every fork in the suite single-threaded, as ``assistkit batch`` is (docs/population.md,
"Workers").

The default run spreads the test files over one pytest-xdist worker per core (pyproject.toml: ``-n auto --dist
loadfile``). A worker runs the files it is handed in the order of the session's collection, each file's tests
in order, so a file of ``leaves_threads`` tests, sorted last here, is the last file any worker is handed. That
holds only while such a file holds nothing else: checked below.

Hypothesis runs under a settings profile: ``ci`` by default (no deadline and no too-slow health check: a
shared or loaded machine must not fail a property), ``thorough`` with ``HYPOTHESIS_PROFILE=thorough`` — ten
times the examples of every property test that takes its count from :func:`examples` (and 1,000 for those
that give none), for a run before a release or after a change to the reader or the income accounting.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", settings.get_profile("ci"), max_examples=1000)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """The examples of a property test: ``n`` in the default run, ten times as many in the thorough one."""
    return n * 10 if PROFILE == "thorough" else n


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "leaves_threads: the test leaves threads running; it runs at the end")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("leaves_threads") is not None)  # stable: order kept
    marked: dict[str, set[bool]] = {}
    for item in items:
        marked.setdefault(item.nodeid.split("::", 1)[0], set()).add(item.get_closest_marker("leaves_threads")
                                                                    is not None)
    mixed = sorted(path for path, kinds in marked.items() if len(kinds) > 1)
    if mixed:
        raise pytest.UsageError(f"{', '.join(mixed)}: mark every test of the file leaves_threads, or move the "
                                "marked ones to a file of their own (a worker runs a file's tests together: "
                                "tests/conftest.py)")


@pytest.fixture(scope="session")
def start_chromium(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A function starting Debian's Chromium under Selenium, headless, at a window size (``"1366,900"``), with a
    fresh profile and the flags this machine's closed network needs (no background connections); the caller
    quits it. The browser tests (the caseworkers' page, the docs theme) share it."""
    import shutil

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    def start(window: str) -> webdriver.Chrome:
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
        for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", f"--window-size={window}",
                     f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
            options.add_argument(flag)
        driver_path = shutil.which("chromedriver") or "/usr/lib/chromium/chromedriver"
        return webdriver.Chrome(options=options, service=Service(executable_path=driver_path))

    return start
