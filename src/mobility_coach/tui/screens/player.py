"""The session player: a big countdown, what to do now, what comes next.

The screen only reads the Player (core/session/player.py) and sends it intents; all timing is
the Player's, against the clock the screen is given. A tick several times a second asks the
Player where things stand, plays the cues it returns, and renders the session's view
(core/session/view.py, where the display rules live), updating only what changed.

Sound is handed over a little ahead: each tick the Player heralds the cues due before the
next tick could play them (plus an audio player's start-up), and the cue player starts
each one so that it is heard when due. Their words reach the screen when they are due, so
what is heard and what is shown still agree.
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
from mobility_coach.core.routines.model import Exercise, Routine
from mobility_coach.core.routines.timeline import Cue, Segment, expand
from mobility_coach.core.session.movement import session_was_break
from mobility_coach.core.session.outcome import SessionOutcome
from mobility_coach.core.session.player import Heralded, PauseReason, Player, Status
from mobility_coach.core.session.recorder import SessionRecorder
from mobility_coach.core.session.safety import DISCLAIMER
from mobility_coach.core.session.speech import SpeechPlan, candidate_phrases, finish_line, plan_speech
from mobility_coach.core.session.view import PHASE_LABELS, SessionView, session_view, step_exercise
from mobility_coach.tui.messages import MuteToggled, SessionEnded, VoiceToggled
from mobility_coach.tui.screens.dialogs import CautionsScreen, ConfirmScreen
from mobility_coach.tui.widgets.big_countdown import BigCountdown
from mobility_coach.tui.widgets.countdown_line import CountdownLine
from mobility_coach.tui.widgets.figure_view import FigureView
from mobility_coach.tui.widgets.priority_footer import PriorityFooter
from mobility_coach.tui.widgets.title_bar import TitleBar

TICK_SECONDS = 0.1
# How far ahead cues go to the cue player: a tick, and then some for a late tick and the
# slowest audio player's start (adapters/sound.py).
HERALD_SECONDS = TICK_SECONDS + 0.1
# The player screen's first frame, measured at 80x24 to 160x48 (tens of ms, up to this).
FIRST_FRAME_SECONDS = 0.15

# Key labels that give way first when the footer is short of room (app.tcss hides them
# by width); the keys themselves keep working and stay in the command palette.
FOOTER_PRIORITIES = {
    "restart_step": "-minor",
    "mute": "-minor",
    # Whether the voice speaks matters most to someone about to turn away: shown from 80 columns.
    "toggle_voice('on')": "-low",
    "toggle_voice('off')": "-low",
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
        Binding("m", "mute", "Mute"),
        # The label says whether the voice speaks now (check_action shows the one that is true).
        Binding("v", "toggle_voice('on')", "Voice on"),
        Binding("v", "toggle_voice('off')", "No voice"),
        Binding("c", "cautions", "Cautions"),
        Binding("q", "quit_session", "Quit"),
    ]

    def __init__(self, routine: Routine, clock: Clock, cues: CuePlayer, history: History | None) -> None:
        super().__init__()
        self.routine = routine
        self.clock = clock
        self.cues = cues
        self.history = history
        self.timeline = expand(routine)
        self.player: Player | None = None
        self.recorder: SessionRecorder | None = None
        self.last_cue = ""
        self._coming: list[tuple[float, str]] = []  # (due, words) of heralded cues, for the screen
        self._withdrawals = 0  # the Player's count, as last seen
        self._shown: dict[str, object] = {}
        self._ended = False
        self._keys_for: tuple[bool, bool, bool | None] | None = None  # (paused, self-paced, voice) shown
        self.speech: SpeechPlan | None = None
        """What the voice says at which cue; None without a voice."""
        self._phrases_asked = False
        self._fitted = False  # planned again with every phrase's real length
        self._candidates: tuple[str, ...] = ()

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
            yield ProgressBar(total=max(1.0, self.timeline.timed_seconds), show_eta=False, id="progress")
            yield CountdownLine(id="left")
        yield PriorityFooter(FOOTER_PRIORITIES)

    def on_mount(self) -> None:
        self.title = self.routine.name
        self.player = Player(self.timeline, self.clock)
        self.player.sound_lead = self.cues.start_seconds
        if self.cues.voice is not None:
            voice = self.cues.voice
            if voice.speaking:
                # Phrases an earlier session left in the cache are measured now, so even the
                # first cue is planned with real lengths (its fullest form that fits).
                voice.look_up_cached(candidate_phrases(self.timeline, voice.speech_settings()))
            self.speech = plan_speech(self.timeline, voice.speech_settings())
            self._prepare_phrases()
        self.recorder = SessionRecorder(
            self.history,
            self.routine,
            self.player,
            self.clock.wall,
            on_problem=lambda message: self.notify(message, severity="warning"),
        )
        self._play(self.player.start(lead=self._start_lead()))
        self._hand_over(self.player)
        self.recorder.started()
        self.set_interval(TICK_SECONDS, self.tick)
        self.refresh_state()

    def _start_lead(self) -> float:
        """How long after it is shown the session begins: enough for its first cue to be
        heard on time, which means the audio player's start-up and, while the sound thread
        waits, the screen's own first frame (the UI thread holds the interpreter for it)."""
        start_up = self.cues.start_seconds
        return start_up + FIRST_FRAME_SECONDS if start_up else 0.0

    # --- which keys apply --------------------------------------------------------------

    def _key_state(self) -> tuple[bool, bool, bool | None]:
        """(paused, waiting for Enter, speaking or None without a voice): what decides the
        footer's keys."""
        player = self.player
        voice = self.cues.voice
        # The voice's own switch: muting (m) silences it with everything else, and says so
        # on its own key; shown here, it made "v" look like it turned the voice on.
        speaking = None if voice is None else voice.speaking
        if player is None:
            return False, False, speaking
        return player.status is Status.PAUSED, player.awaiting_done, speaking

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        paused, waiting, speaking = self._key_state()
        if action == "toggle_pause":
            return parameters == (("resume",) if paused else ("pause",))
        if action == "done":
            return waiting
        if action == "toggle_voice":
            return speaking is not None and parameters == (("on",) if speaking else ("off",))
        return True

    # --- the tick ------------------------------------------------------------------

    def tick(self) -> None:
        player = self.player
        if player is None or self._ended:
            return
        was = player.status
        self._fit_speech()
        self._hand_over(player)
        if self.recorder is not None:
            self.recorder.observe()
        if was is Status.RUNNING and player.status is Status.PAUSED and player.pause_reason is PauseReason.SUSPEND:
            self.notify("Paused: the computer was asleep. Press space to carry on.", timeout=15)
        self.refresh_state()

    def _hand_over(self, player: Player) -> None:
        """Play the cues now due, then hand the next ones over ahead of their time."""
        self._play(player.update())
        self._follow_withdrawals(player)
        for heralded in player.herald(HERALD_SECONDS):
            self._play_at(heralded)

    def _play(self, cues: list[Cue]) -> None:
        for cue in cues:
            self._sound(cue, None)
            if cue.kind not in ("countdown", "rep"):
                self.last_cue = cue.text

    def _play_at(self, heralded: Heralded) -> None:
        self._sound(heralded.cue, heralded.due)
        if heralded.cue.kind not in ("countdown", "rep"):
            self._coming.append((heralded.due, heralded.cue.text))

    def _sound(self, cue: Cue, at: float | None) -> None:
        line = self.speech.line_for(cue) if self.speech is not None else None
        if line is None:
            self.cues.cue(cue.kind, at)
        elif cue.kind == "done" and self.player is not None and self.timeline.self_paced_count:
            # Self-paced reps took the time they took: say what was really moved.
            self.cues.say(finish_line(self.player.active_seconds()), cue.kind, at)
        else:
            self.cues.say(line.text, cue.kind, at)

    def _follow_withdrawals(self, player: Player) -> None:
        """Heralded cues the session no longer reaches on time (a pause, a jump) are
        dropped from the sound queue and from the words to come; those due are shown."""
        now = player.clock.monotonic()
        while self._coming and self._coming[0][0] <= now:
            self.last_cue = self._coming.pop(0)[1]
        if player.withdrawals != self._withdrawals:
            self._withdrawals = player.withdrawals
            self.cues.withdraw()
            self._coming.clear()

    def _prepare_phrases(self) -> None:
        """Have the session's phrases rendered ahead, once the voice is to speak: a voice
        switched off asks nothing of the engine (nor says that none is installed)."""
        voice = self.cues.voice
        if self.speech is not None and voice is not None and voice.speaking and not self._phrases_asked:
            self._phrases_asked = True
            # The plan's phrases first; then every other form, whose real lengths let the
            # plan be fitted again (a longer form may fit, or a shorter be needed).
            self._candidates = candidate_phrases(self.timeline, voice.speech_settings())
            voice.prepare(self.speech.phrases())
            voice.prepare(self._candidates)

    def _fit_speech(self) -> None:
        """Once every form is rendered, plan again with their measured lengths."""
        voice = self.cues.voice
        if self._fitted or not self._phrases_asked or voice is None or self.speech is None:
            return
        if voice.problem is not None:
            self._fitted = True  # nothing more will be rendered: the tones play
        elif voice.all_ready(self._candidates):
            self._fitted = True
            self.speech = plan_speech(self.timeline, voice.speech_settings())

    # --- what the screen shows ------------------------------------------------------

    def _changed(self, part: str, value: object) -> bool:
        """Whether a part of the view differs from what is shown: most ticks change nothing."""
        if self._shown.get(part) == value:
            return False
        self._shown[part] = value
        return True

    def _step_exercise(self, segment: Segment) -> Exercise:
        return step_exercise(self.routine, segment)

    def refresh_state(self) -> None:
        """Render the session's view (core/session/view.py) as of now."""
        player = self.player
        if player is None:
            return
        view = session_view(player, player.clock.monotonic(), self.last_cue)
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
        if self._keys_for != (keys := (view.paused, view.awaiting_done, self._key_state()[2])):
            self._keys_for = keys
            self._prepare_phrases()  # the voice may have been switched on
            self.refresh_bindings()
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

    def _intent(self, act: Callable[[Player], object]) -> None:
        """Send an intent to the player, play any cues it answers with, and show the result."""
        if self.player is None:
            return
        cues = act(self.player)
        self._follow_withdrawals(self.player)
        if isinstance(cues, list):
            self._play(cues)
        self._hand_over(self.player)
        if self.recorder is not None:
            self.recorder.observe()
        self.refresh_state()

    def action_toggle_pause(self, _shown_as: str = "") -> None:
        self._intent(Player.toggle_pause)

    def action_done(self) -> None:
        self._intent(Player.done)

    def action_next_step(self) -> None:
        self._intent(Player.next_step)

    def action_previous_step(self) -> None:
        self._intent(Player.previous_step)

    def action_restart_step(self) -> None:
        self._intent(Player.restart_step)

    def action_mute(self) -> None:
        self.post_message(MuteToggled())

    def action_toggle_voice(self, _shown_as: str = "") -> None:
        self.post_message(VoiceToggled())

    def _hold(self) -> bool:
        """Pause for a dialog; return whether the session was running before."""
        assert self.player is not None
        was_running = self.player.status is Status.RUNNING
        self.player.pause()
        self._follow_withdrawals(self.player)
        self.refresh_state()
        return was_running

    def action_cautions(self) -> None:
        if self.player is None:
            return
        was_running = self._hold()
        exercise = self._step_exercise(self.player.segment)

        def closed(_: None) -> None:
            if was_running and self.player:
                self.player.resume()
            self.refresh_state()

        picture = key_picture(exercise.drawn, self.player.segment.side == "left")
        self.app.push_screen(CautionsScreen(exercise.name, exercise.cautions, DISCLAIMER, picture), closed)

    def action_quit_session(self) -> None:
        if self.player is None:
            return
        was_running = self._hold()

        def answered(end: bool | None) -> None:
            if end and self.player:
                self.player.stop()
                self._follow_withdrawals(self.player)
                self._end(quit=True)
            else:
                if was_running and self.player:
                    self.player.resume()
                self.refresh_state()

        self.app.push_screen(
            ConfirmScreen("End this session now? What you have done so far is kept.", yes="End session", no="Carry on"),
            answered,
        )

    def abandon(self, status: SessionStatus = "quit") -> bool | None:
        """The app is closing: record the session as ``status`` where it stands. Returns
        whether it was a break all the same (enough movement), None if it had ended."""
        if self._ended or self.player is None:
            return None
        self._ended = True
        self.player.stop()
        self._follow_withdrawals(self.player)
        if self.recorder is not None:
            self.recorder.ended(status)
        return session_was_break(False, self.player.active_seconds(), self.routine)

    def _end(self, quit: bool = False) -> None:
        if self._ended or self.player is None:
            return
        self._ended = True
        if self.recorder is not None:
            self.recorder.ended("quit" if quit else "completed")
        results = self.player.results()
        done = sum(r.complete for r in results)
        self.post_message(
            SessionEnded(
                SessionOutcome(
                    routine_id=self.routine.id,
                    completed=done == len(results),
                    active_seconds=self.player.active_seconds(),
                    steps_done=done,
                    steps_total=len(results),
                    results=results,
                    recorder=self.recorder,
                    ended_early=quit,
                )
            )
        )
