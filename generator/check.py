"""`policy check`: everything wrong with the sources, found in one run.

Checks the sources parse, every document composes in every language, translations are complete and
keep their variables, and that a change to the policy text comes with a new `change.yml`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise
from typing import TypeVar

from generator.blocks import structure
from generator.catalogs import (
    Translations,
    catalog_path,
    check_catalog,
    is_catalog,
    parse_catalog,
    translations_from,
)
from generator.checked_catalogs import CheckedCatalogs
from generator.compose import Composition, compose
from generator.coverage import Coverage, Status, check_coverage
from generator.errors import Problem, Problems, Severity, counted
from generator.history import Repository, Revision
from generator.markup import MAX_ESCAPES, escapes
from generator.model import Block, BlockKind, Clause, Document, Language, Policy, line_at
from generator.publication import (
    JURISDICTION_CONTEXT,
    SUMMARY_CONTEXT,
    TITLE_CONTEXT,
    content_hash,
)
from generator.renames import renamed
from generator.sources import (
    CHANGE_FILE,
    JURISDICTIONS_FILE,
    POLICIES,
    READ_FILES,
    SITE_FILE,
    is_read,
    jurisdiction_ids,
    read_change_note,
    read_policy,
)
from generator.variables import VALUE_CONTEXT, places, variables_for
from generator.yamlio import decode, read_yaml, shorten


@dataclass(frozen=True, kw_only=True)
class TranslationStatus:
    """How far one document's translation is."""

    jurisdiction: str
    language: str
    translated: int
    fuzzy: int
    missing: int
    refused: int = 0
    """Translated messages the composition refuses: a variable the msgid does not have
    (`[translation.variables]`). They count as translated, but keep the document off its
    current version as a missing message does."""

    @property
    def complete(self) -> bool:
        """Every message translated, reviewed and accepted: the document is current."""
        return not self.fuzzy and not self.missing and not self.refused


@dataclass(frozen=True, kw_only=True)
class CheckResult:
    """What `policy check` found."""

    policy: Policy | None
    problems: list[Problem]
    translations: list[TranslationStatus] = field(default_factory=list)
    compositions: dict[tuple[str, str], Composition] = field(default_factory=dict)
    coverage: Coverage | None = None
    """The required disclosures each jurisdiction covers (None without a disclosures file)."""


def check_files(
    files: Mapping[str, bytes],
    base: Mapping[str, bytes] | None = None,
    composed: Mapping[tuple[str, str], Composition] | None = None,
    today: dt.date | None = None,
    earlier_notes: Mapping[tuple[str, str, str], str] | None = None,
    announced: Iterable[Announced] | None = None,
    checked_catalogs: CheckedCatalogs | None = None,
) -> CheckResult:
    """Check the sources in `files`; with `base` (the last commit), also that a text change comes
    with a new change.yml, and one no earlier commit had (`earlier_notes`: what each earlier
    note said, and the commit that first said it). `composed` has documents already composed from
    these very files, by (jurisdiction, language) (the version history composes the newest commit
    too), which the check takes instead of composing them again: composition is pure, so the
    results are equal. With `base` and `today`, a new change.yml whose effective date has passed
    is a warning; with `announced` too (the history's change notes up to `base`, see
    `history_notes`), a region added or put back while a change is announced must not start
    before the change's date, unless the change was withdrawn. `checked_catalogs`: what checking
    each catalog found in earlier builds (see checked_catalogs.py)."""
    problems = Problems()
    policy, found = read_policy(files)
    problems.extend(found)
    _check_unread_files(files, problems)
    _check_path_cases(files, problems)
    _check_bidi_controls(files, problems)
    if policy is None:
        return CheckResult(policy=None, problems=list(problems))
    _check_reserved_ids(policy, problems)
    catalogs = {
        language: _catalog(files, language, problems, checked_catalogs)
        for language in sorted({lang for _, lang in policy.documents()})
        if language != policy.source_language
    }
    _check_contexts(catalogs, problems)
    shown = _shown_texts(policy, catalogs)
    _check_joined_lines(shown, problems)
    _check_rules_read_as_items(policy, files, problems)
    _check_parenthesis_numbers(policy, problems)
    _check_line_breaks(policy, files, problems)
    _check_nested_items(policy, files, problems)
    _check_empty_values(policy, files, shown, problems)
    _check_inserted_values(policy, shown, problems)
    _check_escapes(shown, problems)
    compositions: dict[tuple[str, str], Composition] = {}
    statuses = []
    for jurisdiction, language in policy.documents():
        composition = (composed or {}).get((jurisdiction, language)) or compose(
            policy, jurisdiction, language, catalogs.get(language)
        )
        compositions[(jurisdiction, language)] = composition
        problems.extend(p for p in composition.problems if not _said_by_catalog_check(p))
        if language == policy.source_language:
            continue
        clauses = composition.document.clauses
        values = {n for c in clauses for n, _ in c.variables if n in policy.translated_variables}
        total = sum(len(c.paragraphs) + 1 for c in clauses) + len(values)
        status = TranslationStatus(
            jurisdiction=jurisdiction,
            language=language,
            translated=total - len(composition.missing) - len(composition.fuzzy),
            fuzzy=len(composition.fuzzy),
            missing=len(composition.missing),
            refused=len(
                {
                    p.line
                    for p in composition.problems
                    if p.severity is Severity.ERROR and is_catalog(p.path)
                }
            ),
        )
        statuses.append(status)
        path = catalog_path(Language(tag=language))
        if catalogs.get(language) is None:
            # Its errors say why nothing could be read from it, or there is none (which
            # `translation.no-catalog` says): not "not translated", at a file that may not exist.
            continue
        # Each entry once (a text used twice is one entry to translate), at the first's line.
        missing, fuzzy = dict.fromkeys(composition.missing), dict.fromkeys(composition.fuzzy)
        if missing:
            line = _first_line(catalogs[language], missing)
            problems.warn(
                path,
                line,
                "translation.missing",
                f"{counted(len(missing), 'message')} of the {jurisdiction} policy "
                f"{_are(len(missing))} not translated into {language}"
                f"{' (the first is on this line)' if line else ''}; until "
                f"{'it is' if len(missing) == 1 else 'they are'}, the document stays on its last "
                "complete version, or unpublished if it has none. Run 'policy i18n update', then "
                "translate what is missing.",
            )
        if fuzzy:
            problems.warn(
                path,
                _first_line(catalogs[language], fuzzy),
                "translation.stale",
                f"{counted(len(fuzzy), 'translation')} of the {jurisdiction} policy into "
                f"{language} {_are(len(fuzzy))} marked fuzzy, to review (the source text changed, "
                "or a translator flagged it). Review each, then remove its fuzzy flag.",
            )
    if not any(c.complete for c in compositions.values()):
        problems.extend([nothing_to_publish(policy)])
    _check_shared_messages(policy, catalogs, problems)
    _check_unused_catalogs(policy, files, problems)
    if base is not None:
        before, _ = read_policy(base)
        rewritten = _rewritten(policy, before, files, base)
        _check_change_note(policy, before, rewritten, base, compositions, problems, today)
        if rewritten:
            _check_reused_note(policy, earlier_notes or {}, problems)
            _check_effective_time(policy, problems)
        if before is not None:
            _check_renamed_ids(policy, before, problems)
        if today is not None and rewritten:
            _check_effective_date(policy, today, problems)
        if today is not None and before is not None:
            _check_announced_anew(
                policy, before, rewritten, compositions, announced, today, problems
            )
    coverage, found = check_coverage(policy, files, _source_documents(policy, compositions))
    problems.extend(found)
    if coverage is not None:
        _check_untranslated_coverage(policy, coverage, compositions, catalogs, statuses, problems)
    return CheckResult(
        policy=policy,
        problems=list(problems),
        translations=statuses,
        compositions=compositions,
        coverage=coverage,
    )


