"""Mute: one switch for every cue sound, remembered between runs."""

from __future__ import annotations

from mobility_coach.adapters.sound import CuePlayer
from mobility_coach.core.state import AppState


def switch_mute(cues: CuePlayer, state: AppState) -> str:
    """Flip mute on the cue player and in the state to remember; the toast that says so."""
    cues.muted = state.muted = not state.muted
    return "Sound off." if state.muted else "Sound on."
