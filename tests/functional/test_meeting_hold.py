"""A break held while the microphone records: a real PulseAudio server (a private null
sink, and a null source for the microphone) with a real recording client (``parec``),
read by the real detector (``pactl``); the reminder's loop on a fake clock. Skips, saying
why, where the server cannot start."""

from __future__ import annotations

import io

import pytest

from bench.pulse_sink import MICROPHONE, NoSink, pulse_sink, record
from mobility_coach.adapters import meetings
from mobility_coach.adapters.idle import NoIdle
from mobility_coach.core.breaks.schedule import HOLD_GRACE, HOLD_RECHECK, Phase, ReminderSettings
from mobility_coach.core.breaks.service import Suggestion
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.config import Settings
from mobility_coach.remind import Alerts, Reminder
from tests.fake_notice import FakeNotice

MIN = 60.0


def run_for(reminder: Reminder, clock: FakeClock, seconds: float) -> None:
    """The reminder loop: tick, sleep next_wake() (on the fake clock), tick."""
    end = clock.monotonic() + seconds
    while clock.monotonic() < end - 1e-9:
        reminder.tick()
        clock.advance(min(reminder.schedule.next_wake(), end - clock.monotonic()) or 0.001)
    reminder.tick()


def test_a_break_is_held_while_recording_and_offered_once_after(tmp_path: object) -> None:
    try:
        with pulse_sink() as env:
            holds = meetings.detect(("microphone",), environ=env)
            assert holds.names == ["microphone"]
            notice, sounds = FakeNotice(), []
            clock = FakeClock()
            reminder = Reminder(
                Settings(ReminderSettings(every=10 * MIN)),
                clock,
                NoIdle(),
                Alerts(notice, bell=lambda: None, sound=lambda: sounds.append(1)),
                Suggestion("desk-break", "Hourly desk break"),
                io.StringIO(),
                holds=holds,
            )
            assert holds() is None  # nobody records yet
            recording = record(env, MICROPHONE)  # a call's microphone, as far as the server can tell
            try:
                run_for(reminder, clock, 10 * MIN)
                assert reminder.schedule.phase is Phase.HELD
                assert reminder.breaks.describe() == "held: microphone in use"
                run_for(reminder, clock, 20 * MIN)  # a long call: still held, nothing shown or heard
                assert (notice.shown, sounds) == ([], [])
            finally:
                recording.stop()
            ended = clock.monotonic()
            run_for(reminder, clock, HOLD_GRACE + HOLD_RECHECK)
            assert len(notice.shown) == 1 and sounds == [1]  # offered once, within the grace
            assert reminder.schedule.phase is Phase.DUE
            assert reminder.breaks.status().due_since is not None
            assert clock.monotonic() - ended <= HOLD_GRACE + HOLD_RECHECK
            run_for(reminder, clock, 10 * MIN)
            assert len(notice.shown) == 1  # never a burst
    except NoSink as why:
        pytest.skip(f"no PulseAudio null sink here: {why}")


def test_recording_the_desktops_sound_holds_nothing() -> None:
    """A visualiser or a screen recorder records a sink's monitor (what the speakers play):
    no microphone is in use, and a break is not held for it."""
    try:
        with pulse_sink() as env:
            holds = meetings.detect(("microphone",), environ=env)
            desktop = record(env)  # the null sink's monitor, as cava records it
            try:
                assert holds() is None
                microphone = record(env, MICROPHONE)
                try:
                    assert holds() == "microphone in use"
                finally:
                    microphone.stop()
            finally:
                desktop.stop()
    except NoSink as why:
        pytest.skip(f"no PulseAudio null sink here: {why}")
