"""Page bodies kept between builds, keyed by everything a body is rendered from.

The page cache (cache.py) saves MkDocs' work; this saves ours. A page's body is a pure function of
the template it is rendered with, its address, its language, 'today', the site's title and the values
handed to the template; the code and templates that turn those into HTML are fingerprinted once. The
values are digested structurally (every field of every dataclass, every item of every container), so
an archived version whose document, history and neighbours did not change keeps its key from one
build to the next, and its body is read instead of rendered. A value of a kind the digest does not
know makes the page render as usual: the cache can only skip work, never change a page.

Entries are stored and checked as the page cache's are, but for their names: the file name carries
the sha256 of the body alone, which keys its framed page unread (see `BodyCache.find`), and the
file begins with a line naming its key, so that a body moved under another key is found damaged
too; a damaged entry is dropped and the body rendered again, and the entries a build did not use
are removed after it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import hashlib
import logging
from collections.abc import Callable, Iterable
from itertools import chain
from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.cache import EntryFolder, TemplateCode, code_fingerprint, write_atomically

log = logging.getLogger(__name__)

FORMAT = b"policy-body-cache 2"

_PACKAGES = ("jinja2", "markupsafe", "babel", "policy-publisher")
"""Packages whose version changes a rendered body."""

_CODE_FILE = "code"
"""Beside the entries: the fingerprint of the code that rendered them."""

PARTS = {
    "sections": ("clauses", "the policy's sections"),
    "changes": ("changes", "the change logs' entries"),
}
"""The kinds of parts kept of pages rendered again whole (see `KeptParts`): each kind's folder,
and what is rendered again when that folder cannot be read."""


class Undigestible(TypeError):
    """A value the digest does not know how to take apart."""


class Digests:
    """Structural sha256 digests of values, each shared object digested once per build."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, str]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}

    def of(self, value: Any) -> bytes:
        """The digest of a value: equal values (field by field, item by item) give equal digests."""
        out: list[str] = []
        self._encode(value, out)
        return hashlib.sha256("".join(out).encode("utf-8", "surrogatepass")).digest()

    def _encode(self, value: Any, out: list[str]) -> None:
        """Append a value's unambiguous encoding: a tag, a length (or a digest, or a value that
        ends at ';'), then the text. Strings are the commonest values, shared objects next."""
        kind = type(value)
        if kind is str:
            out.append(f"s{len(value)}:")
            out.append(value)
            return
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            out.append(known[1])
        elif kind is Markup:
            out.append(f"m{len(value)}:")
            out.append(str(value))
        elif value is None or kind is bool or kind is int or kind is float:
            out.append(f"v{kind.__name__}:{value!r};")
        elif kind is dt.datetime or kind is dt.date:
            out.append(f"v{kind.__name__}:{value.isoformat()};")
        elif isinstance(value, enum.Enum):
            out.append(f"e{kind.__module__}.{kind.__qualname__}.{value.name};")
        elif kind is tuple or kind is list:
            out.append(f"{'t' if kind is tuple else 'l'}{len(value)};")
            self._encode_each(value, out)
        elif kind is dict:
            out.append(f"d{len(value)};")
            self._encode_each(chain.from_iterable(value.items()), out)
        elif kind is frozenset or kind is set:
            out.append(f"f{len(value)};")
            out.extend(sorted(self.of(item).hex() for item in value))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            out.append(self._object(value, kind))
        else:
            raise Undigestible(f"cannot digest a {kind.__qualname__}")

    def _encode_each(self, values: Iterable[Any], out: list[str]) -> None:
        """`_encode` each value in turn, the commonest of them here, without a call each: a
        warm W-large build digests some 650,000 values, most of them strings, `None` and
        objects digested before (a page's sections)."""
        memo = self._memo
        for value in values:
            kind = type(value)
            if kind is str:
                out.append(f"s{len(value)}:")
                out.append(value)
            elif value is None:
                out.append("vNoneType:None;")
            else:
                known = memo.get(id(value))
                if known is not None and known[0] is value:
                    out.append(known[1])
                else:
                    self._encode(value, out)

    def of_object(self, value: Any) -> str:
        """A dataclass instance's digest, as it is encoded in the values that hold it."""
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        return self._object(value, type(value))

    def _object(self, value: Any, kind: type) -> str:
        """A dataclass instance's digest ('o' and 64 hex digits), once per object: documents and
        versions are shared by many pages."""
        names = self._fields.get(kind)
        if names is None:
            names = self._fields[kind] = tuple(f.name for f in dataclasses.fields(kind))
        out = [f"{kind.__module__}.{kind.__qualname__};"]
        # Each field's name (encoded as a string), then its value.
        self._encode_each([part for name in names for part in (name, getattr(value, name))], out)
        digest = "o" + hashlib.sha256("".join(out).encode("utf-8", "surrogatepass")).hexdigest()
        # Kept with the object, so its id is not reused by another object during the build.
        self._memo[id(value)] = (value, digest)
        return digest


