"""A small policy project with a real history for the browser tests: two jurisdictions (Worldwide,
and the European Union extending it), English and French, and three versions, the third announced
with an effective date after the last commit so the current pages show the upcoming change."""

from __future__ import annotations

from pathlib import Path

from conftest import SITE_YML, Project, change_yml

JURISDICTIONS = """\
global:
  name: Worldwide
  languages: [en, fr]
eu:
  name: European Union
  extends: global
  languages: [en, fr]
"""

WHO = """\
---
id: who-we-are
title: {title}
order: 10
jurisdictions: [global]
---
{{{{ company.name }}}} runs this shop. Write to {{{{ contact.email }}}}.
"""

WHO_EU = """\
---
variant_of: who-we-are
jurisdiction: eu
mode: extend
---
Under the GDPR, {{ company.name }} is the controller of your personal data.
"""

DATA = """\
---
id: data-we-collect
title: The information we collect
order: 20
jurisdictions: [global]
---
We collect only what we need to deliver your order:

- {name};
- your delivery address.

Read more on [our security page](https://shop.example/security).
"""

KEEP = """\
---
id: how-long-we-keep
title: How long we keep your information
order: 30
jurisdictions: [global]
---
We keep order records for {years} years, because tax law requires it.
"""

RIGHTS = """\
---
id: your-rights
title: Your rights
order: 40
jurisdictions: [global]
---
You may ask for a copy of your information at any time.
"""

FRENCH = {
    ("who-we-are", "Who we are"): "Qui sommes-nous",
    ("who-we-are", "Who we are and how to reach us"): "Qui sommes-nous et comment nous joindre",
    (
        "who-we-are",
        "{{ company.name }} runs this shop. Write to {{ contact.email }}.",
    ): "{{ company.name }} gère cette boutique. Écrivez à {{ contact.email }}.",
    (
        "who-we-are@eu",
        "Under the GDPR, {{ company.name }} is the controller of your personal data.",
    ): "Au sens du RGPD, {{ company.name }} est le responsable du traitement de vos données.",
    ("data-we-collect", "The information we collect"): "Les informations que nous collectons",
    (
        "data-we-collect",
        "We collect only what we need to deliver your order:",
    ): "Nous ne collectons que ce qui est nécessaire pour livrer votre commande :",
    ("data-we-collect", "your name;"): "votre nom ;",
    ("data-we-collect", "your full name;"): "vos nom et prénom ;",
    ("data-we-collect", "your delivery address."): "votre adresse de livraison.",
    (
        "data-we-collect",
        "Read more on [our security page](https://shop.example/security).",
    ): "En savoir plus sur [notre page sécurité](https://shop.example/security).",
    (
        "how-long-we-keep",
        "How long we keep your information",
    ): "Combien de temps nous conservons vos informations",
    (
        "how-long-we-keep",
        "We keep order records for 10 years, because tax law requires it.",
    ): "Nous conservons les commandes 10 ans, car le droit fiscal l'exige.",
    (
        "how-long-we-keep",
        "We keep order records for 6 years, because tax law requires it.",
    ): "Nous conservons les commandes 6 ans, car le droit fiscal l'exige.",
    ("your-rights", "Your rights"): "Vos droits",
    (
        "your-rights",
        "You may ask for a copy of your information at any time.",
    ): "Vous pouvez demander une copie de vos informations à tout moment.",
    ("change", "First version."): "Première version.",
    ("change", "We now ask for your full name and say how long we keep orders."): (
        "Nous demandons désormais vos nom et prénom et indiquons la durée de conservation."
    ),
    ("change", "From 1 June 2026 we keep order records for 6 years instead of 10."): (
        "À partir du 1er juin 2026, nous conservons les commandes 6 ans au lieu de 10."
    ),
}

SUMMARIES = (
    "First version.",
    "We now ask for your full name and say how long we keep orders.",
    "From 1 June 2026 we keep order records for 6 years instead of 10.",
)


def french_catalog(sources: set[tuple[str, str]]) -> str:
    """A hand-written French PO catalog translating exactly the given messages."""
    return po_catalog("fr", {key: FRENCH[key] for key in sources})


def po_catalog(language: str, translations: dict[tuple[str, str], str]) -> str:
    """A PO catalog: msgctxt is the clause id, msgid the source text, msgstr its translation."""
    lines = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        f'"Language: {language}\\n"',
        "",
    ]
    for (context, source), translation in sorted(translations.items()):
        lines += [
            f'msgctxt "{context}"',
            f"msgid {_quote(source)}",
            f"msgstr {_quote(translation)}",
            "",
        ]
    return "\n".join(lines)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _messages(who_title: str, name: str, years: int | None, summary: str) -> set[tuple[str, str]]:
    messages = {
        ("who-we-are", who_title),
        ("who-we-are", "{{ company.name }} runs this shop. Write to {{ contact.email }}."),
        (
            "who-we-are@eu",
            "Under the GDPR, {{ company.name }} is the controller of your personal data.",
        ),
        ("data-we-collect", "The information we collect"),
        ("data-we-collect", "We collect only what we need to deliver your order:"),
        ("data-we-collect", f"{name};"),
        ("data-we-collect", "your delivery address."),
        ("data-we-collect", "Read more on [our security page](https://shop.example/security)."),
        ("your-rights", "Your rights"),
        ("your-rights", "You may ask for a copy of your information at any time."),
        ("change", summary),
    }
    if years is not None:
        messages |= {
            ("how-long-we-keep", "How long we keep your information"),
            (
                "how-long-we-keep",
                f"We keep order records for {years} years, because tax law requires it.",
            ),
        }
    return messages


def make_sample(root: Path) -> Project:
    """The project, committed in three versions (2026-01-01, -02, -03; the third effective
    2026-06-01)."""
    project = Project(root)
    states = [
        ("Who we are", "your name", None, "2026-01-01"),
        ("Who we are", "your full name", 10, "2026-01-02"),
        ("Who we are and how to reach us", "your full name", 6, "2026-06-01"),
    ]
    for (title, name, years, effective), summary in zip(states, SUMMARIES, strict=True):
        files: dict[str, str | None] = {
            "policies/site.yml": SITE_YML,
            "policies/jurisdictions.yml": JURISDICTIONS,
            "policies/change.yml": change_yml(summary, effective),
            "policies/clauses/who.md": WHO.format(title=title),
            "policies/clauses/who-eu.md": WHO_EU,
            "policies/clauses/data.md": DATA.format(name=name),
            "policies/clauses/keep.md": KEEP.format(years=years) if years else None,
            "policies/clauses/rights.md": RIGHTS,
            "locales/fr/LC_MESSAGES/policy.po": french_catalog(
                _messages(title, name, years, summary)
            ),
        }
        project.commit(summary, files)
    return project
