"""Versions from scripted git histories: counted, numbered, described and dated right."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from conftest import JURISDICTIONS_YML, change_yml
from histories import (
    DATA_MD,
    EU_VARIANT,
    EU_WITHOUT_GERMAN,
    GERMAN,
    GERMAN_BOTH_NAMES,
    GERMAN_FULL_NAME,
    WHO_MD,
    WITH_GERMAN,
    announce_full_name,
    codes,
    history_of,
    listing,
    po,
    publication,
    put_eu_back,
    withdraw_full_name,
)

from generator.model import ChangeKind, Standing
from generator.publication import DocumentHistory, content_hash

DE_PO = "locales/de/LC_MESSAGES/policy.po"


def test_versions_numbered_through_edits_per_document(make_project):
    project = make_project()
    first = project.git("rev-parse", "HEAD").strip()
    project.commit(
        "Ask for the full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("We ask for your full name.", "2026-01-02"),
        },
    )
    project.commit(
        "Name the controller in the EU",
        {
            "policies/clauses/who-eu.md": EU_VARIANT,
            "policies/change.yml": change_yml("We name the controller.", "2026-01-03"),
        },
    )
    third = project.commit(
        "New contact address",
        {
            "policies/clauses/who.md": WHO_MD.replace("Write to", "E-mail"),
            "policies/change.yml": change_yml("New wording.", "2026-01-04", "editorial"),
        },
    )
    result = publication(project)
    assert listing(history_of(result, "global")) == [
        (1, "First version."),
        (2, "We ask for your full name."),
        (3, "New wording."),
    ]
    assert listing(history_of(result, "eu")) == [
        (1, "First version."),
        (2, "We ask for your full name."),
        (3, "We name the controller."),
        (4, "New wording."),
    ]
    eu = history_of(result, "eu")
    assert eu.versions[0].commit == first
    assert eu.versions[-1].commit == third
    assert [v.kind for v in eu.versions] == [ChangeKind.MATERIAL] * 3 + [ChangeKind.EDITORIAL]
    assert [v.date for v in eu.versions] == [
        dt.datetime(2026, 1, day, 12, tzinfo=dt.UTC) for day in (1, 2, 3, 4)
    ]
    assert all(v.described for v in eu.versions)
    assert [v.hash for v in eu.versions] == [content_hash(v.document) for v in eu.versions]
    assert len({v.hash for v in eu.versions}) == 4
    assert codes(result) == []


def test_versions_no_version_for_commits_that_change_nothing_shoppers_read(make_project):
    emphasised = DATA_MD.replace("only what", "*only* what")
    project = make_project({"policies/clauses/data.md": emphasised})
    project.commit("Add a README", {"README.md": "Our policy.\n"})
    wrapped = emphasised.replace(
        "We collect *only* what we need to deliver your order:",
        "We collect *only* what we need\n   to deliver    your order:",
    )
    project.commit("Re-wrap a paragraph", {"policies/clauses/data.md": wrapped})
    underscored = wrapped.replace("*only*", "_only_")
    project.commit("Emphasis with underscores", {"policies/clauses/data.md": underscored})
    project.commit(
        "Reorder the header and use another list marker",
        {
            "policies/clauses/data.md": underscored.replace(
                "id: data-we-collect\ntitle: The information we collect\n",
                "title: The information we collect\nid: data-we-collect\n",
            ).replace("- your", "* your"),
        },
    )
    project.commit("Rewrite the change note alone", {"policies/change.yml": change_yml("Nothing.")})
    project.commit("Nothing at all")
    result = publication(project)
    assert listing(history_of(result, "global")) == [(1, "First version.")]
    assert listing(history_of(result, "eu")) == [(1, "First version.")]
    assert codes(result) == []


def test_versions_rename_and_move_of_a_clause_file_make_no_version(make_project):
    project = make_project()
    project.git("mv", "policies/clauses/who.md", "policies/clauses/about-us.md")
    project.commit("Rename a clause file")
    (project.root / "policies/clauses/general").mkdir()
    project.git("mv", "policies/clauses/data.md", "policies/clauses/general/020-data.md")
    project.commit("Move a clause file into a folder")
    result = publication(project)
    assert listing(history_of(result, "eu")) == [(1, "First version.")]
    assert codes(result) == []


def test_versions_rename_with_an_edit_is_one_changed_clause(make_project):
    project = make_project()
    project.git("mv", "policies/clauses/data.md", "policies/clauses/collect.md")
    project.commit(
        "Rename and edit",
        {
            "policies/clauses/collect.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
        },
    )
    eu = history_of(publication(project), "eu")
    assert [c.id for c in eu.latest.document.clauses] == ["who-we-are", "data-we-collect"]
    assert listing(eu) == [(1, "First version."), (2, "Full name.")]


def test_versions_deleting_a_clause_makes_a_version(make_project):
    project = make_project()
    project.commit(
        "Drop the data clause",
        {
            "policies/clauses/data.md": None,
            "policies/change.yml": change_yml("We no longer list the data.", "2026-01-02"),
        },
    )
    eu = history_of(publication(project), "eu")
    assert listing(eu) == [(1, "First version."), (2, "We no longer list the data.")]
    assert [c.id for c in eu.latest.document.clauses] == ["who-we-are"]


def test_versions_text_change_without_change_note_uses_subject_and_warns(make_project):
    project = make_project()
    second = project.commit(
        "Ask for the full name",
        {"policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;")},
    )
    result = publication(project)
    latest = history_of(result, "global").latest
    assert (latest.number, latest.summary, latest.described) == (2, "Ask for the full name", False)
    assert latest.kind is ChangeKind.MATERIAL
    assert latest.effective == dt.date(2026, 1, 2)
    assert [str(p) for p in result.problems] == [
        f"policies/change.yml: commit {second[:12]} changed the eu, global policies without "
        "updating change.yml; the summary is taken from its message: 'Ask for the full name'. "
        "[version.undescribed]"
    ]


def _two_changes_for_may_4(project, published_on: str) -> DocumentHistory:
    """Two versions for 2026-05-04, published at 09:00 and 15:00 on `published_on`."""
    for hour, summary in ((9, "Full name."), (15, "Full name, corrected.")):
        project.commit(
            summary,
            {
                "policies/clauses/data.md": DATA_MD.replace(
                    "your name;", f"your full name ({hour});"
                ),
                "policies/change.yml": change_yml(summary, "2026-05-04"),
            },
            date=f"{published_on}T{hour:02}:00:00+00:00",
        )
    return history_of(publication(project), "global")


def test_versions_a_version_replaced_on_its_first_day_applied_that_day(make_project):
    """Version 2 takes effect in the morning; version 3, published that afternoon for the same
    day, replaces it. Version 2 was the policy in force for hours: it is past, not 'never in
    force', as a version corrected before its day is."""
    day = dt.date(2026, 5, 4)
    history = _two_changes_for_may_4(make_project(), "2026-05-04")
    assert [v.in_force_from for v in history.versions[1:]] == [day, day]
    assert history.standing(history.versions[1], day) is Standing.PAST
    assert history.in_force(day).number == 3
    announced = _two_changes_for_may_4(make_project(name="announced"), "2026-05-03")
    assert announced.standing(announced.versions[1], day) is Standing.NEVER


