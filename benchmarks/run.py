"""Time `policy build` on synthetic repositories, stage by stage, and check the performance targets.

    python benchmarks/run.py --quick     # a small workload, well under two minutes
    python benchmarks/run.py --full      # W-large: 60 clauses, 8 jurisdictions, 12 languages, 40 versions

Each build runs in a fresh process (as CI would run it), which prints one JSON line: wall-clock and
CPU seconds per stage, pages written and reused, peak memory. A cold build walks the history in
several processes (see `versions.derive_versions`): its `history` stage is then the walk's
wall-clock time, and `walk_processes_wall_s` says what each of those processes spent it on. The
runs are:

- `baseline`: a plain MkDocs + Material site of 200 ordinary Markdown pages (no policy plugin), the
  cost per page that MkDocs and Material have in their linear regime;
- `cold`: the workload built with an empty page cache;
- `warm`: one more commit that changes one clause (one every jurisdiction has), built with the
  cache the cold build left and without its site, as CI builds a fresh clone with the cache it
  restored; `warm-regional` the same after a commit that changes a clause only one jurisdiction
  has (the cold build it follows is not printed);
- `double`: the same workload with twice the versions, built cold.

A last `summary` line gives the ratios the targets are about, each with its limit and verdict, when
the run started and ended and the commit it measured (`+`: with changes not committed), and
the machine it ran on, with how much more work its processors did together than one alone, just
before the builds and just after (`parallel`: on a virtual machine that moves from minute to
minute, and a build's ratios with it). Times are wall-clock; CPU times are given too, since other
processes on a shared machine inflate wall-clock times more than the CPU time a build itself used
(on a virtual machine, CPU time moves too: compare repeated runs, not single ones). With `--repeat N`, each run
is built N times, one repetition after another (each with every run, so that a ratio compares
builds made minutes apart) and a target is judged on the median of its N ratios, all of which are
listed: on a shared or virtual machine, one build in a few runs much slower than the others, and
a ratio of two single builds moves with it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402

QUICK = synth.Workload(clauses=24, jurisdictions=3, languages=4, versions=10)
FULL = synth.W_LARGE
BASELINE_PAGES = 200

T = TypeVar("T")

STAGE_GROUPS = {
    "history": ("history", "git", "sources", "versions", "check"),
    "compose": ("compose", "hash"),
    "translate": ("translate",),
    "diff": ("diff",),
    "render": ("render", "cache"),
    "write": ("write", "store", "swap", "hooks"),
    "mkdocs": ("mkdocs",),
}
"""The issue's stages, from the timers a build reports (see `_instrument`)."""

TARGETS = {
    "ours_share": 0.10,
    "double_ratio": 2.2,
    "warm_ratio": 0.20,
    "warm_regional_ratio": 0.20,
    "per_page_ratio": 1.5,
    "peak_mb": 500,
}


