"""Read and write gettext PO files with Babel, keeping what Babel's own round trip loses.

Babel reads a PO file into a `Catalog`, but its reader turns the previous-msgid lines (`#| msgid`)
that tell a translator what a fuzzy translation was made from into translator comments, rejects the
`#~|` lines of obsolete entries, drops header fields it does not know and reports syntax errors with
0-based line numbers; its writer re-wraps `#|` lines as prose, which can split a quoted string (python-
babel issue 206). So this module parses with Babel's `PoFileParser` but lifts the `#|` lines out
first, and writes the file itself, wrapping strings the way GNU gettext does (lines of at most 79
characters, broken after spaces or between CJK characters), so that re-saving in a translation tool
changes little and the same catalog is always written the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, PoFileParser, escape, unescape

WIDTH = 79
"""The longest line written, quotes and prefixes included (GNU gettext's default page width)."""

_STRING = r'"(?:[^"\\]|\\[\\"ntr])*"'
_KEYWORD = re.compile(r"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)(?:\s|$)")
_KEYWORD_LINE = re.compile(rf"^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+({_STRING})$")
_CONTINUATION = re.compile(rf"^{_STRING}$")
_ANY_ESCAPE = re.compile(r"\\(.)")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"[{_CJK}]\s*|[^\s{_CJK}]+\s*|\s+")
_HEADER_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*):\s?(.*)$")


@dataclass(frozen=True, kw_only=True)
class SyntaxProblem:
    """Why a PO file cannot be read, and where (1-based line)."""

    line: int | None
    reason: str
    fix: str | None = None
    """How to fix it, when the usual advice (the PO syntax is off) does not fit."""
    field: str | None = None
    """The header field that cannot be read, lowercase (`plural-forms`), if that is the problem."""


class PoSyntaxError(ValueError):
    """A PO file that cannot be read; carries every problem found."""

    def __init__(self, problems: list[SyntaxProblem]) -> None:
        super().__init__("; ".join(p.reason for p in problems))
        self.problems = problems


class _Obsolete(dict):
    """A catalog's obsolete (`#~`) messages, keeping aside an entry the file has twice: Babel
    would keep the last, and msgfmt refuses the file."""

    def __init__(self, duplicates: list[tuple[Message, int]]) -> None:
        super().__init__()
        self.duplicates = duplicates
        """Where a repeat goes: (the repeat, line of the first), the catalog's `duplicates`."""

    def __setitem__(self, key: object, message: Message) -> None:
        if message.lineno is not None and (first := self.get(key)) is not None:
            self.duplicates.append((message, first.lineno or 0))
            return
        super().__setitem__(key, message)


