"""Clauses whose id changed: which new id continues which vanished one.

An id is a clause's permanent name: its link anchor, its translations' `msgctxt`, its history. When
one changes anyway, the clause is recognised by its messages (title, paragraphs, list items): a new
id continues the vanished one with which it shares the most messages word for word, provided that
is at least half of its own. `policy i18n update` carries the translations over by this rule,
`policy check --base` warns about the rename by it, and `policy diff` shows the clause as renamed.
The site follows the clause along each document's versions (`former_ids`): its pages keep the old
id as a second anchor, so links made before the rename still lead to it, and its redlines, the
compare page and its history pair it with its old text (`continued_ids`).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from typing import TypeVar

from generator.model import Document

K = TypeVar("K", bound=Hashable)


def renamed(gone: Mapping[K, Collection[str]], added: Mapping[K, Collection[str]]) -> dict[K, K]:
    """For each key of `added` (new ids, with their messages) that continues one of `gone`
    (vanished ids, with theirs), that key; each vanished one is continued at most once, by the
    new one sharing the most with it (ties go to the first in order of `str`)."""
    candidates = sorted(
        (
            (-len(shared), str(new), str(old), new, old)
            for new, news in added.items()
            for old, olds in gone.items()
            if (shared := set(olds) & set(news)) and 2 * len(shared) >= len(set(news))
        ),
        key=lambda candidate: candidate[:3],
    )
    continued: dict[K, K] = {}
    taken: set[K] = set()
    for *_, new, old in candidates:
        if new not in continued and old not in taken:
            continued[new] = old
            taken.add(old)
    return continued


def former_ids(states: Sequence[Mapping[K, Collection[str]]]) -> list[dict[K, tuple[K, ...]]]:
    """For each state of a document, in order (its clause ids, with their messages), the ids
    that clauses it has were known by in earlier states: id now -> former ids, in order of `str`.

    A rename carries the ids that led to the old clause (`a` renamed `b`, then `c`: `c` was `a`
    and `b`). A former id is dropped once a clause of the state has it again, and with the clause
    it leads to, when that clause is gone."""
    leads: dict[K, K] = {}
    """Former id -> the id it leads to now."""
    previous: Mapping[K, Collection[str]] = {}
    formers_by_state = []
    for state in states:
        continued = renamed(
            {k: v for k, v in previous.items() if k not in state},
            {k: v for k, v in state.items() if k not in previous},
        )
        old_to_new = {old: new for new, old in continued.items()}
        leads = {former: old_to_new.get(now, now) for former, now in leads.items()}
        leads |= old_to_new
        leads = {f: n for f, n in leads.items() if n in state and f not in state}
        formers: dict[K, list[K]] = {}
        for former, now in sorted(leads.items(), key=lambda lead: str(lead[0])):
            formers.setdefault(now, []).append(former)
        formers_by_state.append({now: tuple(f) for now, f in formers.items()})
        previous = state
    return formers_by_state


def clause_messages(document: Document) -> dict[str, tuple[str, ...]]:
    """A composed document's clauses by id, with the messages the rule compares: each clause's
    title and blocks, as composed."""
    return {c.id: (c.title, *c.paragraphs) for c in document.clauses}


def continued_ids(
    old: Collection[K], new: Collection[K], former_ids: Mapping[K, Sequence[K]]
) -> dict[K, K]:
    """Old id -> new id, for each clause of an older state (its ids) that a clause of a newer one
    continues under another id: a former id of the newer clause (`former_ids`, of the newer
    state) that the older state has and the newer no longer does."""
    return {
        former: now
        for now, formers in former_ids.items()
        if now in new and now not in old
        for former in formers
        if former in old and former not in new
    }
