"""Stage 4: turn the revisions of the sources into numbered versions of every document: the
`publication.Publication` the renderers read.

A document gets a version when a revision changes its composed text (its hash). Source-language
versions take their summary, kind and effective date from `change.yml` as the same commit rewrote
it. A translation gets a version only when it is complete; while it lags, it keeps its last complete
version, and the lag is recorded so the pages can say so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from generator.catalogs import Translations, catalog_path, is_catalog
from generator.compose import Composition
from generator.errors import PolicyError, Problems, Severity
from generator.history import Revision, read_ahead
from generator.incremental import CatalogLoader, Composer
from generator.interface import interface_language, interface_translations
from generator.model import (
    ChangeKind,
    ChangeNote,
    ComposedClause,
    Document,
    Heading,
    Language,
    Policy,
    Version,
)
from generator.processes import Forked, Send, can_fork
from generator.publication import (
    JURISDICTION_CONTEXT,
    SUMMARY_CONTEXT,
    TITLE_CONTEXT,
    DocumentHistory,
    EndedLag,
    Lag,
    Publication,
    content_hash,
    translated,
    withdraws_announced,
)
from generator.sources import (
    CHANGE_FILE,
    jurisdiction_ids,
    policy_reading,
    read_policy,
    remember_reading,
)

if TYPE_CHECKING:
    from generator.checkpoints import Checkpoints

log = logging.getLogger(__name__)


LAST_EPOCH = 2**32 - 1
"""The latest SOURCE_DATE_EPOCH a build can be dated with (2106-02-07 06:28:15 UTC): the gzip
header of the sitemap index (`sitemap.xml.gz`) holds its date in four bytes."""


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH, the seconds since 1970 (UTC) that date a build instead of the clock; None
    when it is not set. A value that is no whole number from 0 to `LAST_EPOCH`, written in ASCII
    digits alone, is an error: the specification (reproducible-builds.org) asks a build to refuse
    a malformed value, which Python's `int` would read (' 1', '+1', '1_000', Arabic-Indic
    digits), and another tool that reads the same variable would not."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    seconds = int(value) if value.isascii() and value.isdigit() else -1
    if not 0 <= seconds <= LAST_EPOCH:
        raise PolicyError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds from 0 (1970-01-01) to "
            f"{LAST_EPOCH} (2106-02-07), not '{value}'. Set it to the day to build for, such as "
            "$(date -u -d 2027-01-01 +%s), or unset it to date the build by its newest commit."
        )
    return seconds


def now() -> dt.datetime:
    """The time a commit made now would get: SOURCE_DATE_EPOCH's, else the clock's. It dates the
    working tree (`policy serve`, and `policy diff` without HEAD: a change note's date counts
    from the day it is committed, not from the commit before) and is `policy check`'s today."""
    epoch = source_date_epoch()
    return dt.datetime.now(dt.UTC) if epoch is None else dt.datetime.fromtimestamp(epoch, dt.UTC)


def _undescribed(revision: Revision, jurisdictions: list[str]) -> str:
    """The warning that a revision changed these jurisdictions' policies with the last change's
    change.yml: for a commit, its message gives the summary (a merge's, the pull request's
    title), quoted as the pages show it; in a preview, the edits are not committed yet, and can
    still say what they change."""
    which = f"the {', '.join(jurisdictions)} {'policy' if len(jurisdictions) == 1 else 'policies'}"
    if not revision.commit:
        return (
            f"your edits change {which}, but change.yml still describes the last change: the "
            f"preview shows '{revision.subject}' as the summary. Rewrite change.yml before you "
            "commit."
        )
    return (
        f"commit {revision.label} changed {which} without updating change.yml; the summary is "
        f"taken from its message: '{revision.subject}'."
    )


