"""Atom feeds parsed with feedparser and checked field by field."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from conftest import Project, change_yml
from histories import DATA_MD, GERMAN, WHO_MD, WITH_GERMAN, WITHOUT_EU, po

DE_PO = "locales/de/LC_MESSAGES/policy.po"
HOST = "https://feeds.test"
NOT_TRANSLATED_YET = "Eine angekündigte Änderung ist noch nicht übersetzt"


def _scripted(make_project) -> Project:
    """en: three versions; de: two, then lagging behind the third."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("We ask for your full name.", "2026-01-02"),
            DE_PO: po(
                {
                    **GERMAN,
                    ("data-we-collect", "your full name;"): "Ihren vollständigen Namen;",
                    ("change", "We ask for your full name."): "Wir fragen nach Ihrem vollen Namen.",
                }
            ),
        },
    )
    project.commit(
        "Clearer wording",
        {
            "policies/clauses/who.md": WHO_MD.replace("Write to", "E-mail us at"),
            "policies/change.yml": change_yml("Clearer wording.", "2026-02-01", "editorial"),
        },
    )
    return project


def _parse(project: Project, path: str, site_url: str = "") -> feedparser.FeedParserDict:
    """A feed as a reader fetching it from its address would see it."""
    data = (project.root / "site" / path).read_bytes()
    location = (site_url or HOST + "/") + path
    parsed = feedparser.parse(
        data,
        response_headers={"content-location": location, "content-type": "application/atom+xml"},
    )
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def _target(project: Project, url: str, site_url: str = "") -> Path:
    """The file in site/ that an absolute address of the published site points to."""
    root = site_url or HOST + "/"
    assert url.startswith(root), url
    path = urlsplit(url).path[len(urlsplit(root).path) :]
    file = project.root / "site" / path
    return file / "index.html" if path.endswith("/") or not path else file


@pytest.fixture
def built(make_project) -> Project:
    project = _scripted(make_project)
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    return project


def test_feed_of_a_document_field_by_field(built):
    feed = _parse(built, "eu/en/feed.xml")
    assert feed.version == "atom10"
    assert feed.feed.title == "Privacy policy · European Union (en)"
    assert feed.feed.id.startswith("urn:uuid:")
    assert feed.feed.updated == "2026-01-03T12:00:00Z"
    assert feed.feed.language == "en"
    assert feed.feed.author == "Privacy policy · European Union (en)"
    assert {(link.rel, link.href) for link in feed.feed.links} == {
        ("self", f"{HOST}/eu/en/feed.xml"),
        ("alternate", f"{HOST}/eu/en/changes/"),
    }
    entries = feed.entries
    assert [e.title for e in entries] == [
        "Version 3 (Editorial change)",
        "Version 2 (Material change)",
        "Version 1 (Material change)",
    ]
    assert [e.updated for e in entries] == [f"2026-01-0{d}T12:00:00Z" for d in (3, 2, 1)]
    assert [e.published for e in entries] == [e.updated for e in entries]
    assert [[(t.term, t.label) for t in e.tags] for e in entries] == [
        [("editorial", "Editorial change")],
        [("material", "Material change")],
        [("material", "Material change")],
    ]
    assert [e.summary for e in entries] == [
        "Clearer wording. (Effective February 1, 2026)",
        "We ask for your full name. (Effective January 2, 2026)",
        "First version. (Effective January 1, 2026)",
    ]
    assert [[(link.rel, link.href) for link in e.links] for e in entries] == [
        [("alternate", f"{HOST}/eu/en/changes/3/"), ("related", f"{HOST}/eu/en/v/3/")],
        [("alternate", f"{HOST}/eu/en/changes/2/"), ("related", f"{HOST}/eu/en/v/2/")],
        [("alternate", f"{HOST}/eu/en/v/1/"), ("related", f"{HOST}/eu/en/v/1/")],
    ]
    assert len({e.id for e in entries}) == 3
    assert all(e.id.startswith("urn:uuid:") for e in entries)


