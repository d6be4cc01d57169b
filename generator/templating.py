"""The Jinja environment our page templates (`generator/templates/`) render in.

One environment per language: the same compiled code (`load_templates`, once per build, in the
process that forks the renderers), that language's interface catalog behind `_()`, and the filters
the templates use. On a page whose language has no interface catalog, the site's own words are
English, and `_()` marks them as such (`_ForeignWords`), as `frame_html` marks the words of the
theme's frame: a screen reader reads them in their language (WCAG 3.1.2). `template_names` tells
which names a template reads, so that a page's body is keyed by those values alone (bodies.py).
What each page shows is pages.py's.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    meta,
    pass_context,
    select_autoescape,
)
from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup, escape

from generator.bidi import isolate, isolate_text
from generator.interface import foreign_words, interface_translations, marked_language
from generator.model import Language, RedlineParagraph

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=256)
def _direction(tag: str) -> str:
    """The direction a language is written in, `ltr` or `rtl` (asked for every marked word)."""
    return Language(tag=tag).direction


@lru_cache(maxsize=64)
def template_names(template: str) -> frozenset[str] | None:
    """The names a template reads from its context, with those of the templates it imports and
    of the clause sections it renders; None when it cannot be told (a template name computed
    when the page is rendered)."""
    env = environment("en")
    source = env.loader.get_source(env, template)[0]  # type: ignore[union-attr]
    tree = env.parse(source)
    names = set(meta.find_undeclared_variables(tree))
    for other in meta.find_referenced_templates(tree):
        found = template_names(other) if other else None
        if found is None:
            return None
        names |= found
    for part in _PART_TEMPLATES.keys() & names:
        found = template_names(_PART_TEMPLATES[part])
        if found is None:
            return None
        names |= found
    return frozenset(names)


_PART_TEMPLATES = {"clause_section": "_clause.html", "change_entry": "_change.html"}
"""The functions our templates render a part of a page with, and the part's own template."""


class _SharedCode(BytecodeCache):
    """Each template compiled once for every language's environment: they differ only in their
    translations, which the compiled code looks up when it runs."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, Any]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """The code compiled for another language, if the template has not changed since."""
        known = self._code.get(bucket.key)
        if known is not None and known[0] == bucket.checksum:
            bucket.code = known[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a template's code for the other languages."""
        self._code[bucket.key] = (bucket.checksum, bucket.code)


_SHARED_CODE = _SharedCode()


def load_templates(kept: BytecodeCache | None) -> None:
    """Compile every template in this process, before it forks the processes that render pages:
    they inherit the code instead of each compiling it (a fifth of a second). The code is taken
    from `kept`, where an earlier build kept it, and what is compiled now is kept there."""
    env = environment("en")  # any language: they share the code
    for path in sorted(TEMPLATES.glob("*.html")):
        source, filename, _ = env.loader.get_source(env, path.name)  # type: ignore[union-attr]
        shared = _SHARED_CODE.get_bucket(env, path.name, filename, source)
        if kept is not None:
            bucket = kept.get_bucket(env, path.name, filename, source)
            if bucket.code is None:
                bucket.code = shared.code or env.compile(source, path.name, filename)
                kept.set_bucket(bucket)
            shared.code = bucket.code
        elif shared.code is None:
            shared.code = env.compile(source, path.name, filename)
        _SHARED_CODE.set_bucket(shared)


