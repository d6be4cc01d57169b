"""Stage 1: read `policies/` into a validated `Policy`.

The input is a mapping of paths to bytes, so the same code reads the working tree and any commit of
the history. Every problem is collected with its file and line; nothing here raises for bad input.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from generator.blocks import split_blocks
from generator.errors import Problem, Problems
from generator.model import (
    ChangeKind,
    ChangeNote,
    Clause,
    Jurisdiction,
    Origin,
    Policy,
    Text,
    Variant,
    VariantMode,
)
from generator.textcheck import (
    body_problems,
    plain_text_markdown,
    plain_text_problem,
    unsafe_link_message,
    unsafe_scheme,
)
from generator.variables import (
    STATEMENT_MESSAGE,
    Variables,
    can_reference,
    has_template_syntax,
    statement_at,
    variables_for,
)
from generator.yamlio import Loaded, as_mapping, decode, load_yaml, read_yaml

POLICIES = "policies"
SITE_FILE = f"{POLICIES}/site.yml"
JURISDICTIONS_FILE = f"{POLICIES}/jurisdictions.yml"
CHANGE_FILE = f"{POLICIES}/change.yml"
DISCLOSURES_FILE = f"{POLICIES}/required-disclosures.yml"

SCHEMAS = Path(__file__).parent / "schema"
"""JSON Schemas of the source formats, published for editors; the allowed keys come from them."""


def _schema_keys(name: str, *path: str) -> set[str]:
    node = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    for key in path:
        node = node[key]
    return set(node["properties"])


SITE_KEYS = _schema_keys("site")
JURISDICTION_KEYS = _schema_keys("jurisdictions", "additionalProperties")
CLAUSE_KEYS = _schema_keys("clause", "$defs", "clause")
VARIANT_KEYS = _schema_keys("clause", "$defs", "variant")
CHANGE_KEYS = _schema_keys("change")

ID_LENGTH = 64
"""The longest id of a clause or jurisdiction: a jurisdiction's id is a folder of the site (a file
system takes 255 bytes a name) and a part of every address."""
_ID = re.compile(rf"(?=.{{1,{ID_LENGTH}}}\Z)[a-z0-9]+(?:-[a-z0-9]+)*")
"""Used with `fullmatch`: `$` would also let an id end in a line break ('br\\n', which YAML
writes easily), and an anchor or a folder named so reaches no one."""


READ_FILES = (SITE_FILE, JURISDICTIONS_FILE, CHANGE_FILE, DISCLOSURES_FILE)
"""The files of policies/ besides the clauses."""


def is_read(path: str) -> bool:
    """Whether a path of policies/ is one the tool reads: a clause file or one of `READ_FILES`."""
    return path.endswith(".md") or path in READ_FILES


def is_source(path: str) -> bool:
    """Whether a path is one of the policy sources this stage reads."""
    return path.startswith(POLICIES + "/") and path.endswith((".md", ".yml", ".yaml"))


def jurisdiction_ids(files: Mapping[str, bytes]) -> list[str]:
    """The jurisdictions jurisdictions.yml names, as far as it can be read (none if it cannot),
    without checking the policy."""
    data = files.get(JURISDICTIONS_FILE)
    loaded = _load_yaml_file(JURISDICTIONS_FILE, data)[0] if data is not None else None
    found = loaded.data if loaded is not None else None
    return sorted(str(key) for key in found) if isinstance(found, dict) else []


def read_policy(files: Mapping[str, bytes]) -> tuple[Policy | None, list[Problem]]:
    """Parse and validate the policy sources; the policy is None when any error was found."""
    problems = Problems()
    site = _read_yaml_file(files, SITE_FILE, problems, required=True)
    jurisdictions_file = _read_yaml_file(files, JURISDICTIONS_FILE, problems, required=True)
    change_file = _read_yaml_file(files, CHANGE_FILE, problems, required=False)

    title, source_language, variables, conditions, translated = _site(site, problems)
    jurisdictions = _jurisdictions(jurisdictions_file, source_language, problems)
    clauses, variants, duplicates = _clauses_and_variants(
        [(p, files[p]) for p in _clause_paths(files)], jurisdictions, problems
    )
    change = _change(change_file, problems)
    if variables is not None:
        # Unknown variables: with site.yml unreadable every variable would be reported. A
        # file whose id is taken is checked too: every problem is reported at once.
        texts = [c.text for c in (*clauses.values(), *variants.values(), *duplicates)]
        _check_variables(texts, variables, problems)
    if problems.errors:
        return None, list(problems)
    policy = Policy(
        title=title,
        source_language=source_language,
        variables=variables or {},
        jurisdictions=jurisdictions or {},
        clauses=clauses,
        variants=variants,
        change=change,
        conditions=conditions,
        translated_variables=translated,
    )
    return policy, list(problems)


def _clause_paths(files: Mapping[str, bytes]) -> list[str]:
    """The clause and variant files among `files`, in the order they are read."""
    return sorted(p for p in files if p.startswith(POLICIES + "/") and p.endswith(".md"))


def _read_yaml_file(
    files: Mapping[str, bytes], path: str, problems: Problems, *, required: bool
) -> tuple[str, Loaded] | None:
    if path not in files:
        if required:
            problems.add(
                path, None, "file.missing", f"{path} is missing. Create it (see docs/authoring.md)."
            )
        return None
    loaded, found = _load_yaml_file(path, files[path])
    problems.extend(found)
    loaded = as_mapping(loaded, path, problems)
    return (path, loaded) if loaded is not None else None


@lru_cache(maxsize=1024)
def _load_yaml_file(path: str, data: bytes) -> tuple[Loaded | None, tuple[Problem, ...]]:
    """A YAML file parsed once per content: history reads the same site.yml at every commit.
    The data is shared between the policies read from it, so nothing may change it."""
    problems = Problems()
    loaded = read_yaml(data, path, problems)
    return loaded, tuple(problems)


DEFAULT_TITLE = "Privacy policy"
"""The policy's title when `site.yml` gives none; the site's own catalogs translate it."""


def _site(
    site: tuple[str, Loaded] | None, problems: Problems
) -> tuple[str, str, dict[str, Any] | None, dict[str, bool], tuple[str, ...]]:
    """(title, source language, variables or None if unusable, conditions, the variables whose
    values are translated)."""
    if site is None:
        return DEFAULT_TITLE, "en", None, {}, ()
    path, loaded = site
    data = loaded.data
    _unknown_keys(data, SITE_KEYS, path, loaded, (), problems, "site.unknown-key")
    title = _string(data, "title", path, loaded, problems, default=DEFAULT_TITLE)
    _plain_text(title, "title", path, loaded.line("title"), problems)
    language = _string(data, "source_language", path, loaded, problems, default="en")
    if wrong := language_problem(language, "'en'"):
        problems.add(
            path,
            loaded.line("source_language"),
            "site.language",
            wrong,
        )
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        problems.add(
            path,
            loaded.line("variables"),
            "site.variables",
            "'variables' must be a mapping of names to values.",
        )
        variables = None
    elif not _variable_values(variables, (), path, loaded, problems):
        variables = None
    conditions = data.get("conditions") or {}
    if not isinstance(conditions, dict) or not all(
        isinstance(v, bool) for v in conditions.values()
    ):
        problems.add(
            path,
            loaded.line("conditions"),
            "site.conditions",
            "'conditions' must map each condition to true or false.",
        )
        conditions = {}
    translated = _translated_variables(data, variables, path, loaded, problems)
    return title, language, variables, {str(k): v for k, v in conditions.items()}, translated


def _translated_variables(
    data: dict, variables: dict[str, Any] | None, path: str, loaded: Loaded, problems: Problems
) -> tuple[str, ...]:
    """The variables `translated_variables` names, each checked to be one defined text value."""
    names = data.get("translated_variables")
    line = loaded.line("translated_variables")
    if names is None:
        return ()
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        problems.add(
            path,
            line,
            "site.translated-variables",
            "'translated_variables' must be a list of variable names, such as [company.country].",
        )
        return ()
    if variables is None:
        return ()  # already reported: every name would be unknown
    filler = variables_for(variables)
    found = []
    for name in dict.fromkeys(names):
        value = filler.value(name)
        if value is None:
            members = [n for n in filler.names if n.startswith(name + ".")]
            hint = difflib.get_close_matches(name, filler.names, n=1)
            if members:
                why = f"is a group of variables. Name one of them ({', '.join(members[:3])})."
            else:
                why = "is not a variable under 'variables'." + (
                    f" Did you mean '{hint[0]}'?" if hint else ""
                )
            problems.add(path, line, "site.translated-variables", f"'{name}' {why}")
        elif not isinstance(value, str):
            problems.add(
                path,
                line,
                "site.translated-variables",
                f"'{name}' is {'a date' if isinstance(value, dt.date) else 'a number'}, not "
                "words: only a text value is translated. "
                "Take it out of 'translated_variables'.",
            )
        else:
            found.append(name)
    return tuple(found)


def _jurisdictions(
    loaded_file: tuple[str, Loaded] | None, source_language: str, problems: Problems
) -> dict[str, Jurisdiction] | None:
    """The jurisdictions; None when the file could not be read (so references are not checked)."""
    if loaded_file is None:
        return None
    path, loaded = loaded_file
    result: dict[str, Jurisdiction] = {}
    broken = False
    for key, spec in loaded.data.items():
        jid = str(key)
        line = loaded.line(jid)
        broken = broken or not _ID.fullmatch(jid) or not isinstance(spec, dict)
        if not _ID.fullmatch(jid):
            problems.add(
                path,
                line,
                "jurisdiction.id",
                f"{_shown(jid)} is not a valid jurisdiction id. "
                f"Use at most {ID_LENGTH} lowercase letters, digits and hyphens."
                + (f" {_YES_OR_NO}" if isinstance(key, bool) else ""),
            )
            continue
        if not isinstance(spec, dict):
            problems.add(
                path,
                line,
                "jurisdiction.not-a-mapping",
                f"jurisdiction '{jid}' must be a mapping with name and languages.",
            )
            continue
        _unknown_keys(
            spec, JURISDICTION_KEYS, path, loaded, (jid,), problems, "jurisdiction.unknown-key"
        )
        languages = _string_list(spec, "languages", path, loaded, problems, (jid,))
        for tag in languages:
            if wrong := language_problem(tag, "'de' or 'pt-BR'"):
                problems.add(
                    path,
                    loaded.line(jid, "languages"),
                    "jurisdiction.language",
                    wrong,
                )
        if not languages and spec.get("languages") in (None, [], ""):  # not one of the wrong type
            problems.add(
                path,
                line,
                "jurisdiction.languages",
                f"jurisdiction '{jid}' lists no languages. Add 'languages: [{source_language}]'.",
            )
        # `de` and `DE` are one language: one address (`/eu/de/`) and one catalog.
        if len({tag.lower() for tag in languages}) != len(languages):
            problems.add(
                path,
                loaded.line(jid, "languages"),
                "jurisdiction.language",
                f"jurisdiction '{jid}' lists a language twice.",
            )
        for tag in languages:
            if tag != source_language and tag.lower() == source_language.lower():
                problems.add(
                    path,
                    loaded.line(jid, "languages"),
                    "jurisdiction.language",
                    f"jurisdiction '{jid}' lists '{tag}', the source language, which "
                    f"policies/site.yml writes '{source_language}'. Write it the same way in "
                    "both.",
                )
        near = [t for t in languages if _same_language(t, source_language)]
        if near and source_language not in languages:
            problems.warn(
                path,
                loaded.line(jid, "languages"),
                "jurisdiction.near-source",
                f"jurisdiction '{jid}' lists '{near[0]}', not the source language "
                f"'{source_language}' (policies/site.yml): '{near[0]}' is a translation, which "
                f"needs a catalog translating {source_language} into it. If you meant the "
                "source language, write it as site.yml does.",
            )
        extends = spec.get("extends")
        if isinstance(extends, (list, dict, bool)):
            problems.add(
                path,
                loaded.line(jid, "extends"),
                "yaml.type",
                f"'extends' names one jurisdiction, as text: 'extends: global', not '{extends}'."
                + (f" {_YES_OR_NO}" if isinstance(extends, bool) else ""),
            )
            extends = None
        name = _string(spec, "name", path, loaded, problems, (jid,), default=jid)
        if "name" in spec and _blank(spec["name"]):
            problems.add(
                path,
                loaded.line(jid, "name"),
                "jurisdiction.name",
                f"jurisdiction '{jid}' has an empty 'name'. Write the region's name as shoppers "
                f"read it, or leave the key out to show '{jid}'.",
            )
        _plain_text(name, "name", path, loaded.line(jid, "name"), problems)
        result[jid] = Jurisdiction(
            id=jid,
            name=name,
            extends=str(extends) if extends is not None else None,
            languages=tuple(dict.fromkeys(languages)),
            disclosures=tuple(_string_list(spec, "disclosures", path, loaded, problems, (jid,))),
            origin=Origin(path=path, line=line),
        )
    for jurisdiction in result.values():
        _check_extends(jurisdiction, result, loaded, problems)
    # A clause naming a jurisdiction whose entry is broken is not wrong; only the entry is.
    return None if broken else result


def _check_extends(
    jurisdiction: Jurisdiction, all_: dict[str, Jurisdiction], loaded: Loaded, problems: Problems
) -> None:
    path = jurisdiction.origin.path
    if jurisdiction.extends is None:
        return
    line = loaded.line(jurisdiction.id, "extends")
    if jurisdiction.extends not in all_:
        problems.add(
            path,
            line,
            "jurisdiction.unknown",
            f"'{jurisdiction.id}' extends unknown jurisdiction "
            f"'{jurisdiction.extends}'.{_did_you_mean(jurisdiction.extends, all_)}",
        )
        return
    seen = [jurisdiction.id]
    current = jurisdiction.extends
    while current is not None and current in all_:
        if current in seen:
            cycle = " -> ".join([*seen, current])
            problems.add(
                path,
                line,
                "jurisdiction.cycle",
                f"'extends' forms a cycle: {cycle}. Remove one of these 'extends'.",
            )
            return
        seen.append(current)
        current = all_[current].extends


def _clauses_and_variants(
    files: Iterable[tuple[str, bytes]],
    jurisdictions: dict[str, Jurisdiction] | None,
    problems: Problems,
) -> tuple[dict[str, Clause], dict[tuple[str, str], Variant], list[Clause | Variant]]:
    """The clauses and variants, by id; and those whose id (or clause and jurisdiction) another
    file has already, which are not part of the policy but still have their text checked."""
    clauses: dict[str, Clause] = {}
    variants: dict[tuple[str, str], Variant] = {}
    duplicates: list[Clause | Variant] = []
    unreadable = False
    """A clause file could not be read, so a variant of 'unknown' clause may be a variant of it."""
    for path, data in files:
        parsed, file_problems = _clause_file(path, data)
        problems.extend(file_problems)
        unreadable = unreadable or parsed is None
        if isinstance(parsed, Clause):
            if parsed.id in clauses:
                other = clauses[parsed.id].text.origin.path
                problems.add(
                    path,
                    parsed.text.origin.line,
                    "clause.duplicate-id",
                    f"clause id '{parsed.id}' is already used by {other}. Give one of "
                    "them another id.",
                )
                duplicates.append(parsed)
            else:
                clauses[parsed.id] = parsed
        elif isinstance(parsed, Variant):
            key = (parsed.clause_id, parsed.jurisdiction)
            if key in variants:
                other = variants[key].text.origin.path
                problems.add(
                    path,
                    parsed.text.origin.line,
                    "variant.duplicate",
                    f"clause '{parsed.clause_id}' already has a variant for "
                    f"'{parsed.jurisdiction}' in {other}. Merge the two files.",
                )
                duplicates.append(parsed)
            else:
                variants[key] = parsed
    if jurisdictions is None:
        return clauses, variants, duplicates
    for clause in (*clauses.values(), *(d for d in duplicates if isinstance(d, Clause))):
        for jid, line in zip(clause.jurisdictions, clause.jurisdiction_lines, strict=True):
            if jid not in jurisdictions:
                problems.add(
                    clause.text.origin.path,
                    line,
                    "clause.unknown-jurisdiction",
                    f"clause '{clause.id}' names unknown jurisdiction '{jid}'."
                    f"{_did_you_mean(jid, jurisdictions)}",
                )
    for variant in variants.values():
        origin = variant.text.origin
        if variant.clause_id not in clauses and not unreadable:
            problems.add(
                origin.path,
                origin.line,
                "variant.unknown-clause",
                f"'variant_of' names unknown clause '{variant.clause_id}'."
                f"{_did_you_mean(variant.clause_id, clauses)}",
            )
        if variant.jurisdiction not in jurisdictions:
            problems.add(
                origin.path,
                variant.jurisdiction_line,
                "variant.unknown-jurisdiction",
                f"variant names unknown jurisdiction '{variant.jurisdiction}'."
                f"{_did_you_mean(variant.jurisdiction, jurisdictions)}",
            )
    return clauses, variants, duplicates


HEADER_LINE = 2
"""The line a clause file's YAML header begins on, after the opening '---'."""
_LINK = re.compile(r"[\w./ +~-]{1,255}\.md")
"""What git stores for a symbolic link to a clause file: the path it points to, on one line
without an end (a check reads a link in the working tree the same way); only a path of
printable characters is quoted back."""


