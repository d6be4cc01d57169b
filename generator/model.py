"""The values that flow through the pipeline: sources in, documents and versions out.

Everything here is a frozen value. Stages take values and return new ones; nothing is mutated in
place, so a value computed for one commit can be cached and shared with the next.
"""

from __future__ import annotations

import datetime as dt
import enum
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from babel import Locale


@dataclass(frozen=True, kw_only=True)
class Origin:
    """Where a value was written, for error messages."""

    path: str
    line: int | None = None


@dataclass(frozen=True, kw_only=True)
class Language:
    """A published language, named by its BCP 47 tag (`en`, `pt-BR`, `zh-Hans`)."""

    tag: str

    @cached_property
    def locale(self) -> Locale:
        """The CLDR locale, for dates and names."""
        return _locale(self.tag)

    @property
    def slug(self) -> str:
        """The path segment in published addresses: the tag in lower case."""
        return self.tag.lower()

    @property
    def catalog_name(self) -> str:
        """The folder under `locales/` (gettext's spelling: `pt_BR`, `zh_Hans`)."""
        return str(self.locale)

    @property
    def direction(self) -> str:
        """`rtl` for right-to-left scripts, else `ltr`."""
        return _direction(self.tag)

    def name_in(self, other: Language) -> str:
        """The language's name inside a sentence of another language ("Englisch", "inglés")."""
        return self.locale.get_display_name(other.locale) or self.tag

    @property
    def native_name(self) -> str:
        """The language's name in the language itself."""
        return _native_name(self.tag)


# Pages name languages thousands of times: parse each tag, and look up its names, once.
@lru_cache(maxsize=256)
def _locale(tag: str) -> Locale:
    return Locale.parse(tag, sep="-")


@lru_cache(maxsize=256)
def _direction(tag: str) -> str:
    return "rtl" if _locale(tag).character_order == "right-to-left" else "ltr"


@lru_cache(maxsize=256)
def _native_name(tag: str) -> str:
    locale = _locale(tag)
    name = locale.get_display_name(locale) or tag
    return name[:1].upper() + name[1:]


@dataclass(frozen=True, kw_only=True)
class Jurisdiction:
    """A legal area the policy is published for."""

    id: str
    name: str
    extends: str | None
    languages: tuple[str, ...]
    """BCP 47 tags, the first being the default language of this jurisdiction."""
    disclosures: tuple[str, ...]
    """Keys of the required-disclosure lists that apply (see `coverage`)."""
    origin: Origin


class BlockKind(enum.Enum):
    """What a block of clause text is; each block is translated as one message."""

    PARAGRAPH = "p"
    LIST_ITEM = "li"
    HEADING = "h"


@dataclass(frozen=True, kw_only=True)
class Block:
    """A paragraph, list item or sub-heading of a clause body."""

    kind: BlockKind
    prefix: str
    """The Markdown marker put back before the text (`- `, `1. `, `### `), empty for paragraphs."""
    text: str
    """The text without its marker: the message translators see."""
    group: int
    """Blocks of one list share a group number, so they are joined by single newlines."""
    line: int
    """Line in the source file where the block starts."""
    breaks: tuple[int, ...] = field(default=(), compare=False)
    """Where in `text` each of the block's source lines after the first begins: what is wrong
    at a place in the text is reported at its own line (`line_at`), however it is wrapped."""

    def line_at(self, offset: int) -> int:
        """The file line of the character at `offset` in `text`."""
        return line_at(self.line, self.breaks, offset)


def line_at(line: int, breaks: tuple[int, ...], offset: int) -> int:
    """The file line of the character at `offset` in a text that begins on `line` and whose
    further lines begin at `breaks` in it (`Block.breaks`): one rule for every check that
    reports a place in a block, so none of them falls back to the block's first line."""
    return line + bisect_right(breaks, offset)