def _said_by_catalog_check(problem: Problem) -> bool:
    """Whether a problem of composing a translation is one the catalog check reports in a
    translator's words: a variable the msgid does not have is `[translation.variables]`, to
    correct in the translation, not to define in site.yml. (It still keeps the translation
    from being complete.)"""
    return is_catalog(problem.path) and problem.code in {"variable.undefined", "variable.group"}


def nothing_to_publish(policy: Policy) -> Problem:
    """Why a valid policy has no document to publish: its source language is in no
    jurisdiction's languages, and no translation is complete."""
    source = policy.source_language
    return Problem(
        path="policies/jurisdictions.yml",
        line=None,
        code="build.nothing-to-publish",
        message=f"no document has a complete version to publish: no jurisdiction lists the "
        f"source language ({source}), and no translation is complete. List {source} in a "
        "jurisdiction's languages, or complete a translation ('policy i18n status' shows "
        "what is missing).",
    )


def _check_unread_files(files: Mapping[str, bytes], problems: Problems) -> None:
    """A file in policies/ that nothing reads. One that begins like a clause file (a clause
    saved as `.MD` or `.markdown`) is an error: the policy would lose the clause without a word.
    Anything else (`change.yaml`, notes) is a warning."""
    names = ", ".join(path.removeprefix(POLICIES + "/") for path in READ_FILES)
    for path in files:
        if not path.startswith(POLICIES + "/") or is_read(path):
            continue
        message = (
            f"this file is not read, so nothing in it is published. Clause files end in .md; "
            f"the other files {POLICIES}/ holds are {names}."
        )
        if files[path].startswith(b"---"):
            problems.add(path, 1, "file.not-read", message)
        else:
            problems.warn(path, None, "file.not-read", message)


_LINK_DEFINITION = re.compile(
    r"[ ]{0,3}\[[^\[\]]*\]:[ ]*\S+[ ]*(?:([\"'])(.*)\1[ ]*|\((.*)\)[ ]*)?"
)
"""A line Python-Markdown reads as a reference link's definition (`[1]: https://... "title"`),
by its own rule (`ReferenceProcessor`): a name, an address and at most a title."""


_TABLE_DELIMITER = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
"""A table's line under its header (`|---|:--:|`), which makes a table of the lines around it."""


def _is_table_delimiter(line: str, row: int) -> bool:
    return "|" in line and _TABLE_DELIMITER.fullmatch(line) is not None


_LIST_MARKER = re.compile(r"[-*+]|\d{1,9}\.")
"""A list marker as Python-Markdown reads one (with `sane_lists`; `1)` is text to it), which
makes a list item of the words after it on its line, but not of those on the next."""


def _is_marker_alone(line: str, row: int) -> bool:
    return row == 0 and _LIST_MARKER.fullmatch(line) is not None


_UNDERLINE = re.compile(r"=+|-+")
"""A line that makes a heading of the line above it, when that line begins a Markdown block
(Python-Markdown's `SetextHeaderProcessor`: `words` then `---` or `===`)."""

_RULE = re.compile(r"(?:-[ ]{0,2}){3,}|(?:_[ ]{0,2}){3,}|(?:\*[ ]{0,2}){3,}")
"""A line Python-Markdown reads as a rule (`***`, `- - -`, `___`), which ends a paragraph."""


_RULE_MESSAGE = (
    "a line of three or more '*', '-' or '_' ('***', '* * *') is a rule to Markdown, which "
    "ends the paragraph (the site shows no rules), but a paragraph's lines are joined into one, "
    "and a line that begins with '* ' or '- ' is read as a list item: the page would show the "
    "line's characters as text, or as a list. Remove the line; to end a paragraph, leave a "
    "blank line."
)
"""What to say of a rule among a paragraph's lines (`_JOINED`) and of one read as a list item
(`_check_rules_read_as_items`): the same line, the same remedy, one problem where both find it."""


def _is_underline(line: str, row: int) -> bool:
    return row == 1 and _UNDERLINE.fullmatch(line) is not None


def _is_rule(line: str, row: int) -> bool:
    return not _is_underline(line, row) and _RULE.fullmatch(line) is not None


_JOINED: dict[str, tuple[Callable[[str, int], object], str]] = {
    "markdown.link-definition": (
        lambda line, row: _LINK_DEFINITION.fullmatch(line),
        "a link definition ('[name]: address') shares its paragraph with other lines, which are "
        "joined into one: it would show as text, and the links that use it would not be links. "
        "Write each link where it is used, [text](address), or put a blank line before and "
        "after each definition.",
    ),
    "markdown.table": (
        _is_table_delimiter,
        "a table's lines are joined into one paragraph, as every paragraph's are (each is one "
        "message to translate): it would show as its text, bars and dashes included. Write its "
        "rows as a list, or as sub-headings with a paragraph each.",
    ),
    "markdown.list-marker-alone": (
        _is_marker_alone,
        "a list marker ('-', '*', '+', '1.') alone on the first line of a paragraph is text to "
        "Markdown, but a paragraph's lines are joined into one, and then the marker begins the "
        "line: the page would show the paragraph as a list item, the marker gone. Write the "
        "item's words on the marker's line ('- words'), or begin the paragraph with other "
        "words (or '\\-', '1\\.').",
    ),
    "markdown.heading-underline": (
        _is_underline,
        "a line of only '-' or '=' under a line of text makes that line a heading to Markdown, "
        "but a paragraph's lines are joined into one: the page would show the dashes as text "
        "after the words. Write a sub-heading on a line of its own, '### words', or remove the "
        "line.",
    ),
    "markdown.rule": (_is_rule, _RULE_MESSAGE),
    "markdown.quote": (
        lambda line, row: row > 0 and line.startswith(">"),
        "a line that begins with '>' under another line of its paragraph or quote: Markdown "
        "begins a quote there or takes the '>' off a quote's next line, but a paragraph's lines "
        "are joined into one (each is one message to translate), and the page would show the "
        "'>' as text ('line one > line two'). Begin a quote with '>' on its first line only, "
        "after a blank line: its next lines are joined to it.",
    ),
}
"""What Markdown reads in a line of its own, which a block's lines joined into one undo: the
rule that finds such a line (folded: `Block.breaks`) by its text and its place in the block
(0 for the first), and what to say."""


