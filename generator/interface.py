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


@lru_cache(maxsize=64)
def interface_translations(tag: str) -> gettext.NullTranslations:
    """Gettext translations of the interface into a language (English when it has none)."""
    language = Language(tag=tag)
    candidates = [language.catalog_name, language.locale.language]
    for name in candidates:
        path = LOCALES_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle)
            buffer = io.BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            buffer.seek(0)
            return gettext.GNUTranslations(buffer)
    return gettext.NullTranslations()


@lru_cache(maxsize=4096)
def long_date(value: dt.date, tag: str) -> str:
    """A date written out the way the language writes dates (CLDR long format)."""
    return format_date(value, format="long", locale=Language(tag=tag).locale)
