"""The break schedule under a fake clock: each case asserts exactly which reminders
fire, and when. Times are local Europe/Berlin (DST included); 2026-11-23 is a Monday."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mobility_coach.core.breaks.schedule import Phase, ReminderSettings, Schedule
from mobility_coach.core.breaks.workhours import WorkingHours, parse_range
from mobility_coach.core.clock import FakeClock

BERLIN = ZoneInfo("Europe/Berlin")
MIN = 60.0
HOUR = 3600.0
OFFICE = WorkingHours.from_mapping({"mon-fri": [parse_range("09:00-17:30")]})  # type: ignore[list-item]


def at(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=BERLIN).timestamp()


def local(wall: float) -> str:
    return datetime.fromtimestamp(wall, BERLIN).strftime("%a %H:%M")


def make(start: str = "2026-11-23 09:00", **settings) -> tuple[Schedule, FakeClock]:  # type: ignore[no-untyped-def]
    clock = FakeClock(wall=at(start))
    return Schedule(ReminderSettings(**settings), clock, BERLIN), clock


def run(schedule: Schedule, clock: FakeClock, seconds: float, idle: float | None = None) -> list[tuple[str, str]]:
    """Let time pass as the reminder loop would: sleep next_wake(), then update."""
    fired: list[tuple[str, str]] = []
    end = clock.monotonic() + seconds
    while clock.monotonic() < end - 1e-9:
        clock.advance(min(max(schedule.next_wake(), 0.001), end - clock.monotonic()))
        fired += [(e.kind, local(e.wall)) for e in schedule.update(idle)]
    return fired


def test_a_normal_hour_fires_once_exactly_on_time() -> None:
    schedule, clock = make()
    assert run(schedule, clock, 59 * MIN + 59) == []
    assert run(schedule, clock, 1) == [("due", "Mon 10:00")]
    assert run(schedule, clock, 3 * HOUR) == []  # one reminder per due break, however long unanswered
    assert schedule.phase is Phase.DUE


def test_the_loop_wakes_at_most_once_a_minute_and_exactly_at_the_deadline() -> None:
    schedule, clock = make()
    wakes = []
    while schedule.phase is not Phase.DUE:
        wait = schedule.next_wake()
        wakes.append(wait)
        clock.advance(wait)
        schedule.update()
    assert max(wakes) == 60 and len(wakes) == 60 and clock.wall() == at("2026-11-23 10:00")


def test_snooze_fires_again_after_the_snooze() -> None:
    schedule, clock = make()
    run(schedule, clock, HOUR)
    schedule.snooze()
    assert run(schedule, clock, 10 * MIN) == [("due", "Mon 10:10")]
    schedule.snooze(5 * MIN)
    assert run(schedule, clock, 30 * MIN) == [("due", "Mon 10:15")]


def test_snooze_before_the_break_postpones_it() -> None:
    schedule, clock = make()
    run(schedule, clock, 20 * MIN)
    schedule.snooze(15 * MIN)
    assert run(schedule, clock, 2 * HOUR)[:1] == [("due", "Mon 10:15")]


def test_snoozes_add_up_but_never_past_a_day_ahead() -> None:
    schedule, clock = make()
    run(schedule, clock, 20 * MIN)
    for _ in range(10):
        schedule.snooze(24 * HOUR)
    assert schedule.seconds_left() == 24 * HOUR
    assert schedule.status().describe() == "next break in 24:00:00"


def test_a_pause_of_a_day_or_more_names_its_date() -> None:
    schedule, _ = make()
    schedule.pause(168 * HOUR)
    assert schedule.status().describe() == "reminders paused until Mon 30 Nov 09:00"
    schedule.pause(2 * HOUR)
    assert schedule.status().describe() == "reminders paused until Mon 11:00"


def test_skip_starts_the_next_interval_now() -> None:
    schedule, clock = make()
    run(schedule, clock, HOUR + 5 * MIN)
    schedule.skip()
    assert run(schedule, clock, 2 * HOUR) == [("due", "Mon 11:05")]


def test_finishing_a_routine_starts_the_next_interval_then() -> None:
    schedule, clock = make()
    run(schedule, clock, HOUR)
    schedule.session_started()
    assert run(schedule, clock, 30 * MIN) == []  # nothing interrupts a session
    schedule.session_ended(moved=True)
    assert run(schedule, clock, 2 * HOUR) == [("due", "Mon 11:30")]


@pytest.mark.parametrize(("pause", "resumes"), [(30 * MIN, "Mon 09:50"), (HOUR, "Mon 10:20"), (2 * HOUR, "Mon 11:20")])
def test_pause_for_a_while_then_a_fresh_interval(pause: float, resumes: str) -> None:
    schedule, clock = make()
    run(schedule, clock, 20 * MIN)
    schedule.pause(pause)
    fired = run(schedule, clock, pause + 2 * HOUR)
    assert fired[:2] == [("resumed", resumes), ("due", local(at("2026-11-23 09:20") + pause + HOUR))]


def test_pause_until_resumed_by_hand() -> None:
    schedule, clock = make()
    schedule.pause()
    assert run(schedule, clock, 5 * HOUR) == []
    assert schedule.status().describe() == "reminders paused"
    schedule.resume()
    assert run(schedule, clock, HOUR) == [("due", "Mon 15:00")]


def test_pause_until_tomorrow_waits_for_tomorrows_working_hours() -> None:
    schedule, clock = make(start="2026-11-23 14:00", working_hours=OFFICE)
    schedule.pause_until_tomorrow()
    fired = run(schedule, clock, 21 * HOUR)
    assert fired == [("resumed", "Tue 09:00"), ("due", "Tue 10:00")]


def test_working_hours_on_a_weekday() -> None:
    schedule, clock = make(start="2026-11-23 07:30", working_hours=OFFICE)
    assert schedule.phase is Phase.OFF_HOURS
    fired = run(schedule, clock, 12 * HOUR)
    assert [t for _, t in fired] == ["Mon 10:00"]  # unanswered, it stays due: no second reminder
    schedule2, clock2 = make(start="2026-11-23 07:30", working_hours=OFFICE)
    times = []
    while clock2.wall() < at("2026-11-23 19:30"):
        for event in run(schedule2, clock2, 5 * MIN):
            times.append(event[1])
            schedule2.skip()  # the user answers each one at once
    assert times == [
        "Mon 10:00",
        "Mon 11:00",
        "Mon 12:00",
        "Mon 13:00",
        "Mon 14:00",
        "Mon 15:00",
        "Mon 16:00",
        "Mon 17:00",
    ]
    assert schedule2.phase is Phase.OFF_HOURS and schedule2.status().describe() == (
        "outside working hours (back Tue 09:00)"
    )


def test_a_due_break_is_dropped_when_working_hours_end() -> None:
    schedule, clock = make(start="2026-11-23 16:00", working_hours=OFFICE)
    assert run(schedule, clock, 2 * HOUR) == [("due", "Mon 17:00")]
    assert schedule.phase is Phase.OFF_HOURS
    assert run(schedule, clock, 17 * HOUR)[:1] == [("due", "Tue 10:00")]


def test_weekends_stay_quiet() -> None:
    schedule, clock = make(start="2026-11-27 17:00", working_hours=OFFICE)  # Friday
    fired = run(schedule, clock, 2 * 24 * HOUR + 17 * HOUR)  # to Monday 10:00
    assert fired == [("due", "Mon 10:00")]


def test_working_hours_across_midnight() -> None:
    night = WorkingHours.from_mapping({"fri": [parse_range("22:00-06:00")]})  # type: ignore[list-item]
    schedule, clock = make(start="2026-11-27 21:00", working_hours=night)
    times = []
    for _ in range(12 * 12):
        for event in run(schedule, clock, 5 * MIN):
            times.append(event[1])
            schedule.skip()
    assert times == ["Fri 23:00", "Sat 00:00", "Sat 01:00", "Sat 02:00", "Sat 03:00", "Sat 04:00", "Sat 05:00"]


def test_working_hours_follow_local_time_across_dst() -> None:
    # Summer time starts on Sunday 2026-03-29; Monday's 09:00 is an hour earlier in UTC.
    schedule, clock = make(start="2026-03-27 18:00", working_hours=OFFICE)
    start = schedule.status().next_working_start
    assert start == at("2026-03-30 09:00") and start - at("2026-03-27 09:00") == 3 * 24 * HOUR - HOUR
    assert run(schedule, clock, 3 * 24 * HOUR)[:1] == [("due", "Mon 10:00")]


def test_a_two_minute_suspend_resumes_the_interval_where_it_was() -> None:
    schedule, clock = make()
    run(schedule, clock, 30 * MIN)
    clock.suspend(2 * MIN)
    assert run(schedule, clock, HOUR) == [("due", "Mon 10:02")]


# The loop sleeps up to a minute, so it notices a return from suspend at its next wake,
# within a minute of the return; the next interval starts from then.


def test_a_ten_minute_suspend_counts_as_a_break() -> None:
    schedule, clock = make()
    run(schedule, clock, 50 * MIN)
    clock.suspend(10 * MIN)  # back at 10:00, when the break was due
    assert run(schedule, clock, 2 * HOUR) == [("natural_break", "Mon 10:01"), ("due", "Mon 11:01")]


def test_a_three_day_suspend_gives_one_break_and_no_burst() -> None:
    schedule, clock = make(start="2026-11-27 16:00", working_hours=OFFICE)  # Friday
    run(schedule, clock, 50 * MIN)
    clock.suspend(3 * 24 * HOUR)  # back on Monday 16:50
    assert run(schedule, clock, 2 * HOUR) == [("natural_break", "Mon 16:51")]  # next due 17:51 is off hours


def test_a_long_suspend_while_due_is_the_break_taken() -> None:
    schedule, clock = make()
    run(schedule, clock, HOUR)
    clock.suspend(8 * HOUR)
    assert run(schedule, clock, 2 * HOUR) == [("natural_break", "Mon 18:01"), ("due", "Mon 19:01")]


@pytest.mark.parametrize("jump", [HOUR, -HOUR])
def test_wall_clock_jumps_never_move_a_break(jump: float) -> None:
    schedule, clock = make()
    run(schedule, clock, 30 * MIN)
    clock.jump_wall(jump)
    fired = run(schedule, clock, HOUR)
    assert [kind for kind, _ in fired] == ["due"]
    assert schedule.phase is Phase.DUE
    clock.jump_wall(-jump)
    assert run(schedule, clock, 2 * HOUR) == []  # and never fires twice


def test_wall_clock_back_after_a_break_fired_does_not_fire_it_again() -> None:
    schedule, clock = make()
    assert run(schedule, clock, HOUR) == [("due", "Mon 10:00")]
    schedule.skip()
    clock.jump_wall(-HOUR)
    fired = run(schedule, clock, HOUR)
    assert fired == [("due", "Mon 10:00")]  # one hour after the skip, by the (reset) wall clock
    assert len(fired) == 1


def test_short_idle_spells_change_nothing() -> None:
    schedule, clock = make()
    assert run(schedule, clock, HOUR, idle=3 * MIN) == [("due", "Mon 10:00")]


def test_an_idle_spell_as_long_as_a_break_is_a_break() -> None:
    schedule, clock = make()
    run(schedule, clock, 40 * MIN, idle=0)
    assert run(schedule, clock, 10 * MIN, idle=6 * MIN) == [("natural_break", "Mon 09:41")]
    assert schedule.phase is Phase.AWAY
    fired = run(schedule, clock, 2 * HOUR, idle=0)  # back at 09:51
    assert fired == [("due", "Mon 10:51")]


def test_idle_while_due_is_the_break_taken() -> None:
    schedule, clock = make()
    run(schedule, clock, HOUR)
    assert run(schedule, clock, 6 * MIN, idle=5 * MIN) == [("natural_break", "Mon 10:01")]
    assert run(schedule, clock, 2 * HOUR, idle=0)[0] == ("due", "Mon 11:07")  # back, seen at 10:07


def test_status_lines() -> None:
    schedule, clock = make()
    run(schedule, clock, 15 * MIN)
    assert schedule.status().describe() == "next break in 45:00"
    run(schedule, clock, 45 * MIN)
    assert schedule.status().describe() == "break due now"
    schedule.snooze()
    assert schedule.status().describe() == "next break in 10:00 (snoozed)"


def test_sleeping_while_already_away_is_one_break_not_two() -> None:
    schedule, clock = make()
    run(schedule, clock, 20 * MIN, idle=0)
    assert run(schedule, clock, 6 * MIN, idle=6 * MIN) == [("natural_break", "Mon 09:21")]
    clock.suspend(HOUR)
    assert run(schedule, clock, 2 * MIN, idle=2 * HOUR) == []  # still away: nothing new
    assert run(schedule, clock, 2 * HOUR, idle=0)[0] == ("due", "Mon 11:29")  # back 10:29 (seen a minute on)