class PoCatalog(Catalog):
    """A Babel catalog that also keeps the header exactly as written and the previous contexts."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("fuzzy", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.header_fields: list[tuple[str, str]] = []
        """The header's fields in file order, unknown ones included."""
        self.header_comments: list[str] = []
        """The comment lines above the header, without their `#`."""
        self.header_line: int | None = None
        """The line of the header's `msgid ""`."""
        self.header_lines: dict[str, int] = {}
        """The line of each header field, by lower-case name."""
        self.previous_contexts: dict[tuple[str | None, str, bool], str] = {}
        """(context, id, obsolete) -> the `#| msgctxt` of a message that has one."""
        self.duplicates: list[tuple[Message, int]] = []
        """Messages defined twice, obsolete (`#~`) ones among them: (the repeat, line of the
        first definition)."""
        self.obsolete = _Obsolete(self.duplicates)
        self.unreadable: list[tuple[str, str]] = []
        """Header fields Babel cannot read: (name, value)."""

    def __setitem__(self, id: object, message: Message) -> None:  # noqa: A002 - Babel's name
        if id == "":
            self.header_fields = _header_fields(message.string)
            self.header_comments = list(message.user_comments)
            self.header_line = message.lineno
        elif (
            message.lineno is not None  # read from a file, not added by a program
            and (current := self.get(id, message.context)) is not None  # type: ignore[arg-type]
        ):
            self.duplicates.append((message, current.lineno or 0))
            return
        super().__setitem__(id, message)  # type: ignore[arg-type]

    def _set_headers(self, headers: Iterable[tuple[str, str]]) -> None:
        # A field Babel cannot read (a date it cannot parse, a Plural-Forms whose nplurals is not
        # a number, a line folded into the field before it) is set aside for `read_catalog` to
        # report at its line, rather than raised from deep inside Babel.
        for name, value in headers:
            readable = _as_babel_reads(name, value)
            try:
                Catalog.mime_headers.fset(self, [(name, readable)])  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - whatever Babel raises, the field is unreadable
                self.unreadable.append((name, value))

    mime_headers = property(Catalog.mime_headers.fget, _set_headers)  # type: ignore[attr-defined]

    def _set_locale(self, locale: object) -> None:
        # A malformed Language header ("de DE") must not make the whole file unreadable: the
        # catalog check reports it, with its line.
        try:
            super()._set_locale(locale)  # type: ignore[arg-type]
        except ValueError:
            super()._set_locale(None)

    def header(self, name: str) -> str | None:
        """A header field's value as written (case-insensitive name), or None."""
        wanted = name.lower()
        return next((v for k, v in self.header_fields if k.lower() == wanted), None)

    def set_header(self, name: str, value: str) -> None:
        """Set a header field, in place if present, else at the end."""
        wanted = name.lower()
        for index, (key, _) in enumerate(self.header_fields):
            if key.lower() == wanted:
                self.header_fields[index] = (key, value)
                return
        self.header_fields.append((name, value))


_DATE_FIELDS = frozenset({"pot-creation-date", "po-revision-date"})


def _as_babel_reads(name: str, value: str) -> str:
    """A header field's value in the form Babel reads: a date field written in ISO 8601
    ('2026-11-29T10:00:00+01:00', as some tools write it, and msgfmt accepts) in gettext's own
    form. The file keeps the value as written (`header_fields`); this is only what Babel parses."""
    if name.lower() not in _DATE_FIELDS:
        return value
    try:
        when = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return value
    return when.strftime("%Y-%m-%d %H:%M%z") if when.tzinfo else when.strftime("%Y-%m-%d %H:%M")


def header_readable(header: Message) -> bool:
    """Whether Babel reads every field of a catalog's header (`msgid ""`) message."""
    probe = PoCatalog(locale=None, domain=None)
    probe[""] = header
    return not probe.unreadable


def read_catalog(text: str) -> PoCatalog:
    """Parse PO text; raises `PoSyntaxError` naming the lines that are wrong."""
    lines = text.split("\n")
    previous, problems = _lift_previous(lines)
    if problems:
        raise PoSyntaxError(problems)
    catalog = PoCatalog(locale=None, domain=None)
    parser = PoFileParser(catalog, abort_invalid=True)
    try:
        parser.parse(lines)
    except PoFileError as error:
        reason = re.sub(r"\s+on \d+$", "", str(error))
        raise PoSyntaxError([SyntaxProblem(line=error.lineno + 1, reason=reason)]) from error
    if catalog.header_line is not None:
        catalog.header_lines = _header_field_lines(lines, catalog.header_line)
    if catalog.unreadable:
        raise PoSyntaxError(
            [
                _unreadable_field(
                    name, value, catalog.header_lines.get(name.lower(), catalog.header_line)
                )
                for name, value in catalog.unreadable
            ]
        )
    for obsolete, found_in in ((False, messages(catalog)), (True, catalog.obsolete.values())):
        for message in found_in:
            found = previous.get(message.lineno or 0)
            if found is None:
                continue
            context, ids = found
            message.previous_id = ids
            if context is not None:
                catalog.previous_contexts[(message.context, _key(message.id), obsolete)] = context
    return catalog


_FIELD_FIXES = {
    "plural-forms": "Write it as 'Plural-Forms: nplurals=N; plural=EXPRESSION;'.",
    "pot-creation-date": "Write the date as translation tools do: YYYY-MM-DD HH:MM+ZZZZ.",
    "po-revision-date": "Write the date as translation tools do: YYYY-MM-DD HH:MM+ZZZZ.",
}


