"""Languages that stress a site: Simplified Chinese and Japanese (no spaces between words) and Arabic
(right to left), in the machine's Chromium against a small real project served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from conftest import BASE_FILES, Project, change_yml
from harness import PHONE, Served, contexts, serious_violations, served, shot, type_into
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sample import po_catalog

pytestmark = pytest.mark.browser

SOURCES = {
    "who": ("who-we-are", "Who we are"),
    "who-body": (
        "who-we-are",
        "{{ company.name }} runs this shop. Write to {{ contact.email }}.",
    ),
    "data": ("data-we-collect", "The information we collect"),
    "data-intro": ("data-we-collect", "We collect only what we need to deliver your order:"),
    "name": ("data-we-collect", "your name;"),
    "address": ("data-we-collect", "your delivery address."),
    "title": ("site.title", "Privacy policy"),
}

CHINESE = {
    "who": "我们是谁",
    "who-body": "{{ company.name }} 经营本店。请写信至 {{ contact.email }}。",
    "data": "我们收集的信息",
    "data-intro": "我们只收集配送订单所需的信息：",
    "name": "您的姓名；",
    "address": "您的收货地址。",
}

JAPANESE = {
    "who": "私たちについて",
    "who-body": "{{ company.name }} の本ポリシーに関するお問い合わせは、{{ contact.email }} まで"
    "ご連絡ください。",
    "data": "収集する個人情報",
    "data-intro": "ご注文の配送に必要な個人データのみを収集します：",
    "name": "お名前；",
    "address": "お届け先住所。",
}

ARABIC = {
    "who": "من نحن",
    "who-body": "{{ company.name }} تدير هذا المتجر. راسلنا على {{ contact.email }}.",
    "data": "المعلومات التي نجمعها",
    "data-intro": "نجمع فقط ما نحتاجه لتوصيل طلبك:",
    "name": "اسمك؛",
    "address": "عنوان التوصيل الخاص بك.",
    "title": "سياسة الخصوصية",
}

JURISDICTIONS = """\
global:
  name: Worldwide
  languages: [en, zh-Hans, ja, ar]
eu:
  name: European Union and European Economic Area
  extends: global
  languages: [en, ar]
"""
"""Two regions, one with a long name: an Arabic page has two menus side by side."""


def _catalog(language: str, words: dict[str, str]) -> str:
    return po_catalog(language, {SOURCES[key]: text for key, text in words.items()})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One jurisdiction in English, Simplified Chinese, Japanese and Arabic, built and served."""
    project = Project(tmp_path_factory.mktemp("scripts") / "project")
    project.commit(
        "First version",
        {
            **BASE_FILES,
            "policies/jurisdictions.yml": JURISDICTIONS,
            "locales/zh_Hans/LC_MESSAGES/policy.po": _catalog("zh_Hans", CHINESE),
            "locales/ja/LC_MESSAGES/policy.po": _catalog("ja", JAPANESE),
            "locales/ar/LC_MESSAGES/policy.po": _catalog("ar", ARABIC),
        },
    )
    # A revised Arabic translation alone: a second Arabic version, and its redline.
    revised = {
        **ARABIC,
        "address": "عنوان التوصيل.",
        "who-body": "{{ company.name }} تدير هذا المتجر. اكتب إلينا على {{ contact.email }}.",
    }
    project.commit("Arabic revised", {"locales/ar/LC_MESSAGES/policy.po": _catalog("ar", revised)})
    with served(project) as result:
        yield result


@pytest.fixture
def open_context(browser: Browser, site: Served) -> Iterator[Callable[..., BrowserContext]]:
    """New browser contexts that record every request they make."""
    with contexts(browser, site) as make:
        yield make


@pytest.fixture
def page(open_context: Callable[..., BrowserContext]) -> Page:
    """A desktop page."""
    return open_context(locale="en-US").new_page()


