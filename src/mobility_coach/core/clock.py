"""The one place that reads time. Everything that waits or counts down takes a Clock.

Two readings: ``monotonic`` for measuring (never jumps back; on Linux and macOS it stops
while the machine is suspended) and ``wall`` for what time of day it is (moves with NTP,
DST-independent as a POSIX timestamp, and keeps running through a suspend). Comparing
the two is how a sleeping laptop is noticed.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def wall(self) -> float: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()


class FakeClock:
    """A clock that moves only when told to, for tests and benchmarks."""

    def __init__(self, monotonic: float = 1000.0, wall: float = 1_800_000_000.0) -> None:
        self._monotonic = monotonic
        self._wall = wall

    def monotonic(self) -> float:
        return self._monotonic

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        """Time passes normally: both clocks move."""
        self._monotonic += seconds
        self._wall += seconds

    def suspend(self, seconds: float) -> None:
        """The machine sleeps: the wall clock moves, the monotonic one stands still (Linux)."""
        self._wall += seconds

    def jump_wall(self, seconds: float) -> None:
        """The wall clock is set (NTP, a user), forward or back."""
        self._wall += seconds
