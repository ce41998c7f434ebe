"""The headless reminder: the break schedule without Textual, for people who do not keep
the app open.

One process per user (an flock on ``remind.lock`` in the data folder). It listens on a
Unix socket (``remind_socket`` says where), and ``mobility-coach remind status|snooze|...``
talk to it there in the typed requests of ``remind_protocol``. The socket also does the
waiting: the loop blocks in ``select`` until the schedule's next deadline (at most a
minute, to notice sleep and idle) or until a command arrives, so it neither polls nor
lags, and no client can hold it past that deadline.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from mobility_coach.adapters.idle import IdleSource
from mobility_coach.adapters.remind_socket import CommandServer, Incoming, UnsafePath, ask
from mobility_coach.core.breaks.protocol import (
    MIN_SECONDS,
    AskStatus,
    Pause,
    PauseUntilTomorrow,
    ProtocolError,
    Reply,
    Request,
    Resume,
    Skip,
    Snooze,
    Stop,
)
from mobility_coach.core.breaks.schedule import Schedule
from mobility_coach.core.breaks.service import BreakService, BreakSink, Suggestion, suggest_routine
from mobility_coach.core.clock import Clock
from mobility_coach.core.config import Settings
from mobility_coach.core.durations import (
    DURATION_HINT,
    MAX_DURATION_CHARS,
    duration_problem,
    format_duration,
    parse_duration,
)
from mobility_coach.core.errors import os_error_reason
from mobility_coach.core.live_files import LiveFiles
from mobility_coach.core.paths import HOME_VARIABLE, Paths

LOCK_NAME = "remind.lock"
Waiter = Callable[[float], list[Incoming]]


class AlreadyRunning(Exception):
    def __init__(self, pid: str) -> None:
        super().__init__(f"a reminder is already running (pid {pid or 'unknown'})")
        self.pid = pid


def _open_lock(path: Path) -> int:
    """Open the lock file for writing our pid, refusing anything but a plain file of ours:
    through a symbolic link the pid would land in whatever file it points at."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o600)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnsafePath(
                f"{path} is a symbolic link; the reminder will not write through it (remove it and start again)"
            ) from None
        raise UnsafePath(f"cannot open {path}: {os_error_reason(error)}") from None
    info = os.fstat(descriptor)
    why = (
        "is not a plain file"
        if not stat.S_ISREG(info.st_mode)
        else "belongs to another user"
        if info.st_uid != os.geteuid()
        else "has other names (hard links)"
        if info.st_nlink != 1
        else None
    )
    if why is not None:
        os.close(descriptor)
        raise UnsafePath(f"{path} {why}; the reminder will not write its pid there (remove it and start again)")
    return descriptor


@contextlib.contextmanager
def single_instance(paths: Paths) -> Iterator[None]:
    """Hold the per-user reminder lock for the duration; raise AlreadyRunning if taken,
    UnsafePath if the lock path is not a plain file of ours."""
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    descriptor = _open_lock(paths.data_dir / LOCK_NAME)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            held = os.pread(descriptor, 64, 0).decode("utf-8", "replace").strip()
            raise AlreadyRunning(held if held.isdigit() else "") from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock, even after a crash or kill -9


@dataclass
class Alerts:
    """How a due break reaches the user: each returns whether it got through."""

    notify: Callable[[str, str], bool]
    bell: Callable[[], None]
    sound: Callable[[], None]


