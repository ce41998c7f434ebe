"""The spoken voice: phrases rendered ahead of time into the cache, then played as cue sounds.

The platform's offline voice: espeak-ng on Linux (its own program, see
adapters/espeak_program.py), the system voice on macOS (its ``say`` program, see
adapters/say_program.py) and SAPI5 on Windows through pyttsx3. Rendering a phrase takes
a moment (and more on some platforms), so a session's phrases are rendered before they
are needed, on one worker thread, into the user's cache folder under a name made from
the text, the voice and the rate; a phrase said in an earlier session is never rendered
again. A rendered phrase is an audio file the cue player (adapters/sound.py) plays like
any tone, through the same queue, so the voice costs no latency and never overlaps a tone.

Where no engine can start (no espeak-ng), the voice says why once, with the package to
install, and the tones carry on; nothing here may end a session.
"""

from __future__ import annotations

import array
import atexit
import contextlib
import functools
import hashlib
import os
import queue
import sys
import tempfile
import threading
import wave
from collections.abc import Callable, Iterable
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, TypeVar

from mobility_coach.adapters.espeak_program import EspeakProgramEngine, find_program
from mobility_coach.adapters.say_program import SayProgramEngine
from mobility_coach.adapters.voices import INSTALL_HINT, EngineInfo, SpeechEngine, SpeechError, choose_voice
from mobility_coach.core.session.speech import SpeechSettings, speaking_time, words_per_second
from mobility_coach.core.userfiles import make_private_folder

__all__ = ["INSTALL_HINT", "EngineInfo", "SpeechEngine", "SpeechError", "Voice", "speech_engine"]

# pyttsx3's driver names, as people know the engines.
# Silence above this level (of 32767) is speech; the voice's own lead-in is cut to
# LEAD_KEEP_SECONDS, so a phrase starts on its cue, and its trailing pause to
# TAIL_KEEP_SECONDS, so it ends when its words do (the last sound fades out).
SILENCE_LEVEL = 200
LEAD_KEEP_SECONDS = 0.005
TAIL_KEEP_SECONDS = 0.03
# Part of each cached phrase's name: a change to how phrases are rendered or trimmed
# renders them again, instead of playing the old files.
RENDER_FORMAT = "2"
# A rendered phrase's length is known, and the cue player starts it early by its audio
# player's start-up (adapters/sound.py); this covers how much that start-up varies.
PLAYER_JITTER_SECONDS = 0.05
# How long the cue player waits for a phrase that was not rendered ahead before it plays
# the tone instead: a late phrase would be worse than none.
RENDER_WAIT_SECONDS = 1.5


# pyttsx3.init() hands every caller in a process the same engine object, and the espeak
# driver works only on the thread that first drove it: two voices (a session's and the
# break prompt's, or a bench's several) rendering on threads of their own made espeak-ng
# fail renders with an empty error. So every use of pyttsx3 in the process runs on one
# thread of its own, made when first needed.
_PYTTSX3_TURN = threading.Lock()
_PYTTSX3_SECONDS = 60.0  # a render or a start that takes longer has hung
RENDER_ATTEMPTS = 3  # renders of a phrase before it counts as unspeakable


class Pyttsx3Engine:
    """The platform's offline voice through pyttsx3 (SAPI5: Windows)."""

    suffix = ".wav"

    def __init__(self, rate: int, voice_name: str | None = None) -> None:
        self.rate = rate
        self.voice_name = voice_name
        self._engine: Any = None

    def start(self) -> EngineInfo:
        return _on_pyttsx3_thread(self._start)

    def _start(self) -> EngineInfo:
        try:
            import pyttsx3  # type: ignore[import-untyped, import-not-found, unused-ignore]  # Windows only

            engine = _one_engine(pyttsx3)
        except ImportError:
            raise SpeechError("pyttsx3 is not installed (on Windows run bootstrap.py again)") from None
        except Exception as error:  # each platform's driver fails its own way
            raise SpeechError(f"no speech engine could start ({error}); {INSTALL_HINT}") from None
        voices = list(engine.getProperty("voices") or [])
        chosen = choose_voice(voices, self.voice_name, engine.getProperty("voice"))
        # pyttsx3 takes the rate and voice set before its first phrase; they stay for the
        # process, which is what a session needs.
        engine.setProperty("rate", self.rate)
        if chosen is not None and engine.getProperty("voice") != chosen.id:
            # Set again, the same voice has made a driver's next phrase silent.
            engine.setProperty("voice", chosen.id)
        self._engine = engine
        name = str(chosen.name) if chosen is not None else "default"
        voice_id = str(chosen.id) if chosen is not None else "default"
        # Made only on Windows (speech_engine), where pyttsx3's driver is always SAPI5.
        return EngineInfo("SAPI5", name, voice_id)

    def render(self, text: str, path: Path) -> None:
        if self._engine is None:
            raise SpeechError("the speech engine was not started")
        engine = self._engine

        def render() -> None:
            # The engine is shared (see _PYTTSX3_TURN): this voice's rate goes with its phrase.
            engine.setProperty("rate", self.rate)
            engine.save_to_file(text, str(path))
            engine.runAndWait()

        _on_pyttsx3_thread(render)


