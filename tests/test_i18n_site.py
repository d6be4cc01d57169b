"""Translated documents on the built site: language, direction, dates, switchers, and the rule that a
lagging translation keeps its last complete version, says so, and catches up with a new version."""

from __future__ import annotations

import hashlib
import json
import re

import feedparser
import pytest
from conftest import DATA_MD, change_yml
from translating import ARABIC, translate

JURISDICTIONS = """\
global:
  name: Worldwide
  languages: [en, ar]
"""

PHONE = "your delivery address and phone number."
PHONE_AR = "عنوان التوصيل ورقم هاتفك."
SUMMARY = "We now ask for your phone number."
SUMMARY_AR = "نطلب الآن رقم هاتفك."
NOTICE_AR = "توجد نسخة أحدث"


@pytest.fixture
def lagging(make_project):
    """Arabic translated completely (day 2), then the English source changes (day 3) and the
    catalog is updated, leaving one Arabic paragraph fuzzy."""
    project = make_project({"policies/jurisdictions.yml": JURISDICTIONS})
    assert project.policy("i18n", "update").returncode == 0
    translate(project, "ar", ARABIC)
    project.commit("Translate into Arabic")
    project.write(
        {
            "policies/clauses/data.md": DATA_MD.replace("- your delivery address.", f"- {PHONE}"),
            "policies/change.yml": change_yml(SUMMARY, effective="2026-01-03"),
        }
    )
    assert project.policy("i18n", "update").returncode == 0
    project.commit("Ask for a phone number")
    return project


def build(project) -> None:
    result = project.policy("build")
    assert result.returncode == 0, result.stderr


def record(project, language: str) -> dict:
    return json.loads(project.read(f"site/global/{language}/versions.json"))


def test_arabic_page_is_right_to_left_with_arabic_dates_and_switchers(lagging):
    build(lagging)
    page = lagging.read("site/global/ar/index.html")
    assert '<html lang="ar"' in page
    assert '<body dir="rtl"' in page
    assert '<time datetime="2026-01-02">2 يناير 2026</time>' in page
    assert (
        '<a href="../en/" hreflang="en" lang="en" dir="ltr">English</a>' in page
        and '<a href="./" hreflang="ar" lang="ar" dir="rtl" aria-current="page">العربية</a>' in page
    )
    assert "سياسة الخصوصية" in page  # the interface heading, from interface.po
    assert 'class="policy-jurisdiction">جميع أنحاء العالم</span>' in page  # from policy.po
    english = lagging.read("site/global/en/index.html")
    assert '<html lang="en"' in english and '<body dir="ltr"' in english


def test_lagging_translation_stays_on_its_last_complete_version_and_says_so(lagging):
    build(lagging)
    page = lagging.read("site/global/ar/index.html")
    assert ARABIC["your delivery address."] in page
    assert "phone" not in page and PHONE_AR not in page
    assert f'<p class="admonition-title">{NOTICE_AR}</p>' in page
    assert '<a href="../en/" hreflang="en">اقرأ السياسة المحدَّثة (الإنجليزية).</a>' in page
    changes = lagging.read("site/global/ar/changes/index.html")
    assert f'<p class="admonition-title">{NOTICE_AR}</p>' in changes
    feed = feedparser.parse(lagging.read("site/global/ar/feed.xml"))
    assert [e.title for e in feed.entries] == [NOTICE_AR, "النسخة 1 (تغيير جوهري)"]
    assert feed.entries[0].link.endswith("global/en/")
    data = record(lagging, "ar")
    assert [v["number"] for v in data["versions"]] == [1]
    assert data["translation_lag"] == {
        "source_version": 2,
        "translated_source_version": 1,
        "missing": 0,
        "fuzzy": 1,
    }
    assert "phone number" in lagging.read("site/global/en/index.html")
    assert NOTICE_AR not in lagging.read("site/global/ar/v/1/index.html")
    # The notice is about the page, not policy text: the search index leaves it out.
    index = json.loads(lagging.read("site/search/search_index.json"))
    arabic = [doc for doc in index["docs"] if doc["location"].startswith("global/ar/")]
    assert any(ARABIC["your delivery address."] in doc["text"] for doc in arabic)
    assert not any(NOTICE_AR in doc["title"] + doc["text"] for doc in index["docs"])


