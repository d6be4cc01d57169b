"""The site's English words around a page's body (the theme's header and navigation) and in its feeds, on a page in a language without an interface catalog, are marked
English, as the body's are (WCAG 3.1.2)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from conftest import BASE_FILES, change_yml
from histories import GERMAN, GERMAN_FULL_NAME, po

JURISDICTIONS = "global:\n  name: Worldwide\n  languages: [en, ja, de, he]\n"
JAPANESE = {
    **GERMAN_FULL_NAME,
    ("jurisdiction", "Worldwide"): "全世界",
    ("change", "Full name."): "氏名。",
}
"""Any complete text will do; the region's name and the second change's summary in Japanese."""

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OURS = (
    "Changes",
    "All versions",
    "Compare versions",
    "History of each section",
    "Version 1",
    "Version 2",
    "What changed in version 2",
    "Choose your region and language",
)
"""The site's words that the frame shows on a document's pages."""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Japanese and Hebrew (right to left) have no interface catalog, German has one. Version 2
    is translated (Japanese names the region, and translates the change's summary), version 3 is
    not (the translations lag behind), and the policy's title was renamed in it: version 1 and 2's
    own pages keep the old one."""
    from conftest import Project

    project = Project(tmp_path_factory.mktemp("frame") / "project")
    catalogs = {f"locales/{tag}/LC_MESSAGES/policy.po": po(GERMAN) for tag in ("ja", "de", "he")}
    project.commit(
        "First version",
        {**BASE_FILES, "policies/jurisdictions.yml": JURISDICTIONS, **catalogs},
    )
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": BASE_FILES["policies/clauses/data.md"].replace(
                "your name;", "your full name;"
            ),
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
            "locales/ja/LC_MESSAGES/policy.po": po(JAPANESE),
            "locales/he/LC_MESSAGES/policy.po": po(GERMAN_FULL_NAME),
            "locales/de/LC_MESSAGES/policy.po": po(GERMAN_FULL_NAME),
        },
    )
    project.commit(
        "Mail us",
        {
            "policies/site.yml": BASE_FILES["policies/site.yml"].replace(
                "title: Privacy policy", "title: Privacy notice"
            ),
            "policies/clauses/who.md": BASE_FILES["policies/clauses/who.md"].replace(
                "Write to", "Mail"
            ),
            "policies/change.yml": change_yml("Mail us.", "2026-01-03", "editorial"),
        },
    )
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    return project


