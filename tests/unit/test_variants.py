"""Variants in the routine format: declared by id, resolved once the library is known,
each mistake reported where it was written; and a routine played without the floor."""

from __future__ import annotations

from pathlib import Path

import pytest

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
    variants = set(exercise["properties"]["variants"]["properties"])
    assert variants == {"off_floor", "easier", "seated", "pregnancy", "osteoporosis", "hypermobility"}
    assert exercise["properties"]["avoid_with"]["items"]["enum"] == ["pregnancy", "osteoporosis", "hypermobility"]
    assert exercise["properties"]["variants"]["additionalProperties"] is False
    assert "upper back" in exercise["properties"]["areas"]["items"]["enum"]
    assert {"needs", "start"} <= set(exercise["properties"])


# Standing, and the precautions named in the settings.

from mobility_coach.core.routines.precautions import caution_for  # noqa: E402
from mobility_coach.core.routines.variants import Body, fits, fitted  # noqa: E402

BUILTINS = load_library([builtin_layer()])
SEATED = Body(standing=False)


def test_without_standing_every_standing_exercise_plays_its_seated_version() -> None:
    desk = as_played(BUILTINS.routines["desk-break"], floor=True, body=SEATED)
    ids = [s.exercise.id for s in desk.steps]
    assert ids[-1] == "seated-march"  # the walk, as a seated march
    assert desk.positions == ("seated",)
    # Played with the seated march's own dose, not the walk's 45 s hold.
    assert desk.steps[-1].reps == 5 and desk.steps[-1].tempo == 12.0
    reset = as_played(BUILTINS.routines["standing-reset"], floor=True, body=SEATED)
    assert {"seated-opposite-reach", "seated-desk-push"} <= {s.exercise.id for s in reset.steps}


def test_every_standing_exercise_has_a_seated_version() -> None:
    for exercise in BUILTINS.exercises.values():
        if exercise.position == "standing":
            assert exercise.seated is not None and exercise.seated.position == "seated", exercise.id


def test_with_neither_floor_nor_standing_every_builtin_routine_plays_seated() -> None:
    for routine in BUILTINS.routines.values():
        played = as_played(routine, floor=False, body=SEATED)
        assert played.positions == ("seated",), (routine.id, [s.exercise.id for s in played.steps])
        assert fits(routine, False, SEATED), routine.id


def test_standing_false_alone_keeps_the_floor_and_floor_false_alone_may_stand() -> None:
    floor = as_played(BUILTINS.routines["floor-mobility"], floor=True, body=SEATED)
    assert floor is BUILTINS.routines["floor-mobility"] or floor.positions == ("floor",)
    standing = as_played(BUILTINS.routines["floor-mobility"], floor=False)
    assert "standing" in standing.positions  # knee drops as standing hip circles


def test_pregnancy_leaves_no_lying_on_the_back_and_no_face_down_plank() -> None:
    body = Body(precautions=("pregnancy",))
    for routine in BUILTINS.routines.values():
        played = as_played(routine, floor=True, body=body)
        ids = {s.exercise.id for s in played.steps}
        assert not ids & {"knee-drops", "dead-bug", "dead-bug-heel-taps", "plank"}, routine.id
        assert all(s.exercise.start != "on your back" for s in played.steps), routine.id
        if played.steps:
            assert caution_for("pregnancy") in played.cautions, routine.id
    core = as_played(BUILTINS.routines["core-posture"], floor=True, body=body)
    assert [s.exercise.id for s in core.steps][:1] == ["bird-dog-one-limb"]


def test_osteoporosis_leaves_no_rounding_and_no_twisting() -> None:
    body = Body(precautions=("osteoporosis",))
    rounding_or_twisting = {
        "cat-cow",
        "seated-cat-cow",
        "seated-twist",
        "thoracic-rotation",
        "open-book",
        "seated-thoracic-rotation",
        "wall-open-book",
        "knee-drops",
    }
    for floor in (True, False):
        for routine in BUILTINS.routines.values():
            played = as_played(routine, floor=floor, body=body)
            assert not {s.exercise.id for s in played.steps} & rounding_or_twisting, routine.id
    desk = as_played(BUILTINS.routines["desk-break"], floor=True, body=body)
    assert [s.exercise.id for s in desk.steps][:2] == ["seated-back-extension", "seated-chest-opener"]


