"""Markdown to safe HTML, and HTML to plain text.

All clause text, translated or not, passes through `to_html`, which sanitizes with nh3 whatever the
Markdown produced: editors' and translators' text can never put script or styles into a page.
"""

from __future__ import annotations

import html
import re
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

_BETWEEN_TAGS = re.compile(r">\s+<")
_MD = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")


@lru_cache(maxsize=65536)
def to_html(text: str) -> str:
    """Sanitized HTML for Markdown text, with insignificant white space removed."""
    if text.count("[") + text.count("<") > _MAX_BRACKETS_RENDERED:
        text = text.replace("[", "&#91;").replace("<", "&lt;")
    _MD.reset()
    rendered = _MD.convert(text)
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


@lru_cache(maxsize=65536)
def to_text(text: str) -> str:
    """The plain text a reader sees for Markdown text."""
    parser = _TextParser()
    parser.feed(to_html(text))
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def escape(text: str) -> str:
    """Text safe to put between HTML tags."""
    return html.escape(text, quote=True)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ARG002
        if tag in {"p", "li", "br", "h3", "h4", "h5", "h6"}:
            self.parts.append(" ")