class VariantMode(enum.Enum):
    """How a variant changes the text it inherits."""

    REPLACE = "replace"
    """The variant's text replaces the inherited text."""
    EXTEND = "extend"
    """The variant's text follows the inherited text."""


@dataclass(frozen=True, kw_only=True)
class Text:
    """The translatable part of one clause file: its title and body blocks."""

    context: str
    """The gettext `msgctxt` of its messages: `<clause id>` or `<clause id>@<jurisdiction>`."""
    title: str | None
    blocks: tuple[Block, ...]
    origin: Origin
    title_line: int | None = None
    """The line of its title in the file (when the file gives it one)."""

    @property
    def title_at(self) -> int:
        """Where a problem with its title is reported: the title's line, else the file's id's."""
        return self.title_line or self.origin.line or 1


@dataclass(frozen=True, kw_only=True)
class Clause:
    """A clause file: a section of the policy, identified by an id that never changes."""

    id: str
    title: str
    order: int
    jurisdictions: tuple[str, ...]
    topics: tuple[str, ...]
    text: Text
    jurisdiction_lines: tuple[int, ...] = field(default=(), compare=False)
    """The line of each of `jurisdictions` in the file, for a problem with one of them."""


@dataclass(frozen=True, kw_only=True)
class Variant:
    """A clause's different text in one jurisdiction and those that extend it."""

    clause_id: str
    jurisdiction: str
    mode: VariantMode
    topics: tuple[str, ...]
    text: Text
    jurisdiction_line: int = field(default=0, compare=False)
    """The line of `jurisdiction` in the file, for a problem with it."""


@dataclass(frozen=True, kw_only=True)
class ChangeNote:
    """`policies/change.yml`: the editors' description of the change a commit makes."""

    summary: str
    kind: ChangeKind
    effective: dt.date
    origin: Origin
    effective_line: int = 1
    """The line of `effective` in the file."""
    effective_time: str | None = None
    """A time of day written with the date (`2026-12-01T09:00:00-08:00`), as written: a version
    takes effect for a whole day, so `policy check` refuses a new note with one; a commit of
    the history that has one takes effect on its date, as it always did."""

    @property
    def says(self) -> tuple[str, str, str]:
        """What the note says, however the file is spelt (a byte order mark, Windows line
        endings, other quoting): two notes saying the same are the same note."""
        return (self.summary, self.kind.value, self.effective.isoformat())


class ChangeKind(enum.Enum):
    """Whether a change alters what the policy means."""

    MATERIAL = "material"
    """Changes rights, duties or processing; shoppers should read it."""
    EDITORIAL = "editorial"
    """Wording, typos, layout; the meaning is unchanged."""


@dataclass(frozen=True, kw_only=True)
class Policy:
    """Everything under `policies/` at one point in time, parsed and validated."""

    title: str
    source_language: str
    variables: Mapping[str, Any]
    jurisdictions: Mapping[str, Jurisdiction]
    clauses: Mapping[str, Clause]
    variants: Mapping[tuple[str, str], Variant]
    """Keyed by (clause id, jurisdiction id)."""
    change: ChangeNote | None
    conditions: Mapping[str, bool] = field(default_factory=dict)
    """Facts about the shop's processing that decide which conditional disclosures apply."""
    translated_variables: tuple[str, ...] = ()
    """The variables written in words (`company.country`), dotted: each language's catalog
    translates their values, which then fill its translations."""

    def lineage(self, jurisdiction_id: str) -> tuple[str, ...]:
        """The jurisdiction and those it extends, most general first (`global`, `eu`)."""
        chain: list[str] = []
        current: str | None = jurisdiction_id
        while current is not None and current not in chain:
            chain.append(current)
            current = self.jurisdictions[current].extends
        return tuple(reversed(chain))

    def documents(self) -> list[tuple[str, str]]:
        """Every (jurisdiction, language) published, in a stable order."""
        return [(j, lang) for j in sorted(self.jurisdictions) for lang in self.languages_of(j)]

    def languages_of(self, jurisdiction_id: str) -> tuple[str, ...]:
        """The languages a jurisdiction is published in."""
        return self.jurisdictions[jurisdiction_id].languages

    def texts(self) -> list[Text]:
        """Every translatable text, clauses first, in a stable order."""
        clauses = [c.text for c in sorted(self.clauses.values(), key=lambda c: (c.order, c.id))]
        variants = [self.variants[k].text for k in sorted(self.variants)]
        return clauses + variants


