"""Stage 2: compose the policy for one jurisdiction in one language.

A jurisdiction gets every clause written for it or for a jurisdiction it extends; variants are
applied from the most general jurisdiction to the most specific, so the most specific one wins.
Each block is then translated, its variables filled in (with the translated values of those
site.yml's `translated_variables` names), and the clause rendered to safe HTML.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from generator.blocks import join_blocks
from generator.catalogs import Translations
from generator.errors import Problems, Severity
from generator.markup import to_html
from generator.model import Clause, ComposedClause, Document, Policy, Text, VariantMode
from generator.variables import VALUE_CONTEXT, variables_for


@dataclass(frozen=True, kw_only=True)
class Composition:
    """A composed document, and the messages it could not translate."""

    document: Document
    missing: tuple[tuple[str, str], ...] = ()
    """(context, source text) of each message with no translation."""
    fuzzy: tuple[tuple[str, str], ...] = ()
    """(context, source text) of each message whose translation needs review."""
    problems: list = field(default_factory=list)

    def __post_init__(self) -> None:
        # A translated value that fills several clauses is one message to translate.
        for lacking in ("missing", "fuzzy"):
            seen: set[tuple[str, str]] = set()
            kept = []
            for message in getattr(self, lacking):
                if message[0].startswith(VALUE_CONTEXT):
                    if message in seen:
                        continue
                    seen.add(message)
                kept.append(message)
            object.__setattr__(self, lacking, tuple(kept))

    @property
    def complete(self) -> bool:
        """Whether every message is translated, reviewed and valid: only then is it published."""
        return (
            not self.missing
            and not self.fuzzy
            and not any(p.severity is Severity.ERROR for p in self.problems)
        )


def compose(
    policy: Policy,
    jurisdiction: str,
    language: str,
    translations: Translations | None = None,
) -> Composition:
    """The document for a jurisdiction and language; untranslated text is left in the source."""
    problems = Problems()
    translator = _Translator(policy, language, translations)
    composed = []
    lineage = policy.lineage(jurisdiction)
    for clause in applicable_clauses(policy, jurisdiction):
        result = _compose_clause_reused(policy, clause, jurisdiction, lineage, translator, problems)
        if result is not None:
            composed.append(result)
    document = Document(jurisdiction=jurisdiction, language=language, clauses=tuple(composed))
    return Composition(
        document=document,
        missing=tuple(translator.missing),
        fuzzy=tuple(translator.fuzzy),
        problems=list(problems),
    )


def applicable_clauses(policy: Policy, jurisdiction: str) -> list[Clause]:
    """The clauses that apply to a jurisdiction, in reading order."""
    lineage = set(policy.lineage(jurisdiction))
    chosen = [c for c in policy.clauses.values() if lineage.intersection(c.jurisdictions)]
    return sorted(chosen, key=lambda c: (c.order, c.id))


def clause_texts(policy: Policy, clause: Clause, jurisdiction: str) -> tuple[Text, Text, list]:
    """(the text whose title shows, the texts whose blocks show in order, the topics covered)."""
    title_text = clause.text
    texts = [clause.text]
    topics = list(clause.topics)
    for level in policy.lineage(jurisdiction):
        variant = policy.variants.get((clause.id, level))
        if variant is None:
            continue
        if variant.mode is VariantMode.REPLACE:
            texts = [variant.text]
            topics = list(variant.topics)
        else:
            texts.append(variant.text)
            topics.extend(variant.topics)
        if variant.text.title:
            title_text = variant.text
    return title_text, texts, list(dict.fromkeys(topics))


def _compose_clause(
    policy: Policy, clause: Clause, jurisdiction: str, translator: _Translator, problems: Problems
) -> ComposedClause | None:
    title_text, texts, topics = clause_texts(policy, clause, jurisdiction)
    pairs = []
    offset = 0
    for text in texts:
        for block in text.blocks:
            shown = translator.block(text, block.text, block.line, problems)
            # Each file numbers its lists from 0: shift them so a variant's first paragraph is
            # never joined to the last list or paragraph of the text it extends.
            pairs.append(
                (
                    replace(block, group=block.group + offset),
                    shown if shown is not None else block.text,
                )
            )
        offset += max((b.group for b in text.blocks), default=-1) + 1
    if not pairs:
        return None
    title = (
        translator.block(
            title_text, title_text.title or clause.title, title_text.title_at, problems
        )
        or clause.title
    )
    markdown_text = join_blocks(pairs)
    return ComposedClause(
        id=clause.id,
        title=title,
        paragraphs=tuple(_paragraphs(pairs)),
        html=to_html(markdown_text),
        topics=tuple(topics),
        contexts=tuple(t.context for t in texts),
        variables=tuple(dict.fromkeys(translator.filled)),
    )


_COMPOSED: dict[tuple, tuple] = {}
"""Composed clauses by the identity of everything they are made of, shared by the revisions of a
history (sources and catalogs are parsed once per content, so an unchanged input is the same
object at every commit; identity is cheap to hash where the values are not)."""


def _compose_clause_reused(
    policy: Policy,
    clause: Clause,
    jurisdiction: str,
    lineage: tuple[str, ...],
    translator: _Translator,
    problems: Problems,
) -> ComposedClause | None:
    """`_compose_clause`, done once per distinct input: a history composes the same clause with
    the same texts, catalog and variables at every commit until one of them changes."""
    inputs = (
        clause,
        *(policy.variants.get((clause.id, j)) for j in lineage),
        translator.translations,
        translator.variables,
    )
    key = (translator.translating, translator.pending_key, *map(id, inputs))
    cached = _COMPOSED.get(key)
    # The entry holds its inputs, so their ids cannot be reused while it lives.
    if cached is None or any(a is not b for a, b in zip(cached[0], inputs, strict=True)):
        scratch = copy.copy(translator)
        scratch.start_clause()
        found = Problems()
        result = _compose_clause(policy, clause, jurisdiction, scratch, found)
        if len(_COMPOSED) > 100_000:
            _COMPOSED.clear()
        cached = _COMPOSED[key] = (inputs, result, tuple(found), (scratch.missing, scratch.fuzzy))
    _, result, found, (missing, fuzzy) = cached
    problems.extend(found)
    translator.missing.extend(missing)
    translator.fuzzy.extend(fuzzy)
    return result


def _paragraphs(pairs: list) -> list[str]:
    return [block.prefix + text for block, text in pairs]


class _Translator:
    """Looks up each message in the catalog, fills in its variables, and remembers what lacked."""

    def __init__(self, policy: Policy, language: str, translations: Translations | None) -> None:
        self.translations = None if language == policy.source_language else translations
        self.translating = language != policy.source_language
        values, self.pending = (
            _translated_values(policy, self.translations)
            if self.translating
            else (policy.variables, {})
        )
        self.pending_key = tuple(sorted(self.pending.items()))
        self.variables = variables_for(values)
        self.start_clause()

    def start_clause(self) -> None:
        """Forget what the texts shown so far lacked and what values they were filled with."""
        self.missing: list[tuple[str, str]] = []
        self.fuzzy: list[tuple[str, str]] = []
        self.filled: list[tuple[str, str]] = []

    def block(self, text: Text, source: str, line: int, problems: Problems) -> str | None:
        path = text.origin.path
        shown = source
        if self.translating:
            entry = self.translations.get(text.context, source) if self.translations else None
            if entry is None or not entry.string:
                self.missing.append((text.context, source))
            elif entry.fuzzy:
                self.fuzzy.append((text.context, source))
            else:
                shown, path, line = entry.string, entry.path, entry.line
        filled = self.variables.fill(shown, path, line, problems)
        for name, value in self.variables.filled_in(shown):
            self.filled.append((name, value))
            if name in self.pending:
                fuzzy, context, source = self.pending[name]
                lacking = self.fuzzy if fuzzy else self.missing
                if (context, source) not in lacking:
                    lacking.append((context, source))
        return filled


def _translated_values(
    policy: Policy, translations: Translations | None
) -> tuple[Mapping[str, Any], dict[str, tuple[bool, str, str]]]:
    """The policy's variables, each that `translated_variables` names in its reviewed
    translation; and, by name, (whether fuzzy, context, source value) of those that have none
    (they keep the source value, and a text using them is not translated yet)."""
    if not policy.translated_variables:
        return policy.variables, {}
    values = copy.deepcopy(dict(policy.variables))
    pending = {}
    for name in policy.translated_variables:
        *groups, key = name.split(".")
        group = values
        for each in groups:
            group = group[each]
        context, source = VALUE_CONTEXT + name, group[key]
        entry = translations.get(context, source) if translations else None
        if entry is not None and entry.reviewed:
            group[key] = entry.string
        else:
            pending[name] = (entry is not None and bool(entry.string), context, source)
    return values, pending
