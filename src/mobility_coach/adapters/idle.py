"""How long the user has been idle, where the system can tell; otherwise nothing.

X11: ``xprintidle`` (milliseconds since the last input). Elsewhere on Linux: logind's
``IdleHint`` with ``IdleSinceHintMonotonic``, which desktop environments set when the
session goes idle. Wayland compositors and consoles that offer neither give None, and
the schedule then simply ignores idle time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping
from typing import Protocol


class IdleSource(Protocol):
    def idle_seconds(self) -> float | None: ...


class NoIdle:
    def idle_seconds(self) -> float | None:
        return None


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


class LogindIdle:
    def __init__(self, session: str) -> None:
        self.session = session

    def idle_seconds(self) -> float | None:
        text = _output(["loginctl", "show-session", self.session, "-p", "IdleHint", "-p", "IdleSinceHintMonotonic"])
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


def detect(environ: Mapping[str, str] = os.environ) -> IdleSource:
    if environ.get("DISPLAY") and shutil.which("xprintidle"):
        return Throttled(XprintidleIdle())
    session = environ.get("XDG_SESSION_ID")
    if session and shutil.which("loginctl"):
        return Throttled(LogindIdle(session))
    return NoIdle()
