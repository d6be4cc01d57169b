"""The `policy i18n` commands on a project folder: write the template, update every catalog, and
report how far each translation is.

Dates written into catalogs come from SOURCE_DATE_EPOCH or the HEAD commit, never from the clock,
and a file is rewritten only when more than its header dates would change.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from generator.catalogs import (
    LOCALES,
    catalog_path,
    catalog_to_merge,
    is_catalog,
    parse_catalog,
    plural_forms,
    plural_forms_match,
    translations_from,
)
from generator.check import TranslationStatus, check_files, shared_counts
from generator.errors import PolicyError, Problem, Problems, Severity, fail
from generator.history import read_folder
from generator.i18n import (
    MergeCounts,
    extract_template,
    merge_catalog,
    new_catalog,
)
from generator.model import Language, Policy
from generator.pofiles import PoSyntaxError, read_catalog, write_catalog
from generator.sources import read_policy
from generator.versions import now, source_date_epoch

TEMPLATE = f"{LOCALES}/policy.pot"
"""Where `policy i18n extract` writes the template, relative to the project."""

_DATES = re.compile(rb'^"(?:POT-Creation|PO-Revision)-Date: [^"\n]*"\n', re.MULTILINE)


@dataclass(frozen=True, kw_only=True)
class CatalogUpdate:
    """What `policy i18n update` did to one catalog."""

    path: str
    created: bool
    written: bool
    """False when the catalog was already up to date."""
    counts: MergeCounts


@dataclass(frozen=True, kw_only=True)
class SharedStatus:
    """The messages of one catalog that no single document owns: jurisdiction names and the
    current change summary."""

    language: str
    translated: int
    fuzzy: int
    missing: int


def write_template(project_dir: Path) -> tuple[str, bool]:
    """Extract the template into `locales/policy.pot`; (its path, whether it was written)."""
    policy = _policy(project_dir)
    template = extract_template(policy, source_date(project_dir))
    return TEMPLATE, write_if_changed(project_dir / TEMPLATE, write_catalog(template), TEMPLATE)


def update_catalogs(project_dir: Path, *, keep_obsolete: bool = True) -> list[CatalogUpdate]:
    """Write the template, then merge it into the catalog of every language a jurisdiction lists
    (creating missing catalogs); raises PolicyError naming each catalog that cannot be read."""
    policy = _policy(project_dir)
    created = source_date(project_dir)
    template = extract_template(policy, created)
    write_if_changed(project_dir / TEMPLATE, write_catalog(template), TEMPLATE)
    problems = Problems()
    updates = []
    for tag in translated_languages(policy):
        language = Language(tag=tag)
        path = catalog_path(language)
        target = project_dir / path
        old = None
        if target.exists():
            try:
                data = target.read_bytes()
            except OSError as error:
                problems.add(
                    path,
                    None,
                    "file.unreadable",
                    f"cannot read the catalog ({error.strerror or error}). Make it a file this "
                    "user can read and write, then run the command again.",
                )
                continue
            old = catalog_to_merge(path, data, problems)
            if old is None:
                continue
        base = old if old is not None else new_catalog(template, language, policy.title, created)
        merged, counts = merge_catalog(template, base, keep_obsolete=keep_obsolete)
        # Derived from the folder and CLDR, so the tool keeps them right (msgfmt needs them).
        merged.set_header("Language", language.catalog_name)
        if not plural_forms_match(merged.header("Plural-Forms"), language):
            merged.set_header("Plural-Forms", plural_forms(language))
        merged.set_header("Content-Type", "text/plain; charset=UTF-8")
        written = write_if_changed(target, write_catalog(merged), path)
        updates.append(
            CatalogUpdate(path=path, created=old is None, written=written, counts=counts)
        )
    problems.raise_if_errors()
    return updates


def translation_status(
    project_dir: Path,
) -> tuple[list[TranslationStatus], list[SharedStatus], list[Problem]]:
    """Per language and jurisdiction, and per language for the shared messages: translated,
    fuzzy and missing counts of the working tree; and the catalogs' errors: those of a catalog
    that cannot be read as it is (its counts then say what could be read, if anything), and
    translations the check refuses (a variable the msgid does not have)."""
    files = read_folder(project_dir)
    result = check_files(files)
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    if result.policy is None:
        raise PolicyError(errors)
    policy = result.policy
    shared = []
    for tag in translated_languages(policy):
        path = catalog_path(Language(tag=tag))
        catalog = parse_catalog(path, files[path], Problems()) if path in files else None
        translations = translations_from(catalog, path) if catalog is not None else None
        translated, fuzzy, missing = shared_counts(policy, translations)
        shared.append(
            SharedStatus(language=tag, translated=translated, fuzzy=fuzzy, missing=missing)
        )
    statuses = sorted(result.translations, key=lambda s: (s.language, s.jurisdiction))
    return statuses, shared, [p for p in errors if is_catalog(p.path)]


def format_status(statuses: list[TranslationStatus], shared: list[SharedStatus]) -> str:
    """The status as a plain table, one row per language and jurisdiction."""
    rows = [("language", "jurisdiction", "translated", "fuzzy", "missing", "state")]
    for common in shared:
        for s in (s for s in statuses if s.language == common.language):
            numbers = (str(s.translated), str(s.fuzzy), str(s.missing))
            state = "complete" if s.complete else "lagging" if s.fuzzy or s.missing else "refused"
            rows.append((s.language, s.jurisdiction, *numbers, state))
        numbers = (str(common.translated), str(common.fuzzy), str(common.missing))
        state = "complete" if not common.fuzzy and not common.missing else "incomplete"
        rows.append((common.language, "(names, summary)", *numbers, state))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(width) if 2 <= i <= 4 else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def translated_languages(policy: Policy) -> list[str]:
    """Every language a jurisdiction lists, other than the source language, sorted."""
    return sorted(
        {lang for j in policy.jurisdictions.values() for lang in j.languages}
        - {policy.source_language}
    )


def source_date(project_dir: Path) -> str:
    """The POT-Creation-Date to write: SOURCE_DATE_EPOCH, else the HEAD commit's date, else (no
    commit yet) the time the first commit would get: msgfmt's header check wants one."""
    stamp = _head_date(project_dir) if source_date_epoch() is None else None
    return (stamp or now()).strftime("%Y-%m-%d %H:%M+0000")


