"""The notice of a lagging translation tells the truth on the build's day: the policy was updated
(a change it lags behind is in force), or a change takes effect on a date and is not translated
yet (only announced), or both; it changes on the date, as the source language's banner does."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from conftest import WHO_MD, at_noon, change_yml
from histories import GERMAN, announce_full_name, po
from sitemap_files import NS, listed_sitemaps, local

JURISDICTIONS = "global:\n  name: Worldwide\n  languages: [en, de, ja]\n"
"""German has an interface catalog, Japanese none (its notice is in English, marked so)."""

UPDATED_DE = "Die Datenschutzerklärung wurde aktualisiert"
ANNOUNCED_DE = "Eine angekündigte Änderung ist noch nicht übersetzt"


@pytest.fixture
def announced(make_project):
    """German and Japanese translated (day 1); on day 2 English announces "your full name;" for
    April 1, which neither catalog translates."""
    project = make_project(
        {
            "policies/jurisdictions.yml": JURISDICTIONS,
            "locales/de/LC_MESSAGES/policy.po": po(GERMAN),
            "locales/ja/LC_MESSAGES/policy.po": po(GERMAN),  # any complete text will do
        }
    )
    announce_full_name(project, "2026-04-01")
    return project


SITE_URL = "https://shop.test/"


def build_on(project, day: str) -> None:
    result = project.policy("build", "--site-url", SITE_URL, env=at_noon(day))
    assert result.returncode == 0, result.stderr


def lastmod(project, path: str) -> str:
    """A page's date in the sitemaps."""
    site = project.root / "site"
    for address in listed_sitemaps(site):
        for entry in ET.parse(local(site, SITE_URL, address)).getroot().findall("s:url", NS):
            if entry.findtext("s:loc", namespaces=NS) == SITE_URL + path:
                return entry.findtext("s:lastmod", namespaces=NS)
    raise AssertionError(path)


def notice(project, path: str) -> str:
    """The lag notice of a page, its lines joined."""
    found = re.search(
        r'<div class="admonition warning policy-notice policy-notice--lag".*?</div>',
        project.read(f"site/{path}"),
        re.S,
    )
    assert found, path
    return " ".join(found[0].split())


def test_a_change_only_announced_is_announced_with_its_date_until_it_applies(announced):
    build_on(announced, "2026-03-31")
    for path, up in (("global/de/index.html", ".."), ("global/de/changes/index.html", "../..")):
        text = notice(announced, path)
        assert f'<p class="admonition-title">{ANNOUNCED_DE}</p>' in text
        assert (
            '<p>Eine Änderung der Datenschutzerklärung tritt am <time datetime="2026-04-01">'
            "1. April 2026</time> in Kraft und ist noch nicht in diese Sprache übersetzt.</p>"
        ) in text
        # The summary is English, as the source page announces it: marked so.
        assert '<p class="policy-summary" lang="en" dir="ltr">Full name.</p>' in text
        assert (
            f'<a href="{up}/en/v/2/" hreflang="en">Angekündigte Fassung lesen (Englisch).</a>'
        ) in text
        assert UPDATED_DE not in text and "neuere Version" not in text
    # A language without an interface catalog: the English words, marked English, date too.
    text = notice(announced, "global/ja/index.html")
    assert (
        '<span lang="en" dir="ltr">A change to the policy takes effect on '
        '<time datetime="2026-04-01" lang="en" dir="ltr">April 1, 2026</time> and has not been '
        "translated into this language yet.</span>"
    ) in text
    assert "Read the announced version in English." in text
    assert lastmod(announced, "global/de/") == "2026-01-02"  # the day it began to lag

    # On the day it takes effect, the policy was updated: the notice says so, and no date.
    build_on(announced, "2026-04-01")
    for path in ("global/de/index.html", "global/de/changes/index.html"):
        text = notice(announced, path)
        assert '<p class="admonition-title">Es gibt eine neuere Version</p>' in text
        assert UPDATED_DE in text and "Aktualisierte Fassung lesen (Englisch)." in text
        assert ANNOUNCED_DE not in text and "2026-04-01" not in text
    assert "The policy was updated" in notice(announced, "global/ja/index.html")
    # What the page says changed on that day: the sitemaps date it so.
    assert lastmod(announced, "global/de/") == "2026-04-01"
    assert lastmod(announced, "global/de/changes/") == "2026-04-01"


def test_a_change_in_force_and_a_further_one_announced_are_both_told(announced):
    announced.commit(
        "Clearer wording",
        {
            "policies/clauses/who.md": WHO_MD.replace("Write to", "E-mail us at"),
            "policies/change.yml": change_yml("Clearer wording.", "2026-05-01"),
        },
    )
    build_on(announced, "2026-03-31")  # both announced: one paragraph for each date
    text = notice(announced, "global/de/index.html")
    assert f'<p class="admonition-title">{ANNOUNCED_DE}</p>' in text
    assert '<time datetime="2026-04-01">1. April 2026</time>' in text
    assert '<time datetime="2026-05-01">1. Mai 2026</time>' in text
    assert '<a href="../en/v/2/"' in text and '<a href="../en/v/3/"' in text
    assert UPDATED_DE not in text

    build_on(announced, "2026-04-15")  # the first applies, the second is announced
    text = notice(announced, "global/de/index.html")
    assert '<p class="admonition-title">Es gibt eine neuere Version</p>' in text
    assert UPDATED_DE in text and '<a href="../en/" hreflang="en">' in text
    assert "2026-04-01" not in text and '<a href="../en/v/2/"' not in text
    assert (
        'tritt am <time datetime="2026-05-01">1. Mai 2026</time> in Kraft und ist noch nicht'
    ) in text
    assert '<p class="policy-summary" lang="en" dir="ltr">Clearer wording.</p>' in text
    assert '<a href="../en/v/3/" hreflang="en">Angekündigte Fassung lesen (Englisch).</a>' in text


def test_the_feed_of_a_lagging_translation_gives_the_announced_date_in_every_build(announced):
    entries = []
    for day in ("2026-03-31", "2026-04-01"):
        build_on(announced, day)
        feed = feedparser.parse(announced.read("site/global/de/feed.xml"))
        entries.append((feed.entries[0].title, feed.entries[0].summary))
    # A feed has no 'today': the entry dated by the announcement says what it announced.
    expected = (
        ANNOUNCED_DE,
        "Eine Änderung der Datenschutzerklärung tritt am 1. April 2026 in Kraft und ist "
        "noch nicht in diese Sprache übersetzt.",
    )
    assert entries == [expected, expected]