def split_front_matter(text: str) -> tuple[str, str, int]:
    """A clause file's YAML header, its body, and the line the body begins on; a ValueError that
    says what is wrong when the file does not begin with a header between two '---' lines."""
    if not text.startswith("---\n"):
        link = _LINK.fullmatch(text)
        raise ValueError(
            "a clause file must start with a '---' line, then its YAML header, then "
            "another '---' line."
            + (
                f" It holds only '{link.group(0)}': a symbolic link, which git keeps as the "
                "path it points to, never the clause. One clause file serves every jurisdiction "
                "its 'jurisdictions' list names, and a variant changes it for one (see "
                "docs/authoring.md)."
                if link
                else ""
            )
        )
    end = text.find("\n---\n", 3)
    if end < 0 and text.endswith("\n---"):
        end = len(text) - 4
    if end < 0:
        raise ValueError("the YAML header is not closed. Add a line '---' after it.")
    header = text[4 : end + 1]
    return header, text[end + 5 :], HEADER_LINE + header.count("\n") + 1


def clause_header(path: str, data: bytes) -> Loaded | None:
    """A clause file's YAML header, for pointing at the line of a key; None when it cannot be
    read (reading the policy says why)."""
    scratch = Problems()
    text = decode(data, path, scratch)
    if text is None:
        return None
    try:
        header = split_front_matter(text)[0]
    except ValueError:
        return None
    return load_yaml(header, path, scratch, first_line=HEADER_LINE)


