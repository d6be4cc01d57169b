"""A corpus of broken and hostile sources and translation catalogs: each one makes `policy build`
exit 1 with the exact `file:line: message [code]`, no traceback, and the previously built `site/`
byte for byte intact.

One project is built once; each case copies it (repository and site), commits its breakage and
runs `policy build` again, in process through Click's runner (a subprocess would spend most of
its time starting Python); a few cases also run as a real subprocess.
"""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import (
    BASE_FILES,
    DATA_MD,
    JURISDICTIONS_YML,
    SITE_YML,
    WHO_MD,
    Project,
    change_yml,
    problems_of,
)
from hostile_helpers import po_catalog, snapshot, staging_folders

from generator import markup
from generator.blocks import join_blocks, split_blocks
from generator.check import check_files
from generator.cli import main
from generator.sources import read_policy
from generator.yamlio import MAX_REFUSED

EU_VARIANT = """\
---
variant_of: who-we-are
jurisdiction: eu
mode: extend
topics: [dpo-contact]
---
Under the GDPR, {{ company.name }} is the controller.
"""

WHO = "policies/clauses/who.md"
DATA = "policies/clauses/data.md"
SITE = "policies/site.yml"
JURISDICTIONS = "policies/jurisdictions.yml"
CHANGE = "policies/change.yml"
VARIANT = "policies/clauses/who-eu.md"

BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
)
"""Billion laughs: a few lines that expand to millions of strings if aliases are followed."""


BIDI = (
    "the text contains the character U+{} ({}{}), which makes a browser show the text after it "
    "in another order than it is written: the page would read otherwise than the published "
    "text. Delete it; the site sets the direction of each text itself (the marks U+200E and "
    "U+200F are allowed where a right-to-left text needs one). [text.bidi-control]"
)


BEGINS_WITH_A_LIST = (
    "the text begins with the value of 'company.name' ('1. FC Köln Fanshop GmbH'), which "
    "Markdown reads there as a list item, a heading, a quote, a table or a rule: the page would "
    "not show the value as written. Begin the text with other words ('… is run by "
    "{{ company.name }}'), or in policies/site.yml write a backslash before the character that "
    "does it ('1\\. FC', '\\#1'), which Markdown does not show (a title that names the "
    "variable would). [variable.structure]"
)


def body(text: str) -> str:
    """who.md with another body (the body starts on line 8)."""
    return WHO_MD.replace("{{ company.name }} runs this shop. Write to {{ contact.email }}.", text)


def header(old: str, new: str) -> str:
    """who.md with one header line replaced."""
    assert old in WHO_MD
    return WHO_MD.replace(old, new)


@dataclass(frozen=True)
class Case:
    """Files to write over the built project, and exactly what `policy build` must print."""

    name: str
    files: dict[str, str | bytes | None]
    expected: list[str] = field(default_factory=list)


NOT_TEXT = "Save it as UTF-8."
MARKER_ALONE = (
    "a list marker ('-', '*', '+', '1.') alone on the first line of a paragraph is text to "
    "Markdown, but a paragraph's lines are joined into one, and then the marker begins the line: "
    "the page would show the paragraph as a list item, the marker gone. Write the item's words "
    "on the marker's line ('- words'), or begin the paragraph with other words (or '\\-', "
    "'1\\.'). [markdown.list-marker-alone]"
)
RULE = (
    "a line of three or more '*', '-' or '_' ('***', '* * *') is a rule to Markdown, which ends "
    "the paragraph (the site shows no rules), but a paragraph's lines are joined into one, and a "
    "line that begins with '* ' or '- ' is read as a list item: the page would show the line's "
    "characters as text, or as a list. Remove the line; to end a paragraph, leave a blank line. "
    "[markdown.rule]"
)
PARENTHESIS_NUMBER = (
    "a line that begins with a number and ')' ('1) ') is read as a numbered list item, but "
    "Markdown numbers items with '.' only: the page would show it as a paragraph (lines of such "
    "items run together into one), and a sentence that goes on in such a line would be cut in "
    "two there. Write '1.' for a numbered item; to begin a line with '1)' as text, write '1\\)'. "
    "[markdown.parenthesis-number]"
)
SPACES_BREAK = (
    "a line that ends with two spaces makes a line break in Markdown, but a paragraph's lines "
    "are joined into one (each paragraph is one message to translate): the page shows them on "
    "one line. To show lines apart (an address), make each a list item or a paragraph of its "
    "own; if the spaces are a slip, remove them. [markdown.line-break]"
)
BACKSLASH_BREAK = (
    "a line that ends with '\\' makes a line break in some Markdown, not in this site's: a "
    "paragraph's lines are joined into one, and the page would show the '\\' between them. "
    "Remove it; to show lines apart (an address), make each a list item or a paragraph of its "
    "own. [markdown.line-break]"
)
QUOTE_LINES = (
    "a line that begins with '>' under another line of its paragraph or quote: Markdown begins a "
    "quote there or takes the '>' off a quote's next line, but a paragraph's lines are joined "
    "into one (each is one message to translate), and the page would show the '>' as text ('line "
    "one > line two'). Begin a quote with '>' on its first line only, after a blank line: its "
    "next lines are joined to it. [markdown.quote]"
)
NESTED_ITEM = (
    "a list item indented under another makes a list inside it in Markdown, but the site's lists "
    "do not nest (each item is one message to translate): the page shows it as one more item of "
    "the list above, at the same level. Remove the indentation, or make the inner items a list of "
    "their own after a line that introduces them. [markdown.nested-list]"
)
MISSING = "[clause.missing-key]"
LONG_ID = "a" * 260
UNDEFINED_HINT = "Define it under 'variables' in policies/site.yml or correct the name."
EXPRESSION = (
    "only plain variables such as {{ company.name }} are allowed in clause text (found WHAT). "
    "Remove the expression or define the value as a variable in policies/site.yml."
)
PRIVATE = (
    "'WHAT' is not a variable: names may not start with '_'. Use a variable defined under "
    "'variables' in policies/site.yml."
)

