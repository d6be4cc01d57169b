"""`policy check` validates catalogs: syntax with lines, variables kept, Language and Plural-Forms."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import problems_of
from hypothesis import given, settings
from hypothesis import strategies as st
from translating import GERMAN, catalog_file, msgfmt_check, translate

from generator import blocks, catalogs
from generator.pofiles import read_catalog, write_catalog

JURISDICTIONS = """\
global:
  name: Worldwide
  languages: [en, de]
"""

DE = catalog_file("de")
WHO = "{{ company.name }} runs this shop. Write to {{ contact.email }}."


@pytest.fixture
def german(make_project):
    """A project published in English and German, completely translated."""
    project = make_project({"policies/jurisdictions.yml": JURISDICTIONS})
    assert project.policy("i18n", "update").returncode == 0
    translate(project, "de", GERMAN)
    project.commit("Translate into German")
    return project


def edit(project, old: str, new: str) -> int:
    """Replace text in the German catalog; the line of the replacement."""
    path = project.root / DE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def msgid_line(project, source: str) -> int:
    catalog = read_catalog((project.root / DE).read_text(encoding="utf-8"))
    return next(m.lineno for m in catalog if m.id == source)


def retranslate(project, source: str, translation: str, *, fuzzy: bool = False) -> int:
    """Give a message another translation, as a translator's tool would; its msgid line."""
    path = project.root / DE
    catalog = read_catalog(path.read_text(encoding="utf-8"))
    message = next(m for m in catalog if m.id == source)
    message.string = translation
    if fuzzy:
        message.flags.add("fuzzy")
    path.write_bytes(write_catalog(catalog))
    return msgid_line(project, source)


def test_complete_catalog_passes(german):
    result = german.policy("check")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("0 errors, 0 warnings")


def test_translation_dropping_a_variable_is_an_error_at_its_entry(german):
    line = retranslate(german, WHO, "{{ company.name }} betreibt diesen Shop. Schreiben Sie uns.")
    result = german.policy("check")
    assert result.returncode == 1
    assert problems_of(result) == [
        f"{DE}:{line}: the translation drops {{{{ contact.email }}}} compared with its msgid. "
        "Keep exactly the msgid's variables, written as there (they are filled in on the "
        "page). [translation.variables]"
    ]


def test_translation_adding_a_variable_is_an_error(german):
    edit(
        german, 'msgstr "Ihre Lieferadresse."', 'msgstr "Ihre Lieferadresse ({{ company.name }})."'
    )
    line = msgid_line(german, "your delivery address.")
    result = german.policy("check")
    assert result.returncode == 1
    assert problems_of(result) == [
        f"{DE}:{line}: the translation adds {{{{ company.name }}}} compared with its msgid. "
        "Keep exactly the msgid's variables, written as there (they are filled in on the "
        "page). [translation.variables]"
    ]


def test_a_misspelt_variable_in_a_translation_is_the_translators_to_correct(german):
    """Not "define it under 'variables' in policies/site.yml": that would not make the
    translation right."""
    line = retranslate(
        german,
        WHO,
        "{{ company.name }} betreibt diesen Shop. Schreiben Sie an {{ kontakt.email }}.",
    )
    result = german.policy("check")
    assert problems_of(result) == [
        f"{DE}:{line}: the translation drops {{{{ contact.email }}}} and adds {{{{ kontakt.email "
        "}} compared with its msgid. Keep exactly the msgid's variables, written as there "
        "(they are filled in on the page). [translation.variables]"
    ]


