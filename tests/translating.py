"""Helpers for translation tests: translate a project's catalog the way a translator's tool does
(fill in msgstr, clear the fuzzy flag), and the base project's text in German and Arabic."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping

from conftest import Project

from generator.pofiles import messages, read_catalog, write_catalog

GERMAN = {
    "Privacy policy": "Datenschutzerklärung",
    "Worldwide": "Weltweit",
    "European Union": "Europäische Union",
    "First version.": "Erste Version.",
    "Who we are": "Wer wir sind",
    "{{ company.name }} runs this shop. Write to {{ contact.email }}.": (
        "{{ company.name }} betreibt diesen Shop. Schreiben Sie an {{ contact.email }}."
    ),
    "The information we collect": "Welche Informationen wir erheben",
    "We collect only what we need to deliver your order:": (
        "Wir erheben nur, was wir für die Lieferung Ihrer Bestellung brauchen:"
    ),
    "your name;": "Ihren Namen;",
    "your delivery address.": "Ihre Lieferadresse.",
}

GERMAN_WITH_EU = {
    **GERMAN,
    "Under the GDPR, {{ company.name }} is the controller.": (
        "Nach der DSGVO ist {{ company.name }} der Verantwortliche."
    ),
}
"""GERMAN, and the EU variant of who-we-are (histories.EU_VARIANT)."""

ARABIC = {
    "Privacy policy": "سياسة الخصوصية",
    "Worldwide": "جميع أنحاء العالم",
    "European Union": "الاتحاد الأوروبي",
    "First version.": "النسخة الأولى.",
    "Who we are": "من نحن",
    "{{ company.name }} runs this shop. Write to {{ contact.email }}.": (
        "يدير {{ company.name }} هذا المتجر. راسلنا على {{ contact.email }}."
    ),
    "The information we collect": "المعلومات التي نجمعها",
    "We collect only what we need to deliver your order:": (
        "لا نجمع إلا ما نحتاج إليه لتوصيل طلبك:"
    ),
    "your name;": "اسمك؛",
    "your delivery address.": "عنوان التوصيل الخاص بك.",
}


def catalog_file(catalog_name: str) -> str:
    """The project path of a language's policy catalog."""
    return f"locales/{catalog_name}/LC_MESSAGES/policy.po"


def translate(project: Project, catalog_name: str, table: Mapping[str, str]) -> None:
    """Fill in every message of a catalog that `table` translates, and mark it reviewed."""
    path = project.root / catalog_file(catalog_name)
    catalog = read_catalog(path.read_text(encoding="utf-8"))
    for message in messages(catalog):
        if message.id in table:
            message.string = table[message.id]
            message.flags.discard("fuzzy")
            message.previous_id = ()
    path.write_bytes(write_catalog(catalog))


def msgfmt_check(path: str) -> subprocess.CompletedProcess[str]:
    """GNU msgfmt's verdict on a catalog, checking format strings and the header."""
    return subprocess.run(
        ["msgfmt", "--check-format", "--check-header", "-o", "/dev/null", path],
        capture_output=True,
        text=True,
    )
