"""The real voice: espeak-ng (its program, as on any Linux) renders a phrase to a WAV with sound in it, of
a length a listener would expect, and a second session finds it in the cache.

Each session runs in a fresh interpreter with a time limit: espeak-ng keeps its rate for
the life of a process, and a hung engine must fail the test, not stall the suite."""

from __future__ import annotations

import array
import json
import subprocess
import sys
import wave
from pathlib import Path

import pytest

SESSION = """
import json, sys
from pathlib import Path
from mobility_coach.adapters.speech import Voice, speech_engine

problems = []
voice = Voice(speech_engine(rate=160), Path(sys.argv[1]), problems.append, rate=160)
voice.prepare([sys.argv[2]])
voice.wait_until_prepared(timeout=20)
path = voice.ready(sys.argv[2])
print(json.dumps({"problems": problems, "path": str(path) if path else None, "rendered": voice.rendered_count,
                  "about": voice.describe()}))
"""
PHRASE = "Open book, left side, hold 20 seconds."


def session(cache: Path) -> dict[str, object]:
    try:
        done = subprocess.run(
            [sys.executable, "-c", SESSION, str(cache), PHRASE],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("rendering one phrase with espeak-ng did not finish within 60s: it hangs", pytrace=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_espeak_renders_a_phrase_and_the_next_session_reuses_it(tmp_path: Path) -> None:
    cache = tmp_path / "speech"
    first = session(cache)
    if first["problems"]:
        pytest.skip(f"the speech engine cannot start here: {first['problems']}")
    assert first["rendered"] == 1 and first["path"]
    assert str(first["about"]).startswith("espeak-ng, voice ")
    path = Path(str(first["path"]))
    with wave.open(str(path)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
        samples = array.array("h", audio.readframes(audio.getnframes()))
    # Seven words and four pauses at 160 words a minute: some two to three seconds.
    assert 1.2 < seconds < 5.0, seconds
    assert max(abs(s) for s in samples) > 3000  # sound, not silence
    modified = path.stat().st_mtime_ns

    second = session(cache)
    assert second == {**first, "rendered": 0}
    assert path.stat().st_mtime_ns == modified
