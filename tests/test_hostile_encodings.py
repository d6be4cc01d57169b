"""Inputs that look different but say the same thing: a byte order mark, CRLF line endings and
Unicode in another normalization form are read as the same text, hash the same and make no new
version; a translation keyed in another form still matches its source; and a commit subject with
control characters (published as a summary) still gives valid feeds."""

from __future__ import annotations

import json
import unicodedata
import xml.etree.ElementTree as ET

from conftest import BASE_FILES, JURISDICTIONS_YML, NEW_YEAR, change_yml
from hostile_helpers import po_catalog

from generator.history import read_folder
from generator.sources import read_policy

ACCENTED = """\
---
id: who-we-are
title: Qui sommes-nous ? Café Müller
order: 10
jurisdictions: [global]
---
Café Müller, São Paulo and Zoë's Ångström Ltd. run this shop for {{ company.name }}.

- crème brûlée;
- façade.
"""

BILINGUAL = JURISDICTIONS_YML.replace("languages: [en]", "languages: [en, de]")


def _versions(project, document: str = "global/en") -> list[tuple[int, str]]:
    record = json.loads(project.read(f"site/{document}/versions.json"))
    return [(v["number"], v["hash"]) for v in record["versions"]]


def _german(project, normalize: str) -> bytes:
    """A complete German catalog for the project's working tree, its msgids in `normalize` form."""
    policy, problems = read_policy(read_folder(project.root))
    assert policy is not None, [str(p) for p in problems]
    catalog = po_catalog(policy, "de", lambda context, text: f"DE {text}").decode("utf-8")
    return unicodedata.normalize(normalize, catalog).encode("utf-8")


def test_nfd_rewrite_of_nfc_text_hashes_the_same_and_makes_no_version(make_project):
    project = make_project({"policies/clauses/who.md": unicodedata.normalize("NFC", ACCENTED)})
    assert project.policy("build").returncode == 0
    before = _versions(project)
    page_before = project.read("site/global/en/index.html")
    nfd = unicodedata.normalize("NFD", ACCENTED)
    assert nfd.encode() != ACCENTED.encode()
    project.write({"policies/clauses/who.md": nfd})
    check = project.policy("check")
    assert check.returncode == 0, check.stderr  # no "text changed but change.yml did not"
    project.commit("Decompose every accent (an editor's tool did it)")
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    assert _versions(project) == before == [(1, before[0][1])]
    assert project.read("site/global/en/index.html") == page_before
    assert "Café Müller" in page_before and unicodedata.is_normalized("NFC", page_before)


def test_translation_keyed_in_nfd_matches_nfc_source(make_project):
    project = make_project(
        {
            "policies/jurisdictions.yml": BILINGUAL,
            "policies/clauses/who.md": unicodedata.normalize("NFC", ACCENTED),
        }
    )
    project.commit("German", {"locales/de/LC_MESSAGES/policy.po": _german(project, "NFD")})
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    page = project.read("site/global/de/index.html")
    assert "DE Café Müller, São Paulo" in page
    assert "DE crème brûlée;" in page
    assert "policy-notice--lag" not in page  # complete, so not the lagging notice


def test_bom_and_crlf_everywhere_build_and_make_no_version(make_project):
    project = make_project({"policies/jurisdictions.yml": BILINGUAL})
    project.commit("German", {"locales/de/LC_MESSAGES/policy.po": _german(project, "NFC")})
    assert project.policy("build").returncode == 0
    before = {doc: _versions(project, doc) for doc in ("global/en", "global/de", "eu/de")}
    assert all(len(v) == 1 for v in before.values())

    checked = project.policy("check", env=NEW_YEAR).stderr
    rewritten = {}
    for path in [*BASE_FILES, "policies/jurisdictions.yml", "locales/de/LC_MESSAGES/policy.po"]:
        text = (project.root / path).read_text(encoding="utf-8")
        rewritten[path] = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    project.write(rewritten)
    check = project.policy("check", env=NEW_YEAR)
    assert check.returncode == 0, check.stderr
    assert check.stderr == checked and "0 errors" in checked  # the rewrite adds no problem
    project.commit("Saved on Windows with a BOM")
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    assert {doc: _versions(project, doc) for doc in before} == before
    page = project.read("site/global/de/index.html")
    assert "\ufeff" not in page and "\r" not in page
    assert "DE {{" not in page and "DE Example Shop Ltd. runs this shop." in page


def test_bom_alone_is_not_a_header_problem(make_project):
    """A BOM before the opening '---' must not hide the front matter."""
    project = make_project(
        {
            "policies/clauses/who.md": b"\xef\xbb\xbf"
            + BASE_FILES["policies/clauses/who.md"].encode()
        }
    )
    result = project.policy("check")
    assert result.returncode == 0, result.stderr


def test_lone_carriage_returns_are_line_ends(make_project):
    """Old Mac line ends: the reported line numbers still count lines."""
    who = BASE_FILES["policies/clauses/who.md"].replace("company.name", "company.nme")
    project = make_project()
    project.write({"policies/clauses/who.md": who.replace("\n", "\r").encode()})
    project.write({"policies/change.yml": change_yml("Old Mac.")})
    result = project.policy("check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        "policies/clauses/who.md:8: undefined variable 'company.nme'. Did you mean "
        "'company.name'? Define it under 'variables' in policies/site.yml or correct the name. "
        "[variable.undefined]"
    )


def test_commit_subject_with_control_characters_gives_valid_feeds(make_project):
    project = make_project()
    data = BASE_FILES["policies/clauses/data.md"].replace("your name;", "your full name;")
    project.commit("Bell \x07 and \x1b[31mred\x1b[0m", {"policies/clauses/data.md": data})
    assert project.git("log", "-1", "--format=%s") == "Bell \x07 and \x1b[31mred\x1b[0m\n"
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    for feed in ("site/feed.xml", "site/global/en/feed.xml"):
        ET.parse(project.root / feed)  # raises on invalid XML
    record = json.loads(project.read("site/global/en/versions.json"))
    assert record["versions"][-1]["summary"] == "Bell  and [31mred[0m"
