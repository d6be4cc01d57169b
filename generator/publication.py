"""What numbering the versions produces and every renderer reads: each document's history.

`versions.derive_versions` walks the commits and returns a `Publication`: the newest policy and,
for every document (a jurisdiction's policy in one language), its versions, its lag behind the
source language and its retirements. From those a `DocumentHistory` answers where a version
stands on a day (in force, upcoming, past, or never applied), which version a page shows, and
since when what the site says about it is unchanged. Nothing here reads git or composes text:
the pages, feeds, records and sitemaps are made from this value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from generator.interface import interface_language, interface_translations
from generator.model import Document, Language, Policy, Standing, Version
from generator.sources import DEFAULT_TITLE

if TYPE_CHECKING:
    from generator.catalogs import Translations
    from generator.compose import Composition
    from generator.errors import Problem
    from generator.history import Revision

SUMMARY_CONTEXT = "change"
"""The `msgctxt` under which catalogs translate change summaries."""

JURISDICTION_CONTEXT = "jurisdiction"
"""The `msgctxt` under which catalogs translate jurisdiction names."""

TITLE_CONTEXT = "site.title"
"""The `msgctxt` under which catalogs translate the policy's title (`policies/site.yml`), the
site's name in every page's header: a dot, which no clause id has, so no id is kept for it."""

VersionHeading = tuple[tuple[str, str], tuple[str, str]]
"""The title and region name a version's pages show, each with the language it is written in."""


@dataclass(frozen=True, kw_only=True)
class Lag:
    """A translation that has not caught up with its source text."""

    source_version: int
    """The newest source-language version, which the translation does not cover yet."""
    translated_version: int
    """The source-language version the translation's current version covers."""
    missing: int
    fuzzy: int
    since: dt.datetime
    """When the source version the translation lags behind was published."""
    began: dt.datetime
    """When the translation began to lag: the commit since which its pages say so (`since`
    moves on with each newer source version)."""


@dataclass(frozen=True, kw_only=True)
class EndedLag:
    """A lag of a translation that ended: a version of the translation caught up with its source
    (`caught_up`), or the source change it lagged behind was taken back (reverted, or an
    announced change withdrawn), and the translation was current again with no version of its
    own. Its feed tells its followers, in place of the lag notice they were given."""

    lag: Lag
    """The lag as it was at the last revision it lasted."""
    ended: dt.datetime
    """The date of the commit that ended it."""
    versions: int
    """How many versions the translation had when it ended (before a version that caught up)."""
    caught_up: bool