def test_chinese_search_finds_a_word_inside_a_sentence(site: Served, page: Page) -> None:
    page.goto(site.url + "global/zh-hans/")
    # "地址" (address) stands inside "您的收货地址。" with no space around it: only a word
    # segmentation of the index finds it.
    type_into(page, "input.md-search__input", "地址")
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible()
    paths = {urlsplit(h).path for h in results.evaluate_all("links => links.map(a => a.href)")}
    assert paths == {"/global/zh-hans/"}
    expect(page.locator(".md-search-result__item mark").first).to_have_text("地址")


@pytest.mark.parametrize("at", ["global/ja/", "global/ja/v/99/"], ids=["policy", "error-page"])
@pytest.mark.parametrize(
    ("query", "section"),
    [
        ("お問い合わせ", "who-we-are"),
        ("個人データ", "data-we-collect"),
        ("ご注文の配送", "data-we-collect"),  # の, a stop word, is not in the index
        ('"個人データ"', "data-we-collect"),  # lunr has no phrases: quotes are passed over
    ],
)
def test_japanese_search_finds_a_word_the_index_has_cut_apart(
    at: str, query: str, section: str, site: Served, page: Page
) -> None:
    """The theme cuts a Japanese page's text into words with TinySegmenter, by their context:
    お|問い合わせ after に関する, 個人|データ. It does not cut the query, each word of which must
    begin a word of the index: these queries found nothing. The error page searches every
    document's index, with the same worker."""
    page.goto(site.url + at)
    type_into(page, "input.md-search__input", query)
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible()
    found = {
        (urlsplit(h).path, urlsplit(h).fragment)
        for h in results.evaluate_all("links => links.map(a => a.href)")
    }
    ours = {("/global/ja/", ""), ("/global/ja/", section)}
    # The error page searches every document: the Chinese one has 配送 too.
    assert found == ours if at == "global/ja/" else ours <= found


def _found(page: Page) -> set[tuple[str, str]]:
    """The path and fragment of each search result, once there are some."""
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible()
    return {
        (urlsplit(h).path, urlsplit(h).fragment)
        for h in results.evaluate_all("links => links.map(a => a.href)")
    }


@pytest.mark.parametrize(
    ("query", "sections", "marked"),
    [
        ("经营地址", {"who-we-are", "data-we-collect"}, {"经营", "地址"}),
        ("+收货地址", {"data-we-collect"}, {"收货", "地址"}),
    ],
)
def test_chinese_search_keeps_the_last_word_of_a_query(
    query: str, sections: set[str], marked: set[str], site: Served, page: Page
) -> None:
    """The theme cuts a query's run of Han characters into words of the index but never tries
    one that ends where the run ends: 经营地址 searched 经营 alone (地址's section was not
    found), +收货地址 +收货."""
    page.goto(site.url + "global/zh-hans/")
    type_into(page, "input.md-search__input", query)
    assert _found(page) == {("/global/zh-hans/", "")} | {("/global/zh-hans/", s) for s in sections}
    marks = page.locator(".md-search-result__item mark")
    assert set(marks.evaluate_all("marks => marks.map(m => m.textContent)")) == marked


def test_a_chinese_query_with_a_character_no_page_has_finds_the_words_it_can(
    site: Served, page: Page
) -> None:
    """吗 is in no page: the query cannot be cut into words of the index, and is left to the
    theme, which finds the words it has (escaped whole, it was searched as one word, and found
    nothing)."""
    page.goto(site.url + "global/zh-hans/")
    type_into(page, "input.md-search__input", "经营地址吗")
    assert {fragment for _, fragment in _found(page)} >= {"who-we-are", "data-we-collect"}


@pytest.mark.parametrize("at", ["global/ja/", "global/ja/v/99/"], ids=["policy", "error-page"])
@pytest.mark.parametrize(
    "query",
    [
        "+個人データ",
        "+個人デー",  # unfinished: its last word is a beginning
        "個人データ~1",
        "個人データ^2",
        "text:個人データ",
    ],
)
def test_japanese_search_keeps_the_operators_of_a_word(
    at: str, query: str, site: Served, page: Page
) -> None:
    """A Japanese word with one of lunr's operators (+ required, a field) or modifiers (~ edit
    distance, ^ boost) was searched as written, uncut, and found nothing."""
    page.goto(site.url + at)
    type_into(page, "input.md-search__input", query)
    found = _found(page)
    ours = {("/global/ja/", ""), ("/global/ja/", "data-we-collect")}
    assert found == ours if at == "global/ja/" else ours <= found


