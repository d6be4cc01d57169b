"""`policy check` reports every problem as `path:line: message [code]`, exits 1, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    BASE_FILES,
    DATA_MD,
    JURISDICTIONS_YML,
    NEW_YEAR,
    SITE_YML,
    WHO_MD,
    Project,
    at_noon,
    change_yml,
    problems_of,
)

from generator.sources import read_policy


def test_check_clean_policy_passes(make_project):
    project = make_project()
    result = project.policy("check")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("0 errors, 0 warnings")


def test_check_unknown_key_suggests_the_right_one(make_project):
    project = make_project()
    project.write(
        {
            "policies/clauses/who.md": BASE_FILES["policies/clauses/who.md"].replace(
                "order: 10", "ordre: 10\norder: 10"
            )
        }
    )
    result = project.policy("check")
    assert result.returncode == 1
    assert problems_of(result) == [
        "policies/clauses/who.md:4: unknown key 'ordre'. Did you mean 'order'? "
        "[clause.unknown-key]",
    ]


def _places_and_codes(project: Project) -> list[str]:
    """Each problem `policy check` reports, as `path:line code]`: where, and what."""
    return [
        p.split(": ", 1)[0] + " " + p.rsplit("[", 1)[1]
        for p in problems_of(project.policy("check"))
    ]


def test_check_duplicate_id_names_both_files(make_project):
    project = make_project({"policies/clauses/again.md": BASE_FILES["policies/clauses/who.md"]})
    result = project.policy("check")
    assert result.returncode == 1
    assert problems_of(result) == [
        "policies/clauses/who.md:2: clause id 'who-we-are' is already used by "
        "policies/clauses/again.md. Give one of them another id. [clause.duplicate-id]",
    ]


def test_a_clause_whose_id_is_taken_still_has_its_other_problems_reported(make_project):
    """Every problem at once: an editor who fixes the id must not then meet the file's others."""
    again = WHO_MD.replace("contact.email", "contact.mail").replace("[global]", "[globl]")
    project = make_project({"policies/clauses/zz-who.md": again})  # read after who.md
    assert _places_and_codes(project) == [
        "policies/clauses/zz-who.md:2 clause.duplicate-id]",
        "policies/clauses/zz-who.md:5 clause.unknown-jurisdiction]",
        "policies/clauses/zz-who.md:8 variable.undefined]",
    ]


def test_check_unknown_jurisdiction(make_project):
    project = make_project()
    project.write(
        {
            "policies/clauses/who.md": BASE_FILES["policies/clauses/who.md"].replace(
                "[global]", "[globl]"
            )
        }
    )
    result = project.policy("check")
    assert problems_of(result) == [
        "policies/clauses/who.md:5: clause 'who-we-are' names unknown jurisdiction 'globl'. "
        "Did you mean 'global'? [clause.unknown-jurisdiction]",
    ]


def test_problems_are_reported_at_the_line_they_are_on(make_project):
    """Not at the first line of the paragraph, the header or the list they are in: a problem in
    the third line of a paragraph is on line 3 of it, each undefined variable of a paragraph is
    reported, and a jurisdiction at the line that names it."""
    project = make_project()
    project.write(
        {
            "policies/clauses/more.md": """\
            ---
            id: more
            title: More
            order: 30
            jurisdictions:
              - global
              - mars
            ---
            A paragraph on
            several lines, with {{ company.nme }}
            and {{ nope }} on the third,
            then <b>bold</b> and ![an image](x.png)

            - an item that goes on
              to [a link](javascript:alert(1)) and {% if x %}.
            """,
            "policies/clauses/more-eu.md": """\
            ---
            variant_of: more
            jurisdiction: venus
            mode: extend
            ---
            Extra.
            """,
        }
    )
    lines = _places_and_codes(project)
    assert lines == [
        "policies/clauses/more-eu.md:3 variant.unknown-jurisdiction]",
        "policies/clauses/more.md:7 clause.unknown-jurisdiction]",
        "policies/clauses/more.md:10 variable.undefined]",
        "policies/clauses/more.md:11 variable.undefined]",
        "policies/clauses/more.md:12 markdown.html]",
        "policies/clauses/more.md:12 markdown.image]",
        "policies/clauses/more.md:15 markdown.unsafe-link]",
        "policies/clauses/more.md:15 variable.statement]",
    ]


def test_an_unsafe_link_is_blamed_on_a_variable_only_when_a_variable_makes_it(make_project):
    """A link unsafe as written, in a paragraph that also fills in a variable, is the editor's:
    reported once, with the editor's fix, not a second time as made by a variable."""
    project = make_project(
        {
            "policies/site.yml": BASE_FILES["policies/site.yml"] + "  help: javascript:alert(1)\n",
        }
    )
    project.write(
        {
            "policies/clauses/who.md": WHO_MD.replace(
                "runs this shop.", "runs [this shop](javascript:alert(2))."
            ),
            "policies/clauses/data.md": BASE_FILES["policies/clauses/data.md"].replace(
                "your name;", "your name ([help]({{ help }}));"
            ),
        }
    )
    assert problems_of(project.policy("check")) == [
        "policies/clauses/data.md:10: links may only point to https:, http: or mailto: "
        "addresses, but a variable here makes a 'javascript:' link. Correct the variable's "
        "value in policies/site.yml. [markdown.unsafe-link]",
        "policies/clauses/who.md:8: links may only point to https:, http: or mailto: addresses, "
        "not 'javascript:'. Remove the link or point it to a web page. [markdown.unsafe-link]",
    ]


