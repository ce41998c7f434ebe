"""The break-due question: start the suggested routine, snooze, or skip."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from mobility_coach.core.durations import format_duration
from mobility_coach.tui.widgets.button_row import ButtonRow


class BreakDueScreen(ModalScreen[str]):
    """Dismisses with "start", "snooze" or "skip"."""

    BINDINGS = [
        Binding("enter", "choose('start')", "Start", show=False),
        Binding("s,escape", "choose('snooze')", "Snooze"),
        Binding("k", "choose('skip')", "Skip"),
    ]

    def __init__(self, routine_name: str, sitting: float, snooze: float) -> None:
        super().__init__()
        self.routine_name, self.sitting, self.snooze = routine_name, sitting, snooze

    def compose(self) -> ComposeResult:
        text = Text()
        text.append("Time to move\n\n", style="bold")
        text.append(
            f"You have been sitting for {format_duration(self.sitting)}. A few minutes of gentle movement "
            "now beats twisting your back until it cracks later."
        )
        with Vertical(classes="dialog"):
            yield Static(text, classes="dialog-text")
            with ButtonRow():
                yield Button(f"{self.routine_name} (enter)", id="start", variant="success")
                yield Button(f"Snooze {format_duration(self.snooze)} (s)", id="snooze")
                yield Button("Skip (k)", id="skip")

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(str(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
