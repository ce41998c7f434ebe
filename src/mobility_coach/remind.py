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
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol, TextIO

from mobility_coach.adapters import rest_waiter
from mobility_coach.adapters.idle import IdleSource
from mobility_coach.adapters.notify import NoticeText, Notifier
from mobility_coach.adapters.owner_lock import CLOCK_LOCK_NAME, REMIND_LOCK_NAME, OwnerLock, process_alive
from mobility_coach.adapters.remind_socket import (
    CommandServer,
    Incoming,
    UnsafePath,
    ask,
    bound_identity,
    listening_path,
)
from mobility_coach.adapters.rest_waiter import RESTED_VARIABLE
from mobility_coach.core.breaks.host import Alive, ClockHost
from mobility_coach.core.breaks.keeping import ClockStore
from mobility_coach.core.breaks.phase import Phase
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
    StartRoutine,
    Stop,
    Watch,
    encode_reply,
    encode_request,
)
from mobility_coach.core.breaks.schedule import MAX_WAKE, Event, HoldReading, Schedule
from mobility_coach.core.breaks.service import BreakService, BreakSink, Suggestion, suggest_routine
from mobility_coach.core.clock import Clock, SystemClock
from mobility_coach.core.config import Settings
from mobility_coach.core.durations import (
    DURATION_HINT,
    MAX_DURATION_CHARS,
    duration_problem,
    format_clock,
    format_duration,
    parse_duration,
)
from mobility_coach.core.live_files import KeptFiles, LiveFiles
from mobility_coach.core.paths import Paths
from mobility_coach.core.spoken_reminder import REMINDER_TITLE, reminder_prompt
from mobility_coach.core.user_unit import user_unit

HANDOVER_SECONDS = 5.0  # how long a starting reminder waits for the app to let go of the clock


class AlreadyRunning(Exception):
    def __init__(self, pid: str) -> None:
        super().__init__(f"a reminder is already running (pid {pid or 'unknown'})")
        self.pid = pid


@contextlib.contextmanager
def single_instance(paths: Paths, lock: OwnerLock | None = None) -> Iterator[OwnerLock]:
    """Hold the per-user reminder lock for the duration; raise AlreadyRunning if taken,
    UnsafePath if the lock path is not a plain file of ours. ``lock``: one this process
    holds already (the resting reminder's return)."""
    lock = lock or OwnerLock(paths.data_dir / REMIND_LOCK_NAME)
    # An app looking whether a reminder runs holds this lock for an instant: try again
    # a few times before saying another reminder has it.
    for _ in range(5):
        if lock.try_acquire():
            break
        time.sleep(0.02)
    else:
        raise AlreadyRunning(lock.holder())
    try:
        yield lock
    finally:
        lock.release()


@dataclass
class Alerts:
    """How a due break reaches the user."""

    notice: Notifier
    """The desktop notification (None from its ``show``: no service here, so the bell rings)."""
    bell: Callable[[], None]
    sound: Callable[[], None]
    speak: Callable[[str], None] = lambda text: None
    """Says the prompt aloud, after the sound (with ``voice_reminder``)."""


class Serving(Protocol):
    """The reminder's socket as the loop uses it (``CommandServer``)."""

    def wait(self, timeout: float) -> list[Incoming]: ...

    def watch(self, incoming: Incoming, reply: Reply) -> None: ...

    def broadcast(self, reply: Reply) -> None: ...

    def tell_one(self, reply: Reply) -> bool: ...

    @property
    def busy(self) -> bool: ...


# The full reminder rests (adapters/rest_waiter.py) only after this long without a request,
# so that a status bar asking every minute or two keeps it awake instead of making it
# turn back and forth; and only when its clock needs it no sooner than this.
REST_QUIET = 2 * MAX_WAKE
REST_MIN = 2 * MAX_WAKE
# Where the clock waits for nothing but time (a due or held break waits for an answer or a
# hold's next look, a session for its end).
RESTING_PHASES = (Phase.COUNTING, Phase.SNOOZED, Phase.PAUSED, Phase.OFF_HOURS, Phase.AWAY)


