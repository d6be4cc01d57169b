"""A build that resumes the history walk from a checkpoint derives exactly what reading the whole
history derives, whatever commit it resumes after, and parses only the clause files changed since;
a damaged checkpoint or one of a rewritten history is never used; a checkpoint that cannot be
written, or whose writing is stopped, is never trusted."""

from __future__ import annotations

import errno
import logging
import os
import subprocess
import time
from pathlib import Path

import pytest
from conftest import Project, change_yml
from histories import DATA_MD, GERMAN, WITH_GERMAN, po, same_publication, synthetic_history

from generator import cache, sources
from generator.build import BuildOptions, build_site
from generator.checkpoints import Checkpoints
from generator.history import Repository
from generator.processes import reap, stop_forked
from generator.versions import derive_versions


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    """A synthetic history: paragraph edits, renames, added clauses, translation catch-ups."""
    root = tmp_path_factory.mktemp("history") / "repo"
    return synthetic_history(root, clauses=10, jurisdictions=3, languages=3, versions=10, seed=7)


def _revisions(root: Path, rev: str = "HEAD") -> list:
    return list(Repository(root).history(rev))


def _walked(revisions: list, folder: Path) -> None:
    """Walk `revisions`, keeping the state after the last in the cache `folder` (written, by
    another process, once this returns)."""
    checkpoints = Checkpoints(folder)
    derive_versions(revisions, checkpoints=checkpoints)
    checkpoints.finish()


def test_resuming_after_any_commit_derives_what_the_whole_history_derives(repository, tmp_path):
    revisions = _revisions(repository)
    expected = derive_versions(revisions)
    assert expected is not None and len(revisions) > 10
    for count in range(1, len(revisions)):
        folder = tmp_path / f"after-{count}"
        _walked(revisions[:count], folder)
        counted: list[int] = []
        checkpoints = Checkpoints(folder)
        resumed = derive_versions(revisions, None, checkpoints, counted.append)
        assert counted[0] == count  # resumed after the checkpoint's commit, not from the start
        assert sum(counted) == len(revisions)
        assert same_publication(resumed, expected), f"resumed after commit {count}"
        checkpoints.finish()
        assert len(list((folder / "history").rglob("*.*"))) == 1  # the newest only


def test_a_damaged_checkpoint_is_dropped_and_the_history_read_again(repository, tmp_path, caplog):
    revisions = _revisions(repository)
    folder = tmp_path / "cache"
    _walked(revisions[:-1], folder)
    (entry,) = (folder / "history").rglob("*.*")
    entry.write_bytes(b"not a pickle")
    counted: list[int] = []
    with caplog.at_level(logging.WARNING):
        resumed = derive_versions(revisions, None, Checkpoints(folder), counted.append)
    assert same_publication(resumed, derive_versions(revisions))
    assert counted == [1] * len(revisions)
    assert any("history cache" in r.message and "damaged" in r.message for r in caplog.records)


def test_an_unreadable_checkpoint_is_dropped(repository, tmp_path, caplog):
    """Right sha256, wrong content (another version's pickle, say): read from the start."""
    revisions = _revisions(repository)
    folder = tmp_path / "cache"
    checkpoints = Checkpoints(folder)
    checkpoints.save(revisions[-2].commit, None)
    checkpoints.finish()
    checkpoints.entries.write(checkpoints._key(revisions[-2].commit), b"\x80\x05garbage")
    counted: list[int] = []
    with caplog.at_level(logging.WARNING):
        resumed = derive_versions(revisions, None, Checkpoints(folder), counted.append)
    assert same_publication(resumed, derive_versions(revisions))
    assert counted == [1] * len(revisions)
    assert any("cannot be read" in r.message for r in caplog.records)


