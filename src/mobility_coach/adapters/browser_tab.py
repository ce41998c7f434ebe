"""The browser tab's address, for whoever wants to open it.

A running ``mobility-coach serve`` holds ``serve/serve.lock`` in the data folder (an flock,
which the kernel releases however the server ends, so a crash never leaves a stale owner)
and writes its pid, then its address, into that file. A second ``serve`` reads it to say
where the first one is; the break notification's Start, when no terminal can be found,
calls ``open_in_browser`` to open the session in a tab.

The address carries the server's secret token, so the file is 0600 in a 0700 folder of its
own (the data folder is the user's to set as they like), and a reader trusts it only while
both are ours and closed to others.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import sys
import time
import webbrowser
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

try:
    import fcntl
except ImportError:  # Windows: `serve` says it is not available there (serve/command.py)
    fcntl = None  # type: ignore[assignment]

from mobility_coach.adapters.owner_lock import OwnerLock
from mobility_coach.adapters.remind_socket import UnsafePath
from mobility_coach.core.clock import Clock, SystemClock
from mobility_coach.core.errors import UserError, os_error_reason
from mobility_coach.core.paths import Paths

SERVE_FOLDER_NAME = "serve"
SERVE_LOCK_NAME = "serve.lock"
SERVER_START_SECONDS = 20.0
"""How long ``open_in_browser`` waits for a server it started to listen (a cold start of
Python, Textual and aiohttp on a slow machine takes a few seconds)."""


@dataclass(frozen=True)
class RunningServer:
    """The ``serve`` that holds the lock: its pid, and its address once it listens."""

    pid: int | None
    url: str | None


class ServeLock(OwnerLock):
    """One ``serve`` per user (per data folder): the reminder's kind of lock, holding a
    small JSON record (the pid, and the address once it listens) instead of a bare pid."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(serve_lock_path(data_dir))

    def try_acquire(self, write_pid: bool = True) -> bool:
        """Take the lock if it is free (and write our pid); UnsafePath if its file is not a
        plain file of ours, or its folder not a folder of ours."""
        make_private_folder(self.path.parent)
        if not super().try_acquire(write_pid=False):
            return False
        assert self._descriptor is not None
        if os.fstat(self._descriptor).st_mode & 0o077:
            os.fchmod(self._descriptor, 0o600)  # the address's token is for us alone
        if write_pid:
            self._write({"pid": os.getpid()})
        return True

    def publish(self, url: str) -> None:
        """Say where we listen, once we do."""
        self._write({"pid": os.getpid(), "url": url})

    def _write(self, record: Mapping[str, object]) -> None:
        assert self._descriptor is not None
        os.ftruncate(self._descriptor, 0)
        os.pwrite(self._descriptor, json.dumps(record).encode(), 0)

    def release(self) -> None:
        if self._descriptor is not None:
            os.ftruncate(self._descriptor, 0)  # no address left behind to mislead a reader
        super().release()


def serve_lock_path(data_dir: Path) -> Path:
    return data_dir / SERVE_FOLDER_NAME / SERVE_LOCK_NAME


def make_private_folder(folder: Path) -> None:
    """``folder`` made if missing, and closed to others (0700); UnsafePath if it is not a real
    folder of ours."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        info = os.lstat(folder)
    except OSError as error:
        raise UnsafePath(f"cannot make {folder}: {os_error_reason(error)}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafePath(f"{folder} is not a folder (a symbolic link or another file is in its place)")
    if info.st_uid != os.geteuid():
        raise UnsafePath(f"{folder} belongs to another user")
    if info.st_mode & 0o077:
        os.chmod(folder, 0o700)


def is_private(info: os.stat_result) -> bool:
    """Whether a file or folder is ours and nobody else may read, enter or change it."""
    return info.st_uid == os.geteuid() and not info.st_mode & 0o077


def running_server(data_dir: Path) -> RunningServer | None:
    """The ``serve`` running for this data folder, or None (also when its file or folder is
    not ours, or open to others: an address from there could have been planted or read)."""
    path = serve_lock_path(data_dir)
    if fcntl is None:
        return None  # `serve` does not start there (serve/command.py)
    try:
        folder = os.lstat(path.parent)
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        plain = stat.S_ISDIR(folder.st_mode) and stat.S_ISREG(info.st_mode)
        if not (plain and is_private(folder) and is_private(info)):
            return None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return None  # we could take it: nobody holds it
        except BlockingIOError:
            pass
        except OSError:
            return None
        text = os.pread(descriptor, 4096, 0).decode("utf-8", "replace")
    finally:
        os.close(descriptor)
    try:
        record = json.loads(text)
    except ValueError:
        return RunningServer(None, None)  # between its start and its first write
    if not isinstance(record, dict):
        return RunningServer(None, None)
    pid, url = record.get("pid"), record.get("url")
    return RunningServer(
        pid if isinstance(pid, int) else None,
        # Only a plain http address is ever opened: the file is ours, but a browser told to
        # open "file:" or a script URL by a planted file would do what it says.
        url if isinstance(url, str) and url.startswith("http://") else None,
    )


def tab_url(url: str, routine_id: str | None) -> str:
    """The address of a tab that opens straight into ``routine_id`` (after the check-in);
    ``url`` may have a query already (the token)."""
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'routine': routine_id})}" if routine_id else url


def start_server_detached(environ: Mapping[str, str], port: int | None = None) -> None:
    """``mobility-coach serve`` in a session of its own, so it outlives whoever started it."""
    subprocess.Popen(
        [sys.executable, "-m", "mobility_coach", "serve", *([] if port is None else ["--port", str(port)])],
        env=dict(environ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def open_in_browser(
    routine_id: str | None = None,
    *,
    environ: Mapping[str, str] = os.environ,
    open_url: Callable[[str], bool] = webbrowser.open,
    start_server: Callable[[Mapping[str, str]], None] = start_server_detached,
    clock: Clock | None = None,
    pause: Callable[[float], None] = time.sleep,
    wait_seconds: float = SERVER_START_SECONDS,
) -> bool:
    """Open mobility-coach in a browser tab, into ``routine_id`` if given: on the running
    ``serve``, else on one started for the purpose. False when no server came up in time
    or no browser could be opened; never raises for either. It may wait (up to
    ``wait_seconds``) for a server to start: call it off an event loop's thread."""
    try:
        data_dir = Paths.from_environment(environ).data_dir
    except (UserError, OSError):  # a broken MOBILITY_COACH_HOME: the caller falls back to what it had
        return False
    running = running_server(data_dir)
    if running is None:
        try:
            start_server(environ)
        except OSError:
            return False
    clock = clock or SystemClock()
    deadline = clock.monotonic() + wait_seconds
    while running is None or running.url is None:
        if clock.monotonic() >= deadline:
            return False
        pause(0.1)
        running = running_server(data_dir)
    try:
        return bool(open_url(tab_url(running.url, routine_id)))
    except Exception:  # webbrowser raises webbrowser.Error, or whatever a browser launcher does
        return False
