"""`policy build` publishes the composed policy as a real MkDocs + Material site."""

from __future__ import annotations

import datetime as dt
import json
import re

from conftest import BASE_FILES, SITE_YML, change_yml
from histories import GERMAN, GERMAN_FULL_NAME, WITH_GERMAN, announce_full_name, po

DE_PO = "locales/de/LC_MESSAGES/policy.po"

EU_VARIANT = """\
---
variant_of: who-we-are
jurisdiction: eu
mode: extend
topics: [dpo-contact]
---
Under the GDPR, {{ company.name }} is the controller.
"""


def test_build_publishes_each_document_with_linkable_clauses(make_project):
    project = make_project({"policies/clauses/who-eu.md": EU_VARIANT})
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    assert "Built 2 documents, 2 versions" in result.stderr
    page = project.read("site/eu/en/index.html")
    assert '<html lang="en"' in page
    assert '<h2 id="who-we-are">Who we are' in page
    assert '<h2 id="data-we-collect">The information we collect' in page
    assert "Example Shop Ltd. runs this shop." in page
    assert "Under the GDPR, Example Shop Ltd. is the controller." in page
    assert '<time datetime="2026-01-01">January 1, 2026</time>' in page
    assert "md-banner" not in page  # the preview's banner, never in a publication
    world = project.read("site/global/en/index.html")
    assert "Under the GDPR" not in world
    chooser = project.read("site/index.html")
    assert 'href="eu/en/"' in chooser and 'href="global/en/"' in chooser


def test_build_replace_variant_wins_over_inherited_text(make_project):
    project = make_project(
        {
            "policies/clauses/who-eu.md": EU_VARIANT.replace("mode: extend", "mode: replace"),
        }
    )
    assert project.policy("build").returncode == 0
    page = project.read("site/eu/en/index.html")
    assert "Under the GDPR, Example Shop Ltd. is the controller." in page
    assert "runs this shop" not in page


def test_build_replace_variant_without_text_takes_the_clause_out(make_project):
    project = make_project(
        {
            "policies/clauses/who-eu.md": EU_VARIANT.replace("mode: extend", "mode: replace")
            .replace("topics: [dpo-contact]\n", "")
            .replace("Under the GDPR, {{ company.name }} is the controller.\n", ""),
        }
    )
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    assert 'id="who-we-are"' not in project.read("site/eu/en/index.html")
    assert 'id="who-we-are"' in project.read("site/global/en/index.html")


def test_build_most_specific_variant_applies_last(make_project):
    project = make_project(
        {
            "policies/jurisdictions.yml": """\
            global:
              name: Worldwide
              languages: [en]
            eu:
              name: European Union
              extends: global
              languages: [en]
            de:
              name: Germany
              extends: eu
              languages: [en]
            """,
            "policies/clauses/who-eu.md": EU_VARIANT.replace("mode: extend", "mode: replace"),
            "policies/clauses/who-de.md": EU_VARIANT.replace(
                "jurisdiction: eu", "jurisdiction: de"
            ).replace("Under the GDPR", "Under the GDPR and the BDSG"),
        }
    )
    assert project.policy("build").returncode == 0
    germany = project.read("site/de/en/index.html")
    text = re.sub(r"<[^>]+>", "", germany)
    assert text.index("Under the GDPR, Example") < text.index("Under the GDPR and the BDSG")


def test_build_writes_no_git_identity_and_no_other_hosts(make_project):
    project = make_project()
    project.commit(
        "Second",
        {
            "policies/clauses/data.md": BASE_FILES["policies/clauses/data.md"].replace(
                "name;", "full name;"
            ),
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
        },
    )
    assert project.policy("build").returncode == 0
    for path in (project.root / "site").rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json"}:
            text = path.read_text(encoding="utf-8")
            assert "Test Author" not in text and "people.example" not in text, path
            assert "fonts.googleapis.com" not in text, path


