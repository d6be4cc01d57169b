"""Script injection: every vector is built into pages and loaded in a real Chromium.

Each vector arrives through one of the ways text reaches a page: a clause body or title, a
variable, a jurisdiction name, the site title, a change summary, a commit subject, a translation.
Per vector we decide: `policy check` rejects it with a clear error, or the build neutralizes it.
Rejected vectors are then built anyway, with the check's rules switched off, to prove the second
line (nh3 and escaping) holds on its own. Every page of both sites is loaded in headless Chromium
and must show no sign that script ran or could run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SITE_YML, Project, problems_of
from hostile_helpers import po_catalog, probe_pages
from local_browser import CHROMIUM, serve

from generator import catalogs, sources
from generator.build import BuildOptions, build_site
from generator.history import read_folder
from generator.pofiles import read_catalog


def in_chromium(test):  # noqa: ANN001, ANN201 - a test function
    """Mark a test that drives Chromium; skipped, saying why, only if Chromium is missing."""
    test = pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Chromium at /usr/bin/chromium (scripts/test.sh and CI install it)",
    )(test)
    return pytest.mark.browser(test)


X = "window.__xss=1"
"""What every payload tries to run; the probe checks that `window.__xss` stays undefined."""


@dataclass(frozen=True)
class Vector:
    """One attempt to put script into a page."""

    name: str
    where: str
    """body, title, variable, link-variable, jurisdiction, site-title, summary, subject or
    translation / translation-title."""
    payload: str
    rejected: str | None = None
    """The exact `policy check` problem, or None when the build must neutralize it."""


VECTORS = [
    # Clause bodies: raw HTML and dangerous links are refused by `policy check`.
    Vector("script tag", "body", f"<script>{X}</script>", "markdown.html"),
    Vector("img onerror", "body", f'<img src=x onerror="{X}">', "markdown.html"),
    Vector("svg onload without space", "body", f"<svg/onload={X}>", "markdown.html"),
    Vector("iframe javascript", "body", f'<iframe src="javascript:{X}"></iframe>', "markdown.html"),
    Vector("mixed-case href", "body", f'<a href="jAvAsCrIpT:{X}">x</a>', "markdown.html"),
    Vector(
        "style expression",
        "body",
        f'<div style="background:url(javascript:{X})">x</div>',
        "markdown.html",
    ),
    Vector("style element", "body", f"<style>@import 'javascript:{X}';</style>", "markdown.html"),
    Vector(
        "meta refresh",
        "body",
        f'<meta http-equiv="refresh" content="0;url=javascript:{X}">',
        "markdown.html",
    ),
    Vector("details ontoggle", "body", f"<details open ontoggle={X}>x</details>", "markdown.html"),
    Vector("comment breakout", "body", f"<!--><script>{X}</script>-->", "markdown.html"),
    Vector(
        "mutation via math",
        "body",
        f"<math><mtext><table><mglyph><style><img src=x onerror={X}>",
        "markdown.html",
    ),
    Vector(
        "markdown javascript link",
        "body",
        f"[click](javascript:{X})",
        "markdown.unsafe-link:javascript",
    ),
    Vector(
        "mixed-case scheme", "body", f"[click](JaVaScRiPt:{X})", "markdown.unsafe-link:javascript"
    ),
    Vector(
        "entity-encoded scheme",
        "body",
        f"[click](&#106;avascript:{X})",
        "markdown.unsafe-link:javascript",
    ),
    Vector(
        "tab inside scheme",
        "body",
        f"[click](java&#x09;script:{X})",
        "markdown.unsafe-link:javascript",
    ),
    Vector(
        "data link",
        "body",
        "[click](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
        "markdown.unsafe-link:data",
    ),
    Vector("vbscript link", "body", "[click](vbscript:msgbox(1))", "markdown.unsafe-link:vbscript"),
    Vector("javascript autolink", "body", f"<javascript:{X}>", "markdown.unsafe-link:javascript"),
    Vector(
        "reference definition",
        "body",
        f"[click][1]\n\n[1]: javascript:{X}",
        "markdown.unsafe-link:javascript@9",
    ),
    Vector(
        "image with onerror title",
        "body",
        f'![x](https://img.example/x.png "x\\" onerror=\\"{X}")',
        "markdown.image",
    ),
    # Accepted, and harmless once built.
    Vector(
        "link title breakout", "body", f'[click](https://shop.example "a\\" onmouseover=\\"{X}")'
    ),
    Vector("autolink quote breakout", "body", f'<https://shop.example/"onmouseover="{X}>'),
    Vector("entity-encoded script", "body", f"&lt;script&gt;{X}&lt;/script&gt; in words"),
    Vector("entity-encoded img in title", "title", f"&lt;/title&gt;&lt;img src=x onerror={X}&gt;"),
    Vector("entity-encoded summary", "summary", f"&lt;img src=x onerror={X}&gt;"),
    Vector("title attribute breakout", "title", f'Cookies" onmouseover="{X}" x="\''),
    Vector("commit subject", "subject", f"<img src=x onerror={X}> tidy wording"),
    Vector("translated entity-encoded img", "translation", f"&lt;img src=x onerror={X}&gt;"),
    Vector(
        "translated link title breakout",
        "translation",
        f'[klick](https://shop.example "a\\" onmouseover=\\"{X}")',
    ),
    Vector("translated title breakout", "translation-title", f'Wer" onmouseover="{X}" x="'),
    # Translations: the check refuses what it refuses in clauses (a third project carries them).
    Vector("translated img", "translation", f"<img src=x onerror={X}>", "markdown.html"),
    Vector(
        "translated javascript link",
        "translation",
        f"[klick](javascript:{X})",
        "markdown.unsafe-link:javascript",
    ),
    Vector(
        "translated entity-encoded href",
        "translation",
        f'<a href="&#x6A;avascript:{X}">x</a>',
        "markdown.html",
    ),
    Vector(
        "translated title script",
        "translation-title",
        f"</title><script>{X}</script>",
        "markdown.html",
    ),
    # Plain-text fields: HTML is refused by `policy check`.
    Vector("title img", "title", f"<img src=x onerror={X}>", "text.html:title"),
    Vector("summary script", "summary", f"<script>{X}</script>", "text.html:summary"),
    Vector("variable img", "variable", f"<img src=x onerror={X}>", "text.html:xss.html"),
    Vector(
        "variable javascript link",
        "link-variable",
        f"javascript:{X}",
        "markdown.unsafe-link:javascript:variable",
    ),
    Vector("jurisdiction name", "jurisdiction", f"<img src=x onerror={X}>", "text.html:name"),
    # The theme prints the site's name in text and, unescaped, in an attribute (aria-label).
    Vector(
        "site title",
        "site-title",
        f'Shop" onmouseover="{X}" x="<svg onload={X}>',
        "text.html:title",
    ),
]


def _change(summary: str) -> bytes:
    return f"summary: {_yaml(summary)}\nkind: material\neffective: 2026-01-01\n".encode()


def _yaml(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _clause(n: int, title: str, body: str, clause_id: str | None = None) -> bytes:
    return (
        f"---\nid: {clause_id or f'xss-{n:02d}'}\ntitle: {_yaml(title)}\norder: {100 + n}\n"
        f"jurisdictions: [global]\n---\n{body}\n"
    ).encode()


def _jurisdictions(name: str, languages: str) -> bytes:
    return (
        f"global:\n  name: Worldwide\n  languages: {languages}\n"
        f"eu:\n  name: {_yaml(name)}\n  extends: global\n  languages: {languages}\n"
    ).encode()


def _files(vectors: list[Vector], languages: str) -> dict[str, bytes]:
    """The sources that carry the vectors (all but summaries, subjects and translations)."""
    site = SITE_YML
    title = next((v.payload for v in vectors if v.where == "site-title"), "Privacy policy")
    site = site.replace("title: Privacy policy", f"title: {_yaml(title)}")
    variables = [v for v in vectors if v.where == "variable"]
    link_variables = [v for v in vectors if v.where == "link-variable"]
    site += "  xss:\n"
    site += f"    html: {_yaml(variables[0].payload if variables else 'Example')}\n"
    site += (
        f"    link: {_yaml(link_variables[0].payload if link_variables else 'https://x.example')}\n"
    )
    name = next((v.payload for v in vectors if v.where == "jurisdiction"), "European Union")
    files = {
        "policies/site.yml": site.encode(),
        "policies/jurisdictions.yml": _jurisdictions(name, languages),
        "policies/clauses/who.md": _clause(
            0, "Who we are", "{{ company.name }} runs this shop.", "who-we-are"
        ),
    }
    for n, vector in enumerate(vectors, start=1):
        if vector.where == "body":
            files[f"policies/clauses/xss-{n:02d}.md"] = _clause(n, f"Vector {n}", vector.payload)
        elif vector.where == "title":
            files[f"policies/clauses/xss-{n:02d}.md"] = _clause(n, vector.payload, "Text.")
        elif vector.where == "variable":
            files[f"policies/clauses/xss-{n:02d}.md"] = _clause(
                n, "Vector {{ xss.html }}", "Run by {{ xss.html }}."
            )
        elif vector.where == "link-variable":
            files[f"policies/clauses/xss-{n:02d}.md"] = _clause(
                n, f"Vector {n}", "Use [our form]({{ xss.link }})."
            )
    return files


def _expected_problem(vector: Vector, n: int) -> str:
    """The exact line `policy check` prints for a rejected vector."""
    code, _, detail = vector.rejected.partition(":")
    path = f"policies/clauses/xss-{n:02d}.md"
    if code == "markdown.html":
        return f"{path}:7: raw HTML is not allowed in clause text. Use Markdown instead. [{code}]"
    if code == "markdown.image":
        return f"{path}:7: images are not allowed in clause text. Remove the image (![...](...)). [{code}]"
    if code == "markdown.unsafe-link":
        scheme, _, rest = detail.partition("@")
        scheme, _, variable = scheme.partition(":")
        line = rest or "7"
        if variable:
            return (
                f"{path}:{line}: links may only point to https:, http: or mailto: addresses, but "
                f"a variable here makes a '{scheme}:' link. Correct the variable's value in "
                f"policies/site.yml. [{code}]"
            )
        return (
            f"{path}:{line}: links may only point to https:, http: or mailto: addresses, not "
            f"'{scheme}:'. Remove the link or point it to a web page. [{code}]"
        )
    assert code == "text.html", code
    where = {
        "title": (path, 3) if vector.where == "title" else ("policies/site.yml", 1),
        "summary": ("policies/change.yml", 1),
        "name": ("policies/jurisdictions.yml", 5),
        "xss.html": ("policies/site.yml", 9),
    }[detail]
    return (
        f"{where[0]}:{where[1]}: '{detail}' is plain text and cannot contain HTML tags. "
        f"Remove the tags. [{code}]"
    )


ACCEPTED = [v for v in VECTORS if v.rejected is None]
REJECTED_TRANSLATIONS = [
    v for v in VECTORS if v.rejected is not None and v.where.startswith("translation")
]
REJECTED = [v for v in VECTORS if v.rejected is not None and v not in REJECTED_TRANSLATIONS]


def test_xss_corpus_is_large_enough():
    assert len(VECTORS) >= 20
    assert len({v.name for v in VECTORS}) == len(VECTORS)


def _accepted_project(root: Path) -> Project:
    """A project with every accepted vector, committed in three steps so redlines and the
    commit-subject fallback summary exist, with a complete German translation."""
    project = Project(root)
    files = _files(ACCEPTED, "[en, de]")
    summary = next(v.payload for v in ACCEPTED if v.where == "summary")
    subject = next(v.payload for v in ACCEPTED if v.where == "subject")
    translated = [v for v in ACCEPTED if v.where == "translation"]
    translated_title = next(v.payload for v in ACCEPTED if v.where == "translation-title")

    def translate(context: str, text: str) -> str:
        if context == "who-we-are" and text == "Who we are":
            return translated_title
        if context.startswith("xss-") and not text.startswith("Vector"):
            index = int(context[4:]) % len(translated)
            return translated[index].payload
        return f"DE {text}"

    def commit(message: str, files: dict[str, bytes], note: str | None) -> None:
        if note is not None:
            files = {**files, "policies/change.yml": _change(note)}
        project.write(files)
        policy, problems = sources.read_policy(read_folder(project.root))
        assert policy is not None, [str(p) for p in problems]
        project.commit(
            message, {"locales/de/LC_MESSAGES/policy.po": po_catalog(policy, "de", translate)}
        )

    commit("First version", files, summary)
    changed = {
        path: content.replace(b"in words", b"in other words") for path, content in files.items()
    }
    commit("Second version", changed, "Reworded.")
    who = changed["policies/clauses/who.md"].replace(b"runs this shop", b"runs the shop")
    commit(subject, {**changed, "policies/clauses/who.md": who}, None)
    return project


def _rejected_project(root: Path) -> Project:
    project = Project(root)
    files = _files(REJECTED, "[en]")
    summary = next(v.payload for v in REJECTED if v.where == "summary")
    files["policies/change.yml"] = _change("First version.")
    project.commit("First version", files)
    body = files["policies/clauses/who.md"].replace(b"runs this shop", b"runs the shop")
    project.commit(
        "Second version", {"policies/clauses/who.md": body, "policies/change.yml": _change(summary)}
    )
    return project


def _translations_project(root: Path) -> Project:
    """Clean English sources, and a German catalog carrying each refused translation vector in
    a clause of its own."""
    project = Project(root)
    files = _files([], "[en, de]")
    for n, _ in enumerate(REJECTED_TRANSLATIONS, start=1):
        files[f"policies/clauses/xss-{n:02d}.md"] = _clause(n, f"Vector {n}", f"Text {n}.")
    files["policies/change.yml"] = _change("First version.")
    project.write(files)
    policy, problems = sources.read_policy(read_folder(project.root))
    assert policy is not None, [str(p) for p in problems]

    def translate(context: str, text: str) -> str:
        if context.startswith("xss-"):
            vector = REJECTED_TRANSLATIONS[int(context[4:]) - 1]
            if text.startswith("Vector" if vector.where == "translation-title" else "Text"):
                return vector.payload
        return f"DE {text}"

    project.commit(
        "First version", {"locales/de/LC_MESSAGES/policy.po": po_catalog(policy, "de", translate)}
    )
    return project


@pytest.fixture(scope="module")
def accepted(tmp_path_factory) -> Project:
    """The project with every accepted vector (shared: building it takes a while)."""
    return _accepted_project(tmp_path_factory.mktemp("xss") / "accepted")


@pytest.fixture(scope="module")
def rejected(tmp_path_factory) -> Project:
    """The project with every rejected vector."""
    return _rejected_project(tmp_path_factory.mktemp("xss") / "rejected")


@pytest.fixture(scope="module")
def translations(tmp_path_factory) -> Project:
    """The project with every rejected translation."""
    return _translations_project(tmp_path_factory.mktemp("xss") / "translations")


def test_xss_check_rejects_each_rejected_translation_at_its_entry(translations):
    result = translations.policy("check")
    assert result.returncode == 1
    path = "locales/de/LC_MESSAGES/policy.po"
    catalog = read_catalog(translations.read(path))
    lines = {m.string: m.lineno for m in catalog if m.id}
    errors = [p for p in problems_of(result) if not p.endswith("[translation.links]")]
    expected = []
    for vector in REJECTED_TRANSLATIONS:
        code, _, scheme = vector.rejected.partition(":")
        said = (
            "raw HTML is not allowed in a translation. Use Markdown instead."
            if code == "markdown.html"
            else f"links may only point to https:, http: or mailto: addresses, not '{scheme}:'. "
            "Remove the link or point it to a web page."
        )
        expected.append(f"{path}:{lines[vector.payload]}: {said} [{code}]")
    assert sorted(errors) == sorted(expected)


def test_xss_check_rejects_each_rejected_vector_with_its_message(rejected):
    project = rejected
    result = project.policy("check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = sorted({_expected_problem(v, n) for n, v in enumerate(REJECTED, start=1)})
    *reported, summary = result.stderr.splitlines()
    assert re.fullmatch(r"\d+ errors?, \d+ warnings?", summary)
    assert reported == expected


def test_xss_check_accepts_each_neutralized_vector(accepted):
    project = accepted
    result = project.policy("check")
    assert result.returncode == 0, result.stderr
    # Translations that link elsewhere than their msgids (the corpus pairs vectors at random)
    # are warned about, and nothing else is.
    links = {link for vector in ACCEPTED for link in catalogs.links_in(vector.payload)}
    warnings = problems_of(result)
    assert links and warnings
    for warning in warnings:
        assert warning.endswith("[translation.links]"), warning
        assert any(link in warning for link in links), warning


def _probe_site(browser, site: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Every page of a built site loaded in Chromium: ({page: signs of script}, pages)."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    context = browser.new_context(java_script_enabled=True)
    with serve(site) as base:
        findings = probe_pages(context, [base + page for page in pages])
    context.close()
    return {url.split("/", 3)[3]: found for url, found in findings.items()}, pages


@in_chromium
def test_xss_probe_detects_script_it_is_shown(browser, tmp_path):
    """The probe is not blind: a page with a working payload is reported."""
    site = tmp_path / "canary"
    site.mkdir()
    (site / "index.html").write_text(
        f'<!doctype html><title>t</title><img src=x onerror="{X}">'
        '<a href="javascript:void 0">x</a><script>alert(1)</script>',
        encoding="utf-8",
    )
    findings, _ = _probe_site(browser, site)
    found = findings["index.html"]
    assert "window.__xss was set: a script ran" in found
    assert "dialog opened: 1" in found
    assert any(item.startswith("<img> has onerror=") for item in found)
    assert "<a> href=javascript:void 0" in found


@in_chromium
def test_xss_accepted_vectors_run_no_script_in_chromium(browser, accepted):
    project = accepted
    result = project.policy("build")
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    findings, pages = _probe_site(browser, site)
    assert findings == {}
    # Every vector reached a page: bodies and titles, the translation, summaries and subject.
    assert {
        "global/en/index.html",
        "global/de/index.html",
        "eu/de/changes/index.html",
        "global/en/changes/3/index.html",
    } <= set(pages)
    german = project.read("site/global/de/index.html")
    assert '<h2 id="who-we-are">Wer&#34; onmouseover=&#34;window.__xss=1&#34; x=&#34;' in german
    assert "<p>&lt;img src=x onerror=window.__xss=1&gt;</p>" in german
    assert 'title="a\\&quot; onmouseover=\\&quot;window.__xss=1"' in german  # one attribute
    changes = project.read("site/global/en/changes/index.html")
    assert "&lt;img src=x onerror=window.__xss=1&gt; tidy wording" in changes
    assert "&amp;lt;img src=x onerror=window.__xss=1&amp;gt;" in changes


@in_chromium
def test_xss_rejected_vectors_run_no_script_even_unchecked(browser, rejected, monkeypatch):
    project = rejected
    # Switch off the check's text rules: every rejected vector is now published.
    monkeypatch.setattr(sources, "body_problems", lambda text: [])
    monkeypatch.setattr(sources, "plain_text_problem", lambda value, key: None)
    monkeypatch.setattr(sources, "unsafe_scheme", lambda text: None)
    sources._PARSED.clear()
    try:
        build_site(BuildOptions(project_dir=project.root), project.root / "site")
    finally:
        sources._PARSED.clear()
    site = project.root / "site"
    findings, pages = _probe_site(browser, site)
    assert findings == {}
    page = project.read("site/eu/en/index.html")
    for n, vector in enumerate(REJECTED, start=1):
        if vector.where in {"body", "title", "variable", "link-variable"}:
            assert f'id="xss-{n:02d}"' in page, vector.name
    assert len(pages) >= 8


@in_chromium
def test_xss_rejected_translations_run_no_script_even_unchecked(browser, translations, monkeypatch):
    project = translations
    # Switch off the catalog's text rules: every rejected translation is now published.
    monkeypatch.setattr(catalogs, "body_problems", lambda text, where: [])
    build_site(BuildOptions(project_dir=project.root), project.root / "site")
    findings, pages = _probe_site(browser, project.root / "site")
    assert findings == {}
    german = project.read("site/global/de/index.html")
    assert '<p><a rel="noopener noreferrer">klick</a></p>' in german
    assert '<p><a rel="noopener noreferrer">x</a></p>' in german
    assert "&lt;/title&gt;&lt;script&gt;window.__xss=1&lt;/script&gt;" in german
    assert len(pages) >= 8
