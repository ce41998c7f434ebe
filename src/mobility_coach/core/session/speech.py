"""What the voice says, and when, for a whole routine: one pure plan made from the timeline.

The voice speaks at the timeline's own cues, so what is said, shown and sounded never
disagree: the get-ready names the exercise and what to do, a rest or a switch says what
comes next, "three, two, one" counts into work, "halfway" marks long holds, and a closing
line ends the session. A spoken line takes the place of its cue's tone (the tone is
dropped, never played over the voice).

Nothing is ever cut off or spoken over: each cue's phrase comes in forms from the fullest
to the shortest (the exercise's name alone), and the plan takes the first whose spoken
length (estimated, or measured once rendered) ends before the next cue that makes a sound. When not even the
shortest fits, the cue keeps its tone. A self-paced segment may end the moment it starts
(the user presses Enter), so nothing is spoken at its start.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from mobility_coach.core.routines.model import Step
from mobility_coach.core.routines.timeline import Cue, CueKind, Segment, Timeline
from mobility_coach.core.routines.wording import spoken_work

SpokenLength = Callable[[str], float]
"""Seconds a phrase takes to say, including the player's start and the voice's trailing
silence: an estimate (``speaking_time``) or a measurement of rendered audio."""

# Cues that make no sound of their own: the rest's "next up" is spoken with its "rest".
SILENT: frozenset[CueKind] = frozenset({"next_up"})

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# Seconds added to every estimate: the audio player's start and what is left of the voice's
# trailing pause once the adapter trims it.
DEFAULT_MARGIN = 0.25
# A spoken pause at each comma, full stop or colon.
PAUSE_SECONDS = 0.15
# The first cue of an exercise is said at its get-ready only when it is this short.
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
        return _get_ready_forms(routine.steps[segment.step], segment)
    if kind == "rest":
        return _rest_forms(timeline, cue.segment)
    if kind == "switch":
        side = segment.side or "other"
        return (f"Switch sides: {side} side.", "Switch sides.")
    if kind == "halfway":
        return ("Halfway.",)
    if kind == "countdown":
        # Counted aloud into and out of work; the count at a rest's end (into the
        # get-ready, itself counted into work) stays a tick: six numbers in eight seconds
        # said nothing the get-ready would not say.
        following = timeline.segments[cue.segment + 1] if cue.segment + 1 < len(timeline.segments) else None
        if segment.kind != "work" and (following is None or following.kind != "work"):
            return ()
        return (f"{_number_word(cue.text)}.",)
    if kind == "rep" and settings.rep_counts:
        rep = cue.text.split()[1] if cue.text.startswith("rep ") else cue.text
        return (f"{_number_word(rep)}.",)
    if kind == "done":
        seconds = sum(s.duration or 0.0 for s in timeline.segments if s.kind == "work")
        return (finish_line(seconds), "Routine done.")
    return ()


def finish_line(seconds_moved: float) -> str:
    """The closing line: "Routine done: 7 minutes of movement."."""
    if seconds_moved < 60:
        return f"Routine done: {round(seconds_moved)} seconds of movement."
    minutes = round(seconds_moved / 60)
    return f"Routine done: {minutes} minute{'s' if minutes != 1 else ''} of movement."


def _number_word(text: str) -> str:
    return NUMBER_WORDS[int(text)].capitalize() if text.isdigit() and int(text) < len(NUMBER_WORDS) else text


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


def _get_ready_forms(step: Step, segment: Segment) -> tuple[str, ...]:
    name = step.exercise.name
    parts = [name]
    if step.sides == "both":
        parts.append("left side")
    parts.append(spoken_work(step, how_to_end=True))
    if step.sets > 1:
        parts.append(f"{step.sets} sets")
    full = ", ".join(parts) + "."
    first = first_cue_words(step.exercise.cues)
    forms = [f"{full} {first}." if first else full, full]
    if step.sides == "both":
        forms.append(f"{name}, left side.")
    forms.append(f"{name}.")
    if segment.label != "Get ready":  # a change of position ("Get down on the floor: all fours") comes first
        forms = [f"{segment.label}. {form}" for form in forms] + [f"{segment.label}."]
    return tuple(dict.fromkeys(forms))


def _rest_forms(timeline: Timeline, index: int) -> tuple[str, ...]:
    segment = timeline.segments[index]
    coming = next((s for s in timeline.segments[index + 1 :] if s.kind == "work"), None)
    if coming is None:
        return ("Rest.",)
    name = coming.exercise.name if coming.exercise else coming.label
    if coming.round != segment.round:
        full = f"Rest. Next: round {coming.round} of {timeline.routine.rounds}, {name}."
        short = f"Rest. Next: round {coming.round}."
    elif coming.step == segment.step:
        full = f"Rest. Next: {name}, set {coming.set} of {coming.sets}."
        short = f"Rest. Next: set {coming.set}."
    else:
        step = timeline.routine.steps[coming.step]
        each = " each side" if step.sides == "both" else ""
        full = f"Rest. Next: {name}, {spoken_work(step)}{each}."
        short = f"Rest. Next: {name}."
    return (full, short, "Rest.")