ParsedFile = tuple[Clause | Variant | None, tuple[Problem, ...]]
"""What a clause or variant file holds (None if it cannot be read), and its problems."""

_PARSED: dict[tuple[str, bytes], ParsedFile] = {}
"""Each clause file parsed once per path and content in this process: the history reads the same
blob at many commits. A history checkpoint carries the entries of its newest revision to the
process that resumes from it (see `Reading`)."""

_PARSED_LIMIT = 65536
"""Past this many entries `_PARSED` starts again: far more than a long history's distinct clause
files, and its entries hold their bytes."""


@dataclass(frozen=True, kw_only=True)
class Reading:
    """What reading one revision's policy found that reading the next can take as it is: how its
    clause files parse, and the problems of their texts' variables. A history checkpoint carries
    the reading of its commit to the process that resumes from it, which then parses and checks
    only the files the next commit changed: all 85 clause files of W-large's were parsed and
    checked again when one changed (0.05 of the 0.12 CPU-seconds that commit took)."""

    parses: dict[tuple[str, bytes], ParsedFile]
    """By path and content (see `_PARSED`)."""
    variables: dict[str, Any]
    """The values the variables were checked against."""
    checked: tuple[tuple[Text, tuple[Problem, ...]], ...]
    """Each text of the policy, with its variables' problems."""


