"""The routine a due break offers, as every face works it out (the app's home and break
question, the headless reminder's notification): today's sessions read from the history,
the rule of core/breaks/choice.py, and the configured default where no routine is short
enough for a break."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import datetime

from mobility_coach.core.breaks.choice import Pick, done_today, pick_routine
from mobility_coach.core.breaks.service import suggest_routine
from mobility_coach.core.config import Settings
from mobility_coach.core.history.store import History
from mobility_coach.core.routines.model import Routine


def break_pick(
    routines: Mapping[str, Routine], history: History | None, settings: Settings, floor: bool, wall: float
) -> Pick:
    """The routine this break offers at wall-clock ``wall``, why, and a few others. A
    history that cannot be read counts as a day with nothing done yet."""
    midnight = datetime.combine(datetime.fromtimestamp(wall).date(), datetime.min.time()).timestamp()
    try:
        today = done_today(history.sessions(since=midnight)) if history is not None else []
    except sqlite3.Error:
        today = []
    chosen = settings.reminders.suggested_routine if settings.routine_chosen else None
    pick = pick_routine(routines, today, floor=floor, chosen=chosen, body=settings.body)
    if pick.routine is None:  # nothing short enough: the default, as before
        routine_id = suggest_routine(routines, settings.reminders.suggested_routine).routine_id
        fallback = routines.get(routine_id) if routine_id is not None else None
        return Pick(fallback, "the default routine", pick.others, easier=pick.easier)
    return pick