def test_status_shows_a_translation_with_a_misspelt_variable_as_refused(german):
    """Translated and reviewed, but the composition refuses it: the documents that need it stay
    on their last complete version, so the status does not call them complete, names the error
    and fails, as `policy check` does."""
    line = retranslate(
        german,
        WHO,
        "{{ company.name }} betreibt diesen Shop. Schreiben Sie an {{ kontakt.email }}.",
    )
    status = german.policy("i18n", "status")
    assert status.returncode == 1
    rows = [row.split() for row in status.stdout.splitlines()]
    assert ["de", "global", "6", "0", "0", "refused"] in rows
    assert not any(row[-1] == "complete" for row in rows[1:] if row[1] != "(names,")
    assert f"{DE}:{line}: the translation drops {{{{ contact.email }}}}" in status.stderr
    report = json.loads(german.policy("check", "--format", "json").stdout)
    assert [t["complete"] for t in report["translations"]] == [False] * len(report["translations"])
    assert "Traceback" not in status.stderr


def test_the_sites_own_words_untranslated_or_fuzzy_are_warned_about(german):
    """A region's name and the change summary show in English on the German pages while the
    catalog lacks them: the check says so, as `i18n status` counts them."""
    name = retranslate(german, "Worldwide", "")
    summary = retranslate(german, "First version.", "Erste Fassung.", fuzzy=True)
    result = german.policy("check", "--strict")
    assert result.returncode == 1
    assert problems_of(result) == [
        f"{DE}:{name}: 1 message of the site's own words (the policy's title, the regions' "
        "names, the change summary) is not translated into de (the first is on this line); its "
        "pages show it in en. Run 'policy i18n update', then translate what is missing. "
        "[translation.missing]",
        f"{DE}:{summary}: 1 translation of the site's own words (the policy's title, the "
        "regions' names, the change summary) into de is marked fuzzy, to review (the source "
        "changed, or a translator flagged it). Review each, then remove its fuzzy flag. "
        "[translation.stale]",
    ]
    assert (
        "(names, summary)           1      1        1  incomplete"
        in german.policy("i18n", "status").stdout
    )


def test_the_sites_own_words_shown_in_english_are_marked_english(german):
    """Until the catalog translates them, a German page shows the region's name and the title
    in English: marked so, a screen reader reads them as English (WCAG 3.1.2); once translated,
    they are the page's own language."""
    retranslate(german, "Worldwide", "")
    site = german.root / "policies/site.yml"
    site.write_text(site.read_text().replace("title: Privacy policy", "title: Our promise"))
    german.commit("A title and a name to translate")
    assert german.policy("build").returncode == 0
    page = german.read("site/global/de/index.html")
    title = re.search(r'<h1 id="_title">(.*?)</h1>', page, re.S).group(1)
    assert title.startswith('<span lang="en" dir="ltr">Our promise</span> ')
    assert '<span class="policy-jurisdiction" lang="en" dir="ltr">Worldwide</span>' in title
    # Translated by the catalog, the title is in the page's language: not marked.
    site.write_text(site.read_text().replace("title: Our promise", "title: Privacy policy"))
    german.commit("The default title again")
    assert german.policy("build").returncode == 0
    title = re.search(r'<h1 id="_title">(.*?)</h1>', german.read("site/global/de/index.html"))
    assert title.group(1).startswith("Datenschutzerklärung <span")
    for name in ("changes", "v", "history"):
        assert 'class="policy-jurisdiction" lang="en" dir="ltr">Worldwide' in german.read(
            f"site/global/de/{name}/index.html"
        )
    english = re.search(
        r'<h1 id="_title">(.*?)</h1>', german.read("site/global/en/index.html"), re.S
    )
    assert "lang=" not in english.group(1)


def test_spacing_inside_braces_does_not_matter(german):
    retranslate(german, WHO, "{{company.name}} betreibt diesen Shop: {{ contact.email  }}.")
    assert german.policy("check").returncode == 0


