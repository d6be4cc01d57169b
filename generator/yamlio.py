"""Read YAML and text files the way untrusted input must be read: safely and with line numbers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import yaml

from generator.errors import Problems

MAX_FILE_BYTES = 1_000_000
"""A policy source larger than this is refused: no clause or catalog is anywhere near it."""

MAX_DEPTH = 20
"""Nesting deeper than this is refused: the formats need three levels at most."""
_TOO_DEEP = f"the YAML is nested more than {MAX_DEPTH} levels deep. Flatten it."

_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
"""The plain YAML types; any other tag (`!!python/...`, `!!binary`, `!custom`) is refused."""

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Control characters that no text needs and that would make the published XML invalid."""

_LINE_SEPARATORS = re.compile("[\u2028\u2029]")
"""Characters YAML takes for line breaks but editors, git and our line numbers do not: a value
holding one would be cut in two, and every line after it numbered one more than the file's."""


@dataclass(frozen=True)
class Loaded:
    """A YAML document's data and the line of every mapping key, by its key path."""

    data: Any
    lines: dict[tuple[str, ...], int]

    def line(self, *path: str, default: int | None = None) -> int | None:
        """The line of a key, or of its nearest parent that has one."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return default


def decode(
    data: bytes, path: str, problems: Problems, advice: str = "Save it as UTF-8."
) -> str | None:
    """Text of a source file: UTF-8, BOM dropped, LF line ends, NFC; None (and a problem, with
    `advice` for one that is not UTF-8) if not."""
    if len(data) > MAX_FILE_BYTES:
        problems.add(
            path,
            None,
            "file.too-large",
            f"the file is {len(data):,} bytes, over the limit of {MAX_FILE_BYTES:,}. "
            "Split it into smaller files.",
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(
            path,
            line,
            "file.encoding",
            f"the file is not valid UTF-8 (byte 0x{data[error.start]:02x}). {advice}",
        )
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL_CHARACTERS.search(text)
    if control:
        problems.add(
            path,
            text.count("\n", 0, control.start()) + 1,
            "file.control-character",
            f"the file contains the control character U+{ord(control.group()):04X}, which "
            "cannot be published. Delete it.",
        )
        return None
    return unicodedata.normalize("NFC", text)


_OPENED = {
    "while parsing a flow sequence": "the list opened with '['",
    "while parsing a flow mapping": "the mapping opened with '{'",
    "while scanning a quoted scalar": "the quoted text that starts",
}
"""PyYAML's contexts whose start is where the mistake usually is (a bracket or a quote left
open), said in plain words: the problem itself is found lines later."""


def read_yaml(data: bytes, path: str, problems: Problems) -> Loaded | None:
    """A YAML file's bytes decoded and parsed; None (and a problem) when they cannot be."""
    text = decode(data, path, problems)
    return load_yaml(text, path, problems) if text is not None else None


def as_mapping(loaded: Loaded | None, path: str, problems: Problems) -> Loaded | None:
    """`loaded` if the file holds a mapping of keys to values, as every source file must; None
    (and a problem) if it holds anything else."""
    if loaded is not None and not isinstance(loaded.data, dict):
        problems.add(
            path, 1, "yaml.not-a-mapping", "the file must be a YAML mapping of keys to values."
        )
        return None
    return loaded


def load_yaml(text: str, path: str, problems: Problems, first_line: int = 1) -> Loaded | None:
    """Parse YAML with line numbers; None (and a problem) when it cannot be read."""
    separator = _LINE_SEPARATORS.search(text)
    if separator:
        problems.add(
            path,
            text.count("\n", 0, separator.start()) + first_line,
            "yaml.line-separator",
            f"the YAML contains the invisible character U+{ord(separator.group()):04X} "
            f"({unicodedata.name(separator.group()).lower()}), which YAML reads as a line break. "
            "Replace it with a space.",
        )
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except _AliasError as error:
        problems.add(
            path,
            error.line + first_line - 1,
            "yaml.alias",
            "YAML anchors and aliases (& and *) are not allowed here. Write the value out.",
        )
        return None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + first_line) if mark else first_line
        what = error.problem or "invalid YAML"
        opened = _OPENED.get(error.context or "")
        if opened and error.context_mark and error.context_mark.line + first_line != line:
            what += f" (in {opened} on line {error.context_mark.line + first_line})"
        problems.add(
            path,
            line,
            "yaml.syntax",
            f"YAML syntax error: {what}. Check the indentation "
            "and quote values that contain ': ' or start with a special character.",
        )
        return None
    except _Refused as error:
        problems.add(path, error.line + first_line - 1, error.code, error.message)
        return None
    except yaml.YAMLError as error:
        problems.add(path, first_line, "yaml.syntax", f"YAML syntax error: {error}.")
        return None
    if node is None:
        return Loaded(None, {})
    lines: dict[tuple[str, ...], int] = {}
    refused: list[_Refused] = []
    try:
        data = _construct(node, (), lines, first_line, 0, refused)
    except _Refused as error:  # the whole document refused, or one value past MAX_REFUSED
        if len(refused) < MAX_REFUSED:
            refused.append(error)
    for error in refused:
        problems.add(path, error.line, error.code, error.message)
    return None if refused else Loaded(data, lines)


