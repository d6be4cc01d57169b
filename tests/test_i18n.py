"""`policy i18n extract|update|status`: the template, catalogs merged from the source, and status."""

from __future__ import annotations

import re
import subprocess
import time

import pytest
from conftest import BASE_FILES, DATA_MD, WHO_MD, change_yml
from histories import EU_VARIANT
from translating import ARABIC, GERMAN_WITH_EU, catalog_file, msgfmt_check, translate

from generator.i18n import align
from generator.pofiles import read_catalog

JURISDICTIONS = """\
global:
  name: Worldwide
  languages: [en, de]
eu:
  name: European Union
  extends: global
  languages: [en, de, ar]
"""

EXPECTED_TEMPLATE = """\
# Translation template of "Privacy policy",
# extracted from policies/ by 'policy i18n extract'. Do not translate this file:
# 'policy i18n update' merges it into locales/<lang>/LC_MESSAGES/policy.po.
msgid ""
msgstr ""
"Project-Id-Version: Privacy policy\\n"
"POT-Creation-Date: 2026-01-01 12:00+0000\\n"
"PO-Revision-Date: 2026-01-01 12:00+0000\\n"
"Last-Translator: \\n"
"Language-Team: \\n"
"Language: \\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"

#. The title of the policy: the site's name, in the header of every page and in feeds.
#: policies/site.yml
msgctxt "site.title"
msgid "Privacy policy"
msgstr ""

#. The name of the jurisdiction 'eu', in page headings, switchers and feeds.
#: policies/jurisdictions.yml:4
msgctxt "jurisdiction"
msgid "European Union"
msgstr ""

#. The name of the jurisdiction 'global', in page headings, switchers and feeds.
#: policies/jurisdictions.yml:1
msgctxt "jurisdiction"
msgid "Worldwide"
msgstr ""

#. The summary of the current change (policies/change.yml), shown in change logs and feeds.
#: policies/change.yml:1
msgctxt "change"
msgid "First version."
msgstr ""

#. Clause "Who we are" (who-we-are): title
#: policies/clauses/who.md:3
msgctxt "who-we-are"
msgid "Who we are"
msgstr ""

#. Clause "Who we are" (who-we-are): paragraph 1
#. Keep {{ company.name }} and {{ contact.email }} as they are: filled in on the page.
#: policies/clauses/who.md:8
msgctxt "who-we-are"
msgid "{{ company.name }} runs this shop. Write to {{ contact.email }}."
msgstr ""

#. Clause "Who we are" (who-we-are), variant for European Union (eu): paragraph 1
#. Keep {{ company.name }} as it is: filled in on the page.
#: policies/clauses/who-eu.md:6
msgctxt "who-we-are@eu"
msgid "Under the GDPR, {{ company.name }} is the controller."
msgstr ""

#. Clause "The information we collect" (data-we-collect): title
#: policies/clauses/data.md:3
msgctxt "data-we-collect"
msgid "The information we collect"
msgstr ""

#. Clause "The information we collect" (data-we-collect): paragraph 1
#: policies/clauses/data.md:8
msgctxt "data-we-collect"
msgid "We collect only what we need to deliver your order:"
msgstr ""

#. Clause "The information we collect" (data-we-collect): list item 1
#: policies/clauses/data.md:10
msgctxt "data-we-collect"
msgid "your name;"
msgstr ""

#. Clause "The information we collect" (data-we-collect): list item 2
#: policies/clauses/data.md:11
msgctxt "data-we-collect"
msgid "your delivery address."
msgstr ""
"""


@pytest.fixture
def translated(make_project):
    """A project published in German (global, eu) and Arabic (eu), fully translated."""
    project = make_project(
        {"policies/jurisdictions.yml": JURISDICTIONS, "policies/clauses/who-eu.md": EU_VARIANT}
    )
    assert project.policy("i18n", "update").returncode == 0
    translate(project, "de", GERMAN_WITH_EU)
    translate(
        project,
        "ar",
        {
            **ARABIC,
            "Under the GDPR, {{ company.name }} is the controller.": (
                "بموجب اللائحة العامة لحماية البيانات، {{ company.name }} هي الجهة المسؤولة عن المعالجة."
            ),
        },
    )
    project.commit("Translate into German and Arabic")
    return project


