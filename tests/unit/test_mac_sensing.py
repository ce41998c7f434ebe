"""macOS's own ways of telling idle time and sleep (issue 28): ioreg's HIDIdleTime, and
CLOCK_MONOTONIC_RAW, which counts on through a sleep while time.monotonic (CLOCK_UPTIME_RAW
there) stands still."""

from __future__ import annotations

import time

import pytest

from mobility_coach.adapters import idle
from mobility_coach.adapters.idle import IoregIdle, NoIdle, Throttled, detect
from mobility_coach.core.clock import sleep_counting_clock

IOREG = """\
+-o IOHIDSystem  <class IOHIDSystem, id 0x100000456, registered, matched, active, busy 0 (0 ms), retain 24>
    {
      "HIDIdleTime" = 421500000000
      "HIDParameters" = {"HIDClickTime"=500000000}
    }
"""


def test_idle_time_from_ioreg() -> None:
    asked: list[list[str]] = []

    def run(argv: list[str]) -> str | None:
        asked.append(argv)
        return IOREG

    assert IoregIdle(run).idle_seconds() == 421.5
    assert asked == [["ioreg", "-c", "IOHIDSystem", "-d", "4"]]
    assert IoregIdle(lambda argv: None).idle_seconds() is None
    assert IoregIdle(lambda argv: "no such key").idle_seconds() is None


def test_a_mac_reads_idle_time_from_ioreg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(idle.shutil, "which", lambda name: f"/usr/sbin/{name}" if name == "ioreg" else None)
    source = detect({}, lambda argv: IOREG, platform="darwin")
    assert isinstance(source, Throttled) and isinstance(source.source, IoregIdle)
    assert source.idle_seconds() == 421.5
    monkeypatch.setattr(idle.shutil, "which", lambda name: None)
    assert isinstance(detect({}, lambda argv: IOREG, platform="darwin"), NoIdle)


def test_sleep_is_measured_by_each_systems_own_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    assert sleep_counting_clock("linux") == time.CLOCK_BOOTTIME
    assert sleep_counting_clock("darwin") == time.CLOCK_MONOTONIC_RAW
    monkeypatch.delattr(time, "CLOCK_BOOTTIME")  # as on Windows, which has neither
    monkeypatch.delattr(time, "CLOCK_MONOTONIC_RAW")
    assert sleep_counting_clock("win32") is None
