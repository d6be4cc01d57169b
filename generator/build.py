"""The build: the one place that knows the order of the stages.

read history -> derive versions -> guard the public record -> render pages, feeds and records
(checking the newest commit meanwhile) -> MkDocs frames the pages -> the finished site replaces
`site/` in one step, once the check has passed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import errno
import itertools
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.catalogs import is_catalog
from generator.check import check_files, nothing_to_publish
from generator.checked_catalogs import CheckedCatalogs
from generator.checkpoints import Checkpoints
from generator.compose import Composition
from generator.errors import PolicyError, Problem, Severity, counted, fail
from generator.feeds import render_feeds
from generator.history import WATCHED, Repository, Revision
from generator.model import Language
from generator.pages import (
    Site,
    SiteFile,
    chooser_name,
    document_url,
    jurisdiction_order,
    language_order,
    render_pages,
    site_address_problem,
)
from generator.processes import Forked, WorkerStopped, can_fork, running, stop_forked, umask
from generator.progress import Progress
from generator.publication import Publication
from generator.records import INDEX, document_record, iter_records
from generator.region_pages import region_pages
from generator.settings_files import SETTINGS_FILE, shown_path
from generator.sources import POLICIES, is_source
from generator.versions import derive_versions, now, source_date_epoch

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from generator.plugin import PolicyPlugin

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class BuildOptions:
    """What to build, and from where."""

    project_dir: Path
    rev: str = "HEAD"
    preview: bool = False
    """Publish uncommitted changes too, as a preview version (never for a real publication)."""
    previous: Path | None = None
    """versions.json of the last publication: no version it lists may disappear or change."""
    site_url: str = ""
    """The address the site is published at (mkdocs.yml's `site_url` unless given): the error page
    links to it from any depth, and the sitemaps and feeds use absolute addresses."""
    cache: bool = True
    """Reuse framed pages from earlier builds, and keep this build's for the next."""
    cache_dir: Path | None = None
    """Where the page cache lives; None: the plugin's `cache_dir` (`.policy-cache/`)."""
    jobs: int = 0
    """Processes that render pages at once; 0: the plugin's `jobs` (one per processor)."""


@dataclass(frozen=True, kw_only=True)
class BuildSummary:
    """What a build did, for its closing line."""

    documents: int
    versions: int
    pages: int
    """Pages written."""
    seconds: float
    reused: int = 0
    """Pages written from the page cache rather than rendered by MkDocs."""
    rendered: tuple[str, ...] = ()
    """Addresses of the pages MkDocs rendered, in the site's order."""

    def __str__(self) -> str:
        return (
            f"{counted(self.documents, 'document')}, {counted(self.versions, 'version')}, "
            f"{counted(self.pages, 'page')} ({self.reused} reused) in {self.seconds:.1f} s"
        )


def make_site(options: BuildOptions) -> tuple[Publication, Site]:
    """Run every stage up to the rendered pages, feeds and records."""
    publication = make_publication(options)
    site = dataclasses.replace(
        site_outline(publication),
        pages=tuple(render_pages(publication)),
        files=tuple(site_files(publication, options.site_url)),
    )
    return publication, site


def make_publication(
    options: BuildOptions,
    progress: Progress | None = None,
    checkpoints: Checkpoints | None = None,
    jobs: Callable[[int], int] | None = None,
    settings: Sequence[Path] = (),
    checked_catalogs: CheckedCatalogs | None = None,
) -> Publication:
    """Read the history, number every document's versions (from the newest of the `checkpoints`
    the history contains) and check the newest revision. `jobs(commits)`: how many processes
    share the walk through that many commits (one if not given); `settings`: the files and
    folders the site's frame is read from (see `read_revisions`); `checked_catalogs`: what the
    check of each catalog found in earlier builds."""
    prepared = prepare_publication(options, progress, checkpoints, jobs, settings, checked_catalogs)
    prepared.check()
    if checkpoints is not None:
        checkpoints.finish()
    return prepared.publication


@dataclass(kw_only=True)
class Prepared:
    """A publication, and the check of the newest revision that must pass before it is
    published: `policy build` runs it while the pages render."""

    publication: Publication
    checking: Callable[[], None]
    passed: bool = False

    def check(self) -> None:
        """Check the newest revision (once): its errors are raised."""
        if not self.passed:
            self.checking()
            self.passed = True


def prepare_publication(
    options: BuildOptions,
    progress: Progress | None = None,
    checkpoints: Checkpoints | None = None,
    jobs: Callable[[int], int] | None = None,
    settings: Sequence[Path] = (),
    checked_catalogs: CheckedCatalogs | None = None,
) -> Prepared:
    """Read the history and number every document's versions (see `make_publication`); the
    newest revision is checked now only if the versions could not include it (its errors say
    why), else by `check()`."""
    progress = progress or Progress(report=False)
    with progress.stage("history", unit="commits") as stage:
        revisions = read_revisions(options, settings)
        stage.advance(len(revisions))
    with progress.stage("versions", total=len(revisions), unit="commits") as stage:
        publication = derive_versions(
            revisions,
            reference_date(),
            checkpoints,
            stage.advance,
            jobs(len(revisions)) if jobs else 1,
        )
    newest = revisions[-1]
    checked_now = publication is None or not _includes(publication, newest)
    composed = {} if checked_now else publication.compositions
    errors = inline = partial(_check_errors, newest, composed, checked_catalogs)
    if not checked_now and can_fork():
        # In a process of its own, from now on: this one has MkDocs' configuration to load
        # before the processes that render pages take both processors.
        errors = Forked(lambda _send: inline()).result
    checking = partial(_check_newest, errors, progress)
    if checked_now:
        checking()
    if publication is None:
        raise PolicyError("no commit of the history has a valid policy to publish.")
    if not publication.documents:
        raise PolicyError([nothing_to_publish(publication.policy)])
    for problem in publication.problems:
        log.warning("%s", problem)
    if options.previous is not None:
        guard_append_only(publication, options.previous)
    if options.preview:
        publication = _as_in_force(publication)
    return Prepared(publication=publication, checking=checking, passed=checked_now)


def _includes(publication: Publication, revision: Revision) -> bool:
    """Whether the publication's newest accepted revision is this one."""
    head = publication.head
    return head is revision or bool(revision.commit and head.commit == revision.commit)


def _published_versions(record: object) -> list[tuple[str, str, int, str, dict[str, Any]]]:
    """(jurisdiction, language, number, hash, the whole record) of each version a versions.json
    lists: the site's (every document) or one document's. A ValueError says what does not fit."""
    if not isinstance(record, dict):
        raise ValueError("it is not a versions.json: its top level is not an object")
    documents = record.get("documents", [record])
    if not isinstance(documents, list):
        raise ValueError("its 'documents' is not a list")
    published = []
    for document in documents:
        fields = document if isinstance(document, dict) else {}
        jurisdiction, language = fields.get("jurisdiction"), fields.get("language")
        versions = fields.get("versions")
        if not (isinstance(jurisdiction, str) and isinstance(language, str)):
            raise ValueError("a document has no jurisdiction and language")
        if not isinstance(versions, list):
            raise ValueError(f"{jurisdiction}/{language} has no list of versions")
        for version in versions:
            number = version.get("number") if isinstance(version, dict) else None
            digest = version.get("hash") if isinstance(version, dict) else None
            if type(number) is not int or number < 1 or not isinstance(digest, str):
                raise ValueError(
                    f"a version of {jurisdiction}/{language} lacks a number from 1 up or a hash"
                )
            published.append((jurisdiction, language, number, digest, version))
    return published


FIXED_FIELDS = (
    "summary",
    "kind",
    "effective",
    "in_force_from",
    "summary_language",
    "source_version",
    "translation_only",
    "published",
    "commit",
)
"""What a version's record says that is fixed when it is made (`in_force_until` is not: it is
learnt when a later version or the retirement comes)."""


def site_outline(publication: Publication) -> Site:
    """The site's navigation and language; its pages and files come from `iter_pages`
    and `site_files`, one at a time."""
    return Site(
        chooser=chooser_name(publication.policy.source_language),
        pages=(),
        files=(),
        nav=_nav(publication),
        language=publication.policy.source_language,
    )


def site_files(publication: Publication, site_url: str) -> Iterator[SiteFile]:
    """The feeds, the regions' folder pages and the records, one at a time."""
    yield from render_feeds(publication, site_url)
    yield from region_pages(publication)
    yield from iter_records(publication)


def read_revisions(options: BuildOptions, settings: Sequence[Path] = ()) -> list[Revision]:
    """The history to publish (and the working tree, for a preview). Building HEAD, it warns of
    sources that differ from the commit (not built) and of `settings`, the files and folders the
    site's frame is read from as they are in the folder (`SettingsFiles.paths`), that do."""
    repository = Repository(options.project_dir)
    repository.check_complete()
    repository.require(options.rev, "git.revision")
    revisions = list(repository.history(options.rev))
    if options.preview:
        draft = repository.working_tree(revisions[-1] if revisions else None, now())
        if draft is not None:
            revisions.append(draft)
    elif options.rev == "HEAD" and revisions:
        warnings = (
            _not_committed(repository),
            _settings_not_committed(repository, settings, options.project_dir),
        )
        for warning in warnings:
            if warning is not None:
                log.warning("%s", warning)
    if not revisions:
        raise PolicyError(
            [
                Problem(
                    path="policies",
                    line=None,
                    code="git.no-history",
                    message="no commit contains policies/ yet. Commit the policy, then build.",
                )
            ]
        )
    return revisions


def _not_committed(repository: Repository) -> Problem | None:
    """The warning that edits of sources or catalogs in the working tree are not what is built:
    only commits are (None if no such file changed: an editor's backup file is no edit)."""
    changed = [p for p in repository.uncommitted() if is_source(p) or is_catalog(p)]
    if not changed:
        return None
    more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
    return Problem(
        path=changed[0],
        line=None,
        code="git.uncommitted",
        message=f"this file{more} changed since the last commit, and only commits are built: "
        "the site does not have these changes. Commit them to publish them, or see them with "
        "'policy serve'.",
        severity=Severity.WARNING,
    )


def _settings_not_committed(
    repository: Repository, settings: Sequence[Path], project_dir: Path
) -> Problem | None:
    """The warning that files the site's frame is read from (`settings`: mkdocs.yml, the files
    it inherits, hooks and what they import, theme overrides) differ from the last commit,
    naming each: the build reads them from the folder, so the site has the change, and the same
    commit builds another site anywhere else (CI builds a clean checkout)."""
    project = project_dir.resolve()
    changed = [shown_path(path, project) for path in repository.differing(settings)]
    if not changed:
        return None
    if len(changed) == 1:
        said = (
            "this file changed since the last commit, and the site is built with it as it is in "
            "the folder: a build of the commit elsewhere (CI) makes another site. Commit it, or "
            "undo the change."
        )
    else:
        said = (
            f"this file and {', '.join(changed[1:])} changed since the last commit, and the site "
            "is built with them as they are in the folder: a build of the commit elsewhere (CI) "
            "makes another site. Commit them, or undo the changes."
        )
    return Problem(
        path=changed[0],
        line=None,
        code="git.uncommitted",
        message=said,
        severity=Severity.WARNING,
    )


def reference_date() -> dt.date | None:
    """'Today' for the build, from SOURCE_DATE_EPOCH; None means the newest commit's date."""
    epoch = source_date_epoch()
    return None if epoch is None else dt.datetime.fromtimestamp(epoch, dt.UTC).date()


def guard_append_only(publication: Publication, previous: Path) -> None:
    """Fail if a version the last publication contained is missing or has another hash."""
    path = str(previous)
    try:
        published = _published_versions(json.loads(previous.read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        raise PolicyError(
            [
                Problem(
                    path=path,
                    line=None,
                    code="previous.unreadable",
                    message=f"cannot read the previous publication's versions ({error}). Pass the "
                    "versions.json of the last published site.",
                )
            ]
        ) from error
    problems = []
    records = {}
    for jurisdiction, language, number, digest, was in published:
        history = publication.documents.get((jurisdiction, language))
        where = document_url(jurisdiction, language)
        if history is None or number > len(history.versions):
            problems.append(
                Problem(
                    path=path,
                    line=None,
                    code="previous.missing",
                    message=f"version {number} of {where} was published ({digest}) but this build "
                    "does not contain it. Was the history rewritten? Restore it; published versions "
                    "must stay.",
                )
            )
        elif f"sha256:{history.versions[number - 1].hash}" != digest:
            problems.append(
                Problem(
                    path=path,
                    line=None,
                    code="previous.changed",
                    message=f"version {number} of {where} was published as {digest} but this build "
                    f"makes it sha256:{history.versions[number - 1].hash}. Was the history "
                    "rewritten? Restore it; a published version must never change.",
                )
            )
        else:
            if history.key not in records:
                records[history.key] = document_record(publication, history)["versions"]
            now = records[history.key][number - 1]
            changed = [f for f in FIXED_FIELDS if f in was and was[f] != now[f]]
            said = "; ".join(f"{f} {was[f]!r}, now {now[f]!r}" for f in changed)
            if "commit" in changed or "published" in changed:
                problems.append(
                    Problem(
                        path=path,
                        line=None,
                        code="previous.changed",
                        message=f"version {number} of {where} was published with other "
                        f"details ({said}). Was the history rewritten (a change note amended)? "
                        "Restore it; a published version keeps its summary and dates.",
                    )
                )
            elif changed:
                # The same commit read by rules of another version of this tool: the history is
                # intact, so say it, without refusing to publish what the history says.
                log.warning(
                    "%s",
                    Problem(
                        path=path,
                        line=None,
                        code="previous.reread",
                        message=f"version {number} of {where} was published with other "
                        f"details ({said}), from the same commit: this version of the tool "
                        "reads its change note otherwise (docs/operating.md).",
                        severity=Severity.WARNING,
                    ),
                )
    if problems:
        raise PolicyError(problems)


def build_site(
    options: BuildOptions, site_dir: Path, progress: Progress | None = None
) -> BuildSummary:
    """Build the whole site into a temporary folder, then put it in place of `site_dir`.

    A failed or interrupted build leaves the previous site exactly as it was.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    progress = progress or Progress(report=False)
    started = time.monotonic()
    site_dir = site_dir.resolve()
    try:
        check_site_dir(site_dir, options.project_dir.resolve())
        recover_interrupted(site_dir)
        staging = _make_staging(site_dir)
    except OSError as error:
        raise _unwritable(site_dir, error) from error
    plugin: PolicyPlugin | None = None
    cache_dir: Path | None = None
    try:
        with progress.timer("mkdocs"):
            overrides = {"site_url": options.site_url} if options.site_url else {}
            config, plugin = load_site_config(
                options.project_dir, site_dir=str(staging), **overrides
            )
        settings = plugin.settings_files(config).paths
        cache_dir = plugin.cache_folder(config, options)
        check_cache_dir(cache_dir, options.project_dir, site_dir)
        if config.site_url:
            # Feeds need absolute addresses when the site's address is known, as `mkdocs build`
            # gives them; both commands must publish the same bytes.
            options = dataclasses.replace(options, site_url=config.site_url)
        checkpoints = plugin.checkpoints(config, options)
        prepared = prepare_publication(
            options,
            progress,
            checkpoints,
            partial(plugin.jobs, options=options),
            settings,
            plugin.checked_catalogs(config, options),
        )
        publication = prepared.publication
        plugin.publish(publication, options, progress, prepared.check)
        # MkDocs' own time; the stages our plugin runs inside it are counted apart.
        with pinned_build_date(publication), progress.timer("mkdocs"):
            mkdocs_build(config)
        prepared.check()  # run while the pages rendered; nothing is published unless it passed
        if checkpoints is not None:
            with progress.timer("versions"):  # the walk's, written meanwhile by another process
                checkpoints.finish()
        with progress.timer("swap"):
            _replace(staging, site_dir)
    except MkDocsException as error:
        raise PolicyError(f"the site could not be built: {error}") from error
    except OSError as error:  # a volume full, a folder made read-only, a source gone
        raise _unwritten(error, site_dir, staging, cache_dir, options.project_dir) from error
    except WorkerStopped as error:
        raise _stopped(site_dir) from error
    except subprocess.CalledProcessError as error:
        if error.returncode >= 0:
            raise
        raise _stopped(site_dir) from error  # git, killed
    finally:
        stop_forked()
        if plugin is not None:
            plugin.abandon()  # its scratch files, when MkDocs was interrupted
        shutil.rmtree(staging, ignore_errors=True)
    return BuildSummary(
        documents=len(publication.documents),
        versions=sum(len(h.versions) for h in publication.documents.values()),
        pages=plugin.written,
        seconds=time.monotonic() - started,
        reused=plugin.reused,
        rendered=tuple(plugin.rendered),
    )


def load_site_config(project_dir: Path, **overrides: Any) -> tuple[MkDocsConfig, PolicyPlugin]:
    """The project's MkDocs configuration (mkdocs.yml with `overrides`) and its policy plugin.
    A project without policies/, MkDocs' `docs_dir`, or without the plugin is told so as our
    error, naming what to do, rather than as MkDocs' configuration error."""
    from mkdocs.config import load_config

    if not (project_dir / POLICIES).is_dir():
        raise PolicyError(
            [
                Problem(
                    path=POLICIES,
                    line=None,
                    code="file.missing",
                    message=f"there is no folder {POLICIES}/ in the project: it holds the clauses "
                    "the site is built from. Restore it from the history, or create it (see "
                    "docs/authoring.md).",
                )
            ]
        )
    config = load_config(str(project_dir / SETTINGS_FILE), **overrides)
    check_site_url(config)
    check_theme(config)
    check_theme_language(config)
    plugin = config.plugins.get("policy")
    if plugin is None:
        raise PolicyError(
            [
                Problem(
                    path=SETTINGS_FILE,
                    line=None,
                    code="mkdocs.plugin",
                    message="the 'policy' plugin is not enabled. Add '- policy' under 'plugins'.",
                )
            ]
        )
    return config, plugin


def check_site_url(config: MkDocsConfig) -> None:
    """Refuse a `site_url` no page's address can be made from (`--site-url` is checked as the
    command reads it, by the same rule)."""
    if config.site_url and (problem := site_address_problem(config.site_url)):
        config_file = Path(config.config_file_path)
        raise fail(config_file.name, _key_line(config_file, "site_url"), "mkdocs.site-url", problem)


def check_theme(config: MkDocsConfig) -> None:
    """Refuse a theme other than Material, which the site's templates extend; and turn its web
    fonts off, whatever mkdocs.yml says: the site asks no other host for anything (a shopper's
    browser would tell Google's font servers which policy it reads)."""
    if config.theme.name != "material":
        raise fail(
            SETTINGS_FILE,
            None,
            "mkdocs.theme",
            f"the site is built on the Material for MkDocs theme, not '{config.theme.name}'. "
            "Set 'theme: name: material' (see docs/operating.md).",
        )
    config.theme["font"] = False
    for problem in _overrides_unused(config):
        log.warning("%s", problem)


def _overrides_unused(config: MkDocsConfig) -> list[Problem]:
    """The theme overrides (`custom_dir`) the site does not use: the templates of this tool's
    own theme layer (`main.html`, `404.html`, partials) come before them, since the pages need
    theirs, so an override of one of those would be left out without a word."""
    from generator.plugin import THEME_DIR

    custom = config.theme.custom_dir
    if not custom:
        return []
    project = Path(config.config_file_path).parent
    ours = sorted(p.relative_to(THEME_DIR) for p in THEME_DIR.rglob("*.html"))
    return [
        Problem(
            path=shown_path(Path(custom) / name, project),
            line=None,
            code="mkdocs.override-unused",
            message=f"this override is not used: the site's own theme has '{name.as_posix()}', "
            "which the pages need, ahead of custom_dir. Override another of the theme's partials "
            "instead (docs/operating.md), or remove this file.",
            severity=Severity.WARNING,
        )
        for name in ours
        if (Path(custom) / name).is_file()
    ]


def check_theme_language(config: MkDocsConfig) -> None:
    """Refuse a `theme.language` the theme has no words for: the theme would fail with a
    TemplateNotFound traceback. Its names are Material's (`zh`, `zh-Hant`, `pt-BR`), not
    always the BCP 47 tags of jurisdictions.yml (`zh-Hans`, `pt-br`)."""
    language = config.theme.get("language")
    if not isinstance(language, str):
        return
    folders = [Path(folder) / "partials" / "languages" for folder in config.theme.dirs]
    if not any(folder.is_dir() for folder in folders):
        return  # not Material, or a theme of its own: no such files to check
    names = sorted({p.stem for folder in folders for p in folder.glob("*.html")})
    if language in names:
        return
    folded = language.lower().replace("_", "-")
    near = [n for n in names if n.lower() == folded]
    near += [n for n in names if n.lower().split("-")[0] == folded.split("-")[0] and n not in near]
    near += [n for n in difflib.get_close_matches(language, names, n=3) if n not in near]
    quoted = [f"'{name}'" for name in near[:4]]
    hint = (
        f" (did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?)" if len(quoted) > 1
        else f" (did you mean {quoted[0]}?)" if quoted
        else ""
    )  # fmt: skip
    config_file = Path(config.config_file_path)
    raise fail(
        config_file.name,
        _key_line(config_file, "theme", "language"),
        "mkdocs.theme",
        f"the theme has no language '{language}'{hint}. Set 'language' under 'theme' to one of "
        f"the theme's languages: the names of the files in "
        f"{next(folder for folder in folders if folder.is_dir())}.",
    )


def _key_line(config_file: Path, section: str, key: str | None = None) -> int | None:
    """The line of `key` in the top-level `section` of a YAML file, or of the top-level key
    `section` itself, if it is written there."""
    try:
        lines = config_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    inside = False
    for number, line in enumerate(lines, start=1):
        if line and not line[0].isspace() and not line.startswith("#"):
            inside = line.split(":", 1)[0].strip() == section
            if inside and key is None:
                return number
        elif inside and line.strip().split(":", 1)[0] == key and ":" in line:
            return number
    return None


def check_site_dir(site_dir: Path, project_dir: Path) -> None:
    """A build replaces the site folder whole: refuse one that holds anything but a site, such as
    the project itself (`--site-dir .`), its sources, or a folder of other files."""
    why = None
    if site_dir.exists() and not site_dir.is_dir():
        why = "it is a file"
    elif project_dir.is_relative_to(site_dir):
        why = "it holds the project"
    elif any(site_dir.is_relative_to(project_dir / part) for part in (*WATCHED, ".git")):
        why = "it is inside the project's sources"
    elif site_dir.is_dir() and any(site_dir.iterdir()) and not (site_dir / INDEX).is_file():
        why = f"it holds files and no site built before (no {INDEX})"
    if why is not None:
        raise fail(
            str(site_dir),
            None,
            "build.site-dir",
            f"will not build the site here: {why}, and a build replaces this folder whole. "
            "Give --site-dir a folder of its own (the default is site/ in the project).",
        )


def check_cache_dir(cache_dir: Path | None, project_dir: Path, site_dir: Path) -> None:
    """The build cache fills its folder with folders of its own and prunes them: refuse the
    project folder, a folder of its sources (`--cache-dir policies`) and the site folder, which
    each build replaces whole (nothing kept there would ever be reused)."""
    if cache_dir is None:
        return
    cache_dir, project_dir = cache_dir.resolve(), project_dir.resolve()
    why = None
    if cache_dir == project_dir:
        why = "it is the project folder, which it would fill with folders of its own"
    elif any(cache_dir.is_relative_to(project_dir / part) for part in (*WATCHED, ".git")):
        why = "it is inside the project's sources, which it would fill with folders of its own"
    elif cache_dir.is_relative_to(site_dir):
        why = (
            "it is inside the site folder, which each build replaces whole: nothing kept there "
            "would be reused"
        )
    if why is not None:
        raise fail(
            str(cache_dir),
            None,
            "build.cache-dir",
            f"will not keep the build cache here: {why}. Give --cache-dir (or the plugin's "
            "cache_dir) a folder of its own (the default is .policy-cache/ in the project).",
        )


def _make_staging(site_dir: Path) -> Path:
    """The empty folder beside `site_dir` that the site is built in (see `_replace`), made with
    `site_dir`'s missing parents."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{site_dir.name}-building-{os.getpid()}-", dir=site_dir.parent)
    )
    # A temporary folder is private (0700); the site is for a web server to read, like every
    # folder in it.
    staging.chmod(0o777 & ~umask())
    return staging


_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
"""A volume full, a quota or a limit on a file's size reached."""


def _unwritten(
    error: OSError, site_dir: Path, staging: Path, cache_dir: Path | None, project_dir: Path
) -> PolicyError:
    """The problem that a file could not be written or read while the site was built, named as
    the user knows it: in the site (not its staging folder) or the site's folder itself, in the
    cache, neither known (a spool written without its name, a copy that names its source, a
    scratch folder elsewhere), or a file of the project the build reads (a dangling link among
    the sources MkDocs copies)."""
    fix = "Free space" if error.errno in _FULL else "Make it writable"
    path = Path(os.fsdecode(error.filename)) if error.filename else None
    if path is not None and path.is_relative_to(staging):
        path = site_dir / path.relative_to(staging)
    in_cache = path is not None and cache_dir is not None and path.is_relative_to(cache_dir)
    in_site = path is not None and path.is_relative_to(site_dir)
    project = project_dir.resolve()
    read = path is not None and path.is_relative_to(project) and not (in_site or in_cache)
    if read and error.errno not in _FULL:
        return fail(
            path.relative_to(project).as_posix(),
            None,
            "file.unreadable",
            f"the build could not read it ({error.strerror or error}): nothing was published, "
            "the site is as it was. Restore the file (a link to a file that is gone, say), or "
            "remove it.",
        )
    if in_cache:
        code, advice = "build.cache-dir", f"{fix} there, or build with --no-cache."
    elif in_site:
        code, advice = "build.site-dir", f"{fix} there, or give --site-dir another folder."
    else:
        path = None
        code = "build.site-dir"
        advice = f"{fix} where the site is written" + (
            f" and in the cache folder ({cache_dir})." if cache_dir else "."
        )
    return fail(
        str(path or site_dir),
        None,
        code,
        f"the build could not write a file ({error.strerror or error}): nothing was published, "
        f"the site is as it was. {advice}",
    )


def _stopped(site_dir: Path) -> PolicyError:
    return fail(
        str(site_dir),
        None,
        "build.process",
        "a process of the build was stopped from outside (killed, perhaps for want of memory) "
        "before it finished: nothing was published, the site is as it was. Build again.",
    )


def _unwritable(site_dir: Path, error: OSError) -> PolicyError:
    """The problem that the site cannot be built at `site_dir`, naming the folder on the way that
    is a file, or the one `error` is about (the parent, for the staging folder not made in it)."""
    place, why = next(
        (
            (folder, "it is a file")
            for folder in site_dir.parents
            if os.path.exists(folder) and not os.path.isdir(folder)
        ),
        (Path(error.filename or site_dir.parent), error.strerror or str(error)),
    )
    if place.name.startswith(f".{site_dir.name}-building-"):
        place = site_dir.parent
    return fail(
        str(site_dir),
        None,
        "build.site-dir",
        f"cannot write the site there ({why if place == site_dir else f'{place}: {why}'}). "
        "Give --site-dir a folder you can write to.",
    )


def build_epoch(publication: Publication) -> str:
    """SOURCE_DATE_EPOCH for MkDocs: the one set by the caller, else the newest revision's date."""
    return os.environ.get("SOURCE_DATE_EPOCH") or str(int(publication.head.date.timestamp()))


@contextlib.contextmanager
def pinned_build_date(publication: Publication) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set while MkDocs runs: it dates the sitemaps and the index's gzip header
    with it, else with the clock, and the same commit must build the same bytes at any time."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = build_epoch(publication)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def recover_interrupted(site_dir: Path) -> None:
    """Clean up after a build that was killed: drop its staging folder, and put the previous
    site back if the kill came between the two renames of `_replace`."""
    if not site_dir.parent.is_dir():
        return
    for stale in sorted(site_dir.parent.glob(f".{site_dir.name}-building-*")):
        if stale.is_dir() and not _running(stale.name):
            log.info("removing %s, left by an interrupted build", stale.name)
            shutil.rmtree(stale, ignore_errors=True)
    old = _swapped_out(site_dir)
    if old.is_dir() and not site_dir.exists():
        log.info("restoring %s from %s, left by an interrupted build", site_dir.name, old.name)
        old.rename(site_dir)
    # The previous site in the way of the swap, and those an earlier build could not delete
    # (see `_set_aside`): delete them now if they can be.
    _set_aside(old)
    for left in sorted(site_dir.parent.glob(f"{old.name}-*-*")):
        if not re.fullmatch(r"[0-9]+-[0-9]+", left.name[len(old.name) + 1 :]):
            continue  # not `_set_aside`'s: a site named `site-old` has `.site-old-building-*`
        if left.is_dir() and not left.is_symlink() and (why := _delete(left)) is not None:
            log.warning("%s", _left_behind(left, f"an earlier build could not delete it ({why})"))


def _running(staging_name: str) -> bool:
    """Whether the build that made a staging folder (`.site-building-<pid>-...`) still runs."""
    pid = staging_name.split("-building-", 1)[1].split("-", 1)[0]
    return pid.isdigit() and int(pid) != os.getpid() and running(int(pid))


def _replace(staging: Path, site_dir: Path) -> None:
    """Swap the new site in with two renames, so no reader sees a half-written site; then delete
    the previous one."""
    old = _swapped_out(site_dir)
    _set_aside(old)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    _set_aside(old, published=True)


def _swapped_out(site_dir: Path) -> Path:
    """Where `_replace` moves the previous site (`.site-old`) before it deletes it."""
    return site_dir.with_name(f".{site_dir.name}-old")


def _set_aside(old: Path, published: bool = False) -> None:
    """Delete the previous site at `old`; what of it cannot be deleted (files another user made
    read-only) is moved to a name of its own beside it, with a warning, so that it is never in
    the way of the next swap. If it cannot be moved either, the swap cannot be made: an error,
    or a warning once the new site is `published` (the next build then stops before it starts)."""
    if not os.path.lexists(old):
        return
    why = _delete(old)
    if why is None:
        return
    for number in itertools.count(1):
        kept = old.with_name(f"{old.name}-{os.getpid()}-{number}")
        if not os.path.lexists(kept):
            break
    try:
        old.rename(kept)
    except OSError as error:
        if published:
            log.warning("%s", _left_behind(old, f"it could not be deleted ({why})"))
            return
        raise fail(
            str(old),
            None,
            "build.site-dir",
            f"the previous site, left here, can neither be deleted ({why}) nor moved "
            f"({error.strerror or error}), and the new site cannot take its place while it is "
            "there. Delete this folder (with the rights of whoever made its files), then build "
            "again.",
        ) from error
    log.warning("%s", _left_behind(kept, f"it could not be deleted ({why})"))


def _delete(folder: Path) -> str | None:
    """Delete a folder and everything in it; why something could not be deleted (naming it
    inside the folder), or None."""
    failed: list[str] = []

    def note(_function: object, path: str, info: tuple) -> None:
        where, why = os.path.relpath(path, folder), info[1].strerror or str(info[1])
        failed.append(why if where == "." else f"{where}: {why}")

    shutil.rmtree(folder, onerror=note)
    if not os.path.lexists(folder):
        return None
    return failed[0] if failed else "it is still there"


def _left_behind(folder: Path, why: str) -> Problem:
    """The warning that a previous site is left at `folder`, and why."""
    return Problem(
        path=str(folder),
        line=None,
        code="build.old-site",
        message=f"a previous site is left here: {why}. It is no part of the site; delete it "
        "(with the rights of whoever made its files).",
        severity=Severity.WARNING,
    )


def _as_in_force(publication: Publication) -> Publication:
    """A preview shows the newest text on the document pages: its 'today' is the day the newest
    version takes effect (or later), so an edit is not hidden behind an announcement."""
    newest = max(
        (h.latest.in_force_from for h in publication.documents.values()),
        default=publication.reference_date,
    )
    return dataclasses.replace(publication, reference_date=max(publication.reference_date, newest))


def _check_newest(errors: Callable[[], list[Problem]], progress: Progress) -> None:
    """The newest revision is what shoppers get: it must pass the check, its `errors` stop the
    build."""
    with progress.stage("check", unit="revisions") as stage:
        found = errors()
        if found:
            raise PolicyError(found)
        stage.advance()


def _check_errors(
    revision: Revision,
    composed: dict[tuple[str, str], Composition],
    checked_catalogs: CheckedCatalogs | None = None,
) -> list[Problem]:
    """The errors `policy check` finds in a revision; `composed`: its documents, if the version
    history composed them; `checked_catalogs`: what checking each catalog found in earlier builds,
    which keeps only this revision's catalogs (the check runs once a build, alone with them)."""
    try:
        result = check_files(revision.files, composed=composed, checked_catalogs=checked_catalogs)
    except PolicyError as error:  # as problems: from another process, it is the same error
        return error.problems
    finally:
        if checked_catalogs is not None:
            checked_catalogs.finish()
    return [p for p in result.problems if p.severity is Severity.ERROR]


def _nav(publication: Publication) -> tuple:
    """The navigation's regions in the source language: each page names them in its own
    (`Page.navigation`)."""
    policy = publication.policy
    entries = []
    for jid in jurisdiction_order(publication):
        languages = sorted(
            (lang for (j, lang), h in publication.documents.items() if j == jid and not h.retired),
            key=lambda t, jid=jid: language_order(policy, jid, t),
        )
        entries.append(
            (
                publication.jurisdiction_name(jid, policy.source_language),
                tuple((Language(tag=t).native_name, document_url(jid, t)) for t in languages),
            )
        )
    return tuple(entries)
