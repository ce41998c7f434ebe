"""Idle time from the system where it offers it, quietly nothing where it does not."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from mobility_coach.adapters.idle import LogindIdle, NoIdle, Throttled, XprintidleIdle, detect
from tests.conftest import write


def fake_program(folder: Path, name: str, script: str) -> None:
    write(folder, name, f"#!/bin/sh\n{script}\n")
    (folder / name).chmod(0o755)


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return folder


def test_xprintidle_under_x(bin_dir: Path) -> None:
    fake_program(bin_dir, "xprintidle", "echo 421500")
    source = detect({"DISPLAY": ":0"})
    assert isinstance(source, Throttled) and isinstance(source.source, XprintidleIdle)
    assert source.idle_seconds() == 421.5


def test_readings_are_throttled() -> None:
    readings = iter([10.0, 400.0, 0.0])
    now = [0.0]

    class Counting:
        def idle_seconds(self) -> float | None:
            return next(readings)

    source = Throttled(Counting(), interval=15.0, monotonic=lambda: now[0])
    assert source.idle_seconds() == 10.0
    now[0] = 14.0
    assert source.idle_seconds() == 10.0  # answered from the last reading
    now[0] = 15.0
    assert source.idle_seconds() == 400.0
    now[0] = 40.0
    assert source.idle_seconds() == 0.0


def test_logind_idle_hint(bin_dir: Path) -> None:
    since = int((time.monotonic() - 400) * 1e6)
    fake_program(bin_dir, "loginctl", f'echo "IdleHint=yes"; echo "IdleSinceHintMonotonic={since}"')
    source = LogindIdle("3")
    assert isinstance(detect({"XDG_SESSION_ID": "3"}), Throttled)
    assert source.idle_seconds() == pytest.approx(400, abs=5)
    fake_program(bin_dir, "loginctl", 'echo "IdleHint=no"; echo "IdleSinceHintMonotonic=0"')
    assert source.idle_seconds() == 0.0


def test_failing_tools_and_no_tools_mean_no_idle_reading(bin_dir: Path) -> None:
    fake_program(bin_dir, "xprintidle", "exit 1")
    assert XprintidleIdle().idle_seconds() is None
    assert isinstance(detect({}), NoIdle) and NoIdle().idle_seconds() is None
