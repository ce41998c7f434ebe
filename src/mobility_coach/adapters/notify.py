"""Getting the user's attention without a screen of our own: a desktop notification
where one can be shown (the freedesktop notification service, with Start / Snooze / Skip
where the server offers actions), else the terminal bell.

On macOS the child is ``mac_notice_child`` (Apple's notifications, through
desktop-notifier), with the same buttons and the same lines in and out.

The notification lives in a child process (``notice_child``) started when a break falls
due and ended when it is handled: the D-Bus library and its event loop never weigh on
the reminder while it waits. This side only writes the child a line and reads its one
answer, with a time limit, so a stuck session bus cannot hang the reminder.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

SHOW_SECONDS = 10.0  # how long the child may take to put the notification on screen


@dataclass(frozen=True)
class Shown:
    """A notification on screen; ``actions``: with its buttons (else the plain body)."""

    actions: bool


@dataclass(frozen=True)
class NoticeText:
    """What the due break's notification says: a title, and a body for a server with buttons and one without."""

    title: str
    body: str  # beside the buttons
    plain_body: str  # where the server has no buttons: names the commands instead
    expire: float | None = None  # a mini break's: no buttons, and it closes itself after this many seconds


class Notifier(Protocol):
    """One notification for the due break: shown (or replaced, when its text changes) and
    closed when the break is handled."""

    def show(self, text: NoticeText) -> Shown | None:
        """On screen, or None where there is no notification service."""
        ...

    def close(self) -> None: ...


def session_bus_environ(environ: Mapping[str, str]) -> dict[str, str] | None:
    """``environ`` with a session bus address (systemd's user bus where none is set), or
    None where there is no session bus to reach."""
    found = dict(environ)
    if not found.get("DBUS_SESSION_BUS_ADDRESS"):
        runtime = found.get("XDG_RUNTIME_DIR")
        if not runtime or not Path(runtime, "bus").exists():
            return None
        found["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={Path(runtime, 'bus')}"
    return found


def notice_child_for(
    environ: Mapping[str, str], platform: str = sys.platform
) -> tuple[str, dict[str, str] | None, str]:
    """The module that shows the notification here, its environment (None where there is
    no notification service to reach) and, then, why not."""
    if platform == "darwin":
        return "mobility_coach.adapters.mac_notice_child", dict(environ), ""
    if not platform.startswith("linux"):
        return "", None, "desktop notifications are not available on this system yet"
    return "mobility_coach.adapters.notice_child", session_bus_environ(environ), "no D-Bus session bus"


class DesktopNotice:
    """The notification in its own process; see ``notice_child``."""

    def __init__(self, environ: Mapping[str, str], snooze_label: str = "Snooze") -> None:
        self.environ = environ
        self.snooze_label = snooze_label
        self.child: subprocess.Popen[bytes] | None = None  # the notification on screen
        self._ending: list[subprocess.Popen[bytes]] = []  # told to close, not yet reaped
        self.problem: str | None = None  # why the last show found no service
        self.shown_id = 0  # the server's id for the notification on screen

    def _alive(self) -> bool:
        return self.child is not None and self.child.poll() is None

    def show(self, text: NoticeText) -> Shown | None:
        fields: dict[str, object] = {"title": text.title, "body": text.body, "plain_body": text.plain_body}
        if text.expire is not None:
            fields["expire"] = text.expire
        line = json.dumps(fields).encode() + b"\n"
        if self._alive():
            assert self.child is not None and self.child.stdin is not None
            try:
                self.child.stdin.write(line)
                self.child.stdin.flush()
                return Shown(actions=True)
            except (OSError, ValueError):
                pass  # it just ended: a new one below
        self._reap()
        child, environ, why = notice_child_for(self.environ)
        if environ is None:
            self.problem = why
            return None
        try:
            self.child = subprocess.Popen(
                [sys.executable, "-m", child, self.snooze_label],
                env=environ,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            assert self.child.stdin is not None and self.child.stdout is not None
            self.child.stdin.write(line)
            self.child.stdin.flush()
        except OSError as error:
            self.problem = f"the notification could not be started: {error}"
            return None
        answer = self._first_answer(self.child.stdout)
        if answer is None or "shown" not in answer:
            self.problem = str(answer.get("failed")) if answer else "the notification did not answer"
            self.close()
            return None
        self.problem = None
        shown_id = answer.get("shown")
        self.shown_id = shown_id if isinstance(shown_id, int) else 0
        return Shown(actions=bool(answer.get("actions")))

    @staticmethod
    def _first_answer(stream: object) -> dict[str, object] | None:
        fd = stream.fileno()  # type: ignore[attr-defined]
        ready, _, _ = select.select([fd], [], [], SHOW_SECONDS)
        if not ready:
            return None
        try:
            fields = json.loads(os.read(fd, 4096).split(b"\n", 1)[0] or b"null")
        except (OSError, ValueError):
            return None
        return fields if isinstance(fields, dict) else None

    def close(self) -> None:
        """Close the notification (the child does, and ends); never waits for it, since
        the child may be waiting for this very process to answer its action."""
        if self.child is not None:
            if self.child.stdin is not None:
                with contextlib.suppress(OSError):
                    self.child.stdin.close()
            self._ending.append(self.child)
            self.child = None
        self._reap()

    def _reap(self) -> None:
        if self.child is not None and self.child.poll() is not None:
            self._ending.append(self.child)
            self.child = None
        for child in list(self._ending):
            if child.poll() is not None:
                if child.stdout is not None:
                    child.stdout.close()
                self._ending.remove(child)

    @property
    def shown(self) -> bool:
        return self._alive()


def ring_bell(out: TextIO | None = None) -> None:
    """The terminal bell, on the terminal we were started from."""
    stream = out or sys.stdout
    try:
        # Through the commands' output filter (cli/terminal_stream.py), which writes every
        # other control character as text, "\a" would be shown, not rung.
        bell = getattr(stream, "bell", None)
        if callable(bell):
            bell()
        else:
            stream.write("\a")
            stream.flush()
    except (OSError, ValueError):
        pass
