"""The session runner, with no face: a fake sound and a fake clock drive a whole session,
as any face would (tick, view, intents), and what is heard, shown and recorded agrees."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from mobility_coach.core.clock import FakeClock
from mobility_coach.core.history.store import History
from mobility_coach.core.routines.model import Phase, Spoken
from mobility_coach.core.routines.spoken import with_room_to_speak
from mobility_coach.core.routines.timeline import CueKind
from mobility_coach.core.session.runner import TICK_SECONDS, SessionRunner
from mobility_coach.core.session.speech import SpeechSettings, speaking_time
from tests.unit.builders import EX, routine, step


class FakeVoice:
    def __init__(self) -> None:
        self.speaking = True
        self.problem: str | None = None
        self.prepared: list[str] = []

    def speech_settings(self) -> SpeechSettings:
        return SpeechSettings(speaking_time(3.0))

    def look_up_cached(self, texts: Iterable[str]) -> None:
        pass

    def prepare(self, texts: Iterable[str]) -> None:
        self.prepared.extend(texts)

    def all_ready(self, texts: Iterable[str]) -> bool:
        return set(texts) <= set(self.prepared)


class FakeSound:
    """Records what would be heard: (kind, words or None for a tone, due instant)."""

    def __init__(self, voice: FakeVoice | None = None, start_seconds: float = 0.2) -> None:
        self.voice = voice
        self.start_seconds = start_seconds
        self.heard: list[tuple[CueKind, str | None, float | None]] = []
        self.withdrawn = 0

    def cue(self, kind: CueKind, at: float | None = None) -> None:
        self.heard.append((kind, None, at))

    def say(self, text: str, kind: CueKind, at: float | None = None) -> None:
        self.heard.append((kind, text, at))

    def withdraw(self) -> None:
        self.withdrawn += 1


def run_for(runner: SessionRunner, clock: FakeClock, seconds: float) -> None:
    for _ in range(round(seconds / TICK_SECONDS)):
        clock.advance(TICK_SECONDS)
        runner.tick()


def test_a_session_runs_to_its_outcome_with_no_face(tmp_path: Path) -> None:
    clock = FakeClock()
    sound = FakeSound()
    history = History(tmp_path / "h.sqlite3")
    runner = SessionRunner(routine(step(hold=10), step(hold=10)), clock, sound, history)
    began = clock.monotonic()
    runner.start(shown_after=0.15)
    run_for(runner, clock, 60)
    assert runner.view().finished
    outcome = runner.finish("completed")
    assert outcome is not None and outcome.completed and outcome.steps_done == outcome.steps_total == 2
    assert runner.finish("completed") is None  # once only
    # Every cue reached the sound once, handed over ahead of its due instant, none before the start.
    timed = [at for _, _, at in sound.heard if at is not None]
    assert timed and all(at >= began + 0.35 for at in timed)
    assert [row.status for row in history.sessions()] == ["completed"]


def test_a_pause_withdraws_what_was_handed_over_and_quitting_records_it(tmp_path: Path) -> None:
    clock = FakeClock()
    sound = FakeSound()
    history = History(tmp_path / "h.sqlite3")
    runner = SessionRunner(routine(step(hold=30)), clock, sound, history)
    runner.start()
    run_for(runner, clock, 6)
    heard = len(sound.heard)
    was_running = runner.hold()
    assert was_running and runner.view().paused
    run_for(runner, clock, 20)
    assert len(sound.heard) == heard  # nothing is heard while paused
    runner.release(was_running)
    assert not runner.view().paused
    outcome = runner.finish("quit")
    assert outcome is not None and not outcome.completed
    assert [row.status for row in history.sessions()] == ["quit"]


def test_the_voice_is_planned_again_once_its_phrases_are_ready(tmp_path: Path) -> None:
    clock = FakeClock()
    voice = FakeVoice()
    sound = FakeSound(voice)
    runner = SessionRunner(routine(step(hold=20)), clock, sound, None)
    first_plan = runner.speech
    assert first_plan is not None and voice.prepared  # asked for ahead, before the start
    runner.start()
    runner.tick()
    assert runner.speech is not first_plan  # fitted with the (now ready) phrases' lengths
    run_for(runner, clock, 40)
    spoken = [words for kind, words, _ in sound.heard if words is not None]
    assert spoken and runner.view().finished


def test_a_voice_switched_off_asks_nothing_of_the_engine_until_switched_on(tmp_path: Path) -> None:
    voice = FakeVoice()
    voice.speaking = False
    runner = SessionRunner(routine(step(hold=20)), FakeClock(), FakeSound(voice), None)
    assert voice.prepared == []
    voice.speaking = True
    runner.voice_switched()
    assert voice.prepared


def test_the_caption_is_the_line_being_said_with_or_without_a_voice() -> None:
    phases = Spoken(
        setup="Sit tall.", phases=(Phase("Breathe in, lift.", "Lift"), Phase("Breathe out, round.", "Round"))
    )
    r = with_room_to_speak(routine(step(reps=3, tempo=6.0, exercise=replace(EX, position="seated", spoken=phases))))
    for voice in (None, FakeVoice()):
        clock = FakeClock()
        runner = SessionRunner(r, clock, FakeSound(voice), None)
        runner.start()
        run_for(runner, clock, 0.5)  # after the sound's start-up
        assert runner.view().cue == "Reach, 3 reps. Sit tall."
        run_for(runner, clock, runner.timeline.segments[0].duration or 0)  # the count-in leaves it be
        assert runner.view().cue == "Breathe in, lift."
        run_for(runner, clock, 3.05)
        assert runner.view().cue == "Breathe out, round."
        run_for(runner, clock, 9)
        assert runner.view().cue == "Lift."  # the third rep: its short word


def test_a_rests_caption_is_what_is_said_not_its_silent_next_up() -> None:
    r = with_room_to_speak(routine(step(hold=10), step(hold=10, exercise=replace(EX, name="Bend"))))
    clock = FakeClock()
    runner = SessionRunner(r, clock, FakeSound(), None)
    runner.start()
    run_for(runner, clock, runner.timeline.segments[2].start + 0.5)
    assert runner.view().phase == "rest"
    assert runner.view().cue.startswith("Rest. Next: Bend, hold 10 seconds.")
