"""Draw a figure on a grid of character cells, in braille dots.

Each cell holds 2 x 4 dots, which come out roughly square in a terminal, so a figure
keeps its proportions when it is scaled. The whole of a figure's movement is fitted to
the grid once (the box around every one of its poses), so it never grows, shrinks or
slides while it moves. A grid too small to show the figure legibly gets nothing: the
figure is left out rather than drawn broken.

Why not drawille or textual-hires-canvas: the pictures must come out of the pure core as
plain lines, the same for the player, the home screen and ``show --figures`` in a pipe.
drawille imports curses at import time, has no type hints and crops its frame to the
dots set (so a moving figure would jump about); textual-hires-canvas is a Textual widget,
which the core and the command line cannot use. The braille encoding and a line are
about forty lines here.
"""

from __future__ import annotations

import functools
import itertools
import math

from mobility_coach.core.figures.figure import Figure
from mobility_coach.core.figures.motion import FigureMoment
from mobility_coach.core.figures.props import prop_lines
from mobility_coach.core.figures.skeleton import BONES, HEAD_RADIUS, Point, blend, joints

# Below this a figure is a smudge; the caller leaves it out.
MIN_COLUMNS = 8
MIN_ROWS = 4
MIN_DOTS_PER_UNIT = 2.2
_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
# A cell's dots seen in a mirror: each row's left and right dots change places.
_FLIPPED = tuple(
    sum(_BITS[row][1 - col] for row in range(4) for col in range(2) if bits & _BITS[row][col]) for bits in range(256)
)
_FLOOR_BELOW = 0.3  # the floor sits just under the lowest point, in figure units
_BODY_BONES = tuple(bone for bone in BONES if bone.name != "neck")

Box = tuple[float, float, float, float]  # min x, min y, max x, max y
Segment = tuple[Point, Point]


@functools.lru_cache(maxsize=256)
def _floor_y(figure: Figure) -> float | None:
    if not figure.base_info.floor:
        return None
    points = joints(figure.poses()[0])
    lowest = min(min(y for _, y in points.values()), points["head"][1] - HEAD_RADIUS)
    return lowest - _FLOOR_BELOW


@functools.lru_cache(maxsize=256)
def figure_box(figure: Figure) -> Box:
    """The box around every pose of the figure, its head, chair and floor."""
    xs: list[float] = []
    ys: list[float] = []
    for pose in figure.poses():
        points = joints(pose)
        for x, y in points.values():
            xs.append(x)
            ys.append(y)
        hx, hy = points["head"]
        xs += [hx - HEAD_RADIUS, hx + HEAD_RADIUS]
        ys += [hy - HEAD_RADIUS, hy + HEAD_RADIUS]
    floor = _floor_y(figure)
    if floor is not None:
        ys.append(floor)
    top = max(ys)
    for a, b in (*figure.base_info.chair, *_props(figure, floor, top)):
        xs += [a[0], b[0]]
        ys += [a[1], b[1]]
    return min(xs), min(ys), max(xs), max(ys)


def _body_top(figure: Figure) -> float:
    return max(max(y for _, y in joints(pose).values()) for pose in figure.poses()) + HEAD_RADIUS


def _props(figure: Figure, floor: float | None, top: float) -> list[Segment]:
    """The lines of the figure's props, placed at its starting position's joints."""
    if not figure.props:
        return []
    start = joints(figure.poses()[0])
    return [line for name, joint in figure.props for line in prop_lines(name, start[joint], floor, top)]


def _lines(moment: FigureMoment) -> tuple[list[Segment], Point, list[Segment]]:
    """The body's lines, the head's centre, and the props' lines, in figure units."""
    poses = moment.figure.poses()
    points = joints(blend(poses[moment.start], poses[moment.end], moment.blend))
    body = [(points[bone.start], points[bone.end]) for bone in _BODY_BONES]
    neck, head = points["neck"], points["head"]
    # The neck stops at the head's edge, so the head reads as a ring.
    length = math.dist(neck, head) or 1.0
    edge = 1.0 - HEAD_RADIUS / length
    body.append((neck, (neck[0] + (head[0] - neck[0]) * edge, neck[1] + (head[1] - neck[1]) * edge)))
    props = list(moment.figure.base_info.chair)
    box = figure_box(moment.figure)
    floor = _floor_y(moment.figure)
    props += _props(moment.figure, floor, _body_top(moment.figure))
    if floor is not None:
        props.append(((box[0], floor), (box[2], floor)))
    return body, head, props


class _Dots:
    def __init__(self, columns: int, rows: int) -> None:
        self.columns, self.rows = columns, rows
        self.cells = [[0] * columns for _ in range(rows)]

    def set(self, x: float, y: float) -> None:
        col, row = round(x), round(y)
        if 0 <= col < self.columns * 2 and 0 <= row < self.rows * 4:
            self.cells[row // 4][col // 2] |= _BITS[row % 4][col % 2]

    def line(self, a: Point, b: Point, every: int = 1) -> None:
        steps = max(1, math.ceil(max(abs(b[0] - a[0]), abs(b[1] - a[1]))))
        for i in range(0, steps + 1, every):
            t = i / steps
            self.set(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)

    def ring(self, centre: Point, radius: float) -> None:
        sides = max(8, math.ceil(radius * 2 * math.pi))
        turns = [2 * math.pi * i / sides for i in range(sides + 1)]
        corners = [(centre[0] + radius * math.cos(a), centre[1] + radius * math.sin(a)) for a in turns]
        for a, b in itertools.pairwise(corners):
            self.line(a, b)

    def flip(self) -> None:
        """Mirror the grid left to right: the left side is exactly the right one's mirror."""
        self.cells = [[_FLIPPED[bits] for bits in reversed(row)] for row in self.cells]

    def text(self) -> tuple[str, ...]:
        return tuple("".join(chr(0x2800 + bits) if bits else " " for bits in row) for row in self.cells)


@functools.lru_cache(maxsize=512)
def draw(moment: FigureMoment, columns: int, rows: int) -> tuple[str, ...] | None:
    """The figure as ``rows`` lines of ``columns`` characters, or None when the grid is
    too small to draw it legibly. Kept: every rep passes through the same frames."""
    if columns < MIN_COLUMNS or rows < MIN_ROWS:
        return None
    left, bottom, right, top = figure_box(moment.figure)
    width, height = columns * 2 - 2, rows * 4 - 2  # a dot of margin all round
    scale = min(width / max(right - left, 1e-6), height / max(top - bottom, 1e-6))
    if scale < MIN_DOTS_PER_UNIT:
        return None
    x0 = 1 + (width - (right - left) * scale) / 2
    y0 = rows * 4 - 2 - (height - (top - bottom) * scale) / 2

    def place(point: Point) -> Point:
        return x0 + (point[0] - left) * scale, y0 - (point[1] - bottom) * scale

    body, head, props = _lines(moment)
    dots = _Dots(columns, rows)
    for a, b in props:
        dots.line(place(a), place(b), every=2)  # dotted: the chair and floor are not the body
    for a, b in body:
        dots.line(place(a), place(b))
    dots.ring(place(head), HEAD_RADIUS * scale)
    if moment.mirrored:
        dots.flip()
    return dots.text()


def picture(figure: Figure, pose: int, columns: int, rows: int, mirrored: bool = False) -> tuple[str, ...] | None:
    """One still pose of ``figure``."""
    return draw(FigureMoment(figure, pose, pose, 0.0, mirrored), columns, rows)
