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
from typing import TYPE_CHECKING, Protocol, TextIO

from mobility_coach.adapters.idle import IdleSource
from mobility_coach.adapters.notify import NoticeText, Notifier
from mobility_coach.adapters.owner_lock import CLOCK_LOCK_NAME, REMIND_LOCK_NAME, OwnerLock, process_alive
from mobility_coach.adapters.platform_parts import NO_REMINDER, at_login_hint, has_unix_sockets, no_unit_here
from mobility_coach.adapters.remind_socket import (
    CommandServer,
    Incoming,
    UnsafePath,
    ask,
)
from mobility_coach.core.breaks.host import Alive, ClockHost
from mobility_coach.core.breaks.keeping import ClockStore
from mobility_coach.core.breaks.mini import MINI_PREFIX, MINI_TITLE, mini_notice_body
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
)
from mobility_coach.core.breaks.schedule import Event, HoldReading, Schedule
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
from mobility_coach.core.live_files import LiveFiles
from mobility_coach.core.paths import Paths
from mobility_coach.core.spoken_reminder import REMINDER_TITLE, reminder_prompt
from mobility_coach.core.user_unit import user_unit

if TYPE_CHECKING:
    from mobility_coach.adapters.sound import CuePlayer
    from mobility_coach.core.breaks.service import BreakEntry
    from mobility_coach.core.history.store import History

HANDOVER_SECONDS = 5.0  # how long a starting reminder waits for the app to let go of the clock


class AlreadyRunning(Exception):
    def __init__(self, pid: str) -> None:
        super().__init__(f"a reminder is already running (pid {pid or 'unknown'})")
        self.pid = pid


@contextlib.contextmanager
def single_instance(paths: Paths) -> Iterator[OwnerLock]:
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
    mini_notice: Notifier | None = None
    """A mini break's notification, apart from the due break's: no buttons, no sound, and it
    closes itself (and is closed when the mini break ends). None: a line on the output only."""


class Serving(Protocol):
    """The reminder's socket as the loop uses it (``CommandServer``)."""

    def wait(self, timeout: float) -> list[Incoming]: ...

    def watch(self, incoming: Incoming, reply: Reply) -> None: ...

    def broadcast(self, reply: Reply) -> None: ...

    def tell_one(self, reply: Reply) -> bool: ...


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
        self.noticed = False  # a notification for the due break is on screen
        self.mini_noticed = False  # a mini break's notification is on screen
        self._started_at: float | None = None  # monotonic: Start closed the notification
        self._session_seen = False  # ...and the routine's session has begun since

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
        self._close_answered_notice()
        self._close_ended_mini()

    def _close_ended_mini(self) -> None:
        """A mini break's notification goes with it, whether or not the server expired it."""
        if self.mini_noticed and self.schedule.status().mini is None and self.alerts.mini_notice is not None:
            self.alerts.mini_notice.close()
            self.mini_noticed = False

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
            elif event.kind == "mini":
                self._mini_break()

    def _mini_break(self) -> None:
        """Quietly: no sound, no bell, no question; a notification that closes itself."""
        status = self.schedule.status()
        if status.mini is None:
            return
        length = self.breaks.settings.mini_length
        body = mini_notice_body(status.mini, length)
        shown = None
        if self.alerts.mini_notice is not None:
            shown = self.alerts.mini_notice.show(NoticeText(MINI_TITLE, body, body, expire=length))
        self.mini_noticed = shown is not None
        self._say(f"{MINI_PREFIX}{status.mini} ({format_duration(length)})")

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
        self._close_ended_mini()
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


STATUS_FIELDS = ("message", "phase", "left", "minutes", "held", "owner", "mini", "mini_left")
JSON_FORMAT = "{json}"  # ``status_format`` for --json
WAYBAR_FORMAT = "{waybar}"  # ``status_format`` for --format waybar


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
        "mini": reply.mini or "",  # the mini break on now
        # ...until it ends, else until the next one (empty: mini breaks off, or not counting)
        "mini_left": format_clock(reply.mini_left) if reply.mini_left is not None else "",
    }


