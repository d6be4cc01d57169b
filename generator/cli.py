"""The `policy` command: check, build, diff, serve and translate the policy."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from pathlib import Path

import click

from generator.errors import PolicyError, Problem, Severity, fail


def _project_folder(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    """The project folder given, else the nearest folder from here up that holds `policies/`:
    a command run in `policies/clauses/` works on the project, not on a folder with no
    policy in it (else the current folder, whose commands say what it lacks)."""
    if value is not None:
        return value
    here = Path.cwd()
    return next((f for f in (here, *here.parents) if (f / "policies").is_dir()), Path("."))


PROJECT = click.option(
    "--project",
    "project_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    callback=_project_folder,
    help="The project folder (holding policies/, locales/ and mkdocs.yml). Default: the "
    "nearest folder from the current one up that holds policies/.",
)


@click.group()
@click.version_option(package_name="policy-publisher")
def main() -> None:
    """Publish a versioned, localized privacy policy from clause files kept in git."""
    from generator.processes import stop_on_terminate

    stop_on_terminate()
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["human", "json", "github"]),
    default="human",
    show_default=True,
    help="human: path:line: message [code] on stderr; json: one JSON document on stdout "
    "(generator/schema/check.schema.json); github: GitHub Actions annotations on stdout.",
)
def check(project_dir: Path, base: str, strict: bool, fmt: str) -> None:
    """Check the policy sources and report every problem."""
    from generator.check import CheckResult, check_files, history_notes
    from generator.check_formats import (
        passed,
        render_github,
        render_human,
        render_json,
        summary_line,
    )
    from generator.history import Repository, read_folder
    from generator.versions import now

    try:
        today = now().date()
        files = read_folder(project_dir)
        base_files = _base_files(project_dir, base)
        if base_files is None and base != "HEAD":
            # An explicit base that does not resolve would silently skip the change.yml rule.
            raise PolicyError([_base_problem(project_dir, base)])
    except PolicyError as error:
        # Reported like any other problem: a reader of --format json always gets its document.
        result = CheckResult(policy=None, problems=error.problems)
    else:
        notes = history_notes(Repository(project_dir), base, today) if base_files else None
        result = check_files(
            files,
            base_files,
            today=today,
            earlier_notes=notes.said if notes else None,
            announced=notes.announced if notes else None,
        )
    if fmt == "json":
        click.echo(render_json(result, strict), nl=False)
    elif fmt == "github":
        click.echo(render_github(result, _repository_prefix(project_dir)), nl=False)
    else:
        click.echo(render_human(result), err=True, nl=False)
    click.echo(summary_line(result), err=True)
    if not passed(result, strict):
        sys.exit(1)


def _web_address(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """The site's address as given, if every page's address can be made from it."""
    from generator.pages import site_address_problem

    if value and (problem := site_address_problem(value)):
        raise click.BadParameter(problem)
    return value


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
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where framed pages are kept between builds (default: .policy-cache/ in the project); "
    "CI can save and restore it.",
)
@click.option("--no-cache", is_flag=True, help="Render every page, and keep none for later.")
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    help="Processes that render pages at once (default: one per processor, at most four); "
    "never more than the documents.",
)
@click.option(
    "--site-url",
    default="",
    callback=_web_address,
    help="The address the site is published at, such as https://example.github.io/policy/ "
    "(default: site_url in mkdocs.yml): the error page then works at any depth, and the sitemaps "
    "and feeds give absolute addresses.",
)
def build(
    project_dir: Path,
    site_dir: Path | None,
    previous: Path | None,
    rev: str,
    cache_dir: Path | None,
    no_cache: bool,
    jobs: int,
    site_url: str,
) -> None:
    """Build the complete static site from the policy and its git history."""
    from generator.build import BuildOptions, build_site
    from generator.progress import Progress

    options = BuildOptions(
        project_dir=project_dir.resolve(),
        rev=rev,
        previous=previous,
        cache=not no_cache,
        cache_dir=cache_dir.resolve() if cache_dir else None,
        jobs=jobs,
        site_url=site_url,
    )
    # Progress goes to standard output; problems and the closing line to standard error.
    summary = build_site(options, site_dir or project_dir / "site", Progress(sys.stdout))
    click.echo(f"Built {summary}.", err=True)


@main.command()
@PROJECT
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of printing it.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "html"]),
    default=None,
    help="Default: html for an output file ending in .html, else markdown.",
)
def coverage(project_dir: Path, output: Path | None, fmt: str | None) -> None:
    """Report which clause covers each required disclosure, per jurisdiction, with citations."""
    from generator.check import check_files
    from generator.coverage import Status
    from generator.coverage_report import render_coverage
    from generator.history import read_folder

    result = check_files(read_folder(project_dir))
    if result.coverage is None:
        errors = [p for p in result.problems if p.severity is Severity.ERROR]
        raise PolicyError(errors or [_NO_DISCLOSURES])
    source = result.policy.source_language if result.policy else ""
    titles = {
        clause.id: clause.title
        for (_, language), composition in sorted(result.compositions.items())
        if language == source
        for clause in composition.document.clauses
    }
    fmt = fmt or ("html" if output and output.suffix.lower() in {".html", ".htm"} else "markdown")
    report = render_coverage(result.coverage, titles, fmt)
    if output is None:
        click.echo(report, nl=False)
    else:
        _write_report(output, report.encode("utf-8"))
    missing = sum(jc.count(Status.MISSING) for jc in result.coverage.jurisdictions)
    undeclared = sum(jc.count(Status.UNDECLARED) for jc in result.coverage.jurisdictions)
    where = f" to {output}" if output else ""
    click.echo(
        f"Wrote the coverage of {len(result.coverage.jurisdictions)} jurisdictions{where}: "
        f"{missing} missing, {undeclared} with an undeclared condition.",
        err=True,
    )


def _write_report(path: Path, data: bytes) -> None:
    """Write a report to `path` (left untouched when it has these bytes already); a problem
    naming the file when it cannot be written."""
    try:
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
    except OSError as error:
        raise fail(
            str(path),
            None,
            "file.unwritable",
            f"cannot write the report there ({error.strerror or error}). Give --output a file "
            "in a folder that exists and that you can write to.",
        ) from error


def _address(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """An address the preview can be served on; a usage error saying why not otherwise."""
    from generator.preview import check_address

    try:
        return check_address(value)
    except ValueError as error:
        raise click.BadParameter(f"{error}. Give one such as 127.0.0.1:8000.") from None


@main.command()
@PROJECT
@click.option(
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    metavar="IP:PORT",
    callback=_address,
    help="The address to serve the preview on.",
)
def serve(project_dir: Path, dev_addr: str) -> None:
    """Preview the site while you edit: uncommitted changes show up on reload."""
    from generator.preview import serve_preview

    serve_preview(project_dir.resolve(), dev_addr)


@main.command()
@PROJECT
@click.argument("base", default="HEAD", required=False)
@click.argument("head", required=False)
@click.option(
    "--worktree", is_flag=True, help="Compare BASE with the uncommitted files (the default)."
)
def diff(project_dir: Path, base: str, head: str | None, worktree: bool) -> None:
    """Show what a change does to every published document, as Markdown for a pull request.

    Compares revision BASE with revision HEAD, or with the working tree when HEAD is not given.
    """
    from generator.pr_diff import diff_sources, render_markdown

    if head is not None and worktree:
        raise click.UsageError("give HEAD or --worktree, not both.")
    click.echo(render_markdown(diff_sources(project_dir, base, head)), nl=False)


def _day(_ctx: click.Context, _param: click.Parameter, value: str) -> dt.date:
    """A day written YYYY-MM-DD; a usage error naming the value otherwise (a day the calendar
    lacks, such as 2026-02-30, included)."""
    try:
        return dt.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(
            f"'{value}' is not a day of the calendar written YYYY-MM-DD, such as 2026-03-01."
        ) from None


@main.command(name="version-at")
@PROJECT
@click.argument("jurisdiction")
@click.argument("language")
@click.argument("date", metavar="DATE", callback=_day)
@click.option("--rev", default="HEAD", show_default=True, help="The revision to read up to.")
def version_at(
    project_dir: Path, jurisdiction: str, language: str, date: dt.date, rev: str
) -> None:
    """Print the version of a document in force on DATE (YYYY-MM-DD): number, hash, address."""
    from generator.build import BuildOptions, read_revisions, reference_date
    from generator.in_force import version_at as find
    from generator.pages import document_url
    from generator.versions import derive_versions

    options = BuildOptions(project_dir=project_dir.resolve(), rev=rev)
    publication = derive_versions(read_revisions(options), reference_date())
    if publication is None:
        raise PolicyError("no commit of the history has a valid policy.")
    version = find(publication, jurisdiction, language, date)
    url = f"{document_url(*version.key)}v/{version.number}/"
    click.echo(f"{version.number} sha256:{version.hash} {url}")


_NO_DISCLOSURES = Problem(
    path="policies/required-disclosures.yml",
    line=None,
    code="file.missing",
    message="there is no required-disclosures data to report on. Add the legal team's file there "
    "(see docs/authoring.md).",
)


def _repository_prefix(project_dir: Path) -> str:
    """The project's folder inside its git repository ('' at the top), for annotation paths."""
    from generator.history import Repository

    try:
        return Repository(project_dir).prefix
    except PolicyError:
        return ""


