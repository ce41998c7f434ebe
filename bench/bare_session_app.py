"""The session baseline: a bare Textual app doing what a session's screen must do at least,
with none of our code: a Digits countdown updated once a second, that keeps going (it
starts again at 0:30 after 0:00, as a session goes on to its next step), and a braille
canvas the size of the figure's, drawn anew twice a second (the figure's frame rate).

What the canvas shows is a stick figure's worth of dots (a few lines across the canvas)
that moves each frame, so each frame repaints the rows it touches, as the figure's does.
"""

from __future__ import annotations

import math

from textual.app import App, ComposeResult
from textual.widgets import Digits, Static

FRAME_SECONDS = 0.5  # mobility_coach.core.figures.motion.FRAME_SECONDS


def braille_lines(width: int, height: int, phase: float) -> str:
    """A few straight lines of dots (a limb's worth each) swinging with ``phase``."""
    dots = [[0] * width for _ in range(height)]
    bits = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
    cx, cy = width, height * 2  # the centre, in dots (2 across, 4 down a cell)
    for limb in range(4):
        angle = phase + limb * math.pi / 2
        for step in range(min(width, height * 2)):
            x = int(cx + math.cos(angle) * step)
            y = int(cy + math.sin(angle) * step)
            if 0 <= x < width * 2 and 0 <= y < height * 4:
                dots[y // 4][x // 2] |= bits[y % 4][x % 2]
    return "\n".join("".join(chr(0x2800 + cell) for cell in row) for row in dots)


class BareSession(App[None]):
    TITLE = "bare-session"
    CSS = "#canvas { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield Digits("0:30")
        yield Static(id="canvas")

    def on_mount(self) -> None:
        self.left = 30
        self.frame = 0
        self.set_interval(1.0, self.count_down)
        self.set_interval(FRAME_SECONDS, self.draw)

    def count_down(self) -> None:
        self.left = self.left - 1 if self.left > 0 else 30
        self.query_one(Digits).update(f"0:{self.left:02d}")

    def draw(self) -> None:
        canvas = self.query_one("#canvas", Static)
        width, height = canvas.content_region.size
        self.frame += 1
        canvas.update(braille_lines(width, height, self.frame * 0.3))


if __name__ == "__main__":
    BareSession().run()
