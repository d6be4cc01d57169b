"""Stage 6: render the publication into pages (HTML bodies) and files (feeds, JSON).

This module decides what each page shows (the values its template is given); the templates render
in `templating.py`'s environment.

The output is plain data: MkDocs does not appear here. Each page says its address, language, table
of contents and what the theme's frame around it names; the page cache keys a page by all of it
(`cache.page_key`), so an archived version or a redline, which never changes, is framed once.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import urllib.parse
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import groupby
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from generator.bidi import isolate, isolated_values
from generator.clause_history import ClauseEvent, ClauseHistory, clause_histories
from generator.diff import diff_versions
from generator.interface import (
    interface_language,
    interface_translations,
    long_date,
    marked_language,
    wording_language,
)
from generator.model import (
    ChangeKind,
    ChangeType,
    ComposedClause,
    Edit,
    Language,
    Policy,
    Standing,
    Version,
)
from generator.publication import DocumentHistory, Publication, VersionHeading
from generator.renames import clause_messages, former_ids
from generator.templating import environment, frame_html, template_names

if TYPE_CHECKING:
    from generator.bodies import KeptParts


@dataclass(frozen=True, kw_only=True)
class Page:
    """One HTML page of the site, before the theme frames it."""

    url: str
    """The page's directory address, relative to the site root: '' or 'eu/de/changes/'."""
    title: str
    title_html: str
    """The title as the theme's frame shows it, HTML (`frame_html`): its header and table of
    contents mark the words written in another language than the page's, as the body does."""
    html: str | Body
    """Its HTML; with a body cache, perhaps a `Body` that is read only if it is needed."""
    language: str
    toc: tuple[tuple[str, str], ...] = ()
    """(anchor, title as HTML) of each entry in the page's table of contents."""
    alternates: tuple[tuple[str, str], ...] = ()
    """(language tag, url) of the same page in other languages."""
    feed: str | None = None
    """The address (from the site root) of the Atom feed that follows this page's document."""
    searchable: bool = True
    site_name: str = ""
    """The site's name in the page's header: the policy's title in the page's language."""
    site_name_language: str = ""
    """The language the site's name is marked with in the theme's frame, where it is written in
    another than the page's (`marked_language`: a title no catalog translates, on a page whose
    language has no interface catalog); empty where it is not marked."""
    navigation: tuple[str, ...] = ()
    """The navigation's entries in the page's language, HTML (`frame_html`): the chooser
    (`chooser_name`), then each region, named by its jurisdiction, in `jurisdiction_order` (the
    navigation is one for every page; each page names its entries)."""
    modified: dt.date | None = None
    """The last day what the page says changed (see `DocumentHistory.changed_on`): its date in
    the sitemaps."""

    @property
    def src_uri(self) -> str:
        """The Markdown source path a static-site generator knows the page by."""
        return self.url + "index.md"


@dataclass(frozen=True)
class Body:
    """A page body whose text is made only when it is needed: one the body cache has is known by
    its sha256 (a page whose framed HTML is in the page cache is written without its body ever
    being read); one it does not have is rendered when asked for (perhaps in another process,
    while MkDocs frames the pages before it)."""

    digest: str | None
    """The sha256 of the body's UTF-8 bytes; None until it is rendered."""
    load: Callable[[], str]
    """The body's text: read from the cache (and checked), or rendered (again)."""

    def text(self) -> str:
        """The body itself."""
        return self.load()


@dataclass(frozen=True, kw_only=True)
class SiteFile:
    """A file published as is (feed, JSON)."""

    path: str
    make: Callable[[], bytes]
    """Makes its content, when the file is written: a site's version texts add up."""
    digest: str | None = None
    """The content's sha256 when it is known before the content is made (a version's
    document.json: the version's hash), so that the file can be taken from the cache unmade."""

    @property
    def content(self) -> bytes:
        return self.make()


@dataclass(frozen=True, kw_only=True)
class Site:
    """Everything the publication renders to."""

    chooser: str
    """The chooser's name in the source language's navigation."""
    pages: tuple[Page, ...]
    files: tuple[SiteFile, ...] = ()
    nav: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = field(default=())
    """(jurisdiction name, ((language name, page url), ...)) for the navigation."""
    language: str = "en"


@lru_cache(maxsize=4096)
def document_url(jurisdiction: str, language: str) -> str:
    """The address of a document's current page."""
    return f"{jurisdiction}/{Language(tag=language).slug}/"


def document_folder(url: str) -> str | None:
    """The folder (`eu/de/`) of the document a page, or a place on one (`eu/de/#data`), belongs
    to; None outside every document (the chooser)."""
    parts = url.split("/")
    return f"{parts[0]}/{parts[1]}/" if len(parts) > 2 else None


def relative(from_url: str, to_url: str) -> str:
    """A link from one page directory to another address, relative so the site can move."""
    if to_url.startswith(("http:", "https:", "mailto:", "#")):
        return to_url
    target, _, anchor = to_url.partition("#")
    base = from_url.rstrip("/") or "."
    path = _relpath(target.rstrip("/") or ".", base)
    if target.endswith("/") or not target:
        path = "./" if path == "." else path + "/"
    return path + (f"#{anchor}" if anchor else "")


_NOT_IN_ADDRESSES = frozenset(' "<>\\^`{|}')
"""Characters an address never holds as they are (RFC 3986 has them percent-encoded): written
into pages' attributes, a quote or an angle bracket would end the attribute or the tag."""


def site_address_problem(value: str) -> str | None:
    """Why `value` cannot be the address the site is published at (every page's address is made
    by adding its path to it), or None if it can."""
    parts = urllib.parse.urlsplit(value)
    example = "Give the whole address the site is published at, such as https://example.github.io/policy/."
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(c in _NOT_IN_ADDRESSES or not c.isprintable() for c in value)
    ):
        return f"'{value}' is not a web address. {example}"
    if parts.query or parts.fragment or value.endswith(("?", "#")):
        return (
            f"'{value}' has a query or fragment ('?' or '#'), after which no page's path can be "
            f"added. {example}"
        )
    return None


