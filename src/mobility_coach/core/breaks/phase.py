"""Where the break clock stands: shared by the schedule, its saved state and the wire."""

from __future__ import annotations

from enum import Enum


class Phase(Enum):
    COUNTING = "counting"  # sitting; the break is due at the deadline
    DUE = "due"  # the reminder fired; waiting for an answer
    HELD = "held"  # due, but not offered while a meeting (or do-not-disturb) lasts
    SNOOZED = "snoozed"  # due again at the deadline
    AWAY = "away"  # idle for a break's length or more: a natural break under way
    IN_SESSION = "in session"  # a routine is running: that is movement
    PAUSED = "paused"  # reminders paused, until a time or until resumed
    OFF_HOURS = "off hours"  # outside working hours