@dataclass(frozen=True, kw_only=True)
class DocumentHistory:
    """Every version of one document, and its state at the newest revision."""

    jurisdiction: str
    language: str
    versions: tuple[Version, ...]
    lag: Lag | None = None
    retired_since: dt.datetime | None = None
    """When the commit after which the policy no longer published this document landed (its
    pages stay, marked as such); None while the newest policy publishes it."""
    retirements: tuple[tuple[int, dt.datetime], ...] = ()
    """The earlier times the policy stopped publishing the document and published it again
    later: the number of its newest version then, which stopped applying, and when (as
    `retired_since`). Publishing it again made a new version."""
    ended_lags: tuple[EndedLag, ...] = ()
    """Every lag of the translation that ended, oldest first."""

    @property
    def key(self) -> tuple[str, str]:
        """(jurisdiction, language)."""
        return (self.jurisdiction, self.language)

    @property
    def retired(self) -> bool:
        """Whether the newest policy no longer publishes this document."""
        return self.retired_since is not None

    @property
    def retired_on(self) -> dt.date | None:
        """The day it was retired (`retired_since`), from which no version of it applies."""
        return self.retired_since.date() if self.retired_since is not None else None

    @property
    def every_retirement(self) -> tuple[tuple[int, dt.datetime], ...]:
        """Each time the policy stopped publishing the document, as `retirements` has them,
        the retirement still in effect last."""
        if self.retired_since is None:
            return self.retirements
        return (*self.retirements, (len(self.versions), self.retired_since))

    @property
    def latest(self) -> Version:
        """The newest version, which may not be in force yet."""
        return self.versions[-1]

    def in_force(self, on: dt.date) -> Version:
        """The version that applies on a date; before any applies, the one that will apply first
        (a version superseded on its own first day never applies); once the document is
        retired, the last that applied."""
        first = self.versions[0].in_force_from
        applying = [v for v in self.versions if v.in_force_from <= max(on, first)]
        return applying[-1]

    def applying(self, on: dt.date) -> Version | None:
        """The version that applies on a date; None before any does, and while the document
        is retired."""
        if self.not_yet_in_force(on) or self.stopped_on(on) is not None:
            return None
        return self.in_force(on)

    def stopped_on(self, on: dt.date) -> dt.date | None:
        """The day the policy stopped publishing the document, when it did not publish it on a
        date (retired since, or then); else None."""
        return max((day for day in self._stops(self.in_force(on)) if day <= on), default=None)

    def published_again(self, stopped: dt.date) -> Version | None:
        """The version with which the policy published the document again after it stopped
        publishing it on a day; None if it has not."""
        return next(
            (self.versions[newest] for newest, when in self.retirements if when.date() == stopped),
            None,
        )

    def retired_before(self, version: Version) -> bool:
        """Whether the policy stopped publishing the document before the version took effect
        (on that day, it applied)."""
        return any(day < version.in_force_from for day in self._stops(version))

    def _stops(self, version: Version) -> list[dt.date]:
        """The days the policy stopped publishing the document while `version` was one of its
        versions: each ends it, if nothing did before."""
        days = [when.date() for newest, when in self.retirements if version.number <= newest]
        return days + ([self.retired_on] if self.retired_on is not None else [])

    def until(self, version: Version) -> dt.date | None:
        """The first day `version` no longer applies: the next version's first day, or the day
        the document was retired if that comes first; None while neither is known."""
        ends = self._stops(version)
        if version.number < len(self.versions):
            ends.append(self.versions[version.number].in_force_from)
        # Retired before it took effect, it never applied: its dates are equal, never reversed.
        return max(min(ends), version.in_force_from) if ends else None

    def last_day(self, version: Version) -> dt.date | None:
        """The last day `version` applied, as a reader counts it ("in force until" that day):
        the day before `until`, or its first day if it was replaced on that day (it applied for
        part of it); None while it applies."""
        ends = self.until(version)
        return None if ends is None else max(ends - dt.timedelta(days=1), version.in_force_from)

    def standing(self, version: Version, on: dt.date) -> Standing:
        """Where a version stands on a date. A version whose successor takes effect on the same
        day never applies, whatever the date, when the successor was published before that day
        (an announced text corrected in time); published on the day itself, the successor
        replaced a version that had applied for part of it, which is past. Either way its
        dates are equal in the records."""
        if self.retired_before(version):
            return Standing.NEVER  # retired before it took effect (on its day: it applied)
        following = self.versions[version.number] if version.number < len(self.versions) else None
        if (
            following is not None
            and following.in_force_from == version.in_force_from
            # Published after it, whatever a skewed clock put in the commit.
            and max(following.date, version.date).date() < version.in_force_from
        ):
            return Standing.NEVER
        if version.in_force_from > on:
            return Standing.UPCOMING
        until = self.until(version)
        if until is not None and until <= on:
            return Standing.PAST
        return Standing.IN_FORCE

    def not_yet_in_force(self, on: dt.date) -> bool:
        """Whether no version of the document applies yet on a date (a translation published
        only after an announced change, for instance)."""
        return self.versions[0].in_force_from > on

    def shown(self, on: dt.date) -> Version:
        """The version the document's policy page shows on a date: the one that applies; while
        none does and the document is maintained (its first version announced ahead, or
        published again ahead of the change it carries), the next that will; once retired, the
        last that applied."""
        current = self.in_force(on)
        if self.retired or current.in_force_from > on or self.applying(on) is not None:
            return current
        coming = (v for v in self.versions[current.number :] if v.in_force_from > on)
        return next((v for v in coming if self.standing(v, on) is not Standing.NEVER), current)

    def waiting(self, on: dt.date) -> bool:
        """Whether no version of the maintained document applies on a date (see `shown`)."""
        return not self.retired and self.applying(on) is None

    def upcoming(self, on: dt.date) -> list[Version]:
        """Versions announced but not yet in force on a date, after the one the page shows."""
        current = self.shown(on)
        return [v for v in self.versions if v.number > current.number]

    def changed_on(self, on: dt.date, version: Version | None = None) -> dt.date:
        """The last day, up to `on`, on which what the site says about `version` changed, or
        about the document when None: the day a version was published, the day one took effect
        (which ends the one before), the day one was replaced before it took effect, the day a
        translation began to lag behind its source, and each day the document was retired. The
        sitemaps date each page by it (`lastmod`); a change of the site's own words or design
        does not count."""
        if version is None:
            published = [v.date.date() for v in self.versions]
            later = [v.in_force_from for v in self.versions]
            if self.lag is not None:
                later.append(self.lag.began.date())
        else:
            published = [version.date.date()]
            later = [version.in_force_from]
            if version.number < len(self.versions):
                following = self.versions[version.number]
                later.append(following.in_force_from)
                if following.in_force_from == version.in_force_from:  # it never applies
                    later.append(following.date.date())
        later += self._stops(version or self.versions[0])
        return max(published + [day for day in later if day <= on])

    def change_withdrawn(self, version: Version) -> bool:
        """Whether the change a version that never applied made (its redline against the version
        before) never reaches shoppers either: the document was retired before its day, or the
        version that applies from that day has the text of an earlier version (the change was
        withdrawn). Otherwise the change takes effect, corrected, with that version."""
        if self.retired_before(version):
            return True
        day = version.in_force_from
        applies = next(v for v in reversed(self.versions) if v.in_force_from == day)
        return applies.hash in {v.hash for v in self.versions[: version.number - 1]}

    def brought_in(self, version: Version) -> list[Version]:
        """The versions that never applied whose change takes effect with `version`: announced
        for its first day, and replaced before that day by it or by corrections before it, and
        not withdrawn (`change_withdrawn`). Its own note may call it editorial (a typo fixed in
        the announced text), while what changes that day is theirs too. Empty for a version
        that never applies itself. A first version is never among them: nothing applied before
        it, so it makes no change."""
        if self.standing(version, version.in_force_from) is Standing.NEVER:
            return []
        return [
            earlier
            for earlier in self.versions[1 : version.number - 1]  # a first version changes nothing
            if earlier.in_force_from == version.in_force_from
            and self.standing(earlier, version.in_force_from) is Standing.NEVER
            and not self.change_withdrawn(earlier)
        ]

    def withdraws(self, version: Version) -> bool:
        """Whether `version` reads as the version in force until the day it takes effect, other
        versions having been announced for that day: it withdraws their change, and nothing
        changes on that day (see docs/authoring.md, "Moving an announced change")."""
        return withdraws_announced(self.versions, version)


