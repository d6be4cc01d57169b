"""What the browser tests share: the machine's Chromium, a built site served on 127.0.0.1, and
helpers that save screenshots and run axe-core."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from axe_playwright_python.sync_playwright import Axe
from conftest import ROOT, Project
from local_browser import serve
from playwright.sync_api import Browser, BrowserContext, Page

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


@contextlib.contextmanager
def served(project: Project, *options: str) -> Iterator[Served]:
    """Build the project with `policy build` (and `options`) and serve its site on 127.0.0.1."""
    result = project.policy("build", *options)
    assert result.returncode == 0, result.stderr
    with serve(project.root / "site") as url:
        yield Served(project=project, url=url)


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


_SETTLED = """() => Promise.all(document.getAnimations()
    .filter(a => a.playState === "running" && a.effect
                 && a.effect.getComputedTiming().endTime !== Infinity)
    .map(a => a.finished.catch(() => null)))"""
"""Waits for the page's running transitions and finite animations to end (a paused one never
would). The theme fades its search results in over 0.4 s: axe-core, run halfway through, measures
the contrast of text that is still partly transparent (a failure in one run of three before it
waited)."""


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page once it has settled, one line each."""
    page.evaluate(_SETTLED)
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