def derive_versions(
    revisions: Iterable[Revision],
    reference_date: dt.date | None = None,
    checkpoints: Checkpoints | None = None,
    advance: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> Publication | None:
    """Every document's versions through the revisions; None if no revision had a valid policy.

    With `checkpoints`, the walk resumes after the newest commit they have a state for, and the
    state after the last commit (not the working tree's draft) is saved for the next build.
    `advance(n)` is told as each revision (or the n a checkpoint covers) is done. With `jobs`
    above 1, a walk from the first commit is shared by that many processes, this one and forked
    ones (see `_walk_shared`).
    """
    revisions = list(revisions)
    commits = [revision.commit for revision in revisions]
    resumed = checkpoints.resume(commits) if checkpoints is not None else None
    start, builder = resumed if resumed is not None else (0, _Builder())
    if advance is not None and start:
        advance(start)
    last = max((i for i, commit in enumerate(commits) if commit), default=-1)
    shares = _shares(revisions, jobs) if resumed is None and last >= 0 else []
    if len(shares) > 1 and can_fork():
        builder = _walk_shared(revisions[: last + 1], shares, advance)
        if checkpoints is not None:
            checkpoints.save(commits[last], builder)
        start = last + 1
    read_ahead(revisions[start:])
    for index in range(start, len(revisions)):
        builder.add(revisions[index])
        if checkpoints is not None and index == last:
            checkpoints.save(commits[index], builder)
        if advance is not None:
            advance(1)
    return builder.finish(reference_date)


@dataclass(frozen=True)
class _Share:
    """One part of a walk shared among processes: every translation but those whose catalogs
    are in `others` (so a language with no catalog is composed by every part, cheaply: it has no
    version), and of the catalogs in `split`, the documents of its own jurisdictions. Every part
    composes the source language too, which numbers the translations' versions and says which
    commits are valid."""

    others: frozenset[str]
    split: tuple[str, ...] = ()
    """Catalogs left over when they do not divide evenly among the parts: their documents are
    dealt out by jurisdiction, so that no part has a whole language more than another."""
    part: int = 0
    parts: int = 1
    places: Mapping[str, int] = field(default_factory=dict)
    """Each jurisdiction's place in the newest revision, by which they are dealt out."""

    def reads(self, path: str) -> bool:
        """Whether this part reads the file at `path`: every file but the catalogs that are
        wholly other parts'."""
        return path not in self.others

    def owns(self, jurisdiction: str, language: str) -> bool:
        """Whether this part composes the translation of `jurisdiction`'s policy into
        `language`."""
        catalog = catalog_path(Language(tag=language))
        if catalog in self.split:
            # A jurisdiction the newest revision lacks still has one owner all along.
            place = self.places.get(jurisdiction, zlib.crc32(jurisdiction.encode()))
            return (place + self.split.index(catalog)) % self.parts == self.part
        return catalog not in self.others


def _shares(revisions: Sequence[Revision], jobs: int) -> list[_Share]:
    """The parts a walk of these revisions is shared in: the catalogs any of them has, dealt
    round in `jobs` parts (fewer if there are fewer catalogs), those left over dealt out by
    jurisdiction; none for one part."""
    if jobs <= 1:
        return []
    catalogs = sorted(
        {path for revision in revisions for path in revision.files if is_catalog(path)}
    )
    parts = min(jobs, len(catalogs))
    if parts <= 1:
        return []
    whole = len(catalogs) - len(catalogs) % parts
    split = tuple(catalogs[whole:])
    places = {j: i for i, j in enumerate(jurisdiction_ids(revisions[-1].files))}
    return [
        _Share(
            others=frozenset(catalogs[:whole]) - frozenset(catalogs[part:whole:parts]),
            split=split,
            part=part,
            parts=parts,
            places=places,
        )
        for part in range(parts)
    ]


def _walk_shared(
    revisions: list[Revision], shares: list[_Share], advance: Callable[[int], None] | None
) -> _Builder:
    """The walk through every revision, its translations shared among processes, one per share,
    and their states merged: the very versions, lags and problems one process finds (tests
    compare them). This process walks the first share itself, reporting each revision as it is
    done, and forks one process for each of the others: it would only wait for them otherwise,
    and its own state need not be pickled, sent back and unpickled."""
    workers = [Forked(partial(_walk_other_part, revisions, share)) for share in shares[1:]]
    try:
        own = _walk_part(revisions, shares[0], advance=advance)
        # The files of the newest revision, which this process reads again after the walk (to
        # check it, to save its state), while the other parts finish.
        read_ahead(revisions[-1:])
        outcomes = [own, *(worker.result() for worker in workers)]
    except BaseException:
        for worker in workers:
            worker.stop()
        raise
    return _Builder.merged(outcomes)


def _walk_other_part(revisions: list[Revision], share: _Share, send: Send) -> _Builder:  # noqa: ARG001
    """In a forked process: the walk with one share of the translations, and what of its state
    the merge takes (see `_Builder.part_state`)."""
    return _walk_part(revisions, share).part_state()


def _walk_part(
    revisions: list[Revision], share: _Share, advance: Callable[[int], None] | None = None
) -> _Builder:
    """The walk with one share of the translations; `advance` is told as each revision is done.
    Each part first reads the files it needs from git, in one run of its own: the catalogs of
    the other parts' languages are most of the history's bytes, and reading them all took a
    single process 0.4 to 0.75 s on W-large before any part could start."""
    read_ahead(revisions, share.reads)
    builder = _Builder(share)
    for revision in revisions:
        builder.add(revision)
        if advance is not None:
            advance(1)
    return builder


class _Builder:
    """Accumulates versions revision by revision; keeps only what the next revision needs."""

    def __init__(self, share: _Share | None = None) -> None:
        self.share = share
        """The translations this walk composes, when it is one part of a shared walk."""
        self.versions: dict[tuple[str, str], list[Version]] = {}
        self.sources: dict[str, list[Version]] = {}
        """Source-language versions per jurisdiction, published in that language or not."""
        self.first_with_text: dict[str, int] = {}
        """The number of the first source-language version with each text (by hash, which
        names the jurisdiction): a text that comes back is found at once."""
        self.lags: dict[tuple[str, str], Lag | None] = {}
        self.ended_lags: dict[tuple[str, str], list[EndedLag]] = {}
        """The lags that ended while the document was published (see `EndedLag`)."""
        self.policy: Policy | None = None
        self.head: Revision | None = None
        self.compositions: dict[tuple[str, str], Composition] = {}
        self.problems = Problems()
        self._catalogs = CatalogLoader()
        self._composer = Composer(self._catalogs)
        self._reported: set[tuple[str, bytes]] = set()
        self._clauses: dict[ComposedClause, ComposedClause] = {}
        self._headings: dict[Heading, Heading] = {}
        self.names: dict[str, str] = {}
        """Every jurisdiction's name, as the last policy that had it named it."""
        self.retired_since: dict[tuple[str, str], dt.datetime] = {}
        """The documents published before and not by the newest policy, by the date of the first
        commit that no longer published them."""
        self.retirements: dict[tuple[str, str], list[tuple[int, dt.datetime]]] = {}
        """The earlier retirements of documents published again since (see
        `DocumentHistory.retirements`)."""
        self.first: str | None = None
        """The commit of the first revision the walk accepted (see `Publication.first_commit`)."""
        self.newest: dt.datetime | None = None
        """The latest date of the accepted revisions: 'today' never goes back to a commit whose
        clock was behind its parent's."""
        self._notes: set[tuple[str, str, str]] = set()
        """What change.yml said at each accepted revision: a note is new when no earlier one
        said the same, so a note rewritten in a commit that was skipped as invalid still
        describes the commit that fixes it, and a note is never reused by a later change, the
        next one or one a revert brings back."""

    def add(self, revision: Revision) -> None:
        policy, problems = read_policy(revision.files)
        if policy is None:
            errors = [p for p in problems if p.severity is Severity.ERROR]
            # Name what this commit broke rather than what that broke elsewhere.
            first = next((p for p in errors if p.path in revision.changed), None) or next(
                iter(errors), None
            )
            self.problems.warn(
                first.path if first else "policies",
                first.line if first else None,
                "history.invalid",
                f"commit {revision.label} ('{revision.subject}') does not pass policy check "
                f"({first.message.rstrip('.') if first else 'invalid'}); its changes are not published.",
            )
            return
        compositions = self._compose_all(policy, revision)
        if compositions is None:
            return
        self.policy, self.head, self.compositions = policy, revision, compositions
        self.first = revision.commit if self.first is None else self.first
        self.newest = max(self.newest or revision.date, revision.date)
        says = policy.change.says if policy.change else None
        fresh_note = policy.change if says is not None and says not in self._notes else None
        if says is not None:
            self._notes.add(says)
        source = policy.source_language
        changed = [
            jurisdiction
            for jurisdiction in sorted(policy.jurisdictions)
            if self._new_source(
                policy,
                revision,
                compositions[(jurisdiction, source)].document,
                fresh_note,
                self.sources.setdefault(jurisdiction, []),
            )
        ]
        # A new note describes the text changes it comes with; only when the revision changes no
        # text does it describe the documents the revision publishes anew (added or put back).
        anew = fresh_note if not changed else None
        unpublished = set()
        for jurisdiction in sorted(policy.jurisdictions):
            if source in policy.languages_of(jurisdiction):
                self._publish_source(revision, self.sources[jurisdiction], note=anew)
            for key in _document_keys(policy, jurisdiction)[1:]:
                if key not in compositions:
                    continue
                lagging = None if self._was_retired(key) else self.lags.get(key)
                had = len(self.versions.get(key, ()))
                if not self._add_translation(policy, revision, compositions[key], anew):
                    unpublished.add(key)
                if lagging is not None and self.lags.get(key) is None:
                    self.ended_lags.setdefault(key, []).append(
                        EndedLag(
                            lag=lagging,
                            ended=revision.date,
                            versions=had,
                            caught_up=len(self.versions[key]) > had,
                        )
                    )
        if changed and not fresh_note:
            self.problems.warn(
                CHANGE_FILE, None, "version.undescribed", _undescribed(revision, changed)
            )
        self.names.update((jid, j.name) for jid, j in policy.jurisdictions.items())
        published = set(policy.documents()) - unpublished
        self.retired_since = {
            key: self.retired_since.get(key, revision.date)
            for key in self.versions
            if key not in published
        }

    def __getstate__(self) -> dict:
        """Pickled (in a history checkpoint) with what reading the newest revision's policy
        found, which the state's policy holds already (`sources.Reading`): a walk resumed from it
        parses and checks only the files the next commit changed."""
        reading = None
        if self.head is not None and self.policy is not None:
            reading = policy_reading(self.head.files, self.policy)
        return {**vars(self), "_reading": reading}

    def __setstate__(self, state: dict) -> None:
        reading = state.pop("_reading", None)
        if reading is not None:
            remember_reading(reading)
        vars(self).update(state)

    def part_state(self) -> _Builder:
        """This state as a part of a shared walk other than the first sends it back: without
        what every part has alike, which `merged` takes from the first (the policy, the newest
        revision, whose files are a fifth of the state, and the source language's versions)."""
        part = object.__new__(_Builder)  # a shallow copy, without the checkpoint's reading
        vars(part).update(vars(self))
        part.policy, part.head, part.sources, part.first_with_text = None, None, {}, {}
        return part

    _PER_DOCUMENT = (
        "versions", "lags", "ended_lags", "retired_since", "retirements", "names", "compositions"
    )  # fmt: skip
    """The tables a part of a shared walk fills for the documents (or regions) it composes, which
    `merged` takes from the first part that has each entry."""

    @classmethod
    def merged(cls, parts: list[_Builder]) -> _Builder:
        """The state of one walk through every translation, from the states of the parts of a
        shared walk (through the same revisions): each document as the first part that composes
        it has it, what every part knows of catalogs and clauses, and every part's problems."""
        first = parts[0]
        merged = cls()
        merged.policy, merged.head, merged.sources = first.policy, first.head, first.sources
        merged.first_with_text = first.first_with_text
        merged._notes, merged.newest, merged.first = first._notes, first.newest, first.first
        for part in parts:
            for table in cls._PER_DOCUMENT:
                into = getattr(merged, table)
                for key, value in getattr(part, table).items():
                    into.setdefault(key, value)
            merged.problems.extend(part.problems)
            merged._reported |= part._reported
            for clause in part._clauses:
                merged._clauses.setdefault(clause, clause)
            merged._catalogs.absorb(part._catalogs)
            merged._composer.absorb(part._composer)
        if first.policy is not None:  # in the order one walk composes them
            policy = first.policy
            merged.compositions = {
                key: merged.compositions[key]
                for jurisdiction in sorted(policy.jurisdictions)
                for key in _document_keys(policy, jurisdiction)
            }
        return merged

    def finish(self, reference_date: dt.date | None) -> Publication | None:
        if self.policy is None or self.head is None:
            return None
        current = set(self.policy.documents())
        documents = {
            key: DocumentHistory(
                jurisdiction=key[0],
                language=key[1],
                versions=tuple(versions),
                lag=self.lags.get(key) if key in current else None,
                retired_since=self.retired_since.get(key),
                retirements=tuple(self.retirements.get(key, ())),
                ended_lags=tuple(self.ended_lags.get(key, ())),
            )
            for key, versions in sorted(self.versions.items())
            if versions
        }
        translations = {
            tag: found
            for tag in sorted({lang for _, lang in self.policy.documents()})
            if tag != self.policy.source_language
            and (found := self._translations(self.head, tag)) is not None
        }
        return Publication(
            policy=self.policy,
            head=self.head,
            documents=documents,
            reference_date=reference_date or (self.newest or self.head.date).date(),
            first_commit=self.first or "",
            problems=list(self.problems),
            translations=translations,
            compositions=self.compositions,
            former_names={
                jid: name
                for jid, name in self.names.items()
                if jid not in self.policy.jurisdictions
            },
        )

    def _compose_all(
        self, policy: Policy, revision: Revision
    ) -> dict[tuple[str, str], Composition] | None:
        """Every document of the revision composed, or None if its text cannot be composed."""
        compositions: dict[tuple[str, str], Composition] = {}
        for jurisdiction in sorted(policy.jurisdictions):
            for key in _document_keys(policy, jurisdiction):
                language = key[1]
                if not self._composes(policy, jurisdiction, language):
                    continue
                translations = self._translations(revision, language)
                composition = self._composer.compose(policy, jurisdiction, language, translations)
                errors = [p for p in composition.problems if p.severity is Severity.ERROR]
                if errors and language == policy.source_language:
                    self.problems.warn(
                        errors[0].path,
                        errors[0].line,
                        "history.invalid",
                        f"commit {revision.label} ('{revision.subject}') cannot be "
                        f"composed ({errors[0].message.rstrip('.')}); its changes are not "
                        "published.",
                    )
                    return None
                compositions[key] = composition
        return compositions

    def _composes(self, policy: Policy, jurisdiction: str, language: str) -> bool:
        """Whether this walk composes `jurisdiction`'s document in `language`: every walk
        composes the source language, and a part of a shared walk only its share of the
        translations."""
        return (
            self.share is None
            or language == policy.source_language
            or self.share.owns(jurisdiction, language)
        )

    def _translations(self, revision: Revision, language: str) -> Translations | None:
        path = catalog_path(Language(tag=language))
        data = revision.files.get(path)
        if data is None:
            return None
        problems = Problems()
        translations, fresh = self._catalogs.load(path, data, problems)
        # A catalog's problems are reported once, at the first commit that has that content.
        reported = fresh and problems and (path, hashlib.sha256(data).digest())
        if reported and reported not in self._reported:
            self._reported.add(reported)
            for problem in problems:
                self.problems.warn(
                    problem.path,
                    problem.line,
                    "history.catalog",
                    f"commit {revision.label}: {problem.message}",
                )
        return translations

    def _new_source(
        self,
        policy: Policy,
        revision: Revision,
        document: Document,
        note: ChangeNote | None,
        history: list[Version],
    ) -> bool:
        """Add a version to the jurisdiction's source-language `history` if the text changed;
        whether it did."""
        if history and history[-1].document.clauses == document.clauses:
            return False  # the same clauses (mostly the same objects): no need to hash
        digest = content_hash(document)
        if history and history[-1].hash == digest:
            return False
        effective = note.effective if note else revision.date.date()
        document = self._shared(document)
        self.first_with_text.setdefault(digest, len(history) + 1)
        history.append(
            Version(
                jurisdiction=document.jurisdiction,
                language=document.language,
                number=len(history) + 1,
                commit=revision.commit,
                date=revision.date,
                effective=effective,
                in_force_from=_in_force_from(effective, revision, history),
                kind=note.kind if note else ChangeKind.MATERIAL,
                summary=note.summary if note else revision.subject,
                summary_language=policy.source_language,
                described=note is not None,
                source_version=len(history) + 1,
                hash=digest,
                document=document,
                heading=self._heading(document.jurisdiction, document.language, None),
            )
        )
        return True

    def _heading(
        self, jurisdiction: str, language: str, translations: Translations | None
    ) -> Heading:
        """The heading of a version of `jurisdiction`'s document in `language` made at the
        revision the walk takes (`self.policy`'s), with the revision's catalog for `language`:
        one object for each distinct heading, as for clauses."""
        policy = self.policy
        assert policy is not None  # set before the revision's versions are made
        source = policy.source_language
        name = policy.jurisdictions[jurisdiction].name
        heading = Heading(
            *translated(translations, TITLE_CONTEXT, policy.title, language, source),
            *translated(translations, JURISDICTION_CONTEXT, name, language, source),
        )
        return self._headings.setdefault(heading, heading)

    def _publish_source(
        self,
        revision: Revision,
        sources: list[Version],
        *,
        note: ChangeNote | None,
    ) -> None:
        """Publish the newest source-language version in the source-language document, unless
        it has it already: that very version while the region has published the source language
        all along. A region that stopped publishing it for a while, or began later, has not
        published the source versions made meanwhile: it publishes, as versions of its own
        numbered after the document's versions (as a translation's are), the text in force on
        the day of this revision, from that day, and each one announced after it, from its date.
        A document published again after it was retired gets a new version even when its text
        is the same: the one it had stopped applying on the day it was retired. The first of
        them says what `note` says (the revision's new change note, when the revision changes
        no text), else that it is published again when its text is the one it applied when it
        was retired."""
        source = sources[-1]
        published = self.versions.setdefault(source.key, [])
        last = published[-1] if published else None
        if last is not None and not self._was_retired(source.key):
            if last.source_version != source.number:  # made now
                number = len(published) + 1
                published.append(
                    source
                    if number == source.number
                    else dataclasses.replace(source, number=number)
                )
            return
        had = self._applied_when_retired(source.key, published) if last is not None else None
        if last is not None:
            self._keep_retirement(source.key)
        ended = len(published)  # the versions the retirement ended set no floor to the dates
        in_force = _newest_from(sources, revision.date.date())
        start = in_force.number - 1 if in_force is not None else 0  # source numbers count from 1
        spanned = sources[last.source_version if last is not None else 0 : start + 1]
        for index, version in enumerate(sources[start:], start):
            first = index == start
            said = note if first else None
            again = first and not said and _same_as_before(had, version.hash, version, revision)
            summary, summary_language = (
                (said.summary, version.summary_language)
                if said
                else _published_again(version.language)
                if again
                else (version.summary, version.summary_language)
            )
            in_force_from = _in_force_from(version.in_force_from, revision, published[ended:])
            published.append(
                dataclasses.replace(
                    version,
                    number=len(published) + 1,
                    commit=revision.commit,
                    date=revision.date,
                    effective=_effective_anew(said, version.effective, in_force_from),
                    in_force_from=in_force_from,
                    kind=said.kind if said else _kind_of(spanned) if first else version.kind,
                    summary=summary,
                    summary_language=summary_language,
                    described=said is not None or again or version.described,
                    heading=self._heading(version.jurisdiction, version.language, None),
                )
            )

    def _applied_when_retired(
        self, key: tuple[str, str], versions: Sequence[Version]
    ) -> Version | None:
        """The version a retired document applied on the day it was retired (not one announced
        for later): put back with its text and no new note, the document is published again."""
        return _newest_from(versions, self.retired_since[key].date())

    def _was_retired(self, key: tuple[str, str]) -> bool:
        """Whether the document had versions and was retired at the last revision the walk
        took."""
        return key in self.retired_since and bool(self.versions.get(key))

    def _keep_retirement(self, key: tuple[str, str]) -> None:
        """Keep the retirement of a document the policy publishes again: it ended the version
        newest then (see `DocumentHistory.retirements`)."""
        self.retirements.setdefault(key, []).append(
            (len(self.versions[key]), self.retired_since[key])
        )

    def _shared(self, document: Document) -> Document:
        """The document with each clause the very object an earlier version has when they are
        equal: recomposing after a catalog changed makes equal clauses anew, and the pages, diffs
        and cache keys of thousands of versions work once per object."""
        clauses = tuple(self._clauses.setdefault(c, c) for c in document.clauses)
        if all(a is b for a, b in zip(clauses, document.clauses, strict=True)):
            return document
        return dataclasses.replace(document, clauses=clauses)

    def _add_translation(
        self,
        policy: Policy,
        revision: Revision,
        composition: Composition,
        note: ChangeNote | None = None,
    ) -> bool:
        """Add the translation's new version, if it is complete and its text changed; whether
        the policy publishes it at this revision (a retired translation listed again stays
        retired until it is complete; `note`: the revision's new change note, when the revision
        changes no text, which a translation published for the first time or again says)."""
        document = composition.document
        key = document.key
        sources = self.sources[document.jurisdiction]
        history = self.versions.setdefault(key, [])
        source = sources[-1]
        if self._was_retired(key):
            return self._republish_translation(revision, composition, sources, history, note)
        if not composition.complete:
            if history and history[-1].source_version == source.number:
                # Its published text translates the newest source text: a catalog under revision
                # (an entry marked for review, a catalog removed) is not a translation behind.
                self.lags[key] = None
                return True
            earlier = (
                _translating_text(history, sources, source)
                if self.first_with_text[source.hash] < source.number
                else None
            )
            if earlier is not None:
                # The source text went back to one this document has translated (a change
                # withdrawn, say), whose entries the catalog no longer has: that translation is
                # the translation of the newest text, the one the source language applies.
                self.lags[key] = None
                if earlier.hash != history[-1].hash:
                    self._append_translation(
                        revision, source, sources, history, earlier.document, earlier.hash
                    )
                return True
            back = _withdrawn_back_to(history, sources, source)
            if back is not None:
                # Still behind the source, it applies again what it did before the day of the
                # change the source withdrew: the withdrawn text never applies in any language.
                self._append_translation(
                    revision,
                    source,
                    sources,
                    history,
                    back.document,
                    back.hash,
                    translating=back.source_version,
                )
            lagging = self.lags.get(key)
            self.lags[key] = Lag(
                source_version=source.number,
                translated_version=history[-1].source_version if history else 0,
                missing=len(composition.missing),
                fuzzy=len(composition.fuzzy),
                since=source.date,
                began=lagging.began if lagging else revision.date,
            )
            return True
        self.lags[key] = None
        if history and history[-1].document.clauses == document.clauses:
            return True
        digest = content_hash(document)
        if history and history[-1].hash == digest:
            return True
        # A translation published for the first time says `note`, as one published again does.
        self._append_translation(
            revision, source, sources, history, document, digest, note=None if history else note
        )
        return True

    def _republish_translation(
        self,
        revision: Revision,
        composition: Composition,
        sources: list[Version],
        history: list[Version],
        note: ChangeNote | None,
    ) -> bool:
        """Publish a retired translation again, as a version of its own, once it translates the
        newest source text: its catalog is complete, or an earlier version of it translates the
        same text (a withdrawn change). When a later text is announced, the translation of the
        text in force on the day comes first, if a version has it. The first says what `note`
        says (as the source language's, see `_publish_source`). Whether it is published."""
        source = sources[-1]
        self.lags[composition.document.key] = None
        if composition.complete:
            document, digest = composition.document, content_hash(composition.document)
        elif (earlier := _translating_text(history, sources, source)) is not None:
            document, digest = earlier.document, earlier.hash
        else:
            return False  # it stays retired until it is complete
        had = self._applied_when_retired(composition.document.key, history)
        self._keep_retirement(composition.document.key)
        ended = len(history)
        in_force = _newest_from(sources, revision.date.date())
        if in_force is not None and in_force is not source:
            translated = _translating_text(history, sources, in_force)
            if translated is not None:
                self._append_translation(
                    revision,
                    in_force,
                    sources,
                    history,
                    translated.document,
                    translated.hash,
                    again=ended,
                    note=note,
                    had=had,
                )
                note, had = None, None  # they describe the first version published again
        self._append_translation(
            revision, source, sources, history, document, digest, again=ended, note=note, had=had
        )
        return True

    def _append_translation(
        self,
        revision: Revision,
        source: Version,
        sources: list[Version],
        history: list[Version],
        document: Document,
        digest: str,
        *,
        again: int | None = None,
        note: ChangeNote | None = None,
        had: Version | None = None,
        translating: int | None = None,
    ) -> None:
        """Add a version of a translation that publishes `document`, translating the `source`
        version. `again` when it is published again after it was retired: the number of versions
        the retirement ended, which set no floor to its date (and it is no revision of the
        translation alone, even if the source did not change), and `had` the version it applied
        when it was retired. `note`: the change note the version says, if one says why it is
        published (else one published again says so, when its text is the one it had, and no
        note describes a source text made now). `translating`: the number of the source version
        the text translates, when it is an earlier one than `source` (a translation behind its
        source that goes back to an earlier text of its own with it: `_withdrawn_back_to`)."""
        previous_source = _translated_until(history, sources, source)
        spanned = [v for v in sources if previous_source < v.number <= source.number]
        translations = self._translations(revision, document.language)
        if note is None and _same_as_before(had, digest, source, revision):
            summary, summary_language = _published_again(document.language)
        else:
            # A translation catching up with several source versions at once says what each
            # changed: its readers learn of every change it brings them.
            catching_up = spanned if again is None and previous_source and spanned else [source]
            said = [note.summary] if note else list(dict.fromkeys(v.summary for v in catching_up))
            entries = [translations.get(SUMMARY_CONTEXT, s) if translations else None for s in said]
            if all(entry and entry.reviewed for entry in entries):
                summary = " ".join(entry.string for entry in entries)  # type: ignore[union-attr]
                summary_language = document.language
            else:
                summary, summary_language = " ".join(said), source.language
        document = self._shared(document)
        in_force_from = _in_force_from(source.in_force_from, revision, history[again or 0 :])
        history.append(
            Version(
                jurisdiction=document.jurisdiction,
                language=document.language,
                number=len(history) + 1,
                commit=revision.commit,
                date=revision.date,
                effective=_effective_anew(note, source.effective, in_force_from),
                in_force_from=in_force_from,
                kind=note.kind if note else _kind_of(spanned),
                summary=summary,
                summary_language=summary_language,
                described=note is not None or source.described,
                source_version=translating or source.number,
                hash=digest,
                document=document,
                heading=self._heading(document.jurisdiction, document.language, translations),
                translation_only=not spanned and again is None,
            )
        )


def _translated_until(
    history: Sequence[Version], sources: Sequence[Version], source: Version
) -> int:
    """The newest source version, up to `source`, whose text a translation's newest version
    translates (0 before its first): the changes after it are what its next version brings its
    readers. Usually the version it was made from; a later one when the source came back to that
    text (a revert, a withdrawal), and the changes in between never reached them."""
    if not history:
        return 0
    made_from = history[-1].source_version
    text = sources[made_from - 1].hash
    # None up to `source` when `source` is older than what the translation was made from (put
    # back while a change it translated is announced, it first applies the text in force).
    return max((v.number for v in sources[: source.number] if v.hash == text), default=made_from)


def _translating_text(
    history: Sequence[Version], sources: Sequence[Version], source: Version
) -> Version | None:
    """The newest version of a translation that translates a source version with the same text
    as `source`, if any (a walk through its versions: ask only when an earlier source version
    had that text)."""
    return next(
        (v for v in reversed(history) if sources[v.source_version - 1].hash == source.hash),
        None,
    )


def _withdrawn_back_to(
    history: Sequence[Version], sources: Sequence[Version], source: Version
) -> Version | None:
    """The version of a translation behind its source to apply again when the newest source
    version withdraws an announced change that the translation's newest version translates (the
    translation caught up with it, not with the text the source goes back to): its version in
    force the day before the change's day. None otherwise, or when that version's text is the
    newest already (or it has none: it was first published with the change)."""
    day = source.in_force_from
    if not history or history[-1].in_force_from != day or not withdraws_announced(sources, source):
        return None
    back = _newest_from(history, day - dt.timedelta(days=1))
    return back if back is not None and back.hash != history[-1].hash else None


def _document_keys(policy: Policy, jurisdiction: str) -> list[tuple[str, str]]:
    """A jurisdiction's documents in the order a revision composes them: the source language
    first, then its translations."""
    languages = dict.fromkeys((policy.source_language, *policy.languages_of(jurisdiction)))
    return [(jurisdiction, language) for language in languages]


def _newest_from(versions: Sequence[Version], day: dt.date) -> Version | None:
    """The newest of a document's `versions` that applies from `day` or earlier (their dates
    never go back: see `_in_force_from`); None if none does yet."""
    return next((v for v in reversed(versions) if v.in_force_from <= day), None)


def _same_as_before(had: Version | None, digest: str, source: Version, revision: Revision) -> bool:
    """Whether a version of a document put back publishes the text `had`, the version it applied
    when it was retired, from a `source` version not made by this revision (whose own note says
    what changed): it then says it is published again (`_published_again`)."""
    return had is not None and had.hash == digest and source.commit != revision.commit


def _published_again(language: str) -> tuple[str, str]:
    """The summary of a version that publishes a document's text again after it was retired,
    when no change note says why, in the site's own words for the document's language; and the
    language of those words."""
    return interface_translations(language).gettext("Published again."), interface_language(
        language
    )


def _kind_of(spanned: Sequence[Version]) -> ChangeKind:
    """The kind of a version that publishes these source versions' changes at once: material
    if any of them is."""
    material = any(v.kind is ChangeKind.MATERIAL for v in spanned)
    return ChangeKind.MATERIAL if material else ChangeKind.EDITORIAL


def _effective_anew(note: ChangeNote | None, had: dt.date, in_force_from: dt.date) -> dt.date:
    """The effective date of a version published anew (a document put back or added with no
    text change): the date of the note that publishes it (whose summary it has), not the date
    `had` of the version whose text it publishes again; but never after the day it applies from:
    such a document applies from the day it is published, whatever later date its note gives
    (`[change.effective-anew]`)."""
    return min(note.effective, in_force_from) if note else had


def _in_force_from(effective: dt.date, revision: Revision, earlier: list[Version]) -> dt.date:
    """A version applies from its effective date, once published, and never before its
    predecessor."""
    floor = earlier[-1].in_force_from if earlier else effective
    return max(effective, revision.date.date(), floor)
