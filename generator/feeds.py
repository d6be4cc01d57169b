"""Atom feeds (RFC 4287) of each document's versions, and of every change at the root.

Entry ids are UUIDs derived from the repository's first policy commit and (jurisdiction, language,
version), so they never change and no other site has them; dates come from the commits, never before
an earlier event's entry (`_never_before`), so the same history always gives the same feed.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from functools import partial
from typing import NamedTuple

from generator.interface import (
    foreign_words,
    interface_language,
    interface_translations,
    long_date,
    marked_language,
    same_language,
    wording_language,
)
from generator.model import ChangeKind, Language, Version, utc_stamp
from generator.pages import SiteFile, document_url, site_address
from generator.publication import DocumentHistory, EndedLag, Lag, Publication

ATOM = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_SECOND = dt.timedelta(seconds=1)
_NAMESPACE = uuid.UUID("6f1a7c52-1d0e-4b7e-9a51-5d0c2f6b8e11")


def render_feeds(publication: Publication, site_url: str = "") -> list[SiteFile]:
    """A feed per document and one of all changes at the root."""
    files = [
        SiteFile(
            path=document_url(*h.key) + "feed.xml",
            make=partial(_document_feed, publication, h, site_url),
        )
        for h in publication.documents.values()
    ]
    files.append(SiteFile(path="feed.xml", make=partial(_root_feed, publication, site_url)))
    return files


def _document_feed(publication: Publication, history: DocumentHistory, site_url: str) -> bytes:
    base = document_url(*history.key)
    entries = _entries(publication, history, site_url)
    title, title_language = publication.title_written(history.language)
    region, region_language = publication.jurisdiction_name_written(*history.key)
    feed = _feed(
        feed_id=_id(publication, history.jurisdiction, history.language),
        title=f"{title} · {region} ({history.language})",
        # Never before a date the feed showed: a notice that ended is followed by what ended it.
        updated=max(entry.date for entry in entries),
        self_url=site_address(site_url, base + "feed.xml"),
        page_url=site_address(site_url, base + "changes/"),
        language=history.language,
    )
    for element in (feed.find("title"), feed.find("author/name")):
        _mark(element, history.language, title_language, region_language)
    for entry in sorted(entries, key=lambda entry: -entry.order):
        if entry.element is not None:
            feed.append(entry.element)
    return _serialize(feed)


class _Entry(NamedTuple):
    """An entry of a document's feed."""

    order: float
    """Its place in the document's history: a version's number, a retirement after the version
    that was newest then, the lag notice last."""
    date: dt.datetime
    element: ET.Element | None
    """None for a lag that ended with a version: no entry, though its notice dates the next."""
    version: Version
    """The version whose heading names the document in the feed of every change: the entry's
    own, else the newest when the entry was made."""


def _entries(publication: Publication, history: DocumentHistory, site_url: str) -> list[_Entry]:
    """The entries of a document's feed: the same in its own feed and in the feed of every
    change."""
    gettext = interface_translations(history.language).gettext
    entries = [
        _Entry(v.number, v.date, _entry_for(publication, v, site_url, gettext), v)
        for v in history.versions
    ]
    entries += [
        _Entry(
            newest + 0.5,
            when,
            _retirement(publication, history, when, site_url, gettext),
            history.versions[newest - 1],
        )
        for newest, when in history.every_retirement
    ]
    entries += [
        _Entry(
            ended.versions + 0.25,
            _after(ended.ended, _lag_date(publication, history, ended.lag)),
            None if ended.caught_up else _lag_ended(publication, history, ended, site_url, gettext),
            history.versions[max(ended.versions, 1) - 1],
        )
        for ended in history.ended_lags
    ]
    if history.lag is not None:
        entries.append(
            _Entry(
                len(history.versions) + 0.75,
                _lag_date(publication, history, history.lag),
                _lag_entry(publication, history, site_url, gettext),
                history.latest,
            )
        )
    return _never_before(entries)


