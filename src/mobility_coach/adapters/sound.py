"""Sound cues: which sound each cue makes, played off the UI thread, with a bell fallback.

playsound3 is imported lazily on the worker thread because importing it probes for audio
players with subprocesses. Its non-blocking mode would hide a failed playback (a player
that exits with an error on a machine with no sound card), so the worker plays each sound
blocking and checks the exit status; the first failure switches to the terminal bell and
is reported once through ``on_problem``.

A cue can be handed over before it is due, with the instant it is due: the worker starts
its sound that much earlier than the instant as the audio player takes to be heard (its
``start_seconds``), so a cue is heard on time rather than a player's start-up late.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import wave
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Protocol

from mobility_coach.core.clock import Clock, SystemClock
from mobility_coach.core.routines.timeline import CueKind

if TYPE_CHECKING:
    from mobility_coach.adapters.speech import Voice

SOUNDS_DIR = Path(__file__).parents[1] / "sounds"

SOUND_FOR: dict[CueKind, str] = {
    "announce": "ready",
    "countdown": "tick",
    "go": "go",
    "rep": "rep",
    "halfway": "halfway",
    "switch": "switch",
    "rest": "rest",
    "done": "finish",
}
# Without sound the bell marks only the moments that matter; a bell every second would
# be noise.
BELL_FOR: frozenset[CueKind] = frozenset({"go", "switch", "rest", "done"})


class SoundError(Exception):
    """A sound could not be played; the message says why, for the user."""


class SoundBackend(Protocol):
    def play(self, path: Path) -> None:
        """Play the file to the end, or raise SoundError."""


# How long after play() is called its sound is heard, by audio player: gst-play-1.0 starts
# a process and connects to the sound server (36 ms median, 48 ms p95 on PulseAudio,
# bench/audio_start.py). The others are not measured: a guess on the early side, since a
# cue a few milliseconds early is never heard as early, and a late one is.
PLAYER_START_SECONDS: dict[str, float] = {"gstreamer": 0.035}
OTHER_PLAYER_START_SECONDS = 0.025


def start_delay(due: float | None, now: float, lead: float) -> float:
    """Seconds to wait before starting a sound due at monotonic instant ``due`` whose
    player is heard ``lead`` seconds after it starts; 0 when it is due now or late."""
    if due is None:
        return 0.0
    return max(0.0, due - lead - now)


SERVER_PROBE_SECONDS = 1.0
LINUX_PLAYER_HINT = "on Linux, install gstreamer1.0-plugins-base-apps and gstreamer1.0-plugins-good"


def linux_audio_problem(
    environ: Mapping[str, str] = os.environ, proc: Path = Path("/proc/asound"), run_dir: Path | None = None
) -> str | None:
    """Why no sound can play on this Linux machine, or None if it may.

    Players such as gst-play-1.0 exit 0 even when there is no device to play on, so we
    ask the system: a sound server that answers, or a sound card the kernel knows. A
    server's socket file alone proves nothing: after a crash or a logout it stays behind
    with nobody listening, and every sound then goes nowhere."""
    server = environ.get("PULSE_SERVER", "")
    if server and not server.startswith(("unix:", "/")):
        return None  # a remote server (tcp:host): not ours to probe
    runtime = run_dir or Path(environ.get("XDG_RUNTIME_DIR") or "/nonexistent")
    sockets = [Path(server.removeprefix("unix:"))] if server else [runtime / "pulse" / "native", runtime / "pipewire-0"]
    stale = [path for path in sockets if os.path.lexists(path)]
    if any(_answers(path) for path in stale):
        return None
    cards = proc / "cards"
    try:
        listed = cards.read_text(encoding="utf-8", errors="replace")
    except OSError:
        listed = ""
    if listed.strip() and "no soundcards" not in listed:
        return None  # a card: players can use it directly
    if stale:
        return f"the sound server is not running (nothing answers at {stale[0]})"
    return "this machine has no sound card or sound server"


def _answers(socket_path: Path) -> bool:
    """Whether a server listens at the Unix socket (a stale one refuses at once)."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(SERVER_PROBE_SECONDS)
    try:
        probe.connect(str(socket_path))
    except OSError:
        return False
    finally:
        probe.close()
    return True


def gstreamer_wav_problem(run: Callable[[list[str]], int]) -> str | None:
    """GStreamer plays WAV only with the wavparse plugin (gstreamer1.0-plugins-good), and
    gst-play-1.0 exits 0 without it, so look for the plugin itself."""
    try:
        status = run(["gst-inspect-1.0", "--exists", "wavparse"])
    except OSError:
        return None  # cannot tell; let playback try
    return None if status == 0 else "GStreamer cannot play WAV files (install gstreamer1.0-plugins-good)"


