"""The 'config' command: where the settings file is, its problems, and what is in effect."""

from __future__ import annotations

from typing import TextIO

from mobility_coach.core.config import Settings
from mobility_coach.core.errors import UserError
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.loader import load_all
from mobility_coach.core.userfiles import make_private_folder, open_new_private


def config(paths: Paths, init: bool, out: TextIO, err: TextIO) -> int:
    from mobility_coach.core.config import STARTER, describe, load_settings

    path = paths.config_file
    if init:
        if path.exists():
            raise UserError(f"{path} exists already; it is left as it is")
        make_private_folder(path.parent)
        with open_new_private(path) as handle:
            handle.write(STARTER)
        out.write(f"Wrote {path}\n")
    library = load_all(paths)
    settings, problems = load_settings(path, library.routines)
    state = "" if path.exists() else "  (not created yet: 'mobility-coach config --init' writes a commented one)"
    out.write(f"Settings file: {path}{state}\n")
    for problem in problems:
        err.write(f"{problem}\n")
    if problems:
        err.write(
            f"{len(problems)} problem(s): those settings use their defaults (a wrong working_hours entry "
            "is only left out); the file is left as it is\n"
        )
    out.write("\nIn effect:\n" + describe(settings) + "\n")
    out.write(f"\nHolds: {holds_in_effect(settings)}\n")
    out.write(f"Voice: {voice_in_use(paths, settings)}\n")
    return 1 if problems else 0


def holds_in_effect(settings: Settings) -> str:
    """Which of the wanted holds can work on this system, and which cannot."""
    from mobility_coach.adapters.meetings import detect

    wanted = settings.reminders.holds
    if not wanted:
        return "none (holds: [])"
    active = detect(wanted).names
    idle = [name for name in wanted if name not in active]
    said = ", ".join(active) if active else "none"
    return said + (f" (not readable here: {', '.join(idle)})" if idle else "")


def voice_in_use(paths: Paths, settings: Settings) -> str:
    """Which speech engine and voice a session would use, or why there is none."""
    if not settings.voice:
        return "off (voice: false)"
    from mobility_coach.adapters.speech import Voice, speech_engine

    rate = settings.voice_rate
    voice = Voice(speech_engine(rate, settings.voice_name), paths.speech_dir, lambda _: None, rate=rate)
    try:
        return voice.describe()
    finally:
        voice.close()
