"""The figures' geometry: blending, mirroring, scaling to cells, and how they move in time."""

from __future__ import annotations

import math
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from mobility_coach.core.figures.bases import BASE_NAMES, BASES, PLAIN_BASE
from mobility_coach.core.figures.figure import Figure, KeyPosition, plain_figure
from mobility_coach.core.figures.motion import FRAME_SECONDS, FigureMoment, holding, moving, peak_pose, still, working
from mobility_coach.core.figures.raster import MIN_COLUMNS, MIN_ROWS, draw, picture
from mobility_coach.core.figures.skeleton import BONES, blend, ease, joints, make_pose
from mobility_coach.core.routines.format import json_schema
from tests.conftest import load_text, where

REACH = Figure("all-fours", keys=(KeyPosition("reach", (("arm", 0.0), ("forearm", 0.0))),))
ARCH_ROUND = Figure(
    "all-fours",
    keys=(KeyPosition("arch", (("neck", 60.0),)), KeyPosition("round", (("neck", -60.0),))),
)


def bone_length(points: dict[str, tuple[float, float]], start: str, end: str) -> float:
    return math.dist(points[start], points[end])


# --- blending -------------------------------------------------------------------------


def test_blend_gives_each_end_at_0_and_1() -> None:
    a, b = REACH.poses()
    assert blend(a, b, 0.0) == a
    assert blend(a, b, 1.0) == b
    assert blend(a, b, 7.0) == b  # clamped, never past the key


def test_blend_turns_the_short_way_round() -> None:
    a = make_pose({bone.name: 350.0 for bone in BONES})
    b = make_pose({bone.name: 10.0 for bone in BONES})
    assert blend(a, b, 0.5).angles[0] % 360 == pytest.approx(0.0)  # through 0, not through 180


@given(st.floats(0, 1), st.sampled_from(BASE_NAMES), st.sampled_from(BASE_NAMES))
def test_limbs_keep_their_length_between_any_two_poses(t: float, one: str, other: str) -> None:
    a, b = BASES[one].pose, BASES[other].pose
    points = joints(blend(a, b, t))
    for bone, la, lb in zip(BONES, a.lengths, b.lengths, strict=True):
        expected = bone.length * (la + (lb - la) * t)
        assert bone_length(points, bone.start, bone.end) == pytest.approx(expected, abs=1e-9)


def test_ease_starts_and_stops_gently() -> None:
    assert (ease(0), ease(0.5), ease(1)) == (0, 0.5, 1)
    assert ease(0.05) < 0.05 and ease(0.95) > 0.95


# --- scaling and mirroring ----------------------------------------------------------


@pytest.mark.parametrize("size", [(MIN_COLUMNS + 4, MIN_ROWS + 4), (24, 10), (44, 30), (120, 40)])
def test_a_picture_fills_exactly_the_grid_it_is_given(size: tuple[int, int]) -> None:
    columns, rows = size
    lines = picture(REACH, 1, columns, rows)
    assert lines is not None
    assert len(lines) == rows and {len(line) for line in lines} == {columns}
    assert any(line.strip() for line in lines)


@pytest.mark.parametrize("size", [(MIN_COLUMNS - 1, 20), (40, MIN_ROWS - 1), (8, 4)])
def test_no_room_means_no_figure_rather_than_a_broken_one(size: tuple[int, int]) -> None:
    assert picture(REACH, 0, *size) is None


def _dots(lines: tuple[str, ...]) -> set[tuple[int, int]]:
    bits = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
    found = set()
    for row, line in enumerate(lines):
        for col, char in enumerate(line):
            value = ord(char) - 0x2800 if char != " " else 0
            for y in range(4):
                for x in range(2):
                    if value & bits[y][x]:
                        found.add((col * 2 + x, row * 4 + y))
    return found


def test_a_bigger_grid_draws_the_same_figure_bigger_in_proportion() -> None:
    small, big = picture(REACH, 1, 30, 12), picture(REACH, 1, 60, 24)
    assert small is not None and big is not None
    (sx, sy), (bx, by) = [
        (max(x for x, _ in d) - min(x for x, _ in d), max(y for _, y in d) - min(y for _, y in d))
        for d in (_dots(small), _dots(big))
    ]
    assert bx / sx == pytest.approx(2, rel=0.1) and by / sy == pytest.approx(2, rel=0.1)


