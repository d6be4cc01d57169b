"""The same commit builds the same bytes: in other clones, time zones and locales, at other times."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from conftest import Project, change_yml
from histories import DATA_MD, GERMAN, WHO_MD, WITH_GERMAN, po, project_at

DE_PO = "locales/de/LC_MESSAGES/policy.po"
SITE_URL = "https://shop.example/privacy/"


def _history(make_project) -> Project:
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, DE_PO: po(GERMAN)})
    mkdocs = project.read("mkdocs.yml").replace(
        "site_name: Privacy policy", f"site_name: Privacy policy\nsite_url: {SITE_URL}"
    )
    project.commit(
        "Full name, announced",
        {
            "mkdocs.yml": mkdocs,
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("We ask for your full name.", "2026-06-01"),
        },
    )
    project.commit(
        "Clearer wording",
        {
            "policies/clauses/who.md": WHO_MD.replace("Write to", "E-mail us at"),
            "policies/change.yml": change_yml("Clearer wording.", "2026-06-01", "editorial"),
        },
    )
    return project


def _clone(project: Project, target: Path) -> Project:
    subprocess.run(
        ["git", "clone", "-q", f"file://{project.root}", str(target)],
        check=True,
        capture_output=True,
    )
    return project_at(target)


def _environment(tz: str, locale: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update({"TZ": tz, "LANG": locale, "LC_ALL": locale, "LANGUAGE": locale.split(".")[0]})
    return env


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_commit_builds_byte_identical_sites_anywhere_anytime(make_project, tmp_path):
    project = _history(make_project)
    first = _clone(project, tmp_path / "clone-a")
    second = _clone(project, tmp_path / "clone-b")
    result = first.policy("build", env=_environment("UTC", "C.UTF-8"))
    assert result.returncode == 0, result.stderr
    time.sleep(2.1)  # another wall-clock second for every time stamp MkDocs might take
    result = second.policy("build", env=_environment("Pacific/Kiritimati", "de_DE.UTF-8"))
    assert result.returncode == 0, result.stderr
    time.sleep(1.1)
    mkdocs = Path(sys.executable).parent / "mkdocs"
    direct = subprocess.run(
        [str(mkdocs), "build", "-q", "-d", "direct"],
        cwd=second.root,
        env=_environment("America/Los_Angeles", "fr_FR.UTF-8"),
        capture_output=True,
        text=True,
    )
    assert direct.returncode == 0, direct.stderr
    a = _tree(first.root / "site")
    assert len(a) > 40
    b = _tree(second.root / "site")
    c = _tree(second.root / "direct")
    assert sorted(a) == sorted(b) == sorted(c)
    assert [p for p in a if a[p] != b[p]] == []
    assert [p for p in a if a[p] != c[p]] == []


def test_dates_come_from_the_history_not_the_clock(make_project):
    """The sitemaps date each page by the commits that changed what it says, and the index's
    gzip header by the newest commit."""
    project = _history(make_project)
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    result = project.policy("build", env=env)
    assert result.returncode == 0, result.stderr
    sitemap = project.read("site/sitemap.xml")
    assert _dates(sitemap, "sitemap") == {
        "sitemap-chooser.xml": "2026-01-01",  # the documents it lists were all published then
        # German lags behind since the second commit; the third leaves its pages as they were.
        "eu/de/sitemap.xml": "2026-01-02",
        "eu/en/sitemap.xml": "2026-01-03",
        "global/de/sitemap.xml": "2026-01-02",
        "global/en/sitemap.xml": "2026-01-03",
    }
    assert _dates(project.read("site/eu/en/sitemap.xml"), "url") == {
        "eu/en/": "2026-01-03",
        "eu/en/changes/": "2026-01-03",
        "eu/en/v/": "2026-01-03",
        "eu/en/compare/": "2026-01-03",
        "eu/en/history/": "2026-01-03",
        "eu/en/v/1/": "2026-01-01",
        # Version 3 replaced version 2 before its effective date: version 2 never applies.
        "eu/en/v/2/": "2026-01-03",
        "eu/en/changes/2/": "2026-01-02",
        "eu/en/v/3/": "2026-01-03",
        "eu/en/changes/3/": "2026-01-03",
    }
    compressed = (project.root / "site/sitemap.xml.gz").read_bytes()
    committed = dt.datetime(2026, 1, 3, 12, tzinfo=dt.UTC).timestamp()  # the newest commit's time
    assert int.from_bytes(compressed[4:8], "little") == committed
    assert gzip.decompress(compressed).decode() == sitemap
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_source_date_epoch_sets_today_for_the_effective_dates(make_project):
    project = _history(make_project)
    before = project.policy("build")
    assert before.returncode == 0, before.stderr
    page = project.read("site/eu/en/index.html")
    assert "An updated policy takes effect on" in page
    assert "<dd>1</dd>" in page
    # Versions 2 and 3 both take effect on June 1st: one notice, leading to the whole change.
    assert page.count("An updated policy takes effect on") == 1
    assert 'href="compare/?from=1&amp;to=3"' in page
    after = project.policy(
        "build", env={"SOURCE_DATE_EPOCH": str(int(dt.datetime(2026, 6, 1).timestamp()) + 3600)}
    )
    assert after.returncode == 0, after.stderr
    page = project.read("site/eu/en/index.html")
    assert "An updated policy takes effect on" not in page
    assert "<dd>3</dd>" in page


def _dates(sitemap: str, entry: str) -> dict[str, str]:
    """The `lastmod` of each `<url>` or `<sitemap>` of a sitemap, by its address in the site."""
    found = re.findall(rf"<{entry}><loc>([^<]*)</loc><lastmod>([^<]*)</lastmod>", sitemap)
    return {loc.removeprefix(SITE_URL): lastmod for loc, lastmod in found}


def test_replacements_and_grafts_of_one_repository_change_no_byte(make_project, tmp_path):
    """`git replace` and a grafts file change what git shows of a commit in one repository alone
    (a clone fetches neither): the same commit builds the history as it was committed."""
    project = _history(make_project)
    plain = _clone(project, tmp_path / "plain")
    replaced = _clone(project, tmp_path / "replaced")
    grafted = _clone(project, tmp_path / "grafted")

    def git(clone: Project, *arguments: str, given: str = "") -> str:
        return subprocess.run(
            ["git", *arguments],
            cwd=clone.root,
            input=given,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    second = git(replaced, "rev-parse", "HEAD~1")
    git(replaced, "replace", "--graft", second)  # the first version's commit cut off
    who = git(replaced, "show", "HEAD:policies/clauses/who.md") + "\n"
    assert "E-mail us at" in who
    other = git(replaced, "hash-object", "-w", "--stdin", given=who.replace("E-mail", "Phone"))
    git(replaced, "replace", git(replaced, "rev-parse", "HEAD:policies/clauses/who.md"), other)
    assert "Phone us at" in git(replaced, "show", "HEAD:policies/clauses/who.md")
    (grafted.root / ".git" / "info").mkdir(exist_ok=True)
    (grafted.root / ".git" / "info" / "grafts").write_text(second + "\n")
    assert git(replaced, "rev-list", "--count", "HEAD") == "2"  # as git shows it there
    assert git(grafted, "rev-list", "--count", "HEAD") == "2"
    sites = []
    for clone in (plain, replaced, grafted):
        result = clone.policy("build", "--no-cache")
        assert result.returncode == 0, result.stderr
        sites.append(_tree(clone.root / "site"))
    assert "eu/en/v/3/index.html" in sites[0]
    assert sites[1] == sites[0]
    assert sites[2] == sites[0]


def test_a_folder_named_like_a_variable_builds_the_same_bytes(make_project, tmp_path):
    """A checkout's path is any path: `$HOME` in a folder's name is that name, not the variable."""
    project = _history(make_project)
    plain = _clone(project, tmp_path / "plain")
    dollar = _clone(project, tmp_path / "shop $HOME ${PATH}")
    for clone in (plain, dollar):
        result = clone.policy("build", "--no-cache", env={"HOME": str(tmp_path)})
        assert result.returncode == 0, result.stderr
    assert _tree(dollar.root / "site") == _tree(plain.root / "site")
