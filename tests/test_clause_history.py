"""clause_histories: in which versions each clause's published text changed."""

from __future__ import annotations

from conftest import BASE_FILES, change_yml

from generator.build import BuildOptions, make_site
from generator.clause_history import clause_histories
from generator.model import ChangeType

RIGHTS = """\
---
id: your-rights
title: Your rights
order: 30
jurisdictions: [global]
---
You may ask for a copy of your information.
"""


def _events(project) -> dict[str, list[tuple[int, str]]]:
    publication, _ = make_site(BuildOptions(project_dir=project.root))
    versions = publication.documents[("global", "en")].versions
    return {
        h.clause_id: [(e.version.number, e.type.value) for e in h.events]
        for h in clause_histories(versions)
    }


def test_clause_history_records_added_changed_and_removed(make_project):
    project = make_project()
    project.commit(
        "Add rights",
        {
            "policies/clauses/rights.md": RIGHTS,
            "policies/change.yml": change_yml("Rights.", "2026-01-02"),
        },
    )
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": BASE_FILES["policies/clauses/data.md"].replace(
                "your name;", "your full name;"
            ),
            "policies/change.yml": change_yml("Full name.", "2026-01-03"),
        },
    )
    project.commit(
        "Drop rights",
        {
            "policies/clauses/rights.md": None,
            "policies/change.yml": change_yml("No rights clause.", "2026-01-04"),
        },
    )
    assert _events(project) == {
        "who-we-are": [(1, "added")],
        "data-we-collect": [(1, "added"), (3, "changed")],
        "your-rights": [(2, "added"), (4, "removed")],
    }


def test_clause_history_ignores_rewrapping_and_moves(make_project):
    project = make_project({"policies/clauses/rights.md": RIGHTS})
    project.commit(
        "Rewrap and reorder",
        {
            # The same words on two lines render the same HTML: not a change of the clause.
            "policies/clauses/rights.md": RIGHTS.replace(
                "a copy of your information.", "a copy\nof your information."
            ).replace("order: 30", "order: 5"),
            "policies/clauses/who.md": BASE_FILES["policies/clauses/who.md"].replace(
                "runs this shop", "runs this online shop"
            ),
            "policies/change.yml": change_yml("Reordered.", "2026-01-02"),
        },
    )
    events = _events(project)
    assert events["your-rights"] == [(1, "added")]
    assert events["who-we-are"] == [(1, "added"), (2, "changed")]


def test_clause_history_last_change_and_change_in(make_project):
    project = make_project()
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": BASE_FILES["policies/clauses/data.md"].replace(
                "your name;", "your full name;"
            ),
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
        },
    )
    publication, _ = make_site(BuildOptions(project_dir=project.root))
    versions = publication.documents[("global", "en")].versions
    data = next(h for h in clause_histories(versions) if h.clause_id == "data-we-collect")
    assert data.last_change(1).type is ChangeType.ADDED
    assert data.last_change(2).version.number == 2
    assert data.change_in(2).type is ChangeType.CHANGED
    assert data.change_in(1).type is ChangeType.ADDED
    assert not data.removed
