"""Machine-readable records: per document `versions.json`, a root index, and each version's text.

A consent system can store (jurisdiction, language, version, hash) when a shopper accepts the policy;
`v/<n>/document.json` is the exact text that hash covers (`sha256sum document.json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from typing import Any

from generator.model import Version, utc_stamp
from generator.pages import SiteFile, document_url
from generator.publication import DocumentHistory, Publication, document_json

SCHEMA_VERSION = 2
"""2: a document's `in_force` is null while no version applies yet (1 named the version that
would apply first)."""
INDEX = "versions.json"
"""The records' index, at the root of the site and of each document's folder."""


def iter_records(publication: Publication) -> Iterator[SiteFile]:
    """versions.json per document and at the root, and document.json for every version, one at
    a time (every version's text adds up)."""
    index = []
    for history in publication.documents.values():
        record = document_record(publication, history)
        index.append(record)
        base = document_url(*history.key)
        yield SiteFile(path=base + INDEX, make=partial(_dump, record))
        for v in history.versions:
            yield SiteFile(
                path=f"{base}v/{v.number}/document.json",
                make=partial(document_json, v.document),
                digest=v.hash,
            )
    root = {
        "schema": SCHEMA_VERSION,
        "title": publication.policy.title,
        "source_language": publication.policy.source_language,
        "reference_date": publication.reference_date.isoformat(),
        "documents": index,
    }
    yield SiteFile(path=INDEX, make=partial(_dump, root))


def document_record(publication: Publication, history: DocumentHistory) -> dict[str, Any]:
    """The JSON record of a document and all its versions."""
    base = document_url(*history.key)
    in_force = history.applying(publication.reference_date)
    lag = history.lag
    return {
        "jurisdiction": history.jurisdiction,
        "language": history.language,
        "url": base,
        "in_force": in_force.number if in_force else None,
        "latest": history.latest.number,
        "retired": history.retired,
        "retired_since": utc_stamp(history.retired_since) if history.retired_since else None,
        "translation_lag": None
        if lag is None
        else {
            "source_version": lag.source_version,
            "translated_source_version": lag.translated_version,
            "missing": lag.missing,
            "fuzzy": lag.fuzzy,
        },
        "versions": [_version_record(history, v) for v in history.versions],
    }


def _version_record(history: DocumentHistory, version: Version) -> dict[str, Any]:
    base = document_url(*history.key)
    return {
        "number": version.number,
        "hash": f"sha256:{version.hash}",
        "commit": version.commit,
        "published": utc_stamp(version.date),
        "effective": version.effective.isoformat(),
        "in_force_from": version.in_force_from.isoformat(),
        "in_force_until": until.isoformat() if (until := history.until(version)) else None,
        "kind": version.kind.value,
        "summary": version.summary,
        "summary_language": version.summary_language,
        "translation_only": version.translation_only,
        "source_version": version.source_version,
        "url": f"{base}v/{version.number}/",
        "redline_url": f"{base}changes/{version.number}/" if version.number > 1 else None,
        "document_url": f"{base}v/{version.number}/document.json",
    }


def _dump(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
