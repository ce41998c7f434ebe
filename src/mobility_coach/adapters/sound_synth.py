"""Make the cue sounds: short, soft sine tones written as WAV with the standard library.

The files in ``sounds/`` are this module's output, committed so the wheel ships them and
nobody needs to download anything; a test checks they match. Regenerate with
``python -m mobility_coach.adapters.sound_synth``.
"""

from __future__ import annotations

import io
import math
import struct
import wave
from pathlib import Path

RATE = 22_050
SOUNDS_DIR = Path(__file__).parents[1] / "sounds"

# name: notes as (frequency in Hz, seconds, volume 0..1); frequency 0 is silence.
SOUNDS: dict[str, list[tuple[float, float, float]]] = {
    "ready": [(523.25, 0.12, 0.5), (0, 0.04, 0), (659.25, 0.16, 0.5)],
    "tick": [(880.0, 0.07, 0.45)],
    "go": [(1046.5, 0.28, 0.6)],
    "rep": [(1318.5, 0.035, 0.3)],
    "halfway": [(783.99, 0.08, 0.45), (0, 0.06, 0), (783.99, 0.08, 0.45)],
    "switch": [(659.25, 0.1, 0.5), (783.99, 0.1, 0.5), (987.77, 0.16, 0.5)],
    "rest": [(523.25, 0.16, 0.45), (392.0, 0.3, 0.45)],
    "finish": [(523.25, 0.12, 0.5), (659.25, 0.12, 0.5), (783.99, 0.12, 0.5), (1046.5, 0.4, 0.55)],
    "break": [
        (783.99, 0.18, 0.5),
        (0, 0.05, 0),
        (659.25, 0.18, 0.5),
        (0, 0.05, 0),
        (783.99, 0.18, 0.5),
        (0, 0.05, 0),
        (1046.5, 0.45, 0.55),
    ],
}


def _samples(notes: list[tuple[float, float, float]]) -> list[int]:
    samples: list[int] = []
    fade = int(RATE * 0.01)  # 10 ms in and out, so no note clicks
    for frequency, seconds, volume in notes:
        count = int(RATE * seconds)
        for i in range(count):
            envelope = min(1.0, i / fade, (count - 1 - i) / fade) if fade else 1.0
            value = volume * envelope * math.sin(2 * math.pi * frequency * i / RATE) if frequency else 0.0
            samples.append(round(value * 32767))
    return samples


def render(name: str) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        samples = _samples(SOUNDS[name])
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return buffer.getvalue()


def main() -> None:
    SOUNDS_DIR.mkdir(exist_ok=True)
    for name in SOUNDS:
        (SOUNDS_DIR / f"{name}.wav").write_bytes(render(name))
        print(SOUNDS_DIR / f"{name}.wav")


if __name__ == "__main__":
    main()
