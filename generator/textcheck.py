"""What editors' and translators' text may contain, checked before the sanitizer has to act.

`markup.to_html` sanitizes whatever reaches it, so nothing here is needed for safety; these rules
exist so that an editor learns at `policy check` time, with a file and a line, that a link, a tag
or an image would be dropped from the published page instead of finding it silently gone.
"""

from __future__ import annotations

import html
import re

from markdown.inlinepatterns import AUTOLINK_RE, AUTOMAIL_RE, HTML_RE

from generator.markup import MAX_BRACKETS, MAX_NESTING, URL_SCHEMES, markdown_nesting

_RAW_HTML = re.compile(
    rf"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>|!--|![A-Za-z\[]|\?)|{HTML_RE}"
)
"""A tag (`<b>`, `<svg/onload=...>`), a comment, a declaration or a processing instruction; or
what Python-Markdown reads as HTML (its own pattern), whatever the tag's name is made of:
`<numéro client>`, `<Kunden-Nr.>`, `<nom_client>`, which the page would drop."""

_AUTOLINK = re.compile(f"{AUTOLINK_RE}|{AUTOMAIL_RE}")
"""An address between angle brackets, which Python-Markdown makes a link before it looks for
HTML (`<https://shop.example>`, `<privacy@shop.example>`)."""


def _raw_html(text: str, link: int | None = None) -> re.Match[str] | None:
    """The first raw HTML in Markdown text, if any; not the `<` before the address `link`
    starts at, which the link check reports (`<javascript:...>`, a link meant, and HTML to
    Python-Markdown, which makes links only of addresses with `://`)."""
    return next(
        (
            m
            for m in _RAW_HTML.finditer(text)
            if not _AUTOLINK.match(text, m.start()) and m.start() + 1 != link
        ),
        None,
    )


_LINK_TARGETS = (
    re.compile(r"\]\(\s*<?([^)\s>]*)"),
    re.compile(r"<([^<>\s]+)>"),
    re.compile(r"(?:^|\s)\[[^\]]+\]:\s*<?(\S*)"),
)
"""Where Markdown takes an address from: `[text](url)`, `<url>`, and `[ref]: url` definitions."""

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]")
"""Browsers drop tabs, newlines and spaces inside a scheme (`java\tscript:`), so we do too."""

_IMAGE = re.compile(r"!\[[^\]]*\]\s*[(\[]")


def link_scheme(url: str) -> str | None:
    """The scheme a browser would see in an address, entities decoded (`&#106;avascript`)."""
    clean = _IGNORED_IN_URLS.sub("", html.unescape(url)).lower()
    match = _SCHEME.match(clean)
    return match.group(1) if match else None


def unsafe_scheme(text: str) -> str | None:
    """The first link scheme in Markdown text that is not https, http or mailto."""
    found = _unsafe_link(text)
    return found[0] if found else None


def _unsafe_link(text: str) -> tuple[str, int] | None:
    """The first link in Markdown text whose scheme is not https, http or mailto: its scheme,
    and where the address begins."""
    for pattern in _LINK_TARGETS:
        for match in pattern.finditer(text):
            scheme = link_scheme(match.group(1))
            if scheme is not None and scheme not in URL_SCHEMES:
                return scheme, match.start(1)
    return None


def body_problems(text: str, where: str = "clause text") -> list[tuple[str, str, int]]:
    """(code, message, where in the text) for each rule a block of clause text (or a
    translation of one: `where`) breaks; 0 for the text as a whole."""
    problems = []
    link = _unsafe_link(text)
    if link is not None:
        problems.append(("markdown.unsafe-link", unsafe_link_message(link[0]), link[1]))
    if tag := _raw_html(text, link[1] if link is not None else None):
        problems.append(
            (
                "markdown.html",
                f"raw HTML is not allowed in {where}. Use Markdown instead.",
                tag.start(),
            )
        )
    if image := _IMAGE.search(text):
        problems.append(
            (
                "markdown.image",
                f"images are not allowed in {where}. Remove the image (![...](...)).",
                image.start(),
            )
        )
    brackets = text.count("[") + text.count("<")
    if brackets > MAX_BRACKETS:
        problems.append(
            (
                "markdown.too-complex",
                f"the paragraph has {brackets} '[' and '<' characters, over the limit of "
                f"{MAX_BRACKETS}; it would take too long to render. Split it into shorter "
                "paragraphs.",
                0,
            )
        )
    depth = markdown_nesting(text)
    if depth is None or depth > MAX_NESTING:
        problems.append(
            (
                "markdown.too-complex",
                (
                    "the paragraph nests more elements inside one another (emphasis, quotes or "
                    "lists) than can be read"
                    if depth is None
                    else f"the paragraph nests {depth} elements inside one another (emphasis, "
                    "quotes or lists)"
                )
                + f", over the limit of {MAX_NESTING}; it would take too long to publish. "
                "Simplify its formatting.",
                0,
            )
        )
    return problems


def unsafe_link_message(scheme: str, *, from_variable: bool = False) -> str:
    """The message for a link to a scheme that is not allowed."""
    if from_variable:
        return (
            "links may only point to https:, http: or mailto: addresses, but a variable here "
            f"makes a '{scheme}:' link. Correct the variable's value in policies/site.yml."
        )
    return (
        f"links may only point to https:, http: or mailto: addresses, not '{scheme}:'. "
        "Remove the link or point it to a web page."
    )


_MARKDOWN_IN_TEXT = re.compile(
    r"\[[^\]\n]+\]\([^)\s]+\)"  # a link: [words](address)
    r"|(\*\*|__)[^*_\s](?:[^\n]*?[^*_\s])?\1"  # strong: **words**, __words__
    r"|(?<![*\w])\*[^*\s](?:[^*\n]*[^*\s])?\*(?![*\w])"  # emphasis: *words*
    r"|`[^`\n]+`"  # code: `words`
)
"""Markdown an editor may write out of habit in a value shown as plain text: a pair of marks
around words, or a link; a lone `*` (a footnote's mark) is none."""


def plain_text_markdown(value: str, key: str) -> tuple[str, str] | None:
    """(code, message) if a value shown as plain text (a title, a name, a summary) holds
    Markdown, which would be shown as written: `**also**` on the change log, a link's brackets
    and address."""
    found = _MARKDOWN_IN_TEXT.search(value)
    if found is None:
        return None
    return (
        "text.markdown",
        f"'{key}' is plain text: Markdown is not read in it, and the page would show "
        f"'{found.group()}' as written. Write the words alone.",
    )


def plain_text_problem(value: str, key: str) -> tuple[str, str] | None:
    """(code, message) if a value shown as plain text (a title, a name) contains HTML."""
    if _raw_html(value):
        return (
            "text.html",
            f"'{key}' is plain text and cannot contain HTML tags. Remove the tags.",
        )
    return None