@dataclass(frozen=True)
class Rest:
    """What the resting waiter waits for besides a connection, a sleep, a set clock and an
    edited file: the clock's deadlines (monotonic, wall) and the idle time that would move it."""

    wake_mono: float | None
    wake_wall: float | None
    idle_from: float | None = None
    """The user has left at this much idle time (the clock counts sitting)."""
    idle_below: float | None = None
    """The user is back below this much idle time (the clock is away)."""
    status_reply: str | None = None
    """While the clock counts down to ``wake_mono``: the status reply's line with the
    waiter's marks for the seconds left and the countdown (it answers ``remind status``
    itself); None: a status turns it back."""


StartInTerminal = Callable[[str], tuple[bool, str]]
"""Open a terminal running the routine: (True, what was opened) or (False, why not)."""


def _no_terminal(routine_id: str) -> tuple[bool, str]:
    return False, f"no terminal to start {routine_id!r} in"


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
        holds: HoldReading | None = None,
        start_in_terminal: StartInTerminal = _no_terminal,
        choose: Callable[[], Suggestion] | None = None,
    ) -> None:
        self.choose = choose
        """The coach's pick for the break now due (core/breaks/choice.py), as the app makes
        it; None: the configured suggestion, always."""
        self.breaks = BreakService(settings.reminders, clock, idle.idle_seconds, "remind", record, holds=holds)
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
        self.start_in_terminal = start_in_terminal
        self.asked_at: float | None = None  # monotonic: when a client last asked something
        self.noticed = False  # a notification for the due break is on screen
        self._started_at: float | None = None  # monotonic: Start closed the notification
        self._session_seen = False  # ...and the routine's session has begun since

    @property
    def schedule(self) -> Schedule:
        return self.breaks.schedule

    def _say(self, text: str) -> None:
        self.log.write(f"{datetime.fromtimestamp(self.clock.wall()):%H:%M:%S} {text}\n")
        self.log.flush()

    def open(self, carried: Schedule | None = None) -> None:
        """Carry on from the saved clock (another owner's, or this reminder's last run);
        or with ``carried``, its own schedule kept across a rest."""
        opened = self.host.open(carried)
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
        self._close_answered_notice()

    def _close_answered_notice(self) -> None:
        """The break was handled (anywhere: the notification, the app, a command) or the
        clock moved on: its notification goes."""
        if self.noticed and self.breaks.phase is not Phase.DUE:
            self.alerts.notice.close()
            self.noticed = False
        self._follow_start()

    def _follow_start(self) -> None:
        """After Start, the break is offered again (quietly) if the routine was left
        undone: its session ended as no break, or it never began within a snooze's length."""
        if self._started_at is None:
            return
        phase = self.breaks.phase
        if phase is Phase.IN_SESSION:
            self._session_seen = True
            return
        if phase is not Phase.DUE:
            self._started_at = None  # taken, snoozed, skipped...
            return
        waited = self.clock.monotonic() - self._started_at
        if self._session_seen or waited >= self.breaks.settings.snooze:
            self._started_at = None
            self.noticed = self.alerts.notice.show(self.notice_text()) is not None
            self._say("break still due: the routine was not done, so it is offered again")

    def _announce(self, events: list[Event]) -> None:
        for event in events:
            if event.kind == "due":
                self._alert()
            elif event.kind == "natural_break":
                self._say(f"you were away ({event.detail}): that counts as a break")
            elif event.kind == "resumed":
                self._say("reminders resumed")
            elif event.kind == "held":
                self._say(f"break held: {event.detail} (offered once it ends)")

    def _tell_watchers(self) -> None:
        if self.host.changed() and self.server is not None:
            self.server.broadcast(self.host.reply())

    def notice_text(self, problem: str | None = None) -> NoticeText:
        """The due break's notification: with buttons, or naming the commands without."""
        every = format_duration(self.breaks.settings.every)
        suggestion = self.suggestion
        due = f"A break is due (one every {every} of sitting)."
        if suggestion.routine_id is None:
            body = f"{due} Stand up and move for a few minutes."
            plain = body + "  (then: mobility-coach remind skip, or snooze)"
        else:
            body = f"{due} Start {suggestion.name}?"
            plain = (
                f"{due} Try {suggestion.name}: mobility-coach run {suggestion.routine_id}"
                "  (or: mobility-coach remind snooze | skip)"
            )
        if problem is not None:
            body = plain = f"{plain}\n{problem[:1].upper()}{problem[1:]}."
        return NoticeText(REMINDER_TITLE, body, plain)

    def _alert(self) -> None:
        if self.choose is not None:
            self.suggestion = self.choose()
        text = self.notice_text()
        shown = self.alerts.notice.show(text)
        self.noticed = shown is not None
        if shown is None:
            self.alerts.bell()
        self.alerts.sound()
        if self.speaks:
            self.alerts.speak(reminder_prompt(self.suggestion.name))
        said = text.body if shown is not None and shown.actions else text.plain_body
        self._say(f"break due: {said}" + ("" if shown else " [no desktop notifications here: rang the bell]"))

    def _start_routine(self) -> Reply:
        """The notification's Start: in an open app (it watches the clock), else a new
        terminal window; where neither can be had, the notification says so."""
        routine_id = self.suggestion.routine_id
        if routine_id is None:
            return Reply.refused("there is no routine to start (see 'mobility-coach list')")
        if self.server is not None and self.server.tell_one(replace(self.host.reply(), start=routine_id)):
            started, said = True, f"started {routine_id!r} in the open app"
        else:
            started, said = self.start_in_terminal(routine_id)
        self._say(f"start: {said}")
        if started:
            # Handled: the routine is on its way (its session starting moves the clock).
            if self.noticed:
                self.alerts.notice.close()
                self.noticed = False
            self._started_at, self._session_seen = self.clock.monotonic(), False
        elif not started and self.breaks.phase is Phase.DUE:
            self.noticed = self.alerts.notice.show(self.notice_text(said)) is not None
        return replace(self.host.reply(ok=started), message=said)

    def handle(self, request: Request) -> Reply:
        if isinstance(request, Handover):
            return Reply.refused("the headless reminder keeps the break clock; nothing to hand over")
        if isinstance(request, StartRoutine):
            return self._start_routine()
        reply, events = self.host.handle(request)
        self._announce(events)
        self._close_answered_notice()
        if not isinstance(request, AskStatus | Stop | Watch):
            self._say(f"{request.command}: {reply.message}")
        return reply

    def may_rest(self) -> Rest | None:
        """What a resting waiter would wait for, if nothing but time, a command, an edit,
        a sleep or the user's coming and going can need this full reminder now; else None."""
        now = self.clock.monotonic()
        if (
            (self.server is not None and self.server.busy)
            or self.host.sessions
            or self.noticed
            or self._started_at is not None
            or self.breaks.phase not in RESTING_PHASES
            or (self.asked_at is not None and now - self.asked_at < REST_QUIET)
        ):
            return None
        mono, wall = self.schedule.deadlines()
        if (mono is not None and mono - now < REST_MIN) or (wall is not None and wall - self.clock.wall() < REST_MIN):
            return None
        length = self.breaks.settings.break_length
        counting = self.breaks.phase in (Phase.COUNTING, Phase.SNOOZED)
        away = self.breaks.phase is Phase.AWAY
        status = self._status_template() if counting else None
        return Rest(mono, wall, length if counting else None, length if away else None, status)

    def _status_template(self) -> str | None:
        """The status reply as the clock counts down, with the waiter's marks where the
        countdown goes (rest_waiter.status_reply fills them in as this reply would say)."""
        reply = self.host.reply()
        if reply.seconds_left is None or (clock := format_clock(reply.seconds_left)) not in reply.message:
            return None
        marked = replace(reply, message=reply.message.replace(clock, rest_waiter.CLOCK_MARK, 1), seconds_left=0.125)
        line = encode_reply(marked).decode().rstrip("\n")
        return line.replace(": 0.125,", f": {rest_waiter.LEFT_MARK},", 1) if line.count("0.125") == 1 else None

    def serve_once(self, server: Serving, rest: Callable[[Rest], None] | None = None) -> bool:
        """Tick, then sleep until the next deadline or a command, and answer it.
        Returns False once told to stop. ``rest``: turns this process into the resting
        waiter when it may rest (and comes back only if it could not)."""
        self.server = server
        self.check_files()
        self.tick()
        if rest is not None and (plan := self.may_rest()) is not None:
            rest(plan)
        going = True
        for incoming in server.wait(self.breaks.next_wake()):
            self.asked_at = self.clock.monotonic()
            if isinstance(incoming.request, Watch):
                server.watch(incoming, self.host.reply())
                continue
            incoming.answer(self.handle(incoming.request))
            if isinstance(incoming.request, Stop):
                self._say("stopped")
                going = False
        self._tell_watchers()
        return going

    def serve(self, server: Serving, rest: Callable[[Rest], None] | None = None) -> None:
        """Run until told to stop."""
        while self.serve_once(server, rest):
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
def owning_the_clock(
    reminder: Reminder,
    paths: Paths,
    environ: Mapping[str, str],
    clock_lock: OwnerLock | None = None,
    listen: Callable[[], CommandServer] | None = None,
    carried: Schedule | None = None,
) -> Iterator[CommandServer]:
    """Own the break clock for the duration (taking it over from an app that has it),
    carry on from its saved state, and listen; on the way out, save it and let go, so
    that an open app takes over at once. NotHandedOver if the owning app would not let go.
    ``clock_lock`` held already, ``listen`` (the socket listening already) and
    ``carried`` (the schedule it rested with): the resting reminder's return."""
    clock_lock = clock_lock or OwnerLock(paths.data_dir / CLOCK_LOCK_NAME)
    if not clock_lock.held and not take_the_clock(clock_lock, paths, environ, SystemClock()):
        raise NotHandedOver(clock_lock.holder())
    try:
        reminder.open(carried)
        server = listen() if listen is not None else CommandServer.at_home(paths, environ)
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