CASES = [
    Case(
        "alias bomb in front matter",
        {WHO: header("topics: [controller-identity]\n", "topics: [controller-identity]\n" + BOMB)},
        [
            f"{WHO}:8: YAML anchors and aliases (& and *) are not allowed here. Write the value "
            "out. [yaml.alias]"
        ],
    ),
    Case(
        "alias bomb in site.yml",
        {SITE: SITE_YML + BOMB},
        [
            f"{SITE}:9: YAML anchors and aliases (& and *) are not allowed here. Write the value "
            "out. [yaml.alias]"
        ],
    ),
    Case(
        "file over 1 MB",
        {"policies/clauses/huge.md": header("id: who-we-are", "id: huge") + "word " * 210_000},
        [
            "policies/clauses/huge.md: the file is 1,050,164 bytes, over the limit of 1,000,000. "
            "Split it into smaller files. [file.too-large]"
        ],
    ),
    Case(
        "flow nesting 1500 deep",
        {SITE: SITE_YML + "deep: " + "[" * 1500 + "]" * 1500 + "\n"},
        [f"{SITE}:8: the YAML is nested more than 20 levels deep. Flatten it. [yaml.depth]"],
    ),
    Case(
        "mapping nesting 30 deep",
        {
            SITE: SITE_YML
            + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(30))
            + "  " * 31
            + "v: 1\n"
        },
        [f"{SITE}:28: the YAML is nested more than 20 levels deep. Flatten it. [yaml.depth]"],
    ),
    Case(
        "latin-1 bytes",
        {WHO: WHO_MD.encode() + "Café\n".encode("latin-1")},
        [f"{WHO}:9: the file is not valid UTF-8 (byte 0xe9). {NOT_TEXT} [file.encoding]"],
    ),
    Case(
        "UTF-16 file",
        {SITE: SITE_YML.encode("utf-16")},
        [f"{SITE}:1: the file is not valid UTF-8 (byte 0xff). {NOT_TEXT} [file.encoding]"],
    ),
    Case(
        "NUL byte",
        {DATA: DATA_MD.replace("your name;", "your\x00name;")},
        [
            f"{DATA}:10: the file contains the control character U+0000, which cannot be "
            "published. Delete it. [file.control-character]"
        ],
    ),
    Case(
        # Pasted text can carry U+2028, which YAML (but no editor) takes for a line break: the
        # title would be cut in two, and PyYAML's line numbers run one ahead of the file's.
        "line separator in a clause's header",
        {WHO: header("title: Who we are", "title: Who we\u2028are")},
        [
            f"{WHO}:3: the YAML contains the invisible character U+2028 (line separator), which "
            "YAML reads as a line break. Replace it with a space. [yaml.line-separator]"
        ],
    ),
    Case(
        "paragraph separator in site.yml",
        {SITE: SITE_YML.replace("name: Example Shop Ltd.", "name: Example\u2029Shop Ltd.")},
        [
            f"{SITE}:5: the YAML contains the invisible character U+2029 (paragraph separator), "
            "which YAML reads as a line break. Replace it with a space. [yaml.line-separator]"
        ],
    ),
    Case(
        "missing front matter",
        {WHO: "Just a paragraph, no header.\n"},
        [
            f"{WHO}:1: a clause file must start with a '---' line, then its YAML header, then "
            "another '---' line. [clause.front-matter]"
        ],
    ),
    Case(
        "unclosed front matter",
        {WHO: WHO_MD.replace("---\n{{", "{{")},
        [
            f"{WHO}:1: the YAML header is not closed. Add a line '---' after it. [clause.front-matter]"
        ],
    ),
    Case(
        "front matter is a list",
        {WHO: "---\n- id: who-we-are\n- title: Who we are\n---\nText.\n"},
        [f"{WHO}:2: the header must be a YAML mapping. [clause.front-matter]"],
    ),
    Case(
        "order is a word",
        {WHO: header("order: 10", 'order: "ten"')},
        [f"{WHO}:4: 'order' must be a whole number, not 'ten'. [clause.order]"],
    ),
    Case(
        "jurisdictions is a number",
        {WHO: header("jurisdictions: [global]", "jurisdictions: 5")},
        [f"{WHO}:5: 'jurisdictions' must be a list, e.g. [global, eu]. [yaml.type]"],
    ),
    Case(
        "unknown key",
        {WHO: header("topics:", "topcis:")},
        [f"{WHO}:6: unknown key 'topcis'. Did you mean 'topics'? [clause.unknown-key]"],
    ),
    Case(
        # Left out quietly, the clause would vanish from every published document.
        "title left empty",
        {WHO: header("title: Who we are", 'title: ""')},
        [f"{WHO}:3: 'title' is empty. Give it a value (see docs/authoring.md). {MISSING}"],
    ),
    Case(
        "title of spaces",
        {WHO: header("title: Who we are", 'title: "   "')},
        [f"{WHO}:3: 'title' is empty. Give it a value (see docs/authoring.md). {MISSING}"],
    ),
    Case(
        "id with nothing after it",
        {WHO: header("id: who-we-are", "id:")},
        [f"{WHO}:2: 'id' is empty. Give it a value (see docs/authoring.md). {MISSING}"],
    ),
    Case(
        "jurisdictions an empty list",
        {WHO: header("jurisdictions: [global]", "jurisdictions: []")},
        [f"{WHO}:5: 'jurisdictions' is empty. Give it a value (see docs/authoring.md). {MISSING}"],
    ),
    Case(
        "variant mode left empty",
        {VARIANT: EU_VARIANT.replace("mode: extend", "mode:")},
        [
            f"{VARIANT}:4: 'mode' is empty. Give it a value (see docs/authoring.md). "
            "[variant.missing-key]"
        ],
    ),
    Case(
        "variant title left empty",
        {VARIANT: EU_VARIANT.replace("mode: extend", 'mode: extend\ntitle: ""')},
        [
            f"{VARIANT}:5: 'title' is empty. Leave it out to keep the clause's title. "
            "[variant.title]"
        ],
    ),
    Case(
        # `$` in a pattern also matches before a final line break.
        "clause id ending in a line break",
        {WHO: header("id: who-we-are", 'id: "who-we-are\\n"')},
        [
            f"{WHO}:2: 'who-we-are\\n' is not a valid clause id. Use at most 64 lowercase "
            "letters, digits and hyphens, e.g. 'data-we-collect'. [clause.id]"
        ],
    ),
    Case(
        "jurisdiction id ending in a line break",
        {JURISDICTIONS: JURISDICTIONS_YML.replace("eu:", '"eu\\n":')},
        [
            f"{JURISDICTIONS}:4: 'eu\\n' is not a valid jurisdiction id. Use at most 64 "
            "lowercase letters, digits and hyphens. [jurisdiction.id]"
        ],
    ),
    Case(
        "region name left empty",
        {JURISDICTIONS: JURISDICTIONS_YML.replace("name: European Union", 'name: ""')},
        [
            f"{JURISDICTIONS}:5: jurisdiction 'eu' has an empty 'name'. Write the region's "
            "name as shoppers read it, or leave the key out to show 'eu'. [jurisdiction.name]"
        ],
    ),
    Case(
        "extends given as a list",
        {JURISDICTIONS: JURISDICTIONS_YML.replace("extends: global", "extends: [global]")},
        [
            f"{JURISDICTIONS}:6: 'extends' names one jurisdiction, as text: 'extends: global', "
            "not '['global']'. [yaml.type]"
        ],
    ),
    Case(
        "clause saved as .markdown",
        {DATA: None, "policies/clauses/data.markdown": DATA_MD},
        [
            "policies/clauses/data.markdown:1: this file is not read, so nothing in it is "
            "published. Clause files end in .md; the other files policies/ holds are site.yml, "
            "jurisdictions.yml, change.yml, required-disclosures.yml. [file.not-read]"
        ],
    ),
    Case(
        "key given twice",
        {WHO: header("order: 10", "order: 10\norder: 20")},
        [
            f"{WHO}:5: 'order' is given twice (first on line 4). Keep one of them. [yaml.duplicate-key]"
        ],
    ),
    Case(
        "python tag in site.yml",
        {SITE: SITE_YML + "run: !!python/object/apply:os.system ['touch pwned']\n"},
        [
            f"{SITE}:8: the YAML tag 'python/object/apply:os.system' is not allowed. Write a plain "
            "value (text, number, date, list or mapping) without '!'. [yaml.tag]"
        ],
    ),
    Case(
        "duplicate clause id",
        {"policies/clauses/again.md": DATA_MD.replace("data-we-collect", "who-we-are")},
        [
            f"{WHO}:2: clause id 'who-we-are' is already used by policies/clauses/again.md. Give "
            "one of them another id. [clause.duplicate-id]"
        ],
    ),
    Case(
        "invalid clause id",
        {WHO: header("id: who-we-are", "id: Who We Are")},
        [
            f"{WHO}:2: 'Who We Are' is not a valid clause id. Use at most 64 lowercase letters, "
            "digits and hyphens, e.g. 'data-we-collect'. [clause.id]"
        ],
    ),
    Case(
        "clause id longer than 64 characters",
        {WHO: header("id: who-we-are", f"id: {LONG_ID}")},
        [
            f"{WHO}:2: '{LONG_ID}' is not a valid clause id. Use at most 64 lowercase letters, "
            "digits and hyphens, e.g. 'data-we-collect'. [clause.id]"
        ],
    ),
    Case(
        # A jurisdiction's id is a folder of the site: 260 characters were a traceback (the
        # file system's limit on a name is 255 bytes).
        "jurisdiction id longer than 64 characters",
        {
            "policies/jurisdictions.yml": JURISDICTIONS_YML
            + f"{LONG_ID}:\n  name: Long\n  extends: global\n  languages: [en]\n"
        },
        [
            f"policies/jurisdictions.yml:8: '{LONG_ID}' is not a valid jurisdiction id. Use at "
            "most 64 lowercase letters, digits and hyphens. [jurisdiction.id]"
        ],
    ),
    Case(
        "duplicate variant",
        {"policies/clauses/who-eu-2.md": EU_VARIANT},
        [
            f"{VARIANT}:2: clause 'who-we-are' already has a variant for 'eu' in "
            "policies/clauses/who-eu-2.md. Merge the two files. [variant.duplicate]"
        ],
    ),
    Case(
        "variant of unknown clause",
        {VARIANT: EU_VARIANT.replace("variant_of: who-we-are", "variant_of: who-we-ar")},
        [
            f"{VARIANT}:2: 'variant_of' names unknown clause 'who-we-ar'. Did you mean "
            "'who-we-are'? [variant.unknown-clause]"
        ],
    ),
    Case(
        "unknown variant mode",
        {VARIANT: EU_VARIANT.replace("mode: extend", "mode: append")},
        [f"{VARIANT}:4: 'mode' must be 'replace' or 'extend', not 'append'. [variant.mode]"],
    ),
    Case(
        "extends cycle",
        {
            JURISDICTIONS: JURISDICTIONS_YML.replace(
                "  languages: [en]\neu:", "  extends: eu\n  languages: [en]\neu:"
            )
        },
        [
            f"{JURISDICTIONS}:3: 'extends' forms a cycle: global -> eu -> global. Remove one of "
            "these 'extends'. [jurisdiction.cycle]",
            f"{JURISDICTIONS}:7: 'extends' forms a cycle: eu -> global -> eu. Remove one of these "
            "'extends'. [jurisdiction.cycle]",
        ],
    ),
    Case(
        "unknown extends",
        {JURISDICTIONS: JURISDICTIONS_YML.replace("extends: global", "extends: globl")},
        [
            f"{JURISDICTIONS}:6: 'eu' extends unknown jurisdiction 'globl'. Did you mean "
            "'global'? [jurisdiction.unknown]"
        ],
    ),
    Case(
        "bad language tag",
        {
            JURISDICTIONS: JURISDICTIONS_YML.replace(
                "languages: [en]\neu", "languages: [en, english]\neu"
            )
        },
        [
            f"{JURISDICTIONS}:3: 'english' is not a language tag. Use BCP 47 tags such as 'de' or "
            "'pt-BR'. [jurisdiction.language]"
        ],
    ),
    Case(
        "empty clause",
        {WHO: body("")},
        [f"{WHO}:2: the clause has no text. [clause.empty]"],
    ),
    Case(
        "paragraph that starts with # and no space, a heading on the page",
        {WHO: body("#1 choice of shoppers: {{ company.name }}.")},
        [
            f"{WHO}:8: a line that starts with # is a heading on the page, even without a space "
            "after the #. Write \\# to show the character, or ### and a space for a sub-heading. "
            "[markdown.heading]"
        ],
    ),
    Case(
        "list item that starts with #",
        {WHO: body("We promise:\n\n- #1 service.")},
        [
            f"{WHO}:10: a line that starts with # is a heading on the page, even without a space "
            "after the #. Write \\# to show the character, or ### and a space for a sub-heading. "
            "[markdown.heading]"
        ],
    ),
    Case(
        "undefined variable",
        {WHO: body("Write to {{ contact.mail }}.")},
        [
            f"{WHO}:8: undefined variable 'contact.mail'. Did you mean 'contact.email'? "
            f"{UNDEFINED_HINT} [variable.undefined]"
        ],
    ),
    Case(
        "template statement",
        {WHO: body("{% for i in range(9) %}{{ company.name }}{% endfor %}")},
        [
            f"{WHO}:8: template statements and comments ({{% ... %}}, {{# ... #}}) are not "
            "allowed; only variables such as {{ company.name }}. [variable.statement]"
        ],
    ),
    Case(
        "class of a string",
        {WHO: body("{{ ''.__class__ }}")},
        [f"{WHO}:8: {PRIVATE.replace('WHAT', '__class__')} [variable.private]"],
    ),
    Case(
        "method resolution order",
        {WHO: body("{{ company.__class__.__mro__ }}")},
        [f"{WHO}:8: {PRIVATE.replace('WHAT', '__mro__')} [variable.private]"],
    ),
    Case(
        "filter",
        {WHO: body("{{ company.name|upper }}")},
        [f"{WHO}:8: {EXPRESSION.replace('WHAT', 'a filter')} [variable.expression]"],
    ),
    Case(
        "call with a huge range",
        {WHO: body("{{ range(10**9) }}")},
        [f"{WHO}:8: {EXPRESSION.replace('WHAT', 'a function call')} [variable.expression]"],
    ),
    Case(
        "huge expansion",
        {
            SITE: SITE_YML + f"  filler: {'x' * 5000}\n",
            WHO: body("{{ filler }} " * 5),
        },
        [
            f"{WHO}:8: the text would be 25,064 characters once variables are filled in, over the "
            "limit of 20,000. Use fewer or shorter variables. [variable.too-long]"
        ],
    ),
    Case(
        "date tag on a word",
        {CHANGE: "summary: Second.\nkind: material\neffective: !!timestamp soon\n"},
        [
            f"{CHANGE}:3: 'soon' cannot be read (not a date). Correct the value, or quote it to "
            "keep it as text. [yaml.value]"
        ],
    ),
    Case(
        "list tag on a word",
        {JURISDICTIONS: JURISDICTIONS_YML.replace("languages: [en]", "languages: !!seq en", 1)},
        [
            f"{JURISDICTIONS}:3: the YAML tag '!!seq' does not fit a plain value. Remove it. [yaml.tag]"
        ],
    ),
    Case(
        "one key written two ways",
        {SITE: SITE_YML + "  1: one\n  1.0: also one\n"},
        [
            f"{SITE}:9: '1.0' is given twice (first on line 8). Keep one of them. [yaml.duplicate-key]"
        ],
    ),
    Case(
        "one key written as a number and as text",
        {
            JURISDICTIONS: JURISDICTIONS_YML
            + "1:\n  name: One\n  languages: [en]\n'1':\n  name: Also one\n  languages: [en]\n"
        },
        [
            f"{JURISDICTIONS}:{len(JURISDICTIONS_YML.splitlines()) + 4}: '1' is given twice "
            f"(first on line {len(JURISDICTIONS_YML.splitlines()) + 1}). Keep one of them. "
            "[yaml.duplicate-key]"
        ],
    ),
    Case(
        "number too long to write out",
        {SITE: SITE_YML + "  big: 0x" + "f" * 4000 + "\n"},
        [
            f"{SITE}:8: '0x{'f' * 37}…' is a number too long to write out. Correct it, or quote "
            "it to keep it as text. [yaml.value]"
        ],
    ),
    Case(
        "lone surrogate written as an escape",
        {SITE: SITE_YML.replace("title: Privacy policy", 'title: "Privacy \\ud800 policy"')},
        [
            f"{SITE}:1: the value contains the character U+D800 (written as an escape), which "
            "cannot be published. Delete it. [file.control-character]"
        ],
    ),
    Case(
        "variable group named with a number",
        {SITE: SITE_YML + "  1: {}\n"},
        [
            f"{SITE}:8: variable '1' has a name clause text cannot write as {{{{ 1 }}}}. Name "
            "variables and their groups with letters, digits and '_', starting with a letter "
            "(true, false and none are values, not names). [site.variable-name]"
        ],
    ),
    Case(
        "a language listed twice, in two cases",
        {JURISDICTIONS: JURISDICTIONS_YML.replace("languages: [en]", "languages: [en, de, DE]", 1)},
        [
            f"{JURISDICTIONS}:3: jurisdiction 'global' lists a language twice. [jurisdiction.language]"
        ],
    ),
    Case(
        "a language tag CLDR has no data for",
        {JURISDICTIONS: JURISDICTIONS_YML.replace("languages: [en]", "languages: [en, tlh]", 1)},
        [
            f"{JURISDICTIONS}:3: 'tlh' has the shape of a language tag, but CLDR has no data for "
            "it (the names, dates and plural rules the site needs). Use a language CLDR knows, "
            "such as 'de' or 'pt-BR'. [jurisdiction.language]"
        ],
    ),
    Case(
        "a company number YAML reads in octal",
        {SITE: SITE_YML + "    number: 01234567\n"},
        [
            f"{SITE}:8: '01234567' is read as the number 342391: YAML reads a number with a "
            'leading 0 in octal. Quote it to keep it as written: "01234567". [yaml.value]'
        ],
    ),
    Case(
        "a time YAML reads in base 60",
        {SITE: SITE_YML + "    hours: 9:30\n"},
        [
            f"{SITE}:8: '9:30' is read as the number 570: YAML reads numbers with ':' in base 60. "
            'Quote it to keep it as written: "9:30". [yaml.value]'
        ],
    ),
    Case(
        "every value YAML misreads in a file, at once",
        # The check used to stop at the first, so each fix revealed the next.
        {SITE: SITE_YML + "    hours: 9:30\n    number: 01234567\n    since: 2026-02-30\n"},
        [
            f"{SITE}:8: '9:30' is read as the number 570: YAML reads numbers with ':' in base 60. "
            'Quote it to keep it as written: "9:30". [yaml.value]',
            f"{SITE}:9: '01234567' is read as the number 342391: YAML reads a number with a "
            'leading 0 in octal. Quote it to keep it as written: "01234567". [yaml.value]',
            f"{SITE}:10: '2026-02-30' cannot be read (day is out of range for month). Correct the "
            "value, or quote it to keep it as text. [yaml.value]",
        ],
    ),
    Case(
        "more misread values than a check reports for one file",
        {SITE: SITE_YML + "".join(f"    n{i}: 0{i + 8:o}\n" for i in range(MAX_REFUSED + 5))},
        [
            f"{SITE}:{8 + i}: '0{i + 8:o}' is read as the number {i + 8}: YAML reads a number "
            f'with a leading 0 in octal. Quote it to keep it as written: "0{i + 8:o}". '
            "[yaml.value]"
            for i in range(MAX_REFUSED)
        ],
    ),
    Case(
        "a variable YAML reads as true",
        {SITE: SITE_YML + "    phone: yes\n"},
        [
            f"{SITE}:8: variable 'contact.phone' must be one value (text, a number or a date), "
            "not true or false (YAML reads yes, no, on and off so too: quote the text). "
            "[site.variables]"
        ],
    ),
    Case(
        "a language in a POSIX spelling",
        {
            JURISDICTIONS: JURISDICTIONS_YML.replace(
                "languages: [en]", "languages: [en, de.UTF-8]", 1
            )
        },
        [
            f"{JURISDICTIONS}:3: 'de.UTF-8' is not a language tag. Use BCP 47 tags such as 'de' "
            "or 'pt-BR'. [jurisdiction.language]"
        ],
    ),
    Case(
        "variable that refers to itself",
        {SITE: SITE_YML + "  loop: '{{ loop }}'\n", WHO: body("Again: {{ loop }}.")},
        [
            f"{SITE}:8: variable 'loop' contains '{{{{' or '{{%'; a variable cannot use other "
            "variables. Write its value out. [site.variable-template]"
        ],
    ),
    Case(
        "expression nested 3000 deep",
        {WHO: body("{{ " + "(" * 3000 + "company.name" + ")" * 3000 + " }}")},
        [
            f"{WHO}:8: the expression is nested too deeply to read. Write variables as "
            "{{ company.name }}. [variable.syntax]"
        ],
    ),
    Case(
        "variable named with a dot, used",
        {SITE: SITE_YML + "  'a.b': x\n", WHO: body("We are {{ a.b }}.")},
        [
            f"{SITE}:8: variable 'a.b' has a name clause text cannot write as {{{{ a.b }}}}. "
            "Name variables and their groups with letters, digits and '_', starting with a letter "
            "(true, false and none are values, not names). [site.variable-name]"
        ],
    ),
    Case(
        "group used as a value",
        {WHO: body("We are {{ company }}.")},
        [
            f"{WHO}:8: 'company' is a group of variables, not one value. Use one of: "
            "company.name. [variable.group]"
        ],
    ),
    Case(
        "markdown bracket bomb",
        {WHO: body("[" * 20_000)},
        [
            f"{WHO}:8: the paragraph has 20000 '[' and '<' characters, over the limit of 100; it "
            "would take too long to render. Split it into shorter paragraphs. "
            "[markdown.too-complex]"
        ],
    ),
    Case(
        "a paragraph of escapes, which take time with the square of their number",
        {WHO: body("Fees: " + "\\$" * 3000 + " and " + "&amp;" * 2001)},
        [
            f"{WHO}:8: the paragraph has 5,001 '\\' and '&' characters, over the limit of "
            "5,000; it would take too long to render. Split it into shorter paragraphs. "
            "[markdown.too-complex]"
        ],
    ),
    Case(
        "markdown emphasis bomb",
        {WHO: body("*" * 40_000 + "x" + "*" * 40_000)},
        [
            f"{WHO}:8: the paragraph nests 20001 elements inside one another (emphasis, quotes or "
            "lists), over the limit of 40; it would take too long to publish. Simplify its "
            "formatting. "
            "[markdown.too-complex]"
        ],
    ),
    Case(
        "quotes nested too deep",
        {WHO: body("> " * 100 + "deeper")},
        [
            f"{WHO}:8: the paragraph nests 101 elements inside one another (emphasis, quotes or "
            "lists), over the limit of 40; it would take too long to publish. Simplify its "
            "formatting. [markdown.too-complex]"
        ],
    ),
    Case(
        "right-to-left override in clause text",
        {WHO: body("We keep order data for \u202e01\u202c years.")},
        [f"{WHO}:8: " + BIDI.format("202E", "RIGHT-TO-LEFT OVERRIDE", "")],
    ),
    Case(
        "right-to-left isolate written as a YAML escape",
        {SITE: SITE_YML.replace("name: Example Shop Ltd.", 'name: "Example \\u2067Shop Ltd."')},
        [f"{SITE}:5: " + BIDI.format("2067", "RIGHT-TO-LEFT ISOLATE", ", written \\u2067")],
    ),
    Case(
        "right-to-left override written as a character reference",
        {WHO: body("We keep order data for &#x202E;01&#x202C; years.")},
        [f"{WHO}:8: " + BIDI.format("202E", "RIGHT-TO-LEFT OVERRIDE", ", written &#x202E;")],
    ),
    Case(
        "a value Markdown reads as a numbered list where a quote begins with it",
        {
            SITE: SITE_YML.replace("Example Shop Ltd.", "1. FC Köln Fanshop GmbH"),
            WHO: body("Who we are:\n\n> {{ company.name }} runs this shop."),
        },
        [f"{WHO}:10: {BEGINS_WITH_A_LIST}"],
    ),
    Case(
        "a value Markdown reads as a numbered list where a paragraph begins with it",
        {SITE: SITE_YML.replace("Example Shop Ltd.", "1. FC Köln Fanshop GmbH")},
        [f"{WHO}:8: {BEGINS_WITH_A_LIST}"],
    ),
    Case(
        "a value with a line Markdown reads as a heading",
        {
            SITE: SITE_YML + "  post: |-\n    Harbour House\n    #12 Harbour Road\n",
            WHO: body("Write to us by e-mail, {{ contact.email }},\nor by post to {{ post }}."),
        },
        [
            f"{WHO}:9: the value of 'post' in policies/site.yml has a line that Markdown reads "
            "as a list item, a heading, a quote, a table or a rule (or a blank line, or an "
            "indent that makes code), which breaks apart the text it is put into. Write the "
            "value on one line, or a backslash before the character that starts such a line. "
            "[variable.structure]"
        ],
    ),
    Case(
        "two link definitions on consecutive lines, joined into one paragraph",
        {
            WHO: body(
                "Write to [our team][1] or read [the FAQ][faq].\n\n"
                "[1]: https://shop.example/contact\n[faq]: https://shop.example/faq"
            )
        },
        [
            f"{WHO}:10: a link definition ('[name]: address') shares its paragraph with other "
            "lines, which are joined into one: it would show as text, and the links that use it "
            "would not be links. Write each link where it is used, [text](address), or put a "
            "blank line before and after each definition. [markdown.link-definition]"
        ],
    ),
    Case(
        "a table, whose lines are joined into one paragraph",
        {WHO: body("Cookies we set:\n\n| Cookie | Purpose |\n|---|---|\n| _ga | Analytics |")},
        [
            f"{WHO}:11: a table's lines are joined into one paragraph, as every paragraph's are "
            "(each is one message to translate): it would show as its text, bars and dashes "
            "included. Write its rows as a list, or as sub-headings with a paragraph each. "
            "[markdown.table]"
        ],
    ),
    Case(
        "a paragraph whose first line is only a list marker, joined into a list item",
        {WHO: body("Order data:\n\n-\n0 days after delivery.")},
        [f"{WHO}:10: {MARKER_ALONE}"],
    ),
    Case(
        "a paragraph whose first line is only a number and a dot, joined into a numbered list",
        {WHO: body("2030.\nis the year we delete the order data we keep.")},
        [f"{WHO}:8: {MARKER_ALONE}"],
    ),
    Case(
        "a line of dashes under a paragraph's first line, a heading to Markdown",
        {WHO: body("How long we keep data\n---\nSix years.")},
        [
            f"{WHO}:9: a line of only '-' or '=' under a line of text makes that line a heading "
            "to Markdown, but a paragraph's lines are joined into one: the page would show the "
            "dashes as text after the words. Write a sub-heading on a line of its own, "
            "'### words', or remove the line. [markdown.heading-underline]"
        ],
    ),
    Case(
        "a rule among a paragraph's lines",
        {WHO: body("We keep order data\nfor six years.\n***\nThen we delete it.")},
        [f"{WHO}:10: {RULE}"],
    ),
    Case(
        "a rule of stars with spaces among a paragraph's lines, read as a list item",
        {WHO: body("We keep order data\nfor six years.\n* * *\nThen we delete it.")},
        [f"{WHO}:10: {RULE}"],
    ),
    Case(
        "a rule of dashes with spaces, indented, beginning a paragraph, read as a list item",
        {WHO: body("We keep order data.\n\n   - - -  \nThen we delete it.")},
        [f"{WHO}:10: {RULE}"],
    ),
    Case(
        "a rule of stars with spaces alone between paragraphs, read as a list item",
        {WHO: body("We keep order data.\n\n* * * *\n\nThen we delete it.")},
        [f"{WHO}:10: {RULE}"],
    ),
    Case(
        "a rule of underscores with spaces among a paragraph's lines",
        {WHO: body("We keep order data\nfor six years.\n_ _ _\nThen we delete it.")},
        [f"{WHO}:10: {RULE}"],
    ),
    Case(
        "two clause files whose paths differ only in case",
        {"policies/clauses/Who.md": WHO_MD.replace("id: who-we-are", "id: we-sell-data")},
        [
            "policies/clauses/who.md: the path differs from policies/clauses/Who.md only in "
            "case: a checkout on macOS or Windows keeps one of the two files, so an editor "
            "there checks and previews another policy than the one published. Rename or "
            "remove one of them. [file.case]"
        ],
    ),
    Case(
        "list markers nested on one line, too deep",
        {WHO: body("1. " * 100 + "deeper")},
        [
            f"{WHO}:8: the paragraph nests 198 elements inside one another (emphasis, quotes or "
            "lists), over the limit of 40; it would take too long to publish. Simplify its "
            "formatting. [markdown.too-complex]"
        ],
    ),
    Case(
        "list markers nested on one line, deeper than Python-Markdown can parse",
        {WHO: body("- " * 1000 + "deeper")},
        [
            f"{WHO}:8: the paragraph nests more elements inside one another (emphasis, quotes or "
            "lists) than can be read, over the limit of 40; it would take too long to publish. "
            "Simplify its formatting. [markdown.too-complex]"
        ],
    ),
    Case(
        "change.yml without summary",
        {CHANGE: "kind: material\neffective: 2026-02-01\n"},
        [
            f"{CHANGE}:1: change.yml has no 'summary'. Say in one or two sentences what changes "
            "for shoppers. [change.summary]"
        ],
    ),
    Case(
        "change.yml with an empty summary and kind",
        {CHANGE: "effective: 2026-02-01\n\nsummary: ''\nkind:\n"},
        [
            f"{CHANGE}:3: 'summary' is empty. Say in one or two sentences what changes for "
            "shoppers. [change.summary]",
            f"{CHANGE}:4: 'kind' must be 'material' or 'editorial', or left out (material). "
            "[change.kind]",
        ],
    ),
    Case(
        "change.yml with a list for its summary and yes for its kind",
        {CHANGE: "summary:\n  - Shorter.\nkind: yes\neffective: 2026-02-01\n"},
        [
            f"{CHANGE}:1: 'summary' must be text. [yaml.type]",
            f"{CHANGE}:3: 'kind' must be 'material' or 'editorial', not true or false (YAML reads "
            "yes, no, on, off, true and false unquoted as true or false). [change.kind]",
        ],
    ),
    Case(
        "change.yml without effective date",
        {CHANGE: "summary: Clearer wording.\nkind: editorial\n"},
        [
            f"{CHANGE}:1: change.yml needs 'effective', the date the change takes effect, written "
            "YYYY-MM-DD. [change.effective]"
        ],
    ),
    Case(
        "change.yml impossible date",
        {CHANGE: "summary: Clearer wording.\nkind: editorial\neffective: 2026-13-45\n"},
        [
            f"{CHANGE}:3: '2026-13-45' cannot be read (month must be in 1..12). Correct the "
            "value, or quote it to keep it as text. [yaml.value]"
        ],
    ),
    Case(
        "change.yml bad kind",
        {CHANGE: "summary: Clearer wording.\nkind: cosmetic\neffective: 2026-02-01\n"},
        [f"{CHANGE}:2: 'kind' must be 'material' or 'editorial', not 'cosmetic'. [change.kind]"],
    ),
    Case(
        "site.yml is a list",
        {SITE: "- title\n- variables\n"},
        [f"{SITE}:1: the file must be a YAML mapping of keys to values. [yaml.not-a-mapping]"],
    ),
    Case(
        "jurisdictions.yml deleted",
        {JURISDICTIONS: None},
        [
            f"{JURISDICTIONS}: {JURISDICTIONS} is missing. Create it (see docs/authoring.md). "
            "[file.missing]"
        ],
    ),
    Case(
        "jurisdiction is not a mapping",
        # Only the entry is reported, not every clause or variant naming 'eu'.
        {JURISDICTIONS: "global:\n  name: Worldwide\n  languages: [en]\neu: yes\n"},
        [
            f"{JURISDICTIONS}:4: jurisdiction 'eu' must be a mapping with name and languages. "
            "[jurisdiction.not-a-mapping]",
        ],
    ),
]


