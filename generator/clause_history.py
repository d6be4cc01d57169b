"""When did each clause of a document change: a per-clause history across its versions.

A clause's text is compared as published (its title and sanitized HTML), version after version, so a
re-wrapped source paragraph that renders the same is not a change, exactly as for version hashes.
The work is one dictionary lookup per clause and version: no word diff is needed to know *when*.
A clause whose id changed keeps its history, through the ids it had before (`renames.former_ids`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from generator.model import ChangeType, ComposedClause, Version
from generator.renames import continued_ids


@dataclass(frozen=True, kw_only=True)
class ClauseEvent:
    """One version in which a clause was added, changed or removed."""

    version: Version
    type: ChangeType
    """ADDED, CHANGED or REMOVED; a clause that only moved among the others did not change."""
    clause_id: str
    """The clause's id in that version (when removed, in the version before): its anchor there."""


@dataclass(frozen=True, kw_only=True)
class ClauseHistory:
    """Every version in which one clause changed, oldest first."""

    clause_id: str
    """Its id in the newest version that has it."""
    anchor: str
    """Its section's id on the history page: its `clause_id`, unless a clause that was in the
    same versions took that id later (see `clause_histories`)."""
    title: str
    """Its title in the newest version that has it."""
    events: tuple[ClauseEvent, ...]
    inserted: tuple[str, ...] = ()
    """The values its variables put into the clause in that version (pages isolate them from
    text of the other direction, bidi.py)."""
    former_ids: tuple[str, ...] = ()
    """The ids it had before its id changed, oldest first, that still lead to it: not those
    another clause had after it."""
    ids: tuple[tuple[int, int, str], ...] = ()
    """(first version, last version, id): each run of versions in which it had one id."""

    @property
    def removed(self) -> bool:
        """Whether the newest version no longer has the clause."""
        return self.events[-1].type is ChangeType.REMOVED

    def change_in(self, number: int) -> ClauseEvent | None:
        """The event of version `number`, if the clause changed in it."""
        return next((e for e in self.events if e.version.number == number), None)

    def last_change(self, number: int) -> ClauseEvent | None:
        """The latest event up to and including version `number`."""
        earlier = [e for e in self.events if e.version.number <= number]
        return earlier[-1] if earlier else None

    def text_at(self, number: int) -> tuple[str, str] | None:
        """The clause's title and HTML in version `number`; None if that version has it not."""
        event = self.last_change(number)
        if event is None or event.type is ChangeType.REMOVED:
            return None
        clause = next(c for c in event.version.document.clauses if c.id == event.clause_id)
        return clause.title, clause.html

    def ids_in(self, number: int) -> list[str]:
        """Its id in version `number`, if that version has it."""
        return [clause_id for first, last, clause_id in self.ids if first <= number <= last]

    def gone_at(self, number: int) -> ClauseEvent | None:
        """The event that removed the clause, when version `number` no longer has it."""
        last = self.last_change(number)
        return last if last is not None and last.type is ChangeType.REMOVED else None


