"""The break-due question: start the suggested routine (or one of a few others), say
you already moved, snooze, or skip."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from mobility_coach.core.clock import Clock, SystemClock
from mobility_coach.core.durations import format_duration
from mobility_coach.tui.widgets.button_row import ButtonRow

# The question appears while the user may be typing (the home filter: the "s" of "desk"
# snoozed the break). For this long after it appears it takes no answer at all...
GRACE_SECONDS = 1.5
# ...nor until the keyboard has been still this long: someone typing on ("deskwork") with
# their eyes on the keys would otherwise answer it with the "k" after the grace period.
QUIET_SECONDS = 1.0
# The screen ends the grace period with a timer of its own; the app's break tick also
# looks, so a test that moves a fake clock sees it end at once.
NOT_YET = "keys work in a moment…"


class BreakDueScreen(ModalScreen[str]):
    """Dismisses with "start", "snooze", "skip", "moved" (the user already moved) or
    "other:ROUTINE_ID", once the grace period is over."""

    BINDINGS = [
        Binding("enter", "choose('start')", "Start"),
        Binding("s,escape", "choose('snooze')", "Snooze"),
        Binding("k", "choose('skip')", "Skip"),
        Binding("m", "choose('moved')", "I already moved"),
        *(Binding(str(n), f"other({n})", f"Other routine {n}", show=False) for n in (1, 2, 3)),
    ]
    # Nothing is focused while keys are ignored; the start button is, once they count.
    AUTO_FOCUS = None

    def __init__(
        self,
        routine_name: str,
        sitting: float,
        snooze: float,
        clock: Clock | None = None,
        grace: float = GRACE_SECONDS,
        reason: str = "",
        others: Sequence[tuple[str, str]] = (),
    ) -> None:
        """``reason``: why this routine, in one line; ``others``: (id, name) of a few
        routines to do instead."""
        super().__init__()
        self.routine_name, self.sitting, self.snooze = routine_name, sitting, snooze
        self.reason, self.others = reason, tuple(others)[:3]
        self.clock = clock or SystemClock()
        self.answerable_at = self.clock.monotonic() + grace
        self.waiting = True

    def compose(self) -> ComposeResult:
        title = Text("Time to move\n", style="bold")
        text = Text()
        why = Text(
            f"Your break is due (one every {format_duration(self.sitting)} of sitting). A few minutes of "
            "gentle movement now beats twisting your back until it cracks later.\n"
        )
        if self.reason:
            text.append(f"Suggested: {self.reason}.", style="italic")
        # The other answers are keys, not buttons: six buttons would not fit a 60x20
        # terminal. One a line, so a name is never split from its number.
        if self.others:
            text.append("\n\nOr another:")
            for number, (_, name) in enumerate(self.others, 1):
                text.append(f"\n {number}  {name}")
        else:
            text.append("\n")
        text.append("\nm: I already moved (counts as a break, on your word)")
        with Vertical(classes="dialog") as dialog:
            # On the border, not a line of its own: the buttons must not move when it goes.
            dialog.border_subtitle = NOT_YET
            # The "why" gives way on a short terminal (app.tcss), so the answers stay on screen.
            yield Static(title, classes="dialog-text")
            yield Static(why, classes="dialog-text break-why")
            yield Static(text, classes="dialog-text")
            with ButtonRow():
                yield Button(f"{self.routine_name} (enter)", id="start", variant="success", disabled=True)
                yield Button(f"Snooze {format_duration(self.snooze)} (s)", id="snooze", disabled=True)
                yield Button("Skip (k)", id="skip", disabled=True)
        # The home screen's footer (Start, Stats…) would be a lie under the question.
        yield Footer()

    def on_mount(self) -> None:
        self._wait_for_grace()

    def _wait_for_grace(self) -> None:
        # One timer at the end of the grace period, not a poll: a question left unanswered
        # for an hour must not wake the app ten times a second.
        self.set_timer(max(0.01, self.answerable_at - self.clock.monotonic()), self.tick)

    def on_key(self, event: events.Key) -> None:
        if self.waiting:
            # Still typing: wait for the keyboard to be still. The key goes nowhere.
            self.answerable_at = max(self.answerable_at, self.clock.monotonic() + QUIET_SECONDS)
            event.stop()
            event.prevent_default()

    def answerable(self) -> bool:
        return self.clock.monotonic() >= self.answerable_at

    def tick(self) -> None:
        """End the grace period once the clock says so: buttons on, start focused."""
        if not self.waiting or not self.is_mounted:
            return
        if not self.answerable():
            self._wait_for_grace()  # woken early (the timer and the clock may differ)
            return
        self.waiting = False
        for button in self.query(Button):
            button.disabled = False
        self.query_one("#start", Button).focus()
        self.query_one(".dialog").border_subtitle = ""
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None, not False: the footer shows the answers dimmed until they count.
        if action in ("choose", "other") and not self.answerable():
            return None
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(str(event.button.id))

    def action_other(self, number: int) -> None:
        if 1 <= number <= len(self.others):
            self.dismiss(f"other:{self.others[number - 1][0]}")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    def answered_elsewhere(self) -> None:
        """Answered in another window, a command or the notification: nothing to do here."""
        self.dismiss("answered")
