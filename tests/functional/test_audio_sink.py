"""A spoken phrase reaches the speakers: rendered by the real voice (espeak-ng), played
through the cue player and the real audio path (playsound3 and its player) to a private
PulseAudio null sink, and heard there by a recorder as sound, not silence.

It runs in a fresh interpreter with a time limit (the sink's environment stays there, and
a hung player or server fails the test instead of stalling the suite); it skips, saying
why, where the sink, the player or the voice cannot start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PHRASE = "Time to move: Hourly desk break"
LISTEN = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from pulse_sink import NoSink, pulse_sink, record
from mobility_coach.adapters.sound import CuePlayer, Playsound3Backend, SoundError, write_silence
from mobility_coach.adapters.speech import Voice, speech_engine

def say(result):
    print(json.dumps(result))
    sys.exit(0)

problems = []
voice = Voice(speech_engine(rate=160), Path(sys.argv[2]), problems.append, rate=160)
voice.prepare([sys.argv[3]])
voice.wait_until_prepared(timeout=20)
if voice.ready(sys.argv[3]) is None:
    say({"skip": f"the voice cannot render here: {problems}"})
try:
    with pulse_sink() as env:
        recording = record(env)
        backend = Playsound3Backend()
        try:
            backend.play(write_silence(Path(sys.argv[2]) / "silence.wav"))  # a missing player: a skip
        except SoundError as why:
            say({"skip": f"no audio player for the sink: {why}"})
        begun = time.monotonic()
        if not recording.heard_until(begun):
            say({"skip": "the recorder stopped hearing the sink"})
        sound_problems = []
        cues = CuePlayer(backend, lambda: None, sound_problems.append, voice=voice)
        cues.speak(sys.argv[3])
        cues.wait_until_played()
        ended = time.monotonic()
        recording.heard_until(ended + 0.1)  # the tail reaches the recorder
        recording.stop()
        cues.close()
        say({"quiet_before": recording.loud_samples(begun - 0.25, begun), "loud": recording.loud_samples(begun, ended),
             "rate": 22050, "problems": sound_problems})
except NoSink as why:
    say({"skip": f"no PulseAudio null sink here: {why}"})
"""


def test_a_spoken_phrase_is_heard_on_the_sink(tmp_path: Path) -> None:
    try:
        done = subprocess.run(
            [sys.executable, "-c", LISTEN, str(ROOT / "bench"), str(tmp_path / "speech"), PHRASE],
            capture_output=True,
            text=True,
            timeout=90,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("playing one phrase to a null sink did not finish within 90s: it hangs", pytrace=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if "skip" in result:
        pytest.skip(result["skip"])
    assert result["problems"] == []
    assert result["quiet_before"] == 0, "the sink was not silent before the phrase"
    # A second of speech has thousands of loud samples; a player that played nothing, none.
    assert result["loud"] > result["rate"] // 4, f"only {result['loud']} loud samples were heard"
