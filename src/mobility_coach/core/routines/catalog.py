"""The exercise library as a user browses it: each exercise, where it comes from, and
which routines use it, so a routine file can be written without reading the YAML."""

from __future__ import annotations

from dataclasses import dataclass

from mobility_coach.core.routines.loader import Library
from mobility_coach.core.routines.model import Exercise, Origin


@dataclass(frozen=True)
class ExerciseEntry:
    """One library exercise as the catalog shows it: where it comes from and which routines use it."""

    exercise: Exercise
    origin: Origin
    used_by: tuple[str, ...]  # ids of the routines with a step that names it, sorted


def exercise_entry(library: Library, exercise_id: str) -> ExerciseEntry | None:
    exercise = library.exercises.get(exercise_id)
    if exercise is None:
        return None
    users = sorted(r.id for r in library.routines.values() if any(s.exercise.id == exercise_id for s in r.steps))
    return ExerciseEntry(exercise, library.exercise_origins[exercise_id], tuple(users))


def catalog(library: Library) -> list[ExerciseEntry]:
    """Every library exercise, by id."""
    entries = (exercise_entry(library, exercise_id) for exercise_id in sorted(library.exercises))
    return [entry for entry in entries if entry is not None]
