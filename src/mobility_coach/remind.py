"""The headless reminder: the break schedule without Textual, for people who do not keep
the app open.

One process per user (an flock on ``remind.lock`` in the data folder). It listens on a
Unix socket, ``remind.sock``, beside the lock; ``mobility-coach remind status|snooze|...``
talk to it there. The socket also does the waiting: the loop blocks in ``select`` until
the schedule's next deadline (at most a minute, to notice sleep and idle) or until a
command arrives, so it neither polls nor lags.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import socket
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from mobility_coach.core.clock import Clock
from mobility_coach.core.config import Settings
from mobility_coach.core.durations import (
    DURATION_HINT,
    MAX_DURATION_CHARS,
    duration_problem,
    format_duration,
    parse_duration,
)
from mobility_coach.core.paths import Paths
from mobility_coach.core.schedule import Event, Schedule
from mobility_coach.idle import IdleSource

SOCKET_NAME = "remind.sock"
LOCK_NAME = "remind.lock"
COMMANDS = ("status", "snooze", "skip", "pause", "resume", "movement", "stop")
Waiter = Callable[[float], list[tuple[socket.socket, dict[str, Any]]]]


class AlreadyRunning(Exception):
    def __init__(self, pid: str) -> None:
        super().__init__(f"a reminder is already running (pid {pid or 'unknown'})")
        self.pid = pid


@contextlib.contextmanager
def single_instance(paths: Paths) -> Iterator[None]:
    """Hold the per-user reminder lock for the duration; raise AlreadyRunning if taken."""
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    lock_path = paths.data_dir / LOCK_NAME
    handle = lock_path.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise AlreadyRunning(handle.read().strip()) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock, even after a crash or kill -9


class CommandServer:
    """The listening socket. Only the lock holder makes one, so an old socket file is stale."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.unlink(missing_ok=True)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(path))
        os.chmod(path, 0o600)
        self.listener.listen(8)

    def wait(self, timeout: float) -> list[tuple[socket.socket, dict[str, Any]]]:
        """Sleep until a command arrives or ``timeout`` passes; return the commands."""
        ready, _, _ = select.select([self.listener], [], [], max(0.0, timeout))
        requests = []
        while ready:
            connection, _ = self.listener.accept()
            connection.settimeout(2.0)
            try:
                line = connection.makefile("rb").readline(4096)
                request = json.loads(line)
                if not isinstance(request, dict):
                    raise ValueError("not an object")
                requests.append((connection, request))
            except (OSError, ValueError):
                connection.close()
            ready, _, _ = select.select([self.listener], [], [], 0)
        return requests

    def close(self) -> None:
        self.listener.close()
        self.path.unlink(missing_ok=True)


def send_command(paths: Paths, request: dict[str, Any], timeout: float = 5.0) -> dict[str, Any] | None:
    """Ask the running reminder; None when none is running."""
    path = paths.data_dir / SOCKET_NAME
    if not path.exists():
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout)
        try:
            client.connect(str(path))
            client.sendall(json.dumps(request).encode() + b"\n")
            reply = client.makefile("rb").readline(65536)
        except (ConnectionRefusedError, FileNotFoundError):
            return None
        except OSError as error:
            return {"ok": False, "message": f"the reminder did not answer: {error}"}
    try:
        answer = json.loads(reply)
    except ValueError:
        return {"ok": False, "message": "the reminder gave an answer that could not be read"}
    return answer if isinstance(answer, dict) else None


@dataclass
class Alerts:
    """How a due break reaches the user: each returns whether it got through."""

    notify: Callable[[str, str], bool]
    bell: Callable[[], None]
    sound: Callable[[], None]