def test_hypermobility_swaps_end_of_range_stretches_for_steady_work() -> None:
    body = Body(precautions=("hypermobility",))
    wrists = as_played(BUILTINS.routines["wrists-and-eyes"], floor=True, body=body)
    ids = [s.exercise.id for s in wrists.steps]
    assert "wrist-forearm-stretch" not in ids and "upper-trap-stretch" not in ids
    assert ids[:3] == ["fist-and-spread", "fist-and-spread", "chin-tuck"]
    assert all(caution_for("hypermobility") in s.exercise.cautions for s in wrists.steps)


def test_versions_chain_through_precaution_floor_and_standing() -> None:
    # Knee drops under pregnancy: standing hip circles; without standing: seated ones.
    knee_drops = BUILTINS.exercises["knee-drops"]
    assert getattr(fitted(knee_drops, True, Body(precautions=("pregnancy",))), "id", None) == "standing-hip-circles"
    both = Body(standing=False, precautions=("pregnancy",))
    assert getattr(fitted(knee_drops, True, both), "id", None) == "seated-hip-circles"
    # The half-kneeling stretch without the floor stands; without standing too, it sits.
    kneeling = BUILTINS.exercises["half-kneeling-hip-flexor"]
    assert getattr(fitted(kneeling, False), "id", None) == "standing-hip-flexor"
    assert getattr(fitted(kneeling, False, SEATED), "id", None) == "seated-hip-flexor"


def test_an_exercise_avoided_under_a_precaution_is_left_out(tmp_path: Path) -> None:
    text = """exercises:
  deep-twist:
    name: Deep twist
    position: seated
    cues: [Twist.]
    cautions: [Stop if it hurts.]
    avoid_with: [osteoporosis]
routines:
  mine:
    name: Mine
    summary: Mine.
    steps:
      - exercise: deep-twist
        hold: 20s
      - exercise: chin-tuck
        hold: 20s
  only-twist:
    name: Only twist
    summary: Only.
    steps:
      - exercise: deep-twist
        hold: 20s
"""
    problems, library = load(tmp_path, text)
    assert problems == []
    routines = library.routines  # type: ignore[attr-defined]
    body = Body(precautions=("osteoporosis",))
    played = as_played(routines["mine"], floor=True, body=body)
    assert [s.exercise.id for s in played.steps] == ["chin-tuck"]
    assert fits(routines["mine"], True, body)
    # Nothing left to play: shown as written, and a break never offers it.
    assert [s.exercise.id for s in as_played(routines["only-twist"], True, body=body).steps] == ["deep-twist"]
    assert not fits(routines["only-twist"], True, body)
    assert fits(routines["only-twist"], True)


def test_a_seated_variant_is_checked_where_it_is_written(tmp_path: Path) -> None:
    text = """exercises:
  stand-up:
    name: Stand up
    position: standing
    cues: [Stand.]
    cautions: [Stop if it hurts.]
    variants:
      seated: walk-break
      pregnancy: seated-march
  sit-down:
    name: Sit down
    position: seated
    cues: [Sit.]
    cautions: [Stop if it hurts.]
    variants:
      seated: chin-tuck
"""
    problems, library = load(tmp_path, text)
    assert problems == [
        "8:15: exercises.stand-up.variants.seated: 'walk-break' is done standing; a seated variant is done seated",
        "16:15: exercises.sit-down.variants.seated: only a standing exercise needs a seated variant; this one is seated",
    ]
    stand_up = library.exercises["stand-up"]  # type: ignore[attr-defined]
    assert stand_up.seated is None and dict(stand_up.instead)["pregnancy"].id == "seated-march"


def test_the_check_in_line_names_the_precautions_in_force_and_that_they_are_general() -> None:
    from mobility_coach.core.routines.precautions import in_force_line

    assert in_force_line(()) is None
    line = in_force_line(("pregnancy", "osteoporosis"))
    assert line is not None and "pregnancy, osteoporosis" in line and "not advice for you" in line
    for precaution in ("pregnancy", "osteoporosis", "hypermobility"):
        assert caution_for(precaution).startswith("Stop if")  # type: ignore[arg-type]


def test_a_routine_played_as_loaded_is_the_loaded_routine_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing to swap: the routine as loaded (room to speak made already) is played as it
    is, not worked over again; home asks this of every routine at its first frame."""
    from mobility_coach.core.routines import variants
    from mobility_coach.core.routines.loader import builtin_layer, load_library

    library = load_library([builtin_layer()])

    def again(routine: object) -> object:
        raise AssertionError("room to speak made again for a routine played as loaded")

    monkeypatch.setattr(variants, "with_room_to_speak", again)
    for routine in library.routines.values():
        assert variants.as_played(routine, floor=True) is routine
