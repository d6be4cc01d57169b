"""Derived versions kept between builds: a build reads only the commits after the last one it has.

Numbering the versions walks the whole history, commit by commit (versions.py, with incremental.py
keeping each step in proportion to what the commit changed). The state of that walk after a commit
is a pure function of the first-parent history up to that commit, which the commit's id pins, and of
the code that walks it. So a build saves the state after its newest commit, and the next build,
given the same code and a history that contains that commit, resumes from it: a merge that adds one
commit derives one commit, not the whole history again.

A checkpoint lives in the build cache's folder (`history/`) and is kept like the caches' entries
(`cache.EntryFolder`): its file name carries the sha256 of its key and content, checked when it is
read (another build's checkpoint put in its place is found damaged too); a
damaged or unreadable checkpoint is dropped and the history read from the start; the checkpoints a
build did not use are removed after it. Whoever can write the cache folder can already change what
the site publishes, so a checkpoint (a pickle) is trusted as the page cache is: keep the folder as
private as the build itself.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from generator.cache import EntryFolder, code_fingerprint
from generator.processes import unpickle

log = logging.getLogger(__name__)

FORMAT = b"policy-history-checkpoint 1"

PACKAGES = ("babel", "markdown", "markupsafe", "nh3", "pyyaml", "policy-publisher")
"""Packages whose version can change what the walk derives from the same commits."""


class Checkpoints:
    """The states of the history walk after given commits, on disk."""

    def __init__(self, directory: Path) -> None:
        self.entries = EntryFolder(
            directory / "history", "history cache", "the history is read from the start"
        )
        self._resumed: str | None = None

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
        """Keep the state after `commit` for the next build, instead of the one resumed from."""
        key = self._key(commit)
        self.entries.write(key, pickle.dumps(state, pickle.HIGHEST_PROTOCOL))
        if self._resumed is not None and self._resumed != key:
            self.entries.used.discard(self._resumed)

    def finish(self) -> int:
        """Remove every checkpoint but the one this build saved (or resumed from, if it had
        nothing to add); the number removed."""
        return self.entries.prune()

    @staticmethod
    def _key(commit: str) -> str:
        return hashlib.sha256(
            FORMAT + code_fingerprint(PACKAGES).encode() + commit.encode()
        ).hexdigest()
