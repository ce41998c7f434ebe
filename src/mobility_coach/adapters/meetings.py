"""What holds a due break (issue 13): the microphone or the camera in use, the desktop's
do-not-disturb, a full-screen window with the focus.

Each detector reads the system through short commands (``pactl``, ``dunstctl``,
``gsettings``, ``dbus-send``, ``xprop``) or ``/proc``, and only when the break clock asks
(a break falls due, and then every half minute while it is held): nothing here runs while
the clock merely counts, and no D-Bus library is loaded into the idle reminder. A detector
that cannot work on this system (its tool is missing, no display) is left out quietly;
``mobility-coach config`` says which are active.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from mobility_coach.core.breaks.schedule import HOLD_NAMES

RUN_SECONDS = 3.0  # a detector's command that takes longer is taken as saying nothing

Run = Callable[[Sequence[str]], "str | None"]
"""A command's standard output, None if it could not run, failed or timed out."""


def run_command(argv: Sequence[str], environ: Mapping[str, str] = os.environ) -> str | None:
    try:
        done = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            timeout=RUN_SECONDS,
            check=False,
            env={**environ, "LC_ALL": "C"},  # the tools' words, not a translation of them
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    return done.stdout if done.returncode == 0 else None


class Detector(Protocol):
    name: str
    """Its name in the ``holds`` setting."""

    def reason(self) -> str | None:
        """Why a due break should wait now, or None."""
        ...


def pulse_server_running(environ: Mapping[str, str]) -> bool:
    """Whether a sound server listens (PulseAudio, or PipeWire's pulse): without one,
    ``pactl`` would start a PulseAudio of its own (autospawn) just to be asked."""
    if environ.get("PULSE_SERVER"):
        return True
    runtime = environ.get("XDG_RUNTIME_DIR")
    return runtime is not None and Path(runtime, "pulse", "native").exists()


def _field(block: str, name: str) -> str | None:
    """The value of a ``Name: value`` line of a ``pactl list`` block, if it has one."""
    for line in block.splitlines():
        key, colon, value = line.strip().partition(":")
        if colon and key == name:
            return value.strip()
    return None


def monitor_sources(listing: str) -> set[str]:
    """The indexes of the sink monitors in ``pactl list sources``: sources that carry what
    a sink plays (the speakers' sound), not what anyone says."""
    monitors = set()
    for block in listing.split("Source #")[1:]:
        index = block.split(None, 1)[0] if block.strip() else ""
        of_sink = _field(block, "Monitor of Sink")
        if (of_sink not in (None, "n/a")) or (_field(block, "Name") or "").endswith(".monitor"):
            monitors.add(index)
    return monitors


@dataclass
class Microphone:
    """A recording stream open on a real PulseAudio (or PipeWire's pulse) source: a call,
    or a recorder. Volume meters' peak-detect streams are not someone listening, nor is
    recording a sink's monitor (a visualiser, a screen recorder taking the desktop's sound)."""

    run: Run
    server_running: Callable[[], bool] = lambda: True
    name: str = "microphone"

    def reason(self) -> str | None:
        if not self.server_running():
            return None
        text = self.run(["pactl", "list", "source-outputs"])
        if not text:
            return None
        recorded = [
            _field(block, "Source")
            for block in text.split("Source Output #")[1:]
            if 'media.name = "Peak detect"' not in block
        ]
        if not recorded:
            return None
        # Sources that cannot be listed: every stream counts (better held than interrupted).
        listing = self.run(["pactl", "list", "sources"])
        monitors = monitor_sources(listing) if listing is not None else set()
        if any(source not in monitors for source in recorded):
            return "microphone in use"
        return None


@dataclass
class Camera:
    """An open ``/dev/video*`` in any process we may look into (the user's own)."""

    proc: Path = Path("/proc")
    name: str = "camera"

    def reason(self) -> str | None:
        try:
            processes = [entry for entry in self.proc.iterdir() if entry.name.isdigit()]
        except OSError:
            return None
        for process in processes:
            try:
                fds = list((process / "fd").iterdir())
            except OSError:
                continue  # another user's, or it ended
            for fd in fds:
                try:
                    target = os.readlink(fd)
                except OSError:
                    continue
                if target.startswith("/dev/video"):
                    return "camera in use"
        return None