class Reminder:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        idle: IdleSource,
        alerts: Alerts,
        suggestion: Suggestion,
        log: TextIO,
        record: BreakSink = lambda entry: None,
        files: LiveFiles | None = None,
        sound_switch: Callable[[bool], None] = lambda on: None,
    ) -> None:
        self.breaks = BreakService(settings.reminders, clock, idle.idle_seconds, "remind", record)
        self.clock = clock
        self.alerts = alerts
        self.suggestion = suggestion
        self.log = log
        self.wakeups = 0
        self.files = files  # checked for edits at each wake; None: never
        self.sound_switch = sound_switch

    @property
    def schedule(self) -> Schedule:
        return self.breaks.schedule

    def _say(self, text: str) -> None:
        self.log.write(f"{datetime.fromtimestamp(self.clock.wall()):%H:%M:%S} {text}\n")
        self.log.flush()

    def check_files(self) -> None:
        """Apply what the user changed in config.yaml and the routine files since the last
        wake (at least once a minute); a broken edit is a line here, and the last good stays."""
        if self.files is None or (reload := self.files.check()) is None:
            return
        for notice in reload.notices:
            self._say(notice.line())
        if reload.settings_changed:
            self.breaks.reconfigure(self.files.settings.reminders)
            self.sound_switch(self.files.settings.sound)
        suggestion = suggest_routine(self.files.library.routines, self.breaks.settings.suggested_routine)
        if suggestion.problem is not None and suggestion != self.suggestion:
            self._say(suggestion.problem)
        self.suggestion = suggestion

    def tick(self) -> None:
        self.wakeups += 1
        for event in self.breaks.tick():
            if event.kind == "due":
                self._alert()
            elif event.kind == "natural_break":
                self._say(f"you were away ({event.detail}): that counts as a break")
            elif event.kind == "resumed":
                self._say("reminders resumed")

    def _alert(self) -> None:
        every = format_duration(self.breaks.settings.every)
        suggestion = self.suggestion
        title = "Time to move"
        offer = (
            f"Try {suggestion.name}: mobility-coach run {suggestion.routine_id}"
            if suggestion.routine_id is not None
            else "Stand up and move for a few minutes"
        )
        body = f"You have been sitting for {every}. {offer}  (or: mobility-coach remind snooze | skip)"
        sent = self.alerts.notify(title, body)
        if not sent:
            self.alerts.bell()
        self.alerts.sound()
        self._say(f"break due: {body}" + ("" if sent else " [no desktop notifications here: rang the bell]"))

    def handle(self, request: Request) -> Reply:
        if self.breaks.answer(request) is not None:
            self.breaks.tick()  # what the answer set off (a resume outside working hours...)
        status = self.breaks.status()
        if not isinstance(request, AskStatus | Stop):
            self._say(f"{request.command}: {status.describe()}")
        return Reply(
            ok=True, message=status.describe(), phase=status.phase, seconds_left=status.seconds_left, pid=os.getpid()
        )

    def serve_once(self, wait: Waiter) -> bool:
        """Tick, then sleep until the next deadline or a command, and answer it.
        Returns False once told to stop."""
        self.check_files()
        self.tick()
        going = True
        for incoming in wait(self.breaks.next_wake()):
            incoming.answer(self.handle(incoming.request))
            if isinstance(incoming.request, Stop):
                self._say("stopped")
                going = False
        return going

    def serve(self, server: CommandServer) -> None:
        """Run until told to stop."""
        while self.serve_once(server.wait):
            pass


def request_for(action: str, value: str | None) -> Request:
    """The request `remind ACTION [VALUE]` sends; ProtocolError (a message for the user)
    if VALUE is not a sane one."""
    if action not in ("snooze", "pause"):
        if value is not None:
            raise ProtocolError(f"'remind {action}' takes no value")
        plain: dict[str, Request] = {"status": AskStatus(), "skip": Skip(), "resume": Resume(), "stop": Stop()}
        return plain[action]
    if value is None:
        return Snooze() if action == "snooze" else Pause()
    if action == "pause" and value.strip().lower() == "tomorrow":
        return PauseUntilTomorrow()
    seconds = parse_duration(value)
    if seconds is None:
        also = " or 'tomorrow'" if action == "pause" else ""
        if len(value) > MAX_DURATION_CHARS:
            raise ProtocolError(duration_problem(value))
        raise ProtocolError(f"{value!r} is not {DURATION_HINT}{also}")
    try:
        return Snooze(seconds) if action == "snooze" else Pause(seconds)
    except ProtocolError as error:
        how = "too short" if seconds < MIN_SECONDS else "too long"
        raise ProtocolError(f"{value!r} is {how}: {error}") from None


def command(
    paths: Paths, action: str | None, value: str | None, environ: Mapping[str, str], out: TextIO, err: TextIO
) -> int:
    """`mobility-coach remind [ACTION [VALUE]]`: run the reminder, or talk to the running one."""
    if action is None:
        return run(paths, environ, out, err)
    if action == "unit":
        out.write(systemd_unit(environ))
        return 0
    try:
        request = request_for(action, value)
        # A data folder that cannot be entered is that fault, not "no reminder running".
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            (paths.data_dir / LOCK_NAME).stat()
    except ProtocolError as error:
        err.write(f"mobility-coach: {error}\n")
        return 2
    reply = ask(paths, request, environ)
    if reply is None:
        err.write(
            "No reminder is running. Start one with 'mobility-coach remind' "
            "(or at login: see 'mobility-coach remind unit').\n"
        )
        return 1
    stream = out if reply.ok else err
    stream.write(("Reminder stopped." if isinstance(request, Stop) and reply.ok else reply.message) + "\n")
    return 0 if reply.ok else 1


