"""The session screen: a big countdown, what to do now, what comes next.

It renders the session's view and forwards keys; nothing else. The session itself (time,
cues heard ahead of their time, the voice's plan, the history) is run by the core's
SessionRunner (core/session/runner.py), against the clock the screen is given: a tick
several times a second moves it on and renders its view (core/session/view.py, where
the display rules live), updating only what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Digits, ProgressBar, Static

from mobility_coach.adapters.sound import CuePlayer
from mobility_coach.core.clock import Clock
from mobility_coach.core.figures.motion import key_picture
from mobility_coach.core.history.store import History, SessionStatus
from mobility_coach.core.routines.model import Routine
from mobility_coach.core.session.player import Status
from mobility_coach.core.session.runner import TICK_SECONDS, SessionRunner
from mobility_coach.core.session.safety import DISCLAIMER
from mobility_coach.core.session.view import PHASE_LABELS, SessionView
from mobility_coach.tui.messages import MuteToggled, SessionEnded, VoiceToggled
from mobility_coach.tui.screens.dialogs import CautionsScreen, ConfirmScreen
from mobility_coach.tui.widgets.big_countdown import BigCountdown
from mobility_coach.tui.widgets.countdown_line import CountdownLine
from mobility_coach.tui.widgets.figure_view import FigureView
from mobility_coach.tui.widgets.priority_footer import PriorityFooter
from mobility_coach.tui.widgets.title_bar import TitleBar

# The player screen's first frame, measured at 80x24 to 160x48 (tens of ms, up to this).
FIRST_FRAME_SECONDS = 0.15

# Key labels that give way first when the footer is short of room (app.tcss hides them
# by width); the keys themselves keep working and stay in the command palette.
FOOTER_PRIORITIES = {
    "restart_step": "-minor",
    "mute('on')": "-minor",  # while muted, its key says "Muted" at every width
    # Whether the voice speaks matters most to someone about to turn away: shown from 80
    # columns, but below 120 it gives way to "Muted" (nothing speaks meanwhile).
    "toggle_voice('on')": "-voice",
    "toggle_voice('off')": "-voice",
    "quit": "-minor",
    "previous_step": "-low",
}


def _phase_text(view: SessionView) -> Text:
    text = Text(f" {view.phase_label} ", style="bold reverse")
    if view.paused_hint:
        text.append(f"  {view.paused_hint}", style="bold")
    return text


def _title_text(view: SessionView) -> Text:
    text = Text(view.title, style="bold")
    if view.side:
        text.append(f"  {view.side} side")
    return text


def _instructions_text(view: SessionView) -> Text:
    text = Text()
    for number, line in enumerate(view.exercise_cues, 1):
        text.append(f"{number}. {line}\n")
    return text


def _steps_text(view: SessionView) -> Text:
    text = Text()
    for row in view.steps:
        marker = "▶ " if row.current else ("✓ " if row.complete else "  ")
        style = "bold reverse" if row.current else ("dim" if row.complete else "")
        text.append(f"{marker}{row.label}\n", style=style)
    return text


# Each Static: its id, the parts of the view it shows (compared to skip unchanged
# widgets), and how it draws them.
STATICS: tuple[tuple[str, Callable[[SessionView], object], Callable[[SessionView], str | Text]], ...] = (
    ("phase", attrgetter("phase_label", "paused_hint"), _phase_text),
    ("exercise", attrgetter("title", "side"), _title_text),
    ("detail", attrgetter("detail"), attrgetter("detail")),
    ("cue", attrgetter("cue"), lambda view: Text(view.cue, style="italic")),
    ("note", attrgetter("note"), lambda view: Text(view.note or "", style="italic")),
    ("instructions", attrgetter("exercise_cues", "note"), _instructions_text),
    ("steps", attrgetter("steps"), _steps_text),
    ("next", attrgetter("next_up"), attrgetter("next_up")),
)

# The parts that are always one line: their size changes only with their length.
ONE_LINE = frozenset({"detail"})


class PlayerScreen(Screen[None]):
    BINDINGS = [
        # The footer shows whichever of a pair applies (check_action hides the other).
        Binding("space", "toggle_pause('pause')", "Pause"),
        Binding("space", "toggle_pause('resume')", "Resume"),
        Binding("enter", "done", "Done"),
        Binding("n", "next_step", "Next"),
        Binding("p", "previous_step", "Back"),
        Binding("r", "restart_step", "Restart"),
        # Muted, the key says so: nothing else on screen would.
        Binding("m", "mute('on')", "Mute"),
        Binding("m", "mute('off')", "Muted"),
        # The label says whether the voice speaks now (check_action shows the one that is true).
        Binding("v", "toggle_voice('on')", "Voice on"),
        Binding("v", "toggle_voice('off')", "No voice"),
        Binding("c", "cautions", "Cautions"),
        Binding("q", "quit_session", "Quit"),
    ]

    def __init__(self, routine: Routine, clock: Clock, cues: CuePlayer, history: History | None) -> None:
        super().__init__()
        self.routine = routine
        self.cues = cues
        self.runner = SessionRunner(
            routine, clock, cues, history, on_problem=lambda message: self.notify(message, severity="warning")
        )
        self._shown: dict[str, object] = {}
        self._keys_for: tuple[bool, bool, bool | None, bool] | None = None  # (paused, self-paced, voice, muted) shown

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="player"):
            with Vertical(id="now"):
                yield Static(id="phase")
                yield Digits("0:00", id="countdown")
                yield BigCountdown(id="countdown-big")
                yield Static(id="exercise")
                yield Static(id="detail")
                # The routine's note for this step ("press Enter when you have done six")
                # is said in full, wrapped, above the cues that give way on a small screen.
                yield Static(id="note")
                yield Static(id="cue")
                yield Static(id="next")
                yield Static(id="instructions")
            with Vertical(id="side"):
                with VerticalScroll(id="steps-box"):
                    yield Static(id="steps")
                yield FigureView(id="figure")
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=max(1.0, self.runner.timeline.timed_seconds), show_eta=False, id="progress")
            yield CountdownLine(id="left")
        yield PriorityFooter(FOOTER_PRIORITIES)

    def on_mount(self) -> None:
        self.title = self.routine.name
        self.runner.start(shown_after=FIRST_FRAME_SECONDS)
        self.set_interval(TICK_SECONDS, self.tick)
        self.refresh_state()

    # --- which keys apply --------------------------------------------------------------

    def _key_state(self) -> tuple[bool, bool, bool | None, bool]:
        """(paused, waiting for Enter, speaking or None without a voice, muted): what
        decides the footer's keys."""
        player = self.runner.player
        voice = self.cues.voice
        # The voice's own switch: muting (m) silences it with everything else, and says so
        # on its own key; shown here, it made "v" look like it turned the voice on.
        speaking = None if voice is None else voice.speaking
        return player.status is Status.PAUSED, player.awaiting_done, speaking, self.cues.muted

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        paused, waiting, speaking, muted = self._key_state()
        if action == "mute":
            return parameters == (("off",) if muted else ("on",))
        if action == "toggle_pause":
            return parameters == (("resume",) if paused else ("pause",))
        if action == "done":
            return waiting
        if action == "toggle_voice":
            return speaking is not None and parameters == (("on",) if speaking else ("off",))
        return True

    # --- the tick ------------------------------------------------------------------

    def tick(self) -> None:
        if self.runner.ended:
            return
        if self.runner.tick():
            self.notify("Paused: the computer was asleep. Press space to carry on.", timeout=15)
        self.refresh_state()

    # --- what the screen shows ------------------------------------------------------

    def _changed(self, part: str, value: object) -> bool:
        """Whether a part of the view differs from what is shown: most ticks change nothing."""
        if self._shown.get(part) == value:
            return False
        self._shown[part] = value
        return True

    def refresh_state(self) -> None:
        """Render the session's view (core/session/view.py) as of now."""
        if self.runner.ended:
            return
        view = self.runner.view()
        if view.finished:
            self._end()
            return
        self._show_state(view)
        for widget_id, part, render in STATICS:
            if self._changed(widget_id, part(view)):
                content = render(view)
                self.query_one(f"#{widget_id}", Static).update(content, layout=self._resized(widget_id, content))
        self._show_time(view)
        self.query_one(FigureView).show(view.figure)
        self.sub_title = f"step {view.step_number} of {view.step_total}"

    def _resized(self, widget_id: str, content: str | Text) -> bool:
        """Whether a new text may change its widget's size: a one-line part (the time left,
        the rep) keeps its size while its length does, and then needs no new layout of the
        screen (a layout each second was half the session's CPU at 160x48)."""
        if widget_id not in ONE_LINE:
            return True
        length = len(content.plain if isinstance(content, Text) else content)
        return self._changed(f"{widget_id}-length", length)

    def _show_state(self, view: SessionView) -> None:
        """The keys that apply, and the classes the stylesheet colours phases and pauses by."""
        if self._keys_for != (keys := (view.paused, view.awaiting_done, *self._key_state()[2:])):
            self._keys_for = keys
            self.runner.voice_switched()
            self.refresh_bindings()
            # On the footer alone, for app.tcss to make room for "Muted" on a narrow screen.
            self.query_one(PriorityFooter).set_class(self.cues.muted, "-muted")
        if self._changed("has_note", bool(view.note)):
            self.query_one("#note").display = bool(view.note)  # an empty line would push the rest down
        # Each class goes on the widgets it colours, not on the screen: a class changed on
        # the screen restyles every widget on it, and each restyle leaves Textual's virtual
        # nodes (one per component class) in reference cycles that only a full collection
        # frees, minutes later. Twice a phase change (a class off, a class on), that was
        # three quarters of a session's garbage, which set how much memory it came to hold.
        if self._changed("phase-class", view.phase):
            phase_classes = {f"phase-{kind}": view.phase == kind for kind in PHASE_LABELS}
            self.query_one("#phase").update_classes(phase_classes)
        if self._changed("paused-class", view.paused):
            for countdown in self.query("#countdown, #countdown-big"):
                countdown.set_class(view.paused, "paused")

    def _show_time(self, view: SessionView) -> None:
        if self._changed("countdown", view.clock_text):
            self.query_one("#countdown", Digits).update(view.clock_text)
            self.query_one("#countdown-big", BigCountdown).value = view.clock_text
        self.query_one("#left", CountdownLine).text = view.left_text  # repainted only when it changes
        # Whole seconds: a cell of the bar spans several, so finer updates only cost CPU.
        if self._changed("progress", done := int(view.done_seconds)):
            self.query_one("#progress", ProgressBar).update(progress=done)

    # --- intents -------------------------------------------------------------------

    def _intent(self, act: Callable[[SessionRunner], None]) -> None:
        act(self.runner)
        self.refresh_state()

    def action_toggle_pause(self, _shown_as: str = "") -> None:
        self._intent(SessionRunner.toggle_pause)

    def action_done(self) -> None:
        self._intent(SessionRunner.done)

    def action_next_step(self) -> None:
        self._intent(SessionRunner.next_step)

    def action_previous_step(self) -> None:
        self._intent(SessionRunner.previous_step)

    def action_restart_step(self) -> None:
        self._intent(SessionRunner.restart_step)

    def action_mute(self, _shown_as: str = "") -> None:
        self.post_message(MuteToggled())

    def action_toggle_voice(self, _shown_as: str = "") -> None:
        self.post_message(VoiceToggled())

    def _hold(self) -> bool:
        """Pause for a dialog; return whether the session was running before."""
        was_running = self.runner.hold()
        self.refresh_state()
        return was_running

    def action_cautions(self) -> None:
        if self.runner.ended:
            return
        was_running = self._hold()
        exercise = self.runner.exercise()

        def closed(_: None) -> None:
            self.runner.release(was_running)
            self.refresh_state()

        picture = key_picture(exercise.drawn, self.runner.player.segment.side == "left")
        self.app.push_screen(CautionsScreen(exercise.name, exercise.cautions, DISCLAIMER, picture), closed)

    def action_quit_session(self) -> None:
        if self.runner.ended:
            return
        was_running = self._hold()

        def answered(end: bool | None) -> None:
            if end:
                self._end(quit=True)
            else:
                self.runner.release(was_running)
                self.refresh_state()

        self.app.push_screen(
            ConfirmScreen("End this session now? What you have done so far is kept.", yes="End session", no="Carry on"),
            answered,
        )

    def abandon(self, status: SessionStatus = "quit") -> bool | None:
        """The app is closing: record the session as ``status`` where it stands. Returns
        whether it was a break all the same (enough movement), None if it had ended."""
        return self.runner.abandon(status)

    def _end(self, quit: bool = False) -> None:
        outcome = self.runner.finish("quit" if quit else "completed")
        if outcome is not None:
            self.post_message(SessionEnded(outcome))
