"""A guided session, run: the one place that drives a session, whatever face shows it.

A face (the session screen, or any other) makes a ``SessionRunner``, calls ``tick``
several times a second and renders ``view()``; a key becomes one of the intents below.
Everything else happens here, against the injected clock:

- the Player (core/session/player.py) keeps the time and the position;
- the cues due are played, and the next ones are handed to the sound ahead of their
  time ("heralded": an audio player takes a moment to start), so they are heard when
  due; a pause or a jump withdraws those not yet due;
- what the voice says is planned from the timeline (core/session/speech.py), and
  planned again with every phrase's measured length once the voice has rendered them;
- the history follows the session (core/session/recorder.py).

A new kind of step starts in the timeline (core/routines/timeline.py, which makes its
segments and cues); the view (core/session/view.py) says how it is shown and
core/session/speech.py what is said for it. Nothing in a face needs to change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal, Protocol

from mobility_coach.core.clock import Clock
from mobility_coach.core.history.store import History, SessionStatus
from mobility_coach.core.routines.model import Exercise, Routine
from mobility_coach.core.routines.timeline import Cue, CueKind, expand
from mobility_coach.core.session.movement import session_was_break
from mobility_coach.core.session.outcome import SessionOutcome
from mobility_coach.core.session.player import Heralded, PauseReason, Player, Status
from mobility_coach.core.session.recorder import SessionRecorder
from mobility_coach.core.session.speech import (
    NUMBER_WORDS,
    SpeechPlan,
    SpeechSettings,
    candidate_phrases,
    caption_settings,
    finish_line,
    plan_speech,
)
from mobility_coach.core.session.view import SessionView, session_view, step_exercise

TICK_SECONDS = 0.1
"""How often a face should call ``tick``."""
# How far ahead cues go to the sound: a tick, and then some for a late tick and the
# slowest audio player's start (adapters/sound.py).
HERALD_SECONDS = TICK_SECONDS + 0.1

# Cues whose words are not shown as "the last thing said": counts and rep tones.
_UNSHOWN: frozenset[CueKind] = frozenset({"countdown", "rep"})


class SessionVoice(Protocol):
    """The voice as the runner uses it (adapters/speech.py's Voice)."""

    @property
    def speaking(self) -> bool: ...

    @property
    def problem(self) -> str | None: ...

    def speech_settings(self) -> SpeechSettings: ...

    def look_up_cached(self, texts: Iterable[str]) -> None: ...

    def prepare(self, texts: Iterable[str]) -> None: ...

    def all_ready(self, texts: Iterable[str]) -> bool: ...


class SessionSound(Protocol):
    """Where cues are heard (adapters/sound.py's CuePlayer): ``at`` is the monotonic
    instant a heralded cue is due, None for now."""

    @property
    def voice(self) -> SessionVoice | None: ...

    @property
    def start_seconds(self) -> float: ...

    def cue(self, kind: CueKind, at: float | None = None) -> None: ...

    def say(self, text: str, kind: CueKind, at: float | None = None) -> None: ...

    def withdraw(self) -> None: ...


class SessionRunner:
    """One session of one routine, from its start to its outcome."""

    def __init__(
        self,
        routine: Routine,
        clock: Clock,
        sound: SessionSound,
        history: History | None,
        on_problem: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.routine = routine
        self.timeline = expand(routine)
        self.sound = sound
        self.player = Player(self.timeline, clock)
        self.player.sound_lead = sound.start_seconds
        self.recorder = SessionRecorder(history, routine, self.player, clock.wall, on_problem=on_problem)
        self.last_cue = ""
        """The caption: the line being said (or, where nothing is said, the last cue's
        words; counts and rep tones leave it as it was)."""
        self.ended = False
        self.speech: SpeechPlan | None = None
        """What the voice says at which cue; None without a voice."""
        self._coming: list[tuple[float, str]] = []  # (due, words) of heralded cues, shown when due
        self._withdrawals = 0  # the Player's count, as last seen
        self._phrases_asked = False
        self._fitted = False  # planned again with every phrase's real length
        self._candidates: tuple[str, ...] = ()
        voice = sound.voice
        if voice is not None:
            if voice.speaking:
                # Phrases an earlier session left in the cache are measured now, so even the
                # first cue is planned with real lengths (its fullest form that fits).
                voice.look_up_cached(candidate_phrases(self.timeline, voice.speech_settings()))
            self.speech = plan_speech(self.timeline, voice.speech_settings())
            self.voice_switched()
        # Without a voice the lines are still shown, as captions, at the default voice's pace.
        self._captions = self.speech or plan_speech(self.timeline, caption_settings())

    def start(self, shown_after: float = 0.0) -> None:
        """Begin, leaving time for the first cue to be heard on time: the audio player's
        start-up and, while the sound thread waits, ``shown_after`` (the face's first
        frame: the UI thread holds the interpreter for it)."""
        start_up = self.sound.start_seconds
        self._play(self.player.start(lead=start_up + shown_after if start_up else 0.0))
        self._hand_over()
        self.recorder.started()

    # --- as time passes -----------------------------------------------------------

    def tick(self) -> bool:
        """Move the session on to now. Returns True when it has just paused itself
        because the machine slept (the face says so)."""
        player = self.player
        if self.ended:
            return False
        was = player.status
        self._fit_speech()
        self._hand_over()
        self.recorder.observe()
        return was is Status.RUNNING and player.status is Status.PAUSED and player.pause_reason is PauseReason.SUSPEND

    def view(self) -> SessionView:
        """What the session shows, says and draws now."""
        return session_view(self.player, self.player.clock.monotonic(), self.last_cue)

    def exercise(self) -> Exercise:
        """The exercise of the step the session is on."""
        return step_exercise(self.routine, self.player.segment)

    # --- intents ------------------------------------------------------------------

    def toggle_pause(self) -> None:
        self._intent(Player.toggle_pause)

    def done(self) -> None:
        self._intent(Player.done)

    def next_step(self) -> None:
        self._intent(Player.next_step)

    def previous_step(self) -> None:
        self._intent(Player.previous_step)

    def restart_step(self) -> None:
        self._intent(Player.restart_step)

    def hold(self) -> bool:
        """Pause for a dialog; returns whether the session was running before."""
        was_running = self.player.status is Status.RUNNING
        self.player.pause()
        self._follow_withdrawals()
        return was_running

    def release(self, was_running: bool) -> None:
        """The dialog ``hold`` paused for has closed."""
        if was_running and not self.ended:
            self.player.resume()

    def voice_switched(self) -> None:
        """The voice may have been switched on: have the session's phrases rendered ahead,
        once it is to speak (a voice switched off asks nothing of the engine, nor says
        that none is installed)."""
        voice = self.sound.voice
        if self.speech is not None and voice is not None and voice.speaking and not self._phrases_asked:
            self._phrases_asked = True
            # The plan's phrases first; then every other form, whose real lengths let the
            # plan be fitted again (a longer form may fit, or a shorter be needed).
            self._candidates = candidate_phrases(self.timeline, voice.speech_settings())
            voice.prepare(self.speech.phrases())
            voice.prepare(self._candidates)

    # --- the end ------------------------------------------------------------------

    def finish(self, how: Literal["completed", "quit"]) -> SessionOutcome | None:
        """The session reached its end, or the user ended it: record it and say what it
        amounts to. None if it had ended already."""
        if self.ended:
            return None
        self.ended = True
        if how == "quit":
            self.player.stop()
            self._follow_withdrawals()
        self.recorder.ended(how)
        results = self.player.results()
        done = sum(result.complete for result in results)
        return SessionOutcome(
            routine_id=self.routine.id,
            completed=done == len(results),
            active_seconds=self.player.active_seconds(),
            steps_done=done,
            steps_total=len(results),
            results=results,
            recorder=self.recorder,
            ended_early=how == "quit",
        )

    def abandon(self, status: SessionStatus = "quit") -> bool | None:
        """The app is closing: record the session as ``status`` where it stands. Returns
        whether it was a break all the same (enough movement), None if it had ended."""
        if self.ended:
            return None
        self.ended = True
        self.player.stop()
        self._follow_withdrawals()
        self.recorder.ended(status)
        return session_was_break(False, self.player.active_seconds(), self.routine)

    # --- sound ----------------------------------------------------------------------

    def _intent(self, act: Callable[[Player], object]) -> None:
        """Send an intent to the player and play any cues it answers with."""
        if self.ended:
            return
        cues = act(self.player)
        self._follow_withdrawals()
        if isinstance(cues, list):
            self._play(cues)
        self._hand_over()
        self.recorder.observe()

    def _hand_over(self) -> None:
        """Play the cues now due, then hand the next ones over ahead of their time."""
        self._play(self.player.update())
        self._follow_withdrawals()
        for heralded in self.player.herald(HERALD_SECONDS):
            self._play_at(heralded)

    def _play(self, cues: list[Cue]) -> None:
        for cue in cues:
            self._sound(cue, None)
            caption = self._caption(cue)
            if caption is not None:
                self.last_cue = caption

    def _play_at(self, heralded: Heralded) -> None:
        self._sound(heralded.cue, heralded.due)
        caption = self._caption(heralded.cue)
        if caption is not None:
            self._coming.append((heralded.due, caption))

    def _caption(self, cue: Cue) -> str | None:
        """What the caption shows from ``cue`` on: the line said for it, else its words
        (None for a count or a rep's tone, which leave the caption as it was)."""
        line = (self.speech or self._captions).line_for(cue)
        if line is not None:
            counted = line.kind == "countdown" or line.text.rstrip(".").lower() in NUMBER_WORDS
            return None if counted else line.text
        return None if cue.kind in _UNSHOWN or cue.kind in ("phase", "next_up") else cue.text

    def _sound(self, cue: Cue, at: float | None) -> None:
        line = self.speech.line_for(cue) if self.speech is not None else None
        if line is None:
            self.sound.cue(cue.kind, at)
        elif cue.kind == "done" and self.timeline.self_paced_count:
            # Self-paced reps took the time they took: say what was really moved.
            self.sound.say(finish_line(self.player.active_seconds()), cue.kind, at)
        else:
            self.sound.say(line.text, cue.kind, at)

    def _follow_withdrawals(self) -> None:
        """Heralded cues the session no longer reaches on time (a pause, a jump) are
        dropped from the sound queue and from the words to come; those due are shown."""
        now = self.player.clock.monotonic()
        while self._coming and self._coming[0][0] <= now:
            self.last_cue = self._coming.pop(0)[1]
        if self.player.withdrawals != self._withdrawals:
            self._withdrawals = self.player.withdrawals
            self.sound.withdraw()
            self._coming.clear()

    def _fit_speech(self) -> None:
        """Once every form is rendered, plan again with their measured lengths."""
        voice = self.sound.voice
        if self._fitted or not self._phrases_asked or voice is None or self.speech is None:
            return
        if voice.problem is not None:
            self._fitted = True  # nothing more will be rendered: the tones play
        elif voice.all_ready(self._candidates):
            self._fitted = True
            self.speech = self._captions = plan_speech(self.timeline, voice.speech_settings())
