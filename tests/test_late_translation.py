"""A language added after a change was announced: its page shows the newest text, says when it
takes effect, and points to the policy in force in the source language."""

from __future__ import annotations

import datetime as dt

from conftest import BASE_FILES, change_yml
from histories import GERMAN, WITH_GERMAN, history_of, po, publication

DE_PO = "locales/de/LC_MESSAGES/policy.po"


def late_german(make_project):
    project = make_project()
    project.commit(
        "Announce a change",
        {
            "policies/clauses/data.md": BASE_FILES["policies/clauses/data.md"].replace(
                "your name;", "your full name;"
            ),
            "policies/change.yml": change_yml("Full name.", "2026-03-01"),
        },
        date="2026-01-10T12:00:00+00:00",
    )
    german = {**GERMAN, ("data-we-collect", "your full name;"): "Ihren vollständigen Namen;"}
    german.pop(("data-we-collect", "your name;"))
    project.commit(
        "Add German",
        {"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(german)},
        date="2026-01-12T12:00:00+00:00",
    )
    project.commit(
        "Fix a typo in German",
        {
            DE_PO: po(
                {**german, ("data-we-collect", "your delivery address."): "Ihre Lieferanschrift."}
            ),
        },
        date="2026-01-13T12:00:00+00:00",
    )
    return project


def test_late_translation_in_force_is_its_newest_version_once_any_applies(make_project):
    history = history_of(publication(late_german(make_project)), "global", "de")
    assert [v.in_force_from for v in history.versions] == [dt.date(2026, 3, 1)] * 2
    assert history.not_yet_in_force(dt.date(2026, 1, 20))
    # Version 1 is superseded on its own first day: the newest text is shown, never version 1.
    assert history.in_force(dt.date(2026, 1, 20)).number == 2
    assert history.upcoming(dt.date(2026, 1, 20)) == []
    assert not history.not_yet_in_force(dt.date(2026, 3, 1))


def test_late_translation_page_points_to_the_policy_in_force(make_project):
    project = late_german(make_project)
    assert project.policy("build").returncode == 0
    page = project.read("site/global/de/index.html")
    assert "policy-notice--pending" in page
    assert "1. März 2026" in page
    assert 'href="../en/" hreflang="en"' in page
    assert "policy-notice--pending" not in project.read("site/global/en/index.html")


def test_a_first_version_announced_ahead_claims_no_policy_in_force(make_project):
    """The policy's very first version, published before its date: nothing applies yet in any
    language, so no page points to a policy in force, and the source language's page does not
    call itself a language added late."""
    project = make_project(
        {
            "policies/jurisdictions.yml": WITH_GERMAN,
            DE_PO: po(GERMAN),
            "policies/change.yml": change_yml("First version.", "2026-02-01"),
        }
    )
    assert project.policy("build").returncode == 0
    for page, said in (
        ("global/en/", "No earlier version of this policy was published."),
        (
            "global/de/",
            "Es wurde keine frühere Version dieser Datenschutzerklärung veröffentlicht.",
        ),
    ):
        html = project.read(f"site/{page}index.html")
        notice = html[html.index("policy-notice--pending") :]
        notice = notice[: notice.index("</div>")]
        assert said in notice, page
        assert "added after" not in notice and "hinzugefügt" not in notice, page
        assert "href" not in notice, page
