"""Located problems in user files, the one exception type the loader lets escape, and the
one a command raises for what the user must fix."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

from mobility_coach.core.terminal_text import visible


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a file, at a 1-based line and column."""

    path: Path
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        # Shown on screens and printed: a file's name and the text quoted from it may hold
        # control characters (see core.terminal_text).
        return visible(f"{self.path}:{self.line}:{self.column}: {self.message}")


class RoutineError(Exception):
    """A routine file (or part of one) could not be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UserError(Exception):
    """Something a command cannot get past that the user can fix (a path in the way, a
    folder they may not read). Raised where it is found; ``cli.main`` prints it as one
    line and exits with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


_REASONS = {
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EEXIST: "something is in the way there (a file where a folder should be?)",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENAMETOOLONG: "the name is too long for the file system",
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "the file system is read-only",
    errno.ELOOP: "too many symbolic links (a loop?)",
    errno.EISDIR: "a folder is there, not a file",
}


def short_path(path: object, limit: int = 100) -> str:
    """A path for a one-line message: whole if short, else its two ends."""
    text = str(path)
    return text if len(text) <= limit else f"{text[: limit // 2 - 2]}...{text[-(limit // 2 - 1) :]}"


def os_error_reason(error: OSError) -> str:
    """Why an ``OSError`` happened, in words."""
    return _REASONS.get(error.errno or 0) or error.strerror or str(error)


def os_error_text(error: OSError) -> str:
    """An ``OSError`` in words, naming the path it is about."""
    reason = os_error_reason(error)
    if error.filename is None:
        return reason
    return f"cannot use {short_path(error.filename)}: {reason}"
