"""The site's own words are extracted into interface.pot and translated completely."""

from __future__ import annotations

import re

import pytest
from histories import GERMAN, announce_full_name, po
from translating import msgfmt_check

from generator.interface import (
    LOCALES_DIR,
    interface_language,
    interface_translations,
    wording_language,
)
from generator.interface_catalogs import TEMPLATE, extract_interface
from generator.not_found import not_found_words
from generator.pofiles import messages, read_catalog

LANGUAGES = ("ar", "de", "es", "fr", "pt_BR", "zh_Hans")


def interface_catalog(name: str):
    return read_catalog((LOCALES_DIR / name / "LC_MESSAGES" / "interface.po").read_text("utf-8"))


def test_template_has_every_string_of_the_templates_and_modules():
    # Messages, not locations: moving a line in pages.py does not make the template stale.
    extracted = [(m.context, m.id) for m in messages(extract_interface())]
    committed = [(m.context, m.id) for m in messages(read_catalog(TEMPLATE.read_text("utf-8")))]
    assert committed == extracted, (
        "generator/locales/interface.pot is stale: run 'policy i18n interface'"
    )


@pytest.mark.parametrize("name", LANGUAGES)
def test_interface_catalog_is_complete(name):
    wanted = {(m.context, m.id) for m in messages(extract_interface())}
    catalog = interface_catalog(name)
    found = {(m.context, m.id): m for m in messages(catalog)}
    assert set(found) == wanted
    assert [m.id for m in found.values() if not m.string] == []
    assert [m.id for m in found.values() if m.fuzzy] == []
    assert not catalog.obsolete
    assert catalog.header("Language") == name


@pytest.mark.parametrize("name", LANGUAGES)
def test_interface_catalog_passes_msgfmt(name):
    result = msgfmt_check(str(LOCALES_DIR / name / "LC_MESSAGES" / "interface.po"))
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_template_passes_msgfmt():
    result = msgfmt_check(str(TEMPLATE))
    assert result.returncode == 0, result.stderr


def test_placeholders_are_python_format_checked():
    catalog = interface_catalog("de")
    message = catalog.get("Version %(number)s")
    assert "python-format" in message.flags


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("de", "Datenschutzerklärung"),
        ("fr", "Politique de confidentialité"),
        ("es", "Política de privacidad"),
        ("pt-BR", "Política de privacidade"),
        ("zh-Hans", "隐私政策"),
        ("ar", "سياسة الخصوصية"),
        ("en", "Privacy policy"),
        ("de-AT", "Datenschutzerklärung"),
        ("ja", "Privacy policy"),
    ],
)
def test_interface_finds_each_catalog_by_its_tag(tag, expected):
    translations = interface_translations(tag)
    assert translations.gettext("Privacy policy") == expected
    assert "3" in translations.gettext("Version %(number)s") % {"number": 3}


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("de", "de"), ("de-AT", "de"), ("pt-BR", "pt-BR"), ("zh-Hans", "zh-Hans"), ("ja", "en")],
)
def test_interface_language_is_the_language_of_the_words_shown(tag, expected):
    assert interface_language(tag) == expected


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("de", "de"), ("de-AT", "de-AT"), ("pt-BR", "pt-BR"), ("ja", "en"), ("pt-PT", "en")],
)
def test_a_sentence_writes_its_dates_in_the_language_of_its_words(tag, expected):
    """Its own when the words are in its language (de-AT's "Jänner"); English with English words,
    not "Effective 2026年1月10日"."""
    assert wording_language(tag) == expected


def test_a_page_without_words_of_its_language_writes_its_dates_as_its_words_do(make_project):
    """A Japanese page, which the interface has no words for, says "Effective January 1, 2026",
    and names the source language in English, as the sentence around them is written."""
    project = make_project(
        {
            "policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en, ja]\n",
            "locales/ja/LC_MESSAGES/policy.po": po(GERMAN),
        }
    )
    announce_full_name(project, "2026-01-02")  # not yet in Japanese
    assert project.policy("build").returncode == 0
    page = project.read("site/global/ja/index.html")
    assert f'effective <time datetime="2026-01-01"{IN_ENGLISH}>January 1, 2026</time>' in page
    assert "Read the updated policy in English." in page
    changes = project.read("site/global/ja/changes/index.html")
    assert f'Effective <time datetime="2026-01-01"{IN_ENGLISH}>January 1, 2026</time>' in changes
    feed = project.read("site/global/ja/feed.xml")
    assert "(Effective January 1, 2026)" in feed