def _unreadable_field(name: str, value: str, line: int | None) -> SyntaxProblem:
    """A header field Babel could not read, at its line."""
    folded = "\n" in value
    return SyntaxProblem(
        line=line,
        reason=f"the header's {name} field cannot be read ('{' '.join(value.split())}')"
        + (
            "; a header line that starts with a space continues the field before it"
            if folded
            else ""
        ),
        fix=_FIELD_FIXES.get(name.lower(), "Correct the field, or delete it."),
        field=name.lower(),
    )


def write_catalog(catalog: PoCatalog, *, include_obsolete: bool = True) -> bytes:
    """The PO file for a catalog: header, messages in catalog order, obsolete messages last."""
    return "".join(_generate(catalog, include_obsolete)).encode("utf-8")


def messages(catalog: Catalog) -> list[Message]:
    """The catalog's messages without the header, in catalog order."""
    return [m for m in catalog if m.id]


def _key(message_id: object) -> str:
    return message_id if isinstance(message_id, str) else str(message_id[0])  # type: ignore[index]


def _header_fields(string: object) -> list[tuple[str, str]]:
    fields = []
    for line in str(string or "").split("\n"):
        match = _HEADER_FIELD.match(line.strip())
        if match:
            fields.append((match.group(1), match.group(2).strip()))
    return fields


def _header_field_lines(lines: list[str], header_line: int) -> dict[str, int]:
    """Where each header field is written: the header's string lines after its msgid."""
    found: dict[str, int] = {}
    for index in range(header_line, len(lines)):
        line = lines[index].strip()
        if line.startswith("msgstr"):
            line = line[len("msgstr") :].strip()
        elif not line.startswith('"'):
            break
        match = _HEADER_FIELD.match(line.strip('"'))
        if match:
            found.setdefault(match.group(1).lower(), index + 1)
    return found


def _lift_previous(
    lines: list[str],
) -> tuple[dict[int, tuple[str | None, tuple[str, ...]]], list[SyntaxProblem]]:
    """Blank out `#|` lines (so Babel keeps every other line number), check every string's
    quoting and the order of the keywords; returns {line of the msgid they precede: (previous
    context, previous ids)}."""
    previous: dict[int, tuple[str | None, tuple[str, ...]]] = {}
    problems: list[SyntaxProblem] = []
    pending: list[tuple[int, str]] = []
    state: str | None = None
    context_line = 0
    for index, raw in enumerate(lines):
        line = raw.strip()
        number = index + 1
        obsolete = line.startswith("#~")
        body = line[2:].lstrip() if obsolete else line
        if line.startswith("#|") or (obsolete and body.startswith("|")):
            pending.append((number, body[1:].strip() if obsolete else line[2:].strip()))
            lines[index] = ""
            continue
        if line.startswith("#") and not obsolete:
            state, _ = keyword_order(state, "#")
            continue
        if not body:
            continue
        problem = _check_string_line(body, number)
        if problem:
            problems.append(problem)
        keyword = body.partition(" ")[0]
        state, wrong = keyword_order(state, keyword)
        if wrong == CONTEXT_AFTER_ID:
            problems.append(
                SyntaxProblem(line=context_line, reason=wrong, fix=_CONTEXT_AFTER_ID_FIX)
            )
        elif wrong:
            problems.append(SyntaxProblem(line=number, reason=wrong))
        if keyword == "msgctxt":
            context_line = number
        if body.startswith("msgid ") and pending:
            parsed = _parse_previous(pending, problems)
            if parsed is not None:
                previous[number] = parsed
            pending = []
    return previous, problems


CONTEXT_AFTER_ID = "a msgctxt after its msgid"
"""`keyword_order`'s reason for a msgctxt written between its message's msgid and msgstr; it
is reported at the msgctxt line (the msgstr or msgid_plural line after it tells it)."""
_CONTEXT_AFTER_ID_FIX = (
    "Move the msgctxt line (with any string lines under it) above the msgid line: a message is "
    "written msgctxt, msgid, msgstr (msgfmt reports the msgid as missing its msgstr)."
)
_ID_THEN_CONTEXT = "msgid, msgctxt"
"""The state after a msgctxt that follows a msgid with no msgstr yet: either the msgctxt of
that message, written after its msgid (a msgstr or msgid_plural comes next), or the first line
of the next message, the one before lacking its msgstr (a msgid comes next, and Babel reports
the missing msgstr at the msgid before)."""