def entries(text: str) -> dict[tuple[str, str], str]:
    """Each entry of a PO file (header and obsolete entries included) as written, by
    (msgctxt, msgid); obsolete entries are keyed with a leading '#~'."""
    found = {}
    for block in text.strip().split("\n\n"):
        context = re.search(r'^(#~ )?msgctxt "(.*)"$', block, re.MULTILINE)
        msgid = re.search(r'^(#~ )?msgid "(.*)"$', block, re.MULTILINE)
        key = ((context.group(1) or "") + context.group(2) if context else "", msgid.group(2))
        found[key] = block
    return found


def test_extract_writes_one_message_per_title_block_summary_and_name(make_project):
    project = make_project(
        {"policies/jurisdictions.yml": JURISDICTIONS, "policies/clauses/who-eu.md": EU_VARIANT}
    )
    result = project.policy("i18n", "extract")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "locales/policy.pot: written\n"
    assert project.read("locales/policy.pot") == EXPECTED_TEMPLATE
    assert msgfmt_check(str(project.root / "locales/policy.pot")).returncode == 0


def test_extract_is_deterministic_and_rewrites_only_on_change(make_project):
    project = make_project({"policies/jurisdictions.yml": JURISDICTIONS})
    assert project.policy("i18n", "extract").returncode == 0
    template = project.root / "locales/policy.pot"
    first = template.read_bytes()
    stamp = template.stat().st_mtime_ns
    project.commit("Add the template")  # HEAD moves: only POT-Creation-Date would change
    time.sleep(0.01)
    result = project.policy("i18n", "extract")
    assert result.stderr == "locales/policy.pot: up to date\n"
    assert template.read_bytes() == first and template.stat().st_mtime_ns == stamp
    epoch = project.policy("i18n", "extract", env={"SOURCE_DATE_EPOCH": "1767268800"})
    assert epoch.stderr == "locales/policy.pot: up to date\n"


def test_update_creates_catalogs_with_babel_headers_that_msgfmt_accepts(make_project):
    project = make_project(
        {
            "policies/jurisdictions.yml": JURISDICTIONS.replace(
                "[en, de, ar]", "[en, de, ar, zh-Hans, pt-BR]"
            )
        }
    )
    result = project.policy("i18n", "update")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"locales/{name}/LC_MESSAGES/policy.po: created; 0 unchanged, 0 changed (fuzzy), "
        "10 untranslated, 0 made obsolete"
        for name in ("ar", "de", "pt_BR", "zh_Hans")
    ]
    headers = {
        name: read_catalog(project.read(catalog_file(name))) for name in ("ar", "pt_BR", "zh_Hans")
    }
    assert headers["ar"].header("Language") == "ar"
    assert headers["ar"].header("Plural-Forms").startswith("nplurals=6; plural=(n==0 ? 0 :")
    assert headers["pt_BR"].header("Language") == "pt_BR"
    assert headers["pt_BR"].header("Plural-Forms") == "nplurals=2; plural=(n > 1);"
    assert headers["zh_Hans"].header("Plural-Forms") == "nplurals=1; plural=0;"
    for name in ("ar", "de", "pt_BR", "zh_Hans"):
        checked = msgfmt_check(str(project.root / catalog_file(name)))
        assert checked.returncode == 0 and checked.stderr == "", checked.stderr
    assert project.policy("check").returncode == 0


def test_update_before_the_first_commit_dates_the_catalogs_as_that_commit_would_be(project):
    """A new shop creates its catalogs before it commits anything (operating.md): with no commit
    to date them by, they take the time the first commit would get, and msgfmt's header check
    has nothing to say."""
    project.write({**BASE_FILES, "policies/jurisdictions.yml": JURISDICTIONS})
    result = project.policy("i18n", "update")
    assert result.returncode == 0, result.stderr
    checked = msgfmt_check(str(project.root / catalog_file("de")))
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr
    (project.root / catalog_file("de")).unlink()
    assert project.policy("i18n", "update", env={"SOURCE_DATE_EPOCH": "1767268800"}).returncode == 0
    catalog = read_catalog(project.read(catalog_file("de")))
    assert catalog.header("PO-Revision-Date") == "2026-01-01 12:00+0000"


