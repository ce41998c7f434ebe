"""Telling whether the user's files changed from their stat alone, on a fake file system."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from mobility_coach.core.filewatch import FileWatch, Listing, list_tree

CONFIG = Path("/home/config.yaml")
FOLDER = Path("/home/routines")


@dataclass(frozen=True)
class Stats:
    st_mtime_ns: int
    st_size: int
    st_ino: int
    st_ctime_ns: int = 0


@dataclass
class FakeFiles:
    """Paths and their (mtime_ns, size, inode); a folder's mtime moves when entries come or go."""

    entries: dict[Path, Stats] = field(default_factory=dict)
    stats: int = 0
    listings: int = 0
    next_inode: int = 100

    def stat(self, path: Path) -> Stats:
        self.stats += 1
        if path not in self.entries:
            raise FileNotFoundError(path)
        return self.entries[path]

    def list(self, folder: Path) -> Listing:
        self.listings += 1
        below = [p for p in self.entries if folder in p.parents or p == folder]
        folders = tuple(sorted(p for p in below if p.suffix == ""))
        return Listing(folders, tuple(sorted(p for p in below if p.suffix == ".yaml")))

    def _touch_folder(self, path: Path) -> None:
        folder = self.entries.get(path.parent)
        if folder is not None:
            self.entries[path.parent] = Stats(folder.st_mtime_ns + 1, folder.st_size, folder.st_ino)

    def write(self, path: Path, size: int, mtime: int = 1, inode: int | None = None) -> None:
        if path not in self.entries:
            self._touch_folder(path)
        self.next_inode += 1
        old = self.entries.get(path)
        self.entries[path] = Stats(mtime, size, inode or (old.st_ino if old else self.next_inode))

    def remove(self, path: Path) -> None:
        del self.entries[path]
        self._touch_folder(path)


def watched(files: FakeFiles) -> FileWatch:
    watch = FileWatch([CONFIG], FOLDER, stat=files.stat, lister=files.list)
    assert watch.changes() == set()  # the first look only takes note
    return watch


def test_nothing_changed_means_no_changes_and_no_listing() -> None:
    files = FakeFiles()
    files.write(FOLDER, 0)
    files.write(FOLDER / "a.yaml", 10)
    files.write(CONFIG, 5)
    watch = watched(files)
    listings = files.listings
    for _ in range(3):
        assert watch.changes() == set()
    assert files.listings == listings  # a quiet check stats and never reads a folder


def test_an_edit_is_seen_by_time_by_size_or_by_a_new_inode() -> None:
    files = FakeFiles()
    files.write(FOLDER, 0)
    files.write(FOLDER / "a.yaml", 10)
    files.write(CONFIG, 5)
    watch = watched(files)
    files.write(CONFIG, 5, mtime=2)
    assert watch.changes() == {CONFIG}
    files.write(FOLDER / "a.yaml", 11, mtime=1)
    assert watch.changes() == {FOLDER / "a.yaml"}
    # Saved by writing a new file and renaming it over the old one, within the same tick.
    files.write(FOLDER / "a.yaml", 11, mtime=1, inode=999)
    assert watch.changes() == {FOLDER / "a.yaml"}
    assert watch.changes() == set()


def test_a_new_or_removed_routine_file_counts() -> None:
    files = FakeFiles()
    files.write(FOLDER, 0)
    watch = watched(files)
    files.write(FOLDER / "new.yaml", 10)
    assert FOLDER / "new.yaml" in watch.changes()
    files.remove(FOLDER / "new.yaml")
    assert FOLDER / "new.yaml" in watch.changes()


def test_a_file_in_a_new_subfolder_counts() -> None:
    files = FakeFiles()
    files.write(FOLDER, 0)
    watch = watched(files)
    files.write(FOLDER / "sub", 0)
    assert FOLDER / "sub" in watch.changes()
    files.write(FOLDER / "sub" / "deep.yaml", 3)
    assert watch.changes() >= {FOLDER / "sub" / "deep.yaml"}


def test_files_and_folder_that_appear_later_are_seen() -> None:
    files = FakeFiles()
    watch = watched(files)  # neither config.yaml nor the routines folder exists yet
    files.write(CONFIG, 5)
    assert watch.changes() == {CONFIG}
    files.write(FOLDER, 0)
    files.write(FOLDER / "a.yaml", 10)
    assert FOLDER / "a.yaml" in watch.changes()
    files.remove(CONFIG)
    assert watch.changes() == {CONFIG}


def test_the_real_listing_finds_routine_files_as_the_loader_does(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("a.yaml", "b.yml", "notes.txt", ".c.yaml", "sub/d.yaml", ".hidden/e.yaml"):
        (tmp_path / name).write_text("x")
    listing = list_tree(tmp_path)
    assert listing.files == (tmp_path / "a.yaml", tmp_path / "b.yml", tmp_path / "sub" / "d.yaml")
    assert set(listing.folders) == {tmp_path, tmp_path / "sub"}


def test_an_edit_that_keeps_the_size_and_puts_the_time_back_is_seen(tmp_path: Path) -> None:
    """A real file edited in place (same inode), to the same length, its times then put
    back (``touch -r``, or a tool that keeps them): only its change time, which nobody can
    set, tells. Written again until the kernel's coarse clock has moved on, so the change
    time differs (a rewrite within one tick of the first write would not be an edit to see)."""
    routine = tmp_path / "a.yaml"
    routine.write_text("routines: {}  # one\n")
    first = os.stat(routine)
    watch = FileWatch([routine])
    assert watch.changes() == set()
    for attempt in range(1_000_000):
        with open(routine, "r+") as file:  # in place: the inode stays
            file.write(f"routines: {{}}  # {attempt % 10}ne\n")
        os.utime(routine, ns=(first.st_atime_ns, first.st_mtime_ns))
        now = os.stat(routine)
        if now.st_ctime_ns != first.st_ctime_ns:
            break
    assert (now.st_ino, now.st_size, now.st_mtime_ns) == (first.st_ino, first.st_size, first.st_mtime_ns)
    assert watch.changes() == {routine}
