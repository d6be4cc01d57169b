"""Search finds a word however a reader types it: without its accents or Arabic marks, without the
Arabic article, with a question mark or parentheses around it, after a French elision, and a
hyphenated word joined (email for e-mail). In the machine's Chromium, against a small real project
in English, French, German, Brazilian Portuguese and Arabic served on 127.0.0.1. A result's link
opens its page with the page's own words highlighted."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import conftest
import pytest
from conftest import BASE_FILES, Project
from harness import Served, contexts, served, type_into
from playwright.sync_api import Browser, Page, expect
from sample import po_catalog

pytestmark = pytest.mark.browser

# The base clause, with a hyphenated word.
WHO_MD = conftest.WHO_MD.replace("Write to {{", "Write to us by e-mail at {{")

DATA_MD = """\
---
id: data-we-collect
title: The information we collect
order: 20
jurisdictions: [global]
topics: [categories-collected]
---
We collect what we need to deliver your order, over a secure connection (HTTPS), and use no
cookies. No third party sees it.
"""

SOURCES = {
    "who": ("who-we-are", "Who we are"),
    "who-body": (
        "who-we-are",
        "{{ company.name }} runs this shop. Write to us by e-mail at {{ contact.email }}.",
    ),
    "data": ("data-we-collect", "The information we collect"),
    "data-body": (
        "data-we-collect",
        "We collect what we need to deliver your order, over a secure connection (HTTPS), and "
        "use no cookies. No third party sees it.",
    ),
}

TRANSLATIONS = {
    "fr": {
        "who": "Qui nous sommes",
        "who-body": "{{ company.name }} gère cette boutique. Adressez-nous vos questions par e-mail à "
        "{{ contact.email }}.",
        "data": "Les données que nous collectons",
        "data-body": "Nous ne collectons que les données dont l’intermédiaire de livraison a "
        "besoin, par une connexion sécurisée (HTTPS), sans cookies.",
    },
    "de": {
        "who": "Wer wir sind",
        "who-body": "{{ company.name }} betreibt diesen Shop. Schreiben Sie uns per E-Mail an "
        "{{ contact.email }}.",
        "data": "Welche Daten wir erheben",
        "data-body": "Wir erheben nur, was wir für die Lieferung brauchen, und löschen es mit "
        "geeigneten Maßnahmen (HTTPS).",
    },
    "pt_BR": {
        "who": "Quem somos",
        "who-body": "{{ company.name }} administra esta loja. Escreva para {{ contact.email }}.",
        "data": "As informações que coletamos",
        "data-body": "Coletamos apenas o necessário para a entrega do pedido, numa conexão "
        "segura (HTTPS).",
    },
    "ar": {
        "who": "من نحن",
        "who-body": "{{ company.name }} تدير هذا المتجر. راسلنا عبر البريد الإلكتروني على "
        "{{ contact.email }}.",
        "data": "المعلومات التي نجمعها",
        "data-body": "نحترم الخصوصية: لا نجمع بيانات الأطفال دون 18 عامًا، ولا نشاركها إلا مع "
        "مقدّمي خدمة التوصيل، ويمكنك طلب إلغاء الحساب أو حذف بياناتك.",
    },
}

JURISDICTIONS = """\
global:
  name: Worldwide
  languages: [en, fr, de, pt-BR, ar]
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One jurisdiction in five languages, built and served."""
    project = Project(tmp_path_factory.mktemp("search-words") / "project")
    catalogs = {
        f"locales/{language}/LC_MESSAGES/policy.po": po_catalog(
            language, {SOURCES[key]: text for key, text in words.items()}
        )
        for language, words in TRANSLATIONS.items()
    }
    project.commit(
        "First version",
        {
            **BASE_FILES,
            "policies/jurisdictions.yml": JURISDICTIONS,
            "policies/clauses/who.md": WHO_MD,
            "policies/clauses/data.md": DATA_MD,
            **catalogs,
        },
    )
    with served(project) as result:
        yield result


@pytest.fixture
def page(browser: Browser, site: Served) -> Iterator[Page]:
    """A desktop page."""
    with contexts(browser, site) as make:
        yield make(locale="en-US").new_page()


def _search(page: Page, at: str, query: str) -> set[tuple[str, str]]:
    """The path and fragment of each result of a query typed on a page, once there are some."""
    page.goto(at)
    type_into(page, "input.md-search__input", query)
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible()
    return {
        (urlsplit(h).path, urlsplit(h).fragment)
        for h in results.evaluate_all("links => links.map(a => a.href)")
    }


def _sections(document: str, *sections: str) -> set[tuple[str, str]]:
    """A document's own results: the page, and these sections of it."""
    path = f"/global/{document}/"
    return {(path, "")} | {(path, section) for section in sections}


