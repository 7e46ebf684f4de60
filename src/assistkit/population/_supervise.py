"""Supervision of a population run's workers: each household's time limit, and workers that die with their
parent.

- :class:`HouseholdTimer`: a per-household time limit (``batch --time-limit``). A timer signal (``SIGALRM``,
  repeating every ``limit`` seconds) raises :class:`~assistkit.engine.TimeLimitExceeded` in whatever runs —
  the programme that hangs gets the error (the engine isolates it, :mod:`assistkit.engine._supervise`), or the
  line gets an error object when the engine itself was running. Python runs a signal handler between
  bytecodes, so a hang inside one long C call (a regular expression, a huge ``int`` to text) is stopped only
  when that call returns. Where there is no ``SIGALRM`` (Windows) or off the main thread (Dask's threads) there
  is no time limit.
- :func:`die_with_parent`, run in each worker as it starts: on Linux the kernel kills the worker when the
  process that started it dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``, so ``kill -9`` of a batch leaves no
  worker behind); on other POSIX systems (macOS, the BSDs) a daemon thread checks every second whether the
  parent is still the one it had, and ends the worker when it is not. Workers stay in their parent's process
  group, so a terminal's Ctrl-C, or ``kill -- -PGID``, reaches all of them at once.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from types import FrameType
from typing import Any

from ..engine import TimeLimitExceeded

__all__ = ["DEFAULT_TIME_LIMIT", "HouseholdTimer", "die_with_parent", "limit_text"]

DEFAULT_TIME_LIMIT = 60.0
"""Seconds one household may take (``batch --time-limit``): thousands of times what a real household takes
(well under a millisecond), so only a programme that hangs ever meets it."""

_PR_SET_PDEATHSIG = 1


def limit_text(limit: float) -> str:
    return f"{limit:g} s"


class HouseholdTimer:
    """Arm before each household, disarm after (``with timer:``); a no-op without a limit or where the platform
    cannot (no ``SIGALRM``, not the main thread)."""

    def __init__(self, limit: float | None) -> None:
        usable = (limit is not None and limit > 0 and hasattr(signal, "setitimer")
                  and threading.current_thread() is threading.main_thread())
        self.limit = limit if usable else None
        self._old: Any = None

    def _fire(self, signum: int, frame: FrameType | None) -> None:
        assert self.limit is not None
        raise TimeLimitExceeded(f"not finished within the time limit of {limit_text(self.limit)} per household "
                                "(--time-limit)")

    def start(self) -> None:
        """Install the handler (once per chunk)."""
        if self.limit is not None:
            self._old = signal.signal(signal.SIGALRM, self._fire)

    def stop(self) -> None:
        """Disarm and put the previous handler back."""
        if self.limit is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._old)

    def __enter__(self) -> HouseholdTimer:
        if self.limit is not None:
            signal.setitimer(signal.ITIMER_REAL, self.limit, self.limit)  # again each limit, if caught inside
        return self

    def __exit__(self, *exc: object) -> None:
        if self.limit is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)


def die_with_parent(parent: int, main_thread: bool) -> None:
    """In a worker just started by process ``parent``: make sure the worker does not outlive it.

    ``main_thread``: whether the parent started it from its main thread (Linux ties the parent-death signal to
    the thread that forked, so a pool started from another thread is watched by the polling thread instead).
    """
    if sys.platform.startswith("linux") and main_thread:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the call: the signal will never come
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    if os.name != "posix":
        return  # Windows: the pool's own pipes end an orphaned worker when it next reads its queue
    threading.Thread(target=_watch, args=(parent,), name="assistkit-parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(1.0)
