"""How late the voice starts after its event, cached and uncached, beside the plain tone.

    python bench/speech_latency.py [--quick]

Plays a short routine (get-ready, a hold on both sides, a rest, a second hold: about 35 s)
in the real app, headless, on the real clock, three times in one process:

- tones only (the baseline: the cue player as it was before the voice);
- with the voice, its phrases rendered ahead into the cache (what a user gets);
- with the voice and nothing rendered ahead (each phrase rendered on its turn).

For every cue that makes a sound it records when it would be heard, minus when the cue
was due (the session's start plus the cue's offset), and how far ahead of that the
screen handed the cue over (it heralds cues a tick ahead, so the tick's length does not
make them late). This machine has no sound card, so the backend stands in for the audio
player: it notes the play() call and blocks for the file's length, as a real player
would, and claims gst-play's start-up (35 ms), so a cue counts as heard that long after
its play() call. bench/audio_start.py measures what a recorder really hears.

Then: how long rendering every phrase of a ten-minute routine (floor-mobility) takes
with the real engine into an empty cache, and how the planner's length estimates compare
with the rendered phrases (a phrase longer than its estimate could run into the next
event).

The goal: cached speech starts within 50 ms of its event. The bench fails loudly when
its harness no longer matches the app (a cue that played nothing, or the wrong sound).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mobility_coach.adapters.idle import NoIdle
from mobility_coach.adapters.sound import PLAYER_START_SECONDS, SOUND_FOR, SOUNDS_DIR, CuePlayer
from mobility_coach.adapters.speech import Voice, speech_engine, words_per_second
from mobility_coach.core.clock import SystemClock
from mobility_coach.core.config import DEFAULT_VOICE_RATE, Settings
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.loader import Library, builtin_layer, load_library
from mobility_coach.core.routines.model import Defaults, Exercise, Origin, Routine, Step
from mobility_coach.core.routines.timeline import CueKind, expand
from mobility_coach.core.session.player import Status
from mobility_coach.core.session.speech import SILENT, candidate_phrases, plan_speech, speaking_time
from mobility_coach.tui.app import MobilityCoachApp
from mobility_coach.tui.factory import make_parts
from mobility_coach.tui.screens.finish import FinishScreen
from mobility_coach.tui.screens.player import PlayerScreen

GOAL_MS = 50.0
TONE_NAMES: dict[str, str] = dict(SOUND_FOR)


class StaleHarness(SystemExit):
    def __init__(self, why: str) -> None:
        super().__init__(f"speech_latency: the harness no longer matches the app: {why}")


class PlayingBackend:
    """Notes when play() is called and with what, then blocks for the file's length. It
    claims gst-play's start-up (adapters/sound.py), so the cue player starts it that much
    early, as it would the real player; a cue counts as heard that long after play()."""

    start_seconds = PLAYER_START_SECONDS["gstreamer"]

    def __init__(self) -> None:
        self.calls: list[tuple[float, Path]] = []
        self._lock = threading.Lock()

    def play(self, path: Path) -> None:
        with self._lock:
            self.calls.append((time.monotonic(), path))
        with wave.open(str(path)) as audio:
            seconds = audio.getnframes() / audio.getframerate()
        time.sleep(seconds)


class TimedCuePlayer(CuePlayer):
    """The cue player, noting when the screen hands it each cue (ahead of its time, or late
    by up to a tick when it was not heralded)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handed: list[float] = []
        self._saying = False

    def cue(self, kind: CueKind, at: float | None = None) -> None:
        if not self._saying and kind in SOUND_FOR:  # say() falls back on cue(); "next up" is silent
            self.handed.append(time.monotonic())
        super().cue(kind, at)

    def say(self, text: str, kind: CueKind, at: float | None = None) -> None:
        self.handed.append(time.monotonic())
        self._saying = True
        try:
            super().say(text, kind, at)
        finally:
            self._saying = False


class NotAhead(Voice):
    """A voice asked for nothing ahead: every phrase is rendered when its cue comes."""

    def prepare(self, texts: object) -> None:
        del texts


def routine(quick: bool = False) -> Routine:
    """About 35 s: a get-ready, a hold on both sides, a rest, a second hold; ``quick``:
    one short hold (some 8 s), enough to prove the harness still fits the app."""
    reach = Exercise("reach", "Reach", "standing", ("Stand tall, arms by your sides.",), (), None, None)
    bend = Exercise("bend", "Side bend", "standing", ("Feet hip-width apart.",), (), None, None)
    defaults = Defaults(get_ready=4, rest=6, set_rest=0, switch=3, round_rest=0)
    steps = (
        Step(reach, 7, None, None, "both", 1, None, None, None, None, None),
        Step(bend, 6, None, None, "one", 1, None, None, None, None, None),
    )
    if quick:
        steps = (Step(reach, 4, None, None, "one", 1, None, None, None, None, None),)
    return Routine("bench", "Bench", "Speech latency.", (), defaults, steps, 1, Origin(Path("bench.yaml"), False))


