"""The published site as a shopper meets it: the machine's Chromium, driven by Playwright, against a
site built from a real project (tests/browser/sample.py) and served on 127.0.0.1.

Screenshots (desktop, phone, print) and a PDF are written to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from conftest import DATA_MD, WHO_MD, Project, change_yml
from harness import (
    ARTIFACTS,
    PHONE,
    Served,
    contexts,
    serious_violations,
    served,
    shot,
    type_into,
)
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from sample import make_sample
from translating import ARABIC, translate

from generator.build import BuildOptions, make_site
from generator.diff import diff_documents
from generator.model import Edit

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "chooser": "",
    "current": "eu/en/",
    "current-fr": "eu/fr/",
    "change-log": "eu/en/changes/",
    "archive-list": "eu/en/v/",
    "archive-version": "eu/en/v/1/",
    "redline": "eu/en/changes/3/",
    "compare": "eu/en/compare/?from=1&to=3",
    "clause-history": "eu/en/history/",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The sample site (tests/browser/sample.py), built and served on 127.0.0.1."""
    with served(make_sample(tmp_path_factory.mktemp("browser") / "project")) as result:
        yield result


@pytest.fixture
def open_context(browser: Browser, site: Served) -> Iterator[Callable[..., BrowserContext]]:
    """New browser contexts (desktop by default) that record every request they make."""
    with contexts(browser, site) as make:
        yield make


@pytest.fixture
def page(open_context: Callable[..., BrowserContext]) -> Page:
    """A desktop page in English."""
    return open_context(locale="en-US").new_page()


def wait_for_compare(page: Page) -> None:
    expect(page.locator("[data-policy-compare-status]")).to_contain_text("Sections that differ")


# Accessibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_page_type_has_no_serious_accessibility_violations(
    name: str, site: Served, page: Page, open_context: Callable[..., BrowserContext]
) -> None:
    page.goto(site.url + PAGE_TYPES[name])
    if name == "compare":
        wait_for_compare(page)
    assert serious_violations(page) == []
    shot(page, f"desktop-{name}")
    phone = open_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US").new_page()
    phone.goto(site.url + PAGE_TYPES[name])
    if name == "compare":
        wait_for_compare(phone)
    assert serious_violations(phone) == []
    shot(phone, f"phone-{name}")


CLAUSE_LAYOUT = """() => [...document.querySelectorAll(".policy-clause")].flatMap(section => {
    const box = section.getBoundingClientRect();
    const heading = section.querySelector(":scope > h2").getBoundingClientRect();
    const problems = [];
    if (heading.width < box.width * 0.6) {
        problems.push(`${section.getAttribute("aria-labelledby")}: heading ${heading.width}px wide`
            + ` in a section ${box.width}px wide`);
    }
    for (const child of section.children) {
        const place = child.getBoundingClientRect();
        if (child.matches("h2, .policy-copy") || place.height === 0) continue;
        const style = getComputedStyle(child);
        const outer = place.width + parseFloat(style.marginLeft) + parseFloat(style.marginRight);
        if (place.top < heading.bottom - 1 || outer < box.width - 1) {
            problems.push(`${section.getAttribute("aria-labelledby")}: <${child.localName}`
                + ` class="${child.className}"> beside the heading or narrower than the section`);
        }
    }
    for (const marker of section.querySelectorAll(".policy-redline__marker")) {
        const place = marker.getBoundingClientRect();
        const text = marker.parentElement.getBoundingClientRect();
        if (place.left < box.left - 1 || place.right > text.left + text.width / 2) {
            problems.push(`${section.getAttribute("aria-labelledby")}: a list marker at`
                + ` ${place.left}px, outside the section (from ${box.left}px)`);
        }
    }
    return problems;
})"""
"""Where a clause's heading and its content are, as problems: the heading (with its copy button
beside it, when it has one) takes the first row, and everything else the whole width below; a
redline's list markers stay inside the section, changed items' too."""


@pytest.mark.parametrize(
    "name", ["current", "archive-version", "redline", "compare", "clause-history"]
)
def test_clause_content_sits_below_its_heading_at_full_width(
    name: str, site: Served, page: Page, open_context: Callable[..., BrowserContext]
) -> None:
    phone = open_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US").new_page()
    for each in (page, phone):
        each.goto(site.url + PAGE_TYPES[name])
        if name == "compare":
            wait_for_compare(each)
        assert each.locator(".policy-clause").count() > 0
        assert each.evaluate(CLAUSE_LAYOUT) == []


def test_change_log_entries_are_set_apart(site: Served, page: Page) -> None:
    # The list's reset used to take the entries' own padding too, so each entry's links touched
    # the rule above the next entry.
    page.goto(site.url + PAGE_TYPES["change-log"])
    entries = page.locator(".policy-changelog__entry")
    assert entries.count() > 1
    paddings = entries.evaluate_all(
        "entries => entries.map(e => [getComputedStyle(e).paddingTop, "
        "getComputedStyle(e).paddingBottom])"
    )
    assert all(float(top[:-2]) >= 10 and float(bottom[:-2]) >= 10 for top, bottom in paddings)


def test_archive_fits_a_phone_and_stays_a_table(
    site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    # Its four columns used to leave the hash one character wide: 64 lines a version.
    phone = open_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-US").new_page()
    phone.goto(site.url + PAGE_TYPES["archive-list"])
    hashes = phone.locator(".policy-hash").evaluate_all(
        "codes => codes.map(code => { const box = code.getBoundingClientRect(); "
        "return [box.left, box.right, box.height / parseFloat(getComputedStyle(code).fontSize)] })"
    )
    assert len(hashes) == 3
    for left, right, height_in_em in hashes:
        assert left >= 0 and right <= PHONE["width"]
        assert height_in_em < 6  # two or three lines
    assert phone.get_by_role("columnheader", name="Content hash (SHA-256)").count() == 1
    assert phone.get_by_role("row").count() == 4
    assert phone.get_by_role("cell").count() == 9


TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: .12em !important; "
    "word-spacing: .16em !important; } p { margin-bottom: 2em !important; }"
)
"""The text spacing WCAG 1.4.12 says a reader may set without losing content."""


