"""A second idle baseline: the bare idle app with Textual's own header clock, which, as
mobility-coach's countdown does, changes the header once a second."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareClock(App[None]):
    TITLE = "bare-clock"

    def compose(self) -> ComposeResult:
        yield Header(show_clock=True)
        yield Static("Hourly desk break")
        yield Footer()


if __name__ == "__main__":
    BareClock().run()
