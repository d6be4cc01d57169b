"""Fill `{{ company.name }}`-style variables into clause text, safely.

Clause text comes from many editors and translators, so it is treated as untrusted: only plain
variable references are allowed (no filters, calls, operators or statements), parsed by Jinja's
sandbox and looked up by key in the values of `site.yml` (never as attributes: `company.values` is
the variable of that name, not a method of the mapping), and a variable that `site.yml` does not
define is an error, never an empty string.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from generator.errors import Problems
from generator.model import line_at

MAX_OUTPUT = 20_000
"""A block longer than this after filling in variables is refused (a runaway expansion)."""

VALUE_CONTEXT = "variable."
"""Catalogs translate the value of a variable `translated_variables` names (`company.country`)
under the message context `variable.company.country` (no clause id has a dot)."""


def has_template_syntax(value: str) -> bool:
    """Whether a variable's value would read as template syntax: values are inserted as they
    are, never filled in again, so '{{ ... }}' in one would be published as it is."""
    return "{{" in value or "{%" in value or "{#" in value


_ALLOWED = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Getattr)

STATEMENT_MESSAGE = (
    "template statements and comments ({% ... %}, {# ... #}) are not allowed; only variables "
    "such as {{ company.name }}."
)


_WRITE_AS = "Write variables as {{ company.name }}."
"""The end of the message for a text whose template syntax cannot be read."""


def statement_at(text: str) -> int | None:
    """Where the first template statement or comment (`{% ... %}`, `{# ... #}`) is in a text;
    None if it has none."""
    found = [at for at in (text.find("{%"), text.find("{#")) if at >= 0]
    return min(found) if found else None


_WHAT = {
    "Filter": "a filter",
    "Call": "a function call",
    "Getitem": "a subscript",
    "CondExpr": "a condition",
}
"""Plain words for the expressions editors most often try."""

_PARSER = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
"""Reads clause text as Jinja would; nothing is rendered by Jinja (see `Variables._render`)."""


class Variables:
    """The variables of one policy, and a cache of the blocks filled in with them."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)
        self._paths = {".".join(path): path for path in _paths(self._values) if can_reference(path)}
        """Each variable clause text can name, by its dotted name: the keys to look it up by."""
        self._names = sorted(self._paths)
        self._cache: dict[str, _Filled | tuple[_Refusal, ...]] = {}

    @property
    def names(self) -> list[str]:
        """Every defined variable, dotted (`company.name`)."""
        return self._names

    def value(self, name: str) -> Any:
        """The value of the variable `name` (dotted); None when no single variable has it."""
        return self._value(name) if name in self._paths else None

    def fill(
        self,
        text: str,
        path: str,
        line: int,
        problems: Problems,
        breaks: tuple[int, ...] = (),
    ) -> str | None:
        """The text with its variables filled in; None (and a problem for each reason) when that
        is impossible. The text begins on `line` of `path`; `breaks`, where in it each further
        line of the file begins (`Block.breaks`), puts each problem on the line of its place."""
        if "{" not in text:
            return text
        cached = self._cache.get(text)
        if cached is None:
            cached = self._cache[text] = self._fill(text)
        if isinstance(cached, tuple):
            for refusal in cached:
                problems.add(
                    path, line_at(line, breaks, refusal.offset), refusal.code, refusal.message
                )
            return None
        return cached.text

    def filled_in(self, text: str) -> tuple[tuple[str, str], ...]:
        """(name, value as text) of each variable filling `text` puts into it, each once; none
        when it has no variables or cannot be filled. Ask after `fill`, which reads the text."""
        cached = self._cache.get(text) if "{" in text else None
        return cached.values if isinstance(cached, _Filled) else ()

    def _fill(self, text: str) -> _Filled | tuple[_Refusal, ...]:
        """The filled text, or why it cannot be filled: each reference to no variable, or the
        one thing that keeps the text from being read."""
        statement = statement_at(text)
        if statement is not None:
            return (_Refusal("variable.statement", STATEMENT_MESSAGE, statement),)
        try:
            tree = _PARSER.parse(text)
            refused = _refuse(tree)
            references = list(_references(tree))
        except TemplateSyntaxError as error:
            refused = ("variable.syntax", f"template syntax error: {error.message}. {_WRITE_AS}")
        except RecursionError:
            refused = (
                "variable.syntax",
                f"the expression is nested too deeply to read. {_WRITE_AS}",
            )
        if refused is not None:
            return (_Refusal(*refused, offset=_culprit(text, refused[0])),)
        unknown = [r for r in dict.fromkeys(references) if r not in self._paths]
        if unknown:
            where = places(text)
            refusals = (_Refusal(*self._unknown(r), offset=where.get(r, 0)) for r in unknown)
            return tuple(sorted(refusals, key=lambda refusal: refusal.offset))
        # Measure before rendering: a large value used many times must not fill the memory.
        size = len(text) + sum(len(str(self._value(r))) for r in references)
        if size > MAX_OUTPUT:
            return (
                _Refusal(
                    "variable.too-long",
                    f"the text would be {size:,} characters once variables are filled in, over "
                    f"the limit of {MAX_OUTPUT:,}. Use fewer or shorter variables.",
                ),
            )
        return self._render(tree)

    def _unknown(self, reference: str) -> tuple[str, str]:
        """(code, message) for a reference to no variable: a group of them, or nothing."""
        if any(n.startswith(reference + ".") for n in self._names):
            return "variable.group", self._group(reference)
        return "variable.undefined", self._undefined(reference)

    def _render(self, tree: nodes.Template) -> _Filled:
        """The checked template's output: its text, and `str` of each variable's value (as
        Jinja's compiled code would print it, without compiling it: compiling costs milliseconds
        per text, and a long history has thousands of texts)."""
        parts: list[str] = []
        values: dict[str, str] = {}
        for output in tree.find_all(nodes.Output):
            for child in output.nodes:
                if isinstance(child, nodes.TemplateData):
                    parts.append(child.data)
                else:
                    name = ".".join(_path(child))
                    value = values[name] = str(self._value(name))
                    parts.append(value)
        return _Filled(text="".join(parts), values=tuple(values.items()))

    def _value(self, reference: str) -> Any:
        value: Any = self._values
        for key in self._paths[reference]:
            value = value[key]
        return value

    def _group(self, reference: str) -> str:
        members = [n for n in self._names if n.startswith(reference + ".")]
        return (
            f"'{reference}' is a group of variables, not one value. Use one of: "
            f"{', '.join(members[:5])}."
        )

    def _undefined(self, reference: str) -> str:
        hint = difflib.get_close_matches(reference, self._names, n=1)
        fix = f" Did you mean '{hint[0]}'?" if hint else ""
        return (
            f"undefined variable '{reference}'.{fix} Define it under 'variables' in "
            "policies/site.yml or correct the name."
        )


