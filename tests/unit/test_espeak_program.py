"""The espeak-ng program as the Linux voice: its voice list, the voice asked for, and
failures said plainly (the real program renders in tests/functional/test_real_voice.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from mobility_coach.adapters.espeak_program import EspeakProgramEngine, find_program, parse_voices
from mobility_coach.adapters.speech import SpeechError, speech_engine

LISTING = """Pty Language       Age/Gender VoiceName          File                 Other Languages
 5  af              --/M      Afrikaans          gmw/af
 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
 5  en-us           --/M      English_(America)  gmw/en-US            (en 3)
 5  en              --/M      English            gmw/en-x
"""
EN_LISTING = """Pty Language       Age/Gender VoiceName          File                 Other Languages
 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)
 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)
"""


class Program:
    """Stands in for subprocess.run: answers --voices, records renders."""

    def __init__(self, status: int = 0, stderr: str = "") -> None:
        self.calls: list[tuple[list[str], str]] = []
        self.status = status
        self.stderr = stderr

    def __call__(self, argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append((argv, kwargs.get("input", "")))
        out = LISTING if "--voices" in argv else EN_LISTING if "--voices=en" in argv else ""
        return subprocess.CompletedProcess(argv, self.status if "-w" in argv else 0, out, self.stderr)


def test_the_voice_list_is_read_with_names_made_readable() -> None:
    voices = parse_voices(LISTING)
    assert [(v.id, v.name, v.language) for v in voices][:3] == [
        ("gmw/af", "Afrikaans", "af"),
        ("gmw/en", "English (Great Britain)", "en-gb"),
        ("gmw/en-US", "English (America)", "en-us"),
    ]


def test_without_a_voice_setting_the_programs_default_language_speaks(tmp_path: Path) -> None:
    program = Program()
    engine = EspeakProgramEngine(170, None, "espeak-ng", run=program)
    info = engine.start()
    assert (info.engine, info.voice, info.voice_id) == ("espeak-ng", "English (Great Britain)", "gmw/en")
    engine.render("Halfway.", tmp_path / "a.wav")
    argv, text = program.calls[-1]
    assert argv == ["espeak-ng", "-s", "170", "-w", str(tmp_path / "a.wav"), "--stdin"]
    assert text == "Halfway."  # on stdin: a phrase starting with "-" is never an option


def test_a_voice_is_found_by_name_or_file_and_a_wrong_one_named_with_the_closest() -> None:
    program = Program()
    engine = EspeakProgramEngine(160, "english (america)", "espeak-ng", run=program)
    assert engine.start().voice_id == "gmw/en-US"
    engine.render("Rest.", Path("r.wav"))
    assert program.calls[-1][0][:3] == ["espeak-ng", "-v", "gmw/en-US"]
    assert EspeakProgramEngine(160, "gmw/af", "espeak-ng", run=Program()).start().voice == "Afrikaans"
    assert EspeakProgramEngine(160, "en-us", "espeak-ng", run=Program()).start().voice_id == "gmw/en-US"  # a language
    # Several names start so: espeak-ng's preferred one (its Pty column), not the first listed.
    assert EspeakProgramEngine(160, "engl", "espeak-ng", run=Program()).start().voice_id == "gmw/en"
    with pytest.raises(SpeechError, match=r"no voice called .Englsh. \(the closest: English"):
        EspeakProgramEngine(160, "Englsh", "espeak-ng", run=Program()).start()


def test_a_failed_render_says_why(tmp_path: Path) -> None:
    engine = EspeakProgramEngine(160, None, "espeak-ng", run=Program(status=1, stderr="Error: no voice\nmore"))
    engine.start()
    with pytest.raises(SpeechError, match=r"espeak-ng failed with status 1: Error: no voice$"):
        engine.render("Rest.", tmp_path / "b.wav")


def test_a_missing_program_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_program(lambda name: None) is None
    assert find_program(lambda name: f"/usr/bin/{name}" if name == "espeak" else None) == "/usr/bin/espeak"
    monkeypatch.setattr("mobility_coach.adapters.espeak_program.find_program", lambda: None)
    with pytest.raises(
        SpeechError, match=r"espeak-ng is not installed \(on Debian and Ubuntu: sudo apt install espeak-ng\)"
    ):
        EspeakProgramEngine(160, None, None, run=Program()).start()


def test_on_linux_without_the_program_the_voice_names_the_package_not_another_engine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("mobility_coach.adapters.speech.sys.platform", "linux")
    monkeypatch.setattr("mobility_coach.adapters.speech.find_program", lambda: None)
    monkeypatch.setattr("mobility_coach.adapters.espeak_program.find_program", lambda: None)
    engine = speech_engine(160)
    assert isinstance(engine, EspeakProgramEngine)
    with pytest.raises(SpeechError, match=r"^espeak-ng is not installed \(on Debian"):
        engine.start()