@pytest.mark.parametrize("name", BASE_NAMES)
def test_the_left_side_is_the_exact_mirror_of_the_right(name: str) -> None:
    figure = Figure(name)
    right, left = picture(figure, 0, 30, 12), picture(figure, 0, 30, 12, mirrored=True)
    assert right is not None and left is not None
    assert _dots(left) == {(30 * 2 - 1 - x, y) for x, y in _dots(right)}
    assert left != right  # no base is symmetrical enough to hide a missing mirror


def test_the_whole_movement_is_fitted_once_so_the_floor_never_moves() -> None:
    start, reached = picture(REACH, 0, 30, 12), picture(REACH, 1, 30, 12)
    assert start is not None and reached is not None
    assert start[-1] == reached[-1]  # the floor line, the same in every pose


# --- moving in time -------------------------------------------------------------------


def test_one_key_goes_there_and_back_once_a_rep() -> None:
    assert moving(REACH, 0.0, 4.0, False) == FigureMoment(REACH, 0, 1, 0.0, False)
    assert moving(REACH, 2.0, 4.0, False) == FigureMoment(REACH, 1, 0, 0.0, False)
    assert moving(REACH, 1.0, 4.0, False).blend == pytest.approx(0.5)
    assert moving(REACH, 4.0, 4.0, False) == FigureMoment(REACH, 0, 1, 0.0, False)  # rep 2 starts over


def test_several_keys_are_passed_in_order_and_the_first_rep_sets_off_from_the_start() -> None:
    first = [moving(ARCH_ROUND, t, 6.0, False) for t in (0.0, 3.0)]
    assert [(m.start, m.end) for m in first] == [(0, 1), (1, 2)]
    later = moving(ARCH_ROUND, 6.0, 6.0, False)
    assert (later.start, later.end) == (2, 1)  # from round back to arch: no jump to the start


def test_a_hold_eases_into_its_last_key_and_then_stays() -> None:
    entering = holding(REACH, 0.5, 30.0, True)
    assert (entering.start, entering.end, entering.mirrored) == (0, 1, True)
    assert 0 < entering.blend < 1
    assert holding(REACH, 2.0, 30.0, True) == still(REACH, 1, True)
    assert holding(REACH, 29.0, 30.0, True) == still(REACH, 1, True)


def test_a_hold_with_a_cycle_keeps_moving_and_self_paced_reps_get_a_guide_pace() -> None:
    walking = Figure("standing", keys=REACH.keys, cycle=2.0)
    assert holding(walking, 1.0, 45.0, False) == moving(walking, 1.0, 2.0, False)
    assert working(REACH, 1.0, None, None, 6, False) == moving(REACH, 1.0, 4.0, False)


def test_a_plain_figure_stands_still_whatever_the_time() -> None:
    figure = plain_figure("floor")
    assert figure.base == PLAIN_BASE["floor"]
    assert moving(figure, 3.3, 4.0, False) == still(figure)


def test_a_moment_names_the_nearest_key_position() -> None:
    assert FigureMoment(ARCH_ROUND, 1, 2, 0.4, False).label == "arch"
    assert FigureMoment(ARCH_ROUND, 1, 2, 0.6, False).label == "round"


def test_a_still_picture_shows_the_key_furthest_from_the_start() -> None:
    book = Figure(
        "lying-side",
        keys=(KeyPosition("open", (("arm", 88.0), ("forearm", 88.0))), KeyPosition("closed")),
    )
    assert peak_pose(book) == 1
    assert peak_pose(Figure("plank")) == 0


def test_draw_blends_between_the_two_poses() -> None:
    halfway = draw(FigureMoment(REACH, 0, 1, 0.5, False), 40, 16)
    assert halfway not in (picture(REACH, 0, 40, 16), picture(REACH, 1, 40, 16))


# --- the format -----------------------------------------------------------------------

FIGURE_ROUTINE = """exercises:
  mine:
    name: Mine
    position: floor
    figure:
{figure}
    cues: [Reach.]
"""


def figure_file(figure: str) -> str:
    return FIGURE_ROUTINE.format(figure="\n".join("      " + line for line in figure.splitlines()))


