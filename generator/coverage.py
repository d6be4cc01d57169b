"""Compliance coverage: does each jurisdiction's document say what its law requires?

`policies/required-disclosures.yml` (the legal team's data) lists, per disclosure list (`eu-gdpr`,
`us-ca-ccpa`...), the topics a privacy notice must cover, with citations; some only under a
condition. Its `conditions:` section says which fact triggers which conditional requirement, and
`policies/site.yml` declares each fact true or false for this shop. A jurisdiction must meet the
lists it names in `jurisdictions.yml` and those of the jurisdictions it extends; its document covers
the union of the topics of its composed clauses.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.errors import Problem, Problems
from generator.model import Document, Policy
from generator.sources import DISCLOSURES_FILE, JURISDICTIONS_FILE, SITE_FILE, clause_header
from generator.yamlio import Loaded, as_mapping, read_yaml

TOP_KEYS = {"meta", "topics", "jurisdictions", "conditions"}


class Status(enum.Enum):
    """Where one required topic stands in one jurisdiction's document."""

    COVERED = "covered"
    """A clause of the document covers the topic."""
    MISSING = "missing"
    """Required (unconditionally, or by a condition declared true) and no clause covers it."""
    NOT_REQUIRED = "not-required"
    """Conditional, every condition that triggers it is declared false, and no clause covers it."""
    UNDECLARED = "undeclared"
    """Conditional, no clause covers it, and a condition that decides it is not declared."""


@dataclass(frozen=True, kw_only=True)
class Topic:
    """A disclosure topic, such as `retention`."""

    id: str
    title: str
    description: str


@dataclass(frozen=True, kw_only=True)
class Requirement:
    """One row of a disclosure list: a topic the law requires, and where it says so."""

    list_key: str
    topic: str
    cite: str
    conditional: bool
    note: str
    unverified: bool
    """The legal team could not confirm the substance or the citation."""
    line: int | None
    """Line of the row in the disclosures file."""


@dataclass(frozen=True, kw_only=True)
class DisclosureList:
    """The requirements of one law (or of the shop's own baseline)."""

    key: str
    name: str
    law: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True, kw_only=True)
class Condition:
    """A fact about the shop that makes some conditional requirements apply."""

    id: str
    applies_when: str
    """The fact, as a statement: true if it holds for the shop."""
    requires: Mapping[str, tuple[str, ...]]
    """Disclosure list key -> the topics it requires when the fact holds."""


@dataclass(frozen=True, kw_only=True)
class Disclosures:
    """The parsed disclosures file."""

    topics: Mapping[str, Topic]
    lists: Mapping[str, DisclosureList]
    conditions: Mapping[str, Condition]

    def conditions_for(self, requirement: Requirement) -> tuple[str, ...]:
        """The conditions that trigger a conditional requirement, sorted."""
        return tuple(
            sorted(
                c.id
                for c in self.conditions.values()
                if requirement.topic in c.requires.get(requirement.list_key, ())
            )
        )


@dataclass(frozen=True, kw_only=True)
class TopicCoverage:
    """One topic a jurisdiction's lists name, and how its document covers it."""

    topic: Topic
    status: Status
    covered_by: tuple[str, ...]
    """Ids of the composed clauses that cover the topic, in reading order."""
    requirements: tuple[Requirement, ...]
    """The rows of the jurisdiction's lists that name the topic."""
    conditions: Mapping[str, bool | None]
    """Each condition deciding a conditional row, with its declared value (None: undeclared)."""

    @property
    def conditional(self) -> bool:
        """Whether every list names the topic only under a condition."""
        return all(r.conditional for r in self.requirements)

    @property
    def cite(self) -> str:
        """The citations of every row, for one line of text."""
        return "; ".join(dict.fromkeys(r.cite for r in self.requirements))


@dataclass(frozen=True, kw_only=True)
class JurisdictionCoverage:
    """Every topic one jurisdiction's lists name."""

    jurisdiction: str
    name: str
    lists: tuple[str, ...]
    topics: tuple[TopicCoverage, ...]

    def count(self, status: Status) -> int:
        """How many topics have a status."""
        return sum(t.status is status for t in self.topics)


@dataclass(frozen=True, kw_only=True)
class Coverage:
    """The coverage of every jurisdiction."""

    disclosures: Disclosures
    declared: Mapping[str, bool]
    """The conditions declared in site.yml."""
    jurisdictions: tuple[JurisdictionCoverage, ...]