def test_commands_run_in_a_subfolder_work_on_the_project(make_project):
    """An editor in policies/clauses/ who runs `policy check` checks the project (it was told
    policies/site.yml is missing, and to create it there)."""
    project = make_project()
    project.write({"policies/clauses/who.md": WHO_MD.replace("runs", "operates")})
    folder = project.root / "policies" / "clauses"
    command = str(Path(sys.executable).parent / "policy")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([command, *args], cwd=folder, capture_output=True, text=True)

    checked = run("check")
    assert checked.returncode == 1, checked.stderr
    assert "[change.not-updated]" in checked.stderr and "site.yml" not in checked.stderr
    assert "| `global/en` Worldwide | new version | 1 changed |" in run("diff").stdout
    assert run("version-at", "eu", "en", "2026-01-01").stdout.endswith(" eu/en/v/1/\n")
    # Told where, it works there.
    elsewhere = run("check", "--project", ".")
    assert "policies/site.yml is missing" in elsewhere.stderr


def test_the_source_language_in_another_variant_is_named(make_project):
    """site.yml says en-GB, the regions list en: en is then a translation, with no catalog, and
    no document can be published. The check says both, before the build fails."""
    project = make_project(
        {"policies/site.yml": BASE_FILES["policies/site.yml"].replace(": en\n", ": en-GB\n")}
    )
    result = project.policy("check")
    assert result.returncode == 1
    problems = problems_of(result)
    assert (
        "policies/jurisdictions.yml: no document has a complete version to publish: no "
        "jurisdiction lists the source language (en-GB), and no translation is complete. List "
        "en-GB in a jurisdiction's languages, or complete a translation ('policy i18n status' "
        "shows what is missing). [build.nothing-to-publish]"
    ) in problems
    assert (
        "policies/jurisdictions.yml:3: jurisdiction 'global' lists 'en', not the source language "
        "'en-GB' (policies/site.yml): 'en' is a translation, which needs a catalog translating "
        "en-GB into it. If you meant the source language, write it as site.yml does. "
        "[jurisdiction.near-source]"
    ) in problems
    built = project.policy("build")
    assert built.returncode == 1 and "[build.nothing-to-publish]" in built.stderr


def test_a_variable_that_cannot_be_filled_is_reported_at_the_line_it_is_on(make_project):
    """A filter, a private name or a syntax error in a paragraph wrapped over several lines is
    reported at its own line, as an undefined variable is, not at the paragraph's first."""
    project = make_project()
    project.write(
        {
            "policies/clauses/more.md": """\
            ---
            id: more
            title: More
            order: 30
            jurisdictions: [global]
            ---
            {{ company.name }} wrote
            this paragraph, with
            {{ company.name|upper }} on its third line.

            {{ company.name }} wrote
            {{ company._secret }} on this one's second.

            {{ company.name }} wrote
            this, and then
            left {{ company.name open on its third.
            """,
        }
    )
    lines = _places_and_codes(project)
    assert lines == [
        "policies/clauses/more.md:9 variable.expression]",
        "policies/clauses/more.md:12 variable.private]",
        "policies/clauses/more.md:16 variable.syntax]",
    ]


def test_check_extends_cycle(make_project):
    project = make_project()
    project.write(
        {
            "policies/jurisdictions.yml": """\
        global:
          name: Worldwide
          languages: [en]
          extends: eu
        eu:
          name: European Union
          extends: global
          languages: [en]
        """
        }
    )
    result = project.policy("check")
    assert result.returncode == 1
    assert problems_of(result) == [
        "policies/jurisdictions.yml:4: 'extends' forms a cycle: global -> eu -> global. "
        "Remove one of these 'extends'. [jurisdiction.cycle]",
        "policies/jurisdictions.yml:7: 'extends' forms a cycle: eu -> global -> eu. "
        "Remove one of these 'extends'. [jurisdiction.cycle]",
    ]


def test_check_undefined_variable_suggests_the_defined_one(make_project):
    project = make_project()
    project.write(
        {
            "policies/clauses/who.md": BASE_FILES["policies/clauses/who.md"].replace(
                "company.name", "company.nme"
            )
        }
    )
    result = project.policy("check")
    assert problems_of(result) == [
        "policies/clauses/who.md:8: undefined variable 'company.nme'. Did you mean "
        "'company.name'? Define it under 'variables' in policies/site.yml or correct the name. "
        "[variable.undefined]",
    ]


def test_check_template_syntax_error(make_project):
    project = make_project()
    project.write(
        {
            "policies/clauses/who.md": BASE_FILES["policies/clauses/who.md"].replace(
                "{{ company.name }}", "{{ company.name }"
            )
        }
    )
    result = project.policy("check")
    assert problems_of(result) == [
        "policies/clauses/who.md:8: template syntax error: unexpected '}'. Write variables as "
        "{{ company.name }}. [variable.syntax]",
    ]


def test_check_yaml_error_names_the_line(make_project):
    project = make_project()
    project.write({"policies/jurisdictions.yml": "global:\n  name: Worldwide\n languages: [en]\n"})
    result = project.policy("check")
    assert result.returncode == 1
    assert problems_of(result) == [
        "policies/jurisdictions.yml:3: YAML syntax error: expected <block end>, but found "
        "'<block mapping start>'. Check the indentation and quote values that contain ': ' or "
        "start with a special character. [yaml.syntax]",
    ]


