"""The headless reminder: its notification (a fake here; tests/functional/test_desktop_notice.py
has the real one), commands over its socket, one per user. The loop is driven by a fake
clock; commands travel the real socket."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest

from mobility_coach.adapters.idle import NoIdle
from mobility_coach.adapters.remind_socket import SOCKET_NAME, CommandServer, ask
from mobility_coach.cli import main
from mobility_coach.core.breaks.protocol import (
    ProtocolError,
    Reply,
    Request,
    SessionEnd,
    SessionStart,
    StartRoutine,
    parse_reply,
)
from mobility_coach.core.breaks.schedule import Phase, ReminderSettings
from mobility_coach.core.breaks.service import Suggestion
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.config import Settings
from mobility_coach.core.paths import Paths
from mobility_coach.remind import Alerts, AlreadyRunning, Reminder, formatted_status, single_instance
from tests.fake_notice import FakeNotice

START = datetime(2026, 11, 23, 9, 0).timestamp()


def environment(home: Path, tmp_path: Path) -> dict[str, str]:
    return {"MOBILITY_COACH_HOME": str(home), "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"}


class Harness:
    def __init__(
        self,
        home: Path,
        tmp_path: Path,
        notice: FakeNotice | None = None,
        hold: str | None = None,
        terminal: tuple[bool, str] = (True, "opened xterm"),
    ) -> None:
        self.environ = environment(home, tmp_path)
        self.paths = Paths.from_environment(self.environ)
        self.clock = FakeClock(wall=START)
        self.bells = 0
        self.sounds = 0
        self.notice = notice or FakeNotice(actions=True)
        self.hold = hold
        self.started: list[str] = []
        self.terminal = terminal
        alerts = Alerts(notice=self.notice, bell=self._bell, sound=self._sound)
        self.log = io.StringIO()
        self.recorded: list[str] = []
        self.reminder = Reminder(
            Settings(ReminderSettings(every=3600, snooze=600)),
            self.clock,
            NoIdle(),
            alerts,
            Suggestion("desk-break", "Hourly desk break"),
            self.log,
            lambda event: self.recorded.append(event.kind),
            holds=lambda: self.hold,
            start_in_terminal=self._start_in_terminal,
        )

    def _bell(self) -> None:
        self.bells += 1

    def _sound(self) -> None:
        self.sounds += 1

    def _start_in_terminal(self, routine_id: str) -> tuple[bool, str]:
        self.started.append(routine_id)
        return self.terminal

    def fake_wait(self, timeout: float) -> list:  # type: ignore[type-arg]
        self.clock.advance(timeout)  # time passes without anyone waiting for it
        return []

    def run_for(self, seconds: float) -> None:
        end = self.clock.monotonic() + seconds
        while self.clock.monotonic() < end - 1e-9:
            self.reminder.tick()
            self.clock.advance(min(self.reminder.schedule.next_wake(), end - self.clock.monotonic()) or 0.001)
        self.reminder.tick()

    def command(self, server: CommandServer, *args: str) -> tuple[int, str, str]:
        """Run `mobility-coach remind ARGS` in a thread while the loop answers it."""
        out, err = io.StringIO(), io.StringIO()
        result: list[int] = []
        client = threading.Thread(target=lambda: result.append(main(["remind", *args], self.environ, out, err)))
        client.start()
        going = self.reminder.serve_once(server)  # blocks in select until the client connects
        client.join(timeout=30)
        assert result, "the client did not finish"
        assert going == (args[0] != "stop")
        return result[0], out.getvalue(), err.getvalue()

    def ask(self, server: CommandServer, request: Request) -> Reply | None:
        """Send ``request`` as the notification's child does, while the loop answers it."""
        result: list[Reply | None] = []
        client = threading.Thread(target=lambda: result.append(ask(self.paths, request, self.environ)))
        client.start()
        self.reminder.serve_once(server)
        client.join(timeout=30)
        assert result, "the client did not finish"
        return result[0]


