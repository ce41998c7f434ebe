"""Every class of mistake in a routine file is reported with its line, column and key path."""

import re
from pathlib import Path

import pytest

from mobility_coach.core.errors import RoutineError
from mobility_coach.core.routines.loader import load_file
from tests.conftest import load_text, where, write

GOOD_STEP = "      - exercise: cat-cow\n        hold: 30s\n"


def routine(steps: str, extra: str = "") -> str:
    return f"routines:\n  mine:\n    name: Mine\n    summary: Test.\n{extra}    steps:\n{steps}"


def test_a_valid_file_loads_with_no_problems(tmp_path: Path) -> None:
    library, problems = load_text(tmp_path, routine(GOOD_STEP))
    assert problems == []
    assert library.routines["mine"].steps[0].hold == 30


def test_typo_in_a_key_is_located_and_gets_a_suggestion(tmp_path: Path) -> None:
    _, problems = load_text(tmp_path, routine("      - exercise: cat-cow\n        hodl: 30s\n"))
    assert where(problems) == [
        (7, 9, "routines.mine.steps[0]: unknown key 'hodl' in step; did you mean 'hold'?"),
    ]


def test_unknown_key_without_a_near_miss_lists_the_keys(tmp_path: Path) -> None:
    _, problems = load_text(tmp_path, routine(GOOD_STEP, extra="    colour: red\n"))
    assert len(problems) == 1
    line, column, message = where(problems)[0]
    assert (line, column) == (5, 5)
    assert message.startswith("routines.mine: unknown key 'colour' in routine; expected one of name, summary")


def test_unknown_top_level_key_is_reported(tmp_path: Path) -> None:
    _, problems = load_text(tmp_path, "routine:\n  x: 1\n")
    assert where(problems) == [(1, 1, "unknown key 'routine' in routine file; did you mean 'routines'?")]


def test_unknown_exercise_reference_suggests_the_closest_id(tmp_path: Path) -> None:
    _, problems = load_text(tmp_path, routine("      - exercise: cat-cwo\n        hold: 30s\n"))
    assert where(problems) == [
        (6, 19, "routines.mine.steps[0].exercise: unknown exercise 'cat-cwo'; did you mean 'cat-cow'?"),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0s", "must be at least 1s, not 0s"),
        ("-5", "must be at least 1s, not -5"),
        ("0", "must be at least 1s, not 0"),
        ("abc", "expected a duration like 30s, 1m30s, 2m or a number of seconds, found 'abc'"),
        ("yes", "expected a duration like 30s, 1m30s, 2m or a number of seconds, found 'yes'"),
        ("2h", "must be at most 1h, not 2h"),
        ("", "expected a duration like 30s, 1m30s, 2m or a number of seconds, found nothing"),
        ("[30]", "expected a duration like 30s, 1m30s, 2m or a number of seconds, found a list"),
    ],
)
def test_bad_durations_are_located_at_the_value(tmp_path: Path, value: str, message: str) -> None:
    _, problems = load_text(tmp_path, routine(f"      - exercise: cat-cow\n        hold: {value}\n"))
    assert [(p.line, p.message) for p in problems] == [(7, f"routines.mine.steps[0].hold: {message}")]
    assert problems[0].column in (15, 14)  # the value, or just after 'hold:' when it is empty


def test_negative_gap_is_an_error_but_zero_gap_is_allowed(tmp_path: Path) -> None:
    _, problems = load_text(tmp_path, routine(GOOD_STEP, extra="    defaults: {rest: 0, get_ready: -1}\n"))
    assert where(problems) == [(5, 36, "routines.mine.defaults.get_ready: must be at least 0s, not -1")]


