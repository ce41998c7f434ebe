"""What this system offers of the parts the reminder and the browser tab are built on, and
the one line said where a part is missing: Unix sockets (how the reminder, the app and
`remind ACTION` talk) and flock (who keeps the break clock). Windows has neither yet
(CPython there has no AF_UNIX); the app then keeps its break clock itself."""

from __future__ import annotations

import socket
import sys

try:
    import fcntl
except ImportError:
    fcntl = None  # type: ignore[assignment]


def has_unix_sockets() -> bool:
    """Whether processes can talk over Unix sockets and lock files with flock here."""
    return hasattr(socket, "AF_UNIX") and fcntl is not None


NO_REMINDER = (
    "the headless reminder is not available on Windows yet (it needs Unix sockets, which Python "
    "lacks there); open the app ('mobility-coach'), which keeps the break clock itself"
)
NO_SERVE = (
    "'serve' is not available on Windows yet (it needs Unix sockets and flock, which Python lacks "
    "there); run the app in a terminal instead: 'mobility-coach'"
)


def no_unit_here(command: str, platform: str = sys.platform) -> str | None:
    """Why ``COMMAND unit``'s systemd unit would be no use here (None on Linux, which has systemd)."""
    if platform.startswith("linux"):
        return None
    if platform == "darwin":
        return (
            f"'{command} unit' prints a systemd unit, which macOS does not have; to start it at login, "
            f"add a login item that runs 'mobility-coach {command}' (System Settings, General, Login Items)"
        )
    return f"'{command} unit' prints a systemd unit, which only Linux has"


def at_login_hint(platform: str = sys.platform) -> str:
    """How to start the reminder at login, after "Start one with 'mobility-coach remind'"."""
    return " (or at login: see 'mobility-coach remind unit')" if platform.startswith("linux") else ""