def test_notification_arrives_on_time_and_snooze_moves_it(home: Path, tmp_path: Path) -> None:
    h = Harness(home, tmp_path)
    with single_instance(h.paths):
        server = CommandServer(h.paths.data_dir / SOCKET_NAME)
        try:
            h.run_for(59 * 60)
            assert h.notice.shown == []
            h.run_for(60)
            assert len(h.notice.shown) == 1
            text = h.notice.shown[0]
            assert text.title == "Time to move"
            assert text.body.endswith("Start Hourly desk break?")  # beside the Start button
            assert "Try Hourly desk break: mobility-coach run desk-break" in text.plain_body  # without buttons
            assert "mobility-coach remind snooze | skip" in text.plain_body
            assert h.bells == 0  # a notification got through, so no bell

            code, out, _ = h.command(server, "status")
            assert (code, out) == (0, "break due now\n")
            code, out, _ = h.command(server, "snooze", "5m")
            assert (code, out) == (0, "next break in 5:00 (snoozed)\n")
            assert not h.notice.on_screen and h.notice.closed == 1  # the snooze closed it
            h.run_for(4 * 60 + 59)
            assert len(h.notice.shown) == 1
            h.run_for(1)
            assert len(h.notice.shown) == 2  # the snoozed break, 5 minutes later

            code, out, _ = h.command(server, "skip")
            assert out == "next break in 1:00:00\n"
            code, out, _ = h.command(server, "pause", "1h")
            assert out.startswith("reminders paused until ")
            code, out, _ = h.command(server, "resume")
            assert out == "next break in 1:00:00\n"
            code, out, _ = h.command(server, "pause", "tomorrow")
            assert h.reminder.schedule.phase is Phase.PAUSED
            code, out, _ = h.command(server, "stop")
            assert (code, out) == (0, "Reminder stopped.\n")
        finally:
            server.close()
    assert "break due" in h.log.getvalue()
    assert h.recorded == ["due", "snoozed", "due", "skipped", "paused", "resumed", "paused"]


def test_without_a_notification_service_the_bell_and_the_sound_remain(home: Path, tmp_path: Path) -> None:
    h = Harness(home, tmp_path, notice=FakeNotice(service=False))
    h.run_for(3600)
    assert h.bells == 1 and h.sounds == 1 and "rang the bell" in h.log.getvalue()


def test_start_opens_a_terminal_and_the_session_closes_the_notification(home: Path, tmp_path: Path) -> None:
    h = Harness(home, tmp_path)
    with single_instance(h.paths):
        server = CommandServer(h.paths.data_dir / SOCKET_NAME)
        try:
            h.run_for(3600)
            reply = h.ask(server, StartRoutine())
            assert reply is not None and reply.ok and reply.message == "opened xterm"
            assert h.started == ["desk-break"]
            assert not h.notice.on_screen  # handled: the routine is on its way
            assert h.reminder.schedule.phase is Phase.DUE  # until its session begins
            h.run_for(60)
            assert not h.notice.on_screen
            # The routine begins in the new window, and is quit at once: offered again, quietly.
            h.reminder.handle(SessionStart(4242))
            h.reminder.handle(SessionEnd(4242, moved=False))
            assert h.notice.on_screen and len(h.notice.shown) == 2 and h.sounds == 1
            # Started again, and never begun (the window closed): offered after a snooze's length.
            h.ask(server, StartRoutine())
            h.run_for(9 * 60)
            assert not h.notice.on_screen
            h.run_for(60)
            assert h.notice.on_screen and len(h.notice.shown) == 3
        finally:
            server.close()
    assert "start: opened xterm" in h.log.getvalue()


def test_start_without_a_terminal_says_so_in_the_same_notification(home: Path, tmp_path: Path) -> None:
    h = Harness(home, tmp_path, terminal=(False, "no terminal found to run 'desk-break' in"))
    with single_instance(h.paths):
        server = CommandServer(h.paths.data_dir / SOCKET_NAME)
        try:
            h.run_for(3600)
            reply = h.ask(server, StartRoutine())
            assert reply is not None and not reply.ok
            assert len(h.notice.shown) == 2 and h.notice.closed == 0  # replaced, not a second one
            assert h.notice.shown[1].body.endswith("No terminal found to run 'desk-break' in.")
            assert "mobility-coach run desk-break" in h.notice.shown[1].body
        finally:
            server.close()