def policy_reading(files: Mapping[str, bytes], policy: Policy) -> Reading:
    """What reading `policy` from `files` found, as this process, which read it, knows."""
    filler = variables_for(policy.variables)
    texts = [c.text for c in (*policy.clauses.values(), *policy.variants.values())]
    return Reading(
        parses={(p, files[p]): _clause_file(p, files[p]) for p in _clause_paths(files)},
        variables=policy.variables,
        checked=tuple((text, _text_variable_problems(text, filler)) for text in texts),
    )


def remember_reading(reading: Reading) -> None:
    """Know what another process found reading a policy (`policy_reading`, with the same code),
    as if this one had read it."""
    _PARSED.update(reading.parses)
    filler = variables_for(reading.variables)
    for text, found in reading.checked:
        _TEXT_PROBLEMS[(id(text), id(filler))] = (text, filler, found)


def _clause_file(path: str, data: bytes) -> ParsedFile:
    """`_parse_clause_file`, once per path and content (see `_PARSED`)."""
    key = (path, data)
    found = _PARSED.get(key)
    if found is None:
        if len(_PARSED) >= _PARSED_LIMIT:
            _PARSED.clear()
        found = _PARSED[key] = _parse_clause_file(path, data)
    return found


def _parse_clause_file(path: str, data: bytes) -> ParsedFile:
    """One clause or variant file (see `_clause_file`, which keeps what it finds)."""
    problems = Problems()
    text = decode(data, path, problems)
    if text is None:
        return None, tuple(problems)
    try:
        header, body, body_line = split_front_matter(text)
    except ValueError as missing:
        problems.add(path, 1, "clause.front-matter", str(missing))
        return None, tuple(problems)
    loaded = load_yaml(header, path, problems, first_line=HEADER_LINE)
    if loaded is None:
        return None, tuple(problems)
    if not isinstance(loaded.data, dict):
        problems.add(path, 2, "clause.front-matter", "the header must be a YAML mapping.")
        return None, tuple(problems)
    blocks = split_blocks(body, body_line)
    _check_body(blocks, path, problems)
    if "variant_of" in loaded.data:
        parsed = _variant(loaded, blocks, path, problems)
    else:
        parsed = _clause(loaded, blocks, path, problems)
    return parsed, tuple(problems)


