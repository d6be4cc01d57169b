"""Progress: a line per stage with its count (a bar on a terminal), times that add up."""

from __future__ import annotations

import io

import pytest

import generator.progress as progress_module
from generator.progress import Progress


def test_each_stage_writes_one_line_with_its_count_when_not_on_a_terminal():
    stream = io.StringIO()
    progress = Progress(stream, interactive=False)
    with progress.stage("history", unit="commits") as stage:
        stage.advance(74)
    with progress.stage("versions", total=3, unit="commits") as stage:
        for _ in range(3):
            stage.advance()
    with progress.stage("check", unit="revisions") as stage:
        stage.advance()
    lines = stream.getvalue().splitlines()
    assert [line.split(" in ")[0] for line in lines] == [
        "history: 74 commits",
        "versions: 3 commits",
        "check: 1 revision",
    ]
    assert all(line.endswith(" s") for line in lines)
    assert progress.counts == {"history": 74, "versions": 3, "check": 1}


def test_a_long_stage_says_how_far_it_is():
    stream = io.StringIO()
    progress = Progress(stream, interactive=False, interval=0.0)
    with progress.stage("mkdocs", total=2, unit="pages") as stage:
        stage.advance()
        stage.advance()
    assert stream.getvalue().splitlines()[:2] == ["mkdocs: 1 of 2 pages", "mkdocs: 2 of 2 pages"]


def test_on_a_terminal_the_stage_is_a_bar_rewritten_in_place():
    stream = io.StringIO()
    progress = Progress(stream, interactive=True)
    with progress.stage("render", total=4, unit="pages") as stage:
        stage.advance(2)
    output = stream.getvalue()
    assert "\rrender [############------------] 2/4 pages" in output
    assert output.endswith("\x1b[K\n") and "\rrender: 2 pages in " in output


def test_one_item_is_counted_in_the_singular_while_the_stage_runs_and_when_it_ends():
    for interactive in (True, False):
        stream = io.StringIO()
        progress = Progress(stream, interactive=interactive, interval=0.0)
        with progress.stage("check", unit="revisions") as stage:
            stage.advance()
        output = stream.getvalue()
        assert "check: 1 revision " in output and "revisions" not in output, output


def test_a_failed_stage_is_not_reported_but_timed():
    stream = io.StringIO()
    progress = Progress(stream, interactive=False)
    with pytest.raises(ValueError), progress.stage("check"):
        raise ValueError("broken")
    assert stream.getvalue() == ""
    assert "check" in progress.seconds


def test_stage_times_exclude_what_ran_inside_them(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(progress_module.time, "perf_counter", lambda: now[0])
    monkeypatch.setattr(progress_module.time, "process_time", lambda: now[0] / 2)
    progress = Progress(report=False)
    with progress.stage("mkdocs"):
        now[0] += 5
        with progress.timer("hooks"):
            now[0] += 1
        stage = progress.start("write")
        now[0] += 2
        progress.end(stage)
        now[0] += 3
    assert progress.seconds == {"hooks": 1, "write": 2, "mkdocs": 8}
    assert progress.cpu == {"hooks": 0.5, "write": 1, "mkdocs": 4}


def test_stages_must_end_in_order():
    progress = Progress(report=False)
    outer = progress.start("outer")
    progress.start("inner")
    with pytest.raises(RuntimeError, match="stage 'outer' ended inside 'inner'"):
        progress.end(outer)
