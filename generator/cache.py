"""The page cache: a page rendered by a previous build is reused when nothing it depends on changed.

Published versions never change, so most of a site's pages come out of a build exactly as the
previous build framed them. Each framed page is stored under a key: the sha256 of the page as the
pipeline rendered it (its HTML, title, address, language, table of contents, alternates, feed) and
of a fingerprint of everything else that shapes the framed output (mkdocs.yml, the theme overrides,
our assets, the navigation, the versions of MkDocs, Material and this package). A page whose key is
in the cache is not handed to MkDocs at all; its stored HTML is written as it is.

The cache never changes the output: an entry's file name carries a digest of its key and content
(its seal, see `EntryFolder.seal`), which is checked when it is read, and an entry that does not
match (damaged, or moved under another key) is dropped and its page rendered again.
Entries are written atomically, so a build that stops half way leaves no torn entry behind. After a
build, the entries it did not use are removed, so the cache holds one site's pages.

Pages MkDocs must render are spooled to disk between the moment they are rendered and the moment
MkDocs frames them: a long history has thousands of archived pages, too many to hold in memory.
When no framed page in the cache can be one of the bodies still to render (a first build, or one
whose body cache this very code wrote), the processes that render the pages first tell MkDocs what
every page is (title, table of contents) and then render those bodies in the order MkDocs frames
them, so that rendering and framing overlap instead of following each other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

import xxhash
from jinja2.bccache import Bucket, BytecodeCache

from generator.pages import Body, Page, SiteFile
from generator.processes import (
    BACKGROUND,
    Forked,
    Send,
    WorkerFailed,
    can_fork,
    fed,
    read_message,
    running,
    umask,
    write_message,
)

log = logging.getLogger(__name__)


FORMAT = "policy-page-cache 1"
"""Part of every key: a change to how entries are made makes every old entry unused."""

PACKAGES = ("mkdocs", "mkdocs-material", "jinja2", "markupsafe", "policy-publisher")
"""Packages whose version changes the framed pages."""

_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# The page cache of `policy build`.\n"
"""CACHEDIR.TAG (bford.org/cachedir): backup tools skip the folder."""

_STALE_SECONDS = 24 * 3600
"""Scratch folders of builds that stopped without cleaning up are removed after a day."""

SCRATCH = ".policy-build-"
"""The prefix of a build's scratch folder in the cache folder. The cache folder is the user's
choice (`--cache-dir`), so stale ones are found by a name no other tool's folder has."""


def fingerprint(parts: Iterable[tuple[str, bytes]]) -> str:
    """sha256 of named parts (file contents, settings), in a stable order."""
    digest = hashlib.sha256(FORMAT.encode())
    for name, data in sorted(parts):
        digest.update(len(name).to_bytes(8, "big") + name.encode())
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def tree_parts(root: Path, label: str) -> list[tuple[str, bytes]]:
    """Every file under a folder (see `tree_files`), as fingerprint parts named
    `label/relative/path`."""
    return [(f"{label}/{name}", path.read_bytes()) for name, path in tree_files(root)[0]]


def tree_files(root: Path) -> tuple[list[tuple[str, Path]], list[Path]]:
    """Every file under a folder, by its path from there, sorted; and the real folders walked. A
    linked folder is followed, as Jinja's loader follows it to a theme override (`rglob` did
    not: an edit of an override in a linked folder kept the old frames), each real folder once;
    `__pycache__` folders are left out."""
    if not root.is_dir():
        return [], []
    files, seen = [], {}
    for folder, subfolders, names in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen or "__pycache__" in Path(folder).parts:
            subfolders.clear()
            continue
        seen[real] = None
        subfolders.sort()
        for name in names:
            path = Path(folder, name)
            if path.is_file():
                files.append((path.relative_to(root).as_posix(), path))
    return sorted(files), [Path(real) for real in seen]


def package_parts(names: Iterable[str] = PACKAGES) -> list[tuple[str, bytes]]:
    """The installed versions of packages (by default those that shape the framed pages)."""
    parts = []
    for name in names:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "missing"
        parts.append((f"package/{name}", version.encode()))
    return parts


@lru_cache(maxsize=8)
def code_fingerprint(packages: tuple[str, ...]) -> str:
    """The fingerprint of this package's files (code, templates, catalogs, theme), of the installed
    versions of `packages` and of the Python that runs them: what turns the same inputs into the
    same bodies (bodies.py) or history states (checkpoints.py)."""
    return fingerprint(
        [
            *tree_parts(Path(__file__).parent, "package"),
            *package_parts(packages),
            ("python", sys.version.encode()),
        ]
    )


UNKEYED = frozenset({"modified"})
"""The fields of a page its cache key leaves out: its date is in no framed page, only in the
sitemaps, written from this build's pages, and it can change when nothing the page shows
does (a version taking effect dates every page about the whole document, the comparison page
too, which shows no version's standing: see `DocumentHistory.changed_on`)."""


