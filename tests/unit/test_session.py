"""The session player against a fake clock: exact time, pauses, sleep, navigation, cues."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mobility_coach.core.clock import FakeClock
from mobility_coach.core.routines.model import Step
from mobility_coach.core.routines.timeline import Cue, expand
from mobility_coach.core.session.player import PauseReason, Player, Status
from tests.unit.builders import EY, routine, step


def player(*steps: Step, rounds: int = 1) -> tuple[Player, FakeClock]:
    clock = FakeClock()
    return Player(expand(routine(*steps, rounds=rounds)), clock), clock


def run(p: Player, clock: FakeClock, seconds: float, tick: float = 0.25) -> list[tuple[float, str, str]]:
    """Advance in UI-sized ticks, collecting (time since first tick, kind, text) of fired cues."""
    fired = []
    t = 0.0
    while t < seconds - 1e-9:
        d = min(tick, seconds - t)
        clock.advance(d)
        t += d
        fired += [(round(t, 2), c.kind, c.text) for c in p.update()]
    return fired


def test_plays_to_the_end_exactly_on_plan() -> None:
    p, clock = player(step(hold=30), step(hold=20, exercise=EY))
    assert p.start()[0].kind == "announce"
    assert p.total_remaining() == 5 + 30 + 10 + 5 + 20
    run(p, clock, 69.75)
    assert p.status is Status.RUNNING and p.total_remaining() == pytest.approx(0.25)
    run(p, clock, 0.25)
    assert p.status is Status.FINISHED and p.total_remaining() == 0
    assert p.active_seconds() == pytest.approx(30 + 20)  # the work; get-ready and rest are not moving


def test_time_left_comes_from_deadlines_not_ticks() -> None:
    p, clock = player(step(hold=30))
    p.start()
    clock.advance(3.3)  # one late, irregular update lands in the right place
    p.update()
    assert p.remaining() == pytest.approx(1.7) and p.segment.kind == "get_ready"
    clock.advance(2.0)
    p.update()
    assert p.segment.kind == "work" and p.remaining() == pytest.approx(30 - 0.3)


@given(st.lists(st.tuples(st.floats(0.01, 4.0), st.floats(0.0, 100.0)), min_size=1, max_size=20))
@settings(max_examples=200, deadline=None)
def test_time_left_after_any_pause_resume_cycles_equals_the_plan(cycles: list[tuple[float, float]]) -> None:
    p, clock = player(step(hold=30), step(reps=8, tempo=4.0, exercise=EY))
    p.start()
    planned = p.total_remaining()
    played = 0.0
    for run_for, paused_for in cycles:
        clock.advance(run_for)
        p.update()
        played += run_for
        p.pause()
        clock.advance(paused_for)  # paused time never counts
        p.update()
        p.resume()
        assert p.total_remaining() == pytest.approx(max(0.0, planned - played), abs=1e-6)
    assert p.active_seconds() == pytest.approx(work_within(p, min(played, planned)), abs=1e-6)


def work_within(p: Player, seconds: float) -> float:
    """Seconds of work segments in the first ``seconds`` of the (timed) plan."""
    return sum(
        max(0.0, min(seconds, s.start + (s.duration or 0.0)) - s.start) for s in p.timeline.segments if s.kind == "work"
    )


def test_time_moving_counts_work_only() -> None:
    # get ready 5, left 10, switch 3, right 10, rest 10, get ready 5, self-paced reps, rest 10
    p, clock = player(step(hold=10, sides="both"), step(reps=5, exercise=EY))
    p.start()
    run(p, clock, 5 + 10 + 3)
    assert p.segment.kind == "work" and p.active_seconds() == pytest.approx(10)
    run(p, clock, 4)
    p.restart_step()  # what was done before a restart was still moving
    assert p.active_seconds() == pytest.approx(14)
    run(p, clock, 5 + 10 + 3 + 10 + 10 + 5)
    assert p.segment.self_paced and p.active_seconds() == pytest.approx(34)
    run(p, clock, 7)  # self-paced work counts as long as it takes
    assert p.active_seconds() == pytest.approx(41)
    p.done()
    run(p, clock, 10)
    assert p.status is Status.FINISHED and p.active_seconds() == pytest.approx(41)


def test_pause_freezes_the_countdown_and_resume_continues_it() -> None:
    p, clock = player(step(hold=30))
    p.start()
    run(p, clock, 10)
    p.pause()
    before = p.remaining()
    run(p, clock, 600)
    assert p.remaining() == before and p.status is Status.PAUSED and p.pause_reason is PauseReason.USER
    p.resume()
    run(p, clock, 1)
    assert p.remaining() == pytest.approx(before - 1)  # type: ignore[operator]


def test_a_laptop_sleeping_mid_session_pauses_it_where_it_was() -> None:
    p, clock = player(step(hold=30))
    p.start()
    run(p, clock, 12)
    left = p.total_remaining()
    clock.suspend(3600)  # monotonic stands still, boot time runs on (Linux suspend)
    clock.advance(0.25)
    assert p.update() == []
    assert p.status is Status.PAUSED and p.pause_reason is PauseReason.SUSPEND
    assert p.total_remaining() == pytest.approx(left)
    p.resume()
    run(p, clock, 1)
    assert p.total_remaining() == pytest.approx(left - 1)


def test_a_monotonic_leap_also_pauses_without_skipping_ahead() -> None:
    p, clock = player(step(hold=30))
    p.start()
    run(p, clock, 12)
    left = p.total_remaining()
    clock.advance(3600)  # platforms whose monotonic clock counts suspended time
    p.update()
    assert p.status is Status.PAUSED and p.total_remaining() == pytest.approx(left)


def test_wall_clock_jumps_do_not_disturb_a_running_session() -> None:
    p, clock = player(step(hold=30))
    p.start()
    run(p, clock, 10)
    clock.jump_wall(-3600)  # NTP or a user setting the clock back
    run(p, clock, 1)
    clock.jump_wall(+7200)  # ... or forward: not a suspend either
    run(p, clock, 1)
    assert p.status is Status.RUNNING and p.remaining() == pytest.approx(30 - 7)


def test_cues_fire_once_each_in_order_at_their_time() -> None:
    p, clock = player(step(hold=20, sides="both"))
    first = [(0.0, c.kind, c.text) for c in p.start()]
    fired = first + run(p, clock, 48)
    assert fired == [
        (0.0, "announce", "Get ready: Reach (hold 20s, left side first)"),
        (2.0, "countdown", "3"),
        (3.0, "countdown", "2"),
        (4.0, "countdown", "1"),
        (5.0, "go", "Go: Reach, left side"),
        (15.0, "halfway", "Halfway"),
        (22.0, "countdown", "3"),
        (23.0, "countdown", "2"),
        (24.0, "countdown", "1"),
        (25.0, "switch", "Switch sides: Reach, right side"),
        (26.0, "countdown", "2"),
        (27.0, "countdown", "1"),
        (28.0, "go", "Go: Reach, right side"),
        (38.0, "halfway", "Halfway"),
        (45.0, "countdown", "3"),
        (46.0, "countdown", "2"),
        (47.0, "countdown", "1"),
        (48.0, "done", "Done"),
    ]
    assert p.status is Status.FINISHED


def test_tempo_reps_count_on_time() -> None:
    p, clock = player(step(reps=4, tempo=3.0))
    p.start()
    run(p, clock, 5)
    assert p.rep() == 1
    run(p, clock, 3)
    assert p.rep() == 2
    run(p, clock, 6.5)
    assert p.rep() == 4


def test_self_paced_reps_wait_for_done() -> None:
    p, clock = player(step(reps=6), step(hold=10, exercise=EY))
    p.start()
    run(p, clock, 5)
    assert p.segment.kind == "work" and p.remaining() is None
    run(p, clock, 300)
    assert p.segment.kind == "work" and p.status is Status.RUNNING
    p.done()
    assert p.segment.kind == "rest" and p.remaining() == 10


def test_self_paced_last_step_says_done_only_when_the_user_does() -> None:
    p, clock = player(step(reps=6))
    p.start()
    fired = run(p, clock, 60)
    assert all(kind != "done" for _, kind, _ in fired)
    assert [c.kind for c in p.done()] == ["done"]
    assert p.status is Status.FINISHED


def test_next_previous_and_restart_step() -> None:
    p, clock = player(step(hold=30), step(hold=20, exercise=EY), step(hold=10))
    p.start()
    run(p, clock, 8)
    p.next_step()
    assert (p.unit_index, p.segment.kind, p.elapsed()) == (1, "get_ready", 0)
    run(p, clock, 7)
    p.restart_step()
    assert (p.unit_index, p.segment.kind, p.elapsed()) == (1, "get_ready", 0)
    p.previous_step()
    assert p.unit_index == 0
    p.previous_step()
    assert p.unit_index == 0
    p.next_step()
    p.next_step()
    assert p.unit_index == 2
    p.next_step()
    assert p.status is Status.FINISHED
    assert [r.complete for r in p.results()] == [False, False, False]


def test_skipping_while_paused_stays_paused_with_the_full_segment() -> None:
    p, clock = player(step(hold=30), step(hold=20, exercise=EY))
    p.start()
    run(p, clock, 10)
    p.pause()
    p.next_step()
    run(p, clock, 50)
    assert p.status is Status.PAUSED and p.remaining() == 5
    p.resume()
    run(p, clock, 1)
    assert p.remaining() == pytest.approx(4)


def test_results_and_time_spent_after_quitting() -> None:
    p, clock = player(step(hold=10), step(hold=10, exercise=EY))
    p.start()
    run(p, clock, 16)
    p.pause()
    clock.advance(100)
    p.stop()
    assert p.status is Status.FINISHED
    assert p.active_seconds() == pytest.approx(10)  # 5s getting ready and 1s of rest were not moving
    assert [(r.name, r.work_done, r.work_total) for r in p.results()] == [("Reach", 1, 1), ("Bend", 0, 1)]


def test_cue_type_is_the_timeline_one() -> None:
    p, _ = player(step(hold=10))
    assert all(isinstance(c, Cue) for c in p.start())