@dataclass(frozen=True)
class PlayedCue:
    due: float
    """The monotonic second the cue was due."""
    spoken: bool
    called: float
    """When the audio backend's play() was called for it."""
    path: Path


@dataclass
class Run:
    name: str
    tone_ms: list[float]
    """Due time to play(), for each tone."""
    spoken_ms: list[float]
    tone_path_ms: list[float]
    """How far ahead of its due time the screen handed each tone over (negative: late)."""
    spoken_path_ms: list[float]
    cues: list[PlayedCue] = field(default_factory=list)
    """Every cue that made a sound, in order: for a recorder to find each one's audio."""


async def play_session(
    name: str, make_voice: Callable[..., Voice] | None, chosen: Routine, backend: PlayingBackend | None = None
) -> Run:
    """One session in the app, headless; ``backend`` plays the sounds (by default it only
    notes the calls and waits for each file's length)."""
    backend = backend or PlayingBackend()

    made: list[TimedCuePlayer] = []

    def cues(bell: Callable[[], None], on_problem: Callable[[str], None], *, muted: bool) -> CuePlayer:
        made.append(TimedCuePlayer(backend, bell, on_problem, muted=muted))
        return made[-1]

    with tempfile.TemporaryDirectory() as home:
        paths = Paths.from_environment({"MOBILITY_COACH_HOME": home})
        parts = make_parts(
            paths,
            {},
            start_routine="bench",
            library=Library(routines={"bench": chosen}),
            clock=SystemClock(),
            make_cues=cues,
            make_voice=make_voice,
            idle=NoIdle(),
            listen_for_reminder=False,
        )
        app = MobilityCoachApp(parts)
        app.state.checkin_date = app.today().isoformat()
        async with app.run_test(size=(80, 24)) as pilot:
            while not any(isinstance(s, PlayerScreen) for s in app.screen_stack):
                await pilot.pause(0.01)
            screen = next(s for s in app.screen_stack if isinstance(s, PlayerScreen))
            player = screen.runner.player
            if player is None:
                raise StaleHarness("the player screen has no player")
            while player.status is Status.READY:
                await asyncio.sleep(0.001)
            if player.index != 0:
                raise StaleHarness("the session was past its first segment when first seen")
            started = player.segment_start  # exact, not sampled (it may lie ahead: start(lead))
            while not isinstance(app.screen, FinishScreen):
                await asyncio.sleep(0.01)
            await pilot.pause(0.3)  # let the finish screen settle before the app closes
            app.cues.wait_until_played()
            speech = screen.runner.speech
        app.cues.close()
    if (make_voice is None) != (speech is None):
        raise StaleHarness("the player screen did not make a speech plan for its voice")
    timeline = player.timeline
    expected: list[tuple[float, str, bool]] = []
    for segment in timeline.segments:
        for cue in segment.cues:
            if cue.kind in SILENT:
                continue
            line = speech.line_for(cue) if speech is not None else None
            expected.append((started + segment.start + cue.at, line.text if line else cue.kind, line is not None))
    handed = made[0].handed if made else []
    if not len(backend.calls) == len(handed) == len(expected):
        raise StaleHarness(
            f"{len(expected)} cues make a sound, the screen handed over {len(handed)}, "
            f"and play() was called {len(backend.calls)} times"
        )
    run = Run(name, [], [], [], [])
    for (due, what, spoken), given, (called, path) in zip(expected, handed, backend.calls, strict=True):
        is_tone = path.parent == SOUNDS_DIR
        if spoken == is_tone or (is_tone and path.stem != TONE_NAMES.get(what)):
            if spoken and is_tone and VOICE_PROBLEMS:
                raise VoiceFailed(f"the cue {what!r} fell back to its tone: {VOICE_PROBLEMS[0]}")
            raise StaleHarness(f"the cue {what!r} played {path.name}")
        heard = called + backend.start_seconds  # what a player with that start-up would do
        (run.spoken_ms if spoken else run.tone_ms).append((heard - due) * 1000)
        (run.spoken_path_ms if spoken else run.tone_path_ms).append((due - given) * 1000)
        run.cues.append(PlayedCue(due, spoken, called, path))
    return run


def describe(values: list[float]) -> str:
    if not values:
        return "(none)"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"n={len(values):3d}  median {statistics.median(values):7.1f} ms  p95 {p95:7.1f} ms  max {max(values):7.1f} ms"
    )


class VoiceFailed(Exception):
    """The speech engine failed during a run: its cues fell back to tones. Not a stale
    harness: espeak-ng now and then renders silence (see the closing notes of issue 11)."""


VOICE_PROBLEMS: list[str] = []  # what the voices of the runs reported


