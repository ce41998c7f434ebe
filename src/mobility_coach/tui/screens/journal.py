"""The cracking journal: a few quick questions, then what it usually means and what to
do instead. Every question is answered with the arrow keys and Enter, or its number."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from mobility_coach.core.history.journal import AREAS, SOUNDS, Answer, answer
from mobility_coach.tui.screens.scrolling_dialog import YesNoDialog
from mobility_coach.tui.widgets.button_row import ButtonRow

KINDS = (("crack", "My back cracked"), ("urge", "I feel the urge to crack it"))
HURT = (("no", "No, it did not hurt"), ("yes", "Yes, it hurt"))


@dataclass
class Entry:
    """The journal entry as the user answers it, question by question; the screen dismisses with it."""

    kind: str = ""
    sound: str | None = None
    hurt: bool = False
    area: str | None = None
    questions: list[str] = field(default_factory=list)


class JournalScreen(ModalScreen[Entry | None]):
    """Asks, one question at a time; dismisses with the entry, or None if cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        *(Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 5)),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entry = Entry()
        self.step = "kind"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="journal"):
            yield Static(id="journal-question", classes="dialog-text")
            yield OptionList(id="journal-options")
            yield Static("↑↓ and Enter, or the number; Esc cancels", classes="hint")

    def on_mount(self) -> None:
        self._ask()

    def _choices(self) -> tuple[str, list[tuple[str, str]]]:
        if self.step == "kind":
            return "What happened?", list(KINDS)
        if self.step == "sound":
            return "What did it sound like?", [(key, label) for key, (label, _, _) in SOUNDS.items()]
        if self.step == "hurt":
            return "Did it hurt?" if self.entry.kind == "crack" else "Is there pain?", list(HURT)
        return "Where?", [(key, text.capitalize()) for key, text in AREAS.items()]

    def _ask(self) -> None:
        question, choices = self._choices()
        self.query_one("#journal-question", Static).update(Text(question, style="bold"))
        options = self.query_one("#journal-options", OptionList)
        options.set_options(Option(f"{n}. {label}", id=key) for n, (key, label) in enumerate(choices, 1))
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._answer(str(event.option.id))

    def action_pick(self, index: int) -> None:
        _, choices = self._choices()
        if index < len(choices):
            self._answer(choices[index][0])

    def _answer(self, key: str) -> None:
        entry = self.entry
        if self.step == "kind":
            entry.kind = key
            self.step = "sound" if key == "crack" else "hurt"
        elif self.step == "sound":
            entry.sound = key
            self.step = "hurt"
        elif self.step == "hurt":
            entry.hurt = key == "yes"
            self.step = "area"
        else:
            entry.area = key
            self.dismiss(entry)
            return
        self._ask()

    def action_cancel(self) -> None:
        self.dismiss(None)


class JournalAnswerScreen(YesNoDialog):
    """What the entry usually means; dismisses True to do the short drill now."""

    YES = FOCUS = "drill"

    # Enter belongs to the focused button: a key that always meant "drill" ignored the
    # button the user had moved to.
    BINDINGS = [
        Binding("d", "answer(True)", "Do the drill"),
        Binding("escape,c", "answer(False)", "Close"),
    ]

    def __init__(self, reply: Answer, today_count: int) -> None:
        super().__init__()
        self.reply, self.today_count = reply, today_count
        if reply.see_professional or reply.drill is None:
            # After pain (or grinding) the answer's point is its advice, not more movement:
            # Close is the default, and the drill stays one key away.
            self.FOCUS = "close"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No drill is offered after a painful crack, not even on its key."""
        return not (action == "answer" and parameters == (True,) and self.reply.drill is None)

    def compose(self) -> ComposeResult:
        reply = self.reply
        text = Text()
        text.append(reply.title + "\n\n", style="bold")
        text.append(reply.meaning + "\n")
        if reply.concern_line:
            text.append(f"{reply.concern_line}\n", style="bold")
        for line in reply.advice:
            style = "bold" if line.startswith(("Please see", "Your journal shows")) else ""
            text.append(f"\n{line}\n", style=style)
        text.append(f"\nEntries today: {self.today_count}.", style="dim")
        with Vertical(classes="dialog"):
            with VerticalScroll(classes="dialog-body", can_focus=False):
                yield Static(text, classes="dialog-text")
            with ButtonRow():
                advised = reply.see_professional
                if reply.drill is not None:  # none straight after a painful crack
                    yield Button("Short drill instead (d)", id="drill", variant="default" if advised else "success")
                yield Button("Close (esc)", id="close", variant="primary" if advised else "default")


def reply_for(entry: Entry, cracks_this_week: int = 0) -> Answer:
    return answer(entry.kind, entry.sound, entry.hurt, entry.area, cracks_this_week)