def test_a_mkdocs_yml_that_forgets_the_fonts_still_asks_no_other_host(make_project):
    """Material's default is to load web fonts from Google: a shop's mkdocs.yml that leaves out
    `font: false` does not make every shopper's browser call Google."""
    project = make_project()
    mkdocs_yml = project.read("mkdocs.yml")
    project.write({"mkdocs.yml": re.sub(r"\n  font: false[^\n]*", "", mkdocs_yml)})
    assert "font" not in project.read("mkdocs.yml")
    assert project.policy("build").returncode == 0
    page = project.read("site/eu/en/index.html")
    assert "fonts.googleapis.com" not in page and "fonts.gstatic.com" not in page


def test_a_theme_other_than_material_is_refused_by_name(make_project):
    project = make_project()
    project.write(
        {"mkdocs.yml": project.read("mkdocs.yml").replace("name: material", "name: mkdocs")}
    )
    result = project.policy("build")
    assert result.returncode == 1
    assert result.stderr.strip().endswith(
        "mkdocs.yml: the site is built on the Material for MkDocs theme, not 'mkdocs'. Set "
        "'theme: name: material' (see docs/operating.md). [mkdocs.theme]"
    )
    assert "Traceback" not in result.stderr and not (project.root / "site").exists()


def test_build_failure_leaves_previous_site_untouched(make_project):
    project = make_project()
    assert project.policy("build").returncode == 0
    before = {p: p.read_bytes() for p in (project.root / "site").rglob("*") if p.is_file()}
    project.commit("Broken", {"policies/jurisdictions.yml": "global: [\n"})
    result = project.policy("build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "policies/jurisdictions.yml:2: YAML syntax error" in result.stderr
    after = {p: p.read_bytes() for p in (project.root / "site").rglob("*") if p.is_file()}
    assert after == before


def test_build_version_record_hash_matches_published_document(make_project):
    import hashlib

    project = make_project()
    assert project.policy("build").returncode == 0
    record = json.loads(project.read("site/eu/en/versions.json"))
    version = record["versions"][0]
    document = (project.root / "site" / version["document_url"]).read_bytes()
    assert version["hash"] == "sha256:" + hashlib.sha256(document).hexdigest()


def test_archive_says_until_when_each_version_applied(make_project):
    """The archive's "in force until" column is the last day each version applied, as a reader
    counts it: the day before the record's `in_force_until`, the next version's first day."""
    project = make_project()
    data = BASE_FILES["policies/clauses/data.md"]
    for number, (effective, text) in enumerate(
        [("2026-02-01", "your full name;"), ("2026-03-15", "your legal name;")], start=2
    ):
        project.commit(
            f"Version {number}",
            {
                "policies/clauses/data.md": data.replace("your name;", text),
                "policies/change.yml": change_yml(f"Change {number}.", effective),
            },
        )
    assert project.policy("build").returncode == 0
    record = json.loads(project.read("site/eu/en/versions.json"))
    expected = [
        (str(v["number"]), v["in_force_from"], _day_before(v["in_force_until"]) or "–")
        for v in reversed(record["versions"])
    ]
    archive = project.read("site/eu/en/v/index.html")
    rows = re.findall(
        r'<th scope="row"[^>]*><a href="(\d+)/">.*?</th>\s*<td[^>]*><time datetime="([\d-]+)">'
        r'.*?</td>\s*<td[^>]*>(?:<time datetime="([\d-]+)">.*?</time>|(–))</td>',
        archive,
        re.S,
    )
    assert [(n, start, until or none) for n, start, until, none in rows] == expected
    assert [until for _, _, until in expected] == ["–", "2026-03-14", "2026-01-31"]
    assert "January 31, 2026" in archive


def _day_before(day: str | None) -> str | None:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat() if day else None


def test_a_version_keeps_the_title_and_region_name_it_was_published_with(make_project):
    """Neither is in the hash, yet a copy of a version shows them: a version's pages keep them
    as they read when it was published, in the language they were written in then (the German
    version 1 had the English title, untranslated), while the policy in force takes the new."""
    files = {
        "policies/site.yml": SITE_YML.replace("Privacy policy", "Privacy notice"),
        "policies/jurisdictions.yml": WITH_GERMAN,
        "locales/de/LC_MESSAGES/policy.po": po(GERMAN),
    }
    project = make_project(files)
    announce_full_name(project, "2026-01-02", GERMAN_FULL_NAME)
    project.commit(
        "Rename the policy and the EU, and translate both names",
        {
            "policies/site.yml": SITE_YML.replace("Privacy policy", "Customer privacy notice"),
            "policies/jurisdictions.yml": WITH_GERMAN.replace(
                "European Union", "European Union and EEA"
            ),
            "locales/de/LC_MESSAGES/policy.po": po(
                {
                    **GERMAN_FULL_NAME,
                    ("site.title", "Customer privacy notice"): "Datenschutzhinweis für Kunden",
                    ("jurisdiction", "European Union and EEA"): "Europäische Union und EWR",
                    ("change", "Full name."): "Vollständiger Name.",
                }
            ),
        },
    )
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    record = json.loads(project.read("site/eu/de/versions.json"))
    assert len(record["versions"]) == 2  # the names made no version

    def heading(page: str) -> tuple[str, str]:
        html = project.read(f"site/{page}index.html")
        return (
            re.search(r'<h1 id="_title">(.*?)</h1>', html, re.S)[1],
            # The site's name follows on its versions' pages, as the site is named now.
            re.search(r"<title>(.*?)(?: - [^<]*)?</title>", html)[1],
        )

    then = '<span class="policy-jurisdiction">European Union</span>'
    assert heading("eu/en/v/1/") == (
        f"Privacy notice {then}",
        "Version 1 · Privacy notice · European Union",
    )
    assert heading("eu/en/changes/2/")[1] == (
        "What changed in version 2 · Privacy notice · European Union"
    )
    assert heading("eu/en/") == (
        'Customer privacy notice <span class="policy-jurisdiction">European Union and EEA</span>',
        "Customer privacy notice · European Union and EEA",
    )
    english = ' lang="en" dir="ltr"'
    assert heading("eu/de/v/1/") == (
        f'<span{english}>Privacy notice</span> <span class="policy-jurisdiction"{english}>'
        "European Union</span>",
        "Version 1 · Privacy notice · European Union",
    )
    assert heading("eu/de/")[0] == (
        'Datenschutzhinweis für Kunden <span class="policy-jurisdiction">Europäische Union und '
        "EWR</span>"
    )


def test_a_retired_document_stays_published_and_says_since_when(make_project):
    project = make_project()
    project.commit(
        "No separate EU policy",
        {
            "policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en]\n",
        },
    )
    # No policy text changed: the change note stays as it was, and nothing is to be fixed.
    check = project.policy("check")
    assert (check.returncode, check.stderr.splitlines()[-1]) == (0, "0 errors, 0 warnings")
    assert project.policy("build").returncode == 0
    notice = (
        'This document has not been maintained since <time datetime="2026-01-02">January 2, 2026'
        "</time>."
    )
    for page in ("eu/en/index.html", "eu/en/v/1/index.html"):
        assert notice in project.read(f"site/{page}"), page
    assert "maintained" not in project.read("site/global/en/index.html")
    # The error page leads a reader of a missing address under it to the chooser only.
    error_page = project.read("site/404.html")
    assert 'data-policy-document="global/en/"' in error_page
    assert 'data-policy-document="eu/en/"' not in error_page
    eu = json.loads(project.read("site/eu/en/versions.json"))
    world = json.loads(project.read("site/global/en/versions.json"))
    assert (eu["retired"], eu["retired_since"]) == (True, "2026-01-02T12:00:00Z")
    assert (world["retired"], world["retired_since"]) == (False, None)


def _leads_to(page: str) -> str:
    """Where a region's folder page sends its reader: at once, and by its one link."""
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]*)">', page)
    links = re.findall(r'<a href="([^"]*)">', page)
    assert refresh and links == [refresh.group(1)], page
    return refresh.group(1)


