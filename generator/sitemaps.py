"""The site's sitemaps: one in each document's folder, listing the document's pages, and an index
at the root that lists them.

A page that exists in the document's other languages (its policy in force, change log, archive,
comparison and section history) lists them as `<xhtml:link rel="alternate" hreflang>`, the way
search engines take a page's languages from a sitemap; a policy in force names the chooser too,
for the languages it is not in (`x-default`).

The pages themselves do not link their languages: the theme's script fetches a `sitemap.xml`
beside every `<link rel="alternate">` of a page, expecting each language to be a site of its own,
and would ask for a file that does not exist in every other language's folder at every page
view. The one `<link rel="alternate">` a page keeps is its
document's feed, beside which that script finds the document's own sitemap.

Each page is dated (`lastmod`) by the last day what it says changed (`Page.modified`), each
sitemap by its newest page: a new version leaves the pages of the versions before it as they
were dated, and a search engine need not fetch them again.

One sitemap per document also keeps each under the protocol's limit of 50,000 addresses, however
many jurisdictions, languages and versions the policy grows to.

Sitemaps give absolute addresses only: without the site's address they list nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

from generator.pages import document_folder, site_address

INDEX = "sitemap.xml"
"""The index, at the root, and each document's sitemap, in its folder."""
ROOT_PAGES = "sitemap-chooser.xml"
"""The sitemap of the pages outside every document's folder: the chooser."""

_NAMESPACES = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_WITH_LINKS = _NAMESPACES + ' xmlns:xhtml="http://www.w3.org/1999/xhtml"'


def sitemaps(
    urls: Iterable[str],
    alternates: Mapping[str, tuple[tuple[str, str], ...]],
    folders: Iterable[str],
    site_url: str | None,
    modified: Mapping[str, dt.date],
    date: dt.date,
) -> dict[str, str]:
    """Every sitemap's text by its path in the site, the index first.

    `urls` are the site's pages in its order, `alternates` the (language tag, url) of each page
    in every language it has, the page's own included, `folders` the documents' folders
    (`eu/de/`), all relative to the site root; `modified` the day each page last changed, and
    `date` that of a page it does not date (the build's)."""
    folders = set(folders)
    grouped: dict[str, list[str]] = {folder: [] for folder in sorted(folders)}
    root: list[str] = []
    dates: dict[str, dt.date] = {}
    for url in urls:
        folder = document_folder(url)
        (grouped[folder] if folder in folders else root).append(url)
        dates[url] = modified.get(url, date)
    files = {ROOT_PAGES: root} | {folder + INDEX: pages for folder, pages in grouped.items()}
    index = [
        f"<sitemap><loc>{escape(site_address(site_url, path))}</loc>"
        f"<lastmod>{max((dates[url] for url in pages), default=date)}</lastmod></sitemap>"
        for path, pages in files.items()
        if site_url
    ]
    return {INDEX: _document("sitemapindex", _NAMESPACES, index)} | {
        path: _document(
            "urlset",
            _WITH_LINKS,
            [
                _entry(url, _languages(url, alternates, folders), site_url, dates[url])
                for url in pages
            ],
        )
        for path, pages in files.items()
    }


def _languages(
    url: str, alternates: Mapping[str, tuple[tuple[str, str], ...]], folders: set[str]
) -> tuple[tuple[str, str], ...]:
    """A page's languages; a policy in force in several also names the chooser, where a shopper
    whose language is none of them picks a region and a language (`x-default`)."""
    languages = alternates.get(url, ())
    if url in folders and len(languages) > 1:
        return (*languages, ("x-default", ""))
    return languages


def _entry(
    url: str, languages: tuple[tuple[str, str], ...], site_url: str | None, date: dt.date
) -> str:
    if not site_url:
        return ""
    links = "".join(
        f'<xhtml:link rel="alternate" hreflang={quoteattr(tag)}'
        f" href={quoteattr(site_address(site_url, other))}/>"
        for tag, other in (languages if len(languages) > 1 else ())
    )
    loc = escape(site_address(site_url, url))
    return f"<url><loc>{loc}</loc><lastmod>{date}</lastmod>{links}</url>"


def _document(root: str, namespaces: str, entries: list[str]) -> str:
    lines = "".join(f"\n  {entry}" for entry in entries if entry)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} {namespaces}>{lines}\n</{root}>\n'