# Translation catalogs: the German catalog of a bilingual project, broken in each way a PO file
# written by hand or by a tool can break.

PO = "locales/de/LC_MESSAGES/policy.po"
BILINGUAL = JURISDICTIONS_YML.replace("languages: [en]", "languages: [en, de]")


def _german_catalog() -> str:
    files = {path: text.encode() for path, text in BASE_FILES.items()}
    files[JURISDICTIONS] = BILINGUAL.encode()
    policy, problems = read_policy(files)
    assert policy is not None, problems
    return po_catalog(policy, "de", lambda context, text: f"DE {text}").decode()


GERMAN = _german_catalog()
"""A complete German catalog: every title and block translated."""


def po_line(text: str) -> int:
    """The line of the German catalog that holds `text` (which must be on exactly one line)."""
    lines = [n for n, line in enumerate(GERMAN.splitlines(), start=1) if text in line]
    assert len(lines) == 1, (text, lines)
    return lines[0]


def german(old: str, new: str) -> str:
    """The German catalog with one piece replaced."""
    assert GERMAN.count(old) == 1, old
    return GERMAN.replace(old, new)


WHO_TITLE = 'msgstr "DE Who we are"'
WHO_BODY = 'msgstr "DE {{ company.name }} runs this shop. Write to {{ contact.email }}."'
SYNTAX_FIX = "Fix the PO syntax (a quote or a msgid/msgstr line is off). [catalog.syntax]"
KEEP = (
    "compared with its msgid. Keep exactly the msgid's variables, written as there (they are "
    "filled in on the page). [translation.variables]"
)
STRUCTURE = (
    "the translation's Markdown makes other blocks than its msgid's (a blank line, a line that "
    "starts a list item, a heading, a quote, a table or a rule, or an indent of four spaces, "
    "which makes code): a message is one paragraph, list item or heading, as its msgid is. Join "
    "its lines, remove the indent, or write \\ before the character that starts such a line (in "
    "the .po file itself \\\\, as a PO file writes a backslash; a PO editor does that for you). "
    "[translation.structure]"
)
APPENDED = len(GERMAN.splitlines()) + 2
"""The msgctxt line of an entry appended after a blank line (its msgid is on the next line)."""

