"""The headless reminder picks up an edit to config.yaml or a routine file at its next
wake (at most a minute away), under a fake clock and a waiter that only moves it."""

from __future__ import annotations

import io
from pathlib import Path

from mobility_coach.adapters.idle import NoIdle
from mobility_coach.adapters.remind_socket import Incoming
from mobility_coach.core.breaks.protocol import Reply
from mobility_coach.core.breaks.service import suggest_routine
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.config import load_settings
from mobility_coach.core.live_files import LiveFiles
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.loader import load_all
from mobility_coach.remind import Alerts, Reminder
from tests.fake_notice import FakeNotice
from tests.unit.test_live_files import ROUTINE, edit


class Harness:
    def __init__(self, home: Path) -> None:
        self.paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
        library = load_all(self.paths)
        settings, problems = load_settings(self.paths.config_file, library.routines)
        self.clock = FakeClock()
        self.bodies: list[str] = []
        self.sound: list[bool] = []
        self.log = io.StringIO()
        self.waits: list[float] = []
        alerts = Alerts(FakeNotice(lambda title, body: self.bodies.append(body)), lambda: None, lambda: None)
        suggestion = suggest_routine(library.routines, settings.reminders.suggested_routine)
        files = LiveFiles(self.paths, settings, problems, library)
        self.reminder = Reminder(
            settings, self.clock, NoIdle(), alerts, suggestion, self.log, files=files, sound_switch=self.sound.append
        )

    def wait(self, seconds: float) -> list[Incoming]:
        """The socket's wait, with no command arriving: the time simply passes."""
        self.waits.append(seconds)
        self.clock.advance(seconds)
        return []

    def watch(self, incoming: Incoming, reply: Reply) -> None:
        raise AssertionError("no watcher connects here")

    def tell_one(self, reply: Reply) -> bool:
        return False

    def broadcast(self, reply: Reply) -> None:
        """No watchers: nobody to tell."""

    def wake(self) -> None:
        assert self.reminder.serve_once(self)

    def said(self) -> list[str]:
        return [line.split(" ", 1)[1] for line in self.log.getvalue().splitlines()]


def test_a_settings_edit_is_picked_up_at_the_next_wake(tmp_path: Path) -> None:
    run = Harness(tmp_path)
    run.wake()
    assert run.waits == [60.0]  # never asleep longer than a minute, edits included
    edit(run.paths.config_file, "reminders:\n  every: 2m\n  suggested_routine: crack-swap\nsound: false\n")
    run.wake()
    assert run.said() == ["Settings reloaded"]
    assert run.reminder.breaks.settings.every == 120 and run.sound == [False]
    assert run.waits[-1] == 60.0  # the minute already sat counts: one more to go
    run.wake()
    (body,) = run.bodies
    assert "mobility-coach run crack-swap" in body


def test_a_broken_settings_edit_is_a_line_and_the_last_good_stays(tmp_path: Path) -> None:
    run = Harness(tmp_path)
    edit(run.paths.config_file, "reminders:\n  every: 2m\n")
    run.wake()
    edit(run.paths.config_file, "reminders:\n  every: 3m\n  snooze: 0s\n")
    run.wake()
    last = run.said()[-1]
    good = "config.yaml has a problem; the last good settings stay in force."
    assert last.startswith(f"{good} {run.paths.config_file}:3:11: reminders.snooze: ")
    assert run.reminder.breaks.settings.every == 120


def test_a_new_routine_can_be_the_suggested_one_without_a_restart(tmp_path: Path) -> None:
    run = Harness(tmp_path)
    edit(run.paths.routines_dir / "mine.yaml", ROUTINE.format(id="mine", name="Mine", reps=5))
    edit(run.paths.config_file, "reminders:\n  every: 1m\n  suggested_routine: mine\n")
    run.wake()
    assert run.said() == ["Routines reloaded: 1 added", "Settings reloaded"]
    run.wake()
    (body,) = run.bodies
    assert "Try Mine: mobility-coach run mine" in body
