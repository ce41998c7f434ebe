"""What every speech engine shares: how it fails, what it says of itself, and how a voice
is chosen by the name a user gives."""

from __future__ import annotations

import difflib
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

INSTALL_HINT = "install espeak-ng (on Debian and Ubuntu: sudo apt install espeak-ng)"
INSTALL_HINT_SHORT = "on Debian and Ubuntu: sudo apt install espeak-ng"  # after "espeak-ng is not installed"


class NamedVoice(Protocol):
    @property
    def id(self) -> Any: ...

    @property
    def name(self) -> Any: ...


V = TypeVar("V", bound=NamedVoice)


class SpeechError(Exception):
    """The voice cannot speak; the message says why, for the user."""


RUN_SECONDS = 30.0  # a phrase takes a fraction of a second: a run this long has hung
Runner = Callable[..., "subprocess.CompletedProcess[str]"]


def run_program(run: Runner, name: str, argv: Sequence[str], text: str = "") -> str:
    """What a speech program writes, given ``text`` on its input; ``SpeechError`` in one
    line, naming it, when it cannot run, hangs or fails."""
    try:
        done = run(
            list(argv),
            input=text,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=RUN_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SpeechError(f"{name} did not finish within {RUN_SECONDS:g}s") from None
    except OSError as error:
        raise SpeechError(f"{name} could not run: {error.strerror or error}") from None
    if done.returncode != 0:
        said = (done.stderr or "").strip().splitlines()
        detail = f": {said[0][:160]}" if said else ""
        raise SpeechError(f"{name} failed with status {done.returncode}{detail}")
    return str(done.stdout)


class ProgramEngine:
    """A voice that runs a program once a phrase (espeak-ng, macOS's say): what each keeps
    and how it runs its program; each says how it starts and renders."""

    suffix = ".wav"
    program_name = ""
    """The program as a message names it."""

    def __init__(
        self,
        rate: int,
        voice_name: str | None = None,
        program: str | None = None,
        run: Runner = subprocess.run,
    ) -> None:
        self.rate = rate
        self.voice_name = voice_name
        self.program = program
        self._run = run
        self._voice_id: str | None = None

    def _call(self, argv: Sequence[str], text: str = "") -> str:
        return run_program(self._run, self.program_name, argv, text)


@dataclass(frozen=True)
class EngineInfo:
    """What a started speech engine says of itself: shown to the user, and part of each cached phrase's key."""

    engine: str
    """The engine, as its users know it ("espeak-ng")."""
    voice: str
    """The voice in use ("English (Great Britain)")."""
    voice_id: str
    """The engine's id of that voice, part of each cached phrase's name."""


class SpeechEngine(Protocol):
    suffix: str
    """The audio files' suffix (".wav")."""

    def start(self) -> EngineInfo:
        """Start the engine (on the rendering thread), or raise SpeechError."""

    def render(self, text: str, path: Path) -> None:
        """Write ``text`` spoken to ``path``, or raise SpeechError."""


def choose_voice(voices: Sequence[V], wanted: str | None, current: object) -> V | None:
    """The voice called ``wanted`` (its name, id or language, any case; else the voices
    whose name starts so, the engine's preferred first: "English" is English (Great
    Britain), espeak-ng's main English voice, not the first English listed), else the
    engine's current one (by id), else the first; None when there are none. A ``wanted``
    that matches no voice is a SpeechError naming the closest."""
    if wanted:
        folded = wanted.casefold()
        exact = [v for v in voices if folded in (str(v.name).casefold(), str(v.id).casefold())]
        language = [v for v in voices if str(getattr(v, "language", "")).casefold() == folded]
        starting = [v for v in voices if str(v.name).casefold().startswith(folded)]
        found = exact or language or starting
        if found:
            return min(found, key=lambda v: getattr(v, "priority", 0))  # min() keeps the listed order on ties
        names = sorted({str(v.name) for v in voices})
        close = difflib.get_close_matches(wanted, names, n=4, cutoff=0.5)
        hint = f"the closest: {', '.join(close)}" if close else f"{len(names)} voices are installed"
        raise SpeechError(f"no voice called {wanted!r} ({hint})")
    return next((v for v in voices if v.id == current), voices[0] if voices else None)
