"""Turn the JSON lines of a `benchmarks/run.py` run into the Markdown tables of docs/performance.md.

    python benchmarks/run.py --full --repeat 3 | tee bench.jsonl
    python benchmarks/report.py bench.jsonl

Three tables, each listing every repetition in the order it ran: the targets (each ratio, its
median and verdict, as the summary line judged them), the builds (pages, reuse, seconds, peak
memory: the build's process or its largest child, whichever is larger), and
where each build's time went (the walk through the history, sorting the pages, our work inside
and after MkDocs' events, MkDocs). Nothing is computed here that the JSON lines do not hold but
sums and medians, so the docs' numbers are the benchmark's.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import TARGETS  # noqa: E402

TARGET_NAMES = {
    "ours_share": "our own stages' share of a cold build",
    "double_ratio": "doubling the versions",
    "warm_ratio": "warm rebuild after a one-clause commit / cold",
    "warm_regional_ratio": "the same after a regional clause",
    "per_page_ratio": "seconds per page / plain MkDocs + Material's",
    "peak_mb": "peak memory",
}
"""What each target of `run.TARGETS` measures, as the docs name it."""

RUN_NAMES = {
    "baseline": "baseline: plain MkDocs + Material",
    "cold": "cold",
    "warm": "warm, after a commit changing one clause everywhere",
    "warm-regional": "warm, after a commit changing one regional clause",
    "double": "double: twice the versions, cold",
}
"""The runs of a benchmark, in the order the tables list them."""

WALK = ("history", "compose", "translate")
"""The stages that read the history and number the versions (see run.STAGE_GROUPS)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=Path, help="the JSON lines a run printed ('-': standard input)")
    args = parser.parse_args()
    text = sys.stdin.read() if str(args.log) == "-" else args.log.read_text(encoding="utf-8")
    try:
        runs, summary = read_log(text.splitlines())
    except ValueError as error:
        raise SystemExit(f"{args.log}: {error}") from None
    print(report(runs, summary), end="")


def read_log(lines: Iterable[str]) -> tuple[dict[str, list[dict]], dict]:
    """The builds of each run, in the order they ran, and the summary line."""
    runs: dict[str, list[dict]] = {name: [] for name in RUN_NAMES}
    summary = None
    for number, line in enumerate(lines, 1):
        if not line.startswith("{"):
            continue  # anything else a shell put in the log
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"line {number} is not JSON: {error.msg}") from None
        if entry.get("run") == "summary":
            summary = entry
        elif entry.get("run") in runs:
            runs[entry["run"]].append(entry)
    if summary is None:
        raise ValueError("no summary line: the run did not finish")
    return runs, summary


def report(runs: dict[str, list[dict]], summary: dict) -> str:
    """When the run was made and of which code (if its summary says), then the three tables,
    with a blank line after each."""
    tables = [*targets_table(summary), "", *builds_table(runs), "", *stages_table(runs), ""]
    return "\n".join([*made(summary), *tables])


def made(summary: dict) -> list[str]:
    """The run's workload, when it started and ended (UTC) and the code it measured, as a line
    and a blank one; nothing for the runs recorded before the summary said (2026-11-29)."""
    if "started" not in summary:
        return []
    code = summary.get("code") or "code not known"
    return [
        f"{summary['workload']}, {summary['repeat']} × each build, from {summary['started']} "
        f"to {summary['ended']}, at {code}",
        "",
    ]


def targets_table(summary: dict) -> list[str]:
    rows = []
    for name, target in summary["targets"].items():
        limit = f"{'<=' if name == 'double_ratio' else '<'} {TARGETS[name]}"
        verdict = "met" if target["ok"] else "**not met**"
        if name == "peak_mb":
            rows.append(
                _row(TARGET_NAMES[name], f"{limit} MB", "", f"{target['value']:.0f} MB", verdict)
            )
            continue
        decimals = 2 if name in ("double_ratio", "per_page_ratio") else 3
        median = f"{target['value']:.{decimals}f}"
        rows.append(
            _row(TARGET_NAMES[name], limit, _listed(target["runs"], decimals), median, verdict)
        )
    return _table(("target", "limit", "each repetition", "median", ""), rows, text=(0, 4))


def builds_table(runs: dict[str, list[dict]]) -> list[str]:
    rows = []
    for name, builds in runs.items():
        if not builds:
            continue
        if "documents" in builds[0]:
            counts = [_same(builds, k) for k in ("documents", "versions", "pages", "reused")]
        else:  # the baseline: ordinary pages, no policy
            counts = ["", "", _same(builds, "pages"), ""]
        seconds = (_each(builds, "wall_s", 1), _each(builds, "cpu_s", 1))
        peaks = [max(b["peak_mb"], b.get("peak_children_mb", 0)) for b in builds]
        rows.append(_row(RUN_NAMES[name], *counts, *seconds, _listed(peaks, 0)))
    header = ("run", "documents", "versions", "pages written", "reused from the cache")
    return _table((*header, "seconds", "CPU seconds", "peak MB"), rows)


def stages_table(runs: dict[str, list[dict]]) -> list[str]:
    rows = []
    for name, builds in runs.items():
        if not builds or "stages_wall_s" not in builds[0]:
            continue
        walk = [sum(b["stages_wall_s"][stage] for stage in WALK) for b in builds]
        rows.append(
            _row(
                RUN_NAMES[name],
                _listed(walk, 2),
                _listed([b["stages_wall_s"]["render"] for b in builds], 2),
                _listed([b["stages_wall_s"]["write"] for b in builds], 2),
                _each(builds, "ours_wall_s", 2),
                _each(builds, "mkdocs_wall_s", 1),
            )
        )
    header = ("run", "walk", "sorting", "write", "our stages", "MkDocs + Material")
    return _table(header, rows)


def _table(header: Sequence[str], rows: list[str], text: Sequence[int] = (0,)) -> list[str]:
    """A Markdown table: numbers aligned right, the columns in `text` left."""
    aligns = ["---" if column in text else "---:" for column in range(len(header))]
    return [_row(*header), "|" + "|".join(aligns) + "|", *rows]


def _row(*cells: str) -> str:
    return "|" + "|".join(f" {cell} " if cell else " " for cell in cells) + "|"


def _same(builds: Sequence[dict], key: str) -> str:
    """A count every repetition shares (the same workload makes the same pages), or each."""
    values = [b[key] for b in builds]
    return f"{values[0]:,}" if len(set(values)) == 1 else ", ".join(f"{v:,}" for v in values)


def _each(builds: Sequence[dict], key: str, decimals: int) -> str:
    return _listed([b[key] for b in builds], decimals)


def _listed(values: Sequence[float], decimals: int) -> str:
    return ", ".join(f"{value:.{decimals}f}" for value in values)


if __name__ == "__main__":
    main()
