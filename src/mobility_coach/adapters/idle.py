"""How long the user has been idle, where the system can tell; otherwise nothing.

X11: ``xprintidle`` (milliseconds since the last input). Where X is absent, the desktop
over D-Bus: GNOME's Mutter ``IdleMonitor`` (milliseconds), else the freedesktop
``ScreenSaver`` interface's ``GetSessionIdleTime`` (seconds; KDE Plasma). Else logind's
``IdleHint`` with ``IdleSinceHintMonotonic``, which desktop environments set when the
session goes idle. macOS: ``ioreg``'s ``HIDIdleTime`` of the IOHIDSystem (nanoseconds since
the last keyboard or mouse input). Consoles that offer none of these give None, and the schedule then
simply ignores idle time. D-Bus is asked through ``dbus-send``, a process per reading (as
``xprintidle`` is), so no D-Bus library is loaded into the idle reminder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from typing import Protocol


class IdleSource(Protocol):
    def idle_seconds(self) -> float | None: ...


class NoIdle:
    def idle_seconds(self) -> float | None:
        return None


Run = Callable[[list[str]], "str | None"]


def _output(argv: list[str]) -> str | None:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


class XprintidleIdle:
    def idle_seconds(self) -> float | None:
        text = _output(["xprintidle"])
        try:
            return int(text.strip()) / 1000 if text else None
        except ValueError:
            return None


def _dbus_number(text: str | None) -> int | None:
    """The number in ``dbus-send --print-reply=literal``'s answer ("   uint64 1234")."""
    words = (text or "").split()
    try:
        return int(words[-1]) if words else None
    except ValueError:
        return None


def _dbus_call(destination: str, path: str, method: str) -> list[str]:
    return [
        "dbus-send",
        "--session",
        "--print-reply=literal",
        "--reply-timeout=2000",
        f"--dest={destination}",
        path,
        method,
    ]


class MutterIdle:
    """GNOME: milliseconds since the last input, from the compositor itself (Wayland too)."""

    ARGV = _dbus_call(
        "org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor.GetIdletime"
    )

    def __init__(self, run: Run = _output) -> None:
        self.run = run

    def idle_seconds(self) -> float | None:
        millis = _dbus_number(self.run(self.ARGV))
        return millis / 1000 if millis is not None else None


class ScreenSaverIdle:
    """The freedesktop ScreenSaver interface (KDE Plasma and others): whole seconds."""

    ARGV = _dbus_call(
        "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver.GetSessionIdleTime"
    )

    def __init__(self, run: Run = _output) -> None:
        self.run = run

    def idle_seconds(self) -> float | None:
        seconds = _dbus_number(self.run(self.ARGV))
        return float(seconds) if seconds is not None else None


class LogindIdle:
    def __init__(self, session: str) -> None:
        self.session = session

    def _argv(self) -> list[str]:
        return ["loginctl", "show-session", self.session, "-p", "IdleHint", "-p", "IdleSinceHintMonotonic"]

    def idle_seconds(self) -> float | None:
        text = _output(self._argv())
        if not text:
            return None
        fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
        if fields.get("IdleHint") != "yes":
            return 0.0
        try:
            since = int(fields.get("IdleSinceHintMonotonic", "0")) / 1e6
        except ValueError:
            return None
        return max(0.0, time.monotonic() - since) if since else None


HID_IDLE = re.compile(rb'"HIDIdleTime" = (\d+)')


class IoregIdle:
    """macOS: the HID system's idle time, as ``ioreg -c IOHIDSystem`` lists it."""

    def __init__(self, run: Run = _output) -> None:
        self.run = run

    def idle_seconds(self) -> float | None:
        found = HID_IDLE.search((self.run(["ioreg", "-c", "IOHIDSystem", "-d", "4"]) or "").encode())
        return int(found[1]) / 1e9 if found else None


class Throttled:
    """Reads its source at most every ``interval`` seconds and answers from that reading
    in between: each reading starts a process, and idle time only matters at the scale
    of a break (minutes), so the app's once-a-second tick need not pay for one each time."""

    def __init__(
        self, source: IdleSource, interval: float = 15.0, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.source, self.interval, self.monotonic = source, interval, monotonic
        self._read_at: float | None = None
        self._value: float | None = None

    def idle_seconds(self) -> float | None:
        now = self.monotonic()
        if self._read_at is None or now - self._read_at >= self.interval:
            self._value, self._read_at = self.source.idle_seconds(), now
        return self._value


def detect(environ: Mapping[str, str] = os.environ, run: Run = _output, platform: str = sys.platform) -> IdleSource:
    """The first source that answers here (the D-Bus ones are asked once, to see)."""
    if platform == "darwin":
        return Throttled(IoregIdle(run)) if shutil.which("ioreg") else NoIdle()
    if environ.get("DISPLAY") and shutil.which("xprintidle"):
        return Throttled(XprintidleIdle())
    if environ.get("DBUS_SESSION_BUS_ADDRESS") and shutil.which("dbus-send"):
        for source in (MutterIdle(run), ScreenSaverIdle(run)):
            if source.idle_seconds() is not None:
                return Throttled(source)
    session = environ.get("XDG_SESSION_ID")
    if session and shutil.which("loginctl"):
        return Throttled(LogindIdle(session))
    return NoIdle()
