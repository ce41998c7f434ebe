"""A SelectionList whose long prompts wrap instead of being cut off.

Textual's SelectionList renders line y as option y: once a prompt wraps onto a second
line, every later line gets a tick box and the wrong option. This one looks up which
option (and which of its lines) each screen line shows, indents continuation lines
under the text with no box, and measures its height at the width the prompts get."""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import OptionList, SelectionList
from textual.widgets._toggle_button import ToggleButton

SelectionType = TypeVar("SelectionType")


class WrappingSelectionList(SelectionList[SelectionType]):
    DEFAULT_CSS = """
    WrappingSelectionList {
        text-wrap: wrap;
        text-overflow: fold;
    }
    """

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # OptionList measures the prompts at the full width, but they get the width less
        # the tick boxes: measured too short, the list would scroll.
        return super().get_content_height(container, viewport, width - self._get_left_gutter_width())

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)
        line_number = self.scroll_offset.y + y
        lines = self._lines  # (option index, line within it) for every line of the list
        if line_number >= len(lines):
            return line
        index, offset = lines[line_number]
        underlying = next(iter(line)).style or self.rich_style
        assert underlying is not None
        if offset:
            return Strip([Segment(" " * self._get_left_gutter_width(), style=underlying), *line])
        selection = self.get_option_at_index(index)
        component = "selection-list--button"
        if selection.value in self._selected:
            component += "-selected"
        if self.highlighted == index:
            component += "-highlighted"
        button = self.get_component_rich_style(component) + Style(meta={"option": index})
        side = Style.from_color(button.bgcolor, underlying.bgcolor) + Style(meta={"option": index})
        return Strip(
            [
                Segment(ToggleButton.BUTTON_LEFT, style=side),
                Segment(ToggleButton.BUTTON_INNER, style=button),
                Segment(ToggleButton.BUTTON_RIGHT, style=side),
                Segment(" ", style=underlying),
                *line,
            ]
        )
