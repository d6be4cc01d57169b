"""The version in force on a date: `policy version-at` and the records' in_force_from/until."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from conftest import BASE_FILES, Project, change_yml
from histories import DATA_MD


@pytest.fixture(scope="module")
def announced(tmp_path_factory):
    """v1 in force from Jan 1; v2 announced for Mar 1 and corrected (v3) before it applied; v4
    announced for Apr 1. Built once: the tests only read it."""
    project = Project(tmp_path_factory.mktemp("announced") / "project")
    project.commit("First version", BASE_FILES)
    project.commit(
        "Announce full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-03-01"),
        },
    )
    project.commit(
        "Typo in the announced text",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;").replace(
                "We collect only", "We only collect"
            ),
            "policies/change.yml": change_yml("Wording.", "2026-01-03", "editorial"),
        },
    )
    project.commit(
        "Announce phone",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;")
            .replace("We collect only", "We only collect")
            .replace("address.", "address;\n- your phone number."),
            "policies/change.yml": change_yml("Phone.", "2026-04-01"),
        },
    )
    assert project.policy("build").returncode == 0
    return project


def test_records_say_from_when_until_when_each_version_applies(announced):
    record = json.loads(announced.read("site/eu/en/versions.json"))
    assert [
        (v["number"], v["effective"], v["in_force_from"], v["in_force_until"])
        for v in record["versions"]
    ] == [
        (1, "2026-01-01", "2026-01-01", "2026-03-01"),
        (2, "2026-03-01", "2026-03-01", "2026-03-01"),  # superseded before it applied
        (3, "2026-01-03", "2026-03-01", "2026-04-01"),
        (4, "2026-04-01", "2026-04-01", None),
    ]
    assert (record["in_force"], record["latest"]) == (1, 4)
    root = json.loads(announced.read("site/versions.json"))
    assert root["reference_date"] == "2026-01-04"
    assert [d["url"] for d in root["documents"]] == ["eu/en/", "global/en/"]


@pytest.mark.parametrize(
    ("date", "number"),
    [
        ("2026-01-01", 1),
        ("2026-02-28", 1),
        ("2026-03-01", 3),
        ("2026-03-31", 3),
        ("2026-04-01", 4),
        ("2030-01-01", 4),
    ],
)
def test_version_at_prints_number_hash_and_address(announced, date, number):
    record = json.loads(announced.read("site/eu/en/versions.json"))
    version = record["versions"][number - 1]
    result = announced.policy("version-at", "eu", "en", date)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{number} {version['hash']} eu/en/v/{number}/\n"
    start, until = version["in_force_from"], version["in_force_until"]
    assert start <= date and (until is None or date < until)


def test_version_at_agrees_with_the_records_on_every_day(announced):
    from generator.build import BuildOptions, read_revisions
    from generator.in_force import version_at
    from generator.versions import derive_versions

    publication = derive_versions(read_revisions(BuildOptions(project_dir=announced.root)))
    record = json.loads(announced.read("site/eu/en/versions.json"))
    day = dt.date(2026, 1, 1)
    while day < dt.date(2026, 5, 1):
        iso = day.isoformat()
        covering = [
            v["number"]
            for v in record["versions"]
            if v["in_force_from"] <= iso
            and (v["in_force_until"] is None or iso < v["in_force_until"])
        ]
        assert covering == [version_at(publication, "eu", "en", day).number], iso
        day += dt.timedelta(days=1)


def test_each_version_stands_as_the_records_say_on_every_day(announced):
    """In force on the days version-at names it, never in force when its two dates are equal,
    no longer in force after, upcoming before: on every day, whatever the build's today."""
    from generator.build import BuildOptions, read_revisions
    from generator.in_force import version_at
    from generator.model import Standing
    from generator.versions import derive_versions

    publication = derive_versions(read_revisions(BuildOptions(project_dir=announced.root)))
    history = publication.documents[("eu", "en")]
    day = dt.date(2025, 12, 31)
    while day < dt.date(2026, 5, 1):
        applying = history.applying(day)
        expected = {
            v.number: Standing.NEVER
            if v.number == 2
            else Standing.UPCOMING
            if applying is None or v.number > applying.number
            else Standing.IN_FORCE
            if v.number == applying.number
            else Standing.PAST
            for v in history.versions
        }
        assert {v.number: history.standing(v, day) for v in history.versions} == expected, day
        if applying is not None:
            assert applying.number == version_at(publication, "eu", "en", day).number
        day += dt.timedelta(days=1)