@dataclass(frozen=True)
class _Shown:
    """A text the page shows: a block of clause text, or a reviewed translation of one."""

    path: str
    line: int
    breaks: tuple[int, ...]
    """Where each further line of the file begins in `text` (`Block.breaks`)."""
    text: str
    heading: bool

    def line_at(self, offset: int) -> int:
        return line_at(self.line, self.breaks, offset)


def _shown_texts(policy: Policy, catalogs: Mapping[str, Translations | None]) -> list[_Shown]:
    """Every block of clause text, and every translation a page would show (not a fuzzy one),
    for the rules of the commit being published."""
    texts = [
        _Shown(text.origin.path, block.line, block.breaks, block.text, block.prefix.startswith("#"))
        for text in policy.texts()
        for block in text.blocks
    ]
    texts += [
        _Shown(entry.path, entry.line, (), entry.string, False)
        for catalog in catalogs.values()
        if catalog is not None
        for _, entry in catalog
        if entry.reviewed
    ]
    return texts


def _check_joined_lines(texts: list[_Shown], problems: Problems) -> None:
    """A line of a paragraph that Markdown reads only as a line of its own: the lines of a
    block are joined into one (blocks.py), so a reference link's definition or a table was
    published as text ('[1]: https://… [faq]: …', '| Cookie | Purpose | |---|---| …'). In the
    commit being published: a version published so keeps its text."""
    for shown in texts:
        if not shown.breaks:
            continue  # one line (a translation is one): nothing was joined
        starts = (0, *shown.breaks)
        lines = [
            shown.text[start:end].strip()
            for start, end in zip(starts, (*shown.breaks, len(shown.text)), strict=True)
        ]
        for code, (found, message) in _JOINED.items():
            for row, (start, line) in enumerate(zip(starts, lines, strict=True)):
                if found(line, row):
                    problems.add(shown.path, shown.line_at(start), code, message)
                    break


def _source_blocks(policy: Policy) -> Iterator[tuple[str, Block]]:
    """Every block of the policy's clause and variant texts, with the file it is written in."""
    for text in policy.texts():
        for block in text.blocks:
            yield text.origin.path, block


class _WrittenLines:
    """The lines of the policy's files as written (a block's text has them folded into one),
    each file decoded once."""

    def __init__(self, files: Mapping[str, bytes]) -> None:
        self._files = files
        self._lines: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str:
        """Line `number` (from 1) of the file at `path`; empty past its end."""
        lines = self._lines.get(path)
        if lines is None:
            text = decode(self._files.get(path, b""), path, Problems()) or ""
            lines = self._lines[path] = text.split("\n")
        return lines[number - 1].removesuffix("\r") if number <= len(lines) else ""


def _check_rules_read_as_items(
    policy: Policy, files: Mapping[str, bytes], problems: Problems
) -> None:
    """A rule written with spaces ('* * *', '- - -'), which the block reader (blocks.py) takes
    for a list item before Markdown sees it: its first marker begins the item, the rest is the
    item's text, and the page showed lists nested in one another ('- * *', with the paragraph's
    next line in the innermost), where Markdown reads the line alone as a rule. Indented too:
    the block reader reads a list item at any indentation, so a line that Markdown alone would
    read as code ('    * * *') was published as the same nested lists. The block's text has
    lost the marker, so the line is read as written in its file. A block that still
    reads as the rule once joined ('- - -' alone) is published as Markdown reads it, and is
    not refused (no more than '***' alone). In the commit being published: a version published
    so keeps its text."""
    written = _WrittenLines(files)
    for path, block in _source_blocks(policy):
        first = block.text[: block.breaks[0]] if block.breaks else block.text
        if block.kind is not BlockKind.LIST_ITEM or first.strip(" -*"):
            continue  # not a list item whose first line is markers only
        if _RULE.fullmatch(block.prefix + block.text):
            continue
        if _RULE.fullmatch(written.line(path, block.line).strip()):
            problems.add(path, block.line, "markdown.rule", _RULE_MESSAGE)


_SPACES_BREAK = (
    "a line that ends with two spaces makes a line break in Markdown, but a paragraph's lines "
    "are joined into one (each paragraph is one message to translate): the page shows them on "
    "one line. To show lines apart (an address), make each a list item or a paragraph of its "
    "own; if the spaces are a slip, remove them."
)
_BACKSLASH_BREAK = (
    "a line that ends with '\\' makes a line break in some Markdown, not in this site's: a "
    "paragraph's lines are joined into one, and the page would show the '\\' between them. "
    "Remove it; to show lines apart (an address), make each a list item or a paragraph of its "
    "own."
)


def _check_line_breaks(policy: Policy, files: Mapping[str, bytes], problems: Problems) -> None:
    """A line break written inside a paragraph or list item: two spaces at a line's end, which
    Python-Markdown makes a `<br>`, and the block reader (blocks.py) folds away with the rest of
    the white space (warned: often a slip, and the words still read in order); a backslash at a
    line's end, which CommonMark makes a break and Python-Markdown shows as it is (refused: the
    page showed '1 Example Street\\ London'). Only where the block goes on in the next line:
    a block's last line breaks nothing. In the commit being published: a version published so
    keeps its text."""
    written = _WrittenLines(files)
    for path, block in _source_blocks(policy):
        for number in range(block.line, block.line + len(block.breaks)):
            line = written.line(path, number)
            if line.endswith("\\"):
                problems.add(path, number, "markdown.line-break", _BACKSLASH_BREAK)
            elif line.endswith("  "):
                problems.warn(path, number, "markdown.line-break", _SPACES_BREAK)


_NESTED_ITEM = (
    "a list item indented under another makes a list inside it in Markdown, but the site's lists "
    "do not nest (each item is one message to translate): the page shows it as one more item of "
    "the list above, at the same level. Remove the indentation, or make the inner items a list "
    "of their own after a line that introduces them."
)


def _check_nested_items(policy: Policy, files: Mapping[str, bytes], problems: Problems) -> None:
    """A list item indented four spaces or a tab, as Markdown nests a list, under another list
    item (a blank line between them or not): the block reader reads an item at any indentation
    and stores it without it, so '- a' then '    - b' was published as two items of one list
    (warned: the words are all there, in order; only their nesting is lost). A rule written
    with spaces, which the block reader also takes for an item, is `_check_rules_read_as_items`'."""
    written = _WrittenLines(files)
    for text in policy.texts():
        for previous, block in pairwise(text.blocks):
            if previous.kind is not BlockKind.LIST_ITEM or block.kind is not BlockKind.LIST_ITEM:
                continue
            line = written.line(text.origin.path, block.line)
            indent = line[: len(line) - len(line.lstrip(" \t"))].expandtabs(4)
            if len(indent) >= 4 and not _RULE.fullmatch(line.strip()):
                problems.warn(text.origin.path, block.line, "markdown.nested-list", _NESTED_ITEM)


