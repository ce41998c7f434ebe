"""The settings and routines a running app or reminder works with, kept up to date with
the user's edits to ``config.yaml`` and the routine files, without a restart.

A face asks ``check()`` now and then (the app every few seconds, the reminder at each
wake); a stat of each file says whether anything changed (core/filewatch.py), and only
then are the files read again. An edit that leaves a file with problems never takes away
what worked: the settings stay the last good ones as a whole (a half-applied file would
be a state the user never wrote), and a broken routine file keeps giving the routines it
gave before. What happened comes back as short notices for the face to show.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mobility_coach.core.config import Settings, load_settings
from mobility_coach.core.errors import Problem
from mobility_coach.core.filewatch import FileWatch, Lister, Stat, list_tree
from mobility_coach.core.paths import Paths

if TYPE_CHECKING:
    from mobility_coach.core.routines.loader import Library

SettingsLoader = Callable[[Mapping[str, object]], tuple[Settings, list[Problem]]]


@dataclass(frozen=True)
class Notice:
    """One line for the user about a reload."""

    text: str
    problem: bool = False
    """A warning (something in a file is wrong), not news."""
    detail: str = ""
    """The first problem, file:line:col: message (and how many more), for a warning."""

    def line(self) -> str:
        """The notice as one line of output."""
        return f"{self.text}. {self.detail}" if self.detail else self.text


@dataclass(frozen=True)
class Reload:
    """What a check found changed; the new values are on the LiveFiles."""

    settings_changed: bool = False
    """The settings in force are new: apply them."""
    library_changed: bool = False
    """The routines, or the problems of their files, are new: show them."""
    problems_changed: bool = False
    """The settings file's problems are new (the settings in force may be the same)."""
    notices: tuple[Notice, ...] = ()


def _load_all(paths: Paths) -> Library:
    from mobility_coach.core.routines.loader import load_all

    return load_all(paths)


def _count(number: int, what: str) -> str:
    return f"{number} {what}"


def routines_news(before: Library, after: Library) -> str | None:
    """ "Routines reloaded: 1 added, 1 changed", or None when no routine changed."""
    added = after.routines.keys() - before.routines.keys()
    removed = before.routines.keys() - after.routines.keys()
    changed = {i for i in before.routines.keys() & after.routines.keys() if before.routines[i] != after.routines[i]}
    parts = [
        _count(len(ids), word) for ids, word in ((added, "added"), (changed, "changed"), (removed, "removed")) if ids
    ]
    return f"Routines reloaded: {', '.join(parts)}" if parts else None


class LiveFiles:
    """The settings, their problems and the routine library in force, and their reload."""

    def __init__(
        self,
        paths: Paths,
        settings: Settings,
        settings_problems: list[Problem],
        library: Library | None,
        *,
        stat: Stat | None = None,
        lister: Lister = list_tree,
        load_library: Callable[[], Library] | None = None,
        read_settings: SettingsLoader | None = None,
    ) -> None:
        self.config_file = paths.config_file
        self.settings = settings
        self.settings_problems = list(settings_problems)
        self._library = library
        self._load_library = load_library or (lambda: _load_all(paths))
        self._read_settings = read_settings or (lambda routines: load_settings(paths.config_file, routines))
        self.watch = FileWatch([paths.config_file], paths.routines_dir, stat=stat or os.stat, lister=lister)
        self.watch.changes()  # what is there now is what was just loaded

    @property
    def library(self) -> Library:
        """The routines in force; given None, read when first asked for (the headless
        reminder needs them only when a break falls due, and carries no loader before)."""
        if self._library is None:
            self._library = self._load_library()
        return self._library

    def check(self) -> Reload | None:
        """Read again whatever changed since the last check; None if nothing did."""
        changed = self.watch.changes()
        if not changed:
            return None
        notices: list[Notice] = []
        library_changed = False
        if changed - {self.config_file}:
            library_changed = self._reload_routines(notices)
        settings_changed, problems_changed = False, False
        if self.config_file in changed or library_changed:
            # New routines may make the suggested routine known, or unknown.
            settings_changed, problems_changed = self._reload_settings(notices)
        if not (library_changed or settings_changed or problems_changed):
            return None
        return Reload(settings_changed, library_changed, problems_changed, tuple(notices))

    def _reload_routines(self, notices: list[Notice]) -> bool:
        from mobility_coach.core.routines.last_good import keep_last_good

        if self._library is None:
            return False  # none read yet: they are read as they are when first needed
        kept = keep_last_good(self.library, self._load_library())
        after = kept.library
        before = self.library
        news = routines_news(before, after)
        known = set(before.problems)
        new_problems = [p for p in after.problems if p not in known]
        fixed = len(after.problems) < len(before.problems) and not new_problems
        if news is None and not new_problems and set(after.problems) == known:
            return False
        self._library = after
        if news is not None:
            notices.append(Notice(news))
        if new_problems:
            first = new_problems[0]
            still = "its last good routines stay in force" if first.path in kept.files else "the other routines work"
            more = f" (and {len(new_problems) - 1} more)" if len(new_problems) > 1 else ""
            notices.append(Notice(f"{first.path.name} has a problem; {still}", True, f"{first}{more}"))
        elif fixed and news is None:
            notices.append(Notice("Routines reloaded: the problems are fixed"))
        return True

    def _reload_settings(self, notices: list[Notice]) -> tuple[bool, bool]:
        settings, problems = self._read_settings(self.library.routines)
        name = self.config_file.name
        if problems:
            if problems == self.settings_problems:
                return False, False
            self.settings_problems = problems
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            notices.append(
                Notice(f"{name} has a problem; the last good settings stay in force", True, f"{problems[0]}{more}")
            )
            return False, True
        had_problems = bool(self.settings_problems)
        self.settings_problems = []
        if settings != self.settings:
            self.settings = settings
            notices.append(Notice("Settings reloaded"))
            return True, had_problems
        if had_problems:
            notices.append(Notice(f"{name} has no problems now"))
        return False, had_problems
