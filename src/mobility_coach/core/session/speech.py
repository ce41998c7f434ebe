"""What the voice says, and when, for a whole routine: one pure plan made from the timeline.

The voice speaks at the timeline's own cues, so what is said, shown and sounded never
disagree: a rest says what comes next and how to get into position, the get-ready names
the exercise, its work and what "left side" means, "three, two, one" counts into work,
tempo reps speak their phases (in full for the first reps, then a word or the count),
a long hold gets a cue in its middle, a switch says how to change sides, and a closing
line ends the session. A spoken line takes the place of its cue's tone (the tone is
dropped, never played over the voice). The timeline makes room for the full words of
each gap (core/routines/spoken.py); this plan says them.

Nothing is ever cut off or spoken over: each cue's phrase comes in forms from the fullest
to the shortest (the exercise's name alone), and the plan takes the first whose spoken
length (estimated, or measured once rendered) ends before the next cue that makes a sound. When not even the
shortest fits, the cue keeps its tone. A self-paced segment may end the moment it starts
(the user presses Enter), so nothing is spoken at its start.

The same plan is the session's caption (the line shown as it is said) and the script
``mobility-coach show ROUTINE --script`` prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from mobility_coach.core.config import DEFAULT_VOICE_RATE
from mobility_coach.core.routines.model import Step
from mobility_coach.core.routines.spoken import (
    DEFAULT_MARGIN,
    PAUSE_SECONDS,
    SpokenLength,
    first_cue_words,
    get_ready_words,
    left_words,
    rest_words,
    speaking_time,
    switch_words,
)
from mobility_coach.core.routines.timeline import FULL_PHASE_REPS, Cue, CueKind, Segment, Timeline

__all__ = [
    "DEFAULT_MARGIN",
    "PAUSE_SECONDS",
    "SpokenLength",
    "first_cue_words",
    "speaking_time",
]

# Cues that make no sound of their own: the rest's "next up" is spoken with its "rest".
SILENT: frozenset[CueKind] = frozenset({"next_up"})

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# espeak-ng says fewer words a minute than its rate asks for once pauses are counted;
# measured on espeak-ng 1.51 (bench/speech_latency.py prints the figure for a machine).
WORDS_PER_RATE = 0.8 / 60


def words_per_second(rate: int) -> float:
    """How many words a second the voice says at ``rate`` (the engine's words a minute)."""
    return max(0.5, rate * WORDS_PER_RATE)


@dataclass(frozen=True)
class SpeechSettings:
    """What the speech plan needs of the voice: how long a phrase takes, and whether to count reps."""

    spoken_length: SpokenLength
    """How long a phrase takes to say."""
    rep_counts: bool = False
    """Count the reps of tempo-paced work aloud ("two", "three"...)."""


@dataclass(frozen=True)
class Line:
    """One thing the voice says."""

    segment: int
    """Index of its segment in the timeline."""
    at: float
    """Seconds into its segment."""
    kind: CueKind
    """The cue it speaks for (whose tone it replaces)."""
    text: str
    room: float | None
    """Seconds until the next cue that makes a sound; None when nothing follows."""
    shortened: bool
    """A shorter form was taken because the full one would not fit."""


@dataclass(frozen=True)
class SpeechPlan:
    """Every line of a session, found by the cue it speaks for."""

    timeline: Timeline
    lines: tuple[Line, ...]
    by_cue: dict[tuple[int, float, CueKind], Line] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_cue.update({(line.segment, line.at, line.kind): line for line in self.lines})

    def line_for(self, cue: Cue) -> Line | None:
        """The line spoken at ``cue``, or None: the cue keeps its tone (or is silent)."""
        return self.by_cue.get((cue.segment, cue.at, cue.kind))

    def phrases(self) -> tuple[str, ...]:
        """Each distinct text once, in the order first said: what to render ahead."""
        return tuple(dict.fromkeys(line.text for line in self.lines))

    def timed(self) -> list[tuple[float, str]]:
        """(seconds from the session's start, text) for every line, self-paced
        segments counted as taking no time: the plan as a listener hears it."""
        segments = self.timeline.segments
        return [(segments[line.segment].start + line.at, line.text) for line in self.lines]


def plan_speech(timeline: Timeline, settings: SpeechSettings) -> SpeechPlan:
    """What is said at each cue of ``timeline`` that has a phrase which fits."""
    events = list(_sounding(timeline))
    lines: list[Line] = []
    for position, (when, cue) in enumerate(events):
        forms = phrase_forms(timeline, cue, settings)
        if not forms:
            continue
        room = _room(events, position, when, timeline.segments[cue.segment])
        for number, text in enumerate(forms):
            if room is None or settings.spoken_length(text) <= room:
                lines.append(Line(cue.segment, cue.at, cue.kind, text, room, number > 0))
                break
    return SpeechPlan(timeline, tuple(lines))


def candidate_phrases(timeline: Timeline, settings: SpeechSettings) -> tuple[str, ...]:
    """Every form of every phrase the timeline could use, each once, in the order first
    met: rendered ahead, their real lengths let the plan fit each cue exactly."""
    forms = (text for _, cue in _sounding(timeline) for text in phrase_forms(timeline, cue, settings))
    return tuple(dict.fromkeys(forms))


def _sounding(timeline: Timeline) -> Iterator[tuple[float, Cue]]:
    """Every cue that makes a sound, with its time from the session's start (self-paced
    segments taking none, since they may end at once)."""
    for segment in timeline.segments:
        for cue in segment.cues:
            if cue.kind not in SILENT:
                yield segment.start + cue.at, cue


def _room(events: list[tuple[float, Cue]], position: int, when: float, segment: Segment) -> float | None:
    """Seconds from this cue to the next sounding one; None when none follows."""
    if segment.self_paced and events[position][1].kind != "done":
        return 0.0  # the user may end it at any moment
    for later, _ in events[position + 1 :]:
        if later > when:
            return later - when
    return None


def phrase_forms(timeline: Timeline, cue: Cue, settings: SpeechSettings) -> tuple[str, ...]:
    """The phrases for ``cue``, fullest first; empty when it is not spoken."""
    segment = timeline.segments[cue.segment]
    routine = timeline.routine
    kind = cue.kind
    if kind == "announce":
        return _get_ready_forms(timeline, cue.segment)
    if kind == "rest":
        return _rest_forms(timeline, cue.segment)
    if kind == "switch":
        step = routine.steps[segment.step]
        return (switch_words(step), f"Switch sides: {segment.side or 'other'} side.", "Switch sides.")
    if kind == "halfway":
        hold = segment.exercise.spoken.hold if segment.exercise else None
        return (f"Halfway. {hold}", hold, "Halfway.") if hold else ("Halfway.",)
    if kind == "countdown":
        # Counted aloud into and out of work; a rest before a get-ready has no count
        # (the get-ready counts in), so one moment is never counted twice.
        following = timeline.segments[cue.segment + 1] if cue.segment + 1 < len(timeline.segments) else None
        if segment.kind != "work" and (following is None or following.kind != "work"):
            return ()
        return (f"{_number_word(cue.text)}.",)
    if kind in ("go", "rep", "phase"):
        return _rep_forms(segment, cue, settings)
    if kind == "done":
        seconds = sum(s.duration or 0.0 for s in timeline.segments if s.kind == "work")
        return (finish_line(seconds), "Routine done.")
    return ()


def _rep_forms(segment: Segment, cue: Cue, settings: SpeechSettings) -> tuple[str, ...]:
    """A tempo rep's words: its phases in full for the first reps, then their short
    words (or the count, at a rep's start); without phases, the count when asked for."""
    if segment.tempo is None or segment.reps is None or segment.exercise is None:
        return ()
    phases = segment.exercise.spoken.phases
    rep = int(cue.at // segment.tempo + 1e-9) + 1
    count = f"{_number_word(str(rep))}."
    if not phases:
        return (count,) if settings.rep_counts and cue.kind == "rep" else ()
    index = round((cue.at - (rep - 1) * segment.tempo) / segment.tempo * len(phases)) % len(phases)
    phase = phases[index]
    short = f"{phase.short.rstrip('.')}." if phase.short else None
    if rep <= FULL_PHASE_REPS:
        return tuple(form for form in (phase.say, short) if form)
    if index == 0 and (settings.rep_counts or short is None):
        return (count,)
    return (short,) if short else ()


def finish_line(seconds_moved: float) -> str:
    """The closing line: "Routine done: 7 minutes of movement."."""
    if seconds_moved < 60:
        return f"Routine done: {round(seconds_moved)} seconds of movement."
    minutes = round(seconds_moved / 60)
    return f"Routine done: {minutes} minute{'s' if minutes != 1 else ''} of movement."


def _number_word(text: str) -> str:
    return NUMBER_WORDS[int(text)].capitalize() if text.isdigit() and int(text) < len(NUMBER_WORDS) else text


def _after_rest(timeline: Timeline, index: int) -> bool:
    """Whether the segment before ``index`` is a rest (which said how to get into position)."""
    return index > 0 and timeline.segments[index - 1].kind == "rest"


def _before(timeline: Timeline, index: int) -> Step | None:
    """The step done before the segment ``index`` leads into, if any."""
    for segment in reversed(timeline.segments[:index]):
        if segment.kind == "work":
            return timeline.routine.steps[segment.step]
    return None


def _get_ready_forms(timeline: Timeline, index: int) -> tuple[str, ...]:
    segment = timeline.segments[index]
    step = timeline.routine.steps[segment.step]
    before = _before(timeline, index)
    full = get_ready_words(step, before.exercise if before else None, _after_rest(timeline, index))
    name = step.exercise.name
    forms = [full, get_ready_words(step, before.exercise if before else None, after_rest=True)]
    if step.sides == "both":
        forms.append(f"{name}. {left_words(step)}")
        forms.append(f"{name}, left side.")
    forms.append(f"{name}.")
    return tuple(dict.fromkeys(forms))


def _rest_forms(timeline: Timeline, index: int) -> tuple[str, ...]:
    segment = timeline.segments[index]
    coming = next((s for s in timeline.segments[index + 1 :] if s.kind == "work"), None)
    if coming is None:
        return ("Rest.",)
    name = coming.exercise.name if coming.exercise else coming.label
    step = timeline.routine.steps[coming.step]
    if coming.round != segment.round:
        before = timeline.routine.steps[-1].exercise
        full = rest_words(step, before, heading=f"round {coming.round} of {timeline.routine.rounds}, ")
        return (full, f"Rest. Next: round {coming.round} of {timeline.routine.rounds}, {name}.", "Rest.")
    if coming.step == segment.step:
        return (f"Rest. Next: {name}, set {coming.set} of {coming.sets}.", f"Rest. Next: set {coming.set}.", "Rest.")
    full = rest_words(step, timeline.routine.steps[segment.step].exercise)
    return (full, f"Rest. Next: {name}.", "Rest.")


def caption_settings(rate: int = DEFAULT_VOICE_RATE, rep_counts: bool = False) -> SpeechSettings:
    """The plan's settings from the voice settings alone, each phrase's length estimated
    (no voice rendered): for captions without a voice, and for the script."""
    return SpeechSettings(speaking_time(words_per_second(rate)), rep_counts=rep_counts)


def script_lines(plan: SpeechPlan) -> list[str]:
    """The plan as ``M:SS  text`` lines, one for each thing said, in order."""
    return [f"{int(at + 1e-9) // 60}:{int(at + 1e-9) % 60:02d}  {text}" for at, text in plan.timed()]


def spoken_words_per_minute(plan: SpeechPlan) -> float:
    """Words the plan says for each minute of the routine's timed length."""
    words = sum(len(text.split()) for _, text in plan.timed())
    seconds = plan.timeline.timed_seconds
    return words / seconds * 60 if seconds else 0.0