def test_start_goes_to_an_open_app_when_one_watches(home: Path, tmp_path: Path) -> None:
    h = Harness(home, tmp_path)
    with single_instance(h.paths):
        server = CommandServer(h.paths.data_dir / SOCKET_NAME)
        watcher = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            h.run_for(3600)
            watcher.connect(str(h.paths.data_dir / SOCKET_NAME))
            watcher.sendall(b'{"cmd": "watch"}\n')
            h.reminder.serve_once(server)
            reader = watcher.makefile("rb")
            assert parse_reply(reader.readline()).start is None
            reply = h.ask(server, StartRoutine())
            assert reply is not None and reply.ok and "in the open app" in reply.message
            assert parse_reply(reader.readline()).start == "desk-break"
            assert h.started == []  # no terminal
        finally:
            watcher.close()
            server.close()


def test_a_break_due_in_a_meeting_is_held_quietly_and_offered_after(home: Path, tmp_path: Path) -> None:
    h = Harness(home, tmp_path, hold="microphone in use")
    with single_instance(h.paths):
        server = CommandServer(h.paths.data_dir / SOCKET_NAME)
        try:
            h.run_for(3600 + 10 * 60)
            assert (h.notice.shown, h.bells, h.sounds) == ([], 0, 0)  # no notification, no sound
            code, out, _ = h.command(server, "status")
            assert (code, out) == (0, "held: microphone in use\n")
            h.hold = None
            h.run_for(30 + 60)
            assert len(h.notice.shown) == 1 and h.sounds == 1
            h.run_for(10 * 60)
            assert len(h.notice.shown) == 1  # once, never a burst
        finally:
            server.close()
    assert "break held: microphone in use" in h.log.getvalue()


def test_status_as_json_and_in_a_format_for_status_bars() -> None:
    counting = Reply(True, "next break in 12:30", Phase.COUNTING, 750.0, 42, "remind")
    held = Reply(True, "held: camera in use", Phase.HELD, None, 42, "remind", held="camera in use")
    assert formatted_status(counting, "☕ {left}") == "☕ 12:30"
    assert formatted_status(counting, "{minutes}m {phase}") == "13m counting"
    assert formatted_status(held, "{message}|{held}|{left}") == "held: camera in use|camera in use|"
    assert formatted_status(None, "{phase}: {message}") == "stopped: no reminder running"
    as_json = json.loads(formatted_status(held, "{json}"))
    assert as_json == {
        "running": True,
        "phase": "held",
        "message": "held: camera in use",
        "seconds_left": None,
        "held": "camera in use",
        "due_since": None,
        "owner": "remind",
        "pid": 42,
    }
    with pytest.raises(ProtocolError, match=r"names \{when\}; it knows \{message\}, \{phase\}"):
        formatted_status(counting, "{when}")
    with pytest.raises(ProtocolError, match="is not a format"):
        formatted_status(counting, "{message")


def test_status_format_from_the_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("remind", "status", "--json")
    assert result.code == 1 and json.loads(result.out) == {"running": False, "message": "no reminder running"}
    result = cli("remind", "status", "--format", "[{phase}]")
    assert (result.code, result.out) == (1, "[stopped]\n")
    assert cli("remind", "status", "--format", "{nope}").code == 2
    assert cli("remind", "skip", "--json").code == 2


