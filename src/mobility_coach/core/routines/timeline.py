"""Expand a routine into a flat timeline of segments, each with its cues.

Pure and exact: offsets are sums of the routine's own numbers, so a player can compute
"time left" from them and a deadline, never from counted ticks.

Self-paced reps have no length: such a segment has ``duration=None`` and contributes
nothing to offsets or to ``Timeline.timed_seconds``; the player waits for the user.
"""

from __future__ import annotations

import itertools
import math
import weakref
from dataclasses import asdict, dataclass, field, replace
from fractions import Fraction
from typing import Any, Literal

from mobility_coach.core.durations import format_duration
from mobility_coach.core.routines.model import Defaults, Exercise, Routine, Step
from mobility_coach.core.routines.wording import step_work

SegmentKind = Literal["get_ready", "work", "switch", "rest"]
CueKind = Literal["announce", "go", "rep", "phase", "halfway", "countdown", "switch", "rest", "next_up", "done"]

HALFWAY_MIN_SECONDS = 20.0  # shorter holds get no halfway cue: it would crowd the 3-2-1
COUNTDOWN_FROM = 3
SIDES = ("left", "right")
# Getting down to the floor, or up from it, takes longer than a get-ready's usual few
# seconds: the get-ready before such a step lasts at least this long, and says so.
FLOOR_CHANGE_SECONDS = 15.0
# A routine starts where its user is: at the desk, in a chair.
STARTING_POSITION = "seated"
# The first reps of a tempo step speak their phases in full; later ones, a word or the count.
FULL_PHASE_REPS = 2
_MOVES = {"floor": "Get down on the floor", "standing": "Stand up", "seated": "Sit down"}
# Starting postures that only repeat the position: "Stand up: standing" says it twice.
_PLAIN_STARTS = {"standing", "sitting", "seated"}


def position_change(before: Exercise | None, exercise: Exercise) -> str | None:
    """The get-ready's title when the user must move to get from ``before`` (None: the
    start) into position for ``exercise``, e.g. "Get down on the floor: all fours"; None
    when nothing changes. What the voice says (how to move) is spoken.py's."""
    was = before.position if before is not None else STARTING_POSITION
    start = f": {exercise.start}" if exercise.start and exercise.start not in _PLAIN_STARTS else ""
    if before is None and exercise.position != "floor":
        return None  # standing up from the desk needs no telling
    if exercise.position != was:
        return _MOVES[exercise.position] + start
    if before is not None and start and before.start and exercise.start != before.start:
        return f"Change position{start}"
    return None


def _before(routine: Routine, round_: int, index: int) -> Exercise | None:
    if index > 0:
        return routine.steps[index - 1].exercise
    return routine.steps[-1].exercise if round_ > 1 else None


def _ready_seconds(routine: Routine, round_: int, index: int) -> float:
    step = routine.steps[index]
    ready = _gap(step, routine.defaults, "get_ready")
    before = _before(routine, round_, index)
    was = before.position if before is not None else STARTING_POSITION
    if "floor" in (was, step.exercise.position) and was != step.exercise.position:
        return max(ready, FLOOR_CHANGE_SECONDS)
    return ready


