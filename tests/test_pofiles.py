"""PO files read and written with Babel keep `#|` previous msgids, headers and line numbers."""

from __future__ import annotations

import pytest
from translating import msgfmt_check

from generator.catalogs import parse_catalog
from generator.errors import Problems
from generator.pofiles import PoCatalog, PoSyntaxError, read_catalog, write_catalog

CATALOG = """\
# German translation of "Privacy policy".
#
msgid ""
msgstr ""
"Project-Id-Version: Privacy policy\\n"
"PO-Revision-Date: 2026-01-02 10:00+0000\\n"
"Last-Translator: Translator <t@shop.example>\\n"
"Language-Team: \\n"
"Language: de\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"X-Generator: Poedit 3.4\\n"

# Checked with the legal team.
#. Clause "Who we are" (who-we-are): paragraph 1
#: policies/clauses/who.md:8
#, fuzzy
#| msgid ""
#| "{{ company.name }} runs this shop, and this paragraph is long enough to "
#| "be wrapped. Write to {{ contact.email }}."
msgctxt "who-we-are"
msgid ""
"{{ company.name }} runs this shop, and this paragraph is long enough to be "
"wrapped twice over. Write to {{ contact.email }}."
msgstr ""
"{{ company.name }} betreibt diesen Shop, und dieser Absatz ist lang genug, "
"um umbrochen zu werden. Schreiben Sie an {{ contact.email }}."

#, fuzzy
#| msgctxt "data"
#| msgid "your name"
msgctxt "data-we-collect"
msgid "your name;"
msgstr "Ihren Namen;"

#~ msgctxt "change"
#~ msgid "First version."
#~ msgstr "Erste Version."

#, fuzzy
#~| msgid "your old address."
#~ msgctxt "data-we-collect"
#~ msgid "your address."
#~ msgstr "Ihre alte Adresse."
"""


def test_previous_msgids_survive_read_write_read(tmp_path):
    catalog = read_catalog(CATALOG)
    written = write_catalog(catalog)
    assert written.decode() == CATALOG
    again = read_catalog(written.decode())
    message = again.get(
        "{{ company.name }} runs this shop, and this paragraph is long enough to be wrapped "
        "twice over. Write to {{ contact.email }}.",
        "who-we-are",
    )
    assert message.previous_id == (
        "{{ company.name }} runs this shop, and this paragraph is long enough to be wrapped. "
        "Write to {{ contact.email }}.",
    )
    assert message.user_comments == ["Checked with the legal team."]
    assert again.get("your name;", "data-we-collect").previous_id == ("your name",)
    assert (
        again.previous_contexts
        == {
            ("data-we-collect", "your name;", False): "data",
            ("data-we-collect", "your address.", True): "data-we-collect",
        }
        or ("data-we-collect", "your name;", False) in again.previous_contexts
    )
    obsolete = {m.id: m for m in again.obsolete.values()}
    assert obsolete["your address."].previous_id == ("your old address.",)
    assert again.header("X-Generator") == "Poedit 3.4"
    path = tmp_path / "de.po"
    path.write_bytes(written)
    result = msgfmt_check(str(path))
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_babel_alone_loses_previous_msgids():
    """Why pofiles exists: Babel's reader turns `#|` lines into translator comments."""
    import io

    from babel.messages.pofile import read_po

    catalog = read_po(io.StringIO(CATALOG.split("#~ msgctxt")[0]))
    message = catalog.get("your name;", "data-we-collect")
    assert not message.previous_id
    assert message.user_comments == ['| msgctxt "data"', '| msgid "your name"']


@pytest.mark.parametrize(
    ("broken", "line", "reason"),
    [
        (
            CATALOG.replace('msgstr "Ihren Namen;"', 'msgstr "Ihren Namen;'),
            36,
            'a string is not closed or has an unescaped " inside (write \\")',
        ),
        (
            CATALOG.replace('msgstr "Ihren Namen;"', 'msgstr "Ihren \\q Namen;"'),
            36,
            'the escape \\q is not supported (only \\n, \\t, \\r, \\", \\\\); write the character '
            "itself, or \\\\q for a backslash before it (a Markdown escape: a PO file writes a "
            "backslash as \\\\)",
        ),
        (
            CATALOG.replace('msgstr "Ihren Namen;"', 'msgtsr "Ihren Namen;"'),
            36,
            "Unknown or misformatted keyword",
        ),
        (
            CATALOG.replace('msgstr "Ihren Namen;"\n', ""),
            35,
            "missing msgstr for msgid 'your name;'",
        ),
    ],
)
def test_syntax_errors_name_their_line(broken, line, reason):
    assert CATALOG.splitlines()[35 - 1 : 36] == ['msgid "your name;"', 'msgstr "Ihren Namen;"']
    with pytest.raises(PoSyntaxError) as raised:
        read_catalog(broken)
    assert [(p.line, p.reason) for p in raised.value.problems] == [(line, reason)]