@main.group()
def i18n() -> None:
    """Translate the policy: extract the template, update the catalogs, report progress."""


@i18n.command()
@PROJECT
def extract(project_dir: Path) -> None:
    """Write the translation template, locales/policy.pot, from policies/."""
    from generator.translations import write_template

    path, written = write_template(project_dir)
    click.echo(f"{path}: {'written' if written else 'up to date'}", err=True)


@i18n.command()
@PROJECT
@click.option(
    "--drop-obsolete",
    is_flag=True,
    help="Delete obsolete (#~) translations instead of keeping them at the end of each catalog.",
)
def update(project_dir: Path, drop_obsolete: bool) -> None:
    """Merge the template into the catalog of every language, creating missing catalogs."""
    from generator.translations import update_catalogs

    results = update_catalogs(project_dir, keep_obsolete=not drop_obsolete)
    for result in results:
        state = "created" if result.created else "updated" if result.written else "up to date"
        click.echo(f"{result.path}: {state}; {result.counts}", err=True)
    if not results:
        click.echo("No jurisdiction lists a language to translate into: no catalog.", err=True)


@i18n.command()
@PROJECT
def status(project_dir: Path) -> None:
    """Print translated, fuzzy and missing messages per language and jurisdiction."""
    from generator.translations import format_status, translation_status

    statuses, shared, errors = translation_status(project_dir)
    click.echo(format_status(statuses, shared))
    if errors:
        raise PolicyError(errors)