def test_translation_linking_elsewhere_than_its_msgid_is_a_warning(german):
    # The variables were all there, so nothing said that German readers' e-mails would go to
    # another address.
    line = retranslate(
        german,
        WHO,
        "{{ company.name }} betreibt diesen Shop. Schreiben Sie an "
        "[{{ contact.email }}](mailto:privacy@elsewhere.example).",
    )
    result = german.policy("check")
    assert result.returncode == 0
    assert problems_of(result) == [
        f"{DE}:{line}: the translation links to mailto:privacy@elsewhere.example, which its msgid "
        "does not. A link's text is translated, its address is not: keep the msgid's "
        "addresses, unless the page is meant in the reader's language. [translation.links]"
    ]


@pytest.mark.parametrize(
    ("text", "links"),
    [
        (
            "Write to [us](mailto:{{ contact.email }}) or [the form]({{contact.web_form}}).",
            ["mailto:{{ contact.email }}", "{{ contact.web_form }}"],
        ),
        (
            'See [the rules](https://law.example/a_(b) "title") and <https://law.example/c>.',
            ["https://law.example/a_(b)", "https://law.example/c"],
        ),
        ("No link: a < b, [brackets] and (parentheses).", []),
    ],
)
def test_links_in_finds_every_address_a_text_links_to(text, links):
    assert catalogs.links_in(text) == links


@pytest.mark.parametrize(
    ("translation", "said"),
    [
        (
            "{{ company.name }} betreibt diesen Shop. Betreff: <Ihre Kundennummer>. "
            "Schreiben Sie an {{ contact.email }}.",
            "raw HTML is not allowed in a translation. Use Markdown instead. [markdown.html]",
        ),
        *(
            (
                f"{{{{ company.name }}}} betreibt diesen Shop. Betreff: {tag}. "
                "Schreiben Sie an {{ contact.email }}.",
                "raw HTML is not allowed in a translation. Use Markdown instead. [markdown.html]",
            )
            # Tag names Python-Markdown reads as HTML too, though no HTML tag has them.
            for tag in ("<numéro de client>", "<Kunden-Nr.>", "<nom_client>")
        ),
        (
            "{{ company.name }} betreibt diesen Shop ![Logo](https://tracker.example/p.gif). "
            "Schreiben Sie an {{ contact.email }}.",
            "images are not allowed in a translation. Remove the image (![...](...)). "
            "[markdown.image]",
        ),
        (
            "{{ company.name }} betreibt diesen " + "*" * 90 + "Shop" + "*" * 90 + ". "
            "Schreiben Sie an {{ contact.email }}.",
            "the paragraph nests 46 elements inside one another (emphasis, quotes or lists), "
            "over the limit of 40; it would take too long to publish. Simplify its formatting. "
            "[markdown.too-complex]",
        ),
    ],
)
def test_what_the_page_would_drop_from_a_translation_is_an_error(german, translation, said):
    """The sanitizer removes tags and images from every published text; in a translation, as in
    a clause, the check says so instead of letting words vanish from the page."""
    line = retranslate(german, WHO, translation)
    result = german.policy("check")
    assert result.returncode == 1
    assert f"{DE}:{line}: {said}" in problems_of(result)


def test_a_javascript_link_in_a_translation_is_an_error(german):
    line = retranslate(
        german,
        WHO,
        "{{ company.name }} betreibt diesen Shop. [Schreiben](javascript:alert(1)) Sie an "
        "{{ contact.email }}.",
    )
    assert (
        f"{DE}:{line}: links may only point to https:, http: or mailto: addresses, not "
        "'javascript:'. Remove the link or point it to a web page. [markdown.unsafe-link]"
    ) in problems_of(german.policy("check"))


def test_missing_plural_forms_is_a_warning_on_the_header(german):
    line = edit(german, '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n', "")
    result = german.policy("check")
    assert result.returncode == 0
    header = read_catalog((german.root / DE).read_text(encoding="utf-8")).header_line
    assert line > header
    assert problems_of(result) == [
        f"{DE}:{header}: the header has no Plural-Forms. Add 'Plural-Forms: nplurals=2; "
        "plural=(n != 1);' (or run 'policy i18n update', which sets it). [catalog.plural-forms]"
    ]
    assert german.policy("check", "--strict").returncode == 1
    assert german.policy("i18n", "update").returncode == 0
    assert german.policy("check", "--strict").returncode == 0