def _lag_date(publication: Publication, history: DocumentHistory, lag: Lag) -> dt.datetime:
    """The date of a lag notice: when the source version it is about was published, but never
    before the notices the lag gave before it, of each source version it lagged behind (one
    second after the latest, when a commit's clock was behind)."""
    before = publication.lagged_behind(history, lag)[:-1]
    return _after(lag.since, max((v.date for v in before), default=None))


def _after(when: dt.datetime, latest: dt.datetime | None) -> dt.datetime:
    """`when`, or one second after `latest` when `when` is before it."""
    return when if latest is None or when >= latest else latest + _SECOND


def _never_before(entries: list[_Entry]) -> list[_Entry]:
    """The entries dated so that none is dated before an entry of an earlier event of the
    document: an entry whose own date is before the latest date of the entries before it in the
    history's order is dated one second after that. A commit made on a computer whose clock was
    behind keeps its date in the record (`published`), but its entry does not slip under the
    ones a reader has already seen, and the feed's `updated` moves on (a reader that keeps the
    last date it saw shows it). Entries of one commit keep its date; the same history gives the
    same dates."""
    dated, latest = [], None
    for entry in sorted(entries, key=lambda entry: entry.order):
        latest = _after(entry.date, latest)
        if entry.element is not None:
            for tag in ("published", "updated"):
                if (element := entry.element.find(tag)) is not None:
                    element.text = utc_stamp(latest)
        dated.append(entry._replace(date=latest))
    return dated


def _lag_entry(
    publication: Publication,
    history: DocumentHistory,
    site_url: str,
    gettext,  # noqa: ANN001
) -> ET.Element:
    """The entry that tells a lagging translation's followers what it lacks."""
    assert history.lag is not None
    source = publication.policy.source_language
    lag = ET.Element("entry")
    _text(
        lag,
        "id",
        _id(
            publication,
            history.jurisdiction,
            history.language,
            "lag",
            str(history.lag.source_version),
        ),
    )
    updated, announced = _lagged_behind(publication, history)
    title = (
        gettext("A newer version exists")
        if updated
        else gettext("An announced change is not translated yet")
    )
    _words(lag, "title", title, history.language)
    _text(lag, "updated", utc_stamp(history.lag.since))
    _link(lag, site_address(site_url, document_url(history.jurisdiction, source)), "alternate")
    wording = wording_language(history.language)
    sentences = [
        gettext(
            "The policy was updated, and this translation has not "
            "caught up yet. This page shows the last version "
            "completely translated into this language."
        )
    ][: int(updated)]
    sentences += [
        gettext(
            "A change to the policy takes effect on %(date)s and has not been translated "
            "into this language yet."
        )
        % {"date": long_date(day, wording)}
        for day in announced
    ]
    _words(lag, "summary", " ".join(sentences), history.language)
    return lag


def _lagged_behind(
    publication: Publication, history: DocumentHistory
) -> tuple[bool, list[dt.date]]:
    """What a lagging translation's feed says of the source versions it lags behind, the same in
    every build (a feed has no 'today', see `pages.LagNotice` for the pages): whether one took
    effect when it was published (the policy was updated), and the dates of those announced
    ahead of their effective date, each once, even once they apply."""
    assert history.lag is not None
    behind = publication.lagged_behind(history, history.lag)
    ahead = [v for v in behind if v.in_force_from > v.date.date()]
    return len(ahead) < len(behind) or not behind, sorted({v.in_force_from for v in ahead})


def _retirement(
    publication: Publication,
    history: DocumentHistory,
    retired_since: dt.datetime,
    site_url: str,
    gettext,  # noqa: ANN001
) -> ET.Element:
    """The entry that tells a retired document's followers that it is no longer maintained, and
    sends them where they choose the policy that applies to them."""
    since = utc_stamp(retired_since)
    entry = ET.Element("entry")
    _text(entry, "id", _id(publication, history.jurisdiction, history.language, "retired", since))
    _words(entry, "title", gettext("This document is no longer maintained"), history.language)
    _text(entry, "updated", since)
    _link(entry, site_address(site_url, ""), "alternate", "text/html")
    _words(
        entry,
        "summary",
        gettext(
            "This policy is no longer published for this region and language. Its versions stay "
            "available as they were; choose your region and language to read the policy that "
            "applies to you."
        ),
        history.language,
    )
    return entry


