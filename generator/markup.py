"""Markdown to safe HTML, and HTML to the blocks and plain text a reader sees.

All clause text, translated or not, passes through `to_html`, which sanitizes with nh3 whatever the
Markdown produced: editors' and translators' text can never put script or styles into a page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "code",
    "br",
    "blockquote",
    "span",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}
URL_SCHEMES = {"http", "https", "mailto"}

MAX_BRACKETS = 100
"""More '[' and '<' than this in one paragraph is refused by `policy check`: Python-Markdown's
link and autolink patterns take time quadratic in their number (4,000 take seconds)."""

_MAX_BRACKETS_RENDERED = 10 * MAX_BRACKETS
"""Text that reaches `to_html` with more than this (a translation no check has seen) has its
brackets escaped, so it renders as text instead of stalling the build."""

MAX_ESCAPES = 5000
"""More backslashes and `&` (escapes and entities) than this in one paragraph is refused by
`policy check` in the commit being published: Python-Markdown takes time quadratic in their
number (10,000 in a paragraph take a tenth to a third of a second, 200,000 ten seconds, a file
of them minutes). A cookie table, one paragraph, may hold a few hundred."""

_MAX_ESCAPES_RENDERED = 10 * MAX_ESCAPES
"""A text with a paragraph that has more than this (a translation or a commit no check has seen)
is shown as its plain text, so it renders instead of stalling the build."""

MAX_NESTING = 40
"""More elements inside one another than this in one paragraph (emphasis, quotes, and list
markers on one line: `- - x`, though a clause's lists do not nest otherwise, each item being a
block of its own) is refused by `policy check`: the theme's search indexing takes time
quadratic in the depth (40,000 `*` on each side of a word nest 20,000
`<strong>` and take half a minute; 400,000, an hour)."""

_MAX_NESTING_RENDERED = 10 * MAX_NESTING
"""Text that renders deeper than this (a translation or a commit no check has seen) is shown as
its plain text, so it renders as text instead of stalling the build."""

_NESTING_MARKS = ("*", "_", ">", "[", "<", "`")
_LIST_MARKS = re.compile(r"(?<!\S)(?:[-+*]|\d{1,9}\.)(?=[ \t])")
"""List markers, which nest on one line too (`- - - x` is three lists deep): two levels each.
Counted wherever they stand, for a bound: counting only those a line begins with
(`_LEADING_MARKERS`) is exact but slower, and this runs for every text a check reads."""

_MARK_AND_SPACE = ("- ", "* ", "+ ", ". ", "\t")
"""What follows every list marker: their counts bound the markers a text can have."""

_LEADING_MARKERS = re.compile(r"^(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])))+", re.M)
"""The quotes' `>` and list markers a line begins with, one inside the other (`> - 1. x`)."""

_MARKER = re.compile(r">|[-+*](?=[ \t]|$)|\d{1,9}[.)]")

_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)")


def may_nest_deeper(text: str, depth: int) -> bool:
    """Whether Markdown text could render more than `depth` elements deep (`nesting`): every
    level takes one of the marks (emphasis, quotes, links, code), or a line (a list item, its
    list and paragraph); a cheap test, so that only such text is rendered to be measured."""
    bound = 3 * (text.count("\n") + 2) + sum(text.count(mark) for mark in _NESTING_MARKS)
    if bound <= depth and bound + 2 * sum(map(text.count, _MARK_AND_SPACE)) > depth:
        bound += 2 * len(_LIST_MARKS.findall(text))
    return bound > depth


def nesting(fragment: str) -> int:
    """How many elements deep sanitized HTML (whose tags are all closed, and whose only element
    without content is `br`) goes at its deepest."""
    depth = deepest = 0
    for closing, tag in _TAG.findall(fragment):
        if tag in _VOID:
            continue
        depth += -1 if closing else 1
        deepest = max(deepest, depth)
    return deepest


_BETWEEN_TAGS = re.compile(r">\s+<")


def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")


_MD = _markdown()


@lru_cache(maxsize=65536)
def to_html(text: str) -> str:
    """Sanitized HTML for Markdown text, with insignificant white space removed; once per text
    (each jurisdiction composes the same clauses)."""
    if escapes(text) > _MAX_ESCAPES_RENDERED and any(
        escapes(paragraph) > _MAX_ESCAPES_RENDERED for paragraph in text.split("\n\n")
    ):
        return _as_text(text)
    if may_nest_deeper(text, MAX_NESTING) and _deepest_line(text) > MAX_NESTING:
        # Python-Markdown parses each of them one call deeper: past a few hundred, whether it
        # fails would depend on how deep the call to it is, and the page on that.
        return _as_text(text)
    try:
        clean = _rendered(text)
    except RecursionError:  # deeper than Python-Markdown can parse
        return _as_text(text)
    if may_nest_deeper(text, _MAX_NESTING_RENDERED) and nesting(clean) > _MAX_NESTING_RENDERED:
        return _as_text(text)
    return clean


def _deepest_line(text: str) -> int:
    """The most quotes and list markers a line of the text begins with, one inside the other."""
    return max(
        (len(_MARKER.findall(m.group())) for m in _LEADING_MARKERS.finditer(text)), default=0
    )


def escapes(text: str) -> int:
    """How many escapes and entities a text may hold, at the most (`MAX_ESCAPES`)."""
    return text.count("\\") + text.count("&")


