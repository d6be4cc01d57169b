"""Keep the values that variables put into clause text whole in text of the other direction.

`{{ company.name }}` puts "Example Shop Ltd." into an Arabic sentence. The browser's
bidirectional algorithm then reads the final full stop as the Arabic sentence's, and shows
".Example Shop Ltd"; an address loses its house number to the end of the line, and a telephone
number's groups come out in reverse order. A value isolated in `<bdi dir="ltr">` is laid out on
its own, as one word of the sentence around it.

The isolation is added where a page shows a clause, never to the clause's text or HTML: those are
what a version's hash covers (`publication.content_hash`), and the published versions must keep
theirs. The values come with the clause (`ComposedClause.variables`), so an archived version is
isolated with the values of its own time. Pages in the direction of the values stay as they are.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from markupsafe import Markup, escape

_TAG = re.compile(r'(<(?:[^>"]|"[^"]*")*>)')
"""A tag of sanitized HTML (whose attributes are always in double quotes), kept by `split`."""

_RTL = {"R", "AL"}
_NUMBERS = {"EN", "AN"}


def isolate(fragment: str, values: Iterable[str], direction: str) -> Markup:
    """HTML `fragment` of a page written in `direction` (`ltr` or `rtl`), with each value that
    reads the other way isolated wherever its text shows (not inside a tag's attributes)."""
    pattern = _pattern(tuple(sorted(v for v in set(values) if _needs_isolating(v, direction))))
    if pattern is None:
        return Markup(fragment)
    parts = _TAG.split(fragment)
    for index in range(0, len(parts), 2):  # the text between tags
        text = html.unescape(parts[index])
        if pattern.search(text):
            parts[index] = _isolated(text, pattern)
    return Markup("".join(parts))


def isolated_values(values: Iterable[str], direction: str) -> list[tuple[str, str]]:
    """(value, its direction) of each value that a page written in `direction` isolates, for the
    comparison page's script, which draws its redlines in the browser (`isolate` in policy.js)."""
    return [
        (v, _direction(v) or "ltr") for v in sorted(set(values)) if _needs_isolating(v, direction)
    ]


def isolate_text(text: str, values: Iterable[str], direction: str) -> Markup:
    """Plain `text` (a title, a part of a redline) escaped, its values isolated as by `isolate`."""
    return isolate(str(escape(text)), values, direction)


def _isolated(text: str, pattern: re.Pattern[str]) -> str:
    out: list[str] = []
    end = 0
    for found in pattern.finditer(text):
        value = found.group()
        out.append(html.escape(text[end : found.start()], quote=False))
        out.append(
            f'<bdi dir="{_direction(value) or "ltr"}">{html.escape(value, quote=False)}</bdi>'
        )
        end = found.end()
    out.append(html.escape(text[end:], quote=False))
    return "".join(out)


@lru_cache(maxsize=4096)
def _needs_isolating(value: str, direction: str) -> bool:
    """Whether a value can be laid out wrongly in text of `direction`: on a right-to-left page,
    anything with letters or digits that does not itself begin right to left (digits alone
    included: "+44 20 7946 0000" would show its groups in reverse order); on a left-to-right
    page, a value that begins right to left."""
    first = _direction(value)
    if direction == "rtl":
        return first == "ltr" or (
            first is None and any(unicodedata.bidirectional(c) in _NUMBERS for c in value)
        )
    return first == "rtl"


@lru_cache(maxsize=4096)
def _direction(value: str) -> str | None:
    """The direction of the first strongly directional character, as `dir="auto"` would find
    it; None when there is none (digits and punctuation only)."""
    for character in value:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in _RTL:
            return "rtl"
    return None


@lru_cache(maxsize=1024)
def _pattern(values: tuple[str, ...]) -> re.Pattern[str] | None:
    """One expression for all the values, the longest first (so a value that contains another
    is isolated whole), each matched as whole words, with any run of white space for a space."""
    alternatives = []
    for value in sorted(values, key=len, reverse=True):
        if not value.strip():
            continue
        body = r"\s+".join(re.escape(word) for word in value.split())
        before = r"(?<!\w)" if re.match(r"\w", value.strip()) else ""
        after = r"(?!\w)" if re.search(r"\w$", value.strip()) else ""
        alternatives.append(before + body + after)
    return re.compile("|".join(alternatives)) if alternatives else None