def write_if_changed(path: Path, content: bytes, shown: str | None = None) -> bool:
    """Write a catalog unless only its header dates would change, or the way its lines are
    wrapped (GNU's tools wrap them otherwise: a file one of them saved is left as it is, since
    rewriting it would fill a pull request with changes of no meaning); whether it was written.
    One that cannot be written is a problem naming it (as `shown`, else by its path)."""
    try:
        if path.exists():
            current = path.read_bytes()
            if _DATES.sub(b"", current) == _DATES.sub(b"", content) or _same(current, content):
                return False
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except OSError as error:
        raise fail(
            shown or str(path),
            None,
            "file.unwritable",
            f"cannot write the catalog ({error.strerror or error}). Make it a file this user can "
            "write, then run the command again.",
        ) from error
    return True


def _policy(project_dir: Path) -> Policy:
    policy, problems = read_policy(read_folder(project_dir))
    if policy is None:
        raise PolicyError([p for p in problems if p.severity is Severity.ERROR])
    return policy


def _same(current: bytes, content: bytes) -> bool:
    """Whether two catalogs say the same, dates aside: each read, then written as this tool
    writes catalogs."""
    try:
        ours, theirs = (
            write_catalog(read_catalog(data.decode("utf-8"))) for data in (content, current)
        )
    except (UnicodeDecodeError, PoSyntaxError, ValueError):  # then it is written again
        return False
    return _DATES.sub(b"", ours) == _DATES.sub(b"", theirs)


def _head_date(project_dir: Path) -> dt.datetime | None:
    from generator.history import Repository

    try:
        repository = Repository(project_dir)
    except PolicyError:
        return None
    commit = repository.head("HEAD")
    if commit is None:
        return None
    return dt.datetime.fromtimestamp(repository.repo.commit(commit).committed_date, dt.UTC)
