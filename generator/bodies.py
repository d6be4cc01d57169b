"""Page bodies kept between builds, keyed by everything a body is rendered from.

The page cache (cache.py) saves MkDocs' work; this saves ours. A page's body is a pure function of
the template it is rendered with, its address, its language, 'today', the site's title and the values
handed to the template; the code and templates that turn those into HTML are fingerprinted once. The
values are digested structurally (every field of every dataclass, every item of every container), so
an archived version whose document, history and neighbours did not change keeps its key from one
build to the next, and its body is read instead of rendered. A value of a kind the digest does not
know makes the page render as usual: the cache can only skip work, never change a page.

Entries are stored and checked as the page cache's are: the file name carries the sha256 of the
content, a damaged entry is dropped and the body rendered again, and the entries a build did not
use are removed after it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import logging
from pathlib import Path
from typing import Any

from markupsafe import Markup

log = logging.getLogger(__name__)

FORMAT = b"policy-body-cache 1"

_PACKAGES = ("jinja2", "markupsafe", "babel", "policy-publisher")
"""Packages whose version changes a rendered body."""


class Undigestible(TypeError):
    """A value the digest does not know how to take apart."""


class Digests:
    """Structural sha256 digests of values, each shared object digested once per build."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, bytes]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}

    def of(self, value: Any) -> bytes:
        """The digest of a value: equal values (field by field, item by item) give equal digests."""
        out: list[bytes] = []
        self._encode(value, out)
        return hashlib.sha256(b"".join(out)).digest()

    def _encode(self, value: Any, out: list[bytes]) -> None:
        """Append a value's unambiguous encoding: a tag, then a length or a digest, then bytes."""
        kind = type(value)
        if kind is str or kind is Markup:
            data = str(value).encode("utf-8", "surrogatepass")
            out.append(b"s" if kind is str else b"m")
            out.append(len(data).to_bytes(8, "big"))
            out.append(data)
        elif value is None or kind is bool or kind is int or kind is float:
            text = f"{kind.__name__}:{value!r}".encode()
            out.append(b"v" + len(text).to_bytes(2, "big") + text)
        elif kind is dt.datetime or kind is dt.date:
            text = f"{kind.__name__}:{value.isoformat()}".encode()
            out.append(b"v" + len(text).to_bytes(2, "big") + text)
        elif isinstance(value, enum.Enum):
            text = f"{kind.__module__}.{kind.__qualname__}.{value.name}".encode()
            out.append(b"e" + len(text).to_bytes(2, "big") + text)
        elif kind is tuple or kind is list:
            out.append((b"t" if kind is tuple else b"l") + len(value).to_bytes(8, "big"))
            for item in value:
                self._encode(item, out)
        elif kind is dict:
            out.append(b"d" + len(value).to_bytes(8, "big"))
            for key, item in value.items():
                self._encode(key, out)
                self._encode(item, out)
        elif kind is frozenset or kind is set:
            out.append(b"f" + len(value).to_bytes(8, "big"))
            out.extend(sorted(self.of(item) for item in value))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            out.append(b"o" + self._object(value, kind))
        else:
            raise Undigestible(f"cannot digest a {kind.__qualname__}")

    def _object(self, value: Any, kind: type) -> bytes:
        """A dataclass instance's digest, once per object: documents and versions are shared by
        many pages."""
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        names = self._fields.get(kind)
        if names is None:
            names = self._fields[kind] = tuple(f.name for f in dataclasses.fields(kind))
        out = [f"{kind.__module__}.{kind.__qualname__}".encode()]
        for name in names:
            self._encode(name, out)
            self._encode(getattr(value, name), out)
        digest = hashlib.sha256(b"".join(out)).digest()
        # Kept with the object, so its id is not reused by another object during the build.
        self._memo[id(value)] = (value, digest)
        return digest


class BodyCache:
    """Rendered page bodies on disk, by the digest of what they were rendered from."""

    def __init__(self, directory: Path, code: str) -> None:
        self.directory = directory / "bodies"
        self.directory.mkdir(parents=True, exist_ok=True)
        self.code = code
        """The fingerprint of the templates, catalogs and code that render bodies."""
        self.digests = Digests()
        self.used: set[str] = set()
        self._entries = _scan(self.directory)

    def key(self, parts: tuple[Any, ...]) -> str | None:
        """The key of a body rendered from these values; None if one cannot be digested."""
        try:
            inner = self.digests.of(parts)
        except Undigestible as reason:
            log.debug("body cache: %s; the page is rendered", reason)
            return None
        return hashlib.sha256(FORMAT + self.code.encode() + inner).hexdigest()

    def get(self, key: str) -> str | None:
        """A body rendered by an earlier build, checked against its own sha256."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        path, digest = entry
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        if data is None or hashlib.sha256(data).hexdigest() != digest:
            log.warning("body cache: %s is damaged; the page is rendered again", path.name)
            path.unlink(missing_ok=True)
            del self._entries[key]
            return None
        self.used.add(key)
        return data.decode("utf-8")

    def put(self, key: str, body: str) -> None:
        """Keep a body for the next build."""
        from generator.cache import _write_atomically

        data = body.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        self.used.add(key)
        target = self.directory / key[:2] / f"{key}.{digest}"
        target.parent.mkdir(exist_ok=True)
        _write_atomically(target, data)
        self._entries[key] = (target, digest)

    def finish(self) -> int:
        """Remove the bodies no page of this build used; the number removed."""
        removed = 0
        for key, (path, _) in sorted(_scan(self.directory).items()):
            if key not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def code_fingerprint(templates: Path, locales: Path, package: Path) -> str:
    """The fingerprint of what turns values into bodies: templates, interface catalogs, the
    package's code, and the versions of the libraries it renders with."""
    from generator.cache import fingerprint, package_parts, tree_parts

    parts = [
        *tree_parts(templates, "templates"),
        *tree_parts(locales, "locales"),
        *[(f"code/{p.name}", p.read_bytes()) for p in sorted(package.glob("*.py"))],
        *package_parts(_PACKAGES),
    ]
    return fingerprint(parts)


def _scan(directory: Path) -> dict[str, tuple[Path, str]]:
    entries: dict[str, tuple[Path, str]] = {}
    for folder in sorted(directory.iterdir()) if directory.is_dir() else ():
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            key, _, digest = path.name.partition(".")
            if len(key) == 64 and len(digest) == 64 and key not in entries:
                entries[key] = (path, digest)
    return entries