PO_CASES = [
    Case(
        "string not closed",
        {PO: german(WHO_TITLE, 'msgstr "DE Who we are')},
        [
            f"{PO}:{po_line(WHO_TITLE)}: the catalog cannot be read: a string is not closed or has "
            f'an unescaped " inside (write \\"). {SYNTAX_FIX}'
        ],
    ),
    Case(
        "misspelled keyword",
        {PO: german(WHO_TITLE, 'msgstring "DE Who we are"')},
        [
            f"{PO}:{po_line(WHO_TITLE)}: the catalog cannot be read: Unknown or misformatted "
            f"keyword. {SYNTAX_FIX}"
        ],
    ),
    Case(
        "unsupported escape",
        {PO: german(WHO_TITLE, 'msgstr "DE \\q Who we are"')},
        [
            f"{PO}:{po_line(WHO_TITLE)}: the catalog cannot be read: the escape \\q is not "
            f'supported (only \\n, \\t, \\r, \\", \\\\); write the character itself, or \\\\q for a '
            "backslash before it (a Markdown escape: a PO file writes a backslash as \\\\). "
            f"{SYNTAX_FIX}"
        ],
    ),
    Case(
        "not a catalog at all",
        {PO: "Dies ist keine Übersetzung.\n"},
        [f"{PO}:1: the catalog cannot be read: Unknown or misformatted keyword. {SYNTAX_FIX}"],
    ),
    Case(
        "catalog in latin-1",
        {PO: german("DE Who we are", "DE Wer wir sind, Café").encode("latin-1")},
        [
            f"{PO}:{po_line(WHO_TITLE)}: the file is not valid UTF-8 (byte 0xe9). {NOT_TEXT} "
            "[file.encoding]"
        ],
    ),
    Case(
        "NUL byte in a translation",
        {PO: german("DE Who we are", "DE Who\x00we are")},
        [
            f"{PO}:{po_line(WHO_TITLE)}: the file contains the control character U+0000, which "
            "cannot be published. Delete it. [file.control-character]"
        ],
    ),
    Case(
        "catalog over 1 MB",
        {PO: GERMAN + "# " + "padding " * 130_000 + "\n"},
        [
            f"{PO}: the file is {len(GERMAN) + 2 + 8 * 130_000 + 1:,} bytes, over the limit of "
            "1,000,000. Split it into smaller files. [file.too-large]"
        ],
    ),
    Case(
        "right-to-left override in a translation",
        {PO: german(WHO_TITLE, 'msgstr "DE Who \u202ewe are"')},
        [f"{PO}:{po_line(WHO_TITLE)}: " + BIDI.format("202E", "RIGHT-TO-LEFT OVERRIDE", "")],
    ),
    Case(
        "invalid Plural-Forms",
        {PO: german("plural=(n != 1);", "plural=(n != 1)(;")},
        [
            f"{PO}:{po_line('Plural-Forms')}: the Plural-Forms header 'nplurals=2; "
            "plural=(n != 1)(;' is not valid (msgfmt rejects it). Write 'Plural-Forms: "
            "nplurals=2; plural=(n != 1);'. [catalog.plural-forms]"
        ],
    ),
    Case(
        "msgid deleted, its msgstr left for the next message to take",
        {PO: german('msgid "Who we are"\n', "")},
        [
            f"{PO}:{po_line(WHO_TITLE) - 1}: the catalog cannot be read: a msgstr with no msgid "
            f"before it. {SYNTAX_FIX}"
        ],
    ),
    Case(
        "header line folded into the date before it",
        {
            PO: german(
                '"POT-Creation-Date: 2026-01-01 00:00+0000\\n"\n',
                '"POT-Creation-Date: 2026-01-01 00:00+0000\\n"\n" by hand\\n"\n',
            )
        },
        [
            f"{PO}:{po_line('POT-Creation-Date')}: the catalog cannot be read: the header's "
            "POT-Creation-Date field cannot be read ('2026-01-01 00:00+0000 by hand'); a header "
            "line that starts with a space continues the field before it. Write the date as "
            "translation tools do: YYYY-MM-DD HH:MM+ZZZZ. [catalog.syntax]"
        ],
    ),
    Case(
        "nplurals that is not a number",
        {PO: german("nplurals=2;", "nplurals=two;")},
        [
            f"{PO}:{po_line('Plural-Forms')}: the catalog cannot be read: the header's "
            "Plural-Forms field cannot be read ('nplurals=two; plural=(n != 1);'). Write it as "
            "'Plural-Forms: nplurals=2; plural=(n != 1);', the rule for de, or delete the line: "
            "'policy i18n update' then writes it. [catalog.syntax]"
        ],
    ),
    Case(
        "gettext's placeholder Plural-Forms, which the fix must not repeat",
        {PO: german("nplurals=2; plural=(n != 1);", "nplurals=INTEGER; plural=EXPRESSION;")},
        [
            f"{PO}:{po_line('Plural-Forms')}: the catalog cannot be read: the header's "
            "Plural-Forms field cannot be read ('nplurals=INTEGER; plural=EXPRESSION;'). Write "
            "it as 'Plural-Forms: nplurals=2; plural=(n != 1);', the rule for de, or delete the "
            "line: 'policy i18n update' then writes it. [catalog.syntax]"
        ],
    ),
    Case(
        "nplurals of 5,000 digits after a blank header line",
        {
            PO: german(
                '"Plural-Forms: nplurals=2;',
                '"\\n"\n"Plural-Forms: nplurals=' + "9" * 5000 + ";",
            )
        },
        [
            f"{PO}:{po_line('Plural-Forms') + 1}: the Plural-Forms header 'nplurals="
            + "9" * 5000
            + "; plural=(n != 1);' is not valid (msgfmt rejects it). Write 'Plural-Forms: "
            "nplurals=2; plural=(n != 1);'. [catalog.plural-forms]"
        ],
    ),
    Case(
        "more plural forms than nplurals",
        {
            PO: GERMAN + '\nmsgctxt "who-we-are"\nmsgid "one order"\nmsgid_plural "%(n)s orders"\n'
            'msgstr[0] "eine Bestellung"\nmsgstr[5] "%(n)s Bestellungen"\n'
        },
        [
            f"{PO}:{APPENDED + 1}: the catalog cannot be read: msg has more translations than "
            f"num_plurals of catalog. {SYNTAX_FIX}"
        ],
    ),
    Case(
        "message defined twice",
        {PO: GERMAN + '\nmsgctxt "who-we-are"\nmsgid "Who we are"\nmsgstr "Wer wir sind"\n'},
        [
            f"{PO}:{APPENDED + 1}: this message is already defined on line "
            f"{po_line(WHO_TITLE) - 1}; msgfmt and translation tools reject duplicates. Delete "
            "one of the two entries. [catalog.duplicate]"
        ],
    ),
    Case(
        "translation that splits its paragraph and starts a list",
        {PO: german(WHO_TITLE, 'msgstr "Wer wir sind\\n\\n- und was wir tun"')},
        [f"{PO}:{po_line(WHO_TITLE) - 1}: {STRUCTURE}"],
    ),
    Case(
        "translation that starts a heading",
        {PO: german(WHO_TITLE, 'msgstr "### Wer wir sind"')},
        [f"{PO}:{po_line(WHO_TITLE) - 1}: {STRUCTURE}"],
    ),
    Case(
        "translation that starts a heading with no space after its #",
        {PO: german(WHO_TITLE, 'msgstr "#1 Wer wir sind"')},
        [f"{PO}:{po_line(WHO_TITLE) - 1}: {STRUCTURE}"],
    ),
    Case(
        "translation whose second line starts a heading with no space after its #",
        {
            PO: german(
                WHO_BODY,
                'msgstr "DE {{ company.name }} runs\\n#this shop. Write to {{ contact.email }}."',
            )
        },
        [f"{PO}:{po_line(WHO_BODY) - 1}: {STRUCTURE}"],
    ),
    Case(
        "translation indented four spaces, which makes code of it",
        {
            PO: german(
                WHO_BODY,
                'msgstr "    DE {{ company.name }} runs this shop. Write to {{ contact.email }}."',
            )
        },
        [f"{PO}:{po_line(WHO_BODY) - 1}: {STRUCTURE}"],
    ),
    Case(
        "translation that makes a table with no pipe before its delimiter row",
        {
            PO: german(
                WHO_BODY,
                'msgstr "DE {{ company.name }} | runs\\n--|--\\nthis shop | {{ contact.email }}"',
            )
        },
        [f"{PO}:{po_line(WHO_BODY) - 1}: {STRUCTURE}"],
    ),
    Case(
        "translation with a carriage return that would start a list item",
        {PO: german(WHO_TITLE, 'msgstr "Wer wir sind\\r- und was wir tun"')},
        [
            f"{PO}:{po_line(WHO_TITLE) - 1}: the translation has a carriage return (\\r, often "
            "pasted from another program), which the page would read as a line break. Remove it "
            "(write \\n where the msgid has one). [catalog.carriage-return]"
        ],
    ),
    Case(
        "translation drops a variable",
        {
            PO: german(
                WHO_BODY,
                'msgstr "DE Wir betreiben den Laden. Schreiben Sie an {{ contact.email }}."',
            )
        },
        [f"{PO}:{po_line(WHO_BODY) - 1}: the translation drops {{{{ company.name }}}} {KEEP}"],
    ),
    Case(
        "translation adds a variable",
        {PO: german(WHO_TITLE, 'msgstr "Wer {{ company.name }} ist"')},
        [f"{PO}:{po_line(WHO_TITLE) - 1}: the translation adds {{{{ company.name }}}} {KEEP}"],
    ),
    Case(
        "translation with an attribute trick",
        {PO: german(WHO_TITLE, "msgstr \"Wer {{ ''.__class__ }} ist\"")},
        [
            f"{PO}:{po_line(WHO_TITLE) - 1}: the translation adds {{{{ ''.__class__ }}}} {KEEP}",
            f"{PO}:{po_line(WHO_TITLE) - 1}: {PRIVATE.replace('WHAT', '__class__')} "
            "[variable.private]",
        ],
    ),
    Case(
        "translation with a template statement",
        {PO: german(WHO_TITLE, 'msgstr "{% for x in range(9) %}Wer{% endfor %}"')},
        [
            f"{PO}:{po_line(WHO_TITLE) - 1}: template statements and comments ({{% ... %}}, "
            "{# ... #}) are not allowed; only variables such as {{ company.name }}. "
            "[variable.statement]"
        ],
    ),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Project, dict[str, bytes]]:
    """A project built once, and its site's files."""
    project = Project(tmp_path_factory.mktemp("corpus") / "built")
    project.commit("First version", {**BASE_FILES, VARIANT: EU_VARIANT})
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    return project, snapshot(project.root / "site")


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    exception: BaseException | None
    stderr: str
    site: dict[str, bytes]
    staging: list[str]


