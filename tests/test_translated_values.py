"""Variables written in words (a country, a place) are translated with the clauses they fill:
`translated_variables` in site.yml names them, the catalogs translate their values, and a text
that uses an untranslated value is not translated yet."""

from __future__ import annotations

import json

import pytest
from conftest import SITE_YML, change_yml, problems_of
from translating import GERMAN, catalog_file, translate

from generator.pofiles import messages, read_catalog

JURISDICTIONS = """\
global:
  name: Worldwide
  languages: [en, de]
"""

SITE = (
    SITE_YML.replace(
        "    name: Example Shop Ltd.\n",
        "    name: Example Shop Ltd.\n    country: the United Kingdom\n",
    )
    + "translated_variables: [company.country]\n"
)

WHERE_MD = """\
---
id: where-we-are
title: Where we are
order: 30
jurisdictions: [global]
---
We are based in {{ company.country }}.

Our staff work in {{ company.country }} too.
"""

BASED = "We are based in {{ company.country }}."
GERMAN_WHERE = {
    **GERMAN,
    "Where we are": "Wo wir sind",
    BASED: "Unser Sitz ist im {{ company.country }}.",
    "Our staff work in {{ company.country }} too.": (
        "Auch unser Personal arbeitet im {{ company.country }}."
    ),
}


@pytest.fixture
def project(make_project):
    """English and German, the clauses translated, the country not yet."""
    result = make_project(
        {
            "policies/site.yml": SITE,
            "policies/jurisdictions.yml": JURISDICTIONS,
            "policies/clauses/where.md": WHERE_MD,
        }
    )
    assert result.policy("i18n", "update").returncode == 0
    translate(result, "de", GERMAN_WHERE)
    result.commit("Translate into German")
    return result


def _page(project, language: str, number: int | None = None) -> str:
    where = f"v/{number}/" if number else ""
    return project.read(f"site/global/{language}/{where}index.html")


def _record(project, language: str) -> dict:
    return json.loads(project.read(f"site/global/{language}/versions.json"))


def test_the_template_asks_for_each_named_value_once(project):
    template = read_catalog(project.read("locales/policy.pot"))
    (found,) = [m for m in messages(template) if m.context == "variable.company.country"]
    assert found.id == "the United Kingdom"
    assert [path for path, _ in found.locations] == ["policies/site.yml"]
    assert "{{ company.country }}" in " ".join(found.auto_comments)


def test_a_text_using_an_untranslated_value_is_not_translated_yet(project):
    status = project.policy("i18n", "status")
    assert status.returncode == 0, status.stderr
    (row,) = [line.split() for line in status.stdout.splitlines() if line.startswith("de ")][:1]
    # Every message of the clauses is translated (9); the value, used twice, is one message.
    assert row == ["de", "global", "9", "0", "1", "lagging"], status.stdout
    assert project.policy("build").returncode == 0
    # The German document waits for its value, as for any message: nothing in German yet.
    assert _record(project, "en")["versions"][0]["number"] == 1
    assert not (project.root / "site/global/de/versions.json").exists()


def test_a_translated_value_fills_the_translation_and_only_it(project):
    translate(project, "de", {"the United Kingdom": "Vereinigten Königreich"})
    project.commit("Translate the country")
    assert project.policy("build").returncode == 0
    assert "Unser Sitz ist im Vereinigten Königreich." in _page(project, "de")
    assert "We are based in the United Kingdom." in _page(project, "en")
    assert "United Kingdom" not in _page(project, "de").split('class="md-content"')[1]


def test_a_changed_value_makes_its_translation_fuzzy_and_the_language_lag(project):
    translate(project, "de", {"the United Kingdom": "Vereinigten Königreich"})
    project.commit("Translate the country")
    project.write(
        {
            "policies/site.yml": SITE.replace("the United Kingdom", "Ireland"),
            "policies/change.yml": change_yml("We moved to Ireland.", effective="2026-01-03"),
        }
    )
    assert project.policy("i18n", "update").returncode == 0
    catalog = read_catalog(project.read(catalog_file("de")))
    (value,) = [m for m in messages(catalog) if m.context == "variable.company.country"]
    assert (value.id, value.string, value.fuzzy) == ("Ireland", "Vereinigten Königreich", True)
    project.commit("Move to Ireland")
    assert project.policy("build").returncode == 0
    # German keeps its last complete version, which says where the shop was, and says so.
    assert [v["number"] for v in _record(project, "de")["versions"]] == [1]
    assert _record(project, "de")["translation_lag"] is not None
    translate(project, "de", {"Ireland": "Irland", "We moved to Ireland.": "Wir sind umgezogen."})
    project.commit("Translate the move")
    assert project.policy("build").returncode == 0
    # Irland takes no article: the translator also rewrites the sentence that uses it.
    assert "Unser Sitz ist im Irland." in _page(project, "de")
    assert [v["number"] for v in _record(project, "de")["versions"]] == [1, 2]
    assert "Unser Sitz ist im Vereinigten Königreich." in _page(project, "de", 1)


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        (
            "[company.contry]",
            "policies/site.yml:10: 'company.contry' is not a variable under 'variables'. Did you "
            "mean 'company.country'? [site.translated-variables]",
        ),
        (
            "[company]",
            "policies/site.yml:10: 'company' is a group of variables. Name one of them "
            "(company.country, company.founded, company.name). [site.translated-variables]",
        ),
        (
            "company.country",
            "policies/site.yml:10: 'translated_variables' must be a list of variable names, such "
            "as [company.country]. [site.translated-variables]",
        ),
        (
            "[company.founded]",
            "policies/site.yml:10: 'company.founded' is a number, not words: only a text value is "
            "translated. Take it out of 'translated_variables'. [site.translated-variables]",
        ),
    ],
)
def test_a_wrong_name_is_an_error_at_its_line(make_project, listed: str, expected: str):
    site = SITE.replace("    country:", "    founded: 1999\n    country:").replace(
        "translated_variables: [company.country]", f"translated_variables: {listed}"
    )
    project = make_project({"policies/site.yml": site})
    assert expected in problems_of(project.policy("check"))


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (
            "javascript:alert(1)",
            "the value is an address (https://shop.example/privacy/request), and its translation "
            "must be one too: https:, http: or mailto:. Translate it as the address of the page "
            "in your language, or as the same address. [markdown.unsafe-link]",
        ),
        (
            "{% if true %}x{% endif %}",
            "a variable's value cannot use variables or template statements ('{{', '{%'): it is "
            "inserted as it is. Write the value out. [site.variable-template]",
        ),
    ],
)
def test_a_translated_value_is_checked_as_site_yml_values_are(make_project, value, said):
    site = SITE.replace(
        "    email: privacy@shop.example\n",
        "    email: privacy@shop.example\n    web_form: https://shop.example/privacy/request\n",
    ).replace("[company.country]", "[company.country, contact.web_form]")
    where = WHERE_MD.replace(" too.", " too. Use [our form]({{ contact.web_form }}).")
    project = make_project(
        {
            "policies/site.yml": site,
            "policies/jurisdictions.yml": JURISDICTIONS,
            "policies/clauses/where.md": where,
        }
    )
    assert project.policy("i18n", "update").returncode == 0
    translate(project, "de", {"https://shop.example/privacy/request": value})
    catalog = read_catalog(project.read(catalog_file("de")))
    (entry,) = [m for m in messages(catalog) if m.context == "variable.contact.web_form"]
    result = project.policy("check")
    assert result.returncode == 1
    assert f"{catalog_file('de')}:{entry.lineno}: {said}" in problems_of(result)