def next_mini(reply: Reply) -> str | None:
    """ "mini break in 12:10", while one is coming (not while one is on: the message says it)."""
    if reply.mini is not None or reply.mini_left is None:
        return None
    return f"mini break in {format_clock(reply.mini_left)}"


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
            # The mini break on now (its words), and the seconds until it ends; else null
            # and the seconds until the next one (null: mini breaks off, or not counting).
            "mini_break": reply.mini,
            "mini_seconds_left": reply.mini_left,
        }
    )


def status_waybar(reply: Reply | None) -> str:
    """Waybar's own JSON for a custom module with ``"return-type": "json"``: the message as
    its text, what holds or keeps the clock in the tooltip, and the phase as the CSS class
    (``#custom-breaks.due { color: red; }``; ``in-session``, ``off-hours``)."""
    fields = status_fields(reply)
    details = [fields["message"]]
    if fields["held"]:
        details.append(f"held: {fields['held']}")
    if reply is not None and (coming := next_mini(reply)) is not None:
        details.append(coming)
    if fields["owner"]:
        details.append("kept by the " + ("headless reminder" if fields["owner"] == "remind" else fields["owner"]))
    # One CSS class: "in session" would be two.
    css_class = fields["phase"].replace(" ", "-")
    return json.dumps({"text": fields["message"], "tooltip": "\n".join(details), "class": css_class})


def formatted_status(reply: Reply | None, template: str) -> str:
    """``template`` with the status filled in; ProtocolError naming a field it does not know."""
    if template == JSON_FORMAT:
        return status_json(reply)
    if template == WAYBAR_FORMAT:
        return status_waybar(reply)
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
    if action == "unit" and (why := no_unit_here("remind")) is not None:
        err.write(f"mobility-coach: {why}\n")
        return 1
    if not has_unix_sockets():
        err.write(f"mobility-coach: {NO_REMINDER}\n")
        return 1
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
            f"Start one with 'mobility-coach remind'{at_login_hint()}.\n"
        )
        return 1
    stream = out if reply.ok else err
    said = "Reminder stopped." if isinstance(request, Stop) and reply.ok else reply.message
    if isinstance(request, AskStatus) and (coming := next_mini(reply)) is not None:
        said += f"; {coming}"
    if reply.ok and reply.owner == "app":
        said += f" (kept by the app, pid {reply.pid})"
    stream.write(said + "\n")
    return 0 if reply.ok else 1


def run(paths: Paths, environ: Mapping[str, str], out: TextIO, err: TextIO) -> int:
    """Run the reminder in this process until stopped: the headless face's composition.

    What only a break or a command needs is made when first needed (the sound and the
    voice, the notification, the history and SQLite, the meeting detectors, the coach's
    pick): between breaks the reminder is the socket, the clock and a look at its files
    once a minute, and stays about as small as a bare Python process."""
    import signal

    from mobility_coach.adapters import idle
    from mobility_coach.adapters.notify import DesktopNotice, ring_bell
    from mobility_coach.core.config import load_settings

    settings, problems = load_settings(paths.config_file)
    library = None
    if settings.routine_chosen or settings.speaks_reminders:
        # A routine the user names is looked for now, so a typo is told at once; the
        # spoken prompt names it. Else the routines are read when a break falls due.
        from mobility_coach.core.routines.loader import load_all

        library = load_all(paths)
        settings, problems = load_settings(paths.config_file, library.routines)
    for problem in problems:
        err.write(f"{problem}\n")
    files = LiveFiles(paths, settings, problems, library)
    idle_source = idle.detect(environ)
    named = settings.reminders.suggested_routine
    suggestion = suggest_routine(library.routines, named) if library is not None else Suggestion(named, None)
    if suggestion.problem is not None:
        err.write(f"mobility-coach: {suggestion.problem}\n")
    sounds = SoundOnDemand(paths, files, out)
    if settings.speaks_reminders:  # ready before the first break, so it follows the tone at once
        sounds.prepare(reminder_prompt(suggestion.name))
    notice = DesktopNotice(environ, f"Snooze {format_duration(settings.reminders.snooze)}")
    mini_notice = DesktopNotice(environ)
    alerts = Alerts(
        notice=notice, bell=lambda: ring_bell(out), sound=sounds.alert, speak=sounds.speak, mini_notice=mini_notice
    )
    history = HistoryOnDemand(paths, err)

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
        floor setting, the user's own suggested_routine winning)."""
        from mobility_coach.core.breaks.offer import break_pick

        chosen = files.settings
        pick = break_pick(files.library.routines, history.opened(), chosen, chosen.floor, clock.wall())
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
        history.record,
        ClockStore(paths.break_clock_file),
        files=files,
        sound_switch=sounds.switch,
        holds=hold_reason,
        start_in_terminal=start_in_terminal,
        choose=choose,
    )
    # A closed terminal (SIGHUP) ends it as a stop does: the socket and the locks go with it.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, lambda *_: sys.exit(0))
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
                notice.close()
                mini_notice.close()
                sounds.close()
                history.close()
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


