"""A modal dialog whose text scrolls so that its buttons always stay on screen."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button

ResultType = TypeVar("ResultType")

# Rows around a dialog's text: its border and padding (4) and the button row with its
# margin (4). CSS cannot say "the screen minus these", so the cap is set on resize.
DIALOG_CHROME = 8


class ScrollingDialog(ModalScreen[ResultType]):
    """Compose the text inside ``VerticalScroll(classes="dialog-body")``; the arrows and
    page keys scroll it while a button keeps the focus (Enter is the focused button's)."""

    BINDINGS = [
        Binding("up", "scroll_body(-1)", show=False),
        Binding("down", "scroll_body(1)", show=False),
        Binding("pageup", "scroll_body(-10)", show=False),
        Binding("pagedown", "scroll_body(10)", show=False),
    ]

    def on_resize(self, event: events.Resize) -> None:
        for body in self.query(".dialog-body"):
            body.styles.max_height = max(3, event.size.height - DIALOG_CHROME)

    def action_scroll_body(self, lines: int) -> None:
        for body in self.query(".dialog-body").results(VerticalScroll):
            body.scroll_relative(y=lines, animate=False)


class YesNoDialog(ScrollingDialog[bool]):
    """A dialog answered by its buttons or its keys: the button whose id is ``YES`` says
    yes, any other says no, and ``FOCUS`` (the safe choice) has the focus at first."""

    YES = "yes"
    FOCUS = "no"

    def on_mount(self) -> None:
        self.query_one(f"#{self.FOCUS}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == self.YES)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
