"""A countdown in block digits that grow with the room they get, to be read from the
floor; Textual's Digits are three rows tall at any size."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.widget import Widget

# Each glyph is 5 pixel rows of 3 columns ("#" lit); a pixel becomes 2*scale cells wide
# and scale cells tall, so the cells stay about square on a terminal.
FONT = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", ".#.", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
}
GLYPH_ROWS = 5
MAX_SCALE = 4


def glyphs(value: str) -> list[tuple[str, ...]]:
    return [FONT.get(char, ("...",) * GLYPH_ROWS) for char in value]


def natural_width(value: str) -> int:
    """Cells wide at scale 1: two cells a pixel, one blank pixel between glyphs."""
    return sum(len(glyph[0]) * 2 + 2 for glyph in glyphs(value)) - 2 if value else 0


def pixel_rows(value: str) -> list[str]:
    """The value as rows of pixels, "#" lit, one blank pixel between glyphs."""
    return [".".join(glyph[row] for glyph in glyphs(value)) for row in range(GLYPH_ROWS)]


def block_text(value: str, scale: int) -> Text:
    """The value drawn at the scale. Lit pixels are reversed spaces rather than block
    characters, which some fonts draw narrower or taller than a cell."""
    text = Text(no_wrap=True, overflow="crop")
    for row in pixel_rows(value):
        line = Text()
        for pixel in row:
            line.append(" " * 2 * scale, style="reverse" if pixel == "#" else "")
        for _ in range(scale):
            if text:
                text.append("\n")
            text.append_text(line)
    return text


def fitting_scale(value: str, width: int, height: int) -> int:
    """The largest scale (at most MAX_SCALE, at least 1) the value fits in."""
    widest = max(natural_width(value), natural_width("00:00"))  # no jump when a minute digit is added
    scale = min(MAX_SCALE, width // max(1, widest), height // GLYPH_ROWS)
    return max(1, scale)


class BigCountdown(Widget):
    """Shows ``value`` (like "1:05") at ``scale`` (a digit is 6*scale cells wide and
    5*scale rows tall), smaller if its region is smaller; as wide as it draws, so
    nothing beside it (a toast) need keep clear of empty cells."""

    DEFAULT_CSS = """
    BigCountdown {
        width: auto;
        height: auto;
    }
    """

    # Repainted by watch_value: only the digits that changed (a second changes one glyph
    # of four, and at 160 columns the countdown is the largest thing on the screen).
    value: reactive[str] = reactive("0:00", repaint=False)

    def __init__(self, scale: int = 2, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scale = scale

    def watch_value(self, old: str, new: str) -> None:
        # A new layout only when the width changes (an hour digit comes or goes); each
        # second otherwise repaints these few rows and nothing else.
        if max(natural_width(old), natural_width("00:00")) != max(natural_width(new), natural_width("00:00")):
            self.refresh(layout=True)
        elif (changed := self._changed_columns(old, new)) is not None:
            self.refresh(changed)
        else:
            self.refresh()

    def _changed_columns(self, old: str, new: str) -> Region | None:
        """The cells of the glyphs that differ, when ``old`` and ``new`` have their glyphs
        in the same places; None otherwise (all of it is repainted)."""
        if len(old) != len(new) or [len(g[0]) for g in glyphs(old)] != [len(g[0]) for g in glyphs(new)]:
            return None
        size = self.content_region.size
        scale = min(self.scale, fitting_scale(new, size.width, size.height))
        if scale != min(self.scale, fitting_scale(old, size.width, size.height)):
            return None
        left = right = None
        x = 0
        for a, b, glyph in zip(old, new, glyphs(new), strict=True):
            width = len(glyph[0]) * 2 * scale
            if a != b:
                left = x if left is None else left
                right = x + width
            x += width + 2 * scale  # a blank pixel between glyphs
        if left is None or right is None:
            return None  # the same glyphs: not a change a watcher sees
        return Region(left, 0, right - left, GLYPH_ROWS * scale)

    def render(self) -> RenderResult:
        size = self.content_region.size
        return block_text(self.value, min(self.scale, fitting_scale(self.value, size.width, size.height)))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        widest = max(natural_width(self.value), natural_width("00:00"))
        return min(container.width, widest * self.scale)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return GLYPH_ROWS * self.scale
