"""A fake speech engine for tests: a phrase becomes a beep a tenth of a second a word."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

from mobility_coach.adapters.speech import EngineInfo, SpeechError


def write_wav(path: Path, *, silence: float = 0.0, sound: float = 0.5, rate: int = 22050) -> None:
    quiet = [0] * int(rate * silence)
    loud = [8000 if i % 20 < 10 else -8000 for i in range(int(rate * sound))]
    samples = quiet + loud + quiet
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))


class FakeEngine:
    """Renders a phrase as a beep a tenth of a second per word, with silence around it."""

    suffix = ".wav"

    def __init__(self, fail_start: bool = False) -> None:
        self.fail_start = fail_start
        self.rendered: list[str] = []

    def start(self) -> EngineInfo:
        if self.fail_start:
            raise SpeechError("no speech engine could start; install espeak-ng")
        return EngineInfo("fake", "Plain", "plain")

    def render(self, text: str, path: Path) -> None:
        self.rendered.append(text)
        write_wav(path, silence=0.3, sound=0.1 * len(text.split()))
