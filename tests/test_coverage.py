"""`policy check` reports, per jurisdiction, the required disclosures no clause covers, with the
law that requires them; conditions in site.yml decide the conditional ones."""

from __future__ import annotations

import json

from conftest import BASE_FILES, NEW_YEAR, ROOT, SITE_YML, change_yml, problems_of
from coverage_files import CONDITIONS, COVERED_FILES, DISCLOSURES_YML, RETENTION_MD

from generator.coverage import read_disclosures
from generator.errors import Problems


def test_coverage_complete_policy_passes(make_project):
    project = make_project(COVERED_FILES)
    result = project.policy("check", "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "0 errors, 0 warnings\n"


def test_coverage_missing_unconditional_topic_names_topic_jurisdiction_and_citation(make_project):
    project = make_project({**COVERED_FILES, "policies/clauses/retention.md": None})
    result = project.policy("check")
    assert result.returncode == 1
    assert problems_of(result) == [
        "policies/jurisdictions.yml:5: the eu policy does not cover 'retention' (Retention "
        "period): gdpr requires it (GDPR Art. 13(2)(a)). Add the topic to the 'topics' of the "
        "clause that gives this information, or write one. [coverage.missing]",
    ]


def test_coverage_inherited_list_applies_to_extending_jurisdiction(make_project):
    project = make_project(COVERED_FILES)
    project.write(
        {
            "policies/clauses/data.md": BASE_FILES["policies/clauses/data.md"].replace(
                "topics: [categories-collected]", "topics: []"
            )
        }
    )
    result = project.policy("check")
    assert problems_of(result) == [
        "policies/jurisdictions.yml:1: the global policy does not cover 'categories-collected' "
        "(Categories of personal data): baseline requires it (OECD Guidelines para. 12). Add the "
        "topic to the 'topics' of the clause that gives this information, or write one. "
        "[coverage.missing]",
        "policies/jurisdictions.yml:5: the eu policy does not cover 'categories-collected' "
        "(Categories of personal data): baseline requires it (OECD Guidelines para. 12). Add the "
        "topic to the 'topics' of the clause that gives this information, or write one. "
        "[coverage.missing]",
    ]


def test_coverage_replace_variant_without_topics_loses_coverage(make_project):
    project = make_project(COVERED_FILES)
    project.write(
        {
            "policies/clauses/transfers-eu.md": """\
            ---
            variant_of: transfers
            jurisdiction: eu
            mode: replace
            ---
            We keep your data in the EU.
            """,
            "policies/change.yml": change_yml("We keep your data in the EU."),
        }
    )
    result = project.policy("check", env=NEW_YEAR)
    assert problems_of(result) == [
        "policies/jurisdictions.yml:5: the eu policy does not cover 'international-transfers' "
        "(International transfers): gdpr requires it (GDPR Art. 13(1)(f)), because site.yml "
        "declares transfers-data-abroad: true. Add the topic to the 'topics' of the clause that "
        "gives this information, write one, or set the condition to false in policies/site.yml "
        "if it is not true. [coverage.missing]",
    ]


def test_coverage_conditional_topic_not_required_when_condition_is_false(make_project):
    project = make_project(
        {
            **COVERED_FILES,
            "policies/clauses/transfers.md": None,
            "policies/site.yml": SITE_YML + CONDITIONS.replace("abroad: true", "abroad: false"),
        }
    )
    result = project.policy("check", "--strict")
    assert result.returncode == 0, result.stderr
    report = json.loads(project.policy("check", "--format", "json").stdout)
    eu = next(j for j in report["coverage"]["jurisdictions"] if j["jurisdiction"] == "eu")
    transfers = next(t for t in eu["topics"] if t["topic"] == "international-transfers")
    assert transfers["status"] == "not-required"
    assert transfers["conditions"] == {"transfers-data-abroad": False}


def test_coverage_undeclared_condition_warns_and_fails_only_strict(make_project):
    project = make_project(
        {
            **COVERED_FILES,
            "policies/site.yml": SITE_YML + "conditions:\n  transfers-data-abroad: true\n",
        }
    )
    result = project.policy("check")
    assert result.returncode == 0, result.stderr
    assert problems_of(result) == [
        "policies/site.yml:8: no clause of the eu policy covers 'joint-controllers' "
        "(Joint-controller arrangement; GDPR Art. 26(2)), which is required only under a "
        "condition that is not declared. Declare 'has-joint-controllers' (true if we decide "
        "purposes and means jointly with another company) under 'conditions:' in "
        "policies/site.yml, or cover the topic. [coverage.undeclared-condition]",
    ]
    assert result.stderr.endswith("0 errors, 1 warning\n")
    assert project.policy("check", "--strict").returncode == 1


def test_coverage_unknown_topic_in_clause_suggests_the_known_one(make_project):
    project = make_project(COVERED_FILES)
    project.write(
        {"policies/clauses/retention.md": RETENTION_MD.replace("[retention]", "[retension]")}
    )
    result = project.policy("check")
    assert problems_of(result)[0] == (
        "policies/clauses/retention.md:6: unknown topic 'retension'. Did you mean 'retention'? "
        "Use a topic id from policies/required-disclosures.yml. [clause.unknown-topic]"
    )


def test_coverage_unknown_topic_in_variant(make_project):
    project = make_project(COVERED_FILES)
    project.write(
        {
            "policies/clauses/who-eu.md": """\
            ---
            variant_of: who-we-are
            jurisdiction: eu
            mode: extend
            topics: [dpo-contact]
            ---
            Our data protection officer is at dpo@shop.example.
            """,
            "policies/change.yml": change_yml("We name our data protection officer."),
        }
    )
    result = project.policy("check", env=NEW_YEAR)
    assert problems_of(result) == [
        "policies/clauses/who-eu.md:5: unknown topic 'dpo-contact'. Use a topic id from "
        "policies/required-disclosures.yml. [variant.unknown-topic]",
    ]


def test_coverage_unknown_disclosure_list_in_jurisdictions(make_project):
    project = make_project(COVERED_FILES)
    project.write(
        {
            "policies/jurisdictions.yml": COVERED_FILES["policies/jurisdictions.yml"].replace(
                "[gdpr]", "[gdrp]"
            )
        }
    )
    result = project.policy("check")
    assert problems_of(result) == [
        "policies/jurisdictions.yml:9: jurisdiction 'eu' names unknown disclosure list 'gdrp'. "
        "Did you mean 'gdpr'? [jurisdiction.unknown-disclosures]",
    ]


def test_coverage_unknown_condition_in_site_yml(make_project):
    project = make_project(COVERED_FILES)
    project.write({"policies/site.yml": SITE_YML + CONDITIONS + "  transfers-abroad: true\n"})
    result = project.policy("check")
    assert problems_of(result) == [
        "policies/site.yml:11: unknown condition 'transfers-abroad'. Did you mean "
        "'transfers-data-abroad'? Conditions are defined under 'conditions:' in "
        "policies/required-disclosures.yml. [site.unknown-condition]",
    ]


def test_coverage_conditional_requirement_without_condition_is_an_error(make_project):
    data = DISCLOSURES_YML.replace(
        "  has-joint-controllers:\n"
        "    applies_when: we decide purposes and means jointly with another company.\n"
        "    requires:\n"
        "      gdpr: [joint-controllers]\n",
        "",
    )
    project = make_project(
        {
            **COVERED_FILES,
            "policies/required-disclosures.yml": data,
            "policies/site.yml": SITE_YML + "conditions:\n  transfers-data-abroad: true\n",
        }
    )
    result = project.policy("check")
    assert problems_of(result)[0] == (
        "policies/required-disclosures.yml:39: 'gdpr' requires 'joint-controllers' only under a "
        "condition, but no condition under 'conditions:' names it. Add it to the 'requires' of "
        "the condition that triggers it, or add a condition. [disclosures.unmapped-condition]"
    )
    # No warning asks to declare a condition that does not exist.
    assert not [line for line in problems_of(result) if "undeclared-condition" in line]


def test_coverage_condition_naming_an_unconditional_requirement_is_an_error(make_project):
    data = DISCLOSURES_YML.replace("gdpr: [international-transfers]", "gdpr: [retention]")
    project = make_project({**COVERED_FILES, "policies/required-disclosures.yml": data})
    result = project.policy("check")
    assert (
        "policies/required-disclosures.yml:47: condition 'transfers-data-abroad' names "
        "'retention' for 'gdpr', but 'gdpr' has no conditional requirement 'retention'. "
        "[disclosures.condition-topic]"
    ) in problems_of(result)


def test_coverage_lists_named_without_a_disclosures_file(make_project):
    project = make_project({**COVERED_FILES, "policies/required-disclosures.yml": None})
    result = project.policy("check")
    assert problems_of(result) == [
        "policies/required-disclosures.yml: jurisdictions.yml names disclosure lists but "
        "policies/required-disclosures.yml is missing. Add the legal team's required-disclosures "
        "data there (see docs/authoring.md). [file.missing]",
    ]


def test_coverage_shipped_policy_covers_every_jurisdiction():
    from generator.check import check_files
    from generator.coverage import Status
    from generator.history import read_folder

    result = check_files(read_folder(ROOT))
    assert [str(p) for p in result.problems] == []
    assert result.coverage is not None
    assert [jc.jurisdiction for jc in result.coverage.jurisdictions] == [
        "global",
        "eu",
        "us-ca",
        "cn",
        "br",
    ]
    not_required = {
        (jc.jurisdiction, tc.topic.id): dict(tc.conditions)
        for jc in result.coverage.jurisdictions
        for tc in jc.topics
        if tc.status is not Status.COVERED
    }
    assert not_required == {
        ("eu", "joint-controllers"): {"has-joint-controllers": False},
        ("us-ca", "opt-out-link"): {
            "sells-or-shares": False,
            "uses-sensitive-pi-for-other-purposes": False,
        },
        ("us-ca", "request-metrics"): {"handles-10-million-consumers": False},
    }


def test_the_documented_example_of_the_disclosures_file_reads_without_a_problem():
    """docs/authoring.md shows the format of required-disclosures.yml with every key: the example
    must be one the tool reads as documented."""
    docs = (ROOT / "docs/authoring.md").read_text(encoding="utf-8")
    section = docs[docs.index("### The format of `required-disclosures.yml`") :]
    example = section[section.index("```yaml\n") + 8 : section.index("\n```\n")]
    found = Problems()
    disclosures = read_disclosures(example.encode(), found)
    assert list(found) == []
    assert disclosures is not None
    (gdpr,) = disclosures.lists.values()
    assert [(r.topic, r.conditional, r.unverified) for r in gdpr.requirements] == [
        ("retention", False, False),
        ("representative", True, True),
    ]
    assert disclosures.conditions["established-outside-eu"].requires == {
        "eu-gdpr": ("representative",)
    }


GERMAN_EU = COVERED_FILES["policies/jurisdictions.yml"].replace(
    "extends: global\n  languages: [en]", "extends: global\n  languages: [en, de]"
)

COOKIES_MD = """\
---
id: cookies
title: Cookies
order: 50
jurisdictions: [eu]
---
We use cookies.
"""


def _german(make_project, untranslated: str, files=None, name: str = "project"):
    """The covered project with eu published in German too, every message translated but
    `untranslated`, committed."""
    from translating import GERMAN, translate

    project = make_project(
        {**COVERED_FILES, "policies/jurisdictions.yml": GERMAN_EU, **(files or {})}, name
    )
    assert project.policy("i18n", "update").returncode == 0
    sources = [
        "How long we keep your information",
        "We keep order records for six years.",
        "Transfers abroad",
        "Our servers are in Ireland.",
        "Cookies",
        "We use cookies.",
    ]
    table = {**GERMAN, **{s: "DE " + s for s in sources}}
    del table[untranslated]
    translate(project, "de", table)
    project.commit("Translate into German")
    return project


def test_coverage_untranslated_disclosure_warns_per_region_and_language(make_project):
    """German shoppers read the last complete German version, which may lack the retention
    clause: coverage, judged on the English text, would say nothing."""
    project = _german(make_project, "We keep order records for six years.")
    result = project.policy("check")
    assert result.returncode == 0, result.stderr
    assert problems_of(result)[-1] == (
        "policies/jurisdictions.yml:5: the eu policy is not completely translated into de, and "
        "the clauses that give 1 required disclosure of it have messages not translated yet: "
        "'retention' (gdpr) in retention. Until they are translated, de shoppers read the last "
        "complete de version (if there is one), which may not give it: the coverage check reads "
        "the en text. Translate those messages ('policy i18n status' shows them). "
        "[coverage.untranslated]"
    )
    assert [p.rsplit("[", 1)[1] for p in problems_of(result)] == [
        "translation.missing]",
        "coverage.untranslated]",
    ]


def test_coverage_untranslated_is_quiet_when_what_lacks_covers_nothing_required(make_project):
    project = _german(make_project, "We use cookies.", {"policies/clauses/cookies.md": COOKIES_MD})
    result = project.policy("check")
    assert [p.rsplit("[", 1)[1] for p in problems_of(result)] == ["translation.missing]"]


def test_coverage_untranslated_region_whose_first_language_is_not_the_source(make_project):
    """A region published in German only: the coverage check reads English it does not
    publish."""
    project = _german(
        make_project,
        "Our servers are in Ireland.",
        {"policies/jurisdictions.yml": GERMAN_EU.replace("[en, de]", "[de]")},
    )
    result = project.policy("check")
    assert "'international-transfers' (gdpr) in transfers" in problems_of(result)[-1]
    assert problems_of(result)[-1].endswith("[coverage.untranslated]")
    complete = _german(
        make_project,
        "We use cookies.",
        {"policies/jurisdictions.yml": GERMAN_EU.replace("[en, de]", "[de]")},
        "complete",
    )
    assert "[coverage.untranslated]" not in complete.policy("check").stderr


UK = """\
uk:
  name: United Kingdom
  languages: [en]
"""

UK_GDPR = """\
  uk-gdpr:
    name: UK GDPR
    required:
    - topic: retention
      cite: UK GDPR Art. 13(2)(a)
      conditional: false
"""


def test_coverage_a_jurisdiction_that_names_no_lists_is_a_warning(make_project):
    """Checked against nothing, it passed as if it missed nothing."""
    disclosures = DISCLOSURES_YML.replace("conditions:\n", UK_GDPR + "conditions:\n", 1)
    project = make_project(
        {
            **COVERED_FILES,
            "policies/required-disclosures.yml": disclosures,
            "policies/jurisdictions.yml": COVERED_FILES["policies/jurisdictions.yml"] + UK,
        }
    )
    result = project.policy("check")
    assert result.returncode == 0, result.stderr
    assert problems_of(result) == [
        "policies/jurisdictions.yml:10: the uk policy names no disclosure lists ('disclosures:', "
        "here or in a jurisdiction it extends), so the coverage check checks nothing for it. "
        "Name the lists its law requires under 'disclosures:', or extend a jurisdiction that "
        "names them. 'uk-gdpr' in policies/required-disclosures.yml is used by no jurisdiction. "
        "[coverage.no-lists]"
    ]
    report = project.policy("coverage").stdout
    assert "| United Kingdom (`uk`) | **none: no requirements** | - | - | - | - |" in report
    assert "No requirements: the jurisdiction names no disclosure lists" in report
    assert project.policy("coverage", "-o", "coverage.html").returncode == 0
    page = project.read("coverage.html")
    assert '<td class="missing"><strong>none: no requirements</strong></td>' in page


def test_coverage_a_jurisdiction_with_lists_only_through_extends_is_quiet(make_project):
    uk = UK + "  extends: eu\n"
    project = make_project(
        {
            **COVERED_FILES,
            "policies/jurisdictions.yml": COVERED_FILES["policies/jurisdictions.yml"] + uk,
        }
    )
    result = project.policy("check", "--strict")
    assert result.returncode == 0, result.stderr
    assert problems_of(result) == []