_PARENTHESIS_NUMBER = (
    "a line that begins with a number and ')' ('1) ') is read as a numbered list item, but "
    "Markdown numbers items with '.' only: the page would show it as a paragraph (lines of "
    "such items run together into one), and a sentence that goes on in such a line would be "
    "cut in two there. Write '1.' for a numbered item; to begin a line with '1)' as text, "
    "write '1\\)'."
)


def _check_parenthesis_numbers(policy: Policy, problems: Problems) -> None:
    """A line that begins '1) ', which the block reader (blocks.py) takes for a numbered list
    item, as CommonMark would, and Python-Markdown with `sane_lists` reads as text: '1) a' and
    '2) b' were published as one paragraph, '1) a 2) b', and a paragraph line that begins so
    split its paragraph in two. In the commit being published: a version published so keeps
    its text."""
    for path, block in _source_blocks(policy):
        if block.kind is BlockKind.LIST_ITEM and block.prefix.endswith(") "):
            problems.add(path, block.line, "markdown.parenthesis-number", _PARENTHESIS_NUMBER)


_ONE_PARAGRAPH = structure("words")

_QUOTED = re.compile(r"[\s>]*")
"""What may stand before a text's first words: space, and the `>` of a quote."""


def _check_inserted_values(policy: Policy, texts: list[_Shown], problems: Problems) -> None:
    """A variable's value that Markdown reads as more than words where a text puts it: '1. FC
    Köln Fanshop GmbH' beginning a paragraph made a numbered list of it ('1.' gone), and a line
    '#12 Harbour Road' of an address a heading. Each variable once, at the first text (clauses
    first, then translations) where it breaks; in the commit being published, not in history: a
    version published with such a value keeps its text."""
    filler = variables_for(policy.variables)
    # Most values are words wherever they go: the texts are read only for those that are not.
    hazards = {}
    for name in filler.names:
        written = str(filler.value(name))
        if not written.strip():
            continue  # an empty value is [variable.empty], whatever it begins
        if structure("words " + written) != _ONE_PARAGRAPH:
            hazards[name] = (True, written)
        elif structure(written) != _ONE_PARAGRAPH:
            hazards[name] = (False, written)
    for shown in texts:
        if not hazards:
            return
        if not any(name in shown.text for name in hazards):
            continue
        for name, at in places(shown.text).items():
            if name not in hazards:
                continue
            anywhere, written = hazards[name]
            if anywhere:
                message = (
                    f"the value of '{name}' in {SITE_FILE} has a line that Markdown reads as a "
                    "list item, a heading, a quote, a table or a rule (or a blank line, or an "
                    "indent that makes code), which breaks apart the text it is put into. Write "
                    "the value on one line, or a backslash before the character that starts such "
                    "a line."
                )
            elif not shown.heading and _QUOTED.fullmatch(shown.text, 0, at):
                message = (
                    f"the text begins with the value of '{name}' ('{shorten(written)}'), "
                    "which Markdown reads there as a list item, a heading, a quote, a table or "
                    "a rule: the page would not show the value as written. Begin the text with "
                    f"other words ('… is run by {{{{ {name} }}}}'), or in {SITE_FILE} write a "
                    "backslash before the character that does it ('1\\. FC', '\\#1'), which "
                    "Markdown does not show (a title that names the variable would)."
                )
            else:
                continue
            del hazards[name]  # each once
            problems.add(shown.path, shown.line_at(at), "variable.structure", message)


def _check_empty_values(
    policy: Policy, files: Mapping[str, bytes], texts: list[_Shown], problems: Problems
) -> None:
    """A variable a text uses whose value is empty, or only spaces: the disclosure it is in
    would be published with nothing where the value goes ('Write to our data protection officer
    at '), and coverage counts the clause as giving it. At site.yml's line of the value; in the
    commit being published, not in history: a version published so keeps its text."""
    filler = variables_for(policy.variables)
    empty = {name for name in filler.names if not str(filler.value(name)).strip()}
    if not empty:
        return
    written = [shown.text for shown in texts]
    written += [text.title for text in policy.texts() if text.title]
    used: dict[str, None] = {}
    for text in written:
        if "{" in text:
            used.update((name, None) for name in places(text) if name in empty)
    loaded = read_yaml(files[SITE_FILE], SITE_FILE, Problems()) if SITE_FILE in files else None
    for name in sorted(used):
        problems.add(
            SITE_FILE,
            loaded.line("variables", *name.split(".")) if loaded is not None else None,
            "variable.empty",
            f"the value of '{name}' is empty (or only spaces), and a text uses it: the page "
            "would show nothing where it goes, and coverage would count its clause's "
            f"disclosures as given. Write the value, or take {{{{ {name} }}}} out of the texts "
            "that use it.",
        )


def _check_escapes(texts: list[_Shown], problems: Problems) -> None:
    """A paragraph, or its translation, with more escapes and entities than `MAX_ESCAPES`: it
    would take long to render. In the commit being published: history renders such text as
    it did, up to ten times the limit (markup.py)."""
    for shown in texts:
        if (count := escapes(shown.text)) > MAX_ESCAPES:
            problems.add(
                shown.path,
                shown.line,
                "markdown.too-complex",
                f"the paragraph has {count:,} '\\' and '&' characters, over the limit of "
                f"{MAX_ESCAPES:,}; it would take too long to render. Split it into shorter "
                "paragraphs.",
            )


def _check_path_cases(files: Mapping[str, bytes], problems: Problems) -> None:
    """Two files of the sources whose paths differ only in case (`who.md`, `Who.md`): git and
    CI's Linux keep both, a checkout on macOS or Windows one of them, so an editor there would
    check and preview another policy than the one published."""
    seen: dict[str, str] = {}
    for path in sorted(files):
        if not (path.startswith(POLICIES + "/") or is_catalog(path)):
            continue
        first = seen.setdefault(path.casefold(), path)
        if first != path:
            problems.add(
                path,
                None,
                "file.case",
                f"the path differs from {first} only in case: a checkout on macOS or Windows "
                "keeps one of the two files, so an editor there checks and previews another "
                "policy than the one published. Rename or remove one of them.",
            )


_BIDI_CHARACTER = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")
"""The characters that set the direction of the text after them, in UTF-8: embeddings and
overrides (U+202A to U+202E) and isolates (U+2066 to U+2069). Files are searched as they are
stored, without decoding megabytes of catalogs that hold none."""

_BIDI_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\(?:u|U0000)20(?:2[a-eA-E]|6[6-9])")
"""A YAML escape that writes one of them (in double quotes: an odd number of backslashes)."""

_BIDI_REFERENCE = re.compile(rb"&#(?:[xX]0*20(?:2[a-eA-E]|6[6-9])|0*(?:823[4-8]|829[4-7]));")
"""An HTML character reference that writes one of them, which Markdown text may hold."""


def _bidi_control(path: str, data: bytes) -> re.Match[bytes] | None:
    """The first character of a file that reorders the text after it, written out, as a YAML
    escape (in YAML, a clause's header included), or as a character reference (in Markdown
    text and translations)."""
    yaml_end = len(data) if path.endswith(".yml") else 0
    if path.endswith(".md") and data.startswith(b"---"):
        yaml_end = max(data.find(b"\n---", 3), 0)
    matches = (
        _BIDI_CHARACTER.search(data),
        _BIDI_ESCAPE.search(data, 0, yaml_end),
        _BIDI_REFERENCE.search(data, yaml_end) if not path.endswith(".yml") else None,
    )
    return min((m for m in matches if m), key=lambda m: m.start(), default=None)