def test_a_rewritten_history_does_not_resume_from_a_commit_it_lost(repository, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repository), str(clone)], check=True)
    folder = tmp_path / "cache"
    _walked(_revisions(clone), folder)
    # The last commit is replaced by another: the checkpoint after it is not in this history.
    subprocess.run(["git", "-C", str(clone), "reset", "-q", "--hard", "HEAD~1"], check=True)
    subprocess.run(
        ["git", "-C", str(clone), "commit", "-q", "--allow-empty", "-m", "Another ending"],
        check=True,
    )
    revisions = _revisions(clone)
    counted: list[int] = []
    resumed = derive_versions(revisions, None, Checkpoints(folder), counted.append)
    assert counted == [1] * len(revisions)
    assert same_publication(resumed, derive_versions(revisions))


def _clause_files(revision) -> set[tuple[str, bytes]]:  # noqa: ANN001
    return {
        (path, revision.files[path])
        for path in revision.files
        if path.startswith("policies/") and path.endswith(".md")
    }


@pytest.fixture
def parses(monkeypatch) -> list[tuple[str, bytes]]:
    """The clause files parsed from now on, in a process that has parsed none yet, as the build
    after the one that saved a checkpoint runs."""
    sources._PARSED.clear()
    parsed: list[tuple[str, bytes]] = []
    parse = sources._parse_clause_file

    def counted(path: str, data: bytes):  # noqa: ANN202
        parsed.append((path, data))
        return parse(path, data)

    monkeypatch.setattr(sources, "_parse_clause_file", counted)
    return parsed


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """The files whose text's variables are checked from now on, in a process that has checked
    none yet (as `parses`)."""
    sources._TEXT_PROBLEMS.clear()
    checked: list[str] = []
    check = sources._find_variable_problems

    def counted(text, filler):  # noqa: ANN001, ANN202
        checked.append(text.origin.path)
        return check(text, filler)

    monkeypatch.setattr(sources, "_find_variable_problems", counted)
    return checked


@pytest.mark.parametrize("behind", [1, 4, 11])
def test_a_resumed_walk_reads_only_the_clause_files_changed_since_its_checkpoint(
    repository, tmp_path, parses, checks, behind
):
    """The checkpoint carries how its commit's clause files parse and what checking their
    variables found. The commits after it in this history reword clauses, add one and move one
    to another folder (a file at a new path is read again: its problems name the path)."""
    revisions = _revisions(repository)
    count = len(revisions) - behind
    _walked(revisions[:count], tmp_path / "cache")
    parses.clear()
    checks.clear()
    sources._PARSED.clear()
    sources._TEXT_PROBLEMS.clear()
    resumed = derive_versions(revisions, None, Checkpoints(tmp_path / "cache"))
    changed = set().union(*map(_clause_files, revisions[count:])) - _clause_files(
        revisions[count - 1]
    )
    assert 0 < len(changed) < len(_clause_files(revisions[-1]))
    assert sorted(parses) == sorted(changed)  # each once
    assert sorted(checks) == sorted(path for path, _ in changed)
    assert same_publication(resumed, derive_versions(revisions))


def _german_project(make_project) -> Project:  # noqa: ANN001
    return make_project(
        {"policies/jurisdictions.yml": WITH_GERMAN, "locales/de/LC_MESSAGES/policy.po": po(GERMAN)}
    )


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_build_resumed_from_its_checkpoint_publishes_what_one_without_it_does(
    make_project, tmp_path, parses, checks
):
    """As CI builds a merge: the cache of the build before, in a new process (no file parsed
    yet); the byte-for-byte same site as a build that reads the whole history."""
    project = _german_project(make_project)
    cache_dir = tmp_path / "cache"
    build_site(BuildOptions(project_dir=project.root, cache_dir=cache_dir), tmp_path / "before")
    assert len(list((cache_dir / "history").rglob("*.*"))) == 1  # written before the build ended
    edited = DATA_MD.replace("your name;", "your full name;")
    project.commit(
        "Full name",
        {"policies/clauses/data.md": edited, "policies/change.yml": change_yml("Full name.")},
    )
    parses.clear()
    checks.clear()
    sources._PARSED.clear()
    sources._TEXT_PROBLEMS.clear()
    build_site(BuildOptions(project_dir=project.root, cache_dir=cache_dir), tmp_path / "resumed")
    assert parses == [("policies/clauses/data.md", edited.encode())]
    assert checks == ["policies/clauses/data.md"]
    build_site(BuildOptions(project_dir=project.root, cache=False), tmp_path / "whole")
    assert _tree(tmp_path / "resumed") == _tree(tmp_path / "whole")
    assert len(list((cache_dir / "history").rglob("*.*"))) == 1  # the newest only