@dataclass(frozen=True, slots=True)
class _Refusal:
    """Why a text cannot be filled in, and where in it (an offset; 0: the text as a whole)."""

    code: str
    message: str
    offset: int = 0


_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
"""One `{{ ... }}` of a text, as Jinja reads it when no string in it holds a `}}`."""


def _expressions(text: str) -> Iterator[tuple[int, str]]:
    """Where each `{{ ... }}` of a text begins, and its own text: each is read on its own to
    find which one a problem of the whole text is in."""
    for match in _EXPRESSION.finditer(text):
        yield match.start(), match.group()


def places(text: str) -> dict[str, int]:
    """Where the first `{{ ... }}` naming each variable is in a text (however spaced), by its
    dotted name: one reading of the text, however many variables it names."""
    found: dict[str, int] = {}
    for at, expression in _expressions(text):
        name = _named(expression)
        if name is not None:
            found.setdefault(name, at)
    return found


def _culprit(text: str, code: str) -> int:
    """Where in a text refused with `code` the first `{{ ... }}` refused with it on its own is;
    else an unclosed `{{` after the last whole one (a syntax error); else 0, the text as a
    whole."""
    end = 0
    for at, expression in _expressions(text):
        if _refusal(expression) == code:
            return at
        end = at + len(expression)
    return max(text.find("{{", end), 0) if code == "variable.syntax" else 0


