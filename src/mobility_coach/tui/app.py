"""The Textual app: routes between home, check-in, session and finish screens.

Everything that varies between a real run and a test (routines, where state lives, the
clock, the sound backend, what day it is) comes in one Collaborators, built by
tui/factory.py, so tests drive the same app a user gets with a fake clock and a fake
speaker. Screens get what they need through their constructors and report back with
dismiss results or the Messages of tui/messages.py.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable
from functools import partial

from textual import events, on
from textual.actions import parse as parse_action
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from mobility_coach.adapters.remind_socket import ask
from mobility_coach.core.breaks.protocol import AskStatus, Movement, Pause, PauseUntilTomorrow, Reply, Request, Resume
from mobility_coach.core.breaks.schedule import Phase, Schedule
from mobility_coach.core.breaks.service import BreakEntry, BreakService, remote_describe
from mobility_coach.core.history.stats import summarize
from mobility_coach.core.history.store import History, SessionStatus
from mobility_coach.core.routines.lookup import missing_routine_message
from mobility_coach.core.routines.model import Routine
from mobility_coach.core.session.movement import session_was_break
from mobility_coach.core.state import AppState
from mobility_coach.tui.collaborators import Collaborators
from mobility_coach.tui.ending_signals import EndingSignals
from mobility_coach.tui.journal_flow import JournalFlow
from mobility_coach.tui.messages import MuteToggled, ProblemsWanted, RoutineChosen, SessionEnded
from mobility_coach.tui.mute import switch_mute
from mobility_coach.tui.screens.break_due import BreakDueScreen
from mobility_coach.tui.screens.checkin import CheckInAnswer, CheckInScreen
from mobility_coach.tui.screens.finish import FinishScreen
from mobility_coach.tui.screens.home import HomeScreen
from mobility_coach.tui.screens.player import PlayerScreen
from mobility_coach.tui.screens.problems import ProblemsScreen
from mobility_coach.tui.screens.stats import StatsScreen

BREAK_TICK_SECONDS = 1.0
REMOTE_POLL_SECONDS = 10.0
FILE_CHECK_SECONDS = 2.0  # a stat of each settings and routine file; read only when one changed


class MobilityCoachApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "mobility-coach"
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
        self.breaks = BreakService(
            self.settings.reminders, self.clock, lambda: self.idle.idle_seconds(), "app", self._keep_break
        )
        # Where a headless reminder may be listening: it hears of our sessions too.
        self.reminder_paths = parts.reminder_paths
        # While a headless reminder runs, it owns the reminding (so nobody is reminded
        # twice) and the header shows its countdown: (status reply, monotonic time of it).
        self._remote: tuple[Reply, float] | None = None
        self.settings_problems = parts.settings_problems
        self.history = parts.history
        self.history_problem = parts.history_problem
        self.today = parts.today
        self.start_routine = parts.start_routine
        self._signals = EndingSignals(self._on_ending_signal)
        self._main_thread = threading.get_ident()
        self.cues = parts.make_cues(self.bell, self._sound_problem, muted=self.state.muted or not self.settings.sound)
        self.files = parts.files

    def on_mount(self) -> None:
        self._signals.catch()
        self.push_screen(HomeScreen(self.library, self.settings_problems))
        self.set_interval(BREAK_TICK_SECONDS, self.break_tick)
        if self.files is not None:
            self.set_interval(FILE_CHECK_SECONDS, self._check_files)
        if self.reminder_paths is not None:
            self.set_interval(REMOTE_POLL_SECONDS, self._poll_reminder)
            self._poll_reminder()
        self._show_break_status()
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
        if self.start_routine is not None:
            routine = self.library.routines.get(self.start_routine)
            if routine is None:
                self.notify(missing_routine_message(self.library, self.start_routine), severity="error")
            else:
                self.begin(routine)

    def on_unmount(self) -> None:
        self._signals.restore()
        self.cues.close()

    async def action_quit(self) -> None:
        """Quitting the app mid-session ends that session as "quit", not "interrupted"."""
        self._abandon_sessions("quit")
        await super().action_quit()

    def _abandon_sessions(self, status: SessionStatus) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, PlayerScreen):
                screen.abandon(status)

    def _on_ending_signal(self, number: int) -> None:
        """A closed terminal (SIGHUP) or a kill (SIGTERM): the session ends as "interrupted"."""
        # Recorded first and synchronously: after a hang-up, writing to the terminal on
        # the way out may fail, and the session must be ended whatever happens next.
        self._abandon_sessions("interrupted")
        self.exit(return_code=128 + number)

    # --- flow --------------------------------------------------------------------

    @on(RoutineChosen)
    def _routine_chosen(self, message: RoutineChosen) -> None:
        self.begin(message.routine)

    def begin(self, routine: Routine) -> None:
        """Start a routine: the daily check-in first, unless it came back clear today."""
        if self.state.checkin_clear_on(self.today()):
            self.play(routine)
        else:
            self.push_screen(CheckInScreen(routine), partial(self._checked_in, routine))

    def _checked_in(self, routine: Routine, answer: CheckInAnswer | None) -> None:
        if answer == "clear":  # only a clear check is remembered for the day
            self.state.checkin_date = self.today().isoformat()
            self._save_state()
        if answer is not None:
            self.play(routine)

    def play(self, routine: Routine) -> None:
        self.breaks.session_started()  # nothing interrupts a session; its end says if it was a break
        self._show_break_status()
        self.push_screen(PlayerScreen(routine, self.clock, self.cues, self.history))

    @on(SessionEnded)
    def finished(self, message: SessionEnded) -> None:
        outcome = message.outcome
        routine = self.library.routines.get(outcome.routine_id)
        moved = session_was_break(outcome.completed, outcome.active_seconds, routine)
        # A running reminder keeps the history of breaks: it hears of the movement and
        # records it, so the app records it only when no reminder runs (never both).
        self.breaks.session_ended(moved, keep=self._remote is None)
        self._show_break_status()
        if moved:
            self._tell_reminder_of_movement()
        self.switch_screen(FinishScreen(outcome, self.library.routines.get(outcome.routine_id)))

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
        if reload.settings_changed:
            self.settings = self.files.settings
            self.breaks.reconfigure(self.settings.reminders)
            self.cues.muted = self.state.muted or not self.settings.sound  # the user's mute stays
            self.break_tick()  # a shorter interval may make the break due now
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_library(self.library, self.settings_problems)
        for notice in reload.notices:
            if notice.problem:
                self.notify(
                    f"{notice.detail}\nCtrl+R lists the problems.", title=notice.text, severity="warning", timeout=12
                )
            else:
                self.notify(notice.text, timeout=4)

    # --- sitting-break reminders -------------------------------------------------------

    @property
    def schedule(self) -> Schedule:
        """The break schedule, which the break service owns."""
        return self.breaks.schedule

    def suggested_routine(self) -> Routine | None:
        routine_id = self.breaks.suggestion(self.library.routines).routine_id
        return self.library.routines.get(routine_id) if routine_id is not None else None

    def break_tick(self) -> None:
        # While a headless reminder runs it keeps (and records) the reminding.
        for event in self.breaks.tick(keep=self._remote is None):
            if event.kind == "due" and self._remote is None:
                self._break_due()
        if isinstance(self.screen, BreakDueScreen):
            self.screen.tick()
        self._show_break_status()

    def _keep_break(self, entry: BreakEntry) -> None:
        self._save(entry.write)

    def _show_break_status(self) -> None:
        if self._remote is None:
            self.title = f"mobility-coach · {self.breaks.describe()}"
            return
        reply, received = self._remote
        self.title = f"mobility-coach · {remote_describe(reply, self.clock.monotonic() - received)} (remind)"

    def _poll_reminder(self) -> None:
        self.run_worker(self._ask_reminder, thread=True, exclusive=True, group="remind", exit_on_error=False)

    def _ask_reminder(self, request: Request | None = None) -> None:
        assert self.reminder_paths is not None
        reply = ask(self.reminder_paths, request or AskStatus(), timeout=2.0)
        self.call_from_thread(self._remote_answered, reply if reply and reply.ok else None)

    def _remote_answered(self, reply: Reply | None) -> None:
        self._remote = (reply, self.clock.monotonic()) if reply is not None else None
        self._show_break_status()

    def _break_due(self) -> None:
        routine = self.suggested_routine()
        # No toast: the question on screen says it all, and a toast repeating it covered
        # the question's own title on a small screen.
        self.bell()
        self.cues.alert()
        reminders = self.breaks.settings
        self.push_screen(
            BreakDueScreen(routine.name if routine else "Start", reminders.every, reminders.snooze, self.clock),
            self._break_answer,
        )

    def _break_answer(self, choice: str | None) -> None:
        if choice == "start":
            routine = self.suggested_routine()
            if routine is not None:
                self.begin(routine)
        elif choice == "skip":
            self.breaks.skip()
        else:
            self.breaks.snooze()
        self._show_break_status()

    def _tell_reminder_of_movement(self) -> None:
        if self.reminder_paths is not None:
            self._send_to_reminder(Movement())

    def _send_to_reminder(self, request: Request) -> None:
        """Send a command on a worker thread; the reply refreshes the header."""
        self.run_worker(partial(self._ask_reminder, request), thread=True, group="remind-command", exit_on_error=False)

    def _tell_remote(self, request: Request) -> bool:
        """Send a reminder command to the headless reminder, if one runs; True if sent."""
        if self._remote is None:
            return False
        self._send_to_reminder(request)
        self.notify(f"Sent to the running reminder: {request.command}.", timeout=3)
        return True

    def pause_reminders(self, seconds: float | None, tomorrow: bool = False) -> None:
        if self._tell_remote(PauseUntilTomorrow() if tomorrow else Pause(seconds)):
            return
        if tomorrow:
            self.breaks.pause_until_tomorrow()
        else:
            self.breaks.pause(seconds)
        self._show_break_status()
        self.notify(self.breaks.describe().capitalize() + ".", timeout=4)

    def resume_reminders(self) -> None:
        if self._tell_remote(Resume()):
            return
        self.breaks.resume()
        self._show_break_status()
        self.notify(self.breaks.describe().capitalize() + ".", timeout=4)

    def action_stats(self) -> None:
        stats = summarize(self.history, self.clock.wall()) if self.history is not None else None
        self.push_screen(StatsScreen(stats))

    @on(ProblemsWanted)
    def action_show_problems(self) -> None:
        # The toasts at start point at this list; left up, they would cover it.
        self.clear_notifications()
        self.push_screen(ProblemsScreen(self.library.problems, self.settings_problems))

    def action_journal(self) -> None:
        JournalFlow(self, self.history, self._save, self.clock, self.library.routines.get("crack-swap")).start()

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

    def _save_state(self) -> None:
        try:
            self.state_store.save(self.state)
        except OSError as error:
            self.notify(f"Could not save settings: {error}", severity="warning")

    def _sound_problem(self, message: str) -> None:
        text = f"No sound: {message}. Using the terminal bell instead."
        if threading.get_ident() == self._main_thread:
            self.notify(text, severity="warning", timeout=8)
        else:
            self.call_from_thread(self.notify, text, severity="warning", timeout=8)

    @staticmethod
    def _applies(screen: Screen, binding: Binding) -> bool:  # type: ignore[type-arg]
        """Whether the screen offers this key now (not "Pause" while paused, say)."""
        _, name, arguments = parse_action(binding.action)
        return screen.check_action(name, arguments) is not False

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:  # type: ignore[type-arg]
        yield from super().get_system_commands(screen)
        yield SystemCommand("Sound on/off", "Mute or unmute the cue sounds (remembered)", self.toggle_mute)
        yield SystemCommand("Statistics", "Today, the last two weeks, your streak (Ctrl+S)", self.action_stats)
        yield SystemCommand("Log a crack or an urge", "The cracking journal (Ctrl+L)", self.action_journal)
        for label, seconds in (("30 minutes", 1800.0), ("1 hour", 3600.0), ("2 hours", 7200.0)):
            yield SystemCommand(
                f"Pause reminders for {label}", "No break reminders for a while", partial(self.pause_reminders, seconds)
            )
        yield SystemCommand(
            "Pause reminders until tomorrow",
            "Until tomorrow's working hours (or midnight)",
            partial(self.pause_reminders, None, True),
        )
        yield SystemCommand(
            "Pause reminders until resumed",
            "No break reminders until you resume them",
            partial(self.pause_reminders, None),
        )
        if (self.library.problems or self.settings_problems) and not isinstance(screen, HomeScreen):
            yield SystemCommand(
                "Problems in your files",
                "Each problem in your routine and settings files, file:line:col (Ctrl+R at home)",
                self.action_show_problems,
            )
        remote_paused = self._remote is not None and self._remote[0].phase is Phase.PAUSED
        if self.breaks.phase is Phase.PAUSED or remote_paused:
            yield SystemCommand("Resume reminders", "Start counting sitting time again", self.resume_reminders)
        # Every key of the current screen is also a command, so nothing needs remembering.
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description and self._applies(screen, binding):
                yield SystemCommand(
                    binding.description, f"Key: {binding.key}", partial(screen.run_action, binding.action)
                )
