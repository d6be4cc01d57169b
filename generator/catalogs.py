"""Translation catalogs: gettext PO files read with Babel into lookup tables.

One catalog per language, `locales/<lang>/LC_MESSAGES/policy.po`. A message is one block (paragraph,
list item or sub-heading) or title of a clause file, with the clause id (and `@jurisdiction` for a
variant) as its `msgctxt`, so the same sentence in two clauses is translated twice, independently.
"""

from __future__ import annotations

import gettext
import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from babel.core import UnknownLocaleError
from babel.messages.catalog import Catalog

from generator.blocks import structure
from generator.errors import Problems
from generator.markup import URL_SCHEMES
from generator.model import Language
from generator.pofiles import PoCatalog, PoSyntaxError, read_catalog
from generator.textcheck import body_problems, link_scheme
from generator.variables import VALUE_CONTEXT, has_template_syntax
from generator.yamlio import decode

LOCALES = "locales"
DOMAIN = "policy"


@lru_cache(maxsize=256)
def catalog_path(language: Language) -> str:
    """Where a language's catalog lives, relative to the project root."""
    return f"{LOCALES}/{language.catalog_name}/LC_MESSAGES/{DOMAIN}.po"


def is_catalog(path: str) -> bool:
    """Whether a path relative to the project root is where a language's catalog lives."""
    parts = path.split("/")
    return len(parts) == 4 and parts[0] == LOCALES and parts[2:] == ["LC_MESSAGES", f"{DOMAIN}.po"]


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One translated message."""

    string: str
    fuzzy: bool
    """Marked for review: the source changed since it was translated."""
    path: str
    line: int

    @property
    def reviewed(self) -> bool:
        """Whether the entry may be shown: translated, and not waiting for review."""
        return bool(self.string) and not self.fuzzy


class Translations:
    """A catalog as a lookup table from (context, source text) to its entry."""

    def __init__(self, entries: dict[tuple[str, str], Entry]) -> None:
        self._entries = entries

    def get(self, context: str, source: str) -> Entry | None:
        """The entry for a message, if the catalog has it."""
        return self._entries.get((context, source))

    def __iter__(self) -> Iterator[tuple[tuple[str, str], Entry]]:
        return iter(sorted(self._entries.items()))

    def __len__(self) -> int:
        return len(self._entries)


_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")


def _encoding_advice(data: bytes) -> str:
    """What to do with a catalog that is not UTF-8: convert it with GNU's msgconv, when its
    header says which encoding it is in (msgconv -t ISO-8859-1 writes such a catalog)."""
    found = _CHARSET.search(data)
    charset = found.group(1).decode("ascii") if found else ""
    if not charset or charset.upper().replace("-", "") == "UTF8":
        return "Save it as UTF-8."
    return (
        f"Its header says charset={charset}: this tool reads catalogs in UTF-8 only. Convert it "
        "with GNU gettext's msgconv (msgconv -t UTF-8 -o FILE FILE), or save it as UTF-8."
    )


def parse_catalog(path: str, data: bytes, problems: Problems) -> PoCatalog | None:
    """A PO file parsed by Babel; None (and a problem naming each line) when it is broken."""
    text = decode(data, path, problems, _encoding_advice(data))
    if text is None:
        return None
    try:
        catalog = read_catalog(text)
    except PoSyntaxError as error:
        for problem in error.problems:
            fix = _plural_forms_fix(path) if problem.field == "plural-forms" else None
            problems.add(
                path,
                problem.line,
                "catalog.syntax",
                f"the catalog cannot be read: {problem.reason}. "
                + (
                    fix
                    or problem.fix
                    or "Fix the PO syntax (a quote or a msgid/msgstr line is off)."
                ),
            )
        return None
    except (ValueError, UnicodeError) as error:
        problems.add(path, None, "catalog.syntax", f"the catalog cannot be read: {error}.")
        return None
    for repeat, first in catalog.duplicates:
        problems.add(
            path,
            repeat.lineno,
            "catalog.duplicate",
            f"this message is already defined on line {first}; msgfmt and translation tools "
            "reject duplicates. Delete one of the two entries.",
        )
    for message in (*catalog, *catalog.obsolete.values()):
        if isinstance(message.id, (list, tuple)):
            problems.add(
                path,
                message.lineno,
                "catalog.plural",
                "this entry has plural forms (msgid_plural), which these catalogs never use: "
                "each message is one paragraph, title or value, translated by one msgstr. "
                "Delete the entry, or write it as one msgid and one msgstr.",
            )
    for message in catalog.obsolete.values():
        current = catalog.get(message.id, message.context)
        if current is not None:
            problems.add(
                path,
                message.lineno,
                "catalog.duplicate",
                f"this obsolete entry (#~) repeats the message on line {current.lineno}; msgfmt "
                "rejects the catalog. Delete the obsolete entry.",
            )
    return catalog


def catalog_to_merge(path: str, data: bytes, problems: Problems) -> PoCatalog | None:
    """A catalog to merge a template into, or None (and its problems) when it cannot be read as
    it is: which of its entries to keep is then the translator's call, so it is left alone."""
    found = Problems()
    catalog = parse_catalog(path, data, found)
    problems.extend(found)
    return None if found.errors else catalog


