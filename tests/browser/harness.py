"""What the browser tests share: the machine's Chromium, a built site served on 127.0.0.1, and
helpers that save screenshots and run axe-core."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from conftest import ROOT, Project
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass
class Served:
    """A project, built, and the address its site is served at."""

    project: Project
    url: str
    requests: list[str] = field(default_factory=list)
    """Every URL any page opened with `new_context` asked for."""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep the test output clean."""


@contextlib.contextmanager
def served(project: Project) -> Iterator[Served]:
    """Build the project with `policy build` and serve its site from a thread on 127.0.0.1."""
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    handler = functools.partial(_QuietHandler, directory=str(project.root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(project=project, url=f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """The machine's Chromium (Playwright never downloads a browser here)."""
    assert Path(CHROMIUM).exists(), "Chromium is missing: scripts/test.sh installs it."
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def contexts(browser: Browser, site: Served) -> Iterator:
    """A maker of browser contexts (desktop unless told) that record every request, all closed
    at the end."""
    made: list[BrowserContext] = []

    def make(**options: object) -> BrowserContext:
        context = browser.new_context(**{"viewport": DESKTOP, **options})
        context.on("request", lambda request: site.requests.append(request.url))
        made.append(context)
        return context

    try:
        yield make
    finally:
        for context in made:
            context.close()


def shot(page: Page, name: str, full_page: bool = True) -> None:
    """Save a screenshot for a person to judge the design."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page, one line each."""
    results = Axe().run(page)
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def type_into(page: Page, selector: str, text: str) -> None:
    """Type as a person would: the theme's search listens to key events, which `fill` does not
    send (nor typing characters without a key, such as Chinese, hence the final End key)."""
    field = page.locator(selector)
    field.click()
    field.press_sequentially(text, delay=20)
    field.press("End")
