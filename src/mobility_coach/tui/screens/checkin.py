"""The daily safety check-in before a session."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, SelectionList, Static
from textual.widgets.selection_list import Selection

from mobility_coach.core.routines.model import Routine
from mobility_coach.core.routines.precautions import Precaution, in_force_line
from mobility_coach.core.session.safety import DISCLAIMER, INTRO, QUESTIONS, advice_for, flagged
from mobility_coach.tui.screens.dialogs import AdviceScreen
from mobility_coach.tui.widgets.button_row import ButtonRow
from mobility_coach.tui.widgets.title_bar import TitleBar
from mobility_coach.tui.widgets.wrapping_selection_list import WrappingSelectionList

# How the check-in ended: nothing ticked, or something ticked and the user goes on anyway.
CheckInAnswer = Literal["clear", "go on"]


class CheckInScreen(Screen[CheckInAnswer | None]):
    """Dismisses with "clear", "go on" (despite a red flag), or None when cancelled."""

    BINDINGS = [
        Binding("s", "submit", "Start"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, routine: Routine, precautions: tuple[Precaution, ...] = ()) -> None:
        super().__init__()
        self.routine = routine
        self.precautions = precautions
        """Named in the settings: the check-in says they are in force."""

    def compose(self) -> ComposeResult:
        intro = Text(INTRO)
        in_force = in_force_line(self.precautions)
        if in_force:
            intro.append("\n\n" + in_force, style="bold")
        yield TitleBar()
        # What to do stays above the questions, and the answers below them: where the
        # room is short the list scrolls itself, keeping the highlighted question in view
        # (the whole screen scrolled, and at 60x20 took the instruction off the top).
        yield Static(Text("Before you start: a quick check", style="bold"), id="checkin-heading")
        yield Static(intro, id="checkin-intro")
        with Vertical(id="checkin"):
            yield WrappingSelectionList[str](*(Selection(q.text, q.id) for q in QUESTIONS), id="questions")
            with ButtonRow(id="checkin-buttons"):
                yield Button("Start (s)", id="start", variant="success")
                yield Button("Cancel (esc)", id="cancel")
            yield Static(DISCLAIMER, id="disclaimer")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"check-in for {self.routine.name}"
        self.query_one("#questions", SelectionList).focus()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._fit_questions)

    def _fit_questions(self) -> None:
        """Cap the list at the room the answers below it leave (CSS cannot say "the
        container minus these"), so it scrolls rather than push them off the screen."""
        room = self.query_one("#checkin")
        questions = self.query_one("#questions")
        taken = sum(
            part.outer_size.height + part.styles.margin.top + part.styles.margin.bottom
            for part in room.children
            if part is not questions and part.display
        )
        questions.styles.max_height = max(3, room.content_size.height - taken)

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
            self.dismiss("clear")
            return

        def answered(go_on: bool | None) -> None:
            self.dismiss("go on" if go_on else None)

        title, advice, may_go_on = advice_for(ticked)
        details = [q.text for q in ticked]
        if may_go_on:
            self.app.push_screen(AdviceScreen(title, advice, details), answered)
        else:
            self.app.push_screen(AdviceScreen(title, advice, details, stop="OK, not now", go_on=None), answered)
