"""The command that runs plugin code runs in a child process, watched by the process the user started.

Inside a run, plugin code is supervised household by household (:mod:`assistkit.engine._supervise`): whatever a
programme raises is its error on that household. Nothing in a process can catch a programme that ends the
process itself — ``os._exit(0)``, a crash in a C extension, the kernel's out-of-memory killer: with several
workers the dead worker stops the run with :class:`~assistkit.errors.WorkerDied`, but with one worker (the
default) the command itself would end, with whatever status the plugin chose — 0 for ``os._exit(0)``, as if the
run had succeeded.

So the commands that assess households fork once, at the start: the child runs the command; the parent only
waits. The child tells the parent, through a pipe, that it reached the end of its command (a result, an error
of its own, a traceback) — Python's way out of a process. A child that ends without saying so ended abruptly:
the parent says so on stderr and exits 2 (128 + N for a signal N), never 0. The cost is one ``fork`` of the
command's process before any engine is built, and a bare interpreter (the parent, which replaces itself with
one, :data:`WAITER`: about 8 MB) that sleeps in ``waitpid``.

The child dies with the parent (``kill -9`` of the command leaves nothing behind: :func:`die_with_parent`); the
parent hands ``SIGTERM`` and ``SIGHUP`` on to the child and ignores ``SIGINT``, which a terminal's Ctrl-C sends
to the child as well (the whole process group). Where there is no ``fork`` (Windows), or with
``ASSISTKIT_UNSUPERVISED=1``, the command runs in the process itself.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["SUPERVISED", "supervised"]

SUPERVISED = frozenset({"assess", "batch", "cliff", "compare", "donations", "issue", "notice", "recompute", "review",
                        "verify"})
"""The commands that assess households (and so run plugin code)."""

_DONE = b"."
"""What the child writes when it reaches its end (:data:`WAITER` reads it)."""


def supervised(run: Callable[[], Any], command: str | None) -> Any:
    """``run()`` (the command line's ``main``) in a child process when ``command`` is one of :data:`SUPERVISED`;
    in this process otherwise."""
    if command not in SUPERVISED or not hasattr(os, "fork") or os.environ.get("ASSISTKIT_UNSUPERVISED"):
        return run()
    read, write = os.pipe()
    parent = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child == 0:  # the command
        os.close(read)
        from ..population._supervise import die_with_parent

        die_with_parent(parent, threading.current_thread() is threading.main_thread())
        try:
            return run()
        finally:
            os.write(write, _DONE)  # Python's own way out: a result, an error, a traceback (workers never get here)
    os.close(write)
    args = [str(child), str(read), command]
    # The waiting process becomes a bare interpreter (no site, no assistkit): 8 MB instead of the 33 MB of
    # the command line's modules, which the child would otherwise make this process's own as it writes them.
    os.set_inheritable(read, True)
    with contextlib.suppress(OSError):
        os.execv(sys.executable, [sys.executable, "-I", "-S", "-c", WAITER, *args])
    exec(compile(WAITER, "<assistkit waiter>", "exec"), {"__name__": "__main__", "ARGS": args})  # noqa: S102
    raise SystemExit(2)  # not reached: the waiter exits


WAITER = r"""
import os, signal, sys
child, read, command = (ARGS if "ARGS" in globals() else sys.argv[1:])
child, read = int(child), int(read)
def hand_on(signum, frame):
    os.kill(child, signum)
signal.signal(signal.SIGINT, signal.SIG_IGN)
for signum in (signal.SIGTERM, signal.SIGHUP):
    signal.signal(signum, hand_on)
_, status = os.waitpid(child, 0)
os.set_blocking(read, False)  # a worker of the child may still hold the pipe open
try:
    done = os.read(read, 1) == b"."
except BlockingIOError:
    done = False
code = os.waitstatus_to_exitcode(status)
incomplete = ("its output is incomplete (an --out file is never renamed into place; `batch --resume` continues "
              "a batch)")
if done:
    sys.exit(code)
if code < 0:
    sys.stderr.write(f"error: assistkit {command} was killed by {signal.Signals(-code).name} before it finished; "
                     f"{incomplete}\n")
    sys.exit(128 - code)
sys.stderr.write(f"error: assistkit {command} ended before it finished, with exit status {code} and no word of its "
                 f"own: plugin code that ends its process (os._exit) cannot be isolated like an error; {incomplete}\n")
sys.exit(2)
"""
"""The waiting process: hands SIGTERM and SIGHUP on, ignores SIGINT, waits, and ends as the child did — or says
why the child ended without finishing."""
