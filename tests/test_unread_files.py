"""The files the tool does not read: the check and the build see the same ones, and a file that
would quietly drop legal text is refused.

- A file or folder whose name begins with '.' is read neither from the working tree nor from
  git: a draft kept in `.drafts/` is published by no build and checked by no check.
- A file of policies/ that nothing reads is reported: an error when it begins like a clause
  (a clause saved as `.MD`), a warning otherwise.
- A folder or file that cannot be read stops the command with its path, before anything is
  written: `i18n extract` would otherwise write a template without its clauses, and
  `i18n update` would make their translations obsolete.
"""

from __future__ import annotations

import pytest
from conftest import DATA_MD, WHO_MD, change_yml
from hostile_helpers import bound_by_file_modes, run_policy

DRAFT = WHO_MD.replace("id: who-we-are", "id: draft-clause").replace(
    "title: Who we are", "title: Not ready to publish"
)


def test_a_hidden_folder_is_neither_checked_nor_published(make_project) -> None:
    project = make_project()
    # Broken on purpose: were it read by either command, it would fail.
    broken = DRAFT.replace("{{ company.name }}", "{{ no_such_variable }}")
    project.commit("Drafts", {"policies/clauses/.drafts/draft.md": broken})
    project.commit("A lock file", {"policies/clauses/.#who.md": b"root@host.1234"})
    check = project.policy("check", "--base", "HEAD~2")
    assert check.returncode == 0, check.stderr
    assert "draft" not in check.stderr
    build = project.policy("build")
    assert build.returncode == 0, build.stderr
    assert "2 documents, 2 versions" in build.stderr  # the drafts made no new versions
    assert not list((project.root / "site").rglob("*draft*"))
    assert "Not ready" not in project.read("site/global/en/index.html")
    assert "draft" not in project.read("site/global/en/v/1/document.json")


def test_a_clause_under_another_name_is_an_error_and_other_files_a_warning(make_project) -> None:
    project = make_project()
    project.write(
        {
            "policies/clauses/data.md": None,
            "policies/clauses/data.MD": DATA_MD,
            "policies/change.yml": change_yml("The data clause moved."),
            "policies/change.yaml": change_yml("Misnamed."),
            "policies/NOTES.txt": "Ask legal before editing.\n",
        }
    )
    check = project.policy("check")
    assert check.returncode == 1
    unread = (
        "this file is not read, so nothing in it is published. Clause files end in .md; the "
        "other files policies/ holds are site.yml, jurisdictions.yml, change.yml, "
        "required-disclosures.yml. [file.not-read]"
    )
    assert [line for line in check.stderr.splitlines() if "not-read" in line] == [
        f"policies/NOTES.txt: {unread}",
        f"policies/change.yaml: {unread}",
        f"policies/clauses/data.MD:1: {unread}",
    ]
    assert check.stderr.splitlines()[-1].startswith("1 error, ")
    project.commit("Renamed")
    build = project.policy("build")
    assert build.returncode == 1
    assert f"policies/clauses/data.MD:1: {unread}" in build.stderr.splitlines()


@pytest.mark.parametrize(
    ("unreadable", "command"),
    [
        ("policies/clauses", ["check"]),
        ("policies/clauses", ["i18n", "extract"]),
        ("policies/clauses/who.md", ["i18n", "extract"]),
        ("policies/clauses/who.md", ["diff"]),
        ("policies/clauses/who.md", ["coverage"]),
    ],
)
def test_what_cannot_be_read_is_named_and_nothing_is_written(
    make_project, tmp_path, unreadable, command
) -> None:
    project = make_project()
    prefix = bound_by_file_modes(tmp_path)
    assert run_policy(prefix, project.root, "i18n", "extract").returncode == 0
    template = project.read("locales/policy.pot")
    target = project.root / unreadable
    target.chmod(0)
    try:
        result = run_policy(prefix, project.root, *command)
    finally:
        target.chmod(0o755)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0] == (
        f"{unreadable}: cannot be read (Permission denied). Let whoever runs the tool read it, "
        "or move it out of the project. [file.unreadable]"
    )
    assert project.read("locales/policy.pot") == template
