"""Ranking the home screen's filter matches: name prefix, then name, then tags and
positions, then id or summary."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from mobility_coach.core.routines.model import Routine
from mobility_coach.core.routines.search import (
    ID_OR_SUMMARY,
    NAME_HAS,
    NAME_STARTS,
    TAG_OR_POSITION,
    match_rank,
    rank_routines,
)
from tests.unit.builders import EX, routine, step


def named(
    name: str, *, id: str = "r", tags: tuple[str, ...] = (), summary: str = "S", position: str = "standing"
) -> Routine:
    base = routine(step(exercise=replace(EX, position=position)))
    return replace(base, id=id, name=name, tags=tags, summary=summary)


FLOOR = named("Floor mobility", id="floor-mobility", tags=("floor", "spine"), position="floor")
CORE = named("Core and posture", id="core-posture", tags=("floor", "core"), position="floor")
DESK = named("Hourly desk break", id="desk-break", tags=("desk",), position="seated")
STIFF = named(
    "Stiff-back start",
    id="stiff-back-start",
    tags=("gentle",),
    position="floor",
    summary="Heat first, then gentle movement for the morning",
)
LOW_FLOOR = named("Low floor flow", id="low-floor-flow", position="seated")
ALL = [STIFF, DESK, CORE, FLOOR, LOW_FLOOR]


def ids(found: list[Routine]) -> list[str]:
    return [r.id for r in found]


def test_a_name_starting_with_the_text_comes_first_then_names_containing_it_then_tags_and_positions() -> None:
    assert ids(rank_routines(ALL, "floor")) == ["floor-mobility", "low-floor-flow", "core-posture", "stiff-back-start"]
    assert [match_rank(r, "floor") for r in (FLOOR, LOW_FLOOR, CORE, STIFF)] == [
        NAME_STARTS,
        NAME_HAS,
        TAG_OR_POSITION,
        TAG_OR_POSITION,
    ]


def test_ids_and_summaries_match_last() -> None:
    assert match_rank(STIFF, "morning") == ID_OR_SUMMARY
    assert match_rank(DESK, "desk-break") == ID_OR_SUMMARY
    assert ids(rank_routines(ALL, "desk")) == ["desk-break"]
    assert ids(rank_routines([STIFF, DESK], "b")) == ["desk-break", "stiff-back-start"]  # both names hold it: by name


def test_every_word_must_match_in_any_order_ignoring_case_and_spaces() -> None:
    assert match_rank(FLOOR, "  FLOOR   Mob ") == NAME_STARTS
    assert match_rank(FLOOR, "mobility floor") == NAME_HAS
    assert match_rank(FLOOR, "floor spine") == TAG_OR_POSITION
    assert match_rank(FLOOR, "floor zq") is None
    assert rank_routines(ALL, "zq") == []


def test_no_text_lists_everything_by_name() -> None:
    assert ids(rank_routines(ALL, "")) == [
        "core-posture",
        "floor-mobility",
        "desk-break",
        "low-floor-flow",
        "stiff-back-start",
    ]


WORD = st.text(alphabet="abcdefgh -", min_size=0, max_size=12)
ROUTINES = st.lists(
    st.builds(lambda name, tag, i: named(name or "x", id=f"r{i}", tags=(tag,)), WORD, WORD, st.integers(0, 10_000)),
    max_size=8,
    unique_by=lambda r: r.id,
)


@given(ROUTINES, WORD)
def test_ranking_keeps_exactly_the_matches_best_first(routines: list[Routine], query: str) -> None:
    found = rank_routines(routines, query)
    assert sorted(ids(found)) == sorted(r.id for r in routines if match_rank(r, query) is not None)
    ranks = [match_rank(r, query) or 0 for r in found]
    assert ranks == sorted(ranks)
    text = " ".join(query.lower().split())
    starting = [r.name.lower().startswith(text) for r in found]
    assert starting == sorted(starting, reverse=True)  # every name-prefix match before any other


@given(ROUTINES, WORD)
def test_more_text_never_finds_more(routines: list[Routine], query: str) -> None:
    assert set(ids(rank_routines(routines, query + " a"))) <= set(ids(rank_routines(routines, query)))
