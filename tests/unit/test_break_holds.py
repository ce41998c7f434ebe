"""A due break held while a meeting lasts (issue 13), under a fake clock: no offer while
held, the reason in the status, and one offer after the grace period once the hold ends.
The detectors are read only when a break is due, never while the clock merely counts."""

from __future__ import annotations

from mobility_coach.core.breaks.host import ClockHost
from mobility_coach.core.breaks.protocol import Skip, Snooze
from mobility_coach.core.breaks.schedule import HOLD_GRACE, HOLD_RECHECK, Phase, ReminderSettings, Schedule
from mobility_coach.core.breaks.service import BreakService
from mobility_coach.core.clock import FakeClock

MIN = 60.0


class Meeting:
    """A detector's verdict the test sets, counting how often it is asked."""

    def __init__(self) -> None:
        self.reason: str | None = None
        self.asked = 0

    def __call__(self) -> str | None:
        self.asked += 1
        return self.reason


def make() -> tuple[Schedule, FakeClock, Meeting]:
    clock = FakeClock()
    return Schedule(ReminderSettings(every=10 * MIN), clock), clock, Meeting()


def run(schedule: Schedule, clock: FakeClock, meeting: Meeting, seconds: float) -> list[tuple[str, float]]:
    """The reminder loop: sleep next_wake(), then update; events with their time from the start."""
    fired: list[tuple[str, float]] = []
    end = clock.monotonic() + seconds
    while clock.monotonic() < end - 1e-9:
        clock.advance(min(max(schedule.next_wake(), 0.001), end - clock.monotonic()))
        fired += [(e.kind, clock.monotonic() - 1000.0) for e in schedule.update(None, meeting)]
    return fired


def test_the_detectors_are_not_asked_while_the_clock_counts() -> None:
    schedule, clock, meeting = make()
    assert run(schedule, clock, meeting, 10 * MIN - 1) == []
    assert meeting.asked == 0
    assert run(schedule, clock, meeting, 1) == [("due", 10 * MIN)]
    assert meeting.asked == 1
    assert run(schedule, clock, meeting, 30 * MIN) == []  # due, waiting for an answer: nothing asked
    assert meeting.asked == 1


def test_a_break_due_in_a_meeting_is_held_and_offered_once_after_the_grace() -> None:
    schedule, clock, meeting = make()
    meeting.reason = "microphone in use"
    assert run(schedule, clock, meeting, 10 * MIN) == [("held", 10 * MIN)]
    assert schedule.phase is Phase.HELD
    assert schedule.status().describe() == "held: microphone in use"
    assert run(schedule, clock, meeting, 20 * MIN) == []  # a long call: held, not offered, not repeated
    asked_while_held = meeting.asked
    assert asked_while_held <= 20 * MIN / HOLD_RECHECK + 2  # a slow timer, not a busy one
    meeting.reason = None
    fired = run(schedule, clock, meeting, 10 * MIN)
    assert [kind for kind, _ in fired] == ["due"]  # once, never a burst
    ended = 30 * MIN  # the hold was last seen at most HOLD_RECHECK before this
    assert ended + HOLD_GRACE - HOLD_RECHECK <= fired[0][1] <= ended + HOLD_GRACE + HOLD_RECHECK
    assert schedule.phase is Phase.DUE


def test_a_hold_that_returns_within_the_grace_starts_it_over() -> None:
    schedule, clock, meeting = make()
    meeting.reason = "camera in use"
    run(schedule, clock, meeting, 10 * MIN)
    meeting.reason = None
    run(schedule, clock, meeting, HOLD_RECHECK)  # seen gone: the grace begins
    meeting.reason = "do-not-disturb is on"
    assert run(schedule, clock, meeting, HOLD_GRACE) == [("held", 10 * MIN + HOLD_RECHECK + HOLD_GRACE)]
    assert schedule.status().describe() == "held: do-not-disturb is on"
    meeting.reason = None
    assert [kind for kind, _ in run(schedule, clock, meeting, 5 * MIN)] == ["due"]


def test_a_held_break_can_be_snoozed_or_skipped() -> None:
    schedule, clock, meeting = make()
    meeting.reason = "a full-screen window"
    run(schedule, clock, meeting, 10 * MIN)
    schedule.snooze(5 * MIN)
    assert schedule.phase is Phase.SNOOZED
    assert run(schedule, clock, meeting, 5 * MIN) == [("held", 15 * MIN)]
    schedule.skip()
    assert schedule.phase is Phase.COUNTING


def test_a_held_break_is_held_again_by_the_next_owner() -> None:
    clock = FakeClock()
    meeting = Meeting()
    meeting.reason = "microphone in use"
    first = ClockHost(
        BreakService(ReminderSettings(every=10 * MIN), clock, lambda: None, "remind", holds=meeting), None, 1
    )
    clock.advance(10 * MIN)
    first.tick()
    assert first.reply().phase is Phase.HELD
    assert first.reply().held == "microphone in use"
    saved = first.service.snapshot()

    second_meeting = Meeting()
    second = BreakService(ReminderSettings(every=10 * MIN), clock, lambda: None, "app", holds=second_meeting)
    second.restore(saved)
    second_meeting.reason = "microphone in use"
    assert [e.kind for e in second.tick()] == ["held"]
    second_meeting.reason = None
    clock.advance(HOLD_RECHECK)
    assert second.tick() == []
    clock.advance(HOLD_GRACE)
    assert [e.kind for e in second.tick()] == ["due"]


def test_answers_reach_a_held_break_through_the_host() -> None:
    clock = FakeClock()
    meeting = Meeting()
    meeting.reason = "microphone in use"
    host = ClockHost(
        BreakService(ReminderSettings(every=10 * MIN), clock, lambda: None, "remind", holds=meeting), None, 1
    )
    clock.advance(10 * MIN)
    host.tick()
    assert host.changed()
    reply, _ = host.handle(Snooze())
    assert reply.phase is Phase.SNOOZED and reply.held is None
    clock.advance(10 * MIN)
    host.tick()
    reply, _ = host.handle(Skip())
    assert reply.phase is Phase.COUNTING