@dataclass(frozen=True, kw_only=True)
class ComposedClause:
    """A clause as one document shows it: translated, variables filled in, rendered."""

    id: str
    title: str
    paragraphs: tuple[str, ...]
    """The body's blocks as Markdown, in order, each with its list marker."""
    html: str
    """The body rendered and sanitized."""
    topics: tuple[str, ...]
    contexts: tuple[str, ...]
    """The message contexts (clause and variants) the text was composed from."""
    variables: tuple[tuple[str, str], ...] = ()
    """(name, value as text) of each variable filled into its title and body, each once. Not
    part of the version's hash: the same HTML is the same version."""

    @cached_property
    def inserted(self) -> tuple[str, ...]:
        """The values its variables put in: pages isolate them from text of the other direction
        (bidi.py). Kept once worked out: every page of every version that has the clause asks."""
        return tuple(dict.fromkeys(value for _, value in self.variables))


@dataclass(frozen=True, kw_only=True)
class Document:
    """The policy composed for one jurisdiction in one language."""

    jurisdiction: str
    language: str
    clauses: tuple[ComposedClause, ...]

    @property
    def key(self) -> tuple[str, str]:
        """(jurisdiction, language), the document's identity."""
        return (self.jurisdiction, self.language)

    def clause(self, clause_id: str) -> ComposedClause | None:
        """The clause with this id, if the document has it."""
        return next((c for c in self.clauses if c.id == clause_id), None)


@dataclass(frozen=True)
class Heading:
    """What heads a version's pages, as it read when the version was published: the policy's
    title (`site.yml`) and its region's name, each with the language it is written in (the
    source language's until a catalog translated it). Neither is in the hash, yet a copy of the
    version shows them: renamed later, they stay as they were on its pages."""

    title: str
    title_language: str
    region: str
    region_language: str


@dataclass(frozen=True, kw_only=True)
class Version:
    """One published state of a document; numbered from 1 and never renumbered."""

    jurisdiction: str
    language: str
    number: int
    commit: str
    date: dt.datetime
    """When the commit that made it landed (committer date, UTC)."""
    effective: dt.date
    """The effective date the editors declared."""
    in_force_from: dt.date
    """The day it applies: its effective date, but never before it was published nor before
    the version it follows (a fix to an announced text cannot bring that text forward)."""
    kind: ChangeKind
    summary: str
    summary_language: str
    """The language the summary is written in: the source language when not yet translated."""
    described: bool
    """False when the commit did not update change.yml and the summary is its subject line."""
    source_version: int
    """The version of the jurisdiction's source-language text it publishes: for a translation,
    the one it translates; in the source language, its own number, unless the region did not
    publish the source language for a while (its versions then go on counting from their own)."""
    hash: str
    """sha256 of the version's `document.json`, which anyone can recompute."""
    document: Document
    heading: Heading
    translation_only: bool = False
    """A translation was revised while its source text stayed the same."""

    @property
    def key(self) -> tuple[str, str]:
        """(jurisdiction, language) of the document this is a version of."""
        return (self.jurisdiction, self.language)


