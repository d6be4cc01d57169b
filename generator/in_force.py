"""Which version of a document applied on a date: what a consent record or an audit cites."""

from __future__ import annotations

import datetime as dt

from generator.errors import fail
from generator.model import Language, Standing, Version
from generator.pages import document_url
from generator.publication import DocumentHistory, Publication


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
    found = history.applying(on)
    if found is None:
        raise fail(
            "",
            None,
            "version.not-in-force",
            f"no version of {document_url(*history.key).rstrip('/')} was in force on "
            f"{on.isoformat()}" + _why_none(history, on),
        )
    return found


def _why_none(history: DocumentHistory, on: dt.date) -> str:
    """Why no version of a document applied on a date, and which applied before or after."""
    version = history.in_force(on)  # the newest by then, or the first to come
    stopped = history.stopped_on(on)
    if stopped is not None:
        # Of the versions up to the newest then, those retired before their date never applied.
        applied = [
            v
            for v in history.versions[: version.number]
            if history.standing(v, on) is not Standing.NEVER
        ]
        last = (
            f"Its last version, {applied[-1].number}, applied from "
            f"{applied[-1].in_force_from.isoformat()} until then."
            if applied
            else "None of its versions had taken effect by then."
        )
        why = f": the policy stopped publishing it on {stopped.isoformat()}. {last}"
    elif history.retired_before(version):
        stopped = history.stopped_on(version.in_force_from)
        assert stopped is not None
        why = (
            f". Version {version.number} was to apply from {version.in_force_from.isoformat()}, "
            f"but the policy stopped publishing it on {stopped.isoformat()}, before then."
        )
    else:
        # Version 1 may never apply: replaced on its first day by the version that does.
        return (
            f". Version {version.number} applies from {version.in_force_from.isoformat()}; ask "
            "for a date on or after it."
        )
    again = history.published_again(stopped)
    if again is None:
        return why
    return (
        f"{why} It published it again on {again.date.date().isoformat()}: version "
        f"{again.number}, which applies from {again.in_force_from.isoformat()}."
    )