def speech_engine(rate: int, voice_name: str | None = None) -> SpeechEngine:
    """The platform's offline voice: on Linux the espeak-ng program (see
    adapters/espeak_program.py for why not through pyttsx3; where it is not installed the
    voice says which package to install, rather than fall back to pyttsx3's unreliable
    espeak driver), on macOS its ``say`` program, on Windows SAPI5 through pyttsx3.
    Starts nothing yet."""
    if sys.platform == "darwin":
        return SayProgramEngine(rate, voice_name)
    if sys.platform.startswith("win"):
        return Pyttsx3Engine(rate, voice_name)
    return EspeakProgramEngine(rate, voice_name, find_program())


def audio_seconds(path: Path) -> float | None:
    """The length of an audio file; None when it is not a WAV (the estimate is used then).
    Raises OSError, EOFError or wave.Error for a broken one."""
    if path.suffix != ".wav":
        return None
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes() / audio.getframerate()


def trim_silence(path: Path) -> float:
    """Cut a WAV's silent lead-in and trailing pause, in place; its length in seconds.
    Raises SpeechError when it holds no sound at all."""
    with wave.open(str(path), "rb") as source:
        params = source.getparams()
        frames = source.readframes(params.nframes)
    if params.sampwidth != 2 or params.nchannels != 1:
        return params.nframes / params.framerate  # not what espeak writes: leave it
    samples = array.array("h", frames)
    if sys.byteorder == "big":
        samples.byteswap()
    first = next((i for i, value in enumerate(samples) if abs(value) > SILENCE_LEVEL), None)
    if first is None:
        raise SpeechError("the voice produced no sound")
    last = next(i for i in range(len(samples) - 1, first - 1, -1) if abs(samples[i]) > SILENCE_LEVEL)
    lead = int(params.framerate * LEAD_KEEP_SECONDS)
    tail = int(params.framerate * TAIL_KEEP_SECONDS)
    kept = samples[max(0, first - lead) : last + tail]
    if sys.byteorder == "big":
        kept.byteswap()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(params.framerate)
        out.writeframes(kept.tobytes())
    return len(kept) / params.framerate


T = TypeVar("T")


