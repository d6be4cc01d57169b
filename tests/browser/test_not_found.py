"""An address the site does not have, as GitHub Pages answers it for a project site: the site
lives below /privacy/, and every missing address below it gets 404.html with status 404."""

from __future__ import annotations

import pytest
from conftest import BASE_FILES, Project
from harness import serious_violations, shot
from local_browser import chromium, serve
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

IN_FORCE = "The privacy policy in force for this region and language"


def test_a_missing_address_gets_an_error_page_that_leads_on(tmp_path) -> None:
    project = Project(tmp_path / "project")
    project.commit("First version", BASE_FILES)
    result = project.policy("build", "--site-url", "https://shop.example/privacy/")
    assert result.returncode == 0, result.stderr
    with serve(project.root / "site", prefix="/privacy/") as url, chromium() as browser:
        page = browser.new_page()
        # A version that was never published, three folders deep.
        response = page.goto(url + "eu/en/v/99/")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        # The theme's style sheet came from the site's address, not from the server's root.
        header = page.locator(".md-header")
        assert header.evaluate("header => getComputedStyle(header).position") == "sticky"
        assert serious_violations(page) == []
        shot(page, "desktop-not-found")
        expect(page.get_by_role("link", name=IN_FORCE)).to_have_count(1)
        page.get_by_role("link", name=IN_FORCE).click()
        expect(page).to_have_url(url + "eu/en/")

        page.goto(url + "nothing/here")
        expect(page.get_by_role("link", name=IN_FORCE)).to_have_count(0)
        page.get_by_role("link", name="Choose your region and language").click()
        expect(page).to_have_url(url)
        expect(page.get_by_role("heading", name="European Union")).to_be_visible()