def test_feed_of_a_lagging_translation_says_so(built):
    feed = _parse(built, "eu/de/feed.xml")
    assert feed.feed.language == "de"
    assert feed.feed.updated == "2026-01-03T12:00:00Z"
    lag, *versions = feed.entries
    # English version 3, published on January 3, was announced for February 1: the entry says
    # so, in every build (test_i18n_site.py has one that took effect when it was published).
    assert lag.title == "Eine angekündigte Änderung ist noch nicht übersetzt"  # interface.po
    assert lag.updated == "2026-01-03T12:00:00Z"
    assert [link.href for link in lag.links] == [f"{HOST}/eu/en/"]
    assert lag.summary == (
        "Eine Änderung der Datenschutzerklärung tritt am 1. Februar 2026 in Kraft und ist noch "
        "nicht in diese Sprache übersetzt."
    )
    # The summary not translated yet says it is English, as the change log does.
    assert [e.summary for e in versions] == [
        "Wir fragen nach Ihrem vollen Namen. (Gültig ab 2. Januar 2026)",
        '<span dir="ltr" xml:lang="en">First version.</span> (Gültig ab 1. Januar 2026)',
    ]
    raw = " ".join(built.read("site/eu/de/feed.xml").split())
    assert (
        '<summary type="xhtml"> <div xmlns="http://www.w3.org/1999/xhtml"> <span xml:lang="en" dir="ltr">'
        "First version.</span> (Gültig ab 1. Januar 2026)</div> </summary>"
    ) in raw


def test_feed_of_a_retired_document_tells_its_followers_where_to_go(built):
    built.commit(
        "No separate EU policy",
        {
            "policies/jurisdictions.yml": WITHOUT_EU,
        },
    )
    assert built.policy("build").returncode == 0
    for path, title in (
        ("eu/en/feed.xml", "This document is no longer maintained"),
        ("eu/de/feed.xml", "Dieses Dokument wird nicht mehr gepflegt"),
    ):
        feed = _parse(built, path)
        assert feed.feed.updated == "2026-01-04T12:00:00Z", path
        retired, *versions = feed.entries
        assert (retired.title, retired.updated) == (title, "2026-01-04T12:00:00Z")
        assert [link.href for link in retired.links] == [f"{HOST}/"]  # the chooser
        assert _target(built, retired.links[0].href).is_file()
        assert retired.id not in {e.id for e in versions}
        # A retired translation is not said to lag behind: it is no longer published at all.
        assert versions and all(e.title.startswith("Version ") for e in versions), path
    assert "no longer" not in (built.root / "site/global/en/feed.xml").read_text()
    # The feed of every change says it too, about each document, first, as the newest change.
    root = _parse(built, "feed.xml")
    assert [(e.title, e.updated) for e in root.entries[:3]] == [
        ("European Union (en) · This document is no longer maintained", "2026-01-04T12:00:00Z"),
        ("European Union (de) · Dieses Dokument wird nicht mehr gepflegt", "2026-01-04T12:00:00Z"),
        ("Worldwide (en) · Version 3 (Editorial change)", "2026-01-03T12:00:00Z"),
    ]
    assert root.feed.updated == "2026-01-04T12:00:00Z"
    assert root.entries[0].id == _parse(built, "eu/en/feed.xml").entries[0].id


def test_a_document_published_again_keeps_its_retirement_in_its_feed(built):
    """Its followers read, newest first: the versions it came back with (the text in force that
    day, and the one announced for February), the day it was retired, then its earlier
    versions."""
    jurisdictions = built.read("policies/jurisdictions.yml")
    built.commit(
        "No separate EU policy",
        {"policies/jurisdictions.yml": WITHOUT_EU},
    )
    built.commit(
        "The EU policy again",
        {
            "policies/jurisdictions.yml": jurisdictions,
            "policies/change.yml": change_yml("Published again.", "2026-01-05"),
        },
    )
    assert built.policy("build").returncode == 0
    feed = _parse(built, "eu/en/feed.xml")
    assert [(e.title, e.updated) for e in feed.entries[:3]] == [
        ("Version 5 (Editorial change)", "2026-01-05T12:00:00Z"),
        ("Version 4 (Material change)", "2026-01-05T12:00:00Z"),
        ("This document is no longer maintained", "2026-01-04T12:00:00Z"),
    ]
    assert feed.entries[3].title.startswith("Version 3 ")
    root = [e.title for e in _parse(built, "feed.xml").entries]
    assert root.index("European Union (en) · This document is no longer maintained") > root.index(
        "European Union (en) · Version 4 (Material change)"
    )


