"""The body cache's digests: equal values give equal digests, and values that differ in anything a
template could show (a type, an order, where one string ends) give different ones."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from generator.bodies import Digests, Undigestible

LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.builds(Markup, st.text(max_size=8))
    | st.dates()
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    ),
    max_leaves=20,
)


def _typed(value: object) -> str:
    """repr, with the types repr leaves out (Markup looks like str, a date like a date)."""
    if isinstance(value, Markup):
        return f"Markup({str(value)!r})"
    if isinstance(value, list | tuple):
        inner = ",".join(_typed(v) for v in value)
        return f"{type(value).__name__}[{inner}]"
    if isinstance(value, dict):
        inner = ",".join(f"{_typed(k)}:{_typed(v)}" for k, v in value.items())
        return "{" + inner + "}"
    return f"{type(value).__name__}:{value!r}"


@given(VALUES, VALUES)
def test_digests_are_equal_exactly_when_the_values_are(a, b):
    digests = Digests()
    assert digests.of(a) == Digests().of(copy.deepcopy(a))
    assert (digests.of(a) == digests.of(b)) == (_typed(a) == _typed(b))


def test_where_strings_end_and_what_holds_them_count():
    of = Digests().of
    values = [
        ("a", "b"),
        ("ab",),
        ["a", "b"],
        {"a": "b"},
        ("a", Markup("b")),
        ("s1:a",),
        (1,),
        (True,),
        (1.0,),
        ("1",),
        (dt.date(2026, 1, 1),),
        (dt.datetime(2026, 1, 1),),
    ]
    assert len({of(v) for v in values}) == len(values)


@dataclass(frozen=True)
class _Clause:
    id: str
    words: tuple[str, ...]


def test_dataclasses_are_digested_field_by_field_and_once():
    digests = Digests()
    shared = _Clause("a", ("one", "two"))
    assert digests.of([shared, shared]) == digests.of([_Clause("a", ("one", "two"))] * 2)
    assert digests.of(shared) != digests.of(_Clause("a", ("one", "three")))
    assert digests.of(frozenset({"x", "y"})) == digests.of(frozenset({"y", "x"}))


def test_an_unknown_kind_of_value_is_not_digested():
    with pytest.raises(Undigestible):
        Digests().of({"x": object()})
