"""The one place that reads time. Everything that waits or counts down takes a Clock.

Three readings:

- ``monotonic``: for measuring and deadlines. Never jumps; on Linux and macOS it stands
  still while the machine is suspended, so a deadline on it pauses with the machine.
- ``boottime``: like monotonic but it keeps counting through a suspend (Linux's
  CLOCK_BOOTTIME; on macOS CLOCK_MONOTONIC_RAW, which runs at the rate of the
  CLOCK_UPTIME_RAW that ``time.monotonic`` reads there, plus the time asleep).
  ``boottime - monotonic`` grows by exactly the time spent asleep, and, unlike the wall
  clock, no NTP step or manual setting can fake a suspend. Elsewhere (Windows) the wall
  clock stands in.
- ``wall``: what time of day it is, for working hours and "until tomorrow". It can jump
  either way at any time; nothing measures durations with it.

And ``boot_id``, which names this boot of the machine: monotonic and boot-time readings
saved by one process mean something to another only within the same boot.
"""

from __future__ import annotations

import functools
import sys
import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def boottime(self) -> float: ...

    def wall(self) -> float: ...

    def boot_id(self) -> str:
        """This boot of the machine ("" where that cannot be told)."""
        ...


def sleep_counting_clock(platform: str = sys.platform) -> int | None:
    """The clock id that counts on through a suspend alongside ``time.monotonic``, which
    stops then; None where there is none (Windows)."""
    if platform == "darwin":
        return getattr(time, "CLOCK_MONOTONIC_RAW", None)
    return getattr(time, "CLOCK_BOOTTIME", None)


_BOOTTIME = sleep_counting_clock()
_BOOT_ID_FILE = "/proc/sys/kernel/random/boot_id"


@functools.cache  # read once: it cannot change while we run
def _read_boot_id() -> str:
    try:
        with open(_BOOT_ID_FILE, encoding="ascii") as handle:
            return handle.read(64).strip()
    except (OSError, ValueError):
        return ""


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

    def boot_id(self) -> str:
        return _read_boot_id()


class FakeClock:
    """A clock that moves only when told to, for tests and benchmarks."""

    def __init__(self, monotonic: float = 1000.0, wall: float = 1_800_000_000.0) -> None:
        self._monotonic = monotonic
        self._boottime = monotonic
        self._wall = wall
        self._boot = 1

    def monotonic(self) -> float:
        return self._monotonic

    def boottime(self) -> float:
        return self._boottime

    def wall(self) -> float:
        return self._wall

    def boot_id(self) -> str:
        return f"boot-{self._boot}"

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

    def reboot(self, off_seconds: float, uptime: float = 30.0) -> None:
        """The machine is switched off for ``off_seconds`` and has been up ``uptime`` since:
        a new boot, whose monotonic and boot-time clocks started again from zero."""
        self._boot += 1
        self._wall += off_seconds + uptime
        self._monotonic = self._boottime = uptime
