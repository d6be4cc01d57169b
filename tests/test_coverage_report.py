"""`policy coverage`: the matrix a lawyer reads, jurisdictions x topics, with clauses and citations."""

from __future__ import annotations

import os
from html.parser import HTMLParser

from conftest import ROOT
from coverage_files import COVERED_FILES, DISCLOSURES_YML


def test_coverage_markdown_matrix_names_clauses_and_citations(make_project):
    project = make_project(COVERED_FILES)
    result = project.policy("coverage")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "Wrote the coverage of 2 jurisdictions: 0 missing, 0 with an undeclared condition.\n"
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "# Disclosure coverage"
    assert "| European Union (`eu`) | baseline, gdpr | 4 | 0 | 0 | 1 |" in lines
    assert "| Topic | `global` | `eu` |" in lines
    assert "| **Retention period** (`retention`) |  | `retention`<br>GDPR Art. 13(2)(a) |" in lines
    assert (
        "| **Joint-controller arrangement** (`joint-controllers`) |  "
        "| not required<br>GDPR Art. 26(2) |"
    ) in lines
    assert (
        "| `has-joint-controllers` | false | we decide purposes and means jointly with another "
        "company. | gdpr: joint-controllers |"
    ) in lines
    assert (
        "| **Retention period** (`retention`) | required | covered | `retention` How long we keep "
        "your information | gdpr: GDPR Art. 13(2)(a) - Storage period or the criteria used to "
        "determine it. |"
    ) in lines
    assert (
        "| **Joint-controller arrangement** (`joint-controllers`) | conditional<br>"
        "`has-joint-controllers`: false | not required | - | gdpr: GDPR Art. 26(2) (unverified) |"
    ) in lines


def test_coverage_report_shows_missing_topics(make_project):
    project = make_project({**COVERED_FILES, "policies/clauses/retention.md": None})
    result = project.policy("coverage")
    assert result.returncode == 0
    assert "| **Retention period** (`retention`) |  | **MISSING**<br>GDPR Art. 13(2)(a) |" in (
        result.stdout.splitlines()
    )
    assert result.stderr.endswith("1 missing, 0 with an undeclared condition.\n")


class _Cells(HTMLParser):
    """Collects the text of each table cell and checks every tag closes in order."""

    VOID = {"meta", "br", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.cells: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag not in self.VOID:
            self.open.append(tag)
        if tag in {"td", "th"}:
            self.cells.append("")

    def handle_endtag(self, tag):  # noqa: ANN001
        assert self.open.pop() == tag

    def handle_data(self, data):  # noqa: ANN001
        if self.cells and any(t in {"td", "th"} for t in self.open):
            self.cells[-1] += data


def test_coverage_html_report_is_a_standalone_escaped_page(make_project):
    project = make_project(
        {
            **COVERED_FILES,
            "policies/required-disclosures.yml": DISCLOSURES_YML.replace(
                "cite: GDPR Art. 13(2)(a)", "cite: GDPR Art. 13(2)(a) <b>sic</b>"
            ),
        }
    )
    result = project.policy("coverage", "--output", "coverage.html")
    assert result.returncode == 0, result.stderr
    html = project.read("coverage.html")
    assert html.startswith('<!doctype html>\n<html lang="en">')
    assert "GDPR Art. 13(2)(a) &lt;b&gt;sic&lt;/b&gt;" in html
    assert "<b>sic</b>" not in html
    assert "http" not in html.replace("https://json", "")  # no other host is called
    parser = _Cells()
    parser.feed(html)
    assert parser.open == []
    assert "retentionGDPR Art. 13(2)(a) <b>sic</b>" in parser.cells
    assert "not requiredGDPR Art. 26(2)" in parser.cells


def test_coverage_report_file_is_only_rewritten_when_it_changes(make_project):
    project = make_project(COVERED_FILES)
    assert project.policy("coverage", "-o", "coverage.md").returncode == 0
    path = project.root / "coverage.md"
    os.utime(path, (1_000_000, 1_000_000))
    first = path.read_bytes()
    assert project.policy("coverage", "-o", "coverage.md").returncode == 0
    assert path.read_bytes() == first
    assert path.stat().st_mtime == 1_000_000


def test_coverage_report_file_in_a_missing_folder_is_named(make_project):
    project = make_project(COVERED_FILES)
    result = project.policy("coverage", "-o", "reports/coverage.md")
    assert result.returncode == 1
    assert result.stderr == (
        "reports/coverage.md: cannot write the report there (No such file or directory). Give "
        "--output a file in a folder that exists and that you can write to. [file.unwritable]\n"
    )


def test_coverage_report_replaces_a_file_that_is_not_text(make_project):
    # An earlier file of any bytes is compared as bytes, never decoded.
    project = make_project(COVERED_FILES)
    (project.root / "coverage.md").write_bytes(b"\xff\xfe\x00")
    assert project.policy("coverage", "-o", "coverage.md").returncode == 0
    assert project.read("coverage.md").startswith("# Disclosure coverage")


def test_coverage_report_without_disclosures_data_fails(make_project):
    project = make_project()
    result = project.policy("coverage")
    assert result.returncode == 1
    assert result.stderr == (
        "policies/required-disclosures.yml: there is no required-disclosures data to report on. "
        "Add the legal team's file there (see docs/authoring.md). [file.missing]\n"
    )


def test_coverage_report_of_the_shipped_policy(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    policy = Path(sys.executable).parent / "policy"
    result = subprocess.run(
        [str(policy), "coverage", "--project", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "| Topic | `global` | `eu` | `us-ca` | `cn` | `br` |" in lines
    assert (
        "| **Joint-controller arrangement** (`joint-controllers`) |  "
        "| not required<br>GDPR Art. 26(2) |  |  |  |"
    ) in lines
    assert result.stderr.endswith("0 missing, 0 with an undeclared condition.\n")
