"""benchmarks/report.py: the tables of docs/performance.md, made from a run's JSON lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
REPEATED = BENCHMARKS / "results" / "2026-11-28T1525-9dc26bd-full-r3.jsonl"


def _report(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / "report.py"), *args],
        capture_output=True,
        text=True,
        input=stdin,
        check=False,
    )


def test_report_lists_each_repetition_and_the_median_the_summary_judged():
    """A recorded run of three repetitions: each ratio as the summary line gave it, the builds'
    pages and seconds, and the stages of each build."""
    result = _report(str(REPEATED))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        "| our own stages' share of a cold build | < 0.1 | 0.286, 0.257, 0.257 | 0.257 "
        "| **not met** |"
    ) in lines
    assert "| doubling the versions | <= 2.2 | 1.99, 1.90, 1.87 | 1.90 | met |" in lines
    assert "| peak memory | < 500 MB | | 191 MB | met |" in lines
    assert (
        "| cold | 96 | 2,693 | 5,771 | 0 | 16.1, 16.9, 16.3 | 30.8, 32.0, 30.7 | 190, 191, 190 |"
        in lines
    )
    assert (
        "| baseline: plain MkDocs + Material | | | 200 | | 1.5, 1.4, 1.5 | 1.5, 1.4, 1.5 | 55, 55, 55 |"
        in lines
    )
    # The walk is the history, compose and translate stages together; MkDocs' part its own.
    assert (
        "| cold | 2.20, 2.29, 2.31 | 0.72, 0.71, 0.71 | 1.65, 1.32, 1.15 | 4.60, 4.36, 4.21 "
        "| 11.5, 12.6, 12.1 |"
    ) in lines


def test_report_says_when_the_run_was_made_and_of_which_code():
    """A summary that says when the run started and ended, and the commit it measured, heads
    the report with them; one recorded before it said (the run above) begins with the tables."""
    *builds, last = REPEATED.read_text(encoding="utf-8").splitlines()
    summary = {
        **json.loads(last), "started": "2026-11-29T22:02Z", "ended": "2026-11-29T22:07Z", "code": "207c2b3"
    }  # fmt: skip
    result = _report("-", stdin="\n".join([*builds, json.dumps(summary)]))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "c60-j8-l12-v40, 3 × each build, from 2026-11-29T22:02Z to 2026-11-29T22:07Z, at 207c2b3",
        "",
    ]
    assert lines[2:] == _report(str(REPEATED)).stdout.splitlines()


def test_report_of_a_run_that_did_not_finish_says_so():
    """A log cut short before its summary line (the run failed or was stopped) makes no tables."""
    cut = "".join(REPEATED.read_text(encoding="utf-8").splitlines(keepends=True)[:-1])
    result = _report("-", stdin=cut)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "-: no summary line: the run did not finish"
    broken = _report("-", stdin='{"run": "cold",\n')
    assert broken.stderr.strip().startswith("-: line 1 is not JSON:")
