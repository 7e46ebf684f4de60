"""The one way a command writes a file: never over one of its inputs, never half-written.

Every command that writes (``batch``, ``review``, ``compare``, ``notice``, ``donations match``, ``schema``,
``log export``, ``issue``, ``demo-population``, ``--summary-json``, ``--duplicates``, ``--json`` …) goes
through :func:`check_outputs` before it reads anything, and :func:`output_file` to write:

- an output path that names one of the command's inputs (the population, a policy, the funds, the ledger, the
  record), or another output of the same command, is refused before anything is opened — ``batch pop.jsonl -o
  pop.jsonl`` would otherwise truncate the county's file before reading it;
- the data go to a temporary file in the output's own directory, which is renamed over the output only when
  the command has written everything (so a reader sees the old file or the whole new one, as SQLite's authors
  would have it); on any failure the temporary file is removed and the old output stays as it was;
- a missing directory, a full disk, a read-only file system is one line, ``error: PATH: reason``, exit 2;
- an output that exists and is not a regular file — ``/dev/null``, a named pipe, a terminal — is written in
  place (:func:`special_file`): replacing it by renaming would put a regular file where the device was.

``batch --resume`` keeps its temporary file under a fixed name (:func:`partial_path`) so that a run killed
half-way can be continued from it; two runs writing one output, or using one ledger, do not interleave: the
second is refused at once with a message naming what is in use (:func:`exclusive`, :func:`run_lock`; an
advisory ``flock`` — on a platform without ``fcntl`` there is no such check).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

import click

__all__ = ["OutputError", "check_outputs", "exclusive", "output_file", "partial_path", "run_lock", "same_file",
           "special_file", "write_text"]


class OutputError(click.ClickException):
    """An output that cannot be written: ``error: PATH: reason``, exit 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.message}", err=True)


def _is_stream(path: str | None) -> bool:
    return path is None or path == "-"


def special_file(path: str | None) -> bool:
    """Whether ``path`` names an existing file that is not a regular file or a directory (``/dev/null``, a named
    pipe, a terminal): an output there is written in place, and cannot be resumed."""
    if _is_stream(path):
        return False
    assert path is not None
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _location(path: str) -> str:
    """A filesystem path for a location that may be a ``sqlite:///`` URL (a ledger, a record)."""
    for prefix in ("sqlite:///", "sqlite://"):
        if path.startswith(prefix):
            return path[len(prefix):]
    return path


def same_file(a: str, b: str) -> bool:
    """Whether two paths name the same file: the same inode when both exist, else the same resolved path."""
    a, b = _location(a), _location(b)
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_outputs(outputs: Iterable[tuple[str, str | None]], inputs: Iterable[tuple[str, str | None]]) -> None:
    """Refuse (exit 2) an output that is one of the inputs or another output. Each is ``(what, path)``:
    ``("--out", "pop.jsonl")``, ``("POPULATION", "pop.jsonl")``; a ``None`` or ``-`` path is skipped."""
    outs = [(what, path) for what, path in outputs if not _is_stream(path) and "://" not in _location(path or "")]
    ins = [(what, path) for what, path in inputs if not _is_stream(path)]
    for i, (what, path) in enumerate(outs):
        assert path is not None
        for other, given in ins:
            assert given is not None
            if "://" in _location(given):
                continue  # a PostgreSQL record is not a file
            if same_file(path, given):
                raise OutputError(f"{path}: {what} is the {other} file; writing it would destroy the {other} "
                                  f"before it is read: give another path")
        for other, given in outs[:i]:
            assert given is not None
            if same_file(path, given) and not special_file(path):
                raise OutputError(f"{path}: given both as {other} and as {what}: give two paths")


def partial_path(path: str) -> str:
    """The fixed name of ``path``'s temporary file for a resumable run: ``.NAME.partial`` beside it."""
    head, tail = os.path.split(os.path.abspath(path))
    return os.path.join(head, f".{tail}.partial")


