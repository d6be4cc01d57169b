"""Helpers for tests that script git histories: read them back as versions, write PO catalogs."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from conftest import BASE_FILES, Project, change_yml

from generator.history import Repository
from generator.publication import DocumentHistory, Publication
from generator.versions import derive_versions

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synth  # noqa: E402

DATA_MD = BASE_FILES["policies/clauses/data.md"]
WHO_MD = BASE_FILES["policies/clauses/who.md"]

GERMAN = {
    ("who-we-are", "Who we are"): "Wer wir sind",
    (
        "who-we-are",
        "{{ company.name }} runs this shop. Write to {{ contact.email }}.",
    ): "{{ company.name }} betreibt diesen Shop. Schreiben Sie an {{ contact.email }}.",
    ("data-we-collect", "The information we collect"): "Die Daten, die wir erheben",
    (
        "data-we-collect",
        "We collect only what we need to deliver your order:",
    ): "Wir erheben nur, was wir für die Lieferung Ihrer Bestellung brauchen:",
    ("data-we-collect", "your name;"): "Ihren Namen;",
    ("data-we-collect", "your delivery address."): "Ihre Lieferadresse.",
}
"""A complete German catalog of the base files' clauses."""

WITH_GERMAN = """\
global:
  name: Worldwide
  languages: [en, de]
eu:
  name: European Union
  extends: global
  languages: [en, de]
"""
"""jurisdictions.yml publishing both jurisdictions in English and German."""

GERMAN_FULL_NAME = {
    **{key: text for key, text in GERMAN.items() if key != ("data-we-collect", "your name;")},
    ("data-we-collect", "your full name;"): "Ihren vollständigen Namen;",
}
"""The German catalog once "your name;" became "your full name;" and the catalog was merged and
translated: the old text's entry is gone."""

WITHOUT_EU = "global:\n  name: Worldwide\n  languages: [en, de]\n"
"""WITH_GERMAN with the EU taken out."""

GERMAN_BOTH_NAMES = {**GERMAN, ("data-we-collect", "your full name;"): "Ihren vollständigen Namen;"}
"""The German catalog translating both "your name;" and "your full name;": the text in force and
the one announced."""

EU_WITHOUT_GERMAN = WITH_GERMAN.replace(
    "global\n  languages: [en, de]", "global\n  languages: [en]"
)
"""WITH_GERMAN with German taken out of the EU."""


def announce_full_name(
    project: Project, effective: str, catalog: Mapping[tuple[str, str], str] | None = None
) -> str:
    """Commit "your full name;" for "your name;", announced for `effective`, with the German
    catalog `catalog` if given; the commit."""
    files = {
        "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
        "policies/change.yml": change_yml("Full name.", effective),
    }
    if catalog is not None:
        files["locales/de/LC_MESSAGES/policy.po"] = po(catalog)
    return project.commit(f"Full name from {effective}", files)


def withdraw_full_name(project: Project, summary: str, effective: str) -> str:
    """Commit the text from before `announce_full_name` again, with a note saying `summary`
    (docs/authoring.md, "Moving an announced change"); the commit."""
    return project.commit(
        "Withdraw it",
        {
            "policies/clauses/data.md": DATA_MD,
            "policies/change.yml": change_yml(summary, effective),
        },
    )


def put_eu_back(project: Project, note: Mapping[str, str] | None = None) -> str:
    """Commit the EU taken out of WITH_GERMAN, then put back with `note`'s files (a change.yml,
    a catalog) if given; the second commit."""
    project.commit("No EU policy", {"policies/jurisdictions.yml": WITHOUT_EU})
    return project.commit(
        "The EU again", {"policies/jurisdictions.yml": WITH_GERMAN, **(note or {})}
    )


EU_VARIANT = """\
---
variant_of: who-we-are
jurisdiction: eu
mode: extend
---
Under the GDPR, {{ company.name }} is the controller.
"""
"""A variant extending who-we-are in the EU."""


def po(entries: Mapping[tuple[str, str], str], fuzzy: Iterable[tuple[str, str]] = ()) -> str:
    """A gettext catalog written by hand: msgctxt is the clause id, msgid the source paragraph."""
    marked = set(fuzzy)
    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for (context, source), translation in entries.items():
        if (context, source) in marked:
            out.append("#, fuzzy")
        out += [
            f"msgctxt {_quote(context)}",
            f"msgid {_quote(source)}",
            f"msgstr {_quote(translation)}",
            "",
        ]
    return "\n".join(out)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def publication(project: Project, rev: str = "HEAD", on: dt.date | None = None) -> Publication:
    """The versions of every document, read from the project's git history."""
    result = derive_versions(Repository(project.root).history(rev), on)
    assert result is not None
    return result


def history_of(
    publication: Publication, jurisdiction: str, language: str = "en"
) -> DocumentHistory:
    """One document's history."""
    return publication.documents[(jurisdiction, language)]


def listing(history: DocumentHistory) -> list[tuple[int, str]]:
    """(number, summary) of each version, oldest first."""
    return [(v.number, v.summary) for v in history.versions]


def synthetic_history(root: Path, **size: int) -> Path:
    """The benchmark's synthetic history (benchmarks/synth.py) of this size at `root`: paragraph
    edits, renames, added clauses and translation catch-ups, with two extra edits per version."""
    workload = synth.Workload(**size)
    synth.append_commits(root, synth.write_repository(root, workload, extra_edits=2))
    return root


def same_publication(found: Publication | None, expected: Publication | None) -> bool:
    """Equal publications (catalogs compared by their entries: they have no equality of their
    own)."""
    assert found is not None and expected is not None

    def entries(publication: Publication) -> dict:
        return {tag: list(catalog) for tag, catalog in publication.translations.items()}

    return entries(found) == entries(expected) and replace(found, translations={}) == replace(
        expected, translations={}
    )


def codes(publication: Publication) -> list[str]:
    """The codes of the problems the history walk reported."""
    return [p.code for p in publication.problems]


def project_at(root: Path) -> Project:
    """A Project for an existing folder (a clone), without initialising anything in it."""
    found = Project.__new__(Project)
    found.root = root
    found._day = 0
    return found
