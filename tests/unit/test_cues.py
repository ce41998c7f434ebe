"""Sound cues: which file each cue plays, and that failing audio only ever means a bell."""

from __future__ import annotations

import subprocess
import sys
import types
import wave
from pathlib import Path

import pytest

from mobility_coach import sound_synth
from mobility_coach.cues import (
    BELL_FOR,
    SOUND_FOR,
    SOUNDS_DIR,
    CuePlayer,
    Playsound3Backend,
    SoundError,
    gstreamer_wav_problem,
    linux_audio_problem,
)


class Recorder:
    def __init__(self) -> None:
        self.played: list[str] = []

    def play(self, path: Path) -> None:
        self.played.append(path.stem)


class Failing:
    def play(self, path: Path) -> None:
        raise SoundError("no audio device")


def make(backend, **kw):  # type: ignore[no-untyped-def]
    bells: list[int] = []
    problems: list[str] = []
    player = CuePlayer(backend, bell=lambda: bells.append(1), on_problem=problems.append, threaded=False, **kw)
    return player, bells, problems


def test_each_cue_kind_plays_its_own_sound() -> None:
    recorder = Recorder()
    player, bells, problems = make(recorder)
    for kind in ("announce", "countdown", "go", "rep", "halfway", "switch", "rest", "done", "next_up"):
        player.cue(kind)  # type: ignore[arg-type]
    assert recorder.played == ["ready", "tick", "go", "rep", "halfway", "switch", "rest", "finish"]
    assert bells == [] and problems == []


def test_muted_plays_nothing_and_rings_nothing() -> None:
    recorder = Recorder()
    player, bells, _ = make(recorder, muted=True)
    player.cue("go")
    assert recorder.played == [] and bells == []


def test_failure_is_reported_once_then_the_bell_marks_the_big_moments() -> None:
    player, bells, problems = make(Failing())
    for kind in ("announce", "go", "countdown", "countdown", "rest", "switch", "done", "rep"):
        player.cue(kind)  # type: ignore[arg-type]
    assert problems == ["no audio device"]
    assert len(bells) == 4  # go, rest, switch, done; not the ticks


def test_any_exception_from_a_backend_is_contained() -> None:
    class Exploding:
        def play(self, path: Path) -> None:
            raise ZeroDivisionError

    player, _, problems = make(Exploding())
    player.cue("go")
    assert problems == ["sound failed: ZeroDivisionError()"]


def test_threaded_playback_plays_in_order_off_the_calling_thread() -> None:
    recorder = Recorder()
    player = CuePlayer(recorder, bell=lambda: None, on_problem=lambda _: None)
    for kind in ("announce", "countdown", "go"):
        player.cue(kind)  # type: ignore[arg-type]
    player.wait_until_played()
    player.close()
    assert recorder.played == ["ready", "tick", "go"]


def fake_playsound3(monkeypatch: pytest.MonkeyPatch, backend: str | None, returncode: int) -> None:
    module = types.ModuleType("playsound3")

    class PlaysoundException(Exception):
        pass

    def playsound(path, block=True):  # type: ignore[no-untyped-def]
        assert block
        return types.SimpleNamespace(subprocess=types.SimpleNamespace(returncode=returncode))

    module.DEFAULT_BACKEND = backend  # type: ignore[attr-defined]
    module.PlaysoundException = PlaysoundException  # type: ignore[attr-defined]
    module.playsound = playsound  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "playsound3", module)


@pytest.fixture
def audio_device(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend this machine has a sound server, so the backend gets as far as playsound3."""
    monkeypatch.setattr("mobility_coach.cues.linux_audio_problem", lambda: None)
    monkeypatch.setattr("mobility_coach.cues.gstreamer_wav_problem", lambda run: None)


def test_playsound3_without_a_player_says_what_to_install(monkeypatch: pytest.MonkeyPatch, audio_device: None) -> None:
    fake_playsound3(monkeypatch, None, 0)
    with pytest.raises(SoundError, match=r"install gstreamer1\.0-plugins-base-apps"):
        Playsound3Backend().play(SOUNDS_DIR / "go.wav")


def test_gstreamer_without_the_wav_plugin_is_noticed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert gstreamer_wav_problem(lambda argv: 1) == "GStreamer cannot play WAV files (install gstreamer1.0-plugins-good)"
    assert gstreamer_wav_problem(lambda argv: 0) is None

    def missing(argv: list[str]) -> int:
        raise FileNotFoundError(argv[0])

    assert gstreamer_wav_problem(missing) is None


def test_a_machine_without_sound_card_or_server_is_noticed(tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir()
    nothing = tmp_path / "no-asound"
    assert linux_audio_problem({}, proc=nothing, run_dir=runtime) == "this machine has no sound card or sound server"
    cards = tmp_path / "asound"
    cards.mkdir()
    (cards / "cards").write_text("--- no soundcards ---\n")
    assert linux_audio_problem({}, proc=cards, run_dir=runtime) is not None
    (cards / "cards").write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n")
    assert linux_audio_problem({}, proc=cards, run_dir=runtime) is None
    assert linux_audio_problem({"PULSE_SERVER": "tcp:host"}, proc=nothing, run_dir=runtime) is None
    (runtime / "pipewire-0").touch()
    assert linux_audio_problem({}, proc=nothing, run_dir=runtime) is None


def test_playsound3_player_that_fails_is_noticed(monkeypatch: pytest.MonkeyPatch, audio_device: None) -> None:
    fake_playsound3(monkeypatch, "gstreamer", 1)
    with pytest.raises(SoundError, match="failed with status 1"):
        Playsound3Backend().play(SOUNDS_DIR / "go.wav")
    fake_playsound3(monkeypatch, "gstreamer", 0)
    Playsound3Backend().play(SOUNDS_DIR / "go.wav")


def test_every_cue_sound_exists_and_is_short_mono_wav() -> None:
    for name in set(SOUND_FOR.values()):
        with wave.open(str(SOUNDS_DIR / f"{name}.wav")) as sound:
            assert sound.getnchannels() == 1 and sound.getframerate() == sound_synth.RATE
            assert 0.02 < sound.getnframes() / sound.getframerate() < 1.0
    assert set(SOUND_FOR) >= BELL_FOR


def test_shipped_sounds_are_what_the_synthesiser_makes() -> None:
    for name in sound_synth.SOUNDS:
        assert (SOUNDS_DIR / f"{name}.wav").read_bytes() == sound_synth.render(name), (
            "run: python -m mobility_coach.sound_synth")


def test_importing_playsound3_here_does_not_crash() -> None:
    # The real module probes for players at import; on a machine without any it must
    # still import (we then report "no audio player").
    done = subprocess.run([sys.executable, "-c", "import playsound3"], capture_output=True, timeout=60, check=False)
    assert done.returncode == 0
