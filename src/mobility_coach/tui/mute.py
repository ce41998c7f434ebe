"""Mute and voice: one switch for every cue sound, one for the spoken voice, both
remembered between runs."""

from __future__ import annotations

from mobility_coach.adapters.sound import CuePlayer
from mobility_coach.core.config import Settings
from mobility_coach.core.state import AppState


def switch_mute(cues: CuePlayer, state: AppState) -> str:
    """Flip mute on the cue player and in the state to remember; the toast that says so."""
    cues.muted = state.muted = not state.muted
    return "Sound off." if state.muted else "Sound on."


def switch_voice(cues: CuePlayer, state: AppState, settings: Settings) -> str:
    """Flip the voice in the state to remember and, as the settings allow, on the cue
    player; the toast that says so."""
    state.voice = not state.voice
    voice = cues.voice
    if voice is not None:
        voice.on = state.voice and settings.voice
    if not state.voice:
        return "Voice off: tones only, once sound is back on (m)." if cues.muted else "Voice off: tones only."
    if not settings.voice:
        return "Voice stays off: the settings say voice: false."
    if voice is None:
        return "Voice on."
    if voice.problem is not None:
        return f"No voice: {voice.problem}."
    if cues.muted:
        return "The voice will speak once sound is back on: everything is muted (m)."
    if cues.problem is not None:
        return f"Voice on, but no sound plays here: {cues.problem}."
    return "Voice on."
