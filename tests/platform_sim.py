"""Windows and macOS, simulated on Linux (issue 28): a Python started with ``simulated(...)``
reports ``sys.platform`` as the other system and lacks what that system lacks, so the
commands and the app's start can be run there and checked for tracebacks.

- win32: no ``fcntl``, ``termios``, ``tty``, ``pty``, ``resource``, ``grp``, ``pwd``, no
  ``socket.AF_UNIX`` (CPython on Windows has none), none of the POSIX-only names of ``os``
  (``geteuid``, ``pwrite``, ``O_NOFOLLOW``...), ``select`` (``poll``) and ``signal``
  (``SIGHUP``, ``SIGTSTP``...).
- darwin: no ``CLOCK_BOOTTIME`` (macOS has ``CLOCK_MONOTONIC_RAW`` and ``CLOCK_UPTIME_RAW``
  instead); ``environment()`` gives no display and no D-Bus session bus.

The standard library modules and Textual, which pick their own implementation by
``sys.platform`` when imported, are imported first as this machine's: a real Windows or
Mac has its own versions, which this machine cannot load (on Windows, Textual's headless
driver stands in for its console driver, and asyncio's wake-up socketpair stays this
machine's). What is simulated is our code's
side: what it imports, which sockets and locks it finds, and what it says.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

PRELUDE = r"""
import sys
platform = sys.argv.pop(1)
import asyncio, os, selectors, socket, ssl, subprocess, time, urllib.request, webbrowser
script = sys.argv.pop(1)
if script != "-m":  # the app's start: Textual's own modules are this machine's
    if platform == "win32":
        # Textual's Windows console driver needs Windows' own DLLs: its headless driver
        # stands in (Textual picks it from TEXTUAL_DRIVER instead of its Linux one).
        os.environ["TEXTUAL_DRIVER"] = "textual.drivers.headless_driver:HeadlessDriver"
    import textual.app, textual.drivers.headless_driver
    if platform != "win32":  # Windows has no termios: Textual's Linux driver cannot load there
        import textual.drivers.linux_driver
LACKING = {
    "win32": {"fcntl", "termios", "tty", "pty", "resource", "grp", "pwd"},
    "darwin": set(),
}[platform]
for name in LACKING:
    sys.modules.pop(name, None)

class Lacking:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in LACKING:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, Lacking())
if platform == "win32":
    # asyncio's own wake-up pipe is a socketpair: on Windows an emulated one over TCP,
    # here still this machine's (it is the event loop's part, not ours).
    real_socketpair, unix = socket.socketpair, socket.AF_UNIX
    socket.socketpair = lambda family=None, type=socket.SOCK_STREAM, proto=0: real_socketpair(unix, type, proto)
    del socket.AF_UNIX
    import select, signal
    for module, names in (
        (os, "geteuid getuid getgid pwrite pread fork O_NOFOLLOW O_NONBLOCK O_CLOEXEC"),
        (select, "poll epoll POLLIN POLLHUP POLLERR POLLNVAL"),
        (signal, "SIGHUP SIGQUIT SIGTSTP SIGCONT SIGUSR1 SIGUSR2 SIGALRM SIGCHLD SIGPIPE SIGWINCH SIGKILL"),
    ):
        for name in names.split():
            if hasattr(module, name):
                delattr(module, name)
if platform == "darwin":
    time.CLOCK_UPTIME_RAW = time.CLOCK_MONOTONIC  # what time.monotonic() reads on a Mac
    del time.CLOCK_BOOTTIME
sys.platform = platform
if script == "-m":
    import runpy
    sys.argv[0] = "mobility-coach"
    runpy.run_module("mobility_coach", run_name="__main__", alter_sys=True)
else:
    exec(compile(script, "<simulated>", "exec"), {"__name__": "__main__"})
"""


def simulated(platform: str, *command: str) -> list[str]:
    """The argv that runs ``mobility-coach COMMAND...`` in a Python simulating ``platform``."""
    return [sys.executable, "-c", PRELUDE, platform, "-m", *command]


def simulated_script(platform: str, script: str) -> list[str]:
    """The argv that runs Python ``script`` in a Python simulating ``platform``."""
    return [sys.executable, "-c", PRELUDE, platform, script]


def environment(home: Path, keep: Sequence[str] = ("PATH", "LANG", "PYTHONPATH")) -> dict[str, str]:
    """A bare environment with a private home: no desktop, no D-Bus, no display."""
    return {name: os.environ[name] for name in keep if name in os.environ} | {"MOBILITY_COACH_HOME": str(home)}