class _AliasError(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Refused(Exception):
    """A value the loader will not turn into data, with the problem to report."""

    def __init__(self, line: int, code: str, message: str) -> None:
        self.line, self.code, self.message = line, code, message


MAX_REFUSED = 20
"""The values of one file reported at most: a file's refused values are all reported at once, so
an editor fixes them in one go, up to this many (a file of thousands would flood the check)."""


def _attempt(refused: list[_Refused], construct: Callable[[], Any]) -> Any:
    """What `construct` makes, or None when it refuses (the refusal kept, see `_keep`)."""
    try:
        return construct()
    except _Refused as error:
        _keep(refused, error)
        return None


def _keep(refused: list[_Refused], error: _Refused) -> None:
    """Keep a refusal to report it with the file's others; the one past MAX_REFUSED ends the
    reading of the file instead."""
    if len(refused) >= MAX_REFUSED:
        raise error
    refused.append(error)


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses aliases, so no alias bomb can expand, and nesting deeper than
    `MAX_DEPTH` before it composes it (PyYAML composes nested nodes by recursion)."""

    _depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            raise _AliasError(self.peek_event().start_mark.line + 1)
        if self._depth > MAX_DEPTH + 1:  # a mapping's keys are one level below it here
            raise _Refused(self.peek_event().start_mark.line + 1, "yaml.depth", _TOO_DEEP)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct(
    node: yaml.Node,
    path: tuple[str, ...],
    lines: dict[tuple[str, ...], int],
    first: int,
    depth: int,
    refused: list[_Refused],
) -> Any:
    """Plain Python data for a node, recording each mapping key's line; what a part of it refuses
    is kept in `refused`, and the part read as None, so that every refusal is found."""
    line = node.start_mark.line + first
    if depth > MAX_DEPTH:
        raise _Refused(line, "yaml.depth", _TOO_DEEP)
    if node.tag not in _TAGS:
        raise _Refused(
            line,
            "yaml.tag",
            f"the YAML tag '{node.tag.removeprefix('tag:yaml.org,2002:')}' is not allowed. "
            "Write a plain value (text, number, date, list or mapping) without '!'.",
        )
    kind = _KINDS[type(node)]
    if _CONTAINERS.get(node.tag, "plain value") != kind:
        raise _Refused(
            line,
            "yaml.tag",
            f"the YAML tag '!!{node.tag.removeprefix('tag:yaml.org,2002:')}' does not fit a "
            f"{kind}. Remove it.",
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        first_lines: dict[Any, int] = {}
        for key_node, value_node in node.value:
            before = len(refused)
            key = _attempt(refused, partial(_key, key_node, first))
            if len(refused) > before:
                continue
            key_path = (*path, str(key))
            # 1 and 1.0 are one key, though written differently; 1 and '1' are two to YAML,
            # but one name to everything that reads the data.
            earlier = first_lines.get(key) if key in result else first_lines.get(str(key))
            if earlier is not None:
                again = key_node.start_mark.line + first
                message = f"'{key}' is given twice (first on line {earlier}). Keep one of them."
                _keep(refused, _Refused(again, "yaml.duplicate-key", message))
                continue
            lines[key_path] = first_lines[key] = first_lines[str(key)] = (
                key_node.start_mark.line + first
            )
            result[key] = _attempt(
                refused,
                partial(_construct, value_node, key_path, lines, first, depth + 1, refused),
            )
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for i, item in enumerate(node.value):
            lines[(*path, str(i))] = item.start_mark.line + first
            items.append(
                _attempt(
                    refused,
                    partial(_construct, item, (*path, str(i)), lines, first, depth + 1, refused),
                )
            )
        return items
    return _scalar(node, first)


_SCALARS = yaml.SafeLoader("")

_WHAT = {
    f"tag:yaml.org,2002:{tag}": what
    for tag, what in (
        ("int", "a whole number"),
        ("float", "a number"),
        ("bool", "true or false"),
        ("timestamp", "a date"),
        ("null", "null"),
        ("str", "text"),
    )
}
"""What a scalar's tag says it is, in words."""

_KINDS = {yaml.MappingNode: "mapping", yaml.SequenceNode: "list", yaml.ScalarNode: "plain value"}
_CONTAINERS = {"tag:yaml.org,2002:map": "mapping", "tag:yaml.org,2002:seq": "list"}
"""The tags that make a container: PyYAML would make `!!seq word` an empty list, silently."""


def _key(node: yaml.Node, first: int) -> Any:
    """A mapping key: only text, numbers and the like, never a list or mapping."""
    if not isinstance(node, yaml.ScalarNode) or node.tag in _CONTAINERS:
        raise _Refused(
            node.start_mark.line + first,
            "yaml.key",
            "a key must be a plain word, not a list or mapping. Remove the '?' or brackets.",
        )
    return _scalar(node, first)


def _scalar(node: yaml.ScalarNode, first: int) -> Any:
    """A scalar's value; an impossible one (2026-13-45, `!!int abc`, a number too long to write
    out) is a problem, not a crash, and so is text with a control character written as an
    escape (`"\\x00"`, a lone surrogate) that the file's own check could not see."""
    line = node.start_mark.line + first
    try:
        value = _SCALARS.construct_object(node)
    except Exception as error:  # noqa: BLE001 - PyYAML's constructors raise IndexError, KeyError...
        known = isinstance(error, (ValueError, OverflowError, yaml.YAMLError))
        reason = str(error).split("\n", 1)[0] if known else f"not {_WHAT.get(node.tag, node.tag)}"
        raise _Refused(
            line,
            "yaml.value",
            f"'{shorten(node.value)}' cannot be read ({reason}). Correct the value, or quote it "
            "to keep it as text.",
        ) from error
    if type(value) is int and value.bit_length() > _MAX_INT_BITS:
        raise _Refused(
            line,
            "yaml.value",
            f"'{shorten(node.value)}' is a number too long to write out. Correct it, or quote it "
            "to keep it as text.",
        )
    if type(value) in (int, float) and node.style is None and node.value != _written(value):
        raise _Refused(
            line,
            "yaml.value",
            f"'{shorten(node.value)}' is read as the number {shorten(_written(value))}"
            f"{_number_rule(node.value)}. Quote it to keep it as written: "
            f'"{shorten(node.value)}".',
        )
    if isinstance(value, str) and (bad := _UNPUBLISHABLE.search(value)):
        raise _Refused(
            line,
            "file.control-character",
            f"the value contains the character U+{ord(bad.group()):04X} (written as an escape), "
            "which cannot be published. Delete it.",
        )
    return value


def _number_rule(text: str) -> str:
    """Which of YAML 1.1's implicit rules made a number of `text` that is written otherwise, as
    the end of a sentence (empty when the number says it): the rules that turn a company number
    01234567 into 342391, or 12:30 into 750."""
    digits = text.lstrip("+-").lower()
    if ":" in digits:
        return ": YAML reads numbers with ':' in base 60"
    if digits.startswith(("0x", "0b")):
        return f": YAML reads {digits[:2]} as {'hexadecimal' if digits[1] == 'x' else 'binary'}"
    if "_" in digits:
        return ": YAML leaves out the '_'"
    if digits.startswith("0") and digits[1:2].isdigit():
        return ": YAML reads a number with a leading 0 in octal"
    if text.startswith("+"):
        return ": YAML leaves out the '+'"
    return ""


def _written(value: int | float) -> str:
    """How a number is written back when a variable inserts it."""
    return repr(value) if type(value) is float else str(value)


_MAX_INT_BITS = 13_000
"""Past this, a number has more than the 4,300 digits Python writes out (`0x...` is read without
that limit)."""

_UNPUBLISHABLE = re.compile(f"{CONTROL_CHARACTERS.pattern[:-1]}\ud800-\udfff]")
"""What `decode` refuses in a file, and lone surrogates, which only an escape can write."""


def shorten(value: str, limit: int = 40) -> str:
    """A value short enough to quote in a message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"