@lru_cache(maxsize=64)
def environment(language: str) -> Environment:
    """The environment the templates render in on a page in `language` (one per language and
    process; they share the compiled code, see `load_templates`)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # templates do not change during a build: no stat per page
        bytecode_cache=_SHARED_CODE,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    direction = _direction(language)
    env.filters["isolated"] = partial(isolate_text, direction=direction)
    env.filters["isolated_html"] = partial(isolate, direction=direction)
    env.filters["direction"] = _direction  # of text in another language
    env.filters["redline_runs"] = redline_runs
    env.filters["opening_space"] = opening_space
    translations = interface_translations(language)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    words = foreign_words(language)
    env.globals["gettext"] = env.globals["_"] = _remembering_gettext(translations, words)
    env.filters["unmarked"] = _unmarked
    env.globals["words_lang"] = words
    env.globals["in_words"] = partial(language_attributes, words)
    return env


def language_attributes(language: str | None, direction: bool = True) -> Markup:  # noqa: FBT001, FBT002
    """The attributes that mark an element as written in `language` (`lang`, and `dir` unless
    `direction` is False); nothing for no language. For words that cannot be marked as text (an
    attribute, an `<option>`) or a paragraph of them only (whose sentences must follow each
    other in their direction); a menu whose layout keeps the page's direction takes
    `direction=False`. The templates' `in_words()` gives them for the site's words (`words`,
    from `foreign_words`: English where the page's language has no interface catalog), nothing
    where those are the page's own: a global, not a macro, since `_clause.html`, rendered for
    every clause of every page, would import the macros anew each time."""
    if not language:
        return Markup("")
    marked = f' lang="{escape(language)}"'
    return Markup(f'{marked} dir="{_direction(language)}"' if direction else marked)


_OPENING_SPACE = re.compile(
    r"[\t-\r\x1c-\x20\x85\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]+"
)
"""White space a line may end after: all but the no-break spaces (U+00A0, U+2007, U+202F).
policy.js's OPENING_SPACE is the same."""


def opening_space(words: str) -> tuple[Markup, Markup]:
    """A redline's marked words as the space they begin with and the rest, to be written before
    the mark and in it: a line may end after a space, and the mark's sign, drawn before the words,
    would end one line and its words begin the next ("data+" then "and more"). Words that are
    white space only are kept whole, as there is no word to keep the sign with. Plain text is
    escaped first; markup (the redline's isolated words) is split as it is."""
    words = escape(words)
    found = _OPENING_SPACE.match(words)
    if not found or found.end() == len(words):
        return Markup(""), words
    return Markup(words[: found.end()]), Markup(words[found.end() :])


def redline_runs(paragraphs: Sequence[RedlineParagraph]) -> list[tuple[str, list]]:
    """A redline's paragraphs as the blocks the policy's own page has, for a reader's software
    (WCAG 1.3.1): a sub-heading (`heading`), a paragraph (`paragraph`), and each run of list
    items one list (`list`). policy.js's `renderChange` groups a comparison's alike."""
    runs: list[tuple[str, list]] = []
    for paragraph in paragraphs:
        kind = (
            "heading"
            if paragraph.prefix.startswith("#")
            else "list"
            if paragraph.prefix
            else "paragraph"
        )
        if kind == "list" and runs and runs[-1][0] == "list":
            runs[-1][1].append(paragraph)
        else:
            runs.append((kind, [paragraph]))
    return runs


def _remembering_gettext(translations: Any, foreign: str | None) -> Any:
    """Jinja's new-style `gettext` (and `_`), remembering the strings that take no variables:
    pages ask for the same few dozen labels thousands of times. On a page whose language shows
    the site's words in another (`foreign`), they are marked as written in it."""
    known: dict[tuple[str, bool], str] = {}

    def marked(words: Markup) -> Markup:
        return _ForeignWords(words, foreign) if foreign else words

    @pass_context
    def gettext(context: Any, string: str, **variables: Any) -> str:
        autoescape = context.eval_ctx.autoescape
        if variables:
            found = translations.gettext(string)
            return marked(Markup(found) % variables) if autoescape else found % variables
        key = (string, autoescape)
        result = known.get(key)
        if result is None:
            found = translations.gettext(string)
            result = known[key] = marked(Markup(found) % {}) if autoescape else found % {}
        return result

    return gettext


class _ForeignWords(Markup):
    """The site's words in another language than the page's (English, where the page's language
    has no interface catalog): written as text, they are marked with their language, so that a
    screen reader reads them in it (WCAG 3.1.2). Where a tag cannot go (an attribute, an
    `<option>`), `|unmarked` gives the words alone, and the element carries the language; in
    JSON they are the words alone."""

    def __new__(cls, words: Markup, language: str | None = None) -> Markup:
        if language is None:  # Markup's own methods (`strip`, `+`) make their results unmarked
            return Markup(words)
        self = super().__new__(cls, words)
        self.marked = Markup(f"{_opening(language)}{words}</span>")  # words: Markup, escaped
        return self

    def __html__(self) -> Markup:
        return self.marked


@lru_cache(maxsize=64)
def _opening(language: str) -> str:
    """The tag that opens words in `language` (thousands of times a build: Markup's % is slow)."""
    return Markup('<span lang="%s" dir="%s">') % (language, _direction(language))


def frame_html(parts: Sequence[tuple[str, str]], language: str) -> str:
    """Words for the theme's frame around a page in `language` (its title in the header and the
    table of contents, the navigation's entries), which the theme prints as HTML: each part,
    (text, the language it is written in), escaped as the adapter escapes titles (quotes kept:
    `plugin._title_html`), joined by " · ", and marked with its language where
    `marked_language` says, as `_ForeignWords` marks the site's words in the body: a screen
    reader reads the frame's English in English too (WCAG 3.1.2)."""
    return " · ".join(
        f"{_opening(marked)}{html.escape(text, quote=False)}</span>"
        if (marked := marked_language(written, language))
        else html.escape(text, quote=False)
        for text, written in parts
    )


def _unmarked(words: Markup) -> Markup:
    """The site's words without the mark of their language, for a place no tag can go."""
    return Markup(str.__str__(words))