def _check_bidi_controls(files: Mapping[str, bytes], problems: Problems) -> None:
    """A character that makes a browser show text in another order than it is written: U+202E
    shows '01' as '10', so the page would read otherwise than the published text, its hash and
    its redlines. Checked in the commit being published, not in history: a version published
    with one keeps its text. The site sets each text's direction itself; the marks U+200E and
    U+200F, which some right-to-left text needs, set none and are allowed."""
    for path, data in sorted(files.items()):
        if not ((path.startswith(POLICIES + "/") and is_read(path)) or is_catalog(path)):
            continue
        found = _bidi_control(path, data)
        if found is None:
            continue
        written = found.group().decode("utf-8")
        character = _written_character(written)
        escaped = character != written
        problems.add(
            path,
            data.count(b"\n", 0, found.start()) + 1,
            "text.bidi-control",
            f"the text contains the character U+{ord(character):04X} "
            f"({unicodedata.name(character)}{f', written {written}' if escaped else ''}), "
            "which makes a browser show the text after it in another order than it is written: "
            "the page would read otherwise than the published text. Delete it; the site sets "
            "the direction of each text itself (the marks U+200E and U+200F are allowed where a "
            "right-to-left text needs one).",
        )


def _written_character(written: str) -> str:
    """The character a YAML escape (`\\u202E`) or a character reference (`&#x202E;`,
    `&#8238;`) writes; a character written out, itself."""
    if written.startswith("&#"):
        return html.unescape(written)
    if written.startswith("\\"):
        return chr(int(written.lstrip("\\uU"), 16))
    return written


def _check_effective_time(policy: Policy, problems: Problems) -> None:
    """A new change note whose `effective` has a time of day: a version takes effect for the
    whole of its day (UTC), so the time would be dropped, and with it the day an editor who
    wrote another time zone meant."""
    note = policy.change
    if note is not None and note.effective_time is not None:
        problems.add(
            note.origin.path,
            note.effective_line,
            "change.effective",
            f"'effective' is the day the change takes effect, written YYYY-MM-DD, not "
            f"'{note.effective_time}': a version applies for the whole of its day (UTC), from its "
            f"start, whatever the time. Write the day alone, such as {note.effective}.",
        )


def _check_effective_date(policy: Policy, today: dt.date, problems: Problems) -> None:
    """A new change note dated in the past (often the last one's date, left as it was): the
    version will take effect on the day it is published, not on the day the note says. Or
    dated more than a year ahead (2207 for 2027): the site would announce it, and keep the
    version in force, for that long."""
    note = policy.change
    if note is None:
        return
    if note.effective < today:
        problems.warn(
            note.origin.path,
            note.effective_line,
            "change.effective-passed",
            f"the change takes effect on {note.effective}, which has passed (today is {today}, "
            "UTC): a version is never in force before it is published, so this one would take "
            "effect on the day it is published. Write that day or a later one.",
        )
    elif note.effective > today + _FAR_AHEAD:
        problems.warn(
            note.origin.path,
            note.effective_line,
            "change.effective-far",
            f"the change takes effect on {note.effective}, more than a year after today "
            f"({today}, UTC): until then the site announces it and keeps the version in force. "
            "Check the year.",
        )


_FAR_AHEAD = dt.timedelta(days=366)


def _check_renamed_ids(policy: Policy, before: Policy, problems: Problems) -> None:
    """A clause whose id changed since `before` (recognised by its text, see `renames.py`): its
    published text includes its id, so the change alone makes a new version (the site follows
    the clause through it, see `renames.former_ids`)."""

    def messages(clause: Clause) -> list[str]:
        return [clause.title, *(block.text for block in clause.text.blocks)]

    continued = renamed(
        {i: messages(c) for i, c in before.clauses.items() if i not in policy.clauses},
        {i: messages(c) for i, c in policy.clauses.items() if i not in before.clauses},
    )
    for new_id, old_id in sorted(continued.items()):
        origin = policy.clauses[new_id].text.origin
        problems.warn(
            origin.path,
            origin.line,
            "clause.renamed",
            f"the clause id changed from '{old_id}' to '{new_id}'. The site follows the clause "
            f"by its text (links to #{old_id} lead to it, its history goes on), but a changed id "
            "alone makes a new version of every policy that has the clause. Keep the id "
            f"'{old_id}' (the file can be renamed freely, see docs/authoring.md).",
        )


def shared_counts(policy: Policy, translations: Translations | None) -> tuple[int, int, int]:
    """How many of the messages a translation of the site needs besides its clauses (the
    policy's title, each region's name, the change summary) a catalog translates, has fuzzy,
    and lacks."""
    wanted, fuzzy, missing = _shared_messages(policy, translations)
    return len(wanted) - len(missing) - len(fuzzy), len(fuzzy), len(missing)


