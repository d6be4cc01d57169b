"""The sitemaps list every page once, each page with its other languages, one sitemap per document
with an index at the root; and no page points the theme's script at a sitemap that is not there."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import BASE_FILES, DATA_MD, Project, change_yml
from histories import GERMAN, WITH_GERMAN, po
from sitemap_files import NS, listed_sitemaps, local, sitemap_pages

from generator.sitemaps import sitemaps

SITE_URL = "https://shop.example/privacy/"
DE_PO = "locales/de/LC_MESSAGES/policy.po"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Two versions of a policy in two regions, each in English and German (which lags behind
    the second)."""
    project = Project(tmp_path_factory.mktemp("sitemaps") / "project")
    project.commit(
        "First version",
        {**BASE_FILES, "policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)},
    )
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("We ask for your full name.", "2026-06-01"),
        },
    )
    result = project.policy("build", "--site-url", SITE_URL)
    assert result.returncode == 0, result.stderr
    return project.root / "site"


def _pages(site: Path, indexed: bool = True) -> set[str]:
    """The site's pages, those search engines may index (or those they may not)."""
    return {
        SITE_URL + path.parent.relative_to(site).as_posix() + "/"
        if path.parent != site
        else SITE_URL
        for path in site.rglob("index.html")
        if ('<meta name="robots" content="noindex">' not in path.read_text()) == indexed
    }


def test_the_sitemaps_list_every_page_once(built):
    """Every page but the regions' folders, which only send their readers on."""
    listed = sitemap_pages(built, SITE_URL)
    assert set(listed) == _pages(built)
    assert len(listed) > 20
    assert _pages(built, indexed=False) == {SITE_URL + "global/", SITE_URL + "eu/"}


def test_each_document_has_a_sitemap_in_its_folder_listing_only_its_pages(built):
    addresses = listed_sitemaps(built)
    assert f"{SITE_URL}global/de/sitemap.xml" in addresses
    assert f"{SITE_URL}global/en/sitemap.xml" in addresses
    assert addresses[0] == f"{SITE_URL}sitemap-chooser.xml"
    for address in addresses:
        folder = address.rsplit("/", 1)[0] + "/"
        urlset = ET.parse(local(built, SITE_URL, address)).getroot()
        locs = [loc.text or "" for loc in urlset.findall("s:url/s:loc", NS)]
        assert locs and all(loc.startswith(folder) for loc in locs), address


def test_a_page_lists_its_languages_and_each_of_them_lists_it_back(built):
    listed = sitemap_pages(built, SITE_URL)
    assert listed[f"{SITE_URL}global/en/changes/"] == {
        "en": f"{SITE_URL}global/en/changes/",
        "de": f"{SITE_URL}global/de/changes/",
    }
    with_languages = {loc: links for loc, links in listed.items() if links}
    # Each document's policy, change log, archive, comparison and history, in 2 x 2 documents.
    assert len(with_languages) == 20
    for loc, links in with_languages.items():
        languages = {tag: other for tag, other in links.items() if tag != "x-default"}
        assert loc in languages.values()
        for other in languages.values():
            assert listed[other] == links


def test_a_policy_in_force_names_the_chooser_for_other_languages(built):
    listed = sitemap_pages(built, SITE_URL)
    assert listed[f"{SITE_URL}eu/de/"] == {
        "en": f"{SITE_URL}eu/en/",
        "de": f"{SITE_URL}eu/de/",
        "x-default": SITE_URL,
    }
    assert [loc for loc, links in listed.items() if "x-default" in links] == [
        f"{SITE_URL}{folder}/" for folder in ("eu/de", "eu/en", "global/de", "global/en")
    ]
    # A version is not a translation of the version with its number in another language.
    assert listed[f"{SITE_URL}global/de/v/1/"] == {}


def test_a_retired_translation_names_no_languages(make_project):
    """A document no longer maintained is no translation of those that are, which do not name
    it: its pages named them, but not themselves (search engines ignore one-way links)."""
    three = WITH_GERMAN.replace("[en, de]", "[en, de, fr]")
    french = po({key: f"FR {text}" for key, text in GERMAN.items()})
    project = make_project(
        {
            "policies/jurisdictions.yml": three,
            DE_PO: po(GERMAN),
            "locales/fr/LC_MESSAGES/policy.po": french,
        }
    )
    no_french_in_the_eu = three.replace(
        "extends: global\n  languages: [en, de, fr]", "extends: global\n  languages: [en, de]"
    )
    project.commit("No French in the EU", {"policies/jurisdictions.yml": no_french_in_the_eu})
    assert project.policy("build", "--site-url", SITE_URL).returncode == 0
    listed = sitemap_pages(project.root / "site", SITE_URL)
    assert listed[f"{SITE_URL}eu/fr/"] == listed[f"{SITE_URL}eu/fr/changes/"] == {}
    assert listed[f"{SITE_URL}eu/de/changes/"] == {
        "en": f"{SITE_URL}eu/en/changes/",
        "de": f"{SITE_URL}eu/de/changes/",
    }