def run(paths: Paths, environ: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    """Run the reminder in this process until stopped: the headless face's composition."""
    import signal
    import sqlite3

    from mobility_coach.adapters import idle
    from mobility_coach.adapters.notify import desktop_notify, ring_bell
    from mobility_coach.adapters.sound import CuePlayer, Playsound3Backend
    from mobility_coach.core.breaks.service import BreakEntry
    from mobility_coach.core.clock import SystemClock
    from mobility_coach.core.config import load_settings
    from mobility_coach.core.history.store import DB_NAME, History, HistoryError
    from mobility_coach.core.routines.loader import load_all

    library = load_all(paths)
    settings, problems = load_settings(paths.config_file, library.routines)
    for problem in problems:
        err.write(f"{problem}\n")
    suggestion = suggest_routine(library.routines, settings.reminders.suggested_routine)
    if suggestion.problem is not None:
        err.write(f"mobility-coach: {suggestion.problem}\n")

    def no_sound(why: str) -> None:
        out.write(f"No sound: {why}.\n")

    sound = CuePlayer(Playsound3Backend(), bell=lambda: None, on_problem=no_sound, muted=not settings.sound)
    alerts = Alerts(
        notify=lambda title, body: desktop_notify(title, body, environ), bell=lambda: ring_bell(out), sound=sound.alert
    )
    history: History | None = None
    try:
        history = History(paths.data_dir / DB_NAME)
    except HistoryError as error:
        err.write(f"mobility-coach: the history cannot be opened, so breaks are not recorded: {error}\n")

    def record(entry: BreakEntry) -> None:
        if history is not None:
            try:
                entry.write(history)
            except sqlite3.Error as error:
                err.write(f"mobility-coach: history could not be saved: {error}\n")

    files = LiveFiles(paths, settings, problems, library)

    def switch_sound(on: bool) -> None:
        sound.muted = not on

    reminder = Reminder(
        settings, SystemClock(), idle.detect(environ), alerts, suggestion, out, record, files, switch_sound
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with single_instance(paths):
            server = CommandServer.at_home(paths, environ)
            try:
                out.write(
                    f"Reminder running (pid {os.getpid()}): {reminder.breaks.describe()}. "
                    "Stop with Ctrl+C or 'mobility-coach remind stop'.\n"
                )
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
    except UnsafePath as why:
        err.write(f"mobility-coach: {why}\n")
        return 1
    return 0


SYSTEMD_UNIT = """\
[Unit]
Description=mobility-coach sitting-break reminder
Documentation=https://pypi.org/project/mobility-coach/

[Service]
ExecStart={command} remind
{environment}Restart=on-failure

[Install]
WantedBy=default.target
"""


def systemd_unit(environ: Mapping[str, str]) -> str:
    """A systemd user unit that starts the reminder at login, with this MOBILITY_COACH_HOME
    (if set) so that it keeps the same data folder as the app."""
    command = Path(sys.argv[0]).resolve() if Path(sys.argv[0]).name == "mobility-coach" else None
    words = [str(command)] if command else [sys.executable, "-m", "mobility_coach"]
    environment = ""
    home = environ.get(HOME_VARIABLE)
    if home:
        # systemd starts the unit in another folder: a relative home would move.
        absolute = os.path.abspath(os.path.expanduser(home))
        environment = f"Environment={systemd_quoted(f'{HOME_VARIABLE}={absolute}')}\n"
    return SYSTEMD_UNIT.format(
        command=" ".join(systemd_quoted(w, in_exec=True) for w in words), environment=environment
    )


def systemd_quoted(word: str, in_exec: bool = False) -> str:
    """``word`` as one double-quoted systemd word that means exactly ``word``: quotes and
    backslashes escaped, control characters as \\xNN, '%' doubled (a specifier otherwise)
    and, on an Exec line (which expands variables, unlike Environment=), '$' doubled."""
    escaped: list[str] = []
    for char in word:
        if char in '"\\':
            escaped.append("\\" + char)
        elif char == "%" or (char == "$" and in_exec):
            escaped.append(char * 2)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\x{ord(char):02x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'