class _Frame(HTMLParser):
    """Each text of a page outside its body (`md-content`) and outside `<title>`, with the
    language of its nearest element that names one."""

    VOID = frozenset({"br", "hr", "img", "input", "link", "meta", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []
        self.texts: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        found = dict(attrs)
        body = "md-content" in (found.get("class") or "").split()
        self.stack.append((tag, found.get("lang"), body))

    def handle_endtag(self, tag):
        for at in range(len(self.stack) - 1, -1, -1):
            if self.stack[at][0] == tag:
                del self.stack[at:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        tags = {tag for tag, _, _ in self.stack}
        if not text or tags & {"title", "script", "style"} or any(b for *_, b in self.stack):
            return
        lang = next((lang for _, lang, _ in reversed(self.stack) if lang is not None), None)
        self.texts.append((text, lang))


def frame_texts(html: str) -> list[tuple[str, str | None]]:
    parser = _Frame()
    parser.feed(html)
    return parser.texts


PAGES = ["", "changes/", "changes/2/", "v/", "v/1/", "v/2/", "compare/", "history/"]


@pytest.mark.parametrize("language", ["ja", "he"])
@pytest.mark.parametrize("page", PAGES)
def test_the_site_s_english_words_in_the_frame_are_marked_english(site, language, page):
    html = site.read(f"site/global/{language}/{page}index.html")
    texts = frame_texts(html)
    ours = [(text, lang) for text, lang in texts if text in OURS]
    assert ("Choose your region and language", "en") in ours  # the navigation's first entry
    assert all(lang == "en" for _, lang in ours), ours
    # Marked as the body marks them: left to right on a right-to-left page too.
    assert re.search(r'<span lang="en" dir="ltr">Choose your region and language</span>', html)


@pytest.mark.parametrize("language", ["ja", "he"])
def test_the_site_s_name_in_the_frame_is_marked_with_its_language(site, language):
    """The site's name, the policy's title no catalog translates, is English on a Japanese or
    Hebrew page: the theme prints it in the header (its first topic, and the logo link's
    `aria-label` and `title`, which only the link's language can mark) and atop the navigation."""
    for page in PAGES:
        html = site.read(f"site/global/{language}/{page}index.html")
        names = [lang for text, lang in frame_texts(html) if text == "Privacy notice"]
        assert len(names) >= 2 and set(names) == {"en"}, (page, names)
        logo = re.search(r'<a [^>]*class="md-header__button md-logo"[^>]*>', html)
        assert logo is not None and 'aria-label="Privacy notice"' in logo.group(), page
        assert ' lang="en" dir="ltr"' in logo.group(), page
        drawer = re.search(r'<label class="md-nav__title" for="__drawer"[^>]*>', html)
        assert drawer is not None and ' lang="en" dir="ltr"' in drawer.group(), page


def test_the_header_and_the_table_of_contents_mark_the_title_s_english_words(site):
    changes = site.read("site/global/ja/changes/index.html")
    marked = '<span lang="en" dir="ltr">Changes</span> · <span lang="en" dir="ltr">Privacy notice</span> · 全世界'
    # The header's title (which the theme shows once the page's heading scrolls away).
    header = changes.split('data-md-component="header-topic"', 1)[1].split("</div>", 1)[0]
    assert marked in header
    # The tab's title cannot hold a mark: it is the text.
    assert "<title>Changes · Privacy notice · 全世界</title>" in changes
    # A version's own page names the policy and the region as they were then (the region had no
    # Japanese name yet): its tab's title names the site too.
    version = site.read("site/global/ja/v/1/index.html")
    assert (
        '<span lang="en" dir="ltr">Version 1</span> · <span lang="en" dir="ltr">Privacy policy'
        '</span> · <span lang="en" dir="ltr">Worldwide</span>' in version
    )
    assert "<title>Version 1 · Privacy policy · Worldwide - Privacy notice</title>" in version
    # The Hebrew page's region is not translated: English, marked so too.
    hebrew = site.read("site/global/he/v/index.html")
    assert (
        '<span lang="en" dir="ltr">All versions</span> · <span lang="en" dir="ltr">Privacy notice'
        '</span> · <span lang="en" dir="ltr">Worldwide</span>' in hebrew
    )
    # The search index takes the policy's title as text.
    assert "<span" not in site.read("site/global/ja/search.json")


def test_a_page_of_a_language_with_an_interface_catalog_marks_nothing_in_its_frame(site):
    for page in PAGES:
        html = site.read(f"site/global/de/{page}index.html")
        frame = html.split('class="md-content"', 1)[0]
        assert 'lang="en"' not in frame, page
    assert "<title>Änderungen · Privacy notice · Worldwide</title>" in site.read(
        "site/global/de/changes/index.html"
    )


def _entries(feed: ET.Element) -> list[ET.Element]:
    return feed.findall(f"{ATOM}entry")


@pytest.mark.parametrize("language", ["ja", "he"])
def test_the_feed_s_english_words_are_marked_english(site, language):
    feed = ET.fromstring(site.read(f"site/global/{language}/feed.xml").encode())
    assert feed.get(XML_LANG) == language
    lag, second, first = _entries(feed)
    for element in (lag.find(f"{ATOM}title"), lag.find(f"{ATOM}summary")):
        assert element.get(XML_LANG) == "en", ET.tostring(element)
        assert element.text.startswith(("A newer version", "The policy was updated"))
    for entry, number in ((second, 2), (first, 1)):
        title = entry.find(f"{ATOM}title")
        assert (title.text, title.get(XML_LANG)) == (f"Version {number} (Material change)", "en")
        assert entry.find(f"{ATOM}category").get(XML_LANG) == "en"
        spans = entry.find(f"{ATOM}summary").iter(f"{XHTML}span")
        effective = [span for span in spans if span.text.startswith("(Effective")]
        assert [(span.get(XML_LANG), span.get("dir")) for span in effective] == [("en", "ltr")]
    # The feed's title: the policy's, untranslated, and the region's, English in Hebrew.
    title = feed.find(f"{ATOM}title")
    assert title.get(XML_LANG) == ("en" if language == "he" else None)


def test_a_translated_summary_and_region_keep_the_page_s_language_in_the_feeds(site):
    japanese = ET.fromstring(site.read("site/global/ja/feed.xml").encode())
    _, second, _ = _entries(japanese)
    div = second.find(f"{ATOM}summary/{XHTML}div")
    assert div.text == "氏名。 " and div.get(XML_LANG) is None
    assert [span.text for span in div] == ["(Effective January 2, 2026)"]
    # The feed of every change names the entry's region in Japanese, its words in English.
    every = ET.fromstring(site.read("site/feed.xml").encode())
    titles = [
        entry.find(f"{ATOM}title")
        for entry in _entries(every)
        if entry.get(XML_LANG) == "ja" and entry.find(f"{ATOM}title").get("type") == "xhtml"
    ]
    # The lag notice and version 2 (version 1 was published while the region had no Japanese
    # name: its whole title is English, marked so).
    assert len(titles) == 2
    div = titles[1].find(f"{XHTML}div")
    assert div.text == "全世界 (ja) · "
    assert [(s.text, s.get(XML_LANG)) for s in div] == [("Version 2 (Material change)", "en")]
    # Hebrew has no name of its own for the region: the whole title is English.
    hebrew = [e.find(f"{ATOM}title") for e in _entries(every) if e.get(XML_LANG) == "he"]
    assert {(t.get(XML_LANG), t.text.split(" · ")[0]) for t in hebrew} == {("en", "Worldwide (he)")}


def test_a_feed_of_a_language_with_an_interface_catalog_marks_nothing(site):
    """Only the summaries German does not translate are marked, as they were."""
    german = ET.fromstring(site.read("site/global/de/feed.xml").encode())
    marked = [e.tag for e in german.iter() if e.get(XML_LANG) and e.tag != f"{ATOM}feed"]
    assert marked == [f"{XHTML}span"] * 2