def _unwritable(target: Path, data: bytes, same: Path | None = None) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))


def _broken(key: str, data: bytes) -> None:
    raise RuntimeError("a bug in the code that writes it")


@pytest.mark.parametrize("failure", ["volume full", "process failed"])
def test_a_checkpoint_that_cannot_be_written_is_a_warning_and_the_next_build_walks_it_all(
    repository, tmp_path, caplog, monkeypatch, failure
):
    revisions = _revisions(repository)
    folder = tmp_path / "cache"
    checkpoints = Checkpoints(folder)
    if failure == "volume full":
        monkeypatch.setattr(cache, "write_atomically", _unwritable)
    else:
        monkeypatch.setattr(checkpoints.entries, "write", _broken)
    with caplog.at_level(logging.WARNING):
        found = derive_versions(revisions[:-1], checkpoints=checkpoints)
        checkpoints.finish()
    assert same_publication(found, derive_versions(revisions[:-1]))
    warned = [r.message for r in caplog.records if "history cache" in r.message]
    assert len(warned) == 1, warned
    assert ("No space left on device" if failure == "volume full" else "a bug") in warned[0]
    monkeypatch.undo()
    counted: list[int] = []
    resumed = derive_versions(revisions, None, Checkpoints(folder), counted.append)
    assert counted == [1] * len(revisions)
    assert same_publication(resumed, derive_versions(revisions))


def test_when_the_new_checkpoint_cannot_be_written_the_one_resumed_from_is_kept(
    repository, tmp_path, monkeypatch
):
    revisions = _revisions(repository)
    folder = tmp_path / "cache"
    _walked(revisions[:-2], folder)
    monkeypatch.setattr(cache, "write_atomically", _unwritable)
    _walked(revisions[:-1], folder)
    monkeypatch.undo()
    counted: list[int] = []
    derive_versions(revisions, None, Checkpoints(folder), counted.append)
    assert counted == [len(revisions) - 2, 1, 1]


def test_a_checkpoint_whose_writing_is_stopped_is_never_resumed_from(
    repository, tmp_path, monkeypatch
):
    """A build interrupted (or failed) while another process writes the checkpoint stops that
    process, as it stops every process it forked; what it began to write is removed by the
    next build, which reads the history from the start."""
    revisions = _revisions(repository)
    folder = tmp_path / "cache"
    builder = os.getpid()

    def stalled(target: Path, data: bytes, same: Path | None = None) -> None:
        if os.getpid() == builder:
            raise AssertionError("written by the build's own process")
        target.with_name(f"{cache._TEMPORARY}{os.getpid()}-{target.name}").write_bytes(data[:99])
        time.sleep(120)  # stopped before it ends

    monkeypatch.setattr(cache, "write_atomically", stalled)
    checkpoints = Checkpoints(folder)
    derive_versions(revisions[:-1], checkpoints=checkpoints)
    for _ in range(6000):  # a bound, not a timing: it writes the file's start at once
        if list((folder / "history").rglob(f"{cache._TEMPORARY}*")):
            break
        time.sleep(0.01)
    else:
        pytest.fail("the process never began to write the checkpoint")
    stop_forked()
    reap(wait=True)  # gone, as it is once the build's process has ended
    monkeypatch.undo()
    counted: list[int] = []
    resumed = derive_versions(revisions, None, later := Checkpoints(folder), counted.append)
    assert counted == [1] * len(revisions)
    assert same_publication(resumed, derive_versions(revisions))
    later.finish()
    assert [p.name[:64] for p in (folder / "history").rglob("*") if p.is_file()] == [
        later._key(revisions[-1].commit)
    ]