IN_ENGLISH = ' lang="en" dir="ltr"'


def test_the_site_s_english_words_on_a_page_in_another_language_are_marked_english(make_project):
    """Japanese has no interface catalog: the site's own words on its pages are English, marked
    so that a screen reader reads them in English (WCAG 3.1.2). Written as text, each is a span;
    where no tag can go (an attribute, an <option>), the element carries the language, and the
    page's own words inside the site's sentences are marked Japanese. A language with a catalog
    (German) marks nothing."""
    project = make_project(
        {
            "policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en, ja, de]\n",
            "locales/ja/LC_MESSAGES/policy.po": po(GERMAN),
            "locales/de/LC_MESSAGES/policy.po": po(GERMAN),
        }
    )
    assert project.policy("build").returncode == 0
    page = project.read("site/global/ja/index.html")
    assert f"<span{IN_ENGLISH}>Copy link</span>" in page
    assert f'aria-label="Link to this section"{IN_ENGLISH}>#</a>' in page
    assert (
        f'data-copy-failed="Copying failed: the link is in the address bar."{IN_ENGLISH}>' in page
    )
    assert f"<span{IN_ENGLISH}>Added in version 1, effective <time" in page
    # The two menus' names are the site's words, and so is all else in them but the names,
    # which carry their own language.
    # (their language, not their direction: their layout follows the page's)
    assert 'aria-label="Language and region" lang="en" data-search-exclude' in page
    assert 'aria-label="This policy" lang="en" data-search-exclude' in page
    assert 'class="policy-switcher__value" lang="ja" dir="ltr">日本語</span>' in page
    # A paragraph of the site's words only is theirs, so that its sentences follow each other
    # in their direction on a right-to-left page too.
    assert f"<p{IN_ENGLISH}><span{IN_ENGLISH}>Content hash (SHA-256)</span> <code" in page
    # The chooser's offer: English words, the language's and the region's names too.
    chooser = project.read("site/index.html")
    assert 'data-suggestion="Continue in Japanese · Worldwide" data-suggestion-lang="en"' in chooser
    versions = project.read("site/global/ja/v/index.html")
    assert f'<td role="cell" data-label="In force from"{IN_ENGLISH}>' in versions
    # No attribute holds markup: the marks went only where a tag can go.
    for path in (project.root / "site/global/ja").rglob("*.html"):
        for value in re.findall(r'="([^"]*)"', path.read_text("utf-8")):
            assert "<" not in value, (path, value)
    german = project.read("site/global/de/index.html")
    assert "Link kopieren" in german
    assert f"<span{IN_ENGLISH}>" not in german
    assert IN_ENGLISH + ">#</a>" not in german
    assert '<time datetime="2026-01-01">1. Januar 2026</time>' in german


def test_the_error_page_has_words_for_each_language_the_interface_speaks():
    documents = [("eu", "de-AT"), ("eu", "de"), ("global", "ja"), ("global", "ar"), ("eu", "fr")]
    words = not_found_words(documents, "fr")
    # The source language's words come first: they show where no address picks others.
    assert [w.language for w in words] == ["fr", "de", "ar", "en"]
    by_language = {w.language: w for w in words}
    assert by_language["fr"].documents == ("eu/fr/",)
    assert by_language["de"].documents == ("eu/de/", "eu/de-at/")
    # Japanese has no interface catalog: its readers get the English words, marked English.
    assert by_language["en"].documents == ("global/ja/",)
    assert by_language["en"].heading == "Page not found"
    assert by_language["de"].heading == "Seite nicht gefunden"
    assert by_language["ar"].direction == "rtl"
    assert by_language["fr"].direction == "ltr"


@pytest.mark.parametrize(
    ("tag", "said"),
    [
        ("xx-Bogus", "'xx-Bogus' has the shape of a language tag, but CLDR has no data for it"),
        ("it_IT", "'it_IT' is not a language tag. Use BCP 47 tags such as 'it' or 'pt-BR'."),
    ],
)
def test_adding_an_interface_language_with_a_wrong_tag_says_so(tag: str, said: str) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    before = sorted(p.name for p in LOCALES_DIR.iterdir())
    result = CliRunner().invoke(main, ["i18n", "interface", "--add", tag])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert said in result.output
    assert sorted(p.name for p in LOCALES_DIR.iterdir()) == before
