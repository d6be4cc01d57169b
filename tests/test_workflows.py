"""The CI templates parse, do what docs/operating.md says, and run the commands the README documents
(which work on a real project)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, Project, change_yml
from coverage_files import COVERED_FILES, RETENTION_MD

WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as true.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(data: dict) -> list[dict]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def commands(argvs: list[str]) -> list[list[str]]:
    """Each `policy` command line as argv, comments dropped."""
    return [shlex.split(line, comments=True) for line in argvs]


def workflow_commands(name: str) -> list[list[str]]:
    lines = [
        line.strip()
        for step in steps(workflow(name))
        for line in step.get("run", "").splitlines()
        if line.strip().startswith("policy ")
    ]
    return commands(lines)


def readme_commands(name: str) -> list[list[str]]:
    """The commands of the first code block after the README names a workflow file."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index(f"(.github/workflows/{name})") :]
    block = re.search(r"```sh\n(.*?)```", after, re.DOTALL)
    assert block, f"no code block after {name} in README.md"
    return commands([line for line in block.group(1).splitlines() if line.strip()])


def run(project: Project, argv: list[str], env: dict[str, str] | None = None):
    """A documented command, run as CI runs it (`policy` from this environment)."""
    assert argv[0] == "policy"
    return subprocess.run(
        [str(Path(sys.executable).parent / "policy"), *argv[1:]],
        cwd=project.root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_workflows_parse_as_yaml():
    for name in ("publish.yml", "pull-request.yml"):
        data = workflow(name)
        assert data["name"] and data["jobs"], name
        for step in steps(data):
            assert "uses" in step or "run" in step, (name, step)


def test_publish_workflow_runs_the_commands_the_readme_documents():
    assert sorted(workflow_commands("publish.yml")) == sorted(readme_commands("publish.yml"))


def test_pull_request_workflow_runs_the_commands_the_readme_documents():
    assert sorted(workflow_commands("pull-request.yml")) == sorted(
        readme_commands("pull-request.yml")
    )
    assert ["policy", "diff", "$BASE", "$HEAD", ">", "policy-diff.md"] in workflow_commands(
        "pull-request.yml"
    )


def test_publish_workflow_publishes_main_daily_from_full_history_to_pages():
    data = workflow("publish.yml")
    assert data["on"]["push"] == {"branches": ["main"]}
    assert data["on"]["schedule"] == [{"cron": "7 0 * * *"}]
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    used = {step.get("uses", "").split("@")[0]: step for step in steps(data)}
    assert used["actions/checkout"]["with"] == {"fetch-depth": 0}
    assert used["actions/upload-pages-artifact"]["with"] == {"path": "site"}
    assert used["actions/cache"]["with"]["path"] == ".policy-cache"
    assert "actions/configure-pages" in used and "actions/deploy-pages" in used
    assert data["jobs"]["deploy"]["needs"] == "build"
    scripts = "\n".join(step.get("run", "") for step in steps(data))
    assert '"$SITE_URL/versions.json"' in scripts
    assert "SOURCE_DATE_EPOCH=$(date -u -d 'today 00:00' +%s)" in scripts
    order = [step.get("name", step.get("uses", "")) for step in steps(data)]
    assert order.index("Check the policy") < order.index("Build the site")


def test_pull_request_workflow_makes_the_coverage_matrix_only_with_the_legal_teams_file():
    """The file is optional: a shop without it must not have every review fail."""
    (step,) = [
        s for s in steps(workflow("pull-request.yml")) if "policy coverage" in s.get("run", "")
    ]
    assert step["if"] == "always() && hashFiles('policies/required-disclosures.yml') != ''"


def test_pull_request_workflow_comments_with_full_history():
    data = workflow("pull-request.yml")
    assert data["on"] == {"pull_request": {"branches": ["main"]}}
    assert data["permissions"]["pull-requests"] == "write"
    used = {step.get("uses", "").split("@")[0]: step for step in steps(data)}
    assert used["actions/checkout"]["with"] == {"fetch-depth": 0}
    diff = next(s for s in steps(data) if "policy diff" in s.get("run", ""))
    assert diff["env"] == {"BASE": "origin/main", "HEAD": "HEAD"}
    post = next(s for s in steps(data) if "gh pr comment" in s.get("run", ""))
    assert "--body-file comment.md" in post["run"]
    # A fork's read-only token cannot comment: that must not fail the review.
    assert post["continue-on-error"] is True


@pytest.mark.parametrize("size", [100, 70_000])
def test_the_comment_is_cut_between_characters_and_says_so(tmp_path, size):
    """A redline in Chinese is three bytes a character: cut by bytes, it would end inside one."""
    data = workflow("pull-request.yml")
    post = next(s for s in steps(data) if "gh pr comment" in s.get("run", ""))
    cutting = post["run"].split("gh pr comment")[0]
    text = "汉字" * (size // 2)
    (tmp_path / "policy-diff.md").write_text(text, encoding="utf-8")
    subprocess.run(["bash", "-e", "-c", cutting], cwd=tmp_path, check=True)
    comment = (tmp_path / "comment.md").read_text(encoding="utf-8")  # strict UTF-8
    if size <= 60_000:
        assert comment == text
    else:
        assert len(comment) < 65_536
        assert comment.startswith(text[:60_000])
        assert comment.endswith(
            "*Cut here: the whole text is in this run's policy-review artifact.*\n"
        )


def test_publish_commands_build_and_guard_a_real_project(make_project):
    project = make_project({**COVERED_FILES, ".gitignore": "/site/\n/previous-versions.json\n"})
    site_url = {"SITE_URL": "https://shop.example/privacy"}  # as actions/configure-pages gives it
    check, guarded, first = (
        [string.Template(a).safe_substitute(site_url) for a in argv]
        for argv in readme_commands("publish.yml")
    )
    result = run(project, check)
    assert result.returncode == 0, result.stderr
    result = run(project, first)
    assert result.returncode == 0, result.stderr
    # GitHub Pages answers any missing address below /privacy/ with 404.html: its links are
    # absolute, from the site's address.
    not_found = (project.root / "site" / "404.html").read_text()
    assert 'href="/privacy/assets/policy.css"' in not_found
    assert 'href="/privacy/eu/en/"' in not_found
    assert "<loc>https://shop.example/privacy/eu/en/sitemap.xml</loc>" in project.read(
        "site/sitemap.xml"
    )
    assert "<loc>https://shop.example/privacy/eu/en/</loc>" in project.read(
        "site/eu/en/sitemap.xml"
    )
    shutil.copy(project.root / "site" / "versions.json", project.root / "previous-versions.json")
    project.commit(
        "Keep order records for ten years",
        {
            "policies/clauses/retention.md": RETENTION_MD.replace("six", "ten"),
            "policies/change.yml": change_yml("We keep order records for ten years."),
        },
    )
    result = run(project, guarded, env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.returncode == 0, result.stderr
    assert "Built 2 documents, 3 versions" in result.stderr

    # A rewritten history would silently change a published version: the guard refuses it.
    project.git("reset", "-q", "--hard", "HEAD~1")
    project.write({"policies/clauses/retention.md": RETENTION_MD.replace("six years", "6 years")})
    project.git("commit", "-q", "-a", "--amend", "--no-edit")
    before = (project.root / "site" / "versions.json").read_bytes()
    result = run(project, guarded)
    assert result.returncode == 1
    assert "[previous.changed]" in result.stderr
    assert "Was the history rewritten?" in result.stderr
    assert (project.root / "site" / "versions.json").read_bytes() == before


def test_pull_request_commands_run_in_a_clone(make_project, tmp_path):
    origin = make_project(COVERED_FILES, name="origin")
    subprocess.run(["git", "clone", "-q", str(origin.root), str(tmp_path / "clone")], check=True)
    clone = Project(tmp_path / "clone")  # sets the author and fixed dates up in the clone
    clone.git("checkout", "-q", "-b", "longer-retention")
    clone.commit(
        "Keep order records for ten years",
        {"policies/clauses/retention.md": RETENTION_MD.replace("six", "ten")},
    )
    diff, coverage, check = readme_commands("pull-request.yml")

    result = run(clone, check)
    assert result.returncode == 1
    assert result.stdout == (
        "::error file=policies/change.yml,line=1,title=[change.not-updated]::the policy text "
        "changed (eu) but change.yml still describes the previous change. Rewrite its summary, "
        "kind and effective date for this change.\n"
    )

    result = run(clone, coverage)
    assert result.returncode == 0, result.stderr
    assert "<h1>Disclosure coverage</h1>" in (clone.root / "coverage.html").read_text()

    if "diff" not in run(clone, ["policy", "--help"]).stdout:
        pytest.skip("`policy diff` is not in this branch yet (another change adds it)")
    argv = diff[: diff.index(">")]
    env = {"BASE": "origin/main", "HEAD": "HEAD"}
    # The shell expands the variables from the step's env, not from this process's environment.
    result = run(clone, [string.Template(a).safe_substitute(env) for a in argv], env=env)
    assert result.returncode == 0, result.stderr
    assert "We keep order records for <del>six</del><ins>ten</ins> years." in result.stdout
