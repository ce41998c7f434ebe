"""Getting the user's attention without a screen of our own: a desktop notification
where one can be sent (notify-send, the freedesktop notification service), else the
terminal bell."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from typing import TextIO


def desktop_notify(title: str, body: str, environ: Mapping[str, str] = os.environ) -> bool:
    """Send a desktop notification; True if one was sent."""
    program = shutil.which("notify-send", path=environ.get("PATH"))
    if program is None:
        return False
    try:
        done = subprocess.run(
            [program, "--app-name=mobility-coach", "--urgency=normal", "--icon=appointment-soon", title, body],
            env=dict(environ),
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def ring_bell(out: TextIO | None = None) -> None:
    """The terminal bell, on the terminal we were started from."""
    stream = out or sys.stdout
    try:
        stream.write("\a")
        stream.flush()
    except (OSError, ValueError):
        pass
