"""Where a figure stands at one instant of a session: which two poses, how far between.

The session view (core/session/view.py) asks here with the segment and the seconds into
it, read from the same clock as the countdown, so the figure moves in time with the
tempo and stops when the session is paused (the paused clock does not move).

- Get ready, switching sides and resting show the starting position, still.
- Timed reps pass through the key positions once per rep; one key goes there and back.
  The first rep sets off from the starting position, so nothing jumps.
- A hold eases from the start into its last key position, then holds it (or, with a
  ``cycle``, keeps passing through the keys: walking).
- Self-paced reps move at the figure's ``cycle`` (or ``SELF_PACED_CYCLE``) as a guide.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from mobility_coach.core.figures.figure import Figure
from mobility_coach.core.figures.skeleton import ease, joints

SELF_PACED_CYCLE = 4.0
# The figure changes at most this often: movements of 4 to 6 s a rep still read as
# motion at two frames a second, and each frame is a repaint (bench/session_cpu.py
# weighs it: at three, a session at 160x48 cost 1.10x the bare Digits app).
FRAME_SECONDS = 1 / 2
# A hold is entered over this long (or a third of the hold, if shorter).
ENTER_SECONDS = 2.0


@dataclass(frozen=True)
class FigureMoment:
    """What to draw: ``blend`` (0 to 1, eased) of the way from pose ``start`` to pose
    ``end`` (indices into ``figure.poses()``), mirrored for the left side."""

    figure: Figure
    start: int
    end: int
    blend: float
    mirrored: bool

    @property
    def label(self) -> str:
        """The key position nearest to what is drawn."""
        return self.figure.labels[self.end if self.blend >= 0.5 else self.start]


def still(figure: Figure, pose: int = 0, mirrored: bool = False) -> FigureMoment:
    return FigureMoment(figure, pose, pose, 0.0, mirrored)


def held_pose(figure: Figure) -> int:
    """The pose a hold eases into: its last key, or the start when it has none."""
    return len(figure.keys)


@functools.lru_cache(maxsize=256)
def peak_pose(figure: Figure) -> int:
    """The pose a still picture shows beside the start: the one furthest from it (the
    book open, the leg reached back), or the start when nothing moves."""
    poses = [joints(pose) for pose in figure.poses()]
    moved = [sum(math.dist(p[name], poses[0][name]) for name in p) for p in poses]
    return max(range(len(moved)), key=lambda i: (moved[i] > 1e-9, moved[i]))


def key_picture(figure: Figure, mirrored: bool = False) -> FigureMoment:
    """The still picture that shows an exercise best: its furthest key position."""
    return still(figure, peak_pose(figure), mirrored)


def _loop(figure: Figure) -> tuple[int, ...]:
    """The poses one rep passes through, ending where the next rep starts over."""
    count = len(figure.keys)
    if count == 0:
        return (0,)
    if count == 1:
        return (1, 0)  # there and back
    return tuple(range(1, count + 1))


def moving(figure: Figure, seconds: float, period: float, mirrored: bool) -> FigureMoment:
    """``seconds`` into reps of ``period`` seconds each."""
    loop = _loop(figure)
    if len(loop) == 1 or period <= 0:
        return still(figure, loop[0], mirrored)
    rep, into = divmod(max(0.0, seconds), period)
    legs = len(loop)
    leg = min(legs - 1, int(into / period * legs))
    share = into / period * legs - leg
    start = loop[leg - 1] if leg else (0 if rep == 0 else loop[-1])
    return FigureMoment(figure, start, loop[leg], ease(share), mirrored)


def holding(figure: Figure, seconds: float, duration: float, mirrored: bool) -> FigureMoment:
    if figure.cycle is not None:
        return moving(figure, seconds, figure.cycle, mirrored)
    target = held_pose(figure)
    enter = min(ENTER_SECONDS, duration / 3) if duration > 0 else 0.0
    if target == 0 or enter <= 0 or seconds >= enter:
        return still(figure, target, mirrored)
    return FigureMoment(figure, 0, target, ease(seconds / enter), mirrored)


def working(
    figure: Figure, seconds: float, duration: float | None, tempo: float | None, reps: int | None, mirrored: bool
) -> FigureMoment:
    """The figure ``seconds`` into a work segment, to the frame (``FRAME_SECONDS``)."""
    seconds = math.floor(seconds / FRAME_SECONDS + 1e-9) * FRAME_SECONDS
    if reps is None:
        return holding(figure, seconds, duration or 0.0, mirrored)
    period = tempo if tempo is not None else (figure.cycle or SELF_PACED_CYCLE)
    return moving(figure, seconds, period, mirrored)
