"""Derived versions kept between builds: a build reads only the commits after the last one it has.

Numbering the versions walks the whole history, commit by commit (versions.py, with incremental.py
keeping each step in proportion to what the commit changed). The state of that walk after a commit
is a pure function of the first-parent history up to that commit, which the commit's id pins, and of
the code that walks it. So a build saves the state after its newest commit, and the next build,
given the same code and a history that contains that commit, resumes from it: a merge that adds one
commit derives one commit, not the whole history again.

A checkpoint lives in the build cache's folder (`history/`) and is kept like the caches' entries
(`cache.EntryFolder`): its file name carries a seal of its key and content, checked when it is
read (another build's checkpoint put in its place is found damaged too); a
damaged or unreadable checkpoint is dropped and the history read from the start; the checkpoints a
build did not use are removed after it.

A checkpoint is pickled and written by a forked process while the build goes on (on W-large, 0.1 s
that the build's own process spent before it sorted the pages); `finish` waits for it before the
site is published. Written atomically under a name that carries its seal, a checkpoint is whole or
absent: a build that fails or is interrupted meanwhile stops that process, and keeps the checkpoint
it resumed from for the next build. One that cannot be written is a warning, never a failure: the
next build resumes from the one before, or reads the history from the start.

Whoever can write the cache folder can already change what the site publishes, so a checkpoint (a
pickle) is trusted as the page cache is: keep the folder as private as the build itself.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from generator.cache import EntryFolder, code_fingerprint
from generator.processes import BACKGROUND, Forked, Send, WorkerFailed, can_fork, unpickle

log = logging.getLogger(__name__)

FORMAT = b"policy-history-checkpoint 1"

PACKAGES = ("babel", "markdown", "markupsafe", "nh3", "pyyaml", "policy-publisher")
"""Packages whose version can change what the walk derives from the same commits."""

_Written = tuple[dict[str, tuple[str, str]], str | None]
"""What saving a state did: its entry, if written (see `EntryFolder.entries`), and why one could
not be written."""


class Checkpoints:
    """The states of the history walk after given commits, on disk. A state saved may still be
    being written by another process until `finish`."""

    def __init__(self, directory: Path) -> None:
        self.entries = EntryFolder(
            directory / "history", "history cache", "the history is read from the start"
        )
        self._resumed: str | None = None
        self._saving: tuple[str, Forked[_Written]] | None = None
        """The key of the state being saved, and the process writing it."""

    def resume(self, commits: Sequence[str]) -> tuple[int, Any] | None:
        """The saved state after the newest of `commits` (oldest first) that has one, with the
        number of commits it covers; None if there is none."""
        for count in range(len(commits), 0, -1):
            key = self._key(commits[count - 1])
            found = self.entries.read(key) if commits[count - 1] else None
            if found is None:
                continue
            try:
                state = unpickle(found[1])  # our own cache, see above
            except Exception as error:  # noqa: BLE001 - any unreadable state: read the history
                log.warning("history cache: %s cannot be read (%s); the history is read from "
                            "the start", found[0].name, error)  # fmt: skip
                self.entries.drop(key)
                continue
            self._resumed = key
            return count, state
        return None

    def save(self, commit: str, state: Any) -> None:
        """Keep the state after `commit` for the next build, instead of the one resumed from:
        written by a forked process, which works on a copy of `state` as it is now, when this
        process can fork (see `finish`)."""
        self._wait()
        key = self._key(commit)
        if can_fork():
            self._saving = (key, Forked(partial(self._write_apart, key, state), nice=BACKGROUND))
        else:
            self._write(key, state)
            self._saved(key)

    def finish(self) -> int:
        """Wait for the state being saved to be written (or to fail: a warning), then remove
        every checkpoint but the one this build saved (or resumed from, if it had nothing to
        add or its own could not be written); the number removed."""
        self._wait()
        return self.entries.prune()

    def _write(self, key: str, state: Any) -> _Written:
        """Pickle and write a state; the entry written, if it was, and why one could not be."""
        self.entries.write(key, pickle.dumps(state, pickle.HIGHEST_PROTOCOL))
        return self.entries.entries([key]), self.entries.unwritable

    def _write_apart(self, key: str, state: Any, send: Send) -> _Written:  # noqa: ARG002
        """`_write` in the forked process: its warning is the build's to give, once (`_wait`)."""
        self.entries.reports = False
        return self._write(key, state)

    def _wait(self) -> None:
        saving, self._saving = self._saving, None
        if saving is None:
            return
        key, worker = saving
        try:
            written, unwritable = worker.result()
        except (WorkerFailed, OSError) as error:
            reason = str(error).strip().splitlines()[-1]
            log.warning("history cache: the state after the newest commit could not be saved "
                        "(%s); it is not kept", reason)  # fmt: skip
            return
        self.entries.learn(written, unwritable)
        self._saved(key)

    def _saved(self, key: str) -> None:
        """The state under `key` was saved, if its entry is there: the one resumed from is not
        needed any more."""
        if self.entries.digest(key) is not None and self._resumed not in (None, key):
            self.entries.used.discard(self._resumed)

    @staticmethod
    def _key(commit: str) -> str:
        return hashlib.sha256(
            FORMAT + code_fingerprint(PACKAGES).encode() + commit.encode()
        ).hexdigest()
