"""The shortcuts that keep a long history cheap give exactly what the plain way gives: catalogs read
unit by unit, documents composed again only where they changed, document JSON put together from
its clauses, variables filled without compiling templates, links made without the file system."""

from __future__ import annotations

import json
import posixpath
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from generator.build import BuildOptions, make_publication
from generator.catalogs import catalog_path, load_translations
from generator.check import check_files
from generator.compose import compose
from generator.errors import Problems
from generator.history import Repository
from generator.incremental import CatalogLoader, Composer
from generator.model import ComposedClause, Document, Language
from generator.pages import _relpath
from generator.publication import document_json
from generator.sources import read_policy
from generator.variables import Variables
from generator.versions import derive_versions

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synth  # noqa: E402

PO_CASES = {
    "plain": """\
        msgid ""
        msgstr "Content-Type: text/plain; charset=UTF-8\\n"

        msgctxt "a"
        msgid "One."
        msgstr "Eins."

        msgctxt "a"
        msgid "Two."
        msgstr "Zwei."
        """,
    "fuzzy flag alone before its message": """\
        msgid ""
        msgstr ""

        #, fuzzy

        msgctxt "a"
        msgid "One."
        msgstr "Eins."
        """,
    "msgstr after a blank line, strings over several lines": """\
        msgctxt "a"
        msgid ""
        "One "
        "long."

        msgstr ""
        "Eins "
        "lang."
        msgctxt "b"
        msgid "Two."
        msgstr "Zwei."
        """,
    "obsolete and previous messages, comments": """\
        # Translator comment
        #: policies/clauses/a.md:3
        #| msgid "Old."
        msgctxt "a"
        msgid "One."
        msgstr "Eins."

        #~ msgctxt "gone"
        #~ msgid "Gone."
        #~ msgstr "Weg."

        # trailing comment without a message
        """,
    "a message twice": """\
        msgctxt "a"
        msgid "One."
        msgstr "Eins."

        #, fuzzy
        msgctxt "a"
        msgid "One."
        msgstr "Noch eins."
        """,
    "plural forms": """\
        msgid "One."
        msgid_plural "Many."
        msgstr[0] "Eins."
        msgstr[1] "Viele."

        msgctxt "b"
        msgid "Two."
        msgstr "Zwei."
        """,
    "broken": """\
        msgctxt "a"
        msgid "One."
        msgstr "Eins.

        msgctxt "b"
        msgid "Two."
        msgstr "Zwei."
        """,
    "previous msgid lines": """\
        #, fuzzy
        #| msgid "Old."
        msgctxt "a"
        msgid "One."
        msgstr "Eins."
        """,
    "a bad escape": """\
        msgctxt "a"
        msgid "One\\q."
        msgstr "Eins."
        """,
    "no blank lines at all": """\
        msgctxt "a"
        msgid "One."
        msgstr "Eins."
        msgctxt "b"
        msgid "Two."
        msgstr ""
        """,
}


def _entries(translations):  # noqa: ANN001, ANN202
    return None if translations is None else dict(translations._entries)


@pytest.mark.parametrize("name", sorted(PO_CASES))
def test_catalog_loader_reads_what_babel_reads(name):
    data = textwrap.dedent(PO_CASES[name]).encode()
    path = "locales/de/LC_MESSAGES/policy.po"
    expected_problems, problems = Problems(), Problems()
    expected = load_translations(path, data, expected_problems)
    loaded, fresh = CatalogLoader().load(path, data, problems)
    assert fresh
    assert _entries(loaded) == _entries(expected)
    assert list(problems) == list(expected_problems)


ZERO_ONE = """\
msgctxt "a"
msgid "Zero."
msgstr "Null."

msgctxt "a"
msgid "One."
msgstr "Eins."
"""

