"""Everything the app works with, handed to it in one piece by the factory (tui/factory.py),
so that a test swaps any of them for a fake without the app knowing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from mobility_coach.adapters.idle import IdleSource
from mobility_coach.adapters.sound import CuePlayer
from mobility_coach.adapters.speech import Voice
from mobility_coach.core.breaks.keeping import ClockStore
from mobility_coach.core.clock import Clock
from mobility_coach.core.config import Settings
from mobility_coach.core.errors import Problem
from mobility_coach.core.history.store import History
from mobility_coach.core.live_files import LiveFiles
from mobility_coach.core.paths import Paths
from mobility_coach.core.routines.loader import Library
from mobility_coach.core.state import StateStore

MeetingHolds = Callable[[tuple[str, ...]], "str | None"]
"""Why a due break waits now ("microphone in use"), asking the detectors named; None: it does not."""


class CueMaker(Protocol):
    """Builds the cue player once the app exists, since it rings the app's bell and shows
    sound problems as the app's toasts."""

    def __call__(self, bell: Callable[[], None], on_problem: Callable[[str], None], *, muted: bool) -> CuePlayer: ...


class VoiceMaker(Protocol):
    """Builds the spoken voice once the app exists, since it shows the voice's problem as
    the app's toast and starts as the remembered state and the settings say."""

    def __call__(self, settings: Settings, on_problem: Callable[[str], None], *, on: bool) -> Voice: ...


@dataclass
class Collaborators:
    """Everything the app works with, made by the factory; a test swaps any of them for a fake."""

    library: Library
    """The routines, and the problems of the routine files that did not load."""
    state_store: StateStore
    """Where the check-in day and mute are remembered."""
    clock: Clock
    """The one source of time."""
    make_cues: CueMaker
    """How the sound cues are played."""
    settings: Settings
    """The settings file, with defaults for what it does not say (or says wrongly)."""
    settings_problems: list[Problem]
    """What was wrong in the settings file, to show once."""
    history: History | None
    """Where sessions, breaks and the journal are kept; None when it cannot be opened."""
    history_problem: str | None
    """Why there is no history, to show once."""
    idle: IdleSource
    """How long the user has been away from the keyboard."""
    holds: MeetingHolds
    """What holds a due break while this app keeps the clock (a meeting), given the
    ``holds`` setting's names."""
    reminder_paths: Paths | None
    """Where the break clock's owner listens (this app, a headless reminder or another
    app); None: this app keeps its own clock and looks for nobody."""
    clock_store: ClockStore | None
    """Where the break clock is saved between runs; None: not saved."""
    environ: Mapping[str, str]
    """The environment, for finding the owner's socket."""
    today: Callable[[], date]
    """What day it is, for the daily check-in."""
    start_routine: str | None = None
    """The routine to open straight into (`mobility-coach run ROUTINE`)."""
    files: LiveFiles | None = None
    """The settings and routine files, checked for edits while the app runs; None: never."""
    make_voice: VoiceMaker | None = None
    """How the session is spoken; None: tones only."""
    after_first_frame: Callable[[], None] | None = None
    """Called once the first screen has been drawn: the launch's end (tui/collector.py)."""
    start_note: str | None = None
    """What the start has to say once (the app's folders were just made private)."""
