"""`policy diff`: what a change to the sources does to every published document, as Markdown.

Both revisions are composed directly: every document of the base and of the head is composed with
its catalog, matched by (jurisdiction, language), and diffed clause by clause with the same redline
as the published change log. Only the dates the new versions take effect, and the version a
document published again had before it was retired, need the history, which is read up to the head
(a version never applies before the one it follows, and the change note cannot say when that is).
The Markdown is meant for a pull-request comment.
"""

from __future__ import annotations

import datetime as dt
import enum
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from generator.check import (
    CHANGE_IDLE,
    CHANGE_NOT_UPDATED,
    CHANGE_REUSED,
    CheckResult,
    check_files,
    history_notes,
)
from generator.diff import diff_documents
from generator.errors import PolicyError, Problem, Severity, fail
from generator.history import Repository, read_folder
from generator.model import (
    ChangeNote,
    ChangeType,
    ClauseChange,
    Edit,
    Language,
    Policy,
    RedlineParagraph,
)
from generator.publication import DocumentHistory, content_hash
from generator.renames import clause_messages, former_ids
from generator.sources import CHANGE_FILE, DEFAULT_TITLE
from generator.versions import derive_versions, now

MAX_LENGTH = 60_000
"""GitHub refuses comments over 65,536 characters; redlines past this length are left out."""
WORKTREE = "the working tree"


class DocumentState(enum.Enum):
    """What a change does to one published document."""

    ADDED = "added"
    """Published at the head, not at the base."""
    REPUBLISHED = "republished"
    """Published at the head, not at the base, and before it: retired, and published again
    with a new version (its redline compares it with the version it had)."""
    REMOVED = "removed"
    """Published at the base, no longer at the head (its pages stay, marked as such)."""
    UNLISTED = "unlisted"
    """Listed at the base, not at the head, and never published (its translation was never
    complete): it has no pages to keep."""
    CHANGED = "changed"
    """Its text changes: the merge makes a new version."""
    COMPLETED = "completed"
    """A translation that lagged is complete again: the merge makes a new version."""
    CAUGHT_UP = "caught-up"
    """A translation that lagged is complete again with the text of its newest version (its
    source went back to a text it translates): no new version, and it no longer lags."""
    LAGGING = "lagging"
    """The translation is incomplete at the head: it keeps its last complete version."""
    WAITING = "waiting"
    """Listed at the head, not at the base, and its translation is incomplete: it is not
    published (again) until it is complete."""
    UNCHANGED = "unchanged"
    """Nothing a shopper reads changes."""


@dataclass(frozen=True, kw_only=True)
class DocumentDiff:
    """The change to one document (jurisdiction x language)."""

    jurisdiction: str
    language: str
    name: str
    """The jurisdiction's name, for headings."""
    state: DocumentState
    clauses: tuple[ClauseChange, ...] = ()
    missing: int = 0
    """Untranslated messages, for a lagging translation."""
    fuzzy: int = 0
    """Translations needing review, for a lagging translation."""

    @property
    def key(self) -> str:
        """`eu/de`: the document's address without slashes around it."""
        return _document_key(self.jurisdiction, self.language)


def _document_key(jurisdiction: str, language: str) -> str:
    return f"{jurisdiction}/{Language(tag=language).slug}"


@dataclass(frozen=True, kw_only=True)
class Deferred:
    """New versions that take effect later than their change note says: an earlier change (in
    their own language, or in the source language for a translation) takes effect later still,
    and a version never applies before the one it follows."""

    documents: tuple[str, ...]
    """Their keys (`eu/de`)."""
    effective: dt.date
    """What the change note says."""
    in_force_from: dt.date
    """When they take effect."""
    withdraws: bool = False
    """They read as the versions in force until then: they withdraw the change announced for
    that date (see docs/authoring.md, "Moving an announced change")."""


@dataclass(frozen=True, kw_only=True)
class AnnouncedFirst:
    """New versions that take effect after a change announced before them: that change still
    takes effect on its day, and applies until theirs (a version once published keeps its text
    and dates; to move an announced change, it is withdrawn first)."""

    documents: tuple[str, ...]
    """Their keys (`eu/de`)."""
    announced: dt.date
    """The first day an announced change takes effect."""
    in_force_from: dt.date
    """When they take effect."""


