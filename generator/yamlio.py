"""Read YAML and text files the way untrusted input must be read: safely and with line numbers."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml

from generator.errors import Problems

MAX_FILE_BYTES = 1_000_000
"""A policy source larger than this is refused: no clause or catalog is anywhere near it."""

MAX_DEPTH = 20
"""Nesting deeper than this is refused: the formats need three levels at most."""


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


def decode(data: bytes, path: str, problems: Problems) -> str | None:
    """Text of a source file: UTF-8, BOM dropped, LF line ends, NFC; None (and a problem) if not."""
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
            f"the file is not valid UTF-8 (byte 0x{data[error.start]:02x}). Save it as UTF-8.",
        )
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def load_yaml(text: str, path: str, problems: Problems, first_line: int = 1) -> Loaded | None:
    """Parse YAML with line numbers; None (and a problem) when it cannot be read."""
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
        problems.add(
            path,
            line,
            "yaml.syntax",
            f"YAML syntax error: {what}. Check the indentation "
            "and quote values that contain ': ' or start with a special character.",
        )
        return None
    except RecursionError:
        problems.add(path, first_line, "yaml.depth", "the YAML is nested too deeply.")
        return None
    if node is None:
        return Loaded(None, {})
    lines: dict[tuple[str, ...], int] = {}
    try:
        data = _construct(node, (), lines, first_line, 0)
    except _DepthError as error:
        problems.add(
            path,
            error.line,
            "yaml.depth",
            f"the YAML is nested more than {MAX_DEPTH} levels deep. Flatten it.",
        )
        return None
    return Loaded(data, lines)


class _AliasError(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _DepthError(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses aliases, so no alias bomb can expand."""

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            raise _AliasError(self.peek_event().start_mark.line + 1)
        return super().compose_node(parent, index)


def _construct(
    node: yaml.Node,
    path: tuple[str, ...],
    lines: dict[tuple[str, ...], int],
    first: int,
    depth: int,
) -> Any:
    """Plain Python data for a node, recording each mapping key's line."""
    if depth > MAX_DEPTH:
        raise _DepthError(node.start_mark.line + first)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            key_path = (*path, str(key))
            lines[key_path] = key_node.start_mark.line + first
            result[key] = _construct(value_node, key_path, lines, first, depth + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _construct(item, (*path, str(i)), lines, first, depth + 1)
            for i, item in enumerate(node.value)
        ]
    return _scalar(node)


_SCALARS = yaml.SafeLoader("")


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return _SCALARS.construct_object(node)