def test_invalid_plural_forms_is_an_error_on_its_line(german):
    line = edit(german, "plural=(n != 1);", "plural=(n != 1;")
    result = german.policy("check")
    assert result.returncode == 1
    assert problems_of(result) == [
        f"{DE}:{line}: the Plural-Forms header 'nplurals=2; plural=(n != 1;' is not valid "
        "(msgfmt rejects it). Write 'Plural-Forms: nplurals=2; plural=(n != 1);'. "
        "[catalog.plural-forms]"
    ]


def test_plural_forms_of_another_language_is_a_warning(german):
    line = edit(german, "nplurals=2; plural=(n != 1);", "nplurals=1; plural=0;")
    assert problems_of(german.policy("check")) == [
        f"{DE}:{line}: the Plural-Forms header 'nplurals=1; plural=0;' differs from the rule "
        "for de ('nplurals=2; plural=(n != 1);'). Use it (or run 'policy i18n update', which "
        "sets it). [catalog.plural-forms]"
    ]


def test_wrong_language_header_is_a_warning(german):
    line = edit(german, '"Language: de\\n"', '"Language: fr\\n"')
    assert problems_of(german.policy("check")) == [
        f"{DE}:{line}: the header says 'Language: fr' but this is the de catalog. Write "
        "'Language: de'. [catalog.language]"
    ]


def test_malformed_language_header_is_a_warning_not_an_unreadable_catalog(german):
    line = edit(german, '"Language: de\\n"', '"Language: de DE\\n"')
    assert problems_of(german.policy("check")) == [
        f"{DE}:{line}: the header says 'Language: de DE' but this is the de catalog. Write "
        "'Language: de'. [catalog.language]"
    ]


def test_syntax_error_names_file_and_line(german):
    line = edit(german, 'msgstr "Ihren Namen;"', 'msgstr "Ihren Namen;')
    result = german.policy("check")
    assert result.returncode == 1
    # Only the error: nothing could be read from the catalog, which is not "not translated".
    assert problems_of(result) == [
        f"{DE}:{line}: the catalog cannot be read: a string is not closed or has an unescaped "
        '" inside (write \\"). Fix the PO syntax (a quote or a msgid/msgstr line is off). '
        "[catalog.syntax]",
    ]


def test_a_catalog_in_another_encoding_is_told_how_to_convert_it(german):
    """msgconv -t ISO-8859-1 writes a catalog that says so in its header: the check names the
    charset and the command that converts it back."""
    path = german.root / DE
    text = path.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-1")
    data = text.encode("iso-8859-1")
    first = next(i for i, byte in enumerate(data) if byte > 0x7F)
    line = data[:first].count(b"\n") + 1
    path.write_bytes(data)
    assert problems_of(german.policy("check"))[0] == (
        f"{DE}:{line}: the file is not valid UTF-8 (byte "
        f"0x{data[first]:02x}). Its header says charset=ISO-8859-1: this tool reads catalogs in "
        "UTF-8 only. Convert it with GNU gettext's msgconv (msgconv -t UTF-8 -o FILE FILE), or "
        "save it as UTF-8. [file.encoding]"
    )


def test_translations_without_msgctxt_are_named_before_update_makes_them_obsolete(german):
    """A tool that converts catalogs (xliff2po, csv2po without a template) drops every msgctxt:
    the translations are all there, but translate nothing, and the check says why, once."""
    path = german.root / DE
    text = path.read_text(encoding="utf-8")
    stripped = re.sub(r'^msgctxt ".*"\n', "", text, flags=re.MULTILINE)
    path.write_text(stripped, encoding="utf-8")
    first = next(m.lineno for m in read_catalog(stripped) if m.id and m.string)
    found = [p for p in problems_of(german.policy("check")) if "[catalog.no-context]" in p]
    assert len(found) == 1
    assert found[0].startswith(f"{DE}:{first}: ")
    assert "have no msgctxt, which every message of a policy has" in found[0]


