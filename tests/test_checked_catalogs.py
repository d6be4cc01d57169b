"""The check of each catalog is kept between builds (checked_catalogs.py): a catalog whose bytes did
not change is not read again, finds the same problems, and composes the same documents."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from conftest import Project
from histories import GERMAN, WITH_GERMAN, po

from generator import check as check_module
from generator.build import BuildOptions, build_site
from generator.check import check_files
from generator.checked_catalogs import CheckedCatalogs
from generator.history import read_folder

DE_PO = "locales/de/LC_MESSAGES/policy.po"
FR_PO = "locales/fr/LC_MESSAGES/policy.po"
FRENCH = {key: f"[fr] {text}" for key, text in GERMAN.items()}


def _project(make_project) -> Project:
    return make_project(
        {
            "policies/jurisdictions.yml": WITH_GERMAN.replace("[en, de]", "[en, de, fr]"),
            DE_PO: po(GERMAN),
            FR_PO: po(FRENCH),
        }
    )


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The catalogs the check reads, in order (in this process)."""
    read: list[str] = []
    real = check_module._read_catalog

    def counted(path: str, *args: object) -> object:
        read.append(path)
        return real(path, *args)

    monkeypatch.setattr(check_module, "_read_catalog", counted)
    return read


def _result(result) -> tuple:  # noqa: ANN001
    return (
        [(p.path, p.line, p.code, p.message, p.severity) for p in result.problems],
        result.translations,
        {key: (c.document, c.missing, c.fuzzy) for key, c in result.compositions.items()},
    )


def test_an_unchanged_catalog_is_not_read_again_and_finds_the_same(make_project, tmp_path, reads):
    project = _project(make_project)
    files = read_folder(project.root)
    plain = check_files(files)
    # Found by reading the catalogs, whose headers have no Language nor Plural-Forms.
    assert {"catalog.language", "catalog.plural-forms"} <= {p.code for p in plain.problems}
    assert sorted(reads) == [DE_PO, FR_PO]
    reads.clear()
    first = check_files(files, checked_catalogs=CheckedCatalogs(tmp_path))
    assert sorted(reads) == [DE_PO, FR_PO]
    reads.clear()
    again = check_files(files, checked_catalogs=CheckedCatalogs(tmp_path))
    assert reads == []
    assert _result(again) == _result(first) == _result(plain)


def test_a_changed_catalog_is_read_again_and_the_old_entry_goes(make_project, tmp_path, reads):
    project = _project(make_project)
    files = read_folder(project.root)
    kept = CheckedCatalogs(tmp_path)
    check_files(files, checked_catalogs=kept)
    assert kept.finish() == 0
    changed = {
        **files,
        FR_PO: po({**FRENCH, ("who-we-are", "Who we are"): "Qui nous sommes"}).encode(),
    }
    reads.clear()
    checks = CheckedCatalogs(tmp_path)
    result = check_files(changed, checked_catalogs=checks)
    assert reads == [FR_PO]
    assert checks.finish() == 1  # the French catalog's entry before the change
    assert len(list((tmp_path / "catalogs").rglob("*.*"))) == 2
    assert _result(result) == _result(check_files(changed))


@pytest.mark.parametrize("damage", ["flipped", "unpickled"])
def test_a_damaged_entry_is_read_again(make_project, tmp_path, reads, caplog, damage):
    project = _project(make_project)
    files = read_folder(project.root)
    first = check_files(files, checked_catalogs=CheckedCatalogs(tmp_path))
    kept = CheckedCatalogs(tmp_path)
    entry = Path(next(iter(kept.entries._entries.values()))[0])
    if damage == "flipped":  # the seal no longer matches
        data = entry.read_bytes()
        entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
        message = "is damaged; the catalog is checked again"
    else:  # sealed, but no pickle of ours: another version's, say
        key = entry.name.partition(".")[0]
        entry.unlink()
        kept.entries.write(key, b"\x80\x05garbage")
        message = "cannot be read"
    reads.clear()
    caplog.set_level(logging.WARNING)
    again = check_files(files, checked_catalogs=CheckedCatalogs(tmp_path))
    assert len(reads) == 1
    assert sum(message in r.message for r in caplog.records) == 1
    assert _result(again) == _result(first)


def test_a_warm_build_checks_only_the_catalogs_that_changed(make_project, tmp_path, monkeypatch):
    """The newest commit is checked in a process of its own: what it reads is logged to a file."""
    project = _project(make_project)
    log = tmp_path / "read.log"
    real = check_module._read_catalog

    def logged(path: str, *args: object) -> object:
        with log.open("a", encoding="utf-8") as file:
            file.write(path + "\n")
        return real(path, *args)

    monkeypatch.setattr(check_module, "_read_catalog", logged)
    cache = tmp_path / "cache"

    def build(site: str) -> list[str]:
        log.write_text("", encoding="utf-8")
        build_site(BuildOptions(project_dir=project.root, cache_dir=cache), project.root / site)
        return sorted(log.read_text(encoding="utf-8").split())

    assert build("cold") == [DE_PO, FR_PO]
    project.commit("French", {FR_PO: po({**FRENCH, ("who-we-are", "Who we are"): "Qui"})})
    assert build("warm") == [FR_PO]
    assert build("again") == []
    assert len(list((cache / "catalogs").rglob("*.*"))) == 2
