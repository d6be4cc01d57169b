"""Property-based tests: random sources never make the parser, the check or composition raise
anything (every problem comes back as a `Problem`); a word diff applied to the old text gives the
new one; splitting into blocks round-trips; and whatever Markdown reaches `to_html`, the result
holds only the tags, attributes and link schemes the sanitizer allows."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import yaml
from conftest import BASE_FILES, WHO_MD
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.blocks import join_blocks, split_blocks
from generator.catalogs import Entry, Translations
from generator.check import check_files
from generator.compose import compose
from generator.diff import MAX_WORD_PAIRS, diff_words
from generator.errors import Problem
from generator.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, to_html
from generator.model import Edit
from generator.sources import read_policy
from generator.textcheck import body_problems

FAST = settings(max_examples=150, deadline=None)
"""Pure functions on small inputs: many examples, still well under a second or two."""
SLOW = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
"""Whole-policy checks (parse, compose every document): fewer examples."""

WHO = "policies/clauses/who.md"
_PROBLEM = re.compile(r"^[^\s:]+(?::\d+)?: .+ \[[a-z]+(?:[.-][a-z]+)*\]$", re.DOTALL)

# fmt: off
MARKDOWN_PIECES = [
    "", " ", "  ", "    ", "\t", "#", "###", "####### ", "- ", "* ", "+ ", "1. ", "10) ", "-",
    "word", "Wörter", "ümlaut", "中文", "عربى", "[", "]", "(", ")", "<", ">", "&", "&amp;",
    "&#106;", "*", "**", "_", "`", "\\", "!", "{{ company.name }}", "{{", "}}", "{%", "%}",
    "javascript:", "https://x.example", "mailto:a@b", "<b>", "</b>", "\u00a0", "\u3000",
    "\u2028", "|", "---", "> ", ":", "'", '"', "\n", "\n\n",
]
# fmt: on
markdown_text = st.lists(st.sampled_from(MARKDOWN_PIECES) | st.text(max_size=8), max_size=40).map(
    "".join
)
"""Text made of the pieces Markdown and our block splitter care about, and random text."""

yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["global", "eu", "replace", "extend", "who-we-are", "2026-13-45", "&a", "*a"]),
)
# fmt: off
KEYS = ["id", "title", "order", "jurisdictions", "topics", "variant_of", "jurisdiction", "mode",
        "name", "extends", "languages", "summary", "kind", "effective", "variables", "x"]
# fmt: on
yaml_data = st.recursive(
    yaml_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(KEYS) | st.text(max_size=6),
            children,
            max_size=5,
        )
    ),
    max_leaves=12,
)
yaml_noise = st.text(alphabet=":-[]{}&*!|>'\"#%@`,? \n\tab01", max_size=120)
"""Text dense in YAML's special characters."""


def _assert_only_problems(problems: list) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert _PROBLEM.match(str(problem)), str(problem)


def _files(**changes: bytes) -> dict[str, bytes]:
    files = {path: text.encode() for path, text in BASE_FILES.items()}
    files.update(changes)
    return files


# The parser and the check -----------------------------------------------------------------------


@SLOW
@given(st.binary(max_size=600))
@example(b"\xef\xbb\xbf---\r\nid: x\r\n---\r\n")
@example(b"---\n---\n")
@example(b"---\nid: a\x00\n---\n")
def test_clause_file_of_random_bytes_gives_problems_not_exceptions(data):
    policy, problems = read_policy(_files(**{WHO: data}))
    _assert_only_problems(problems)
    assert (policy is None) == any(p.severity.value == "error" for p in problems)


@SLOW
@given(st.one_of(yaml_data.map(yaml.safe_dump), yaml_noise), markdown_text)
def test_clause_with_random_front_matter_gives_problems_not_exceptions(header, body):
    text = f"---\n{header}\n---\n{body}\n"
    result = check_files(_files(**{WHO: text.encode()}))
    _assert_only_problems(result.problems)


@SLOW
@given(yaml_data, yaml_data, yaml_noise)
def test_random_yaml_files_give_problems_not_exceptions(site, jurisdictions, change):
    result = check_files(
        _files(
            **{
                "policies/site.yml": yaml.safe_dump(site).encode(),
                "policies/jurisdictions.yml": yaml.safe_dump(jurisdictions).encode(),
                "policies/change.yml": change.encode(),
            }
        )
    )
    _assert_only_problems(result.problems)


# Composition ------------------------------------------------------------------------------------


@SLOW
@given(markdown_text, st.lists(markdown_text, min_size=1, max_size=6))
def test_composition_with_random_text_and_translations_never_raises(body, translated):
    body_md = WHO_MD.replace(
        "{{ company.name }} runs this shop. Write to {{ contact.email }}.", body or "x"
    )
    result = check_files(_files(**{WHO: body_md.encode()}))
    _assert_only_problems(result.problems)
    policy = result.policy
    if policy is None:
        return
    # The same policy composed with a catalog that translates every message with random text.
    entries = {}
    for n, text in enumerate(policy.texts()):
        for source in [text.title or "", *(b.text for b in text.blocks)]:
            string = translated[n % len(translated)]
            entries[(text.context, source)] = Entry(
                string=string, fuzzy=False, path="locales/de/LC_MESSAGES/policy.po", line=n + 1
            )
    for jurisdiction in sorted(policy.jurisdictions):
        composition = compose(policy, jurisdiction, "de", Translations(entries))
        _assert_only_problems(composition.problems)
        for clause in composition.document.clauses:
            _assert_sanitized(clause.html)


