"""Idle time from the desktop over D-Bus (GNOME's Mutter, the freedesktop ScreenSaver),
with the answers ``dbus-send`` prints in place of a desktop."""

from __future__ import annotations

import shutil

import pytest

from mobility_coach.adapters import idle
from mobility_coach.adapters.idle import MutterIdle, ScreenSaverIdle


def answers(by_method: dict[str, str | None]):  # type: ignore[no-untyped-def]
    def run(argv: list[str]) -> str | None:
        return by_method.get(argv[-1].rsplit(".", 1)[-1])

    return run


def test_mutter_says_milliseconds_and_the_screensaver_seconds() -> None:
    assert MutterIdle(answers({"GetIdletime": "   uint64 12500\n"})).idle_seconds() == 12.5
    assert ScreenSaverIdle(answers({"GetSessionIdleTime": "   uint32 42\n"})).idle_seconds() == 42.0
    assert MutterIdle(answers({})).idle_seconds() is None  # not GNOME: no answer
    assert ScreenSaverIdle(answers({"GetSessionIdleTime": "garbled"})).idle_seconds() is None


@pytest.mark.skipif(shutil.which("dbus-send") is None, reason="dbus-send is not installed (apt-get install dbus)")
def test_without_x_the_first_desktop_source_that_answers_is_used() -> None:
    bus = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nowhere"}
    kde = idle.detect(bus, run=answers({"GetSessionIdleTime": "   uint32 7\n"}))
    assert kde.idle_seconds() == 7.0
    gnome = idle.detect(bus, run=answers({"GetIdletime": "   uint64 3000\n", "GetSessionIdleTime": "   uint32 9\n"}))
    assert gnome.idle_seconds() == 3.0
    assert isinstance(idle.detect(bus, run=answers({})), idle.NoIdle)  # nobody answers, no logind session