def test_versions_a_commit_whose_clock_is_behind_moves_nothing_back(make_project):
    """Version 3's commit says 06-05, a day its parent (version 2, 06-10) had passed: today stays
    06-10, version 3 applies from then, and version 2, in force when it was replaced, is past."""
    project = make_project()
    for day, words in (("06-10", "full name"), ("06-05", "full legal name")):
        project.commit(
            words,
            {
                "policies/clauses/data.md": DATA_MD.replace("your name;", f"your {words};"),
                "policies/change.yml": change_yml(words.capitalize() + ".", f"2026-{day}"),
            },
            date=f"2026-{day}T12:00:00+00:00",
        )
    result = publication(project)
    history = history_of(result, "global")
    assert result.reference_date == dt.date(2026, 6, 10)
    assert [v.in_force_from for v in history.versions[1:]] == [dt.date(2026, 6, 10)] * 2
    assert history.standing(history.versions[1], result.reference_date) is Standing.PAST
    assert history.in_force(result.reference_date).number == 3


def test_versions_a_note_a_revert_brings_back_describes_nothing(make_project):
    """Reverting a change restores the note of the change before it: that note was published
    with its own version, and never describes the revert."""
    project = make_project()
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("We ask for your full name.", "2026-01-02"),
        },
    )
    project.git("revert", "--no-edit", "HEAD")
    reverted = project.git("rev-parse", "HEAD").strip()
    result = publication(project)
    history = history_of(result, "global")
    assert [(v.number, v.summary, v.described) for v in history.versions] == [
        (1, "First version.", True),
        (2, "We ask for your full name.", True),
        (3, 'Revert "Full name"', False),
    ]
    assert [str(p) for p in result.problems] == [
        f"policies/change.yml: commit {reverted[:12]} changed the eu, global policies without "
        "updating change.yml; the summary is taken from its message: 'Revert \"Full name\"'. "
        "[version.undescribed]"
    ]


def test_versions_change_note_from_a_skipped_invalid_commit_still_describes_the_fix(
    make_project,
):
    """The note was rewritten with the change; the commit that fixed a typo in it need not
    rewrite it again."""
    project = make_project()
    broken = project.commit(
        "Full name, with a broken header",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;").replace(
                "order: 20", "order: twenty"
            ),
            "policies/change.yml": change_yml("We ask for your full name.", "2026-01-02"),
        },
    )
    project.commit(
        "Fix the order",
        {"policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;")},
    )
    result = publication(project)
    assert listing(history_of(result, "eu")) == [
        (1, "First version."),
        (2, "We ask for your full name."),
    ]
    assert [str(p) for p in result.problems] == [
        f"policies/clauses/data.md:4: commit {broken[:12]} ('Full name, with a broken header') "
        "does not pass policy check ('order' must be a whole number, not 'twenty'); its changes "
        "are not published. [history.invalid]"
    ]


def test_versions_change_note_rewritten_without_text_change_is_not_reused(make_project):
    project = make_project()
    project.commit(
        "Describe the next change", {"policies/change.yml": change_yml("Full name.", "2026-01-02")}
    )
    project.commit(
        "Full name", {"policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;")}
    )
    latest = history_of(publication(project), "eu").latest
    assert (latest.number, latest.summary, latest.described) == (2, "Full name", False)


def test_versions_note_for_one_jurisdiction_not_reused_by_the_next_commit(make_project):
    project = make_project()
    project.commit(
        "EU controller",
        {
            "policies/clauses/who-eu.md": EU_VARIANT,
            "policies/change.yml": change_yml("We name the controller.", "2026-01-02"),
        },
    )
    project.commit(
        "Full name", {"policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;")}
    )
    result = publication(project)
    assert listing(history_of(result, "global")) == [(1, "First version."), (2, "Full name")]
    assert listing(history_of(result, "eu"))[1:] == [
        (2, "We name the controller."),
        (3, "Full name"),
    ]


