"""What the voice must say in a routine's gaps, in words, and the room made for them.

A routine is made ready to play with room to say these words (``with_room_to_speak``,
applied by the loader and by ``as_played``): a get-ready, a rest between steps or rounds
and a switch last at least as long as their words take to say at
``NOMINAL_WORDS_PER_SECOND`` (plus the count-in that follows a get-ready or a switch):
a routine's gap is a minimum, not a cap. The timeline then sums the routine's own
numbers, and the speech plan (core/session/speech.py) says the words, or shorter forms
when a slower voice would run over.

- A rest between steps says what comes next and how to get into position ("Rest. Next:
  Open book, 8 reps each side. Roll onto your left side, knees bent..."), so the user moves
  while resting; a position change says how to make it ("Come up to standing: ...").
- The get-ready after such a rest names the exercise and, for a sided step, what "left
  side" means; a get-ready with no rest before it says everything the rest would have.
- A switch says how to change sides.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from mobility_coach.core.routines.model import Exercise, Routine, Step
from mobility_coach.core.routines.timeline import COUNTDOWN_FROM, STARTING_POSITION
from mobility_coach.core.routines.wording import spoken_work

SpokenLength = Callable[[str], float]
"""Seconds a phrase takes to say, including the player's start and the voice's trailing
silence: an estimate (``speaking_time``) or a measurement of rendered audio."""

# Seconds added to every estimate: the audio player's start and what is left of the voice's
# trailing pause once the adapter trims it.
DEFAULT_MARGIN = 0.25
# A spoken pause at each comma, full stop or colon.
PAUSE_SECONDS = 0.15
# The pace the timeline makes room at: a little slower than the default voice (rate 160,
# about 2.1 words a second with espeak-ng), so its words fit with some to spare.
NOMINAL_WORDS_PER_SECOND = 2.0
# Room left after the words, before the count-in or what follows.
ROOM_MARGIN = 0.5
# How to get from one position to another, said before the new exercise's own setup.
_MOVES = {
    ("seated", "floor"): "Get down onto your mat, one knee at a time.",
    ("standing", "floor"): "Get down onto your mat, one knee at a time.",
    ("floor", "standing"): "Come up slowly: roll to your side, push up to your hands and knees, then stand.",
    ("floor", "seated"): "Come up slowly: roll to your side, push up to your hands and knees, then sit on your chair.",
    ("seated", "standing"): "Stand up from your chair.",
    ("standing", "seated"): "Sit down on your chair.",
}
# The first cue stands in for a setup only when it is this short.
FIRST_CUE_MAX_WORDS = 8
_CLAUSE_BREAKS = (" and ", " with ", " until ", " so ", " while ")
_WORD = re.compile(r"[A-Za-z']+|\d+")


def speaking_time(words_per_second: float, margin: float = DEFAULT_MARGIN) -> SpokenLength:
    """An estimate of how long a phrase takes at ``words_per_second``: its words (a
    number as the words it is read as), a short pause at each punctuation mark, and
    ``margin`` for the player's start and the voice's trailing silence."""
    if words_per_second <= 0:
        raise ValueError("words_per_second must be positive")

    def estimate(text: str) -> float:
        words = sum(_spoken_words(token) for token in _WORD.findall(text))
        pauses = sum(text.count(mark) for mark in ",.:;!?")
        return words / words_per_second + pauses * PAUSE_SECONDS + margin

    return estimate


def _spoken_words(token: str) -> int:
    """How many words a token is read as: "45" is "forty-five", two."""
    if not token.isdigit():
        return 1
    value = int(token)
    if value <= 20 or (value < 100 and value % 10 == 0):
        return 1
    return 2 if value < 100 else len(token)


_NOMINAL = speaking_time(NOMINAL_WORDS_PER_SECOND)


@lru_cache(maxsize=4096)
def room_for(text: str) -> float:
    """Seconds the timeline leaves for ``text``: its nominal saying time and a margin."""
    return _NOMINAL(text) + ROOM_MARGIN if text else 0.0


def first_cue_words(cues: tuple[str, ...]) -> str | None:
    """The first cue in a few words ("Start on hands and knees"), or None when even its
    first clause is long: a cut sentence would say less than nothing."""
    if not cues:
        return None
    clause = re.split(r"[,;:.]", cues[0], maxsplit=1)[0].strip()
    for joint in _CLAUSE_BREAKS:
        if len(clause.split()) <= FIRST_CUE_MAX_WORDS:
            break
        head = clause.split(joint, 1)[0]
        if head != clause and len(head.split()) >= 2:
            clause = head
    return clause if clause and len(clause.split()) <= FIRST_CUE_MAX_WORDS else None


def _sentence(text: str | None) -> str:
    """``text`` as a sentence of its own: capitalised, with its closing stop."""
    if not text:
        return ""
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def move_words(before: Exercise | None, exercise: Exercise) -> str:
    """How to change position from ``before`` (None: the start, in a chair) to
    ``exercise``'s, as a sentence; empty when the position stays."""
    was = before.position if before is not None else STARTING_POSITION
    return _MOVES.get((was, exercise.position), "")