def page_key(page: Page, site_fingerprint: str, body_digest: str) -> str:
    """The cache key of a page: everything of it that reaches the framed output (its body by
    the body's sha256), every field but those `UNKEYED`."""
    meta = json.dumps(
        {
            "url": page.url,
            "title": page.title,
            "title_html": page.title_html,
            "language": page.language,
            "toc": page.toc,
            "alternates": page.alternates,  # in the sitemaps, not framed; keyed as every field is
            "feed": page.feed,
            "searchable": page.searchable,
            "site_name": page.site_name,
            "site_name_language": page.site_name_language,
            "navigation": page.navigation,
        },
        ensure_ascii=False,
        sort_keys=True,
    ).encode()
    digest = hashlib.sha256(site_fingerprint.encode() + b"\0" + meta + b"\0")
    digest.update(body_digest.encode())
    return digest.hexdigest()


class EntryFolder:
    """Files named `<key>.<seal>` in two-character subfolders (see `seal`): each entry is
    checked against its seal when read, written atomically, and removed after a build that did
    not use it. Every part of the build cache keeps its entries so (framed pages and
    published files here, bodies in bodies.py, the search index's words and clauses in
    search_words.py and search_sections.py)."""

    def __init__(
        self,
        folder: Path,
        label: str,
        remedy: str = "the page is rendered again",
        sealed: bool = True,
        named: bool = False,
    ) -> None:
        self.folder = folder
        self.label = label
        """What the warnings call the cache ("page cache")."""
        self.sealed = sealed
        """Whether the seal in an entry's name is taken over its key and its content (see
        `seal`), not the sha256 of its content alone: an entry moved under another key (a cache
        restored or copied file by file, another build's checkpoint put in place of this one's)
        is then found damaged, where its content alone passes its own check. Only the bodies'
        folder is not sealed: a body's name must give its content's sha256 unread, which keys
        its framed page (see `BodyCache.find`); it is `named` instead."""
        self.named = named
        """Whether each entry's file begins with a line naming its key, checked when it is read
        (the content is what follows): what binds an entry to its key in a folder not `sealed`
        whose entries are never linked into the site (bodies)."""
        self.remedy = remedy
        """What the warning about a damaged entry says happens instead."""
        self.used: set[str] = set()
        """Keys read or written by this build (or, for `PageStore`, by its worker processes)."""
        self._entries, self._outdated = _scan(folder, len(self.seal("", b"")))
        self.unwritable: str | None = None
        """Why an entry could not be written (a full or read-only volume), once one could not."""
        self.unremovable: str | None = None
        """Why an entry could not be removed (a read-only folder), once one could not."""
        self.reports = True
        """Whether that is logged here; the process that keeps framed pages hands it to the
        build instead (see `_Keeper`), so that the build's log says it once."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # a file in its place, a read-only cache folder
            self.cannot_write("it is a file" if folder.is_file() else str(error.strerror or error))

    def __len__(self) -> int:
        return len(self._entries)

    def read(self, key: str) -> tuple[Path, bytes] | None:
        """The entry's file and content, if it is there and undamaged; a damaged one is removed."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        name, digest = entry
        try:
            # Unbuffered: a buffered read copies the content once more. Reading and checking the
            # 2,700 framed pages (180 MB) each process of a warm W-large build reuses takes 0.30
            # CPU-seconds buffered, 0.23 unbuffered.
            with open(name, "rb", buffering=0) as file:
                data = file.readall()
        except OSError:
            data = None
        path = Path(name)
        if data is not None and self.named:
            named, _, data = data.partition(b"\n")
            data = data if named == key.encode() else None
        if data is None or self.seal(key, data) != digest:
            log.warning("%s: %s is damaged; %s", self.label, path.name, self.remedy)
            self.drop(key)
            return None
        self.used.add(key)
        return path, data

    def read_json(self, key: str) -> Any:
        """The entry's content as JSON, if it is there, undamaged and readable; else None."""
        found = self.read(key)
        if found is None:
            return None
        try:
            return json.loads(found[1])
        except ValueError as error:
            log.warning("%s: %s cannot be read (%s)", self.label, found[0].name, error)
            return None

    def write_json(self, key: str, value: Any) -> None:
        """Keep `value` under `key` as JSON (read back by `read_json`)."""
        self.write(key, json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    def seal(self, key: str, data: bytes) -> str:
        """What an entry's name carries after its key: when the folder is `sealed`, the 128-bit
        XXH3 of its key and content, else the sha256 of its content.

        A seal finds an entry damaged or moved; it is no defence against whoever can write the
        cache, who can write a matching name as well. XXH3 does that at memory speed, where
        sha256 took 0.1 CPU-seconds for each process that reads back the 180 MB of framed pages
        a warm W-large build reuses (with the processor's SHA instructions)."""
        if self.sealed:
            return xxhash.xxh3_128_hexdigest(key.encode() + b"\0" + data)
        return hashlib.sha256(data).hexdigest()

    def digest(self, key: str) -> str | None:
        """The seal in an entry's name (unread: the sha256 of its content, in a folder not
        `sealed`), if there is one."""
        entry = self._entries.get(key)
        return entry[1] if entry else None

    def write(self, key: str, data: bytes, same: Path | None = None) -> None:
        """Keep `data` under `key` (linked from the file `same`, which holds the same bytes, when
        the file system allows)."""
        digest = self.seal(key, data)
        self.used.add(key)
        known = self._entries.get(key)
        # Present unless another process of this build dropped it (found damaged): the content
        # is rendered again then, and is written again here.
        if known is not None and known[1] == digest and os.path.isfile(known[0]):
            return
        if known is not None:
            self.drop(key)
        target = self.folder / key[:2] / f"{key}.{digest}"
        try:
            target.parent.mkdir(exist_ok=True)
            if self.named:
                write_atomically(target, key.encode() + b"\n" + data)
            else:
                write_atomically(target, data, same)
        except OSError as error:
            self.cannot_write(str(error.strerror or error))
            return
        self._entries[key] = (str(target), digest)

    def cannot_write(self, reason: str) -> None:
        """An entry could not be written: the cache only saves work, so the build goes on without
        keeping it, and says so once."""
        if self.unwritable is None and self.reports:
            log.warning("%s: cannot write to %s (%s); entries are not kept", self.label,
                        self.folder, reason)  # fmt: skip
        self.unwritable = self.unwritable or reason

    def cannot_remove(self, reason: str) -> None:
        """An entry could not be removed (unused, or damaged): the cache only saves work, so the
        build goes on and leaves it there, and says so once."""
        if self.unremovable is None and self.reports:
            log.warning("%s: cannot remove entries from %s (%s); they are left there (delete the "
                        "folder to clear it)", self.label, self.folder, reason)  # fmt: skip
        self.unremovable = self.unremovable or reason

    def entries(self, keys: Iterable[str]) -> dict[str, tuple[str, str]]:
        """The entries this folder has under `keys`: (file, the seal its name carries)."""
        return {key: self._entries[key] for key in keys if key in self._entries}

    def learn(self, entries: dict[str, tuple[str, str]], unwritable: str | None = None) -> None:
        """Know entries another process of this build wrote (see `entries`), as used, and why
        it could not write others."""
        self._entries.update(entries)
        self.used.update(entries)
        if unwritable is not None:
            self.cannot_write(unwritable)

    def prune(self) -> int:
        """Remove every entry this build did not use (of those on disk when it began, and those
        it wrote), and those sealed otherwise; the number removed. Entries another build wrote
        meanwhile are its own."""
        unused = sorted(key for key in self._entries if key not in self.used)
        for key in unused:
            self.drop(key)
        outdated, self._outdated = self._outdated, []
        for name in outdated:
            try:
                _remove(name)
            except OSError as error:
                self.cannot_remove(str(error.strerror or error))
        return len(unused) + len(outdated)

    def drop(self, key: str) -> None:
        """Forget an entry and remove its file (or a folder in its place); one that cannot be
        removed is left there (see `cannot_remove`)."""
        entry = self._entries.pop(key, None)
        if entry is not None:
            try:
                _remove(entry[0])
            except OSError as error:
                self.cannot_remove(str(error.strerror or error))


def _remove(name: str) -> None:
    """Remove a file, or a folder where a file should be (a damaged entry); one that is gone
    already is no error."""
    try:
        os.unlink(name)
    except FileNotFoundError:
        return
    except OSError:
        if not os.path.isdir(name) or os.path.islink(name):
            raise
        shutil.rmtree(name)


def _scan(folder: Path, sealed: int) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """The entries on disk: key -> (file, the seal its name carries, see `EntryFolder.seal`),
    and the files of entries sealed otherwise (`sealed`: the length of this folder's seals),
    which an older version of this code wrote: they are never read, and `prune` removes them.
    Names, not `Path` objects: a warm W-large build has some 14,000 entries, and making a `Path`
    of each took a tenth of a second before it could start."""
    entries: dict[str, tuple[str, str]] = {}
    outdated: list[str] = []
    try:
        subfolders = sorted(os.listdir(folder))
    except OSError:  # not there (yet), or not a folder
        return entries, outdated
    for subfolder in subfolders:
        inside = os.path.join(folder, subfolder)
        try:
            names = sorted(os.listdir(inside))
        except OSError:  # a file, not a subfolder
            continue
        for name in names:
            key, _, digest = name.partition(".")
            if len(key) == 64 and len(digest) == sealed and key not in entries:
                entries[key] = (os.path.join(inside, name), digest)
            elif len(key) == 64 and len(digest) in _SEALS and _hexadecimal(key + digest):
                outdated.append(os.path.join(inside, name))
            elif _left_by_a_stopped_process(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(inside, name))
    return entries, outdated


_SEALS = (32, 64)
"""The lengths of the seals entries were ever written with: XXH3-128, and sha256 (before
2026-11-29, in every folder)."""


def _hexadecimal(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


def _left_by_a_stopped_process(name: str) -> bool:
    """Whether a file is one `write_atomically` began in a process that has stopped (an
    interrupted build) and so never renamed: nothing else would ever remove it."""
    if not name.startswith(_TEMPORARY):
        return False
    pid = name[len(_TEMPORARY) :].partition("-")[0]
    return pid.isdigit() and int(pid) != os.getpid() and not running(int(pid))


def _linked(path: str | Path, target: Path) -> bool:
    """Link a kept file at `target`; whether it was (not across file systems, and only with the
    mode a file written now gets: a link keeps the mode of the build that wrote the file, and a
    cache filled under umask 077 would give the site files that a web server running as another
    user cannot read)."""
    try:
        if os.stat(path).st_mode & 0o777 != 0o666 & ~_umask():
            return False
        os.link(path, target)
    except OSError:
        return False
    return True


@lru_cache(maxsize=1)
def _umask() -> int:
    return umask()  # once: reading it means setting it


class PageCache:
    """Framed pages on disk, by key (see `page_key`), with this build's scratch folder."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.entries = EntryFolder(directory / "pages", "page cache")
        tag = directory / "CACHEDIR.TAG"
        if not tag.exists():
            with contextlib.suppress(OSError):  # only a courtesy to backup tools
                write_atomically(tag, _TAG.encode())
        _remove_stale_scratch(directory)
        self.scratch, self._lock = _locked_scratch(directory)
        """This build's own folder: pinned copies of the entries it reuses, and its spool."""
        self._pinned = 0

    @property
    def empty(self) -> bool:
        """Whether it holds no framed page at all: no page of this build can be reused."""
        return len(self.entries) == 0

    def take(self, key: str) -> Path | None:
        """A verified copy of the entry for `key`, pinned for this build; None on a miss.

        The copy is a hard link when the file system allows it, so reusing a page costs no copy,
        and another build pruning the cache meanwhile cannot take it away."""
        found = self.entries.read(key)
        if found is None:
            return None
        path, data = found
        self._pinned += 1
        pinned = self.scratch / f"reused-{os.getpid()}-{self._pinned}"
        if not _linked(path, pinned):
            pinned.write_bytes(data)
        return pinned

    def used(self, key: str) -> None:
        """Count an entry as used (taken in another process), so `finish` keeps it."""
        self.entries.used.add(key)

    def store(self, key: str, written: Path) -> None:
        """Keep a framed page as the build wrote it."""
        self.entries.write(key, written.read_bytes(), written)

    def finish(self) -> int:
        """Remove the entries this build did not use; the number removed."""
        return self.entries.prune()

    def close(self) -> None:
        """Remove this build's scratch folder."""
        shutil.rmtree(self.scratch, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.close(self._lock)


class FileCache:
    """Published files whose content is known by its sha256 before it is made (a version's
    document.json, whose sha256 is the version's hash), by that sha256: such a file is the same
    in every build that publishes it, so it is linked into the site rather than made and written
    again."""

    def __init__(self, directory: Path) -> None:
        self.entries = EntryFolder(directory / "files", "file cache", "the file is made again")

    def write(self, site_file: SiteFile, target: Path) -> str | None:
        """Write `site_file` at `target`, from the cache when it holds the file; the key it is
        kept under, if it is."""
        key = site_file.digest
        if key is None:
            target.write_bytes(site_file.content)
            return None
        found = self.entries.read(key)
        if found is None:
            data = site_file.content
            target.write_bytes(data)
            self.entries.write(key, data, same=target)
            return key
        path, data = found
        if not _linked(path, target):
            write_atomically(target, data)
        return key

    def finish(self, used: Iterable[str]) -> int:
        """Remove the entries no file of this build was (`used`: the keys, from whichever process
        wrote the files); the number removed."""
        self.entries.used.update(used)
        return self.entries.prune()


class TemplateCode(BytecodeCache):
    """Templates as Jinja compiled them, kept between builds: MkDocs compiles some forty of the
    theme's at every build, about half a second (folder `templates`), and each process that
    renders bodies compiled ours, a fifth of a second (`body-templates`, see
    `templating.load_templates`). Entries are checked like the others, and keyed by a fingerprint of
    what compiled them (for the theme's, the site's: the versions of MkDocs, Material and Jinja,
    mkdocs.yml, the theme overrides; for ours, the code's) as well as by each template's name and
    source, since compiled code also depends on the environment that compiled it; Jinja checks
    its own version stamp and the source's checksum in the entry too."""

    def __init__(self, directory: Path, fingerprint: str, folder: str = "templates") -> None:
        self.entries = EntryFolder(
            directory / folder, "template cache", "the template is compiled again"
        )
        self._fingerprint = fingerprint

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.entries.read(self._key(bucket))
        if found is not None:
            bucket.bytecode_from_string(found[1])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.entries.write(self._key(bucket), bucket.bytecode_to_string())

    def finish(self) -> int:
        """Remove the templates this build did not load; the number removed."""
        return self.entries.prune()

    def _key(self, bucket: Bucket) -> str:
        name = f"{self._fingerprint}\0{bucket.key}\0{bucket.checksum}"
        return hashlib.sha256(name.encode()).hexdigest()


@dataclass(frozen=True, kw_only=True)
class Pending:
    """A page MkDocs renders: the page without its HTML, which waits in a spool file (or is still
    being rendered by the process that writes that spool)."""

    page: Page
    key: str | None
    """Its cache key, when the framed page may be stored."""
    spool: int
    offset: int
    length: int
    ready: bool = True
    """False until its body is in the spool (see `PageStore.body`)."""


_Sorted = tuple[Page, str | None, Path | None, int, int]
"""A page sorted: (page without HTML, key, pinned cache entry or None, spool offset, length); the
offset is `_LATER` for a page whose body is rendered after all the pages are sorted."""

_LATER = -1


class PageStore:
    """Sorts a site's pages into those reused from the cache and those MkDocs must render."""

    def __init__(
        self,
        cache: PageCache | None,
        site_fingerprint: str,
        hand: Callable[[Page, str], str] | None = None,
    ) -> None:
        self.cache = cache
        self.fingerprint = site_fingerprint
        self.hand = hand
        """What MkDocs is handed of a page's body, if not the body itself: done where the body
        is rendered (in the processes that sort pages, while MkDocs frames others)."""
        self._own_scratch = cache is None
        scratch = cache.scratch if cache else Path(tempfile.mkdtemp(prefix="policy-build-"))
        self.scratch = scratch
        self._spools = [(scratch / "spool-0").open("w+b")]
        self.pending: dict[str, Pending] = {}
        """Pages MkDocs renders, by their source path."""
        self.reused: list[tuple[str, Path]] = []
        """(address, pinned entry) of the pages written from the cache."""
        self.urls: list[str] = []
        """Every page's address, in the site's order."""
        self.alternates: dict[str, tuple[tuple[str, str], ...]] = {}
        """The languages of each page that has several, by its address (`Page.alternates`)."""
        self.modified: dict[str, dt.date] = {}
        """The day each page last changed, by its address (`Page.modified`)."""
        self._workers: dict[int, Forked[list[str]]] = {}
        """The processes that sorted the pages, by the spool they write; they may still be
        rendering bodies."""
        self._bodies: Any = None
        self._keeper: _Keeper | None = None

    def add(self, page: Page, cacheable: bool) -> None:
        """Reuse the page's framed HTML if the cache has it, else spool it for MkDocs."""
        self._keep(self._sort(page, cacheable, self._spools[0]), 0)

    def add_all(
        self,
        pages: Callable[[int, int], Iterator[Page]],
        cacheable: Callable[[Page], bool],
        documents: dict[str, int],
        jobs: int = 1,
        bodies: Any = None,
        meanwhile: Callable[[], None] | None = None,
    ) -> int:
        """Sort every page (rendering those it must); the number of pages.

        `pages(part, parts)` gives one of `parts` shares of the pages (see `pages.iter_pages`);
        `documents` gives each document's place in the site by its address (`eu/de`). With `jobs`
        above 1, that many forked processes sort the shares at once, and their pages are put
        back in the site's order: the chooser, then document by document. When no framed page
        can be reused (a first build, or one without a cache), the processes sort every page
        first and then render the bodies not yet rendered, in the site's order, while MkDocs
        frames the pages before them: `body` waits for each. The body cache the pages are
        rendered with (`bodies`) learns which bodies the processes used (see `settle`).
        `meanwhile` runs in this process while they work (before sorting, with one job); if it
        raises, the work is abandoned.
        """
        if jobs <= 1 or not can_fork():
            if meanwhile is not None:
                meanwhile()
            count = 0
            for page in pages(0, 1):
                self.add(page, cacheable(page))
                count += 1
            return count
        later = self.renders_while_framing(jobs, bodies)
        self._bodies = bodies
        self._workers = {
            part: Forked(
                partial(self._sort_share, pages(part - 1, jobs), cacheable, documents, part, later),
                # Rendering ahead of MkDocs yields to it; sorting before it starts does not.
                nice=BACKGROUND if later else 0,
            )
            for part in range(1, jobs + 1)
        }
        try:
            if meanwhile is not None:
                meanwhile()
            shares = [worker.receive() for worker in self._workers.values()]
        except BaseException:
            self._stop()
            raise
        for part in self._workers:
            self._spools.append((self.scratch / f"spool-{part}").open("rb"))
        merged = sorted(
            (place, part, index, record)
            for part, share in enumerate(shares, start=1)
            for index, (place, record) in enumerate(share)
        )
        for _, part, _, record in merged:
            if record[2] is not None and self.cache is not None and record[1] is not None:
                self.cache.used(record[1])
            self._keep(record, part)
        return len(merged)

    def renders_while_framing(self, jobs: int, bodies: Any = None) -> bool:
        """Whether `add_all` leaves the bodies the body cache (`bodies`) does not have to render
        while MkDocs frames the pages: with several processes, when no framed page the cache has
        can be one of theirs. That is so when it has none, and when the bodies kept were
        rendered by this code (a body they lack has new content, so its framed page is new too);
        after the code changed, every body is rendered first, and unchanged pages are reused."""
        if jobs <= 1 or not can_fork():
            return False
        return self.cache is None or self.cache.empty or bool(bodies is not None and bodies.current)

    def body(self, src_uri: str) -> str:
        """The HTML of a page MkDocs renders, read back from its spool (once the process that
        renders it has put it there)."""
        pending = self._ready(src_uri)
        spool = self._spools[pending.spool]
        spool.flush()  # the newest pages may still be in the file object's buffer
        return os.pread(spool.fileno(), pending.length, pending.offset).decode("utf-8")

    def settle(self) -> None:
        """Wait for the processes that sort and render pages to finish: every body spooled, every
        key known, and the body cache told which bodies they used and what their templates
        read."""
        for src_uri in list(self.pending):
            self._ready(src_uri)
        workers, self._workers = self._workers, {}
        for worker in workers.values():
            used, names = worker.result()
            if self._bodies is not None:
                self._bodies.used.update(used)
                self._bodies.learn(names)

    def framed(self, src_uri: str, site_dir: str) -> None:
        """MkDocs framed this page, and writes it into `site_dir` once this event returns: another
        process keeps the pages framed before it (written by now) in the cache while MkDocs goes
        on, rather than this one keeping them all once MkDocs is done (see `_Keeper`)."""
        pending = self.pending.get(src_uri)
        if self.cache is None or pending is None or pending.key is None:
            return
        if self._keeper is None and can_fork():
            self._keeper = _Keeper(self.cache, Path(site_dir))
        if self._keeper is not None:
            self._keeper.add(pending.key, pending.page.url)

    def keep_rendered(self, site_dir: Path) -> int:
        """Store the pages MkDocs rendered, as it wrote them, for the next build (those another
        process has not kept meanwhile); the number kept."""
        self.settle()
        if self.cache is None:
            return 0
        keeper, self._keeper = self._keeper, None
        handled, kept = keeper.finish() if keeper is not None else (set(), 0)
        for pending in self.pending.values():
            written = site_dir / pending.page.url / "index.html"
            if pending.key is not None and pending.key not in handled and written.is_file():
                self.cache.store(pending.key, written)
                kept += 1
        return kept

    def write_reused(self, site_dir: Path, folders: set[str] | None = None) -> int:
        """Put the reused pages into the site; the number written. `folders`: those known to
        exist, and those this makes."""
        folders = set() if folders is None else folders
        for url, pinned in self.reused:
            folder = os.path.join(site_dir, url)
            make_folder(folder, folders)
            target = os.path.join(folder, "index.html")
            try:
                os.replace(pinned, target)
            except OSError:  # another file system: copy
                shutil.copyfile(pinned, target)
        return len(self.reused)

    def close(self) -> None:
        """Stop the processes still rendering, forget the spools (and the scratch folder when no
        cache owns it)."""
        self._stop()
        for spool in self._spools:
            with contextlib.suppress(OSError):
                spool.close()
        if self._own_scratch:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def _stop(self) -> None:
        workers, self._workers = self._workers, {}
        for worker in workers.values():
            worker.stop()
        keeper, self._keeper = self._keeper, None
        if keeper is not None:
            keeper.stop()

    def _ready(self, src_uri: str) -> Pending:
        """The page, once its body is in the spool: the bodies the process that renders it
        announces are taken in turn until it is."""
        pending = self.pending[src_uri]
        while not pending.ready:
            announced, offset, length, key = self._workers[pending.spool].receive()
            self.pending[announced] = replace(
                self.pending[announced], key=key, offset=offset, length=length, ready=True
            )
            pending = self.pending[src_uri]
        return pending

    def _key(self, page: Page, cacheable: bool, digest: str) -> str | None:
        """The page's cache key, if its framed HTML may be kept (`digest`: its body's sha256)."""
        return page_key(page, self.fingerprint, digest) if cacheable and self.cache else None

    def _sort(self, page: Page, cacheable: bool, spool: BinaryIO, later: bool = False) -> _Sorted:
        html: str | Body = page.html
        if isinstance(html, Body) and html.digest is None:
            if later:  # see `_sort_share`
                return (replace(page, html=""), None, None, _LATER, 0)
            html = html.text()
        body = html.encode("utf-8") if isinstance(html, str) else None
        digest = hashlib.sha256(body).hexdigest() if body is not None else html.digest
        key = self._key(page, cacheable, digest)  # type: ignore[arg-type]
        pinned = self.cache.take(key) if key and self.cache else None
        if pinned is not None:
            return (replace(page, html=""), key, pinned, 0, 0)
        handed = self._handed(page, html if isinstance(html, str) else html.text(), body)
        return (replace(page, html=""), key, None, _spool(spool, handed), len(handed))

    def _handed(self, page: Page, text: str, body: bytes | None = None) -> bytes:
        """The bytes MkDocs is handed for a page whose body is `text` (`body`: it encoded, if
        at hand)."""
        handed = self.hand(page, text) if self.hand is not None else text
        return body if body is not None and handed is text else handed.encode("utf-8")

    def _sort_share(
        self,
        pages: Iterator[Page],
        cacheable: Callable[[Page], bool],
        documents: dict[str, int],
        part: int,
        later: bool,
        send: Send,
    ) -> tuple[list[str], dict[str, frozenset[str] | None]]:
        """In a forked process: one share of the pages sorted, each with its document's place
        (the chooser's is -1), sent as one message. With `later`, the bodies not yet rendered
        are rendered after that, in order, each sent as (source path, offset, length, key) once
        it is in the spool. The result: the keys of the bodies the share used, and the names
        of templates the body cache learned (see `BodyCache.names_read`)."""
        records: list[tuple[int, _Sorted]] = []
        unrendered: deque[Page] = deque()
        with (self.scratch / f"spool-{part}").open("wb") as spool:
            for page in pages:
                place = documents.get("/".join(page.url.split("/")[:2]), -1) if page.url else -1
                record = self._sort(page, cacheable(page), spool, later)
                records.append((place, record))
                if record[3] == _LATER:
                    unrendered.append(page)
            spool.flush()
            send(records)
            del records
            while unrendered:
                page = unrendered.popleft()  # its rendering context is let go once it is done
                text = page.html.text()  # type: ignore[union-attr]
                body = text.encode("utf-8")
                key = self._key(page, cacheable(page), hashlib.sha256(body).hexdigest())
                handed = self._handed(page, text, body)
                offset = _spool(spool, handed)
                spool.flush()
                send((page.src_uri, offset, len(handed), key))
        if self._bodies is None:
            return [], {}
        return sorted(self._bodies.used), self._bodies.learned

    def _keep(self, record: _Sorted, spool: int) -> None:
        page, key, pinned, offset, length = record
        self.urls.append(page.url)
        if page.alternates:
            self.alternates[page.url] = page.alternates
        if page.modified is not None:
            self.modified[page.url] = page.modified
        if pinned is not None:
            self.reused.append((page.url, pinned))
        else:
            self.pending[page.src_uri] = Pending(
                page=page,
                key=key,
                spool=spool,
                offset=offset,
                length=length,
                ready=offset != _LATER,
            )


_Kept = tuple[dict[str, tuple[str, str]], str | None]
"""What the process that keeps framed pages made: their entries, and why others could not be."""


class _Keeper:
    """Keeps framed pages in the page cache from another process, as MkDocs writes them: reading,
    hashing and linking the 5,525 pages (370 MB) of a first W-large build took 1.5 s once MkDocs
    was done. Pages are handed over a batch at a time; should the process fail, the pages are
    kept by the build itself (`PageStore.keep_rendered`)."""

    _BATCH = 32

    def __init__(self, cache: PageCache, site_dir: Path) -> None:
        self._cache, self._site_dir = cache, site_dir
        worker, self._requests = fed(self._serve, nice=BACKGROUND)
        self._worker: Forked[_Kept] | None = worker
        # Room in the pipe for a whole site's batches, so that MkDocs never waits for the other
        # process to read one (on Linux; a system that can fork has fcntl).
        with contextlib.suppress(AttributeError, OSError):
            import fcntl

            fcntl.fcntl(self._requests, fcntl.F_SETPIPE_SZ, 1 << 20)
        self._batch: list[tuple[str, str]] = []
        self._handed: set[str] = set()
        self._last: tuple[str, str] | None = None

    def add(self, key: str, url: str) -> None:
        """A page MkDocs writes at `url` in the site once this event returns: the one before it
        is written by now, and is handed over."""
        if self._last is not None:
            self._batch.append(self._last)
        self._last = (key, url)
        if len(self._batch) >= self._BATCH:
            self._hand_over()

    def finish(self) -> tuple[set[str], int]:
        """Wait for every page handed over to be kept (the cache learns their entries): the
        keys of the pages the build need not keep itself (all, or none if the process failed),
        and how many were kept."""
        if self._last is not None:
            self._batch.append(self._last)
            self._last = None
        self._hand_over()
        with contextlib.suppress(OSError):
            write_message(self._requests, None)  # the end: processes forked since hold the pipe too
        self._close()
        worker, self._worker = self._worker, None
        try:
            outcome = worker.result() if worker is not None else None
        except (WorkerFailed, OSError) as error:
            log.warning("page cache: the framed pages are kept after the build instead (%s)", error)
            outcome = None
        if outcome is None:
            return set(), 0
        kept, unwritable = outcome
        self._cache.entries.learn(kept, unwritable)
        return self._handed, len(kept)

    def stop(self) -> None:
        """End the process now (the build failed)."""
        self._close()
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()

    def _hand_over(self) -> None:
        batch, self._batch = self._batch, []
        if batch and self._worker is not None:
            try:
                write_message(self._requests, batch)
                self._handed.update(key for key, _ in batch)
            except OSError:  # the process is gone: `finish` says why
                self._close()

    def _close(self) -> None:
        if self._requests >= 0:
            with contextlib.suppress(OSError):
                os.close(self._requests)
            self._requests = -1

    def _serve(self, requests: int, send: Send) -> _Kept:  # noqa: ARG002
        """In the other process: keep each page handed over."""
        entries = self._cache.entries
        entries.reports = False
        keys: list[str] = []
        while True:
            try:
                batch = read_message(requests)
            except EOFError:
                batch = None
            if batch is None:
                return entries.entries(keys), entries.unwritable
            for key, url in batch:
                written = self._site_dir / url / "index.html"
                if written.is_file():
                    self._cache.store(key, written)
                    keys.append(key)


def _spool(spool: BinaryIO, body: bytes) -> int:
    """Append a body to a spool file; its offset there."""
    offset = spool.seek(0, os.SEEK_END)
    spool.write(body)
    return offset


def make_folder(folder: str, made: set[str]) -> None:
    """Make a folder (and its parents) unless it is in `made`, the folders known to exist: a
    site's thousands of files share their folders. Names, not `Path` objects: making them took
    as long as making the folders and moving the 5,300 pages of a warm W-large build into them."""
    folder = os.path.normpath(folder)
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)


_TEMPORARY = ".tmp-"
"""The prefix of a file `write_atomically` writes before it takes its name, then the process id."""


def write_atomically(target: Path, data: bytes, same: Path | None = None) -> None:
    """Write `data` (which is also the content of the file `same`, if given: linked, not copied,
    when the file system allows) so that no reader ever sees a partial file."""
    temporary = target.with_name(f"{_TEMPORARY}{os.getpid()}-{target.name}")
    temporary.unlink(missing_ok=True)
    try:
        if same is None:
            raise OSError
        os.link(same, temporary)
    except OSError:
        temporary.write_bytes(data)
    os.replace(temporary, target)


_LOCK = "lock"
"""The file in a build's scratch folder that the build holds a lock on while it runs."""


_MAKING = ".policy-scratch-"
"""The prefix of a scratch folder being made: another build's sweep does not look at it until
it is locked and renamed to its `SCRATCH` name."""


def _locked_scratch(directory: Path) -> tuple[Path, int]:
    """A scratch folder for this build, and the descriptor of the lock it holds on it (as do the
    processes it forks, which share it): the kernel lets go of the lock when they have all
    ended, however they end. A process id would not do: a build in another container, or on
    another host sharing the cache, has ids this one cannot see. The folder takes its name
    once locked, so that no sweep finds it unlocked; on a file system without locks, the lock
    file is removed, and the folder is kept a day as one from an older tool."""
    making = Path(tempfile.mkdtemp(prefix=_MAKING, dir=directory))
    descriptor = os.open(making / _LOCK, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.unlink(making / _LOCK)
    scratch = directory / (SCRATCH + making.name[len(_MAKING) :])
    os.rename(making, scratch)
    return scratch, descriptor


def _abandoned(scratch: Path) -> bool:
    """Whether no build holds the scratch folder's lock any more (a build that was killed);
    False for one still held, or one with no lock yet (being made, or from an older tool)."""
    try:
        descriptor = os.open(scratch / _LOCK, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return True


def _remove_stale_scratch(directory: Path) -> None:
    now = time.time()
    for path in [*directory.glob(f"{SCRATCH}*"), *directory.glob(f"{_MAKING}*")]:
        with contextlib.suppress(OSError):
            if (path.name.startswith(SCRATCH) and _abandoned(path)) or (
                now - path.stat().st_mtime > _STALE_SECONDS
            ):
                shutil.rmtree(path, ignore_errors=True)