@pytest.mark.parametrize(
    ("opened", "found", "where"),
    [
        ("[en", "expected ',' or ']', but got '<stream end>'", "the list opened with '['"),
        ('"en', "found unexpected end of stream", "the quoted text that starts"),
    ],
)
def test_check_yaml_error_names_the_line_where_a_bracket_or_quote_was_left_open(
    make_project, opened, found, where
):
    # The parser finds the problem lines later, where nothing is wrong.
    project = make_project()
    project.write(
        {"policies/jurisdictions.yml": f"global:\n  name: Worldwide\n  languages: {opened}\n\n"}
    )
    assert problems_of(project.policy("check")) == [
        f"policies/jurisdictions.yml:5: YAML syntax error: {found} (in {where} on line 3). Check "
        "the indentation and quote values that contain ': ' or start with a special character. "
        "[yaml.syntax]",
    ]


def test_check_non_utf8_file(make_project):
    project = make_project()
    project.write(
        {"policies/clauses/who.md": BASE_FILES["policies/clauses/who.md"].encode() + b"Caf\xe9\n"}
    )
    result = project.policy("check")
    assert problems_of(result) == [
        "policies/clauses/who.md:9: the file is not valid UTF-8 (byte 0xe9). Save it as UTF-8. "
        "[file.encoding]",
    ]


def test_check_reports_every_problem_in_one_run(make_project):
    project = make_project()
    project.write(
        {
            "policies/clauses/who.md": BASE_FILES["policies/clauses/who.md"].replace(
                "company.name", "company.nme"
            ),
            "policies/clauses/data.md": BASE_FILES["policies/clauses/data.md"].replace(
                "[global]", "[mars]"
            ),
        }
    )
    result = project.policy("check")
    codes = [line.rsplit("[", 1)[1] for line in problems_of(result)]
    assert codes == ["clause.unknown-jurisdiction]", "variable.undefined]"]


def test_check_text_change_without_new_change_note_fails(make_project):
    project = make_project()
    project.write(
        {
            "policies/clauses/data.md": BASE_FILES["policies/clauses/data.md"].replace(
                "your name;", "your full name;"
            )
        }
    )
    result = project.policy("check")
    assert problems_of(result) == [
        "policies/change.yml:1: the policy text changed (eu, global) but change.yml still "
        "describes the previous change. Rewrite its summary, kind and effective date for this "
        "change. [change.not-updated]",
    ]
    project.write({"policies/change.yml": change_yml("We ask for your full name.")})
    assert project.policy("check").returncode == 0
    # Deleting the note is no new note: the build would publish the commit's subject.
    project.write({"policies/change.yml": None})
    result = project.policy("check")
    assert result.returncode == 1
    assert any("[change.not-updated]" in line for line in problems_of(result))


def test_a_new_change_note_with_no_text_change_is_a_warning(make_project):
    """Rewriting change.yml alone (to move an announced date, say) changes no version."""
    from histories import GERMAN, WITH_GERMAN, po

    project = make_project(
        {"policies/jurisdictions.yml": WITH_GERMAN, "locales/de/LC_MESSAGES/policy.po": po(GERMAN)}
    )
    project.commit("German")
    project.write({"policies/change.yml": change_yml("First version.", "2026-02-01")})
    january = {"SOURCE_DATE_EPOCH": "1767268800"}  # 2026-01-01 12:00 UTC

    def about_the_note() -> list[str]:
        return [p for p in problems_of(project.policy("check", env=january)) if "change." in p]

    assert about_the_note() == [
        "policies/change.yml:1: change.yml is rewritten, but no policy text changed: no version "
        "will carry this note, and a version once published keeps its summary and dates. To "
        "move or withdraw an announced change, see 'Moving an announced change' in "
        "docs/authoring.md. [change.describes-nothing]"
    ]
    # The note's new summary is a message of every catalog: updating them, as the docs say to,
    # changes the catalog files but no translated text, and the warning stays.
    project.write({"policies/change.yml": change_yml("First version, later.", "2026-02-01")})
    assert project.policy("i18n", "update").returncode == 0
    assert " M locales/de/LC_MESSAGES/policy.po" in project.git("status", "--porcelain")
    assert len(about_the_note()) == 1
    # A translation revised alone makes a version of its own, which the note describes.
    revised = {**GERMAN, ("who-we-are", "Who we are"): "Wer wir sind, und wie"}
    project.write({"locales/de/LC_MESSAGES/policy.po": po(revised)})
    assert about_the_note() == []


def test_a_note_for_a_region_that_publishes_the_source_language_again_describes_it(
    make_project,
):
    """English put back in the EU, its text unchanged: its next version carries the note."""
    from histories import GERMAN, WITH_GERMAN, po

    german_only = WITH_GERMAN.replace("global\n  languages: [en, de]", "global\n  languages: [de]")
    project = make_project(
        {"policies/jurisdictions.yml": german_only, "locales/de/LC_MESSAGES/policy.po": po(GERMAN)}
    )
    project.write(
        {
            "policies/jurisdictions.yml": WITH_GERMAN,
            "policies/change.yml": change_yml("The EU policy in English too.", "2026-01-02"),
        }
    )
    assert [p for p in problems_of(project.policy("check")) if "describes-nothing" in p] == []
    project.commit("English in the EU")
    assert project.policy("build").returncode == 0
    (version,) = json.loads(project.read("site/eu/en/versions.json"))["versions"]
    assert version["summary"] == "The EU policy in English too."