def _lag_ended(
    publication: Publication,
    history: DocumentHistory,
    ended: EndedLag,
    site_url: str,
    gettext,  # noqa: ANN001
) -> ET.Element:
    """The entry that tells a translation's followers, who were told it lagged behind, that the
    source change it lacked was taken back (reverted, or withdrawn before its date), and that it
    is current again with no version of its own."""
    entry = ET.Element("entry")
    _text(
        entry,
        "id",
        _id(
            publication,
            history.jurisdiction,
            history.language,
            "lag-ended",
            str(ended.lag.source_version),
            utc_stamp(ended.ended),
        ),
    )
    _words(entry, "title", gettext("This translation is current again"), history.language)
    _text(entry, "updated", utc_stamp(ended.ended))
    _link(entry, site_address(site_url, document_url(*history.key)), "alternate", "text/html")
    _words(
        entry,
        "summary",
        gettext(
            "The change this translation lagged behind was taken back: this translation is "
            "current again."
        ),
        history.language,
    )
    return entry


def _root_feed(publication: Publication, site_url: str) -> bytes:
    """Every version of every document, every document the policy stopped publishing and every
    translation's lag notice, newest first: the same entries as the documents' own feeds."""
    events = [
        ((entry.date, h.jurisdiction, h.language, entry.order), h, entry)
        for h in publication.documents.values()
        for entry in _entries(publication, h, site_url)
    ]
    events.sort(key=lambda event: event[0], reverse=True)
    feed = _feed(
        feed_id=_id(publication, "all"),
        title=publication.title_in(publication.policy.source_language),
        updated=events[0][0][0],
        self_url=site_address(site_url, "feed.xml"),
        page_url=site_address(site_url, ""),
        language=publication.policy.source_language,
    )
    for _, history, entry in events:
        if entry.element is None:
            continue
        # One feed mixes every document: say which one each entry is about, by the region's
        # name as the entry's version was published with it (a version's own pages keep theirs):
        # renamed or translated later, an entry still says what it said.
        title = entry.element.find("title")
        _, (region, region_language) = publication.heading_written(entry.version)
        _name_entry(title, f"{region} ({history.language}) · ", region_language)
        entry.element.set(_XML_LANG, history.language)
        feed.append(entry.element)
    return _serialize(feed)


def _feed(
    *, feed_id: str, title: str, updated: dt.datetime, self_url: str, page_url: str, language: str
) -> ET.Element:
    attributes = {"xmlns": ATOM, _XML_LANG: language}
    if not site_url_known(self_url):
        depth = self_url.count("/")
        attributes["{http://www.w3.org/XML/1998/namespace}base"] = "../" * depth or "./"
    feed = ET.Element("feed", attributes)
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    _text(feed, "updated", utc_stamp(updated))
    author = ET.SubElement(feed, "author")
    _text(author, "name", title)
    _link(feed, self_url, "self", "application/atom+xml")
    _link(feed, page_url, "alternate", "text/html")
    return feed


