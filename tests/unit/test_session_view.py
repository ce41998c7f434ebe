"""The session view: what the screen shows (and voice and figures will) in every phase."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobility_coach.core.clock import FakeClock
from mobility_coach.core.figures.figure import Figure, KeyPosition
from mobility_coach.core.figures.motion import still
from mobility_coach.core.routines.model import Step
from mobility_coach.core.routines.timeline import expand
from mobility_coach.core.session.player import Player
from mobility_coach.core.session.view import SessionView, StepRow, session_view
from tests.unit.builders import EX, EY, routine, step

# Get ready 5 s, rest 10 s, set rest 15 s, switch 3 s, round rest 30 s (builders.GAPS).
EZ = replace(EY, id="z", name="Twist", cues=("Sit tall.", "Turn slowly."))


def started(*steps: Step, rounds: int = 1) -> tuple[Player, FakeClock]:
    clock = FakeClock()
    p = Player(expand(routine(*steps, rounds=rounds)), clock)
    p.start()
    return p, clock


def view_after(p: Player, clock: FakeClock, seconds: float) -> SessionView:
    """Let ``seconds`` pass in UI-sized ticks, then view the session at that instant."""
    while seconds > 1e-9:
        clock.advance(min(0.5, seconds))
        seconds -= 0.5
        p.update()
    return session_view(p, clock.monotonic())


def test_get_ready_names_the_exercise_and_what_follows_it() -> None:
    p, clock = started(step(hold=30, note="Knees soft."), step(hold=20, exercise=EZ))
    v = view_after(p, clock, 1.2)
    assert (v.phase, v.phase_label, v.title, v.side) == ("get_ready", "GET READY", "Reach", None)
    assert (v.clock_seconds, v.clock_text, v.counting_up) == (pytest.approx(3.8), "0:04", False)
    assert v.detail == ""
    assert v.exercise_cues == EX.cues and v.note == "Knees soft."
    assert v.next_up == "Then: Twist"  # the work after the one being got ready for
    assert (v.step_number, v.step_total) == (1, 2)
    assert not (v.paused or v.awaiting_done or v.finished) and v.paused_hint == ""


def test_a_timed_hold_counts_down_and_says_how_long() -> None:
    p, clock = started(step(hold=30), step(hold=20, exercise=EZ))
    v = view_after(p, clock, 5 + 12)
    assert (v.phase, v.phase_label, v.title) == ("work", "WORK", "Reach")
    assert (v.clock_text, v.detail, v.rep) == ("0:18", "hold 30s", None)
    assert v.next_up == "Next: Twist"


def test_tempo_reps_are_counted_on_time() -> None:
    p, clock = started(step(reps=8, tempo=4.0))
    assert view_after(p, clock, 5).detail == "rep 1 of 8"
    v = view_after(p, clock, 9.5)  # 9.5 s into the work: the third rep
    assert (v.rep, v.detail, v.clock_text) == (3, "rep 3 of 8", "0:23")
    assert view_after(p, clock, 100).finished


def test_self_paced_reps_count_up_and_wait_for_done() -> None:
    p, clock = started(step(reps=10), step(hold=20, exercise=EZ))
    v = view_after(p, clock, 5 + 61)
    assert (v.phase, v.phase_label, v.counting_up, v.awaiting_done) == ("work", "YOUR PACE", True, True)
    assert v.clock_text == "1:01"
    assert v.detail == "10 reps at your own pace: press Enter when done"
    p.done()
    assert not session_view(p, clock.monotonic()).awaiting_done


def test_both_sides_show_the_side_and_the_switch_names_the_side_to_come() -> None:
    p, clock = started(step(hold=10, sides="both"))
    left = view_after(p, clock, 5 + 1)
    assert (left.title, left.side, left.next_up) == ("Reach", "left", "Next: Reach, right side")
    switch = view_after(p, clock, 10)
    assert (switch.phase, switch.phase_label, switch.side, switch.clock_text) == (
        "switch",
        "SWITCH SIDES",
        "right",
        "0:02",
    )
    right = view_after(p, clock, 3)
    assert (right.side, right.next_up) == ("right", "Next: finish")


def test_rest_shows_the_cues_of_the_exercise_to_come_and_no_note() -> None:
    p, clock = started(step(hold=10, note="Knees soft."), step(hold=20, exercise=EZ))
    v = view_after(p, clock, 5 + 10 + 1)
    assert (v.phase, v.phase_label, v.title, v.side) == ("rest", "REST", "Rest", None)
    assert v.exercise_cues == EZ.cues and v.note is None
    assert v.next_up == "Then: finish"  # Twist comes now, after the rest; then the end
    assert v.clock_text == "0:09"


def test_set_rest_shows_the_set_line() -> None:
    p, clock = started(step(hold=10, sets=2))
    work = view_after(p, clock, 5 + 1)
    assert work.detail == "set 1 of 2 · hold 10s"
    rest = view_after(p, clock, 10)
    assert (rest.phase, rest.title, rest.detail, rest.clock_text) == ("rest", "Rest", "set 1 of 2", "0:14")
    assert rest.exercise_cues == EX.cues
    assert view_after(p, clock, 15).detail == "set 2 of 2 · hold 10s"


def test_rounds_show_in_the_detail_and_the_step_list() -> None:
    p, clock = started(step(hold=10), rounds=2)
    first = view_after(p, clock, 5 + 1)
    assert first.detail == "hold 10s · round 1 of 2"
    assert first.steps == (StepRow("R1 Reach", True, False), StepRow("R2 Reach", False, False))
    rest = view_after(p, clock, 10)
    assert (rest.phase, rest.title, rest.detail, rest.clock_text) == ("rest", "Rest", "round 1 of 2", "0:29")
    assert rest.steps[0] == StepRow("R1 Reach", True, True)
    second = view_after(p, clock, 30 + 5)
    assert second.detail == "hold 10s · round 2 of 2" and (second.step_number, second.step_total) == (2, 2)


def test_one_round_lists_steps_without_a_round_prefix() -> None:
    p, clock = started(step(hold=10), step(hold=10, exercise=EZ))
    v = view_after(p, clock, 5 + 10 + 10 + 1)
    assert v.steps == (StepRow("Reach", False, True), StepRow("Twist", True, False))


def test_a_pause_freezes_the_view_whatever_the_instant() -> None:
    p, clock = started(step(hold=30))
    before = view_after(p, clock, 5 + 10)
    p.pause()
    later = session_view(p, clock.monotonic() + 300)
    assert (later.paused, later.paused_hint) == (True, "PAUSED, press space to carry on")
    assert (later.clock_text, later.left_seconds) == (before.clock_text, before.left_seconds)
    p.resume()
    assert session_view(p, clock.monotonic()).paused_hint == ""


REACHING = replace(EX, figure=Figure("standing", keys=(KeyPosition("up", (("arm", 90.0),)),)))


def test_the_figure_moves_with_the_tempo_and_stands_still_outside_work() -> None:
    p, clock = started(step(reps=4, tempo=4, exercise=REACHING), step(hold=10, exercise=EY))
    ready = view_after(p, clock, 1.0)
    assert ready.figure == still(REACHING.drawn)  # get ready: the starting position
    up = view_after(p, clock, 4.0 + 2.0)  # 2 s into rep 1 of 4 s: at the key, turning back
    assert (up.rep, up.figure.start, up.figure.end, up.figure.blend) == (1, 1, 0, 0.0)
    resting = view_after(p, clock, 14.0)
    assert resting.phase == "rest" and resting.figure == still(EY.drawn)  # the next one's start


def test_the_figure_is_mirrored_for_the_left_side_and_freezes_in_a_pause() -> None:
    p, clock = started(step(reps=2, tempo=4, sides="both", exercise=REACHING))
    ready = view_after(p, clock, 1.0)
    assert ready.figure.mirrored  # left side first
    left = view_after(p, clock, 4.0 + 1.0)
    assert left.side == "left" and left.figure.mirrored and 0 < left.figure.blend < 1
    p.pause()
    clock.advance(1.7)
    p.update()
    assert session_view(p, clock.monotonic()).figure == left.figure
    p.resume()
    right = view_after(p, clock, 7.0 + 3.0)
    assert right.side == "right" and not right.figure.mirrored


def test_the_last_step_leads_to_finish() -> None:
    p, clock = started(step(hold=10), step(hold=20, exercise=EZ))
    ready = view_after(p, clock, 5 + 10 + 10 + 1)
    assert (ready.phase, ready.title, ready.next_up) == ("get_ready", "Twist", "Then: finish")
    assert view_after(p, clock, 5).next_up == "Next: finish"


def test_finished_session_shows_nothing_left() -> None:
    p, clock = started(step(hold=10))
    v = view_after(p, clock, 16)
    assert v.finished and (v.left_seconds, v.left_text, v.progress) == (0.0, "0:00 left", 1.0)


def test_the_view_reads_the_instant_it_is_given_not_the_clock() -> None:
    p, clock = started(step(hold=30))
    view_after(p, clock, 5)
    ahead = session_view(p, clock.monotonic() + 12.5)
    assert (ahead.clock_text, ahead.left_seconds) == ("0:18", pytest.approx(17.5))
    assert session_view(p, clock.monotonic()).clock_text == "0:30"  # nothing was changed


def test_the_rep_is_counted_at_the_instant_given() -> None:
    p, clock = started(step(reps=8, tempo=4.0))
    view_after(p, clock, 5)
    assert session_view(p, clock.monotonic() + 8.5).detail == "rep 3 of 8"


# Timed steps of every shape: holds and tempo reps, one side or both, one set or more.
STEPS = st.builds(
    step,
    hold=st.integers(1, 40),
    sides=st.sampled_from(["one", "both"]),
    sets=st.integers(1, 3),
) | st.builds(
    step,
    reps=st.integers(1, 8),
    tempo=st.sampled_from([1.5, 3.0, 4.0]),
    sides=st.sampled_from(["one", "both"]),
    sets=st.integers(1, 3),
)


@given(
    st.lists(STEPS, min_size=1, max_size=3),
    st.integers(1, 2),
    st.lists(st.floats(0.0, 7.0), min_size=1, max_size=60),
)
@settings(max_examples=150, deadline=None)
def test_any_instant_has_a_clock_within_its_segment_and_progress_only_grows(
    steps: list[Step], rounds: int, gaps: list[float]
) -> None:
    p, clock = started(*steps, rounds=rounds)
    last = session_view(p, clock.monotonic())
    for gap in gaps:
        clock.advance(gap)
        p.update()
        v = session_view(p, clock.monotonic())
        duration = p.segment.duration
        assert duration is not None  # timed routines only
        assert 0.0 <= v.clock_seconds <= duration
        assert 0.0 <= v.progress <= 1.0
        assert v.done_seconds + v.left_seconds == pytest.approx(v.total_seconds)
        assert v.done_seconds >= last.done_seconds - 1e-9, "progress went back"
        assert v.left_text.endswith(" left") and 1 <= v.step_number <= v.step_total
        assert sum(row.current for row in v.steps) == 1
        last = v
