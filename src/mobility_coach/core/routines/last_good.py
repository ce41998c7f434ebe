"""A routine file edited into a broken state keeps giving what it gave before.

Reloading the library from scratch after an edit would let one stray tab in a user's file
take its routines away from a running app mid-afternoon. Instead the entries that a file
with problems gave in the last library stay, until the file loads cleanly again; a file
that went away takes its entries with it (that is an edit too, and a clear one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from mobility_coach.core.routines.loader import Library
from mobility_coach.core.routines.model import Origin

_Entry = TypeVar("_Entry")


def _from_file(origins: Mapping[str, Origin], path: Path) -> set[str]:
    return {entry_id for entry_id, origin in origins.items() if origin.path == path}


def _keep(
    before: Mapping[str, _Entry],
    before_origins: Mapping[str, Origin],
    now: dict[str, _Entry],
    now_origins: dict[str, Origin],
    path: Path,
) -> None:
    """Put ``path``'s entries of ``before`` back into ``now``, in place of what the broken
    file gives now; an id that another user file defines now is left to that file."""
    for entry_id in _from_file(now_origins, path):
        del now[entry_id], now_origins[entry_id]
    for entry_id in _from_file(before_origins, path):
        taken = now_origins.get(entry_id)
        if taken is None or taken.builtin:
            now[entry_id] = before[entry_id]
            now_origins[entry_id] = before_origins[entry_id]


@dataclass(frozen=True)
class Kept:
    """The library to use, and the files whose last good entries it kept."""

    library: Library
    files: tuple[Path, ...]


def keep_last_good(before: Library, loaded: Library) -> Kept:
    """``loaded``, except that each user file with problems in it still gives the
    exercises and routines it gave in ``before``."""
    broken = sorted({p.path for p in loaded.problems})
    routines = dict(loaded.routines)
    exercises = dict(loaded.exercises)
    exercise_origins = dict(loaded.exercise_origins)
    routine_origins = {routine_id: routine.origin for routine_id, routine in routines.items()}
    before_routine_origins = {routine_id: routine.origin for routine_id, routine in before.routines.items()}
    kept: list[Path] = []
    for path in broken:
        gave = _from_file(before_routine_origins, path) | _from_file(before.exercise_origins, path)
        if not gave:
            continue
        kept.append(path)
        _keep(before.exercises, before.exercise_origins, exercises, exercise_origins, path)
        _keep(before.routines, before_routine_origins, routines, routine_origins, path)
    library = Library(
        exercises=exercises,
        exercise_origins=exercise_origins,
        routines=routines,
        problems=list(loaded.problems),
    )
    return Kept(library, tuple(kept))
