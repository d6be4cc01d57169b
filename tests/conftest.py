"""Fixtures that build small, real policy projects: files in tmp_path, a real git repository with
fixed dates, and real builds."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent

# The property tests draw the same examples at every run: a commit's verdict in CI does not depend
# on a draw. (A draw found "-\n0", a paragraph whose first line is a bare list marker, which the
# composition makes a list item: `policy check` refuses it, [markdown.list-marker-alone].)
settings.register_profile("repeatable", derandomize=True)
settings.load_profile("repeatable")

SITE_YML = """\
title: Privacy policy
source_language: en
variables:
  company:
    name: Example Shop Ltd.
  contact:
    email: privacy@shop.example
"""

JURISDICTIONS_YML = """\
global:
  name: Worldwide
  languages: [en]
eu:
  name: European Union
  extends: global
  languages: [en]
"""

WHO_MD = """\
---
id: who-we-are
title: Who we are
order: 10
jurisdictions: [global]
topics: [controller-identity]
---
{{ company.name }} runs this shop. Write to {{ contact.email }}.
"""

DATA_MD = """\
---
id: data-we-collect
title: The information we collect
order: 20
jurisdictions: [global]
topics: [categories-collected]
---
We collect only what we need to deliver your order:

- your name;
- your delivery address.
"""


def problems_of(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The problems `policy check` reported, a line each, above the line that counts them."""
    assert "Traceback" not in result.stderr
    *problems, summary = result.stderr.splitlines()
    counts = re.fullmatch(r"(\d+) errors?, (\d+) warnings?", summary)
    assert counts, summary
    assert int(counts[1]) + int(counts[2]) == len(problems), result.stderr
    return problems


def at_noon(day: str) -> dict[str, str]:
    """The environment that makes a command's now noon (UTC) of a day (`YYYY-MM-DD`): `policy
    check`'s today, and the date `policy diff` and `policy serve` give the working tree."""
    noon = dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")
    return {"SOURCE_DATE_EPOCH": str(int(noon.timestamp()))}


NEW_YEAR = at_noon("2026-01-01")
"""2026-01-01 12:00 UTC as `policy check`'s today: the projects' own time (their commits are dated
January 2026), in which a change.yml effective on 2026-01-01 (`change_yml`'s default) has not
passed."""


def change_yml(summary: str, effective: str = "2026-01-01", kind: str = "material") -> str:
    """A change.yml describing a change."""
    return f"summary: {summary}\nkind: {kind}\neffective: {effective}\n"


BASE_FILES = {
    "policies/site.yml": SITE_YML,
    "policies/jurisdictions.yml": JURISDICTIONS_YML,
    "policies/change.yml": change_yml("First version."),
    "policies/clauses/who.md": WHO_MD,
    "policies/clauses/data.md": DATA_MD,
}


class Project:
    """A policy project in a temporary folder, with a real git repository."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._day = 0
        root.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        # Like the real repository, never commit the built site or the build cache.
        (root / ".gitignore").write_text("/site/\n/.policy-cache/\n", encoding="utf-8")
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Test Author")
        self.git("config", "user.email", "author@people.example")
        self.git("config", "commit.gpgsign", "false")

    def write(self, files: Mapping[str, str | bytes | None]) -> None:
        """Write (or, with None, delete) files; text is dedented."""
        for path, content in files.items():
            target = self.root / path
            if content is None:
                target.unlink(missing_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(textwrap.dedent(content), encoding="utf-8")

    def commit(
        self,
        message: str,
        files: Mapping[str, str | bytes | None] | None = None,
        date: str | None = None,
    ) -> str:
        """Write files and commit everything, one day after the previous commit by default."""
        if files:
            self.write(files)
        self._day += 1
        stamp = date or f"2026-01-{self._day:02d}T12:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        self.git("add", "-A")
        subprocess.run(
            ["git", "commit", "-q", "--allow-empty", "-m", message],
            cwd=self.root,
            check=True,
            env=env,
        )
        return self.git("rev-parse", "HEAD").strip()

    def git(self, *args: str) -> str:
        """Run git in the project."""
        return subprocess.run(
            ["git", *args], cwd=self.root, check=True, capture_output=True, text=True
        ).stdout

    def policy(
        self, *args: str, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run the `policy` command in the project, as a user would."""
        return subprocess.run(
            [str(Path(os.sys.executable).parent / "policy"), *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
        )

    def read(self, path: str) -> str:
        """A file of the project (or of its built site) as text."""
        return (self.root / path).read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project with a git repository."""
    return Project(tmp_path / "project")


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Project]:
    """A project whose first commit holds the base files (updated with `files`)."""

    def make(
        files: Mapping[str, str | bytes | None] | None = None, name: str = "project"
    ) -> Project:
        result = Project(tmp_path / name)
        result.commit("First version", {**BASE_FILES, **(files or {})})
        return result

    return make


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201 (playwright's Browser: imported only by tests that drive one)
    """The machine's Chromium, one for each test module that drives it."""
    from local_browser import chromium

    with chromium() as result:
        yield result
