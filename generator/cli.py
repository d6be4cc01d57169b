"""The `policy` command: check, build, diff, serve and translate the policy."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from generator.errors import PolicyError, Severity

PROJECT = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The project folder (holding policies/, locales/ and mkdocs.yml).",
)


@click.group()
@click.version_option(package_name="policy-publisher")
def main() -> None:
    """Publish a versioned, localized privacy policy from clause files kept in git."""
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.INFO)
    for noisy in ("mkdocs", "git", "MARKDOWN"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@main.command()
@PROJECT
@click.option(
    "--base",
    default="HEAD",
    show_default=True,
    help="The revision to compare with: a text change needs a new change.yml.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(project_dir: Path, base: str, strict: bool) -> None:
    """Check the policy sources and report every problem."""
    from generator.check import check_files
    from generator.history import read_folder

    files = read_folder(project_dir)
    base_files = _base_files(project_dir, base)
    result = check_files(files, base_files)
    for problem in result.problems:
        click.echo(str(problem), err=True)
    errors = sum(p.severity is Severity.ERROR for p in result.problems)
    warnings = len(result.problems) - errors
    click.echo(f"{errors} errors, {warnings} warnings", err=True)
    if errors or (strict and warnings):
        sys.exit(1)


@main.command()
@PROJECT
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site (default: site/ in the project).",
)
@click.option(
    "--previous",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="versions.json of the last publication: refuse to drop or change its versions.",
)
@click.option("--rev", default="HEAD", show_default=True, help="The revision to publish.")
def build(project_dir: Path, site_dir: Path | None, previous: Path | None, rev: str) -> None:
    """Build the complete static site from the policy and its git history."""
    from generator.build import BuildOptions, build_site

    options = BuildOptions(project_dir=project_dir.resolve(), rev=rev, previous=previous)
    summary = build_site(options, site_dir or project_dir / "site")
    click.echo(f"Built {summary}.", err=True)


def _base_files(project_dir: Path, base: str):  # noqa: ANN202
    from generator.history import Repository

    try:
        return Repository(project_dir).files_at(base)
    except PolicyError:
        return None


if __name__ == "__main__":
    main()