class BodyCache:
    """Rendered page bodies on disk, by the digest of what they were rendered from."""

    def __init__(self, directory: Path) -> None:
        self.entries = EntryFolder(directory / "bodies", "body cache", sealed=False, named=True)
        self.parts = {
            kind: EntryFolder(directory / folder, "body cache", f"{what} are rendered again")
            for kind, (folder, what) in PARTS.items()
        }
        """The parts of pages rendered again whole, by kind (see `KeptParts`)."""
        # One set of keys used for every folder: the processes that sort pages tell the build
        # which entries they used as one (see `used`), and keys never collide.
        for folder in self.parts.values():
            folder.used = self.entries.used
        self.code = code_fingerprint(_PACKAGES)
        """The fingerprint of the templates, catalogs and code that render bodies."""
        self.digests = Digests()
        self._marker = directory / "bodies" / _CODE_FILE
        try:
            kept_by = self._marker.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            kept_by = None
        self.current = kept_by == self.code
        """Whether the bodies kept were rendered by this very code, so that a body missing from
        them is one whose content is new (not merely rendered by other code)."""
        self._names = EntryFolder(
            directory / "template-names", "body cache", "the templates are read again"
        )
        self._names_key = hashlib.sha256(self.code.encode()).hexdigest()
        self.templates = TemplateCode(directory, self.code, "body-templates")
        """The templates' compiled code (see `templating.load_templates`)."""
        self.names = _template_names(self._names.read_json(self._names_key))
        """The names each template reads from its context, as this code's templates have them."""
        self.learned: dict[str, frozenset[str] | None] = {}
        """The templates whose names this process told, not known when the build started."""

    @property
    def empty(self) -> bool:
        """Whether it holds no body at all (a first build): no key can find one."""
        return len(self.entries) == 0

    @property
    def used(self) -> set[str]:
        """The keys of the bodies this build used."""
        return self.entries.used

    def key(self, parts: tuple[Any, ...]) -> str | None:
        """The key of a body rendered from these values; None if one cannot be digested."""
        try:
            inner = self.digests.of(parts)
        except Undigestible as reason:
            log.debug("body cache: %s; the page is rendered", reason)
            return None
        return hashlib.sha256(FORMAT + self.code.encode() + inner).hexdigest()

    def names_read(
        self, template: str, tell: Callable[[str], frozenset[str] | None]
    ) -> frozenset[str] | None:
        """The names `template` reads from its context (None: it cannot be told), as `tell`
        tells them, kept from one build to the next: telling them parses the templates, a fifth
        of a second in each process that sorts pages."""
        if template not in self.names:
            self.names[template] = self.learned[template] = tell(template)
        return self.names[template]

    def learn(self, names: dict[str, frozenset[str] | None]) -> None:
        """Names told by another process (one that sorted pages), to keep for the next build."""
        for template, read in names.items():
            if template not in self.names:
                self.names[template] = self.learned[template] = read

    def find(self, key: str) -> str | None:
        """The sha256 of the body an earlier build rendered under `key`, if the cache has one;
        the body itself is read (and checked) only if it is needed (see `Body`)."""
        digest = self.entries.digest(key)
        if digest is not None:
            self.entries.used.add(key)
        return digest

    def get(self, key: str) -> str | None:
        """A body rendered by an earlier build, checked against its own sha256."""
        found = self.entries.read(key)
        return None if found is None else found[1].decode("utf-8")

    def put(self, key: str, body: str) -> None:
        """Keep a body for the next build."""
        self.entries.write(key, body.encode("utf-8"))

    def kept_parts(self, kind: str, document: str, language: str) -> KeptParts:
        """The parts of `kind` (see `PARTS`) that the page of `document` (its folder, `eu/de/`)
        showed in the build before, to show again those that did not change."""
        return KeptParts(self, kind, self._parts_key(kind, document, language))

    def keep_parts(self, kind: str, document: str, language: str) -> None:
        """Keep the parts of a page whose body is reused (they are not read)."""
        self.entries.used.add(self._parts_key(kind, document, language))

    def _parts_key(self, kind: str, document: str, language: str) -> str:
        parts = [FORMAT, kind.encode(), self.code.encode(), document.encode(), language.encode()]
        return hashlib.sha256(b"\0".join(parts)).hexdigest()

    def finish(self) -> int:
        """Remove the bodies no page of this build used, and note which code rendered those
        kept; the number removed."""
        if self.learned:
            self._names.write_json(
                self._names_key,
                {t: sorted(read) if read is not None else None for t, read in self.names.items()},
            )
        self._names.prune()
        self.templates.finish()
        removed = self.entries.prune() + sum(folder.prune() for folder in self.parts.values())
        with contextlib.suppress(OSError):  # without the note, the next build renders up front
            write_atomically(self._marker, self.code.encode("ascii"))
        return removed