def test_versions_merge_commit_is_one_version(make_project):
    project = make_project()
    project.git("checkout", "-q", "-b", "feature")
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
        },
    )
    project.commit(
        "Full name and phone",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;").replace(
                "- your delivery", "- your phone number;\n- your delivery"
            ),
            "policies/change.yml": change_yml("Full name and phone number.", "2026-01-03"),
        },
    )
    project.git("checkout", "-q", "main")
    project.commit("Unrelated work on main", {"README.md": "Hello\n"})
    stamp = "2026-01-05T12:00:00+00:00"
    subprocess.run(
        ["git", "merge", "-q", "--no-ff", "-m", "Merge the data changes", "feature"],
        cwd=project.root,
        check=True,
        env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "PATH": "/usr/bin:/bin"},
        capture_output=True,
    )
    merge = project.git("rev-parse", "HEAD").strip()
    result = publication(project)
    eu = history_of(result, "eu")
    assert listing(eu) == [(1, "First version."), (2, "Full name and phone number.")]
    assert eu.latest.commit == merge
    assert eu.latest.date == dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)
    assert codes(result) == []


def test_versions_merge_of_a_branch_without_policy_changes_is_no_version(make_project):
    project = make_project()
    project.git("checkout", "-q", "-b", "docs")
    project.commit("Docs", {"README.md": "Hello\n"})
    project.git("checkout", "-q", "main")
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-01-03"),
        },
    )
    subprocess.run(
        ["git", "merge", "-q", "--no-ff", "-m", "Merge docs", "docs"],
        cwd=project.root,
        check=True,
        capture_output=True,
    )
    assert listing(history_of(publication(project), "eu")) == [
        (1, "First version."),
        (2, "Full name."),
    ]


def test_versions_invalid_commit_is_skipped_and_named(make_project):
    project = make_project()
    broken = project.commit("Break the YAML", {"policies/jurisdictions.yml": "global: [\n"})
    project.commit(
        "Repair, and ask for the full name",
        {
            "policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en]\n"
            "eu:\n  name: European Union\n  extends: global\n  languages: [en]\n",
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-01-03"),
        },
    )
    result = publication(project)
    assert listing(history_of(result, "eu")) == [(1, "First version."), (2, "Full name.")]
    assert [p.code for p in result.problems] == ["history.invalid"]
    assert str(result.problems[0]).startswith(
        f"policies/jurisdictions.yml:2: commit {broken[:12]} ('Break the YAML') does not pass "
        "policy check (YAML syntax error"
    )


def test_versions_translation_only_commit_versions_only_that_language(make_project):
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    better = {**GERMAN, ("data-we-collect", "your name;"): "Ihren Vor- und Nachnamen;"}
    project.commit("Better German", {DE_PO: po(better)})
    result = publication(project)
    assert listing(history_of(result, "eu", "en")) == [(1, "First version.")]
    de = history_of(result, "eu", "de")
    assert [(v.number, v.translation_only, v.kind, v.source_version) for v in de.versions] == [
        (1, False, ChangeKind.MATERIAL, 1),
        (2, True, ChangeKind.EDITORIAL, 1),
    ]
    assert "Ihren Vor- und Nachnamen;" in de.latest.document.clause("data-we-collect").html
    assert de.lag is None
    assert codes(result) == []


def test_versions_lagging_translation_keeps_its_last_complete_version(make_project):
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
        },
    )
    lagging = publication(project)
    de = history_of(lagging, "eu", "de")
    assert [v.number for v in de.versions] == [1]
    assert (de.lag.source_version, de.lag.translated_version, de.lag.missing) == (2, 1, 1)
    caught_up = {
        **GERMAN,
        ("data-we-collect", "your full name;"): "Ihren vollständigen Namen;",
        ("change", "Full name."): "Vollständiger Name.",
    }
    project.commit("Translate the full name", {DE_PO: po(caught_up)})
    de = history_of(publication(project), "eu", "de")
    assert de.lag is None
    assert [(v.number, v.source_version, v.translation_only) for v in de.versions] == [
        (1, 1, False),
        (2, 2, False),
    ]
    assert (de.latest.summary, de.latest.summary_language) == ("Vollständiger Name.", "de")
    assert de.latest.date == dt.datetime(2026, 1, 3, 12, tzinfo=dt.UTC)