def test_duplicate_message_is_an_error_at_its_line():
    duplicated = CATALOG.replace(
        "#~ msgctxt",
        'msgctxt "data-we-collect"\nmsgid "your name;"\nmsgstr "Name"\n\n#~ msgctxt',
        1,
    )
    problems = Problems()
    parse_catalog("locales/de/LC_MESSAGES/policy.po", duplicated.encode(), problems)
    assert [str(p) for p in problems] == [
        "locales/de/LC_MESSAGES/policy.po:39: this message is already defined on line 35; "
        "msgfmt and translation tools reject duplicates. Delete one of the two entries. "
        "[catalog.duplicate]"
    ]


def test_a_comment_written_over_two_lines_stays_a_comment(tmp_path):
    """A title written over two lines in YAML reaches the comments of the template: each line
    is a comment line of its own, and a header field stays one line, so the file reads back."""
    catalog = PoCatalog(locale="de", domain="policy")
    catalog.header_comments = ['Translation template of "Privacy\npolicy",']
    catalog.header_fields = [("Project-Id-Version", "Privacy\npolicy")]
    catalog.add("Who we are", "Wer wir sind", context="who", auto_comments=['Clause "Who\r\nwe"'])
    data = write_catalog(catalog)
    path = tmp_path / "policy.po"
    path.write_bytes(data)
    again = read_catalog(data.decode())
    assert again.header_comments == ['Translation template of "Privacy', 'policy",']
    assert again.header("Project-Id-Version") == "Privacy policy"
    assert [m.auto_comments for m in again if m.id] == [['Clause "Who', 'we"']]
    result = msgfmt_check(str(path))  # it warns of the header fields this catalog leaves out
    assert result.returncode == 0, result.stderr


NO_WRAP = """\
msgid ""
msgstr ""
"Language: de\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

#, no-wrap
msgctxt "who-we-are"
msgid "{{ company.name }} runs this shop, and this paragraph is long enough to be wrapped twice over."
msgstr "{{ company.name }} betreibt diesen Shop, und dieser Absatz ist lang genug für zwei Umbrüche."

msgctxt "data-we-collect"
msgid ""
"We collect only what we need to deliver your order, and this paragraph is "
"long enough to be wrapped."
msgstr ""
"Wir erheben nur, was wir für die Lieferung Ihrer Bestellung brauchen, und "
"dieser Absatz ist lang genug."
"""


def test_an_entry_flagged_no_wrap_is_written_unwrapped_as_gettext_writes_it(tmp_path):
    """gettext's tools keep a `no-wrap` entry's lines as they are; so does writing a catalog,
    which wraps the others at 79 columns."""
    written = write_catalog(read_catalog(NO_WRAP)).decode("utf-8")
    assert written.endswith(NO_WRAP.split('"Content-Type: text/plain; charset=UTF-8\\n"\n')[1])
    path = tmp_path / "de.po"
    path.write_text(written, encoding="utf-8")
    assert msgfmt_check(str(path)).returncode == 0


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("2026-11-29T10:00:00+01:00", "2026-11-29 10:00:00+01:00"),
        ("2026-11-29T09:00:00Z", "2026-11-29 09:00:00+00:00"),
        ("2026-11-29", "2026-11-29 00:00:00"),
    ],
)
def test_a_header_date_in_iso_8601_is_read_and_written_back_as_it_was(tmp_path, written, read):
    """Some tools write the header's dates in ISO 8601, which msgfmt accepts and Babel does not
    read: the catalog is read, and the file keeps the date as its tool wrote it."""
    text = CATALOG.replace("2026-01-02 10:00+0000", written)
    catalog = read_catalog(text)
    assert str(catalog.revision_date) == read
    assert catalog.header("PO-Revision-Date") == written
    assert f'"PO-Revision-Date: {written}\\n"' in write_catalog(catalog).decode()
    (tmp_path / "de.po").write_text(text, encoding="utf-8")
    assert msgfmt_check(str(tmp_path / "de.po")).returncode == 0


def test_a_header_date_that_is_no_date_is_still_an_error_at_its_line():
    with pytest.raises(PoSyntaxError) as raised:
        read_catalog(CATALOG.replace("2026-01-02 10:00+0000", "2026-13-02T10:00"))
    assert [(p.line, p.field) for p in raised.value.problems] == [(6, "po-revision-date")]


ORDER_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
"""A header of 4 lines: the first entry after it starts on line 5."""