@pytest.mark.parametrize(
    ("document", "query", "section"),
    [
        # The question's mark, or the parentheses, stayed on the word, which began no word.
        ("en", "cookies?", "data-we-collect"),
        ("en", "(cookies)", "data-we-collect"),
        ("de", "Daten?", "data-we-collect"),
        ("ar", "حذف؟", "data-we-collect"),
        # "(HTTPS)" was indexed with its parentheses, which no query word begins.
        ("en", "HTTPS", "data-we-collect"),
        ("de", "https", "data-we-collect"),
        # "l’intermédiaire" was one word, which intermédiaire does not begin.
        ("fr", "intermédiaire", "data-we-collect"),
        ("fr", "l'intermédiaire", "data-we-collect"),
        # Typed without the accents, the umlaut, ß.
        ("fr", "donnees", "data-we-collect"),
        ("fr", "securisee", "data-we-collect"),
        ("de", "loschen", "data-we-collect"),
        ("de", "Massnahmen", "data-we-collect"),
        ("pt-br", "informacoes", "data-we-collect"),
        ("pt-br", "conexao", "data-we-collect"),
        # Arabic: without the article, the shadda, the hamza on alef, with ه for ة, and
        # Arabic-Indic digits for 18.
        ("ar", "خصوصية", "data-we-collect"),
        ("ar", "الخصوصيه", "data-we-collect"),
        ("ar", "مقدمي", "data-we-collect"),
        ("ar", "الاطفال", "data-we-collect"),
        ("ar", "اطفال", "data-we-collect"),
        ("ar", "الغاء", "data-we-collect"),
        ("ar", "١٨", "data-we-collect"),
        ("ar", "الالكتروني", "who-we-are"),
        # e-mail was indexed as e and mail: email began neither.
        ("en", "email", "who-we-are"),
        ("de", "Email", "who-we-are"),
        ("fr", "email", "who-we-are"),
        ("fr", "e-mail", "who-we-are"),
    ],
)
def test_search_finds_a_word_as_a_reader_types_it(
    document: str, query: str, section: str, site: Served, page: Page
) -> None:
    found = _search(page, site.url + f"global/{document}/", query)
    # The page's title (_title) may have the word too (Datenschutzerklärung: daten).
    assert found - {(f"/global/{document}/", "_title")} == _sections(document, section)


@pytest.mark.parametrize(
    "query", ["DONNEES", "données", "+donnees", "donnees^2", "text:donnees", "donn"]
)
def test_a_folded_query_keeps_lunr_s_operators_and_case(
    query: str, site: Served, page: Page
) -> None:
    assert _search(page, site.url + "global/fr/", query) == _sections("fr", "data-we-collect")


def test_a_prohibited_folded_word_excludes_its_sections(site: Served, page: Page) -> None:
    """-donnees was searched as written, which no word of the index is: it excluded nothing."""
    found = _search(page, site.url + "global/fr/", "-donnees collectons boutique")
    assert found == _sections("fr", "who-we-are")


def test_a_result_marks_the_page_s_own_words(site: Served, page: Page) -> None:
    _search(page, site.url + "global/fr/", "donnees")
    marks = page.locator(".md-search-result__item mark")
    assert set(marks.evaluate_all("marks => marks.map(m => m.textContent)")) == {"données"}


def test_an_address_and_a_number_stay_whole(site: Served, page: Page) -> None:
    """A full stop between letters or digits does not end a word: an address is one word."""
    assert _search(page, site.url + "global/en/", "privacy@shop.example") == _sections(
        "en", "who-we-are"
    )


def test_the_error_page_searches_folded_words_too(site: Served, page: Page) -> None:
    """The error page searches every document's index, with the same worker."""
    found = _search(page, site.url + "global/fr/v/99/", "donnees")
    assert ("/global/fr/", "data-we-collect") in found


@pytest.mark.parametrize(
    ("query", "marks"),
    [
        ("third-party", {"third", "party"}),
        ("+third-party", {"third", "party"}),
        ("third-party~1", {"third", "party"}),
    ],
)
def test_a_hyphenated_query_finds_the_words_written_apart(
    query: str, marks: set[str], site: Served, page: Page
) -> None:
    """third-party was searched joined only (thirdparty), which a page writing "third party" does
    not have: it found nothing."""
    assert _search(page, site.url + "global/en/", query) == _sections("en", "data-we-collect")
    found = page.locator(".md-search-result__item mark")
    assert set(found.evaluate_all("marks => marks.map(m => m.textContent)")) == marks