class Reminder:
    def __init__(self, settings: Settings, clock: Clock, idle: IdleSource, alerts: Alerts,
                 routine_name: str, log: TextIO, record: Callable[[Event], None] = lambda event: None) -> None:
        self.settings = settings
        self.schedule = Schedule(settings.reminders, clock)
        self.clock = clock
        self.idle = idle
        self.alerts = alerts
        self.routine_name = routine_name
        self.log = log
        self.wakeups = 0
        self.record = record  # keeps each event in the history

    def _say(self, text: str) -> None:
        self.log.write(f"{datetime.fromtimestamp(self.clock.wall()):%H:%M:%S} {text}\n")
        self.log.flush()

    def tick(self) -> None:
        self.wakeups += 1
        for event in self.schedule.update(self.idle.idle_seconds()):
            self.record(event)
            if event.kind == "due":
                self._alert()
            elif event.kind == "natural_break":
                self._say(f"you were away ({event.detail}): that counts as a break")
            elif event.kind == "resumed":
                self._say("reminders resumed")

    def _alert(self) -> None:
        every = format_duration(self.settings.reminders.every)
        routine = self.settings.reminders.suggested_routine
        title = "Time to move"
        body = (f"You have been sitting for {every}. Try {self.routine_name}: "
                f"mobility-coach run {routine}  (or: mobility-coach remind snooze | skip)")
        sent = self.alerts.notify(title, body)
        if not sent:
            self.alerts.bell()
        self.alerts.sound()
        self._say(f"break due: {body}" + ("" if sent else " [no desktop notifications here: rang the bell]"))

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        command = request.get("cmd")
        schedule = self.schedule
        event: Event | None = None
        if command == "status":
            pass
        elif command == "snooze":
            seconds = request.get("seconds")
            event = schedule.snooze(float(seconds) if isinstance(seconds, (int, float)) else None)
        elif command == "skip":
            event = schedule.skip()
        elif command == "pause":
            if request.get("until") == "tomorrow":
                event = schedule.pause_until_tomorrow()
            else:
                seconds = request.get("seconds")
                event = schedule.pause(float(seconds) if isinstance(seconds, (int, float)) else None)
        elif command == "resume":
            event = schedule.resume()
        elif command == "movement":
            event = schedule.movement_done()
        elif command == "stop":
            pass
        else:
            return {"ok": False, "message": f"unknown command {command!r}; expected one of {', '.join(COMMANDS)}"}
        if event is not None:
            self.record(event)
            for later in schedule.update(self.idle.idle_seconds()):
                self.record(later)
        status = schedule.status()
        if command not in ("status", "stop"):
            self._say(f"{command}: {status.describe()}")
        return {"ok": True, "status": status.describe(), "phase": status.phase.value,
                "seconds_left": status.seconds_left, "pid": os.getpid(), "message": status.describe()}

    def serve_once(self, wait: Waiter) -> bool:
        """Tick, then sleep until the next deadline or a command, and answer it.
        Returns False once told to stop."""
        self.tick()
        going = True
        for connection, request in wait(self.schedule.next_wake()):
            reply = self.handle(request)
            with contextlib.suppress(OSError):
                connection.sendall(json.dumps(reply).encode() + b"\n")
            connection.close()
            if request.get("cmd") == "stop":
                self._say("stopped")
                going = False
        return going

    def serve(self, server: CommandServer) -> None:
        """Run until told to stop."""
        while self.serve_once(server.wait):
            pass


def command(paths: Paths, action: str | None, value: str | None, environ: Mapping[str, str],
            out: TextIO, err: TextIO) -> int:
    """`mobility-coach remind [ACTION [VALUE]]`: run the reminder, or talk to the running one."""
    if action is None:
        return run(paths, environ, out, err)
    if action == "unit":
        out.write(systemd_unit())
        return 0
    request: dict[str, object] = {"cmd": action}
    if value is not None and action in ("snooze", "pause"):
        seconds = parse_duration(value)
        if action == "pause" and value.strip().lower() == "tomorrow":
            request["until"] = "tomorrow"
        elif seconds is None or seconds <= 0:
            also = " or 'tomorrow'" if action == "pause" else ""
            reason = duration_problem(value) if len(value) > MAX_DURATION_CHARS else f"{value!r} is not {DURATION_HINT}"
            err.write(f"mobility-coach: {reason}{also}\n")
            return 2
        else:
            request["seconds"] = seconds
    elif value is not None:
        err.write(f"mobility-coach: 'remind {action}' takes no value\n")
        return 2
    reply = send_command(paths, request)
    if reply is None:
        err.write("No reminder is running. Start one with 'mobility-coach remind' "
                  "(or at login: see 'mobility-coach remind unit').\n")
        return 1
    stream = out if reply.get("ok") else err
    stream.write(("Reminder stopped." if action == "stop" and reply.get("ok") else str(reply.get("message"))) + "\n")
    return 0 if reply.get("ok") else 1