def site_address(site_url: str, path: str) -> str:
    """The address of `path` (from the site root) where the site is published; `path` itself,
    relative to the root, while that address is unknown."""
    return site_url.rstrip("/") + "/" + path if site_url else path


@dataclass(frozen=True)
class Choice:
    """One entry of a language or region switcher: where it leads, and whether it is here."""

    name: str
    name_language: str  # the language its name is written in, which the page marks
    url: str
    language: Language
    current: bool


@lru_cache(maxsize=65536)
def _choice(name: tuple[str, str], url: str, tag: str, current: bool) -> Choice:  # noqa: FBT001
    """One `Choice` for equal entries (`name`: its words and their language): the same switcher
    entry appears on the pages of every language (or region) of a version, and the body cache
    digests it once."""
    return Choice(
        name=name[0], name_language=name[1], url=url, language=_language(tag), current=current
    )


@lru_cache(maxsize=65536)
def _toc_entry(anchor: str, title: str, values: tuple[str, ...], direction: str) -> tuple[str, str]:
    """One (anchor, title as HTML) for equal entries of the tables of contents, the values that
    read the other way isolated as in the clause's heading (bidi.py): thousands of pages list
    the same clauses, and a process that sorts pages sends them over once, not once per page."""
    return (anchor, str(isolate(html.escape(title, quote=False), values, direction)))


@lru_cache(maxsize=256)
def _language(tag: str) -> Language:
    """One `Language` per tag: the pages' contexts share it, and the body cache digests it once."""
    return Language(tag=tag)


def _relpath(path: str, start: str) -> str:
    """`posixpath.relpath` for site addresses, without its trips to the file system (it is called
    for every link of every page)."""
    if ".." in path or ".." in start or path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    to = [s for s in path.split("/") if s and s != "."]
    at = [s for s in start.split("/") if s and s != "."]
    common = 0
    while common < min(len(to), len(at)) and to[common] == at[common]:
        common += 1
    return "/".join([".."] * (len(at) - common) + to[common:]) or "."


def chooser_name(language: str) -> str:
    """What the navigation calls the chooser, in `language`: not the site's name, which heads
    the navigation already."""
    return interface_translations(language).gettext("Choose your region and language")


def region_anchor(jurisdiction: str) -> str:
    """The id of a region's group on the chooser, which the region's folder page leads to."""
    return f"region-{jurisdiction}"


RETIRED_ANCHOR = "policy-retired"
"""The id of the chooser's list of documents no longer maintained."""


def jurisdiction_order(publication: Publication) -> list[str]:
    """The regions a shopper chooses from: the jurisdictions the policy publishes documents for,
    in the order the chooser, the switchers and the navigation list them, those that extend
    none first, then the others, each group by id. A retired document's region is not one of
    them unless the policy still publishes it in another language: the chooser lists retired
    documents apart."""
    jurisdictions = publication.policy.jurisdictions
    published = {jid for (jid, _), h in publication.documents.items() if not h.retired}
    return sorted(published, key=lambda jid: (jurisdictions[jid].extends is not None, jid))


def language_order(policy: Policy, jurisdiction: str, language: str) -> tuple[int, str]:
    """Where a document's language stands among its jurisdiction's: as `jurisdictions.yml` lists
    them, then any it no longer lists, by tag."""
    listed = policy.jurisdictions.get(jurisdiction)
    order = listed.languages if listed else ()
    return (order.index(language) if language in order else len(order), language)


def render_pages(publication: Publication) -> list[Page]:
    """Every page of the site: chooser, and per document the current page, change log, archive,
    each version and each redline."""
    return list(iter_pages(publication))


def iter_pages(
    publication: Publication,
    part: int = 0,
    parts: int = 1,
    bodies: Any = None,
    *,
    defer: bool = False,
    site_url: str = "",
) -> Iterator[Page]:
    """The pages of `render_pages`, one at a time: a build writes each before the next is made,
    so a long history's pages are never all in memory at once.

    With `parts`, only part number `part` of them: the documents are shared out by language (the
    documents of one language share their clauses, and so the work of rendering them), and the
    chooser comes with part 0. The parts, taken in turn document by document, are all the pages.
    `bodies` (a `bodies.BodyCache`) gives the bodies an earlier build rendered from the same values.
    With `defer`, a body that is not in that cache is a `Body` rendered when its text is asked for.
    `site_url`: the address the site is published at, if known.
    """
    renderer = _Renderer(publication, bodies, defer=defer, site_url=site_url)
    languages = sorted({language for _, language in publication.documents})
    if part == 0:
        yield renderer.chooser()
    for history in publication.documents.values():
        if languages.index(history.language) % parts == part:
            yield from renderer.document_pages(history)


