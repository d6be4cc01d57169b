"""Redlines: clauses matched by id, paragraphs aligned, then words diffed inside a paragraph."""

from __future__ import annotations

import re
from functools import partial

from conftest import change_yml
from histories import DATA_MD, WHO_MD, history_of, publication
from markupsafe import Markup

from generator.diff import diff_documents, diff_paragraphs, diff_versions, diff_words
from generator.markup import shown_blocks, to_html
from generator.model import ChangeType, ComposedClause, Document, Edit, LinkChange
from generator.templating import opening_space

E, I, D = Edit.EQUAL, Edit.INSERTED, Edit.DELETED  # noqa: E741 - read like the diff marks


def _clause(clause_id: str, title: str, *paragraphs: str) -> ComposedClause:
    return ComposedClause(
        id=clause_id,
        title=title,
        paragraphs=paragraphs,
        html=to_html("\n\n".join(paragraphs)),
        topics=(),
        contexts=(clause_id,),
    )


def _redline(old: list[str], new: list[str]):
    """The redline of two runs of Markdown paragraphs, as their HTML shows them."""
    return diff_paragraphs(
        shown_blocks(to_html("\n\n".join(old))), shown_blocks(to_html("\n\n".join(new)))
    )


def _document(*clauses: ComposedClause) -> Document:
    return Document(jurisdiction="eu", language="en", clauses=clauses)


def _summary(changes) -> list[tuple[str, str, bool]]:
    return [(c.clause_id, c.type.value, c.moved) for c in changes]


def test_diff_words_marks_only_the_changed_word():
    assert diff_words("We keep it for 13 months.", "We keep it for 6 months.") == (
        (E, "We keep it for "),
        (D, "13"),
        (I, "6"),
        (E, " months."),
    )


def test_diff_words_marks_begin_at_the_word_added_or_removed():
    """A word added between two spaces could be marked with the space before it or after it; the
    mark takes the space after it, so that it starts at the word ("your +full name")."""
    assert diff_words("your name;", "your full name;") == ((E, "your "), (I, "full "), (E, "name;"))
    assert diff_words("your full name;", "your name;") == ((E, "your "), (D, "full "), (E, "name;"))
    assert diff_words("full name", "name") == ((D, "full "), (E, "name"))
    # At the end there is no space after it to take.
    assert diff_words("your name", "your name too") == ((E, "your name"), (I, " too"))
    # A word replaced by another has no space to choose.
    assert diff_words("one two three", "one four three") == (
        (E, "one "),
        (D, "two"),
        (I, "four"),
        (E, " three"),
    )


def test_diff_paragraphs_compare_the_text_readers_see_not_the_markdown():
    (paragraph,) = _redline(["We keep it for *13* months."], ["We keep it for **13** months."])
    assert paragraph.segments == ((E, "We keep it for 13 months."),)


def test_diff_words_rewritten_phrase_is_one_removal_and_one_insertion():
    """Spaces that happen to match between rewritten words do not chop the phrase into
    alternating struck and inserted words."""
    assert diff_words(
        "the payment details we see (card type and last four digits) are kept",
        'the payment details we see, described in "The information we collect", are kept',
    ) == (
        (E, "the payment details we see"),
        (D, " (card type and last four digits)"),
        (I, ', described in "The information we collect",'),
        (E, " are kept"),
    )


def test_diff_words_splits_han_text_into_characters():
    assert diff_words("我们收集您的姓名。", "我们收集您的全名。") == (
        (E, "我们收集您的"),
        (D, "姓"),
        (I, "全"),
        (E, "名。"),
    )


def test_diff_words_long_paragraph_with_common_words_is_not_junked():
    """difflib's autojunk would treat 'the' (over 1% of 200+ words) as junk and mark whole
    stretches as changed; with it off, only the changed word is marked."""
    words = " ".join(f"the item{n} and the rest" for n in range(80))
    changed = words.replace("item40 ", "article40 ")
    segments = diff_words(words, changed)
    assert [s for s in segments if s[0] is not E] == [(D, "item40"), (I, "article40")]


