"""A line of text that changes every second (the time left in the session), drawn a
character at a time.

Textual measures each text it draws in Rich's cache of cell widths, which keeps every
string it is asked about up to 4,096 of them (about 1 MiB). A Static showing "31:52 left"
gives it three new strings a second (the line and its words), so a session's memory grew
for its first twenty minutes. Drawn as one segment a character, this line gives it only
its dozen characters, the same ones every second.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget


class CountdownLine(Widget):
    """One line of plain text (one cell a character), aligned as ``text-align`` says."""

    DEFAULT_CSS = """
    CountdownLine {
        height: 1;
    }
    """

    text: reactive[str] = reactive("", layout=False)
    """What the line says; its width comes from the stylesheet, so a new text needs no layout."""

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        # As a Static draws a line: its text in the widget's style, the room around it
        # in the background alone.
        text_style = self.visual_style.rich_style
        room_style = self.visual_style.background_style.rich_style
        if y or not width:
            return Strip.blank(width, room_style)
        shown = self.text[:width]
        room = width - len(shown)
        align = self.styles.text_align
        before = room if align in ("right", "end") else room // 2 if align == "center" else 0
        segments = [Segment(" " * before, room_style)] if before else []
        segments += [Segment(character, text_style) for character in shown]
        if room - before:
            segments.append(Segment(" " * (room - before), room_style))
        return Strip(segments, width)
