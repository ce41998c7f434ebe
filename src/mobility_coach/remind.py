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
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TextIO

from mobility_coach.adapters.idle import IdleSource
from mobility_coach.adapters.owner_lock import CLOCK_LOCK_NAME, REMIND_LOCK_NAME, OwnerLock, process_alive
from mobility_coach.adapters.remind_socket import CommandServer, Incoming, UnsafePath, ask
from mobility_coach.core.breaks.host import Alive, ClockHost
from mobility_coach.core.breaks.keeping import ClockStore
from mobility_coach.core.breaks.protocol import (
    MIN_SECONDS,
    AskStatus,
    Handover,
    Pause,
    PauseUntilTomorrow,
    ProtocolError,
    Reply,
    Request,
    Resume,
    Skip,
    Snooze,
    Stop,
    Watch,
)
from mobility_coach.core.breaks.schedule import Event, Schedule
from mobility_coach.core.breaks.service import BreakService, BreakSink, Suggestion, suggest_routine
from mobility_coach.core.clock import Clock, SystemClock
from mobility_coach.core.config import Settings
from mobility_coach.core.durations import (
    DURATION_HINT,
    MAX_DURATION_CHARS,
    duration_problem,
    format_duration,
    parse_duration,
)
from mobility_coach.core.live_files import LiveFiles
from mobility_coach.core.paths import Paths
from mobility_coach.core.spoken_reminder import REMINDER_TITLE, reminder_prompt
from mobility_coach.core.user_unit import user_unit

HANDOVER_SECONDS = 5.0  # how long a starting reminder waits for the app to let go of the clock


class AlreadyRunning(Exception):
    def __init__(self, pid: str) -> None:
        super().__init__(f"a reminder is already running (pid {pid or 'unknown'})")
        self.pid = pid


@contextlib.contextmanager
def single_instance(paths: Paths) -> Iterator[None]:
    """Hold the per-user reminder lock for the duration; raise AlreadyRunning if taken,
    UnsafePath if the lock path is not a plain file of ours."""
    lock = OwnerLock(paths.data_dir / REMIND_LOCK_NAME)
    # An app looking whether a reminder runs holds this lock for an instant: try again
    # a few times before saying another reminder has it.
    for _ in range(5):
        if lock.try_acquire():
            break
        time.sleep(0.02)
    else:
        raise AlreadyRunning(lock.holder())
    try:
        yield
    finally:
        lock.release()


@dataclass
class Alerts:
    """How a due break reaches the user: each returns whether it got through."""

    notify: Callable[[str, str], bool]
    bell: Callable[[], None]
    sound: Callable[[], None]
    speak: Callable[[str], None] = lambda text: None
    """Says the prompt aloud, after the sound (with ``voice_reminder``)."""


