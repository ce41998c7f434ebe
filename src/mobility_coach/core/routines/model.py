"""The routine model: what the loader produces and the timeline consumes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from mobility_coach.core.figures.figure import Figure, plain_figure
from mobility_coach.core.routines.precautions import PRECAUTIONS, Precaution

Position = Literal["seated", "standing", "floor"]
POSITIONS: tuple[Position, ...] = ("seated", "standing", "floor")
Sides = Literal["one", "both"]
# The body areas an exercise serves, so a break can be chosen for what has not moved yet.
Area = Literal["neck", "upper back", "lower back", "hips", "shoulders", "wrists", "legs", "eyes"]
AREAS: tuple[Area, ...] = ("neck", "upper back", "lower back", "hips", "shoulders", "wrists", "legs", "eyes")
# Conditions a user can name in the settings (core/routines/precautions.py): each swaps
# or leaves out what general guidance advises against for it.
VariantKind = Literal["off_floor", "easier", "seated", "pregnancy", "osteoporosis", "hypermobility"]
VARIANT_KINDS: tuple[VariantKind, ...] = ("off_floor", "easier", "seated", *PRECAUTIONS)


@dataclass(frozen=True)
class Phase:
    """One part of a tempo rep, as the voice says it: "Breathe in, arch." (``short``: "Arch.")."""

    say: str
    short: str | None = None
    """A word or two for the later reps, once the full words are known; None: the count."""


@dataclass(frozen=True)
class Spoken:
    """What the voice says for an exercise, beyond its name and its work: written per
    exercise in the routine files, so a user's own exercise can be coached by ear too."""

    setup: str | None = None
    """How to get into its starting position, said before it: "Lie on your back, knees bent."."""
    left: str | None = None
    """What its "left side" means, said once as a sided step gets ready."""
    switch: str | None = None
    """How to change to the right side, said at the switch."""
    phases: tuple[Phase, ...] = ()
    """The parts of one tempo rep, in order, each given an equal share of the rep."""
    hold: str | None = None
    """Said in the middle of a hold of 20 s or more: "Keep breathing; shoulders down."."""


@dataclass(frozen=True)
class Dose:
    """How an exercise is played when it stands in for another (as its off-floor or
    easier version): its own hold, or reps at its own tempo, and its own sides."""

    hold: float | None
    reps: int | None
    tempo: float | None
    sides: Sides


@dataclass(frozen=True)
class Exercise:
    """An exercise as the routine files define it: what to do, how it is drawn, and its variants."""

    id: str  # "" for an exercise defined inline in a step
    name: str
    position: Position
    cues: tuple[str, ...]
    cautions: tuple[str, ...]
    source: str | None
    about: str | None
    figure: Figure | None = None
    """As described in its file; None when it describes none (or a broken one)."""

    areas: tuple[Area, ...] = ()
    needs: tuple[str, ...] = ()  # what to have at hand: "a mat", "a wall"
    start: str | None = None  # the starting posture, for the get-ready: "all fours"
    # Declared variants by kind, as ids, and the exercises they resolved to (the loader
    # resolves them once the whole library is known; an unresolved one is reported).
    variant_ids: tuple[tuple[str, str], ...] = ()  # (kind, exercise id)
    off_floor: Exercise | None = None
    easier: Exercise | None = None
    seated: Exercise | None = None
    """The seated version of a standing exercise, played when the standing setting is off."""
    instead: tuple[tuple[Precaution, Exercise], ...] = ()
    """The version played instead of it under each precaution that names one."""
    avoid_with: tuple[Precaution, ...] = ()
    """Precautions under which it is left out (unless ``instead`` names a version)."""
    spoken: Spoken = Spoken()
    dose: Dose | None = None
    """How it is played standing in for another exercise; None: as that step says."""

    @property
    def drawn(self) -> Figure:
        """The figure shown for it: its own, or its position's plain one."""
        return self.figure or plain_figure(self.position)

    @property
    def needs_floor(self) -> bool:
        return self.position == "floor"

    def variant(self, kind: VariantKind) -> Exercise | None:
        """Its declared version of ``kind``, resolved; None when it declares none."""
        if kind == "off_floor":
            return self.off_floor
        if kind == "easier":
            return self.easier
        if kind == "seated":
            return self.seated
        return dict(self.instead).get(kind)


@dataclass(frozen=True)
class Step:
    """One step of a routine: its exercise, a hold or reps, sides and sets, and its own gaps (None: the routine's)."""

    exercise: Exercise
    hold: float | None  # seconds of a timed hold, or None for reps
    reps: int | None
    tempo: float | None  # seconds per rep; None with reps means self-paced
    sides: Sides
    sets: int
    get_ready: float | None  # None: the routine's default
    rest: float | None
    set_rest: float | None
    switch: float | None
    note: str | None

    @property
    def self_paced(self) -> bool:
        return self.reps is not None and self.tempo is None

    @property
    def work_seconds(self) -> float | None:
        """Length of one work segment (one set on one side); None when self-paced."""
        if self.hold is not None:
            return self.hold
        if self.tempo is not None and self.reps is not None:
            return self.tempo * self.reps
        return None


@dataclass(frozen=True)
class Defaults:
    """The gaps, in seconds, every step of a routine takes unless it sets its own."""

    get_ready: float
    rest: float
    set_rest: float
    switch: float
    round_rest: float


@dataclass(frozen=True)
class Origin:
    """Where a routine or a library exercise came from, so ``list`` and ``exercises`` can say so."""

    path: Path
    builtin: bool
    replaces: Path | None = None  # the built-in file a user routine overrides

    def label(self) -> str:
        if self.builtin:
            return "built-in"
        return "user, replaces built-in" if self.replaces else "user"


@dataclass(frozen=True)
class Routine:
    """A routine as loaded: its steps, played ``rounds`` times, and where it was defined."""

    id: str
    name: str
    summary: str
    tags: tuple[str, ...]
    defaults: Defaults
    steps: tuple[Step, ...]
    rounds: int
    origin: Origin

    @property
    def positions(self) -> tuple[Position, ...]:
        seen = {s.exercise.position for s in self.steps}
        return tuple(p for p in POSITIONS if p in seen)

    @property
    def needs_floor(self) -> bool:
        return any(s.exercise.needs_floor for s in self.steps)

    @property
    def areas(self) -> tuple[Area, ...]:
        seen = {area for s in self.steps for area in s.exercise.areas}
        return tuple(a for a in AREAS if a in seen)

    @property
    def needs(self) -> tuple[str, ...]:
        """What to have at hand, each once, in the order first needed."""
        return tuple(dict.fromkeys(need for s in self.steps for need in s.exercise.needs))

    @property
    def cautions(self) -> tuple[str, ...]:
        """Every step's cautions, each once, in the order first met. The same caution
        written with other capitals, spacing or a closing full stop is the same caution."""
        seen: dict[str, str] = {}
        for step in self.steps:
            for caution in step.exercise.cautions:
                seen.setdefault(" ".join(caution.casefold().split()).rstrip(".!; "), caution.strip())
        return tuple(seen.values())