def test_fuzzy_translation_with_other_variables_is_not_an_error(german):
    line = retranslate(german, WHO, "Schreiben Sie uns.", fuzzy=True)
    result = german.policy("check")
    assert result.returncode == 0
    assert problems_of(result) == [
        f"{DE}:{line}: 1 translation of the global policy into de is marked fuzzy, to review (the "
        "source text changed, or a translator flagged it). Review each, then remove its fuzzy "
        "flag. [translation.stale]"
    ]


def test_untranslated_messages_are_counted_once_each_at_the_first(german):
    """The warning gives the line of the first entry left empty, and its grammar follows the
    count; a text the document uses twice is one entry to translate, counted once."""
    second = retranslate(german, "your delivery address.", "")
    first = retranslate(german, "your name;", "")
    assert first < second
    assert problems_of(german.policy("check")) == [
        f"{DE}:{first}: 2 messages of the global policy are not translated into de (the first "
        "is on this line); until they are, the document stays on its last complete version, or "
        "unpublished if it has none. Run 'policy i18n update', then translate what is missing. "
        "[translation.missing]"
    ]
    retranslate(german, "your delivery address.", "Ihre Lieferadresse.")
    retranslate(german, "your name;", "Ihren Namen;")
    who = german.root / "policies/clauses/who.md"
    who.write_text(who.read_text(encoding="utf-8") + "\nWe reply.\n\nWe reply.\n", "utf-8")
    assert german.policy("i18n", "update").returncode == 0
    line = msgid_line(german, "We reply.")
    found = problems_of(german.policy("check"))
    assert [p for p in found if p.endswith("[translation.missing]")] == [
        f"{DE}:{line}: 1 message of the global policy is not translated into de (the first is "
        "on this line); until it is, the document stays on its last complete version, or "
        "unpublished if it has none. Run 'policy i18n update', then translate what is missing. "
        "[translation.missing]"
    ]


def test_arabic_plural_forms_follow_cldr_where_babels_table_does_not():
    from babel import Locale
    from babel.messages.plurals import get_plural
    from babel.plural import to_python

    from generator.catalogs import plural_forms
    from generator.model import Language

    forms = ("zero", "one", "two", "few", "many", "other")
    cldr = to_python(Locale.parse("ar").plural_form)
    ours = gettext_rule(plural_forms(Language(tag="ar")))
    babel = gettext_rule(get_plural("ar").plural_forms)
    assert all(forms[ours(n)] == cldr(n) for n in range(1000))
    assert forms[babel(11)] != cldr(11)  # when Babel fixes its table, drop _PLURAL_FIXES


def gettext_rule(header: str):
    import gettext

    return gettext.c2py(header.split("plural=", 1)[1].rstrip(";"))


def test_clause_id_that_is_a_catalog_context_is_refused(make_project):
    project = make_project(
        {
            "policies/clauses/change.md": (
                "---\nid: change\ntitle: Changes\norder: 90\njurisdictions: [global]\n---\n"
                "We announce every change.\n"
            )
        }
    )
    result = project.policy("check")
    assert result.returncode == 1
    assert problems_of(result) == [
        "policies/clauses/change.md:2: the clause id 'change' is reserved: the catalogs "
        "translate change summaries under it. Give the clause another id. [clause.reserved-id]"
    ]


# fmt: off
_PIECES = ["", " ", "\t", "\u00a0", "\u3000", "\r", "\n", "\n\n", "-", "*", "+", "#", ">", "|",
           "=", "_", "1", "9.", "1)", "\u0663", "\\", "a", "Wort", "ü", ".", ")"]