@pytest.mark.parametrize("notes_translated", [False, True])
def test_versions_a_translation_catching_up_with_two_changes_says_both(
    make_project, notes_translated
):
    """German lags behind two English changes, then translates both at once: its new version
    says what each changed (in German once both notes are translated), not only the last."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    online = "{{ company.name }} runs this online shop. Write to {{ contact.email }}."
    project.commit(
        "Online shop",
        {
            "policies/clauses/who.md": WHO_MD.replace("runs this shop", "runs this online shop"),
            "policies/change.yml": change_yml("Online shop.", "2026-01-02", "editorial"),
        },
    )
    announce_full_name(project, "2026-01-03")
    catalog = {k: t for k, t in GERMAN_FULL_NAME.items() if "runs this shop" not in k[1]}
    catalog["who-we-are", online] = "{{ company.name }} betreibt diesen Onlineshop."
    if notes_translated:
        catalog["change", "Online shop."] = "Onlineshop."
        catalog["change", "Full name."] = "Vollständiger Name."
    project.commit("German catches up", {DE_PO: po(catalog)})
    de = history_of(publication(project), "eu", "de")
    assert de.lag is None
    assert [(v.number, v.source_version) for v in de.versions] == [(1, 1), (2, 3)]
    assert (de.latest.summary, de.latest.summary_language, de.latest.kind) == (
        ("Onlineshop. Vollständiger Name.", "de", ChangeKind.MATERIAL)
        if notes_translated
        else ("Online shop. Full name.", "en", ChangeKind.MATERIAL)
    )


def test_versions_a_change_reverted_before_a_translation_caught_up_is_not_announced_to_it(
    make_project,
):
    """English changes, German lags, English goes back (a revert: German translates the text in
    force again), then English changes again and German catches up with that: its readers get
    only the last change, so its version says only that one's summary, in German, and has its
    kind, not the reverted change's and the revert's as well, in English."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    online = "{{ company.name }} runs this online shop. Write to {{ contact.email }}."
    announce_full_name(project, "2026-01-02")
    withdraw_full_name(project, "Back to your name.", "2026-01-03")
    project.commit(
        "Online shop",
        {
            "policies/clauses/who.md": WHO_MD.replace("runs this shop", "runs this online shop"),
            "policies/change.yml": change_yml("Online shop.", "2026-01-04", "editorial"),
        },
    )
    catalog = {k: t for k, t in GERMAN.items() if "runs this shop" not in k[1]}
    catalog["who-we-are", online] = "{{ company.name }} betreibt diesen Onlineshop."
    catalog["change", "Online shop."] = "Onlineshop."
    project.commit("German catches up", {DE_PO: po(catalog)})
    de = history_of(publication(project), "eu", "de")
    assert [(v.number, v.source_version) for v in de.versions] == [(1, 1), (2, 4)]
    assert (de.latest.summary, de.latest.summary_language, de.latest.kind) == (
        "Onlineshop.",
        "de",
        ChangeKind.EDITORIAL,
    )


def test_versions_a_withdrawn_change_is_withdrawn_in_a_translation_that_had_it(make_project):
    """German translates a change announced for March; the change is withdrawn before then (the
    old text again), and the catalog, merged since, no longer has the old text's entries. German
    version 1 translates that text: it comes back as version 3 on the announced day, and the
    German version 2 never applies, as the English one it translates."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    announce_full_name(project, "2026-03-01", GERMAN_FULL_NAME)
    withdraw_full_name(project, "The change for March is withdrawn.", "2026-01-03")
    result = publication(project)
    en, de = history_of(result, "eu", "en"), history_of(result, "eu", "de")
    assert de.lag is None
    assert [(v.number, v.source_version, v.in_force_from) for v in de.versions] == [
        (1, 1, dt.date(2026, 1, 1)),
        (2, 2, dt.date(2026, 3, 1)),
        (3, 3, dt.date(2026, 3, 1)),
    ]
    assert de.latest.hash == de.versions[0].hash
    april = dt.date(2026, 4, 1)
    assert [de.standing(v, april) for v in de.versions] == [
        en.standing(v, april) for v in en.versions
    ]
    assert de.standing(de.versions[1], april) is Standing.NEVER
    assert de.in_force(april) == de.latest and de.withdraws(de.latest)
    assert [de.brought_in(v) for v in de.versions] == [[], [], []]  # withdrawn, not carried


def test_versions_a_withdrawn_change_is_withdrawn_in_a_translation_behind_since_before_it(
    make_project,
):
    """German lags behind an English edit, then catches up with it and with a change announced
    for March at once; the change is withdrawn before then, and German has never translated the
    text that comes back (the edit without the change). The withdrawn German text must never
    apply: German applies its version 1 again, on the day, as version 3, and lags as before."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    online = "{{ company.name }} runs this online shop. Write to {{ contact.email }}."
    project.commit(
        "Online shop",
        {
            "policies/clauses/who.md": WHO_MD.replace("runs this shop", "runs this online shop"),
            "policies/change.yml": change_yml("Online shop.", "2026-01-02"),
        },
    )
    announce_full_name(project, "2026-03-01")
    catalog = {
        key: text for key, text in GERMAN_FULL_NAME.items() if "runs this shop" not in key[1]
    }
    catalog["who-we-are", online] = "{{ company.name }} betreibt diesen Onlineshop."
    project.commit("German catches up", {DE_PO: po(catalog)})
    withdraw_full_name(project, "The change for March is withdrawn.", "2026-01-05")
    result = publication(project)
    en, de = history_of(result, "eu", "en"), history_of(result, "eu", "de")
    assert [(v.number, v.source_version, v.in_force_from) for v in de.versions] == [
        (1, 1, dt.date(2026, 1, 1)),
        (2, 3, dt.date(2026, 3, 1)),
        (3, 1, dt.date(2026, 3, 1)),
    ]
    assert de.latest.hash == de.versions[0].hash
    assert (de.latest.summary, de.latest.kind, de.latest.translation_only) == (
        "The change for March is withdrawn.",
        ChangeKind.MATERIAL,
        False,
    )
    april = dt.date(2026, 4, 1)
    assert de.standing(de.versions[1], april) is Standing.NEVER
    assert de.in_force(april) == de.latest and de.withdraws(de.latest)
    assert (de.lag.source_version, de.lag.translated_version) == (en.latest.number, 1)
    # Nothing more at the next commit that leaves German behind.
    project.commit("Typo", {"policies/site.yml": project.read("policies/site.yml") + "\n"})
    assert len(history_of(publication(project), "eu", "de").versions) == 3


