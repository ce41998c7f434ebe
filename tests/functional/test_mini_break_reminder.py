"""Mini breaks from the headless reminder (issue 27): a quiet notification that closes
itself, a line on its output, and `remind status` saying when the next one comes."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from mobility_coach.adapters.idle import NoIdle
from mobility_coach.core.breaks.schedule import ReminderSettings
from mobility_coach.core.breaks.service import BreakEntry, Suggestion
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.config import Settings
from mobility_coach.remind import Alerts, Reminder
from tests.conftest import write
from tests.fake_notice import FakeNotice
from tests.functional.test_remind import START
from tests.functional.test_remind_socket import read_first_line, remind_command, start_reminder


def test_a_mini_break_is_a_notification_without_buttons_or_sound_that_closes_with_it() -> None:
    clock = FakeClock(wall=START)
    notice, mini_notice = FakeNotice(actions=True), FakeNotice(actions=True)
    rang: list[str] = []
    kept: list[BreakEntry] = []
    log = io.StringIO()
    alerts = Alerts(notice, lambda: rang.append("bell"), lambda: rang.append("sound"), mini_notice=mini_notice)
    settings = Settings(ReminderSettings(mini_every=20 * 60.0, mini_length=20.0))
    reminder = Reminder(
        settings, clock, NoIdle(), alerts, Suggestion("desk-break", "Hourly desk break"), log, kept.append
    )
    reminder.open()
    while not mini_notice.shown:
        clock.advance(reminder.breaks.next_wake())
        reminder.tick()
    assert clock.monotonic() == 1000 + 20 * 60  # on time, after 20 minutes of sitting
    [shown] = mini_notice.shown
    assert (shown.title, shown.expire) == ("Mini break", 20.0)
    assert shown.body == "Look at something 6 m away, for 20s. This closes by itself."
    assert mini_notice.on_screen and notice.shown == [] and rang == []
    assert "mini break: look at something 6 m away (20s)" in log.getvalue()
    clock.advance(reminder.breaks.next_wake())
    reminder.tick()
    assert not mini_notice.on_screen and mini_notice.closed == 1  # gone with it, expired or not
    assert [entry.kind for entry in kept] == ["mini_break"]


def test_remind_status_says_when_the_next_mini_break_comes(home: Path) -> None:
    write(home / "config", "config.yaml", "reminders:\n  mini_every: 20m\n")
    env = {**os.environ, "MOBILITY_COACH_HOME": str(home)}
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    reminder = start_reminder(env)
    try:
        assert read_first_line(reminder).startswith(f"Reminder running (pid {reminder.pid}): next break in ")
        status = remind_command(env, "status")
        assert status.returncode == 0 and status.stdout.startswith("next break in "), status
        assert "; mini break in 19:" in status.stdout or "; mini break in 20:00" in status.stdout
        as_json = json.loads(remind_command(env, "status", "--json").stdout)
        assert as_json["mini_break"] is None and 19 * 60 < as_json["mini_seconds_left"] <= 20 * 60
        waybar = json.loads(remind_command(env, "status", "--format", "waybar").stdout)
        assert "\nmini break in " in waybar["tooltip"]
        assert remind_command(env, "stop").stdout == "Reminder stopped.\n"
        assert reminder.wait(timeout=30) == 0
    finally:
        if reminder.poll() is None:
            reminder.kill()
        reminder.wait(timeout=30)