def test_update_leaves_a_catalog_another_tool_wrapped_as_it_is_while_it_says_the_same(
    translated,
):
    """GNU's msgcat wraps lines at other spaces than this tool does: a catalog a translator's tool
    saved that says the same is left byte for byte, so the pull request shows no change of no
    meaning; once a message changes, the catalog is written in this tool's layout."""
    path = translated.root / catalog_file("de")
    ours = path.read_bytes()
    subprocess.run(["msgcat", "--width=40", "-o", str(path), str(path)], check=True)
    saved = path.read_bytes()
    assert len(saved.splitlines()) > len(ours.splitlines()) + 10  # wrapped at 40 columns
    result = translated.policy("i18n", "update")
    assert result.returncode == 0, result.stderr
    assert "locales/de/LC_MESSAGES/policy.po: up to date" in result.stderr
    assert path.read_bytes() == saved
    translated.write({"policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;")})
    assert translated.policy("i18n", "update").returncode == 0
    rewritten = path.read_bytes()
    assert b"#, fuzzy" in rewritten
    assert len(rewritten.splitlines()) < len(saved.splitlines())  # at 79 again


def test_changed_paragraph_marks_only_its_translation_fuzzy(translated):
    before = entries(translated.read(catalog_file("de")))
    translated.write(
        {
            "policies/clauses/data.md": DATA_MD.replace(
                "- your delivery address.", "- your delivery address and phone number."
            ),
            "policies/change.yml": change_yml("We now ask for a phone number."),
        }
    )
    result = translated.policy("i18n", "update")
    assert result.returncode == 0, result.stderr
    assert (
        "locales/de/LC_MESSAGES/policy.po: updated; 9 unchanged, 1 changed (fuzzy), 1 untranslated, "
        "1 made obsolete" in result.stderr
    )
    after = entries(translated.read(catalog_file("de")))
    assert after[("data-we-collect", "your delivery address and phone number.")] == (
        '#. Clause "The information we collect" (data-we-collect): list item 2\n'
        "#: policies/clauses/data.md:11\n"
        "#, fuzzy\n"
        '#| msgid "your delivery address."\n'
        'msgctxt "data-we-collect"\n'
        'msgid "your delivery address and phone number."\n'
        'msgstr "Ihre Lieferadresse."'
    )
    unchanged = [key for key in before if key in after and key != ("", "")]
    assert len(unchanged) == 9
    assert all(after[key] == before[key] for key in unchanged)
    header = [line for line in after[("", "")].splitlines() if "POT-Creation-Date" not in line]
    assert header == [line for line in before[("", "")].splitlines() if "Creation" not in line]
    # The old summary's translation is kept as obsolete, not offered as a draft of the new one.
    assert after[("change", "We now ask for a phone number.")].endswith('msgstr ""')
    assert after[("#~ change", "First version.")] == (
        '#~ msgctxt "change"\n#~ msgid "First version."\n#~ msgstr "Erste Version."'
    )
    status = translated.policy("i18n", "status")
    assert status.stdout.splitlines() == [
        "language  jurisdiction      translated  fuzzy  missing  state",
        "ar        eu                         6      1        0  lagging",
        "ar        (names, summary)           3      0        1  incomplete",
        "de        eu                         6      1        0  lagging",
        "de        global                     5      1        0  lagging",
        "de        (names, summary)           3      0        1  incomplete",
    ]
    for name in ("ar", "de"):
        assert msgfmt_check(str(translated.root / catalog_file(name))).returncode == 0


