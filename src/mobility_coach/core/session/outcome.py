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
    """Every step done in full (the break rule's "finished")."""
    active_seconds: float
    steps_done: int
    steps_total: int
    results: list[StepResult]
    feeling: str | None = None
    recorder: SessionRecorder | None = None
    ended_early: bool = False
    """The user ended it before its end; otherwise it was played to its end (the history's
    "completed"), maybe with steps skipped on the way."""

    def headline(self) -> str:
        """The finish screen's first line: a session played to its end is finished, its
        skips noted; only one the user ended is called ended early."""
        if self.ended_early:
            return "Session ended early"
        if self.completed:
            return "Well done!"
        skipped = sum(1 for r in self.results if not r.work_done)
        partly = sum(1 for r in self.results if r.work_done and not r.complete)
        said = [f"{skipped} step{'s' * (skipped != 1)} skipped"] if skipped else []
        said += [f"{partly} done in part"] if partly else []
        return "Finished — " + ", ".join(said)