def _break(built: Project, case: Case, root: Path) -> Project:
    """A copy of the built project with the case's breakage committed."""
    shutil.copytree(built.root, root, symlinks=True)
    project = Project(root)  # re-initializing an existing repository changes nothing
    files = {
        path: content.encode("utf-8") if isinstance(content, str) else content
        for path, content in case.files.items()
    }
    project.commit(f"Break: {case.name}", files)
    return project


def _build(project: Project) -> Outcome:
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    site = project.root / "site"
    return Outcome(
        result.exit_code, result.exception, result.stderr, snapshot(site), staging_folders(site)
    )


@pytest.fixture(scope="module")
def built_german(tmp_path_factory) -> tuple[Project, dict[str, bytes]]:
    """A bilingual project with a complete German catalog, built once, and its site's files."""
    project = Project(tmp_path_factory.mktemp("corpus") / "built-de")
    project.commit("First version", {**BASE_FILES, JURISDICTIONS: BILINGUAL, PO: GERMAN})
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    assert "DE Who we are" in project.read("site/global/de/index.html")
    return project, snapshot(project.root / "site")


def test_corpus_has_at_least_thirty_cases():
    assert len(CASES) >= 30
    assert len({case.name for case in CASES + PO_CASES}) == len(CASES) + len(PO_CASES)