def test_bad_values_and_no_reminder_are_clear(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("remind", "status")
    assert result.code == 1 and result.err.startswith("No reminder is running (and no app is open")
    assert cli("remind", "snooze", "soon").code == 2
    assert "'tomorrow'" in cli("remind", "pause", "later").err
    assert cli("remind", "skip", "5m").code == 2


def test_only_one_reminder_per_user(home: Path) -> None:
    paths = Paths.from_environment({"MOBILITY_COACH_HOME": str(home)})
    with single_instance(paths), pytest.raises(AlreadyRunning, match=f"pid {os.getpid()}"), single_instance(paths):
        pass
    with single_instance(paths):  # released again
        pass


def test_unit_file_starts_the_reminder(cli) -> None:  # type: ignore[no-untyped-def]
    unit = cli("remind", "unit").out
    assert "[Service]" in unit and unit.splitlines()[7].endswith(" remind")
    # With the graphical session: its environment (the display, the session bus) is there.
    assert "PartOf=graphical-session.target" in unit.splitlines()
    assert "After=graphical-session.target" in unit.splitlines()
    assert "WantedBy=graphical-session.target" in unit.splitlines()


def test_the_unit_links_no_page_that_does_not_exist(cli) -> None:  # type: ignore[no-untyped-def]
    """The project has no web page yet: the unit points at the command's own help instead."""
    unit = cli("remind", "unit").out
    assert not [line for line in unit.splitlines() if line.startswith("Documentation=")]
    assert "mobility-coach --help" in unit


def test_the_unit_keeps_mobility_coach_home_quoted_for_systemd(tmp_path: Path) -> None:
    home = tmp_path / 'my "coach" 100%$x\\y'
    out = io.StringIO()
    assert main(["remind", "unit"], environ={"MOBILITY_COACH_HOME": str(home)}, out=out, err=io.StringIO()) == 0
    quoted = str(home).replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    assert f'Environment="MOBILITY_COACH_HOME={quoted}"' in out.getvalue().splitlines()
    bare = io.StringIO()
    assert main(["remind", "unit"], environ={}, out=bare, err=io.StringIO()) == 0
    assert "Environment=" not in bare.getvalue()


def test_the_real_command_runs_answers_and_stops(home: Path, tmp_path: Path) -> None:
    env = {**os.environ, **environment(home, tmp_path)}
    reminder = subprocess.Popen(
        [sys.executable, "-m", "mobility_coach", "remind"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = reminder.stdout.readline()  # type: ignore[union-attr]
        assert first.startswith(f"Reminder running (pid {reminder.pid}): next break in 1:00:00")
        snooze = subprocess.run(
            [sys.executable, "-m", "mobility_coach", "remind", "snooze"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        # A second may have passed since it started.
        assert re.match(r"next break in 1:(10:00|09:5\d)", snooze.stdout), snooze.stdout
        second = subprocess.run(
            [sys.executable, "-m", "mobility_coach", "remind"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 1 and f"already running (pid {reminder.pid})" in second.stderr
        status = subprocess.run(
            [sys.executable, "-m", "mobility_coach", "remind", "status"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert status.returncode == 0 and status.stdout.startswith("next break in ")
        stop = subprocess.run(
            [sys.executable, "-m", "mobility_coach", "remind", "stop"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert stop.stdout == "Reminder stopped.\n"
        assert reminder.wait(timeout=30) == 0
        assert not (home / "data" / SOCKET_NAME).exists()
        history = subprocess.run(
            [sys.executable, "-m", "mobility_coach", "history", "--csv"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert ",snoozed,remind," in history.stdout  # the reminder kept its events in the history
    finally:
        if reminder.poll() is None:
            reminder.kill()
        reminder.wait()


def test_out_of_range_lengths_are_refused_before_sending(cli) -> None:  # type: ignore[no-untyped-def]
    huge = cli("remind", "pause", "10000000h")
    assert huge.code == 2
    assert huge.err == (
        "mobility-coach: '10000000h' is too long: a pause lasts from 1s to 168h (a week) "
        "('pause' alone pauses until you resume)\n"
    )
    assert cli("remind", "snooze", "25h").code == 2 and "24h" in cli("remind", "snooze", "25h").err
    assert cli("remind", "pause", "168h").err.startswith("No reminder is running (")  # the bound itself is fine


@pytest.mark.parametrize("value", ["0", "0s", "0.5", "0.9s"])
def test_lengths_under_a_second_are_called_too_short(cli, value: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("remind", "snooze", value)
    assert result.code == 2
    assert result.err == f"mobility-coach: {value!r} is too short: a snooze lasts from 1s to 24h (a day)\n"