class _Renderer:
    def __init__(
        self, publication: Publication, bodies: Any = None, defer: bool = False, site_url: str = ""
    ) -> None:
        self.publication = publication
        self.site_url = site_url
        """The address the site is published at, if known: a version's page names its own."""
        self.bodies = bodies
        self.defer = defer
        self.policy = publication.policy
        self.today = publication.reference_date
        # The policy's title in the source language: the chooser's heading.
        self._site_title = publication.title_in(self.policy.source_language)
        self._histories: dict[tuple[str, str], tuple[ClauseHistory, ...]] = {}
        self._histories_at: dict[
            tuple[str, str], tuple[list[int], list[dict[str, ClauseHistory]]]
        ] = {}
        self._sections: dict[tuple, tuple[ComposedClause, Any, Markup]] = {}
        self._translations: dict[tuple[str, str], tuple[dict[int, int], dict[str, int]]] = {}
        self._texts: dict[str, dict[int, str]] = {}
        self._shared_sections: dict[tuple[int, int, tuple[str, ...]], Section] = {}
        self._formers: dict[tuple[str, str], dict[int, dict[str, tuple[str, ...]]]] = {}
        self._removable: dict[tuple[str, str], list[ClauseHistory]] = {}
        # The switchers' documents, by jurisdiction and by language (the publication is fixed).
        self._by_jurisdiction: dict[str, list[DocumentHistory]] = {}
        self._by_language: dict[str, list[DocumentHistory]] = {}
        self._region_entries: dict[
            tuple[tuple[str, str], str], list[tuple[DocumentHistory, Choice | None]]
        ] = {}
        self._frames: dict[str, dict[str, Any]] = {}
        self._change_macros: dict[str, Any] = {}
        """`templates/_change.html` as a module, by language."""

    # Pages -------------------------------------------------------------------------------

    def chooser(self) -> Page:
        groups = []
        for jid in jurisdiction_order(self.publication):
            docs = [
                h
                for h in self.publication.documents.values()
                if h.jurisdiction == jid and not h.retired
            ]
            groups.append(
                {
                    "id": jid,
                    "anchor": region_anchor(jid),
                    "name": self._jurisdiction_name(jid),
                    "documents": [
                        {
                            "language": _language(h.language),
                            "url": document_url(*h.key),
                            "suggestion": self._suggestion(h),
                            "suggestion_language": wording_language(h.language),
                        }
                        for h in sorted(docs, key=self._language_order)
                    ],
                }
            )
        # Listed apart, where the chooser's script never looks: the policy no longer publishes
        # them, so no browser is offered one.
        retired = [
            {
                "language": _language(h.language),
                "url": document_url(*h.key),
                "region": self._jurisdiction_name(h.jurisdiction),
            }
            for h in sorted(
                (h for h in self.publication.documents.values() if h.retired),
                key=lambda h: (h.jurisdiction, self._language_order(h)),
            )
        ]
        html = self._render(
            "chooser.html",
            "",
            self.policy.source_language,
            groups=groups,
            retired=retired,
            retired_anchor=RETIRED_ANCHOR,
        )
        return Page(
            url="",
            title=self._site_title,
            title_html=frame_html(
                [(self._site_title, self.policy.source_language)], self.policy.source_language
            ),
            html=html,
            language=self.policy.source_language,
            feed="feed.xml",
            modified=max(
                when
                for h in self.publication.documents.values()
                for when in (h.versions[0].date, h.retired_since)
                if when is not None
            ).date(),
            **self._frame(self.policy.source_language),
        )

    def document_pages(self, history: DocumentHistory) -> list[Page]:
        base = document_url(*history.key)
        current = history.shown(self.today)
        t = self._t(history.language)
        newest_first = list(reversed(history.versions))
        clauses = self._clause_histories(history)
        direction = _language(history.language).direction
        lag, lag_changed = self._lag_notice(history)
        pages = [
            self._version_page(history, current, base, current_page=True, lag=(lag, lag_changed)),
            self._own_page(
                history,
                "changes/",
                "changes.html",
                t.gettext("Changes"),
                standings=self._standings(history, of_changes=True),
                lag=lag,
                versions=newest_first,
                notice_changed=lag_changed,
            ),
            self._own_page(
                history,
                "v/",
                "archive.html",
                t.gettext("All versions"),
                standings=self._standings(history),
                last_days={v.number: history.last_day(v) for v in history.versions},
                retired_before={v.number for v in history.versions if history.retired_before(v)},
                versions=newest_first,
            ),
            # Any two versions, compared in the browser from the published v/<n>/document.json
            # files: n small files instead of n*(n-1)/2 precomputed redlines (see docs/site.md).
            self._own_page(
                history,
                "compare/",
                "compare.html",
                t.gettext("Compare versions"),
                versions=newest_first,
                default_old=max(1, min(current.number, history.latest.number - 1)),
                default_new=history.latest.number,
                former_ids={
                    v.number: formers
                    for v in history.versions
                    if (formers := self._former_ids(history, v))
                },
                isolated=isolated_values(
                    # Versions share most clause objects: each is read once.
                    {value for c in self._distinct_clauses(history) for _, value in c.variables},
                    direction,
                ),
            ),
            self._own_page(
                history,
                "history/",
                "history.html",
                t.gettext("History of each section"),
                toc=tuple(_toc_entry(c.anchor, c.title, c.inserted, direction) for c in clauses),
                clauses=clauses,
            ),
        ]
        for version in history.versions:
            pages.append(self._version_page(history, version, f"{base}v/{version.number}/"))
            if version.number > 1:
                pages.append(
                    self._redline_page(history, version, f"{base}changes/{version.number}/")
                )
        return pages

    def _standings(self, history: DocumentHistory, *, of_changes: bool = False) -> dict[int, str]:
        """Where each version stands today, by number, for the archive's badges, or for the
        change log's (`of_changes`): there, an entry is a change, and the change a version that
        never applied made takes effect with the version that replaced it, on the same day,
        unless it was withdrawn (`DocumentHistory.change_withdrawn`)."""
        standings = {v.number: history.standing(v, self.today) for v in history.versions}
        if of_changes:
            for version in history.versions:
                never = standings[version.number] is Standing.NEVER
                if never and not history.change_withdrawn(version):
                    upcoming = version.in_force_from > self.today
                    standings[version.number] = Standing.UPCOMING if upcoming else Standing.PAST
        return {number: standing.value for number, standing in standings.items()}

    def _version_page(
        self,
        history: DocumentHistory,
        version: Version,
        url: str,
        current_page: bool = False,
        lag: tuple[LagNotice | None, dt.date] = (None, dt.date.min),
    ) -> Page:
        language = history.language
        upcoming = _announcements(history, self.today) if current_page else ()
        events = self._clause_histories_in(history, version.number)
        formers = self._former_ids(history, version)
        # The template reads only what the page shows, never the whole history: an archived
        # version's page then has the same inputs from one build to the next until what it
        # shows changes, and the body cache (bodies.py) recognizes it.
        # The policy in force is headed as the site is now; a version's own page as it was.
        heading = None if current_page else self.publication.heading_written(version)
        html = self._render(
            "document.html",
            url,
            language,
            **self._document_context(history, url, heading),
            version=version,
            policy_title=heading[0] if heading else self.publication.title_written(language),
            current_page=current_page,
            standing=history.standing(version, self.today).value,
            last_day=history.last_day(version),
            permanent=site_address(
                self.site_url, f"{document_url(*history.key)}v/{version.number}/"
            )
            if self.site_url
            else None,
            retired=history.retired_since,
            retired_before=history.retired_before(version),
            can_compare=len(history.versions) > 1,
            sections=[
                self._section(
                    clause, events.get(clause.id), version, upcoming, formers.get(clause.id, ())
                )
                for clause in version.document.clauses
            ],
            removed=self._removed(history, version, formers),
            upcoming=upcoming,
            # The policy in force is the version it shows (`document_pages`).
            in_force_number=version.number if current_page else None,
            lag=lag[0],
            pending=current_page and history.waiting(self.today),
            applies_instead=self._applies_instead(history) if current_page else None,
        )
        label = (
            None
            if heading is None
            else self._t(language).gettext("Version %(number)s") % {"number": version.number}
        )
        return Page(
            url=url,
            **self._titles(history, label, heading),
            html=html,
            language=language,
            toc=tuple(
                _toc_entry(c.id, c.title, c.inserted, _language(language).direction)
                for c in version.document.clauses
            ),
            alternates=self._alternates(history, url if current_page else None),
            feed=document_url(*history.key) + "feed.xml",
            searchable=current_page,
            modified=max(
                history.changed_on(self.today, None if current_page else version),
                lag[1],
            ),
            **self._frame(history.language),
        )

    def _own_page(
        self,
        history: DocumentHistory,
        suffix: str,
        template: str,
        label: str,
        toc: tuple[tuple[str, str], ...] = (),
        notice_changed: dt.date = dt.date.min,
        **context: Any,
    ) -> Page:
        """One of a document's pages about all its versions (change log, archive, comparison,
        section history), at `suffix` under the document and titled `label`."""
        url = document_url(*history.key) + suffix
        html = self._render(
            template,
            url,
            history.language,
            **self._document_context(history, url),
            can_compare=len(history.versions) > 1,
            **context,
        )
        return Page(
            url=url,
            **self._titles(history, label),
            html=html,
            language=history.language,
            toc=toc,
            alternates=self._alternates(history, suffix),
            feed=document_url(*history.key) + "feed.xml",
            searchable=False,
            # A lag notice that changes on a day (an announced change that takes effect) dates
            # the page that shows it from that day.
            modified=max(history.changed_on(self.today), notice_changed),
            **self._frame(history.language),
        )

    def _redline_page(self, history: DocumentHistory, version: Version, url: str) -> Page:
        language = history.language
        previous = history.versions[version.number - 2]
        change = diff_versions(previous, version, self._former_ids(history, version))
        heading = self.publication.heading_written(version)
        html = self._render(
            "redline.html",
            url,
            language,
            **self._document_context(history, url, heading),
            change=change,
            version=version,
            previous=previous,
            compare_others=len(history.versions) > 2,
            brought_in=(brought_in := history.brought_in(version)),
            # What changes on the day: against the version in force before the first of them.
            in_force_before=history.versions[brought_in[0].number - 2] if brought_in else None,
        )
        label = self._t(language).gettext("What changed in version %(number)s") % {
            "number": version.number
        }
        return Page(
            url=url,
            **self._titles(history, label, heading),
            html=html,
            language=language,
            toc=tuple(
                _toc_entry(c.clause_id, c.title, c.inserted, _language(history.language).direction)
                for c in change.clauses
            ),
            feed=document_url(*history.key) + "feed.xml",
            searchable=False,
            modified=version.date.date(),  # what changed in it stays as it was
            **self._frame(history.language),
        )

    # Context -----------------------------------------------------------------------------

    def _document_context(
        self, history: DocumentHistory, url: str, heading: VersionHeading | None = None
    ) -> dict[str, Any]:
        """What every page of a document shows around its own content; its region's name as the
        site names it now, or as `heading` (a version's own)."""
        language = history.language
        base = document_url(*history.key)
        page = url[len(base) :]
        # The language the name is in is marked on the page while no catalog translates it.
        name, name_language = (
            heading[1]
            if heading
            else self.publication.jurisdiction_name_written(history.jurisdiction, language)
        )
        return {
            "base": base,
            "jurisdiction_name": name,
            "jurisdiction_name_language": name_language,
            "languages": [
                _choice(
                    (_language(h.language).native_name, h.language),
                    self._counterpart(history, h, page),
                    h.language,
                    h.language == language,
                )
                for h in self._siblings(history.jurisdiction)
                # A maintained document offers no translation that is not.
                if history.retired or not h.retired
            ],
            "jurisdictions": self._region_choices(history, page),
            "source_language": _language(self.policy.source_language),
        }

    def _region_choices(self, history: DocumentHistory, page: str) -> list[Choice]:
        """The region switcher's entries on a page of `history` (`page`: its address under the
        document's). Another region's entry leads to the same kind of page there, whichever
        version this page is of (see `_counterpart`): those are made once for every page of a
        kind, and only the entries of this page's own region for each page."""
        kind, _, number = page.rstrip("/").partition("/")
        key = (history.key, kind if number else page)
        entries = self._region_entries.get(key)
        if entries is None:
            entries = self._region_entries[key] = [
                (
                    h,
                    None
                    if h.jurisdiction == history.jurisdiction
                    else self._region(history, h, page),
                )
                for h in self._regions(history.language, history)
            ]
        return [choice or self._region(history, h, page) for h, choice in entries]

    def _region(self, history: DocumentHistory, other: DocumentHistory, page: str) -> Choice:
        return _choice(
            self.publication.jurisdiction_name_written(other.jurisdiction, history.language),
            self._counterpart(history, other, page),
            other.language,
            other.jurisdiction == history.jurisdiction,
        )

    @staticmethod
    def _distinct_clauses(history: DocumentHistory) -> Iterator[ComposedClause]:
        """Each clause object of a document's versions once."""
        seen: set[int] = set()
        for version in history.versions:
            for clause in version.document.clauses:
                if id(clause) not in seen:
                    seen.add(id(clause))
                    yield clause

    def _applies_instead(self, history: DocumentHistory) -> str | None:
        """Where the policy that applies until a translation's first version takes effect is
        published: the same region's document in the source language, when a version of it is
        in force (a translation added after the change it carries was announced); None for the
        source language, or when nothing applies yet in any language (the policy's first
        version is announced ahead)."""
        if history.language == self.policy.source_language:
            return None
        source = self.publication.documents.get((history.jurisdiction, self.policy.source_language))
        if source is None or source.applying(self.today) is None:
            return None
        return document_url(*source.key)

    def _lag_notice(self, history: DocumentHistory) -> tuple[LagNotice | None, dt.date]:
        """What a lagging translation's policy page and change log say of the source versions
        it lags behind, today: that the policy was updated (one of them is in force), and each
        date on which others, only announced, take effect; None when it does not lag. With the
        last day, up to today, on which the notice changed because one of them took effect
        (`dt.date.min` if none did): it dates those pages (kept out of the notice, whose values
        are the key of the pages' bodies in the cache, see `_render`)."""
        lag = history.lag
        if lag is None:
            return None, dt.date.min
        key = (history.jurisdiction, self.policy.source_language)
        source = self.publication.documents.get(key)
        if source is None:
            return LagNotice(source_url=None, updated=True), dt.date.min
        base = document_url(*key)
        behind = self.publication.lagged_behind(history, lag)
        ahead = [v for v in behind if v.in_force_from > self.today]
        took_effect = max(
            (v.in_force_from for v in behind if v.in_force_from <= self.today),
            default=dt.date.min,
        )
        notice = LagNotice(
            source_url=base,
            # Nothing found behind (a history that cannot tell): the notice says what it said.
            updated=len(ahead) < len(behind) or not behind,
            # One per date: versions announced for the same date take effect together, the
            # last of them applies (dates never go back: see `_announcements`).
            announced=tuple(
                LagAhead(date, tuple(group))
                for date, group in groupby(ahead, attrgetter("in_force_from"))
            ),
        )
        return notice, took_effect

    def _render(self, template: str, url: str, language: str, **context: Any) -> str | Body:
        key = None
        if self.bodies is not None:
            # Everything the body is made of (the templates and code are in the cache's own key):
            # the values the template reads, so that a value it ignores ('today') changes nothing.
            values = {"today": self.today, "site_title": self._site_title, **context}
            names = self.bodies.names_read(template, template_names)
            if names is not None:
                values = {name: value for name, value in values.items() if name in names}
            parts = (template, url, language, values)
            if self.defer and self.bodies.empty:
                # A first build: no body can be found, and the key serves only to keep the body
                # once rendered, which is after MkDocs has started; so it is digested then.
                return Body(None, partial(self._first, parts, template, url, language, context))
            key = self.bodies.key(parts)
            digest = self.bodies.find(key) if key else None
            kind = _kept_parts(template, context)
            if digest is not None and kind is not None:
                self.bodies.keep_parts(kind, context["base"], language)
            if digest is not None:
                return Body(digest, partial(self._stored, key, template, url, language, context))
        if self.defer:
            return Body(None, partial(self._fresh, key, template, url, language, context))
        return self._fresh(key, template, url, language, context)

    def _stored(
        self, key: str, template: str, url: str, language: str, context: dict[str, Any]
    ) -> str:
        """A body the cache has: read and checked, or rendered again if it is damaged."""
        stored = self.bodies.get(key)
        return stored if stored is not None else self._fresh(key, template, url, language, context)

    def _first(
        self, parts: tuple, template: str, url: str, language: str, context: dict[str, Any]
    ) -> str:
        """A body of a first build, rendered now and kept under the key of `parts`."""
        return self._fresh(self.bodies.key(parts), template, url, language, context)

    def _fresh(
        self, key: str | None, template: str, url: str, language: str, context: dict[str, Any]
    ) -> str:
        """A body rendered now, and kept in the cache under `key` if it has one."""
        html = self._render_template(template, url, language, **context)
        if key is not None:
            self.bodies.put(key, html)
        return html

    def _render_template(self, template: str, url: str, language: str, **context: Any) -> str:
        env = environment(language)
        lang = Language(tag=language)

        def link(target: str) -> str:
            return relative(url, target)

        wording = wording_language(language)

        def date_text(value: dt.date | dt.datetime) -> str:
            return long_date(_day(value), wording)

        def date(value: dt.date | dt.datetime) -> Markup:
            return _time(_day(value), wording, wording != language)

        # The link from this page to its document's folder (the chooser has no document).
        up = relative(url, context["base"]) if "base" in context else ""
        # A policy in force shows most of its sections as the build before did, a change log
        # most of its entries.
        kind = _kept_parts(template, context)
        kept = (
            self.bodies.kept_parts(kind, context["base"], language)
            if self.bodies is not None and kind is not None
            else None
        )

        def clause_section(section: Section) -> Markup:
            return self._clause_section(
                language,
                up,
                section,
                kept,
                lambda: {
                    "link": link,
                    "date": date,
                    **context,
                    "clause": section.clause,
                    "event": section.event,
                    "ahead": section.ahead,
                    "former_ids": section.former_ids,
                    "history_id": section.history_id,
                },
            )

        def change_entry(version: Version, standing: str) -> Markup:
            return self._change_entry(
                language,
                up,
                ChangeEntry(version, standing),
                kept,
                lambda: (version, standing, context["base"], link, date),
            )

        html = env.get_template(template).render(
            link=link,
            date=date,
            date_text=date_text,
            clause_section=clause_section,
            change_entry=change_entry,
            lang=lang,
            wording=Language(tag=wording),
            today=self.today,
            site_title=self._site_title,
            ChangeKind=ChangeKind,
            ChangeType=ChangeType,
            Edit=Edit,
            **context,
        )
        if kept is not None:
            kept.save()
        return html

    def _clause_section(
        self,
        language: str,
        up: str,
        section: Section,
        kept: KeptParts | None,
        context: Callable[[], dict[str, Any]],
    ) -> Markup:
        """A clause's section of a document page (templates/_clause.html), from the template's
        `context()`. The same clause with the same last change reads the same on every page at
        the same depth (`up`, the link to the document's folder), so it is rendered once for
        them, and on a policy in force taken from the sections it showed in the build before
        (`kept`); not a section that announces a change, which differs with the day."""
        clause, event = section.clause, section.event
        key = html = None
        if not section.ahead:
            key = (language, id(clause), id(event), up, section.former_ids)
            known = self._sections.get(key)
            # The entry holds the clause and event, so their ids cannot be reused meanwhile.
            if known is not None and known[0] is clause and known[1] is event:
                html = known[2]
            elif kept is not None:
                html = kept.find(section, up)
        if html is None:
            html = Markup(
                environment(language)
                .get_template("_clause.html")
                .render(ChangeKind=ChangeKind, ChangeType=ChangeType, Edit=Edit, **context())
            )
        if key is not None:
            if len(self._sections) > 65536:
                self._sections.clear()
            self._sections[key] = (clause, event, html)
            if kept is not None:
                kept.keep(section, up, html)
        return html

    def _change_entry(
        self,
        language: str,
        up: str,
        entry: ChangeEntry,
        kept: KeptParts | None,
        arguments: Callable[[], tuple],
    ) -> Markup:
        """A version's entry in its document's change log (the macro of templates/_change.html),
        from its `arguments()`; taken from the entries the change log showed in the build
        before (`kept`) when the version stands where it stood then."""
        html = kept.find(entry, up) if kept is not None else None
        if html is None:
            macros = self._change_macros.get(language)
            if macros is None:
                wording = Language(tag=wording_language(language))
                values = {"lang": Language(tag=language), "wording": wording}
                macros = self._change_macros[language] = (
                    environment(language)
                    .get_template("_change.html")
                    .make_module({**values, "ChangeKind": ChangeKind, "Edit": Edit})
                )
            html = macros.entry(*arguments())
        if kept is not None:
            kept.keep(entry, up, html)
        return html

    def _section(
        self,
        clause: ComposedClause,
        history: ClauseHistory | None,
        version: Version,
        upcoming: tuple[Announcement, ...],
        formers: tuple[str, ...],
    ) -> Section:
        """The clause's section on the page of `version`. Versions share most of their clauses
        and last changes, so their pages share the same `Section` objects, and the body cache
        digests each once."""
        event = history.last_change(version.number) if history else None
        ahead = (
            tuple(a for n in upcoming if (a := n.ahead_for(history, clause.id))) if history else ()
        )
        anchor = history.anchor if history else ""
        if ahead:
            return Section(
                clause=clause, event=event, ahead=ahead, former_ids=formers, history_id=anchor
            )
        # An event belongs to one history, so it tells the history's anchor too.
        key = (id(clause), id(event), formers)
        known = self._shared_sections.get(key)
        # The section holds the clause and event, so their ids cannot be reused meanwhile.
        if known is None or known.clause is not clause or known.event is not event:
            known = self._shared_sections[key] = Section(
                clause=clause, event=event, former_ids=formers, history_id=anchor
            )
        return known

    def _removed(
        self, history: DocumentHistory, version: Version, formers: dict[str, tuple[str, ...]]
    ) -> list[RemovedClause]:
        """The clauses an earlier version had and `version` has not, by each id they had that
        the page does not show (its clauses' ids and their `formers`): a link made to one
        tells where it went."""
        removable = self._removable.get(history.key)
        if removable is None:
            removable = self._removable[history.key] = [
                h
                for h in self._clause_histories(history)
                if any(e.type is ChangeType.REMOVED for e in h.events)
            ]
        gone = [(c, e) for c in removable if (e := c.gone_at(version.number)) is not None]
        if not gone:
            return []
        shown = {c.id for c in version.document.clauses} | {
            f for fs in formers.values() for f in fs
        }
        found: dict[str, RemovedClause] = {}
        for clause, event in gone:
            for anchor in dict.fromkeys((event.clause_id, *clause.former_ids)):
                known = found.get(anchor)
                # Two removed clauses that had the same id: the link finds the later one.
                if anchor not in shown and (known is None or known.number < event.version.number):
                    read_in, read_id = self._last_read(history, clause, event)
                    found[anchor] = RemovedClause(
                        id=anchor,
                        title=clause.title,
                        number=event.version.number,
                        effective=event.version.in_force_from,
                        read_in=read_in,
                        read_id=read_id,
                    )
        return list(found.values())

    def _last_read(
        self, history: DocumentHistory, clause: ClauseHistory, removal: ClauseEvent
    ) -> tuple[int, str]:
        """The version in which shoppers last read a removed clause, and its id there: the newest
        version before its removal that has it and applied (one that never did was a text
        corrected or withdrawn before its day), or the version just before if none did."""
        for number in range(removal.version.number - 1, 0, -1):
            ids = clause.ids_in(number)
            if not ids:
                break
            if history.standing(history.versions[number - 1], self.today) is not Standing.NEVER:
                return number, ids[0]
        return removal.version.number - 1, removal.clause_id

    def _former_ids(self, history: DocumentHistory, version: Version) -> dict[str, tuple[str, ...]]:
        """The ids the version's clauses had before they were renamed (renames.py), which its
        page keeps as anchors. They are found along the versions in the source language, which
        every translation of the jurisdiction follows (a translation that did not carry its text
        over to the new id would hide the rename), or along the document's own versions when the
        jurisdiction is not published in the source language."""
        guide = self.publication.documents.get(
            (history.jurisdiction, self.policy.source_language), history
        )
        found = self._formers.get(guide.key)
        if found is None:
            states = [clause_messages(v.document) for v in guide.versions]
            found = self._formers[guide.key] = {
                v.number: formers
                for v, formers in zip(guide.versions, former_ids(states), strict=True)
            }
        if guide is history:
            return found.get(version.number, {})
        # A translation's version, by the newest source-language version that publishes the
        # source text it translates (their numbers differ once a region stopped publishing the
        # source language for a while).
        number = self._translating(guide)[0].get(version.source_version)
        return found.get(number, {}) if number is not None else {}

    def _counterpart(self, history: DocumentHistory, other: DocumentHistory, page: str) -> str:
        """The same kind of page of another document: a switcher stays on the change log, on
        the archive, on the comparison; a version maps to the version translating the same text,
        and a document to itself (a version revised in translation only translates the same text
        as the revision, but the page being read is the version itself)."""
        base = document_url(*other.key)
        kind, _, number = page.rstrip("/").partition("/")
        if not number or other is history:
            return base + page
        if other.jurisdiction == history.jurisdiction and number.isdigit():
            mine = history.versions[int(number) - 1]
            by_source, by_text = self._translating(other)
            text = self._source_texts(history.jurisdiction).get(mine.source_version)
            same = by_source.get(mine.source_version) or by_text.get(text)
            if same is not None and (kind == "v" or same > 1):
                return f"{base}{kind}/{same}/"
        return f"{base}{kind}/"

    def _translating(self, history: DocumentHistory) -> tuple[dict[int, int], dict[str, int]]:
        """The newest version of a document that translates (or, in the source language,
        publishes) each source version, and each source text (by its hash, where the source
        language publishes it): a withdrawn change brings back a text that an earlier source
        version had."""
        found = self._translations.get(history.key)
        if found is None:
            texts = self._source_texts(history.jurisdiction)
            found = self._translations[history.key] = (
                {v.source_version: v.number for v in history.versions},
                {
                    texts[v.source_version]: v.number
                    for v in history.versions
                    if v.source_version in texts
                },
            )
        return found

    def _source_texts(self, jurisdiction: str) -> dict[int, str]:
        """The hash of each source version the jurisdiction's source-language document
        publishes, by its number; none when the source language is not published there."""
        source = self.publication.documents.get((jurisdiction, self.policy.source_language))
        found = self._texts.get(jurisdiction)
        if found is None:
            versions = source.versions if source is not None else ()
            found = self._texts[jurisdiction] = {v.source_version: v.hash for v in versions}
        return found

    def _siblings(self, jurisdiction: str) -> list[DocumentHistory]:
        """The jurisdiction's documents, for the language switcher, in the jurisdiction's order
        of languages."""
        found = self._by_jurisdiction.get(jurisdiction)
        if found is None:
            found = self._by_jurisdiction[jurisdiction] = sorted(
                (h for h in self.publication.documents.values() if h.jurisdiction == jurisdiction),
                key=self._language_order,
            )
        return found

    def _regions(self, language: str, here: DocumentHistory) -> list[DocumentHistory]:
        """One document per jurisdiction for the region switcher of `here`'s pages: in this
        language when it is published in it, else in the jurisdiction's first language. A retired
        region is offered nowhere but on its own pages, which say where the reader is."""
        found = self._by_language.get(language)
        if found is None:
            found = self._by_language[language] = self._choose_regions(language)
        return [*found, here] if here.retired and here not in found else found

    def _choose_regions(self, language: str) -> list[DocumentHistory]:
        chosen = []
        for jid in jurisdiction_order(self.publication):
            docs = [
                h
                for h in self.publication.documents.values()
                if h.jurisdiction == jid and not h.retired
            ]
            if docs:
                same = [h for h in docs if h.language == language]
                chosen.append(same[0] if same else min(docs, key=self._language_order))
        return chosen

    def _suggestion(self, history: DocumentHistory) -> str:
        """The chooser's offer to a browser that prefers this document, in its own language (in
        English where the interface has no words for it, the language's name too)."""
        language = Language(tag=history.language)
        wording = Language(tag=wording_language(history.language))
        return self._t(history.language).gettext("Continue in %(language)s · %(region)s") % {
            "language": language.name_in(wording),  # inside a sentence: "en français"
            "region": self._jurisdiction_name(history.jurisdiction, wording.tag),
        }

    def _clause_histories(self, history: DocumentHistory) -> tuple[ClauseHistory, ...]:
        """Each clause's history, as the history page lists them (a clause whose id changed
        keeps its history, see clause_history.py)."""
        key = history.key
        if key not in self._histories:
            formers = [self._former_ids(history, v) for v in history.versions]
            self._histories[key] = clause_histories(history.versions, formers)
        return self._histories[key]

    def _clause_histories_in(
        self, history: DocumentHistory, number: int
    ) -> Mapping[str, ClauseHistory]:
        """The histories by the id their clause has in version `number`: a page of a version
        before a clause's id changed shows it under its old id, even one a new clause took
        since."""
        known = self._histories_at.get(history.key)
        if known is None:
            histories = self._clause_histories(history)
            # The answer changes only where a clause takes an id or leaves it.
            starts = sorted(
                {n for h in histories for first, last, _ in h.ids for n in (first, last + 1)}
            )
            known = self._histories_at[history.key] = (
                starts,
                [{i: h for h in histories for i in h.ids_in(start)} for start in starts],
            )
        starts, found = known
        at = bisect_right(starts, number) - 1
        return found[at] if at >= 0 else {}

    def _alternates(self, history: DocumentHistory, suffix: str | None) -> tuple:
        """The page's translations for search engines (the sitemaps' hreflang): the same page
        of each maintained document of its region, itself among them. A retired document has
        none: it is no translation of the maintained ones, which do not name it back."""
        if suffix is None or history.retired:
            return ()
        base = document_url(*history.key)
        tail = "" if suffix == base else suffix
        return tuple(
            (h.language, document_url(*h.key) + tail)
            for h in sorted(self.publication.documents.values(), key=self._language_order)
            if h.jurisdiction == history.jurisdiction and not h.retired
        )

    def _titles(
        self,
        history: DocumentHistory,
        label: str | None = None,
        heading: VersionHeading | None = None,
    ) -> dict[str, str]:
        """A document page's `title` and `title_html`: `label` (the site's words naming the page;
        none for the policy itself), then the document's title and region, as the site names them
        now, or as `heading` (a version's own, see `Publication.heading_written`)."""
        language = history.language
        parts = list(
            heading
            or (
                self.publication.title_written(language),
                self.publication.jurisdiction_name_written(history.jurisdiction, language),
            )
        )
        if label is not None:
            parts.insert(0, (label, interface_language(language)))
        return {
            "title": " · ".join(text for text, _ in parts),
            "title_html": frame_html(parts, language),
        }

    def _jurisdiction_name(self, jid: str, language: str | None = None) -> str:
        # From the policy catalog (msgctxt "jurisdiction"), where translators translate them.
        return self.publication.jurisdiction_name(jid, language or self.policy.source_language)

    def _frame(self, language: str) -> dict[str, Any]:
        """What a page in `language` names in the theme's frame around it: the site, and the
        navigation's entries."""
        if language not in self._frames:
            names = [
                (chooser_name(language), interface_language(language)),
                *(
                    self.publication.jurisdiction_name_written(jid, language)
                    for jid in jurisdiction_order(self.publication)
                ),
            ]
            site_name, written = self.publication.title_written(language)
            self._frames[language] = {
                "site_name": site_name,
                "site_name_language": marked_language(written, language) or "",
                "navigation": tuple(frame_html([name], language) for name in names),
            }
        return self._frames[language]

    def _language_order(self, history: DocumentHistory) -> tuple[int, str]:
        return language_order(self.policy, history.jurisdiction, history.language)

    @staticmethod
    def _t(language: str):  # noqa: ANN205
        return interface_translations(language)


