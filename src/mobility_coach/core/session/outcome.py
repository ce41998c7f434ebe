"""What a finished (or ended) session amounts to, handed from the player to the finish
screen. It lives in core so that no screen needs the app module to name it."""

from __future__ import annotations

from dataclasses import dataclass

from mobility_coach.core.session.player import StepResult
from mobility_coach.core.session.recorder import SessionRecorder


@dataclass
class SessionOutcome:
    """What the finish screen learnt about a session, and how it felt afterwards."""

    routine_id: str
    completed: bool
    active_seconds: float
    steps_done: int
    steps_total: int
    results: list[StepResult]
    feeling: str | None = None
    recorder: SessionRecorder | None = None
