"""Which version of a document applied on a date: what a consent record or an audit cites."""

from __future__ import annotations

import datetime as dt

from generator.errors import fail
from generator.model import Language, Standing, Version
from generator.pages import document_url
from generator.versions import Publication


def version_at(publication: Publication, jurisdiction: str, language: str, on: dt.date) -> Version:
    """The version of a document in force on a date; an error naming what exists otherwise."""
    # Jurisdiction ids are lowercase (sources.py); language tags are the same in any case.
    region, wanted = jurisdiction.lower(), language.replace("_", "-").lower()
    history = next(
        (
            h
            for key, h in sorted(publication.documents.items())
            if key[0] == region and Language(tag=key[1]).slug == wanted
        ),
        None,
    )
    if history is None:
        known = ", ".join(document_url(*key).rstrip("/") for key in sorted(publication.documents))
        raise fail(
            "policies/jurisdictions.yml",
            None,
            "version.unknown-document",
            f"no document {jurisdiction}/{language} was ever published. Name one of: {known}.",
        )
    stopped = history.stopped_on(on)
    if stopped is not None:
        # The versions up to the one that was newest then; those retired before their date
        # never applied.
        newest = history.in_force(on).number
        applied = [
            v for v in history.versions[:newest] if history.standing(v, on) is not Standing.NEVER
        ]
        last = (
            f"Its last version, {applied[-1].number}, applied from "
            f"{applied[-1].in_force_from.isoformat()} until then."
            if applied
            else "None of its versions had taken effect by then."
        )
        again = (
            f" It published it again from {history.versions[newest].in_force_from.isoformat()}"
            f" (version {newest + 1})."
            if newest < len(history.versions)
            else ""
        )
        raise fail(
            "",
            None,
            "version.not-in-force",
            f"no version of {document_url(*history.key).rstrip('/')} was in force on "
            f"{on.isoformat()}: the policy stopped publishing it on {stopped.isoformat()}. "
            + last
            + again,
        )
    if history.applying(on) is None:
        # Version 1 may never apply: replaced on its first day by the version that does.
        first = history.in_force(on)
        raise fail(
            "",
            None,
            "version.not-in-force",
            f"no version of {document_url(*history.key).rstrip('/')} was in force on "
            f"{on.isoformat()}. Version {first.number} applies from "
            f"{first.in_force_from.isoformat()}; ask for a date on or after it.",
        )
    return history.in_force(on)
