"""A row of buttons that stacks them, one line each, when they would not fit side by side."""

from __future__ import annotations

from textual import events
from textual.containers import Horizontal
from textual.widgets import Button

# A button's width around its label: its border and padding (4), at least Textual's
# min-width for a button (16), and the margin between two (app.tcss: 2).
BUTTON_CHROME = 4
BUTTON_MIN_WIDTH = 16
BUTTON_GAP = 2


class ButtonRow(Horizontal):
    """Every question's answers, on every screen. The one rule for all of them: side by
    side while they fit, else stacked (app.tcss, ``.dialog-buttons.-stacked``), so no
    answer is ever cut off at the right edge ("Pain" on the finish screen was)."""

    DEFAULT_CLASSES = "dialog-buttons"

    def needed_width(self) -> int:
        widths = [max(BUTTON_MIN_WIDTH, len(str(b.label)) + BUTTON_CHROME) for b in self.query_children(Button)]
        return sum(widths) + BUTTON_GAP * max(0, len(widths) - 1)

    def on_resize(self, event: events.Resize) -> None:
        # Stacking changes the row's height, never its width, so this cannot loop.
        self.set_class(self.needed_width() > event.size.width, "-stacked")
