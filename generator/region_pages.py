"""A page at each region's folder (`eu/`), which names no document: it sends its reader on to the
region's languages on the chooser.

A shopper who shortens an address (`…/eu/de/v/3/` to `…/eu/`) would otherwise get the error page.
The page is a plain file, not one MkDocs frames: it redirects at once (`<meta http-equiv="refresh">`,
no script needed), links to the same place for a browser that does not follow it, and asks search
engines not to index it. A region whose documents are all retired has no group on the chooser:
its page leads to the chooser's list of documents no longer maintained.
"""

from __future__ import annotations

from functools import partial
from html import escape

from generator.model import Language
from generator.pages import RETIRED_ANCHOR, SiteFile, region_anchor
from generator.publication import Publication


def region_pages(publication: Publication) -> list[SiteFile]:
    """One page per region the site has documents for, in the site's source language."""
    language = publication.policy.source_language
    title = publication.title_in(language)
    maintained = {jid for (jid, _), h in publication.documents.items() if not h.retired}
    return [
        SiteFile(
            path=f"{jid}/index.html",
            make=partial(
                _page,
                language,
                f"{publication.jurisdiction_name(jid, language)} · {title}",
                "../#" + (region_anchor(jid) if jid in maintained else RETIRED_ANCHOR),
            ),
        )
        for jid in sorted({jid for jid, _ in publication.documents})
    ]


def _page(language: str, title: str, target: str) -> bytes:
    """The page: its title in the site's source language, and where it leads."""
    target, title = escape(target), escape(title)
    direction = Language(tag=language).direction
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(language)}" dir="{direction}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        "</head>\n"
        f'<body><p><a href="{target}">{title}</a></p></body>\n'
        "</html>\n"
    ).encode()
