"""The one place that reads time. Everything that waits or counts down takes a Clock.

Three readings:

- ``monotonic``: for measuring and deadlines. Never jumps; on Linux and macOS it stands
  still while the machine is suspended, so a deadline on it pauses with the machine.
- ``boottime``: like monotonic but it keeps counting through a suspend (Linux's
  CLOCK_BOOTTIME). ``boottime - monotonic`` grows by exactly the time spent asleep, and,
  unlike the wall clock, no NTP step or manual setting can fake a suspend.
- ``wall``: what time of day it is, for working hours and "until tomorrow". It can jump
  either way at any time; nothing measures durations with it.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def boottime(self) -> float: ...

    def wall(self) -> float: ...


_BOOTTIME = getattr(time, "CLOCK_BOOTTIME", None)


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def boottime(self) -> float:
        if _BOOTTIME is not None:
            return time.clock_gettime(_BOOTTIME)
        # Elsewhere the wall clock is the best stand-in: it runs through a suspend too.
        return time.time()

    def wall(self) -> float:
        return time.time()


class FakeClock:
    """A clock that moves only when told to, for tests and benchmarks."""

    def __init__(self, monotonic: float = 1000.0, wall: float = 1_800_000_000.0) -> None:
        self._monotonic = monotonic
        self._boottime = monotonic
        self._wall = wall

    def monotonic(self) -> float:
        return self._monotonic

    def boottime(self) -> float:
        return self._boottime

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        """Time passes normally: every clock moves."""
        self._monotonic += seconds
        self._boottime += seconds
        self._wall += seconds

    def suspend(self, seconds: float) -> None:
        """The machine sleeps: wall and boot time move, the monotonic clock stands still."""
        self._boottime += seconds
        self._wall += seconds

    def jump_wall(self, seconds: float) -> None:
        """The wall clock is set (NTP, a user), forward or back."""
        self._wall += seconds