def test_the_comparison_fits_320_pixels_with_wider_text_spacing(
    site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    """Its selects kept the width of their longest date, past the form's edge: the page scrolled
    sideways and the dates were cut (WCAG 1.4.10, 1.4.12)."""
    page = open_context(viewport={"width": 320, "height": 640}, locale="en-US").new_page()
    page.goto(site.url + PAGE_TYPES["compare"])
    wait_for_compare(page)
    page.add_style_tag(content=TEXT_SPACING)
    overflow = page.evaluate(
        """() => {
        const form = document.querySelector(".policy-compare__form").getBoundingClientRect();
        return {page: document.documentElement.scrollWidth - innerWidth,
                selects: [...document.querySelectorAll(".policy-compare__form select")]
                    .map(s => s.getBoundingClientRect().right - form.right)};
    }"""
    )
    assert overflow["page"] <= 0
    assert len(overflow["selects"]) == 2 and all(right <= 0 for right in overflow["selects"])


def test_moving_backwards_focus_never_hides_under_the_header(
    site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    """A control just under the theme's sticky header is on the screen to the browser, which then
    does not scroll when Shift+Tab moves to it: it stayed hidden (WCAG 2.4.11). Each copy button
    is put there in turn, focus on the control after it, and Shift+Tab pressed."""
    page = open_context(viewport={"width": 1280, "height": 400}, locale="en-US").new_page()
    page.goto(site.url + "eu/en/")
    buttons = page.locator(".md-content .policy-copy")
    tried, hidden = 0, []
    for index in range(1, buttons.count()):
        button = buttons.nth(index)
        button.evaluate("b => b.focus({preventScroll: true})")
        page.keyboard.press("Tab")
        top = button.evaluate(
            "b => { scrollBy({top: b.getBoundingClientRect().top - 10, behavior: 'instant'}); "
            "return b.getBoundingClientRect().top; }"
        )
        if top > 10.5:
            continue  # too near the page's end to be scrolled under the header
        tried += 1
        page.keyboard.press("Shift+Tab")
        expect(button).to_be_focused()
        if button.evaluate(
            """async b => {
            // The theme scrolls smoothly: look once the page has stopped moving.
            const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
            for (let last = -1, still = 0; still < 3; ) {
                await frame();
                still = scrollY === last ? still + 1 : 0;
                last = scrollY;
            }
            const box = b.getBoundingClientRect();
            const at = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return !!(at && at.closest(".md-header"));
        }"""
        ):
            hidden.append(index)
    assert tried >= 1 and hidden == []


@pytest.mark.parametrize(
    ("name", "texts"),
    [
        ("current", ["History of this section", "See what changes"]),
        ("clause-history", ["Version", "What changed"]),
    ],
)
def test_links_repeated_in_every_section_are_described_by_its_heading(
    name: str, texts: list[str], site: Served, page: Page
) -> None:
    """ "History of this section" once a section, "Version 1" in each section's history: same
    names, other targets; each says which section it is of (WCAG 2.4.4)."""
    page.goto(site.url + PAGE_TYPES[name])
    for section in page.locator("section.policy-clause").all():
        heading = section.locator("h2").inner_text().strip()
        links = [
            link
            for link in section.locator("a:not(.headerlink)").all()
            if any(text.lower() in link.inner_text().lower() for text in texts)
        ]
        for link in links:
            expect(link).to_have_accessible_description(heading)
    assert page.locator("section.policy-clause a[aria-describedby]").count() > 2


STRUCTURE = """sections => sections.map(section => [...section.querySelectorAll(
    "[role=heading], [role=list], [role=listitem], .policy-redline__paragraph")].map(e =>
    (e.getAttribute("role") || "p") + (e.getAttribute("aria-level") || "")
    + (e.getAttribute("role") === "listitem" && e.parentElement.getAttribute("role") === "list"
       ? "-in-list" : "")))"""
"""Each redline section's blocks as a reader's software is told of them."""


def test_redlines_keep_the_sections_headings_and_lists(site: Served, page: Page) -> None:
    """The policy's page has sub-headings and lists; its redline had paragraphs only, the
    bullets hidden from a screen reader (WCAG 1.3.1). The comparison draws the same."""
    page.goto(site.url + "eu/en/changes/2/")
    on_redline = page.locator("section.policy-redline").evaluate_all(STRUCTURE)
    kinds = {kind for section in on_redline for kind in section}
    assert {"list", "listitem-in-list"} <= kinds, on_redline
    assert "listitem" not in kinds  # every item is in its list
    page.goto(site.url + "eu/en/compare/?from=1&to=2")
    wait_for_compare(page)
    compared = page.locator("[data-policy-compare-result] section.policy-redline")
    assert compared.evaluate_all(STRUCTURE) == on_redline


def test_open_menus_and_search_have_no_serious_accessibility_violations(
    site: Served, page: Page
) -> None:
    page.goto(site.url + "eu/en/")
    page.locator("summary", has_text="Language").click()
    expect(page.get_by_role("link", name="Français")).to_be_visible()
    assert serious_violations(page) == []
    page.keyboard.press("Escape")
    type_into(page, "input.md-search__input", "order")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    assert serious_violations(page) == []


# The chooser ---------------------------------------------------------------------------------


def test_chooser_offers_french_and_the_eu_to_a_french_browser(
    site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    page = open_context(locale="fr-FR").new_page()
    page.goto(site.url)
    offer = page.locator(".policy-suggestion__link")
    expect(offer).to_be_visible()
    expect(offer).to_have_attribute("href", "eu/fr/")
    expect(offer).to_have_attribute("lang", "fr")
    expect(offer).to_contain_text("Continuer en français · ")  # inside a sentence: lower case
    highlighted = page.locator(".policy-chooser__suggested")
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_have_attribute("data-jurisdiction", "eu")
    assert page.url == site.url, "the chooser offers; it never redirects"
    shot(page, "desktop-chooser-fr")
    offer.click()
    page.wait_for_url(site.url + "eu/fr/")
    assert page.locator("html").get_attribute("lang") == "fr"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en-US", "global/en/"), ("de-DE", "eu/en/"), ("fr-CA", "global/fr/")],
)
def test_chooser_suggests_the_region_first_then_the_language(
    locale: str, expected: str, site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    page = open_context(locale=locale).new_page()
    page.goto(site.url)
    expect(page.locator(".policy-suggestion__link")).to_have_attribute("href", expected)


def test_chooser_works_without_javascript(
    site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    page = open_context(java_script_enabled=False, locale="fr-FR").new_page()
    page.goto(site.url)
    expect(page.locator("[data-policy-suggestion]")).to_be_hidden()
    page.locator("#region-eu ~ ul").get_by_role("link", name="Français").click()
    page.wait_for_url(site.url + "eu/fr/")


def test_a_retired_region_is_listed_apart_and_never_offered(
    make_project: Callable[..., Project], browser: Browser
) -> None:
    """The EU's policy is retired: a browser in Germany reading English is offered the worldwide
    policy, which is the one that now applies there, not the EU's; that stays reachable, set
    apart, and out of the menu."""
    project = make_project()
    project.commit(
        "No separate EU policy",
        {
            "policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en]\n",
        },
    )
    with served(project) as site, contexts(browser, site) as make:
        page = make(locale="en-DE").new_page()
        page.goto(site.url)
        expect(page.locator(".policy-suggestion__link")).to_have_attribute("href", "global/en/")
        expect(page.locator("[data-policy-chooser] a")).to_have_count(1)
        retired = page.get_by_role("region", name="No longer maintained")
        expect(retired.get_by_role("link")).to_have_text("European Union · English")
        expect(page.get_by_role("navigation").get_by_text("European Union")).to_have_count(0)
        assert serious_violations(page) == []
        shot(page, "desktop-chooser-retired")
        retired.get_by_role("link").click()
        page.wait_for_url(site.url + "eu/en/")
        expect(page.get_by_text("This document has not been maintained since")).to_be_visible()


def test_an_archive_with_a_version_never_in_force_has_no_serious_violations(
    make_project: Callable[..., Project], browser: Browser
) -> None:
    """A version replaced before its date is a row of its own, its link beside a badge and a
    sentence: the link must stand out from them by more than its colour."""
    project = make_project()
    announced = {"policies/clauses/who.md": WHO_MD.replace("runs this shop", "runs the shop")}
    project.commit(
        "Announced", {**announced, "policies/change.yml": change_yml("A.", "2027-03-01")}
    )
    replaced = {"policies/clauses/who.md": WHO_MD.replace("runs this shop", "runs our shop")}
    project.commit("Replaced", {**replaced, "policies/change.yml": change_yml("B.", "2027-02-01")})
    with served(project) as site, contexts(browser, site) as make:
        page = make(locale="en-US").new_page()
        page.goto(site.url + "global/en/v/")
        expect(page.get_by_role("row", name=re.compile("Version 2"))).to_contain_text(
            "a later version replaced it before then"
        )
        assert serious_violations(page) == []


# Switchers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "language", "expected"),
    [
        ("eu/en/changes/", "Français", "eu/fr/changes/"),
        ("eu/fr/v/2/", "English", "eu/en/v/2/"),
        ("eu/en/changes/3/", "Français", "eu/fr/changes/3/"),
        ("eu/en/compare/", "Français", "eu/fr/compare/"),
    ],
)
def test_language_switcher_stays_on_the_same_page_type(
    start: str, language: str, expected: str, site: Served, page: Page
) -> None:
    page.goto(site.url + start)
    # French pages show the switcher's label from the French interface catalog.
    summary = page.locator("summary", has_text="Langue" if "/fr/" in start else "Language")
    summary.focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name=language, exact=True).click()
    # The compare page may record its chosen versions in the query string once it has loaded.
    page.wait_for_url(re.compile(re.escape(site.url + expected) + r"(\?.*)?$"))


def test_region_switcher_keeps_the_language(site: Served, page: Page) -> None:
    page.goto(site.url + "eu/fr/changes/")
    page.locator("summary", has_text="Région").click()
    page.get_by_role("link", name="Worldwide").click()
    page.wait_for_url(site.url + "global/fr/changes/")
    assert page.locator("html").get_attribute("lang") == "fr"


def test_menu_closes_with_escape_and_gives_focus_back(site: Served, page: Page) -> None:
    page.goto(site.url + "eu/en/")
    summary = page.locator("summary", has_text="Region")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Worldwide")).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Worldwide")).to_be_hidden()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


