"""`policy build` writes into a temporary folder and replaces site/ only when the build completed:
whatever fails, the published site stays exactly as it was."""

from __future__ import annotations

import os
import re
import stat

import pytest
from conftest import ROOT, change_yml
from coverage_files import COVERED_FILES
from hostile_helpers import bound_by_file_modes, run_policy

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


@pytest.mark.parametrize(
    ("cache_dir", "why"),
    [
        (".", "it is the project folder, which it would fill with folders of its own"),
        ("policies", "it is inside the project's sources, which it would fill with folders of its own"),
        ("locales/cache", "it is inside the project's sources, which it would fill with folders of its own"),
        (".git/cache", "it is inside the project's sources, which it would fill with folders of its own"),
        ("site", "it is inside the site folder, which each build replaces whole: nothing kept there would be reused"),
        ("site/cache", "it is inside the site folder, which each build replaces whole: nothing kept there would be reused"),
    ],
)  # fmt: skip
def test_build_refuses_a_cache_folder_among_the_sources_or_in_the_site(
    make_project, cache_dir, why
):
    # `--cache-dir policies` wrote some 20 MB of cache folders among the legal team's sources;
    # `--cache-dir site` kept a cache each build threw away with the site.
    project = make_project()
    before = sorted(p.relative_to(project.root) for p in project.root.rglob("*"))
    result = project.policy("build", "--cache-dir", cache_dir)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"{(project.root / cache_dir).resolve()}: will not keep the build cache here: {why}. "
        "Give --cache-dir (or the plugin's cache_dir) a folder of its own (the default is "
        ".policy-cache/ in the project). [build.cache-dir]"
    )
    assert sorted(p.relative_to(project.root) for p in project.root.rglob("*")) == before


def test_the_cache_folder_of_mkdocs_yml_is_refused_in_the_sources_too(make_project):
    project = make_project()
    config = project.root / "mkdocs.yml"
    assert "  - policy\n" in config.read_text()
    config.write_text(
        config.read_text().replace(
            "  - policy\n", "  - policy:\n      cache_dir: policies/.cache\n"
        )
    )
    result = project.policy("build")
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"{project.root / 'policies/.cache'}: will not keep the build cache here: it is inside "
        "the project's sources"
    )
    assert not (project.root / "policies/.cache").exists()


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


@pytest.mark.parametrize("site_dir", ["notes.txt/site", "notes.txt/deeper/site"])
def test_build_names_a_site_folder_under_a_file(make_project, site_dir):
    # The folders on the way to the site are made: one that is a file used to be a traceback.
    project = make_project()
    (project.root / "notes.txt").write_text("keep me\n")
    result = project.policy("build", "--site-dir", site_dir)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"{project.root / site_dir}: cannot write the site there ({project.root / 'notes.txt'}: "
        "it is a file). Give --site-dir a folder you can write to. [build.site-dir]"
    )
    assert project.read("notes.txt") == "keep me\n"


@pytest.mark.parametrize("site_dir", ["site", "a/b/site"])
def test_build_names_a_read_only_place_for_the_site(make_project, tmp_path, site_dir):
    # A read-only volume, or a folder another user owns: the staging folder beside the site, or
    # the site's missing parents, cannot be made there.
    prefix = bound_by_file_modes(tmp_path)
    project = make_project()
    public = tmp_path / "public"
    public.mkdir()
    public.chmod(0o555)
    try:
        result = run_policy(prefix, project.root, "build", "--site-dir", str(public / site_dir))
    finally:
        public.chmod(0o755)
    assert result.returncode == 1
    blocked = public / site_dir.split("/")[0] if "/" in site_dir else public
    assert result.stderr.strip() == (
        f"{public / site_dir}: cannot write the site there ({blocked}: Permission denied). "
        "Give --site-dir a folder you can write to. [build.site-dir]"
    )
    assert list(public.iterdir()) == []


def old_site_warning(stderr: str, why: str) -> str:
    """The folder named by the one warning about a previous site left beside site/, which must
    say `why` (a regular expression: the name carries the build's process id, and which file
    could not be deleted first depends on the file system's order)."""
    warnings = [line for line in stderr.splitlines() if line.startswith("WARNING:")]
    assert len(warnings) == 1, stderr
    found = re.fullmatch(
        r"WARNING: (.*/\.site-old-\d+-1): a previous site is left here: "
        + why
        + r"\. It is no part of the site; delete it \(with the rights of whoever made its "
        r"files\)\. \[build\.old-site\]",
        warnings[0],
    )
    assert found, warnings[0]
    return found[1]


LOCKED = r"\(global/en/[^ ]+: Permission denied\)"
"""Why a site with a read-only folder global/en could not be deleted."""


def test_a_previous_site_that_cannot_be_deleted_is_set_aside_with_a_warning(make_project, tmp_path):
    # Files another user made read-only in the site: the previous site cannot be deleted after
    # the swap. It was left as .site-old without a word, and every later build then failed at
    # the swap with a traceback ("Directory not empty").
    prefix = bound_by_file_modes(tmp_path)
    project = make_project({**IGNORED})
    assert project.policy("build").returncode == 0
    (project.root / "site" / "global" / "en").chmod(0o555)
    try:
        first = run_policy(prefix, project.root, "build")
        assert first.returncode == 0, first.stderr
        left = old_site_warning(first.stderr, f"it could not be deleted {LOCKED}")
        project.commit("Second", {"policies/change.yml": change_yml("Second.")})
        second = run_policy(prefix, project.root, "build")
        assert second.returncode == 0, second.stderr
        assert "Traceback" not in second.stderr
        assert (
            old_site_warning(second.stderr, f"an earlier build could not delete it {LOCKED}")
            == left
        )
        assert leftovers(project) == [left.rsplit("/", 1)[1]]
        assert '"reference_date": "2026-01-02"' in project.read("site/versions.json")
    finally:
        for folder in project.root.iterdir():
            if "site" in folder.name and (folder / "global" / "en").is_dir():
                (folder / "global" / "en").chmod(0o755)
    third = run_policy(prefix, project.root, "build")
    assert third.returncode == 0, third.stderr
    assert "WARNING" not in third.stderr
    assert leftovers(project) == []


@pytest.mark.parametrize("kind", ["file", "link"])
def test_whatever_is_in_the_way_of_the_swap_is_set_aside(make_project, tmp_path, kind):
    # `.site-old` is the name the previous site is swapped out to: a file or a link there could
    # not be deleted, and the swap failed with a traceback.
    project = make_project({**IGNORED})
    assert project.policy("build").returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("keep me\n")
    in_the_way = project.root / ".site-old"
    if kind == "file":
        in_the_way.write_text("keep me\n")
        why = "Not a directory"
    else:
        in_the_way.symlink_to(elsewhere, target_is_directory=True)
        why = "Cannot call rmtree on a symbolic link"
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    left = old_site_warning(result.stderr, re.escape(f"it could not be deleted ({why})"))
    assert leftovers(project) == [left.rsplit("/", 1)[1]]
    assert (elsewhere / "keep.txt").read_text() == "keep me\n"
    assert (project.root / "site" / "versions.json").is_file()
