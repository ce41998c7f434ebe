"""The voice adapter with a fake engine: phrases rendered once into the cache and reused,
played through the cue player's one queue in place of their tones, and a failing engine
that leaves the tones with one message."""

from __future__ import annotations

import shutil
import sys
import threading
import types
from pathlib import Path

import pytest

from mobility_coach.adapters.sound import CuePlayer
from mobility_coach.adapters.speech import Pyttsx3Engine, SpeechError, Voice, trim_silence
from tests.bounded import within
from tests.fake_voice import FakeEngine, write_wav


class Recorder:
    def __init__(self) -> None:
        self.played: list[Path] = []

    def play(self, path: Path) -> None:
        self.played.append(path)


def make_voice(tmp_path: Path, engine: FakeEngine, problems: list[str], **kw: object) -> Voice:
    return Voice(engine, tmp_path / "cache", problems.append, rate=160, **kw)  # type: ignore[arg-type]


def test_phrases_are_rendered_once_ahead_and_reused_by_the_next_session(tmp_path: Path) -> None:
    problems: list[str] = []
    first = FakeEngine()
    voice = make_voice(tmp_path, first, problems)
    voice.prepare(["Halfway.", "Rest. Next: Bird-dog.", "Halfway."])
    within(10, voice.wait_until_prepared, "rendering two phrases")
    assert first.rendered == ["Halfway.", "Rest. Next: Bird-dog."]
    path = voice.ready("Halfway.")
    assert path is not None and path.parent == tmp_path / "cache" and path.suffix == ".wav"
    voice.close()

    second = FakeEngine()
    again = make_voice(tmp_path, second, problems)
    again.prepare(["Halfway.", "Rest. Next: Bird-dog."])
    within(10, again.wait_until_prepared, "finding two cached phrases")
    assert second.rendered == [] and again.ready("Halfway.") == path
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted(
        p.name for p in {path, again.ready("Rest. Next: Bird-dog.")} if p
    )  # no temporary file left behind
    assert problems == []
    again.close()


def test_the_cache_is_keyed_by_rate_and_voice(tmp_path: Path) -> None:
    problems: list[str] = []
    slow = make_voice(tmp_path, FakeEngine(), problems)
    fast = Voice(FakeEngine(), tmp_path / "cache", problems.append, rate=220)
    for voice in (slow, fast):
        voice.prepare(["Halfway."])
        within(10, voice.wait_until_prepared)
    assert slow.ready("Halfway.") != fast.ready("Halfway.")


def test_a_spoken_cue_plays_the_phrase_instead_of_its_tone(tmp_path: Path) -> None:
    problems: list[str] = []
    voice = make_voice(tmp_path, FakeEngine(), problems)
    voice.prepare(["Halfway."])
    within(10, voice.wait_until_prepared)
    backend = Recorder()
    cues = CuePlayer(backend, lambda: None, problems.append, threaded=False, voice=voice)
    cues.say("Halfway.", "halfway")
    cues.cue("go")
    assert [p.stem for p in backend.played] == [voice.ready("Halfway.").stem, "go"]  # type: ignore[union-attr]
    voice.on = False
    cues.say("Halfway.", "halfway")
    assert backend.played[-1].stem == "halfway"  # the tone, with the voice off
    cues.muted = True
    voice.on = True
    cues.say("Halfway.", "halfway")
    assert len(backend.played) == 3  # muted: nothing at all
    assert problems == []


def test_a_phrase_not_rendered_ahead_is_rendered_on_its_turn(tmp_path: Path) -> None:
    engine = FakeEngine()
    voice = make_voice(tmp_path, engine, [])
    backend = Recorder()
    cues = CuePlayer(backend, lambda: None, lambda _: None, voice=voice)
    cues.say("Routine done: 7 minutes of movement.", "done")
    within(10, cues.wait_until_played, "playing a phrase rendered late")
    cues.close()
    assert engine.rendered == ["Routine done: 7 minutes of movement."]
    assert backend.played == [voice.ready("Routine done: 7 minutes of movement.")]


def test_a_failing_engine_leaves_the_tones_with_one_message(tmp_path: Path) -> None:
    problems: list[str] = []
    voice = make_voice(tmp_path, FakeEngine(fail_start=True), problems)
    voice.prepare(["Halfway.", "Three."])
    within(10, voice.wait_until_prepared)
    backend = Recorder()
    cues = CuePlayer(backend, lambda: None, problems.append, threaded=False, voice=voice)
    for _ in range(3):
        cues.say("Halfway.", "halfway")
    assert [p.stem for p in backend.played] == ["halfway"] * 3
    assert problems == ["no speech engine could start; install espeak-ng"]
    assert not voice.speaking


def test_an_engine_that_fails_mid_session_falls_back_to_the_tone(tmp_path: Path) -> None:
    class Breaking(FakeEngine):
        def render(self, text: str, path: Path) -> None:
            raise RuntimeError("driver crashed")

    problems: list[str] = []
    voice = make_voice(tmp_path, Breaking(), problems)
    backend = Recorder()
    cues = CuePlayer(backend, lambda: None, problems.append, threaded=False, voice=voice)
    within(10, lambda: cues.say("Switch sides.", "switch"), "a phrase whose render fails")
    cues.say("Halfway.", "halfway")
    assert [p.stem for p in backend.played] == ["switch", "halfway"]
    assert problems == ["the speech engine failed: RuntimeError('driver crashed')"]