class _Worker:
    """One daemon thread running jobs in order. Not a ThreadPoolExecutor: Python joins
    those at exit, so an engine hung in a native call would keep the app from closing."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.Queue[tuple[Callable[[], Any], Future[Any]] | None] = queue.Queue()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], T]) -> Future[T] | None:
        """The job's future; None once shut down."""
        if self._closed:
            return None
        future: Future[T] = Future()
        self._jobs.put((job, future))
        return future

    def shutdown(self) -> None:
        """Run nothing more; jobs not yet begun are cancelled."""
        self._closed = True
        while True:
            try:
                item = self._jobs.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[1].cancel()
        self._jobs.put(None)

    def _run(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except BaseException as error:  # handed to whoever waits on the future
                future.set_exception(error)


class Voice:
    """A session's voice: its settings, and its phrases rendered ahead into the cache.

    Every engine call happens on one worker thread (engines are not thread-safe); the
    UI thread only looks up phrases that are ready, and the cue player's thread waits
    briefly for one that is not."""

    def __init__(
        self,
        engine: SpeechEngine,
        cache_dir: Path,
        on_problem: Callable[[str], None],
        *,
        rate: int,
        count_reps: bool = False,
        on: bool = True,
    ) -> None:
        self.engine = engine
        self.cache_dir = cache_dir
        self.on_problem = on_problem
        self.rate = rate
        self.count_reps = count_reps
        self.on = on
        self.problem: str | None = None
        self.info: EngineInfo | None = None
        self.rendered_count = 0
        """Phrases the engine rendered (a cached one costs none): for tests and the bench."""
        self._ready: dict[str, Path] = {}
        self._lengths: dict[str, float] = {}  # seconds of each rendered phrase
        self._pending: dict[str, Future[Path | None]] = {}
        self._lock = threading.Lock()
        self._renderer = _Worker("mobility-coach-voice")
        self._started = False

    @property
    def speaking(self) -> bool:
        """Switched on and able to speak (as far as is known yet)."""
        return self.on and self.problem is None

    def speech_settings(self) -> SpeechSettings:
        return SpeechSettings(self.spoken_length, rep_counts=self.count_reps)

    def spoken_length(self, text: str) -> float:
        """How long saying ``text`` takes: measured once it is rendered, else estimated
        from the rate (a rough guess: espeak-ng's pauses vary with the words)."""
        measured = self._lengths.get(text)
        if measured is not None:
            return measured + PLAYER_JITTER_SECONDS
        return speaking_time(words_per_second(self.rate))(text)

    def all_ready(self, texts: Iterable[str]) -> bool:
        """Whether every phrase is rendered (lookups: safe on the UI thread)."""
        return all(text in self._ready for text in texts)

    def prepare(self, texts: Iterable[str]) -> None:
        """Render each phrase not yet in the cache, in order, on the worker thread."""
        if self.problem is not None:
            return
        for text in texts:
            self._submit(text)

    def warm_up(self) -> None:
        """Start the engine now, on the rendering thread (for espeak-ng: list its voices),
        so that a session's cached phrases can be looked up the moment it starts."""
        if self.speaking:
            self._renderer.submit(self._start)

    def look_up_cached(self, texts: Iterable[str]) -> None:
        """Take the phrases already in the cache as rendered, measured from their files;
        once the engine has started (else they are found on the rendering thread as
        before). Reads a WAV header each: for a session's few dozen phrases, a few ms."""
        if self.info is None or self.problem is not None:
            return
        for text in texts:
            if text in self._ready:
                continue
            path = self._path_for(text)
            length = self._cached_length(path)
            if length is not None:
                with self._lock:
                    self._lengths[text] = length
                    self._ready[text] = path

    def ready(self, text: str) -> Path | None:
        """The phrase's audio file, if it is rendered and still there (the cache folder is
        the user's to clear: a phrase gone from it is rendered again on its turn)."""
        path = self._ready.get(text)
        if path is not None and not path.exists():
            with self._lock:
                self._ready.pop(text, None)
                self._pending.pop(text, None)
            return None
        return path

    def wait_for(self, text: str, timeout: float = RENDER_WAIT_SECONDS) -> Path | None:
        """The phrase's audio file, rendered now if need be; None when it cannot be had
        in ``timeout`` seconds (the caller plays the tone instead)."""
        if (path := self.ready(text)) is not None:
            return path
        future = self._submit(text)
        if future is None:
            return None
        try:
            return future.result(timeout)
        except Exception:  # late, cancelled at close, or failed (already reported): the tone
            return None

    def wait_until_prepared(self, timeout: float = 60.0) -> None:
        """Block until every phrase asked for is rendered (tests and the bench)."""
        with self._lock:
            pending = list(self._pending.values())
        for future in pending:
            with contextlib.suppress(FutureTimeout, CancelledError):
                future.result(timeout)

    def describe(self, timeout: float = 10.0) -> str:
        """Which engine and voice are in use ("espeak-ng, voice English"), or why none."""
        future = self._renderer.submit(self._start)
        try:
            if future is None:
                return "the voice is closed"
            future.result(timeout)
        except FutureTimeout:
            return "the speech engine did not start in time"
        if self.problem is not None:
            return f"no voice: {self.problem}"
        assert self.info is not None
        return f"{self.info.engine}, voice {self.info.voice}, rate {self.rate}"

    def close(self) -> None:
        self._renderer.shutdown()

    # --- on the worker thread ----------------------------------------------------------

    def _submit(self, text: str) -> Future[Path | None] | None:
        with self._lock:
            if self.problem is not None:
                return None
            future = self._pending.get(text)
            if future is None:
                future = self._renderer.submit(functools.partial(self._render, text))
                if future is None:  # shut down: the session is over
                    return None
                self._pending[text] = future
            return future

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        try:
            self.info = self.engine.start()
        except SpeechError as error:
            self._fail(str(error))
        except Exception as error:  # a voice must never end a session
            self._fail(f"the speech engine failed: {error!r}")

    def _render(self, text: str) -> Path | None:
        self._start()
        if self.problem is not None or text in self._ready:
            return self._ready.get(text)
        path = self._path_for(text)
        try:
            length = self._cached_length(path)
            if length is None and not path.exists():
                self._render_to(text, path)
                length = audio_seconds(path)
            if length is not None:
                self._lengths[text] = length
        except SpeechError as error:
            self._fail(str(error))
            return None
        except Exception as error:
            self._fail(f"the speech engine failed: {error!r}")
            return None
        self._ready[text] = path
        return path

    @staticmethod
    def _cached_length(path: Path) -> float | None:
        """The length of a phrase already in the cache; None when it is not there or is
        not a WAV. A broken file (a full disk, an edit) is removed, to be rendered again."""
        try:
            return audio_seconds(path)
        except FileNotFoundError:
            return None
        except (OSError, EOFError, wave.Error):
            path.unlink(missing_ok=True)
            return None

    def _path_for(self, text: str) -> Path:
        assert self.info is not None
        key = "\0".join((RENDER_FORMAT, self.info.engine, self.info.voice_id, str(self.rate), text))
        return self.cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}{self.engine.suffix}"

    def _render_to(self, text: str, path: Path) -> None:
        """Render into a temporary file beside ``path``, then rename it into place, so a
        half-written phrase is never played and two apps never clash."""
        try:
            make_private_folder(self.cache_dir)
            handle, name = tempfile.mkstemp(prefix=".rendering-", suffix=self.engine.suffix, dir=self.cache_dir)
            os.close(handle)
        except OSError as error:
            raise SpeechError(f"cannot write to the cache folder {self.cache_dir}: {error.strerror or error}") from None
        temporary = Path(name)
        try:
            for attempt in range(RENDER_ATTEMPTS):
                self.engine.render(text, temporary)
                self.rendered_count += 1
                try:
                    if self.engine.suffix == ".wav":
                        trim_silence(temporary)
                    elif temporary.stat().st_size == 0:
                        raise SpeechError("the voice produced no sound")
                    break
                except (SpeechError, EOFError, wave.Error):
                    # espeak-ng through pyttsx3 now and then writes a silent or an empty
                    # file, most often for the first phrase after it starts: another try speaks.
                    if attempt == RENDER_ATTEMPTS - 1:
                        raise
            os.replace(temporary, path)
        except (OSError, EOFError, wave.Error) as error:
            raise SpeechError(f"the voice could not render {text!r}: {error}") from None
        finally:
            temporary.unlink(missing_ok=True)

    def _fail(self, problem: str) -> None:
        if self.problem is None:
            self.problem = problem
            with contextlib.suppress(Exception):  # the app may be closing: the message is lost, no more
                self.on_problem(problem)