def keyword_order(state: str | None, keyword: str) -> tuple[str | None, str | None]:
    """Where a message stands after a line starting with `keyword` (`#` for a comment) when it
    stood at `state` (None: between messages), and why that line is out of order, if it is.
    msgfmt refuses such a catalog; Babel's reader would quietly give a msgstr with no msgid
    before it to the next message, and keep one of two msgstr of a message. A msgctxt after a
    msgid is told only by the line after it: `CONTEXT_AFTER_ID` is about the msgctxt line."""
    if keyword.startswith("#"):
        return None, None
    if keyword == "msgstr" or keyword.startswith("msgstr["):
        plural = keyword != "msgstr"
        if state == _ID_THEN_CONTEXT:
            return ("msgstr[]" if plural else "msgstr"), CONTEXT_AFTER_ID
        allowed = ("msgid", "msgid_plural", "msgstr[]") if plural else ("msgid", "msgid_plural")
        if state in allowed:
            return ("msgstr[]" if plural else "msgstr"), None
        if state in ("msgstr", "msgstr[]"):
            return state, "a second msgstr for one msgid"
        return None, "a msgstr with no msgid before it"
    if keyword == "msgid_plural" and state == _ID_THEN_CONTEXT:
        return keyword, CONTEXT_AFTER_ID
    if keyword == "msgid_plural" and state != "msgid":
        return state, "a msgid_plural with no msgid before it"
    if keyword == "msgctxt" and state in ("msgid", "msgid_plural"):
        return _ID_THEN_CONTEXT, None
    if keyword in ("msgctxt", "msgid", "msgid_plural"):
        return keyword, None
    return state, None  # a string continuing the line before, or what Babel reports itself


def _check_string_line(body: str, number: int) -> SyntaxProblem | None:
    """A problem if a keyword or continuation line is not a well-quoted string."""
    if not (body.startswith('"') or _KEYWORD.match(body)):
        return None  # Babel reports unknown keywords itself
    match = _KEYWORD_LINE.match(body) or _CONTINUATION.match(body)
    if match:
        return None
    escape = next(
        (e.group(0) for e in _ANY_ESCAPE.finditer(body) if e.group(1) not in '\\"ntr'), None
    )
    if escape:
        return SyntaxProblem(
            line=number,
            reason=f'the escape {escape} is not supported (only \\n, \\t, \\r, \\", \\\\); '
            f"write the character itself, or \\{escape} for a backslash before it (a Markdown "
            "escape: a PO file writes a backslash as \\\\)",
        )
    return SyntaxProblem(
        line=number, reason='a string is not closed or has an unescaped " inside (write \\")'
    )


def _parse_previous(
    pending: list[tuple[int, str]], problems: list[SyntaxProblem]
) -> tuple[str | None, tuple[str, ...]] | None:
    """The previous context and ids written on `#|` lines."""
    values: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, body in pending:
        keyword = _KEYWORD_LINE.match(body)
        if keyword:
            current = values.setdefault(keyword.group(1), [])
            current.append(unescape(keyword.group(2)))
        elif _CONTINUATION.match(body) and current is not None:
            current.append(unescape(body))
        else:
            problems.append(
                SyntaxProblem(line=number, reason="a '#|' line is not a quoted msgid or msgctxt")
            )
            return None
    if "msgid" not in values:
        return None
    ids = ("".join(values["msgid"]),)
    if "msgid_plural" in values:
        ids += ("".join(values["msgid_plural"]),)
    context = "".join(values["msgctxt"]) if "msgctxt" in values else None
    return context, ids


