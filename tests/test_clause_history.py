"""clause_histories: in which versions each clause's published text changed."""

from __future__ import annotations

import datetime as dt

from conftest import BASE_FILES, change_yml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import BuildOptions, make_site
from generator.clause_history import ClauseHistory, clause_histories
from generator.model import ChangeKind, ChangeType, ComposedClause, Document, Heading, Version
from generator.renames import clause_messages, former_ids

RIGHTS = """\
---
id: your-rights
title: Your rights
order: 30
jurisdictions: [global]
---
You may ask for a copy of your information.
"""


def _histories(project, *, follow_renames: bool = False) -> tuple[ClauseHistory, ...]:
    """The histories of the Worldwide policy in English, built from the project's history; with
    the former ids the pages give them, or without."""
    publication, _ = make_site(BuildOptions(project_dir=project.root))
    versions = publication.documents[("global", "en")].versions
    formers = former_ids([clause_messages(v.document) for v in versions]) if follow_renames else ()
    return clause_histories(versions, formers)


def _events(project) -> dict[str, list[tuple[int, str]]]:
    return {
        h.clause_id: [(e.version.number, e.type.value) for e in h.events]
        for h in _histories(project)
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


def test_a_clause_whose_id_changed_keeps_its_history(make_project):
    project = make_project({"policies/clauses/rights.md": RIGHTS})
    by_email = RIGHTS.replace("information.", "information, by e-mail.")
    project.commit(
        "Rename rights, and say how",
        {
            "policies/clauses/rights.md": by_email.replace("id: your-rights", "id: rights"),
            "policies/change.yml": change_yml("By e-mail.", "2026-01-02"),
        },
    )
    project.commit(
        "Rename it again, without a change a reader sees",
        {
            "policies/clauses/rights.md": by_email.replace(
                "id: your-rights", "id: rights-you-have"
            ),
            "policies/change.yml": change_yml("Another id.", "2026-01-03"),
        },
    )
    histories = _histories(project, follow_renames=True)
    assert [h.clause_id for h in histories] == ["who-we-are", "data-we-collect", "rights-you-have"]
    rights = histories[-1]
    assert [(e.version.number, e.type.value, e.clause_id) for e in rights.events] == [
        (1, "added", "your-rights"),
        (2, "changed", "rights"),
    ]
    assert rights.former_ids == ("your-rights", "rights")
    # Without the former ids, each id has a history of its own.
    assert set(_events(project)) == {
        "who-we-are",
        "data-we-collect",
        "your-rights",
        "rights",
        "rights-you-have",
    }


def test_a_former_id_another_clause_takes_is_not_kept(make_project):
    project = make_project({"policies/clauses/rights.md": RIGHTS})
    renamed = RIGHTS.replace("id: your-rights", "id: rights")
    project.commit(
        "Rename rights",
        {
            "policies/clauses/rights.md": renamed,
            "policies/change.yml": change_yml("Id.", "2026-01-02"),
        },
    )
    other = RIGHTS.replace("order: 30", "order: 40").replace("Your rights", "Other rights")
    project.commit(
        "A new clause takes the old id",
        {
            "policies/clauses/other.md": other.replace("a copy of", "the deletion of"),
            "policies/change.yml": change_yml("Deletion.", "2026-01-03"),
        },
    )
    histories = _histories(project, follow_renames=True)
    renamed_and_new = histories[2:]
    assert [
        (h.clause_id, h.former_ids, [e.version.number for e in h.events]) for h in renamed_and_new
    ] == [("rights", (), [1]), ("your-rights", (), [3])]
    # Each history knows the id its clause had in each version: version 1's `your-rights` is
    # the renamed clause, version 3's the new one.
    assert [h.ids for h in renamed_and_new] == [
        ((1, 1, "your-rights"), (2, 3, "rights")),
        ((3, 3, "your-rights"),),
    ]
    assert [(h.ids_in(1), h.ids_in(3)) for h in renamed_and_new] == [
        (["your-rights"], ["rights"]),
        ([], ["your-rights"]),
    ]


def test_a_removed_clause_has_no_id_in_the_versions_without_it(make_project):
    project = make_project({"policies/clauses/rights.md": RIGHTS})
    project.commit(
        "Drop rights",
        {
            "policies/clauses/rights.md": None,
            "policies/change.yml": change_yml("No.", "2026-01-02"),
        },
    )
    project.commit(
        "Rights again",
        {
            "policies/clauses/rights.md": RIGHTS,
            "policies/change.yml": change_yml("Yes.", "2026-01-03"),
        },
    )
    (rights,) = (h for h in _histories(project) if h.clause_id == "your-rights")
    assert rights.ids == ((1, 1, "your-rights"), (3, 3, "your-rights"))
    assert [rights.ids_in(n) for n in (1, 2, 3)] == [["your-rights"], [], ["your-rights"]]


_STATES = st.lists(
    st.dictionaries(
        st.sampled_from("abcd"),
        st.tuples(st.sampled_from(["T", "U"]), st.sampled_from(["p", "q", "r", "s"])),
        max_size=4,
    ),
    min_size=1,
    max_size=6,
)
"""A document's versions: clause ids with a title and a paragraph each, from small pools, so
that clauses are renamed, swap ids, come back and take each other's ids."""


def _versions(states: list[dict[str, tuple[str, str]]]) -> tuple[Version, ...]:
    day = dt.date(2026, 1, 1)
    return tuple(
        Version(
            jurisdiction="global",
            language="en",
            number=number,
            commit=f"{number:040x}",
            date=dt.datetime(2026, 1, number, tzinfo=dt.UTC),
            effective=day,
            in_force_from=day,
            kind=ChangeKind.MATERIAL,
            summary="",
            summary_language="en",
            described=True,
            source_version=number,
            hash=str(number),
            heading=Heading("Privacy policy", "en", "Worldwide", "en"),
            document=Document(
                jurisdiction="global",
                language="en",
                clauses=tuple(
                    ComposedClause(
                        id=clause_id,
                        title=title,
                        paragraphs=(paragraph,),
                        html=f"<p>{paragraph}</p>",
                        topics=(),
                        contexts=(clause_id,),
                    )
                    for clause_id, (title, paragraph) in sorted(state.items())
                ),
            ),
        )
        for number, state in enumerate(states, start=1)
    )


@settings(max_examples=300, deadline=None)
@given(_STATES)
def test_every_clause_of_every_version_has_exactly_one_history(states) -> None:
    # Two clauses of one version, one removed and the other renamed to its id later, made one
    # history: a page of their version took the removal of one for the last change of the other.
    versions = _versions(states)
    histories = clause_histories(
        versions, former_ids([clause_messages(v.document) for v in versions])
    )
    for version in versions:
        for clause in version.document.clauses:
            owners = [h for h in histories if clause.id in h.ids_in(version.number)]
            assert len(owners) == 1, (version.number, clause.id)
            last = owners[0].last_change(version.number)
            assert last is not None and last.type is not ChangeType.REMOVED
            # Its last change left it as it reads in this version.
            then = last.version.document.clause(last.clause_id)
            assert then is not None and (then.title, then.html) == (clause.title, clause.html)
    for history in histories:
        for first, last, clause_id in history.ids:
            for version in versions[first - 1 : last]:
                assert version.document.clause(clause_id) is not None
        if not history.removed:
            assert history.clause_id in history.ids_in(len(versions))
    # The history page's anchors lead to one clause each.
    anchors = [h.anchor for h in histories] + [f for h in histories for f in h.former_ids]
    assert len(anchors) == len(set(anchors))
