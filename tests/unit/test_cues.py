"""Sound cues: which file each cue plays, and that failing audio only ever means a bell."""

from __future__ import annotations

import contextlib
import functools
import socket
import subprocess
import sys
import types
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from mobility_coach.adapters import sound_synth
from mobility_coach.adapters.sound import (
    BELL_FOR,
    SOUND_FOR,
    SOUNDS_DIR,
    CuePlayer,
    Playsound3Backend,
    SoundError,
    _run_for_errors,
    gstreamer_sink_problem,
    gstreamer_wav_problem,
    linux_audio_problem,
    start_delay,
    write_silence,
)
from mobility_coach.core.clock import FakeClock
from tests.bounded import within


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


def test_a_sound_due_later_starts_early_by_its_players_start_up() -> None:
    assert start_delay(None, 100.0, 0.035) == 0.0  # not heralded: now
    assert start_delay(100.5, 100.0, 0.035) == pytest.approx(0.465)
    assert start_delay(100.02, 100.0, 0.035) == 0.0  # nearer than the start-up: at once
    assert start_delay(99.0, 100.0, 0.035) == 0.0  # late: at once


class Timed(Recorder):
    start_seconds = 0.035

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.at: list[float] = []

    def play(self, path: Path) -> None:
        self.at.append(self.clock.monotonic())
        super().play(path)


def test_withdrawn_sounds_waiting_for_their_time_are_never_played() -> None:
    clock = FakeClock()
    backend = Timed(clock)
    player = CuePlayer(backend, bell=lambda: None, on_problem=lambda _: None, clock=clock)
    player.cue("countdown", at=clock.monotonic() + 3600)  # would wait an hour
    player.cue("go", at=clock.monotonic() + 3601)
    player.withdraw()  # the session paused
    player.cue("rest", at=clock.monotonic() - 1)  # handed over late: played at once
    within(10, player.wait_until_played)
    player.close()
    assert backend.played == ["rest"]


def test_a_sound_already_due_plays_at_once_in_order() -> None:
    clock = FakeClock()
    backend = Timed(clock)
    player = CuePlayer(backend, bell=lambda: None, on_problem=lambda _: None, clock=clock)
    player.cue("announce")
    player.cue("go", at=clock.monotonic() + 0.01)  # within the player's start-up
    within(10, player.wait_until_played)
    player.close()
    assert backend.played == ["ready", "go"]


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
    monkeypatch.setattr("mobility_coach.adapters.sound.linux_audio_problem", lambda: None)
    monkeypatch.setattr("mobility_coach.adapters.sound.gstreamer_wav_problem", lambda run: None)
    monkeypatch.setattr("mobility_coach.adapters.sound.gstreamer_sink_problem", lambda run, silence: None)


def test_playsound3_without_a_player_says_what_to_install(monkeypatch: pytest.MonkeyPatch, audio_device: None) -> None:
    fake_playsound3(monkeypatch, None, 0)
    with pytest.raises(SoundError, match=r"install gstreamer1\.0-plugins-base-apps"):
        Playsound3Backend().play(SOUNDS_DIR / "go.wav")


def test_gstreamer_without_the_wav_plugin_is_noticed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (
        gstreamer_wav_problem(lambda argv: 1) == "GStreamer cannot play WAV files (install gstreamer1.0-plugins-good)"
    )
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
    with listening(runtime / "pipewire-0"):
        assert linux_audio_problem({}, proc=nothing, run_dir=runtime) is None


