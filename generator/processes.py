"""Work in forked processes: pages rendered on other cores, files written while MkDocs frames.

A forked process starts with a copy of this one (the publication already read), so nothing has to
be sent to it; what it sends back goes through a pipe, as pickled messages, each with its length.
A worker may send messages while it works (pages sorted, then each body as it is rendered) before
its result. Children never return into the parent's code: they leave with `os._exit`, whatever
happens, so a child can never run the parent's clean-up (which deletes the folder being built).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import struct
import threading
import traceback
from collections.abc import Callable
from functools import partial
from typing import Any, Generic, TypeVar

T = TypeVar("T")

Send = Callable[[Any], None]
"""How work in a forked process sends a message to the parent."""

_LENGTH = struct.Struct("<Q")
_MESSAGE, _RESULT = "message", "result"


def can_fork() -> bool:
    """Whether work may go to a forked process: never while other threads run (a lock one of
    them holds at that moment would stay locked forever in the child), as in the live preview."""
    return hasattr(os, "fork") and threading.active_count() == 1


class WorkerFailed(RuntimeError):
    """Work in a forked process failed (its traceback is the message) or ended too soon."""


class WorkerStopped(WorkerFailed):
    """A forked process ended without a result: it was stopped from outside (killed, perhaps
    by the kernel for want of memory), not by a failure of its work."""


BACKGROUND = 10
"""The niceness of work done beside MkDocs: MkDocs frames the pages on one core, and the work
that can wait for it (bodies rendered ahead of it, files written) yields rather than slow it."""


class Forked(Generic[T]):
    """`work(send)` in a forked process, started at once. What it passes to `send` arrives here,
    in order, through `receive`; its result is taken when it is needed. `nice`: how much less
    of the processors it takes than this process when they are all busy (see `os.nice`)."""

    def __init__(self, work: Callable[[Send], T], nice: int = 0) -> None:
        reap()
        reader, writer = os.pipe()
        # The child's collector leaves alone what it inherits (the publication, thousands of
        # versions): walking those objects would write to every memory page that holds one,
        # and each page written is copied from the parent's. This process goes on as before.
        gc.freeze()
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            raise
        if pid != 0:
            gc.unfreeze()
        if pid == 0:  # the child: do the work, send the result, leave without cleaning up
            status = 1
            try:
                os.close(reader)
                if nice:
                    os.nice(nice)
                send = partial(_send, writer, _MESSAGE)
                try:
                    outcome: tuple[bool, Any] = (True, work(send))
                    status = 0
                except OSError as error:  # a full volume, a file made unreadable: not a bug
                    outcome = (False, error)
                except BaseException:  # noqa: BLE001 - any failure goes back to the parent
                    outcome = (False, traceback.format_exc())
                _send(writer, _RESULT, outcome)
            finally:
                # Never back into the parent's code: not even when the parent is gone and the
                # pipe broken, where its clean-up would delete the folder it was building.
                os._exit(status)
        os.close(writer)
        self._pid, self._reader = pid, reader
        self._outcome: tuple[bool, Any] | None = None
        _RUNNING.add(self)

    def receive(self) -> Any:
        """The next message the work sent; its failure is raised instead, as is its ending
        without sending one."""
        if self._outcome is None:
            kind, value = self._next()
            if kind == _MESSAGE:
                return value
            self._end(value)
        ok, value = self._outcome  # type: ignore[misc]
        raise _failure(value if not ok else "the process sent fewer messages than expected")

    def stop(self) -> None:
        """End the process now, if it still runs (its work is abandoned)."""
        if self._outcome is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self.outcome()

    def outcome(self) -> tuple[bool, Any]:
        """(True, the result) or (False, the failure's traceback), once the process has ended;
        messages not received by then are dropped."""
        while self._outcome is None:
            kind, value = self._next()
            if kind == _RESULT:
                self._end(value)
        return self._outcome

    def result(self) -> T:
        """The work's result; a failure is raised here, with its traceback."""
        ok, value = self.outcome()
        if not ok:
            raise _failure(value)
        return value

    def _next(self) -> tuple[str, Any]:
        try:
            return read_message(self._reader)
        except EOFError:
            return _RESULT, (False, _ENDED)

    def _end(self, outcome: tuple[bool, Any]) -> None:
        os.close(self._reader)
        _RUNNING.discard(self)
        self._outcome = outcome
        _LEAVING.add(self._pid)
        reap()


def fed(work: Callable[[int, Send], T], nice: int = 0) -> tuple[Forked[T], int]:
    """`work(requests, send)` in a forked process (see `Forked`), which reads from the pipe
    `requests` (with `read_message`) what this process writes to the descriptor returned (with
    `write_message`). Each side closes the end it does not use, so the work reads the end of the
    pipe once this process closes its end, unless a process forked since holds it too: a work
    that must end then is told so by a last message of its own."""
    requests, writer = os.pipe()

    def serve(send: Send) -> T:
        os.close(writer)
        return work(requests, send)

    worker = Forked(serve, nice=nice)
    os.close(requests)
    return worker, writer


_ENDED = "the process ended without a result"


def _failure(reason: str | OSError) -> Exception:
    """The failure of a forked process's work, raised in this one: the OSError it met as it is
    (a full volume is the user's to hear of, by the file), else a WorkerFailed with its
    traceback."""
    if isinstance(reason, OSError):
        return reason
    if reason == _ENDED:
        return WorkerStopped(f"work in a forked process failed:\n{reason}")
    return WorkerFailed(f"work in a forked process failed:\n{reason}")


_RUNNING: set[Forked] = set()
"""The forked processes whose outcome has not come yet."""

_LEAVING: set[int] = set()
"""Forked processes that have sent their outcome and are leaving, not yet reaped."""


def reap(wait: bool = False) -> None:
    """Reap the forked processes that have left, or (`wait`) wait for those leaving. A process
    that sent its outcome is not waited for as it leaves: the system frees its memory meanwhile
    (a tenth of a second for the writer or the word cutter of a cold W-large build), and it is
    reaped here later, at the next fork or when the build ends; a process that goes on after
    its builds (`policy serve`) waits for them."""
    for pid in list(_LEAVING):
        try:
            left, _ = os.waitpid(pid, 0 if wait else os.WNOHANG)
        except ChildProcessError:  # reaped already
            left = pid
        if left:
            _LEAVING.discard(pid)


def stop_forked() -> None:
    """End every forked process still running: a build interrupted while they work must not
    have them write on into the folder it cleans up."""
    for child in list(_RUNNING):
        child.stop()
    reap()


def umask() -> int:
    """This process's file mode creation mask (read by setting it, then set back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def running(pid: int) -> bool:
    """Whether a process runs with this id (another user's too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_on_terminate() -> None:
    """Make SIGTERM (from `timeout`, `docker stop`, a cancelled CI job) stop this process as
    Ctrl-C does, so that a build cleans up and ends the processes it forked. A forked process
    inherits the handler but still ends at once, as it would without it."""
    owner = os.getpid()

    def interrupt(signum: int, frame: Any) -> None:  # noqa: ARG001 - a signal handler's signature
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def write_message(pipe: int, value: Any) -> None:
    """Send a value through a pipe (see `read_message`)."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(pipe, view) :]


def read_message(pipe: int) -> Any:
    """The next value `write_message` sent through the pipe; EOFError when it is closed."""
    head = _read_exactly(pipe, _LENGTH.size)
    if len(head) == _LENGTH.size:
        (size,) = _LENGTH.unpack(head)
        data = _read_exactly(pipe, size)
        if len(data) == size:
            return unpickle(data)
    raise EOFError("the pipe was closed")


def unpickle(data: bytes) -> Any:
    """The value pickled in `data`, made with the collector paused. A large state (a part of
    a shared walk, a resumed walk) is hundreds of thousands of new objects, and the collections
    they set off include full ones, which examine every object the process already has: the
    6 MB part of W-large's walk took 0.14 s to unpickle with the collector and 0.035 s without."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)  # noqa: S301 - only our own pipes and cache
    finally:
        if enabled:
            gc.enable()


def _send(pipe: int, kind: str, value: Any) -> None:
    write_message(pipe, (kind, value))


def _read_exactly(pipe: int, size: int) -> bytes:
    """`size` bytes from the pipe, or fewer if it ends first (the process is gone)."""
    chunks, missing = [], size
    while missing:
        chunk = os.read(pipe, min(missing, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)