def _clause(loaded: Loaded, blocks: tuple, path: str, problems: Problems) -> Clause | None:
    data = loaded.data
    _unknown_keys(
        data,
        CLAUSE_KEYS,
        path,
        loaded,
        (),
        problems,
        "clause.unknown-key",
        other=("variant", VARIANT_KEYS),
    )
    _require_keys(
        loaded, ("id", "title", "order", "jurisdictions"), path, "clause.missing-key", problems
    )
    clause_id = _string(data, "id", path, loaded, problems, default="")
    if clause_id and not _ID.fullmatch(clause_id):
        problems.add(
            path,
            loaded.line("id"),
            "clause.id",
            f"{_shown(clause_id)} is not a valid clause id. Use at most {ID_LENGTH} lowercase "
            "letters, digits and hyphens, e.g. 'data-we-collect'.",
        )
    order = data.get("order")
    if _blank(order):
        order = 0  # reported as missing or empty
    if not isinstance(order, int) or isinstance(order, bool):
        problems.add(
            path,
            loaded.line("order"),
            "clause.order",
            f"'order' must be a whole number, not '{order}'.",
        )
        order = 0
    title = _string(data, "title", path, loaded, problems, default="")
    _plain_text(title, "title", path, loaded.line("title"), problems)
    if not blocks:
        problems.add(path, loaded.line("id", default=1), "clause.empty", "the clause has no text.")
    if not clause_id or not title or not _ID.fullmatch(clause_id):
        return None
    jurisdictions = tuple(_string_list(data, "jurisdictions", path, loaded, problems))
    return Clause(
        id=clause_id,
        title=title,
        order=order,
        jurisdictions=jurisdictions,
        jurisdiction_lines=tuple(
            loaded.line("jurisdictions", str(i), default=2) for i in range(len(jurisdictions))
        ),
        topics=tuple(_string_list(data, "topics", path, loaded, problems)),
        text=Text(
            context=clause_id,
            title=title,
            blocks=blocks,
            origin=Origin(path=path, line=loaded.line("id", default=2)),
            title_line=loaded.line("title"),
        ),
    )