def translations_from(catalog: Catalog, path: str) -> Translations:
    """The lookup table of a parsed catalog (obsolete messages are not used)."""
    entries: dict[tuple[str, str], Entry] = {}
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        string = message.string if isinstance(message.string, str) else ""
        entries[(message.context or "", message.id)] = Entry(
            string=string, fuzzy=message.fuzzy, path=path, line=message.lineno or 1
        )
    return Translations(entries)


def load_translations(path: str, data: bytes, problems: Problems) -> Translations | None:
    """A PO file's lookup table; None (and a problem) when the file is broken."""
    catalog = parse_catalog(path, data, problems)
    return translations_from(catalog, path) if catalog is not None else None


_VARIABLE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_PLURAL_FORMS = re.compile(r"\s*nplurals\s*=\s*(\d{1,9})\s*;\s*plural\s*=\s*(.+?);?\s*")
"""A Plural-Forms header (a number of forms past nine digits is not one: `int` refuses it)."""


def check_catalog(path: str, catalog: PoCatalog, language: Language, problems: Problems) -> None:
    """Problems msgfmt or the published page would hit: variables a translation drops or adds,
    and a missing or wrong Language or Plural-Forms header."""
    for message in catalog:
        if not message.id or message.fuzzy or not isinstance(message.string, str):
            continue
        if message.string and _line_ends(message.id) != _line_ends(message.string):
            problems.add(
                path,
                message.lineno,
                "catalog.newline",
                "the translation begins or ends with a line break where its msgid does not (or "
                "the other way round); msgfmt rejects the catalog. Remove or add the line break.",
            )
        if message.string and not message.string.strip():
            problems.add(
                path,
                message.lineno,
                "catalog.blank",
                "the translation is only spaces or line breaks, which would publish an empty "
                'paragraph. Translate the message, or leave its msgstr empty ("") until you do.',
            )
            continue
        if message.string and (hidden := _invisible(message.string)) is not None:
            problems.add(
                path,
                message.lineno,
                "catalog.blank",
                f"the translation shows nothing: it is only spaces and invisible characters "
                f"({hidden}), which would publish an empty paragraph. Translate the message, or "
                'leave its msgstr empty ("") until you do.',
            )
            continue
        if "\r" in message.string:
            # Markdown reads a carriage return as a line break, which the checks of a
            # translation's structure below look for as "\n" only.
            problems.add(
                path,
                message.lineno,
                "catalog.carriage-return",
                "the translation has a carriage return (\\r, often pasted from another program), "
                "which the page would read as a line break. Remove it (write \\n where the msgid "
                "has one).",
            )
            continue
        if message.string:
            _check_variables(path, message.id, message.string, message.lineno, problems)
            _check_structure(path, message.id, message.string, message.lineno, problems)
            _check_links(path, message.id, message.string, message.lineno, problems)
            # The sanitizer would drop what the source may not have either: say so here.
            for code, said, _ in body_problems(message.string, "a translation"):
                problems.add(path, message.lineno, code, said)
            if message.context and message.context.startswith(VALUE_CONTEXT):
                _check_value(path, message.id, message.string, message.lineno, problems)
    _check_plural_forms(path, catalog, language, problems)
    _check_language(path, catalog, language, problems)


_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
"""An HTML character reference (`&nbsp;`, `&#8203;`, `&#x200B;`), which Markdown resolves (without
its `;`, it is text)."""


def _invisible(text: str) -> str | None:
    """The first invisible character of a translation that shows none, as U+XXXX and its name
    (with the reference that writes it, if one does); None if it shows a character. Invisible:
    white space (no-break spaces included) and format characters (category Cf: U+200B, U+2060,
    U+FEFF, the soft hyphen), written out or as HTML character references, which Markdown
    resolves."""
    first = None
    at = 0
    pieces = []
    for found in _REFERENCE.finditer(text):
        pieces += [(text[at : found.start()], ""), (html.unescape(found[0]), found[0])]
        at = found.end()
    pieces.append((text[at:], ""))
    for characters, written in pieces:
        for character in characters:
            if not (character.isspace() or unicodedata.category(character) == "Cf"):
                return None
            if first is None and character not in " \t\n\r":
                first = (character, written)
    if first is None:
        return None
    character, written = first
    described = f"U+{ord(character):04X} {unicodedata.name(character, '')}".rstrip()
    return described + (f", written {written}" if written else "")