@pytest.mark.parametrize("case", PO_CASES, ids=[case.name for case in PO_CASES])
def test_broken_catalog_fails_with_location_and_keeps_site(case, built_german, tmp_path):
    project, site_before = built_german
    outcome = _build(_break(project, case, tmp_path / "case"))
    assert isinstance(outcome.exception, SystemExit), outcome.exception
    assert outcome.stderr.splitlines() == case.expected
    assert outcome.exit_code == 1
    assert outcome.site == site_before
    assert outcome.staging == []


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_input_fails_with_location_and_keeps_site(case, built, tmp_path):
    project, site_before = built
    outcome = _build(_break(project, case, tmp_path / "case"))
    # An exception other than the exit means a traceback for the user.
    assert isinstance(outcome.exception, SystemExit), outcome.exception
    assert outcome.stderr.splitlines() == case.expected
    assert outcome.exit_code == 1
    assert outcome.site == site_before
    assert outcome.staging == []


SUBPROCESS_CASES = ["alias bomb in site.yml", "expression nested 3000 deep", "file over 1 MB"]


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_broken_input_as_a_real_command(name, built, tmp_path):
    project, site_before = built
    case = next(case for case in CASES if case.name == name)
    broken = _break(project, case, tmp_path / "case")
    result = broken.policy("build")
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == case.expected
    assert result.returncode == 1
    assert snapshot(broken.root / "site") == site_before


def test_symlinked_sources_are_read_as_links_never_followed(make_project, tmp_path):
    """A clause that links to /dev/zero or to a secret outside the project: the check reads the
    link as git stores it (its target's path), so it neither hangs nor shows the secret."""
    secret = tmp_path / "secret.txt"
    secret.write_text("---\nid: top-secret\n---\nTOP SECRET\n", encoding="utf-8")
    project = make_project()
    (project.root / "policies/clauses/zero.md").symlink_to("/dev/zero")
    (project.root / "policies/clauses/secret.md").symlink_to(secret)
    header = (
        ": a clause file must start with a '---' line, then its YAML header, then another '---' "
        "line. [clause.front-matter]"
    )
    expected = [f"policies/clauses/secret.md:1{header}", f"policies/clauses/zero.md:1{header}"]
    check = project.policy("check")
    assert check.returncode == 1
    assert check.stderr.splitlines()[:-1] == expected
    assert "TOP SECRET" not in check.stderr and "top-secret" not in check.stderr
    project.commit("Links")
    build = project.policy("build")
    assert build.returncode == 1
    assert build.stderr.splitlines() == expected


def test_a_clause_linked_to_another_says_what_a_link_is_to_git(make_project):
    """A link to a clause, made to share it, is the path it points to for git: the error says so,
    and how one clause serves several jurisdictions; a target that is no plain path (here with
    a terminal escape) is not quoted back."""
    project = make_project()
    (project.root / "policies/clauses/who-eu.md").symlink_to("who.md")
    (project.root / "policies/clauses/odd.md").symlink_to("\x1b[31mred.md")
    check = project.policy("check")
    assert check.returncode == 1
    odd, linked, _ = check.stderr.splitlines()
    assert linked.startswith("policies/clauses/who-eu.md:1: a clause file must start with")
    assert "It holds only 'who.md': a symbolic link, which git keeps as the path" in linked
    assert "'jurisdictions' list" in linked
    assert odd.startswith("policies/clauses/odd.md:1: ") and "It holds only" not in odd
    assert "\x1b" not in check.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["build"],
        ["coverage"],
        ["serve"],
        ["diff", "HEAD"],
        ["version-at", "eu", "en", "2026-01-01"],
        ["i18n", "extract"],
        ["i18n", "update"],
        ["i18n", "status"],
    ],
)
def test_a_project_folder_that_does_not_exist_is_named(tmp_path, command) -> None:
    missing = tmp_path / "no-such-project"
    result = CliRunner().invoke(main, [*command, "--project", str(missing)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"Directory '{missing}' does not exist." in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["build", "--rev", "no-such-branch"],
        ["version-at", "eu", "en", "2026-01-01", "--rev", "no-such-branch"],
    ],
)
def test_a_revision_that_does_not_exist_is_named(make_project, command) -> None:
    # It used to be taken for a history without the policy: "no commit contains policies/ yet".
    project = make_project()
    result = project.policy(*command)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "no-such-branch: there is no revision 'no-such-branch' in this repository. Name a "
        "commit, branch or tag ('git log --oneline' lists them). [git.revision]"
    )
    assert not (project.root / "site").exists()


NOT_COMMITS = [
    ("HEAD:policies/site.yml", "a file (a git blob)"),
    ("HEAD^{tree}", "a folder (a git tree)"),
    ("tree-tag", "a folder (a git tree)"),
]
"""Revisions that name something other than a commit, and what they name."""


@pytest.mark.parametrize(("rev", "what"), NOT_COMMITS, ids=["blob", "tree", "tag of a tree"])
@pytest.mark.parametrize(
    ("command", "code"),
    [
        (["build", "--rev"], "git.revision"),
        (["version-at", "eu", "en", "2026-01-01", "--rev"], "git.revision"),
        (["diff", "HEAD"], "diff.revision"),
        (["diff"], "diff.revision"),
    ],
    ids=["build", "version-at", "diff to", "diff from"],
)
def test_a_revision_that_is_no_commit_is_named(make_project, rev, what, command, code) -> None:
    # A file was a GitCommandError traceback ('git ls-tree': not a tree object); a folder was
    # "no commit contains policies/ yet" for build, and compared as if it were a commit by diff.
    project = make_project()
    project.git("tag", "-a", "-m", "A folder", "tree-tag", "HEAD^{tree}")
    result = CliRunner().invoke(main, [*command, rev, "--project", str(project.root)])
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{rev}: '{rev}' is {what}, not a commit. Name a commit, branch or tag ('git log "
        f"--oneline' lists them). [{code}]"
    ]
    assert not (project.root / "site").exists()


@pytest.mark.parametrize(("rev", "what"), NOT_COMMITS, ids=["blob", "tree", "tag of a tree"])
def test_a_check_base_that_is_no_commit_is_named(make_project, rev, what) -> None:
    # A folder was taken as a base to compare with; a file was a traceback.
    project = make_project()
    project.git("tag", "-a", "-m", "A folder", "tree-tag", "HEAD^{tree}")
    result = project.policy("check", "--base", rev)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"--base '{rev}' is {what}, not a commit. Name a commit, branch or tag to compare with "
        "('git log --oneline' lists them). [git.revision]",
        "1 error, 0 warnings",
    ]


@pytest.mark.parametrize("rev", ["HEAD:policies/nothing.md", "HEAD@{99}"])
def test_a_revision_git_cannot_find_is_no_traceback(make_project, rev) -> None:
    # GitPython read these itself, with a KeyError and an IndexError.
    project = make_project()
    result = CliRunner().invoke(main, ["diff", rev, "--project", str(project.root)])
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.stderr.splitlines() == [
        f"{rev}: there is no revision '{rev}' in this repository. Name a commit, branch or tag "
        "('git log --oneline' lists them). [diff.revision]"
    ]


def test_an_annotated_tag_names_its_commit(make_project) -> None:
    project = make_project()
    first = project.git("rev-parse", "HEAD").strip()
    project.git("tag", "-a", "-m", "Published", "published")
    project.commit("Second", {"policies/change.yml": change_yml("Second.")})
    result = CliRunner().invoke(main, ["diff", "published", "HEAD", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert f"published ({first[:12]})" in result.stdout
    build = CliRunner().invoke(
        main, ["build", "--rev", "published", "--project", str(project.root)]
    )
    assert build.exit_code == 0, build.output


def test_more_jobs_than_documents_start_no_idle_processes(tmp_path) -> None:
    from generator.build import BuildOptions
    from generator.plugin import PolicyPlugin

    plugin = PolicyPlugin()
    plugin.load_config({})

    def jobs(items: int, option: int) -> int:
        return plugin.jobs(items, BuildOptions(project_dir=tmp_path, jobs=option))

    assert jobs(2, 1000) == 2
    assert jobs(40, 3) == 3
    assert jobs(1, 2) == 1


@pytest.mark.parametrize(
    "address",
    [
        "ftp://shop.example/",
        "shop.example/privacy",
        "https://",
        'https://shop.example/"><script>alert(1)</script>/',
        "https://shop.example/privacy policy/",
        "https://shop.example/\x00/",
    ],
)
def test_a_site_url_that_is_no_web_address_is_a_usage_error(tmp_path, address) -> None:
    result = CliRunner().invoke(main, ["build", "--project", str(tmp_path), "--site-url", address])
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '--site-url': '{address}' is not a web address." in result.stderr


@pytest.mark.parametrize(
    "address", ["https://shop.example/policy/#top", "https://shop.example/policy/?lang=en"]
)
def test_a_site_url_with_a_query_or_fragment_is_refused_from_either_place(
    make_project, address
) -> None:
    """Every page's address is the site's with the page's path added: after a query or a
    fragment, that makes no address (`https://shop.example/policy/#top/eu/en/`)."""
    project = make_project()
    result = CliRunner().invoke(
        main, ["build", "--project", str(project.root), "--site-url", address]
    )
    assert result.exit_code == 2, result.output
    assert f"'{address}' has a query or fragment ('?' or '#')" in result.stderr
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"site_url: {address}\n", "utf-8")
    line = len(config.read_text(encoding="utf-8").splitlines())
    result = project.policy("build")
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"mkdocs.yml:{line}: '{address}' has a query or fragment ('?' or '#'), after which no "
        "page's path can be added."
    )
    assert not (project.root / "site").exists()


STARTS_MKDOCS = pytest.mark.parametrize(
    "command",
    [("build",), ("serve", "--dev-addr", "127.0.0.1:8999")],
    ids=["build", "serve"],
)
"""The commands that load the site's MkDocs configuration (serve fails before it listens)."""


