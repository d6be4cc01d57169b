"""Time reading a long policy history: a synthetic repository of many commits over many clauses.

    python benchmarks/history_read.py [--commits 400] [--clauses 300] [--keep DIR] [--jobs 2]
    python benchmarks/history_read.py --repository DIR [--jobs 2]

Builds the repository with `git fast-import` (fixed dates, so every run reads the same history),
or takes one made before (W-large, as `run.py --workdir` keeps it), then times each stage the build
runs on it: walking the log, reading the changed blobs, and deriving every version (parse,
compose, hash) in one process, then with the walk shared among `--jobs` processes, then each part
of that shared walk alone (a history with catalogs in several languages; the synthetic one here
has one language, so its walk is not shared). Each walk runs in a process of its own, so that none
finds what another left in the caches. Prints one JSON line. Run it from a checkout: it measures
the `generator` package beside it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.history import Repository  # noqa: E402
from generator.processes import Forked  # noqa: E402
from generator.versions import _Share, _shares, _walk_part, derive_versions  # noqa: E402

T = TypeVar("T")

SITE = """\
title: Privacy policy
source_language: en
variables:
  company:
    name: Example Shop Ltd.
"""
JURISDICTIONS = """\
global:
  name: Worldwide
  languages: [en]
eu:
  name: European Union
  extends: global
  languages: [en]
"""


def clause(number: int, revision: int) -> str:
    """A clause file of three paragraphs and a list; `revision` changes one sentence."""
    return (
        f"---\nid: clause-{number:04d}\ntitle: Clause {number}\norder: {number * 10}\n"
        f"jurisdictions: [{'eu' if number % 7 == 0 else 'global'}]\n---\n"
        f"{{{{ company.name }}}} handles topic {number} with care (revision {revision}).\n\n"
        f"We keep records about topic {number} only as long as the law requires.\n\n"
        f"- item one of clause {number};\n- item two of clause {number}.\n"
    )


def change(revision: int) -> str:
    return f"summary: Change number {revision}.\nkind: material\neffective: 2026-01-01\n"


def fast_import_stream(commits: int, clauses: int) -> bytes:
    """A `git fast-import` stream: one commit with every file, then one edit per commit."""
    out: list[bytes] = []

    def commit(index: int, files: dict[str, str], message: str) -> None:
        stamp = 1767225600 + index * 3600
        data = message.encode()
        out.append(
            f"commit refs/heads/main\nmark :{index + 1}\n"
            f"committer Bench <bench@example.invalid> {stamp} +0000\n"
            f"data {len(data)}\n".encode()
            + data
            + b"\n"
        )
        if index:
            out.append(f"from :{index}\n".encode())
        for path, text in sorted(files.items()):
            blob = text.encode()
            out.append(f"M 100644 inline {path}\ndata {len(blob)}\n".encode() + blob + b"\n")
        out.append(b"\n")

    first = {f"policies/clauses/{n % 20:02d}/c{n:04d}.md": clause(n, 0) for n in range(clauses)}
    first |= {
        "policies/site.yml": SITE,
        "policies/jurisdictions.yml": JURISDICTIONS,
        "policies/change.yml": change(0),
    }
    commit(0, first, "First version")
    for index in range(1, commits):
        number = (index * 37) % clauses
        files = {
            f"policies/clauses/{number % 20:02d}/c{number:04d}.md": clause(number, index),
            "policies/change.yml": change(index),
        }
        if index % 10 == 0:  # some commits touch only files outside policies/
            files = {"README.md": f"Readme {index}\n"}
        commit(index, files, f"Change {index}")
    return b"".join(out)


def make_repository(root: Path, commits: int, clauses: int) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(
        ["git", "fast-import", "--quiet"],
        input=fast_import_stream(commits, clauses),
        cwd=root,
        check=True,
    )
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)


def _fresh(work: Callable[[], T]) -> T:
    """`work()` in a forked process, which starts from this one's caches and leaves them as they
    were."""
    return Forked(lambda _send: work()).result()


def _timed_walk(root: Path, jobs: int) -> tuple[tuple[float, float], tuple[int, str]]:
    """((seconds, CPU seconds), (versions, digest of every version's hash)) of one walk."""
    revisions = Repository(root).history()
    begun, cpu = time.perf_counter(), time.process_time()
    publication = derive_versions(revisions, jobs=jobs)
    timing = (round(time.perf_counter() - begun, 3), round(time.process_time() - cpu, 3))
    assert publication is not None
    versions = [v for h in publication.documents.values() for v in h.versions]
    digest = hashlib.sha256(" ".join(sorted(v.hash for v in versions)).encode()).hexdigest()
    return timing, (len(versions), digest)


def _timed_part(root: Path, share: _Share) -> float:
    """The seconds one part of a shared walk takes alone, reading its files from git included."""
    revisions = list(Repository(root).history())
    begun = time.perf_counter()
    _walk_part(revisions, share)
    return round(time.perf_counter() - begun, 3)


def measure(root: Path, jobs: int) -> dict[str, float | int]:
    started = time.perf_counter()
    revisions = list(Repository(root).history())
    walked = time.perf_counter()

    repository = Repository(root)
    blobs = 0
    for revision in repository.history():
        for path in revision.changed:
            if path in revision.files:
                revision.files[path]
                blobs += 1
    read = time.perf_counter()

    # Each walk in a process of its own, forked from this one before it has walked: a walk
    # leaves caches behind (texts converted to HTML, parsed catalogs) that would make the next
    # one cheaper, and the build's own process walks the first part of a shared walk itself.
    shares = _shares(revisions, jobs)
    processes = max(1, len(shares))
    shared_s = shared = None
    if processes > 1:
        (shared_s, _), shared = _fresh(lambda: _timed_walk(root, jobs))
    (whole_s, cpu), publication = _fresh(lambda: _timed_walk(root, 1))
    assert shared is None or shared == publication
    parts_s = [_fresh(partial(_timed_part, root, share)) for share in shares]
    return {
        "revisions": len(revisions),
        "files": len(revisions[-1].files),
        "blobs_read": blobs,
        "versions": publication[0],
        "log_walk_s": round(walked - started, 3),
        "log_walk_and_changed_blobs_s": round(read - walked, 3),
        "derive_versions_s": whole_s,
        "derive_versions_cpu_s": cpu,
        "walk_processes": processes,
        "derive_versions_shared_s": shared_s,
        "walk_part_alone_s": parts_s,
        "peak_rss_mb": round(
            max(
                resource.getrusage(who).ru_maxrss
                for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
            )
            / 1024
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=400)
    parser.add_argument("--clauses", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="Build the repository here and keep it.")
    parser.add_argument("--repository", type=Path, help="Time this repository instead.")
    parser.add_argument("--jobs", type=int, default=2, help="Processes for the shared walk.")
    args = parser.parse_args()
    if args.repository:
        print(
            json.dumps({"repository": str(args.repository)} | measure(args.repository, args.jobs))
        )
        return
    with tempfile.TemporaryDirectory() as temporary:
        root = args.keep or Path(temporary) / "repo"
        started = time.perf_counter()
        make_repository(root, args.commits, args.clauses)
        made = time.perf_counter() - started
        result = {"commits": args.commits, "clauses": args.clauses, "make_repo_s": round(made, 3)}
        result |= measure(root, args.jobs)
        print(json.dumps(result))


if __name__ == "__main__":
    main()