def _check_value(path: str, source: str, value: str, line: int | None, problems: Problems) -> None:
    """A variable's translated value is inserted as it is, as site.yml's values are: it is
    checked as they are (the translation of an address must be a safe address too)."""
    if has_template_syntax(value):
        problems.add(
            path,
            line,
            "site.variable-template",
            "a variable's value cannot use variables or template statements ('{{', '{%'): it "
            "is inserted as it is. Write the value out.",
        )
    scheme = link_scheme(value.strip())
    if link_scheme(source.strip()) in URL_SCHEMES and scheme not in URL_SCHEMES:
        problems.add(
            path,
            line,
            "markdown.unsafe-link",
            f"the value is an address ({source}), and its translation must be one too: "
            "https:, http: or mailto:. Translate it as the address of the page in your language, "
            "or as the same address.",
        )


def _line_ends(text: str) -> tuple[bool, bool]:
    """Whether a text begins, and whether it ends, with a line break (msgfmt requires a
    translation to match its msgid in both)."""
    return text.startswith("\n"), text.endswith("\n")


def variables_in(text: str) -> list[str]:
    """The `{{ variables }}` a text uses, in order, written without spaces (`company.name`)."""
    return [re.sub(r"\s+", "", name) for name in _VARIABLE.findall(text)]


def _differences(wanted: list[str], found: list[str]) -> tuple[list[str], list[str]]:
    """What a translation has fewer of than its msgid, and what it has more of (each once, in
    order): variables, or link addresses."""
    dropped = [n for n in dict.fromkeys(wanted) if wanted.count(n) > found.count(n)]
    added = [n for n in dict.fromkeys(found) if found.count(n) > wanted.count(n)]
    return dropped, added


def _check_variables(
    path: str, source: str, translation: str, line: int | None, problems: Problems
) -> None:
    dropped, added = _differences(variables_in(source), variables_in(translation))
    if not dropped and not added:
        return
    parts = []
    if dropped:
        parts.append("drops " + ", ".join("{{ " + n + " }}" for n in dropped))
    if added:
        parts.append("adds " + ", ".join("{{ " + n + " }}" for n in added))
    problems.add(
        path,
        line,
        "translation.variables",
        f"the translation {' and '.join(parts)} compared with its msgid. Keep exactly the "
        "msgid's variables, written as there (they are filled in on the page).",
    )


_LINK_TARGET = re.compile(
    r"\]\(\s*<?((?:\{\{[^{}]*\}\}|\([^()\s]*\)|[^()\s<>{])+)"
    r"|<((?:https?|mailto):[^<>\s]+)>"
    r"|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s<>]+)",
    re.MULTILINE,
)
"""Where a Markdown text links to: an inline link's address (`[text](address "title")`), an
autolink (`<https://...>`), or a reference definition (`[name]: address`, which `[text][name]`
links to)."""


def links_in(text: str) -> list[str]:
    """The addresses a Markdown text links to, in order, as written."""
    if "](" not in text and "<" not in text and "]:" not in text:
        return []  # most messages: a thousandth of the regular expression's time
    return [
        _VARIABLE.sub(lambda v: "{{ " + re.sub(r"\s+", "", v.group(1)) + " }}", "".join(found))
        for found in _LINK_TARGET.findall(text)
    ]


def _check_links(
    path: str, source: str, translation: str, line: int | None, problems: Problems
) -> None:
    """A link's text is translated, its address is not: a translation that links elsewhere
    than its msgid (a request form, an authority, an e-mail address) sends readers of that
    language somewhere the legal team never wrote. A warning, since the same page in the
    reader's language may be meant."""
    dropped, added = _differences(links_in(source), links_in(translation))
    if not dropped and not added:
        return
    parts = []
    if added:
        parts.append("links to " + ", ".join(added) + ", which its msgid does not")
    if dropped:
        parts.append("does not link to " + ", ".join(dropped) + ", which its msgid does")
    problems.warn(
        path,
        line,
        "translation.links",
        f"the translation {' and '.join(parts)}. A link's text is translated, its address is "
        "not: keep the msgid's addresses, unless the page is meant in the reader's language.",
    )


