"""The search index takes each clause's sections from the cache only where they are exactly what
the theme's parser makes of the whole page: on our pages and on HTML built to trip it."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from types import SimpleNamespace

import material.plugins.search.plugin as theme
import pytest

from generator.build import BuildOptions, build_site
from generator.search_sections import SearchSections, _record

CLAUSE = (
    '<section class="policy-clause" aria-labelledby="{id}"><h2 id="{id}">Title {id}'
    '<a class="headerlink" href="#{id}">#</a></h2>'
    "<button data-search-exclude hidden><span>Copy link</span></button>\n"
    '  <div class="policy-clause__body">\n  {body}\n  </div>\n</section>'
)
HEAD = (
    '<nav data-search-exclude><a href="x">Region</a></nav>\n'
    '<header><h1 id="_title">Privacy policy</h1><p>Version 3</p></header>\n'
    '<p class="policy-status" role="status"></p>\n'
)


def _clause(identifier: str, body: str = "<p>We keep <strong>little</strong>.</p>") -> str:
    return CLAUSE.format(id=identifier, body=body)


PAGES = {
    "ordinary": HEAD + "\n".join(_clause(f"c{i}") for i in range(4)),
    "lists and code": HEAD
    + _clause("a", "<ul><li>one</li><li> </li></ul><pre><code>x  =  1\n</code></pre>")
    + "\n<p>Between clauses.</p>\n"
    + _clause("b", "<p></p><p>after an empty paragraph</p>"),
    "a heading inside a clause": HEAD
    + _clause("a", '<div><h3 id="a-1">Deeper</h3><p>text</p></div><p>back in a</p>')
    + _clause("b"),
    "a section inside a clause": HEAD
    + _clause("a", "<section><p>inner</p></section><p>after the inner section</p>")
    + _clause("b"),
    "text before the heading": HEAD
    + '<section class="policy-clause">Intro text<h2 id="a">A</h2><p>x</p></section>'
    + _clause("b"),
    "an unclosed paragraph": HEAD + _clause("a", "<p>never closed") + _clause("b"),
    "a script": HEAD + _clause("a", "<script>var s = '</section>';</script><p>x</p>"),
    "a clause in an excluded element": HEAD
    + "<div data-search-exclude>"
    + _clause("a")
    + "</div>"
    + _clause("b"),
    "a clause first": _clause("a") + HEAD + _clause("b"),
    "a pending reference": HEAD + "<p>Fish &amp" + _clause("a") + "</p>" + _clause("b"),
    "a clause deep in the page": '<div><div><h2 id="top">Top</h2>'
    + _clause("a")
    + "</div></div>"
    + _clause("b"),
    "a clause in a comment": HEAD + "<!-- " + _clause("a") + " -->" + _clause("b"),
    "no clause": HEAD + "<p>Nothing but a header.</p>",
}


def _theirs(html: str) -> list:
    parser = theme.Parser()
    parser.feed(html)
    parser.close()
    return [_record(section) for section in parser.data]


def _ours(sections: SearchSections, html: str) -> list:
    parser = sections._parser_class()()
    parser.feed(html)
    parser.close()
    return [_record(section) for section in parser.data]


def _counting_parses(sections: SearchSections, monkeypatch) -> list[str]:  # noqa: ANN001
    parsed: list[str] = []
    parse = sections._parse

    def counted(clause: str):  # noqa: ANN202
        parsed.append(clause)
        return parse(clause)

    monkeypatch.setattr(sections, "_parse", counted)
    return parsed


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_page_parses_as_the_theme_parses_it(name, tmp_path):
    html = PAGES[name]
    first = SearchSections(tmp_path, theme)
    assert _ours(first, html) == _theirs(html)
    first.save()
    # The next build takes the clauses from the cache: the same sections again.
    again = SearchSections(tmp_path, theme)
    assert again.known == json.loads(json.dumps(first.used))
    assert _ours(again, html) == _theirs(html)


def test_clauses_that_depend_on_what_precedes_them_are_parsed_in_the_page(tmp_path):
    sections = SearchSections(tmp_path, theme)
    for name in ("a section inside a clause", "text before the heading", "an unclosed paragraph"):
        _ours(sections, PAGES[name])
    kept = [clause for clause, records in sections.used.items() if records is not None]
    refused = [clause for clause, records in sections.used.items() if records is None]
    # Clause "b" (the same on the three pages) is kept; each page's clause "a" is refused.
    assert len(kept) == 1
    assert len(refused) == 3


def test_each_clause_is_parsed_once_and_then_taken_from_the_cache(tmp_path, monkeypatch):
    html = PAGES["ordinary"]
    first = SearchSections(tmp_path, theme)
    parsed = _counting_parses(first, monkeypatch)
    _ours(first, html)
    _ours(first, html)  # the same clauses on another page of the build
    assert len(parsed) == 4
    first.save()
    again = SearchSections(tmp_path, theme)
    parsed = _counting_parses(again, monkeypatch)
    changed = html.replace("Title c2", "Title c2, reworded")
    assert _ours(again, changed) == _theirs(changed)
    assert parsed == [_clause("c2").replace("Title c2", "Title c2, reworded")]


def test_a_damaged_entry_is_not_used(tmp_path, caplog):
    html = PAGES["ordinary"]
    first = SearchSections(tmp_path, theme)
    _ours(first, html)
    first.save()
    (entry,) = (tmp_path / "sections").rglob("*.*")
    entry.write_bytes(entry.read_bytes().replace(b"little", b"LITTLE"))
    with caplog.at_level(logging.WARNING):
        again = SearchSections(tmp_path, theme)
    assert again.known == {}
    assert any("search cache" in r.message and "damaged" in r.message for r in caplog.records)
    assert _ours(again, html) == _theirs(html)


def test_the_policies_in_force_parse_as_the_theme_parses_them(make_project, tmp_path):
    """Our own pages, as MkDocs handed them to the search index (the article's content)."""
    project = make_project()
    build_site(BuildOptions(project_dir=project.root, cache=False), project.root / "site")
    pages = sorted((project.root / "site").glob("*/*/index.html"))
    assert pages
    sections = SearchSections(tmp_path, theme)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        article = re.search(r"<article[^>]*>(.*)</article>", html, re.S)
        assert article is not None
        assert 'class="policy-clause"' in article[1]
        assert _ours(sections, article[1]) == _theirs(article[1])
    # Every clause of our template was taken from a parse of its own.
    assert sections.used and all(records is not None for records in sections.used.values())
    sections.save()
    again = SearchSections(tmp_path, theme)
    for page in pages:
        article = re.search(r"<article[^>]*>(.*)</article>", page.read_text(encoding="utf-8"), re.S)
        assert _ours(again, article[1]) == _theirs(article[1])  # type: ignore[index]


def test_the_cache_folder_holds_one_entry(tmp_path):
    first = SearchSections(tmp_path, theme)
    _ours(first, PAGES["ordinary"])
    first.save()
    second = SearchSections(tmp_path, theme)
    _ours(second, PAGES["a heading inside a clause"])
    second.save()
    assert len(list(Path(tmp_path / "sections").rglob("*.*"))) == 1
    # Only the clauses of the last build are kept.
    assert set(SearchSections(tmp_path, theme).known) == set(second.used)


def test_a_clause_the_parser_cannot_read_alone_is_read_in_its_page(tmp_path):
    """Should the theme's parser fail on a clause read alone, the clause is read in the page."""

    class Fussy(theme.Parser):
        def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN202
            alone = self.data and self.data[0].title == ["_"]
            if tag == "blink" and alone:
                raise ValueError("<p> not found")
            super().handle_starttag(tag, attrs)

    fussy = SimpleNamespace(Parser=Fussy, Section=theme.Section, Element=theme.Element)
    html = HEAD + _clause("a", "<p><blink>Now</blink></p>") + _clause("b")
    sections = SearchSections(tmp_path, fussy)  # type: ignore[arg-type]
    assert _ours(sections, html) == _theirs(html)
    assert sorted(records is None for records in sections.used.values()) == [False, True]