def test_removed_paragraph_becomes_obsolete_and_comes_back_translated(translated):
    without = DATA_MD.replace("- your name;\n", "")
    translated.write({"policies/clauses/data.md": without})
    assert translated.policy("i18n", "update").returncode == 0
    text = translated.read(catalog_file("de"))
    assert '#~ msgctxt "data-we-collect"\n#~ msgid "your name;"\n#~ msgstr "Ihren Namen;"' in text
    assert 'msgid "your name;"\nmsgstr' not in text
    assert msgfmt_check(str(translated.root / catalog_file("de"))).returncode == 0
    translated.write({"policies/clauses/data.md": DATA_MD})
    assert translated.policy("i18n", "update").returncode == 0
    restored = entries(translated.read(catalog_file("de")))
    assert restored[("data-we-collect", "your name;")].endswith('msgstr "Ihren Namen;"')
    assert ("#~ data-we-collect", "your name;") not in restored


def test_drop_obsolete_deletes_obsolete_translations(translated):
    translated.write({"policies/clauses/data.md": DATA_MD.replace("- your name;\n", "")})
    result = translated.policy("i18n", "update", "--drop-obsolete")
    assert result.returncode == 0, result.stderr
    assert "#~" not in translated.read(catalog_file("de"))


def test_second_change_keeps_the_text_the_translation_was_made_from(translated):
    first = DATA_MD.replace("- your delivery address.", "- your delivery address and phone.")
    translated.write({"policies/clauses/data.md": first})
    assert translated.policy("i18n", "update").returncode == 0
    second = DATA_MD.replace(
        "- your delivery address.", "- your delivery address and phone number."
    )
    translated.write({"policies/clauses/data.md": second})
    assert translated.policy("i18n", "update").returncode == 0
    entry = entries(translated.read(catalog_file("de")))[
        ("data-we-collect", "your delivery address and phone number.")
    ]
    assert '#| msgid "your delivery address."\n' in entry
    assert entry.endswith('msgstr "Ihre Lieferadresse."')
    assert "and phone." not in translated.read(catalog_file("de"))


def test_a_reverted_source_edit_leaves_the_translation_for_review(translated):
    """Edited, then put back: the translator may have changed the translation meanwhile (for the
    edited text), so it stays fuzzy; `#|` shows the text is the one it was made from."""
    edited = DATA_MD.replace("- your delivery address.", "- your delivery address and phone.")
    translated.write({"policies/clauses/data.md": edited})
    assert translated.policy("i18n", "update").returncode == 0
    catalog = translated.root / catalog_file("de")
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace(
            'msgstr "Ihre Lieferadresse."', 'msgstr "Ihre Lieferadresse und Telefonnummer."'
        ),
        encoding="utf-8",
    )
    translated.write({"policies/clauses/data.md": DATA_MD})
    assert translated.policy("i18n", "update").returncode == 0
    entry = entries(translated.read(catalog_file("de")))[
        ("data-we-collect", "your delivery address.")
    ]
    assert "#, fuzzy" in entry and entry.endswith('"Ihre Lieferadresse und Telefonnummer."')


def test_moved_paragraph_and_rewrapped_source_keep_their_translations(translated):
    reordered = DATA_MD.replace(
        "- your name;\n- your delivery address.", "- your delivery address.\n- your name;"
    )
    translated.write(
        {
            "policies/clauses/data.md": reordered.replace(
                "We collect only what we need to deliver your order:",
                "We collect only what we need\nto deliver your order:",
            )
        }
    )
    result = translated.policy("i18n", "update")
    assert "de/LC_MESSAGES/policy.po: updated; 11 unchanged, 0 changed (fuzzy), 0 untranslated" in (
        result.stderr
    )
    assert "fuzzy" not in translated.read(catalog_file("de")).split("\n\n", 1)[1]


def test_hash_pipe_lines_survive_update_round_trips(translated):
    translated.write(
        {
            "policies/clauses/data.md": DATA_MD.replace(
                "- your delivery address.", "- your delivery address and phone number."
            )
        }
    )
    assert translated.policy("i18n", "update").returncode == 0
    path = translated.root / catalog_file("de")
    once = path.read_bytes()
    catalog = read_catalog(once.decode())
    changed = catalog.get("your delivery address and phone number.", "data-we-collect")
    assert changed.previous_id == ("your delivery address.",) and changed.fuzzy
    result = translated.policy("i18n", "update")
    assert "de/LC_MESSAGES/policy.po: up to date;" in result.stderr
    assert path.read_bytes() == once