def main() -> None:
    """Run the benchmark (or, with --child, one build of it)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="the small workload (default)")
    size.add_argument("--full", action="store_true", help="W-large")
    parser.add_argument("--workdir", type=Path, help="keep the repositories and sites here")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="build each run N times (a cold build and the warm one after it in turn); the "
        "targets are judged on the median ratio",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.child:
        print(json.dumps(_child(json.loads(args.child))), flush=True)
        return
    workload = FULL if args.full else QUICK
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        _benchmark(workload, args.workdir, args.repeat)
    else:
        with tempfile.TemporaryDirectory(prefix="policy-bench-") as folder:
            _benchmark(workload, Path(folder), args.repeat)


def _benchmark(workload: synth.Workload, work: Path, repeat: int = 1) -> None:
    started, started_at = time.perf_counter(), _utc_minute()
    load_before = os.getloadavg()
    parallel_before = _parallel_throughput()
    baseline = str(_baseline(work / "baseline"))
    main = _Repository.write(work, workload)
    regional = _Repository.write(work, workload, regional=True)
    doubled = synth.Workload(
        clauses=workload.clauses,
        jurisdictions=workload.jurisdictions,
        languages=workload.languages,
        versions=2 * workload.versions,
        seed=workload.seed,
    )
    double = _Repository.write(work, doubled, extra_edits=0)
    runs: dict[str, list[dict]] = {
        name: [] for name in ("baseline", "cold", "warm", "warm-regional", "double")
    }
    # One repetition after another, each with every run: a ratio compares builds made minutes
    # apart, not a whole benchmark apart.
    for _ in range(repeat):
        runs["baseline"].append(_run({"kind": "baseline", "root": baseline}))
        runs["cold"].append(main.build("cold"))
        main.commit()
        runs["warm"].append(main.build("warm"))
        main.restart()
        runs["double"].append(double.build("double"))
        double.restart()
        # The same once more, after a commit that changes a clause only one jurisdiction has
        # (the cold build before it is not printed).
        regional.build("cold-regional", quiet=True)
        regional.commit()
        runs["warm-regional"].append(regional.build("warm-regional"))
        regional.restart()
    summary = _summary(runs, workload)
    summary["repeat"] = repeat
    summary["benchmark_seconds"] = round(time.perf_counter() - started, 1)
    summary["started"], summary["ended"] = started_at, _utc_minute()
    summary["code"] = _code_version()
    parallel = {"before": parallel_before, "after": _parallel_throughput()}
    summary["machine"] = {**_machine(load_before), "parallel": parallel}
    print(json.dumps(summary), flush=True)


@dataclass(frozen=True)
class _Repository:
    """A workload's repository, the cache its builds use, and the commit a warm build adds."""

    work: Path
    repo: Path
    cache: Path
    workload: str
    pending: list[synth.Commit]
    start: str
    """The commit every repetition starts from."""

    @classmethod
    def write(
        cls, work: Path, workload: synth.Workload, extra_edits: int = 1, regional: bool = False
    ) -> _Repository:
        """The repository of `workload`, with `extra_edits` commits held back for `commit`: one
        that changes a clause every jurisdiction has, or only one jurisdiction has (`regional`)."""
        suffix = "-regional" if regional else ""
        repo = work / f"repo-{workload.name}{suffix}"
        pending = _apart(synth.write_repository, repo, workload, extra_edits, regional)
        cache = work / f"cache-{workload.name}{suffix}"
        return cls(work, repo, cache, workload.name, pending, synth.head(repo))

    def build(self, run: str, quiet: bool = False) -> dict:
        """A build, with the cache as the builds before it left it."""
        spec = {"kind": "build", "run": run, "repo": str(self.repo), "cache": str(self.cache),
                "workload": self.workload}  # fmt: skip
        return _run(spec, quiet)

    def commit(self) -> None:
        """Add the commit held back, and move the site aside: CI builds a fresh clone with the
        cache it restored, but no site."""
        synth.append_commits(self.repo, self.pending)
        _set_aside(self.repo / "site", self.work)

    def restart(self) -> None:
        """Back to the first commit, with neither site nor cache, for the next repetition."""
        _set_aside(self.repo / "site", self.work)
        _set_aside(self.cache, self.work)
        synth.reset(self.repo, self.start)