def _shared_messages(
    policy: Policy, translations: Translations | None
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """The site's own words a translation needs, as (context, text), and those of them a
    catalog has fuzzy, and lacks (see `shared_counts`)."""
    wanted = [(TITLE_CONTEXT, policy.title)]
    wanted += [(JURISDICTION_CONTEXT, j.name) for _, j in sorted(policy.jurisdictions.items())]
    if policy.change is not None:
        wanted.append((SUMMARY_CONTEXT, policy.change.summary))
    entries = {key: translations.get(*key) if translations else None for key in wanted}
    missing = [key for key, e in entries.items() if e is None or not e.string]
    fuzzy = [key for key, e in entries.items() if e is not None and e.string and e.fuzzy]
    return wanted, fuzzy, missing


def _check_shared_messages(
    policy: Policy, catalogs: Mapping[str, Translations | None], problems: Problems
) -> None:
    """A catalog that lacks the site's own words, or has them fuzzy: its pages show those in
    the source language (as `policy i18n status` counts them, on its '(names, summary)' row)."""
    for language, translations in catalogs.items():
        if translations is None:
            continue  # no catalog, or one that cannot be read: said already
        _, fuzzy, missing = _shared_messages(policy, translations)
        path = catalog_path(Language(tag=language))
        words = "the site's own words (the policy's title, the regions' names, the change summary)"
        if missing:
            line = _first_line(translations, missing)
            problems.warn(
                path,
                line,
                "translation.missing",
                f"{counted(len(missing), 'message')} of {words} {_are(len(missing))} not "
                f"translated into {language}{' (the first is on this line)' if line else ''}; its "
                f"pages show {'it' if len(missing) == 1 else 'them'} in {policy.source_language}. "
                "Run 'policy i18n update', then translate what is missing.",
            )
        if fuzzy:
            problems.warn(
                path,
                _first_line(translations, fuzzy),
                "translation.stale",
                f"{counted(len(fuzzy), 'translation')} of {words} into {language} "
                f"{_are(len(fuzzy))} marked fuzzy, to review (the source changed, or a translator "
                "flagged it). Review each, then remove its fuzzy flag.",
            )


def _first_line(catalog: Translations | None, messages: Iterable[tuple[str, str]]) -> int | None:
    """The first line of a catalog at which one of `messages` is, if it has any of them."""
    entries = (catalog.get(*key) for key in messages) if catalog is not None else ()
    return min((entry.line for entry in entries if entry is not None), default=None)


def _are(count: int) -> str:
    return "is" if count == 1 else "are"


def _check_unused_catalogs(policy: Policy, files: Mapping[str, bytes], problems: Problems) -> None:
    """A catalog no document reads is a translator's work going nowhere: a language that no
    jurisdiction lists yet, the source language, or a folder spelt otherwise than gettext's
    (`pt-BR` for `pt_BR`)."""
    wanted = {
        catalog_path(Language(tag=language)): language
        for _, language in policy.documents()
        if language != policy.source_language
    }
    source_folder = Language(tag=policy.source_language).catalog_name
    for path in sorted(p for p in files if is_catalog(p) and p not in wanted):
        folder = path.split("/")[1]
        meant = [
            (wanted_path, language)
            for wanted_path, language in wanted.items()
            if _folded(wanted_path.split("/")[1]) == _folded(folder)
        ]
        near = [
            (wanted_path, language)
            for wanted_path, language in wanted.items()
            if _primary(wanted_path.split("/")[1]) == _primary(folder)
        ]
        if meant:
            wanted_path, language = meant[0]
            message = (
                f"this catalog is not read: the {language} catalog is {wanted_path}. Move it "
                "there (the folder is spelt as gettext spells the language)."
            )
        elif near and _folded(folder) != _folded(source_folder):
            wanted_path, language = near[0]
            message = (
                f"this catalog is not read: the site publishes {language}, whose catalog is "
                f"{wanted_path}. Move it there (a translation tool may name the folder after "
                f"a region: map it to {wanted_path.split('/')[1]}). To publish a separate "
                f"{folder.replace('_', '-')} translation instead, list that tag in a "
                "jurisdiction's languages in policies/jurisdictions.yml."
            )
        elif _folded(folder) == _folded(source_folder):
            message = (
                f"this catalog is not read: {policy.source_language} is the source language, "
                "whose text is the clauses' own."
            )
        else:
            message = (
                f"this catalog is not read: no jurisdiction publishes '{folder}'. Add the "
                f"language's tag ({folder.replace('_', '-')}) to the languages of a jurisdiction "
                "in policies/jurisdictions.yml (see docs/translating.md)."
            )
        problems.warn(path, None, "catalog.unused", message)


def _folded(folder: str) -> str:
    """A catalog folder's name as people may misspell it: any case, `-` for `_`."""
    return folder.replace("-", "_").casefold()


def _primary(folder: str) -> str:
    """The language a catalog folder names, without a region (`fr` for `fr_FR`, `zh_hans` for
    `zh_Hans_CN`); a script stays (`zh_Hant` is not `zh_Hans`)."""
    return _REGION.sub("", _folded(folder))


_REGION = re.compile(r"_(?:[a-z]{2}|\d{3})$")


def _source_documents(
    policy: Policy, compositions: dict[tuple[str, str], Composition]
) -> dict[str, Document]:
    """Each jurisdiction's document in the source language, which the coverage check reads."""
    language = policy.source_language
    return {
        jid: (compositions.get((jid, language)) or compose(policy, jid, language)).document
        for jid in sorted(policy.jurisdictions)
    }


def _check_untranslated_coverage(
    policy: Policy,
    coverage: Coverage,
    compositions: Mapping[tuple[str, str], Composition],
    catalogs: Mapping[str, Translations | None],
    statuses: Iterable[TranslationStatus],
    problems: Problems,
) -> None:
    """A translation that is not complete, whose untranslated messages are in every clause that
    covers a disclosure its region's law requires: coverage is judged on the source text, but
    its pages show its last complete version, which may lack the disclosure (a clause added in
    the source language only). A warning per region and language: the build publishes as
    documented, the last complete version with a notice."""
    by_region = {jc.jurisdiction: jc for jc in coverage.jurisdictions}
    for status in statuses:
        if status.complete or status.jurisdiction not in by_region:
            continue
        jurisdiction, language = status.jurisdiction, status.language
        composition = compositions[(jurisdiction, language)]
        lacking = {context for context, _ in (*composition.missing, *composition.fuzzy)}
        catalog = catalogs.get(language)
        refused = {
            p.line
            for p in composition.problems
            if p.severity is Severity.ERROR and is_catalog(p.path)
        }
        if catalog is not None and refused:
            lacking |= {context for (context, _), e in catalog if e.line in refused}
        untranslated = [
            c.id
            for c in composition.document.clauses
            if lacking.intersection(c.contexts)
            or any(VALUE_CONTEXT + name in lacking for name, _ in c.variables)
        ]
        if not untranslated:
            continue
        required = [
            (tc, [c for c in tc.covered_by if c in untranslated])
            for tc in by_region[jurisdiction].topics
            if tc.status is Status.COVERED and set(tc.covered_by) <= set(untranslated)
        ]
        if not required:
            continue
        said = "; ".join(
            f"'{tc.topic.id}' ({', '.join(dict.fromkeys(r.list_key for r in tc.requirements))}) "
            f"in {', '.join(clauses)}"
            for tc, clauses in required
        )
        problems.warn(
            JURISDICTIONS_FILE,
            policy.jurisdictions[jurisdiction].origin.line,
            "coverage.untranslated",
            f"the {jurisdiction} policy is not completely translated into {language}, and the "
            f"clauses that give {counted(len(required), 'required disclosure')} of it have "
            f"messages not translated yet: {said}. Until they are translated, {language} "
            f"shoppers read the last complete {language} version (if there is one), which may "
            f"not give {'it' if len(required) == 1 else 'them'}: the coverage check reads the "
            f"{policy.source_language} text. Translate those messages ('policy i18n status' "
            "shows them).",
        )


def _check_reserved_ids(policy: Policy, problems: Problems) -> None:
    """Clause ids are message contexts in the catalogs; two contexts are taken by other texts."""
    reserved = {SUMMARY_CONTEXT: "change summaries", JURISDICTION_CONTEXT: "jurisdiction names"}
    for clause_id in sorted(set(policy.clauses) & set(reserved)):
        origin = policy.clauses[clause_id].text.origin
        problems.add(
            origin.path,
            origin.line,
            "clause.reserved-id",
            f"the clause id '{clause_id}' is reserved: the catalogs translate "
            f"{reserved[clause_id]} under it. Give the clause another id.",
        )


def _check_contexts(catalogs: Mapping[str, Translations | None], problems: Problems) -> None:
    """Translations without a `msgctxt`, which every message of a policy has: a tool that
    converts catalogs (xliff2po, csv2po without a template) drops it, and the catalog would
    otherwise only be said to translate nothing, until `policy i18n update` made the
    translations obsolete. Once per catalog, at the first."""
    for catalog in catalogs.values():
        stray = [entry for (context, _), entry in catalog or () if entry.string and not context]
        if stray:
            problems.warn(
                stray[0].path,
                min(entry.line for entry in stray),
                "catalog.no-context",
                f"{counted(len(stray), 'translation')} of this catalog (the first here) "
                f"{'has' if len(stray) == 1 else 'have'} no msgctxt, which every message of a "
                "policy has, and so translate nothing: a tool that converts catalogs (xliff2po, "
                "csv2po without a template) drops it. Restore the catalog from git, or put each "
                "msgctxt back; 'policy i18n update' would make them obsolete (#~).",
            )


def _catalog(
    files: Mapping[str, bytes],
    language: str,
    problems: Problems,
    checked: CheckedCatalogs | None = None,
) -> Translations | None:
    path = catalog_path(Language(tag=language))
    if path not in files:
        # A file where the language's folder goes, which 'policy i18n update' cannot create.
        blocking = next((f for f in files if path.startswith(f + "/")), None)
        problems.warn(
            path,
            None,
            "translation.no-catalog",
            f"there is no catalog for {language}. "
            + (
                f"{blocking} is a file where its folder goes: move it away, then run "
                "'policy i18n update' to create the catalog."
                if blocking
                else "Run 'policy i18n update' to create it."
            ),
        )
        return None
    check = partial(_read_catalog, path, files[path], language)
    if checked is None:
        return check(problems)
    return checked.check(path, files[path], language, problems, check)


def _read_catalog(path: str, data: bytes, language: str, problems: Problems) -> Translations | None:
    """The catalog's lookup table, once it is read and checked; None if it cannot be read."""
    catalog = parse_catalog(path, data, problems)
    if catalog is None:
        return None
    check_catalog(path, catalog, Language(tag=language), problems)
    return translations_from(catalog, path)


def _check_change_note(
    policy: Policy,
    before: Policy | None,
    rewritten: bool,
    base: Mapping[str, bytes],
    compositions: dict[tuple[str, str], Composition],
    problems: Problems,
    today: dt.date | None = None,
) -> None:
    """A change to the source text must come with a rewritten change.yml; and a rewritten
    change.yml with a change to the text or to a translation, or it describes no version. A
    note that describes only documents published anew cannot date them later (`today`: the
    day the check is for)."""
    changed = _changed_jurisdictions(policy, before, compositions)
    if changed and not rewritten:
        problems.add(
            CHANGE_FILE,
            1,
            CHANGE_NOT_UPDATED,
            f"the policy text changed ({', '.join(changed)}) but change.yml still describes the "
            "previous change. Rewrite its summary, kind and effective date for this change.",
        )
    anew = rewritten and not changed and _published_anew(policy, before, compositions)
    note = policy.change
    if anew and note is not None and today is not None and note.effective > today:
        problems.warn(
            note.origin.path,
            note.effective_line,
            "change.effective-anew",
            f"the change takes effect on {note.effective}, but no policy text changes: the "
            "languages this change adds or puts back publish a text in force already, and "
            "apply from the day they are published. To publish them from that day, add them "
            "then.",
        )
    if (
        rewritten
        and not changed
        and not anew
        and not _translation_changed(policy, before, base, compositions)
    ):
        problems.warn(
            CHANGE_FILE,
            1,
            CHANGE_IDLE,
            "change.yml is rewritten, but no policy text changed: no version will carry this "
            "note, and a version once published keeps its summary and dates. To move or withdraw "
            "an announced change, see 'Moving an announced change' in docs/authoring.md.",
        )


CHANGE_NOT_UPDATED = "change.not-updated"
"""The code of a text change whose change.yml still describes the change before it."""
CHANGE_IDLE = "change.describes-nothing"
"""The code of a rewritten change.yml in a change that makes no version."""
CHANGE_REUSED = "change.reused"
"""The code of a rewritten change.yml that says what an earlier one said."""


CHANGE_BEFORE_ANNOUNCED = "change.before-announced"
"""The code of a region added or put back, while a change is announced, from before its date."""


@dataclass(frozen=True, kw_only=True)
class Announced:
    """A change note of the history dated after the check's today, and the regions listed from
    the commit that first gave it on, up to the base: the version history knows the text in force
    before the change only for those."""

    effective: dt.date
    commit: str
    listed: frozenset[str]
    before: Mapping[str, bytes] | None
    """The files as they were before that commit (None if it is the first): its change, and
    those made while it is announced (which take effect with it), are what changed since."""


@dataclass(frozen=True, kw_only=True)
class HistoryNotes:
    """What `check_files` needs to know of the history up to the base, read in one pass."""

    said: dict[tuple[str, str, str], str]
    """What each change note said, and the first commit to say it (for `check_files`' rule that
    a note is never reused: its `earlier_notes`)."""
    announced: list[Announced]
    """The notes dated after `today`, as `Announced`, oldest first, withdrawn or not."""


def history_notes(repository: Repository, base: str, today: dt.date) -> HistoryNotes:
    """The change notes of the history up to `base`: what each said (for the rule that a note is
    never reused), and, for those dated after `today`, the regions listed since and the files
    before them (for the rule that a region added while a change is announced does not start
    before it)."""
    said: dict[tuple[str, str, str], str] = {}
    announced: dict[tuple[str, str, str], tuple[dt.date, str, set[str], Revision | None]] = {}
    listed: frozenset[str] = frozenset()
    previous: Revision | None = None
    for revision in repository.history(base):
        if JURISDICTIONS_FILE in revision.changed or not listed:
            listed = frozenset(jurisdiction_ids(revision.files))
        if CHANGE_FILE in revision.changed and CHANGE_FILE in revision.files:
            note = read_change_note(revision.files[CHANGE_FILE])
            if note is not None:
                said.setdefault(note.says, revision.commit)
                if note.effective > today and note.says not in announced:
                    announced[note.says] = (note.effective, revision.commit, set(), previous)
        for _, _, regions, _ in announced.values():
            regions.update(listed)
        previous = revision
    return HistoryNotes(
        said=said,
        announced=[
            Announced(
                effective=day,
                commit=commit,
                listed=frozenset(regions),
                before=then.files if then is not None else None,
            )
            for day, commit, regions, then in announced.values()
        ],
    )


def _check_announced_anew(
    policy: Policy,
    before: Policy,
    rewritten: bool,
    compositions: Mapping[tuple[str, str], Composition],
    announced: Iterable[Announced] | None,
    today: dt.date,
    problems: Problems,
) -> None:
    """A region added, or put back, while a change is announced for after `today`: unless it was
    listed when the change was announced (or since), the version history knows no text in force
    before the change for it, and its first version would publish the announced text from the
    day of this commit. Its note must date it from the change's day, or it must come then.

    A change counts when the region's text, composed in the source language, reads otherwise
    than with that change, and those made while it is announced, undone (`_undone`): judged by
    the clauses' ids, not their files' paths (a file moved is the same clause), and by what each
    text says now, so a change withdrawn since (its text put back) holds nothing back, another
    announced for the same day still does. The region waits for the last change that counts;
    if the first of them does not count, the text in force before it is the region's text now,
    and nothing holds it back."""
    note = policy.change if rewritten else None
    starts = max(note.effective, today) if note is not None else today
    pending = [a for a in announced or () if a.effective > starts]
    if not pending:
        return
    policies_before: dict[str, Policy | None] = {}
    for jurisdiction_id, jurisdiction in sorted(policy.jurisdictions.items()):
        if jurisdiction_id in before.jurisdictions:
            continue
        unknown = [a for a in pending if jurisdiction_id not in a.listed]
        if not unknown or not _publishes(policy, jurisdiction_id, compositions):
            continue
        source = (jurisdiction_id, policy.source_language)
        found = compositions.get(source) or compose(policy, *source)
        text = content_hash(found.document)
        held = []
        for a in unknown:
            if a.commit not in policies_before:
                policies_before[a.commit] = read_policy(a.before)[0] if a.before else None
            then = policies_before[a.commit]
            if then is None or text != content_hash(
                compose(_undone(policy, before, then), *source).document
            ):
                held.append(a)
        if not held or held[0] is not unknown[0]:
            continue
        day = max(a.effective for a in held)
        where = jurisdiction.origin
        at = f" ({where.path} line {where.line})" if where.line else ""
        problems.add(
            CHANGE_FILE,
            note.effective_line if note is not None else 1,
            CHANGE_BEFORE_ANNOUNCED,
            f"{jurisdiction_id}{at} would publish the change announced for {day} as in force "
            f"from {starts}: it was not listed when that change was announced, so no text in "
            f"force before it is known for {jurisdiction_id}, and its first version carries the "
            f"announced text. Give this commit's change.yml 'effective: {day}' "
            f"({jurisdiction_id} then publishes the announced text from that day), or add "
            f"{jurisdiction_id} on or after {day}.",
        )


def _publishes(
    policy: Policy, jurisdiction_id: str, compositions: Mapping[tuple[str, str], Composition]
) -> bool:
    """Whether a region publishes a document: one of its languages is complete."""
    return any(
        (found := compositions.get((jurisdiction_id, language))) is not None and found.complete
        for language in policy.languages_of(jurisdiction_id)
    )


def _undone(now: Policy, base: Policy, then: Policy) -> Policy:
    """`now` with what changed from `then` to `base` (an announced change, and those made while
    it is announced) as it was in `then`: each clause and variant by its key (a clause's id, a
    variant's clause and jurisdiction), which a file's move or rename does not change; a clause
    the change removed is back, one it added is gone; and site.yml's variables each by its
    dotted name. What `now` changed itself (this commit, the region's own variants and the
    variables they read) stays."""
    return dataclasses.replace(
        now,
        clauses=_put_back(now.clauses, base.clauses, then.clauses),
        variants=_put_back(now.variants, base.variants, then.variants),
        variables=_put_back(now.variables, base.variables, then.variables),
    )


K = TypeVar("K")
V = TypeVar("V")


def _put_back(now: Mapping[K, V], base: Mapping[K, V], then: Mapping[K, V]) -> dict[K, V]:
    """`now`, with each entry that differs between `then` and `base` as it was in `then` (or
    without it, if `then` had none); entries that are mappings in all three (a group of
    variables) entry by entry, so that a value the change did not touch stays as `now` has it
    (one `now` added, which `then` would lack)."""
    merged: dict = {}
    for key in [*now, *(k for k in then if k not in now)]:
        was, is_, had = then.get(key), now.get(key), base.get(key)
        if all(isinstance(v, Mapping) for v in (was, is_, had)):
            value = _put_back(is_, had, was)
        else:
            value = was if had != was else is_
        if value is not None:
            merged[key] = value
    return merged


def _check_reused_note(
    policy: Policy, earlier: Mapping[tuple[str, str, str], str], problems: Problems
) -> None:
    """A rewritten note that says what an earlier one said (a revert restores the note of the
    change before) would describe this change with a summary and date published already."""
    if policy.change is None:
        return
    commit = earlier.get(policy.change.says)
    if commit is not None:
        # A warning: two changes may read alike ("Corrected typos.", the same day).
        problems.warn(
            CHANGE_FILE,
            1,
            CHANGE_REUSED,
            f"change.yml says what it said at commit {commit[:12]}, whose version it describes "
            "(a revert restores the note of the change before); the build will not take it, "
            "and will use the commit's subject. Rewrite its summary, kind or effective date for "
            "this change.",
        )


def _rewritten(
    policy: Policy, before: Policy | None, files: Mapping[str, bytes], base: Mapping[str, bytes]
) -> bool:
    """Whether change.yml says something else than at `base` (not merely is spelt otherwise)."""
    if CHANGE_FILE not in files:
        return False  # a note deleted describes no change
    if before is None:
        return files.get(CHANGE_FILE) != base.get(CHANGE_FILE)
    says = policy.change.says if policy.change else None
    return says != (before.change.says if before.change else None)


def _published_anew(
    policy: Policy, before: Policy | None, compositions: dict[tuple[str, str], Composition]
) -> bool:
    """Whether a region publishes a language it did not at `base` (added, or put back), in the
    source language or in a complete translation: that document's next version carries the
    change note, even when the text is the same (versions.py)."""
    if before is None:
        return True
    return any(
        language not in before.languages_of(jurisdiction)
        and (
            language == policy.source_language
            or (
                (found := compositions.get((jurisdiction, language))) is not None and found.complete
            )
        )
        for jurisdiction in policy.jurisdictions
        if jurisdiction in before.jurisdictions
        for language in policy.languages_of(jurisdiction)
    )


def _translation_changed(
    policy: Policy,
    before: Policy | None,
    base: Mapping[str, bytes],
    compositions: dict[tuple[str, str], Composition],
) -> bool:
    """Whether a translated document reads otherwise than at `base`: a catalog that changed only
    in the change note's summary (as `policy i18n update` leaves every catalog) makes no version."""
    if before is None:
        return True
    catalogs: dict[str, Translations | None] = {}
    for (jurisdiction, language), now in sorted(compositions.items()):
        if language == policy.source_language:
            continue
        if language not in catalogs:
            catalogs[language] = _catalog(base, language, Problems())
        if jurisdiction not in before.jurisdictions:
            return True
        then = compose(before, jurisdiction, language, catalogs[language])
        if content_hash(now.document) != content_hash(then.document):
            return True
    return False


def _changed_jurisdictions(
    policy: Policy, before: Policy | None, compositions: dict[tuple[str, str], Composition]
) -> list[str]:
    """The jurisdictions whose policy in the source language reads otherwise than in `before`."""
    changed = []
    for jurisdiction in sorted(policy.jurisdictions):
        now = compositions.get((jurisdiction, policy.source_language)) or compose(
            policy, jurisdiction, policy.source_language
        )
        if before is None or jurisdiction not in before.jurisdictions:
            changed.append(jurisdiction)
            continue
        then = compose(before, jurisdiction, before.source_language)
        if content_hash(now.document) != content_hash(then.document):
            changed.append(jurisdiction)
    return changed