def test_align_pairs_changed_paragraphs_and_leaves_new_ones_new():
    old = ["Title", "We keep your data for ten years.", "We never sell it.", "Contact us."]
    new = [
        "Title",
        "We keep your data for six years.",
        "A brand-new paragraph about cookies.",
        "We never sell or rent it.",
        "Contact us.",
    ]
    assert align(old, new) == {0: 0, 1: 1, 3: 2, 4: 3}
    assert align(old, new, pair=False) == {0: 0, 4: 3}
    assert align(["A b c.", "D e f."], ["D e f.", "A b c."]) == {0: 1, 1: 0}
    assert align(["Cookies"], ["Tracking technologies"]) == {}


def test_align_follows_a_paragraph_both_moved_and_edited():
    """Two list items swapped, one of them edited: the edited one continues its old self (its
    translation turns fuzzy), not a new paragraph whose translation goes to the obsolete ones."""
    old = ["We keep:", "Order records: 6 years.", "Account details: until you close it.", "End."]
    new = ["We keep:", "Account details: until you close it.", "Order records: 7 years.", "End."]
    assert align(old, new) == {0: 0, 1: 2, 2: 1, 3: 3}
    # Moved, it must share most of its words: sharing one does not make it the same paragraph.
    assert align(["Intro.", "We keep order records.", "End."], ["End.", "Order forms."]) == {0: 2}


def test_update_refuses_a_broken_catalog_and_names_its_line(translated):
    path = translated.root / catalog_file("de")
    path.write_text(
        path.read_text(encoding="utf-8").replace('msgstr "Ihren Namen;"', 'msgstr "Ihren Namen;'),
        encoding="utf-8",
    )
    line = path.read_text(encoding="utf-8").splitlines().index('msgstr "Ihren Namen;') + 1
    before = path.read_bytes()
    result = translated.policy("i18n", "update")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"locales/de/LC_MESSAGES/policy.po:{line}: the catalog cannot be read: a string is not "
        'closed or has an unescaped " inside (write \\"). Fix the PO syntax (a quote or a '
        "msgid/msgstr line is off). [catalog.syntax]"
    )
    assert path.read_bytes() == before
    assert "Traceback" not in result.stderr


def test_a_catalog_or_template_that_is_not_a_file_is_named(translated):
    # A folder in a catalog's place (or a file this user may not write) was a traceback.
    catalog = translated.root / catalog_file("de")
    catalog.unlink()
    catalog.mkdir()
    result = translated.policy("i18n", "update")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "locales/de/LC_MESSAGES/policy.po: cannot read the catalog (Is a directory). Make it a "
        "file this user can read and write, then run the command again. [file.unreadable]"
    )
    catalog.rmdir()
    template = translated.root / "locales" / "policy.pot"
    template.unlink()
    template.mkdir()
    for command in ("extract", "update"):
        result = translated.policy("i18n", command)
        assert result.returncode == 1
        assert result.stderr.strip() == (
            "locales/policy.pot: cannot write the catalog (Is a directory). Make it a file this "
            "user can write, then run the command again. [file.unwritable]"
        )


def test_every_written_catalog_passes_msgfmt(translated):
    translated.write(
        {
            "policies/clauses/data.md": DATA_MD.replace("- your name;\n", "").replace(
                "your order:", "your order (100% of them):"
            )
        }
    )
    assert translated.policy("i18n", "update").returncode == 0
    for path in ("locales/policy.pot", catalog_file("de"), catalog_file("ar")):
        result = msgfmt_check(str(translated.root / path))
        assert result.returncode == 0, result.stderr
    assert "python-format" not in translated.read(catalog_file("de"))


def test_status_of_a_complete_translation(translated):
    result = translated.policy("i18n", "status")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "language  jurisdiction      translated  fuzzy  missing  state",
        "ar        eu                         7      0        0  complete",
        "ar        (names, summary)           4      0        0  complete",
        "de        eu                         7      0        0  complete",
        "de        global                     6      0        0  complete",
        "de        (names, summary)           4      0        0  complete",
    ]


