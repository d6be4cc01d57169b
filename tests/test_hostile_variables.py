"""Template variables are plain references, parsed by Jinja and looked up by key in site.yml's
values: attribute tricks, expressions, huge expansions, recursion and names no clause can write
are refused with a clear error that names the file and line (the catalog's, for a
translation)."""

from __future__ import annotations

import time

import pytest
from conftest import BASE_FILES, JURISDICTIONS_YML, WHO_MD
from hostile_helpers import po_catalog

from generator.blocks import split_blocks
from generator.check import check_files
from generator.errors import Problems
from generator.sources import read_policy
from generator.variables import MAX_OUTPUT, Variables

VALUES = {"company": {"name": "Example Shop Ltd."}, "contact": {"email": "privacy@shop.example"}}

PRIVATE = (
    "'{}' is not a variable: names may not start with '_'. Use a variable defined under "
    "'variables' in policies/site.yml. [variable.private]"
)
EXPRESSION = (
    "only plain variables such as {{{{ company.name }}}} are allowed in clause text (found {}). "
    "Remove the expression or define the value as a variable in policies/site.yml. "
    "[variable.expression]"
)

TRICKS = [
    ("{{ ''.__class__ }}", PRIVATE.format("__class__")),
    ("{{ company.__class__.__mro__ }}", PRIVATE.format("__mro__")),
    ("{{ company.name.__class__.__base__.__subclasses__ }}", PRIVATE.format("__subclasses__")),
    ("{{ cycler.__init__.__globals__.os }}", PRIVATE.format("__globals__")),
    ("{{ _self }}", PRIVATE.format("_self")),
    ("{{ company.name|upper }}", EXPRESSION.format("a filter")),
    ("{{ company.name|attr('__class__') }}", EXPRESSION.format("a filter")),
    ("{{ range(10**9) }}", EXPRESSION.format("a function call")),
    ("{{ lipsum(10**6) }}", EXPRESSION.format("a function call")),
    ("{{ company['name'] }}", EXPRESSION.format("a subscript")),
    ("{{ 'x' * 10**9 }}", EXPRESSION.format("an operator")),
    ("{{ company.name if company }}", EXPRESSION.format("a condition")),
    ("{{ [company.name] * 9 }}", EXPRESSION.format("an operator")),
    ("{{ company.name ~ company.name }}", EXPRESSION.format("an operator")),
    ("{{ [1, 2] }}", EXPRESSION.format("a literal value")),
    (
        "{% set x = 'a' * 9 %}{{ x }}",
        "template statements and comments ({% ... %}, {# ... #}) are not allowed; only variables "
        "such as {{ company.name }}. [variable.statement]",
    ),
    (
        "{{ lipsum }}",
        "undefined variable 'lipsum'. Define it under 'variables' in policies/site.yml or correct "
        "the name. [variable.undefined]",
    ),
]


def fill(text: str, values=VALUES) -> tuple[str | None, list[str]]:
    problems = Problems()
    result = Variables(values).fill(text, "policies/clauses/x.md", 12, problems)
    return result, [str(p) for p in problems]


@pytest.mark.parametrize(("text", "message"), TRICKS, ids=[t for t, _ in TRICKS])
def test_variable_trick_is_refused_naming_file_and_line(text, message):
    result, problems = fill(f"Run by {text}.")
    assert result is None
    assert problems == [f"policies/clauses/x.md:12: {message}"]


REFUSED = [
    *((text, message) for text, message in TRICKS if "[variable.private]" in message),
    *((text, message) for text, message in TRICKS if "[variable.expression]" in message),
    (
        "{{ company.name + }}",
        "template syntax error: unexpected 'end of print statement'. Write variables as "
        "{{ company.name }}. [variable.syntax]",
    ),
    (
        "{{ company.name",
        "template syntax error: expected token 'end of print statement', got 'here'. Write "
        "variables as {{ company.name }}. [variable.syntax]",
    ),
    (
        "{{ company" + ".name" * 5000 + " }}",
        "the expression is nested too deeply to read. Write variables as {{ company.name }}. "
        "[variable.syntax]",
    ),
]


@pytest.mark.parametrize(("text", "message"), REFUSED, ids=[t[:40] for t, _ in REFUSED])
def test_variable_trick_is_reported_at_the_line_it_is_on(text, message):
    """In a paragraph wrapped over several lines, at the line the trick is on, not the
    paragraph's first (which has a plain variable, and a `}}`-less brace)."""
    (block,) = split_blocks(f"{{{{ company.name }}}} runs {{ this\nshop, with\n{text} here.", 12)
    problems = Problems()
    Variables(VALUES).fill(block.text, "policies/clauses/x.md", block.line, problems, block.breaks)
    assert [str(p) for p in problems] == [f"policies/clauses/x.md:14: {message}"]


def test_plain_variables_are_filled():
    assert fill("{{ company.name }} at {{contact.email}}.") == (
        "Example Shop Ltd. at privacy@shop.example.",
        [],
    )


def test_huge_expansion_is_refused_before_it_is_built():
    """A 10 MB value used a thousand times would be 10 GB of text: measured, never rendered."""
    values = {"big": "x" * 10_000_000}
    started = time.monotonic()
    result, problems = fill("{{ big }}" * 1000, values)
    assert time.monotonic() - started < 1
    assert result is None
    assert problems == [
        f"policies/clauses/x.md:12: the text would be 10,000,009,000 characters once variables "
        f"are filled in, over the limit of {MAX_OUTPUT:,}. Use fewer or shorter variables. "
        "[variable.too-long]"
    ]


