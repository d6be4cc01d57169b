"""Translation catalogs: extract the template from the policy, merge it into every catalog.

The template (`locales/policy.pot`) has one message per title, paragraph, list item and sub-heading
of every clause file, with the clause id (`who-we-are`, or `who-we-are@eu` for a variant) as its
`msgctxt`, plus the current change summary (`msgctxt "change"`) and each jurisdiction's name
(`msgctxt "jurisdiction"`). Variables stay as written (`{{ company.name }}`).

Merging decides what changed from the source itself, never by fuzzy matching across the catalog
(Babel's `Catalog.update` matches unrelated clauses and is slow): within one context, the catalog's
messages (the source as last merged) are aligned with the template's. An identical message keeps its
translation untouched; a paragraph whose text changed keeps its translation, marked fuzzy, with the
text it was translated from as its previous msgid (`#| msgid`); a message that is gone becomes
obsolete (`#~`), so no translation is ever lost. A clause whose id changed keeps its translations:
its new context continues the vanished one by the rule of `renames.py`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from babel.messages.catalog import Message

from generator.catalogs import plural_forms, variables_in
from generator.model import BlockKind, Language, Policy, Text
from generator.pofiles import PoCatalog, messages
from generator.publication import JURISDICTION_CONTEXT, SUMMARY_CONTEXT, TITLE_CONTEXT
from generator.renames import renamed
from generator.sources import CHANGE_FILE, SITE_FILE
from generator.variables import VALUE_CONTEXT, variables_for

UNPAIRED_CONTEXTS = frozenset({SUMMARY_CONTEXT})
"""Contexts whose messages are never "changed versions" of each other: a new change summary
describes a new change, so the previous one's translation is not offered as a draft."""

FORMAT_FLAGS = frozenset({"python-format", "python-brace-format"})
"""Babel guesses these from `%` or `{`; policy text is prose, not a format string, and a wrong guess
makes `msgfmt --check-format` reject correct translations ("100 % of ...")."""

_WORD = re.compile(r"\w+")
_KIND_NAMES = {
    BlockKind.PARAGRAPH: "paragraph",
    BlockKind.LIST_ITEM: "list item",
    BlockKind.HEADING: "sub-heading",
}


@dataclass(frozen=True, kw_only=True)
class MergeCounts:
    """What a merge did to one catalog."""

    unchanged: int = 0
    """Messages whose source is the same: translation kept as it was."""
    changed: int = 0
    """Messages whose source changed: old translation kept, marked fuzzy, with `#| msgid`."""
    new: int = 0
    """Messages with no translation yet: new ones, and those still untranslated."""
    obsoleted: int = 0
    """Translated messages whose source is gone, kept as obsolete (`#~`)."""

    def __str__(self) -> str:
        return (
            f"{self.unchanged} unchanged, {self.changed} changed (fuzzy), {self.new} untranslated, "
            f"{self.obsoleted} made obsolete"
        )


def extract_template(policy: Policy, created: str | None) -> PoCatalog:
    """The translation template of a policy; `created` is its POT-Creation-Date, if any."""
    template = PoCatalog(locale=None, domain="policy")
    template.header_comments = [
        f'Translation template of "{policy.title}",',
        "extracted from policies/ by 'policy i18n extract'. Do not translate this file:",
        "'policy i18n update' merges it into locales/<lang>/LC_MESSAGES/policy.po.",
    ]
    template.header_fields = header_fields(policy.title, created, language="")
    _add(
        template,
        policy.title,
        TITLE_CONTEXT,
        (SITE_FILE, None),
        ["The title of the policy: the site's name, in the header of every page and in feeds."],
    )
    for jid in sorted(policy.jurisdictions):
        jurisdiction = policy.jurisdictions[jid]
        _add(
            template,
            jurisdiction.name,
            JURISDICTION_CONTEXT,
            (jurisdiction.origin.path, jurisdiction.origin.line),
            [f"The name of the jurisdiction '{jid}', in page headings, switchers and feeds."],
        )
    filler = variables_for(policy.variables)
    for name in policy.translated_variables:
        _add(
            template,
            str(filler.value(name)),
            VALUE_CONTEXT + name,
            (SITE_FILE, None),
            [
                f"The value of {{{{ {name} }}}} (policies/site.yml), filled into the messages "
                "that use it: translate it to fit your translations of them."
            ],
        )
    if policy.change is not None:
        _add(
            template,
            policy.change.summary,
            SUMMARY_CONTEXT,
            (CHANGE_FILE, policy.change.origin.line),
            [
                "The summary of the current change (policies/change.yml), shown in change "
                "logs and feeds."
            ],
        )
    for text, label in _texts(policy):
        _add_text(template, text, label)
    return template


