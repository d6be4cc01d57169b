"""Each page searches an index of its own document (the chooser, of the policies in force in its
language), split from the theme's index of every page, with its language's stop words."""

from __future__ import annotations

import json

from histories import GERMAN, WITH_GERMAN, po

from generator.search_indexes import CHOOSER, WHOLE, Scope, address, scopes, split

CONFIG = {"lang": ["en", "de"], "separator": "[\\s]+", "pipeline": ["stopWordFilter"]}


def _doc(location: str) -> dict:
    return {"location": location, "title": location, "text": f"text of {location}"}


WHOLE_INDEX = json.dumps(
    {
        "config": CONFIG,
        "docs": [
            _doc(""),
            _doc("#region-eu"),
            _doc("global/en/"),
            _doc("global/en/#who-we-are"),
            _doc("global/zh-hans/"),
            _doc("eu/en/"),
            _doc("eu/en/#data"),
            _doc("eu/de/"),
        ],
    }
)


def test_a_page_searches_its_documents_index_and_the_chooser_its_own():
    assert address("eu/de/") == "eu/de/search.json"
    assert address("eu/de/changes/3/") == "eu/de/search.json"
    assert address("") == CHOOSER


def test_each_document_has_an_index_and_the_chooser_holds_its_language():
    found = scopes([("global", "en"), ("global", "pt-BR"), ("eu", "en"), ("eu", "de")], "en")
    assert found == {
        "global/en/search.json": Scope(frozenset({"global/en/"}), "en"),
        "global/pt-br/search.json": Scope(frozenset({"global/pt-br/"}), "pt-BR"),
        "eu/en/search.json": Scope(frozenset({"eu/en/"}), "en"),
        "eu/de/search.json": Scope(frozenset({"eu/de/"}), "de"),
        CHOOSER: Scope(frozenset({"global/en/", "eu/en/"}), "en"),
    }


def test_an_index_holds_its_folders_sections_in_the_whole_indexs_order():
    indexes = split(
        WHOLE_INDEX,
        scopes([("global", "en"), ("global", "zh-Hans"), ("eu", "en"), ("eu", "de")], "en"),
    )
    locations = {
        path: [d["location"] for d in json.loads(t)["docs"]] for path, t in indexes.items()
    }
    assert locations == {
        "global/en/search.json": ["global/en/", "global/en/#who-we-are"],
        "global/zh-hans/search.json": ["global/zh-hans/"],
        "eu/en/search.json": ["eu/en/", "eu/en/#data"],
        "eu/de/search.json": ["eu/de/"],
        CHOOSER: ["global/en/", "global/en/#who-we-are", "eu/en/", "eu/en/#data"],
    }


def test_an_index_has_its_languages_stop_words_or_english_ones():
    indexes = split(WHOLE_INDEX, scopes([("eu", "de"), ("global", "zh-Hans")], "de"))
    german = json.loads(indexes["eu/de/search.json"])["config"]
    assert german == {**CONFIG, "lang": ["de"]}
    # The theme has no Chinese stop words: English ones, as for any language it lacks.
    assert json.loads(indexes["global/zh-hans/search.json"])["config"]["lang"] == ["en"]


def test_a_build_writes_every_pages_index_and_loses_no_section(make_project):
    project = make_project(
        {
            "policies/jurisdictions.yml": WITH_GERMAN,
            "locales/de/LC_MESSAGES/policy.po": po(GERMAN),
        }
    )
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    whole = json.loads((site / WHOLE).read_text(encoding="utf-8"))["docs"]
    own = {
        path.relative_to(site).as_posix(): json.loads(path.read_text(encoding="utf-8"))["docs"]
        for path in site.glob("*/*/search.json")
    }
    assert sorted(own) == [
        "eu/de/search.json",
        "eu/en/search.json",
        "global/de/search.json",
        "global/en/search.json",
    ]
    sections = [doc for docs in own.values() for doc in docs]
    assert len(sections) > 10
    assert sorted(map(json.dumps, sections)) == sorted(
        json.dumps(doc) for doc in whole if doc["location"].count("/") >= 2
    )
    # A search finds the policy's words, not the facts that head a version or the record ending
    # it ("Version", "Sprache", a hash).
    headed = next(doc for doc in own["eu/de/search.json"] if doc["location"].endswith("#_title"))
    assert headed["text"] == ""
    page = (site / "eu/de/index.html").read_text(encoding="utf-8")
    assert '<script data-policy-search="search.json">' in page
    history = (site / "eu/de/changes/index.html").read_text(encoding="utf-8")
    assert '<script data-policy-search="../search.json">' in history
    chooser = (site / "index.html").read_text(encoding="utf-8")
    assert '<script data-policy-search="search/chooser.json">' in chooser