def _badges(page: str) -> dict[str, str]:
    """Each version's badge on a change log or archive page, by the version's link text."""
    return {
        number: badge
        for number, badge in re.findall(
            r"Version (\d+)(?:</a>)? <span class=\"policy-badge policy-badge--([a-z-]+)\">", page
        )
    }


def test_the_pages_say_where_each_version_stands(announced):
    # Today is 2026-01-04: version 1 applies, version 2 was corrected (3) before it applied.
    # The archive lists texts: version 2's never applies. The change log lists changes: version
    # 2's takes effect on March 1st, with version 3.
    assert _badges(announced.read("site/eu/en/v/index.html")) == {
        "1": "in-force",
        "2": "never",
        "3": "upcoming",
        "4": "upcoming",
    }
    assert _badges(announced.read("site/eu/en/changes/index.html")) == {
        "1": "in-force",
        "2": "upcoming",
        "3": "upcoming",
        "4": "upcoming",
    }
    notices = {
        1: "This version is in force.",
        2: "This version never took effect: a later version replaced it before its effective date.",
        3: "This version is not in force yet.",
    }
    for number, notice in notices.items():
        assert notice in announced.read(f"site/eu/en/v/{number}/index.html"), number
    # The archive gives version 2 the date it was to take effect, not a span it was in force;
    # the others, their first and last days (the record's in_force_until is the day after).
    rows = archive_rows(announced)
    assert rows["2"][0] == (
        "Was to take effect on March 1, 2026; a later version replaced it before then."
    )
    assert rows["1"][:2] == ["January 1, 2026", "February 28, 2026"]
    assert rows["3"][:2] == ["March 1, 2026", "March 31, 2026"]


def archive_rows(project) -> dict[str, list[str]]:
    """The text of each cell of the EU English archive's rows, by version number."""
    archive = project.read("site/eu/en/v/index.html")
    return {
        number: [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td.*?</td>", row)]
        for number, row in re.findall(r'<tr role="row">.*?>Version (\d+)<(.*?)</tr>', archive, re.S)
    }


def test_the_policy_in_force_announces_each_date_once(announced):
    """Versions 2 and 3 both take effect on March 1st: one notice says so, with both summaries
    and the whole change from the policy in force; version 4 has a notice of its own."""
    page = announced.read("site/eu/en/index.html")
    notices = re.findall(
        r'<div class="admonition info policy-notice policy-notice--upcoming".*?</div>', page, re.S
    )
    assert len(notices) == 2
    march, april = notices
    assert "takes effect on March 1, 2026" in _text(march)
    assert re.findall(r'<p class="policy-summary">(.*?)</p>', march) == ["Full name.", "Wording."]
    assert re.findall(r'href="([^"]*)"', march) == ["compare/?from=1&amp;to=3", "v/3/"]
    assert "takes effect on April 1, 2026" in _text(april)
    assert re.findall(r'<p class="policy-summary">(.*?)</p>', april) == ["Phone."]
    assert re.findall(r'href="([^"]*)"', april) == [
        "changes/4/",
        "v/4/",
        "compare/?from=1&amp;to=4",
    ]
    # The clause that versions 2 and 3 both change, and version 4 again: one notice per date.
    assert [
        (href, re.sub(r"<[^>]+>", "", words))
        for href, words in re.findall(
            r'policy-clause__upcoming" data-search-exclude><a href="([^"]*)"[^>]*>(.*?)</a>', page
        )
    ] == [
        (
            "compare/?from=1&amp;to=3#data-we-collect",
            "This section changes on March 1, 2026: see what changes",
        ),
        ("changes/4/#data-we-collect", "This section changes on April 1, 2026: see what changes"),
    ]
    # The notices are no text of the policy in force: a search finds neither them nor the
    # summaries they quote ("Phone." is only version 4's).
    index = announced.read("site/eu/en/search.json")
    assert "takes effect on" not in index and "Phone." not in index


def test_the_correction_that_brings_an_announced_change_into_force_says_so(announced):
    """Version 3 is an editorial correction of the material change version 2 announced for
    March 1, and applies from that day in its place: its redline is against version 2, a typo,
    but what changes on March 1 is version 2's change too. Its page says so, with the
    comparison against the version in force before."""
    page = announced.read("site/eu/en/changes/3/index.html")
    notice = re.search(r'<div class="[^"]*policy-notice--brought-in".*?</div>', page, re.S)
    assert notice is not None
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", notice.group())).strip()
    assert text == (
        "This version also brings into force the change of version 2, announced for the same "
        "day and replaced before it took effect: Material change Full name. Compare with "
        "version 1, in force before March 1, 2026"
    )
    assert 'href="../../compare/?from=1&amp;to=3"' in notice.group()
    for other in (2, 4):
        assert "policy-notice--brought-in" not in announced.read(
            f"site/eu/en/changes/{other}/index.html"
        )


def test_once_the_corrected_change_applies_the_change_log_marks_only_the_version_in_force(
    announced, monkeypatch
):
    from generator.build import BuildOptions, make_site

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773576000")  # 2026-03-15 12:00 UTC
    _, site = make_site(BuildOptions(project_dir=announced.root))
    pages = {page.url: page.html for page in site.pages}
    assert _badges(pages["eu/en/v/"]) == {"3": "in-force", "2": "never", "4": "upcoming"}
    assert _badges(pages["eu/en/changes/"]) == {"3": "in-force", "4": "upcoming"}


def test_before_any_version_applies_none_is_called_in_force(make_project):
    """A translation published after the change it carries was announced, then revised: its
    first version never applies, its second is upcoming, and no version is in force yet."""
    from test_late_translation import late_german

    project = late_german(make_project)
    assert project.policy("build").returncode == 0
    assert _badges(project.read("site/global/de/v/index.html")) == {"2": "upcoming", "1": "never"}
    changes = project.read("site/global/de/changes/index.html")
    assert _badges(changes) == {"2": "upcoming", "1": "upcoming"}
    assert "Diese Version ist nie in Kraft getreten" in project.read(
        "site/global/de/v/1/index.html"
    )
    assert "Diese Version ist noch nicht in Kraft." in project.read("site/global/de/v/2/index.html")
    record = json.loads(project.read("site/global/de/versions.json"))
    assert (record["in_force"], record["latest"]) == (None, 2)
    early = project.policy("version-at", "global", "de", "2026-01-20")
    assert early.returncode == 1
    assert early.stderr.strip() == (
        "no version of global/de was in force on 2026-01-20. Version 2 applies from 2026-03-01; "
        "ask for a date on or after it. [version.not-in-force]"
    )
    assert json.loads(project.read("site/global/en/versions.json"))["in_force"] == 1


def test_version_at_before_the_first_version(announced):
    result = announced.policy("version-at", "eu", "en", "2025-12-31")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "no version of eu/en was in force on 2025-12-31. Version 1 applies from 2026-01-01; ask "
        "for a date on or after it. [version.not-in-force]"
    )


