"""The break clock's state as it is kept between processes: when an owner hands the clock
over, quits or is killed, the next owner picks it up from here instead of starting a
fresh hour.

Lengths are stored relative to the moment of saving, with that moment's readings of all
three clocks and the boot's identity, so the restoring process can tell how much of the
gap the machine was awake (sitting time), asleep, or switched off (see
``Schedule.restore``). Pure: reading and writing the file is ``breakstate``'s business.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from mobility_coach.core.breaks.phase import Phase

VERSION = 1


class SnapshotError(ValueError):
    """Saved state that is not one; the message says what is wrong."""


@dataclass(frozen=True)
class ClockSnapshot:
    """The break clock as one owner saves it for the next: its phase, lengths from the save, and the clocks then."""

    phase: Phase
    before_session: Phase  # where a session that never ended leaves the clock
    left: float  # seconds from the save to the deadline (negative: it had passed)
    since: float  # seconds from the interval's start to the save
    paused_until: float | None  # wall time; None while paused means until resumed
    due_since: float | None  # wall time of the last "due"
    postponed: float  # seconds snoozes added to the interval before it was due
    monotonic: float  # the readings when saved
    boottime: float
    wall: float
    boot_id: str
    sessions: tuple[int, ...] = ()  # processes with a routine running (the host's to fill in)
    mini_since: float | None = None  # seconds from the mini interval's start to the save (None: not kept)
    mini_turn: int = 0  # mini breaks so far: which movement comes next

    def to_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "phase": self.phase.value,
            "before_session": self.before_session.value,
            "left": self.left,
            "since": self.since,
            "paused_until": self.paused_until,
            "due_since": self.due_since,
            "postponed": self.postponed,
            "saved": {"monotonic": self.monotonic, "boottime": self.boottime, "wall": self.wall},
            "boot_id": self.boot_id,
            "sessions": list(self.sessions),
            "mini_since": self.mini_since,
            "mini_turn": self.mini_turn,
        }

    @classmethod
    def from_json(cls, data: object) -> ClockSnapshot:
        """Parse what ``to_json`` wrote; SnapshotError for anything else."""
        if not isinstance(data, dict):
            raise SnapshotError("not a JSON object")
        if data.get("version") != VERSION:
            raise SnapshotError(f"version {data.get('version')!r} is not {VERSION}")
        saved = data.get("saved")
        if not isinstance(saved, dict):
            raise SnapshotError("'saved' is missing")
        paused, due_since = data.get("paused_until"), data.get("due_since")
        boot_id = data.get("boot_id")
        if not isinstance(boot_id, str) or len(boot_id) > 64:
            raise SnapshotError("'boot_id' is not a boot's id")
        return cls(
            phase=_phase(data.get("phase")),
            before_session=_phase(data.get("before_session")),
            left=_number(data.get("left"), "left"),
            since=_number(data.get("since"), "since"),
            paused_until=None if paused is None else _number(paused, "paused_until"),
            due_since=None if due_since is None else _number(due_since, "due_since"),
            postponed=_number(data.get("postponed", 0.0), "postponed"),
            monotonic=_number(saved.get("monotonic"), "saved.monotonic"),
            boottime=_number(saved.get("boottime"), "saved.boottime"),
            wall=_number(saved.get("wall"), "saved.wall"),
            boot_id=boot_id,
            sessions=_pids(data.get("sessions", [])),
            # Kept since mini breaks came (issue 27): a clock saved before has none.
            mini_since=None if data.get("mini_since") is None else _number(data.get("mini_since"), "mini_since"),
            mini_turn=_turn(data.get("mini_turn", 0)),
        )


def _pids(value: object) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) > 64:
        raise SnapshotError("'sessions' is not a short list of process ids")
    if not all(isinstance(pid, int) and not isinstance(pid, bool) and 0 < pid < 1 << 31 for pid in value):
        raise SnapshotError("'sessions' holds something that is not a process id")
    return tuple(value)


def _turn(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << 31:
        raise SnapshotError("'mini_turn' is not a count")
    return value


def _phase(value: object) -> Phase:
    try:
        return Phase(value)
    except ValueError:
        raise SnapshotError(f"{value!r} is not a phase of the break clock") from None


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SnapshotError(f"{name!r} is not a number")
    if abs(value) > 1e12:  # some 30,000 years: not a time this clock ever saved
        raise SnapshotError(f"{name!r} is out of range")
    return float(value)