class Serving(Protocol):
    """The reminder's socket as the loop uses it (``CommandServer``)."""

    def wait(self, timeout: float) -> list[Incoming]: ...

    def watch(self, incoming: Incoming, reply: Reply) -> None: ...

    def broadcast(self, reply: Reply) -> None: ...


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
        store: ClockStore | None = None,
        alive: Alive = process_alive,
        files: LiveFiles | None = None,
        sound_switch: Callable[[bool], None] = lambda on: None,
    ) -> None:
        self.breaks = BreakService(settings.reminders, clock, idle.idle_seconds, "remind", record)
        self.host = ClockHost(self.breaks, store, os.getpid(), alive)
        self.clock = clock
        self.alerts = alerts
        self.suggestion = suggestion
        self.log = log
        self.wakeups = 0
        self.server: Serving | None = None  # set while serving: watchers hear every change
        self.files = files  # checked for edits at each wake; None: never
        self.sound_switch = sound_switch
        self.speaks = settings.speaks_reminders

    @property
    def schedule(self) -> Schedule:
        return self.breaks.schedule

    def _say(self, text: str) -> None:
        self.log.write(f"{datetime.fromtimestamp(self.clock.wall()):%H:%M:%S} {text}\n")
        self.log.flush()

    def open(self) -> None:
        """Carry on from the saved clock (another owner's, or this reminder's last run)."""
        opened = self.host.open()
        if self.host.problem:
            self._say(self.host.problem)
        self._announce(opened.events)
        if opened.due_again:
            self._alert()

    def check_files(self) -> None:
        """Apply what the user changed in config.yaml and the routine files since the last
        wake (at least once a minute); a broken edit is a line here, and the last good stays."""
        if self.files is None or (reload := self.files.check()) is None:
            return
        for notice in reload.notices:
            self._say(notice.line())
        if reload.settings_changed:
            self.breaks.reconfigure(self.files.settings.reminders)
            self.host.save()
            self.sound_switch(self.files.settings.sound)
            self.speaks = self.files.settings.speaks_reminders
        suggestion = suggest_routine(self.files.library.routines, self.breaks.settings.suggested_routine)
        if suggestion.problem is not None and suggestion != self.suggestion:
            self._say(suggestion.problem)
        self.suggestion = suggestion

    def tick(self) -> None:
        self.wakeups += 1
        self._announce(self.host.tick())
        self._tell_watchers()

    def _announce(self, events: list[Event]) -> None:
        for event in events:
            if event.kind == "due":
                self._alert()
            elif event.kind == "natural_break":
                self._say(f"you were away ({event.detail}): that counts as a break")
            elif event.kind == "resumed":
                self._say("reminders resumed")

    def _tell_watchers(self) -> None:
        if self.host.changed() and self.server is not None:
            self.server.broadcast(self.host.reply())

    def _alert(self) -> None:
        every = format_duration(self.breaks.settings.every)
        suggestion = self.suggestion
        title = REMINDER_TITLE
        offer = (
            f"Try {suggestion.name}: mobility-coach run {suggestion.routine_id}"
            if suggestion.routine_id is not None
            else "Stand up and move for a few minutes"
        )
        body = f"A break is due (one every {every} of sitting). {offer}  (or: mobility-coach remind snooze | skip)"
        sent = self.alerts.notify(title, body)
        if not sent:
            self.alerts.bell()
        self.alerts.sound()
        if self.speaks:
            self.alerts.speak(reminder_prompt(suggestion.name))
        self._say(f"break due: {body}" + ("" if sent else " [no desktop notifications here: rang the bell]"))

    def handle(self, request: Request) -> Reply:
        if isinstance(request, Handover):
            return Reply.refused("the headless reminder keeps the break clock; nothing to hand over")
        reply, events = self.host.handle(request)
        self._announce(events)
        if not isinstance(request, AskStatus | Stop | Watch):
            self._say(f"{request.command}: {reply.message}")
        return reply

    def serve_once(self, server: Serving) -> bool:
        """Tick, then sleep until the next deadline or a command, and answer it.
        Returns False once told to stop."""
        self.server = server
        self.check_files()
        self.tick()
        going = True
        for incoming in server.wait(self.breaks.next_wake()):
            if isinstance(incoming.request, Watch):
                server.watch(incoming, self.host.reply())
                continue
            incoming.answer(self.handle(incoming.request))
            if isinstance(incoming.request, Stop):
                self._say("stopped")
                going = False
        self._tell_watchers()
        return going

    def serve(self, server: Serving) -> None:
        """Run until told to stop."""
        while self.serve_once(server):
            pass


def take_the_clock(lock: OwnerLock, paths: Paths, environ: Mapping[str, str], clock: Clock) -> bool:
    """Own the break clock: at once if nobody does, else ask the app that does to hand it
    over and wait (a few seconds at most) for it to let go."""
    if lock.try_acquire():
        return True
    reply = ask(paths, Handover(), environ, timeout=HANDOVER_SECONDS)
    deadline = clock.monotonic() + HANDOVER_SECONDS
    while clock.monotonic() < deadline:
        if lock.try_acquire():
            return True
        if reply is None or not reply.ok:
            reply = ask(paths, Handover(), environ, timeout=HANDOVER_SECONDS)
        time.sleep(0.05)  # the app lets go within a frame or two
    return False


