"""A bare Textual app with the widgets of mobility-coach's home screen (header, two status
lines, the filter, a list of routines, a preview, the footer) and none of the app: what
Textual alone takes to draw a screen like home. bench/tui_startup.py shows it beside the
two it compares, to tell Textual's share of our launch from our own."""

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Input, OptionList, Static

KEYS = [("ctrl+s", "Stats"), ("ctrl+l", "Log crack"), ("ctrl+t", "Floor"), ("ctrl+r", "Problems")]


class HomeWidgets(App[None]):
    TITLE = "home-widgets"
    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding(key, "bell", description) for key, description in KEYS
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static("Next break in 59:59")
            yield Static("Today: nothing yet")
        yield Input(placeholder="Type to filter routines (name, tag, position)…")
        with Horizontal():
            yield OptionList(*[f"Routine {number}\n5 min · seated · desk" for number in range(8)])
            with VerticalScroll():
                yield Static("A routine's preview\n" * 8)
                yield Static("Its steps\n" * 4)
        yield Footer()


if __name__ == "__main__":
    HomeWidgets().run()
