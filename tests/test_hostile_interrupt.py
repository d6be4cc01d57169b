"""A build that fails or is interrupted, even by `kill -9`, leaves the previous `site/` exactly as
it was; the next build cleans up after it and succeeds."""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BASE_FILES, change_yml
from hostile_helpers import snapshot, staging_folders

from generator import build as build_module

POLICY = str(Path(sys.executable).parent / "policy")


def _start_build(project) -> subprocess.Popen:
    return subprocess.Popen(
        [POLICY, "build"],
        cwd=project.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )


def _interruptible() -> None:
    """Let Ctrl-C reach the build as it does from a terminal, also when the tests run with SIGINT
    ignored (a shell without job control starts its background jobs so, and children inherit it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_writing(site: Path, process: subprocess.Popen, timeout: float = 120) -> bool:
    """Wait until the build is writing files into its staging folder; False if it ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name in staging_folders(site):
            if any((site.parent / name).iterdir()):
                return True
        if process.poll() is not None:
            return False
        time.sleep(0.002)
    return False


def _edit(project, n: int) -> None:
    data = BASE_FILES["policies/clauses/data.md"].replace("your name;", f"your name ({n});")
    project.commit(
        f"Edit {n}",
        {"policies/clauses/data.md": data, "policies/change.yml": change_yml(f"Edit {n}.")},
    )


@pytest.fixture
def built(make_project):
    """A project built once, then given a new version that the next build would publish."""
    project = make_project()
    for n in range(2, 5):
        _edit(project, n)
    assert project.policy("build").returncode == 0
    _edit(project, 5)
    return project


@pytest.mark.parametrize(
    "how",
    [signal.SIGKILL, signal.SIGINT, signal.SIGTERM],
    ids=["kill -9", "ctrl-c", "terminate"],
)
def test_interrupted_build_leaves_previous_site(built, how):
    site = built.root / "site"
    before = snapshot(site)
    process = _start_build(built)
    try:
        assert _wait_for_writing(site, process), process.communicate()
        process.send_signal(how)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode != 0
    assert snapshot(site) == before
    if how == signal.SIGKILL:
        assert len(staging_folders(site)) == 1  # nothing could clean up after kill -9
    else:
        assert "Traceback" not in stderr
        assert staging_folders(site) == []  # Ctrl-C and SIGTERM (timeout, CI) still clean up
        assert not list((built.root / ".policy-cache").glob(".policy-build-*"))  # its scratch

    result = built.policy("build")
    assert result.returncode == 0, result.stderr
    assert staging_folders(site) == []
    assert "your name (5);" in built.read("site/global/en/index.html")
    assert not (site.parent / ".site-old").exists()


def test_build_after_kill_between_renames_restores_site_even_when_failing(built):
    """Killed after `site/` was moved aside and before the new site took its place: the next
    build puts the previous site back, even if that build fails."""
    site = built.root / "site"
    before = snapshot(site)
    site.rename(site.with_name(".site-old"))
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = site.with_name(f".site-building-{dead.pid}-abc123")
    stale.mkdir()
    (stale / "index.html").write_text("half written", encoding="utf-8")
    alive = site.with_name(f".site-building-{os.getpid()}-running")
    alive.mkdir()  # a build still running (this test's process) keeps its folder
    built.commit("Broken", {"policies/jurisdictions.yml": "global: [\n"})

    result = built.policy("build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("policies/jurisdictions.yml:2: YAML syntax")
    assert snapshot(site) == before
    assert staging_folders(site) == [alive.name]
    assert not site.with_name(".site-old").exists()


def test_failed_build_leaves_previous_site_and_no_staging(built):
    site = built.root / "site"
    before = snapshot(site)
    built.commit("Broken", {"policies/clauses/data.md": "no header\n"})
    result = built.policy("build")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "policies/clauses/data.md:1: a clause file must start with a '---' line, then its YAML "
        "header, then another '---' line. [clause.front-matter]"
    ]
    assert snapshot(site) == before
    assert staging_folders(site) == []


def _file_size_limit(size: int) -> Callable[[], None]:
    """For a process whose files cannot grow past `size` bytes, as on a volume filling up: a
    write past it fails with EFBIG (rather than the signal that would end the process)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@pytest.mark.parametrize("size", [4_000, 30_000, 100_000])
@pytest.mark.parametrize("cache", ["--cache-dir=.policy-cache", "--no-cache"])
def test_a_build_that_cannot_write_a_file_says_so_without_a_traceback(built, size, cache):
    """Whichever file first cannot be written (a page, a spool of bodies in a forked process, a
    copy of the theme's assets), the build stops with one line naming the site's folder or the
    file, says nothing was published, and the previous site is as it was; the next build with
    room succeeds."""
    site = built.root / "site"
    before = snapshot(site)
    result = subprocess.run(
        [POLICY, "build", cache],
        cwd=built.root,
        capture_output=True,
        text=True,
        preexec_fn=_file_size_limit(size),
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    error = result.stderr.splitlines()[-1]
    assert "the build could not write a file (File too large): nothing was published" in error
    assert error.endswith("[build.site-dir]") or error.endswith("[build.cache-dir]"), error
    assert snapshot(site) == before
    assert staging_folders(site) == []
    assert built.policy("build", cache).returncode == 0


def test_a_source_the_build_cannot_read_is_named_not_the_site(built):
    """MkDocs copies what else is in policies/ (an image): a link to a file that is gone cannot
    be read, and the build names it, rather than a site folder it could write."""
    site = built.root / "site"
    before = snapshot(site)
    (built.root / "policies/img").mkdir()
    (built.root / "policies/img/logo.png").symlink_to(built.root / "gone.png")
    result = built.policy("build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "policies/img/logo.png: the build could not read it (No such file or directory): nothing "
        "was published, the site is as it was. Restore the file (a link to a file that is gone, "
        "say), or remove it. [file.unreadable]"
    )
    assert snapshot(site) == before


@pytest.mark.parametrize(
    ("errno_", "where", "code"),
    [
        (errno.EBUSY, "site", "build.site-dir"),  # the site folder a mount point: its rename fails
        (errno.ENOSPC, "site/eu/en/index.html", "build.site-dir"),
        (errno.EACCES, "cache/pages/ab", "build.cache-dir"),
        (errno.ENOENT, "policies/img/logo.png", "file.unreadable"),
        (
            errno.ENOSPC,
            "/tmp/policy-build-x/spool-1",
            "build.site-dir",
        ),  # a scratch folder elsewhere
    ],
)
def test_an_os_error_of_a_build_is_named_by_where_it_happened(tmp_path, errno_, where, code):
    """The site's folder itself (or anything in it) and the cache's are written; a file of the
    project elsewhere is read; a file outside both is the site's volume's problem."""
    project = tmp_path / "project"
    site, staging, cache = project / "site", project / ".site-building-1-x", project / "cache"
    name = where if where.startswith("/") else str(project / where)
    error = OSError(errno_, os.strerror(errno_), name)
    problem = build_module._unwritten(error, site, staging, cache, project).problems[0]
    assert problem.code == code
    assert "Traceback" not in problem.message