@dataclass(frozen=True, kw_only=True)
class SourceDiff:
    """Everything a change does: the documents, the change note, and what keeps it from passing."""

    base: str
    head: str
    documents: tuple[DocumentDiff, ...]
    note: ChangeNote | None
    """The head's change.yml when the change rewrote it."""
    note_stale: bool
    """The source text changed but change.yml did not."""
    note_idle: bool = False
    """change.yml was rewritten, but no text changed: the note describes no version."""
    note_reused: bool = False
    """change.yml says what an earlier note said (a revert brings it back): no version takes it."""
    note_warnings: tuple[Problem, ...] = ()
    """What else `policy check` warns of in change.yml: an effective date already passed (the
    versions apply from the day they are published), more than a year ahead, or later than the
    languages it only adds can take."""
    head_errors: tuple[Problem, ...] = ()
    base_errors: tuple[Problem, ...] = ()
    base_readable: bool = True
    """Whether the base's policy could be read, errors or not: if not, every document is new."""
    deferred: tuple[Deferred, ...] = ()
    announced_first: tuple[AnnouncedFirst, ...] = ()
    title: str = DEFAULT_TITLE
    """The policy's title (`site.yml`), which heads the comment."""
    renamed: tuple[Renamed, ...] = ()
    """The policy's title and the regions' names that the change rewrites."""
    contained: bool = False
    """The head is a commit the base already has (the base is newer): merging changes nothing,
    and the documents are not compared (that would show the base's own changes undone)."""

    def changed(self) -> list[DocumentDiff]:
        """Documents that get a new version, are added, removed or lag."""
        return [d for d in self.documents if d.state is not DocumentState.UNCHANGED]


def diff_sources(project_dir: Path, base: str, head: str | None) -> SourceDiff:
    """Compare two revisions of the sources (the working tree when `head` is None)."""
    repository = Repository(project_dir)
    base_files = _files(repository, base)
    head_files = read_folder(repository.project_dir) if head is None else _files(repository, head)
    if head is not None and _contains(repository, base, head):
        return SourceDiff(
            base=_label(repository, base),
            head=_label(repository, head),
            documents=(),
            note=None,
            note_stale=False,
            contained=True,
        )
    # With the base, the check also says whether change.yml describes this change.
    before = check_files(base_files)
    today = now().date()
    notes = history_notes(repository, base, today)
    after = check_files(
        head_files,
        base_files,
        today=today,
        earlier_notes=notes.said,
        announced=notes.announced,
    )
    note_changed = base_files.get(CHANGE_FILE) != head_files.get(CHANGE_FILE)
    documents = _documents(before, after)
    # A stale change.yml fails the check, but the history still reads (with the commit's
    # subject as the summary): which documents it publishes again is still worth saying, not
    # when they take effect, which the note to come will say.
    head_errors = tuple(p for p in _errors(after) if p.code != CHANGE_NOT_UPDATED)
    note_stale = any(p.code == CHANGE_NOT_UPDATED for p in after.problems)
    history = _read_history(repository, head, documents) if not head_errors else None
    newest = history.newest if history is not None else None
    documents = tuple(_as_history_says(d, history) for d in documents)
    if before.policy is None and history is not None:
        # The base's documents are unknown: those it published, its history names.
        documents = tuple(
            sorted(
                documents + _retired(repository, base, after.policy),
                key=lambda d: _order(after.policy, (d.jurisdiction, d.language)),
            )
        )
    return SourceDiff(
        base=_label(repository, base),
        head=WORKTREE if head is None else _label(repository, head),
        documents=documents,
        deferred=() if note_stale or newest is None else _deferred(newest),
        announced_first=() if note_stale or newest is None else _announced_first(newest),
        note=after.policy.change if after.policy is not None and note_changed else None,
        note_stale=note_stale,
        note_reused=any(p.code == CHANGE_REUSED for p in after.problems),
        note_warnings=tuple(
            p
            for p in after.problems
            if p.path == CHANGE_FILE
            and p.severity is Severity.WARNING
            and p.code not in {CHANGE_REUSED, CHANGE_IDLE}
        ),
        # The check has no history: a translation put back incomplete is published all the
        # same when an earlier version of it translates the text (versions.py), with the note.
        note_idle=not newest and any(p.code == CHANGE_IDLE for p in after.problems),
        head_errors=head_errors,
        base_errors=_errors(before),
        base_readable=before.policy is not None,
        title=next((p.title for p in (after.policy, before.policy) if p), DEFAULT_TITLE),
        renamed=renamed(before.policy, after.policy),
    )


