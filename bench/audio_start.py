"""When a cue's audio is heard, from its due time: the voice (cached) beside the plain tone.

    python bench/audio_start.py [--quick]

bench/speech_latency.py stops at the audio backend's play() call, since a machine without
a sound card plays nothing. This bench goes to the end: it starts a private PulseAudio
server with a null sink, records the sink's monitor with ``parec``, and plays the same
short routine in the real app, headless, on the real clock, through the real audio path
(playsound3 and the player it picks: gst-play-1.0 here). For every cue it finds the first
audible sample after its play() call, and reports:

- due → heard: what a user feels (the screen's tick, the queue, the player's start, the
  file's own lead-in, the server's latency);
- play() → heard: the audio player's part alone;

for tones only (the baseline), then for the voice with every phrase rendered ahead (what
a user gets from the second session of a routine on). Rendering on a phrase's turn is
speech_latency.py's business: it costs the same here plus this player's start. It also
reports the first sound's extra cost (the backend probing the system once).

Needs pulseaudio, pulseaudio-utils, gstreamer1.0-plugins-base-apps,
gstreamer1.0-plugins-good and gstreamer1.0-pulseaudio (on Debian). Where the sink cannot
start it says why and falls back to the play()-call measurement of speech_latency.py.
Every wait has a timeout.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # run as a script: its neighbours are modules

from pulse_sink import LOUD, RATE, NoSink, Recording, pulse_sink, record
from speech_latency import (
    GOAL_MS,
    PlayingBackend,
    Run,
    describe,
    play_session,
    routine,
    voice_maker,
)

from mobility_coach.adapters.sound import Playsound3Backend, SoundError, write_silence
from mobility_coach.adapters.speech import Voice, speech_engine
from mobility_coach.core.config import DEFAULT_VOICE_RATE
from mobility_coach.core.routines.model import Routine
from mobility_coach.core.routines.timeline import expand
from mobility_coach.core.session.speech import candidate_phrases

VERBOSE = False  # --verbose: every cue's figures
PLAY_TIMEOUT = 30.0  # no cue's sound lasts this long: a player that does has hung
SESSION_TIMEOUT = 120.0


class HeardBackend(PlayingBackend):
    """The real audio backend, noting when each play() was called; a player that hangs
    is a SoundError after PLAY_TIMEOUT instead of a hung bench."""

    def __init__(self, real: Playsound3Backend) -> None:
        super().__init__()
        self.real = real

    @property
    def start_seconds(self) -> float:
        """The real player's start-up, which the cue player starts that much early for."""
        return self.real.start_seconds

    def play(self, path: Path) -> None:
        self.calls.append((time.monotonic(), path))
        play_within(self.real, path)


def play_within(backend: Playsound3Backend, path: Path) -> None:
    failure: list[BaseException] = []

    def play() -> None:
        try:
            backend.play(path)
        except BaseException as error:  # handed to the caller below
            failure.append(error)

    worker = threading.Thread(target=play, daemon=True)
    worker.start()
    worker.join(PLAY_TIMEOUT)
    if worker.is_alive():
        raise SoundError(f"the audio player did not finish {path.name} within {PLAY_TIMEOUT:.0f} s")
    if failure:
        raise failure[0]


def warm(cache: Path, chosen: Routine) -> str | None:
    """Render every form of every phrase of the routine into ``cache``, as an earlier
    session of it would have, so the measured sessions render nothing; why not, when no
    engine can."""
    problems: list[str] = []
    voice = Voice(speech_engine(DEFAULT_VOICE_RATE), cache, problems.append, rate=DEFAULT_VOICE_RATE)
    voice.prepare(candidate_phrases(expand(chosen), voice.speech_settings()))
    voice.wait_until_prepared()
    voice.close()
    return problems[0] if problems else None


def lead_in(path: Path) -> float:
    """Seconds of silence at the start of a WAV (the player cannot be blamed for them)."""
    with wave.open(str(path)) as audio:
        frames = audio.readframes(audio.getnframes())
        rate = audio.getframerate()
        width, channels = audio.getsampwidth(), audio.getnchannels()
    if width != 2:
        return 0.0
    step = 2 * channels
    for index in range(0, len(frames) - 1, step):
        if abs(int.from_bytes(frames[index : index + 2], "little", signed=True)) > LOUD:
            return index / step / rate
    return 0.0


def heard(run: Run, recording: Recording) -> tuple[dict[bool, list[float]], dict[bool, list[float]], list[str]]:
    """For tones (False) and phrases (True): due → heard and play() → heard, in ms; and
    the cues nothing was heard for."""
    due_ms: dict[bool, list[float]] = {False: [], True: []}
    player_ms: dict[bool, list[float]] = {False: [], True: []}
    unheard: list[str] = []
    for index, cue in enumerate(run.cues):
        until = run.cues[index + 1].called if index + 1 < len(run.cues) else None
        onset = recording.onset_after(cue.called, until)
        if onset is None:
            unheard.append(cue.path.name)
            continue
        due_ms[cue.spoken].append((onset - cue.due) * 1000)
        player_ms[cue.spoken].append((onset - cue.called) * 1000)
    return due_ms, player_ms, unheard