def test_version_at_unknown_document(announced):
    result = announced.policy("version-at", "eu", "fr", "2026-02-01")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "policies/jurisdictions.yml: no document eu/fr was ever published. Name one of: eu/en, "
        "global/en. [version.unknown-document]"
    )


@pytest.mark.parametrize("date", ["1 March", "2026-02-30", "2026-13-01", ""])
def test_version_at_bad_date_is_a_usage_error(announced, date):
    result = announced.policy("version-at", "eu", "en", date)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert (
        f"Invalid value for 'DATE': '{date}' is not a day of the calendar written YYYY-MM-DD, "
        "such as 2026-03-01." in result.stderr
    )


def test_version_at_jurisdiction_and_language_tag_in_any_case(make_project):
    from histories import GERMAN, WITH_GERMAN, po

    project = make_project(
        {
            "policies/jurisdictions.yml": WITH_GERMAN.replace("[en, de]", "[en, de-CH]"),
            "locales/de_CH/LC_MESSAGES/policy.po": po(GERMAN),
        }
    )
    for region, tag in (("eu", "de-CH"), ("eu", "de-ch"), ("eu", "de_CH"), ("EU", "DE-CH")):
        result = project.policy("version-at", region, tag, "2026-01-01")
        assert result.returncode == 0, result.stderr
        assert result.stdout.endswith(" eu/de-ch/v/1/\n")


