"""The built-in routines: they load cleanly, say what they must, and ship their schema."""

import json

from mobility_coach.core.paths import builtin_routines_dir
from mobility_coach.core.routines.format import SCHEMA_FILENAME, json_schema
from mobility_coach.core.routines.loader import builtin_layer, load_library
from mobility_coach.core.routines.timeline import expand

LIBRARY = load_library([builtin_layer()])


def test_builtins_load_without_problems() -> None:
    assert LIBRARY.problems == []
    assert set(LIBRARY.routines) >= {"desk-break", "floor-mobility", "core-posture", "stiff-back-start"}


def test_key_exercises_have_cues_cautions_and_a_source() -> None:
    for exercise_id in ("cat-cow", "open-book", "knee-drops", "bird-dog", "thoracic-rotation", "plank"):
        exercise = LIBRARY.exercises[exercise_id]
        assert len(exercise.cues) >= 3 and exercise.source
        cautions = " ".join(exercise.cautions).lower()
        assert "stop" in cautions
        assert any(word in cautions for word in ("numbness", "tingling", "weakness", "spreads", "travels"))


def test_every_library_exercise_carries_stop_if_cautions() -> None:
    for exercise in LIBRARY.exercises.values():
        assert exercise.cautions, exercise.id


def test_a_source_is_cited_only_where_the_articles_name_the_exercise() -> None:
    # The articles name none of these: citing them would claim what they do not say.
    for exercise_id in ("chin-tuck", "neck-turn", "standing-hip-circles", "seated-march", "dead-bug"):
        assert LIBRARY.exercises[exercise_id].source is None, exercise_id
    assert "less" not in (LIBRARY.exercises["bird-dog"].about or "")


def test_hourly_desk_break_takes_three_to_four_minutes_at_the_desk() -> None:
    # Three minutes of movement, and the time to say how to get into each position.
    routine = LIBRARY.routines["desk-break"]
    assert 180 <= expand(routine).timed_seconds <= 240
    assert set(routine.positions) <= {"seated", "standing"}


def test_floor_mobility_is_about_ten_minutes_of_the_named_drills() -> None:
    routine = LIBRARY.routines["floor-mobility"]
    assert 8 * 60 <= expand(routine).timed_seconds <= 12 * 60
    # Lying down together (back, then side), then all fours: down to the floor once.
    assert [s.exercise.id for s in routine.steps] == [
        "knee-drops",
        "open-book",
        "cat-cow",
        "thoracic-rotation",
        "bird-dog",
    ]


def test_core_routine_has_bird_dog_and_plank() -> None:
    ids = {s.exercise.id for s in LIBRARY.routines["core-posture"].steps}
    assert {"bird-dog", "plank"} <= ids


def test_the_crack_swap_drill_takes_under_two_minutes() -> None:
    # About a minute of movement, with the time to say how to do each part.
    assert 60 <= expand(LIBRARY.routines["crack-swap"]).timed_seconds <= 120


def test_stiff_back_start_warms_up_by_walking_not_three_minutes_of_heat() -> None:
    steps = LIBRARY.routines["stiff-back-start"].steps
    assert steps[0].exercise.id == "walk-break"
    assert "heat-warm-up" not in {s.exercise.id for s in steps}
    heat = " ".join(LIBRARY.exercises["heat-warm-up"].cues)
    assert "optional" in heat.lower() and "10 to 20 minutes" in heat


def test_every_caution_is_a_stop_rule() -> None:
    for exercise in LIBRARY.exercises.values():
        for caution in exercise.cautions:
            assert caution.startswith("Stop"), (exercise.id, caution)


def test_every_floor_exercise_has_an_off_floor_variant() -> None:
    for exercise in LIBRARY.exercises.values():
        if exercise.position == "floor":
            assert exercise.off_floor is not None, exercise.id
            assert exercise.off_floor.position != "floor"


def test_hard_exercises_have_easier_versions() -> None:
    assert getattr(LIBRARY.exercises["bird-dog"].easier, "id", None) == "bird-dog-one-limb"
    assert getattr(LIBRARY.exercises["dead-bug"].easier, "id", None) == "dead-bug-heel-taps"


def test_no_routine_leaves_the_floor_in_the_middle_of_floor_work() -> None:
    for routine in LIBRARY.routines.values():
        order = [step.exercise.position == "floor" for step in routine.steps] * routine.rounds
        runs = [on for i, on in enumerate(order) if i == 0 or on != order[i - 1]]
        assert runs.count(True) <= 1, routine.id


def test_tempos_leave_time_for_their_cues() -> None:
    for routine in LIBRARY.routines.values():
        for step in routine.steps:
            if step.exercise.id == "shoulder-blade-squeeze":
                assert step.tempo is not None and 4 <= step.tempo <= 5, routine.id
            if step.exercise.id == "dead-bug":
                # Both sides in one rep: about 3 s for each slow lowering and each return.
                assert step.tempo is not None and 10 <= step.tempo <= 12, routine.id
            if step.exercise.id in ("knee-drops", "seated-thoracic-rotation"):
                # Over, back, over, back: 2.5 s or more for each slow movement.
                assert step.tempo is not None and step.tempo >= 10, routine.id


def test_every_builtin_exercise_names_the_areas_it_moves() -> None:
    for exercise in LIBRARY.exercises.values():
        if exercise.id != "heat-warm-up":  # warmth, not movement
            assert exercise.areas, exercise.id


def test_every_builtin_file_points_editors_at_the_schema() -> None:
    files = sorted(builtin_routines_dir().glob("*.yaml"))
    assert files
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=./{SCHEMA_FILENAME}", path.name


def test_shipped_schema_is_the_generated_one() -> None:
    shipped = json.loads((builtin_routines_dir() / SCHEMA_FILENAME).read_text(encoding="utf-8"))
    assert shipped == json_schema(), "run: mobility-coach schema > routines/mobility-coach.schema.json"


def test_the_library_has_the_sitters_essentials() -> None:
    assert len(LIBRARY.exercises) >= 32
    wanted = {
        "half-kneeling-hip-flexor",
        "standing-hip-flexor",
        "seated-hip-flexor",
        "standing-back-extension",
        "doorway-chest-opener",
        "upper-trap-stretch",
        "seated-side-bend",
        "standing-side-bend",
        "wrist-forearm-stretch",
        "calf-raises",
        "ankle-pumps",
        "distance-gaze",
    }
    assert wanted <= set(LIBRARY.exercises)
    assert "6 metres" in " ".join(LIBRARY.exercises["distance-gaze"].cues)
    assert LIBRARY.routines["wrists-and-eyes"].steps[-1].hold == 20.0


def test_every_builtin_exercise_has_a_figure_and_a_spoken_setup() -> None:
    for exercise in LIBRARY.exercises.values():
        assert exercise.figure is not None, exercise.id
        assert exercise.spoken.setup, exercise.id


def test_the_new_routines_use_the_new_exercises() -> None:
    def ids(routine_id: str) -> set[str]:
        return {s.exercise.id for s in LIBRARY.routines[routine_id].steps}

    assert {"standing-hip-flexor", "standing-back-extension", "calf-raises"} <= ids("sitters-hips")
    assert {"wrist-forearm-stretch", "upper-trap-stretch", "distance-gaze"} <= ids("wrists-and-eyes")
    assert {"walk-break", "doorway-chest-opener", "standing-hip-flexor"} <= ids("lunch-walk")
    for routine_id in ("sitters-hips", "wrists-and-eyes"):
        assert expand(LIBRARY.routines[routine_id]).timed_seconds <= 6 * 60, routine_id
