"""The systemd user units that start a mobility-coach process at login (the headless
reminder, the browser tab's server): text only, written by ``remind unit`` and ``serve unit``."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from mobility_coach.core.paths import HOME_VARIABLE

UNIT = """\
[Unit]
Description={description}
# What it does and how to stop it: mobility-coach --help, and the README.
{session}
[Service]
ExecStart={command}
{environment}Restart=on-failure

[Install]
WantedBy={target}
"""
# Started with the graphical session (and stopped with it), so the session's DISPLAY,
# WAYLAND_DISPLAY and DBUS_SESSION_BUS_ADDRESS have been imported into the user manager
# by the time it starts: the reminder's notifications and detectors need them.
GRAPHICAL_SESSION = "PartOf=graphical-session.target\nAfter=graphical-session.target\n"


def user_unit(
    description: str, arguments: Sequence[str], environ: Mapping[str, str], *, graphical: bool = False
) -> str:
    """A unit that runs ``mobility-coach ARGUMENTS`` at login (``graphical``: with the
    graphical session), with this MOBILITY_COACH_HOME (if set) so that it keeps the same
    data folder as the app."""
    command = Path(sys.argv[0]).resolve() if Path(sys.argv[0]).name == "mobility-coach" else None
    words = [str(command)] if command else [sys.executable, "-m", "mobility_coach"]
    environment = ""
    home = environ.get(HOME_VARIABLE)
    if home:
        # systemd starts the unit in another folder: a relative home would move.
        absolute = os.path.abspath(os.path.expanduser(home))
        environment = f"Environment={systemd_quoted(f'{HOME_VARIABLE}={absolute}')}\n"
    exec_line = " ".join(systemd_quoted(w, in_exec=True) for w in words) + "".join(f" {a}" for a in arguments)
    return UNIT.format(
        description=description,
        command=exec_line,
        environment=environment,
        session=GRAPHICAL_SESSION if graphical else "",
        target="graphical-session.target" if graphical else "default.target",
    )


def systemd_quoted(word: str, in_exec: bool = False) -> str:
    """``word`` as one double-quoted systemd word that means exactly ``word``: quotes and
    backslashes escaped, control characters as \\xNN, '%' doubled (a specifier otherwise)
    and, on an Exec line (which expands variables, unlike Environment=), '$' doubled."""
    escaped: list[str] = []
    for char in word:
        if char in '"\\':
            escaped.append("\\" + char)
        elif char == "%" or (char == "$" and in_exec):
            escaped.append(char * 2)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\x{ord(char):02x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'
