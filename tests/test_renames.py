"""The rename rule applied along a document's versions: which former ids lead to which clause."""

from generator.renames import former_ids

INTRO = ("Who we are", "We are the shop.", "Write to us.")
DATA = ("Data we collect", "Your name.", "Your address.")


def test_a_renamed_clause_keeps_its_old_id_from_the_rename_on() -> None:
    states = [
        {"who-we-are": INTRO, "data": DATA},
        {"about-us": INTRO, "data": DATA},
        {"about-us": (*INTRO, "A new paragraph."), "data": DATA},
    ]
    assert former_ids(states) == [{}, {"about-us": ("who-we-are",)}, {"about-us": ("who-we-are",)}]


def test_a_chain_of_renames_leads_every_former_id_to_the_newest() -> None:
    states = [{"a": INTRO}, {"b": INTRO}, {"c": INTRO}]
    assert former_ids(states)[-1] == {"c": ("a", "b")}


def test_an_id_taken_again_by_a_clause_is_no_longer_a_former_id() -> None:
    states = [{"a": INTRO}, {"b": INTRO}, {"b": INTRO, "a": DATA}]
    assert former_ids(states) == [{}, {"b": ("a",)}, {}]


def test_a_former_id_goes_with_the_clause_it_leads_to() -> None:
    states = [
        {"a": INTRO, "d": DATA},
        {"b": INTRO, "d": DATA},
        {"d": DATA},
        {"b": INTRO, "d": DATA},
    ]
    assert former_ids(states) == [{}, {"b": ("a",)}, {}, {}]


def test_a_new_clause_with_other_text_is_not_a_rename() -> None:
    states = [{"a": INTRO}, {"b": DATA}]
    assert former_ids(states) == [{}, {}]


def test_two_clauses_renamed_at_once_each_keep_their_own_id() -> None:
    states = [{"a": INTRO, "d": DATA}, {"b": INTRO, "e": DATA}]
    assert former_ids(states)[-1] == {"b": ("a",), "e": ("d",)}
