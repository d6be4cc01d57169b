"""Translation catalogs: gettext PO files read with Babel into lookup tables.

One catalog per language, `locales/<lang>/LC_MESSAGES/policy.po`. A message is one block (paragraph,
list item or sub-heading) or title of a clause file, with the clause id (and `@jurisdiction` for a
variant) as its `msgctxt`, so the same sentence in two clauses is translated twice, independently.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from generator.errors import Problems
from generator.model import Language
from generator.yamlio import decode

LOCALES = "locales"
DOMAIN = "policy"


def catalog_path(language: Language) -> str:
    """Where a language's catalog lives, relative to the project root."""
    return f"{LOCALES}/{language.catalog_name}/LC_MESSAGES/{DOMAIN}.po"


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One translated message."""

    string: str
    fuzzy: bool
    """Marked for review: the source changed since it was translated."""
    path: str
    line: int


class Translations:
    """A catalog as a lookup table from (context, source text) to its entry."""

    def __init__(self, entries: dict[tuple[str, str], Entry]) -> None:
        self._entries = entries

    def get(self, context: str, source: str) -> Entry | None:
        """The entry for a message, if the catalog has it."""
        return self._entries.get((context, source))

    def __iter__(self) -> Iterator[tuple[tuple[str, str], Entry]]:
        return iter(sorted(self._entries.items()))

    def __len__(self) -> int:
        return len(self._entries)


def parse_catalog(path: str, data: bytes, problems: Problems) -> Catalog | None:
    """A PO file parsed by Babel; None (and a problem naming the line) when it is broken."""
    text = decode(data, path, problems)
    if text is None:
        return None
    try:
        return read_po(io.StringIO(text), abort_invalid=True)
    except PoFileError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) if match else None
        reason = re.sub(r"\s*on line \d+.*$", "", str(error)).strip() or "syntax error"
        problems.add(
            path,
            line,
            "catalog.syntax",
            f"the catalog cannot be read: {reason}. Fix the PO syntax (a quote or a "
            "msgid/msgstr line is off).",
        )
    except (ValueError, UnicodeError) as error:
        problems.add(path, None, "catalog.syntax", f"the catalog cannot be read: {error}.")
    return None


def translations_from(catalog: Catalog, path: str) -> Translations:
    """The lookup table of a parsed catalog (obsolete messages are not used)."""
    entries: dict[tuple[str, str], Entry] = {}
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        string = message.string if isinstance(message.string, str) else ""
        entries[(message.context or "", message.id)] = Entry(
            string=string, fuzzy=message.fuzzy, path=path, line=message.lineno or 1
        )
    return Translations(entries)


def load_translations(path: str, data: bytes, problems: Problems) -> Translations | None:
    """A PO file's lookup table; None (and a problem) when the file is broken."""
    catalog = parse_catalog(path, data, problems)
    return translations_from(catalog, path) if catalog is not None else None
