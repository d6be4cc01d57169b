"""Work in proportion to what a commit changed: catalogs and compositions carried from one revision
to the next.

Reading the versions walks every commit, and most commits change one clause or one catalog. Two
helpers keep the walk's cost proportional to those changes, with results equal to doing everything
from scratch (tests compare them on whole histories):

- `CatalogLoader` parses a catalog's entries once: a new revision of the file only parses the
  entries whose text is new, and says which message contexts changed.
- `Composer` composes a document again only in the clauses whose sources or translations changed
  since the previous revision, and returns the very same `Composition` when nothing did.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileParser

from generator.catalogs import Entry, Translations, load_translations
from generator.compose import Composition, _compose_clause, _Translator, applicable_clauses
from generator.errors import Problem, Problems
from generator.model import Clause, ComposedClause, Document, Policy
from generator.pofiles import _check_string_line, header_readable, keyword_order
from generator.variables import VALUE_CONTEXT
from generator.yamlio import decode

# Catalogs --------------------------------------------------------------------------------------

_Parsed = tuple[tuple[tuple[str, str], str, bool, int], ...]
"""Entries of one unit of a PO file: ((context, source), translation, fuzzy, line in the unit)."""


@dataclass(frozen=True)
class _Unit:
    """A run of PO text between blank lines, as Babel's parser sees it."""

    starts_message: bool
    """Its first line ends the previous message (a comment, `msgctxt` or `msgid`)."""
    ends_message: bool
    """Its last line is part of a msgstr: nothing of the next message has begun (Babel's reader
    carries a trailing comment, flag or `msgctxt` over blank lines to the message after)."""
    has_msgid: bool
    plain: bool
    """Read the same by Babel alone and by `pofiles.read_catalog`; if not, the whole file is
    read by `catalogs.load_translations`, which says what is wrong with it."""


class _Recorder(Catalog):
    """A catalog that only records the messages read, in order, duplicates included."""

    def __init__(self) -> None:
        super().__init__()
        self.recorded: list[Message] = []

    def __setitem__(self, id, message: Message) -> None:  # noqa: A002, ANN001
        self.recorded.append(message)