def _entry_for(publication: Publication, version: Version, site_url: str, gettext) -> ET.Element:  # noqa: ANN001
    base = document_url(*version.key)
    entry = ET.Element("entry")
    _text(
        entry, "id", _id(publication, version.jurisdiction, version.language, str(version.number))
    )
    material = version.kind is ChangeKind.MATERIAL
    label = gettext("Material change") if material else gettext("Editorial change")
    title = gettext("Version %(number)s") % {"number": version.number}
    _words(entry, "title", f"{title} ({label})", version.language)
    _text(entry, "published", utc_stamp(version.date))
    _text(entry, "updated", utc_stamp(version.date))
    target = f"{base}changes/{version.number}/" if version.number > 1 else f"{base}v/1/"
    _link(entry, site_address(site_url, target), "alternate", "text/html")
    _link(entry, site_address(site_url, f"{base}v/{version.number}/"), "related", "text/html")
    category = ET.SubElement(entry, "category", {"term": version.kind.value, "label": label})
    _mark(category, version.language, interface_language(version.language))
    # Written out as the pages write it: a reader reads the summary, a feed reader its dates.
    date = long_date(version.in_force_from, wording_language(version.language))
    effective = gettext("Effective %(date)s") % {"date": date}
    foreign = foreign_words(version.language)
    if version.translation_only:
        summary = gettext("The translation was revised; the meaning of the policy is unchanged.")
        _words(entry, "summary", f"{summary} ({effective})", version.language)
    elif version.summary_language != version.language:
        # Not yet translated: the summary says it is in the source language, as the pages do.
        element = ET.SubElement(entry, "summary", {"type": "xhtml"})
        div = ET.SubElement(element, "div", {"xmlns": XHTML})
        span = _span(div, version.summary, version.summary_language)
        if foreign:
            span.tail = " "
            _span(div, f"({effective})", foreign)
        else:
            span.tail = f" ({effective})"
    elif foreign:
        # The shop's summary in the page's language, the site's words around the date in theirs.
        element = ET.SubElement(entry, "summary", {"type": "xhtml"})
        div = ET.SubElement(element, "div", {"xmlns": XHTML})
        div.text = f"{version.summary} "
        _span(div, f"({effective})", foreign)
    else:
        _text(entry, "summary", f"{version.summary} ({effective})")
    return entry


def _span(div: ET.Element, text: str, language: str) -> ET.Element:
    """Words in `language` inside an XHTML text construct: marked with it, and its direction."""
    tag = Language(tag=language)
    span = ET.SubElement(div, "span", {_XML_LANG: tag.tag, "dir": tag.direction})
    span.text = text
    return span


def _words(parent: ET.Element, tag: str, text: str, language: str) -> ET.Element:
    """An element of the site's own words in the feed of a document in `language`, marked with
    their language when it is not the document's (`_mark`)."""
    element = _text(parent, tag, text)
    _mark(element, language, interface_language(language))
    return element


def _mark(element: ET.Element, language: str, *written: str) -> None:
    """`xml:lang` on an element of the feed of a document in `language` whose text, each of its
    parts, is `written` in another language, as the pages' frame marks it (`marked_language`):
    a feed reader, and a screen reader, read the site's English in English (WCAG 3.1.2). An
    Atom text has one language: an element whose parts are in different ones is not marked."""
    marked = {marked_language(tag, language) for tag in written}
    if len(marked) == 1 and None not in marked:
        element.set(_XML_LANG, marked.pop())


def _name_entry(title: ET.Element, name: str, name_language: str) -> None:
    """An entry's title in the feed of every change, preceded by its document's `name`
    ("Worldwide (ja) · "), written in `name_language`: one text, unless the title is marked
    with another language than the name's (`_words`), which an XHTML title keeps for the
    title's words alone."""
    marked = title.get(_XML_LANG)
    if marked is None or same_language(marked, name_language):
        title.text = name + title.text
        return
    words = title.text
    del title.attrib[_XML_LANG]
    title.set("type", "xhtml")
    title.text = None
    div = ET.SubElement(title, "div", {"xmlns": XHTML})
    div.text = name
    _span(div, words, marked)


def site_url_known(url: str) -> bool:
    """Whether an address is absolute (the site's address was configured)."""
    return url.startswith(("http://", "https://"))


def _id(publication: Publication, *parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_namespace(publication), '/'.join(parts))}"


def _namespace(publication: Publication) -> uuid.UUID:
    """The ids' namespace: the commit of the policy's first version. Atom ids must be unique
    across the web, and two shops publishing with this tool share document names and numbers;
    the first commit is the repository's own, and never changes while history is appended to
    (whatever dates later commits carry)."""
    return uuid.uuid5(_NAMESPACE, publication.first_commit or publication.policy.title)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _link(parent: ET.Element, href: str, rel: str, media_type: str | None = None) -> None:
    attributes = {"href": href, "rel": rel}
    if media_type:
        attributes["type"] = media_type
    ET.SubElement(parent, "link", attributes)


def _serialize(feed: ET.Element) -> bytes:
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
