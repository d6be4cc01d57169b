"""Values that variables put into text of the other direction are isolated where pages show them."""

from __future__ import annotations

from generator.bidi import isolate, isolate_text

NAME = "Example Shop Ltd."
PHONE = "+44 20 7946 0000"
ARABIC_NAME = "شركة المثال"


def test_a_latin_name_in_arabic_text_is_isolated_left_to_right():
    fragment = f"<p><strong>{NAME}</strong> تدير هذا المتجر.</p>"
    assert isolate(fragment, [NAME], "rtl") == (
        f'<p><strong><bdi dir="ltr">{NAME}</bdi></strong> تدير هذا المتجر.</p>'
    )


def test_digits_alone_are_isolated_on_a_right_to_left_page():
    # Its groups would otherwise show in reverse order: "0000 7946 20 44+".
    assert isolate(f"<p>اتصل بنا على {PHONE}.</p>", [PHONE], "rtl") == (
        f'<p>اتصل بنا على <bdi dir="ltr">{PHONE}</bdi>.</p>'
    )


def test_an_arabic_name_in_english_text_is_isolated_right_to_left():
    assert isolate(f"<p>{ARABIC_NAME} runs this shop.</p>", [ARABIC_NAME, NAME], "ltr") == (
        f'<p><bdi dir="rtl">{ARABIC_NAME}</bdi> runs this shop.</p>'
    )


def test_a_page_in_the_values_direction_is_unchanged():
    fragment = f"<p>{NAME} runs this shop. Call {PHONE}.</p>"
    assert isolate(fragment, [NAME, PHONE], "ltr") == fragment
    assert isolate(f"<p>{ARABIC_NAME}</p>", [ARABIC_NAME], "rtl") == f"<p>{ARABIC_NAME}</p>"


def test_only_text_is_isolated_never_an_attribute():
    url = "https://shop.example/privacy"
    fragment = f'<p>راجع <a href="{url}" title="{url}">{url}</a></p>'
    assert isolate(fragment, [url], "rtl") == (
        f'<p>راجع <a href="{url}" title="{url}"><bdi dir="ltr">{url}</bdi></a></p>'
    )


def test_escaped_text_is_matched_and_stays_escaped():
    value = "Smith & Sons <UK>"
    fragment = "<p>يدير Smith &amp; Sons &lt;UK&gt; المتجر &amp; الموقع.</p>"
    assert isolate(fragment, [value], "rtl") == (
        '<p>يدير <bdi dir="ltr">Smith &amp; Sons &lt;UK&gt;</bdi> المتجر &amp; الموقع.</p>'
    )


def test_the_longest_value_wins_and_words_are_matched_whole():
    values = ["Example Shop", NAME, "UK"]
    fragment = f"<p>{NAME} و Example Shop و UKIP و UK</p>"
    assert isolate(fragment, values, "rtl") == (
        f'<p><bdi dir="ltr">{NAME}</bdi> و <bdi dir="ltr">Example Shop</bdi> و UKIP و '
        '<bdi dir="ltr">UK</bdi></p>'
    )


def test_a_value_broken_across_lines_is_still_found():
    assert isolate("<p>يدير Example\nShop Ltd. المتجر</p>", [NAME], "rtl") == (
        '<p>يدير <bdi dir="ltr">Example\nShop Ltd.</bdi> المتجر</p>'
    )


def test_plain_text_is_escaped_then_isolated():
    assert isolate_text('<b> "اسم" Example Shop Ltd.', [NAME], "rtl") == (
        '&lt;b&gt; "اسم" <bdi dir="ltr">Example Shop Ltd.</bdi>'
    )
    assert isolate_text("<b>", [NAME], "rtl") == "&lt;b&gt;"