def test_versions_a_translation_put_back_after_a_withdrawn_change_comes_back_as_before(
    make_project,
):
    """As above, but German is taken out of the EU before the change is withdrawn, and put back
    after: its catalog still lacks the old text's entries, and its version 1 translates that
    text, so it is published again: from the day it is back, and as the version that withdraws
    the change on its date, as in English."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    announce_full_name(project, "2026-03-01", GERMAN_FULL_NAME)
    project.commit("No German in the EU", {"policies/jurisdictions.yml": EU_WITHOUT_GERMAN})
    withdraw_full_name(project, "The change for March is withdrawn.", "2026-01-04")
    project.commit("German again", {"policies/jurisdictions.yml": WITH_GERMAN})
    de = history_of(publication(project), "eu", "de")
    assert de.retired_since is None
    assert [(v.number, v.source_version, v.in_force_from) for v in de.versions] == [
        (1, 1, dt.date(2026, 1, 1)),
        (2, 2, dt.date(2026, 3, 1)),
        (3, 1, dt.date(2026, 1, 5)),
        (4, 3, dt.date(2026, 3, 1)),
    ]
    assert de.latest.hash == de.versions[2].hash == de.versions[0].hash
    assert de.standing(de.versions[1], dt.date(2026, 4, 1)) is Standing.NEVER
    assert de.withdraws(de.latest)


def test_versions_a_catalog_under_review_for_the_same_source_is_no_lag(make_project):
    """A translator marks an entry for review, the source unchanged: the published German
    version still translates the newest English one, so no page says a newer version exists."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    catalog = po(GERMAN).replace('msgctxt "who-we-are"', '#, fuzzy\nmsgctxt "who-we-are"', 1)
    project.commit("Review 'who we are' again", {DE_PO: catalog})
    de = history_of(publication(project), "eu", "de")
    assert [v.number for v in de.versions] == [1]
    assert de.lag is None
    project.commit("No German catalog", {DE_PO: None})
    assert history_of(publication(project), "eu", "de").lag is None


def test_versions_a_translation_lagging_further_lags_since_the_same_day(make_project):
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
        },
    )
    project.commit(
        "Clearer wording",
        {
            "policies/clauses/who.md": WHO_MD.replace("Write to", "E-mail"),
            "policies/change.yml": change_yml("Clearer.", "2026-01-03", "editorial"),
        },
    )
    de = history_of(publication(project), "eu", "de")
    assert de.lag is not None
    assert (de.lag.source_version, de.lag.translated_version, de.lag.missing) == (3, 1, 2)
    # Its pages say that it lags since the first change it lacks, whatever came after.
    assert (de.lag.began.day, de.lag.since.day) == (2, 3)
    assert de.changed_on(dt.date(2026, 1, 3)) == dt.date(2026, 1, 2)


def test_versions_language_added_later_starts_at_version_one(make_project):
    project = make_project()
    project.commit(
        "Publish in German",
        {"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)},
    )
    result = publication(project)
    assert listing(history_of(result, "eu", "en")) == [(1, "First version.")]
    de = history_of(result, "eu", "de")
    assert [v.number for v in de.versions] == [1]
    assert de.latest.in_force_from == dt.date(2026, 1, 2)


EU_GERMAN_ONLY = WITH_GERMAN.replace(
    "extends: global\n  languages: [en, de]", "extends: global\n  languages: [de]"
)
"""jurisdictions.yml publishing the EU's policy in German only."""


def test_versions_source_language_added_later_publishes_the_text_of_that_day(make_project):
    """The EU is published in German first; English, added a day later, gets the text of that
    day as its version 1, in force from then (it was not published before)."""
    project = make_project({"policies/jurisdictions.yml": EU_GERMAN_ONLY, DE_PO: po(GERMAN)})
    assert ("eu", "en") not in publication(project).documents
    added = project.commit("English in the EU", {"policies/jurisdictions.yml": WITH_GERMAN})
    (version,) = history_of(publication(project), "eu", "en").versions
    assert (version.number, version.source_version, version.commit) == (1, 1, added)
    assert (version.summary, version.in_force_from) == ("First version.", dt.date(2026, 1, 2))


def test_versions_source_language_added_while_a_change_is_announced_applies_at_once(
    make_project,
):
    """English joins a German-only EU while the full name is announced for February: from that
    day it publishes the text in force, and the announced one from February."""
    project = make_project({"policies/jurisdictions.yml": EU_GERMAN_ONLY, DE_PO: po(GERMAN)})
    project.commit(
        "Full name in February",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-02-01"),
        },
    )
    project.commit("English in the EU", {"policies/jurisdictions.yml": WITH_GERMAN})
    en = history_of(publication(project), "eu", "en")
    assert [(v.number, v.source_version, v.in_force_from, v.summary) for v in en.versions] == [
        (1, 1, dt.date(2026, 1, 3), "First version."),
        (2, 2, dt.date(2026, 2, 1), "Full name."),
    ]


