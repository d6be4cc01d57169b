"""The theme's search index parses each clause of a policy in force once, not at every build.

Material's search plugin reads every page it indexes with its own HTML parser (a subclass of
Python's `HTMLParser`), which divides the page into sections at its headings. That costs about
40 microseconds a tag, 30 ms for a policy of 50 clauses, and a build indexes every policy in
force even when one clause of it changed. A clause is a `<section class="policy-clause">` of our
template (templates/_clause.html): its sections come out of the parser the same whatever comes
before it, as long as the parser is between elements, with no open tag and nothing pending. So
the sections each clause gives are kept between builds, by the sha256 of the clause's HTML, and
handed to the parser instead of parsing the clause again.

A clause's sections are taken from a parser that read it alone, after a title, and they are only
used when that parse shows they do not depend on what came before: the clause closed every tag it
opened, added nothing to the section before it, and gave control back to that section. The
page's parser must then be in a state that parse stood for (see `_at_rest`); anything else, and
the clause is parsed as usual. The parse does not depend on the build, only on the theme's parser
and Python's, whose versions key the kept sections (an `EntryFolder` entry, checked like the
others).
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.cache import EntryFolder, fingerprint, package_parts

FORMAT = "policy-search-sections 2"

_CLAUSE = re.compile(r'<section class="policy-clause"')
"""Where a clause of templates/_clause.html begins; it ends at the first `</section>` after."""
_END = "</section>"
_TITLE = '<h1 id="_">_</h1>'
"""What a clause is parsed after when it is parsed alone: a top-level section, as on our pages."""

Record = tuple[str, dict[str, Any], float, str | None, list[str], list[str]]
"""A section as the theme's parser left it: its heading's tag and attributes, depth, id, title
and text."""


class SearchSections:
    """The sections each clause gives the theme's search parser, by the sha256 of its HTML."""

    def __init__(self, directory: Path, theme: ModuleType) -> None:
        self.theme = theme
        """The theme's search plugin module: its `Parser`, and the `Section` and `Element` it
        makes."""
        self.parser: type = theme.Parser
        self.entries = EntryFolder(directory / "sections", "search cache")
        self.key = fingerprint(
            [
                ("format", FORMAT.encode()),
                *package_parts(("mkdocs-material",)),
                ("python", sys.version.encode()),  # html.parser is Python's
            ]
        )
        self.known: dict[str, list[Record] | None] = self._load()
        self.used: dict[str, list[Record] | None] = {}
        """Digest -> the clause's sections, or None where they depend on what precedes it."""
        self._skip = set(self.parser().skip)

    def indexing(self, add_entry: Callable[[Any], None]) -> Callable[[Any], None]:
        """The search index's `add_entry_from_context`, whose parser takes each clause's
        sections from here (the theme's module names the parser it makes only while it runs)."""
        theme, base, ours = self.theme, self.parser, self._parser_class()

        def add(page: Any) -> None:
            theme.Parser = ours
            try:
                add_entry(page)
            finally:
                theme.Parser = base

        return add

    def _parser_class(self) -> type:
        """The theme's parser, taking each clause's sections from here."""
        sections = self

        class ClauseParser(self.parser):  # type: ignore[misc, name-defined]
            def feed(self, data: str) -> None:
                sections.feed(self, data, super().feed)

        return ClauseParser

    def feed(self, parser: Any, data: str, feed: Callable[[str], None]) -> None:
        """Feed `data` to `parser` (whose own `feed` is `feed`), taking the clauses' sections from
        here where they can be."""
        position = 0
        for match in _CLAUSE.finditer(data):
            start = match.start()
            if start < position:
                continue  # inside the clause before
            end = data.find(_END, start)
            if end < 0:
                break
            end += len(_END)
            feed(data[position:start])
            records = self._records(data[start:end]) if self._at_rest(parser) else None
            if records is None:
                feed(data[start:end])
            else:
                parser.data.extend(self._section(record) for record in records)
            position = end
        feed(data[position:])

    def save(self) -> None:
        """Keep the clauses this build indexed (only those) for the next build."""
        self.entries.write_json(self.key, self.used)
        self.entries.prune()

    def _records(self, clause: str) -> list[Record] | None:
        digest = hashlib.sha256(clause.encode("utf-8", "surrogatepass")).hexdigest()
        if digest in self.used:
            return self.used[digest]
        records = self.known[digest] if digest in self.known else self._parse(clause)
        self.used[digest] = records
        return records

    def _parse(self, clause: str) -> list[Record] | None:
        """The sections of a clause read alone after a title; None unless the clause closed
        every tag it opened, left nothing pending and never added to the title's section or
        handed it over (see the module's docstring)."""
        parser = self.parser()
        parser.feed(_TITLE)
        before = parser.section
        before.title, before.text = _Watched(before.title), _Watched(before.text)
        try:
            parser.feed(clause)
        except Exception:  # noqa: BLE001
            # The theme's parser can fail on a clause alone that it reads in its page (it looks
            # for a tag it opened in whichever section it is in): read it in the page, then.
            return None
        if (
            parser.section is not before
            or before.title.touched
            or before.text.touched
            or not self._resting(parser)
        ):
            return None
        return [_record(section) for section in parser.data[1:]]

    def _at_rest(self, parser: Any) -> bool:
        """Whether the parser is in a state a clause read alone after a title stands for:
        between elements, nothing pending, the section it is in at a depth of at most one
        and every section after it closed (so that it is the one the clause's end returns to)."""
        section = getattr(parser, "section", None)
        data = getattr(parser, "data", None)
        if section is None or not data or section.depth > 1 or not self._resting(parser):
            return False
        for later in reversed(data):
            if later is section:
                return True
            if later.depth != float("inf"):
                return False
        return False

    def _resting(self, parser: Any) -> bool:
        return (
            parser.rawdata == ""
            and parser.cdata_elem is None
            and not parser.context
            and all(type(tag) is str for tag in parser.skip)
            and parser.skip == self._skip
        )

    def _section(self, record: Record) -> Any:
        """A new section made from a record (a section's title is set when it is indexed, if
        empty: sections are not shared)."""
        tag, attrs, depth, identifier, title, text = record
        section = self.theme.Section(self.theme.Element(tag, dict(attrs)), depth)
        section.id, section.title, section.text = identifier, list(title), list(text)
        return section

    def _load(self) -> dict[str, list[Record] | None]:
        known = self.entries.read_json(self.key)
        return known if isinstance(known, dict) else {}


class _Watched(list):
    """A section's title or text that notes whether anything was added to it."""

    touched = False

    def append(self, item: Any) -> None:
        self.touched = True
        super().append(item)


def _record(section: Any) -> Record:
    return (
        section.el.tag,
        dict(section.el.attrs),
        section.depth,
        section.id,
        list(section.title),
        list(section.text),
    )
