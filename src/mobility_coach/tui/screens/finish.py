"""The finish screen: what was done, time spent, and how it felt."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from mobility_coach.core.durations import format_duration
from mobility_coach.core.routines.model import Routine
from mobility_coach.core.session.outcome import SessionOutcome
from mobility_coach.core.session.safety import PAIN_AFTER_SESSION, WORSE_AFTER_SESSION
from mobility_coach.tui.screens.dialogs import AdviceScreen
from mobility_coach.tui.widgets.button_row import ButtonRow
from mobility_coach.tui.widgets.title_bar import TitleBar

FEELINGS = (("better", "Better", "b"), ("same", "Same", "s"), ("worse", "Worse", "w"), ("pain", "Pain", "p"))


class FinishScreen(Screen[None]):
    BINDINGS = [
        *(Binding(key, f"feel('{value}')", label) for value, label, key in FEELINGS),
        Binding("escape", "home", "Home"),
        Binding("ctrl+s", "app.stats", "Stats", show=False),
    ]

    def __init__(self, outcome: SessionOutcome, routine: Routine | None, counted: bool | None = None) -> None:
        """``counted``: whether the session was a break taken (None: not said)."""
        super().__init__()
        self.outcome = outcome
        self.routine = routine
        self.counted = counted

    def compose(self) -> ComposeResult:
        outcome = self.outcome
        name = self.routine.name if self.routine else outcome.routine_id
        text = Text()
        text.append(outcome.headline() + "\n", style="bold")
        text.append(f"\n{name}\n")
        text.append(f"Time moving: {format_duration(outcome.active_seconds)}\n")
        text.append(f"Steps done: {outcome.steps_done} of {outcome.steps_total}\n")
        if self.counted is not None:
            # "quit" in the history is the same word for both; this says which it was.
            said = (
                "Counted as a break: the next hour of sitting starts now."
                if self.counted
                else "Not counted as a break (too little movement): the break clock carries on."
            )
            text.append(said + "\n", style="bold" if self.counted else "dim")
        text.append("\n")
        for result in outcome.results:
            mark = "✓" if result.complete else ("◐" if result.work_done else "✗")
            text.append(f" {mark} {result.name}")
            if not result.work_done:
                text.append("  (skipped)", style="dim")
            elif not result.complete:
                text.append(f"  (partly: {result.work_done} of {result.work_total} sides or sets)", style="dim")
            text.append("\n")
        text.rstrip()
        yield TitleBar()
        with Vertical(id="finish"):
            # The summary scrolls and gives way, so the answers (the safety one, "Pain",
            # among them) always stay on screen, however many steps there were.
            with VerticalScroll(id="summary-box", can_focus=False):
                yield Static(text, id="summary")
            yield Static("How do you feel?", id="feel-question")
            with ButtonRow():
                for value, label, key in FEELINGS:
                    yield Button(f"{label} ({key})", id=value, variant="error" if value == "pain" else "default")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "finished"
        self.query_one("#better", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id:
            self.action_feel(event.button.id)

    def action_feel(self, feeling: str) -> None:
        self.outcome.feeling = feeling
        if self.outcome.recorder is not None:
            self.outcome.recorder.feeling(feeling)
        advice = {
            "pain": ("Take care of that pain", PAIN_AFTER_SESSION),
            "worse": ("Gentler next time", WORSE_AFTER_SESSION),
        }.get(feeling)
        if advice is not None:
            self.app.push_screen(AdviceScreen(*advice, stop="OK", go_on=None), lambda _: self.action_home())
            return
        self.notify("Noted. See you at the next break.", timeout=3)
        self.action_home()

    def action_home(self) -> None:
        self.dismiss(None)
