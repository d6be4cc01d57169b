"""Split a clause body into blocks (paragraphs, list items, sub-headings) and join them back.

A block is the unit of translation and of paragraph alignment in redlines. Whitespace inside a
block is folded, so re-wrapping a paragraph changes neither its message nor the published text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.model import Block, BlockKind

# Any indentation counts, because a block's text is stored without it: were an indented "- x" or
# "## x" a paragraph, joining the blocks back would turn it into a list item or a heading.
_HEADING = re.compile(r"^\s*(#{1,6})(?:[ \t]+(.*?)[ \t#]*)?$")
"""An ATX heading; a line of hashes alone is an empty one (CommonMark), not paragraph text."""
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d{1,9}[.)])[ \t]+(.*)$")
_SPACE = re.compile(r"[ \t\r\n]+")


def split_blocks(body: str, first_line: int = 1) -> tuple[Block, ...]:
    """The blocks of a Markdown body whose first line is `first_line` in its file."""
    blocks: list[Block] = []
    group = 0
    for start, lines in _groups(body.split("\n"), first_line):
        blocks.extend(_split_group(lines, start, group))
        group = (blocks[-1].group + 1) if blocks else group
    return tuple(blocks)


def join_blocks(blocks: Iterable[tuple[Block, str]]) -> str:
    """Markdown for blocks, each paired with the text to show for it (translated or not)."""
    out: list[str] = []
    previous_group: int | None = None
    for block, text in blocks:
        if previous_group is not None:
            out.append("\n" if block.group == previous_group else "\n\n")
        out.append(block.prefix + text)
        previous_group = block.group
    return "".join(out)


def fold(text: str) -> str:
    """Text with runs of white space folded to single spaces and trimmed."""
    return _SPACE.sub(" ", text).strip()


def _folded(lines: list[str]) -> tuple[str, tuple[int, ...]]:
    """A block's lines as its text (`fold`ed into one), and where in the text each line after
    the first begins (`Block.breaks`). Each line's own text, folded, is in the text in order,
    between runs of white space only: each is found after the one before."""
    text = fold(" ".join(lines))
    breaks, at = [], len(fold(lines[0]))
    for line in lines[1:]:
        part = fold(line)
        if part:
            at = text.find(part, at)
            breaks.append(at)
            at += len(part)
        else:
            breaks.append(at)
    return text, tuple(breaks)


def _groups(lines: list[str], first_line: int) -> Iterable[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the file line it starts on."""
    current: list[str] = []
    start = first_line
    for offset, line in enumerate(lines):
        if line.strip():
            if not current:
                start = first_line + offset
            current.append(line)
        elif current:
            yield start, current
            current = []
    if current:
        yield start, current


def _split_group(lines: list[str], start: int, group: int) -> list[Block]:
    """A group of lines as blocks: a heading, a paragraph, list items, or a mix of them."""
    blocks: list[Block] = []
    pending: list[str] = []
    pending_line = start
    kind: BlockKind | None = None
    prefix = ""

    def open_group() -> bool:
        # A new group starts after a block of the current one, not after a heading (which has
        # closed its group already): numbers then do not depend on how blocks were laid out.
        return bool(blocks) and blocks[-1].group == group

    def flush() -> None:
        nonlocal group
        if pending and kind is not None:
            text, breaks = _folded(pending)
            blocks.append(
                Block(
                    kind=kind,
                    prefix=prefix,
                    text=text,
                    group=group,
                    line=pending_line,
                    breaks=breaks,
                )
            )

    for offset, line in enumerate(lines):
        number = start + offset
        heading = _HEADING.match(line)
        item = _LIST_ITEM.match(line)
        if heading:
            flush()
            if open_group():
                group += 1
            kind, prefix, pending, pending_line = (
                BlockKind.HEADING,
                heading.group(1) + " ",
                [heading.group(2) or ""],
                number,
            )
            flush()
            group += 1
            kind, pending = None, []
        elif item:
            flush()
            if kind is not BlockKind.LIST_ITEM and open_group():
                group += 1
            marker = item.group(1)
            prefix = "- " if marker in "-*+" else marker + " "
            kind, pending, pending_line = BlockKind.LIST_ITEM, [item.group(2)], number
        elif kind is None:
            if open_group():
                group += 1
            kind, prefix, pending, pending_line = BlockKind.PARAGRAPH, "", [line], number
        else:
            pending.append(line)
    flush()
    return blocks


_OTHER_BLOCK = re.compile(
    r"^(?:#|[ \t]*(?:>|\||([-*_=])[ \t]*(?:\1[ \t]*){2,}$|:?-+:?[ \t]*\|[-:| \t]*$))",
    re.MULTILINE,
)
"""A line Markdown reads as a quote, a table row (a delimiter row needs no `|` before it:
`--|--`), a rule or a heading's underline, none of which `split_blocks` tells apart from a
paragraph's line; or as a heading though no space follows its `#` (`#1`), which `split_blocks`
reads as text, as CommonMark does, but Python-Markdown does not."""


_INDENTED = re.compile(r"(?: {4}| {0,3}\t)")
"""How a text begins that Markdown reads as code, not as text (four spaces, or a tab)."""

_MAY_START_BLOCK = re.compile(r"\s*(?:[-*+#>|=_]|\d)|" + _INDENTED.pattern)
"""How a one-line text that is not simply a paragraph begins (most messages do not)."""

_PARAGRAPH = ((BlockKind.PARAGRAPH, 0),), (), False


def structure(text: str) -> tuple:
    """The Markdown blocks a text makes (a message's, a value's): their kinds and groups, the
    lines that start a quote, a table, a rule or an underline, and whether it begins as code."""
    if "\n" not in text and text.strip() and not _MAY_START_BLOCK.match(text):
        return _PARAGRAPH  # a twentieth of a millisecond less, for each of thousands of messages
    return _blocks_of(text)


def _blocks_of(text: str) -> tuple:
    """`structure`, worked out in full."""
    return (
        tuple((block.kind, block.group) for block in split_blocks(text)),
        tuple(match.group(0).strip()[:1] for match in _OTHER_BLOCK.finditer(text)),
        _INDENTED.match(text) is not None,
    )