@dataclass(frozen=True, kw_only=True)
class RemovedClause:
    """A clause removed from a document, as a page of a later version answers a link to it."""

    id: str
    """The anchor the link names: the clause's id when removed, or one it had before."""
    title: str
    number: int
    """The version that removed it."""
    effective: dt.date
    """When that version took effect."""
    read_in: int
    """The version in which it can still be read as shoppers last read it (`_last_read`)."""
    read_id: str
    """Its id in that version."""


@dataclass(frozen=True)
class Announcement:
    """The announced versions that take effect on one date, oldest first: the last is the one
    that will apply, the others are replaced on their first day, and their changes take effect
    with it. The current page announces each date once."""

    versions: tuple[Version, ...]
    unchanged: bool = False
    """The version that will apply reads as the one in force until then: the changes announced
    for the date were withdrawn (see docs/authoring.md, "Moving an announced change")."""

    @property
    def applies(self) -> Version:
        """The version that will apply from the date."""
        return self.versions[-1]

    @property
    def date(self) -> dt.date:
        return self.applies.in_force_from

    @property
    def before(self) -> int:
        """The number of the version in force until then."""
        return self.versions[0].number - 1

    @property
    def changes(self) -> str:
        """Where what changes on the date is shown, from the document's folder: one version's
        redline, or the comparison of the version in force until then with the one after."""
        if len(self.versions) == 1:
            return f"changes/{self.applies.number}/"
        return f"compare/?from={self.before}&to={self.applies.number}"

    def ahead_for(self, history: ClauseHistory, anchor: str) -> ClauseAhead | None:
        """What the section of a clause (`anchor`: its id on the page) says of this date:
        nothing when none of the versions changes the clause; else where its change is shown (a
        redline shows the whole change when one version alone changes it: the others leave it
        as it was; a redline, and the comparison its script draws, have the clause under its id
        on the page, or under that id as a former one)."""
        changing = tuple(v for v in self.versions if history.change_in(v.number))
        if not changing or history.text_at(self.before) == history.text_at(self.applies.number):
            return None  # unchanged, or changed and changed back before the date
        if len(changing) == 1:
            return ClauseAhead(self.date, f"changes/{changing[0].number}/#{anchor}")
        return ClauseAhead(self.date, f"{self.changes}#{anchor}")