def new_catalog(
    template: PoCatalog, language: Language, title: str, created: str | None
) -> PoCatalog:
    """An empty catalog for a language, with the headers translation tools and msgfmt expect."""
    catalog = PoCatalog(locale=language.catalog_name, domain=template.domain)
    english = language.locale.english_name or language.tag
    catalog.header_comments = [
        f'{english} translation of "{title}".',
        "Translate it with Poedit, Weblate or Crowdin (see docs/translating.md);",
        "'policy i18n update' keeps it in step with policies/.",
    ]
    catalog.header_fields = header_fields(title, created, language=language.catalog_name)
    catalog.set_header("Plural-Forms", plural_forms(language))
    return catalog


def merge_catalog(
    template: PoCatalog,
    old: PoCatalog,
    *,
    keep_obsolete: bool = True,
    prose: bool = True,
) -> tuple[PoCatalog, MergeCounts]:
    """The catalog `old` brought in step with `template` (see the module docstring).

    With `prose`, format flags are dropped: policy text is not a format string.
    """
    merged = PoCatalog(locale=old.locale_identifier, domain=old.domain or template.domain)
    merged.header_comments = list(old.header_comments)
    merged.header_fields = list(old.header_fields)
    merged.fuzzy = old.fuzzy
    created = template.header("POT-Creation-Date")
    if created is not None:
        merged.set_header("POT-Creation-Date", created)
    counts = {"unchanged": 0, "changed": 0, "new": 0, "obsoleted": 0}
    old_by_context = _by_context(messages(old))
    revivable = {(m.context, m.id): m for m in old.obsolete.values()}
    gone: list[Message] = []
    new_by_context = _by_context(messages(template))
    predecessor = renamed(
        _ids_only_in(old_by_context, new_by_context), _ids_only_in(new_by_context, old_by_context)
    )
    for context, news in new_by_context.items():
        olds = old_by_context.pop(predecessor.get(context, context), [])
        if context and context.startswith(VALUE_CONTEXT):
            # A variable has one value: a new one continues the old, however unlike it is.
            matches = {0: 0} if olds and news else {}
        else:
            matches = align(
                [str(m.id) for m in olds],
                [str(m.id) for m in news],
                pair=context not in UNPAIRED_CONTEXTS,
            )
        for index, new in enumerate(news):
            source = olds[matches[index]] if index in matches else None
            source = source or revivable.pop((context, new.id), None)
            message, outcome = _carry(new, source, old, merged, prose)
            merged[message.id] = message
            counts[outcome] += 1
        continued = set(matches.values())
        gone.extend(m for i, m in enumerate(olds) if i not in continued)
    for leftovers in old_by_context.values():
        gone.extend(leftovers)
    obsolete = {}
    if keep_obsolete:
        for message in revivable.values():
            obsolete[(message.context, message.id)] = _obsolete(message, old, merged, True, prose)
    for message in gone:
        if _translated(message):
            counts["obsoleted"] += 1
            if keep_obsolete:
                obsolete[(message.context, message.id)] = _obsolete(
                    message, old, merged, False, prose
                )
    merged.obsolete = dict(
        sorted(obsolete.items(), key=lambda item: (item[0][0] or "", item[0][1]))
    )
    return merged, MergeCounts(**counts)