_pyttsx3_thread: _Worker | None = None


def _on_pyttsx3_thread(job: Callable[[], T]) -> T:
    """Run ``job`` on the process's one pyttsx3 thread and return what it returns."""
    global _pyttsx3_thread
    with _PYTTSX3_TURN:
        if _pyttsx3_thread is None:
            _pyttsx3_thread = _Worker("pyttsx3")
        future = _pyttsx3_thread.submit(job)
    if future is None:
        raise SpeechError("the speech thread has stopped")
    try:
        return future.result(timeout=_PYTTSX3_SECONDS)
    except TimeoutError:
        raise SpeechError(f"the voice did not answer within {_PYTTSX3_SECONDS:g}s") from None


_engine: tuple[Any, Any] | None = None  # (the pyttsx3 module, its engine)


def _one_engine(pyttsx3: Any) -> Any:
    """The process's one pyttsx3 engine, made once and kept (on the pyttsx3 thread). Each
    engine pyttsx3 makes registers its espeak driver as espeak-ng's one, process-wide
    synthesis callback; pyttsx3 forgets an engine nobody holds, so a second voice got a
    new one, and the first one's phrases were heard by a driver not waiting for them:
    silent or empty files."""
    global _engine
    if _engine is None or _engine[0] is not pyttsx3:
        if _engine is None:
            atexit.register(_let_engine_go)
        _engine = (pyttsx3, pyttsx3.init())
    return _engine[1]


def _let_engine_go() -> None:
    # While the interpreter still stands: pyttsx3's finalizer, run during its shutdown,
    # prints "Exception ignored in DriverProxy.__del__" after the app has closed.
    global _engine
    _engine = None