# The sanitizer ----------------------------------------------------------------------------------


def _scheme(url: str) -> str | None:
    """The scheme a browser reads from an address (WHATWG URL: C0 controls and spaces trimmed
    at the ends, tabs and newlines dropped anywhere)."""
    clean = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", clean)
    return match.group(1).lower() if match else None


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        self.found.append((tag, attrs))


def _assert_sanitized(html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, (tag, html)
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"] | {"rel"}
        for name, value in attrs:
            assert name in allowed, (tag, name, html)
            if name == "href" and value:
                scheme = _scheme(value)
                assert scheme is None or scheme in URL_SCHEMES, (value, html)


@FAST
@given(markdown_text)
@example("<script>alert(1)</script>")
@example("[x](&#106;avascript:alert(1))")
@example("<svg/onload=alert(1)>")
@example("<a href='java\tscript:alert(1)'>x</a>")
@example("<!--><img src=x onerror=alert(1)>-->")
def test_to_html_keeps_only_allowed_tags_attributes_and_schemes(text):
    _assert_sanitized(to_html(text))


tag_like = st.lists(
    st.sampled_from(
        ["<", ">", "/", " ", "a", "b", "é", "ü", "_", ".", "-", ":", "@", "=", '"', "!"]
    )
    | st.text(max_size=3),
    max_size=30,
).map("".join)
"""Text near what Python-Markdown reads as a tag, an autolink or neither."""


@FAST
@given(markdown_text | tag_like)
@example("<numéro de client>")
@example("<Kunden-Nr.> und <nom_client>")
@example("<https://shop.example> <privacy@shop.example> <tel:123>")
def test_what_markdown_reads_as_raw_html_the_check_reports(text):
    """The page drops raw HTML (the sanitizer removes it), so the check must refuse whatever
    Python-Markdown itself stores as raw HTML, with the renderer's own settings: as HTML, or,
    for `<tel:123>` (a link meant, HTML to Markdown), as a link to a scheme not allowed."""
    renderer = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    renderer.convert(text)
    raw = [b for b in renderer.htmlStash.rawHtmlBlocks if isinstance(b, str) and b.startswith("<")]
    if raw:
        codes = {code for code, _, _ in body_problems(text)}
        assert codes & {"markdown.html", "markdown.unsafe-link"}, raw


# Diff ------------------------------------------------------------------------------------------


def apply(segments, side: Edit) -> str:
    """One side of a word diff: the equal text with the inserted (or the deleted) text."""
    return "".join(text for edit, text in segments if edit in (Edit.EQUAL, side))


words = st.lists(
    st.sampled_from(["the", "data", "we", "keep", " ", "  ", "\n", ",", ".", "ä", "’s", "x"])
    | st.text(max_size=5),
    max_size=60,
).map("".join)

REWRITE = " ".join(["x"] * 400), " ".join("xy"[i % 2] for i in range(400))
"""Two repetitive texts whose word diff would take a minute: over MAX_WORD_PAIRS."""


@FAST
@given(words, words)
@example(*REWRITE)
@example("same start, old middle, same end", "same start, new middle, same end")
@example("", "")
def test_diff_then_apply_gives_back_both_texts(old, new):
    segments = diff_words(old, new)
    assert apply(segments, Edit.INSERTED) == new
    assert apply(segments, Edit.DELETED) == old
    assert all(text for _, text in segments)
    assert all(a[0] is not b[0] for a, b in zip(segments, segments[1:], strict=False))


def test_diff_of_a_huge_rewrite_is_bounded():
    import time

    old, new = REWRITE
    tokens = len(re.findall(r"\s+|[\w’']+|[^\w\s]", old))
    assert tokens * tokens > MAX_WORD_PAIRS
    started = time.monotonic()
    segments = diff_words(old, new)
    assert time.monotonic() - started < 2
    assert segments[0] == (Edit.EQUAL, "x ")
    assert apply(segments, Edit.INSERTED) == new


# Blocks ----------------------------------------------------------------------------------------


def _shape(blocks) -> list[tuple]:
    return [(b.kind, b.prefix, b.text, b.group) for b in blocks]


@FAST
@given(markdown_text)
@example("    - indented four")
@example("  ## indented heading")
@example("para\n- item\n## head\nmore")
@example("\u3000- wide space")
@example("#\n#")
def test_blocks_split_join_split_round_trips(body):
    blocks = split_blocks(body)
    again = split_blocks(join_blocks((b, b.text) for b in blocks))
    assert _shape(again) == _shape(blocks)


@FAST
@given(
    st.lists(
        st.lists(st.sampled_from(["a", "wörd", "中文", "x", "{{ y }}"]), min_size=0, max_size=3),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from([" ", "  ", "\t", " \u3000 ", "\u00a0"]),
)
def test_a_block_knows_the_line_of_each_place_in_it(lines, space):
    """However a paragraph is wrapped and spaced, each of its words is at the line it is on in
    the file (`Block.line_at`): problems found in a paragraph are reported there."""
    words = [
        [f"{word}{row}{column}" for column, word in enumerate(row_words)]
        for row, row_words in enumerate(lines)
    ]
    source = [space.join([f"line{row}", *row_words]) for row, row_words in enumerate(words)]
    (block,) = split_blocks("\n".join(source), 7)
    for row, row_words in enumerate(words):
        for word in row_words:
            assert block.line_at(block.text.index(word)) == 7 + row, (source, word)