@dataclass(frozen=True)
class Renamed:
    """A name the pages show that a change rewrites: the policy's title, or a region's name."""

    jurisdiction: str | None
    """The region renamed; None for the policy's title."""
    before: str
    after: str


def renamed(before: Policy | None, after: Policy | None) -> tuple[Renamed, ...]:
    """The names that differ between two policies (none if either cannot be read)."""
    if before is None or after is None:
        return ()
    found = [Renamed(None, before.title, after.title)] if before.title != after.title else []
    found += [
        Renamed(jid, before.jurisdictions[jid].name, region.name)
        for jid, region in sorted(after.jurisdictions.items())
        if jid in before.jurisdictions and before.jurisdictions[jid].name != region.name
    ]
    return tuple(found)


@dataclass(frozen=True)
class _History:
    """What the history up to the head says of the documents a change touches."""

    newest: list[DocumentHistory]
    """The history of each document the head makes a new version of (its `latest`; a
    translation that is incomplete may get one too, and one complete again may not, see
    `_as_history_says`)."""
    published: Mapping[str, DocumentHistory] | None = None
    """The history of each document that has a version, by key (None: no document needed the
    history)."""


def _read_history(
    repository: Repository, head: str | None, documents: tuple[DocumentDiff, ...]
) -> _History | None:
    """The history up to the head, when a document needs it: when a new version takes effect,
    what a document published again had before, whether an incomplete translation has a
    version to keep. None when it cannot be read (a shallow clone's is cut short)."""
    new = {d.key for d in documents if d.state in _NEW_VERSION | _INCOMPLETE | _UNLISTED}
    if not new:
        return _History(newest=[])
    try:
        repository.check_complete()
    except PolicyError:
        return None
    revisions = list(repository.history(head or "HEAD"))
    if head is None:
        draft = repository.working_tree(revisions[-1] if revisions else None, now())
        if draft is not None:
            revisions.append(draft)
    publication = derive_versions(revisions) if revisions else None
    if publication is None:
        return None
    return _History(
        newest=[
            history
            for history in publication.documents.values()
            if _document_key(*history.key) in new and history.latest.commit == revisions[-1].commit
        ],
        published={_document_key(*h.key): h for h in publication.documents.values()},
    )


def _retired(repository: Repository, base: str, head: Policy | None) -> tuple[DocumentDiff, ...]:
    """The documents published at a base whose policy cannot be read (as the history up to it
    says) that the head no longer lists: it retires them."""
    revisions = list(repository.history(base))
    publication = derive_versions(revisions) if revisions else None
    if publication is None:
        return ()
    listed = set(head.documents()) if head is not None else set()
    return tuple(
        DocumentDiff(
            jurisdiction=h.jurisdiction,
            language=h.language,
            name=publication.jurisdiction_name(h.jurisdiction, publication.policy.source_language),
            state=DocumentState.REMOVED,
        )
        for h in publication.documents.values()
        if not h.retired and h.key not in listed
    )