class SoundOnDemand:
    """The reminder's tone and voice, loaded at the first break that sounds (or at the
    start, with ``voice_reminder``, to have the prompt ready)."""

    def __init__(self, paths: Paths, files: LiveFiles, out: TextIO) -> None:
        self.paths = paths
        self.files = files
        self.out = out
        self.made: CuePlayer | None = None

    def player(self) -> CuePlayer:
        settings = self.files.settings
        if self.made is None:
            from mobility_coach.adapters.sound import CuePlayer, Playsound3Backend

            self.made = CuePlayer(Playsound3Backend(), bell=lambda: None, on_problem=self._no_sound)
            self.made.muted = not settings.sound
        if self.made.voice is None and settings.speaks_reminders:
            # The voice only for a spoken reminder (perhaps switched on since the start): its
            # module, phrase cache and worker are some 4 MiB a reminder that only rings keeps.
            from mobility_coach.adapters.speech import Voice, speech_engine

            self.made.voice = Voice(
                speech_engine(settings.voice_rate, settings.voice_name),
                self.paths.speech_dir,
                self._no_voice,
                rate=settings.voice_rate,
            )
        return self.made

    def _no_sound(self, why: str) -> None:
        self.out.write(f"No sound: {why}.\n")

    def _no_voice(self, why: str) -> None:
        self.out.write(f"No voice: {why}. The reminder's sound carries on.\n")

    def alert(self) -> None:
        if self.files.settings.sound:
            self.player().alert()

    def speak(self, text: str) -> None:
        self.player().speak(text)

    def prepare(self, text: str) -> None:
        """Render ``text`` ahead, to be said without delay."""
        if (voice := self.player().voice) is not None:
            voice.prepare([text])

    def switch(self, on: bool) -> None:
        if self.made is not None:
            self.made.muted = not on

    def close(self) -> None:
        if self.made is not None:
            self.made.close()


class HistoryOnDemand:
    """The history, opened (and SQLite loaded) at the first entry to keep or the first
    break to choose a routine for; a history that cannot be opened is said once a try."""

    def __init__(self, paths: Paths, err: TextIO) -> None:
        self.paths = paths
        self.err = err
        self.history: History | None = None

    def opened(self) -> History | None:
        if self.history is None:
            from mobility_coach.core.history.store import DB_NAME, History, HistoryError

            try:
                self.history = History(self.paths.data_dir / DB_NAME)
            except HistoryError as error:
                self.err.write(f"mobility-coach: the history cannot be opened, so breaks are not recorded: {error}\n")
        return self.history

    def record(self, entry: BreakEntry) -> None:
        import sqlite3

        if (history := self.opened()) is not None:
            try:
                entry.write(history)
            except sqlite3.Error as error:
                self.err.write(f"mobility-coach: history could not be saved: {error}\n")

    def close(self) -> None:
        if self.history is not None:
            self.history.close()


def systemd_unit(environ: Mapping[str, str]) -> str:
    """A systemd user unit that starts the reminder at login."""
    return user_unit("mobility-coach sitting-break reminder", ["remind"], environ, graphical=True)
