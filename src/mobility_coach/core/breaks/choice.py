"""Which routine a break offers: chosen for this break, not fixed.

The rule, in order: the user's own ``suggested_routine`` wins when the settings name one.
Otherwise, of the routines short enough for a break (timed, no self-paced steps) that
fit the floor setting: the gentle ones after a "worse" or "pain" answer today; then the
one that moves the most areas not yet moved today, then the one done fewest times today,
then the one whose areas have moved least, then the one done longest ago; ties go to the
routine covering more areas, then to the id. Pure: the day comes in as plain records.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from mobility_coach.core.history.store import SessionRecord
from mobility_coach.core.routines.model import AREAS, Area, Routine
from mobility_coach.core.routines.timeline import length_of
from mobility_coach.core.routines.variants import ANY_BODY, Body, fits, for_body

# A break is a few minutes: a longer routine is for another time of day.
BREAK_ROUTINE_SECONDS = 6 * 60.0
GENTLE_TAG = "gentle"
# Answers after a session that make the next suggestion a gentler one.
TOUGH_FEELINGS = ("worse", "pain")
# How many other routines the break question lists besides the suggestion.
OTHERS_SHOWN = 3


@dataclass(frozen=True)
class DoneToday:
    """A session today, as the rule needs it."""

    routine_id: str
    at: float
    feeling: str | None = None
    moved: bool = True
    """A step was done: only then do its areas count as moved (its feeling counts anyway)."""


@dataclass(frozen=True)
class Pick:
    """The routine a break offers, why in one line, and others to choose instead."""

    routine: Routine | None
    reason: str
    others: tuple[Routine, ...] = ()
    easier: bool = False
    """A "worse" or "pain" answer came last today: play the easier versions."""


def fits_a_break(routine: Routine, floor: bool, longest: float = BREAK_ROUTINE_SECONDS, body: Body = ANY_BODY) -> bool:
    """Short, timed, and asking nothing the settings rule out (the floor, standing), as played."""
    # The routine's own length (kept with it) unless the settings swap its exercises.
    length = length_of(routine if floor and body == ANY_BODY else for_body(routine, floor, body))
    return length.self_paced_count == 0 and 0 < length.timed_seconds <= longest and fits(routine, floor, body)


def _listing(areas: Sequence[str]) -> str:
    if len(areas) <= 2:
        return " and ".join(areas)
    return f"{areas[0]}, {areas[1]} and {len(areas) - 2} more"


def pick_routine(
    routines: Mapping[str, Routine],
    today: Sequence[DoneToday],
    *,
    floor: bool = True,
    chosen: str | None = None,
    longest: float = BREAK_ROUTINE_SECONDS,
    body: Body = ANY_BODY,
) -> Pick:
    """The routine for this break (see the module's rule), with its reason."""
    candidates = [r for r in routines.values() if fits_a_break(r, floor, longest, body)]
    moved: Counter[Area] = Counter()
    times: Counter[str] = Counter()
    last: dict[str, float] = {}
    for done in today:
        if not done.moved:
            continue
        times[done.routine_id] += 1
        last[done.routine_id] = max(last.get(done.routine_id, -math.inf), done.at)
        routine = routines.get(done.routine_id)
        if routine is not None:
            moved.update(routine.areas)
    answered = [d for d in sorted(today, key=lambda d: d.at) if d.feeling]
    tough = answered[-1].feeling if answered and answered[-1].feeling in TOUGH_FEELINGS else None
    if tough:
        gentle = [r for r in candidates if GENTLE_TAG in r.tags]
        candidates = gentle or candidates

    def rank(routine: Routine) -> tuple[float, ...]:
        fresh = sum(1 for area in routine.areas if not moved[area])
        mean = sum(moved[a] for a in routine.areas) / len(routine.areas) if routine.areas else math.inf
        return (-fresh, times[routine.id], mean, last.get(routine.id, -math.inf), -len(routine.areas))

    ranked = sorted(candidates, key=lambda r: (rank(r), r.id))
    if chosen is not None and chosen in routines:
        own = routines[chosen]
        others = tuple(r for r in ranked if r.id != chosen)[:OTHERS_SHOWN]
        return Pick(own, "your choice in the settings (suggested_routine)", others, easier=tough is not None)
    if not ranked:
        return Pick(
            None,
            "no routine is short enough for a break"
            + (" under your settings" if body != ANY_BODY else "" if floor else " without the floor"),
            easier=tough is not None,
        )
    best = ranked[0]
    fresh = [a for a in AREAS if a in best.areas and not moved[a]]
    if fresh:
        reason = f"{_listing(fresh)} not moved today"
    elif times[best.id] == 0:
        reason = "every area has moved today; this one you have not done yet"
    else:
        reason = "every area has moved today; this one you have done least"
    if tough:
        reason = f"gentler after '{tough}' earlier; {reason}"
    return Pick(best, reason, tuple(ranked[1 : 1 + OTHERS_SHOWN]), easier=tough is not None)


def done_today(sessions: Sequence[SessionRecord]) -> list[DoneToday]:
    """Today's sessions as the rule reads them."""
    return [DoneToday(s.routine_id, s.started, s.feeling, s.steps_done > 0) for s in sessions]


@dataclass(frozen=True)
class Now:
    """What the home screen shows first: the break clock, today so far, and the pick."""

    clock: str
    """"next break at 15:42", "break due now", "reminders paused"..."""
    today: str
    """"today: 6 min moved · 2 breaks taken"."""
    pick: Pick


_COUNTDOWN = re.compile(r"next break in (?:(\d+):)?(\d+):(\d\d)( \(snoozed\))?")
# The home line says when the break comes, not how long until: a time of day that does
# not change as the seconds pass, so the line is not redrawn every second (or minute).
# A new estimate within this many seconds of the last is the same break.
SAME_BREAK_SECONDS = 2.0


def break_due_at(described: str, wall: float) -> tuple[float, str] | None:
    """(wall time the break is due, " (snoozed)" or "") from the clock's one-line status
    ("next break in 42:10"); None when it is not counting down."""
    found = _COUNTDOWN.fullmatch(described)
    if found is None:
        return None
    hours, minutes, seconds, snoozed = found.groups()
    left = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return wall + left, snoozed or ""


def at_a_glance(described: str) -> str:
    """The clock's one-line status as the header shows it: whole minutes while more than
    one is left ("next break in 42 min", rounded up, as a countdown is), the seconds only
    in the last minute ("next break in 0:47"); any other status as it is. ``remind status``
    keeps the seconds, for a status bar to show as it likes.

    A header that changed every second moved in the corner of the eye all day, and its
    repaint was nearly all an idle app's CPU (twice a bare Textual app's; once a minute,
    under half: bench/idle.py)."""
    found = _COUNTDOWN.fullmatch(described)
    if found is None:
        return described
    hours, minutes, seconds, snoozed = found.groups()
    left = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    if left <= 60:
        return described
    return f"next break in {math.ceil(left / 60)} min{snoozed or ''}"


def clock_line(described: str, due: float | None, snoozed: str, tz: tzinfo | None = None) -> str:
    """ "next break at 15:42" while counting down, else the status as it is."""
    if due is None:
        return described
    return f"next break at {datetime.fromtimestamp(due, tz):%H:%M}{snoozed}"


def today_line(minutes_moved: float, taken: int) -> str:
    breaks = f"{taken} break{'s' * (taken != 1)} taken"
    return f"today: {round(minutes_moved)} min moved · {breaks}"