def test_a_regions_folder_leads_to_its_languages_on_the_chooser(make_project):
    """`eu/` names no document: its page leads to the EU's group on the chooser, and once the
    EU is retired, to the chooser's list of documents no longer maintained. It is not for
    search engines."""
    project = make_project()
    assert project.policy("build").returncode == 0
    chooser = project.read("site/index.html")
    for region in ("global", "eu"):
        page = project.read(f"site/{region}/index.html")
        assert _leads_to(page) == f"../#region-{region}"
        assert f'<h2 id="region-{region}">' in chooser
        assert '<meta name="robots" content="noindex">' in page
    assert "<title>European Union · Privacy policy</title>" in project.read("site/eu/index.html")
    group = re.search(r'<h2 id="region-eu">.*?</section>', chooser, re.S)
    assert group and re.findall(r'<a href="([^"]*)"', group.group(0)) == ["eu/en/"]
    project.commit(
        "No separate EU policy",
        {"policies/jurisdictions.yml": "global:\n  name: Worldwide\n  languages: [en]\n"},
    )
    assert project.policy("build").returncode == 0
    assert _leads_to(project.read("site/eu/index.html")) == "../#policy-retired"
    assert '<h2 id="policy-retired">' in project.read("site/index.html")
    assert _leads_to(project.read("site/global/index.html")) == "../#region-global"


