"""The output of `policy check`: for people, for programs (JSON) and for GitHub Actions.

Every format carries the same problems with the same stable codes; the JSON shape is described by
`generator/schema/check.schema.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.check import CheckResult
from generator.coverage import Coverage, JurisdictionCoverage, TopicCoverage
from generator.errors import Problem, Severity, counted

FORMATS = ("human", "json", "github")
SCHEMA_VERSION = 1
SCHEMA_FILE = Path(__file__).parent / "schema" / "check.schema.json"


def passed(result: CheckResult, strict: bool) -> bool:
    """No errors, and with `strict` no warnings either."""
    return not any(
        p.severity is Severity.ERROR or (strict and p.severity is Severity.WARNING)
        for p in result.problems
    )


def summary_line(result: CheckResult) -> str:
    """`N errors, M warnings` (`1 error`, `1 warning`)."""
    errors = sum(p.severity is Severity.ERROR for p in result.problems)
    return f"{counted(errors, 'error')}, {counted(len(result.problems) - errors, 'warning')}"


def render_human(result: CheckResult) -> str:
    """One `path:line: message [code]` line per problem."""
    return "".join(f"{problem}\n" for problem in result.problems)


def render_github(result: CheckResult, prefix: str = "") -> str:
    """One GitHub Actions workflow command per problem, so each shows as an annotation on its
    line; `prefix` is the project's folder inside the repository."""
    lines = []
    for problem in result.problems:
        properties = []
        if problem.path:
            path = f"{prefix}/{problem.path}" if prefix else problem.path
            properties.append(f"file={_escape_property(path)}")
            if problem.line:
                properties.append(f"line={problem.line}")
        properties.append(f"title={_escape_property(f'[{problem.code}]')}")
        level = "error" if problem.severity is Severity.ERROR else "warning"
        lines.append(f"::{level} {','.join(properties)}::{_escape_data(problem.message)}\n")
    return "".join(lines)


def render_json(result: CheckResult, strict: bool) -> str:
    """The problems, translation status and coverage as one JSON document."""
    errors = sum(p.severity is Severity.ERROR for p in result.problems)
    data = {
        "schema": SCHEMA_VERSION,
        "ok": passed(result, strict),
        "strict": strict,
        "counts": {"errors": errors, "warnings": len(result.problems) - errors},
        "problems": [_problem(p) for p in result.problems],
        "translations": [
            {
                "jurisdiction": t.jurisdiction,
                "language": t.language,
                "translated": t.translated,
                "fuzzy": t.fuzzy,
                "missing": t.missing,
                "complete": t.complete,
            }
            for t in result.translations
        ],
        "coverage": _coverage(result.coverage) if result.coverage else None,
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "path": problem.path,
        "line": problem.line,
        "code": problem.code,
        "severity": problem.severity.value,
        "message": problem.message,
        "text": str(problem),
    }


def _coverage(coverage: Coverage) -> dict[str, Any]:
    disclosures = coverage.disclosures
    used = sorted({key for jc in coverage.jurisdictions for key in jc.lists})
    return {
        "lists": [
            {"key": key, "name": disclosures.lists[key].name, "law": disclosures.lists[key].law}
            for key in used
        ],
        "conditions": [
            {
                "id": condition.id,
                "declared": coverage.declared.get(condition.id),
                "applies_when": condition.applies_when,
                "requires": {k: list(v) for k, v in sorted(condition.requires.items())},
            }
            for condition in sorted(disclosures.conditions.values(), key=lambda c: c.id)
            if any(key in used for key in condition.requires)
        ],
        "jurisdictions": [_jurisdiction(jc) for jc in coverage.jurisdictions],
    }


def _jurisdiction(jc: JurisdictionCoverage) -> dict[str, Any]:
    return {
        "jurisdiction": jc.jurisdiction,
        "name": jc.name,
        "lists": list(jc.lists),
        "topics": [_topic(tc) for tc in jc.topics],
    }


def _topic(tc: TopicCoverage) -> dict[str, Any]:
    return {
        "topic": tc.topic.id,
        "title": tc.topic.title,
        "requirement": "conditional" if tc.conditional else "required",
        "status": tc.status.value,
        "covered_by": list(tc.covered_by),
        "cite": tc.cite,
        "conditions": dict(tc.conditions),
        "sources": [
            {
                "list": r.list_key,
                "cite": r.cite,
                "conditional": r.conditional,
                "unverified": r.unverified,
                "note": r.note,
            }
            for r in tc.requirements
        ],
    }


def _escape_data(text: str) -> str:
    """GitHub's escaping of a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """GitHub's escaping of a workflow command's property value."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