# The policy page ------------------------------------------------------------------------------


def test_current_page_shows_version_dates_links_and_feed(site: Served, page: Page) -> None:
    page.goto(site.url + "eu/en/")
    facts = page.locator(".policy-facts")
    expect(facts).to_contain_text("Version")
    expect(facts).to_contain_text("January 2, 2026")
    links = page.get_by_role("navigation", name="This policy")
    for name in ("Change log", "All versions", "Compare versions", "Follow changes (Atom feed)"):
        expect(links.get_by_role("link", name=name)).to_be_visible()
    feed = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert feed.get_attribute("href") == "feed.xml"
    toc = page.locator(".md-sidebar--secondary nav")
    expect(toc.get_by_role("link", name="How long we keep your information")).to_be_visible()


def test_upcoming_change_banner_links_to_its_redline(site: Served, page: Page) -> None:
    page.goto(site.url + "eu/en/")
    banner = page.locator(".policy-notice--upcoming")
    expect(banner).to_contain_text("An updated policy takes effect on June 1, 2026")
    expect(banner).to_contain_text("6 years instead of 10")
    banner.get_by_role("link", name="See what changes").click()
    page.wait_for_url(site.url + "eu/en/changes/3/")
    clause = page.locator("section#how-long-we-keep, section[aria-labelledby='how-long-we-keep']")
    expect(clause.locator("del")).to_have_text("removed: 10 end of removed text")
    expect(clause.locator("ins")).to_have_text("added: 6 end of added text")