def setup_words(before: Exercise | None, exercise: Exercise) -> str:
    """How to get into ``exercise``'s starting position: the position change, then its
    own setup (or its first cue, when short)."""
    own = exercise.spoken.setup or first_cue_words(exercise.cues)
    return " ".join(part for part in (move_words(before, exercise), _sentence(own)) if part)


def left_words(step: Step) -> str:
    """What "left side" means for a sided step, said once in its get-ready."""
    if step.sides != "both":
        return ""
    return _sentence(step.exercise.spoken.left) or "Left side first."


def switch_words(step: Step) -> str:
    """What is said as a sided step changes to its right side."""
    return "Switch sides. " + (_sentence(step.exercise.spoken.switch) or "Right side.")


def _work(step: Step, *, each_side: bool, how_to_end: bool) -> str:
    parts = [step.exercise.name, spoken_work(step, how_to_end=how_to_end) + (" each side" if each_side else "")]
    if step.sets > 1:
        parts.append(f"{step.sets} sets")
    return ", ".join(parts) + "."


def get_ready_words(step: Step, before: Exercise | None, after_rest: bool) -> str:
    """The get-ready's full words: after a rest (which said what comes and how to get
    into position), the exercise, its work and its sides; without one, all of it."""
    if after_rest:
        parts = [_work(step, each_side=False, how_to_end=True), left_words(step)]
    else:
        parts = [
            move_words(before, step.exercise),
            _work(step, each_side=False, how_to_end=True),
            _sentence(step.exercise.spoken.setup or first_cue_words(step.exercise.cues)),
            left_words(step),
        ]
    return " ".join(part for part in parts if part)


def rest_words(step: Step, before: Exercise | None, heading: str = "") -> str:
    """A rest's full words before ``step``: what comes next, and how to get into position.
    ``heading`` goes after "Next:" ("round 2 of 3, ")."""
    each = step.sides == "both"
    return " ".join(
        part
        for part in (
            f"Rest. Next: {heading}{_work(step, each_side=each, how_to_end=False)}",
            setup_words(before, step.exercise),
        )
        if part
    )


def _whole(seconds: float) -> float:
    """Seconds made room for, rounded up to a whole second (sums of them stay exact)."""
    return float(math.ceil(seconds - 1e-9))


def _own(value: float | None, default: float) -> float:
    return value if value is not None else default


def with_room_to_speak(routine: Routine) -> Routine:
    """``routine`` with each get-ready, rest and switch long enough for its words (each
    step's own gap raised where it falls short; a rest of 0 stays none), the same
    routine when every gap is long enough already."""
    steps, defaults, rounds = routine.steps, routine.defaults, routine.rounds
    made: list[Step] = []
    for index, step in enumerate(steps):
        # The step before (and the rest between), in the first round and, for the first
        # step, in the later ones: the get-ready makes room for the longer words.
        contexts: list[tuple[Exercise | None, bool]] = []
        if index > 0:
            contexts.append((steps[index - 1].exercise, _own(steps[index - 1].rest, defaults.rest) > 0))
        else:
            contexts.append((None, False))
            if rounds > 1:
                contexts.append((steps[-1].exercise, defaults.round_rest > 0))
        needed = max(room_for(get_ready_words(step, before, after_rest)) for before, after_rest in contexts)
        ready = max(_own(step.get_ready, defaults.get_ready), _whole(needed + COUNTDOWN_FROM))
        rest = step.rest
        if index + 1 < len(steps) and _own(step.rest, defaults.rest) > 0:
            rest = max(_own(step.rest, defaults.rest), _whole(room_for(rest_words(steps[index + 1], step.exercise))))
        switch = step.switch
        if step.sides == "both":
            switch = max(_own(step.switch, defaults.switch), _whole(room_for(switch_words(step)) + COUNTDOWN_FROM))
        made.append(_with_gaps(step, ready, rest, switch))
    round_rest = defaults.round_rest
    if rounds > 1 and round_rest > 0:
        heading = f"round 2 of {rounds}, "  # a round's number (at most 20) is one word
        round_rest = max(round_rest, _whole(room_for(rest_words(steps[0], steps[-1].exercise, heading))))
    if all(new is old for new, old in zip(made, steps, strict=True)) and round_rest == defaults.round_rest:
        return routine
    return replace(routine, steps=tuple(made), defaults=replace(defaults, round_rest=round_rest))


def _with_gaps(step: Step, ready: float, rest: float | None, switch: float | None) -> Step:
    if (step.get_ready, step.rest, step.switch) == (ready, rest, switch):
        return step
    return replace(step, get_ready=ready, rest=rest, switch=switch)