class CatalogLoader:
    """Parses successive revisions of catalogs, reading only the entries that are new."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[bytes, Translations | None, frozenset[str]]] = {}
        self._units: dict[str, _Unit] = {}
        self._parsed: dict[str, _Parsed] = {}
        self._changes: dict[int, tuple[Translations, Translations, frozenset[str]]] = {}
        """By id of the newer catalog: (newer, older, contexts that changed). The objects are
        kept with the entry, so their ids cannot be reused by other catalogs while it exists."""
        self._entries: dict[str, dict[str, tuple[int, list]]] = {}

    def __getstate__(self) -> dict:
        """Pickled (in a history checkpoint) without what is keyed by object ids, which mean
        nothing in another process."""
        return {**vars(self), "_changes": {}}

    def absorb(self, other: CatalogLoader) -> None:
        """Know what another loader read (one part of a walk shared among processes, which
        read other catalogs); what this one knows is kept."""
        for mine, theirs in (
            (self._last, other._last),
            (self._units, other._units),
            (self._parsed, other._parsed),
            (self._entries, other._entries),
        ):
            for key, value in theirs.items():
                mine.setdefault(key, value)

    def load(self, path: str, data: bytes, problems: Problems) -> tuple[Translations | None, bool]:
        """The catalog's lookup table, and whether it was read now (False: same as last time)."""
        last = self._last.get(path)
        if last is not None and (last[0] is data or last[0] == data):
            return last[1], False
        found = Problems()
        text = decode(data, path, found)
        result = None if text is None else self._incremental(path, text)
        texts: frozenset[str] = frozenset()
        if text is None:
            problems.extend(found)
            translations = None
        elif result is None:
            translations = load_translations(path, data, problems)
        else:
            problems.extend(found)
            translations, texts = result
        # A delta is known only between two catalogs both read unit by unit.
        if last is not None and last[1] is not None and last[2] and texts:
            changed = {key[0] for unit in texts ^ last[2] for key, *_ in self._parsed.get(unit, ())}
            self._changes[id(translations)] = (translations, last[1], frozenset(changed))
        self._last[path] = (data, translations, texts)
        self._forget_unused()
        return translations, True

    def changed_contexts(self, old: Translations, new: Translations) -> frozenset[str] | None:
        """The message contexts whose entries differ between two consecutive revisions of one
        catalog; None when unknown (then everything must be looked up again)."""
        known = self._changes.get(id(new))
        if known is None or known[0] is not new or known[1] is not old:
            return None
        return known[2]

    def _incremental(self, path: str, text: str) -> tuple[Translations, frozenset[str]] | None:
        """The entries, parsing only units not seen before; None when the file needs Babel's
        whole-file reading (duplicates, plurals, anything unusual), which is then used."""
        units = _units(text, self._units)
        if units is None:
            return None
        new = [(body, start) for body, start in units if body not in self._parsed]
        if new and not self._parse(new):
            return None
        entries: dict[tuple[str, str], Entry] = {}
        count = 0
        made = self._entries.get(path, {})
        kept: dict[str, tuple[int, list[tuple[tuple[str, str], Entry]]]] = {}
        for body, start in units:
            known = made.get(body)
            if known is None or known[0] != start:
                # Entries are made again only where their line moved.
                known = (start, [
                    (key, Entry(string=string, fuzzy=fuzzy, path=path, line=start + line))
                    for key, string, fuzzy, line in self._parsed[body]
                ])  # fmt: skip
            kept[body] = known
            entries.update(known[1])
            count += len(known[1])
        self._entries[path] = kept
        if count != len(entries):
            return None  # A message twice: Babel merges duplicates, let it.
        return Translations(entries), frozenset(body for body, _ in units)

    def _parse(self, units: list[tuple[str, int]]) -> bool:
        """Parse new units in one pass of Babel's parser; False if it refused anything."""
        catalog = _Recorder()
        parser = PoFileParser(catalog, abort_invalid=True)
        starts = []
        line = 0
        for body, _ in units:
            starts.append(line)
            line += body.count("\n") + 1
        try:
            parser.parse(io.StringIO("\n".join(body for body, _ in units)))
        except Exception:  # noqa: BLE001 - any refusal means: read the whole file with Babel
            return False
        found: dict[str, list] = {body: [] for body, _ in units}
        index = 0
        for message in catalog.recorded:
            if message.id == "" and not header_readable(message):
                return False  # the whole-file reading says which field, at its line
            if not message.id:
                continue
            if not isinstance(message.id, str):
                return False
            position = (message.lineno or 1) - 1
            while index + 1 < len(starts) and starts[index + 1] <= position:
                index += 1
            string = message.string if isinstance(message.string, str) else ""
            found[units[index][0]].append(
                (
                    (message.context or "", message.id),
                    string,
                    message.fuzzy,
                    position - starts[index] + 1,
                )
            )
        for body, entries in found.items():
            self._parsed[body] = tuple(entries)
        return True

    def _forget_unused(self) -> None:
        """Keep only what the newest revision of each catalog uses."""
        if len(self._parsed) > 2 * sum(len(texts) for _, _, texts in self._last.values()) + 1024:
            live = set().union(*(texts for _, _, texts in self._last.values()))
            self._parsed = {k: v for k, v in self._parsed.items() if k in live}
            self._units = {k: v for k, v in self._units.items() if k in live}
        if len(self._changes) > len(self._last):
            current = {id(t) for _, t, _ in self._last.values() if t is not None}
            self._changes = {k: v for k, v in self._changes.items() if k in current}


def _units(text: str, known: dict[str, _Unit]) -> list[tuple[str, int]] | None:
    """The file cut into units that each start where Babel starts a new message: blank-line
    separated runs, joined when a run continues the previous message or holds no `msgid`.
    Each with the 0-based line it starts on; units holding no message at all are left out.
    None when a run is not plain (see `_Unit.plain`)."""
    units: list[tuple[str, int]] = []
    pending: list[str] = []
    pending_start = 0
    pending_msgid = pending_ends = False
    line = 0
    for run in text.split("\n\n"):
        unit = known.get(run)
        if unit is None:
            unit = known[run] = _describe(run)
        if not unit.plain:
            return None
        if pending and pending_msgid and pending_ends and unit.starts_message:
            units.append(("\n\n".join(pending), pending_start))
            pending = []
        if not pending:
            pending_start = line
            pending_msgid = False
        pending.append(run)
        pending_msgid = pending_msgid or unit.has_msgid
        pending_ends = unit.ends_message
        line += run.count("\n") + 2
    if pending and pending_msgid:
        units.append(("\n\n".join(pending), pending_start))
    return units


