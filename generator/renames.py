"""Clauses whose id changed: which new id continues which vanished one.

An id is a clause's permanent name: its link anchor, its translations' `msgctxt`, its history. When
one changes anyway, the clause is recognised by its messages (title, paragraphs, list items): a new
id continues the vanished one with which it shares the most messages word for word, provided that
is at least half of its own. `policy i18n update` carries the translations over by this rule,
`policy check --base` warns about the rename by it, and `policy diff` shows the clause as renamed.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from typing import TypeVar

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
