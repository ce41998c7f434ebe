"""How a step's work is worded, once for every face: the CLI's timeline, the app's
preview and the get-ready announcement all say "10 reps x 6s" the same way."""

from __future__ import annotations

from mobility_coach.core.durations import format_duration
from mobility_coach.core.routines.model import Step


def step_work(step: Step) -> str:
    """``hold 30s``, ``10 reps x 6s`` or ``8 reps, self-paced``."""
    if step.hold is not None:
        return f"hold {format_duration(step.hold)}"
    if step.tempo is not None:
        return f"{step.reps} reps x {format_duration(step.tempo)}"
    return f"{step.reps} reps, self-paced"


def describe_step(step: Step) -> str:
    """The step's work, then its sides and sets: ``hold 30s, each side, 2 sets``."""
    extras = []
    if step.sides == "both":
        extras.append("each side")
    if step.sets > 1:
        extras.append(f"{step.sets} sets")
    return ", ".join([step_work(step), *extras])
