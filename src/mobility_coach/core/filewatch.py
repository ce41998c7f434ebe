"""Whether a user's files changed since last asked, from their stat alone.

A running app or reminder asks every few seconds; reading and parsing every routine file
that often would cost far more than a stat. A file's signature is its modification time
(in nanoseconds), size, inode and change time: an editor that saves by writing a new file
and renaming it over the old one changes the inode even when the time and size come out
the same, and an edit in place to the same length whose modification time is then put
back (``touch -r``, a tool that keeps times) still moves the change time, which nobody
can set.
Folders are watched by their own signature too (adding, removing or renaming an entry
changes a folder's mtime), and the files below them are listed again only then, so a
quiet check is a handful of stats and no directory reads.

The stat and the listing are handed in, so tests drive a fake file system without waiting
for a real clock to tick over.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

Signature = tuple[int, int, int, int] | None  # (mtime_ns, size, inode, ctime_ns); None: absent or unreadable


class StatResult(Protocol):
    @property
    def st_mtime_ns(self) -> int: ...
    @property
    def st_size(self) -> int: ...
    @property
    def st_ino(self) -> int: ...
    @property
    def st_ctime_ns(self) -> int: ...


Stat = Callable[[Path], StatResult]


@dataclass(frozen=True)
class Listing:
    """What lies below a watched folder: the folders (watched for entries coming and
    going) and the files (watched for edits)."""

    folders: tuple[Path, ...] = ()
    files: tuple[Path, ...] = ()


Lister = Callable[[Path], Listing]


def signature(path: Path, stat: Stat) -> Signature:
    try:
        found = stat(path)
    except OSError:  # gone, or not ours to look at: either way, "not as it was"
        return None
    return (found.st_mtime_ns, found.st_size, found.st_ino, found.st_ctime_ns)


def list_tree(folder: Path, suffixes: Sequence[str] = (".yaml", ".yml")) -> Listing:
    """The visible folders below ``folder`` (itself included) and the files with one of
    ``suffixes``, as the routine loader finds them (hidden ones skipped)."""
    folders: list[Path] = []
    files: list[Path] = []
    for root, names_of_folders, names in os.walk(folder):
        names_of_folders[:] = [name for name in names_of_folders if not name.startswith(".")]
        folders.append(Path(root))
        files += [Path(root, name) for name in names if not name.startswith(".") and name.endswith(tuple(suffixes))]
    return Listing(tuple(folders), tuple(sorted(files)))


class FileWatch:
    """Says which of some files, and of the files below a folder, changed since the last
    call to ``changes`` (the first call only takes note, and reports nothing)."""

    def __init__(
        self,
        files: Iterable[Path],
        folder: Path | None = None,
        *,
        stat: Stat = os.stat,
        lister: Lister = list_tree,
    ) -> None:
        self.files = tuple(files)
        self.folder = folder
        self.stat = stat
        self.lister = lister
        self._listing = Listing()
        self._seen: dict[Path, Signature] | None = None

    def _folders_moved(self, seen: dict[Path, Signature]) -> bool:
        watched = self._listing.folders or ((self.folder,) if self.folder is not None else ())
        return any(signature(f, self.stat) != seen.get(f) for f in watched)

    def _look(self, seen: dict[Path, Signature] | None) -> dict[Path, Signature]:
        if self.folder is not None and (seen is None or self._folders_moved(seen)):
            try:
                self._listing = self.lister(self.folder)
            except OSError:  # the loader reports an unreadable folder; here it is just "changed"
                self._listing = Listing()
            if not self._listing.folders:
                self._listing = Listing((self.folder,), ())
        watched = (*self.files, *self._listing.folders, *self._listing.files)
        return {path: signature(path, self.stat) for path in watched}

    def changes(self) -> set[Path]:
        """The watched paths whose signature changed, appeared or went away since the last
        call. A folder counts as changed when a file came or went below it."""
        now = self._look(self._seen)
        before, self._seen = self._seen, now
        if before is None:
            return set()
        return {path for path in before.keys() | now.keys() if before.get(path) != now.get(path)}
