"""Stage 5: what changed between two versions of a document.

Clauses are matched by id, so a clause whose file was renamed or moved is the same clause, and so
is a clause whose id changed, through the ids it had before (`renames.former_ids`). Inside a
changed clause, the blocks its HTML shows (paragraphs, list items with the numbers a reader sees,
sub-headings) are aligned first and only aligned blocks are diffed word by word: a word diff over a
whole document is quadratic and pairs unrelated words. The compare page's script (policy.js) does
the same from the same published HTML and former ids, rule for rule; the browser tests hold the
two to it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from generator.markup import ShownBlock, shown_blocks
from generator.model import (
    Change,
    ChangeType,
    ClauseChange,
    ComposedClause,
    Document,
    Edit,
    LinkChange,
    RedlineParagraph,
    Version,
)
from generator.renames import continued_ids

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
"""Kana and Han: scripts written without spaces, so each character is a word of its own."""
_TOKEN = re.compile(rf"\s+|[{_CJK}]|(?:(?![{_CJK}])[\w’'])+|[^\w\s]", re.UNICODE)
_SIMILAR = 0.5
"""How alike (difflib ratio of their words) two paragraphs must be to be shown as one edited
paragraph rather than one removed and one added."""

MAX_WORD_PAIRS = 100_000
"""Above this product of token counts (about 160 words on each side) a word diff compares only
what lies between the common start and end, and shows a longer changed middle as replaced."""
MAX_LOOKAHEAD = 50
"""How many of the new paragraphs a replaced old paragraph is compared with to find its pair, so
that rewriting a clause of thousands of paragraphs costs thousands of comparisons, not millions."""


def diff_versions(
    old: Version | None, new: Version, former_ids: Mapping[str, Sequence[str]] | None = None
) -> Change:
    """The change that made `new` out of `old` (every clause added when `old` is None)."""
    return Change(
        old=old,
        new=new,
        clauses=diff_documents(old.document if old else None, new.document, former_ids),
    )


def diff_documents(
    old: Document | None,
    new: Document,
    former_ids: Mapping[str, Sequence[str]] | None = None,
    *,
    keep_renamed: bool = False,
) -> tuple[ClauseChange, ...]:
    """Clause by clause changes, in the newer document's order, removed clauses at their place.

    A clause of `new` one of whose `former_ids` (see renames.py) is a clause of `old` that `new`
    no longer has is compared with that clause: one clause whose id changed, not one removed and
    one added. Where its text and place stayed, a reader sees no change, and it is left out
    unless `keep_renamed` (a pull request's reviewers see ids)."""
    new_clauses = {c.id: c for c in new.clauses}
    old_ids = {c.id for c in old.clauses} if old else set()
    continued = continued_ids(old_ids, new_clauses, former_ids or {})
    old_clauses = {continued.get(c.id, c.id): c for c in old.clauses} if old else {}
    moved = _moved(list(old_clauses), list(new_clauses))
    changes: list[ClauseChange] = []
    for clause_id in _merged_order(list(old_clauses), list(new_clauses)):
        before, after = old_clauses.get(clause_id), new_clauses.get(clause_id)
        if before is after and clause_id not in moved:
            continue  # the very clause (versions share their unchanged clauses): no change
        change = _clause_change(before, after, clause_id in moved, keep_renamed)
        if change is not None:
            changes.append(change)
    return tuple(changes)


def diff_paragraphs(
    old: Sequence[ShownBlock], new: Sequence[ShownBlock]
) -> tuple[RedlineParagraph, ...]:
    """Blocks aligned, then each pair of changed blocks diffed word by word."""
    matcher = difflib.SequenceMatcher(
        None, [b.key for b in old], [b.key for b in new], autojunk=False
    )
    result: list[RedlineParagraph] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.extend(_whole(b, Edit.EQUAL) for b in new[j1:j2])
            continue
        result.extend(_replace(old[i1:i2], new[j1:j2]))
    return tuple(result)


def diff_words(old: str, new: str) -> tuple[tuple[Edit, str], ...]:
    """Word-level stretches of equal, deleted and inserted text between two plain texts."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    segments: list[tuple[Edit, str]] = []
    for op, i1, i2, j1, j2 in _bridge_spaces(_words_first(_opcodes(a, b), a, b), b):
        if op == "equal":
            _append(segments, Edit.EQUAL, "".join(b[j1:j2]))
            continue
        if i2 > i1:
            _append(segments, Edit.DELETED, "".join(a[i1:i2]))
        if j2 > j1:
            _append(segments, Edit.INSERTED, "".join(b[j1:j2]))
    return tuple(segments)


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes for two token lists, at a bounded cost.

    The matcher's cost grows with the product of the lengths it compares (and faster on
    repetitive text: two 800-word paragraphs can take a minute). Long texts are compared only
    between their common start and end, and a changed middle still too long is one replacement.
    """
    if len(a) * len(b) <= MAX_WORD_PAIRS:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    start = _common_prefix(a, b)
    end = _common_prefix(a[start:][::-1], b[start:][::-1])
    a_end, b_end = len(a) - end, len(b) - end
    opcodes: list[tuple[str, int, int, int, int]] = []
    if start:
        opcodes.append(("equal", 0, start, 0, start))
    if (a_end - start) * (b_end - start) > MAX_WORD_PAIRS:
        opcodes.append(("replace", start, a_end, start, b_end))
    elif a_end > start or b_end > start:
        matcher = difflib.SequenceMatcher(None, a[start:a_end], b[start:b_end], autojunk=False)
        opcodes.extend(
            (op, i1 + start, i2 + start, j1 + start, j2 + start)
            for op, i1, i2, j1, j2 in matcher.get_opcodes()
        )
    if end:
        opcodes.append(("equal", a_end, len(a), b_end, len(b)))
    return opcodes


def _common_prefix(a: list[str], b: list[str]) -> int:
    """How many tokens two token lists share at their start."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _words_first(opcodes: list, a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes with each inserted or deleted run that starts with a space moved one token on when
    the text after it starts with that space too: "your" + " full" + " name" marks the same words
    as "your " + "full " + "name", whose mark begins at the word added or removed."""
    opcodes = list(opcodes)
    result: list[tuple[str, int, int, int, int]] = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        edit = a[i1:i2] if op == "delete" else b[j1:j2]
        following = opcodes[index + 1] if index + 1 < len(opcodes) else None
        if (
            op not in ("insert", "delete")
            or len(edit) < 2
            or not edit[0].isspace()
            or following is None
            or following[0] != "equal"
            or following[2] - following[1] < 2
            or a[following[1]] != edit[0]
        ):
            result.append((op, i1, i2, j1, j2))
            continue
        if result and result[-1][0] == "equal":
            _, p1, _, q1, _ = result.pop()
        else:
            p1, q1 = i1, j1
        result.append(("equal", p1, i1 + 1, q1, j1 + 1))
        deleted, inserted = (1, 0) if op == "delete" else (0, 1)
        result.append((op, i1 + 1, i2 + deleted, j1 + 1, j2 + inserted))
        _, n1, n2, m1, m2 = following
        opcodes[index + 1] = ("equal", n1 + 1, n2, m1 + 1, m2)
    return result


def _bridge_spaces(opcodes: list, b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes with each space kept between two changes made part of them, so a rewritten phrase
    reads as one removed and one added phrase, not as words alternately struck and inserted."""
    result: list[tuple[str, int, int, int, int]] = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        bridge = (
            op == "equal"
            and 0 < index < len(opcodes) - 1
            and all(token.isspace() for token in b[j1:j2])
        )
        if (op != "equal" or bridge) and result and result[-1][0] == "replace":
            _, p1, _, q1, _ = result[-1]
            result[-1] = ("replace", p1, i2, q1, j2)
        elif op != "equal" or bridge:
            result.append(("replace", i1, i2, j1, j2))
        else:
            result.append((op, i1, i2, j1, j2))
    return result


def _replace(old: Sequence[ShownBlock], new: Sequence[ShownBlock]) -> list[RedlineParagraph]:
    """A run of blocks replaced by another: each old block is paired, in order, with the first
    later new one it resembles; the rest were removed or added."""
    result: list[RedlineParagraph] = []
    start = 0
    for block in old:
        match = next(
            (
                j
                for j in range(start, min(len(new), start + MAX_LOOKAHEAD))
                if _similar(block.text, new[j].text)
            ),
            None,
        )
        if match is None:
            result.append(_whole(block, Edit.DELETED))
            continue
        result.extend(_whole(b, Edit.INSERTED) for b in new[start:match])
        after = new[match]
        links = link_changes(block.links, after.links)
        result.append(
            RedlineParagraph(
                prefix=after.prefix or block.prefix,
                segments=diff_words(block.text, after.text),
                links=links,
                restyled=not links
                and block.text == after.text
                and block.key[len(block.prefix) :] != after.key[len(after.prefix) :],
            )
        )
        start = match + 1
    result.extend(_whole(b, Edit.INSERTED) for b in new[start:])
    return result


def link_changes(
    old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]]
) -> tuple[LinkChange, ...]:
    """The links of a paragraph that lead elsewhere, are new or are gone, from its links in two
    versions ((text, href) in order). With as many links in both, the n-th link is the n-th:
    each that leads elsewhere now is one change. Otherwise each address the older paragraph has
    more often than the newer is a link gone, and each the newer has more often a link added.
    A link whose words alone changed is no change here: the word diff shows it."""
    if len(old) == len(new):
        return tuple(
            LinkChange(text=text, before=before, after=after)
            for (_, before), (text, after) in zip(old, new, strict=True)
            if before != after
        )
    gone, added = list(old), []
    for text, href in new:
        found = next((i for i, (_, h) in enumerate(gone) if h == href), None)
        if found is None:
            added.append(LinkChange(text=text, before=None, after=href))
        else:
            del gone[found]
    return tuple(LinkChange(text=text, before=href, after=None) for text, href in gone) + tuple(
        added
    )


def _similar(old: str, new: str) -> bool:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.quick_ratio() < _SIMILAR:
        return False
    # quick_ratio is an upper bound of ratio; the exact ratio costs as much as a word diff, so
    # paragraphs too long for one are taken as alike on the bound alone.
    return len(a) * len(b) > MAX_WORD_PAIRS or matcher.ratio() >= _SIMILAR


@lru_cache(maxsize=4096)
def _clause_change(
    before: ComposedClause | None, after: ComposedClause | None, moved: bool, keep_renamed: bool
) -> ClauseChange | None:
    """The change to one clause; cached, since documents of several jurisdictions share the
    same clause and so the same change (and its word diff, made once when first read)."""
    if after is None and before is not None:
        return ClauseChange(
            clause_id=before.id,
            type=ChangeType.REMOVED,
            title=before.title,
            old_title=None,
            before=before,
            after=None,
        )
    assert after is not None
    if before is None:
        return ClauseChange(
            clause_id=after.id,
            type=ChangeType.ADDED,
            title=after.title,
            old_title=None,
            before=None,
            after=after,
        )
    same_text = before.html == after.html and before.title == after.title
    if same_text and not moved and not (keep_renamed and before.id != after.id):
        return None
    return ClauseChange(
        clause_id=after.id,
        type=ChangeType.MOVED if same_text else ChangeType.CHANGED,
        title=after.title,
        old_title=before.title if before.title != after.title else None,
        before=before,
        after=after,
        moved=moved,
    )


def clause_paragraphs(
    before: ComposedClause | None, after: ComposedClause | None
) -> tuple[RedlineParagraph, ...]:
    """A clause's blocks, as its HTML shows them, with what changed between two versions of it
    marked inside: all deleted when it was removed, all inserted when it was added."""
    if after is None:
        return tuple(_whole(b, Edit.DELETED) for b in shown_blocks(before.html)) if before else ()
    if before is None:
        return tuple(_whole(b, Edit.INSERTED) for b in shown_blocks(after.html))
    return diff_paragraphs(shown_blocks(before.html), shown_blocks(after.html))


def _moved(old_order: list[str], new_order: list[str]) -> set[str]:
    """Clauses in both versions that are not in the longest run kept in the same order."""
    if old_order == new_order:
        return set()
    common_old = [c for c in old_order if c in set(new_order)]
    common_new = [c for c in new_order if c in set(old_order)]
    matcher = difflib.SequenceMatcher(None, common_old, common_new, autojunk=False)
    kept = {
        common_new[j]
        for block in matcher.get_matching_blocks()
        for j in range(block.b, block.b + block.size)
    }
    return set(common_new) - kept


def _merged_order(old_order: list[str], new_order: list[str]) -> list[str]:
    """The newer order, with each removed clause after the clause it used to follow."""
    result, placed = list(new_order), set(new_order)
    for index, clause_id in enumerate(old_order):
        if clause_id in placed:
            continue
        previous = next((c for c in reversed(old_order[:index]) if c in placed), None)
        result.insert(result.index(previous) + 1 if previous else 0, clause_id)
        placed.add(clause_id)
    return result


def _whole(block: ShownBlock, edit: Edit) -> RedlineParagraph:
    return RedlineParagraph(prefix=block.prefix, segments=((edit, block.text),))


def _append(segments: list[tuple[Edit, str]], edit: Edit, text: str) -> None:
    if not text:
        return
    if segments and segments[-1][0] is edit:
        segments[-1] = (edit, segments[-1][1] + text)
    else:
        segments.append((edit, text))
