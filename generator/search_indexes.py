"""Each page's own search index: its document's sections, or on the chooser the policies in force
in the chooser's language.

The theme's search plugin writes one index of every page it indexes (`search/search_index.json`),
and the theme's script fetches it at the first page a shopper opens, though a page searches only
its own document (W-large's index holds 96 documents). After the plugin has written it, the
build splits it into one index per document and one for the chooser, each with the stop words of
its language; a script on each page (theme/main.html) has the theme fetch the page's own instead.
The whole index stays, for the error page, which searches every document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.model import Language
from generator.pages import document_folder, document_url

WHOLE = "search/search_index.json"
"""Where the theme's search plugin writes the index of every page."""
CHOOSER = "search/chooser.json"


@dataclass(frozen=True)
class Scope:
    """What one index holds: the sections of the pages in `folders` (`eu/de/`), searched with the
    stop words of `language`."""

    folders: frozenset[str]
    language: str


def address(page_url: str) -> str:
    """The index a page searches, from the site root: its document's, or the chooser's."""
    folder = document_folder(page_url)
    return folder + "search.json" if folder else CHOOSER


def scopes(documents: Iterable[tuple[str, str]], chooser_language: str) -> dict[str, Scope]:
    """Each index's scope, by its address: one per document (jurisdiction, language), and the
    chooser's, which holds every document in its language."""
    folders = {key: document_url(*key) for key in documents}
    chooser = frozenset(f for (_, lang), f in folders.items() if lang == chooser_language)
    return {address(f): Scope(frozenset([f]), lang) for (_, lang), f in folders.items()} | {
        CHOOSER: Scope(chooser, chooser_language)
    }


def split(whole: str, indexes: Mapping[str, Scope]) -> dict[str, str]:
    """The text of each index, by its address, from the text of the whole index; each keeps the
    whole index's order of sections."""
    index = json.loads(whole)
    config = index["config"]
    holders: dict[str, list[str]] = {}
    for path, scope in indexes.items():
        for folder in scope.folders:
            holders.setdefault(folder, []).append(path)
    docs: dict[str, list[dict]] = {path: [] for path in indexes}
    for doc in index["docs"]:
        for path in holders.get(document_folder(doc["location"]) or "", ()):
            docs[path].append(doc)
    return {
        path: json.dumps(
            {
                "config": {**config, "lang": _stop_words(config.get("lang") or [], scope.language)},
                "docs": docs[path],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for path, scope in indexes.items()
    }


def _stop_words(languages: list[str], language: str) -> list[str]:
    """The theme matches words by prefix, not by stem: a language brings only its stop words
    (and, for Japanese, its word segmenter), when the theme has them; English's otherwise."""
    base = Language(tag=language).locale.language
    return [base] if base in languages else ["en"]