def test_a_note_for_a_translation_published_anew_describes_it(make_project):
    """German put back in the EU, or added to it, complete and with a new note: its next
    version carries the note, and the check does not say that none will. Added while
    incomplete, German is not published, and the check says so."""
    from histories import EU_WITHOUT_GERMAN, GERMAN, WITH_GERMAN, po

    def idle() -> list[str]:
        return [p for p in problems_of(project.policy("check")) if "describes-nothing" in p]

    note = {"policies/change.yml": change_yml("The EU policy in German.", "2026-01-02")}
    for before in (WITH_GERMAN, None):
        files = {
            "policies/jurisdictions.yml": before or EU_WITHOUT_GERMAN,
            "locales/de/LC_MESSAGES/policy.po": po(GERMAN),
        }
        project = make_project(files, name=f"put-back-{bool(before)}")
        if before:
            project.commit("No German in the EU", {"policies/jurisdictions.yml": EU_WITHOUT_GERMAN})
        project.write({"policies/jurisdictions.yml": WITH_GERMAN, **note})
        assert idle() == [], before
        project.commit("German in the EU")
        assert project.policy("build").returncode == 0
        version = json.loads(project.read("site/eu/de/versions.json"))["versions"][-1]
        assert version["summary"] == "The EU policy in German.", before
    untranslated = {k: v for k, v in GERMAN.items() if k[1] != "Who we are"}
    project = make_project(
        {
            "policies/jurisdictions.yml": EU_WITHOUT_GERMAN,
            "locales/de/LC_MESSAGES/policy.po": po(untranslated),
        },
        name="incomplete",
    )
    project.write({"policies/jurisdictions.yml": WITH_GERMAN, **note})
    assert len(idle()) == 1


def test_a_note_that_only_adds_a_language_cannot_date_it_later(make_project):
    """German added to the EU with a note dated March: its document publishes the text in force
    from the day it is published, and the check says so; dated today, nothing to say."""
    from histories import EU_WITHOUT_GERMAN, GERMAN, WITH_GERMAN, po

    project = make_project(
        {
            "policies/jurisdictions.yml": EU_WITHOUT_GERMAN,
            "locales/de/LC_MESSAGES/policy.po": po(GERMAN),
        }
    )
    january = {"SOURCE_DATE_EPOCH": "1767268800"}  # 2026-01-01 12:00 UTC

    def about_the_date(effective: str) -> list[str]:
        project.write(
            {
                "policies/jurisdictions.yml": WITH_GERMAN,
                "policies/change.yml": change_yml("The EU policy in German.", effective),
            }
        )
        found = problems_of(project.policy("check", env=january))
        return [p for p in found if "effective-anew" in p]

    assert about_the_date("2026-03-01") == [
        "policies/change.yml:3: the change takes effect on 2026-03-01, but no policy text "
        "changes: the languages this change adds or puts back publish a text in force already, "
        "and apply from the day they are published. To publish them from that day, add them "
        "then. [change.effective-anew]"
    ]
    assert about_the_date("2026-01-01") == []


def test_a_note_a_revert_brings_back_is_a_warning(make_project):
    """Reverting a change restores the note of the change before: it would describe the revert
    with a summary and a date already published."""
    project = make_project()
    first = project.git("rev-parse", "HEAD").strip()
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": BASE_FILES["policies/clauses/data.md"].replace(
                "your name;", "your full name;"
            ),
            "policies/change.yml": change_yml("We ask for your full name.", "2026-01-02"),
        },
    )
    project.git("revert", "--no-commit", "HEAD")
    assert problems_of(project.policy("check", "--base", "HEAD", env=NEW_YEAR)) == [
        f"policies/change.yml:1: change.yml says what it said at commit {first[:12]}, whose "
        "version it describes (a revert restores the note of the change before); the build will "
        "not take it, and will use the commit's subject. Rewrite its summary, kind or effective "
        "date for this change. [change.reused]"
    ]
    project.write({"policies/change.yml": change_yml("We ask for your name again.", "2026-01-03")})
    assert problems_of(project.policy("check", "--base", "HEAD", env=NEW_YEAR)) == []


def test_a_new_change_note_dated_in_the_past_or_years_ahead_is_a_warning(make_project):
    # Often the previous change's date, left as it was: the version would take effect on the day
    # it is published, not on the day the note says. Or a typo in the year.
    project = make_project()
    project.write(
        {
            "policies/clauses/data.md": BASE_FILES["policies/clauses/data.md"].replace(
                "your name;", "your full name;"
            ),
            "policies/change.yml": change_yml("We ask for your full name.", "2026-02-27"),
        }
    )
    march = {"SOURCE_DATE_EPOCH": "1772366400"}  # 2026-03-01 12:00 UTC
    assert problems_of(project.policy("check", env=march)) == [
        "policies/change.yml:3: the change takes effect on 2026-02-27, which has passed (today "
        "is 2026-03-01, UTC): a version is never in force before it is published, so this one "
        "would take effect on the day it is published. Write that day or a later one. "
        "[change.effective-passed]"
    ]
    project.write({"policies/change.yml": change_yml("We ask for your full name.", "2207-03-01")})
    assert problems_of(project.policy("check", env=march)) == [
        "policies/change.yml:3: the change takes effect on 2207-03-01, more than a year after "
        "today (2026-03-01, UTC): until then the site announces it and keeps the version in "
        "force. Check the year. [change.effective-far]"
    ]
    project.write({"policies/change.yml": change_yml("We ask for your full name.", "2026-03-01")})
    assert problems_of(project.policy("check", env=march)) == []
    project.commit("Ask for the full name")
    later = {"SOURCE_DATE_EPOCH": "1780000000"}  # 2026-05-28: the note is the last commit's
    assert problems_of(project.policy("check", env=later)) == []