REVISED = {
    "a flag after a msgstr, for the message after the blank line": ZERO_ONE.replace(
        'msgstr "Null."\n', 'msgstr "Null."\n#, fuzzy\n'
    ),
    "a msgctxt after a msgstr, for the message after the blank line": ZERO_ONE.replace(
        'msgstr "Null."\n\nmsgctxt "a"\n', 'msgstr "Null."\nmsgctxt "b"\n\n'
    ),
    "a msgstr with no msgid before it": ZERO_ONE.replace(
        'msgstr "Null."\n', 'msgstr "Null."\nmsgctxt "b"\nmsgstr "Leak"\n'
    ),
    "two msgstr for one msgid": ZERO_ONE.replace(
        'msgstr "Eins."', 'msgstr "Eins."\nmsgstr "Zwei."'
    ),
    "a msgid_plural with no msgid before it": ZERO_ONE.replace(
        'msgid "One."', 'msgid_plural "One."'
    ),
    "a header Babel cannot read": 'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=abc; '
    'plural=(n != 1);\\n"\n\n' + ZERO_ONE,
    "a header line folded into the field before it": 'msgid ""\nmsgstr ""\n'
    '"POT-Creation-Date: 2026-01-01 00:00+0000\\n"\n" by hand\\n"\n\n' + ZERO_ONE,
}


@pytest.mark.parametrize("name", sorted(REVISED))
def test_catalog_loader_reads_a_revision_as_babel_reads_it_whatever_it_read_before(name):
    """The loader keeps what it parsed of one revision for the next: what it reads of the next
    must still be what reading that revision alone gives, even where Babel's reader carries
    something over a blank line to the next message, or the header cannot be read."""
    path = "locales/de/LC_MESSAGES/policy.po"
    loader = CatalogLoader()
    loader.load(path, ZERO_ONE.encode(), Problems())
    revised = REVISED[name].encode()
    expected_problems, problems = Problems(), Problems()
    expected = load_translations(path, revised, expected_problems)
    loaded, fresh = loader.load(path, revised, problems)
    assert fresh
    assert _entries(loaded) == _entries(expected)
    assert list(problems) == list(expected_problems)


def test_catalog_loader_reports_exactly_the_contexts_that_changed():
    path = "locales/de/LC_MESSAGES/policy.po"
    loader = CatalogLoader()
    before = textwrap.dedent(PO_CASES["plain"])
    first, _ = loader.load(path, before.encode(), Problems())
    edited = before.replace('msgstr "Zwei."', 'msgstr "Zwo."') + textwrap.dedent(
        """
        #, fuzzy
        msgctxt "c@eu"
        msgid "Three."
        msgstr "Drei."
        """
    )
    second, fresh = loader.load(path, edited.encode(), Problems())
    assert fresh
    assert _entries(second) == _entries(load_translations(path, edited.encode(), Problems()))
    assert loader.changed_contexts(first, second) == {"a", "c@eu"}
    same, fresh = loader.load(path, edited.encode(), Problems())
    assert same is second and not fresh
    assert loader.changed_contexts(second, first) is None  # not a step the loader took


@pytest.mark.parametrize(
    "workload",
    [
        synth.Workload(clauses=9, jurisdictions=4, languages=3, versions=12, seed=3),
        synth.Workload(clauses=14, jurisdictions=3, languages=4, versions=9, seed=5),
    ],
    ids=lambda w: w.name,
)
def test_composer_composes_every_revision_as_compose_does(tmp_path, workload):
    repository = tmp_path / "repo"
    pending = synth.write_repository(repository, workload, extra_edits=2)
    synth.append_commits(repository, pending)
    loader = CatalogLoader()
    composer = Composer(loader)
    checked = reused = 0
    previous: dict = {}
    for revision in Repository(repository).history():
        policy, _ = read_policy(revision.files)
        assert policy is not None
        for jurisdiction in sorted(policy.jurisdictions):
            for language in policy.languages_of(jurisdiction):
                path = catalog_path(Language(tag=language))
                data = revision.files.get(path)
                translations = loader.load(path, data, Problems())[0] if data else None
                plain = load_translations(path, data, Problems()) if data else None
                assert _entries(translations) == _entries(plain)
                carried = composer.compose(policy, jurisdiction, language, translations)
                assert carried == compose(policy, jurisdiction, language, plain)
                reused += carried is previous.get((jurisdiction, language))
                previous[(jurisdiction, language)] = carried
                checked += 1
    assert checked > 100
    assert reused > 0  # documents a commit did not change come back as the same object