def test_retiring_one_of_three_regions_keeps_its_pages_and_its_place_in_its_own_menu(
    make_project,
):
    """With two regions left, the retired one's pages still have a region menu: it names the
    retired region, where the reader is, and offers the others; their menus do not offer it."""
    three = "global:\n  name: Worldwide\n  languages: [en]\n"
    three += "eu:\n  name: European Union\n  extends: global\n  languages: [en]\n"
    three += "uk:\n  name: United Kingdom\n  extends: global\n  languages: [en]\n"
    project = make_project({"policies/jurisdictions.yml": three})
    project.commit("No separate UK policy", {"policies/jurisdictions.yml": three.split("uk:")[0]})
    result = project.policy("build")
    assert result.returncode == 0, result.stderr

    def regions(page: str) -> tuple[str, list[str]]:
        html = project.read(f"site/{page}")
        menu = html[html.index('<span class="policy-switcher__label">Region</span>') :]
        menu = menu[: menu.index("</details>")]
        here = re.search(r'policy-switcher__value">([^<]*)<', menu)[1]
        return here, re.findall(r'hreflang="en"(?: aria-current="page")?>([^<]*)</a>', menu)

    assert regions("uk/en/index.html") == (
        "United Kingdom",
        ["Worldwide", "European Union", "United Kingdom"],
    )
    assert regions("uk/en/changes/index.html")[0] == "United Kingdom"
    assert regions("eu/en/index.html") == ("European Union", ["Worldwide", "European Union"])
    assert "not been maintained" in project.read("site/uk/en/index.html")


