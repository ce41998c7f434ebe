"""An exercise's figure: a built-in base, adjusted to its start, and its key positions."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from mobility_coach.core.figures.bases import BASES, PLAIN_BASE, Base
from mobility_coach.core.figures.skeleton import Pose

# (bone, value) pairs: hashable, so a figure can key a cache and sit in a frozen view.
Changes = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class KeyPosition:
    """A named position of a figure: the bones' angles and length factors that differ from the pose it changes."""

    name: str
    angles: Changes = ()
    lengths: Changes = ()
    """Length factors as fractions (the YAML gives percentages)."""


@dataclass(frozen=True)
class Figure:
    """How an exercise is drawn: a built-in base, changed to its start, and the positions a rep moves through."""

    base: str
    """A name from ``bases.BASES``."""
    start: KeyPosition = KeyPosition("start")
    """How the base is changed for this exercise's starting position."""
    keys: tuple[KeyPosition, ...] = ()
    """The positions a rep moves through, in order, each a change of the start."""
    cycle: float | None = None
    """Seconds for one pass through the keys in a hold (walking) or self-paced reps."""
    props: tuple[tuple[str, str], ...] = ()
    """(prop, joint): what it leans on or uses, placed at that joint of its start (``props``)."""

    @property
    def base_info(self) -> Base:
        return BASES[self.base]

    def poses(self) -> tuple[Pose, ...]:
        """The starting position, then each key position."""
        return figure_poses(self)

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.start.name, *(key.name for key in self.keys))


@functools.lru_cache(maxsize=256)
def figure_poses(figure: Figure) -> tuple[Pose, ...]:
    start = BASES[figure.base].pose.changed(dict(figure.start.angles), dict(figure.start.lengths))
    return (start, *(start.changed(dict(key.angles), dict(key.lengths)) for key in figure.keys))


def plain_figure(position: str) -> Figure:
    """The figure of an exercise that describes none: its position, standing still."""
    return Figure(PLAIN_BASE.get(position, "standing-front"))
