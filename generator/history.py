"""Stage 3: read the sources at every commit of main's first-parent history.

The log is walked once (`git log --first-parent --raw`), which names the blobs each commit changed;
blobs are read once each and cached by id: those a walk will need all at once (`read_ahead`, before
the walk is shared among processes), any other through one persistent `git cat-file --batch`
process. The cost is proportional to what changed, not to commits x files.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import git

from generator.errors import PolicyError, Problem, Severity, fail
from generator.yamlio import CONTROL_CHARACTERS

log = logging.getLogger(__name__)

WATCHED = ("policies", "locales")
"""The folders whose history makes versions."""

_RECORD = re.compile(rb"\x01(?=[0-9a-f]{40,64}\x00)")
_OBJECTS = {"tree": "a folder (a git tree)", "blob": "a file (a git blob)"}
"""What the objects a revision can name other than a commit are, for messages."""
_WORKTREE = "working tree"
_UNSHALLOW = "'git fetch --unshallow' (in CI, check out with fetch-depth: 0)"
"""How to make a shallow clone whole, which every message about one says."""
NOT_A_REPOSITORY = "git.not-a-repository"
"""The code of a project outside any git repository: it has no history, and `policy check` no
base to compare with."""

COMMITTED_HISTORY = {
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_GRAFT_FILE": os.path.join(os.devnull, "grafts"),
}
"""For every git command: the commits and files as they were committed. Replacement objects
(`git replace`, kept in refs/replace/, which a clone does not fetch) and a grafts file
(.git/info/grafts) would give a commit other parents or a file other content in this repository
alone, and the same commit would build another site here than in any clone (a graft that cut the
history published 46 versions of this project's 56, and no error said so). The grafts file named is
under a file, so it never exists and git reads none (and says nothing of it)."""


@dataclass(frozen=True, kw_only=True)
class Revision:
    """The policy sources as they were at one commit (or in the working tree)."""

    commit: str
    """The commit id; empty for the uncommitted working tree."""
    date: dt.datetime
    """Committer date, UTC."""
    subject: str
    files: Mapping[str, bytes]
    """Every watched file, by path relative to the project, read lazily."""
    changed: frozenset[str]
    """Paths added, modified or deleted since the previous revision."""

    @property
    def label(self) -> str:
        """How messages name this revision."""
        return self.commit[:12] if self.commit else _WORKTREE


class Repository:
    """The project's git repository, read through one cat-file process."""

    def __init__(self, project_dir: Path) -> None:
        self.project_dir = project_dir.resolve()
        try:
            # expand_vars=False: a folder may be named `$HOME` or `$shop`, which GitPython would
            # otherwise replace with a variable's value and look for another folder, or none.
            self.repo = git.Repo(
                self.project_dir, search_parent_directories=True, expand_vars=False
            )
        except (git.InvalidGitRepositoryError, git.NoSuchPathError) as error:
            raise PolicyError(
                [
                    Problem(
                        path=str(project_dir),
                        line=None,
                        code=NOT_A_REPOSITORY,
                        message="not inside a git repository; versions come from git history. Run "
                        "'git init' and commit the policy, or build from a clone of the repository.",
                    )
                ]
            ) from error
        self.repo.git.update_environment(**COMMITTED_HISTORY)
        self._check_readable()
        top = Path(self.repo.working_tree_dir or self.project_dir).resolve()
        self.top = top
        """The top folder of the working tree, links resolved."""
        self.prefix = (
            "" if top == self.project_dir else self.project_dir.relative_to(top).as_posix()
        )
        self._blobs: dict[str, bytes] = {}
        self._pid = os.getpid()

    def _check_readable(self) -> None:
        """Refuse a repository git will not read: one owned by another user, which git refuses
        since 2.35.2 unless `safe.directory` names it (common in CI containers, whose checkout
        belongs to another user). Every git command would fail; `policy check` would find no
        base to compare with and skip the rules that need one, without a word."""
        try:
            self.repo.git.rev_parse("--git-dir")
        except git.GitCommandError as error:
            said = str(error.stderr or "").strip().strip("'").removeprefix("stderr: ").strip("'")
            first = said.splitlines()[0].removeprefix("fatal: ") if said else str(error)
            top = self.repo.working_tree_dir or self.repo.git_dir
            fix = (
                f" Run 'git config --global --add safe.directory {top}' as the user who builds, "
                "or build as the user who owns the repository."
                if "dubious ownership" in said or "safe.directory" in said
                else ""
            )
            raise PolicyError(
                [
                    Problem(
                        path=str(top),
                        line=None,
                        code="git.unreadable",
                        message=f"git cannot read this repository: {first}.{fix}",
                    )
                ]
            ) from error

    @property
    def shallow(self) -> bool:
        """Whether this is a shallow clone, whose history is cut short."""
        return self.repo.git.rev_parse("--is-shallow-repository").strip() == "true"

    def check_complete(self) -> None:
        """Refuse a shallow or partial clone: its history would publish too few versions."""
        if self.shallow:
            raise PolicyError(
                [
                    Problem(
                        path=".git",
                        line=None,
                        code="git.shallow",
                        message="this is a shallow clone, so older versions of the policy are missing "
                        f"and would vanish from the site. Run {_UNSHALLOW} and build again.",
                    )
                ]
            )
        reader = self.repo.config_reader()
        partial = reader.get_value("extensions", "partialClone", default="") or any(
            reader.get_value(section, "promisor", default=False)
            for section in reader.sections()
            if section.startswith("remote ")
        )
        if partial:
            raise PolicyError(
                [
                    Problem(
                        path=".git",
                        line=None,
                        code="git.partial",
                        message="this is a partial clone: some file contents of older commits are not "
                        "here. Clone without --filter (or run 'git fetch --refetch') and build again.",
                    )
                ]
            )

    def head(self, rev: str = "HEAD") -> str | None:
        """The id of the commit a revision names (a tag's commit), or None if it names none: it
        does not exist (HEAD in a repository with no commits yet), or names a file or folder."""
        found = self._object(rev)
        return found[0] if found is not None and found[1] == "commit" else None

    def not_a_commit(self, rev: str) -> str | None:
        """Why `rev` names no commit ('there is no revision ...', '... is a file ...'); None if
        it names one."""
        found = self._object(rev)
        if found is None:
            return f"there is no revision '{rev}' in this repository"
        if found[1] != "commit":
            return f"'{rev}' is {_OBJECTS.get(found[1], f'a {found[1]}')}, not a commit"
        return None

    def require(self, rev: str, code: str) -> None:
        """Raise a problem with `code` unless `rev` names a commit (HEAD of a repository with no
        commits yet is let through: it has no history, which the caller says)."""
        if rev != "HEAD" and (why := self.not_a_commit(rev)) is not None:
            shallow = (
                f" This is a shallow clone, which lacks older commits: run {_UNSHALLOW}."
                if self.shallow
                else ""
            )
            raise fail(
                rev,
                None,
                code,
                f"{why}. Name a commit, branch or tag ('git log --oneline' lists them).{shallow}",
            )

    def _object(self, rev: str) -> tuple[str, str] | None:
        """The id and type (commit, tree, blob) of the object a revision names, a tag followed
        to what it tags; None if it names none. Git reads the revision, as `history` and
        `files_at` hand it to git: a range, an option or a path it cannot find is none."""
        try:
            found = self.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", rev)
        except git.GitCommandError:
            return None
        if not re.fullmatch(r"[0-9a-f]{40,64}", found.strip()):
            return None
        try:
            target = self.repo.rev_parse(found.strip())
            while target.type == "tag":
                target = target.object
        except (ValueError, KeyError, git.BadName):
            return None
        return target.hexsha, target.type

    def blob(self, sha: str) -> bytes:
        """A blob's content, read once."""
        data = self._blobs.get(sha)
        if data is None:
            if os.getpid() == self._pid:
                data = self.repo.odb.stream(bytes.fromhex(sha)).read()
            else:  # a forked process must not talk to its parent's cat-file process
                data = self._git("cat-file", "blob", sha)
            self._blobs[sha] = data
        return data

    def read_ahead(self, shas: Iterable[str]) -> None:
        """Read the blobs not read yet, in one `git cat-file --batch` run (no faster than one at
        a time: inflating them is git's work either way). A blob it cannot read is left to `blob`,
        which says what is wrong."""
        wanted = sorted(set(shas) - self._blobs.keys())
        if not wanted:
            return
        try:
            out = self._git("cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in wanted))
        except subprocess.CalledProcessError:
            return
        position = 0
        for _ in wanted:
            end = out.index(b"\n", position)
            header = out[position:end].split()
            position = end + 1
            if len(header) == 3 and header[1] == b"blob":
                size = int(header[2])
                self._blobs[header[0].decode()] = out[position : position + size]
                position += size + 1

    def _git(self, *arguments: str, stdin: str = "") -> bytes:
        return subprocess.run(
            ["git", "--git-dir", str(self.repo.git_dir), *arguments],
            input=stdin.encode(),
            capture_output=True,
            check=True,
            env={**os.environ, **COMMITTED_HISTORY},
        ).stdout

    def history(self, rev: str = "HEAD") -> Iterator[Revision]:
        """Every first-parent commit up to `rev` that changed a watched file, oldest first."""
        if self.head(rev) is None:
            return
        paths = [f"{self.prefix}/{w}" if self.prefix else w for w in WATCHED]
        raw = self.repo.git.execute(
            [
                "git",
                "log",
                "--first-parent",
                "--reverse",
                "--diff-merges=first-parent",
                "--raw",
                "--no-renames",
                "--no-abbrev",
                "-z",
                # A message whose commit names its encoding (i18n.commitEncoding) in UTF-8,
                # whatever i18n.logOutputEncoding or commitEncoding the user or repository sets.
                "--encoding=UTF-8",
                "--format=%x01%H%x00%ct%x00%s%x00%b",
                rev,
                "--",
                *paths,
            ],
            stdout_as_string=False,
        )
        state: dict[str, str] = {}
        for record in _RECORD.split(raw):
            if not record.strip(b"\x01"):
                continue
            commit, timestamp, subject, changes = _parse_record(record.lstrip(b"\x01"))
            changed = set()
            for path, blob in changes:
                local = self._local(path)
                if local is None:
                    continue
                changed.add(local)
                if blob is None:
                    state.pop(local, None)
                else:
                    state[local] = blob
            yield Revision(
                commit=commit,
                date=dt.datetime.fromtimestamp(timestamp, dt.UTC),
                subject=subject,
                files=_LazyFiles(dict(state), self),
                changed=frozenset(changed),
            )

    def files_at(self, rev: str) -> Mapping[str, bytes] | None:
        """The watched files as they are in a revision, or None if it does not exist."""
        if self.head(rev) is None:
            return None
        paths = [f"{self.prefix}/{w}" if self.prefix else w for w in WATCHED]
        raw = self.repo.git.execute(
            ["git", "ls-tree", "-r", "-z", rev, "--", *paths], stdout_as_string=False
        )
        blobs = {}
        for entry in raw.split(b"\x00"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            _mode, kind, sha = meta.split()
            local = self._local(path.decode("utf-8", "surrogateescape"))
            if kind == b"blob" and local is not None:
                blobs[local] = sha.decode()
        return _LazyFiles(blobs, self)

    def uncommitted(self, watched: Iterable[str] = WATCHED) -> list[str]:
        """The files (project-relative) under `watched` (the watched folders) that differ from
        the last commit (see `_status`)."""
        paths = [f"{self.prefix}/{w}" if self.prefix else w for w in watched]
        return sorted(local for path in self._status(paths) if (local := self._local(path)))

    def differing(self, paths: Iterable[Path]) -> list[Path]:
        """The files at or under `paths` (absolute, links resolved: files and folders the build
        reads from the folder) that differ from the last commit (see `_status`), absolute. A path
        outside the working tree is not compared: git knows nothing of it."""
        inside = [p.relative_to(self.top).as_posix() for p in paths if p.is_relative_to(self.top)]
        if not inside:
            return []
        return sorted(self.top / path for path in self._status(inside, literal=True))

    def _status(self, pathspecs: list[str], literal: bool = False) -> list[str]:
        """The files (from the top of the working tree) under `pathspecs` that differ from the
        last commit: changed, added, deleted or new, as `git status` sees them (files git
        ignores are not among them). `literal`: the pathspecs are paths, not patterns (a file
        named `[1].html`)."""
        raw = self.repo.git.execute(
            [
                "git",
                *(["--literal-pathspecs"] if literal else []),
                "status",
                "--porcelain",
                "-z",
                "--untracked-files=all",
                "--",
                *pathspecs,
            ],
            stdout_as_string=False,
        )
        entries = raw.decode("utf-8", "surrogateescape").split("\0")
        found, index = [], 0
        while index < len(entries):
            entry = entries[index]
            index += 1
            if len(entry) < 4:
                continue
            if entry[0] in "RC":  # a rename or copy: its source follows
                index += 1
            found.append(entry[3:])
        return found

    def working_tree(self, previous: Revision | None, now: dt.datetime) -> Revision | None:
        """The uncommitted state of the watched folders, if it differs from `previous`, dated
        as a commit made `now` would be (never before `previous`)."""
        files = read_folder(self.project_dir)
        before = dict(previous.files.items()) if previous else {}
        changed = {p for p in set(files) | set(before) if files.get(p) != before.get(p)}
        if not changed:
            return None
        return Revision(
            commit="",
            date=max(previous.date, now) if previous else now,
            subject="Uncommitted changes",
            files=files,
            changed=frozenset(changed),
        )

    def _local(self, path: str) -> str | None:
        """A path of the repository as the project sees it; None for one outside the project or
        hidden (`is_hidden`)."""
        if self.prefix:
            if not path.startswith(self.prefix + "/"):
                return None
            path = path[len(self.prefix) + 1 :]
        return None if is_hidden(path) else path


def is_hidden(path: str) -> bool:
    """Whether a file or a folder on the path has a name that begins with '.': never read, from
    git or from the working tree, so a check and a build see the same files (and an editor's
    lock or swap file, or drafts kept in a `.drafts/` folder, are never published)."""
    return any(part.startswith(".") for part in path.split("/"))


def read_folder(project_dir: Path) -> dict[str, bytes]:
    """The watched files of a project folder on disk, by relative path."""
    files: dict[str, bytes] = {}

    def unreadable(error: OSError) -> None:
        # A folder left out quietly would drop its clauses: `i18n update` would then make
        # their translations obsolete.
        if isinstance(error, FileNotFoundError):
            return  # gone since the folder was listed (an editor saving by renaming)
        where = Path(error.filename or project_dir)
        if where.is_relative_to(project_dir):
            where = where.relative_to(project_dir)
        raise fail(
            where.as_posix(),
            None,
            "file.unreadable",
            f"cannot be read ({error.strerror}). Let whoever runs the tool read it, or move "
            "it out of the project.",
        ) from error

    for folder in WATCHED:
        root = project_dir / folder
        if not root.exists():
            continue
        for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
            dirnames[:] = sorted(d for d in dirnames if not is_hidden(d))
            for name in sorted(filenames):
                if is_hidden(name):
                    continue
                full = Path(dirpath) / name
                path = full.relative_to(project_dir).as_posix()
                try:
                    if full.is_symlink():
                        # What git stores for a link, so a check sees what a build will: never
                        # the target's content (a link to /dev/zero or a secret outside).
                        files[path] = os.readlink(full).encode("utf-8", "surrogateescape")
                    elif full.is_file():
                        files[path] = full.read_bytes()
                except OSError as error:
                    unreadable(error)
    return files


class _LazyFiles(Mapping[str, bytes]):
    """Paths to blob ids, read from git only when a stage asks for a file's content."""

    def __init__(self, blobs: dict[str, str], repository: Repository) -> None:
        self._blobs = blobs
        self._repository = repository

    def __getitem__(self, path: str) -> bytes:
        return self._repository.blob(self._blobs[path])

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._blobs))

    def __len__(self) -> int:
        return len(self._blobs)

    def blob_id(self, path: str) -> str:
        """The blob id of a path, a cheap fingerprint of its content."""
        return self._blobs[path]

    def __reduce__(self) -> tuple:
        """Pickled (in a history checkpoint, see checkpoints.py) as the contents themselves: the
        repository they are read from belongs to one build."""
        return (dict, (dict(self.items()),))


def read_ahead(revisions: Iterable[Revision], wanted: Callable[[str], bool] | None = None) -> None:
    """Read every file of these revisions (those whose path is `wanted`, if given) from git
    now, each repository's blobs in one run: a forked process then has them without a git
    process of its own (and must not share its parent's)."""
    by_repository: dict[int, tuple[Repository, set[str]]] = {}
    for revision in revisions:
        files = revision.files
        if isinstance(files, _LazyFiles):
            entry = by_repository.setdefault(id(files._repository), (files._repository, set()))
            entry[1].update(
                sha for path, sha in files._blobs.items() if wanted is None or wanted(path)
            )
    for repository, shas in by_repository.values():
        repository.read_ahead(shas)


_GITLINK = b"160000"
"""The mode git gives a submodule's entry in a tree."""


def _parse_record(record: bytes) -> tuple[str, int, str, list[tuple[str, str | None]]]:
    """(commit, commit time, subject, [(path, new blob or None if deleted)]) of one log record."""
    commit, timestamp, rest = record.split(b"\x00", 2)
    subject, _, rest = rest.partition(b"\x00")
    body, _, raw = rest.partition(b"\x00")
    fields = raw.lstrip(b"\n").split(b"\x00")
    changes: list[tuple[str, str | None]] = []
    for i in range(0, len(fields) - 1, 2):
        meta, path = fields[i], fields[i + 1]
        if not meta.startswith(b":"):
            continue
        parts = meta.split()
        new_mode, new_blob, status = parts[1], parts[3].decode(), parts[4][:1]
        # A submodule (a gitlink) is no file of the policy, as `files_at` does not list one: its
        # "blob" is a commit of another repository.
        gone = status == b"D" or new_mode == _GITLINK
        changes.append((path.decode("utf-8", "surrogateescape"), None if gone else new_blob))
    # The subject may become a published summary: control characters (a terminal colour code)
    # would make the Atom feeds invalid XML.
    text, body_text = (CONTROL_CHARACTERS.sub("", t) for t in _message_text(commit, subject, body))
    return (commit.decode(), int(timestamp), publishable_subject(text, body_text), changes)


_NOT_UTF8 = re.compile("[\udc80-\udcff]")
"""A byte that is not UTF-8, as `surrogateescape` decodes it."""


def _message_text(commit: bytes, *parts: bytes) -> list[str]:
    """A commit message's parts (subject, body) as `git log --encoding=UTF-8` gives them. git
    re-encodes a message whose commit names its encoding; one that names none and is not UTF-8
    (written by another tool, or imported, in Latin-1) comes as it was written, and nothing says
    its encoding: each byte that is not UTF-8 is read as Windows-1252 (Latin-1 for letters, as
    `git commit` itself assumes when it converts such a message), the same at every build, and
    the build warns. A message that is UTF-8 reads as it is."""
    texts = [data.decode("utf-8", "surrogateescape") for data in parts]
    if not any(_NOT_UTF8.search(text) for text in texts):
        return texts
    log.warning(
        "%s",
        Problem(
            path="",
            line=None,
            code="git.encoding",
            message=f"the message of commit {commit.decode()[:12]} is not UTF-8 and its commit "
            "names no encoding: it is read as Windows-1252 (Latin-1). Where commits are made "
            "in another encoding, set git's i18n.commitEncoding there, so that each commit "
            "names it.",
            severity=Severity.WARNING,
        ),
    )
    return [_NOT_UTF8.sub(_windows_1252, text) for text in texts]


def _windows_1252(match: re.Match) -> str:
    """A byte that is not UTF-8 as Windows-1252 reads it; U+FFFD for the five it leaves
    undefined (as a byte that is not UTF-8 read before)."""
    return bytes([ord(match.group()) - 0xDC00]).decode("cp1252", "replace")


_PULL_REQUEST = re.compile(r"Merge pull request (#\d+) from \S+")
_BRANCH = re.compile(r"Merge (?:remote-tracking )?branch '[^']*'(?: of \S+)?(?: into \S+)?")


def publishable_subject(subject: str, body: str) -> str:
    """A commit's subject as a version's summary may show it (when change.yml does not describe
    the change). The merge subjects of hosting services name the author's account or branch
    ('Merge pull request #42 from zelda/fix-name'), and the site never names authors: the first
    line of the body (the pull request's title, which GitHub and GitLab put there) takes their
    place, else the words without the names."""
    if match := _PULL_REQUEST.fullmatch(subject.strip()):
        fallback = f"Merge pull request {match.group(1)}"
    elif _BRANCH.fullmatch(subject.strip()):
        fallback = "Merge"
    else:
        return subject
    lines = (line.strip() for line in body.splitlines())
    title = next((line for line in lines if line), "")
    return fallback if not title or title.startswith("See merge request") else title