def test_a_summary_not_yet_translated_keeps_its_own_direction_on_arabic_pages(lagging):
    """Arabic catches up with the text, not yet with the change note: its English summary is
    marked left to right, or the right-to-left page moves its full stop to the front."""
    translate(lagging, "ar", {PHONE: PHONE_AR})
    lagging.commit("Catch up the Arabic text")
    build(lagging)
    assert record(lagging, "ar")["versions"][-1]["summary_language"] == "en"
    summary = f'<p class="policy-summary" lang="en" dir="ltr">{SUMMARY}</p>'
    assert summary in lagging.read("site/global/ar/changes/2/index.html")
    assert summary in lagging.read("site/global/ar/changes/index.html")
    feed = " ".join(lagging.read("site/global/ar/feed.xml").split())
    assert f'<span xml:lang="en" dir="ltr">{SUMMARY}</span>' in feed


def test_catching_up_publishes_a_new_version_in_that_language(lagging):
    translate(lagging, "ar", {PHONE: PHONE_AR, SUMMARY: SUMMARY_AR})
    lagging.commit("Catch up the Arabic translation")  # day 4
    build(lagging)
    data = record(lagging, "ar")
    assert data["translation_lag"] is None
    latest = data["versions"][-1]
    assert {k: latest[k] for k in ("number", "source_version", "summary", "summary_language")} == {
        "number": 2,
        "source_version": 2,
        "summary": SUMMARY_AR,
        "summary_language": "ar",
    }
    # Effective as the source version says, in force from the day the translation was published.
    assert (latest["effective"], latest["in_force_from"]) == ("2026-01-03", "2026-01-04")
    assert latest["kind"] == "material" and latest["translation_only"] is False
    page = lagging.read("site/global/ar/index.html")
    assert PHONE_AR in page and NOTICE_AR not in page
    assert '<time datetime="2026-01-04">4 يناير 2026</time>' in page
    changes = lagging.read("site/global/ar/changes/index.html")
    assert f'<p class="policy-summary">{SUMMARY_AR}</p>' in changes
    feed = feedparser.parse(lagging.read("site/global/ar/feed.xml"))
    assert [e.title for e in feed.entries] == ["النسخة 2 (تغيير جوهري)", "النسخة 1 (تغيير جوهري)"]
    assert feed.entries[0].summary == f"{SUMMARY_AR} (تسري اعتبارًا من 4 يناير 2026)"


def test_a_version_revised_in_translation_only_is_its_own_current_menu_item(make_project):
    """Arabic version 2 revises version 1's wording and translates the same English version: the
    language menu on Arabic version 1 marks version 1 itself as the page being read, and English
    maps to the version both translate."""
    project = make_project({"policies/jurisdictions.yml": JURISDICTIONS})
    assert project.policy("i18n", "update").returncode == 0
    translate(project, "ar", ARABIC)
    project.commit("Translate into Arabic")
    translate(project, "ar", {"your name;": "اسمك الكامل؛"})
    project.commit("Better Arabic")
    build(project)
    assert [v["source_version"] for v in record(project, "ar")["versions"]] == [1, 1]
    first = project.read("site/global/ar/v/1/index.html")
    assert '<a href="./" hreflang="ar" lang="ar" dir="rtl" aria-current="page">العربية</a>' in first
    assert '<a href="../../../en/v/1/" hreflang="en" lang="en" dir="ltr">English</a>' in first
    second = project.read("site/global/ar/v/2/index.html")
    assert (
        '<a href="./" hreflang="ar" lang="ar" dir="rtl" aria-current="page">العربية</a>' in second
    )


def _site_names(page: str) -> tuple[str, str]:
    """The site's name as the page's header shows it, and as the page's title does: after " - ",
    or, in a title that names the site already, inside it (the page is not named twice)."""
    header = re.search(
        r'<div class="md-header__topic">\s*<span class="md-ellipsis">\s*(.*?)\s*<', page
    )
    title = re.search(r"<title>(.*?)</title>", page)
    assert header and title
    named = title.group(1).rpartition(" - ")[2]
    if " - " not in title.group(1):
        assert header.group(1) in title.group(1), title.group(1)
        named = header.group(1)
    return header.group(1), named


def test_a_page_title_names_the_site_once(make_project):
    project = make_project()
    build(project)
    titles = {
        page: re.search(r"<title>(.*?)</title>", project.read(f"site/{page}index.html"))[1]
        for page in ("", "eu/en/", "eu/en/v/1/", "eu/en/changes/")
    }
    assert titles == {
        "": "Privacy policy",
        "eu/en/": "Privacy policy · European Union",
        "eu/en/v/1/": "Version 1 · Privacy policy · European Union",
        "eu/en/changes/": "Changes · Privacy policy · European Union",
    }


def _built_in_arabic_but(make_project, jurisdictions: str, left_out: str):
    """A project translated into Arabic but for one message, and built."""
    project = make_project({"policies/jurisdictions.yml": jurisdictions})
    assert project.policy("i18n", "update").returncode == 0
    translate(project, "ar", {k: v for k, v in ARABIC.items() if k != left_out})
    project.commit(f"Translate into Arabic, all but {left_out!r}")
    build(project)
    return project


