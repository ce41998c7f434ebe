"""What a session shows at one instant: the display rules, in one pure function.

The screen renders a ``SessionView``; the voice and the moving figure read the same one,
so what is shown, said and drawn can never disagree. The view
holds plain values (words and numbers); styling is the face's business.
"""

from __future__ import annotations

from dataclasses import dataclass

from mobility_coach.core.durations import format_clock
from mobility_coach.core.figures.motion import FigureMoment, still, working
from mobility_coach.core.routines.model import Exercise, Routine
from mobility_coach.core.routines.timeline import Segment, SegmentKind
from mobility_coach.core.routines.wording import hold_words, own_pace_words
from mobility_coach.core.session.player import Player, Status

PHASE_LABELS: dict[SegmentKind, str] = {
    "get_ready": "GET READY",
    "work": "WORK",
    "switch": "SWITCH SIDES",
    "rest": "REST",
}
SELF_PACED_LABEL = "YOUR PACE"
PAUSED_HINT = "PAUSED, press space to carry on"


@dataclass(frozen=True)
class StepRow:
    """One line of the list of steps: a step in one round."""

    label: str
    """The exercise, after "R2 " when the routine has several rounds."""
    current: bool
    complete: bool
    """All its work was done (reached its end, or marked done)."""


@dataclass(frozen=True)
class SessionView:
    """Everything the session screen shows, as of one monotonic instant."""

    phase: SegmentKind
    phase_label: str
    """"GET READY", "WORK", "YOUR PACE" (self-paced work), "SWITCH SIDES", "REST"."""
    paused: bool
    paused_hint: str
    """What to do about a pause; empty while running."""
    awaiting_done: bool
    """A self-paced segment is running: only the user's "done" ends it."""
    counting_up: bool
    """The clock counts time spent (self-paced) rather than time left."""
    clock_seconds: float
    """Seconds left in the segment, or spent in it when ``counting_up``."""
    clock_text: str
    title: str
    """The exercise being done or got ready for, or "Rest"."""
    side: str | None
    detail: str
    """The set/rep/hold/round line, e.g. "set 1 of 2 · rep 3 of 8"."""
    rep: int | None
    """The rep being done, in a tempo-paced work segment."""
    cue: str
    """The last thing said (an announcement, "Go: ...", "Halfway"...)."""
    exercise_cues: tuple[str, ...]
    """How to do the exercise: this one's, or while resting the next one's."""
    note: str | None
    """The routine's note on this step (none while resting)."""
    next_up: str
    """"Next: Bend, left side"; "Then: ..." when the current exercise is still ahead."""
    steps: tuple[StepRow, ...]
    step_number: int
    """1-based index of the current step (in its round) among ``step_total``."""
    step_total: int
    done_seconds: float
    """Timed seconds of the session behind us (self-paced segments count as 0)."""
    total_seconds: float
    left_seconds: float
    left_text: str
    finished: bool
    figure: FigureMoment
    """The figure to draw: this exercise moving in time with the clock above (frozen
    while paused), or the starting position of the one about to begin."""

    @property
    def progress(self) -> float:
        """The share of the session's timed seconds done, 0 to 1."""
        return self.done_seconds / self.total_seconds if self.total_seconds > 0 else 1.0


def step_exercise(routine: Routine, segment: Segment) -> Exercise:
    """The exercise of the step a segment belongs to (or leads into)."""
    return segment.exercise or routine.steps[segment.step].exercise


