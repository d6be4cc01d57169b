"""`policy check --format json|github`: the same problems, for programs and for GitHub Actions."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import Project
from coverage_files import COVERED_FILES

from generator.check import CheckResult
from generator.check_formats import SCHEMA_FILE, render_github
from generator.errors import Problem, Severity

GERMAN_PO = """\
msgid ""
msgstr ""
"Language: de\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgctxt "site.title"
msgid "Privacy policy"
msgstr "Datenschutzerklärung"

msgctxt "jurisdiction"
msgid "Worldwide"
msgstr "Weltweit"

msgctxt "jurisdiction"
msgid "European Union"
msgstr "Europäische Union"

msgctxt "change"
msgid "First version."
msgstr "Erste Fassung."

msgctxt "who-we-are"
msgid "Who we are"
msgstr "Wer wir sind"
"""

BILINGUAL = {
    **COVERED_FILES,
    "policies/jurisdictions.yml": COVERED_FILES["policies/jurisdictions.yml"].replace(
        "languages: [en]\n  disclosures: [baseline]",
        "languages: [en, de]\n  disclosures: [baseline]",
    ),
    "locales/de/LC_MESSAGES/policy.po": GERMAN_PO,
}

MISSING_RETENTION = (
    "the eu policy does not cover 'retention' (Retention period): gdpr requires it (GDPR Art. "
    "13(2)(a)). Add the topic to the 'topics' of the clause that gives this information, or "
    "write one."
)
UNTRANSLATED = (
    "7 messages of the global policy are not translated into de; until they are, the document "
    "stays on its last complete version, or unpublished if it has none. Run 'policy i18n "
    "update', then translate what is missing."
)

UNTRANSLATED_DISCLOSURES = (
    "the global policy is not completely translated into de, and the clauses that give 2 "
    "required disclosures of it have messages not translated yet: 'controller-identity' "
    "(baseline) in who-we-are; 'categories-collected' (baseline) in data-we-collect. Until they "
    "are translated, de shoppers read the last complete de version (if there is one), which may "
    "not give them: the coverage check reads the en text. Translate those messages ('policy "
    "i18n status' shows them)."
)


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture
def broken(make_project) -> Project:
    """A bilingual project whose German catalog lags and whose EU policy lacks a topic."""
    project = make_project({**BILINGUAL, "policies/clauses/retention.md": None})
    return project


def test_check_json_matches_its_schema_and_reports_everything(broken):
    result = broken.policy("check", "--format", "json")
    assert result.returncode == 1
    assert result.stderr == "1 error, 2 warnings\n"
    report = json.loads(result.stdout)
    validator().validate(report)
    assert report["ok"] is False
    assert report["counts"] == {"errors": 1, "warnings": 2}
    assert report["problems"] == [
        {
            "path": "locales/de/LC_MESSAGES/policy.po",
            "line": None,
            "code": "translation.missing",
            "severity": "warning",
            "message": UNTRANSLATED,
            "text": f"locales/de/LC_MESSAGES/policy.po: {UNTRANSLATED} [translation.missing]",
        },
        {
            "path": "policies/jurisdictions.yml",
            "line": 1,
            "code": "coverage.untranslated",
            "severity": "warning",
            "message": UNTRANSLATED_DISCLOSURES,
            "text": f"policies/jurisdictions.yml:1: {UNTRANSLATED_DISCLOSURES} "
            "[coverage.untranslated]",
        },
        {
            "path": "policies/jurisdictions.yml",
            "line": 5,
            "code": "coverage.missing",
            "severity": "error",
            "message": MISSING_RETENTION,
            "text": f"policies/jurisdictions.yml:5: {MISSING_RETENTION} [coverage.missing]",
        },
    ]
    assert report["translations"] == [
        {
            "jurisdiction": "global",
            "language": "de",
            "translated": 1,
            "fuzzy": 0,
            "missing": 7,
            "complete": False,
        }
    ]
    eu = report["coverage"]["jurisdictions"][1]
    assert (eu["jurisdiction"], eu["lists"]) == ("eu", ["baseline", "gdpr"])
    assert [(t["topic"], t["requirement"], t["status"], t["covered_by"]) for t in eu["topics"]] == [
        ("controller-identity", "required", "covered", ["who-we-are"]),
        ("categories-collected", "required", "covered", ["data-we-collect"]),
        ("retention", "required", "missing", []),
        ("international-transfers", "conditional", "covered", ["transfers"]),
        ("joint-controllers", "conditional", "not-required", []),
    ]
    assert eu["topics"][2]["sources"] == [
        {
            "list": "gdpr",
            "cite": "GDPR Art. 13(2)(a)",
            "conditional": False,
            "unverified": False,
            "note": "Storage period or the criteria used to determine it.",
        }
    ]
    assert report["coverage"]["conditions"][0] == {
        "id": "has-joint-controllers",
        "declared": False,
        "applies_when": "we decide purposes and means jointly with another company.",
        "requires": {"gdpr": ["joint-controllers"]},
    }


def test_check_json_schema_rejects_a_wrong_shape(broken):
    report = json.loads(broken.policy("check", "--format", "json").stdout)
    report["coverage"]["jurisdictions"][0]["topics"][0]["status"] = "partly"
    error = jsonschema.exceptions.best_match(validator().iter_errors(report))
    assert error is not None
    assert error.message.startswith("'partly' is not one of")
    del report["translations"]
    with pytest.raises(jsonschema.ValidationError, match="'translations' is a required property"):
        validator().validate(report)


def test_check_json_of_the_shipped_policy_matches_its_schema():
    from conftest import ROOT

    from generator.check import check_files
    from generator.check_formats import render_json
    from generator.history import read_folder

    report = json.loads(render_json(check_files(read_folder(ROOT)), strict=True))
    validator().validate(report)
    assert report["ok"] is True
    assert len(report["coverage"]["jurisdictions"]) == 5


def test_check_strict_fails_on_warnings_and_says_so_in_json(make_project):
    project = make_project({**BILINGUAL})
    plain = project.policy("check", "--format", "json")
    assert plain.returncode == 0
    assert json.loads(plain.stdout)["ok"] is True
    strict = project.policy("check", "--format", "json", "--strict")
    assert strict.returncode == 1
    report = json.loads(strict.stdout)
    assert (report["ok"], report["strict"], report["counts"]) == (
        False,
        True,
        {"errors": 0, "warnings": 2},
    )


def test_check_github_writes_one_annotation_per_problem(broken):
    result = broken.policy("check", "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::warning file=locales/de/LC_MESSAGES/policy.po,title=[translation.missing]::"
        + UNTRANSLATED,
        "::warning file=policies/jurisdictions.yml,line=1,title=[coverage.untranslated]::"
        + UNTRANSLATED_DISCLOSURES,
        "::error file=policies/jurisdictions.yml,line=5,title=[coverage.missing]::"
        + MISSING_RETENTION,
    ]
    assert result.stderr == "1 error, 2 warnings\n"


def test_check_github_paths_are_relative_to_the_repository(project):
    files = {**COVERED_FILES, "policies/clauses/retention.md": None}
    from conftest import BASE_FILES

    project.commit(
        "Policy in a sub-folder", {f"shop/{k}": v for k, v in {**BASE_FILES, **files}.items()}
    )
    result = project.policy("check", "--project", "shop", "--format", "github")
    assert result.stdout.splitlines() == [
        "::error file=shop/policies/jurisdictions.yml,line=5,title=[coverage.missing]::"
        + MISSING_RETENTION,
    ]


def test_check_github_escapes_what_workflow_commands_reserve():
    problem = Problem(
        path="policies/a,b:c.md",
        line=3,
        code="clause.example",
        message="100% sure\nsecond line",
        severity=Severity.WARNING,
    )
    text = render_github(CheckResult(policy=None, problems=[problem]))
    assert text == (
        "::warning file=policies/a%2Cb%3Ac.md,line=3,title=[clause.example]::"
        "100%25 sure%0Asecond line\n"
    )


def test_check_human_writes_each_problem_on_one_line_whatever_its_text_holds(project):
    """A file name or a quoted value with a newline cannot make a line that reads as another
    problem: control characters are written as escapes."""
    project.write({"policies/clauses/a\nb.md": "no header\n", "policies/clauses/c\x1b.md": "x\n"})
    result = project.policy("check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert (
        "policies/clauses/a\\nb.md:1: a clause file must start with a '---' line" in result.stderr
    )
    assert "policies/clauses/c\\x1b.md:1:" in result.stderr
    assert all(line.startswith("policies/") for line in lines[:-1]), lines


def test_check_human_format_is_unchanged(broken):
    result = broken.policy("check")
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"locales/de/LC_MESSAGES/policy.po: {UNTRANSLATED} [translation.missing]",
        f"policies/jurisdictions.yml:1: {UNTRANSLATED_DISCLOSURES} [coverage.untranslated]",
        f"policies/jurisdictions.yml:5: {MISSING_RETENTION} [coverage.missing]",
        "1 error, 2 warnings",
    ]


UNKNOWN_BASE = (
    "--base origin/main is not a revision of this repository. Fetch it (in CI, check out "
    "with fetch-depth: 0) or name another revision."
)


def test_check_unknown_base_revision_is_an_error(make_project):
    project = make_project()
    result = project.policy("check", "--base", "origin/main")
    assert result.returncode == 1
    assert result.stderr == f"{UNKNOWN_BASE} [git.unknown-revision]\n1 error, 0 warnings\n"


def test_a_check_that_cannot_start_still_reports_in_its_format(make_project):
    """A problem found before the sources are read (here, the base to compare with) is one more
    problem of the report: a reader of --format json gets its document, GitHub its annotation."""
    project = make_project()
    result = project.policy("check", "--base", "origin/main", "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    validator().validate(report)
    assert (report["ok"], report["counts"]) == (False, {"errors": 1, "warnings": 0})
    assert [(p["code"], p["message"]) for p in report["problems"]] == [
        ("git.unknown-revision", UNKNOWN_BASE)
    ]
    # So is a SOURCE_DATE_EPOCH that is no date.
    dated = project.policy("check", "--format", "json", env={"SOURCE_DATE_EPOCH": "abc"})
    assert dated.returncode == 1
    assert json.loads(dated.stdout)["counts"] == {"errors": 1, "warnings": 0}
    github = project.policy("check", "--base", "origin/main", "--format", "github")
    assert github.returncode == 1
    assert github.stdout == f"::error title=[git.unknown-revision]::{UNKNOWN_BASE}\n"