def check_coverage(
    policy: Policy, files: Mapping[str, bytes], documents: Mapping[str, Document]
) -> tuple[Coverage | None, list[Problem]]:
    """The coverage of each jurisdiction's source-language document, and every problem found:
    unknown topics, lists and conditions, and required topics no clause covers."""
    problems = Problems()
    wanted = any(j.disclosures for j in policy.jurisdictions.values())
    if DISCLOSURES_FILE not in files:
        if wanted:
            problems.add(
                DISCLOSURES_FILE,
                None,
                "file.missing",
                f"jurisdictions.yml names disclosure lists but {DISCLOSURES_FILE} is missing. Add "
                "the legal team's required-disclosures data there (see docs/authoring.md).",
            )
        return None, list(problems)
    disclosures = read_disclosures(files[DISCLOSURES_FILE], problems)
    if disclosures is None:
        return None, list(problems)
    _check_clause_topics(policy, files, disclosures, problems)
    _check_declared(policy, files, disclosures, problems)
    used = _check_jurisdiction_lists(policy, files, disclosures, problems)
    _check_mapped(disclosures, used, problems)
    _check_unlisted(policy, disclosures, used, problems)
    coverage = Coverage(
        disclosures=disclosures,
        declared=dict(policy.conditions),
        jurisdictions=tuple(
            _jurisdiction_coverage(policy, jid, documents[jid], disclosures)
            for jid in policy.jurisdictions
            if jid in documents
        ),
    )
    _report(coverage, policy, files, problems)
    return coverage, list(problems)


def read_disclosures(data: bytes, problems: Problems) -> Disclosures | None:
    """Parse the disclosures file; None when it cannot be read at all."""
    path = DISCLOSURES_FILE
    loaded = as_mapping(read_yaml(data, path, problems), path, problems)
    if loaded is None:
        return None
    for key in loaded.data:
        if key not in TOP_KEYS:
            problems.add(
                path,
                loaded.line(str(key)),
                "disclosures.unknown-key",
                f"unknown key '{key}'.{_did_you_mean(str(key), TOP_KEYS)}",
            )
    topics = _topics(loaded, problems)
    lists = _lists(loaded, topics, problems)
    conditions = _conditions(loaded, lists, problems)
    return Disclosures(topics=topics, lists=lists, conditions=conditions)


def _topics(loaded: Loaded, problems: Problems) -> dict[str, Topic]:
    result = {}
    for key, spec in _mapping(loaded, ("topics",), problems).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("title"), str):
            problems.add(
                DISCLOSURES_FILE,
                loaded.line("topics", str(key)),
                "disclosures.format",
                f"topic '{key}' needs a 'title' (and a 'description').",
            )
            continue
        result[str(key)] = Topic(
            id=str(key), title=spec["title"], description=str(spec.get("description") or "")
        )
    return result


def _lists(
    loaded: Loaded, topics: Mapping[str, Topic], problems: Problems
) -> dict[str, DisclosureList]:
    result = {}
    for key, spec in _mapping(loaded, ("jurisdictions",), problems).items():
        key = str(key)
        rows = spec.get("required") if isinstance(spec, dict) else None
        if not isinstance(rows, list):
            problems.add(
                DISCLOSURES_FILE,
                loaded.line("jurisdictions", key),
                "disclosures.format",
                f"disclosure list '{key}' needs 'required', a list of topics with 'topic', 'cite' "
                "and 'conditional'.",
            )
            continue
        requirements = []
        for index, row in enumerate(rows):
            requirement = _requirement(loaded, key, index, row, topics, problems)
            if requirement is None:
                continue
            if any(r.topic == requirement.topic for r in requirements):
                problems.add(
                    DISCLOSURES_FILE,
                    requirement.line,
                    "disclosures.duplicate-topic",
                    f"'{key}' names topic '{requirement.topic}' twice. Merge the two rows; a topic "
                    "appears at most once per list.",
                )
                continue
            requirements.append(requirement)
        result[key] = DisclosureList(
            key=key,
            name=str(spec.get("name") or key),
            law=str(spec.get("law") or ""),
            requirements=tuple(requirements),
        )
    return result


