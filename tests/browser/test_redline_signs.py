"""A redline on a phone: the "+" or "−" before changed words never ends a line whose next line
begins those words (a dangling "−" reads as a stray dash, the words after it as unmarked), on the
redline pages, left to right and right to left, and on the comparison the script draws."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import SITE_YML, Project, change_yml
from harness import contexts, served, shot
from playwright.sync_api import Browser, expect
from translating import translate

pytestmark = pytest.mark.browser

JURISDICTIONS = "global:\n  name: Worldwide\n  languages: [en, ar]\n"

CLAUSE = """\
---
id: data-we-collect
title: The information we collect
order: 10
jurisdictions: [global]
---
{first}

- {item}

{last}

{names}
"""

BEFORE = {
    "first": (
        "We collect only what we need to deliver your order, and we keep your postal address, "
        "your telephone number and the history of your orders for as long as the law asks us "
        "to keep them, then we delete them for good."
    ),
    "item": "your name as you gave it;",
    "last": "You may write to {{ company.name }} about your information at any time",
    "names": "Ask our Datenschutzbeauftragten.",
}
"""Version 1's words. Version 2 changes a word in every few, so that, at one phone width or
another, a changed stretch begins near the end of a line; it adds words after the last paragraph's
last (marked with the space before them), changes the first words of a list item, and removes the
company's name, which a right-to-left page isolates (<bdi>) as the removed words' first; and
replaces a long word with another, which together would not fit a phone's line."""

AFTER = {
    "first": (
        "We gather only what we need to ship your parcel, and we store your delivery address, "
        "your mobile number and the record of your purchases for as long as tax law requires us "
        "to store them, then we erase them for good."
    ),
    "item": "the full name on your identity card;",
    "last": "You may write to us about your information at any time by post or by e-mail",
    "names": "Ask our Verantwortlichen.",
}

ARABIC = {
    BEFORE["first"]: (
        "نجمع فقط ما نحتاج إليه لتوصيل طلبك، ونحتفظ بعنوانك البريدي ورقم هاتفك وسجل طلباتك "
        "طالما يطلب منا القانون الاحتفاظ بها، ثم نحذفها نهائيا."
    ),
    AFTER["first"]: (
        "نجمع فقط ما يلزم لشحن طردك، ونخزن عنوان التسليم ورقم جوالك وسجل مشترياتك طالما يلزمنا "
        "قانون الضرائب بتخزينها، ثم نمحوها نهائيا."
    ),
    BEFORE["item"]: "اسمك كما أعطيتنا إياه؛",
    AFTER["item"]: "الاسم الكامل في بطاقة هويتك؛",
    BEFORE["last"]: "يمكنك مراسلة {{ company.name }} بشأن معلوماتك في أي وقت",
    AFTER["last"]: "يمكنك مراسلتنا بشأن معلوماتك في أي وقت بالبريد أو بالبريد الإلكتروني",
    "Ask our Datenschutzbeauftragten.": "اسأل Datenschutzbeauftragten.",
    "Ask our Verantwortlichen.": "اسأل Verantwortlichen.",
    "The information we collect": "المعلومات التي نجمعها",
    "Privacy policy": "سياسة الخصوصية",
    "Worldwide": "جميع أنحاء العالم",
    "First version.": "النسخة الأولى.",
    "Other words.": "كلمات أخرى.",
}

SIGNS_APART = """() => [...document.querySelectorAll(".policy-redline :is(ins, del)")].flatMap(mark => {
    // The sign is the mark's ::before, drawn in its first box with a width (a zero-width space
    // before the sign, where a line may end, may leave an empty box at the end of a line).
    const sign = [...mark.getClientRects()].find(box => box.width > 1);
    const walker = document.createTreeWalker(mark, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        if (text.parentElement.closest(".policy-sr")) continue;
        const at = text.data.search(/\\S/);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(text, at);
        range.setEnd(text, at + 1);
        const first = range.getBoundingClientRect();
        const problems = Math.abs(first.top - sign.top) > 2
            ? [`${mark.localName} "${text.data.slice(at, at + 24)}": sign at ${sign.top}px,`
               + ` its first word at ${first.top}px, ${innerWidth}px wide`]
            : [];
        // A single word marked is not cut in two (a line may end before the sign).
        if (!/\\s/.test(text.data.trim())) {
            range.setStart(text, text.data.length - 1);
            range.setEnd(text, text.data.length);
            if (Math.abs(range.getBoundingClientRect().top - first.top) > 2) {
                problems.push(`${mark.localName} "${text.data}" cut in two, ${innerWidth}px wide`);
            }
        }
        return problems;
    }
    return [`${mark.localName} marks no words`];
})"""
"""Each mark whose sign and first marked character are not on the same line, or whose one word
is cut at a line's end, as problems."""

OVERFLOW = "() => document.scrollingElement.scrollWidth - innerWidth"


def translated(project: Project) -> None:
    assert project.policy("i18n", "update").returncode == 0
    translate(project, "ar", ARABIC)
    project.commit("Arabic")


def test_a_sign_stays_on_the_line_of_the_first_word_it_marks_on_a_phone(
    make_project: Callable[..., Project], browser: Browser
) -> None:
    project = make_project(
        {
            "policies/site.yml": SITE_YML,
            "policies/jurisdictions.yml": JURISDICTIONS,
            "policies/clauses/who.md": None,
            "policies/clauses/data.md": CLAUSE.format(**BEFORE),
        }
    )
    translated(project)
    project.commit(
        "Other words",
        {
            "policies/change.yml": change_yml("Other words.", "2026-01-02"),
            "policies/clauses/data.md": CLAUSE.format(**AFTER),
        },
    )
    translated(project)
    pages = ["global/en/changes/2/", "global/ar/changes/2/", "global/en/compare/?from=1&to=2"]
    with served(project) as site, contexts(browser, site) as make:
        page = make(viewport={"width": 320, "height": 640}, locale="en-US").new_page()
        for address in pages:
            page.set_viewport_size({"width": 320, "height": 640})
            page.goto(site.url + address)
            if "compare" in address:
                expect(page.locator("[data-policy-compare-status]")).to_contain_text(
                    "Sections that differ"
                )
            assert page.locator(".policy-redline del + ins").count() >= 6
            assert page.locator(".policy-redline del bdi").count() == ("/ar/" in address)
            shot(page, "phone-320-signs-" + address.split("/")[1] + "-" + address.split("/")[2][:7])
            for width in range(320, 420, 2):
                page.set_viewport_size({"width": width, "height": 640})
                assert page.evaluate(SIGNS_APART) == [], address
                assert page.evaluate(OVERFLOW) <= 0, (address, width)