def _generate(catalog: PoCatalog, include_obsolete: bool) -> Iterator[str]:
    for comment in catalog.header_comments:
        yield _comment("", comment)
    if catalog.fuzzy:
        yield "#, fuzzy\n"
    yield 'msgid ""\nmsgstr ""\n'
    for name, value in catalog.header_fields:
        yield _quote(f"{name}: {' '.join(value.split())}\n") + "\n"  # a field is one line
    for message in messages(catalog):
        yield "\n"
        yield from _entry(catalog, message, obsolete=False)
    if include_obsolete:
        for message in catalog.obsolete.values():
            yield "\n"
            yield from _entry(catalog, message, obsolete=True)


def _entry(catalog: PoCatalog, message: Message, *, obsolete: bool) -> Iterator[str]:
    for comment in message.user_comments:
        yield _comment("", comment)
    if not obsolete:
        for comment in message.auto_comments:
            yield _comment(".", comment)
        locations = " ".join(
            f"{path}:{line}" if line else path for path, line in _unique(message.locations)
        )
        for chunk in _wrap_words(locations, WIDTH - 3):
            yield f"#: {chunk}\n"
    flags = sorted(f for f in message.flags if f)
    width = None if "no-wrap" in flags else WIDTH  # as gettext's tools honour the flag
    if flags:
        yield "#, " + ", ".join(flags) + "\n"
    if message.previous_id and message.fuzzy:
        prefix = "#~| " if obsolete else "#| "
        ids = message.previous_id
        ids = (ids,) if isinstance(ids, str) else tuple(ids)
        context = catalog.previous_contexts.get((message.context, _key(message.id), obsolete))
        if context is not None:
            yield _field(prefix, "msgctxt", context, width)
        yield _field(prefix, "msgid", ids[0], width)
        if len(ids) > 1:
            yield _field(prefix, "msgid_plural", ids[1], width)
    prefix = "#~ " if obsolete else ""
    if message.context is not None:
        yield _field(prefix, "msgctxt", message.context, width)
    if isinstance(message.id, (list, tuple)):
        yield _field(prefix, "msgid", message.id[0], width)
        yield _field(prefix, "msgid_plural", message.id[1], width)
        strings = message.string if isinstance(message.string, (list, tuple)) else ()
        for index in range(catalog.num_plurals):
            value = strings[index] if index < len(strings) else ""
            yield _field(prefix, f"msgstr[{index}]", value or "", width)
    else:
        yield _field(prefix, "msgid", message.id, width)
        yield _field(prefix, "msgstr", message.string or "", width)


def _field(prefix: str, keyword: str, value: str, width: int | None = WIDTH) -> str:
    """`keyword "value"` on one line if it fits in `width` and has no inner newline, else a line
    for each of its lines, wrapped at spaces unless `width` is None."""
    single = f"{prefix}{keyword} {escape(value)}"
    if (width is None or len(single) <= width) and "\n" not in value[:-1]:
        return single + "\n"
    lines = [f'{prefix}{keyword} ""']
    for part in value.splitlines(keepends=True):
        pieces = [part] if width is None else _wrap(part, width - len(prefix) - 2)
        lines.extend(prefix + escape(piece) for piece in pieces)
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    """Pieces of text whose escaped length is at most `width` (a longer word gets its own)."""
    pieces: list[str] = []
    size = 0
    for token in _TOKEN.findall(text):
        length = len(escape(token)) - 2
        if pieces and size + length <= width:
            pieces[-1] += token
            size += length
        else:
            pieces.append(token)
            size = length
    return pieces or [text]


def _quote(value: str) -> str:
    return escape(value)


def _comment(kind: str, text: str) -> str:
    """A comment, a line of the file for each of its lines (a title written over two lines in
    YAML must not end the comment and leave its second line as PO syntax)."""
    return "".join(f"#{kind} {line}\n" if line else f"#{kind}\n" for line in _LINES.split(text))


_LINES = re.compile(r"\r\n|[\r\n]")
"""What ends a line of a PO file once it is read (see `yamlio.decode`)."""


def _unique(locations: Iterable[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    return list(dict.fromkeys(locations))


def _wrap_words(text: str, width: int) -> list[str]:
    """Space-separated words in lines of at most `width` (a longer word gets a line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