def test_diff_paragraphs_pairs_an_edited_paragraph_past_an_inserted_one():
    old = ["We collect only what we need to deliver your order.", "- your name;"]
    new = [
        "A new first paragraph about cookies and trackers.",
        "We collect only what we need to deliver your parcel.",
        "- your full name;",
    ]
    result = _redline(old, new)
    assert [(p.prefix, p.segments) for p in result] == [
        ("", ((I, "A new first paragraph about cookies and trackers."),)),
        (
            "",
            (
                (E, "We collect only what we need to deliver your "),
                (D, "order"),
                (I, "parcel"),
                (E, "."),
            ),
        ),
        ("- ", ((E, "your "), (I, "full "), (E, "name;"))),
    ]


def test_diff_paragraphs_unrelated_rewrite_is_removed_and_added_whole():
    result = _redline(["Cookies are small files."], ["We never sell your data to anyone."])
    assert [(p.edit, p.segments) for p in result] == [
        (D, ((D, "Cookies are small files."),)),
        (I, ((I, "We never sell your data to anyone."),)),
    ]


def test_diff_paragraphs_unchanged_paragraphs_are_kept_as_context():
    result = _redline(["One.", "Two.", "Three."], ["One.", "Two!", "Three."])
    assert [p.changed for p in result] == [False, True, False]
    assert result[0].segments == ((E, "One."),)


def test_diff_paragraphs_numbers_items_as_the_reader_sees_them():
    """Markdown numbers a list from its first item, whatever the others say: "1. 1. 1." reads
    1, 2, 3, and so does its redline."""
    result = _redline(["1. Ask.\n1. Wait.\n1. Read."], ["1. Ask.\n1. Wait a month.\n1. Read."])
    assert [(p.prefix, p.changed) for p in result] == [
        ("1. ", False),
        ("2. ", True),
        ("3. ", False),
    ]
    result = _redline(["3. Ask.\n4. Wait."], ["3. Ask.\n4. Wait long."])
    assert [p.prefix for p in result] == ["3. ", "4. "]


def test_diff_paragraphs_follow_the_html_not_the_source_lines():
    """Blocks come from the HTML, not from source lines: where Markdown folds a "- " line into the
    paragraph line above it, the redline shows the one paragraph the HTML has. (Composing puts a
    blank line there, so a published clause shows a list.)"""
    (paragraph,) = _redline(["We keep:\n- your name"], ["We keep:\n- your full name"])
    assert paragraph.prefix == ""
    assert paragraph.segments == ((E, "We keep: - your "), (I, "full "), (E, "name"))


def test_diff_documents_added_removed_changed_and_moved_clauses():
    who = _clause("who", "Who we are", "We run the shop.")
    data = _clause("data", "Data", "Your name.", "Your address.")
    cookies = _clause("cookies", "Cookies", "We use cookies.")
    rights = _clause("rights", "Your rights", "Ask us.")
    old = _document(who, data, cookies, rights)
    new = _document(
        _clause("rights", "Your rights", "Ask us."),
        who,
        _clause("data", "Data we collect", "Your full name.", "Your address."),
        _clause("transfers", "Transfers", "We keep data in the EU."),
    )
    changes = diff_documents(old, new)
    assert _summary(changes) == [
        ("rights", "moved", True),
        ("data", "changed", False),
        ("cookies", "removed", False),
        ("transfers", "added", False),
    ]
    data_change = changes[1]
    assert (data_change.title, data_change.old_title) == ("Data we collect", "Data")
    assert [p.segments for p in data_change.paragraphs] == [
        ((E, "Your "), (I, "full "), (E, "name.")),
        ((E, "Your address."),),
    ]
    removed = changes[2]
    assert [p.segments for p in removed.paragraphs] == [((D, "We use cookies."),)]


def test_diff_documents_identical_documents_have_no_changes():
    document = _document(_clause("who", "Who we are", "We run the shop."))
    assert diff_documents(document, document) == ()


def test_diff_documents_first_version_is_all_added():
    document = _document(_clause("who", "Who we are", "We run the shop."))
    assert _summary(diff_documents(None, document)) == [("who", "added", False)]


def test_diff_documents_changed_and_moved_clause():
    a, b, c = (_clause(x, x.upper(), f"Text {x}.") for x in "abc")
    new_c = _clause("c", "C", "Text c, edited.")
    changes = diff_documents(_document(a, b, c), _document(new_c, a, b))
    assert _summary(changes) == [("c", "changed", True)]