def test_english_taken_out_of_a_region_and_back_keeps_its_pages_and_switchers(make_project):
    """English leaves the EU, the text changes (German follows), English comes back and the text
    changes again. English version 2 publishes the text of the day it came back; each German
    version's language menu leads to the English version of the same text, or to the archive
    when English did not publish it."""
    german_only = WITH_GERMAN.replace("global\n  languages: [en, de]", "global\n  languages: [de]")
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit("German only in the EU", {"policies/jurisdictions.yml": german_only})
    german = dict(GERMAN)
    for summary, (english, translation), languages in (
        ("Full name.", ("your full name;", "Ihren vollständigen Namen;"), german_only),
        ("Legal name.", ("your legal name;", "Ihren amtlichen Namen;"), WITH_GERMAN),
        ("Whole name.", ("your whole name;", "Ihren ganzen Namen;"), WITH_GERMAN),
    ):
        german[("data-we-collect", english)] = translation
        german[("change", summary)] = summary
        project.commit(
            summary,
            {
                "policies/jurisdictions.yml": languages,
                "policies/clauses/data.md": BASE_FILES["policies/clauses/data.md"].replace(
                    "your name;", english
                ),
                "policies/change.yml": change_yml(summary, "2026-01-01"),
                DE_PO: po(german),
            },
        )
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    english = json.loads(project.read("site/eu/en/versions.json"))["versions"]
    assert [(v["number"], v["source_version"]) for v in english] == [(1, 1), (2, 3), (3, 4)]

    def english_link(page: str) -> str:
        html = project.read(f"site/eu/de/{page}")
        menu = html[html.index('class="policy-switcher__label">Sprache<') :]
        return re.search(r'<a href="([^"]*)" hreflang="en"', menu)[1]

    assert english_link("v/1/index.html") == "../../../en/v/1/"
    assert english_link("v/2/index.html") == "../../../en/v/"  # English did not publish it
    assert english_link("v/3/index.html") == "../../../en/v/2/"
    assert english_link("v/4/index.html") == "../../../en/v/3/"


def test_a_switcher_finds_the_translation_of_a_text_a_withdrawn_change_brings_back(
    make_project,
):
    """English announces the full name for March and withdraws it; German never translated the
    change, and its version 1 translates the text English version 3 brings back: the language
    menu of English version 3 leads there, not to the German archive."""
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    data = BASE_FILES["policies/clauses/data.md"]
    project.commit(
        "Full name in March",
        {
            "policies/clauses/data.md": data.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-03-01"),
        },
    )
    project.commit(
        "Withdraw it",
        {
            "policies/clauses/data.md": data,
            "policies/change.yml": change_yml("The change is withdrawn.", "2026-01-03"),
        },
    )
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    html = project.read("site/eu/en/v/3/index.html")
    menu = html[html.index('class="policy-switcher__label">Language<') :]
    assert re.search(r'<a href="([^"]*)" hreflang="de"', menu)[1] == "../../../de/v/1/"


def test_a_translation_put_back_ahead_of_the_change_it_carries_points_to_the_policy_in_force(
    make_project,
):
    """German leaves the EU; the full name takes effect, then the legal name is announced for
    February, and German, whose catalog translates only the announced text, comes back: nothing
    applies in German until February. Its page shows that version as the one to come, and leads
    to the English policy in force, as a translation published late does; not the version that
    ended when German left."""
    from histories import EU_WITHOUT_GERMAN, GERMAN_FULL_NAME, announce_full_name

    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit("No German in the EU", {"policies/jurisdictions.yml": EU_WITHOUT_GERMAN})
    announce_full_name(project, "2026-01-03")
    legal = {**GERMAN_FULL_NAME, ("data-we-collect", "your legal name;"): "Ihren amtlichen Namen;"}
    del legal[("data-we-collect", "your full name;")]
    project.commit(
        "Legal name in February",
        {
            "policies/clauses/data.md": BASE_FILES["policies/clauses/data.md"].replace(
                "your name;", "your legal name;"
            ),
            "policies/change.yml": change_yml("Legal name.", "2026-02-01"),
            DE_PO: po(legal),
        },
    )
    project.commit("German again", {"policies/jurisdictions.yml": WITH_GERMAN})
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    page = project.read("site/eu/de/index.html")
    assert (
        'Diese Datenschutzerklärung gilt ab dem <time datetime="2026-02-01">1. Februar 2026</time>'
        in page
    )
    assert 'href="../en/" hreflang="en"' in page
    assert "Ihren amtlichen Namen;" in page and "Ihren Namen;" not in page
    assert "Eine aktualisierte Datenschutzerklärung" not in page  # it does not announce itself
    record = json.loads(project.read("site/eu/de/versions.json"))
    assert record["in_force"] is None
    assert [v["in_force_from"] for v in record["versions"]] == ["2026-01-01", "2026-02-01"]


