"""A routine as it is played without the floor: each floor exercise replaced by its
declared seated or standing variant, played as the variant's own ``dose`` says (its hold
or reps and tempo, and sides: a version's cues fit its own pace), else with the step's."""

from __future__ import annotations

from dataclasses import replace

from mobility_coach.core.routines.model import Exercise, Routine, Step
from mobility_coach.core.routines.spoken import with_room_to_speak


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


def as_played(routine: Routine, floor: bool, easier: bool = False) -> Routine:
    """The routine the player gets under the ``floor`` setting, with the easier versions
    of its exercises when ``easier`` (after a "worse" or "pain" answer today)."""
    played = gentler(routine) if easier else routine
    # A version says other words than the exercise it stands in for: room for them too.
    return with_room_to_speak(played if floor else without_floor(played))