STATUS_FIELDS = ("message", "phase", "left", "minutes", "held", "owner")
JSON_FORMAT = "{json}"  # ``status_format`` for --json


def status_fields(reply: Reply | None) -> dict[str, str]:
    """What a ``--format`` string may name, all text (empty where it does not apply)."""
    if reply is None:
        return dict.fromkeys(STATUS_FIELDS, "") | {"message": "no reminder running", "phase": "stopped"}
    left = reply.seconds_left
    return {
        "message": reply.message,
        "phase": reply.phase.value if reply.phase else "",
        "left": format_clock(left) if left is not None else "",
        "minutes": str(math.ceil(left / 60)) if left is not None else "",
        "held": reply.held or "",
        "owner": reply.owner or "",
    }


def status_json(reply: Reply | None) -> str:
    if reply is None:
        return json.dumps({"running": False, "message": "no reminder running"})
    return json.dumps(
        {
            "running": True,
            "phase": reply.phase.value if reply.phase else None,
            "message": reply.message,
            "seconds_left": reply.seconds_left,
            "held": reply.held,
            "due_since": reply.due_since,
            "owner": reply.owner,
            "pid": reply.pid,
        }
    )


def formatted_status(reply: Reply | None, template: str) -> str:
    """``template`` with the status filled in; ProtocolError naming a field it does not know."""
    if template == JSON_FORMAT:
        return status_json(reply)
    try:
        return template.format_map(status_fields(reply))
    except KeyError as missing:
        raise ProtocolError(
            f"--format names {{{missing.args[0]}}}; it knows {{{'}, {'.join(STATUS_FIELDS)}}}"
        ) from None
    except (ValueError, IndexError, AttributeError) as error:
        raise ProtocolError(f"--format {template!r} is not a format: {error}") from None