async def session(name: str, make_voice: object, chosen: object, backend: PlayingBackend) -> Run:
    return await asyncio.wait_for(
        play_session(name, make_voice, chosen, backend),  # type: ignore[arg-type]
        SESSION_TIMEOUT,
    )


async def measure_heard(quick: bool, folder: Path) -> bool:
    """The whole measurement through the sink; False when the sink cannot start."""
    chosen = routine(quick)
    cached = folder / "cached"
    if (problem := warm(cached, chosen)) is not None:
        print(f"audio_start: no speech engine, nothing to measure: {problem}", file=sys.stderr)
        sys.exit(0 if quick else 1)
    try:
        with pulse_sink() as env:
            recording = record(env)
            try:
                real = Playsound3Backend()
                silence = write_silence(folder / "silence.wav", 0.2)
                begun = time.monotonic()
                play_within(real, silence)
                first = time.monotonic() - begun
                begun = time.monotonic()
                play_within(real, silence)
                again = time.monotonic() - begun
                backend = HeardBackend(real)
                runs = [await session("tones only (baseline)", None, chosen, backend)]
                backend = HeardBackend(real)
                runs.append(await session("voice, rendered ahead", voice_maker(cached), chosen, backend))
                await asyncio.sleep(0.5)  # the last sound's tail reaches the recorder
            finally:
                recording.stop()
    except NoSink as why:
        print(f"audio_start: no audio sink to record ({why}); the play()-call measurement instead:")
        return False
    print(
        f"audio heard on a PulseAudio null sink ({RATE} Hz, parec at 5 ms latency), "
        "through playsound3 and gst-play-1.0;\n"
        f"the backend's first sound (it probes the system once): {first * 1000:.0f} ms to play 0.2 s of silence, "
        f"then {again * 1000:.0f} ms"
    )
    cached_due: list[float] = []
    for run in runs:
        due_ms, player_ms, unheard = heard(run, recording)
        print(run.name)
        print(f"  tones   due → heard    {describe(due_ms[False])}")
        print(f"          play() → heard {describe(player_ms[False])}")
        print(f"  spoken  due → heard    {describe(due_ms[True])}")
        print(f"          play() → heard {describe(player_ms[True])}")
        if unheard:
            print(f"  NOT HEARD: {', '.join(unheard)}")
        if VERBOSE:
            for index, cue in enumerate(run.cues):
                until = run.cues[index + 1].called if index + 1 < len(run.cues) else None
                onset = recording.onset_after(cue.called, until)
                late = "unheard" if onset is None else f"{(onset - cue.due) * 1000:+7.1f} ms"
                called = (cue.called - cue.due) * 1000
                print(f"    {cue.due - run.cues[0].due:6.2f} s  {late}  play() {called:+7.1f} ms  {cue.path.name}")
        if run.name.startswith("voice, rendered"):
            cached_due = due_ms[True]
    leads = sorted({cue.path for run in runs for cue in run.cues}, key=lambda p: p.name)
    lead_ms = [lead_in(path) * 1000 for path in leads]
    print(f"silence at the start of the files themselves: {min(lead_ms):.0f} to {max(lead_ms):.0f} ms")
    if cached_due:
        spread = statistics.median(cached_due)
        worst = max(cached_due, key=abs)  # early counts as much as late
        verdict = "met" if abs(worst) <= GOAL_MS else "MISSED"
        print(
            f"goal: cached speech heard within {GOAL_MS:.0f} ms of its event: {verdict} "
            f"(median {spread:.1f} ms, furthest {worst:+.1f} ms)"
        )
    return True


async def fallback(quick: bool, folder: Path) -> None:
    chosen = routine(quick)
    cached = folder / "cached-fallback"
    if warm(cached, chosen) is not None:
        return
    for run in [
        await session("tones only (baseline)", None, chosen, PlayingBackend()),
        await session("voice, rendered ahead", voice_maker(cached), chosen, PlayingBackend()),
    ]:
        print(run.name)
        print(f"  tones   due → play()  {describe(run.tone_ms)}")
        print(f"  spoken  due → play()  {describe(run.spoken_ms)}")


async def main(quick: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        if not await measure_heard(quick, Path(folder)):
            await fallback(quick, Path(folder))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="an 8 s routine: the harness runs, no figure to trust")
    parser.add_argument("--verbose", action="store_true", help="every cue: when it was due, heard and played")
    arguments = parser.parse_args()
    VERBOSE = arguments.verbose
    asyncio.run(main(arguments.quick))