def _as_history_says(document: DocumentDiff, read: _History | None) -> DocumentDiff:
    """What the history (None when unread) says of a document that looks added, incomplete or
    complete again: published again after it was retired, or given a new version all the same
    (a translation whose earlier version translates the text a withdrawn change brings back),
    or none (a translation complete again with the text it has); an incomplete translation that
    has no version to keep is not published until it is complete; one complete for the first
    time is a new document. Where the base could not be read, every document looks new: the
    history says which it had, and those are a new version, lagging or unchanged. A new
    version's redline is against the version it had before the head: for a translation complete
    again, what its readers see change."""
    never = read is not None and read.published is not None and document.key not in read.published
    if document.state is DocumentState.UNLISTED:
        # Without the history, what the pages may have: retired.
        return document if never else replace(document, state=DocumentState.REMOVED)
    if read is None:
        return document
    if document.state is DocumentState.LAGGING and never:
        return replace(document, state=DocumentState.WAITING)
    kept = (read.published or {}).get(document.key)
    history = next((h for h in read.newest if _document_key(*h.key) == document.key), None)
    if history is None and kept is not None and not kept.retired:
        # Published and not retired, though it looked new (the base could not be read), and no
        # version at the head: it keeps its last complete version, or stays as it is.
        if document.state is DocumentState.WAITING:
            return replace(document, state=DocumentState.LAGGING)
        if document.state is DocumentState.ADDED:
            return replace(document, state=DocumentState.UNCHANGED, clauses=())
    if document.state is DocumentState.COMPLETED and history is None:
        return replace(document, state=DocumentState.CAUGHT_UP)
    if document.state not in {DocumentState.ADDED, DocumentState.COMPLETED} | _INCOMPLETE:
        return document
    earlier = [v for v in history.versions if v.commit != history.latest.commit] if history else []
    if history is not None and not earlier and document.state is DocumentState.COMPLETED:
        # Listed at the base, never complete before: its first version.
        return replace(
            document,
            state=DocumentState.ADDED,
            clauses=diff_documents(None, history.latest.document),
        )
    if history is None or not earlier:
        return document
    old, new = earlier[-1].document, history.latest.document
    formers = former_ids([clause_messages(old), clause_messages(new)])[-1]
    state = _AS_NEW_VERSION.get(document.state)
    if state is None:
        # It looked new: published again if it was retired after the version it had, else (the
        # base could not be read) simply a new version of it.
        retired = any(number == earlier[-1].number for number, _ in history.every_retirement)
        state = DocumentState.REPUBLISHED if retired else DocumentState.CHANGED
    return replace(
        document,
        state=state,
        clauses=diff_documents(old, new, formers, keep_renamed=True),
        missing=0,
        fuzzy=0,
    )


_AS_NEW_VERSION = {
    DocumentState.LAGGING: DocumentState.CHANGED,
    DocumentState.COMPLETED: DocumentState.COMPLETED,
}
"""What a document that has a version before the head's new one is, by what it looked like
without the history (one that looked added: see `_as_history_says`)."""


def _deferred(newest: list[DocumentHistory]) -> tuple[Deferred, ...]:
    """The new versions the head makes that take effect later than their change note says, or
    that withdraw a change announced for the day they take effect."""
    later: dict[tuple[dt.date, dt.date, bool], list[str]] = {}
    for history in newest:
        version = history.latest
        withdraws = history.withdraws(version)
        if withdraws or version.in_force_from > max(version.effective, version.date.date()):
            later.setdefault((version.effective, version.in_force_from, withdraws), []).append(
                _document_key(*history.key)
            )
    return tuple(
        Deferred(
            documents=tuple(sorted(keys)),
            effective=effective,
            in_force_from=in_force_from,
            withdraws=withdraws,
        )
        for (effective, in_force_from, withdraws), keys in sorted(later.items())
    )


def _announced_first(newest: list[DocumentHistory]) -> tuple[AnnouncedFirst, ...]:
    """The new versions the head makes that take effect after an earlier version announced for
    a day after the head's: that version still applies from its day until theirs."""
    found: dict[tuple[dt.date, dt.date], list[str]] = {}
    for history in newest:
        version = history.latest
        days = [
            v.in_force_from
            for v in history.versions[:-1]
            if version.date.date() < v.in_force_from < version.in_force_from
        ]
        if days:
            found.setdefault((min(days), version.in_force_from), []).append(
                _document_key(*history.key)
            )
    return tuple(
        AnnouncedFirst(documents=tuple(sorted(keys)), announced=day, in_force_from=in_force_from)
        for (day, in_force_from), keys in sorted(found.items())
    )


