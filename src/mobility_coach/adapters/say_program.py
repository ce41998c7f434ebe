"""The macOS system voice through its own ``say`` program: one run a phrase, written as a
16-bit WAV (``say -o FILE --data-format=LEI16@22050``), offline, the same voices System
Settings offers. It replaces pyttsx3 there, whose macOS driver pulled in over 160 pyobjc
packages for what one program already does."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from mobility_coach.adapters.voices import EngineInfo, ProgramEngine, SpeechError, choose_voice

PROGRAM = "say"
DATA_FORMAT = "LEI16@22050"  # what trim_silence reads: mono, 16-bit little-endian
# `say -v '?'`: "Samantha            en_US    # Hello! My name is Samantha." (names may hold spaces)
VOICE_LINE = re.compile(r"^(?P<name>\S.*?)\s+(?P<language>[a-z]{2,3}[_-][A-Za-z0-9]+)\s+#")


@dataclass(frozen=True)
class SayVoice:
    """One voice as ``say -v '?'`` lists it."""

    id: str
    """What -v takes: the voice's name."""
    name: str
    language: str
    """Its locale ("en_US")."""


def parse_voices(listing: str) -> list[SayVoice]:
    voices = []
    for line in listing.splitlines():
        matched = VOICE_LINE.match(line)
        if matched:
            voices.append(SayVoice(matched["name"], matched["name"], matched["language"]))
    return voices


class SayProgramEngine(ProgramEngine):
    """The voice through macOS's ``say``: one run a phrase."""

    program_name = "say"

    def start(self) -> EngineInfo:
        program = self.program or shutil.which(PROGRAM)
        if program is None:
            raise SpeechError("macOS's say program is not on PATH (it is in /usr/bin on every Mac)")
        self.program = program
        if not self.voice_name:
            return EngineInfo("macOS say", "the system voice", "default")
        chosen = choose_voice(parse_voices(self._call([program, "-v", "?"])), self.voice_name, None)
        if chosen is None:
            return EngineInfo("macOS say", "the system voice", "default")
        self._voice_id = chosen.id
        return EngineInfo("macOS say", chosen.name, chosen.id)

    def render(self, text: str, path: Path) -> None:
        if self.program is None:
            raise SpeechError("the speech engine was not started")
        voice = ["-v", self._voice_id] if self._voice_id else []
        output = ["-o", str(path), "--file-format=WAVE", f"--data-format={DATA_FORMAT}"]
        self._call([self.program, *voice, "-r", str(self.rate), *output, "-f", "-"], text)