def _requirement(
    loaded: Loaded, key: str, index: int, row: Any, topics: Mapping[str, Topic], problems: Problems
) -> Requirement | None:
    line = loaded.line("jurisdictions", key, "required", str(index), "topic") or loaded.line(
        "jurisdictions", key, "required"
    )
    if (
        not isinstance(row, dict)
        or not isinstance(row.get("topic"), str)
        or not isinstance(row.get("cite"), str)
        or not isinstance(row.get("conditional"), bool)
    ):
        problems.add(
            DISCLOSURES_FILE,
            line,
            "disclosures.format",
            f"each row of '{key}' needs 'topic', 'cite' and 'conditional: true' or 'false'.",
        )
        return None
    topic = row["topic"]
    if topic not in topics:
        problems.add(
            DISCLOSURES_FILE,
            line,
            "disclosures.unknown-topic",
            f"'{key}' requires unknown topic '{topic}'.{_did_you_mean(topic, topics)} "
            "Define it under 'topics:'.",
        )
        return None
    return Requirement(
        list_key=key,
        topic=topic,
        cite=row["cite"],
        conditional=row["conditional"],
        note=str(row.get("note") or ""),
        unverified=bool(row.get("unverified")),
        line=line,
    )


def _conditions(
    loaded: Loaded, lists: Mapping[str, DisclosureList], problems: Problems
) -> dict[str, Condition]:
    result = {}
    for key, spec in _mapping(loaded, ("conditions",), problems).items():
        cid = str(key)
        line = loaded.line("conditions", cid)
        requires = spec.get("requires") if isinstance(spec, dict) else None
        if not isinstance(spec, dict) or not isinstance(spec.get("applies_when"), str):
            problems.add(
                DISCLOSURES_FILE,
                line,
                "disclosures.format",
                f"condition '{cid}' needs 'applies_when', the fact it asks about.",
            )
            continue
        if not isinstance(requires, dict) or not all(
            isinstance(v, list) and all(isinstance(t, str) for t in v) for v in requires.values()
        ):
            problems.add(
                DISCLOSURES_FILE,
                line,
                "disclosures.format",
                f"condition '{cid}' needs 'requires', a mapping of disclosure lists to the topics "
                "the fact makes required, e.g. 'eu-gdpr: [representative]'.",
            )
            continue
        for list_key, topics in requires.items():
            _check_condition_targets(loaded, cid, str(list_key), topics, lists, problems)
        result[cid] = Condition(
            id=cid,
            applies_when=" ".join(spec["applies_when"].split()),
            requires={str(k): tuple(v) for k, v in requires.items()},
        )
    return result


def _check_condition_targets(
    loaded: Loaded,
    cid: str,
    list_key: str,
    topics: list[str],
    lists: Mapping[str, DisclosureList],
    problems: Problems,
) -> None:
    """A condition may name only conditional rows of existing lists."""
    line = loaded.line("conditions", cid, "requires", list_key)
    if list_key not in lists:
        problems.add(
            DISCLOSURES_FILE,
            line,
            "disclosures.unknown-list",
            f"condition '{cid}' names unknown disclosure list '{list_key}'."
            f"{_did_you_mean(list_key, lists)}",
        )
        return
    conditional = {r.topic for r in lists[list_key].requirements if r.conditional}
    for topic in topics:
        if topic not in conditional:
            problems.add(
                DISCLOSURES_FILE,
                line,
                "disclosures.condition-topic",
                f"condition '{cid}' names '{topic}' for '{list_key}', but '{list_key}' has no "
                f"conditional requirement '{topic}'.{_did_you_mean(topic, conditional)}",
            )


def _check_mapped(disclosures: Disclosures, used: set[str], problems: Problems) -> None:
    """Every conditional row of a list in use must be decided by some condition."""
    for key in sorted(used):
        for requirement in disclosures.lists[key].requirements:
            if requirement.conditional and not disclosures.conditions_for(requirement):
                problems.add(
                    DISCLOSURES_FILE,
                    requirement.line,
                    "disclosures.unmapped-condition",
                    f"'{key}' requires '{requirement.topic}' only under a condition, but no "
                    "condition under 'conditions:' names it. Add it to the 'requires' of the "
                    "condition that triggers it, or add a condition.",
                )


def _check_clause_topics(
    policy: Policy, files: Mapping[str, bytes], disclosures: Disclosures, problems: Problems
) -> None:
    """Every topic a clause or variant names must be defined in the disclosures file."""
    sources = [(c.text.origin.path, c.topics, "clause") for c in policy.clauses.values()]
    sources += [(v.text.origin.path, v.topics, "variant") for v in policy.variants.values()]
    for path, topics, kind in sorted(sources):
        for topic in topics:
            if topic not in disclosures.topics:
                problems.add(
                    path,
                    _header_line(files, path, "topics"),
                    f"{kind}.unknown-topic",
                    f"unknown topic '{topic}'.{_did_you_mean(topic, disclosures.topics)} Use a "
                    f"topic id from {DISCLOSURES_FILE}.",
                )


