"""When did each clause of a document change: a per-clause history across its versions.

A clause's text is compared as published (its title and sanitized HTML), version after version, so a
re-wrapped source paragraph that renders the same is not a change, exactly as for version hashes.
The work is one dictionary lookup per clause and version: no word diff is needed to know *when*.
A clause whose id changed keeps its history, through the ids it had before (`renames.former_ids`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
    title: str
    """Its title in the newest version that has it."""
    events: tuple[ClauseEvent, ...]
    former_ids: tuple[str, ...] = ()
    """The ids it had before its id changed, oldest first, but those another clause has had
    since."""
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

    def ids_in(self, number: int) -> list[str]:
        """Its id in version `number` (none when that version does not have it; two when the
        history is of two clauses, see `clause_histories`)."""
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
    continue its history under the new id."""
    events: dict[str, list[ClauseEvent]] = {}
    titles: dict[str, str] = {}
    formers: dict[str, tuple[str, ...]] = {}
    spans: dict[str, list[tuple[int, int, str]]] = {}
    previous: dict[str, ComposedClause] = {}
    for index, version in enumerate(versions):
        current = {c.id: c for c in version.document.clauses}
        renames = continued_ids(previous, current, former_ids[index] if former_ids else {})
        for old_id, new_id in renames.items():
            previous[new_id] = previous.pop(old_id)
            # A new id that an earlier clause had keeps that clause's events too, in order.
            earlier = events.get(new_id, []) + events.pop(old_id)
            events[new_id] = sorted(earlier, key=lambda e: e.version.number)
            spans[new_id] = spans.get(new_id, []) + spans.pop(old_id)
            formers[new_id] = (*formers.pop(old_id, ()), old_id)
            del titles[old_id]
        for clause in version.document.clauses:
            change = _change(previous.get(clause.id), clause)
            if change is not None:
                event = ClauseEvent(version=version, type=change, clause_id=clause.id)
                events.setdefault(clause.id, []).append(event)
            titles[clause.id] = clause.title
            had = spans.setdefault(clause.id, [])
            if had and had[-1][1:] == (version.number - 1, clause.id):
                had[-1] = (had[-1][0], version.number, clause.id)
            else:
                had.append((version.number, version.number, clause.id))
        for clause_id in sorted(previous.keys() - current.keys()):
            events[clause_id].append(
                ClauseEvent(version=version, type=ChangeType.REMOVED, clause_id=clause_id)
            )
        previous = current
    newest = [c.id for c in versions[-1].document.clauses] if versions else []
    gone = sorted(set(events) - set(newest), key=lambda c: (events[c][-1].version.number, c))
    return tuple(
        ClauseHistory(
            clause_id=c,
            title=titles[c],
            events=tuple(events[c]),
            former_ids=tuple(f for f in formers.get(c, ()) if f not in events),
            ids=tuple(spans[c]),
        )
        for c in newest + gone
    )


def _change(before: ComposedClause | None, after: ComposedClause) -> ChangeType | None:
    if before is None:
        return ChangeType.ADDED
    if (before.title, before.html) != (after.title, after.html):
        return ChangeType.CHANGED
    return None