def test_root_feed_has_every_change_of_every_document(built):
    feed = _parse(built, "feed.xml")
    assert feed.feed.title == "Privacy policy"
    assert feed.feed.updated == "2026-01-03T12:00:00Z"
    assert {(link.rel, link.href) for link in feed.feed.links} == {
        ("self", f"{HOST}/feed.xml"),
        ("alternate", f"{HOST}/"),
    }
    assert [(e.title, e.updated) for e in feed.entries] == [
        ("Worldwide (en) · Version 3 (Editorial change)", "2026-01-03T12:00:00Z"),
        (f"Worldwide (de) · {NOT_TRANSLATED_YET}", "2026-01-03T12:00:00Z"),
        ("European Union (en) · Version 3 (Editorial change)", "2026-01-03T12:00:00Z"),
        (f"European Union (de) · {NOT_TRANSLATED_YET}", "2026-01-03T12:00:00Z"),
        ("Worldwide (en) · Version 2 (Material change)", "2026-01-02T12:00:00Z"),
        ("Worldwide (de) · Version 2 (Wesentliche Änderung)", "2026-01-02T12:00:00Z"),
        ("European Union (en) · Version 2 (Material change)", "2026-01-02T12:00:00Z"),
        ("European Union (de) · Version 2 (Wesentliche Änderung)", "2026-01-02T12:00:00Z"),
        ("Worldwide (en) · Version 1 (Material change)", "2026-01-01T12:00:00Z"),
        ("Worldwide (de) · Version 1 (Wesentliche Änderung)", "2026-01-01T12:00:00Z"),
        ("European Union (en) · Version 1 (Material change)", "2026-01-01T12:00:00Z"),
        ("European Union (de) · Version 1 (Wesentliche Änderung)", "2026-01-01T12:00:00Z"),
    ]
    document_ids = {
        e.id
        for name in ("eu/en", "eu/de", "global/en", "global/de")
        for e in _parse(built, f"{name}/feed.xml").entries
    }
    # The same version is the same entry wherever it appears.
    assert {e.id for e in feed.entries} <= document_ids
    assert [e.title_detail.language for e in feed.entries[4:6]] == ["en", "de"]


def test_root_feed_carries_the_lag_notices_of_the_documents_feeds(built):
    """A German reader who follows the feed of every change learns that the German text is
    behind: the same entry, id and content, as the document's own feed gives."""
    root = {e.id: e for e in _parse(built, "feed.xml").entries}
    for name, region in (("eu/de", "European Union (de)"), ("global/de", "Worldwide (de)")):
        lag = _parse(built, f"{name}/feed.xml").entries[0]
        assert lag.title == NOT_TRANSLATED_YET
        assert lag.id in root
        shown = root[lag.id]
        assert shown.title == f"{region} · {lag.title}"
        assert (shown.updated, shown.summary, shown.links) == (lag.updated, lag.summary, lag.links)
        assert shown.title_detail.language == "de"