def _require_keys(
    loaded: Loaded, keys: tuple[str, ...], path: str, code: str, problems: Problems
) -> None:
    """A problem for each key a clause file's header must have and has not, or has with nothing
    in it (`title:`, `title: ""`, `jurisdictions: []`): either way the clause could not be
    published, and leaving it out quietly would drop legal text from every document."""
    for key in keys:
        if key not in loaded.data:
            problems.add(
                path,
                HEADER_LINE,
                code,
                f"the header has no '{key}'. Add it (see docs/authoring.md).",
            )
        elif _blank(loaded.data[key]):
            problems.add(
                path,
                loaded.line(key),
                code,
                f"'{key}' is empty. Give it a value (see docs/authoring.md).",
            )


def _blank(value: object) -> bool:
    """Whether a YAML value says nothing: null, empty or spaces only, an empty list."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == {}


def _variant(loaded: Loaded, blocks: tuple, path: str, problems: Problems) -> Variant | None:
    data = loaded.data
    _unknown_keys(
        data,
        VARIANT_KEYS,
        path,
        loaded,
        (),
        problems,
        "variant.unknown-key",
        other=("clause", CLAUSE_KEYS),
    )
    _require_keys(
        loaded, ("variant_of", "jurisdiction", "mode"), path, "variant.missing-key", problems
    )
    clause_id = _string(data, "variant_of", path, loaded, problems, default="")
    jurisdiction = _string(data, "jurisdiction", path, loaded, problems, default="")
    mode_name = _string(data, "mode", path, loaded, problems, default="")
    try:
        mode = VariantMode(mode_name)
    except ValueError:
        if mode_name:
            problems.add(
                path,
                loaded.line("mode"),
                "variant.mode",
                f"'mode' must be 'replace' or 'extend', not '{mode_name}'.",
            )
        return None
    title = data.get("title")
    if title is not None and not isinstance(title, str):
        problems.add(path, loaded.line("title"), "variant.title", "'title' must be text.")
        title = None
    if title is not None and not title.strip():
        problems.add(
            path,
            loaded.line("title"),
            "variant.title",
            "'title' is empty. Leave it out to keep the clause's title.",
        )
        title = None
    if title is not None:
        _plain_text(title, "title", path, loaded.line("title"), problems)
    if not blocks and mode is VariantMode.EXTEND:
        problems.add(path, loaded.line("variant_of"), "clause.empty", "the variant has no text.")
    if not clause_id or not jurisdiction:
        return None
    return Variant(
        clause_id=clause_id,
        jurisdiction=jurisdiction,
        jurisdiction_line=loaded.line("jurisdiction", default=2),
        mode=mode,
        topics=tuple(_string_list(data, "topics", path, loaded, problems)),
        text=Text(
            context=f"{clause_id}@{jurisdiction}",
            title=title,
            blocks=blocks,
            origin=Origin(path=path, line=loaded.line("variant_of", default=2)),
            title_line=loaded.line("title"),
        ),
    )


def _check_body(blocks: tuple, path: str, problems: Problems) -> None:
    """Refuse what clause text may not contain, so editors learn it before the sanitizer acts."""
    for block in blocks:
        for code, message, offset in body_problems(block.text):
            problems.add(path, block.line_at(offset), code, message)
        statement = statement_at(block.text)
        if statement is not None:
            problems.add(path, block.line_at(statement), "variable.statement", STATEMENT_MESSAGE)
        if not block.prefix.startswith("#") and block.text.startswith("#"):
            problems.add(
                path,
                block.line,
                "markdown.heading",
                "a line that starts with # is a heading on the page, even without a space after "
                "the #. Write \\# to show the character, or ### and a space for a sub-heading.",
            )
        if block.prefix.startswith("#") and len(block.prefix.strip()) < 3:
            problems.add(
                path,
                block.line,
                "markdown.heading",
                "sub-headings start with ### (the clause title is the level-2 heading).",
            )


def _plain_text(value: str, key: str, path: str, line: int | None, problems: Problems) -> None:
    """A title, name or summary is shown as text: report HTML in it rather than show tags, and
    warn of Markdown, which would be shown as written."""
    found = plain_text_problem(value, key)
    if found is not None:
        problems.add(path, line, *found)
    elif (markdown := plain_text_markdown(value, key)) is not None:
        problems.warn(path, line, *markdown)


def _variable_values(
    values: dict, where: tuple, path: str, loaded: Loaded, problems: Problems
) -> bool:
    """Whether every variable is a single value that can be put into text as it is, under a
    name clause text can write (`where`: the keys of the group `values` is, outermost first)."""
    valid = True
    for key, value in values.items():
        name = ".".join(map(str, (*where, key)))
        line = loaded.line("variables", *map(str, where), str(key))
        if not can_reference((*where, key)):
            problems.add(
                path,
                line,
                "site.variable-name",
                f"variable '{name}' has a name clause text cannot write as {{{{ {name} }}}}. "
                "Name variables and their groups with letters, digits and '_', starting with a "
                "letter (true, false and none are values, not names).",
            )
            valid = False
            continue
        if isinstance(value, dict):
            valid = _variable_values(value, (*where, key), path, loaded, problems) and valid
            continue
        if isinstance(value, (list, bool)) or value is None:
            problems.add(
                path,
                line,
                "site.variables",
                f"variable '{name}' must be one value (text, a number or a date), not "
                f"{_NOT_A_VALUE[type(value)]}.",
            )
            valid = False
            continue
        text = str(value)
        if has_template_syntax(text):  # published as it is (and could never recurse)
            problems.add(
                path,
                line,
                "site.variable-template",
                f"variable '{name}' contains '{{{{' or '{{%'; a variable cannot use other "
                "variables. Write its value out.",
            )
            valid = False
        _plain_text(text, name, path, line, problems)
    return valid


_NOT_A_VALUE = {
    list: "a list",
    bool: "true or false (YAML reads yes, no, on and off so too: quote the text)",
    type(None): "empty",
}


def _check_variables(texts: list[Text], variables: dict[str, Any], problems: Problems) -> None:
    """Every variable in every block and title must be defined (translations are checked when
    they are composed)."""
    filler = variables_for(variables)
    for text in texts:
        problems.extend(_text_variable_problems(text, filler))


_TEXT_PROBLEMS: dict[tuple[int, int], tuple[Text, Variables, tuple[Problem, ...]]] = {}


def _text_variable_problems(text: Text, filler: Variables) -> tuple[Problem, ...]:
    """The variable problems of one text, found once: history checks the same text (the same
    object, parsed once per content) with the same filler at every commit. Keyed by identity,
    which is cheap to hash; the entry holds both objects so their ids are not reused."""
    cached = _TEXT_PROBLEMS.get((id(text), id(filler)))
    if cached is not None and cached[0] is text and cached[1] is filler:
        return cached[2]
    if len(_TEXT_PROBLEMS) > 100_000:
        _TEXT_PROBLEMS.clear()
    found = _find_variable_problems(text, filler)
    _TEXT_PROBLEMS[(id(text), id(filler))] = (text, filler, found)
    return found


def _find_variable_problems(text: Text, filler: Variables) -> tuple[Problem, ...]:
    problems = Problems()
    if text.title:
        filler.fill(text.title, text.origin.path, text.title_at, problems)
    for block in text.blocks:
        filled = filler.fill(block.text, text.origin.path, block.line, problems, block.breaks)
        # A link unsafe as written is the editor's own, which `_check_body` reports.
        made = filled and filled != block.text and unsafe_scheme(block.text) is None
        scheme = unsafe_scheme(filled) if made else None
        if scheme is not None:
            problems.add(
                text.origin.path,
                block.line,
                "markdown.unsafe-link",
                unsafe_link_message(scheme, from_variable=True),
            )
    return tuple(problems)


def read_change_note(data: bytes) -> ChangeNote | None:
    """What a change.yml says, or None if it says nothing readable."""
    found = Problems()
    note = _change(_read_yaml_file({CHANGE_FILE: data}, CHANGE_FILE, found, required=False), found)
    return None if found.errors else note


def _change(loaded_file: tuple[str, Loaded] | None, problems: Problems) -> ChangeNote | None:
    if loaded_file is None:
        return None
    path, loaded = loaded_file
    data = loaded.data
    _unknown_keys(data, CHANGE_KEYS, path, loaded, (), problems, "change.unknown-key")
    summary = _string(data, "summary", path, loaded, problems, default="")
    _plain_text(summary, "summary", path, loaded.line("summary"), problems)
    if not summary.strip() and not isinstance(data.get("summary"), (dict, list, bool)):
        problems.add(
            path,
            loaded.line("summary", default=1),
            "change.summary",
            ("'summary' is empty" if "summary" in data else "change.yml has no 'summary'")
            + ". Say in one or two sentences what changes for shoppers.",
        )
    kind_name = data.get("kind", ChangeKind.MATERIAL.value)
    try:
        kind = ChangeKind(kind_name)
    except ValueError:
        problems.add(
            path,
            loaded.line("kind"),
            "change.kind",
            "'kind' must be 'material' or 'editorial', "
            + (
                "or left out (material)."
                if kind_name is None
                else f"not true or false ({_READ_AS_TRUE_OR_FALSE})."
                if isinstance(kind_name, bool)
                else f"not '{kind_name}'."
            ),
        )
        kind = ChangeKind.MATERIAL
    effective = data.get("effective")
    effective_time = None
    if isinstance(effective, dt.datetime):
        effective_time, effective = effective.isoformat(), effective.date()
    if isinstance(effective, str) and _ISO_DAY.fullmatch(effective.strip()):
        # Quoted, as the published schema writes it (a string in date format).
        with contextlib.suppress(ValueError):
            effective = dt.date.fromisoformat(effective.strip())
    if not isinstance(effective, dt.date):
        problems.add(
            path,
            loaded.line("effective", default=1),
            "change.effective",
            "change.yml needs 'effective', the date the change takes effect, written "
            f"YYYY-MM-DD{_not_a_day(effective)}.",
        )
        return None
    return ChangeNote(
        summary=summary.strip(),
        kind=kind,
        effective=effective,
        origin=Origin(path=path, line=1),
        effective_line=loaded.line("effective", default=1),
        effective_time=effective_time,
    )


def _not_a_day(value: object) -> str:
    """What was written instead of a day, for the message that asks for one."""
    if value is None:
        return ""
    if _ISO_DAY.fullmatch(str(value).strip()):
        return f", not '{value}', which is no day of the calendar"
    return f", not '{value}'"


def _unknown_keys(
    data: dict,
    allowed: set[str],
    path: str,
    loaded: Loaded,
    where: tuple[str, ...],
    problems: Problems,
    code: str,
    other: tuple[str, set[str]] | None = None,
) -> None:
    """Report each key that is not allowed, with the likely intended key."""
    for key in data:
        if key in allowed:
            continue
        name = str(key)
        hint = difflib.get_close_matches(name, sorted(allowed), n=1)
        if hint:
            fix = f" Did you mean '{hint[0]}'?"
        elif other and name in other[1]:
            fix = f" '{name}' belongs in a {other[0]} header."
        else:
            fix = f" Allowed keys: {', '.join(sorted(allowed))}."
        problems.add(path, loaded.line(*where, name), code, f"unknown key '{name}'.{fix}")


def _string(
    data: dict,
    key: str,
    path: str,
    loaded: Loaded,
    problems: Problems,
    where: tuple[str, ...] = (),
    *,
    default: str,
) -> str:
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, (dict, list, bool)):
        problems.add(
            path,
            loaded.line(*where, key),
            "yaml.type",
            f"'{key}' must be text."
            + (f" {_READ_AS_TRUE_OR_FALSE}: quote it." if isinstance(value, bool) else ""),
        )
        return default
    return str(value)


def _same_language(tag: str, other: str) -> bool:
    """Whether two language tags name one language, in other variants (`en` and `en-GB`)."""
    return tag.lower() != other.lower() and (
        tag.lower().split("-")[0] == other.lower().split("-")[0]
    )


def _string_list(
    data: dict,
    key: str,
    path: str,
    loaded: Loaded,
    problems: Problems,
    where: tuple[str, ...] = (),
) -> list[str]:
    """A list of ids or tags; one written alone stands for a list of one (the schemas say so)."""
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, (str, bool)):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        problems.add(
            path,
            loaded.line(*where, key),
            "yaml.type",
            f"'{key}' must be a list, e.g. {_LIST_EXAMPLES[key]}.",
        )
        return []
    if yes_or_no := [i for i, v in enumerate(value) if isinstance(v, bool)]:
        # YAML 1.1, which PyYAML reads, takes these words for true and false (`languages: [no]`).
        problems.add(
            path,
            loaded.line(*where, key, str(yes_or_no[0])),
            "yaml.type",
            f"'{key}' holds {value[yes_or_no[0]]} where an id is expected. {_YES_OR_NO}",
        )
        return [str(v) for v in value if not isinstance(v, bool)]
    return [str(v) for v in value]


_LIST_EXAMPLES = {
    "jurisdictions": "[global, eu]",
    "languages": "[en, pt-BR]",
    "topics": "[contact, retention]",
    "disclosures": "[eu-gdpr]",
}
"""What each list of ids looks like, for the message that asks for one."""

_READ_AS_TRUE_OR_FALSE = "YAML reads yes, no, on, off, true and false unquoted as true or false"

_YES_OR_NO = (
    f"{_READ_AS_TRUE_OR_FALSE}: quote an id or language tag such as 'no' (Norway, Norwegian)."
)


def _shown(value: str) -> str:
    """A value quoted for a message, its line breaks and other invisible characters escaped."""
    return f"'{value}'" if value.isprintable() else repr(value)


def _did_you_mean(name: str, known: Mapping[str, Any]) -> str:
    hint = difflib.get_close_matches(name, sorted(known), n=1)
    if hint:
        return f" Did you mean '{hint[0]}'?"
    return f" Known: {', '.join(sorted(known))}." if known else ""


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
"""The shape of a BCP 47 tag: a language, then subtags (script, region, variant)."""


@lru_cache(maxsize=256)
def language_problem(tag: str, examples: str) -> str | None:
    """What is wrong with a language tag, if anything: it must be BCP 47 (Babel also reads POSIX
    spellings, en.UTF-8 or en@euro, which are refused), and a language CLDR has data for: the
    site takes its names, dates and plural rules from there."""
    if not _LANGUAGE_TAG.fullmatch(tag):
        return f"'{tag}' is not a language tag. Use BCP 47 tags such as {examples}."
    try:
        Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return (
            f"'{tag}' has the shape of a language tag, but CLDR has no data for it (the names, "
            f"dates and plural rules the site needs). Use a language CLDR knows, such as "
            f"{examples}."
        )
    return None