class NotHandedOver(Exception):
    def __init__(self, holder: str) -> None:
        super().__init__(f"the app (pid {holder or 'unknown'}) keeps the break clock and did not hand it over")


@contextlib.contextmanager
def owning_the_clock(reminder: Reminder, paths: Paths, environ: Mapping[str, str]) -> Iterator[CommandServer]:
    """Own the break clock for the duration (taking it over from an app that has it),
    carry on from its saved state, and listen; on the way out, save it and let go, so
    that an open app takes over at once. NotHandedOver if the owning app would not let go."""
    clock_lock = OwnerLock(paths.data_dir / CLOCK_LOCK_NAME)
    if not take_the_clock(clock_lock, paths, environ, SystemClock()):
        raise NotHandedOver(clock_lock.holder())
    try:
        reminder.open()
        server = CommandServer.at_home(paths, environ)
        try:
            yield server
        finally:
            reminder.host.save()
            server.close()  # watching apps learn at once, and one of them takes the clock
    finally:
        clock_lock.release()


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
            (paths.data_dir / REMIND_LOCK_NAME).stat()
    except ProtocolError as error:
        err.write(f"mobility-coach: {error}\n")
        return 2
    reply = ask(paths, request, environ)
    if reply is None:
        err.write(
            "No reminder is running (and no app is open to keep the break clock). "
            "Start one with 'mobility-coach remind' "
            "(or at login: see 'mobility-coach remind unit').\n"
        )
        return 1
    stream = out if reply.ok else err
    said = "Reminder stopped." if isinstance(request, Stop) and reply.ok else reply.message
    if reply.ok and reply.owner == "app":
        said += f" (kept by the app, pid {reply.pid})"
    stream.write(said + "\n")
    return 0 if reply.ok else 1


def run(paths: Paths, environ: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    """Run the reminder in this process until stopped: the headless face's composition."""
    import signal
    import sqlite3

    from mobility_coach.adapters import idle
    from mobility_coach.adapters.notify import desktop_notify, ring_bell
    from mobility_coach.adapters.sound import CuePlayer, Playsound3Backend
    from mobility_coach.adapters.speech import Voice, speech_engine
    from mobility_coach.core.breaks.service import BreakEntry
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

    def no_voice(why: str) -> None:
        out.write(f"No voice: {why}. The reminder's sound carries on.\n")

    sound = CuePlayer(Playsound3Backend(), bell=lambda: None, on_problem=no_sound, muted=not settings.sound)
    # The voice starts its engine only when it first renders: nothing costs without voice_reminder.
    sound.voice = Voice(
        speech_engine(settings.voice_rate, settings.voice_name),
        paths.speech_dir,
        no_voice,
        rate=settings.voice_rate,
    )
    if settings.speaks_reminders:  # ready before the first break, so it follows the tone at once
        sound.voice.prepare([reminder_prompt(suggestion.name)])
    alerts = Alerts(
        notify=lambda title, body: desktop_notify(title, body, environ),
        bell=lambda: ring_bell(out),
        sound=sound.alert,
        speak=sound.speak,
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
        settings,
        SystemClock(),
        idle.detect(environ),
        alerts,
        suggestion,
        out,
        record,
        ClockStore(paths.break_clock_file),
        files=files,
        sound_switch=switch_sound,
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        with single_instance(paths), owning_the_clock(reminder, paths, environ) as server:
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
                sound.close()
    except NotHandedOver as why:
        err.write(f"mobility-coach: {why}\n")
        return 1
    except AlreadyRunning as running:
        err.write(f"mobility-coach: {running}; 'mobility-coach remind status' talks to it\n")
        return 1
    except UnsafePath as why:
        err.write(f"mobility-coach: {why}\n")
        return 1
    return 0


def systemd_unit(environ: Mapping[str, str]) -> str:
    """A systemd user unit that starts the reminder at login."""
    return user_unit("mobility-coach sitting-break reminder", ["remind"], environ)