def test_a_figure_in_yaml_becomes_the_exercise_s_figure(tmp_path: Path) -> None:
    text = figure_file("base: all-fours\nstart: {neck: 10}\nkeys:\n  reach: {arm: 0, length: {forearm: 50}}\ncycle: 3s")
    library, problems = load_text(tmp_path, text)
    assert problems == []
    figure = library.exercises["mine"].figure
    assert figure == Figure(
        "all-fours",
        KeyPosition("start", (("neck", 10.0),)),
        (KeyPosition("reach", (("arm", 0.0),), (("forearm", 0.5),)),),
        3.0,
    )


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        ("base: all-four", (6, 13, "exercises.mine.figure.base: 'all-four' is not allowed; did you mean 'all-fours'?")),
        (
            "base: plank\nkeys:\n  up: {nekc: 10}",
            (8, 14, "exercises.mine.figure.keys.up: unknown key 'nekc' in figure position; did you mean 'neck'?"),
        ),
        (
            "base: plank\nkeys:\n  up: {neck: 400}",
            (8, 20, "exercises.mine.figure.keys.up.neck: must be from -360 to 360, not 400"),
        ),
        (
            "base: plank\nkeys:\n  up: {neck: ten}",
            (8, 20, "exercises.mine.figure.keys.up.neck: expected a whole number, found 'ten'"),
        ),
        ("keys: {}", (6, 7, "exercises.mine.figure: figure is missing 'base' (The built-in position")),
        ("base: plank\ncycle: 0s", (7, 14, "exercises.mine.figure.cycle: must be at least 1s, not 0s")),
    ],
)
def test_mistakes_in_a_figure_are_located(tmp_path: Path, figure: str, expected: tuple[int, int, str]) -> None:
    _, problems = load_text(tmp_path, figure_file(figure))
    assert len(problems) == 1
    line, column, message = where(problems)[0]
    assert (line, column) == expected[:2]
    assert message.startswith(expected[2])


def test_an_exercise_with_a_broken_figure_still_loads_with_its_position_s_plain_figure(tmp_path: Path) -> None:
    library, problems = load_text(tmp_path, figure_file("base: cartwheel"))
    assert len(problems) == 1
    exercise = library.exercises["mine"]
    assert exercise.figure is None and exercise.drawn == plain_figure("floor")


