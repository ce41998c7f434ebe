"""Per-user locks in the data folder: ``remind.lock`` (one headless reminder) and
``clock.lock`` (one owner of the break clock). An flock is released by the kernel when
its holder exits, however it exits, so a crash or a kill -9 never leaves a stale owner.
The holder writes its pid into the file, for messages only."""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock; the app keeps its break clock alone there (tui/factory.py)
    fcntl = None  # type: ignore[assignment]

from mobility_coach.adapters.remind_socket import UnsafePath
from mobility_coach.core.errors import os_error_reason
from mobility_coach.core.userfiles import make_private_folder


def open_lock_file(path: Path) -> int:
    """Open the lock file for writing our pid, refusing anything but a plain file of ours:
    through a symbolic link the pid would land in whatever file it points at."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o600)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnsafePath(
                f"{path} is a symbolic link; mobility-coach will not write through it (remove it and start again)"
            ) from None
        raise UnsafePath(f"cannot open {path}: {os_error_reason(error)}") from None
    info = os.fstat(descriptor)
    why = (
        "is not a plain file"
        if not stat.S_ISREG(info.st_mode)
        else "belongs to another user"
        if info.st_uid != os.geteuid()
        else "has other names (hard links)"
        if info.st_nlink != 1
        else None
    )
    if why is not None:
        os.close(descriptor)
        raise UnsafePath(f"{path} {why}; mobility-coach will not write its pid there (remove it and start again)")
    return descriptor


PLATFORM_LACKS = "this system has no flock (Windows)"
REMIND_LOCK_NAME = "remind.lock"
CLOCK_LOCK_NAME = "clock.lock"


class OwnerLock:
    """A lock that is taken without waiting, or not at all."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._descriptor: int | None = None

    @property
    def held(self) -> bool:
        return self._descriptor is not None

    @property
    def descriptor(self) -> int | None:
        return self._descriptor

    def try_acquire(self, write_pid: bool = True) -> bool:
        """Take the lock if it is free; UnsafePath if its file is not a plain file of ours."""
        if self._descriptor is not None:
            return True
        try:
            make_private_folder(self.path.parent)
        except OSError as error:
            raise UnsafePath(f"cannot make {self.path.parent}: {os_error_reason(error)}") from None
        if fcntl is None:
            raise UnsafePath(f"{self.path} cannot be locked here: {PLATFORM_LACKS}")
        descriptor = open_lock_file(self.path)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return False
        if write_pid:
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, str(os.getpid()).encode(), 0)
        self._descriptor = descriptor
        return True

    def taken_elsewhere(self) -> bool:
        """Whether another process holds the lock now. The look takes the lock for an
        instant, so a process starting just then must try again briefly (``acquire_soon``)."""
        if self._descriptor is not None:
            return False
        try:
            if not self.try_acquire(write_pid=False):
                return True
        except UnsafePath:
            return False
        self.release()
        return False

    def holder(self) -> str:
        """The pid the holder wrote ("" if unknown)."""
        try:
            with open(self.path, "rb") as handle:
                held = handle.read(64).decode("utf-8", "replace").strip()
        except OSError:
            return ""
        return held if held.isdigit() else ""

    def release(self) -> None:
        if self._descriptor is not None:
            os.close(self._descriptor)  # closing releases the lock
            self._descriptor = None


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a session's app that was killed does not)."""
    if sys.platform == "win32":
        # os.kill(pid, 0) ends the process there. The app keeps its break clock alone on
        # Windows, so the only sessions it can know of live are its own.
        return pid == os.getpid()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
