"""A routine as it is played for the body the settings describe: without the floor,
each floor exercise replaced by its declared seated or standing variant; without
standing, each standing exercise by its seated one; under a precaution, each exercise
advised against swapped for its version for that precaution or left out, and the
precaution's own cautions added. A version is played as its own ``dose`` says (its hold
or reps and tempo, and sides: a version's cues fit its own pace), else with the step's."""

from __future__ import annotations

from dataclasses import replace

from mobility_coach.core.routines.model import Exercise, Routine, Step
from mobility_coach.core.routines.precautions import ANY_BODY, Body, caution_for
from mobility_coach.core.routines.spoken import with_room_to_speak

__all__ = ["ANY_BODY", "Body", "as_played", "fits", "fitted", "for_body", "gentler", "without_floor"]
# A chain of versions (a precaution's version, its off-floor one, that one's seated one)
# is short; a longer one is a loop in a user's variants.
_MOST_SWAPS = 6


def _off_floor(step: Step) -> Step:
    variant = step.exercise.off_floor
    if not step.exercise.needs_floor or variant is None:
        return step
    return dosed(step, variant)


def dosed(step: Step, exercise: Exercise) -> Step:
    """``step`` with ``exercise`` in its place, played as its dose says (if it has one)."""
    dose = exercise.dose
    if dose is None:
        return replace(step, exercise=exercise)
    return replace(
        step,
        exercise=exercise,
        hold=dose.hold,
        reps=dose.reps,
        tempo=dose.tempo,
        sides=dose.sides,
        switch=step.switch if dose.sides == "both" else None,
    )


def without_floor(routine: Routine) -> Routine:
    """The routine with every floor exercise that has an off-floor variant swapped for
    it; the same routine when nothing changes. A floor exercise without one stays, so
    the result may still need the floor (``fits_without_floor`` says)."""
    steps = tuple(_off_floor(step) for step in routine.steps)
    if all(new is old for new, old in zip(steps, routine.steps, strict=True)):
        return routine
    return replace(routine, steps=steps)


def fits_without_floor(routine: Routine) -> bool:
    """Whether the routine can be done without getting down to the floor, variants used."""
    return not any(step.exercise.needs_floor and step.exercise.off_floor is None for step in routine.steps)


def gentler(routine: Routine) -> Routine:
    """The routine with every exercise that declares an easier version played as that
    version (its own dose), for a day after a "worse" or "pain" answer; the same routine
    when none does."""
    steps = tuple(step if step.exercise.easier is None else dosed(step, step.exercise.easier) for step in routine.steps)
    if all(new is old for new, old in zip(steps, routine.steps, strict=True)):
        return routine
    return replace(routine, steps=steps)


def _next_version(exercise: Exercise, floor: bool, body: Body) -> Exercise | None:
    """The version to play instead of ``exercise`` (itself when none), or None to leave it out."""
    instead = dict(exercise.instead)
    for precaution in body.precautions:
        if precaution in instead:
            return instead[precaution]
    if any(precaution in exercise.avoid_with for precaution in body.precautions):
        return None
    if not floor and exercise.needs_floor and exercise.off_floor is not None:
        return exercise.off_floor
    if not body.standing and exercise.position == "standing" and exercise.seated is not None:
        return exercise.seated
    return exercise


def fitted(exercise: Exercise, floor: bool, body: Body = ANY_BODY) -> Exercise | None:
    """The version of ``exercise`` played under the settings, or None when it is left out."""
    current = exercise
    for _ in range(_MOST_SWAPS):
        version = _next_version(current, floor, body)
        if version is None or version is current:
            return version
        current = version
    return current


def _with_cautions(exercise: Exercise, body: Body) -> Exercise:
    added = tuple(caution_for(precaution) for precaution in body.precautions)
    return replace(exercise, cautions=exercise.cautions + added) if added else exercise


def for_body(routine: Routine, floor: bool, body: Body) -> Routine:
    """The routine fitted to ``body`` (and the floor setting); the same routine when
    nothing changes. When every step would be left out, they stay as written and
    ``fits`` says False, so a break never offers it."""
    if body == ANY_BODY:
        return routine if floor else without_floor(routine)
    steps: list[Step] = []
    for step in routine.steps:
        version = fitted(step.exercise, floor, body)
        if version is None:
            continue
        played = step if version is step.exercise else dosed(step, version)
        steps.append(replace(played, exercise=_with_cautions(played.exercise, body)))
    if not steps:
        return routine
    return replace(routine, steps=tuple(steps))


def fits(routine: Routine, floor: bool, body: Body = ANY_BODY) -> bool:
    """Whether the routine as played asks nothing the settings rule out: the floor, standing,
    or (every step) what a precaution leaves out."""
    played = for_body(routine, floor, body)
    if body.precautions and all(fitted(s.exercise, floor, body) is None for s in routine.steps):
        return False
    return (floor or not played.needs_floor) and (body.standing or "standing" not in played.positions)


def as_played(routine: Routine, floor: bool, easier: bool = False, body: Body = ANY_BODY) -> Routine:
    """The routine the player gets under the ``floor`` setting and the ``body`` the
    settings describe, with the easier versions of its exercises when ``easier`` (after a
    "worse" or "pain" answer today)."""
    played = for_body(gentler(routine) if easier else routine, floor, body)
    if played is routine:
        return routine  # as it was loaded, with room to speak made already
    # A version says other words than the exercise it stands in for: room for them too.
    return with_room_to_speak(played)