def test_the_json_schema_accepts_a_figure_and_refuses_a_misspelt_bone() -> None:
    schema = json_schema()
    good = yaml.safe_load(figure_file("base: all-fours\nkeys:\n  reach: {arm: 0, length: {arm: 80}}"))
    jsonschema.validate(good, schema)
    bad = yaml.safe_load(figure_file("base: all-fours\nkeys:\n  reach: {amr: 0}"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_every_built_in_exercise_has_its_own_figure_whose_keys_show_a_change(tmp_path: Path) -> None:
    library, _ = load_text(tmp_path, figure_file("base: plank"))
    builtins = {i: e for i, e in library.exercises.items() if i != "mine"}
    assert builtins
    for exercise_id, exercise in builtins.items():
        figure = exercise.figure
        assert figure is not None, exercise_id
        pictures = [picture(figure, pose, 40, 16) for pose in range(len(figure.poses()))]
        assert len(pictures) >= 2, exercise_id
        assert pictures[peak_pose(figure)] != pictures[0], f"{exercise_id}: no key looks unlike the start"


def test_every_built_in_figure_that_moves_in_a_hold_is_seen_to_move(tmp_path: Path) -> None:
    """A hold with a cycle (walking about) is drawn frame by frame: the pictures must differ,
    or the figure looks frozen, as when two mirror-image strides drew alike from the side."""
    library, _ = load_text(tmp_path, figure_file("base: plank"))
    cycling = {i: e.figure for i, e in library.exercises.items() if e.figure and e.figure.cycle}
    assert "walk-break" in cycling
    for exercise_id, figure in cycling.items():
        assert figure.cycle is not None
        per_cycle = round(figure.cycle / FRAME_SECONDS)
        # From the second cycle on: the first sets off from the start, which differs anyway.
        later = range(per_cycle, 3 * per_cycle)
        drawn = {draw(working(figure, n * FRAME_SECONDS, 45.0, None, None, False), 40, 16) for n in later}
        assert len(drawn) > 1, f"{exercise_id}: looks still for its whole hold"


def test_the_figure_changes_at_most_once_a_frame() -> None:
    moments = {working(REACH, i / 100, None, 4.0, 8, False) for i in range(400)}  # 4 s, read 100 times a second
    assert len(moments) <= round(4 / FRAME_SECONDS)
    assert working(REACH, 1.0, None, 4.0, 8, False) == working(REACH, 1.0 + FRAME_SECONDS * 0.9, None, 4.0, 8, False)


ANGLES = st.integers(-360, 360).map(float)
KEYS = st.lists(
    st.builds(
        KeyPosition,
        st.just("k"),
        st.lists(st.tuples(st.sampled_from([b.name for b in BONES]), ANGLES), max_size=6).map(tuple),
        st.lists(
            st.tuples(st.sampled_from([b.name for b in BONES]), st.integers(0, 150).map(lambda n: n / 100)), max_size=3
        ).map(tuple),
    ),
    max_size=6,
).map(tuple)


@given(
    st.sampled_from(BASE_NAMES),
    KEYS,
    st.floats(0, 1),
    st.booleans(),
    st.integers(0, 90),
    st.integers(0, 50),
)
def test_any_figure_a_user_can_write_draws_exactly_its_grid_or_nothing(
    base: str, keys: tuple[KeyPosition, ...], t: float, mirror: bool, columns: int, rows: int
) -> None:
    figure = Figure(base, keys=keys)
    end = len(keys)
    lines = draw(FigureMoment(figure, 0, end, t, mirror), columns, rows)
    if lines is not None:
        assert len(lines) == rows and all(len(line) == columns for line in lines)
        assert all(char == " " or 0x2800 <= ord(char) <= 0x28FF for line in lines for char in line)


def _moved(a: set[tuple[int, int]], b: set[tuple[int, int]]) -> int:
    """Dots of each picture with no dot of the other beside them: what a reader sees
    change, not counting a line that only shifts by a dot."""

    def alone(these: set[tuple[int, int]], those: set[tuple[int, int]]) -> int:
        near = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
        return sum(1 for y, x in these if not any((y + dy, x + dx) in those for dy, dx in near))

    return alone(a, b) + alone(b, a)


MIN_MOVED_DOTS = 6  # the chin tuck moved 3, the neck turn none, the heat pad's settling 1


def test_every_built_in_exercise_s_key_poses_differ_visibly_from_its_start() -> None:
    """At the size ``show --figures`` and the home screen's preview draw them, every key
    that changes the start moves more than a few dots: a reader who had never seen the
    app could not tell a chin tuck's two pictures apart."""
    from mobility_coach.core.figures.sheet import PICTURE_COLUMNS, PICTURE_ROWS
    from mobility_coach.core.routines.loader import builtin_layer, load_library

    too_alike = []
    for exercise in load_library([builtin_layer()]).exercises.values():
        figure = exercise.drawn
        start = _dots(picture(figure, 0, PICTURE_COLUMNS, PICTURE_ROWS) or ())
        for index, key in enumerate(figure.keys, 1):
            if not key.angles and not key.lengths:
                continue  # back to the start, on purpose
            moved = _moved(start, _dots(picture(figure, index, PICTURE_COLUMNS, PICTURE_ROWS) or ()))
            if moved < MIN_MOVED_DOTS:
                too_alike.append((exercise.id, key.name, moved))
    assert too_alike == []


def test_props_are_drawn_where_the_exercise_leans_on_them() -> None:
    from mobility_coach.core.routines.loader import builtin_layer, load_library

    exercises = load_library([builtin_layer()]).exercises
    props = {i: dict(e.figure.props) for i, e in exercises.items() if e.figure and e.figure.props}
    assert props["desk-plank"] == {"desk": "hand"} and props["wall-open-book"] == {"wall": "other_hand"}
    assert props["heat-warm-up"] == {"heat-pack": "pelvis"} and "desk" in props["seated-desk-push"]
    for exercise_id in props:
        figure = exercises[exercise_id].figure
        assert figure is not None
        bare = Figure(figure.base, figure.start, figure.keys, figure.cycle)
        assert len(_dots(picture(figure, 0, 40, 16) or ())) > len(_dots(picture(bare, 0, 40, 16) or ())), exercise_id


def test_the_open_book_is_drawn_from_the_side_on_a_floor() -> None:
    assert BASES["lying-side"].floor and "seen from the head end" in BASES["lying-side"].description