def test_an_announced_change_moved_to_a_later_date_as_the_authoring_guide_says(make_project):
    """docs/authoring.md, "Moving an announced change": the text as it was, committed with a
    note that withdraws the change, then the change again with its new date. Shoppers read the
    old text until the new date; the withdrawn version never applies."""
    project = make_project()
    full_name = DATA_MD.replace("your name;", "your full name;")
    project.commit(
        "Announce full name for March",
        {
            "policies/clauses/data.md": full_name,
            "policies/change.yml": change_yml("Full name.", "2026-03-01"),
        },
    )
    project.commit(
        "Withdraw it",
        {
            "policies/clauses/data.md": DATA_MD,
            "policies/change.yml": change_yml(
                "The change announced for March is withdrawn.", "2026-01-03"
            ),
        },
    )
    project.commit(
        "Announce it for April",
        {
            "policies/clauses/data.md": full_name,
            "policies/change.yml": change_yml("Full name.", "2026-04-01"),
        },
    )
    assert project.policy("build").returncode == 0
    record = json.loads(project.read("site/eu/en/versions.json"))
    hashes = [v["hash"] for v in record["versions"]]
    assert hashes[2] == hashes[0] and hashes[3] == hashes[1]  # the old text, then the new again
    in_force = {}
    for day in ("2026-02-15", "2026-03-01", "2026-03-31", "2026-04-01"):
        result = project.policy("version-at", "eu", "en", day)
        assert result.returncode == 0, result.stderr
        in_force[day] = int(result.stdout.split()[0])
    assert in_force == {"2026-02-15": 1, "2026-03-01": 3, "2026-03-31": 3, "2026-04-01": 4}
    assert _badges(project.read("site/eu/en/v/index.html"))["2"] == "never"
    assert "This version never took effect" in project.read("site/eu/en/v/2/index.html")
    # Until March, the page in force says the change for March is withdrawn, and announces April.
    page = _text(project.read("site/eu/en/index.html"))
    assert (
        "The change announced for March 1, 2026 is withdrawn Full name. The change announced for "
        "March is withdrawn. The policy in force stays as it is." in page
    )
    assert "An updated policy takes effect on April 1, 2026 Full name. See what changes" in page
    assert "This section changes on April 1, 2026" in page
    assert "changes on March 1" not in page
    # Each day in the sentences is written for software too (ISO 8601), as in the tables.
    raw = project.read("site/eu/en/index.html")
    for said in ("takes effect on", "The change announced for", "This section changes on"):
        assert re.search(f'{said} <time datetime="2026-0[34]-01">(March|April) 1, 2026</time>', raw)


PROFILING_MD = """\
---
id: profiling
title: Profiling
order: 30
jurisdictions: [global]
---
We suggest products from what you bought before.
"""


def test_a_withdrawn_change_is_never_in_force_in_the_change_log_either(make_project):
    """A section announced for March 1, reworded for March 15 (version 2 still applies from
    March 1), then withdrawn (the text from before it, effective on March 15). The change log's
    entry for version 3 is a change that never reaches shoppers: it is never in force there as
    in the archive. On version 4's page, a link to the section leads to the text shoppers last
    read, version 2's: version 3's never applied."""
    project = make_project()
    project.commit(
        "Announce profiling",
        {
            "policies/clauses/profiling.md": PROFILING_MD,
            "policies/change.yml": change_yml("Profiling.", "2026-03-01"),
        },
    )
    project.commit(
        "Reword it",
        {
            "policies/clauses/profiling.md": PROFILING_MD.replace("suggest", "recommend"),
            "policies/change.yml": change_yml("Recommendations.", "2026-03-15"),
        },
    )
    project.commit(
        "Withdraw it",
        {
            "policies/clauses/profiling.md": None,
            "policies/change.yml": change_yml("Profiling is withdrawn.", "2026-01-04"),
        },
    )
    assert project.policy("build").returncode == 0
    record = json.loads(project.read("site/eu/en/versions.json"))
    assert [(v["in_force_from"], v["in_force_until"]) for v in record["versions"]] == [
        ("2026-01-01", "2026-03-01"),
        ("2026-03-01", "2026-03-15"),
        ("2026-03-15", "2026-03-15"),
        ("2026-03-15", None),
    ]
    expected = {"1": "in-force", "2": "upcoming", "3": "never", "4": "upcoming"}
    assert _badges(project.read("site/eu/en/v/index.html")) == expected
    assert _badges(project.read("site/eu/en/changes/index.html")) == expected
    notice = re.search(
        r'<div id="profiling" class="[^"]*policy-removed".*?</div>',
        project.read("site/eu/en/v/4/index.html"),
        re.S,
    )
    assert notice and (
        '<a href="../2/#profiling">Read it as it was in version 2</a>' in notice[0]
    ), notice


