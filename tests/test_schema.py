"""The published JSON Schemas describe the real sources: the repository's own policy validates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

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
