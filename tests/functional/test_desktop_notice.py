"""The due break's notification on a real notification server: dunst under Xvfb, on a
private D-Bus session bus. The reminder's loop runs on a fake clock in this process; the
notification's child process, the server and the command socket are all real, and the
buttons are pressed as the server presses them (the ``ActionInvoked`` signal). Start opens
a stand-in terminal that records its arguments. Skips, saying why, where a part of the
desktop cannot start."""

from __future__ import annotations

import io
import json
import os
import subprocess
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from mobility_coach.adapters import terminal
from mobility_coach.adapters.idle import NoIdle
from mobility_coach.adapters.notify import DesktopNotice, NoticeText
from mobility_coach.adapters.remind_socket import SOCKET_NAME, CommandServer
from mobility_coach.core.breaks.protocol import Skip
from mobility_coach.core.breaks.schedule import Phase, ReminderSettings
from mobility_coach.core.breaks.service import Suggestion
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.config import Settings
from mobility_coach.core.paths import Paths
from mobility_coach.remind import Alerts, Reminder
from tests.desktop_session import NoDesktop, desktop_session, dunst_displayed, invoke_action

START = datetime(2026, 11, 23, 9, 0).timestamp()
CHILD_SECONDS = 20.0


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[dict[str, str]]:
    try:
        with desktop_session(tmp_path / "desktop") as env:
            yield env
    except NoDesktop as why:
        pytest.skip(f"no private desktop with dunst here: {why}")


class StandInTerminal:
    """A terminal that writes the words it was given to a FIFO the test reads: the read
    waits for the terminal, not for a clock."""

    def __init__(self, folder: Path) -> None:
        self.fifo = folder / "terminal.fifo"
        os.mkfifo(self.fifo)
        self.path = folder / "stand-in-terminal"
        self.path.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{self.fifo}"\n')
        self.path.chmod(0o755)
        self.words: list[str] | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        with self.fifo.open() as fifo:  # blocks until the terminal opens it
            self.words = fifo.read().splitlines()

    def arguments(self) -> list[str] | None:
        self._reader.join(timeout=CHILD_SECONDS)
        return self.words


class Desktop:
    def __init__(self, env: dict[str, str], home: Path, folder: Path) -> None:
        self.environ = {**env, "MOBILITY_COACH_HOME": str(home)}
        self.paths = Paths.from_environment(self.environ)
        self.clock = FakeClock(wall=START)
        self.terminal = StandInTerminal(folder)
        self.notice = DesktopNotice(self.environ, "Snooze 10m")
        self.bells = 0
        self.log = io.StringIO()
        self.reminder = Reminder(
            Settings(ReminderSettings(every=3600, snooze=600), terminal=str(self.terminal.path)),
            self.clock,
            NoIdle(),
            Alerts(self.notice, bell=self._bell, sound=lambda: None),
            Suggestion("desk-break", "Hourly desk break"),
            self.log,
            start_in_terminal=lambda routine_id: terminal.start_routine(
                routine_id, str(self.terminal.path), self.environ
            ),
        )
        self.paths.data_dir.mkdir(parents=True, exist_ok=True)
        self.server = CommandServer(self.paths.data_dir / SOCKET_NAME)
        self.reminder.server = self.server

    def _bell(self) -> None:
        self.bells += 1

    def run_for(self, seconds: float) -> None:
        end = self.clock.monotonic() + seconds
        while self.clock.monotonic() < end - 1e-9:
            self.reminder.tick()
            self.clock.advance(min(self.reminder.schedule.next_wake(), end - self.clock.monotonic()) or 0.001)
        self.reminder.tick()

    def press(self, action: str) -> None:
        """Press a button as dunst would, and answer what the notification's child sends."""
        child = self.notice.child
        assert child is not None, "no notification on screen"
        invoke_action(self.environ, self.notice.shown_id, action)
        # The child connects to the socket: the loop wakes for it (bounded by next_wake).
        self.reminder.serve_once(self.server)

    def closed_in_time(self, child: subprocess.Popen[bytes] | None) -> bool:
        assert child is not None
        try:
            child.wait(timeout=CHILD_SECONDS)
        except subprocess.TimeoutExpired:
            return False
        return True


