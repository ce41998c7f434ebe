"""The exercise's figure, drawn in braille dots from what the core computes.

The widget decides nothing about the figure: the session view says which pose and how
far between (core/session/view.py), the core draws it for the cells this widget has
(core/figures/raster.py). It repaints the rows of its own region that changed, only
when the picture changed (at most 1 / motion.FRAME_SECONDS times a second); it draws
nothing while its screen is not on top, and nothing (not a broken figure) where there
is no room.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from mobility_coach.core.figures.figure import Figure
from mobility_coach.core.figures.motion import FigureMoment
from mobility_coach.core.figures.raster import draw
from mobility_coach.core.figures.sheet import figure_strip


class FigureView(Widget):
    """Draws the lines the core gives it through the line API: no text layout, and a
    new picture repaints only the rows that changed."""

    DEFAULT_CSS = """
    FigureView {
        height: 1fr;
    }
    """

    def __init__(self, moment: FigureMoment | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._moment = moment
        self._drawn: FigureMoment | None = None  # the moment the picture shows
        self._lines: tuple[str, ...] | None = None
        self._style = Style()
        self.frames = 0
        """Pictures drawn so far."""

    def show(self, moment: FigureMoment | None) -> None:
        """Draw ``moment``, if it looks any different from what is shown. Called every
        tick; the moment changes a few times a second (motion.FRAME_SECONDS), so most
        calls stop at the first comparison."""
        self._moment = moment
        if moment is self._drawn or moment == self._drawn:
            return
        self._draw_if_shown()

    def _draw_if_shown(self) -> None:
        # Only on the screen at the top: below it (even seen behind a dialog, where the
        # session is paused anyway) nothing is drawn, and the next tick catches up.
        if self.is_mounted and self.screen.is_active:
            self._draw()

    def _draw(self) -> None:
        self._drawn = self._moment
        width, height = self.content_region.size
        lines = draw(self._moment, width, height) if self._moment is not None else None
        old = self._lines
        if lines == old:
            return
        self._lines = lines
        self._style = self.rich_style  # once a picture, not once a line
        self.frames += 1
        if lines is None or old is None or len(lines) != len(old):
            self.refresh()
            return
        changed = [row for row, (was, now) in enumerate(zip(old, lines, strict=True)) if was != now]
        gutter = self.gutter  # refresh regions count from the widget's outer edge
        self.refresh(Region(gutter.left, gutter.top + changed[0], width, changed[-1] - changed[0] + 1))

    def on_resize(self) -> None:
        self._draw_if_shown()

    def on_show(self) -> None:
        self._draw_if_shown()

    def render_line(self, y: int) -> Strip:
        style = self._style
        lines = self._lines
        if lines is None or y >= len(lines):
            return Strip.blank(self.content_region.width, style)
        return Strip([Segment(lines[y], style)], len(lines[y]))


class FigureStrip(Widget):
    """Still pictures of a routine's exercises, as many to a row as the width holds;
    as tall as they need, and nothing at all where not one fits."""

    DEFAULT_CSS = """
    FigureStrip {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: tuple[tuple[str, Figure], ...] = ()
        self._laid_out: tuple[int, tuple[str, ...]] = (0, ())

    def show(self, items: tuple[tuple[str, Figure], ...]) -> None:
        if items != self._items:
            self._items = items
            self._laid_out = (0, ())
            self.refresh(layout=True)

    def _lines(self, width: int) -> tuple[str, ...]:
        if self._laid_out[0] != width:
            self._laid_out = (width, figure_strip(self._items, width))
        return self._laid_out[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> RenderResult:
        return Text("\n".join(self._lines(self.content_region.width)), no_wrap=True, overflow="crop")
