"""The site's own words: extract them from the templates and modules, merge them into the
interface catalogs shipped with the package (`generator/locales/<lang>/LC_MESSAGES/interface.po`).

The same merge as the policy catalogs: a changed string keeps its translation, marked fuzzy, with
the old string as `#| msgid`. These strings are Python format strings (`%(number)s`), so they keep
the `python-format` flag, and `msgfmt --check-format` checks every translation keeps the placeholders.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract

from generator.catalogs import catalog_to_merge, plural_forms, plural_forms_match
from generator.errors import Problems
from generator.i18n import header_fields, merge_catalog
from generator.interface import DOMAIN, LOCALES_DIR
from generator.model import Language
from generator.pofiles import PoCatalog, write_catalog
from generator.translations import CatalogUpdate, source_date, write_if_changed

TITLE = "policy-publisher interface"
"""The interface catalogs' Project-Id-Version."""

PACKAGE = Path(__file__).parent
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
_JINJA = "jinja2.ext:babel_extract"


def extract_interface() -> PoCatalog:
    """The interface template: every `_()`/`gettext()` string of the templates and modules."""
    template = PoCatalog(locale=None, domain=DOMAIN)
    template.header_comments = [
        "The site's own words (headings, labels, notices), extracted from generator/ by",
        "'policy i18n interface'. Translations: generator/locales/<lang>/LC_MESSAGES/interface.po.",
    ]
    template.header_fields = header_fields(TITLE, source_date(PACKAGE.parent), language="")
    sources = sorted(PACKAGE.glob("templates/*.html")) + sorted(PACKAGE.glob("*.py"))
    for path in sources:
        method = _JINJA if path.suffix == ".html" else "python"
        with path.open("rb") as handle:
            for line, message, comments, context in extract(method, handle):
                if not isinstance(message, str) or not message:
                    continue
                location = (path.relative_to(PACKAGE).as_posix(), line)
                template.add(
                    message, "", locations=[location], auto_comments=comments, context=context
                )
    return template


def update_interface_catalogs(new_languages: tuple[str, ...] = ()) -> list[CatalogUpdate]:
    """Write the interface template and merge it into every interface catalog (and new ones for
    `new_languages`)."""
    template = extract_interface()
    write_if_changed(TEMPLATE, write_catalog(template))
    names = {p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    names |= {Language(tag=tag).catalog_name for tag in new_languages}
    updates = []
    problems = Problems()
    for name in sorted(names):
        path = LOCALES_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        created = not path.exists()
        if created:
            old = new_interface_catalog(name, template.header("POT-Creation-Date"))
        else:
            old = catalog_to_merge(
                path.relative_to(PACKAGE.parent).as_posix(), path.read_bytes(), problems
            )
            if old is None:
                continue
        merged, counts = merge_catalog(template, old, prose=False)
        language = Language(tag=name.replace("_", "-"))
        merged.set_header("Language", name)
        if not plural_forms_match(merged.header("Plural-Forms"), language):
            merged.set_header("Plural-Forms", plural_forms(language))
        written = write_if_changed(path, write_catalog(merged))
        updates.append(
            CatalogUpdate(
                path=path.relative_to(PACKAGE.parent).as_posix(),
                created=created,
                written=written,
                counts=counts,
            )
        )
    problems.raise_if_errors()
    return updates


def new_interface_catalog(catalog_name: str, created: str | None) -> PoCatalog:
    """An empty interface catalog with the right Language and Plural-Forms headers."""
    catalog = PoCatalog(locale=catalog_name, domain=DOMAIN)
    language = catalog.locale.english_name if catalog.locale else catalog_name
    catalog.header_comments = [f"{language} translation of the site's own words."]
    catalog.header_fields = [
        *header_fields(TITLE, created, language=catalog_name),
        ("Plural-Forms", plural_forms(Language(tag=catalog_name.replace("_", "-")))),
    ]
    return catalog