def align(old: Sequence[str], new: Sequence[str], *, pair: bool = True) -> dict[int, int]:
    """For each new message index, the index of the old message it continues.

    Equal runs come from `difflib.SequenceMatcher`; a message that moved keeps its exact twin; with
    `pair`, the rest of each replaced stretch is paired old-to-new in order, maximizing word
    similarity (a text sharing no word with any old one is new).
    """
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    matches: dict[int, int] = {}
    stretches: list[tuple[range, range]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            matches.update({j1 + k: i1 + k for k in range(i2 - i1)})
        else:
            stretches.append((range(i1, i2), range(j1, j2)))
    matched_old = set(matches.values())
    twins = {old[i]: i for stretch, _ in stretches for i in stretch if i not in matched_old}
    for _, news in stretches:
        for j in news:
            if new[j] in twins:
                matches[j] = twins.pop(new[j])
    if not pair:
        return matches
    taken = set(matches.values())
    for olds, news in stretches:
        free_old = [i for i in olds if i not in taken]
        free_new = [j for j in news if j not in matches]
        for a, b in _pair([old[i] for i in free_old], [new[j] for j in free_new]):
            matches[free_new[b]] = free_old[a]
            taken.add(free_old[a])
    # A paragraph both moved and edited left one stretch and joined another: it continues the
    # old paragraph most like it, anywhere in the clause, when they share most of their words.
    likeness = sorted(
        (-_similarity(old[i], new[j]), j, i)
        for i in range(len(old))
        if i not in taken
        for j in range(len(new))
        if j not in matches
    )
    for score, j, i in likeness:
        if -score < _MOVED_AND_EDITED:
            break
        if j not in matches and i not in taken:
            matches[j] = i
            taken.add(i)
    return matches


# Extraction -----------------------------------------------------------------------------------


def _texts(policy: Policy) -> list[tuple[Text, str]]:
    """Every text with the label translators see: clauses in reading order, each followed by its
    variants."""
    result = []
    for clause in sorted(policy.clauses.values(), key=lambda c: (c.order, c.id)):
        label = f'Clause "{clause.title}" ({clause.id})'
        result.append((clause.text, label))
        for key in sorted(k for k in policy.variants if k[0] == clause.id):
            jurisdiction = policy.jurisdictions.get(key[1])
            where = f"{jurisdiction.name} ({key[1]})" if jurisdiction else key[1]
            result.append((policy.variants[key].text, f"{label}, variant for {where}"))
    return result


def _add_text(template: PoCatalog, text: Text, label: str) -> None:
    path = text.origin.path
    if text.title:
        _add(template, text.title, text.context, (path, text.title_at), [f"{label}: title"])
    counters: dict[BlockKind, int] = {}
    for block in text.blocks:
        counters[block.kind] = counters.get(block.kind, 0) + 1
        comments = [f"{label}: {_KIND_NAMES[block.kind]} {counters[block.kind]}"]
        _add(template, block.text, text.context, (path, block.line), comments)


def _add(
    template: PoCatalog,
    source: str,
    context: str,
    location: tuple[str, int | None],
    comments: list[str],
) -> None:
    names = dict.fromkeys(variables_in(source))
    if names:
        written = ["{{ " + name + " }}" for name in names]
        listed = " and ".join(
            [", ".join(written[:-1]), written[-1]] if len(written) > 1 else written
        )
        how = "as they are" if len(written) > 1 else "as it is"
        comments = [*comments, f"Keep {listed} {how}: filled in on the page."]
    template.add(source, "", locations=[location], auto_comments=comments, context=context)
    stored = template.get(source, context)
    if stored is not None:
        stored.flags = set(stored.flags) - FORMAT_FLAGS


def header_fields(title: str, created: str | None, *, language: str) -> list[tuple[str, str]]:
    """A catalog's header, as every catalog of this project (policy and interface) writes it."""
    fields = [("Project-Id-Version", title)]
    if created:
        fields += [("POT-Creation-Date", created), ("PO-Revision-Date", created)]
    fields += [
        ("Last-Translator", ""),
        ("Language-Team", ""),
        ("Language", language),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ]
    return fields


# Merging --------------------------------------------------------------------------------------


def _ids_only_in(
    groups: dict[str | None, list[Message]], other: dict[str | None, list[Message]]
) -> dict[str | None, list[str]]:
    """The msgids of each context of `groups` that `other` lacks (change summaries aside: they
    never continue one another), for `renamed`."""
    return {
        context: [str(m.id) for m in found]
        for context, found in groups.items()
        if context not in other and context not in UNPAIRED_CONTEXTS
    }


def _by_context(found: list[Message]) -> dict[str | None, list[Message]]:
    groups: dict[str | None, list[Message]] = {}
    for message in found:
        groups.setdefault(message.context, []).append(message)
    return groups


def _carry(
    new: Message, old: Message | None, old_catalog: PoCatalog, merged: PoCatalog, prose: bool
) -> tuple[Message, str]:
    """The merged message for a template message, and whether it is unchanged, changed or new."""
    formats = set() if prose else set(new.flags) & FORMAT_FLAGS
    message = Message(
        new.id,
        "",
        locations=list(new.locations),
        auto_comments=list(new.auto_comments),
        user_comments=list(old.user_comments) if old else [],
        context=new.context,
    )
    # Babel's Message guesses format flags from the text; set them explicitly instead.
    message.flags = set(formats)
    if old is None or not _translated(old):
        return message, "new"
    message.string = old.string
    message.flags = (set(old.flags) - FORMAT_FLAGS) | formats
    unchanged = old.id == new.id
    if unchanged:
        if old.fuzzy and old.previous_id:
            message.previous_id = old.previous_id
            _copy_previous_context(old, old_catalog, message, merged)
        return message, "unchanged"
    message.flags.add("fuzzy")
    if old.fuzzy and old.previous_id:
        # Still under review: keep the text the translation was really made from.
        message.previous_id = old.previous_id
        _copy_previous_context(old, old_catalog, message, merged)
    else:
        message.previous_id = (str(old.id),)
    return message, "changed"


def _obsolete(
    message: Message, old_catalog: PoCatalog, merged: PoCatalog, was_obsolete: bool, prose: bool
) -> Message:
    """An obsolete entry: translation, flags and translator comments, no locations."""
    kept = Message(
        message.id,
        message.string,
        user_comments=list(message.user_comments),
        context=message.context,
    )
    kept.flags = set(message.flags) - FORMAT_FLAGS if prose else set(message.flags)
    if message.fuzzy and message.previous_id:
        kept.previous_id = message.previous_id
        key = (message.context, str(message.id), was_obsolete)
        if key in old_catalog.previous_contexts:
            merged.previous_contexts[(message.context, str(message.id), True)] = (
                old_catalog.previous_contexts[key]
            )
    return kept


def _copy_previous_context(
    old: Message, old_catalog: PoCatalog, new: Message, merged: PoCatalog
) -> None:
    key = (old.context, str(old.id), False)
    if key in old_catalog.previous_contexts:
        merged.previous_contexts[(new.context, str(new.id), False)] = old_catalog.previous_contexts[
            key
        ]


def _translated(message: Message) -> bool:
    string = message.string
    if isinstance(string, (list, tuple)):
        return any(string)
    return bool(string)


_MOVED_AND_EDITED = 0.5
"""How alike (difflib ratio of their words) a paragraph that moved must be to the old one it
continues: more than in place, where order tells which paragraph an edit is of."""


def _pair(olds: list[str], news: list[str]) -> list[tuple[int, int]]:
    """Order-keeping pairs (old index, new index) with the greatest total word similarity."""
    n, m = len(olds), len(news)
    if not n or not m:
        return []
    similarity = [[_similarity(a, b) for b in news] for a in olds]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            score = max(best[a + 1][b], best[a][b + 1])
            if similarity[a][b] > 0:
                score = max(score, similarity[a][b] + best[a + 1][b + 1])
            best[a][b] = score
    pairs = []
    a = b = 0
    while a < n and b < m:
        if similarity[a][b] > 0 and best[a][b] == similarity[a][b] + best[a + 1][b + 1]:
            pairs.append((a, b))
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            a += 1
        else:
            b += 1
    return pairs


def _similarity(a: str, b: str) -> float:
    words_a, words_b = _WORD.findall(a.lower()), _WORD.findall(b.lower())
    if not words_a or not words_b:
        return 0.0
    return difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).ratio()
