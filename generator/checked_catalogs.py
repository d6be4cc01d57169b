"""Each catalog's check, kept between builds: a build reads and checks only changed catalogs.

`policy build` checks the newest commit before it publishes it (check.py). On a site of many
languages most of that check is the catalogs: 0.25 of the 0.27 CPU-seconds W-large's check took,
its 11 catalogs parsed with Babel and every message's text, variables and links checked, in a
process that runs beside the two that sort the pages, on two processors. What a catalog's check
finds, and the lookup table made of the catalog, depend on the file's path, its bytes and its
language, and on the code that reads them; not on the clauses, which the rest of the check
compares the catalogs with. So both are kept in the build cache (`catalogs/`) under a key of those,
and the next build takes them instead of reading the catalog again.

Entries are kept as the cache's others are (`cache.EntryFolder`): sealed and checked when read,
written atomically; a damaged or unreadable one is dropped, and the catalog read and checked again.
Like the history's checkpoints (checkpoints.py), they are pickles, trusted as the rest of the
cache folder is.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Callable
from pathlib import Path

from generator.cache import EntryFolder, code_fingerprint
from generator.catalogs import Translations
from generator.errors import Problems
from generator.processes import unpickle

log = logging.getLogger(__name__)

FORMAT = b"policy-catalog-check 1"

PACKAGES = ("babel", "markdown", "nh3", "policy-publisher")
"""Packages whose version can change what reading and checking a catalog finds."""


class CheckedCatalogs:
    """What checking each catalog found, and its lookup table, by its path, bytes and language."""

    def __init__(self, directory: Path) -> None:
        self.entries = EntryFolder(
            directory / "catalogs", "catalog cache", "the catalog is checked again"
        )
        self._code = code_fingerprint(PACKAGES)

    def check(
        self,
        path: str,
        data: bytes,
        language: str,
        problems: Problems,
        check: Callable[[Problems], Translations | None],
    ) -> Translations | None:
        """`check(problems)`, which reads and checks the catalog at `path` (its bytes: `data`),
        or what it found the last time it was given the same: its problems added to
        `problems`, its result returned."""
        key = self._key(path, data, language)
        found = self.entries.read(key)
        if found is not None:
            try:
                kept, translations = unpickle(found[1])
            except Exception as error:  # noqa: BLE001 - any unreadable entry is a miss
                log.warning("catalog cache: %s cannot be read (%s); the catalog is checked again",
                            found[0].name, error)  # fmt: skip
                self.entries.drop(key)
            else:
                problems.extend(kept)
                return translations
        own = Problems()
        translations = check(own)
        problems.extend(own)
        self.entries.write(key, pickle.dumps((list(own), translations), pickle.HIGHEST_PROTOCOL))
        return translations

    def finish(self) -> int:
        """Remove the entries no catalog of this check was; the number removed."""
        return self.entries.prune()

    def _key(self, path: str, data: bytes, language: str) -> str:
        head = f"{self._code}\0{path}\0{language}\0".encode()
        return hashlib.sha256(FORMAT + b"\0" + head + data).hexdigest()