def test_copy_button_copies_the_clause_address(
    site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    context = open_context(locale="en-US")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url.rstrip("/"))
    page = context.new_page()
    page.goto(site.url + "eu/en/")
    button = page.locator('[data-policy-copy="data-we-collect"]')
    expect(button).to_be_visible()
    expect(button).to_have_accessible_description("The information we collect")
    icon = button.evaluate(
        "b => { const s = getComputedStyle(b, '::before'); return [s.width, s.height, "
        "s.maskImage || s.webkitMaskImage, s.backgroundColor === getComputedStyle(b).color] }"
    )
    assert icon[:2] == ["16px", "16px"] and "data:image/svg+xml" in icon[2] and icon[3]
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-policy-status]")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == (site.url + "eu/en/#data-we-collect")
    # Arrived from a search result, the page's address has the search words (`?h=`): the
    # clause's address has not.
    page.goto(site.url + "eu/en/?h=name")
    page.locator('[data-policy-copy="data-we-collect"]').click()
    expect(page.locator("[data-policy-status]")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == (site.url + "eu/en/#data-we-collect")


def test_without_javascript_no_control_offers_what_only_the_script_does(
    site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    """A copy button copies nothing and the comparison's form compares nothing without the
    script: neither shows. The headings' # links and the change log remain."""
    page = open_context(java_script_enabled=False, locale="en-US").new_page()
    page.goto(site.url + "eu/en/")
    assert page.locator("[data-policy-copy]").count() > 0
    for button in page.locator("[data-policy-copy]").all():
        expect(button).to_be_hidden()
    page.goto(site.url + "eu/en/compare/?from=1&to=3")
    expect(page.locator("form.policy-compare__form")).to_be_hidden()
    expect(page.locator(".policy-legend")).to_be_hidden()
    notice = page.locator("noscript p")  # not in Playwright's text search, which skips noscript
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Comparing two versions needs JavaScript.")
    page.get_by_role("link", name="Change log").first.click()
    page.wait_for_url(site.url + "eu/en/changes/")


def test_clause_links_to_its_history(site: Served, page: Page) -> None:
    page.goto(site.url + "eu/en/")
    clause = page.locator("section[aria-labelledby='how-long-we-keep']")
    expect(clause.locator(".policy-clause__meta")).to_contain_text("Added in version 2")
    upcoming = clause.get_by_role("link", name="This section changes on June 1, 2026")
    expect(upcoming).to_have_attribute("href", "changes/3/#how-long-we-keep")
    expect(page.locator(".policy-clause__upcoming")).to_have_count(2)  # and the title of who-we-are
    clause.get_by_role("link", name="History of this section").click()
    page.wait_for_url(site.url + "eu/en/history/#how-long-we-keep")
    history = page.locator("section[aria-labelledby='how-long-we-keep'] li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Version 3")
    expect(history.nth(0)).to_contain_text("section changed")
    expect(history.nth(1)).to_contain_text("Version 2")
    expect(history.nth(1)).to_contain_text("new section")
    history.nth(0).get_by_role("link", name="What changed").click()
    page.wait_for_url(site.url + "eu/en/changes/3/#how-long-we-keep")


SHORT = {"width": 1280, "height": 400}
"""A window short enough that the small projects below scroll to their second clause."""


def _scrolling_project(make_project: Callable[..., Project], data: str | None) -> Project:
    """A project whose second clause (data.md) is then replaced by `data`, or removed; a long
    clause after it lets a page scroll it to its top."""
    later = "---\nid: later\ntitle: Later\norder: 30\njurisdictions: [global]\n---\n"
    project = make_project({"policies/clauses/later.md": later + "Words.\n\n" * 40})
    project.commit(
        "Change the second clause",
        {
            "policies/clauses/data.md": data,
            "policies/change.yml": change_yml("The second clause changes.", "2026-01-02"),
        },
    )
    return project


def test_a_link_made_before_a_clause_was_renamed_still_leads_to_it(
    make_project: Callable[..., Project], browser: Browser
) -> None:
    renamed = DATA_MD.replace("id: data-we-collect", "id: what-we-collect")
    project = _scrolling_project(make_project, renamed.replace("your name;", "your full name;"))
    with served(project) as site, contexts(browser, site) as make:
        for anchor in ("what-we-collect", "data-we-collect"):
            # A page each: a second address differing only by its anchor would not load again.
            page = make(viewport=SHORT, locale="en-US").new_page()
            page.goto(f"{site.url}eu/en/#{anchor}")
            scrolled, header, heading = page.evaluate(
                "[scrollY, document.querySelector('.md-header').getBoundingClientRect().bottom,"
                " document.getElementById('what-we-collect').getBoundingClientRect().top]"
            )
            # Scrolled to the heading, which shows just below the theme's fixed header.
            assert scrolled > 0 and header <= heading <= header + 60, anchor
        # Comparing the versions shows the one clause changed, as the redline does.
        page.goto(f"{site.url}eu/en/compare/?from=1&to=2")
        wait_for_compare(page)
        sections = page.locator("[data-policy-compare-result] section")
        expect(sections).to_have_count(1)
        # One section needs no list of the sections that differ.
        expect(page.get_by_role("navigation", name="Sections that differ")).to_have_count(0)
        expect(sections.locator("h2")).to_have_id("what-we-collect")
        expect(sections.locator("h2 .policy-badge")).to_have_text("section changed")
        expect(sections.locator("#data-we-collect")).to_have_count(1)
        expect(sections.locator("ins")).to_have_text("added: full end of added text")


def test_a_link_that_leads_elsewhere_and_new_emphasis_are_said_on_comparison_and_redline(
    make_project: Callable[..., Project], browser: Browser
) -> None:
    """Neither change is in the words: the comparison the script draws says what the redline
    page says, each note a line of its own in the changed paragraph's margin."""
    linked = WHO_MD.replace(
        "runs this shop.", "runs this shop ([contact](https://shop.example/a))."
    )
    project = make_project({"policies/clauses/who.md": linked})
    project.commit(
        "The contact page moves; the list stresses the address",
        {
            "policies/clauses/who.md": linked.replace("example/a", "example/b"),
            "policies/clauses/data.md": DATA_MD.replace("your delivery", "your **delivery**"),
            "policies/change.yml": change_yml("New contact page.", "2026-01-02"),
        },
    )
    notes = [
        "Link changed: “contact” now leads to https://shop.example/b (before: "
        "https://shop.example/a).",
        "Formatting changed; the words are the same.",
    ]
    with served(project) as site, contexts(browser, site) as make:
        page = make(locale="en-US").new_page()
        page.goto(f"{site.url}eu/en/changes/2/")
        expect(page.locator(".policy-redline__note")).to_have_text(notes)
        # Each address is isolated (<bdi>), so that it keeps its order in a right-to-left page.
        on_redline = page.locator(".policy-redline__note").evaluate_all(
            "ns => ns.map(n => n.innerHTML)"
        )
        assert on_redline[0].count("<bdi>") == 3, on_redline
        page.goto(f"{site.url}eu/en/compare/?from=1&to=2")
        wait_for_compare(page)
        result = page.locator("[data-policy-compare-result]")
        expect(result.locator(".policy-redline__note")).to_have_text(notes)
        compared = result.locator(".policy-redline__note").evaluate_all(
            "ns => ns.map(n => n.innerHTML)"
        )
        assert compared == on_redline
        # The changed paragraphs are marked in the margin, the unchanged one is not.
        marked = result.locator(".policy-redline__paragraph").evaluate_all(
            "ps => ps.map(p => getComputedStyle(p).borderInlineStartStyle)"
        )
        assert marked == ["solid", "none", "none", "solid"], marked
        assert serious_violations(page) == []


def test_a_screen_reader_hears_where_added_and_removed_words_end(
    make_project: Callable[..., Project], browser: Browser
) -> None:
    """A screen reader reads <ins> and <del> as plain text: words at both ends of each stretch
    tell it where the stretch begins and ends, on the redline and on the comparison alike, and
    are hidden from the eye."""
    project = make_project()
    project.commit(
        "Fewer details",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;").replace(
                "your delivery address", "your address"
            ),
            "policies/change.yml": change_yml("Fewer details.", "2026-01-02"),
        },
    )
    told = ["added: full end of added text", "removed: delivery end of removed text"]
    with served(project) as site, contexts(browser, site) as make:
        page = make(locale="en-US").new_page()
        found = []
        for address in ("eu/en/changes/2/", "eu/en/compare/?from=1&to=2"):
            page.goto(site.url + address)
            if "compare" in address:
                wait_for_compare(page)
            marked = page.locator(".policy-redline :is(ins, del)")
            expect(marked).to_have_text(told)
            found.append(marked.evaluate_all("ns => ns.map(n => n.outerHTML)"))
            widths = marked.locator(".policy-sr").evaluate_all(
                "ns => ns.map(n => n.getBoundingClientRect().width)"
            )
            assert len(widths) == 4 and max(widths) <= 1, widths
        # The script marks the words as the server-drawn redline does.
        assert found[1] == found[0]


