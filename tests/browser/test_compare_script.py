"""The compare page diffs two versions in the browser (policy.js); the redline pages are diffed by
diff.py. A shopper who compares version 2 with version 3 must see what the redline of version 3
shows, so the script must split words, pair paragraphs and bound its cost exactly as diff.py does.
Here both run on the same seeded random texts, in the machine's Chromium, and must agree."""

from __future__ import annotations

import dataclasses
import json
import random
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_browser import chromium
from playwright.sync_api import Page

from generator import diff
from generator.markup import shown_blocks, to_html
from generator.model import ComposedClause, Document

pytestmark = pytest.mark.browser

SCRIPT = Path(diff.__file__).parent / "assets" / "policy.js"

WORDS = (  # noqa: SIM905 - a sentence's words are easier to read as a sentence
    "we keep your order records for six years data , . ; : ( ) “ ” ' ’ don't l'adresse 10 2026 "
    "1,000 Datenschutz straße café naïve a_b x2 ½ ² – — … 我们 保存 您的 订单 记录 个人信息 データ "
    "を 保存 します 데이터를 보관합니다 نحن نحتفظ بسجلات طلبك لمدة ست سنوات हम आपका डेटा रखते हैं"
).split()
SPACES = [" ", " ", " ", "", "  ", "\u00a0", "\u3000", "\t"]


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    """A blank page with policy.js loaded."""
    with chromium() as browser:
        page = browser.new_page()
        page.set_content("<!doctype html><html><body></body></html>")
        page.add_script_tag(path=str(SCRIPT))
        yield page


def _text(rng: random.Random, words: int) -> str:
    return "".join(rng.choice(WORDS) + rng.choice(SPACES) for _ in range(words)).strip()


def _edited(rng: random.Random, text: str, edits: int) -> str:
    words = text.split(" ")
    for _ in range(edits):
        at = rng.randrange(len(words) + 1)
        kind = rng.random()
        if kind < 0.4:
            words.insert(at, rng.choice(WORDS))
        elif words and kind < 0.7:
            del words[min(at, len(words) - 1)]
        elif words:
            words[min(at, len(words) - 1)] = rng.choice(WORDS)
    return " ".join(words)


