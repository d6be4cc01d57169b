"""The published JSON Schemas describe the real sources: the repository's own policy validates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import JURISDICTIONS_YML

from generator.sources import SCHEMAS

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def as_json(data):
    """YAML dates as the strings an editor's YAML language server sees."""
    if isinstance(data, dict):
        return {k: as_json(v) for k, v in data.items()}
    if isinstance(data, list):
        return [as_json(v) for v in data]
    return data.isoformat() if isinstance(data, dt.date) else data


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


@pytest.mark.parametrize("path", sorted(POLICIES.rglob("*.md")), ids=lambda p: p.name)
def test_schema_accepts_every_clause_of_the_shipped_policy(path):
    jsonschema.validate(as_json(front_matter(path)), schema("clause"))


@pytest.mark.parametrize("name", ["site", "jurisdictions", "change"])
def test_schema_accepts_the_shipped_yaml_files(name):
    data = yaml.safe_load((POLICIES / f"{name}.yml").read_text(encoding="utf-8"))
    jsonschema.validate(as_json(data), schema(name))


def test_schema_rejects_what_policy_check_rejects():
    clause = {"id": "who-we-are", "title": "Who", "order": 10, "jurisdictions": ["global"]}
    jsonschema.validate(clause, schema("clause"))
    for broken in (
        {**clause, "ordre": 10},
        {**clause, "id": "Who We Are"},
        {**clause, "order": "ten"},
        {"variant_of": "who-we-are", "jurisdiction": "eu", "mode": "append"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema("clause"))


def test_schema_and_check_agree_on_an_id_written_alone_and_on_yes_and_no(make_project):
    """A list of one may be written as its id alone, for the check and the schema alike; an
    unquoted `no` (Norway, Norwegian), which YAML reads as false, is refused by both, the check
    saying why."""
    alone = "---\nid: who-we-are\ntitle: Who we are\norder: 10\njurisdictions: global\n---\nHi.\n"
    regions = JURISDICTIONS_YML.replace("languages: [en]", "languages: en")
    project = make_project(
        {"policies/clauses/who.md": alone, "policies/jurisdictions.yml": regions}
    )
    result = project.policy("check")
    assert result.returncode == 0, result.stdout + result.stderr
    jsonschema.validate(front_matter(project.root / "policies/clauses/who.md"), schema("clause"))
    jsonschema.validate(yaml.safe_load(regions), schema("jurisdictions"))

    norwegian = regions.replace("languages: en", "languages: [en, no]", 1)
    (project.root / "policies/jurisdictions.yml").write_text(norwegian, encoding="utf-8")
    result = project.policy("check")
    assert result.returncode == 1
    assert (
        "policies/jurisdictions.yml:3: 'languages' holds False where an id is expected. YAML reads "
        "yes, no, on, off, true and false unquoted as true or false: quote an id or language tag "
        "such as 'no' (Norway, Norwegian). [yaml.type]"
    ) in result.stderr
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(norwegian), schema("jurisdictions"))
    # Alone too, where one id may stand for a list: the same words, and nothing more.
    (project.root / "policies/jurisdictions.yml").write_text(
        regions.replace("languages: en", "languages: no", 1), encoding="utf-8"
    )
    result = project.policy("check")
    assert result.stderr.splitlines() == [
        "policies/jurisdictions.yml:3: 'languages' holds False where an id is expected. YAML reads "
        "yes, no, on, off, true and false unquoted as true or false: quote an id or language tag "
        "such as 'no' (Norway, Norwegian). [yaml.type]",
        "1 error, 0 warnings",
    ]


def test_the_records_schema_describes_every_published_versions_json(make_project):
    """A history with a translation revised alone, a translation lagging behind and a retired
    region: the site's record and each document's validate, field for field (no field the
    schema does not describe)."""
    from histories import GERMAN, WITH_GERMAN, WITHOUT_EU, announce_full_name, po

    de = "locales/de/LC_MESSAGES/policy.po"
    project = make_project({"policies/jurisdictions.yml": WITH_GERMAN, de: po(GERMAN)})
    project.commit("Better German", {de: po({**GERMAN, ("who-we-are", "Who we are"): "Über uns"})})
    announce_full_name(project, "2026-03-01")
    project.commit("No EU policy", {"policies/jurisdictions.yml": WITHOUT_EU})
    assert project.policy("build").returncode == 0
    validator = jsonschema.Draft202012Validator(
        schema("versions"), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.check_schema(schema("versions"))
    site = project.root / "site"
    records = [json.loads(path.read_text(encoding="utf-8")) for path in site.rglob("versions.json")]
    assert len(records) == 5  # the site's and one per document, the retired ones too
    for record in records:
        validator.validate(record)
    everything = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    versions = [v for d in everything["documents"] for v in d["versions"]]
    assert any(v["translation_only"] for v in versions)
    assert any(d["translation_lag"] for d in everything["documents"])
    assert any(d["retired"] for d in everything["documents"])