@dataclass(frozen=True, kw_only=True)
class Publication:
    """Everything the renderers need: the newest policy and every document's history."""

    policy: Policy
    head: Revision
    documents: dict[tuple[str, str], DocumentHistory]
    reference_date: dt.date
    """'Today' for this build: from SOURCE_DATE_EPOCH or the newest commit, never the clock."""
    first_commit: str = ""
    """The commit of the first revision with a valid policy, in the order of the history (its
    date may be later than a later commit's, whose clock was behind); "" for a draft alone."""
    problems: list[Problem] = field(default_factory=list)
    translations: dict[str, Translations] = field(default_factory=dict)
    """The head revision's policy catalogs, by language tag (for names the pages show)."""
    compositions: dict[tuple[str, str], Composition] = field(default_factory=dict)
    """The head revision's documents as composed, by (jurisdiction, language): its check need
    not compose them again."""
    former_names: dict[str, str] = field(default_factory=dict)
    """The name of each jurisdiction the newest policy no longer has, as the last policy that
    had it named it: its retired documents' region."""

    def lagged_behind(self, history: DocumentHistory, lag: Lag) -> Sequence[Version]:
        """The source-language versions a translation's `lag` is behind, oldest first: those
        after the one its last complete version translates, up to the one it lags behind; none
        when the region does not publish the source language."""
        source = self.documents.get((history.jurisdiction, self.policy.source_language))
        return source.versions[lag.translated_version : lag.source_version] if source else ()

    def jurisdiction_name(self, jurisdiction_id: str, language: str) -> str:
        """A jurisdiction's name in a language: its reviewed translation, else the source name."""
        return self.jurisdiction_name_written(jurisdiction_id, language)[0]

    def jurisdiction_name_written(self, jurisdiction_id: str, language: str) -> tuple[str, str]:
        """`jurisdiction_name`, and the language it is written in (the source language's,
        until a catalog translates it), which a page marks when it is not the page's."""
        jurisdiction = self.policy.jurisdictions.get(jurisdiction_id)
        name = (
            jurisdiction.name
            if jurisdiction
            else self.former_names.get(jurisdiction_id, jurisdiction_id)
        )
        return self._translated(language, JURISDICTION_CONTEXT, name)

    def title_in(self, language: str) -> str:
        """The policy's title (`site.yml`) in a language: its reviewed translation, else the
        source title; the default title, when no catalog translates it, in the site's own words
        for the language. Every page, feed and the error page name the site by it."""
        return self.title_written(language)[0]

    def title_written(self, language: str) -> tuple[str, str]:
        """`title_in`, and the language it is written in."""
        return _titled(self._translated(language, TITLE_CONTEXT, self.policy.title), language)

    def heading_written(self, version: Version) -> VersionHeading:
        """The title and the region's name that head `version`'s own pages, each with the
        language it is written in: as they read when it was published (see `Heading`)."""
        heading = version.heading
        return (
            _titled((heading.title, heading.title_language), version.language),
            (heading.region, heading.region_language),
        )

    def _translated(self, language: str, context: str, text: str) -> tuple[str, str]:
        """A reviewed translation of `text` into `language`, else `text`; and the language of
        what it returns."""
        return translated(
            self.translations.get(language), context, text, language, self.policy.source_language
        )

    def languages(self) -> list[Language]:
        """Every language any document is published in, source language first."""
        tags = sorted(
            {lang for _, lang in self.documents},
            key=lambda t: (t != self.policy.source_language, t),
        )
        return [Language(tag=t) for t in tags]


