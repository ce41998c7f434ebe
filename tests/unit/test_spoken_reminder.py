"""With ``voice_reminder``, a due break's prompt is said after the alert tone, through the
cue player's one queue (never over the tone), by the headless reminder; without it, or
with the voice off or muted, the tone alone."""

from __future__ import annotations

import io
from pathlib import Path

from mobility_coach.adapters.idle import NoIdle
from mobility_coach.adapters.sound import SOUNDS_DIR, CuePlayer
from mobility_coach.adapters.speech import Voice
from mobility_coach.core.breaks.service import Suggestion
from mobility_coach.core.clock import FakeClock
from mobility_coach.core.config import Settings, describe, load_settings
from mobility_coach.core.spoken_reminder import reminder_prompt
from mobility_coach.remind import Alerts, Reminder
from tests.bounded import within
from tests.fake_notice import FakeNotice
from tests.fake_voice import FakeEngine

HOUR = 3600.0
PROMPT = "Time to move: Hourly desk break"


class Recorder:
    def __init__(self) -> None:
        self.played: list[Path] = []

    def play(self, path: Path) -> None:
        self.played.append(path)


def reminder_with_voice(tmp_path: Path, settings: Settings, *, muted: bool = False) -> tuple[Reminder, CuePlayer]:
    voice = Voice(FakeEngine(), tmp_path / "cache", lambda why: None, rate=160)
    cues = CuePlayer(Recorder(), lambda: None, lambda why: None, muted=muted, voice=voice)
    alerts = Alerts(FakeNotice(), lambda: None, cues.alert, speak=cues.speak)
    suggestion = Suggestion("desk-break", "Hourly desk break")
    return Reminder(settings, FakeClock(), NoIdle(), alerts, suggestion, io.StringIO()), cues


def due_and_played(reminder: Reminder, cues: CuePlayer) -> list[Path]:
    assert isinstance(reminder.clock, FakeClock)
    reminder.clock.advance(HOUR)
    reminder.tick()
    within(10, cues.wait_until_played, "playing the reminder's sound and prompt")
    cues.close()
    assert isinstance(cues.backend, Recorder)
    return cues.backend.played


def test_the_prompt_names_the_offered_routine() -> None:
    assert reminder_prompt("Hourly desk break") == PROMPT
    assert reminder_prompt(None) == "Time to move: stand up for a few minutes"


def test_the_reminder_says_its_prompt_after_the_alert_tone(tmp_path: Path) -> None:
    reminder, cues = reminder_with_voice(tmp_path, Settings(voice_reminder=True))
    played = due_and_played(reminder, cues)
    assert cues.voice is not None
    assert played == [SOUNDS_DIR / "break.wav", cues.voice.ready(PROMPT)]


def test_by_default_the_reminder_plays_its_tone_alone(tmp_path: Path) -> None:
    reminder, cues = reminder_with_voice(tmp_path, Settings())
    assert due_and_played(reminder, cues) == [SOUNDS_DIR / "break.wav"]


def test_with_the_voice_off_or_the_sound_muted_nothing_is_said(tmp_path: Path) -> None:
    reminder, cues = reminder_with_voice(tmp_path / "off", Settings(voice=False, voice_reminder=True))
    assert due_and_played(reminder, cues) == [SOUNDS_DIR / "break.wav"]
    reminder, cues = reminder_with_voice(tmp_path / "muted", Settings(voice_reminder=True), muted=True)
    assert due_and_played(reminder, cues) == []


def test_the_setting_is_read_and_shown(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("voice_reminder: true\n")
    settings, problems = load_settings(config)
    assert problems == [] and settings.voice_reminder and settings.speaks_reminders
    assert "voice_reminder: true" in describe(settings)
    assert not Settings().voice_reminder


def test_a_due_break_offers_the_coachs_pick_of_that_moment(tmp_path: Path) -> None:
    """The headless reminder chooses the break's routine when it falls due, as the app
    does (core/breaks/choice.py), not once at start: its prompt and Start follow."""
    voice = Voice(FakeEngine(), tmp_path / "cache", lambda why: None, rate=160)
    cues = CuePlayer(Recorder(), lambda: None, lambda why: None, voice=voice)
    alerts = Alerts(FakeNotice(), lambda: None, cues.alert, speak=cues.speak)
    picks = iter([Suggestion("neck-drill", "Neck drill")])
    reminder = Reminder(
        Settings(voice_reminder=True),
        FakeClock(),
        NoIdle(),
        alerts,
        Suggestion("desk-break", "Hourly desk break"),
        io.StringIO(),
        choose=lambda: next(picks),
    )
    played = due_and_played(reminder, cues)
    assert reminder.suggestion == Suggestion("neck-drill", "Neck drill")
    assert played[-1] == voice.ready(reminder_prompt("Neck drill"))