def test_composer_recomposes_a_clause_whose_translation_breaks_a_variable(tmp_path):
    """A clause with problems is never carried over: its messages name lines that may move."""
    repository = tmp_path / "repo"
    synth.write_repository(
        repository, synth.Workload(clauses=4, jurisdictions=1, languages=2, versions=1)
    )
    history = list(Repository(repository).history())
    policy, _ = read_policy(history[-1].files)
    path = catalog_path(Language(tag="de"))
    text = history[-1].files[path].decode()
    first = text.index("msgctxt")
    broken = text[:first] + text[first:].replace('msgstr "', 'msgstr "{{ nope }} ', 1)
    moved = "# a new first line\n" + broken
    loader = CatalogLoader()
    composer = Composer(loader)
    lines = []
    for version in (text, broken, moved):
        translations, _ = loader.load(path, version.encode(), Problems())
        plain = load_translations(path, version.encode(), Problems())
        carried = composer.compose(policy, "global", "de", translations)
        assert carried == compose(policy, "global", "de", plain)
        lines.append([p.line for p in carried.problems])
    assert lines[0] == [] and lines[1] and lines[2] == [line + 1 for line in lines[1]]


def test_the_newest_commit_is_checked_with_the_documents_the_history_composed(
    tmp_path, monkeypatch
):
    """The build's check of the newest commit takes the compositions the version history made of
    that commit, and finds exactly what composing them again finds."""
    repository = tmp_path / "repo"
    workload = synth.Workload(clauses=9, jurisdictions=3, languages=3, versions=6, seed=11)
    synth.append_commits(repository, synth.write_repository(repository, workload, extra_edits=2))
    revisions = list(Repository(repository).history())
    publication = derive_versions(revisions)
    assert publication is not None and publication.head is revisions[-1]
    files = revisions[-1].files
    plain = check_files(files)
    assert set(publication.compositions) >= set(plain.compositions)
    assert check_files(files, composed=publication.compositions) == plain

    def composing(*args: object) -> None:
        raise AssertionError("composed again")

    monkeypatch.setattr("generator.check.compose", composing)
    make_publication(BuildOptions(project_dir=repository))  # checks the newest commit


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.text(), st.text(), st.text()), max_size=4),
    st.text(),
    st.text(),
)
def test_document_json_is_the_canonical_json_of_the_document(clauses, jurisdiction, language):
    document = Document(
        jurisdiction=jurisdiction,
        language=language,
        clauses=tuple(
            ComposedClause(id=i, title=t, paragraphs=(), html=h, topics=(), contexts=())
            for i, t, h in clauses
        ),
    )
    canonical = json.dumps(
        {
            "jurisdiction": jurisdiction,
            "language": language,
            "clauses": [{"id": i, "title": t, "html": h} for i, t, h in clauses],
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode()
    assert document_json(document) == canonical


VALUES = {
    "company": {"name": "Shop <b> & Co", "number": 7},
    "contact": {"email": "privacy@shop.example"},
    "flag": True,
}


@pytest.mark.parametrize(
    "text",
    [
        "{{ company.name }} runs this shop.",
        "{{company.number}}{{ contact.email }}\n",
        "Line\r\nand {{ flag }}\n\n",
        "{{ company.name }}\n",
    ],
)
def test_variables_are_filled_as_jinja_renders_them(text):
    expected = SandboxedEnvironment(undefined=StrictUndefined).from_string(text).render(VALUES)
    problems = Problems()
    assert Variables(VALUES).fill(text, "a.md", 1, problems) == expected
    assert not list(problems)


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.sampled_from(["eu", "de", "v", "3", ".", "", "changes", "x.y"]), max_size=5),
    st.lists(st.sampled_from(["eu", "de", "v", "3", ".", "", "changes", "x.y"]), max_size=5),
)
def test_relative_paths_are_those_of_posixpath(to, start):
    path, base = "/".join(to) or ".", "/".join(start) or "."
    assert _relpath(path, base) == posixpath.relpath(path, base)
