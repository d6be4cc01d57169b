"""The theme's Chinese word segmentation, remembered within a build and between builds.

Material's search plugin cuts Han text into words with jieba (a dependency: see
`plugin.search_languages`), section by section of every page it indexes. That is most of what
indexing costs: every jurisdiction's Chinese and Japanese documents share most of their sections,
and from one build to the next almost every section is the same text again. Segmentation is a pure
function of the text and the dictionary, so each text is cut once per build, and the cuts of the last
build are kept in the build cache for the next (an `EntryFolder` entry, checked like the others),
keyed by the versions of jieba and of the theme and by the dictionaries the site configures.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from backrefs import bre

from generator.cache import EntryFolder, fingerprint, package_parts
from generator.processes import Forked, Send, WorkerFailed, fed, read_message, write_message

log = logging.getLogger(__name__)

FORMAT = "policy-search-words 2"


class SearchWords:
    """Segmented texts, by the sha256 of the text."""

    def __init__(self, directory: Path | None, search_config: Any) -> None:
        self.folder = directory / "search" if directory else None
        kept = self.folder is not None and self.folder.is_dir()
        self.entries = EntryFolder(self.folder, "search cache") if kept else None
        self.key = _key(search_config)
        self.known: dict[str, str] = self._load()
        """Digest -> the text as cut into words, for the texts of the last build that had Han
        characters to cut."""
        self.used: dict[str, str | None] = {}
        """Digest -> the text as cut, or None where cutting leaves it as it is."""

    def remembering(self, segment: Callable[[str], str]) -> Callable[[str], str]:
        """`segment`, asked once per text."""

        def remembered(text: str) -> str:
            digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
            if digest in self.used:
                found = self.used[digest]
            elif digest in self.known:
                found = self.used[digest] = self.known[digest]
            else:
                result = segment(text)
                found = self.used[digest] = None if result == text else result
            return text if found is None else found

        return remembered

    def save(self) -> None:
        """Keep the texts this build cut into words (only those) for the next build."""
        cut = {digest: words for digest, words in self.used.items() if words is not None}
        if self.folder is None or not (cut or self.entries):
            return
        if self.entries is None:
            self.entries = EntryFolder(self.folder, "search cache")  # the first text to keep
        if cut:
            self.entries.write_json(self.key, cut)
        self.entries.prune()

    def _load(self) -> dict[str, str]:
        known = self.entries.read_json(self.key) if self.entries else None
        if not isinstance(known, dict):
            return {}
        return {k: v for k, v in known.items() if isinstance(v, str)}


class Segmenter:
    """The theme's segmentation of Han text, done in another process: loading jieba's word list
    takes about two seconds, which that process spends while this one goes on with the build.
    Text without Han characters is handed to the theme's function here (jieba is not needed for
    it). Should the process fail, this one cuts the rest itself.

    The process starts at once if `early` (a build with much text to cut: the first one), else
    when the first Han text comes (a build whose texts were cut before: often none is new, and
    loading the word list would cost two seconds of a processor for nothing)."""

    def __init__(self, segment: Callable[[str], str], early: bool = True) -> None:
        self._segment = segment
        self._worker: Forked[None] | None = None
        self._requests = -1
        self._started = False
        if early:
            self._start()

    def __call__(self, text: str) -> str:
        if _HAN.search(text) is None:
            return self._segment(text)
        if not self._started:
            self._start()
        if self._worker is None:
            return self._segment(text)
        try:
            write_message(self._requests, text)
            return self._worker.receive()
        except (OSError, WorkerFailed) as error:
            log.warning("search index: the words of Chinese text are cut here instead (%s)", error)
            self.close()
            return self._segment(text)

    def _start(self) -> None:
        self._started = True
        self._worker, self._requests = fed(self._serve)

    def close(self) -> None:
        """End the process (it ends when it has no more text to wait for); the rest is cut here."""
        self._started = True
        worker, self._worker = self._worker, None
        if worker is not None:
            with contextlib.suppress(OSError):
                os.close(self._requests)
            worker.stop()

    def _serve(self, requests: int, send: Send) -> None:
        """In the other process: load the word list at once, then cut each text asked for."""
        self._segment("中文")
        while True:
            try:
                text = read_message(requests)
            except EOFError:
                return
            send(self._segment(text))


def naming_dictionary_cache(segment: Callable[[str], str]) -> Callable[[str], str]:
    """`segment`, which has jieba name its prepared word list by the list's content
    (`name_dictionary_cache`) before it first cuts Han text, in the process that cuts it (the list
    is read and hashed only by a build that has Han text to cut)."""
    named = False

    def cut(text: str) -> str:
        nonlocal named
        if not named and _HAN.search(text) is not None:
            name_dictionary_cache()
            named = True
        return segment(text)

    return cut


def name_dictionary_cache(dictionary: str | None = None) -> None:
    """Have jieba keep its prepared word list under a name made from the list's content.

    jieba keeps the list, prepared, in the temporary folder, the default dictionary's as
    `jieba.cache`, and loads one it finds there without asking what it was made from (a configured
    dictionary's, named by its path, when it is newer than the file): one that another jieba left
    there (another version, a fork with other words, any program on the machine) would cut the
    site's Chinese into its words, and the search index would differ from another machine's. Named
    by a fingerprint of the list and of jieba's version, only a list prepared from the same words
    is loaded. Call it after the theme has set the dictionary and before the first cut, or, when
    the theme loads jieba's words as it is configured (a user dictionary, `jieba_dict_user`),
    before that, naming the `dictionary` it will set (`jieba_dict`; None for jieba's own)."""
    try:
        import jieba
    except ImportError:  # the theme then cuts nothing
        return
    tokenizer = jieba.dt
    if dictionary is not None:
        content = Path(dictionary).read_bytes()
    else:
        with tokenizer.get_dict_file() as words:
            content = words.read()
    digest = fingerprint([("dictionary", content), *package_parts(("jieba",))])
    tokenizer.cache_file = f"policy-jieba-{digest}.cache"


_HAN = bre.compile(r"\p{script: Han}", bre.UNICODE)
"""A Han character: the theme cuts only runs of them, with jieba (and this same pattern)."""


def _key(search_config: Any) -> str:
    """The versions of the segmenter and of the theme that calls it, and the dictionaries."""
    parts = [("format", FORMAT.encode()), *package_parts(("jieba", "mkdocs-material"))]
    for option in ("jieba_dict", "jieba_dict_user"):
        path = search_config.get(option) if hasattr(search_config, "get") else None
        if path:
            dictionary = Path(path)
            content = dictionary.read_bytes() if dictionary.is_file() else b""
            parts.append((option, str(path).encode() + b"\0" + content))
    return fingerprint(parts)