# fmt: on


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join))
def test_the_structure_check_shortcut_agrees_with_working_it_out(text):
    """Most messages are one line of plain words, and the check takes them for a paragraph
    without splitting them into blocks: it must be right whenever it does."""
    assert blocks.structure(text) == blocks._blocks_of(text)


@pytest.mark.parametrize(
    ("folder", "why"),
    [
        (
            "it",
            "no jurisdiction publishes 'it'. Add the language's tag (it) to the languages of a "
            "jurisdiction in policies/jurisdictions.yml (see docs/translating.md).",
        ),
        (
            "de_DE",
            "the site publishes de, whose catalog is locales/de/LC_MESSAGES/policy.po. Move it "
            "there (a translation tool may name the folder after a region: map it to de). To "
            "publish a separate de-DE translation instead, list that tag in a jurisdiction's "
            "languages in policies/jurisdictions.yml.",
        ),
        ("en", "en is the source language, whose text is the clauses' own."),
        (
            "de_Latn",  # a script is another writing, not a region: not taken for de
            "no jurisdiction publishes 'de_Latn'. Add the language's tag (de-Latn) to the "
            "languages of a jurisdiction in policies/jurisdictions.yml (see docs/translating.md).",
        ),
    ],
)
def test_a_catalog_no_document_reads_is_a_warning(german, folder, why):
    # A translator's work used to be ignored without a word when its folder was not one the
    # documents read.
    unread = f"locales/{folder}/LC_MESSAGES/policy.po"
    (german.root / unread).parent.mkdir(parents=True)
    (german.root / unread).write_bytes((german.root / DE).read_bytes())
    result = german.policy("check")
    assert result.returncode == 0
    assert problems_of(result) == [f"{unread}: this catalog is not read: {why} [catalog.unused]"]


def test_a_catalog_folder_spelt_in_other_case_beside_the_right_one_is_an_error(german):
    """locales/DE beside locales/de: a checkout on macOS or Windows keeps one of the two, and
    an editor there might check the one the site does not publish."""
    unread = "locales/DE/LC_MESSAGES/policy.po"
    (german.root / unread).parent.mkdir(parents=True)
    (german.root / unread).write_bytes((german.root / DE).read_bytes())
    result = german.policy("check")
    assert result.returncode == 1
    assert problems_of(result) == [
        f"{unread}: this catalog is not read: the de catalog is {DE}. Move it there (the folder "
        "is spelt as gettext spells the language). [catalog.unused]",
        f"{DE}: the path differs from {unread} only in case: a checkout on macOS or Windows keeps "
        "one of the two files, so an editor there checks and previews another policy than the "
        "one published. Rename or remove one of them. [file.case]",
    ]


def test_a_catalog_in_a_regions_folder_is_named_with_where_it_belongs(german):
    """A tool that names folders after a region (`de_DE`): the fix is to move it, which the
    warning says, and the missing catalog is said once, not also as untranslated messages of a
    file that does not exist."""
    moved = german.root / "locales/de_DE/LC_MESSAGES/policy.po"
    moved.parent.mkdir(parents=True)
    (german.root / DE).rename(moved)
    assert problems_of(german.policy("check")) == [
        f"{DE}: there is no catalog for de. Run 'policy i18n update' to create it. "
        "[translation.no-catalog]",
        "locales/de_DE/LC_MESSAGES/policy.po: this catalog is not read: the site publishes de, "
        f"whose catalog is {DE}. Move it there (a translation tool may name the folder after a "
        "region: map it to de). To publish a separate de-DE translation instead, list that tag "
        "in a jurisdiction's languages in policies/jurisdictions.yml. [catalog.unused]",
    ]


def test_a_file_where_the_languages_folder_goes_is_named(german):
    """'policy i18n update' cannot create the catalog under a file: the warning says to move it."""
    shutil.rmtree(german.root / "locales/de")
    (german.root / "locales/de").write_text("notes\n", encoding="utf-8")
    assert problems_of(german.policy("check")) == [
        f"{DE}: there is no catalog for de. locales/de is a file where its folder goes: move it "
        "away, then run 'policy i18n update' to create the catalog. [translation.no-catalog]"
    ]


