"""The error page's words (404.html) in every language the site publishes.

A server answers every address the site lacks with the same page. So the page carries its words
once for each language the interface is translated into, and its script shows those of the
document whose address the missing one begins with (`setUpNotFound` in policy.js), with a link to
that document's policy in force. Without the script, or at an address that names no document, the
page speaks the site's source language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.interface import interface_language, interface_translations
from generator.model import Language
from generator.pages import chooser_name, document_url


@dataclass(frozen=True)
class NotFoundWords:
    """The error page in one language, and the documents whose readers get it."""

    language: str
    direction: str
    heading: str
    explanation: str
    in_force: str
    """The link to the policy in force of the document the address names."""
    chooser: str
    documents: tuple[str, ...]
    """The addresses of the documents (`eu/fr/`) shown in this language."""
    site_name: str = ""
    """The site's name as this language's catalog translates the policy's title, for the page's
    title and header; empty when it is not translated."""


def not_found_words(
    documents: Iterable[tuple[str, str]],
    source_language: str,
    site_name: Callable[[str], str] = lambda language: "",
) -> tuple[NotFoundWords, ...]:
    """The page's words for each language of the `documents` ((jurisdiction, language) pairs);
    the source language's first. `site_name` gives the site's name in a document's language."""
    addresses: dict[str, list[str]] = {interface_language(source_language): []}
    names = {interface_language(source_language): site_name(source_language)}
    for jurisdiction, language in sorted(documents):
        tag = interface_language(language)
        addresses.setdefault(tag, []).append(document_url(jurisdiction, language))
        names.setdefault(tag, site_name(language))
    return tuple(_words(tag, tuple(urls), names[tag]) for tag, urls in addresses.items())


def _words(tag: str, documents: tuple[str, ...], site_name: str) -> NotFoundWords:
    gettext = interface_translations(tag).gettext
    return NotFoundWords(
        language=tag,
        site_name=site_name,
        direction=Language(tag=tag).direction,
        heading=gettext("Page not found"),
        explanation=gettext(
            "There is no page at this address. Every version of the privacy policy keeps its "
            "address for good, so the address may be mistyped, or name a version that has not "
            "been published."
        ),
        in_force=gettext("The privacy policy in force for this region and language"),
        chooser=chooser_name(tag),
        documents=documents,
    )