def test_a_link_to_one_section_of_a_comparison_lands_on_it(
    make_project: Callable[..., Project], browser: Browser
) -> None:
    """The policy in force links a section that several announced versions change to the
    comparison at that section; the script draws the comparison, then scrolls to the section,
    named by its id on the page in force even when a version renames it."""
    later = "---\nid: later\ntitle: Later\norder: 30\njurisdictions: [global]\n---\nWords.\n"
    project = make_project({"policies/clauses/later.md": later})
    project.commit(
        "A long first section, and the last one renamed and reworded",
        {
            "policies/clauses/who.md": WHO_MD + "More about us.\n\n" * 40,
            "policies/clauses/later.md": later.replace("id: later", "id: afterwards").replace(
                "Words.", "Other words.\n\n" * 40
            ),
            "policies/change.yml": change_yml("Both change.", "2026-01-02"),
        },
    )
    with served(project) as site, contexts(browser, site) as make:
        page = make(viewport=SHORT, locale="en-US").new_page()
        page.goto(f"{site.url}eu/en/compare/?from=1&to=2#later")
        wait_for_compare(page)
        expect(page.locator("[data-policy-compare-result] section")).to_have_count(2)
        scrolled, header, heading = page.evaluate(
            "[scrollY, document.querySelector('.md-header').getBoundingClientRect().bottom,"
            " document.getElementById('afterwards').getBoundingClientRect().top]"
        )
        assert scrolled > 0 and header <= heading <= header + 60


def test_a_link_to_a_removed_clause_says_where_it_went(
    make_project: Callable[..., Project], browser: Browser
) -> None:
    project = _scrolling_project(make_project, None)
    notice = (
        '<div id="data-we-collect" class="admonition note policy-notice policy-removed" '
        'role="note" data-search-exclude hidden>'
    )
    with served(project) as site, contexts(browser, site) as make:
        assert notice in site.project.read("site/eu/en/index.html")
        assert notice not in site.project.read("site/eu/en/v/1/index.html")
        page = make(viewport=SHORT, locale="en-US").new_page()
        page.goto(f"{site.url}eu/en/")
        removed = page.locator("#data-we-collect")
        expect(removed).to_be_hidden()
        page = make(viewport=SHORT, locale="en-US").new_page()
        page.goto(f"{site.url}eu/en/#data-we-collect")
        removed = page.locator("#data-we-collect")
        expect(removed).to_be_visible()
        expect(removed).to_be_in_viewport()
        expect(removed).to_have_text(
            "The section “The information we collect” was removed in version 2, effective "
            "January 2, 2026. Read it as it was in version 1"
        )
        removed.get_by_role("link").click()
        page.wait_for_url(f"{site.url}eu/en/v/1/#data-we-collect")
        expect(page.locator("h2#data-we-collect")).to_be_in_viewport()


