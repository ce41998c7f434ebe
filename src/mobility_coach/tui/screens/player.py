"""The session player: a big countdown, what to do now, what comes next.

The screen only reads the Player (core/session/player.py) and sends it intents; all timing is
the Player's, against the clock the screen is given. A tick several times a second asks the
Player where things stand, plays the cues it returns and updates only what changed.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Digits, Header, ProgressBar, Static

from mobility_coach.adapters.sound import CuePlayer
from mobility_coach.core.clock import Clock
from mobility_coach.core.durations import format_clock, format_duration
from mobility_coach.core.history.store import History, SessionStatus
from mobility_coach.core.routines.model import Exercise, Routine
from mobility_coach.core.routines.timeline import Cue, Segment, expand
from mobility_coach.core.session.outcome import SessionOutcome
from mobility_coach.core.session.player import PauseReason, Player, Status
from mobility_coach.core.session.recorder import SessionRecorder
from mobility_coach.core.session.safety import DISCLAIMER
from mobility_coach.tui.messages import MuteToggled, SessionEnded
from mobility_coach.tui.screens.dialogs import CautionsScreen, ConfirmScreen
from mobility_coach.tui.widgets.big_countdown import BigCountdown
from mobility_coach.tui.widgets.priority_footer import PriorityFooter

TICK_SECONDS = 0.1

PHASE_NAMES = {"get_ready": "GET READY", "work": "WORK", "switch": "SWITCH SIDES", "rest": "REST"}

# Key labels that give way first when the footer is short of room (app.tcss hides them
# by width); the keys themselves keep working and stay in the command palette.
FOOTER_PRIORITIES = {"restart_step": "-minor", "mute": "-minor", "quit": "-minor", "previous_step": "-low"}


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
        self._shown: dict[str, object] = {}
        self._ended = False
        self._keys_for: tuple[bool, bool] | None = None  # (paused, self-paced) the footer shows

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="player"):
            with Vertical(id="now"):
                yield Static(id="phase")
                yield Digits("0:00", id="countdown")
                yield BigCountdown(id="countdown-big")
                yield Static(id="exercise")
                yield Static(id="detail")
                yield Static(id="cue")
                yield Static(id="next")
                yield Static(id="instructions")
            with VerticalScroll(id="steps-box"):
                yield Static(id="steps")
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=max(1.0, self.timeline.timed_seconds), show_eta=False, id="progress")
            yield Static(id="left")
        yield PriorityFooter(FOOTER_PRIORITIES)

    def on_mount(self) -> None:
        self.title = self.routine.name
        self.player = Player(self.timeline, self.clock)
        self.recorder = SessionRecorder(
            self.history,
            self.routine,
            self.player,
            self.clock.wall,
            on_problem=lambda message: self.notify(message, severity="warning"),
        )
        self._play(self.player.start())
        self.recorder.started()
        self.set_interval(TICK_SECONDS, self.tick)
        self.refresh_state()

    # --- which keys apply --------------------------------------------------------------

    def _key_state(self) -> tuple[bool, bool]:
        """(paused, waiting for Enter): what decides the footer's keys."""
        player = self.player
        if player is None:
            return False, False
        paused = player.status is Status.PAUSED
        return paused, player.status is Status.RUNNING and player.segment.duration is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        paused, waiting = self._key_state()
        if action == "toggle_pause":
            return parameters == (("resume",) if paused else ("pause",))
        if action == "done":
            return waiting
        return True

    # --- the tick ------------------------------------------------------------------

    def tick(self) -> None:
        player = self.player
        if player is None or self._ended:
            return
        was = player.status
        self._play(player.update())
        if self.recorder is not None:
            self.recorder.observe()
        if was is Status.RUNNING and player.status is Status.PAUSED and player.pause_reason is PauseReason.SUSPEND:
            self.notify("Paused: the computer was asleep. Press space to carry on.", timeout=15)
        self.refresh_state()

    def _play(self, cues: list[Cue]) -> None:
        for cue in cues:
            self.cues.cue(cue.kind)
            if cue.kind not in ("countdown", "rep"):
                self.last_cue = cue.text

    # --- what the screen shows ------------------------------------------------------

    def _set(self, widget_id: str, value: object) -> None:
        """Update a widget only when its content changed: most ticks change nothing."""
        if self._shown.get(widget_id) == value:
            return
        self._shown[widget_id] = value
        if widget_id == "countdown":
            self.query_one("#countdown", Digits).update(str(value))
            self.query_one("#countdown-big", BigCountdown).value = str(value)
        elif widget_id == "progress":
            self.query_one("#progress", ProgressBar).update(progress=float(value))  # type: ignore[arg-type]
        else:
            self.query_one(f"#{widget_id}", Static).update(value)  # type: ignore[arg-type]

    def _step_exercise(self, segment: Segment) -> Exercise:
        return segment.exercise or self.routine.steps[segment.step].exercise

    def _next_work(self, *, after_current: bool = False) -> Segment | None:
        """The next work segment; with ``after_current``, the one after the work this
        get-ready leads into (what comes *next*, not what comes now)."""
        assert self.player is not None
        works = (s for s in self.timeline.segments[self.player.index + 1 :] if s.kind == "work")
        if after_current and self.player.segment.kind in ("get_ready", "rest"):
            next(works, None)  # already named on screen as what comes now
        return next(works, None)

    def refresh_state(self) -> None:
        player = self.player
        if player is None:
            return
        if player.status is Status.FINISHED:
            self._end()
            return
        segment = player.segment
        paused = player.status is Status.PAUSED
        if self._keys_for != (keys := self._key_state()):
            self._keys_for = keys
            self.refresh_bindings()
        phase = "YOUR PACE" if segment.kind == "work" and segment.self_paced else PHASE_NAMES[segment.kind]
        for kind in PHASE_NAMES:
            self.set_class(segment.kind == kind, f"phase-{kind}")
        self.set_class(paused, "paused")
        phase_text = Text(f" {phase} ", style="bold reverse")
        if paused:
            phase_text.append("  PAUSED, press space to carry on", style="bold")
        self._set("phase", phase_text)

        remaining = player.remaining()
        self._set("countdown", format_clock(player.elapsed() if remaining is None else remaining))

        exercise = self._step_exercise(segment)
        if segment.kind == "rest":
            upcoming = self._next_work()
            title = Text("Rest", style="bold")
            if upcoming is not None and upcoming.exercise is not None:
                exercise = upcoming.exercise  # its cues, to read while resting
        else:
            title = Text(exercise.name, style="bold")
            if segment.side:
                title.append(f"  {segment.side} side")
        self._set("exercise", title)

        detail = []
        if segment.sets > 1:
            detail.append(f"set {segment.set} of {segment.sets}")
        if segment.kind == "work":
            if segment.self_paced:
                detail.append(f"{segment.reps} reps at your own pace: press Enter when done")
            elif segment.reps is not None:
                detail.append(f"rep {player.rep()} of {segment.reps}")
            else:
                detail.append(f"hold {format_duration(segment.duration or 0)}")
        if self.routine.rounds > 1:
            detail.append(f"round {segment.round} of {self.routine.rounds}")
        self._set("detail", " · ".join(detail))
        self._set("cue", Text(self.last_cue, style="italic"))

        instructions = Text()
        for number, line in enumerate(exercise.cues, 1):
            instructions.append(f"{number}. {line}\n")
        note = self.routine.steps[segment.step].note if segment.kind != "rest" else None
        if note:
            instructions.append(note, style="italic")
        self._set("instructions", instructions)

        self._set("steps", self._steps_text(player))
        upcoming = self._next_work(after_current=True)
        lead = "Then" if segment.kind in ("get_ready", "rest") else "Next"
        if upcoming is None:
            next_text = f"{lead}: finish"
        else:
            name = upcoming.exercise.name if upcoming.exercise else upcoming.label
            side = f", {upcoming.side} side" if upcoming.side else ""
            next_text = f"{lead}: {name}{side}"
        self._set("next", next_text)
        total_left = player.total_remaining()
        # Whole seconds: a cell of the bar spans several, so finer updates only cost CPU.
        self._set("progress", int(self.timeline.timed_seconds - total_left))
        self._set("left", f"{format_clock(total_left)} left")
        self.sub_title = f"step {player.unit_index + 1} of {player.unit_count}"

    def _steps_text(self, player: Player) -> Text:
        text = Text()
        current = player.unit_index
        for i, result in enumerate(player.results()):
            marker = "▶ " if i == current else ("✓ " if result.complete else "  ")
            prefix = f"R{result.round} " if self.routine.rounds > 1 else ""
            style = "bold reverse" if i == current else ("dim" if result.complete else "")
            text.append(f"{marker}{prefix}{result.name}\n", style=style)
        return text

    # --- intents -------------------------------------------------------------------

    def _intent(self, act: Callable[[Player], object]) -> None:
        """Send an intent to the player, play any cues it answers with, and show the result."""
        if self.player is None:
            return
        cues = act(self.player)
        if isinstance(cues, list):
            self._play(cues)
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

    def _hold(self) -> bool:
        """Pause for a dialog; return whether the session was running before."""
        assert self.player is not None
        was_running = self.player.status is Status.RUNNING
        self.player.pause()
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

        self.app.push_screen(CautionsScreen(exercise.name, exercise.cautions, DISCLAIMER), closed)

    def action_quit_session(self) -> None:
        if self.player is None:
            return
        was_running = self._hold()

        def answered(end: bool | None) -> None:
            if end and self.player:
                self.player.stop()
                self._end(quit=True)
            else:
                if was_running and self.player:
                    self.player.resume()
                self.refresh_state()

        self.app.push_screen(
            ConfirmScreen("End this session now? What you have done so far is kept.", yes="End session", no="Carry on"),
            answered,
        )

    def abandon(self, status: SessionStatus = "quit") -> None:
        """The app is closing: record the session as ``status`` where it stands."""
        if not self._ended and self.player is not None:
            self._ended = True
            self.player.stop()
            if self.recorder is not None:
                self.recorder.ended(status)

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
                )
            )
        )
