"""Reading a user's text file without trusting what sits at its path, and writing the
app's own files so that a crash leaves the old or the new one, never half of one, and
only the user can read them (folders 0700, files 0600: the history holds pain answers
and journal notes; core/paths.py closes what an older release left open).

A FIFO where a routine, ``config.yaml`` or ``state.json`` should be blocks a plain
``open()`` forever (waiting for a writer), and ``/dev/zero``, or a symlink to it, never
ends. So every reader of a user's file goes through ``read_user_file``: it opens without
blocking, checks that what it opened is a regular file, and reads at most a bound.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import TextIO

_CHUNK = 1 << 16


class NotARegularFile(OSError):
    """Something other than a regular file (a FIFO, a device, a folder) is at the path."""


class FileTooLarge(OSError):
    """The file holds more than its reader accepts."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _flag(name: str) -> int:
    """The ``os.open`` flag called ``name``, or 0 where this system has none."""
    return int(getattr(os, name, 0))


def read_user_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed).

    Raises ``FileNotFoundError`` and the other ``OSError``s of opening it,
    ``NotARegularFile`` for anything but a regular file, and ``FileTooLarge`` beyond
    ``max_bytes``; never blocks on what is at the path."""
    # O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a
    # writer; O_NOCTTY: a terminal device at the path never becomes our terminal. Each
    # where the system has it: Windows has neither, and O_BINARY keeps its bytes as they are.
    flags = os.O_RDONLY | _flag("O_NONBLOCK") | _flag("O_NOCTTY") | _flag("O_CLOEXEC") | _flag("O_BINARY")
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            what = _kind(mode)
            raise NotARegularFile(errno.EINVAL, f"this is {what}, not a regular file", str(path))
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(descriptor, min(_CHUNK, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            raise FileTooLarge(errno.EFBIG, f"larger than {_size_text(max_bytes)}", str(path))
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def read_user_text(path: Path, max_bytes: int) -> str:
    """``read_user_file`` decoded as UTF-8 (``UnicodeDecodeError`` if it is not)."""
    return read_user_file(path, max_bytes).decode("utf-8")


def _size_text(count: int) -> str:
    if count >= 1 << 20 and count % (1 << 20) == 0:
        return f"{count >> 20} MiB"
    if count >= 1 << 10 and count % (1 << 10) == 0:
        return f"{count >> 10} KiB"
    return f"{count:,} bytes"


def keep_aside(path: Path, suffix: str) -> Path:
    """Rename ``path`` to the first free ``NAME<suffix>``, ``NAME<suffix>2``, ... and return
    it: a file set aside earlier is the user's too, so it is never replaced."""
    number = 1
    while True:
        aside = path.with_name(f"{path.name}{suffix}{number if number > 1 else ''}")
        if not os.path.lexists(aside):
            os.rename(path, aside)
            return aside
        number += 1


def make_private_folder(folder: Path) -> None:
    """Make ``folder``, and each missing folder above it, that only the user may enter
    (``mkdir -p`` would give the ones above the umask's mode). One that exists is left as
    it is."""
    if folder.is_dir():
        return
    if folder.parent != folder:
        make_private_folder(folder.parent)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:  # made meanwhile, or a file in its place
        if not folder.is_dir():
            raise


def create_private_file(path: Path) -> None:
    """Make ``path`` an empty file only the user may read, unless something is there."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600))


def open_new_private(path: Path) -> TextIO:
    """A new text file at ``path`` (``FileExistsError`` if anything is there) that only
    the user may read."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    return os.fdopen(os.open(path, flags, 0o600), "w", encoding="utf-8")


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (a temporary file synced, then renamed
    over it), so a reader, a crash or a kill sees the old file or the new, whole. The new
    file is the user's alone (mkstemp's 0600)."""
    make_private_folder(path.parent)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