def test_versions_source_language_taken_out_and_back_numbers_its_versions_on(make_project):
    """English is taken out of the EU, the text changes twice, and English comes back: the
    English document's next version publishes the text of that day, numbered 2 (the source text
    is at its version 3), and later changes follow on from it."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit("German only in the EU", {"policies/jurisdictions.yml": EU_GERMAN_ONLY})
    for summary, phrase in (("Full name.", "your full name;"), ("Legal name.", "your legal name;")):
        project.commit(
            summary,
            {
                "policies/clauses/data.md": DATA_MD.replace("your name;", phrase),
                "policies/change.yml": change_yml(summary, "2026-01-01", kind="editorial"),
            },
        )
    back = project.commit("English again", {"policies/jurisdictions.yml": WITH_GERMAN})
    en = history_of(publication(project), "eu", "en")
    assert en.retired_since is None
    assert [(v.number, v.source_version, v.summary) for v in en.versions] == [
        (1, 1, "First version."),
        (2, 3, "Legal name."),
    ]
    assert (en.latest.commit, en.latest.in_force_from) == (back, dt.date(2026, 1, 5))
    assert en.latest.kind is ChangeKind.EDITORIAL
    assert "your legal name;" in en.latest.document.clause("data-we-collect").html
    # Version 1 stopped applying when English was taken out; nothing applied until it came back.
    assert en.until(en.versions[0]) == dt.date(2026, 1, 2)
    assert (
        en.applying(dt.date(2026, 1, 4)) is None and en.applying(dt.date(2026, 1, 5)) is en.latest
    )
    project.commit(
        "Whole name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your whole name;"),
            "policies/change.yml": change_yml("Whole name.", "2026-01-01"),
        },
    )
    en = history_of(publication(project), "eu", "en")
    assert [(v.number, v.source_version) for v in en.versions] == [(1, 1), (2, 3), (3, 4)]
    # The worldwide policy, in English all along, numbers its versions as its source text.
    world = history_of(publication(project), "global", "en")
    assert [(v.number, v.source_version) for v in world.versions] == [(i, i) for i in (1, 2, 3, 4)]


def test_versions_future_effective_date_is_upcoming_until_that_day(make_project):
    project = make_project()
    project.commit(
        "Announce a change",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-03-01"),
        },
    )
    eu = history_of(publication(project), "eu")
    before = dt.date(2026, 2, 28)
    assert eu.in_force(before).number == 1
    assert [v.number for v in eu.upcoming(before)] == [2]
    assert eu.in_force(dt.date(2026, 3, 1)).number == 2
    assert eu.upcoming(dt.date(2026, 3, 1)) == []
    assert (eu.latest.effective, eu.latest.in_force_from) == (
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 1),
    )


def test_versions_effective_date_in_the_past_applies_from_publication(make_project):
    project = make_project()
    project.commit(
        "Backdated",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2025-06-01"),
        },
    )
    latest = history_of(publication(project), "eu").latest
    assert (latest.effective, latest.in_force_from) == (dt.date(2025, 6, 1), dt.date(2026, 1, 2))


def test_versions_fix_to_an_announced_text_cannot_bring_it_forward(make_project):
    project = make_project()
    project.commit(
        "Announce",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-03-01"),
        },
    )
    project.commit(
        "Typo",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;").replace(
                "deliver your", "deliver  your order and"
            ),
            "policies/change.yml": change_yml("Wording.", "2026-01-03", "editorial"),
        },
    )
    eu = history_of(publication(project), "eu")
    assert [(v.number, v.in_force_from) for v in eu.versions] == [
        (1, dt.date(2026, 1, 1)),
        (2, dt.date(2026, 3, 1)),
        (3, dt.date(2026, 3, 1)),
    ]
    # Version 2 is superseded on the day it would apply, so it is never in force.
    assert eu.in_force(dt.date(2026, 3, 1)).number == 3
    assert eu.in_force(dt.date(2026, 2, 28)).number == 1
    # What the site says of each changed when it was published, when version 3 said version 2
    # would never apply, and when version 3 took effect (and version 1 ended).
    for day, expected in (
        (dt.date(2026, 1, 3), ["2026-01-01", "2026-01-03", "2026-01-03", "2026-01-03"]),
        (dt.date(2026, 2, 28), ["2026-01-01", "2026-01-03", "2026-01-03", "2026-01-03"]),
        (dt.date(2026, 3, 1), ["2026-03-01", "2026-03-01", "2026-03-01", "2026-03-01"]),
    ):
        changed = [eu.changed_on(day, v).isoformat() for v in eu.versions]
        assert [*changed, eu.changed_on(day).isoformat()] == expected, day


def test_versions_history_up_to_a_revision(make_project):
    project = make_project()
    first = project.git("rev-parse", "HEAD").strip()
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
        },
    )
    assert listing(history_of(publication(project, first), "eu")) == [(1, "First version.")]


def test_versions_retired_document_keeps_its_versions(make_project):
    project = make_project()
    project.commit(
        "Stop publishing for the EU",
        {
            "policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en]\n",
            "policies/change.yml": change_yml("No separate EU policy.", "2026-01-02"),
        },
    )
    project.commit("Wording", {"policies/clauses/who.md": WHO_MD.replace("Write", "Send")})
    result = publication(project)
    assert history_of(result, "eu").retired_since == dt.datetime(2026, 1, 2, 12, tzinfo=dt.UTC)
    assert listing(history_of(result, "eu")) == [(1, "First version.")]
    assert history_of(result, "eu").changed_on(dt.date(2026, 1, 3)) == dt.date(2026, 1, 2)
    # Its region keeps the name the last policy that had it gave it.
    assert result.former_names == {"eu": "European Union"}
    assert result.jurisdiction_name("eu", "en") == "European Union"
    assert not history_of(result, "global").retired
    project.commit(
        "A separate EU policy again",
        {
            "policies/jurisdictions.yml": JURISDICTIONS_YML,
            "policies/change.yml": change_yml("Back.", "2026-01-04"),
        },
    )
    back = history_of(publication(project), "eu")
    assert back.retired_since is None
    # Its numbering goes on: the wording changed meanwhile.
    assert listing(back) == [(1, "First version."), (2, "Back.")]
    # Its retirement stays: version 1 applied until then, and nothing until it came back.
    assert back.until(back.versions[0]) == dt.date(2026, 1, 2)
    assert back.stopped_on(dt.date(2026, 1, 3)) == dt.date(2026, 1, 2)
    assert back.applying(dt.date(2026, 1, 3)) is None
    assert back.applying(dt.date(2026, 1, 4)) == back.latest
    assert back.changed_on(dt.date(2026, 1, 3), back.versions[0]) == dt.date(2026, 1, 2)


def test_versions_a_document_published_again_unchanged_is_a_new_version(make_project):
    """The EU policy is taken out and put back a day later, its text unchanged: version 2, the
    same text, applies from then, and version 1 applied until it was taken out."""
    project = make_project()
    project.commit(
        "No EU policy",
        {"policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en]\n"},
    )
    project.commit(
        "The EU policy again",
        {
            "policies/jurisdictions.yml": JURISDICTIONS_YML,
            "policies/change.yml": change_yml("Published again.", "2026-01-03"),
        },
    )
    eu = history_of(publication(project), "eu")
    assert listing(eu) == [(1, "First version."), (2, "Published again.")]
    first, again = eu.versions
    assert (again.hash, again.source_version, again.in_force_from) == (
        first.hash,
        1,
        dt.date(2026, 1, 3),
    )
    assert eu.retirements == ((1, dt.datetime(2026, 1, 2, 12, tzinfo=dt.UTC)),)
    assert [eu.standing(v, dt.date(2026, 1, 3)) for v in eu.versions] == [
        Standing.PAST,
        Standing.IN_FORCE,
    ]
    assert eu.until(first) == dt.date(2026, 1, 2)
    assert listing(history_of(publication(project), "global")) == [(1, "First version.")]


def test_versions_a_document_back_while_a_change_is_announced_applies_the_text_in_force(
    make_project,
):
    """The full name is announced for February on Jan 2; the EU is taken out on Jan 3 and comes
    back on Jan 4. From Jan 4 its documents apply the text in force that day (no gap until
    February), then the announced one; the version announced before it was taken out never
    applies. German, whose catalog translates both texts, likewise."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit(
        "Full name in February",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-02-01"),
            DE_PO: po(GERMAN_BOTH_NAMES),
        },
    )
    put_eu_back(project, {"policies/change.yml": change_yml("The EU policy again.", "2026-01-04")})
    result = publication(project)
    for language in ("en", "de"):
        eu = history_of(result, "eu", language)
        assert [(v.number, v.source_version, v.in_force_from) for v in eu.versions] == [
            (1, 1, dt.date(2026, 1, 1)),
            (2, 2, dt.date(2026, 2, 1)),
            (3, 1, dt.date(2026, 1, 4)),
            (4, 2, dt.date(2026, 2, 1)),
        ], language
        assert [v.hash for v in eu.versions[2:]] == [v.hash for v in eu.versions[:2]]
        assert eu.standing(eu.versions[1], dt.date(2026, 3, 1)) is Standing.NEVER
        assert eu.applying(dt.date(2026, 1, 3)) is None
        assert eu.applying(dt.date(2026, 1, 10)) == eu.versions[2]
        assert eu.applying(dt.date(2026, 2, 1)) == eu.latest
    english = history_of(result, "eu", "en")
    assert [v.summary for v in english.versions[2:]] == ["The EU policy again.", "Full name."]