def test_self_paced_reps_given_a_tempo_is_an_error(tmp_path: Path) -> None:
    text = routine("      - exercise: bird-dog\n        reps: 6\n        self_paced: true\n        tempo: 4s\n")
    _, problems = load_text(tmp_path, text)
    assert where(problems) == [
        (9, 9, "routines.mine.steps[0].tempo: self-paced reps take no tempo; remove 'tempo' or 'self_paced: true'"),
    ]


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (
            "      - exercise: cat-cow\n",
            (
                6,
                9,
                "routines.mine.steps[0]: a step needs 'hold' (a timed hold such as 30s) or 'reps' (a number of repetitions)",
            ),
        ),
        (
            "      - exercise: cat-cow\n        hold: 30s\n        reps: 4\n",
            (8, 9, "routines.mine.steps[0].reps: a step is either a timed 'hold' or 'reps', not both"),
        ),
        (
            "      - exercise: cat-cow\n        hold: 30s\n        tempo: 3s\n",
            (8, 9, "routines.mine.steps[0].tempo: 'tempo' paces reps; a hold takes no tempo"),
        ),
        (
            "      - exercise: cat-cow\n        hold: 30s\n        self_paced: true\n",
            (8, 9, "routines.mine.steps[0].self_paced: only reps can be self-paced"),
        ),
        (
            "      - exercise: cat-cow\n        reps: 3\n        self_paced: false\n",
            (8, 9, "routines.mine.steps[0].self_paced: reps that are not self-paced need a 'tempo' such as 4s"),
        ),
        (
            "      - exercise: cat-cow\n        hold: 30s\n        set_rest: 3s\n",
            (8, 9, "routines.mine.steps[0].set_rest: 'set_rest' needs 'sets' of 2 or more"),
        ),
        (
            "      - exercise: cat-cow\n        hold: 30s\n        switch: 3s\n",
            (8, 9, "routines.mine.steps[0].switch: 'switch' needs 'sides: both'"),
        ),
        (
            "      - exercise: cat-cow\n        reps: 0\n        tempo: 3s\n",
            (7, 15, "routines.mine.steps[0].reps: must be from 1 to 500, not 0"),
        ),
        (
            "      - exercise: cat-cow\n        reps: '8'\n        tempo: 3s\n",
            (7, 15, "routines.mine.steps[0].reps: expected a whole number, found '8'"),
        ),
        (
            "      - exercise: cat-cow\n        hold: 30s\n        sides: two\n",
            (8, 16, "routines.mine.steps[0].sides: 'two' is not allowed; expected one of one, both"),
        ),
        (
            "      - exercise: cat-cow\n        hold: 30s\n        sides: bth\n",
            (8, 16, "routines.mine.steps[0].sides: 'bth' is not allowed; did you mean 'both'?"),
        ),
        (
            "      - exercise: [cat-cow]\n        hold: 30s\n",
            (
                6,
                19,
                "routines.mine.steps[0].exercise: expected an exercise id or an inline exercise (a mapping with name, position, cues), found a list",
            ),
        ),
        (
            "      - just-a-string\n",
            (
                6,
                9,
                "routines.mine.steps[0]: expected step (a mapping with keys such as exercise, hold, reps, tempo), found 'just-a-string'",
            ),
        ),
        (
            "      - exercise: cat-cow\n        hold: 30s\n        hold: 40s\n",
            (8, 9, "routines.mine.steps[0].hold: repeated key; first given at line 7"),
        ),
    ],
)
def test_step_rules(tmp_path: Path, step: str, expected: tuple[int, int, str]) -> None:
    _, problems = load_text(tmp_path, routine(step))
    assert where(problems) == [expected]


def test_missing_required_keys_are_named(tmp_path: Path) -> None:
    _, problems = load_text(tmp_path, "routines:\n  mine:\n    name: Mine\n")
    assert where(problems) == [
        (3, 5, "routines.mine: routine is missing 'summary' (One line on what it is for)"),
        (3, 5, "routines.mine: routine is missing 'steps' (The steps, in order)"),
    ]


def test_empty_step_list_is_an_error(tmp_path: Path) -> None:
    _, problems = load_text(tmp_path, "routines:\n  mine:\n    name: Mine\n    summary: S.\n    steps: []\n")
    assert where(problems) == [(5, 12, "routines.mine.steps: needs at least 1 item")]


def test_duplicate_ids_in_one_file_are_errors(tmp_path: Path) -> None:
    text = routine(GOOD_STEP) + "  mine:\n    name: Again\n    summary: S.\n    steps:\n" + GOOD_STEP
    library, problems = load_text(tmp_path, text)
    assert where(problems) == [(8, 3, "routines.mine: duplicate id; first defined at line 2")]
    assert library.routines["mine"].name == "Mine"