@dataclass(frozen=True)
class Cue:
    """Something the session says at a moment in its segment: shown, sounded as a tone, or spoken."""

    at: float  # seconds from the start of its segment
    kind: CueKind
    text: str
    # Index of its segment in the timeline, so the voice can tell a cue of round 1 from
    # the same cue in round 2; left out of equality, which compares what a cue says.
    segment: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Segment:
    """One stretch of a routine's timeline (a get-ready, work, a switch or a rest), with its cues."""

    kind: SegmentKind
    start: float  # seconds of timed segments before this one
    duration: float | None  # None: self-paced, lasts until the user says done
    label: str  # "Get ready", "Cat-cow", "Switch sides", "Rest between sets", ...
    step: int  # index of the routine step this segment belongs to (or leads into)
    round: int  # 1-based
    set: int  # 1-based; 0 for segments outside a step's sets
    sets: int
    side: str | None
    reps: int | None
    tempo: float | None
    exercise: Exercise | None
    cues: tuple[Cue, ...]

    @property
    def self_paced(self) -> bool:
        return self.duration is None

    def rep_at(self, elapsed: float) -> int | None:
        """The rep being done ``elapsed`` seconds into a tempo-paced work segment."""
        if self.reps is None or self.tempo is None:
            return None
        return min(self.reps, int(elapsed // self.tempo) + 1)


@dataclass(frozen=True)
class Timeline:
    """A routine expanded into the segments a player plays, in order."""

    routine: Routine
    segments: tuple[Segment, ...]

    @property
    def timed_seconds(self) -> float:
        return math.fsum(s.duration for s in self.segments if s.duration is not None)

    @property
    def self_paced_count(self) -> int:
        return sum(1 for s in self.segments if s.duration is None)

    def to_json(self) -> dict[str, Any]:
        segments = []
        for s in self.segments:
            item = asdict(s)
            item["exercise"] = s.exercise.id or s.exercise.name if s.exercise else None
            item["cues"] = [{"at": c.at, "kind": c.kind, "text": c.text} for c in s.cues]
            segments.append(item)
        return {
            "routine": self.routine.id,
            "name": self.routine.name,
            "timed_seconds": self.timed_seconds,
            "self_paced_segments": self.self_paced_count,
            "segments": segments,
        }


def _gap(step: Step, defaults: Defaults, name: str) -> float:
    own: float | None = getattr(step, name)
    return own if own is not None else float(getattr(defaults, name))


def _rest_cues(gap: float, next_up: str, counted: bool) -> list[Cue]:
    """A rest says so and names what comes next; ``counted``, it counts down its last
    seconds (into work: a rest before a get-ready leaves the count-in to it, so one
    moment is never counted twice)."""
    return [Cue(0, "rest", "Rest"), Cue(0, "next_up", f"Next up: {next_up}"), *(_countdown(gap) if counted else [])]


def _phase_cues(exercise: Exercise, tempo: float, reps: int) -> list[Cue]:
    """A cue at each phase of each tempo rep after the first phase (which starts with
    the rep): spoken by the voice, silent without it."""
    phases = exercise.spoken.phases
    share = tempo / len(phases) if phases else tempo
    return [Cue(k * tempo + j * share, "phase", phases[j].say) for k in range(reps) for j in range(1, len(phases))]


def _countdown(duration: float) -> list[Cue]:
    return [Cue(duration - n, "countdown", str(n)) for n in range(COUNTDOWN_FROM, 0, -1) if duration - n >= 0.5]


def expand(routine: Routine) -> Timeline:
    """The routine's timeline: every round, step, set and side, with gaps between."""
    segments: list[Segment] = []
    clock = 0.0
    defaults = routine.defaults

    def add(
        kind: SegmentKind,
        duration: float | None,
        label: str,
        step: int,
        round_: int,
        cues: list[Cue],
        *,
        set_: int = 0,
        sets: int = 0,
        side: str | None = None,
        exercise: Exercise | None = None,
        reps: int | None = None,
        tempo: float | None = None,
    ) -> None:
        nonlocal clock
        if duration is not None and duration <= 0:
            return
        segments.append(
            Segment(
                kind,
                clock,
                duration,
                label,
                step,
                round_,
                set_,
                sets,
                side,
                reps,
                tempo,
                exercise,
                tuple(replace(c, segment=len(segments)) for c in sorted(cues, key=lambda c: c.at)),
            )
        )
        if duration is not None:
            clock += duration

    steps = routine.steps
    for round_ in range(1, routine.rounds + 1):
        for index, step in enumerate(steps):
            ex = step.exercise
            sides: tuple[str | None, ...] = SIDES if step.sides == "both" else (None,)
            ready = _ready_seconds(routine, round_, index)
            first_side = ", left side first" if step.sides == "both" else ""
            move = position_change(_before(routine, round_, index), ex)
            announce = f"Get ready: {ex.name} ({step_work(step)}{first_side})"
            add(
                "get_ready",
                ready,
                move or "Get ready",
                index,
                round_,
                [Cue(0, "announce", f"{move}. {announce}" if move else announce), *_countdown(ready)],
                exercise=ex,
            )
            for set_ in range(1, step.sets + 1):
                for side_index, side in enumerate(sides):
                    work = step.work_seconds
                    side_text = f", {side} side" if side else ""
                    cues = [Cue(0, "go", f"Go: {ex.name}{side_text}")]
                    if work is not None and step.tempo is not None and step.reps:
                        cues += [Cue(k * step.tempo, "rep", f"rep {k + 1} of {step.reps}") for k in range(1, step.reps)]
                        cues += _phase_cues(step.exercise, step.tempo, step.reps)
                    elif work is not None:
                        if work >= HALFWAY_MIN_SECONDS:
                            cues.append(Cue(work / 2, "halfway", "Halfway"))
                        cues += _countdown(work)
                    add(
                        "work",
                        work,
                        ex.name,
                        index,
                        round_,
                        cues,
                        set_=set_,
                        sets=step.sets,
                        side=side,
                        exercise=ex,
                        reps=step.reps,
                        tempo=step.tempo,
                    )
                    if side_index + 1 < len(sides):
                        gap = _gap(step, defaults, "switch")
                        add(
                            "switch",
                            gap,
                            "Switch sides",
                            index,
                            round_,
                            [
                                Cue(0, "switch", f"Switch sides: {ex.name}, {sides[side_index + 1]} side"),
                                *_countdown(gap),
                            ],
                            set_=set_,
                            sets=step.sets,
                            side=sides[side_index + 1],
                            exercise=ex,
                        )
                if set_ < step.sets:
                    gap = _gap(step, defaults, "set_rest")
                    add(
                        "rest",
                        gap,
                        "Rest between sets",
                        index,
                        round_,
                        _rest_cues(gap, f"{ex.name}, set {set_ + 1} of {step.sets}", counted=True),
                        set_=set_,
                        sets=step.sets,
                        exercise=ex,
                    )
            last_in_round = index + 1 == len(steps)
            if not last_in_round:
                gap = _gap(step, defaults, "rest")
                following = steps[index + 1].exercise
                add(
                    "rest",
                    gap,
                    "Rest",
                    index,
                    round_,
                    _rest_cues(gap, following.name, counted=False),
                )
            elif round_ < routine.rounds:
                gap = defaults.round_rest
                add(
                    "rest",
                    gap,
                    "Rest between rounds",
                    index,
                    round_,
                    _rest_cues(gap, f"round {round_ + 1} of {routine.rounds}, {steps[0].exercise.name}", counted=False),
                )
    if segments:
        last = segments[-1]
        end = last.duration if last.duration is not None else 0.0
        segments[-1] = replace(last, cues=(*last.cues, Cue(end, "done", "Done", len(segments) - 1)))
    return Timeline(routine, tuple(segments))


def _parts(routine: Routine) -> list[tuple[float | None, int]]:
    """(duration, how many times) of every segment ``expand`` makes, without making them:
    the durations of zero or less that it leaves out included, ``None`` for self-paced."""
    parts: list[tuple[float | None, int]] = []
    defaults = routine.defaults
    rounds = routine.rounds
    for index, step in enumerate(routine.steps):
        sides = 2 if step.sides == "both" else 1
        first = _ready_seconds(routine, 1, index)
        later = _ready_seconds(routine, 2, index) if rounds > 1 else first
        if first == later:
            parts.append((first, rounds))
        else:  # only the first step's, which follows the last step from the second round on
            parts += [(first, 1), (later, rounds - 1)]
        parts += [
            (step.work_seconds, step.sets * sides * rounds),
            (_gap(step, defaults, "switch"), step.sets * (sides - 1) * rounds),
            (_gap(step, defaults, "set_rest"), (step.sets - 1) * rounds),
        ]
        if index + 1 < len(routine.steps):
            parts.append((_gap(step, defaults, "rest"), rounds))
    if rounds > 1:
        parts.append((defaults.round_rest, rounds - 1))
    return parts


# Up to this many segments, summing each one (as ``Timeline.timed_seconds`` does) is the
# quicker way to the exact sum; past it, exact fractions keep the cost to one per step.
_SUMMED_UP_TO = 4096


def _exact_total(parts: list[tuple[float, int]]) -> float:
    """The sum ``math.fsum`` gives over every segment (the exact sum, rounded once), from
    (duration, times) pairs, whatever the sets and rounds multiply them to."""
    if sum(times for _, times in parts) <= _SUMMED_UP_TO or not all(math.isfinite(length) for length, _ in parts):
        return math.fsum(itertools.chain.from_iterable(itertools.repeat(length, times) for length, times in parts))
    return float(sum((Fraction(length) * times for length, times in parts), Fraction(0)))


def measure(routine: Routine) -> tuple[int, float]:
    """(segment count, timed seconds) of ``expand(routine)``, without expanding it,
    so the loader can refuse an absurdly long routine cheaply."""
    parts = [(length, times) for length, times in _parts(routine) if times > 0 and (length is None or length > 0)]
    timed = [(length, times) for length, times in parts if length is not None]
    seconds = _exact_total(timed)
    # What length_of would work out from the same parts: the home screen and the break's
    # pick ask it for every routine right after loading, and need not walk the steps again.
    _remember(routine, Length(seconds, sum(times for length, times in parts if length is None)))
    return sum(times for _, times in parts), seconds


@dataclass(frozen=True)
class Length:
    """What a routine's timeline adds up to, known without the timeline."""

    timed_seconds: float
    """As ``Timeline.timed_seconds``, to the last bit."""
    self_paced_count: int
    """As ``Timeline.self_paced_count``."""

    def text(self) -> str:
        """``2m49s``, with a ``+`` when self-paced steps add time of their own."""
        return length_text(self.timed_seconds, self.self_paced_count)


# Each routine's length, for as long as the routine lives: the home screen asks again for
# every routine shown on every keystroke. Keyed by identity (a routine's hash would walk
# all of it), with a weak reference so a reloaded library's old routines are let go.
_LENGTHS: dict[int, tuple[weakref.ref[Routine], Length]] = {}


def length_of(routine: Routine) -> Length:
    """The routine's timed seconds and self-paced segments, as ``expand`` would give them,
    computed from its steps (not its timeline) once per routine object."""
    key = id(routine)
    known = _LENGTHS.get(key)
    if known is not None and known[0]() is routine:
        return known[1]
    parts = [(length, times) for length, times in _parts(routine) if times > 0]
    length = Length(
        _exact_total([(seconds, times) for seconds, times in parts if seconds is not None and seconds > 0]),
        sum(times for seconds, times in parts if seconds is None),
    )
    _remember(routine, length)
    return length


def _remember(routine: Routine, length: Length) -> None:
    key = id(routine)
    _LENGTHS[key] = (weakref.ref(routine, lambda _, key=key: _forget(key)), length)  # type: ignore[misc]


def _forget(key: int) -> None:
    known = _LENGTHS.get(key)
    if known is not None and known[0]() is None:
        del _LENGTHS[key]


def length_text(timed_seconds: float, self_paced_count: int) -> str:
    """``2m49s``, with a ``+`` when self-paced steps add time of their own."""
    text = format_duration(timed_seconds)
    return text + "+" if self_paced_count else text


def routine_length(timeline: Timeline) -> str:
    """``2m49s``, with a ``+`` when self-paced steps add time of their own."""
    return length_text(timeline.timed_seconds, timeline.self_paced_count)