@STARTS_MKDOCS
@pytest.mark.parametrize("committed", [False, True], ids=["deleted", "deletion committed"])
def test_a_project_without_its_policies_folder_is_told_so(make_project, committed, command) -> None:
    # MkDocs used to refuse first, with its own configuration error about 'docs_dir'.
    project = make_project()
    assert project.policy("build").returncode == 0
    site = snapshot(project.root / "site")
    shutil.rmtree(project.root / "policies")
    if committed:
        project.commit("Remove the policy")
    result = project.policy(*command)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "policies: there is no folder policies/ in the project: it holds the clauses the site is "
        "built from. Restore it from the history, or create it (see docs/authoring.md). "
        "[file.missing]"
    )
    assert snapshot(project.root / "site") == site


@STARTS_MKDOCS
def test_a_site_without_the_policy_plugin_is_told_so(make_project, command) -> None:
    project = make_project()
    config = project.root / "mkdocs.yml"
    assert "  - policy\n" in config.read_text()
    config.write_text(config.read_text().replace("  - policy\n", ""))
    result = project.policy(*command)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "mkdocs.yml: the 'policy' plugin is not enabled. Add '- policy' under 'plugins'. "
        "[mkdocs.plugin]"
    )
    assert not (project.root / "site").exists()


@pytest.mark.parametrize(
    "epoch",
    [
        *("99999999999999999", "253402300799", "4294967296", "-99999999999", "-1", "soon"),
        # Malformed, though Python's int reads them (the specification asks for a refusal).
        *("+1798761600", " 1798761600", "1_798_761_600", "\u0661\u0667\u0669\u0668"),
    ],
)
@pytest.mark.parametrize(
    "command",
    [["check"], ["build"], ["version-at", "eu", "en", "2026-01-01"], ["i18n", "extract"]],
    ids=["check", "build", "version-at", "i18n extract"],
)
def test_a_source_date_epoch_out_of_range_is_named(make_project, epoch, command) -> None:
    # 99999999999999999 was an OSError from the date conversion; a date after 2106 a
    # struct.error from the gzip header of sitemap.xml.gz; a negative one "must be a number".
    project = make_project()
    result = CliRunner().invoke(
        main, [*command, "--project", str(project.root)], env={"SOURCE_DATE_EPOCH": epoch}
    )
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    # A check reports it as it reports every problem, with its count line.
    counted = ["1 error, 0 warnings"] if command == ["check"] else []
    assert result.stderr.splitlines() == [
        "SOURCE_DATE_EPOCH must be a whole number of seconds from 0 (1970-01-01) to 4294967295 "
        f"(2106-02-07), not '{epoch}'. Set it to the day to build for, such as "
        "$(date -u -d 2027-01-01 +%s), or unset it to date the build by its newest commit. "
        "[build]",
        *counted,
    ]
    assert not (project.root / "site").exists()
    assert not (project.root / "locales").exists()


def test_the_last_source_date_epoch_dates_the_sitemap_index(make_project) -> None:
    project = make_project({".gitignore": "/site/\n"})
    result = project.policy("build", "--no-cache", env={"SOURCE_DATE_EPOCH": "4294967295"})
    assert result.returncode == 0, result.stderr
    header = (project.root / "site" / "sitemap.xml.gz").read_bytes()[:10]
    assert int.from_bytes(header[4:8], "little") == 4294967295


@STARTS_MKDOCS
@pytest.mark.parametrize(
    ("language", "hint"),
    [
        ("zh-Hans", " (did you mean 'zh', 'zh-Hant' or 'zh-TW'?)"),
        ("pt-br", " (did you mean 'pt-BR' or 'pt'?)"),
        ("EN", " (did you mean 'en'?)"),
        ("zz-bogus", ""),
    ],
)
def test_a_theme_language_the_theme_lacks_is_named(make_project, command, language, hint) -> None:
    # The theme failed with a TemplateNotFound traceback ('partials/languages/zh-Hans.html').
    # zh-Hans and pt-br are how jurisdictions.yml writes these languages; Material's names differ.
    import material

    project = make_project()
    config = project.root / "mkdocs.yml"
    lines = config.read_text().splitlines(keepends=True)
    line = lines.index("  language: en\n") + 1
    lines[line - 1] = f"  language: {language}\n"
    config.write_text("".join(lines))
    folder = Path(material.__file__).parent / "templates" / "partials" / "languages"
    result = project.policy(*command)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"mkdocs.yml:{line}: the theme has no language '{language}'{hint}. Set 'language' under "
        f"'theme' to one of the theme's languages: the names of the files in {folder}. "
        "[mkdocs.theme]"
    ]
    assert not (project.root / "site").exists()


def test_text_no_check_has_seen_that_nests_too_deep_is_published_as_text() -> None:
    """A translation or an old commit is not checked before it renders: text nested deeper than
    ten times the check's limit shows as its plain text, instead of holding the theme's search
    indexing for minutes (its time grows with the square of the depth)."""
    deep = "*" * 1_000 + "x" + "*" * 1_000
    assert markup.markdown_nesting(deep) == 501
    assert markup.to_html(f"Intro.\n\n{deep}") == f"<p>Intro.</p><p>{deep}</p>"
    shallow = "*" * 20 + "x" + "*" * 20
    assert markup.to_html(shallow) == "<p>" + "<strong>" * 10 + "x" + "</strong>" * 10 + "</p>"
    # List markers nest on one line too: below what Python-Markdown can parse, and beyond it
    # (a RecursionError, a traceback from the check and the build).
    for listed in ("- " * 300 + "x", "- " * 1_000 + "x", "> " * 20 + "- " * 21 + "x"):
        assert (
            markup.to_html(f"Intro.\n\n{listed}")
            == f"<p>Intro.</p><p>{html.escape(listed, quote=False)}</p>"
        )
    # Forty, which a check lets through, are a list: more would depend on the depth of the call
    # (Python's recursion limit), and the page with it.
    assert markup.to_html("- " * 40 + "x").startswith("<ul><li><ul>")
    # and the text after such a one is read as ever (the converter was left inside its lists).
    assert markup.to_html("After *that*.") == "<p>After <em>that</em>.</p>"
    # Escapes and entities take time with the square of their number in a paragraph: 200,000
    # took ten seconds; ten times the check's limit in one paragraph is shown as text.
    escaped = "\\*" * 50_001
    assert markup.to_html(f"Intro.\n\n{escaped}") == f"<p>Intro.</p><p>{escaped}</p>"
    spread = "\n\n".join(["\\*" * 4_900] * 12)  # each paragraph within the check's limit
    assert markup.to_html(spread).startswith("<p>*")


def test_a_hash_written_as_text_is_no_heading():
    """`\\#1`, in a clause or in a translation, shows the character: nothing to report."""
    files = {path: text.encode() for path, text in BASE_FILES.items()}
    files[WHO] = body("\\#1 choice of shoppers: {{ company.name }}.").encode()
    files[JURISDICTIONS] = BILINGUAL.encode()
    files[PO] = german(WHO_TITLE, 'msgstr "\\\\#1 Wer wir sind"').encode()
    problems = check_files(files).problems
    assert [str(p) for p in problems if p.code.startswith(("markdown", "translation.str"))] == []


def test_a_direction_mark_is_no_bidi_control():
    """Right-to-left text may need a mark (U+200F, U+200E), which orders nothing by itself."""
    files = {path: text.encode() for path, text in BASE_FILES.items()}
    files[JURISDICTIONS] = BILINGUAL.encode()
    files[PO] = german(WHO_TITLE, 'msgstr "DE Who we are\u200f"').encode()
    problems = check_files(files).problems
    assert [str(p) for p in problems if p.code.startswith("text.")] == []


def test_a_version_published_with_a_bidi_control_keeps_its_text(make_project):
    """The check refuses the character in the commit being published, not in history: a
    version an earlier tool published with one is published again as it was."""
    project = make_project({WHO: body("We keep order data for \u202e01\u202c years.")})
    assert "[text.bidi-control]" in project.policy("check").stderr
    project.commit(
        "Without the override",
        {WHO: body("We keep order data for 10 years."), CHANGE: change_yml("Ten years.")},
    )
    result = project.policy("build", "--no-cache")
    assert result.returncode == 0, result.stderr
    versions = json.loads((project.root / "site/global/en/versions.json").read_text())
    assert [v["number"] for v in versions["versions"]] == [1, 2]
    first = (project.root / "site/global/en/v/1/document.json").read_text(encoding="utf-8")
    assert "for \u202e01\u202c years" in first


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("Write to [our team][1].\n\n[1]:https://shop.example/contact\n[2]: https://a.example", 10),
        ("Prices are final.\n[Note]: prices include VAT.", None),  # text, not a definition
        ('Write to us.\n[1]: https://shop.example/contact "Contact"', 9),
    ],
)
def test_a_link_definition_is_one_by_python_markdowns_rule(text, refused):
    files = {path: content.encode() for path, content in BASE_FILES.items()}
    files[WHO] = body(text).encode()
    problems = check_files(files).problems
    lines = [p.line for p in problems if p.code == "markdown.link-definition"]
    assert lines == ([refused] if refused else [])


def test_a_link_definition_alone_in_its_paragraph_defines_its_link(make_project):
    project = make_project(
        {WHO: body("Write to [our team][1].\n\n[1]: https://shop.example/contact")}
    )
    assert project.policy("check").returncode == 0
    assert project.policy("build").returncode == 0
    page = (project.root / "site/global/en/index.html").read_text(encoding="utf-8")
    assert '<a href="https://shop.example/contact" rel="noopener noreferrer">our team</a>' in page
    assert "[1]:" not in page


def test_an_old_paragraph_over_the_escapes_limit_is_published_as_it_was(make_project):
    """The limit is the check's, for the commit being published: a list of cookies an earlier tool
    published keeps its version (the history walk dropped it as invalid)."""
    cookies = "Cookies: " + "; ".join(f"\\_c{i} & \\_d{i}" for i in range(1700)) + "."
    project = make_project(
        {DATA: DATA_MD.replace("We collect only", cookies + "\n\nWe collect only")}
    )
    assert "[markdown.too-complex]" in project.policy("check").stderr
    project.commit("Shorter", {DATA: DATA_MD, CHANGE: change_yml("A shorter table.")})
    result = project.policy("build", "--no-cache")
    assert result.returncode == 0, result.stderr
    versions = json.loads((project.root / "site/global/en/versions.json").read_text())
    assert [v["number"] for v in versions["versions"]] == [1, 2]
    first = (project.root / "site/global/en/v/1/document.json").read_text(encoding="utf-8")
    assert "_c1698 &amp; _d1698; _c1699 &amp; _d1699.</p>" in first