def _language_tags(_ctx: click.Context, _param: click.Parameter, tags: tuple[str, ...]) -> tuple:
    """The tags as given, each a BCP 47 tag of a language CLDR knows."""
    from generator.sources import language_problem

    for tag in tags:
        if wrong := language_problem(tag, "'it' or 'pt-BR'"):
            raise click.BadParameter(wrong)
    return tags


@i18n.command()
@click.option(
    "--add",
    "languages",
    multiple=True,
    metavar="TAG",
    callback=_language_tags,
    help="Also create the interface catalog of this language (a BCP 47 tag); repeatable.",
)
def interface(languages: tuple[str, ...]) -> None:
    """For developers of this tool: extract the site's own words from generator/ and merge them
    into the interface catalogs shipped with it."""
    from generator.interface_catalogs import update_interface_catalogs

    for result in update_interface_catalogs(languages):
        state = "created" if result.created else "updated" if result.written else "up to date"
        click.echo(f"{result.path}: {state}; {result.counts}", err=True)


def _base_problem(project_dir: Path, base: str) -> Problem:
    """Why `policy check` cannot compare with `base`: a revision that names a file or folder,
    or none that this repository has."""
    from generator.history import Repository

    try:
        why = Repository(project_dir).not_a_commit(base)
    except PolicyError:
        why = None
    if why is not None and why.endswith("not a commit"):
        return Problem(
            path="",
            line=None,
            code="git.revision",
            message=f"--base {why}. Name a commit, branch or tag to compare with ('git log "
            "--oneline' lists them).",
        )
    return Problem(
        path="",
        line=None,
        code="git.unknown-revision",
        message=f"--base {base} is not a revision of this repository. Fetch it (in CI, check out "
        "with fetch-depth: 0) or name another revision.",
    )


def _base_files(project_dir: Path, base: str):  # noqa: ANN202
    """The watched files at `base`; None outside a git repository (whose check has no base),
    or when `base` names no commit. A repository git will not read is a problem to report: its
    check would skip every rule that compares with the base, without a word."""
    from generator.history import NOT_A_REPOSITORY, Repository

    try:
        return Repository(project_dir).files_at(base)
    except PolicyError as error:
        if any(problem.code != NOT_A_REPOSITORY for problem in error.problems):
            raise
        return None


if __name__ == "__main__":
    main()