@pytest.mark.parametrize(
    ("query", "kept", "excluded"),
    [
        # Not every section with お: お名前 stays.
        ("-お問い合わせ", "data-we-collect", "who-we-are"),
        ("-個人データ", "who-we-are", "data-we-collect"),
    ],
)
def test_japanese_search_excludes_the_sections_with_a_prohibited_word(
    query: str, kept: str, excluded: str, site: Served, page: Page
) -> None:
    page.goto(site.url + "global/ja/")
    type_into(page, "input.md-search__input", query)
    found = _found(page)
    assert ("/global/ja/", kept) in found
    assert ("/global/ja/", excluded) not in found


def test_japanese_search_requires_every_word_of_a_required_word(site: Served, page: Page) -> None:
    """お問い合わせ and 配送 are in different sections: neither has all of +お問い合わせ配送."""
    page.goto(site.url + "global/ja/")
    type_into(page, "input.md-search__input", "+お問い合わせ配送")
    expect(page.locator(".md-search-result__meta")).to_have_text("何も見つかりませんでした")


def test_the_error_page_under_an_arabic_document_reads_right_to_left(
    site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    """The script puts the page in Arabic; the theme's body kept the site's left-to-right
    direction, so the header stayed left to right."""
    page = open_context(locale="en-US").new_page()
    response = page.goto(site.url + "global/ar/v/99/")
    assert response is not None and response.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("body").get_attribute("dir") == "rtl"
    assert page.locator(".md-search").get_attribute("dir") == "ltr"  # its words are English


def test_arabic_page_reads_right_to_left(
    site: Served, page: Page, open_context: Callable[..., BrowserContext]
) -> None:
    page.goto(site.url + "global/ar/")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("body").get_attribute("dir") == "rtl"
    title = page.locator("h2#who-we-are").bounding_box()
    button = page.locator('[data-policy-copy="who-we-are"]').bounding_box()
    assert title and button and button["x"] < title["x"], "the copy button sits at the line's end"
    assert serious_violations(page) == []
    shot(page, "desktop-arabic")
    phone = open_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(site.url + "global/ar/")
    assert serious_violations(phone) == []
    shot(phone, "phone-arabic")


def test_arabic_redline_points_from_the_older_version_to_the_newer(
    site: Served, page: Page
) -> None:
    page.goto(site.url + "global/ar/changes/2/")
    versions = page.locator(".policy-redline__versions")
    older = versions.get_by_role("link").nth(0).bounding_box()
    newer = versions.get_by_role("link").nth(1).bounding_box()
    assert older and newer and newer["x"] < older["x"], "read right to left, 1 comes first"
    arrow = versions.locator(".policy-arrow")
    # The arrow is drawn mirrored: from the older version, on the right, to the newer.
    assert arrow.evaluate("a => getComputedStyle(a).transform") == "matrix(-1, 0, 0, 1, 0, 0)"
    shot(page, "desktop-arabic-redline")


_CHARACTER_BOXES = """(paragraph, wanted) => {
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(wanted);
        if (at < 0) continue;
        return [...wanted].map((_, i) => {
            const range = document.createRange();
            range.setStart(node, at + i);
            range.setEnd(node, at + i + 1);
            const box = range.getBoundingClientRect();
            return [box.left, box.right];
        });
    }
    return null;
}"""
"""The left and right edge on the screen of each character of `wanted`, in the paragraph."""


@pytest.mark.parametrize("path", ["global/ar/", "global/ar/v/1/", "global/ar/changes/2/"])
def test_arabic_page_shows_an_inserted_name_whole(path: str, site: Served, page: Page) -> None:
    # "{{ company.name }} تدير…": left to the bidirectional algorithm, the full stop of
    # "Example Shop Ltd." joins the Arabic words after it and shows left of the name,
    # ".Example Shop Ltd". Isolated, the name reads left to right, its full stop last.
    page.goto(site.url + path)
    paragraph = page.locator("section:has(h2#who-we-are) p").filter(has_text="Ltd.").first
    boxes = paragraph.evaluate(_CHARACTER_BOXES, "Ltd.")
    assert boxes, "the name is on the page"
    lefts = [left for left, _ in boxes]
    assert lefts == sorted(lefts), f"'L', 't', 'd', '.' from left to right: {boxes}"
    assert serious_violations(page) == []


def test_arabic_comparison_shows_an_inserted_name_whole(site: Served, page: Page) -> None:
    """The comparison is drawn by the page's script, from the published text: it isolates the
    values the page lists as the server-drawn pages do."""
    page.goto(site.url + "global/ar/compare/?from=1&to=2")
    result = page.locator("[data-policy-compare-result]")
    paragraph = result.locator("p").filter(has_text="Ltd.").first
    expect(paragraph).to_be_visible()
    assert paragraph.locator("bdi[dir=ltr]").first.text_content() == "Example Shop Ltd."
    boxes = paragraph.evaluate(_CHARACTER_BOXES, "Ltd.")
    lefts = [left for left, _ in boxes]
    assert lefts == sorted(lefts), f"'L', 't', 'd', '.' from left to right: {boxes}"


def test_the_error_page_frames_arabic_words_in_arabic(site: Served, page: Page) -> None:
    response = page.goto(site.url + "global/ar/v/99/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="الصفحة غير موجودة")).to_be_visible()
    assert page.title() == "الصفحة غير موجودة - سياسة الخصوصية"
    name = page.locator(".md-header__topic:not([data-md-component]) .md-ellipsis")
    assert (name.text_content() or "").strip() == "سياسة الخصوصية"
    assert (name.get_attribute("lang"), name.get_attribute("dir")) == ("ar", "rtl")
    assert serious_violations(page) == []


@pytest.mark.parametrize("width", [320, 360, 414])
def test_arabic_menus_open_within_a_phone_screen(
    width: int, site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    phone = open_context(viewport={"width": width, "height": 740}, is_mobile=True).new_page()
    phone.goto(site.url + "global/ar/")
    menus = phone.locator("details.policy-switcher")
    assert menus.count() >= 1
    for index in range(menus.count()):
        menus.nth(index).locator("summary").click()
        box = menus.nth(index).locator("ul").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (index, box)
        assert phone.evaluate("document.documentElement.scrollWidth") == width
        phone.keyboard.press("Escape")


def test_chinese_page_has_no_serious_accessibility_violations(site: Served, page: Page) -> None:
    page.goto(site.url + "global/zh-hans/")
    assert serious_violations(page) == []
    shot(page, "desktop-chinese")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("zh-CN", "global/zh-hans/"), ("ar-EG", "global/ar/"), ("zh-TW", None)],
)
def test_chooser_offers_the_script_the_browser_reads(
    locale: str, expected: str | None, site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    page = open_context(locale=locale).new_page()
    page.goto(site.url)
    page.wait_for_function("window.policyDiff !== undefined")  # our script has run
    offer = page.locator(".policy-suggestion__link")
    if expected is None:
        # Traditional Chinese is not published, and Simplified is not offered in its place.
        expect(page.locator("[data-policy-suggestion]")).to_be_hidden()
    else:
        expect(offer).to_have_attribute("href", expected)


@pytest.mark.parametrize(
    ("locale", "words", "lang", "arrow"),
    [
        ("ja-JP", "Continue in Japanese · Worldwide", "en", "→"),  # no interface catalog
        ("ar-EG", "تابِع باللغة العربية · Worldwide", "ar", "←"),
    ],
)
def test_the_chooser_s_offer_is_marked_with_the_language_of_its_words(
    locale: str,
    words: str,
    lang: str,
    arrow: str,
    site: Served,
    open_context: Callable[..., BrowserContext],
) -> None:
    """The offer to a Japanese browser is in English (the site has no Japanese words), the
    language's name too, and is marked English, not Japanese; an Arabic one stays Arabic."""
    page = open_context(locale=locale).new_page()
    page.goto(site.url)
    offer = page.locator(".policy-suggestion__link")
    expect(offer).to_have_text(words + arrow)
    expect(offer).to_have_attribute("lang", lang)
    expect(offer).to_have_attribute("dir", "rtl" if arrow == "←" else "ltr")


def test_a_japanese_redline_marks_the_site_s_english_words_as_the_script_does(
    tmp_path_factory: pytest.TempPathFactory, browser: Browser
) -> None:
    """Japanese has no interface catalog, so the site's words on a Japanese redline are English,
    marked so that a screen reader reads them in English, while the policy's words inside them
    (a link's text, a former title) stay Japanese: on the redline the server draws and on the
    comparison the compare page's script draws, alike."""
    who = "{{ company.name }} runs this shop. Write to us on our [contact page](https://shop.example/a)."
    moved = who.replace("/a)", "/b)")
    words = {
        ("who-we-are", "Who we are"): "私たちについて",
        (
            "who-we-are",
            who,
        ): "{{ company.name }} が運営しています。[お問い合わせページ](https://shop.example/a)へ。",
        **{
            (SOURCES[key][0], SOURCES[key][1]): JAPANESE[key]
            for key in ("data", "data-intro", "name", "address")
        },
    }
    revised = {
        **{k: v for k, v in words.items() if k[1] not in ("Who we are", who)},
        ("who-we-are", "About us"): "当店について",
        ("who-we-are", moved): words[("who-we-are", who)].replace("/a)", "/b)"),
    }
    clause = BASE_FILES["policies/clauses/who.md"]
    project = Project(tmp_path_factory.mktemp("words") / "project")
    project.commit(
        "First version",
        {
            **BASE_FILES,
            "policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en, ja]\n",
            "policies/clauses/who.md": clause.replace(SOURCES["who-body"][1], who),
            "locales/ja/LC_MESSAGES/policy.po": po_catalog("ja", words),
        },
    )
    project.commit(
        "Renamed, and the contact page moves",
        {
            "policies/clauses/who.md": clause.replace(SOURCES["who-body"][1], moved).replace(
                "title: Who we are", "title: About us"
            ),
            "policies/change.yml": change_yml("The contact page moves.", "2026-01-02"),
            "locales/ja/LC_MESSAGES/policy.po": po_catalog("ja", revised),
        },
    )
    # Each text of the redline, with the language its nearest element says it is in.
    texts = """root => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        const found = [];
        while (walker.nextNode()) {
            const text = walker.currentNode.textContent.trim();
            if (text) found.push([text, walker.currentNode.parentElement.closest('[lang]').lang]);
        }
        return found;
    }"""
    with served(project) as served_site, contexts(browser, served_site) as make:
        page = make(locale="ja-JP").new_page()
        page.goto(served_site.url + "global/ja/changes/2/")
        drawn = page.locator(".policy-redline").first.evaluate(texts)
        page.goto(served_site.url + "global/ja/compare/?from=1&to=2")
        expect(page.locator("[data-policy-compare-status]")).to_contain_text("Sections that differ")
        expect(page.locator("[data-policy-compare-status]")).to_have_attribute("lang", "en")
        scripted = page.locator("[data-policy-compare-result] .policy-redline").first.evaluate(
            texts
        )
    assert scripted == drawn
    assert ["当店について", "ja"] in drawn
    assert ["section changed", "en"] in drawn
    assert ["Previously titled", "en"] in drawn
    assert ["removed:", "en"] in drawn and ["私たちについて", "ja"] in drawn
    assert ["Link changed: “", "en"] in drawn and ["お問い合わせページ", "ja"] in drawn
