"""A build that resumes the history walk from a checkpoint derives exactly what reading the whole
history derives, whatever commit it resumes after; a damaged checkpoint or one of a rewritten
history is never used."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest
from histories import same_publication, synthetic_history

from generator.checkpoints import Checkpoints
from generator.history import Repository
from generator.versions import derive_versions


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    """A synthetic history: paragraph edits, renames, added clauses, translation catch-ups."""
    root = tmp_path_factory.mktemp("history") / "repo"
    return synthetic_history(root, clauses=10, jurisdictions=3, languages=3, versions=10, seed=7)


def _revisions(root: Path, rev: str = "HEAD") -> list:
    return list(Repository(root).history(rev))


def test_resuming_after_any_commit_derives_what_the_whole_history_derives(repository, tmp_path):
    revisions = _revisions(repository)
    expected = derive_versions(revisions)
    assert expected is not None and len(revisions) > 10
    for count in range(1, len(revisions)):
        folder = tmp_path / f"after-{count}"
        derive_versions(revisions[:count], checkpoints=Checkpoints(folder))
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
    derive_versions(revisions[:-1], checkpoints=Checkpoints(folder))
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
    derive_versions(_revisions(clone), checkpoints=Checkpoints(folder))
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