def _german_dropped(make_project, when: str):
    """German published on Jan 2 for a policy announced for Feb 1, and dropped at `when`."""
    project = make_project(
        {
            "policies/jurisdictions.yml": WITH_GERMAN,
            DE_PO: po(GERMAN),
            "policies/change.yml": change_yml("First version.", "2026-02-01"),
        }
    )
    project.commit(
        "No German",
        {"policies/jurisdictions.yml": WITH_GERMAN.replace("[en, de]", "[en]")},
        date=when,
    )
    return project


def test_a_translation_dropped_before_its_version_takes_effect_never_applied(make_project):
    """German is published on Jan 2 for a policy announced for Feb 1, and dropped on Jan 5: its
    version never applied. Its dates are equal, not reversed, and no page calls it upcoming."""
    project = _german_dropped(make_project, "2026-01-05T12:00:00+00:00")
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    (version,) = json.loads(project.read("site/eu/de/versions.json"))["versions"]
    assert (version["in_force_from"], version["in_force_until"]) == ("2026-02-01", "2026-02-01")
    archive = project.read("site/eu/de/v/index.html")
    assert (
        'Sollte am <time datetime="2026-02-01">1. Februar 2026</time> in Kraft treten; das Dokument '
        "wurde vorher eingestellt." in archive
    )
    assert "bevorstehend" not in archive
    assert "Das Dokument wurde vor ihrem Gültigkeitsdatum eingestellt" in project.read(
        "site/eu/de/v/1/index.html"
    )
    version_at = project.policy("version-at", "eu", "de", "2026-03-01")
    assert version_at.returncode == 1
    assert "None of its versions had taken effect by then." in version_at.stderr
    # Asked for a day before it was dropped, it does not say that version 1 will apply.
    before = project.policy("version-at", "eu", "de", "2026-01-03")
    assert before.returncode == 1
    assert before.stderr.strip() == (
        "no version of eu/de was in force on 2026-01-03. Version 1 was to apply from "
        "2026-02-01, but the policy stopped publishing it on 2026-01-05, before then. "
        "[version.not-in-force]"
    )


def test_a_translation_dropped_on_the_day_its_version_takes_effect_applied_that_day(
    make_project,
):
    project = _german_dropped(make_project, "2026-02-01T09:00:00+00:00")
    assert project.policy("build").returncode == 0
    (version,) = json.loads(project.read("site/eu/de/versions.json"))["versions"]
    assert (version["in_force_from"], version["in_force_until"]) == ("2026-02-01", "2026-02-01")
    assert "Sollte am" not in project.read("site/eu/de/v/index.html")


def test_a_maintained_policy_offers_no_retired_translation(make_project):
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    project.commit(
        "No German in the EU",
        {
            "policies/jurisdictions.yml": WITH_GERMAN.replace(
                "extends: global\n  languages: [en, de]", "extends: global\n  languages: [en]"
            ),
        },
    )
    assert project.policy("build").returncode == 0

    def languages(page: str, label: str = "Language") -> list[str]:
        """The languages the page's language menu offers (none: it has no menu)."""
        html = project.read(f"site/{page}")
        start = f'class="policy-switcher__label">{label}<'
        if start not in html:
            return []
        menu = html[html.index(start) :]
        return re.findall(r'hreflang="([\w-]+)"', menu[: menu.index("</details>")])

    assert languages("global/en/changes/index.html") == ["en", "de"]
    assert languages("eu/en/changes/index.html") == []  # English alone: no menu
    # The retired German document still leads to the English one, which is maintained.
    assert languages("eu/de/changes/index.html", "Sprache") == ["en", "de"]