@pytest.mark.parametrize("fuzzy", [False, True])
def test_a_translation_beginning_with_a_value_is_checked_when_it_is_shown(fuzzy):
    """A fuzzy translation is not shown (the source text is, in its place): nothing to refuse."""
    files = {path: text.encode() for path, text in BASE_FILES.items()}
    files[SITE] = SITE_YML.replace("Example Shop Ltd.", "1. FC Köln").encode()
    files[WHO] = body("This shop is run by {{ company.name }}.").encode()
    files[JURISDICTIONS] = BILINGUAL.encode()
    policy, _ = read_policy(files)
    assert policy is not None

    def german_words(context: str, text: str) -> str:
        return "{{ company.name }} betreibt diesen Shop." if "run by" in text else f"DE {text}"

    lines = po_catalog(policy, "de", german_words).decode().split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith('msgid "This shop'))
    if fuzzy:
        lines.insert(at - 1, "#, fuzzy")
    files[PO] = "\n".join(lines).encode()
    refused = [
        (p.path, p.line) for p in check_files(files).problems if p.code == "variable.structure"
    ]
    assert refused == ([] if fuzzy else [(PO, at + 1)])  # its msgid's line


RULES_WITH_SPACES = ["* * *", "- - -", "_ _ _", "* * * * ", "-  -  -", "   * * *", "* **", "- --"]
"""Lines Python-Markdown reads alone as a rule (`<hr />`); the block reader (blocks.py) reads
those that begin with '* ' or '- ' as a list item, the rest of the line its text."""


@pytest.mark.parametrize("rule", RULES_WITH_SPACES)
@pytest.mark.parametrize(
    ("around", "refused"),
    [
        ("We keep order data\nfor six years.\n{rule}\nThen we delete it.", "*-_"),
        ("We keep order data.\n\nAnd more.\n{rule}\n\nThen we delete it.", "*_"),
    ],
    ids=["between-lines", "ending-a-paragraph"],
)
def test_a_rule_written_with_spaces_is_refused_at_its_line(make_project, rule, around, refused):
    """'* * *' among a paragraph's lines was published as lists nested three deep around the next
    line ('<ul><li><ul><li><ul><li>Then we delete it.'), and '* * *' on its last line as '*' in
    two lists: the block reader took its first '*' for a list marker before Markdown saw the
    line, which Markdown alone reads as a rule (and the site does not show). A line of '-' that
    ends its paragraph is published as the rule Markdown reads ('- - -' is a list item whose text
    is '- -', which joined reads '- - -' again), and is not refused; '_ _ _' is one of the
    paragraph's lines, joined into its text."""
    assert markup.to_html(rule) == ""  # a rule to Markdown, which the site does not show
    line = 8 + around.split("\n").index("{rule}")  # the body starts on line 8
    project = make_project({WHO: body(around.format(rule=rule))})
    expected = [f"{WHO}:{line}: {RULE}"] if rule.strip()[0] in refused else []
    assert problems_of(project.policy("check")) == expected


@pytest.mark.parametrize("rule", ["    * * *", "\t* * *", "      - - -", "    _ _ _"])
def test_a_rule_indented_as_code_is_refused_too(make_project, rule):
    """Indented four spaces or a tab, a line is code to Markdown alone, but the block reader
    reads a list item at any indentation: '    * * *' among a paragraph's lines was published
    as the same lists nested three deep ('<ul><li><ul><li><ul><li>Then we delete it.'), and is
    refused as '* * *' is, once; '_ _ _', which is no list item, as a rule among a paragraph's
    lines, as it was."""
    around = "We keep order data\nfor six years.\n{rule}\nThen we delete it."
    project = make_project({WHO: body(around.format(rule=rule))})
    assert problems_of(project.policy("check")) == [f"{WHO}:10: {RULE}"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("> The law says one thing\n> and another.", 9),
        ("We quote the law:\n> It says one thing.", 9),
        ("- an item\n  > and a quote", 9),
    ],
    ids=["quote-lines", "in-a-paragraph", "in-an-item"],
)
def test_a_quote_s_further_line_is_refused(make_project, text, line):
    """'> line one' then '> line two' was published as one quote reading 'line one > line two':
    a block's lines are joined into one, and Markdown takes a '>' off the start of a line only;
    under a paragraph's line, the quote was the paragraph's text."""
    project = make_project({WHO: body(text)})
    assert problems_of(project.policy("check")) == [f"{WHO}:{line}: {QUOTE_LINES}"]


def test_a_quote_written_on_its_first_line_is_not_refused(make_project):
    """A quote whose '>' begins its first line only: its next lines are joined to it, as
    Markdown joins them."""
    project = make_project({WHO: body("We quote the law:\n\n> It says one thing\nand another.")})
    result = project.policy("check")
    assert result.returncode == 0, result.stderr
    assert [p for p in problems_of(result) if "markdown." in p] == []


def test_a_list_item_indented_as_markdown_nests_it_is_told(make_project):
    """'- a' then '    - b' (or a tab) is a list inside the item to Markdown, and was published as
    one more item of the list: warned, at each such item; two spaces, which Markdown does not
    nest, and an item after a paragraph, are not."""
    text = (
        "- outer\n    - inner\n\t- by tab\n  - two spaces\n\n    - after a blank line\n\n"
        "A paragraph.\n\n    - indented, after a paragraph"
    )
    project = make_project({WHO: body(text)})
    result = project.policy("check")
    assert problems_of(result) == [f"{WHO}:{line}: {NESTED_ITEM}" for line in (9, 10, 13)]
    assert result.returncode == 0  # warnings


def test_markdown_in_plain_text_is_warned_of(make_project):
    """A change's summary, a clause's title and a region's name are shown as text: Markdown
    written in them out of habit ('We now **also** keep...') was published as written, marks,
    brackets and address included. Warned, at the value's line; a lone '*' is no Markdown."""
    project = make_project(
        {
            CHANGE: change_yml("We now **also** keep what you tell us by phone.", "2026-01-02"),
            WHO: WHO_MD.replace("title: Who we are", "title: Who we are ([contact](#who))"),
            JURISDICTIONS: JURISDICTIONS_YML.replace("name: Worldwide", "name: Worldwide *"),
        }
    )
    result = project.policy("check")
    assert [p for p in problems_of(result) if "[text.markdown]" in p] == [
        f"{CHANGE}:1: 'summary' is plain text: Markdown is not read in it, and the page would show "
        "'**also**' as written. Write the words alone. [text.markdown]",
        f"{WHO}:3: 'title' is plain text: Markdown is not read in it, and the page would show "
        "'[contact](#who)' as written. Write the words alone. [text.markdown]",
    ]


def test_a_line_break_inside_a_paragraph_is_told_at_its_line(make_project):
    """An address written with line breaks was published on one line: a paragraph's lines are
    joined into one (blocks.py folds the two spaces that make Markdown's `<br>`), and a backslash,
    a line break in CommonMark, showed between the lines ('1 Example Street\\ London'). The
    spaces are warned of (often a slip, and the words still read in order), the backslash
    refused; a block's last line, which breaks nothing, is neither."""
    text = (
        "Write to us at:  \nExample Shop Ltd.\\\n1 Example Street  \n\n"
        "- by post  \n  to London\n\nThe end.  "
    )
    project = make_project({WHO: body(text)})
    result = project.policy("check")
    assert problems_of(result) == [
        f"{WHO}:8: {SPACES_BREAK}",
        f"{WHO}:9: {BACKSLASH_BREAK}",
        f"{WHO}:12: {SPACES_BREAK}",
    ]
    assert result.stderr.splitlines()[-1] == "1 error, 2 warnings"


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("We share it with:\n\n1) carriers;\n2) payment providers.", [10, 11]),
        ("We keep it under\n2) of the contract and the law.", [9]),
        ("  3) Indented, alone.", [8]),
    ],
    ids=["items", "in-a-sentence", "indented"],
)
def test_a_number_with_a_parenthesis_beginning_a_line_is_refused(make_project, text, lines):
    """'1) carriers' and '2) payment providers' were published as one paragraph ('1) carriers;
    2) payment providers.'): the block reader took each for a numbered list item, as CommonMark
    would, and Python-Markdown numbers items with '.' only; a sentence that went on in a line
    beginning '2) ' was cut in two paragraphs there."""
    assert markup.to_html("1) carriers;\n2) payment providers.") == (
        "<p>1) carriers;\n2) payment providers.</p>"
    )
    project = make_project({WHO: body(text)})
    assert problems_of(project.policy("check")) == [
        f"{WHO}:{line}: {PARENTHESIS_NUMBER}" for line in lines
    ]


@pytest.mark.parametrize(
    "text",
    ["1. carriers;\n2. payment providers.", "1\\) carriers, in the text.", "See (1) and 2)."],
)
def test_a_parenthesis_number_written_otherwise_is_not_refused(make_project, text):
    """A numbered item written '1.', a '1)' escaped to begin a line as text, and '2)' inside a
    line pass, and the escaped one is published as written."""
    project = make_project({WHO: body(text)})
    result = project.policy("check")
    assert result.returncode == 0, result.stderr
    assert [p for p in problems_of(result) if "markdown." in p] == []
    shown = join_blocks((block, block.text) for block in split_blocks("1\\) carriers."))
    assert markup.to_html(shown) == "<p>1) carriers.</p>"


@pytest.mark.parametrize(
    "text",
    [
        "We collect:\n\n- item\n- another item",
        "* text * more\n* and * more",
        "*Emphasised* words\n*over two lines* of a paragraph.",
        "**Strong** words\n** and ** more",
        "We keep order data.\n\n- - -\n\nThen we delete it.",
        "We keep order data.\n\n***\n\nThen we delete it.",
        "- -\n- * *\n+ + +",
    ],
    ids=[
        "list",
        "stars-in-items",
        "emphasis",
        "strong",
        "dash-rule-alone",
        "rule-alone",
        "no-rule",
    ],
)
def test_no_rule_no_alarm(make_project, text):
    """List items, emphasis, and lines that are no rule to Markdown ('- * *' mixes its marks, '+'
    makes none) are not refused; neither is a rule alone that the page shows as Markdown reads it:
    '***', and '- - -', whose block, read as a list item, is '- - -' again once joined."""
    project = make_project({WHO: body(text)})
    result = project.policy("check")
    assert result.returncode == 0, result.stderr
    assert [p for p in problems_of(result) if "markdown." in p] == []
