"""The things an exercise leans on or uses, drawn beside its figure: a desk, a wall, a
heat pack. Each is placed at a joint of the starting position (the desk's near edge
under the hands, the wall at the hand on it), so it stays put while the body moves."""

from __future__ import annotations

from mobility_coach.core.figures.skeleton import Point

Segment = tuple[Point, Point]

PROP_NAMES: tuple[str, ...] = ("desk", "wall", "heat-pack", "screen")
PROP_HINTS = {
    "desk": "a desk whose near top edge is at the joint, reaching forward, on legs to the floor",
    "wall": "a wall (or a door frame) just in front of the joint, from the floor up past the head",
    "heat-pack": "a heat pack against the back, just behind the joint",
    "screen": "a screen on the desk, at eye level in front of the joint",
}
_DESK_DEPTH = 2.4
_DESK_HEIGHT = 3.0  # without a floor line, the legs' length


def prop_lines(name: str, at: Point, floor: float | None, top: float) -> list[Segment]:
    """The lines of prop ``name`` placed at ``at``; ``floor`` the floor's height (None:
    none drawn) and ``top`` the highest point the figure reaches."""
    x, y = at
    if name == "desk":
        bottom = floor if floor is not None else y - _DESK_HEIGHT
        near, far = x - 0.1, x + _DESK_DEPTH
        return [((near, y), (far, y)), ((near + 0.3, y), (near + 0.3, bottom)), ((far - 0.2, y), (far - 0.2, bottom))]
    if name == "wall":
        bottom = floor if floor is not None else y - _DESK_HEIGHT
        return [((x + 0.15, bottom), (x + 0.15, top + 0.3))]
    if name == "heat-pack":
        # Filled, so it reads as a thing of its own between the back and the chair.
        low, high = y + 0.1, y + 1.3
        return [((x - step / 10, low), (x - step / 10, high)) for step in range(2, 8)]
    if name == "screen":
        left, low, high = x + 3.2, y - 0.7, y + 0.7
        return [
            ((left, low), (left, high)),
            ((left, low), (left + 0.5, low - 0.6)),
            ((left + 0.5, low - 0.6), (left - 0.5, low - 0.6)),
        ]
    raise KeyError(f"no such prop: {name}")