def command(
    paths: Paths,
    action: str | None,
    value: str | None,
    environ: Mapping[str, str],
    out: TextIO,
    err: TextIO,
    status_format: str | None = None,
) -> int:
    """`mobility-coach remind [ACTION [VALUE]]`: run the reminder, or talk to the running one."""
    if status_format is not None and action != "status":
        err.write("mobility-coach: --json and --format go with 'remind status'\n")
        return 2
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
    if status_format is not None:
        try:
            out.write(formatted_status(reply if reply is None or reply.ok else None, status_format) + "\n")
        except ProtocolError as error:
            err.write(f"mobility-coach: {error}\n")
            return 2
        return 0 if reply is not None and reply.ok else 1
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


@dataclass(frozen=True)
class Held:
    """What a resting reminder keeps open across its rest: the locks and the listening
    socket (named to the waiter, and by it to the return, as plain descriptor numbers)."""

    remind_lock: int
    clock_lock: int
    listener: int


@dataclass(frozen=True)
class Carried:
    """What the reminder was doing, pickled after the first line: its schedule itself
    (so the return goes on exactly as if it had been awake all along), the settings and
    routines in force (last good ones too) with the file watch's last look, and the idle
    source it found. Used only by the same code: an update meanwhile reads them afresh."""

    schedule: Schedule
    files: KeptFiles
    idle: IdleSource
    sound_problem: str | None = None
    """Why sound, or the voice, failed (said once already, and not tried again)."""
    voice_problem: str | None = None