@dataclass
class DoNotDisturb:
    """The desktop's do-not-disturb: dunst paused, GNOME's banners off, or the
    notification server's ``Inhibited`` property (KDE Plasma)."""

    run: Run
    tools: frozenset[str] = frozenset()
    name: str = "do-not-disturb"

    def reason(self) -> str | None:
        if "dunstctl" in self.tools and (self.run(["dunstctl", "is-paused"]) or "").strip() == "true":
            return "do-not-disturb is on"
        if "gsettings" in self.tools:
            banners = self.run(["gsettings", "get", "org.gnome.desktop.notifications", "show-banners"])
            if (banners or "").strip() == "false":
                return "do-not-disturb is on"
        if "dbus-send" in self.tools:
            inhibited = self.run(
                [
                    "dbus-send",
                    "--session",
                    "--print-reply=literal",
                    "--reply-timeout=2000",
                    "--dest=org.freedesktop.Notifications",
                    "/org/freedesktop/Notifications",
                    "org.freedesktop.DBus.Properties.Get",
                    "string:org.freedesktop.Notifications",
                    "string:Inhibited",
                ]
            )
            if inhibited is not None and inhibited.split()[-1:] == ["true"]:
                return "do-not-disturb is on"
        return None


@dataclass
class FullScreen:
    """The focused X window is full-screen (a presentation, a shared screen, a film).
    Wayland does not tell other programs, so there it is not active."""

    run: Run
    name: str = "full-screen"

    def reason(self) -> str | None:
        active = self.run(["xprop", "-root", "_NET_ACTIVE_WINDOW"])
        window = (active or "").rsplit(None, 1)[-1:] or [""]
        if not window[0].startswith("0x") or int(window[0], 16) == 0:
            return None
        state = self.run(["xprop", "-id", window[0], "_NET_WM_STATE"])
        if state is not None and "_NET_WM_STATE_FULLSCREEN" in state:
            return "a full-screen window"
        return None


class Holds:
    """The active detectors, asked in turn: the first reason found holds the break."""

    def __init__(self, detectors: Sequence[Detector]) -> None:
        self.detectors = list(detectors)

    @property
    def names(self) -> list[str]:
        return [detector.name for detector in self.detectors]

    def __call__(self) -> str | None:
        for detector in self.detectors:
            reason = detector.reason()
            if reason is not None:
                return reason
        return None


def detect(
    wanted: Sequence[str] = HOLD_NAMES,
    environ: Mapping[str, str] = os.environ,
    which: Callable[[str], str | None] | None = None,
    platform: str = sys.platform,
) -> Holds:
    """The detectors in ``wanted`` that can work here (a tool missing, no display, not
    Linux: left out). Looks only at what is installed: it starts no process."""

    def found(tool: str) -> bool:
        return (which or (lambda name: shutil.which(name, path=environ.get("PATH"))))(tool) is not None

    def run(argv: Sequence[str]) -> str | None:
        return run_command(argv, environ)

    session_bus = bool(environ.get("DBUS_SESSION_BUS_ADDRESS") or environ.get("XDG_RUNTIME_DIR"))
    detectors: list[Detector] = []
    for name in wanted:
        if name == "microphone" and found("pactl"):
            detectors.append(Microphone(run, lambda: pulse_server_running(environ)))
        elif name == "camera" and platform.startswith("linux") and Path("/proc/self/fd").is_dir():
            detectors.append(Camera())
        elif name == "do-not-disturb" and session_bus:
            tools = frozenset(tool for tool in ("dunstctl", "gsettings", "dbus-send") if found(tool))
            if tools:
                detectors.append(DoNotDisturb(run, tools))
        elif name == "full-screen" and environ.get("DISPLAY") and found("xprop"):
            detectors.append(FullScreen(run))
    return Holds(detectors)