def test_an_effective_date_with_a_time_is_an_error_in_a_new_note(make_project):
    """A version takes effect for a whole day: a time written with the date (here 07:30 UTC on
    December 2nd) would be dropped, and the day read in the time zone written. An old note
    with one is its history's, read as its date: the check only refuses it in a new note."""
    project = make_project()
    data = BASE_FILES["policies/clauses/data.md"]
    project.write(
        {
            "policies/clauses/data.md": data.replace("your name;", "your full name;"),
            "policies/change.yml": "summary: Full name.\nkind: material\n"
            "effective: 2026-12-01T23:30:00-08:00\n",
        }
    )
    result = project.policy("check", env=NEW_YEAR)
    assert result.returncode == 1
    assert problems_of(result) == [
        "policies/change.yml:3: 'effective' is the day the change takes effect, written "
        "YYYY-MM-DD, not '2026-12-01T23:30:00-08:00': a version applies for the whole of its "
        "day (UTC), from its start, whatever the time. Write the day alone, such as 2026-12-01. "
        "[change.effective]"
    ]
    project.commit("Full name")
    assert problems_of(project.policy("check", env=NEW_YEAR)) == []
    assert project.policy("build").returncode == 0
    record = json.loads(project.read("site/eu/en/versions.json"))
    assert record["versions"][-1]["effective"] == "2026-12-01"


def test_a_clause_whose_id_changed_is_a_warning(make_project):
    # Its published links and its history belong to the old id; a clause removed while another
    # is added is no rename.
    project = make_project()
    data = BASE_FILES["policies/clauses/data.md"]
    project.write(
        {
            "policies/clauses/data.md": data.replace("id: data-we-collect", "id: what-we-collect"),
            "policies/change.yml": change_yml("We renamed a section."),
        }
    )
    result = project.policy("check", env=NEW_YEAR)
    assert result.returncode == 0
    assert problems_of(result) == [
        "policies/clauses/data.md:2: the clause id changed from 'data-we-collect' to "
        "'what-we-collect'. The site follows the clause by its text (links to #data-we-collect "
        "lead to it, its history goes on), but a changed id alone makes a new version of every "
        "policy that has the clause. Keep the id 'data-we-collect' (the file can be renamed "
        "freely, see docs/authoring.md). [clause.renamed]"
    ]
    project.write(
        {
            "policies/clauses/data.md": data.replace("id: data-we-collect", "id: cookies")
            .replace("title: The information we collect", "title: Cookies")
            .replace("your name;", "no cookies;")
            .replace("We collect only what we need to deliver your order:", "We set:")
        }
    )
    assert problems_of(project.policy("check", env=NEW_YEAR)) == []


def test_the_source_language_written_another_way_in_a_jurisdiction_is_reported(make_project):
    """`EN` where site.yml says `en` would make the jurisdiction's English a translation with
    no catalog, and nothing to publish."""
    project = make_project(
        {
            "policies/jurisdictions.yml": BASE_FILES["policies/jurisdictions.yml"].replace(
                "[en]", "[EN]", 1
            )
        }
    )
    result = project.policy("check")
    assert result.returncode == 1
    assert (
        "policies/jurisdictions.yml:3: jurisdiction 'global' lists 'EN', the source language, "
        "which policies/site.yml writes 'en'. Write it the same way in both. "
        "[jurisdiction.language]"
    ) in result.stderr.splitlines()


def test_a_quoted_effective_date_is_read_as_the_schema_writes_it():
    """The published schema gives 'effective' as a string in date format, so an editor that
    validates against it writes the date quoted."""
    files = {**BASE_FILES, "policies/change.yml": 'summary: Clearer.\neffective: "2026-02-01"\n'}
    policy, problems = read_policy(_encoded(files))
    assert problems == []
    assert policy.change.effective == dt.date(2026, 2, 1)
    files["policies/change.yml"] = 'summary: Clearer.\neffective: "2026-02-30"\n'
    assert [str(p) for p in read_policy(_encoded(files))[1]] == [
        "policies/change.yml:2: change.yml needs 'effective', the date the change takes effect, "
        "written YYYY-MM-DD, not '2026-02-30', which is no day of the calendar. "
        "[change.effective]"
    ]


def _encoded(files: dict[str, str]) -> dict[str, bytes]:
    return {path: text.encode() for path, text in files.items()}


CALIFORNIA = "us-ca:\n  name: California\n  extends: global\n  languages: [en]\n"
"""A region to add to (or put back in) jurisdictions.yml."""


EU_ONLY_MD = "---\nid: eu-only\ntitle: EU notice\norder: 90\njurisdictions: [eu]\n---\nEU only.\n"
"""A clause only the EU has."""


def _region_added_while_announced(make_project, put_back: str | None) -> Project:
    """The full name is announced on 2026-01-03 for 2026-02-01; us-ca, never listed or
    (`put_back` "before" or "after") taken out before or after the announcement, is listed again
    in the working tree, to commit on 2026-01-05. The project."""
    from histories import announce_full_name

    project = make_project(
        {"policies/jurisdictions.yml": JURISDICTIONS_YML + CALIFORNIA} if put_back else None
    )
    if put_back == "before":
        project.commit("No California", {"policies/jurisdictions.yml": JURISDICTIONS_YML})
    announce_full_name(project, "2026-02-01")
    if put_back == "after":
        project.commit("No California", {"policies/jurisdictions.yml": JURISDICTIONS_YML})
    project.write({"policies/jurisdictions.yml": JURISDICTIONS_YML + CALIFORNIA})
    return project


