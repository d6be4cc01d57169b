"""`policy build` writes into a temporary folder and replaces site/ only when the build completed:
whatever fails, the published site stays exactly as it was."""

from __future__ import annotations

import os
import stat

import pytest
from conftest import ROOT, change_yml
from coverage_files import COVERED_FILES

IGNORED = {".gitignore": "/site/\n"}


def snapshot(project) -> dict:
    site = project.root / "site"
    return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def leftovers(project) -> list[str]:
    """Staging or swapped-out folders a build left beside site/."""
    return sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site-"))


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_build_coverage_error_leaves_site_intact(make_project, jobs):
    """The newest commit is checked while the pages render (in two processes with `--jobs 2`):
    its error stops the build all the same, and nothing is published."""
    project = make_project({**COVERED_FILES, **IGNORED})
    assert project.policy("build").returncode == 0
    before = snapshot(project)
    project.commit(
        "Drop the retention clause",
        {
            "policies/clauses/retention.md": None,
            "policies/change.yml": change_yml("We no longer describe retention."),
        },
    )
    result = project.policy("build", "--jobs", jobs)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "policies/jurisdictions.yml:5: the eu policy does not cover 'retention' (Retention "
        "period): gdpr requires it (GDPR Art. 13(2)(a)). Add the topic to the 'topics' of the "
        "clause that gives this information, or write one. [coverage.missing]",
    ]
    assert snapshot(project) == before
    assert leftovers(project) == []


def test_build_failing_after_mkdocs_wrote_pages_leaves_site_intact(make_project):
    project = make_project({**COVERED_FILES, **IGNORED})
    assert project.policy("build").returncode == 0
    before = snapshot(project)
    # A hook that fails once MkDocs has written every page: the staging folder is full by then.
    project.write(
        {
            "hooks/fail.py": """\
            from pathlib import Path

            from mkdocs.exceptions import PluginError


            def on_post_build(config):
                written = sum(1 for p in Path(config.site_dir).rglob("*.html"))
                raise PluginError(f"refusing after {written} pages were written")
            """,
            "mkdocs.yml": (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
            + "hooks:\n  - hooks/fail.py\n",
        }
    )
    project.commit("Second", {"policies/change.yml": change_yml("Second.")})
    result = project.policy("build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "refusing after" in result.stderr
    assert "refusing after 0 pages" not in result.stderr
    assert result.stderr.rstrip().endswith(
        "the site could not be built: Aborted with a BuildError! [build]"
    )
    assert snapshot(project) == before
    assert leftovers(project) == []


@pytest.mark.parametrize(
    ("site_dir", "why"),
    [
        (".", "it holds the project"),
        ("..", "it holds the project"),
        ("policies/site", "it is inside the project's sources"),
        ("locales", "it is inside the project's sources"),
        (".git/site", "it is inside the project's sources"),
        ("notes", "it holds files and no site built before (no versions.json)"),
    ],
)
def test_build_refuses_a_site_folder_it_would_destroy(make_project, site_dir, why):
    # A build replaces the site folder whole: `--site-dir .` used to replace the project, git
    # history and all, with the site.
    project = make_project()
    (project.root / "notes").mkdir()
    (project.root / "notes" / "todo.txt").write_text("keep me\n")
    before = sorted(p.relative_to(project.root.parent) for p in project.root.parent.rglob("*"))
    result = project.policy("build", "--site-dir", site_dir)
    assert result.returncode == 1
    target = (project.root / site_dir).resolve()
    assert result.stderr.strip() == (
        f"{target}: will not build the site here: {why}, and a build replaces this folder "
        "whole. Give --site-dir a folder of its own (the default is site/ in the project). "
        "[build.site-dir]"
    )
    assert (
        sorted(p.relative_to(project.root.parent) for p in project.root.parent.rglob("*")) == before
    )
    assert project.read("notes/todo.txt") == "keep me\n"


def test_build_replaces_its_own_site_and_fills_an_empty_folder(make_project):
    project = make_project()
    (project.root / "empty").mkdir()
    assert project.policy("build", "--site-dir", "empty").returncode == 0
    assert project.policy("build", "--site-dir", "empty").returncode == 0
    assert (project.root / "empty" / "versions.json").is_file()


def test_build_refuses_a_site_path_that_is_a_file(make_project):
    project = make_project()
    (project.root / "site").write_text("my notes\n")
    result = project.policy("build")
    assert result.returncode == 1
    assert f"{project.root / 'site'}: will not build the site here: it is a file" in result.stderr
    assert project.read("site") == "my notes\n"


def test_the_site_folder_can_be_read_by_others_like_every_folder_in_it(make_project):
    # The site was built in a temporary folder, which is private (0700), and kept its mode.
    project = make_project()
    assert project.policy("build").returncode == 0
    mask = os.umask(0o022)
    os.umask(mask)
    site = project.root / "site"
    assert stat.S_IMODE(site.stat().st_mode) == 0o777 & ~mask
    assert stat.S_IMODE(site.stat().st_mode) == stat.S_IMODE((site / "eu").stat().st_mode)