def test_print_gives_a_clean_paper_copy(site: Served, page: Page) -> None:
    page.goto(site.url + "eu/en/")
    page.emulate_media(media="print")
    for hidden in (
        ".md-header",
        ".policy-switchers",
        ".policy-links",
        ".md-sidebar--secondary",
        ".policy-copy",
        ".policy-clause__meta",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".policy-print-source")).to_contain_text(site.url + "eu/en/")
    external = page.get_by_role("link", name="our security page")
    after = external.evaluate("a => getComputedStyle(a, '::after').content")
    assert "https://shop.example/security" in after
    heading = page.locator("h2#data-we-collect")
    assert heading.evaluate("h => getComputedStyle(h).breakAfter") == "avoid"
    shot(page, "print-current")
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "print-current.pdf"), format="A4")


ARABIC_TOO = "global:\n  name: Worldwide\n  languages: [en, ar]\n"
"""jurisdictions.yml with one region, in English and Arabic."""


def test_a_printed_version_says_what_a_record_needs_from_the_published_site(
    make_project: Callable[..., Project], browser: Browser
) -> None:
    """A printout of an archived version stands on its own as evidence of what the policy said:
    the document, its version, the days it was in force, its language, its hash, and the
    address where it stays published (the site's, not that of the copy it was printed from)."""
    project = make_project()
    project.commit(
        "Fewer details",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Fewer details.", "2026-03-01"),
        },
    )
    with served(project, "--site-url", "https://shop.example/privacy/") as site:
        record = json.loads(project.read("site/eu/en/versions.json"))["versions"][0]
        with contexts(browser, site) as make:
            page = make(locale="en-US").new_page()
            page.goto(site.url + "eu/en/v/1/")
            page.emulate_media(media="print")
            facts = page.locator(".policy-facts")
            expect(facts).to_contain_text("In force until")
            expect(facts).to_contain_text("February 28, 2026")
            expect(facts.locator(".policy-print-only")).to_be_visible()
            expect(facts.locator(".policy-print-only dd")).to_have_text("English")
            expect(page.locator(".policy-record")).to_contain_text(
                record["hash"].removeprefix("sha256:")
            )
            source = page.locator(".policy-print-source")
            expect(source).to_have_text("Permanent address https://shop.example/privacy/eu/en/v/1/")
            text = page.get_by_role("link", name="The text the hash covers (JSON)")
            after = text.evaluate("a => getComputedStyle(a, '::after').content")
            assert "https://shop.example/privacy/eu/en/v/1/document.json" in after, after
            # On the screen: the hash and the days, not the language, which the page's menus say.
            page.emulate_media(media="screen")
            expect(facts.locator(".policy-print-only")).to_be_hidden()
            expect(page.locator(".policy-record")).to_be_visible()
            expect(source).to_be_hidden()
            # The build wrote the address: a copy printed without scripts has it too.
            still = make(locale="en-US", java_script_enabled=False).new_page()
            still.goto(site.url + "eu/en/v/1/")
            still.emulate_media(media="print")
            expect(still.locator(".policy-print-source")).to_have_text(
                "Permanent address https://shop.example/privacy/eu/en/v/1/"
            )
    # Without the site's address, the copy says where it was printed from, not that it stays.
    with served(project) as site, contexts(browser, site) as make:
        page = make(locale="en-US").new_page()
        page.goto(site.url + "eu/en/v/1/")
        page.emulate_media(media="print")
        expect(page.locator(".policy-print-source")).to_have_text(
            f"Printed from {site.url}eu/en/v/1/"
        )


def test_a_printed_address_reads_in_its_own_order_on_a_right_to_left_page(
    make_project: Callable[..., Project], browser: Browser
) -> None:
    """In an Arabic sentence, an address unisolated has its final '/' drawn before 'https'."""
    project = make_project({"policies/jurisdictions.yml": ARABIC_TOO})
    assert project.policy("i18n", "update").returncode == 0
    translate(project, "ar", ARABIC)
    project.commit("Arabic")
    with (
        served(project, "--site-url", "https://shop.example/privacy/") as site,
        contexts(browser, site) as make,
    ):
        page = make(locale="ar").new_page()
        page.goto(site.url + "global/ar/v/1/")
        page.emulate_media(media="print")
        address = page.locator(".policy-print-source a")
        expect(address).to_have_text("https://shop.example/privacy/global/ar/v/1/")
        first, last = address.evaluate(
            """a => { const text = a.firstChild, range = document.createRange();
            const left = i => { range.setStart(text, i); range.setEnd(text, i + 1);
                                 return range.getBoundingClientRect().left; };
            return [left(0), left(text.length - 1)]; }"""
        )
        assert first < last, (first, last)


# Compare ---------------------------------------------------------------------------------------


def changed_segments_in_python(project: Project, first: int, second: int) -> list:
    """What generator/diff.py marks between two versions of eu/en."""
    publication, _ = make_site(BuildOptions(project_dir=project.root))
    versions = publication.documents[("eu", "en")].versions
    changes = diff_documents(versions[first - 1].document, versions[second - 1].document)
    return [
        [
            c.clause_id,
            c.type.value,
            [[e.value, t] for p in c.paragraphs for e, t in p.segments if e is not Edit.EQUAL],
        ]
        for c in changes
    ]


def test_compare_any_two_versions_renders_the_redline_diff_py_would(
    site: Served, page: Page
) -> None:
    page.goto(site.url + "eu/en/compare/")
    page.select_option("#compare-from", "1")
    page.select_option("#compare-to", "3")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("[data-policy-compare-status]")).to_have_text(
        "Version 1 compared with version 3. Sections that differ: 3."
    )
    assert page.url.endswith("compare/?from=1&to=3")
    result = page.locator("[data-policy-compare-result]")
    expect(result.locator("ins")).to_contain_text(["added: full", "added: We keep order"])
    expect(result.locator("del").first).to_have_text("removed: Who we are end of removed text")
    expect(result.get_by_role("heading", name="How long we keep your information")).to_be_visible()
    shot(page, "desktop-compare-1-3")
    in_browser = page.evaluate(
        """async () => {
            const load = n => fetch(`../v/${n}/document.json`).then(r => r.json());
            const changes = window.policyDiff.diffDocuments(await load(1), await load(3));
            return changes.map(c => [c.id, c.type, c.paragraphs.flatMap(p =>
                p.segments.filter(s => s[0] !== "equal"))]);
        }"""
    )
    assert in_browser == changed_segments_in_python(site.project, 1, 3)