def loaded_code() -> list[tuple[str, int, int]]:
    """The package's modules loaded now, each as (file, mtime_ns, size)."""
    found = []
    for name, module in sorted(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if name.partition(".")[0] == "mobility_coach" and file:
            with contextlib.suppress(OSError):
                info = os.stat(file)
                found.append((file, info.st_mtime_ns, info.st_size))
    return found


def same_code(code: list[tuple[str, int, int]]) -> bool:
    """Whether every module file is as it was (no update of mobility-coach meanwhile)."""
    for file, mtime, size in code:
        try:
            info = os.stat(file)
        except OSError:
            return False
        if (info.st_mtime_ns, info.st_size) != (mtime, size):
            return False
    return True


class RestBroken(Exception):
    """What a rest handed over cannot be read: the reminder cannot carry on."""


@dataclass(frozen=True)
class Rested:
    """What a resting reminder came back with."""

    held: Held
    state: int  # the descriptor of the state file (the first line, then Carried)
    why: str
    client: int | None = None  # a connection the waiter accepted, its request unread


def rested(environ: Mapping[str, str]) -> Rested | None:
    """What a resting reminder came back with (None: this is a fresh start). The variable
    naming it is removed, so that nothing this process starts inherits it."""
    named = environ.get(RESTED_VARIABLE)
    os.environ.pop(RESTED_VARIABLE, None)
    if named is None:
        return None
    numbers, _, why = named.partition(":")
    try:
        state, listener, remind_lock, clock_lock, *client = (int(number) for number in numbers.split())
        for descriptor in (state, listener, remind_lock, clock_lock, *client[:1]):
            os.fstat(descriptor)
    except (ValueError, OSError) as error:
        raise RestBroken(f"the reminder could not carry on after resting ({named!r}): {error}") from None
    return Rested(Held(remind_lock, clock_lock, listener), state, why, client[0] if client else None)


def carried_over(state: int) -> tuple[tuple[int, int] | None, Carried | None]:
    """From the state file: the socket's (device, inode) as it was bound, and what the
    reminder was doing, None for what cannot be used (mobility-coach was updated meanwhile,
    or the file cannot be read: the clock is then restored from its store, as at a start)."""
    import pickle

    try:
        with os.fdopen(state, "rb") as file:
            file.seek(0)
            header = json.loads(file.readline())
            identity = (int(header["socket_identity"][0]), int(header["socket_identity"][1]))
            code = [(str(f), int(m), int(z)) for f, m, z in header["code"]]
            rest = file.read()
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None, None
    if not same_code(code):
        return identity, None
    try:
        carried = pickle.loads(rest)
    except Exception:  # anything unpickling can raise: as for an update
        return identity, None
    return identity, carried if isinstance(carried, Carried) else None


def state_header(identity: tuple[int, int]) -> bytes:
    """The state file's first line: plain values any version can read."""
    return json.dumps({"socket_identity": list(identity), "code": loaded_code()}).encode() + b"\n"


def rest_plan(plan: Rest, state_fd: int, state: Held, idle: IdleSource, files: LiveFiles) -> list[str]:
    """The resting waiter's plan (see adapters/rest_waiter.py): handed to it in a file, not
    on its command line, which every user of the machine can read."""
    argv = ["--listen", str(state.listener), "--state", str(state_fd)]
    # The order of the --keep options is the order the return reads them in (``rested``).
    argv += ["--keep", str(state.remind_lock), "--keep", str(state.clock_lock)]
    if plan.wake_mono is not None:
        argv += ["--wake-mono", repr(plan.wake_mono)]
    if plan.wake_wall is not None:
        argv += ["--wake-wall", repr(plan.wake_wall)]
    for path, signature in sorted((files.watch.seen()[1] or {}).items()):
        argv += ["--file", "-" if signature is None else "{}:{}:{}".format(*signature), os.fsdecode(path)]
    reader = getattr(idle, "reader", None)
    found = reader() if reader is not None else None
    if plan.status_reply is not None:
        argv += ["--status-request", encode_request(AskStatus()).decode().rstrip("\n")]
        argv += ["--status-reply", plan.status_reply]
    if found is not None and (plan.idle_from is not None or plan.idle_below is not None):
        argv += ["--idle", found[0], *found[1], "--idle-end"]
        if plan.idle_from is not None:
            argv += ["--idle-from", repr(plan.idle_from)]
        if plan.idle_below is not None:
            argv += ["--idle-below", repr(plan.idle_below)]
    return [*argv, "--return", sys.executable, *sys.orig_argv[1:]]


def go_to_rest(argv: list[str], descriptors: list[int]) -> OSError:
    """Become the resting waiter (never returns, but for the reason it could not). The
    stop signals are blocked across the exec; the waiter takes them from there."""
    import signal

    sys.stdout.flush()
    sys.stderr.flush()
    stops = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
    signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        for descriptor in descriptors:
            os.set_inheritable(descriptor, True)
        os.execv(argv[0], argv)
    except OSError as error:
        for descriptor in descriptors:
            with contextlib.suppress(OSError):
                os.set_inheritable(descriptor, False)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stops)
        return error
    raise AssertionError("unreachable")  # pragma: no cover