def test_versions_a_document_back_unchanged_while_a_change_is_announced_is_published_again(
    make_project,
):
    """As above, with no new note: the version that publishes the text in force when the EU
    was taken out says it is published again (not the summary of version 1), and the one
    after it says what the announced change's note says."""
    project = make_project(
        {"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)}, name="unchanged"
    )
    announce_full_name(project, "2026-02-01", GERMAN_BOTH_NAMES)
    put_eu_back(project)
    result = publication(project)
    assert listing(history_of(result, "eu", "en")) == [
        (1, "First version."),
        (2, "Full name."),
        (3, "Published again."),
        (4, "Full name."),
    ]
    assert listing(history_of(result, "eu", "de"))[2:] == [
        (3, "Erneut veröffentlicht."),
        (4, "Full name."),
    ]


def test_versions_a_region_put_back_with_a_change_says_its_note_in_each_language(make_project):
    """The EU is put back by a commit that also changes its text, with a note: the German
    text reads as it did (the catalog's new entry translates the new English as the old one),
    and still the German version says what the note says, as the English one does."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    german = {**GERMAN_FULL_NAME, ("data-we-collect", "your full name;"): "Ihren Namen;"}
    put_eu_back(
        project,
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name; the EU again.", "2026-01-03"),
            DE_PO: po(german),
        },
    )
    result = publication(project)
    de = history_of(result, "eu", "de")
    assert de.latest.hash == de.versions[0].hash
    for language in ("en", "de"):
        assert listing(history_of(result, "eu", language)) == [
            (1, "First version."),
            (2, "Full name; the EU again."),
        ], language


def test_versions_a_note_for_a_text_change_is_not_a_new_languages_summary(make_project):
    """One commit rewords the EU's own variant, with a note saying so, and adds German to the
    worldwide policy: the note describes the EU's new version, not German's first one, which
    says what the change its text carries says."""
    project = make_project({"policies/clauses/who-eu.md": EU_VARIANT})
    project.commit(
        "GDPR wording, and German worldwide",
        {
            "policies/clauses/who-eu.md": EU_VARIANT.replace("controller", "data controller"),
            "policies/jurisdictions.yml": JURISDICTIONS_YML.replace("[en]", "[en, de]", 1),
            DE_PO: po(GERMAN),
            "policies/change.yml": change_yml("The EU's controller, named in full.", "2026-01-02"),
        },
    )
    result = publication(project)
    assert listing(history_of(result, "eu"))[-1] == (2, "The EU's controller, named in full.")
    assert listing(history_of(result, "global", "de")) == [(1, "First version.")]


def test_versions_a_translation_listed_again_waits_until_it_is_complete(make_project):
    """German is taken out of the EU, the text changes, and German is listed again before it is
    translated: it stays retired, its version 1 ended, until the catalog catches up."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit("No German in the EU", {"policies/jurisdictions.yml": EU_WITHOUT_GERMAN})
    announce_full_name(project, "2026-01-03")
    project.commit("German again", {"policies/jurisdictions.yml": WITH_GERMAN})
    de = history_of(publication(project), "eu", "de")
    assert de.retired_since == dt.datetime(2026, 1, 2, 12, tzinfo=dt.UTC)
    assert (len(de.versions), de.lag, de.retirements) == (1, None, ())
    translated = {**GERMAN, ("data-we-collect", "your full name;"): "Ihren vollständigen Namen;"}
    project.commit("Translate the full name", {DE_PO: po(translated)})
    de = history_of(publication(project), "eu", "de")
    assert de.retired_since is None
    assert [(v.number, v.source_version, v.in_force_from) for v in de.versions] == [
        (1, 1, dt.date(2026, 1, 1)),
        (2, 2, dt.date(2026, 1, 5)),
    ]
    assert de.until(de.versions[0]) == dt.date(2026, 1, 2)
    assert de.applying(dt.date(2026, 1, 4)) is None
    assert not de.latest.translation_only


def test_versions_a_translation_put_back_unchanged_is_no_revision_of_the_translation(
    make_project,
):
    """German is taken out of the EU and put back, its text unchanged, with no change note: its
    version 2 says, in German, that it is published again (not the summary of the change its
    text carries, which version 1 says already)."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit("No German in the EU", {"policies/jurisdictions.yml": EU_WITHOUT_GERMAN})
    project.commit("German again", {"policies/jurisdictions.yml": WITH_GERMAN})
    de = history_of(publication(project), "eu", "de")
    assert [(v.number, v.source_version, v.translation_only) for v in de.versions] == [
        (1, 1, False),
        (2, 1, False),
    ]
    assert de.latest.hash == de.versions[0].hash and de.retired_since is None
    assert [(v.summary, v.summary_language) for v in de.versions] == [
        ("First version.", "en"),
        ("Erneut veröffentlicht.", "de"),
    ]


def test_versions_a_region_put_back_says_so_in_each_language(make_project):
    """The EU is taken out and put back, its text unchanged: without a change note, each of its
    documents says in its own language that it is published again; with one, each says what the
    note says, in German once the catalog translates it."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    put_eu_back(project)
    result = publication(project)
    assert [history_of(result, "eu", tag).latest.summary for tag in ("en", "de")] == [
        "Published again.",
        "Erneut veröffentlicht.",
    ]
    put_eu_back(
        project, {"policies/change.yml": change_yml("The EU policy is back.", "2026-01-05")}
    )
    result = publication(project)
    for tag in ("en", "de"):
        eu = history_of(result, "eu", tag)
        assert [(v.number, v.summary, v.summary_language) for v in eu.versions[2:]] == [
            (3, "The EU policy is back.", "en")
        ], tag
    translated = po({**GERMAN, ("change", "The EU policy is back."): "Die EU-Fassung gilt wieder."})
    put_eu_back(
        project,
        {
            "policies/change.yml": change_yml("The EU policy is back.", "2026-01-07", "editorial"),
            DE_PO: translated,
        },
    )
    de = history_of(publication(project), "eu", "de")
    assert (de.latest.number, de.latest.summary, de.latest.summary_language) == (
        4,
        "Die EU-Fassung gilt wieder.",
        "de",
    )
    assert de.latest.kind is ChangeKind.EDITORIAL


def test_versions_a_document_put_back_with_a_note_gives_the_notes_effective_date(make_project):
    """The EU is taken out and put back, its text unchanged, with a note dated the day it comes
    back: each of its documents' new version gives that date as `effective`, as its summary is
    the note's, not the date of the version it publishes again (2026-01-01); a document the
    note does not describe (worldwide, unchanged) keeps its own."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    put_eu_back(
        project, {"policies/change.yml": change_yml("The EU policy is back.", "2026-01-03")}
    )
    result = publication(project)
    for tag in ("en", "de"):
        eu = history_of(result, "eu", tag)
        assert [(v.number, v.summary, v.effective, v.in_force_from) for v in eu.versions] == [
            (1, "First version.", dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
            (2, "The EU policy is back.", dt.date(2026, 1, 3), dt.date(2026, 1, 3)),
        ], tag
    assert [v.effective for v in history_of(result, "global").versions] == [dt.date(2026, 1, 1)]


def test_versions_a_document_put_back_with_a_later_note_is_effective_when_it_applies(make_project):
    """Put back with a note dated after the day it comes back (2026-03-01, committed on
    2026-01-03): the document applies from the day it is published, so its record is effective
    from then, never after the day it applies from."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    put_eu_back(
        project, {"policies/change.yml": change_yml("The EU policy is back.", "2026-03-01")}
    )
    for tag in ("en", "de"):
        latest = history_of(publication(project), "eu", tag).latest
        assert (latest.effective, latest.in_force_from) == (
            dt.date(2026, 1, 3),
            dt.date(2026, 1, 3),
        ), tag