def test_a_comparison_lists_the_sections_that_differ_each_linking_to_its_redline(
    site: Served, page: Page
) -> None:
    """A redline page's table of contents lists the sections it changes; a comparison, drawn
    after the theme made its table of contents, lists them above the first."""
    page.set_viewport_size({"width": 1000, "height": 500})
    page.goto(site.url + "eu/en/compare/?from=1&to=3")
    wait_for_compare(page)
    contents = page.get_by_role("navigation", name="Sections that differ")
    headings = page.locator("[data-policy-compare-result] section h2")
    expect(headings).to_have_count(3)
    links = contents.get_by_role("link")
    expect(links).to_have_count(3)
    for i, heading in enumerate(headings.all()):
        expect(links.nth(i)).to_have_attribute("href", "#" + heading.get_attribute("id"))
        expect(heading).to_contain_text(links.nth(i).inner_text())
    expect(headings.nth(2)).not_to_be_in_viewport()
    links.nth(2).click()
    assert page.url.endswith("compare/?from=1&to=3#" + headings.nth(2).get_attribute("id"))
    expect(headings.nth(2)).to_be_in_viewport()
    header, top = page.evaluate(
        "[document.querySelector('.md-header').getBoundingClientRect().bottom,"
        " document.querySelectorAll('[data-policy-compare-result] section h2')[2]"
        ".getBoundingClientRect().top]"
    )
    assert top >= header  # not under the theme's fixed header


def test_compare_page_address_chooses_the_versions(site: Served, page: Page) -> None:
    page.goto(site.url + "eu/en/compare/?from=2&to=3")
    expect(page.locator("[data-policy-compare-status]")).to_have_text(
        "Version 2 compared with version 3. Sections that differ: 2."
    )
    assert page.locator("#compare-from").input_value() == "2"
    # Asked the other way round, the choices and the address say what is shown: 2 to 3.
    page.goto(site.url + "eu/en/compare/?from=3&to=2")
    expect(page.locator("[data-policy-compare-status]")).to_have_text(
        "Version 2 compared with version 3. Sections that differ: 2."
    )
    assert page.locator("#compare-from").input_value() == "2"
    assert page.locator("#compare-to").input_value() == "3"
    assert page.url.endswith("compare/?from=2&to=3")
    expect(page.locator("[data-policy-compare-missing]")).to_be_hidden()


def test_compare_page_says_when_the_address_names_no_such_version(site: Served, page: Page) -> None:
    page.goto(site.url + "eu/en/compare/?from=2&to=9")
    missing = page.locator("[data-policy-compare-missing]")
    expect(missing).to_have_text(
        "This policy has no version 9: the comparison is between the versions chosen above."
    )
    expect(page.locator("[data-policy-compare-status]")).to_have_text(
        "Version 2 compared with version 3. Sections that differ: 2."
    )
    assert page.url.endswith("compare/?from=2&to=3")
    # Another choice is a comparison of the reader's own: the notice has said its piece.
    page.locator("#compare-from").select_option("1")
    expect(missing).to_be_hidden()
    page.goto(site.url + "eu/fr/compare/?from=x&to=3")
    expect(page.locator("[data-policy-compare-missing]")).to_have_text(
        "Cette politique n’a pas de version x : la comparaison porte sur les versions choisies "
        "ci-dessus."
    )


def test_compare_with_the_keyboard(site: Served, page: Page) -> None:
    page.goto(site.url + "eu/en/compare/?from=2&to=3")
    wait_for_compare(page)
    page.locator("#compare-from").focus()
    page.keyboard.press("ArrowDown")  # the options run newest first: version 1
    expect(page.locator("[data-policy-compare-status]")).to_have_text(
        "Version 1 compared with version 3. Sections that differ: 3."
    )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "compare-to"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Compare"


# Keyboard --------------------------------------------------------------------------------------


def test_keyboard_reaches_the_menus_the_links_and_every_copy_button(
    site: Served, page: Page
) -> None:
    page.goto(site.url + "eu/en/")
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                """() => { const e = document.activeElement;
                    return e.dataset.policyCopy ? 'copy:' + e.dataset.policyCopy
                        : e.tagName === 'SUMMARY' ? 'menu:' + e.textContent.trim().split(/\\s+/)[0]
                        : e.tagName + ':' + e.textContent.trim(); }"""
            )
        )
    for expected in (
        "menu:Region",
        "menu:Language",
        "A:Compare versions",
        "copy:who-we-are",
        "copy:data-we-collect",
        "copy:how-long-we-keep",
        "copy:your-rights",
    ):
        assert expected in reached, reached