def test_diff_documents_follows_a_clause_whose_id_changed():
    a, b, c = (_clause(x, x.upper(), f"Text {x}.") for x in "abc")
    renamed = _clause("b2", "B", "Text b, edited.")
    changes = diff_documents(_document(a, b, c), _document(a, renamed, c), {"b2": ("b",)})
    assert _summary(changes) == [("b2", "changed", False)]
    assert changes[0].renamed_from == "b"
    assert changes[0].paragraphs[0].segments == ((E, "Text b"), (I, ", edited"), (E, "."))
    # Without the former ids, the same documents give one clause removed and one added.
    assert _summary(diff_documents(_document(a, b, c), _document(a, renamed, c))) == [
        ("b", "removed", False),
        ("b2", "added", False),
    ]


def test_diff_documents_leaves_out_a_changed_id_a_reader_cannot_see_unless_asked():
    a, b = (_clause(x, x.upper(), f"Text {x}.") for x in "ab")
    renamed = _clause("b2", "B", "Text b.")
    before, after = _document(a, b), _document(a, renamed)
    assert diff_documents(before, after, {"b2": ("b",)}) == ()
    kept = diff_documents(before, after, {"b2": ("b",)}, keep_renamed=True)
    assert _summary(kept) == [("b2", "moved", False)] and kept[0].renamed_from == "b"
    # Moved as well, it is a change either way.
    moved = diff_documents(before, _document(renamed, a), {"b2": ("b",)})
    assert _summary(moved) == [("b2", "moved", True)]


def test_diff_documents_ignores_a_former_id_the_older_version_does_not_free():
    # 'b' is still a clause of the newer version: 'b2' cannot be its continuation.
    a, b = (_clause(x, x.upper(), f"Text {x}.") for x in "ab")
    b2 = _clause("b2", "B", "Text b.")
    changes = diff_documents(_document(a, b), _document(a, b, b2), {"b2": ("b",)})
    assert _summary(changes) == [("b2", "added", False)]


def test_diff_versions_from_history_rename_edit_and_deletion(make_project):
    project = make_project()
    project.git("mv", "policies/clauses/who.md", "policies/clauses/about.md")
    project.commit(
        "Rename and edit who, drop data",
        {
            "policies/clauses/about.md": WHO_MD.replace("runs this shop", "runs this online shop"),
            "policies/clauses/data.md": None,
            "policies/change.yml": change_yml("Fewer words.", "2026-01-02"),
        },
    )
    eu = history_of(publication(project), "eu")
    change = diff_versions(eu.versions[0], eu.versions[1])
    assert _summary(change.clauses) == [
        ("who-we-are", "changed", False),
        ("data-we-collect", "removed", False),
    ]
    assert change.clauses[0].paragraphs[0].segments == (
        (E, "Example Shop Ltd. runs this "),
        (I, "online "),
        (E, "shop. Write to privacy@shop.example."),
    )
    assert [p.segments for p in change.clauses[1].paragraphs] == [
        ((D, "We collect only what we need to deliver your order:"),),
        ((D, "your name;"),),
        ((D, "your delivery address."),),
    ]
    assert [p.prefix for p in change.clauses[1].paragraphs] == ["", "- ", "- "]


def test_a_link_that_leads_elsewhere_is_a_change_its_words_do_not_show():
    """Where a link leads is not in the words a reader sees: the redline says where it led and
    where it leads, instead of showing an unchanged paragraph."""
    (paragraph,) = _redline(
        ["Opt out [on this page](https://shop.example/old)."],
        ["Opt out [on this page](https://shop.example/new?a=1&b=2)."],
    )
    assert paragraph.segments == ((E, "Opt out on this page."),)
    assert paragraph.changed and not paragraph.restyled
    assert paragraph.links == (
        LinkChange(
            text="on this page",
            before="https://shop.example/old",
            after="https://shop.example/new?a=1&b=2",
        ),
    )


def test_links_added_and_removed_are_said_and_a_link_whose_words_changed_is_not():
    (added,) = _redline(["See [a](https://a)."], ["See [a](https://a) and [b](https://b)."])
    assert added.links == (LinkChange(text="b", before=None, after="https://b"),)
    (gone,) = _redline(["See [a](https://a) or [b](https://b)."], ["See [a](https://a) or b."])
    assert gone.links == (LinkChange(text="b", before="https://b", after=None),)
    (reworded,) = _redline(["See [this](https://a)."], ["See [this page](https://a)."])
    assert reworded.links == () and reworded.changed  # the word diff shows it


