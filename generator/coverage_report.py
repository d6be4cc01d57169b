"""The coverage matrix for lawyers: jurisdictions x topics, the clause that covers each, the law.

A report file (`policy coverage`), not a page of the published site: it is working material for the
legal team (conditions, unverified citations, gaps), shoppers have no use for it, and a page on a
public host is public whatever its path. As a file it can be made for any working tree or pull
request, attached to a review, and kept with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from generator.coverage import Coverage, Status, TopicCoverage

TEMPLATES = Path(__file__).parent / "templates"
FORMATS = ("markdown", "html")

STATUS_LABELS = {
    Status.COVERED: "covered",
    Status.MISSING: "MISSING",
    Status.NOT_REQUIRED: "not required",
    Status.UNDECLARED: "condition not declared",
}


NO_LISTS = "**none: no requirements**"
"""The summary's cell of a jurisdiction that names no disclosure list (itself or by `extends`)."""
NO_LISTS_SAID = (
    "No requirements: the jurisdiction names no disclosure lists, itself or through `extends`, "
    "so nothing is checked (`policy check` warns, `[coverage.no-lists]`)."
)


@dataclass(frozen=True, kw_only=True)
class Row:
    """One topic of the matrix, with its cell in each jurisdiction (None: not required there)."""

    id: str
    title: str
    description: str
    cells: tuple[TopicCoverage | None, ...]


def matrix(coverage: Coverage) -> list[Row]:
    """Every topic some jurisdiction's lists name, in the disclosures file's order."""
    by_jurisdiction = [{tc.topic.id: tc for tc in jc.topics} for jc in coverage.jurisdictions]
    named = {topic for cells in by_jurisdiction for topic in cells}
    return [
        Row(
            id=topic.id,
            title=topic.title,
            description=topic.description,
            cells=tuple(cells.get(topic.id) for cells in by_jurisdiction),
        )
        for topic in coverage.disclosures.topics.values()
        if topic.id in named
    ]


def render_coverage(coverage: Coverage, titles: Mapping[str, str], fmt: str) -> str:
    """The report as Markdown or as a standalone HTML page; `titles` names each clause id."""
    if fmt == "html":
        return _render_html(coverage, titles)
    return _render_markdown(coverage, titles)


def _render_html(coverage: Coverage, titles: Mapping[str, str]) -> str:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = environment.get_template("coverage.html")
    return template.render(
        coverage=coverage,
        Status=Status,
        rows=matrix(coverage),
        titles=titles,
        labels={s.value: label for s, label in STATUS_LABELS.items()},
        used_conditions=_used_conditions(coverage),
        no_lists_said=NO_LISTS_SAID,
    )


def _render_markdown(coverage: Coverage, titles: Mapping[str, str]) -> str:
    jurisdictions = coverage.jurisdictions
    out = [
        "# Disclosure coverage",
        "",
        "Which clause of each jurisdiction's policy gives each disclosure its law requires, from "
        "`policies/` and `policies/required-disclosures.yml`. Not legal advice.",
        "",
        "## Summary",
        "",
        "| Jurisdiction | Disclosure lists | Covered | Missing | Condition not declared "
        "| Not required |",
        "|---|---|---|---|---|---|",
    ]
    for jc in jurisdictions:
        if not jc.lists:
            out.append(f"| {_md(jc.name)} (`{jc.jurisdiction}`) | {NO_LISTS} | - | - | - | - |")
            continue
        out.append(
            f"| {_md(jc.name)} (`{jc.jurisdiction}`) | {', '.join(jc.lists)} "
            f"| {jc.count(Status.COVERED)} | {jc.count(Status.MISSING)} "
            f"| {jc.count(Status.UNDECLARED)} | {jc.count(Status.NOT_REQUIRED)} |"
        )
    out += ["", "## Matrix", ""]
    out.append("| Topic | " + " | ".join(f"`{jc.jurisdiction}`" for jc in jurisdictions) + " |")
    out.append("|---" * (len(jurisdictions) + 1) + "|")
    for row in matrix(coverage):
        cells = [_md_cell(cell) for cell in row.cells]
        out.append(f"| **{_md(row.title)}** (`{row.id}`) | " + " | ".join(cells) + " |")
    out += ["", "## Conditions", ""]
    out += _md_conditions(coverage)
    for jc in jurisdictions:
        out += ["", f"## {_md(jc.name)} (`{jc.jurisdiction}`)", ""]
        if not jc.lists:
            out.append(NO_LISTS_SAID)
            continue
        out.append("| Topic | Requirement | Status | Covered by | Law |")
        out.append("|---|---|---|---|---|")
        for tc in jc.topics:
            covered = "<br>".join(f"`{c}` {_md(titles.get(c, ''))}".strip() for c in tc.covered_by)
            sources = "<br>".join(
                f"{r.list_key}: {_md(r.cite)}"
                + (" (unverified)" if r.unverified else "")
                + (f" - {_md(r.note)}" if r.note else "")
                for r in tc.requirements
            )
            requirement = "conditional" if tc.conditional else "required"
            if tc.conditions:
                requirement += "<br>" + "<br>".join(
                    f"`{n}`: {_declared(v)}" for n, v in tc.conditions.items()
                )
            out.append(
                f"| **{_md(tc.topic.title)}** (`{tc.topic.id}`) | {requirement} "
                f"| {STATUS_LABELS[tc.status]} | {covered or '-'} | {sources} |"
            )
    return "\n".join(out) + "\n"


def _md_cell(cell: TopicCoverage | None) -> str:
    if cell is None:
        return ""
    label = STATUS_LABELS[cell.status]
    if cell.status is Status.COVERED:
        label = " ".join(f"`{c}`" for c in cell.covered_by)
    elif cell.status is Status.MISSING:
        label = "**MISSING**"
    return f"{label}<br>{_md(cell.cite)}"


def _md_conditions(coverage: Coverage) -> list[str]:
    out = [
        "| Condition | Declared in site.yml | Applies when | Makes required |",
        "|---|---|---|---|",
    ]
    for condition in _used_conditions(coverage):
        requires = "<br>".join(
            f"{key}: {', '.join(topics)}" for key, topics in sorted(condition.requires.items())
        )
        out.append(
            f"| `{condition.id}` | {_declared(coverage.declared.get(condition.id))} "
            f"| {_md(condition.applies_when)} | {requires} |"
        )
    return out


def _used_conditions(coverage: Coverage) -> list:
    used = {key for jc in coverage.jurisdictions for key in jc.lists}
    return [
        c
        for c in sorted(coverage.disclosures.conditions.values(), key=lambda c: c.id)
        if used.intersection(c.requires)
    ]


def _declared(value: bool | None) -> str:
    return "not declared" if value is None else str(value).lower()


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;")