@contextlib.contextmanager
def listening(path: Path) -> Iterator[None]:
    """A sound server's socket with a server behind it (connections queue, unanswered)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(4)
    try:
        yield
    finally:
        server.close()


def stale(path: Path) -> Path:
    """A socket file left behind by a sound server that is gone."""
    path.parent.mkdir(parents=True, exist_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.close()
    return path


@pytest.mark.parametrize("name", ["pulse/native", "pipewire-0"])
def test_a_stale_sound_server_socket_is_noticed(tmp_path: Path, name: str) -> None:
    runtime = tmp_path / "run"
    socket_path = stale(runtime / name)
    problem = within(
        5,
        lambda: linux_audio_problem({"XDG_RUNTIME_DIR": str(runtime)}, proc=tmp_path / "none"),
        "probing a stale socket",
    )
    assert problem == f"the sound server is not running (nothing answers at {socket_path})"
    with listening(runtime / "elsewhere" / "native"):
        server = {"PULSE_SERVER": f"unix:{runtime / 'elsewhere' / 'native'}"}
        assert linux_audio_problem(server, proc=tmp_path / "none", run_dir=runtime) is None
    assert linux_audio_problem({"PULSE_SERVER": f"unix:{socket_path}"}, proc=tmp_path / "none") is not None


def test_a_stale_socket_beside_a_sound_card_leaves_the_card_to_try(tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    stale(runtime / "pulse" / "native")
    (tmp_path / "asound").mkdir()
    (tmp_path / "asound" / "cards").write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n")
    assert linux_audio_problem({}, proc=tmp_path / "asound", run_dir=runtime) is None


def test_a_socket_path_that_is_a_plain_file_is_no_server(tmp_path: Path) -> None:
    (tmp_path / "pipewire-0").touch()
    assert linux_audio_problem({}, proc=tmp_path / "none", run_dir=tmp_path) is not None


def test_the_stale_socket_falls_back_to_the_bell_with_the_reason_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = tmp_path / "run"
    stale(runtime / "pulse" / "native")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.delenv("PULSE_SERVER", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(
        "mobility_coach.adapters.sound.linux_audio_problem",
        functools.partial(linux_audio_problem, proc=tmp_path / "none"),
    )
    player, bells, problems = make(Playsound3Backend())
    for kind in ("announce", "go", "countdown", "done"):
        player.cue(kind)  # type: ignore[arg-type]
    assert problems == [f"the sound server is not running (nothing answers at {runtime / 'pulse' / 'native'})"]
    assert len(bells) == 2  # go, done


@pytest.mark.parametrize(
    ("status", "errors", "problem"),
    [
        (0, "", None),
        (
            0,
            "ERROR Could not open audio device for playback. for file:///tmp/silence.wav\n",
            "GStreamer cannot play to an audio device: ERROR Could not open audio device for playback. for "
            "file:///tmp/silence.wav",
        ),
        (
            0,
            "WARNING Failed to find a usable audio sink\n",
            "GStreamer cannot play to an audio device: WARNING Failed to find a usable audio sink",
        ),
        (1, "", "GStreamer cannot play to an audio device (status 1)"),
    ],
)
def test_a_gstreamer_without_a_working_sink_is_noticed(status: int, errors: str, problem: str | None) -> None:
    assert gstreamer_sink_problem(lambda argv: (status, errors), Path("silence.wav")) == problem


def test_the_sink_probe_runs_the_real_player_and_reads_what_it_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stand-in gst-play-1.0 that behaves as the real one does without a sink: exit 0, and
    # the complaint on its error output.
    fake = tmp_path / "bin" / "gst-play-1.0"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'ERROR Could not open audio device for playback.' >&2\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    silence = write_silence(tmp_path / "silence.wav")
    problem = within(15, lambda: gstreamer_sink_problem(_run_for_errors, silence), "the sink probe")
    assert problem == "GStreamer cannot play to an audio device: ERROR Could not open audio device for playback."
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    assert gstreamer_sink_problem(_run_for_errors, silence) is None  # no player: cannot tell


def test_the_silence_is_silent(tmp_path: Path) -> None:
    with wave.open(str(write_silence(tmp_path / "s.wav"))) as sound:
        frames = sound.readframes(sound.getnframes())
    assert frames and set(frames) == {0}


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
            "run: python -m mobility_coach.adapters.sound_synth"
        )


def test_importing_playsound3_here_does_not_crash() -> None:
    # The real module probes for players at import; on a machine without any it must
    # still import (we then report "no audio player").
    done = subprocess.run([sys.executable, "-c", "import playsound3"], capture_output=True, timeout=60, check=False)
    assert done.returncode == 0
