"""A private desktop for tests: an X server (Xvfb) on a free display, a D-Bus session bus
of our own, and dunst, the notification server, started by the bus when first called (D-Bus
activation, as on a desktop). Nothing of the user's is touched: the runtime folder, the
bus and the display are all new, and everything is stopped on the way out. Every wait has
a time limit; a part that will not start is a ``NoDesktop`` saying which and why.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_SECONDS = 10.0
NEEDED = {"Xvfb": "xvfb", "dbus-daemon": "dbus", "dunst": "dunst", "dunstctl": "dunst", "dbus-send": "dbus"}

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <servicedir>{services}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
DUNST_SERVICE = "[D-BUS Service]\nName=org.freedesktop.Notifications\nExec={dunst} -config {config}\n"
# No sticky history, no limit games: what is shown is what is counted.
DUNSTRC = "[global]\n    notification_limit = 0\n    sticky_history = no\n"


class NoDesktop(Exception):
    """A part of the private desktop would not start; the message says which and why."""


def missing_tools() -> str | None:
    missing = sorted({package for tool, package in NEEDED.items() if shutil.which(tool) is None})
    return f"not installed: {', '.join(missing)} (apt-get install {' '.join(missing)})" if missing else None


def _first_line(process: subprocess.Popen[bytes], fd: int, what: str) -> str:
    """The first line ``process`` writes to ``fd``, read to its newline: Xvfb writes the
    display number and the newline apart, and dies if the pipe closes between the two."""
    data = b""
    deadline = time.monotonic() + START_SECONDS
    while b"\n" not in data:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise NoDesktop(f"{what} did not start within {START_SECONDS:g}s")
        chunk = os.read(fd, 4096)
        if not chunk:
            raise NoDesktop(f"{what} ended at once (exit code {process.wait(timeout=5)})")
        data += chunk
    return data.decode().splitlines()[0].strip()


@contextmanager
def desktop_session(folder: Path, notifications: bool = True) -> Iterator[dict[str, str]]:
    """The environment of a private desktop (DISPLAY, DBUS_SESSION_BUS_ADDRESS,
    XDG_RUNTIME_DIR), over ``os.environ``; ``notifications`` False: no server on its bus."""
    missing = missing_tools()
    if missing:
        raise NoDesktop(missing)
    runtime = folder / "runtime"
    services = folder / "services"
    folder.mkdir(parents=True, exist_ok=True)
    runtime.mkdir(mode=0o700)
    services.mkdir()
    (folder / "dunstrc").write_text(DUNSTRC)
    if notifications:
        (services / "dunst.service").write_text(
            DUNST_SERVICE.format(dunst=shutil.which("dunst"), config=folder / "dunstrc")
        )
    (folder / "bus.conf").write_text(BUS_CONFIG.format(folder=runtime, services=services))
    processes: list[subprocess.Popen[bytes]] = []
    bus_env: dict[str, str] = {}
    try:
        read_end, write_end = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", "1024x768x24"],
            pass_fds=(write_end,),
            stdout=subprocess.DEVNULL,
            stderr=(folder / "xvfb.log").open("wb"),
        )
        processes.append(xvfb)
        os.close(write_end)
        display = ":" + _first_line(xvfb, read_end, "Xvfb")
        os.close(read_end)
        env = {**os.environ, "DISPLAY": display, "XDG_RUNTIME_DIR": str(runtime)}
        env.pop("WAYLAND_DISPLAY", None)
        bus = subprocess.Popen(
            ["dbus-daemon", f"--config-file={folder / 'bus.conf'}", "--nofork", "--print-address=1"],
            env=env,  # what the bus gives the services it starts (dunst needs the display)
            stdout=subprocess.PIPE,
            stderr=(folder / "dbus.log").open("wb"),
        )
        processes.append(bus)
        assert bus.stdout is not None
        env["DBUS_SESSION_BUS_ADDRESS"] = _first_line(bus, bus.stdout.fileno(), "dbus-daemon")
        bus_env = env
        yield env
    finally:
        if bus_env:
            _end_dunst(bus_env)
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _end_dunst(env: dict[str, str]) -> None:
    """dunst was started by the bus, not by us: ask the bus for its process and end it."""
    try:
        done = subprocess.run(
            [
                "dbus-send",
                "--session",
                "--print-reply=literal",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.GetConnectionUnixProcessID",
                "string:org.freedesktop.Notifications",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=5,
        )
        pid = int(done.stdout.split()[-1]) if done.returncode == 0 else 0
    except (subprocess.SubprocessError, OSError, ValueError, IndexError):
        return
    if pid > 1:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)


def dunst_displayed(env: dict[str, str]) -> int:
    """How many notifications dunst has on screen."""
    done = subprocess.run(["dunstctl", "count", "displayed"], env=env, capture_output=True, text=True, timeout=10)
    return int(done.stdout.strip() or -1)


def invoke_action(env: dict[str, str], notification_id: int, action: str) -> None:
    """What the server does when the user clicks a button: the ``ActionInvoked`` signal."""
    subprocess.run(
        [
            "dbus-send",
            "--session",
            "--type=signal",
            "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications.ActionInvoked",
            f"uint32:{notification_id}",
            f"string:{action}",
        ],
        env=env,
        check=True,
        timeout=10,
    )
