"""Fill `{{ company.name }}`-style variables into clause text, safely.

Clause text comes from many editors and translators, so it is treated as untrusted: only plain
variable references are allowed (no filters, calls, operators or statements), they are evaluated in
Jinja's sandbox, and a variable that `site.yml` does not define is an error, never an empty string.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, nodes
from jinja2.sandbox import SandboxedEnvironment

from generator.errors import Problems

MAX_OUTPUT = 20_000
"""A block longer than this after filling in variables is refused (a runaway expansion)."""

_ALLOWED = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Getattr)


class Variables:
    """The variables of one policy, and a cache of the blocks filled in with them."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)
        self._env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
        self._names = sorted(_flatten(self._values))
        self._cache: dict[str, str | tuple[str, str]] = {}

    @property
    def names(self) -> list[str]:
        """Every defined variable, dotted (`company.name`)."""
        return self._names

    def fill(self, text: str, path: str, line: int, problems: Problems) -> str | None:
        """The text with its variables filled in; None (and a problem) when that is impossible."""
        if "{" not in text:
            return text
        cached = self._cache.get(text)
        if cached is None:
            cached = self._cache[text] = self._fill(text)
        if isinstance(cached, tuple):
            code, message = cached
            problems.add(path, line, code, message)
            return None
        return cached

    def _fill(self, text: str) -> str | tuple[str, str]:
        """The filled text, or (code, message) saying why it cannot be filled."""
        try:
            tree = self._env.parse(text)
        except TemplateSyntaxError as error:
            return "variable.syntax", (
                f"template syntax error: {error.message}. Write variables as "
                "{{ company.name }}."
            )
        for node in tree.find_all(nodes.Node):
            if not isinstance(node, _ALLOWED):
                return "variable.expression", (
                    "only plain variables such as {{ company.name }} are allowed in clause text "
                    f"(found a {type(node).__name__.lower()}). Remove the expression or define "
                    "the value as a variable in policies/site.yml."
                )
        for reference in _references(tree):
            if reference.startswith("_") or "._" in reference:
                return "variable.private", f"'{reference}' is not a variable name."
            if reference not in self._names and not any(
                n.startswith(reference + ".") for n in self._names
            ):
                return "variable.undefined", self._undefined(reference)
        try:
            result = self._env.from_string(tree).render(self._values)
        except (UndefinedError, RecursionError, TypeError, ValueError) as error:
            return "variable.undefined", f"cannot fill in the variables: {error}."
        if len(result) > MAX_OUTPUT:
            return "variable.too-long", (
                f"the text is {len(result):,} characters once variables are filled in, over the "
                f"limit of {MAX_OUTPUT:,}."
            )
        return result

    def _undefined(self, reference: str) -> str:
        hint = difflib.get_close_matches(reference, self._names, n=1)
        fix = f" Did you mean '{hint[0]}'?" if hint else ""
        return (
            f"undefined variable '{reference}'.{fix} Define it under 'variables' in "
            "policies/site.yml or correct the name."
        )


@lru_cache(maxsize=64)
def _variables_for(fingerprint: str) -> Variables:
    return Variables(json.loads(fingerprint))


def variables_for(values: Mapping[str, Any]) -> Variables:
    """The (shared, cached) variables object for these values."""
    return _variables_for(json.dumps(values, sort_keys=True, default=str))


def _flatten(values: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, name + ".")
        else:
            yield name


def _references(tree: nodes.Template) -> Iterator[str]:
    """Dotted names of the outermost variable references in a parsed template."""
    for output in tree.find_all(nodes.Output):
        for child in output.nodes:
            if isinstance(child, nodes.TemplateData):
                continue
            parts: list[str] = []
            node: nodes.Node = child
            while isinstance(node, nodes.Getattr):
                parts.append(node.attr)
                node = node.node
            if isinstance(node, nodes.Name):
                parts.append(node.name)
            yield ".".join(reversed(parts))