def utc_stamp(when: dt.datetime) -> str:
    """A commit's date as the feeds and records give it: RFC 3339, in UTC, to the second."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Standing(enum.Enum):
    """Where a version stands on a date (see `DocumentHistory.standing`)."""

    IN_FORCE = "in-force"
    """It applies on that date."""
    PAST = "past"
    """It applied, and a later version has applied since."""
    UPCOMING = "upcoming"
    """It is announced: it applies from a later date."""
    NEVER = "never"
    """It never applies: a later version, published before its first day, takes effect on that
    day (an announced text corrected before it applied, or a translation published after the
    change it carries was announced and revised since)."""


class ChangeType(enum.Enum):
    """What happened to one clause between two versions."""

    ADDED = "added"
    """The clause is new."""
    REMOVED = "removed"
    """The clause is gone."""
    MOVED = "moved"
    """The clause is unchanged but now stands elsewhere."""
    CHANGED = "changed"
    """The clause's title or text changed (it may also have moved)."""


class Edit(enum.Enum):
    """What a stretch of a redline is."""

    EQUAL = "equal"
    """Text in both versions."""
    INSERTED = "inserted"
    """Text only in the newer version."""
    DELETED = "deleted"
    """Text only in the older version."""


@dataclass(frozen=True, kw_only=True)
class LinkChange:
    """A link of a paragraph that leads somewhere else, or is new, or is gone: a change its words
    do not show."""

    text: str
    """The words that are the link (in the newer version, unless the link is gone)."""
    before: str | None
    """Where it led; None if the link is new."""
    after: str | None
    """Where it leads; None if the link is gone."""


@dataclass(frozen=True, kw_only=True)
class RedlineParagraph:
    """One paragraph of a redline: its marker and its stretches of equal, inserted, deleted text,
    and what changed that its words do not show."""

    prefix: str
    """The list marker or heading marks of the paragraph (from the newer version if both)."""
    segments: tuple[tuple[Edit, str], ...]
    links: tuple[LinkChange, ...] = ()
    """Its links that lead elsewhere now, are new or are gone."""
    restyled: bool = False
    """Its words and links are the same, and its formatting (emphasis, code) changed."""

    @property
    def edit(self) -> Edit:
        """EQUAL if unchanged, INSERTED or DELETED if wholly so, else EQUAL with marks inside."""
        kinds = {edit for edit, _ in self.segments}
        return kinds.pop() if len(kinds) == 1 else Edit.EQUAL

    @property
    def changed(self) -> bool:
        """Whether the paragraph changed: an insertion, a deletion, a link or its formatting."""
        return (
            bool(self.links)
            or self.restyled
            or any(edit is not Edit.EQUAL for edit, _ in self.segments)
        )


@dataclass(frozen=True, kw_only=True)
class ClauseChange:
    """The change to one clause between two versions of a document."""

    clause_id: str
    type: ChangeType
    title: str
    """The clause's title in the newer version (the older one when removed)."""
    old_title: str | None
    """The older title when it changed, else None."""
    before: ComposedClause | None
    """The clause in the older version; None when it was added."""
    after: ComposedClause | None
    """The clause in the newer version; None when it was removed."""
    moved: bool = False
    """The clause now stands elsewhere among the clauses (with CHANGED: and changed too)."""

    @property
    def renamed_from(self) -> str | None:
        """The clause's id in the older version, when its id changed (see renames.py)."""
        if self.before is not None and self.after is not None and self.before.id != self.after.id:
            return self.before.id
        return None

    @cached_property
    def paragraphs(self) -> tuple[RedlineParagraph, ...]:
        """The whole clause, with the changes marked inside, so each change keeps its context.

        Worked out (word by word) when first read: a build whose cache already has a redline's
        page needs to know which clauses changed, not how."""
        from generator.diff import clause_paragraphs  # diff builds on these values

        return clause_paragraphs(self.before, self.after)

    @property
    def inserted(self) -> tuple[str, ...]:
        """The values variables put into either version of the clause (see bidi.py)."""
        sides = (self.before, self.after)
        return tuple(dict.fromkeys(v for side in sides if side for v in side.inserted))


@dataclass(frozen=True, kw_only=True)
class Change:
    """Everything that changed in a document between two versions."""

    old: Version | None
    new: Version
    clauses: tuple[ClauseChange, ...]