def _apart(function: Callable[..., T], *args: object) -> T:
    """`function(*args)`, called in a forked process of its own.

    Writing W-large's doubled history holds every commit in memory (360 MB at its peak); on Linux a
    started process's peak resident size begins at its parent's, so had the runner written it, it
    would be every build's peak too."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as process:
        return process.submit(function, *args).result()


def _set_aside(folder: Path, work: Path) -> None:
    """Move a built site (or a cache) out of the way of the next build, as if it had never been
    there.

    Not deleted: on ext4, a folder's new files and subfolders take longer to make for a while
    after thousands of files were deleted (the allocator passes over recently freed inodes), which
    a fresh clone in CI does not pay. The work folder goes at the end of the benchmark."""
    aside = work / "set-aside"
    aside.mkdir(exist_ok=True)
    folder.rename(aside / f"{folder.parent.name}-{folder.name}-{len(list(aside.iterdir()))}")


def _run(spec: dict, quiet: bool = False) -> dict:
    """One build in a fresh process; its JSON line is printed (unless `quiet`) and returned.

    The disk is flushed first: a build writes a site and a cache of about 600 MB each, and the next
    build must not pay for writing them back."""
    os.sync()
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"the {spec.get('run', spec['kind'])} run failed")
    line = result.stdout.strip().splitlines()[-1]
    if not quiet:
        print(line, flush=True)
    return json.loads(line)


def _summary(runs: dict[str, list[dict]], workload: synth.Workload) -> dict:
    """Each target's ratio in every repetition (a warm build, or a doubled history, over the cold
    build of the same repetition), their median, its limit and verdict; and the peak memory."""
    wall, cpu = _ratios(runs, "wall_s"), _ratios(runs, "cpu_s")
    targets = {}
    for name, values in wall.items():
        value, limit = statistics.median(values), TARGETS[name]
        targets[name] = {
            "value": round(value, 3),
            "runs": [round(v, 3) for v in values],
            "cpu_value": round(statistics.median(cpu[name]), 3),
            "limit": limit,
            "ok": value <= limit if name == "double_ratio" else value < limit,
        }
    peak = max(max(run["peak_mb"], run["peak_children_mb"]) for run in runs["cold"] + runs["warm"])
    targets["peak_mb"] = {
        "value": round(peak, 3),
        "runs": None,
        "cpu_value": None,
        "limit": TARGETS["peak_mb"],
        "ok": peak < TARGETS["peak_mb"],
    }
    return {
        "run": "summary",
        "workload": workload.name,
        "targets": targets,
        "seconds_per_page": {
            "cold": round(statistics.median(r["wall_s"] / r["pages"] for r in runs["cold"]), 4),
            "baseline": round(
                statistics.median(r["wall_s"] / r["pages"] for r in runs["baseline"]), 4
            ),
        },
    }


def _ratios(runs: dict[str, list[dict]], measure: str) -> dict[str, list[float]]:
    """The ratios the targets are about, in wall-clock (`wall_s`) or CPU (`cpu_s`) seconds, one
    per repetition, in the order of `TARGETS`."""
    ours = "ours_wall_s" if measure == "wall_s" else "ours_cpu_s"

    def over_cold(kind: str) -> list[float]:
        return [
            run[measure] / cold[measure] for run, cold in zip(runs[kind], runs["cold"], strict=True)
        ]

    return {
        "ours_share": [cold[ours] / cold[measure] for cold in runs["cold"]],
        "double_ratio": over_cold("double"),
        "warm_ratio": over_cold("warm"),
        "warm_regional_ratio": over_cold("warm-regional"),
        "per_page_ratio": [
            (cold[measure] / cold["pages"]) / (baseline[measure] / baseline["pages"])
            for cold, baseline in zip(runs["cold"], runs["baseline"], strict=True)
        ],
    }


def _utc_minute() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


def _code_version() -> str | None:
    """The project's commit whose code the run measured, with `+` when that code has changed
    since (a run of uncommitted work); None outside a git checkout. The docs name a run's
    results file by its start and this (`<day>T<hhmm>-<commit>-full-r3.jsonl`)."""
    root = Path(__file__).resolve().parent.parent
    code = ["generator", "benchmarks", ":!benchmarks/results", "pyproject.toml", "constraints.txt"]
    try:
        commit = _git(root, "rev-parse", "--short=7", "HEAD")
        changed = _git(root, "status", "--porcelain", "--", *code)
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("+" if changed else "")


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()


def _machine(load_before: tuple[float, float, float]) -> dict:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memory = meminfo.read_text().splitlines()[0].split(":", 1)[1].strip()
    return {
        "nproc": _machine_processors(),
        "cpu": model or platform.processor(),
        "memory": memory,
        "python": platform.python_version(),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def _spin(loops: int) -> tuple[float, float]:
    """A fixed amount of pure-Python work: (wall-clock, CPU seconds) it took."""
    wall, cpu = time.perf_counter(), time.process_time()
    total = 0
    for number in range(loops):
        total += number * number
    return time.perf_counter() - wall, time.process_time() - cpu


def _parallel_throughput(loops: int = 6_000_000, tries: int = 3) -> dict:
    """How much more work the machine's processors do together than one does alone.

    The same pure-Python work is timed in one process alone, then in one process per processor at
    once (median of `tries`). `speedup` is the work done together per second over the work done
    alone per second: the number of processors on a machine whose processors are independent,
    less where they share a physical core or the host is busy. `cpu_inflation` is the CPU time the
    same work is charged when every processor is busy over when it runs alone: above 1, work moved
    to another process slows the ones already running, and CPU time is not a steady measure
    either."""
    processes = _machine_processors()
    fork = multiprocessing.get_context("fork")
    speedups, inflations = [], []
    with ProcessPoolExecutor(processes, mp_context=fork) as pool:
        list(pool.map(_spin, [1000] * processes))  # every worker started
        for _ in range(tries):
            alone_wall, alone_cpu = pool.submit(_spin, loops).result()
            started = time.perf_counter()
            together = list(pool.map(_spin, [loops] * processes))
            wall = time.perf_counter() - started
            speedups.append(processes * alone_wall / wall)
            inflations.append(statistics.mean(cpu for _, cpu in together) / alone_cpu)
    return {
        "processes": processes,
        "speedup": round(statistics.median(speedups), 2),
        "cpu_inflation": round(statistics.median(inflations), 2),
    }


def _machine_processors() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


# The child: one build, instrumented ---------------------------------------------------------


def _child(spec: dict) -> dict:
    if spec["kind"] == "baseline":
        return _baseline_build(Path(spec["root"]))
    return _policy_build(spec)


def _policy_build(spec: dict) -> dict:
    from generator.build import BuildOptions, build_site
    from generator.progress import Progress

    progress = Progress(report=False)
    _instrument(progress)
    walk_timers = Path(tempfile.mkdtemp(prefix="walk-timers-"))
    _instrument_walk(progress, walk_timers)
    repo = Path(spec["repo"])
    options = BuildOptions(project_dir=repo, cache_dir=Path(spec["cache"]))
    wall, cpu, children = time.perf_counter(), _cpu(), _cpu(resource.RUSAGE_CHILDREN)
    with progress.timer("build"):
        summary = build_site(options, repo / "site", progress)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    children = _cpu(resource.RUSAGE_CHILDREN) - children
    mkdocs_wall = progress.seconds.get("mkdocs", 0.0)
    mkdocs_cpu = progress.cpu.get("mkdocs", 0.0)
    return {
        "run": spec["run"],
        "workload": spec["workload"],
        "documents": summary.documents,
        "versions": summary.versions,
        "pages": summary.pages,
        "reused": summary.reused,
        "rendered": len(summary.rendered),
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "ours_wall_s": round(wall - mkdocs_wall, 3),
        "ours_cpu_s": round(cpu - mkdocs_cpu, 3),
        "children_cpu_s": round(children, 3),
        "mkdocs_wall_s": round(mkdocs_wall, 3),
        "stages_wall_s": _grouped(progress.seconds),
        "stages_cpu_s": _grouped(progress.cpu),
        "timers_wall_s": {k: round(v, 3) for k, v in sorted(progress.seconds.items())},
        "walk_processes_wall_s": _walk_processes(walk_timers),
        "peak_mb": _peak_mb(),
        "peak_children_mb": _peak_mb(resource.RUSAGE_CHILDREN),
    }


def _cpu(who: int | None = None) -> float:
    """CPU seconds of this process and of the processes it waited for (the page renderers and
    git), or of `who` alone."""
    kinds = (who,) if who is not None else (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    return sum(usage.ru_utime + usage.ru_stime for usage in (resource.getrusage(k) for k in kinds))


def _instrument(progress) -> None:  # noqa: ANN001
    """Time the steps inside the stages a build reports, by wrapping the functions that do them."""
    import generator.cache as cache
    import generator.history as history
    import generator.incremental as incremental
    import generator.pages as pages
    import generator.versions as versions

    for owner, name, label in (
        (history.Repository, "blob", "git"),
        (versions, "read_policy", "sources"),
        (incremental.CatalogLoader, "load", "translate"),
        (incremental.Composer, "compose", "compose"),
        (versions, "content_hash", "hash"),
        (pages, "diff_versions", "diff"),
        (cache.PageStore, "add", "cache"),
        (cache.PageStore, "keep_rendered", "store"),
    ):
        setattr(owner, name, _timed(getattr(owner, name), progress, label))


def _instrument_walk(progress, folder: Path) -> None:  # noqa: ANN001
    """A walk shared among processes (a cold build, see versions.py) times its steps in them:
    each process writes its own timers to `folder` when its part of the walk is done."""
    import generator.versions as versions

    walk_part = versions._walk_part

    def timed_part(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        before = dict(progress.seconds)
        builder = walk_part(*args, **kwargs)
        spent = {k: v - before.get(k, 0.0) for k, v in progress.seconds.items()}
        (folder / f"{os.getpid()}.json").write_text(json.dumps(spent), encoding="utf-8")
        return builder

    versions._walk_part = timed_part


def _walk_processes(folder: Path) -> list[dict[str, float]]:
    """The stages each process of a shared walk spent its time in (none for a walk in one
    process, which the main timers count)."""
    found = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]
    shutil.rmtree(folder, ignore_errors=True)
    return [{k: v for k, v in _grouped(timers).items() if v} for timers in found]


def _timed(function, progress, label: str):  # noqa: ANN001, ANN202
    def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        with progress.timer(label):
            return function(*args, **kwargs)

    return timed


def _grouped(seconds: dict[str, float]) -> dict[str, float]:
    return {
        group: round(sum(seconds.get(name, 0.0) for name in names), 3)
        for group, names in STAGE_GROUPS.items()
    }


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory in MB (of the largest waited-for child, for RUSAGE_CHILDREN)."""
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