@pytest.mark.parametrize("width", [390, 1024, 1280])
def test_every_tab_stop_before_the_menus_is_on_the_screen(
    width: int, site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    """Below the widest layout the navigation is a drawer off the screen: while it is closed,
    the keyboard never goes there. In the widest, the closed search has nothing to stop at."""
    page = open_context(viewport={"width": width, "height": 800}, locale="en-US").new_page()
    page.goto(site.url + "eu/en/")
    unseen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => { const e = document.activeElement, r = e.getBoundingClientRect();
            return {menu: !!e.closest("summary"), text: e.textContent.trim().slice(0, 30),
                    seen: r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth}; }"""
        )
        if where["menu"]:
            break
        if not where["seen"]:
            unseen.append(where["text"])
    else:
        pytest.fail("the keyboard never reached the region menu")
    assert unseen == []


def tab_until(page: Page, target: Locator, presses: int) -> None:
    """Press Tab until `target` has the focus; fail after `presses` presses."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("e => e === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {target}")


@pytest.mark.parametrize("width", [390, 640, 1280])
def test_the_keyboard_reaches_the_search_at_every_width(
    width: int, site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    """Below 960 px the theme folds the search box into an icon: Tab still reaches it, and the
    theme's shortcut opens it (WCAG 2.1.1). A rule that hid the closed box kept both out."""
    page = open_context(viewport={"width": width, "height": 800}, locale="en-US").new_page()
    page.goto(site.url + "eu/en/")
    tab_until(page, page.locator(".md-search__input"), 12)
    page.keyboard.type("records")
    expect(page.locator(".md-search-result__item a").first).to_be_visible()
    page.keyboard.press("Escape")
    # The theme learns of focus moves a moment later (debounced): "/" must come after it has
    # learnt that the box lost the focus, or it sees no new focus to open the search for.
    expect(page.locator(".md-search__input")).not_to_be_focused()
    expect(page.locator("#__search")).not_to_be_checked()
    page.wait_for_timeout(100)
    page.keyboard.press("/")
    expect(page.locator(".md-search__input")).to_be_focused()
    expect(page.locator("#__search")).to_be_checked()


def test_the_keyboard_opens_and_closes_the_drawer(
    site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    """At 640 px the table of contents is in the theme's drawer, opened by a label the keyboard
    never reached: it is a named button now, which Enter opens and Escape closes."""
    page = open_context(viewport={"width": 640, "height": 800}, locale="en-US").new_page()
    page.goto(site.url + "eu/en/")
    button = page.get_by_role("button", name="Navigation")
    tab_until(page, button, 6)
    expect(button).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".md-sidebar--primary")).to_be_visible()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    page.keyboard.press(" ")
    expect(button).to_have_attribute("aria-expanded", "true")


def test_a_menu_closes_when_focus_leaves_it(
    site: Served, open_context: Callable[..., BrowserContext]
) -> None:
    """Tabbing past the last language left the menu open over the links focus went to (WCAG
    2.4.11), and Escape then did nothing."""
    page = open_context(viewport={"width": 640, "height": 800}, locale="en-US").new_page()
    page.goto(site.url + "global/en/changes/")
    menu = page.locator("[data-policy-menu]").last
    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    assert menu.evaluate("m => m.open")
    links = menu.locator("a").count()
    for _ in range(links + 1):
        page.keyboard.press("Tab")
    assert not menu.evaluate("m => m.contains(document.activeElement)")
    assert not menu.evaluate("m => m.open")
    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    page.locator("h1").click()  # a click elsewhere closes it, as before
    assert not menu.evaluate("m => m.open")
    page.keyboard.press("Tab")
    page.evaluate("document.querySelector('[data-policy-menu] summary').parentElement.open = true")
    page.keyboard.press("Escape")  # focus is elsewhere: Escape still closes it
    assert not page.evaluate(
        "[...document.querySelectorAll('[data-policy-menu]')].some(m => m.open)"
    )


def test_skip_link_lands_on_the_title_before_the_notices(site: Served, page: Page) -> None:
    page.goto(site.url + "eu/en/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#_title")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="See what changes", exact=True)).to_be_focused()


# Search ----------------------------------------------------------------------------------------


def search(page: Page, query: str) -> list[str]:
    """The addresses of the search results for a query."""
    type_into(page, "input.md-search__input", query)
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible()
    return sorted(
        {urlsplit(h).path for h in results.evaluate_all("links => links.map(a => a.href)")}
    )


def test_search_stays_in_the_page_document_and_language(site: Served, page: Page) -> None:
    page.goto(site.url + "eu/fr/")
    assert search(page, "conservons") == ["/eu/fr/"]
    page.goto(site.url + "global/en/")
    assert search(page, "records") == ["/global/en/"]


def test_a_search_result_leads_to_the_section_with_the_words(site: Served, page: Page) -> None:
    page.goto(site.url + "global/en/")
    type_into(page, "input.md-search__input", "tax law")
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible()
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    # The clause's own entry: its words are indexed under its heading, not the page's top.
    assert "how-long-we-keep" in {urlsplit(h).fragment for h in hrefs}


def test_a_page_fetches_only_the_search_index_it_searches(site: Served, page: Page) -> None:
    """The theme would fetch the index of every document at the first page; a page fetches its
    document's, the chooser the policies in force in its language."""
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
    page.goto(site.url + "eu/fr/")
    assert search(page, "conservons") == ["/eu/fr/"]
    page.goto(site.url)
    found = search(page, "records")
    assert len({path.split("/")[1] for path in found}) > 1  # several regions
    assert all(path.split("/")[2] == "en" for path in found)
    assert [path for path in fetched if "search" in path and path.endswith(".json")] == [
        "/eu/fr/search.json",
        "/search/chooser.json",
    ]


def test_search_uses_the_page_language_stop_words(site: Served, page: Page) -> None:
    page.goto(site.url + "eu/fr/")
    assert search(page, "commande") == ["/eu/fr/"]
    page.locator("input.md-search__input").fill("")
    type_into(page, "input.md-search__input", "les")
    # "les" is in the text, but a French index leaves out French stop words.
    expect(page.locator(".md-search-result__meta")).to_have_text("Aucun document trouvé")


# Requests ----------------------------------------------------------------------------------------


def test_no_page_asks_for_a_file_that_is_not_there(site: Served, page: Page) -> None:
    """The theme's script fetches a `sitemap.xml` beside each `<link rel="alternate">` of a
    page; a page that named its other languages so would ask for one in each of their folders,
    at every view, and get the error page each time."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"{r.failure} {r.url}"))
    for path in PAGE_TYPES.values():
        page.goto(site.url + path)
        page.wait_for_load_state("networkidle")
    assert any(url.endswith("/eu/en/sitemap.xml") for url in site.requests)
    assert failed == []


# Privacy -----------------------------------------------------------------------------------------


def test_no_request_leaves_127_0_0_1(site: Served, page: Page) -> None:
    for path in PAGE_TYPES.values():
        page.goto(site.url + path)
    search(page, "records")
    page.goto(site.url + "eu/en/")
    assert site.requests, "no request was recorded"
    hosts = sorted({urlsplit(url).hostname for url in site.requests if re.match("https?:", url)})
    assert hosts == ["127.0.0.1"]
