"""Work in forked processes: messages arrive in order before the result, and a failure or an
early end of the process is raised, never waited for."""

from __future__ import annotations

import errno
import gc
import os
import pickle
import signal
import time

import pytest

from generator import processes
from generator.processes import Forked, WorkerFailed, WorkerStopped, stop_forked, unpickle


def _count(send, upto: int) -> str:  # noqa: ANN001
    for number in range(upto):
        send({"number": number, "text": "x" * number * 1000})
    return "done"


def test_messages_arrive_in_order_then_the_result():
    # Large enough to fill the pipe many times over: the process waits for each read.
    worker = Forked(lambda send: _count(send, 200))
    for number in range(200):
        assert worker.receive() == {"number": number, "text": "x" * number * 1000}
    assert worker.result() == "done"


def test_a_result_may_be_taken_without_receiving_the_messages():
    worker = Forked(lambda send: _count(send, 100))
    assert worker.result() == "done"


def test_a_failure_is_raised_with_its_traceback():
    def fail(send):  # noqa: ANN001, ANN202
        send("first")
        raise ValueError("no such clause")

    worker = Forked(fail)
    assert worker.receive() == "first"
    with pytest.raises(WorkerFailed, match="ValueError: no such clause"):
        worker.receive()
    with pytest.raises(WorkerFailed, match="no such clause"):
        worker.result()


def test_a_process_that_ends_without_a_result_is_a_failure():
    worker = Forked(lambda send: os._exit(3))
    with pytest.raises(WorkerFailed, match="ended without a result"):
        worker.receive()


def test_a_process_killed_from_outside_is_told_apart_from_a_failure_of_its_work():
    """The kernel's out-of-memory killer, or a user: not a bug to show a traceback of."""
    worker = Forked(lambda send: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(WorkerStopped, match="ended without a result"):
        worker.result()


def test_an_os_error_of_the_work_is_raised_as_it_is():
    """A full volume is the user's to hear of, by the file it could not write: the OSError
    itself, not a traceback of the process that met it."""

    def full(send):  # noqa: ANN001, ANN202
        raise OSError(errno.ENOSPC, "No space left on device", "/site/spool-1")

    with pytest.raises(OSError, match="No space left") as raised:
        Forked(full).result()
    assert raised.value.errno == errno.ENOSPC
    assert raised.value.filename == "/site/spool-1"


def test_asking_for_more_messages_than_were_sent_is_a_failure():
    worker = Forked(lambda send: _count(send, 1))
    worker.receive()
    with pytest.raises(WorkerFailed, match="fewer messages"):
        worker.receive()


def test_a_stopped_process_is_ended():
    worker = Forked(lambda send: __import__("time").sleep(60))
    worker.stop()
    ok, value = worker.outcome()
    assert not ok
    assert "ended without a result" in value


def test_the_child_collector_leaves_what_it_inherits_alone():
    # Inherited objects are frozen in the child (its collector would otherwise write to every
    # memory page holding one, copying it from the parent's); the parent is left as it was.
    inherited = [[] for _ in range(1000)]
    frozen = Forked(lambda _send: gc.get_freeze_count()).result()
    assert frozen >= len(inherited)
    assert gc.get_freeze_count() == 0


class _Witness:
    """Notes, as it is unpickled, whether the collector runs."""

    collecting: list[bool] = []  # noqa: RUF012 - a record shared by every instance

    def __init__(self) -> None:
        self.made = True

    def __setstate__(self, state: dict) -> None:
        _Witness.collecting.append(gc.isenabled())


def test_values_are_unpickled_with_the_collector_paused_and_left_as_they_were():
    # A large state is unpickled without the collector examining the whole process at each
    # collection its new objects trigger; the collector is then as it was.
    _Witness.collecting.clear()
    received = Forked(lambda _send: [_Witness(), 1]).result()
    assert received[1] == 1
    assert gc.isenabled()
    gc.disable()
    try:
        unpickle(pickle.dumps(_Witness()))
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert _Witness.collecting == [False, False]


def test_a_process_that_sent_its_outcome_is_reaped_later_not_waited_for(monkeypatch):
    # Its memory is freed while this process goes on; it is reaped at the next fork or when
    # the build ends, and no process is left unreaped.
    waited: list[tuple[int, int]] = []
    waitpid = os.waitpid

    def recorded(pid: int, options: int) -> tuple[int, int]:
        waited.append((pid, options))
        return waitpid(pid, options)

    monkeypatch.setattr(os, "waitpid", recorded)
    first = Forked(lambda _send: "first")
    assert first.result() == "first"
    assert waited and all(options == os.WNOHANG for _, options in waited)
    second = Forked(lambda _send: "second")
    second.stop()
    stop_forked()
    deadline = time.monotonic() + 10
    while processes._LEAVING and time.monotonic() < deadline:
        time.sleep(0.01)
        processes.reap()
    assert not processes._LEAVING
    for pid in (first._pid, second._pid):
        with pytest.raises(ChildProcessError):
            waitpid(pid, os.WNOHANG)