CONTEXT_AFTER_ID = {
    "msgctxt between msgid and msgstr": (
        'msgid "We keep your data."\nmsgctxt "retention.p1"\nmsgstr "Wir speichern."\n',
        6,
    ),
    "each over two lines": (
        'msgid ""\n"We keep your data."\nmsgctxt ""\n"retention.p1"\nmsgstr ""\n"Wir."\n',
        7,
    ),
    "obsolete": (
        '#~ msgid "We keep your data."\n#~ msgctxt "retention.p1"\n#~ msgstr "Wir."\n',
        6,
    ),
    "before msgid_plural": (
        'msgid "one day"\nmsgctxt "retention.p2"\nmsgid_plural "{n} days"\n'
        'msgstr[0] "ein Tag"\nmsgstr[1] "{n} Tage"\n',
        6,
    ),
    "after msgid_plural": (
        'msgid "one day"\nmsgid_plural "{n} days"\nmsgctxt "retention.p2"\n'
        'msgstr[0] "ein Tag"\nmsgstr[1] "{n} Tage"\n',
        7,
    ),
}


@pytest.mark.parametrize("name", sorted(CONTEXT_AFTER_ID))
def test_a_msgctxt_after_its_msgid_is_reported_at_the_msgctxt(tmp_path, name):
    """A msgctxt written between its msgid and msgstr was reported as a msgstr with no msgid
    before it, at the msgstr line: the problem is the msgctxt, once."""
    entry, line = CONTEXT_AFTER_ID[name]
    text = ORDER_HEADER + entry
    assert text.splitlines()[line - 1].lstrip("#~ ").startswith("msgctxt")
    with pytest.raises(PoSyntaxError) as raised:
        read_catalog(text)
    assert [(p.line, p.reason) for p in raised.value.problems] == [
        (line, "a msgctxt after its msgid")
    ]
    (tmp_path / "de.po").write_text(text, encoding="utf-8")
    assert msgfmt_check(str(tmp_path / "de.po")).returncode != 0  # gettext refuses it too


def test_a_msgctxt_after_its_msgid_is_told_to_move_above_it():
    entry, _ = CONTEXT_AFTER_ID["msgctxt between msgid and msgstr"]
    problems = Problems()
    parse_catalog("locales/de/LC_MESSAGES/policy.po", (ORDER_HEADER + entry).encode(), problems)
    assert [str(p) for p in problems] == [
        "locales/de/LC_MESSAGES/policy.po:6: the catalog cannot be read: a msgctxt after its "
        "msgid. Move the msgctxt line (with any string lines under it) above the msgid line: a "
        "message is written msgctxt, msgid, msgstr (msgfmt reports the msgid as missing its "
        "msgstr). [catalog.syntax]"
    ]


MISSING_MSGSTR = {
    "the next entry after a blank line": (
        'msgctxt "a"\nmsgid "We keep your data."\n\n'
        'msgctxt "b"\nmsgid "Ask us."\nmsgstr "Fragen Sie."\n',
        "We keep your data.",
    ),
    "the next entry right under it": (
        'msgctxt "a"\nmsgid "We keep your data."\n'
        'msgctxt "b"\nmsgid "Ask us."\nmsgstr "Fragen Sie."\n',
        "We keep your data.",
    ),
    "obsolete": (
        '#~ msgctxt "a"\n#~ msgid "We keep your data."\n\n'
        '#~ msgctxt "b"\n#~ msgid "Ask us."\n#~ msgstr "Fragen Sie."\n',
        "We keep your data.",
    ),
    "a plural message": (
        'msgctxt "a"\nmsgid "one day"\nmsgid_plural "{n} days"\n\n'
        'msgctxt "b"\nmsgid "Ask us."\nmsgstr "Fragen Sie."\n',
        "one day",
    ),
}


@pytest.mark.parametrize("name", sorted(MISSING_MSGSTR))
def test_a_message_without_msgstr_is_reported_at_its_msgid_not_as_the_next_msgctxt(tmp_path, name):
    """The next message's msgctxt follows a msgid with no msgstr too; there the msgid lacks its
    msgstr (as msgfmt says at the same line), the msgctxt is where it belongs."""
    entry, msgid = MISSING_MSGSTR[name]
    with pytest.raises(PoSyntaxError) as raised:
        read_catalog(ORDER_HEADER + entry)
    assert [(p.line, p.reason) for p in raised.value.problems] == [
        (6, f"missing msgstr for msgid '{msgid}'")
    ]
    (tmp_path / "de.po").write_text(ORDER_HEADER + entry, encoding="utf-8")
    assert "de.po:6: missing 'msgstr" in msgfmt_check(str(tmp_path / "de.po")).stderr