def _check_structure(
    path: str, source: str, translation: str, line: int | None, problems: Problems
) -> None:
    """A translation is one block, as its msgid is: a blank line, or a line that starts a list
    item, a heading, a quote or a rule, would change the published policy's structure (split a
    list, put a heading inside a list item)."""
    if structure(translation) == structure(source):
        return
    problems.add(
        path,
        line,
        "translation.structure",
        "the translation's Markdown makes other blocks than its msgid's (a blank line, a line "
        "that starts a list item, a heading, a quote, a table or a rule, or an indent of four "
        "spaces, which makes code): a message is one paragraph, list item or heading, as its "
        "msgid is. Join its lines, remove the indent, or write \\ before the character that "
        "starts such a line (in the .po file itself \\\\, as a PO file writes a backslash; a "
        "PO editor does that for you).",
    )


_PLURAL_FIXES = {
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5);",
}
"""Where Babel's Plural-Forms table contradicts its own CLDR rules: for Arabic it puts 11-99 in form
5 and 100-102 in form 4, but CLDR's "many" (form 4) is n % 100 in 11..99 (see the tests)."""


def _plural_forms_fix(path: str) -> str | None:
    """How to write the Plural-Forms header of the catalog at `path`: its language's rule (a
    placeholder such as 'nplurals=N' is no rule); None if the path names no known language."""
    if not is_catalog(path):
        return None
    try:
        language = Language(tag=path.split("/")[1].replace("_", "-"))
        rule = plural_forms(language)
    except (ValueError, UnknownLocaleError):
        return None
    return (
        f"Write it as 'Plural-Forms: {rule}', the rule for {language.tag}, or delete the line: "
        "'policy i18n update' then writes it."
    )


def plural_forms(language: Language) -> str:
    """The Plural-Forms header for a language, from Babel (CLDR)."""
    locale = language.locale
    fixed = _PLURAL_FIXES.get(language.catalog_name) or _PLURAL_FIXES.get(locale.language)
    return fixed or Catalog(locale=language.catalog_name).plural_forms


def plural_forms_match(value: str | None, language: Language) -> bool:
    """Whether a Plural-Forms header is valid and chooses the language's forms (spelling aside)."""
    match = _PLURAL_FORMS.fullmatch(value or "")
    return (
        match is not None
        and _valid_plural(int(match.group(1)), match.group(2))
        and _same_plural(match, _PLURAL_FORMS.fullmatch(plural_forms(language)))
    )


def _check_plural_forms(
    path: str, catalog: PoCatalog, language: Language, problems: Problems
) -> None:
    expected = plural_forms(language)
    value = catalog.header("Plural-Forms")
    line = _header_line(catalog, "Plural-Forms")
    if value is None:
        problems.warn(
            path,
            line,
            "catalog.plural-forms",
            f"the header has no Plural-Forms. Add 'Plural-Forms: {expected}' (or run "
            "'policy i18n update', which sets it).",
        )
        return
    match = _PLURAL_FORMS.fullmatch(value)
    if match is None or not _valid_plural(int(match.group(1)), match.group(2)):
        problems.add(
            path,
            line,
            "catalog.plural-forms",
            f"the Plural-Forms header '{value}' is not valid (msgfmt rejects it). Write "
            f"'Plural-Forms: {expected}'.",
        )
    elif not _same_plural(match, _PLURAL_FORMS.fullmatch(expected)):
        problems.warn(
            path,
            line,
            "catalog.plural-forms",
            f"the Plural-Forms header '{value}' differs from the rule for {language.tag} "
            f"('{expected}'). Use it (or run 'policy i18n update', which sets it).",
        )


def _check_language(path: str, catalog: PoCatalog, language: Language, problems: Problems) -> None:
    value = catalog.header("Language")
    if value is None or value.replace("-", "_") != language.catalog_name:
        problems.warn(
            path,
            _header_line(catalog, "Language"),
            "catalog.language",
            f"the header says 'Language: {value or ''}' but this is the {language.tag} catalog. "
            f"Write 'Language: {language.catalog_name}'.",
        )


def _valid_plural(count: int, expression: str) -> bool:
    """Whether a C plural expression parses and yields forms 0..count-1, as msgfmt checks."""
    if count < 1:
        return False
    try:
        rule = gettext.c2py(expression)
        return all(0 <= rule(n) < count for n in range(1000))
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError):
        return False


def _same_plural(found: re.Match[str], expected: re.Match[str] | None) -> bool:
    """Whether two Plural-Forms choose the same form for every number (spelling may differ)."""
    if expected is None or found.group(1) != expected.group(1):
        return False
    mine, theirs = gettext.c2py(found.group(2)), gettext.c2py(expected.group(2))
    return all(mine(n) == theirs(n) for n in range(1000))


def _header_line(catalog: PoCatalog, name: str) -> int | None:
    """The line of a header field (the header's first line when the field is missing)."""
    return catalog.header_lines.get(name.lower(), catalog.header_line)
