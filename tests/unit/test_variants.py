"""Variants in the routine format: declared by id, resolved once the library is known,
each mistake reported where it was written; and a routine played without the floor."""

from __future__ import annotations

from pathlib import Path

from mobility_coach.core.routines.format import json_schema
from mobility_coach.core.routines.loader import Layer, builtin_layer, load_library
from mobility_coach.core.routines.timeline import expand
from mobility_coach.core.routines.variants import as_played, fits_without_floor, without_floor

HEADER = """exercises:
  low-reach:
    name: Low reach
    position: floor
    cues: [Reach.]
    cautions: [Stop if it hurts.]
    variants:
"""


def load(tmp_path: Path, text: str) -> tuple[list[str], object]:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    library = load_library([builtin_layer(), Layer((path,), builtin=False)])
    return [f"{p.line}:{p.column}: {p.message}" for p in library.problems_in([path])], library


def test_a_variant_naming_no_exercise_is_reported_where_it_is_written(tmp_path: Path) -> None:
    problems, library = load(tmp_path, HEADER + "      off_floor: seated-cat-cwo\n")
    assert problems == [
        "8:18: exercises.low-reach.variants.off_floor: unknown exercise 'seated-cat-cwo'; did you mean 'seated-cat-cow'?"
    ]
    assert library.exercises["low-reach"].off_floor is None  # type: ignore[attr-defined]


def test_an_off_floor_variant_must_leave_the_floor(tmp_path: Path) -> None:
    problems, _ = load(tmp_path, HEADER + "      off_floor: cat-cow\n")
    assert problems == [
        "8:18: exercises.low-reach.variants.off_floor: 'cat-cow' is done on the floor too; "
        "an off_floor variant is seated or standing"
    ]


def test_a_variant_of_itself_and_an_unknown_kind_are_reported(tmp_path: Path) -> None:
    problems, _ = load(tmp_path, HEADER + "      easier: low-reach\n      eaiser: x\n")
    assert problems == [
        "9:7: exercises.low-reach.variants: unknown key 'eaiser' in variants; did you mean 'easier'?",
    ]
    problems, _ = load(tmp_path, HEADER + "      easier: low-reach\n")
    assert problems == ["8:15: exercises.low-reach.variants.easier: an exercise cannot be its own variant"]


def test_variants_resolve_across_files_and_in_any_order(tmp_path: Path) -> None:
    text = HEADER + "      off_floor: wall-reach\n      easier: seated-cat-cow\n"
    text += "  wall-reach:\n    name: Wall reach\n    position: standing\n    cues: [Reach up the wall.]\n"
    text += "routines:\n  mine:\n    name: Mine\n    summary: Mine.\n    steps:\n"
    text += "      - exercise: low-reach\n        hold: 10s\n"
    problems, library = load(tmp_path, text)
    assert problems == []
    routine = library.routines["mine"]  # type: ignore[attr-defined]
    assert routine.needs_floor and fits_without_floor(routine)
    played = without_floor(routine)
    assert [s.exercise.id for s in played.steps] == ["wall-reach"] and not played.needs_floor
    # The same work; only the get-ready is shorter, with no getting down to the floor (15 s):
    # as long as its words, 13 s.
    assert played.steps[0].hold == 10 and expand(routine).timed_seconds - expand(played).timed_seconds == 15 - 13
    assert as_played(routine, floor=True) is routine


def test_a_floor_exercise_without_a_variant_keeps_the_routine_on_the_floor(tmp_path: Path) -> None:
    text = HEADER.replace("    variants:\n", "")
    text += "routines:\n  mine:\n    name: Mine\n    summary: Mine.\n    steps:\n"
    text += "      - exercise: low-reach\n        hold: 10s\n"
    problems, library = load(tmp_path, text)
    assert problems == []
    routine = library.routines["mine"]  # type: ignore[attr-defined]
    assert not fits_without_floor(routine) and without_floor(routine) is routine


def test_every_builtin_routine_can_be_done_without_the_floor() -> None:
    library = load_library([builtin_layer()])
    for routine in library.routines.values():
        assert fits_without_floor(routine), routine.id
        assert not without_floor(routine).needs_floor, routine.id


def test_the_schema_declares_variants_areas_and_needs() -> None:
    exercise = json_schema()["properties"]["exercises"]["additionalProperties"]
    assert set(exercise["properties"]["variants"]["properties"]) == {"off_floor", "easier"}
    assert exercise["properties"]["variants"]["additionalProperties"] is False
    assert "upper back" in exercise["properties"]["areas"]["items"]["enum"]
    assert {"needs", "start"} <= set(exercise["properties"])