def test_formatting_alone_is_a_change_and_a_new_number_alone_is_not():
    emphasis, unchanged = _redline(
        ["We **never** sell it.", "Same."], ["We never sell it.", "Same."]
    )
    assert emphasis.restyled and emphasis.changed and emphasis.links == ()
    assert not unchanged.restyled and not unchanged.changed
    # A list item now numbered shows its number (its marker), and no change of formatting.
    (numbered,) = _redline(["- Ask."], ["1. Ask."])
    assert numbered.prefix == "1. " and not numbered.restyled


def test_a_link_that_leads_elsewhere_is_said_on_the_redline_and_in_the_pull_request(make_project):
    project = make_project()
    linked = WHO_MD.replace(
        "runs this shop.", "runs this shop ([contact](https://shop.example/a))."
    )
    project.commit(
        "Link the contact page",
        {
            "policies/clauses/who.md": linked,
            "policies/change.yml": change_yml("Link.", "2026-01-02"),
        },
    )
    project.write(
        {
            "policies/clauses/who.md": linked.replace("example/a", "example/b?x=1&y=2"),
            "policies/change.yml": change_yml("New contact page.", "2026-01-03"),
        }
    )
    comment = project.policy("diff")
    assert comment.returncode == 0, comment.stderr
    assert (
        "<br>*Link changed: “contact” now leads to `https://shop.example/b?x=1&y=2` "
        "(before: `https://shop.example/a`).*" in comment.stdout
    )
    project.commit("Move the contact page")
    assert project.policy("build").returncode == 0
    page = project.read("site/eu/en/changes/3/index.html")
    assert (
        '<span class="policy-redline__note">Link changed: “<bdi>contact</bdi>” now leads to '
        "<bdi>https://shop.example/b?x=1&amp;y=2</bdi> (before: <bdi>https://shop.example/a</bdi>)."
        "</span>" in page
    )


def test_redline_page_shows_removed_clause_and_marks(make_project):
    project = make_project()
    project.commit(
        "Drop the list, edit the name",
        {
            "policies/clauses/data.md": None,
            "policies/clauses/who.md": WHO_MD.replace("runs this shop", "runs this online shop"),
            "policies/change.yml": change_yml("Fewer words.", "2026-01-02"),
        },
    )
    assert project.policy("build").returncode == 0
    page = project.read("site/eu/en/changes/2/index.html")
    assert "policy-redline--removed" in page
    assert "section removed" in page
    assert (
        '<del><span class="policy-sr">removed: </span><span class="policy-redline__words">We '
        "collect only what we need to deliver your order:</span>"
        '<span class="policy-sr"> end of removed text</span></del>' in page
    )
    assert (
        '<ins><span class="policy-sr">added: </span><span class="policy-redline__words">online '
        '</span><span class="policy-sr"> end of added text</span></ins>' in page
    )


def test_a_mark_begins_at_its_first_word_the_space_before_it_left_outside():
    """A line may end after a space: inside the mark, it would leave the sign at the end of one
    line and the words at the start of the next (policy.js's `marked` does the same)."""
    assert opening_space(" by post") == (" ", "by post")
    assert opening_space("\u3000データ\t") == ("\u3000", "データ\t")
    assert opening_space("\u00a0kg") == ("", "\u00a0kg")  # no line ends after a no-break space
    assert opening_space("  ") == ("", "  ")  # no word to keep the sign with
    assert opening_space("word") == ("", "word")
    # Plain text is escaped; the redline's markup is split as it is.
    assert opening_space(" <b>&") == (" ", "&lt;b&gt;&amp;")
    assert opening_space(Markup(" <bdi>x</bdi>")) == (" ", "<bdi>x</bdi>")


def test_a_redline_tells_its_sub_headings_and_lists_as_such(make_project):
    """A screen reader hears the policy's sub-headings and lists on its redline too, not bold
    paragraphs and bullets it is not told of (WCAG 1.3.1)."""
    project = make_project()
    project.commit(
        "A sub-heading and a longer list",
        {
            "policies/clauses/data.md": DATA_MD.replace(
                "We collect only", "### What you give us\n\nWe collect only"
            ).replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
        },
    )
    assert project.policy("build").returncode == 0
    page = project.read("site/eu/en/changes/2/index.html")
    assert (
        "heading",
        ' role="heading" aria-level="3"',
    ) in re.findall(
        r'<p class="policy-redline__paragraph policy-redline__(heading)"( [^>]*)>', page
    )
    listed = re.search(r'<div class="policy-redline__list" role="list">(.*?)</div>', page, re.S)
    assert listed is not None
    assert listed.group(1).count('role="listitem"') == 2
    assert page.count('role="listitem"') == 2  # none outside the list