def test_an_obsolete_copy_of_an_active_entry_is_an_error_and_update_leaves_it(german):
    """msgfmt rejects a catalog whose #~ entry repeats an active one ("duplicate message
    definition"): the check says so at its line."""
    path = german.root / DE
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n#~ msgctxt "who-we-are"\n#~ msgid "Who we are"\n#~ msgstr "Wer wir waren"\n',
        encoding="utf-8",
    )
    line = path.read_text(encoding="utf-8").count("\n") - 1  # its msgid, as for any entry
    active = msgid_line(german, "Who we are")
    assert problems_of(german.policy("check")) == [
        f"{DE}:{line}: this obsolete entry (#~) repeats the message on line {active}; "
        "msgfmt rejects the catalog. Delete the obsolete entry. [catalog.duplicate]"
    ]
    # `update` refuses to merge into it, as into any broken catalog, rather than keep it so.
    assert german.policy("i18n", "update").returncode == 1
    assert msgfmt_check(str(path)).returncode != 0


def test_an_obsolete_entry_twice_is_an_error(german):
    """Babel would keep one of the two #~ entries and say nothing; msgfmt rejects the file."""
    path = german.root / DE
    gone = '\n#~ msgctxt "who-we-are"\n#~ msgid "Who we were"\n#~ msgstr "Wer wir waren"\n'
    path.write_text(path.read_text(encoding="utf-8") + gone + gone, encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    first, repeat = [n for n, text in enumerate(lines, 1) if text == '#~ msgid "Who we were"']
    assert problems_of(german.policy("check")) == [
        f"{DE}:{repeat}: this message is already defined on line {first}; msgfmt and "
        "translation tools reject duplicates. Delete one of the two entries. [catalog.duplicate]"
    ]
    assert msgfmt_check(str(path)).returncode != 0


def test_a_translation_ending_in_a_line_break_its_msgid_lacks_is_an_error(german):
    line = retranslate(german, "Who we are", "Wer wir sind\n")
    assert problems_of(german.policy("check")) == [
        f"{DE}:{line}: the translation begins or ends with a line break where its msgid does "
        "not (or the other way round); msgfmt rejects the catalog. Remove or add the line "
        "break. [catalog.newline]"
    ]


def test_a_carriage_return_in_a_translation_is_an_error(german):
    """Pasted from another program, a carriage return reads as a line break on the page: here it
    would make a list item the source does not have."""
    line = retranslate(german, "your name;", "Ihren Namen;\r- zweiter Punkt")
    result = german.policy("check")
    assert result.returncode == 1
    assert problems_of(result) == [
        f"{DE}:{line}: the translation has a carriage return (\\r, often pasted from another "
        "program), which the page would read as a line break. Remove it (write \\n where the "
        "msgid has one). [catalog.carriage-return]"
    ]


PLURAL = """
msgctxt "who-we-are"
msgid "one item"
msgid_plural "%d items"
msgstr[0] "ein Artikel"
msgstr[1] "%d Artikel"

#~ msgctxt "who-we-are"
#~ msgid "Old text"
#~ msgstr "Alter Text"
"""


def test_a_plural_entry_is_an_error_and_update_leaves_the_catalog_as_it_is(german):
    """No message of a policy is plural; a plural entry (from a tool's template, or a slip) is
    an error at its line, and `update` keeps its hands off the catalog instead of failing."""
    path = german.root / DE
    path.write_text(path.read_text(encoding="utf-8") + PLURAL, encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index('msgid "one item"') + 1
    before = path.read_bytes()
    assert problems_of(german.policy("check")) == [
        f"{DE}:{line}: this entry has plural forms (msgid_plural), which these catalogs never "
        "use: each message is one paragraph, title or value, translated by one msgstr. Delete "
        "the entry, or write it as one msgid and one msgstr. [catalog.plural]"
    ]
    update = german.policy("i18n", "update")
    assert update.returncode == 1
    assert "Traceback" not in update.stderr
    assert f"{DE}:{line}:" in update.stderr
    assert path.read_bytes() == before


def test_update_leaves_a_catalog_with_a_duplicate_as_it_is(german):
    """Which of two entries to keep is the translator's call: `update` says where they are and
    writes nothing, rather than keep the first and say "delete one"."""
    path = german.root / DE
    repeat = '\nmsgctxt "data-we-collect"\nmsgid "your name;"\nmsgstr "Ihr Name;"\n'
    path.write_text(path.read_text(encoding="utf-8") + repeat, encoding="utf-8")
    before = path.read_bytes()
    update = german.policy("i18n", "update")
    assert update.returncode == 1
    assert "[catalog.duplicate]" in update.stderr
    assert path.read_bytes() == before
    assert "Ihr Name;" in path.read_text(encoding="utf-8")


def test_status_says_which_catalog_cannot_be_read(german):
    """The table, then the catalog's error at its line, and a failing exit: not "lagging" as if
    nothing had been translated."""
    line = edit(german, 'msgstr "Ihren Namen;"', 'msgstr "Ihren Namen;')
    status = german.policy("i18n", "status")
    assert status.returncode == 1
    assert status.stdout.startswith("language  jurisdiction")
    assert f"{DE}:{line}: the catalog cannot be read: a string is not closed" in status.stderr
    assert "Traceback" not in status.stderr


def test_a_link_by_reference_to_another_address_is_a_warning(german):
    """`[text][name]` with `[name]: address` links as `[text](address)` does."""
    line = retranslate(german, "your name;", "Ihren [Namen][r];\n[r]: https://evil.example/phish")
    assert problems_of(german.policy("check")) == [
        f"{DE}:{line}: the translation links to https://evil.example/phish, which its msgid does "
        "not. A link's text is translated, its address is not: keep the msgid's addresses, unless "
        "the page is meant in the reader's language. [translation.links]"
    ]


def test_a_translation_of_only_spaces_is_an_error_that_says_so(german):
    """Not "join its lines": there is nothing to join."""
    line = retranslate(german, "your name;", " ")
    assert problems_of(german.policy("check")) == [
        f"{DE}:{line}: the translation is only spaces or line breaks, which would publish an "
        'empty paragraph. Translate the message, or leave its msgstr empty ("") until you do. '
        "[catalog.blank]"
    ]


@pytest.mark.parametrize(
    ("translation", "said"),
    [
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("&nbsp;", "U+00A0 NO-BREAK SPACE, written &nbsp;"),
        ("&#8203;", "U+200B ZERO WIDTH SPACE, written &#8203;"),
        (" &#x200B;\u00a0", "U+200B ZERO WIDTH SPACE, written &#x200B;"),
        ("\u00a0\u2060", "U+00A0 NO-BREAK SPACE"),
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("\u00ad", "U+00AD SOFT HYPHEN"),
    ],
)
def test_a_translation_of_only_invisible_characters_is_blank(german, translation, said):
    """A zero-width space counted as a translation: the page showed the heading, then nothing."""
    line = retranslate(german, "your name;", translation)
    assert problems_of(german.policy("check")) == [
        f"{DE}:{line}: the translation shows nothing: it is only spaces and invisible "
        f"characters ({said}), which would publish an empty paragraph. Translate the message, "
        'or leave its msgstr empty ("") until you do. [catalog.blank]'
    ]


@pytest.mark.parametrize("translation", ["Ihren&nbsp;Namen;", "&nbsp", "\u200b-", "&amp;"])
def test_a_translation_with_a_visible_character_is_not_blank(german, translation):
    retranslate(german, "your name;", translation)
    assert "[catalog.blank]" not in german.policy("check").stderr
