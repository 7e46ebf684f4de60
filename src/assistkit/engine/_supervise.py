"""Supervision of plugin code: what a programme's ``assess`` may raise, and what stops a run.

A programme is plugin code; whatever it raises — an ``Exception``, ``SystemExit`` (a stray ``sys.exit()``), a
``KeyboardInterrupt`` it raises itself, any other ``BaseException`` — is an error of that programme on that
household, isolated like any other (:class:`~assistkit.engine._recorder.Recorder`). Only the user's Ctrl-C
stops a run: :func:`watch_interrupts` installs a SIGINT handler that notes the signal before raising
``KeyboardInterrupt``, so :func:`is_stop` can tell the signal from a programme's own ``raise``. Without the
handler (an embedding application that keeps its own), every ``KeyboardInterrupt`` stops, as before.

:class:`TimeLimitExceeded` is how a population run's per-household time limit reaches the programme that hangs
(``assistkit batch --time-limit``): raised by a timer signal in the middle of the programme, it becomes that
programme's error.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

__all__ = ["TimeLimitExceeded", "interrupted", "is_stop", "watch_interrupts"]

_INTERRUPTED = False
_WATCHING = False


class TimeLimitExceeded(BaseException):
    """A household's assessment ran past its time limit (raised by the timer in the middle of the code that
    runs). A ``BaseException``, so plugin code that catches ``Exception`` does not swallow it."""


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    global _INTERRUPTED
    _INTERRUPTED = True
    raise KeyboardInterrupt


def watch_interrupts() -> None:
    """Tell the user's Ctrl-C (SIGINT) from a programme raising ``KeyboardInterrupt``: from now on only the
    signal stops a run. Call it from the main thread (elsewhere it does nothing); the command line and the
    batch workers do."""
    global _WATCHING
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)
    _WATCHING = signal.getsignal(signal.SIGINT) is _on_sigint


def interrupted() -> bool:
    """Whether the user's SIGINT was received (with :func:`watch_interrupts`)."""
    return _INTERRUPTED


def is_stop(exc: BaseException) -> bool:
    """Whether ``exc``, raised while plugin code ran, must stop the run rather than be that code's error: the
    user's interrupt (or any ``KeyboardInterrupt`` when :func:`watch_interrupts` was not called)."""
    if isinstance(exc, KeyboardInterrupt):
        return _INTERRUPTED or not _WATCHING
    return False
