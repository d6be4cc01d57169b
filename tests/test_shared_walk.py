"""A walk through the history shared among forked processes, each composing its share of the
translations (and every one the source language), derives exactly what one process derives: the
same versions, lags, problems and catalogs, progress counted commit by commit, and a checkpoint the
next build resumes from."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import change_yml
from histories import GERMAN, WITH_GERMAN, po, same_publication, synthetic_history

from generator import versions
from generator.checkpoints import Checkpoints
from generator.history import Repository
from generator.versions import derive_versions


@pytest.fixture(scope="module")
def repository(tmp_path_factory) -> Path:
    """A synthetic history in five languages: edits, renames, translation catch-ups."""
    root = tmp_path_factory.mktemp("shared") / "repo"
    return synthetic_history(root, clauses=8, jurisdictions=3, languages=5, versions=8, seed=11)


@pytest.fixture
def shared_walks(monkeypatch) -> list[int]:
    """The number of processes each shared walk used."""
    walks: list[int] = []
    walk = versions._walk_shared

    def counted(revisions, shares, advance):  # noqa: ANN001, ANN202
        walks.append(len(shares))
        return walk(revisions, shares, advance)

    monkeypatch.setattr(versions, "_walk_shared", counted)
    return walks


def _walk(root: Path, jobs: int, checkpoints: Checkpoints | None = None, rev: str = "HEAD"):
    counted: list[int] = []
    revisions = list(Repository(root).history(rev))
    found = derive_versions(revisions, None, checkpoints, counted.append, jobs=jobs)
    return found, counted, len(revisions)


@pytest.mark.parametrize("jobs", [2, 3, 4])
def test_a_shared_walk_derives_what_one_process_derives(repository, shared_walks, jobs):
    expected, _, _ = _walk(repository, jobs=1)
    assert shared_walks == []
    found, counted, commits = _walk(repository, jobs=jobs)
    assert shared_walks == [jobs]
    assert counted == [1] * commits  # progress, commit by commit, as one process reports it
    assert same_publication(found, expected)
    assert any(h.lag is not None for h in expected.documents.values())


def test_a_shared_walk_leaves_a_checkpoint_the_next_build_resumes_from(
    repository, shared_walks, tmp_path
):
    expected, _, _ = _walk(repository, jobs=1)
    folder = tmp_path / "cache"
    checkpoints = Checkpoints(folder)
    _walk(repository, jobs=2, checkpoints=checkpoints, rev="HEAD~2")
    checkpoints.finish()  # the state is written by another process
    assert shared_walks == [2]
    resumed, counted, commits = _walk(repository, jobs=2, checkpoints=Checkpoints(folder))
    assert shared_walks == [2]  # the next build resumes in one process: it has two commits to walk
    assert counted[0] == commits - 2 and sum(counted) == commits
    assert same_publication(resumed, expected)


def test_each_part_of_a_shared_walk_reads_only_the_files_of_its_share(
    repository, monkeypatch, tmp_path
):
    """The build's own process walks the first share and forks one process for each other; each
    reads from git the history's sources and its own catalogs, never another part's (most of the
    bytes), and the build's process also the newest revision's, which it saves and checks."""
    log = tmp_path / "reads"
    log.mkdir()
    read_ahead = Repository.read_ahead

    def recorded(self, shas):  # noqa: ANN001, ANN202
        shas = set(shas)
        with (log / str(os.getpid())).open("a", encoding="utf-8") as file:
            file.writelines(f"{sha}\n" for sha in sorted(shas))
        return read_ahead(self, shas)

    monkeypatch.setattr(Repository, "read_ahead", recorded)
    revisions = list(Repository(repository).history("HEAD"))
    shares = versions._shares(revisions, 2)
    derive_versions(revisions, None, None, None, jobs=2)

    reads = {int(f.name): set(f.read_text(encoding="utf-8").split()) for f in log.iterdir()}
    assert len(reads) == 2 and os.getpid() in reads
    paths = {(path, sha) for r in revisions for path, sha in r.files._blobs.items()}
    newest = set(revisions[-1].files._blobs.values())
    for pid, share in zip(sorted(reads, key=lambda pid: pid != os.getpid()), shares, strict=True):
        wanted = {sha for path, sha in paths if share.reads(path)}
        others = {sha for path, sha in paths if path in share.others} - wanted
        assert others, "each share leaves some catalogs to the other"
        assert wanted <= reads[pid]
        assert not (reads[pid] & others - (newest if pid == os.getpid() else set()))


FRENCH = {key: f"[fr] {text}" for key, text in GERMAN.items()}
WITH_THREE = WITH_GERMAN.replace("[en, de]", "[en, de, fr, it]")
"""Every document in German and French, and in Italian, which has no catalog: it never has a
version, only a lag."""


def test_a_shared_walk_finds_the_problems_one_process_finds(make_project, shared_walks):
    project = make_project(
        {
            "policies/jurisdictions.yml": WITH_THREE,
            "locales/de/LC_MESSAGES/policy.po": po(GERMAN),
            "locales/fr/LC_MESSAGES/policy.po": po(FRENCH),
        }
    )
    project.commit(
        "A broken French catalog (composed by the second process)",
        {
            "locales/fr/LC_MESSAGES/policy.po": po(FRENCH) + '\nmsgid "unterminated\n',
            "policies/change.yml": change_yml("Broken French."),
        },
    )
    project.commit("A broken policy", {"policies/jurisdictions.yml": "global: [\n"})
    project.commit(
        "Fixed, without a change note",
        {
            "policies/jurisdictions.yml": WITH_THREE[: WITH_THREE.rindex("fr, ")] + "it]\n",
            "locales/fr/LC_MESSAGES/policy.po": po(FRENCH),
            "policies/clauses/data.md": project.read("policies/clauses/data.md").replace(
                "your name;", "your full name;"
            ),
        },
    )
    expected, _, _ = _walk(project.root, jobs=1)
    found, _, _ = _walk(project.root, jobs=3)
    assert shared_walks == [2]  # two catalogs: two shares, whatever the jobs
    assert same_publication(found, expected)
    kinds = {p.code for p in expected.problems}
    assert {"history.invalid", "history.catalog", "version.undescribed"} <= kinds
    assert expected.documents[("global", "fr")].retired is False
    assert expected.documents[("eu", "fr")].retired is True
    assert ("global", "it") not in expected.documents


@pytest.mark.parametrize("jobs", [2, 3, 4])
def test_each_translation_is_composed_by_one_part_and_the_parts_are_even(repository, jobs):
    """Four catalogs among three parts: one each, and the fourth's documents dealt out by
    jurisdiction, so that no part composes a whole language more than another."""
    revisions = list(Repository(repository).history("HEAD"))
    shares = versions._shares(revisions, jobs)
    policy = derive_versions(revisions).policy
    translated = [
        (jurisdiction, language)
        for jurisdiction in policy.jurisdictions
        for language in policy.languages_of(jurisdiction)
        if language != policy.source_language
    ]
    owners = {key: [s.part for s in shares if s.owns(*key)] for key in translated}
    assert all(len(parts) == 1 for parts in owners.values())
    counts = [sum(parts == [share.part] for parts in owners.values()) for share in shares]
    assert len(shares) == min(jobs, 4)
    assert max(counts) == min(counts), counts


def test_a_history_with_one_catalog_is_walked_in_one_process(make_project, shared_walks):
    project = make_project(
        {
            "policies/jurisdictions.yml": WITH_GERMAN,
            "locales/de/LC_MESSAGES/policy.po": po(GERMAN),
        }
    )
    found, _, _ = _walk(project.root, jobs=4)
    assert shared_walks == []
    assert found is not None and len(found.documents) == 4


def test_a_preview_walks_its_draft_after_the_shared_walk(repository, shared_walks, tmp_path):
    """The uncommitted draft a preview publishes comes after the last commit: the merged state
    walks it on, as one process would."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repository), str(clone)], check=True)
    (clause,) = sorted((clone / "policies" / "clauses").glob("*.md"))[:1]
    clause.write_text(clause.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    source = Repository(clone)
    revisions = list(source.history())
    draft = source.working_tree(revisions[-1], revisions[-1].date)
    assert draft is not None
    expected = derive_versions([*revisions, draft])
    found = derive_versions([*revisions, draft], jobs=2)
    assert shared_walks == [2]
    assert same_publication(found, expected)
    assert found.head is draft
    assert any(v.commit == "" for h in found.documents.values() for v in h.versions)