@dataclass(frozen=True)
class LagAhead:
    """A date on which source-language versions a translation lags behind take effect, and
    those versions, oldest first (the last applies from then)."""

    date: dt.date
    versions: tuple[Version, ...]


@dataclass(frozen=True)
class LagNotice:
    """What a lagging translation's pages say on the build's day (see `Pages._lag_notice`):
    whether a change it lags behind is in force (`updated`), and the dates of those only
    announced, each with the source-language versions that announce it."""

    source_url: str | None
    """The policy in force in the source language, if it is published."""
    updated: bool
    announced: tuple[LagAhead, ...] = ()
    """Each date on which versions it lags behind, only announced, take effect."""


@dataclass(frozen=True)
class ClauseAhead:
    """An announced date on which a clause changes, and where its change is shown (from the
    document's folder)."""

    date: dt.date
    changes: str


@lru_cache(maxsize=8192)
def _time(day: dt.date, wording: str, foreign: bool) -> Markup:
    """The day as the language `wording` writes it, and as ISO 8601 for software, marked with
    its language when it is not the page's (`foreign`): once per day and language (a change log
    shows every version's dates, and Markup's formatter is slow)."""
    language = (
        Markup(' lang="%s" dir="%s"') % (wording, _language(wording).direction) if foreign else ""
    )
    return Markup('<time datetime="%s"%s>%s</time>') % (
        day.isoformat(),
        language,
        long_date(day, wording),
    )


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _announcements(history: DocumentHistory, today: dt.date) -> tuple[Announcement, ...]:
    """The upcoming versions by the date they take effect (dates never go back)."""
    return tuple(
        Announcement(versions, unchanged=history.withdraws(versions[-1]))
        for _, group in groupby(history.upcoming(today), attrgetter("in_force_from"))
        if (versions := tuple(group))
    )


@dataclass(frozen=True)
class ChangeEntry:
    """A version as its document's change log lists it: with where it stands today."""

    version: Version
    standing: str
    """A `Standing`'s value, as `_Renderer._standings` tells it for the change log."""


@dataclass(frozen=True)
class Section:
    """A clause as a document page shows it: with its last change up to the page's version, and
    the announced versions that change it (on the page in force)."""

    clause: ComposedClause
    event: ClauseEvent | None
    ahead: tuple[ClauseAhead, ...] = ()
    former_ids: tuple[str, ...] = ()
    """The ids the clause had before it was renamed: links made with them lead to it."""
    history_id: str = ""
    """Its history's anchor on the history page (`ClauseHistory.anchor`)."""


def _kept_parts(template: str, context: dict[str, Any]) -> str | None:
    """The kind of parts (`bodies.PARTS`) a page keeps for the next build to take those that
    did not change: the clause sections of a policy in force, the entries of a change log."""
    if template == "document.html" and context.get("current_page"):
        return "sections"
    if template == "changes.html":
        return "changes"
    return None
