"""The precautions a user can name in the settings, and what each changes.

These are general precautions drawn from mainstream exercise guidance, not advice for a
person: the exercises each one swaps or leaves out are declared in the routine files
(``variants: {pregnancy: ...}`` and ``avoid_with:``); here is what it is called, what it
changes in a sentence, and the stop rule it adds to every exercise played under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Kept free of the routine model (and its figures): the settings, which the resting
# reminder reads, name these without loading what only a routine needs.
Precaution = Literal["pregnancy", "osteoporosis", "hypermobility"]
PRECAUTIONS: tuple[Precaution, ...] = ("pregnancy", "osteoporosis", "hypermobility")


@dataclass(frozen=True)
class Body:
    """What the settings say of the body a routine is played for, besides the floor."""

    standing: bool = True
    """False: never ask to stand (a wheelchair user, or anyone who would rather not)."""
    precautions: tuple[Precaution, ...] = ()
    """Conditions named in the settings, each changing what is played."""


ANY_BODY = Body()


@dataclass(frozen=True)
class PrecautionInfo:
    """How a precaution is shown: what it changes, and the caution it adds."""

    name: Precaution
    changes: str
    caution: str


_INFO: dict[Precaution, PrecautionInfo] = {
    info.name: info
    for info in (
        PrecautionInfo(
            "pregnancy",
            "no lying on your back for long and no face-down plank: those are swapped for "
            "all-fours, seated or standing versions",
            "Stop if you feel faint, short of breath, or any pain or pressure in your belly or pelvis.",
        ),
        PrecautionInfo(
            "osteoporosis",
            "no rounding of the back and no twisting to the end of the range: those are "
            "swapped for upright, chest-opening versions",
            "Stop if any movement brings a sudden, sharp pain in your back or ribs.",
        ),
        PrecautionInfo(
            "hypermobility",
            "the long end-of-range stretches are swapped for steady, middle-of-the-range "
            "work; move only to where you still feel in control",
            "Stop if a joint feels as if it slips, gives way, or moves further than you meant.",
        ),
    )
}
assert tuple(_INFO) == PRECAUTIONS

NOT_ADVICE = (
    "These are general precautions, not advice for you: your doctor, midwife or "
    "physiotherapist knows what suits your body."
)


def info_for(precaution: Precaution) -> PrecautionInfo:
    return _INFO[precaution]


def caution_for(precaution: Precaution) -> str:
    """The stop rule every exercise played under ``precaution`` carries."""
    return _INFO[precaution].caution


def in_force_line(precautions: tuple[Precaution, ...]) -> str | None:
    """One line naming the precautions in force, for the check-in; None without any."""
    if not precautions:
        return None
    return "Precautions in force (your settings): " + ", ".join(precautions) + ". " + NOT_ADVICE