def voice_maker(cache: Path, kind: type[Voice] = Voice) -> Callable[..., Voice]:
    def make(settings: Settings, on_problem: Callable[[str], None], *, on: bool) -> Voice:
        engine = speech_engine(settings.voice_rate, settings.voice_name)

        def problem(text: str) -> None:
            VOICE_PROBLEMS.append(text)
            on_problem(text)

        return kind(engine, cache, problem, rate=settings.voice_rate, on=on)

    return make


def warm(cache: Path, chosen: Routine) -> str | None:
    """Render the bench routine's phrases into ``cache``, as an earlier session would have;
    why not, when no engine can."""
    problems: list[str] = []
    voice = Voice(speech_engine(DEFAULT_VOICE_RATE), cache, problems.append, rate=DEFAULT_VOICE_RATE)
    voice.prepare(plan_speech(expand(chosen), voice.speech_settings()).phrases())
    voice.wait_until_prepared()
    voice.close()
    return problems[0] if problems else None


def prerender_ten_minutes() -> None:
    library = load_library([builtin_layer()])
    timeline = expand(library.routines["floor-mobility"])
    with tempfile.TemporaryDirectory() as cache:
        problems: list[str] = []
        voice = Voice(speech_engine(DEFAULT_VOICE_RATE), Path(cache), problems.append, rate=DEFAULT_VOICE_RATE)
        plan = plan_speech(timeline, voice.speech_settings())
        # What a session asks for: the plan's phrases, then every other form, so the plan
        # can be fitted to their measured lengths.
        phrases = candidate_phrases(timeline, voice.speech_settings())
        begun = time.perf_counter()
        voice.prepare(plan.phrases())
        voice.prepare(phrases)
        voice.wait_until_prepared()
        took = time.perf_counter() - begun
        estimate = speaking_time(words_per_second(DEFAULT_VOICE_RATE))
        over = []
        for text in phrases:
            path = voice.ready(text)
            if path is None:
                raise VoiceFailed(f"{text!r} was not rendered: {problems}")
            with wave.open(str(path)) as audio:
                actual = audio.getnframes() / audio.getframerate()
            over.append((actual - estimate(text), text))
        voice.close()
    print(
        f"\npre-render floor-mobility ({timeline.timed_seconds / 60:.1f} min, {len(plan.lines)} lines, "
        f"{len(phrases)} phrases in all their forms) into an empty cache: {took * 1000:.0f} ms"
    )
    worst, text = max(over)
    print(
        f"the rate's estimate (at {DEFAULT_VOICE_RATE} words a minute) minus the rendered length: "
        f"smallest {-worst * 1000:+.0f} ms ({text!r})"
    )
    if worst > 0:
        print(
            "  a phrase is longer than its estimate: until its forms are rendered (the first "
            "second of a routine's first session) it could delay the next event"
        )


async def main(quick: bool) -> None:
    chosen = routine(quick)
    with tempfile.TemporaryDirectory() as folder:
        cached = Path(folder) / "cached"
        if (problem := warm(cached, chosen)) is not None:
            # Not a stale harness: this machine has no voice to measure (CI installs espeak-ng).
            print(f"speech_latency: no speech engine, nothing to measure: {problem}", file=sys.stderr)
            sys.exit(0 if quick else 1)
        try:
            runs = [
                await play_session("tones only (baseline)", None, chosen),
                await play_session("voice, rendered ahead", voice_maker(cached), chosen),
                await play_session("voice, nothing ahead", voice_maker(Path(folder) / "cold", NotAhead), chosen),
            ]
        except VoiceFailed as failed:
            # The harness ran and matched up to the engine's failure; no figure to trust.
            print(f"speech_latency: the voice failed during a run, no figures: {failed}", file=sys.stderr)
            sys.exit(0 if quick else 1)
    print(
        "delay from a cue's due time to when it would be heard: the audio backend's play() call "
        "plus gst-play's start-up (no sound card here);\n"
        "'ahead' is how long before its due time the screen handed the cue over (negative: late)"
    )
    for run in runs:
        print(f"{run.name}")
        print(f"  tones   due  {describe(run.tone_ms)}")
        print(f"          ahead {describe(run.tone_path_ms)}")
        print(f"  spoken  due  {describe(run.spoken_ms)}")
        print(f"          ahead {describe(run.spoken_path_ms)}")
    cached_max = max(runs[1].spoken_ms)
    verdict = "met" if cached_max <= GOAL_MS else "MISSED"
    print(f"goal: cached speech within {GOAL_MS:.0f} ms of its event: {verdict} (max {cached_max:.1f} ms)")
    try:
        prerender_ten_minutes()
    except VoiceFailed as failed:
        print(f"speech_latency: the voice failed while pre-rendering, no figure: {failed}", file=sys.stderr)
        sys.exit(0 if quick else 1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="an 8 s routine: the harness runs, no figure to trust")
    asyncio.run(main(parser.parse_args().quick))
