"""Expand a routine into a flat timeline of segments, each with its cues.

Pure and exact: offsets are sums of the routine's own numbers, so a player can compute
"time left" from them and a deadline, never from counted ticks.

Self-paced reps have no length: such a segment has ``duration=None`` and contributes
nothing to offsets or to ``Timeline.timed_seconds``; the player waits for the user.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from mobility_coach.core.durations import format_duration
from mobility_coach.core.routines.model import Defaults, Exercise, Routine, Step
from mobility_coach.core.routines.wording import step_work

SegmentKind = Literal["get_ready", "work", "switch", "rest"]
CueKind = Literal["announce", "go", "rep", "halfway", "countdown", "switch", "rest", "next_up", "done"]

HALFWAY_MIN_SECONDS = 20.0  # shorter holds get no halfway cue: it would crowd the 3-2-1
COUNTDOWN_FROM = 3
SIDES = ("left", "right")


@dataclass(frozen=True)
class Cue:
    at: float  # seconds from the start of its segment
    kind: CueKind
    text: str
    # Index of its segment in the timeline, so the voice can tell a cue of round 1 from
    # the same cue in round 2; left out of equality, which compares what a cue says.
    segment: int = field(default=-1, compare=False)


@dataclass(frozen=True)
class Segment:
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


def _rest_cues(gap: float, next_up: str) -> list[Cue]:
    """A rest says so, names what comes next, and counts down its last seconds."""
    return [Cue(0, "rest", "Rest"), Cue(0, "next_up", f"Next up: {next_up}"), *_countdown(gap)]


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
            ready = _gap(step, defaults, "get_ready")
            first_side = ", left side first" if step.sides == "both" else ""
            add(
                "get_ready",
                ready,
                "Get ready",
                index,
                round_,
                [Cue(0, "announce", f"Get ready: {ex.name} ({step_work(step)}{first_side})"), *_countdown(ready)],
                exercise=ex,
            )
            for set_ in range(1, step.sets + 1):
                for side_index, side in enumerate(sides):
                    work = step.work_seconds
                    side_text = f", {side} side" if side else ""
                    cues = [Cue(0, "go", f"Go: {ex.name}{side_text}")]
                    if work is not None and step.tempo is not None and step.reps:
                        cues += [Cue(k * step.tempo, "rep", f"rep {k + 1} of {step.reps}") for k in range(1, step.reps)]
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
                        _rest_cues(gap, f"{ex.name}, set {set_ + 1} of {step.sets}"),
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
                    _rest_cues(gap, following.name),
                )
            elif round_ < routine.rounds:
                gap = defaults.round_rest
                add(
                    "rest",
                    gap,
                    "Rest between rounds",
                    index,
                    round_,
                    _rest_cues(gap, f"round {round_ + 1} of {routine.rounds}, {steps[0].exercise.name}"),
                )
    if segments:
        last = segments[-1]
        end = last.duration if last.duration is not None else 0.0
        segments[-1] = replace(last, cues=(*last.cues, Cue(end, "done", "Done", len(segments) - 1)))
    return Timeline(routine, tuple(segments))


def measure(routine: Routine) -> tuple[int, float]:
    """(segment count, timed seconds) of ``expand(routine)``, without expanding it,
    so the loader can refuse an absurdly long routine cheaply."""
    count = 0
    seconds = 0.0
    defaults = routine.defaults
    for index, step in enumerate(routine.steps):
        sides = 2 if step.sides == "both" else 1
        parts: list[tuple[float | None, int]] = [
            (_gap(step, defaults, "get_ready"), 1),
            (step.work_seconds, step.sets * sides),
            (_gap(step, defaults, "switch"), step.sets * (sides - 1)),
            (_gap(step, defaults, "set_rest"), step.sets - 1),
        ]
        for length, times in parts:
            if length is None:
                count += times
            elif length > 0:
                count += times
                seconds += length * times
        if index + 1 < len(routine.steps):
            rest = _gap(step, defaults, "rest")
            if rest > 0:
                count += 1
                seconds += rest
    count *= routine.rounds
    seconds *= routine.rounds
    if routine.rounds > 1 and defaults.round_rest > 0:
        count += routine.rounds - 1
        seconds += defaults.round_rest * (routine.rounds - 1)
    return count, seconds


def routine_length(timeline: Timeline) -> str:
    """``2m49s``, with a ``+`` when self-paced steps add time of their own."""
    text = format_duration(timeline.timed_seconds)
    return text + "+" if timeline.self_paced_count else text