def run(paths: Paths, environ: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    """Run the reminder in this process until stopped: the headless face's composition."""
    import signal
    import sqlite3

    from mobility_coach import idle
    from mobility_coach.core.clock import SystemClock
    from mobility_coach.core.config import load_settings
    from mobility_coach.core.history import DB_NAME, History, HistoryError, break_kind
    from mobility_coach.core.routines import load_all
    from mobility_coach.core.spec import suggest
    from mobility_coach.cues import CuePlayer, Playsound3Backend
    from mobility_coach.notify import desktop_notify, ring_bell

    settings, problems = load_settings(paths.config_file)
    for problem in problems:
        err.write(f"{problem}\n")
    routine_id = settings.reminders.suggested_routine
    library = load_all(paths)
    routine = library.routines.get(routine_id)
    if routine is None:
        err.write(f"mobility-coach: the suggested routine {routine_id!r} does not exist"
                  f"{suggest(routine_id, sorted(library.routines))}\n")
    def no_sound(why: str) -> None:
        out.write(f"No sound: {why}.\n")

    sound = CuePlayer(Playsound3Backend(), bell=lambda: None, on_problem=no_sound, muted=not settings.sound)
    alerts = Alerts(notify=lambda title, body: desktop_notify(title, body, environ),
                           bell=lambda: ring_bell(out), sound=sound.alert)
    history: History | None = None
    try:
        history = History(paths.data_dir / DB_NAME)
    except HistoryError as error:
        err.write(f"mobility-coach: the history cannot be opened, so breaks are not recorded: {error}\n")

    def record(event: Event) -> None:
        kind = break_kind(event.kind, event.detail)
        if history is not None and kind is not None:
            try:
                history.record_break(kind, "remind", at=event.wall, detail=event.detail)
            except sqlite3.Error as error:
                err.write(f"mobility-coach: history could not be saved: {error}\n")

    reminder = Reminder(settings, SystemClock(), idle.detect(environ), alerts,
                               routine.name if routine else routine_id, out, record)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with single_instance(paths):
            server = CommandServer(paths.data_dir / SOCKET_NAME)
            try:
                out.write(f"Reminder running (pid {os.getpid()}): {reminder.schedule.status().describe()}. "
                          "Stop with Ctrl+C or 'mobility-coach remind stop'.\n")
                out.flush()
                reminder.serve(server)
            except KeyboardInterrupt:
                pass
            finally:
                server.close()
                sound.close()
    except AlreadyRunning as running:
        err.write(f"mobility-coach: {running}; 'mobility-coach remind status' talks to it\n")
        return 1
    return 0


SYSTEMD_UNIT = """\
[Unit]
Description=mobility-coach sitting-break reminder
Documentation=https://pypi.org/project/mobility-coach/

[Service]
ExecStart={command} remind
Restart=on-failure

[Install]
WantedBy=default.target
"""


def systemd_unit() -> str:
    """A systemd user unit that starts the reminder at login."""
    command = Path(sys.argv[0]).resolve() if Path(sys.argv[0]).name == "mobility-coach" else None
    exec_start = str(command) if command else f"{sys.executable} -m mobility_coach"
    return SYSTEMD_UNIT.format(command=exec_start)
