"""The site's own words (headings, labels, notices) in every published language.

They live in gettext catalogs shipped with the package, `generator/locales/<lang>/LC_MESSAGES/
interface.po`, translated like the policy itself; a language without a catalog shows English.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from generator.model import Language

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "interface"


SOURCE_LANGUAGE = "en"
"""The language the interface's strings are written in, and shown in where no catalog has them."""


@lru_cache(maxsize=64)
def interface_translations(tag: str) -> gettext.NullTranslations:
    """Gettext translations of the interface into a language (English when it has none)."""
    path = _catalog(tag)
    if path is None:
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@lru_cache(maxsize=64)  # every page's title asks (the tool's own catalogs: fixed in a run)
def interface_language(tag: str) -> str:
    """The language tag of the words a page in `tag` shows: its catalog's (`de` for `de-AT`),
    else the interface's own."""
    path = _catalog(tag)
    return SOURCE_LANGUAGE if path is None else path.parent.parent.name.replace("_", "-")


@lru_cache(maxsize=64)  # every page asks, as for `interface_language`
def foreign_words(tag: str) -> str | None:
    """The language of the site's own words on a page in `tag` when it is not the page's
    (English, for a language without a catalog), so that they can be marked as written in it;
    None when they are in the page's language (`de-AT` shows `de`'s words)."""
    words = interface_language(tag)
    return None if same_language(words, tag) else words


@lru_cache(maxsize=256)  # every part of every page's title asks
def marked_language(written: str, tag: str) -> str | None:
    """The language to mark words written in `written` with, around the body of a page in `tag`
    (the theme's frame) and in its feed: `written`, on a page whose site's words are in another
    language (`foreign_words`: its language has no interface catalog), when it is not the page's
    language; else None. A page of a language with a catalog marks nothing there: it stays as the
    theme writes it."""
    if foreign_words(tag) is None or same_language(written, tag):
        return None
    return written


def same_language(tag: str, other: str) -> bool:
    """Whether two tags are of one language (`de-AT` and `de`)."""
    return Language(tag=tag).locale.language == Language(tag=other).locale.language


def wording_language(tag: str) -> str:
    """The language a page in `tag` writes the dates and language names of its sentences in:
    its own when its words are in its language (`de-AT` keeps its own dates, "Jänner"), else the
    language of its words (English, without a catalog for its language: "Effective January 10,
    2026", not "Effective 2026年1月10日")."""
    return foreign_words(tag) or tag


def _catalog(tag: str) -> Path | None:
    """The interface catalog for a language: its own, else its base language's; None if none."""
    language = Language(tag=tag)
    for name in (language.catalog_name, language.locale.language):
        path = LOCALES_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.exists():
            return path
    return None


@lru_cache(maxsize=4096)
def long_date(value: dt.date, tag: str) -> str:
    """A date written out the way the language writes dates (CLDR long format)."""
    return format_date(value, format="long", locale=Language(tag=tag).locale)