def _translate_the_rest(project) -> None:
    """The message left out translated too, and the site built again (with its cache)."""
    translate(project, "ar", ARABIC)
    project.commit("Translate the rest")
    build(project)


def test_the_site_is_named_by_the_policy_title_in_each_language(make_project):
    """The header, the title bar and the policy's heading name the site by site.yml's title,
    translated in the catalog (msgctxt "site.title") once a translator has: a new translation
    reaches the pages kept in the cache too, and the feed; a version's own heading stays as it
    was published."""
    from conftest import BASE_FILES

    site_yml = BASE_FILES["policies/site.yml"].replace(
        "title: Privacy policy", "title: Privacy notice"
    )
    table = {**ARABIC, "Privacy notice": "إشعار الخصوصية"}
    project = make_project(
        {"policies/jurisdictions.yml": JURISDICTIONS, "policies/site.yml": site_yml}
    )
    assert project.policy("i18n", "update").returncode == 0
    translate(project, "ar", {k: v for k, v in table.items() if k != "Privacy notice"})
    project.commit("Translate into Arabic, all but the title")
    build(project)
    pages = ("site/global/ar/index.html", "site/global/ar/v/1/index.html")
    for page in pages:
        assert _site_names(project.read(page)) == ("Privacy notice",) * 2, page
    # In English on the Arabic page until translated: marked so, and set left to right.
    assert '<h1 id="_title"><span lang="en" dir="ltr">Privacy notice</span> <span' in (
        project.read(pages[0])
    )
    translate(project, "ar", table)
    project.commit("Translate the title")
    build(project)
    for page in pages:
        assert _site_names(project.read(page)) == ("إشعار الخصوصية",) * 2, page
    assert '<h1 id="_title">إشعار الخصوصية <span' in project.read(pages[0])
    # Version 1 was published with the title in English: its own heading stays as it was.
    assert '<h1 id="_title"><span lang="en" dir="ltr">Privacy notice</span> <span' in (
        project.read(pages[1])
    )
    assert _site_names(project.read("site/global/en/v/1/index.html")) == ("Privacy notice",) * 2
    # The error page's script names the site in Arabic for an address under an Arabic document.
    error_page = project.read("site/404.html")
    assert 'lang="ar" dir="rtl" data-policy-words data-policy-site-name="إشعار الخصوصية"' in (
        error_page
    )
    assert 'lang="en" dir="ltr" data-policy-words data-policy-site-name=""' in error_page
    feed = feedparser.parse(project.read("site/global/ar/feed.xml"))
    assert feed.feed.title == "إشعار الخصوصية · جميع أنحاء العالم (ar)"


def test_the_default_title_untranslated_reads_in_the_sites_own_words(make_project):
    """site.yml without a title of its own: a catalog that does not translate it leaves the
    Arabic pages, the error page's Arabic words and the Arabic feed named in the site's own
    Arabic words, not in English."""
    project = _built_in_arabic_but(make_project, JURISDICTIONS, "Privacy policy")
    page = project.read("site/global/ar/index.html")
    assert _site_names(page) == ("سياسة الخصوصية",) * 2
    assert '<h1 id="_title">سياسة الخصوصية <span' in page
    # The error page and the feed name it so too.
    error_page = project.read("site/404.html")
    assert 'lang="ar" dir="rtl" data-policy-words data-policy-site-name="سياسة الخصوصية"' in (
        error_page
    )
    feed = feedparser.parse(project.read("site/global/ar/feed.xml"))
    assert feed.feed.title == "سياسة الخصوصية · جميع أنحاء العالم (ar)"


def _navigation(page: str) -> list[str]:
    """The entries of the page's navigation (the drawer on a phone): the chooser first, then
    each region, with the languages and the table of contents of the page's own."""
    start = page.index("md-nav--primary")
    end = page.find("md-sidebar--secondary", start)
    return re.findall(r'<span class="md-ellipsis">\s*(.*?)\s*</span>', page[start:end])


def _link(page: str, entry: str) -> str:
    """Where an entry of the page's navigation links to."""
    found = re.search(
        rf'<a href="([^"]*)" class="md-nav__link">\s*<span class="md-ellipsis">\s*{entry}\s*<', page
    )
    assert found, entry
    return found.group(1)


