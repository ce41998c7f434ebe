"""espeak-ng through its own program, the voice on Linux.

pyttsx3's espeak driver starts espeak-ng in its asynchronous mode, so the phrase's audio
arrives on espeak-ng's thread while pyttsx3 polls for the end from its own; now and then
a file is written before any audio reached it (a WAV of 0 frames, measured: 1 to 2
phrases in 18, and the same phrase three times running). The program renders a phrase
start to end in a process of its own and says when it failed, so on Linux, where
espeak-ng is the voice pyttsx3 would drive anyway, each phrase is one run of
``espeak-ng -w FILE --stdin``. Its start costs some 20 ms a phrase, paid ahead of the
session on the rendering thread, never while a cue waits.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mobility_coach.adapters.voices import INSTALL_HINT_SHORT, EngineInfo, ProgramEngine, SpeechError, choose_voice

PROGRAMS = ("espeak-ng", "espeak")
DEFAULT_LANGUAGE = "en"  # what espeak-ng speaks when no voice is asked for


@dataclass(frozen=True)
class ProgramVoice:
    """One voice as ``espeak-ng --voices`` lists it."""

    id: str
    """The voice file ("gmw/en"), what -v takes."""
    name: str
    """Its name ("English (Great Britain)")."""
    language: str
    priority: int = 5
    """espeak-ng's own preference among the voices of a language (its Pty column: lower first)."""


def find_program(which: Callable[[str], str | None] = shutil.which) -> str | None:
    """The espeak-ng program on PATH (or espeak, its predecessor), if any."""
    return next((found for name in PROGRAMS if (found := which(name)) is not None), None)


def parse_voices(listing: str) -> list[ProgramVoice]:
    """The voices of ``espeak-ng --voices``: a header, then "Pty Language Age/Gender
    VoiceName File Other-languages" per line (names never hold spaces: they use _ )."""
    voices = []
    for line in listing.splitlines()[1:]:
        fields = line.split()
        if len(fields) >= 5:
            priority = int(fields[0]) if fields[0].isdigit() else 5
            voices.append(ProgramVoice(fields[4], fields[3].replace("_", " "), fields[1], priority))
    return voices


class EspeakProgramEngine(ProgramEngine):
    """The voice through the espeak-ng program: one run a phrase."""

    program_name = "espeak-ng"

    def start(self) -> EngineInfo:
        program = self.program or find_program()
        if program is None:
            raise SpeechError(f"espeak-ng is not installed ({INSTALL_HINT_SHORT})")
        self.program = program
        if self.voice_name:
            chosen = choose_voice(parse_voices(self._call([program, "--voices"])), self.voice_name, None)
            self._voice_id = chosen.id if chosen is not None else None
        else:
            # No -v: the program's own default, "en", which is the first voice it lists
            # for that language (by its priority); its name is for `config` to show.
            chosen = next(iter(parse_voices(self._call([program, f"--voices={DEFAULT_LANGUAGE}"]))), None)
        name = chosen.name if chosen is not None else "default"
        return EngineInfo("espeak-ng", name, chosen.id if chosen is not None else "default")

    def render(self, text: str, path: Path) -> None:
        if self.program is None:
            raise SpeechError("the speech engine was not started")
        voice = ["-v", self._voice_id] if self._voice_id else []
        self._call([self.program, *voice, "-s", str(self.rate), "-w", str(path), "--stdin"], text)
