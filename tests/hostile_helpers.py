"""Helpers shared by the hostile-input tests: site snapshots, real PO catalogs, and a probe that
tells whether a page in Chromium ran or could run injected script."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from playwright.sync_api import Error as PlaywrightError

from generator.model import Policy
from generator.publication import JURISDICTION_CONTEXT, SUMMARY_CONTEXT, TITLE_CONTEXT


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def staging_folders(site: Path) -> list[str]:
    """The staging folders a build leaves next to `site/` while it runs (or if it was killed)."""
    return sorted(p.name for p in site.parent.glob(f".{site.name}-building-*"))


WITHOUT_OVERRIDES = ("setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner")
"""How root runs a command that file modes bind: without the capabilities that override them."""


def bound_by_file_modes(scratch: Path) -> list[str]:
    """A prefix for commands that file modes must bind (a read-only folder refuses new files):
    none for a user other than root, `WITHOUT_OVERRIDES` for root. Skips the test when neither
    makes a read-only folder refuse a file (`scratch`: a folder to try that in)."""
    prefix = list(WITHOUT_OVERRIDES) if os.geteuid() == 0 else []
    if prefix and shutil.which(prefix[0]) is None:
        pytest.skip("root, and no setpriv to run a command that file modes bind")
    probe = scratch / "read-only-probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        made = subprocess.run([*prefix, "touch", str(probe / "file")], capture_output=True)
    finally:
        probe.chmod(0o755)
        shutil.rmtree(probe)
    if made.returncode == 0:
        pytest.skip("file modes do not bind this user here: a read-only folder took a file")
    return prefix


def run_policy(prefix: Sequence[str], root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The `policy` command run in the project folder `root` after `prefix` (see
    `bound_by_file_modes`)."""
    return subprocess.run(
        [*prefix, str(Path(sys.executable).parent / "policy"), *args],
        cwd=root,
        capture_output=True,
        text=True,
    )


def po_catalog(policy: Policy, language: str, translate: Callable[[str, str], str]) -> bytes:
    """A PO catalog translating every title and block of a policy with `translate(context, text)`,
    and the site's own words (its title, the regions' names, the change summary)."""
    fixed = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # no clock in test files
    catalog = Catalog(
        locale=language.replace("-", "_"),
        project="policy",
        fuzzy=False,
        creation_date=fixed,
        revision_date=fixed,
    )
    for text in policy.texts():
        if text.title:
            catalog.add(text.title, translate(text.context, text.title), context=text.context)
        for block in text.blocks:
            catalog.add(block.text, translate(text.context, block.text), context=text.context)
    shared = [(TITLE_CONTEXT, policy.title)]
    shared += [(JURISDICTION_CONTEXT, j.name) for j in policy.jurisdictions.values()]
    shared += [(SUMMARY_CONTEXT, policy.change.summary)] if policy.change else []
    for context, text in shared:
        catalog.add(text, translate(context, text), context=context)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False)
    return buffer.getvalue()


PROBE = """() => {
  const found = [];
  if (window.__xss !== undefined) found.push("window.__xss was set: a script ran");
  const allowed = ["http:", "https:", "mailto:"];
  const urlAttributes = ["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc",
                         "background", "poster", "codebase", "cite", "ping"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`<${el.localName}> has ${name}=${attr.value}`);
      if (urlAttributes.includes(name)) {
        let protocol;
        try { protocol = new URL(attr.value, document.baseURI).protocol; }
        catch (e) { protocol = "unparsable"; }
        if (!allowed.includes(protocol)) found.push(`<${el.localName}> ${name}=${attr.value}`);
      }
    }
    if (["iframe", "frame", "object", "embed", "base", "applet"].includes(el.localName))
      found.push(`<${el.localName}> element`);
    if (el.localName === "meta" && /refresh/i.test(el.getAttribute("http-equiv") || ""))
      found.push("<meta http-equiv=refresh>");
    if (el.localName === "script" && /__xss|alert|msgbox/.test(el.textContent))
      found.push("inline <script> with the payload");
  }
  for (const el of document.querySelectorAll(".md-content *")) {
    // The theme's own icons are decorative SVGs (aria-hidden) of plain shapes.
    const icon = el.localName === "svg" && el.getAttribute("aria-hidden") === "true";
    if (el.localName === "style" || el.localName === "math" || (el.localName === "svg" && !icon))
      found.push(`<${el.localName}> in the content`);
    if (el.closest("svg") && ["script", "foreignobject", "animate", "set", "use", "a"]
        .includes(el.localName.toLowerCase()))
      found.push(`<${el.localName}> inside an svg`);
    if (el.hasAttribute("style")) found.push(`style= in the content on <${el.localName}>`);
  }
  return found;
}"""
"""JavaScript returning what in the loaded page ran or could run injected script."""


def _probe(page) -> list[str]:  # noqa: ANN001 - Playwright's page
    """PROBE in the page, once it has settled: a region's page redirects at once to the chooser
    (`region_pages.py`), and a probe run while it navigates finds no page to run in."""
    for _ in range(3):
        try:
            return page.evaluate(PROBE)
        except PlaywrightError as error:
            if "context was destroyed" not in str(error):
                raise
            page.wait_for_load_state("load")
    return page.evaluate(PROBE)


def probe_pages(context, urls: list[str]) -> dict[str, list[str]]:  # noqa: ANN001 - Playwright
    """Load each page in one tab, let its events fire, and return the signs of injected script
    by address (an empty result means no page ran or could run any)."""
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    findings = {}
    for url in urls:
        dialogs.clear()
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        page.wait_for_timeout(30)  # onerror/ontoggle handlers may fire just after the load event
        found = _probe(page) + [f"dialog opened: {message}" for message in dialogs]
        if found:
            findings[url] = found
    page.close()
    return findings