def _about_the_announcement(project: Project, effective: str) -> list[str]:
    project.write({"policies/change.yml": change_yml("California.", effective)})
    found = problems_of(project.policy("check", env=at_noon("2026-01-05")))
    return [p for p in found if "before-announced" in p]


@pytest.mark.parametrize("put_back", [None, "before"])
def test_a_region_added_while_a_change_is_announced_cannot_start_before_it(make_project, put_back):
    """us-ca, added (or put back, taken out before the change was announced) while the full name
    is announced for 2026-02-01, would publish the announced text as in force from the day it is
    added: no text in force without the change is known for it. The check refuses it unless its
    note dates it from the change's day; the build then starts it on that day."""
    project = _region_added_while_announced(make_project, put_back)
    assert _about_the_announcement(project, "2026-01-05") == [
        "policies/change.yml:3: us-ca (policies/jurisdictions.yml line 8) would publish the "
        "change announced for 2026-02-01 as in force from 2026-01-05: it was not listed when "
        "that change was announced, so no text in force before it is known for us-ca, and its "
        "first version carries the announced text. Give this commit's change.yml 'effective: "
        "2026-02-01' (us-ca then publishes the announced text from that day), or add us-ca on "
        "or after 2026-02-01. [change.before-announced]"
    ]
    assert _about_the_announcement(project, "2026-02-01") == []
    project.commit("California", date="2026-01-05T12:00:00+00:00")
    assert project.policy("build", "--no-cache", env=at_noon("2026-01-10")).returncode == 0
    record = json.loads(project.read("site/us-ca/en/versions.json"))
    announced = [v for v in record["versions"] if v["summary"] == "California."]
    assert [(v["effective"], v["in_force_from"]) for v in announced] == [
        ("2026-02-01", "2026-02-01")
    ]
    early = project.policy("version-at", "us-ca", "en", "2026-01-20")
    assert early.returncode == 1 or early.stdout.split()[0] != str(announced[0]["number"])
    on_the_day = project.policy("version-at", "us-ca", "en", "2026-02-01")
    assert on_the_day.stdout.split()[0] == str(announced[0]["number"])


def test_a_region_listed_when_a_change_was_announced_may_come_back_before_it(make_project):
    """us-ca, taken out after the change was announced, is put back before its day: the history
    knows its text in force, which applies until the change's day; nothing to say."""
    project = _region_added_while_announced(make_project, "after")
    assert _about_the_announcement(project, "2026-01-05") == []


def test_a_region_added_while_a_change_it_does_not_have_is_announced_is_not_held_back(
    make_project,
):
    """A change announced for 2026-02-01 to a clause only the EU has: us-ca, added meanwhile,
    publishes none of it, so its text in force is its text; nothing to say."""
    project = make_project({"policies/clauses/eu-only.md": EU_ONLY_MD})
    project.commit(
        "EU: a longer notice, from February",
        {
            "policies/clauses/eu-only.md": EU_ONLY_MD.replace("EU only.", "EU only, longer."),
            "policies/change.yml": change_yml("EU notice.", "2026-02-01"),
        },
        date="2026-01-03T12:00:00+00:00",
    )
    project.write({"policies/jurisdictions.yml": JURISDICTIONS_YML + CALIFORNIA})
    assert _about_the_announcement(project, "2026-01-05") == []


@pytest.mark.parametrize("withdrawal", ["2026-01-03", "2026-02-01"])
def test_a_region_added_after_the_announced_change_was_withdrawn_is_not_held_back(
    make_project, withdrawal
):
    """The full name, announced for 2026-02-01, is withdrawn the next day as docs/authoring.md
    says ("Moving an announced change": the old text again, with a note dated that day or the
    announced day): us-ca, added then, publishes the text in force, from the day it is added.
    The check kept the withdrawn announcement (every note stays in the history) and refused
    it."""
    from histories import announce_full_name, withdraw_full_name

    project = make_project()
    announce_full_name(project, "2026-02-01")
    withdraw_full_name(project, "The full name is withdrawn.", withdrawal)
    project.write({"policies/jurisdictions.yml": JURISDICTIONS_YML + CALIFORNIA})
    assert _about_the_announcement(project, "2026-01-05") == []
    project.commit("California", date="2026-01-05T12:00:00+00:00")
    assert project.policy("build", "--no-cache", env=at_noon("2026-01-10")).returncode == 0
    record = json.loads(project.read("site/us-ca/en/versions.json"))
    assert [(v["summary"], v["in_force_from"]) for v in record["versions"]] == [
        ("California.", "2026-01-05")
    ]
    page = project.read("site/us-ca/en/index.html")
    assert "your name;" in page
    assert "full name" not in page


def test_a_change_withdrawn_from_a_translation_that_had_it_holds_no_region_back(make_project):
    """German translated the announced change (its catalog lost the old text's entry) before the
    change was withdrawn: German too reads as before, and us-ca, added in both languages, is not
    held back."""
    from histories import (
        GERMAN,
        GERMAN_FULL_NAME,
        WITH_GERMAN,
        announce_full_name,
        po,
        withdraw_full_name,
    )

    catalog = "locales/de/LC_MESSAGES/policy.po"
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, catalog: po(GERMAN)})
    announce_full_name(project, "2026-02-01", GERMAN_FULL_NAME)
    withdraw_full_name(project, "The full name is withdrawn.", "2026-01-03")
    california = CALIFORNIA.replace("[en]", "[en, de]")
    project.write({"policies/jurisdictions.yml": WITH_GERMAN + california})
    assert _about_the_announcement(project, "2026-01-05") == []