def test_a_renamed_clause_keeps_its_translations(translated):
    # Renaming an id used to make every translation of the clause obsolete, and the documents
    # lag until each was translated again.
    translated.write(
        {
            "policies/clauses/who.md": WHO_MD.replace("id: who-we-are", "id: about-us"),
            "policies/clauses/who-eu.md": EU_VARIANT.replace("of: who-we-are", "of: about-us"),
            "policies/clauses/data.md": DATA_MD.replace(
                "id: data-we-collect", "id: what-we-collect"
            )
            .replace("- your name;\n", "")
            .replace("your delivery address.", "your e-mail address."),
        }
    )
    result = translated.policy("i18n", "update")
    assert (
        "de/LC_MESSAGES/policy.po: updated; 9 unchanged, 1 changed (fuzzy), 0 untranslated, "
        in (result.stderr)
    )
    catalog = read_catalog(translated.read(catalog_file("de")))
    assert catalog.get("Who we are", "about-us").string == "Wer wir sind"
    assert catalog.get("Under the GDPR, {{ company.name }} is the controller.", "about-us@eu")
    changed = catalog.get("your e-mail address.", "what-we-collect")
    assert changed.fuzzy and changed.previous_id == ("your delivery address.",)
    assert catalog.get("Who we are", "who-we-are") is None
    assert [m.context for m in catalog.obsolete.values()] == ["data-we-collect"]


def _section_of(page: str, clause_id: str) -> str:
    """The clause's section of a document page, as written."""
    found = re.search(
        rf'<section class="policy-clause" aria-labelledby="{clause_id}">.*?</section>', page, re.S
    )
    assert found, clause_id
    return found.group(0)


def test_links_to_a_renamed_clause_still_lead_to_it_in_every_language(translated):
    translated.write(
        {
            "policies/clauses/who.md": WHO_MD.replace("id: who-we-are", "id: about-us"),
            "policies/clauses/who-eu.md": EU_VARIANT.replace("of: who-we-are", "of: about-us"),
        }
    )
    assert translated.policy("i18n", "update").returncode == 0
    translated.commit(
        "Call the first clause about-us",
        {"policies/change.yml": change_yml("A new name for a section.", "2026-01-03")},
    )
    result = translated.policy("build")
    assert result.returncode == 0, result.stderr
    former = '<span id="who-we-are" class="policy-clause__former"></span>'
    for document in ("eu/en", "eu/de", "eu/ar", "global/en", "global/de"):
        page = translated.read(f"site/{document}/index.html")
        assert page.count('id="who-we-are"') == 1, document
        assert former in _section_of(page, "about-us"), document
        assert former in translated.read(f"site/{document}/v/2/index.html"), document
        # The version before the rename has the id as its heading's, and no former one.
        first = translated.read(f"site/{document}/v/1/index.html")
        assert '<h2 id="who-we-are">' in first and "policy-clause__former" not in first
    german = _section_of(translated.read("site/eu/de/index.html"), "about-us")
    assert "Wer wir sind" in german
    # The version exists for the new address alone; its redline says so rather than nothing.
    assert "this version changes only the addresses of sections" in translated.read(
        "site/eu/en/changes/2/index.html"
    )
    assert "Diese Version ändert nur die Adressen" in translated.read(
        "site/eu/de/changes/2/index.html"
    )


def test_a_new_clause_does_not_take_the_translations_of_a_removed_one(translated):
    # It shares one message of its four with the clause that is gone: less than half.
    cookies = (
        WHO_MD.replace("id: who-we-are", "id: cookies")
        .replace("title: Who we are", "title: Cookies")
        .replace("{{ company.name }}", "We set no cookies.\n\nNone at all.\n\n{{ company.name }}")
    )
    translated.write({"policies/clauses/who.md": cookies, "policies/clauses/who-eu.md": None})
    result = translated.policy("i18n", "update")
    assert (
        "de/LC_MESSAGES/policy.po: updated; 8 unchanged, 0 changed (fuzzy), 4 untranslated, "
        in (result.stderr)
    )
    catalog = read_catalog(translated.read(catalog_file("de")))
    assert {m.context for m in catalog.obsolete.values()} == {"who-we-are", "who-we-are@eu"}
