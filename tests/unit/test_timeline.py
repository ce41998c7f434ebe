"""The timeline maths: sides, sets, rounds, tempo, gaps and cues."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from mobility_coach.core.routines.model import Defaults, Routine, Step
from mobility_coach.core.routines.timeline import expand, measure
from tests.unit.builders import EY, NO_GAPS, routine, step


def shape(r: Routine) -> list[tuple[str, float, float | None, str | None, int]]:
    return [(s.kind, s.start, s.duration, s.side, s.set) for s in expand(r).segments]


def test_a_hold_with_get_ready() -> None:
    assert shape(routine(step(hold=30))) == [("get_ready", 0, 5, None, 0), ("work", 5, 30, None, 1)]
    assert expand(routine(step(hold=30))).timed_seconds == 35


def test_sides_become_two_segments_with_a_switch_between() -> None:
    assert shape(routine(step(hold=20, sides="both"))) == [
        ("get_ready", 0, 5, None, 0),
        ("work", 5, 20, "left", 1),
        ("switch", 25, 3, "right", 1),
        ("work", 28, 20, "right", 1),
    ]


def test_sets_with_sides_rest_between_sets_only() -> None:
    segments = shape(routine(step(hold=10, sides="both", sets=2)))
    assert [s[0] for s in segments] == ["get_ready", "work", "switch", "work", "rest", "work", "switch", "work"]
    assert segments[4] == ("rest", 28, 15, None, 1)
    assert expand(routine(step(hold=10, sides="both", sets=2))).timed_seconds == 5 + 4 * 10 + 2 * 3 + 15


def test_rest_between_steps_and_rounds_but_not_at_the_end() -> None:
    r = routine(step(hold=10), step(hold=20, exercise=EY), rounds=2)
    kinds = [(s.kind, s.label, s.round) for s in expand(r).segments]
    assert kinds == [
        ("get_ready", "Get ready", 1),
        ("work", "Reach", 1),
        ("rest", "Rest", 1),
        ("get_ready", "Get ready", 1),
        ("work", "Bend", 1),
        ("rest", "Rest between rounds", 1),
        ("get_ready", "Get ready", 2),
        ("work", "Reach", 2),
        ("rest", "Rest", 2),
        ("get_ready", "Get ready", 2),
        ("work", "Bend", 2),
    ]
    assert expand(r).timed_seconds == 2 * (5 + 10 + 10 + 5 + 20) + 30


def test_step_gaps_override_the_defaults_and_zero_gaps_vanish() -> None:
    r = routine(step(hold=10, get_ready=0, rest=2), step(hold=10))
    assert shape(r) == [
        ("work", 0, 10, None, 1),
        ("rest", 10, 2, None, 0),
        ("get_ready", 12, 5, None, 0),
        ("work", 17, 10, None, 1),
    ]


def test_tempo_reps_are_timed_and_count_on_time() -> None:
    timeline = expand(routine(step(reps=8, tempo=4), defaults=NO_GAPS))
    (work,) = timeline.segments
    assert (work.duration, work.reps, work.tempo) == (32, 8, 4)
    assert [work.rep_at(t) for t in (0, 3.99, 4, 8.5, 31.9, 32, 40)] == [1, 1, 2, 3, 8, 8, 8]
    reps = [(c.at, c.text) for c in work.cues if c.kind == "rep"]
    assert reps[0] == (4, "rep 2 of 8") and reps[-1] == (28, "rep 8 of 8") and len(reps) == 7


def test_self_paced_reps_have_no_duration_and_add_no_time() -> None:
    timeline = expand(routine(step(reps=6, sides="both"), step(hold=10)))
    assert [s.duration for s in timeline.segments if s.kind == "work"] == [None, None, 10]
    assert timeline.self_paced_count == 2
    assert timeline.timed_seconds == 5 + 3 + 10 + 5 + 10
    assert timeline.segments[0].rep_at(5) is None


def test_cues_for_a_long_hold() -> None:
    (ready, work) = expand(routine(step(hold=30))).segments
    assert [(c.at, c.kind, c.text) for c in ready.cues] == [
        (0, "announce", "Get ready: Reach (hold 30s)"),
        (2, "countdown", "3"),
        (3, "countdown", "2"),
        (4, "countdown", "1"),
    ]
    assert [(c.at, c.kind, c.text) for c in work.cues] == [
        (0, "go", "Go: Reach"),
        (15, "halfway", "Halfway"),
        (27, "countdown", "3"),
        (28, "countdown", "2"),
        (29, "countdown", "1"),
        (30, "done", "Done"),
    ]


def test_short_holds_get_no_halfway_and_switch_rest_cues_name_what_is_next() -> None:
    r = routine(step(hold=10, sides="both"), step(hold=10, exercise=EY))
    segments = expand(r).segments
    assert not any(c.kind == "halfway" for s in segments for c in s.cues)
    switch = next(s for s in segments if s.kind == "switch")
    assert switch.cues[0].text == "Switch sides: Reach, right side"
    rest = next(s for s in segments if s.kind == "rest")
    assert [c.text for c in rest.cues if c.kind == "next_up"] == ["Next up: Bend"]
    assert [c.kind for c in segments[-1].cues][-1] == "done"


def test_json_form_is_complete() -> None:
    data = expand(routine(step(hold=30))).to_json()
    assert data["timed_seconds"] == 35 and data["segments"][1]["exercise"] == "x"
    assert data["segments"][1]["cues"][0] == {"at": 0, "kind": "go", "text": "Go: Reach"}


durations = st.sampled_from([0.0, 1.0, 2.5, 5.0, 30.0])
steps = st.builds(
    step,
    hold=st.one_of(st.none(), st.sampled_from([1.0, 7.5, 30.0])),
    sides=st.sampled_from(["one", "both"]),
    sets=st.integers(1, 4),
    rest=st.one_of(st.none(), durations),
    get_ready=st.one_of(st.none(), durations),
).map(lambda s: s if s.hold is not None else replace(s, reps=5, tempo=None if s.sets % 2 else 2.0))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(steps, min_size=1, max_size=5),
    st.integers(1, 3),
    st.builds(Defaults, durations, durations, durations, durations, durations),
)
def test_offsets_are_contiguous_and_measure_agrees(step_list: list[Step], rounds: int, defaults: Defaults) -> None:
    r = routine(*step_list, defaults=defaults, rounds=rounds)
    timeline = expand(r)
    clock = 0.0
    for segment in timeline.segments:
        assert segment.start == clock
        assert segment.duration is None or segment.duration > 0
        clock += segment.duration or 0.0
    assert timeline.timed_seconds == clock
    assert measure(r) == (len(timeline.segments), timeline.timed_seconds)
    work = [s for s in timeline.segments if s.kind == "work"]
    assert len(work) == rounds * sum(s.sets * (2 if s.sides == "both" else 1) for s in step_list)
    assert sum(1 for s in timeline.segments for c in s.cues if c.kind == "done") == 1
