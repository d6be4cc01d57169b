"""The rename rule applied along a document's versions: which former ids lead to which clause."""

from histories import synthetic_history
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.history import Repository
from generator.renames import clause_messages, former_ids
from generator.versions import derive_versions

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


def test_the_benchmark_history_renames_ids_as_a_legal_team_would(tmp_path) -> None:
    """The benchmark's synthetic history gives a clause a new id and rewords it (version 5): the
    rule follows it in every jurisdiction that has it, and its translations were carried over to
    the new id, so the benchmark measures the site following a rename, not a new clause."""
    root = synthetic_history(
        tmp_path / "repo", clauses=8, jurisdictions=3, languages=3, versions=6, seed=3
    )
    publication = derive_versions(list(Repository(root).history("HEAD")))
    followed = 0
    for (jurisdiction, language), history in publication.documents.items():
        newest = history.versions[-1].document
        if "section-005" not in {c.id for c in newest.clauses}:
            continue
        if language == "en":
            states = [clause_messages(v.document) for v in history.versions]
            (former,) = former_ids(states)[-1]["section-005"]
            assert former.startswith("clause-"), jurisdiction
            followed += 1
        else:
            (clause,) = (c for c in newest.clauses if c.id == "section-005")
            source = publication.documents[(jurisdiction, "en")].versions[-1].document
            (original,) = (c for c in source.clauses if c.id == "section-005")
            assert clause.title != original.title, (jurisdiction, language)
    assert followed


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from("abcde"),
            st.lists(st.sampled_from("pqrst"), min_size=1, max_size=3, unique=True).map(tuple),
            max_size=4,
        ),
        min_size=1,
        max_size=7,
    )
)
def test_each_former_id_leads_to_one_clause_a_state_has(states) -> None:
    """Whatever the renames, a page's anchors stay unique: a former id is none of the state's
    own ids, leads to one clause, and was an id of an earlier state."""
    seen: set[str] = set()
    for state, formers in zip(states, former_ids(states), strict=True):
        assert formers.keys() <= state.keys()
        anchors = [f for fs in formers.values() for f in fs]
        assert len(anchors) == len(set(anchors))
        assert not set(anchors) & state.keys()
        assert set(anchors) <= seen
        seen |= state.keys()
