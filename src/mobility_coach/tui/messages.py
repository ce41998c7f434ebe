"""What screens tell the app ("messages up"): each is handled with ``@on`` in the app,
so no screen needs the app module or its attributes."""

from __future__ import annotations

from textual.message import Message

from mobility_coach.core.routines.model import Routine
from mobility_coach.core.session.outcome import SessionOutcome


class RoutineChosen(Message):
    """The user picked a routine to do now (the check-in may come first)."""

    def __init__(self, routine: Routine) -> None:
        super().__init__()
        self.routine = routine
        """The routine to start."""


class SessionEnded(Message):
    """A session finished, or was ended early by the user; the finish screen follows."""

    def __init__(self, outcome: SessionOutcome) -> None:
        super().__init__()
        self.outcome = outcome
        """What was done, for the finish screen (and its feeling, once asked)."""


class MuteToggled(Message):
    """The user asked to switch the cue sounds off, or on again."""


class VoiceToggled(Message):
    """The user asked to switch the spoken voice off, or on again."""


class ProblemsWanted(Message):
    """The user asked to see the problems in their routine and settings files."""


class FloorToggled(Message):
    """The user asked to switch the floor setting for this run of the app."""