def _describe(run: str) -> _Unit:
    """Whether a run starts and ends a message and holds a `msgid`, by the rules of Babel's
    parser, and whether `pofiles.read_catalog` reads it as Babel does (no `#|` lines, every
    string quoted as it requires, keywords in an order it accepts: a run that begins inside a
    message, such as a msgstr after a blank line, is read with the whole file)."""
    starts: bool | None = None
    has_msgid = False
    plain = True
    state: str | None = None
    for raw in run.split("\n"):
        line = raw.strip()
        if not line:
            continue
        obsolete = line[:2] == "#~"
        body = line[2:].lstrip() if obsolete else line
        previous_msgid = line[:2] == "#|" or (obsolete and body[:1] == "|")
        keyword_line = (line[0] != "#" or obsolete) and body
        if previous_msgid or (keyword_line and _check_string_line(body, 0) is not None):
            plain = False
        if line[0] == "#" and line[:2] != "#~":
            keyword = "#"
        else:
            keyword = (line[2:].lstrip() if line[:2] == "#~" else line).partition(" ")[0]
        if starts is None:
            starts = keyword in {"#", "msgctxt", "msgid"}
        has_msgid = has_msgid or keyword in {"msgid", "msgid_plural"}
        state, wrong = keyword_order(state, keyword)
        plain = plain and wrong is None
    return _Unit(
        starts_message=bool(starts),
        ends_message=state in {"msgstr", "msgstr[]"},
        has_msgid=has_msgid,
        plain=plain,
    )


# Compositions ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Slot:
    """One clause as one document composed it."""

    clause: ComposedClause | None
    missing: tuple[tuple[str, str], ...]
    fuzzy: tuple[tuple[str, str], ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True, kw_only=True)
class _Previous:
    """What a document was composed from at the previous revision, and the result."""

    policy: Policy
    translations: Translations | None
    order: tuple[str, ...]
    slots: dict[str, _Slot]
    troubled: frozenset[str]
    """Clauses whose composition reported problems."""
    composition: Composition


class Composer:
    """`compose`, carried from one revision to the next: equal results, less work."""

    def __init__(self, catalogs: CatalogLoader | None = None) -> None:
        self.catalogs = catalogs
        self._previous: dict[tuple[str, str], _Previous] = {}
        # Caches keyed by object ids hold the objects too, and check them: a freed policy's id
        # is soon given to another policy.
        self._deltas: dict[tuple[int, int], tuple[Policy, Policy, bool, frozenset, frozenset]] = {}
        self._orders: dict[tuple[int, str], tuple[Policy, list[Clause]]] = {}
        self._memo: dict[tuple, tuple[tuple, _Slot]] = {}
        """A clause composed for one jurisdiction serves the others that have the same texts."""

    def __getstate__(self) -> dict:
        """Pickled (in a history checkpoint) without the caches keyed by object ids, which mean
        nothing in another process."""
        return {**vars(self), "_deltas": {}, "_orders": {}, "_memo": {}}

    def absorb(self, other: Composer) -> None:
        """Know what another composer composed last (one part of a walk shared among
        processes, which composed other documents); what this one knows is kept."""
        for key, previous in other._previous.items():
            self._previous.setdefault(key, previous)

    def compose(
        self,
        policy: Policy,
        jurisdiction: str,
        language: str,
        translations: Translations | None = None,
    ) -> Composition:
        """Exactly what `compose.compose` returns for these arguments."""
        key = (jurisdiction, language)
        previous = self._previous.get(key)
        dirty = self._dirty(previous, policy, jurisdiction, language, translations)
        translator: list[_Translator] = []
        if previous is not None and dirty is not None:
            if not dirty:
                composition = previous.composition
                self._remember(
                    key, policy, translations, previous.order, previous.slots, composition
                )
                return composition
            order = previous.order
            slots = dict(previous.slots)
            for clause_id in dirty.intersection(order):
                slots[clause_id] = self._compose_clause(
                    policy, policy.clauses[clause_id], jurisdiction, language, translations,
                    translator,
                )  # fmt: skip
        else:
            clauses = self._applicable(policy, jurisdiction)
            order = tuple(c.id for c in clauses)
            slots = {
                c.id: self._compose_clause(
                    policy, c, jurisdiction, language, translations, translator
                )
                for c in clauses
            }
        composition = _assemble(jurisdiction, language, order, slots)
        if previous is not None and composition == previous.composition:
            composition = previous.composition  # the same object: later stages can skip it
        self._remember(key, policy, translations, order, slots, composition)
        return composition

    def _remember(
        self,
        key: tuple[str, str],
        policy: Policy,
        translations: Translations | None,
        order: tuple[str, ...],
        slots: dict[str, _Slot],
        composition: Composition,
    ) -> None:
        previous = self._previous.get(key)
        if previous is not None and previous.slots is slots:
            troubled = previous.troubled
        else:
            troubled = frozenset(i for i, slot in slots.items() if slot.problems)
        self._previous[key] = _Previous(
            policy=policy,
            translations=translations,
            order=order,
            slots=slots,
            troubled=troubled,
            composition=composition,
        )

    def _dirty(
        self,
        previous: _Previous | None,
        policy: Policy,
        jurisdiction: str,
        language: str,
        translations: Translations | None,
    ) -> set[str] | None:
        """The clause ids to compose again (in the same order of clauses); None for all."""
        if previous is None:
            return None
        dirty: set[str] = set()
        if previous.policy is not policy:
            changed = self._policy_delta(previous.policy, policy)
            if changed is None:
                return None
            clauses, variants = changed
            if clauses:
                order = tuple(c.id for c in self._applicable(policy, jurisdiction))
                if order != previous.order:
                    return None
                dirty |= clauses
            if variants:
                lineage = set(policy.lineage(jurisdiction))
                dirty |= {clause_id for clause_id, where in variants if where in lineage}
        if previous.translations is not translations and language != policy.source_language:
            contexts = (
                self.catalogs.changed_contexts(previous.translations, translations)
                if self.catalogs is not None and previous.translations and translations
                else None
            )
            # A translated value can fill any clause: all are composed again.
            if contexts is None or any(c.startswith(VALUE_CONTEXT) for c in contexts):
                return None
            dirty |= {context.partition("@")[0] for context in contexts}
        # A clause with problems is composed again: its messages name lines that may have moved.
        dirty |= previous.troubled
        return dirty

    def _applicable(self, policy: Policy, jurisdiction: str) -> list[Clause]:
        key = (id(policy), jurisdiction)
        found = self._orders.get(key)
        if found is None or found[0] is not policy:
            if len(self._orders) > 256:
                self._orders.clear()  # policies of older revisions are never asked again
            found = self._orders[key] = (policy, applicable_clauses(policy, jurisdiction))
        return found[1]

    def _compose_clause(
        self,
        policy: Policy,
        clause: Clause,
        jurisdiction: str,
        language: str,
        translations: Translations | None,
        translator: list[_Translator],
    ) -> _Slot:
        """One clause, or the same clause composed for another jurisdiction from the same texts."""
        lineage = policy.lineage(jurisdiction)
        variants = [policy.variants.get((clause.id, j)) for j in lineage]
        inputs = (clause, translations, policy.variables, *(v for v in variants if v is not None))
        key = (language, *map(id, inputs))
        found = self._memo.get(key)
        # The inputs are kept with the result, so an id cannot be reused while it is cached.
        if found is not None and all(a is b for a, b in zip(found[0], inputs, strict=True)):
            return found[1]
        if not translator:
            translator.append(_Translator(policy, language, translations))
        slot = _slot(policy, clause, jurisdiction, translator[0])
        if len(self._memo) > 4096:
            self._memo.clear()
        self._memo[key] = (inputs, slot)
        return slot

    def _policy_delta(
        self, old: Policy, new: Policy
    ) -> tuple[frozenset[str], frozenset[tuple[str, str]]] | None:
        """(clause ids, variant keys) whose sources changed; None if more than clauses did."""
        key = (id(old), id(new))
        cached = self._deltas.get(key)
        if cached is None or cached[0] is not old or cached[1] is not new:
            same = (
                old.source_language == new.source_language
                and old.variables == new.variables
                and old.translated_variables == new.translated_variables
                and old.jurisdictions == new.jurisdictions
            )
            clauses = frozenset(
                i for i in set(old.clauses) | set(new.clauses)
                if not _same(old.clauses.get(i), new.clauses.get(i))
            )  # fmt: skip
            variants = frozenset(
                k for k in set(old.variants) | set(new.variants)
                if not _same(old.variants.get(k), new.variants.get(k))
            )  # fmt: skip
            # Only the policy before is ever compared with: keep the newest pair.
            self._deltas = {key: (old, new, same, clauses, variants)}
            cached = self._deltas[key]
        _, _, same, clauses, variants = cached
        return (clauses, variants) if same else None