def _describe(path: str, exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    if isinstance(exc, FileNotFoundError):
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            reason = f"no such directory {folder}"
    return f"{path}: cannot write: {reason}"


def _new_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def output_file(path: str | None, *, text: bool = False, newline: str | None = "\n",
                partial: str | None = None, append: bool = False) -> Iterator[IO[Any]]:
    """A stream writing to ``path`` (stdout when ``None`` or ``-``), binary or ``text`` (UTF-8).

    A file is written to a temporary file in the same directory (``partial``: that fixed path instead; with
    ``append`` its contents are kept and continued) and renamed over ``path`` when the ``with`` block ends
    without an exception; otherwise the temporary file is removed — except a ``partial`` one, kept for a
    resume. An :class:`OSError` while opening, writing or renaming is an :class:`OutputError` naming ``path``.
    """
    if _is_stream(path):
        sys.stdout.flush()
        raw: Any = sys.stdout.buffer
        stream: Any = _text(raw, newline) if text else raw
        try:
            yield stream
            stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(_describe("<stdout>", exc)) from None
        finally:
            if text:
                stream.detach()
        return
    assert path is not None
    if special_file(path):
        yield from _in_place(path, text, newline)
        return
    folder = os.path.dirname(os.path.abspath(path))
    try:
        if partial is not None:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else 0), 0o666)
            tmp = partial
            if not exclusive(fd):
                os.close(fd)
                raise OutputError(f"{path}: another run is writing it (its partial file {partial} is in use): "
                                  "wait for it to finish, or give another --out")
            if not append:
                os.ftruncate(fd, 0)
                os.fchmod(fd, _current_mode(path))
        else:
            fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
            os.chmod(tmp, _current_mode(path))
    except OSError as exc:
        raise OutputError(_describe(path, exc)) from None
    ok = False
    try:
        with open(fd, "wb", closefd=True) as binary:
            stream = _text(binary, newline) if text else binary
            yield stream
            stream.flush()
            os.fsync(binary.fileno())  # on disk before the name points at it
            if text:
                stream.detach()
        os.replace(tmp, path)
        ok = True
    except OSError as exc:
        raise OutputError(_describe(path, exc)) from None
    finally:
        if not ok and partial is None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _in_place(path: str, text: bool, newline: str | None) -> Iterator[IO[Any]]:
    """:func:`output_file`'s stream for a :func:`special_file`: opened and written as it is, never replaced."""
    try:
        binary = open(path, "wb")  # noqa: SIM115 (closed below, after the text wrapper lets go of it)
    except OSError as exc:
        raise OutputError(_describe(path, exc)) from None
    try:
        stream: Any = _text(binary, newline) if text else binary
        yield stream
        stream.flush()
        if text:
            stream.detach()
    except OSError as exc:
        raise OutputError(_describe(path, exc)) from None
    finally:
        binary.close()


def exclusive(fd: int) -> bool:
    """Take an exclusive advisory lock on the open file ``fd`` without waiting; ``False`` if another process
    holds it. Released when the file is closed."""
    try:
        import fcntl
    except ImportError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def run_lock(location: str | None, what: str) -> Iterator[None]:
    """Hold ``LOCATION-run.lock`` (beside a ledger file) for the whole ``with`` block: a second run on the same
    ledger is refused at once (exit 2) instead of both failing half-way on each other's commits."""
    if location is None or "://" in _location(location):
        yield
        return
    lock = _location(location) + "-run.lock"
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError(_describe(lock, exc)) from None
    try:
        if not exclusive(fd):
            raise OutputError(f"{location}: {what} is in use by another run (it holds {lock}): wait for that run "
                              "to finish, then run this one")
        yield
    finally:
        os.close(fd)


def _current_mode(path: str) -> int:
    """The permissions the output has now (kept when it is replaced), or those a new file gets."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return _new_mode()


def _text(binary: Any, newline: str | None) -> Any:
    import io

    return io.TextIOWrapper(binary, encoding="utf-8", newline=newline, write_through=False)


def write_text(path: str | None, text: str, *, newline: str | None = "\n") -> None:
    """Write ``text`` (UTF-8) to ``path`` through :func:`output_file`."""
    with output_file(path, text=True, newline=newline) as f:
        f.write(text)
