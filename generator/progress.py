"""Progress of a build: each stage with its count and its time.

On a terminal a stage shows as a bar rewritten in place; elsewhere (CI, a log file, tests) each stage
writes a plain line when it ends, and a long stage writes how far it is every few seconds. Stages
nest: the time a stage reports excludes the stages and timers inside it, so the times add up to the
build. A stage that fails is not reported: its error says what happened.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

_BAR_WIDTH = 24
_REDRAW = 0.1
"""Seconds between two redraws of the bar."""


@dataclass
class _Clock:
    """One running stage or timer: when it started, and the time its children took."""

    name: str
    wall: float
    cpu: float
    children_wall: float = 0.0
    children_cpu: float = 0.0


@dataclass
class Stage:
    """A running stage, advanced as its items are done."""

    name: str
    total: int | None
    unit: str
    progress: Progress
    done: int = 0
    started: float = field(default_factory=time.perf_counter)

    def advance(self, count: int = 1) -> None:
        """Count `count` more items done."""
        self.done += count
        self.progress._report(self)


class Progress:
    """Times and reports the stages of a build."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        interactive: bool | None = None,
        interval: float = 10.0,
        report: bool = True,
        logger: logging.Logger | None = None,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.report = report
        """False: time the stages, say nothing (a build inside another command)."""
        self.interactive = report and (
            _is_terminal(self.stream) if interactive is None else interactive
        )
        self.log = logger
        """Where plain lines go instead of `stream` (MkDocs' log, for a direct `mkdocs build`)."""
        self.interval = interval
        """Seconds between two progress lines of a long stage, when not on a terminal."""
        self.seconds: dict[str, float] = {}
        """Wall-clock seconds per stage or timer, excluding what ran inside it."""
        self.cpu: dict[str, float] = {}
        """CPU seconds of this process per stage or timer, excluding what ran inside it."""
        self.counts: dict[str, int] = {}
        self._clocks: list[_Clock] = []
        self._last = 0.0

    @contextmanager
    def stage(self, name: str, total: int | None = None, unit: str = "items") -> Iterator[Stage]:
        """A stage of the build: timed, and reported with its count when it ends."""
        stage = self.start(name, total, unit)
        try:
            yield stage
        except BaseException:
            self._pop(name)  # a failed stage is timed but not reported: its error is
            raise
        self.end(stage)

    def start(self, name: str, total: int | None = None, unit: str = "items") -> Stage:
        """Begin a stage that spans several calls (MkDocs events); `end` it in the reverse order
        of the stages and timers begun after it."""
        stage = Stage(name=name, total=total, unit=unit, progress=self)
        self._last = 0.0
        self._push(name)
        return stage

    def end(self, stage: Stage) -> None:
        """End a stage begun with `start`, and report it."""
        self._pop(stage.name)
        self.counts[stage.name] = self.counts.get(stage.name, 0) + stage.done
        self._finish(stage)

    @contextmanager
    def timer(self, name: str) -> Iterator[None]:
        """Time a section without reporting it (it still counts in the stage totals)."""
        self._push(name)
        try:
            yield
        finally:
            self._pop(name)

    def _push(self, name: str) -> None:
        self._clocks.append(_Clock(name=name, wall=time.perf_counter(), cpu=time.process_time()))

    def _pop(self, name: str) -> None:
        clock = self._clocks.pop()
        if clock.name != name:
            raise RuntimeError(f"stage '{name}' ended inside '{clock.name}'")
        wall = time.perf_counter() - clock.wall
        cpu = time.process_time() - clock.cpu
        self.seconds[name] = self.seconds.get(name, 0.0) + wall - clock.children_wall
        self.cpu[name] = self.cpu.get(name, 0.0) + cpu - clock.children_cpu
        if self._clocks:
            self._clocks[-1].children_wall += wall
            self._clocks[-1].children_cpu += cpu

    def _report(self, stage: Stage) -> None:
        if not self.report:
            return
        now = time.perf_counter()
        if self.interactive:
            if now - self._last >= _REDRAW:
                self._last = now
                self.stream.write("\r" + _bar(stage, now) + "\x1b[K")
                self.stream.flush()
        elif now - (self._last or stage.started) >= self.interval:
            self._last = now
            if stage.total is None:
                self._line(f"{stage.name}: {_counted(stage)}")
            else:
                self._line(f"{stage.name}: {stage.done} of {stage.total} {stage.unit}")

    def _finish(self, stage: Stage) -> None:
        if not self.report:
            return
        elapsed = time.perf_counter() - stage.started
        line = f"{stage.name}: {_counted(stage)} in {elapsed:.1f} s"
        if self.interactive:
            self.stream.write("\r" + line + "\x1b[K\n")
            self.stream.flush()
        else:
            self._line(line)

    def _line(self, line: str) -> None:
        if self.log is not None:
            self.log.info("%s", line)
        else:
            self.stream.write(line + "\n")
            self.stream.flush()


def _counted(stage: Stage) -> str:
    """The items a stage has done, counted: '1 revision', '14 commits'."""
    unit = stage.unit[:-1] if stage.done == 1 and stage.unit.endswith("s") else stage.unit
    return f"{stage.done} {unit}"


def _bar(stage: Stage, now: float) -> str:
    elapsed = now - stage.started
    if not stage.total:
        return f"{stage.name}: {_counted(stage)} {elapsed:.1f} s"
    filled = min(_BAR_WIDTH, _BAR_WIDTH * stage.done // stage.total)
    bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
    return f"{stage.name} [{bar}] {stage.done}/{stage.total} {stage.unit} {elapsed:.1f} s"


def _is_terminal(stream: TextIO) -> bool:
    """A terminal a person watches: not CI, not a dumb terminal, not a pipe."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