def session_view(player: Player, now: float, last_cue: str = "") -> SessionView:
    """The view of ``player``'s session at monotonic instant ``now``; ``last_cue`` is
    the text of the last cue played. Reads the player, changes nothing."""
    segment = player.segment
    routine = player.timeline.routine
    resting = segment.kind == "rest"
    remaining = player.remaining(now)
    clock = player.elapsed(now) if remaining is None else remaining
    coming = _works_after(player)
    left = player.total_remaining(now)
    paused = player.status is Status.PAUSED
    rep = player.rep(now)
    reading = _exercise_to_read(routine, segment, coming)
    return SessionView(
        phase=segment.kind,
        phase_label=SELF_PACED_LABEL if segment.kind == "work" and segment.self_paced else PHASE_LABELS[segment.kind],
        paused=paused,
        paused_hint=PAUSED_HINT if paused else "",
        awaiting_done=player.awaiting_done,
        counting_up=remaining is None,
        clock_seconds=clock,
        clock_text=format_clock(clock),
        title="Rest" if resting else step_exercise(routine, segment).name,
        side=segment.side,
        detail=" · ".join(_detail(segment, rep, routine.rounds)),
        rep=rep,
        cue=last_cue,
        exercise_cues=reading.cues,
        note=None if resting else routine.steps[segment.step].note,
        next_up=_next_up(segment, coming),
        steps=_step_rows(player, routine.rounds > 1),
        step_number=player.unit_index + 1,
        step_total=player.unit_count,
        done_seconds=player.timeline.timed_seconds - left,
        total_seconds=player.timeline.timed_seconds,
        left_seconds=left,
        left_text=f"{format_clock(left)} left",
        finished=player.status is Status.FINISHED,
        figure=_figure(segment, reading, coming, player.elapsed(now)),
    )


def _figure(segment: Segment, exercise: Exercise, coming: tuple[Segment, ...], elapsed: float) -> FigureMoment:
    """The exercise's figure ``elapsed`` seconds into ``segment``; outside work, the
    starting position of the side that comes next (the left side is the mirror)."""
    figure = exercise.drawn
    if segment.kind == "work":
        return working(figure, elapsed, segment.duration, segment.tempo, segment.reps, segment.side == "left")
    side = segment.side or (coming[0].side if coming else None)
    return still(figure, 0, side == "left")


def _works_after(player: Player) -> tuple[Segment, ...]:
    """The next two work segments after the current one: all the next-up line needs."""
    found: list[Segment] = []
    for segment in player.timeline.segments[player.index + 1 :]:
        if segment.kind == "work":
            found.append(segment)
            if len(found) == 2:
                break
    return tuple(found)


def _detail(segment: Segment, rep: int | None, rounds: int) -> list[str]:
    parts = []
    if segment.sets > 1:
        parts.append(f"set {segment.set} of {segment.sets}")
    if segment.kind == "work":
        if segment.self_paced:
            parts.append(f"{own_pace_words(segment.reps)}: press Enter when done")
        elif segment.reps is not None:
            parts.append(f"rep {rep} of {segment.reps}")
        else:
            parts.append(hold_words(segment.duration or 0))
    if rounds > 1:
        parts.append(f"round {segment.round} of {rounds}")
    return parts


def _exercise_to_read(routine: Routine, segment: Segment, coming: tuple[Segment, ...]) -> Exercise:
    """The exercise whose cues are shown: while resting, the one to come."""
    if segment.kind == "rest" and coming and coming[0].exercise is not None:
        return coming[0].exercise
    return step_exercise(routine, segment)


def _next_up(segment: Segment, coming: tuple[Segment, ...]) -> str:
    # Get-ready and rest already name the next work as what comes now: say the one after.
    leads_in = segment.kind in ("get_ready", "rest")
    lead = "Then" if leads_in else "Next"
    then = coming[1:] if leads_in else coming
    if not then:
        return f"{lead}: finish"
    name = then[0].exercise.name if then[0].exercise else then[0].label
    side = f", {then[0].side} side" if then[0].side else ""
    return f"{lead}: {name}{side}"


def _step_rows(player: Player, show_round: bool) -> tuple[StepRow, ...]:
    current = player.unit_index
    return tuple(
        StepRow(f"R{result.round} {result.name}" if show_round else result.name, i == current, result.complete)
        for i, result in enumerate(player.results())
    )