def _same(old: object, new: object) -> bool:
    """Whether two sources are the same: most often the very same object (a file read once), else
    equal (a history resumed from a checkpoint reads its files into new objects)."""
    return old is new or (old is not None and new is not None and old == new)


def _slot(policy: Policy, clause: Clause, jurisdiction: str, translator: _Translator) -> _Slot:
    problems = Problems()
    translator.start_clause()
    composed = _compose_clause(policy, clause, jurisdiction, translator, problems)
    return _Slot(
        clause=composed,
        missing=tuple(translator.missing),
        fuzzy=tuple(translator.fuzzy),
        problems=tuple(problems),
    )


def _assemble(
    jurisdiction: str, language: str, order: tuple[str, ...], slots: dict[str, _Slot]
) -> Composition:
    ordered = [slots[clause_id] for clause_id in order]
    problems = Problems()
    for slot in ordered:
        if slot.problems:
            problems.extend(slot.problems)
    return Composition(
        document=Document(
            jurisdiction=jurisdiction,
            language=language,
            clauses=tuple([s.clause for s in ordered if s.clause is not None]),
        ),
        missing=tuple([m for s in ordered if s.missing for m in s.missing]),
        fuzzy=tuple([f for s in ordered if s.fuzzy for f in s.fuzzy]),
        problems=list(problems),
    )
