"""A new terminal window running a routine: where the notification's Start opens it when
no app is open (issue 13).

Which terminal: the ``terminal`` setting, else ``$TERMINAL``, ``x-terminal-emulator``
(Debian's choice) and the common terminals; on macOS, Terminal.app. Each terminal has
its own way of being told what to run (``-e``, ``--``, ``-x``, nothing): a known one
alone gets its own; any other name alone gets ``-e``, the convention most follow; a
command with words of its own (``xterm -e``, ``foot --app-id=coach``) is used as given.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

# How each terminal is told to run a command (the words before it).
RUN_FLAGS: dict[str, list[str]] = {
    "x-terminal-emulator": ["-e"],
    "gnome-terminal": ["--"],
    "ptyxis": ["--"],
    "kgx": ["-e"],
    "konsole": ["-e"],
    "xfce4-terminal": ["-x"],
    "mate-terminal": ["-x"],
    "terminator": ["-x"],
    "tilix": ["-e"],
    "lxterminal": ["-e"],
    "qterminal": ["-e"],
    "alacritty": ["-e"],
    "kitty": [],
    "foot": [],
    "wezterm": ["start", "--"],
    "ghostty": ["-e"],
    "urxvt": ["-e"],
    "st": ["-e"],
    "xterm": ["-e"],
}
# Looked for in this order after the setting and $TERMINAL.
COMMON = list(RUN_FLAGS)

Which = Callable[[str], "str | None"]


def routine_command(routine_id: str) -> list[str]:
    """``mobility-coach run ROUTINE`` with this installation's own command (a terminal's
    PATH may not reach the virtual environment)."""
    script = Path(sys.executable).parent / "mobility-coach"
    words = [str(script)] if script.is_file() else [sys.executable, "-m", "mobility_coach"]
    return [*words, "run", routine_id]


def _with_flags(command: str) -> list[str] | None:
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if len(words) == 1:
        return [words[0], *RUN_FLAGS.get(Path(words[0]).name, ["-e"])]
    return words or None


def terminal_command(
    setting: str | None,
    environ: Mapping[str, str] = os.environ,
    which: Which | None = None,
    platform: str = sys.platform,
) -> list[str] | None:
    """The words that open a terminal running what follows them; None if none is found."""

    def found(name: str) -> bool:
        return (which or (lambda tool: shutil.which(tool, path=environ.get("PATH"))))(name) is not None

    for chosen in (setting, environ.get("TERMINAL")):
        if chosen and chosen.strip():
            words = _with_flags(chosen)
            if words is not None and found(words[0]):
                return words
    if platform == "darwin":
        return ["open", "-a", "Terminal"]
    if not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
        return None  # no desktop to open a window on
    for name in COMMON:
        if found(name):
            return [name, *RUN_FLAGS[name]]
    return None


def open_terminal(terminal: Sequence[str], command: Sequence[str], environ: Mapping[str, str]) -> str | None:
    """Start ``terminal`` running ``command``, on its own (it outlives the reminder); None
    if it started, else why not."""
    argv = [*terminal, *command]
    if terminal[:1] == ["open"]:
        import tempfile  # macOS only: the reminder does not carry it elsewhere

        # Terminal.app runs a file, not arguments: a one-line script it opens.
        with tempfile.NamedTemporaryFile("w", suffix=".command", delete=False) as script:
            script.write("#!/bin/sh\nexec " + shlex.join(command) + "\n")
        os.chmod(script.name, 0o700)
        argv = [*terminal, script.name]
    try:
        subprocess.Popen(
            argv,
            env=dict(environ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        return f"{argv[0]} could not be started: {error.strerror or error}"
    return None


def open_without_terminal(
    routine_id: str, environ: Mapping[str, str], open_tab: Callable[..., bool] | None = None
) -> str:
    """Where Start goes when no terminal can be found: the browser tab (``mobility-coach
    serve``, started if none runs), opened on a thread of its own because starting a server
    can take seconds and the reminder must keep its time meanwhile."""
    if open_tab is None:
        from mobility_coach.adapters.browser_tab import open_in_browser

        open_tab = open_in_browser

    def open_it() -> None:
        if not open_tab(routine_id, environ=dict(environ)):
            print(
                f"mobility-coach: no terminal and no browser tab could run {routine_id!r}; "
                f"run 'mobility-coach run {routine_id}' yourself",
                file=sys.stderr,
            )

    threading.Thread(target=open_it, name="mobility-coach-browser-tab", daemon=True).start()
    return f"no terminal found: opening {routine_id!r} in a browser tab (mobility-coach serve)"


def start_routine(
    routine_id: str,
    setting: str | None,
    environ: Mapping[str, str],
    platform: str = sys.platform,
    open_tab: Callable[..., bool] | None = None,
) -> tuple[bool, str]:
    """Open a terminal running the routine: (True, what was opened), or (False, why not)."""
    terminal = terminal_command(setting, environ, platform=platform)
    if terminal is None:
        return True, open_without_terminal(routine_id, environ, open_tab)
    problem = open_terminal(terminal, routine_command(routine_id), environ)
    if problem is not None:
        return False, problem
    return True, f"opened {Path(terminal[0]).name} running 'mobility-coach run {routine_id}'"