def test_an_entry_keeps_the_region_name_it_was_published_with(built):
    """Renaming a region, or translating its name later, makes no version: the entries already
    published say what they said (as a version's own pages keep their heading); the next
    version's entry, and the feeds' own titles, take the new name."""
    before = {e.id: e.title for e in _parse(built, "feed.xml").entries}
    built.commit(
        "Rename the EU, and translate its name",
        {
            "policies/jurisdictions.yml": WITH_GERMAN.replace(
                "European Union", "European Union and EEA"
            ),
            DE_PO: built.read(DE_PO)
            + '\nmsgctxt "jurisdiction"\nmsgid "Worldwide"\nmsgstr "Weltweit"\n',
        },
    )
    assert built.policy("build").returncode == 0
    assert {e.id: e.title for e in _parse(built, "feed.xml").entries} == before
    assert _parse(built, "eu/en/feed.xml").feed.title == (
        "Privacy policy · European Union and EEA (en)"
    )
    assert _parse(built, "global/de/feed.xml").feed.title.endswith("· Weltweit (de)")
    built.commit(
        "More",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;").replace(
                "address.", "address;\n- your phone number."
            ),
            "policies/change.yml": change_yml("Phone.", "2026-03-01"),
        },
    )
    assert built.policy("build").returncode == 0
    after = {e.id: e.title for e in _parse(built, "feed.xml").entries}
    assert "European Union and EEA (en) · Version 4 (Material change)" in after.values()
    assert "Weltweit (de) · Version 3 (Wesentliche Änderung)" not in after.values()  # lagging
    assert {i: title for i, title in after.items() if i in before} == {
        i: title for i, title in before.items() if i in after
    }


def test_an_entry_is_never_dated_before_an_earlier_event(built):
    """Version 4, committed on a computer whose clock was a day and a half behind, keeps its
    commit's date in the record; its entry comes one second after version 3's, so the feed's
    date moves on and no reader files it under the versions it has already shown."""
    built.commit(
        "More (clock behind)",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;").replace(
                "address.", "address;\n- your phone number."
            ),
            "policies/change.yml": change_yml("Phone.", "2026-03-01"),
        },
        date="2026-01-02T00:00:00+00:00",
    )
    assert built.policy("build").returncode == 0
    record = json.loads(built.read("site/eu/en/versions.json"))
    assert record["versions"][3]["published"] == "2026-01-02T00:00:00Z"
    feed = _parse(built, "eu/en/feed.xml")
    assert feed.feed.updated == "2026-01-03T12:00:01Z"
    assert [(e.title, e.published, e.updated) for e in feed.entries[:2]] == [
        ("Version 4 (Material change)", "2026-01-03T12:00:01Z", "2026-01-03T12:00:01Z"),
        ("Version 3 (Editorial change)", "2026-01-03T12:00:00Z", "2026-01-03T12:00:00Z"),
    ]
    root = _parse(built, "feed.xml")
    assert root.feed.updated == "2026-01-03T12:00:01Z"
    titles = [e.title for e in root.entries]
    assert titles.index("European Union (en) · Version 4 (Material change)") < titles.index(
        "European Union (en) · Version 3 (Editorial change)"
    )
    dates = {e.id: e.updated for e in root.entries}
    assert all(dates[e.id] == e.updated for e in feed.entries)


@pytest.mark.parametrize(
    ("date", "ended"),
    [(None, "2026-01-04T12:00:00Z"), ("2026-01-02T00:00:00+00:00", "2026-01-03T12:00:01Z")],
    ids=["next-day", "clock-behind"],
)
def test_a_lag_taken_back_is_told_and_the_feed_date_never_goes_back(built, date, ended):
    """The German documents lag behind English version 3, announced for February 1; it is
    withdrawn before its date, and German is current again with no version of its own: its
    followers, told a change was not translated yet, are told so, and the feed's date moves on
    (it went back to the date of German version 2, the notice dropped with nothing in its
    place), even when the commit's clock was behind."""
    before = {e.id: e for e in _parse(built, "eu/de/feed.xml").entries}
    lag = next(iter(before.values()))
    assert lag.title == NOT_TRANSLATED_YET
    built.commit(
        "Withdraw the clearer wording",
        {
            "policies/clauses/who.md": WHO_MD,
            "policies/change.yml": change_yml("Wording as before.", "2026-01-02", "editorial"),
        },
        date=date,
    )
    result = built.policy("build")
    assert result.returncode == 0, result.stderr
    feed = _parse(built, "eu/de/feed.xml")
    assert feed.feed.updated == ended
    assert len(json.loads(built.read("site/eu/de/versions.json"))["versions"]) == 2
    current, *rest = feed.entries
    assert (current.title, current.updated) == ("Diese Übersetzung ist wieder aktuell", ended)
    assert current.summary == (
        "Die Änderung, hinter der diese Übersetzung zurücklag, wurde zurückgenommen: Diese "
        "Übersetzung ist wieder aktuell."
    )
    assert [link.href for link in current.links] == [f"{HOST}/eu/de/"]
    assert current.id not in before and lag.id != current.id
    assert [e.id for e in rest] == [i for i in before if i != lag.id]
    root = {e.id: e for e in _parse(built, "feed.xml").entries}
    assert root[current.id].title == f"European Union (de) · {current.title}"
    assert root[current.id].updated == ended
    # The same history gives the same feed, built again from the cache.
    raw = built.read("site/eu/de/feed.xml")
    assert built.policy("build").returncode == 0
    assert built.read("site/eu/de/feed.xml") == raw