def clause_histories(
    versions: tuple[Version, ...], former_ids: Sequence[Mapping[str, Sequence[str]]] = ()
) -> tuple[ClauseHistory, ...]:
    """Each clause's history, in the newest version's order, then the removed clauses.

    `former_ids`, one for each version (see `renames.former_ids`), lets a clause whose id changed
    continue its history under the new id. An id that comes back after its clause was removed
    continues that clause's history, as one history of the id, unless the two clauses were in
    the same version: then the removed one keeps a history of its own, whose anchor on the
    history page is its id and the version that removed it (`id--5`: ids have no double hyphen).
    """
    lines: list[_Line] = []
    live: dict[str, _Line] = {}
    """Id in the version before -> the clause's line."""
    ended: dict[str, _Line] = {}
    """Id -> the removed clause that had it last, which the id continues if it comes back."""
    previous: dict[str, ComposedClause] = {}
    for index, version in enumerate(versions):
        number = version.number
        current = {c.id: c for c in version.document.clauses}
        renames = continued_ids(previous, current, former_ids[index] if former_ids else {})
        for old_id, new_id in renames.items():
            line = live[new_id] = live.pop(old_id)
            line.formers.append(old_id)
            line.take(new_id, number)
            previous[new_id] = previous.pop(old_id)
            earlier = ended.pop(new_id, None)
            if earlier is not None and earlier.last_seen < line.first_seen:
                line.absorb(earlier)
                lines.remove(earlier)
        for clause in version.document.clauses:
            before = previous.get(clause.id)
            if before is None:
                line = ended.pop(clause.id, None)
                if line is None:
                    line = _Line(first_seen=number)
                    lines.append(line)
                line.take(clause.id, number)
                live[clause.id] = line
                event = ClauseEvent(version=version, type=ChangeType.ADDED, clause_id=clause.id)
                line.events.append(event)
            elif (before.title, before.html) != (clause.title, clause.html):
                event = ClauseEvent(version=version, type=ChangeType.CHANGED, clause_id=clause.id)
                live[clause.id].events.append(event)
        for clause_id in sorted(previous.keys() - current.keys()):
            line = ended[clause_id] = live.pop(clause_id)
            line.events.append(
                ClauseEvent(version=version, type=ChangeType.REMOVED, clause_id=clause_id)
            )
            line.leave(number - 1, previous[clause_id])
        previous = current
    if versions:
        for clause_id, line in live.items():
            line.leave(versions[-1].number, previous[clause_id])
    # Each id leads to the clause that had it last: it is that clause's anchor or former id.
    last_with: dict[str, tuple[int, _Line]] = {}
    for line in lines:
        for _, last, clause_id in line.spans:
            if last > last_with.get(clause_id, (0, line))[0]:
                last_with[clause_id] = (last, line)
    owner = {clause_id: line for clause_id, (_, line) in last_with.items()}
    newest = [live[c.id] for c in versions[-1].document.clauses] if versions else []
    gone = sorted(
        (line for line in lines if line.removed),
        key=lambda line: (line.events[-1].version.number, line.id, line.first_seen),
    )
    return tuple(line.history(owner) for line in newest + gone)


@dataclass(kw_only=True)
class _Line:
    """One clause followed through the versions, as `clause_histories` gathers it."""

    first_seen: int
    id: str = ""
    title: str = ""
    inserted: tuple[str, ...] = ()
    events: list[ClauseEvent] = field(default_factory=list)
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    since: int = 0
    """The version from which it has had its id, while it has."""
    formers: list[str] = field(default_factory=list)

    @property
    def removed(self) -> bool:
        return self.events[-1].type is ChangeType.REMOVED

    def take(self, clause_id: str, number: int) -> None:
        """From version `number` on, it has the id `clause_id` (a new clause, a clause back
        after it was removed, or renamed)."""
        if self.since:
            self.spans.append((self.since, number - 1, self.id))
        self.id, self.since = clause_id, number

    def leave(self, number: int, clause: ComposedClause) -> None:
        """Version `number` is the last that has it (so far), as `clause`."""
        self.spans.append((self.since, number, self.id))
        self.since, self.title, self.inserted = 0, clause.title, clause.inserted

    @property
    def last_seen(self) -> int:
        """The last version that had it, once it has left."""
        return self.spans[-1][1]

    def absorb(self, earlier: _Line) -> None:
        """Take the history of a removed clause that had the id this one takes, before it."""
        self.events[:0] = earlier.events
        self.spans[:0] = earlier.spans
        self.formers[:0] = earlier.formers
        self.first_seen = earlier.first_seen

    def history(self, owner: Mapping[str, _Line]) -> ClauseHistory:
        """Its history, given which clause each id leads to."""
        mine = owner[self.id] is self
        return ClauseHistory(
            clause_id=self.id,
            anchor=self.id if mine else f"{self.id}--{self.events[-1].version.number}",
            title=self.title,
            events=tuple(self.events),
            inserted=self.inserted,
            former_ids=tuple(
                dict.fromkeys(f for f in self.formers if owner[f] is self and f != self.id)
            ),
            ids=tuple(self.spans),
        )