def test_an_excluded_hyphenated_word_excludes_only_itself(site: Served, page: Page) -> None:
    """-e-mail excludes the sections with e-mail, not every section with a word like mail."""
    found = _search(page, site.url + "global/en/", "-e-mail collect runs")
    assert found == _sections("en", "data-we-collect")


@pytest.mark.parametrize(
    ("document", "query", "marks"),
    [
        # A part marks itself, not the hyphenated word.
        ("en", "mail", {"mail"}),
        ("de", "Mail", {"Mail"}),
        ("fr", "mail", {"mail"}),
        # The word joined marks the whole word.
        ("en", "email", {"e-mail"}),
        ("de", "email", {"E-Mail"}),
        # Searched joined and in its parts, it is marked once, not inside its own mark.
        ("en", "e-mail", {"e-mail"}),
        ("de", "E-Mail", {"E-Mail"}),
        # A plain word that begins a hyphenated word marks the part it matched, not the word
        # (adresse* matches adresseznous, the word joined, too).
        ("fr", "adresse", {"Adressez"}),
    ],
)
def test_a_result_marks_a_hyphenated_word_s_part_alone(
    document: str, query: str, marks: set[str], site: Served, page: Page
) -> None:
    """Each part of a hyphenated word had the whole word's place: mail marked e-mail."""
    _search(page, site.url + f"global/{document}/", query)
    found = page.locator(".md-search-result__item mark")
    assert set(found.evaluate_all("marks => marks.map(m => m.textContent)")) == marks
    texts = page.locator(".md-search-result__item").evaluate_all("i => i.map(x => x.innerText)")
    assert not [text for text in texts if "mark>" in text or "<mar" in text]


@pytest.mark.parametrize(
    ("document", "query", "marks"),
    [
        ("fr", "données", {"données"}),
        ("fr", "donnees", {"données"}),
        ("fr", "DONNÉES", {"données"}),
        ("de", "löschen", {"löschen"}),
        ("de", "loschen", {"löschen"}),
        ("de", "Massnahmen", {"maßnahmen"}),
        ("ar", "الخصوصية", {"الخصوصية"}),
        ("ar", "خصوصيه", {"الخصوصية"}),
        ("en", "cookies", {"cookies"}),
        # The page's highlighter marks both words, and the space between them.
        ("en", "third-party", {"third party"}),
    ],
)
def test_a_result_s_page_highlights_the_page_s_own_words(
    document: str, query: str, marks: set[str], site: Served, page: Page
) -> None:
    """search.highlight: a result's link gives the page, in ?h=, the query's words it matched,
    which were the index's folded words (donnees, الخصوصيه), which the page's text does not have:
    the page marked nothing, for données typed as the page writes it too."""
    found = _search(page, site.url + f"global/{document}/", query)
    assert (f"/global/{document}/", "data-we-collect") in found
    # The link as the reader follows it (a section's may be folded away under its page's).
    link = page.locator(".md-search-result__item a[href*='#data-we-collect']").first
    page.goto(link.get_attribute("href") or "")
    highlighted = page.locator("mark[data-md-highlight]")
    expect(highlighted.first).to_be_visible()
    words = highlighted.evaluate_all("marks => marks.map(m => m.textContent.toLowerCase())")
    assert set(words) == marks


def test_a_result_s_page_highlights_only_the_words_the_query_matched(
    site: Served, page: Page
) -> None:
    """adresse matched adressez-nous joined (adresseznous), and the link's ?h= got each part of
    the marked word: the opened page marked every nous."""
    found = _search(page, site.url + "global/fr/", "adresse")
    assert ("/global/fr/", "who-we-are") in found
    link = page.locator(".md-search-result__item a[href*='#who-we-are']").first
    href = link.get_attribute("href") or ""
    assert "nous" not in parse_qs(urlsplit(href).query).get("h", [""])[0].split()
    page.goto(href)
    highlighted = page.locator("mark[data-md-highlight]")
    expect(highlighted.first).to_be_visible()
    words = highlighted.evaluate_all("marks => marks.map(m => m.textContent.toLowerCase())")
    assert "nous" not in words
    assert "adresse" in words


def test_a_hyphenated_query_shows_no_missing_joined_word(site: Served, page: Page) -> None:
    """third-party was searched as thirdparty too, which the page does not have: each result
    said "Missing: thirdparty", a word the reader never typed."""
    _search(page, site.url + "global/en/", "third-party")
    texts = page.locator(".md-search-result__item").evaluate_all("i => i.map(x => x.innerText)")
    assert texts
    assert not [text for text in texts if "thirdparty" in text.lower()]