_NEW_VERSION = frozenset(
    {
        DocumentState.ADDED,
        DocumentState.REPUBLISHED,
        DocumentState.CHANGED,
        DocumentState.COMPLETED,
    }
)
"""The states in which a document gets a new version."""
_INCOMPLETE = frozenset({DocumentState.LAGGING, DocumentState.WAITING})
"""The states of a translation that is incomplete at the head."""
_UNLISTED = frozenset({DocumentState.UNLISTED})
"""The state of a document no longer listed that the history may show was never published."""


def _files(repository: Repository, rev: str) -> Mapping[str, bytes]:
    repository.require(rev, "diff.revision")
    files = repository.files_at(rev)
    if files is None:  # HEAD, in a repository with no commits yet
        raise fail(
            rev,
            None,
            "diff.revision",
            "the repository has no commits yet. Commit the policy; then 'policy diff' shows what "
            "each change does to it.",
        )
    return files


def _contains(repository: Repository, base: str, head: str) -> bool:
    """Whether the base already has the head, a commit other than its own (a base newer than
    the head, the other way round from a pull request)."""
    base_commit, head_commit = repository.head(base), repository.head(head)
    return base_commit != head_commit and repository.repo.is_ancestor(head_commit, base_commit)


def _label(repository: Repository, rev: str) -> str:
    commit = repository.head(rev) or ""
    return commit[:12] if commit.startswith(rev) else f"{rev} ({commit[:12]})"


def _errors(result: CheckResult) -> tuple[Problem, ...]:
    return tuple(p for p in result.problems if p.severity is Severity.ERROR)


def _documents(before: CheckResult, after: CheckResult) -> tuple[DocumentDiff, ...]:
    old_keys = set(before.policy.documents()) if before.policy else set()
    new_keys = set(after.policy.documents()) if after.policy else set()
    result = []
    for key in sorted(old_keys | new_keys, key=lambda k: _order(after.policy or before.policy, k)):
        name = _name(after.policy, key[0]) or _name(before.policy, key[0]) or key[0]
        result.append(_document(key, name, before, after, key in old_keys, key in new_keys))
    return tuple(result)


def _document(
    key: tuple[str, str],
    name: str,
    before: CheckResult,
    after: CheckResult,
    was: bool,
    is_: bool,
) -> DocumentDiff:
    jurisdiction, language = key
    state = DocumentState.UNCHANGED
    if not is_:
        # Incomplete at the base, it was published only if an earlier commit completed it: the
        # history says (`_as_history_says`).
        old = before.compositions.get(key)
        gone = DocumentState.UNLISTED if old is not None and not old.complete else None
        return DocumentDiff(
            jurisdiction=jurisdiction,
            language=language,
            name=name,
            state=gone or DocumentState.REMOVED,
        )
    new = after.compositions[key]
    if not new.complete:
        return DocumentDiff(
            jurisdiction=jurisdiction,
            language=language,
            name=name,
            state=DocumentState.LAGGING if was else DocumentState.WAITING,
            missing=len(new.missing),
            fuzzy=len(new.fuzzy),
        )
    old = before.compositions.get(key) if was else None
    clauses: tuple[ClauseChange, ...] = ()
    if old is None:
        state, clauses = DocumentState.ADDED, diff_documents(None, new.document)
    elif not old.complete:
        state = DocumentState.COMPLETED
    elif content_hash(old.document) != content_hash(new.document):
        formers = former_ids([clause_messages(old.document), clause_messages(new.document)])[-1]
        state = DocumentState.CHANGED
        clauses = diff_documents(old.document, new.document, formers, keep_renamed=True)
    return DocumentDiff(
        jurisdiction=jurisdiction, language=language, name=name, state=state, clauses=clauses
    )


def _order(policy: Policy | None, key: tuple[str, str]) -> tuple:
    """Jurisdictions by id; within one, its languages in the order it lists them."""
    jurisdiction, language = key
    listed = policy.jurisdictions.get(jurisdiction) if policy else None
    languages = listed.languages if listed else ()
    return (jurisdiction, languages.index(language) if language in languages else 99, language)


def _name(policy: Policy | None, jurisdiction: str) -> str | None:
    found = policy.jurisdictions.get(jurisdiction) if policy else None
    return found.name if found else None