def _check_declared(
    policy: Policy, files: Mapping[str, bytes], disclosures: Disclosures, problems: Problems
) -> None:
    """Every condition site.yml declares must exist, so a typo is not silently undeclared."""
    loaded = _load(files, SITE_FILE)
    for name in sorted(policy.conditions):
        if name not in disclosures.conditions:
            problems.add(
                SITE_FILE,
                loaded.line("conditions", name) if loaded else None,
                "site.unknown-condition",
                f"unknown condition '{name}'.{_did_you_mean(name, disclosures.conditions)} "
                f"Conditions are defined under 'conditions:' in {DISCLOSURES_FILE}.",
            )


def _check_jurisdiction_lists(
    policy: Policy, files: Mapping[str, bytes], disclosures: Disclosures, problems: Problems
) -> set[str]:
    """Every disclosure list a jurisdiction names must exist; returns the lists in use."""
    loaded = _load(files, JURISDICTIONS_FILE)
    used = set()
    for jid, jurisdiction in policy.jurisdictions.items():
        for key in jurisdiction.disclosures:
            if key in disclosures.lists:
                used.add(key)
                continue
            problems.add(
                JURISDICTIONS_FILE,
                loaded.line(jid, "disclosures") if loaded else jurisdiction.origin.line,
                "jurisdiction.unknown-disclosures",
                f"jurisdiction '{jid}' names unknown disclosure list '{key}'."
                f"{_did_you_mean(key, disclosures.lists)}",
            )
    return used


def _check_unlisted(
    policy: Policy, disclosures: Disclosures, used: set[str], problems: Problems
) -> None:
    """A jurisdiction that names no disclosure list, directly or through `extends`: its policy
    is checked against nothing, and the report would show it with nothing missing."""
    unused = [key for key in disclosures.lists if key not in used]
    hint = (
        f" {_listing(unused)} in {DISCLOSURES_FILE} {'is' if len(unused) == 1 else 'are'} "
        "used by no jurisdiction."
        if unused
        else ""
    )
    for jid, jurisdiction in sorted(policy.jurisdictions.items()):
        if any(policy.jurisdictions[level].disclosures for level in policy.lineage(jid)):
            continue
        problems.warn(
            JURISDICTIONS_FILE,
            jurisdiction.origin.line,
            "coverage.no-lists",
            f"the {jid} policy names no disclosure lists ('disclosures:', here or in a "
            "jurisdiction it extends), so the coverage check checks nothing for it. Name the "
            f"lists its law requires under 'disclosures:', or extend a jurisdiction that names them.{hint}",
        )


def _listing(keys: list[str]) -> str:
    quoted = [f"'{key}'" for key in keys]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _jurisdiction_coverage(
    policy: Policy, jid: str, document: Document, disclosures: Disclosures
) -> JurisdictionCoverage:
    keys = tuple(
        dict.fromkeys(
            key
            for level in policy.lineage(jid)
            for key in policy.jurisdictions[level].disclosures
            if key in disclosures.lists
        )
    )
    rows: dict[str, list[Requirement]] = {}
    for key in keys:
        for requirement in disclosures.lists[key].requirements:
            rows.setdefault(requirement.topic, []).append(requirement)
    order = list(disclosures.topics)
    topics = []
    for topic in sorted(rows, key=order.index):
        covered_by = tuple(c.id for c in document.clauses if topic in c.topics)
        conditions = {
            name: policy.conditions.get(name)
            for r in rows[topic]
            if r.conditional
            for name in disclosures.conditions_for(r)
        }
        topics.append(
            TopicCoverage(
                topic=disclosures.topics[topic],
                status=_status(rows[topic], covered_by, disclosures, policy.conditions),
                covered_by=covered_by,
                requirements=tuple(rows[topic]),
                conditions=dict(sorted(conditions.items())),
            )
        )
    return JurisdictionCoverage(
        jurisdiction=jid,
        name=policy.jurisdictions[jid].name,
        lists=keys,
        topics=tuple(topics),
    )