def test_value_is_inserted_as_is_never_filled_again():
    """A value that looks like a reference cannot recurse: it is text (and site.yml refuses it)."""
    result, problems = fill("{{ a }}", {"a": "{{ a }}{{ a }}"})
    assert (result, problems) == ("{{ a }}{{ a }}", [])


@pytest.mark.parametrize(
    "text",
    [
        "{{ " + "(" * 3000 + "company.name" + ")" * 3000 + " }}",
        "{{ company" + ".name" * 5000 + " }}",
    ],
    ids=["parentheses", "attributes"],
)
def test_expression_nested_deeper_than_the_stack_is_refused(text):
    result, problems = fill(text)
    assert result is None
    assert problems == [
        "policies/clauses/x.md:12: the expression is nested too deeply to read. Write variables "
        "as {{ company.name }}. [variable.syntax]"
    ]


def test_each_bad_variable_is_reported_at_its_own_line_of_the_clause():
    who = WHO_MD.replace(
        "{{ company.name }} runs this shop. Write to {{ contact.email }}.",
        "{{ company.name }} runs this shop.\n\n"
        "- {{ ''.__class__ }}\n"
        "- {{ contact.email|e }}\n\n"
        "### {{ company.__dict__ }}\n\n"
        "Fine: {{ contact.email }}.",
    )
    files = {path: text.encode() for path, text in BASE_FILES.items()}
    files["policies/clauses/who.md"] = who.encode()
    policy, problems = read_policy(files)
    assert policy is None
    assert [str(p) for p in problems] == [
        f"policies/clauses/who.md:10: {PRIVATE.format('__class__')}",
        f"policies/clauses/who.md:11: {EXPRESSION.format('a filter')}",
        f"policies/clauses/who.md:13: {PRIVATE.format('__dict__')}",
    ]


def test_a_translation_with_a_trick_is_reported_at_its_catalog_line():
    files = {path: text.encode() for path, text in BASE_FILES.items()}
    files["policies/jurisdictions.yml"] = JURISDICTIONS_YML.replace("[en]", "[en, de]").encode()
    policy, _ = read_policy(files)

    def translate(context: str, text: str) -> str:
        if text == "your name;":
            return "Ihr Name {{ company.__init__.__globals__ }};"
        if text == "Who we are":
            return "Wer {{ contact.emial }} ist"
        return f"DE {text}"

    catalog = po_catalog(policy, "de", translate)
    files["locales/de/LC_MESSAGES/policy.po"] = catalog
    lines = catalog.decode().splitlines()
    trick = lines.index('msgid "your name;"') + 1  # the msgid's line
    typo = lines.index('msgid "Who we are"') + 1
    result = check_files(files)
    errors = [str(p) for p in result.problems if p.severity.value == "error"]
    keep = (
        "compared with its msgid. Keep exactly the msgid's variables, written as there (they are "
        "filled in on the page). [translation.variables]"
    )
    assert errors == [
        f"locales/de/LC_MESSAGES/policy.po:{typo}: the translation adds {{{{ contact.emial }}}} "
        f"{keep}",
        f"locales/de/LC_MESSAGES/policy.po:{trick}: the translation adds "
        f"{{{{ company.__init__.__globals__ }}}} {keep}",
        f"locales/de/LC_MESSAGES/policy.po:{trick}: {PRIVATE.format('__globals__')}",
    ]


def test_a_variable_is_its_value_even_when_named_like_a_method_of_a_mapping():
    """`company.values` is the variable of that name: were it read as an attribute, the page
    would show a method's address, different at every build."""
    values = {"company": {"values": "Honesty first", "items": "Gift cards", "copy": "Yes"}}
    assert fill("{{ company.values }}; {{ company.items }}; {{ company.copy }}.", values) == (
        "Honesty first; Gift cards; Yes.",
        [],
    )


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("'a.b'", "a.b"),
        ("'my name'", "my name"),
        ("none", "none"),
        ("_secret", "_secret"),
        ("'7'", "7"),
        ("'" + "(" * 400 + "a" + ")" * 400 + "'", "(" * 400 + "a" + ")" * 400),
    ],
    ids=["dot", "space", "none", "private", "number", "nested-400-deep"],
)
def test_a_variable_whose_name_clauses_cannot_write_is_refused_at_its_line(key, name):
    files = {path: text.encode() for path, text in BASE_FILES.items()}
    files["policies/site.yml"] = (BASE_FILES["policies/site.yml"] + f"  {key}: x\n").encode()
    policy, problems = read_policy(files)
    assert policy is None
    assert [str(p) for p in problems] == [
        f"policies/site.yml:8: variable '{name}' has a name clause text cannot write as "
        f"{{{{ {name} }}}}. Name variables and their groups with letters, digits and '_', "
        "starting with a letter (true, false and none are values, not names). "
        "[site.variable-name]"
    ]


def test_a_bad_variable_in_a_title_is_reported_at_the_title_line():
    files = {path: text.encode() for path, text in BASE_FILES.items()}
    files["policies/clauses/who.md"] = WHO_MD.replace(
        "title: Who we are", "title: Who {{ company.nmae }} is"
    ).encode()
    policy, problems = read_policy(files)
    assert policy is None
    assert [str(p) for p in problems] == [
        "policies/clauses/who.md:3: undefined variable 'company.nmae'. Did you mean "
        "'company.name'? Define it under 'variables' in policies/site.yml or correct the name. "
        "[variable.undefined]"
    ]