# Markdown ------------------------------------------------------------------------------------

_STATE_LABEL = {
    DocumentState.ADDED: "new document",
    DocumentState.REPUBLISHED: "published again after it was retired: new version",
    DocumentState.REMOVED: "retired: its pages stay, marked as no longer maintained",
    DocumentState.UNLISTED: "no longer listed: never published (its translation was never complete), so it has no pages",
    DocumentState.CHANGED: "new version",
    DocumentState.COMPLETED: "translation complete again: new version",
    DocumentState.CAUGHT_UP: "translation complete again: no new version (its last version has this text)",
    DocumentState.LAGGING: "translation incomplete",
    DocumentState.WAITING: "translation incomplete: not published until it is complete",
    DocumentState.UNCHANGED: "unchanged",
}
_CLAUSE_LABEL = {
    ChangeType.ADDED: "Added",
    ChangeType.REMOVED: "Removed",
    ChangeType.MOVED: "Moved",
    ChangeType.CHANGED: "Changed",
}


def render_markdown(diff: SourceDiff) -> str:
    """The comment: a summary table, the change note, then each distinct redline once."""
    out = [
        f"## {_escape(diff.title)} changes",
        "",
        f"Comparing `{diff.base}` with `{diff.head}`.",
        "",
    ]
    if diff.contained:
        out.append(
            f"`{diff.head}` is already part of `{diff.base}`: merging it changes nothing. (To see "
            "what the base's own commits did, compare the other way round.)"
        )
        return "\n".join(out) + "\n"
    if diff.head_errors:
        out += _errors_block("The head does not pass `policy check`", diff.head_errors)
        return "\n".join(out)
    if diff.base_errors:
        title = (
            "The base does not pass `policy check`; each document is compared with what the "
            "base composes"
            if diff.base_readable
            else "The base does not pass `policy check` and its policy cannot be read: each "
            "document is compared with what the history published before the head (new, "
            "where the history cannot be read)"
        )
        out += _errors_block(title, diff.base_errors)
    out += _note(diff)
    out += _names(diff.renamed)
    out += _later(diff.deferred)
    out += _announced(diff.announced_first)
    changed = diff.changed()
    if not changed:
        out.append("No published document changes.")
        return "\n".join(out) + "\n"
    out += ["| Document | What happens | Sections |", "|---|---|---|"]
    for document in changed:
        out.append(
            f"| `{document.key}` {_escape(document.name)} | {_STATE_LABEL[document.state]} "
            f"| {_counts(document)} |"
        )
    unchanged = len(diff.documents) - len(changed)
    if unchanged:
        out += ["", f"{unchanged} other document{'s' if unchanged != 1 else ''} unchanged."]
    out.append("")
    out += _redlines(changed)
    return "\n".join(out).rstrip("\n") + "\n"


def _note(diff: SourceDiff) -> list[str]:
    if diff.note is not None:
        note = diff.note
        lines = [
            f"**Change note** ({note.kind.value}, effective {note.effective.isoformat()}): "
            f"{_escape(note.summary)}",
            "",
        ]
        if diff.note_reused:
            lines += [
                "**Warning:** this note says what an earlier change's note said (a revert "
                "brings back the note of the change before it), so the build will not take it "
                "(`policy check` warns: `[change.reused]`). Its new versions would take effect on "
                "the day they are published, as material changes, with the commit's subject as "
                "their summary. Rewrite its summary, kind or effective date for this change.",
                "",
            ]
        if diff.note_idle:
            lines += [
                "**Warning:** no text changes, so no version will carry this note; a version "
                "once published keeps its summary and dates. To move or withdraw an announced "
                'change, see "Moving an announced change" in `docs/authoring.md`.',
                "",
            ]
        if not diff.note_reused and not diff.note_idle:  # else no version takes its date
            for warning in diff.note_warnings:
                lines += [f"**Warning:** {_escape(warning.message)} (`[{warning.code}]`)", ""]
        return lines
    if diff.note_stale:
        return [
            f"**Warning:** the text changed but `{CHANGE_FILE}` was not rewritten; "
            "`policy check` fails until it describes this change.",
            "",
        ]
    return []