class KeptParts:
    """The parts of one page, of one kind (see `PARTS`), as the last build rendered them (kept
    in the kind's folder, sealed and checked as the cache's entries are).

    A few pages are rendered again whole after most commits: a policy in force whenever one of
    its clauses changes or its translation starts to lag, a change log whenever its document has
    a new version or its lag notice changes. After a commit that changes one clause, W-large's
    96 policies in force and their 5,700 clause sections, and its 96 change logs and their 2,700
    entries. Most of those parts read the same as before: a clause section reads only its clause,
    its last change, the ids it had, its history's anchor, the link to its document's folder and
    its language (`pages._Renderer._clause_section`); a change log's entry only its version, where
    that version stands, the same link and its language (`pages._Renderer._change_entry`). Tests
    check what each part's template reads. Each part is kept under the digest of the object it
    is rendered from and that link, and the next build takes those whose digest is the same
    instead of rendering them. The entry holds the parts the page showed, written again when
    they differ."""

    def __init__(self, cache: BodyCache, kind: str, key: str) -> None:
        self._digests, self._folder, self._key = cache.digests, cache.parts[kind], key
        stored = self._folder.read_json(key)
        known = stored if stored is not None else {}
        valid = isinstance(known, dict) and all(type(v) is str for v in known.values())
        self._known: dict[str, str] = known if valid else {}
        self._shown: dict[str, str] = {}

    def find(self, part: Any, up: str) -> Markup | None:
        """The part as the build before rendered it at `up`, if it did."""
        name = self._name(part, up)
        html = self._known.get(name) if name is not None else None
        return None if html is None else Markup(html)

    def keep(self, part: Any, up: str, html: str) -> None:
        """A part the page shows."""
        name = self._name(part, up)
        if name is not None:
            self._shown[name] = str(html)

    def save(self) -> None:
        """Keep the parts the page showed for the next build."""
        if self._shown != self._known:
            self._folder.write_json(self._key, self._shown)

    def _name(self, part: Any, up: str) -> str | None:
        try:
            return f"{up}\0{self._digests.of_object(part)}"
        except Undigestible:  # then it is rendered, as a page whose values cannot be digested
            return None


def _template_names(stored: Any) -> dict[str, frozenset[str] | None]:
    """The names templates read, as `finish` kept them; none if they are not in that form."""
    if not isinstance(stored, dict):
        return {}
    names: dict[str, frozenset[str] | None] = {}
    for template, read in stored.items():
        if read is None:
            names[template] = None
        elif isinstance(read, list) and all(isinstance(name, str) for name in read):
            names[template] = frozenset(read)
        else:
            return {}
    return names
