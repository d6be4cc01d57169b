"""Every page of a built site is a well-linked document: its element ids are unique, and every link
it makes inside the site reaches a file that exists and, when it names a fragment, an element of
that page with that id. The history built here takes the site through what tangles anchors most:
a clause renamed and edited, a clause added then removed, a new clause taking a renamed clause's
old id, a clause renamed to the id of one removed beside it, a regional variant, a translation
that lags behind, and two versions announced for one day that change one section (whose note on the
policy in force links to the comparison the page's script draws)."""

from __future__ import annotations

import json
import posixpath
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from conftest import BASE_FILES, DATA_MD, Project, change_yml
from histories import EU_VARIANT, WITH_GERMAN, synthetic_history
from translating import GERMAN_WITH_EU, translate

COOKIES = """\
---
id: cookies
title: Cookies
order: 30
jurisdictions: [global]
---
We set one cookie, for your basket.
"""


class _Page(HTMLParser):
    """The ids a page defines and the addresses it links to (`href` and `src`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                self.ids.append(value)
            if name in {"href", "src"} and value is not None and tag != "base":
                self.links.append(value)


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module", params=["tangled", "synthetic"])
def site(request, tmp_path_factory) -> Path:
    """The tangled history below, or the benchmark's synthetic one in four languages (edits,
    moves, renames, added clauses, variants two levels deep, translations that lag)."""
    folder = tmp_path_factory.mktemp("links") / "project"
    if request.param == "synthetic":
        synthetic_history(folder, clauses=12, jurisdictions=4, languages=4, versions=11, seed=5)
        result = subprocess.run(
            [str(Path(sys.executable).parent / "policy"), "build"],
            cwd=folder,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        return folder / "site"
    return _tangled(Project(folder))


def _tangled(project: Project) -> Path:
    project.commit(
        "First version",
        {
            **BASE_FILES,
            "policies/jurisdictions.yml": WITH_GERMAN,
            "policies/clauses/who-eu.md": EU_VARIANT,
        },
    )
    assert project.policy("i18n", "update").returncode == 0
    translate(project, "de", GERMAN_WITH_EU)
    project.commit("Translate into German")
    project.commit(
        "Rename the data section, and collect e-mail addresses",
        {
            "policies/clauses/data.md": DATA_MD.replace(
                "id: data-we-collect", "id: what-we-collect"
            ).replace("your delivery address.", "your e-mail address."),
            "policies/change.yml": change_yml("E-mail addresses.", "2026-01-03"),
        },
    )
    assert project.policy("i18n", "update").returncode == 0
    project.commit("Carry the translations over to the new id")
    project.commit(
        "Add cookies",
        {
            "policies/clauses/cookies.md": COOKIES,
            "policies/change.yml": change_yml("Cookies.", "2026-01-05"),
        },
    )
    project.commit(
        "Remove cookies, and give their old place to a new section",
        {
            "policies/clauses/cookies.md": None,
            "policies/clauses/contact.md": COOKIES.replace("id: cookies", "id: data-we-collect")
            .replace("title: Cookies", "title: Contact")
            .replace("We set one cookie, for your basket.", "Write to us at any time."),
            "policies/change.yml": change_yml("No cookies.", "2026-01-06"),
        },
    )
    project.commit(
        "Give the removed section's id to the renamed one, which was beside it",
        {
            "policies/clauses/data.md": project.read("policies/clauses/data.md").replace(
                "id: what-we-collect", "id: cookies"
            ),
            "policies/change.yml": change_yml("An id again.", "2026-01-07"),
        },
    )
    front_matter = project.read("policies/clauses/contact.md").rsplit("---\n", 1)[0] + "---\n"
    for wording in ("Write to us at any time, by e-mail.", "Write to us by e-mail or by post."):
        # Two versions announced for one day change the same section: the policy in force
        # links that section to the comparison of both, at the section.
        project.commit(
            "Announce a change to the section that took the old id",
            {
                "policies/clauses/contact.md": front_matter + wording + "\n",
                "policies/change.yml": change_yml("Announced.", "2099-01-01"),
            },
        )
    assert project.policy("i18n", "update").returncode == 0
    project.commit("Carry the translations over again")
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    return project.root / "site"


def _compared_ids(document: Path, query: str) -> set[str]:
    """The clause ids of the two versions a comparison's address names."""
    chosen = parse_qs(query)
    ids = set()
    for number in (chosen["from"][0], chosen["to"][0]):
        text = json.loads((document / "v" / number / "document.json").read_text(encoding="utf-8"))
        ids |= {clause["id"] for clause in text["clauses"]}
    return ids


def test_every_page_has_unique_ids(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        repeated = sorted(i for i, n in Counter(_read(path).ids).items() if n > 1)
        assert not repeated, f"{path.relative_to(site)}: {repeated}"


def test_no_page_chains_other_documents_as_its_previous_and_next(site: Path) -> None:
    """The theme's rel=prev/next would make the next language or region the page after this one,
    as in a book; they are alternates, which the sitemaps list."""
    chained = [
        path.relative_to(site).as_posix()
        for path in sorted(site.rglob("*.html"))
        if 'rel="prev"' in (text := path.read_text(encoding="utf-8")) or 'rel="next"' in text
    ]
    assert chained == []


def test_every_link_inside_the_site_reaches_a_file_and_its_fragment(site: Path) -> None:
    pages = {path: _read(path) for path in sorted(site.rglob("*.html"))}
    checked = 0
    for path, page in pages.items():
        where = path.relative_to(site).as_posix()
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("//"):
                continue  # mailto:, https:, data: and the like leave the site
            if parts.path:
                # The error page links from the site's root: it is served at any address.
                base = "/" if parts.path.startswith("/") else posixpath.dirname(where)
                relative = posixpath.normpath(posixpath.join(base, unquote(parts.path))).lstrip("/")
                assert not relative.startswith(".."), f"{where}: {link} leaves the site"
                target = site / relative
                if target.is_dir() or parts.path.endswith("/"):
                    target = target / "index.html"
            else:
                target = path
            assert target.is_file(), f"{where}: {link} finds no file"
            fragment = unquote(parts.fragment)
            if fragment and target.parent.name == "compare" and parts.query:
                # The script draws the comparison: each section that differs under its id in the
                # newer version, and a renamed one under its former id too.
                ids = _compared_ids(target.parent.parent, parts.query)
                assert fragment in ids, f"{where}: {link} compares no #{fragment}"
            elif fragment and target.suffix == ".html":
                assert fragment in pages[target].ids, f"{where}: {link} finds no #{fragment}"
            checked += 1
    assert checked > 1000