def test_the_notification_s_buttons_start_snooze_and_skip(desktop: dict[str, str], home: Path, tmp_path: Path) -> None:
    d = Desktop(desktop, home, tmp_path)
    monitor = subprocess.Popen(
        ["dbus-monitor", "--session", "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"],
        env=d.environ,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        d.run_for(59 * 60)
        assert dunst_displayed(d.environ) == 0
        d.run_for(60)  # on time: the hour is up
        assert dunst_displayed(d.environ) == 1
        assert d.bells == 0 and "break due: A break is due" in d.log.getvalue()

        # Snooze: the notification goes, and comes back once when the snooze ends.
        first = d.notice.child
        d.press("snooze")
        assert d.reminder.schedule.phase is Phase.SNOOZED
        assert d.closed_in_time(first)
        assert dunst_displayed(d.environ) == 0
        d.run_for(10 * 60)
        assert dunst_displayed(d.environ) == 1  # one at a time, never a stack

        # Skip: the hour starts again and the notification goes.
        second = d.notice.child
        d.press("skip")
        assert d.reminder.schedule.phase is Phase.COUNTING
        assert d.closed_in_time(second)
        assert dunst_displayed(d.environ) == 0

        # Start: a terminal opens running the routine.
        d.run_for(3600)
        assert dunst_displayed(d.environ) == 1
        third = d.notice.child
        d.press("start")
        words = d.terminal.arguments()
        assert words is not None, "the stand-in terminal was not started"
        assert words[0] == "-e" and words[-2:] == ["run", "desk-break"]
        assert words[1].endswith("mobility-coach") or words[1:4] == [words[1], "-m", "mobility_coach"]
        assert d.closed_in_time(third)  # handled: the routine is on its way
        assert dunst_displayed(d.environ) == 0

        # A `remind skip` in a shell closes it too.
        d.reminder.handle(Skip())
        d.run_for(3600)
        fourth = d.notice.child
        assert dunst_displayed(d.environ) == 1
        d.reminder.handle(Skip())
        assert d.closed_in_time(fourth)
        assert dunst_displayed(d.environ) == 0
    finally:
        d.notice.close()
        d.server.close()
        monitor.terminate()
        calls, _ = monitor.communicate(timeout=10)
    # Every notification carried the three buttons, with the snooze's length.
    notifies = calls.split("member=Notify")[1:]
    assert len(notifies) == 4
    for call in notifies:
        strings = [line.strip() for line in call.splitlines() if line.strip().startswith("string ")]
        assert strings[4:10] == [
            'string "start"',
            'string "Start"',
            'string "snooze"',
            'string "Snooze 10m"',
            'string "skip"',
            'string "Skip"',
        ]


def test_a_changed_text_replaces_the_notification(desktop: dict[str, str], home: Path) -> None:
    notice = DesktopNotice({**desktop, "MOBILITY_COACH_HOME": str(home)})
    try:
        assert notice.show(NoticeText("Time to move", "first", "first")) is not None
        shown = notice.shown_id
        assert notice.show(NoticeText("Time to move", "second", "second")) is not None
        child = notice.child
        notice.close()
        assert child is not None and child.wait(timeout=CHILD_SECONDS) == 0
    finally:
        notice.close()
    history = subprocess.run(["dunstctl", "history"], env=desktop, capture_output=True, text=True, timeout=10)
    kept = [(n["id"]["data"], n["body"]["data"]) for n in json.loads(history.stdout)["data"][0]]
    assert kept == [(shown, "second")]  # replaced under the same id: one notification, never two


def test_without_a_notification_server_the_bell_rings(tmp_path: Path, home: Path) -> None:
    """A session bus with nobody serving notifications: the child says so, at once."""
    try:
        with desktop_session(tmp_path / "desktop", notifications=False) as env:
            notice = DesktopNotice({**env, "MOBILITY_COACH_HOME": str(home)})
            assert notice.show(NoticeText("Time to move", "body", "body")) is None
            assert notice.problem is not None and "no notification service" in notice.problem
    except NoDesktop as why:
        pytest.skip(f"no private desktop here: {why}")


def test_a_mini_break_s_notification_has_no_buttons_and_closes_itself(desktop: dict[str, str], home: Path) -> None:
    environ = {**desktop, "MOBILITY_COACH_HOME": str(home)}
    notice = DesktopNotice(environ)
    try:
        shown = notice.show(NoticeText("Mini break", "Look away.", "Look away.", expire=1.0))
        assert shown is not None and not shown.actions
        assert dunst_displayed(environ) == 1
        child = notice.child
        # Nobody closes it here: the server expires it, and its process ends with it.
        assert child is not None and child.wait(timeout=CHILD_SECONDS) == 0
        assert dunst_displayed(environ) == 0
    finally:
        notice.close()
