"""The one rule for when a session was a break taken: the user actually moved.

Starting a routine is not a break: a routine tried for five seconds and quit must neither
restart the hour nor count as "taken" or in a streak. A session counts once it has
``MIN_MOVING_SECONDS`` of work (or the whole routine's work, when that is shorter), or
once every step is done. The app, the reminder's "movement" message and the statistics
all ask here, so they cannot disagree.
"""

from __future__ import annotations

from mobility_coach.core.routines.model import Routine
from mobility_coach.core.routines.timeline import expand

MIN_MOVING_SECONDS = 60.0
# Work time is a sum of float segment lengths; a routine worked through to its end must
# not miss its own total by a rounding error.
_SLACK = 1e-6


def moving_needed(routine: Routine) -> float:
    """Seconds of work that make a session of ``routine`` a break: the minimum, or the
    routine's whole timed work when shorter. A self-paced step's work has no known
    length, so such a routine needs the full minimum (or to be finished)."""
    timeline = expand(routine)
    if timeline.self_paced_count:
        return MIN_MOVING_SECONDS
    work = sum(s.duration or 0.0 for s in timeline.segments if s.kind == "work")
    return min(MIN_MOVING_SECONDS, work) if work > 0 else MIN_MOVING_SECONDS


def counts_as_break(finished: bool, active_seconds: float, needed: float = MIN_MOVING_SECONDS) -> bool:
    """True when a session was a break taken: every step done, or ``needed`` seconds of work."""
    return finished or active_seconds + _SLACK >= needed


def recorded_session_counts(status: str, steps_done: int, steps_total: int, active_seconds: float) -> bool:
    """The same rule for a session as the history keeps it. The routine's own length is
    not stored, so a short routine counts when it was finished, as it does live."""
    finished = status == "completed" or (steps_total > 0 and steps_done >= steps_total)
    return counts_as_break(finished, active_seconds)


def session_was_break(finished: bool, active_seconds: float, routine: Routine | None) -> bool:
    """The rule for a session as it ends (``routine`` None: it is no longer known)."""
    needed = moving_needed(routine) if routine is not None else MIN_MOVING_SECONDS
    return counts_as_break(finished, active_seconds, needed)
