"""The daily safety check-in before a session."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, SelectionList, Static
from textual.widgets.selection_list import Selection

from mobility_coach.core.routines.model import Routine
from mobility_coach.core.session.safety import ADVICE, DISCLAIMER, QUESTIONS, flagged
from mobility_coach.tui.screens.dialogs import AdviceScreen
from mobility_coach.tui.widgets.wrapping_selection_list import WrappingSelectionList


class CheckInScreen(Screen[None]):
    BINDINGS = [
        Binding("s", "submit", "Start"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, routine: Routine) -> None:
        super().__init__()
        self.routine = routine

    def compose(self) -> ComposeResult:
        intro = Text()
        intro.append("Before you start: a quick check\n", style="bold")
        intro.append("Tick anything that is true for you today (space), then press s to start.")
        yield Header()
        with VerticalScroll(id="checkin", can_focus=False):  # nothing is ever cut off
            yield Static(intro, id="checkin-intro")
            yield WrappingSelectionList[str](*(Selection(q.text, q.id) for q in QUESTIONS), id="questions")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start (s)", id="start", variant="success")
                yield Button("Cancel (esc)", id="cancel")
            yield Static(DISCLAIMER, id="disclaimer")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"check-in for {self.routine.name}"
        self.query_one("#questions", SelectionList).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_submit()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        chosen = set(self.query_one("#questions", SelectionList).selected)
        ticked = flagged({q.id: q.id in chosen for q in QUESTIONS})
        if not ticked:
            self.app.checkin_clear()  # type: ignore[attr-defined]
            self._go()
            return

        def answered(go_on: bool | None) -> None:
            if go_on:
                self._go()
            else:
                self.dismiss(None)

        self.app.push_screen(
            AdviceScreen("Please check with a professional first", ADVICE, [q.text for q in ticked]),
            answered,
        )

    def _go(self) -> None:
        routine = self.routine
        app = self.app
        self.dismiss(None)
        app.play(routine)  # type: ignore[attr-defined]