def gstreamer_sink_problem(run: Callable[[list[str]], tuple[int, str]], silence: Path) -> str | None:
    """Whether GStreamer can open an audio sink, found by playing a moment of silence:
    gst-play-1.0 exits 0 when no sink works, but says so on its error output (which
    playsound3 throws away, so every later sound would fail unseen)."""
    try:
        status, errors = run(["gst-play-1.0", "--no-interactive", "--quiet", str(silence)])
    except (OSError, subprocess.SubprocessError):
        return None  # cannot tell; let playback try
    complaint = next((line.strip() for line in errors.splitlines() if "ERROR" in line or "WARNING" in line), None)
    if status == 0 and complaint is None:
        return None
    said = f": {complaint[:120]}" if complaint else f" (status {status})"
    return f"GStreamer cannot play to an audio device{said}"


def _run_quietly(argv: list[str]) -> int:
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10, check=False)
    return done.returncode


def _run_for_errors(argv: list[str]) -> tuple[int, str]:
    done = subprocess.run(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=10,
        check=False,
        text=True,
        errors="replace",
    )
    return done.returncode, done.stderr


def write_silence(path: Path, seconds: float = 0.05) -> Path:
    """A short silent WAV, to test an audio sink without making a sound."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(22050)
        out.writeframes(b"\0\0" * int(22050 * seconds))
    return path


class Playsound3Backend:
    def __init__(self) -> None:
        self._module: ModuleType | None = None

    def prepare(self) -> None:
        """Find the audio player and probe the system now, not at the first cue: that
        takes half a second. Raises SoundError as play() would."""
        self._load()

    @property
    def start_seconds(self) -> float:
        """How long after play() its sound is heard (0 until the player is known)."""
        if self._module is None:
            return 0.0
        return PLAYER_START_SECONDS.get(str(self._module.DEFAULT_BACKEND), OTHER_PLAYER_START_SECONDS)

    def _load(self) -> ModuleType:
        if self._module is None:
            if sys.platform.startswith("linux"):
                problem = linux_audio_problem()
                if problem:
                    raise SoundError(problem)
            # playsound3 logs a warning when it finds no player; we report that ourselves.
            logging.getLogger("playsound3").setLevel(logging.ERROR)
            import playsound3

            if playsound3.DEFAULT_BACKEND is None:
                raise SoundError(f"no audio player found ({LINUX_PLAYER_HINT})")
            if playsound3.DEFAULT_BACKEND == "gstreamer":
                problem = gstreamer_wav_problem(_run_quietly)
                if problem is None:
                    with tempfile.TemporaryDirectory(prefix="mobility-coach-") as folder:
                        silence = write_silence(Path(folder) / "silence.wav")
                        problem = gstreamer_sink_problem(_run_for_errors, silence)
                if problem:
                    raise SoundError(problem)
            self._module = playsound3
        return self._module

    def play(self, path: Path) -> None:
        playsound3 = self._load()
        try:
            sound = playsound3.playsound(path, block=True)
        except playsound3.PlaysoundException as error:
            raise SoundError(str(error)) from None
        except OSError as error:
            raise SoundError(f"the audio player could not start: {error}") from None
        status = getattr(sound.subprocess, "returncode", 0)
        if status:
            raise SoundError(
                f"the audio player ({playsound3.DEFAULT_BACKEND}) failed with status {status}; "
                "is there an audio device?"
            )


class CuePlayer:
    """Turns cue kinds into sounds, or bells when sound is unavailable."""

    def __init__(
        self,
        backend: SoundBackend,
        bell: Callable[[], None],
        on_problem: Callable[[str], None],
        *,
        muted: bool = False,
        threaded: bool = True,
        voice: Voice | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.backend = backend
        self.bell = bell
        self.on_problem = on_problem
        self.muted = muted
        self.voice = voice
        """The spoken voice, played through this same queue; None: tones only."""
        self.problem: str | None = None
        self.clock: Clock = clock or SystemClock()
        """Whose monotonic instants ``at`` is given in; the worker waits in real seconds."""
        self._threaded = threaded
        # A sound file, or a phrase still being rendered (its file, or the tone to play
        # instead when it cannot be had in time): one queue, so nothing ever overlaps.
        self._queue: queue.Queue[_Queued | None] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._withdrawn = threading.Event()  # set: the sounds queued until now are withdrawn

    def cue(self, kind: CueKind, at: float | None = None) -> None:
        """Play the sound for a cue of ``kind``, heard at monotonic instant ``at`` (a cue
        handed over before it is due), else now."""
        if self.muted:
            return
        if self.problem is not None:
            if kind in BELL_FOR:
                self.bell()  # the bell has no start-up delay: rung when handed over
            return
        name = SOUND_FOR.get(kind)
        if name is not None:
            self._submit(SOUNDS_DIR / f"{name}.wav", at)

    def say(self, text: str, kind: CueKind, at: float | None = None) -> None:
        """Speak ``text`` for a cue of ``kind`` (its tone is dropped), heard at ``at`` as
        for cue(); the tone when the voice is off or cannot speak."""
        voice = self.voice
        if self.muted or self.problem is not None or voice is None or not voice.speaking:
            self.cue(kind, at)
            return
        path = voice.ready(text)
        name = SOUND_FOR.get(kind)
        self._submit(path or _Phrase(voice, text, SOUNDS_DIR / f"{name}.wav" if name else None), at)

    @property
    def start_seconds(self) -> float:
        """How long after a sound is started it is heard: a session begins that much
        after it is shown, so that its first cue is heard on time too."""
        return float(getattr(self.backend, "start_seconds", 0.0))

    def warm_up(self) -> None:
        """Have the backend find its audio player now, on the sound thread, so the first
        cue is not late by the search. Quiet: a failure is reported at the first sound."""
        prepare = getattr(self.backend, "prepare", None)
        if self.muted or self.problem is not None or prepare is None or not self._threaded:
            return
        self._submit(_Preparation(prepare))

    def withdraw(self) -> None:
        """Drop the sounds queued so far that have not started: their cues are no longer
        coming when they were due (the session was paused, or jumped)."""
        self._withdrawn.set()
        self._withdrawn = threading.Event()

    def speak(self, text: str) -> None:
        """Say ``text`` after whatever is queued (the alert tone), with no tone of its own:
        nothing when muted or when the voice is off or cannot speak."""
        voice = self.voice
        if self.muted or self.problem is not None or voice is None or not voice.speaking:
            return
        self._submit(voice.ready(text) or _Phrase(voice, text, None))

    def alert(self) -> None:
        """The break-due sound (or the bell without sound): a reminder, not a session cue."""
        if self.muted:
            return
        if self.problem is not None:
            self.bell()
        else:
            self._submit(SOUNDS_DIR / "break.wav")

    def _submit(self, path: Path | _Phrase | _Preparation, at: float | None = None) -> None:
        if not self._threaded:
            if not isinstance(path, _Preparation):
                self._play(path)  # tests: at once and in order; when is the worker's business
            return
        if self._worker is None:
            self._worker = threading.Thread(target=self._work, name="mobility-coach-sound", daemon=True)
            self._worker.start()
        self._queue.put(_Queued(path, at, self._withdrawn))

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            if isinstance(item.sound, _Preparation):
                item.sound.run()
            elif self.problem is None and not item.withdrawn.is_set():
                sound = item.sound.render() if isinstance(item.sound, _Phrase) else item.sound
                lead = getattr(self.backend, "start_seconds", 0.0)
                wait = start_delay(item.at, self.clock.monotonic(), lead)
                # Waiting on the withdrawal: a pause drops a sound still waiting for its time.
                if sound is not None and not (wait and item.withdrawn.wait(wait)):
                    self._play(sound)
            self._queue.task_done()

    def wait_until_played(self) -> None:
        """Block until every queued sound has been played (for tests and benchmarks)."""
        if self._worker is not None:
            self._queue.join()

    def _play(self, item: Path | _Phrase) -> None:
        path = item.render() if isinstance(item, _Phrase) else item
        if path is None or not path.exists():
            # A phrase whose cached file was removed (the user cleared the cache) since it
            # was looked up: that one goes unheard; it is no reason to stop every sound.
            return
        try:
            self.backend.play(path)
        except Exception as error:  # any failure of any backend must never end a session
            self.problem = str(error) if isinstance(error, SoundError) else f"sound failed: {error!r}"
            self.on_problem(self.problem)

    def close(self) -> None:
        if self._worker is not None:
            self._queue.put(None)
        if self.voice is not None:
            self.voice.close()


@dataclass(frozen=True)
class _Preparation:
    """The backend's own preparation, run on the sound thread in the queue's turn."""

    prepare: Callable[[], None]

    def run(self) -> None:
        try:
            self.prepare()
        except Exception:  # said at the first sound, when the same search fails again
            return


@dataclass(frozen=True)
class _Queued:
    """One item of the sound thread's queue: what to play, when, and the event that withdraws it while it waits."""

    sound: Path | _Phrase | _Preparation
    at: float | None
    """The monotonic instant it is to be heard; None: now."""
    withdrawn: threading.Event


@dataclass(frozen=True)
class _Phrase:
    """A phrase that was not rendered ahead: rendered on the sound thread's turn, or,
    when that takes too long or fails, its cue's tone instead."""

    voice: Voice
    text: str
    tone: Path | None

    def render(self) -> Path | None:
        return self.voice.wait_for(self.text) or self.tone