def test_every_alternate_link_of_a_page_has_a_sitemap_beside_it(built):
    """The theme's script fetches `sitemap.xml` beside each `<link rel="alternate">` of a page
    (as if each were a site of its own): every one of those must exist, or every page view asks
    for files that are not there."""
    links = re.compile(r'<link rel="alternate"[^>]*href="([^"]*)"')
    checked = 0
    for path in built.rglob("*.html"):
        if path.name == "404.html":
            continue
        page = SITE_URL + path.relative_to(built).as_posix()
        html = path.read_text(encoding="utf-8")
        assert "hreflang" not in "".join(re.findall(r"<link [^>]*>", html)), path
        for href in links.findall(html):
            assert local(built, SITE_URL, urljoin(urljoin(page, href), "sitemap.xml")).is_file()
            checked += 1
    assert checked > 20


def test_the_index_is_also_written_compressed(built):
    assert (
        gzip.decompress((built / "sitemap.xml.gz").read_bytes())
        == (built / "sitemap.xml").read_bytes()
    )


def test_without_the_sites_address_the_sitemaps_list_nothing():
    written = sitemaps(["", "eu/en/", "eu/en/v/1/"], {}, ["eu/en/"], None, {}, dt.date(2026, 1, 2))
    assert set(written) == {"sitemap.xml", "sitemap-chooser.xml", "eu/en/sitemap.xml"}
    for text in written.values():
        root = ET.fromstring(text)
        assert list(root) == []


def test_addresses_are_escaped_and_a_single_language_lists_no_alternates():
    written = sitemaps(
        ["a&b/en/", "a&b/en/v/1/"],
        {"a&b/en/": (("en", "a&b/en/"),)},
        ["a&b/en/"],
        "https://shop.example",
        {},
        dt.date(2026, 1, 2),
    )
    urlset = ET.fromstring(written["a&b/en/sitemap.xml"])
    assert [loc.text for loc in urlset.findall("s:url/s:loc", NS)] == [
        "https://shop.example/a&b/en/",
        "https://shop.example/a&b/en/v/1/",
    ]
    assert urlset.findall("s:url/x:link", NS) == []
    index = ET.fromstring(written["sitemap.xml"])
    assert [loc.text for loc in index.findall("s:sitemap/s:loc", NS)] == [
        "https://shop.example/sitemap-chooser.xml",
        "https://shop.example/a&b/en/sitemap.xml",
    ]


def test_a_page_is_dated_by_the_last_day_what_it_says_changed(make_project):
    """A new version leaves the dates of the pages before it; a version taking effect dates the
    pages whose standing it changes, from that day on; retiring a document dates all its pages
    but its redlines."""
    project = make_project()
    project.commit(
        "Full name, announced for June",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("We ask for your full name.", "2026-06-01"),
        },
    )
    project.commit(
        "No separate EU policy",
        {
            "policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en]\n",
        },
    )
    clock = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    july = {"SOURCE_DATE_EPOCH": str(int(dt.datetime(2026, 7, 1, tzinfo=dt.UTC).timestamp()))}
    dates = {}
    for when, env in (("today", clock), ("july", {**clock, **july})):
        result = project.policy("build", "--site-url", SITE_URL, env=env)
        assert result.returncode == 0, result.stderr
        dates[when] = {
            entry.findtext("s:loc", namespaces=NS).removeprefix(SITE_URL): entry.findtext(
                "s:lastmod", namespaces=NS
            )
            for folder in ("global/en/", "eu/en/")
            for entry in ET.parse(project.root / "site" / folder / "sitemap.xml").findall(
                "s:url", NS
            )
        }
    assert {page: dates["today"][page] for page in ("global/en/", "global/en/v/1/")} == {
        "global/en/": "2026-01-02",  # it announces version 2
        "global/en/v/1/": "2026-01-01",
    }
    assert (
        dates["today"]["global/en/v/2/"] == dates["today"]["global/en/changes/2/"] == "2026-01-02"
    )
    assert dates["july"] == dates["today"] | {
        "global/en/": "2026-06-01",
        "global/en/changes/": "2026-06-01",
        "global/en/v/": "2026-06-01",
        "global/en/compare/": "2026-06-01",
        "global/en/history/": "2026-06-01",
        "global/en/v/1/": "2026-06-01",  # no longer in force
        "global/en/v/2/": "2026-06-01",  # in force
        "eu/en/v/1/": "2026-06-01",
        "eu/en/v/2/": "2026-06-01",
        "eu/en/": "2026-06-01",
        "eu/en/changes/": "2026-06-01",
        "eu/en/v/": "2026-06-01",
        "eu/en/compare/": "2026-06-01",
        "eu/en/history/": "2026-06-01",
    }
    # What changed in a version stays as it was: its redline keeps its date.
    assert dates["july"]["global/en/changes/2/"] == "2026-01-02"
    eu_today = {page: day for page, day in dates["today"].items() if page.startswith("eu/")}
    # Retired that day: every page of the document but the redline says so.
    assert eu_today == dict.fromkeys(eu_today, "2026-01-03") | {"eu/en/changes/2/": "2026-01-02"}
    assert len(eu_today) == 8