def test_silence_around_a_phrase_is_trimmed(tmp_path: Path) -> None:
    path = tmp_path / "p.wav"
    write_wav(path, silence=0.4, sound=0.5)
    assert trim_silence(path) == pytest.approx(0.535, abs=0.005)  # the sound, 5 ms before and 30 ms after
    write_wav(path, silence=0.4, sound=0.0)
    with pytest.raises(SpeechError, match="no sound"):
        trim_silence(path)


def test_without_an_engine_the_voice_says_which_package_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = types.ModuleType("pyttsx3")

    def init() -> None:
        raise OSError("libespeak-ng.so.1: cannot open shared object file")

    module.init = init  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyttsx3", module)
    problems: list[str] = []
    voice = Voice(Pyttsx3Engine(160), tmp_path, problems.append, rate=160)
    assert within(10, voice.describe).startswith("no voice: no speech engine could start")
    voice.prepare(["Halfway."])
    assert problems == [
        "no speech engine could start (libespeak-ng.so.1: cannot open shared object file); "
        "install espeak-ng (on Debian and Ubuntu: sudo apt install espeak-ng)"
    ]
    voice.close()


def test_a_rendered_phrase_is_planned_with_its_measured_length(tmp_path: Path) -> None:
    voice = make_voice(tmp_path, FakeEngine(), [])
    guess = voice.spoken_length("Rest. Next: Bird-dog.")
    voice.prepare(["Rest. Next: Bird-dog."])
    within(10, voice.wait_until_prepared)
    # Three words of beeps (0.3 s), 5 ms kept before and 30 ms after, and the player's jitter.
    assert voice.spoken_length("Rest. Next: Bird-dog.") == pytest.approx(0.335 + 0.05, abs=0.01)
    assert guess > 1.0  # the estimate before: words at the rate, pauses and a margin
    assert voice.all_ready(["Rest. Next: Bird-dog."]) and not voice.all_ready(["Halfway."])


def test_a_broken_cached_phrase_is_rendered_again(tmp_path: Path) -> None:
    engine = FakeEngine()
    voice = make_voice(tmp_path, engine, [])
    voice.prepare(["Halfway."])
    within(10, voice.wait_until_prepared)
    path = voice.ready("Halfway.")
    assert path is not None
    voice.close()
    path.write_bytes(b"RIFF\0\0")  # cut short
    again = FakeEngine()
    voice = make_voice(tmp_path, again, [])
    voice.prepare(["Halfway."])
    within(10, voice.wait_until_prepared)
    assert again.rendered == ["Halfway."] and voice.problem is None
    voice.close()


def test_a_phrase_removed_from_the_cache_while_the_app_runs_is_rendered_again(tmp_path: Path) -> None:
    engine = FakeEngine()
    voice = make_voice(tmp_path, engine, [])
    voice.prepare(["Halfway."])
    within(10, voice.wait_until_prepared)
    path = voice.ready("Halfway.")
    assert path is not None
    shutil.rmtree(path.parent)  # the user cleared the cache folder
    assert voice.ready("Halfway.") is None
    again = within(10, lambda: voice.wait_for("Halfway."))
    assert again == path and again.exists() and engine.rendered == ["Halfway.", "Halfway."]
    assert voice.problem is None
    voice.close()


def test_a_hung_engine_costs_its_phrase_the_tone_and_never_holds_the_app_open(tmp_path: Path) -> None:
    release = threading.Event()

    class Hung(FakeEngine):
        def render(self, text: str, path: Path) -> None:
            release.wait(30)  # stuck in the engine (released at the end, not to leak)
            super().render(text, path)

    voice = make_voice(tmp_path, Hung(), [])
    backend = Recorder()
    cues = CuePlayer(backend, lambda: None, lambda _: None, threaded=False, voice=voice)
    try:
        voice.prepare(["Halfway.", "Three."])
        within(10, lambda: cues.say("Three.", "countdown"), "a phrase stuck behind a hung render")
        assert [p.stem for p in backend.played] == ["tick"]  # waited at most 1.5 s, then the tone
        within(5, voice.close, "closing a voice whose engine hangs")
        workers = [t for t in threading.enumerate() if t.name == "mobility-coach-voice" and t.is_alive()]
        assert workers and all(t.daemon for t in workers)  # Python's exit does not wait for it
    finally:
        release.set()


def test_an_earlier_sessions_phrases_are_measured_at_once_once_the_engine_has_started(tmp_path: Path) -> None:
    first = make_voice(tmp_path, FakeEngine(), [])
    first.prepare(["Cat-cow, 10 reps.", "Cat-cow."])
    within(10, first.wait_until_prepared)
    first.close()
    engine = FakeEngine()
    voice = make_voice(tmp_path, engine, [])
    voice.look_up_cached(["Cat-cow, 10 reps."])  # the engine not started yet: nothing known
    assert voice.ready("Cat-cow, 10 reps.") is None
    voice.warm_up()
    within(10, lambda: voice.describe())  # queued behind the warm-up: it has started
    voice.look_up_cached(["Cat-cow, 10 reps.", "Cat-cow.", "Never said."])
    assert voice.all_ready(["Cat-cow, 10 reps.", "Cat-cow."]) and voice.ready("Never said.") is None
    assert voice.spoken_length("Cat-cow, 10 reps.") < 1.0 and engine.rendered == []  # measured, not rendered
    voice.close()
