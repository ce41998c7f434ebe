"""Routine ids made from names, and the starter file."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mobility_coach.core.routines.starter import MAX_SLUG_LENGTH, slug
from mobility_coach.core.spec import ID_PATTERN


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("désk", "desk"),
        ("Afternoon: reset!", "afternoon-reset"),
        ("Pausé Café", "pause-cafe"),
        ("Ñandú", "nandu"),
        ("Straße", "strasse"),
        ("Smørrebrød", "smorrebrod"),
        ("Łódź", "lodz"),
        ("  -- Cat  cow --  ", "cat-cow"),
        ("ﬁne", "fine"),
        ("\uff37\uff49\uff44\uff45", "wide"),
        ("日本", ""),
        ("!!!", ""),
    ],
)
def test_slug_keeps_the_letters_of_accented_names(name: str, expected: str) -> None:
    assert slug(name) == expected


@given(st.text(max_size=300))
def test_slug_is_always_a_valid_id_or_empty(name: str) -> None:
    result = slug(name)
    assert result == "" or re.fullmatch(ID_PATTERN, result)
    assert len(result) <= MAX_SLUG_LENGTH and not result.endswith("-")


@given(st.text(alphabet=st.characters(codec="ascii", categories=["Ll", "Lu", "Nd"]), min_size=1, max_size=40))
def test_slug_of_plain_letters_and_digits_is_the_lower_case_name(name: str) -> None:
    assert slug(name) == name.lower()