def test_a_section_changed_and_changed_back_before_its_date_is_not_announced(make_project):
    """Two changes announced for one date, the second undoing part of the first: the page in
    force announces only the sections that read otherwise on that date."""
    project = make_project()
    project.commit(
        "Announce two changes",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/clauses/who.md": BASE_FILES["policies/clauses/who.md"].replace(
                "runs this shop", "runs this online shop"
            ),
            "policies/change.yml": change_yml("Full name, online shop.", "2026-03-01"),
        },
    )
    project.commit(
        "Keep the name as it is",
        {
            "policies/clauses/data.md": DATA_MD,
            "policies/change.yml": change_yml("We keep asking for your name only.", "2026-03-01"),
        },
    )
    assert project.policy("build").returncode == 0
    page = project.read("site/eu/en/index.html")
    assert "An updated policy takes effect on March 1, 2026" in _text(page)
    announced = re.findall(r'<a href="([^"]+)"[^>]*>This section changes on ', page)
    assert announced == ["changes/2/#who-we-are"]


def _text(page: str) -> str:
    """A page's words, tags and runs of white space each one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_a_retired_document_stops_applying_the_day_it_was_retired(make_project):
    """A consent record after that day cannot cite it, and no page calls it in force."""
    project = make_project()
    project.commit(
        "No separate EU policy",
        {"policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en]\n"},
    )
    assert project.policy("build").returncode == 0
    before = project.policy("version-at", "eu", "en", "2026-01-01")
    assert (before.returncode, before.stdout.split()[:1]) == (0, ["1"])
    after = project.policy("version-at", "eu", "en", "2026-01-02")
    assert after.returncode == 1
    assert after.stderr.strip() == (
        "no version of eu/en was in force on 2026-01-02: the policy stopped publishing it on "
        "2026-01-02. Its last version, 1, applied from 2026-01-01 until then. "
        "[version.not-in-force]"
    )
    record = json.loads(project.read("site/eu/en/versions.json"))
    assert record["in_force"] is None
    assert record["versions"][0]["in_force_until"] == "2026-01-02"
    # In force on January 1st only: the archive gives that day as its last.
    assert archive_rows(project)["1"][:2] == ["January 1, 2026", "January 1, 2026"]
    assert "policy-badge--in-force" not in project.read("site/eu/en/v/index.html")
    for page in ("eu/en/index.html", "eu/en/v/1/index.html"):
        assert "This version is in force." not in project.read(f"site/{page}"), page
    assert "This version is no longer in force." in project.read("site/eu/en/v/1/index.html")
    # The worldwide policy, which now applies, is as it was.
    world = json.loads(project.read("site/global/en/versions.json"))
    assert (world["in_force"], world["versions"][0]["in_force_until"]) == (1, None)


def test_a_document_published_again_applied_neither_while_retired_nor_after_as_before(
    make_project,
):
    """The EU policy is taken out on Jan 2 and put back on Jan 4, its text unchanged: nothing
    applied in between, and what applies from Jan 4 is its version 2, which a consent record
    cites; version 1 stays ended on Jan 2 in the records and the archive."""
    project = make_project()
    project.commit(
        "No separate EU policy",
        {"policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en]\n"},
    )
    project.commit(
        "A separate EU policy again",
        {
            "policies/jurisdictions.yml": BASE_FILES["policies/jurisdictions.yml"],
            "policies/change.yml": change_yml("Published again.", "2026-01-03"),
        },
    )
    assert project.policy("build").returncode == 0
    gap = project.policy("version-at", "eu", "en", "2026-01-02")
    assert gap.returncode == 1
    assert gap.stderr.strip() == (
        "no version of eu/en was in force on 2026-01-02: the policy stopped publishing it on "
        "2026-01-02. Its last version, 1, applied from 2026-01-01 until then. It published it "
        "again on 2026-01-03: version 2, which applies from 2026-01-03. [version.not-in-force]"
    )
    again = project.policy("version-at", "eu", "en", "2026-01-03")
    assert (again.returncode, again.stdout.split()[:1]) == (0, ["2"])
    record = json.loads(project.read("site/eu/en/versions.json"))
    assert (record["in_force"], record["retired"]) == (2, False)
    assert [(v["in_force_from"], v["in_force_until"]) for v in record["versions"]] == [
        ("2026-01-01", "2026-01-02"),
        ("2026-01-03", None),
    ]
    assert archive_rows(project)["1"][:2] == ["January 1, 2026", "January 1, 2026"]
    assert "not been maintained" not in project.read("site/eu/en/index.html")
    # Its redline says what version 2 is, rather than that only addresses changed.
    redline = project.read("site/eu/en/changes/2/index.html")
    assert "this version publishes the text of version 1 again." in redline
    assert "addresses" not in redline