def _names(names: tuple[Renamed, ...]) -> list[str]:
    if not names:
        return []
    said = [
        f"the policy's title from “{_escape(n.before)}” to “{_escape(n.after)}”"
        if n.jurisdiction is None
        else f"`{n.jurisdiction}` from “{_escape(n.before)}” to “{_escape(n.after)}”"
        for n in names
    ]
    return [
        f"**Renames** {'; '.join(said)}. A name is no part of a version's text, so it makes no "
        "version: the policy in force and the site show the new name once published, and each "
        "published version keeps the name it was published with. Each language shows the new "
        "name in the source language until its catalog translates it (`policy i18n update`).",
        "",
    ]


def _later(deferred: tuple[Deferred, ...]) -> list[str]:
    lines = []
    for late in deferred:
        keys = ", ".join(f"`{key}`" for key in late.documents)
        if late.withdraws:
            lines += [
                f"**Withdraws the change announced for {late.in_force_from.isoformat()}:** "
                f"{keys} read{'s' if len(late.documents) == 1 else ''} as before that change, "
                f"so nothing changes on {late.in_force_from.isoformat()}; the announced "
                f"version{'' if len(late.documents) == 1 else 's'} will never apply.",
                "",
            ]
            continue
        lines += [
            f"**Takes effect later than the change note says:** {keys} "
            f"{'takes' if len(late.documents) == 1 else 'take'} effect on "
            f"{late.in_force_from.isoformat()}, not {late.effective.isoformat()}: an earlier "
            f"change takes effect on {late.in_force_from.isoformat()}, and a version never "
            "applies before the one it follows.",
            "",
        ]
    return lines


def _announced(announced_first: tuple[AnnouncedFirst, ...]) -> list[str]:
    lines = []
    for first in announced_first:
        keys = ", ".join(f"`{key}`" for key in first.documents)
        day, until = first.announced.isoformat(), first.in_force_from.isoformat()
        lines += [
            f"**The change announced for {day} still takes effect first:** {keys} "
            f"{'applies' if len(first.documents) == 1 else 'apply'} it from {day} until this "
            f"change takes effect on {until}: a version never applies before the one it follows, "
            'and a version once published keeps its text and dates (see "Moving an announced '
            'change" in `docs/authoring.md`).',
            "",
        ]
    return lines


_BACKTICKS = re.compile(r"`+")


def _errors_block(title: str, problems: tuple[Problem, ...]) -> list[str]:
    lines = [f"**{title}.**", ""]
    if problems:
        shown = [str(p) for p in problems[:20]]
        # Longer than any run of backticks in them: a quoted value cannot close the block.
        longest = max((len(run) for text in shown for run in _BACKTICKS.findall(text)), default=0)
        fence = "`" * max(3, longest + 1)
        lines += [fence, *shown, fence, ""]
        if len(problems) > 20:
            lines += [f"… and {len(problems) - 20} more.", ""]
    return lines


def _counts(document: DocumentDiff) -> str:
    if document.state in _INCOMPLETE:
        counts = f"{document.missing} missing, {document.fuzzy} to review"
        if document.state is DocumentState.LAGGING:
            return counts + ": keeps its last complete version"
        return counts
    counts: dict[str, int] = {}
    for clause in document.clauses:
        label = (
            "renamed" + _renamed(clause).replace(", and", " and")
            if clause.renamed_from
            else _CLAUSE_LABEL[clause.type].lower()
        )
        counts[label] = counts.get(label, 0) + 1
    return ", ".join(f"{n} {label}" for label, n in counts.items()) or "–"


def _redlines(documents: list[DocumentDiff]) -> list[str]:
    """Each distinct redline once, headed by every document that shows it."""
    groups: dict[str, list[DocumentDiff]] = {}
    for document in documents:
        if document.clauses and document.state is not DocumentState.ADDED:
            groups.setdefault(_redline(document), []).append(document)
    out: list[str] = []
    length = 0
    for index, (body, members) in enumerate(groups.items()):
        heading = ", ".join(f"`{d.key}`" for d in members)
        section = [f"### {heading}", "", body, ""]
        length += sum(len(line) + 1 for line in section)
        if length > MAX_LENGTH:
            left = len(groups) - index
            out += [
                f"*{left} more redline{'s' if left != 1 else ''} left out to keep this comment "
                "under GitHub's size limit; run `policy diff` to see them.*",
                "",
            ]
            break
        out += section
    return out