def test_the_navigation_names_each_region_in_the_page_language(make_project):
    """One navigation serves every page; each page names its entries in its own language, as a
    translator has translated them, and a page kept in the cache follows a new translation. A
    collapsed region links to its document in the page's language. The chooser is named for what
    it does: the site's name heads the navigation already."""
    eu = "eu:\n  name: European Union\n  extends: global\n  languages: [en, ar]\n"
    project = _built_in_arabic_but(make_project, JURISDICTIONS + eu, "European Union")
    pages = ("site/global/ar/index.html", "site/global/ar/v/1/index.html")
    for page in pages:
        names = _navigation(project.read(page))
        assert names[0] == "اختر منطقتك ولغتك", page
        assert "سياسة الخصوصية" not in names, page
        assert {"جميع أنحاء العالم", "European Union"} <= set(names), page
        assert "Worldwide" not in names, page
    _translate_the_rest(project)
    for page in pages:
        names = _navigation(project.read(page))
        assert names[0] == "اختر منطقتك ولغتك", page
        assert {"جميع أنحاء العالم", "الاتحاد الأوروبي"} <= set(names), page
        assert not {"Worldwide", "European Union"} & set(names), page
    assert _link(project.read(pages[0]), "الاتحاد الأوروبي") == "../../eu/ar/"
    assert _link(project.read("site/global/en/index.html"), "European Union") == "../../eu/en/"
    for page in ("site/index.html", "site/global/en/v/1/index.html", "site/eu/en/index.html"):
        names = _navigation(project.read(page))
        assert names[0] == "Choose your region and language", page
        assert "Privacy policy" not in names, page
        assert {"Worldwide", "European Union"} <= set(names), page
        assert not {"جميع أنحاء العالم", "الاتحاد الأوروبي"} & set(names), page
    assert "European Union" in _navigation(project.read("site/404.html"))


def test_the_site_name_is_escaped_once(make_project):
    """The theme prints the name unescaped in some places and escapes it in another: an
    ampersand reads as one everywhere, never as `&amp;` shown."""
    from conftest import BASE_FILES

    site_yml = BASE_FILES["policies/site.yml"].replace(
        "title: Privacy policy", 'title: "Privacy & you"'
    )
    project = make_project({"policies/site.yml": site_yml})
    build(project)
    page = project.read("site/eu/en/index.html")
    assert _site_names(page) == ("Privacy &amp; you",) * 2
    assert 'title="Privacy &amp; you"' in page and 'aria-label="Privacy &amp; you"' in page
    assert "&amp;amp;" not in page


def test_values_in_arabic_text_are_isolated_on_the_page_but_not_in_the_version(lagging):
    """The Arabic text puts the company's name and e-mail address into Arabic sentences: the
    page isolates them (bidi.py), and the version's published text and hash do not change."""
    build(lagging)
    page = lagging.read("site/global/ar/index.html")
    assert '<bdi dir="ltr">Example Shop Ltd.</bdi> هذا المتجر' in page
    assert '<bdi dir="ltr">privacy@shop.example</bdi>' in page
    # The version's hash is the sha256 of its published text, which has no isolation in it.
    published = (lagging.root / "site/global/ar/v/1/document.json").read_bytes()
    assert b"Example Shop Ltd." in published and b"<bdi" not in published
    digest = "sha256:" + hashlib.sha256(published).hexdigest()
    assert digest == record(lagging, "ar")["versions"][0]["hash"]
    assert "<bdi" not in lagging.read("site/global/en/index.html")


def test_a_value_in_an_arabic_clause_title_is_isolated_wherever_the_title_shows(make_project):
    """A title that names the shop: its heading, its entry in the table of contents and its
    heading on the history page keep "Example Shop Ltd." whole in the Arabic text."""
    from conftest import WHO_MD

    project = make_project(
        {
            "policies/jurisdictions.yml": JURISDICTIONS,
            "policies/clauses/who.md": WHO_MD.replace(
                "title: Who we are", "title: About {{ company.name }}"
            ),
        }
    )
    assert project.policy("i18n", "update").returncode == 0
    translate(project, "ar", {**ARABIC, "About {{ company.name }}": "عن {{ company.name }}"})
    project.commit("Translate into Arabic")
    build(project)
    isolated = 'عن <bdi dir="ltr">Example Shop Ltd.</bdi>'
    page = project.read("site/global/ar/index.html")
    assert f'<h2 id="who-we-are">{isolated}<a' in page
    toc = page[page.index('class="md-nav md-nav--secondary"') :]
    assert re.search(
        rf'href="#who-we-are"[^>]*>\s*<span class="md-ellipsis">\s*{isolated}\s*<', toc
    )
    history = project.read("site/global/ar/history/index.html")
    assert f'<h2 id="who-we-are">{isolated}</h2>' in history
    # In English, the same value reads the page's way: nothing to isolate.
    assert "<bdi" not in project.read("site/global/en/index.html")
