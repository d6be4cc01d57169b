"""An address the site does not have, as GitHub Pages answers it for a project site: the site
lives below /privacy/, and every missing address below it gets 404.html with status 404."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from harness import serious_violations, shot
from local_browser import chromium, serve
from playwright.sync_api import Browser, Page, expect
from sample import make_sample

pytestmark = pytest.mark.browser

IN_FORCE = "The privacy policy in force for this region and language"
IN_FORCE_FR = "La politique de confidentialité en vigueur pour cette région et cette langue"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Iterator[tuple[str, Browser]]:
    """The sample project (English and French), built for https://shop.example/privacy/ and served
    below /privacy/; the site's address, and a browser."""
    project = make_sample(tmp_path_factory.mktemp("not-found") / "project")
    result = project.policy("build", "--site-url", "https://shop.example/privacy/")
    assert result.returncode == 0, result.stderr
    with serve(project.root / "site", prefix="/privacy/") as url, chromium() as browser:
        yield url, browser


def go_missing(page: Page, address: str) -> None:
    response = page.goto(address)
    assert response is not None and response.status == 404


def test_a_missing_address_gets_an_error_page_that_leads_on(published) -> None:
    url, browser = published
    page = browser.new_page()
    # A version that was never published, three folders deep.
    go_missing(page, url + "eu/en/v/99/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("heading")).to_have_count(1)
    # The theme's style sheet came from the site's address, not from the server's root.
    header = page.locator(".md-header")
    assert header.evaluate("header => getComputedStyle(header).position") == "sticky"
    assert serious_violations(page) == []
    shot(page, "desktop-not-found")
    expect(page.get_by_role("link", name=IN_FORCE)).to_have_count(1)
    page.get_by_role("link", name=IN_FORCE).click()
    expect(page).to_have_url(url + "eu/en/")

    go_missing(page, url + "nothing/here")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    # Named as what it is, not as the site alone, as if the policy had loaded; without the
    # script too.
    expect(page).to_have_title("Page not found - Privacy policy")
    quiet = browser.new_page(java_script_enabled=False)
    go_missing(quiet, url + "nothing/here")
    expect(quiet).to_have_title("Page not found - Privacy policy")
    expect(page.get_by_role("link", name=IN_FORCE)).to_have_count(0)
    page.get_by_role("link", name="Choose your region and language").click()
    expect(page).to_have_url(url)
    expect(page.get_by_role("heading", name="European Union")).to_be_visible()


def test_the_error_page_speaks_the_language_of_the_address(published) -> None:
    url, browser = published
    page = browser.new_page()
    go_missing(page, url + "global/fr/v/99/redline/")
    heading = page.get_by_role("heading")
    expect(heading).to_have_count(1)
    expect(heading).to_have_text("Page introuvable")
    # The French words are marked as French, so that a screen reader reads them as such.
    assert heading.evaluate("h => h.closest('[lang]').lang") == "fr"
    # The frame names the page in French too: the tab's title and the header's page title, and
    # the site's name, the default title, which this project's catalog does not translate, in
    # the site's own French words, as on the French policy's pages.
    assert page.title() == "Page introuvable - Politique de confidentialité"
    topic = page.locator("[data-md-component=header-topic] .md-ellipsis")
    assert (topic.text_content() or "").strip() == "Page introuvable"
    assert topic.get_attribute("lang") == "fr"
    # The whole page is French then (the title is announced in French), but the search box,
    # whose words the theme built into the page in the source language.
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator(".md-search").get_attribute("lang") == "en"
    expect(page.get_by_text("Il n’y a aucune page à cette adresse.")).to_be_visible()
    assert serious_violations(page) == []
    shot(page, "desktop-not-found-fr")
    expect(page.get_by_role("link", name=IN_FORCE)).to_have_count(0)
    page.get_by_role("link", name=IN_FORCE_FR).click()
    expect(page).to_have_url(url + "global/fr/")

    # Without the script the page is in the source language, and leads to the chooser.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    go_missing(page, url + "global/fr/v/99/")
    expect(page.get_by_role("heading")).to_have_text("Page not found")
    expect(page.get_by_role("link", name=IN_FORCE_FR)).to_have_count(0)
    expect(page.get_by_role("link", name="Choose your region and language")).to_be_visible()


def test_a_regions_folder_leads_to_its_languages_on_the_chooser(published) -> None:
    """An address shortened to the region's folder names no document: it is no error, the
    reader lands on the chooser at the region's languages."""
    url, browser = published
    page = browser.new_page()
    response = page.goto(url + "eu/")
    assert response is not None and response.status == 200
    expect(page).to_have_url(url + "#region-eu")
    region = page.get_by_role("region", name="European Union")
    expect(region).to_be_visible()
    expect(region.get_by_role("link", name="English")).to_have_attribute("href", "eu/en/")
