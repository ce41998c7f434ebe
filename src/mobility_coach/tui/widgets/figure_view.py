"""The exercise's figure, drawn in braille dots from what the core computes.

The widget decides nothing about the figure: the session view says which pose and how
far between (core/session/view.py), the core draws it for the cells this widget has
(core/figures/raster.py). It repaints its own region only, and only when the picture
changed, so a figure costs at most one small repaint a tick; it draws nothing while its
screen is not shown, and nothing (not a broken figure) where there is no room.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.widget import Widget

from mobility_coach.core.figures.figure import Figure
from mobility_coach.core.figures.motion import FigureMoment
from mobility_coach.core.figures.raster import draw
from mobility_coach.core.figures.sheet import figure_strip


class FigureView(Widget):
    DEFAULT_CSS = """
    FigureView {
        height: 1fr;
        color: $text;
    }
    """

    def __init__(
        self, moment: FigureMoment | None = None, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._moment = moment
        self._lines: tuple[str, ...] | None = None
        self.frames = 0
        """Pictures drawn so far (the session bench reports them a second)."""

    def show(self, moment: FigureMoment | None) -> None:
        """Draw ``moment``, if it looks any different from what is shown."""
        self._moment = moment
        if self.is_mounted and self.screen.is_current:
            self._draw()

    def _draw(self) -> None:
        moment = self._moment
        width, height = self.content_region.size
        lines = draw(moment, width, height) if moment is not None else None
        if lines != self._lines:
            self._lines = lines
            self.frames += 1
            self.refresh()

    def on_resize(self) -> None:
        self._draw()

    def on_show(self) -> None:
        self._draw()

    def render(self) -> RenderResult:
        return Text("\n".join(self._lines or ()), no_wrap=True, overflow="crop")


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
