"""Small modal questions and notes: confirm, advice, cautions."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from mobility_coach.core.figures.motion import FigureMoment
from mobility_coach.tui.screens.scrolling_dialog import ScrollingDialog, YesNoDialog
from mobility_coach.tui.widgets.button_row import ButtonRow
from mobility_coach.tui.widgets.figure_view import FigureView


class ConfirmScreen(YesNoDialog):
    """A yes/no question; dismisses with True for yes."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text")
            with ButtonRow():
                yield Button(f"{self.yes} (y)", id="yes", variant="error")
                yield Button(f"{self.no} (n)", id="no", variant="primary")


class AdviceScreen(YesNoDialog):
    """Plain-words advice to see a professional, with a safe default.

    Dismisses True when the user chooses to go on anyway (only offered when
    ``go_on`` is given)."""

    YES, FOCUS = "go", "stop"
    BINDINGS = [
        Binding("escape,c", "answer(False)", "Don't start"),
        Binding("g", "answer(True)", "Go on anyway", show=False),
    ]

    def __init__(
        self,
        title: str,
        advice: str,
        details: list[str] | None = None,
        stop: str = "Don't start (recommended)",
        go_on: str | None = "Start anyway",
    ) -> None:
        super().__init__()
        self.title_text, self.advice, self.details = title, advice, details or []
        self.stop_label, self.go_on_label = stop, go_on

    def compose(self) -> ComposeResult:
        text = Text()
        text.append(self.title_text + "\n\n", style="bold")
        for detail in self.details:
            text.append(f" • {detail}\n")
        if self.details:
            text.append("\n")
        text.append(self.advice)
        with Vertical(classes="dialog"):
            with VerticalScroll(classes="dialog-body", can_focus=False):
                yield Static(text, classes="dialog-text")
            with ButtonRow():
                yield Button(f"{self.stop_label} (c)", id="stop", variant="primary")
                if self.go_on_label:
                    yield Button(f"{self.go_on_label} (g)", id="go", variant="warning")

    def action_answer(self, answer: bool) -> None:
        if not (answer and not self.go_on_label):
            super().action_answer(answer)


class CautionsScreen(ScrollingDialog[None]):
    BINDINGS = [Binding("escape,c,q,enter", "close", "Close")]

    def __init__(
        self, exercise_name: str, cautions: tuple[str, ...], general: str, figure: FigureMoment | None = None
    ) -> None:
        super().__init__()
        self.exercise_name, self.cautions, self.general = exercise_name, cautions, general
        self.figure = figure
        """A still picture of the exercise, shown under the cautions where there is room."""

    def compose(self) -> ComposeResult:
        text = Text()
        # The cautions are whole sentences ("Stop if ..."), so the heading must not start one.
        text.append(f"Cautions: {self.exercise_name}\n\n", style="bold")
        for caution in self.cautions or ("Stop if you feel pain, numbness, tingling or weakness.",):
            text.append(f" • {caution}\n")
        text.append(f"\n{self.general}", style="italic")
        with Vertical(classes="dialog"):
            with VerticalScroll(classes="dialog-body", can_focus=False):
                yield Static(text, classes="dialog-text")
                if self.figure is not None:
                    yield FigureView(self.figure, id="cautions-figure")
            with ButtonRow():
                yield Button("Back to the session (c)", id="close", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