def test_a_clause_whose_id_changed_keeps_its_redline_and_history_on_the_site(make_project):
    # The site used to show it removed whole and added whole, and start its history again.
    project = make_project()
    project.commit(
        "Edit the list",
        {
            "policies/clauses/data.md": DATA_MD.replace("your name;", "your full name;"),
            "policies/change.yml": change_yml("Full name.", "2026-01-02"),
        },
    )
    project.commit(
        "Rename a section and edit it",
        {
            "policies/clauses/data.md": DATA_MD.replace(
                "id: data-we-collect", "id: what-we-collect"
            )
            .replace("your name;", "your full name;")
            .replace("your delivery address.", "your e-mail address."),
            "policies/change.yml": change_yml("E-mail, not delivery address.", "2026-01-03"),
        },
    )
    assert project.policy("build").returncode == 0
    redline = project.read("site/eu/en/changes/3/index.html")
    assert "policy-redline--removed" not in redline and "policy-redline--added" not in redline
    assert re.search(
        r'<section class="policy-clause policy-redline policy-redline--changed" '
        r'aria-labelledby="what-we-collect">\s*'
        r'<span id="data-we-collect" class="policy-clause__former"></span>\s*'
        r'<h2 id="what-we-collect">',
        redline,
    )
    assert (
        '<del><span class="policy-sr">removed: </span><span class="policy-redline__words">'
        'delivery</span><span class="policy-sr"> end of removed text</span></del>' in redline
    )
    assert (
        '<ins><span class="policy-sr">added: </span><span class="policy-redline__words">'
        'e-mail</span><span class="policy-sr"> end of added text</span></ins>' in redline
    )

    history = project.read("site/eu/en/history/index.html")
    section = re.search(
        r'<section [^>]*aria-labelledby="what-we-collect">.*?</section>', history, re.S
    ).group(0)
    assert '<span id="data-we-collect" class="policy-clause__former"></span>' in section
    # Each version's link goes to the clause under the id it had in that version.
    assert re.findall(r'href="\.\./(v|changes)/(\d)/#([a-z-]+)"', section) == [
        ("v", "3", "what-we-collect"),
        ("changes", "3", "what-we-collect"),
        ("v", "2", "data-we-collect"),
        ("changes", "2", "data-we-collect"),
        ("v", "1", "data-we-collect"),
    ]
    assert history.count('aria-labelledby="data-we-collect"') == 0  # no history of its own
    # The page of a version before the rename tells when its clause last changed.
    second = project.read("site/eu/en/v/2/index.html")
    assert "Last changed in version 2" in second


def test_an_old_id_a_new_clause_takes_keeps_each_page_to_its_own_clause(make_project):
    # The pages before the rename looked the old id's history up and found the new clause's:
    # they lost their clause's last change, and their history link led to the other clause.
    project = make_project()
    project.commit(
        "Rename a section",
        {
            "policies/clauses/data.md": DATA_MD.replace(
                "id: data-we-collect", "id: what-we-collect"
            ),
            "policies/change.yml": change_yml("New id.", "2026-01-02"),
        },
    )
    project.commit(
        "A new section takes the old id",
        {
            "policies/clauses/cookies.md": "---\nid: data-we-collect\ntitle: Cookies\n"
            "order: 30\njurisdictions: [global]\n---\nWe set one cookie, for your basket.\n",
            "policies/change.yml": change_yml("Cookies.", "2026-01-03"),
        },
    )
    assert project.policy("build").returncode == 0
    meta = partial(_section_meta, project)
    assert meta("site/eu/en/v/1/index.html", "data-we-collect") == (
        "Added in version 1, effective January 1, 2026",
        "../../history/#what-we-collect",
    )
    assert meta("site/eu/en/index.html", "what-we-collect") == (
        "Added in version 1, effective January 1, 2026",
        "history/#what-we-collect",
    )
    assert meta("site/eu/en/index.html", "data-we-collect") == (
        "Added in version 3, effective January 3, 2026",
        "history/#data-we-collect",
    )