def _redline(document: DocumentDiff) -> str:
    out: list[str] = []
    for clause in document.clauses:
        label = _CLAUSE_LABEL[clause.type]
        if clause.type is ChangeType.CHANGED and clause.moved:
            label = "Changed and moved"
        if clause.renamed_from:
            label = f"Renamed from `{clause.renamed_from}`{_renamed(clause)}"
        out += [f"#### {label}: {_escape(clause.title)} (`{clause.clause_id}`)", ""]
        if clause.old_title:
            out += [f"Previously titled: <del>{_escape(clause.old_title)}</del>", ""]
        if clause.renamed_from:
            out += [f"Links to `#{clause.renamed_from}` still lead to it.", ""]
        if clause.type is ChangeType.MOVED:
            out += ["The text is unchanged.", ""]
            continue
        out += _paragraphs(clause)
    return "\n".join(out).rstrip("\n")


def _renamed(clause: ClauseChange) -> str:
    """What else befell a clause whose id changed: ", and moved", ", and changed", ", moved and
    changed" or nothing (a renamed clause whose text stayed is of type MOVED, moved or not)."""
    done = ["moved"] if clause.moved else []
    done += ["changed"] if clause.type is ChangeType.CHANGED else []
    return ", moved and changed" if len(done) == 2 else "".join(f", and {d}" for d in done)


def _paragraphs(clause: ClauseChange) -> list[str]:
    """Changed paragraphs with their marks; a run of unchanged ones becomes one `…` line."""
    out: list[str] = []
    previous_item = False
    for paragraph in clause.paragraphs:
        if not paragraph.changed and clause.type is ChangeType.CHANGED:
            if out[-2:] != ["…", ""]:
                out += ["…", ""]
            previous_item = False
            continue
        text = "".join(_segment(edit, piece) for edit, piece in paragraph.segments)
        item = bool(paragraph.prefix) and not paragraph.prefix.startswith("#")
        if item and previous_item:
            out.pop()  # items of one list stay together: no blank line between them
        text = _LIST_MARKER.sub(r"\1\\\2", text)
        notes = "".join(f"<br>*{note}*" for note in _unseen_changes(paragraph))
        out += [_prefix(paragraph.prefix) + text + notes, ""]
        previous_item = item
    return out


def _unseen_changes(paragraph: RedlineParagraph) -> list[str]:
    """What changed in a paragraph that its words do not show (see templates/_macros.html)."""
    notes = []
    for link in paragraph.links:
        text, before, after = (_escape(link.text), _address(link.before), _address(link.after))
        if link.before is None:
            notes.append(f"New link: “{text}” leads to {after}.")
        elif link.after is None:
            notes.append(f"Link removed: “{text}” led to {before}.")
        else:
            notes.append(f"Link changed: “{text}” now leads to {after} (before: {before}).")
    if paragraph.restyled:
        notes.append("Formatting changed; the words are the same.")
    return notes


def _address(href: str | None) -> str:
    """A link's address as code, which Markdown shows as written (never as a link)."""
    return "`" + (href or "").replace("`", "%60") + "`"


def _prefix(prefix: str) -> str:
    if prefix.startswith("#"):
        return "##### "
    return prefix


def _segment(edit: Edit, text: str) -> str:
    if edit is Edit.INSERTED:
        return f"<ins>{_escape(text)}</ins>"
    if edit is Edit.DELETED:
        return f"<del>{_escape(text)}</del>"
    return _escape(text)


_MARKDOWN = re.compile(r"([\\`*_\[\]{}#|~!])")
_LIST_MARKER = re.compile(r"^(\d*)([-+.)])")
"""What would make the start of a line a list item (`>` is already escaped as `&gt;`)."""


def _escape(text: str) -> str:
    """Plain text that Markdown shows as it is: no emphasis, links, tables or HTML."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))