def test_duplicate_ids_across_user_files_are_errors(tmp_path: Path) -> None:
    from mobility_coach.core.routines.loader import Layer, builtin_layer, load_library

    a = write(tmp_path, "a.yaml", routine(GOOD_STEP))
    b = write(tmp_path, "b.yaml", routine(GOOD_STEP))
    library = load_library([builtin_layer(), Layer((a, b), builtin=False)])
    assert [(p.path.name, p.line, p.column) for p in library.problems] == [("b.yaml", 2, 3)]
    assert library.problems[0].message == f"routines.mine: routine id already defined at {a}:2"


def test_bad_ids_are_errors(tmp_path: Path) -> None:
    _, problems = load_text(tmp_path, "routines:\n  Mine Routine:\n    name: X\n")
    assert where(problems) == [
        (
            2,
            3,
            "routines: 'Mine Routine' is not an id: lower-case letters, digits, '-' and '_', starting with a letter or digit",
        ),
    ]


def test_one_broken_routine_does_not_cost_the_others(tmp_path: Path) -> None:
    text = (
        routine("      - exercise: nope\n        hold: 30s\n")
        + "  other:\n    name: Other\n    summary: S.\n    steps:\n"
        + GOOD_STEP
    )
    library, problems = load_text(tmp_path, text)
    assert len(problems) == 1
    assert "other" in library.routines and "mine" not in library.routines


def test_inline_exercise_is_validated_like_a_library_one(tmp_path: Path) -> None:
    step = "      - exercise:\n          name: Look away\n          position: seatd\n          cues: [Look.]\n        hold: 10s\n"
    _, problems = load_text(tmp_path, routine(step))
    assert where(problems) == [
        (8, 21, "routines.mine.steps[0].exercise.position: 'seatd' is not allowed; did you mean 'seated'?"),
    ]


def test_exercise_library_errors_are_located(tmp_path: Path) -> None:
    text = "exercises:\n  reach:\n    name: Reach\n    position: standing\n    cues: []\n"
    _, problems = load_text(tmp_path, text)
    assert where(problems) == [(5, 11, "exercises.reach.cues: needs at least 1 item")]


def test_user_exercises_can_be_used_by_user_routines_in_other_files(tmp_path: Path) -> None:
    from mobility_coach.core.routines.loader import Layer, builtin_layer, load_library

    a = write(
        tmp_path, "lib.yaml", "exercises:\n  reach:\n    name: Reach\n    position: standing\n    cues: [Reach up.]\n"
    )
    b = write(tmp_path, "r.yaml", routine("      - exercise: reach\n        hold: 10s\n"))
    library = load_library([builtin_layer(), Layer((a, b), builtin=False)])
    assert library.problems == []
    assert library.routines["mine"].steps[0].exercise.name == "Reach"


def test_too_long_a_routine_is_refused(tmp_path: Path) -> None:
    text = routine("      - exercise: cat-cow\n        hold: 1h\n        sets: 5\n", extra="    rounds: 2\n")
    _, problems = load_text(tmp_path, text)
    # Ten hours of holds, and the gaps between them (their length is the timeline's to choose).
    [(line, column, message)] = where(problems)
    assert (line, column) == (2, 3)
    assert re.fullmatch(r"routines\.mine: would last 10h\d+m\d+s; a routine may last at most 4h", message), message


def test_problems_per_file_are_capped_with_a_count(tmp_path: Path) -> None:
    steps = "".join("      - exercise: cat-cow\n        hodl: 1\n" for _ in range(80))
    _, problems = load_text(tmp_path, routine(steps))
    assert len(problems) == 51
    assert problems[-1].message == "... and 30 more problems"


def test_load_file_raises_the_loaders_own_error(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", "routines: [\n")
    with pytest.raises(RoutineError) as caught:
        load_file(path)
    assert str(caught.value).startswith(f"{path}:2:1: not valid YAML")


def test_past_the_most_routines_a_file_may_hold_only_the_rest_is_left_out(tmp_path: Path) -> None:
    step = "    steps: [{exercise: cat-cow, hold: 10s}]\n"
    text = "routines:\n" + "".join(f"  r{i}:\n    name: R {i}\n    summary: S.\n{step}" for i in range(502))
    library, problems = load_text(tmp_path, text)
    assert sum(r.startswith("r") and r[1:].isdigit() for r in library.routines) == 500
    ((line, column, message),) = where(problems)
    assert (line, column) == (2 + 500 * 4, 3)
    assert message == "routines: at most 500 entries are read; this one and the 1 after it are left out"
