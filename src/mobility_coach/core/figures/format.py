"""How a routine file describes a figure; checked like the rest of the format.

    figure:
      base: all-fours            # a built-in position
      start: {neck: 10}          # optional: this exercise's starting position
      keys:                      # optional: the positions a rep moves through
        arch: {back: 0, upper_back: 20, neck: 45}
        round: {back: 30, upper_back: -10, neck: -60}
      cycle: 2s                  # optional: pace through the keys in a hold

Each position names only the bones that change, by angle in degrees as drawn for the
right side (0 points right, where a side view faces; 90 up; -90 down), and, under
``length``, any bone foreshortened (a percentage of its length).
"""

from __future__ import annotations

from typing import Any

from mobility_coach.core.figures.bases import BASE_NAMES, BASES
from mobility_coach.core.figures.figure import Changes, Figure, KeyPosition
from mobility_coach.core.figures.props import PROP_HINTS
from mobility_coach.core.figures.skeleton import BONE_NAMES, BONES
from mobility_coach.core.spec import Choice, Duration, Field, Integer, MapOf, Record

MAX_KEYS = 6


def _words(bone: str) -> str:
    return bone.replace("_", " ")


_LENGTHS = Record(
    "lengths",
    description="Bones foreshortened (pointing toward or away from the viewer), as a percentage of their length.",
    fields=[Field(name, Integer(0, 150), f"Length of the {_words(name)}, in percent.") for name in BONE_NAMES],
)

_JOINTS = tuple(sorted({bone.end for bone in BONES} | {"pelvis"}))
_PROPS = Record(
    "props",
    description="Props by name, each at the joint of the starting position it is placed by.",
    fields=[
        Field(name, Choice(_JOINTS), f"The joint {hint.split(',')[0]} is placed by.")
        for name, hint in PROP_HINTS.items()
    ],
)

POSITION = Record(
    "figure position",
    description="The bones that change, by angle in degrees as drawn for the right side: "
    "0 points right (where a side view faces), 90 up, 180 left, -90 down.",
    fields=[
        *(Field(name, Integer(-360, 360), f"Angle of the {_words(name)}, in degrees.") for name in BONE_NAMES),
        Field("length", _LENGTHS, "Bones drawn shorter or longer, in percent."),
    ],
)

FIGURE = Record(
    "figure",
    description="A stick figure of the exercise: a built-in position and the key positions a rep moves "
    "through. Without one, the exercise shows its position's plain figure.",
    fields=[
        Field(
            "base",
            Choice(BASE_NAMES),
            "The built-in position: " + "; ".join(f"{b.name} ({b.description})" for b in BASES.values()) + ".",
            required=True,
        ),
        Field("start", POSITION, "How this exercise's starting position differs from the base."),
        Field(
            "keys",
            MapOf(POSITION, max_items=MAX_KEYS),
            "Key positions by name, in order: a rep moves through them (one key: there and back); "
            "a hold eases into the last.",
        ),
        Field("cycle", Duration(minimum=1, maximum=60), "In a hold, pass through the keys at this pace (walking)."),
        Field(
            "props",
            _PROPS,
            "What it leans on or uses, each placed at a joint of the starting position: "
            + "; ".join(f"{name} ({hint})" for name, hint in PROP_HINTS.items())
            + ".",
        ),
    ],
)


def _changes(values: dict[str, Any] | None) -> tuple[Changes, Changes]:
    if not values:
        return (), ()
    angles = tuple((name, float(values[name])) for name in BONE_NAMES if values.get(name) is not None)
    lengths_given = values.get("length") or {}
    lengths = tuple((name, lengths_given[name] / 100.0) for name in BONE_NAMES if lengths_given.get(name) is not None)
    return angles, lengths


def make_figure(values: dict[str, Any] | None) -> Figure | None:
    """The figure a checked ``figure:`` mapping describes (None for none)."""
    if values is None:
        return None
    start = KeyPosition("start", *_changes(values["start"]))
    keys = tuple(KeyPosition(name, *_changes(position)) for name, (_, position) in (values["keys"] or {}).items())
    props = tuple((name, joint) for name, joint in (values["props"] or {}).items() if joint is not None)
    return Figure(values["base"], start, keys, values["cycle"], props)