def test_mkdocs_build_works_directly(make_project):
    import subprocess
    import sys
    from pathlib import Path

    project = make_project()
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run(
        [str(mkdocs), "build", "-q"], cwd=project.root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert 'id="who-we-are"' in project.read("site/global/en/index.html")


def test_build_extend_variant_starts_a_new_paragraph(make_project):
    project = make_project({"policies/clauses/who-eu.md": EU_VARIANT})
    assert project.policy("build").returncode == 0
    page = project.read("site/eu/en/index.html")
    assert "Write to privacy@shop.example.</p><p>Under the GDPR" in page.replace("\n", "")


def test_our_work_inside_mkdocs_events_is_timed_as_ours(make_project, monkeypatch):
    """The build's report, and the benchmark's share of our stages, count the work our plugin
    does inside MkDocs' events as ours, not as MkDocs' framing."""
    import time
    from pathlib import Path

    from generator import plugin
    from generator.build import BuildOptions, build_site
    from generator.progress import Progress

    project = make_project({"policies/clauses/who-eu.md": EU_VARIANT})
    meta, tocs = plugin._meta, plugin.PolicyPlugin.on_page_content
    delay = 0.1  # per page, in two of the events each page goes through: more than our real work

    def slow_meta(page):  # noqa: ANN001, ANN202
        time.sleep(delay)
        return meta(page)

    def slow_toc(self, html, page, **kwargs):  # noqa: ANN001, ANN003, ANN202
        time.sleep(delay)
        return tocs(self, html, page, **kwargs)

    monkeypatch.setattr(plugin, "_meta", slow_meta)
    monkeypatch.setattr(plugin.PolicyPlugin, "on_page_content", slow_toc)
    progress = Progress(report=False)
    summary = build_site(
        BuildOptions(project_dir=project.root, cache=False), Path(project.root) / "site", progress
    )
    # on_page_content sleeps outside our timer (the wrapper is not ours): MkDocs' time.
    assert progress.seconds["hooks"] >= summary.pages * delay
    assert progress.seconds["mkdocs"] >= summary.pages * delay


def test_a_page_sees_the_configuration_in_its_language_and_each_page_its_own_current_page(
    make_project,
):
    """The view of the configuration a page's theme reads keeps the settings it has read (the
    theme reads the same ones on every page), but not what MkDocs changes from page to page."""
    from mkdocs.config import load_config

    from generator.plugin import _LocalizedConfig

    project = make_project({})
    config = load_config(str(project.root / "mkdocs.yml"))
    view = _LocalizedConfig(config, "de", "Datenschutz")
    assert view.theme["language"] == view.theme.language == "de"
    assert view.theme.name == config.theme.name == "material"
    assert view.site_name == view["site_name"] == view.get("site_name") == "Datenschutz"
    assert view.site_url == config.site_url
    assert "site_url" in vars(view)
    for page in ("first", "second"):
        config._current_page = page
        assert view._current_page == page
    assert "_current_page" not in vars(view)


def test_a_policy_with_nothing_to_publish_fails_with_a_clear_error(make_project):
    """Written in German, published in English only, with no English catalog: no document has
    a version, and the build says why instead of failing while it makes the feeds."""
    project = make_project(
        {
            "policies/site.yml": BASE_FILES["policies/site.yml"].replace(
                "source_language: en", "source_language: de"
            )
        }
    )
    result = project.policy("build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "policies/jurisdictions.yml: no document has a complete version to publish: no "
        "jurisdiction lists the source language (de), and no translation is complete. List de "
        "in a jurisdiction's languages, or complete a translation ('policy i18n status' shows "
        "what is missing). [build.nothing-to-publish]"
    )
    assert not (project.root / "site").exists()


def test_build_says_that_uncommitted_settings_are_built_as_they_are(make_project):
    """mkdocs.yml is read from the folder, so an uncommitted edit is in the site: the build says
    that the commit does not have it (a build of the commit elsewhere makes another site)."""
    project = make_project()
    settings = project.read("mkdocs.yml")
    project.write({"mkdocs.yml": settings + "copyright: Not committed\n"})
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    assert (
        "WARNING: mkdocs.yml: this file changed since the last commit, and the site is built "
        "with it as it is in the folder: a build of the commit elsewhere (CI) makes another "
        "site. Commit it, or undo the change. [git.uncommitted]"
    ) in result.stderr
    assert "Not committed" in project.read("site/eu/en/index.html")
    project.write({"mkdocs.yml": settings})
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    assert "uncommitted" not in result.stderr


def test_build_names_each_uncommitted_file_the_site_is_built_with(make_project):
    """Besides mkdocs.yml, the build reads the file it inherits, its hooks and the project's
    modules they import, and the theme overrides (in a linked folder too) from the folder: each
    of them that differs from the last commit is named, a new or a removed one too; a file the
    build does not read is not."""
    project = make_project({"README.md": "A shop.\n"})
    settings = project.read("mkdocs.yml").replace(
        "theme:\n", "theme:\n  custom_dir: overrides\n", 1
    )
    project.write(
        {
            "mkdocs.yml": "INHERIT: shared.yml\n" + settings + "hooks: [hooks/main.py]\n",
            "shared.yml": "copyright: first\n",
            "hooks/main.py": "import marks\n\n\n"
            "def on_post_page(output, page, config):\n"
            "    return marks.mark(output)\n",
            "hooks/marks.py": "def mark(output):\n"
            '    return output.replace("</body>", "<!-- first --></body>")\n',
            "theme-parts/footer.html": "<footer>first</footer>\n",
            "theme-parts/header.html": "<header>first</header>\n",
        }
    )
    (project.root / "overrides").mkdir()
    (project.root / "overrides/partials").symlink_to("../theme-parts")
    project.commit("Settings")
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    assert "uncommitted" not in result.stderr
    edited = ("shared.yml", "hooks/marks.py", "theme-parts/footer.html")
    project.write({path: project.read(path).replace("first", "second") for path in edited})
    project.write(
        {
            "theme-parts/header.html": None,
            "overrides/extra.html": "<p>new</p>\n",
            # neither read by the build
            "README.md": "A fine shop.\n",
            "notes.py": "import os\n",
        }
    )
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "[git.uncommitted]" in line]
    assert warnings == [
        "WARNING: hooks/marks.py: this file and overrides/extra.html, shared.yml, "
        "theme-parts/footer.html, theme-parts/header.html changed since the last commit, and "
        "the site is built with them as they are in the folder: a build of the commit "
        "elsewhere (CI) makes another site. Commit them, or undo the changes. [git.uncommitted]"
    ]
    page = project.read("site/eu/en/index.html")
    assert "<!-- second -->" in page and "<footer>second</footer>" in page
    project.commit("More settings")
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    assert "uncommitted" not in result.stderr


def test_build_says_that_uncommitted_edits_are_not_published(make_project):
    project = make_project()
    who = BASE_FILES["policies/clauses/who.md"]
    project.write(
        {
            "policies/clauses/who.md": who.replace("runs this shop", "runs this fine shop"),
            "policies/clauses/notes.md~": "an editor's backup file\n",
        }
    )
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    assert (
        "WARNING: policies/clauses/who.md: this file changed since the last commit, and only "
        "commits are built: the site does not have these changes. Commit them to publish them, "
        "or see them with 'policy serve'. [git.uncommitted]"
    ) in result.stderr
    assert "fine shop" not in project.read("site/eu/en/index.html")
    project.write({"policies/clauses/who.md": who})
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    assert "git.uncommitted" not in result.stderr  # the backup file is no edit