# The baseline: 200 ordinary pages -------------------------------------------------------------


def _baseline(root: Path) -> Path:
    """A plain MkDocs + Material project: 200 Markdown pages in 10 sections, the project's theme
    settings, the search plugin, no policy plugin."""
    import random

    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    words = synth._WORDS
    rng = random.Random(11)

    def sentence(low: int, high: int) -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(low, high))).capitalize()

    (docs / "index.md").write_text("# Home\n\n" + sentence(20, 40) + ".\n", encoding="utf-8")
    for number in range(1, BASELINE_PAGES):
        parts = [f"# {sentence(2, 5)}\n"]
        for _ in range(6):
            parts.append(f"## {sentence(2, 5)}\n")
            parts.extend(sentence(40, 80) + ".\n" for _ in range(2))
            parts.append("\n".join(f"- {sentence(5, 12)}" for _ in range(3)) + "\n")
        page = docs / f"section-{number % 10:02d}" / f"page-{number:03d}.md"
        page.parent.mkdir(exist_ok=True)
        page.write_text("\n".join(parts), encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Baseline\n"
        "theme:\n  name: material\n  font: false\n"
        "  features:\n    - navigation.prune\n    - toc.follow\n    - search.highlight\n"
        "plugins:\n  - search\n",
        encoding="utf-8",
    )
    return root


def _baseline_build(root: Path) -> dict:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    wall, cpu = time.perf_counter(), _cpu()
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    build(config)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    pages = sum(1 for _ in (root / "docs").rglob("*.md"))
    return {
        "run": "baseline",
        "pages": pages,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "peak_mb": _peak_mb(),
    }


if __name__ == "__main__":
    main()