def test_a_clause_renamed_to_the_id_of_one_removed_beside_it_keeps_its_own_history(make_project):
    # The two made one history: version 2's page said its clause changed when the other went.
    project = make_project()
    project.commit(
        "Remove a section",
        {
            "policies/clauses/data.md": None,
            "policies/change.yml": change_yml("Nothing collected.", "2026-01-02"),
        },
    )
    project.commit(
        "Give another section its id",
        {
            "policies/clauses/who.md": WHO_MD.replace("id: who-we-are", "id: data-we-collect"),
            "policies/change.yml": change_yml("New id.", "2026-01-03"),
        },
    )
    assert project.policy("build").returncode == 0
    meta = partial(_section_meta, project)
    assert meta("site/eu/en/v/2/index.html", "who-we-are") == (
        "Added in version 1, effective January 1, 2026",
        "../../history/#data-we-collect",
    )
    assert meta("site/eu/en/v/1/index.html", "data-we-collect") == (
        "Added in version 1, effective January 1, 2026",
        "../../history/#data-we-collect--2",
    )
    history = project.read("site/eu/en/history/index.html")
    assert re.findall(r'<h2 id="([a-z0-9-]+)">([^<]*?)\s*<', history) == [
        ("data-we-collect", "Who we are"),
        ("data-we-collect--2", "The information we collect"),
    ]
    ids = re.findall(r'\bid="([^"]+)"', history)
    assert len(ids) == len(set(ids)) and "who-we-are" in ids

    project.commit(
        "Remove that one too",
        {
            "policies/clauses/who.md": None,
            "policies/change.yml": change_yml("Nobody.", "2026-01-04"),
        },
    )
    assert project.policy("build").returncode == 0
    # A link to `#data-we-collect` finds the clause that had the id last.
    page = project.read("site/eu/en/index.html")
    notices = re.findall(r'<div id="([a-z-]+)" class="[^"]*policy-removed".*?</div>', page, re.S)
    assert notices == ["data-we-collect", "who-we-are"]
    assert "“Who we are” was removed in version 4" in page
    assert "“The information we collect” was removed" not in page


def test_links_to_a_removed_clause_find_a_notice_under_each_id_it_had(make_project):
    project = make_project()
    project.commit(
        "Rename a section",
        {
            "policies/clauses/data.md": DATA_MD.replace(
                "id: data-we-collect", "id: what-we-collect"
            ),
            "policies/change.yml": change_yml("New id.", "2026-01-02"),
        },
    )
    project.commit(
        "Remove it",
        {
            "policies/clauses/data.md": None,
            "policies/change.yml": change_yml("Nothing collected.", "2026-01-03"),
        },
    )
    assert project.policy("build").returncode == 0
    page = project.read("site/eu/en/index.html")
    notices = re.findall(r'<div id="([a-z-]+)" class="[^"]*policy-removed".*?</div>', page, re.S)
    assert notices == ["what-we-collect", "data-we-collect"]
    assert (
        page.count(
            "The section “The information we collect” was removed in version 3, effective "
            '<time datetime="2026-01-03">January 3, 2026</time>. '
            '<a href="v/2/#what-we-collect">Read it as it was in version 2</a>'
        )
        == 2
    )
    # The version that still has the clause has no notice; nor has the search index.
    assert "policy-removed" not in project.read("site/eu/en/v/2/index.html")
    assert "was removed" not in project.read("site/search/search_index.json")


def test_redline_for_a_reordered_clause_is_moved(make_project):
    project = make_project()
    project.commit(
        "Data first",
        {
            "policies/clauses/data.md": DATA_MD.replace("order: 20", "order: 5"),
            "policies/change.yml": change_yml("Reordered.", "2026-01-02", "editorial"),
        },
    )
    eu = history_of(publication(project), "eu")
    change = diff_versions(eu.versions[0], eu.versions[1])
    assert _summary(change.clauses) in (
        [("data-we-collect", "moved", True)],
        [("who-we-are", "moved", True)],
    )
    assert all(not p.changed for c in change.clauses for p in c.paragraphs)
    assert all(c.type is ChangeType.MOVED for c in change.clauses)


def _section_meta(project, page: str, clause_id: str) -> tuple[str, str]:
    """A clause's last change on a page (its words), and where its link to the clause's history
    goes."""
    section = re.search(
        rf'<section class="policy-clause" aria-labelledby="{clause_id}">.*?</section>',
        project.read(page),
        re.S,
    ).group(0)
    found = re.search(r'policy-clause__meta[^>]*>([^·]*) · <a href="([^"]*)"', section)
    return re.sub(r"<[^>]+>", "", found[1]).strip(), found[2]
