"""The Textual app: routes between home, check-in, session and finish screens.

Everything that varies between a real run and a test (routines, where state lives, the
clock, the sound backend, what day it is) comes in one Collaborators, built by
tui/factory.py, so tests drive the same app a user gets with a fake clock and a fake
speaker. Screens get what they need through their constructors and report back with
dismiss results or the Messages of tui/messages.py.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable
from functools import partial
from weakref import WeakKeyDictionary

from textual import events, on
from textual.actions import parse as parse_action
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.driver import Driver
from textual.notifications import SeverityLevel
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen

from mobility_coach.adapters.clock_link import ClockLink
from mobility_coach.adapters.owner_lock import process_alive
from mobility_coach.core.breaks.choice import (
    SAME_BREAK_SECONDS,
    Now,
    Pick,
    at_a_glance,
    break_due_at,
    clock_line,
    today_line,
)
from mobility_coach.core.breaks.host import ClockHost
from mobility_coach.core.breaks.mini import MINI_PREFIX
from mobility_coach.core.breaks.offer import break_pick
from mobility_coach.core.breaks.phase import Phase
from mobility_coach.core.breaks.protocol import (
    MovedAlready,
    Pause,
    PauseUntilTomorrow,
    Reply,
    Request,
    Resume,
    SessionEnd,
    SessionStart,
    Skip,
    Snooze,
)
from mobility_coach.core.breaks.schedule import Schedule
from mobility_coach.core.breaks.service import BreakEntry, BreakService
from mobility_coach.core.durations import format_duration
from mobility_coach.core.history.stats import summarize, today_summary
from mobility_coach.core.history.store import History, SessionStatus
from mobility_coach.core.routines.lookup import missing_routine_message
from mobility_coach.core.routines.model import Routine
from mobility_coach.core.routines.variants import as_played
from mobility_coach.core.session.movement import session_was_break
from mobility_coach.core.spoken_reminder import reminder_prompt
from mobility_coach.core.state import AppState
from mobility_coach.core.terminal_text import visible
from mobility_coach.tui.collaborators import Collaborators
from mobility_coach.tui.ending_signals import EndingSignals, HangUpWatch
from mobility_coach.tui.journal_flow import JournalFlow
from mobility_coach.tui.messages import (
    FloorToggled,
    MuteToggled,
    ProblemsWanted,
    RoutineChosen,
    SessionEnded,
    VoiceToggled,
)
from mobility_coach.tui.mute import switch_mute, switch_voice
from mobility_coach.tui.screens.break_due import BreakDueScreen
from mobility_coach.tui.screens.checkin import CheckInAnswer, CheckInScreen
from mobility_coach.tui.screens.finish import FinishScreen
from mobility_coach.tui.screens.home import HomeScreen
from mobility_coach.tui.screens.player import PlayerScreen
from mobility_coach.tui.screens.problems import ProblemsScreen
from mobility_coach.tui.screens.stats import StatsScreen
from mobility_coach.tui.widgets.title_bar import TitleBar

if sys.platform != "win32":  # Textual drives Windows' console itself; its Linux driver cannot load there
    from textual.drivers.linux_driver import LinuxDriver

    from mobility_coach.tui.quiet_driver import terminal_driver

BREAK_TICK_SECONDS = 1.0
SOUND_WARM_UP_SECONDS = 2.0
# How long an app told to end by SIGHUP or SIGTERM may take to shut down before its
# process ends regardless; the session and the clock are saved before it starts.
HANG_UP_EXIT_SECONDS = 3.0
FILE_CHECK_TICKS = 2  # a stat of each settings and routine file every 2 s; read only when one changed


class MobilityCoachApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "mobility-coach"
    # The title carries the break countdown and changes every second. Textual's own
    # title repaints the whole screen on each change; the header watches it and redraws
    # its own line, which is all that changes.
    title: Reactive[str] = Reactive("", compute=False, repaint=False)
    BINDINGS = [Binding("ctrl+q", "quit", "Quit app", priority=True)]
    # Every screen gets a width and a height class, for app.tcss to say what shows, and
    # how big, at each size: 60x20 is "-narrow -short", 120x40 "-wide -tall".
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-normal"), (120, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-medium"), (36, "-tall")]

    def __init__(self, parts: Collaborators) -> None:
        super().__init__()
        self.library = parts.library
        self.state_store = parts.state_store
        self.state: AppState = parts.state_store.load()
        self.clock = parts.clock
        self.settings = parts.settings
        self.idle = parts.idle
        self.holds = parts.holds
        self.clock_store = parts.clock_store
        # The one break clock: this app owns it, or follows the process that does (the
        # headless reminder, or an app opened earlier) and sends it the user's answers.
        self.clock_link = ClockLink(
            paths=parts.reminder_paths,
            environ=parts.environ,
            make_host=self._make_clock_host,
            clock=self.clock,
            on_status=self._clock_status,
        )
        self._asked_due: float | None = None  # the due break the question was shown for
        self._rang_for: float | None = None  # the due break the bell and the break sound were for
        self.settings_problems = parts.settings_problems
        self.history = parts.history
        self.history_problem = parts.history_problem
        self.today = parts.today
        self.start_routine = parts.start_routine
        self._signals = EndingSignals(self._on_ending_signal)
        self._main_thread = threading.get_ident()
        self.cues = parts.make_cues(self.bell, self._sound_problem, muted=self.state.muted or not self.settings.sound)
        if parts.make_voice is not None:
            self.cues.voice = parts.make_voice(
                self.settings, self._voice_problem, on=self.state.voice and self.settings.voice
            )
        self.files = parts.files
        self._after_first_frame = parts.after_first_frame
        self._start_note = parts.start_note
        self.floor = self.settings.floor
        """Whether routines may use the floor now: the setting, switched by Ctrl+T for this run."""
        self._now: Now | None = None  # what the home screen shows first; None: to be worked out again
        self._due_at: float | None = None  # when the next break comes, as the home line says it
        self._clock_said: tuple[str | None, float | None, str] | None = None  # what the home line was made of
        self._ticks = 0
        self._hang_up: HangUpWatch | None = None
        self._title_bars: WeakKeyDictionary[Screen[object], list[TitleBar]] = WeakKeyDictionary()
        self._held_warnings: list[str] = []  # said while the break question was up

    def get_driver_class(self) -> type[Driver]:
        # In a terminal, the driver whose input thread sleeps until there is input (see
        # quiet_driver); any other (headless, a browser tab's, one named in TEXTUAL_DRIVER,
        # Textual's own Linux one included) as Textual picks it.
        driver = super().get_driver_class()
        if sys.platform == "win32":
            return driver
        return terminal_driver() if driver is LinuxDriver and not os.environ.get("TEXTUAL_DRIVER") else driver

    def _reads_a_terminal(self) -> bool:
        return issubclass(self.get_driver_class(), LinuxDriver)

    def get_default_screen(self) -> Screen[None]:
        # Home is the bottom of the stack itself, not pushed over Textual's empty default
        # screen: the first frame is home's, with no blank screen composed, styled and
        # drawn before it.
        return HomeScreen(self.library, self.settings_problems, self.floor, body=self.settings.body)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast, the screens' too: one often quotes a file's name or a path from the
        environment, which may hold control characters (see core.terminal_text)."""
        super().notify(visible(message), title=visible(title), severity=severity, timeout=timeout, markup=markup)

    async def on_mount(self) -> None:
        self._signals.catch()
        if self._after_first_frame is not None:
            self.call_after_refresh(self._after_first_frame)
        # Every way back home (Esc, an answer, a session's end) asks a break that is due.
        self.screen_change_signal.subscribe(self, self._screen_changed)
        await self.clock_link.start()
        if sys.platform != "win32" and not self.is_headless and self._reads_a_terminal() and sys.__stdin__ is not None:
            self._hang_up = HangUpWatch(sys.__stdin__.fileno())  # the terminal, as Textual's Linux driver reads it
        # A Textual timer: stopped with the app, so no tick runs while it closes its screens.
        self.set_interval(BREAK_TICK_SECONDS, self.break_tick)
        # Finding the audio player takes half a second of subprocesses: done once the
        # first frame is out, so that neither the start nor the first cue waits for it.
        self.set_timer(SOUND_WARM_UP_SECONDS, self._warm_up_sound)
        self._show_break_status()
        self._show_now()
        if self.clock_link.problem:
            self.notify(self.clock_link.problem, severity="warning", timeout=10)
        if self.settings_problems:
            shown = "\n".join(str(p) for p in self.settings_problems[:4])
            self.notify(
                f"{shown}\nDefaults are used for those; the file is left as it is.",
                title="The settings file has problems",
                severity="warning",
                timeout=20,
            )
        if self.history_problem:
            self.notify(
                f"{self.history_problem}. Sessions still work but are not recorded.",
                title="History unavailable",
                severity="error",
                timeout=20,
            )
        if self.state_store.problem:
            self.notify(self.state_store.problem, severity="warning", timeout=10)
        if self._start_note:
            self.notify(self._start_note, timeout=10)
        if self.start_routine is not None:
            routine = self.library.routines.get(self.start_routine)
            if routine is None:
                self.notify(missing_routine_message(self.library, self.start_routine), severity="error")
            else:
                self.begin(routine)

    async def on_unmount(self) -> None:
        self._signals.restore()
        self.cues.close()
        await self.clock_link.close()  # saved: the next owner carries on from here

    async def action_quit(self) -> None:
        """Quitting the app mid-session ends that session as "quit", not "interrupted"."""
        self._abandon_sessions("quit")
        await super().action_quit()

    def _abandon_sessions(self, status: SessionStatus) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, PlayerScreen):
                moved = screen.abandon(status)
                if moved is not None:
                    self.clock_link.send(SessionEnd(os.getpid(), moved))

    def _on_ending_signal(self, number: int) -> None:
        """A closed terminal (SIGHUP) or a kill (SIGTERM): the session ends as "interrupted"."""
        # Recorded first and synchronously: after a hang-up, writing to the terminal on
        # the way out may fail, and the session must be ended whatever happens next.
        self._abandon_sessions("interrupted")
        # And the process ends, however Textual's own shutdown goes: after a hang-up it was
        # seen to wait forever on its output thread (the queue to a terminal that is gone),
        # leaving an orphan that held the break clock's lock and answered nobody.
        deadline = threading.Timer(HANG_UP_EXIT_SECONDS, os._exit, args=(128 + number,))
        deadline.daemon = True
        deadline.start()
        self.exit(return_code=128 + number)

    def on_exit_app(self) -> None:
        """Any other way out than the user's quit ends a running session as "interrupted":
        a browser tab's server says "quit" when the tab closes or the server stops, and
        Textual's web driver turns SIGINT into the same exit. Runs before Textual's own
        handler, while the screens are still there; after a quit or a signal it finds
        nothing left to end."""
        self._abandon_sessions("interrupted")

    # --- flow --------------------------------------------------------------------

    @on(RoutineChosen)
    def _routine_chosen(self, message: RoutineChosen) -> None:
        self.begin(message.routine)

    def begin(self, routine: Routine) -> None:
        """Start a routine: the daily check-in first, unless it came back clear today."""
        if self.state.checkin_clear_on(self.today()):
            self.play(routine)
        else:
            self.push_screen(CheckInScreen(routine, self.settings.precautions), partial(self._checked_in, routine))

    def _checked_in(self, routine: Routine, answer: CheckInAnswer | None) -> None:
        if answer == "clear":  # only a clear check is remembered for the day
            self.state.checkin_date = self.today().isoformat()
            self._save_state()
        if answer is not None:
            self.play(routine)

    def play(self, routine: Routine) -> None:
        # Nothing interrupts a session, in any window; its end says if it was a break.
        self.clock_link.send(SessionStart(os.getpid()))
        self._show_break_status()
        played = as_played(
            routine, self.floor, easier=self.pick().easier, body=self.settings.body
        )  # easier after "worse" or "pain" today
        self.push_screen(PlayerScreen(played, self.clock, self.cues, self.history))

    @on(SessionEnded)
    async def finished(self, message: SessionEnded) -> None:
        outcome = message.outcome
        routine = self.library.routines.get(outcome.routine_id)
        moved = session_was_break(outcome.completed, outcome.active_seconds, routine)
        # The clock's owner keeps the break in its history (once, whoever ran the session).
        # A break still due after a session quit early is asked back at home, not over the
        # finish screen, whose question about the session comes first.
        self.clock_link.send(SessionEnd(os.getpid(), moved))
        self._show_break_status()
        # The finish screen takes the player's place, whatever covered it when the session
        # ended (the command palette, say): an ended player left under it froze the app.
        player = next((s for s in reversed(self.screen_stack) if isinstance(s, PlayerScreen)), None)
        while player is not None and self.screen is not player:
            await self.pop_screen()
        await self.switch_screen(FinishScreen(outcome, routine, counted=moved))
        self._now = None  # today changed: the next suggestion takes this session (and its feeling) in

    # --- edited settings and routine files ---------------------------------------------

    def on_app_focus(self, event: events.AppFocus) -> None:
        """Back in the terminal, perhaps from the editor: look at once, not in 2 s."""
        self._check_files()

    def _check_files(self) -> None:
        """Apply what the user changed in config.yaml and the routine files while the app
        ran; a running session keeps the routine it started with."""
        if self.files is None or (reload := self.files.check()) is None:
            return
        self.library = self.files.library
        self.settings_problems = self.files.settings_problems
        self._now = None
        if reload.settings_changed:
            if self.files.settings.floor != self.settings.floor:
                self.floor = self.files.settings.floor  # an edited setting wins over Ctrl+T
            self.settings = self.files.settings
            self.clock_link.reconfigure(self.settings.reminders)  # if this app keeps the clock
            self.cues.muted = self.state.muted or not self.settings.sound  # the user's mute stays
            if self.cues.voice is not None:  # on or off at once; a new rate or voice at the next start
                self.cues.voice.on = self.state.voice and self.settings.voice
            self.break_tick()  # a shorter interval may make the break due now
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_library(self.library, self.settings_problems)
                screen.body = self.settings.body
                screen.show_floor(self.floor)
        for notice in reload.notices:
            if notice.problem:
                self.notify(
                    f"{notice.detail}\nCtrl+R lists the problems.", title=notice.text, severity="warning", timeout=12
                )
            else:
                self.notify(notice.text, timeout=4)

    # --- sitting-break reminders -------------------------------------------------------

    def _make_clock_host(self) -> ClockHost:
        """The clock as this app keeps it when it is the owner (see ClockLink)."""
        service = BreakService(
            self.settings.reminders,
            self.clock,
            lambda: self.idle.idle_seconds(),
            "app",
            self._keep_break,
            holds=lambda: self.holds(self.settings.reminders.holds),
        )
        return ClockHost(service, self.clock_store, os.getpid(), process_alive)

    @property
    def schedule(self) -> Schedule | None:
        """The break schedule, while this app owns the clock."""
        host = self.clock_link.host
        return host.service.schedule if host is not None else None

    def pick(self) -> Pick:
        """The routine this break offers, why, and a few others (core.breaks.offer)."""
        return break_pick(self.library.routines, self.history, self.settings, self.floor, self.clock.wall())

    def suggested_routine(self) -> Routine | None:
        return self.pick().routine

    def _show_now(self, described: str | None = None) -> None:
        """Bring the home screen's "now" up to date: the clock line to the minute at
        each tick, the suggestion and today's figures only when they may have changed.
        ``described``: the clock's status, when the caller has just asked for it."""
        # Only while home is on top: under the finish screen, the feeling is not yet said.
        home = self.screen
        if not isinstance(home, HomeScreen):
            return
        if described is None:
            described = self.clock_link.describe()
        if described.startswith(MINI_PREFIX):
            return  # the header shows the mini break; home keeps saying when the hourly one comes
        due = break_due_at(described, self.clock.wall())
        if due is None:
            self._due_at = None
        elif self._due_at is None or abs(due[0] - self._due_at) > SAME_BREAK_SECONDS:
            self._due_at = due[0]  # a new break time (a snooze, a session): not a second's jitter
        snoozed = due[1] if due else ""
        # While the countdown runs, the line says when the break comes: the same each second.
        said = (None if due else described, self._due_at, snoozed)
        if self._now is not None and said == self._clock_said:
            return
        self._clock_said = said
        clock = clock_line(described, self._due_at, snoozed)
        if self._now is None:
            today = "today: nothing recorded"
            if self.history is not None:
                try:
                    summary = today_summary(self.history, self.clock.wall())
                    today = today_line(summary.minutes_moved, summary.taken)
                except sqlite3.Error:
                    pass
            self._now = Now(clock, today, self.pick())
        elif self._now.clock != clock:
            self._now = Now(clock, self._now.today, self._now.pick)
        else:
            return
        home.show_now(self._now)

    @on(FloorToggled)
    def toggle_floor(self) -> None:
        self.floor = not self.floor
        self._now = None
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_floor(self.floor)
        self._show_now()
        self.notify(
            "Floor on: routines may use the floor."
            if self.floor
            else "Floor off: floor exercises play as their seated or standing versions.",
            timeout=4,
        )

    def _warm_up_sound(self) -> None:
        self.cues.warm_up()
        if self.cues.voice is not None:
            self.cues.voice.warm_up()

    def break_tick(self) -> None:
        if not self.is_running:
            return  # closing: its screens may be gone already
        if self._hang_up is not None and self._hang_up.gone():
            self._hang_up = None
            self._on_ending_signal(signal.SIGHUP)
            return
        self._ticks += 1
        # The files are looked at on every other tick, not on a timer of their own: each
        # timer is one more wake-up of an idle app.
        if self._ticks % FILE_CHECK_TICKS == 0:
            self._check_files()
        self.clock_link.tick()
        self._close_answered_question()
        if isinstance(self.screen, BreakDueScreen):
            self.screen.tick()
        described = self.clock_link.describe()  # once a second: both lines read it
        self._show_break_status(described)
        self._show_now(described)

    def _keep_break(self, entry: BreakEntry) -> None:
        self._save(entry.write)

    def _show_break_status(self, described: str | None = None) -> None:
        kept_by = " (remind)" if self.clock_link.owner == "remind" else ""
        title = f"mobility-coach · {at_a_glance(described or self.clock_link.describe())}{kept_by}"
        if title == self.title:
            return
        # Set quietly, and shown by the headers that can be seen: through Textual's
        # watchers, each second would refresh the app and wake every header's queue.
        # A header hidden under another screen catches up when it is shown again.
        self.set_reactive(MobilityCoachApp.title, title)
        for screen in self._screens_showing():
            bars = self._title_bars.get(screen)
            if not bars:  # not composed yet, or a dialog without one: looked for again
                bars = self._title_bars[screen] = list(screen.query(TitleBar))
            for bar in bars:
                bar.show_title()

    def _screens_showing(self) -> list[Screen[object]]:
        """The top screen, and the one under it when the top is a dialog over it."""
        stack = self.screen_stack
        if len(stack) > 1 and isinstance(stack[-1], ModalScreen):
            return [stack[-2], stack[-1]]
        return stack[-1:]

    def _clock_status(self, reply: Reply) -> None:
        """The clock changed, here or in its owner: a due break is asked at home, and the
        question is closed when it was answered anywhere else."""
        self._show_break_status()
        if reply.start is not None:
            self._start_from_notification(reply.start)
            return
        if reply.phase is Phase.DUE and not self._in_routine():
            self._ring(reply.due_since)  # heard at once, wherever the user is
        # Not asked from here: this runs whenever the clock speaks, in the middle of
        # whatever the app is doing (a session's end switching screens, say).
        self.call_next(self._ask_if_due)
        self._close_answered_question()

    def _in_routine(self) -> bool:
        """On the way into a routine (its check-in: `run ROUTINE`, the notification's
        Start), in it, or at its finish: the break is being taken, or the session's own
        question comes first."""
        return any(isinstance(screen, (CheckInScreen, PlayerScreen, FinishScreen)) for screen in self.screen_stack)

    def _screen_changed(self, _: Screen[object]) -> None:
        if not self.is_running:
            return
        if not isinstance(self.screen, (HomeScreen, BreakDueScreen)):
            self._asked_due = None  # away from home: a break still due is asked on the way back
        self._ask_if_due()

    def _ask_if_due(self) -> None:
        """Ask a due break, once, over home and nothing else. The question never covers
        another screen: one whose Esc snoozed it unseen, or a session's end that replaced
        it instead of the player. Every way out of every screen comes back home, and is
        asked there."""
        if not self.is_running or not isinstance(self.screen, HomeScreen):
            return
        reply = self.clock_link.reply()
        if reply is not None and reply.phase is Phase.DUE and reply.due_since != self._asked_due:
            self._asked_due = reply.due_since
            self._break_due(reply.due_since)

    def _start_from_notification(self, routine_id: str) -> None:
        """The notification's Start, sent here because this app is open: the routine runs
        in this window (the question on screen is answered by it)."""
        if any(isinstance(screen, PlayerScreen) for screen in self.screen_stack):
            return  # a routine already runs here
        routine = self.library.routines.get(routine_id) or self.suggested_routine()
        if routine is None:
            return
        if isinstance(self.screen, BreakDueScreen):
            self.screen.dismiss("start")
        else:
            self.begin(routine)

    def _close_answered_question(self) -> None:
        # Only from the top of the stack: a palette opened over the question closes first.
        # And only on the word of a clock: while it changes hands nobody has answered.
        if not isinstance(self.screen, BreakDueScreen):
            return  # asked each second: the clock's reply is made only when it matters
        phase = self.clock_link.phase
        if phase is not None and phase is not Phase.DUE:
            self.screen.answered_elsewhere()

    def _ring(self, due_since: float | None) -> None:
        """The bell and the break sound (and its prompt, if spoken), once a due break."""
        if due_since == self._rang_for:
            return
        self._rang_for = due_since
        self.bell()
        if self.clock_link.host is not None:
            self.cues.alert()  # the clock's keeper plays the sound; other windows only ring
            if self.settings.speaks_reminders:
                routine = self.pick().routine
                self.cues.speak(reminder_prompt(routine.name if routine else None))

    def _break_due(self, due_since: float | None) -> None:
        pick = self.pick()
        routine = pick.routine
        # No toast: the question on screen says it all, and a toast repeating it covered
        # the question's own title on a small screen.
        self._ring(due_since)
        reminders = self.settings.reminders
        self.push_screen(
            BreakDueScreen(
                routine.name if routine else "Start",
                reminders.every,
                reminders.snooze,
                self.clock,
                reason=pick.reason if routine else "",
                others=[(r.id, r.name) for r in pick.others],
            ),
            partial(self._break_answer, routine.id if routine else None),
        )

    def _break_answer(self, offered: str | None, choice: str | None) -> None:
        if choice == "start" or (choice or "").startswith("other:"):
            wanted = offered if choice == "start" else (choice or "").removeprefix("other:")
            routine = self.library.routines.get(wanted or "")
            if routine is not None:
                self.begin(routine)
        elif choice == "moved":
            self.clock_link.send(MovedAlready())
            self._now = None
            self.notify("Noted: a break taken, on your word. The sitting time counts again from now.", timeout=4)
        elif choice == "skip":
            self.clock_link.send(Skip())
        elif choice == "snooze":
            self.clock_link.send(Snooze())
        self._show_break_status()
        self._show_held_warnings()

    def _send_answer(self, request: Request) -> None:
        """A pause or resume from the palette, to whoever keeps the clock."""
        self.clock_link.send(request)
        self._show_break_status()
        if self.clock_link.host is not None:
            self.notify(self.clock_link.describe().capitalize() + ".", timeout=4)
        else:
            self.notify(f"Sent to the break clock's owner: {request.command}.", timeout=3)

    def pause_reminders(self, seconds: float | None, tomorrow: bool = False) -> None:
        self._send_answer(PauseUntilTomorrow() if tomorrow else Pause(seconds))

    def resume_reminders(self) -> None:
        self._send_answer(Resume())

    def action_stats(self) -> None:
        stats = summarize(self.history, self.clock.wall()) if self.history is not None else None
        self.push_screen(StatsScreen(stats))

    @on(ProblemsWanted)
    def action_show_problems(self) -> None:
        # The toasts at start point at this list; left up, they would cover it.
        self.clear_notifications()
        self.push_screen(ProblemsScreen(self.library.problems, self.settings_problems))

    def action_journal(self) -> None:
        JournalFlow(self, self.history, self._save, self.clock, self.library.routines).start()

    def _save(self, write: Callable[[History], object]) -> None:
        """Write to the history, if there is one; a failure is shown, never fatal."""
        if self.history is None:
            return
        try:
            write(self.history)
        except sqlite3.Error as error:  # a full disk or a locked file must not break the app
            self.notify(f"History could not be saved: {error}", severity="warning")

    @on(MuteToggled)
    def toggle_mute(self) -> None:
        toast = switch_mute(self.cues, self.state)
        self._save_state()
        self.notify(toast, timeout=2)

    @on(VoiceToggled)
    def toggle_voice(self) -> None:
        toast = switch_voice(self.cues, self.state, self.settings)
        self._save_state()
        self.notify(toast, timeout=3)

    def _save_state(self) -> None:
        try:
            self.state_store.save(self.state)
        except OSError as error:
            self.notify(f"Could not save settings: {error}", severity="warning")

    def _sound_problem(self, message: str) -> None:
        self._warn_from_any_thread(f"No sound: {message}. Using the terminal bell instead.")

    def _voice_problem(self, message: str) -> None:
        self._warn_from_any_thread(f"No voice: {message}. The tones carry on.")

    def _warn_from_any_thread(self, text: str) -> None:
        if threading.get_ident() == self._main_thread:
            self._warn(text)
        else:
            self.call_from_thread(self._warn, text)

    def _warn(self, text: str) -> None:
        """A warning toast, held while the break question is up (no toast shows over it:
        app.tcss) and shown once it closes. The break's alert may be the first sound,
        and "No sound" is said only once."""
        if isinstance(self.screen, BreakDueScreen):
            self._held_warnings.append(text)
        else:
            self.notify(text, severity="warning", timeout=8)

    def _show_held_warnings(self) -> None:
        held, self._held_warnings = self._held_warnings, []
        for text in held:
            self._warn(text)

    def _break_commands(self) -> Iterable[SystemCommand]:
        """What can be said to the break clock now: a paused clock is only resumed (so
        typing "resume" finds that, not "pause until resumed"), a due break is answered."""
        # The palette matches titles only: each names the break and the reminder, the
        # words people type, besides what it does (snooze, skip, pause, resume).
        phase = self.clock_link.phase
        if phase is Phase.PAUSED:
            yield SystemCommand("Resume break reminders", "Start counting sitting time again", self.resume_reminders)
            return
        snooze = format_duration(self.settings.reminders.snooze)
        if phase is Phase.DUE:
            yield SystemCommand(
                f"Snooze this break reminder ({snooze})", "The break is due: ask again later", self._snooze_now
            )
            yield SystemCommand("Skip this break", "The next hour of sitting starts now", self._skip_now)
        else:
            yield SystemCommand(
                f"Snooze the next break reminder ({snooze})", f"The next break comes {snooze} later", self._snooze_now
            )
            yield SystemCommand("Skip the next break", "The next hour of sitting starts now", self._skip_now)
        for label, seconds in (("30 minutes", 1800.0), ("1 hour", 3600.0), ("2 hours", 7200.0)):
            yield SystemCommand(
                f"Pause break reminders for {label}",
                "No break reminders for a while",
                partial(self.pause_reminders, seconds),
            )
        yield SystemCommand(
            "Pause break reminders until tomorrow",
            "Until tomorrow's working hours (or midnight)",
            partial(self.pause_reminders, None, True),
        )
        yield SystemCommand(
            "Pause break reminders until resumed",
            "No break reminders until you resume them",
            partial(self.pause_reminders, None),
        )

    def _snooze_now(self) -> None:
        self._send_answer(Snooze())

    def _skip_now(self) -> None:
        self._send_answer(Skip())

    @staticmethod
    def _applies(screen: Screen, binding: Binding) -> bool:  # type: ignore[type-arg]
        """Whether the screen offers this key now (not "Pause" while paused, say)."""
        _, name, arguments = parse_action(binding.action)
        return screen.check_action(name, arguments) is not False

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:  # type: ignore[type-arg]
        yield from super().get_system_commands(screen)
        yield SystemCommand("Sound on/off", "Mute or unmute the cue sounds (remembered)", self.toggle_mute)
        yield SystemCommand("Voice on/off", "Speak the session, or tones only (remembered)", self.toggle_voice)
        yield SystemCommand("Statistics", "Today, the last two weeks, your streak (Ctrl+S)", self.action_stats)
        yield SystemCommand("Log a crack or an urge", "The cracking journal (Ctrl+L)", self.action_journal)
        yield from self._break_commands()
        if (self.library.problems or self.settings_problems) and not isinstance(screen, HomeScreen):
            yield SystemCommand(
                "Problems in your files",
                "Each problem in your routine and settings files, file:line:col (Ctrl+R at home)",
                self.action_show_problems,
            )
        # Every key of the current screen is also a command, so nothing needs remembering;
        # but a key for one of the app's commands above ("Log crack") is not listed twice.
        app_wide = {"app.stats", "app.journal"}
        for binding in getattr(screen, "BINDINGS", []):
            if (
                isinstance(binding, Binding)
                and binding.description
                and binding.action not in app_wide
                and self._applies(screen, binding)
            ):
                yield SystemCommand(
                    binding.description, f"Key: {binding.key}", partial(screen.run_action, binding.action)
                )