def test_a_change_announced_again_after_its_withdrawal_still_holds_a_region_back(make_project):
    """Withdrawn, then announced again for the same day: the change is announced, and us-ca,
    added meanwhile, would publish it from the day it is added."""
    from histories import announce_full_name, withdraw_full_name

    project = make_project()
    announce_full_name(project, "2026-02-01")
    withdraw_full_name(project, "The full name is withdrawn.", "2026-01-03")
    project.commit(
        "Full name again",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name, after all.", "2026-02-01"),
        },
    )
    project.write({"policies/jurisdictions.yml": JURISDICTIONS_YML + CALIFORNIA})
    assert [p.split(": ", 1)[0] for p in _about_the_announcement(project, "2026-01-05")] == [
        "policies/change.yml:3"
    ]


def test_a_region_added_with_no_change_announced_is_not_held_back(make_project):
    """us-ca added after the announced change took effect: nothing to say."""
    from histories import announce_full_name

    project = make_project()
    announce_full_name(project, "2026-01-02")
    project.write({"policies/jurisdictions.yml": JURISDICTIONS_YML + CALIFORNIA})
    assert _about_the_announcement(project, "2026-01-05") == []


ONLINE_WHO_MD = WHO_MD.replace("runs this shop", "runs this online shop")
"""who-we-are (a clause us-ca has) reworded."""


def _two_changes_for_one_day(make_project, standing: dict[str, str]) -> Project:
    """The full name and the change of `standing` (files) are announced for 2026-02-01; the full
    name is withdrawn (its text put back) on 2026-01-04; us-ca is listed in the working tree."""
    from histories import announce_full_name, withdraw_full_name

    project = make_project({"policies/clauses/eu-only.md": EU_ONLY_MD})
    announce_full_name(project, "2026-02-01")
    project.commit(
        "Another change, the same day",
        {**standing, "policies/change.yml": change_yml("Another change.", "2026-02-01")},
    )
    withdraw_full_name(project, "The full name is withdrawn.", "2026-02-01")
    project.write({"policies/jurisdictions.yml": JURISDICTIONS_YML + CALIFORNIA})
    return project


def test_a_change_withdrawn_beside_one_standing_for_its_day_holds_no_region_back(make_project):
    """Two changes announced for 2026-02-01: the full name (data.md, which us-ca has), withdrawn
    since, and a longer EU notice (a clause only the EU has), which stands. Neither changes what
    us-ca reads: the check judged withdrawal by the day (the EU's change of that day stands, so
    'the change of that day' was not withdrawn) and refused us-ca."""
    standing = {"policies/clauses/eu-only.md": EU_ONLY_MD.replace("EU only.", "EU only, longer.")}
    project = _two_changes_for_one_day(make_project, standing)
    assert _about_the_announcement(project, "2026-01-05") == []


def test_a_change_standing_beside_one_withdrawn_for_its_day_holds_a_region_back(make_project):
    """The same, but the change that stands rewords who-we-are, which us-ca has: refused."""
    project = _two_changes_for_one_day(make_project, {"policies/clauses/who.md": ONLINE_WHO_MD})
    assert [p.split(": ", 1)[0] for p in _about_the_announcement(project, "2026-01-05")] == [
        "policies/change.yml:3"
    ]
    assert _about_the_announcement(project, "2026-02-01") == []


def test_a_changed_clause_moved_by_the_commit_adding_a_region_still_holds_it_back(make_project):
    """The full name is announced for 2026-02-01 in data.md; the commit that adds us-ca also
    moves data.md to collect.md. The check matched the files changed since the announcement
    with the region's files by path, found none, and let us-ca publish the full name from
    2026-01-05: it follows the clause by its id."""
    from histories import announce_full_name

    project = make_project()
    announce_full_name(project, "2026-02-01")
    project.git("mv", "policies/clauses/data.md", "policies/clauses/collect.md")
    project.write({"policies/jurisdictions.yml": JURISDICTIONS_YML + CALIFORNIA})
    assert [p.split(": ", 1)[0] for p in _about_the_announcement(project, "2026-01-05")] == [
        "policies/change.yml:3"
    ]


def test_a_clause_moved_while_a_change_is_announced_is_no_change_of_it(make_project):
    """A longer EU notice is announced for 2026-02-01; who.md is then renamed about.md, its text
    as it was. us-ca, added, reads no announced text: the check took the move for a change of
    a file us-ca has, and refused it."""
    project = make_project({"policies/clauses/eu-only.md": EU_ONLY_MD})
    project.commit(
        "EU: a longer notice, from February",
        {
            "policies/clauses/eu-only.md": EU_ONLY_MD.replace("EU only.", "EU only, longer."),
            "policies/change.yml": change_yml("EU notice.", "2026-02-01"),
        },
    )
    project.git("mv", "policies/clauses/who.md", "policies/clauses/about.md")
    project.commit("who.md is about.md")
    project.write({"policies/jurisdictions.yml": JURISDICTIONS_YML + CALIFORNIA})
    assert _about_the_announcement(project, "2026-01-05") == []


