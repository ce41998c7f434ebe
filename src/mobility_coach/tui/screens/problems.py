"""The problems found in the user's routine files (and settings), listed again on demand
after their toast has gone: one line each, file:line:col: message."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from mobility_coach.core.errors import Problem
from mobility_coach.tui.screens.scrolling_dialog import ScrollingDialog
from mobility_coach.tui.widgets.button_row import ButtonRow


def problems_text(routine_problems: list[Problem], settings_problems: list[Problem]) -> Text:
    text = Text()
    sections = (
        ("Routine files", routine_problems, "The other routines work."),
        (
            "Settings file",
            settings_problems,
            "Until it is fixed, the last good settings stay in force (defaults where there were none).",
        ),
    )
    for title, problems, consequence in sections:
        if not problems:
            continue
        text.append(f"{title}: {len(problems)} problem{'s' if len(problems) > 1 else ''}\n", style="bold")
        for problem in problems:
            text.append(f"{problem}\n")
        text.append(f"{consequence}\n\n", style="dim")
    if not text:
        text.append("No problems in your files.\n")
    text.append(
        f"Save a fixed file and the app picks it up; {checkers(routine_problems, settings_problems)}.", style="dim"
    )
    return text


def checkers(routine_problems: list[Problem], settings_problems: list[Problem]) -> str:
    """The commands that check the files that have problems (routine files when none has)."""
    commands = []
    if routine_problems or not settings_problems:
        commands.append("'mobility-coach validate' checks routine files")
    if settings_problems:
        commands.append("'mobility-coach config' checks the settings file")
    return " and ".join(commands)


class ProblemsScreen(ScrollingDialog[None]):
    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, routine_problems: list[Problem], settings_problems: list[Problem]) -> None:
        super().__init__()
        self.routine_problems, self.settings_problems = routine_problems, settings_problems

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="problems"):
            with VerticalScroll(classes="dialog-body", can_focus=False):
                yield Static(problems_text(self.routine_problems, self.settings_problems), classes="dialog-text")
            with ButtonRow():
                yield Button("Close (esc)", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
