"""How a step's work is worded, once for every face: the CLI's timeline, the app's
preview, the get-ready announcement and the session's rep line all say "10 reps x 6s"
or "hold 30s" the same way; the voice says it in words ("hold 30 seconds")."""

from __future__ import annotations

from mobility_coach.core.durations import format_duration
from mobility_coach.core.routines.model import Step


def hold_words(seconds: float) -> str:
    """``hold 30s``."""
    return f"hold {format_duration(seconds)}"


def own_pace_words(reps: int | None) -> str:
    """``8 reps at your own pace``: the session's live line, which has the room to say
    in words what lists shorten to "self-paced"."""
    return f"{reps} reps at your own pace"


def step_work(step: Step) -> str:
    """``hold 30s``, ``10 reps x 6s`` or ``8 reps, self-paced``."""
    if step.hold is not None:
        return hold_words(step.hold)
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


def spoken_seconds(seconds: float) -> str:
    """``20 seconds``, ``1 minute``, ``1 minute 30 seconds``: said, not abbreviated."""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


def spoken_work(step: Step, *, how_to_end: bool = False) -> str:
    """``hold 20 seconds``, ``10 reps`` or ``8 reps at your own pace`` (with ``how_to_end``,
    how a self-paced step is ended: by ear, the screen's hint is not seen)."""
    if step.hold is not None:
        return f"hold {spoken_seconds(step.hold)}"
    if step.tempo is not None:
        return f"{step.reps} reps"
    return f"{step.reps} reps at your own pace" + (", press Enter when done" if how_to_end else "")