def _status(
    rows: list[Requirement],
    covered_by: tuple[str, ...],
    disclosures: Disclosures,
    declared: Mapping[str, bool],
) -> Status:
    if covered_by:
        return Status.COVERED
    if any(_applies(r, disclosures, declared) for r in rows):
        return Status.MISSING
    undecided = any(
        not names or any(declared.get(n) is None for n in names)
        for names in (disclosures.conditions_for(r) for r in rows)
    )
    return Status.UNDECLARED if undecided else Status.NOT_REQUIRED


def _applies(
    requirement: Requirement, disclosures: Disclosures, declared: Mapping[str, bool]
) -> bool:
    """Required now: unconditionally, or because a condition that triggers it is declared true."""
    if not requirement.conditional:
        return True
    return any(declared.get(name) is True for name in disclosures.conditions_for(requirement))


def _report(
    coverage: Coverage, policy: Policy, files: Mapping[str, bytes], problems: Problems
) -> None:
    """An error per missing topic, a warning per topic an undeclared condition leaves open."""
    site = _load(files, SITE_FILE)
    site_line = (site.line("conditions") if site else None) or 1
    for jc in coverage.jurisdictions:
        line = policy.jurisdictions[jc.jurisdiction].origin.line
        for tc in jc.topics:
            if tc.status is Status.MISSING:
                problems.add(
                    JURISDICTIONS_FILE, line, "coverage.missing", _missing_message(jc, tc, coverage)
                )
            elif tc.status is Status.UNDECLARED and None in tc.conditions.values():
                # With no condition to declare, `_check_mapped` has said what is wrong.
                problems.warn(
                    SITE_FILE,
                    site_line,
                    "coverage.undeclared-condition",
                    _undeclared_message(jc, tc, coverage),
                )


def _missing_message(jc: JurisdictionCoverage, tc: TopicCoverage, coverage: Coverage) -> str:
    reasons = []
    for r in tc.requirements:
        if not _applies(r, coverage.disclosures, coverage.declared):
            continue
        why = ""
        if r.conditional:
            true = [n for n in coverage.disclosures.conditions_for(r) if coverage.declared.get(n)]
            why = f", because site.yml declares {' and '.join(f'{n}: true' for n in true)}"
        reasons.append(f"{r.list_key} requires it ({r.cite}){why}")
    fix = (
        "Add the topic to the 'topics' of the clause that gives this information, or write one"
        if not tc.conditional
        else "Add the topic to the 'topics' of the clause that gives this information, write one, "
        "or set the condition to false in policies/site.yml if it is not true"
    )
    return (
        f"the {jc.jurisdiction} policy does not cover '{tc.topic.id}' ({tc.topic.title}): "
        f"{'; '.join(reasons)}. {fix}."
    )


def _undeclared_message(jc: JurisdictionCoverage, tc: TopicCoverage, coverage: Coverage) -> str:
    names = [n for n, value in tc.conditions.items() if value is None]
    statements = "; ".join(
        f"'{n}' (true if {coverage.disclosures.conditions[n].applies_when.rstrip('.')})"
        for n in names
    )
    return (
        f"no clause of the {jc.jurisdiction} policy covers '{tc.topic.id}' ({tc.topic.title}; "
        f"{tc.cite}), which is required only under a condition that is not declared. Declare "
        f"{statements} under 'conditions:' in policies/site.yml, or cover the topic."
    )


def _mapping(loaded: Loaded, where: tuple[str, ...], problems: Problems) -> dict:
    value = loaded.data.get(where[0]) if isinstance(loaded.data, dict) else None
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.add(
            DISCLOSURES_FILE,
            loaded.line(*where),
            "disclosures.format",
            f"'{where[0]}' must be a mapping keyed by id.",
        )
        return {}
    return value


def _load(files: Mapping[str, bytes], path: str) -> Loaded | None:
    """A YAML file's lines, for pointing at a key (problems were reported when it was read)."""
    if path not in files:
        return None
    return read_yaml(files[path], path, Problems())


def _header_line(files: Mapping[str, bytes], path: str, key: str) -> int | None:
    """The line of a key in a clause file's YAML header."""
    loaded = clause_header(path, files[path]) if path in files else None
    return loaded.line(key) if loaded else None


def _did_you_mean(name: str, known: Any) -> str:
    hint = difflib.get_close_matches(name, sorted(known), n=1)
    return f" Did you mean '{hint[0]}'?" if hint else ""