def test_every_feed_link_resolves_to_a_published_file(built):
    feeds = sorted((built.root / "site").rglob("feed.xml"))
    assert len(feeds) == 5
    for file in feeds:
        path = file.relative_to(built.root / "site").as_posix()
        parsed = _parse(built, path)
        links = [link.href for link in parsed.feed.links] + [
            link.href for e in parsed.entries for link in e.links
        ]
        for url in links:
            assert _target(built, url).is_file(), (path, url)


@pytest.mark.parametrize(
    "date",
    [None, "2025-12-01T12:00:00+00:00"],
    ids=["next-day", "clock-behind-the-first-commit"],
)
def test_feed_ids_stay_the_same_as_history_grows(built, date):
    """Ids derive from the history's first commit, not from the earliest date: a commit whose
    clock was behind changes none."""
    before = {
        path: (parsed.feed.id, [(e.id, e.title, e.summary) for e in parsed.entries])
        for path in ("eu/en/feed.xml", "feed.xml")
        for parsed in [_parse(built, path)]
    }
    built.commit(
        "More",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;").replace(
                "address.", "address;\n- your phone number."
            ),
            "policies/change.yml": change_yml("Phone.", "2026-03-01"),
        },
        date=date,
    )
    assert built.policy("build").returncode == 0
    after = _parse(built, "eu/en/feed.xml")
    assert after.feed.id == before["eu/en/feed.xml"][0]
    assert [(e.id, e.title, e.summary) for e in after.entries[1:]] == before["eu/en/feed.xml"][1]
    assert after.entries[0].title == "Version 4 (Material change)"
    assert after.entries[0].id not in {e[0] for e in before["eu/en/feed.xml"][1]}
    root = _parse(built, "feed.xml")
    assert root.feed.id == before["feed.xml"][0]


def test_feed_links_are_absolute_when_the_site_address_is_known(make_project):
    project = _scripted(make_project)
    site_url = "https://shop.example/privacy/"
    mkdocs = project.read("mkdocs.yml").replace(
        "site_name: Privacy policy", f"site_name: Privacy policy\nsite_url: {site_url}"
    )
    project.write({"mkdocs.yml": mkdocs})
    assert project.policy("build").returncode == 0
    raw = project.read("site/eu/en/feed.xml")
    assert "xml:base" not in raw
    assert f'<link href="{site_url}eu/en/feed.xml" rel="self"' in raw
    feed = _parse(project, "eu/en/feed.xml", site_url)
    for url in [link.href for e in feed.entries for link in e.links]:
        assert _target(project, url, site_url).is_file(), url
    # `mkdocs build` on its own publishes the same feed.
    import subprocess
    import sys

    mkdocs_bin = Path(sys.executable).parent / "mkdocs"
    subprocess.run([str(mkdocs_bin), "build", "-q", "-d", "direct"], cwd=project.root, check=True)
    assert (project.root / "direct/eu/en/feed.xml").read_text(encoding="utf-8") == raw