@pytest.mark.parametrize("mode", ["replace", "extend"])
def test_a_region_whose_own_variant_replaces_an_announced_change_is_not_held_back(
    make_project, mode
):
    """us-ca comes with its own variant of data-we-collect, whose text the full name, announced
    for 2026-02-01, changes: a variant that replaces it shows none of the announced text, so
    nothing holds us-ca back (the check refused it: data.md is a file its text comes from); one
    that extends it still shows it."""
    from histories import announce_full_name

    project = make_project()
    announce_full_name(project, "2026-02-01")
    variant = (
        f"---\nvariant_of: data-we-collect\njurisdiction: us-ca\nmode: {mode}\n---\n"
        "What we collect in California.\n"
    )
    project.write(
        {
            "policies/jurisdictions.yml": JURISDICTIONS_YML + CALIFORNIA,
            "policies/clauses/data-us-ca.md": variant,
        }
    )
    found = [p.split(": ", 1)[0] for p in _about_the_announcement(project, "2026-01-05")]
    assert found == ([] if mode == "replace" else ["policies/change.yml:3"])


def test_a_clause_removed_by_an_announced_change_holds_a_region_back(make_project):
    """who-we-are is removed from 2026-02-01: us-ca, added on 2026-01-05 without it, would
    publish the removal from that day. The check looked for the region's files among those
    changed, and a removed clause is no file of the region any more."""
    project = make_project()
    project.commit(
        "No 'Who we are' from February",
        {
            "policies/clauses/who.md": None,
            "policies/change.yml": change_yml("Shorter.", "2026-02-01"),
        },
    )
    project.write({"policies/jurisdictions.yml": JURISDICTIONS_YML + CALIFORNIA})
    assert [p.split(": ", 1)[0] for p in _about_the_announcement(project, "2026-01-05")] == [
        "policies/change.yml:3"
    ]


EU_REP_MD = (
    "---\nid: eu-rep\ntitle: Our representative\norder: 90\njurisdictions: [eu]\n---\n"
    "Our representative in the EU: {{ contact.eu_rep }}.\n"
)
"""A clause only the EU has, reading a variable no other clause reads."""


@pytest.mark.parametrize("reads", ["its own", "the announced"])
def test_a_region_is_held_back_by_an_announced_variable_only_if_its_text_reads_it(
    make_project, reads
):
    """A new EU representative (site.yml's contact.eu_rep, which only an EU clause reads) is
    announced for 2026-02-01; us-ca comes on 2026-01-05 with a variant reading a variable of its
    own, added to site.yml by the same commit. The check undid the announcement with site.yml's
    variables as they were before it, all of them: the variant's own variable was then undefined,
    us-ca's text read otherwise, and us-ca was refused although no announced value reaches it. A variant reading the announced
    value is still refused."""
    site = SITE_YML + "    eu_rep: Rep One\n"
    project = make_project({"policies/site.yml": site, "policies/clauses/eu-rep.md": EU_REP_MD})
    project.commit(
        "A new EU representative from February",
        {
            "policies/site.yml": site.replace("Rep One", "Rep Two"),
            "policies/change.yml": change_yml("New EU representative.", "2026-02-01"),
        },
    )
    name = "ca_agent" if reads == "its own" else "eu_rep"
    variant = (
        "---\nvariant_of: who-we-are\njurisdiction: us-ca\nmode: extend\n---\n"
        f"Our agent in California: {{{{ contact.{name} }}}}.\n"
    )
    project.write(
        {
            "policies/jurisdictions.yml": JURISDICTIONS_YML + CALIFORNIA,
            "policies/clauses/who-us-ca.md": variant,
            "policies/site.yml": site.replace("Rep One", "Rep Two") + "    ca_agent: Jane Roe\n",
        }
    )
    found = [p.split(": ", 1)[0] for p in _about_the_announcement(project, "2026-01-05")]
    assert found == ([] if reads == "its own" else ["policies/change.yml:3"])


EMPTY_DPO = (
    "policies/site.yml:{line}: the value of 'contact.dpo' is empty (or only spaces), and a text "
    "uses it: the page would show nothing where it goes, and coverage would count its clause's "
    "disclosures as given. Write the value, or take {{{{ contact.dpo }}}} out of the texts that "
    "use it. [variable.empty]"
)


@pytest.mark.parametrize("value", ['""', "' '", "''"])
def test_an_empty_value_a_text_uses_is_refused_at_its_line(make_project, value):
    """'Write to our data protection officer at ' was published, with nothing after it."""
    project = make_project(
        {
            "policies/site.yml": BASE_FILES["policies/site.yml"] + f"    dpo: {value}\n",
            "policies/clauses/who.md": WHO_MD.replace(
                "{{ contact.email }}.", "{{ contact.email }}, our DPO at {{ contact.dpo }}"
            ),
        }
    )
    result = project.policy("check")
    assert result.returncode == 1
    assert problems_of(result) == [EMPTY_DPO.format(line=8)]


def test_an_empty_value_beginning_a_paragraph_is_said_empty_not_structure(make_project):
    project = make_project(
        {
            "policies/site.yml": BASE_FILES["policies/site.yml"] + '    dpo: ""\n',
            "policies/clauses/who.md": WHO_MD + "\n{{ contact.dpo }} is our DPO.\n",
        }
    )
    assert problems_of(project.policy("check")) == [EMPTY_DPO.format(line=8)]


def test_an_empty_value_no_text_uses_is_no_problem(make_project):
    project = make_project({"policies/site.yml": BASE_FILES["policies/site.yml"] + '    dpo: ""\n'})
    result = project.policy("check")
    assert result.returncode == 0, result.stderr
    assert problems_of(result) == []
