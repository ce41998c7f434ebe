"""macOS speaks through its own ``say`` program (issue 28): the same system voice pyttsx3
drove, without pyttsx3's 160 pyobjc packages. Windows keeps pyttsx3 (SAPI5), Linux the
espeak-ng program."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from mobility_coach.adapters import speech
from mobility_coach.adapters.espeak_program import EspeakProgramEngine
from mobility_coach.adapters.say_program import SayProgramEngine, parse_voices
from mobility_coach.adapters.speech import Pyttsx3Engine, speech_engine
from mobility_coach.adapters.voices import SpeechError

LISTING = """\
Albert              en_US    # Hello! My name is Albert.
Bad News            en_US    # Hello! My name is Bad News.
Daniel              en_GB    # Hello! My name is Daniel.
Eddy (English (UK)) en_GB    # Hello! My name is Eddy.
Amélie              fr_CA    # Bonjour, je m'appelle Amélie.
"""


@pytest.mark.parametrize(
    ("platform", "engine"), [("darwin", SayProgramEngine), ("win32", Pyttsx3Engine), ("linux", EspeakProgramEngine)]
)
def test_each_platform_speaks_with_its_own_engine(monkeypatch: pytest.MonkeyPatch, platform: str, engine: type) -> None:
    monkeypatch.setattr(speech.sys, "platform", platform)
    assert isinstance(speech_engine(160), engine)


def test_say_lists_voices_whose_names_hold_spaces() -> None:
    voices = parse_voices(LISTING)
    assert [v.name for v in voices] == ["Albert", "Bad News", "Daniel", "Eddy (English (UK))", "Amélie"]
    assert voices[2].language == "en_GB"


def test_say_writes_a_16_bit_wav_of_the_phrase_from_stdin(tmp_path: Path) -> None:
    calls: list[tuple[list[str], str]] = []

    def run(argv: list[str], input: str = "", **kwargs: Any) -> subprocess.CompletedProcess[str]:
        assert kwargs["timeout"] > 0
        calls.append((argv, input))
        return subprocess.CompletedProcess(argv, 0, LISTING if argv[-1] == "?" else "", "")

    engine = SayProgramEngine(170, "daniel", program="/usr/bin/say", run=run)
    info = engine.start()
    assert (info.engine, info.voice) == ("macOS say", "Daniel")
    engine.render("Switch sides", tmp_path / "phrase.wav")
    argv, text = calls[-1]
    assert text == "Switch sides"
    assert argv == [
        "/usr/bin/say",
        "-v",
        "Daniel",
        "-r",
        "170",
        "-o",
        str(tmp_path / "phrase.wav"),
        "--file-format=WAVE",
        "--data-format=LEI16@22050",
        "-f",
        "-",
    ]


def test_a_failed_say_is_one_line_for_the_user() -> None:
    def run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(argv, 1, "", "Open speech channel failed: -128\nmore\n")

    engine = SayProgramEngine(170, program="/usr/bin/say", run=run)
    engine.start()
    with pytest.raises(SpeechError, match=r"^say failed with status 1: Open speech channel failed: -128$"):
        engine.render("Go", Path("x.wav"))