def test_words_are_split_as_diff_py_splits_them(page: Page) -> None:
    # Every character Python's Unicode tables know (private use aside), each between letters, so
    # that each is seen both on its own and next to a word. The tokens are compared by their
    # lengths in UTF-16 units, which is what the page has to send back.
    known = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) not in {"Cn", "Co", "Cs"}
    ]
    text = "".join(f"a{c}b {c}{c} " for c in known)
    lengths = page.evaluate(
        "t => window.policyDiff.tokens(t).map(token => token.length).join(',')", text
    )
    assert lengths == ",".join(
        str(len(t.encode("utf-16-le")) // 2) for t in diff._TOKEN.findall(text)
    )


def test_word_diffs_agree_with_diff_py(page: Page) -> None:
    rng = random.Random(7)
    pairs = []
    for _ in range(300):
        # Up to 400 words, past the size (about 160 on each side) above which the cost is bounded.
        old = _text(rng, rng.choice([1, 3, 8, 20, 60, 200, 400]))
        pairs.append((old, _edited(rng, old, rng.choice([1, 2, 5, 20, 200]))))
    in_browser = page.evaluate(
        "pairs => pairs.map(p => window.policyDiff.diffWords(p[0], p[1]))", pairs
    )
    expected = [[[e.value, t] for e, t in diff.diff_words(a, b)] for a, b in pairs]
    assert sum(len(segments) > 1 for segments in expected) > 250
    for pair, got, want in zip(pairs, in_browser, expected, strict=True):
        assert got == want, pair


def test_blocks_and_paragraph_diffs_agree_with_diff_py(page: Page) -> None:
    """Clause bodies in the Markdown authors write (lists numbered or not, loose or tight,
    sub-headings, emphasis, links, code, line breaks, tables), each rendered by the real pipeline:
    both read the same blocks and links from the HTML, mark the same changes, and tell the same
    links that lead elsewhere and the same changes of formatting alone."""
    rng = random.Random(11)
    cases = []
    for _ in range(150):
        old = [_markdown_block(rng) for _ in range(rng.randrange(1, 10))]
        new = list(old)
        for _ in range(rng.randrange(1, 6)):
            at = rng.randrange(len(new) + 1)
            kind = rng.random()
            if kind < 0.3:
                new.insert(at, _markdown_block(rng))
            elif new and kind < 0.5:
                del new[min(at, len(new) - 1)]
            elif new and kind < 0.7:
                at = min(at, len(new) - 1)
                new[at] = _restyled(rng, new[at])
            elif new:
                at = min(at, len(new) - 1)
                new[at] = _edited(rng, new[at], rng.choice([1, 3, 10]))
        cases.append((to_html("\n\n".join(old)), to_html("\n\n".join(new))))
    in_browser = page.evaluate(
        """cases => cases.map(c => {
            const [a, b] = c.map(window.policyDiff.blocks);
            return [a, b, window.policyDiff.diffParagraphs(a, b)];
        })""",
        cases,
    )
    unseen = {"links": 0, "restyled": 0}
    for case, (old_blocks, new_blocks, redline) in zip(cases, in_browser, strict=True):
        before, after = (shown_blocks(html) for html in case)
        assert old_blocks == [_as_json(b) for b in before], case[0]
        assert new_blocks == [_as_json(b) for b in after], case[1]
        want = diff.diff_paragraphs(before, after)
        assert redline == [_as_json(p) for p in want], case
        unseen["links"] += sum(bool(p.links) for p in want)
        unseen["restyled"] += sum(p.restyled for p in want)
    assert unseen["links"] > 20 and unseen["restyled"] > 10, unseen


def _as_json(value: object) -> object:
    """A dataclass as the script's objects are: tuples as lists, enums as their values."""
    return json.loads(
        json.dumps(dataclasses.asdict(value), default=lambda e: e.value)  # type: ignore[call-overload]
    )


def _restyled(rng: random.Random, block: str) -> str:
    """A block whose links lead elsewhere, or whose emphasis is gone or new, words unchanged."""
    if "example/a" in block and rng.random() < 0.5:
        return block.replace("example/a", "example/b", 1)
    if "**" in block and rng.random() < 0.5:
        return block.replace("**", "")
    words = block.split(" ")
    at = rng.randrange(len(words))
    if words[at].isalpha():
        words[at] = f"*{words[at]}*"
    return " ".join(words)


def _markdown_block(rng: random.Random) -> str:
    """A block of a clause body: a paragraph, a list, a sub-heading or a table."""

    def line() -> str:
        words = _text(rng, rng.choice([2, 6, 15])).split(" ")
        for at in rng.sample(range(len(words)), k=min(len(words), 2)):
            words[at] = rng.choice(
                [
                    "**{}**",
                    "*{}*",
                    "[{}](https://shop.example/a)",
                    "[{}](https://shop.example/b)",
                    "`{}`",
                    "{}",
                ]
            ).format(words[at].strip("*`[]_") or "x")
        return " ".join(words)

    kind = rng.random()
    if kind < 0.35:
        return line() + rng.choice(["", "\n" + line(), "  \n" + line()])
    if kind < 0.75:
        marker = rng.choice(["- ", "* ", "1. ", "3. "])
        items = [line() for _ in range(rng.randrange(1, 5))]
        numbered = marker[0].isdigit()
        return rng.choice(["\n", "\n\n"]).join(
            (f"{int(marker[0]) + n}. " if numbered and rng.random() < 0.5 else marker) + item
            for n, item in enumerate(items)
        )
    if kind < 0.9:
        return rng.choice(["### ", "#### ", "##### "]) + line()
    return "| a | b |\n|---|---|\n| " + line() + " | " + line() + " |"


def test_document_diffs_follow_changed_ids_as_diff_py_does(page: Page) -> None:
    """Clauses added, removed, moved, edited and given new ids, with the former ids the compare
    page hands the script (some of which must not pair: an old id the newer version still has,
    or one the older version never had)."""
    rng = random.Random(5)
    cases = []
    for case in range(200):
        old = [_clause(f"c{n}", rng) for n in range(rng.randrange(1, 8))]
        new = list(old)
        formers: dict[str, list[str]] = {}
        for step in range(rng.randrange(1, 5)):
            kind, at = rng.random(), rng.randrange(len(new)) if new else 0
            fresh = f"n{case}-{step}"
            if not new or kind < 0.2:
                new.insert(at, _clause(fresh, rng))
            elif kind < 0.5:  # a new id, the text edited or not
                edited = _edited(rng, new[at].title, 1) if rng.random() < 0.5 else new[at].title
                formers[fresh] = [new[at].id]
                new[at] = dataclasses.replace(new[at], id=fresh, title=edited)
            elif kind < 0.6:  # a former id that cannot pair
                formers.setdefault(new[at].id, []).append(rng.choice(["c0", "gone"]))
            elif kind < 0.75:
                del new[at]
            elif kind < 0.9:
                new.insert(rng.randrange(len(new)), new.pop(at))
            else:
                new[at] = dataclasses.replace(new[at], html=to_html(_text(rng, 6)))
        cases.append((old, new, formers))

    def published(clauses: list[ComposedClause]) -> dict:
        return {"clauses": [{"id": c.id, "title": c.title, "html": c.html} for c in clauses]}

    in_browser = page.evaluate(
        """cases => cases.map(c => window.policyDiff.diffDocuments(c[0], c[1], c[2]).map(
            change => [change.id, change.type, change.moved, change.renamedFrom, change.oldTitle]))""",
        [(published(old), published(new), formers) for old, new, formers in cases],
    )
    renamed = 0
    for (old, new, formers), got in zip(cases, in_browser, strict=True):
        want = diff.diff_documents(_document(old), _document(new), formers)
        renamed += sum(c.renamed_from is not None for c in want)
        assert got == [
            [c.clause_id, c.type.value, c.moved, c.renamed_from, c.old_title] for c in want
        ], (old, new, formers)
    assert renamed > 50


def _clause(clause_id: str, rng: random.Random) -> ComposedClause:
    text = _text(rng, 6)
    return ComposedClause(
        id=clause_id,
        title=_text(rng, 2),
        paragraphs=(text,),
        html=to_html(text),
        topics=(),
        contexts=(clause_id,),
    )


def _document(clauses: list[ComposedClause]) -> Document:
    return Document(jurisdiction="eu", language="en", clauses=tuple(clauses))


ISOLATED = [
    ("Example Shop Ltd.", "ltr"),
    ("Example Shop", "ltr"),
    ("UK", "ltr"),
    ("+44 20 7946 0000", "ltr"),
    ("Smith & Sons <UK>", "ltr"),
    ("شركة المثال", "rtl"),
]


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>تدير <strong>Example Shop Ltd.</strong> المتجر و Example Shop و UKIP و UK.</p>",
        "<p>اتصل على +44 20 7946 0000، أو Example\nShop Ltd.x</p>",
        "<p>يدير Smith &amp; Sons &lt;UK&gt; المتجر &amp; الموقع.</p>",
        '<p><a href="https://x.example/Example Shop Ltd.">Example Shop Ltd.</a> شركة المثال</p>',
    ],
)
def test_values_are_isolated_as_bidi_py_isolates_them(page: Page, fragment: str) -> None:
    """The comparison page's script isolates the values the server-drawn pages isolate, the
    same way: the same bytes from the same HTML."""
    from generator.bidi import isolate

    expected = str(isolate(fragment, [v for v, _ in ISOLATED], "rtl"))
    found = page.evaluate(
        """([html, pairs]) => {
            const root = document.createElement("div");
            root.innerHTML = html;
            window.policyDiff.isolate(root, pairs);
            return root.innerHTML;
        }""",
        [fragment, [list(p) for p in ISOLATED if p[1] == "ltr"]],
    )
    assert found == expected