def _refusal(expression: str) -> str | None:
    """The code a text of this one `{{ ... }}` alone is refused with; None if it is a plain
    variable."""
    try:
        refused = _refuse(_PARSER.parse(expression))
    except (TemplateSyntaxError, RecursionError):
        return "variable.syntax"
    return refused[0] if refused else None


def _named(expression: str) -> str | None:
    """The variable one plain `{{ ... }}` names, dotted; None if it is anything else."""
    try:
        tree = _PARSER.parse(expression)
    except (TemplateSyntaxError, RecursionError):
        return None
    if _refuse(tree) is not None:
        return None
    (reference,) = _references(tree)
    return reference


@dataclass(frozen=True, slots=True)
class _Filled:
    """A text with its variables filled in, and the values that filled them."""

    text: str
    values: tuple[tuple[str, str], ...]
    """(name, value as text) of each variable, in order of first use."""


@lru_cache(maxsize=64)
def _variables_for(fingerprint: str) -> Variables:
    return Variables(json.loads(fingerprint))


def variables_for(values: Mapping[str, Any]) -> Variables:
    """The (shared, cached) variables object for these values."""
    return _variables_for(json.dumps(values, sort_keys=True, default=str))


def _paths(values: Mapping[Any, Any], prefix: tuple = ()) -> Iterator[tuple]:
    """The keys of each single value (not a group of them), outermost first."""
    for key, value in values.items():
        if isinstance(value, Mapping):
            yield from _paths(value, (*prefix, key))
        else:
            yield (*prefix, key)


def can_reference(path: tuple) -> bool:
    """Whether clause text can write the variable whose keys are `path` (outermost first) as
    `{{ a.b }}`: not a key with a dot or a space in it, nor one that Jinja reads as something
    else (`true`, `none`, a number)."""
    if not all(isinstance(key, str) for key in path):
        return False
    try:
        tree = _PARSER.parse("{{ " + ".".join(path) + " }}")
    except (TemplateSyntaxError, RecursionError):
        return False
    found = [child for output in tree.find_all(nodes.Output) for child in output.nodes]
    return _refuse(tree) is None and len(found) == 1 and _path(found[0]) == list(path)


def _references(tree: nodes.Template) -> Iterator[str]:
    """Dotted names of the outermost variable references in a parsed template."""
    for output in tree.find_all(nodes.Output):
        for child in output.nodes:
            if not isinstance(child, nodes.TemplateData):
                yield ".".join(_path(child))


def _path(node: nodes.Node) -> list[str]:
    """The keys a reference (`a.b.c`, a name and attributes of it) names, outermost first."""
    parts: list[str] = []
    while isinstance(node, nodes.Getattr):
        parts.append(node.attr)
        node = node.node
    if isinstance(node, nodes.Name):
        parts.append(node.name)
    return parts[::-1]


def _refuse(tree: nodes.Template) -> tuple[str, str] | None:
    """(code, message) for the first thing in a parsed text that is not a plain variable."""
    for node in tree.find_all(nodes.Node):
        name = getattr(node, "attr", None) or getattr(node, "name", None)
        if isinstance(name, str) and name.startswith("_"):
            return "variable.private", (
                f"'{name}' is not a variable: names may not start with '_'. Use a variable "
                "defined under 'variables' in policies/site.yml."
            )
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED):
            kind = type(node).__name__
            if isinstance(node, (nodes.BinExpr, nodes.UnaryExpr, nodes.Compare, nodes.Concat)):
                what = "an operator"
            elif isinstance(node, nodes.Literal):
                what = "a literal value"
            else:
                what = _WHAT.get(kind, f"a {kind.lower()}")
            return "variable.expression", (
                "only plain variables such as {{ company.name }} are allowed in clause text "
                f"(found {what}). Remove the expression or define the value as a variable in "
                "policies/site.yml."
            )
    return None
