"""Reading the history: the log walked once, clones that lack history refused, the public record
guarded against rewritten history, and no git identity published."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BASE_FILES, Project, change_yml
from histories import DATA_MD, project_at, publication

from generator.history import Repository
from generator.versions import derive_versions


def _walk(project: Project, rev: str = "HEAD") -> list[tuple[str, list[str], list[str]]]:
    return [
        (r.subject, sorted(r.changed), list(r.files)) for r in Repository(project.root).history(rev)
    ]


def test_history_lists_each_commit_that_touched_the_sources_with_what_it_changed(make_project):
    project = make_project()
    project.commit("Docs only", {"README.md": "Hello\n", "docs/x.md": "x\n"})
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("name;", "full name;"),
            "policies/change.yml": change_yml("Full name."),
        },
    )
    (project.root / "policies/clauses/about").mkdir()
    project.git("mv", "policies/clauses/who.md", "policies/clauses/about/who.md")
    project.commit("Move a file")
    project.commit("Drop a clause", {"policies/clauses/data.md": None})
    base = sorted(BASE_FILES)
    moved = sorted(p.replace("clauses/who.md", "clauses/about/who.md") for p in base)
    assert _walk(project) == [
        ("First version", base, base),
        ("Full name", ["policies/change.yml", "policies/clauses/data.md"], base),
        ("Move a file", ["policies/clauses/about/who.md", "policies/clauses/who.md"], moved),
        (
            "Drop a clause",
            ["policies/clauses/data.md"],
            [p for p in moved if p != "policies/clauses/data.md"],
        ),
    ]


def test_history_revision_files_are_the_tree_at_that_commit(make_project):
    project = make_project()
    project.commit(
        "Full name", {"policies/clauses/data.md": DATA_MD.replace("name;", "full name;")}
    )
    first, second = Repository(project.root).history()
    assert first.files["policies/clauses/data.md"] == DATA_MD.encode()
    assert (
        second.files["policies/clauses/data.md"] == DATA_MD.replace("name;", "full name;").encode()
    )
    assert second.files["policies/site.yml"] == BASE_FILES["policies/site.yml"].encode()


def test_history_reads_each_blob_from_git_once_in_one_run(make_project, monkeypatch):
    project = make_project()
    for n in range(1, 6):
        project.commit(
            f"Edit {n}",
            {
                "policies/clauses/data.md": DATA_MD.replace("name;", f"name ({n});"),
                "policies/change.yml": change_yml(f"Edit {n}."),
            },
        )
    repository = Repository(project.root)
    one_by_one: list[bytes] = []
    runs: list[list[str]] = []
    stream, git = repository.repo.odb.stream, repository._git
    monkeypatch.setattr(
        repository.repo.odb, "stream", lambda sha: one_by_one.append(sha) or stream(sha)
    )
    monkeypatch.setattr(
        repository,
        "_git",
        lambda *arguments, stdin="": runs.append(stdin.split()) or git(*arguments, stdin=stdin),
    )
    result = derive_versions(repository.history())
    assert [v.number for v in result.documents[("eu", "en")].versions] == [1, 2, 3, 4, 5, 6]
    # 5 base files, then a new data.md and change.yml in each of the 5 commits, all in one run.
    assert one_by_one == []
    assert len(runs) == 1 and len(runs[0]) == len(set(runs[0])) == 5 + 5 * 2
    # A blob not read ahead is read on its own.
    sha = runs[0][0]
    content = repository._blobs.pop(sha)
    assert repository.blob(sha) == content and one_by_one == [bytes.fromhex(sha)]


def test_history_of_a_project_in_a_sub_folder_of_the_repository(tmp_path):
    repo = Project(tmp_path / "repo")
    repo.commit("Policy in a folder", {f"legal/{p}": c for p, c in BASE_FILES.items()})
    repo.commit("Outside the project", {"policies/clauses/stray.md": "not ours\n"})
    repo.commit(
        "Full name",
        {
            "legal/policies/clauses/data.md": DATA_MD.replace("name;", "full name;"),
            "legal/policies/change.yml": change_yml("Full name."),
        },
    )
    revisions = list(Repository(tmp_path / "repo" / "legal").history())
    assert [r.subject for r in revisions] == ["Policy in a folder", "Full name"]
    assert list(revisions[-1].files) == sorted(BASE_FILES)
    result = derive_versions(revisions)
    assert [v.summary for v in result.documents[("eu", "en")].versions] == [
        "First version.",
        "Full name.",
    ]


def test_history_files_at_a_revision_and_an_unknown_revision(make_project):
    project = make_project()
    project.commit("Drop", {"policies/clauses/data.md": None})
    repository = Repository(project.root)
    assert "policies/clauses/data.md" in repository.files_at("HEAD~1")
    assert "policies/clauses/data.md" not in repository.files_at("HEAD")
    assert repository.files_at("no-such-branch") is None
    assert list(repository.history("no-such-branch")) == []


def test_history_working_tree_is_a_revision_only_when_it_differs(make_project):
    """The draft is dated as a commit made then would be; never before the last commit."""
    project = make_project()
    repository = Repository(project.root)
    (last,) = repository.history()
    later = last.date + dt.timedelta(days=200)
    assert repository.working_tree(last, later) is None
    project.write({"policies/clauses/data.md": DATA_MD.replace("name;", "full name;")})
    draft = repository.working_tree(last, later)
    assert (draft.commit, draft.label, draft.changed, draft.date) == (
        "",
        "working tree",
        frozenset({"policies/clauses/data.md"}),
        later,
    )
    assert repository.working_tree(last, last.date - dt.timedelta(days=1)).date == last.date


def test_build_refuses_a_shallow_clone(make_project, tmp_path):
    project = make_project()
    project.commit("Second", {"policies/change.yml": change_yml("Second.")})
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{project.root}", str(clone)],
        check=True,
        capture_output=True,
    )
    result = project_at(clone)
    built = result.policy("build")
    assert built.returncode == 1
    assert "Traceback" not in built.stderr
    assert built.stderr.strip() == (
        ".git: this is a shallow clone, so older versions of the policy are missing and would "
        "vanish from the site. Run 'git fetch --unshallow' (in CI, check out with fetch-depth: 0) "
        "and build again. [git.shallow]"
    )
    assert not (clone / "site").exists()
    # A revision the clone lacks is named as such, with the reason.
    diff = result.policy("diff", "HEAD~1", "HEAD")
    assert diff.returncode == 1
    assert "This is a shallow clone, which lacks older commits: run 'git fetch --unshallow'" in (
        diff.stderr
    )
    subprocess.run(["git", "fetch", "-q", "--unshallow"], cwd=clone, check=True)
    assert result.policy("build").returncode == 0


def test_build_refuses_a_partial_clone(make_project, tmp_path):
    project = make_project()
    project.git("config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "partial"
    subprocess.run(
        ["git", "clone", "-q", "--filter=blob:none", f"file://{project.root}", str(clone)],
        check=True,
        capture_output=True,
    )
    result = project_at(clone)
    built = result.policy("build")
    assert built.returncode == 1
    assert built.stderr.strip() == (
        ".git: this is a partial clone: some file contents of older commits are not here. Clone "
        "without --filter (or run 'git fetch --refetch') and build again. [git.partial]"
    )


def test_build_outside_a_git_repository_says_so(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    for path, content in BASE_FILES.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(content, encoding="utf-8")
    shutil.copy(Path(__file__).parent.parent / "mkdocs.yml", folder / "mkdocs.yml")
    result = project_at(folder)
    built = result.policy("build", env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert built.returncode == 1
    assert built.stderr.strip() == (
        f"{folder}: not inside a git repository; versions come from git history. Run 'git init' "
        "and commit the policy, or build from a clone of the repository. [git.not-a-repository]"
    )


def test_a_repository_git_will_not_read_is_named_with_the_fix(make_project, tmp_path):
    """A checkout owned by another user (a CI container's), which git refuses to read: every
    command says so, with the fix; `policy check` no longer passes having skipped the rules that
    compare with the last commit, and the build no longer ends in a traceback."""
    if os.geteuid() != 0:
        pytest.skip("only root can give the repository to another user")
    project = make_project()
    subprocess.run(["chown", "-R", "65534:65534", str(project.root)], check=True)
    config = tmp_path / "gitconfig"
    config.write_text("", encoding="utf-8")
    alone = {"GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1"}
    said = (
        f"{project.root}: git cannot read this repository: detected dubious ownership in "
        f"repository at '{project.root}'. Run 'git config --global --add safe.directory "
        f"{project.root}' as the user who builds, or build as the user who owns the repository. "
        "[git.unreadable]"
    )
    for command in (["check"], ["build"], ["diff"], ["version-at", "eu", "en", "2026-01-01"]):
        result = project.policy(*command, env=alone)
        assert result.returncode == 1, command
        assert "Traceback" not in result.stderr
        assert said in result.stderr, (command, result.stderr)
    assert not (project.root / "site").exists()
    config.write_text(f"[safe]\n\tdirectory = {project.root}\n", encoding="utf-8")
    assert project.policy("check", env=alone).returncode == 0
    subprocess.run(["chown", "-R", "0:0", str(project.root)], check=True)


def test_build_reports_undescribed_and_invalid_commits_as_warnings(make_project):
    project = make_project()
    broken = project.commit("Break it", {"policies/site.yml": "title: [\n"})
    fixed = project.commit(
        "Fix it, and ask for the full name",
        {
            "policies/site.yml": BASE_FILES["policies/site.yml"],
            "policies/clauses/data.md": DATA_MD.replace("name;", "full name;"),
        },
    )
    built = project.policy("build")
    assert built.returncode == 0, built.stderr
    warnings = [line for line in built.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == [
        f"WARNING: policies/change.yml: commit {fixed[:12]} changed the eu, global policies "
        "without updating change.yml; the summary is taken from its message: 'Fix it, and ask "
        "for the full name'. "
        "[version.undescribed]",
        f"WARNING: policies/site.yml:2: commit {broken[:12]} ('Break it') does not pass policy "
        "check (YAML syntax error: expected the node content, but found '<stream end>'. Check "
        "the indentation and quote values that contain ': ' or start with a special "
        "character); its changes are not published. [history.invalid]",
    ]
    record = json.loads(project.read("site/eu/en/versions.json"))
    assert [v["summary"] for v in record["versions"]] == [
        "First version.",
        "Fix it, and ask for the full name",
    ]


def _rewrite_last_commit(project: Project, files: dict) -> None:
    project.git("reset", "-q", "--hard", "HEAD~1")
    project.commit("Rewritten", files)


def test_build_previous_catches_a_changed_version(make_project, tmp_path):
    project = make_project()
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("name;", "full name;"),
            "policies/change.yml": change_yml("Full name."),
        },
    )
    assert project.policy("build").returncode == 0
    published = tmp_path / "published-versions.json"
    shutil.copy(project.root / "site/versions.json", published)
    old = json.loads(published.read_text())["documents"][0]["versions"][1]["hash"]
    _rewrite_last_commit(
        project,
        {
            "policies/clauses/data.md": DATA_MD.replace("name;", "first name;"),
            "policies/change.yml": change_yml("First name."),
        },
    )
    before = {p: p.read_bytes() for p in (project.root / "site").rglob("*") if p.is_file()}
    built = project.policy("build", "--previous", str(published))
    assert built.returncode == 1
    new = publication(project).documents[("eu", "en")].versions[1].hash
    new_global = publication(project).documents[("global", "en")].versions[1].hash
    old_global = json.loads(published.read_text())["documents"][1]["versions"][1]["hash"]
    assert built.stderr.strip().splitlines() == [
        f"{published}: version 2 of eu/en/ was published as {old} but this build makes it "
        f"sha256:{new}. Was the history rewritten? Restore it; a published version must never "
        "change. [previous.changed]",
        f"{published}: version 2 of global/en/ was published as {old_global} but this build "
        f"makes it sha256:{new_global}. Was the history rewritten? Restore it; a published "
        "version must never change. [previous.changed]",
    ]
    after = {p: p.read_bytes() for p in (project.root / "site").rglob("*") if p.is_file()}
    assert after == before


def test_build_previous_catches_a_rewritten_summary_and_date(make_project, tmp_path):
    """The same text with another change note (an amended commit): the hashes match, but the
    record that told shoppers what changed and when would change under them."""
    text = {"policies/clauses/data.md": DATA_MD.replace("name;", "full name;")}
    project = make_project()
    project.commit("Full name", {**text, "policies/change.yml": change_yml("Full name.")})
    assert project.policy("build").returncode == 0
    published = tmp_path / "eu-versions.json"
    shutil.copy(project.root / "site/eu/en/versions.json", published)
    amended = change_yml("We ask for your full name.", effective="2026-03-01", kind="editorial")
    _rewrite_last_commit(project, {**text, "policies/change.yml": amended})
    built = project.policy("build", "--previous", str(published))
    assert built.returncode == 1
    (line,) = built.stderr.strip().splitlines()
    assert line.startswith(
        f"{published}: version 2 of eu/en/ was published with other details (summary 'Full "
        "name.', now 'We ask for your full name.'; kind 'material', now 'editorial'; effective "
        "'2026-01-01', now '2026-03-01'; in_force_from '2026-01-02', now '2026-03-01'; published "
    )
    assert line.endswith(
        "). Was the history rewritten (a change note amended)? Restore it; a published version "
        "keeps its summary and dates. [previous.changed]"
    )


def test_build_previous_only_warns_when_the_same_commit_reads_otherwise(make_project, tmp_path):
    """A published record from another version of the tool (its rules for change notes differ),
    the commits the same: the history is intact, so the build warns and publishes."""
    project = make_project()
    assert project.policy("build").returncode == 0
    published = tmp_path / "eu-versions.json"
    record = json.loads(project.read("site/eu/en/versions.json"))
    record["versions"][0]["summary"] = "Initial policy."
    published.write_text(json.dumps(record), encoding="utf-8")
    built = project.policy("build", "--previous", str(published))
    assert built.returncode == 0, built.stderr
    assert (
        f"WARNING: {published}: version 1 of eu/en/ was published with other details (summary "
        "'Initial policy.', now 'First version.'), from the same commit: this version of the tool "
        "reads its change note otherwise (docs/operating.md). [previous.reread]"
    ) in built.stderr


def test_build_previous_catches_a_dropped_version(make_project, tmp_path):
    project = make_project()
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("name;", "full name;"),
            "policies/change.yml": change_yml("Full name."),
        },
    )
    assert project.policy("build").returncode == 0
    published = tmp_path / "eu-versions.json"
    shutil.copy(project.root / "site/eu/en/versions.json", published)
    digest = json.loads(published.read_text())["versions"][1]["hash"]
    project.git("reset", "-q", "--hard", "HEAD~1")
    built = project.policy("build", "--previous", str(published))
    assert built.returncode == 1
    assert built.stderr.strip() == (
        f"{published}: version 2 of eu/en/ was published ({digest}) but this build does not "
        "contain it. Was the history rewritten? Restore it; published versions must stay. "
        "[previous.missing]"
    )


def test_build_previous_accepts_a_history_that_only_grew(make_project, tmp_path):
    project = make_project()
    assert project.policy("build").returncode == 0
    published = tmp_path / "versions.json"
    shutil.copy(project.root / "site/versions.json", published)
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("name;", "full name;"),
            "policies/change.yml": change_yml("Full name."),
        },
    )
    built = project.policy("build", "--previous", str(published))
    assert built.returncode == 0, built.stderr
    assert "Built 2 documents, 4 versions" in built.stderr


def test_build_previous_unreadable_file(make_project, tmp_path):
    project = make_project()
    published = tmp_path / "versions.json"
    published.write_text("{not json", encoding="utf-8")
    built = project.policy("build", "--previous", str(published))
    assert built.returncode == 1
    assert built.stderr.strip() == (
        f"{published}: cannot read the previous publication's versions (Expecting property name "
        "enclosed in double quotes: line 1 column 2 (char 1)). Pass the versions.json of the "
        "last published site. [previous.unreadable]"
    )


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("[1, 2]", "it is not a versions.json: its top level is not an object"),
        ('{"documents": 5}', "its 'documents' is not a list"),
        ('{"documents": [{"versions": []}]}', "a document has no jurisdiction and language"),
        ('{"jurisdiction": "eu", "language": "en"}', "eu/en has no list of versions"),
        (
            '{"jurisdiction": "eu", "language": "en", "versions": [{"number": "1", "hash": "x"}]}',
            "a version of eu/en lacks a number from 1 up or a hash",
        ),
        (
            '{"jurisdiction": "eu", "language": "en", "versions": [{"number": 0, "hash": "x"}]}',
            "a version of eu/en lacks a number from 1 up or a hash",
        ),
    ],
)
def test_build_previous_of_the_wrong_shape_is_named(make_project, tmp_path, content, why):
    # A list, or a version numbered "1", used to end in a traceback.
    project = make_project()
    published = tmp_path / "versions.json"
    published.write_text(content, encoding="utf-8")
    built = project.policy("build", "--previous", str(published))
    assert built.returncode == 1
    assert built.stderr.strip() == (
        f"{published}: cannot read the previous publication's versions ({why}). Pass the "
        "versions.json of the last published site. [previous.unreadable]"
    )
    assert not (project.root / "site").exists()


def test_build_publishes_no_git_author_name_or_email(make_project):
    project = make_project()
    project.git("config", "user.name", "Zelda Quixote-Author")
    project.git("config", "user.email", "zelda.q@people.example")
    project.commit(
        "Full name",
        {
            "policies/clauses/data.md": DATA_MD.replace("name;", "full name;"),
            "policies/change.yml": change_yml("Full name."),
        },
    )
    mkdocs = project.read("mkdocs.yml").replace(
        "site_name: Privacy policy",
        "site_name: Privacy policy\nsite_url: https://shop.example/privacy/",
    )
    project.commit("Site address", {"mkdocs.yml": mkdocs})
    assert project.policy("build").returncode == 0
    files = [p for p in (project.root / "site").rglob("*") if p.is_file()]
    assert any(p.suffix == ".gz" for p in files)
    for path in files:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        for needle in (b"Zelda", b"Quixote", b"zelda.q", b"people.example", b"Test Author"):
            assert needle not in data, (path, needle)


def test_a_submodule_among_the_sources_is_no_file_of_the_policy(make_project):
    """A gitlink (a submodule's entry) names a commit of another repository, not a blob: the
    history leaves it out, as the tree of a revision does, instead of failing to read it."""
    project = make_project()
    project.git(
        "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},policies/clauses/sub.md"
    )
    project.git("commit", "-q", "-m", "Add a submodule")
    repository = Repository(project.root)
    newest = list(repository.history())[-1]
    assert "policies/clauses/sub.md" in newest.changed
    assert dict(newest.files) == dict(repository.files_at("HEAD"))
    assert "policies/clauses/sub.md" not in newest.files


def test_uncommitted_lists_the_watched_files_that_differ_from_the_last_commit(make_project):
    project = make_project({"policies/clauses/old-name.md": DATA_MD.replace("data-we", "x-data")})
    project.write(
        {
            "policies/site.yml": BASE_FILES["policies/site.yml"] + "# edited\n",
            "policies/clauses/new.md": "new\n",
            "policies/clauses/who.md": None,
            "locales/ignored.po": "ignored\n",
            ".gitignore": "/site/\n/locales/ignored.po\n",
            "README.md": "outside the watched folders\n",
        }
    )
    project.git("mv", "policies/clauses/old-name.md", "policies/clauses/new-name.md")
    assert Repository(project.root).uncommitted() == [
        "policies/clauses/new-name.md",
        "policies/clauses/new.md",
        "policies/clauses/who.md",
        "policies/site.yml",
    ]


@pytest.mark.parametrize(
    ("subject", "body", "summary"),
    [
        (
            "Merge pull request #42 from zelda/full-name",
            "Ask for the full name",
            "Ask for the full name",
        ),
        ("Merge pull request #42 from zelda/full-name", "", "Merge pull request #42"),
        (
            "Merge branch 'zelda/full-name' into 'main'",
            "Ask for the full name\n\nSee merge request shop/policy!7",
            "Ask for the full name",
        ),
        ("Merge branch 'zelda/full-name'", "", "Merge"),
    ],
)
def test_a_merge_subject_becomes_a_summary_without_the_authors_account(
    make_project, subject, body, summary
):
    # When change.yml does not describe a change, the commit's subject is its summary; a
    # hosting service's merge subject names the author's account and branch.
    project = make_project()
    project.git("checkout", "-q", "-b", "zelda/full-name")
    project.commit(
        "Full name", {"policies/clauses/data.md": DATA_MD.replace("name;", "full name;")}
    )
    project.git("checkout", "-q", "main")
    project.git(
        "merge", "-q", "--no-ff", "-m", subject, *(["-m", body] if body else []), "zelda/full-name"
    )
    built = project.policy("build")
    assert built.returncode == 0, built.stderr
    record = json.loads(project.read("site/eu/en/versions.json"))
    assert record["versions"][-1]["summary"] == summary
    # The warning quotes the summary the pages show, not the merge's subject.
    assert f"the summary is taken from its message: '{summary}'. [version.undescribed]" in (
        built.stderr
    )
    for path in (project.root / "site").rglob("*"):
        if path.is_file() and path.suffix != ".gz":
            assert b"zelda" not in path.read_bytes(), path


def _commit_raw(project: Project, message: bytes, files: dict[str, str]) -> str:
    """Commit `message` exactly as given, with no encoding header: `git commit` would convert a
    message that is not UTF-8 (as Latin-1) before storing it; another tool or an import does
    not."""
    project.write(files)
    project.git("add", "-A")
    tree = project.git("write-tree").strip()
    parent = project.git("rev-parse", "HEAD").strip()
    who = "Test Author <author@people.example> 1767787200 +0000"
    raw = f"tree {tree}\nparent {parent}\nauthor {who}\ncommitter {who}\n\n".encode() + message
    sha = (
        subprocess.run(
            ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
            cwd=project.root,
            input=raw,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    project.git("update-ref", "refs/heads/main", sha)
    return sha


@pytest.mark.parametrize("output", ["ISO-8859-1", "ISO-8859-15"])
def test_a_message_in_the_encoding_its_commit_names_reads_whatever_the_log_output_encoding(
    make_project, tmp_path, monkeypatch, output
):
    """git re-encodes a message whose commit names its encoding (i18n.commitEncoding) to the
    log's output encoding, which a user's or repository's i18n.logOutputEncoding sets: the
    history asks for UTF-8 (it read U+FFFD for every accented letter)."""
    project = make_project()
    project.write({"policies/clauses/data.md": DATA_MD.replace("name;", "full name;")})
    project.git("add", "-A")
    (tmp_path / "message").write_bytes("Données: délai réduit".encode("latin-1"))
    project.git(
        "-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-F", str(tmp_path / "message")
    )
    assert project.git("log", "-1", "--format=%e") == "ISO-8859-1\n"  # the commit's header
    project.commit(
        "Adresse «complète», 5 €", {"policies/clauses/data.md": DATA_MD.replace("name;", "nom;")}
    )
    subjects = ["First version", "Données: délai réduit", "Adresse «complète», 5 €"]
    assert [r.subject for r in Repository(project.root).history()] == subjects
    settings = tmp_path / "gitconfig"
    settings.write_text(f"[i18n]\n\tlogOutputEncoding = {output}\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(settings))
    assert project.git("config", "i18n.logOutputEncoding") == f"{output}\n"
    assert [r.subject for r in Repository(project.root).history()] == subjects


def test_a_message_that_names_no_encoding_and_is_not_utf8_reads_as_windows_1252(
    make_project, caplog
):
    """Nothing tells the encoding of such a message: its bytes that are not UTF-8 read as
    Windows-1252, at every build, with a warning naming the commit (it was published with
    U+FFFD for each); a message in UTF-8 reads as ever, and its commit is not named."""
    project = make_project()
    project.commit(
        "Adresse «complète»", {"policies/clauses/data.md": DATA_MD.replace("name;", "nom;")}
    )
    sha = _commit_raw(
        project,
        "Données “personnelles”: délai\n\nCorps réduit.\n".encode("cp1252"),
        {"policies/clauses/data.md": DATA_MD.replace("name;", "full name;")},
    )
    subjects = ["First version", "Adresse «complète»", "Données “personnelles”: délai"]
    with caplog.at_level("WARNING", logger="generator.history"):
        assert [r.subject for r in Repository(project.root).history()] == subjects
    assert [r.getMessage() for r in caplog.records] == [
        f"the message of commit {sha[:12]} is not UTF-8 and its commit names no encoding: it "
        "is read as Windows-1252 (Latin-1). Where commits are made in another encoding, set "
        "git's i18n.commitEncoding there, so that each commit names it. [git.encoding]"
    ]
    built = project.policy("build")
    assert built.returncode == 0, built.stderr
    assert f"commit {sha[:12]} is not UTF-8" in built.stderr
    record = json.loads(project.read("site/eu/en/versions.json"))
    assert record["versions"][-1]["summary"] == "Données “personnelles”: délai"