def _as_text(text: str) -> str:
    """Markdown text that would take too long to publish as such (nested too deep, or too
    many escapes), published as its plain text."""
    return "".join(f"<p>{html.escape(part)}</p>" for part in text.split("\n\n"))


def markdown_nesting(text: str) -> int | None:
    """How many elements deep Markdown text renders (0 when it cannot go over `MAX_NESTING`);
    None when it is deeper than Python-Markdown can parse."""
    if not may_nest_deeper(text, MAX_NESTING):
        return 0
    try:
        return nesting(_rendered(text))
    except RecursionError:
        return None


@lru_cache(maxsize=65536)
def _rendered(text: str) -> str:
    if text.count("[") + text.count("<") > _MAX_BRACKETS_RENDERED:
        text = text.replace("[", "&#91;").replace("<", "&lt;")
    global _MD  # noqa: PLW0603 - replaced when a text leaves it broken
    _MD.reset()
    try:
        rendered = _MD.convert(text)
    except RecursionError:
        # Left in the middle of a document (its block parser's state still inside the lists it
        # had entered), the converter would read every later text wrongly: a new one for them.
        _MD = _markdown()
        raise
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _BETWEEN_TAGS.sub("><", clean).strip()


def sanitize(fragment: str) -> str:
    """A fragment of HTML from elsewhere (a summary, a commit subject) made safe."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def escape(text: str) -> str:
    """Text safe to put between HTML tags."""
    return html.escape(text, quote=True)


@dataclass(frozen=True)
class ShownBlock:
    """A block of a clause as a reader sees it: a paragraph, a list item or a sub-heading."""

    prefix: str
    """How the block is marked: `- ` or `3. ` (its number as shown) for a list item, `### ` for a
    sub-heading, empty for anything else."""
    key: str
    """The prefix and the block's inner HTML: two blocks show the same exactly when it is equal."""
    text: str
    """Its plain text, white space folded."""
    links: tuple[tuple[str, str], ...] = ()
    """Its links, in order: each one's plain text and where it leads (its `href`), which its
    plain text does not show."""


@lru_cache(maxsize=65536)
def shown_blocks(fragment: str) -> tuple[ShownBlock, ...]:
    """The blocks of a clause's HTML, as the compare page's script (`blocksOf` in policy.js) reads
    them from the same HTML: each child of the top, and each item of a list at the top."""
    reader = _BlockReader(fragment)
    reader.feed(fragment)
    reader.close()
    return tuple(reader.blocks)


_SPACES = re.compile(r"\s+")
_BREAKS = {"p", "li", "br", "h3", "h4", "h5", "h6", "tr", "th", "td"}
"""Elements whose start separates words, as a reader sees them (`plainText` in policy.js)."""
_VOID = {"br"}
_HEADING = re.compile(r"h([3-6])")


def _folded(parts: list[str]) -> str:
    """Text as a reader sees it: white space folded to single spaces, none at either end."""
    return _SPACES.sub(" ", "".join(parts)).strip(" ")


class _BlockReader(HTMLParser):
    """Collects `ShownBlock`s; positions come from the parser, so each key is the block's own
    inner HTML as written."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.fragment = fragment
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", fragment)]
        self.blocks: list[ShownBlock] = []
        self.depth = 0
        self.list: tuple[str, int] | None = None
        """The list at the top being read: its tag and the number of its next item."""
        self.block: tuple[str, int, int] | None = None
        """The block being read: its prefix, where its inner HTML starts, and its depth."""
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []
        """The links of the block being read."""
        self.link: tuple[str, int] | None = None
        """The link being read: its `href`, and where its text starts in `parts`."""

    def _position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        inner = self._position() + len(self.get_starttag_text() or "")
        if self.block is not None and tag in _BREAKS:
            self.parts.append(" ")
        if self.block is not None and tag == "a":
            self.link = (dict(attrs).get("href") or "", len(self.parts))
        if self.depth == 0 and tag in ("ul", "ol"):
            start = dict(attrs).get("start") or "1"
            self.list = (tag, int(start) if start.isdigit() else 1)
        elif self.block is None and (self.depth == 0 or (self.depth == 1 and self.list)):
            prefix = self._prefix(tag)
            if tag in _VOID:  # a block with nothing inside, such as a <br> between paragraphs
                self.blocks.append(ShownBlock(prefix=prefix, key=prefix, text=""))
                return
            self.block = (prefix, inner, self.depth)
            self.parts = [" "] if tag in _BREAKS else []
            self.links = []
        if tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth -= 1
        if tag == "a" and self.link is not None:
            href, start = self.link
            self.links.append((_folded(self.parts[start:]), href))
            self.link = None
        if self.block is not None and self.depth == self.block[2]:
            prefix, inner, _ = self.block
            html_inside = self.fragment[inner : self._position()]
            self.blocks.append(
                ShownBlock(
                    prefix=prefix,
                    key=prefix + html_inside,
                    text=_folded(self.parts),
                    links=tuple(self.links),
                )
            )
            self.block = None
        elif self.depth == 0:
            self.list = None

    def handle_data(self, data: str) -> None:
        if self.block is not None:
            self.parts.append(data)

    def _prefix(self, tag: str) -> str:
        if self.list is not None:
            kind, number = self.list
            if kind == "ul":
                return "- "
            self.list = (kind, number + 1)
            return f"{number}. "
        heading = _HEADING.fullmatch(tag)
        return "#" * int(heading.group(1)) + " " if heading else ""