def document_json(document: Document) -> bytes:
    """The canonical, published form of a document's text; its sha256 is the version hash.

    It is `json.dumps` of {"clauses": [{"html", "id", "title"}, ...], "jurisdiction", "language"}
    with sorted keys and no spaces, put together from each clause's own JSON: a history holds
    thousands of versions that share most of their clauses.
    """
    clauses = ",".join(_clause_json(c.id, c.title, c.html) for c in document.clauses)
    tail = _canonical({"jurisdiction": document.jurisdiction, "language": document.language})
    return ('{"clauses":[' + clauses + "]," + tail[1:]).encode()


@lru_cache(maxsize=16384)
def _clause_json(clause_id: str, title: str, html: str) -> str:
    return _canonical({"id": clause_id, "title": title, "html": html})


def _canonical(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(document: Document) -> str:
    """sha256 of `document_json`."""
    return hashlib.sha256(document_json(document)).hexdigest()


def translated(
    translations: Translations | None, context: str, text: str, language: str, source: str
) -> tuple[str, str]:
    """A reviewed translation of `text` into `language` (`translations`, its catalog), else
    `text`; and the language of what it returns (`source`, the source language's)."""
    entry = translations.get(context, text) if translations else None
    if entry and entry.reviewed:
        return entry.string, language
    return text, source


def _titled(title: tuple[str, str], language: str) -> tuple[str, str]:
    """A title as a page in `language` shows it, with the language it is written in: the
    default title, untranslated, in the site's own words for the language."""
    if title[0] == DEFAULT_TITLE:
        return interface_translations(language).gettext("Privacy policy"), interface_language(
            language
        )
    return title


def withdraws_announced(versions: Sequence[Version], version: Version) -> bool:
    """Whether `version`, one of a document's `versions`, withdraws the change of those announced
    for the day it takes effect (see `DocumentHistory.withdraws`)."""
    first = min(v.number for v in versions if v.in_force_from == version.in_force_from)
    return 1 < first < version.number and versions[first - 2].hash == version.hash