def run(paths: Paths, environ: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    """Run the reminder in this process until stopped: the headless face's composition."""
    import signal
    import sqlite3

    from mobility_coach.adapters import idle
    from mobility_coach.adapters.notify import DesktopNotice, ring_bell
    from mobility_coach.adapters.sound import CuePlayer, Playsound3Backend
    from mobility_coach.adapters.speech import Voice, speech_engine
    from mobility_coach.core.breaks.service import BreakEntry
    from mobility_coach.core.config import load_settings
    from mobility_coach.core.history.store import DB_NAME, History, HistoryError
    from mobility_coach.core.routines.loader import load_all

    try:
        back = rested(environ)
    except RestBroken as why:
        err.write(f"mobility-coach: {why}\n")
        return 1
    held = back.held if back is not None else None
    client = back.client if back is not None else None
    identity, carried = carried_over(back.state) if back is not None else (None, None)
    if carried is None:
        library = load_all(paths)
        settings, problems = load_settings(paths.config_file, library.routines)
        for problem in problems if held is None else []:
            err.write(f"{problem}\n")
        files = LiveFiles(paths, settings, problems, library)
        idle_source = idle.detect(environ)
        if held is not None:
            out.write("mobility-coach changed while the reminder rested: its settings and routines were read again\n")
    else:  # back from a rest: what was in force then is in force now (its problems were told)
        files = LiveFiles.carried_on(paths, carried.files)
        library, settings, idle_source = files.library, files.settings, carried.idle
    suggestion = suggest_routine(library.routines, settings.reminders.suggested_routine)
    if suggestion.problem is not None and held is None:
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
    if carried is not None:
        sound.problem, sound.voice.problem = carried.sound_problem, carried.voice_problem
    if settings.speaks_reminders:  # ready before the first break, so it follows the tone at once
        sound.voice.prepare([reminder_prompt(suggestion.name)])
    notice = DesktopNotice(environ, f"Snooze {format_duration(settings.reminders.snooze)}")
    alerts = Alerts(
        notice=notice,
        bell=lambda: ring_bell(out),
        sound=sound.alert,
        speak=sound.speak,
    )
    history: History | None = None

    def open_history() -> History | None:
        try:
            return History(paths.data_dir / DB_NAME)
        except HistoryError as error:
            err.write(f"mobility-coach: the history cannot be opened, so breaks are not recorded: {error}\n")
            return None

    history = open_history()

    def record(entry: BreakEntry) -> None:
        if history is not None:
            try:
                entry.write(history)
            except sqlite3.Error as error:
                err.write(f"mobility-coach: history could not be saved: {error}\n")

    def switch_sound(on: bool) -> None:
        sound.muted = not on

    # The detectors are found (which tools exist) again only when the setting changes, and
    # run only when a break falls due (the break clock asks).
    # Both are imported then too: an idle reminder carries neither.
    found: dict[tuple[str, ...], Callable[[], str | None]] = {}

    def hold_reason() -> str | None:
        from mobility_coach.adapters import meetings

        wanted = files.settings.reminders.holds
        if wanted not in found:
            found.clear()
            found[wanted] = meetings.detect(wanted, environ)
        return found[wanted]()

    def start_in_terminal(routine_id: str) -> tuple[bool, str]:
        from mobility_coach.adapters import terminal

        return terminal.start_routine(routine_id, files.settings.terminal, environ)

    clock = SystemClock()

    def choose() -> Suggestion:
        """The routine for this break, chosen as the app chooses it (today's sessions, the
        floor setting, the user's own suggested_routine winning); loaded only when a break
        falls due, so the idle reminder stays small."""
        from mobility_coach.core.breaks.offer import break_pick

        chosen = files.settings
        pick = break_pick(files.library.routines, history, chosen, chosen.floor, clock.wall())
        if pick.routine is None:
            return suggest_routine(files.library.routines, chosen.reminders.suggested_routine)
        return Suggestion(pick.routine.id, pick.routine.name)

    reminder = Reminder(
        settings,
        clock,
        idle_source,
        alerts,
        suggestion,
        out,
        record,
        ClockStore(paths.break_clock_file),
        files=files,
        sound_switch=switch_sound,
        holds=hold_reason,
        start_in_terminal=start_in_terminal,
        choose=choose,
    )
    remind_lock = OwnerLock(paths.data_dir / REMIND_LOCK_NAME)
    clock_lock = OwnerLock(paths.data_dir / CLOCK_LOCK_NAME)
    listen: Callable[[], CommandServer] | None = None
    if held is not None:
        remind_lock = OwnerLock.adopted(paths.data_dir / REMIND_LOCK_NAME, held.remind_lock)
        clock_lock = OwnerLock.adopted(paths.data_dir / CLOCK_LOCK_NAME, held.clock_lock)
        listening, bound = held, identity

        def listen() -> CommandServer:
            path = listening_path(listening.listener)
            server = CommandServer(path, adopted=(listening.listener, bound or bound_identity(path)))
            server.pointer_for = paths if path.parent != paths.data_dir else None
            if client is not None:
                import socket

                server.adopt(socket.socket(fileno=client))
            return server

    resting = [True]  # False once a rest could not begin: this process stays full

    def rest(plan: Rest) -> None:
        nonlocal history
        if not (resting[0] and notice.quiet and sound.quiet):
            return
        server = reminder.server
        assert isinstance(server, CommandServer)
        # Kept fresh for whoever restores it (the next owner, if this process is killed at rest).
        reminder.host.save(fresh=True)
        if reminder.host.problem is not None:
            return
        import pickle
        import tempfile

        assert remind_lock.descriptor is not None and clock_lock.descriptor is not None
        keeping = Held(remind_lock.descriptor, clock_lock.descriptor, server.listener.fileno())
        with tempfile.TemporaryFile(dir=paths.data_dir) as state:
            state.write(state_header(server.identity))
            voice_problem = sound.voice.problem if sound.voice is not None else None
            pickle.dump(Carried(reminder.schedule, files.kept(), idle_source, sound.problem, voice_problem), state)
            state.flush()
            waiting = rest_plan(plan, state.fileno(), keeping, idle_source, files)
            with tempfile.TemporaryFile(dir=paths.data_dir) as written:
                written.write(b"\0".join(map(os.fsencode, waiting)))
                written.flush()
                written.seek(0)
                argv = [sys.executable, "-I", "-S", rest_waiter.__file__, "--plan", str(written.fileno())]
                if history is not None:
                    history.close()
                kept = [keeping.remind_lock, keeping.clock_lock, keeping.listener, state.fileno(), written.fileno()]
                error = go_to_rest(argv, kept)
        history = open_history()
        resting[0] = False
        err.write(f"mobility-coach: the reminder cannot rest, so it stays fully awake: {error}\n")

    # A closed terminal (SIGHUP) ends it as a stop does: the socket and the locks go with it.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, lambda *_: sys.exit(0))
    try:
        with (
            single_instance(paths, remind_lock),
            owning_the_clock(
                reminder, paths, environ, clock_lock, listen, carried.schedule if carried else None
            ) as server,
        ):
            try:
                if held is None:
                    out.write(
                        f"Reminder running (pid {os.getpid()}): {reminder.breaks.describe()}. "
                        "Stop with Ctrl+C or 'mobility-coach remind stop'.\n"
                    )
                    out.flush()
                # A stop signal that came while resting or turning back waits (blocked) for now.
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT, signal.SIGHUP})
                reminder.serve(server, rest)
            except KeyboardInterrupt:
                pass
            finally:
                notice.close()
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
    return user_unit("mobility-coach sitting-break reminder", ["remind"], environ, graphical=True)
